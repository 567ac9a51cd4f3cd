/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A hand-driven cluster for the paper-rule tests: nodes 1..n built on
 * tests/sim/node.c, one FIFO of messages, cut links, and a filter that may
 * drop or rewrite a message on delivery. Nothing moves unless a test says
 * so: ticks, deliveries and readies happen only when called.
 */
#ifndef TESTS_UNIT_HARNESS_H
#define TESTS_UNIT_HARNESS_H

#include <stdio.h>

#include "node.h"

#define NET_MAX 9

struct net;
typedef bool (*net_filter)(struct net *net, struct tmsg *t);

struct net {
	u32 n;
	struct tnode nd[NET_MAX];
	struct tn_hooks hooks;
	struct tmsg **q;
	u32 qhead, qtail, qcap;
	bool cut[NET_MAX + 1][NET_MAX + 1];	/* by node id */
	net_filter filter;		/* false: drop the message */
	void *filter_ctx;
	u32 appends_to[NET_MAX + 1];
	u32 rejects_from[NET_MAX + 1];
	u32 violations;
	/* proposal results, in the order they came */
	u32 n_res;
	u32 res_node[256];
	struct raft_proposal_result res[256];
};

/* The running test's failure count; CHECK adds to it. */
extern int t_failed;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("    %s:%d: CHECK(%s) failed\n", __FILE__, \
			       __LINE__, #cond);			\
			t_failed++;					\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		unsigned long long a_ = (a), b_ = (b);			\
		if (a_ != b_) {						\
			printf("    %s:%d: %s == %llu, expected %s == %llu\n", \
			       __FILE__, __LINE__, #a, a_, #b, b_);	\
			t_failed++;					\
		}							\
	} while (0)

/* n nodes with ids 1..n; election 10 ticks, heartbeat 2, PreVote and
 * CheckQuorum on. Adjust net->nd[i].cfg and disks, then net_start(). */
void net_init(struct net *net, u32 n);
void net_start(struct net *net);
void net_free(struct net *net);
struct tnode *N(struct net *net, u32 id);
struct raft *R(struct net *net, u32 id);

/* Process every ready of node @id (messages go to the queue). */
void net_drain(struct net *net, u32 id);
void net_drain_all(struct net *net);
/* Step @m into node m->to, as if it came off the network, and drain. */
int net_step(struct net *net, const struct raft_msg *m);
/* Deliver queued messages (and what they cause) until none or @max. */
u32 net_settle(struct net *net, u32 max);
/* Drop everything queued. */
void net_flush(struct net *net);
/* Remove and return the first queued message matching, or NULL. */
struct tmsg *net_take(struct net *net, u8 type, u32 from, u32 to);
u32 net_queued(struct net *net, u8 type, u32 from, u32 to);

void net_tick(struct net *net, u32 id);
/* Tick every live node once, settle after each node. */
void net_tick_all(struct net *net);
/* Tick @id (and deliver) until it leads; false if it never does. */
bool net_elect(struct net *net, u32 id);
/* Cut @id off from everyone, both ways (or heal it). */
void net_isolate(struct net *net, u32 id, bool cut);
void net_heal(struct net *net);

void net_status(struct net *net, u32 id, struct raft_status *st);
/* The leader every live node agrees on, or 0. */
u32 net_agreed_leader(struct net *net);
/* Whether nodes @a and @b hold exactly the same log. */
bool net_same_log(struct net *net, u32 a, u32 b);

/* A durable log given as terms, with data "i:t" (test setup). */
void net_disk_log(struct net *net, u32 id, const u64 *terms, u32 n);

/* Build a message from @from to @to in @term. */
struct raft_msg msg(u8 type, u32 from, u32 to, u64 term);

#endif /* TESTS_UNIT_HARNESS_H */
