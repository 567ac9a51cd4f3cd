/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The disk backend's own state, shared by its two halves: disk_files.c
 * opens a data_dir (the directory, its files, their format version, the
 * hard state) and disk_log.c keeps the log (replay, appends, reading back).
 */
#ifndef RAFTLOG_DISK_H
#define RAFTLOG_DISK_H

#include <linux/fs.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include "backend.h"
#include "record.h"

struct raftlog_node;
struct raft_entry;
struct raftlog_disk_distrust;

/* A point handed to the fsync worker: the log up to @p, @end bytes. */
struct raftlog_disk_point {
	struct raftlog_sync_point p;
	loff_t end;
};

/*
 * One open data_dir (node->storage_priv). Every call but read comes from
 * the node's loop, which owns everything here. Readers, holding
 * node->storage_sem so that the files stay open, only read records the
 * loop published as committed: those bytes never change again. @lock
 * guards @offs and @offs_cap, which the loop grows while readers look up
 * offsets. @busy links it into the list of claimed directories (under a
 * lock of disk_files.c) so that two instances never share one.
 */
struct raftlog_disk {
	struct raftlog_node *node;
	const char *dir_name;		/* node->cfg.data_dir */
	struct raftlog_rec_owner owner;
	struct file *dir;
	struct file *state;
	struct file *log;
	struct list_head busy;

	struct raftlog_rec_hs hs;	/* as stored */
	u64 last;			/* last index stored */
	loff_t end;			/* log offset after record @last */
	struct mutex lock;
	loff_t *offs;			/* offs[k]: offset of index k * */
					/* RAFTLOG_OFFS_STRIDE + 1 */
	u64 offs_cap;
	struct raft_entry *ents;	/* RAFT_MAX_BATCH, for load */
	bool failed;			/* an error happened: trust nothing */
	bool opened;			/* replayed: may have promised */
	loff_t synced;			/* log bytes known to be on disk */
	/* what to trust after an earlier failure, and a record for the next */
	struct raftlog_disk_distrust *distrust;

	u8 *buf;			/* RAFTLOG_DISK_BUF bytes */
	size_t buf_len;			/* bytes of records waiting in @buf */

	/*
	 * The fsync worker (disk_sync.c). Loop-owned: @written (the newest
	 * point saved), @flying (the one the worker syncs), @in_flight.
	 * Shared: @sync_req (loop writes, release; worker reads, acquire),
	 * @sync_done and @sync_err (worker writes @sync_err then @sync_done
	 * with release; loop reads @sync_done with acquire, then
	 * @sync_err). @sync_wq and @sync_work live from open to close; the
	 * worker uses only them, @log (open as long) and @node (to kick it).
	 */
	struct workqueue_struct *sync_wq;
	struct work_struct sync_work;
	struct raftlog_disk_point written;
	struct raftlog_disk_point flying;
	bool in_flight;
	u64 sync_req;
	u64 sync_done;
	int sync_err;
};

/* File primitives (disk_files.c). */
/* Logs the first failure of @d and latches it; returns @err. */
int raftlog_disk_fail(struct raftlog_disk *d, const char *what, int err);
int raftlog_disk_write(struct file *f, const void *buf, size_t len,
		       loff_t pos);
/* Reads up to @len bytes; returns how many (less only at end of file). */
ssize_t raftlog_disk_read(struct file *f, void *buf, size_t len, loff_t pos);
/* vfs_fsync(), counted in stats.fsyncs. */
int raftlog_disk_fsync(struct raftlog_disk *d, struct file *f);

static inline loff_t raftlog_disk_size(struct file *f)
{
	return i_size_read(file_inode(f));
}

/*
 * Opening (disk_files.c), each step with one kernel log line when it
 * refuses: claims d->dir_name for this instance, then opens or creates
 * its files and leaves d->hs and the log header ready for a replay.
 */
int raftlog_disk_open_dir(struct raftlog_disk *d);
int raftlog_disk_open_files(struct raftlog_disk *d);
/*
 * Closes whatever the two opened and gives the directory up. After a
 * failure of an opened backend it remembers, for the next open of the
 * same directory, what was last known to be on disk (see disk_files.c).
 */
void raftlog_disk_close_files(struct raftlog_disk *d);
/*
 * After a replay: makes what it read durable, so that no record that only
 * the page cache holds is ever acknowledged.
 */
int raftlog_disk_opened(struct raftlog_disk *d);

/* Writes @hs to the slot not holding the current one and fsyncs it. */
int raftlog_disk_write_hs(struct raftlog_disk *d,
			  const struct raftlog_rec_hs *hs);

/* The fsync worker (disk_sync.c); the ops are backend.h's. */
int raftlog_disk_sync_init(struct raftlog_disk *d);
void raftlog_disk_sync_exit(struct raftlog_disk *d);
void raftlog_disk_sync_cut(struct raftlog_disk *d, loff_t off);
int raftlog_disk_sync_start(struct raftlog_node *node,
			    const struct raftlog_sync_point *p);
int raftlog_disk_sync_poll(struct raftlog_node *node,
			   struct raftlog_sync_point *p);
void raftlog_disk_quiesce(struct raftlog_node *node);

#endif /* RAFTLOG_DISK_H */
