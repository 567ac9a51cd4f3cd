/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transport's view of the membership: who may send to this node, from
 * which address, and where to send to a member. It follows the
 * configuration the core uses (the newest in its log, committed or not),
 * so a member that joins is reachable as soon as this node appends the
 * change and one that leaves is refused from then on. Each member keeps
 * its slot, and with it its per-sender state (replay window, fragments in
 * progress, share of a loop round), by id across changes.
 *
 * A node whose log lacks a change may hear from a member it does not know
 * yet (a new leader elected under the new configuration, thesis 4.1): in
 * an authenticated cluster an authentic datagram from an unknown id is
 * proof enough, and the sender is learnt with the address it sent from
 * (at most RAFT_MAX_NODES of them), so the reply can go out and the node
 * can catch up. Without a key (insecure=1) nobody is learnt: such a node
 * waits until a member it knows brings it the change.
 *
 * Addresses travel inside the core's configuration entries as opaque
 * bytes (struct raft_addr); raftlog_addr_encode() fixes their layout,
 * which is part of the log format (raftlogd reads the same bytes):
 *
 *	u8 version	4 or 6
 *	u8 zero
 *	be16 port	1..65535
 *	u8 addr[]	4 (IPv4) or 16 (IPv6) bytes, network order
 *
 * so 8 or 20 bytes in all.
 */
#ifndef RAFTLOG_MEMBERS_H
#define RAFTLOG_MEMBERS_H

#include <linux/types.h>
#include "config.h"
#include "raft/auth.h"
#include "raft/raft.h"

#define RAFTLOG_ADDR_V4_LEN	8
#define RAFTLOG_ADDR_V6_LEN	20

/* Per-sender state slots: every member but this node, and the learnt. */
#define RAFTLOG_PEER_SLOTS	(2 * RAFT_MAX_NODES)

/* One member other than this node, as the transport sees it. */
struct raftlog_member_addr {
	struct raftlog_peer_addr pa;	/* id and UDP address */
	u8 slot;			/* < RAFTLOG_PEER_SLOTS, its own */
	bool learnt;			/* not in the configuration */
};

/*
 * The members of @index's configuration other than this node, in the
 * core's order, then the senders learnt. A node's table is loop-owned:
 * only its work item reads it or replaces it.
 */
struct raftlog_members {
	u64 index;
	u32 n;
	u32 n_learnt;
	struct raftlog_member_addr m[RAFTLOG_PEER_SLOTS];
};

/* @p's address as configuration bytes; -EINVAL for no usable address. */
int raftlog_addr_encode(const struct raftlog_peer_addr *p,
			struct raft_addr *out);
/* The reverse, @id included; -EINVAL for bytes that are not an address. */
int raftlog_addr_decode(u32 id, const struct raft_addr *a,
			struct raftlog_peer_addr *p);

/*
 * A new table of @m's members but @self and the senders @old learnt that
 * @m does not name; ids of @old keep their slots. *@fresh gets a bit per
 * slot given to a new id (its state must start over). NULL when out of
 * memory.
 */
struct raftlog_members *
raftlog_members_build(const struct raftlog_members *old, u32 self,
		      const struct raft_membership *m, unsigned long *fresh);
/*
 * Learns the sender @id at @from (authentic, not in @t): its entry, whose
 * slot starts over, or NULL when RAFT_MAX_NODES are learnt already.
 */
struct raftlog_member_addr *
raftlog_members_learn(struct raftlog_members *t, u32 id,
		      const struct sockaddr_storage *from);
/* The member @id (never this node), or NULL. */
struct raftlog_member_addr *raftlog_members_find(struct raftlog_members *t,
						 u32 id);
void raftlog_members_free(struct raftlog_members *t);

#endif /* RAFTLOG_MEMBERS_H */
