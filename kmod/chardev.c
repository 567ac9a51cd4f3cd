// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/raftlog and /dev/raftlog-NAME, one minor per enabled node.
 *
 * read() returns one committed client entry per call, the first at or
 * after the file position, and moves the position past it: the position
 * is the log index of the next entry to read (1 after open). Leaders'
 * no-op entries are not client data and are stepped over. A buffer too
 * small for the entry gets -EMSGSIZE and the position stays. Reads use
 * only the node's committed-entry store (committed.c), never the core.
 *
 * write() proposes one entry under the file's session (the next seq) and,
 * by default, waits until it is known committed (returns its length),
 * known never to commit (-ECANCELED), or the commit timeout passes
 * (-ETIMEDOUT: it may still commit). See raftlog_errno() for the rest.
 *
 * Every operation on a file whose node was disabled (instance disabled
 * or removed, its network namespace deleted) fails with -ESHUTDOWN;
 * sleepers are woken to get it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <uapi/linux/raftlog.h>
#include "backend.h"
#include "chardev.h"
#include "committed.h"
#include "cursor.h"
#include "instance.h"
#include "member.h"
#include "proposal.h"

static dev_t raftlog_devt;
static struct cdev raftlog_cdev;

/*
 * An open file: its node (a reference), its last committed write, where
 * its last read ended in the log, and the session its writes carry. @pos
 * is a hint that is right whatever pair of (index, offset) it holds, so
 * concurrent reads (pread) need only copy it whole, under @pos_lock.
 *
 * Session (under @sess_lock): writes take @next_seq in turn; at most
 * RAFT_SESSION_WINDOW seqs from @seq_base (the oldest unfinished) are in
 * flight, so a leader still remembers every seq a retry can carry.
 * @seq_done has bit i set when seq_base + i has finished.
 */
struct raftlog_file {
	struct raftlog_node *node;
	atomic64_t last_write;
	spinlock_t pos_lock;		/* guards @pos */
	struct raftlog_read_pos pos;
	spinlock_t sess_lock;		/* guards the session fields below */
	u64 sess_id;
	u64 sess_start;
	u64 next_seq;
	u64 seq_base;
	u64 seq_done;
	u32 in_flight;
	bool sess_named;		/* set by the ioctl: maybe a retry */
};

dev_t raftlog_chardev_devt(int minor)
{
	return MKDEV(MAJOR(raftlog_devt), minor);
}

/* -ESHUTDOWN once disabled, -EIO once its storage failed, else 0. */
static int raftlog_node_usable(struct raftlog_node *node)
{
	if (READ_ONCE(node->dead))
		return -ESHUTDOWN;
	if (test_bit(RAFTLOG_NODE_FAILED, &node->flags))
		return -EIO;
	return 0;
}

static int raftlog_open(struct inode *inode, struct file *file)
{
	struct raftlog_file *rf;
	struct raftlog_node *node;

	node = raftlog_node_by_minor(iminor(inode));
	if (!node)
		return -ENXIO;
	rf = kzalloc(sizeof(*rf), GFP_KERNEL);
	if (!rf) {
		raftlog_node_put(node);
		return -ENOMEM;
	}
	rf->node = node;
	atomic64_set(&rf->last_write, 0);
	spin_lock_init(&rf->pos_lock);
	spin_lock_init(&rf->sess_lock);
	do {
		rf->sess_id = get_random_u64();
	} while (!rf->sess_id);
	rf->sess_start = raftlog_store_last(node);
	rf->next_seq = 1;
	rf->seq_base = 1;
	file->private_data = rf;
	file->f_pos = 1;
	/* Readers sharing a file must not both take one position. */
	file->f_mode |= FMODE_ATOMIC_POS;
	return 0;
}

static int raftlog_release(struct inode *inode, struct file *file)
{
	struct raftlog_file *rf = file->private_data;

	raftlog_node_put(rf->node);
	kfree(rf);
	return 0;
}

/* Copies the file's position hint out, or back in (@store). */
static void raftlog_file_pos(struct raftlog_file *rf,
			     struct raftlog_read_pos *pos, bool store)
{
	spin_lock(&rf->pos_lock);
	if (store)
		rf->pos = *pos;
	else
		*pos = rf->pos;
	spin_unlock(&rf->pos_lock);
}

/* Something to report to a reader waiting for index @from. */
static bool raftlog_read_ready(struct raftlog_node *node, u64 from)
{
	return raftlog_store_last(node) >= from || raftlog_node_usable(node);
}

static ssize_t raftlog_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	struct raftlog_file *rf = file->private_data;
	struct raftlog_node *node = rf->node;
	u64 from = raftlog_cursor_index(*ppos);
	struct raftlog_read_pos pos;
	ssize_t ret;

	for (;;) {
		ret = raftlog_node_usable(node);
		if (ret)
			return ret;
		raftlog_file_pos(rf, &pos, false);
		ret = raftlog_store_read(node, &pos, &from, buf, len);
		raftlog_file_pos(rf, &pos, true);
		if (ret != -EAGAIN)
			break;
		/* Only no-ops (or nothing) up to @from: wait for more. */
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		if (wait_event_interruptible(node->read_wq,
					     raftlog_read_ready(node, from)))
			return -ERESTARTSYS;
	}
	if (ret >= 0)
		*ppos = from;
	return ret;
}

static bool raftlog_file_window_open(struct raftlog_file *rf)
{
	return READ_ONCE(rf->next_seq) <
	       READ_ONCE(rf->seq_base) + RAFT_SESSION_WINDOW;
}

/* Gives @prop the file's next (session, seq), once the window has room. */
static int raftlog_file_take_seq(struct raftlog_file *rf,
				 struct raftlog_prop *prop)
{
	struct raftlog_node *node = rf->node;
	int err;

	for (;;) {
		spin_lock(&rf->sess_lock);
		if (rf->next_seq < rf->seq_base + RAFT_SESSION_WINDOW) {
			prop->session = rf->sess_id;
			prop->seq = rf->next_seq++;
			/*
			 * An index below every entry of this seq: the commit
			 * seen before its first try (a named session's own).
			 */
			prop->start = rf->sess_named ? rf->sess_start :
				      raftlog_store_last(node);
			prop->first_try = !rf->sess_named;
			rf->in_flight++;
			spin_unlock(&rf->sess_lock);
			return 0;
		}
		spin_unlock(&rf->sess_lock);
		if (prop->nonblock)
			return -EAGAIN;
		if (wait_event_interruptible(node->write_wq,
					     raftlog_file_window_open(rf) ||
					     raftlog_node_usable(node)))
			return -ERESTARTSYS;
		err = raftlog_node_usable(node);
		if (err)
			return err;
	}
}

static void raftlog_file_seq_done(struct raftlog_file *rf, u64 seq)
{
	bool was_closed;

	spin_lock(&rf->sess_lock);
	/*
	 * Only a closed window has writers waiting for it: waking the node's
	 * every writer for each write made 64 writers 6x slower.
	 */
	was_closed = !raftlog_file_window_open(rf);
	if (seq >= rf->seq_base && seq - rf->seq_base < 64)
		rf->seq_done |= 1ULL << (seq - rf->seq_base);
	while (rf->seq_done & 1) {
		rf->seq_done >>= 1;
		rf->seq_base++;
	}
	rf->in_flight--;
	spin_unlock(&rf->sess_lock);
	if (was_closed)
		wake_up_all(&rf->node->write_wq);	/* it may be open now */
}

static ssize_t raftlog_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct raftlog_file *rf = file->private_data;
	struct raftlog_node *node = rf->node;
	bool nonblock = file->f_flags & O_NONBLOCK;
	struct raftlog_prop *prop;
	u64 index = 0, seq;
	long ret;

	if (!len)
		return -EINVAL;
	if (len > node->max_entry_size)
		return -EMSGSIZE;
	ret = raftlog_node_usable(node);
	if (ret)
		return ret;
	prop = raftlog_prop_alloc(buf, len, nonblock);
	if (IS_ERR(prop))
		return PTR_ERR(prop);
	ret = raftlog_file_take_seq(rf, prop);
	if (ret) {
		raftlog_prop_put(prop);
		return ret;
	}
	seq = prop->seq;
	ret = raftlog_prop_submit(node, prop, &index);
	raftlog_file_seq_done(rf, seq);
	if (ret >= 0 && index)
		atomic64_set(&rf->last_write, index);
	return ret;
}

static loff_t raftlog_llseek(struct file *file, loff_t off, int whence)
{
	struct raftlog_node *node = ((struct raftlog_file *)
				     file->private_data)->node;
	loff_t pos = raftlog_cursor_seek(file->f_pos, off, whence,
					 raftlog_store_last(node) + 1);

	if (pos >= 0)
		file->f_pos = pos;
	return pos;
}

static __poll_t raftlog_poll(struct file *file, poll_table *wait)
{
	struct raftlog_file *rf = file->private_data;
	struct raftlog_node *node = rf->node;
	struct raftlog_snapshot snap;
	struct raftlog_read_pos pos;
	__poll_t mask = 0;

	poll_wait(file, &node->read_wq, wait);
	poll_wait(file, &node->write_wq, wait);
	if (raftlog_node_usable(node))
		return EPOLLHUP | EPOLLERR;
	/* the hint makes finding the cursor's record in the file cheap */
	raftlog_file_pos(rf, &pos, false);
	if (raftlog_store_readable(node, &pos,
				   raftlog_cursor_index(READ_ONCE(file->f_pos))))
		mask |= EPOLLIN | EPOLLRDNORM;
	raftlog_node_snapshot(node, &snap);
	if (snap.can_propose)
		mask |= EPOLLOUT | EPOLLWRNORM;
	return mask;
}

static void raftlog_fill_status(struct raftlog_node *node,
				struct raftlog_status *out)
{
	struct raftlog_snapshot snap;
	const struct raft_status *st = &snap.st;
	u32 i, ticks;

	raftlog_node_snapshot(node, &snap);
	memset(out, 0, sizeof(*out));
	out->id = st->id;
	out->role = st->role;
	out->term = st->term;
	out->leader = st->leader;
	out->voted_for = st->voted_for;
	out->commit_index = st->commit_index;
	out->first_index = st->first_index;
	out->last_index = st->last_index;
	out->last_term = st->last_term;
	out->election_timeout_ms = node->election_ms;
	out->heartbeat_ms = node->heartbeat_ms;
	out->max_entry_size = node->max_entry_size;
	if (snap.failed)
		out->flags |= RAFTLOG_STATUS_FAILED;
	if (READ_ONCE(node->reader)->durable)
		out->flags |= RAFTLOG_STATUS_DURABLE;
	out->n_peers = min_t(u32, st->n_peers, RAFTLOG_MAX_NODES - 1);
	for (i = 0; i < out->n_peers; i++) {
		ticks = st->peers[i].ticks_since_heard;
		out->peers[i].id = st->peers[i].id;
		out->peers[i].last_contact_ms = ticks == U32_MAX ? U32_MAX :
			min_t(u64, (u64)ticks * RAFTLOG_TICK_MS, U32_MAX - 1);
		out->peers[i].match_index = st->peers[i].match_index;
		out->peers[i].next_index = st->peers[i].next_index;
	}
}

static int raftlog_get_session(struct raftlog_file *rf, void __user *argp)
{
	struct raftlog_session s = { 0 };

	spin_lock(&rf->sess_lock);
	s.id = rf->sess_id;
	s.next_seq = rf->next_seq;
	s.start_index = rf->sess_start;
	spin_unlock(&rf->sess_lock);
	return copy_to_user(argp, &s, sizeof(s)) ? -EFAULT : 0;
}

static int raftlog_set_session(struct raftlog_file *rf, void __user *argp)
{
	struct raftlog_session s;
	int err = 0;

	if (copy_from_user(&s, argp, sizeof(s)))
		return -EFAULT;
	if (!s.id || !s.next_seq || s.next_seq >= RAFT_TERM_LIMIT ||
	    s.start_index >= RAFT_TERM_LIMIT || s.reserved)
		return -EINVAL;
	spin_lock(&rf->sess_lock);
	if (rf->in_flight) {
		err = -EBUSY;
	} else {
		rf->sess_id = s.id;
		rf->sess_start = s.start_index;
		rf->next_seq = s.next_seq;
		rf->seq_base = s.next_seq;
		rf->seq_done = 0;
		rf->sess_named = true;
	}
	spin_unlock(&rf->sess_lock);
	return err;
}

static long raftlog_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	struct raftlog_file *rf = file->private_data;
	void __user *argp = (void __user *)arg;
	struct raftlog_status *st;
	int err;

	switch (cmd) {
	case RAFTLOG_IOC_STATUS:
		if (READ_ONCE(rf->node->dead))
			return -ESHUTDOWN;
		st = kmalloc(sizeof(*st), GFP_KERNEL);
		if (!st)
			return -ENOMEM;
		raftlog_fill_status(rf->node, st);
		err = copy_to_user(argp, st, sizeof(*st)) ? -EFAULT : 0;
		kfree(st);
		return err;
	case RAFTLOG_IOC_LAST_WRITE:
		return put_user((u64)atomic64_read(&rf->last_write),
				(u64 __user *)argp);
	case RAFTLOG_IOC_GET_SESSION:
		return raftlog_get_session(rf, argp);
	case RAFTLOG_IOC_SET_SESSION:
		return raftlog_set_session(rf, argp);
	default:
		/* membership: RAFTLOG_IOC_MEMBERS and the changes */
		return raftlog_member_ioctl(file, rf->node, cmd, argp);
	}
}

static const struct file_operations raftlog_fops = {
	.owner = THIS_MODULE,
	.open = raftlog_open,
	.release = raftlog_release,
	.read = raftlog_read,
	.write = raftlog_write,
	.llseek = raftlog_llseek,
	.poll = raftlog_poll,
	.unlocked_ioctl = raftlog_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

int raftlog_chardev_init(void)
{
	int err;

	BUILD_BUG_ON(RAFTLOG_SESSION_WINDOW != RAFT_SESSION_WINDOW);
	BUILD_BUG_ON(RAFTLOG_MAX_SESSIONS != RAFT_MAX_SESSIONS);
	BUILD_BUG_ON(RAFT_SESSION_WINDOW > 64);	/* @seq_done's bits */
	err = alloc_chrdev_region(&raftlog_devt, 0, RAFTLOG_MAX_MINORS,
				  "raftlog");
	if (err)
		return err;
	cdev_init(&raftlog_cdev, &raftlog_fops);
	raftlog_cdev.owner = THIS_MODULE;
	err = cdev_add(&raftlog_cdev, raftlog_devt, RAFTLOG_MAX_MINORS);
	if (err)
		unregister_chrdev_region(raftlog_devt, RAFTLOG_MAX_MINORS);
	return err;
}

void raftlog_chardev_exit(void)
{
	cdev_del(&raftlog_cdev);
	unregister_chrdev_region(raftlog_devt, RAFTLOG_MAX_MINORS);
}
