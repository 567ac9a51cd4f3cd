// SPDX-License-Identifier: GPL-2.0
/*
 * Majority arithmetic, and nothing else: no node, no log, no clock. Every
 * decision the core takes by counting (what is committed, who won an
 * election, whether a leader still reaches a quorum) is asked here, of a
 * configuration given as up to two sets of voters. A joint configuration
 * (old and new voters during a membership change) decides only what a
 * majority of each set decides; a set left empty agrees with anything,
 * so a plain configuration is a joint one whose second set is empty.
 *
 * A majority of n voters is n / 2 + 1 of them.
 */
#include "raft_int.h"

/* Where @id is in @ids, or @n when it is not there. */
static u32 find(const u32 *ids, u32 n, u32 id)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			break;
	return i;
}

static u32 majority_size(const struct raft_majority *m)
{
	return m->n / 2 + 1;
}

/*
 * The highest index a majority of @m acknowledged: sort the voters'
 * indexes descending and take the one the majority-th voter holds.
 */
static u64 majority_index(const struct raft_majority *m, const u32 *ids,
			  const u64 *index, u32 n)
{
	u64 v[RAFT_MAX_NODES];
	u32 i, j, k;

	if (!m->n)
		return (u64)-1;	/* no voters: no limit from this set */
	for (i = 0; i < m->n; i++) {
		k = find(ids, n, m->ids[i]);
		v[i] = k < n ? index[k] : 0;
	}
	for (i = 1; i < m->n; i++)
		for (j = i; j > 0 && v[j] > v[j - 1]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[majority_size(m) - 1];
}

static u32 majority_count(const struct raft_majority *m, const u32 *ids,
			  const enum raft_vote *vote, u32 n,
			  enum raft_vote want)
{
	u32 i, k, c = 0;

	for (i = 0; i < m->n; i++) {
		k = find(ids, n, m->ids[i]);
		c += k < n && vote[k] == want;
	}
	return c;
}

/*
 * An election is won once a majority granted, lost once a majority
 * rejected; until then it is pending. No voters: won.
 */
static enum raft_vote_result majority_vote(const struct raft_majority *m,
					   const u32 *ids,
					   const enum raft_vote *vote, u32 n)
{
	if (!m->n)
		return RAFT_VOTE_WON;
	if (majority_count(m, ids, vote, n, RAFT_VOTE_GRANTED) >=
	    majority_size(m))
		return RAFT_VOTE_WON;
	if (majority_count(m, ids, vote, n, RAFT_VOTE_REJECTED) >=
	    majority_size(m))
		return RAFT_VOTE_LOST;
	return RAFT_VOTE_PENDING;
}

u64 raft_quorum_index(const struct raft_quorum_config *c, const u32 *ids,
		      const u64 *index, u32 n)
{
	u64 a = majority_index(&c->voters[0], ids, index, n);
	u64 b = majority_index(&c->voters[1], ids, index, n);
	u64 v = a < b ? a : b;

	return v == (u64)-1 ? 0 : v;	/* no voters at all: nothing */
}

enum raft_vote_result raft_quorum_vote(const struct raft_quorum_config *c,
				       const u32 *ids,
				       const enum raft_vote *vote, u32 n)
{
	enum raft_vote_result a = majority_vote(&c->voters[0], ids, vote, n);
	enum raft_vote_result b = majority_vote(&c->voters[1], ids, vote, n);

	if (a == RAFT_VOTE_WON && b == RAFT_VOTE_WON)
		return RAFT_VOTE_WON;
	if (a == RAFT_VOTE_LOST || b == RAFT_VOTE_LOST)
		return RAFT_VOTE_LOST;
	return RAFT_VOTE_PENDING;
}

/* Contact is a vote that cannot be rejected: granted by being heard. */
bool raft_quorum_active(const struct raft_quorum_config *c, const u32 *ids,
			const bool *active, u32 n)
{
	enum raft_vote v[RAFT_MAX_IDS];
	u32 i;

	if (n > RAFT_MAX_IDS)
		n = RAFT_MAX_IDS;
	for (i = 0; i < n; i++)
		v[i] = active[i] ? RAFT_VOTE_GRANTED : RAFT_VOTE_NONE;
	return raft_quorum_vote(c, ids, v, n) == RAFT_VOTE_WON;
}

/* A plain configuration of @n voters: the second set stays empty. */
void raft_quorum_single(struct raft_quorum_config *c, const u32 *nodes,
			u32 n)
{
	memset(c, 0, sizeof(*c));
	if (n > RAFT_MAX_NODES)
		n = RAFT_MAX_NODES;
	c->voters[0].n = n;
	memcpy(c->voters[0].ids, nodes, n * sizeof(*nodes));
}
