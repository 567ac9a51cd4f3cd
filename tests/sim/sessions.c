// SPDX-License-Identifier: GPL-2.0
/*
 * sessions: a seeded model check of the session table (kmod/raft/session.c)
 * against the exact log it describes.
 *
 * Each seed acts as a node over a log it keeps itself: writers propose
 * (session, seq) pairs out of order within their window (to it as leader,
 * or through another leader whose entries it only records), retry old ones
 * (late duplicates, retries after unknown outcomes), the log gains no-ops,
 * loses uncommitted tails (a follower's truncation), and the table is now
 * and then rebuilt from the log (a restart). Some seeds use a handful of
 * sessions with deep windows, others more sessions than RAFT_MAX_SESSIONS,
 * and crowds of one-write sessions come by, so the table must forget.
 * After every lookup:
 *
 *   new-but-present   RAFT_SESS_NEW for a pair that is in the log
 *   dup-wrong-index   RAFT_SESS_DUP at an index that does not hold it
 *   recorded-lost     a pair just recorded is looked up as NEW
 *
 * STALE is always allowed (it only costs the writer a retry); the summary
 * says how often it came.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raft.h"
#include "session.h"

#define W RAFT_SESSION_WINDOW

struct msess {
	u64 id;
	u64 next;		/* next new seq */
	u32 n_out;
	u64 out[W];		/* issued, not in the log */
};

struct slot {
	u64 session, seq;	/* session 0: empty */
	u64 index;		/* 0: not in the log */
	u64 start;		/* the commit seen before its first try */
};

struct model {
	u64 rng;
	u64 n, cap;		/* log length */
	u64 *l_sess, *l_seq;	/* index i at [i] */
	u64 commit;
	struct slot *map;
	u64 map_n, map_cap;
	struct msess *ms;
	u32 n_ms;
	struct raft_sessions t;
	u64 seed;
	u64 step;
	bool failed;
	char why[300];
	u64 s_new, s_dup, s_stale, s_trunc, s_rebuild;
};

static u64 rnd(struct model *m)
{
	u64 z = (m->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u32 below(struct model *m, u32 n)
{
	return n ? (u32)(rnd(m) % n) : 0;
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "sessions: out of memory\n");
		exit(2);
	}
	return p;
}

static void fail(struct model *m, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct model *m, const char *what, const char *fmt, ...)
{
	char d[240];
	va_list ap;

	if (m->failed)
		return;
	m->failed = true;
	va_start(ap, fmt);
	vsnprintf(d, sizeof(d), fmt, ap);
	va_end(ap);
	snprintf(m->why, sizeof(m->why), "%s at step %" PRIu64 ": %s", what,
		 m->step, d);
}

static struct slot *map_slot(struct model *m, u64 session, u64 seq)
{
	u64 h = (session * 0x9e3779b97f4a7c15ULL) ^ (seq * 0xc2b2ae3d27d4eb4fULL);
	u64 i = (h ^ (h >> 31)) & (m->map_cap - 1);

	while (m->map[i].session &&
	       (m->map[i].session != session || m->map[i].seq != seq))
		i = (i + 1) & (m->map_cap - 1);
	return &m->map[i];
}

static struct slot *map_get_slot(struct model *m, u64 session, u64 seq)
{
	struct slot *s;

	if ((m->map_n + 1) * 2 > m->map_cap) {
		struct slot *old = m->map;
		u64 i, cap = m->map_cap;

		m->map_cap = cap ? cap * 2 : 4096;
		m->map = calloc(m->map_cap, sizeof(*m->map));
		if (!m->map)
			exit(2);
		for (i = 0; i < cap; i++)
			if (old[i].session)
				*map_slot(m, old[i].session, old[i].seq) = old[i];
		free(old);
	}
	s = map_slot(m, session, seq);
	if (!s->session) {
		s->session = session;
		s->seq = seq;
		m->map_n++;
	}
	return s;
}

static void map_set(struct model *m, u64 session, u64 seq, u64 index)
{
	map_get_slot(m, session, seq)->index = index;
}

static void log_append(struct model *m, u64 session, u64 seq)
{
	if (m->n + 2 > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->l_sess = xrealloc(m->l_sess, m->cap * 8);
		m->l_seq = xrealloc(m->l_seq, m->cap * 8);
	}
	m->n++;
	m->l_sess[m->n] = session;
	m->l_seq[m->n] = seq;
	if (session) {
		map_set(m, session, seq, m->n);
		raft_sessions_record(&m->t, session, seq, m->n);
	}
}

static struct msess *find_ms(struct model *m, u64 id)
{
	u32 i;

	for (i = 0; i < m->n_ms; i++)
		if (m->ms[i].id == id)
			return &m->ms[i];
	return NULL;
}

/*
 * The leader's decision for one PROPOSE, checked against the log. The
 * writer vouches with the commit it saw before the seq's first try.
 */
static void propose(struct model *m, struct msess *s, u64 seq)
{
	struct slot *sl = map_get_slot(m, s->id, seq);
	u64 at = sl->index, start = sl->start, index = 0;
	enum raft_sess_verdict v;
	u32 i;

	v = raft_sessions_lookup(&m->t, s->id, seq, start, &index);
	switch (v) {
	case RAFT_SESS_NEW:
		m->s_new++;
		if (at) {
			fail(m, "new-but-present",
			     "session %" PRIx64 " seq %" PRIu64 " is at %" PRIu64 " but the table says new",
			     s->id, seq, at);
			return;
		}
		log_append(m, s->id, seq);
		for (i = 0; i < s->n_out; i++)
			if (s->out[i] == seq)
				s->out[i] = s->out[--s->n_out];
		index = 0;
		if (raft_sessions_lookup(&m->t, s->id, seq, start, &index) ==
		    RAFT_SESS_NEW)
			fail(m, "recorded-lost",
			     "session %" PRIx64 " seq %" PRIu64 " recorded at %" PRIu64 " and looked up as new",
			     s->id, seq, m->n);
		break;
	case RAFT_SESS_DUP:
		m->s_dup++;
		if (at != index)
			fail(m, "dup-wrong-index",
			     "session %" PRIx64 " seq %" PRIu64 " said to be at %" PRIu64 ", the log has it at %" PRIu64,
			     s->id, seq, index, at);
		break;
	case RAFT_SESS_STALE:
		m->s_stale++;
		break;
	}
}

/*
 * The pair arrives in another leader's AppendEntries: the table records
 * what that leader appended without being asked (it is nowhere else in
 * the log, or that leader's table was wrong).
 */
static void follow(struct model *m, struct msess *s, u64 seq)
{
	u32 i;

	if (map_get_slot(m, s->id, seq)->index)
		return;
	log_append(m, s->id, seq);
	for (i = 0; i < s->n_out; i++)
		if (s->out[i] == seq)
			s->out[i] = s->out[--s->n_out];
}

static void truncate_tail(struct model *m, u64 from)
{
	u64 i;

	for (i = from; i <= m->n; i++) {
		struct msess *s;

		if (!m->l_sess[i])
			continue;
		map_set(m, m->l_sess[i], m->l_seq[i], 0);
		s = find_ms(m, m->l_sess[i]);
		/* its writer will send it again */
		if (s && s->n_out < W && m->l_seq[i] + W > s->next)
			s->out[s->n_out++] = m->l_seq[i];
	}
	m->n = from - 1;
	raft_sessions_truncate(&m->t, from);
	m->s_trunc++;
}

static void rebuild(struct model *m)
{
	u64 i;

	raft_sessions_free(&m->t);
	if (raft_sessions_init(&m->t)) {
		fprintf(stderr, "sessions: init failed\n");
		exit(2);
	}
	for (i = 1; i <= m->n; i++)
		if (m->l_sess[i])
			raft_sessions_record(&m->t, m->l_sess[i], m->l_seq[i], i);
	m->s_rebuild++;
}

static bool run_seed(struct model *m, u64 seed, u64 steps)
{
	bool many;
	u32 i;

	memset(m, 0, sizeof(*m));
	m->seed = seed;
	m->rng = seed * 0x2545f4914f6cdd1dULL + 7;
	if (raft_sessions_init(&m->t)) {
		fprintf(stderr, "sessions: init failed\n");
		exit(2);
	}
	many = below(m, 3) == 0;
	m->n_ms = many ? RAFT_MAX_SESSIONS + 100 + below(m, 1000) :
			 1 + below(m, 6);
	m->ms = calloc(m->n_ms, sizeof(*m->ms));
	if (!m->ms)
		exit(2);
	for (i = 0; i < m->n_ms; i++) {
		m->ms[i].id = rnd(m) | 1;
		m->ms[i].next = 1 + (below(m, 4) ? 0 : below(m, 1000000));
	}
	for (m->step = 1; m->step <= steps && !m->failed; m->step++) {
		u32 r = below(m, 1000);
		/* with many sessions, half the writes go to a busy few */
		struct msess *s = &m->ms[many && below(m, 2) ?
					 below(m, 1 + m->n_ms / 16) :
					 below(m, m->n_ms)];
		u64 seq, lo;

		if (r < 600) {
			/* a write: a new seq if the window allows, else an outstanding one */
			lo = s->next;
			for (i = 0; i < s->n_out; i++)
				if (s->out[i] < lo)
					lo = s->out[i];
			if (s->n_out < W && s->next - lo < W &&
			    (!s->n_out || below(m, 3))) {
				seq = s->next++;
				s->out[s->n_out++] = seq;
				/* sometimes it cannot vouch (0) */
				map_get_slot(m, s->id, seq)->start =
					below(m, 8) ? m->commit : 0;
				if (below(m, 3) >= (many ? 2 : 1))
					continue;	/* in flight for now */
			} else if (s->n_out) {
				seq = s->out[below(m, s->n_out)];
			} else {
				continue;
			}
			if (below(m, 4))
				propose(m, s, seq);
			else
				follow(m, s, seq);
		} else if (r < 850) {
			/* a late copy or a retry of any seq it ever used */
			if (s->next <= 1)
				continue;
			seq = s->next - 1 - below(m, (u32)(s->next - 1 < 3 * W ?
							    s->next - 1 : 3 * W));
			propose(m, s, seq);
		} else if (r < 900) {
			log_append(m, 0, 0);	/* a new leader's no-op */
		} else if (r < 960) {
			u64 c = m->commit + below(m, 40);

			m->commit = c < m->n ? c : m->n;
		} else if (r < 997) {
			u64 cut = 1 + below(m, 40);

			if (m->n > m->commit + cut)
				truncate_tail(m, m->n - cut + 1);
		} else if (r < 998) {
			/* a crowd of one-write sessions: the table must forget */
			u32 k, crowd = RAFT_MAX_SESSIONS / 2 + below(m, RAFT_MAX_SESSIONS);

			if (below(m, 2))
				continue;
			for (k = 0; k < crowd; k++)
				log_append(m, rnd(m) | 1, 1);
			if (below(m, 4))
				m->commit = m->n;	/* and it commits */
		} else {
			rebuild(m);
		}
	}
	raft_sessions_free(&m->t);
	free(m->ms);
	free(m->map);
	free(m->l_sess);
	free(m->l_seq);
	return !m->failed;
}

static int parse_u64(const char *s, u64 *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct model m;
	u64 lo = 1, hi = 200, steps = 20000, seed, bad = 0, seeds = 0;
	u64 t_new = 0, t_dup = 0, t_stale = 0, t_trunc = 0, t_rebuild = 0;
	int i;

	for (i = 1; i < argc; i++) {
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(argv[i], "--seeds") && val && strstr(val, "..")) {
			char buf[64];
			char *dots;

			snprintf(buf, sizeof(buf), "%s", val);
			dots = strstr(buf, "..");
			*dots = 0;
			if (parse_u64(buf, &lo) || parse_u64(dots + 2, &hi) ||
			    hi < lo)
				goto usage;
			i++;
		} else if (!strcmp(argv[i], "--seed") && val) {
			if (parse_u64(val, &lo))
				goto usage;
			hi = lo;
			i++;
		} else if (!strcmp(argv[i], "--steps") && val) {
			if (parse_u64(val, &steps))
				goto usage;
			i++;
		} else {
			goto usage;
		}
	}
	for (seed = lo; seed <= hi; seed++) {
		seeds++;
		if (!run_seed(&m, seed, steps)) {
			bad++;
			printf("FAIL seed %" PRIu64 " (sessions): %s -- replay: %s --seed %" PRIu64 " --steps %" PRIu64 "\n",
			       seed, m.why, argv[0], seed, steps);
		}
		t_new += m.s_new;
		t_dup += m.s_dup;
		t_stale += m.s_stale;
		t_trunc += m.s_trunc;
		t_rebuild += m.s_rebuild;
	}
	printf("sessions: %" PRIu64 " appended, %" PRIu64 " found, %" PRIu64 " refused as stale, %" PRIu64 " truncations, %" PRIu64 " rebuilds\n",
	       t_new, t_dup, t_stale, t_trunc, t_rebuild);
	printf("simulations: %" PRIu64 " seeds, %" PRIu64 " violations\n",
	       seeds, bad);
	return bad ? 1 : 0;
usage:
	fprintf(stderr,
		"usage: %s [--seeds A..B | --seed S] [--steps N]\n"
		"Model-checks kmod/raft/session.c against the log it describes.\n",
		argv[0]);
	return 2;
}
