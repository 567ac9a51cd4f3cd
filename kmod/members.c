// SPDX-License-Identifier: GPL-2.0
/*
 * The address table that follows the configuration (members.h), and the
 * encoding of an address inside a configuration entry.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include "members.h"

int raftlog_addr_encode(const struct raftlog_peer_addr *p,
			struct raft_addr *out)
{
	BUILD_BUG_ON(RAFTLOG_ADDR_V6_LEN > RAFT_ADDR_MAX);
	memset(out, 0, sizeof(*out));
	if (p->sa.sa_family == AF_INET) {
		out->bytes[0] = 4;
		memcpy(&out->bytes[2], &p->sin.sin_port, 2);
		memcpy(&out->bytes[4], &p->sin.sin_addr.s_addr, 4);
		out->len = RAFTLOG_ADDR_V4_LEN;
		return 0;
	}
	if (p->sa.sa_family == AF_INET6) {
		out->bytes[0] = 6;
		memcpy(&out->bytes[2], &p->sin6.sin6_port, 2);
		memcpy(&out->bytes[4], p->sin6.sin6_addr.s6_addr, 16);
		out->len = RAFTLOG_ADDR_V6_LEN;
		return 0;
	}
	return -EINVAL;
}

int raftlog_addr_decode(u32 id, const struct raft_addr *a,
			struct raftlog_peer_addr *p)
{
	__be16 port;

	memset(p, 0, sizeof(*p));
	p->id = id;
	if (a->len < RAFTLOG_ADDR_V4_LEN || a->bytes[1])
		return -EINVAL;
	memcpy(&port, &a->bytes[2], 2);
	if (!port)
		return -EINVAL;
	if (a->bytes[0] == 4 && a->len == RAFTLOG_ADDR_V4_LEN) {
		p->sin.sin_family = AF_INET;
		p->sin.sin_port = port;
		memcpy(&p->sin.sin_addr.s_addr, &a->bytes[4], 4);
		return p->sin.sin_addr.s_addr ? 0 : -EINVAL;
	}
	if (a->bytes[0] == 6 && a->len == RAFTLOG_ADDR_V6_LEN) {
		p->sin6.sin6_family = AF_INET6;
		p->sin6.sin6_port = port;
		memcpy(p->sin6.sin6_addr.s6_addr, &a->bytes[4], 16);
		return ipv6_addr_any(&p->sin6.sin6_addr) ? -EINVAL : 0;
	}
	return -EINVAL;
}

struct raftlog_member_addr *raftlog_members_find(struct raftlog_members *t,
						 u32 id)
{
	u32 i;

	for (i = 0; i < t->n; i++)
		if (t->m[i].pa.id == id)
			return &t->m[i];
	return NULL;
}

struct raftlog_members *
raftlog_members_build(const struct raftlog_members *old, u32 self,
		      const struct raft_membership *m)
{
	struct raftlog_members *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct raftlog_member_addr *a, *was;
	u32 i;

	if (!t)
		return NULL;
	t->index = m->index;
	for (i = 0; i < m->n_members && i < RAFT_MAX_NODES; i++) {
		const struct raft_member *mb = &m->members[i];

		if (mb->id == self)
			continue;
		a = &t->m[t->n];
		/*
		 * The core checked the entry; an address this module cannot
		 * use (written by another implementation?) leaves that
		 * member unreachable rather than the table wrong.
		 */
		if (raftlog_addr_decode(mb->id, &mb->addr, &a->pa)) {
			pr_warn_ratelimited("member %u has no usable address in the configuration at %llu\n",
					    mb->id, m->index);
			memset(a, 0, sizeof(*a));
			continue;
		}
		was = old ? raftlog_members_find((struct raftlog_members *)old,
						 mb->id) : NULL;
		if (was)
			a->replay = was->replay;
		t->n++;
	}
	return t;
}

void raftlog_members_free(struct raftlog_members *t)
{
	kfree(t);
}
