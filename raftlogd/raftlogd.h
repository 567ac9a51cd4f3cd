/* SPDX-License-Identifier: GPL-2.0 */
/*
 * raftlogd: kmod/raft/ (unchanged) as a userspace daemon. One thread, one
 * epoll loop owns the core, exactly as the module's work item does:
 * ticks from a timerfd, datagrams from a UDP socket, proposals from
 * clients on a Unix SOCK_SEQPACKET socket; each round ends with the
 * ready/advance cycle (send, write, advance; the log's fsync runs on a
 * thread and what waited for it leaves when it is done). Files: main.c
 * (options), loop.c (the loop), net.c (UDP and the wire), disk.c (the
 * data_dir, kmod/record.c's format), sync.c (the fsync thread), client.c
 * (the device's semantics over the Unix socket).
 */
#ifndef RAFTLOGD_H
#define RAFTLOGD_H

#include <netinet/in.h>
#include <sys/socket.h>
#include "raft/raft.h"
#include "raft/auth.h"
#include "raft/frag.h"
#include "raft/wire.h"

#ifndef RLD_BREAK
#define RLD_BREAK		0	/* test builds: 1 skip writes, 2 skip commits, 3 no fsync */
#endif

#define RLD_TICK_MS		10	/* kmod/config.h RAFTLOG_TICK_MS */
#define RLD_MAX_CATCHUP		5	/* kmod/loop.c */
#define RLD_RX_BATCH		64	/* datagrams per recvmmsg */
#define RLD_RX_BUDGET		4	/* recvmmsg calls per round */

struct rld_peer {
	u32 id;
	union {
		struct sockaddr sa;
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
	};
	socklen_t len;
};

struct rld_disk;
struct rld_client;
struct rld_sync;

struct rld_stats {
	u64 msgs_sent, msgs_received, send_errors, drops, fsyncs;
	u64 readies, proposals_in;
};

struct rld_node {
	u32 id;
	u32 n_nodes;
	struct rld_peer nodes[RAFT_MAX_NODES];	/* self included */
	struct raft_replay replay[RAFT_MAX_NODES];
	struct raft_frag_rx frag_rx[RAFT_MAX_NODES];	/* as @replay */
	u32 frag_id;				/* the last message fragmented */
	u64 cluster_id;
	u32 election_ms, heartbeat_ms, commit_timeout_ms;
	u32 max_entry_size;
	u32 max_datagram;			/* --max-datagram */
	const char *data_dir;			/* NULL: memory only */
	const char *sock_path;
	bool insecure;
	u8 key[RAFT_MAC_KEY_LEN];
	bool no_fsync;				/* test-only breakage */

	struct raft *raft;
	int epfd, udp, timer, listen_fd;
	u64 start_ms, ticks_done;
	u64 tx_epoch, tx_counter;
	u64 committed;				/* published to readers */
	bool failed;
	struct rld_disk *disk;
	struct rld_sync *sync;			/* with a data_dir */
	struct rld_client *clients;		/* list */
	struct rld_stats stats;
	u64 next_cookie;
};


u64 rld_now_ms(void);
void rld_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* net.c */
int rld_net_open(struct rld_node *n);
/* Sends @msgs of a ready whose after_persist is @after, in one sendmmsg. */
void rld_net_send(struct rld_node *n, const struct raft_ready *rd,
		  bool after);
/* Reads and steps what waits; true when more may wait. */
bool rld_net_receive(struct rld_node *n);

/* disk.c */
int rld_disk_open(struct rld_node *n);
void rld_disk_close(struct rld_node *n);
/*
 * Writes a ready's hard state (fsynced at once) and entries; @sync_log:
 * fsyncs the log too, else sync.c does (async_persist).
 */
int rld_disk_persist(struct rld_node *n, const struct raft_ready *rd,
		     bool sync_log);
/* fsync(@fd); an errno or 0 (the BREAK=3 build skips it). */
int rld_disk_fsync_fd(int fd);
int rld_disk_log_fd(const struct rld_node *n);
void rld_disk_release(struct rld_node *n);
/* Loads an APPEND's released entries (m->append.load). */
int rld_disk_load(struct rld_node *n, struct raft_msg *m);
/*
 * Committed entry @index for a reader: type, len, data in @buf (cap
 * @cap); returns the length, -EMSGSIZE with *len set, or -errno.
 */
int rld_disk_read(struct rld_node *n, u64 index, u8 *type, u8 *buf,
		  u32 cap, u32 *len);

/* sync.c: the log's fsync on a thread of its own (with a data_dir) */
int rld_sync_start(struct rld_node *n);
void rld_sync_stop(struct rld_node *n);
/* The eventfd that is readable when an fsync completed. */
int rld_sync_fd(const struct rld_node *n);
/*
 * After a ready's writes (@wrote: it wrote entries): sends its
 * after_persist messages, or holds them until what was written is
 * durable.
 */
int rld_sync_written(struct rld_node *n, const struct raft_ready *rd,
		     bool wrote);
/* Tells the core what became durable, sends what waited; -errno. */
int rld_sync_poll(struct rld_node *n);

/* client.c */
int rld_client_listen(struct rld_node *n);
void rld_client_accept(struct rld_node *n);
void rld_client_event(struct rld_node *n, struct rld_client *c, u32 ev);
/* Offers queued writes to the core (bounded, like kmod/proposal.c). */
void rld_client_run(struct rld_node *n);
void rld_client_result(struct rld_node *n,
		       const struct raft_proposal_result *r);
/* After a round: wakes readers of newly committed entries, ends waits. */
void rld_client_round(struct rld_node *n);
void rld_client_fail_all(struct rld_node *n, int err);
void rld_client_close_all(struct rld_node *n);

/* loop.c */
int rld_loop_init(struct rld_node *n);
int rld_loop_run(struct rld_node *n);

/* epoll tags: the low bits of data.u64 */
enum { RLD_EV_UDP = 1, RLD_EV_TIMER, RLD_EV_LISTEN, RLD_EV_SIGNAL,
       RLD_EV_SYNC };

#endif /* RAFTLOGD_H */
