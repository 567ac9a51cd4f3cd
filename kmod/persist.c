// SPDX-License-Identifier: GPL-2.0
/*
 * Asynchronous persistence, the loop's side. With a backend that syncs
 * in the background (backend.h sync_start()), the core runs with
 * async_persist: raft_advance() only marks a ready's entries written,
 * and the leader counts its own copy only once raft_persisted() says
 * they are durable. Until then the cluster commits through the
 * followers' copies, and the loop keeps ticking: a slow local disk no
 * longer stops heartbeats.
 *
 * The loop numbers each ready whose entries it saved (written
 * generation) and learns from the backend which one is durable. A
 * message marked after_persist (a vote, an APPEND_RESP, anything sent at
 * a term not yet stored) leaves only once its ready and every earlier one
 * are durable: if they are not, it is held here, in order, tagged with
 * the newest written generation. It is a deep copy (an APPEND's entries,
 * loaded now if the core left them to storage, and a PROPOSE's data
 * point into the core or the backend, which move on), and it is
 * sealed only when it is sent (socket.c), so the replay window never sees
 * a counter older than one already sent.
 *
 * All of it is loop-owned (node.h); only the loop calls in here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/slab.h>
#include "backend.h"
#include "loop.h"
#include "node.h"
#include "persist.h"

/*
 * Messages held at most: past that they are dropped, as a network would
 * drop them; Raft resends what matters.
 */
#define RAFTLOG_HELD_MAX	4096

struct raftlog_held {
	struct list_head link;
	u64 gen;		/* sendable once durable_gen reaches it */
	struct raft_msg m;	/* what it points to follows */
};

void raftlog_persist_init(struct raftlog_node *node)
{
	INIT_LIST_HEAD(&node->held);
	node->n_held = 0;
	node->written_gen = 0;
	node->durable_gen = 0;
}

int raftlog_persist_written(struct raftlog_node *node,
			    const struct raft_ready *rd)
{
	const struct raftlog_storage_ops *ops = node->storage;
	struct raftlog_sync_point p;

	raftlog_assert_loop(node);
	if (!ops->sync_start)
		return ops->sync(node);
	if (!rd->n_entries)
		return 0;
	p.gen = ++node->written_gen;
	p.index = rd->entries_first + rd->n_entries - 1;
	p.term = rd->entries[rd->n_entries - 1].term;
	return ops->sync_start(node, &p);
}

/* The bytes @m points to, which a held copy must carry. */
static size_t raftlog_held_extra(const struct raft_msg *m)
{
	size_t n = 0;
	u32 i;

	if (m->type == RAFT_MSG_APPEND && !m->append.load) {
		n = m->append.n_entries * sizeof(struct raft_entry);
		for (i = 0; i < m->append.n_entries; i++)
			n += m->append.entries[i].len;
	} else if (m->type == RAFT_MSG_PROPOSE) {
		n = m->propose.len;
	}
	return n;
}

/* Points @h->m at copies, in @h's tail, of what @m points to. */
static void raftlog_held_copy(struct raftlog_held *h, const struct raft_msg *m)
{
	u8 *tail = (u8 *)(h + 1);
	struct raft_entry *ents;
	u32 i, n;

	h->m = *m;
	if (m->type == RAFT_MSG_PROPOSE) {
		memcpy(tail, m->propose.data, m->propose.len);
		h->m.propose.data = tail;
		return;
	}
	if (m->type != RAFT_MSG_APPEND || m->append.load)
		return;
	n = m->append.n_entries;
	ents = (struct raft_entry *)tail;
	tail += n * sizeof(*ents);
	for (i = 0; i < n; i++) {
		ents[i] = m->append.entries[i];
		memcpy(tail, ents[i].data, ents[i].len);
		ents[i].data = tail;
		tail += ents[i].len;
	}
	h->m.append.entries = ents;
}

static void raftlog_held_add(struct raftlog_node *node,
			     const struct raft_msg *m)
{
	struct raftlog_held *h;

	BUILD_BUG_ON(sizeof(struct raftlog_held) % __alignof__(struct raft_entry));
	if (node->n_held >= RAFTLOG_HELD_MAX) {
		node->stats.send_errors++;
		return;
	}
	h = kvmalloc(sizeof(*h) + raftlog_held_extra(m), GFP_KERNEL);
	if (!h) {
		node->stats.send_errors++;
		return;
	}
	raftlog_held_copy(h, m);
	h->gen = node->written_gen;
	list_add_tail(&h->link, &node->held);
	node->n_held++;
}

void raftlog_persist_send(struct raftlog_node *node, const struct raft_msg *m)
{
	struct raft_msg copy;

	raftlog_assert_loop(node);
	if (node->durable_gen >= node->written_gen && list_empty(&node->held)) {
		raftlog_loop_send_msg(node, m);
		return;
	}
	if (m->type == RAFT_MSG_APPEND && m->append.load) {
		/*
		 * Its entries as they are now: by the time it leaves, the log
		 * may be cut and rewritten, and entries loaded then need not
		 * follow its (prev_index, prev_term) any more.
		 */
		copy = *m;
		if (node->storage->load(node, &copy)) {
			node->stats.send_errors++;
			return;
		}
		copy.append.load = false;
		m = &copy;
	}
	raftlog_held_add(node, m);
}

/* Sends, in order, the held messages whose readies are durable now. */
static void raftlog_held_release(struct raftlog_node *node)
{
	struct raftlog_held *h, *n;

	list_for_each_entry_safe(h, n, &node->held, link) {
		if (h->gen > node->durable_gen)
			break;
		list_del(&h->link);
		node->n_held--;
		raftlog_loop_send_msg(node, &h->m);
		kvfree(h);
	}
}

int raftlog_persist_poll(struct raftlog_node *node)
{
	const struct raftlog_storage_ops *ops = node->storage;
	struct raftlog_sync_point p;
	int ret;

	raftlog_assert_loop(node);
	if (!ops->sync_poll)
		return 0;
	ret = ops->sync_poll(node, &p);
	if (ret <= 0)
		return ret;
	raft_persisted(node->raft, p.index, p.term);
	node->durable_gen = p.gen;
	raftlog_held_release(node);
	return 0;
}

void raftlog_persist_destroy(struct raftlog_node *node)
{
	struct raftlog_held *h, *n;

	list_for_each_entry_safe(h, n, &node->held, link) {
		list_del(&h->link);
		kvfree(h);
	}
	node->n_held = 0;
}
