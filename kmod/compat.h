/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few kernel API differences between Debian 12's 6.1 and 6.12 kernels
 * that raftlog meets, each decided by a feature check, not a version list.
 */
#ifndef RAFTLOG_COMPAT_H
#define RAFTLOG_COMPAT_H

#include <linux/version.h>
#include <linux/device.h>

/*
 * 6.4 dropped the owner argument of class_create(); raftlog registers a
 * static struct class instead, which both accept. The devnode callback
 * took a const device from 6.2 on; raftlog leaves it unset (devtmpfs
 * then creates the node with mode 0600, which is what we want).
 */

/* 6.2 made class pointers const in device_create(); both take ours. */

#endif /* RAFTLOG_COMPAT_H */
