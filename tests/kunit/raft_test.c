// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suites for the Raft core (kmod/raft/raft.c) as the kernel builds
 * it: what the trace corpus (tests/trace/testdata/, the suite
 * raftlog_trace) does not check, such as tables of cases, error paths,
 * forwarding and byte-level encoding, each driven either through one
 * node by hand-made messages ("solo"), or through a small cluster whose
 * messages travel encoded by the wire codec, as they would between hosts.
 *
 * The cluster harness checks on every step what must always hold: at most
 * one leader per term, every message the core sends is encodable, and the
 * messages that promise durable state (VOTE, VOTE_RESP, APPEND_RESP) wait
 * for the caller's persist step.
 */
#include <kunit/test.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "raft/raft.h"
#include "raft/wire.h"
#include "wire_samples.h"

#define CL_MAX		5
#define CL_CLUSTER	0x7e57c1u
#define CL_TERMS	256
#define OUT_MSGS	64
#define OUT_RES		64
/* the writer of the entries restore_log() makes */
#define LOG_SESSION	0x106e5510ULL

/* --- solo: one core, messages in by hand, outputs collected ------------ */

struct out {
	u32 n;
	struct raft_msg m[OUT_MSGS];	/* entries pointers cleared */
	bool hs;
	u64 term;
	u32 vote;
	u64 entries_first;
	u32 n_entries;
	u64 commit;
	u32 n_res;		/* results seen; the first OUT_RES kept */
	struct raft_proposal_result res[OUT_RES];
};

/* Everything a test made, freed in the suite's exit hook. */
struct ctx {
	struct raft *solo[4];
	u32 n_solo;
	struct cl *cl[2];
	u32 n_cl;
};

static struct ctx *ctx(struct kunit *test)
{
	return test->priv;
}

static int raft_test_init(struct kunit *test)
{
	ws_init();
	test->priv = kunit_kzalloc(test, sizeof(struct ctx), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static const u32 ids5[CL_MAX] = { 1, 2, 3, 4, 5 };

static struct raft *solo_cfg(struct kunit *test, const struct raft_config *cfg)
{
	struct raft *r = raft_create(cfg);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, r);
	KUNIT_ASSERT_LT(test, ctx(test)->n_solo, 4U);
	ctx(test)->solo[ctx(test)->n_solo++] = r;
	return r;
}

/* Node @id of a cluster 1..@n, default config. */
static struct raft *solo(struct kunit *test, u32 id, u32 n)
{
	struct raft_config cfg;

	raft_config_default(&cfg, id, ids5, n);
	return solo_cfg(test, &cfg);
}

/* Runs ready/advance until the core is quiet; collects what it asked. */
static struct out *drain(struct kunit *test, struct raft *r)
{
	struct out *o = kunit_kzalloc(test, sizeof(*o), GFP_KERNEL);
	struct raft_ready rd;
	u32 i, rounds = 0;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, o);
	while (raft_has_ready(r) && rounds++ < 16) {
		raft_ready(r, &rd);
		if (rd.hardstate_changed) {
			o->hs = true;
			o->term = rd.term;
			o->vote = rd.vote;
		}
		if (rd.n_entries && !o->n_entries)
			o->entries_first = rd.entries_first;
		o->n_entries += rd.n_entries;
		for (i = 0; i < rd.n_msgs && o->n < OUT_MSGS; i++) {
			o->m[o->n] = rd.msgs[i];
			if (o->m[o->n].type == RAFT_MSG_APPEND)
				o->m[o->n].append.entries = NULL;
			o->n++;
		}
		for (i = 0; i < rd.n_results; i++, o->n_res++)
			if (o->n_res < OUT_RES)
				o->res[o->n_res] = rd.results[i];
		o->commit = rd.commit_index;
		raft_advance(r, &rd);
	}
	KUNIT_EXPECT_FALSE(test, raft_has_ready(r));
	return o;
}

/* The last message of @type (to @to, or to anyone if 0), or NULL. */
static const struct raft_msg *find(const struct out *o, u8 type, u32 to)
{
	const struct raft_msg *m = NULL;
	u32 i;

	for (i = 0; i < o->n; i++)
		if (o->m[i].type == type && (!to || o->m[i].to == to))
			m = &o->m[i];
	return m;
}

static u32 count(const struct out *o, u8 type)
{
	u32 i, n = 0;

	for (i = 0; i < o->n; i++)
		n += o->m[i].type == type;
	return n;
}

/* How many of the first @n results of @res carry @cookie. */
static u32 results_for(const struct raft_proposal_result *res, u32 n,
		       u64 cookie)
{
	u32 i, k = 0;

	for (i = 0; i < min_t(u32, n, OUT_RES); i++)
		k += res[i].cookie == cookie;
	return k;
}

/* The result carrying @cookie among the first @n of @res, or NULL. */
static const struct raft_proposal_result *
result_for(const struct raft_proposal_result *res, u32 n, u64 cookie)
{
	u32 i;

	for (i = 0; i < min_t(u32, n, OUT_RES); i++)
		if (res[i].cookie == cookie)
			return &res[i];
	return NULL;
}

/* How many entries of @r's log carry (@session, @seq). */
static u32 copies(struct raft *r, u64 session, u64 seq)
{
	struct raft_status st;
	u32 n = 0;
	u64 i;

	raft_get_status(r, &st);
	for (i = st.mem_first; i <= st.last_index; i++) {
		const struct raft_entry *e = raft_entry_at(r, i);

		n += e && e->session == session && e->seq == seq;
	}
	return n;
}

/* raft_entry_at() that fails the test instead of oopsing on NULL. */
static const struct raft_entry *entry(struct kunit *test, struct raft *r,
				      u64 index)
{
	const struct raft_entry *e = raft_entry_at(r, index);

	KUNIT_ASSERT_NOT_NULL_MSG(test, e, "no log record at %llu", index);
	return e;
}

static struct raft_status *status(struct kunit *test, struct raft *r)
{
	struct raft_status *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, st);
	raft_get_status(r, st);
	return st;
}

static int step_vote(struct raft *r, u8 type, u32 from, u64 term,
		     u64 last_index, u64 last_term)
{
	struct raft_msg m = {
		.type = type, .from = from, .term = term, .vote = { last_index, last_term },
	};
	struct raft_status st;

	raft_get_status(r, &st);
	m.to = st.id;
	return raft_step(r, &m);
}

static int step_simple(struct raft *r, u8 type, u32 from, u64 term)
{
	struct raft_msg m = { .type = type, .from = from, .term = term };
	struct raft_status st;

	raft_get_status(r, &st);
	m.to = st.id;
	return raft_step(r, &m);
}

static int step_vote_resp(struct raft *r, u8 type, u32 from, u64 term,
			  bool granted)
{
	struct raft_msg m = { .type = type, .from = from, .term = term,
			      .vote_resp.granted = granted };
	struct raft_status st;

	raft_get_status(r, &st);
	m.to = st.id;
	return raft_step(r, &m);
}

static int step_append(struct raft *r, u32 from, u64 term, u64 prev_index,
		       u64 prev_term, u64 commit,
		       const struct raft_entry *ents, u32 n)
{
	struct raft_msg m = {
		.type = RAFT_MSG_APPEND, .from = from, .term = term,
		.append = { .prev_index = prev_index, .prev_term = prev_term,
			    .commit = commit, .n_entries = n, .entries = ents },
	};
	struct raft_status st;

	raft_get_status(r, &st);
	m.to = st.id;
	return raft_step(r, &m);
}

static int step_append_resp(struct raft *r, u32 from, u64 term, bool ok,
			    u64 index)
{
	struct raft_msg m = {
		.type = RAFT_MSG_APPEND_RESP, .from = from, .term = term,
		.append_resp = { .success = ok, .index = index },
	};
	struct raft_status st;

	raft_get_status(r, &st);
	m.to = st.id;
	return raft_step(r, &m);
}

/*
 * Restores a log whose entry i has term @terms[i], data "e<i>" and
 * (session, seq) (LOG_SESSION, i).
 */
static void restore_log(struct kunit *test, struct raft *r, u64 term,
			const u64 *terms, u32 n)
{
	char data[8];
	u32 i;

	raft_restore_hardstate(r, term, 0);
	for (i = 0; i < n; i++) {
		struct raft_entry e = {
			.term = terms[i], .type = RAFT_ENTRY_NORMAL,
			.session = LOG_SESSION, .seq = i + 1,
			.data = (const u8 *)data,
		};

		e.len = scnprintf(data, sizeof(data), "e%u", i + 1);
		KUNIT_ASSERT_EQ(test, raft_restore_entry(r, &e), RAFT_OK);
	}
}

/*
 * Makes solo node 1 of 3 leader: wait for its pre-vote, grant it from
 * node 2, then grant the real vote. Returns the new term.
 */
static u64 make_leader(struct kunit *test, struct raft *r)
{
	struct raft_status *st = status(test, r);
	u64 term = st->term;
	struct out *o;
	u32 t;

	for (t = 0; t < 100 && st->role == RAFT_FOLLOWER; t++) {
		raft_tick(r);
		raft_get_status(r, st);
	}
	drain(test, r);
	KUNIT_ASSERT_EQ(test, st->role, RAFT_PRECANDIDATE);
	KUNIT_ASSERT_EQ(test, st->term, term);
	step_vote_resp(r, RAFT_MSG_PREVOTE_RESP, 2, term + 1, true);
	raft_get_status(r, st);
	KUNIT_ASSERT_EQ(test, st->role, RAFT_CANDIDATE);
	KUNIT_ASSERT_EQ(test, st->term, term + 1);
	o = drain(test, r);
	KUNIT_EXPECT_TRUE(test, o->hs);
	KUNIT_EXPECT_EQ(test, o->vote, st->id);
	step_vote_resp(r, RAFT_MSG_VOTE_RESP, 2, term + 1, true);
	raft_get_status(r, st);
	KUNIT_ASSERT_EQ(test, st->role, RAFT_LEADER);
	drain(test, r);
	return term + 1;
}

/* --- cluster: several cores, messages through the wire codec ----------- */

struct pkt {
	struct list_head link;
	u32 to;			/* node index */
	size_t len;
	u8 buf[];
};

struct cl {
	struct kunit *test;
	u32 n;
	struct raft *r[CL_MAX];
	bool cut[CL_MAX][CL_MAX];	/* [from][to], node indexes */
	struct list_head q;
	struct raft_entry *ents;
	u32 leader_of[CL_TERMS];	/* leader id seen in each term */
	u32 n_res[CL_MAX];		/* results seen; OUT_RES kept */
	struct raft_proposal_result res[CL_MAX][OUT_RES];
};

static struct cl *cl_new_cfg(struct kunit *test, u32 n, bool pre_vote,
			     bool check_quorum)
{
	struct cl *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	struct raft_config cfg;
	u32 i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c);
	c->ents = kunit_kcalloc(test, RAFT_MAX_BATCH, sizeof(*c->ents),
				GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->ents);
	c->test = test;
	c->n = n;
	INIT_LIST_HEAD(&c->q);
	KUNIT_ASSERT_LT(test, ctx(test)->n_cl, 2U);
	ctx(test)->cl[ctx(test)->n_cl++] = c;
	for (i = 0; i < n; i++) {
		raft_config_default(&cfg, ids5[i], ids5, n);
		cfg.pre_vote = pre_vote;
		cfg.check_quorum = check_quorum;
		cfg.seed = 7919 * (i + 1);
		c->r[i] = raft_create(&cfg);
		KUNIT_ASSERT_NOT_ERR_OR_NULL(test, c->r[i]);
	}
	return c;
}

static struct cl *cl_new(struct kunit *test, u32 n)
{
	return cl_new_cfg(test, n, true, true);
}

static void cl_free(struct cl *c)
{
	struct pkt *p, *tmp;
	u32 i;

	list_for_each_entry_safe(p, tmp, &c->q, link) {
		list_del(&p->link);
		kfree(p);
	}
	for (i = 0; i < c->n; i++)
		raft_destroy(c->r[i]);
}

static void raft_test_exit(struct kunit *test)
{
	struct ctx *x = ctx(test);
	u32 i;

	for (i = 0; i < x->n_solo; i++)
		raft_destroy(x->solo[i]);
	for (i = 0; i < x->n_cl; i++)
		cl_free(x->cl[i]);
}

static void cl_isolate(struct cl *c, u32 i, bool cut)
{
	u32 j;

	for (j = 0; j < c->n; j++) {
		if (j == i)
			continue;
		c->cut[i][j] = cut;
		c->cut[j][i] = cut;
	}
}

static void cl_heal(struct cl *c)
{
	memset(c->cut, 0, sizeof(c->cut));
}

static bool must_wait_for_persist(u8 type)
{
	return type == RAFT_MSG_VOTE || type == RAFT_MSG_VOTE_RESP ||
	       type == RAFT_MSG_APPEND_RESP;
}

static void cl_send(struct cl *c, u32 from, const struct raft_msg *m)
{
	struct kunit *test = c->test;
	size_t size = raft_wire_size(m);
	struct pkt *p;
	int n;

	KUNIT_EXPECT_TRUE_MSG(test, m->after_persist ||
			      !must_wait_for_persist(m->type),
			      "type %u sent before persisting", m->type);
	KUNIT_ASSERT_GE(test, m->to, 1U);
	KUNIT_ASSERT_LE(test, m->to, c->n);
	p = kmalloc(sizeof(*p) + size, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, p);
	n = raft_wire_encode(m, CL_CLUSTER, p->buf, size);
	if (n != (int)size) {
		kfree(p);
		KUNIT_FAIL(test, "node %u sent unencodable type %u: %d",
			   from + 1, m->type, n);
		return;
	}
	if (c->cut[from][m->to - 1]) {
		kfree(p);
		return;
	}
	p->to = m->to - 1;
	p->len = size;
	list_add_tail(&p->link, &c->q);
}

/* Elections safety: at most one leader per term, ever. */
static void cl_check_leader(struct cl *c, u32 i)
{
	struct raft_status st;

	raft_get_status(c->r[i], &st);
	if (st.role != RAFT_LEADER || st.term >= CL_TERMS)
		return;
	if (!c->leader_of[st.term])
		c->leader_of[st.term] = st.id;
	KUNIT_EXPECT_EQ_MSG(c->test, c->leader_of[st.term], st.id,
			    "two leaders in term %llu", st.term);
}

static void cl_ready(struct cl *c, u32 i)
{
	struct raft *r = c->r[i];
	struct raft_ready rd;
	u32 k, rounds = 0;

	while (raft_has_ready(r) && rounds++ < 64) {
		raft_ready(r, &rd);
		for (k = 0; k < rd.n_msgs; k++)
			cl_send(c, i, &rd.msgs[k]);
		for (k = 0; k < rd.n_results; k++, c->n_res[i]++)
			if (c->n_res[i] < OUT_RES)
				c->res[i][c->n_res[i]] = rd.results[k];
		raft_advance(r, &rd);
		cl_check_leader(c, i);
	}
	KUNIT_EXPECT_FALSE(c->test, raft_has_ready(r));
}

static void cl_deliver(struct cl *c)
{
	struct pkt *p, *tmp;
	struct raft_msg m;
	LIST_HEAD(batch);

	list_splice_init(&c->q, &batch);
	list_for_each_entry_safe(p, tmp, &batch, link) {
		int err = raft_wire_decode(p->buf, p->len, CL_CLUSTER,
					   RAFT_ENTRY_SIZE_LIMIT, &m, c->ents,
					   RAFT_MAX_BATCH);

		KUNIT_EXPECT_EQ(c->test, err, RAFT_WIRE_OK);
		if (!err)
			raft_step(c->r[p->to], &m);
		list_del(&p->link);
		kfree(p);
	}
}

static void cl_pump(struct cl *c)
{
	u32 i, rounds;

	for (rounds = 0; rounds < 1000; rounds++) {
		for (i = 0; i < c->n; i++)
			cl_ready(c, i);
		if (list_empty(&c->q))
			return;
		cl_deliver(c);
	}
	KUNIT_FAIL(c->test, "cluster never went quiet");
}

static void cl_tick(struct cl *c, u32 i, u32 ticks)
{
	while (ticks--) {
		raft_tick(c->r[i]);
		cl_pump(c);
	}
}

static void cl_tick_all(struct cl *c, u32 ticks)
{
	u32 i;

	while (ticks--) {
		for (i = 0; i < c->n; i++)
			raft_tick(c->r[i]);
		cl_pump(c);
	}
}

static struct raft_status *cl_status(struct cl *c, u32 i)
{
	return status(c->test, c->r[i]);
}

/* Ticks node @i alone until it leads; then lets the cluster settle. */
static u64 cl_elect(struct cl *c, u32 i)
{
	struct raft_status *st = cl_status(c, i);
	u32 t;

	for (t = 0; t < 200 && st->role != RAFT_LEADER; t++) {
		cl_tick(c, i, 1);
		raft_get_status(c->r[i], st);
	}
	KUNIT_ASSERT_EQ(c->test, st->role, RAFT_LEADER);
	/* a heartbeat round spreads the commit of the leader's no-op */
	cl_tick(c, i, 5);
	cl_tick(c, i, 5);
	return st->term;
}

/* Index of the leader of the highest term, or -1. */
static int cl_leader(struct cl *c)
{
	struct raft_status st;
	u64 best = 0;
	int who = -1;
	u32 i;

	for (i = 0; i < c->n; i++) {
		raft_get_status(c->r[i], &st);
		if (st.role == RAFT_LEADER && st.term >= best) {
			best = st.term;
			who = i;
		}
	}
	return who;
}

/* Committed prefixes agree entry by entry, on every pair of nodes. */
static void cl_expect_logs_match(struct cl *c)
{
	u64 ci, cj, k;
	u32 i, j;

	for (i = 0; i < c->n; i++) {
		ci = raft_commit_index(c->r[i]);
		for (j = i + 1; j < c->n; j++) {
			cj = raft_commit_index(c->r[j]);
			for (k = 1; k <= min(ci, cj); k++) {
				const struct raft_entry *a =
					raft_entry_at(c->r[i], k);
				const struct raft_entry *b =
					raft_entry_at(c->r[j], k);

				KUNIT_ASSERT_NOT_NULL(c->test, a);
				KUNIT_ASSERT_NOT_NULL(c->test, b);
				KUNIT_EXPECT_EQ(c->test, a->term, b->term);
				KUNIT_EXPECT_EQ(c->test, a->type, b->type);
				KUNIT_ASSERT_EQ(c->test, a->len, b->len);
				if (a->len)
					KUNIT_EXPECT_EQ(c->test,
							memcmp(a->data, b->data,
							       a->len), 0);
			}
		}
	}
}

/* --- configuration ------------------------------------------------------ */

static void core_config_default_valid(struct kunit *test)
{
	struct raft_config cfg;
	const char *why = "unset";
	u32 n;

	for (n = 1; n <= CL_MAX; n++) {
		raft_config_default(&cfg, n, ids5, n);
		KUNIT_EXPECT_EQ(test, raft_config_check(&cfg, &why), RAFT_OK);
		KUNIT_EXPECT_NULL(test, why);
		KUNIT_EXPECT_TRUE(test, cfg.heartbeat_ticks <
					cfg.election_ticks);
	}
	raft_destroy(raft_create(&cfg));
}

struct cfg_case {
	const char *name;
	void (*mutate)(struct raft_config *cfg);
};

static void no_nodes(struct raft_config *c)
{
	c->n_nodes = 0;
}

static void ten_nodes(struct raft_config *c)
{
	c->n_nodes = RAFT_MAX_NODES + 1;
}

static void node_zero(struct raft_config *c)
{
	c->nodes[1] = 0;
}

static void node_dup(struct raft_config *c)
{
	c->nodes[2] = c->nodes[0];
}

static void self_absent(struct raft_config *c)
{
	c->id = 9;
}

static void self_zero(struct raft_config *c)
{
	c->id = 0;
}

static void election_1(struct raft_config *c)
{
	c->election_ticks = 1;
}

static void hb_zero(struct raft_config *c)
{
	c->heartbeat_ticks = 0;
}

static void hb_eq_el(struct raft_config *c)
{
	c->heartbeat_ticks = c->election_ticks;
}

static void msg_bytes_0(struct raft_config *c)
{
	c->max_msg_bytes = 0;
}

static void inflight_0(struct raft_config *c)
{
	c->max_inflight = 0;
}

static void inflight_big(struct raft_config *c)
{
	c->max_inflight = 100000;
}

static void entry_0(struct raft_config *c)
{
	c->max_entry_size = 0;
}

static void entry_big(struct raft_config *c)
{
	c->max_entry_size = RAFT_ENTRY_SIZE_LIMIT + 1;
}

static void uncommitted_0(struct raft_config *c)
{
	c->max_uncommitted = 0;
}

static const struct cfg_case cfg_cases[] = {
	{ "no_nodes", no_nodes },
	{ "too_many_nodes", ten_nodes },
	{ "node_id_zero", node_zero },
	{ "duplicate_node", node_dup },
	{ "self_not_a_node", self_absent },
	{ "self_zero", self_zero },
	{ "election_ticks_1", election_1 },
	{ "heartbeat_zero", hb_zero },
	{ "heartbeat_not_shorter", hb_eq_el },
	{ "max_msg_bytes_zero", msg_bytes_0 },
	{ "max_inflight_zero", inflight_0 },
	{ "max_inflight_huge", inflight_big },
	{ "max_entry_size_zero", entry_0 },
	{ "max_entry_size_over_limit", entry_big },
	{ "max_uncommitted_zero", uncommitted_0 },
};

static void cfg_desc(const struct cfg_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(cfg, cfg_cases, cfg_desc);

static void core_config_rejects(struct kunit *test)
{
	const struct cfg_case *cc = test->param_value;
	struct raft_config cfg;
	const char *why = NULL;

	raft_config_default(&cfg, 1, ids5, 3);
	cc->mutate(&cfg);
	KUNIT_EXPECT_EQ(test, raft_config_check(&cfg, &why), RAFT_EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, why);
	KUNIT_EXPECT_NULL(test, raft_create(&cfg));
}

static void core_role_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, raft_role_name(RAFT_FOLLOWER), "follower");
	KUNIT_EXPECT_STREQ(test, raft_role_name(RAFT_PRECANDIDATE),
			   "precandidate");
	KUNIT_EXPECT_STREQ(test, raft_role_name(RAFT_CANDIDATE), "candidate");
	KUNIT_EXPECT_STREQ(test, raft_role_name(RAFT_LEADER), "leader");
	KUNIT_EXPECT_STREQ(test, raft_role_name((enum raft_role)99),
			   "unknown");
}

/* --- elections ------------------------------------------------------------ */

static void core_single_node_commits(struct kunit *test)
{
	struct cl *c = cl_new(test, 1);
	const struct raft_entry *e;
	struct raft_status *st;

	cl_elect(c, 0);
	st = cl_status(c, 0);
	KUNIT_EXPECT_EQ(test, st->term, 1ULL);
	KUNIT_EXPECT_EQ(test, st->leader, 1U);
	KUNIT_ASSERT_EQ(test, raft_propose(c->r[0], 5, "x", 1), RAFT_OK);
	cl_pump(c);
	KUNIT_ASSERT_EQ(test, c->n_res[0], 1U);
	KUNIT_EXPECT_EQ(test, c->res[0][0].cookie, 5ULL);
	KUNIT_EXPECT_EQ(test, c->res[0][0].status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, c->res[0][0].index, 2ULL);
	KUNIT_EXPECT_EQ(test, raft_commit_index(c->r[0]), 2ULL);
	e = raft_entry_at(c->r[0], 2);
	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, e->len, 1U);
	KUNIT_EXPECT_EQ(test, e->data[0], 'x');
	KUNIT_EXPECT_EQ(test, raft_proposal_state(c->r[0], 2, 1),
			RAFT_PROPOSAL_COMMITTED);
}

/* Every node ticking, none helped: some leader emerges, the same each run. */
static void core_election_deterministic(struct kunit *test)
{
	struct cl *a = cl_new(test, 5), *b = cl_new(test, 5);
	int la, lb;

	cl_tick_all(a, 200);
	cl_tick_all(b, 200);
	la = cl_leader(a);
	lb = cl_leader(b);
	KUNIT_ASSERT_GE(test, la, 0);
	KUNIT_EXPECT_EQ(test, la, lb);
	KUNIT_EXPECT_EQ(test, cl_status(a, la)->term, cl_status(b, lb)->term);
}

struct uptodate_case {
	const char *name;
	u64 last_index;
	u64 last_term;
	bool granted;
};

/* The voter's log holds terms [1, 1, 2]: last index 3, last term 2. */
static const struct uptodate_case uptodate_cases[] = {
	{ "older_term_longer_log", 10, 1, false },
	{ "same_term_shorter_log", 2, 2, false },
	{ "empty_log", 0, 0, false },
	{ "same_term_same_length", 3, 2, true },
	{ "same_term_longer_log", 4, 2, true },
	{ "newer_term_shorter_log", 1, 3, true },
};

static void uptodate_desc(const struct uptodate_case *u, char *desc)
{
	strscpy(desc, u->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(uptodate, uptodate_cases, uptodate_desc);

static void core_vote_up_to_date_check(struct kunit *test)
{
	static const u64 terms[] = { 1, 1, 2 };
	const struct uptodate_case *u = test->param_value;
	struct raft *r = solo(test, 1, 3);
	const struct raft_msg *m;
	struct out *o;

	restore_log(test, r, 2, terms, ARRAY_SIZE(terms));
	step_vote(r, RAFT_MSG_VOTE, 2, 3, u->last_index, u->last_term);
	o = drain(test, r);
	m = find(o, RAFT_MSG_VOTE_RESP, 2);
	if (u->granted) {
		KUNIT_ASSERT_NOT_NULL(test, m);
		KUNIT_EXPECT_TRUE(test, m->vote_resp.granted);
		KUNIT_EXPECT_EQ(test, status(test, r)->voted_for, 2U);
	} else {
		if (m)
			KUNIT_EXPECT_FALSE(test, m->vote_resp.granted);
		KUNIT_EXPECT_EQ(test, status(test, r)->voted_for, 0U);
	}
	/* either way the higher term is adopted */
	KUNIT_EXPECT_EQ(test, status(test, r)->term, 3ULL);
}

/* The answer to a pre-vote changes nothing on the voter (9.6). */
static void core_prevote_leaves_voter_alone(struct kunit *test)
{
	struct raft *r = solo(test, 1, 3);
	const struct raft_msg *m;
	struct raft_status *st;
	struct out *o;

	step_vote(r, RAFT_MSG_PREVOTE, 2, 5, 0, 0);
	o = drain(test, r);
	m = find(o, RAFT_MSG_PREVOTE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_TRUE(test, m->vote_resp.granted);
	KUNIT_EXPECT_EQ(test, m->term, 5ULL);
	KUNIT_EXPECT_FALSE(test, o->hs);
	st = status(test, r);
	KUNIT_EXPECT_EQ(test, st->term, 0ULL);
	KUNIT_EXPECT_EQ(test, st->voted_for, 0U);
}

/* A pre-candidate asks at term + 1 but stays at its term until it wins. */
static void core_prevote_candidate_keeps_term(struct kunit *test)
{
	struct raft *r = solo(test, 1, 3);
	const struct raft_msg *m;
	struct raft_status *st;
	struct out *o;
	u32 t;

	st = status(test, r);
	for (t = 0; t < 100 && st->role == RAFT_FOLLOWER; t++) {
		raft_tick(r);
		raft_get_status(r, st);
	}
	KUNIT_ASSERT_EQ(test, st->role, RAFT_PRECANDIDATE);
	o = drain(test, r);
	KUNIT_EXPECT_EQ(test, st->term, 0ULL);
	KUNIT_EXPECT_FALSE(test, o->hs);
	KUNIT_EXPECT_EQ(test, count(o, RAFT_MSG_PREVOTE), 2U);
	m = find(o, RAFT_MSG_PREVOTE, 2);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->term, 1ULL);
	KUNIT_EXPECT_FALSE(test, m->after_persist);

	step_vote_resp(r, RAFT_MSG_PREVOTE_RESP, 2, 1, true);
	o = drain(test, r);
	st = status(test, r);
	KUNIT_EXPECT_EQ(test, st->role, RAFT_CANDIDATE);
	KUNIT_EXPECT_EQ(test, st->term, 1ULL);
	m = find(o, RAFT_MSG_VOTE, 3);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_TRUE(test, m->after_persist);
	KUNIT_EXPECT_TRUE(test, o->hs);
}

/* Control: without CheckQuorum the cut-off leader carries on. */
static void core_no_check_quorum_stays_leader(struct kunit *test)
{
	struct cl *c = cl_new_cfg(test, 3, true, false);
	struct raft_config cfg;

	raft_config_default(&cfg, 1, ids5, 3);
	cl_elect(c, 0);
	cl_isolate(c, 0, true);
	cl_tick(c, 0, 2 * cfg.election_ticks + 1);
	KUNIT_EXPECT_EQ(test, cl_status(c, 0)->role, RAFT_LEADER);
}

/* --- the log ---------------------------------------------------------------- */

static void core_heartbeat_commit_capped(struct kunit *test)
{
	static const u64 terms[] = { 1 };
	struct raft *r = solo(test, 2, 3);
	struct raft_msg m = { .type = RAFT_MSG_HEARTBEAT, .from = 1, .to = 2,
			      .term = 1, .heartbeat.commit = 9 };

	restore_log(test, r, 1, terms, 1);
	raft_step(r, &m);
	KUNIT_EXPECT_EQ(test, raft_commit_index(r), 1ULL);
}

/* A heartbeat never tells a follower to commit what it may not hold. */
static void core_heartbeat_commit_bounded_by_match(struct kunit *test)
{
	struct raft *r = solo(test, 1, 3);
	struct raft_config cfg;
	const struct raft_msg *m;
	struct out *o;
	u64 term = make_leader(test, r);
	u32 t;

	raft_config_default(&cfg, 1, ids5, 3);
	step_append_resp(r, 2, term, true, 1);
	drain(test, r);
	KUNIT_ASSERT_EQ(test, raft_commit_index(r), 1ULL);
	for (t = 0; t < cfg.heartbeat_ticks; t++)
		raft_tick(r);
	o = drain(test, r);
	m = find(o, RAFT_MSG_HEARTBEAT, 2);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->heartbeat.commit, 1ULL);
	m = find(o, RAFT_MSG_HEARTBEAT, 3);
	KUNIT_ASSERT_NOT_NULL(test, m);
	KUNIT_EXPECT_EQ(test, m->heartbeat.commit, 0ULL);
}

static void core_restore_is_durable_copy(struct kunit *test)
{
	struct raft *r = solo(test, 1, 3);
	char buf[4] = "abc";
	struct raft_entry e = { .term = 1, .session = 0x5e, .seq = 1, .len = 3,
				.data = (const u8 *)buf };
	struct raft_status *st;

	raft_restore_hardstate(r, 4, 2);
	KUNIT_ASSERT_EQ(test, raft_restore_entry(r, &e), RAFT_OK);
	buf[0] = 'X';
	st = status(test, r);
	KUNIT_EXPECT_EQ(test, st->term, 4ULL);
	KUNIT_EXPECT_EQ(test, st->voted_for, 2U);
	KUNIT_EXPECT_EQ(test, st->last_index, 1ULL);
	KUNIT_EXPECT_EQ(test, st->stable_index, 1ULL);
	KUNIT_EXPECT_EQ(test, st->last_term, 1ULL);
	KUNIT_EXPECT_EQ(test, entry(test, r, 1)->data[0], 'a');
	KUNIT_EXPECT_EQ(test, entry(test, r, 1)->session, 0x5eULL);
	KUNIT_EXPECT_EQ(test, entry(test, r, 1)->seq, 1ULL);
	KUNIT_EXPECT_NULL(test, raft_entry_at(r, 0));
	KUNIT_EXPECT_NULL(test, raft_entry_at(r, 2));
	KUNIT_EXPECT_FALSE(test, raft_has_ready(r));
}

/*
 * Messages that make no sense here are refused and counted. A node outside
 * the configuration may be a leader our log does not know yet: its
 * requests are answered, but an answer from it means nothing.
 */
static void core_ignores_nonsense(struct kunit *test)
{
	struct raft *r = solo(test, 1, 3);
	struct raft_msg m = { .type = RAFT_MSG_HEARTBEAT, .from = 2, .to = 1,
			      .term = 1 };
	struct raft_msg bad;

	bad = m;
	bad.to = 3;
	KUNIT_EXPECT_EQ(test, raft_step(r, &bad), RAFT_EINVAL);
	bad = m;
	bad.from = 7;
	bad.type = RAFT_MSG_HEARTBEAT_RESP;
	KUNIT_EXPECT_EQ(test, raft_step(r, &bad), RAFT_EINVAL);
	bad = m;
	bad.from = 1;
	KUNIT_EXPECT_EQ(test, raft_step(r, &bad), RAFT_EINVAL);
	bad = m;
	bad.term = 0;
	KUNIT_EXPECT_EQ(test, raft_step(r, &bad), RAFT_EINVAL);
	bad = m;
	bad.type = RAFT_MSG_TIMEOUT_NOW + 1;
	KUNIT_EXPECT_EQ(test, raft_step(r, &bad), RAFT_EINVAL);
	KUNIT_EXPECT_EQ(test, status(test, r)->stats.msgs_ignored, 5ULL);
	KUNIT_EXPECT_EQ(test, status(test, r)->term, 0ULL);
}

/* --- proposals ------------------------------------------------------------- */

/* One write of @session for raft_propose_in(), the default timeout. */
static struct raft_proposal proposal(u64 cookie, u64 session, u64 seq,
				     const char *data)
{
	struct raft_proposal p = {
		.cookie = cookie, .session = session, .seq = seq,
		.first_try = true, .data = data, .len = strlen(data),
	};

	return p;
}

/* A PROPOSE_RESP from node @from, as a leader would answer. */
static int step_propose_resp(struct raft *r, u32 from, u64 term,
			     u64 session, u64 seq, s32 status, u64 index,
			     u64 at_term)
{
	struct raft_msg m = {
		.type = RAFT_MSG_PROPOSE_RESP, .from = from, .term = term,
		.propose_resp = { .session = session, .seq = seq,
				  .index = index, .term = at_term,
				  .status = status },
	};
	struct raft_status st;

	raft_get_status(r, &st);
	m.to = st.id;
	return raft_step(r, &m);
}

/* Refused at once, nothing taken: no result ever follows. */
static void core_propose_errors(struct kunit *test)
{
	struct raft_proposal p = proposal(1, 0x5e, 1, "x");
	struct raft_config cfg;
	struct raft *r;
	u32 t;

	raft_config_default(&cfg, 2, ids5, 3);
	cfg.max_entry_size = 100;
	r = solo_cfg(test, &cfg);
	KUNIT_EXPECT_EQ(test, raft_propose(r, 1, "", 0), RAFT_EINVAL);
	KUNIT_EXPECT_EQ(test, raft_propose(r, 1, ws_big, 101), RAFT_ETOOBIG);
	KUNIT_EXPECT_EQ(test, raft_propose(r, 1, ws_big, 100),
			RAFT_ENOLEADER);
	KUNIT_EXPECT_FALSE(test, raft_can_propose(r));
	/* a client entry names its writer: both session and seq non-zero */
	p.session = 0;
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_EINVAL);
	p.session = 0x5e;
	p.seq = 0;
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_EINVAL);
	p.seq = RAFT_TERM_LIMIT;
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_EINVAL);
	p.seq = 1;
	p.len = 0;
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_EINVAL);
	p.len = 1;
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_ENOLEADER);
	for (t = 0; t < 20; t++)
		raft_tick(r);
	KUNIT_EXPECT_EQ(test, drain(test, r)->n_res, 0U);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, 0ULL);
}

static void core_leader_uncommitted_limit(struct kunit *test)
{
	struct raft_config cfg;
	struct raft *r;

	raft_config_default(&cfg, 1, ids5, 3);
	cfg.max_uncommitted = 4;
	r = solo_cfg(test, &cfg);
	make_leader(test, r);	/* the no-op is uncommitted entry 1 */
	KUNIT_EXPECT_TRUE(test, raft_can_propose(r));
	KUNIT_EXPECT_EQ(test, raft_propose(r, 1, "a", 1), RAFT_OK);
	KUNIT_EXPECT_EQ(test, raft_propose(r, 2, "b", 1), RAFT_OK);
	KUNIT_EXPECT_EQ(test, raft_propose(r, 3, "c", 1), RAFT_OK);
	KUNIT_EXPECT_FALSE(test, raft_can_propose(r));
	KUNIT_EXPECT_EQ(test, raft_propose(r, 4, "d", 1), RAFT_EBUSY);
	/* taken, not committed: no result yet, and none for the refused */
	KUNIT_EXPECT_EQ(test, drain(test, r)->n_res, 0U);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, 4ULL);
}

static void core_propose_to_follower_refused(struct kunit *test)
{
	struct raft *r = solo(test, 2, 3);
	struct raft_msg m = { .type = RAFT_MSG_PROPOSE, .from = 3, .to = 2,
			      .term = 1,
			      .propose = { .session = 5, .seq = 7, .len = 1,
					   .data = (const u8 *)"p" } };
	const struct raft_msg *resp;
	struct out *o;

	raft_step(r, &m);
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 3);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_ENOTLEADER);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.session, 5ULL);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.seq, 7ULL);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, 0ULL);
}

/*
 * A forwarded proposal resent after a lost answer is appended once: the
 * leader finds (session, seq) in its log and answers with that place,
 * before and after it commits. Another seq of the session is new, and a
 * copy addressed to another term is not taken at all.
 */
static void core_forward_dedup(struct kunit *test)
{
	struct raft *r = solo(test, 1, 3);
	struct raft_msg m = { .type = RAFT_MSG_PROPOSE, .from = 2, .to = 1,
			      .propose = { .session = 99, .seq = 1, .len = 3,
					   .data = (const u8 *)"dup" } };
	const struct raft_msg *resp;
	struct out *o;
	u64 idx, term;

	raft_restore_hardstate(r, 3, 0);
	term = make_leader(test, r);
	m.term = term;
	raft_step(r, &m);
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.session, 99ULL);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.seq, 1ULL);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.term, term);
	idx = resp->propose_resp.index;
	KUNIT_EXPECT_EQ(test, idx, 2ULL);
	KUNIT_EXPECT_EQ(test, entry(test, r, idx)->session, 99ULL);
	KUNIT_EXPECT_EQ(test, entry(test, r, idx)->seq, 1ULL);

	raft_step(r, &m);	/* the resend */
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.index, idx);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.term, term);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, idx);

	/* committed, it is still found */
	step_append_resp(r, 2, term, true, idx);
	drain(test, r);
	KUNIT_ASSERT_EQ(test, raft_commit_index(r), idx);
	raft_step(r, &m);
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.index, idx);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, idx);
	KUNIT_EXPECT_EQ(test, copies(r, 99, 1), 1U);

	/* the session's next write is a new entry */
	m.propose.seq = 2;
	raft_step(r, &m);
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.index, idx + 1);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, idx + 1);

	/* sent to the leader of an older term: not ours to take */
	m.propose.seq = 3;
	m.term = term - 1;
	raft_step(r, &m);
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_ENOTLEADER);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, idx + 1);
}

/*
 * A leader holds a session's RAFT_SESSION_WINDOW newest seqs: an older
 * one may be in its log, so it is refused at once (RAFT_ESTALE), while a
 * retry inside the window is answered from the log. Every cookie taken
 * gets one result, at commit; the retry's is the original's place.
 */
static void core_propose_stale_below_window(struct kunit *test)
{
	struct raft *r = solo(test, 1, 3);
	struct raft_proposal p = proposal(0, 0x51, 0, "w");
	struct raft_msg m = { .type = RAFT_MSG_PROPOSE, .from = 2, .to = 1,
			      .propose = { .session = 0x51, .seq = 1, .len = 1,
					   .data = (const u8 *)"w" } };
	const struct raft_proposal_result *a, *b;
	u64 term = make_leader(test, r), last, q;
	const struct raft_msg *resp;
	struct out *o;

	for (q = 1; q <= RAFT_SESSION_WINDOW + 1; q++) {
		p.cookie = q;
		p.seq = q;
		KUNIT_ASSERT_EQ(test, raft_propose_in(r, &p), RAFT_OK);
	}
	drain(test, r);
	last = status(test, r)->last_index;
	KUNIT_ASSERT_EQ(test, last, RAFT_SESSION_WINDOW + 2ULL);

	p.cookie = 100;
	p.seq = 1;
	p.first_try = false;
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_ESTALE);
	/* the same when a follower forwards it */
	m.term = term;
	raft_step(r, &m);
	resp = find(drain(test, r), RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_ESTALE);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, last);
	p.cookie = 101;
	p.seq = 2;
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_OK);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, last);
	p.cookie = 102;
	p.seq = RAFT_SESSION_WINDOW + 2;
	p.first_try = true;
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_OK);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, last + 1);
	KUNIT_EXPECT_EQ(test, drain(test, r)->n_res, 0U);

	step_append_resp(r, 2, term, true, last + 1);
	o = drain(test, r);
	KUNIT_ASSERT_EQ(test, raft_commit_index(r), last + 1);
	KUNIT_EXPECT_EQ(test, o->n_res, RAFT_SESSION_WINDOW + 3U);
	for (q = 1; q <= RAFT_SESSION_WINDOW + 1; q++)
		KUNIT_EXPECT_EQ(test, results_for(o->res, o->n_res, q), 1U);
	KUNIT_EXPECT_EQ(test, results_for(o->res, o->n_res, 100), 0U);
	KUNIT_EXPECT_EQ(test, results_for(o->res, o->n_res, 101), 1U);
	KUNIT_EXPECT_EQ(test, results_for(o->res, o->n_res, 102), 1U);
	a = result_for(o->res, o->n_res, 2);
	b = result_for(o->res, o->n_res, 101);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, b);
	KUNIT_EXPECT_EQ(test, a->status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, b->status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, b->index, a->index);
	KUNIT_EXPECT_EQ(test, b->term, a->term);
	KUNIT_EXPECT_EQ(test, a->index, 3ULL);
	KUNIT_EXPECT_EQ(test, copies(r, 0x51, 2), 1U);
	KUNIT_EXPECT_EQ(test, copies(r, 0x51, 1), 1U);
	KUNIT_EXPECT_EQ(test, raft_propose_in(r, &p), RAFT_OK);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, last + 1);
}

/*
 * A follower forwards, and while no answer comes resends the same
 * (session, seq, start) to the leader, until its timeout: then one final
 * result, RAFT_EUNKNOWN (a copy left, it may still commit), and silence.
 */
static void core_forward_resent_until_timeout(struct kunit *test)
{
	struct raft_proposal p = proposal(8, 0xf0, 3, "r");
	struct raft *r = solo(test, 2, 3);
	u32 t, sent = 0, n_res = 0, i;
	struct raft_config cfg;
	struct out *o;

	raft_config_default(&cfg, 2, ids5, 3);
	p.start = 4;
	p.timeout = 6 * cfg.heartbeat_ticks;
	step_simple(r, RAFT_MSG_HEARTBEAT, 1, 1);
	drain(test, r);
	KUNIT_ASSERT_EQ(test, raft_propose_in(r, &p), RAFT_OK);
	for (t = 0; t <= p.timeout + 4 * cfg.election_ticks; t++) {
		if (t) {
			/* the leader lives on, but never answers */
			step_simple(r, RAFT_MSG_HEARTBEAT, 1, 1);
			raft_tick(r);
		}
		o = drain(test, r);
		for (i = 0; i < o->n; i++) {
			const struct raft_msg *m = &o->m[i];

			if (m->type != RAFT_MSG_PROPOSE)
				continue;
			KUNIT_EXPECT_LT(test, t, p.timeout);
			KUNIT_EXPECT_EQ(test, m->to, 1U);
			KUNIT_EXPECT_EQ(test, m->propose.session, 0xf0ULL);
			KUNIT_EXPECT_EQ(test, m->propose.seq, 3ULL);
			KUNIT_EXPECT_EQ(test, m->propose.start, 4ULL);
			KUNIT_EXPECT_EQ(test, m->propose.len, 1U);
			sent++;
		}
		if (o->n_res) {
			KUNIT_EXPECT_EQ(test, t, p.timeout);
			KUNIT_EXPECT_EQ(test, o->res[0].cookie, 8ULL);
			KUNIT_EXPECT_EQ(test, o->res[0].status, RAFT_EUNKNOWN);
		}
		n_res += o->n_res;
	}
	KUNIT_EXPECT_EQ(test, n_res, 1U);
	KUNIT_EXPECT_GE(test, sent, 2U);	/* resent */
	KUNIT_EXPECT_LE(test, sent, p.timeout / cfg.heartbeat_ticks);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, 0ULL);
}

struct resp_case {
	const char *name;
	s32 status;		/* what the leader answers */
	bool accept_only;
	bool final;		/* the answer is the result, at once */
	bool again;		/* the answer makes it be proposed again */
};

static const struct resp_case resp_cases[] = {
	{ "ok_waits_for_commit", RAFT_OK, false, false, false },
	{ "ok_accept_only", RAFT_OK, true, true, false },
	{ "stale", RAFT_ESTALE, false, true, false },
	{ "too_big", RAFT_ETOOBIG, false, true, false },
	{ "invalid", RAFT_EINVAL, false, true, false },
	{ "not_leader", RAFT_ENOTLEADER, false, false, true },
	{ "busy", RAFT_EBUSY, false, false, true },
	{ "busy_accept_only", RAFT_EBUSY, true, false, true },
};

static void resp_desc(const struct resp_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(resp, resp_cases, resp_desc);

/*
 * What a follower makes of its leader's answer to a forwarded proposal:
 * a refusal that took nothing is tried again, any other refusal is the
 * final result, and a place in the leader's log is the result only with
 * accept_only; otherwise the result is the commit. One result, always.
 */
static void core_propose_resp_outcome(struct kunit *test)
{
	static const struct raft_entry e = { .term = 1, .session = 0xc0,
					     .seq = 1, .len = 1,
					     .data = (const u8 *)"f" };
	const struct resp_case *rc = test->param_value;
	struct raft_proposal p = proposal(6, 0xc0, 1, "f");
	struct raft *r = solo(test, 2, 3);
	u32 n_res, sent;
	struct out *o;

	p.accept_only = rc->accept_only;
	step_simple(r, RAFT_MSG_HEARTBEAT, 1, 1);
	drain(test, r);
	KUNIT_ASSERT_EQ(test, raft_propose_in(r, &p), RAFT_OK);
	KUNIT_ASSERT_EQ(test, count(drain(test, r), RAFT_MSG_PROPOSE), 1U);
	/* answers for another seq, or from a node not asked: ignored */
	step_propose_resp(r, 1, 1, 0xc0, 2, RAFT_ESTALE, 0, 0);
	step_propose_resp(r, 3, 1, 0xc0, 1, RAFT_ESTALE, 0, 0);
	o = drain(test, r);
	KUNIT_EXPECT_EQ(test, o->n_res, 0U);
	KUNIT_EXPECT_EQ(test, count(o, RAFT_MSG_PROPOSE), 0U);

	step_propose_resp(r, 1, 1, 0xc0, 1, rc->status,
			  rc->status ? 0 : 1, rc->status ? 0 : 1);
	o = drain(test, r);
	n_res = o->n_res;
	sent = count(o, RAFT_MSG_PROPOSE);
	if (n_res) {
		KUNIT_EXPECT_EQ(test, o->res[0].cookie, 6ULL);
		KUNIT_EXPECT_EQ(test, o->res[0].status, rc->status);
		KUNIT_EXPECT_EQ(test, o->res[0].index,
				rc->status ? 0ULL : 1ULL);
		KUNIT_EXPECT_EQ(test, o->res[0].term,
				rc->status ? 0ULL : 1ULL);
	}
	step_simple(r, RAFT_MSG_HEARTBEAT, 1, 1);
	raft_tick(r);
	o = drain(test, r);
	n_res += o->n_res;
	sent += count(o, RAFT_MSG_PROPOSE);
	KUNIT_EXPECT_EQ(test, n_res, rc->final ? 1U : 0U);
	KUNIT_EXPECT_EQ(test, sent, rc->again ? 1U : 0U);
	if (rc->final && rc->status)
		return;

	/* the leader now holds it at (1, 1); then it commits */
	if (rc->again)
		step_propose_resp(r, 1, 1, 0xc0, 1, RAFT_OK, 1, 1);
	step_append(r, 1, 1, 0, 0, 0, &e, 1);
	o = drain(test, r);
	n_res += o->n_res;
	KUNIT_EXPECT_EQ(test, n_res, rc->accept_only ? 1U : 0U);
	step_append(r, 1, 1, 1, 1, 1, NULL, 0);
	o = drain(test, r);
	KUNIT_ASSERT_EQ(test, raft_commit_index(r), 1ULL);
	if (!rc->accept_only) {
		KUNIT_ASSERT_EQ(test, o->n_res, 1U);
		KUNIT_EXPECT_EQ(test, o->res[0].cookie, 6ULL);
		KUNIT_EXPECT_EQ(test, o->res[0].status, RAFT_OK);
		KUNIT_EXPECT_EQ(test, o->res[0].index, 1ULL);
		KUNIT_EXPECT_EQ(test, o->res[0].term, 1ULL);
	} else {
		KUNIT_EXPECT_EQ(test, o->n_res, 0U);
	}
}

struct state_case {
	const char *name;
	u64 index;
	u64 term;
	enum raft_proposal_state state;
};

/* The node's log holds terms [1, 2, 2], committed up to index 2. */
static const struct state_case state_cases[] = {
	{ "index_zero", 0, 0, RAFT_PROPOSAL_PENDING },
	{ "committed", 1, 1, RAFT_PROPOSAL_COMMITTED },
	{ "committed_at_commit", 2, 2, RAFT_PROPOSAL_COMMITTED },
	{ "other_term_committed_below", 1, 2, RAFT_PROPOSAL_LOST },
	{ "other_term_committed_at", 2, 1, RAFT_PROPOSAL_LOST },
	{ "uncommitted", 3, 2, RAFT_PROPOSAL_PENDING },
	{ "commit_passed_its_term", 3, 1, RAFT_PROPOSAL_LOST },
	{ "beyond_log_older_term", 6, 1, RAFT_PROPOSAL_LOST },
	{ "beyond_log_commit_term", 6, 2, RAFT_PROPOSAL_PENDING },
	{ "beyond_log_newer_term", 6, 3, RAFT_PROPOSAL_PENDING },
};

static void state_desc(const struct state_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(state, state_cases, state_desc);

/*
 * raft_proposal_state(): LOST once another entry committed at the index,
 * or once the committed log passed the entry's term (terms never fall
 * along a log), even above the commit index.
 */
static void core_proposal_state(struct kunit *test)
{
	static const u64 terms[] = { 1, 2, 2 };
	const struct state_case *sc = test->param_value;
	struct raft *r = solo(test, 2, 3);

	restore_log(test, r, 2, terms, ARRAY_SIZE(terms));
	step_append(r, 1, 2, 3, 2, 2, NULL, 0);
	drain(test, r);
	KUNIT_ASSERT_EQ(test, raft_commit_index(r), 2ULL);
	KUNIT_EXPECT_EQ(test, raft_proposal_state(r, sc->index, sc->term),
			sc->state);
}

/*
 * The session table follows the log: rebuilt from the restored entries,
 * and an entry that a new leader's append cut is forgotten, so that this
 * node, leading later, appends the same (session, seq) anew instead of
 * pointing at the entry that replaced it.
 */
static void core_truncated_entry_proposed_anew(struct kunit *test)
{
	static const u64 terms[] = { 1 };
	static const struct raft_entry a = { .term = 2, .session = 0xa1,
					     .seq = 1, .len = 1,
					     .data = (const u8 *)"a" };
	static const struct raft_entry b = { .term = 3, .session = 0xb1,
					     .seq = 1, .len = 1,
					     .data = (const u8 *)"b" };
	struct raft *r = solo(test, 1, 3);
	struct raft_msg m = { .type = RAFT_MSG_PROPOSE, .from = 2, .to = 1,
			      .propose = { .len = 1,
					   .data = (const u8 *)"a" } };
	const struct raft_msg *resp;
	struct out *o;
	u64 term;

	restore_log(test, r, 1, terms, 1);
	step_append(r, 2, 2, 1, 1, 1, &a, 1);
	drain(test, r);
	KUNIT_ASSERT_EQ(test, copies(r, 0xa1, 1), 1U);
	step_append(r, 3, 3, 1, 1, 1, &b, 1);	/* cuts a at 2 */
	drain(test, r);
	KUNIT_ASSERT_EQ(test, copies(r, 0xa1, 1), 0U);
	KUNIT_ASSERT_EQ(test, entry(test, r, 2)->session, 0xb1ULL);
	term = make_leader(test, r);
	KUNIT_ASSERT_EQ(test, status(test, r)->last_index, 3ULL);
	m.term = term;

	m.propose.session = 0xa1;
	m.propose.seq = 1;
	raft_step(r, &m);
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.index, 4ULL);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.term, term);
	KUNIT_EXPECT_EQ(test, copies(r, 0xa1, 1), 1U);

	/* what survived is found: b, and the restored entry */
	m.propose.session = 0xb1;
	raft_step(r, &m);
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.index, 2ULL);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.term, 3ULL);
	m.propose.session = LOG_SESSION;
	raft_step(r, &m);
	o = drain(test, r);
	resp = find(o, RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.index, 1ULL);
	KUNIT_EXPECT_EQ(test, resp->propose_resp.term, 1ULL);
	KUNIT_EXPECT_EQ(test, status(test, r)->last_index, 4ULL);
}

/*
 * Through the cluster: a follower's proposal commits, and its result is
 * that commit, which the follower learns only after the leader's next
 * heartbeat.
 */
static void core_follower_forwards_proposal(struct kunit *test)
{
	struct cl *c = cl_new(test, 3);
	const struct raft_entry *e;
	u64 idx;
	u32 i;

	cl_elect(c, 0);
	KUNIT_ASSERT_TRUE(test, raft_can_propose(c->r[1]));
	KUNIT_ASSERT_EQ(test, raft_propose(c->r[1], 77, "fwd", 3), RAFT_OK);
	cl_pump(c);
	KUNIT_EXPECT_EQ(test, raft_commit_index(c->r[0]), 2ULL);
	KUNIT_EXPECT_LT(test, raft_commit_index(c->r[1]), 2ULL);
	KUNIT_EXPECT_EQ(test, c->n_res[1], 0U);
	cl_tick_all(c, 10);
	KUNIT_ASSERT_EQ(test, c->n_res[1], 1U);
	KUNIT_EXPECT_EQ(test, c->res[1][0].cookie, 77ULL);
	KUNIT_EXPECT_EQ(test, c->res[1][0].status, RAFT_OK);
	idx = c->res[1][0].index;
	KUNIT_EXPECT_EQ(test, idx, 2ULL);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_GE(test, raft_commit_index(c->r[i]), idx);
		e = raft_entry_at(c->r[i], idx);
		KUNIT_ASSERT_NOT_NULL(test, e);
		KUNIT_ASSERT_EQ(test, e->len, 3U);
		KUNIT_EXPECT_EQ(test, memcmp(e->data, "fwd", 3), 0);
		KUNIT_EXPECT_EQ(test, copies(c->r[i], e->session, e->seq), 1U);
	}
	KUNIT_EXPECT_EQ(test, raft_proposal_state(c->r[1], idx,
						  c->res[1][0].term),
			RAFT_PROPOSAL_COMMITTED);
	KUNIT_EXPECT_EQ(test, c->n_res[0], 0U);	/* the leader only carried it */
}

/*
 * The leader's answer to a forwarded proposal is lost; the follower
 * resends, and the leader answers from its log: one entry, one result.
 */
static void core_forward_resend_answered_from_log(struct kunit *test)
{
	struct raft_proposal p = proposal(4, 0x4e5e, 1, "once");
	struct cl *c = cl_new(test, 3);
	u32 i;

	cl_elect(c, 0);
	c->cut[0][1] = true;	/* leader to node 2: answer and appends lost */
	KUNIT_ASSERT_EQ(test, raft_propose_in(c->r[1], &p), RAFT_OK);
	cl_pump(c);
	cl_heal(c);
	KUNIT_ASSERT_EQ(test, cl_status(c, 0)->last_index, 2ULL);
	KUNIT_ASSERT_EQ(test, copies(c->r[0], 0x4e5e, 1), 1U);
	KUNIT_EXPECT_EQ(test, copies(c->r[1], 0x4e5e, 1), 0U);
	KUNIT_EXPECT_EQ(test, c->n_res[1], 0U);
	cl_tick_all(c, 40);
	KUNIT_EXPECT_EQ(test, cl_leader(c), 0);
	KUNIT_ASSERT_EQ(test, c->n_res[1], 1U);
	KUNIT_EXPECT_EQ(test, c->res[1][0].cookie, 4ULL);
	KUNIT_EXPECT_EQ(test, c->res[1][0].status, RAFT_OK);
	KUNIT_EXPECT_EQ(test, c->res[1][0].index, 2ULL);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_EQ(test, cl_status(c, i)->last_index, 2ULL);
		KUNIT_EXPECT_EQ(test, raft_commit_index(c->r[i]), 2ULL);
		KUNIT_EXPECT_EQ(test, copies(c->r[i], 0x4e5e, 1), 1U);
	}
}

/* --- replication ------------------------------------------------------------- */

static void propose_n(struct kunit *test, struct raft *r, u32 n, u32 seed)
{
	u32 i;

	for (i = 0; i < n; i++) {
		u32 len = 1 + (i * 131 + seed) % 700;

		KUNIT_ASSERT_EQ(test, raft_propose(r, i, ws_big + i % 64, len),
				RAFT_OK);
	}
}

static void core_replication_logs_match(struct kunit *test)
{
	struct cl *c = cl_new(test, 3);
	u64 last;
	u32 i;

	cl_elect(c, 0);
	propose_n(test, c->r[0], 40, 1);
	cl_pump(c);
	cl_tick_all(c, 20);
	last = cl_status(c, 0)->last_index;
	KUNIT_EXPECT_EQ(test, last, 41ULL);
	for (i = 0; i < 3; i++)
		KUNIT_EXPECT_EQ(test, raft_commit_index(c->r[i]), last);
	cl_expect_logs_match(c);
}

/* A follower that missed many batches catches up (fast backtracking). */
static void core_lagging_follower_catches_up(struct kunit *test)
{
	struct cl *c = cl_new(test, 3);
	u64 last;

	cl_elect(c, 0);
	cl_isolate(c, 2, true);
	propose_n(test, c->r[0], 200, 7);
	cl_pump(c);
	cl_tick_all(c, 20);
	last = cl_status(c, 0)->last_index;
	KUNIT_EXPECT_EQ(test, raft_commit_index(c->r[0]), last);
	KUNIT_EXPECT_LT(test, cl_status(c, 2)->last_index, last);
	cl_heal(c);
	cl_tick_all(c, 100);
	KUNIT_EXPECT_EQ(test, cl_leader(c), 0);
	KUNIT_EXPECT_EQ(test, cl_status(c, 2)->last_index, last);
	KUNIT_EXPECT_EQ(test, raft_commit_index(c->r[2]), last);
	cl_expect_logs_match(c);
}

/*
 * A leader cut off with an uncommitted entry: the majority moves on, and
 * when it returns its entry is overwritten and known lost at its place.
 * The core proposes it again under the same (session, seq): it commits
 * once, at a new place, and that commit is its one result.
 */
static void core_divergent_entry_overwritten(struct kunit *test)
{
	struct cl *c = cl_new(test, 3);
	u64 term = cl_elect(c, 0);
	const struct raft_proposal_result *res;
	const struct raft_entry *e;
	u64 idx, session, seq;
	int leader = -1;
	u32 t, i;

	cl_isolate(c, 0, true);
	KUNIT_ASSERT_EQ(test, raft_propose(c->r[0], 1, "lost", 4), RAFT_OK);
	cl_pump(c);
	KUNIT_EXPECT_EQ(test, c->n_res[0], 0U);	/* taken, not committed */
	idx = cl_status(c, 0)->last_index;
	e = entry(test, c->r[0], idx);
	KUNIT_EXPECT_EQ(test, e->term, term);
	KUNIT_ASSERT_EQ(test, e->len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(e->data, "lost", 4), 0);
	session = e->session;
	seq = e->seq;
	KUNIT_EXPECT_NE(test, session, 0ULL);
	KUNIT_EXPECT_NE(test, seq, 0ULL);
	for (t = 0; t < 200 && leader < 1; t++) {
		cl_tick_all(c, 1);
		leader = cl_leader(c);
	}
	KUNIT_ASSERT_GE(test, leader, 1);
	KUNIT_EXPECT_EQ(test, c->n_res[0], 0U);
	KUNIT_ASSERT_EQ(test, raft_propose(c->r[leader], 2, "won", 3),
			RAFT_OK);
	cl_heal(c);
	cl_tick_all(c, 100);
	KUNIT_EXPECT_GE(test, raft_commit_index(c->r[0]), idx);
	KUNIT_EXPECT_EQ(test, raft_proposal_state(c->r[0], idx, term),
			RAFT_PROPOSAL_LOST);
	KUNIT_EXPECT_NE(test, entry(test, c->r[0], idx)->term, term);
	/* proposed again by the core: one result, the commit elsewhere */
	KUNIT_ASSERT_EQ(test, c->n_res[0], 1U);
	res = &c->res[0][0];
	KUNIT_EXPECT_EQ(test, res->cookie, 1ULL);
	KUNIT_ASSERT_EQ(test, res->status, RAFT_OK);
	KUNIT_EXPECT_GT(test, res->term, term);
	KUNIT_EXPECT_NE(test, res->index, idx);
	KUNIT_EXPECT_EQ(test, raft_proposal_state(c->r[0], res->index,
						  res->term),
			RAFT_PROPOSAL_COMMITTED);
	e = entry(test, c->r[0], res->index);
	KUNIT_EXPECT_EQ(test, e->session, session);
	KUNIT_EXPECT_EQ(test, e->seq, seq);
	KUNIT_ASSERT_EQ(test, e->len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(e->data, "lost", 4), 0);
	for (i = 0; i < 3; i++) {
		KUNIT_EXPECT_GE(test, raft_commit_index(c->r[i]), res->index);
		KUNIT_EXPECT_EQ(test, copies(c->r[i], session, seq), 1U);
	}
	res = result_for(c->res[leader], c->n_res[leader], 2);
	KUNIT_ASSERT_NOT_NULL(test, res);
	KUNIT_EXPECT_EQ(test, res->status, RAFT_OK);
	cl_expect_logs_match(c);
}

static void core_five_nodes_need_majority(struct kunit *test)
{
	struct cl *c = cl_new(test, 5);
	u64 before;

	cl_elect(c, 0);
	cl_isolate(c, 3, true);
	cl_isolate(c, 4, true);
	propose_n(test, c->r[0], 3, 2);
	cl_pump(c);
	cl_tick(c, 0, 3);
	before = raft_commit_index(c->r[0]);
	KUNIT_EXPECT_EQ(test, before, 4ULL);
	cl_isolate(c, 2, true);
	KUNIT_ASSERT_EQ(test, raft_propose(c->r[0], 9, "x", 1), RAFT_OK);
	cl_pump(c);
	cl_tick(c, 0, 5);
	KUNIT_EXPECT_EQ(test, raft_commit_index(c->r[0]), before);
	cl_expect_logs_match(c);
}

/*
 * A follower's table forgets S while it holds a deposed leader's tail of
 * new sessions; the tail is cut, the next leader (which never saw it)
 * appends S's next write, and this node, leading later, gets a late copy
 * of S's first write: it must not append it a second time.
 */
static void core_forgotten_session_not_appended_twice(struct kunit *test)
{
	static const struct raft_entry s1 = { .term = 1, .session = 0x5,
					      .seq = 1, .len = 1,
					      .data = (const u8 *)"1" };
	static const struct raft_entry s2 = { .term = 2, .session = 0x5,
					      .seq = 2, .len = 1,
					      .data = (const u8 *)"2" };
	struct raft_msg m = { .type = RAFT_MSG_PROPOSE, .from = 2, .to = 1,
			      .propose = { .session = 0x5, .seq = 1, .len = 1,
					   .data = (const u8 *)"1" } };
	struct raft *r = solo(test, 1, 3);
	const struct raft_msg *resp;
	struct raft_entry *tail;
	u32 i, n;

	tail = kunit_kcalloc(test, RAFT_MAX_SESSIONS, sizeof(*tail),
			     GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, tail);
	step_append(r, 2, 1, 0, 0, 1, &s1, 1);		/* committed */
	drain(test, r);
	for (i = 0; i < RAFT_MAX_SESSIONS; i++) {
		tail[i].term = 1;
		tail[i].session = 0x1000 + i;
		tail[i].seq = 1;
		tail[i].len = 1;
		tail[i].data = (const u8 *)"x";
	}
	for (i = 0; i < RAFT_MAX_SESSIONS; i += n) {
		n = min_t(u32, RAFT_MAX_SESSIONS - i, 256);
		step_append(r, 2, 1, 1 + i, 1, 1, tail + i, n);
		drain(test, r);
	}
	step_append(r, 3, 2, 1, 1, 2, &s2, 1);		/* cuts the tail */
	drain(test, r);
	KUNIT_ASSERT_EQ(test, status(test, r)->last_index, 2ULL);
	m.term = make_leader(test, r);
	raft_step(r, &m);
	resp = find(drain(test, r), RAFT_MSG_PROPOSE_RESP, 2);
	KUNIT_ASSERT_NOT_NULL(test, resp);
	KUNIT_EXPECT_EQ(test, copies(r, 0x5, 1), 1U);
	if (!resp->propose_resp.status)
		KUNIT_EXPECT_EQ(test, resp->propose_resp.index, 1ULL);
}

static struct kunit_case core_cases[] = {
	KUNIT_CASE(core_config_default_valid),
	KUNIT_CASE(core_forgotten_session_not_appended_twice),
	KUNIT_CASE_PARAM(core_config_rejects, cfg_gen_params),
	KUNIT_CASE(core_role_names),
	KUNIT_CASE(core_single_node_commits),
	KUNIT_CASE(core_election_deterministic),
	KUNIT_CASE_PARAM(core_vote_up_to_date_check, uptodate_gen_params),
	KUNIT_CASE(core_prevote_leaves_voter_alone),
	KUNIT_CASE(core_prevote_candidate_keeps_term),
	KUNIT_CASE(core_no_check_quorum_stays_leader),
	KUNIT_CASE(core_heartbeat_commit_capped),
	KUNIT_CASE(core_heartbeat_commit_bounded_by_match),
	KUNIT_CASE(core_restore_is_durable_copy),
	KUNIT_CASE(core_ignores_nonsense),
	KUNIT_CASE(core_propose_errors),
	KUNIT_CASE(core_leader_uncommitted_limit),
	KUNIT_CASE(core_propose_to_follower_refused),
	KUNIT_CASE(core_forward_dedup),
	KUNIT_CASE(core_propose_stale_below_window),
	KUNIT_CASE(core_forward_resent_until_timeout),
	KUNIT_CASE_PARAM(core_propose_resp_outcome, resp_gen_params),
	KUNIT_CASE_PARAM(core_proposal_state, state_gen_params),
	KUNIT_CASE(core_truncated_entry_proposed_anew),
	KUNIT_CASE(core_follower_forwards_proposal),
	KUNIT_CASE(core_forward_resend_answered_from_log),
	KUNIT_CASE(core_replication_logs_match),
	KUNIT_CASE(core_lagging_follower_catches_up),
	KUNIT_CASE(core_divergent_entry_overwritten),
	KUNIT_CASE(core_five_nodes_need_majority),
	{}
};

static struct kunit_suite core_suite = {
	.name = "raftlog_core",
	.init = raft_test_init,
	.exit = raft_test_exit,
	.test_cases = core_cases,
};

kunit_test_suite(core_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit suites for raftlog: wire codec, Raft core, glue");
