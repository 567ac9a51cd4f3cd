/* SPDX-License-Identifier: GPL-2.0 */
/* raftlogd: the kernel's CRC32C for kmod/record.c (raftlogd/crc32c.c). */
#ifndef RAFTLOGD_SHIM_CRC32_H
#define RAFTLOGD_SHIM_CRC32_H
#include "raft/platform.h"
u32 __crc32c_le(u32 crc, const unsigned char *p, size_t len);
#endif
