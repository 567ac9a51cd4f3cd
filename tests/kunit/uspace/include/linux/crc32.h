/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: see ../kunit/test.h. The kernel's __crc32c_le():
 * CRC32C (Castagnoli, reflected), bit by bit, with no inversion of its
 * own; record_test.c checks it against bytes computed elsewhere.
 */
#include <kunit/test.h>

static inline u32 __crc32c_le(u32 crc, const unsigned char *p, size_t len)
{
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & -(crc & 1));
	}
	return crc;
}
