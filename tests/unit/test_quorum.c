// SPDX-License-Identifier: GPL-2.0
/*
 * test_quorum: the majority arithmetic of kmod/raft/quorum.c on its own,
 * as tables: the index a configuration has committed given each node's
 * acknowledged index, an election's result given each node's vote, and
 * whether a leader still reaches a quorum (CheckQuorum), for plain and
 * joint configurations. Then every plain configuration of 1 to 5 voters
 * and acknowledged indexes 0..3 is checked against the definition: the
 * highest index that at least n / 2 + 1 voters hold.
 *
 * usage: test_quorum    (ends with "quorum: N passed, N failed")
 */
#include <stdio.h>

#include "raft_int.h"

static int passed, failed;

static void check(bool ok, const char *what, int row)
{
	if (ok) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s, row %d\n", what, row);
	}
}

#define N RAFT_MAX_NODES
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* A set of voters written as a 0-terminated list of ids. */
static void set(struct raft_majority *m, const u32 *ids)
{
	m->n = 0;
	while (m->n < N && ids[m->n]) {
		m->ids[m->n] = ids[m->n];
		m->n++;
	}
}

static void config(struct raft_quorum_config *c, const u32 *a, const u32 *b)
{
	set(&c->voters[0], a);
	set(&c->voters[1], b);
}

static u32 count(const u32 *ids)
{
	u32 n = 0;

	while (n < N && ids[n])
		n++;
	return n;
}

static void test_index(void)
{
	static const struct {
		u32 old[N], new[N];	/* voters; new empty: not joint */
		u32 ids[N];		/* who answered, 0-terminated */
		u64 index[N];		/* ... with which index */
		u64 want;
	} t[] = {
		{ {1}, {}, {1}, {5}, 5 },
		{ {1, 2, 3}, {}, {1, 2, 3}, {5, 3, 1}, 3 },
		{ {1, 2, 3}, {}, {1, 2, 3}, {5, 5, 1}, 5 },
		{ {1, 2, 3}, {}, {3, 1, 2}, {1, 5, 5}, 5 },	/* any order */
		{ {1, 2, 3, 4}, {}, {1, 2, 3, 4}, {9, 7, 5, 3}, 5 },
		{ {1, 2, 3, 4}, {}, {1, 2, 3, 4}, {9, 9, 0, 0}, 0 },
		{ {1, 2, 3, 4, 5}, {}, {1, 2, 3, 4, 5}, {1, 2, 3, 4, 5}, 3 },
		/* a voter that never answered holds nothing */
		{ {1, 2, 3}, {}, {1, 2}, {5, 5}, 5 },
		{ {1, 2, 3}, {}, {1}, {5}, 0 },
		/* a node that is no voter does not count */
		{ {1, 2, 3}, {}, {1, 2, 3, 4, 5}, {1, 1, 1, 9, 9}, 1 },
		/* joint: the smaller of the two majorities' indexes */
		{ {1, 2, 3}, {3, 4, 5}, {1, 2, 3, 4, 5}, {9, 9, 2, 7, 7}, 7 },
		{ {1, 2, 3}, {4, 5, 6}, {1, 2, 3, 4, 5, 6},
		  {1, 1, 1, 9, 9, 9}, 1 },
		{ {1, 2, 3}, {1, 2, 3, 4}, {1, 2, 3, 4}, {8, 8, 2, 2}, 2 },
		{ {}, {1, 2, 3}, {1, 2, 3}, {4, 4, 1}, 4 },
		/* no voters at all: nothing is committed */
		{ {}, {}, {1}, {5}, 0 },
	};
	struct raft_quorum_config c;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		config(&c, t[i].old, t[i].new);
		check(raft_quorum_index(&c, t[i].ids, t[i].index,
					count(t[i].ids)) == t[i].want,
		      "commit index", (int)i);
	}
}

#define G RAFT_VOTE_GRANTED
#define R RAFT_VOTE_REJECTED
#define O RAFT_VOTE_NONE
#define WON RAFT_VOTE_WON
#define LOST RAFT_VOTE_LOST
#define PEND RAFT_VOTE_PENDING

static void test_vote(void)
{
	static const struct {
		u32 old[N], new[N];
		u32 ids[N];
		enum raft_vote vote[N];
		enum raft_vote_result want;
	} t[] = {
		{ {1}, {}, {1}, {G}, WON },
		{ {1, 2, 3}, {}, {1, 2, 3}, {G, O, O}, PEND },
		{ {1, 2, 3}, {}, {1, 2, 3}, {G, G, O}, WON },
		{ {1, 2, 3}, {}, {1, 2, 3}, {G, R, O}, PEND },
		{ {1, 2, 3}, {}, {1, 2, 3}, {G, R, R}, LOST },
		/* lost only once a majority rejected, as the core always did */
		{ {1, 2, 3, 4}, {}, {1, 2, 3, 4}, {G, R, R, O}, PEND },
		{ {1, 2, 3, 4}, {}, {1, 2, 3, 4}, {G, R, R, R}, LOST },
		{ {1, 2, 3, 4}, {}, {1, 2, 3, 4}, {G, G, O, R}, PEND },
		{ {1, 2, 3, 4}, {}, {1, 2, 3, 4}, {G, G, G, R}, WON },
		{ {1, 2, 3, 4, 5}, {}, {1, 2, 3, 4, 5}, {G, G, G, R, R}, WON },
		/* a grant from a node that is no voter is worth nothing */
		{ {1, 2, 3}, {}, {1, 7, 8}, {G, G, G}, PEND },
		/* joint: won in both, lost in either */
		{ {1, 2, 3}, {3, 4, 5}, {1, 2, 3, 4, 5}, {G, G, G, O, O}, PEND },
		{ {1, 2, 3}, {3, 4, 5}, {1, 2, 3, 4, 5}, {G, G, G, G, O}, WON },
		{ {1, 2, 3}, {3, 4, 5}, {1, 2, 3, 4, 5}, {G, G, R, R, O}, LOST },
		{ {1, 2, 3}, {4, 5, 6}, {1, 2, 3, 4, 5, 6},
		  {R, R, O, G, G, G}, LOST },
		{ {}, {}, {1}, {O}, WON },
	};
	struct raft_quorum_config c;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		config(&c, t[i].old, t[i].new);
		check(raft_quorum_vote(&c, t[i].ids, t[i].vote,
				       count(t[i].ids)) == t[i].want,
		      "vote result", (int)i);
	}
}

static void test_active(void)
{
	static const struct {
		u32 old[N], new[N];
		u32 ids[N];
		bool active[N];
		bool want;
	} t[] = {
		{ {1}, {}, {1}, {true}, true },
		{ {1, 2, 3}, {}, {1, 2, 3}, {true, false, false}, false },
		{ {1, 2, 3}, {}, {1, 2, 3}, {true, false, true}, true },
		{ {1, 2, 3, 4}, {}, {1, 2, 3, 4}, {true, true, false, false},
		  false },
		{ {1, 2, 3, 4}, {}, {1, 2, 3, 4}, {true, true, true, false},
		  true },
		{ {1, 2, 3}, {4, 5, 6}, {1, 2, 3, 4, 5, 6},
		  {true, true, true, false, false, false}, false },
		{ {1, 2, 3}, {3, 4, 5}, {1, 2, 3, 4, 5},
		  {true, false, true, true, false}, true },
	};
	struct raft_quorum_config c;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(t); i++) {
		config(&c, t[i].old, t[i].new);
		check(raft_quorum_active(&c, t[i].ids, t[i].active,
					 count(t[i].ids)) == t[i].want,
		      "quorum contact", (int)i);
	}
}

/* The definition, counted the slow way: the highest index a majority holds. */
static u64 slow_index(const u64 *index, u32 n)
{
	u64 best = 0, x;
	u32 i, have;

	for (x = 0; x <= 3; x++) {
		for (i = 0, have = 0; i < n; i++)
			have += index[i] >= x;
		if (have >= n / 2 + 1)
			best = x;
	}
	return best;
}

static void test_every_plain(void)
{
	u32 ids[N] = {1, 2, 3, 4, 5};
	struct raft_quorum_config c;
	u64 index[N];
	u32 n, k, i, row = 0, bad = 0;

	for (n = 1; n <= 5; n++) {
		raft_quorum_single(&c, ids, n);
		for (k = 0; k < 1u << (2 * n); k++) {
			for (i = 0; i < n; i++)
				index[i] = (k >> (2 * i)) & 3;
			bad += raft_quorum_index(&c, ids, index, n) !=
			       slow_index(index, n);
			row++;
		}
	}
	check(bad == 0, "every plain configuration", (int)bad);
	printf("every plain configuration: %u cases\n", row);
}

int main(void)
{
	test_index();
	test_vote();
	test_active();
	test_every_plain();
	printf("quorum: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
