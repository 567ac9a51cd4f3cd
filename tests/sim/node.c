// SPDX-License-Identifier: GPL-2.0
/*
 * Test node: drives one struct raft like the kernel's event loop does and
 * keeps its disk. See node.h.
 */
#include "node.h"

#include <inttypes.h>

#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

u64 th_hash(const void *p, size_t len, u64 h)
{
	const u8 *b = p;
	size_t i;

	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= FNV_PRIME;
	}
	return h;
}

u64 th_entry_hash(const struct raft_entry *e)
{
	u64 h = FNV_OFFSET;

	h = th_hash(&e->type, sizeof(e->type), h);
	h = th_hash(&e->session, sizeof(e->session), h);
	h = th_hash(&e->seq, sizeof(e->seq), h);
	h = th_hash(&e->len, sizeof(e->len), h);
	return th_hash(e->data, e->len, h);
}

u64 th_chain(u64 prev, u64 term, u64 dh)
{
	u64 h = th_hash(&prev, sizeof(prev), FNV_OFFSET);

	h = th_hash(&term, sizeof(term), h);
	return th_hash(&dh, sizeof(dh), h);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "out of memory\n");
		abort();
	}
	return p;
}

struct tmsg *tmsg_clone(const struct raft_msg *m)
{
	size_t bytes = 0, off = 0;
	struct tmsg *t;
	u32 i;

	if (m->type == RAFT_MSG_APPEND) {
		for (i = 0; i < m->append.n_entries; i++)
			bytes += m->append.entries[i].len;
	} else if (m->type == RAFT_MSG_PROPOSE) {
		bytes = m->propose.len;
	}
	t = xmalloc(sizeof(*t));
	t->m = *m;
	t->ents = NULL;
	t->buf = xmalloc(bytes);
	if (m->type == RAFT_MSG_APPEND) {
		t->ents = xmalloc(sizeof(*t->ents) * (m->append.n_entries + 1));
		for (i = 0; i < m->append.n_entries; i++) {
			const struct raft_entry *e = &m->append.entries[i];

			t->ents[i] = *e;
			if (e->len)
				memcpy(t->buf + off, e->data, e->len);
			t->ents[i].data = t->buf + off;
			off += e->len;
		}
		t->m.append.entries = t->ents;
	} else if (m->type == RAFT_MSG_PROPOSE) {
		if (bytes)
			memcpy(t->buf, m->propose.data, bytes);
		t->m.propose.data = t->buf;
	}
	return t;
}

void tmsg_free(struct tmsg *t)
{
	if (!t)
		return;
	free(t->ents);
	free(t->buf);
	free(t);
}

void tn_violation(struct tnode *n, const char *what, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (n->hooks && n->hooks->violation)
		n->hooks->violation(n->hooks->ctx, n, what, detail);
	else
		fprintf(stderr, "node %u: %s: %s\n", n->id, what, detail);
}

static void disk_truncate(struct disk *d, u64 last)
{
	while (d->n > last) {
		free(d->log[d->n - 1].data);
		d->n--;
	}
	if (d->durable > d->n)
		d->durable = d->n;
}

static void disk_append(struct disk *d, const struct raft_entry *src)
{
	u64 term = src->term;
	u32 len = src->len;
	u8 type = src->type;
	struct dentry *e;
	u64 prev;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->log = realloc(d->log, d->cap * sizeof(*d->log));
		if (!d->log)
			abort();
	}
	e = &d->log[d->n];
	e->term = term;
	e->session = src->session;
	e->seq = src->seq;
	e->len = len;
	e->crc = src->crc;
	e->type = type;
	e->data = xmalloc(len);
	if (len)
		memcpy(e->data, src->data, len);
	e->dh = th_entry_hash(src);
	prev = d->n ? d->log[d->n - 1].chain : 0;
	e->chain = th_chain(prev, term, e->dh);
	d->n++;
}

void tn_disk_append(struct tnode *n, u64 term, u8 type, const void *data,
		    u32 len)
{
	struct raft_entry e = { .term = term, .type = type, .data = data,
				.len = len };

	/* as a leader would have made it at the next index */
	e.crc = raft_entry_crc(n->disk.n + 1, &e);
	disk_append(&n->disk, &e);
	n->disk.durable = n->disk.n;
}

int tn_init(struct tnode *n, const struct raft_config *cfg,
	    const struct tn_hooks *hooks)
{
	memset(n, 0, sizeof(*n));
	n->id = cfg->id;
	n->cfg = *cfg;
	n->hooks = hooks;
	n->keep = TN_KEEP_ALL;
	return 0;
}

/* Let the core forget all but the last @keep durable entries. */
static void release(struct tnode *n)
{
	struct raft_status st;

	if (n->keep == TN_KEEP_ALL)
		return;
	raft_get_status(n->r, &st);
	if (st.stable_index > n->keep)
		raft_release(n->r, st.stable_index - n->keep);
}

bool tn_entry(const struct tnode *n, u64 index, struct raft_entry *out)
{
	const struct raft_entry *e = raft_entry_at(n->r, index);
	const struct dentry *d;
	struct raft_status st;

	if (e) {
		*out = *e;
		return true;
	}
	raft_get_status(n->r, &st);
	/* released entries are durable: the disk has them as the core had */
	if (!index || index >= st.mem_first || index > n->disk.n)
		return false;
	d = &n->disk.log[index - 1];
	*out = (struct raft_entry){ .term = d->term, .session = d->session,
				    .seq = d->seq, .len = d->len,
				    .crc = d->crc, .type = d->type,
				    .data = d->data };
	return true;
}

int tn_start(struct tnode *n, u64 seed)
{
	struct raft_config cfg = n->cfg;
	u64 i;

	cfg.seed = seed;
	n->r = raft_create(&cfg);
	if (!n->r) {
		tn_violation(n, "create", "raft_create failed");
		return -1;
	}
	if (n->disk.term || n->disk.vote)
		raft_restore_hardstate(n->r, n->disk.term, n->disk.vote);
	for (i = 0; i < n->disk.n; i++) {
		const struct dentry *d = &n->disk.log[i];
		struct raft_entry e = {
			.term = d->term, .session = d->session, .seq = d->seq,
			.len = d->len, .crc = d->crc, .type = d->type,
			.data = d->data,
		};
		int rc = raft_restore_entry(n->r, &e);

		if (rc != RAFT_OK) {
			tn_violation(n, "restore",
				     "raft_restore_entry(%" PRIu64 ") = %d",
				     i + 1, rc);
			return -1;
		}
		release(n);
	}
	return 0;
}

static void drop_held(struct tnode *n, u32 i)
{
	tmsg_free(n->held[i].t);
	memmove(&n->held[i], &n->held[i + 1],
		(n->n_held - i - 1) * sizeof(*n->held));
	n->n_held--;
	n->held_dropped++;
}

void tn_crash(struct tnode *n)
{
	n->in_ready = false;
	if (n->r)
		raft_destroy(n->r);
	n->r = NULL;
	/* what was written but not durable is gone, and so is the fsync */
	while (n->n_held)
		drop_held(n, n->n_held - 1);
	n->syncing = false;
	disk_truncate(&n->disk, n->disk.durable);
}

int tn_restart(struct tnode *n, u64 seed)
{
	tn_crash(n);
	n->restarts++;
	return tn_start(n, seed);
}

void tn_free(struct tnode *n)
{
	tn_crash(n);
	disk_truncate(&n->disk, 0);
	free(n->held);
	n->held = NULL;
	n->cap_held = 0;
	free(n->disk.log);
	n->disk.log = NULL;
	n->disk.cap = 0;
}

static bool is_member(const struct tnode *n, u32 id)
{
	u32 i;

	if (n->any_peer)
		return id != 0;
	for (i = 0; i < n->cfg.n_nodes; i++)
		if (n->cfg.nodes[i] == id)
			return true;
	return false;
}

/*
 * The durability contract (the ready cycle in kmod/raft/raft.h; README,
 * "Durability"), judged against what is on disk at the moment @m leaves the
 * node.
 */
static void check_msg(struct tnode *n, const struct raft_msg *m,
		      const char *phase)
{
	const struct disk *d = &n->disk;
	char s[160];

	tn_msg_str(m, s, sizeof(s));
	if (m->from != n->id || m->to == n->id || !is_member(n, m->to)) {
		tn_violation(n, "bad-address", "%s message %s", phase, s);
		return;
	}
	if (m->type == RAFT_MSG_PREVOTE || m->type == RAFT_MSG_PREVOTE_RESP)
		return;	/* a pre-vote's term is hypothetical: never stored */
	/* every message's term, even a reply that promises nothing */
	if (m->term > d->term)
		tn_violation(n, "durability-term",
			     "%s message %s sent while durable term is %" PRIu64,
			     phase, s, d->term);
	/*
	 * A newer durable term supersedes a promise made in an older one:
	 * the node can never vote or accept entries in that term again.
	 */
	if (d->term > m->term)
		return;
	if (m->type == RAFT_MSG_VOTE_RESP && m->vote_resp.granted &&
	    d->vote != m->to)
		tn_violation(n, "durability-vote",
			     "%s message %s sent while durable vote is %u in term %" PRIu64,
			     phase, s, d->vote, d->term);
	if (m->type == RAFT_MSG_APPEND_RESP && m->append_resp.success &&
	    m->append_resp.index > d->durable)
		tn_violation(n, "durability-entries",
			     "%s message %s acknowledges entries beyond durable index %" PRIu64,
			     phase, s, d->durable);
}

/*
 * What the kernel glue does for an APPEND the core left to its storage:
 * entries from the disk, at least one, as many as fit max_msg_bytes.
 */
static bool load_append(struct tnode *n, struct raft_msg *m,
			struct raft_entry *ents)
{
	u64 first = m->append.prev_index + 1;
	u32 i, bytes = 0;

	if (!m->append.n_entries || first + m->append.n_entries - 1 > n->disk.n) {
		tn_violation(n, "load", "APPEND asks for %u entries from %" PRIu64 " with %" PRIu64 " on disk",
			     m->append.n_entries, first, n->disk.n);
		return false;
	}
	for (i = 0; i < m->append.n_entries; i++) {
		const struct dentry *d = &n->disk.log[first + i - 1];

		bytes += RAFT_ENTRY_OVERHEAD + d->len;
		if (i && bytes > n->cfg.max_msg_bytes)
			break;
		ents[i] = (struct raft_entry){ .term = d->term,
					       .session = d->session,
					       .seq = d->seq, .len = d->len,
					       .crc = d->crc, .type = d->type,
					       .data = d->data };
	}
	m->append.n_entries = i;
	m->append.entries = ents;
	n->loads++;
	m->append.load = false;
	return true;
}

static void send_one(struct tnode *n, const struct raft_msg *m, bool late)
{
	check_msg(n, m, late ? "late" : "early");
	if (n->hooks && n->hooks->send)
		n->hooks->send(n->hooks->ctx, n, m);
}

/* Held messages whose point is durable leave, in the order they came. */
static void send_held(struct tnode *n)
{
	while (n->n_held && n->held[0].index <= n->disk.durable) {
		send_one(n, &n->held[0].t->m, true);
		n->held_sent++;
		n->n_held--;	/* drop_held() without counting a drop */
		tmsg_free(n->held[0].t);
		memmove(&n->held[0], &n->held[1],
			n->n_held * sizeof(*n->held));
	}
}

static void hold(struct tnode *n, const struct raft_msg *m)
{
	if (n->n_held == n->cap_held) {
		n->cap_held = n->cap_held ? 2 * n->cap_held : 16;
		n->held = realloc(n->held, n->cap_held * sizeof(*n->held));
		if (!n->held)
			abort();
	}
	n->held[n->n_held].t = tmsg_clone(m);
	n->held[n->n_held].index = n->disk.n;
	n->n_held++;
}

static void send_all(struct tnode *n, const struct raft_ready *rd, bool late)
{
	static struct raft_entry ents[RAFT_MAX_BATCH];
	u32 i;

	for (i = 0; i < rd->n_msgs; i++) {
		struct raft_msg m = rd->msgs[i];

		if (m.after_persist != late)
			continue;
		if (m.type == RAFT_MSG_APPEND && m.append.load &&
		    !load_append(n, &m, ents))
			continue;
		if (late && n->cfg.async_persist)
			hold(n, &m);
		else
			send_one(n, &m, late);
	}
	if (late && n->cfg.async_persist)
		send_held(n);
}

static void persist_hardstate(struct tnode *n, const struct raft_ready *rd)
{
	struct disk *d = &n->disk;

	if (!rd->hardstate_changed)
		return;
	if (rd->term < d->term)
		tn_violation(n, "term-decreased",
			     "ready term %" PRIu64 " below durable term %" PRIu64,
			     rd->term, d->term);
	if (rd->term == d->term && d->vote && rd->vote != d->vote)
		tn_violation(n, "vote-changed",
			     "vote changed from %u to %u within term %" PRIu64,
			     d->vote, rd->vote, d->term);
	d->term = rd->term;
	d->vote = rd->vote;
}

static u64 persist_entries(struct tnode *n, const struct raft_ready *rd)
{
	struct disk *d = &n->disk;
	u64 first = rd->entries_first;
	u32 i;

	if (!rd->n_entries)
		return d->n + 1;
	if (first < 1 || first > d->n + 1) {
		tn_violation(n, "ready-gap",
			     "entries_first %" PRIu64 " with %" PRIu64 " on disk",
			     first, d->n);
		return d->n + 1;
	}
	if (first <= d->n) {
		/* a cut: held messages that promise what it cuts never go */
		for (i = n->n_held; i-- > 0;)
			if (n->held[i].index >= first)
				drop_held(n, i);
		if (n->syncing && n->sync_to >= first)
			n->sync_to = first - 1;
	}
	disk_truncate(d, first - 1);
	for (i = 0; i < rd->n_entries; i++) {
		const struct raft_entry *e = &rd->entries[i];
		u64 prev_term = d->n ? d->log[d->n - 1].term : 0;

		if (e->term < prev_term || e->term > d->term)
			tn_violation(n, "entry-term",
				     "entry %" PRIu64 " term %" PRIu64 " after term %" PRIu64 " (durable term %" PRIu64 ")",
				     d->n + 1, e->term, prev_term, d->term);
		disk_append(d, e);
	}
	if (!n->cfg.async_persist)
		d->durable = d->n;
	return first;
}

/* The core may call stable only what is durable (async_persist). */
static void check_stable(struct tnode *n, const char *when)
{
	struct raft_status st;

	raft_get_status(n->r, &st);
	if (st.stable_index > n->disk.durable)
		tn_violation(n, "stable-not-durable",
			     "%s: core stable %" PRIu64 " but durable %" PRIu64 " of %" PRIu64 " written",
			     when, st.stable_index, n->disk.durable, n->disk.n);
}

/* Tell the core what is durable, the newest (index, term). */
static void report_durable(struct tnode *n)
{
	const struct disk *d = &n->disk;

	if (!n->r || n->in_ready || !d->durable)
		return;
	raft_persisted(n->r, d->durable, d->log[d->durable - 1].term);
	check_stable(n, "raft_persisted");
}

bool tn_sync_begin(struct tnode *n)
{
	const struct disk *d = &n->disk;

	if (!n->cfg.async_persist || !n->r || n->syncing ||
	    d->durable == d->n)
		return false;
	n->syncing = true;
	n->sync_to = d->n;
	n->sync_from_index = d->n;
	n->sync_from_term = d->log[d->n - 1].term;
	return true;
}

/* Reports the core must ignore: it would call stable what is not. */
static void report_stale(struct tnode *n, int stale)
{
	const struct disk *d = &n->disk;
	u64 index, term;

	if (!n->r || n->in_ready)
		return;
	if (stale == 1 && n->sync_to < n->sync_from_index) {
		/* what this fsync would have covered, had nothing been cut */
		index = n->sync_from_index;
		term = n->sync_from_term;
	} else if (stale == 1 && d->n > d->durable) {
		index = d->n;		/* written, not durable, wrong term */
		term = d->log[d->n - 1].term + 1;
	} else if (stale == 2 && d->durable > 1) {
		index = d->durable - 1;	/* less than already durable */
		term = d->log[index - 1].term;
	} else {
		return;
	}
	n->stale_reports++;
	raft_persisted(n->r, index, term);
	check_stable(n, "stale raft_persisted");
}

void tn_sync_end(struct tnode *n, int stale)
{
	struct disk *d = &n->disk;

	if (!n->syncing)
		return;
	if (stale == 2)
		report_durable(n);	/* so that less is truly less */
	report_stale(n, stale);
	n->syncing = false;
	n->syncs++;
	if (n->sync_to > d->durable)
		d->durable = n->sync_to;
	send_held(n);
	report_durable(n);
}

void tn_ready_begin(struct tnode *n)
{
	raft_ready(n->r, &n->rd);
	n->in_ready = true;
	n->readies++;
	send_all(n, &n->rd, false);
}

u64 tn_ready_end(struct tnode *n)
{
	struct raft_ready *rd = &n->rd;
	struct raft_status st;
	u64 first;
	u32 i;

	if (!n->in_ready) {
		tn_violation(n, "ready-end", "no ready was begun");
		return n->disk.n + 1;
	}
	persist_hardstate(n, rd);
	first = persist_entries(n, rd);
	send_all(n, rd, true);
	for (i = 0; i < rd->n_results; i++)
		if (n->hooks && n->hooks->result)
			n->hooks->result(n->hooks->ctx, n, &rd->results[i]);
	n->in_ready = false;
	raft_advance(n->r, rd);
	release(n);

	if (n->cfg.async_persist) {
		check_stable(n, "raft_advance");
		report_durable(n);
	}
	raft_get_status(n->r, &st);
	if (st.last_index != n->disk.n ||
	    (!n->cfg.async_persist && st.stable_index != n->disk.n) ||
	    (n->disk.n && st.last_term != n->disk.log[n->disk.n - 1].term))
		tn_violation(n, "log-mismatch",
			     "core last %" PRIu64 "/%" PRIu64 " stable %" PRIu64 " but disk holds %" PRIu64,
			     st.last_index, st.last_term, st.stable_index,
			     n->disk.n);
	if (st.term != n->disk.term)
		tn_violation(n, "hardstate-mismatch",
			     "core term %" PRIu64 " but disk term %" PRIu64,
			     st.term, n->disk.term);
	return first;
}

u64 tn_process_ready(struct tnode *n, bool crash_before_persist)
{
	tn_ready_begin(n);
	if (crash_before_persist) {
		tn_crash(n);
		return n->disk.n + 1;
	}
	return tn_ready_end(n);
}

int tn_drain(struct tnode *n)
{
	int k = 0;

	while (n->r && raft_has_ready(n->r)) {
		if (++k > 1000) {
			tn_violation(n, "ready-loop", "ready never drains");
			break;
		}
		tn_process_ready(n, false);
	}
	return k;
}

/* "PREVOTE" for RAFT_MSG_PREVOTE: the core's list, less the prefix. */
const char *tn_msg_name(u8 type)
{
	static const char *const names[] = {
		[RAFT_MSG_NONE] = "?",
#define RAFT_MSG_TYPE(id, value, name)	&#id[sizeof("RAFT_MSG_") - 1],
#include "raft_msg_types.h"
#undef RAFT_MSG_TYPE
	};

	if (type < 1 || type > RAFT_MSG_TYPE_MAX)
		return "?";
	return names[type];
}

void tn_msg_str(const struct raft_msg *m, char *buf, size_t cap)
{
	int k = snprintf(buf, cap, "%s %u->%u t%" PRIu64 "%s",
			 tn_msg_name(m->type), m->from, m->to, m->term,
			 m->after_persist ? " (late)" : "");

	if (k < 0 || (size_t)k >= cap)
		return;
	buf += k;
	cap -= k;
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		snprintf(buf, cap, " last=%" PRIu64 "/%" PRIu64 "%s",
			 m->vote.last_index, m->vote.last_term,
			 m->vote.transfer ? " transfer" : "");
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		snprintf(buf, cap, " %s",
			 m->vote_resp.granted ? "granted" : "rejected");
		break;
	case RAFT_MSG_APPEND:
		snprintf(buf, cap, " prev=%" PRIu64 "/%" PRIu64 " n=%u commit=%" PRIu64,
			 m->append.prev_index, m->append.prev_term,
			 m->append.n_entries, m->append.commit);
		break;
	case RAFT_MSG_APPEND_RESP:
		snprintf(buf, cap, " %s index=%" PRIu64 " hint=%" PRIu64 "/%" PRIu64,
			 m->append_resp.success ? "ok" : "reject",
			 m->append_resp.index, m->append_resp.hint_index,
			 m->append_resp.hint_term);
		break;
	case RAFT_MSG_HEARTBEAT:
		snprintf(buf, cap, " commit=%" PRIu64, m->heartbeat.commit);
		break;
	case RAFT_MSG_PROPOSE:
		snprintf(buf, cap, " s=%" PRIx64 ":%" PRIu64 " len=%u",
			 m->propose.session, m->propose.seq, m->propose.len);
		break;
	case RAFT_MSG_PROPOSE_RESP:
		snprintf(buf, cap, " s=%" PRIx64 ":%" PRIu64 " at %" PRIu64 "/%" PRIu64 " status=%d",
			 m->propose_resp.session, m->propose_resp.seq,
			 m->propose_resp.index,
			 m->propose_resp.term, m->propose_resp.status);
		break;
	default:
		break;
	}
}
