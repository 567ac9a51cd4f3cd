// SPDX-License-Identifier: GPL-2.0
/* The data_dir record codec, compiled into the KUnit module unchanged. */
#include "../../kmod/record.c"
