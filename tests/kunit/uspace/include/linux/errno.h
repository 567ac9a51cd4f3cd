/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in: see ../kunit/test.h. libc's <errno.h> comes here
 * too, so this passes on to the system's (uapi) header: same values.
 */
#include_next <linux/errno.h>
