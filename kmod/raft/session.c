// SPDX-License-Identifier: GPL-2.0
/*
 * The session table: see session.h for what it promises. Sessions sit in a
 * fixed array, found through an open-addressing hash of their id and kept
 * on a list ordered by when they last gained an entry, so recording an
 * entry is O(1) and forgetting the oldest session too.
 */
#include "raft.h"
#include "session.h"

#define NONE		0xffffU
#define HASH_BITS	11
#define HASH_SIZE	2048U		/* 1 << HASH_BITS: twice the sessions */

static u32 slot_of(u64 id)
{
	return (u32)((id * 0x9e3779b97f4a7c15ULL) >> (64 - HASH_BITS));
}

int raft_sessions_init(struct raft_sessions *t)
{
	u32 i;

	memset(t, 0, sizeof(*t));
	t->s = raft_alloc(RAFT_MAX_SESSIONS * sizeof(*t->s));
	t->hash = raft_alloc(HASH_SIZE * sizeof(*t->hash));
	t->free = raft_alloc(RAFT_MAX_SESSIONS * sizeof(*t->free));
	if (!t->s || !t->hash || !t->free) {
		raft_sessions_free(t);
		return RAFT_ENOMEM;
	}
	memset(t->s, 0, RAFT_MAX_SESSIONS * sizeof(*t->s));
	for (i = 0; i < HASH_SIZE; i++)
		t->hash[i] = NONE;
	for (i = 0; i < RAFT_MAX_SESSIONS; i++)
		t->free[i] = (u16)(RAFT_MAX_SESSIONS - 1 - i);
	t->n_free = RAFT_MAX_SESSIONS;
	t->lru_head = NONE;
	t->lru_tail = NONE;
	return RAFT_OK;
}

void raft_sessions_free(struct raft_sessions *t)
{
	raft_free(t->s);
	raft_free(t->hash);
	raft_free(t->free);
	memset(t, 0, sizeof(*t));
}

/* The hash slot holding @id, or the empty one where it would go. */
static u32 probe(const struct raft_sessions *t, u64 id)
{
	u32 h = slot_of(id);

	while (t->hash[h] != NONE && t->s[t->hash[h]].id != id)
		h = (h + 1) & (HASH_SIZE - 1);
	return h;
}

static struct raft_session *find(const struct raft_sessions *t, u64 id)
{
	u32 h = probe(t, id);

	return t->hash[h] == NONE ? NULL : &t->s[t->hash[h]];
}

static u16 idx_of(const struct raft_sessions *t, const struct raft_session *s)
{
	return (u16)(s - t->s);
}

static void lru_unlink(struct raft_sessions *t, struct raft_session *s)
{
	if (s->prev != NONE)
		t->s[s->prev].next = s->next;
	else
		t->lru_head = s->next;
	if (s->next != NONE)
		t->s[s->next].prev = s->prev;
	else
		t->lru_tail = s->prev;
}

static void lru_append(struct raft_sessions *t, struct raft_session *s)
{
	u16 i = idx_of(t, s);

	s->next = NONE;
	s->prev = t->lru_tail;
	if (t->lru_tail != NONE)
		t->s[t->lru_tail].next = i;
	else
		t->lru_head = i;
	t->lru_tail = i;
}

/* Removes @s from the hash (backward-shift, so no tombstones) and list. */
static void drop(struct raft_sessions *t, struct raft_session *s)
{
	u32 h = probe(t, s->id), j = h;

	for (;;) {
		u32 home;

		j = (j + 1) & (HASH_SIZE - 1);
		if (t->hash[j] == NONE)
			break;
		home = slot_of(t->s[t->hash[j]].id);
		/* move j's entry into the hole unless its home lies in (h, j] */
		if (((j - home) & (HASH_SIZE - 1)) >= ((j - h) & (HASH_SIZE - 1))) {
			t->hash[h] = t->hash[j];
			h = j;
		}
	}
	t->hash[h] = NONE;
	lru_unlink(t, s);
	s->id = 0;
	t->free[t->n_free++] = idx_of(t, s);
}

/* Forgets the session whose last entry is oldest; others may now be STALE. */
static void forget_oldest(struct raft_sessions *t)
{
	struct raft_session *s = &t->s[t->lru_head];

	if (s->last_index > t->horizon)
		t->horizon = s->last_index;
	drop(t, s);
}

static struct raft_session *create(struct raft_sessions *t, u64 id)
{
	struct raft_session *s;

	if (!t->n_free)
		forget_oldest(t);
	s = &t->s[t->free[--t->n_free]];
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->born = t->horizon;
	t->hash[probe(t, id)] = idx_of(t, s);
	lru_append(t, s);
	return s;
}

enum raft_sess_verdict raft_sessions_lookup(const struct raft_sessions *t,
					    u64 session, u64 seq, u64 start,
					    u64 *index)
{
	const struct raft_session *s = find(t, session);
	u32 i;

	if (!s)
		return t->horizon > start ? RAFT_SESS_STALE : RAFT_SESS_NEW;
	if (seq <= s->floor)
		return RAFT_SESS_STALE;
	for (i = 0; i < s->n; i++) {
		if (s->slot[i].seq == seq) {
			*index = s->slot[i].index;
			return RAFT_SESS_DUP;
		}
	}
	/* a session forgotten before we met it again may hold it from then */
	return s->born > start ? RAFT_SESS_STALE : RAFT_SESS_NEW;
}

void raft_sessions_record(struct raft_sessions *t, u64 session, u64 seq,
			  u64 index)
{
	struct raft_session *s = find(t, session);
	u32 i, low = 0;

	if (!s)
		s = create(t, session);
	if (seq <= s->floor) {
		/* a leader would not send it; it is the newest entry all the same */
		s->last_index = index;
		lru_unlink(t, s);
		lru_append(t, s);
		return;
	}
	if (s->n == RAFT_SESSION_WINDOW) {
		for (i = 1; i < s->n; i++)
			if (s->slot[i].seq < s->slot[low].seq)
				low = i;
		if (seq < s->slot[low].seq) {
			s->floor = seq;	/* older than all we keep */
			goto touched;
		}
		s->floor = s->slot[low].seq > s->floor ? s->slot[low].seq :
							 s->floor;
		s->slot[low] = s->slot[--s->n];
	}
	s->slot[s->n].seq = seq;
	s->slot[s->n].index = index;
	s->n++;
touched:
	s->last_index = index;
	lru_unlink(t, s);
	lru_append(t, s);
}

/* Cuts @s's slots at @from; false when nothing of it is left to keep. */
static bool cut(struct raft_session *s, u64 from)
{
	u64 last = 0;
	u32 i = 0;

	while (i < s->n) {
		if (s->slot[i].index >= from) {
			s->slot[i] = s->slot[--s->n];
			continue;
		}
		if (s->slot[i].index > last)
			last = s->slot[i].index;
		i++;
	}
	if (s->n)
		s->last_index = last;
	else if (s->last_index >= from)
		s->last_index = from - 1;
	return s->n || s->floor;
}

void raft_sessions_truncate(struct raft_sessions *t, u64 from)
{
	u16 i = t->lru_head;

	while (i != NONE) {
		struct raft_session *s = &t->s[i];

		i = s->next;
		if (s->last_index >= from && !cut(s, from))
			drop(t, s);
	}
}
