// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the wire decoder: arbitrary bytes must never make
 * raft_wire_decode() read outside the datagram or crash, and whatever it
 * accepts must be the one canonical encoding of the message it returns:
 * encode(decode(b)) == b, raft_wire_size() agrees, and decode(encode(m))
 * gives m back. Fragments (frag.h): an input that is one is fed to a
 * reassembler, which must refuse it or hold it; an accepted message, cut
 * into fragments at a size the input picks and fed back in an order it
 * picks (with a duplicate), must come back whole and identical. Any
 * violation aborts, which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>

#include "frag.h"
#include "wire.h"
#include "fuzz.h"
#include "wire_eq.h"

#define FAIL(...) do {					\
		fprintf(stderr, "fuzz_wire: " __VA_ARGS__);	\
		fputc('\n', stderr);				\
		abort();					\
	} while (0)

/* A smaller limit than the largest, to exercise the limit checks too. */
#define SMALL_ENTRY_SIZE	64

static struct raft_entry ents[RAFT_MAX_BATCH];
static struct raft_entry ents2[RAFT_MAX_BATCH];
static u8 out[RAFT_WIRE_DGRAM_MAX];
static u8 frags[RAFT_FRAG_MAX][RAFT_DGRAM_MAX];
static int frag_len[RAFT_FRAG_MAX];
static const u8 key[RAFT_MAC_KEY_LEN] = "raftlog fuzz key: not a secret";

static void check_peek(const u8 *data, size_t size, int err,
		       const struct raft_msg *m)
{
	struct raft_wire_hdr hdr;
	int perr = raft_wire_peek(data, size, FUZZ_CLUSTER_ID, &hdr);

	/* What peek accepts, decode may still reject for its payload. */
	if (!err && perr)
		FAIL("peek rejects (%d) what decode accepts", perr);
	if (perr && err != perr)
		FAIL("peek says %d, decode %d", perr, err);
	if (!err && (hdr.type != m->type || hdr.sender != m->from ||
		     hdr.receiver != m->to || hdr.term != m->term ||
		     hdr.length != size - RAFT_WIRE_HDR_LEN - hdr.auth_len))
		FAIL("peek header differs from decode");
}

/*
 * The authenticated path: the fuzzer cannot make a tag our key verifies;
 * what we seal verifies, decodes the same, and breaks at any flipped bit.
 */
static void check_auth(const u8 *data, size_t size, const struct raft_msg *m,
		       size_t plain)
{
	struct raft_wire_hdr hdr;
	struct raft_msg m2;
	u64 e, c;
	int n;

	if (!raft_wire_peek(data, size, FUZZ_CLUSTER_ID, &hdr) &&
	    raft_wire_verify(data, size, &hdr, key, &e, &c))
		FAIL("a fuzzed trailer verifies");
	n = raft_wire_encode(m, FUZZ_CLUSTER_ID, out, sizeof(out));
	if (n < 0 || (size_t)n != plain)
		FAIL("encode for sealing returned %d", n);
	n = raft_wire_seal(out, plain, sizeof(out), key, 7, size + 1);
	if (n != (int)(plain + RAFT_WIRE_AUTH_LEN))
		FAIL("seal returned %d", n);
	if (raft_wire_peek(out, n, FUZZ_CLUSTER_ID, &hdr) ||
	    !raft_wire_verify(out, n, &hdr, key, &e, &c) || e != 7 ||
	    c != size + 1)
		FAIL("a sealed datagram does not verify");
	if (raft_wire_decode(out, n, FUZZ_CLUSTER_ID, RAFT_ENTRY_SIZE_LIMIT,
			     &m2, ents2, RAFT_MAX_BATCH) ||
	    !wire_msg_eq(m, &m2))
		FAIL("a sealed datagram decodes differently");
	out[size % n] ^= 0x10;
	if (!raft_wire_peek(out, n, FUZZ_CLUSTER_ID, &hdr) &&
	    raft_wire_verify(out, n, &hdr, key, &e, &c))
		FAIL("a sealed datagram with a flipped bit verifies");
}

static void check_round_trip(const u8 *data, size_t size,
			     const struct raft_msg *m)
{
	struct raft_msg m2;
	size_t want = raft_wire_size(m);
	int n, err;

	bool sealed = want != size && want + RAFT_WIRE_AUTH_LEN == size;

	if (sealed)
		size = want;	/* it came with a trailer: compare the rest */
	if (want != size)
		FAIL("raft_wire_size %zu for a %zu byte datagram", want, size);
	n = raft_wire_encode(m, FUZZ_CLUSTER_ID, out, size - 1);
	if (n != RAFT_WIRE_ENOSPC)
		FAIL("encode into %zu bytes returned %d", size - 1, n);
	n = raft_wire_encode(m, FUZZ_CLUSTER_ID, out, sizeof(out));
	if (n < 0 || (size_t)n != size)
		FAIL("encode returned %d for a %zu byte datagram", n, size);
	/* a trailer's datagram differs only in tag_len (bytes 36, 37) */
	if (sealed ? memcmp(out, data, 36) || memcmp(out + 38, data + 38,
						     size - 38) :
		     memcmp(out, data, size))
		FAIL("encoding is not canonical");
	err = raft_wire_decode(out, size, FUZZ_CLUSTER_ID,
			       RAFT_ENTRY_SIZE_LIMIT, &m2, ents2,
			       RAFT_MAX_BATCH);
	if (err)
		FAIL("re-decode failed: %d", err);
	if (m2.after_persist || !wire_msg_eq(m, &m2))
		FAIL("decode(encode(m)) != m");
}

/* A tighter limit may only turn success into ELIMIT, never into success. */
static void check_small_limit(const u8 *data, size_t size, int err)
{
	struct raft_msg m;
	int e = raft_wire_decode(data, size, FUZZ_CLUSTER_ID,
				 SMALL_ENTRY_SIZE, &m, ents2, 4);

	if (!e && err)
		FAIL("small limits accept (%d) what large limits reject", err);
	if (e && !err && e != RAFT_WIRE_ELIMIT)
		FAIL("small limits reject with %d, not ELIMIT", e);
}

/* An input that is a fragment: held or refused, never a message alone. */
static void check_frag_input(const u8 *data, size_t size)
{
	struct raft_frag_rx rx = { 0 };
	struct raft_wire_hdr hdr;
	const u8 *msg;
	int r;

	if (raft_wire_peek(data, size, FUZZ_CLUSTER_ID, &hdr) ||
	    !(hdr.flags & RAFT_WIRE_F_FRAG))
		return;
	r = raft_frag_add(&rx, data, size, &hdr, 0, &msg);
	if (r > 0)
		FAIL("one fragment made a whole message");
	if (r == 0 && raft_frag_add(&rx, data, size, &hdr, 1, &msg) >= 0)
		FAIL("the same fragment was taken twice");
	raft_frag_rx_free(&rx);
}

/* Feeds fragment @i; returns raft_frag_add()'s result. */
static int frag_feed(struct raft_frag_rx *rx, u32 i, u64 now,
		     const u8 **msg)
{
	struct raft_wire_hdr hdr;

	if (raft_wire_peek(frags[i], frag_len[i], FUZZ_CLUSTER_ID, &hdr))
		FAIL("fragment %u does not peek", i);
	return raft_frag_add(rx, frags[i], frag_len[i], &hdr, now, msg);
}

/*
 * @m (encoded in @enc, @len bytes) cut at a max_datagram @data picks,
 * fed back rotated by a step it picks, fragment 0 twice; then again with
 * a fragment of another message in between and one past the timeout.
 */
static void check_frag_round_trip(const u8 *data, size_t size,
				  const u8 *enc, size_t len)
{
	size_t max = RAFT_DGRAM_MIN + (data[size / 2] * 61U) % 1500;
	u32 count = raft_frag_count(len, max, 0), i, k, rot;
	struct raft_frag_rx rx = { 0 };
	const u8 *msg = NULL;
	int r = 0;

	if (count == 1)
		return;
	if (count < 2 || count > RAFT_FRAG_MAX)
		FAIL("%u fragments for %zu bytes at %zu", count, len, max);
	for (i = 0; i < count; i++) {
		frag_len[i] = raft_frag_build(enc, len, 77, i, max, 0,
					      frags[i], sizeof(frags[i]));
		if (frag_len[i] <= 0 || (size_t)frag_len[i] > max)
			FAIL("fragment %u of %u: %d bytes", i, count,
			     frag_len[i]);
	}
	rot = data[size - 1] % count;
	for (k = 0; k < count; k++) {
		i = (k + rot) % count;
		r = frag_feed(&rx, i, k, &msg);
		if (k < count - 1 && r)
			FAIL("fragment %u of %u returned %d early", i, count, r);
		if (k == 0 && frag_feed(&rx, i, k, &msg) >= 0)
			FAIL("a duplicate fragment was taken");
	}
	if (r != (int)len || memcmp(msg, enc, len))
		FAIL("reassembly of %u fragments: %d bytes, want %zu", count, r,
		     len);
	if (rx.dropped)
		FAIL("a complete message counted as dropped");
	/* a partial message times out: its late fragments make no message */
	frag_feed(&rx, 0, 0, &msg);
	for (i = 1; i < count; i++)
		if (frag_feed(&rx, i, RAFT_FRAG_TIMEOUT_MS + 1 + i, &msg) > 0)
			FAIL("a message completed across its timeout");
	if (!rx.dropped)
		FAIL("a timed-out partial message was not counted");
	raft_frag_rx_free(&rx);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct raft_msg m;
	int err;

	memset(&m, 0xa5, sizeof(m));
	err = raft_wire_decode(data, size, FUZZ_CLUSTER_ID,
			       RAFT_ENTRY_SIZE_LIMIT, &m, ents,
			       RAFT_MAX_BATCH);
	if (err > 0 || err < RAFT_WIRE_ECRC || err == RAFT_WIRE_ENOSPC)
		FAIL("decode returned %d", err);
	if (!raft_wire_strerror(err))
		FAIL("no strerror for %d", err);
	check_peek(data, size, err, &m);
	check_small_limit(data, size, err);
	check_frag_input(data, size);
	if (err)
		return 0;
	if (m.after_persist)
		FAIL("after_persist set by decode");
	check_round_trip(data, size, &m);
	check_auth(data, size, &m, raft_wire_size(&m));
	check_frag_round_trip(data, size, out,
			      raft_wire_encode(&m, FUZZ_CLUSTER_ID, out,
					       sizeof(out)));
	return 0;
}
