// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for the Raft core's session table (kmod/raft/session.c) on
 * its own: which (session, seq) pairs a log holds, bounded per session by
 * a window of seqs and in all by a number of sessions. What it promises
 * (session.h): DUP answers carry the pair's index, NEW is always right
 * (the pair is nowhere in the log), and whatever was forgotten is STALE:
 * seqs at or below a session's floor, and unknown sessions whose writer
 * cannot vouch that it began after the horizon.
 */
#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "raft/raft.h"
#include "raft/session.h"

#define W		RAFT_SESSION_WINDOW
#define MAXS		RAFT_MAX_SESSIONS

static struct raft_sessions *tab(struct kunit *test)
{
	return test->priv;
}

static int sess_test_init(struct kunit *test)
{
	struct raft_sessions *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	if (!t || raft_sessions_init(t))
		return -ENOMEM;
	test->priv = t;
	return 0;
}

static void sess_test_exit(struct kunit *test)
{
	if (test->priv)
		raft_sessions_free(test->priv);
}

static void rec(struct kunit *test, u64 session, u64 seq, u64 index)
{
	raft_sessions_record(tab(test), session, seq, index);
}

static enum raft_sess_verdict look(struct kunit *test, u64 session, u64 seq,
				   u64 start, u64 *index)
{
	u64 at = 0;
	enum raft_sess_verdict v;

	v = raft_sessions_lookup(tab(test), session, seq, start, &at);
	if (index)
		*index = v == RAFT_SESS_DUP ? at : 0;
	return v;
}

/* Expects @want for the lookup and, for DUP, the pair at @index. */
static void expect(struct kunit *test, u64 session, u64 seq, u64 start,
		   enum raft_sess_verdict want, u64 index)
{
	enum raft_sess_verdict v;
	u64 at;

	v = look(test, session, seq, start, &at);
	KUNIT_EXPECT_EQ_MSG(test, v, want, "session %llx seq %llu start %llu",
			    session, seq, start);
	if (v == RAFT_SESS_DUP && want == RAFT_SESS_DUP)
		KUNIT_EXPECT_EQ_MSG(test, at, index, "session %llx seq %llu",
				    session, seq);
}

/* --- lookups ------------------------------------------------------------ */

static void sess_empty_table(struct kunit *test)
{
	static const u64 ids[] = { 1, 2, 0x8000000000000000ULL, U64_MAX };
	u32 i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		expect(test, ids[i], 1, 0, RAFT_SESS_NEW, 0);
		expect(test, ids[i], RAFT_TERM_LIMIT - 1, 0, RAFT_SESS_NEW, 0);
		expect(test, ids[i], 1, 1000, RAFT_SESS_NEW, 0);
	}
	KUNIT_EXPECT_EQ(test, tab(test)->horizon, 0ULL);
}

#define SA	0xaULL
#define SB	U64_MAX
#define SC	0x10000000000ULL

struct lookup_case {
	const char *name;
	u64 session;
	u64 seq;
	u64 start;
	enum raft_sess_verdict verdict;
	u64 index;
};

/* The log: (SA, 1..3) at 10..12, then (SB, 7) at 13 and (SB, 9) at 14. */
static const struct lookup_case lookup_cases[] = {
	{ "dup_first", SA, 1, 0, RAFT_SESS_DUP, 10 },
	{ "dup_middle", SA, 2, 0, RAFT_SESS_DUP, 11 },
	{ "dup_last", SA, 3, 0, RAFT_SESS_DUP, 12 },
	{ "dup_whatever_start", SA, 2, 1000, RAFT_SESS_DUP, 11 },
	{ "new_next_seq", SA, 4, 0, RAFT_SESS_NEW, 0 },
	{ "new_far_seq", SA, 1000, 0, RAFT_SESS_NEW, 0 },
	{ "other_session_dup", SB, 7, 0, RAFT_SESS_DUP, 13 },
	{ "other_session_later_dup", SB, 9, 0, RAFT_SESS_DUP, 14 },
	{ "gap_between_seqs", SB, 8, 0, RAFT_SESS_NEW, 0 },
	{ "below_first_seq", SB, 1, 0, RAFT_SESS_NEW, 0 },
	{ "seq_of_other_session", SB, 3, 0, RAFT_SESS_NEW, 0 },
	{ "unknown_session", SC, 1, 0, RAFT_SESS_NEW, 0 },
	{ "unknown_session_start", SC, 7, 99, RAFT_SESS_NEW, 0 },
};

static void lookup_desc(const struct lookup_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(lookup, lookup_cases, lookup_desc);

static void sess_lookup(struct kunit *test)
{
	const struct lookup_case *c = test->param_value;

	rec(test, SA, 1, 10);
	rec(test, SA, 2, 11);
	rec(test, SA, 3, 12);
	rec(test, SB, 7, 13);
	rec(test, SB, 9, 14);
	expect(test, c->session, c->seq, c->start, c->verdict, c->index);
}

/* --- the window of one session ---------------------------------------- */

enum win_order {
	WIN_UP,		/* 1, 2, .., n */
	WIN_DOWN,	/* n, .., 1 */
	WIN_PAIRS,	/* 2, 1, 4, 3, .. */
	WIN_STRIDE,	/* 7i mod n + 1: all of 1..n, scattered */
	WIN_THIRDS,	/* 3, 6, 9, .. */
	WIN_LATE_OLD,	/* 10 .. 10 + W - 1, then 5, then 3 */
};

struct win_case {
	const char *name;
	enum win_order order;
	u32 n;		/* writes */
	u64 floor;	/* every seq at or below it must be STALE */
};

/*
 * The table keeps the W highest seqs written; the floor is the highest of
 * the others, so everything above it that was written is DUP, everything
 * above it that was not is NEW.
 */
static const struct win_case win_cases[] = {
	{ "under_window", WIN_UP, W - 1, 0 },
	{ "full_window", WIN_UP, W, 0 },
	{ "one_over", WIN_UP, W + 1, 1 },
	{ "three_windows", WIN_UP, 3 * W, 2 * W },
	{ "descending", WIN_DOWN, W + 8, 8 },
	{ "pairs_swapped", WIN_PAIRS, 2 * W, W },
	{ "scattered", WIN_STRIDE, 2 * W + 1, W + 1 },
	{ "gaps", WIN_THIRDS, W + 4, 12 },
	{ "older_than_all_kept", WIN_LATE_OLD, W + 2, 5 },
};

static void win_desc(const struct win_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(win, win_cases, win_desc);

static u64 win_seq(const struct win_case *c, u32 i)
{
	switch (c->order) {
	case WIN_UP:
		return i + 1;
	case WIN_DOWN:
		return c->n - i;
	case WIN_PAIRS:
		return (i ^ 1) + 1;
	case WIN_STRIDE:
		return 7ULL * i % c->n + 1;
	case WIN_THIRDS:
		return 3ULL * (i + 1);
	case WIN_LATE_OLD:
		return i < W ? 10 + i : i == W ? 5 : 3;
	}
	return 0;
}

static void sess_window(struct kunit *test)
{
	const struct win_case *c = test->param_value;
	u64 top = 0, seq, at;
	u32 i, dups = 0, above = 0;

	for (i = 0; i < c->n; i++) {
		rec(test, SA, win_seq(c, i), 100 + i);
		if (win_seq(c, i) > top)
			top = win_seq(c, i);
	}
	for (seq = 1; seq <= top + 3; seq++) {
		enum raft_sess_verdict want = RAFT_SESS_NEW;

		at = 0;
		for (i = 0; i < c->n; i++)
			if (win_seq(c, i) == seq)
				at = 100 + i;
		if (seq <= c->floor)
			want = RAFT_SESS_STALE;
		else if (at)
			want = RAFT_SESS_DUP;
		above += seq > c->floor && at;
		dups += look(test, SA, seq, 0, NULL) == RAFT_SESS_DUP;
		expect(test, SA, seq, 0, want, at);
	}
	KUNIT_EXPECT_EQ(test, dups, above);
	KUNIT_EXPECT_EQ(test, dups, min_t(u32, c->n, W));
	/* one session's window says nothing about another's */
	expect(test, SB, 1, 0, RAFT_SESS_NEW, 0);
}

/* A write at or below the floor changes nothing that is kept. */
static void sess_write_below_floor(struct kunit *test)
{
	u64 seq;

	for (seq = 1; seq <= W + 4; seq++)
		rec(test, SA, seq, seq);
	rec(test, SA, 2, W + 5);
	rec(test, SA, 4, W + 6);
	for (seq = 1; seq <= 4; seq++)
		expect(test, SA, seq, 0, RAFT_SESS_STALE, 0);
	for (seq = 5; seq <= W + 4; seq++)
		expect(test, SA, seq, 0, RAFT_SESS_DUP, seq);
	expect(test, SA, W + 5, 0, RAFT_SESS_NEW, 0);
}

/* --- truncation -------------------------------------------------------- */

/*
 * The log of the truncation cases, in index order: (SA, 1..5) at 1..5,
 * (SB, 1..3) at 6..8, (SC, 1..W + 2) at 9..W + 10 (its window forgot
 * seqs 1 and 2: floor 2), and (SA, 6..7) at W + 11..W + 12.
 */
#define TR_N		(5 + 3 + W + 2 + 2)

struct tr_rec {
	u64 session;
	u64 seq;
};

static struct tr_rec tr_rec_at(u64 index)
{
	struct tr_rec r;

	if (index <= 5) {
		r.session = SA;
		r.seq = index;
	} else if (index <= 8) {
		r.session = SB;
		r.seq = index - 5;
	} else if (index <= W + 10) {
		r.session = SC;
		r.seq = index - 8;
	} else {
		r.session = SA;
		r.seq = index - W - 5;
	}
	return r;
}

static u64 tr_floor(u64 session)
{
	return session == SC ? 2 : 0;
}

struct tr_case {
	const char *name;
	u64 from;	/* the log loses every entry from here on */
};

static const struct tr_case tr_cases[] = {
	{ "past_the_end", TR_N + 1 },
	{ "last_entry", TR_N },
	{ "tail_of_a", W + 11 },
	{ "inside_c", 20 },
	{ "all_of_c_floor_kept", 9 },
	{ "b_and_later", 6 },
	{ "inside_a", 3 },
	{ "everything", 1 },
};

static void tr_desc(const struct tr_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(tr, tr_cases, tr_desc);

/*
 * Every seq of every session against the log 1..@from - 1 followed by
 * the cut part again at @shift more: STALE at or below the floor, else
 * DUP where the log has it, else NEW. With @shift 0, nothing grew back.
 */
static void tr_check(struct kunit *test, u64 from, u64 shift, bool grown)
{
	static const u64 ids[] = { SA, SB, SC };
	u64 seq, index;
	u32 i;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		for (seq = 1; seq <= W + 4; seq++) {
			enum raft_sess_verdict want = RAFT_SESS_NEW;
			u64 at = 0;

			for (index = 1; index <= TR_N; index++) {
				struct tr_rec r = tr_rec_at(index);

				if (r.session != ids[i] || r.seq != seq)
					continue;
				if (index < from)
					at = index;
				else if (grown)
					at = index + shift;
			}
			if (seq <= tr_floor(ids[i]))
				want = RAFT_SESS_STALE;
			else if (at)
				want = RAFT_SESS_DUP;
			expect(test, ids[i], seq, 0, want, at);
		}
	}
}

static void sess_truncate(struct kunit *test)
{
	const struct tr_case *c = test->param_value;
	u64 index;

	for (index = 1; index <= TR_N; index++) {
		struct tr_rec r = tr_rec_at(index);

		rec(test, r.session, r.seq, index);
	}
	tr_check(test, TR_N + 1, 0, false);
	raft_sessions_truncate(tab(test), c->from);
	tr_check(test, c->from, 0, false);
	/* a new leader's log brings the same writes back, further on */
	for (index = c->from; index <= TR_N; index++) {
		struct tr_rec r = tr_rec_at(index);

		rec(test, r.session, r.seq, index + 7);
	}
	tr_check(test, c->from, 7, true);
	KUNIT_EXPECT_EQ(test, tab(test)->horizon, 0ULL);
}

/*
 * A session with nothing left after a cut is removed: its place is free,
 * so a full table takes one more session without forgetting another.
 */
static void sess_truncate_frees_sessions(struct kunit *test)
{
	u64 i;

	for (i = 0; i < MAXS; i++)
		rec(test, 0x1000 + i, 1, i + 1);
	raft_sessions_truncate(tab(test), MAXS);
	expect(test, 0x1000 + MAXS - 1, 1, 0, RAFT_SESS_NEW, 0);
	expect(test, 0x1000 + MAXS - 2, 1, 0, RAFT_SESS_DUP, MAXS - 1);
	rec(test, 0x9000, 1, MAXS);
	expect(test, 0x9000, 1, 0, RAFT_SESS_DUP, MAXS);
	expect(test, 0x1000, 1, 0, RAFT_SESS_DUP, 1);
	KUNIT_EXPECT_EQ(test, tab(test)->horizon, 0ULL);
	expect(test, 0x9999, 1, 0, RAFT_SESS_NEW, 0);
	/* now it is full: the next one forgets the oldest */
	rec(test, 0x9001, 1, MAXS + 1);
	expect(test, 0x1000, 1, 0, RAFT_SESS_STALE, 0);
	expect(test, 0x1001, 1, 0, RAFT_SESS_DUP, 2);
	expect(test, 0x9999, 1, 0, RAFT_SESS_STALE, 0);
	expect(test, 0x9999, 1, 1, RAFT_SESS_NEW, 0);
}

/*
 * A cut lowers a session's last write to what is left of it, so that
 * forgetting the session later raises the horizon no higher than needed:
 * a writer that began after the entries left is not refused.
 */
static void sess_truncate_lowers_last_write(struct kunit *test)
{
	u64 i;

	rec(test, SA, 1, 1);
	rec(test, SA, 2, 3);	/* 2 is a no-op: no session's */
	raft_sessions_truncate(tab(test), 3);
	expect(test, SA, 1, 0, RAFT_SESS_DUP, 1);
	expect(test, SA, 2, 0, RAFT_SESS_NEW, 0);
	for (i = 0; i < MAXS; i++)	/* the last one forgets SA */
		rec(test, 0x1000 + i, 1, i + 3);
	KUNIT_EXPECT_EQ(test, tab(test)->horizon, 1ULL);
	expect(test, SA, 1, 0, RAFT_SESS_STALE, 0);
	expect(test, 0x9999, 1, 0, RAFT_SESS_STALE, 0);
	expect(test, 0x9999, 1, 1, RAFT_SESS_NEW, 0);
	expect(test, 0x1000, 1, 0, RAFT_SESS_DUP, 3);
}

/* --- eviction and the horizon ------------------------------------------ */

#define EV(i)	(0xe0000ULL + (i))

/*
 * Over RAFT_MAX_SESSIONS, the session whose last write is oldest goes
 * first, not the one that came first; what goes is STALE from then on.
 */
static void sess_evict_least_recently_written(struct kunit *test)
{
	u64 i;

	for (i = 1; i <= MAXS; i++)
		rec(test, EV(i), 1, i);
	rec(test, EV(1), 2, MAXS + 1);	/* the first writes again */
	rec(test, EV(3), 2, MAXS + 2);
	KUNIT_EXPECT_EQ(test, tab(test)->horizon, 0ULL);
	rec(test, EV(MAXS + 1), 1, MAXS + 3);	/* forgets EV(2) */
	rec(test, EV(MAXS + 2), 1, MAXS + 4);	/* EV(4) */
	rec(test, EV(MAXS + 3), 1, MAXS + 5);	/* EV(5) */
	KUNIT_EXPECT_EQ(test, tab(test)->horizon, 5ULL);
	expect(test, EV(1), 1, 0, RAFT_SESS_DUP, 1);
	expect(test, EV(1), 2, 0, RAFT_SESS_DUP, MAXS + 1);
	expect(test, EV(3), 1, 0, RAFT_SESS_DUP, 3);
	expect(test, EV(3), 2, 0, RAFT_SESS_DUP, MAXS + 2);
	expect(test, EV(2), 1, 0, RAFT_SESS_STALE, 0);
	expect(test, EV(4), 1, 3, RAFT_SESS_STALE, 0);
	expect(test, EV(5), 1, 4, RAFT_SESS_STALE, 0);
	for (i = 6; i <= MAXS + 3; i++)
		expect(test, EV(i), 1, 0, RAFT_SESS_DUP,
		       i <= MAXS ? i : i + 2);
}

enum hz_who {
	HZ_UNKNOWN,	/* never written */
	HZ_EVICTED,	/* written at 20, then forgotten */
	HZ_KEPT,	/* written at 30 and kept */
};

struct hz_case {
	const char *name;
	enum hz_who who;
	u64 seq;
	u64 start;
	enum raft_sess_verdict verdict;
};

/*
 * Sessions written at 10, 20, 30, ..; the first two forgotten: the
 * horizon is 20. A writer's start is an index below all its entries.
 */
static const struct hz_case hz_cases[] = {
	{ "unknown_start_0", HZ_UNKNOWN, 1, 0, RAFT_SESS_STALE },
	{ "unknown_below", HZ_UNKNOWN, 1, 19, RAFT_SESS_STALE },
	{ "unknown_at", HZ_UNKNOWN, 1, 20, RAFT_SESS_NEW },
	{ "unknown_above", HZ_UNKNOWN, 1, 21, RAFT_SESS_NEW },
	{ "unknown_far_above", HZ_UNKNOWN, 5, 1ULL << 40, RAFT_SESS_NEW },
	{ "evicted_start_0", HZ_EVICTED, 1, 0, RAFT_SESS_STALE },
	{ "evicted_true_start", HZ_EVICTED, 1, 19, RAFT_SESS_STALE },
	{ "evicted_next_seq", HZ_EVICTED, 2, 19, RAFT_SESS_STALE },
	{ "kept_start_0", HZ_KEPT, 1, 0, RAFT_SESS_DUP },
	{ "kept_next_seq_start_0", HZ_KEPT, 2, 0, RAFT_SESS_NEW },
};

static void hz_desc(const struct hz_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(hz, hz_cases, hz_desc);

static void sess_horizon(struct kunit *test)
{
	static const u64 id[] = { 0x7777, EV(2), EV(3) };
	const struct hz_case *c = test->param_value;
	u64 i;

	for (i = 1; i <= MAXS + 2; i++)
		rec(test, EV(i), 1, 10 * i);
	KUNIT_ASSERT_EQ(test, tab(test)->horizon, 20ULL);
	expect(test, id[c->who], c->seq, c->start, c->verdict, 30);
	/* forgetting never lowers it */
	raft_sessions_truncate(tab(test), 15);
	KUNIT_EXPECT_EQ(test, tab(test)->horizon, 20ULL);
	expect(test, 0x7777, 1, 19, RAFT_SESS_STALE, 0);
}

/* --- many sessions ------------------------------------------------------ */

struct many_case {
	const char *name;
	u32 n;		/* sessions written */
	u32 homes;	/* hash slots their ids start from (0: any) */
	bool wrap;	/* those slots straddle the end of the hash array */
	u32 touch;	/* every @touch-th write is an old session's again */
};

static const struct many_case many_cases[] = {
	{ "spread", 5000, 0, false, 3 },
	{ "spread_arrival_order", 5000, 0, false, 0 },
	{ "crowded_band_wrapping", 5000, 64, true, 3 },
	{ "crowded_band", 5000, 64, false, 4 },
	{ "four_homes", 3000, 4, false, 5 },
};

static void many_desc(const struct many_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(many, many_cases, many_desc);

/*
 * A copy of session.c's hash, to pick ids that crowd it (long probe runs,
 * deletions from their middle, across the wrap). Should the table's hash
 * change, the ids merely spread out.
 */
static u32 home_of(u64 id)
{
	return (u32)((id * 0x9e3779b97f4a7c15ULL) >> (64 - 11));
}

static bool id_fits(const struct many_case *c, u64 id)
{
	u32 h = home_of(id);

	if (!c->homes)
		return true;
	if (c->wrap)
		h = (h + c->homes / 2) & 2047;
	return h < c->homes;
}

struct many_model {
	u64 *id;	/* session i */
	u64 *last;	/* index of its last write */
	u64 *seq;	/* its writes */
	u32 *by_write;	/* which session wrote at index k + 1 */
	u32 n;		/* sessions written so far: 0 .. n - 1 */
	u64 index;	/* last index written */
};

static void many_write(struct kunit *test, struct many_model *m, u32 s)
{
	if (s == m->n)
		m->n++;
	m->index++;
	m->seq[s]++;
	m->last[s] = m->index;
	m->by_write[m->index - 1] = s;
	rec(test, m->id[s], m->seq[s], m->index);
}

/* Kept: the RAFT_MAX_SESSIONS sessions written last. */
static void many_kept(struct many_model *m, bool *kept)
{
	u32 k = 0;
	u64 i;

	memset(kept, 0, m->n * sizeof(*kept));
	for (i = m->index; i && k < MAXS; i--) {
		u32 s = m->by_write[i - 1];

		if (m->last[s] == i) {
			kept[s] = true;
			k++;
		}
	}
}

/* Every kept session found with its last write, every other one not. */
static void many_check(struct kunit *test, struct many_model *m, bool *kept)
{
	u64 horizon = 0, at;
	u32 s, n_kept = 0;

	many_kept(m, kept);
	for (s = 0; s < m->n; s++)
		if (!kept[s] && m->last[s] > horizon)
			horizon = m->last[s];
	KUNIT_EXPECT_EQ(test, tab(test)->horizon, horizon);
	for (s = 0; s < m->n; s++) {
		if (kept[s]) {
			n_kept++;
			KUNIT_EXPECT_EQ(test, look(test, m->id[s], m->seq[s], 0,
						   &at), RAFT_SESS_DUP);
			KUNIT_EXPECT_EQ(test, at, m->last[s]);
			continue;
		}
		/* gone: never NEW for what is in the log, and not found */
		KUNIT_EXPECT_EQ(test, look(test, m->id[s], 1, 0, NULL),
				RAFT_SESS_STALE);
		KUNIT_EXPECT_EQ(test, look(test, m->id[s], m->seq[s], horizon,
					   NULL), RAFT_SESS_NEW);
	}
	KUNIT_EXPECT_EQ(test, n_kept, min_t(u32, m->n, MAXS));
}

/*
 * The same, with the forgotten session's seqs out of order: the one it is
 * met again with is below one still in the log, which must not be NEW;
 * yet a brand-new session's seqs, vouched newer than the horizon, are.
 */
static void sess_forgotten_session_met_again_out_of_order(struct kunit *test)
{
	u64 i;

	rec(test, SA, 2, 1);
	rec(test, SA, 3, 2);
	for (i = 0; i < MAXS; i++)	/* the last one forgets SA */
		rec(test, 0x1000 + i, 1, i + 3);
	rec(test, SA, 1, MAXS + 3);	/* met again with its lowest seq */
	KUNIT_EXPECT_NE(test, look(test, SA, 2, 0, NULL), RAFT_SESS_NEW);
	KUNIT_EXPECT_NE(test, look(test, SA, 3, 0, NULL), RAFT_SESS_NEW);
	/* a fresh session whose seq 2 came first: seq 1 is still new */
	rec(test, 0xf00d, 2, MAXS + 4);
	KUNIT_EXPECT_EQ(test, look(test, 0xf00d, 1, MAXS + 3, NULL),
			RAFT_SESS_NEW);
}

/*
 * A session the table forgot, written again (its next seq arrives in a
 * log whose leader still knew it): its older seqs are still in the log,
 * so they must not be NEW.
 */
static void sess_forgotten_session_written_again(struct kunit *test)
{
	u64 i;

	rec(test, SA, 1, 1);
	for (i = 0; i < MAXS; i++)	/* the last one forgets SA */
		rec(test, 0x1000 + i, 1, i + 2);
	expect(test, SA, 1, 0, RAFT_SESS_STALE, 0);
	rec(test, SA, 2, MAXS + 2);
	expect(test, SA, 2, 0, RAFT_SESS_DUP, MAXS + 2);
	/* (SA, 1) is at index 1: NEW would let a leader append it again */
	KUNIT_EXPECT_NE(test, look(test, SA, 1, 0, NULL), RAFT_SESS_NEW);
}

/*
 * Many more sessions than the table holds, with ids that collide: every
 * insertion and eviction moves entries of the hash, and after them all
 * every kept session is still found and no forgotten one is.
 */
static void sess_many_sessions(struct kunit *test)
{
	const struct many_case *c = test->param_value;
	u32 total = 2 * c->n;	/* writes: @touch is 0 or at least 2 */
	struct many_model m = { .n = 0 };
	u32 s = 0, w;
	bool *kept;
	u64 id = 1;

	m.id = kunit_kcalloc(test, c->n, sizeof(*m.id), GFP_KERNEL);
	m.last = kunit_kcalloc(test, c->n, sizeof(*m.last), GFP_KERNEL);
	m.seq = kunit_kcalloc(test, c->n, sizeof(*m.seq), GFP_KERNEL);
	m.by_write = kunit_kcalloc(test, total, sizeof(*m.by_write),
				   GFP_KERNEL);
	kept = kunit_kcalloc(test, c->n, sizeof(*kept), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, m.id);
	KUNIT_ASSERT_NOT_NULL(test, m.last);
	KUNIT_ASSERT_NOT_NULL(test, m.seq);
	KUNIT_ASSERT_NOT_NULL(test, m.by_write);
	KUNIT_ASSERT_NOT_NULL(test, kept);
	for (s = 0; s < c->n; s++) {
		while (!id_fits(c, id))
			id++;
		m.id[s] = id++;
	}
	for (s = 0, w = 0; s < c->n; w++) {
		KUNIT_ASSERT_LT(test, m.index, (u64)total);
		if (c->touch && w % c->touch == c->touch - 1 &&
		    m.index > MAXS) {
			/* a session last written well back, but still kept */
			u64 back = MAXS / 2 + (w * 7919) % (MAXS / 2 - 1);

			many_write(test, &m, m.by_write[m.index - back]);
		} else {
			many_write(test, &m, s++);
		}
		if (m.index % 997 == 0)
			many_check(test, &m, kept);
	}
	many_check(test, &m, kept);
}

static struct kunit_case sess_cases[] = {
	KUNIT_CASE(sess_empty_table),
	KUNIT_CASE_PARAM(sess_lookup, lookup_gen_params),
	KUNIT_CASE_PARAM(sess_window, win_gen_params),
	KUNIT_CASE(sess_write_below_floor),
	KUNIT_CASE_PARAM(sess_truncate, tr_gen_params),
	KUNIT_CASE(sess_truncate_frees_sessions),
	KUNIT_CASE(sess_truncate_lowers_last_write),
	KUNIT_CASE(sess_evict_least_recently_written),
	KUNIT_CASE_PARAM(sess_horizon, hz_gen_params),
	KUNIT_CASE(sess_forgotten_session_written_again),
	KUNIT_CASE(sess_forgotten_session_met_again_out_of_order),
	KUNIT_CASE_PARAM(sess_many_sessions, many_gen_params),
	{}
};

static struct kunit_suite sess_suite = {
	.name = "raftlog_session",
	.init = sess_test_init,
	.exit = sess_test_exit,
	.test_cases = sess_cases,
};

kunit_test_suite(sess_suite);
