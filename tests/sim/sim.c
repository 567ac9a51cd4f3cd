// SPDX-License-Identifier: GPL-2.0
/*
 * sim: a seeded, deterministic cluster simulator for raftlog's Raft core.
 *
 * Each seed builds a 3- or 5-node cluster of real cores (tests/sim/node.c
 * drives each one exactly like the kernel's event loop: send, persist, send,
 * advance) and runs a discrete-event simulation: per-node ticks at skewed
 * rates, message delivery with loss, duplication, delay and reordering,
 * symmetric and one-way partitions, crashes that keep only the node's disk,
 * slow disks, and client proposals on random nodes. Seeds also vary the
 * node ids, heartbeat interval, byte budget and in-flight window of the
 * appends, and turn PreVote or CheckQuorum off now and then (plain Raft).
 * One step is one event;
 * after every step the checkers below run. For the last part of a run the
 * faults stop, and the cluster must then elect a leader and commit what is
 * pending within a bound.
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
 *   commit-durability    ... and only when a majority of disks hold it
 *   stale-message        a message from an older term changes nothing
 *   proposals            a proposal its node reports COMMITTED sits at the
 *                        reported (index, term) of the committed log; one
 *                        reported LOST is not there; no proposal is
 *                        committed twice; no committed entry is unproposed
 *   durability-*         (node.c) no message leaves before the term, vote or
 *                        entries it depends on are on disk; terms never go
 *                        back; a vote never changes within a term
 * Liveness (after the faults stop): a leader all nodes follow appears
 * within a bound and stays, every pending proposal is resolved, proposals
 * made under that leader commit, and every node catches up.
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

enum ev_kind { EV_TICK, EV_DELIVER, EV_READY, EV_PROPOSE, EV_FAULT,
	       EV_RESTART };

struct event {
	u64 time;
	u64 seq;
	u8 kind;
	u8 node;		/* index into sim.nodes */
	u32 epoch;		/* node incarnation the event belongs to */
	void *msg;		/* EV_DELIVER: struct tmsg or wire bytes */
	u32 msg_len;
};

enum prop_state { P_WAIT, P_OK, P_COMMITTED, P_LOST, P_FAILED, P_ORPHAN };

struct prop {
	u8 node;
	u8 state;
	u32 epoch;
	s32 status;
	u64 index;
	u64 term;
	u64 t_proposed;
};

struct snode {
	struct tnode tn;
	u32 epoch;
	bool up;
	bool ready_queued;
	bool crash_in_ready;	/* die mid-ready at the next ready */
	u32 base_period;
	u32 period;
	u32 disk_delay;
	u64 commit_seen;	/* commit checked so far (0 after restart) */
	enum raft_role role;
	u64 term;
};

struct kv {
	u64 index;
	u64 term;
	u64 chain;
};

struct opts {
	u64 seed_lo, seed_hi;
	u32 steps;
	u32 nodes;
	int verbose;
	bool wire;
	bool quiet;
	const char *argv0;
};

struct sim {
	const struct opts *o;
	u64 seed;
	u64 rng;
	u64 now;
	u32 step;
	u32 n;
	struct snode nodes[MAXN];
	struct tn_hooks hooks;
	bool blocked[MAXN][MAXN];
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

	struct prop *props;
	u64 nprops, props_cap;
	u8 *pid_committed;

	char violation[600];
	bool failed;
	u32 violations;

	/* figures for the summary */
	u64 s_leaders, s_max_term, s_committed, s_acked, s_lost, s_failed;
	u64 s_msgs, s_dropped, s_crashes, s_restarts, s_partitions;
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

static void free_msg(struct sim *s, void *msg)
{
	if (s->o->wire)
		free(msg);
	else
		tmsg_free(msg);
}

static void *copy_msg(struct sim *s, u32 from, const struct raft_msg *m,
		      u32 *len)
{
#ifdef SIM_WIRE
	if (s->o->wire) {
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
			 const struct raft_msg *m)
{
	struct event ev = { .kind = EV_DELIVER, .node = (u8)to };
	u64 delay = 1 + below(s, 3);

	if (chance_pm(s, s->long_delay_pm))
		delay = 5 + below(s, 60);
	if (chance_pm(s, s->long_delay_pm / 10))
		delay = 100 + below(s, 500);	/* arrives terms later */
	ev.time = s->now + delay;
	ev.msg = copy_msg(s, from, m, &ev.msg_len);
	if (ev.msg)
		push(s, ev);
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
	schedule_msg(s, (u32)from, (u32)to, m);
	if (chance_pm(s, s->dup_pm))
		schedule_msg(s, (u32)from, (u32)to, m);
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
	if (m->term >= a.term || m->type == RAFT_MSG_PROPOSE ||
	    m->type == RAFT_MSG_PROPOSE_RESP)
		return;
	raft_get_status(sn->tn.r, &b);
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
	if (s->o->wire) {
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

static u64 entry_pid(u8 type, u32 len, const u8 *data)
{
	if (type != RAFT_ENTRY_NORMAL || len < 8)
		return UINT64_MAX;
	return raft_get_le64(data);
}

static void gc_extend(struct sim *s, u32 ni, const struct raft_entry *e,
		      u64 term)
{
	u64 i = s->gc_len, pid;

	if (s->gc_len == s->gc_cap) {
		s->gc_cap = s->gc_cap ? s->gc_cap * 2 : 256;
		s->gc_term = xrealloc(s->gc_term, s->gc_cap * 8);
		s->gc_dh = xrealloc(s->gc_dh, s->gc_cap * 8);
		s->gc_cterm = xrealloc(s->gc_cterm, s->gc_cap * 8);
		s->gc_pid = xrealloc(s->gc_pid, s->gc_cap * 8);
		s->gc_type = xrealloc(s->gc_type, s->gc_cap);
	}
	s->gc_term[i] = e->term;
	s->gc_dh[i] = th_entry_hash(e->type, e->len, e->data);
	s->gc_type[i] = e->type;
	/* the term the entry was committed in, kept monotonic */
	s->gc_cterm[i] = i && s->gc_cterm[i - 1] > term ? s->gc_cterm[i - 1]
							  : term;
	pid = entry_pid(e->type, e->len, e->data);
	s->gc_pid[i] = pid;
	s->gc_len++;
	s->s_committed++;
	if (e->type == RAFT_ENTRY_NORMAL) {
		if (pid >= s->nprops) {
			violation(s, ni, "phantom-entry",
				  "committed entry %" PRIu64 " was never proposed",
				  i + 1);
		} else if (s->pid_committed[pid]) {
			violation(s, ni, "duplicate-commit",
				  "proposal %" PRIu64 " committed twice (again at %" PRIu64 ")",
				  pid, i + 1);
		} else {
			s->pid_committed[pid] = 1;
		}
	} else if (e->type != RAFT_ENTRY_NOOP) {
		violation(s, ni, "entry-type", "committed entry %" PRIu64
			  " has type %u", i + 1, e->type);
	}
}

static bool same_as_gc(struct sim *s, u64 idx, const struct raft_entry *e)
{
	return s->gc_term[idx - 1] == e->term &&
	       s->gc_dh[idx - 1] == th_entry_hash(e->type, e->len, e->data);
}

/*
 * A leader moves its commit index only to an entry of its own term
 * (5.4.2), and only once a majority holds that entry on disk.
 */
static bool check_leader_commit(struct sim *s, u32 ni,
				const struct raft_status *st)
{
	struct raft_entry ent, *e = &ent;
	u32 i, durable = 0;

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

		durable += d->n >= st->commit_index &&
			   d->log[st->commit_index - 1].term == e->term;
	}
	if (durable < s->n / 2 + 1) {
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
	for (i = sn->commit_seen + 1; i <= c; i++) {
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
	if (sn->tn.disk.term != st->term || sn->tn.disk.vote != sn->tn.id) {
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

static void check_props(struct sim *s, u32 ni, const struct raft_status *st)
{
	struct snode *sn = &s->nodes[ni];
	u64 pid;

	for (pid = 0; pid < s->nprops; pid++) {
		struct prop *p = &s->props[pid];
		enum raft_proposal_state ps;

		if (p->node != ni || p->state != P_OK || p->epoch != sn->epoch)
			continue;
		ps = raft_proposal_state(sn->tn.r, p->index, p->term);
		if (ps == RAFT_PROPOSAL_PENDING)
			continue;
		if (st->commit_index < p->index || s->gc_len < p->index) {
			violation(s, ni, "proposals",
				  "proposal %" PRIu64 " at %" PRIu64 " decided (%d) above commit %" PRIu64,
				  pid, p->index, ps, st->commit_index);
			return;
		}
		if (ps == RAFT_PROPOSAL_COMMITTED) {
			p->state = P_COMMITTED;
			s->s_acked++;
			if (s->gc_pid[p->index - 1] != pid ||
			    s->gc_term[p->index - 1] != p->term)
				violation(s, ni, "proposals",
					  "acknowledged proposal %" PRIu64 " is not at %" PRIu64 "/%" PRIu64 " of the committed log",
					  pid, p->index, p->term);
		} else if (ps == RAFT_PROPOSAL_LOST) {
			p->state = P_LOST;
			s->s_lost++;
			if (s->gc_pid[p->index - 1] == pid)
				violation(s, ni, "proposals",
					  "proposal %" PRIu64 " reported lost but committed at %" PRIu64,
					  pid, p->index);
		}
	}
}

static void on_result(void *ctx, struct tnode *tn,
		      const struct raft_proposal_result *res)
{
	struct sim *s = ctx;
	int ni = node_index(s, tn->id);
	struct prop *p;

	if (res->cookie >= s->nprops) {
		violation(s, (u32)ni, "proposals", "result for unknown cookie %" PRIu64,
			  res->cookie);
		return;
	}
	p = &s->props[res->cookie];
	if (p->node != ni || p->state != P_WAIT) {
		violation(s, (u32)ni, "proposals",
			  "unexpected result for proposal %" PRIu64 " (state %u)",
			  res->cookie, p->state);
		return;
	}
	if (s->o->verbose)
		printf("   result: proposal %" PRIu64 " status %d at %" PRIu64 "/%" PRIu64 "\n",
		       res->cookie, res->status, res->index, res->term);
	p->status = res->status;
	if (res->status == RAFT_OK) {
		p->state = P_OK;
		p->index = res->index;
		p->term = res->term;
		if (!res->index || !res->term)
			violation(s, (u32)ni, "proposals",
				  "proposal %" PRIu64 " accepted at %" PRIu64 "/%" PRIu64,
				  res->cookie, res->index, res->term);
	} else {
		p->state = P_FAILED;
		s->s_failed++;
	}
}

static void on_violation(void *ctx, struct tnode *tn, const char *what,
			 const char *detail)
{
	struct sim *s = ctx;

	violation(s, (u32)node_index(s, tn->id), what, "%s", detail);
}

/* Runs every per-step checker over every live node. */
static void check_all(struct sim *s)
{
	struct raft_status st;
	u32 i;

	for (i = 0; i < s->n && !s->failed; i++) {
		struct snode *sn = &s->nodes[i];
		u64 before;

		if (!sn->up)
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
		before = sn->commit_seen;
		check_commit(s, i, &st);
		if (st.role == RAFT_LEADER && !s->failed)
			check_leader(s, i, &st);
		if (sn->commit_seen != before && !s->failed)
			check_props(s, i, &st);
	}
}

/* ---- node life ------------------------------------------------------- */

static void queue_ready(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];

	if (sn->up && !sn->ready_queued && raft_has_ready(sn->tn.r)) {
		sn->ready_queued = true;
		at(s, sn->disk_delay ? below(s, sn->disk_delay + 1) : 0,
		   EV_READY, ni);
	}
}

static void crash(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];
	u64 pid;

	if (s->o->verbose)
		printf("   node %u crashes\n", sn->tn.id);
	tn_crash(&sn->tn);
	sn->up = false;
	sn->epoch++;
	sn->ready_queued = false;
	sn->crash_in_ready = false;
	s->s_crashes++;
	for (pid = 0; pid < s->nprops; pid++) {
		struct prop *p = &s->props[pid];

		if (p->node == ni && (p->state == P_WAIT || p->state == P_OK))
			p->state = P_ORPHAN;
	}
}

static void restart(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];

	if (sn->up)
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
	s->s_restarts++;
	at(s, sn->period, EV_TICK, ni);
}

static void do_ready(struct sim *s, u32 ni)
{
	struct snode *sn = &s->nodes[ni];
	u64 first;

	sn->ready_queued = false;
	if (!sn->up || !raft_has_ready(sn->tn.r))
		return;
	if (sn->crash_in_ready) {
		if (s->o->verbose)
			printf("   node %u crashes before persisting\n",
			       sn->tn.id);
		tn_process_ready(&sn->tn, true);
		sn->tn.r = NULL;
		crash(s, ni);
		at(s, 20 + below(s, 200), EV_RESTART, ni);
		return;
	}
	first = tn_process_ready(&sn->tn, false);
	if (s->failed)
		return;
	check_log_matching(s, ni, first);
	check_rewrite(s, ni, first);
}

static void propose(struct sim *s)
{
	u32 ni = below(s, s->n), len, i;
	struct snode *sn = &s->nodes[ni];
	u8 buf[4096];
	u64 pid;
	int rc;

	if (!sn->up)
		return;
	len = 8 + below(s, 64);
	if (chance_pm(s, 20))
		len = 8 + below(s, sizeof(buf) - 8);
	pid = s->nprops;
	raft_put_le64(pid, buf);
	for (i = 8; i < len; i++)
		buf[i] = (u8)(pid * 31 + i);
	rc = raft_propose(sn->tn.r, pid, buf, len);
	if (s->o->verbose)
		printf("   propose %" PRIu64 " (%u bytes) on node %u: %d\n", pid,
		       len, sn->tn.id, rc);
	if (rc != RAFT_OK)
		return;
	if (s->nprops == s->props_cap) {
		s->props_cap = s->props_cap ? s->props_cap * 2 : 256;
		s->props = xrealloc(s->props, s->props_cap * sizeof(*s->props));
		s->pid_committed = xrealloc(s->pid_committed, s->props_cap);
	}
	s->props[pid] = (struct prop){ .node = (u8)ni, .state = P_WAIT,
				       .epoch = sn->epoch,
				       .t_proposed = s->now };
	s->pid_committed[pid] = 0;
	s->nprops++;
	queue_ready(s, ni);
}

/* ---- faults ---------------------------------------------------------- */

static void heal_links(struct sim *s)
{
	memset(s->blocked, 0, sizeof(s->blocked));
}

static void fault(struct sim *s)
{
	u32 a = below(s, s->n), b = below(s, s->n), i, j;
	struct snode *sn = &s->nodes[a];

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
	case 2:	/* one-way link cut */
		if (a != b)
			s->blocked[a][b] = true;
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
	case 8:	/* slow disk */
		sn->disk_delay = chance_pm(s, 500) ? 0 : below(s, 30);
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
	u32 i;

	if (s->o->verbose)
		printf("== step %u: faults stop\n", s->step);
	s->faults = false;
	s->heal_time = s->now;
	heal_links(s);
	s->drop_pm = s->dup_pm = s->long_delay_pm = 0;
	for (i = 0; i < s->n; i++) {
		struct snode *sn = &s->nodes[i];

		sn->period = sn->base_period;
		sn->disk_delay = 0;
		sn->crash_in_ready = false;
		restart(s, i);
	}
}

/* ---- liveness -------------------------------------------------------- */

/* The leader every live node follows in one term, or 0. */
static u32 agreed_leader(struct sim *s, u64 *term)
{
	struct raft_status st;
	u32 leader = 0, i;

	for (i = 0; i < s->n; i++) {
		if (!s->nodes[i].up)
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
	/* once stable with no faults, the leadership must not change */
	if (l && (l != s->stable_leader || term != s->stable_term))
		violation(s, CLUSTER, "liveness",
			  "leader changed from %u (term %" PRIu64 ") to %u (term %" PRIu64 ") with no faults",
			  s->stable_leader, s->stable_term, l, term);
}

static u64 bound_time(struct sim *s)
{
	const struct raft_config *c = &s->nodes[0].tn.cfg;

	/* ten worst-case election timeouts of the slowest clock */
	return 10ULL * 2 * c->election_ticks * (US_PER_TICK * 3 / 2);
}

/*
 * Past its step budget a run goes on, fault-free and without new
 * proposals, while liveness is still undecided: no stable leader yet, or
 * work outstanding, and the bound not yet exceeded.
 */
static bool liveness_pending(struct sim *s)
{
	struct raft_status st, lst;
	u64 pid, term = 0;
	u32 i, l;

	if (s->now - s->heal_time > bound_time(s) + stable_window(s))
		return false;
	if (!s->stable_leader)
		return true;
	l = agreed_leader(s, &term);
	if (!l)
		return true;
	raft_get_status(s->nodes[node_index(s, l)].tn.r, &lst);
	for (i = 0; i < s->n; i++) {
		raft_get_status(s->nodes[i].tn.r, &st);
		if (st.commit_index != lst.last_index)
			return true;
	}
	for (pid = 0; pid < s->nprops; pid++)
		if (s->props[pid].state == P_WAIT || s->props[pid].state == P_OK)
			return true;
	return false;
}

static void check_liveness_end(struct sim *s)
{
	struct raft_status st, lst;
	u64 pid, term = 0;
	u32 i, l;

	if (s->failed)
		return;
	if (!s->stable_leader) {
		violation(s, CLUSTER, "liveness",
			  "no leader followed by all %u nodes %" PRIu64 " time units after faults stopped (bound %" PRIu64 ")",
			  s->n, s->now - s->heal_time, bound_time(s));
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
	for (i = 0; i < s->n; i++) {
		raft_get_status(s->nodes[i].tn.r, &st);
		if (st.commit_index != lst.last_index) {
			violation(s, i, "liveness",
				  "commit %" PRIu64 " at the end, leader's log ends at %" PRIu64,
				  st.commit_index, lst.last_index);
			return;
		}
	}
	for (pid = 0; pid < s->nprops; pid++) {
		struct prop *p = &s->props[pid];

		if (p->state == P_WAIT || p->state == P_OK) {
			violation(s, p->node, "liveness",
				  "proposal %" PRIu64 " still unresolved (state %u) at the end",
				  pid, p->state);
			return;
		}
		if (p->t_proposed > s->stable_time + 4 * US_PER_TICK &&
		    p->state != P_COMMITTED) {
			violation(s, p->node, "liveness",
				  "proposal %" PRIu64 " made under a stable leader ended %s (status %d)",
				  pid, p->state == P_LOST ? "lost" : "failed",
				  p->status);
			return;
		}
	}
}

/* ---- one seed -------------------------------------------------------- */

static void setup(struct sim *s, const struct opts *o, u64 seed)
{
	u32 ids[MAXN], i;
	u32 msg_bytes = 0, inflight = 0;
	bool pre_vote, check_quorum;
	u32 keep;

	memset(s, 0, sizeof(*s));
	s->o = o;
	s->seed = seed;
	s->rng = seed * 0x2545f4914f6cdd1dULL + 1;
	s->n = o->nodes;
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
	for (i = 0; i < s->n; i++) {
		struct snode *sn = &s->nodes[i];
		struct raft_config cfg;

		raft_config_default(&cfg, ids[i], ids, s->n);
		cfg.election_ticks = 10;
		cfg.heartbeat_ticks = 1 + below(s, 3);
		if (msg_bytes)
			cfg.max_msg_bytes = msg_bytes;
		if (inflight)
			cfg.max_inflight = inflight;
		cfg.pre_vote = pre_vote;
		cfg.check_quorum = check_quorum;
		if (raft_config_check(&cfg, NULL) != RAFT_OK) {
			fprintf(stderr, "sim: config rejected\n");
			exit(2);
		}
		tn_init(&sn->tn, &cfg, &s->hooks);
		sn->tn.keep = keep;
		sn->base_period = US_PER_TICK - 2 + below(s, 5);
		sn->period = sn->base_period;
		if (tn_start(&sn->tn, rnd(s)))
			exit(2);
		sn->up = true;
		at(s, 1 + below(s, sn->period), EV_TICK, i);
	}
	at(s, 5, EV_PROPOSE, MAXN);
	at(s, 30, EV_FAULT, MAXN);
}

static void teardown(struct sim *s)
{
	u32 i;

	while (s->heap_n) {
		struct event ev = pop(s);

		if (ev.kind == EV_DELIVER)
			free_msg(s, ev.msg);
	}
	for (i = 0; i < s->n; i++)
		tn_free(&s->nodes[i].tn);
	free(s->heap);
	free(s->gc_term);
	free(s->gc_dh);
	free(s->gc_cterm);
	free(s->gc_pid);
	free(s->gc_type);
	free(s->leader_of);
	free(s->tab);
	free(s->props);
	free(s->pid_committed);
}

static void run_event(struct sim *s, struct event *ev)
{
	struct snode *sn = ev->node < s->n ? &s->nodes[ev->node] : NULL;

	switch (ev->kind) {
	case EV_TICK:
		if (!sn->up || ev->epoch != sn->epoch)
			return;
		raft_tick(sn->tn.r);
		at(s, sn->period, EV_TICK, ev->node);
		queue_ready(s, ev->node);
		break;
	case EV_DELIVER:
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
	case EV_PROPOSE:
		if (s->step < s->stop_prop_step && s->step <= s->o->steps)
			propose(s);
		at(s, 2 + below(s, 30), EV_PROPOSE, MAXN);
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
					  "propose", "fault", "restart" };

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
					ev.kind != EV_DELIVER))
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
	return !s->failed;
}

static void usage(FILE *f, const char *argv0)
{
	fprintf(f,
		"usage: %s [--seeds A..B | --seed S] [--steps N] [--nodes 3|5]\n"
		"          [-v | -vv] [--no-wire] [-q]\n"
		"Runs the Raft core in a simulated cluster, one run per seed, with\n"
		"message loss, duplication, delay, reordering, partitions (also\n"
		"one-way), crashes keeping only durable state, slow disks and tick\n"
		"skew, then checks safety after every step and liveness once the\n"
		"faults stop. Prints `simulations: S seeds, V violations`; each\n"
		"failing seed prints the command that replays it alone.\n"
		"  --seeds A..B  seeds A to B inclusive (default 1..100)\n"
		"  --seed S      just seed S\n"
		"  --steps N     events per run (default 5000)\n"
		"  --nodes K     cluster size, 3 or 5 (default 3)\n"
		"  -v, -vv       trace the run (-vv: every message)\n"
		"  --no-wire     pass messages as structs, not encoded datagrams\n"
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
			if (parse_u64(val, &v) || (v != 3 && v != 5))
				return -1;
			o->nodes = (u32)v;
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
	u64 t_msgs = 0, t_drop = 0, t_crash = 0, t_acked = 0, t_lost = 0;
	u64 t_loads = 0, t_failed = 0, t_commit = 0, t_leaders = 0, t_part = 0, max_term = 0;
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
			printf("FAIL seed %" PRIu64 " (%u nodes): %s -- replay: %s --seed %" PRIu64 " --steps %u --nodes %u%s -v\n",
			       seed, o.nodes, s.violation, o.argv0, seed,
			       o.steps, o.nodes, o.wire ? "" : " --no-wire");
		}
		t_msgs += s.s_msgs;
		t_drop += s.s_dropped;
		t_crash += s.s_crashes;
		t_acked += s.s_acked;
		t_lost += s.s_lost;
		t_failed += s.s_failed;
		t_commit += s.s_committed;
		t_leaders += s.s_leaders;
		t_part += s.s_partitions;
		for (u32 i = 0; i < s.n; i++)
			t_loads += s.nodes[i].tn.loads;
		if (s.s_max_term > max_term)
			max_term = s.s_max_term;
		if (s.s_extra_steps > max_extra)
			max_extra = s.s_extra_steps;
		if (ok && s.s_leader_after_heal > max_heal)
			max_heal = s.s_leader_after_heal;
		teardown(&s);
	}
	if (!o.quiet || bad)
		printf("sim: %u nodes, %u steps/seed: %" PRIu64 " leaders elected (max term %" PRIu64 "), %" PRIu64 " entries committed, proposals %" PRIu64 " acknowledged / %" PRIu64 " lost / %" PRIu64 " failed, %" PRIu64 " msgs (%" PRIu64 " dropped, %" PRIu64 " appends loaded from released entries), %" PRIu64 " crashes, %" PRIu64 " partitions, slowest stable leader after heal %.1f ticks, at most %" PRIu64 " steps past the budget to settle\n",
		       o.nodes, o.steps, t_leaders, max_term, t_commit, t_acked,
		       t_lost, t_failed, t_msgs, t_drop, t_loads, t_crash, t_part,
		       (double)max_heal / US_PER_TICK, max_extra);
	printf("simulations: %" PRIu64 " seeds, %" PRIu64 " violations\n",
	       seeds, bad);
	return bad ? 1 : 0;
}
