// SPDX-License-Identifier: GPL-2.0
/*
 * Opening a data_dir for the disk backend (disk_log.c): the directory is
 * claimed for one instance, files of another format version are refused
 * before anything is created or written, the hard state is loaded from
 * its two slots, and a directory that never promised anything is
 * (re)initialised. Also the file primitives both halves use.
 *
 * Trust: the directory must belong to root and be writable by nobody
 * else (-EACCES otherwise), and its files are opened relative to the
 * directory claimed, never by path and never through a symbolic link
 * (-ELOOP), so no one can swap them after the checks. After a write or
 * sync error the page cache may hold records that never reached the disk
 * (a failed writeback leaves its pages clean), and a replay would read
 * them back as durable: so the failure is remembered, with the log length
 * and hard state last synced, for the next open of the same directory,
 * which first cuts the log to that length and writes that hard state
 * again, both synced, before anything is replayed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/uidgid.h>
#include "backend.h"
#include "disk.h"
#include "node.h"
#include "record.h"

#define RAFTLOG_LOG_FILE	"log"
#define RAFTLOG_STATE_FILE	"state"
#define RAFTLOG_FILE_MODE	0600

/*
 * A directory whose instance failed after it had opened: what the next
 * open may trust. @log_len < 0: nothing to apply (a record kept ready).
 */
struct raftlog_disk_distrust {
	struct list_head link;
	dev_t dev;			/* the directory's, */
	unsigned long ino;		/* while it stays mounted */
	char *name;
	loff_t log_len;			/* log bytes last synced */
	struct raftlog_rec_hs hs;	/* hard state last synced */
};

/* Both lists under the lock. */
static LIST_HEAD(raftlog_disk_busy);
static LIST_HEAD(raftlog_disk_distrusted);
static DEFINE_MUTEX(raftlog_disk_lock);

int raftlog_disk_fail(struct raftlog_disk *d, const char *what, int err)
{
	if (!d->failed)
		pr_err("%s: data_dir %s: %s failed (%d)\n", d->node->name,
		       d->dir_name, what, err);
	d->failed = true;
	return err;
}

/* --- file primitives ---------------------------------------------------- */

int raftlog_disk_write(struct file *f, const void *buf, size_t len,
		       loff_t pos)
{
	ssize_t n;

	while (len) {
		n = kernel_write(f, buf, len, &pos);
		if (n < 0)
			return n;
		if (!n)
			return -ENOSPC;
		buf += n;
		len -= n;
	}
	return 0;
}

ssize_t raftlog_disk_read(struct file *f, void *buf, size_t len, loff_t pos)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = kernel_read(f, buf + done, len - done, &pos);
		if (n < 0)
			return n;
		if (!n)
			break;
		done += n;
	}
	return done;
}

int raftlog_disk_fsync(struct raftlog_disk *d, struct file *f)
{
	int err = vfs_fsync(f, 1);

	d->node->stats.fsyncs++;
	return err;
}

/*
 * Opens data_dir/@name read-write; -ENOENT when it does not exist. The
 * name is looked up in the directory claimed, not by path, and a symbolic
 * link is refused (-ELOOP), so the files are the directory's own.
 */
static struct file *raftlog_disk_open_file(struct raftlog_disk *d,
					   const char *name, int flags)
{
	struct file *f;

	f = file_open_root(&d->dir->f_path, name,
			   O_RDWR | O_LARGEFILE | O_NOFOLLOW | flags,
			   RAFTLOG_FILE_MODE);
	if (f == ERR_PTR(-ELOOP))
		pr_warn_ratelimited("%s: data_dir %s: %s is a symbolic link; refusing to enable (ELOOP)\n",
				    d->node->name, d->dir_name, name);
	if (!IS_ERR(f) && !S_ISREG(file_inode(f)->i_mode)) {
		filp_close(f, NULL);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* Opens data_dir/@name, if it exists (*@fp stays NULL if not). */
static int raftlog_disk_open_existing(struct raftlog_disk *d,
				      const char *name, struct file **fp)
{
	struct file *f = raftlog_disk_open_file(d, name, 0);

	if (f == ERR_PTR(-ENOENT))
		return 0;
	if (IS_ERR(f))
		return PTR_ERR(f);
	*fp = f;
	return 0;
}

/* Creates data_dir/@name unless *@fp is open already. */
static int raftlog_disk_create(struct raftlog_disk *d, const char *name,
			       struct file **fp)
{
	struct file *f;

	if (*fp)
		return 0;
	f = raftlog_disk_open_file(d, name, O_CREAT | O_EXCL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	*fp = f;
	return 0;
}

/* --- the directory ------------------------------------------------------ */

/* Claims the directory for this instance: -EBUSY if another has it. */
static int raftlog_disk_claim(struct raftlog_disk *d)
{
	struct inode *inode = file_inode(d->dir);
	struct raftlog_disk *o;
	int err = 0;

	mutex_lock(&raftlog_disk_lock);
	list_for_each_entry(o, &raftlog_disk_busy, busy) {
		if (file_inode(o->dir) == inode) {
			pr_err("%s: data_dir %s: in use by %s\n",
			       d->node->name, d->dir_name, o->node->name);
			err = -EBUSY;
			break;
		}
	}
	if (!err)
		list_add(&d->busy, &raftlog_disk_busy);
	mutex_unlock(&raftlog_disk_lock);
	return err;
}

/*
 * Only root may be able to change what the instance reads: a directory
 * owned by another user, or that group or others can write, is refused.
 */
static int raftlog_disk_check_dir(struct raftlog_disk *d)
{
	const struct inode *inode = file_inode(d->dir);
	const char *why;

	if (!uid_eq(inode->i_uid, GLOBAL_ROOT_UID))
		why = "is not owned by root";
	else if (inode->i_mode & 0022)	/* group or others may write */
		why = "can be written by group or others";
	else
		return 0;
	pr_warn_ratelimited("%s: data_dir %s: the directory %s (owner %u, mode %04o); refusing to enable (EACCES)\n",
			    d->node->name, d->dir_name, why, i_uid_read(inode),
			    inode->i_mode & 07777);
	return -EACCES;
}

/*
 * Takes the record of an earlier failure of this directory, or a fresh
 * one with nothing to apply, for raftlog_disk_close_files() to file.
 */
static int raftlog_disk_take_distrust(struct raftlog_disk *d)
{
	const struct inode *inode = file_inode(d->dir);
	struct raftlog_disk_distrust *t;

	mutex_lock(&raftlog_disk_lock);
	list_for_each_entry(t, &raftlog_disk_distrusted, link) {
		if (t->dev == inode->i_sb->s_dev && t->ino == inode->i_ino) {
			list_del_init(&t->link);
			d->distrust = t;
			break;
		}
	}
	mutex_unlock(&raftlog_disk_lock);
	if (d->distrust)
		return 0;
	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (t)
		t->name = kstrdup(d->dir_name, GFP_KERNEL);
	if (!t || !t->name) {
		kfree(t);
		return -ENOMEM;
	}
	INIT_LIST_HEAD(&t->link);
	t->dev = inode->i_sb->s_dev;
	t->ino = inode->i_ino;
	t->log_len = -1;
	d->distrust = t;
	return 0;
}

int raftlog_disk_open_dir(struct raftlog_disk *d)
{
	struct file *f;
	int err;

	f = filp_open(d->dir_name, O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(f)) {
		pr_err("%s: data_dir %s: cannot open the directory (%ld)\n",
		       d->node->name, d->dir_name, PTR_ERR(f));
		return PTR_ERR(f);
	}
	d->dir = f;
	err = raftlog_disk_check_dir(d);
	if (!err)
		err = raftlog_disk_claim(d);
	if (!err)
		err = raftlog_disk_take_distrust(d);
	return err;
}

/* Files the record for the next open, or frees it if nothing to apply. */
static void raftlog_disk_put_distrust(struct raftlog_disk *d)
{
	struct raftlog_disk_distrust *t = d->distrust;

	d->distrust = NULL;
	if (d->opened && d->failed) {
		t->log_len = d->synced;
		t->hs = d->hs;
	}
	if (t->log_len < 0) {
		kfree(t->name);
		kfree(t);
		return;
	}
	mutex_lock(&raftlog_disk_lock);
	list_add(&t->link, &raftlog_disk_distrusted);
	mutex_unlock(&raftlog_disk_lock);
}

void raftlog_disk_distrust_exit(void)
{
	struct raftlog_disk_distrust *t, *n;

	list_for_each_entry_safe(t, n, &raftlog_disk_distrusted, link) {
		pr_warn("data_dir %s: forgetting that a sync failed there: drop the page cache (echo 3 >/proc/sys/vm/drop_caches) or remount it before it is used again\n",
			t->name);
		list_del(&t->link);
		kfree(t->name);
		kfree(t);
	}
}

void raftlog_disk_close_files(struct raftlog_disk *d)
{
	if (d->distrust)
		raftlog_disk_put_distrust(d);
	if (!list_empty(&d->busy)) {
		mutex_lock(&raftlog_disk_lock);
		list_del_init(&d->busy);
		mutex_unlock(&raftlog_disk_lock);
	}
	if (!IS_ERR_OR_NULL(d->log))
		filp_close(d->log, NULL);
	if (!IS_ERR_OR_NULL(d->state))
		filp_close(d->state, NULL);
	if (!IS_ERR_OR_NULL(d->dir))
		filp_close(d->dir, NULL);
	d->log = NULL;
	d->state = NULL;
	d->dir = NULL;
}

/* --- hard state --------------------------------------------------------- */

static loff_t raftlog_disk_slot(u64 seq)
{
	return (seq & 1) * RAFTLOG_HS_SLOT_STRIDE;
}

/*
 * Loads the newest intact slot into d->hs: 0, -ENODATA when no slot is
 * intact, -EINVAL when a slot names another node or cluster.
 */
static int raftlog_disk_load_hs(struct raftlog_disk *d)
{
	u8 buf[RAFTLOG_HS_SIZE];
	struct raftlog_rec_hs hs;
	bool found = false;
	ssize_t n;
	int i, err;

	for (i = 0; i < 2; i++) {
		n = raftlog_disk_read(d->state, buf, sizeof(buf),
				      raftlog_disk_slot(i));
		if (n < 0)
			return raftlog_disk_fail(d, "reading state", n);
		if (n < sizeof(buf))
			continue;
		err = raftlog_rec_hs_decode(buf, &d->owner, &hs);
		if (err == -EINVAL) {
			pr_err("%s: data_dir %s: state belongs to another node id or cluster_id (this is node %u of cluster %llu)\n",
			       d->node->name, d->dir_name, d->owner.node_id,
			       d->owner.cluster_id);
			return err;
		}
		if (err || (found && hs.seq <= d->hs.seq))
			continue;
		d->hs = hs;
		found = true;
	}
	return found ? 0 : -ENODATA;
}

int raftlog_disk_write_hs(struct raftlog_disk *d,
			  const struct raftlog_rec_hs *hs)
{
	u8 buf[RAFTLOG_HS_SIZE];
	int err;

	raftlog_rec_hs_encode(buf, &d->owner, hs);
	err = raftlog_disk_write(d->state, buf, sizeof(buf),
				 raftlog_disk_slot(hs->seq));
	if (err)
		return raftlog_disk_fail(d, "writing state", err);
	err = raftlog_disk_fsync(d, d->state);
	if (err)
		return raftlog_disk_fail(d, "syncing state", err);
	d->hs = *hs;
	return 0;
}

/* --- opening: decide between a fresh directory and a replay ------------- */

/*
 * A directory is fresh when no intact hard state exists and the log holds
 * no record: nothing was ever promised from it, so it is (re)initialised.
 * Creation order (log, state, then one directory fsync) makes an intact
 * state imply an intact log header, except when the directory entry of
 * the log was lost before that fsync; a state still at term 0 without a
 * vote has promised nothing either, so the log is then made anew.
 */
static int raftlog_disk_init(struct raftlog_disk *d)
{
	struct raftlog_rec_hs hs = { .seq = 1 };
	u8 hdr[RAFTLOG_LOG_HDR_SIZE];
	int err;

	raftlog_rec_log_hdr_encode(hdr, &d->owner);
	err = vfs_truncate(&d->log->f_path, 0);
	if (!err)
		err = raftlog_disk_write(d->log, hdr, sizeof(hdr), 0);
	if (!err)
		err = raftlog_disk_fsync(d, d->log);
	if (err)
		return raftlog_disk_fail(d, "creating log", err);
	err = raftlog_disk_write_hs(d, &hs);
	if (err)
		return err;
	err = raftlog_disk_fsync(d, d->dir);
	if (err)
		return raftlog_disk_fail(d, "syncing the directory", err);
	pr_info("%s: data_dir %s: initialised\n", d->node->name, d->dir_name);
	/* nothing was promised from it, so nothing is left to distrust */
	if (d->distrust)
		d->distrust->log_len = -1;
	return 0;
}

/* 0: the log header is intact; 1: the log is empty or shorter. */
static int raftlog_disk_check_log_hdr(struct raftlog_disk *d)
{
	u8 hdr[RAFTLOG_LOG_HDR_SIZE];
	ssize_t n;
	int err;

	n = raftlog_disk_read(d->log, hdr, sizeof(hdr), 0);
	if (n < 0)
		return raftlog_disk_fail(d, "reading log", n);
	if (n < sizeof(hdr))
		return 1;
	err = raftlog_rec_log_hdr_check(hdr, &d->owner);
	if (err == -EINVAL)
		pr_err("%s: data_dir %s: log belongs to another node id or cluster_id (this is node %u of cluster %llu)\n",
		       d->node->name, d->dir_name, d->owner.node_id,
		       d->owner.cluster_id);
	else if (err)
		pr_err("%s: data_dir %s: log header is damaged; refusing to start\n",
		       d->node->name, d->dir_name);
	return err;
}

/*
 * The format version of the log header or state slot of @size bytes at
 * @off, or RAFTLOG_REC_VERSION when no intact one is there (what that
 * means is for the checks after this one).
 */
static int raftlog_disk_version(struct raftlog_disk *d, struct file *f,
				loff_t off, size_t size)
{
	u8 buf[RAFTLOG_HS_SIZE];
	ssize_t n;
	int v;

	BUILD_BUG_ON(RAFTLOG_LOG_HDR_SIZE > RAFTLOG_HS_SIZE);
	n = raftlog_disk_read(f, buf, size, off);
	if (n < 0)
		return raftlog_disk_fail(d, "reading its files", n);
	if (n < size)
		return RAFTLOG_REC_VERSION;
	v = f == d->log ? raftlog_rec_log_hdr_version(buf) :
			  raftlog_rec_hs_version(buf);
	return v < 0 ? RAFTLOG_REC_VERSION : v;
}

/*
 * Files written in another format version (record.h) are refused with
 * -ENOEXEC ("Exec format error": the files are sound, this module cannot
 * read them), unlike -EUCLEAN (damaged) and -EINVAL (another node's),
 * before anything in the directory is created or written.
 */
static int raftlog_disk_check_version(struct raftlog_disk *d)
{
	const char *name = RAFTLOG_LOG_FILE;
	int v = RAFTLOG_REC_VERSION, i;

	if (d->log)
		v = raftlog_disk_version(d, d->log, 0, RAFTLOG_LOG_HDR_SIZE);
	for (i = 0; i < 2 && d->state && v == RAFTLOG_REC_VERSION; i++) {
		name = RAFTLOG_STATE_FILE;
		v = raftlog_disk_version(d, d->state, raftlog_disk_slot(i),
					 RAFTLOG_HS_SIZE);
	}
	if (v < 0)
		return v;
	if (v == RAFTLOG_REC_VERSION)
		return 0;
	pr_err("%s: data_dir %s: %s format version %d, this module reads version %d; refusing to start, nothing changed: run the module that wrote it, or start from an empty directory to rejoin as a new member\n",
	       d->node->name, d->dir_name, name, v, RAFTLOG_REC_VERSION);
	return -ENOEXEC;
}

/*
 * After an earlier failure (see the top): the log is cut to the length
 * last synced and the hard state last synced is written again, into the
 * slot the failed write may have left in the page cache only (so the
 * other, synced slot stays intact until this one is), both synced.
 */
static int raftlog_disk_untrust(struct raftlog_disk *d)
{
	struct raftlog_disk_distrust *t = d->distrust;
	struct raftlog_rec_hs hs;
	loff_t size;
	int err = 0;

	if (!t || t->log_len < 0)
		return 0;
	size = raftlog_disk_size(d->log);
	if (size > t->log_len)
		err = vfs_truncate(&d->log->f_path, t->log_len);
	if (!err)
		err = raftlog_disk_fsync(d, d->log);
	if (err)
		return raftlog_disk_fail(d, "cutting the log to its last sync",
					 err);
	hs = t->hs;
	hs.seq++;
	err = raftlog_disk_write_hs(d, &hs);
	if (err)
		return err;
	pr_warn("%s: data_dir %s: a sync failed here before: cut the log to the %lld bytes last synced (%lld dropped), term %llu and vote %u synced again\n",
		d->node->name, d->dir_name, t->log_len,
		max_t(loff_t, size - t->log_len, 0), hs.term, hs.vote);
	t->log_len = -1;
	return 0;
}

int raftlog_disk_opened(struct raftlog_disk *d)
{
	int err = raftlog_disk_fsync(d, d->log);

	if (!err)
		err = raftlog_disk_fsync(d, d->state);
	if (err)
		return raftlog_disk_fail(d, "syncing what was replayed", err);
	d->synced = d->end;
	d->opened = true;
	return 0;
}

int raftlog_disk_open_files(struct raftlog_disk *d)
{
	int err, log_short;

	err = raftlog_disk_open_existing(d, RAFTLOG_LOG_FILE, &d->log);
	if (!err)
		err = raftlog_disk_open_existing(d, RAFTLOG_STATE_FILE,
						 &d->state);
	if (!err) {
		err = raftlog_disk_check_version(d);
		if (err)
			return err;
		err = raftlog_disk_create(d, RAFTLOG_LOG_FILE, &d->log);
	}
	if (!err)
		err = raftlog_disk_create(d, RAFTLOG_STATE_FILE, &d->state);
	if (err) {
		if (err != -ELOOP)	/* raftlog_disk_open_file() said why */
			pr_err("%s: data_dir %s: cannot open or create its files (%d)\n",
			       d->node->name, d->dir_name, err);
		return err;
	}
	err = raftlog_disk_load_hs(d);
	if (err && err != -ENODATA)
		return err;
	if (err && raftlog_disk_size(d->log) <= RAFTLOG_LOG_HDR_SIZE)
		return raftlog_disk_init(d);
	if (err) {
		pr_err("%s: data_dir %s: no intact term and vote but the log has entries; refusing to start\n",
		       d->node->name, d->dir_name);
		return -EUCLEAN;
	}
	log_short = raftlog_disk_check_log_hdr(d);
	if (log_short < 0)
		return log_short;
	if (log_short && !d->hs.term && !d->hs.vote)
		return raftlog_disk_init(d);
	if (log_short) {
		pr_err("%s: data_dir %s: log is missing but term %llu was stored; refusing to start\n",
		       d->node->name, d->dir_name, d->hs.term);
		return -EUCLEAN;
	}
	return raftlog_disk_untrust(d);
}
