// SPDX-License-Identifier: GPL-2.0
/*
 * The log's fsync off the loop, as the module does it: a slow disk must
 * not stop ticks, heartbeats and the followers' copies, which commit
 * without this node's own (raft.h, async_persist).
 *
 * The loop writes a ready's entries (page cache only), counts a new
 * written generation and wakes the sync thread, which fsyncs the log and
 * publishes the generation it covered. The loop then tells the core
 * (raft_persisted()) and sends the messages that waited for it: the
 * ready's after_persist ones, held here as deep copies (an APPEND's
 * entries, loaded now if the core released them, and a PROPOSE's data,
 * which the core frees when it gives up on the write), in order. The
 * hard state and a conflict cut are still fsynced at once by disk.c.
 *
 * Locking: @lock guards @written, @durable, @err, @fsyncs and @stop; the
 * thread touches nothing else of the node but the log's fd, which lives
 * until rld_sync_stop() joined it. Everything else here is the loop's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include "raftlogd.h"

/* What the log held at the end of a written generation. */
struct rld_point {
	u64 gen;
	u64 index;
	u64 term;
};

/*
 * Messages held at most (kmod/persist.c's bound): past that they are
 * dropped, as a network would drop them; Raft resends what matters.
 */
#define RLD_HELD_MAX	4096

/* An after_persist message waiting for generation @gen. */
struct rld_held {
	u64 gen;
	struct raft_msg m;
	struct raft_entry *ents;	/* a copy of m.append.entries */
	u8 *data;			/* their data, one block */
};

struct rld_sync {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	u64 written;			/* lock: the loop's newest generation */
	u64 durable;			/* lock: the last one fsynced */
	u64 fsyncs;			/* lock */
	int err;			/* lock: an fsync failed (errno) */
	bool stop;			/* lock */
	int log_fd;
	int efd;			/* eventfd: the loop wakes on it */

	u64 gen;			/* loop: last generation written */
	u64 seen;			/* loop: last durable one handled */
	u64 fsyncs_seen;
	struct rld_point *points;
	u32 n_points, cap_points;
	struct rld_held *held;
	u32 n_held, cap_held;
};

static void *rld_sync_thread(void *arg)
{
	struct rld_sync *s = arg;
	u64 one = 1, g;
	int err;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->stop && s->written == s->durable && !s->err)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->stop || s->err)
			break;
		g = s->written;
		pthread_mutex_unlock(&s->lock);
		err = rld_disk_fsync_fd(s->log_fd);
		pthread_mutex_lock(&s->lock);
		if (err) {
			s->err = err;
		} else {
			s->durable = g;
			s->fsyncs++;	/* as disk.c counts: done ones */
		}
		if (write(s->efd, &one, sizeof(one)) < 0) {
			/* the counter is saturated: the loop wakes anyway */
		}
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

int rld_sync_start(struct rld_node *n)
{
	struct rld_sync *s = calloc(1, sizeof(*s));
	int err;

	if (!s)
		return -ENOMEM;
	s->log_fd = rld_disk_log_fd(n);
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->efd < 0) {
		free(s);
		return -errno;
	}
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->cond, NULL);
	err = pthread_create(&s->thread, NULL, rld_sync_thread, s);
	if (err) {
		close(s->efd);
		free(s);
		return -err;
	}
	n->sync = s;
	return 0;
}

static void rld_held_free(struct rld_held *h)
{
	free(h->ents);
	free(h->data);
}

void rld_sync_stop(struct rld_node *n)
{
	struct rld_sync *s = n->sync;
	u32 i;

	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->stop = true;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	if (s->err && !n->failed) {
		/* the last one failed after the loop stopped looking */
		rld_log("data_dir %s: syncing the log failed: %s", n->data_dir,
			strerror(s->err));
		n->failed = true;
	}
	close(s->efd);
	for (i = 0; i < s->n_held; i++)
		rld_held_free(&s->held[i]);
	free(s->held);
	free(s->points);
	free(s);
	n->sync = NULL;
}

int rld_sync_fd(const struct rld_node *n)
{
	return n->sync->efd;
}

static bool rld_grow(void **p, u32 *cap, u32 want, size_t size)
{
	u32 c = *cap ? *cap : 16;
	void *q;

	if (want <= *cap)
		return true;
	while (c < want)
		c *= 2;
	q = realloc(*p, (size_t)c * size);
	if (!q)
		return false;
	*p = q;
	*cap = c;
	return true;
}

/* A deep copy of @m; an APPEND's entries are loaded first if need be. */
static int rld_hold(struct rld_node *n, const struct raft_msg *m)
{
	struct rld_sync *s = n->sync;
	struct raft_msg copy = *m;
	struct rld_held h = { .gen = s->gen };
	size_t bytes = 0, off = 0;
	u32 i;

	if (s->n_held >= RLD_HELD_MAX)
		return -ENOBUFS;
	if (copy.type == RAFT_MSG_APPEND && copy.append.load) {
		if (rld_disk_load(n, &copy))
			return -EIO;
		copy.append.load = false;
	}
	if (copy.type == RAFT_MSG_PROPOSE) {
		/* the core frees a forwarded entry's data when it gives up */
		h.data = malloc(copy.propose.len ? copy.propose.len : 1);
		if (!h.data)
			return -ENOMEM;
		memcpy(h.data, copy.propose.data, copy.propose.len);
		copy.propose.data = h.data;
	} else if (copy.type == RAFT_MSG_APPEND && copy.append.n_entries) {
		for (i = 0; i < copy.append.n_entries; i++)
			bytes += copy.append.entries[i].len;
		h.ents = malloc(copy.append.n_entries * sizeof(*h.ents));
		h.data = malloc(bytes ? bytes : 1);
		if (!h.ents || !h.data) {
			rld_held_free(&h);
			return -ENOMEM;
		}
		for (i = 0; i < copy.append.n_entries; i++) {
			h.ents[i] = copy.append.entries[i];
			memcpy(h.data + off, h.ents[i].data, h.ents[i].len);
			h.ents[i].data = h.data + off;
			off += h.ents[i].len;
		}
		copy.append.entries = h.ents;
	}
	h.m = copy;
	if (!rld_grow((void **)&s->held, &s->cap_held, s->n_held + 1,
		      sizeof(h))) {
		rld_held_free(&h);
		return -ENOMEM;
	}
	s->held[s->n_held++] = h;
	return 0;
}

int rld_sync_written(struct rld_node *n, const struct raft_ready *rd,
		     bool wrote)
{
	struct rld_sync *s = n->sync;
	const struct raft_entry *last;
	u32 i;

	if (wrote) {
		s->gen++;
		if (!rld_grow((void **)&s->points, &s->cap_points,
			      s->n_points + 1, sizeof(*s->points)))
			return -ENOMEM;
		last = &rd->entries[rd->n_entries - 1];
		s->points[s->n_points++] = (struct rld_point){
			.gen = s->gen,
			.index = rd->entries_first + rd->n_entries - 1,
			.term = last->term,
		};
		pthread_mutex_lock(&s->lock);
		s->written = s->gen;
		pthread_cond_signal(&s->cond);
		pthread_mutex_unlock(&s->lock);
	}
	if (s->seen == s->gen) {	/* nothing waits: send them now */
		rld_net_send(n, rd, true);
		return 0;
	}
	for (i = 0; i < rd->n_msgs; i++) {
		if (!rd->msgs[i].after_persist)
			continue;
		if (rld_hold(n, &rd->msgs[i]))
			n->stats.send_errors++;	/* as good as lost */
	}
	return 0;
}

/* Sends the held messages up to generation @upto, in order. */
static void rld_release_held(struct rld_node *n, u64 upto)
{
	struct rld_sync *s = n->sync;
	struct raft_ready rd = { 0 };
	struct raft_msg *msgs;
	u32 i, k;

	for (k = 0; k < s->n_held && s->held[k].gen <= upto; k++)
		;
	if (!k)
		return;
	msgs = malloc(k * sizeof(*msgs));
	if (msgs) {
		for (i = 0; i < k; i++)
			msgs[i] = s->held[i].m;
		rd.msgs = msgs;
		rd.n_msgs = k;
		rld_net_send(n, &rd, true);
		free(msgs);
	} else {
		n->stats.send_errors += k;
	}
	for (i = 0; i < k; i++)
		rld_held_free(&s->held[i]);
	memmove(s->held, s->held + k, (s->n_held - k) * sizeof(*s->held));
	s->n_held -= k;
}

int rld_sync_poll(struct rld_node *n)
{
	struct rld_sync *s = n->sync;
	u64 durable, fsyncs, buf;
	const struct rld_point *p = NULL;
	u32 k;
	int err;

	if (read(s->efd, &buf, sizeof(buf)) < 0) {
		/* EAGAIN: no news, which the locked fields say too */
	}
	pthread_mutex_lock(&s->lock);
	durable = s->durable;
	fsyncs = s->fsyncs;
	err = s->err;
	pthread_mutex_unlock(&s->lock);
	n->stats.fsyncs += fsyncs - s->fsyncs_seen;
	s->fsyncs_seen = fsyncs;
	if (err)
		return -err;
	if (durable == s->seen)
		return 0;
	for (k = 0; k < s->n_points && s->points[k].gen <= durable; k++)
		p = &s->points[k];
	if (p)
		raft_persisted(n->raft, p->index, p->term);
	memmove(s->points, s->points + k,
		(s->n_points - k) * sizeof(*s->points));
	s->n_points -= k;
	s->seen = durable;
	rld_release_held(n, durable);
	return 0;
}
