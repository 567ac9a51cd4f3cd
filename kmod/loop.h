/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A node's event loop: an ordered workqueue whose one work item owns the
 * Raft core. Ticks, datagrams and proposals only queue the work item.
 */
#ifndef RAFTLOG_LOOP_H
#define RAFTLOG_LOOP_H

#include <linux/bug.h>
#include <linux/sched.h>

struct raftlog_node;
struct raft_msg;

/*
 * "Only the loop touches the core", checked where lockdep is (the debug
 * kernel): a round records its task in node->loop_task while it runs, and
 * every function that uses loop-owned state (node.h) asserts it runs in
 * that round. Init and destroy, when no round can run, enter it too.
 */
#ifdef CONFIG_PROVE_LOCKING
#define raftlog_assert_loop(node)					\
	WARN_ON_ONCE(READ_ONCE((node)->loop_task) != current)
#else
#define raftlog_assert_loop(node)	do { } while (0)
#endif

/* Creates the core (restoring storage) and the workqueue; no ticks yet. */
int raftlog_loop_init(struct raftlog_node *node);
/* Starts ticking. */
void raftlog_loop_start(struct raftlog_node *node);
/*
 * Stops ticking and waits out the work item; afterwards the loop never
 * runs again. The socket must be closed and node->dead set before.
 */
void raftlog_loop_stop(struct raftlog_node *node);
/* Frees the core and storage; after raftlog_loop_stop(). */
void raftlog_loop_destroy(struct raftlog_node *node);

/* Sends @m now (loading an APPEND's entries if the core released them). */
void raftlog_loop_send_msg(struct raftlog_node *node, const struct raft_msg *m);

/* Runs the loop soon; any context. */
void raftlog_loop_kick(struct raftlog_node *node);

#endif /* RAFTLOG_LOOP_H */
