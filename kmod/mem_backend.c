// SPDX-License-Identifier: GPL-2.0
/*
 * Memory-only storage: the core's in-memory log is the only copy, so a
 * node forgets its term, vote and log when it is disabled or the machine
 * restarts. It rejoins as a new, empty member; that is only safe while a
 * majority of the cluster keeps its state.
 *
 * Readers get committed entries from node->store: the loop copies each
 * committed entry there (keep()) as a record that is never changed or
 * freed while the node lives, so readers use it without a lock, even
 * after the node is disabled (at the cost of a second copy of the log in
 * memory). Its crc is checked again right before a reader gets it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/xarray.h>
#include "backend.h"
#include "committed.h"
#include "loop.h"
#include "node.h"

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

static int raftlog_mem_keep(struct raftlog_node *node, u64 index)
{
	const struct raft_entry *e = raft_entry_at(node->raft, index);
	struct raftlog_rec *rec;
	int err;

	raftlog_assert_loop(node);
	if (!e) {
		pr_err_ratelimited("%s: committed entry %llu missing from the log\n",
				   node->name, index);
		return -ENOENT;
	}
	rec = kvmalloc(struct_size(rec, data, e->len), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->term = e->term;
	rec->session = e->session;
	rec->seq = e->seq;
	rec->crc = e->crc;
	rec->len = e->len;
	rec->type = e->type;
	memcpy(rec->data, e->data, e->len);
	err = xa_err(xa_store(&node->store, index, rec, GFP_KERNEL));
	if (err)
		kvfree(rec);
	return err;
}

/* Whether @rec, entry @index, is still what the leader checksummed. */
static bool raftlog_mem_intact(struct raftlog_node *node,
			       const struct raftlog_rec *rec, u64 index)
{
	struct raft_entry e = {
		.term = rec->term,
		.session = rec->session,
		.seq = rec->seq,
		.len = rec->len,
		.type = rec->type,
		.data = rec->data,
	};

	if (raft_entry_crc(index, &e) == rec->crc)
		return true;
	pr_err_ratelimited("%s: committed entry %llu is damaged in memory (crc mismatch): read fails with EIO\n",
			   node->name, index);
	return false;
}

static const struct raftlog_rec *
raftlog_mem_read(struct raftlog_node *node, struct raftlog_read_pos *pos,
		 u64 index)
{
	const struct raftlog_rec *rec = xa_load(&node->store, index);

	if (!rec || !raftlog_mem_intact(node, rec, index))
		return ERR_PTR(-EIO);
	return rec;
}

/* The record stays in node->store until the node is freed. */
static void raftlog_mem_put(struct raftlog_node *node,
			    const struct raftlog_rec *rec)
{
}

const struct raftlog_storage_ops raftlog_storage_mem = {
	.name = "memory",
	.open = raftlog_mem_open,
	.close = raftlog_mem_close,
	.save_hardstate = raftlog_mem_save_hardstate,
	.save_entries = raftlog_mem_save_entries,
	.sync = raftlog_mem_sync,
	.keep = raftlog_mem_keep,
	.read = raftlog_mem_read,
	.put = raftlog_mem_put,
};

const struct raftlog_storage_ops *
raftlog_storage_select(const struct raftlog_node *node)
{
	return node->cfg.data_dir[0] ? &raftlog_storage_disk :
				       &raftlog_storage_mem;
}
