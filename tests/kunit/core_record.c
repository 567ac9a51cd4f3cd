// SPDX-License-Identifier: GPL-2.0
/*
 * The data_dir record codec, compiled into the KUnit module unchanged.
 * record.c uses the unaligned accessors without including their header
 * (reported); including it here first keeps this module building. The
 * header moved from asm/ to linux/ in 6.12; Kbuild says which we have.
 */
#ifdef RAFTLOG_KUNIT_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
#include "../../kmod/record.c"
