/* SPDX-License-Identifier: GPL-2.0 */
/* The character devices /dev/raftlog and /dev/raftlog-NAME. */
#ifndef RAFTLOG_CHARDEV_H
#define RAFTLOG_CHARDEV_H

#include <linux/types.h>

int raftlog_chardev_init(void);
void raftlog_chardev_exit(void);
dev_t raftlog_chardev_devt(int minor);

#endif /* RAFTLOG_CHARDEV_H */
