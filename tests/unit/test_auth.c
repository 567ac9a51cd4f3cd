// SPDX-License-Identifier: GPL-2.0
/*
 * test_auth: keyed BLAKE2s against RFC 7693's and Python's hashlib
 * vectors (kmod/raft/blake2s.c, the userspace twin of the kernel's
 * lib/crypto BLAKE2s), and the replay window of kmod/raft/auth.c as a
 * table: what a receiver accepts, and what it refuses as a replay.
 *
 * usage: test_auth    (ends with "auth: N passed, N failed")
 */
#include <stdio.h>

#include "auth.h"

static int passed, failed;

static void check(bool ok, const char *what)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s\n", what);
	}
}

static void hex(char *out, const u8 *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

static void test_blake2s(void)
{
	/* hashlib.blake2s(bytes(range(len)), key=bytes(range(32)), digest_size=16) */
	static const struct {
		size_t len;
		const char *tag;
	} v[] = {
		{ 0, "9536f9b267655743dee97b8a670f9f53" },
		{ 1, "13bacfb85b48a1223c595f8c1e7e82cb" },
		{ 64, "f1efa90d2547036841ecd3627fafbc36" },
		{ 65, "811ff8686d23a435ecbd0bdafcd27b1b" },
		{ 255, "cd075928ab7e6883e697fe7fd3ac43ee" },
	};
	u8 key[RAFT_MAC_KEY_LEN], msg[255], tag[RAFT_MAC_LEN], out[32];
	char h[65];
	size_t i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (u8)i;
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (u8)i;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		raft_mac(tag, key, msg, v[i].len);
		hex(h, tag, sizeof(tag));
		check(!strcmp(h, v[i].tag), "keyed BLAKE2s-128 vector");
	}
	/* RFC 7693, appendix B: BLAKE2s-256("abc") */
	raft_blake2s(out, 32, NULL, 0, "abc", 3);
	hex(h, out, 32);
	check(!strcmp(h, "508c5e8c327c14e2e1a72ba34eeb452f"
			 "37458b209ed63a294d999b4c86675982"), "RFC 7693 abc");
	raft_mac(tag, key, msg, 10);
	msg[3] ^= 1;
	raft_mac(out, key, msg, 10);
	check(!raft_tag_equal(tag, out), "one flipped bit changes the tag");
	key[0] ^= 1;
	msg[3] ^= 1;
	raft_mac(out, key, msg, 10);
	check(!raft_tag_equal(tag, out), "another key changes the tag");
}

static void test_replay(void)
{
	static const struct {
		u64 epoch, counter;
		bool accept;
		const char *why;
	} steps[] = {
		{ 5, 0, false, "counter 0 is never sent" },
		{ 5, 1, true, "first datagram" },
		{ 5, 1, false, "the same again" },
		{ 5, 3, true, "a gap" },
		{ 5, 2, true, "late, inside the window" },
		{ 5, 2, false, "late, twice" },
		{ 5, 3 + RAFT_REPLAY_WINDOW, true, "far ahead" },
		{ 5, 3, false, "now older than the window" },
		{ 5, 4 + RAFT_REPLAY_WINDOW - RAFT_REPLAY_WINDOW + 1, true,
		  "the oldest counter still inside" },
		{ 4, 100000, false, "an older epoch" },
		{ 6, 1, true, "the sender restarted" },
		{ 5, 3 + RAFT_REPLAY_WINDOW, false, "its old life is gone" },
		{ 6, 1, false, "the new life's first, again" },
	};
	struct raft_replay w = { 0 };
	char what[128];
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		bool got = raft_replay_accept(&w, steps[i].epoch,
					      steps[i].counter);

		snprintf(what, sizeof(what), "replay step %zu: %s", i,
			 steps[i].why);
		check(got == steps[i].accept, what);
	}
}

/* Every counter of a long stream, reordered in blocks, is taken once. */
static void test_replay_stream(void)
{
	struct raft_replay w = { 0 };
	u64 base, j, taken = 0, dup = 0;

	for (base = 0; base < 100000; base += 64) {
		for (j = 64; j > 0; j--) {	/* each block backwards */
			taken += raft_replay_accept(&w, 1, base + j);
			dup += raft_replay_accept(&w, 1, base + j);
		}
	}
	check(dup == 0, "no duplicate accepted in a stream");
	check(taken == base, "a reordered stream is accepted");
}

int main(void)
{
	test_blake2s();
	test_replay();
	test_replay_stream();
	printf("auth: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
