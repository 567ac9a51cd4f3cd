// SPDX-License-Identifier: GPL-2.0
/*
 * sim: a seeded, deterministic cluster simulator for raftlog's Raft core.
 *
 * Each seed builds a cluster of 1 to 5 real cores (tests/sim/node.c drives
 * each one exactly like the kernel's event loop: send, persist, send,
 * advance) and runs a discrete-event simulation: per-node ticks at skewed
 * rates, message delivery with loss, duplication, delay and reordering,
 * symmetric and one-way partitions, crashes that keep only the node's disk,
 * slow disks (a lazy one that only delays the ready, and a blocking one
 * that stops the node the way the kernel loop stops in fsync: nothing is
 * processed, datagrams queue up, at most five missed ticks are replayed),
 * and clients that write the way the module's writers do. On three seeds
 * in four some or all nodes run with async_persist (node.h): entries are
 * written at once and made durable by an fsync that ends later, mostly
 * soon, sometimes after several election timeouts; their after_persist
 * messages wait for it, raft_persisted() hears of it (now and then after
 * a stale report the core must ignore), and a crash loses what was not
 * yet durable. Cuts are durable at once (the kernel fsyncs a cut before
 * writing on), so a crash never brings cut entries back. Seeds also vary
 * the node ids, heartbeat interval, byte budget and in-flight window of
 * the appends, and turn PreVote or CheckQuorum off now and then (plain
 * Raft). One step is one event; after every step the checkers below run.
 * For the last part of a run the faults stop (sometimes a minority stays
 * down for good), and the rest must then elect a leader, commit what is
 * pending and resolve every proposal within a bound.
 *
 * Clients (struct client): a few per node, each with its own session as an
 * open file of the module has, some through raft_propose() (the node's own
 * session), and some with an explicit session that roam from node to node
 * as `raftctl append --session` does after a crash or an unknown outcome.
 * Each keeps at most RAFT_SESSION_WINDOW seqs outstanding. A synchronous
 * refusal is tried again later, as the module's queue does; a final
 * RAFT_EUNKNOWN or RAFT_ESTALE, or a node that died holding the proposal,
 * is retried under the same (session, seq) with first_try false, a few
 * times, then abandoned as unknown. Some proposals are accept_only.
 *
 * Safety checkers (after every step):
 *   election-safety      at most one leader per term, ever
 *   log-matching         an (index, term) pair names one log prefix, ever
 *   leader-completeness  a leader of term T holds every entry committed
 *                        in a term below T
 *   committed-prefix     every node's committed prefix is the same log, and
 *                        a node never rewrites an entry it has committed
 *   commit-monotonic     a node's commit index never goes down (restarts
 *                        aside) and never passes its last index
 *   commit-rule          a leader advances its commit index only to an
 *                        entry of its own term (5.4.2)
 *   commit-durability    ... and only when a majority of the voters hold
 *                        it durably (fsynced: a leader's own copy counts
 *                        only once it is, with async_persist)
 *   durability-ack       a leader counts an APPEND_RESP only if its sender
 *                        held the leader's entry at that index durably
 *                        when it sent it (a cut since it was written does
 *                        not count as durable)
 *   stable-not-durable   (node.c) the core never calls stable (and so
 *                        never counts or releases) an entry not durable
 *   stale-message        a message from an older term changes nothing
 *   vote-quorum          a node becomes leader only after a majority's
 *                        votes for that term reached it while candidate
 *   prevote-quorum       a pre-candidate becomes candidate only after a
 *                        majority's pre-votes for term + 1 reached it in
 *                        this pre-election
 *   candidate-leader     a (pre-)candidate names no leader; a leader
 *                        names itself
 *   election-timer       a node that is not leader and hears nothing of
 *                        its term campaigns within 2 election timeouts'
 *                        worth of its ticks (a stale message must not
 *                        reset its timer)
 *   duplicate-commit     a (session, seq), and a client's write, is
 *                        committed at most once
 *   nothing-committed    a write whose every try ended "nothing appended"
 *                        (RAFT_ENOLEADER, RAFT_EBUSY or a synchronous
 *                        refusal) never commits; lost-committed: one
 *                        reported RAFT_ELOST never commits
 *   ok-index             a RAFT_OK result's (index, term) holds exactly
 *                        that write's (session, seq) and data once
 *                        committed (accept_only: unless another term's
 *                        entry committed there)
 *   session-mismatch     a committed entry carries its writer's
 *                        (session, seq); phantom-entry: every committed
 *                        entry was written by a client
 *   result-twice         a taken proposal gets at most one final result,
 *                        from the node that took it; result-status: only
 *                        the statuses raft.h lists; timeout: one given a
 *                        timeout has its result within that many ticks
 *   durability-*         (node.c) no message leaves before the term, vote or
 *                        entries it depends on are on disk; terms never go
 *                        back; a vote never changes within a term
 * Liveness (after the faults stop): a leader all live nodes follow appears
 * within a bound and stays, every live node catches up, proposals do not
 * sit unresolved under that leader (stuck), every taken proposal got its
 * one final result by the end (unresolved), writes made under that leader
 * commit, and every RAFT_OK "committed" did commit (ok-uncommitted).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "node.h"
#ifdef SIM_WIRE
#include "wire.h"
#endif

#define MAXN 5
#define US_PER_TICK 10		/* simulated time units per nominal tick */
#define CLUSTER_ID 0x5eedULL
#define CLUSTER UINT32_MAX	/* a violation of no single node */
#define MAX_CLIENTS 24
#define MAX_TRIES 4		/* tries a client makes of one write */
#define INBOX_CAP 512		/* datagrams a blocked node's socket holds */
#define CATCHUP 5		/* ticks replayed after a stall (loop.c) */
#define NO_OP UINT64_MAX
#define NO_TERM UINT64_MAX

enum ev_kind { EV_TICK, EV_DELIVER, EV_READY, EV_CLIENT, EV_FAULT,
	       EV_RESTART, EV_UNBLOCK, EV_FSYNC };

struct event {
	u64 time;
	u64 seq;
	u8 kind;
	u8 node;		/* index into sim.nodes */
	u32 epoch;		/* node incarnation the event belongs to */
	void *msg;		/* EV_DELIVER: struct tmsg or wire bytes */
	u32 msg_len;
	/*
	 * EV_DELIVER of a successful APPEND_RESP: the term of the entry at
	 * its index on the sender's durable disk when it left (NO_TERM: none)
	 */
	u64 ack_term;
};

enum client_kind {
	CL_FILE,	/* an open file on its home node: its own session */
	CL_OWN,		/* raft_propose(): the node's own session */
	CL_ROAM,	/* an explicit session, written through any node */
};

struct client {
	u8 kind;
	u8 home;		/* CL_FILE, CL_OWN */
	u32 depth;		/* writes it keeps outstanding, at most */
	u64 session;		/* 0: opens a new one at its next write */
	u64 next_seq;
	u32 n_open;
	u64 open[RAFT_SESSION_WINDOW];	/* its writes not yet final */
};

enum op_state {
	OP_QUEUED,	/* to be (re)tried at t_next */
	OP_INFLIGHT,	/* a node took it: attempt @cookie */
	OP_OK,		/* final RAFT_OK */
	OP_NOTHING,	/* final, and nothing of it was ever appended */
	OP_UNKNOWN,	/* abandoned: it may or may not commit */
};

/* One write of a client, over all its tries. */
struct op {
	u32 client;
	u8 state;
	u8 node;		/* of the attempt in flight */
	u8 tried;		/* of the last try */
	u8 tries;		/* attempts a node took */
	u8 stales;		/* synchronous RAFT_ESTALE */
	bool own;
	bool accept_only;
	bool maybe;		/* a copy may be in a log: an attempt ended */
				/* unknown, stale, or died with its node */
	bool lost_claim;	/* a result said RAFT_ELOST */
	u32 refusals;
	u64 session, seq;	/* own: learnt when it commits */
	u64 start;
	u8 *data;
	u32 len;
	u64 ddh;		/* hash of the data */
	u64 cookie;		/* attempt in flight */
	u64 t_created, t_next, t_done;
	s32 status;		/* last final status */
	u64 ok_index, ok_term;
	u64 committed_at;	/* index in the committed log, 0: none */
};

struct attempt {
	u64 op;
	u8 node;
	bool done;
	bool first_try;
	u32 epoch;
	u64 t;
	u64 deadline;		/* node ticks by which it must be resolved */
};

struct snode {
	struct tnode tn;
	u32 epoch;
	bool up;
	bool gone;		/* down for good after the heal */
	bool ready_queued;
	bool crash_in_ready;	/* die mid-ready at the next ready */
	u32 base_period;
	u32 period;
	u8 disk_mode;		/* enum disk_mode */
	u32 disk_delay;
	u32 sync_gen;		/* of the fsync under way (EV_FSYNC msg_len) */
	bool busy;		/* blocked in a ready: fsync */
	u32 missed;		/* ticks due while busy */
	struct event *inbox;	/* datagrams that arrived while busy */
	u32 in_n, in_cap;
	u64 commit_seen;	/* commit checked so far (0 after restart) */
	u64 ticks;		/* raft_tick() calls in this life */
	u64 next_deadline;	/* earliest deadline of what it holds */
	enum raft_role role;
	u64 term;
	u32 quiet;		/* ticks without news of its term */
	u64 pv_term;		/* pre-election in progress: for this term */
	u32 pv_mask;		/* ... granted by these (bit = node index) */
	u64 cv_term;		/* election in progress */
	u32 cv_mask;
};

enum disk_mode { DISK_FAST, DISK_LAZY, DISK_BLOCK };

/* A membership change a leader took: its one result comes from it. */
struct change_rec {
	u8 node;
	u32 epoch;
	bool done;
	u64 t;
};

#define CHANGE_COOKIE	(1ULL << 63)	/* cookies of membership changes */

struct kv {
	u64 index;
	u64 term;
	u64 chain;
};

struct pair {
	u64 session, seq;	/* session 0: empty slot */
	u64 index;
};

struct opts {
	u64 seed_lo, seed_hi;
	u32 steps;
	u32 nodes;
	u32 max_fail;
	int verbose;
	bool wire;
	bool quiet;
	bool no_members;
	bool no_async;
	const char *argv0;
};

struct sim {
	const struct opts *o;
	u64 seed;
	u64 rng;
	u64 now;
	u32 step;
	u32 n;
	bool members;		/* membership changes are one of the faults */
	bool wire;		/* messages go through the wire codec */
	struct snode nodes[MAXN];
	struct tn_hooks hooks;
	bool blocked[MAXN][MAXN];
	u32 slow[MAXN][MAXN];	/* extra delay of a link */
	u32 drop_pm, dup_pm, long_delay_pm, crash_ready_pm;
	bool faults;		/* fault phase */
	u32 heal_step, stop_prop_step;
	u64 heal_time;
	u64 stable_time;	/* since when all nodes followed one leader */
	u32 cand_leader;	/* agreed leader, not yet held long enough */
	u64 cand_term, cand_since;
	u32 stable_leader;
	u64 stable_term;

	struct event *heap;
	u32 heap_n, heap_cap;
	u64 seq;

	/* the committed log as every node must see it */
	u64 gc_len, gc_cap;
	u64 *gc_term, *gc_dh, *gc_cterm, *gc_pid;
	u8 *gc_type;

	u32 *leader_of;		/* by term */
	u64 leader_cap;

	struct kv *tab;		/* (index, term) -> chain */
	u64 tab_n, tab_cap;

	struct pair *pairs;	/* committed (session, seq) -> index */
	u64 pairs_n, pairs_cap;

	struct client clients[MAX_CLIENTS];
	u32 n_clients;
	struct op *ops;
	u64 nops, ops_cap;
	struct attempt *atts;
	u64 natts, atts_cap;
	u64 n_open_ops;		/* queued or in flight */
	u64 *claims;		/* ops whose RAFT_OK index is not committed yet */
	u64 n_claims, claims_cap;

	char violation[600];
	bool failed;
	u32 violations;

	/* figures for the summary */
	u64 s_leaders, s_max_term, s_committed;
	u64 s_ok, s_nothing, s_unknown, s_retries, s_refused, s_lost;
	u64 s_stale, s_orphans, s_blocks, s_gone;
	u64 s_async_nodes, s_syncs, s_ahead, s_held_dropped, s_stale_reports;
	u64 s_msgs, s_dropped, s_crashes, s_restarts, s_partitions;
	u64 s_changes, s_changes_ok, s_changes_refused, s_transfers;
	struct change_rec *chg;	/* membership changes a node took */
	u64 n_chg, chg_cap;
	u64 s_leader_after_heal;	/* time units to a stable leader */
	u64 s_extra_steps;		/* run past --steps to decide liveness */
};

static u64 rnd(struct sim *s)
{
	u64 z = (s->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 below(struct sim *s, u32 n)
{
	return n ? (u32)(rnd(s) % n) : 0;
}

static bool chance_pm(struct sim *s, u32 pm)
{
	return below(s, 1000) < pm;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "sim: out of memory\n");
		exit(2);
	}
	return p;
}

static u32 popcount(u32 x)
{
	u32 n = 0;

	for (; x; x &= x - 1)
		n++;
	return n;
}

static void violation(struct sim *s, u32 node, const char *what,
		      const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void violation(struct sim *s, u32 node, const char *what,
		      const char *fmt, ...)
{
	char detail[400];
	va_list ap;

	s->violations++;
	if (s->failed)
		return;
	s->failed = true;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	if (node < s->n)
		snprintf(s->violation, sizeof(s->violation),
			 "%s at step %u (t=%" PRIu64 ", node %u): %s", what,
			 s->step, s->now, s->nodes[node].tn.id, detail);
	else
		snprintf(s->violation, sizeof(s->violation),
			 "%s at step %u (t=%" PRIu64 "): %s", what, s->step,
			 s->now, detail);
	if (s->o->verbose)
		printf("!! VIOLATION %s\n", s->violation);
}

/* ---- events ---------------------------------------------------------- */

static bool ev_before(const struct event *a, const struct event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void push(struct sim *s, struct event ev)
{
	u32 i;

	if (s->heap_n == s->heap_cap) {
		s->heap_cap = s->heap_cap ? s->heap_cap * 2 : 256;
		s->heap = xrealloc(s->heap, s->heap_cap * sizeof(*s->heap));
	}
	ev.seq = s->seq++;
	i = s->heap_n++;
	while (i && ev_before(&ev, &s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = ev;
}

static struct event pop(struct sim *s)
{
	struct event top = s->heap[0], last = s->heap[--s->heap_n];
	u32 i = 0;

	for (;;) {
		u32 c = 2 * i + 1;

		if (c >= s->heap_n)
			break;
		if (c + 1 < s->heap_n && ev_before(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!ev_before(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->heap_n)
		s->heap[i] = last;
	return top;
}

static void at(struct sim *s, u64 delay, u8 kind, u32 node)
{
	struct event ev = { .time = s->now + delay, .kind = kind,
			    .node = (u8)node };

	if (node < MAXN && node < s->n)
		ev.epoch = s->nodes[node].epoch;
	push(s, ev);
}

/* ---- messages -------------------------------------------------------- */

static int node_index(struct sim *s, u32 id)
{
	u32 i;

	for (i = 0; i < s->n; i++)
		if (s->nodes[i].tn.id == id)
			return (int)i;
	return -1;
}

/* ---- configurations -------------------------------------------------- */

static bool in_conf(const struct raft_membership *m, u32 id)
{
	u32 i;

	for (i = 0; i < m->n_members; i++)
		if (m->members[i].id == id)
			return true;
	return false;
}

static bool conf_voter(const struct raft_member *mb, u32 set)
{
	return set ? mb->outgoing : mb->role == RAFT_MEMBER_VOTER;
}

/*
 * Whether the nodes in @mask (a bit per node index) hold a majority of
 * every voter set of @m: the sim's own count, not the core's.
 */
static bool mask_quorum(struct sim *s, const struct raft_membership *m,
			u32 mask)
{
	u32 set, i, n, k;
	int x;

	for (set = 0; set < (m->joint ? 2U : 1U); set++) {
		n = 0;
		k = 0;
		for (i = 0; i < m->n_members; i++) {
			if (!conf_voter(&m->members[i], set))
				continue;
			n++;
			x = node_index(s, m->members[i].id);
			k += x >= 0 && ((mask >> x) & 1);
		}
		if (k < n / 2 + 1)
			return false;
	}
	return true;
}

/* Voters of either set. */
static u32 conf_voters(const struct raft_membership *m)
{
	u32 i, n = 0;

	for (i = 0; i < m->n_members; i++)
		n += conf_voter(&m->members[i], 0) || conf_voter(&m->members[i], 1);
	return n;
}

static void node_conf(struct sim *s, u32 ni, struct raft_membership *m)
{
	raft_get_membership(s->nodes[ni].tn.r, m);
}

/* An up, usable leader of the highest term, or -1. */
static int sim_leader(struct sim *s)
{
	struct raft_status st;
	u64 term = 0;
	int li = -1;
	u32 i;

	for (i = 0; i < s->n; i++) {
		if (!s->nodes[i].up || s->nodes[i].busy)
			continue;
		raft_get_status(s->nodes[i].tn.r, &st);
		if (st.role == RAFT_LEADER && st.term >= term) {
			term = st.term;
			li = (int)i;
		}
	}
	return li;
}

/*
 * Whether node @i counts for liveness: with membership changes only the
 * members of the leader's configuration must follow it (a removed node
 * may never learn that it was).
 */
static bool counts(struct sim *s, u32 i, const struct raft_membership *m)
{
	if (s->nodes[i].gone)
		return false;
	return !s->members || !m || in_conf(m, s->nodes[i].tn.id);
}

/* With membership changes: the configuration of the newest leader. */
static const struct raft_membership *leader_conf(struct sim *s,
						 struct raft_membership *m)
{
	int li;

	if (!s->members)
		return NULL;
	li = sim_leader(s);
	if (li < 0)
		return NULL;
	node_conf(s, (u32)li, m);
	return m;
}

static void free_msg(struct sim *s, void *msg)
{
	if (s->wire)
		free(msg);
	else
		tmsg_free(msg);
}

static void *copy_msg(struct sim *s, u32 from, const struct raft_msg *m,
		      u32 *len)
{
#ifdef SIM_WIRE
	if (s->wire) {
		size_t sz = raft_wire_size(m);
		u8 *buf;
		int rc;

		if (sz > RAFT_WIRE_MAX_LEN)
			violation(s, from, "datagram-size",
				  "%s of %zu bytes exceeds one datagram",
				  tn_msg_name(m->type), sz);
		buf = xrealloc(NULL, sz);
		rc = raft_wire_encode(m, CLUSTER_ID, buf, sz);
		if (rc < 0 || (size_t)rc != sz) {
			violation(s, from, "wire-encode",
				  "encode of %s returned %d for size %zu",
				  tn_msg_name(m->type), rc, sz);
			free(buf);
			return NULL;
		}
		*len = (u32)sz;
		return buf;
	}
#endif
	(void)s;
	(void)from;
	*len = 0;
	return tmsg_clone(m);
}

static void schedule_msg(struct sim *s, u32 from, u32 to,
			 const struct raft_msg *m, u64 ack_term)
{
	struct event ev = { .kind = EV_DELIVER, .node = (u8)to,
			    .ack_term = ack_term };
	u64 delay = 1 + below(s, 3);

	if (chance_pm(s, s->long_delay_pm))
		delay = 5 + below(s, 60);
	if (chance_pm(s, s->long_delay_pm / 10))
		delay = 100 + below(s, 500);	/* arrives terms later */
	if (s->slow[from][to])
		delay += below(s, s->slow[from][to]);
	ev.time = s->now + delay;
	ev.msg = copy_msg(s, from, m, &ev.msg_len);
	if (ev.msg)
		push(s, ev);
}

/* What a successful APPEND_RESP claims, as the sender's disk has it. */
static u64 ack_term(const struct tnode *tn, const struct raft_msg *m)
{
	u64 k = m->append_resp.index;

	if (m->type != RAFT_MSG_APPEND_RESP || !m->append_resp.success || !k)
		return 0;
	return tn->disk.durable >= k ? tn->disk.log[k - 1].term : NO_TERM;
}

/*
 * A leader counts an ack of index k in its term only if, when it left,
 * the sender's durable disk held the leader's own entry at k (the same
 * index and term: the same prefix). An ack of entries cut before they
 * were durable (a held message released by a later fsync, say) would
 * let an old leader commit what a newer one has overwritten.
 */
static void check_ack(struct sim *s, u32 ni, const struct event *ev,
		      const struct raft_msg *m)
{
	struct tnode *tn = &s->nodes[ni].tn;
	struct raft_status st;
	struct raft_entry e;
	u64 k = m->append_resp.index;

	if (m->type != RAFT_MSG_APPEND_RESP || !m->append_resp.success || !k)
		return;
	raft_get_status(tn->r, &st);
	if (st.role != RAFT_LEADER || st.term != m->term ||
	    !tn_entry(tn, k, &e) || e.term == ev->ack_term)
		return;
	if (ev->ack_term == NO_TERM)
		violation(s, ni, "durability-ack",
			  "node %u acknowledged index %" PRIu64 " in term %" PRIu64 " without it on its durable disk",
			  m->from, k, m->term);
	else
		violation(s, ni, "durability-ack",
			  "node %u acknowledged index %" PRIu64 " in term %" PRIu64 " holding term %" PRIu64 " there, the leader term %" PRIu64,
			  m->from, k, m->term, ev->ack_term, e.term);
}

static void on_send(void *ctx, struct tnode *tn, const struct raft_msg *m)
{
	struct sim *s = ctx;
	int from = node_index(s, tn->id), to = node_index(s, m->to);

	s->s_msgs++;
	if (s->o->verbose >= 2) {
		char b[160];

		tn_msg_str(m, b, sizeof(b));
		printf("   send %s\n", b);
	}
	if (from < 0 || to < 0)
		return;	/* node.c reported the bad address */
	if (s->blocked[from][to] || chance_pm(s, s->drop_pm)) {
		s->s_dropped++;
		return;
	}
	schedule_msg(s, (u32)from, (u32)to, m, ack_term(tn, m));
	if (chance_pm(s, s->dup_pm))
		schedule_msg(s, (u32)from, (u32)to, m, ack_term(tn, m));
}

/* ---- what a node does between two events ----------------------------- */

static bool news_of_term(const struct raft_msg *m, u64 term)
{
	/* these never touch the election timer by themselves */
	if (m->type == RAFT_MSG_PREVOTE || m->type == RAFT_MSG_PREVOTE_RESP ||
	    m->type == RAFT_MSG_PROPOSE || m->type == RAFT_MSG_PROPOSE_RESP)
		return false;
	return m->term >= term;
}

/*
 * What one tick or one message did to node @ni, from status @a to @b: the
 * election checkers. @m is the message delivered, NULL for a tick.
 */
static void observe(struct sim *s, u32 ni, const struct raft_status *a,
		    const struct raft_status *b, const struct raft_msg *m)
{
	struct snode *sn = &s->nodes[ni];
	u32 e = sn->tn.cfg.election_ticks;
	bool changed = a->role != b->role || a->term != b->term ||
		       a->voted_for != b->voted_for || a->leader != b->leader ||
		       a->stats.elections != b->stats.elections;
	int from = m ? node_index(s, m->from) : -1;
	struct raft_membership conf;
	bool alone;

	node_conf(s, ni, &conf);
	alone = conf_voters(&conf) == 1;
	/* the election timer: only a voter (from the log, if it joins) */
	if (changed || b->role == RAFT_LEADER || (m && news_of_term(m, a->term)) ||
	    !b->voter || (sn->tn.cfg.join && !conf.index)) {
		sn->quiet = 0;
	} else if (!m && ++sn->quiet >= 2 * e) {
		violation(s, ni, "election-timer",
			  "%s ticked %u times without news of term %" PRIu64 " and did not campaign (timeout at most %u ticks)",
			  raft_role_name(b->role), sn->quiet, b->term, 2 * e - 1);
		return;
	}

	/* votes and pre-votes that reached a (pre-)candidate */
	if (m && from >= 0 && (m->type == RAFT_MSG_PREVOTE_RESP ||
			       m->type == RAFT_MSG_VOTE_RESP) &&
	    m->vote_resp.granted) {
		if (m->type == RAFT_MSG_PREVOTE_RESP &&
		    a->role == RAFT_PRECANDIDATE && m->term == sn->pv_term)
			sn->pv_mask |= 1U << from;
		if (m->type == RAFT_MSG_VOTE_RESP &&
		    a->role == RAFT_CANDIDATE && m->term == a->term &&
		    sn->cv_term == a->term)
			sn->cv_mask |= 1U << from;
	}
	if (b->role == RAFT_LEADER && a->role != RAFT_LEADER && !alone &&
	    (a->role != RAFT_CANDIDATE || sn->cv_term != b->term ||
	     !mask_quorum(s, &conf, sn->cv_mask))) {
		violation(s, ni, "vote-quorum",
			  "became leader of term %" PRIu64 " as %s with votes of %u of %u nodes in that election",
			  b->term, raft_role_name(a->role),
			  a->role == RAFT_CANDIDATE && sn->cv_term == b->term ?
			  popcount(sn->cv_mask) : 0, s->n);
		return;
	}
	if (b->role == RAFT_CANDIDATE && sn->tn.cfg.pre_vote && !alone &&
	    a->role != RAFT_CANDIDATE &&
	    (m == NULL || m->type != RAFT_MSG_TIMEOUT_NOW) &&
	    (a->role != RAFT_PRECANDIDATE || sn->pv_term != b->term ||
	     !mask_quorum(s, &conf, sn->pv_mask))) {
		violation(s, ni, "prevote-quorum",
			  "became candidate of term %" PRIu64 " as %s with pre-votes of %u of %u nodes in this pre-election",
			  b->term, raft_role_name(a->role),
			  a->role == RAFT_PRECANDIDATE ? popcount(sn->pv_mask) : 0,
			  s->n);
		return;
	}
	if (b->stats.elections != a->stats.elections ||
	    (b->role != a->role && b->role != RAFT_FOLLOWER)) {
		if (b->role == RAFT_PRECANDIDATE) {
			sn->pv_term = b->term + 1;
			sn->pv_mask = 1U << ni;
		} else if (b->role == RAFT_CANDIDATE) {
			sn->cv_term = b->term;
			sn->cv_mask = 1U << ni;
		}
	}
	if ((b->role == RAFT_PRECANDIDATE || b->role == RAFT_CANDIDATE) &&
	    b->leader) {
		violation(s, ni, "candidate-leader",
			  "%s of term %" PRIu64 " names leader %u",
			  raft_role_name(b->role), b->term, b->leader);
		return;
	}
	if (b->role == RAFT_LEADER && b->leader != b->id)
		violation(s, ni, "candidate-leader",
			  "leader of term %" PRIu64 " names leader %u",
			  b->term, b->leader);
}

/*
 * A proposal given a timeout has its final result within that many of its
 * node's ticks (a few more: the result leaves with a later ready).
 */
static void check_deadlines(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];
	u64 id, next = UINT64_MAX;

	for (id = 0; id < s->nops; id++) {
		const struct op *p = &s->ops[id];
		const struct attempt *a = &s->atts[p->cookie];

		if (p->state != OP_INFLIGHT || p->node != ni)
			continue;
		if (sn->ticks > a->deadline) {
			violation(s, ni, "timeout",
				  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ") taken at t=%" PRIu64 " still has no result %" PRIu64 " ticks past its timeout",
				  id, p->session, p->seq, a->t,
				  sn->ticks - a->deadline);
			return;
		}
		if (a->deadline < next)
			next = a->deadline;
	}
	sn->next_deadline = next;
}

static void node_tick(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];
	struct raft_status a, b;

	raft_get_status(sn->tn.r, &a);
	raft_tick(sn->tn.r);
	sn->ticks++;
	raft_get_status(sn->tn.r, &b);
	observe(s, ni, &a, &b, NULL);
	if (sn->ticks > sn->next_deadline && !s->failed)
		check_deadlines(s, ni);
}

/*
 * Stale-term rule (5.1): a message from an older term changes nothing but,
 * at most, earns its sender a reply. Proposals are client traffic whose
 * term is informative only, so they are not judged here.
 */
static void step_checked(struct sim *s, u32 ni, const struct raft_msg *m)
{
	struct snode *sn = &s->nodes[ni];
	struct raft_status a, b;
	char d[160];

	raft_get_status(sn->tn.r, &a);
	raft_step(sn->tn.r, m);
	raft_get_status(sn->tn.r, &b);
	observe(s, ni, &a, &b, m);
	if (m->term >= a.term || m->type == RAFT_MSG_PROPOSE ||
	    m->type == RAFT_MSG_PROPOSE_RESP)
		return;
	if (a.role != b.role || a.term != b.term || a.leader != b.leader ||
	    a.voted_for != b.voted_for || a.commit_index != b.commit_index ||
	    a.last_index != b.last_index || a.last_term != b.last_term) {
		tn_msg_str(m, d, sizeof(d));
		violation(s, ni, "stale-message",
			  "%s changed a node in term %" PRIu64 " (role %s->%s, leader %u->%u, commit %" PRIu64 "->%" PRIu64 ", last %" PRIu64 "->%" PRIu64 ")",
			  d, a.term, raft_role_name(a.role),
			  raft_role_name(b.role), a.leader, b.leader,
			  a.commit_index, b.commit_index, a.last_index,
			  b.last_index);
	}
}

static void deliver(struct sim *s, struct event *ev)
{
	struct snode *sn = &s->nodes[ev->node];
	const struct raft_msg *m;
#ifdef SIM_WIRE
	struct raft_entry ents[RAFT_MAX_BATCH];
	struct raft_msg dm;
#endif

	if (!sn->up) {
		s->s_dropped++;
		return;
	}
#ifdef SIM_WIRE
	if (s->wire) {
		int rc = raft_wire_decode(ev->msg, ev->msg_len, CLUSTER_ID,
					  sn->tn.cfg.max_entry_size, &dm, ents,
					  RAFT_MAX_BATCH);

		if (rc != RAFT_WIRE_OK) {
			violation(s, ev->node, "wire-decode",
				  "decode of an encoded message failed: %s",
				  raft_wire_strerror(rc));
			return;
		}
		m = &dm;
	} else {
		m = &((struct tmsg *)ev->msg)->m;
	}
#else
	m = &((struct tmsg *)ev->msg)->m;
#endif
	if (s->o->verbose >= 2) {
		char b[160];

		tn_msg_str(m, b, sizeof(b));
		printf("   recv %s\n", b);
	}
	check_ack(s, ev->node, ev, m);
	step_checked(s, ev->node, m);
}

/* ---- checkers -------------------------------------------------------- */

static struct kv *tab_slot(struct sim *s, u64 index, u64 term)
{
	u64 h = (index * 0x9e3779b97f4a7c15ULL) ^ (term * 0xc2b2ae3d27d4eb4fULL);
	u64 i = (h ^ (h >> 29)) & (s->tab_cap - 1);

	while (s->tab[i].index &&
	       (s->tab[i].index != index || s->tab[i].term != term))
		i = (i + 1) & (s->tab_cap - 1);
	return &s->tab[i];
}

static void tab_grow(struct sim *s)
{
	struct kv *old = s->tab;
	u64 i, cap = s->tab_cap;

	s->tab_cap = cap ? cap * 2 : 1024;
	s->tab = calloc(s->tab_cap, sizeof(*s->tab));
	if (!s->tab)
		exit(2);
	for (i = 0; i < cap; i++)
		if (old[i].index)
			*tab_slot(s, old[i].index, old[i].term) = old[i];
	free(old);
}

/* Log matching: one (index, term) pair, one prefix, over the whole run. */
static void check_log_matching(struct sim *s, u32 ni, u64 first)
{
	struct disk *d = &s->nodes[ni].tn.disk;
	u64 i;

	for (i = first; i <= d->n; i++) {
		const struct dentry *e = &d->log[i - 1];
		struct kv *slot;

		if ((s->tab_n + 1) * 2 > s->tab_cap)
			tab_grow(s);
		slot = tab_slot(s, i, e->term);
		if (!slot->index) {
			slot->index = i;
			slot->term = e->term;
			slot->chain = e->chain;
			s->tab_n++;
		} else if (slot->chain != e->chain) {
			violation(s, ni, "log-matching",
				  "entry %" PRIu64 " of term %" PRIu64 " follows a different log than on another node",
				  i, e->term);
			return;
		}
	}
}

static struct pair *pair_slot(struct sim *s, u64 session, u64 seq)
{
	u64 h = (session * 0x9e3779b97f4a7c15ULL) ^ (seq * 0xc2b2ae3d27d4eb4fULL);
	u64 i = (h ^ (h >> 31)) & (s->pairs_cap - 1);

	while (s->pairs[i].session &&
	       (s->pairs[i].session != session || s->pairs[i].seq != seq))
		i = (i + 1) & (s->pairs_cap - 1);
	return &s->pairs[i];
}

/* Where (@session, @seq) is in the committed log; adds it at @index. */
static u64 pair_commit(struct sim *s, u64 session, u64 seq, u64 index)
{
	struct pair *p;

	if ((s->pairs_n + 1) * 2 > s->pairs_cap) {
		struct pair *old = s->pairs;
		u64 i, cap = s->pairs_cap;

		s->pairs_cap = cap ? cap * 2 : 1024;
		s->pairs = calloc(s->pairs_cap, sizeof(*s->pairs));
		if (!s->pairs)
			exit(2);
		for (i = 0; i < cap; i++)
			if (old[i].session)
				*pair_slot(s, old[i].session, old[i].seq) = old[i];
		free(old);
	}
	p = pair_slot(s, session, seq);
	if (p->session)
		return p->index;
	p->session = session;
	p->seq = seq;
	p->index = index;
	s->pairs_n++;
	return 0;
}

static const char *op_state_name(u8 st)
{
	static const char *const names[] = { "queued", "in flight", "ok",
					     "nothing appended", "unknown" };

	return st <= OP_UNKNOWN ? names[st] : "?";
}

/* A RAFT_OK's (index, term), once the committed log reaches the index. */
static void check_claim(struct sim *s, u64 id)
{
	struct op *p = &s->ops[id];
	u64 i = p->ok_index;

	if (s->gc_term[i - 1] != p->ok_term) {
		if (!p->accept_only)
			violation(s, p->node, "ok-index",
				  "write %" PRIu64 " reported committed at %" PRIu64 "/%" PRIu64 ", but the entry committed there has term %" PRIu64,
				  id, i, p->ok_term, s->gc_term[i - 1]);
		return;	/* accept_only: the entry a leader held was cut */
	}
	if (s->gc_pid[i - 1] != id)
		violation(s, p->node, "ok-index",
			  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ") reported at %" PRIu64 "/%" PRIu64 ", which holds %s %" PRIu64,
			  id, p->session, p->seq, i, p->ok_term,
			  s->gc_pid[i - 1] == NO_OP ? "no write" : "write",
			  s->gc_pid[i - 1] == NO_OP ? 0 : s->gc_pid[i - 1]);
}

static void gc_extend(struct sim *s, u32 ni, const struct raft_entry *e,
		      u64 term)
{
	u64 i = s->gc_len, pid = NO_OP, other;

	if (s->gc_len == s->gc_cap) {
		s->gc_cap = s->gc_cap ? s->gc_cap * 2 : 256;
		s->gc_term = xrealloc(s->gc_term, s->gc_cap * 8);
		s->gc_dh = xrealloc(s->gc_dh, s->gc_cap * 8);
		s->gc_cterm = xrealloc(s->gc_cterm, s->gc_cap * 8);
		s->gc_pid = xrealloc(s->gc_pid, s->gc_cap * 8);
		s->gc_type = xrealloc(s->gc_type, s->gc_cap);
	}
	s->gc_term[i] = e->term;
	s->gc_dh[i] = th_entry_hash(e);
	s->gc_type[i] = e->type;
	/* the term the entry was committed in, kept monotonic */
	s->gc_cterm[i] = i && s->gc_cterm[i - 1] > term ? s->gc_cterm[i - 1]
							  : term;
	if (e->type == RAFT_ENTRY_NORMAL && e->len >= 8)
		pid = raft_get_le64(e->data);
	s->gc_pid[i] = pid < s->nops ? pid : NO_OP;
	s->gc_len++;
	s->s_committed++;
	if (e->type == RAFT_ENTRY_NOOP) {
		if (e->session || e->seq || e->len)
			violation(s, ni, "entry-type",
				  "committed no-op %" PRIu64 " carries session %" PRIx64 " seq %" PRIu64 " and %u bytes",
				  i + 1, e->session, e->seq, e->len);
		return;
	}
	if (e->type == RAFT_ENTRY_CONFIG && s->members) {
		struct raft_membership m;

		if (e->session || e->seq || raft_config_decode(e->data, e->len, &m))
			violation(s, ni, "entry-type",
				  "committed configuration %" PRIu64 " is malformed",
				  i + 1);
		return;
	}
	if (e->type != RAFT_ENTRY_NORMAL) {
		violation(s, ni, "entry-type", "committed entry %" PRIu64
			  " has type %u", i + 1, e->type);
		return;
	}
	if (pid >= s->nops ||
	    th_hash(e->data, e->len, 0) != s->ops[pid].ddh) {
		violation(s, ni, "phantom-entry",
			  "committed entry %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ") was never written",
			  i + 1, e->session, e->seq);
		return;
	}
	struct op *p = &s->ops[pid];

	if (!e->session || !e->seq) {
		violation(s, ni, "session-mismatch",
			  "committed entry %" PRIu64 " (write %" PRIu64 ") has session %" PRIx64 " seq %" PRIu64,
			  i + 1, pid, e->session, e->seq);
		return;
	}
	if (p->own && !p->session) {
		p->session = e->session;	/* the node's own: learnt now */
		p->seq = e->seq;
	}
	if (e->session != p->session || e->seq != p->seq) {
		violation(s, ni, "session-mismatch",
			  "committed entry %" PRIu64 " holds write %" PRIu64 " under session %" PRIx64 " seq %" PRIu64 ", written as %" PRIx64 " seq %" PRIu64,
			  i + 1, pid, e->session, e->seq, p->session, p->seq);
		return;
	}
	other = pair_commit(s, e->session, e->seq, i + 1);
	if (other || p->committed_at) {
		violation(s, ni, "duplicate-commit",
			  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ", %u tries) committed at %" PRIu64 " and again at %" PRIu64,
			  pid, e->session, e->seq, p->tries,
			  other ? other : p->committed_at, i + 1);
		return;
	}
	p->committed_at = i + 1;
	if (p->state == OP_NOTHING && !p->lost_claim)
		violation(s, ni, "nothing-committed",
			  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ") committed at %" PRIu64 " after its writer was told nothing was appended (status %d)",
			  pid, p->session, p->seq, i + 1, p->status);
	else if (p->lost_claim)
		violation(s, ni, "lost-committed",
			  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ") committed at %" PRIu64 " after RAFT_ELOST",
			  pid, p->session, p->seq, i + 1);
}

static bool same_as_gc(struct sim *s, u64 idx, const struct raft_entry *e)
{
	return s->gc_term[idx - 1] == e->term &&
	       s->gc_dh[idx - 1] == th_entry_hash(e);
}

/*
 * A leader moves its commit index only to an entry of its own term
 * (5.4.2), and only once a majority holds that entry on disk.
 */
static bool check_leader_commit(struct sim *s, u32 ni,
				const struct raft_status *st)
{
	struct raft_entry ent, *e = &ent;
	struct raft_membership conf;
	u32 i, durable = 0, mask = 0;

	if (!tn_entry(&s->nodes[ni].tn, st->commit_index, e))
		return true;	/* check_commit reports it */
	if (e->term != st->term) {
		violation(s, ni, "commit-rule",
			  "leader of term %" PRIu64 " committed up to %" PRIu64 ", an entry of term %" PRIu64,
			  st->term, st->commit_index, e->term);
		return false;
	}
	for (i = 0; i < s->n; i++) {
		const struct disk *d = &s->nodes[i].tn.disk;

		if (d->durable >= st->commit_index &&
		    d->log[st->commit_index - 1].term == e->term) {
			durable++;
			mask |= 1U << i;
		}
	}
	if (!(mask & (1U << ni)))
		s->s_ahead++;	/* async: committed past its own disk */
	node_conf(s, ni, &conf);
	if (!mask_quorum(s, &conf, mask)) {
		violation(s, ni, "commit-durability",
			  "leader committed %" PRIu64 " held durably by %u of %u nodes",
			  st->commit_index, durable, s->n);
		return false;
	}
	return true;
}

static void check_commit(struct sim *s, u32 ni, const struct raft_status *st)
{
	struct snode *sn = &s->nodes[ni];
	u64 c = st->commit_index, i;

	if (c < sn->commit_seen) {
		violation(s, ni, "commit-monotonic",
			  "commit went from %" PRIu64 " to %" PRIu64,
			  sn->commit_seen, c);
		return;
	}
	if (c > st->last_index) {
		violation(s, ni, "commit-monotonic",
			  "commit %" PRIu64 " beyond last index %" PRIu64,
			  c, st->last_index);
		return;
	}
	if (st->role == RAFT_LEADER && c > sn->commit_seen &&
	    !check_leader_commit(s, ni, st))
		return;
	for (i = sn->commit_seen + 1; i <= c && !s->failed; i++) {
		struct raft_entry ent, *e = &ent;

		if (!tn_entry(&sn->tn, i, e)) {
			violation(s, ni, "committed-prefix",
				  "no entry at committed index %" PRIu64, i);
			return;
		}
		if (i > s->gc_len) {
			gc_extend(s, ni, e, st->term);
		} else if (!same_as_gc(s, i, e)) {
			violation(s, ni, "committed-prefix",
				  "committed entry %" PRIu64 " (term %" PRIu64 ") differs from the one other nodes committed (term %" PRIu64 ")",
				  i, e->term, s->gc_term[i - 1]);
			return;
		}
	}
	sn->commit_seen = c;
}

/* After a ready rewrote disk entries from @first: none of them committed. */
static void check_rewrite(struct sim *s, u32 ni, u64 first)
{
	struct snode *sn = &s->nodes[ni];
	struct disk *d = &sn->tn.disk;
	u64 i;

	if (first > sn->commit_seen)
		return;
	if (d->n < sn->commit_seen) {
		violation(s, ni, "committed-prefix",
			  "log cut to %" PRIu64 " below commit %" PRIu64,
			  d->n, sn->commit_seen);
		return;
	}
	for (i = first; i <= sn->commit_seen; i++) {
		if (d->log[i - 1].term != s->gc_term[i - 1] ||
		    d->log[i - 1].dh != s->gc_dh[i - 1]) {
			violation(s, ni, "committed-prefix",
				  "committed entry %" PRIu64 " rewritten", i);
			return;
		}
	}
}

static void check_leader(struct sim *s, u32 ni, const struct raft_status *st)
{
	struct snode *sn = &s->nodes[ni];
	struct raft_membership conf;
	struct raft_entry e;
	u64 lo = 0, hi = s->gc_len, k;

	if (st->term >= s->leader_cap) {
		u64 cap = s->leader_cap ? s->leader_cap : 64;

		while (cap <= st->term)
			cap *= 2;
		s->leader_of = xrealloc(s->leader_of, cap * sizeof(u32));
		memset(s->leader_of + s->leader_cap, 0,
		       (cap - s->leader_cap) * sizeof(u32));
		s->leader_cap = cap;
	}
	if (!s->leader_of[st->term]) {
		s->leader_of[st->term] = sn->tn.id;
		s->s_leaders++;
	} else if (s->leader_of[st->term] != sn->tn.id) {
		violation(s, ni, "election-safety",
			  "nodes %u and %u both leader in term %" PRIu64,
			  s->leader_of[st->term], sn->tn.id, st->term);
		return;
	}
	/* alone, a node wins before its ready; only its messages must wait */
	node_conf(s, ni, &conf);
	if (conf_voters(&conf) > 1 &&
	    (sn->tn.disk.term != st->term || sn->tn.disk.vote != sn->tn.id)) {
		violation(s, ni, "durability-vote",
			  "leader of term %" PRIu64 " but disk has term %" PRIu64 " vote %u",
			  st->term, sn->tn.disk.term, sn->tn.disk.vote);
		return;
	}
	/* k: the last committed index whose commit term is below ours */
	while (lo < hi) {
		u64 mid = (lo + hi) / 2;

		if (s->gc_cterm[mid] < st->term)
			lo = mid + 1;
		else
			hi = mid;
	}
	k = lo;
	if (!k)
		return;
	if (!tn_entry(&sn->tn, k, &e) || !same_as_gc(s, k, &e))
		violation(s, ni, "leader-completeness",
			  "leader of term %" PRIu64 " lacks committed entry %" PRIu64,
			  st->term, k);
}

static void on_violation(void *ctx, struct tnode *tn, const char *what,
			 const char *detail)
{
	struct sim *s = ctx;

	violation(s, (u32)node_index(s, tn->id), what, "%s", detail);
}

/* RAFT_OK claims whose index the committed log has reached. */
static void check_claims(struct sim *s)
{
	u64 i, k = 0;

	for (i = 0; i < s->n_claims; i++) {
		u64 id = s->claims[i];

		if (s->ops[id].ok_index <= s->gc_len)
			check_claim(s, id);
		else
			s->claims[k++] = id;
	}
	s->n_claims = k;
}

/*
 * Under a stable leader with no faults, a proposal a live node holds must
 * not wait for its timeout: it commits within a few heartbeats, or the
 * core knows it was lost and proposes it again.
 */
static void check_stuck(struct sim *s)
{
	u64 id, bound = 3 * 2 * 2 * s->nodes[0].tn.cfg.election_ticks *
		      (US_PER_TICK * 3 / 2);

	struct raft_membership mb;
	const struct raft_membership *m;

	if (!s->stable_leader || s->faults || !s->n_open_ops)
		return;
	m = leader_conf(s, &mb);
	for (id = 0; id < s->nops; id++) {
		struct op *p = &s->ops[id];
		struct attempt *a;
		u64 since;

		if (p->state != OP_INFLIGHT || !counts(s, p->node, m))
			continue;
		a = &s->atts[p->cookie];
		since = a->t > s->stable_time ? a->t : s->stable_time;
		if (s->now > since + bound) {
			violation(s, a->node, "stuck",
				  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ", try %u, taken at t=%" PRIu64 ") unresolved %" PRIu64 " time units into a stable leader's term",
				  id, p->session, p->seq, p->tries, a->t,
				  s->now - since);
			return;
		}
	}
}

/* Runs every per-step checker over every live node. */
static void check_all(struct sim *s)
{
	struct raft_status st;
	u64 gc_before = s->gc_len;
	u32 i;

	for (i = 0; i < s->n && !s->failed; i++) {
		struct snode *sn = &s->nodes[i];

		if (!sn->up || sn->busy)
			continue;
		raft_get_status(sn->tn.r, &st);
		if (s->o->verbose && (st.role != sn->role || st.term != sn->term))
			printf("   node %u: %s term %" PRIu64 " (leader %u, commit %" PRIu64 ", last %" PRIu64 ")\n",
			       sn->tn.id, raft_role_name(st.role), st.term,
			       st.leader, st.commit_index, st.last_index);
		if (st.term < sn->term)
			violation(s, i, "term-decreased",
				  "term went from %" PRIu64 " to %" PRIu64,
				  sn->term, st.term);
		sn->role = st.role;
		sn->term = st.term;
		if (st.term > s->s_max_term)
			s->s_max_term = st.term;
		check_commit(s, i, &st);
		if (st.role == RAFT_LEADER && !s->failed)
			check_leader(s, i, &st);
	}
	if (s->gc_len != gc_before && s->n_claims && !s->failed)
		check_claims(s);
	if (!s->failed)
		check_stuck(s);
}

/* ---- clients --------------------------------------------------------- */

static void queue_ready(struct sim *s, u32 ni);

static struct op *op_of(struct sim *s, u64 id)
{
	return &s->ops[id];
}

static void client_close(struct sim *s, struct op *p, u64 id)
{
	struct client *c = &s->clients[p->client];
	u32 i;

	for (i = 0; i < c->n_open; i++) {
		if (c->open[i] == id) {
			c->open[i] = c->open[--c->n_open];
			return;
		}
	}
}

static void op_final(struct sim *s, u64 id, u8 state)
{
	struct op *p = op_of(s, id);

	p->state = state;
	p->t_done = s->now;
	s->n_open_ops--;
	client_close(s, p, id);
	if (state == OP_OK)
		s->s_ok++;
	else if (state == OP_NOTHING)
		s->s_nothing++;
	else
		s->s_unknown++;
	if (s->o->verbose)
		printf("   write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 "): %s after %u tries (status %d)\n",
		       id, p->session, p->seq, op_state_name(state), p->tries,
		       p->status);
	if (state == OP_NOTHING && p->committed_at && !p->lost_claim)
		violation(s, p->node, "nothing-committed",
			  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ") told nothing was appended (status %d) but committed at %" PRIu64,
			  id, p->session, p->seq, p->status, p->committed_at);
}

/* Again later under the same (session, seq), or given up as unknown. */
static void op_again(struct sim *s, u64 id)
{
	struct op *p = op_of(s, id);

	if (p->own || p->tries + p->stales >= MAX_TRIES) {
		op_final(s, id, p->maybe ? OP_UNKNOWN : OP_NOTHING);
		return;
	}
	p->state = OP_QUEUED;
	p->t_next = s->now + 5 + below(s, 60);
	s->s_retries++;
}

static bool node_usable(struct sim *s, u32 ni)
{
	return s->nodes[ni].up && !s->nodes[ni].busy;
}

static u32 pick_node(struct sim *s, const struct client *c,
		     const struct op *p)
{
	u32 i, k, up = 0, cand[MAXN];

	if (c->kind != CL_ROAM)
		return c->home;
	if (p->tries && node_usable(s, p->node) && chance_pm(s, 500))
		return p->node;
	for (i = 0; i < s->n; i++)
		if (node_usable(s, i))
			cand[up++] = i;
	if (!up)
		return below(s, s->n);
	k = below(s, up);
	return cand[k];
}

/* A client tries write @id now, on a node of its choosing. */
static void op_try(struct sim *s, u64 id)
{
	struct op *p = op_of(s, id);
	struct client *c = &s->clients[p->client];
	u32 ni = pick_node(s, c, p);
	struct snode *sn = &s->nodes[ni];
	struct raft_proposal prop;
	u32 timeout = 0;
	u64 cookie = s->natts;
	int rc;

	if (!node_usable(s, ni)) {
		/* the module queues it until its loop runs again */
		p->t_next = s->now + 1 + below(s, 10);
		return;
	}
	if (!chance_pm(s, 300))
		timeout = chance_pm(s, 300) ? 10 + below(s, 50) :
					      100 + below(s, 900);
	if (!p->tries && !p->own) {
		/* the commit seen before its first try; sometimes unknown */
		struct raft_status st;

		raft_get_status(sn->tn.r, &st);
		p->start = chance_pm(s, 150) ? 0 : st.commit_index;
	}
	prop = (struct raft_proposal){
		.cookie = cookie, .session = p->session, .seq = p->seq,
		.start = p->start, .timeout = timeout,
		.accept_only = p->accept_only, .first_try = !p->tries,
		.data = p->data, .len = p->len,
	};
	if (p->own)
		rc = raft_propose(sn->tn.r, cookie, p->data, p->len);
	else
		rc = raft_propose_in(sn->tn.r, &prop);
	if (s->o->verbose)
		printf("   write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 "%s%s, try %u) on node %u: %d\n",
		       id, p->session, p->seq, p->accept_only ? ", accept" : "",
		       p->own ? ", own" : "", p->tries + 1, sn->tn.id, rc);
	p->tried = (u8)ni;
	switch (rc) {
	case RAFT_OK:
		if (s->natts == s->atts_cap) {
			s->atts_cap = s->atts_cap ? s->atts_cap * 2 : 256;
			s->atts = xrealloc(s->atts, s->atts_cap * sizeof(*s->atts));
		}
		s->atts[s->natts++] = (struct attempt){
			.op = id, .node = (u8)ni, .epoch = sn->epoch,
			.first_try = !p->tries, .t = s->now,
			/* the default is the core's to choose: generous */
			.deadline = sn->ticks + 10 + (timeout && !p->own ?
				timeout : 50 * sn->tn.cfg.election_ticks),
		};
		if (s->atts[s->natts - 1].deadline < sn->next_deadline)
			sn->next_deadline = s->atts[s->natts - 1].deadline;
		p->state = OP_INFLIGHT;
		p->node = (u8)ni;
		p->cookie = cookie;
		p->tries++;
		queue_ready(s, ni);
		break;
	case RAFT_ENOLEADER:
	case RAFT_EBUSY:
	case RAFT_ENOMEM:
		/* nothing taken: the module's queue tries again later */
		p->refusals++;
		s->s_refused++;
		if (s->now - p->t_created > 2000 || p->refusals > 300) {
			p->status = rc;
			op_final(s, id, p->maybe ? OP_UNKNOWN : OP_NOTHING);
		} else {
			p->t_next = s->now + 3 + below(s, 40);
		}
		break;
	case RAFT_ESTALE:
		p->stales++;
		p->status = rc;
		s->s_stale++;
		op_again(s, id);
		break;
	default:
		violation(s, ni, "propose-refused",
			  "raft_propose%s(session %" PRIx64 " seq %" PRIu64 ", %u bytes) returned %d",
			  p->own ? "" : "_in", p->session, p->seq, p->len, rc);
		op_final(s, id, p->maybe ? OP_UNKNOWN : OP_NOTHING);
		break;
	}
}

static u64 op_new(struct sim *s, u32 k)
{
	struct client *c = &s->clients[k];
	u64 id = s->nops;
	struct op *p;
	u32 len, i;

	if (s->nops == s->ops_cap) {
		s->ops_cap = s->ops_cap ? s->ops_cap * 2 : 256;
		s->ops = xrealloc(s->ops, s->ops_cap * sizeof(*s->ops));
	}
	p = &s->ops[s->nops++];
	memset(p, 0, sizeof(*p));
	p->client = k;
	p->own = c->kind == CL_OWN;
	p->accept_only = !p->own && chance_pm(s, 100);
	p->state = OP_QUEUED;
	p->t_created = s->now;
	p->t_next = s->now;
	if (!p->own) {
		if (!c->session) {
			c->session = rnd(s) | 1;
			c->next_seq = 1 + (chance_pm(s, 200) ? below(s, 1000000) : 0);
		}
		p->session = c->session;
		p->seq = c->next_seq++;
	}
	len = 8 + below(s, 64);
	if (chance_pm(s, 20))
		len = 8 + below(s, 4096 - 8);
	p->len = len;
	p->data = xrealloc(NULL, len);
	s->n_open_ops++;
	raft_put_le64(id, p->data);
	for (i = 8; i < len; i++)
		p->data[i] = (u8)(id * 31 + i);
	p->ddh = th_hash(p->data, len, 0);
	c->open[c->n_open++] = id;
	return id;
}

static bool client_can_open(struct sim *s, const struct client *c)
{
	u64 lo = c->next_seq;
	u32 i;

	if (c->n_open >= c->depth)
		return false;
	if (c->kind != CL_ROAM && !node_usable(s, c->home))
		return false;
	for (i = 0; i < c->n_open; i++)
		if (s->ops[c->open[i]].seq < lo)
			lo = s->ops[c->open[i]].seq;
	/* the window: a seq is never more than it ahead of an open one */
	return c->kind == CL_OWN || !c->session ||
	       c->next_seq - lo < RAFT_SESSION_WINDOW;
}

static void client_event(struct sim *s)
{
	struct client *c;
	u32 k, i;

	if (!s->n_clients)
		return;
	k = below(s, s->n_clients);
	c = &s->clients[k];
	for (i = 0; i < c->n_open; i++) {
		u64 id = c->open[i];

		if (s->ops[id].state == OP_QUEUED && s->ops[id].t_next <= s->now) {
			op_try(s, id);
			return;
		}
	}
	if (s->step < s->stop_prop_step && s->step <= s->o->steps &&
	    chance_pm(s, 400) && client_can_open(s, c))
		op_try(s, op_new(s, k));
}

/* ---- membership changes ---------------------------------------------- */

/* The one result of a change: from the node that took it, of its kinds. */
static void change_result(struct sim *s, u32 ni,
			  const struct raft_proposal_result *res)
{
	u64 k = res->cookie & ~CHANGE_COOKIE;
	struct change_rec *c = k < s->n_chg ? &s->chg[k] : NULL;
	struct raft_status st;

	if (!c || c->done || c->node != ni || c->epoch != s->nodes[ni].epoch) {
		violation(s, ni, "result-twice",
			  "second or foreign result (status %d) for change %" PRIu64,
			  res->status, k);
		return;
	}
	c->done = true;
	if (res->status == RAFT_OK) {
		raft_get_status(s->nodes[ni].tn.r, &st);
		if (res->index > st.commit_index)
			violation(s, ni, "change-result",
				  "change %" PRIu64 " reported committed at %" PRIu64 ", commit is %" PRIu64,
				  k, res->index, st.commit_index);
		s->s_changes_ok++;
	} else if (res->status != RAFT_ELOST && res->status != RAFT_EUNKNOWN) {
		violation(s, ni, "result-status",
			  "change %" PRIu64 " ended with status %d", k,
			  res->status);
	}
}

/* A change the core refused synchronously: one of the reasons raft.h gives. */
static bool refusal_ok(int rc)
{
	switch (rc) {
	case RAFT_EPENDING: case RAFT_ETRANSFER: case RAFT_EEXIST:
	case RAFT_EADDRINUSE: case RAFT_ENOENT: case RAFT_ENOVOTER:
	case RAFT_ELEARNER: case RAFT_EBUSY: case RAFT_EINVAL:
		return true;
	}
	return false;
}

/* One op on node index @k: its id, and for an add an address of its own. */
static void change_op(struct sim *s, struct raft_change *ch, u8 type, u32 k)
{
	struct raft_change_op *op = &ch->ops[ch->n_ops++];

	op->type = type;
	op->id = s->nodes[k].tn.id;
	if (type == RAFT_CHANGE_ADD_VOTER || type == RAFT_CHANGE_ADD_LEARNER) {
		op->addr.len = 4;
		memcpy(op->addr.bytes, &op->id, 4);
	}
}

/*
 * What the leader is asked: a transfer, or one of the changes an operator
 * makes (remove, add a voter or a learner, promote, replace one node by
 * another, two voters at once). Ids are drawn blindly: the core refuses
 * what makes no sense, and a refusal must change nothing.
 */
static int make_change(struct sim *s, int li, struct raft_change *ch)
{
	u32 a = below(s, s->n), b = below(s, s->n);

	switch (below(s, 7)) {
	case 0:
		s->s_transfers++;
		return raft_transfer_leader(s->nodes[li].tn.r, chance_pm(s, 500) ?
					    0 : s->nodes[a].tn.id);
	case 1:
		change_op(s, ch, RAFT_CHANGE_REMOVE, a);
		break;
	case 2:
		change_op(s, ch, RAFT_CHANGE_ADD_VOTER, a);
		break;
	case 3:
		change_op(s, ch, RAFT_CHANGE_ADD_LEARNER, a);
		break;
	case 4:
		change_op(s, ch, RAFT_CHANGE_PROMOTE, a);
		break;
	case 5:	/* replace: joint */
		change_op(s, ch, RAFT_CHANGE_ADD_VOTER, a);
		change_op(s, ch, RAFT_CHANGE_REMOVE, b);
		break;
	default:
		change_op(s, ch, chance_pm(s, 500) ? RAFT_CHANGE_REMOVE :
			  RAFT_CHANGE_PROMOTE, a);
		change_op(s, ch, chance_pm(s, 500) ? RAFT_CHANGE_ADD_VOTER :
			  RAFT_CHANGE_PROMOTE, b);
		break;
	}
	return raft_propose_change(s->nodes[li].tn.r,
				   CHANGE_COOKIE | s->n_chg, ch);
}

static void member_change(struct sim *s)
{
	struct raft_membership before, after;
	struct raft_change ch = { 0 };
	int li = sim_leader(s), rc;

	if (li < 0)
		return;
	node_conf(s, (u32)li, &before);
	rc = make_change(s, li, &ch);
	if (!ch.n_ops)
		return;		/* a transfer */
	if (rc == RAFT_OK) {
		if (s->n_chg == s->chg_cap) {
			s->chg_cap = s->chg_cap ? 2 * s->chg_cap : 16;
			s->chg = xrealloc(s->chg, s->chg_cap * sizeof(*s->chg));
		}
		s->chg[s->n_chg++] = (struct change_rec){
			.node = (u8)li, .epoch = s->nodes[li].epoch, .t = s->now,
		};
		s->s_changes++;
		queue_ready(s, (u32)li);
		return;
	}
	s->s_changes_refused++;
	node_conf(s, (u32)li, &after);
	if (!refusal_ok(rc) || after.index != before.index)
		violation(s, (u32)li, "change-refused",
			  "a change refused with %d (configuration %" PRIu64 " then %" PRIu64 ")",
			  rc, before.index, after.index);
}

/* Every change whose node lived on got its result by the end. */
static void check_changes_end(struct sim *s)
{
	u64 k;

	for (k = 0; k < s->n_chg && !s->failed; k++) {
		struct change_rec *c = &s->chg[k];

		if (!c->done && s->nodes[c->node].up &&
		    s->nodes[c->node].epoch == c->epoch)
			violation(s, c->node, "unresolved",
				  "membership change %" PRIu64 " taken at t=%" PRIu64 " has no result at the end",
				  k, c->t);
	}
}

static void on_result(void *ctx, struct tnode *tn,
		      const struct raft_proposal_result *res)
{
	struct sim *s = ctx;
	int ni = node_index(s, tn->id);
	struct attempt *a;
	struct op *p;
	u64 id;

	if (res->cookie & CHANGE_COOKIE) {
		change_result(s, (u32)ni, res);
		return;
	}
	if (res->cookie >= s->natts) {
		violation(s, (u32)ni, "result-twice",
			  "result for unknown cookie %" PRIu64, res->cookie);
		return;
	}
	a = &s->atts[res->cookie];
	id = a->op;
	p = op_of(s, id);
	if (a->done || a->node != ni || a->epoch != s->nodes[ni].epoch ||
	    p->state != OP_INFLIGHT || p->cookie != res->cookie) {
		violation(s, (u32)ni, "result-twice",
			  "second or foreign result (status %d) for write %" PRIu64 " try taken by node %u at t=%" PRIu64 " (write %s)",
			  res->status, id, s->nodes[a->node].tn.id, a->t,
			  op_state_name(p->state));
		return;
	}
	a->done = true;
	p->status = res->status;
	if (s->o->verbose)
		printf("   result: write %" PRIu64 " status %d at %" PRIu64 "/%" PRIu64 "\n",
		       id, res->status, res->index, res->term);
	switch (res->status) {
	case RAFT_OK:
		if (!res->index || !res->term) {
			violation(s, (u32)ni, "ok-index",
				  "write %" PRIu64 " ok at %" PRIu64 "/%" PRIu64,
				  id, res->index, res->term);
			return;
		}
		p->ok_index = res->index;
		p->ok_term = res->term;
		op_final(s, id, OP_OK);
		if (p->ok_index <= s->gc_len) {
			check_claim(s, id);
		} else {
			if (s->n_claims == s->claims_cap) {
				s->claims_cap = s->claims_cap ? 2 * s->claims_cap : 64;
				s->claims = xrealloc(s->claims, s->claims_cap * 8);
			}
			s->claims[s->n_claims++] = id;
		}
		break;
	case RAFT_ELOST:
		s->s_lost++;
		p->lost_claim = true;
		if (p->committed_at)
			violation(s, (u32)ni, "lost-committed",
				  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ") reported RAFT_ELOST, committed at %" PRIu64,
				  id, p->session, p->seq, p->committed_at);
		op_final(s, id, OP_NOTHING);
		break;
	case RAFT_ENOLEADER:
	case RAFT_EBUSY:
		/* this try appended nothing; if no earlier one can have... */
		if (!p->maybe)
			op_final(s, id, OP_NOTHING);
		else
			op_again(s, id);
		break;
	case RAFT_EUNKNOWN:
	case RAFT_ESTALE:
		p->maybe = true;
		op_again(s, id);
		break;
	default:
		violation(s, (u32)ni, "result-status",
			  "write %" PRIu64 " ended with status %d", id,
			  res->status);
		p->maybe = true;
		op_final(s, id, OP_UNKNOWN);
		break;
	}
}

/* Node @ni died: what it held has no result coming. */
static void clients_node_died(struct sim *s, u32 ni)
{
	u64 id;
	u32 k;

	for (id = 0; id < s->nops; id++) {
		struct op *p = &s->ops[id];

		if (p->state != OP_INFLIGHT || p->node != ni)
			continue;
		s->atts[p->cookie].done = true;
		s->s_orphans++;
		p->maybe = true;
		p->status = 1;	/* died with its node */
		if (s->clients[p->client].kind == CL_ROAM)
			op_again(s, id);
		else
			op_final(s, id, OP_UNKNOWN);
	}
	/* the files open on it are gone: their writers see an error */
	for (k = 0; k < s->n_clients; k++) {
		struct client *c = &s->clients[k];

		if (c->kind == CL_ROAM || c->home != ni)
			continue;
		while (c->n_open) {
			struct op *p = &s->ops[c->open[0]];

			op_final(s, c->open[0], p->maybe ? OP_UNKNOWN : OP_NOTHING);
		}
		c->session = 0;
	}
}

static void setup_clients(struct sim *s)
{
	u32 i, k, n_roam = 1 + below(s, 3);

	s->n_clients = 0;
	for (i = 0; i < s->n; i++) {
		u32 per = 1 + below(s, 3);

		for (k = 0; k < per && s->n_clients < MAX_CLIENTS; k++) {
			struct client *c = &s->clients[s->n_clients++];

			memset(c, 0, sizeof(*c));
			c->kind = chance_pm(s, 250) ? CL_OWN : CL_FILE;
			c->home = (u8)i;
		}
	}
	for (i = 0; i < n_roam && s->n_clients < MAX_CLIENTS; i++) {
		struct client *c = &s->clients[s->n_clients++];

		memset(c, 0, sizeof(*c));
		c->kind = CL_ROAM;
	}
	for (k = 0; k < s->n_clients; k++) {
		struct client *c = &s->clients[k];

		c->depth = chance_pm(s, 150) ? RAFT_SESSION_WINDOW :
			   1 + below(s, 4);
	}
}

/* ---- node life ------------------------------------------------------- */

static void queue_ready(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];

	if (sn->up && !sn->busy && !sn->ready_queued &&
	    raft_has_ready(sn->tn.r)) {
		sn->ready_queued = true;
		at(s, sn->disk_mode == DISK_LAZY ?
		      below(s, sn->disk_delay + 1) : 0, EV_READY, ni);
	}
}

static void drop_inbox(struct sim *s, struct snode *sn)
{
	u32 i;

	for (i = 0; i < sn->in_n; i++)
		free_msg(s, sn->inbox[i].msg);
	s->s_dropped += sn->in_n;
	sn->in_n = 0;
}

static void crash(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];

	if (s->o->verbose)
		printf("   node %u crashes\n", sn->tn.id);
	tn_crash(&sn->tn);
	sn->up = false;
	sn->busy = false;
	sn->missed = 0;
	drop_inbox(s, sn);
	sn->epoch++;
	sn->ready_queued = false;
	sn->crash_in_ready = false;
	s->s_crashes++;
	clients_node_died(s, ni);
}

static void restart(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];

	if (sn->up || sn->gone)
		return;
	if (tn_restart(&sn->tn, rnd(s)))
		return;
	if (s->o->verbose)
		printf("   node %u restarts (term %" PRIu64 ", vote %u, %" PRIu64 " entries)\n",
		       sn->tn.id, sn->tn.disk.term, sn->tn.disk.vote,
		       sn->tn.disk.n);
	sn->up = true;
	sn->commit_seen = 0;
	sn->role = RAFT_FOLLOWER;
	sn->term = sn->tn.disk.term;
	sn->quiet = 0;
	sn->ticks = 0;
	sn->next_deadline = UINT64_MAX;
	sn->pv_term = sn->cv_term = 0;
	s->s_restarts++;
	at(s, sn->period, EV_TICK, ni);
}

/*
 * Async nodes: an fsync of what is written, one at a time, as the
 * kernel's fsync worker does. Mostly quick, sometimes several election
 * timeouts long (the slow disk a leader must survive); a blocking disk
 * gives its own delay. Once the faults stop, as quick as a fast disk:
 * the liveness bounds assume one (catching up a node one loaded entry
 * per fsync at 10 ticks each takes longer than a proposal's timeout).
 */
static void fsync_at(struct sim *s, u32 ni, u64 delay)
{
	struct snode *sn = &s->nodes[ni];
	struct event ev = { .time = s->now + delay, .kind = EV_FSYNC,
			    .node = (u8)ni, .epoch = sn->epoch,
			    .msg_len = ++sn->sync_gen };

	push(s, ev);
}

static void start_fsync(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];
	u64 delay;

	if (!sn->up || !tn_sync_begin(&sn->tn))
		return;
	if (!s->faults)
		delay = 1 + below(s, 3);	/* as quick as DISK_FAST */
	else if (sn->disk_mode == DISK_BLOCK)
		delay = 1 + below(s, sn->disk_delay);
	else if (chance_pm(s, 60))
		delay = 300 + below(s, 600);
	else
		delay = 1 + below(s, 40);
	fsync_at(s, ni, delay);
}

static void end_fsync(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];
	int stale = chance_pm(s, 100) ? 1 + (int)below(s, 2) : 0;

	tn_sync_end(&sn->tn, stale);
	s->s_syncs++;
	start_fsync(s, ni);
	queue_ready(s, ni);
}

static void after_ready(struct sim *s, u32 ni, u64 first)
{
	if (s->failed)
		return;
	check_log_matching(s, ni, first);
	check_rewrite(s, ni, first);
}

static void do_ready(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];
	const struct raft_ready *rd = &sn->tn.rd;

	sn->ready_queued = false;
	if (!sn->up || sn->busy || !raft_has_ready(sn->tn.r))
		return;
	if (sn->crash_in_ready) {
		if (s->o->verbose)
			printf("   node %u crashes before persisting\n",
			       sn->tn.id);
		tn_process_ready(&sn->tn, true);
		crash(s, ni);
		at(s, 20 + below(s, 200), EV_RESTART, ni);
		return;
	}
	tn_ready_begin(&sn->tn);
	if (sn->disk_mode == DISK_BLOCK &&
	    (rd->hardstate_changed ||
	     (rd->n_entries && !sn->tn.cfg.async_persist))) {
		/* fsync: the loop stops here; the world goes on */
		sn->busy = true;
		s->s_blocks++;
		at(s, 1 + below(s, sn->disk_delay), EV_UNBLOCK, ni);
		return;
	}
	after_ready(s, ni, tn_ready_end(&sn->tn));
	start_fsync(s, ni);
}

/* The blocked loop returns from fsync and catches up. */
static void unblock(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];
	u32 i, n;

	after_ready(s, ni, tn_ready_end(&sn->tn));
	sn->busy = false;
	start_fsync(s, ni);
	n = sn->missed < CATCHUP ? sn->missed : CATCHUP;
	sn->missed = 0;
	for (i = 0; i < n && sn->up && !s->failed; i++)
		node_tick(s, ni);
	for (i = 0; i < sn->in_n; i++) {
		if (sn->up && !s->failed)
			deliver(s, &sn->inbox[i]);
		free_msg(s, sn->inbox[i].msg);
	}
	sn->in_n = 0;
	queue_ready(s, ni);
}

/* ---- faults ---------------------------------------------------------- */

static void heal_links(struct sim *s)
{
	memset(s->blocked, 0, sizeof(s->blocked));
	memset(s->slow, 0, sizeof(s->slow));
}

static void set_disk(struct sim *s, struct snode *sn)
{
	u32 r = below(s, 10);

	if (r < 4) {
		sn->disk_mode = DISK_FAST;
		sn->disk_delay = 0;
	} else if (r < 6) {
		sn->disk_mode = DISK_LAZY;
		sn->disk_delay = below(s, 30);
	} else {
		sn->disk_mode = DISK_BLOCK;
		sn->disk_delay = chance_pm(s, 700) ? 2 + below(s, 40) :
				 chance_pm(s, 800) ? 50 + below(s, 150) :
						     200 + below(s, 400);
	}
}

static void fault(struct sim *s)
{
	u32 a, b, i, j;
	struct snode *sn;

	if (s->members && chance_pm(s, 300)) {
		member_change(s);
		return;
	}
	a = below(s, s->n);
	b = below(s, s->n);
	sn = &s->nodes[a];

	switch (below(s, 10)) {
	case 0:	/* network quality */
		s->drop_pm = chance_pm(s, 300) ? 0 : below(s, 300);
		s->dup_pm = below(s, 150);
		s->long_delay_pm = below(s, 200);
		break;
	case 1: { /* symmetric partition into two random sides */
		u32 side = (u32)rnd(s);

		for (i = 0; i < s->n; i++)
			for (j = 0; j < s->n; j++)
				s->blocked[i][j] = ((side >> i) & 1) !=
						   ((side >> j) & 1);
		s->s_partitions++;
		break;
	}
	case 2:	/* one-way link cut, or a link that holds messages back */
		if (a != b && chance_pm(s, 600))
			s->blocked[a][b] = true;
		else if (a != b)
			s->slow[a][b] = 50 + below(s, 400);
		s->s_partitions++;
		break;
	case 3:	/* a node hears nobody, or nobody hears it */
		for (i = 0; i < s->n; i++) {
			if (b & 1)
				s->blocked[i][a] = i != a;
			else
				s->blocked[a][i] = i != a;
		}
		s->s_partitions++;
		break;
	case 4:
	case 5:
		heal_links(s);
		break;
	case 6:	/* crash now, or halfway through the next ready */
		if (!sn->up)
			break;
		if (chance_pm(s, 500)) {
			sn->crash_in_ready = true;
		} else {
			crash(s, a);
			at(s, 20 + below(s, 300), EV_RESTART, a);
		}
		break;
	case 7:	/* tick rate skew */
		sn->period = sn->base_period / 2 + below(s, sn->base_period);
		if (sn->period < 4)
			sn->period = 4;
		break;
	case 8:	/* slow disk: lazy, or blocking the loop */
		set_disk(s, sn);
		break;
	default: /* restart someone who is down */
		restart(s, a);
		break;
	}
	if (s->o->verbose >= 1) {
		printf("   faults: drop %u‰ dup %u‰ delay %u‰, cut:", s->drop_pm,
		       s->dup_pm, s->long_delay_pm);
		for (i = 0; i < s->n; i++)
			for (j = 0; j < s->n; j++)
				if (s->blocked[i][j])
					printf(" %u>%u", s->nodes[i].tn.id,
					       s->nodes[j].tn.id);
		printf("\n");
	}
}

static void heal(struct sim *s)
{
	u64 k;

	/* a change's result may be lost with its node; the rest must come */
	for (k = 0; k < s->n_chg; k++)
		s->chg[k].t = s->chg[k].done ? 0 : s->now;
	u32 i, gone = 0;

	if (s->o->verbose)
		printf("== step %u: faults stop\n", s->step);
	s->faults = false;
	s->heal_time = s->now;
	heal_links(s);
	s->drop_pm = s->dup_pm = s->long_delay_pm = 0;
	/* sometimes a minority stays down for good */
	if (s->n >= 3 && !s->members && chance_pm(s, 300))
		gone = 1 + below(s, (s->n - 1) / 2);
	for (i = 0; i < gone; i++) {
		u32 k = below(s, s->n);

		while (s->nodes[k].gone)
			k = (k + 1) % s->n;
		if (s->nodes[k].up)
			crash(s, k);
		s->nodes[k].gone = true;
		s->s_gone++;
		if (s->o->verbose)
			printf("   node %u stays down\n", s->nodes[k].tn.id);
	}
	for (i = 0; i < s->n; i++) {
		struct snode *sn = &s->nodes[i];

		sn->period = sn->base_period;
		sn->disk_mode = DISK_FAST;
		sn->disk_delay = 0;
		sn->crash_in_ready = false;
		/* the disk is quick again: a slow fsync under way ends soon */
		if (sn->up && sn->tn.syncing)
			fsync_at(s, i, 1 + below(s, 3));
		restart(s, i);
	}
}

/* ---- liveness -------------------------------------------------------- */

/* The leader every live node follows in one term, or 0. */
static u32 agreed_leader(struct sim *s, u64 *term)
{
	struct raft_membership mb;
	const struct raft_membership *m = leader_conf(s, &mb);
	struct raft_status st;
	u32 leader = 0, i;

	if (s->members && !m)
		return 0;
	for (i = 0; i < s->n; i++) {
		if (!counts(s, i, m))
			continue;
		if (!s->nodes[i].up || s->nodes[i].busy)
			return 0;
		raft_get_status(s->nodes[i].tn.r, &st);
		if (!st.leader || (leader && (st.leader != leader ||
					      st.term != *term)))
			return 0;
		leader = st.leader;
		*term = st.term;
		if (st.leader == st.id && st.role != RAFT_LEADER)
			return 0;
	}
	if (leader && s->nodes[node_index(s, leader)].gone)
		return 0;
	return leader;
}

/*
 * A node's idea of the leader can be stale, so one agreed leader counts as
 * stable only once it has held for two worst-case election timeouts; the
 * stable period starts when that window began.
 */
static u64 stable_window(struct sim *s)
{
	return 2ULL * 2 * s->nodes[0].tn.cfg.election_ticks *
	       (US_PER_TICK * 3 / 2);
}

/* Node @id is up and its newest configuration no longer has it vote. */
static bool leader_removed(struct sim *s, u32 id)
{
	int i = node_index(s, id);
	struct raft_status st;

	if (i < 0 || !s->nodes[i].up)
		return false;
	raft_get_status(s->nodes[i].tn.r, &st);
	return st.role != RAFT_LEADER && !st.voter;
}

static void watch_liveness(struct sim *s)
{
	u64 term = 0;
	u32 l;

	if (s->faults || s->failed)
		return;
	l = agreed_leader(s, &term);
	if (!s->stable_leader) {
		if (!l || l != s->cand_leader || term != s->cand_term) {
			s->cand_leader = l;
			s->cand_term = term;
			s->cand_since = s->now;
			return;
		}
		if (s->now - s->cand_since < stable_window(s))
			return;
		s->stable_leader = l;
		s->stable_term = term;
		s->stable_time = s->cand_since;
		s->s_leader_after_heal = s->cand_since - s->heal_time;
		return;
	}
	/*
	 * Once stable with no faults, the leadership must not change, unless
	 * a change taken during the faults removed the leader: it completes
	 * when it completes (slow disks make that late) and the leader then
	 * steps down, as it must. A new stable period begins.
	 */
	if (l && (l != s->stable_leader || term != s->stable_term) &&
	    leader_removed(s, s->stable_leader)) {
		s->stable_leader = 0;
		s->cand_leader = l;
		s->cand_term = term;
		s->cand_since = s->now;
		return;
	}
	if (l && (l != s->stable_leader || term != s->stable_term))
		violation(s, CLUSTER, "liveness",
			  "leader changed from %u (term %" PRIu64 ") to %u (term %" PRIu64 ") with no faults",
			  s->stable_leader, s->stable_term, l, term);
}

/*
 * Ten worst-case election timeouts of the slowest clock. Plain Raft gets
 * forty: without PreVote a node with a short log and a fast clock keeps
 * starting elections it cannot win, each one resetting everybody's timer,
 * and when every live node's vote is needed (a minority down, or 3 of 4)
 * a winner takes its time (up to 12 timeouts seen in 1400 such runs).
 */
static u64 bound_time(struct sim *s)
{
	const struct raft_config *c = &s->nodes[0].tn.cfg;

	return (c->pre_vote ? 10ULL : 40ULL) * 2 * c->election_ticks *
	       (US_PER_TICK * 3 / 2);
}

/*
 * Past its step budget a run goes on, fault-free and without new
 * proposals, while liveness is still undecided: no stable leader yet, or
 * work outstanding, and the bound not yet exceeded.
 */
static bool liveness_pending(struct sim *s)
{
	const struct raft_membership *m;
	struct raft_membership mb;
	struct raft_status st, lst;
	u64 term = 0;
	u32 i, l;

	if (s->now - s->heal_time > bound_time(s) + stable_window(s))
		return false;
	if (!s->stable_leader)
		return true;
	l = agreed_leader(s, &term);
	if (!l)
		return true;
	raft_get_status(s->nodes[node_index(s, l)].tn.r, &lst);
	m = leader_conf(s, &mb);
	for (i = 0; i < s->n; i++) {
		if (!counts(s, i, m))
			continue;
		raft_get_status(s->nodes[i].tn.r, &st);
		if (st.commit_index != lst.last_index)
			return true;
	}
	return s->n_open_ops != 0;
}

/* -v: where every node stands, with its configuration */
static void dump_nodes(struct sim *s)
{
	struct raft_membership m;
	struct raft_status st;
	u32 i, k;

	for (i = 0; i < s->n && s->o->verbose; i++) {
		if (!s->nodes[i].up) {
			printf("   node %u down\n", s->nodes[i].tn.id);
			continue;
		}
		raft_get_status(s->nodes[i].tn.r, &st);
		node_conf(s, i, &m);
		printf("   node %u %s term %" PRIu64 " leader %u commit %" PRIu64 " last %" PRIu64 " config %" PRIu64 "%s%s:",
		       st.id, raft_role_name(st.role), st.term, st.leader,
		       st.commit_index, st.last_index, m.index,
		       m.committed ? " committed" : "", m.joint ? " joint" : "");
		for (k = 0; k < m.n_members; k++)
			printf(" %u%s%s", m.members[k].id,
			       m.members[k].role == RAFT_MEMBER_LEARNER ? "L" :
			       m.members[k].role == RAFT_MEMBER_LEAVING ? "-" : "",
			       m.members[k].outgoing ? "o" : "");
		printf("\n");
	}
}

static void check_liveness_end(struct sim *s)
{
	const struct raft_membership *m;
	struct raft_membership mb;
	struct raft_status st, lst;
	u64 id, term = 0;
	u32 i, l;

	if (s->failed)
		return;
	dump_nodes(s);
	if (!s->stable_leader) {
		violation(s, CLUSTER, "liveness",
			  "no leader followed by all %u live nodes %" PRIu64 " time units after faults stopped (bound %" PRIu64 ")",
			  s->n - (u32)s->s_gone, s->now - s->heal_time,
			  bound_time(s));
		return;
	}
	if (s->stable_time - s->heal_time > bound_time(s)) {
		violation(s, CLUSTER, "liveness",
			  "leader took %" PRIu64 " time units after faults stopped (bound %" PRIu64 ")",
			  s->stable_time - s->heal_time, bound_time(s));
		return;
	}
	l = agreed_leader(s, &term);
	if (!l) {
		violation(s, CLUSTER, "liveness", "no agreed leader at the end");
		return;
	}
	raft_get_status(s->nodes[node_index(s, l)].tn.r, &lst);
	m = leader_conf(s, &mb);
	for (i = 0; i < s->n; i++) {
		if (!counts(s, i, m))
			continue;
		raft_get_status(s->nodes[i].tn.r, &st);
		if (st.commit_index != lst.last_index) {
			violation(s, i, "liveness",
				  "commit %" PRIu64 " at the end, leader's log ends at %" PRIu64,
				  st.commit_index, lst.last_index);
			return;
		}
	}
	for (id = 0; id < s->nops; id++) {
		struct op *p = &s->ops[id];

		/* a node left out of the configuration may wait for good */
		if ((p->state == OP_INFLIGHT && !counts(s, p->node, m)) ||
		    (p->state == OP_QUEUED && !counts(s, p->tried, m)))
			continue;
		if (p->state == OP_INFLIGHT) {
			violation(s, p->node, "unresolved",
				  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ", try %u taken at t=%" PRIu64 ") has no final result at the end",
				  id, p->session, p->seq, p->tries,
				  s->atts[p->cookie].t);
			return;
		}
		if (p->state == OP_QUEUED) {
			violation(s, CLUSTER, "unresolved",
				  "write %" PRIu64 " (session %" PRIx64 " seq %" PRIu64 ") still waits for a try at the end (%u refusals)",
				  id, p->session, p->seq, p->refusals);
			return;
		}
		if (p->state == OP_OK && !p->accept_only &&
		    p->ok_index > s->gc_len) {
			violation(s, p->node, "ok-uncommitted",
				  "write %" PRIu64 " reported committed at %" PRIu64 " but the committed log ends at %" PRIu64,
				  id, p->ok_index, s->gc_len);
			return;
		}
		if (p->t_created > s->stable_time + 4 * US_PER_TICK &&
		    counts(s, p->tried, m) &&
		    (p->state != OP_OK || p->committed_at != p->ok_index)) {
			violation(s, p->node, "liveness",
				  "write %" PRIu64 " made under a stable leader ended %s (status %d, committed at %" PRIu64 ")",
				  id, op_state_name(p->state), p->status,
				  p->committed_at);
			return;
		}
	}
}

/* ---- one seed -------------------------------------------------------- */

/*
 * Node @i's boot configuration: the first @n_boot nodes are the cluster;
 * a later one joins it, booted with those members and itself a learner.
 */
static void boot_config(struct raft_config *cfg, const u32 *ids, u32 n_boot,
			u32 i)
{
	u32 nodes[MAXN];

	if (i < n_boot) {
		raft_config_default(cfg, ids[i], ids, n_boot);
		return;
	}
	memcpy(nodes, ids, n_boot * sizeof(*ids));
	nodes[n_boot] = ids[i];
	raft_config_default(cfg, ids[i], nodes, n_boot + 1);
	cfg->learner[n_boot] = true;
	cfg->join = true;
}

static void setup(struct sim *s, const struct opts *o, u64 seed)
{
	u32 ids[MAXN], i, n_boot;
	u32 msg_bytes = 0, inflight = 0;
	bool pre_vote, check_quorum;
	u32 keep, amode;
	u64 h;

	memset(s, 0, sizeof(*s));
	s->o = o;
	s->seed = seed;
	s->rng = seed * 0x2545f4914f6cdd1dULL + 1;
	s->n = o->nodes;
	/* every other seed of 2 nodes or more changes its membership */
	s->members = s->n >= 2 && (seed / 3) % 2 == 1 && !o->no_members;
	s->wire = o->wire;
	s->hooks = (struct tn_hooks){ .ctx = s, .send = on_send,
				      .result = on_result,
				      .violation = on_violation };
	s->faults = true;
	s->heal_step = o->steps * 55 / 100;
	s->stop_prop_step = o->steps * 85 / 100;
	if (chance_pm(s, 300))
		msg_bytes = 1024 + below(s, 8192);
	else if (chance_pm(s, 400))
		msg_bytes = 32 + below(s, 256);	/* a few entries per append */
	if (chance_pm(s, 300))
		inflight = 1 + below(s, 3);
	/* mostly the shipped defaults; sometimes the paper's plain Raft */
	pre_vote = !chance_pm(s, 150);
	check_quorum = !chance_pm(s, 150);
	/* half the clusters keep only a few entries in memory, as with data_dir */
	keep = chance_pm(s, 500) ? below(s, 6) : TN_KEEP_ALL;
	for (i = 0; i < s->n; i++)
		ids[i] = i + 1 + (u32)(seed % 3) * 10;
	/* with membership changes, the last node or two join later */
	n_boot = s->members && s->n >= 3 ? s->n - 1 - below(s, 2) : s->n;
	/*
	 * Async persistence on a quarter of the seeds' every node, half of
	 * them on some nodes, none on the rest: from the seed alone, so that
	 * seeds without it run as they did before it existed.
	 */
	h = (seed ^ 0x5bd1e995ULL) * 0x9e3779b97f4a7c15ULL;
	amode = o->no_async ? 0 : (u32)(h >> 61) % 4;
	for (i = 0; i < s->n; i++) {
		struct snode *sn = &s->nodes[i];
		struct raft_config cfg;

		boot_config(&cfg, ids, n_boot, i);
		cfg.election_ticks = 10;
		cfg.heartbeat_ticks = 1 + below(s, 3);
		if (msg_bytes)
			cfg.max_msg_bytes = msg_bytes;
		if (inflight)
			cfg.max_inflight = inflight;
		cfg.pre_vote = pre_vote;
		cfg.check_quorum = check_quorum;
		cfg.async_persist = amode == 3 ||
				    (amode && ((h >> (20 + i)) & 1));
		s->s_async_nodes += cfg.async_persist;
		if (o->verbose && cfg.async_persist)
			printf("   node %u: async_persist\n", cfg.id);
		if (raft_config_check(&cfg, NULL) != RAFT_OK) {
			fprintf(stderr, "sim: config rejected\n");
			exit(2);
		}
		tn_init(&sn->tn, &cfg, &s->hooks);
		sn->tn.keep = keep;
		sn->tn.any_peer = s->members;
		sn->base_period = US_PER_TICK - 2 + below(s, 5);
		sn->period = sn->base_period;
		if (tn_start(&sn->tn, rnd(s)))
			exit(2);
		sn->up = true;
		sn->next_deadline = UINT64_MAX;
		at(s, 1 + below(s, sn->period), EV_TICK, i);
	}
	setup_clients(s);
	at(s, 5, EV_CLIENT, MAXN);
	at(s, 30, EV_FAULT, MAXN);
}

static void teardown(struct sim *s)
{
	u64 id;
	u32 i;

	while (s->heap_n) {
		struct event ev = pop(s);

		if (ev.kind == EV_DELIVER)
			free_msg(s, ev.msg);
	}
	for (i = 0; i < s->n; i++) {
		drop_inbox(s, &s->nodes[i]);
		free(s->nodes[i].inbox);
		tn_free(&s->nodes[i].tn);
	}
	for (id = 0; id < s->nops; id++)
		free(s->ops[id].data);
	free(s->heap);
	free(s->gc_term);
	free(s->gc_dh);
	free(s->gc_cterm);
	free(s->gc_pid);
	free(s->gc_type);
	free(s->leader_of);
	free(s->tab);
	free(s->pairs);
	free(s->ops);
	free(s->atts);
	free(s->claims);
	free(s->chg);
}

static void run_event(struct sim *s, struct event *ev)
{
	struct snode *sn = ev->node < s->n ? &s->nodes[ev->node] : NULL;

	switch (ev->kind) {
	case EV_TICK:
		if (!sn->up || ev->epoch != sn->epoch)
			return;
		at(s, sn->period, EV_TICK, ev->node);
		if (sn->busy) {
			sn->missed++;
			return;
		}
		node_tick(s, ev->node);
		queue_ready(s, ev->node);
		break;
	case EV_DELIVER:
		if (sn->up && sn->busy) {
			/* the socket holds it until the loop runs again */
			if (sn->in_n == INBOX_CAP) {
				s->s_dropped++;
				free_msg(s, ev->msg);
				return;
			}
			if (sn->in_n == sn->in_cap) {
				sn->in_cap = sn->in_cap ? 2 * sn->in_cap : 64;
				sn->inbox = xrealloc(sn->inbox, sn->in_cap *
						     sizeof(*sn->inbox));
			}
			sn->inbox[sn->in_n++] = *ev;
			return;
		}
		deliver(s, ev);
		free_msg(s, ev->msg);
		if (sn->up)
			queue_ready(s, ev->node);
		break;
	case EV_READY:
		if (!sn->up || ev->epoch != sn->epoch)
			return;
		do_ready(s, ev->node);
		if (sn->up)
			queue_ready(s, ev->node);
		break;
	case EV_UNBLOCK:
		if (!sn->up || ev->epoch != sn->epoch || !sn->busy)
			return;
		unblock(s, ev->node);
		break;
	case EV_FSYNC:
		if (!sn->up || ev->epoch != sn->epoch ||
		    ev->msg_len != sn->sync_gen)
			return;
		end_fsync(s, ev->node);
		break;
	case EV_CLIENT:
		client_event(s);
		at(s, 1 + below(s, 10), EV_CLIENT, MAXN);
		break;
	case EV_FAULT:
		if (!s->faults)
			return;
		fault(s);
		at(s, 10 + below(s, 150), EV_FAULT, MAXN);
		break;
	case EV_RESTART:
		if (s->faults && ev->epoch == sn->epoch)
			restart(s, ev->node);
		break;
	}
}

static const char *const kind_names[] = { "tick", "deliver", "ready",
					  "client", "fault", "restart",
					  "unblock", "fsync" };

static bool run_seed(const struct opts *o, u64 seed, struct sim *s)
{
	setup(s, o, seed);
	for (s->step = 1; !s->failed; s->step++) {
		if (s->step > o->steps && !liveness_pending(s))
			break;
		struct event ev = pop(s);

		s->now = ev.time;
		if (s->step == s->heal_step)
			heal(s);
		if (o->verbose >= 2 || (o->verbose && ev.kind != EV_TICK &&
					ev.kind != EV_DELIVER &&
					ev.kind != EV_CLIENT))
			printf("step %u t=%" PRIu64 " %s node %u\n", s->step,
			       s->now, kind_names[ev.kind],
			       ev.node < s->n ? s->nodes[ev.node].tn.id : 0);
		run_event(s, &ev);
		if (!s->failed)
			check_all(s);
		watch_liveness(s);
	}
	if (s->step - 1 > o->steps)
		s->s_extra_steps = s->step - 1 - o->steps;
	check_liveness_end(s);
	check_changes_end(s);
	return !s->failed;
}

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
		"usage: %s [--seeds A..B | --seed S] [--steps N] [--nodes 1..5]\n"
		"          [--max-fail K] [-v | -vv] [--no-wire] [--no-members]\n"
		"          [--no-async] [-q]\n"
		"Runs the Raft core in a simulated cluster, one run per seed, with\n"
		"message loss, duplication, delay, reordering, partitions (also\n"
		"one-way), crashes keeping only durable state, slow and blocking\n"
		"disks, async persistence (raft_persisted(), on 3 seeds in 4),\n"
		"tick skew, clients that retry under sessions, and (on every\n"
		"other seed of 2 nodes or more) membership changes: add, remove,\n"
		"replace, add a learner and promote it, leadership transfer, nodes\n"
		"that join with the join flag; checks\n"
		"safety after every step and liveness once the faults stop. Prints\n"
		"`simulations: S seeds, V violations`; each failing seed prints the\n"
		"command that replays it alone.\n"
		"  --seeds A..B  seeds A to B inclusive (default 1..100)\n"
		"  --seed S      just seed S\n"
		"  --steps N     events per run (default 5000)\n"
		"  --nodes K     cluster size, 1 to 5 (default 3)\n"
		"  --max-fail K  stop after K failing seeds\n"
		"  -v, -vv       trace the run (-vv: every message)\n"
		"  --no-wire     pass messages as structs, not encoded datagrams\n"
		"  --no-members  no membership changes on any seed\n"
		"  --no-async    no node with async_persist on any seed\n"
		"  -q            only the summary and failures\n"
		"Exit status: 0 no violation, 1 violations, 2 usage error.\n",
		argv0);
}

static int parse_u64(const char *s, u64 *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int i;
	u64 v;

	*o = (struct opts){ .seed_lo = 1, .seed_hi = 100, .steps = 5000,
			    .nodes = 3, .argv0 = argv[0] };
#ifdef SIM_WIRE
	o->wire = true;
#endif
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout, argv[0]);
			exit(0);
		} else if (!strcmp(a, "-v")) {
			o->verbose = 1;
		} else if (!strcmp(a, "-vv")) {
			o->verbose = 2;
		} else if (!strcmp(a, "-q")) {
			o->quiet = true;
		} else if (!strcmp(a, "--no-wire")) {
			o->wire = false;
		} else if (!strcmp(a, "--no-members")) {
			o->no_members = true;
		} else if (!strcmp(a, "--no-async")) {
			o->no_async = true;
		} else if (!strcmp(a, "--seeds") && val) {
			const char *dots = strstr(val, "..");
			char lo[32];

			if (!dots || dots - val >= (int)sizeof(lo))
				return -1;
			memcpy(lo, val, dots - val);
			lo[dots - val] = 0;
			if (parse_u64(lo, &o->seed_lo) ||
			    parse_u64(dots + 2, &o->seed_hi) ||
			    o->seed_hi < o->seed_lo)
				return -1;
			i++;
		} else if (!strcmp(a, "--seed") && val) {
			if (parse_u64(val, &o->seed_lo))
				return -1;
			o->seed_hi = o->seed_lo;
			i++;
		} else if (!strcmp(a, "--steps") && val) {
			if (parse_u64(val, &v) || v < 100 || v > 100000000)
				return -1;
			o->steps = (u32)v;
			i++;
		} else if (!strcmp(a, "--nodes") && val) {
			if (parse_u64(val, &v) || v < 1 || v > MAXN)
				return -1;
			o->nodes = (u32)v;
			i++;
		} else if (!strcmp(a, "--max-fail") && val) {
			if (parse_u64(val, &v) || v < 1 || v > UINT32_MAX)
				return -1;
			o->max_fail = (u32)v;
			i++;
		} else {
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct sim s;
	u64 seed, seeds = 0, bad = 0, max_heal = 0, max_extra = 0;
	u64 t_msgs = 0, t_drop = 0, t_crash = 0, t_ok = 0, t_nothing = 0;
	u64 t_unknown = 0, t_retries = 0, t_refused = 0, t_lost = 0;
	u64 t_stale = 0, t_orphans = 0, t_blocks = 0, t_gone = 0;
	u64 t_loads = 0, t_commit = 0, t_leaders = 0, t_part = 0, max_term = 0;
	u64 t_chg = 0, t_chg_ok = 0, t_chg_no = 0, t_xfer = 0, t_mseeds = 0;
	u64 t_async = 0, t_syncs = 0, t_ahead = 0, t_held = 0, t_held_drop = 0;
	u64 t_stale_rep = 0;
	struct opts o;

	if (parse_args(argc, argv, &o)) {
		usage(stderr, argv[0]);
		return 2;
	}
	for (seed = o.seed_lo; seed <= o.seed_hi; seed++) {
		bool ok = run_seed(&o, seed, &s);

		seeds++;
		if (!ok) {
			bad++;
			printf("FAIL seed %" PRIu64 " (%u nodes): %s -- replay: %s --seed %" PRIu64 " --steps %u --nodes %u%s%s%s -v\n",
			       seed, o.nodes, s.violation, o.argv0, seed,
			       o.steps, o.nodes, o.wire ? "" : " --no-wire",
			       o.no_members ? " --no-members" : "",
			       o.no_async ? " --no-async" : "");
			fflush(stdout);
		}
		t_msgs += s.s_msgs;
		t_drop += s.s_dropped;
		t_crash += s.s_crashes;
		t_ok += s.s_ok;
		t_nothing += s.s_nothing;
		t_unknown += s.s_unknown;
		t_retries += s.s_retries;
		t_refused += s.s_refused;
		t_lost += s.s_lost;
		t_stale += s.s_stale;
		t_orphans += s.s_orphans;
		t_blocks += s.s_blocks;
		t_async += s.s_async_nodes;
		t_syncs += s.s_syncs;
		t_ahead += s.s_ahead;
		for (u32 i = 0; i < s.n; i++) {
			t_held_drop += s.nodes[i].tn.held_dropped;
			t_held += s.nodes[i].tn.held_sent;
			t_stale_rep += s.nodes[i].tn.stale_reports;
		}
		t_gone += s.s_gone;
		t_commit += s.s_committed;
		t_leaders += s.s_leaders;
		t_part += s.s_partitions;
		t_chg += s.s_changes;
		t_chg_ok += s.s_changes_ok;
		t_chg_no += s.s_changes_refused;
		t_xfer += s.s_transfers;
		t_mseeds += s.members;
		for (u32 i = 0; i < s.n; i++)
			t_loads += s.nodes[i].tn.loads;
		if (s.s_max_term > max_term)
			max_term = s.s_max_term;
		if (s.s_extra_steps > max_extra)
			max_extra = s.s_extra_steps;
		if (ok && s.s_leader_after_heal > max_heal)
			max_heal = s.s_leader_after_heal;
		teardown(&s);
		if (o.max_fail && bad >= o.max_fail)
			break;
	}
	if (!o.quiet || bad)
		printf("sim: %u nodes, %u steps/seed: %" PRIu64 " leaders elected (max term %" PRIu64 "), %" PRIu64 " entries committed; writes %" PRIu64 " ok / %" PRIu64 " nothing appended / %" PRIu64 " unknown (%" PRIu64 " lost, %" PRIu64 " retried, %" PRIu64 " refused, %" PRIu64 " stale, %" PRIu64 " died with their node); %" PRIu64 " msgs (%" PRIu64 " dropped, %" PRIu64 " appends loaded from released entries), %" PRIu64 " crashes, %" PRIu64 " nodes down for good, %" PRIu64 " blocking fsyncs, %" PRIu64 " partitions, slowest stable leader after heal %.1f ticks, at most %" PRIu64 " steps past the budget to settle\n",
		       o.nodes, o.steps, t_leaders, max_term, t_commit, t_ok,
		       t_nothing, t_unknown, t_lost, t_retries, t_refused,
		       t_stale, t_orphans, t_msgs, t_drop, t_loads, t_crash,
		       t_gone, t_blocks, t_part,
		       (double)max_heal / US_PER_TICK, max_extra);
	if ((!o.quiet || bad) && t_async)
		printf("sim: %u nodes: %" PRIu64 " nodes with async_persist: %" PRIu64 " fsyncs, %" PRIu64 " held messages sent, %" PRIu64 " dropped by a cut, %" PRIu64 " stale reports to raft_persisted(), %" PRIu64 " commits past the leader's own disk\n",
		       o.nodes, t_async, t_syncs, t_held, t_held_drop,
		       t_stale_rep, t_ahead);
	if ((!o.quiet || bad) && t_mseeds)
		printf("sim: %u nodes: membership changes on %" PRIu64 " seeds: %" PRIu64 " changes taken, %" PRIu64 " committed, %" PRIu64 " refused; %" PRIu64 " transfers started\n",
		       o.nodes, t_mseeds, t_chg, t_chg_ok, t_chg_no, t_xfer);
	printf("simulations: %" PRIu64 " seeds, %" PRIu64 " violations\n",
	       seeds, bad);
	return bad ? 1 : 0;
}
