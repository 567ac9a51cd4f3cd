// SPDX-License-Identifier: GPL-2.0
/*
 * The trace engine (see trace_engine.h and tests/trace/README): nodes with
 * ids 1..n, each a struct raft plus the "disk" its caller keeps (hard
 * state and log, exactly what the readies asked to make durable), one FIFO
 * network with cut links, and commands that move all of it one explicit
 * step at a time. Nothing happens unless a command says so.
 *
 * It plays the caller of raft.h by the book: for each ready it persists
 * the hard state and the entries first, then queues the messages, then
 * calls raft_advance(). A crash loses nothing the core was told is
 * durable, and a restart restores exactly the disk.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>	/* snprintf, vsnprintf */
#else
#include <stdarg.h>
#include <stdio.h>
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

#include "raft.h"
#include "trace_engine.h"

#define T_MAX_NODES	RAFT_MAX_NODES
#define T_MAX_ARGS	32
#define T_DATA_MAX	64	/* data bytes printed */

struct t_entry {
	struct raft_entry e;
	u8 *buf;		/* e.data: our copy */
};

struct t_disk {
	u64 term;
	u32 vote;
	u64 n;			/* entries 1..n */
	u64 cap;
	u64 alloc;		/* log[0..alloc) hold a buf (or NULL) */
	struct t_entry *log;
};

struct t_node {
	bool exists, up;
	struct raft *r;
	struct raft_config cfg;
	struct t_disk disk;
	u32 lives;		/* raft_create() calls, for the seed */
	u64 seq;		/* last seq proposed by default */
	u64 commit;		/* last commit index reported */
	bool dirty;		/* ticked or stepped since its last ready */
};

struct t_msg {
	struct t_msg *next;
	struct raft_msg m;
	u32 n_entries;
	struct t_entry *entries;	/* the entries' data */
	struct raft_entry *es;		/* m.append.entries */
	u8 *data;		/* PROPOSE */
};

struct trace_env {
	u32 n;
	struct t_node nd[T_MAX_NODES + 1];
	bool cut[T_MAX_NODES + 1][T_MAX_NODES + 1];
	struct t_msg *head, **tail;
	u64 cookie;
	/* committed entries seen anywhere: (term) per index, for safety */
	u64 n_committed;
	u64 committed[4096];
	/* scratch space, off the stack (a kernel stack is small) */
	char line[8192];
	struct raft_entry send_es[64];
	char send_data[64][24];
	/* output */
	char **buf;
	size_t *len, *cap;
};

/* ---- output ---------------------------------------------------------------- */

static __printf(2, 3) void out(struct trace_env *env, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !*env->buf)
		return;
	if (*env->len + n + 1 > *env->cap) {
		size_t nc = (*env->len + n + 1) * 2;
		char *b = raft_realloc(*env->buf, *env->cap, nc);

		if (!b)
			return;
		*env->buf = b;
		*env->cap = nc;
	}
	va_start(ap, fmt);
	vsnprintf(*env->buf + *env->len, n + 1, fmt, ap);
	va_end(ap);
	*env->len += n;
}

static const char *err_name(int err)
{
	switch (err) {
	case RAFT_OK: return "OK";
	case RAFT_ENOLEADER: return "ENOLEADER";
	case RAFT_EBUSY: return "EBUSY";
	case RAFT_ETOOBIG: return "ETOOBIG";
	case RAFT_EINVAL: return "EINVAL";
	case RAFT_ENOMEM: return "ENOMEM";
	case RAFT_EUNKNOWN: return "EUNKNOWN";
	case RAFT_ENOTLEADER: return "ENOTLEADER";
	case RAFT_ESTALE: return "ESTALE";
	case RAFT_ELOST: return "ELOST";
	case RAFT_EPENDING: return "EPENDING";
	case RAFT_EEXIST: return "EEXIST";
	case RAFT_EADDRINUSE: return "EADDRINUSE";
	case RAFT_ENOENT: return "ENOENT";
	case RAFT_ENOVOTER: return "ENOVOTER";
	case RAFT_ELEARNER: return "ELEARNER";
	case RAFT_ETRANSFER: return "ETRANSFER";
	}
	return "E?";
}

static const char *const msg_names[] = {
	[RAFT_MSG_PREVOTE] = "PREVOTE",
	[RAFT_MSG_PREVOTE_RESP] = "PREVOTE_RESP",
	[RAFT_MSG_VOTE] = "VOTE",
	[RAFT_MSG_VOTE_RESP] = "VOTE_RESP",
	[RAFT_MSG_APPEND] = "APPEND",
	[RAFT_MSG_APPEND_RESP] = "APPEND_RESP",
	[RAFT_MSG_HEARTBEAT] = "HEARTBEAT",
	[RAFT_MSG_HEARTBEAT_RESP] = "HEARTBEAT_RESP",
	[RAFT_MSG_PROPOSE] = "PROPOSE",
	[RAFT_MSG_PROPOSE_RESP] = "PROPOSE_RESP",
	[RAFT_MSG_TIMEOUT_NOW] = "TIMEOUT_NOW",
};

static const char *role_name(enum raft_role role)
{
	switch (role) {
	case RAFT_FOLLOWER: return "FOLLOWER";
	case RAFT_PRECANDIDATE: return "PRECANDIDATE";
	case RAFT_CANDIDATE: return "CANDIDATE";
	case RAFT_LEADER: return "LEADER";
	}
	return "?";
}

static __printf(4, 5) size_t addf(char *s, size_t n, size_t k,
				   const char *fmt, ...);

/* Ids of @m's members for which @want says yes, as "1,2,3" (or "-"). */
static size_t fmt_ids(char *s, size_t n, size_t k,
		      const struct raft_membership *m, int want)
{
	u32 i;
	bool any = false;

	for (i = 0; i < m->n_members; i++) {
		const struct raft_member *mb = &m->members[i];
		bool yes = want < 0 ? mb->outgoing : mb->role == want;

		if (!yes)
			continue;
		k = addf(s, n, k, "%s%u", any ? "," : "", mb->id);
		if (mb->addr.len)
			k = addf(s, n, k, "@%.*s", mb->addr.len,
				 (const char *)mb->addr.bytes);
		any = true;
	}
	return any ? k : addf(s, n, k, "-");
}

/* "voters=1,2 learners=3", or "joint in=... out=... learners=..." */
static void fmt_conf(char *s, size_t n, const struct raft_membership *m)
{
	size_t k = 0;

	if (m->joint) {
		k = addf(s, n, k, "joint in=");
		k = fmt_ids(s, n, k, m, RAFT_MEMBER_VOTER);
		k = addf(s, n, k, " out=");
		k = fmt_ids(s, n, k, m, -1);
	} else {
		k = addf(s, n, k, "voters=");
		k = fmt_ids(s, n, k, m, RAFT_MEMBER_VOTER);
	}
	k = addf(s, n, k, " learners=");
	fmt_ids(s, n, k, m, RAFT_MEMBER_LEARNER);
}

static void fmt_config_entry(char *s, size_t n, const struct raft_entry *e,
			     u64 idx)
{
	struct raft_membership m;
	char c[96];

	if (raft_config_decode(e->data, e->len, &m))
		snprintf(c, sizeof(c), "invalid");
	else
		fmt_conf(c, sizeof(c), &m);
	snprintf(s, n, "%llu/%llu config %s", (unsigned long long)e->term,
		 (unsigned long long)idx, c);
}

/* "T/I noop", "T/I config ..." or "T/I S.Q \"data\"" into @s. */
static void fmt_entry(char *s, size_t n, const struct raft_entry *e, u64 idx)
{
	char d[T_DATA_MAX + 1];
	u32 i, len = e->len < T_DATA_MAX ? e->len : T_DATA_MAX;

	if (e->type == RAFT_ENTRY_CONFIG) {
		fmt_config_entry(s, n, e, idx);
		return;
	}
	for (i = 0; i < len; i++) {
		u8 c = e->data[i];

		d[i] = c > ' ' && c < 127 && c != '"' ? c : '.';
	}
	d[len] = 0;
	if (e->len > T_DATA_MAX)
		snprintf(d + len - 3, 4, "...");
	if (e->len > T_DATA_MAX)
		snprintf(s, n, "%llu/%llu s%llu.%llu \"%s\" (%u bytes)",
			 (unsigned long long)e->term, (unsigned long long)idx,
			 (unsigned long long)e->session,
			 (unsigned long long)e->seq, d, e->len);
	else if (e->type == RAFT_ENTRY_NOOP)
		snprintf(s, n, "%llu/%llu noop", (unsigned long long)e->term,
			 (unsigned long long)idx);
	else
		snprintf(s, n, "%llu/%llu s%llu.%llu \"%s\"",
			 (unsigned long long)e->term, (unsigned long long)idx,
			 (unsigned long long)e->session,
			 (unsigned long long)e->seq, d);
}

/* Appends to @s (@n bytes, @k used); stops, marked "...", when full. */
static __printf(4, 5) size_t addf(char *s, size_t n, size_t k,
				   const char *fmt, ...)
{
	va_list ap;
	int r;

	if (k + 4 >= n)
		return k;
	va_start(ap, fmt);
	r = vsnprintf(s + k, n - k, fmt, ap);
	va_end(ap);
	if (r < 0)
		return k;
	if (k + r + 4 < n)
		return k + r;
	memcpy(s + n - 4, "...", 4);
	return n - 1;
}

/* One message on one line (without a newline) into @s. */
static void fmt_msg(char *s, size_t n, const struct raft_msg *m)
{
	const char *name = m->type && m->type <= RAFT_MSG_TIMEOUT_NOW ?
			   msg_names[m->type] : "?";
	size_t k;

	k = addf(s, n, 0, "%u->%u %s term=%llu", m->from, m->to, name,
		 (unsigned long long)m->term);
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		k = addf(s, n, k, " log=%llu/%llu",
			 (unsigned long long)m->vote.last_term,
			 (unsigned long long)m->vote.last_index);
		if (m->vote.transfer)
			k = addf(s, n, k, " transfer");
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		k = addf(s, n, k, " %s",
			 m->vote_resp.granted ? "granted" : "rejected");
		break;
	case RAFT_MSG_APPEND: {
		u32 i;

		k = addf(s, n, k, " prev=%llu/%llu commit=%llu",
			 (unsigned long long)m->append.prev_term,
			 (unsigned long long)m->append.prev_index,
			 (unsigned long long)m->append.commit);
		if (m->append.n_entries)
			k = addf(s, n, k, " [");
		for (i = 0; i < m->append.n_entries && k < n; i++) {
			char e[128];

			fmt_entry(e, sizeof(e), &m->append.entries[i],
				  m->append.prev_index + 1 + i);
			k = addf(s, n, k, "%s%s", i ? ", " : "", e);
		}
		if (m->append.n_entries && k < n)
			k = addf(s, n, k, "]");
		break;
	}
	case RAFT_MSG_APPEND_RESP:
		if (m->append_resp.success)
			k = addf(s, n, k, " ok index=%llu",
				 (unsigned long long)m->append_resp.index);
		else
			k = addf(s, n, k, " reject index=%llu hint=%llu/%llu",
				 (unsigned long long)m->append_resp.index,
				 (unsigned long long)m->append_resp.hint_term,
				 (unsigned long long)m->append_resp.hint_index);
		break;
	case RAFT_MSG_HEARTBEAT:
		k = addf(s, n, k, " commit=%llu",
			 (unsigned long long)m->heartbeat.commit);
		break;
	case RAFT_MSG_PROPOSE:
		k = addf(s, n, k, " s%llu.%llu start=%llu len=%u",
			 (unsigned long long)m->propose.session,
			 (unsigned long long)m->propose.seq,
			 (unsigned long long)m->propose.start,
			 m->propose.len);
		break;
	case RAFT_MSG_PROPOSE_RESP:
		k = addf(s, n, k, " s%llu.%llu %s at=%llu/%llu",
			 (unsigned long long)m->propose_resp.session,
			 (unsigned long long)m->propose_resp.seq,
			 err_name(m->propose_resp.status),
			 (unsigned long long)m->propose_resp.term,
			 (unsigned long long)m->propose_resp.index);
		break;
	}
	if (m->after_persist)
		addf(s, n, k, " (after persist)");
}

/* ---- parsing --------------------------------------------------------------- */

struct t_args {
	u32 n;
	char *key[T_MAX_ARGS];
	char *val[T_MAX_ARGS];	/* NULL: a bare word */
	char line[1024];
};

static void split(struct t_args *a, const char *cmd)
{
	char *p;

	memset(a, 0, sizeof(*a));
	snprintf(a->line, sizeof(a->line), "%s", cmd);
	p = a->line;
	while (*p && a->n < T_MAX_ARGS) {
		char *eq;

		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		a->key[a->n] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
		eq = strchr(a->key[a->n], '=');
		if (eq) {
			*eq = 0;
			a->val[a->n] = eq + 1;
		}
		a->n++;
	}
}

static bool parse_u64(const char *s, u64 *v)
{
	u64 x = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		x = x * 10 + (u64)(*s - '0');
	}
	*v = x;
	return true;
}

/* The value of key=value, or NULL. */
static const char *arg(const struct t_args *a, const char *key)
{
	u32 i;

	for (i = 1; i < a->n; i++)
		if (a->val[i] && !strcmp(a->key[i], key))
			return a->val[i];
	return NULL;
}

static u64 arg_u64(const struct t_args *a, const char *key, u64 def)
{
	u64 v;

	return parse_u64(arg(a, key), &v) ? v : def;
}

static bool has_word(const struct t_args *a, const char *w)
{
	u32 i;

	for (i = 1; i < a->n; i++)
		if (!a->val[i] && !strcmp(a->key[i], w))
			return true;
	return false;
}

/* "T/I" */
static bool parse_ti(const char *s, u64 *t, u64 *i)
{
	char b[64];
	char *sl;

	if (!s)
		return false;
	snprintf(b, sizeof(b), "%s", s);
	sl = strchr(b, '/');
	if (!sl)
		return false;
	*sl = 0;
	return parse_u64(b, t) && parse_u64(sl + 1, i);
}

/* Node ids among the bare words from @from on; all nodes when none. */
static u32 pick_nodes(struct trace_env *env, const struct t_args *a,
		      u32 from, bool *set)
{
	u32 i, k = 0;
	u64 id;

	memset(set, 0, sizeof(bool) * (T_MAX_NODES + 1));
	for (i = from; i < a->n; i++) {
		if (a->val[i] || !parse_u64(a->key[i], &id) || !id ||
		    id > env->n)
			continue;
		set[id] = true;
		k++;
	}
	if (!k)
		for (i = 1; i <= env->n; i++)
			set[i] = true;
	return k;
}

static struct t_node *node_arg(struct trace_env *env, const struct t_args *a,
			       u32 i)
{
	u64 id;

	if (i >= a->n || a->val[i] || !parse_u64(a->key[i], &id) || !id ||
	    id > env->n) {
		out(env, "error: no node %s\n", i < a->n ? a->key[i] : "given");
		return NULL;
	}
	return &env->nd[id];
}

/* ---- disk -------------------------------------------------------------------- */

/* @d gets its own copy of @e's data (whatever @d held is not freed). */
static void entry_copy(struct t_entry *d, const struct raft_entry *e)
{
	d->e = *e;
	d->buf = e->len ? raft_alloc(e->len) : NULL;
	if (!d->buf)
		d->e.len = 0;
	else
		memcpy(d->buf, e->data, e->len);
	d->e.data = d->buf;
}

static void disk_put(struct t_disk *d, u64 idx, const struct raft_entry *e)
{
	if (idx > d->cap) {
		u64 nc = idx * 2 + 16;

		d->log = raft_realloc(d->log, d->cap * sizeof(*d->log),
				      nc * sizeof(*d->log));
		if (!d->log)
			return;
		d->cap = nc;
	}
	if (idx <= d->alloc)
		raft_free(d->log[idx - 1].buf);
	else
		d->alloc = idx;
	entry_copy(&d->log[idx - 1], e);
	d->n = idx;
}

/* ---- nodes ------------------------------------------------------------------- */

static void node_start(struct trace_env *env, u32 id)
{
	struct t_node *nd = &env->nd[id];
	u64 i;

	nd->lives++;
	nd->cfg.seed = id * 1000 + nd->lives;
	nd->r = raft_create(&nd->cfg);
	if (!nd->r) {
		out(env, "error: raft_create(%u) failed\n", id);
		return;
	}
	raft_restore_hardstate(nd->r, nd->disk.term, nd->disk.vote);
	for (i = 0; i < nd->disk.n; i++)
		if (raft_restore_entry(nd->r, &nd->disk.log[i].e))
			out(env, "error: raft_restore_entry(%u, %llu)\n", id,
			    (unsigned long long)i + 1);
	nd->up = true;
	nd->commit = raft_commit_index(nd->r);
	nd->dirty = true;
}

static void node_stop(struct t_node *nd)
{
	if (nd->r)
		raft_destroy(nd->r);
	nd->r = NULL;
	nd->up = false;
}

/* ---- network ----------------------------------------------------------------- */

static void msg_free(struct t_msg *t)
{
	u32 i;

	for (i = 0; t->entries && i < t->n_entries; i++)
		raft_free(t->entries[i].buf);
	raft_free(t->data);
	raft_free(t->entries);
	raft_free(t->es);
	raft_free(t);
}

/* Queue a deep copy of @m; APPENDs with load take entries from @disk. */
static void net_send(struct trace_env *env, const struct raft_msg *m,
		     const struct t_disk *disk)
{
	struct t_msg *t = raft_alloc(sizeof(*t));
	u32 i, n;

	if (!t)
		return;
	memset(t, 0, sizeof(*t));
	t->m = *m;
	if (m->type == RAFT_MSG_APPEND && m->append.n_entries) {
		n = m->append.n_entries;
		t->entries = raft_alloc(n * sizeof(*t->entries));
		for (i = 0; t->entries && i < n; i++) {
			u64 idx = m->append.prev_index + 1 + i;

			if (m->append.load) {
				if (idx > disk->n)
					break;
				entry_copy(&t->entries[i], &disk->log[idx - 1].e);
			} else {
				entry_copy(&t->entries[i], &m->append.entries[i]);
			}
		}
		t->n_entries = i;
		t->m.append.n_entries = i;
		t->m.append.load = false;
		t->es = raft_alloc(n * sizeof(*t->es));
		for (i = 0; t->es && i < t->n_entries; i++)
			t->es[i] = t->entries[i].e;
		t->m.append.entries = t->es;
	}
	if (m->type == RAFT_MSG_PROPOSE) {
		t->data = m->propose.len ? raft_alloc(m->propose.len) : NULL;
		if (t->data)
			memcpy(t->data, m->propose.data, m->propose.len);
		else
			t->m.propose.len = 0;
		t->m.propose.data = t->data;
	}
	t->m.after_persist = false;
	t->next = NULL;
	*env->tail = t;
	env->tail = &t->next;
}

/* Steps @t into its recipient; the message is printed by the caller. */
static void net_step(struct trace_env *env, struct t_msg *t)
{
	struct t_node *nd = &env->nd[t->m.to];
	int rc;

	rc = raft_step(nd->r, &t->m);
	nd->dirty = true;
	if (rc)
		out(env, "  step: %s\n", err_name(rc));
}

/* ---- ready ------------------------------------------------------------------- */

static void check_committed(struct trace_env *env, u32 id)
{
	struct t_node *nd = &env->nd[id];
	u64 i, c = nd->commit;

	if (c > nd->disk.n)
		c = nd->disk.n;
	for (i = 1; i <= c && i <= 4096; i++) {
		u64 t = nd->disk.log[i - 1].e.term;

		if (i > env->n_committed) {
			env->committed[i - 1] = t;
			env->n_committed = i;
		} else if (env->committed[i - 1] != t) {
			out(env, "  SAFETY: %u committed %llu/%llu, another node %llu/%llu\n",
			    id, (unsigned long long)t, (unsigned long long)i,
			    (unsigned long long)env->committed[i - 1],
			    (unsigned long long)i);
		}
	}
}

/* Handles every ready of node @id; whether there was one. */
static bool node_ready(struct trace_env *env, u32 id)
{
	struct t_node *nd = &env->nd[id];
	struct raft_ready rd;
	bool any = false;
	u32 i;

	while (nd->up && raft_has_ready(nd->r)) {
		any = true;
		raft_ready(nd->r, &rd);
		out(env, "> %u ready\n", id);
		if (rd.hardstate_changed) {
			out(env, "  hardstate term=%llu vote=%u\n",
			    (unsigned long long)rd.term, rd.vote);
			nd->disk.term = rd.term;
			nd->disk.vote = rd.vote;
		}
		if (rd.n_entries && rd.entries_first <= nd->disk.n)
			out(env, "  cut %llu..%llu\n",
			    (unsigned long long)rd.entries_first,
			    (unsigned long long)nd->disk.n);
		for (i = 0; i < rd.n_entries; i++) {
			char e[128];
			u64 idx = rd.entries_first + i;

			fmt_entry(e, sizeof(e), &rd.entries[i], idx);
			out(env, "  persist %s\n", e);
			disk_put(&nd->disk, idx, &rd.entries[i]);
		}
		if (rd.config_changed)
			out(env, "  config changed index=%llu\n",
			    (unsigned long long)rd.config_index);
		if (rd.commit_index != nd->commit) {
			out(env, "  commit %llu\n",
			    (unsigned long long)rd.commit_index);
			if (rd.commit_index < nd->commit)
				out(env, "  SAFETY: commit went back from %llu\n",
				    (unsigned long long)nd->commit);
			nd->commit = rd.commit_index;
		}
		for (i = 0; i < rd.n_msgs; i++) {
			fmt_msg(env->line, sizeof(env->line), &rd.msgs[i]);
			out(env, "  send %s\n", env->line);
			net_send(env, &rd.msgs[i], &nd->disk);
		}
		for (i = 0; i < rd.n_results; i++) {
			const struct raft_proposal_result *pr = &rd.results[i];

			out(env, "  result cookie=%llu %s at=%llu/%llu\n",
			    (unsigned long long)pr->cookie,
			    err_name(pr->status), (unsigned long long)pr->term,
			    (unsigned long long)pr->index);
		}
		raft_advance(nd->r, &rd);
		check_committed(env, id);
	}
	nd->dirty = false;
	return any;
}

/*
 * Delivers the queued messages whose recipient is in @set (those queued
 * now, not those their handling causes); whether any was taken.
 */
static bool deliver(struct trace_env *env, const bool *set, bool quiet_none)
{
	struct t_msg **pp = &env->head, *t, *last = NULL;
	bool any = false;

	for (t = env->head; t; t = t->next)
		last = t;
	while (last && (t = *pp)) {
		bool end = t == last;

		if (!set[t->m.to]) {
			pp = &t->next;
			if (end)
				break;
			continue;
		}
		*pp = t->next;
		if (!*pp)
			env->tail = pp;
		any = true;
		fmt_msg(env->line, sizeof(env->line), &t->m);
		if (env->cut[t->m.from][t->m.to]) {
			out(env, "  drop %s (partitioned)\n", env->line);
		} else if (!env->nd[t->m.to].up) {
			out(env, "  drop %s (down)\n", env->line);
		} else {
			out(env, "> %u receive %s\n", t->m.to, env->line);
			net_step(env, t);
		}
		msg_free(t);
		if (end)
			break;
	}
	if (!any && !quiet_none)
		out(env, "no messages\n");
	return any;
}

/* ---- commands ---------------------------------------------------------------- */

/* Whether @id is in the list "1,2,3" @list (NULL: no). */
static bool in_list(const char *list, u32 id)
{
	u64 v = 0;
	bool any = false;

	for (; list && *list; list++) {
		if (*list >= '0' && *list <= '9') {
			v = v * 10 + (u64)(*list - '0');
			any = true;
			continue;
		}
		if (any && v == id)
			return true;
		v = 0;
		any = false;
	}
	return any && v == id;
}

static void node_settings(struct t_node *nd, const struct t_args *a)
{
	nd->cfg.election_ticks = arg_u64(a, "election", 10);
	nd->cfg.heartbeat_ticks = arg_u64(a, "heartbeat", 2);
	nd->cfg.max_inflight = arg_u64(a, "inflight", 8);
	nd->cfg.max_uncommitted = arg_u64(a, "uncommitted", 4096);
	nd->cfg.pre_vote = arg_u64(a, "prevote", 1);
	nd->cfg.check_quorum = arg_u64(a, "checkquorum", 1);
}

static void cmd_add_nodes(struct trace_env *env, struct t_args *a)
{
	u64 n, i, j;
	u32 nodes[T_MAX_NODES];

	if (a->n < 2 || !parse_u64(a->key[1], &n) || !n ||
	    env->n + n > T_MAX_NODES) {
		out(env, "error: add-nodes N\n");
		return;
	}
	env->n += n;
	for (i = 0; i < env->n; i++)
		nodes[i] = i + 1;
	for (i = env->n - n + 1; i <= env->n; i++) {
		struct t_node *nd = &env->nd[i];

		nd->exists = true;
		raft_config_default(&nd->cfg, i, nodes, env->n);
		for (j = 0; j < env->n; j++)
			nd->cfg.learner[j] = in_list(arg(a, "learners"),
						     nodes[j]);
		node_settings(nd, a);
		node_start(env, i);
	}
	/* nodes added earlier learn nothing: add all nodes in one command */
	for (j = 1; j <= env->n - n; j++)
		out(env, "warning: node %llu does not know the new nodes\n",
		    (unsigned long long)j);
	out(env, "%llu nodes, election=%u heartbeat=%u prevote=%d checkquorum=%d\n",
	    (unsigned long long)env->n, env->nd[env->n].cfg.election_ticks,
	    env->nd[env->n].cfg.heartbeat_ticks,
	    env->nd[env->n].cfg.pre_vote, env->nd[env->n].cfg.check_quorum);
}

/*
 * join [voters=1,2,3] [learners=4] [election=...]: node n + 1 comes, booted
 * with these members (itself among them) and the join flag.
 */
static void cmd_join(struct trace_env *env, struct t_args *a)
{
	const char *v = arg(a, "voters"), *l = arg(a, "learners");
	u32 nodes[T_MAX_NODES], id = env->n + 1, i, n = 0;
	struct t_node *nd = &env->nd[id];

	if (id > T_MAX_NODES) {
		out(env, "error: no room for another node\n");
		return;
	}
	for (i = 1; i <= T_MAX_NODES; i++)
		if (in_list(v, i) || in_list(l, i))
			nodes[n++] = i;
	env->n = id;
	nd->exists = true;
	raft_config_default(&nd->cfg, id, nodes, n);
	for (i = 0; i < n; i++)
		nd->cfg.learner[i] = in_list(l, nodes[i]);
	nd->cfg.join = true;
	node_settings(nd, a);
	node_start(env, id);
	out(env, "%u joins\n", id);
}

/* One op of "change": add=ID[@ADDR], learner=ID[@ADDR], promote=, remove= */
static bool parse_op(const char *key, const char *val,
		     struct raft_change_op *op)
{
	static const char *const names[] = {
		[RAFT_CHANGE_ADD_VOTER] = "add",
		[RAFT_CHANGE_ADD_LEARNER] = "learner",
		[RAFT_CHANGE_PROMOTE] = "promote",
		[RAFT_CHANGE_REMOVE] = "remove",
	};
	char b[48], *at;
	u64 id;
	u8 t;

	memset(op, 0, sizeof(*op));
	for (t = RAFT_CHANGE_ADD_VOTER; t <= RAFT_CHANGE_REMOVE; t++)
		if (!strcmp(key, names[t]))
			op->type = t;
	if (!op->type || !val)
		return false;
	snprintf(b, sizeof(b), "%s", val);
	at = strchr(b, '@');
	if (at) {
		*at++ = 0;
		op->addr.len = (u8)strlen(at);
		memcpy(op->addr.bytes, at, op->addr.len > RAFT_ADDR_MAX ?
					   RAFT_ADDR_MAX : op->addr.len);
	}
	if (!parse_u64(b, &id))
		return false;
	op->id = (u32)id;
	return true;
}

/*
 * change ID OP=ID[@ADDR]... [cookie=C] [timeout=T]: raft_propose_change()
 * on node ID; OP is add, learner, promote or remove, in the given order.
 */
static void cmd_change(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	struct raft_change ch = { 0 };
	u64 cookie;
	u32 i;
	int rc;

	if (!nd || !nd->up)
		return;
	for (i = 2; i < a->n; i++) {
		if (a->val[i] && (!strcmp(a->key[i], "cookie") ||
				  !strcmp(a->key[i], "timeout")))
			continue;
		if (ch.n_ops == RAFT_MAX_NODES ||
		    !parse_op(a->key[i], a->val[i], &ch.ops[ch.n_ops++])) {
			out(env, "error: bad op %s\n", a->key[i]);
			return;
		}
	}
	ch.timeout = arg_u64(a, "timeout", 0);
	cookie = arg_u64(a, "cookie", 0);
	if (!cookie)
		cookie = ++env->cookie;
	rc = raft_propose_change(nd->r, cookie, &ch);
	nd->dirty = true;
	out(env, "change cookie=%llu: %s\n", (unsigned long long)cookie,
	    err_name(rc));
}

/* transfer ID [TO]: raft_transfer_leader() on node ID (TO 0: the best) */
static void cmd_transfer(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	u64 to = 0;
	int rc;

	if (!nd || !nd->up)
		return;
	if (a->n > 2)
		parse_u64(a->key[2], &to);
	rc = raft_transfer_leader(nd->r, (u32)to);
	nd->dirty = true;
	out(env, "transfer %u->%llu: %s\n", nd->cfg.id, (unsigned long long)to,
	    err_name(rc));
}

static void show_members(struct trace_env *env, u32 id)
{
	struct t_node *nd = &env->nd[id];
	struct raft_membership m;
	struct raft_status st;

	if (!nd->up) {
		out(env, "%u down\n", id);
		return;
	}
	raft_get_membership(nd->r, &m);
	raft_get_status(nd->r, &st);
	fmt_conf(env->line, sizeof(env->line), &m);
	out(env, "%u config %llu/%llu%s %s%s\n", id,
	    (unsigned long long)m.term, (unsigned long long)m.index,
	    m.committed ? " committed" : "", env->line,
	    st.voter ? "" : " (not a voter)");
}

static void cmd_members(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1];
	u32 i;

	pick_nodes(env, a, 1, set);
	for (i = 1; i <= env->n; i++)
		if (set[i])
			show_members(env, i);
}

static void show_status(struct trace_env *env, u32 id)
{
	struct t_node *nd = &env->nd[id];
	struct raft_status st;
	u32 i;

	if (!nd->up) {
		out(env, "%u down\n", id);
		return;
	}
	raft_get_status(nd->r, &st);
	out(env, "%u %s term=%llu leader=%u vote=%u commit=%llu last=%llu/%llu\n",
	    id, role_name(st.role), (unsigned long long)st.term, st.leader,
	    st.voted_for, (unsigned long long)st.commit_index,
	    (unsigned long long)st.last_term,
	    (unsigned long long)st.last_index);
	if (st.role != RAFT_LEADER)
		return;
	if (st.transfer_to)
		out(env, "  transferring to %u\n", st.transfer_to);
	for (i = 0; i < st.n_peers; i++)
		out(env, "  peer %u match=%llu next=%llu\n", st.peers[i].id,
		    (unsigned long long)st.peers[i].match_index,
		    (unsigned long long)st.peers[i].next_index);
}

static void cmd_status(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1];
	u32 i;

	pick_nodes(env, a, 1, set);
	for (i = 1; i <= env->n; i++)
		if (set[i])
			show_status(env, i);
}

static void cmd_log(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1];
	u32 i;
	u64 j;

	pick_nodes(env, a, 1, set);
	for (i = 1; i <= env->n; i++) {
		struct t_disk *d = &env->nd[i].disk;

		if (!set[i])
			continue;
		out(env, "%u disk term=%llu vote=%u, %llu entries, commit=%llu\n",
		    i, (unsigned long long)d->term, d->vote,
		    (unsigned long long)d->n,
		    (unsigned long long)env->nd[i].commit);
		for (j = 0; j < d->n; j++) {
			char e[128];

			fmt_entry(e, sizeof(e), &d->log[j].e, j + 1);
			out(env, "  %s\n", e);
		}
	}
}

static void cmd_tick(struct trace_env *env, struct t_args *a, u64 dflt)
{
	struct t_node *nd = node_arg(env, a, 1);
	u64 n = dflt, i;

	if (!nd)
		return;
	if (a->n > 2 && !a->val[2])
		parse_u64(a->key[2], &n);
	if (!dflt && !(a->n > 2))
		n = 1;
	if (!nd->up) {
		out(env, "error: node is down\n");
		return;
	}
	for (i = 0; i < n; i++)
		raft_tick(nd->r);
	nd->dirty = true;
}

/* Ticks @id until it starts an election: prints the ticks it took. */
static void cmd_campaign(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	struct raft_status st;
	u64 elections;
	u32 i;

	if (!nd || !nd->up)
		return;
	raft_get_status(nd->r, &st);
	elections = st.stats.elections;
	for (i = 1; i <= 1000; i++) {
		raft_tick(nd->r);
		raft_get_status(nd->r, &st);
		if (st.stats.elections != elections)
			break;
	}
	nd->dirty = true;
	if (i > 1000)
		out(env, "%u %s: no election in 1000 ticks\n", st.id,
		    role_name(st.role));
	else
		out(env, "%u %s after %u ticks\n", st.id, role_name(st.role), i);
}

static void cmd_process_ready(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1], any = false;
	u32 i;

	pick_nodes(env, a, 1, set);
	for (i = 1; i <= env->n; i++)
		if (set[i])
			any = node_ready(env, i) || any;
	if (!any)
		out(env, "no ready\n");
}

static void cmd_deliver(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1];

	pick_nodes(env, a, 1, set);
	deliver(env, set, false);
}

static void cmd_stabilize(struct trace_env *env, struct t_args *a)
{
	bool set[T_MAX_NODES + 1], any = true;
	u32 i, rounds = 0;

	pick_nodes(env, a, 1, set);
	while (any && rounds++ < 1000) {
		any = false;
		for (i = 1; i <= env->n; i++)
			if (set[i])
				any = node_ready(env, i) || any;
		any = deliver(env, set, true) || any;
	}
	if (rounds == 1)
		out(env, "nothing to do\n");
}

/* drop [from=X] [to=Y] [type=NAME]: forget queued messages, printing them */
static void cmd_drop(struct trace_env *env, struct t_args *a)
{
	u64 from = arg_u64(a, "from", 0), to = arg_u64(a, "to", 0);
	const char *type = arg(a, "type");
	struct t_msg **pp = &env->head, *t;
	bool any = false;

	while ((t = *pp)) {
		if ((from && t->m.from != from) || (to && t->m.to != to) ||
		    (type && strcmp(type, msg_names[t->m.type]))) {
			pp = &t->next;
			continue;
		}
		*pp = t->next;
		fmt_msg(env->line, sizeof(env->line), &t->m);
		out(env, "  drop %s\n", env->line);
		msg_free(t);
		any = true;
	}
	env->tail = pp;
	if (!any)
		out(env, "no messages\n");
}

static void cmd_msgs(struct trace_env *env)
{
	struct t_msg *t;

	for (t = env->head; t; t = t->next) {
		fmt_msg(env->line, sizeof(env->line), &t->m);
		out(env, "  %s\n", env->line);
	}
	if (!env->head)
		out(env, "no messages\n");
}

/* partition 1 2 | 3: no link between the groups; heal: every link again */
static void cmd_partition(struct trace_env *env, struct t_args *a)
{
	u32 group[T_MAX_NODES + 1] = { 0 }, g = 1, i, j;
	u64 id;

	for (i = 1; i < a->n; i++) {
		if (!strcmp(a->key[i], "|"))
			g++;
		else if (parse_u64(a->key[i], &id) && id && id <= env->n)
			group[id] = g;
	}
	for (i = 1; i <= env->n; i++)
		for (j = 1; j <= env->n; j++)
			env->cut[i][j] = group[i] != group[j];
}

static void cmd_heal(struct trace_env *env)
{
	memset(env->cut, 0, sizeof(env->cut));
}

/* crash ID [lose=N]: stop it; lose=N: a torn tail cuts N disk entries */
static void cmd_crash(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	u64 lose = arg_u64(a, "lose", 0);

	if (!nd)
		return;
	node_stop(nd);
	nd->disk.n -= lose < nd->disk.n ? lose : nd->disk.n;
}

static void cmd_restart(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);

	if (!nd)
		return;
	node_stop(nd);
	node_start(env, nd->cfg.id);
	show_status(env, nd->cfg.id);
}

/*
 * set-disk ID [term=T] [vote=V] [log=T,T,...] [keep-log]: replace node
 * ID's disk (entry i has the i-th term and data "i"; keep-log: only the
 * hard state, and log= appends) and restart it from there.
 */
static void cmd_set_disk(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	const char *log = arg(a, "log");

	if (!nd)
		return;
	node_stop(nd);
	nd->disk.term = arg_u64(a, "term", 0);
	nd->disk.vote = arg_u64(a, "vote", 0);
	if (!has_word(a, "keep-log"))
		nd->disk.n = 0;
	while (log && *log) {
		struct raft_entry e = { 0 };
		char num[24], d[24];
		u32 k = 0;

		while (*log && *log != ',' && k < sizeof(num) - 1)
			num[k++] = *log++;
		num[k] = 0;
		if (*log == ',')
			log++;
		if (!parse_u64(num, &e.term)) {
			out(env, "error: bad log term %s\n", num);
			return;
		}
		snprintf(d, sizeof(d), "%llu", (unsigned long long)nd->disk.n + 1);
		e.session = 1000;
		e.seq = nd->disk.n + 1;
		e.data = (const u8 *)d;
		e.len = strlen(d);
		disk_put(&nd->disk, nd->disk.n + 1, &e);
	}
	nd->commit = 0;
	node_start(env, nd->cfg.id);
	show_status(env, nd->cfg.id);
}

/*
 * propose ID DATA [session=S] [seq=Q] [cookie=C] [start=I] [timeout=T]
 *	[size=N] [accept_only] [first_try]: one raft_propose_in(); default
 *	session is the node's id, seq counts up per node, cookie counts up.
 *	DATA "" is empty; size=N sends N bytes 'x' instead.
 */
static void cmd_propose(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);
	struct raft_proposal p = { 0 };
	u8 *big = NULL;
	u64 size;
	int rc;

	if (!nd || a->n < 3 || a->val[2]) {
		out(env, "error: propose ID DATA\n");
		return;
	}
	p.session = arg_u64(a, "session", nd->cfg.id);
	p.seq = arg_u64(a, "seq", 0);
	if (!p.seq)
		p.seq = ++nd->seq;
	p.cookie = arg_u64(a, "cookie", 0);
	if (!p.cookie)
		p.cookie = ++env->cookie;
	p.start = arg_u64(a, "start", 0);
	p.timeout = arg_u64(a, "timeout", 0);
	p.accept_only = has_word(a, "accept_only");
	p.first_try = has_word(a, "first_try");
	p.data = a->key[2];
	p.len = strcmp(a->key[2], "\"\"") ? strlen(a->key[2]) : 0;
	size = arg_u64(a, "size", 0);
	if (size) {
		big = raft_alloc(size);
		if (!big)
			return;
		memset(big, 'x', size);
		p.data = big;
		p.len = size;
	}
	if (!nd->up) {
		raft_free(big);
		out(env, "error: node is down\n");
		return;
	}
	rc = raft_propose_in(nd->r, &p);
	raft_free(big);
	nd->dirty = true;
	out(env, "propose cookie=%llu s%llu.%llu: %s\n",
	    (unsigned long long)p.cookie, (unsigned long long)p.session,
	    (unsigned long long)p.seq, err_name(rc));
}

/* can-propose ID: raft_can_propose() */
static void cmd_can_propose(struct trace_env *env, struct t_args *a)
{
	struct t_node *nd = node_arg(env, a, 1);

	if (nd && nd->up)
		out(env, "%u can propose: %s\n", nd->cfg.id,
		    raft_can_propose(nd->r) ? "yes" : "no");
}

/* proposal-state ID T/I: raft_proposal_state() of an accepted entry */
static void cmd_proposal_state(struct trace_env *env, struct t_args *a)
{
	static const char *const names[] = {
		[RAFT_PROPOSAL_PENDING] = "PENDING",
		[RAFT_PROPOSAL_COMMITTED] = "COMMITTED",
		[RAFT_PROPOSAL_LOST] = "LOST",
	};
	struct t_node *nd = node_arg(env, a, 1);
	enum raft_proposal_state ps;
	u64 t, i;

	if (!nd || !nd->up || a->n < 3 || !parse_ti(a->key[2], &t, &i)) {
		out(env, "error: proposal-state ID T/I\n");
		return;
	}
	ps = raft_proposal_state(nd->r, i, t);
	out(env, "%llu/%llu %s\n", (unsigned long long)t,
	    (unsigned long long)i, ps <= RAFT_PROPOSAL_LOST ? names[ps] : "?");
}

/* dup [from=X] [to=Y] [type=NAME]: the network duplicates queued messages */
static void cmd_dup(struct trace_env *env, struct t_args *a)
{
	u64 from = arg_u64(a, "from", 0), to = arg_u64(a, "to", 0);
	const char *type = arg(a, "type");
	struct t_msg *t, *last = NULL;
	bool any = false;

	for (t = env->head; t; t = t->next)
		last = t;
	for (t = env->head; t; t = t->next) {
		if (!((from && t->m.from != from) || (to && t->m.to != to) ||
		      (type && strcmp(type, msg_names[t->m.type])))) {
			fmt_msg(env->line, sizeof(env->line), &t->m);
			out(env, "  dup %s\n", env->line);
			net_send(env, &t->m, NULL);
			any = true;
		}
		if (t == last)
			break;
	}
	if (!any)
		out(env, "no messages\n");
}

static int msg_type(const char *s)
{
	int i;

	for (i = 1; i <= RAFT_MSG_TYPE_MAX; i++)
		if (!strcmp(s, msg_names[i]))
			return i;
	return 0;
}

/*
 * send FROM->TO TYPE term=T [log=T/I] [granted] [prev=T/I] [commit=C]
 *	[entries=T,T,...] [ok|reject] [index=I] [hint=T/I]: step a message
 *	made by hand into TO (in no ready of FROM), e.g. one a long dead
 *	leader sent. APPEND entries get data "I" by their index.
 */
static void cmd_send(struct trace_env *env, struct t_args *a)
{
	struct raft_entry *es = env->send_es;
	char (*data)[24] = env->send_data;
	struct t_msg t = { 0 };
	struct raft_msg *m = &t.m;
	u64 from, to, x, y;
	char *arrow, *s = env->line;
	const char *v;
	u32 n = 0;

	arrow = a->n >= 3 ? strstr(a->key[1], "->") : NULL;
	if (!arrow) {
		out(env, "error: send FROM->TO TYPE ...\n");
		return;
	}
	*arrow = 0;
	m->type = msg_type(a->key[2]);
	if (!parse_u64(a->key[1], &from) || !parse_u64(arrow + 2, &to) ||
	    !to || to > env->n || !m->type) {
		out(env, "error: bad send\n");
		return;
	}
	m->from = from;
	m->to = to;
	m->term = arg_u64(a, "term", 0);
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		if (parse_ti(arg(a, "log"), &x, &y)) {
			m->vote.last_term = x;
			m->vote.last_index = y;
		}
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		m->vote_resp.granted = has_word(a, "granted");
		break;
	case RAFT_MSG_APPEND:
		if (parse_ti(arg(a, "prev"), &x, &y)) {
			m->append.prev_term = x;
			m->append.prev_index = y;
		}
		m->append.commit = arg_u64(a, "commit", 0);
		v = arg(a, "entries");
		while (v && *v && n < 64) {
			char num[24];
			u32 k = 0;

			while (*v && *v != ',' && k < sizeof(num) - 1)
				num[k++] = *v++;
			num[k] = 0;
			if (*v == ',')
				v++;
			memset(&es[n], 0, sizeof(es[n]));
			parse_u64(num, &es[n].term);
			snprintf(data[n], sizeof(data[n]), "%llu",
				 (unsigned long long)m->append.prev_index + 1 + n);
			es[n].session = 1000;
			es[n].seq = m->append.prev_index + 1 + n;
			es[n].data = (const u8 *)data[n];
			es[n].len = strlen(data[n]);
			n++;
		}
		m->append.n_entries = n;
		m->append.entries = es;
		break;
	case RAFT_MSG_APPEND_RESP:
		m->append_resp.success = has_word(a, "ok");
		m->append_resp.index = arg_u64(a, "index", 0);
		if (parse_ti(arg(a, "hint"), &x, &y)) {
			m->append_resp.hint_term = x;
			m->append_resp.hint_index = y;
		}
		break;
	case RAFT_MSG_HEARTBEAT:
		m->heartbeat.commit = arg_u64(a, "commit", 0);
		break;
	default:
		break;
	}
	if (!env->nd[to].up) {
		out(env, "error: node is down\n");
		return;
	}
	fmt_msg(s, sizeof(env->line), m);
	out(env, "> %llu receive %s\n", (unsigned long long)to, env->line);
	net_step(env, &t);
}

void trace_env_run(struct trace_env *env, const char *cmd, char **buf,
		   size_t *len, size_t *cap)
{
	static struct t_args a;
	const char *c;

	env->buf = buf;
	env->len = len;
	env->cap = cap;
	split(&a, cmd);
	if (!a.n)
		return;
	c = a.key[0];
	if (!strcmp(c, "add-nodes"))
		cmd_add_nodes(env, &a);
	else if (!strcmp(c, "status"))
		cmd_status(env, &a);
	else if (!strcmp(c, "log"))
		cmd_log(env, &a);
	else if (!strcmp(c, "tick"))
		cmd_tick(env, &a, 0);
	else if (!strcmp(c, "tick-heartbeat"))
		cmd_tick(env, &a, env->n ? env->nd[1].cfg.heartbeat_ticks : 1);
	else if (!strcmp(c, "campaign"))
		cmd_campaign(env, &a);
	else if (!strcmp(c, "process-ready"))
		cmd_process_ready(env, &a);
	else if (!strcmp(c, "deliver-msgs"))
		cmd_deliver(env, &a);
	else if (!strcmp(c, "stabilize"))
		cmd_stabilize(env, &a);
	else if (!strcmp(c, "drop"))
		cmd_drop(env, &a);
	else if (!strcmp(c, "msgs"))
		cmd_msgs(env);
	else if (!strcmp(c, "partition"))
		cmd_partition(env, &a);
	else if (!strcmp(c, "heal"))
		cmd_heal(env);
	else if (!strcmp(c, "crash"))
		cmd_crash(env, &a);
	else if (!strcmp(c, "restart"))
		cmd_restart(env, &a);
	else if (!strcmp(c, "set-disk"))
		cmd_set_disk(env, &a);
	else if (!strcmp(c, "propose"))
		cmd_propose(env, &a);
	else if (!strcmp(c, "send"))
		cmd_send(env, &a);
	else if (!strcmp(c, "dup"))
		cmd_dup(env, &a);
	else if (!strcmp(c, "can-propose"))
		cmd_can_propose(env, &a);
	else if (!strcmp(c, "proposal-state"))
		cmd_proposal_state(env, &a);
	else if (!strcmp(c, "join"))
		cmd_join(env, &a);
	else if (!strcmp(c, "change"))
		cmd_change(env, &a);
	else if (!strcmp(c, "transfer"))
		cmd_transfer(env, &a);
	else if (!strcmp(c, "members"))
		cmd_members(env, &a);
	else
		out(env, "error: unknown command %s\n", c);
}

struct trace_env *trace_env_new(void)
{
	struct trace_env *env = raft_alloc(sizeof(*env));

	if (!env)
		return NULL;
	memset(env, 0, sizeof(*env));
	env->tail = &env->head;
	return env;
}

void trace_env_free(struct trace_env *env)
{
	struct t_msg *t;
	u32 i;

	if (!env)
		return;
	while ((t = env->head)) {
		env->head = t->next;
		msg_free(t);
	}
	for (i = 1; i <= env->n; i++) {
		struct t_disk *d = &env->nd[i].disk;
		u64 j;

		node_stop(&env->nd[i]);
		for (j = 0; j < d->alloc; j++)
			raft_free(d->log[j].buf);
		raft_free(d->log);
	}
	raft_free(env);
}

/* ---- trace files ------------------------------------------------------------- */

void trace_buf_add(struct trace_buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = (b->n + n + 1) * 2;
		char *p = raft_realloc(b->p, b->cap, nc);

		if (!p)
			return;
		b->p = p;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void buf_str(struct trace_buf *b, const char *s)
{
	trace_buf_add(b, s, strlen(s));
}

/* Next line of @s (without its newline) from *@pos, or NULL at the end. */
static char *next_line(char *s, size_t *pos)
{
	char *l = s + *pos;

	if (!*l)
		return NULL;
	while (s[*pos] && s[*pos] != '\n')
		(*pos)++;
	if (s[*pos])
		s[(*pos)++] = 0;
	return l;
}

/* Describes the first line where @want and @got differ into @why. */
static void describe_diff(struct trace_buf *why, const char *name, int line,
			  const char *cmd, const char *want, const char *got)
{
	char head[1200];
	int l = 0;

	snprintf(head, sizeof(head), "%s:%d: %s\n", name, line, cmd);
	buf_str(why, head);
	for (;;) {
		const char *we = strchr(want, '\n'), *ge = strchr(got, '\n');
		size_t wn = we ? (size_t)(we - want) : strlen(want);
		size_t gn = ge ? (size_t)(ge - got) : strlen(got);

		l++;
		if (wn != gn || memcmp(want, got, wn)) {
			snprintf(head, sizeof(head), "  output line %d:\n  want: ",
				 l);
			buf_str(why, head);
			trace_buf_add(why, want, wn);
			buf_str(why, *want ? "\n  got:  " :
				"(end of output)\n  got:  ");
			trace_buf_add(why, got, gn);
			buf_str(why, *got ? "\n" : "(end of output)\n");
			return;
		}
		if (!we || !ge)
			return;
		want = we + 1;
		got = ge + 1;
	}
}

int trace_run_text(char *text, const char *name, struct trace_buf *file,
		   struct trace_buf *why)
{
	struct trace_buf want = { 0 }, got = { 0 };
	struct trace_env *env = trace_env_new();
	int lineno = 0, bad = 0;
	size_t pos = 0;
	char *l;

	if (!env)
		return -1;
	while ((l = next_line(text, &pos))) {
		int cmd_line = ++lineno;
		const char *cmd = l;

		buf_str(file, l);
		buf_str(file, "\n");
		if (!*l || *l == '#')
			continue;
		l = next_line(text, &pos);
		lineno++;
		if (!l || strcmp(l, "----")) {
			char m[1200];

			snprintf(m, sizeof(m), "%s:%d: expected ---- after \"%s\"\n",
				 name, lineno, cmd);
			buf_str(why, m);
			bad = -1;
			break;
		}
		want.n = 0;
		buf_str(&want, "");
		while ((l = next_line(text, &pos))) {
			lineno++;
			if (!*l)
				break;
			buf_str(&want, l);
			buf_str(&want, "\n");
		}
		got.n = 0;
		buf_str(&got, "");
		trace_env_run(env, cmd, &got.p, &got.n, &got.cap);
		if (strcmp(want.p, got.p)) {
			describe_diff(why, name, cmd_line, cmd, want.p, got.p);
			bad++;
		}
		buf_str(file, "----\n");
		buf_str(file, got.p);
		if (l)
			buf_str(file, "\n");
	}
	trace_env_free(env);
	raft_free(want.p);
	raft_free(got.p);
	return bad;
}
