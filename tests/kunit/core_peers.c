// SPDX-License-Identifier: GPL-2.0
/* Parameter and peer-list parsing, compiled into the KUnit module. */
#include "../../kmod/peers.c"
