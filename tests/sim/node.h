/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A test node: one struct raft plus the "disk" its caller keeps, driven the
 * way the ready cycle in kmod/raft/raft.h prescribes (send early messages,
 * persist, send the dependent ones, advance). Shared by the paper-rule tests
 * and the cluster simulator so both drive the core through exactly the same
 * code.
 *
 * The disk holds only what a ready handed out and the caller persisted, so a
 * restart (tn_crash + tn_restart) brings back exactly the durable state.
 * While persisting, the node checks the durability contract: no message
 * leaves before the state it depends on is on disk, terms never go back and
 * a vote never changes within a term.
 */
#ifndef TESTS_SIM_NODE_H
#define TESTS_SIM_NODE_H

#include <stdarg.h>
#include <stdio.h>

#include "raft.h"

/* One durable log entry; index i lives in log[i - 1]. */
struct dentry {
	u64 term;
	u64 session;
	u64 seq;
	u32 len;
	u32 crc;	/* the leader's raft_entry_crc(), kept as it came */
	u8 type;
	u8 *data;
	u64 dh;		/* hash of type, len, data */
	u64 chain;	/* hash of this entry and every one before it */
};

struct disk {
	u64 term;
	u32 vote;
	u64 n;		/* last durable index */
	u64 cap;
	struct dentry *log;
};

/* A message copied out of a ready: owns its entries and data. */
struct tmsg {
	struct raft_msg m;
	struct raft_entry *ents;
	u8 *buf;
};

struct tnode;

/* What the driver of a node is told; any hook may be NULL. */
struct tn_hooks {
	void *ctx;
	/* @m lives until the hook returns: copy it (tmsg_clone) to keep it */
	void (*send)(void *ctx, struct tnode *n, const struct raft_msg *m);
	void (*result)(void *ctx, struct tnode *n,
		       const struct raft_proposal_result *res);
	/* a broken rule; @what is a short stable name for counting */
	void (*violation)(void *ctx, struct tnode *n, const char *what,
			  const char *detail);
};

/* tnode.keep: the core holds the whole log, as without data_dir */
#define TN_KEEP_ALL	UINT32_MAX

struct tnode {
	u32 id;
	struct raft_config cfg;
	struct raft *r;		/* NULL while crashed */
	struct disk disk;
	/*
	 * Entries the core keeps in memory after each ready: the rest are
	 * raft_release()d and loaded back from the disk for APPENDs.
	 */
	u32 keep;
	/*
	 * Membership changes: messages may go to any node, members come and
	 * go (and a leader our log does not know yet gets its answer).
	 */
	bool any_peer;
	u64 loads;		/* APPENDs it loaded from the disk */
	u32 restarts;
	u64 readies;
	const struct tn_hooks *hooks;
	/* between tn_ready_begin() and tn_ready_end(): the core is off limits */
	bool in_ready;
	struct raft_ready rd;
};

u64 th_hash(const void *p, size_t len, u64 h);
/* Hash of what an entry says: type, session, seq and data (not its term). */
u64 th_entry_hash(const struct raft_entry *e);
u64 th_chain(u64 prev, u64 term, u64 dh);

struct tmsg *tmsg_clone(const struct raft_msg *m);
void tmsg_free(struct tmsg *t);

/* Creates the core from @cfg (and from @n->disk, which starts empty). */
int tn_init(struct tnode *n, const struct raft_config *cfg,
	    const struct tn_hooks *hooks);
/* Restore @n->disk's content into a fresh core (before tn_start). */
int tn_start(struct tnode *n, u64 seed);
void tn_crash(struct tnode *n);
int tn_restart(struct tnode *n, u64 seed);
void tn_free(struct tnode *n);

/*
 * Entry @index of the core's log, from its memory or, once released, from
 * the disk. False when the core has no entry there.
 */
bool tn_entry(const struct tnode *n, u64 index, struct raft_entry *out);

/* Seeds a durable log directly (test setup before tn_start). */
void tn_disk_append(struct tnode *n, u64 term, u8 type, const void *data,
		    u32 len);

/*
 * Takes one ready and does what it asks. With @crash_before_persist the
 * node sends the early messages and dies before its disk write (the ready
 * is never advanced; the node is left crashed). Returns the first disk
 * index rewritten (disk.n + 1 when none), so callers can check new entries.
 */
u64 tn_process_ready(struct tnode *n, bool crash_before_persist);
/*
 * The same in two halves, for a caller that blocks while it persists (the
 * kernel loop in fsync): begin takes the ready and sends the messages that
 * need nothing durable; end persists, sends the rest, hands out results
 * and advances. Between them nothing may be called on the core; a crash
 * (tn_crash) in between loses what was not yet persisted.
 */
void tn_ready_begin(struct tnode *n);
u64 tn_ready_end(struct tnode *n);
/* Processes readies until the node has none; returns how many. */
int tn_drain(struct tnode *n);

void tn_violation(struct tnode *n, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const char *tn_msg_name(u8 type);
/* One line describing @m (for traces). */
void tn_msg_str(const struct raft_msg *m, char *buf, size_t cap);

#endif /* TESTS_SIM_NODE_H */
