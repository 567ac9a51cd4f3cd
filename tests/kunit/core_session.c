// SPDX-License-Identifier: GPL-2.0
/* The session table of the Raft core, compiled into the KUnit module. */
#include "../../kmod/raft/session.c"
