/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The committed entries readers see: the loop publishes each commit index
 * here, so read() and poll() never touch the core (committed.c says where the
 * entries themselves come from).
 */
#ifndef RAFTLOG_COMMITTED_H
#define RAFTLOG_COMMITTED_H

#include <linux/compiler.h>
#include <linux/types.h>

struct raftlog_node;
struct raftlog_read_pos;

/*
 * One committed entry, as readers get it, with what its crc covers (the
 * leader's raft_entry_crc()), checked again before a reader gets the data.
 */
struct raftlog_rec {
	u64 term;
	u64 session;
	u64 seq;
	u32 crc;
	u32 len;
	u8 type;		/* enum raft_entry_type */
	u8 data[];
};

void raftlog_store_init(struct raftlog_node *node);
/* Loop only, after persisting: publishes entries up to @commit. */
void raftlog_store_fill(struct raftlog_node *node, u64 commit);
/* Last index published (0: none); pairs with the loop's release. */
u64 raftlog_store_last(struct raftlog_node *node);
/*
 * Copies the first entry meant for readers (not a leader's no-op) at or
 * after *@index to @buf and returns its length, with *@index moved past
 * it. -EAGAIN: none is published yet, *@index is the one to wait for.
 * -EMSGSIZE: @len is too small (*@index unchanged). @pos: the file's
 * read position hint (backend.h), or NULL.
 */
ssize_t raftlog_store_read(struct raftlog_node *node,
			   struct raftlog_read_pos *pos, u64 *index,
			   char __user *buf, size_t len);
/* Whether a read at @index would return an entry (or an error) now. */
bool raftlog_store_readable(struct raftlog_node *node,
			    struct raftlog_read_pos *pos, u64 index);
/* Frees every record; nobody may use the node's store any more. */
void raftlog_store_destroy(struct raftlog_node *node);

#endif /* RAFTLOG_COMMITTED_H */
