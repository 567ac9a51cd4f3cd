// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the data_dir record format (kmod/record.c): entries,
 * the log header and the hard-state slots round-trip, carry CRC32C as
 * record.h specifies (checked against bytes computed independently), and
 * every single-bit corruption of a checksummed byte is detected.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

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

static void rec_size_is_aligned(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(0), (size_t)32);
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(1), (size_t)40);
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(8), (size_t)40);
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(9), (size_t)48);
	KUNIT_EXPECT_EQ(test, raftlog_rec_size(63 * 1024), (size_t)(32 + 63 * 1024));
}

/* Bytes worked out by hand from record.h, CRC32C computed elsewhere. */
static void rec_golden_entry(struct kunit *test)
{
	static const u8 want[40] = {
		0x52, 0x4c, 0x45, 0x52, 0x97, 0x51, 0x51, 0x25,
		0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x61, 0x62, 0x63, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	struct raftlog_rec_entry e = { .index = 1, .term = 2, .len = 3 };
	u8 buf[40];

	memset(buf, 0xee, sizeof(buf));
	KUNIT_ASSERT_EQ(test, raftlog_rec_encode(buf, &e, "abc"), sizeof(buf));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
}

static void rec_entry_roundtrip(struct kunit *test)
{
	u32 len = *(const u32 *)test->param_value;
	struct raftlog_rec_entry e = {
		.index = 0x123456789ULL + len, .term = 77, .len = len,
		.type = 1,
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
	memset(buf, 0xee, size);
	KUNIT_ASSERT_EQ(test, raftlog_rec_encode(buf, &e, data), size);
	KUNIT_ASSERT_NULL(test, raftlog_rec_decode_hdr(buf, &got, len));
	KUNIT_EXPECT_EQ(test, got.index, e.index);
	KUNIT_EXPECT_EQ(test, got.term, e.term);
	KUNIT_EXPECT_EQ(test, got.len, e.len);
	KUNIT_EXPECT_EQ(test, got.type, e.type);
	KUNIT_EXPECT_TRUE(test, raftlog_rec_crc_ok(buf, &got));
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
	struct raftlog_rec_entry e = { .index = 9, .term = 4, .len = len };
	struct raftlog_rec_entry got;
	u8 *buf = kunit_kzalloc(test, RAFTLOG_REC_HDR_SIZE + max_len + 8,
				GFP_KERNEL);
	u32 byte, bit, missed = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
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
	struct raftlog_rec_entry e = { .index = 5, .term = 2, .len = 64 };
	struct raftlog_rec_entry got;
	u8 data[64], buf[96];
	u32 cut;

	memset(data, 0x5a, sizeof(data));
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

/* Another version of the format is refused as unknown, not as foreign. */
static void rec_version_checked(struct kunit *test)
{
	struct raftlog_rec_hs hs = { .seq = 1, .term = 1, .vote = 1 };
	u8 buf[RAFTLOG_HS_SIZE], hdr[RAFTLOG_LOG_HDR_SIZE];

	raftlog_rec_hs_encode(buf, &owner, &hs);
	buf[8] = RAFTLOG_REC_VERSION + 1;
	KUNIT_EXPECT_EQ(test, raftlog_rec_hs_decode(buf, &owner, &hs),
			-EUCLEAN);
	raftlog_rec_log_hdr_encode(hdr, &owner);
	hdr[8] = RAFTLOG_REC_VERSION + 1;
	KUNIT_EXPECT_EQ(test, raftlog_rec_log_hdr_check(hdr, &owner), -EUCLEAN);
}

static struct kunit_case record_cases[] = {
	KUNIT_CASE(rec_size_is_aligned),
	KUNIT_CASE(rec_golden_entry),
	KUNIT_CASE_PARAM(rec_entry_roundtrip, rec_len_gen_params),
	KUNIT_CASE(rec_entry_bit_flips_detected),
	KUNIT_CASE(rec_entry_torn_tail),
	KUNIT_CASE(rec_log_header),
	KUNIT_CASE(rec_hard_state),
	KUNIT_CASE(rec_version_checked),
	{}
};

static struct kunit_suite record_suite = {
	.name = "raftlog_record",
	.test_cases = record_cases,
};

kunit_test_suite(record_suite);
