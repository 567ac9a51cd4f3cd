// SPDX-License-Identifier: GPL-2.0
/*
 * The data_dir record codec, compiled into the KUnit module unchanged.
 * record.c uses the unaligned accessors without including their header
 * (reported); including it here first keeps this module building. The
 * header moved from asm/ to linux/ in 6.12.
 */
#if __has_include("linux/unaligned.h")
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
#include "../../kmod/record.c"
