// SPDX-License-Identifier: GPL-2.0
/*
 * What a leader knows of each follower, and how it replicates to it: the
 * invariants are written beside struct raft_progress (raft_int.h); every
 * change of state goes through raft_pr_reset(), raft_pr_probe() or
 * raft_pr_replicate(), so they hold by construction.
 *
 * A follower is probed (one append at a time, resent once per heartbeat)
 * until an answer shows where its log matches ours; then appends are
 * pipelined, at most max_inflight at a time. A rejection, or appends that
 * stay unanswered for two heartbeats, go back to probing.
 *
 * Leadership transfer lives here too: it is bringing one follower up to
 * date and then telling it so.
 */
#include "raft_int.h"

struct raft_progress *raft_pr_find(struct raft *r, u32 id)
{
	u32 i;

	for (i = 0; i < r->n_peers; i++)
		if (r->peers[i].id == id)
			return &r->peers[i];
	return NULL;
}

/* A new leader knows nothing of the follower: probe from our log's end. */
void raft_pr_reset(struct raft *r, struct raft_progress *pr)
{
	pr->match = 0;
	pr->next = r->last + 1;
	pr->state = PR_PROBE;
	pr->paused = false;
	pr->stall = 0;
	pr->n_inflight = 0;
	pr->inflight_head = 0;
}

/* Ask again from @next, one append at a time; what was in flight is moot. */
void raft_pr_probe(struct raft_progress *pr, u64 next)
{
	pr->state = PR_PROBE;
	pr->next = next;
	pr->n_inflight = 0;
	pr->paused = false;
	pr->stall = 0;
}

/* The follower holds everything before @next: pipeline from there. */
void raft_pr_replicate(struct raft_progress *pr, u64 next)
{
	pr->state = PR_REPLICATE;
	pr->next = next;
	pr->n_inflight = 0;
	pr->stall = 0;
}

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
		raft_pr_probe(pr, pr->next);
	}
	if (pr->paused)
		return;
	m.append.prev_index = prev;
	m.append.prev_term = raft_log_term(r, prev);
	m.append.commit = r->commit;
	m.append.n_entries = r->offset - prev < RAFT_MAX_BATCH ?
			     (u32)(r->offset - prev) : RAFT_MAX_BATCH;
	m.append.load = true;
	raft_send(r, &m);
	pr->paused = true;
}

/*
 * Queue AppendEntries for @pr. The entries are attached in raft_ready(),
 * once no further append can move the log array.
 */
void raft_pr_send_append(struct raft *r, struct raft_progress *pr)
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
		n = raft_log_batch(r, pr->next);
		m.append.prev_index = prev;
		m.append.prev_term = raft_log_term(r, prev);
		m.append.commit = r->commit;
		m.append.n_entries = n;
		raft_send(r, &m);
		if (pr->state == PR_PROBE) {
			pr->paused = true;
			return;
		}
		pr->next += n;
		inflight_add(pr, prev + n);
	}
}

void raft_pr_heartbeat(struct raft *r, struct raft_progress *pr)
{
	struct raft_msg m = { .type = RAFT_MSG_HEARTBEAT, .to = pr->id };

	/* never tell a follower to commit what it may not hold */
	m.heartbeat.commit = pr->match < r->commit ? pr->match : r->commit;
	raft_send(r, &m);
	/* lost appends are retried once per heartbeat */
	if (pr->state == PR_PROBE)
		pr->paused = false;
	else if (pr->n_inflight && ++pr->stall >= 2)
		raft_pr_probe(pr, pr->match + 1);
}

/* A rejection: resend from where the follower's hint says the logs part. */
static void append_rejected(struct raft *r, struct raft_progress *pr,
			    const struct raft_msg *m)
{
	u64 index = m->append_resp.index;
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
	next = raft_log_conflict_hint(r, hint, m->append_resp.hint_term) + 1;
	if (next > index)
		next = index;
	if (index > pr->match && next <= pr->match)
		next = pr->match + 1;
	raft_pr_probe(pr, next);
	r->need_flush = true;
}

/* An AppendEntries answer; true when @pr's match grew (commit may move). */
bool raft_pr_append_resp(struct raft *r, struct raft_progress *pr,
			 const struct raft_msg *m)
{
	u64 index = m->append_resp.index;
	bool grew = false;

	if (!m->append_resp.success) {
		append_rejected(r, pr, m);
		return false;
	}
	inflight_free_to(pr, index);
	if (index > r->last)
		return false;	/* nonsense: we never sent it */
	pr->stall = 0;
	if (pr->state == PR_PROBE && index + 1 >= pr->next)
		/* our probe is answered: replicate from what it holds */
		raft_pr_replicate(pr, index + 1);
	if (index > pr->match) {
		pr->match = index;
		if (pr->next <= pr->match)
			pr->next = pr->match + 1;
		grew = true;
		raft_pr_transfer_check(r, pr);
	}
	r->need_flush = true;
	return grew;
}

/* --- leadership transfer (thesis 3.10) -------------------------------------- */

/*
 * The voter, other than us, whose log holds the most: the one to hand
 * over to. With @caught_up only one that holds all of ours. 0: none.
 */
u32 raft_pr_best_voter(struct raft *r, bool caught_up)
{
	struct raft_progress *best = NULL;
	u32 i;

	for (i = 0; i < r->n_peers; i++) {
		struct raft_progress *pr = &r->peers[i];

		if (!raft_conf_is_voter(r, pr->id) ||
		    (caught_up && pr->match < r->last))
			continue;
		if (!best || pr->match > best->match)
			best = pr;
	}
	return best ? best->id : 0;
}

/* Once the target holds our whole log, tell it to campaign now. */
void raft_pr_transfer_check(struct raft *r, struct raft_progress *pr)
{
	if (r->transfer_to != pr->id || pr->match < r->last)
		return;
	raft_send(r, &(struct raft_msg){
		.type = RAFT_MSG_TIMEOUT_NOW,
		.to = pr->id,
	});
}

int raft_transfer_leader(struct raft *r, u32 to)
{
	struct raft_progress *pr;

	if (r->role != RAFT_LEADER)
		return RAFT_ENOTLEADER;
	if (r->transfer_to)
		return RAFT_ETRANSFER;
	if (!to)
		to = raft_pr_best_voter(r, false);
	if (!to)
		return RAFT_ENOENT;
	if (to == r->cfg.id)
		return RAFT_ELEARNER;
	pr = raft_pr_find(r, to);
	if (!pr)
		return RAFT_ENOENT;
	if (!raft_conf_is_voter(r, to))
		return RAFT_ELEARNER;
	r->transfer_to = to;
	r->transfer_elapsed = 0;
	r->need_flush = true;
	raft_pr_transfer_check(r, pr);
	return RAFT_OK;
}
