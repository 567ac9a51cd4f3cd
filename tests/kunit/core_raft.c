// SPDX-License-Identifier: GPL-2.0
/* The Raft core, compiled into the KUnit module unchanged. */
#include "../../kmod/raft/raft.c"
