// SPDX-License-Identifier: GPL-2.0
/*
 * Committed entries for readers. The loop publishes the last committed
 * index with a release store; readers load it with acquire and may then
 * read any entry at or below it, without the core, through the backend's
 * read() (node->reader, backend.h): the memory backend keeps a copy of
 * each committed entry for them (mem_backend.c), the disk backend reads
 * it back from the log file (disk_log.c). An entry may be committed (on
 * a majority of other disks) before the local disk has synced it: it is
 * in the page cache by then, so readers see it, and a crash of this node
 * before its fsync loses nothing that the cluster does not still hold.
 * Either way readers get an entry's type and data only: the (session,
 * seq) of a client entry stays in the core's log and the log file.
 * Every record carries the crc the leader computed for the entry and the
 * backend checks it before a reader gets the data, so a reader gets
 * -EIO, never data other than what the leader appended.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include "backend.h"
#include "committed.h"
#include "cursor.h"
#include "loop.h"
#include "node.h"
#include "trace.h"

void raftlog_store_init(struct raftlog_node *node)
{
	xa_init(&node->store);
	node->store_last = 0;
}

u64 raftlog_store_last(struct raftlog_node *node)
{
	/* Pairs with the release in raftlog_store_publish(). */
	return smp_load_acquire(&node->store_last);
}

static void raftlog_store_publish(struct raftlog_node *node, u64 last)
{
	/* Whatever stands at or below @last is complete before it is seen. */
	smp_store_release(&node->store_last, last);
}

void raftlog_store_fill(struct raftlog_node *node, u64 commit)
{
	const struct raftlog_storage_ops *ops = node->storage;
	u64 last = node->store_last;
	u64 i;

	raftlog_assert_loop(node);
	if (!ops->keep) {
		/* the backend reads them back: they are all written by now */
		if (commit > last)
			raftlog_store_publish(node, commit);
	} else {
		/* On failure stop; the next round retries from there. */
		for (i = last + 1; i <= commit; i++) {
			if (ops->keep(node, i))
				break;
			raftlog_store_publish(node, i);
		}
	}
	if (node->store_last != last) {
		trace_raftlog_commit(node->name, node->store_last);
		wake_up_interruptible_all(&node->read_wq);
	}
}

/* Entry @index (published): raftlog_store_put() it when done. */
static const struct raftlog_rec *
raftlog_store_get(struct raftlog_node *node, struct raftlog_read_pos *pos,
		  u64 index)
{
	const struct raftlog_storage_ops *ops = READ_ONCE(node->reader);

	return ops ? ops->read(node, pos, index) : ERR_PTR(-ESHUTDOWN);
}

static void raftlog_store_put(struct raftlog_node *node,
			      const struct raftlog_rec *rec)
{
	READ_ONCE(node->reader)->put(node, rec);
}

/*
 * The first entry meant for readers (not a leader's no-op) at or after
 * *@index: NULL when none is published yet (*@index then names the index
 * to wait for), else the entry, at *@index.
 */
static const struct raftlog_rec *
raftlog_store_find(struct raftlog_node *node, struct raftlog_read_pos *pos,
		   u64 *index)
{
	u64 last = raftlog_store_last(node);
	const struct raftlog_rec *rec;

	for (; *index <= last; ++*index) {
		rec = raftlog_store_get(node, pos, *index);
		if (IS_ERR(rec) || raftlog_cursor_for_readers(rec->type))
			return rec;
		raftlog_store_put(node, rec);
	}
	return NULL;
}

ssize_t raftlog_store_read(struct raftlog_node *node,
			   struct raftlog_read_pos *pos, u64 *index,
			   char __user *buf, size_t len)
{
	u64 at = *index;
	const struct raftlog_rec *rec = raftlog_store_find(node, pos, &at);
	ssize_t ret;

	if (!rec) {
		*index = at;
		return -EAGAIN;
	}
	if (IS_ERR(rec))
		return PTR_ERR(rec);
	ret = raftlog_cursor_fit(rec->len, len);
	if (!ret && copy_to_user(buf, rec->data, rec->len))
		ret = -EFAULT;
	if (!ret) {
		ret = rec->len;
		*index = at + 1;
	}
	raftlog_store_put(node, rec);
	return ret;
}

bool raftlog_store_readable(struct raftlog_node *node,
			    struct raftlog_read_pos *pos, u64 index)
{
	const struct raftlog_rec *rec = raftlog_store_find(node, pos, &index);

	if (IS_ERR_OR_NULL(rec))
		return !!rec;	/* an error is for read() to report */
	raftlog_store_put(node, rec);
	return true;
}

void raftlog_store_destroy(struct raftlog_node *node)
{
	struct raftlog_rec *rec;
	unsigned long index;

	xa_for_each(&node->store, index, rec)
		kvfree(rec);
	xa_destroy(&node->store);
}
