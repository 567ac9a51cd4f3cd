// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the Raft core behind the wire codec: the input is a
 * script (fuzz.h) that drives a 3-node cluster with ticks, proposals,
 * message delivery, loss, duplication, crashes with restart from what was
 * made durable (also in the middle of a ready, before it was persisted),
 * and arbitrary datagrams injected into any node.
 *
 * Every message a node sends travels as bytes: it must encode (to
 * raft_wire_size() bytes) and decode back to itself. After every ready the
 * target checks what a node may never do, whatever it is fed: lower its
 * term or its commit index, commit past its log, change an entry it has
 * committed, claim leadership for someone else, answer a proposal twice or
 * one it never had. As long as no forged datagram was injected it also
 * checks the cluster: one leader per term, and the same committed entries
 * everywhere. Any violation aborts, which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>

#include "wire.h"
#include "fuzz.h"
#include "wire_eq.h"

#define FAIL(...) do {					\
		fprintf(stderr, "fuzz_node: " __VA_ARGS__);	\
		fputc('\n', stderr);				\
		abort();					\
	} while (0)

#define MAX_QUEUE	512	/* datagrams in flight; more are lost */
#define MAX_READY_LOOPS	64	/* a node must settle within this many */
#define MAX_COOKIES	4096	/* proposals tracked per input */
#define MAX_TERMS	4096	/* leaders tracked per term */

struct datagram {
	size_t len;
	u8 *buf;
};

/* What a node made durable: survives raft_destroy() and a restart. */
struct disk {
	u64 term;
	u32 vote;
	u64 n;
	u64 cap;
	struct raft_entry *ents;	/* data owned here */
};

struct node {
	struct raft *r;
	struct raft_config cfg;
	struct disk disk;
	u64 term;		/* never goes down, but to the durable one */
	u64 commit;		/* since the last restart: never goes down */
	bool crash_pending;	/* crash in the next ready, before persist */
	u64 n_committed;	/* committed terms this life, as first seen */
	u64 cap_committed;
	u64 *committed;
};

/* A proposal handed to raft_propose(); answered at most once. */
struct cookie {
	u8 node;
	bool answered;
};

static struct node nodes[FUZZ_NODES];
static struct datagram queue[MAX_QUEUE];
static u32 q_head, q_len;
static struct cookie cookies[MAX_COOKIES];
static u32 n_cookies;
static u32 leader_of[MAX_TERMS];
static u64 *cluster_committed;	/* term at each committed index */
static u64 n_cluster_committed, cap_cluster_committed;
static bool forged;		/* an injected datagram was stepped */

static struct raft_entry rx_ents[RAFT_MAX_BATCH];
static u8 tx_buf[RAFT_WIRE_MAX_LEN];
static u8 filler[65536];	/* any u16 length */

static void *xrealloc(void *p, size_t size)
{
	p = realloc(p, size);
	if (!p)
		FAIL("out of memory");
	return p;
}

static void grow_u64(u64 **arr, u64 *cap, u64 need)
{
	if (need <= *cap)
		return;
	*cap = need * 2;
	*arr = xrealloc(*arr, *cap * sizeof(**arr));
}

/* --- input --------------------------------------------------------------- */

struct input {
	const u8 *p;
	size_t left;
};

static bool take(struct input *in, void *out, size_t n)
{
	if (in->left < n)
		return false;
	memcpy(out, in->p, n);
	in->p += n;
	in->left -= n;
	return true;
}

static bool take_u8(struct input *in, u8 *v)
{
	return take(in, v, 1);
}

static bool take_u16(struct input *in, u16 *v)
{
	u8 b[2];

	if (!take(in, b, 2))
		return false;
	*v = raft_get_le16(b);
	return true;
}

/* --- the network --------------------------------------------------------- */

static void queue_push(const u8 *buf, size_t len)
{
	struct datagram *d;

	if (q_len == MAX_QUEUE)
		return;		/* lost, as UDP would */
	d = &queue[(q_head + q_len++) % MAX_QUEUE];
	d->buf = xrealloc(NULL, len);
	memcpy(d->buf, buf, len);
	d->len = len;
}

static bool queue_pop(struct datagram *d)
{
	if (!q_len)
		return false;
	*d = queue[q_head];
	q_head = (q_head + 1) % MAX_QUEUE;
	q_len--;
	return true;
}

/* Encode a message a node sends; it must survive the trip unchanged. */
static void transmit(const struct node *n, const struct raft_msg *m)
{
	struct raft_entry ents[RAFT_MAX_BATCH];
	struct raft_msg back;
	size_t size;
	int len, err;

	/*
	 * After a forged datagram the core may answer its made-up sender
	 * (a refusal at our term, a forged CONFIG's members): the kernel's
	 * transport drops what has no address, and so do we.
	 */
	if (forged && m->from == n->cfg.id && m->to != n->cfg.id &&
	    (m->to < 1 || m->to > FUZZ_NODES))
		return;
	if (m->from != n->cfg.id || m->to < 1 || m->to > FUZZ_NODES ||
	    m->to == n->cfg.id)
		FAIL("node %u sends from %u to %u", n->cfg.id, m->from, m->to);
	size = raft_wire_size(m);
	len = raft_wire_encode(m, FUZZ_CLUSTER_ID, tx_buf, sizeof(tx_buf));
	/* The kernel glue drops (and logs) what does not encode. */
	if (len < 0)
		FAIL("node %u: type %u term %llu does not encode: %s",
		     n->cfg.id, m->type, (unsigned long long)m->term,
		     raft_wire_strerror(len));
	if ((size_t)len != size)
		FAIL("encode wrote %d bytes, raft_wire_size says %zu", len,
		     size);
	err = raft_wire_decode(tx_buf, (size_t)len, FUZZ_CLUSTER_ID,
			       RAFT_ENTRY_SIZE_LIMIT, &back, ents,
			       RAFT_MAX_BATCH);
	if (err)
		FAIL("type %u does not decode: %s", m->type,
		     raft_wire_strerror(err));
	if (!wire_msg_eq(m, &back))
		FAIL("type %u changes on the wire", m->type);
	queue_push(tx_buf, (size_t)len);
}

/* --- durability ---------------------------------------------------------- */

static void disk_truncate(struct disk *d, u64 n)
{
	while (d->n > n)
		free((void *)d->ents[--d->n].data);
}

static void disk_append(struct disk *d, const struct raft_entry *e)
{
	struct raft_entry *c;
	u8 *data = NULL;

	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 64;
		d->ents = xrealloc(d->ents, d->cap * sizeof(*d->ents));
	}
	if (e->len) {
		data = xrealloc(NULL, e->len);
		memcpy(data, e->data, e->len);
	}
	c = &d->ents[d->n++];
	*c = *e;
	c->data = data;
}

static void persist(struct node *n, const struct raft_ready *rd)
{
	u32 i;

	if (rd->hardstate_changed) {
		n->disk.term = rd->term;
		n->disk.vote = rd->vote;
	}
	if (!rd->n_entries)
		return;
	if (!rd->entries_first || rd->entries_first > n->disk.n + 1)
		FAIL("node %u persists from %llu, disk holds %llu", n->cfg.id,
		     (unsigned long long)rd->entries_first,
		     (unsigned long long)n->disk.n);
	disk_truncate(&n->disk, rd->entries_first - 1);
	for (i = 0; i < rd->n_entries; i++)
		disk_append(&n->disk, &rd->entries[i]);
}

/* --- checks -------------------------------------------------------------- */

static void check_committed(struct node *n, const struct raft_status *st)
{
	const struct raft_entry *e;
	u64 i;

	/* What this node committed in this life stays as it was. */
	for (i = 1; i <= n->n_committed; i++)
		if (raft_entry_at(n->r, i)->term != n->committed[i - 1])
			FAIL("node %u changed committed entry %llu", st->id,
			     (unsigned long long)i);
	grow_u64(&n->committed, &n->cap_committed, st->commit_index);
	for (i = n->n_committed + 1; i <= st->commit_index; i++) {
		e = raft_entry_at(n->r, i);
		if (!e)
			FAIL("node %u committed %llu but has no entry",
			     st->id, (unsigned long long)i);
		n->committed[i - 1] = e->term;
	}
	n->n_committed = st->commit_index;
	if (forged)
		return;
	/* State machine safety: every node commits the same entries. */
	grow_u64(&cluster_committed, &cap_cluster_committed, st->commit_index);
	for (i = 1; i <= st->commit_index; i++) {
		u64 t = raft_entry_at(n->r, i)->term;

		if (i > n_cluster_committed) {
			cluster_committed[i - 1] = t;
			n_cluster_committed = i;
		} else if (cluster_committed[i - 1] != t) {
			FAIL("node %u committed term %llu at %llu, another %llu",
			     st->id, (unsigned long long)t,
			     (unsigned long long)i,
			     (unsigned long long)cluster_committed[i - 1]);
		}
	}
}

static void check_status(struct node *n)
{
	struct raft_status st;

	raft_get_status(n->r, &st);
	if (st.id != n->cfg.id || st.role > RAFT_LEADER)
		FAIL("node %u: bad id %u or role %d", n->cfg.id, st.id,
		     st.role);
	if (st.term < n->term)
		FAIL("node %u: term went from %llu to %llu", st.id,
		     (unsigned long long)n->term, (unsigned long long)st.term);
	n->term = st.term;
	if (st.commit_index < n->commit)
		FAIL("node %u: commit went from %llu to %llu", st.id,
		     (unsigned long long)n->commit,
		     (unsigned long long)st.commit_index);
	n->commit = st.commit_index;
	if (st.commit_index > st.last_index || st.stable_index > st.last_index ||
	    st.first_index != 1 || raft_commit_index(n->r) != st.commit_index)
		FAIL("node %u: commit %llu stable %llu first %llu last %llu",
		     st.id, (unsigned long long)st.commit_index,
		     (unsigned long long)st.stable_index,
		     (unsigned long long)st.first_index,
		     (unsigned long long)st.last_index);
	if (st.role == RAFT_LEADER && (st.leader != st.id || !st.term))
		FAIL("node %u leads at term %llu but names %u as leader",
		     st.id, (unsigned long long)st.term, st.leader);
	if (st.role == RAFT_LEADER && !forged && st.term < MAX_TERMS) {
		if (leader_of[st.term] && leader_of[st.term] != st.id)
			FAIL("two leaders in term %llu: %u and %u",
			     (unsigned long long)st.term,
			     leader_of[st.term], st.id);
		leader_of[st.term] = st.id;
	}
	check_committed(n, &st);
}

static void check_ready(const struct node *n, const struct raft_ready *rd)
{
	u64 last = rd->entries_first + rd->n_entries - 1;
	u32 i;

	/* The entries to persist are the tail of the log, nothing else. */
	if (rd->n_entries &&
	    (rd->entries != raft_entry_at(n->r, rd->entries_first) ||
	     !raft_entry_at(n->r, last) || raft_entry_at(n->r, last + 1)))
		FAIL("node %u: ready entries %llu..%llu are not the log's tail",
		     n->cfg.id, (unsigned long long)rd->entries_first,
		     (unsigned long long)last);
	if (rd->commit_index != raft_commit_index(n->r))
		FAIL("node %u: ready commit %llu, core says %llu", n->cfg.id,
		     (unsigned long long)rd->commit_index,
		     (unsigned long long)raft_commit_index(n->r));
	for (i = 0; i < rd->n_results; i++) {
		const struct raft_proposal_result *res = &rd->results[i];
		struct cookie *c;

		if (res->cookie >= n_cookies)
			FAIL("node %u answers unknown cookie %llu", n->cfg.id,
			     (unsigned long long)res->cookie);
		c = &cookies[res->cookie];
		if (c->node != n - nodes || c->answered)
			FAIL("node %u answers cookie %llu twice or not its own",
			     n->cfg.id, (unsigned long long)res->cookie);
		c->answered = true;
		if (res->status > RAFT_OK || res->status < RAFT_ELOST ||
		    (res->status == RAFT_OK && (!res->index || !res->term)))
			FAIL("node %u: result status %d at %llu/%llu",
			     n->cfg.id, res->status,
			     (unsigned long long)res->index,
			     (unsigned long long)res->term);
	}
}

static void restart(struct node *n);

/* Run a node's ready loop the way the kernel glue does. */
static void settle(struct node *n)
{
	struct raft_ready rd;
	u32 loops = 0, i;

	while (raft_has_ready(n->r)) {
		if (++loops > MAX_READY_LOOPS)
			FAIL("node %u never settles", n->cfg.id);
		raft_ready(n->r, &rd);
		check_ready(n, &rd);
		for (i = 0; i < rd.n_msgs; i++)
			if (!rd.msgs[i].after_persist)
				transmit(n, &rd.msgs[i]);
		if (n->crash_pending) {
			/* what was not persisted is lost, messages are not */
			n->crash_pending = false;
			restart(n);
			return;
		}
		persist(n, &rd);
		for (i = 0; i < rd.n_msgs; i++)
			if (rd.msgs[i].after_persist)
				transmit(n, &rd.msgs[i]);
		raft_advance(n->r, &rd);
		check_status(n);
	}
}

/* --- nodes --------------------------------------------------------------- */

static void node_start(struct node *n)
{
	u64 i;

	n->r = raft_create(&n->cfg);
	if (!n->r)
		FAIL("raft_create failed");
	raft_restore_hardstate(n->r, n->disk.term, n->disk.vote);
	for (i = 0; i < n->disk.n; i++)
		if (raft_restore_entry(n->r, &n->disk.ents[i]))
			FAIL("restore entry %llu", (unsigned long long)i + 1);
	n->commit = 0;
	n->n_committed = 0;
	check_status(n);
}

/* A crash: only the disk survives; the term falls back to the durable one. */
static void restart(struct node *n)
{
	raft_destroy(n->r);
	n->term = n->disk.term;
	node_start(n);
}

static void setup(u8 sel, u8 seed)
{
	static const u32 ids[FUZZ_NODES] = { 1, 2, 3 };
	u32 i;

	for (i = 0; i < FUZZ_NODES; i++) {
		struct node *n = &nodes[i];

		memset(n, 0, sizeof(*n));
		raft_config_default(&n->cfg, ids[i], ids, FUZZ_NODES);
		n->cfg.pre_vote = !(sel & 1);
		n->cfg.check_quorum = !(sel & 2);
		/* short timeouts keep scripts short */
		n->cfg.election_ticks = 4 + (sel >> 2 & 3) * 2;
		n->cfg.heartbeat_ticks = 1 + (sel >> 4 & 1);
		n->cfg.max_inflight = sel & 0x20 ? 1 : 4;
		n->cfg.max_msg_bytes = sel & 0x40 ? 64 : 16 * 1024;
		n->cfg.max_uncommitted = sel & 0x80 ? 4 : 256;
		n->cfg.seed = seed * 131u + i;
		node_start(n);
	}
}

/* FUZZ_NODE_VERBOSE=1: where each input left the cluster (for replays). */
static void report(void)
{
	static int verbose = -1;
	struct raft_status st;
	u32 i;

	if (verbose < 0)
		verbose = !!getenv("FUZZ_NODE_VERBOSE");
	if (!verbose)
		return;
	for (i = 0; i < FUZZ_NODES; i++) {
		raft_get_status(nodes[i].r, &st);
		fprintf(stderr, "node %u %-12s term %llu commit %llu last %llu%s",
			st.id, raft_role_name(st.role),
			(unsigned long long)st.term,
			(unsigned long long)st.commit_index,
			(unsigned long long)st.last_index,
			i + 1 < FUZZ_NODES ? " | " : "\n");
	}
	fprintf(stderr, "proposals %u, forged %d\n", n_cookies, forged);
}

static void teardown(void)
{
	struct datagram d;
	u32 i;

	report();
	for (i = 0; i < FUZZ_NODES; i++) {
		raft_destroy(nodes[i].r);
		disk_truncate(&nodes[i].disk, 0);
		free(nodes[i].disk.ents);
		free(nodes[i].committed);
	}
	while (queue_pop(&d))
		free(d.buf);
	free(cluster_committed);
	cluster_committed = NULL;
	n_cluster_committed = 0;
	cap_cluster_committed = 0;
	q_head = 0;
	n_cookies = 0;
	forged = false;
	memset(leader_of, 0, sizeof(leader_of));
}

/* --- commands ------------------------------------------------------------ */

/* To node @to, or when NULL to the one the header names. */
static void deliver(const u8 *buf, size_t len, struct node *to, bool forge)
{
	struct raft_wire_hdr hdr;
	struct raft_msg m;

	if (!to) {
		if (raft_wire_peek(buf, len, FUZZ_CLUSTER_ID, &hdr) ||
		    hdr.receiver < 1 || hdr.receiver > FUZZ_NODES)
			return;
		to = &nodes[hdr.receiver - 1];
	}
	if (raft_wire_decode(buf, len, FUZZ_CLUSTER_ID, to->cfg.max_entry_size,
			     &m, rx_ents, RAFT_MAX_BATCH))
		return;
	forged = forged || forge;
	raft_step(to->r, &m);
	settle(to);
}

static void deliver_oldest(void)
{
	struct datagram d;

	if (!queue_pop(&d))
		return;
	deliver(d.buf, d.len, NULL, false);
	free(d.buf);
}

static void propose(struct node *n, const u8 *data, u32 len)
{
	int err;

	if (n_cookies == MAX_COOKIES)
		return;
	err = raft_propose(n->r, n_cookies, data, len);
	if (!err) {
		cookies[n_cookies].node = (u8)(n - nodes);
		cookies[n_cookies++].answered = false;
	} else if (err < RAFT_ENOTLEADER || err > RAFT_OK ||
		   (!len && err != RAFT_EINVAL) ||
		   (len > n->cfg.max_entry_size && err != RAFT_ETOOBIG)) {
		FAIL("raft_propose of %u bytes: %d", len, err);
	}
	settle(n);
}

static void run_rounds(u32 rounds)
{
	u32 i, j, budget;

	for (i = 0; i < rounds; i++) {
		for (j = 0; j < FUZZ_NODES; j++) {
			raft_tick(nodes[j].r);
			settle(&nodes[j]);
		}
		/* what this round sent, and what that provokes, in order */
		for (budget = 4 * MAX_QUEUE; q_len && budget; budget--)
			deliver_oldest();
	}
}

static struct node *pick(u8 b)
{
	return &nodes[b % FUZZ_NODES];
}

static bool command(struct input *in)
{
	u8 op, a, b;
	u16 len;
	static u8 dgram[65536];
	u8 data[256];
	struct datagram d;

	if (!take_u8(in, &op))
		return false;
	switch (op % FUZZ_OP_COUNT) {
	case FUZZ_OP_TICK:
		if (!take_u8(in, &a) || !take_u8(in, &b))
			return false;
		for (b = b % 16 + 1; b; b--) {
			raft_tick(pick(a)->r);
			settle(pick(a));
		}
		break;
	case FUZZ_OP_PROPOSE:
		if (!take_u8(in, &a) || !take_u8(in, &b) || !take(in, data, b))
			return false;
		propose(pick(a), data, b);
		break;
	case FUZZ_OP_DATAGRAM:
		if (!take_u8(in, &a) || !take_u16(in, &len) ||
		    !take(in, dgram, len))
			return false;
		deliver(dgram, len, pick(a), true);
		break;
	case FUZZ_OP_DELIVER:
		if (!take_u8(in, &a))
			return false;
		for (a = a % 16 + 1; a; a--)
			deliver_oldest();
		break;
	case FUZZ_OP_DROP:
		if (queue_pop(&d))
			free(d.buf);
		break;
	case FUZZ_OP_RUN:
		if (!take_u8(in, &a))
			return false;
		run_rounds(a % 64 + 1);
		break;
	case FUZZ_OP_DUP:
		if (q_len)
			queue_push(queue[q_head].buf, queue[q_head].len);
		break;
	case FUZZ_OP_PROPOSE_BIG:
		if (!take_u8(in, &a) || !take_u16(in, &len))
			return false;
		propose(pick(a), filler, len);
		break;
	case FUZZ_OP_RESTART:
		if (!take_u8(in, &a))
			return false;
		restart(pick(a));
		break;
	case FUZZ_OP_CRASH:
		if (!take_u8(in, &a))
			return false;
		pick(a)->crash_pending = true;
		break;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { .p = data, .left = size };
	u8 cfg[FUZZ_CONFIG_LEN];
	u32 i;

	if (!take(&in, cfg, sizeof(cfg)))
		return 0;
	if (!filler[0])
		for (i = 0; i < sizeof(filler); i++)
			filler[i] = (u8)(i * 7 + 1);
	setup(cfg[0], cfg[1]);
	while (command(&in))
		;
	teardown();
	return 0;
}
