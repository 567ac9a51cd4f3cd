// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the wire decoder: arbitrary bytes must never make
 * raft_wire_decode() read outside the datagram or crash, and whatever it
 * accepts must be the one canonical encoding of the message it returns:
 * encode(decode(b)) == b, raft_wire_size() agrees, and decode(encode(m))
 * gives m back. Any violation aborts, which libFuzzer reports as a crash.
 */
#include <stdio.h>
#include <stdlib.h>

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

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct raft_msg m;
	int err;

	memset(&m, 0xa5, sizeof(m));
	err = raft_wire_decode(data, size, FUZZ_CLUSTER_ID,
			       RAFT_ENTRY_SIZE_LIMIT, &m, ents,
			       RAFT_MAX_BATCH);
	if (err > 0 || err < RAFT_WIRE_ELIMIT)
		FAIL("decode returned %d", err);
	if (!raft_wire_strerror(err))
		FAIL("no strerror for %d", err);
	check_peek(data, size, err, &m);
	check_small_limit(data, size, err);
	if (err)
		return 0;
	if (m.after_persist)
		FAIL("after_persist set by decode");
	check_round_trip(data, size, &m);
	check_auth(data, size, &m, raft_wire_size(&m));
	return 0;
}
