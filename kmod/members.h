/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The transport's view of the membership: who may send to this node, from
 * which address, and where to send to a member. It follows the
 * configuration the core uses (the newest in its log, committed or not),
 * so a member that joins is reachable as soon as this node appends the
 * change and one that leaves is refused from then on. Each member keeps
 * its replay window by id across changes.
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

/* One member other than this node, as the transport sees it. */
struct raftlog_member_addr {
	struct raftlog_peer_addr pa;	/* id and UDP address */
	struct raft_replay replay;	/* datagrams seen from it */
};

/*
 * The members of @index's configuration other than this node, in the
 * core's order. A node's table is loop-owned: only its work item reads it
 * or replaces it (raftlog_members_build()).
 */
struct raftlog_members {
	u64 index;
	u32 n;
	struct raftlog_member_addr m[RAFT_MAX_NODES];
};

/* @p's address as configuration bytes; -EINVAL for no usable address. */
int raftlog_addr_encode(const struct raftlog_peer_addr *p,
			struct raft_addr *out);
/* The reverse, @id included; -EINVAL for bytes that are not an address. */
int raftlog_addr_decode(u32 id, const struct raft_addr *a,
			struct raftlog_peer_addr *p);

/*
 * A new table of @m's members but @self, each keeping its replay window
 * from @old (may be NULL); NULL when out of memory.
 */
struct raftlog_members *
raftlog_members_build(const struct raftlog_members *old, u32 self,
		      const struct raft_membership *m);
/* The member @id (never this node), or NULL. */
struct raftlog_member_addr *raftlog_members_find(struct raftlog_members *t,
						 u32 id);
void raftlog_members_free(struct raftlog_members *t);

#endif /* RAFTLOG_MEMBERS_H */
