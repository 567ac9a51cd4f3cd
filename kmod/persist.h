/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Asynchronous persistence, the loop's side (the core's async_persist,
 * raft.h; the disk's side is disk_sync.c): which readies' entries are
 * durable, and the messages that wait until they are.
 */
#ifndef RAFTLOG_PERSIST_H
#define RAFTLOG_PERSIST_H

#include <linux/types.h>

struct raftlog_node;
struct raft_msg;
struct raft_ready;

void raftlog_persist_init(struct raftlog_node *node);
/*
 * After a ready's entries are saved (in the page cache): a new written
 * generation, handed to the backend to sync.
 */
int raftlog_persist_written(struct raftlog_node *node,
			    const struct raft_ready *rd);
/*
 * An after_persist message of the ready just saved: sent now if every
 * ready written so far is durable, else copied and held until it is.
 */
void raftlog_persist_send(struct raftlog_node *node, const struct raft_msg *m);
/*
 * Round start: whatever the backend made durable since goes to the core
 * (raft_persisted()) and releases the messages held for it. Negative
 * errno: the disk failed, the node must stop.
 */
int raftlog_persist_poll(struct raftlog_node *node);
/* Teardown: drops what is still held (it was never durable). */
void raftlog_persist_destroy(struct raftlog_node *node);

#endif /* RAFTLOG_PERSIST_H */
