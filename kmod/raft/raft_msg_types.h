/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one list of message types: RAFT_MSG_TYPE(enumerator, value, name).
 * No include guard: whoever needs a list of them defines RAFT_MSG_TYPE to
 * the part it wants, includes this file, and undefines RAFT_MSG_TYPE
 * (raft.h makes enum raft_msg_type so, wire.c raft_msg_type_name()). In
 * order of value, from 1, without gaps. The values are on the wire: never
 * change one, only append (RAFT_MSG_TYPE_MAX follows).
 *
 * TIMEOUT_NOW is leadership transfer, no payload: the leader tells a
 * caught-up voter to start an election now (thesis 3.10).
 */
RAFT_MSG_TYPE(RAFT_MSG_PREVOTE, 1, "prevote")
RAFT_MSG_TYPE(RAFT_MSG_PREVOTE_RESP, 2, "prevote_resp")
RAFT_MSG_TYPE(RAFT_MSG_VOTE, 3, "vote")
RAFT_MSG_TYPE(RAFT_MSG_VOTE_RESP, 4, "vote_resp")
RAFT_MSG_TYPE(RAFT_MSG_APPEND, 5, "append")
RAFT_MSG_TYPE(RAFT_MSG_APPEND_RESP, 6, "append_resp")
RAFT_MSG_TYPE(RAFT_MSG_HEARTBEAT, 7, "heartbeat")
RAFT_MSG_TYPE(RAFT_MSG_HEARTBEAT_RESP, 8, "heartbeat_resp")
RAFT_MSG_TYPE(RAFT_MSG_PROPOSE, 9, "propose")
RAFT_MSG_TYPE(RAFT_MSG_PROPOSE_RESP, 10, "propose_resp")
RAFT_MSG_TYPE(RAFT_MSG_TIMEOUT_NOW, 11, "timeout_now")
