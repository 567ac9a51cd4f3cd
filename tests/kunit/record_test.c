// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the data_dir record format (kmod/record.c): entries,
 * with their session and seq, the log header and the hard-state slots
 * round-trip, carry the entry's own CRC32C (raft_entry_crc(), as the
 * leader computed it) unchanged and the headers theirs as record.h
 * specifies (checked against bytes computed independently), every
 * single-bit corruption of a checksummed byte is detected, entries that
 * break the format's rules are refused, and files of format versions 1
 * and 2 are told apart from damaged ones.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "raft/raft.h"
#include "record.h"

static const struct raftlog_rec_owner owner = {
	.node_id = 3, .cluster_id = 0x1122334455667788ULL,
};

static const u32 rec_lens[] = { 0, 1, 7, 8, 9, 100, 4095, 63 * 1024 };

static void len_desc(const u32 *len, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "len_%u", *len);
}

KUNIT_ARRAY_PARAM(rec_len, rec_lens, len_desc);

/* A client entry needs a session and a seq. */
#define SESSION	0x1122334455667788ULL
#define SEQ	5

/* @e's crc as the leader computes it, over @data. */
static void seal(struct raftlog_rec_entry *e, const void *data)
{
	struct raft_entry ent = {
		.term = e->term, .session = e->session, .seq = e->seq,
		.len = e->len, .type = e->type, .data = data,
	};

	e->crc = raft_entry_crc(e->index, &ent);
}

static void rec_size_is_aligned(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(0), (size_t)48);
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(1), (size_t)56);
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(8), (size_t)56);
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(9), (size_t)64);
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(63 * 1024), (size_t)(48 + 63 * 1024));
}

/*
 * Bytes worked out by hand from record.h, CRC32C computed elsewhere: over
 * le64 index, term, session, seq, le32 len, u8 type and the data.
 */
static void rec_golden_entry(struct kunit *test)
{
	static const u8 want[56] = {
		0x52, 0x4c, 0x45, 0x52, 0x8a, 0x67, 0x44, 0xca,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
		0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x61, 0x62, 0x63, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct raftlog_rec_entry e = {
		.index = 1, .term = 2, .len = 3, .type = RAFT_ENTRY_NORMAL,
		.session = SESSION, .seq = SEQ,
	};
	struct raftlog_rec_entry got = {};
	u8 buf[56];

	seal(&e, "abc");
	KUNIT_EXPECT_EQ(test, e.crc, 0xca44678aU);
	memset(buf, 0xee, sizeof(buf));
	KUNIT_ASSERT_EQ(test, raftlog_rec_encode(buf, &e, "abc"), sizeof(buf));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(want, &got, 3));
	KUNIT_EXPECT_TRUE(test, raftlog_rec_crc_ok(want, &got));
	KUNIT_EXPECT_NULL(test, raftlog_rec_invalid(want, &got));
	KUNIT_EXPECT_EQ(test, got.session, SESSION);
	KUNIT_EXPECT_EQ(test, got.seq, (u64)SEQ);
}

/* A leader's no-op: type 1, no session, no seq, no data. */
static void rec_golden_noop(struct kunit *test)
{
	static const u8 want[48] = {
		0x52, 0x4c, 0x45, 0x52, 0x08, 0xda, 0xfe, 0x8b,
		0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct raftlog_rec_entry e = {
		.index = 4, .term = 2, .type = RAFT_ENTRY_NOOP,
	};
	struct raftlog_rec_entry got = {};
	u8 buf[48];

	seal(&e, NULL);
	memset(buf, 0xee, sizeof(buf));
	KUNIT_ASSERT_EQ(test, raftlog_rec_encode(buf, &e, NULL), sizeof(buf));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(want, &got, 0));
	KUNIT_EXPECT_TRUE(test, raftlog_rec_crc_ok(want, &got));
	KUNIT_EXPECT_NULL(test, raftlog_rec_invalid(want, &got));
	KUNIT_EXPECT_EQ(test, got.type, (u8)RAFT_ENTRY_NOOP);
	KUNIT_EXPECT_EQ(test, got.session, 0ULL);
	KUNIT_EXPECT_EQ(test, got.seq, 0ULL);
}

static void rec_entry_roundtrip(struct kunit *test)
{
	u32 len = *(const u32 *)test->param_value;
	struct raftlog_rec_entry e = {
		.index = 0x123456789ULL + len, .term = 77, .len = len,
		.type = RAFT_ENTRY_NORMAL,
		.session = 0xfedcba9876543210ULL - len, .seq = (1ULL << 40) | len,
	};
	struct raftlog_rec_entry got = {};
	size_t size = raftlog_rec_size(len);
	u8 *data = kunit_kmalloc(test, len + 1, GFP_KERNEL);
	u8 *buf = kunit_kmalloc(test, size, GFP_KERNEL);	/* exact size */
	u32 i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, data);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (i = 0; i < len; i++)
		data[i] = (u8)(i * 13 + 5);
	seal(&e, data);
	memset(buf, 0xee, size);
	KUNIT_ASSERT_EQ(test, raftlog_rec_encode(buf, &e, data), size);
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(buf, &got, len));
	KUNIT_EXPECT_EQ(test, got.index, e.index);
	KUNIT_EXPECT_EQ(test, got.term, e.term);
	KUNIT_EXPECT_EQ(test, got.len, e.len);
	KUNIT_EXPECT_EQ(test, got.type, e.type);
	KUNIT_EXPECT_EQ(test, got.session, e.session);
	KUNIT_EXPECT_EQ(test, got.seq, e.seq);
	KUNIT_EXPECT_EQ(test, got.crc, e.crc);	/* stored as it came */
	KUNIT_EXPECT_TRUE(test, raftlog_rec_crc_ok(buf, &got));
	KUNIT_EXPECT_NULL(test, raftlog_rec_invalid(buf, &got));
	KUNIT_EXPECT_EQ(test, memcmp(buf + RAFTLOG_REC_HDR_SIZE, data, len), 0);
	for (i = RAFTLOG_REC_HDR_SIZE + len; i < size; i++)
		KUNIT_EXPECT_EQ_MSG(test, buf[i], 0, "padding byte %u", i);
	/* one byte more than the reader allows is refused before the data */
	if (len)
		KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_decode_hdr(buf, &got,
								   len - 1));
}

/*
 * Every single-bit flip in magic, checksum, fields or data is caught by
 * the header check or by the CRC. The buffer has room behind the record
 * so that a flipped length that passes max_len reads nothing undefined.
 */
static void rec_entry_bit_flips_detected(struct kunit *test)
{
	const u32 len = 21, max_len = 4096;
	struct raftlog_rec_entry e = {
		.index = 9, .term = 4, .len = len, .session = SESSION,
		.seq = SEQ,
	};
	struct raftlog_rec_entry got;
	u8 *buf = kunit_kzalloc(test, RAFTLOG_REC_HDR_SIZE + max_len + 8,
				GFP_KERNEL);
	u32 byte, bit, missed = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	seal(&e, "twenty-one bytes long");
	raftlog_rec_encode(buf, &e, "twenty-one bytes long");
	for (byte = 0; byte < RAFTLOG_REC_HDR_SIZE + len; byte++) {
		for (bit = 0; bit < 8; bit++) {
			buf[byte] ^= 1 << bit;
			if (!raftlog_rec_decode_hdr(buf, &got, max_len) &&
			    raftlog_rec_crc_ok(buf, &got)) {
				missed++;
				kunit_err(test, "flip of byte %u bit %u missed",
					  byte, bit);
			}
			buf[byte] ^= 1 << bit;
		}
	}
	KUNIT_EXPECT_EQ(test, missed, 0U);
	KUNIT_EXPECT_NULL(test, raftlog_rec_decode_hdr(buf, &got, max_len));
	KUNIT_EXPECT_TRUE(test, raftlog_rec_crc_ok(buf, &got));
}

/* A record whose tail never reached the disk (zeros) fails its CRC. */
static void rec_entry_torn_tail(struct kunit *test)
{
	struct raftlog_rec_entry e = {
		.index = 5, .term = 2, .len = 64, .session = SESSION,
		.seq = SEQ,
	};
	struct raftlog_rec_entry got;
	u8 data[64], buf[RAFTLOG_REC_HDR_SIZE + 64];
	u32 cut;

	memset(data, 0x5a, sizeof(data));
	seal(&e, data);
	for (cut = 8; cut < RAFTLOG_REC_HDR_SIZE + 64; cut += 8) {
		raftlog_rec_encode(buf, &e, data);
		memset(buf + cut, 0, sizeof(buf) - cut);
		if (raftlog_rec_decode_hdr(buf, &got, 4096))
			continue;
		KUNIT_EXPECT_FALSE_MSG(test, raftlog_rec_crc_ok(buf, &got),
				       "torn at %u", cut);
	}
	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_decode_hdr(buf, &got, 4096));
}

static void rec_log_header(struct kunit *test)
{
	struct raftlog_rec_owner other = owner;
	u8 buf[RAFTLOG_LOG_HDR_SIZE];
	u32 byte, bit, missed = 0;

	raftlog_rec_log_hdr_encode(buf, &owner);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "RLLG", 4), 0);
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(buf, &owner), 0);
	other.node_id = 4;
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(buf, &other), -EINVAL);
	other = owner;
	other.cluster_id++;
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(buf, &other), -EINVAL);
	for (byte = 0; byte < sizeof(buf); byte++)
		for (bit = 0; bit < 8; bit++) {
			buf[byte] ^= 1 << bit;
			missed += raftlog_rec_log_hdr_check(buf, &owner) == 0;
			buf[byte] ^= 1 << bit;
		}
	KUNIT_EXPECT_EQ(test, missed, 0U);
}

static void rec_hard_state(struct kunit *test)
{
	struct raftlog_rec_hs hs = { .seq = 41, .term = 1ULL << 40,
				     .vote = 0xfffffffe };
	struct raftlog_rec_hs got = {};
	struct raftlog_rec_owner other = owner;
	u8 buf[RAFTLOG_HS_SIZE];
	u32 byte, bit, missed = 0;

	raftlog_rec_hs_encode(buf, &owner, &hs);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "RLHS", 4), 0);
	KUNIT_ASSERT_EQ(test, raftlog_rec_hs_decode(buf, &owner, &got), 0);
	KUNIT_EXPECT_EQ(test, got.seq, hs.seq);
	KUNIT_EXPECT_EQ(test, got.term, hs.term);
	KUNIT_EXPECT_EQ(test, got.vote, hs.vote);
	other.node_id = 1;
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_decode(buf, &other, &got),
			-EINVAL);
	for (byte = 0; byte < sizeof(buf); byte++)
		for (bit = 0; bit < 8; bit++) {
			buf[byte] ^= 1 << bit;
			missed += raftlog_rec_hs_decode(buf, &owner, &got) == 0;
			buf[byte] ^= 1 << bit;
		}
	KUNIT_EXPECT_EQ(test, missed, 0U);
	memset(buf, 0, sizeof(buf));
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_decode(buf, &owner, &got),
			-EUCLEAN);
}

/*
 * Client entries without session or seq, no-ops with any, unknown types,
 * non-zero reserved bytes or padding: refused after an intact checksum,
 * as the wire refuses them.
 */
static void rec_entry_rules(struct kunit *test)
{
	struct raftlog_rec_entry ok = {
		.index = 7, .term = 3, .len = 3, .type = RAFT_ENTRY_NORMAL,
		.session = SESSION, .seq = SEQ,
	};
	struct raftlog_rec_entry e, got;
	u8 buf[56];

	seal(&ok, "abc");
	KUNIT_EXPECT_NULL(test, raftlog_rec_entry_invalid(&ok));
	e = ok;
	e.session = 0;
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_entry_invalid(&e));
	/* a NORMAL record with session 0, written with a good checksum */
	seal(&e, "abc");
	raftlog_rec_encode(buf, &e, "abc");
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(buf, &got, 3));
	KUNIT_EXPECT_TRUE(test, raftlog_rec_crc_ok(buf, &got));
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_invalid(buf, &got));
	e = ok;
	e.seq = 0;
	seal(&e, "abc");
	raftlog_rec_encode(buf, &e, "abc");
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(buf, &got, 3));
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_invalid(buf, &got));
	e = ok;
	e.type = RAFT_ENTRY_NOOP;
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_entry_invalid(&e));
	e.session = 0;
	e.seq = 0;
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_entry_invalid(&e));	/* data */
	e.len = 0;
	KUNIT_EXPECT_NULL(test, raftlog_rec_entry_invalid(&e));
	e.seq = 1;
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_entry_invalid(&e));
	/* a configuration: nobody's, and never empty */
	e = ok;
	e.type = RAFT_ENTRY_CONFIG;
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_entry_invalid(&e));
	e.session = 0;
	e.seq = 0;
	KUNIT_EXPECT_NULL(test, raftlog_rec_entry_invalid(&e));
	e.len = 0;
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_entry_invalid(&e));
	e = ok;
	e.type = RAFT_ENTRY_CONFIG + 1;
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_entry_invalid(&e));

	/* reserved bytes and padding: not covered by the rules above */
	raftlog_rec_encode(buf, &ok, "abc");
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(buf, &got, 3));
	KUNIT_EXPECT_NULL(test, raftlog_rec_invalid(buf, &got));
	buf[30] = 1;
	KUNIT_EXPECT_FALSE(test, raftlog_rec_crc_ok(buf, &got));
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_invalid(buf, &got));
	buf[30] = 0;
	buf[55] = 1;		/* the padding is outside the checksum */
	KUNIT_EXPECT_TRUE(test, raftlog_rec_crc_ok(buf, &got));
	KUNIT_EXPECT_NOT_NULL(test, raftlog_rec_invalid(buf, &got));
}

/* A log header and a state slot as version 1 of the module wrote them. */
static const u8 v1_log_hdr[RAFTLOG_LOG_HDR_SIZE] = {
	0x52, 0x4c, 0x4c, 0x47, 0x49, 0xc3, 0xf1, 0x49,
	0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const u8 v1_hs[RAFTLOG_HS_SIZE] = {
	0x52, 0x4c, 0x48, 0x53, 0x2e, 0x89, 0x74, 0x04,
	0x01, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* The same, as version 2 wrote them (entry records under their own crc). */
static const u8 v2_log_hdr[RAFTLOG_LOG_HDR_SIZE] = {
	0x52, 0x4c, 0x4c, 0x47, 0x2a, 0xf2, 0xcd, 0x82,
	0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

static const u8 v2_hs[RAFTLOG_HS_SIZE] = {
	0x52, 0x4c, 0x48, 0x53, 0xa2, 0xc0, 0xd8, 0x67,
	0x02, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,
	0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/*
 * The crc in the record is the one given, the leader's: a record whose
 * crc was made for another index, or over other data, is not intact.
 */
static void rec_entry_crc_is_the_leaders(struct kunit *test)
{
	struct raftlog_rec_entry e = {
		.index = 12, .term = 3, .len = 4, .type = RAFT_ENTRY_NORMAL,
		.session = SESSION, .seq = SEQ,
	};
	struct raftlog_rec_entry got;
	u8 buf[56];

	seal(&e, "data");
	raftlog_rec_encode(buf, &e, "data");
	KUNIT_EXPECT_EQ(test, raft_get_le32(buf + 4), e.crc);
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(buf, &got, 4));
	KUNIT_EXPECT_TRUE(test, raftlog_rec_crc_ok(buf, &got));
	e.index = 13;		/* computed at another index */
	seal(&e, "data");
	e.index = 12;
	raftlog_rec_encode(buf, &e, "data");
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(buf, &got, 4));
	KUNIT_EXPECT_FALSE(test, raftlog_rec_crc_ok(buf, &got));
	seal(&e, "dat4");	/* over other data than the record holds */
	raftlog_rec_encode(buf, &e, "data");
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(buf, &got, 4));
	KUNIT_EXPECT_FALSE(test, raftlog_rec_crc_ok(buf, &got));
}

/*
 * Files of another format version are refused as such (-ENOEXEC, with
 * the version they declare), not as damaged and not as another node's;
 * a damaged header stays damaged whatever its version field says.
 */
static void rec_version_checked(struct kunit *test)
{
	struct raftlog_rec_owner other = owner;
	struct raftlog_rec_hs hs = { .seq = 1, .term = 1, .vote = 1 };
	u8 buf[RAFTLOG_HS_SIZE], hdr[RAFTLOG_LOG_HDR_SIZE];

	KUNIT_EXPECT_EQ(test, RAFTLOG_REC_VERSION, 3);
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(v2_log_hdr, &owner),
			-ENOEXEC);
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_version(v2_log_hdr), 2);
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_decode(v2_hs, &owner, &hs),
			-ENOEXEC);
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_version(v2_hs), 2);
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(v1_log_hdr, &owner),
			-ENOEXEC);
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_version(v1_log_hdr), 1);
	other.node_id = 9;
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(v1_log_hdr, &other),
			-ENOEXEC);
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_decode(v1_hs, &owner, &hs),
			-ENOEXEC);
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_version(v1_hs), 1);

	raftlog_rec_log_hdr_encode(hdr, &owner);
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_version(hdr), 3);
	raftlog_rec_hs_encode(buf, &owner, &hs);
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_version(buf), 3);

	/* a version field changed after sealing is damage */
	hdr[8] = RAFTLOG_REC_VERSION + 1;
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(hdr, &owner), -EUCLEAN);
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_version(hdr), -EUCLEAN);
	buf[8] = RAFTLOG_REC_VERSION + 1;
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_decode(buf, &owner, &hs),
			-EUCLEAN);
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_version(buf), -EUCLEAN);
	memcpy(hdr, v1_log_hdr, sizeof(hdr));
	hdr[20] ^= 1;
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(hdr, &owner), -EUCLEAN);
}

static struct kunit_case record_cases[] = {
	KUNIT_CASE(rec_size_is_aligned),
	KUNIT_CASE(rec_golden_entry),
	KUNIT_CASE(rec_golden_noop),
	KUNIT_CASE_PARAM(rec_entry_roundtrip, rec_len_gen_params),
	KUNIT_CASE(rec_entry_bit_flips_detected),
	KUNIT_CASE(rec_entry_torn_tail),
	KUNIT_CASE(rec_log_header),
	KUNIT_CASE(rec_hard_state),
	KUNIT_CASE(rec_entry_rules),
	KUNIT_CASE(rec_entry_crc_is_the_leaders),
	KUNIT_CASE(rec_version_checked),
	{}
};

static struct kunit_suite record_suite = {
	.name = "raftlog_record",
	.test_cases = record_cases,
};

kunit_test_suite(record_suite);
