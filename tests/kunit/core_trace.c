// SPDX-License-Identifier: GPL-2.0
/* The trace corpus's KUnit suite (tests/trace/), built into the module. */
#include "../trace/trace_kunit.c"
