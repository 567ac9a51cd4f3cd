// SPDX-License-Identifier: GPL-2.0
/*
 * Configurations in raftlog's Raft core: the one a node is created with
 * (its defaults, and the checks raft_create() applies before trusting it),
 * and the membership a CONFIG entry carries (its encoding and checks).
 */
#include "raft_int.h"

void raft_config_default(struct raft_config *cfg, u32 id,
			 const u32 *nodes, u32 n_nodes)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->id = id;
	if (n_nodes > RAFT_MAX_NODES)
		n_nodes = RAFT_MAX_NODES;
	cfg->n_nodes = n_nodes;
	memcpy(cfg->nodes, nodes, n_nodes * sizeof(*nodes));
	cfg->election_ticks = 15;
	cfg->heartbeat_ticks = 5;
	cfg->max_msg_bytes = 16 * 1024;
	cfg->max_inflight = 8;
	cfg->max_entry_size = RAFT_ENTRY_SIZE_LIMIT;
	cfg->max_uncommitted = 4096;
	cfg->seed = id;
	cfg->pre_vote = true;
	cfg->check_quorum = true;
}

/* The boot configuration @cfg describes, as a membership of index 0. */
void raft_conf_boot(const struct raft_config *cfg, struct raft_membership *m)
{
	u32 i, n = cfg->n_nodes < RAFT_MAX_NODES ? cfg->n_nodes : RAFT_MAX_NODES;

	memset(m, 0, sizeof(*m));
	m->n_members = n;
	for (i = 0; i < n; i++) {
		m->members[i].id = cfg->nodes[i];
		m->members[i].role = cfg->learner[i] ? RAFT_MEMBER_LEARNER :
						       RAFT_MEMBER_VOTER;
		m->members[i].addr = cfg->addrs[i];
	}
}

static const char *check_nodes(const struct raft_config *cfg)
{
	struct raft_membership m;
	bool self = false;
	u32 i, j;

	if (!cfg->n_nodes || cfg->n_nodes > RAFT_MAX_NODES)
		return "number of nodes";
	for (i = 0; i < cfg->n_nodes; i++) {
		if (!cfg->nodes[i])
			return "node id 0";
		if (cfg->addrs[i].len > RAFT_ADDR_MAX)
			return "address too long";
		for (j = 0; j < i; j++)
			if (cfg->nodes[i] == cfg->nodes[j])
				return "duplicate node id";
		self = self || cfg->nodes[i] == cfg->id;
	}
	if (!cfg->id || !self)
		return "own id not among the nodes";
	raft_conf_boot(cfg, &m);
	if (!raft_conf_valid(&m))
		return "no voter, or an address twice";
	return NULL;
}

static const char *check_limits(const struct raft_config *cfg)
{
	if (cfg->election_ticks < 2)
		return "election timeout too short";
	if (!cfg->heartbeat_ticks || cfg->heartbeat_ticks >= cfg->election_ticks)
		return "heartbeat not shorter than election timeout";
	if (!cfg->max_msg_bytes)
		return "message byte budget";
	if (!cfg->max_inflight || cfg->max_inflight > RAFT_MAX_INFLIGHT)
		return "in-flight window";
	if (!cfg->max_entry_size || cfg->max_entry_size > RAFT_ENTRY_SIZE_LIMIT)
		return "maximum entry size";
	if (!cfg->max_uncommitted)
		return "uncommitted limit";
	return NULL;
}

int raft_config_check(const struct raft_config *cfg, const char **why)
{
	const char *bad = check_nodes(cfg);

	if (!bad)
		bad = check_limits(cfg);
	if (why)
		*why = bad;
	return bad ? RAFT_EINVAL : RAFT_OK;
}

/* --- the configuration in a CONFIG entry --------------------------------- */

/*
 * Encoding, little-endian, version 1:
 *	0 u8 version (1), 1 u8 flags (bit 0: joint), 2 u8 n_members,
 *	3 u8 reserved (0),
 *	then per member: le32 id, u8 role, u8 outgoing (0 or 1),
 *	u8 addr_len, u8 reserved (0), addr_len address bytes.
 * Nothing may trail. The wire and the record only check that a CONFIG
 * entry has this shape; what it says is checked here.
 */
#define CONFIG_VERSION	1
#define CONFIG_JOINT	0x01
#define CONFIG_HDR	4
#define MEMBER_HDR	8

static bool addr_eq(const struct raft_addr *a, const struct raft_addr *b)
{
	return a->len && a->len == b->len && !memcmp(a->bytes, b->bytes, a->len);
}

static bool member_ok(const struct raft_member *mb, bool joint)
{
	if (!mb->id || mb->addr.len > RAFT_ADDR_MAX)
		return false;
	switch (mb->role) {
	case RAFT_MEMBER_VOTER:
		return joint || !mb->outgoing;
	case RAFT_MEMBER_LEARNER:
		return !mb->outgoing;	/* no demotion through joint */
	case RAFT_MEMBER_LEAVING:
		return joint && mb->outgoing;
	}
	return false;
}

/* Whether @m is a configuration the core could use: see raft.h. */
bool raft_conf_valid(const struct raft_membership *m)
{
	u32 i, j, in = 0, out = 0;

	if (!m->n_members || m->n_members > RAFT_MAX_NODES)
		return false;
	for (i = 0; i < m->n_members; i++) {
		const struct raft_member *mb = &m->members[i];

		if (!member_ok(mb, m->joint))
			return false;
		for (j = 0; j < i; j++)
			if (m->members[j].id == mb->id ||
			    addr_eq(&m->members[j].addr, &mb->addr))
				return false;
		in += mb->role == RAFT_MEMBER_VOTER;
		out += mb->outgoing;
	}
	return in && (!m->joint || out);
}

static void put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 get_le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

int raft_config_encode(const struct raft_membership *m, u8 *buf, u32 cap)
{
	u32 i, n = CONFIG_HDR;

	if (!raft_conf_valid(m))
		return RAFT_EINVAL;
	for (i = 0; i < m->n_members; i++)
		n += MEMBER_HDR + m->members[i].addr.len;
	if (n > cap)
		return RAFT_EINVAL;
	buf[0] = CONFIG_VERSION;
	buf[1] = m->joint ? CONFIG_JOINT : 0;
	buf[2] = (u8)m->n_members;
	buf[3] = 0;
	n = CONFIG_HDR;
	for (i = 0; i < m->n_members; i++) {
		const struct raft_member *mb = &m->members[i];

		put_le32(buf + n, mb->id);
		buf[n + 4] = mb->role;
		buf[n + 5] = mb->outgoing;
		buf[n + 6] = mb->addr.len;
		buf[n + 7] = 0;
		memcpy(buf + n + MEMBER_HDR, mb->addr.bytes, mb->addr.len);
		n += MEMBER_HDR + mb->addr.len;
	}
	return (int)n;
}

/* One member at @data + *@off; false if it does not fit or is malformed. */
static bool decode_member(const u8 *data, u32 len, u32 *off,
			  struct raft_member *mb)
{
	const u8 *p = data + *off;

	if (len - *off < MEMBER_HDR)
		return false;
	if (p[5] > 1 || p[6] > RAFT_ADDR_MAX || p[7] ||
	    len - *off - MEMBER_HDR < p[6])
		return false;
	memset(mb, 0, sizeof(*mb));
	mb->id = get_le32(p);
	mb->role = p[4];
	mb->outgoing = p[5];
	mb->addr.len = p[6];
	memcpy(mb->addr.bytes, p + MEMBER_HDR, mb->addr.len);
	*off += MEMBER_HDR + mb->addr.len;
	return true;
}

int raft_config_decode(const u8 *data, u32 len, struct raft_membership *m)
{
	u32 i, off = CONFIG_HDR;

	memset(m, 0, sizeof(*m));
	if (!data || len < CONFIG_HDR || data[0] != CONFIG_VERSION ||
	    (data[1] & ~CONFIG_JOINT) || !data[2] ||
	    data[2] > RAFT_MAX_NODES || data[3])
		return RAFT_EINVAL;
	m->joint = data[1] & CONFIG_JOINT;
	m->n_members = data[2];
	for (i = 0; i < m->n_members; i++)
		if (!decode_member(data, len, &off, &m->members[i]))
			return RAFT_EINVAL;
	if (off != len || !raft_conf_valid(m))
		return RAFT_EINVAL;
	return RAFT_OK;
}
