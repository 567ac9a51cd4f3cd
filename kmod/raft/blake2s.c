// SPDX-License-Identifier: GPL-2.0
/*
 * Keyed BLAKE2s (RFC 7693) for the userspace builds of the core: tests,
 * the simulator, fuzzers. The kernel build never compiles this file: there
 * raft_mac() is the kernel's own lib/crypto BLAKE2s (platform.h). Both
 * give the same tags; tests/unit/test_auth.c checks RFC vectors here and
 * the KUnit suite checks the same vectors against the kernel's.
 */
#include "platform.h"

#ifndef __KERNEL__

static const u32 iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static const u8 sigma[10][16] = {
	{ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 },
	{ 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3 },
	{ 11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4 },
	{ 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8 },
	{ 9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13 },
	{ 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9 },
	{ 12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11 },
	{ 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10 },
	{ 6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5 },
	{ 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0 },
};

struct b2s {
	u32 h[8];
	u32 t[2];
	u8 buf[64];
	size_t n;
};

static u32 ror32(u32 v, unsigned int s)
{
	return (v >> s) | (v << (32 - s));
}

/* The G function of RFC 7693, 3.1. */
static void mix(u32 *v, int a, int b, int c, int d, u32 x, u32 y)
{
	v[a] += v[b] + x;
	v[d] = ror32(v[d] ^ v[a], 16);
	v[c] += v[d];
	v[b] = ror32(v[b] ^ v[c], 12);
	v[a] += v[b] + y;
	v[d] = ror32(v[d] ^ v[a], 8);
	v[c] += v[d];
	v[b] = ror32(v[b] ^ v[c], 7);
}

static void compress(struct b2s *s, const u8 *block, bool last)
{
	u32 m[16], v[16];
	int i, r;

	for (i = 0; i < 16; i++)
		m[i] = raft_get_le32(block + 4 * i);
	for (i = 0; i < 8; i++) {
		v[i] = s->h[i];
		v[i + 8] = iv[i];
	}
	v[12] ^= s->t[0];
	v[13] ^= s->t[1];
	if (last)
		v[14] = ~v[14];
	for (r = 0; r < 10; r++) {
		const u8 *p = sigma[r];

		mix(v, 0, 4, 8, 12, m[p[0]], m[p[1]]);
		mix(v, 1, 5, 9, 13, m[p[2]], m[p[3]]);
		mix(v, 2, 6, 10, 14, m[p[4]], m[p[5]]);
		mix(v, 3, 7, 11, 15, m[p[6]], m[p[7]]);
		mix(v, 0, 5, 10, 15, m[p[8]], m[p[9]]);
		mix(v, 1, 6, 11, 12, m[p[10]], m[p[11]]);
		mix(v, 2, 7, 8, 13, m[p[12]], m[p[13]]);
		mix(v, 3, 4, 9, 14, m[p[14]], m[p[15]]);
	}
	for (i = 0; i < 8; i++)
		s->h[i] ^= v[i] ^ v[i + 8];
}

static void count(struct b2s *s, u32 n)
{
	s->t[0] += n;
	if (s->t[0] < n)
		s->t[1]++;
}

static void update(struct b2s *s, const u8 *in, size_t len)
{
	while (len) {
		size_t take;

		if (s->n == 64) {	/* full, and more follows: not last */
			count(s, 64);
			compress(s, s->buf, false);
			s->n = 0;
		}
		take = 64 - s->n < len ? 64 - s->n : len;
		memcpy(s->buf + s->n, in, take);
		s->n += take;
		in += take;
		len -= take;
	}
}

void raft_blake2s(u8 *out, size_t outlen, const u8 *key, size_t keylen,
		  const void *in, size_t inlen)
{
	struct b2s s = { .n = 0 };
	u8 full[32];
	int i;

	memcpy(s.h, iv, sizeof(iv));
	s.h[0] ^= 0x01010000U ^ (u32)(keylen << 8) ^ (u32)outlen;
	if (keylen) {
		u8 block[64] = { 0 };

		memcpy(block, key, keylen);
		update(&s, block, 64);
	}
	update(&s, in, inlen);
	count(&s, (u32)s.n);
	memset(s.buf + s.n, 0, 64 - s.n);
	compress(&s, s.buf, true);
	for (i = 0; i < 8; i++)
		raft_put_le32(s.h[i], full + 4 * i);
	memcpy(out, full, outlen);
}

#endif /* !__KERNEL__ */
