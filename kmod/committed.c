// SPDX-License-Identifier: GPL-2.0
/*
 * Committed entries for readers. The loop publishes the last committed
 * index with a release store; readers load it with acquire and may then
 * read any entry at or below it, without the core:
 * - memory-only nodes: the loop copies each committed entry into an
 *   xarray of records, never changed or freed while the node lives, so
 *   readers use them without a lock (at the cost of a second copy of the
 *   log in memory);
 * - nodes with a data_dir: the entries are read back from the log file
 *   (storage read()), under node->storage_sem so that the files stay open;
 *   nothing is copied and memory stays bounded.
 * Either way readers get an entry's type and data only: the (session,
 * seq) of a client entry stays in the core's log and the log file.
 * Every record carries the crc the leader computed for the entry; it is
 * checked again right before the data goes to a reader (the disk's read
 * path checks it as it reads the record), so a reader gets -EIO, never
 * data other than what the leader appended.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/xarray.h>
#include "cursor.h"
#include "loop.h"
#include "node.h"
#include "storage.h"
#include "store.h"
#include "trace.h"

void raftlog_store_init(struct raftlog_node *node)
{
	xa_init(&node->store);
	node->store_last = 0;
}

static bool raftlog_store_in_file(const struct raftlog_node *node)
{
	return node->cfg.data_dir[0];
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
	rec->term = e->term;
	rec->session = e->session;
	rec->seq = e->seq;
	rec->crc = e->crc;
	rec->len = e->len;
	rec->type = e->type;
	memcpy(rec->data, e->data, e->len);
	err = xa_err(xa_store(&node->store, index, rec, GFP_KERNEL));
	if (err) {
		kvfree(rec);
		return err;
	}
	raftlog_store_publish(node, index);
	return 0;
}

void raftlog_store_fill(struct raftlog_node *node, u64 commit)
{
	u64 last = node->store_last;
	u64 i;

	raftlog_assert_loop(node);
	if (raftlog_store_in_file(node)) {
		/* the loop persisted everything up to @commit this round */
		if (commit > last)
			raftlog_store_publish(node, commit);
	} else {
		/* On failure stop; the next round retries from there. */
		for (i = last + 1; i <= commit; i++)
			if (raftlog_store_one(node, i))
				break;
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
	const struct raftlog_rec *rec;

	if (!raftlog_store_in_file(node)) {
		rec = xa_load(&node->store, index);
		return rec ? rec : ERR_PTR(-EIO);
	}
	down_read(&node->storage_sem);
	if (node->storage && node->storage_priv)
		rec = node->storage->read(node, pos, index);
	else
		rec = ERR_PTR(-ESHUTDOWN);
	up_read(&node->storage_sem);
	return rec;
}

/* Whether @rec, entry @index, is still what the leader checksummed. */
static bool raftlog_store_intact(struct raftlog_node *node,
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

static void raftlog_store_put(struct raftlog_node *node,
			      const struct raftlog_rec *rec)
{
	if (raftlog_store_in_file(node))
		kvfree(rec);
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
	if (!ret && !raftlog_store_in_file(node) &&
	    !raftlog_store_intact(node, rec, at))
		ret = -EIO;
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
