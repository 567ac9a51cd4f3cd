// SPDX-License-Identifier: GPL-2.0
/* The device's cursor and framing rules, compiled into the KUnit module. */
#include "../../kmod/cursor.c"
