// SPDX-License-Identifier: GPL-2.0
/*
 * test_persist: the core's async_persist contract (raft.h), driven by hand
 * through tests/unit/harness.c and tests/sim/node.c, whose async nodes
 * write at once and make durable only at tn_sync_begin()/tn_sync_end():
 *   - a leader whose own entries are not durable commits through two
 *     followers' durable copies;
 *   - with only one follower, its own copy is needed, and counts only
 *     after raft_persisted();
 *   - raft_persisted() for an entry cut since (another term), beyond what
 *     was written, or for less than is already stable is ignored;
 *   - which messages wait for persistence (after_persist): a follower's
 *     APPEND_RESP does, and is held until durable; a leader's APPENDs do
 *     not.
 * node.c also judges every ready and report: nothing leaves before what
 * it promises is durable, and the core never calls stable what is not.
 *
 * usage: test_persist [-l] [NAME...]   (no NAME: run them all)
 */
#include <inttypes.h>

#include "harness.h"

static struct raft_status status_of(struct net *net, u32 id)
{
	struct raft_status st;

	net_status(net, id, &st);
	return st;
}

/* A 3-node cluster, @async[i] for node i + 1, node 1 elected. */
static void cluster(struct net *net, const bool async[3])
{
	u32 i;

	net_init(net, 3);
	for (i = 0; i < 3; i++)
		net->nd[i].cfg.async_persist = async[i];
	net_start(net);
	CHECK(net_elect(net, 1));
	net_settle(net, 10000);
}

/* Make everything node @id wrote durable, as its fsync worker would. */
static void sync_node(struct net *net, u32 id)
{
	if (tn_sync_begin(N(net, id)))
		tn_sync_end(N(net, id), 0);
	net_drain(net, id);
}

static void propose(struct net *net, u32 id, const char *data)
{
	CHECK_EQ(raft_propose(R(net, id), 1, data, (u32)strlen(data)),
		 RAFT_OK);
	net_drain(net, id);
}

/*
 * The leader never syncs: its no-op and a client entry commit through
 * the two followers' durable copies, and the leader's stable index stays
 * where its disk is.
 */
static void test_leader_commits_on_followers_disks(void)
{
	static const bool async[3] = { true, false, false };
	struct raft_status st;
	struct net net;
	u32 i;

	cluster(&net, async);
	propose(&net, 1, "a");
	net_settle(&net, 10000);
	for (i = 0; i < 2; i++) {	/* a heartbeat tells the commit */
		net_tick(&net, 1);
		net_settle(&net, 10000);
	}
	st = status_of(&net, 1);
	CHECK_EQ(st.role, RAFT_LEADER);
	CHECK_EQ(st.last_index, 2);
	CHECK_EQ(st.commit_index, 2);
	CHECK_EQ(st.stable_index, 0);
	CHECK_EQ(N(&net, 1)->disk.durable, 0);
	CHECK_EQ(N(&net, 1)->disk.n, 2);
	CHECK_EQ(status_of(&net, 2).commit_index, 2);
	/* once synced, its own copy is stable too */
	sync_node(&net, 1);
	CHECK_EQ(status_of(&net, 1).stable_index, 2);
	net_free(&net);
}

/*
 * Node 3 is cut off: the majority for a new entry is the leader and node
 * 2, so the leader's own copy is needed. Node 2's durable ack is not
 * enough; raft_persisted() on the leader is what commits it.
 */
static void test_own_copy_counts_after_persisted(void)
{
	static const bool async[3] = { true, false, false };
	struct raft_status st;
	struct net net;
	u64 before;

	cluster(&net, async);
	sync_node(&net, 1);
	net_settle(&net, 10000);
	before = status_of(&net, 1).commit_index;
	CHECK_EQ(before, 1);
	net_isolate(&net, 3, true);
	propose(&net, 1, "b");
	net_settle(&net, 10000);
	st = status_of(&net, 1);
	CHECK_EQ(st.last_index, 2);
	CHECK_EQ(st.peers[0].id, 2);
	CHECK_EQ(st.peers[0].match_index, 2);	/* node 2 holds it durably */
	CHECK_EQ(st.stable_index, 1);
	CHECK_EQ(st.commit_index, before);	/* not without our own copy */
	sync_node(&net, 1);
	st = status_of(&net, 1);
	CHECK_EQ(st.stable_index, 2);
	CHECK_EQ(st.commit_index, 2);
	net_free(&net);
}

/* An APPEND from @from in @term of @n entries of @eterm after prev. */
static struct raft_msg append(u32 from, u32 to, u64 term, u64 prev_index,
			      u64 prev_term, struct raft_entry *ents, u32 n,
			      u64 eterm)
{
	struct raft_msg m = msg(RAFT_MSG_APPEND, from, to, term);
	u32 i;

	for (i = 0; i < n; i++) {
		ents[i] = (struct raft_entry){ .term = eterm, .session = 7,
					       .seq = prev_index + i + 1,
					       .data = (const u8 *)"x",
					       .len = 1 };
		ents[i].crc = raft_entry_crc(prev_index + i + 1, &ents[i]);
	}
	m.append.prev_index = prev_index;
	m.append.prev_term = prev_term;
	m.append.n_entries = n;
	m.append.entries = ents;
	return m;
}

/*
 * Follower 2 (async) writes entries 1..3 of term 1, starts an fsync, and
 * a leader of term 2 cuts 2..3 and writes its own before that fsync ends:
 * the fsync covers only entry 1. Reports the core must ignore: the cut
 * entry 3 at term 1, entry 5 never written, entry 3 at a wrong term; and
 * once 3 is stable, anything less.
 */
static void test_persisted_ignores_cut_and_old(void)
{
	static const bool async[3] = { false, true, false };
	struct raft_entry ents[3];
	struct raft_msg m;
	struct net net;
	u32 i;

	net_init(&net, 3);
	for (i = 0; i < 3; i++)
		net.nd[i].cfg.async_persist = async[i];
	net_start(&net);
	m = append(1, 2, 1, 0, 0, ents, 3, 1);
	CHECK_EQ(net_step(&net, &m), RAFT_OK);
	CHECK_EQ(N(&net, 2)->disk.n, 3);
	CHECK_EQ(N(&net, 2)->disk.durable, 0);
	CHECK_EQ(status_of(&net, 2).stable_index, 0);
	CHECK(tn_sync_begin(N(&net, 2)));	/* would cover 1..3 of term 1 */

	m = append(3, 2, 2, 1, 1, ents, 2, 2);
	CHECK_EQ(net_step(&net, &m), RAFT_OK);
	CHECK_EQ(status_of(&net, 2).last_index, 3);
	CHECK_EQ(status_of(&net, 2).last_term, 2);
	raft_persisted(R(&net, 2), 3, 1);	/* cut since: other term */
	CHECK_EQ(status_of(&net, 2).stable_index, 0);
	raft_persisted(R(&net, 2), 5, 2);	/* never written */
	CHECK_EQ(status_of(&net, 2).stable_index, 0);
	tn_sync_end(N(&net, 2), 0);		/* only entry 1 was covered */
	CHECK_EQ(N(&net, 2)->disk.durable, 1);
	CHECK_EQ(status_of(&net, 2).stable_index, 1);
	raft_persisted(R(&net, 2), 3, 3);	/* a term it never had */
	CHECK_EQ(status_of(&net, 2).stable_index, 1);

	sync_node(&net, 2);			/* now 2..3 of term 2 */
	CHECK_EQ(N(&net, 2)->disk.durable, 3);
	CHECK_EQ(status_of(&net, 2).stable_index, 3);
	raft_persisted(R(&net, 2), 2, 2);	/* less than already stable */
	CHECK_EQ(status_of(&net, 2).stable_index, 3);
	raft_persisted(R(&net, 2), 1, 1);
	CHECK_EQ(status_of(&net, 2).stable_index, 3);
	net_free(&net);
}

static u32 count_msgs(const struct raft_ready *rd, u8 type, bool late)
{
	u32 i, n = 0;

	for (i = 0; i < rd->n_msgs; i++)
		n += rd->msgs[i].type == type &&
		     rd->msgs[i].after_persist == late;
	return n;
}

/*
 * after_persist: a follower's APPEND_RESP waits for its entries and is
 * held (not sent) until they are durable; a leader's APPENDs leave at
 * once, before its own copy is durable.
 */
static void test_after_persist_marking(void)
{
	static const bool async[3] = { true, true, false };
	struct raft_entry ents[2];
	struct raft_ready *rd;
	struct raft_msg m;
	struct net net;

	/* the follower, by hand: one ready */
	net_init(&net, 3);
	net.nd[1].cfg.async_persist = true;
	net_start(&net);
	m = append(1, 2, 1, 0, 0, ents, 2, 1);
	CHECK_EQ(raft_step(R(&net, 2), &m), RAFT_OK);
	tn_ready_begin(N(&net, 2));
	rd = &N(&net, 2)->rd;
	CHECK_EQ(rd->n_entries, 2);
	CHECK_EQ(count_msgs(rd, RAFT_MSG_APPEND_RESP, true), 1);
	CHECK_EQ(count_msgs(rd, RAFT_MSG_APPEND_RESP, false), 0);
	tn_ready_end(N(&net, 2));
	CHECK_EQ(N(&net, 2)->n_held, 1);
	CHECK_EQ(net_queued(&net, RAFT_MSG_APPEND_RESP, 2, 1), 0);
	CHECK_EQ(status_of(&net, 2).stable_index, 0);
	sync_node(&net, 2);
	CHECK_EQ(N(&net, 2)->n_held, 0);
	CHECK_EQ(net_queued(&net, RAFT_MSG_APPEND_RESP, 2, 1), 1);
	CHECK_EQ(status_of(&net, 2).stable_index, 2);
	net_free(&net);

	/* the leader's appends go before its own copy is durable */
	cluster(&net, async);
	sync_node(&net, 1);
	sync_node(&net, 2);
	net_settle(&net, 10000);
	CHECK_EQ(raft_propose(R(&net, 1), 2, "c", 1), RAFT_OK);
	tn_ready_begin(N(&net, 1));
	rd = &N(&net, 1)->rd;
	CHECK_EQ(rd->n_entries, 1);
	CHECK_EQ(count_msgs(rd, RAFT_MSG_APPEND, false), 2);
	CHECK_EQ(count_msgs(rd, RAFT_MSG_APPEND, true), 0);
	tn_ready_end(N(&net, 1));
	CHECK_EQ(net_queued(&net, RAFT_MSG_APPEND, 1, 2), 1);
	CHECK_EQ(N(&net, 1)->disk.durable, 1);
	CHECK_EQ(N(&net, 1)->disk.n, 2);
	net_free(&net);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
#define T(f) { #f, f }
	T(test_leader_commits_on_followers_disks),
	T(test_own_copy_counts_after_persisted),
	T(test_persisted_ignores_cut_and_old),
	T(test_after_persist_marking),
#undef T
};

#define N_TESTS (sizeof(tests) / sizeof(tests[0]))

int main(int argc, char **argv)
{
	u32 i, passed = 0, failed = 0;
	int a;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: %s [-l] [NAME...]\n"
		       "Runs the tests of the core's async_persist contract (all,\n"
		       "or those named); -l lists them. Ends with `persist: N\n"
		       "passed, N failed`; exit status 1 if any failed.\n",
		       argv[0]);
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
	printf("persist: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
