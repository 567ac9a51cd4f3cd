// SPDX-License-Identifier: GPL-2.0
/* The hand-driven cluster of the paper-rule tests; see harness.h. */
#include "harness.h"

#include <inttypes.h>

int t_failed;

static void on_send(void *ctx, struct tnode *n, const struct raft_msg *m)
{
	struct net *net = ctx;

	if (m->type == RAFT_MSG_APPEND && m->to <= NET_MAX)
		net->appends_to[m->to]++;
	if (m->type == RAFT_MSG_APPEND_RESP && !m->append_resp.success &&
	    n->id <= NET_MAX)
		net->rejects_from[n->id]++;
	if (m->to < 1 || m->to > net->n || net->cut[n->id][m->to] ||
	    !net->nd[m->to - 1].r)
		return;
	if (net->qtail == net->qcap) {
		net->qcap = net->qcap ? net->qcap * 2 : 256;
		net->q = realloc(net->q, net->qcap * sizeof(*net->q));
		if (!net->q)
			abort();
	}
	net->q[net->qtail++] = tmsg_clone(m);
}

static void on_result(void *ctx, struct tnode *n,
		      const struct raft_proposal_result *res)
{
	struct net *net = ctx;

	if (net->n_res < 256) {
		net->res_node[net->n_res] = n->id;
		net->res[net->n_res++] = *res;
	}
}

static void on_violation(void *ctx, struct tnode *n, const char *what,
			 const char *detail)
{
	struct net *net = ctx;

	printf("    node %u broke the durability contract: %s: %s\n", n->id,
	       what, detail);
	net->violations++;
	t_failed++;
}

void net_init(struct net *net, u32 n)
{
	u32 ids[NET_MAX], i;

	memset(net, 0, sizeof(*net));
	net->n = n;
	net->hooks = (struct tn_hooks){ .ctx = net, .send = on_send,
					.result = on_result,
					.violation = on_violation };
	for (i = 0; i < n; i++)
		ids[i] = i + 1;
	for (i = 0; i < n; i++) {
		struct raft_config cfg;

		raft_config_default(&cfg, i + 1, ids, n);
		cfg.election_ticks = 10;
		cfg.heartbeat_ticks = 2;
		tn_init(&net->nd[i], &cfg, &net->hooks);
	}
}

void net_start(struct net *net)
{
	u32 i;

	for (i = 0; i < net->n; i++)
		if (tn_start(&net->nd[i], 7919ULL * (i + 1)))
			t_failed++;
}

void net_flush(struct net *net)
{
	while (net->qhead < net->qtail)
		tmsg_free(net->q[net->qhead++]);
	net->qhead = net->qtail = 0;
}

void net_free(struct net *net)
{
	u32 i;

	net_flush(net);
	free(net->q);
	for (i = 0; i < net->n; i++)
		tn_free(&net->nd[i]);
}

struct tnode *N(struct net *net, u32 id)
{
	return &net->nd[id - 1];
}

struct raft *R(struct net *net, u32 id)
{
	return net->nd[id - 1].r;
}

void net_drain(struct net *net, u32 id)
{
	if (N(net, id)->r)
		tn_drain(N(net, id));
}

void net_drain_all(struct net *net)
{
	u32 i;

	for (i = 1; i <= net->n; i++)
		net_drain(net, i);
}

int net_step(struct net *net, const struct raft_msg *m)
{
	int rc;

	if (!R(net, m->to))
		return RAFT_EINVAL;
	rc = raft_step(R(net, m->to), m);
	net_drain(net, m->to);
	return rc;
}

u32 net_settle(struct net *net, u32 max)
{
	u32 k = 0;

	while (net->qhead < net->qtail && k < max) {
		struct tmsg *t = net->q[net->qhead++];

		if (net->qhead == net->qtail)
			net->qhead = net->qtail = 0;
		k++;
		if (!net->cut[t->m.from][t->m.to] &&
		    (!net->filter || net->filter(net, t)))
			net_step(net, &t->m);
		tmsg_free(t);
	}
	return k;
}

static bool matches(const struct tmsg *t, u8 type, u32 from, u32 to)
{
	return (!type || t->m.type == type) && (!from || t->m.from == from) &&
	       (!to || t->m.to == to);
}

struct tmsg *net_take(struct net *net, u8 type, u32 from, u32 to)
{
	u32 i;

	for (i = net->qhead; i < net->qtail; i++) {
		struct tmsg *t = net->q[i];

		if (matches(t, type, from, to)) {
			memmove(&net->q[i], &net->q[i + 1],
				(net->qtail - i - 1) * sizeof(*net->q));
			net->qtail--;
			return t;
		}
	}
	return NULL;
}

u32 net_queued(struct net *net, u8 type, u32 from, u32 to)
{
	u32 i, k = 0;

	for (i = net->qhead; i < net->qtail; i++)
		k += matches(net->q[i], type, from, to);
	return k;
}

void net_tick(struct net *net, u32 id)
{
	if (!R(net, id))
		return;
	raft_tick(R(net, id));
	net_drain(net, id);
}

void net_tick_all(struct net *net)
{
	u32 i;

	for (i = 1; i <= net->n; i++) {
		net_tick(net, i);
		net_settle(net, 10000);
	}
}

bool net_elect(struct net *net, u32 id)
{
	struct raft_status st;
	u32 i;

	for (i = 0; i < 8 * N(net, id)->cfg.election_ticks; i++) {
		net_tick(net, id);
		net_settle(net, 10000);
		net_status(net, id, &st);
		if (st.role == RAFT_LEADER)
			return true;
	}
	return false;
}

void net_isolate(struct net *net, u32 id, bool cut)
{
	u32 i;

	for (i = 1; i <= net->n; i++) {
		if (i == id)
			continue;
		net->cut[id][i] = cut;
		net->cut[i][id] = cut;
	}
}

void net_heal(struct net *net)
{
	memset(net->cut, 0, sizeof(net->cut));
}

void net_status(struct net *net, u32 id, struct raft_status *st)
{
	memset(st, 0, sizeof(*st));
	if (R(net, id))
		raft_get_status(R(net, id), st);
}

u32 net_agreed_leader(struct net *net)
{
	struct raft_status st;
	u32 leader = 0, i;
	u64 term = 0;

	for (i = 1; i <= net->n; i++) {
		if (!R(net, i))
			continue;
		net_status(net, i, &st);
		if (!st.leader || (leader && (leader != st.leader ||
					      term != st.term)))
			return 0;
		leader = st.leader;
		term = st.term;
	}
	if (!leader || !R(net, leader))
		return 0;
	net_status(net, leader, &st);
	return st.role == RAFT_LEADER ? leader : 0;
}

bool net_same_log(struct net *net, u32 a, u32 b)
{
	struct raft_status sa, sb;
	u64 i;

	net_status(net, a, &sa);
	net_status(net, b, &sb);
	if (sa.last_index != sb.last_index)
		return false;
	for (i = 1; i <= sa.last_index; i++) {
		struct raft_entry ex, ey, *x = &ex, *y = &ey;

		if (!tn_entry(N(net, a), i, x) || !tn_entry(N(net, b), i, y) ||
		    x->term != y->term || x->type != y->type ||
		    x->len != y->len || (x->len && memcmp(x->data, y->data,
							  x->len)))
			return false;
	}
	return true;
}

void net_disk_log(struct net *net, u32 id, const u64 *terms, u32 n)
{
	char buf[32];
	u32 i;

	for (i = 0; i < n; i++) {
		int len = snprintf(buf, sizeof(buf), "%u:%" PRIu64, i + 1,
				   terms[i]);

		tn_disk_append(N(net, id), terms[i], RAFT_ENTRY_NORMAL, buf,
			       (u32)len);
	}
}

struct raft_msg msg(u8 type, u32 from, u32 to, u64 term)
{
	struct raft_msg m;

	memset(&m, 0, sizeof(m));
	m.type = type;
	m.from = from;
	m.to = to;
	m.term = term;
	return m;
}
