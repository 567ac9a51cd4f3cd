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

#endif /* _UAPI_LINUX_RAFTLOG_H */
