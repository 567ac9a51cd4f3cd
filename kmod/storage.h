/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The storage seam: what the loop calls, in the order raft.h demands,
 * to make a ready's hard state and entries durable before the messages
 * that depend on them leave. One implementation per backend; the memory
 * backend (storage_mem.c) keeps nothing, as the core holds the log.
 *
 * All calls come from the node's loop (process context, may sleep), so a
 * backend needs no locking of its own. A backend that fails returns a
 * negative errno; the loop then freezes the node (RAFTLOG_STATUS_FAILED)
 * and never tells the core that the data is durable.
 */
#ifndef RAFTLOG_STORAGE_H
#define RAFTLOG_STORAGE_H

#include <linux/types.h>

struct raftlog_node;
struct raft_entry;

struct raftlog_storage_ops {
	const char *name;
	/*
	 * Opens node->cfg.data_dir and replays it into node->raft with
	 * raft_restore_hardstate() and raft_restore_entry(); may set
	 * node->storage_priv.
	 */
	int (*open)(struct raftlog_node *node);
	void (*close)(struct raftlog_node *node);
	int (*save_hardstate)(struct raftlog_node *node, u64 term, u32 vote);
	/* Cuts anything stored at or after @first, then appends @ents. */
	int (*save_entries)(struct raftlog_node *node, u64 first,
			    const struct raft_entry *ents, u32 n);
	/* Makes everything saved so far durable; counts stats.fsyncs. */
	int (*sync)(struct raftlog_node *node);
};

extern const struct raftlog_storage_ops raftlog_storage_mem;
/* Files in data_dir (storage.c). */
extern const struct raftlog_storage_ops raftlog_storage_disk;

/* The backend for @node's configuration (data_dir set or not). */
const struct raftlog_storage_ops *
raftlog_storage_select(const struct raftlog_node *node);

#endif /* RAFTLOG_STORAGE_H */
