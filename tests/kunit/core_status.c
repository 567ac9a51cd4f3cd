// SPDX-License-Identifier: GPL-2.0
/* The Raft core's status.c, compiled into the KUnit module unchanged. */
#include "../../kmod/raft/status.c"
