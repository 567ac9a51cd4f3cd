// SPDX-License-Identifier: GPL-2.0
/*
 * The per-node event loop. One work item on an ordered workqueue owns the
 * core, so the core needs no locks: each round it feeds the ticks due, the
 * datagrams waiting and the queued proposals into the core, then runs the
 * ready/advance cycle (send, persist, send what waited for persistence,
 * advance), copies newly committed entries for readers, settles proposals
 * and publishes a snapshot for sysfs and ioctl. With a disk, the log's
 * fsync runs off the loop (disk_sync.c, persist.c): each round starts by
 * telling the core what became durable, so a slow disk stops no tick.
 *
 * Time: a timer queues the work item every tick; the loop counts the ticks
 * due from the monotonic clock, so a late timer does not slow Raft's clock,
 * and at most RAFTLOG_MAX_CATCHUP of them are replayed after a stall (an
 * emulated CPU may stall) rather than firing an election at once.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/random.h>
#include <linux/slab.h>
#include "backend.h"
#include "committed.h"
#include "loop.h"
#include "member.h"
#include "members.h"
#include "node.h"
#include "persist.h"
#include "proposal.h"
#include "raft/wire.h"
#include "socket.h"
#include "sysfs.h"
#include "trace.h"

#define RAFTLOG_MAX_CATCHUP	5
/*
 * Datagrams read per round. Each peer steps at most its share of them
 * (socket.c), so a peer that floods spends a round's reads mostly on
 * cheap drops of its own excess and the others' datagrams behind it are
 * still read, in this round or the next.
 */
#define RAFTLOG_RX_BUDGET	192

void raftlog_loop_kick(struct raftlog_node *node)
{
	queue_work(node->wq, &node->work);
}

static void raftlog_loop_timer(struct timer_list *t)
{
	struct raftlog_node *node = from_timer(node, t, timer);

	raftlog_loop_kick(node);
	mod_timer(&node->timer,
		  jiffies + msecs_to_jiffies(RAFTLOG_TICK_MS));
}

static void raftlog_loop_ticks(struct raftlog_node *node)
{
	s64 ms = ktime_ms_delta(ktime_get(), node->epoch);
	u64 due = ms / RAFTLOG_TICK_MS;
	u64 n = due - node->ticks_done;

	raftlog_assert_loop(node);
	node->ticks_done = due;
	if (n > RAFTLOG_MAX_CATCHUP)
		n = RAFTLOG_MAX_CATCHUP;
	while (n--)
		raft_tick(node->raft);
}

/* An APPEND of entries the core released: the storage loads them. */
static void raftlog_loop_send_loaded(struct raftlog_node *node,
				     const struct raft_msg *m)
{
	struct raft_msg copy = *m;
	int err = node->storage->load(node, &copy);

	if (err) {
		/* a disk error also fails the next persist, and the node */
		pr_err_ratelimited("%s: cannot load entries from %llu for node %u: %d\n",
				   node->name, m->append.prev_index + 1, m->to,
				   err);
		node->stats.send_errors++;
		return;
	}
	raftlog_socket_send(node, &copy);
}

void raftlog_loop_send_msg(struct raftlog_node *node, const struct raft_msg *m)
{
	raftlog_assert_loop(node);
	if (m->type == RAFT_MSG_APPEND && m->append.load)
		raftlog_loop_send_loaded(node, m);
	else
		raftlog_socket_send(node, m);
}

/* The ready's messages; those after_persist wait for its entries. */
static void raftlog_loop_send(struct raftlog_node *node,
			      const struct raft_ready *rd, bool after_persist)
{
	const struct raft_msg *m;
	u32 i;

	for (i = 0; i < rd->n_msgs; i++) {
		m = &rd->msgs[i];
		if (m->after_persist != after_persist)
			continue;
		if (after_persist)
			raftlog_persist_send(node, m);
		else
			raftlog_loop_send_msg(node, m);
	}
}

/*
 * The hard state durable now (the core needs it before raft_advance());
 * the entries saved, and durable now or, with a backend that syncs in
 * the background, later (persist.c).
 */
static int raftlog_loop_persist(struct raftlog_node *node,
				const struct raft_ready *rd)
{
	const struct raftlog_storage_ops *ops = node->storage;
	int err = 0;

	if (!rd->hardstate_changed && !rd->n_entries)
		return 0;
	if (rd->hardstate_changed)
		err = ops->save_hardstate(node, rd->term, rd->vote);
	if (!err && rd->n_entries)
		err = ops->save_entries(node, rd->entries_first, rd->entries,
					rd->n_entries);
	if (!err)
		err = raftlog_persist_written(node, rd);
	return err;
}

/* A disk error: stop serving, keep the kernel and the other nodes safe. */
static void raftlog_loop_fail(struct raftlog_node *node, int err)
{
	pr_err("%s: storage failed (%d): node stopped serving\n",
	       node->name, err);
	set_bit(RAFTLOG_NODE_FAILED, &node->flags);
	raftlog_props_fail_all(node, -EIO);
	raftlog_member_fail(node, -EIO);
	wake_up_interruptible_all(&node->read_wq);
}

/* One ready/advance cycle; false when the node failed. */
static bool raftlog_loop_cycle(struct raftlog_node *node)
{
	struct raft_ready rd;
	u64 commit;
	int err;
	u32 i;

	raftlog_assert_loop(node);
	raft_ready(node->raft, &rd);
	raftlog_loop_send(node, &rd, false);
	err = raftlog_loop_persist(node, &rd);
	if (err) {
		raftlog_loop_fail(node, err);
		return false;
	}
	raftlog_loop_send(node, &rd, true);
	for (i = 0; i < rd.n_results; i++) {
		if (rd.results[i].cookie & RAFTLOG_MEMBER_COOKIE)
			raftlog_member_result(node, &rd.results[i]);
		else
			raftlog_props_result(node, rd.results[i].cookie,
					     rd.results[i].status,
					     rd.results[i].index);
	}
	if (rd.config_changed)
		node->conf_dirty = true;
	commit = rd.commit_index;
	raft_advance(node->raft, &rd);
	if (node->storage->release)
		node->storage->release(node);
	raftlog_store_fill(node, commit);
	return true;
}

static void raftlog_loop_trace(struct raftlog_node *node)
{
	const struct raft_status *old = &node->last, *st = &node->cur;

	if (st->term != old->term)
		trace_raftlog_term(node->name, old->term, st->term, st->leader);
	if (st->role != old->role)
		trace_raftlog_role(node->name, st->term, old->role, st->role);
	if (st->leader != old->leader && st->leader)
		pr_info_ratelimited("%s: node %u is leader in term %llu\n",
				    node->name, st->leader, st->term);
}

/*
 * The configuration changed: the transport's address table, peers/ in
 * sysfs and the published copy follow it. Out of memory, the old table
 * stays and the next round tries again.
 */
static void raftlog_loop_conf(struct raftlog_node *node)
{
	DECLARE_BITMAP(fresh, RAFTLOG_PEER_SLOTS);
	struct raftlog_members *t;
	u32 slot;

	raftlog_assert_loop(node);
	raft_get_membership(node->raft, &node->conf);
	t = raftlog_members_build(node->members, node->cfg.id, &node->conf,
				  fresh);
	if (!t)
		return;
	raftlog_members_free(node->members);
	node->members = t;
	/* a slot a leaving id had may now be a new id's: it starts over */
	for_each_set_bit(slot, fresh, RAFTLOG_PEER_SLOTS)
		raftlog_socket_reset_slot(node, slot);
	node->conf_dirty = false;
	raftlog_sysfs_sync_peers(node, &node->conf);
	if (node->conf.index != node->snap.conf.index)
		pr_info_ratelimited("%s: configuration at index %llu: %u members%s\n",
				    node->name, node->conf.index,
				    node->conf.n_members,
				    node->conf.joint ? " (joint)" : "");
}

/* Publishes what sysfs, poll and ioctl see; wakes who may care. */
static void raftlog_loop_publish(struct raftlog_node *node)
{
	bool could = node->snap.can_propose;
	bool can = raft_can_propose(node->raft);

	raftlog_assert_loop(node);
	raft_get_status(node->raft, &node->cur);
	raftlog_loop_trace(node);
	node->stats.elections = node->cur.stats.elections;
	node->stats.leader_changes = node->cur.stats.leader_changes;
	node->stats.proposals = node->cur.stats.proposals;
	node->stats.commits = node->cur.stats.committed;

	write_seqlock(&node->snap_lock);
	node->snap.st = node->cur;
	node->snap.conf = node->conf;
	node->snap.stats = node->stats;
	node->snap.can_propose = can;
	node->snap.failed = test_bit(RAFTLOG_NODE_FAILED, &node->flags);
	write_sequnlock(&node->snap_lock);
	node->last = node->cur;
	if (can && !could)
		wake_up_all(&node->write_wq);
}

/* Marks the task that may touch the core now (see loop.h). */
static void raftlog_loop_enter(struct raftlog_node *node)
{
	WRITE_ONCE(node->loop_task, current);
}

static void raftlog_loop_leave(struct raftlog_node *node)
{
	WRITE_ONCE(node->loop_task, NULL);
}

static void raftlog_loop_round(struct raftlog_node *node)
{
	bool more;
	int err;

	err = raftlog_persist_poll(node);
	if (err) {
		raftlog_loop_fail(node, err);
		raftlog_loop_publish(node);
		return;
	}
	raftlog_loop_ticks(node);
	more = raftlog_socket_receive(node, RAFTLOG_RX_BUDGET);
	raftlog_props_run(node);
	raftlog_member_run(node);
	while (raft_has_ready(node->raft))
		if (!raftlog_loop_cycle(node))
			break;
	if (node->conf_dirty)
		raftlog_loop_conf(node);
	raftlog_loop_publish(node);
	raftlog_member_watch(node);
	if (more)
		raftlog_loop_kick(node);
}

static void raftlog_loop_work(struct work_struct *work)
{
	struct raftlog_node *node = container_of(work, struct raftlog_node,
						 work);

	if (test_bit(RAFTLOG_NODE_STOPPING, &node->flags) ||
	    test_bit(RAFTLOG_NODE_FAILED, &node->flags))
		return;
	raftlog_loop_enter(node);
	raftlog_loop_round(node);
	raftlog_loop_leave(node);
}

/* The core from @rc, with the instance's timing. */
static int raftlog_loop_core_create(struct raftlog_node *node,
				    struct raft_config *rc)
{
	const char *why = NULL;

	rc->election_ticks = node->cfg.election_timeout_ms / RAFTLOG_TICK_MS;
	rc->heartbeat_ticks = node->cfg.heartbeat_ms / RAFTLOG_TICK_MS;
	rc->seed = get_random_u64();
	/* a backend that syncs off the loop: persist.c tells the core */
	rc->async_persist = !!node->storage->sync_start;
	if (raft_config_check(rc, &why) != RAFT_OK) {
		pr_err("%s: configuration rejected by the Raft core: %s\n",
		       node->name, why ? why : "invalid");
		return -EINVAL;
	}
	node->max_entry_size = rc->max_entry_size;
	node->election_ms = rc->election_ticks * RAFTLOG_TICK_MS;
	node->heartbeat_ms = rc->heartbeat_ticks * RAFTLOG_TICK_MS;
	node->raft = raft_create(rc);
	return node->raft ? 0 : -ENOMEM;
}

static int raftlog_loop_core(struct raftlog_node *node)
{
	struct raft_config *rc;
	u32 ids[RAFT_MAX_NODES];
	u32 i;
	int err;

	rc = kzalloc(sizeof(*rc), GFP_KERNEL);
	if (!rc)
		return -ENOMEM;
	for (i = 0; i < node->cfg.n_nodes; i++)
		ids[i] = node->cfg.nodes[i].id;
	raft_config_default(rc, node->cfg.id, ids, node->cfg.n_nodes);
	/* every member's address is in the boot configuration, as in a log */
	for (i = 0; i < node->cfg.n_nodes; i++)
		if (raftlog_addr_encode(&node->cfg.nodes[i], &rc->addrs[i]))
			break;
	rc->join = node->cfg.join;
	err = i < node->cfg.n_nodes ? -EINVAL :
	      raftlog_loop_core_create(node, rc);
	kfree(rc);
	return err;
}

/* The core, restored from storage. */
static int raftlog_loop_init_core(struct raftlog_node *node)
{
	int err;

	node->storage = raftlog_storage_select(node);
	err = raftlog_loop_core(node);
	if (err) {
		node->storage = NULL;
		return err;
	}
	err = node->storage->open(node);
	if (err) {
		pr_err("%s: cannot open %s storage: %d\n", node->name,
		       node->storage->name, err);
		node->storage = NULL;
		return err;
	}
	WRITE_ONCE(node->reader, node->storage);
	return 0;
}

int raftlog_loop_init(struct raftlog_node *node)
{
	DECLARE_BITMAP(fresh, RAFTLOG_PEER_SLOTS);	/* all: zeroed node */
	int err;

	INIT_WORK(&node->work, raftlog_loop_work);
	/*
	 * Peers refuse an epoch older than the last they saw from us, so a
	 * restart must start a later one: the wall clock's nanoseconds.
	 */
	node->tx_epoch = max_t(u64, ktime_get_real_ns(), 1);
	timer_setup(&node->timer, raftlog_loop_timer, 0);
	xa_init(&node->props);
	raftlog_persist_init(node);
	node->txbuf = kvmalloc(RAFTLOG_TXBUF_SIZE, GFP_KERNEL);
	node->rxbuf = kvmalloc(RAFTLOG_RXBUF_SIZE, GFP_KERNEL);
	node->rx_ents = kvcalloc(RAFT_MAX_BATCH, sizeof(*node->rx_ents),
				 GFP_KERNEL);
	if (!node->txbuf || !node->rxbuf || !node->rx_ents)
		return -ENOMEM;
	raftlog_loop_enter(node);	/* no round runs before start */
	err = raftlog_loop_init_core(node);
	raftlog_loop_leave(node);
	if (err)
		return err;
	node->wq = alloc_ordered_workqueue("raftlog/%s", WQ_MEM_RECLAIM,
					   node->name);
	if (!node->wq)
		return -ENOMEM;
	raft_get_status(node->raft, &node->last);
	node->snap.st = node->last;
	/* the configuration of the restored log, or the boot one */
	raft_get_membership(node->raft, &node->conf);
	node->snap.conf = node->conf;
	node->members = raftlog_members_build(NULL, node->cfg.id, &node->conf,
					      fresh);
	return node->members ? 0 : -ENOMEM;
}

void raftlog_loop_start(struct raftlog_node *node)
{
	node->epoch = ktime_get();
	node->ticks_done = 0;
	mod_timer(&node->timer, jiffies + msecs_to_jiffies(RAFTLOG_TICK_MS));
	raftlog_loop_kick(node);
}

void raftlog_loop_stop(struct raftlog_node *node)
{
	set_bit(RAFTLOG_NODE_STOPPING, &node->flags);
	timer_shutdown_sync(&node->timer);
	if (node->wq) {
		/* A round in progress finishes, later ones return at once; */
		flush_work(&node->work);
		/* then no sync starts, and the one in flight may kick us. */
		if (node->storage && node->storage->quiesce)
			node->storage->quiesce(node);
		destroy_workqueue(node->wq);
		node->wq = NULL;
	}
	raftlog_props_fail_all(node, -ESHUTDOWN);
	raftlog_member_fail(node, -ESHUTDOWN);
	xa_destroy(&node->props);
}

void raftlog_loop_destroy(struct raftlog_node *node)
{
	raftlog_loop_enter(node);	/* no round runs after stop */
	down_write(&node->storage_sem);
	if (node->storage)
		node->storage->close(node);
	node->storage = NULL;
	up_write(&node->storage_sem);
	raftlog_persist_destroy(node);
	if (node->raft)
		raft_destroy(node->raft);
	node->raft = NULL;
	raftlog_loop_leave(node);
	raftlog_members_free(node->members);
	node->members = NULL;
	kvfree(node->rx_ents);
	kvfree(node->rxbuf);
	kvfree(node->txbuf);
	node->rx_ents = NULL;
	node->rxbuf = NULL;
	node->txbuf = NULL;
}
