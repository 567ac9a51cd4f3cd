/* SPDX-License-Identifier: GPL-2.0 */
/* raftlogd: kmod/record.c's <linux/string.h>. */
#include <string.h>
