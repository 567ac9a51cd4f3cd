// SPDX-License-Identifier: GPL-2.0
/* The Raft core's progress.c, compiled into the KUnit module unchanged. */
#include "../../kmod/raft/progress.c"
