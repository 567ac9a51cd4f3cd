// SPDX-License-Identifier: GPL-2.0
/*
 * The event loop: kmod/loop.c's rounds on epoll. Each wakeup handles the
 * events (timer, datagrams waiting, new clients, their requests), then one
 * round: the ticks due from the monotonic clock (a late timer does not
 * slow Raft's clock; at most RLD_MAX_CATCHUP replayed after a stall), the
 * datagrams (recvmmsg batches), the queued writes, and ready/advance
 * cycles until the core has nothing more: per ready, the messages that
 * need nothing durable leave in one sendmmsg, the hard state and entries
 * are written, then the rest leave in one sendmmsg. Memory-only, that is
 * all; with a data_dir the log's fsync runs on sync.c's thread while the
 * loop goes on, and the rest leave once it covered their ready: every
 * write that arrived meanwhile shares the next fsync.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include "raftlogd.h"

static int sigfd = -1;

u64 rld_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void rld_ticks(struct rld_node *n)
{
	u64 due = (rld_now_ms() - n->start_ms) / RLD_TICK_MS;
	u64 k = due - n->ticks_done;

	n->ticks_done = due;
	if (k > RLD_MAX_CATCHUP)
		k = RLD_MAX_CATCHUP;
	while (k--)
		raft_tick(n->raft);
}

/* A disk error: stop serving, keep the other nodes safe. */
static void rld_fail(struct rld_node *n, int err)
{
	rld_log("storage failed (%s): node stopped serving", strerror(-err));
	n->failed = true;
	epoll_ctl(n->epfd, EPOLL_CTL_DEL, n->udp, NULL);
	/* no round reads it any more: level-triggered, it would spin */
	if (n->sync)
		epoll_ctl(n->epfd, EPOLL_CTL_DEL, rld_sync_fd(n), NULL);
	rld_client_fail_all(n, -EIO);
}

static bool rld_cycle(struct rld_node *n)
{
	struct raft_ready rd;
	u64 commit;
	int err;
	u32 i;

	raft_ready(n->raft, &rd);
	n->stats.readies++;
	rld_net_send(n, &rd, false);
	if (n->disk && (rd.hardstate_changed || rd.n_entries)) {
		err = rld_disk_persist(n, &rd, !n->sync);
		if (err) {
			rld_fail(n, err);
			return false;
		}
	}
	if (n->sync) {
		err = rld_sync_written(n, &rd, rd.n_entries > 0);
		if (err) {
			rld_fail(n, err);
			return false;
		}
	} else {
		rld_net_send(n, &rd, true);
	}
	for (i = 0; i < rd.n_results; i++)
		rld_client_result(n, &rd.results[i]);
	commit = rd.commit_index;
	raft_advance(n->raft, &rd);
	rld_disk_release(n);
	if (commit > n->committed)
		n->committed = commit;
	return true;
}

static bool rld_round(struct rld_node *n, bool rx)
{
	bool more = false;

	int err;

	if (n->failed)
		return false;
	if (n->sync) {
		err = rld_sync_poll(n);
		if (err) {
			rld_fail(n, err);
			return false;
		}
	}
	rld_ticks(n);
	if (rx)
		more = rld_net_receive(n);
	rld_client_run(n);
	while (raft_has_ready(n->raft))
		if (!rld_cycle(n))
			return false;
	rld_client_round(n);
	return more;
}

static int rld_core(struct rld_node *n)
{
	struct raft_config rc;
	u32 ids[RAFT_MAX_NODES], i;
	const char *why = NULL;

	for (i = 0; i < n->n_nodes; i++)
		ids[i] = n->nodes[i].id;
	raft_config_default(&rc, n->id, ids, n->n_nodes);
	rc.election_ticks = n->election_ms / RLD_TICK_MS;
	rc.heartbeat_ticks = n->heartbeat_ms / RLD_TICK_MS;
	rc.async_persist = n->data_dir != NULL;	/* sync.c */
	if (getrandom(&rc.seed, sizeof(rc.seed), 0) != sizeof(rc.seed))
		rc.seed = rld_now_ms() ^ (u64)getpid() << 32;
	if (raft_config_check(&rc, &why) != RAFT_OK) {
		rld_log("configuration rejected by the Raft core: %s",
			why ? why : "invalid");
		return -EINVAL;
	}
	n->max_entry_size = rc.max_entry_size;
	n->election_ms = rc.election_ticks * RLD_TICK_MS;
	n->heartbeat_ms = rc.heartbeat_ticks * RLD_TICK_MS;
	n->raft = raft_create(&rc);
	return n->raft ? 0 : -ENOMEM;
}

static int rld_add(struct rld_node *n, int fd, u64 tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	return epoll_ctl(n->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

int rld_loop_init(struct rld_node *n)
{
	struct itimerspec its = {
		.it_interval.tv_nsec = RLD_TICK_MS * 1000000L,
		.it_value.tv_nsec = RLD_TICK_MS * 1000000L,
	};
	struct timespec now;
	sigset_t set;
	int err;

	err = rld_core(n);
	if (err)
		return err;
	/* Peers refuse an epoch older than the last they saw from us. */
	clock_gettime(CLOCK_REALTIME, &now);
	n->tx_epoch = (u64)now.tv_sec * 1000000000ULL + now.tv_nsec;
	if (!n->tx_epoch)
		n->tx_epoch = 1;
	if (n->data_dir) {
		err = rld_disk_open(n);
		if (!err)
			err = rld_sync_start(n);
		if (err)
			return err;
	}
	n->epfd = epoll_create1(EPOLL_CLOEXEC);
	n->timer = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (n->epfd < 0 || n->timer < 0 || timerfd_settime(n->timer, 0, &its,
							   NULL))
		return -errno;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sigfd < 0)
		return -errno;
	err = rld_net_open(n);
	if (!err)
		err = rld_add(n, n->udp, RLD_EV_UDP);
	if (!err)
		err = rld_add(n, n->timer, RLD_EV_TIMER);
	if (!err)
		err = rld_add(n, sigfd, RLD_EV_SIGNAL);
	if (!err && n->sync)
		err = rld_add(n, rld_sync_fd(n), RLD_EV_SYNC);
	if (!err)
		err = rld_client_listen(n);
	return err;
}

int rld_loop_run(struct rld_node *n)
{
	struct epoll_event ev[64];
	bool more = false, rx, stop = false;
	u64 buf;
	int k, i;

	n->start_ms = rld_now_ms();
	n->ticks_done = 0;
	while (!stop) {
		k = epoll_wait(n->epfd, ev, 64, more ? 0 : -1);
		if (k < 0 && errno != EINTR)
			return -errno;
		rx = more;
		for (i = 0; i < k; i++) {
			switch (ev[i].data.u64) {
			case RLD_EV_TIMER:
				if (read(n->timer, &buf, sizeof(buf)) < 0)
					break;
				break;
			case RLD_EV_UDP:
				rx = true;
				break;
			case RLD_EV_LISTEN:
				rld_client_accept(n);
				break;
			case RLD_EV_SIGNAL:
				stop = true;
				break;
			case RLD_EV_SYNC:	/* rld_round() reads it */
				break;
			default:
				rld_client_event(n, ev[i].data.ptr,
						 ev[i].events);
			}
		}
		more = rld_round(n, rx);
	}
	rld_log("stopping: %llu readies, %llu fsyncs, %llu writes proposed, %llu datagrams sent, %llu received, %llu dropped, %llu send errors",
		(unsigned long long)n->stats.readies,
		(unsigned long long)n->stats.fsyncs,
		(unsigned long long)n->stats.proposals_in,
		(unsigned long long)n->stats.msgs_sent,
		(unsigned long long)n->stats.msgs_received,
		(unsigned long long)n->stats.drops,
		(unsigned long long)n->stats.send_errors);
	rld_client_fail_all(n, -ESHUTDOWN);
	rld_client_close_all(n);
	return 0;
}
