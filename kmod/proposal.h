/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A writer's proposal on its way through the node: submitted by write(),
 * handed to the core by the loop, and carried by the core (forwarded,
 * resent, proposed again under its (session, seq)) until its one final
 * result. The writer sleeps on the node's write_wq until the loop marks it
 * done; the core's own timeout decides, the writer's wait is a backstop.
 */
#ifndef RAFTLOG_PROPOSAL_H
#define RAFTLOG_PROPOSAL_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/types.h>

struct raftlog_node;

enum raftlog_prop_state {
	RAFTLOG_PROP_QUEUED,	/* on node->queue; the core has not taken it */
	RAFTLOG_PROP_PROPOSING,	/* the loop is handing it to the core */
	RAFTLOG_PROP_PROPOSED,	/* the core carries it */
	RAFTLOG_PROP_DONE,	/* @result is final */
};

/*
 * Lifetime: @ref counts the writer and the node (queue or the props
 * xarray); whoever drops the last frees it. @state, @result, @abandoned
 * and @link on node->queue are under node->prop_lock; the props xarray is
 * the loop's. The rest is set before submission and read-only after.
 */
struct raftlog_prop {
	struct list_head link;
	refcount_t ref;
	enum raftlog_prop_state state;
	bool nonblock;		/* done once accepted, not once committed */
	bool first_try;		/* no earlier attempt of (session, seq) */
	bool abandoned;		/* the writer gave up waiting */
	bool settle_wait;	/* its writer waits for the hand-over to end */
	int refusal;		/* last reason the core refused (raft_err) */
	long result;		/* length or -errno, when DONE */
	unsigned long deadline;	/* jiffies: the core must decide by then */
	u64 cookie;
	u64 session;
	u64 seq;
	u64 start;
	u64 index;
	u32 len;
	u8 data[];
};

/* Writer side (process context, may sleep). */
struct raftlog_prop *raftlog_prop_alloc(const char __user *buf, u32 len,
					bool nonblock);
/*
 * Queues @prop and waits for its outcome. Returns the length written or a
 * negative errno; fills *@index on success of a committed write. Consumes
 * the caller's reference.
 */
long raftlog_prop_submit(struct raftlog_node *node, struct raftlog_prop *prop,
			 u64 *index);
void raftlog_prop_put(struct raftlog_prop *prop);

/* Loop side. */
void raftlog_props_run(struct raftlog_node *node);
void raftlog_props_result(struct raftlog_node *node, u64 cookie, int status,
			  u64 index);
/* Fails every proposal with @err; the loop has stopped. */
void raftlog_props_fail_all(struct raftlog_node *node, long err);

/* The one place where core results become errnos. */
int raftlog_errno(int raft_err);

#endif /* RAFTLOG_PROPOSAL_H */
