/* SPDX-License-Identifier: GPL-2.0 */
/*
 * raftlogd: kmod/record.h's <linux/types.h>: the system's (libc headers
 * want its __u32 and friends), plus the core's u8..u64.
 */
#include_next <linux/types.h>
#include "raft/platform.h"
