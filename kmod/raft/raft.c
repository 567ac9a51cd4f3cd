// SPDX-License-Identifier: GPL-2.0
/*
 * raftlog's Raft core: roles, elections with PreVote and CheckQuorum, the
 * handling of every message (raft_step()), the commit rule, and the
 * ready/advance cycle. See raft.h for the calling convention, raft_int.h
 * for the parts: log.c, progress.c, quorum.c, forward.c and config.c.
 */
#include "raft_int.h"

/* By value: raft_roles.h is in order from 0 (raft.h checks it). */
static const char *const role_names[] = {
#define RAFT_ROLE(id, value, name)	name,
#include "raft_roles.h"
#undef RAFT_ROLE
};

const char *raft_role_name(enum raft_role role)
{
	if ((unsigned int)role >= sizeof(role_names) / sizeof(*role_names))
		return "unknown";
	return role_names[role];
}

/* xorshift64*: deterministic for a given seed, good enough for timeouts. */
static u64 raft_rand(struct raft *r)
{
	r->rng ^= r->rng >> 12;
	r->rng ^= r->rng << 25;
	r->rng ^= r->rng >> 27;
	return r->rng * 0x2545f4914f6cdd1dULL;
}

/* --- outputs ------------------------------------------------------------ */

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
void raft_send(struct raft *r, struct raft_msg *m)
{
	if (!raft_grow((void **)&r->out, &r->cap_out, r->n_out + 1, sizeof(*m)))
		return;
	m->from = r->cfg.id;
	if (!m->term)
		m->term = r->term;
	if (!m->term)
		return;	/* a node that never had a term has nothing to say */
	m->after_persist = waits_for_persist(r, m);
	r->out[r->n_out++] = *m;
}

bool raft_result(struct raft *r, u64 cookie, s32 status, u64 index,
		 u64 term)
{
	struct raft_proposal_result *p;

	if (!raft_grow((void **)&r->res, &r->cap_res, r->n_res + 1, sizeof(*p)))
		return false;
	p = &r->res[r->n_res++];
	p->cookie = cookie;
	p->status = status;
	p->index = index;
	p->term = term;
	return true;
}

static void commit_to(struct raft *r, u64 index)
{
	u64 old = r->commit;

	if (index <= old)
		return;
	r->stats.committed += index - old;
	r->commit = index;
	raft_conf_committed(r, old);
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
	r->transfer_to = 0;
	set_leader(r, leader);
	r->heartbeat_elapsed = 0;
	reset_timeout(r);
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
		raft_pr_reset(r, &r->peers[i]);
		r->peers[i].recent_active = true;
	}
	/*
	 * An entry of our own term lets everything before it commit (5.4.2)
	 * and tells us the commit index without waiting for a client.
	 */
	raft_log_append_new(r, &noop);
	r->need_flush = true;
}

/* Every node's id, ourselves first, as quorum.c's calls take them. */
static u32 node_ids(const struct raft *r, u32 *ids)
{
	u32 i, n = 0;

	ids[n++] = r->cfg.id;
	for (i = 0; i < r->n_peers; i++)
		ids[n++] = r->peers[i].id;
	return n;
}

static void campaign(struct raft *r, bool pre, bool transfer);

/* Count the votes so far: a pre-election won leads to a real one. */
static void tally(struct raft *r)
{
	enum raft_vote v[RAFT_MAX_IDS];
	u32 ids[RAFT_MAX_IDS];
	u32 i, n = node_ids(r, ids);

	v[0] = RAFT_VOTE_GRANTED;	/* our own */
	for (i = 0; i < r->n_peers; i++)
		v[i + 1] = r->peers[i].vote;
	switch (raft_quorum_vote(&r->voters, ids, v, n)) {
	case RAFT_VOTE_WON:
		if (r->role == RAFT_PRECANDIDATE)
			campaign(r, false, false);
		else
			become_leader(r);
		break;
	case RAFT_VOTE_LOST:
		become_follower(r, r->term, 0);
		break;
	case RAFT_VOTE_PENDING:
		break;
	}
}

/*
 * Start a pre-election (@pre) or an election. A pre-election asks whether
 * we could win at term + 1 without touching our term, so a node that was
 * cut off cannot disrupt the cluster when it returns (PreVote, 9.6).
 * @transfer: our leader asked for it, so voters ignore their lease.
 */
static void campaign(struct raft *r, bool pre, bool transfer)
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
		r->peers[i].vote = RAFT_VOTE_NONE;
	for (i = 0; i < r->n_peers; i++) {
		struct raft_msg m = {
			.type = pre ? RAFT_MSG_PREVOTE : RAFT_MSG_VOTE,
			.to = r->peers[i].id,
			.term = term,
			.vote.last_index = r->last,
			.vote.last_term = raft_log_term(r, r->last),
			.vote.transfer = transfer,
		};

		/* a learner's vote would not count: it is not asked */
		if (raft_conf_is_voter(r, m.to))
			raft_send(r, &m);
	}
	tally(r);
}

static void flush_appends(struct raft *r)
{
	u32 i;

	if (r->role == RAFT_LEADER && r->need_flush)
		for (i = 0; i < r->n_peers; i++)
			raft_pr_send_append(r, &r->peers[i]);
	r->need_flush = false;
}

/*
 * A leader that the committed configuration no longer names a voter
 * leaves (thesis 4.2.2), handing over to a caught-up voter if it can, so
 * the cluster need not wait out an election timeout.
 */
static void step_down_removed(struct raft *r)
{
	u32 to = raft_pr_best_voter(r, true);

	if (to)
		raft_send(r, &(struct raft_msg){
			.type = RAFT_MSG_TIMEOUT_NOW,
			.to = to,
		});
	become_follower(r, r->term, 0);
}

/* The leader's own entries count once they are durable. */
static void commit_by_count(struct raft *r)
{
	u64 m[RAFT_MAX_IDS];
	u32 ids[RAFT_MAX_IDS];
	u32 i, n = node_ids(r, ids);
	u64 idx;

	m[0] = r->stable;
	for (i = 0; i < r->n_peers; i++)
		m[i + 1] = r->peers[i].match;
	idx = raft_quorum_index(&r->voters, ids, m, n);
	/* Only entries of our own term are committed by counting (5.4.2). */
	if (idx > r->commit && raft_log_term(r, idx) == r->term)
		commit_to(r, idx);
}

/* What a commit asks of a leader: leave a joint configuration, step down. */
static void leader_conf_work(struct raft *r)
{
	if (r->role == RAFT_LEADER && raft_conf_leader(r))
		step_down_removed(r);
}

static void maybe_commit(struct raft *r)
{
	commit_by_count(r);
	leader_conf_work(r);
}

/*
 * CheckQuorum: a leader that has not heard from a majority within an
 * election timeout steps down, so a leader cut off in a minority stops
 * acting as one.
 */
static bool check_quorum(struct raft *r)
{
	bool active[RAFT_MAX_IDS];
	u32 ids[RAFT_MAX_IDS];
	u32 i, n = node_ids(r, ids);

	active[0] = true;
	for (i = 0; i < r->n_peers; i++) {
		active[i + 1] = r->peers[i].recent_active;
		r->peers[i].recent_active = false;
	}
	return raft_quorum_active(&r->voters, ids, active, n);
}

static void broadcast_heartbeat(struct raft *r)
{
	u32 i;

	for (i = 0; i < r->n_peers; i++)
		raft_pr_heartbeat(r, &r->peers[i]);
	r->need_flush = true;
}

static void tick_leader(struct raft *r)
{
	r->heartbeat_elapsed++;
	/* no new leader in an election timeout: the transfer failed */
	if (r->transfer_to &&
	    ++r->transfer_elapsed >= r->cfg.election_ticks)
		r->transfer_to = 0;
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
			(pre && m->term > r->term);

	if (can_vote && raft_log_up_to_date(r, m->vote.last_index, m->vote.last_term)) {
		resp.term = m->term;
		resp.vote_resp.granted = true;
		if (!pre) {
			r->vote = m->from;
			r->hs_dirty = true;
			r->election_elapsed = 0;
		}
	}
	raft_send(r, &resp);
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
	pr->vote = m->vote_resp.granted ? RAFT_VOTE_GRANTED : RAFT_VOTE_REJECTED;
	tally(r);
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
		raft_send(r, &resp);
		return RAFT_OK;
	}
	if (prev > r->last || raft_log_term(r, prev) != m->append.prev_term) {
		u64 hint = raft_log_conflict_hint(r, prev, m->append.prev_term);

		resp.append_resp.index = prev;
		resp.append_resp.hint_index = hint;
		resp.append_resp.hint_term = raft_log_term(r, hint);
		raft_send(r, &resp);
		return RAFT_OK;
	}
	for (i = 0; i < m->append.n_entries; i++) {
		const struct raft_entry *e = &m->append.entries[i];
		u64 idx = prev + 1 + i;
		int err;

		if (idx <= r->last) {
			if (raft_log_term(r, idx) == e->term)
				continue;
			if (idx <= r->commit) {
				r->stats.msgs_ignored++;
				return RAFT_EINVAL;
			}
			raft_log_truncate(r, idx);
		}
		err = raft_log_append(r, e);
		if (err)
			return err;
	}
	last_new = prev + m->append.n_entries;
	commit_to(r, m->append.commit < last_new ? m->append.commit : last_new);
	resp.append_resp.success = true;
	resp.append_resp.index = last_new;
	raft_send(r, &resp);
	return RAFT_OK;
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
		resp.append_resp.hint_term = raft_log_term(r, r->last);
	}
	commit_to(r, c < r->last ? c : r->last);
	raft_send(r, &resp);
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
	/*
	 * Refused at our term, so the candidate learns it: configurations
	 * take effect when appended, so nodes may disagree for a while on
	 * who votes, and a candidate nobody else contacts would otherwise
	 * campaign at its old term forever (Figure 3.1: the reply's term is
	 * "for candidate to update itself").
	 */
	case RAFT_MSG_VOTE:
		resp.type = RAFT_MSG_VOTE_RESP;
		break;
	default:
		return;
	}
	raft_send(r, &resp);
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
		/* without CheckQuorum only for one that left our configuration */
		bool lease = r->cfg.check_quorum || !raft_pr_find(r, m->from);
		bool in_lease = lease && r->leader &&
				r->election_elapsed < r->cfg.election_ticks;

		/* a live leader outranks a candidate's term (4.2.3) */
		if (vote && in_lease && !m->vote.transfer)
			return false;
		if (m->type == RAFT_MSG_PREVOTE ||
		    (m->type == RAFT_MSG_PREVOTE_RESP && m->vote_resp.granted))
			return true;
		become_follower(r, m->term, leader_msg ? m->from : 0);
		return true;
	}
	if (m->term < r->term) {
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

static void handle_timeout_now(struct raft *r, const struct raft_msg *m)
{
	if (r->role == RAFT_FOLLOWER && m->from == r->leader &&
	    raft_conf_can_campaign(r))
		campaign(r, false, true);
}

int raft_step(struct raft *r, const struct raft_msg *m)
{
	struct raft_progress *pr = raft_pr_find(r, m->from);
	bool leader_msg;

	if ((!pr && !raft_conf_stranger_ok(r, m)) || m->to != r->cfg.id || !m->term ||
	    term_too_high(r, m->term) ||
	    m->type == 0 || m->type > RAFT_MSG_TIMEOUT_NOW) {
		r->stats.msgs_ignored++;
		return RAFT_EINVAL;
	}
	if (pr) {
		pr->heard = r->now;
		/* CheckQuorum: only a message of our term shows a live majority */
		if (m->term == r->term)
			pr->recent_active = true;
	}
	/* proposals are client traffic: their term is only informative */
	if (m->type == RAFT_MSG_PROPOSE) {
		raft_fwd_propose(r, m);
		return RAFT_OK;
	}
	if (m->type == RAFT_MSG_PROPOSE_RESP) {
		raft_fwd_propose_resp(r, m);
		return RAFT_OK;
	}
	if (!check_term(r, m))
		return RAFT_OK;

	leader_msg = m->type == RAFT_MSG_APPEND ||
		     m->type == RAFT_MSG_HEARTBEAT;
	if (leader_msg) {
		if (r->role == RAFT_LEADER) {
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
		if (r->role == RAFT_LEADER && raft_pr_append_resp(r, pr, m))
			maybe_commit(r);
		break;
	case RAFT_MSG_HEARTBEAT:
		handle_heartbeat(r, m);
		break;
	case RAFT_MSG_TIMEOUT_NOW:
		handle_timeout_now(r, m);
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
	raft_fwd_tick(r);
	raft_conf_tick(r);
	if (r->role == RAFT_LEADER) {
		tick_leader(r);
		return;
	}
	if (++r->election_elapsed < r->timeout)
		return;
	if (raft_conf_can_campaign(r)) {
		campaign(r, r->cfg.pre_vote, false);
		return;
	}
	/* no leader heard of in a timeout: say so, proposals stop waiting */
	set_leader(r, 0);
	reset_timeout(r);
}

bool raft_has_ready(const struct raft *r)
{
	return r->hs_dirty || r->written < r->last || r->n_out || r->n_res ||
	       r->conf_dirty ||
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
					    raft_log_mem(r, first) : NULL;
		}
		r->out[n++] = *m;
	}
	r->n_out = n;
}

void raft_ready(struct raft *r, struct raft_ready *rd)
{
	/* Deferred from raft_advance(), which must append nothing. */
	leader_conf_work(r);
	raft_fwd_run(r);
	raft_conf_track(r);
	flush_appends(r);
	resolve_appends(r);
	memset(rd, 0, sizeof(*rd));
	rd->hardstate_changed = r->hs_dirty;
	rd->term = r->term;
	rd->vote = r->vote;
	if (r->written < r->last) {
		rd->entries_first = r->written + 1;
		rd->n_entries = (u32)(r->last - r->written);
		rd->entries = raft_log_mem(r, r->written + 1);
	}
	rd->n_msgs = r->n_out;
	rd->msgs = r->out;
	rd->n_results = r->n_res;
	rd->results = r->res;
	rd->commit_index = r->commit;
	r->ready_commit = r->commit;
	rd->config_changed = r->conf_dirty;
	rd->config_index = r->conf.index;
}

void raft_advance(struct raft *r, const struct raft_ready *rd)
{
	if (rd->hardstate_changed)
		r->hs_dirty = false;
	if (rd->n_entries) {
		r->written = rd->entries_first + rd->n_entries - 1;
		if (!r->cfg.async_persist)
			r->stable = r->written;
	}
	r->n_out = 0;
	r->n_res = 0;
	if (rd->config_changed)
		r->conf_dirty = false;
	raft_fwd_reap(r);
	if (r->role == RAFT_LEADER)
		commit_by_count(r);
}

void raft_persisted(struct raft *r, u64 index, u64 term)
{
	if (index <= r->stable || index > r->written ||
	    raft_log_term(r, index) != term)
		return;	/* old news, or entries cut since they were written */
	r->stable = index;
	if (r->role == RAFT_LEADER)
		commit_by_count(r);
}

/* --- construction --------------------------------------------------------- */

struct raft *raft_create(const struct raft_config *cfg)
{
	struct raft *r;

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
	raft_conf_boot(cfg, &r->conf);
	raft_conf_set(r, &r->conf);
	r->conf_prev = r->conf;
	r->conf_dirty = false;
	r->rng = cfg->seed ^ ((u64)cfg->id << 32) ^ 0x9e3779b97f4a7c15ULL;
	if (!r->rng)
		r->rng = 1;
	/* our own session must not repeat across restarts */
	do {
		r->own_session = raft_rand(r);
	} while (!r->own_session);
	r->role = RAFT_FOLLOWER;
	reset_timeout(r);
	return r;
}

void raft_destroy(struct raft *r)
{
	if (!r)
		return;
	raft_log_truncate(r, 1);
	raft_free(r->log);
	raft_free(r->runs);
	raft_fwd_free(r);
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
