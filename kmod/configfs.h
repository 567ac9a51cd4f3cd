/* SPDX-License-Identifier: GPL-2.0 */
/* /sys/kernel/config/raftlog/NAME: instances made with mkdir. */
#ifndef RAFTLOG_CONFIGFS_H
#define RAFTLOG_CONFIGFS_H

int raftlog_configfs_init(void);
void raftlog_configfs_exit(void);

#endif /* RAFTLOG_CONFIGFS_H */
