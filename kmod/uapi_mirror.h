/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where uapi/linux/raftlog.h mirrors the core: the values userspace sees
 * are the core's own, passed through unconverted (the status ioctl's
 * role, the session limits, the node count), so each pair is checked
 * here, at build time, in one place. A core change that would move a
 * uapi value breaks the build instead.
 */
#ifndef RAFTLOG_UAPI_MIRROR_H
#define RAFTLOG_UAPI_MIRROR_H

#include <linux/build_bug.h>
#include <linux/kernel.h>
#include <uapi/linux/raftlog.h>
#include "raft/raft.h"

/* The core's roles (raft/raft_roles.h), by value: as many as uapi has. */
#define RAFT_ROLE(id, value, name)	value,
static const u8 raftlog_core_roles[] __maybe_unused = {
#include "raft/raft_roles.h"
};

#undef RAFT_ROLE

static inline void raftlog_uapi_mirror_check(void)
{
	/* raftlog_status.role is enum raft_role as it is */
	BUILD_BUG_ON((int)RAFTLOG_ROLE_FOLLOWER != (int)RAFT_FOLLOWER);
	BUILD_BUG_ON((int)RAFTLOG_ROLE_PRECANDIDATE != (int)RAFT_PRECANDIDATE);
	BUILD_BUG_ON((int)RAFTLOG_ROLE_CANDIDATE != (int)RAFT_CANDIDATE);
	BUILD_BUG_ON((int)RAFTLOG_ROLE_LEADER != (int)RAFT_LEADER);
	BUILD_BUG_ON(ARRAY_SIZE(raftlog_core_roles) != RAFTLOG_ROLE_LEADER + 1);
	/* a session's window and the sessions remembered are the core's */
	BUILD_BUG_ON(RAFTLOG_SESSION_WINDOW != RAFT_SESSION_WINDOW);
	BUILD_BUG_ON(RAFTLOG_MAX_SESSIONS != RAFT_MAX_SESSIONS);
	/* members: the uapi's limit is the core's; its arrays hold them all */
	BUILD_BUG_ON(RAFTLOG_MAX_NODES != RAFT_MAX_NODES);
	BUILD_BUG_ON(RAFTLOG_MAX_MEMBERS < RAFT_MAX_NODES);
}

#endif /* RAFTLOG_UAPI_MIRROR_H */
