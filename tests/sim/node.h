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
 *
 * With cfg.async_persist the disk is written at once but made durable
 * only by an fsync the driver begins and ends (tn_sync_begin/_end) after
 * any delay: the ready's entries are written (a cut is durable at once,
 * as the kernel fsyncs a cut before it writes on), the messages marked
 * after_persist are held until what was written when their ready ended is
 * durable (and dropped if a cut removes that point: they promise entries
 * that will never be durable), raft_persisted() hears of each fsync, and
 * a crash loses what was written but not durable. The node checks that
 * the core never calls stable what is not durable.
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
	u64 n;		/* last index written */
	u64 durable;	/* entries up to here survive a crash: n unless */
			/* async_persist (then a prefix of the written log) */
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

/* An after_persist message of an async node, held until @index is durable. */
struct held {
	struct tmsg *t;
	u64 index;	/* last index written when its ready ended */
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
	/* cfg.async_persist: held messages and the fsync under way */
	struct held *held;
	u32 n_held, cap_held;
	bool syncing;		/* between tn_sync_begin() and _end() */
	u64 sync_to;		/* what that fsync makes durable: the last */
				/* index written at its start, less if cut */
	u64 sync_from_index;	/* ... at its start, before any cut */
	u64 sync_from_term;
	u64 syncs, held_sent, held_dropped, stale_reports;
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
/*
 * Async nodes: begin an fsync of everything written (false when nothing
 * waits for one, or one is under way), and end it: what it covered is
 * durable, held messages go, and raft_persisted() hears of it (once the
 * ready in progress, if any, ends). @stale: first report something the
 * core must ignore (1: the last written index at a wrong term, or what
 * this fsync covered before a cut; 2: less than already durable).
 */
bool tn_sync_begin(struct tnode *n);
void tn_sync_end(struct tnode *n, int stale);
/* Processes readies until the node has none; returns how many. */
int tn_drain(struct tnode *n);

void tn_violation(struct tnode *n, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

const char *tn_msg_name(u8 type);
/* One line describing @m (for traces). */
void tn_msg_str(const struct raft_msg *m, char *buf, size_t cap);

#endif /* TESTS_SIM_NODE_H */
