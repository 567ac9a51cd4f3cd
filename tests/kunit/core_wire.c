// SPDX-License-Identifier: GPL-2.0
/* The wire codec, compiled into the KUnit module unchanged. */
#include "../../kmod/raft/wire.c"
