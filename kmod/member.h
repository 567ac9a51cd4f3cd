/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Membership ioctls: a change (add voter, add learner, promote, remove) or
 * a leadership transfer goes from the caller to the node's loop, which
 * hands it to the core, and comes back with its one final result. The
 * core takes one change at a time; so does a node: a second caller gets
 * -EBUSY at once.
 */
#ifndef RAFTLOG_MEMBER_H
#define RAFTLOG_MEMBER_H

#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/types.h>
#include "raft/raft.h"

struct raftlog_node;

enum raftlog_mreq_state {
	RAFTLOG_MREQ_IDLE,	/* no caller */
	RAFTLOG_MREQ_QUEUED,	/* for the loop to hand to the core */
	RAFTLOG_MREQ_PROPOSED,	/* the core carries the change */
	RAFTLOG_MREQ_TRANSFER,	/* the core runs the transfer */
	RAFTLOG_MREQ_RESULT,	/* @result is final, told after the round's */
				/* snapshot (the caller reads it next) */
	RAFTLOG_MREQ_DONE,	/* @result is final */
};

/*
 * The one request of a node (in struct raftlog_node), under the node's
 * @member_lock: @busy while a caller owns it; @state, @result, @leader,
 * @index and @term change under the lock, and the caller sleeps on
 * @member_wq until @state is DONE. @cookie tells the core's result for
 * this request from one for a request its caller gave up on.
 */
struct raftlog_mreq {
	bool busy;
	bool transfer;
	enum raftlog_mreq_state state;
	struct raft_change ch;
	u32 to;			/* transfer: the target, 0: any */
	u64 cookie;
	unsigned long deadline;	/* jiffies: the loop's last word by then */
	int result;		/* 0 or -errno, when DONE */
	u32 leader;
	u64 index;
	u64 term;
};

/* Results of changes carry cookies with this bit; writers' never do. */
#define RAFTLOG_MEMBER_COOKIE	BIT_ULL(63)

void raftlog_member_init(struct raftlog_node *node);

/* chardev.c: RAFTLOG_IOC_MEMBERS and the changes; -ENOTTY for others. */
long raftlog_member_ioctl(struct file *file, struct raftlog_node *node,
			  unsigned int cmd, void __user *argp);

/* Loop side. */
void raftlog_member_run(struct raftlog_node *node);
void raftlog_member_result(struct raftlog_node *node,
			   const struct raft_proposal_result *res);
/*
 * After the round is published (node->cur, the snapshot): a transfer's
 * progress, and the result of a change, told once the snapshot shows it.
 */
void raftlog_member_watch(struct raftlog_node *node);
/* The loop has stopped or failed: the caller gets @err. */
void raftlog_member_fail(struct raftlog_node *node, int err);

#endif /* RAFTLOG_MEMBER_H */
