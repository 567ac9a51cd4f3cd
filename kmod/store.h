/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The committed-entry store readers use: the loop copies every entry it
 * learns is committed into it, so read() and poll() never touch the core.
 */
#ifndef RAFTLOG_STORE_H
#define RAFTLOG_STORE_H

#include <linux/types.h>

struct raftlog_node;

/* One committed entry; immutable once stored. */
struct raftlog_rec {
	u32 len;
	u8 type;		/* enum raft_entry_type */
	u8 data[];
};

void raftlog_store_init(struct raftlog_node *node);
/* Loop only: copies committed entries up to @commit; wakes readers. */
void raftlog_store_fill(struct raftlog_node *node, u64 commit);
/* Last index stored (0: none); pairs with the loop's release. */
u64 raftlog_store_last(struct raftlog_node *node);
/*
 * The first entry meant for readers (not a leader's no-op) at or after
 * @index, or NULL if none is stored yet; *@at gets its index.
 */
const struct raftlog_rec *raftlog_store_find(struct raftlog_node *node,
					     u64 index, u64 *at);
/* Frees every record; nobody may use the node's store any more. */
void raftlog_store_destroy(struct raftlog_node *node);

#endif /* RAFTLOG_STORE_H */
