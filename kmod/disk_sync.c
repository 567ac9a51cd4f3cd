// SPDX-License-Identifier: GPL-2.0
/*
 * The disk backend's group fsync, off the loop (async_persist, raft.h).
 * A loop that waited for each fsync could neither tick nor take proposals
 * meanwhile: a 500 ms fsync on the leader stopped its heartbeats and cost
 * it leadership. Here the loop only writes records into the page cache
 * and hands the point it reached to a worker of the node's own, which
 * runs vfs_fsync() and kicks the loop when it returns. The loop then tells
 * the core (raft_persisted()) and sends the messages that waited.
 *
 * One fsync is in flight at a time: the point reached while it runs is
 * remembered, and the next fsync starts as soon as the loop sees this one
 * done, covering everything written meanwhile (group commit while the
 * loop keeps taking proposals and ticking).
 *
 * The worker touches nothing of the loop's and never the core: it reads
 * the generation it is to sync (acquire), fsyncs the log file (open until
 * the backend closes, after raftlog_disk_quiesce()), publishes an error
 * then the generation (release), and kicks the loop. Counting fsyncs,
 * latching a failure and moving d->synced are the loop's, on completion.
 * A failed fsync is never reported as durable: the loop stops the node.
 *
 * The hard state's fsync and a conflict cut's truncate and fsync stay
 * synchronous (disk_log.c, disk_files.c): both are rare (elections,
 * conflicts) and the core needs the hard state durable before
 * raft_advance().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/workqueue.h>
#include "backend.h"
#include "disk.h"
#include "loop.h"
#include "node.h"

static void raftlog_disk_sync_work(struct work_struct *work)
{
	struct raftlog_disk *d = container_of(work, struct raftlog_disk,
					      sync_work);
	/* Pairs with the release in raftlog_disk_sync_fly(). */
	u64 gen = smp_load_acquire(&d->sync_req);
	int err = vfs_fsync(d->log, 1);

	if (err)
		WRITE_ONCE(d->sync_err, err);
	/* The error, if any, is visible before the generation. */
	smp_store_release(&d->sync_done, gen);
	raftlog_loop_kick(d->node);
}

int raftlog_disk_sync_init(struct raftlog_disk *d)
{
	INIT_WORK(&d->sync_work, raftlog_disk_sync_work);
	d->sync_wq = alloc_ordered_workqueue("raftlog-sync/%s", WQ_MEM_RECLAIM,
					     d->node->name);
	return d->sync_wq ? 0 : -ENOMEM;
}

void raftlog_disk_sync_exit(struct raftlog_disk *d)
{
	int err;

	if (d->sync_wq)
		destroy_workqueue(d->sync_wq);	/* waits out a sync */
	d->sync_wq = NULL;
	/*
	 * A sync that failed after the loop stopped looking: latched here,
	 * so that closing the files records the directory as distrusted and
	 * its next open does not replay what never reached the disk.
	 */
	err = READ_ONCE(d->sync_err);
	if (err)
		raftlog_disk_fail(d, "syncing log", err);
}

/* Hands d->written to the worker. */
static void raftlog_disk_sync_fly(struct raftlog_disk *d)
{
	d->flying = d->written;
	d->in_flight = true;
	/* Pairs with the acquire in raftlog_disk_sync_work(). */
	smp_store_release(&d->sync_req, d->flying.p.gen);
	queue_work(d->sync_wq, &d->sync_work);
}

int raftlog_disk_sync_start(struct raftlog_node *node,
			    const struct raftlog_sync_point *p)
{
	struct raftlog_disk *d = node->storage_priv;

	raftlog_assert_loop(node);
	if (d->failed)
		return -EIO;
	d->written.p = *p;
	d->written.end = d->end;
	if (!d->in_flight)
		raftlog_disk_sync_fly(d);
	return 0;
}

int raftlog_disk_sync_poll(struct raftlog_node *node,
			   struct raftlog_sync_point *p)
{
	struct raftlog_disk *d = node->storage_priv;
	int err;

	raftlog_assert_loop(node);
	/* Pairs with the release in raftlog_disk_sync_work(). */
	if (!d->in_flight || smp_load_acquire(&d->sync_done) != d->flying.p.gen)
		return 0;
	d->in_flight = false;
	node->stats.fsyncs++;
	err = READ_ONCE(d->sync_err);
	if (err)
		return raftlog_disk_fail(d, "syncing log", err);
	if (d->failed)
		return -EIO;
	d->synced = max(d->synced, d->flying.end);
	*p = d->flying.p;
	if (d->written.p.gen != d->flying.p.gen)
		raftlog_disk_sync_fly(d);
	return 1;
}

/*
 * A cut at @off, while the loop waits for nothing (disk_log.c fsyncs it):
 * the bytes of a sync in flight or waiting are sure only below @off.
 */
void raftlog_disk_sync_cut(struct raftlog_disk *d, loff_t off)
{
	d->flying.end = min(d->flying.end, off);
	d->written.end = min(d->written.end, off);
}

void raftlog_disk_quiesce(struct raftlog_node *node)
{
	struct raftlog_disk *d = node->storage_priv;

	if (d && d->sync_wq)
		flush_workqueue(d->sync_wq);
}
