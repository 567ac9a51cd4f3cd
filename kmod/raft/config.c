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

/* --- the configuration a node uses ---------------------------------------- */

static const struct raft_member *conf_find(const struct raft_membership *m,
					   u32 id)
{
	u32 i;

	for (i = 0; i < m->n_members; i++)
		if (m->members[i].id == id)
			return &m->members[i];
	return NULL;
}

static bool votes_in(const struct raft_membership *m, u32 id)
{
	const struct raft_member *mb = conf_find(m, id);

	return mb && (mb->role == RAFT_MEMBER_VOTER || mb->outgoing);
}

/* A voter of either set: it votes, counts, and may campaign. */
bool raft_conf_is_voter(const struct raft *r, u32 id)
{
	return votes_in(&r->conf, id);
}

/* The incoming voters decide in voters[0], the outgoing in voters[1]. */
static void conf_quorum(struct raft *r)
{
	struct raft_quorum_config *q = &r->voters;
	u32 i;

	memset(q, 0, sizeof(*q));
	for (i = 0; i < r->conf.n_members; i++) {
		const struct raft_member *mb = &r->conf.members[i];

		if (mb->role == RAFT_MEMBER_VOTER)
			q->voters[0].ids[q->voters[0].n++] = mb->id;
		if (mb->outgoing)
			q->voters[1].ids[q->voters[1].n++] = mb->id;
	}
}

/*
 * Peers follow the members: those that left go, with what the leader knew
 * of them; those that came start as a new leader's followers do, counted
 * active so that CheckQuorum gives them an election timeout to answer.
 */
static void conf_peers(struct raft *r)
{
	u32 i, n = 0;

	for (i = 0; i < r->n_peers; i++)
		if (conf_find(&r->conf, r->peers[i].id))
			r->peers[n++] = r->peers[i];
	r->n_peers = n;
	for (i = 0; i < r->conf.n_members; i++) {
		u32 id = r->conf.members[i].id;
		struct raft_progress *pr;

		if (id == r->cfg.id || raft_pr_find(r, id))
			continue;
		pr = &r->peers[r->n_peers++];
		memset(pr, 0, sizeof(*pr));
		pr->id = id;
		pr->recent_active = true;
		if (r->role == RAFT_LEADER)
			raft_pr_reset(r, pr);
	}
}

void raft_conf_set(struct raft *r, const struct raft_membership *m)
{
	r->conf = *m;
	r->conf.committed = false;	/* computed when asked */
	conf_quorum(r);
	conf_peers(r);
	r->conf_dirty = true;
	if (r->transfer_to && !raft_conf_is_voter(r, r->transfer_to))
		r->transfer_to = 0;
	r->need_flush = true;
}

/* A configuration takes effect as soon as its entry is in the log. */
void raft_conf_appended(struct raft *r, const struct raft_membership *m,
			u64 index, u64 term)
{
	struct raft_membership c = *m;

	c.index = index;
	c.term = term;
	r->conf_prev = r->conf;
	raft_conf_set(r, &c);
}

/* Entries from @from on are gone: so is a configuration among them. */
void raft_conf_truncated(struct raft *r, u64 from)
{
	if (r->conf.index < from)
		return;
	/* a log that broke the rule above: the boot one is all we know */
	if (r->conf_prev.index >= from)
		raft_conf_boot(&r->cfg, &r->conf_prev);
	raft_conf_set(r, &r->conf_prev);
}

/* The commit index moved on from @old_commit: the newest may be committed. */
void raft_conf_committed(struct raft *r, u64 old_commit)
{
	if (r->conf.index > old_commit && r->conf.index <= r->commit)
		r->conf_dirty = true;
}

/* As leader: append @m as the newest configuration. */
static int conf_append(struct raft *r, const struct raft_membership *m)
{
	u8 buf[RAFT_CONFIG_MAX_LEN];
	int len = raft_config_encode(m, buf, sizeof(buf));
	struct raft_entry e = {
		.term = r->term,
		.type = RAFT_ENTRY_CONFIG,
		.data = buf,
	};

	if (len < 0)
		return len;
	e.len = (u32)len;
	return raft_log_append_new(r, &e);
}

/* The incoming voters and the learners of a joint configuration. */
static void conf_leave(const struct raft_membership *from,
		       struct raft_membership *to)
{
	u32 i;

	memset(to, 0, sizeof(*to));
	for (i = 0; i < from->n_members; i++) {
		struct raft_member mb = from->members[i];

		if (mb.role == RAFT_MEMBER_LEAVING)
			continue;
		mb.outgoing = false;
		to->members[to->n_members++] = mb;
	}
}

/*
 * As leader, once the commit index moved: leave a committed joint
 * configuration (thesis 4.3: C_new follows C_old,new on its own), and
 * say whether we must step down, no voter of a committed one.
 */
bool raft_conf_leader(struct raft *r)
{
	struct raft_membership next;

	if (r->conf.index > r->commit)
		return false;
	if (r->conf.joint) {
		conf_leave(&r->conf, &next);
		if (!conf_append(r, &next))
			r->need_flush = true;
		return false;
	}
	return !raft_conf_is_voter(r, r->cfg.id);
}

static void change_done(struct raft *r, s32 status, u64 index, u64 term)
{
	if (raft_result(r, r->chg.cookie, status, index, term))
		r->chg.active = false;
}

/*
 * The fate of our change: cut (lost), or committed, and for a joint one
 * left too (a later configuration committed: only the leave can come
 * next).
 */
void raft_conf_track(struct raft *r)
{
	struct raft_change_track *c = &r->chg;

	if (!c->active)
		return;
	if (raft_log_entry_lost(r, c->index, c->term)) {
		change_done(r, RAFT_ELOST, 0, 0);
		return;
	}
	if (c->index > r->commit)
		return;
	if (!c->joint)
		change_done(r, RAFT_OK, c->index, c->term);
	else if (r->conf.index > c->index && r->conf.index <= r->commit)
		change_done(r, RAFT_OK, r->conf.index, r->conf.term);
}

void raft_conf_tick(struct raft *r)
{
	if (r->chg.active && (!r->chg.left || !--r->chg.left))
		change_done(r, RAFT_EUNKNOWN, 0, 0);
}

void raft_get_membership(const struct raft *r, struct raft_membership *m)
{
	*m = r->conf;
	m->committed = r->conf.index <= r->commit;
}

/*
 * Whether we may campaign: a voter, or a voter that the newest
 * configuration drops while we do not know it committed. That one may
 * hold the only log with the change (a leader that removed itself and
 * restarted): the voters left need it to lead until the change commits
 * (it counts only their votes, and steps down then), or none is elected.
 *
 * With the join flag only a configuration from the log counts. A leader
 * appends one naming us a voter only once we hold every committed entry
 * (promote) or from an empty log on (add), so we are caught up then;
 * waiting for its commit too could wait forever when the leader that
 * committed it left.
 */
bool raft_conf_can_campaign(const struct raft *r)
{
	u32 id = r->cfg.id;
	bool voter = votes_in(&r->conf, id) ||
		     (r->conf.index > r->commit && votes_in(&r->conf_prev, id));

	/*
	 * A joining node's boot configuration never makes it a voter, not
	 * even as the one before a configuration from the log.
	 */
	if (r->cfg.join && !r->conf.index)
		return false;
	if (r->cfg.join && !votes_in(&r->conf, id) && !r->conf_prev.index)
		return false;
	return voter;
}

/*
 * A sender outside our configuration may still be a leader or candidate
 * of one our log does not hold yet, or a leader that removed itself and
 * hands over: what it asks of us is answered, its answers mean nothing.
 */
bool raft_conf_stranger_ok(const struct raft *r, const struct raft_msg *m)
{
	if (!m->from || m->from == r->cfg.id)
		return false;
	return m->type == RAFT_MSG_APPEND || m->type == RAFT_MSG_HEARTBEAT ||
	       m->type == RAFT_MSG_PREVOTE || m->type == RAFT_MSG_VOTE ||
	       m->type == RAFT_MSG_PROPOSE || m->type == RAFT_MSG_PROPOSE_RESP ||
	       m->type == RAFT_MSG_TIMEOUT_NOW;
}

/* --- membership changes ------------------------------------------------------ */

static bool op_ok(const struct raft_change_op *op)
{
	bool add = op->type == RAFT_CHANGE_ADD_VOTER ||
		   op->type == RAFT_CHANGE_ADD_LEARNER;

	if (!op->id || op->addr.len > RAFT_ADDR_MAX)
		return false;
	if (op->type < RAFT_CHANGE_ADD_VOTER || op->type > RAFT_CHANGE_REMOVE)
		return false;
	return add || !op->addr.len;
}

static int change_shape(const struct raft_change *ch)
{
	u32 i, j;

	if (!ch->n_ops || ch->n_ops > RAFT_MAX_NODES)
		return RAFT_EINVAL;
	for (i = 0; i < ch->n_ops; i++) {
		if (!op_ok(&ch->ops[i]))
			return RAFT_EINVAL;
		for (j = 0; j < i; j++)
			if (ch->ops[j].id == ch->ops[i].id)
				return RAFT_EINVAL;
	}
	return RAFT_OK;
}

static struct raft_member *conf_find_mut(struct raft_membership *m, u32 id)
{
	return (struct raft_member *)conf_find(m, id);
}

static bool addr_used(const struct raft_membership *m,
		      const struct raft_addr *a)
{
	u32 i;

	for (i = 0; i < m->n_members; i++)
		if (addr_eq(&m->members[i].addr, a))
			return true;
	return false;
}

/*
 * Caught up: the learner's log holds every entry the leader knows
 * committed, so as a voter it cannot hold commits back while it catches
 * up the rest.
 */
static bool caught_up(struct raft *r, u32 id)
{
	struct raft_progress *pr = raft_pr_find(r, id);

	return pr && pr->match >= r->commit;
}

/* Apply one op to the next configuration @m (not joint yet). */
static int apply_op(struct raft *r, struct raft_membership *m,
		    const struct raft_change_op *op)
{
	struct raft_member *mb = conf_find_mut(m, op->id);

	switch (op->type) {
	case RAFT_CHANGE_ADD_VOTER:
	case RAFT_CHANGE_ADD_LEARNER:
		if (mb)
			return RAFT_EEXIST;
		if (addr_used(m, &op->addr))
			return RAFT_EADDRINUSE;
		if (m->n_members == RAFT_MAX_NODES)
			return RAFT_EINVAL;
		mb = &m->members[m->n_members++];
		memset(mb, 0, sizeof(*mb));
		mb->id = op->id;
		mb->role = op->type == RAFT_CHANGE_ADD_VOTER ?
			   RAFT_MEMBER_VOTER : RAFT_MEMBER_LEARNER;
		mb->addr = op->addr;
		return RAFT_OK;
	case RAFT_CHANGE_PROMOTE:
		if (!mb)
			return RAFT_ENOENT;
		if (mb->role == RAFT_MEMBER_VOTER)
			return RAFT_EEXIST;
		if (!caught_up(r, op->id))
			return RAFT_ELEARNER;
		mb->role = RAFT_MEMBER_VOTER;
		return RAFT_OK;
	}
	if (!mb)
		return RAFT_ENOENT;
	*mb = m->members[--m->n_members];
	return RAFT_OK;
}

/* Voters that differ between @a and @b: more than one needs joint. */
static u32 voters_changed(const struct raft_membership *a,
			  const struct raft_membership *b)
{
	u32 i, n = 0;

	for (i = 0; i < a->n_members; i++) {
		const struct raft_member *o = conf_find(b, a->members[i].id);

		n += (a->members[i].role == RAFT_MEMBER_VOTER) !=
		     (o && o->role == RAFT_MEMBER_VOTER);
	}
	for (i = 0; i < b->n_members; i++)
		n += b->members[i].role == RAFT_MEMBER_VOTER &&
		     !conf_find(a, b->members[i].id);
	return n;
}

/*
 * Joint: @next's members, the old voters marked outgoing, and the old
 * voters @next dropped kept as leaving ones.
 */
static int make_joint(const struct raft_membership *old,
		      struct raft_membership *next)
{
	u32 i;

	next->joint = true;
	for (i = 0; i < old->n_members; i++) {
		const struct raft_member *o = &old->members[i];
		struct raft_member *mb;

		if (o->role != RAFT_MEMBER_VOTER)
			continue;
		mb = conf_find_mut(next, o->id);
		if (!mb) {
			if (next->n_members == RAFT_MAX_NODES)
				return RAFT_EINVAL;
			mb = &next->members[next->n_members++];
			*mb = *o;
			mb->role = RAFT_MEMBER_LEAVING;
		}
		mb->outgoing = true;
	}
	return RAFT_OK;
}

/* One change at a time, and a new leader first commits in its term. */
static int change_allowed(const struct raft *r)
{
	if (r->role != RAFT_LEADER)
		return RAFT_ENOTLEADER;
	if (r->transfer_to)
		return RAFT_ETRANSFER;
	if (r->chg.active || r->conf.joint || r->conf.index > r->commit ||
	    raft_log_term(r, r->commit) != r->term)
		return RAFT_EPENDING;
	if (r->last - r->commit >= r->cfg.max_uncommitted)
		return RAFT_EBUSY;
	return RAFT_OK;
}

static int next_conf(struct raft *r, const struct raft_change *ch,
		     struct raft_membership *next)
{
	u32 i, voters = 0;
	int err;

	*next = r->conf;
	next->index = 0;
	next->term = 0;
	for (i = 0; i < ch->n_ops; i++) {
		err = apply_op(r, next, &ch->ops[i]);
		if (err)
			return err;
	}
	for (i = 0; i < next->n_members; i++)
		voters += next->members[i].role == RAFT_MEMBER_VOTER;
	if (!voters)
		return RAFT_ENOVOTER;
	if (voters_changed(&r->conf, next) > 1)
		return make_joint(&r->conf, next);
	return RAFT_OK;
}

int raft_propose_change(struct raft *r, u64 cookie,
			const struct raft_change *ch)
{
	struct raft_membership next;
	int err = change_shape(ch);

	if (!err)
		err = change_allowed(r);
	if (!err)
		err = next_conf(r, ch, &next);
	if (!err)
		err = conf_append(r, &next);
	if (err)
		return err;
	r->need_flush = true;
	r->chg.active = true;
	r->chg.joint = next.joint;
	r->chg.cookie = cookie;
	r->chg.index = r->last;
	r->chg.term = r->term;
	r->chg.left = ch->timeout ? ch->timeout :
				    RAFT_PROPOSE_TIMEOUTS * r->cfg.election_ticks;
	return RAFT_OK;
}
