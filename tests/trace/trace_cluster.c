// SPDX-License-Identifier: GPL-2.0
/* The trace engine's the cluster: disks, nodes, the network, and handling a ready. */
#include "trace_int.h"

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

TRACE_FN void disk_put(struct t_disk *d, u64 idx, const struct raft_entry *e)
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

TRACE_FN void node_start(struct trace_env *env, u32 id)
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

TRACE_FN void node_stop(struct t_node *nd)
{
	if (nd->r)
		raft_destroy(nd->r);
	nd->r = NULL;
	nd->up = false;
}

/* ---- network ----------------------------------------------------------------- */

TRACE_FN void msg_free(struct t_msg *t)
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
TRACE_FN void net_send(struct trace_env *env, const struct raft_msg *m,
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
TRACE_FN void net_step(struct trace_env *env, struct t_msg *t)
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
TRACE_FN bool node_ready(struct trace_env *env, u32 id)
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
TRACE_FN bool deliver(struct trace_env *env, const bool *set, bool quiet_none)
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
