// SPDX-License-Identifier: GPL-2.0
/*
 * test_rules: the rule tests that are not (yet) traces. The paper's rules
 * (sections 5.1 to 5.4, Figures 7 and 8), PreVote and CheckQuorum are
 * traces in tests/trace/testdata/. What stays here needs random schedules,
 * counting or byte-level filters (log matching, stale responses, flow
 * control, forwarding, sessions). Each test drives real cores by hand
 * through tests/unit/harness.c, which also judges the durability contract
 * on every ready.
 *
 * usage: test_rules [-l] [NAME...]   (no NAME: run them all)
 */
#include <inttypes.h>

#include "harness.h"

#define E 10	/* election ticks of the harness */

static u64 term_of(struct net *net, u32 id)
{
	struct raft_status st;

	net_status(net, id, &st);
	return st.term;
}

static enum raft_role role_of(struct net *net, u32 id)
{
	struct raft_status st;

	net_status(net, id, &st);
	return st.role;
}

static u64 last_of(struct net *net, u32 id)
{
	struct raft_status st;

	net_status(net, id, &st);
	return st.last_index;
}

static u64 term_at(struct net *net, u32 id, u64 index)
{
	struct raft_entry e;

	return tn_entry(N(net, id), index, &e) ? e.term : 0;
}

/* A 3- or 5-node cluster with node 1 elected and its no-op committed. */
static void cluster_with_leader(struct net *net, u32 n)
{
	net_init(net, n);
	net_start(net);
	CHECK(net_elect(net, 1));
	net_tick(net, 1);
	net_settle(net, 10000);
	net_tick(net, 1);
	net_settle(net, 10000);
}

/* ---- 5.3: log replication ------------------------------------------------- */

static u64 lm_rng = 1;

static u32 lm_below(u32 n)
{
	lm_rng ^= lm_rng << 13;
	lm_rng ^= lm_rng >> 7;
	lm_rng ^= lm_rng << 17;
	return (u32)(lm_rng % n);
}

static bool lm_drop(struct net *net, struct tmsg *t)
{
	(void)net;
	(void)t;
	return lm_below(4) != 0;	/* lose a quarter of everything */
}

/*
 * Log Matching (5.3): if two logs hold an entry with the same index and
 * term, the logs are identical up to it. Checked pairwise after every round
 * of a lossy run with crashes and changing leaders.
 */
static void test_5_3_log_matching(void)
{
	struct net net;
	u32 round, a, b;
	u64 i, bad = 0;

	net_init(&net, 5);
	net_start(&net);
	net.filter = lm_drop;
	for (round = 0; round < 400 && !bad; round++) {
		u32 id = 1 + lm_below(5);
		char data[16];

		if (lm_below(40) == 0) {
			tn_restart(N(&net, id), round);
		} else if (lm_below(25) == 0) {
			net_isolate(&net, id, true);
		} else if (lm_below(25) == 0) {
			net_heal(&net);
		} else if (lm_below(3) == 0 && R(&net, id)) {
			snprintf(data, sizeof(data), "r%u", round);
			raft_propose(R(&net, id), round, data,
				     (u32)strlen(data));
			net_drain(&net, id);
		}
		net_tick_all(&net);
		for (a = 1; a <= 5; a++)
			for (b = a + 1; b <= 5; b++) {
				u64 la = last_of(&net, a), lb = last_of(&net, b);
				u64 top = la < lb ? la : lb, k = 0;

				/* the highest index where both agree on the term */
				for (i = top; i > 0 && !k; i--)
					if (term_at(&net, a, i) == term_at(&net, b, i))
						k = i;
				for (i = 1; i <= k; i++) {
					const struct raft_entry *x =
						raft_entry_at(R(&net, a), i);
					const struct raft_entry *y =
						raft_entry_at(R(&net, b), i);

					if (x->term != y->term || x->len != y->len ||
					    (x->len && memcmp(x->data, y->data, x->len)))
						bad = i;
				}
			}
	}
	CHECK_EQ(bad, 0);
	/* the run did something: several entries committed */
	CHECK(raft_commit_index(R(&net, 1)) > 10);
	net_free(&net);
}

/* ---- 5.4: safety ----------------------------------------------------------- */


/* ---- flow control ----------------------------------------------------------- */

/* Appends respect the byte budget and the in-flight window. */
static void test_5_3_batching_and_window(void)
{
	char data[40];
	struct net net;
	u32 i, sent = 0;

	net_init(&net, 3);
	for (i = 1; i <= 3; i++) {
		N(&net, i)->cfg.max_msg_bytes = 100;
		N(&net, i)->cfg.max_inflight = 2;
	}
	net_start(&net);
	CHECK(net_elect(&net, 1));
	net_tick(&net, 1);
	net_settle(&net, 10000);
	memset(data, 'q', sizeof(data));
	for (i = 0; i < 12; i++)
		CHECK_EQ(raft_propose(R(&net, 1), i, data, sizeof(data)), RAFT_OK);
	net_drain(&net, 1);
	for (;;) {
		struct tmsg *t = net_take(&net, RAFT_MSG_APPEND, 1, 2);
		u32 bytes = 0, k;

		if (!t)
			break;
		for (k = 0; k < t->m.append.n_entries; k++)
			bytes += t->m.append.entries[k].len;
		CHECK(bytes <= 100 || t->m.append.n_entries == 1);
		sent++;
		tmsg_free(t);
	}
	CHECK(sent >= 1 && sent <= 2);
	net_free(&net);
}

/* ---- proposals --------------------------------------------------------------- */

/*
 * A node outside a full configuration has RAFT_MAX_NODES peers: counting
 * votes, commits and contact must take itself and all of them (an array
 * one short overflowed here, under ASan a stack-buffer-overflow). Node 10
 * restores a log whose configuration is {1..9}. Without the join flag
 * its boot configuration, still the one before an uncommitted entry,
 * lets it campaign; with the flag it never does.
 */
static void conf_outside_full_one(bool join)
{
	u32 nodes[RAFT_MAX_NODES] = { 1, 2, 3, 4, 5, 6, 7, 8, 10 };
	struct raft_membership m = { .n_members = RAFT_MAX_NODES };
	u8 buf[RAFT_CONFIG_MAX_LEN];
	struct raft_entry e = { .term = 1, .type = RAFT_ENTRY_CONFIG };
	struct raft_config cfg;
	struct raft_status st;
	struct raft *r;
	int len;
	u32 i;

	raft_config_default(&cfg, 10, nodes, RAFT_MAX_NODES);
	cfg.join = join;
	r = raft_create(&cfg);
	CHECK(r);
	if (!r)
		return;
	for (i = 0; i < RAFT_MAX_NODES; i++) {
		m.members[i].id = i + 1;
		m.members[i].role = RAFT_MEMBER_VOTER;
	}
	len = raft_config_encode(&m, buf, sizeof(buf));
	CHECK(len > 0);
	e.data = buf;
	e.len = (u32)len;
	e.crc = raft_entry_crc(1, &e);
	raft_restore_hardstate(r, 1, 0);
	CHECK(raft_restore_entry(r, &e) == RAFT_OK);
	for (i = 0; i < 20 * E; i++)
		raft_tick(r);
	raft_get_status(r, &st);
	CHECK(st.n_peers == RAFT_MAX_NODES);
	CHECK(join ? st.role == RAFT_FOLLOWER && st.term == 1 :
		     st.role != RAFT_FOLLOWER);
	raft_destroy(r);
}

static void test_conf_outside_a_full_configuration(void)
{
	conf_outside_full_one(false);
	conf_outside_full_one(true);
}

static const struct raft_proposal_result *result_of(struct net *net,
						    u64 cookie)
{
	u32 i;

	for (i = 0; i < net->n_res; i++)
		if (net->res[i].cookie == cookie)
			return &net->res[i];
	return NULL;
}

/* An entry the old leader took but never replicated is reported LOST. */
/* How many committed entries of node @id carry (@session, @seq). */
static u32 copies_of(struct net *net, u32 id, u64 session, u64 seq)
{
	u64 i, commit = raft_commit_index(R(net, id));
	u32 n = 0;

	for (i = 1; i <= commit; i++) {
		const struct raft_entry *e = raft_entry_at(R(net, id), i);

		n += e && e->session == session && e->seq == seq;
	}
	return n;
}

/*
 * 6.3: a forwarded entry that a leader took and then lost (cut by the
 * next leader) is proposed again under the same (session, seq) and
 * commits once; the writer learns the new place, never a "lost" that a
 * retry would turn into a duplicate.
 */
static void test_6_3_lost_entry_proposed_again(void)
{
	const struct raft_proposal_result *res;
	struct raft_proposal p = {
		.cookie = 5, .session = 0x5e55, .seq = 1, .first_try = true,
		.data = "gone", .len = 4,
	};
	struct net net;
	struct tmsg *t;
	u64 first = 0;
	u32 i;

	cluster_with_leader(&net, 3);
	net.n_res = 0;
	CHECK_EQ(raft_propose_in(R(&net, 2), &p), RAFT_OK);
	net_drain(&net, 2);
	t = net_take(&net, RAFT_MSG_PROPOSE, 2, 1);
	CHECK(t != NULL);
	if (t)
		net_step(&net, &t->m);
	tmsg_free(t);
	t = net_take(&net, RAFT_MSG_PROPOSE_RESP, 1, 2);
	CHECK(t != NULL);
	net_flush(&net);		/* its appends are lost */
	if (t) {
		first = t->m.propose_resp.index;
		net_step(&net, &t->m);
	}
	tmsg_free(t);
	CHECK(result_of(&net, 5) == NULL);	/* held, not committed */
	net_isolate(&net, 1, true);
	for (i = 0; i < 6 * E && !result_of(&net, 5); i++)
		net_tick_all(&net);
	res = result_of(&net, 5);
	CHECK(res && res->status == RAFT_OK);
	if (res && res->status == RAFT_OK) {
		CHECK(res->term > term_of(&net, 1));	/* a new leader's */
		CHECK(res->index >= first);
		CHECK_EQ(copies_of(&net, 2, 0x5e55, 1), 1);
	}
	net_free(&net);
}

/*
 * 6.3: a leader took a forwarded entry, replicated it, lost the answer and
 * stepped down (CheckQuorum). The follower's resend reaches the next
 * leader, which finds (session, seq) in its log and answers with that
 * index instead of appending a second copy.
 */
static void test_6_3_resend_after_step_down_is_not_appended_twice(void)
{
	const struct raft_proposal_result *res;
	struct raft_proposal p = {
		.cookie = 9, .session = 0xab, .seq = 1, .first_try = true,
		.data = "once", .len = 4,
	};
	struct net net;
	struct tmsg *t;
	u64 at = 0;
	u32 i;

	cluster_with_leader(&net, 3);
	net.n_res = 0;
	CHECK_EQ(raft_propose_in(R(&net, 2), &p), RAFT_OK);
	net_drain(&net, 2);
	t = net_take(&net, RAFT_MSG_PROPOSE, 2, 1);
	CHECK(t != NULL);
	if (t)
		net_step(&net, &t->m);
	tmsg_free(t);
	t = net_take(&net, RAFT_MSG_PROPOSE_RESP, 1, 2);	/* lost */
	CHECK(t != NULL);
	if (t)
		at = t->m.propose_resp.index;
	tmsg_free(t);
	/* the entry reaches node 3 only */
	net.cut[1][2] = true;
	net.cut[2][1] = true;
	net_settle(&net, 10000);
	CHECK(raft_entry_at(R(&net, 3), at) &&
	      raft_entry_at(R(&net, 3), at)->session == 0xab);
	net_isolate(&net, 1, true);
	for (i = 0; i < 8 * E && !result_of(&net, 9); i++)
		net_tick_all(&net);
	res = result_of(&net, 9);
	CHECK(res && res->status == RAFT_OK);
	if (res)
		CHECK_EQ(res->index, at);
	CHECK_EQ(copies_of(&net, 2, 0xab, 1), 1);
	CHECK_EQ(copies_of(&net, 3, 0xab, 1), 1);
	net_free(&net);
}

/*
 * 6.3: the session table is rebuilt from the log on restart, so a node
 * that restarts and leads answers a retry of a committed write with its
 * index.
 */
static void test_6_3_sessions_survive_restart(void)
{
	const struct raft_proposal_result *res;
	struct raft_proposal p = {
		.cookie = 1, .session = 0x77, .seq = 3, .first_try = true,
		.data = "kept", .len = 4,
	};
	struct net net;
	u64 at;
	u32 i;

	cluster_with_leader(&net, 3);
	net.n_res = 0;
	CHECK_EQ(raft_propose_in(R(&net, 1), &p), RAFT_OK);
	net_drain(&net, 1);
	at = last_of(&net, 1);
	net_settle(&net, 10000);
	net_tick(&net, 1);
	net_settle(&net, 10000);
	CHECK(result_of(&net, 1) && result_of(&net, 1)->index == at);
	tn_restart(N(&net, 2), 7);
	net_isolate(&net, 1, true);
	for (i = 0; i < 6 * E && role_of(&net, 2) != RAFT_LEADER; i++)
		net_tick(&net, 2), net_tick(&net, 3);
	CHECK(net_elect(&net, 2));
	p.cookie = 2;
	p.first_try = false;
	CHECK_EQ(raft_propose_in(R(&net, 2), &p), RAFT_OK);
	for (i = 0; i < 4 && !result_of(&net, 2); i++) {
		net_tick(&net, 2);
		net_tick(&net, 3);
		net_settle(&net, 10000);
	}
	res = result_of(&net, 2);
	CHECK(res && res->status == RAFT_OK);
	if (res)
		CHECK_EQ(res->index, at);
	CHECK_EQ(copies_of(&net, 2, 0x77, 3), 1);
	net_free(&net);
}

/*
 * 6.3: a session remembers its newest RAFT_SESSION_WINDOW seqs; an older
 * one may be in the log, so it is refused as stale, never appended.
 */
static void test_6_3_seq_below_the_window_is_stale(void)
{
	struct raft_proposal p = {
		.session = 0x51, .first_try = true, .data = "w", .len = 1,
	};
	struct net net;
	u32 q;

	cluster_with_leader(&net, 3);
	for (q = 1; q <= RAFT_SESSION_WINDOW + 1; q++) {
		p.cookie = q;
		p.seq = q;
		CHECK_EQ(raft_propose_in(R(&net, 1), &p), RAFT_OK);
	}
	net_drain(&net, 1);
	p.cookie = 100;
	p.seq = 1;
	CHECK_EQ(raft_propose_in(R(&net, 1), &p), RAFT_ESTALE);
	p.seq = 2;	/* still in the window: the duplicate is found */
	CHECK_EQ(raft_propose_in(R(&net, 1), &p), RAFT_OK);
	net_drain(&net, 1);
	CHECK_EQ(copies_of(&net, 1, 0x51, 2), 0);	/* not committed yet */
	net_settle(&net, 10000);
	net_tick(&net, 1);
	net_settle(&net, 10000);
	CHECK_EQ(copies_of(&net, 1, 0x51, 2), 1);
	net_free(&net);
}

/*
 * An entry above the commit index is already known lost once the
 * committed log has passed its term: terms never fall along a log.
 */
static void test_5_3_entry_lost_once_commit_passes_its_term(void)
{
	struct net net;
	u64 at, t;
	u32 i;

	cluster_with_leader(&net, 3);
	net_isolate(&net, 1, true);
	raft_propose(R(&net, 1), 1, "minority", 8);
	raft_propose(R(&net, 1), 2, "minority", 8);
	net_drain(&net, 1);
	at = last_of(&net, 1);
	t = term_of(&net, 1);
	for (i = 0; i < 6 * E && role_of(&net, 2) != RAFT_LEADER &&
		    role_of(&net, 3) != RAFT_LEADER; i++)
		net_tick_all(&net);
	CHECK(role_of(&net, 2) == RAFT_LEADER || role_of(&net, 3) == RAFT_LEADER);
	/*
	 * The new leader's no-op commits at at - 1, where node 1 had the
	 * first of its two entries: the second (at) can never commit now.
	 */
	net_isolate(&net, 1, false);
	for (i = 0; i < 3 * E && raft_commit_index(R(&net, 1)) < at - 1; i++)
		net_tick_all(&net);
	CHECK_EQ(raft_commit_index(R(&net, 1)), at - 1);
	CHECK(term_at(&net, 1, at - 1) > t);
	CHECK_EQ(raft_proposal_state(R(&net, 1), at, t), RAFT_PROPOSAL_LOST);
	net_free(&net);
}

static void test_forward_unknown(void)
{
	const struct raft_proposal_result *res;
	struct net net;
	u32 i;

	cluster_with_leader(&net, 3);
	net.n_res = 0;
	net_isolate(&net, 1, true);
	CHECK_EQ(raft_propose(R(&net, 2), 6, "void", 4), RAFT_OK);
	net_drain(&net, 2);
	for (i = 0; i < 9 * E; i++)
		net_tick(&net, 2);
	res = result_of(&net, 6);
	CHECK(res && res->status == RAFT_EUNKNOWN);	/* it was sent */
	net_free(&net);
}

/*
 * A follower restarted (a new life, new forward ids); a PROPOSE its earlier
 * life sent in this term arrives late, after the new life's first one. The
 * leader must go on taking the new life's proposals: found by the
 * simulator (seed 22484, 3 nodes, 10000 steps), where every later forward
 * of that follower was dropped and ended EUNKNOWN under a stable leader.
 */
static void test_forward_stale_life_does_not_block(void)
{
	const struct raft_proposal_result *res;
	struct tmsg *old, *t;
	struct net net;
	u32 i;

	cluster_with_leader(&net, 3);
	net.n_res = 0;
	CHECK_EQ(raft_propose(R(&net, 2), 1, "old life", 8), RAFT_OK);
	net_drain(&net, 2);
	old = net_take(&net, RAFT_MSG_PROPOSE, 2, 1);	/* delayed */
	CHECK(old != NULL);
	tn_restart(N(&net, 2), 4242);
	net_tick(&net, 1);
	net_tick(&net, 1);
	net_settle(&net, 10000);	/* node 2 learns its leader again */
	CHECK_EQ(raft_propose(R(&net, 2), 2, "new life", 8), RAFT_OK);
	net_drain(&net, 2);
	net_settle(&net, 10000);
	if (old)
		net_step(&net, &old->m);
	tmsg_free(old);
	net_settle(&net, 10000);
	CHECK_EQ(raft_propose(R(&net, 2), 3, "new life 2", 10), RAFT_OK);
	net_drain(&net, 2);
	t = net_take(&net, RAFT_MSG_PROPOSE, 2, 1);
	CHECK(t != NULL);
	if (t)
		net_step(&net, &t->m);
	tmsg_free(t);
	CHECK_EQ(net_queued(&net, RAFT_MSG_PROPOSE_RESP, 1, 2), 1);
	for (i = 0; i < 2; i++)
		net_tick_all(&net);
	res = result_of(&net, 3);
	CHECK(res && res->status == RAFT_OK);
	if (res && res->status == RAFT_OK)
		CHECK_EQ(raft_proposal_state(R(&net, 2), res->index, res->term),
			 RAFT_PROPOSAL_COMMITTED);
	net_free(&net);
}

/*
 * Entries a leader released to its storage still reach a follower that
 * was away: they go out loaded from the disk, a batch at a time, and the
 * follower ends with the same log and commit.
 */
static void test_5_3_released_entries_reach_a_lagging_follower(void)
{
	struct raft_status st;
	struct net net;
	char data[64];
	u64 i, last;
	u32 k;

	net_init(&net, 3);
	for (k = 0; k < 3; k++)
		net.nd[k].cfg.max_msg_bytes = 256;
	net_start(&net);
	CHECK(net_elect(&net, 1));
	N(&net, 1)->keep = 2;
	N(&net, 3)->keep = 0;
	net_isolate(&net, 2, true);
	for (i = 0; i < 60; i++) {
		memset(data, 'a' + i % 26, sizeof(data));
		CHECK_EQ(raft_propose(R(&net, 1), 100 + i, data, 1 + i % 64),
			 RAFT_OK);
		net_drain(&net, 1);
		net_settle(&net, 10000);
	}
	last = last_of(&net, 1);
	net_status(&net, 1, &st);
	CHECK_EQ(st.commit_index, last);
	CHECK_EQ(st.mem_first, last - 1);
	CHECK(st.mem_bytes <= 2 * 64);
	CHECK(raft_entry_at(R(&net, 1), 3) == NULL);
	CHECK(last_of(&net, 2) < 5);

	net_isolate(&net, 2, false);
	for (k = 0; k < 40 && last_of(&net, 2) < last; k++) {
		net_tick_all(&net);
		net_settle(&net, 10000);
	}
	net_tick_all(&net);
	net_settle(&net, 10000);
	CHECK(net_same_log(&net, 1, 2));
	net_status(&net, 2, &st);
	CHECK_EQ(st.commit_index, last);
	/* 60 entries of up to 80 bytes in 256-byte appends: several loads */
	CHECK(N(&net, 1)->loads >= 4);
	CHECK(N(&net, 3)->loads == 0);
	net_free(&net);
}

#define T(fn) { #fn, fn }
static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	T(test_5_3_released_entries_reach_a_lagging_follower),
	T(test_5_3_log_matching),
	T(test_5_3_batching_and_window),
	T(test_6_3_lost_entry_proposed_again),
	T(test_6_3_resend_after_step_down_is_not_appended_twice),
	T(test_6_3_sessions_survive_restart),
	T(test_6_3_seq_below_the_window_is_stale),
	T(test_5_3_entry_lost_once_commit_passes_its_term),
	T(test_forward_unknown),
	T(test_forward_stale_life_does_not_block),
	T(test_conf_outside_a_full_configuration),
};

#define N_TESTS (sizeof(tests) / sizeof(tests[0]))

int main(int argc, char **argv)
{
	u32 i, passed = 0, failed = 0;
	int a;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: %s [-l] [NAME...]\n"
		       "Runs the paper-rule tests of the Raft core (all, or those\n"
		       "named); -l lists them. Ends with `rules: N passed, N failed`;\n"
		       "exit status 1 if any failed.\n", argv[0]);
		return 0;
	}
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < N_TESTS; i++)
			printf("%s\n", tests[i].name);
		return 0;
	}
	for (i = 0; i < N_TESTS; i++) {
		bool run = argc == 1;

		for (a = 1; a < argc; a++)
			run = run || !strcmp(argv[a], tests[i].name);
		if (!run)
			continue;
		t_failed = 0;
		tests[i].fn();
		if (t_failed) {
			printf("FAIL %s\n", tests[i].name);
			failed++;
		} else {
			printf("ok   %s\n", tests[i].name);
			passed++;
		}
	}
	printf("rules: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
