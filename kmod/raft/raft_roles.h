/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of the core's roles: RAFT_ROLE(enumerator, value, name).
 * No include guard: whoever needs a list of roles defines RAFT_ROLE to
 * the part it wants, includes this file, and undefines RAFT_ROLE (raft.h
 * makes enum raft_role so, raft.c raft_role_name()). In order of value,
 * from 0, without gaps. The values and names are ABI (sysfs, the
 * tracepoints): never change one, only append.
 */
RAFT_ROLE(RAFT_FOLLOWER, 0, "follower")
RAFT_ROLE(RAFT_PRECANDIDATE, 1, "precandidate")
RAFT_ROLE(RAFT_CANDIDATE, 2, "candidate")
RAFT_ROLE(RAFT_LEADER, 3, "leader")
