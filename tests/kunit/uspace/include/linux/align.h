/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: see ../kunit/test.h. */
#include <kunit/test.h>

#ifndef ALIGN
#define ALIGN(x, a)	(((x) + (a) - 1) & ~((__typeof__(x))(a) - 1))
#endif
