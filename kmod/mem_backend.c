// SPDX-License-Identifier: GPL-2.0
/*
 * Memory-only storage: the core's in-memory log is the only copy, so a
 * node forgets its term, vote and log when it is disabled or the machine
 * restarts. It rejoins as a new, empty member; that is only safe while a
 * majority of the cluster keeps its state.
 */
#include "node.h"
#include "storage.h"

static int raftlog_mem_open(struct raftlog_node *node)
{
	return 0;
}

static void raftlog_mem_close(struct raftlog_node *node)
{
}

static int raftlog_mem_save_hardstate(struct raftlog_node *node, u64 term,
				      u32 vote)
{
	return 0;
}

static int raftlog_mem_save_entries(struct raftlog_node *node, u64 first,
				    const struct raft_entry *ents, u32 n)
{
	return 0;
}

static int raftlog_mem_sync(struct raftlog_node *node)
{
	return 0;
}

const struct raftlog_storage_ops raftlog_storage_mem = {
	.name = "memory",
	.open = raftlog_mem_open,
	.close = raftlog_mem_close,
	.save_hardstate = raftlog_mem_save_hardstate,
	.save_entries = raftlog_mem_save_entries,
	.sync = raftlog_mem_sync,
};

const struct raftlog_storage_ops *
raftlog_storage_select(const struct raftlog_node *node)
{
	return node->cfg.data_dir[0] ? &raftlog_storage_disk :
				       &raftlog_storage_mem;
}
