/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place where the portable Raft core meets its environment: the
 * kernel (module and KUnit) or a hosted C11 userspace (tests, fuzzers).
 * Nothing else in kmod/raft/ includes a kernel or libc header.
 */
#ifndef RAFT_PLATFORM_H
#define RAFT_PLATFORM_H

#ifdef __KERNEL__
#include <linux/build_bug.h>	/* static_assert() */
#include <linux/types.h>
#include <linux/string.h>
#include <linux/slab.h>
#include <linux/kernel.h>
#include <linux/crc32.h>

/*
 * The core runs only in the instance's event loop: process context. A
 * memory-only log array outgrows what kmalloc can give, hence kvmalloc;
 * kvrealloc() changed its arguments in 6.12, hence the copy by hand.
 */
static inline void *raft_alloc(size_t size)
{
	return kvmalloc(size, GFP_KERNEL);
}

static inline void raft_free(void *p)
{
	kvfree(p);
}

static inline void *raft_realloc(void *p, size_t old, size_t size)
{
	void *n = kvmalloc(size, GFP_KERNEL);

	if (n && p)
		memcpy(n, p, old < size ? old : size);
	if (n)
		kvfree(p);
	return n;
}

#else /* userspace: tests, simulator, fuzzers */

#include <assert.h>		/* static_assert() */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT32_TYPE__ s32;
typedef __INT64_TYPE__ s64;

static inline void *raft_alloc(size_t size)
{
	return malloc(size);
}

static inline void *raft_realloc(void *p, size_t old, size_t size)
{
	(void)old;
	return realloc(p, size);
}

static inline void raft_free(void *p)
{
	free(p);
}

#endif /* __KERNEL__ */

/*
 * CRC32C without the inversions (the caller seeds with ~0 and inverts the
 * result). The kernel has it built in (lib/crc32.c). Userspace builds get
 * a bitwise loop; one with a faster routine of the kernel's name (raftlogd)
 * defines RAFT_PLATFORM_CRC32C and links it.
 */
#if defined(__KERNEL__) || defined(RAFT_PLATFORM_CRC32C)
#ifndef __KERNEL__
u32 __crc32c_le(u32 crc, const unsigned char *p, size_t len);
#endif
static inline u32 raft_crc32c(u32 crc, const void *p, size_t len)
{
	return __crc32c_le(crc, p, len);
}
#else
static inline u32 raft_crc32c(u32 crc, const void *p, size_t len)
{
	const u8 *b = p;
	int k;

	while (len--) {
		crc ^= *b++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & (0U - (crc & 1)));
	}
	return crc;
}
#endif

/*
 * Datagram authentication: keyed BLAKE2s with a 32-byte key and a 16-byte
 * tag. The kernel has it built in (lib/crypto, used by the RNG, so every
 * Debian kernel carries it); userspace builds take kmod/raft/blake2s.c.
 */
#define RAFT_MAC_KEY_LEN	32
#define RAFT_MAC_LEN		16

#ifdef __KERNEL__
#include <crypto/algapi.h>
#include <crypto/blake2s.h>

static inline void raft_mac(u8 *tag, const u8 *key, const void *in,
			    size_t len)
{
	blake2s(tag, in, key, RAFT_MAC_LEN, len, RAFT_MAC_KEY_LEN);
}

static inline bool raft_tag_equal(const u8 *a, const u8 *b)
{
	return !crypto_memneq(a, b, RAFT_MAC_LEN);
}
#else
void raft_blake2s(u8 *out, size_t outlen, const u8 *key, size_t keylen,
		  const void *in, size_t inlen);

static inline void raft_mac(u8 *tag, const u8 *key, const void *in,
			    size_t len)
{
	raft_blake2s(tag, RAFT_MAC_LEN, key, RAFT_MAC_KEY_LEN, in, len);
}

/* In time independent of where they differ. */
static inline bool raft_tag_equal(const u8 *a, const u8 *b)
{
	u8 d = 0;
	int i;

	for (i = 0; i < RAFT_MAC_LEN; i++)
		d |= a[i] ^ b[i];
	return !d;
}
#endif

/*
 * Little-endian access at any alignment, byte by byte: the same code in
 * every build, with no header that moved between kernel versions.
 */
static inline void raft_put_le16(u16 v, void *p)
{
	u8 *b = p;

	b[0] = v;
	b[1] = v >> 8;
}

static inline void raft_put_le32(u32 v, void *p)
{
	raft_put_le16(v, p);
	raft_put_le16(v >> 16, (u8 *)p + 2);
}

static inline void raft_put_le64(u64 v, void *p)
{
	raft_put_le32(v, p);
	raft_put_le32(v >> 32, (u8 *)p + 4);
}

static inline u16 raft_get_le16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] | b[1] << 8);
}

static inline u32 raft_get_le32(const void *p)
{
	return raft_get_le16(p) | (u32)raft_get_le16((const u8 *)p + 2) << 16;
}

static inline u64 raft_get_le64(const void *p)
{
	return raft_get_le32(p) | (u64)raft_get_le32((const u8 *)p + 4) << 32;
}

#endif /* RAFT_PLATFORM_H */
