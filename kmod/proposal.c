// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals: the path of one write() from the writer's sleep to the core
 * and back. The writer owns the wait and its deadline; the loop owns the
 * core and tells the writer what became of the entry. Errors are honest:
 * "known not committed" and "may still commit" never share an errno.
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include "loop.h"
#include "node.h"
#include "proposal.h"

int raftlog_errno(int raft_err)
{
	switch (raft_err) {
	case RAFT_OK:
		return 0;
	case RAFT_ENOLEADER:
	case RAFT_ENOTLEADER:
		return -ENOTCONN;	/* not taken: no leader to take it */
	case RAFT_EBUSY:
		return -EBUSY;		/* not taken: leader's window full */
	case RAFT_ETOOBIG:
		return -EMSGSIZE;
	case RAFT_EINVAL:
		return -EINVAL;
	case RAFT_ENOMEM:
		return -ENOMEM;
	case RAFT_EUNKNOWN:
		return -ETIMEDOUT;	/* forwarded, fate unknown */
	default:
		return -EIO;
	}
}

/* Refusals worth retrying until the deadline: nothing was appended. */
static bool raftlog_retryable(int raft_err)
{
	return raft_err == RAFT_ENOLEADER || raft_err == RAFT_ENOTLEADER ||
	       raft_err == RAFT_EBUSY;
}

struct raftlog_prop *raftlog_prop_alloc(const char __user *buf, u32 len,
					bool nonblock)
{
	struct raftlog_prop *prop;

	prop = kvmalloc(struct_size(prop, data, len), GFP_KERNEL);
	if (!prop)
		return ERR_PTR(-ENOMEM);
	memset(prop, 0, sizeof(*prop));
	INIT_LIST_HEAD(&prop->link);
	refcount_set(&prop->ref, 1);
	prop->len = len;
	prop->nonblock = nonblock;
	if (copy_from_user(prop->data, buf, len)) {
		kvfree(prop);
		return ERR_PTR(-EFAULT);
	}
	return prop;
}

void raftlog_prop_put(struct raftlog_prop *prop)
{
	if (refcount_dec_and_test(&prop->ref))
		kvfree(prop);
}

static bool raftlog_prop_done(struct raftlog_prop *prop)
{
	return READ_ONCE(prop->state) == RAFTLOG_PROP_DONE;
}

/* The writer's verdict once its wait ended without a final result. */
static long raftlog_prop_give_up(struct raftlog_node *node,
				 struct raftlog_prop *prop, bool signalled)
{
	long ret;

	lockdep_assert_held(&node->prop_lock);
	if (prop->state == RAFTLOG_PROP_QUEUED) {
		/* The core never saw it: nothing can commit, safe to retry. */
		list_del_init(&prop->link);
		refcount_dec(&prop->ref);	/* the queue's; ours remains */
		if (signalled)
			return -ERESTARTSYS;
		if (prop->nonblock)
			return -EAGAIN;
		ret = raftlog_errno(prop->refusal);
		return ret ? ret : -EBUSY;
	}
	/* In the core or beyond: it may still commit. */
	prop->abandoned = true;
	return signalled ? -EINTR : -ETIMEDOUT;
}

long raftlog_prop_submit(struct raftlog_node *node, struct raftlog_prop *prop,
			 u64 *index)
{
	unsigned long timeout = msecs_to_jiffies(node->cfg.commit_timeout_ms);
	long ret;

	spin_lock(&node->prop_lock);
	if (node->dead) {
		spin_unlock(&node->prop_lock);
		raftlog_prop_put(prop);
		return -ESHUTDOWN;
	}
	prop->cookie = ++node->next_cookie;
	prop->state = RAFTLOG_PROP_QUEUED;
	refcount_inc(&prop->ref);
	list_add_tail(&prop->link, &node->queue);
	/* Under the lock: once dead is set the workqueue may go away. */
	raftlog_loop_kick(node);
	spin_unlock(&node->prop_lock);

	ret = wait_event_interruptible_timeout(node->write_wq,
					       raftlog_prop_done(prop),
					       timeout);
	spin_lock(&node->prop_lock);
	if (prop->state == RAFTLOG_PROP_DONE)
		ret = prop->result;
	else
		ret = raftlog_prop_give_up(node, prop, ret < 0);
	spin_unlock(&node->prop_lock);
	if (ret >= 0)
		*index = prop->nonblock ? 0 : prop->index;
	raftlog_prop_put(prop);
	return ret;
}

/* Loop side: @prop's outcome is final; drops the node's reference. */
static void raftlog_prop_finish(struct raftlog_node *node,
				struct raftlog_prop *prop, long result)
{
	spin_lock(&node->prop_lock);
	prop->result = result;
	WRITE_ONCE(prop->state, RAFTLOG_PROP_DONE);
	spin_unlock(&node->prop_lock);
	wake_up_all(&node->write_wq);
	raftlog_prop_put(prop);
}

/*
 * Back on the queue after a refusal that appended nothing, or finished
 * when its writer cannot wait (O_NONBLOCK) or has left.
 */
static void raftlog_prop_requeue(struct raftlog_node *node,
				 struct raftlog_prop *prop, int refusal)
{
	long result;

	spin_lock(&node->prop_lock);
	if (node->dead)
		result = -ESHUTDOWN;
	else if (prop->abandoned)
		result = -ETIMEDOUT;	/* what its writer was told */
	else if (prop->nonblock)
		result = -EAGAIN;
	else
		result = 0;
	if (!result) {
		prop->refusal = refusal;
		WRITE_ONCE(prop->state, RAFTLOG_PROP_QUEUED);
		list_add(&prop->link, &node->queue);
	}
	spin_unlock(&node->prop_lock);
	if (result)
		raftlog_prop_finish(node, prop, result);
}

/* Takes the oldest queued proposal for the core, or NULL. */
static struct raftlog_prop *raftlog_prop_take(struct raftlog_node *node)
{
	struct raftlog_prop *prop;

	spin_lock(&node->prop_lock);
	prop = list_first_entry_or_null(&node->queue, struct raftlog_prop,
					link);
	if (prop) {
		list_del_init(&prop->link);
		WRITE_ONCE(prop->state, RAFTLOG_PROP_PROPOSING);
	}
	spin_unlock(&node->prop_lock);
	return prop;
}

void raftlog_props_run(struct raftlog_node *node)
{
	struct raftlog_prop *prop;
	int err, n;

	/* Bounded so a flood of writers cannot starve ticks and packets. */
	for (n = 0; n < 256; n++) {
		prop = raftlog_prop_take(node);
		if (!prop)
			return;
		if (xa_insert(&node->props, prop->cookie, prop, GFP_KERNEL)) {
			raftlog_prop_finish(node, prop, -ENOMEM);
			continue;
		}
		err = raft_propose(node->raft, prop->cookie, prop->data,
				   prop->len);
		if (err == RAFT_OK) {
			spin_lock(&node->prop_lock);
			WRITE_ONCE(prop->state, RAFTLOG_PROP_PROPOSED);
			spin_unlock(&node->prop_lock);
			continue;
		}
		xa_erase(&node->props, prop->cookie);
		if (!raftlog_retryable(err)) {
			raftlog_prop_finish(node, prop, raftlog_errno(err));
			continue;
		}
		/* Keep the order: retry this one first, next round. */
		raftlog_prop_requeue(node, prop, err);
		return;
	}
	raftlog_loop_kick(node);
}

void raftlog_props_result(struct raftlog_node *node, u64 cookie, int status,
			  u64 index, u64 term)
{
	struct raftlog_prop *prop;

	prop = xa_erase(&node->props, cookie);
	if (!prop)
		return;
	if (status == RAFT_OK) {
		prop->index = index;
		prop->term = term;
		if (prop->nonblock) {
			raftlog_prop_finish(node, prop, prop->len);
			return;
		}
		spin_lock(&node->prop_lock);
		WRITE_ONCE(prop->state, RAFTLOG_PROP_ACCEPTED);
		spin_unlock(&node->prop_lock);
		list_add_tail(&prop->link, &node->accepted);
		return;
	}
	if (raftlog_retryable(status))
		raftlog_prop_requeue(node, prop, status);
	else
		raftlog_prop_finish(node, prop, raftlog_errno(status));
}

void raftlog_props_check_commit(struct raftlog_node *node)
{
	u64 commit = raft_commit_index(node->raft);
	struct raftlog_prop *prop, *tmp;
	enum raft_proposal_state st;

	list_for_each_entry_safe(prop, tmp, &node->accepted, link) {
		if (prop->index > commit)
			continue;
		st = raft_proposal_state(node->raft, prop->index, prop->term);
		if (st == RAFT_PROPOSAL_PENDING)
			continue;
		list_del_init(&prop->link);
		/* Lost: another entry committed at its index; it never will. */
		raftlog_prop_finish(node, prop, st == RAFT_PROPOSAL_COMMITTED ?
				    (long)prop->len : -ECANCELED);
	}
}

void raftlog_props_fail_all(struct raftlog_node *node, long err)
{
	struct raftlog_prop *prop, *tmp;
	unsigned long cookie;
	LIST_HEAD(queued);

	xa_for_each(&node->props, cookie, prop) {
		xa_erase(&node->props, cookie);
		raftlog_prop_finish(node, prop, err);
	}
	list_for_each_entry_safe(prop, tmp, &node->accepted, link) {
		list_del_init(&prop->link);
		raftlog_prop_finish(node, prop, err);
	}
	spin_lock(&node->prop_lock);
	list_splice_init(&node->queue, &queued);
	list_for_each_entry(prop, &queued, link) {
		prop->result = err;
		WRITE_ONCE(prop->state, RAFTLOG_PROP_DONE);
	}
	spin_unlock(&node->prop_lock);
	wake_up_all(&node->write_wq);
	list_for_each_entry_safe(prop, tmp, &queued, link) {
		list_del(&prop->link);
		raftlog_prop_put(prop);
	}
}
