// SPDX-License-Identifier: GPL-2.0
/*
 * The data_dir record codec, compiled into the KUnit module unchanged.
 * record.c uses the unaligned accessors without including their header
 * (reported); including it here first keeps this module building.
 */
#include <asm/unaligned.h>
#include "../../kmod/record.c"
