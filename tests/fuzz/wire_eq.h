/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Field-by-field equality of two decoded messages, shared by the wire fuzzer
 * and tests/unit/test_wire.c. memcmp() would compare union padding and
 * pointers; what matters is the fields of the message's type and the bytes
 * its pointers lead to.
 */
#ifndef RAFT_WIRE_EQ_H
#define RAFT_WIRE_EQ_H

#include <stdbool.h>
#include <string.h>

#include "raft.h"

static inline bool wire_bytes_eq(const u8 *a, const u8 *b, u32 len)
{
	return !len || (a && b && !memcmp(a, b, len));
}

static inline bool wire_entry_eq(const struct raft_entry *a,
				 const struct raft_entry *b)
{
	return a->term == b->term && a->session == b->session &&
	       a->seq == b->seq && a->len == b->len && a->type == b->type &&
	       a->crc == b->crc && wire_bytes_eq(a->data, b->data, a->len);
}

static inline bool wire_append_eq(const struct raft_msg *a,
				  const struct raft_msg *b)
{
	u32 i;

	if (a->append.prev_index != b->append.prev_index ||
	    a->append.prev_term != b->append.prev_term ||
	    a->append.commit != b->append.commit ||
	    a->append.n_entries != b->append.n_entries)
		return false;
	for (i = 0; i < a->append.n_entries; i++)
		if (!wire_entry_eq(&a->append.entries[i],
				   &b->append.entries[i]))
			return false;
	return true;
}

/* @a and @b are equal as the wire sees them (after_persist is ignored). */
static inline bool wire_msg_eq(const struct raft_msg *a,
			       const struct raft_msg *b)
{
	if (a->type != b->type || a->from != b->from || a->to != b->to ||
	    a->term != b->term)
		return false;
	switch (a->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		return a->vote.last_index == b->vote.last_index &&
		       a->vote.last_term == b->vote.last_term &&
		       a->vote.transfer == b->vote.transfer;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		return a->vote_resp.granted == b->vote_resp.granted;
	case RAFT_MSG_APPEND:
		return wire_append_eq(a, b);
	case RAFT_MSG_APPEND_RESP:
		return a->append_resp.success == b->append_resp.success &&
		       a->append_resp.index == b->append_resp.index &&
		       a->append_resp.hint_index == b->append_resp.hint_index &&
		       a->append_resp.hint_term == b->append_resp.hint_term;
	case RAFT_MSG_HEARTBEAT:
		return a->heartbeat.commit == b->heartbeat.commit;
	case RAFT_MSG_HEARTBEAT_RESP:
	case RAFT_MSG_TIMEOUT_NOW:
		return true;
	case RAFT_MSG_PROPOSE:
		return a->propose.session == b->propose.session &&
		       a->propose.seq == b->propose.seq &&
		       a->propose.start == b->propose.start &&
		       a->propose.len == b->propose.len &&
		       wire_bytes_eq(a->propose.data, b->propose.data,
				     a->propose.len);
	case RAFT_MSG_PROPOSE_RESP:
		return a->propose_resp.session == b->propose_resp.session &&
		       a->propose_resp.seq == b->propose_resp.seq &&
		       a->propose_resp.index == b->propose_resp.index &&
		       a->propose_resp.term == b->propose_resp.term &&
		       a->propose_resp.status == b->propose_resp.status;
	}
	return false;
}

#endif /* RAFT_WIRE_EQ_H */
