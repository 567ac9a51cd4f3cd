/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: see ../kunit/test.h. */
#include <kunit/test.h>
