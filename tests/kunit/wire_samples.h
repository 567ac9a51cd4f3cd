/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Sample messages of every type for the wire and skb suites, and helpers
 * to encode and compare them. The table lives in this header because
 * KUNIT_ARRAY_PARAM needs the array's size where it is used.
 */
#ifndef RAFTLOG_KUNIT_WIRE_SAMPLES_H
#define RAFTLOG_KUNIT_WIRE_SAMPLES_H

#include <kunit/test.h>
#include "raft/wire.h"

#define WS_CLUSTER	0x0c105e5eed5ca1e5ULL
#define WS_APPEND_N	3
#define WS_BATCH_N	64
#define WS_BIG_LEN	RAFT_ENTRY_SIZE_LIMIT
#define WS_RISING_N	4

struct ws_sample {
	const char *name;
	struct raft_msg m;
};

/*
 * Filled by ws_init(): a patterned buffer, entries pointing into it, and
 * every entry's crc at the index its sample puts it.
 */
extern u8 ws_big[WS_BIG_LEN];
extern struct raft_entry ws_ents3[WS_APPEND_N];
extern struct raft_entry ws_batch[WS_BATCH_N];
extern struct raft_entry ws_max_entry[1];
/* terms 4 (prev_term), 6, 6, 9 (the message's): every step allowed */
extern struct raft_entry ws_rising[WS_RISING_N];
/* a configuration entry after a no-op */
extern struct raft_entry ws_config[2];

static const struct ws_sample ws_samples_array[] __maybe_unused = {
	{ "prevote", { .type = RAFT_MSG_PREVOTE, .from = 1, .to = 2,
		       .term = 7, .vote = { 10, 6 } } },
	{ "prevote_resp_granted", { .type = RAFT_MSG_PREVOTE_RESP, .from = 2,
				    .to = 1, .term = 7,
				    .vote_resp.granted = true } },
	{ "prevote_resp_rejected", { .type = RAFT_MSG_PREVOTE_RESP, .from = 3,
				     .to = 1, .term = 6 } },
	{ "vote", { .type = RAFT_MSG_VOTE, .from = 3, .to = 1, .term = 8,
		    .vote = { 12, 8 } } },
	{ "vote_extremes", { .type = RAFT_MSG_VOTE, .from = U32_MAX,
			     .to = U32_MAX - 1, .term = RAFT_TERM_LIMIT - 1,
			     .vote = { RAFT_TERM_LIMIT - 1,
				       RAFT_TERM_LIMIT - 1 } } },
	{ "vote_resp_granted", { .type = RAFT_MSG_VOTE_RESP, .from = 1,
				 .to = 3, .term = 8,
				 .vote_resp.granted = true } },
	{ "vote_resp_rejected", { .type = RAFT_MSG_VOTE_RESP, .from = 2,
				  .to = 3, .term = 9 } },
	{ "append_3", { .type = RAFT_MSG_APPEND, .from = 1, .to = 2, .term = 3,
			.append = { .prev_index = 4, .prev_term = 3,
				    .commit = 4, .n_entries = WS_APPEND_N,
				    .entries = ws_ents3 } } },
	{ "append_empty", { .type = RAFT_MSG_APPEND, .from = 1, .to = 3,
			    .term = 3, .append = { .prev_index = 7,
						   .prev_term = 2,
						   .commit = 6 } } },
	{ "append_batch_64", { .type = RAFT_MSG_APPEND, .from = 2, .to = 1,
			       .term = 11,
			       .append = { .prev_index = 100, .prev_term = 10,
					   .commit = 99,
					   .n_entries = WS_BATCH_N,
					   .entries = ws_batch } } },
	{ "append_max_entry", { .type = RAFT_MSG_APPEND, .from = 1, .to = 2,
				.term = 5,
				.append = { .prev_index = 0, .prev_term = 0,
					    .commit = 0, .n_entries = 1,
					    .entries = ws_max_entry } } },
	{ "append_resp_ok", { .type = RAFT_MSG_APPEND_RESP, .from = 2, .to = 1,
			      .term = 3, .append_resp = { .success = true,
							  .index = 7 } } },
	{ "append_resp_reject", { .type = RAFT_MSG_APPEND_RESP, .from = 3,
				  .to = 1, .term = 3,
				  .append_resp = { .index = 9,
						   .hint_index = 5,
						   .hint_term = 2 } } },
	{ "heartbeat", { .type = RAFT_MSG_HEARTBEAT, .from = 1, .to = 2,
			 .term = 4, .heartbeat.commit = 9 } },
	{ "heartbeat_commit_0", { .type = RAFT_MSG_HEARTBEAT, .from = 1,
				  .to = 3, .term = 1 } },
	{ "heartbeat_resp", { .type = RAFT_MSG_HEARTBEAT_RESP, .from = 2,
			      .to = 1, .term = 4 } },
	{ "propose", { .type = RAFT_MSG_PROPOSE, .from = 2, .to = 1, .term = 4,
		       .propose = { .session = 0x123456789abcdefULL, .seq = 9,
				    .start = 3, .len = 5,
				    .data = (const u8 *)"hello" } } },
	{ "propose_max", { .type = RAFT_MSG_PROPOSE, .from = 3, .to = 1,
			   .term = 4, .propose = { .session = U64_MAX,
						   .seq = RAFT_TERM_LIMIT - 1,
						   .start = RAFT_TERM_LIMIT - 1,
						   .len = WS_BIG_LEN,
						   .data = ws_big } } },
	{ "propose_resp_ok", { .type = RAFT_MSG_PROPOSE_RESP, .from = 1,
			       .to = 2, .term = 4,
			       .propose_resp = { .session = 0x5e5510,
						 .seq = 42, .index = 17,
						 .term = 4 } } },
	{ "propose_resp_enotleader", { .type = RAFT_MSG_PROPOSE_RESP,
				       .from = 1, .to = 2, .term = 5,
				       .propose_resp = {
					       .session = U64_MAX, .seq = 43,
					       .status = RAFT_ENOTLEADER } } },
	/* version 2: sessions, and the statuses that came with them */
	{ "propose_resp_elost", { .type = RAFT_MSG_PROPOSE_RESP, .from = 3,
				  .to = 2, .term = 6,
				  .propose_resp = {
					  .session = 1,
					  .seq = RAFT_TERM_LIMIT - 1,
					  .status = RAFT_ELOST } } },
	{ "propose_resp_estale", { .type = RAFT_MSG_PROPOSE_RESP, .from = 3,
				   .to = 1, .term = 6,
				   .propose_resp = {
					   .session = 2, .seq = 1,
					   .index = 12, .term = 5,
					   .status = RAFT_ESTALE } } },
	/* version 3: a transfer's election, TIMEOUT_NOW, CONFIG entries */
	{ "vote_transfer", { .type = RAFT_MSG_VOTE, .from = 2, .to = 1,
			     .term = 9, .vote = { 12, 8, true } } },
	{ "prevote_transfer", { .type = RAFT_MSG_PREVOTE, .from = 2, .to = 3,
				.term = 9, .vote = { 12, 8, true } } },
	{ "timeout_now", { .type = RAFT_MSG_TIMEOUT_NOW, .from = 1, .to = 2,
			   .term = 8 } },
	{ "append_config", { .type = RAFT_MSG_APPEND, .from = 1, .to = 2,
			     .term = 6,
			     .append = { .prev_index = 30, .prev_term = 5,
					 .commit = 29, .n_entries = 2,
					 .entries = ws_config } } },
	{ "append_rising_terms", { .type = RAFT_MSG_APPEND, .from = 2,
				   .to = 3, .term = 9,
				   .append = { .prev_index = 20,
					       .prev_term = 4, .commit = 20,
					       .n_entries = WS_RISING_N,
					       .entries = ws_rising } } },
};

#define ws_samples ws_samples_array
#define ws_n_samples ARRAY_SIZE(ws_samples_array)

void ws_init(void);
/* Encodes @m into a test-managed buffer of exactly its size. */
u8 *ws_encode(struct kunit *test, const struct raft_msg *m, size_t *len);
/* Every field of @want, entries and data included, is in @got. */
void ws_expect_equal(struct kunit *test, const struct raft_msg *want,
		     const struct raft_msg *got);

static inline void ws_put32(u8 *buf, size_t off, u32 v)
{
	raft_put_le32(v, buf + off);
}

static inline void ws_put64(u8 *buf, size_t off, u64 v)
{
	raft_put_le64(v, buf + off);
}

static inline void ws_put16(u8 *buf, size_t off, u16 v)
{
	raft_put_le16(v, buf + off);
}

static inline u16 ws_get16(const u8 *buf, size_t off)
{
	return raft_get_le16(buf + off);
}

/*
 * Rewrites the crc of every entry of the APPEND datagram @buf (@len
 * bytes) to the one its bytes and index call for, as far as its layout is
 * sound: a test that changes an entry field on purpose checks the rule of
 * that field, not the crc.
 */
void ws_reseal(u8 *buf, size_t len);

static inline u32 ws_get32(const u8 *buf, size_t off)
{
	return raft_get_le32(buf + off);
}

#endif /* RAFTLOG_KUNIT_WIRE_SAMPLES_H */
