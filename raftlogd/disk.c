// SPDX-License-Identifier: GPL-2.0
/*
 * The data_dir, in the module's format (kmod/record.h, encoded and checked
 * by kmod/record.c itself, built here against shim/linux/) and under the
 * module's rules (kmod/disk_log.c, kmod/disk_files.c), so a directory
 * moves between the module and raftlogd:
 * - a new term or vote goes to the state slot not holding the current one
 *   and is fsynced at once;
 * - a ready's entries are appended with one write per buffer and made
 *   durable with one fsync per ready (group commit), before any message
 *   that depends on them is sent; a conflict cut is a truncate fsynced
 *   before anything is written over the same bytes;
 * - replay accepts records while magic, length, checksum, index and term
 *   hold; a damaged record with no intact one after it is a torn tail and
 *   is cut, one with an intact record after it refuses the start
 *   (EUCLEAN), as does an intact record that breaks the format's rules;
 * - a fresh directory gets its log header and state slot written, synced,
 *   and the directory fsynced; a replay ends with a sync of both files.
 * Ownership: the directory must belong to our user and be writable by
 * nobody else (the module asks for root), and an flock() claims it, so
 * two daemons never share one. Any I/O error latches the node as failed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "raftlogd.h"
#include "record.h"

#define RLD_DISK_BUF	(256 * 1024)
#define RLD_MEM_ENTRIES	512		/* kmod/disk_log.c */
#define RLD_MEM_BYTES	(8 << 20)
#define RLD_LOAD_BYTES	(RAFT_WIRE_MAX_LEN - 1024)
#define RLD_REC_MAX	raftlog_rec_size(RAFT_ENTRY_SIZE_LIMIT)

struct rld_disk {
	int dir, log, state;
	struct raftlog_rec_owner owner;
	struct raftlog_rec_hs hs;
	u64 last;			/* last index stored */
	off_t end;			/* log offset after record @last */
	off_t *offs;			/* offs[i - 1]: where index i starts */
	u64 offs_cap;
	bool dirty;
	u8 *buf;			/* write batches */
	size_t buf_len;
	u8 *rbuf;			/* loads */
	struct raft_entry *ents;	/* RAFT_MAX_BATCH, for loads */
};

static int rld_disk_fail(struct rld_node *n, const char *what, int err)
{
	if (!n->failed)
		rld_log("data_dir %s: %s failed: %s", n->data_dir, what,
			strerror(err));
	n->failed = true;
	return -err;
}

int rld_disk_fsync_fd(int fd)
{
#if RLD_BREAK == 3
	(void)fd;		/* broken build: claims durability, no fsync */
#else
	if (fsync(fd))
		return errno;
#endif
	return 0;
}

static int rld_fsync(struct rld_node *n, int fd)
{
	int err = rld_disk_fsync_fd(fd);

	if (!err)
		n->stats.fsyncs++;
	return err;
}

int rld_disk_log_fd(const struct rld_node *n)
{
	return n->disk->log;
}

static int rld_pwrite(int fd, const void *buf, size_t len, off_t off)
{
	ssize_t w;

	while (len) {
		w = pwrite(fd, buf, len, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		buf = (const u8 *)buf + w;
		len -= w;
		off += w;
	}
	return 0;
}

/* Bytes read (short only at end of file), or -errno. */
static ssize_t rld_pread(int fd, void *buf, size_t len, off_t off)
{
	size_t got = 0;
	ssize_t r;

	while (got < len) {
		r = pread(fd, (u8 *)buf + got, len - got, off + got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r)
			break;
		got += r;
	}
	return got;
}

static off_t rld_size(int fd)
{
	struct stat st;

	return fstat(fd, &st) ? -1 : st.st_size;
}

static off_t rld_slot(u64 seq)
{
	return (seq & 1) * RAFTLOG_HS_SLOT_STRIDE;
}

static int rld_write_hs(struct rld_node *n, const struct raftlog_rec_hs *hs)
{
	struct rld_disk *d = n->disk;
	u8 buf[RAFTLOG_HS_SIZE];
	int err;

	raftlog_rec_hs_encode(buf, &d->owner, hs);
	err = rld_pwrite(d->state, buf, sizeof(buf), rld_slot(hs->seq));
	if (err)
		return rld_disk_fail(n, "writing state", err);
	err = rld_fsync(n, d->state);
	if (err)
		return rld_disk_fail(n, "syncing state", err);
	d->hs = *hs;
	return 0;
}

/* Index d->last + 1 starts at @off. */
static int rld_note_offset(struct rld_disk *d, off_t off)
{
	off_t *o;

	if (d->last == d->offs_cap) {
		d->offs_cap = d->offs_cap ? d->offs_cap * 2 : 4096;
		o = realloc(d->offs, d->offs_cap * sizeof(*o));
		if (!o)
			return ENOMEM;
		d->offs = o;
	}
	d->offs[d->last++] = off;
	return 0;
}

/* The intact record at @p (@avail bytes there), or NULL and why. */
static const u8 *rld_record(const u8 *p, size_t avail,
			    struct raftlog_rec_entry *e, const char **why)
{
	if (avail < RAFTLOG_REC_HDR_SIZE) {
		*why = "short record header";
		return NULL;
	}
	*why = raftlog_rec_decode_hdr(p, e, RAFT_ENTRY_SIZE_LIMIT);
	if (*why)
		return NULL;
	if (avail < raftlog_rec_size(e->len)) {
		*why = "short record";
		return NULL;
	}
	if (!raftlog_rec_crc_ok(p, e)) {
		*why = "checksum mismatch";
		return NULL;
	}
	return p;
}

void rld_disk_release(struct rld_node *n)
{
	struct raft_status st;
	u64 keep, upto;

	if (!n->disk)
		return;
	raft_get_status(n->raft, &st);
	keep = st.mem_bytes > RLD_MEM_BYTES ? 0 : RLD_MEM_ENTRIES;
	if (st.stable_index <= keep)
		return;
	upto = st.stable_index - keep;
	if (keep && upto < st.mem_first + RLD_MEM_ENTRIES / 4)
		return;
	raft_release(n->raft, upto);
}

static int rld_replay_one(struct rld_node *n, off_t off,
			  const struct raftlog_rec_entry *e, const u8 *rec,
			  u64 prev_term)
{
	struct rld_disk *d = n->disk;
	struct raft_entry ent = {
		.term = e->term, .session = e->session, .seq = e->seq,
		.len = e->len, .crc = e->crc, .type = e->type,
		.data = rec + RAFTLOG_REC_HDR_SIZE,
	};
	const char *why = raftlog_rec_invalid(rec, e);

	if (why) {
		rld_log("data_dir %s: log record at offset %lld (index %llu) is intact but invalid (%s); refusing to start",
			n->data_dir, (long long)off,
			(unsigned long long)e->index, why);
		return -EUCLEAN;
	}
	if (e->index != d->last + 1 || e->term < prev_term ||
	    e->term > d->hs.term) {
		rld_log("data_dir %s: log record at offset %lld (index %llu term %llu) does not follow index %llu (stored term %llu); refusing to start",
			n->data_dir, (long long)off,
			(unsigned long long)e->index,
			(unsigned long long)e->term,
			(unsigned long long)d->last,
			(unsigned long long)d->hs.term);
		return -EUCLEAN;
	}
	if (raft_restore_entry(n->raft, &ent) != RAFT_OK)
		return -ENOMEM;
	return -rld_note_offset(d, off);
}

/* A damaged record at @off: cut a torn tail, refuse damage in the middle */
static int rld_cut_tail(struct rld_node *n, const u8 *map, off_t size,
			off_t off, const char *why)
{
	struct rld_disk *d = n->disk;
	struct raftlog_rec_entry e;
	const char *w;
	off_t at;
	int err;

	for (at = off + RAFTLOG_REC_ALIGN; at + RAFTLOG_REC_HDR_SIZE <= size;
	     at += RAFTLOG_REC_ALIGN)
		if (rld_record(map + at, size - at, &e, &w) &&
		    e.index >= d->last + 1) {
			rld_log("data_dir %s: log record of index %llu at offset %lld is damaged (%s) but an intact record follows at offset %lld; refusing to start",
				n->data_dir,
				(unsigned long long)d->last + 1,
				(long long)off, why, (long long)at);
			return -EUCLEAN;
		}
	rld_log("data_dir %s: cut the log's torn tail at index %llu (offset %lld: %s, %lld bytes dropped)",
		n->data_dir, (unsigned long long)d->last + 1, (long long)off,
		why, (long long)(size - off));
	if (ftruncate(d->log, off))
		return rld_disk_fail(n, "cutting the log", errno);
	err = rld_fsync(n, d->log);
	return err ? rld_disk_fail(n, "cutting the log", err) : 0;
}

static int rld_replay(struct rld_node *n)
{
	struct rld_disk *d = n->disk;
	off_t size = rld_size(d->log), off = RAFTLOG_LOG_HDR_SIZE;
	struct raftlog_rec_entry e;
	const u8 *map, *p;
	u64 prev_term = 0;
	const char *why;
	int err = 0;

	raft_restore_hardstate(n->raft, d->hs.term, d->hs.vote);
	if (size < 0)
		return rld_disk_fail(n, "reading log", errno);
	d->end = size;
	if (size <= off)
		goto done;
	map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, d->log, 0);
	if (map == MAP_FAILED)
		return rld_disk_fail(n, "mapping log", errno);
	while (off < size) {
		p = rld_record(map + off, size - off, &e, &why);
		if (!p) {
			err = rld_cut_tail(n, map, size, off, why);
			break;
		}
		err = rld_replay_one(n, off, &e, p, prev_term);
		if (err)
			break;
		prev_term = e.term;
		off += raftlog_rec_size(e.len);
		if (d->last % 64 == 0)
			rld_disk_release(n);
	}
	munmap((void *)map, size);
	if (err)
		return err;
	d->end = off;
done:
	rld_disk_release(n);
	rld_log("data_dir %s: restored term %llu, vote %u, %llu entries",
		n->data_dir, (unsigned long long)d->hs.term, d->hs.vote,
		(unsigned long long)d->last);
	return 0;
}

/* A directory that never promised anything: (re)initialised. */
static int rld_init(struct rld_node *n)
{
	struct rld_disk *d = n->disk;
	struct raftlog_rec_hs hs = { .seq = 1 };
	u8 hdr[RAFTLOG_LOG_HDR_SIZE];
	int err;

	raftlog_rec_log_hdr_encode(hdr, &d->owner);
	err = ftruncate(d->log, 0) ? errno : 0;
	if (!err)
		err = rld_pwrite(d->log, hdr, sizeof(hdr), 0);
	if (!err)
		err = rld_fsync(n, d->log);
	if (err)
		return rld_disk_fail(n, "creating log", err);
	err = rld_write_hs(n, &hs);
	if (err)
		return err;
	err = rld_fsync(n, d->dir);
	if (err)
		return rld_disk_fail(n, "syncing the directory", err);
	rld_log("data_dir %s: initialised", n->data_dir);
	return 0;
}

static int rld_open_file(struct rld_node *n, const char *name, int *fd)
{
	struct stat st;

	*fd = openat(n->disk->dir, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (*fd < 0 && errno == ENOENT)
		*fd = openat(n->disk->dir, name, O_RDWR | O_CREAT | O_EXCL |
			     O_NOFOLLOW | O_CLOEXEC, 0600);
	if (*fd < 0 || fstat(*fd, &st))
		return -errno;
	return S_ISREG(st.st_mode) ? 0 : -EINVAL;
}

/* -ENOEXEC for a sealed header or slot of another format version. */
static int rld_check_version(struct rld_node *n)
{
	struct rld_disk *d = n->disk;
	u8 buf[RAFTLOG_HS_SIZE];
	int v, i;

	if (rld_pread(d->log, buf, RAFTLOG_LOG_HDR_SIZE, 0) ==
	    RAFTLOG_LOG_HDR_SIZE) {
		v = raftlog_rec_log_hdr_version(buf);
		if (v >= 0 && v != RAFTLOG_REC_VERSION)
			goto refuse;
	}
	for (i = 0; i < 2; i++)
		if (rld_pread(d->state, buf, RAFTLOG_HS_SIZE, rld_slot(i)) ==
		    RAFTLOG_HS_SIZE) {
			v = raftlog_rec_hs_version(buf);
			if (v >= 0 && v != RAFTLOG_REC_VERSION)
				goto refuse;
		}
	return 0;
refuse:
	rld_log("data_dir %s: written in format version %d, this raftlogd reads version %d; refusing to start",
		n->data_dir, v, RAFTLOG_REC_VERSION);
	return -ENOEXEC;
}

/* 0, -ENODATA (no intact slot), or another node's (-EINVAL). */
static int rld_load_hs(struct rld_node *n)
{
	struct rld_disk *d = n->disk;
	u8 buf[RAFTLOG_HS_SIZE];
	struct raftlog_rec_hs hs;
	bool found = false;
	int i, err;

	for (i = 0; i < 2; i++) {
		if (rld_pread(d->state, buf, sizeof(buf), rld_slot(i)) !=
		    sizeof(buf))
			continue;
		err = raftlog_rec_hs_decode(buf, &d->owner, &hs);
		if (err == -EINVAL) {
			rld_log("data_dir %s: belongs to another node or cluster (we are node %u of cluster %llu); refusing to start",
				n->data_dir, n->id,
				(unsigned long long)n->cluster_id);
			return err;
		}
		if (err || (found && hs.seq <= d->hs.seq))
			continue;
		d->hs = hs;
		found = true;
	}
	return found ? 0 : -ENODATA;
}

static int rld_open_dir(struct rld_node *n)
{
	struct rld_disk *d = n->disk;
	struct stat st;

	if (mkdir(n->data_dir, 0700) && errno != EEXIST)
		return -errno;
	d->dir = open(n->data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->dir < 0 || fstat(d->dir, &st))
		return -errno;
	if (st.st_uid != geteuid() || (st.st_mode & 0022)) {
		rld_log("data_dir %s: must belong to uid %u and be writable by nobody else (owner %u, mode %04o)",
			n->data_dir, geteuid(), st.st_uid,
			st.st_mode & 07777);
		return -EACCES;
	}
	if (flock(d->dir, LOCK_EX | LOCK_NB)) {
		rld_log("data_dir %s: in use by another raftlogd", n->data_dir);
		return -EBUSY;
	}
	return 0;
}

static int rld_open_files(struct rld_node *n)
{
	struct rld_disk *d = n->disk;
	u8 hdr[RAFTLOG_LOG_HDR_SIZE];
	int err;

	err = rld_open_file(n, "log", &d->log);
	if (!err)
		err = rld_open_file(n, "state", &d->state);
	if (!err)
		err = rld_check_version(n);
	if (err)
		return err;
	err = rld_load_hs(n);
	if (err && err != -ENODATA)
		return err;
	if (err && rld_size(d->log) <= RAFTLOG_LOG_HDR_SIZE)
		return rld_init(n);
	if (err) {
		rld_log("data_dir %s: log without an intact state; refusing to start",
			n->data_dir);
		return -EUCLEAN;
	}
	if (rld_pread(d->log, hdr, sizeof(hdr), 0) != sizeof(hdr)) {
		if (!d->hs.term && !d->hs.vote)
			return rld_init(n);
		rld_log("data_dir %s: state at term %llu but no log; refusing to start",
			n->data_dir, (unsigned long long)d->hs.term);
		return -EUCLEAN;
	}
	err = raftlog_rec_log_hdr_check(hdr, &d->owner);
	if (err)
		rld_log("data_dir %s: log header %s; refusing to start",
			n->data_dir, err == -EINVAL ? "of another node" :
			"damaged");
	return err;
}

int rld_disk_open(struct rld_node *n)
{
	struct rld_disk *d = calloc(1, sizeof(*d));
	int err;

	if (!d)
		return -ENOMEM;
	n->disk = d;
	d->dir = d->log = d->state = -1;
	d->owner.node_id = n->id;
	d->owner.cluster_id = n->cluster_id;
	d->buf = malloc(RLD_DISK_BUF);
	d->rbuf = malloc(RLD_DISK_BUF);
	d->ents = calloc(RAFT_MAX_BATCH, sizeof(*d->ents));
	if (!d->buf || !d->rbuf || !d->ents)
		return -ENOMEM;
	err = rld_open_dir(n);
	if (!err)
		err = rld_open_files(n);
	if (!err)
		err = rld_replay(n);
	if (!err)
		err = rld_fsync(n, d->log);
	if (!err)
		err = rld_fsync(n, d->state);
	return err > 0 ? -err : err;
}

void rld_disk_close(struct rld_node *n)
{
	struct rld_disk *d = n->disk;

	if (!d)
		return;
	if (d->log >= 0)
		close(d->log);
	if (d->state >= 0)
		close(d->state);
	if (d->dir >= 0)
		close(d->dir);
	free(d->offs);
	free(d->buf);
	free(d->rbuf);
	free(d->ents);
	free(d);
	n->disk = NULL;
}

static int rld_flush(struct rld_node *n)
{
	struct rld_disk *d = n->disk;
	int err;

	if (!d->buf_len)
		return 0;
	err = rld_pwrite(d->log, d->buf, d->buf_len, d->end);
	if (err)
		return rld_disk_fail(n, "writing log", err);
	d->end += d->buf_len;
	d->buf_len = 0;
	d->dirty = true;
	return 0;
}

/* Cuts @first and after; fsynced before new records go over the bytes. */
static int rld_cut(struct rld_node *n, u64 first)
{
	struct rld_disk *d = n->disk;
	off_t off = d->offs[first - 1];
	int err;

	if (ftruncate(d->log, off))
		return rld_disk_fail(n, "cutting the log", errno);
	err = rld_fsync(n, d->log);
	if (err)
		return rld_disk_fail(n, "cutting the log", err);
	d->last = first - 1;
	d->end = off;
	d->dirty = false;
	return 0;
}

static int rld_append(struct rld_node *n, const struct raft_entry *ent)
{
	struct rld_disk *d = n->disk;
	struct raftlog_rec_entry e = {
		.index = d->last + 1, .term = ent->term,
		.session = ent->session, .seq = ent->seq,
		.len = ent->len, .crc = ent->crc, .type = ent->type,
	};
	size_t size = raftlog_rec_size(e.len);
	const char *why = raftlog_rec_entry_invalid(&e);
	int err;

	if (e.len > RAFT_ENTRY_SIZE_LIMIT)
		why = "entry too large";
	if (why) {
		/* the file must never hold what replay would refuse */
		rld_log("data_dir %s: entry %llu not appended (%s)",
			n->data_dir, (unsigned long long)e.index, why);
		return rld_disk_fail(n, "appending", EINVAL);
	}
	if (d->buf_len + size > RLD_DISK_BUF) {
		err = rld_flush(n);
		if (err)
			return err;
	}
	if (rld_note_offset(d, d->end + d->buf_len))
		return rld_disk_fail(n, "growing the index", ENOMEM);
	d->buf_len += raftlog_rec_encode(d->buf + d->buf_len, &e, ent->data);
	return 0;
}

static int rld_save_entries(struct rld_node *n, const struct raft_ready *rd)
{
	struct rld_disk *d = n->disk;
	u64 first = rd->entries_first;
	int err;
	u32 i;

	if (!first || first > d->last + 1)
		return rld_disk_fail(n, "appending after a gap", EINVAL);
	if (first <= d->last) {
		err = rld_cut(n, first);
		if (err)
			return err;
	}
	for (i = 0; i < rd->n_entries; i++) {
		err = rld_append(n, &rd->entries[i]);
		if (err)
			return err;
	}
	return rld_flush(n);
}

int rld_disk_persist(struct rld_node *n, const struct raft_ready *rd,
		     bool sync_log)
{
	struct rld_disk *d = n->disk;
	struct raftlog_rec_hs hs;
	int err = 0;

	if (n->failed)
		return -EIO;
	if (rd->hardstate_changed &&
	    (rd->term != d->hs.term || rd->vote != d->hs.vote)) {
		hs.seq = d->hs.seq + 1;
		hs.term = rd->term;
		hs.vote = rd->vote;
		err = rld_write_hs(n, &hs);
	}
#if RLD_BREAK == 1
	/* broken build: entries are never written, yet called durable */
	if (!err && rd->n_entries) {
		for (u32 i = 0; i < rd->n_entries; i++)
			if (rld_note_offset(d, d->end))
				return -ENOMEM;
		return 0;
	}
#endif
	if (!err && rd->n_entries)
		err = rld_save_entries(n, rd);
	if (!err && d->dirty && !sync_log)
		d->dirty = false;	/* sync.c's thread fsyncs it */
	if (!err && d->dirty) {	/* one fsync for the whole ready */
		err = rld_fsync(n, d->log);
		if (err)
			return rld_disk_fail(n, "syncing log", err);
		d->dirty = false;
	}
	return err;
}

/*
 * An APPEND's released entries from the log: at least one, then as many
 * as fit one datagram and one read window (kmod/disk_log.c load()).
 */
int rld_disk_load(struct rld_node *n, struct raft_msg *m)
{
	struct rld_disk *d = n->disk;
	u64 first = m->append.prev_index + 1;
	u32 i, cnt = m->append.n_entries;
	struct raftlog_rec_entry e;
	size_t bytes = 0, pos = 0;
	const char *why;
	const u8 *p;
	ssize_t got;
	off_t start;

	if (n->failed || !d)
		return -EIO;
	if (!cnt || cnt > RAFT_MAX_BATCH || !first || first + cnt - 1 > d->last)
		return -EINVAL;
	start = d->offs[first - 1];
	got = rld_pread(d->log, d->rbuf, RLD_DISK_BUF, start);
	if (got < 0)
		return rld_disk_fail(n, "reading the log back", -got);
	for (i = 0; i < cnt; i++) {
		p = rld_record(d->rbuf + pos, got - pos, &e, &why);
		if (!p && i)
			break;	/* the window ends: the rest next time */
		if (!p || e.index != first + i || raftlog_rec_invalid(p, &e))
			return rld_disk_fail(n, "reading the log back",
					     EUCLEAN);
		bytes += RAFT_ENTRY_OVERHEAD + e.len;
		if (i && bytes > RLD_LOAD_BYTES)
			break;
		d->ents[i] = (struct raft_entry){
			.term = e.term, .session = e.session, .seq = e.seq,
			.len = e.len, .crc = e.crc, .type = e.type,
			.data = p + RAFTLOG_REC_HDR_SIZE,
		};
		pos += raftlog_rec_size(e.len);
	}
	m->append.n_entries = i;
	m->append.entries = d->ents;
	m->append.load = false;
	return 0;
}

int rld_disk_read(struct rld_node *n, u64 index, u8 *type, u8 *buf,
		  u32 cap, u32 *len)
{
	struct rld_disk *d = n->disk;
	u8 rec[RAFTLOG_REC_HDR_SIZE];
	struct raftlog_rec_entry e;
	static u8 *whole;
	size_t size;

	if (!d || !index || index > d->last)
		return -EIO;
	if (rld_pread(d->log, rec, sizeof(rec), d->offs[index - 1]) !=
	    sizeof(rec) || raftlog_rec_decode_hdr(rec, &e,
						  RAFT_ENTRY_SIZE_LIMIT) ||
	    e.index != index)
		return -EIO;
	*type = e.type;
	*len = e.len;
	if (e.len > cap)
		return -EMSGSIZE;
	size = raftlog_rec_size(e.len);
	if (!whole)
		whole = malloc(RLD_REC_MAX);
	if (!whole)
		return -ENOMEM;
	if (rld_pread(d->log, whole, size, d->offs[index - 1]) != (ssize_t)size
	    || !raftlog_rec_crc_ok(whole, &e))
		return -EIO;
	memcpy(buf, whole + RAFTLOG_REC_HDR_SIZE, e.len);
	return e.len;
}
