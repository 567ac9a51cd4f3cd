// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the wire codec (kmod/raft/wire.c) against the format of
 * kmod/raft/wire.h: round trips of every message type, golden byte
 * vectors (version 3, entry crcs worked out independently), every class of
 * malformed datagram the decoder must refuse, entries whose crc does not
 * hold refused, and version 1 and 2 datagrams refused as another version.
 *
 * Build and run from the top of the tree:
 *
 *   mkdir -p build && cc -std=c11 -Wall -Wextra -Werror -g -O1 \
 *	-fsanitize=address,undefined -fno-sanitize-recover=all \
 *	-Ikmod/raft -Itests/fuzz -o build/test_wire \
 *	tests/unit/test_wire.c kmod/raft/wire.c kmod/raft/blake2s.c \
 *	kmod/raft/{raft,log,progress,quorum,forward,config,session}.c && \
 *	build/test_wire
 *
 * (the first source is this file)
 *
 * Prints one line per failed check, then `N passed, N failed`; the exit
 * status is non-zero when a check failed. -v prints every case's name.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"
#include "wire_eq.h"

#define CLUSTER		0x1122334455667788ULL
#define BUF_LEN		(RAFT_WIRE_MAX_LEN + 64)
#define HDR		RAFT_WIRE_HDR_LEN
#define ENT		32	/* an APPEND's entry header, from wire.h */
/* its fields: term 0, session 8, seq 16, crc 24, len 28 (u16), type 30 */
#define E_CRC		24
#define E_LEN		28
#define E_TYPE		30
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Header offsets, from the table in wire.h. */
#define OFF_MAGIC	0
#define OFF_VERSION	4
#define OFF_TYPE	5
#define OFF_FLAGS	6
#define OFF_CLUSTER	8
#define OFF_SENDER	16
#define OFF_RECEIVER	20
#define OFF_TERM	24
#define OFF_LENGTH	32
#define OFF_TAG_LEN	36
#define OFF_RESERVED	38

static unsigned int passed, failed;
static bool verbose;
static const char *current = "";

static void check(bool ok, int line, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		passed++;
		return;
	}
	failed++;
	printf("FAIL test_wire.c:%d: %s: ", line, current);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

#define CHECK(cond, ...) check((cond), __LINE__, __VA_ARGS__)

/* Expect @got == @want, both wire error codes. */
static void check_err(int got, int want, const char *what, int line)
{
	check(got == want, line, "%s: got %d (%s), want %d (%s)", what, got,
	      raft_wire_strerror(got), want, raft_wire_strerror(want));
}

#define CHECK_ERR(got, want, what) check_err((got), (want), (what), __LINE__)

/* Little-endian stores of our own, independent of platform.h. */
static void put_le(u8 *p, u64 v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(v >> (8 * i));
}

static u64 get_le(const u8 *p, int n)
{
	u64 v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * raft_entry_crc() as raft.h defines it, worked out here on its own
 * (bitwise CRC32C over le64 index, term, session, seq, le32 len, u8 type,
 * then the data) so that the codec is checked against the format, not
 * against itself.
 */
static u32 ref_crc32c(u32 crc, const u8 *p, size_t n)
{
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & (0U - (crc & 1)));
	}
	return crc;
}

static u32 ref_entry_crc(u64 index, const struct raft_entry *e)
{
	u8 h[37];

	put_le(h, index, 8);
	put_le(h + 8, e->term, 8);
	put_le(h + 16, e->session, 8);
	put_le(h + 24, e->seq, 8);
	put_le(h + 32, e->len, 4);
	h[36] = e->type;
	return ~ref_crc32c(ref_crc32c(~0U, h, sizeof(h)), e->data, e->len);
}

/*
 * Rewrites every entry crc of the APPEND in @b (@size bytes) to what its
 * bytes and index call for, as far as its layout holds: cases about an
 * entry field's own rule test that rule, not the crc.
 */
static void reseal(u8 *b, size_t size)
{
	size_t at = HDR + 32;
	struct raft_entry e;
	u64 index;
	u32 n, i;

	if (size < at || b[OFF_TYPE] != RAFT_MSG_APPEND)
		return;
	index = get_le(b + HDR, 8) + 1;
	n = (u32)get_le(b + HDR + 24, 4);
	for (i = 0; i < n && at + ENT <= size; i++, index++) {
		e = (struct raft_entry){ .term = get_le(b + at, 8),
					 .session = get_le(b + at + 8, 8),
					 .seq = get_le(b + at + 16, 8),
					 .len = (u32)get_le(b + at + E_LEN, 2),
					 .type = b[at + E_TYPE] };
		if (at + ENT + e.len > size)
			return;
		e.data = b + at + ENT;
		put_le(b + at + E_CRC, ref_entry_crc(index, &e), 4);
		at += ENT + e.len;
	}
}

static u8 buf[BUF_LEN];
static u8 mut[BUF_LEN];
static struct raft_entry ents[RAFT_MAX_BATCH + 1];

static int decode_n(const u8 *b, size_t len, u32 max_entry_size,
		    u32 max_ents, struct raft_msg *m)
{
	return raft_wire_decode(b, len, CLUSTER, max_entry_size, m, ents,
				max_ents);
}

static int decode(const u8 *b, size_t len, struct raft_msg *m)
{
	return decode_n(b, len, RAFT_ENTRY_SIZE_LIMIT, RAFT_MAX_BATCH, m);
}

/* Decode @len bytes of mut[] after setting its length field to match. */
static int decode_fixed(size_t len)
{
	struct raft_msg m;

	put_le(mut + OFF_LENGTH, len - HDR, 4);
	return decode(mut, len, &m);
}

static size_t encode_buf(const struct raft_msg *m)
{
	int n = raft_wire_encode(m, CLUSTER, buf, sizeof(buf));

	CHECK(n > 0, "encode: %d (%s)", n, raft_wire_strerror(n));
	return n > 0 ? (size_t)n : 0;
}

/* --- the message table --------------------------------------------------- */

static u8 big[RAFT_ENTRY_SIZE_LIMIT];
static const u8 abc[] = { 'a', 'b', 'c' };
static struct raft_entry three[3];
static struct raft_entry same_term[3];
static struct raft_entry one_big[1];
static struct raft_entry batch[RAFT_MAX_BATCH];
static struct raft_entry over_batch[RAFT_MAX_BATCH + 1];
static const u8 conf[] = { 1, 2, 3, 4, 5, 6 };
static struct raft_entry config_two[2] = {
	{ .term = 3, .type = RAFT_ENTRY_NOOP },
	{ .term = 3, .type = RAFT_ENTRY_CONFIG, .len = 6, .data = conf },
};

struct tcase {
	const char *name;
	struct raft_msg m;
};

#define MSG(t, f, to_, tm) .type = (t), .from = (f), .to = (to_), .term = (tm)
#define MAXV (RAFT_TERM_LIMIT - 1)

static struct tcase cases[] = {
	{ "prevote", { MSG(RAFT_MSG_PREVOTE, 1, 2, 1) } },
	{ "vote for a transfer", { MSG(RAFT_MSG_VOTE, 2, 1, 5),
	  .vote = { .last_index = 9, .last_term = 4, .transfer = true } } },
	{ "timeout_now", { MSG(RAFT_MSG_TIMEOUT_NOW, 1, 2, 5) } },
	{ "append config", { MSG(RAFT_MSG_APPEND, 1, 2, 3),
	  .append = { .prev_index = 20, .prev_term = 2, .commit = 20,
		      .n_entries = 2, .entries = config_two } } },
	{ "prevote_resp granted", { MSG(RAFT_MSG_PREVOTE_RESP, 2, 1, 2),
	  .vote_resp = { true } } },
	{ "vote at the limits", { MSG(RAFT_MSG_VOTE, UINT32_MAX, 1, MAXV),
	  .vote = { .last_index = MAXV, .last_term = MAXV } } },
	{ "vote_resp rejected", { MSG(RAFT_MSG_VOTE_RESP, 3, 1, 9) } },
	{ "append empty", { MSG(RAFT_MSG_APPEND, 1, 3, 4),
	  .append = { .prev_index = 10, .prev_term = 3, .commit = 9 } } },
	{ "append three", { MSG(RAFT_MSG_APPEND, 1, 2, 4),
	  .append = { .prev_index = 0, .prev_term = 0, .commit = 2,
		      .n_entries = 3, .entries = three } } },
	{ "append one term", { MSG(RAFT_MSG_APPEND, 3, 2, 9),
	  .append = { .prev_index = 40, .prev_term = 9, .commit = 40,
		      .n_entries = 3, .entries = same_term } } },
	{ "append largest entry", { MSG(RAFT_MSG_APPEND, 2, 1, 5),
	  .append = { .prev_index = 7, .prev_term = 5, .commit = 7,
		      .n_entries = 1, .entries = one_big } } },
	{ "append full batch", { MSG(RAFT_MSG_APPEND, 2, 3, 6),
	  .append = { .prev_index = 100, .prev_term = 1, .commit = 90,
		      .n_entries = RAFT_MAX_BATCH, .entries = batch } } },
	{ "append_resp success", { MSG(RAFT_MSG_APPEND_RESP, 2, 1, 4),
	  .append_resp = { .success = true, .index = 3 } } },
	{ "append_resp reject", { MSG(RAFT_MSG_APPEND_RESP, 3, 1, 4),
	  .append_resp = { .success = false, .index = 12, .hint_index = 8,
			   .hint_term = 2 } } },
	{ "heartbeat", { MSG(RAFT_MSG_HEARTBEAT, 1, 2, 7),
	  .heartbeat = { .commit = 1234567 } } },
	{ "heartbeat_resp", { MSG(RAFT_MSG_HEARTBEAT_RESP, 2, 1, 7) } },
	{ "propose one byte", { MSG(RAFT_MSG_PROPOSE, 3, 1, 7),
	  .propose = { .session = UINT64_MAX, .seq = 1, .start = 0, .len = 1,
		       .data = abc } } },
	{ "propose largest", { MSG(RAFT_MSG_PROPOSE, 3, 1, 7),
	  .propose = { .session = 5, .seq = MAXV, .start = MAXV,
		       .len = RAFT_ENTRY_SIZE_LIMIT, .data = big } } },
	{ "propose_resp ok", { MSG(RAFT_MSG_PROPOSE_RESP, 1, 3, 7),
	  .propose_resp = { .session = 0xfeedface12345678ULL, .seq = 5,
			    .index = 99, .term = 7, .status = RAFT_OK } } },
	{ "propose_resp not leader", { MSG(RAFT_MSG_PROPOSE_RESP, 2, 3, 7),
	  .propose_resp = { .session = 1, .seq = MAXV,
			    .status = RAFT_ENOTLEADER } } },
	{ "propose_resp lost", { MSG(RAFT_MSG_PROPOSE_RESP, 2, 3, 8),
	  .propose_resp = { .session = UINT64_MAX, .seq = 2,
			    .status = RAFT_ELOST } } },
	{ "propose_resp stale", { MSG(RAFT_MSG_PROPOSE_RESP, 2, 3, 8),
	  .propose_resp = { .session = 3, .seq = 4, .index = 17, .term = 2,
			    .status = RAFT_ESTALE } } },
};

#define N_CASES ARRAY_SIZE(cases)

static void seal_entries(struct raft_entry *e, u32 n, u64 first)
{
	u32 i;

	for (i = 0; i < n; i++)
		e[i].crc = ref_entry_crc(first + i, &e[i]);
}

static void fill_entries(void)
{
	u32 i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (u8)(i * 31 + 7);
	three[0] = (struct raft_entry){ .term = 1, .type = RAFT_ENTRY_NOOP };
	three[1] = (struct raft_entry){ .term = 2, .session = 0x1122334455ULL,
					.seq = 1, .len = 3, .data = abc };
	three[2] = (struct raft_entry){ .term = 4, .session = UINT64_MAX,
					.seq = MAXV, .len = 100, .data = big };
	/* all at the message's term, the first at prev_term */
	same_term[0] = (struct raft_entry){ .term = 9, .session = 7, .seq = 3,
					    .len = 2, .data = abc };
	same_term[1] = (struct raft_entry){ .term = 9, .session = 7, .seq = 4,
					    .len = 1, .data = abc + 2 };
	same_term[2] = (struct raft_entry){ .term = 9, .session = 8, .seq = 3,
					    .len = 3, .data = abc };
	one_big[0] = (struct raft_entry){ .term = 5, .session = 2, .seq = 2,
					  .len = RAFT_ENTRY_SIZE_LIMIT,
					  .data = big };
	for (i = 0; i < RAFT_MAX_BATCH; i++)
		batch[i] = (struct raft_entry){ .term = 1 + i / 100,
						.session = 1 + i % 7,
						.seq = 1 + i, .len = 1,
						.data = big + i };
	/* a new leader's first entry */
	batch[0] = (struct raft_entry){ .term = 1, .type = RAFT_ENTRY_NOOP };
	/* the leader's crcs, at the indexes their cases put them */
	seal_entries(three, 3, 1);
	seal_entries(same_term, 3, 41);
	seal_entries(one_big, 1, 8);
	seal_entries(batch, RAFT_MAX_BATCH, 101);
	for (i = 0; i <= RAFT_MAX_BATCH; i++)
		over_batch[i] = batch[i % RAFT_MAX_BATCH];
	seal_entries(config_two, 2, 21);
}

/*
 * Offsets of every pad byte of @m's encoding, worked out from wire.h (not
 * from wire.c). Returns how many were stored in @off.
 */
static size_t pad_offsets(const struct raft_msg *m, size_t *off)
{
	size_t n = 0, at, i;
	u32 e;

	off[n++] = OFF_FLAGS;
	off[n++] = OFF_FLAGS + 1;
	off[n++] = OFF_TAG_LEN;
	off[n++] = OFF_TAG_LEN + 1;
	off[n++] = OFF_RESERVED;
	off[n++] = OFF_RESERVED + 1;
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		for (i = 17; i < 24; i++)
			off[n++] = HDR + i;
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
	case RAFT_MSG_APPEND_RESP:
		for (i = 1; i < 8; i++)
			off[n++] = HDR + i;
		break;
	case RAFT_MSG_APPEND:
		for (i = 28; i < 32; i++)
			off[n++] = HDR + i;
		at = HDR + 32;
		for (e = 0; e < m->append.n_entries; e++) {
			off[n++] = at + 31;
			at += ENT + m->append.entries[e].len;
		}
		break;
	case RAFT_MSG_PROPOSE:
		for (i = 28; i < 32; i++)
			off[n++] = HDR + i;
		break;
	case RAFT_MSG_PROPOSE_RESP:
		for (i = 36; i < 40; i++)
			off[n++] = HDR + i;
		break;
	}
	return n;
}

/* --- per-case tests ------------------------------------------------------ */

static void test_round_trip(const struct tcase *c, size_t size)
{
	struct raft_msg m;
	struct raft_wire_hdr hdr;
	u8 again[BUF_LEN];
	int err, n;

	CHECK(size == raft_wire_size(&c->m), "size %zu, raft_wire_size %zu",
	      size, raft_wire_size(&c->m));
	CHECK(size <= RAFT_WIRE_MAX_LEN, "size %zu over the maximum", size);
	CHECK(buf[size] == 0xee, "encode wrote past its size");
	CHECK(get_le(buf + OFF_LENGTH, 4) == size - HDR, "length field %llu",
	      (unsigned long long)get_le(buf + OFF_LENGTH, 4));

	err = decode(buf, size, &m);
	CHECK_ERR(err, RAFT_WIRE_OK, "decode");
	CHECK(!err && wire_msg_eq(&c->m, &m), "decode(encode(m)) != m");
	CHECK(!m.after_persist, "after_persist came off the wire");

	err = raft_wire_peek(buf, size, CLUSTER, &hdr);
	CHECK_ERR(err, RAFT_WIRE_OK, "peek");
	CHECK(hdr.type == c->m.type && hdr.sender == c->m.from &&
	      hdr.receiver == c->m.to && hdr.term == c->m.term &&
	      hdr.cluster_id == CLUSTER && hdr.length == size - HDR,
	      "peek header fields differ");

	n = raft_wire_encode(&m, CLUSTER, again, sizeof(again));
	CHECK(n >= 0 && (size_t)n == size && !memcmp(again, buf, size),
	      "re-encoding the decoded message differs");

	n = raft_wire_encode(&c->m, CLUSTER, again, size - 1);
	CHECK_ERR(n, RAFT_WIRE_ENOSPC, "encode into size - 1");
	n = raft_wire_encode(&c->m, CLUSTER, again, 0);
	CHECK_ERR(n, RAFT_WIRE_ENOSPC, "encode into 0 bytes");
	n = raft_wire_encode(&c->m, CLUSTER, again, size);
	CHECK(n >= 0 && (size_t)n == size, "encode into exactly size: %d", n);
}

/*
 * A copy of @len bytes of @src in a heap block of exactly that size, so
 * that ASan reports any read past the datagram's end.
 */
static u8 *exact_copy(const u8 *src, size_t len)
{
	u8 *p = malloc(len ? len : 1);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	memcpy(p, src, len);
	return p;
}

/* Decode @len bytes of @src from an exactly sized heap copy. */
static int decode_exact(const u8 *src, size_t len, u32 max_entry_size,
			u32 max_ents)
{
	struct raft_msg m;
	u8 *p = exact_copy(src, len);
	int err = decode_n(p, len, max_entry_size, max_ents, &m);

	free(p);
	return err;
}

/* Every prefix is refused, with and without a matching length field. */
static void test_truncations(size_t size)
{
	/* exact heap copies of every prefix cost O(size^2): cap them */
	const bool exact = size <= 16384;
	struct raft_wire_hdr hdr;
	unsigned int bad = 0, bad_fixed = 0, bad_peek = 0;
	struct raft_msg m;
	size_t k;
	int err;

	memcpy(mut, buf, size);
	for (k = 0; k < size; k++) {
		/* the fixed-length decode changed the length field: restore */
		memcpy(mut + OFF_LENGTH, buf + OFF_LENGTH, 4);
		err = exact ? decode_exact(mut, k, RAFT_ENTRY_SIZE_LIMIT,
					   RAFT_MAX_BATCH) :
			      decode(mut, k, &m);
		if (err != RAFT_WIRE_EMALFORMED)
			bad++;
		if (raft_wire_peek(mut, k, CLUSTER, &hdr) !=
		    RAFT_WIRE_EMALFORMED)
			bad_peek++;
		if (k < HDR)
			continue;
		put_le(mut + OFF_LENGTH, k - HDR, 4);
		err = exact ? decode_exact(mut, k, RAFT_ENTRY_SIZE_LIMIT,
					   RAFT_MAX_BATCH) :
			      decode(mut, k, &m);
		if (err != RAFT_WIRE_EMALFORMED)
			bad_fixed++;
	}
	CHECK(!bad, "%u of %zu truncations not refused", bad, size);
	CHECK(!bad_peek, "%u of %zu truncations pass peek", bad_peek, size);
	CHECK(!bad_fixed, "%u truncations with a fixed length accepted",
	      bad_fixed);
}

static void test_trailing(size_t size)
{
	static const size_t extra[] = { 1, 3, 8, 16 };
	struct raft_msg m;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(extra); i++) {
		memcpy(mut, buf, size);
		memset(mut + size, 0, extra[i]);
		CHECK_ERR(decode(mut, size + extra[i], &m),
			  RAFT_WIRE_EMALFORMED, "trailing bytes");
		CHECK_ERR(decode_fixed(size + extra[i]), RAFT_WIRE_EMALFORMED,
			  "trailing bytes counted in length");
		/* as if they were an authentication tag */
		put_le(mut + OFF_LENGTH, size - HDR, 4);
		put_le(mut + OFF_TAG_LEN, extra[i], 2);
		CHECK_ERR(decode(mut, size + extra[i], &m),
			  RAFT_WIRE_EMALFORMED, "a tag is not accepted yet");
	}
}

static void test_padding(const struct tcase *c, size_t size)
{
	static size_t off[16 + 3 * RAFT_MAX_BATCH];
	size_t n = pad_offsets(&c->m, off), i;
	unsigned int bad = 0;
	struct raft_msg m;

	for (i = 0; i < n; i++) {
		memcpy(mut, buf, size);
		if (mut[off[i]])
			bad++;		/* the encoder must write zero */
		mut[off[i]] = 0x01 << (i % 8);
		if (decode(mut, size, &m) != RAFT_WIRE_EMALFORMED)
			bad++;
	}
	CHECK(!bad, "%u of %zu pad bytes not zero or not checked", bad, n);
}

/* Write @v at @off (@n bytes) and expect @want, from an exact copy. */
static void expect_field(size_t size, size_t off, u64 v, int n, int want,
			 const char *what)
{
	memcpy(mut, buf, size);
	put_le(mut + off, v, n);
	reseal(mut, size);
	CHECK_ERR(decode_exact(mut, size, RAFT_ENTRY_SIZE_LIMIT,
			       RAFT_MAX_BATCH), want, what);
}

static void test_header(size_t size)
{
	struct raft_msg m;
	int i;

	for (i = 0; i < 4; i++)
		expect_field(size, OFF_MAGIC + i, buf[OFF_MAGIC + i] ^ 0x20, 1,
			     RAFT_WIRE_EMALFORMED, "bad magic");
	CHECK(buf[OFF_VERSION] == 3, "version %u on the wire", buf[OFF_VERSION]);
	expect_field(size, OFF_VERSION, 0, 1, RAFT_WIRE_EVERSION, "version 0");
	expect_field(size, OFF_VERSION, 1, 1, RAFT_WIRE_EVERSION, "version 1");
	expect_field(size, OFF_VERSION, 2, 1, RAFT_WIRE_EVERSION, "version 2");
	expect_field(size, OFF_VERSION, 4, 1, RAFT_WIRE_EVERSION, "version 4");
	expect_field(size, OFF_VERSION, 255, 1, RAFT_WIRE_EVERSION,
		     "version 255");
	expect_field(size, OFF_TYPE, 0, 1, RAFT_WIRE_ETYPE, "type 0");
	expect_field(size, OFF_TYPE, RAFT_MSG_TYPE_MAX + 1, 1,
		     RAFT_WIRE_ETYPE, "type max + 1");
	expect_field(size, OFF_TYPE, 255, 1, RAFT_WIRE_ETYPE, "type 255");
	expect_field(size, OFF_CLUSTER, CLUSTER + 1, 8, RAFT_WIRE_ECLUSTER,
		     "other cluster");
	expect_field(size, OFF_CLUSTER + 7, 0x91, 1, RAFT_WIRE_ECLUSTER,
		     "cluster high byte");
	CHECK_ERR(raft_wire_decode(buf, size, CLUSTER ^ 1, RAFT_ENTRY_SIZE_LIMIT,
				   &m, ents, RAFT_MAX_BATCH),
		  RAFT_WIRE_ECLUSTER, "decoding for another cluster");
	expect_field(size, OFF_SENDER, 0, 4, RAFT_WIRE_EMALFORMED, "sender 0");
	expect_field(size, OFF_RECEIVER, 0, 4, RAFT_WIRE_EMALFORMED,
		     "receiver 0");
	expect_field(size, OFF_TERM, 0, 8, RAFT_WIRE_EMALFORMED, "term 0");
	expect_field(size, OFF_TERM, RAFT_TERM_LIMIT, 8, RAFT_WIRE_ELIMIT,
		     "term at the limit");
	expect_field(size, OFF_TERM, UINT64_MAX, 8, RAFT_WIRE_ELIMIT,
		     "term 2^64 - 1");
	expect_field(size, OFF_LENGTH, size - HDR + 1, 4, RAFT_WIRE_EMALFORMED,
		     "length field one too many");
	expect_field(size, OFF_LENGTH, UINT32_MAX, 4, RAFT_WIRE_EMALFORMED,
		     "length field 2^32 - 1");
	if (size > HDR)
		expect_field(size, OFF_LENGTH, size - HDR - 1, 4,
			     RAFT_WIRE_EMALFORMED, "length field one short");
}

static void test_case(const struct tcase *c)
{
	size_t size;

	current = c->name;
	if (verbose)
		printf("case: %s\n", c->name);
	memset(buf, 0xee, sizeof(buf));
	size = encode_buf(&c->m);
	if (!size)
		return;
	test_round_trip(c, size);
	test_truncations(size);
	test_trailing(size);
	test_padding(c, size);
	test_header(size);
}

/* --- type-specific malformed payloads ------------------------------------ */

static size_t encode_case(const char *name)
{
	size_t i;

	for (i = 0; i < N_CASES; i++)
		if (!strcmp(cases[i].name, name)) {
			current = name;
			memset(buf, 0xee, sizeof(buf));
			return encode_buf(&cases[i].m);
		}
	CHECK(false, "no case %s", name);
	return 0;
}

static void test_bool_bytes(void)
{
	static const char *const names[] = {
		"prevote_resp granted", "vote_resp rejected",
		"append_resp success", "append_resp reject",
	};
	size_t i, size;

	for (i = 0; i < 4; i++) {
		size = encode_case(names[i]);
		CHECK(buf[HDR] == (i == 0 || i == 2), "bool encoded as %u",
		      buf[HDR]);
		expect_field(size, HDR, 2, 1, RAFT_WIRE_EMALFORMED,
			     "bool byte 2");
		expect_field(size, HDR, 0xff, 1, RAFT_WIRE_EMALFORMED,
			     "bool byte 255");
	}
	size = encode_case("vote for a transfer");
	CHECK(buf[HDR + 16] == 1, "transfer encoded as %u", buf[HDR + 16]);
	expect_field(size, HDR + 16, 0, 1, RAFT_WIRE_OK, "transfer 0");
	expect_field(size, HDR + 16, 2, 1, RAFT_WIRE_EMALFORMED,
		     "transfer byte 2");
}

/* Fields with a limit of RAFT_TERM_LIMIT: at and above it they are refused. */
static void test_value_limits(void)
{
	/* "append three": entry headers, from wire.h */
	const size_t e0 = HDR + 32, e1 = e0 + ENT, e2 = e1 + ENT + 3;
	static const int ok = RAFT_WIRE_OK;
	const struct {
		const char *name;
		size_t off;
		int below;	/* what RAFT_TERM_LIMIT - 1 decodes to */
	} f[] = {
		{ "vote at the limits", HDR + 0, ok },
		{ "vote at the limits", HDR + 8, ok },
		{ "append empty", HDR + 0, ok },
		{ "append empty", HDR + 8, ok },
		{ "append empty", HDR + 16, ok },
		{ "append_resp reject", HDR + 8, ok },
		{ "append_resp reject", HDR + 16, ok },
		{ "append_resp reject", HDR + 24, ok },
		{ "heartbeat", HDR + 0, ok },
		{ "propose one byte", HDR + 8, ok },		/* seq */
		{ "propose one byte", HDR + 16, ok },		/* start */
		{ "propose_resp ok", HDR + 8, ok },		/* seq */
		{ "propose_resp ok", HDR + 16, ok },		/* index */
		{ "propose_resp ok", HDR + 24, ok },		/* term */
		{ "append three", e1 + 16, ok },		/* seq */
		{ "append three", e2 + 16, ok },		/* seq */
		/* a term just below the limit is above the message's */
		{ "append three", e0, RAFT_WIRE_EMALFORMED },
		{ "append three", e2, RAFT_WIRE_EMALFORMED },
	};
	size_t i, size;

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		size = encode_case(f[i].name);
		expect_field(size, f[i].off, RAFT_TERM_LIMIT, 8,
			     RAFT_WIRE_ELIMIT, "value at the limit");
		expect_field(size, f[i].off, UINT64_MAX, 8, RAFT_WIRE_ELIMIT,
			     "value 2^64 - 1");
		expect_field(size, f[i].off, RAFT_TERM_LIMIT - 1, 8,
			     f[i].below, "value just below the limit");
	}
}

static void test_append_counts(void)
{
	const size_t n_off = HDR + 24, extra = ENT + 1;
	struct raft_msg m;
	size_t size;

	size = encode_case("append three");
	expect_field(size, n_off, UINT32_MAX, 4, RAFT_WIRE_ELIMIT,
		     "n_entries 2^32 - 1");
	expect_field(size, n_off, RAFT_MAX_BATCH + 1, 4, RAFT_WIRE_ELIMIT,
		     "n_entries over the batch limit");
	expect_field(size, n_off, 4, 4, RAFT_WIRE_EMALFORMED,
		     "n_entries one more than sent");
	expect_field(size, n_off, 2, 4, RAFT_WIRE_EMALFORMED,
		     "n_entries one less than sent");
	expect_field(size, n_off, 0, 4, RAFT_WIRE_EMALFORMED,
		     "n_entries 0 with entries following");
	CHECK_ERR(decode_n(buf, size, RAFT_ENTRY_SIZE_LIMIT, 2, &m),
		  RAFT_WIRE_ELIMIT, "more entries than room");
	CHECK_ERR(decode_n(buf, size, RAFT_ENTRY_SIZE_LIMIT, 3, &m),
		  RAFT_WIRE_OK, "exactly as many entries as room");
	CHECK(m.append.entries == ents, "entries not in the caller's array");

	size = encode_case("append empty");
	CHECK_ERR(raft_wire_decode(buf, size, CLUSTER, RAFT_ENTRY_SIZE_LIMIT,
				   &m, NULL, 0),
		  RAFT_WIRE_OK, "no entries, no room");
	CHECK(!m.append.n_entries, "n_entries %u", m.append.n_entries);

	size = encode_case("append full batch");
	CHECK_ERR(decode_n(buf, size, RAFT_ENTRY_SIZE_LIMIT,
			   RAFT_MAX_BATCH + 1, &m),
		  RAFT_WIRE_OK, "a full batch with room to spare");
	/* One valid entry more than RAFT_MAX_BATCH, and room for it. */
	memcpy(mut, buf, size);
	memset(mut + size, 0, extra);
	put_le(mut + size, 6, 8);		/* term: the last one's */
	put_le(mut + size + 8, 1, 8);		/* session */
	put_le(mut + size + 16, 1000, 8);	/* seq */
	put_le(mut + size + E_LEN, 1, 2);	/* len */
	put_le(mut + n_off, RAFT_MAX_BATCH + 1, 4);
	put_le(mut + OFF_LENGTH, size + extra - HDR, 4);
	CHECK_ERR(decode_exact(mut, size + extra, RAFT_ENTRY_SIZE_LIMIT,
			       RAFT_MAX_BATCH + 1),
		  RAFT_WIRE_ELIMIT, "a batch over RAFT_MAX_BATCH");
	put_le(mut + n_off, RAFT_MAX_BATCH, 4);
	put_le(mut + OFF_LENGTH, size - HDR, 4);
	CHECK_ERR(decode_exact(mut, size, RAFT_ENTRY_SIZE_LIMIT,
			       RAFT_MAX_BATCH), RAFT_WIRE_OK,
		  "the same batch at RAFT_MAX_BATCH");
}

/* mut[] holds a copy of buf[] with changes; decode it from an exact copy. */
static void expect_mut(size_t size, int want, const char *what)
{
	reseal(mut, size);
	CHECK_ERR(decode_exact(mut, size, RAFT_ENTRY_SIZE_LIMIT,
			       RAFT_MAX_BATCH), want, what);
}

static void test_append_entries(void)
{
	/*
	 * "append three" (term 4, prev_term 0): a NOOP of term 1 at 72, a
	 * NORMAL of term 2 at 104 (+3 data), a NORMAL of term 4 at 139
	 * (+100 data).
	 */
	const size_t e0 = HDR + 32, e1 = e0 + ENT, e2 = e1 + ENT + 3;
	struct raft_msg m;
	size_t size;

	size = encode_case("append three");
	CHECK(get_le(buf + e2 + E_LEN, 2) == 100 &&
	      buf[e0 + E_TYPE] == RAFT_ENTRY_NOOP &&
	      get_le(buf + e2 + E_CRC, 4) == three[2].crc &&
	      get_le(buf + e2 + 8, 8) == UINT64_MAX &&
	      get_le(buf + e2 + 16, 8) == MAXV,
	      "entry layout not as in wire.h");
	expect_field(size, e0 + E_LEN, 0xffff, 2, RAFT_WIRE_ELIMIT,
		     "entry len 2^16 - 1");
	expect_field(size, e0 + E_LEN, RAFT_ENTRY_SIZE_LIMIT + 1, 2,
		     RAFT_WIRE_ELIMIT, "entry len over the entry limit");
	expect_field(size, e2 + E_LEN, 101, 2, RAFT_WIRE_EMALFORMED,
		     "last entry len one beyond the buffer");
	expect_field(size, e2 + E_LEN, 1000, 2, RAFT_WIRE_EMALFORMED,
		     "last entry len beyond the buffer");
	expect_field(size, e1 + E_LEN, 1000, 2, RAFT_WIRE_EMALFORMED,
		     "middle entry len beyond the buffer");
	memcpy(mut, buf, size);
	put_le(mut + e1 + E_LEN, 4, 2);
	CHECK(decode(mut, size, &m) < 0, "entry len off by one accepted");
	expect_field(size, e0, 0, 8, RAFT_WIRE_EMALFORMED, "entry term 0");
	expect_field(size, e1 + E_TYPE, RAFT_ENTRY_CONFIG, 1,
		     RAFT_WIRE_EMALFORMED, "a CONFIG entry with a writer");
	expect_field(size, e1 + E_TYPE, 3, 1, RAFT_WIRE_EMALFORMED,
		     "entry type 3");
	expect_field(size, e1 + E_TYPE, 255, 1, RAFT_WIRE_EMALFORMED,
		     "entry type 255");

	CHECK_ERR(decode_n(buf, size, 100, RAFT_MAX_BATCH, &m), RAFT_WIRE_OK,
		  "entry len equal to max_entry_size");
	CHECK_ERR(decode_n(buf, size, 99, RAFT_MAX_BATCH, &m),
		  RAFT_WIRE_ELIMIT, "entry len over max_entry_size");
	CHECK_ERR(decode_n(buf, size, UINT32_MAX, RAFT_MAX_BATCH, &m),
		  RAFT_WIRE_OK, "huge max_entry_size");
	CHECK(m.append.entries[1].data == buf + e1 + ENT &&
	      m.append.entries[2].data == buf + e2 + ENT,
	      "entry data does not point into the datagram");
	CHECK(m.append.entries[1].session == 0x1122334455ULL &&
	      m.append.entries[1].seq == 1 && !m.append.entries[0].session &&
	      !m.append.entries[0].seq,
	      "entry session and seq not decoded");
}

/* A client entry names its writer; a no-op names nobody and is empty. */
static void test_entry_ids(void)
{
	const size_t e0 = HDR + 32, e1 = e0 + ENT;
	size_t size = encode_case("append three");

	current = "entry session and seq";
	expect_field(size, e1 + 8, 0, 8, RAFT_WIRE_EMALFORMED,
		     "normal entry with session 0");
	expect_field(size, e1 + 16, 0, 8, RAFT_WIRE_EMALFORMED,
		     "normal entry with seq 0");
	expect_field(size, e1 + 8, 1, 8, RAFT_WIRE_OK,
		     "normal entry with session 1");
	expect_field(size, e0 + 8, 1, 8, RAFT_WIRE_EMALFORMED,
		     "noop entry with a session");
	expect_field(size, e0 + 16, 1, 8, RAFT_WIRE_EMALFORMED,
		     "noop entry with a seq");
	expect_field(size, e0 + 8, UINT64_MAX, 8, RAFT_WIRE_EMALFORMED,
		     "noop entry with session 2^64 - 1");
	expect_field(size, e0 + E_TYPE, RAFT_ENTRY_NORMAL, 1, RAFT_WIRE_EMALFORMED,
		     "normal entry with neither session nor seq");
	expect_field(size, e1 + E_TYPE, RAFT_ENTRY_NOOP, 1, RAFT_WIRE_EMALFORMED,
		     "noop entry with a session, a seq and data");

	/* A no-op with data, and nothing else wrong. */
	memcpy(mut, buf, size);
	mut[e1 + E_TYPE] = RAFT_ENTRY_NOOP;
	put_le(mut + e1 + 8, 0, 8);
	put_le(mut + e1 + 16, 0, 8);
	expect_mut(size, RAFT_WIRE_EMALFORMED, "noop entry with data");
	/* ... which was valid once it had a writer and said so */
	mut[e1 + E_TYPE] = RAFT_ENTRY_NORMAL;
	put_le(mut + e1 + 8, 9, 8);
	put_le(mut + e1 + 16, 9, 8);
	expect_mut(size, RAFT_WIRE_OK, "the same entry as a normal one");
}

/*
 * The entries' terms: never above the message's term, never decreasing,
 * and the first not below prev_term.
 */
static void test_entry_terms(void)
{
	const size_t e0 = HDR + 32, e1 = e0 + ENT, e2 = e1 + ENT + 3;
	const size_t prev_term = HDR + 8;
	size_t size = encode_case("append three");

	current = "entry terms";
	expect_field(size, e2, 5, 8, RAFT_WIRE_EMALFORMED,
		     "last entry's term above the message's");
	expect_field(size, e1, 5, 8, RAFT_WIRE_EMALFORMED,
		     "middle entry's term above the message's");
	expect_field(size, e0, 1000, 8, RAFT_WIRE_EMALFORMED,
		     "first entry's term far above the message's");
	memcpy(mut, buf, size);
	put_le(mut + e2, 5, 8);
	put_le(mut + OFF_TERM, 5, 8);
	expect_mut(size, RAFT_WIRE_OK, "the same in a message of that term");

	expect_field(size, e0, 3, 8, RAFT_WIRE_EMALFORMED,
		     "terms 3, 2, 4: decreasing");
	expect_field(size, e2, 1, 8, RAFT_WIRE_EMALFORMED,
		     "terms 1, 2, 1: decreasing");
	expect_field(size, e1, 1, 8, RAFT_WIRE_OK, "terms 1, 1, 4");
	expect_field(size, e1, 4, 8, RAFT_WIRE_OK, "terms 1, 4, 4");
	expect_field(size, e1, 0, 8, RAFT_WIRE_EMALFORMED, "terms 1, 0, 4");

	expect_field(size, prev_term, 2, 8, RAFT_WIRE_EMALFORMED,
		     "first entry's term below prev_term");
	expect_field(size, prev_term, 4, 8, RAFT_WIRE_EMALFORMED,
		     "first entry's term far below prev_term");
	expect_field(size, prev_term, 1, 8, RAFT_WIRE_OK,
		     "first entry's term equal to prev_term");

	/* every entry at the message's term, the first at prev_term */
	size = encode_case("append one term");
	expect_field(size, OFF_TERM, 8, 8, RAFT_WIRE_EMALFORMED,
		     "the message's term one below its entries'");
	expect_field(size, OFF_TERM, 10, 8, RAFT_WIRE_OK,
		     "the message's term one above its entries'");
	expect_field(size, prev_term, 10, 8, RAFT_WIRE_EMALFORMED,
		     "prev_term one above the first entry's");
	expect_field(size, prev_term, 8, 8, RAFT_WIRE_OK,
		     "prev_term one below the first entry's");
	expect_field(size, HDR + 32 + ENT + 2, 8, 8, RAFT_WIRE_EMALFORMED,
		     "the second entry one term below the first");
}

static void test_propose(void)
{
	const size_t len_off = HDR + 24;
	struct raft_msg m;
	size_t size;

	size = encode_case("propose one byte");
	expect_field(size, len_off, 0, 4, RAFT_WIRE_EMALFORMED,
		     "propose len 0 with a byte following");
	memcpy(mut, buf, size);
	put_le(mut + len_off, 0, 4);
	CHECK_ERR(decode_fixed(size - 1), RAFT_WIRE_EMALFORMED,
		  "empty propose");
	expect_field(size, len_off, 2, 4, RAFT_WIRE_EMALFORMED,
		     "propose len beyond the buffer");
	expect_field(size, len_off, UINT32_MAX, 4, RAFT_WIRE_ELIMIT,
		     "propose len 2^32 - 1");
	expect_field(size, len_off, RAFT_ENTRY_SIZE_LIMIT + 1, 4,
		     RAFT_WIRE_ELIMIT, "propose len over the entry limit");
	expect_field(size, HDR, 0, 8, RAFT_WIRE_EMALFORMED,
		     "propose with session 0");
	expect_field(size, HDR + 8, 0, 8, RAFT_WIRE_EMALFORMED,
		     "propose with seq 0");
	expect_field(size, HDR, 1, 8, RAFT_WIRE_OK, "propose with session 1");
	expect_field(size, HDR + 16, 1234, 8, RAFT_WIRE_OK,
		     "propose with a start");
	CHECK_ERR(decode(buf, size, &m), RAFT_WIRE_OK, "propose");
	CHECK(m.propose.data == buf + HDR + 32, "propose data not in place");
	CHECK(m.propose.session == UINT64_MAX && m.propose.seq == 1 &&
	      !m.propose.start, "propose session, seq, start not decoded");

	size = encode_case("propose largest");
	CHECK(get_le(buf + HDR + 16, 8) == MAXV, "propose start not in place");
	CHECK_ERR(decode_n(buf, size, RAFT_ENTRY_SIZE_LIMIT - 1, 0, &m),
		  RAFT_WIRE_ELIMIT, "propose over max_entry_size");

	/* One byte over the hard limit, with the buffer to back it. */
	memcpy(mut, buf, size);
	mut[size] = 0;
	put_le(mut + len_off, RAFT_ENTRY_SIZE_LIMIT + 1, 4);
	put_le(mut + OFF_LENGTH, size + 1 - HDR, 4);
	CHECK_ERR(raft_wire_decode(mut, size + 1, CLUSTER, UINT32_MAX, &m,
				   ents, 0),
		  RAFT_WIRE_ELIMIT, "max_entry_size is capped at the limit");
}

static void test_propose_resp(void)
{
	const size_t st_off = HDR + 32;
	size_t size = encode_case("propose_resp not leader");

	CHECK(get_le(buf + st_off, 4) == (u32)RAFT_ENOTLEADER &&
	      get_le(buf + HDR + 8, 8) == MAXV, "status not at its place");
	expect_field(size, st_off, 1, 4, RAFT_WIRE_EMALFORMED, "status 1");
	expect_field(size, st_off, (u32)(RAFT_ELOST - 1), 4,
		     RAFT_WIRE_EMALFORMED, "status below the known ones");
	expect_field(size, st_off, (u32)INT32_MIN, 4, RAFT_WIRE_EMALFORMED,
		     "status INT32_MIN");
	expect_field(size, st_off, (u32)RAFT_EBUSY, 4, RAFT_WIRE_OK,
		     "status EBUSY");
	expect_field(size, st_off, (u32)RAFT_ESTALE, 4, RAFT_WIRE_OK,
		     "status ESTALE");
	expect_field(size, st_off, (u32)RAFT_ELOST, 4, RAFT_WIRE_OK,
		     "status ELOST");
	expect_field(size, HDR, 0, 8, RAFT_WIRE_EMALFORMED,
		     "propose_resp with session 0");
	expect_field(size, HDR + 8, 0, 8, RAFT_WIRE_EMALFORMED,
		     "propose_resp with seq 0");
}

static void test_garbage(void)
{
	struct raft_wire_hdr hdr;
	struct raft_msg m;
	size_t len;

	current = "garbage";
	memset(mut, 0, sizeof(mut));
	for (len = 0; len <= 2 * HDR; len++)
		CHECK_ERR(decode(mut, len, &m), RAFT_WIRE_EMALFORMED, "zeros");
	CHECK_ERR(decode(NULL, 0, &m), RAFT_WIRE_EMALFORMED, "NULL, 0");
	CHECK_ERR(raft_wire_peek(NULL, 0, CLUSTER, &hdr),
		  RAFT_WIRE_EMALFORMED, "peek NULL, 0");

	/* A datagram over the maximum is refused whatever it says. */
	len = encode_case("heartbeat_resp");
	memcpy(mut, buf, len);
	memset(mut + len, 0, sizeof(mut) - len);
	CHECK_ERR(decode_fixed(RAFT_WIRE_MAX_LEN + 1), RAFT_WIRE_ELIMIT,
		  "one byte over RAFT_WIRE_MAX_LEN");
	current = "oversized";
	CHECK_ERR(raft_wire_peek(mut, RAFT_WIRE_MAX_LEN + 1, CLUSTER, &hdr),
		  RAFT_WIRE_ELIMIT, "peek: one byte over RAFT_WIRE_MAX_LEN");
}

/* --- golden vectors ------------------------------------------------------ */

static const u8 golden_heartbeat[] = {
	0x52, 0x46, 0x54, 0x4c, 0x03, RAFT_MSG_HEARTBEAT, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	1, 0, 0, 0, 2, 0, 0, 0,			/* sender, receiver */
	3, 0, 0, 0, 0, 0, 0, 0,			/* term */
	8, 0, 0, 0, 0, 0, 0, 0,			/* length, tag_len, reserved */
	0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
};

static const u8 golden_vote[] = {
	0x52, 0x46, 0x54, 0x4c, 0x03, RAFT_MSG_VOTE, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	2, 0, 0, 0, 1, 0, 0, 0,			/* sender, receiver */
	9, 0, 0, 0, 0, 0, 0, 0,			/* term */
	24, 0, 0, 0, 0, 0, 0, 0,		/* length, tag_len, reserved */
	0x21, 0, 0, 0, 0, 0, 0, 0,	/* last_index */
	0x08, 0, 0, 0, 0, 0, 0, 0,	/* last_term */
	1, 0, 0, 0, 0, 0, 0, 0,		/* transfer, pad */
};

static const u8 golden_timeout_now[] = {
	0x52, 0x46, 0x54, 0x4c, 0x03, RAFT_MSG_TIMEOUT_NOW, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	1, 0, 0, 0, 2, 0, 0, 0,			/* sender, receiver */
	9, 0, 0, 0, 0, 0, 0, 0,			/* term */
	0, 0, 0, 0, 0, 0, 0, 0,			/* length, tag_len, reserved */
};

static const u8 golden_vote_resp[] = {
	0x52, 0x46, 0x54, 0x4c, 0x03, RAFT_MSG_VOTE_RESP, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	3, 0, 0, 0, 1, 0, 0, 0,			/* sender, receiver */
	9, 0, 0, 0, 0, 0, 0, 0,			/* term */
	8, 0, 0, 0, 0, 0, 0, 0,			/* length, tag_len, reserved */
	0x01, 0, 0, 0, 0, 0, 0, 0,
};

static const u8 golden_append[] = {
	0x52, 0x46, 0x54, 0x4c, 0x03, RAFT_MSG_APPEND, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	1, 0, 0, 0, 3, 0, 0, 0,			/* sender, receiver */
	2, 0, 0, 0, 0, 0, 0, 0,			/* term */
	32 + 32 + 32 + 3, 0, 0, 0, 0, 0, 0, 0,	/* length, tag_len, reserved */
	5, 0, 0, 0, 0, 0, 0, 0,		/* prev_index */
	1, 0, 0, 0, 0, 0, 0, 0,		/* prev_term */
	4, 0, 0, 0, 0, 0, 0, 0,		/* commit */
	2, 0, 0, 0, 0, 0, 0, 0,		/* n_entries, pad */
	2, 0, 0, 0, 0, 0, 0, 0,		/* entry 6: term */
	0, 0, 0, 0, 0, 0, 0, 0,		/* session */
	0, 0, 0, 0, 0, 0, 0, 0,		/* seq */
	0xbd, 0x4f, 0xd8, 0x70,		/* crc: CRC32C of index 6, term 2, ... */
	0, 0, 1, 0,			/* len, type noop, pad */
	2, 0, 0, 0, 0, 0, 0, 0,		/* entry 7: term */
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,	/* session */
	0x02, 0x01, 0, 0, 0, 0, 0, 0,	/* seq */
	0x51, 0x73, 0xbb, 0x08,		/* crc */
	3, 0, 0, 0,			/* len, type normal, pad */
	'a', 'b', 'c',
};

static const u8 golden_propose[] = {
	0x52, 0x46, 0x54, 0x4c, 0x03, RAFT_MSG_PROPOSE, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	2, 0, 0, 0, 1, 0, 0, 0,			/* sender, receiver */
	7, 0, 0, 0, 0, 0, 0, 0,			/* term */
	32 + 2, 0, 0, 0, 0, 0, 0, 0,		/* length, tag_len, reserved */
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,	/* session */
	0x33, 0, 0, 0, 0, 0, 0, 0,	/* seq */
	0x44, 0, 0, 0, 0, 0, 0, 0,	/* start */
	2, 0, 0, 0, 0, 0, 0, 0,		/* len, pad */
	'h', 'i',
};

static const u8 golden_propose_resp[] = {
	0x52, 0x46, 0x54, 0x4c, 0x03, RAFT_MSG_PROPOSE_RESP, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	1, 0, 0, 0, 2, 0, 0, 0,			/* sender, receiver */
	7, 0, 0, 0, 0, 0, 0, 0,			/* term */
	40, 0, 0, 0, 0, 0, 0, 0,			/* length, tag_len, reserved */
	0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28,	/* session */
	0x33, 0, 0, 0, 0, 0, 0, 0,	/* seq */
	0x20, 0, 0, 0, 0, 0, 0, 0,	/* index */
	0x07, 0, 0, 0, 0, 0, 0, 0,	/* term */
	0xf7, 0xff, 0xff, 0xff, 0, 0, 0, 0, /* status -9 (ELOST), pad */
};

/* Version 1 datagrams, as a node of the previous release sends them. */
static const u8 v1_heartbeat[] = {
	0x52, 0x46, 0x54, 0x4c, 0x01, RAFT_MSG_HEARTBEAT, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	1, 0, 0, 0, 2, 0, 0, 0,			/* sender, receiver */
	3, 0, 0, 0, 0, 0, 0, 0,			/* term */
	8, 0, 0, 0, 0, 0, 0, 0,			/* length, tag_len, reserved */
	0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01,
};

static const u8 v1_append[] = {
	0x52, 0x46, 0x54, 0x4c, 0x01, RAFT_MSG_APPEND, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	1, 0, 0, 0, 3, 0, 0, 0,			/* sender, receiver */
	2, 0, 0, 0, 0, 0, 0, 0,			/* term */
	32 + 16 + 3, 0, 0, 0, 0, 0, 0, 0,	/* length, tag_len, reserved */
	5, 0, 0, 0, 0, 0, 0, 0,		/* prev_index */
	2, 0, 0, 0, 0, 0, 0, 0,		/* prev_term */
	4, 0, 0, 0, 0, 0, 0, 0,		/* commit */
	1, 0, 0, 0, 0, 0, 0, 0,		/* n_entries, pad */
	2, 0, 0, 0, 0, 0, 0, 0,		/* v1 entry: term */
	3, 0, 0, 0, 0, 0, 0, 0,		/* len, type normal, pad */
	'a', 'b', 'c',
};

/* Version 2 datagrams: 16-byte votes, entries with a u32 len, no crc. */
static const u8 v2_vote[] = {
	0x52, 0x46, 0x54, 0x4c, 0x02, RAFT_MSG_VOTE, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	2, 0, 0, 0, 1, 0, 0, 0,			/* sender, receiver */
	9, 0, 0, 0, 0, 0, 0, 0,			/* term */
	16, 0, 0, 0, 0, 0, 0, 0,		/* length, tag_len, reserved */
	0x21, 0, 0, 0, 0, 0, 0, 0,	/* last_index */
	0x08, 0, 0, 0, 0, 0, 0, 0,	/* last_term */
};

static const u8 v2_append[] = {
	0x52, 0x46, 0x54, 0x4c, 0x02, RAFT_MSG_APPEND, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	1, 0, 0, 0, 3, 0, 0, 0,			/* sender, receiver */
	2, 0, 0, 0, 0, 0, 0, 0,			/* term */
	32 + 32 + 3, 0, 0, 0, 0, 0, 0, 0,	/* length, tag_len, reserved */
	5, 0, 0, 0, 0, 0, 0, 0,		/* prev_index */
	1, 0, 0, 0, 0, 0, 0, 0,		/* prev_term */
	4, 0, 0, 0, 0, 0, 0, 0,		/* commit */
	1, 0, 0, 0, 0, 0, 0, 0,		/* n_entries, pad */
	2, 0, 0, 0, 0, 0, 0, 0,		/* entry 6: term */
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18,	/* session */
	0x02, 0x01, 0, 0, 0, 0, 0, 0,	/* seq */
	3, 0, 0, 0, 0, 0, 0, 0,		/* v2: u32 len, type normal, pad */
	'a', 'b', 'c',
};

static const u8 v1_propose[] = {
	0x52, 0x46, 0x54, 0x4c, 0x01, RAFT_MSG_PROPOSE, 0x00, 0x00,
	0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11,	/* cluster */
	2, 0, 0, 0, 1, 0, 0, 0,			/* sender, receiver */
	7, 0, 0, 0, 0, 0, 0, 0,			/* term */
	16 + 2, 0, 0, 0, 0, 0, 0, 0,		/* length, tag_len, reserved */
	0x10, 0, 0, 0, 0, 0, 0, 0,	/* v1: forward id */
	2, 0, 0, 0, 0, 0, 0, 0,		/* len, pad */
	'h', 'i',
};

static void check_vector(const char *name, const struct raft_msg *m,
			 const u8 *want, size_t want_len)
{
	struct raft_msg d;
	int n;

	current = name;
	n = raft_wire_encode(m, CLUSTER, buf, sizeof(buf));
	CHECK(n >= 0 && (size_t)n == want_len && !memcmp(buf, want, want_len),
	      "encoding differs from the golden bytes");
	CHECK_ERR(decode(want, want_len, &d), RAFT_WIRE_OK, "golden decode");
	CHECK(wire_msg_eq(m, &d), "golden bytes decode to another message");
}

/* An older version's datagram is refused as such, whatever it holds. */
static void check_v1(const char *name, const u8 *v1, size_t len)
{
	struct raft_wire_hdr hdr;
	u8 *p = exact_copy(v1, len);
	struct raft_msg m;

	current = name;
	CHECK_ERR(raft_wire_peek(p, len, CLUSTER, &hdr), RAFT_WIRE_EVERSION,
		  "peek of an older version's datagram");
	CHECK_ERR(decode(p, len, &m), RAFT_WIRE_EVERSION,
		  "decode of an older version's datagram");
	/* the version, and not the cluster, is what is wrong first */
	CHECK_ERR(raft_wire_decode(p, len, CLUSTER + 1, RAFT_ENTRY_SIZE_LIMIT,
				   &m, ents, RAFT_MAX_BATCH),
		  RAFT_WIRE_EVERSION, "an older version from another cluster");
	free(p);
}

static void test_golden(void)
{
	static const struct raft_entry e[2] = {
		{ .term = 2, .type = RAFT_ENTRY_NOOP, .crc = 0x70d84fbd },
		{ .term = 2, .session = 0x1817161514131211ULL, .seq = 0x102,
		  .len = 3, .type = RAFT_ENTRY_NORMAL, .data = abc,
		  .crc = 0x08bb7351 },
	};
	struct raft_msg vt = { MSG(RAFT_MSG_VOTE, 2, 1, 9),
			       .vote = { .last_index = 0x21, .last_term = 8,
					 .transfer = true } };
	struct raft_msg tn = { MSG(RAFT_MSG_TIMEOUT_NOW, 1, 2, 9) };
	static const u8 hi[] = { 'h', 'i' };
	struct raft_msg hb = { MSG(RAFT_MSG_HEARTBEAT, 1, 2, 3),
			       .heartbeat = { 0x0102030405060708ULL } };
	struct raft_msg vr = { MSG(RAFT_MSG_VOTE_RESP, 3, 1, 9),
			       .vote_resp = { true } };
	struct raft_msg ap = { MSG(RAFT_MSG_APPEND, 1, 3, 2),
			       .append = { .prev_index = 5, .prev_term = 1,
					   .commit = 4, .n_entries = 2,
					   .entries = e } };
	struct raft_msg pp = { MSG(RAFT_MSG_PROPOSE, 2, 1, 7),
			       .propose = { .session = 0x2827262524232221ULL,
					    .seq = 0x33, .start = 0x44,
					    .len = 2, .data = hi } };
	struct raft_msg pr = { MSG(RAFT_MSG_PROPOSE_RESP, 1, 2, 7),
			       .propose_resp = {
				       .session = 0x2827262524232221ULL,
				       .seq = 0x33, .index = 0x20, .term = 7,
				       .status = RAFT_ELOST } };

	CHECK(RAFT_WIRE_HDR_LEN == 40, "header length %d", RAFT_WIRE_HDR_LEN);
	CHECK(RAFT_WIRE_VERSION == 3, "version %d", RAFT_WIRE_VERSION);
	/* the golden crcs (the core's: KUnit's wire_golden_entry) */
	CHECK(ref_entry_crc(6, &e[0]) == e[0].crc &&
	      ref_entry_crc(7, &e[1]) == e[1].crc,
	      "the reference crc differs from the crcs worked out by hand");
	CHECK(RAFT_ENTRY_OVERHEAD == ENT, "RAFT_ENTRY_OVERHEAD %d",
	      RAFT_ENTRY_OVERHEAD);
	/* "RFTL", version 3 */
	check_vector("golden vote", &vt, golden_vote, sizeof(golden_vote));
	check_vector("golden timeout_now", &tn, golden_timeout_now,
		     sizeof(golden_timeout_now));
	check_vector("golden heartbeat", &hb, golden_heartbeat,
		     sizeof(golden_heartbeat));
	check_vector("golden vote_resp", &vr, golden_vote_resp,
		     sizeof(golden_vote_resp));
	check_vector("golden append", &ap, golden_append, sizeof(golden_append));
	check_vector("golden propose", &pp, golden_propose,
		     sizeof(golden_propose));
	check_vector("golden propose_resp", &pr, golden_propose_resp,
		     sizeof(golden_propose_resp));

	check_v1("version 1 heartbeat", v1_heartbeat, sizeof(v1_heartbeat));
	check_v1("version 1 append", v1_append, sizeof(v1_append));
	check_v1("version 1 propose", v1_propose, sizeof(v1_propose));
	check_v1("version 2 vote", v2_vote, sizeof(v2_vote));
	check_v1("version 2 append", v2_append, sizeof(v2_append));
}

/* --- entry crcs --------------------------------------------------------- */

/*
 * Each entry's crc is the leader's, over the entry at its index: any bit
 * of its data, its fields or its crc flipped, or the entries moved to
 * another index, and the whole APPEND is refused (RAFT_WIRE_ECRC) before
 * a follower could store any of it. The encoder only carries it; the
 * decoder hands it on unchanged.
 */
static void test_entry_crc(void)
{
	const size_t e0 = HDR + 32, e1 = e0 + ENT, e2 = e1 + ENT + 3;
	unsigned int missed = 0;
	struct raft_msg m;
	size_t size, bit;

	size = encode_case("append three");
	current = "entry crc";
	CHECK(get_le(buf + e1 + E_CRC, 4) == three[1].crc &&
	      get_le(buf + e2 + E_CRC, 4) == three[2].crc,
	      "the encoder did not carry the crc as given");
	CHECK(three[2].crc == ref_entry_crc(3, &three[2]),
	      "the case's crc is not the leader's");
	CHECK_ERR(decode(buf, size, &m), RAFT_WIRE_OK, "decode");
	CHECK(m.append.entries[2].crc == three[2].crc,
	      "the decoder did not hand the crc on");
	/* every bit of entries 1 and 2 but their pad bytes, flipped */
	for (bit = e1 * 8; bit < size * 8; bit++) {
		if (bit / 8 == e1 + 31 || bit / 8 == e2 + 31)
			continue;	/* pad: refused as malformed */
		memcpy(mut, buf, size);
		mut[bit / 8] ^= 1 << (bit % 8);
		if (decode(mut, size, &m) == RAFT_WIRE_OK)
			missed++;
	}
	CHECK(!missed, "%u flipped bits of entries accepted", missed);
	memcpy(mut, buf, size);
	mut[e2 + ENT + 50] ^= 0x10;
	CHECK_ERR(decode(mut, size, &m), RAFT_WIRE_ECRC, "a flipped data bit");
	memcpy(mut, buf, size);
	mut[e2 + E_CRC] ^= 0x01;
	CHECK_ERR(decode(mut, size, &m), RAFT_WIRE_ECRC, "a flipped crc bit");
	memcpy(mut, buf, size);
	put_le(mut + HDR, 1, 8);	/* the same entries from index 2 on */
	CHECK_ERR(decode(mut, size, &m), RAFT_WIRE_ECRC,
		  "entries at another index than the leader's");
	reseal(mut, size);
	CHECK_ERR(decode(mut, size, &m), RAFT_WIRE_OK,
		  "... whose crcs were made for it");

	/* the encoder writes what it is given, right or wrong */
	three[2].crc ^= 1;
	size = encode_case("append three");
	current = "entry crc";
	CHECK(get_le(buf + e2 + E_CRC, 4) == three[2].crc,
	      "the encoder changed a crc");
	CHECK_ERR(decode(buf, size, &m), RAFT_WIRE_ECRC,
		  "a wrong crc the encoder carried");
	three[2].crc ^= 1;
}

/* --- the encoder refuses what the decoder would ------------------------- */

static void expect_encode(const struct raft_msg *m, int want, const char *what)
{
	current = "encoder refusals";
	CHECK_ERR(raft_wire_encode(m, CLUSTER, buf, sizeof(buf)), want, what);
}

static void test_encode_refusals(void)
{
	static struct raft_entry e;
	static struct raft_entry two_big[2];
	static struct raft_entry two[2];
	struct raft_msg m = { MSG(RAFT_MSG_HEARTBEAT, 1, 2, 3) };

	m.type = 0;
	expect_encode(&m, RAFT_WIRE_ETYPE, "type 0");
	CHECK(!raft_wire_size(&m), "size of type 0");
	m.type = RAFT_MSG_TYPE_MAX + 1;
	expect_encode(&m, RAFT_WIRE_ETYPE, "type max + 1");
	CHECK(!raft_wire_size(&m), "size of type max + 1");

	m = (struct raft_msg){ MSG(RAFT_MSG_HEARTBEAT, 1, 2, 0) };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "term 0");
	m.term = RAFT_TERM_LIMIT;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "term at the limit");
	m = (struct raft_msg){ MSG(RAFT_MSG_HEARTBEAT, 0, 2, 1) };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "sender 0");
	m = (struct raft_msg){ MSG(RAFT_MSG_HEARTBEAT, 1, 0, 1) };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "receiver 0");
	m = (struct raft_msg){ MSG(RAFT_MSG_HEARTBEAT, 1, 2, 1),
			       .heartbeat = { RAFT_TERM_LIMIT } };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "commit at the limit");

	m = (struct raft_msg){ MSG(RAFT_MSG_APPEND, 1, 2, 1),
			       .append = { .n_entries = RAFT_MAX_BATCH + 1,
					   .entries = over_batch } };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "batch over the limit");
	CHECK(!raft_wire_size(&m), "size of a batch over the limit");
	e = (struct raft_entry){ .term = 1, .session = 1, .seq = 1, .type = 3 };
	m.append.n_entries = 1;
	m.append.entries = &e;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "entry type 3");
	e = (struct raft_entry){ .term = 1, .type = RAFT_ENTRY_CONFIG,
				 .len = 1, .data = abc };
	expect_encode(&m, (int)raft_wire_size(&m), "a valid CONFIG entry");
	e.len = 0;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "an empty CONFIG entry");
	e = (struct raft_entry){ .term = 1, .type = RAFT_ENTRY_CONFIG,
				 .session = 1, .seq = 1, .len = 1,
				 .data = abc };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "a CONFIG entry with a writer");
	e = (struct raft_entry){ .term = 0, .session = 1, .seq = 1 };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "entry term 0");
	e = (struct raft_entry){ .term = 1, .session = 1, .seq = 1,
				 .len = RAFT_ENTRY_SIZE_LIMIT + 1,
				 .data = big };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "entry over the limit");

	/* session and seq of entries */
	e = (struct raft_entry){ .term = 1, .session = 1, .seq = 1 };
	expect_encode(&m, (int)raft_wire_size(&m), "a valid entry");
	e.session = 0;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "normal entry, session 0");
	e = (struct raft_entry){ .term = 1, .session = 1 };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "normal entry, seq 0");
	e.seq = RAFT_TERM_LIMIT;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "entry seq at the limit");
	e = (struct raft_entry){ .term = 1, .type = RAFT_ENTRY_NOOP };
	expect_encode(&m, (int)raft_wire_size(&m), "a valid noop");
	e.session = 1;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "noop with a session");
	e = (struct raft_entry){ .term = 1, .seq = 1, .type = RAFT_ENTRY_NOOP };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "noop with a seq");
	e = (struct raft_entry){ .term = 1, .len = 1, .data = abc,
				 .type = RAFT_ENTRY_NOOP };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "noop with data");

	/* terms of entries */
	e = (struct raft_entry){ .term = 2, .session = 1, .seq = 1 };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "entry above the message term");
	m.term = 2;
	expect_encode(&m, (int)raft_wire_size(&m), "entry at the message term");
	m.append.prev_term = 3;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "entry below prev_term");
	m.append.prev_term = 2;
	expect_encode(&m, (int)raft_wire_size(&m), "entry at prev_term");
	two[0] = (struct raft_entry){ .term = 2, .session = 1, .seq = 1 };
	two[1] = (struct raft_entry){ .term = 1, .session = 1, .seq = 2 };
	m = (struct raft_msg){ MSG(RAFT_MSG_APPEND, 1, 2, 2),
			       .append = { .n_entries = 2, .entries = two } };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "decreasing terms");
	two[1].term = 2;
	expect_encode(&m, (int)raft_wire_size(&m), "equal terms");

	two_big[0] = one_big[0];
	two_big[1] = one_big[0];
	m = (struct raft_msg){ MSG(RAFT_MSG_APPEND, 1, 2, 5),
			       .append = { .n_entries = 2,
					   .entries = two_big } };
	expect_encode(&m, RAFT_WIRE_ELIMIT, "datagram over the maximum");

	m = (struct raft_msg){ MSG(RAFT_MSG_PROPOSE, 1, 2, 1),
			       .propose = { .session = 1, .seq = 1 } };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "empty propose");
	m.propose.len = 1;
	m.propose.data = abc;
	expect_encode(&m, (int)raft_wire_size(&m), "a valid propose");
	m.propose.session = 0;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "propose, session 0");
	m.propose.session = 1;
	m.propose.seq = 0;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "propose, seq 0");
	m.propose.seq = RAFT_TERM_LIMIT;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "propose, seq at the limit");
	m.propose.seq = 1;
	m.propose.start = RAFT_TERM_LIMIT;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "propose, start at the limit");

	m = (struct raft_msg){ MSG(RAFT_MSG_PROPOSE_RESP, 1, 2, 1),
			       .propose_resp = { .session = 1, .seq = 1,
						 .status = 1 } };
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "unknown status");
	m.propose_resp.status = RAFT_ELOST - 1;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "status below ELOST");
	m.propose_resp.status = RAFT_ELOST;
	expect_encode(&m, (int)raft_wire_size(&m), "status ELOST");
	m.propose_resp.session = 0;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "propose_resp, session 0");
	m.propose_resp.session = 1;
	m.propose_resp.seq = 0;
	expect_encode(&m, RAFT_WIRE_EMALFORMED, "propose_resp, seq 0");
}

/*
 * The authentication trailer: a sealed datagram verifies under its key
 * only, every flipped bit (header, payload, epoch, counter, tag) breaks
 * it, and the payload decodes as before.
 */
static void test_auth_trailer(void)
{
	static u8 sealed[BUF_LEN];
	u8 key[RAFT_MAC_KEY_LEN], other[RAFT_MAC_KEY_LEN];
	struct raft_wire_hdr hdr;
	struct raft_msg m;
	u64 epoch = 0, counter = 0;
	int len, n;
	size_t i;

	current = "auth trailer";
	for (i = 0; i < sizeof(key); i++) {
		key[i] = (u8)(i * 7 + 1);
		other[i] = key[i] ^ (i == 5);
	}
	len = raft_wire_encode(&cases[0].m, CLUSTER, sealed, sizeof(sealed));
	CHECK(len > 0, "encode: %d", len);
	if (len <= 0)
		return;
	CHECK_ERR(raft_wire_seal(sealed, (size_t)len, (size_t)len + 31, key,
				 9, 77), RAFT_WIRE_ENOSPC, "no room for it");
	n = raft_wire_seal(sealed, (size_t)len, sizeof(sealed), key, 9, 77);
	CHECK(n == len + RAFT_WIRE_AUTH_LEN, "sealed length %d", n);
	CHECK_ERR(raft_wire_peek(sealed, (size_t)n, CLUSTER, &hdr),
		  RAFT_WIRE_OK, "peek of a sealed datagram");
	CHECK(hdr.auth_len == RAFT_WIRE_AUTH_LEN && hdr.length == (u32)len - HDR,
	      "auth_len %u length %u", hdr.auth_len, hdr.length);
	CHECK(raft_wire_verify(sealed, (size_t)n, &hdr, key, &epoch, &counter),
	      "verifies under its key");
	CHECK(epoch == 9 && counter == 77, "epoch %llu counter %llu",
	      (unsigned long long)epoch, (unsigned long long)counter);
	CHECK(!raft_wire_verify(sealed, (size_t)n, &hdr, other, &epoch,
				&counter), "verifies under another key");
	CHECK_ERR(raft_wire_decode(sealed, (size_t)n, CLUSTER,
				   RAFT_ENTRY_SIZE_LIMIT, &m, ents,
				   RAFT_MAX_BATCH), RAFT_WIRE_OK,
		  "decode of a sealed datagram");
	CHECK(wire_msg_eq(&cases[0].m, &m), "sealed payload decodes the same");
	for (i = 0; i < (size_t)n * 8; i++) {
		bool ok;

		sealed[i / 8] ^= 1 << (i % 8);
		ok = raft_wire_peek(sealed, (size_t)n, CLUSTER, &hdr) ==
		     RAFT_WIRE_OK &&
		     raft_wire_verify(sealed, (size_t)n, &hdr, key, &epoch,
				      &counter);
		sealed[i / 8] ^= 1 << (i % 8);
		CHECK(!ok, "bit %zu flipped still verifies", i);
	}
	CHECK_ERR(raft_wire_peek(sealed, (size_t)n - 1, CLUSTER, &hdr),
		  RAFT_WIRE_EMALFORMED, "a truncated trailer");
	/* an unsealed datagram has nothing to verify */
	CHECK_ERR(raft_wire_peek(sealed, (size_t)len, CLUSTER, &hdr),
		  RAFT_WIRE_EMALFORMED, "tag_len set, no trailer");
	len = raft_wire_encode(&cases[0].m, CLUSTER, sealed, sizeof(sealed));
	CHECK_ERR(raft_wire_peek(sealed, (size_t)len, CLUSTER, &hdr),
		  RAFT_WIRE_OK, "peek of an insecure datagram");
	CHECK(!raft_wire_verify(sealed, (size_t)len, &hdr, key, &epoch,
				&counter), "an insecure datagram verifies");
}

static void test_strerror(void)
{
	int i, j;

	current = "strerror";
	for (i = RAFT_WIRE_ECRC; i <= RAFT_WIRE_OK; i++) {
		CHECK(raft_wire_strerror(i) && *raft_wire_strerror(i),
		      "no text for %d", i);
		for (j = RAFT_WIRE_ECRC; j < i; j++)
			CHECK(strcmp(raft_wire_strerror(i),
				     raft_wire_strerror(j)),
			      "%d and %d read the same", i, j);
	}
	CHECK(raft_wire_strerror(-100), "unknown code");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && !strcmp(argv[1], "--help")) {
		printf("Usage: %s [-v]\n"
		       "Unit tests of the raftlog wire codec; prints failed\n"
		       "checks and `N passed, N failed`, exits 1 on failure.\n",
		       argv[0]);
		return 0;
	}
	verbose = argc > 1 && !strcmp(argv[1], "-v");
	fill_entries();
	for (i = 0; i < N_CASES; i++) {
		cases[i].m.after_persist = true;	/* must not travel */
		test_case(&cases[i]);
	}
	test_bool_bytes();
	test_value_limits();
	test_append_counts();
	test_append_entries();
	test_entry_ids();
	test_entry_terms();
	test_propose();
	test_propose_resp();
	test_garbage();
	test_golden();
	test_entry_crc();
	test_encode_refusals();
	test_auth_trailer();
	test_strerror();
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
