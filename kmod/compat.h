/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between Debian 12's 6.1 and 6.12 kernels, and
 * how raftlog meets each; anything that ever needs code goes here, decided
 * by a feature check rather than a version number.
 *
 * - class_create() lost its owner argument in 6.4 and class callbacks
 *   took const devices from 6.2: raftlog registers a static struct class
 *   with class_register() and sets no callbacks (devtmpfs makes the node
 *   0600 by default), which both kernels accept unchanged.
 * - __assign_str() lost its source argument in 6.10: the tracepoints copy
 *   device names into fixed arrays instead (trace.h).
 * - The UDP tunnel helpers are a module (udp_tunnel.ko) on both: raftlog
 *   uses a plain kernel socket and sk_data_ready instead, so it depends on
 *   configfs.ko alone.
 * - timer_shutdown_sync() exists in both (Debian backported it to 6.1.y).
 */
#ifndef RAFTLOG_COMPAT_H
#define RAFTLOG_COMPAT_H

#endif /* RAFTLOG_COMPAT_H */
