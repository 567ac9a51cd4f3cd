/* SPDX-License-Identifier: GPL-2.0 */
/* raftlogd: kmod/record.c's <linux/errno.h>, the errno values as libc's. */
#include <asm/errno.h>
