/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * raftlog: the ioctl interface of /dev/raftlog and /dev/raftlog-NAME.
 */
#ifndef _UAPI_LINUX_RAFTLOG_H
#define _UAPI_LINUX_RAFTLOG_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define RAFTLOG_MAX_NODES	9

enum raftlog_role {
	RAFTLOG_ROLE_FOLLOWER = 0,
	RAFTLOG_ROLE_PRECANDIDATE = 1,
	RAFTLOG_ROLE_CANDIDATE = 2,
	RAFTLOG_ROLE_LEADER = 3,
};

/* raftlog_status.flags */
#define RAFTLOG_STATUS_FAILED	0x1	/* out of service (disk error) */
#define RAFTLOG_STATUS_DURABLE	0x2	/* has a data_dir */

struct raftlog_peer_status {
	__u32 id;
	__u32 last_contact_ms;	/* 0xffffffff: never heard from */
	__u64 match_index;	/* meaningful on the leader only */
	__u64 next_index;	/* meaningful on the leader only */
};

struct raftlog_status {
	__u32 id;
	__u32 role;		/* enum raftlog_role */
	__u64 term;
	__u32 leader;		/* 0: unknown */
	__u32 voted_for;	/* 0: none */
	__u64 commit_index;
	__u64 first_index;
	__u64 last_index;
	__u64 last_term;
	__u32 election_timeout_ms;
	__u32 heartbeat_ms;
	__u32 max_entry_size;
	__u32 flags;		/* RAFTLOG_STATUS_* */
	__u32 n_peers;		/* valid entries in peers[] */
	__u32 reserved;
	struct raftlog_peer_status peers[RAFTLOG_MAX_NODES - 1];
};

#define RAFTLOG_IOC_MAGIC	0xb7

/* Fill a struct raftlog_status for this instance. */
#define RAFTLOG_IOC_STATUS	_IOR(RAFTLOG_IOC_MAGIC, 1, struct raftlog_status)
/*
 * The log index of the last entry written through this open file and
 * known committed (0 if none), so a writer can tell where its entry went.
 */
#define RAFTLOG_IOC_LAST_WRITE	_IOR(RAFTLOG_IOC_MAGIC, 2, __u64)

/*
 * The session an open file writes under. Every entry carries its writer's
 * (session id, seq); each write() on the file takes the next seq, and a
 * leader that already holds (id, seq) in its log answers with that entry's
 * index instead of appending it again. A file starts with a random id, so
 * the module's own retries are exactly-once. A client that must survive
 * its own crash reads its session (GET) before each write, and after an
 * unknown outcome (ETIMEDOUT, ESHUTDOWN, EINTR, ...) names it again (SET)
 * on any file, on any node, and repeats the same write: it returns the
 * length, and RAFTLOG_IOC_LAST_WRITE the index of the one committed entry.
 *
 * A node remembers the newest RAFTLOG_SESSION_WINDOW seqs of each session
 * and RAFTLOG_MAX_SESSIONS sessions (the one written longest ago is
 * forgotten first); a write it can no longer tell apart fails with ESTALE
 * (it may have committed). A file keeps at most RAFTLOG_SESSION_WINDOW
 * writes in flight; more wait.
 */
#define RAFTLOG_SESSION_WINDOW	32
#define RAFTLOG_MAX_SESSIONS	1024

struct raftlog_session {
	__u64 id;		/* non-zero */
	__u64 next_seq;		/* seq of the file's next write, >= 1 */
	__u64 start_index;	/* a log index below every entry of the */
				/* session: a commit index read before its */
				/* first write (GET gives one); 0: unknown */
	__u64 reserved;		/* 0 */
};

/* This file's session, as its next write() will use it. */
#define RAFTLOG_IOC_GET_SESSION	_IOR(RAFTLOG_IOC_MAGIC, 3, \
				     struct raftlog_session)
/*
 * Write under @id from @next_seq on. EBUSY while a write of this file is
 * in flight; EINVAL for a zero id or seq or a non-zero reserved field.
 */
#define RAFTLOG_IOC_SET_SESSION	_IOW(RAFTLOG_IOC_MAGIC, 4, \
				     struct raftlog_session)

/*
 * Membership. A cluster's configuration is a log entry like any other: a
 * change is proposed on the leader, replicated, and takes effect as each
 * node appends it (one pending change at a time, as etcd does); the call
 * returns once the new configuration is committed. Adding a voter or
 * removing one goes through a joint configuration (old and new majorities
 * both needed) that the leader leaves by itself; the call returns once the
 * leaving entry is committed too. Every call needs the file open for
 * writing and CAP_NET_ADMIN over the node's network namespace (checked
 * with the opener's credentials).
 *
 * Errors (nothing changed unless said otherwise):
 *	EREMOTE		this node is not the leader; @leader names the one it
 *			knows (0: none known). Ask there.
 *	ENOTCONN	no leader is known; try again after an election.
 *	EBUSY		a change (or a leadership transfer) is already under
 *			way; wait for it, then try again.
 *	EEXIST		add: @id is already a member, or another member has
 *			@addr; promote: @id is a voter already.
 *	ENOENT		promote, remove, transfer: @id is not a member.
 *	EINVAL		the change would leave no voter; a transfer to a
 *			learner; a bad field (id 0, an address of another
 *			family than the node's, port 0, a non-zero reserved
 *			field, an address given to promote or remove).
 *	EAGAIN		promote: the learner has not caught up yet (its match
 *			index trails the leader's commit index); try later.
 *	ENOSPC		add: RAFTLOG_MAX_NODES members (voters and learners
 *			together) already.
 *	ETIMEDOUT	not known committed within @timeout_ms: it may still
 *			commit. Read the membership to see.
 *	ECANCELED	known never to commit (a new leader overwrote it).
 *	EOPNOTSUPP	this module cannot change its membership.
 *	EPERM, EBADF	no CAP_NET_ADMIN; the file is not open for writing.
 *	ESHUTDOWN, EIO	the instance is disabled; the node is out of service.
 *	EINTR		a signal: the change may still commit.
 */
/*
 * Room in struct raftlog_membership; this module allows RAFTLOG_MAX_NODES
 * members in all (voters, learners, both halves of a joint configuration).
 */
#define RAFTLOG_MAX_MEMBERS	16

/* A member's UDP address. */
struct raftlog_addr {
	__u16 family;		/* AF_INET or AF_INET6 */
	__u16 port;		/* host byte order, 1..65535 */
	__u32 reserved;		/* 0 */
	__u8 addr[16];		/* network byte order; AF_INET: 4 bytes, */
				/* the rest 0 */
};

/* raftlog_member.flags */
#define RAFTLOG_MEMBER_VOTER	0x1	/* votes in the (incoming) config */
#define RAFTLOG_MEMBER_LEARNER	0x2	/* receives the log, never votes */
#define RAFTLOG_MEMBER_OUTGOING	0x4	/* votes in the outgoing half of a */
					/* joint configuration */

struct raftlog_member {
	__u32 id;
	__u32 flags;		/* RAFTLOG_MEMBER_* */
	struct raftlog_addr addr;
};

/* raftlog_membership.flags */
#define RAFTLOG_MEMBERSHIP_JOINT	0x1	/* old and new majorities */
#define RAFTLOG_MEMBERSHIP_PENDING	0x2	/* not committed yet */

struct raftlog_membership {
	__u64 config_index;	/* the configuration entry in force; 0: */
				/* the one the node was enabled with */
	__u64 commit_index;	/* the node's, as of this reading */
	__u32 flags;		/* RAFTLOG_MEMBERSHIP_* */
	__u32 leader;		/* 0: unknown */
	__u32 n_members;	/* valid entries in members[] */
	__u32 reserved;
	struct raftlog_member members[RAFTLOG_MAX_MEMBERS];
};

/*
 * One change. In: @id, @addr (add only; zero otherwise), @timeout_ms (0:
 * the instance's commit_timeout_ms), reserved fields 0. Out (also on
 * EREMOTE): @leader, and on success @config_index, the index of the
 * committed configuration that has the change.
 */
struct raftlog_member_change {
	__u32 id;
	__u32 timeout_ms;
	struct raftlog_addr addr;
	__u32 leader;		/* out */
	__u32 reserved;		/* 0 */
	__u64 config_index;	/* out */
	__u64 reserved2[2];	/* 0 */
};

/* One step of a RAFTLOG_IOC_CHANGE. */
#define RAFTLOG_OP_ADD_VOTER	1
#define RAFTLOG_OP_ADD_LEARNER	2
#define RAFTLOG_OP_PROMOTE	3
#define RAFTLOG_OP_REMOVE	4

struct raftlog_member_op {
	__u32 op;		/* RAFTLOG_OP_* */
	__u32 id;
	struct raftlog_addr addr;	/* adds only; zero otherwise */
};

/*
 * Several steps as one change, e.g. a replacement: add (or promote) the
 * new node and remove the old one at once. When more than one voter
 * changes, the cluster passes through a joint configuration in which both
 * the old and the new majority must agree, and the call returns once the
 * leader has left it (its entry committed). In: @n_ops (1 ..
 * RAFTLOG_MAX_NODES) steps on distinct ids, @timeout_ms, reserved fields
 * 0. Out (also on EREMOTE): @leader, and on success @config_index. The
 * errors of the one-step calls; EINVAL also for an id twice.
 */
struct raftlog_member_changes {
	__u32 n_ops;
	__u32 timeout_ms;
	__u32 leader;		/* out */
	__u32 reserved;		/* 0 */
	__u64 config_index;	/* out */
	__u64 reserved2;	/* 0 */
	struct raftlog_member_op ops[RAFTLOG_MAX_NODES];
};

/*
 * Leadership transfer. In: @id, a voter (0: the most up-to-date one),
 * @timeout_ms (0: the instance's election timeout times four). The call
 * returns once @id is leader (@leader, @term out), or fails: EREMOTE,
 * ENOTCONN, EBUSY, ENOENT, EINVAL (a learner), ETIMEDOUT (the target did
 * not win in time: the old leader leads again, or a new election runs),
 * EPERM, EBADF, ESHUTDOWN, EIO, EOPNOTSUPP. Writes pause on the leader
 * while the transfer runs and go on under the new leader. Transferring to
 * the node that already leads succeeds at once.
 */
struct raftlog_transfer {
	__u32 id;
	__u32 timeout_ms;
	__u32 leader;		/* out: the leader afterwards */
	__u32 reserved;		/* 0 */
	__u64 term;		/* out: its term */
	__u64 reserved2;	/* 0 */
};

/* The configuration as this node knows it (any node, no permission). */
#define RAFTLOG_IOC_MEMBERS	_IOR(RAFTLOG_IOC_MAGIC, 5, \
				     struct raftlog_membership)
#define RAFTLOG_IOC_ADD_VOTER	_IOWR(RAFTLOG_IOC_MAGIC, 6, \
				      struct raftlog_member_change)
#define RAFTLOG_IOC_ADD_LEARNER	_IOWR(RAFTLOG_IOC_MAGIC, 7, \
				      struct raftlog_member_change)
#define RAFTLOG_IOC_PROMOTE	_IOWR(RAFTLOG_IOC_MAGIC, 8, \
				      struct raftlog_member_change)
#define RAFTLOG_IOC_REMOVE	_IOWR(RAFTLOG_IOC_MAGIC, 9, \
				      struct raftlog_member_change)
#define RAFTLOG_IOC_TRANSFER	_IOWR(RAFTLOG_IOC_MAGIC, 10, \
				      struct raftlog_transfer)
#define RAFTLOG_IOC_CHANGE	_IOWR(RAFTLOG_IOC_MAGIC, 11, \
				      struct raftlog_member_changes)

#endif /* _UAPI_LINUX_RAFTLOG_H */
