// SPDX-License-Identifier: GPL-2.0
/*
 * raftlog's Raft core: elections with PreVote and CheckQuorum, replication
 * with flow control and fast backtracking, the commit rule, and proposal
 * forwarding. See raft.h for the calling convention.
 *
 * The log lives in memory as an array: index i is log[i - offset - 1].
 * Each entry's data is a private copy owned by the core. Entries up to
 * @offset were released to the caller's storage (raft_release()): of
 * those the core keeps only their terms, as runs, and asks the caller to
 * load them when a follower needs them.
 *
 * Proposals: a node carries each client entry it took (struct
 * raft_pending) until it knows the entry committed or its time is up. It
 * forwards it to the leader, resends it, and after a refusal, a leader
 * change or a lost entry proposes it again, always under the entry's
 * (session, seq): leaders look that pair up in the session table
 * (session.c) before appending, so no retry can make a second entry.
 *
 * RAFT_MUTANT selects one deliberate bug at compile time so that the tests
 * can prove they catch it (tests/unit/run.sh); it is 0 in every real build.
 *	1 count old-term replicas toward commit (Figure 8)
 *	2 vote twice in a term
 *	3 skip the log up-to-date check when voting
 *	4 forget to persist a vote
 *	5 accept a stale-term AppendEntries
 *	6 leader counts its own not-yet-durable entries toward commit
 *	7 follower keeps conflicting entries instead of truncating
 *	8 follower commits up to the leader's commit, past the entries it got
 *	9 a proposal that cannot commit is never given up (liveness)
 *	10 a candidate whose election timed out never tries again (liveness)
 */
#include "raft.h"
#include "session.h"

#ifndef RAFT_MUTANT
#define RAFT_MUTANT 0
#endif
#define MUTANT(n) (RAFT_MUTANT == (n))

#define RAFT_MAX_INFLIGHT	64
#define RAFT_PROPOSE_TIMEOUTS	8	/* raft_propose(): election timeouts */

enum progress_state {
	PR_PROBE,	/* one append at a time until the follower matches */
	PR_REPLICATE,	/* pipeline up to max_inflight appends */
};

enum vote_state {
	VOTE_NONE,
	VOTE_GRANTED,
	VOTE_REJECTED,
};

/* What a leader knows of one follower; followers keep only @heard. */
struct raft_progress {
	u32 id;
	u64 match;
	u64 next;
	enum progress_state state;
	bool paused;		/* probe: an append is out */
	bool recent_active;	/* heard from since the last quorum check */
	u32 stall;		/* heartbeats without an ack, appends in flight */
	u32 n_inflight;
	u32 inflight_head;
	u64 inflight[RAFT_MAX_INFLIGHT];	/* last index of each append */
	u64 heard;		/* r->now when last heard from; 0: never */
	enum vote_state vote;
};

enum pending_state {
	PEND_FREE,
	PEND_WAIT,	/* to be proposed when a leader takes it */
	PEND_SENT,	/* forwarded to @to in @to_term, unanswered */
	PEND_HELD,	/* a leader holds it at (@index, @term) */
	PEND_DONE,	/* final result given; freed at raft_advance() */
};

/*
 * A proposal this node took and carries until its final result.
 * Invariants: @maybe_in is false only while no copy ever left this node
 * or entered its log, so then nothing can commit; every copy that left
 * was addressed to a term in [@t_lo, @t_hi].
 */
struct raft_pending {
	enum pending_state state;
	bool accept_only;
	bool first_try;
	bool maybe_in;
	bool lost;		/* its entry was cut, and no other copy */
				/* can exist: known never to commit */
	s32 refusal;		/* why it is waiting, while !maybe_in */
	u64 cookie;
	u64 session;
	u64 seq;
	u64 start;
	u32 left;		/* ticks until it gives up */
	u32 since;		/* ticks since it was last sent */
	u32 to;
	u64 to_term;
	u64 index;
	u64 term;
	u64 t_lo;
	u64 t_hi;
	u32 len;
	u8 *data;
};

/* Released entries from @first up to the next run's first have @term. */
struct raft_term_run {
	u64 first;
	u64 term;
};

struct raft {
	struct raft_config cfg;
	u32 quorum;

	enum raft_role role;
	u64 term;
	u32 vote;
	u32 leader;
	bool hs_dirty;
	u32 known_leader;	/* last non-zero leader, for stats */
	u64 known_term;

	struct raft_entry *log;	/* entries offset + 1 .. last */
	u64 offset;		/* last index released to the caller */
	u64 last;		/* last index */
	u64 cap;
	u64 mem_bytes;		/* data bytes of entries offset + 1 .. last */
	struct raft_term_run *runs;	/* terms of entries 1 .. offset */
	u32 n_runs;
	u32 cap_runs;
	u64 commit;
	u64 stable;		/* last index made durable */

	u32 election_elapsed;
	u32 heartbeat_elapsed;
	u32 timeout;		/* randomised election timeout */
	u64 rng;
	u64 now;		/* ticks since creation, from 1 */

	u32 n_peers;
	struct raft_progress peers[RAFT_MAX_NODES - 1];
	bool need_flush;	/* leader: appends may be sendable */

	struct raft_msg *out;
	u32 n_out;
	u32 cap_out;
	struct raft_proposal_result *res;
	u32 n_res;
	u32 cap_res;
	u64 ready_commit;	/* commit index handed out last */

	struct raft_sessions sess;	/* (session, seq) pairs in the log */
	struct raft_pending *pend;	/* RAFT_MAX_PENDING */
	u32 n_pend;			/* slots not PEND_FREE */
	u64 own_session;		/* raft_propose()'s */
	u64 own_seq;
	u64 own_start;

	struct raft_stats stats;
};

static const char *const role_names[] = {
	[RAFT_FOLLOWER] = "follower",
	[RAFT_PRECANDIDATE] = "precandidate",
	[RAFT_CANDIDATE] = "candidate",
	[RAFT_LEADER] = "leader",
};

const char *raft_role_name(enum raft_role role)
{
	return role <= RAFT_LEADER ? role_names[role] : "unknown";
}

/* xorshift64*: deterministic for a given seed, good enough for timeouts. */
static u64 raft_rand(struct raft *r)
{
	r->rng ^= r->rng >> 12;
	r->rng ^= r->rng << 25;
	r->rng ^= r->rng >> 27;
	return r->rng * 0x2545f4914f6cdd1dULL;
}

static struct raft_entry *mem_entry(const struct raft *r, u64 index)
{
	return &r->log[index - r->offset - 1];
}

static u64 term_at(const struct raft *r, u64 index)
{
	u32 lo = 0, hi = r->n_runs;

	if (index == 0 || index > r->last)
		return 0;
	if (index > r->offset)
		return mem_entry(r, index)->term;
	/* the last run starting at or before @index */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (r->runs[mid].first <= index)
			lo = mid;
		else
			hi = mid;
	}
	return r->runs[lo].term;
}

static struct raft_progress *progress(struct raft *r, u32 id)
{
	u32 i;

	for (i = 0; i < r->n_peers; i++)
		if (r->peers[i].id == id)
			return &r->peers[i];
	return NULL;
}

static bool up_to_date(const struct raft *r, u64 last_index, u64 last_term)
{
	u64 my_term = term_at(r, r->last);

	if (MUTANT(3))
		return true;
	return last_term > my_term ||
	       (last_term == my_term && last_index >= r->last);
}

/* --- outputs ------------------------------------------------------------ */

static bool grow(void **arr, u32 *cap, u32 need, size_t size)
{
	u32 ncap;
	void *p;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	p = raft_realloc(*arr, (size_t)*cap * size, (size_t)ncap * size);
	if (!p)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

/* Messages that promise something about our term, vote or log. */
static bool needs_persist(u8 type)
{
	return type == RAFT_MSG_VOTE || type == RAFT_MSG_VOTE_RESP ||
	       type == RAFT_MSG_APPEND_RESP;
}

/*
 * Whether @m must wait for this ready's hard state: it promises something,
 * or it carries a term we adopted but have not stored yet (a pre-vote's
 * term is hypothetical and is never stored).
 */
static bool waits_for_persist(const struct raft *r, const struct raft_msg *m)
{
	if (needs_persist(m->type))
		return true;
	return r->hs_dirty && m->term == r->term &&
	       m->type != RAFT_MSG_PREVOTE && m->type != RAFT_MSG_PREVOTE_RESP;
}

/*
 * Queue @m. A message lost to memory pressure is as good as one lost by
 * the network: Raft retries everything that matters.
 */
static void send(struct raft *r, struct raft_msg *m)
{
	if (!grow((void **)&r->out, &r->cap_out, r->n_out + 1, sizeof(*m)))
		return;
	m->from = r->cfg.id;
	if (!m->term)
		m->term = r->term;
	if (!m->term)
		return;	/* a node that never had a term has nothing to say */
	m->after_persist = waits_for_persist(r, m);
	r->out[r->n_out++] = *m;
}

static bool result(struct raft *r, u64 cookie, s32 status, u64 index,
		   u64 term)
{
	struct raft_proposal_result *p;

	if (!grow((void **)&r->res, &r->cap_res, r->n_res + 1, sizeof(*p)))
		return false;
	p = &r->res[r->n_res++];
	p->cookie = cookie;
	p->status = status;
	p->index = index;
	p->term = term;
	return true;
}

/* --- the log ------------------------------------------------------------ */

static int append_entry(struct raft *r, const struct raft_entry *src)
{
	u32 len = src->len;
	struct raft_entry *e;
	u8 *copy = NULL;

	if (r->last - r->offset == r->cap) {
		u64 ncap = r->cap ? r->cap * 2 : 64;
		void *p = raft_realloc(r->log, r->cap * sizeof(*r->log),
				       ncap * sizeof(*r->log));

		if (!p)
			return RAFT_ENOMEM;
		r->log = p;
		r->cap = ncap;
	}
	if (len) {
		copy = raft_alloc(len);
		if (!copy)
			return RAFT_ENOMEM;
		memcpy(copy, src->data, len);
	}
	e = &r->log[r->last++ - r->offset];
	*e = *src;
	e->data = copy;
	r->mem_bytes += len;
	if (e->session)
		raft_sessions_record(&r->sess, e->session, e->seq, r->last);
	return RAFT_OK;
}

/* Drop entries @from..last; they were never committed. */
static void truncate_from(struct raft *r, u64 from)
{
	if (r->last >= from)
		raft_sessions_truncate(&r->sess, from);
	while (r->last >= from && r->last > r->offset) {
		r->mem_bytes -= mem_entry(r, r->last)->len;
		raft_free((void *)mem_entry(r, r->last)->data);
		r->last--;
	}
	if (r->last >= from) {
		/* released ones too: the caller's storage cuts them with us */
		while (r->n_runs && r->runs[r->n_runs - 1].first >= from)
			r->n_runs--;
		r->offset = from - 1;
		r->last = from - 1;
	}
	if (r->stable > r->last)
		r->stable = r->last;
}

static void commit_to(struct raft *r, u64 index)
{
	if (index <= r->commit)
		return;
	r->stats.committed += index - r->commit;
	r->commit = index;
}

/* --- roles -------------------------------------------------------------- */

static void reset_timeout(struct raft *r)
{
	u32 e = r->cfg.election_ticks;

	r->election_elapsed = 0;
	r->timeout = e + (u32)(raft_rand(r) % e);
}

/*
 * A pre-vote that comes to nothing forgets the leader for a moment; only a
 * different leader, or the same one in a new term, is a change.
 */
static void set_leader(struct raft *r, u32 id)
{
	if (id && (id != r->known_leader || r->term != r->known_term)) {
		r->stats.leader_changes++;
		r->known_leader = id;
		r->known_term = r->term;
	}
	r->leader = id;
}

static void set_term(struct raft *r, u64 term)
{
	if (term == r->term)
		return;
	r->term = term;
	r->vote = 0;
	r->hs_dirty = true;
}

static void become_follower(struct raft *r, u64 term, u32 leader)
{
	set_term(r, term);
	r->role = RAFT_FOLLOWER;
	set_leader(r, leader);
	r->heartbeat_elapsed = 0;
	reset_timeout(r);
}

static void reset_progress(struct raft *r, struct raft_progress *pr)
{
	pr->match = 0;
	pr->next = r->last + 1;
	pr->state = PR_PROBE;
	pr->paused = false;
	pr->stall = 0;
	pr->n_inflight = 0;
	pr->inflight_head = 0;
}

static void become_leader(struct raft *r)
{
	struct raft_entry noop = { .term = r->term, .type = RAFT_ENTRY_NOOP };
	u32 i;

	r->role = RAFT_LEADER;
	set_leader(r, r->cfg.id);
	r->heartbeat_elapsed = 0;
	r->election_elapsed = 0;
	for (i = 0; i < r->n_peers; i++) {
		reset_progress(r, &r->peers[i]);
		r->peers[i].recent_active = true;
	}
	/*
	 * An entry of our own term lets everything before it commit (5.4.2)
	 * and tells us the commit index without waiting for a client.
	 */
	append_entry(r, &noop);
	r->need_flush = true;
}

static u32 count_votes(struct raft *r, enum vote_state v)
{
	u32 i, n = v == VOTE_GRANTED ? 1 : 0;	/* our own */

	for (i = 0; i < r->n_peers; i++)
		n += r->peers[i].vote == v;
	return n;
}

static void campaign(struct raft *r, bool pre);

/* Count the votes so far: a pre-election won leads to a real one. */
static void tally(struct raft *r)
{
	if (count_votes(r, VOTE_GRANTED) >= r->quorum) {
		if (r->role == RAFT_PRECANDIDATE)
			campaign(r, false);
		else
			become_leader(r);
	} else if (count_votes(r, VOTE_REJECTED) >= r->quorum) {
		become_follower(r, r->term, 0);
	}
}

/*
 * Start a pre-election (@pre) or an election. A pre-election asks whether
 * we could win at term + 1 without touching our term, so a node that was
 * cut off cannot disrupt the cluster when it returns (PreVote, 9.6).
 */
static void campaign(struct raft *r, bool pre)
{
	u64 term;
	u32 i;

	if (r->term + 1 >= RAFT_TERM_LIMIT)
		return;		/* 2^32 elections past RAFT_TERM_MAX: none left */

	r->stats.elections++;
	set_leader(r, 0);
	reset_timeout(r);
	if (pre) {
		r->role = RAFT_PRECANDIDATE;
		term = r->term + 1;
	} else {
		r->role = RAFT_CANDIDATE;
		set_term(r, r->term + 1);
		r->vote = r->cfg.id;
		r->hs_dirty = true;
		term = r->term;
	}
	for (i = 0; i < r->n_peers; i++)
		r->peers[i].vote = VOTE_NONE;
	for (i = 0; i < r->n_peers; i++) {
		struct raft_msg m = {
			.type = pre ? RAFT_MSG_PREVOTE : RAFT_MSG_VOTE,
			.to = r->peers[i].id,
			.term = term,
			.vote.last_index = r->last,
			.vote.last_term = term_at(r, r->last),
		};
		send(r, &m);
	}
	tally(r);
}

/* --- leader: replication ------------------------------------------------ */

static void inflight_add(struct raft_progress *pr, u64 last)
{
	u32 slot = (pr->inflight_head + pr->n_inflight) % RAFT_MAX_INFLIGHT;

	pr->inflight[slot] = last;
	pr->n_inflight++;
}

static void inflight_free_to(struct raft_progress *pr, u64 index)
{
	while (pr->n_inflight && pr->inflight[pr->inflight_head] <= index) {
		pr->inflight_head = (pr->inflight_head + 1) % RAFT_MAX_INFLIGHT;
		pr->n_inflight--;
	}
}

/* Entries from @from that fit one AppendEntries. */
static u32 batch_size(const struct raft *r, u64 from)
{
	u64 bytes = 0;
	u32 n = 0;

	while (from + n <= r->last && n < RAFT_MAX_BATCH) {
		bytes += RAFT_ENTRY_OVERHEAD + mem_entry(r, from + n)->len;
		if (n && bytes > r->cfg.max_msg_bytes)
			break;
		n++;
	}
	return n;
}

/*
 * Entries the caller released go out one append at a time, as a probe:
 * the caller decides how many fit, and only the follower's answer tells.
 */
static void send_stored(struct raft *r, struct raft_progress *pr)
{
	u64 prev = pr->next - 1;
	struct raft_msg m = { .type = RAFT_MSG_APPEND, .to = pr->id };

	if (pr->state == PR_REPLICATE) {
		if (pr->n_inflight)
			return;	/* their answers say where to go on from */
		pr->state = PR_PROBE;
		pr->paused = false;
	}
	if (pr->paused)
		return;
	m.append.prev_index = prev;
	m.append.prev_term = term_at(r, prev);
	m.append.commit = r->commit;
	m.append.n_entries = r->offset - prev < RAFT_MAX_BATCH ?
			     (u32)(r->offset - prev) : RAFT_MAX_BATCH;
	m.append.load = true;
	send(r, &m);
	pr->paused = true;
}

/*
 * Queue AppendEntries for @pr. The entries are attached in raft_ready(),
 * once no further append can move the log array.
 */
static void send_append(struct raft *r, struct raft_progress *pr)
{
	if (pr->next <= r->offset) {
		send_stored(r, pr);
		return;
	}
	for (;;) {
		u64 prev = pr->next - 1;
		u32 n;
		struct raft_msg m = { .type = RAFT_MSG_APPEND, .to = pr->id };

		if (pr->state == PR_PROBE) {
			if (pr->paused ||
			    (pr->match == r->last && pr->next > r->last))
				return;
		} else if (pr->n_inflight >= r->cfg.max_inflight ||
			   pr->next > r->last) {
			return;
		}
		n = batch_size(r, pr->next);
		m.append.prev_index = prev;
		m.append.prev_term = term_at(r, prev);
		m.append.commit = r->commit;
		m.append.n_entries = n;
		send(r, &m);
		if (pr->state == PR_PROBE) {
			pr->paused = true;
			return;
		}
		pr->next += n;
		inflight_add(pr, prev + n);
	}
}

static void flush_appends(struct raft *r)
{
	u32 i;

	if (r->role == RAFT_LEADER && r->need_flush)
		for (i = 0; i < r->n_peers; i++)
			send_append(r, &r->peers[i]);
	r->need_flush = false;
}

static void maybe_commit(struct raft *r)
{
	u64 m[RAFT_MAX_NODES];
	u32 i, j, n = 0;
	u64 idx;

	m[n++] = MUTANT(6) ? r->last : r->stable;
	for (i = 0; i < r->n_peers; i++)
		m[n++] = r->peers[i].match;
	/* sort descending; n is tiny */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && m[j] > m[j - 1]; j--) {
			u64 t = m[j];

			m[j] = m[j - 1];
			m[j - 1] = t;
		}
	idx = m[r->quorum - 1];
	/* Only entries of our own term are committed by counting (5.4.2). */
	if (idx > r->commit && (MUTANT(1) || term_at(r, idx) == r->term))
		commit_to(r, idx);
}

static void broadcast_heartbeat(struct raft *r)
{
	u32 i;

	for (i = 0; i < r->n_peers; i++) {
		struct raft_progress *pr = &r->peers[i];
		struct raft_msg m = { .type = RAFT_MSG_HEARTBEAT, .to = pr->id };

		/* never tell a follower to commit what it may not hold */
		m.heartbeat.commit = pr->match < r->commit ? pr->match : r->commit;
		send(r, &m);
		/* lost appends are retried once per heartbeat */
		if (pr->state == PR_PROBE) {
			pr->paused = false;
		} else if (pr->n_inflight && ++pr->stall >= 2) {
			pr->state = PR_PROBE;
			pr->next = pr->match + 1;
			pr->n_inflight = 0;
			pr->paused = false;
			pr->stall = 0;
		}
	}
	r->need_flush = true;
}

/*
 * CheckQuorum: a leader that has not heard from a majority within an
 * election timeout steps down, so a leader cut off in a minority stops
 * acting as one.
 */
static bool check_quorum(struct raft *r)
{
	u32 i, active = 1;

	for (i = 0; i < r->n_peers; i++) {
		active += r->peers[i].recent_active;
		r->peers[i].recent_active = false;
	}
	return active >= r->quorum;
}

static void tick_leader(struct raft *r)
{
	r->heartbeat_elapsed++;
	if (++r->election_elapsed >= r->cfg.election_ticks) {
		r->election_elapsed = 0;
		if (!check_quorum(r) && r->cfg.check_quorum) {
			become_follower(r, r->term, 0);
			return;
		}
	}
	if (r->heartbeat_elapsed >= r->cfg.heartbeat_ticks) {
		r->heartbeat_elapsed = 0;
		broadcast_heartbeat(r);
	}
}

/* --- proposals ----------------------------------------------------------- */

static int leader_append(struct raft *r, u64 session, u64 seq,
			 const void *data, u32 len)
{
	struct raft_entry e = {
		.term = r->term,
		.session = session,
		.seq = seq,
		.len = len,
		.type = RAFT_ENTRY_NORMAL,
		.data = data,
	};
	int err;

	if (r->last - r->commit >= r->cfg.max_uncommitted)
		return RAFT_EBUSY;
	err = append_entry(r, &e);
	if (err)
		return err;
	r->stats.proposals++;
	r->need_flush = true;
	return RAFT_OK;
}

/*
 * As leader: where (@session, @seq) is in our log, appended now if it was
 * not. Never a second copy: the session table says whether it is there.
 */
static int leader_take(struct raft *r, u64 session, u64 seq, u64 start,
		       const void *data, u32 len, u64 *index)
{
	int err;

	switch (raft_sessions_lookup(&r->sess, session, seq, start, index)) {
	case RAFT_SESS_DUP:
		return RAFT_OK;
	case RAFT_SESS_STALE:
		return RAFT_ESTALE;
	case RAFT_SESS_NEW:
		break;
	}
	err = leader_append(r, session, seq, data, len);
	if (!err)
		*index = r->last;
	return err;
}

static void pend_note_term(struct raft_pending *p, u64 term)
{
	if (!p->t_lo || term < p->t_lo)
		p->t_lo = term;
	if (term > p->t_hi)
		p->t_hi = term;
}

/* Out of memory for the result: the pending stays, and is finished again. */
static void pend_finish(struct raft *r, struct raft_pending *p, s32 status)
{
	if (result(r, p->cookie, status, status ? 0 : p->index,
		   status ? 0 : p->term))
		p->state = PEND_DONE;
}

static void pend_hold(struct raft *r, struct raft_pending *p, u64 index,
		      u64 term)
{
	p->state = PEND_HELD;
	p->maybe_in = true;
	p->index = index;
	p->term = term;
	pend_note_term(p, term);
	if (p->accept_only)
		pend_finish(r, p, RAFT_OK);
}

/* Give @p to the leader: ourselves, or forwarded. */
static void pend_place(struct raft *r, struct raft_pending *p)
{
	u64 index = 0;
	int err;

	if (r->role == RAFT_LEADER) {
		err = leader_take(r, p->session, p->seq, p->start, p->data,
				  p->len, &index);
		if (!err)
			pend_hold(r, p, index, term_at(r, index));
		else if (err == RAFT_EBUSY || err == RAFT_ENOMEM)
			p->refusal = RAFT_EBUSY;	/* again next tick */
		else
			pend_finish(r, p, err);
		return;
	}
	if (!r->leader) {
		p->refusal = RAFT_ENOLEADER;
		return;
	}
	p->state = PEND_SENT;
	p->maybe_in = true;
	p->to = r->leader;
	p->to_term = r->term;
	p->since = 0;
	pend_note_term(p, r->term);
	send(r, &(struct raft_msg){
		.type = RAFT_MSG_PROPOSE,
		.to = p->to,
		.propose.session = p->session,
		.propose.seq = p->seq,
		.propose.start = p->start,
		.propose.len = p->len,
		.propose.data = p->data,
	});
}

/*
 * Whether the entry at (@index, @term) can never commit: another one
 * committed at its index, or the committed log already passed its term
 * (terms only grow along a log).
 */
static bool entry_lost(const struct raft *r, u64 index, u64 term)
{
	if (index <= r->commit)
		return term_at(r, index) != term;
	return r->commit && term_at(r, r->commit) > term;
}

/* A held proposal whose entry committed is done; a lost one goes again. */
static void pend_check(struct raft *r, struct raft_pending *p)
{
	if (p->state == PEND_HELD) {
		if (p->index <= r->commit && !entry_lost(r, p->index, p->term)) {
			pend_finish(r, p, RAFT_OK);
			return;
		}
		if (!entry_lost(r, p->index, p->term))
			return;
		/* only one copy could exist if one term ever saw it */
		p->lost = p->first_try && p->t_lo == p->t_hi;
		p->state = PEND_WAIT;
	}
	if (p->state == PEND_WAIT)
		pend_place(r, p);
}

/* The final word when time is up: what can be proved, else "unknown". */
static s32 pend_verdict(const struct raft_pending *p)
{
	if (!p->maybe_in)
		return p->refusal;
	if (p->state == PEND_WAIT && p->lost && p->t_lo == p->t_hi)
		return RAFT_ELOST;
	return RAFT_EUNKNOWN;
}

/*
 * Once per tick: give up on what ran out of time, resend what went
 * unanswered or went to a leader that is gone, place what waits.
 */
static void tick_pending(struct raft *r)
{
	u32 resend = 2 * r->cfg.heartbeat_ticks;
	u32 i;

	for (i = 0; i < RAFT_MAX_PENDING && r->n_pend; i++) {
		struct raft_pending *p = &r->pend[i];

		if (p->state == PEND_FREE || p->state == PEND_DONE)
			continue;
		if ((!p->left || !--p->left) && !MUTANT(9)) {
			pend_finish(r, p, pend_verdict(p));
			continue;
		}
		if (p->state == PEND_SENT &&
		    (++p->since >= resend || p->to != r->leader ||
		     p->to_term != r->term))
			p->state = PEND_WAIT;
		pend_check(r, p);
	}
}

static void run_pending(struct raft *r)
{
	u32 i;

	for (i = 0; i < RAFT_MAX_PENDING && r->n_pend; i++)
		if (r->pend[i].state == PEND_HELD ||
		    r->pend[i].state == PEND_WAIT)
			pend_check(r, &r->pend[i]);
}

/*
 * A follower forwarded a client's entry. Only the leader of the term the
 * follower addressed takes it, so that every copy a follower sent to one
 * term can be appended at most once, by that term's leader.
 */
static void handle_propose(struct raft *r, const struct raft_msg *m)
{
	struct raft_msg resp = {
		.type = RAFT_MSG_PROPOSE_RESP,
		.to = m->from,
		.term = r->term ? r->term : m->term,
		.propose_resp.session = m->propose.session,
		.propose_resp.seq = m->propose.seq,
	};
	u64 index = 0;
	int status;

	if (r->role != RAFT_LEADER || m->term != r->term) {
		status = RAFT_ENOTLEADER;
	} else if (!m->propose.session || !m->propose.seq ||
		   !m->propose.len) {
		status = RAFT_EINVAL;
	} else if (m->propose.len > r->cfg.max_entry_size) {
		status = RAFT_ETOOBIG;
	} else {
		status = leader_take(r, m->propose.session, m->propose.seq,
				     m->propose.start, m->propose.data,
				     m->propose.len, &index);
	}
	resp.propose_resp.status = status;
	if (!status) {
		resp.propose_resp.index = index;
		resp.propose_resp.term = term_at(r, index);
	}
	send(r, &resp);
}

static void handle_propose_resp(struct raft *r, const struct raft_msg *m)
{
	s32 status = m->propose_resp.status;
	u32 i;

	for (i = 0; i < RAFT_MAX_PENDING && r->n_pend; i++) {
		struct raft_pending *p = &r->pend[i];

		if (p->state != PEND_SENT || p->to != m->from ||
		    p->session != m->propose_resp.session ||
		    p->seq != m->propose_resp.seq)
			continue;
		if (status == RAFT_OK) {
			pend_hold(r, p, m->propose_resp.index,
				  m->propose_resp.term);
			pend_check(r, p);
		} else if (status == RAFT_ENOTLEADER || status == RAFT_EBUSY ||
			   status == RAFT_ENOLEADER || status == RAFT_ENOMEM) {
			p->state = PEND_WAIT;	/* placed again next tick */
		} else {
			pend_finish(r, p, status);
		}
		return;
	}
}

/* --- message handlers --------------------------------------------------- */

static void handle_vote(struct raft *r, const struct raft_msg *m)
{
	bool pre = m->type == RAFT_MSG_PREVOTE;
	struct raft_msg resp = {
		.type = pre ? RAFT_MSG_PREVOTE_RESP : RAFT_MSG_VOTE_RESP,
		.to = m->from,
	};
	bool can_vote = r->vote == m->from ||
			(r->vote == 0 && r->leader == 0) ||
			(pre && m->term > r->term) || MUTANT(2);

	if (can_vote && up_to_date(r, m->vote.last_index, m->vote.last_term)) {
		resp.term = m->term;
		resp.vote_resp.granted = true;
		if (!pre) {
			r->vote = m->from;
			r->hs_dirty = r->hs_dirty || !MUTANT(4);
			r->election_elapsed = 0;
		}
	}
	send(r, &resp);
}

static void handle_vote_resp(struct raft *r, struct raft_progress *pr,
			     const struct raft_msg *m)
{
	bool pre = m->type == RAFT_MSG_PREVOTE_RESP;

	if (pre ? r->role != RAFT_PRECANDIDATE : r->role != RAFT_CANDIDATE)
		return;
	/* a granted pre-vote answers for term + 1 */
	if (m->vote_resp.granted && m->term != r->term + (pre ? 1 : 0))
		return;
	if (!m->vote_resp.granted && m->term != r->term)
		return;
	pr->vote = m->vote_resp.granted ? VOTE_GRANTED : VOTE_REJECTED;
	tally(r);
}

/* Where a follower's log could resume matching, for fast backtracking. */
static u64 conflict_hint(const struct raft *r, u64 index, u64 term)
{
	u64 lo = 0, hi;

	if (index > r->last)
		index = r->last;
	/*
	 * The last entry at or below @index whose term is <= @term: terms
	 * never fall along a log, so a binary search finds it, in time
	 * independent of how far back it lies.
	 */
	hi = index + 1;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (term_at(r, mid) <= term)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Terms along a log never fall and never pass the term of the leader that
 * sends them; a message that says otherwise is nonsense, even from a peer.
 */
static bool append_terms_ok(const struct raft_msg *m)
{
	u64 t = m->append.prev_term;
	u32 i;

	for (i = 0; i < m->append.n_entries; i++) {
		const struct raft_entry *e = &m->append.entries[i];

		if (e->term < t || e->term > m->term)
			return false;
		t = e->term;
	}
	return true;
}

static int handle_append(struct raft *r, const struct raft_msg *m)
{
	struct raft_msg resp = { .type = RAFT_MSG_APPEND_RESP, .to = m->from };
	u64 prev = m->append.prev_index;
	u64 last_new;
	u32 i;

	if (!append_terms_ok(m)) {
		r->stats.msgs_ignored++;
		return RAFT_EINVAL;
	}
	if (prev < r->commit) {
		/* all of it up to our commit is known to match */
		resp.append_resp.success = true;
		resp.append_resp.index = r->commit;
		send(r, &resp);
		return RAFT_OK;
	}
	if (prev > r->last || term_at(r, prev) != m->append.prev_term) {
		u64 hint = conflict_hint(r, prev, m->append.prev_term);

		resp.append_resp.index = prev;
		resp.append_resp.hint_index = hint;
		resp.append_resp.hint_term = term_at(r, hint);
		send(r, &resp);
		return RAFT_OK;
	}
	for (i = 0; i < m->append.n_entries; i++) {
		const struct raft_entry *e = &m->append.entries[i];
		u64 idx = prev + 1 + i;
		int err;

		if (idx <= r->last) {
			if (term_at(r, idx) == e->term)
				continue;
			if (idx <= r->commit) {
				r->stats.msgs_ignored++;
				return RAFT_EINVAL;
			}
			if (MUTANT(7))
				continue;
			truncate_from(r, idx);
		}
		err = append_entry(r, e);
		if (err)
			return err;
	}
	last_new = prev + m->append.n_entries;
	if (MUTANT(8))
		commit_to(r, m->append.commit < r->last ?
			     m->append.commit : r->last);
	else
		commit_to(r, m->append.commit < last_new ?
			     m->append.commit : last_new);
	resp.append_resp.success = true;
	resp.append_resp.index = last_new;
	send(r, &resp);
	return RAFT_OK;
}

static void handle_append_resp(struct raft *r, struct raft_progress *pr,
			       const struct raft_msg *m)
{
	u64 index = m->append_resp.index;

	if (!m->append_resp.success) {
		u64 hint = m->append_resp.hint_index;
		u64 next;

		/* nothing fails to match at 0: a stale-term answer */
		if (!index)
			return;
		if (index <= pr->match) {
			/*
			 * Stale, unless the follower lost entries it once
			 * acknowledged (restarted without its disk, a torn
			 * tail): then resend from its hint. Only next moves
			 * back; match never does.
			 */
			if (hint >= pr->match)
				return;
		} else if (pr->state == PR_PROBE && index != pr->next - 1) {
			return;		/* stale */
		}
		next = conflict_hint(r, hint, m->append_resp.hint_term) + 1;
		if (next > index)
			next = index;
		if (index > pr->match && next <= pr->match)
			next = pr->match + 1;
		pr->state = PR_PROBE;
		pr->n_inflight = 0;
		pr->next = next;
		pr->paused = false;
		r->need_flush = true;
		return;
	}
	inflight_free_to(pr, index);
	if (index > r->last)
		return;	/* nonsense: we never sent it */
	pr->stall = 0;
	if (pr->state == PR_PROBE && index + 1 >= pr->next) {
		/* our probe is answered: replicate from what it holds */
		pr->state = PR_REPLICATE;
		pr->next = index + 1;
		pr->n_inflight = 0;
	}
	if (index > pr->match) {
		pr->match = index;
		if (pr->next <= pr->match)
			pr->next = pr->match + 1;
		maybe_commit(r);
	}
	r->need_flush = true;
}

/*
 * The leader believes we hold everything up to the commit it sends. If we
 * do not (we restarted without our disk, or cut a torn tail), say where our
 * log ends as a rejection, so the leader resends from there.
 */
static void handle_heartbeat(struct raft *r, const struct raft_msg *m)
{
	struct raft_msg resp = { .type = RAFT_MSG_HEARTBEAT_RESP, .to = m->from };
	u64 c = m->heartbeat.commit;

	if (c > r->last) {
		resp.type = RAFT_MSG_APPEND_RESP;
		resp.append_resp.index = c;
		resp.append_resp.hint_index = r->last;
		resp.append_resp.hint_term = term_at(r, r->last);
	}
	commit_to(r, c < r->last ? c : r->last);
	send(r, &resp);
}

/* Let a node that is behind on term say so; ignore everything else. */
static void handle_stale(struct raft *r, const struct raft_msg *m)
{
	struct raft_msg resp = { .to = m->from };

	switch (m->type) {
	case RAFT_MSG_APPEND:
		resp.type = RAFT_MSG_APPEND_RESP;
		break;
	case RAFT_MSG_HEARTBEAT:
		resp.type = RAFT_MSG_HEARTBEAT_RESP;
		break;
	case RAFT_MSG_PREVOTE:
		resp.type = RAFT_MSG_PREVOTE_RESP;
		break;
	default:
		return;
	}
	send(r, &resp);
}

/*
 * Term rules common to all messages (5.1). Returns false when the message
 * must not be processed further.
 */
static bool check_term(struct raft *r, const struct raft_msg *m)
{
	bool leader_msg = m->type == RAFT_MSG_APPEND ||
			  m->type == RAFT_MSG_HEARTBEAT;

	if (m->term > r->term) {
		bool vote = m->type == RAFT_MSG_PREVOTE ||
			    m->type == RAFT_MSG_VOTE;
		bool in_lease = r->cfg.check_quorum && r->leader &&
				r->election_elapsed < r->cfg.election_ticks;

		/* a live leader outranks a candidate's term (4.2.3) */
		if (vote && in_lease)
			return false;
		if (m->type == RAFT_MSG_PREVOTE ||
		    (m->type == RAFT_MSG_PREVOTE_RESP && m->vote_resp.granted))
			return true;
		become_follower(r, m->term, leader_msg ? m->from : 0);
		return true;
	}
	if (m->term < r->term) {
		if (MUTANT(5) && leader_msg)
			return true;
		handle_stale(r, m);
		return false;
	}
	return true;
}

/*
 * Terms near the limit: none is taken from a peer at or above RAFT_TERM_MAX
 * unless it is the next election's, so whatever term a peer makes us
 * adopt, 2^32 elections remain possible after it, one at a time.
 */
static bool term_too_high(const struct raft *r, u64 term)
{
	return term >= RAFT_TERM_LIMIT ||
	       (term >= RAFT_TERM_MAX && term > r->term + 1);
}

int raft_step(struct raft *r, const struct raft_msg *m)
{
	struct raft_progress *pr = progress(r, m->from);
	bool leader_msg;

	if (!pr || m->to != r->cfg.id || !m->term || term_too_high(r, m->term) ||
	    m->type == 0 || m->type > RAFT_MSG_TYPE_MAX) {
		r->stats.msgs_ignored++;
		return RAFT_EINVAL;
	}
	pr->heard = r->now;
	/* CheckQuorum: only a message of our term shows a live majority */
	if (m->term == r->term)
		pr->recent_active = true;
	/* proposals are client traffic: their term is only informative */
	if (m->type == RAFT_MSG_PROPOSE) {
		handle_propose(r, m);
		return RAFT_OK;
	}
	if (m->type == RAFT_MSG_PROPOSE_RESP) {
		handle_propose_resp(r, m);
		return RAFT_OK;
	}
	if (!check_term(r, m))
		return RAFT_OK;

	leader_msg = m->type == RAFT_MSG_APPEND ||
		     m->type == RAFT_MSG_HEARTBEAT;
	if (leader_msg) {
		if (r->role == RAFT_LEADER && !MUTANT(5)) {
			r->stats.msgs_ignored++;	/* two leaders?! */
			return RAFT_EINVAL;
		}
		if (r->role != RAFT_FOLLOWER)
			become_follower(r, r->term, m->from);
		set_leader(r, m->from);
		r->election_elapsed = 0;
	}

	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		handle_vote(r, m);
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		handle_vote_resp(r, pr, m);
		break;
	case RAFT_MSG_APPEND:
		return handle_append(r, m);
	case RAFT_MSG_APPEND_RESP:
		if (r->role == RAFT_LEADER)
			handle_append_resp(r, pr, m);
		break;
	case RAFT_MSG_HEARTBEAT:
		handle_heartbeat(r, m);
		break;
	case RAFT_MSG_HEARTBEAT_RESP:
		if (r->role == RAFT_LEADER) {
			if (pr->state == PR_PROBE)
				pr->paused = false;
			r->need_flush = true;
		}
		break;
	}
	return RAFT_OK;
}

/* --- public calls ------------------------------------------------------- */

void raft_tick(struct raft *r)
{
	r->now++;
	tick_pending(r);
	if (r->role == RAFT_LEADER) {
		tick_leader(r);
		return;
	}
	if (MUTANT(10) && r->role != RAFT_FOLLOWER)
		return;
	if (++r->election_elapsed >= r->timeout)
		campaign(r, r->cfg.pre_vote);
}

static struct raft_pending *pend_slot(struct raft *r)
{
	u32 i;

	if (r->n_pend == RAFT_MAX_PENDING)
		return NULL;
	for (i = 0; i < RAFT_MAX_PENDING; i++)
		if (r->pend[i].state == PEND_FREE)
			return &r->pend[i];
	return NULL;
}

int raft_propose_in(struct raft *r, const struct raft_proposal *prop)
{
	struct raft_pending *p;
	u64 index;

	if (!prop->len || !prop->session || !prop->seq ||
	    prop->seq >= RAFT_TERM_LIMIT || prop->start >= RAFT_TERM_LIMIT)
		return RAFT_EINVAL;
	if (prop->len > r->cfg.max_entry_size)
		return RAFT_ETOOBIG;
	if (r->role != RAFT_LEADER && !r->leader)
		return RAFT_ENOLEADER;
	if (r->role == RAFT_LEADER &&
	    raft_sessions_lookup(&r->sess, prop->session, prop->seq,
				 prop->start, &index) == RAFT_SESS_STALE)
		return RAFT_ESTALE;
	if (!raft_can_propose(r))
		return RAFT_EBUSY;
	p = pend_slot(r);
	if (!p)
		return RAFT_EBUSY;
	memset(p, 0, sizeof(*p));
	p->data = raft_alloc(prop->len);
	if (!p->data)
		return RAFT_ENOMEM;
	memcpy(p->data, prop->data, prop->len);
	p->len = prop->len;
	p->cookie = prop->cookie;
	p->session = prop->session;
	p->seq = prop->seq;
	p->start = prop->start;
	p->accept_only = prop->accept_only;
	p->first_try = prop->first_try;
	p->left = prop->timeout ? prop->timeout :
				  RAFT_PROPOSE_TIMEOUTS * r->cfg.election_ticks;
	p->state = PEND_WAIT;
	r->n_pend++;
	pend_place(r, p);
	return RAFT_OK;
}

int raft_propose(struct raft *r, u64 cookie, const void *data, u32 len)
{
	struct raft_proposal p = {
		.cookie = cookie,
		.session = r->own_session,
		.seq = r->own_seq + 1,
		.start = r->own_seq ? r->own_start : r->commit,
		.first_try = true,
		.data = data,
		.len = len,
	};
	int err = raft_propose_in(r, &p);

	if (!err) {
		r->own_start = p.start;
		r->own_seq++;
	}
	return err;
}

bool raft_can_propose(const struct raft *r)
{
	if (r->n_pend == RAFT_MAX_PENDING)
		return false;
	if (r->role == RAFT_LEADER)
		return r->last - r->commit < r->cfg.max_uncommitted;
	return r->leader != 0;
}

bool raft_has_ready(const struct raft *r)
{
	return r->hs_dirty || r->stable < r->last || r->n_out || r->n_res ||
	       r->commit != r->ready_commit ||
	       (r->role == RAFT_LEADER && r->need_flush);
}

/* Attach entries to queued appends; drop those a role change made stale. */
static void resolve_appends(struct raft *r)
{
	u32 i, n = 0;

	for (i = 0; i < r->n_out; i++) {
		struct raft_msg *m = &r->out[i];

		if (m->type == RAFT_MSG_APPEND) {
			u64 first = m->append.prev_index + 1;

			if (r->role != RAFT_LEADER || m->term != r->term ||
			    first + m->append.n_entries - 1 > r->last)
				continue;
			m->append.entries = m->append.n_entries &&
					    !m->append.load ?
					    mem_entry(r, first) : NULL;
		}
		r->out[n++] = *m;
	}
	r->n_out = n;
}

void raft_ready(struct raft *r, struct raft_ready *rd)
{
	run_pending(r);
	flush_appends(r);
	resolve_appends(r);
	memset(rd, 0, sizeof(*rd));
	rd->hardstate_changed = r->hs_dirty;
	rd->term = r->term;
	rd->vote = r->vote;
	if (MUTANT(4) && r->vote != r->cfg.id)
		rd->vote = 0;
	if (r->stable < r->last) {
		rd->entries_first = r->stable + 1;
		rd->n_entries = (u32)(r->last - r->stable);
		rd->entries = mem_entry(r, r->stable + 1);
	}
	rd->n_msgs = r->n_out;
	rd->msgs = r->out;
	rd->n_results = r->n_res;
	rd->results = r->res;
	rd->commit_index = r->commit;
	r->ready_commit = r->commit;
}

void raft_advance(struct raft *r, const struct raft_ready *rd)
{
	u32 i;

	if (rd->hardstate_changed)
		r->hs_dirty = false;
	if (rd->n_entries)
		r->stable = rd->entries_first + rd->n_entries - 1;
	r->n_out = 0;
	r->n_res = 0;
	/* a message of this ready may have pointed into a finished one */
	for (i = 0; i < RAFT_MAX_PENDING; i++) {
		struct raft_pending *p = &r->pend[i];

		if (p->state == PEND_DONE) {
			raft_free(p->data);
			p->data = NULL;
			p->state = PEND_FREE;
			r->n_pend--;
		}
	}
	if (r->role == RAFT_LEADER)
		maybe_commit(r);
}

enum raft_proposal_state raft_proposal_state(const struct raft *r,
					     u64 index, u64 term)
{
	if (!index)
		return RAFT_PROPOSAL_PENDING;
	if (entry_lost(r, index, term))
		return RAFT_PROPOSAL_LOST;
	return index <= r->commit ? RAFT_PROPOSAL_COMMITTED :
				    RAFT_PROPOSAL_PENDING;
}

const struct raft_entry *raft_entry_at(const struct raft *r, u64 index)
{
	if (index <= r->offset || index > r->last)
		return NULL;
	return mem_entry(r, index);
}

/* Never past what is durable, nor under an append queued from memory. */
static u64 release_limit(const struct raft *r, u64 index)
{
	u32 i;

	if (index > r->stable)
		index = r->stable;
	for (i = 0; i < r->n_out; i++) {
		const struct raft_msg *m = &r->out[i];

		if (m->type == RAFT_MSG_APPEND && !m->append.load &&
		    m->append.n_entries && m->append.prev_index < index)
			index = m->append.prev_index;
	}
	return index;
}

void raft_release(struct raft *r, u64 index)
{
	u64 k;

	index = release_limit(r, index);
	if (index <= r->offset)
		return;
	for (k = r->offset + 1; k <= index; k++) {
		struct raft_entry *e = mem_entry(r, k);

		if (!r->n_runs || r->runs[r->n_runs - 1].term != e->term) {
			if (!grow((void **)&r->runs, &r->cap_runs,
				  r->n_runs + 1, sizeof(*r->runs))) {
				index = k - 1;	/* keep the rest for later */
				break;
			}
			r->runs[r->n_runs].first = k;
			r->runs[r->n_runs].term = e->term;
			r->n_runs++;
		}
		r->mem_bytes -= e->len;
		raft_free((void *)e->data);
	}
	memmove(r->log, mem_entry(r, index + 1),
		(r->last - index) * sizeof(*r->log));
	r->offset = index;
}

u64 raft_commit_index(const struct raft *r)
{
	return r->commit;
}

void raft_get_status(const struct raft *r, struct raft_status *st)
{
	u32 i;

	memset(st, 0, sizeof(*st));
	st->id = r->cfg.id;
	st->role = r->role;
	st->term = r->term;
	st->leader = r->leader;
	st->voted_for = r->vote;
	st->commit_index = r->commit;
	st->first_index = 1;
	st->mem_first = r->offset + 1;
	st->mem_bytes = r->mem_bytes;
	st->last_index = r->last;
	st->last_term = term_at(r, r->last);
	st->stable_index = r->stable;
	st->n_peers = r->n_peers;
	for (i = 0; i < r->n_peers; i++) {
		const struct raft_progress *pr = &r->peers[i];
		struct raft_peer_status *ps = &st->peers[i];

		ps->id = pr->id;
		if (r->role == RAFT_LEADER) {
			ps->match_index = pr->match;
			ps->next_index = pr->next;
		}
		ps->ticks_since_heard = pr->heard ?
			(u32)(r->now - pr->heard) : (u32)-1;
	}
	st->stats = r->stats;
}

/* --- construction --------------------------------------------------------- */

void raft_config_default(struct raft_config *cfg, u32 id,
			 const u32 *nodes, u32 n_nodes)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->id = id;
	if (n_nodes > RAFT_MAX_NODES)
		n_nodes = RAFT_MAX_NODES;
	cfg->n_nodes = n_nodes;
	memcpy(cfg->nodes, nodes, n_nodes * sizeof(*nodes));
	cfg->election_ticks = 15;
	cfg->heartbeat_ticks = 5;
	cfg->max_msg_bytes = 16 * 1024;
	cfg->max_inflight = 8;
	cfg->max_entry_size = RAFT_ENTRY_SIZE_LIMIT;
	cfg->max_uncommitted = 4096;
	cfg->seed = id;
	cfg->pre_vote = true;
	cfg->check_quorum = true;
}

int raft_config_check(const struct raft_config *cfg, const char **why)
{
	const char *bad = NULL;
	bool self = false;
	u32 i, j;

	if (!cfg->n_nodes || cfg->n_nodes > RAFT_MAX_NODES)
		bad = "number of nodes";
	for (i = 0; i < cfg->n_nodes && !bad; i++) {
		if (!cfg->nodes[i])
			bad = "node id 0";
		for (j = 0; j < i && !bad; j++)
			if (cfg->nodes[i] == cfg->nodes[j])
				bad = "duplicate node id";
		self = self || cfg->nodes[i] == cfg->id;
	}
	if (!bad && (!cfg->id || !self))
		bad = "own id not among the nodes";
	else if (!bad && cfg->election_ticks < 2)
		bad = "election timeout too short";
	else if (!bad && (!cfg->heartbeat_ticks ||
			  cfg->heartbeat_ticks >= cfg->election_ticks))
		bad = "heartbeat not shorter than election timeout";
	else if (!bad && !cfg->max_msg_bytes)
		bad = "message byte budget";
	else if (!bad && (!cfg->max_inflight ||
			  cfg->max_inflight > RAFT_MAX_INFLIGHT))
		bad = "in-flight window";
	else if (!bad && (!cfg->max_entry_size ||
			  cfg->max_entry_size > RAFT_ENTRY_SIZE_LIMIT))
		bad = "maximum entry size";
	else if (!bad && !cfg->max_uncommitted)
		bad = "uncommitted limit";
	if (why)
		*why = bad;
	return bad ? RAFT_EINVAL : RAFT_OK;
}

struct raft *raft_create(const struct raft_config *cfg)
{
	struct raft *r;
	u32 i;

	if (raft_config_check(cfg, NULL))
		return NULL;
	r = raft_alloc(sizeof(*r));
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	r->pend = raft_alloc(RAFT_MAX_PENDING * sizeof(*r->pend));
	if (!r->pend || raft_sessions_init(&r->sess)) {
		raft_free(r->pend);
		raft_free(r);
		return NULL;
	}
	memset(r->pend, 0, RAFT_MAX_PENDING * sizeof(*r->pend));
	r->cfg = *cfg;
	r->quorum = cfg->n_nodes / 2 + 1;
	r->rng = cfg->seed ^ ((u64)cfg->id << 32) ^ 0x9e3779b97f4a7c15ULL;
	if (!r->rng)
		r->rng = 1;
	/* our own session must not repeat across restarts */
	do {
		r->own_session = raft_rand(r);
	} while (!r->own_session);
	for (i = 0; i < cfg->n_nodes; i++)
		if (cfg->nodes[i] != cfg->id)
			r->peers[r->n_peers++].id = cfg->nodes[i];
	r->role = RAFT_FOLLOWER;
	reset_timeout(r);
	return r;
}

void raft_destroy(struct raft *r)
{
	u32 i;

	if (!r)
		return;
	truncate_from(r, 1);
	raft_free(r->log);
	raft_free(r->runs);
	for (i = 0; i < RAFT_MAX_PENDING; i++)
		raft_free(r->pend[i].data);
	raft_free(r->pend);
	raft_sessions_free(&r->sess);
	raft_free(r->out);
	raft_free(r->res);
	raft_free(r);
}

void raft_restore_hardstate(struct raft *r, u64 term, u32 vote)
{
	r->term = term;
	r->vote = vote;
}

int raft_restore_entry(struct raft *r, const struct raft_entry *e)
{
	int err = append_entry(r, e);

	if (!err)
		r->stable = r->last;
	return err;
}
