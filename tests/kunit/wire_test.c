// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for raftlog's wire codec (kmod/raft/wire.c), built into the
 * kernel: round trips of every message type, and every class of malformed
 * datagram, version 1 datagrams among them. Malformed inputs are decoded
 * from buffers allocated at exactly their length, so a decoder that reads
 * one byte too far is caught by KASAN rather than by luck.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "raft/wire.h"
#include "wire_samples.h"

/* Offsets inside the header and the payloads (see wire.h). */
#define P(off)		(RAFT_WIRE_HDR_LEN + (off))
/* An APPEND's first entry header, and its fields */
#define E0		32
#define ENT_TERM	0
#define ENT_SESSION	8
#define ENT_SEQ		16
#define ENT_CRC		24
#define ENT_LEN		28	/* u16 */
#define ENT_TYPE	30
#define ENT_HDR		32
/*
 * raft_entry_crc() of wire_golden_entry's entry at index 10, worked out
 * independently: CRC32C of le64 10, 5, session, seq, le32 2, u8 0, "ok".
 */
#define GOLDEN_CRC		0xff9142beU
#define GOLDEN_CRC_BYTES	0xbe, 0x42, 0x91, 0xff

static int dec(struct kunit *test, const void *buf, size_t len,
	       struct raft_msg *m)
{
	struct raft_entry *ents = kunit_kcalloc(test, RAFT_MAX_BATCH,
						sizeof(*ents), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ents);
	return raft_wire_decode(buf, len, WS_CLUSTER, RAFT_ENTRY_SIZE_LIMIT,
				m, ents, RAFT_MAX_BATCH);
}

/* Decodes a copy of @buf[0..len) held in an allocation of exactly @len. */
static int dec_exact(struct kunit *test, const u8 *buf, size_t len)
{
	struct raft_msg m;
	u8 *copy = kmemdup(buf, len, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_TRUE(test, copy || !len);
	err = dec(test, copy, len, &m);
	kfree(copy);
	return err;
}

/*
 * Decodes a copy of @buf with every entry crc made right for its bytes
 * (ws_reseal()): for cases about an entry field's own rule.
 */
static int dec_fixed(struct kunit *test, const u8 *buf, size_t len)
{
	u8 *copy = kmemdup(buf, len, GFP_KERNEL);
	int err;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, copy);
	ws_reseal(copy, len);
	err = dec_exact(test, copy, len);
	kfree(copy);
	return err;
}

/* A sample message of @type, encoded; most cases start from one. */
static u8 *enc_type(struct kunit *test, u8 type, size_t *len)
{
	unsigned int i;

	ws_init();
	for (i = 0; i < ws_n_samples; i++)
		if (ws_samples[i].m.type == type)
			return ws_encode(test, &ws_samples[i].m, len);
	KUNIT_FAIL(test, "no sample of type %u", type);
	return NULL;
}

static void sample_desc(const struct ws_sample *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sample, ws_samples_array, sample_desc);

static void wire_roundtrip(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	struct raft_msg out;
	size_t len;
	u8 *buf;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	KUNIT_EXPECT_EQ(test, len, raft_wire_size(&s->m));
	KUNIT_ASSERT_EQ(test, dec(test, buf, len, &out), RAFT_WIRE_OK);
	KUNIT_EXPECT_FALSE(test, out.after_persist);
	ws_expect_equal(test, &s->m, &out);
}

static void wire_peek_matches_header(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	struct raft_wire_hdr hdr;
	size_t len;
	u8 *buf;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	KUNIT_ASSERT_EQ(test, raft_wire_peek(buf, len, WS_CLUSTER, &hdr),
			RAFT_WIRE_OK);
	KUNIT_EXPECT_EQ(test, hdr.type, s->m.type);
	KUNIT_EXPECT_EQ(test, hdr.cluster_id, WS_CLUSTER);
	KUNIT_EXPECT_EQ(test, hdr.sender, s->m.from);
	KUNIT_EXPECT_EQ(test, hdr.receiver, s->m.to);
	KUNIT_EXPECT_EQ(test, hdr.term, s->m.term);
	KUNIT_EXPECT_EQ(test, (size_t)hdr.length, len - RAFT_WIRE_HDR_LEN);
}

/* Encoding into too small a buffer fails and writes nothing past it. */
static void wire_encode_enospc(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	size_t size;
	u8 *buf;

	ws_init();
	size = raft_wire_size(&s->m);
	buf = kunit_kmalloc(test, size + 16, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memset(buf, 0xa5, size + 16);
	KUNIT_EXPECT_EQ(test, raft_wire_encode(&s->m, WS_CLUSTER, buf, 0),
			RAFT_WIRE_ENOSPC);
	KUNIT_EXPECT_EQ(test, raft_wire_encode(&s->m, WS_CLUSTER, buf,
					       size - 1), RAFT_WIRE_ENOSPC);
	KUNIT_EXPECT_EQ(test, raft_wire_encode(&s->m, WS_CLUSTER, buf, size),
			(int)size);
	KUNIT_EXPECT_EQ(test, buf[size], 0xa5);
	KUNIT_EXPECT_EQ(test, buf[size + 15], 0xa5);
}

/* Which prefix lengths to try: all of them, or a spread for huge samples. */
static bool try_len(size_t l, size_t size)
{
	return size <= 4096 || l < 512 || size - l < 512 || l % 997 == 0;
}

static void wire_truncated_every_offset(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	struct raft_wire_hdr hdr;
	size_t len, l;
	u8 *buf;
	int err;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	for (l = 0; l < len; l++) {
		if (!try_len(l, len))
			continue;
		err = dec_exact(test, buf, l);
		if (err == RAFT_WIRE_OK) {
			KUNIT_FAIL(test, "decode took %zu of %zu bytes", l, len);
			return;
		}
		if (raft_wire_peek(buf, l, WS_CLUSTER, &hdr) == RAFT_WIRE_OK) {
			KUNIT_FAIL(test, "peek took %zu of %zu bytes", l, len);
			return;
		}
	}
}

/* Truncated, with the header's length fixed up to match: the payload lies. */
static void wire_truncated_length_patched(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	size_t len, l;
	u8 *buf;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	for (l = RAFT_WIRE_HDR_LEN; l < len; l++) {
		if (!try_len(l, len))
			continue;
		ws_put32(buf, 32, l - RAFT_WIRE_HDR_LEN);
		if (dec_exact(test, buf, l) == RAFT_WIRE_OK) {
			KUNIT_FAIL(test, "payload of %zu accepted for %zu",
				   l - RAFT_WIRE_HDR_LEN,
				   len - RAFT_WIRE_HDR_LEN);
			return;
		}
	}
}

static void wire_trailing_bytes(struct kunit *test)
{
	static const size_t extra[] = { 1, 3, 7, 8, 16, 64 };
	const struct ws_sample *s = test->param_value;
	size_t len, i;
	u8 *buf, *big;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	big = kunit_kzalloc(test, len + 64, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, big);
	memcpy(big, buf, len);
	for (i = 0; i < ARRAY_SIZE(extra); i++) {
		/* header length unchanged: datagram longer than it says */
		ws_put32(big, 32, len - RAFT_WIRE_HDR_LEN);
		KUNIT_EXPECT_NE_MSG(test, dec_exact(test, big, len + extra[i]),
				    RAFT_WIRE_OK, "+%zu unannounced", extra[i]);
		/* header length covers them: payload longer than its fields */
		ws_put32(big, 32, len + extra[i] - RAFT_WIRE_HDR_LEN);
		KUNIT_EXPECT_NE_MSG(test, dec_exact(test, big, len + extra[i]),
				    RAFT_WIRE_OK, "+%zu announced", extra[i]);
	}
}

static void wire_bad_magic(struct kunit *test)
{
	struct raft_wire_hdr hdr;
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_HEARTBEAT, &len);
	int i;

	for (i = 0; i < 4; i++) {
		buf[i] ^= 0x20;
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len),
				RAFT_WIRE_EMALFORMED);
		KUNIT_EXPECT_EQ(test, raft_wire_peek(buf, len, WS_CLUSTER,
						     &hdr),
				RAFT_WIRE_EMALFORMED);
		buf[i] ^= 0x20;
	}
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
}

/* The magic reads "RFTL" on the wire, fields are little-endian. */
static void wire_golden_bytes(struct kunit *test)
{
	static const u8 want[] = {
		'R', 'F', 'T', 'L', 3, RAFT_MSG_VOTE, 0, 0,
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,	/* cluster */
		0x02, 0, 0, 0,  0x03, 0, 0, 0,			/* 2 -> 3 */
		0x09, 0x01, 0, 0, 0, 0, 0, 0,			/* term */
		24, 0, 0, 0,  0, 0,  0, 0,			/* len, tag, rsv */
		0x34, 0x12, 0, 0, 0, 0, 0, 0,			/* last_index */
		0x07, 0, 0, 0, 0, 0, 0, 0,			/* last_term */
		0x01, 0, 0, 0, 0, 0, 0, 0,			/* transfer, pad */
	};
	struct raft_msg m = {
		.type = RAFT_MSG_VOTE, .from = 2, .to = 3, .term = 0x109,
		.vote.last_index = 0x1234, .vote.last_term = 7,
		.vote.transfer = true,
	};
	u8 buf[sizeof(want)];

	KUNIT_ASSERT_EQ(test, raft_wire_encode(&m, 0x0102030405060708ULL, buf,
					       sizeof(buf)),
			(int)sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
}

/*
 * An APPEND entry: a 32-byte header with the writer's session and seq and
 * the leader's crc of the entry at index 10 (prev_index + 1).
 */
static void wire_golden_entry(struct kunit *test)
{
	static const u8 want[] = {
		'R', 'F', 'T', 'L', 3, RAFT_MSG_APPEND, 0, 0,
		0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,	/* cluster */
		0x01, 0, 0, 0,  0x02, 0, 0, 0,			/* 1 -> 2 */
		0x05, 0, 0, 0, 0, 0, 0, 0,			/* term */
		32 + 32 + 2, 0, 0, 0,  0, 0,  0, 0,		/* len, tag, rsv */
		0x09, 0, 0, 0, 0, 0, 0, 0,			/* prev_index */
		0x04, 0, 0, 0, 0, 0, 0, 0,			/* prev_term */
		0x08, 0, 0, 0, 0, 0, 0, 0,			/* commit */
		0x01, 0, 0, 0,  0, 0, 0, 0,			/* n, pad */
		0x05, 0, 0, 0, 0, 0, 0, 0,			/* term */
		0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,	/* session */
		0x03, 0x02, 0, 0, 0, 0, 0, 0,			/* seq */
		GOLDEN_CRC_BYTES,				/* crc */
		0x02, 0,  RAFT_ENTRY_NORMAL, 0,			/* len, type */
		'o', 'k',
	};
	struct raft_entry e = {
		.term = 5, .session = 0x8877665544332211ULL, .seq = 0x203,
		.len = 2, .type = RAFT_ENTRY_NORMAL, .data = (const u8 *)"ok",
	};
	struct raft_msg m = {
		.type = RAFT_MSG_APPEND, .from = 1, .to = 2, .term = 5,
		.append = { .prev_index = 9, .prev_term = 4, .commit = 8,
			    .n_entries = 1, .entries = &e },
	};
	u8 buf[sizeof(want)];

	e.crc = raft_entry_crc(10, &e);
	KUNIT_EXPECT_EQ(test, e.crc, GOLDEN_CRC);
	KUNIT_EXPECT_EQ(test, RAFT_ENTRY_OVERHEAD, ENT_HDR);
	KUNIT_ASSERT_EQ(test, raft_wire_encode(&m, 0x0102030405060708ULL, buf,
					       sizeof(buf)),
			(int)sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(buf, want, sizeof(want)), 0);
}

/*
 * A datagram as a version 1 node sends it (16-byte entry headers, no
 * sessions) is another version's, refused before anything else.
 */
static void wire_version_1_datagram(struct kunit *test)
{
	static const u8 v1[] = {
		'R', 'F', 'T', 'L', 1, RAFT_MSG_APPEND, 0, 0,
		0xe5, 0xa1, 0x5c, 0xed, 0x5e, 0x5e, 0x10, 0x0c,	/* cluster */
		0x01, 0, 0, 0,  0x02, 0, 0, 0,			/* 1 -> 2 */
		0x05, 0, 0, 0, 0, 0, 0, 0,			/* term */
		32 + 16 + 2, 0, 0, 0,  0, 0,  0, 0,		/* len, tag, rsv */
		0x09, 0, 0, 0, 0, 0, 0, 0,			/* prev_index */
		0x04, 0, 0, 0, 0, 0, 0, 0,			/* prev_term */
		0x08, 0, 0, 0, 0, 0, 0, 0,			/* commit */
		0x01, 0, 0, 0,  0, 0, 0, 0,			/* n, pad */
		0x05, 0, 0, 0, 0, 0, 0, 0,			/* term */
		0x02, 0, 0, 0,  RAFT_ENTRY_NORMAL, 0, 0, 0,	/* len, type */
		'o', 'k',
	};
	struct raft_wire_hdr hdr;

	KUNIT_EXPECT_EQ(test, raft_wire_peek(v1, sizeof(v1), WS_CLUSTER, &hdr),
			RAFT_WIRE_EVERSION);
	KUNIT_EXPECT_EQ(test, dec_exact(test, v1, sizeof(v1)),
			RAFT_WIRE_EVERSION);
	KUNIT_EXPECT_EQ(test, raft_wire_peek(v1, sizeof(v1), WS_CLUSTER + 1,
					     &hdr),
			RAFT_WIRE_EVERSION);
}

/*
 * A version 2 datagram (16-byte votes, u32 entry len and no crc): refused
 * as another version's, whatever its payload.
 */
static void wire_version_2_datagram(struct kunit *test)
{
	static const u8 v2[] = {
		'R', 'F', 'T', 'L', 2, RAFT_MSG_VOTE, 0, 0,
		0xe5, 0xa1, 0x5c, 0xed, 0x5e, 0x5e, 0x10, 0x0c,	/* cluster */
		0x02, 0, 0, 0,  0x03, 0, 0, 0,			/* 2 -> 3 */
		0x09, 0, 0, 0, 0, 0, 0, 0,			/* term */
		16, 0, 0, 0,  0, 0,  0, 0,			/* len, tag, rsv */
		0x34, 0x12, 0, 0, 0, 0, 0, 0,			/* last_index */
		0x07, 0, 0, 0, 0, 0, 0, 0,			/* last_term */
	};
	struct raft_wire_hdr hdr;

	KUNIT_EXPECT_EQ(test, raft_wire_peek(v2, sizeof(v2), WS_CLUSTER, &hdr),
			RAFT_WIRE_EVERSION);
	KUNIT_EXPECT_EQ(test, dec_exact(test, v2, sizeof(v2)),
			RAFT_WIRE_EVERSION);
}

static void wire_bad_version(struct kunit *test)
{
	static const u8 versions[] = { 0, 1, 2, 4, 0x81, 0xff };
	struct raft_wire_hdr hdr;
	size_t len, i;
	u8 *buf = enc_type(test, RAFT_MSG_VOTE, &len);

	for (i = 0; i < ARRAY_SIZE(versions); i++) {
		buf[4] = versions[i];
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len),
				RAFT_WIRE_EVERSION);
		KUNIT_EXPECT_EQ(test, raft_wire_peek(buf, len, WS_CLUSTER,
						     &hdr),
				RAFT_WIRE_EVERSION);
	}
}

static void wire_wrong_cluster(struct kunit *test)
{
	struct raft_wire_hdr hdr;
	struct raft_msg m;
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_APPEND, &len);
	struct raft_entry ents[4];

	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER + 1,
					       RAFT_ENTRY_SIZE_LIMIT, &m, ents,
					       ARRAY_SIZE(ents)),
			RAFT_WIRE_ECLUSTER);
	KUNIT_EXPECT_EQ(test, raft_wire_peek(buf, len, 0, &hdr),
			RAFT_WIRE_ECLUSTER);
	/* one flipped bit in the highest byte of the cluster id */
	buf[15] ^= 0x80;
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_ECLUSTER);
}

static void wire_bad_type(struct kunit *test)
{
	static const u8 types[] = { 0, RAFT_MSG_TYPE_MAX + 1, 0x40, 0xff };
	struct raft_wire_hdr hdr;
	size_t len, i;
	u8 *buf = enc_type(test, RAFT_MSG_HEARTBEAT_RESP, &len);

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		buf[5] = types[i];
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len),
				RAFT_WIRE_ETYPE);
		KUNIT_EXPECT_EQ(test, raft_wire_peek(buf, len, WS_CLUSTER,
						     &hdr),
				RAFT_WIRE_ETYPE);
	}
}

static void wire_term_zero(struct kunit *test)
{
	struct raft_wire_hdr hdr;
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_PREVOTE, &len);

	ws_put64(buf, 24, 0);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	KUNIT_EXPECT_NE(test, raft_wire_peek(buf, len, WS_CLUSTER, &hdr),
			RAFT_WIRE_OK);
}

static void wire_term_limit(struct kunit *test)
{
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_HEARTBEAT, &len);

	ws_put64(buf, 24, RAFT_TERM_LIMIT - 1);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
	ws_put64(buf, 24, RAFT_TERM_LIMIT);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_ELIMIT);
	ws_put64(buf, 24, U64_MAX);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_ELIMIT);
}

static void wire_node_id_zero(struct kunit *test)
{
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_VOTE_RESP, &len);

	ws_put32(buf, 16, 0);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put32(buf, 16, 1);
	ws_put32(buf, 20, 0);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
}

/* flags, tag_len and reserved: reserved for later versions, so zero now. */
static void wire_header_reserved_nonzero(struct kunit *test)
{
	static const int offs[] = { 6, 7, 36, 37, 38, 39 };
	size_t len, i;
	u8 *buf = enc_type(test, RAFT_MSG_APPEND_RESP, &len);

	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		buf[offs[i]] = 0x01;
		KUNIT_EXPECT_EQ_MSG(test, dec_exact(test, buf, len),
				    RAFT_WIRE_EMALFORMED, "offset %d", offs[i]);
		buf[offs[i]] = 0x80;
		KUNIT_EXPECT_EQ_MSG(test, dec_exact(test, buf, len),
				    RAFT_WIRE_EMALFORMED, "offset %d", offs[i]);
		buf[offs[i]] = 0;
	}
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
}

/* One byte of a payload that must be zero (padding), by message type. */
struct pad_case {
	const char *name;
	u8 type;
	int off;		/* payload offset */
};

static const struct pad_case pad_cases[] = {
	{ "vote_resp.pad[0]", RAFT_MSG_VOTE_RESP, 1 },
	{ "vote_resp.pad[6]", RAFT_MSG_VOTE_RESP, 7 },
	{ "prevote_resp.pad[3]", RAFT_MSG_PREVOTE_RESP, 4 },
	{ "append.pad[0]", RAFT_MSG_APPEND, 28 },
	{ "append.pad[3]", RAFT_MSG_APPEND, 31 },
	{ "append.entry0.pad", RAFT_MSG_APPEND, E0 + 31 },
	{ "vote.pad[0]", RAFT_MSG_VOTE, 17 },
	{ "vote.pad[6]", RAFT_MSG_VOTE, 23 },
	{ "prevote.pad[3]", RAFT_MSG_PREVOTE, 20 },
	{ "append_resp.pad[0]", RAFT_MSG_APPEND_RESP, 1 },
	{ "append_resp.pad[6]", RAFT_MSG_APPEND_RESP, 7 },
	{ "propose.pad[0]", RAFT_MSG_PROPOSE, 28 },
	{ "propose.pad[3]", RAFT_MSG_PROPOSE, 31 },
	{ "propose_resp.pad[0]", RAFT_MSG_PROPOSE_RESP, 36 },
	{ "propose_resp.pad[3]", RAFT_MSG_PROPOSE_RESP, 39 },
};

static void pad_desc(const struct pad_case *p, char *desc)
{
	strscpy(desc, p->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pad, pad_cases, pad_desc);

static void wire_padding_nonzero(struct kunit *test)
{
	const struct pad_case *p = test->param_value;
	size_t len;
	u8 *buf;

	ws_init();
	buf = enc_type(test, p->type, &len);
	KUNIT_ASSERT_EQ(test, buf[P(p->off)], 0);
	buf[P(p->off)] = 0x01;
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	buf[P(p->off)] = 0xff;
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
}

/*
 * A u64 term, index or seq field set to RAFT_TERM_LIMIT: beyond limits.
 * Just below the limit it is valid, or (@below) wrong for another reason.
 */
struct value_case {
	const char *name;
	u8 type;
	int off;
	int below;
};

static const struct value_case value_cases[] = {
	{ "vote.last_index", RAFT_MSG_VOTE, 0 },
	{ "vote.last_term", RAFT_MSG_VOTE, 8 },
	{ "prevote.last_term", RAFT_MSG_PREVOTE, 8 },
	{ "append.prev_index", RAFT_MSG_APPEND, 0 },
	/* above the first entry's term */
	{ "append.prev_term", RAFT_MSG_APPEND, 8, RAFT_WIRE_EMALFORMED },
	{ "append.commit", RAFT_MSG_APPEND, 16 },
	/* above the message's term */
	{ "append.entry0.term", RAFT_MSG_APPEND, E0 + ENT_TERM,
	  RAFT_WIRE_EMALFORMED },
	{ "append.entry0.seq", RAFT_MSG_APPEND, E0 + ENT_SEQ },
	{ "append_resp.index", RAFT_MSG_APPEND_RESP, 8 },
	{ "append_resp.hint_index", RAFT_MSG_APPEND_RESP, 16 },
	{ "append_resp.hint_term", RAFT_MSG_APPEND_RESP, 24 },
	{ "heartbeat.commit", RAFT_MSG_HEARTBEAT, 0 },
	{ "propose.seq", RAFT_MSG_PROPOSE, 8 },
	{ "propose.start", RAFT_MSG_PROPOSE, 16 },
	{ "propose_resp.seq", RAFT_MSG_PROPOSE_RESP, 8 },
	{ "propose_resp.index", RAFT_MSG_PROPOSE_RESP, 16 },
	{ "propose_resp.term", RAFT_MSG_PROPOSE_RESP, 24 },
};

static void value_desc(const struct value_case *v, char *desc)
{
	strscpy(desc, v->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(value, value_cases, value_desc);

static void wire_value_over_limit(struct kunit *test)
{
	const struct value_case *v = test->param_value;
	size_t len;
	u8 *buf;

	ws_init();
	buf = enc_type(test, v->type, &len);
	ws_put64(buf, P(v->off), RAFT_TERM_LIMIT - 1);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), v->below);
	ws_put64(buf, P(v->off), RAFT_TERM_LIMIT);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_ELIMIT);
	ws_put64(buf, P(v->off), U64_MAX);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_ELIMIT);
}

static void wire_bool_bytes(struct kunit *test)
{
	static const struct {
		u8 type;
		int off;
	} bools[] = {
		{ RAFT_MSG_VOTE_RESP, 0 }, { RAFT_MSG_PREVOTE_RESP, 0 },
		{ RAFT_MSG_APPEND_RESP, 0 },
		{ RAFT_MSG_VOTE, 16 }, { RAFT_MSG_PREVOTE, 16 },	/* transfer */
	};
	size_t len, i;
	u8 *buf;

	for (i = 0; i < ARRAY_SIZE(bools); i++) {
		buf = enc_type(test, bools[i].type, &len);
		buf[P(bools[i].off)] = 1;
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
		buf[P(bools[i].off)] = 2;
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len),
				RAFT_WIRE_EMALFORMED);
		buf[P(bools[i].off)] = 0xff;
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len),
				RAFT_WIRE_EMALFORMED);
	}
}

static void wire_entry_fields(struct kunit *test)
{
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_APPEND, &len);

	/* entry type: only NORMAL, NOOP and CONFIG exist */
	buf[P(E0 + ENT_TYPE)] = 3;
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	buf[P(E0 + ENT_TYPE)] = 0xff;
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	/* a CONFIG entry names no writer */
	buf[P(E0 + ENT_TYPE)] = RAFT_ENTRY_CONFIG;
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	buf[P(E0 + ENT_TYPE)] = RAFT_ENTRY_NORMAL;
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
	/* an entry of term 0 cannot exist */
	ws_put64(buf, P(E0 + ENT_TERM), 0);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
}

/*
 * append_3: a NORMAL entry (session, seq set), a NOOP (neither), a
 * NORMAL; all of term 3. A client entry names its writer, a no-op names
 * nobody and carries nothing.
 */
static void wire_entry_ids(struct kunit *test)
{
	const size_t e1 = E0 + ENT_HDR + 5;
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_APPEND, &len);

	KUNIT_ASSERT_EQ(test, buf[P(e1 + ENT_TYPE)], RAFT_ENTRY_NOOP);
	ws_put64(buf, P(E0 + ENT_SESSION), 0);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put64(buf, P(E0 + ENT_SESSION), 1);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);
	ws_put64(buf, P(E0 + ENT_SEQ), 0);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put64(buf, P(E0 + ENT_SEQ), 1);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);

	/* the no-op */
	ws_put64(buf, P(e1 + ENT_SESSION), 1);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put64(buf, P(e1 + ENT_SESSION), 0);
	ws_put64(buf, P(e1 + ENT_SEQ), U64_MAX);
	KUNIT_EXPECT_NE(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);
	ws_put64(buf, P(e1 + ENT_SEQ), 1);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	/* (0, 1) is no writer for a NORMAL entry either */
	buf[P(e1 + ENT_TYPE)] = RAFT_ENTRY_NORMAL;
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	buf[P(e1 + ENT_TYPE)] = RAFT_ENTRY_NOOP;
	ws_put64(buf, P(e1 + ENT_SEQ), 0);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);
	/* the first entry, with its data, turned into a no-op */
	ws_put64(buf, P(E0 + ENT_SESSION), 0);
	ws_put64(buf, P(E0 + ENT_SEQ), 0);
	buf[P(E0 + ENT_TYPE)] = RAFT_ENTRY_NOOP;
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
}

/*
 * append_rising_terms: message term 9, prev_term 4, entries of terms 4, 6,
 * 6, 9. Above the message's term, decreasing, or below prev_term: refused.
 */
static void wire_entry_terms(struct kunit *test)
{
	static const struct {
		int entry;
		u64 term;
		int want;
	} cases[] = {
		{ 0, 3, RAFT_WIRE_EMALFORMED },	/* below prev_term */
		{ 0, 5, RAFT_WIRE_OK },
		{ 0, 6, RAFT_WIRE_OK },
		{ 0, 7, RAFT_WIRE_EMALFORMED },	/* above the next */
		{ 1, 4, RAFT_WIRE_OK },
		{ 1, 5, RAFT_WIRE_OK },
		{ 1, 7, RAFT_WIRE_EMALFORMED },
		{ 2, 5, RAFT_WIRE_EMALFORMED },	/* below the one before */
		{ 2, 9, RAFT_WIRE_OK },
		{ 3, 6, RAFT_WIRE_OK },
		{ 3, 5, RAFT_WIRE_EMALFORMED },
		{ 3, 10, RAFT_WIRE_EMALFORMED },	/* above the message's */
		{ 3, 1000, RAFT_WIRE_EMALFORMED },
		{ 3, RAFT_TERM_LIMIT - 1, RAFT_WIRE_EMALFORMED },
	};
	const struct ws_sample *s = &ws_samples[ws_n_samples - 1];
	size_t off[WS_RISING_N], len, i;
	u8 *buf;
	u64 was;

	ws_init();
	KUNIT_ASSERT_STREQ(test, s->name, "append_rising_terms");
	buf = ws_encode(test, &s->m, &len);
	off[0] = P(E0);
	for (i = 1; i < WS_RISING_N; i++)
		off[i] = off[i - 1] + ENT_HDR + ws_rising[i - 1].len;
	for (i = 0; i < WS_RISING_N; i++)
		KUNIT_ASSERT_EQ(test, raft_get_le64(buf + off[i]),
				ws_rising[i].term);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		was = raft_get_le64(buf + off[cases[i].entry]);
		ws_put64(buf, off[cases[i].entry], cases[i].term);
		KUNIT_EXPECT_EQ_MSG(test, dec_fixed(test, buf, len),
				    cases[i].want, "entry %d term %llu",
				    cases[i].entry,
				    (unsigned long long)cases[i].term);
		ws_put64(buf, off[cases[i].entry], was);
	}
	/* the message's term and prev_term against the entries' */
	ws_put64(buf, 24, 8);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put64(buf, 24, 10);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);
	ws_put64(buf, 24, 9);
	ws_put64(buf, P(8), 5);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put64(buf, P(8), 0);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);
}

/* n_entries claims more than the datagram carries, or more than allowed. */
static void wire_append_counts(struct kunit *test)
{
	struct raft_entry ents[WS_APPEND_N];
	struct raft_msg m;
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_APPEND, &len);

	KUNIT_ASSERT_EQ(test, ws_get32(buf, P(24)), (u32)WS_APPEND_N);
	ws_put32(buf, P(24), WS_APPEND_N + 1);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put32(buf, P(24), WS_APPEND_N - 1);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put32(buf, P(24), RAFT_MAX_BATCH + 1);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_ELIMIT);
	ws_put32(buf, P(24), U32_MAX);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_ELIMIT);
	ws_put32(buf, P(24), WS_APPEND_N);
	/* the caller's entry array bounds the count too */
	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER,
					       RAFT_ENTRY_SIZE_LIMIT, &m, ents,
					       WS_APPEND_N - 1),
			RAFT_WIRE_ELIMIT);
	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER,
					       RAFT_ENTRY_SIZE_LIMIT, &m, ents,
					       WS_APPEND_N),
			RAFT_WIRE_OK);
}

/* An entry's length points past the datagram or beyond the entry limit. */
static void wire_entry_len(struct kunit *test)
{
	struct raft_entry ents[WS_APPEND_N];
	struct raft_msg m;
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_APPEND, &len);
	u16 l0 = ws_get16(buf, P(E0 + ENT_LEN));

	KUNIT_ASSERT_GT(test, l0, 0U);
	ws_put16(buf, P(E0 + ENT_LEN), l0 + 1);
	KUNIT_EXPECT_NE(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);
	ws_put16(buf, P(E0 + ENT_LEN), (u16)(len - P(E0 + ENT_HDR)) + 1);
	KUNIT_EXPECT_NE(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);
	ws_put16(buf, P(E0 + ENT_LEN), 0xffff);	/* above the limit */
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_ELIMIT);
	ws_put16(buf, P(E0 + ENT_LEN), l0);
	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER, l0 - 1,
					       &m, ents, WS_APPEND_N),
			RAFT_WIRE_ELIMIT);
	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER, l0,
					       &m, ents, WS_APPEND_N),
			RAFT_WIRE_ELIMIT);	/* entry 2 is longer than l0 */
	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER,
					       WS_BIG_LEN, &m, ents,
					       WS_APPEND_N),
			RAFT_WIRE_OK);
}

static void wire_propose_len(struct kunit *test)
{
	struct raft_entry ents[1];
	struct raft_msg m;
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_PROPOSE, &len);
	u32 l = ws_get32(buf, P(24));

	ws_put32(buf, P(24), 0);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put32(buf, P(24), l + 1);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put32(buf, P(24), l - 1);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put32(buf, P(24), U32_MAX);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_ELIMIT);
	ws_put32(buf, P(24), l);
	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER, l - 1, &m,
					       ents, 1),
			RAFT_WIRE_ELIMIT);
	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER, l, &m,
					       ents, 1),
			RAFT_WIRE_OK);
	KUNIT_EXPECT_EQ(test, m.propose.len, l);
	KUNIT_EXPECT_PTR_EQ(test, m.propose.data, (const u8 *)buf + P(32));
}

/* A proposal names its writer: session and seq both non-zero. */
static void wire_propose_ids(struct kunit *test)
{
	static const u8 types[] = { RAFT_MSG_PROPOSE, RAFT_MSG_PROPOSE_RESP };
	size_t len, i;
	u8 *buf;

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		buf = enc_type(test, types[i], &len);
		ws_put64(buf, P(0), 0);
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len),
				RAFT_WIRE_EMALFORMED);
		ws_put64(buf, P(0), 1);
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
		ws_put64(buf, P(8), 0);
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len),
				RAFT_WIRE_EMALFORMED);
		ws_put64(buf, P(8), 1);
		KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
	}
}

static void wire_propose_resp_status(struct kunit *test)
{
	struct raft_msg m = {
		.type = RAFT_MSG_PROPOSE_RESP, .from = 1, .to = 2, .term = 3,
		.propose_resp.session = 77, .propose_resp.seq = 78,
		.propose_resp.index = 5, .propose_resp.term = 3,
	};
	struct raft_msg out;
	s32 st;
	size_t len;
	u8 *buf;

	for (st = RAFT_ELOST; st <= RAFT_OK; st++) {
		m.propose_resp.status = st;
		buf = ws_encode(test, &m, &len);
		KUNIT_ASSERT_EQ(test, dec(test, buf, len, &out), RAFT_WIRE_OK);
		KUNIT_EXPECT_EQ(test, out.propose_resp.status, st);
	}
	ws_put32(buf, P(32), 1);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put32(buf, P(32), (u32)(RAFT_ELOST - 1));
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
}

/* A datagram longer than any UDP payload we send is refused outright. */
static void wire_oversize(struct kunit *test)
{
	size_t len = RAFT_WIRE_MAX_LEN + 1;
	u8 *buf = kunit_kzalloc(test, len, GFP_KERNEL);
	size_t hlen;
	u8 *hb = enc_type(test, RAFT_MSG_PROPOSE, &hlen);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memcpy(buf, hb, RAFT_WIRE_HDR_LEN);
	ws_put32(buf, 32, len - RAFT_WIRE_HDR_LEN);
	ws_put32(buf, P(24), len - P(32));
	KUNIT_EXPECT_NE(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
	ws_put32(buf, 32, len - RAFT_WIRE_HDR_LEN);
	KUNIT_EXPECT_EQ(test, raft_wire_peek(buf, len, WS_CLUSTER,
					     &(struct raft_wire_hdr){}),
			RAFT_WIRE_ELIMIT);
}

/* The encoder refuses what the decoder would reject. */
static void wire_encode_refuses_invalid(struct kunit *test)
{
	static const u8 one[1] = { 1 };
	static const struct raft_entry bad_ent = {
		.term = 0, .session = 1, .seq = 1, .len = 1,
		.type = RAFT_ENTRY_NORMAL, .data = one,
	};
	struct raft_entry e;
	struct raft_msg base = {
		.type = RAFT_MSG_HEARTBEAT, .from = 1, .to = 2, .term = 4,
	};
	struct raft_msg m;
	u8 buf[128];

	m = base;
	KUNIT_EXPECT_GT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m = base;
	m.term = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m = base;
	m.term = RAFT_TERM_LIMIT;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m = base;
	m.from = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m = base;
	m.to = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m = base;
	m.type = 0;
	KUNIT_EXPECT_EQ(test, raft_wire_encode(&m, 1, buf, sizeof(buf)),
			RAFT_WIRE_ETYPE);
	KUNIT_EXPECT_EQ(test, raft_wire_size(&m), (size_t)0);
	m.type = RAFT_MSG_TYPE_MAX + 1;
	KUNIT_EXPECT_EQ(test, raft_wire_encode(&m, 1, buf, sizeof(buf)),
			RAFT_WIRE_ETYPE);
	m = base;
	m.heartbeat.commit = RAFT_TERM_LIMIT;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m = base;
	m.type = RAFT_MSG_APPEND;
	m.append.n_entries = 1;
	m.append.entries = &bad_ent;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	/* entries: writer, no-op, terms */
	m = base;
	m.type = RAFT_MSG_APPEND;
	m.append.n_entries = 1;
	m.append.entries = &e;
	e = (struct raft_entry){ .term = 4, .session = 1, .seq = 1 };
	KUNIT_EXPECT_GT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e.session = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e.session = 1;
	e.seq = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e.seq = RAFT_TERM_LIMIT;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e = (struct raft_entry){ .term = 4, .type = RAFT_ENTRY_NOOP };
	KUNIT_EXPECT_GT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e.seq = 1;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e.seq = 0;
	e.len = 1;
	e.data = one;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e = (struct raft_entry){ .term = 4, .type = RAFT_ENTRY_CONFIG,
				 .len = 1, .data = one };
	KUNIT_EXPECT_GT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e.session = 1;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e.session = 0;
	e.len = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e = (struct raft_entry){ .term = 5, .session = 1, .seq = 1 };
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	e.term = 3;
	m.append.prev_term = 4;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m.append.prev_term = 3;
	KUNIT_EXPECT_GT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);

	m = base;
	m.type = RAFT_MSG_PROPOSE;
	m.propose.session = 1;
	m.propose.seq = 1;
	m.propose.len = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m.propose.len = 1;
	m.propose.data = one;
	KUNIT_EXPECT_GT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m.propose.session = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m.propose.session = 1;
	m.propose.seq = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m.propose.seq = 1;
	m.propose.start = RAFT_TERM_LIMIT;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m = base;
	m.type = RAFT_MSG_PROPOSE_RESP;
	m.propose_resp.session = 1;
	m.propose_resp.seq = 1;
	m.propose_resp.status = 1;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m.propose_resp.status = RAFT_ELOST;
	KUNIT_EXPECT_GT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
	m.propose_resp.seq = 0;
	KUNIT_EXPECT_LT(test, raft_wire_encode(&m, 1, buf, sizeof(buf)), 0);
}

/* Two maximum entries do not fit one datagram: the encoder says so. */
static void wire_encode_too_big(struct kunit *test)
{
	struct raft_entry ents[2];
	struct raft_msg m = {
		.type = RAFT_MSG_APPEND, .from = 1, .to = 2, .term = 4,
		.append.n_entries = 2, .append.entries = ents,
	};
	u8 *buf = kunit_kmalloc(test, 2 * WS_BIG_LEN + 256, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	ws_init();
	ents[0] = (struct raft_entry){ .term = 4, .session = 1, .seq = 1,
				       .len = WS_BIG_LEN, .data = ws_big };
	ents[1] = ents[0];
	KUNIT_EXPECT_GT(test, raft_wire_size(&m), (size_t)RAFT_WIRE_MAX_LEN);
	KUNIT_EXPECT_EQ(test, raft_wire_encode(&m, 1, buf, 2 * WS_BIG_LEN + 256),
			RAFT_WIRE_ELIMIT);
	m.append.n_entries = 1;
	KUNIT_EXPECT_GT(test, raft_wire_encode(&m, 1, buf, 2 * WS_BIG_LEN + 256),
			0);
}

static void wire_strerror(struct kunit *test)
{
	int e, f;

	for (e = RAFT_WIRE_ECRC; e <= RAFT_WIRE_OK; e++) {
		KUNIT_EXPECT_STRNEQ(test, raft_wire_strerror(e),
				    "unknown error");
		for (f = RAFT_WIRE_ECRC; f < e; f++)
			KUNIT_EXPECT_STRNEQ(test, raft_wire_strerror(e),
					    raft_wire_strerror(f));
	}
	KUNIT_EXPECT_STREQ(test, raft_wire_strerror(-100), "unknown error");
	KUNIT_EXPECT_STREQ(test, raft_wire_strerror(5), "unknown error");
}

/*
 * Each entry's crc is the leader's for that entry at its index: a flipped
 * bit in its data, in its crc, or the entries moved to another index (a
 * changed prev_index) and the whole APPEND is refused before anything of
 * it could be stored.
 */
static void wire_entry_crc(struct kunit *test)
{
	const size_t d2 = E0 + 3 * ENT_HDR + 5;	/* entry 2's data */
	size_t len, bit;
	u8 *buf = enc_type(test, RAFT_MSG_APPEND, &len);

	KUNIT_ASSERT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
	for (bit = 0; bit < 300 * 8; bit += 37) {
		buf[P(d2) + bit / 8] ^= 1 << (bit % 8);
		KUNIT_EXPECT_EQ_MSG(test, dec_exact(test, buf, len),
				    RAFT_WIRE_ECRC, "data bit %zu", bit);
		buf[P(d2) + bit / 8] ^= 1 << (bit % 8);
	}
	for (bit = 0; bit < 32; bit++) {
		buf[P(E0 + ENT_CRC) + bit / 8] ^= 1 << (bit % 8);
		KUNIT_EXPECT_EQ_MSG(test, dec_exact(test, buf, len),
				    RAFT_WIRE_ECRC, "crc bit %zu", bit);
		buf[P(E0 + ENT_CRC) + bit / 8] ^= 1 << (bit % 8);
	}
	/* the same entries one index later: not the ones the leader made */
	ws_put64(buf, P(0), ws_get32(buf, P(0)) + 1);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_ECRC);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_OK);
}

/*
 * A bit flipped before the MAC was made (a sender's memory, or an insecure
 * cluster where the trailer is absent): the tag verifies, the follower
 * still refuses the entry.
 */
static void wire_entry_crc_under_valid_mac(struct kunit *test)
{
	static const u8 key[RAFT_MAC_KEY_LEN] = "a test key, not a secret";
	const size_t d0 = E0 + ENT_HDR;	/* entry 0's data */
	struct raft_wire_hdr hdr;
	size_t len;
	u8 *enc = enc_type(test, RAFT_MSG_APPEND, &len);
	u8 *buf = kunit_kmalloc(test, len + RAFT_WIRE_AUTH_LEN, GFP_KERNEL);
	u64 epoch, counter;
	int n;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	memcpy(buf, enc, len);
	buf[P(d0)] ^= 0x04;
	/* insecure: no trailer, nothing but the crc to catch it */
	KUNIT_EXPECT_EQ(test, raft_wire_peek(buf, len, WS_CLUSTER, &hdr),
			RAFT_WIRE_OK);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_ECRC);
	/* keyed: the tag covers the damage and verifies */
	n = raft_wire_seal(buf, len, len + RAFT_WIRE_AUTH_LEN, key, 1, 1);
	KUNIT_ASSERT_EQ(test, n, (int)(len + RAFT_WIRE_AUTH_LEN));
	KUNIT_ASSERT_EQ(test, raft_wire_peek(buf, n, WS_CLUSTER, &hdr),
			RAFT_WIRE_OK);
	KUNIT_EXPECT_TRUE(test, raft_wire_verify(buf, n, &hdr, key, &epoch,
						 &counter));
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, n), RAFT_WIRE_ECRC);
	buf[P(d0)] ^= 0x04;
	n = raft_wire_seal(buf, len, len + RAFT_WIRE_AUTH_LEN, key, 1, 2);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, n), RAFT_WIRE_OK);
}

/* CONFIG entries: no writer, 1 .. max bytes. TIMEOUT_NOW: nothing. */
static void wire_config_and_timeout_now(struct kunit *test)
{
	const size_t c1 = E0 + ENT_HDR;	/* the CONFIG entry, after a no-op */
	const struct ws_sample *s = &ws_samples[ws_n_samples - 2];
	struct raft_entry ents[2];
	struct raft_msg m;
	size_t len;
	u8 *buf;

	KUNIT_ASSERT_STREQ(test, s->name, "append_config");
	buf = ws_encode(test, &s->m, &len);
	KUNIT_ASSERT_EQ(test, buf[P(c1 + ENT_TYPE)], RAFT_ENTRY_CONFIG);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
	ws_put64(buf, P(c1 + ENT_SESSION), 1);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put64(buf, P(c1 + ENT_SESSION), 0);
	ws_put64(buf, P(c1 + ENT_SEQ), 1);
	KUNIT_EXPECT_EQ(test, dec_fixed(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put64(buf, P(c1 + ENT_SEQ), 0);
	KUNIT_EXPECT_EQ(test, raft_wire_decode(buf, len, WS_CLUSTER, 8, &m,
					       ents, 2), RAFT_WIRE_ELIMIT);

	buf = enc_type(test, RAFT_MSG_TIMEOUT_NOW, &len);
	KUNIT_EXPECT_EQ(test, len, (size_t)RAFT_WIRE_HDR_LEN);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_OK);
	buf = enc_type(test, RAFT_MSG_HEARTBEAT, &len);
	buf[5] = RAFT_MSG_TIMEOUT_NOW;	/* with a heartbeat's payload */
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
}

/* A fragment passes peek (it goes to reassembly), never decode. */
static void wire_fragment_not_a_message(struct kunit *test)
{
	struct raft_wire_hdr hdr;
	size_t len;
	u8 *buf = enc_type(test, RAFT_MSG_HEARTBEAT, &len);

	ws_put16(buf, 6, RAFT_WIRE_F_FRAG);
	KUNIT_EXPECT_EQ(test, raft_wire_peek(buf, len, WS_CLUSTER, &hdr),
			RAFT_WIRE_OK);
	KUNIT_EXPECT_EQ(test, hdr.flags, RAFT_WIRE_F_FRAG);
	KUNIT_EXPECT_EQ(test, dec_exact(test, buf, len), RAFT_WIRE_EMALFORMED);
	ws_put16(buf, 6, 2);
	KUNIT_EXPECT_EQ(test, raft_wire_peek(buf, len, WS_CLUSTER, &hdr),
			RAFT_WIRE_EMALFORMED);
}

/*
 * Random corruption of every sample, decoded from exact-size buffers: the
 * decoder must not fault, and whatever it accepts must re-encode to the
 * very same bytes (the encoding is canonical, so nothing can be smuggled
 * in padding or trailing space).
 */
static void wire_random_corruption(struct kunit *test)
{
	struct raft_entry *ents = kunit_kcalloc(test, RAFT_MAX_BATCH,
						sizeof(*ents), GFP_KERNEL);
	struct rnd_state rnd;
	unsigned int i, iter, accepted = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ents);
	ws_init();
	prandom_seed_state(&rnd, 0x5eed);
	for (i = 0; i < ws_n_samples; i++) {
		size_t len;
		u8 *orig = ws_encode(test, &ws_samples[i].m, &len);

		if (len > 4096)
			continue;
		for (iter = 0; iter < 400; iter++) {
			u8 *b = kmemdup(orig, len, GFP_KERNEL);
			u8 *re = kmalloc(len, GFP_KERNEL);
			u32 flips = 1 + prandom_u32_state(&rnd) % 3;
			struct raft_msg m;

			KUNIT_ASSERT_TRUE(test, b && re);
			while (flips--) {
				u32 at = prandom_u32_state(&rnd) % len;

				b[at] ^= 1 << (prandom_u32_state(&rnd) % 8);
			}
			if (raft_wire_decode(b, len, WS_CLUSTER,
					     RAFT_ENTRY_SIZE_LIMIT, &m, ents,
					     RAFT_MAX_BATCH) == RAFT_WIRE_OK) {
				accepted++;
				KUNIT_EXPECT_EQ(test,
						raft_wire_encode(&m, WS_CLUSTER,
								 re, len),
						(int)len);
				KUNIT_EXPECT_EQ(test, memcmp(re, b, len), 0);
			}
			kfree(re);
			kfree(b);
		}
	}
	/* flips in ids and terms outside entries are legal: some get through */
	KUNIT_EXPECT_GT(test, accepted, 0U);
}

static struct kunit_case wire_cases[] = {
	KUNIT_CASE_PARAM(wire_roundtrip, sample_gen_params),
	KUNIT_CASE_PARAM(wire_peek_matches_header, sample_gen_params),
	KUNIT_CASE_PARAM(wire_encode_enospc, sample_gen_params),
	KUNIT_CASE_PARAM(wire_truncated_every_offset, sample_gen_params),
	KUNIT_CASE_PARAM(wire_truncated_length_patched, sample_gen_params),
	KUNIT_CASE_PARAM(wire_trailing_bytes, sample_gen_params),
	KUNIT_CASE(wire_golden_bytes),
	KUNIT_CASE(wire_golden_entry),
	KUNIT_CASE(wire_bad_magic),
	KUNIT_CASE(wire_bad_version),
	KUNIT_CASE(wire_version_1_datagram),
	KUNIT_CASE(wire_version_2_datagram),
	KUNIT_CASE(wire_wrong_cluster),
	KUNIT_CASE(wire_bad_type),
	KUNIT_CASE(wire_term_zero),
	KUNIT_CASE(wire_term_limit),
	KUNIT_CASE(wire_node_id_zero),
	KUNIT_CASE(wire_header_reserved_nonzero),
	KUNIT_CASE_PARAM(wire_padding_nonzero, pad_gen_params),
	KUNIT_CASE_PARAM(wire_value_over_limit, value_gen_params),
	KUNIT_CASE(wire_bool_bytes),
	KUNIT_CASE(wire_entry_fields),
	KUNIT_CASE(wire_entry_ids),
	KUNIT_CASE(wire_entry_terms),
	KUNIT_CASE(wire_append_counts),
	KUNIT_CASE(wire_entry_len),
	KUNIT_CASE(wire_propose_len),
	KUNIT_CASE(wire_propose_ids),
	KUNIT_CASE(wire_propose_resp_status),
	KUNIT_CASE(wire_oversize),
	KUNIT_CASE(wire_encode_refuses_invalid),
	KUNIT_CASE(wire_encode_too_big),
	KUNIT_CASE(wire_strerror),
	KUNIT_CASE(wire_entry_crc),
	KUNIT_CASE(wire_entry_crc_under_valid_mac),
	KUNIT_CASE(wire_config_and_timeout_now),
	KUNIT_CASE(wire_fragment_not_a_message),
	KUNIT_CASE(wire_random_corruption),
	{}
};

static struct kunit_suite wire_suite = {
	.name = "raftlog_wire",
	.test_cases = wire_cases,
};

kunit_test_suite(wire_suite);
