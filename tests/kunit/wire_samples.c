// SPDX-License-Identifier: GPL-2.0
/* Sample messages shared by the wire and skb suites; see wire_samples.h. */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "wire_samples.h"

u8 ws_big[WS_BIG_LEN];
struct raft_entry ws_batch[WS_BATCH_N];

struct raft_entry ws_ents3[WS_APPEND_N] = {
	{ .term = 3, .session = 0x0123456789abcdefULL, .seq = 7, .len = 5,
	  .type = RAFT_ENTRY_NORMAL, .data = (const u8 *)"first" },
	{ .term = 3, .len = 0, .type = RAFT_ENTRY_NOOP },
	{ .term = 3, .session = U64_MAX, .seq = RAFT_TERM_LIMIT - 1,
	  .len = 300, .type = RAFT_ENTRY_NORMAL, .data = ws_big },
};

struct raft_entry ws_max_entry[1] = {
	{ .term = 5, .session = 5, .seq = 1, .len = WS_BIG_LEN,
	  .type = RAFT_ENTRY_NORMAL, .data = ws_big },
};

struct raft_entry ws_rising[WS_RISING_N] = {
	{ .term = 4, .session = 11, .seq = 1, .len = 1,
	  .type = RAFT_ENTRY_NORMAL, .data = (const u8 *)"a" },
	{ .term = 6, .type = RAFT_ENTRY_NOOP },
	{ .term = 6, .session = 11, .seq = 2, .len = 2,
	  .type = RAFT_ENTRY_NORMAL, .data = (const u8 *)"bc" },
	{ .term = 9, .type = RAFT_ENTRY_NOOP },
};

struct raft_entry ws_config[2] = {
	{ .term = 6, .type = RAFT_ENTRY_NOOP },
	{ .term = 6, .len = 9, .type = RAFT_ENTRY_CONFIG,
	  .data = (const u8 *)"\x01\x02\x03members" },
};

/* The crcs of @n entries from index @first, as a leader computes them. */
static void ws_crc(struct raft_entry *ents, u32 n, u64 first)
{
	u32 i;

	for (i = 0; i < n; i++)
		ents[i].crc = raft_entry_crc(first + i, &ents[i]);
}

void ws_reseal(u8 *buf, size_t len)
{
	size_t at = RAFT_WIRE_HDR_LEN + 32;
	struct raft_entry e;
	u64 index;
	u32 n, i;

	if (len < at || buf[5] != RAFT_MSG_APPEND)
		return;
	index = raft_get_le64(buf + RAFT_WIRE_HDR_LEN) + 1;
	n = raft_get_le32(buf + RAFT_WIRE_HDR_LEN + 24);
	for (i = 0; i < n && at + 32 <= len; i++, index++) {
		e.term = raft_get_le64(buf + at);
		e.session = raft_get_le64(buf + at + 8);
		e.seq = raft_get_le64(buf + at + 16);
		e.len = raft_get_le16(buf + at + 28);
		e.type = buf[at + 30];
		if (at + 32 + e.len > len)
			return;
		e.data = buf + at + 32;
		raft_put_le32(raft_entry_crc(index, &e), buf + at + 24);
		at += 32 + e.len;
	}
}

void ws_init(void)
{
	u32 i;

	for (i = 0; i < WS_BIG_LEN; i++)
		ws_big[i] = (u8)(i * 31 + 7);
	for (i = 0; i < WS_BATCH_N; i++) {
		ws_batch[i].term = 10 + i / 32;
		ws_batch[i].session = 1000 + i % 5;
		ws_batch[i].seq = 1 + i;
		ws_batch[i].len = (i * 37) % 200;
		ws_batch[i].type = RAFT_ENTRY_NORMAL;
		ws_batch[i].data = ws_big + i * 100;
	}
	/* the new leader's first entry */
	ws_batch[0].type = RAFT_ENTRY_NOOP;
	ws_batch[0].session = 0;
	ws_batch[0].seq = 0;
	ws_batch[0].len = 0;
	/* at the indexes their samples put them (wire_samples.h) */
	ws_crc(ws_ents3, WS_APPEND_N, 5);
	ws_crc(ws_batch, WS_BATCH_N, 101);
	ws_crc(ws_max_entry, 1, 1);
	ws_crc(ws_rising, WS_RISING_N, 21);
	ws_crc(ws_config, 2, 31);
}

u8 *ws_encode(struct kunit *test, const struct raft_msg *m, size_t *len)
{
	size_t size = raft_wire_size(m);
	u8 *buf;
	int n;

	KUNIT_ASSERT_GE(test, size, (size_t)RAFT_WIRE_HDR_LEN);
	buf = kunit_kmalloc(test, size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	n = raft_wire_encode(m, WS_CLUSTER, buf, size);
	KUNIT_ASSERT_EQ(test, n, (int)size);
	*len = size;
	return buf;
}

static void expect_entries(struct kunit *test, const struct raft_msg *want,
			   const struct raft_msg *got)
{
	u32 i;

	KUNIT_ASSERT_EQ(test, got->append.n_entries, want->append.n_entries);
	for (i = 0; i < want->append.n_entries; i++) {
		const struct raft_entry *a = &want->append.entries[i];
		const struct raft_entry *b = &got->append.entries[i];

		KUNIT_EXPECT_EQ_MSG(test, b->term, a->term, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, b->session, a->session, "entry %u",
				    i);
		KUNIT_EXPECT_EQ_MSG(test, b->seq, a->seq, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, b->type, a->type, "entry %u", i);
		KUNIT_EXPECT_EQ_MSG(test, b->crc, a->crc, "entry %u", i);
		KUNIT_ASSERT_EQ_MSG(test, b->len, a->len, "entry %u", i);
		if (a->len)
			KUNIT_EXPECT_EQ_MSG(test, memcmp(b->data, a->data,
							 a->len), 0,
					    "entry %u data", i);
	}
}

void ws_expect_equal(struct kunit *test, const struct raft_msg *want,
		     const struct raft_msg *got)
{
	KUNIT_ASSERT_EQ(test, got->type, want->type);
	KUNIT_EXPECT_EQ(test, got->from, want->from);
	KUNIT_EXPECT_EQ(test, got->to, want->to);
	KUNIT_EXPECT_EQ(test, got->term, want->term);
	switch (want->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		KUNIT_EXPECT_EQ(test, got->vote.last_index,
				want->vote.last_index);
		KUNIT_EXPECT_EQ(test, got->vote.last_term,
				want->vote.last_term);
		KUNIT_EXPECT_EQ(test, got->vote.transfer, want->vote.transfer);
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		KUNIT_EXPECT_EQ(test, got->vote_resp.granted,
				want->vote_resp.granted);
		break;
	case RAFT_MSG_APPEND:
		KUNIT_EXPECT_EQ(test, got->append.prev_index,
				want->append.prev_index);
		KUNIT_EXPECT_EQ(test, got->append.prev_term,
				want->append.prev_term);
		KUNIT_EXPECT_EQ(test, got->append.commit, want->append.commit);
		expect_entries(test, want, got);
		break;
	case RAFT_MSG_APPEND_RESP:
		KUNIT_EXPECT_EQ(test, got->append_resp.success,
				want->append_resp.success);
		KUNIT_EXPECT_EQ(test, got->append_resp.index,
				want->append_resp.index);
		KUNIT_EXPECT_EQ(test, got->append_resp.hint_index,
				want->append_resp.hint_index);
		KUNIT_EXPECT_EQ(test, got->append_resp.hint_term,
				want->append_resp.hint_term);
		break;
	case RAFT_MSG_HEARTBEAT:
		KUNIT_EXPECT_EQ(test, got->heartbeat.commit,
				want->heartbeat.commit);
		break;
	case RAFT_MSG_HEARTBEAT_RESP:
	case RAFT_MSG_TIMEOUT_NOW:
		break;
	case RAFT_MSG_PROPOSE:
		KUNIT_EXPECT_EQ(test, got->propose.session,
				want->propose.session);
		KUNIT_EXPECT_EQ(test, got->propose.seq, want->propose.seq);
		KUNIT_EXPECT_EQ(test, got->propose.start, want->propose.start);
		KUNIT_ASSERT_EQ(test, got->propose.len, want->propose.len);
		KUNIT_EXPECT_EQ(test, memcmp(got->propose.data,
					     want->propose.data,
					     want->propose.len), 0);
		break;
	case RAFT_MSG_PROPOSE_RESP:
		KUNIT_EXPECT_EQ(test, got->propose_resp.session,
				want->propose_resp.session);
		KUNIT_EXPECT_EQ(test, got->propose_resp.seq,
				want->propose_resp.seq);
		KUNIT_EXPECT_EQ(test, got->propose_resp.index,
				want->propose_resp.index);
		KUNIT_EXPECT_EQ(test, got->propose_resp.term,
				want->propose_resp.term);
		KUNIT_EXPECT_EQ(test, got->propose_resp.status,
				want->propose_resp.status);
		break;
	default:
		KUNIT_FAIL(test, "unknown type %u", want->type);
	}
}
