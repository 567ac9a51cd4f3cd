/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inside of raftlog's Raft core, shared by its parts and by nothing
 * else (raft.h is the public API). One struct raft, and the calls each
 * part offers the others:
 *
 *	log.c		entries, term runs, append, truncate, release/load
 *	progress.c	what a leader knows of each follower, and replication
 *	quorum.c	majority arithmetic over a configuration (pure)
 *	forward.c	proposals this node carries until their final result
 *	config.c	configurations: the boot one (defaults, checks) and
 *			those in CONFIG entries (encoding, checks)
 *	raft.c		roles, elections, step, and the ready/advance cycle
 */
#ifndef RAFT_INT_H
#define RAFT_INT_H

#include "raft.h"
#include "session.h"

#define RAFT_MAX_INFLIGHT	64
#define RAFT_PROPOSE_TIMEOUTS	8	/* raft_propose(): election timeouts */

/* --- quorum.c ------------------------------------------------------------ */

/*
 * Ids quorum.c's calls take at most: ourselves and our peers. A node
 * outside a full configuration has RAFT_MAX_NODES peers.
 */
#define RAFT_MAX_IDS		(RAFT_MAX_NODES + 1)

/* One set of voters; a decision needs more than half of them. */
struct raft_majority {
	u32 n;
	u32 ids[RAFT_MAX_NODES];
};

/*
 * The voters of a configuration: a decision needs a majority of each
 * set. voters[1] is empty unless the configuration is joint (old, new).
 */
struct raft_quorum_config {
	struct raft_majority voters[2];
};

enum raft_vote {
	RAFT_VOTE_NONE,		/* no answer yet */
	RAFT_VOTE_GRANTED,
	RAFT_VOTE_REJECTED,
};

enum raft_vote_result {
	RAFT_VOTE_PENDING,	/* neither side has a majority yet */
	RAFT_VOTE_WON,
	RAFT_VOTE_LOST,
};

/*
 * What each node said: @ids[i]'s acknowledged index, vote or contact is
 * @index[i], @vote[i] or @active[i]. A voter missing from @ids counts as
 * index 0, no vote and no contact.
 */
u64 raft_quorum_index(const struct raft_quorum_config *c, const u32 *ids,
		      const u64 *index, u32 n);
enum raft_vote_result raft_quorum_vote(const struct raft_quorum_config *c,
				       const u32 *ids,
				       const enum raft_vote *vote, u32 n);
bool raft_quorum_active(const struct raft_quorum_config *c, const u32 *ids,
			const bool *active, u32 n);
void raft_quorum_single(struct raft_quorum_config *c, const u32 *nodes,
			u32 n);

/* --- progress.c ------------------------------------------------------------ */

enum progress_state {
	PR_PROBE,	/* one append at a time until the follower matches */
	PR_REPLICATE,	/* pipeline up to max_inflight appends */
};

/*
 * What a leader knows of one follower; followers keep only @heard and
 * @vote. While leader:
 *	@match < @next, unless the follower lost entries it had
 *		acknowledged (restarted without its disk, a torn tail):
 *		then @next moves back to resend them; @match never falls
 *		within a term;
 *	PR_PROBE: at most one append out (@paused), @n_inflight is 0;
 *	PR_REPLICATE: @next is past every append in flight, and
 *		@inflight holds the last index of each (oldest first);
 *	@stall counts only in PR_REPLICATE, from 0 on entering it.
 * The transitions are the raft_pr_*() calls of progress.c.
 */
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
	enum raft_vote vote;
};

/* --- forward.c ------------------------------------------------------------- */

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

/* --- log.c ----------------------------------------------------------------- */

/* Released entries from @first up to the next run's first have @term. */
struct raft_term_run {
	u64 first;
	u64 term;
};

/* --- config.c ------------------------------------------------------------------ */

/* The membership change this node proposed, until its one final result. */
struct raft_change_track {
	bool active;
	bool joint;		/* it left only once a later one committed */
	u64 cookie;
	u64 index;		/* of its CONFIG entry */
	u64 term;
	u32 left;		/* ticks until it gives up */
};

/* --- the node ---------------------------------------------------------------- */

struct raft {
	struct raft_config cfg;
	struct raft_quorum_config voters;	/* of @conf */
	/*
	 * The newest configuration in the log (or the boot one), and the
	 * one before it. A leader appends a configuration only once every
	 * one in its log committed, so no log holds two uncommitted ones:
	 * a truncation can cut @conf only, and then @conf_prev is back.
	 */
	struct raft_membership conf;
	struct raft_membership conf_prev;
	bool conf_dirty;		/* changed since the last ready */
	struct raft_change_track chg;
	u32 transfer_to;		/* leader: handing over to it */
	u32 transfer_elapsed;		/* ticks since the transfer began */

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
	u64 written;		/* last index handed to storage: stable */
				/* <= written <= last; equal to stable */
				/* unless cfg.async_persist */

	u32 election_elapsed;
	u32 heartbeat_elapsed;
	u32 timeout;		/* randomised election timeout */
	u64 rng;
	u64 now;		/* ticks since creation, from 1 */

	u32 n_peers;			/* every member but us */
	struct raft_progress peers[RAFT_MAX_NODES];
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

/* --- log.c ----------------------------------------------------------------- */

/* The entry at @index, which must be in memory (offset < index <= last). */
static inline struct raft_entry *raft_log_mem(const struct raft *r,
					      u64 index)
{
	return &r->log[index - r->offset - 1];
}

bool raft_grow(void **arr, u32 *cap, u32 need, size_t size);
u64 raft_log_term(const struct raft *r, u64 index);
bool raft_log_up_to_date(const struct raft *r, u64 last_index,
			 u64 last_term);
int raft_log_append(struct raft *r, const struct raft_entry *src);
int raft_log_append_new(struct raft *r, struct raft_entry *e);
void raft_log_truncate(struct raft *r, u64 from);
u64 raft_log_conflict_hint(const struct raft *r, u64 index, u64 term);
u32 raft_log_batch(const struct raft *r, u64 from);
bool raft_log_entry_lost(const struct raft *r, u64 index, u64 term);

/* --- progress.c ------------------------------------------------------------- */

struct raft_progress *raft_pr_find(struct raft *r, u32 id);
void raft_pr_reset(struct raft *r, struct raft_progress *pr);
void raft_pr_probe(struct raft_progress *pr, u64 next);
void raft_pr_replicate(struct raft_progress *pr, u64 next);
void raft_pr_send_append(struct raft *r, struct raft_progress *pr);
void raft_pr_heartbeat(struct raft *r, struct raft_progress *pr);
bool raft_pr_append_resp(struct raft *r, struct raft_progress *pr,
			 const struct raft_msg *m);
void raft_pr_transfer_check(struct raft *r, struct raft_progress *pr);
u32 raft_pr_best_voter(struct raft *r, bool caught_up);

/* --- forward.c ---------------------------------------------------------------- */

void raft_fwd_tick(struct raft *r);
void raft_fwd_run(struct raft *r);
void raft_fwd_reap(struct raft *r);
void raft_fwd_free(struct raft *r);
void raft_fwd_propose(struct raft *r, const struct raft_msg *m);
void raft_fwd_propose_resp(struct raft *r, const struct raft_msg *m);

/* --- config.c ------------------------------------------------------------------ */

void raft_conf_boot(const struct raft_config *cfg, struct raft_membership *m);
bool raft_conf_valid(const struct raft_membership *m);
void raft_conf_set(struct raft *r, const struct raft_membership *m);
bool raft_conf_is_voter(const struct raft *r, u32 id);
bool raft_conf_can_campaign(const struct raft *r);
bool raft_conf_stranger_ok(const struct raft *r, const struct raft_msg *m);
void raft_conf_appended(struct raft *r, const struct raft_membership *m,
			u64 index, u64 term);
void raft_conf_truncated(struct raft *r, u64 from);
void raft_conf_committed(struct raft *r, u64 old_commit);
bool raft_conf_leader(struct raft *r);
void raft_conf_tick(struct raft *r);
void raft_conf_track(struct raft *r);

/* --- raft.c ------------------------------------------------------------------- */

void raft_send(struct raft *r, struct raft_msg *m);
bool raft_result(struct raft *r, u64 cookie, s32 status, u64 index,
		 u64 term);

#endif /* RAFT_INT_H */
