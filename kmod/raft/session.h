/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client sessions: which (session, seq) pairs a node's log holds, so that
 * a leader never appends one twice (Ongaro's thesis, 6.3).
 *
 * The table follows the log, not the commit index: every entry appended or
 * restored is recorded, and a truncation forgets what it cut. It is built
 * from the log alone, so a restarted node rebuilds it by replaying its
 * entries. It is bounded: per session the RAFT_SESSION_WINDOW highest
 * seqs with their index; at most RAFT_MAX_SESSIONS sessions, the one whose
 * last entry is oldest is forgotten first. Forgetting is conservative:
 *
 *	@floor	every seq at or below it is answered STALE (it may be in the
 *		log), never NEW;
 *	@horizon every session whose last entry is at or below it may have
 *		been forgotten, so a seq of an unknown session is STALE
 *		unless its writer vouches (proposal.start: a commit index
 *		read before that seq's first try) that it is newer; and a
 *		session met again after that carries the horizon of then
 *		(@born): a seq not among its slots is STALE unless vouched
 *		newer than @born.
 *
 * So a lookup that says NEW is always right: the pair is nowhere in the
 * log. Truncation is rare (a follower's uncommitted tail) and costs one
 * pass over the table, never over the log.
 */
#ifndef RAFT_SESSION_H
#define RAFT_SESSION_H

#include "platform.h"

enum raft_sess_verdict {
	RAFT_SESS_NEW,		/* not in the log: append it */
	RAFT_SESS_DUP,		/* in the log at *index */
	RAFT_SESS_STALE,	/* may be in the log: refuse */
};

struct raft_sess_slot {
	u64 seq;
	u64 index;
};

struct raft_session {
	u64 id;			/* 0: free */
	u64 floor;		/* seqs <= floor are forgotten */
	u64 last_index;		/* index of its newest entry */
	u64 born;		/* the horizon when the table met it */
	u16 prev, next;		/* LRU list: oldest last entry first */
	u16 n;			/* used slots */
	struct raft_sess_slot slot[RAFT_SESSION_WINDOW];
};

struct raft_sessions {
	struct raft_session *s;	/* RAFT_MAX_SESSIONS */
	u16 *hash;		/* open addressing: index into @s, or NONE */
	u16 lru_head, lru_tail;	/* oldest, newest */
	u16 n_free;
	u16 *free;		/* stack of free indexes */
	u64 horizon;
};

int raft_sessions_init(struct raft_sessions *t);
void raft_sessions_free(struct raft_sessions *t);
enum raft_sess_verdict raft_sessions_lookup(const struct raft_sessions *t,
					    u64 session, u64 seq, u64 start,
					    u64 *index);
/* Entry @index of the log carries (@session, @seq); @index only grows. */
void raft_sessions_record(struct raft_sessions *t, u64 session, u64 seq,
			  u64 index);
/* The log lost every entry from @from on. */
void raft_sessions_truncate(struct raft_sessions *t, u64 from);

#endif /* RAFT_SESSION_H */
