/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The storage seam: what the loop calls, in the order raft.h demands,
 * to make a ready's hard state and entries durable before the messages
 * that depend on them leave, and what readers call to get committed
 * entries back. One implementation per backend: the memory backend
 * (mem_backend.c) keeps no log, as the core holds it, only a copy of the
 * committed entries for readers; the disk backend (disk_log.c,
 * disk_files.c) keeps the log in data_dir.
 *
 * All calls but read() and put() come from the node's loop (process
 * context, may sleep). A backend that fails returns a negative errno; the loop then
 * freezes the node (RAFTLOG_NODE_FAILED) and never tells the core that
 * the data is durable.
 *
 * A backend that keeps the log (disk) also bounds memory: release() lets
 * the core drop entries it can load() back for followers, and readers get
 * committed entries through read() instead of a copy in memory. Without
 * them (memory), the core and the store hold the whole log.
 */
#ifndef RAFTLOG_BACKEND_H
#define RAFTLOG_BACKEND_H

#include <linux/types.h>

struct raftlog_node;
struct raftlog_rec;
struct raft_entry;
struct raft_msg;

/* A reader's place in the log: index @index starts at offset @off. */
struct raftlog_read_pos {
	u64 index;
	loff_t off;
};

/* A log position: entries up to @index (term @term), the loop's @gen. */
struct raftlog_sync_point {
	u64 gen;
	u64 index;
	u64 term;
};

struct raftlog_storage_ops {
	const char *name;
	bool durable;		/* survives a restart: the status ioctl says */
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
	/*
	 * Makes everything saved so far durable; counts stats.fsyncs. Not
	 * called when the backend has sync_start().
	 */
	int (*sync)(struct raftlog_node *node);
	/*
	 * Asynchronous sync (the core's async_persist): after a ready's
	 * entries are saved, the loop hands over the point @p they reach and
	 * goes on; the backend makes it durable in the background and kicks
	 * the loop when it is. sync_poll(), from the loop: 1 with *@p the
	 * newest point now durable, 0 when nothing new is, or a negative
	 * errno (the node must stop: nothing more is ever durable).
	 * quiesce(): after the loop's last round, waits out that background
	 * work (which may kick the loop). NULL: sync() is synchronous.
	 */
	int (*sync_start)(struct raftlog_node *node,
			  const struct raftlog_sync_point *p);
	int (*sync_poll)(struct raftlog_node *node,
			 struct raftlog_sync_point *p);
	void (*quiesce)(struct raftlog_node *node);
	/* After raft_advance(): raft_release() what the core need not keep. */
	void (*release)(struct raftlog_node *node);
	/*
	 * Loads the entries of an APPEND the core left to storage
	 * (m->append.load), as raft.h says; they stay valid until the next
	 * call into the backend.
	 */
	int (*load)(struct raftlog_node *node, struct raft_msg *m);
	/*
	 * Loop only, before the commit index reaches @index: a backend with
	 * nothing readers can read committed entries from keeps a copy of
	 * entry @index for them (memory). NULL: read() finds them (disk).
	 */
	int (*keep)(struct raftlog_node *node, u64 index);
	/*
	 * From readers, in any process context, for an index the loop has
	 * published as committed, through node->reader (set once the
	 * backend is open, never cleared): the entry, checked against its
	 * checksum, or an ERR_PTR (-ESHUTDOWN once a backend that needs its
	 * files is closed). @pos, if not NULL, is a hint where @index starts
	 * and is moved past it. The caller gives the record back with put().
	 */
	const struct raftlog_rec *(*read)(struct raftlog_node *node,
					  struct raftlog_read_pos *pos,
					  u64 index);
	void (*put)(struct raftlog_node *node, const struct raftlog_rec *rec);
};

extern const struct raftlog_storage_ops raftlog_storage_mem;
/* Files in data_dir (disk_log.c). */
extern const struct raftlog_storage_ops raftlog_storage_disk;

/* The backend for @node's configuration (data_dir set or not). */
const struct raftlog_storage_ops *
raftlog_storage_select(const struct raftlog_node *node);

/*
 * Module exit: forgets the data_dirs whose sync failed (disk_files.c),
 * with one line each, since their page cache may still be wrong.
 */
void raftlog_disk_distrust_exit(void);

#endif /* RAFTLOG_BACKEND_H */
