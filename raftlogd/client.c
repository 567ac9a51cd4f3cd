// SPDX-License-Identifier: GPL-2.0
/*
 * The device's semantics (DESIGN.md section 4, kmod/chardev.c,
 * kmod/proposal.c) on a Unix SOCK_SEQPACKET socket, protocol in proto.h.
 * A connection is an open file: its own session (a random id, seqs from
 * 1) and read cursor (the next log index, from 1). Its requests are
 * served in order, one at a time: while one is pending the connection is
 * not read (epoll interest cleared), as a file's syscall would block.
 * Writes wait in one FIFO for the core; a refusal after which the core
 * took nothing (no leader, window full) leaves the write queued and it is
 * offered again every round until its commit timeout, as the module does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/raftlog.h>
#include "proto.h"
#include "raftlogd.h"

enum { RLD_IDLE, RLD_QUEUED, RLD_PROPOSED, RLD_READING };

struct rld_client {
	struct rld_client *next, *prev;		/* all clients */
	struct rld_client *qnext;		/* queued writes */
	int fd;
	int state;
	u64 cursor;
	u64 sess_id, sess_start, next_seq;
	bool sess_named;
	u64 last_write;
	/* the pending request */
	struct rld_req req;
	u8 *data;
	u32 len;
	u64 cookie, seq, start, deadline_ms;
	bool first_try;
	int refusal;
};

static struct rld_client *q_head, *q_tail;
static u8 *req_buf, *read_buf;

static int rld_errno(int raft_err)	/* kmod/proposal.c raftlog_errno() */
{
	switch (raft_err) {
	case RAFT_OK:
		return 0;
	case RAFT_ENOLEADER:
	case RAFT_ENOTLEADER:
		return -ENOTCONN;
	case RAFT_EBUSY:
		return -EBUSY;
	case RAFT_ETOOBIG:
		return -EMSGSIZE;
	case RAFT_EINVAL:
		return -EINVAL;
	case RAFT_ENOMEM:
		return -ENOMEM;
	case RAFT_ELOST:
		return -ECANCELED;
	case RAFT_ESTALE:
		return -ESTALE;
	case RAFT_EUNKNOWN:
		return -ETIMEDOUT;
	default:
		return -EIO;
	}
}

static bool rld_retryable(int raft_err)
{
	return raft_err == RAFT_ENOLEADER || raft_err == RAFT_EBUSY ||
	       raft_err == RAFT_ENOMEM;
}

static void rld_watch(struct rld_node *n, struct rld_client *c, bool on)
{
	struct epoll_event ev = { .events = on ? EPOLLIN : 0,
				  .data.ptr = c };

	epoll_ctl(n->epfd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void rld_close(struct rld_node *n, struct rld_client *c)
{
	struct rld_client **pp;

	if (c->state == RLD_QUEUED)
		for (pp = &q_head; *pp; pp = &(*pp)->qnext)
			if (*pp == c) {
				*pp = c->qnext;
				break;
			}
	if (q_tail == c)
		for (q_tail = q_head; q_tail && q_tail->qnext;)
			q_tail = q_tail->qnext;
	/* a proposed write stays with the core; its result finds no one */
	if (c->prev)
		c->prev->next = c->next;
	else
		n->clients = c->next;
	if (c->next)
		c->next->prev = c->prev;
	close(c->fd);
	free(c->data);
	free(c);
}

/* Answers the pending request and listens for the next one. */
static void rld_reply(struct rld_node *n, struct rld_client *c, s64 ret,
		      u64 pos, const void *data, size_t len)
{
	struct rld_resp r = { .ret = ret, .pos = pos };
	struct iovec iov[2] = {
		{ .iov_base = &r, .iov_len = sizeof(r) },
		{ .iov_base = (void *)data, .iov_len = len },
	};
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = data ? 2 : 1 };

	c->state = RLD_IDLE;
	free(c->data);
	c->data = NULL;
	if (sendmsg(c->fd, &m, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		rld_close(n, c);	/* a client that does not read its replies */
		return;
	}
	rld_watch(n, c, true);
}

static void rld_finish_write(struct rld_node *n, struct rld_client *c,
			     int ret, u64 index)
{
	if (ret >= 0 && index)
		c->last_write = index;
	rld_reply(n, c, ret, index, NULL, 0);
}

/* The first entry for readers at or after @c's cursor: 1 found, 0 none. */
static int rld_try_read(struct rld_node *n, struct rld_client *c)
{
	u64 i = c->cursor > 1 ? c->cursor : 1;
	const struct raft_entry *e;
	u32 cap = c->req.arg < 0 ? 0 : c->req.arg > 65536 ? 65536 :
		  (u32)c->req.arg;
	u32 len = 0;
	u8 type;
	int r;

#if RLD_BREAK == 2
	return 0;	/* broken build: readers never see a commit */
#endif
	for (; i <= n->committed; i++) {
		e = raft_entry_at(n->raft, i);
		if (e) {
			if (e->type != RAFT_ENTRY_NORMAL)
				continue;
			if (e->len > cap) {
				rld_reply(n, c, -EMSGSIZE, c->cursor, NULL, 0);
				return 1;
			}
			/* the leader's crc, checked again: EIO, never wrong data */
			if (raft_entry_crc(i, e) != e->crc) {
				rld_log("committed entry %llu is damaged in memory (crc mismatch)",
					(unsigned long long)i);
				rld_reply(n, c, -EIO, c->cursor, NULL, 0);
				return 1;
			}
			c->cursor = i + 1;
			rld_reply(n, c, e->len, c->cursor, e->data, e->len);
			return 1;
		}
		r = rld_disk_read(n, i, &type, read_buf, cap, &len);
		if (r >= 0 && type != RAFT_ENTRY_NORMAL)
			continue;
		if (r == -EMSGSIZE && type != RAFT_ENTRY_NORMAL)
			continue;
		if (r < 0) {
			rld_reply(n, c, r, c->cursor, NULL, 0);
			return 1;
		}
		c->cursor = i + 1;
		rld_reply(n, c, r, c->cursor, read_buf, r);
		return 1;
	}
	/* only no-ops up to here: a reader never reads them again */
	c->cursor = i;
	return 0;
}

static void rld_fill_status(struct rld_node *n, struct raftlog_status *o)
{
	struct raft_status st;
	u32 i, t;

	raft_get_status(n->raft, &st);
	memset(o, 0, sizeof(*o));
	o->id = st.id;
	o->role = st.role;
	o->term = st.term;
	o->leader = st.leader;
	o->voted_for = st.voted_for;
	o->commit_index = st.commit_index;
	o->first_index = st.first_index;
	o->last_index = st.last_index;
	o->last_term = st.last_term;
	o->election_timeout_ms = n->election_ms;
	o->heartbeat_ms = n->heartbeat_ms;
	o->max_entry_size = n->max_entry_size;
	o->flags = (n->failed ? RAFTLOG_STATUS_FAILED : 0) |
		   (n->data_dir ? RAFTLOG_STATUS_DURABLE : 0);
	o->n_peers = st.n_peers < RAFTLOG_MAX_NODES - 1 ? st.n_peers :
		     RAFTLOG_MAX_NODES - 1;
	for (i = 0; i < o->n_peers; i++) {
		t = st.peers[i].ticks_since_heard;
		o->peers[i].id = st.peers[i].id;
		o->peers[i].last_contact_ms = t == UINT32_MAX ? UINT32_MAX :
			(u64)t * RLD_TICK_MS < UINT32_MAX - 1 ?
			t * RLD_TICK_MS : UINT32_MAX - 1;
		o->peers[i].match_index = st.peers[i].match_index;
		o->peers[i].next_index = st.peers[i].next_index;
	}
}

static void rld_seek(struct rld_node *n, struct rld_client *c)
{
	s64 base, off = c->req.arg;

	switch (c->req.whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = c->cursor;
		break;
	case SEEK_END:
		base = n->committed + 1;
		break;
	default:
		rld_reply(n, c, -EINVAL, c->cursor, NULL, 0);
		return;
	}
	if (off < 0 ? base + off < 0 : base > INT64_MAX - off) {
		rld_reply(n, c, -EINVAL, c->cursor, NULL, 0);
		return;
	}
	c->cursor = base + off;
	rld_reply(n, c, c->cursor, c->cursor, NULL, 0);
}

static void rld_set_session(struct rld_node *n, struct rld_client *c,
			    const u8 *p, size_t len)
{
	struct raftlog_session s;

	if (len != sizeof(s)) {
		rld_reply(n, c, -EINVAL, 0, NULL, 0);
		return;
	}
	memcpy(&s, p, sizeof(s));
	if (!s.id || !s.next_seq || s.next_seq >= RAFT_TERM_LIMIT ||
	    s.start_index >= RAFT_TERM_LIMIT || s.reserved) {
		rld_reply(n, c, -EINVAL, 0, NULL, 0);
		return;
	}
	c->sess_id = s.id;
	c->sess_start = s.start_index;
	c->next_seq = s.next_seq;
	c->sess_named = true;
	rld_reply(n, c, 0, 0, NULL, 0);
}

static void rld_write(struct rld_node *n, struct rld_client *c,
		      const u8 *p, size_t len)
{
	if (!len) {
		rld_reply(n, c, -EINVAL, 0, NULL, 0);
		return;
	}
	if (len > n->max_entry_size) {
		rld_reply(n, c, -EMSGSIZE, 0, NULL, 0);
		return;
	}
	c->data = malloc(len);
	if (!c->data) {
		rld_reply(n, c, -ENOMEM, 0, NULL, 0);
		return;
	}
	memcpy(c->data, p, len);
	c->len = len;
	c->cookie = ++n->next_cookie;
	c->seq = c->next_seq++;
	c->start = c->sess_named ? c->sess_start : n->committed;
	c->first_try = !c->sess_named;
	c->deadline_ms = rld_now_ms() + n->commit_timeout_ms;
	c->refusal = RAFT_EBUSY;	/* until the core says why */
	c->state = RLD_QUEUED;
	c->qnext = NULL;
	if (q_tail)
		q_tail->qnext = c;
	else
		q_head = c;
	q_tail = c;
}

static void rld_request(struct rld_node *n, struct rld_client *c,
			size_t got, bool trunc)
{
	const u8 *p = req_buf + sizeof(struct rld_req);
	size_t len = got - sizeof(struct rld_req);
	struct raftlog_session s;
	struct raftlog_status st;

	memcpy(&c->req, req_buf, sizeof(c->req));
	rld_watch(n, c, false);
	c->state = RLD_READING;	/* busy until the reply */
	if (n->failed) {
		rld_reply(n, c, -EIO, c->cursor, NULL, 0);
		return;
	}
	if (trunc) {
		rld_reply(n, c, -EMSGSIZE, 0, NULL, 0);
		return;
	}
	switch (c->req.op) {
	case RLD_OP_WRITE:
		rld_write(n, c, p, len);
		return;
	case RLD_OP_READ:
		if (!rld_try_read(n, c) && (c->req.flags & RLD_F_NONBLOCK))
			rld_reply(n, c, -EAGAIN, c->cursor, NULL, 0);
		return;		/* else it waits in RLD_READING */
	case RLD_OP_SEEK:
		rld_seek(n, c);
		return;
	case RLD_OP_STATUS:
		rld_fill_status(n, &st);
		rld_reply(n, c, 0, 0, &st, sizeof(st));
		return;
	case RLD_OP_GET_SESSION:
		memset(&s, 0, sizeof(s));
		s.id = c->sess_id;
		s.next_seq = c->next_seq;
		s.start_index = c->sess_start;
		rld_reply(n, c, 0, 0, &s, sizeof(s));
		return;
	case RLD_OP_SET_SESSION:
		rld_set_session(n, c, p, len);
		return;
	case RLD_OP_LAST_WRITE:
		rld_reply(n, c, 0, c->last_write, NULL, 0);
		return;
	default:
		rld_reply(n, c, -ENOTTY, 0, NULL, 0);
	}
}

void rld_client_event(struct rld_node *n, struct rld_client *c, u32 ev)
{
	ssize_t got;
	struct msghdr m;
	struct iovec iov = { .iov_base = req_buf, .iov_len = RLD_PROTO_MAX };

	if (ev & (EPOLLHUP | EPOLLERR)) {
		rld_close(n, c);
		return;
	}
	if (c->state != RLD_IDLE)
		return;
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	got = recvmsg(c->fd, &m, MSG_DONTWAIT);
	if (got < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (got < (ssize_t)sizeof(struct rld_req) ||
	    ((struct rld_req *)req_buf)->magic != RLD_PROTO_MAGIC) {
		rld_close(n, c);	/* end of file, or not our protocol */
		return;
	}
	rld_request(n, c, got, m.msg_flags & MSG_TRUNC);
}

int rld_client_listen(struct rld_node *n)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN,
				  .data.u64 = RLD_EV_LISTEN };
	mode_t old;
	int err;

	req_buf = malloc(RLD_PROTO_MAX);
	read_buf = malloc(65536);
	if (!req_buf || !read_buf)
		return -ENOMEM;
	if (strlen(n->sock_path) >= sizeof(a.sun_path))
		return -ENAMETOOLONG;
	strcpy(a.sun_path, n->sock_path);
	n->listen_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
			      SOCK_CLOEXEC, 0);
	if (n->listen_fd < 0)
		return -errno;
	unlink(n->sock_path);		/* a stale socket of an earlier run */
	old = umask(0077);		/* mode 0600, as the device node */
	err = bind(n->listen_fd, (struct sockaddr *)&a, sizeof(a));
	umask(old);
	if (err || listen(n->listen_fd, 128))
		return -errno;
	return epoll_ctl(n->epfd, EPOLL_CTL_ADD, n->listen_fd, &ev) ? -errno
								     : 0;
}

void rld_client_accept(struct rld_node *n)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct rld_client *c;
	int fd;

	for (;;) {
		fd = accept4(n->listen_fd, NULL, NULL,
			     SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;
		c = calloc(1, sizeof(*c));
		if (!c) {
			close(fd);
			return;
		}
		c->fd = fd;
		while (!c->sess_id)
			if (getrandom(&c->sess_id, sizeof(c->sess_id), 0) < 0)
				c->sess_id = rld_now_ms() ^ (u64)fd << 48;
		c->sess_start = n->committed;
		c->next_seq = 1;
		c->cursor = 1;
		ev.data.ptr = c;
		if (epoll_ctl(n->epfd, EPOLL_CTL_ADD, fd, &ev)) {
			close(fd);
			free(c);
			return;
		}
		c->next = n->clients;
		if (c->next)
			c->next->prev = c;
		n->clients = c;
	}
}

static int rld_propose(struct rld_node *n, struct rld_client *c, u64 now)
{
	u64 left = c->deadline_ms - now;
	struct raft_proposal p = {
		.cookie = c->cookie,
		.session = c->sess_id,
		.seq = c->seq,
		.start = c->start,
		.timeout = left / RLD_TICK_MS ? left / RLD_TICK_MS : 1,
		.accept_only = c->req.flags & RLD_F_NONBLOCK,
		.first_try = c->first_try,
		.data = c->data,
		.len = c->len,
	};

	return raft_propose_in(n->raft, &p);
}

void rld_client_run(struct rld_node *n)
{
	u64 now = rld_now_ms();
	struct rld_client *c;
	int err, k;

	/* Bounded so a flood of writers cannot starve ticks and packets. */
	for (k = 0; k < 256 && q_head; k++) {
		c = q_head;
		if (now >= c->deadline_ms) {
			q_head = c->qnext;
			if (!q_head)
				q_tail = NULL;
			rld_finish_write(n, c, rld_errno(c->refusal), 0);
			continue;
		}
		err = rld_propose(n, c, now);
		if (err != RAFT_OK && rld_retryable(err)) {
			c->refusal = err;
			return;		/* keep the order: first again next round */
		}
		q_head = c->qnext;
		if (!q_head)
			q_tail = NULL;
		n->stats.proposals_in++;
		if (err == RAFT_OK)
			c->state = RLD_PROPOSED;
		else
			rld_finish_write(n, c, rld_errno(err), 0);
	}
}

void rld_client_result(struct rld_node *n,
		       const struct raft_proposal_result *r)
{
	struct rld_client *c;

	for (c = n->clients; c; c = c->next)
		if (c->state == RLD_PROPOSED && c->cookie == r->cookie)
			break;
	if (!c)
		return;
	if (r->status == RAFT_OK)
		rld_finish_write(n, c, c->len, r->index);
	else
		rld_finish_write(n, c, rld_errno(r->status), 0);
}

void rld_client_round(struct rld_node *n)
{
	struct rld_client *c, *next;

	for (c = n->clients; c; c = next) {
		next = c->next;
		if (c->state == RLD_READING && c->req.op == RLD_OP_READ)
			rld_try_read(n, c);
	}
}

void rld_client_fail_all(struct rld_node *n, int err)
{
	struct rld_client *c, *next;

	q_head = q_tail = NULL;
	for (c = n->clients; c; c = next) {
		next = c->next;
		if (c->state == RLD_QUEUED || c->state == RLD_PROPOSED ||
		    c->state == RLD_READING)
			rld_reply(n, c, err, c->cursor, NULL, 0);
	}
}

void rld_client_close_all(struct rld_node *n)
{
	while (n->clients)
		rld_close(n, n->clients);
	if (n->sock_path)
		unlink(n->sock_path);
}
