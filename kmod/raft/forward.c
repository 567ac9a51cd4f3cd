// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals: a node carries each client entry it took (struct
 * raft_pending) until it knows the entry committed or its time is up. It
 * forwards it to the leader, resends it, and after a refusal, a leader
 * change or a lost entry proposes it again, always under the entry's
 * (session, seq): leaders look that pair up in the session table
 * (session.c) before appending, so no retry can make a second entry.
 */
#include "raft_int.h"

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

	/* a leader handing over takes nothing: it waits for the next one */
	if (r->last - r->commit >= r->cfg.max_uncommitted || r->transfer_to)
		return RAFT_EBUSY;
	err = raft_log_append_new(r, &e);
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
	if (raft_result(r, p->cookie, status, status ? 0 : p->index,
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
			pend_hold(r, p, index, raft_log_term(r, index));
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
	raft_send(r, &(struct raft_msg){
		.type = RAFT_MSG_PROPOSE,
		.to = p->to,
		.propose.session = p->session,
		.propose.seq = p->seq,
		.propose.start = p->start,
		.propose.len = p->len,
		.propose.data = p->data,
	});
}

/* A held proposal whose entry committed is done; a lost one goes again. */
static void pend_check(struct raft *r, struct raft_pending *p)
{
	if (p->state == PEND_HELD) {
		if (p->index <= r->commit &&
		    !raft_log_entry_lost(r, p->index, p->term)) {
			pend_finish(r, p, RAFT_OK);
			return;
		}
		if (!raft_log_entry_lost(r, p->index, p->term))
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
void raft_fwd_tick(struct raft *r)
{
	u32 resend = 2 * r->cfg.heartbeat_ticks;
	u32 i;

	for (i = 0; i < RAFT_MAX_PENDING && r->n_pend; i++) {
		struct raft_pending *p = &r->pend[i];

		if (p->state == PEND_FREE || p->state == PEND_DONE)
			continue;
		if (!p->left || !--p->left) {
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

void raft_fwd_run(struct raft *r)
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
void raft_fwd_propose(struct raft *r, const struct raft_msg *m)
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
		resp.propose_resp.term = raft_log_term(r, index);
	}
	raft_send(r, &resp);
}

void raft_fwd_propose_resp(struct raft *r, const struct raft_msg *m)
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

enum raft_proposal_state raft_proposal_state(const struct raft *r,
					     u64 index, u64 term)
{
	if (!index)
		return RAFT_PROPOSAL_PENDING;
	if (raft_log_entry_lost(r, index, term))
		return RAFT_PROPOSAL_LOST;
	return index <= r->commit ? RAFT_PROPOSAL_COMMITTED :
				    RAFT_PROPOSAL_PENDING;
}

/* A message of this ready may have pointed into a finished one. */
void raft_fwd_reap(struct raft *r)
{
	u32 i;

	for (i = 0; i < RAFT_MAX_PENDING; i++) {
		struct raft_pending *p = &r->pend[i];

		if (p->state == PEND_DONE) {
			raft_free(p->data);
			p->data = NULL;
			p->state = PEND_FREE;
			r->n_pend--;
		}
	}
}

void raft_fwd_free(struct raft *r)
{
	u32 i;

	for (i = 0; i < RAFT_MAX_PENDING; i++)
		raft_free(r->pend[i].data);
	raft_free(r->pend);
}
