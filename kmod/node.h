/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct raftlog_node: one enabled instance at run time (its Raft core,
 * socket, event loop, committed-entry store, device and sysfs state).
 * A node is built by enabling an instance and torn down by disabling it;
 * open files keep the memory alive (not the core) until they are closed.
 */
#ifndef RAFTLOG_NODE_H
#define RAFTLOG_NODE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rwsem.h>
#include <linux/seqlock.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>
#include "config.h"
#include "keys.h"
#include "member.h"
#include "members.h"
#include "raft/auth.h"
#include "raft/raft.h"
#include "stats.h"

#define RAFTLOG_NAME_MAX	48	/* device name, "raftlog-" included */

/*
 * What sysfs, poll and the status ioctl see: a copy the loop publishes
 * after every round, so nothing but the loop ever reads the core.
 */
struct raftlog_snapshot {
	struct raft_status st;
	struct raft_membership conf;	/* the configuration the core uses */
	struct raftlog_stats stats;
	bool can_propose;
	bool failed;
};

struct raftlog_storage_ops;
struct raftlog_peer_kobj;
struct raftlog_frag;
struct raftlog_members;

/*
 * Locking and lifetime:
 * - @ref: one reference held by the instance while enabled, one per open
 *   file. The last put frees the store and the node; the core, socket,
 *   workqueue, timer and device are gone by then (raftlog_node_stop()).
 * - Loop-owned (only the work item touches them, never concurrently):
 *   @raft, @txbuf, @rxbuf, @frag (socket.c allocates it when the socket
 *   opens, frees it when it closes), @rx_ents, @props, @stats, @last,
 *   @cur, @ticks_done, and the storage backend's state behind
 *   @storage_priv except what the backend shares with readers.
 * - @storage_sem: the disk backend's read() holds it for reading while it
 *   uses @storage_priv; the loop's teardown takes it for writing to close
 *   the backend and clear @storage and @storage_priv.
 * - @reader: the backend readers call (backend.h read(), put()), set once
 *   the backend is open, before the device exists, and never cleared:
 *   the ops are static, and each backend's read() knows whether its data
 *   outlives the loop (memory: @store does; disk: -ESHUTDOWN once closed).
 * - Immutable while the node exists: @name, @cfg, @net, @user_ns (a
 *   reference, for the membership calls' capability check), @minor,
 *   @epoch, @max_entry_size, @election_ms, @heartbeat_ms, @keys,
 *   @tx_epoch. @cfg.nodes is the configuration the node was enabled with;
 *   the one in force is the core's (@members, @snap.conf).
 * - Loop-owned too: @tx_counter (the last counter sent) and @replay (one
 *   window per sender, by its slot in @members).
 * - Loop-owned: @written_gen, @durable_gen, @held and @n_held, the
 *   readies saved, those durable, and the messages waiting for them
 *   (persist.c).
 * - @prop_lock guards @queue, @dead, @next_cookie and every proposal's
 *   state fields. Queueing work while holding it (writers) or after
 *   @sock is closed and the timer is shut down (nobody) is what lets
 *   raftlog_node_stop() destroy the workqueue safely.
 * - @snap_lock guards @snap (loop writes, everyone else reads).
 * - Loop-owned: @members (the transport's address table, replaced when
 *   the configuration changes: members.h), @conf (the core's
 *   configuration as of the last round, published as @snap.conf) and
 *   @conf_dirty (the core said it changed; @members, @conf and peers/
 *   follow at the end of the round).
 * - @member_lock guards @mreq, the one membership request (member.h),
 *   and @member_seq; callers sleep on @member_wq.
 * - @sysfs_lock guards @peer_kobjs and @peers_kobj after the device is
 *   added: the loop adds and removes peers/<id>/ as the configuration
 *   changes, teardown removes them all and sets @sysfs_gone.
 * - @store_last (release/acquire): the last committed index readers may
 *   read (committed.c). @store: the memory backend's copy of committed
 *   entries (struct raftlog_rec) by index, appended by the loop only,
 *   immutable and freed with the node, so readers holding a reference
 *   use them without a lock (mem_backend.c).
 */
struct raftlog_node {
	struct kref ref;
	char name[RAFTLOG_NAME_MAX];
	struct raftlog_config cfg;
	possible_net_t net;
	int minor;
	u32 max_entry_size;		/* as the core enforces it */
	u32 election_ms;		/* effective, whole ticks */
	u32 heartbeat_ms;

	struct raft *raft;
	struct workqueue_struct *wq;
	struct work_struct work;
	struct timer_list timer;
	ktime_t epoch;
	u64 ticks_done;
	struct task_struct *loop_task;	/* the round running: loop.h */
	unsigned long flags;		/* RAFTLOG_NODE_* bits */

	struct socket *sock;
	struct raftlog_keys keys;
	u64 tx_epoch;			/* this life's epoch: grows per enable */
	u64 tx_counter;
	struct raft_replay replay[RAFTLOG_PEER_SLOTS];
	void *txbuf;
	void *rxbuf;
	struct raftlog_frag *frag;	/* socket.c: fragments out and in */
	struct raftlog_members *members;
	bool conf_dirty;		/* members and sysfs to follow the core */
	struct raft_membership conf;
	struct raft_entry *rx_ents;

	struct rw_semaphore storage_sem;
	const struct raftlog_storage_ops *storage;
	const struct raftlog_storage_ops *reader;
	void *storage_priv;

	u64 written_gen;
	u64 durable_gen;
	struct list_head held;		/* struct raftlog_held, oldest first */
	u32 n_held;

	struct xarray props;		/* cookie -> struct raftlog_prop */
	struct raftlog_stats stats;
	struct raft_status last;	/* as of the last round, for traces */
	struct raft_status cur;		/* scratch for the current round */

	spinlock_t prop_lock;		/* see above */
	struct list_head queue;		/* submitted, not yet in the core */
	u64 next_cookie;
	bool dead;

	wait_queue_head_t read_wq;
	wait_queue_head_t write_wq;

	struct xarray store;
	u64 store_last;

	seqlock_t snap_lock;
	struct raftlog_snapshot snap;

	struct mutex member_lock;	/* see above */
	struct raftlog_mreq mreq;
	u64 member_seq;
	wait_queue_head_t member_wq;
	struct user_namespace *user_ns;

	struct device *dev;
	struct mutex sysfs_lock;	/* see above */
	bool sysfs_gone;
	struct kobject *peers_kobj;
	struct raftlog_peer_kobj *peer_kobjs[RAFT_MAX_NODES];
};

/* @flags bits */
enum {
	RAFTLOG_NODE_RX,	/* the socket has datagrams to read */
	RAFTLOG_NODE_STOPPING,	/* timer must not re-arm */
	RAFTLOG_NODE_FAILED,	/* storage failed: the core is frozen */
};

static inline struct net *raftlog_node_net(const struct raftlog_node *node)
{
	return read_pnet(&node->net);
}

void raftlog_node_get(struct raftlog_node *node);
void raftlog_node_put(struct raftlog_node *node);

/* The snapshot, copied consistently. */
void raftlog_node_snapshot(struct raftlog_node *node,
			   struct raftlog_snapshot *snap);

#endif /* RAFTLOG_NODE_H */
