// SPDX-License-Identifier: GPL-2.0
/*
 * Committed entries for readers. The loop appends records in index order
 * and then publishes the new last index with a release store; readers
 * load it with acquire and may then use any record at or below it without
 * a lock: records are never changed or freed while the node lives.
 * The cost is a second copy of the committed log in memory.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/xarray.h>
#include "node.h"
#include "store.h"
#include "trace.h"

void raftlog_store_init(struct raftlog_node *node)
{
	xa_init(&node->store);
	node->store_last = 0;
}

u64 raftlog_store_last(struct raftlog_node *node)
{
	/* Pairs with the release in raftlog_store_one(). */
	return smp_load_acquire(&node->store_last);
}

static int raftlog_store_one(struct raftlog_node *node, u64 index)
{
	const struct raft_entry *e = raft_entry_at(node->raft, index);
	struct raftlog_rec *rec;
	int err;

	if (!e) {
		pr_err_ratelimited("%s: committed entry %llu missing from the log\n",
				   node->name, index);
		return -ENOENT;
	}
	rec = kvmalloc(struct_size(rec, data, e->len), GFP_KERNEL);
	if (!rec)
		return -ENOMEM;
	rec->len = e->len;
	rec->type = e->type;
	memcpy(rec->data, e->data, e->len);
	err = xa_err(xa_store(&node->store, index, rec, GFP_KERNEL));
	if (err) {
		kvfree(rec);
		return err;
	}
	/* The record is complete before readers can see the index. */
	smp_store_release(&node->store_last, index);
	return 0;
}

void raftlog_store_fill(struct raftlog_node *node, u64 commit)
{
	u64 last = node->store_last;
	u64 i;

	/* On failure stop; the next round retries from where it stopped. */
	for (i = last + 1; i <= commit; i++)
		if (raftlog_store_one(node, i))
			break;
	if (node->store_last != last) {
		trace_raftlog_commit(node->name, node->store_last);
		wake_up_interruptible_all(&node->read_wq);
	}
}

const struct raftlog_rec *raftlog_store_find(struct raftlog_node *node,
					     u64 index, u64 *at)
{
	u64 last = raftlog_store_last(node);
	const struct raftlog_rec *rec;

	for (; index <= last; index++) {
		rec = xa_load(&node->store, index);
		if (rec && rec->type == RAFT_ENTRY_NORMAL) {
			*at = index;
			return rec;
		}
	}
	return NULL;
}

void raftlog_store_destroy(struct raftlog_node *node)
{
	struct raftlog_rec *rec;
	unsigned long index;

	xa_for_each(&node->store, index, rec)
		kvfree(rec);
	xa_destroy(&node->store);
}
