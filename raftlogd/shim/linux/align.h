/* SPDX-License-Identifier: GPL-2.0 */
/* raftlogd: kmod/record.h's <linux/align.h>. */
#ifndef RAFTLOGD_SHIM_ALIGN_H
#define RAFTLOGD_SHIM_ALIGN_H
#define ALIGN(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#endif
