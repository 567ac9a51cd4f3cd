/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inside of the trace engine (trace_engine.h is its API; see
 * tests/trace/README), shared by its parts: nodes with ids 1..n, each a
 * struct raft plus the "disk" its caller keeps (hard state and log,
 * exactly what the readies asked to make durable), one FIFO network with
 * cut links, and commands that move all of it one explicit step at a
 * time. Nothing happens unless a command says so.
 *
 * It plays the caller of raft.h by the book: for each ready it persists
 * the hard state and the entries first, then queues the messages, then
 * calls raft_advance(). A crash loses nothing the core was told is
 * durable, and a restart restores exactly the disk.
 */
#ifndef TESTS_TRACE_INT_H
#define TESTS_TRACE_INT_H

#ifdef __KERNEL__
#include <linux/kernel.h>	/* snprintf, vsnprintf */
#else
#include <stdarg.h>
#include <stdio.h>
#define __printf(a, b) __attribute__((format(printf, a, b)))
#endif

#include "raft.h"
#include "trace_engine.h"

#define T_MAX_NODES	RAFT_MAX_NODES
#define T_MAX_ARGS	32
#define T_DATA_MAX	64	/* data bytes printed */

struct t_entry {
	struct raft_entry e;
	u8 *buf;		/* e.data: our copy */
};

struct t_disk {
	u64 term;
	u32 vote;
	u64 n;			/* entries 1..n */
	u64 cap;
	u64 alloc;		/* log[0..alloc) hold a buf (or NULL) */
	struct t_entry *log;
};

struct t_node {
	bool exists, up;
	struct raft *r;
	struct raft_config cfg;
	struct t_disk disk;
	u32 lives;		/* raft_create() calls, for the seed */
	u64 seq;		/* last seq proposed by default */
	u64 commit;		/* last commit index reported */
	bool dirty;		/* ticked or stepped since its last ready */
};

struct t_msg {
	struct t_msg *next;
	struct raft_msg m;
	u32 n_entries;
	struct t_entry *entries;	/* the entries' data */
	struct raft_entry *es;		/* m.append.entries */
	u8 *data;		/* PROPOSE */
};

struct trace_env {
	u32 n;
	struct t_node nd[T_MAX_NODES + 1];
	bool cut[T_MAX_NODES + 1][T_MAX_NODES + 1];
	struct t_msg *head, **tail;
	u64 cookie;
	/* committed entries seen anywhere: (term) per index, for safety */
	u64 n_committed;
	u64 committed[4096];
	/* scratch space, off the stack (a kernel stack is small) */
	char line[8192];
	struct raft_entry send_es[64];
	char send_data[64][24];
	/* output */
	char **buf;
	size_t *len, *cap;
};


struct t_args {
	u32 n;
	char *key[T_MAX_ARGS];
	char *val[T_MAX_ARGS];	/* NULL: a bare word */
	char line[1024];
};

/* message type names, as traces spell them (printed and parsed) */
static const char *const msg_names[] = {
	[RAFT_MSG_PREVOTE] = "PREVOTE",
	[RAFT_MSG_PREVOTE_RESP] = "PREVOTE_RESP",
	[RAFT_MSG_VOTE] = "VOTE",
	[RAFT_MSG_VOTE_RESP] = "VOTE_RESP",
	[RAFT_MSG_APPEND] = "APPEND",
	[RAFT_MSG_APPEND_RESP] = "APPEND_RESP",
	[RAFT_MSG_HEARTBEAT] = "HEARTBEAT",
	[RAFT_MSG_HEARTBEAT_RESP] = "HEARTBEAT_RESP",
	[RAFT_MSG_PROPOSE] = "PROPOSE",
	[RAFT_MSG_PROPOSE_RESP] = "PROPOSE_RESP",
	[RAFT_MSG_TIMEOUT_NOW] = "TIMEOUT_NOW",
};

/*
 * Calls between the engine's parts. trace_kunit.c builds all of them as
 * one translation unit (TRACE_ONE_TU), where they stay static.
 */
#ifdef TRACE_ONE_TU
#define TRACE_FN static
#else
#define TRACE_FN
#endif

/* trace_print.c */
TRACE_FN __printf(2, 3) void out(struct trace_env *env, const char *fmt, ...);
TRACE_FN const char *err_name(int err);
TRACE_FN const char *role_name(enum raft_role role);
TRACE_FN void fmt_conf(char *s, size_t n, const struct raft_membership *m);
TRACE_FN void fmt_entry(char *s, size_t n, const struct raft_entry *e, u64 idx);
TRACE_FN void fmt_msg(char *s, size_t n, const struct raft_msg *m);

/* trace_parse.c */
TRACE_FN void split(struct t_args *a, const char *cmd);
TRACE_FN bool parse_u64(const char *s, u64 *v);
TRACE_FN const char *arg(const struct t_args *a, const char *key);
TRACE_FN u64 arg_u64(const struct t_args *a, const char *key, u64 def);
TRACE_FN bool has_word(const struct t_args *a, const char *w);
TRACE_FN bool parse_ti(const char *s, u64 *t, u64 *i);
TRACE_FN u32 pick_nodes(struct trace_env *env, const struct t_args *a,
			u32 from, bool *set);
TRACE_FN struct t_node *node_arg(struct trace_env *env,
				 const struct t_args *a, u32 i);

/* trace_cluster.c */
TRACE_FN void disk_put(struct t_disk *d, u64 idx, const struct raft_entry *e);
TRACE_FN void node_start(struct trace_env *env, u32 id);
TRACE_FN void node_stop(struct t_node *nd);
TRACE_FN void msg_free(struct t_msg *t);
TRACE_FN void net_send(struct trace_env *env, const struct raft_msg *m,
		     const struct t_disk *disk);
TRACE_FN void net_step(struct trace_env *env, struct t_msg *t);
TRACE_FN bool node_ready(struct trace_env *env, u32 id);
TRACE_FN bool deliver(struct trace_env *env, const bool *set, bool quiet_none);

#endif /* TESTS_TRACE_INT_H */
