// SPDX-License-Identifier: GPL-2.0
/*
 * The address table that follows the configuration (members.h), and the
 * encoding of an address inside a configuration entry.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
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

	for (i = 0; i < t->n + t->n_learnt; i++)
		if (t->m[i].pa.id == id)
			return &t->m[i];
	return NULL;
}

static bool raftlog_conf_names(const struct raft_membership *m, u32 id)
{
	u32 i;

	for (i = 0; i < m->n_members && i < RAFT_MAX_NODES; i++)
		if (m->members[i].id == id)
			return true;
	return false;
}

/*
 * Adds @a to @t with the slot @old gave its id, or the lowest one not
 * @taken (which a leaving id may have had: it starts over, in @fresh).
 */
static void raftlog_members_add(struct raftlog_members *t,
				const struct raftlog_members *old,
				const struct raftlog_member_addr *a,
				bool learnt, unsigned long *taken,
				unsigned long *fresh)
{
	const struct raftlog_member_addr *was = NULL;
	struct raftlog_member_addr *e = &t->m[t->n + t->n_learnt];
	u32 i;

	for (i = 0; old && i < old->n + old->n_learnt; i++)
		if (old->m[i].pa.id == a->pa.id)
			was = &old->m[i];
	*e = *a;
	e->learnt = learnt;
	if (was) {
		e->slot = was->slot;
	} else {
		e->slot = find_first_zero_bit(taken, RAFTLOG_PEER_SLOTS);
		__set_bit(e->slot, taken);
		__set_bit(e->slot, fresh);
	}
	if (learnt)
		t->n_learnt++;
	else
		t->n++;
}

struct raftlog_members *
raftlog_members_build(const struct raftlog_members *old, u32 self,
		      const struct raft_membership *m, unsigned long *fresh)
{
	struct raftlog_members *t = kzalloc(sizeof(*t), GFP_KERNEL);
	DECLARE_BITMAP(taken, RAFTLOG_PEER_SLOTS);
	struct raftlog_member_addr a = { 0 };
	u32 i;

	BUILD_BUG_ON(RAFTLOG_PEER_SLOTS > U8_MAX);
	bitmap_zero(fresh, RAFTLOG_PEER_SLOTS);
	bitmap_zero(taken, RAFTLOG_PEER_SLOTS);
	if (!t)
		return NULL;
	/* the slots of every id that stays are its own */
	for (i = 0; old && i < old->n + old->n_learnt; i++)
		if (old->m[i].learnt || raftlog_conf_names(m, old->m[i].pa.id))
			__set_bit(old->m[i].slot, taken);
	t->index = m->index;
	for (i = 0; i < m->n_members && i < RAFT_MAX_NODES; i++) {
		const struct raft_member *mb = &m->members[i];

		if (mb->id == self)
			continue;
		/*
		 * The core checked the entry; an address this module cannot
		 * use (written by another implementation?) leaves that
		 * member unreachable rather than the table wrong.
		 */
		if (raftlog_addr_decode(mb->id, &mb->addr, &a.pa)) {
			pr_warn_ratelimited("member %u has no usable address in the configuration at %llu\n",
					    mb->id, m->index);
			continue;
		}
		raftlog_members_add(t, old, &a, false, taken, fresh);
	}
	/* senders learnt before that the configuration still does not name */
	for (i = 0; old && i < old->n_learnt; i++) {
		const struct raftlog_member_addr *l = &old->m[old->n + i];

		if (!raftlog_conf_names(m, l->pa.id) && l->pa.id != self)
			raftlog_members_add(t, old, l, true, taken, fresh);
	}
	return t;
}

/* The lowest slot no entry of @t holds. */
static u8 raftlog_members_free_slot(const struct raftlog_members *t)
{
	DECLARE_BITMAP(used, RAFTLOG_PEER_SLOTS);
	u32 i;

	bitmap_zero(used, RAFTLOG_PEER_SLOTS);
	for (i = 0; i < t->n + t->n_learnt; i++)
		__set_bit(t->m[i].slot, used);
	return find_first_zero_bit(used, RAFTLOG_PEER_SLOTS);
}

struct raftlog_member_addr *
raftlog_members_learn(struct raftlog_members *t, u32 id,
		      const struct sockaddr_storage *from)
{
	struct raftlog_member_addr *e;

	if (t->n_learnt >= RAFT_MAX_NODES ||
	    t->n + t->n_learnt >= RAFTLOG_PEER_SLOTS)
		return NULL;
	e = &t->m[t->n + t->n_learnt];
	memset(e, 0, sizeof(*e));
	e->pa.id = id;
	if (from->ss_family == AF_INET6)
		memcpy(&e->pa.sin6, from, sizeof(e->pa.sin6));
	else
		memcpy(&e->pa.sin, from, sizeof(e->pa.sin));
	e->slot = raftlog_members_free_slot(t);
	e->learnt = true;
	t->n_learnt++;
	return e;
}

void raftlog_members_free(struct raftlog_members *t)
{
	kfree(t);
}
