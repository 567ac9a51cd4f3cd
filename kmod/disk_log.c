// SPDX-License-Identifier: GPL-2.0
/*
 * Disk storage for an instance with a data_dir: its term and vote in
 * "state", its log in "log" (formats in record.h). disk_files.c opens
 * the directory and its files; this file replays, appends and reads back
 * the log.
 *
 * Rules, in the order Raft needs them:
 * - A new term or vote is written to the state slot not holding the
 *   current one and fsynced at once, so it is durable before any entry of
 *   that term is written (replay can then trust that no entry has a term
 *   above the stored one) and no crash can leave both slots torn.
 * - Entries are appended with one write per buffer of records; the log
 *   is fsynced off the loop by the fsync worker (disk_sync.c), one fsync
 *   in flight covering every ready written before it (group commit), and
 *   only what it covered is reported durable. A conflict cut is a
 *   truncate that is fsynced before new entries go over the same bytes,
 *   so a crash can never leave old records behind new ones.
 * - Replay accepts records while magic, length, checksum, index and term
 *   all hold. The first record that fails ends the log: if no intact
 *   record follows it, it is a torn tail of a write that was never
 *   acknowledged and is cut (one pr_warn); if one does, data in the
 *   middle is damaged and the instance refuses to start (-EUCLEAN). An
 *   intact record that breaks the format's rules (a client entry without
 *   session and seq, say) was written so, not torn: also -EUCLEAN.
 * - Any I/O error is returned and latches the backend as failed: the loop
 *   then stops the node, and nothing written after the error is trusted,
 *   not even by the next open of the directory (disk_files.c).
 * - A replay ends with a sync of both files: records that were written
 *   but not yet synced when the instance stopped are durable before any
 *   is acknowledged again.
 * - The directory is fsynced after files are created in it.
 *
 * Memory stays bounded: the core keeps only the newest entries
 * (RAFTLOG_MEM_ENTRIES, fewer if they pass RAFTLOG_MEM_BYTES); older ones
 * are read back from the log for followers that lag (load) and for
 * readers (read). The log's offsets are remembered for one index in
 * RAFTLOG_OFFS_STRIDE; the records in between are found by their headers.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/fs.h>
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include "backend.h"
#include "committed.h"
#include "disk.h"
#include "node.h"
#include "raft/wire.h"
#include "record.h"

/* Write batches and replay reads; holds the largest record. */
#define RAFTLOG_DISK_BUF	(256 * 1024)
#define RAFTLOG_REC_MAX							\
	ALIGN(RAFTLOG_REC_HDR_SIZE + RAFT_ENTRY_SIZE_LIMIT, RAFTLOG_REC_ALIGN)
#define RAFTLOG_OFFS_STRIDE	64
#define RAFTLOG_MEM_ENTRIES	512
#define RAFTLOG_MEM_BYTES	(8 << 20)
/* Catch-up APPENDs go one at a time: fill the datagram. */
#define RAFTLOG_LOAD_BYTES	(RAFT_WIRE_MAX_LEN - 1024)

static struct raftlog_disk *raftlog_disk(struct raftlog_node *node)
{
	return node->storage_priv;
}

/* --- bounded memory ----------------------------------------------------- */

/*
 * The core keeps the newest RAFTLOG_MEM_ENTRIES entries, or none past
 * RAFTLOG_MEM_BYTES, for followers that keep up; the rest can be loaded.
 * Releasing at least a quarter of that at a time keeps the cost of
 * moving the core's array down small.
 */
static void raftlog_disk_release(struct raftlog_node *node)
{
	struct raft_status st;
	u64 keep, upto;

	raft_get_status(node->raft, &st);
	keep = st.mem_bytes > RAFTLOG_MEM_BYTES ? 0 : RAFTLOG_MEM_ENTRIES;
	if (st.stable_index <= keep)
		return;
	upto = st.stable_index - keep;
	if (keep && upto < st.mem_first + RAFTLOG_MEM_ENTRIES / 4)
		return;
	raft_release(node->raft, upto);
}

/* --- replay ------------------------------------------------------------- */

/* Sequential reads of the log through d->buf. */
struct raftlog_disk_reader {
	struct file *f;
	loff_t size;
	loff_t start;		/* file offset of buf[0] */
	size_t len;		/* valid bytes in buf */
	u8 *buf;
};

/*
 * @n bytes at @off: a pointer into the buffer, NULL when the file ends
 * first, or an ERR_PTR on a read error. @n <= RAFTLOG_DISK_BUF.
 */
static const u8 *raftlog_disk_get(struct raftlog_disk_reader *rd, loff_t off,
				  size_t n)
{
	ssize_t got;
	size_t want;

	if (off + n > rd->size)
		return NULL;
	if (off >= rd->start && off + n <= rd->start + rd->len)
		return rd->buf + (off - rd->start);
	want = min_t(loff_t, RAFTLOG_DISK_BUF, rd->size - off);
	got = raftlog_disk_read(rd->f, rd->buf, want, off);
	if (got < 0)
		return ERR_PTR(got);
	rd->start = off;
	rd->len = got;
	return got < n ? NULL : rd->buf;
}

/*
 * The record at @off: its header in @e and a pointer to its bytes, or
 * NULL with *@why set when no intact record is there.
 */
static const u8 *raftlog_disk_record(struct raftlog_disk_reader *rd,
				     loff_t off, struct raftlog_rec_entry *e,
				     const char **why)
{
	const u8 *p = raftlog_disk_get(rd, off, RAFTLOG_REC_HDR_SIZE);

	if (IS_ERR_OR_NULL(p)) {
		*why = "short record header";
		return p;
	}
	*why = raftlog_rec_decode_hdr(p, e, RAFT_ENTRY_SIZE_LIMIT);
	if (*why)
		return NULL;
	p = raftlog_disk_get(rd, off, raftlog_rec_size(e->len));
	if (IS_ERR_OR_NULL(p)) {
		*why = "short record";
		return p;
	}
	if (!raftlog_rec_crc_ok(p, e)) {
		*why = "checksum mismatch";
		return NULL;
	}
	return p;
}

/*
 * Whether an intact record of index >= @index lies after the damaged
 * record at @bad: then the damage is not a torn tail. Records are 8-byte
 * aligned, so only those offsets are tried.
 */
static int raftlog_disk_intact_after(struct raftlog_disk_reader *rd,
				     loff_t bad, u64 index, loff_t *where)
{
	struct raftlog_rec_entry e;
	const char *why;
	const u8 *p;
	loff_t off;

	for (off = bad + RAFTLOG_REC_ALIGN;
	     off + RAFTLOG_REC_HDR_SIZE <= rd->size;
	     off += RAFTLOG_REC_ALIGN) {
		p = raftlog_disk_record(rd, off, &e, &why);
		if (IS_ERR(p))
			return PTR_ERR(p);
		if (p && e.index >= index) {
			*where = off;
			return 1;
		}
	}
	return 0;
}

/* Index d->last + 1 starts at @off: remember it if it starts a stride. */
static int raftlog_disk_note_offset(struct raftlog_disk *d, loff_t off)
{
	u64 k = d->last / RAFTLOG_OFFS_STRIDE;
	loff_t *offs, *old;
	u64 cap;

	if (d->last % RAFTLOG_OFFS_STRIDE) {
		d->last++;
		return 0;
	}
	if (k == d->offs_cap) {
		cap = max_t(u64, 1024, d->offs_cap * 2);
		offs = kvmalloc_array(cap, sizeof(*offs), GFP_KERNEL);
		if (!offs)
			return -ENOMEM;
		mutex_lock(&d->lock);
		memcpy(offs, d->offs, k * sizeof(*offs));
		old = d->offs;
		d->offs = offs;
		d->offs_cap = cap;
		mutex_unlock(&d->lock);
		kvfree(old);
	}
	/* readers look only at strides of committed indexes, below this one */
	d->offs[k] = off;
	d->last++;
	return 0;
}

/* Where the record of @index (<= d->last, flushed) starts. */
static int raftlog_disk_offset(struct raftlog_disk *d, u64 index, loff_t *at)
{
	u64 i = (index - 1) / RAFTLOG_OFFS_STRIDE * RAFTLOG_OFFS_STRIDE + 1;
	u8 hdr[RAFTLOG_REC_HDR_SIZE];
	struct raftlog_rec_entry e;
	loff_t off;
	ssize_t n;

	mutex_lock(&d->lock);
	off = d->offs[(index - 1) / RAFTLOG_OFFS_STRIDE];
	mutex_unlock(&d->lock);
	for (; i < index; i++) {
		n = raftlog_disk_read(d->log, hdr, sizeof(hdr), off);
		if (n < 0)
			return n;
		if (n < sizeof(hdr) ||
		    raftlog_rec_decode_hdr(hdr, &e, RAFT_ENTRY_SIZE_LIMIT) ||
		    e.index != i)
			return -EUCLEAN;
		off += raftlog_rec_size(e.len);
	}
	*at = off;
	return 0;
}

/*
 * One intact record (@rec, header in @e): must be valid and continue the
 * log, then goes to the core.
 */
static int raftlog_disk_restore(struct raftlog_disk *d, loff_t off,
				const struct raftlog_rec_entry *e,
				const u8 *rec, u64 prev_term)
{
	struct raft_entry ent = {
		.term = e->term,
		.session = e->session,
		.seq = e->seq,
		.len = e->len,
		.crc = e->crc,
		.type = e->type,
		.data = rec + RAFTLOG_REC_HDR_SIZE,
	};
	const char *why = raftlog_rec_invalid(rec, e);

	if (why) {
		pr_err("%s: data_dir %s: log record at offset %lld (index %llu) is intact but invalid (%s); refusing to start\n",
		       d->node->name, d->dir_name, off, e->index, why);
		return -EUCLEAN;
	}
	if (e->index != d->last + 1 || e->term < prev_term ||
	    e->term > d->hs.term) {
		pr_err("%s: data_dir %s: log record at offset %lld (index %llu term %llu) does not follow index %llu term %llu (stored term %llu); refusing to start\n",
		       d->node->name, d->dir_name, off, e->index, e->term,
		       d->last, prev_term, d->hs.term);
		return -EUCLEAN;
	}
	if (raft_restore_entry(d->node->raft, &ent) != RAFT_OK)
		return -ENOMEM;
	return raftlog_disk_note_offset(d, off);
}

/* Cuts the log at @off, where the damaged record of index @index starts. */
static int raftlog_disk_cut_tail(struct raftlog_disk *d,
				 struct raftlog_disk_reader *rd, loff_t off,
				 u64 index, const char *why)
{
	loff_t where;
	int err;

	err = raftlog_disk_intact_after(rd, off, index, &where);
	if (err < 0)
		return raftlog_disk_fail(d, "reading log", err);
	if (err) {
		pr_err("%s: data_dir %s: log record of index %llu at offset %lld is damaged (%s) but an intact record follows at offset %lld; refusing to start\n",
		       d->node->name, d->dir_name, index, off, why, where);
		return -EUCLEAN;
	}
	pr_warn("%s: data_dir %s: cut the log's torn tail at index %llu (offset %lld: %s, %lld bytes dropped)\n",
		d->node->name, d->dir_name, index, off, why, rd->size - off);
	err = vfs_truncate(&d->log->f_path, off);
	if (!err)
		err = raftlog_disk_fsync(d, d->log);
	if (err)
		return raftlog_disk_fail(d, "cutting the log", err);
	return 0;
}

static int raftlog_disk_replay(struct raftlog_disk *d)
{
	struct raftlog_disk_reader rd = {
		.f = d->log,
		.size = raftlog_disk_size(d->log),
		.buf = d->buf,
	};
	loff_t off = RAFTLOG_LOG_HDR_SIZE;
	struct raftlog_rec_entry e;
	u64 prev_term = 0;
	const char *why;
	const u8 *p;
	int err;

	raft_restore_hardstate(d->node->raft, d->hs.term, d->hs.vote);
	while (off < rd.size) {
		p = raftlog_disk_record(&rd, off, &e, &why);
		if (IS_ERR(p))
			return raftlog_disk_fail(d, "reading log", PTR_ERR(p));
		if (!p) {
			err = raftlog_disk_cut_tail(d, &rd, off, d->last + 1,
						    why);
			if (err)
				return err;
			break;
		}
		err = raftlog_disk_restore(d, off, &e, p, prev_term);
		if (err)
			return err;
		prev_term = e.term;
		off += raftlog_rec_size(e.len);
		if (d->last % RAFTLOG_OFFS_STRIDE == 0)
			raftlog_disk_release(d->node);
	}
	raftlog_disk_release(d->node);
	d->end = off;
	pr_info("%s: data_dir %s: restored term %llu, vote %u, %llu entries\n",
		d->node->name, d->dir_name, d->hs.term, d->hs.vote, d->last);
	return 0;
}

/* --- the backend -------------------------------------------------------- */

static void raftlog_disk_free(struct raftlog_disk *d)
{
	raftlog_disk_sync_exit(d);	/* before the log file closes */
	raftlog_disk_close_files(d);
	kvfree(d->offs);
	kvfree(d->ents);
	kvfree(d->buf);
	kfree(d);
}

static int raftlog_disk_open(struct raftlog_node *node)
{
	struct raftlog_disk *d;
	int err;

	BUILD_BUG_ON(RAFTLOG_REC_MAX > RAFTLOG_DISK_BUF);
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	INIT_LIST_HEAD(&d->busy);
	mutex_init(&d->lock);
	d->node = node;
	d->dir_name = node->cfg.data_dir;
	d->owner.node_id = node->cfg.id;
	d->owner.cluster_id = node->cfg.cluster_id;
	d->buf = kvmalloc(RAFTLOG_DISK_BUF, GFP_KERNEL);
	d->ents = kvcalloc(RAFT_MAX_BATCH, sizeof(*d->ents), GFP_KERNEL);
	err = d->buf && d->ents ? raftlog_disk_sync_init(d) : -ENOMEM;
	if (!err)
		err = raftlog_disk_open_dir(d);
	if (!err)
		err = raftlog_disk_open_files(d);
	if (!err)
		err = raftlog_disk_replay(d);
	if (!err)
		err = raftlog_disk_opened(d);
	if (err) {
		raftlog_disk_free(d);
		return err;
	}
	node->storage_priv = d;
	return 0;
}

static void raftlog_disk_close(struct raftlog_node *node)
{
	struct raftlog_disk *d = raftlog_disk(node);

	if (!d)
		return;
	node->storage_priv = NULL;
	raftlog_disk_free(d);
}

static int raftlog_disk_save_hardstate(struct raftlog_node *node, u64 term,
				       u32 vote)
{
	struct raftlog_disk *d = raftlog_disk(node);
	struct raftlog_rec_hs hs = {
		.seq = d->hs.seq + 1,
		.term = term,
		.vote = vote,
	};

	if (d->failed)
		return -EIO;
	if (term == d->hs.term && vote == d->hs.vote)
		return 0;
	return raftlog_disk_write_hs(d, &hs);
}

/* Writes the records waiting in d->buf at the end of the log. */
static int raftlog_disk_flush(struct raftlog_disk *d)
{
	int err;

	if (!d->buf_len)
		return 0;
	err = raftlog_disk_write(d->log, d->buf, d->buf_len, d->end);
	if (err)
		return raftlog_disk_fail(d, "writing log", err);
	d->end += d->buf_len;
	d->buf_len = 0;
	return 0;
}

/*
 * Cuts index @first and everything after it. The truncate is fsynced
 * before anything is written over the same bytes (see the top).
 */
static int raftlog_disk_cut(struct raftlog_disk *d, u64 first)
{
	loff_t off;
	int err;

	err = raftlog_disk_offset(d, first, &off);
	if (err)
		return raftlog_disk_fail(d, "finding the cut in the log", err);
	/* the disk may keep the old bytes or not: only those before are sure */
	d->synced = min(d->synced, off);
	raftlog_disk_sync_cut(d, off);
	err = vfs_truncate(&d->log->f_path, off);
	if (!err)
		err = raftlog_disk_fsync(d, d->log);
	if (err)
		return raftlog_disk_fail(d, "cutting the log", err);
	d->last = first - 1;
	d->end = off;
	return 0;
}

static int raftlog_disk_append(struct raftlog_disk *d,
			       const struct raft_entry *ent)
{
	struct raftlog_rec_entry e = {
		.index = d->last + 1,
		.term = ent->term,
		.session = ent->session,
		.seq = ent->seq,
		.len = ent->len,
		.crc = ent->crc,	/* the leader's, stored unchanged */
		.type = ent->type,
	};
	size_t size = raftlog_rec_size(e.len);
	const char *why = raftlog_rec_entry_invalid(&e);
	int err;

	if (e.len > RAFT_ENTRY_SIZE_LIMIT)
		why = "entry too large";
	if (why) {
		/* the file must never hold what replay would refuse */
		pr_err("%s: data_dir %s: entry %llu not appended (%s)\n",
		       d->node->name, d->dir_name, e.index, why);
		d->failed = true;
		return -EINVAL;
	}
	if (d->buf_len + size > RAFTLOG_DISK_BUF) {
		err = raftlog_disk_flush(d);
		if (err)
			return err;
	}
	err = raftlog_disk_note_offset(d, d->end + d->buf_len);
	if (err)
		return raftlog_disk_fail(d, "growing the index", err);
	d->buf_len += raftlog_rec_encode(d->buf + d->buf_len, &e, ent->data);
	return 0;
}

static int raftlog_disk_save_entries(struct raftlog_node *node, u64 first,
				     const struct raft_entry *ents, u32 n)
{
	struct raftlog_disk *d = raftlog_disk(node);
	int err;
	u32 i;

	if (d->failed)
		return -EIO;
	if (!n)
		return 0;
	if (!first || first > d->last + 1)
		return raftlog_disk_fail(d, "appending after a gap", -EINVAL);
	if (first <= d->last) {
		err = raftlog_disk_cut(d, first);
		if (err)
			return err;
	}
	for (i = 0; i < n; i++) {
		err = raftlog_disk_append(d, &ents[i]);
		if (err)
			return err;
	}
	return raftlog_disk_flush(d);
}

/* --- reading entries back ---------------------------------------------- */

/*
 * An APPEND's entries, from the log through d->buf: at least one, then as
 * many as fit RAFTLOG_LOAD_BYTES and one window of d->buf (a refill
 * would move the data the earlier entries point to).
 */
static int raftlog_disk_load(struct raftlog_node *node, struct raft_msg *m)
{
	struct raftlog_disk *d = raftlog_disk(node);
	struct raftlog_disk_reader rd = {
		.f = d->log,
		.size = d->end,
		.buf = d->buf,
	};
	u64 first = m->append.prev_index + 1;
	u32 i, n = m->append.n_entries;
	struct raftlog_rec_entry e;
	size_t bytes = 0;
	const char *why;
	const u8 *p;
	loff_t off, start;
	int err;

	if (d->failed)
		return -EIO;
	if (!n || n > RAFT_MAX_BATCH || !first || first + n - 1 > d->last)
		return -EINVAL;
	err = raftlog_disk_offset(d, first, &off);
	if (err)
		return raftlog_disk_fail(d, "reading the log back", err);
	start = off;
	for (i = 0; i < n; i++) {
		if (i && off - start + RAFTLOG_REC_MAX > RAFTLOG_DISK_BUF)
			break;
		p = raftlog_disk_record(&rd, off, &e, &why);
		if (IS_ERR(p))
			return raftlog_disk_fail(d, "reading the log back",
						 PTR_ERR(p));
		if (!p || e.index != first + i || raftlog_rec_invalid(p, &e))
			return raftlog_disk_fail(d, "reading the log back",
						 -EUCLEAN);
		bytes += RAFT_ENTRY_OVERHEAD + e.len;
		if (i && bytes > RAFTLOG_LOAD_BYTES)
			break;
		d->ents[i].term = e.term;
		d->ents[i].session = e.session;
		d->ents[i].seq = e.seq;
		d->ents[i].len = e.len;
		d->ents[i].crc = e.crc;
		d->ents[i].type = e.type;
		d->ents[i].data = p + RAFTLOG_REC_HDR_SIZE;
		off += raftlog_rec_size(e.len);
	}
	m->append.n_entries = i;
	m->append.entries = d->ents;
	m->append.load = false;
	return 0;
}

/*
 * The record of @index at @off as a struct raftlog_rec: the whole record
 * is read into the data area, checked, then its data moved to the front.
 * Readers' errors are theirs: the loop's state is not touched.
 */
static struct raftlog_rec *raftlog_disk_fetch(struct raftlog_disk *d,
					      u64 index, loff_t off,
					      loff_t *next)
{
	u8 hdr[RAFTLOG_REC_HDR_SIZE];
	struct raftlog_rec_entry e;
	struct raftlog_rec *rec;
	size_t size;
	ssize_t n;

	n = raftlog_disk_read(d->log, hdr, sizeof(hdr), off);
	if (n < 0)
		return ERR_PTR(n);
	if (n < sizeof(hdr) ||
	    raftlog_rec_decode_hdr(hdr, &e, RAFT_ENTRY_SIZE_LIMIT) ||
	    e.index != index)
		goto damaged;
	size = raftlog_rec_size(e.len);
	rec = kvmalloc(struct_size(rec, data, size), GFP_KERNEL);
	if (!rec)
		return ERR_PTR(-ENOMEM);
	n = raftlog_disk_read(d->log, rec->data, size, off);
	if (n < 0) {
		kvfree(rec);
		return ERR_PTR(n);
	}
	if (n < size || memcmp(rec->data, hdr, sizeof(hdr)) ||
	    !raftlog_rec_crc_ok(rec->data, &e) ||
	    raftlog_rec_invalid(rec->data, &e)) {
		kvfree(rec);
		goto damaged;
	}
	memmove(rec->data, rec->data + RAFTLOG_REC_HDR_SIZE, e.len);
	rec->term = e.term;
	rec->session = e.session;
	rec->seq = e.seq;
	rec->crc = e.crc;
	rec->len = e.len;
	rec->type = e.type;
	*next = off + size;
	return rec;
damaged:
	pr_err_ratelimited("%s: data_dir %s: committed entry %llu is damaged in the log\n",
			   d->node->name, d->dir_name, index);
	return ERR_PTR(-EIO);
}

/* Entry @index from the open log; the caller holds node->storage_sem. */
static struct raftlog_rec *raftlog_disk_read_locked(struct raftlog_disk *d,
						    struct raftlog_read_pos *pos,
						    u64 index)
{
	struct raftlog_rec *rec;
	loff_t off, next;
	int err;

	lockdep_assert_held_read(&d->node->storage_sem);
	if (pos && pos->index == index) {
		off = pos->off;
	} else {
		err = raftlog_disk_offset(d, index, &off);
		if (err)
			return ERR_PTR(err == -EUCLEAN ? -EIO : err);
	}
	rec = raftlog_disk_fetch(d, index, off, &next);
	if (!IS_ERR(rec) && pos) {
		pos->index = index + 1;
		pos->off = next;
	}
	return rec;
}

/* Readers: node->storage_sem keeps the files open while they read. */
static const struct raftlog_rec *
raftlog_disk_read_rec(struct raftlog_node *node, struct raftlog_read_pos *pos,
		      u64 index)
{
	const struct raftlog_rec *rec = ERR_PTR(-ESHUTDOWN);

	down_read(&node->storage_sem);
	if (node->storage_priv)
		rec = raftlog_disk_read_locked(node->storage_priv, pos, index);
	up_read(&node->storage_sem);
	return rec;
}

/* A record read back is the reader's own copy. */
static void raftlog_disk_put_rec(struct raftlog_node *node,
				 const struct raftlog_rec *rec)
{
	kvfree(rec);
}

const struct raftlog_storage_ops raftlog_storage_disk = {
	.name = "disk",
	.durable = true,
	.open = raftlog_disk_open,
	.close = raftlog_disk_close,
	.save_hardstate = raftlog_disk_save_hardstate,
	.save_entries = raftlog_disk_save_entries,
	.sync_start = raftlog_disk_sync_start,
	.sync_poll = raftlog_disk_sync_poll,
	.quiesce = raftlog_disk_quiesce,
	.release = raftlog_disk_release,
	.load = raftlog_disk_load,
	.read = raftlog_disk_read_rec,
	.put = raftlog_disk_put_rec,
};
