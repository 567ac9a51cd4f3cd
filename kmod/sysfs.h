/* SPDX-License-Identifier: GPL-2.0 */
/*
 * /sys/class/raftlog/<dev>/: the class, and per node the device (which
 * also makes the /dev node), its files, stats/ and peers/<id>/.
 */
#ifndef RAFTLOG_SYSFS_H
#define RAFTLOG_SYSFS_H

struct raftlog_node;
struct raft_membership;

int raftlog_sysfs_init(void);
void raftlog_sysfs_exit(void);
int raftlog_sysfs_add(struct raftlog_node *node);
/* Removes what raftlog_sysfs_add() made; waits out readers of files. */
void raftlog_sysfs_del(struct raftlog_node *node);
/* Loop: peers/<id>/ for exactly the members of @m but the node itself. */
void raftlog_sysfs_sync_peers(struct raftlog_node *node,
			      const struct raft_membership *m);

#endif /* RAFTLOG_SYSFS_H */
