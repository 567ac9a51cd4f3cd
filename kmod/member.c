// SPDX-License-Identifier: GPL-2.0
/*
 * Membership ioctls of /dev/raftlog (uapi/linux/raftlog.h says what each
 * errno means). RAFTLOG_IOC_MEMBERS reads the snapshot the loop publishes.
 * A change or a transfer is checked here (a bad request changes nothing
 * and never reaches the core), then handed to the loop in the node's one
 * request slot, like a write's proposal (proposal.c): the loop gives it to
 * the core, which decides (is this the leader, is a change pending, would
 * it leave no voter, is the learner caught up) and later gives its one
 * final result; the caller sleeps until then. A change is done when the
 * configuration that completes it is committed (for a joint change, the
 * entry that leaves the joint state), a transfer when another node leads.
 *
 * The changes need the file open for writing and CAP_NET_ADMIN over the
 * node's network namespace, checked with the opener's credentials.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <net/ipv6.h>
#include <uapi/linux/raftlog.h>
#include "loop.h"
#include "member.h"
#include "members.h"
#include "node.h"
#include "proposal.h"

void raftlog_member_init(struct raftlog_node *node)
{
	mutex_init(&node->member_lock);
	init_waitqueue_head(&node->member_wq);
}

/* A refusal or a result of the core as an errno of the uapi. */
static int raftlog_member_errno(const struct raftlog_mreq *rq, int raft_err)
{
	switch (raft_err) {
	case RAFT_ENOTLEADER:
		return rq->leader ? -EREMOTE : -ENOTCONN;
	case RAFT_ENOLEADER:
		return -ENOTCONN;
	case RAFT_EPENDING:
	case RAFT_ETRANSFER:
	case RAFT_EBUSY:
		return -EBUSY;
	case RAFT_EEXIST:
	case RAFT_EADDRINUSE:
		return -EEXIST;
	case RAFT_ENOENT:
		return -ENOENT;
	case RAFT_ENOVOTER:
		return -EINVAL;
	case RAFT_ELEARNER:
		/* a transfer's target is a learner; a promote's lags */
		return rq->transfer ? -EINVAL : -EAGAIN;
	default:
		return raftlog_errno(raft_err);	/* ELOST, EUNKNOWN, ... */
	}
}

/* ---- reading the membership ------------------------------------------ */

static int raftlog_member_cmp(const void *a, const void *b)
{
	const struct raftlog_member *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static void raftlog_member_addr_out(const struct raftlog_peer_addr *pa,
				    struct raftlog_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = pa->sa.sa_family;
	if (pa->sa.sa_family == AF_INET) {
		out->port = ntohs(pa->sin.sin_port);
		memcpy(out->addr, &pa->sin.sin_addr.s_addr, 4);
	} else if (pa->sa.sa_family == AF_INET6) {
		out->port = ntohs(pa->sin6.sin6_port);
		memcpy(out->addr, pa->sin6.sin6_addr.s6_addr, 16);
	}
}

static void raftlog_member_fill(const struct raftlog_snapshot *s,
				struct raftlog_membership *out)
{
	const struct raft_membership *m = &s->conf;
	struct raftlog_peer_addr pa;
	u32 i, n = 0;

	memset(out, 0, sizeof(*out));
	out->config_index = m->index;
	out->commit_index = s->st.commit_index;
	out->leader = s->st.leader;
	if (m->joint)
		out->flags |= RAFTLOG_MEMBERSHIP_JOINT;
	if (!m->committed)
		out->flags |= RAFTLOG_MEMBERSHIP_PENDING;
	for (i = 0; i < m->n_members && i < RAFT_MAX_NODES; i++) {
		const struct raft_member *mb = &m->members[i];
		struct raftlog_member *o = &out->members[n++];

		o->id = mb->id;
		if (mb->role == RAFT_MEMBER_VOTER)
			o->flags |= RAFTLOG_MEMBER_VOTER;
		else if (mb->role == RAFT_MEMBER_LEARNER)
			o->flags |= RAFTLOG_MEMBER_LEARNER;
		if (mb->outgoing)
			o->flags |= RAFTLOG_MEMBER_OUTGOING;
		if (!raftlog_addr_decode(mb->id, &mb->addr, &pa))
			raftlog_member_addr_out(&pa, &o->addr);
	}
	out->n_members = n;
	sort(out->members, n, sizeof(out->members[0]), raftlog_member_cmp,
	     NULL);
}

static long raftlog_member_get(struct raftlog_node *node, void __user *argp)
{
	struct raftlog_membership *out;
	struct raftlog_snapshot *s;
	long err = 0;

	s = kmalloc(sizeof(*s), GFP_KERNEL);
	out = kmalloc(sizeof(*out), GFP_KERNEL);
	if (!s || !out) {
		err = -ENOMEM;
		goto out;
	}
	raftlog_node_snapshot(node, s);
	raftlog_member_fill(s, out);
	if (copy_to_user(argp, out, sizeof(*out)))
		err = -EFAULT;
out:
	kfree(out);
	kfree(s);
	return err;
}

/* ---- checking a request ------------------------------------------------ */

static int raftlog_member_allowed(struct file *file, struct raftlog_node *node)
{
	if (READ_ONCE(node->dead))
		return -ESHUTDOWN;
	if (test_bit(RAFTLOG_NODE_FAILED, &node->flags))
		return -EIO;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!file_ns_capable(file, node->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	return 0;
}

/*
 * @in as an address the node can use: its own family, a port, an address
 * that is neither unspecified nor padded with garbage.
 */
static int raftlog_member_addr_in(struct raftlog_node *node,
				  const struct raftlog_addr *in,
				  struct raft_addr *out)
{
	const struct raftlog_peer_addr *self;
	struct raftlog_peer_addr pa = { 0 };

	self = raftlog_config_node(&node->cfg, node->cfg.id);
	if (in->reserved || !in->port || in->family != self->sa.sa_family)
		return -EINVAL;
	if (in->family == AF_INET) {
		if (memchr_inv(in->addr + 4, 0, sizeof(in->addr) - 4))
			return -EINVAL;
		pa.sin.sin_family = AF_INET;
		pa.sin.sin_port = htons(in->port);
		memcpy(&pa.sin.sin_addr.s_addr, in->addr, 4);
		if (!pa.sin.sin_addr.s_addr)
			return -EINVAL;
	} else {
		pa.sin6.sin6_family = AF_INET6;
		pa.sin6.sin6_port = htons(in->port);
		memcpy(pa.sin6.sin6_addr.s6_addr, in->addr, 16);
		if (ipv6_addr_any(&pa.sin6.sin6_addr))
			return -EINVAL;
	}
	return raftlog_addr_encode(&pa, out);
}

/* One step, RAFTLOG_OP_* @op on @id, into @o; -EINVAL if bad. */
static int raftlog_member_op_in(struct raftlog_node *node, u32 op, u32 id,
				const struct raftlog_addr *addr,
				struct raft_change_op *o)
{
	static const u8 types[] = {
		[RAFTLOG_OP_ADD_VOTER] = RAFT_CHANGE_ADD_VOTER,
		[RAFTLOG_OP_ADD_LEARNER] = RAFT_CHANGE_ADD_LEARNER,
		[RAFTLOG_OP_PROMOTE] = RAFT_CHANGE_PROMOTE,
		[RAFTLOG_OP_REMOVE] = RAFT_CHANGE_REMOVE,
	};

	memset(o, 0, sizeof(*o));
	if (!id || !op || op >= ARRAY_SIZE(types))
		return -EINVAL;
	o->type = types[op];
	o->id = id;
	if (op == RAFTLOG_OP_ADD_VOTER || op == RAFTLOG_OP_ADD_LEARNER)
		return raftlog_member_addr_in(node, addr, &o->addr);
	/* promote and remove name a member by id only */
	return memchr_inv(addr, 0, sizeof(*addr)) ? -EINVAL : 0;
}

/* @c, for one-step ioctl @cmd, as the core's change; -EINVAL if bad. */
static int raftlog_member_parse(struct raftlog_node *node, unsigned int cmd,
				const struct raftlog_member_change *c,
				struct raft_change *ch)
{
	u32 op;

	memset(ch, 0, sizeof(*ch));
	if (c->reserved || c->reserved2[0] || c->reserved2[1])
		return -EINVAL;
	switch (cmd) {
	case RAFTLOG_IOC_ADD_VOTER:
		op = RAFTLOG_OP_ADD_VOTER;
		break;
	case RAFTLOG_IOC_ADD_LEARNER:
		op = RAFTLOG_OP_ADD_LEARNER;
		break;
	case RAFTLOG_IOC_PROMOTE:
		op = RAFTLOG_OP_PROMOTE;
		break;
	default:
		op = RAFTLOG_OP_REMOVE;
		break;
	}
	ch->n_ops = 1;
	return raftlog_member_op_in(node, op, c->id, &c->addr, &ch->ops[0]);
}

/* The steps of RAFTLOG_IOC_CHANGE; -EINVAL if any is bad. */
static int raftlog_member_parse_ops(struct raftlog_node *node,
				    const struct raftlog_member_changes *c,
				    struct raft_change *ch)
{
	u32 i, j;
	int err;

	memset(ch, 0, sizeof(*ch));
	if (!c->n_ops || c->n_ops > RAFTLOG_MAX_NODES || c->reserved ||
	    c->reserved2)
		return -EINVAL;
	for (i = 0; i < c->n_ops; i++) {
		err = raftlog_member_op_in(node, c->ops[i].op, c->ops[i].id,
					   &c->ops[i].addr, &ch->ops[i]);
		if (err)
			return err;
		for (j = 0; j < i; j++)
			if (ch->ops[j].id == ch->ops[i].id)
				return -EINVAL;
	}
	ch->n_ops = c->n_ops;
	return 0;
}

/* The timeout in ms a call asked for, or @def; bounded. */
static u32 raftlog_member_timeout(u32 asked, u32 def)
{
	return min_t(u32, asked ? asked : def, RAFTLOG_COMMIT_TIMEOUT_MS_MAX);
}

/* ---- the request's trip through the loop ------------------------------ */

static bool raftlog_mreq_done(struct raftlog_node *node)
{
	return READ_ONCE(node->mreq.state) == RAFTLOG_MREQ_DONE ||
	       READ_ONCE(node->dead);
}

/*
 * Runs one request to its end (or the caller's): the slot is @node's,
 * @rq gets a copy of the outcome. Returns 0 or -errno.
 */
static int raftlog_member_submit(struct raftlog_node *node, bool transfer,
				 const struct raft_change *ch, u32 to,
				 u32 timeout_ms, struct raftlog_mreq *rq)
{
	struct raftlog_mreq *slot = &node->mreq;
	unsigned long t = msecs_to_jiffies(timeout_ms);
	long left;
	int err;

	mutex_lock(&node->member_lock);
	if (slot->busy) {
		mutex_unlock(&node->member_lock);
		return -EBUSY;
	}
	memset(slot, 0, sizeof(*slot));
	slot->busy = true;
	slot->transfer = transfer;
	if (ch)
		slot->ch = *ch;
	slot->to = to;
	slot->cookie = RAFTLOG_MEMBER_COOKIE | ++node->member_seq;
	slot->deadline = jiffies + t;
	WRITE_ONCE(slot->state, RAFTLOG_MREQ_QUEUED);
	mutex_unlock(&node->member_lock);

	/* Under prop_lock: once dead is set the workqueue may go away. */
	spin_lock(&node->prop_lock);
	if (!node->dead)
		raftlog_loop_kick(node);
	spin_unlock(&node->prop_lock);

	/* The loop answers by the deadline; as long again for a slow one. */
	left = wait_event_interruptible_timeout(node->member_wq,
						raftlog_mreq_done(node),
						2 * t + HZ);
	mutex_lock(&node->member_lock);
	if (slot->state == RAFTLOG_MREQ_DONE)
		err = slot->result;
	else if (READ_ONCE(node->dead))
		err = -ESHUTDOWN;
	else if (slot->state == RAFTLOG_MREQ_QUEUED)
		err = left < 0 ? -ERESTARTSYS : -ETIMEDOUT;	/* not taken */
	else
		err = left < 0 ? -EINTR : -ETIMEDOUT;	/* may complete */
	*rq = *slot;
	/* a later result of the core for this cookie finds no taker */
	memset(slot, 0, sizeof(*slot));
	mutex_unlock(&node->member_lock);
	return err;
}

static long raftlog_member_change(struct file *file, struct raftlog_node *node,
				  unsigned int cmd, void __user *argp)
{
	struct raftlog_member_change c;
	struct raftlog_mreq rq = { 0 };
	struct raft_change ch;
	u32 timeout;
	long err;

	if (copy_from_user(&c, argp, sizeof(c)))
		return -EFAULT;
	err = raftlog_member_allowed(file, node);
	if (err)
		return err;
	err = raftlog_member_parse(node, cmd, &c, &ch);
	if (err)
		return err;
	timeout = raftlog_member_timeout(c.timeout_ms,
					 node->cfg.commit_timeout_ms);
	ch.timeout = max_t(u32, 1, timeout / RAFTLOG_TICK_MS);
	err = raftlog_member_submit(node, false, &ch, 0, timeout, &rq);
	c.leader = rq.leader;
	c.config_index = err ? 0 : rq.index;
	if (copy_to_user(argp, &c, sizeof(c)) && !err)
		err = -EFAULT;
	return err;
}

static long raftlog_member_changes(struct file *file,
				   struct raftlog_node *node, void __user *argp)
{
	struct raftlog_member_changes *c;
	struct raftlog_mreq rq = { 0 };
	struct raft_change ch;
	u32 timeout;
	long err;

	c = memdup_user(argp, sizeof(*c));
	if (IS_ERR(c))
		return PTR_ERR(c);
	err = raftlog_member_allowed(file, node);
	if (!err)
		err = raftlog_member_parse_ops(node, c, &ch);
	if (err)
		goto out;
	timeout = raftlog_member_timeout(c->timeout_ms,
					 node->cfg.commit_timeout_ms);
	ch.timeout = max_t(u32, 1, timeout / RAFTLOG_TICK_MS);
	err = raftlog_member_submit(node, false, &ch, 0, timeout, &rq);
	c->leader = rq.leader;
	c->config_index = err ? 0 : rq.index;
	if (copy_to_user(argp, c, sizeof(*c)) && !err)
		err = -EFAULT;
out:
	kfree(c);
	return err;
}

static long raftlog_member_transfer(struct file *file,
				    struct raftlog_node *node,
				    void __user *argp)
{
	struct raftlog_mreq rq = { 0 };
	struct raftlog_transfer t;
	u32 timeout;
	long err;

	if (copy_from_user(&t, argp, sizeof(t)))
		return -EFAULT;
	err = raftlog_member_allowed(file, node);
	if (err)
		return err;
	if (t.reserved || t.reserved2)
		return -EINVAL;
	timeout = raftlog_member_timeout(t.timeout_ms, 4 * node->election_ms);
	err = raftlog_member_submit(node, true, NULL, t.id, timeout, &rq);
	t.leader = rq.leader;
	t.term = rq.term;
	if (copy_to_user(argp, &t, sizeof(t)) && !err)
		err = -EFAULT;
	return err;
}

long raftlog_member_ioctl(struct file *file, struct raftlog_node *node,
			  unsigned int cmd, void __user *argp)
{
	switch (cmd) {
	case RAFTLOG_IOC_MEMBERS:
		if (READ_ONCE(node->dead))
			return -ESHUTDOWN;
		return raftlog_member_get(node, argp);
	case RAFTLOG_IOC_ADD_VOTER:
	case RAFTLOG_IOC_ADD_LEARNER:
	case RAFTLOG_IOC_PROMOTE:
	case RAFTLOG_IOC_REMOVE:
		return raftlog_member_change(file, node, cmd, argp);
	case RAFTLOG_IOC_CHANGE:
		return raftlog_member_changes(file, node, argp);
	case RAFTLOG_IOC_TRANSFER:
		return raftlog_member_transfer(file, node, argp);
	default:
		return -ENOTTY;
	}
}

/* ---- loop side ----------------------------------------------------------- */

static void raftlog_mreq_finish(struct raftlog_node *node, int err)
{
	struct raftlog_mreq *rq = &node->mreq;

	lockdep_assert_held(&node->member_lock);
	rq->result = err;
	WRITE_ONCE(rq->state, RAFTLOG_MREQ_DONE);
	wake_up_all(&node->member_wq);
}

/* The core refused @err: nothing was taken; @rq learns where the leader is. */
static void raftlog_mreq_refused(struct raftlog_node *node, int raft_err)
{
	struct raftlog_mreq *rq = &node->mreq;

	lockdep_assert_held(&node->member_lock);
	raft_get_status(node->raft, &node->cur);
	rq->leader = node->cur.leader;
	rq->term = node->cur.term;
	raftlog_mreq_finish(node, raftlog_member_errno(rq, raft_err));
}

/*
 * Adds of new ids that would take the configuration (both halves of a
 * joint one) past RAFT_MAX_NODES members: the core would say EINVAL, the
 * caller learns ENOSPC. An add of an id that exists is the core's EEXIST.
 */
static bool raftlog_member_full(struct raftlog_node *node,
				const struct raft_change *ch)
{
	const struct raft_membership *m = &node->conf;	/* as of the last round */
	u32 i, j, n = m->n_members;

	for (i = 0; i < ch->n_ops; i++) {
		const struct raft_change_op *op = &ch->ops[i];

		if (op->type != RAFT_CHANGE_ADD_VOTER &&
		    op->type != RAFT_CHANGE_ADD_LEARNER)
			continue;
		for (j = 0; j < m->n_members; j++)
			if (m->members[j].id == op->id)
				return false;
		n++;
	}
	return n > RAFT_MAX_NODES;
}

static void raftlog_mreq_start(struct raftlog_node *node)
{
	struct raftlog_mreq *rq = &node->mreq;
	int err;

	lockdep_assert_held(&node->member_lock);
	if (!time_before(jiffies, rq->deadline)) {
		raftlog_mreq_finish(node, -ETIMEDOUT);
		return;
	}
	if (rq->transfer) {
		raft_get_status(node->raft, &node->cur);
		if (node->cur.role == RAFT_LEADER && rq->to == node->cfg.id) {
			rq->leader = node->cfg.id;
			rq->term = node->cur.term;
			raftlog_mreq_finish(node, 0);
			return;
		}
		err = raft_transfer_leader(node->raft, rq->to);
		if (err == RAFT_OK) {
			rq->term = node->cur.term;
			WRITE_ONCE(rq->state, RAFTLOG_MREQ_TRANSFER);
			return;
		}
	} else {
		if (raftlog_member_full(node, &rq->ch)) {
			raftlog_mreq_finish(node, -ENOSPC);
			return;
		}
		err = raft_propose_change(node->raft, rq->cookie, &rq->ch);
		if (err == RAFT_OK) {
			WRITE_ONCE(rq->state, RAFTLOG_MREQ_PROPOSED);
			return;
		}
	}
	raftlog_mreq_refused(node, err);
}

void raftlog_member_run(struct raftlog_node *node)
{
	raftlog_assert_loop(node);
	if (READ_ONCE(node->mreq.state) != RAFTLOG_MREQ_QUEUED)
		return;
	mutex_lock(&node->member_lock);
	if (node->mreq.state == RAFTLOG_MREQ_QUEUED)
		raftlog_mreq_start(node);
	mutex_unlock(&node->member_lock);
}

void raftlog_member_result(struct raftlog_node *node,
			   const struct raft_proposal_result *res)
{
	struct raftlog_mreq *rq = &node->mreq;

	raftlog_assert_loop(node);
	mutex_lock(&node->member_lock);
	if (rq->state == RAFTLOG_MREQ_PROPOSED && rq->cookie == res->cookie) {
		rq->index = res->index;
		rq->term = res->term;
		rq->result = raftlog_member_errno(rq, res->status);
		/* raftlog_member_watch() tells the caller after publishing */
		WRITE_ONCE(rq->state, RAFTLOG_MREQ_RESULT);
	}
	mutex_unlock(&node->member_lock);
}

void raftlog_member_watch(struct raftlog_node *node)
{
	const struct raft_status *st = &node->cur;
	struct raftlog_mreq *rq = &node->mreq;
	u32 self = node->cfg.id;

	raftlog_assert_loop(node);
	if (READ_ONCE(rq->state) != RAFTLOG_MREQ_TRANSFER &&
	    READ_ONCE(rq->state) != RAFTLOG_MREQ_RESULT)
		return;
	mutex_lock(&node->member_lock);
	if (rq->state == RAFTLOG_MREQ_RESULT) {
		/* the snapshot has the configuration the change made */
		raftlog_mreq_finish(node, rq->result);
		goto out;
	}
	if (rq->state != RAFTLOG_MREQ_TRANSFER)
		goto out;
	rq->leader = st->leader;
	rq->term = st->term;
	if (st->leader && st->leader != self) {
		/* someone else leads: the target, or it lost its election */
		raftlog_mreq_finish(node, !rq->to || st->leader == rq->to ?
				    0 : -ETIMEDOUT);
	} else if (st->role == RAFT_LEADER && !st->transfer_to) {
		raftlog_mreq_finish(node, -ETIMEDOUT);	/* the core gave up */
	} else if (!time_before(jiffies, rq->deadline)) {
		raftlog_mreq_finish(node, -ETIMEDOUT);
	}
out:
	mutex_unlock(&node->member_lock);
}

void raftlog_member_fail(struct raftlog_node *node, int err)
{
	mutex_lock(&node->member_lock);
	if (node->mreq.state == RAFTLOG_MREQ_RESULT)
		raftlog_mreq_finish(node, node->mreq.result);
	else if (node->mreq.state != RAFTLOG_MREQ_IDLE &&
		 node->mreq.state != RAFTLOG_MREQ_DONE)
		raftlog_mreq_finish(node, err);
	mutex_unlock(&node->member_lock);
}
