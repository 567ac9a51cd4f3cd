// SPDX-License-Identifier: GPL-2.0
/*
 * Proposals: the path of one write() from the writer's sleep to the core
 * and back. The core decides everything that matters (what to resend, what
 * a refusal means, when to give up); the loop hands proposals to it and
 * passes its verdicts on; the writer only waits. A proposal the core
 * refused stays queued and is offered again every round until its
 * deadline: nothing was taken, so its writer learns the refusal. Errors
 * are honest: "known not committed" and "may still commit" never share an
 * errno.
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
		return -ENOTCONN;	/* nothing appended: no leader took it */
	case RAFT_EBUSY:
		return -EBUSY;		/* nothing appended: no room for it */
	case RAFT_ETOOBIG:
		return -EMSGSIZE;
	case RAFT_EINVAL:
		return -EINVAL;
	case RAFT_ENOMEM:
		return -ENOMEM;
	case RAFT_ELOST:
		return -ECANCELED;	/* known never to commit */
	case RAFT_ESTALE:
		return -ESTALE;		/* the session forgot it: may commit */
	case RAFT_EUNKNOWN:
		return -ETIMEDOUT;	/* may still commit */
	default:
		return -EIO;
	}
}

/* Refusals after which the core took nothing: offer it again later. */
static bool raftlog_retryable(int raft_err)
{
	return raft_err == RAFT_ENOLEADER || raft_err == RAFT_EBUSY ||
	       raft_err == RAFT_ENOMEM;
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
	prop->refusal = RAFT_EBUSY;	/* until the core says why */
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

static bool raftlog_prop_settled(struct raftlog_prop *prop)
{
	return READ_ONCE(prop->state) != RAFTLOG_PROP_PROPOSING;
}

/*
 * The writer's verdict once its wait ended without a final result, under
 * prop_lock, with the loop not in the middle of handing @prop over.
 */
static long raftlog_prop_give_up(struct raftlog_node *node,
				 struct raftlog_prop *prop, bool signalled)
{
	lockdep_assert_held(&node->prop_lock);
	if (prop->state == RAFTLOG_PROP_QUEUED) {
		/* The core never took it: nothing can commit. */
		list_del_init(&prop->link);
		refcount_dec(&prop->ref);	/* the queue's; ours remains */
		if (signalled)
			return -ERESTARTSYS;
		if (prop->nonblock)
			return -EAGAIN;
		return raftlog_errno(prop->refusal);
	}
	/* The core carries it: it may still commit. */
	prop->abandoned = true;
	return signalled ? -EINTR : -ETIMEDOUT;
}

/*
 * Waits up to @timeout for a final result; then decides, once the loop is
 * not handing the proposal to the core (a moment at most). Unless @last,
 * a proposal the core carries is left to it: *@carried says so.
 */
static long raftlog_prop_wait(struct raftlog_node *node,
			      struct raftlog_prop *prop, unsigned long timeout,
			      bool last, bool *carried)
{
	long ret;

	ret = wait_event_interruptible_timeout(node->write_wq,
					       raftlog_prop_done(prop),
					       timeout);
	for (;;) {
		spin_lock(&node->prop_lock);
		if (prop->state == RAFTLOG_PROP_DONE) {
			ret = prop->result;
			break;
		}
		if (prop->state != RAFTLOG_PROP_PROPOSING) {
			if (ret < 0 || prop->state == RAFTLOG_PROP_QUEUED ||
			    last) {
				ret = raftlog_prop_give_up(node, prop, ret < 0);
				break;
			}
			spin_unlock(&node->prop_lock);
			*carried = true;
			return 0;
		}
		prop->settle_wait = true;	/* the loop wakes us, see props_run */
		spin_unlock(&node->prop_lock);
		wait_event_timeout(node->write_wq, raftlog_prop_settled(prop),
				   HZ);
	}
	spin_unlock(&node->prop_lock);
	return ret;
}

long raftlog_prop_submit(struct raftlog_node *node, struct raftlog_prop *prop,
			 u64 *index)
{
	unsigned long timeout = msecs_to_jiffies(node->cfg.commit_timeout_ms);
	bool carried = false;
	long ret;

	spin_lock(&node->prop_lock);
	if (node->dead || test_bit(RAFTLOG_NODE_FAILED, &node->flags)) {
		ret = node->dead ? -ESHUTDOWN : -EIO;
		spin_unlock(&node->prop_lock);
		raftlog_prop_put(prop);
		return ret;
	}
	prop->cookie = ++node->next_cookie;
	prop->deadline = jiffies + timeout;
	prop->state = RAFTLOG_PROP_QUEUED;
	refcount_inc(&prop->ref);
	list_add_tail(&prop->link, &node->queue);
	/* Under the lock: once dead is set the workqueue may go away. */
	raftlog_loop_kick(node);
	spin_unlock(&node->prop_lock);

	/*
	 * The core gives its verdict by the deadline; a slow loop gets as
	 * long again before the writer stops waiting for it.
	 */
	ret = raftlog_prop_wait(node, prop, timeout, false, &carried);
	if (carried)
		ret = raftlog_prop_wait(node, prop, timeout, true, &carried);
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
 * Back on the queue after a refusal that took nothing, or finished when
 * its writer cannot wait (O_NONBLOCK).
 */
static void raftlog_prop_requeue(struct raftlog_node *node,
				 struct raftlog_prop *prop, int refusal)
{
	long result = 0;

	spin_lock(&node->prop_lock);
	if (node->dead)
		result = -ESHUTDOWN;
	else if (prop->nonblock)
		result = -EAGAIN;
	if (!result) {
		prop->refusal = refusal;
		WRITE_ONCE(prop->state, RAFTLOG_PROP_QUEUED);
		list_add(&prop->link, &node->queue);
	}
	spin_unlock(&node->prop_lock);
	if (result)
		raftlog_prop_finish(node, prop, result);
	else
		wake_up_all(&node->write_wq);	/* a writer may wait on it */
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

/* Hands @prop to the core with what is left of its time (some is left). */
static int raftlog_prop_propose(struct raftlog_node *node,
				struct raftlog_prop *prop, unsigned long left)
{
	struct raft_proposal p = {
		.cookie = prop->cookie,
		.session = prop->session,
		.seq = prop->seq,
		.start = prop->start,
		.timeout = max_t(u32, 1, jiffies_to_msecs(left) /
					 RAFTLOG_TICK_MS),
		.accept_only = prop->nonblock,
		.first_try = prop->first_try,
		.data = prop->data,
		.len = prop->len,
	};

	return raft_propose_in(node->raft, &p);
}

void raftlog_props_run(struct raftlog_node *node)
{
	struct raftlog_prop *prop;
	int err, n;

	raftlog_assert_loop(node);
	/* Bounded so a flood of writers cannot starve ticks and packets. */
	for (n = 0; n < 256; n++) {
		prop = raftlog_prop_take(node);
		if (!prop)
			return;
		if (xa_insert(&node->props, prop->cookie, prop, GFP_KERNEL)) {
			raftlog_prop_finish(node, prop, -ENOMEM);
			continue;
		}
		/* after the insert, which may sleep */
		if (!time_before(jiffies, prop->deadline)) {
			xa_erase(&node->props, prop->cookie);
			raftlog_prop_finish(node, prop,
					    raftlog_errno(prop->refusal));
			continue;
		}
		err = raftlog_prop_propose(node, prop,
					   prop->deadline - jiffies);
		if (err == RAFT_OK) {
			bool waited;

			spin_lock(&node->prop_lock);
			WRITE_ONCE(prop->state, RAFTLOG_PROP_PROPOSED);
			waited = prop->settle_wait;
			spin_unlock(&node->prop_lock);
			/* only a writer past its deadline waits for this */
			if (waited)
				wake_up_all(&node->write_wq);
			continue;
		}
		xa_erase(&node->props, prop->cookie);
		if (!raftlog_retryable(err)) {
			raftlog_prop_finish(node, prop, raftlog_errno(err));
			continue;
		}
		/* Keep the order: offer this one first, next round. */
		raftlog_prop_requeue(node, prop, err);
		return;
	}
	raftlog_loop_kick(node);
}

void raftlog_props_result(struct raftlog_node *node, u64 cookie, int status,
			  u64 index)
{
	struct raftlog_prop *prop;

	raftlog_assert_loop(node);
	prop = xa_erase(&node->props, cookie);
	if (!prop)
		return;
	if (status == RAFT_OK) {
		prop->index = index;
		raftlog_prop_finish(node, prop, prop->len);
		return;
	}
	raftlog_prop_finish(node, prop, raftlog_errno(status));
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
