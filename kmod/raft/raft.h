/* SPDX-License-Identifier: GPL-2.0 */
/*
 * raftlog's portable Raft core.
 *
 * The core does no I/O, reads no clock and never sleeps. Time enters as
 * raft_tick(), messages as decoded structs through raft_step(), client
 * entries through raft_propose(). Everything the caller must do in return
 * (make state durable, send messages, learn of commits and of the fate of
 * proposals) is collected in a struct raft_ready, in the style of
 * etcd-io/raft:
 *
 *	while (raft_has_ready(r)) {
 *		raft_ready(r, &rd);
 *		send rd.msgs[] whose after_persist is false;
 *		make rd.term/rd.vote (if rd.hardstate_changed) and
 *		    rd.entries[] (at rd.entries_first, cutting anything stored
 *		    at or after that index first) durable;
 *		send rd.msgs[] whose after_persist is true (an APPEND with
 *		    append.load set takes its entries from the caller's
 *		    storage: see raft_release());
 *		raft_advance(r, &rd);
 *		wake readers up to rd.commit_index, writers from rd.results[];
 *	}
 *
 * With raft_config.async_persist, rd.entries[] need only be written (in
 * order, cut first) before raft_advance(); the messages whose
 * after_persist is true are held until they are durable, and
 * raft_persisted() tells the core so. A leader's own entries count
 * towards commit only from then on, its followers' copies at once: a
 * majority on other disks commits without waiting for this one.
 *
 * The pointers in a ready stay valid until raft_advance(); nothing else may
 * be called on the core between raft_ready() and raft_advance().
 *
 * Proposals: every client entry carries a (session, seq) pair, in the log
 * and on the wire. Each node keeps a bounded table of the sessions in its
 * log (session.c), so a leader recognises a (session, seq) it already
 * holds and answers with its index instead of appending it twice. Once
 * raft_propose*() has taken a proposal, the core owns it until one final
 * result: it forwards it to the leader, resends it, and proposes it again
 * after a leader change, a refusal or a lost entry, always under the same
 * (session, seq), until it commits or its timeout runs out. The caller
 * only waits.
 *
 * Membership: the configuration (who votes, who only learns, and their
 * addresses, which the core carries but never interprets) lives in the
 * log as RAFT_ENTRY_CONFIG entries. A node always uses the newest
 * configuration in its log, committed or not (Raft thesis 4.1): it takes
 * effect when it is appended, and a truncation that cuts it brings back
 * the one before. Like etcd, a leader takes one change at a time: a new
 * change only once the last one committed (and once it committed an
 * entry of its own term). A change of one voter takes effect directly;
 * a change of more voters goes through a joint configuration (old and new
 * voters must both agree, thesis 4.3), which the leader leaves on its own
 * once it committed. The log is never compacted at its front, so
 * raft_restore_entry() of every entry from index 1 on rebuilds the
 * configuration: it needs no record of its own.
 *
 * Concurrency: none. One caller (the instance's event loop) owns a struct
 * raft and serialises every call on it.
 */
#ifndef RAFT_H
#define RAFT_H

#include "platform.h"

/* members (voters, learners, old and new ones) of one configuration */
#define RAFT_MAX_NODES		9
#define RAFT_MAX_BATCH		512	/* entries in one AppendEntries */
#define RAFT_MAX_PENDING	256	/* proposals a node carries at once */
#define RAFT_SESSION_WINDOW	32	/* seqs of one session remembered */
#define RAFT_MAX_SESSIONS	1024	/* sessions a node remembers */
#define RAFT_TERM_LIMIT		0x4000000000000000ULL /* larger: garbage */
/* Terms from here on are taken from peers only one election at a time */
#define RAFT_TERM_MAX		(RAFT_TERM_LIMIT - (1ULL << 32))
#define RAFT_ENTRY_SIZE_LIMIT	(63U * 1024) /* one entry fits a datagram */
#define RAFT_ENTRY_OVERHEAD	32	/* an entry's header on the wire */
#define RAFT_ADDR_MAX		24	/* bytes of a member's address */

/* The roles, from raft_roles.h (values and names are ABI). */
enum raft_role {
#define RAFT_ROLE(id, value, name)	id,
#include "raft_roles.h"
#undef RAFT_ROLE
};

/*
 * Each role has the value its list gives, or this divides by zero (no
 * static_assert: the kernel's is a macro, and a list is no macro argument).
 */
enum {
	RAFT_ROLES_IN_ORDER = 1 / (0
#define RAFT_ROLE(id, value, name)	-((id) != (value))
#include "raft_roles.h"
#undef RAFT_ROLE
				   == 0),
};

/* Results of the core's calls and of proposals; never errno values. */
enum raft_err {
	RAFT_OK = 0,
	RAFT_ENOLEADER = -1,	/* no leader known to take a proposal */
	RAFT_EBUSY = -2,	/* too many proposals waiting: try later */
	RAFT_ETOOBIG = -3,	/* entry larger than max_entry_size */
	RAFT_EINVAL = -4,	/* bad argument or message */
	RAFT_ENOMEM = -5,
	RAFT_EUNKNOWN = -6,	/* timed out: it may still commit */
	RAFT_ENOTLEADER = -7,	/* the node forwarded to is not the leader */
	RAFT_ESTALE = -8,	/* the session no longer remembers this seq: */
				/* it may have committed before */
	RAFT_ELOST = -9,	/* known never to commit */
	/* membership changes and leadership transfer */
	RAFT_EPENDING = -10,	/* a change is still under way (or this new */
				/* leader has not committed in its term): */
				/* try again once it committed */
	RAFT_EEXIST = -11,	/* add: the id is a member already; */
				/* promote: it is a voter already */
	RAFT_EADDRINUSE = -12,	/* add: another member has that address */
	RAFT_ENOENT = -13,	/* no member has that id (remove, promote, */
				/* transfer), or no voter to transfer to */
	RAFT_ENOVOTER = -14,	/* the change would leave no voter */
	RAFT_ELEARNER = -15,	/* transfer: the target is a learner (or */
				/* is this node); promote: not caught up */
	RAFT_ETRANSFER = -16,	/* a leadership transfer is under way */
};

enum raft_entry_type {
	RAFT_ENTRY_NORMAL = 0,	/* a client's entry */
	RAFT_ENTRY_NOOP = 1,	/* a new leader's first entry; not for readers */
	RAFT_ENTRY_CONFIG = 2,	/* a membership change: @data is the encoded */
				/* configuration; not for readers */
};

/*
 * A client entry carries its writer's (session, seq), both non-zero; a
 * no-op or configuration entry carries (0, 0). Readers get only the data.
 *
 * @crc is raft_entry_crc() of the entry at its index. The leader computes
 * it once, when it appends the entry; every other copy (the wire, the
 * followers' logs, the disk, the readers' store) carries it unchanged and
 * checks it, so damage anywhere on the way is caught, not re-checksummed.
 */
struct raft_entry {
	u64 term;
	u64 session;
	u64 seq;
	u32 len;
	u32 crc;
	u8 type;		/* enum raft_entry_type */
	const u8 *data;		/* len bytes; owned by whoever made the entry */
};

/*
 * CRC32C (Castagnoli, seed ~0, final xor ~0) over the entry at @index:
 * le64 index, le64 term, le64 session, le64 seq, le32 len, u8 type, then
 * the data.
 */
u32 raft_entry_crc(u64 index, const struct raft_entry *e);

/* The message types, from raft_msg_types.h (values on the wire). */
enum raft_msg_type {
	RAFT_MSG_NONE = 0,	/* no message: the wire refuses type 0 */
#define RAFT_MSG_TYPE(id, value, name)	id,
#include "raft_msg_types.h"
#undef RAFT_MSG_TYPE
	RAFT_MSG_TYPE_END,	/* not a type: one past the last */
	RAFT_MSG_TYPE_MAX = RAFT_MSG_TYPE_END - 1,
};

/* Each type has the value its list gives, or this divides by zero. */
enum {
	RAFT_MSG_TYPES_IN_ORDER = 1 / (0
#define RAFT_MSG_TYPE(id, value, name)	-((id) != (value))
#include "raft_msg_types.h"
#undef RAFT_MSG_TYPE
				       == 0),
};

struct raft_msg {
	u8 type;		/* enum raft_msg_type */
	/*
	 * Not on the wire: the message depends on the ready's term, vote or
	 * entries, so it may leave only once they are durable.
	 */
	bool after_persist;
	u32 from;
	u32 to;
	u64 term;
	union {
		/* PREVOTE, VOTE: the candidate's last log entry */
		struct {
			u64 last_index;
			u64 last_term;
			/*
			 * The candidate campaigns because its leader asked
			 * it to (TIMEOUT_NOW): voters ignore their leader
			 * lease for it (thesis 3.10).
			 */
			bool transfer;
		} vote;
		/* PREVOTE_RESP, VOTE_RESP */
		struct {
			bool granted;
		} vote_resp;
		/* APPEND */
		struct {
			u64 prev_index;
			u64 prev_term;
			u64 commit;
			u32 n_entries;
			const struct raft_entry *entries;
			/*
			 * Not on the wire: @entries is NULL, the entries
			 * are ones the caller took over (raft_release()).
			 * Before sending, the caller loads them from
			 * prev_index + 1 on: at least one, at most
			 * @n_entries, as many as it wants to fit in one
			 * datagram, and sets @n_entries to the number
			 * loaded. Only one such APPEND is in flight to a
			 * follower at a time.
			 */
			bool load;
		} append;
		/*
		 * APPEND_RESP. On success @index is the last index the append
		 * covered. On reject @index is the rejected prev_index and
		 * (@hint_index, @hint_term) the follower's last entry at or
		 * below it whose term is <= the leader's prev_term.
		 */
		struct {
			bool success;
			u64 index;
			u64 hint_index;
			u64 hint_term;
		} append_resp;
		/* HEARTBEAT: min(leader's commit, follower's match) */
		struct {
			u64 commit;
		} heartbeat;
		/*
		 * PROPOSE: an entry forwarded by a follower to its leader.
		 * @start is an index below every entry of the session (0 if
		 * unknown), so a leader that forgot the session can tell.
		 */
		struct {
			u64 session;
			u64 seq;
			u64 start;
			u32 len;
			const u8 *data;
		} propose;
		/*
		 * PROPOSE_RESP: where the leader holds (session, seq), newly
		 * appended or found in its log, or why it took nothing.
		 */
		struct {
			u64 session;
			u64 seq;
			u64 index;
			u64 term;
			s32 status;	/* enum raft_err */
		} propose_resp;
	};
};

/*
 * A member's address: opaque bytes the core only carries, compares (no two
 * members share a non-empty one) and hands back. The kernel puts a
 * sockaddr's family, port and address there. @len 0: none.
 */
struct raft_addr {
	u8 len;				/* <= RAFT_ADDR_MAX */
	u8 bytes[RAFT_ADDR_MAX];
};

enum raft_member_role {
	RAFT_MEMBER_LEAVING = 0,	/* joint only: a voter of the outgoing */
					/* set that the incoming one drops */
	RAFT_MEMBER_VOTER = 1,		/* votes and counts toward commit */
	RAFT_MEMBER_LEARNER = 2,	/* gets the log; never votes, counts */
					/* toward no quorum, never campaigns */
};

struct raft_member {
	u32 id;				/* non-zero, distinct */
	u8 role;			/* enum raft_member_role, in the */
					/* incoming configuration */
	bool outgoing;			/* joint only: a voter of the */
					/* outgoing set */
	struct raft_addr addr;
};

/*
 * A configuration, as raft_get_membership() gives it. Not joint: the
 * voters are the members whose role is VOTER. Joint: decisions need a
 * majority of the incoming voters (role VOTER) and one of the outgoing
 * voters (@outgoing set); the leader leaves the joint configuration on
 * its own, to the incoming voters, once it committed.
 */
struct raft_membership {
	u64 index;			/* of its CONFIG entry; 0: the boot */
					/* configuration of struct raft_config */
	u64 term;			/* of that entry; 0 for the boot one */
	bool joint;
	bool committed;			/* @index <= the commit index */
	u32 n_members;
	struct raft_member members[RAFT_MAX_NODES];
};

/* One step of a change; see raft_propose_change(). */
enum raft_change_type {
	RAFT_CHANGE_ADD_VOTER = 1,	/* a new id, as a voter */
	RAFT_CHANGE_ADD_LEARNER,	/* a new id, as a learner */
	RAFT_CHANGE_PROMOTE,		/* a caught-up learner (its log holds */
					/* every committed entry) becomes a */
					/* voter */
	RAFT_CHANGE_REMOVE,		/* a voter or a learner leaves */
};

struct raft_change_op {
	u8 type;			/* enum raft_change_type */
	u32 id;				/* non-zero */
	struct raft_addr addr;		/* adds only; @len 0: none */
};

struct raft_change {
	u32 n_ops;			/* 1 .. RAFT_MAX_NODES */
	struct raft_change_op ops[RAFT_MAX_NODES];	/* distinct ids */
	u32 timeout;			/* ticks to wait for the result; */
					/* 0: the default of raft_propose() */
};

struct raft_config {
	u32 id;				/* this node, one of @nodes */
	u32 n_nodes;
	u32 nodes[RAFT_MAX_NODES];	/* distinct, non-zero */
	/*
	 * Optional, the boot configuration beyond ids: @addrs[i] and
	 * @learner[i] describe @nodes[i]. All zero: every node a voter
	 * without an address. Every node of a new cluster must boot with
	 * the same ones; a node that joins a running cluster boots with its
	 * current members and @join.
	 */
	struct raft_addr addrs[RAFT_MAX_NODES];
	bool learner[RAFT_MAX_NODES];
	/*
	 * Never campaign (nor answer TIMEOUT_NOW) as a voter of the boot
	 * configuration, only once a configuration from the log names this
	 * node a voter: a new node cannot disturb the cluster before a
	 * leader made it a voter, which it does only once the node holds
	 * every committed entry (see RAFT_CHANGE_PROMOTE). A restored log's
	 * configuration counts.
	 */
	bool join;
	u32 election_ticks;		/* timeout is random in [e, 2e) */
	u32 heartbeat_ticks;		/* < election_ticks */
	u32 max_msg_bytes;		/* entry bytes per AppendEntries */
	u32 max_inflight;		/* AppendEntries in flight per peer */
	u32 max_entry_size;		/* <= RAFT_ENTRY_SIZE_LIMIT */
	u32 max_uncommitted;		/* entries a leader holds uncommitted */
	u64 seed;			/* timeouts, forward ids: must */
					/* differ at every raft_create() */
	bool pre_vote;
	bool check_quorum;
	/*
	 * The caller makes a ready's entries durable after raft_advance()
	 * and tells raft_persisted() when they are, so ticks and messages go
	 * on while a slow disk syncs. The hard state must still be durable
	 * before raft_advance(); messages marked after_persist wait until
	 * the entries of their ready and of every earlier one are durable.
	 */
	bool async_persist;
};

/* One write, for raft_propose_in(). */
struct raft_proposal {
	u64 cookie;		/* returned in the result */
	u64 session;		/* non-zero: who writes */
	u64 seq;		/* non-zero: which of its writes this is */
	u64 start;		/* an index below all the session's entries */
				/* (a commit index seen before its first */
				/* write); 0: unknown, the safe choice */
	u32 timeout;		/* ticks to keep trying; 0: the default */
	bool accept_only;	/* done once a leader holds it */
	bool first_try;		/* nobody tried this (session, seq) before: */
				/* the core may prove it lost (RAFT_ELOST) */
	const void *data;	/* copied */
	u32 len;
};

/*
 * The one final result of a proposal the core took. @status:
 *	RAFT_OK		committed at (index, term); with accept_only: a
 *			leader holds it there
 *	RAFT_ENOLEADER	no leader was found in time; nothing was appended
 *	RAFT_EBUSY	the leader's window stayed full; nothing was appended
 *	RAFT_ELOST	known never to commit
 *	RAFT_EUNKNOWN	timed out; it may still commit
 *	RAFT_ESTALE	refused: the session's memory of this seq is gone;
 *			it may have committed
 *	RAFT_ETOOBIG, RAFT_EINVAL	refused by the leader
 */
struct raft_proposal_result {
	u64 cookie;
	s32 status;
	u64 index;
	u64 term;
};

struct raft_ready {
	bool hardstate_changed;
	u64 term;
	u32 vote;

	u64 entries_first;	/* index of entries[0] */
	u32 n_entries;
	const struct raft_entry *entries;

	u32 n_msgs;
	const struct raft_msg *msgs;

	u32 n_results;
	const struct raft_proposal_result *results;

	u64 commit_index;
	/*
	 * The configuration changed (a CONFIG entry appended or cut, or the
	 * newest one committed) since the last ready: raft_get_membership()
	 * tells the new one; raft_create() starts with the boot one.
	 */
	bool config_changed;
	u64 config_index;	/* raft_membership.index of the newest */
};

enum raft_proposal_state {
	RAFT_PROPOSAL_PENDING,
	RAFT_PROPOSAL_COMMITTED,
	RAFT_PROPOSAL_LOST,	/* another entry committed at its index */
};

struct raft_peer_status {
	u32 id;
	u64 match_index;	/* leader only */
	u64 next_index;		/* leader only */
	u32 ticks_since_heard;	/* U32_MAX: never heard */
};

struct raft_stats {
	u64 elections;		/* pre-votes and votes started */
	u64 leader_changes;	/* a new leader, or a new term of one */
	u64 proposals;		/* entries appended as leader for a client */
	u64 committed;		/* entries this node saw committed */
	u64 msgs_ignored;	/* not addressed to us, stale, or nonsense */
};

struct raft_status {
	u32 id;
	enum raft_role role;
	u64 term;
	u32 leader;		/* 0: unknown */
	u32 voted_for;		/* 0: none in this term */
	u64 commit_index;
	u64 first_index;
	u64 mem_first;		/* first entry the core holds in memory */
	u64 mem_bytes;		/* data bytes of the entries it holds */
	u64 last_index;
	u64 last_term;
	u64 stable_index;	/* last entry the caller made durable */
	u64 config_index;	/* raft_membership.index of the newest */
	u32 transfer_to;	/* leader: transferring to this voter; 0: no */
	bool voter;		/* a voter of the configuration (either set */
				/* when joint) */
	u32 n_peers;		/* every member but this node */
	struct raft_peer_status peers[RAFT_MAX_NODES];
	struct raft_stats stats;
};

struct raft;

/* Fills @cfg with the defaults for @id and @nodes (ticks of 10 ms). */
void raft_config_default(struct raft_config *cfg, u32 id,
			 const u32 *nodes, u32 n_nodes);
/* RAFT_OK or RAFT_EINVAL; @why (may be NULL) names the bad field. */
int raft_config_check(const struct raft_config *cfg, const char **why);

struct raft *raft_create(const struct raft_config *cfg);
void raft_destroy(struct raft *r);

/*
 * Restore durable state before the first tick or step: the hard state and
 * then the log, entry by entry from index 1 on. Restored state counts as
 * durable. The data is copied.
 */
void raft_restore_hardstate(struct raft *r, u64 term, u32 vote);
int raft_restore_entry(struct raft *r, const struct raft_entry *e);

void raft_tick(struct raft *r);
/* RAFT_OK, or RAFT_EINVAL for a message that makes no sense here. */
int raft_step(struct raft *r, const struct raft_msg *m);
/*
 * Propose one entry. RAFT_OK: the core took it, and its one final result
 * (above) arrives in a later ready. Otherwise nothing was taken and
 * nothing can commit: RAFT_ENOLEADER (no leader known), RAFT_EBUSY (no
 * room now), RAFT_ETOOBIG, RAFT_EINVAL, RAFT_ENOMEM, or RAFT_ESTALE (a
 * leader that forgot this (session, seq); it may have committed before).
 */
int raft_propose_in(struct raft *r, const struct raft_proposal *p);
/*
 * The same under the node's own session (drawn at raft_create()), for
 * writers that never retry elsewhere; the default timeout.
 */
int raft_propose(struct raft *r, u64 cookie, const void *data, u32 len);
/* Whether raft_propose*() would take an entry now. */
bool raft_can_propose(const struct raft *r);

/*
 * Propose a membership change, on the leader only. RAFT_OK: the core took
 * it, and its one final result (struct raft_proposal_result, @cookie)
 * arrives in a later ready: RAFT_OK at (index, term) of the configuration
 * that ends the change (for a joint one, the entry that leaves it) once it
 * committed; RAFT_ELOST when its entry was cut (nothing changed);
 * RAFT_EUNKNOWN when @ch->timeout ran out (it may still complete).
 * Otherwise nothing was taken: RAFT_ENOTLEADER (raft_get_status() tells the
 * leader), RAFT_EPENDING, RAFT_ETRANSFER, RAFT_EEXIST, RAFT_EADDRINUSE,
 * RAFT_ENOENT, RAFT_ENOVOTER, RAFT_ELEARNER (promote of a learner not
 * caught up: its log does not yet hold every committed entry),
 * RAFT_EBUSY, RAFT_ENOMEM, RAFT_EINVAL (no op, too many, an id twice, id
 * 0, an address on a promote or remove, RAFT_ADDR_MAX passed, members
 * beyond RAFT_MAX_NODES).
 */
int raft_propose_change(struct raft *r, u64 cookie,
			const struct raft_change *ch);
/*
 * Hand leadership to voter @to, or with @to 0 to the voter whose log is
 * the most up to date. The leader stops taking proposals (they wait, and
 * go on at the new leader), brings @to up to date, and sends it
 * TIMEOUT_NOW; if no new leader arises within an election timeout, it
 * gives up and takes proposals again. RAFT_OK: started (watch
 * raft_get_status()'s leader and transfer_to); RAFT_ENOTLEADER,
 * RAFT_ETRANSFER (one is under way), RAFT_ENOENT (@to is no member, or no
 * other voter exists), RAFT_ELEARNER (@to is a learner or this node).
 */
int raft_transfer_leader(struct raft *r, u32 to);
/* The newest configuration in the log (the boot one if there is none). */
void raft_get_membership(const struct raft *r, struct raft_membership *m);
/*
 * The configuration encoding in a CONFIG entry's data (membership.c):
 * bytes written to @buf (@cap bytes, RAFT_CONFIG_MAX_LEN always enough),
 * or RAFT_EINVAL for a configuration the decoder would refuse. The decoder
 * checks every field and bound, fills @m but for @index, @term and
 * @committed, and returns RAFT_OK or RAFT_EINVAL.
 */
#define RAFT_CONFIG_MAX_LEN	(4 + RAFT_MAX_NODES * (8 + RAFT_ADDR_MAX))
int raft_config_encode(const struct raft_membership *m, u8 *buf, u32 cap);
int raft_config_decode(const u8 *data, u32 len, struct raft_membership *m);

bool raft_has_ready(const struct raft *r);
void raft_ready(struct raft *r, struct raft_ready *rd);
void raft_advance(struct raft *r, const struct raft_ready *rd);
/*
 * With async_persist: the caller's log is durable up to @index, whose
 * entry has term @term. A report of entries the core no longer holds at
 * that term (cut since they were written) or of less than it knew is
 * ignored. Not between raft_ready() and raft_advance().
 */
void raft_persisted(struct raft *r, u64 index, u64 term);

/* The fate of an entry that was accepted at (@index, @term). */
enum raft_proposal_state raft_proposal_state(const struct raft *r,
					     u64 index, u64 term);
/* NULL when @index is outside [mem_first, last_index]. */
const struct raft_entry *raft_entry_at(const struct raft *r, u64 index);
/*
 * The caller holds entries up to @index in its storage and can load them
 * again: the core frees its copies and keeps only their terms. It never
 * releases past the last durable entry. Released entries that may still
 * be uncommitted are cut through the ready like any other. Call it between
 * raft_advance() and the next raft_ready().
 */
void raft_release(struct raft *r, u64 index);
u64 raft_commit_index(const struct raft *r);
void raft_get_status(const struct raft *r, struct raft_status *st);

/* The names of raft_roles.h and raft_msg_types.h; "unknown" for others. */
const char *raft_role_name(enum raft_role role);
const char *raft_msg_type_name(u8 type);

#endif /* RAFT_H */
