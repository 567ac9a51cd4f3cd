// SPDX-License-Identifier: GPL-2.0
/*
 * The log of raftlog's Raft core: entries, their terms, append, truncate,
 * and the hand-over of entries to the caller's storage (raft_release()).
 *
 * The log lives in memory as an array: index i is log[i - offset - 1].
 * Each entry's data is a private copy owned by the core. Entries up to
 * @offset were released to the caller's storage: of those the core keeps
 * only their terms, as runs, and asks the caller to load them when a
 * follower needs them.
 */
#include "raft_int.h"

bool raft_grow(void **arr, u32 *cap, u32 need, size_t size)
{
	u32 ncap;
	void *p;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap * 2 : 16;
	while (ncap < need)
		ncap *= 2;
	p = raft_realloc(*arr, (size_t)*cap * size, (size_t)ncap * size);
	if (!p)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

u64 raft_log_term(const struct raft *r, u64 index)
{
	u32 lo = 0, hi = r->n_runs;

	if (index == 0 || index > r->last)
		return 0;
	if (index > r->offset)
		return raft_log_mem(r, index)->term;
	/* the last run starting at or before @index */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (r->runs[mid].first <= index)
			lo = mid;
		else
			hi = mid;
	}
	return r->runs[lo].term;
}

/* Whether a log ending at (@last_index, @last_term) is at least ours (5.4.1). */
bool raft_log_up_to_date(const struct raft *r, u64 last_index, u64 last_term)
{
	u64 my_term = raft_log_term(r, r->last);

	return last_term > my_term ||
	       (last_term == my_term && last_index >= r->last);
}

static u32 crc_le(u32 crc, u64 v, size_t n)
{
	u8 b[8];
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (u8)(v >> (8 * i));
	return raft_crc32c(crc, b, n);
}

u32 raft_entry_crc(u64 index, const struct raft_entry *e)
{
	u32 crc = ~0U;

	crc = crc_le(crc, index, 8);
	crc = crc_le(crc, e->term, 8);
	crc = crc_le(crc, e->session, 8);
	crc = crc_le(crc, e->seq, 8);
	crc = crc_le(crc, e->len, 4);
	crc = crc_le(crc, e->type, 1);
	if (e->len)
		crc = raft_crc32c(crc, e->data, e->len);
	return ~crc;
}

/* As leader: a new entry of ours, checksummed here once for everyone. */
int raft_log_append_new(struct raft *r, struct raft_entry *e)
{
	e->crc = raft_entry_crc(r->last + 1, e);
	return raft_log_append(r, e);
}

/*
 * A CONFIG entry's content is checked before it enters the log, and takes
 * effect as it does.
 */
int raft_log_append(struct raft *r, const struct raft_entry *src)
{
	bool conf = src->type == RAFT_ENTRY_CONFIG;
	struct raft_membership m;
	u32 len = src->len;
	struct raft_entry *e;
	u8 *copy = NULL;

	if (conf && raft_config_decode(src->data, src->len, &m))
		return RAFT_EINVAL;

	if (r->last - r->offset == r->cap) {
		u64 ncap = r->cap ? r->cap * 2 : 64;
		void *p = raft_realloc(r->log, r->cap * sizeof(*r->log),
				       ncap * sizeof(*r->log));

		if (!p)
			return RAFT_ENOMEM;
		r->log = p;
		r->cap = ncap;
	}
	if (len) {
		copy = raft_alloc(len);
		if (!copy)
			return RAFT_ENOMEM;
		memcpy(copy, src->data, len);
	}
	e = &r->log[r->last++ - r->offset];
	*e = *src;
	e->data = copy;
	r->mem_bytes += len;
	if (e->session)
		raft_sessions_record(&r->sess, e->session, e->seq, r->last);
	if (conf)
		raft_conf_appended(r, &m, r->last, e->term);
	return RAFT_OK;
}

/* Drop entries @from..last; they were never committed. */
void raft_log_truncate(struct raft *r, u64 from)
{
	if (r->last >= from)
		raft_sessions_truncate(&r->sess, from);
	while (r->last >= from && r->last > r->offset) {
		r->mem_bytes -= raft_log_mem(r, r->last)->len;
		raft_free((void *)raft_log_mem(r, r->last)->data);
		r->last--;
	}
	if (r->last >= from) {
		/* released ones too: the caller's storage cuts them with us */
		while (r->n_runs && r->runs[r->n_runs - 1].first >= from)
			r->n_runs--;
		r->offset = from - 1;
		r->last = from - 1;
	}
	if (r->stable > r->last)
		r->stable = r->last;
	if (r->written > r->last)
		r->written = r->last;
	raft_conf_truncated(r, from);
}

/* Where a follower's log could resume matching, for fast backtracking. */
u64 raft_log_conflict_hint(const struct raft *r, u64 index, u64 term)
{
	u64 lo = 0, hi;

	if (index > r->last)
		index = r->last;
	/*
	 * The last entry at or below @index whose term is <= @term: terms
	 * never fall along a log, so a binary search finds it, in time
	 * independent of how far back it lies.
	 */
	hi = index + 1;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (raft_log_term(r, mid) <= term)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Entries from @from that fit one AppendEntries. */
u32 raft_log_batch(const struct raft *r, u64 from)
{
	u64 bytes = 0;
	u32 n = 0;

	while (from + n <= r->last && n < RAFT_MAX_BATCH) {
		bytes += RAFT_ENTRY_OVERHEAD + raft_log_mem(r, from + n)->len;
		if (n && bytes > r->cfg.max_msg_bytes)
			break;
		n++;
	}
	return n;
}

/*
 * Whether the entry at (@index, @term) can never commit: another one
 * committed at its index, or the committed log already passed its term
 * (terms only grow along a log).
 */
bool raft_log_entry_lost(const struct raft *r, u64 index, u64 term)
{
	if (index <= r->commit)
		return raft_log_term(r, index) != term;
	return r->commit && raft_log_term(r, r->commit) > term;
}

const struct raft_entry *raft_entry_at(const struct raft *r, u64 index)
{
	if (index <= r->offset || index > r->last)
		return NULL;
	return raft_log_mem(r, index);
}

/* Never past what is durable, nor under an append queued from memory. */
static u64 release_limit(const struct raft *r, u64 index)
{
	u32 i;

	if (index > r->stable)
		index = r->stable;
	for (i = 0; i < r->n_out; i++) {
		const struct raft_msg *m = &r->out[i];

		if (m->type == RAFT_MSG_APPEND && !m->append.load &&
		    m->append.n_entries && m->append.prev_index < index)
			index = m->append.prev_index;
	}
	return index;
}

void raft_release(struct raft *r, u64 index)
{
	u64 k;

	index = release_limit(r, index);
	if (index <= r->offset)
		return;
	for (k = r->offset + 1; k <= index; k++) {
		struct raft_entry *e = raft_log_mem(r, k);

		if (!r->n_runs || r->runs[r->n_runs - 1].term != e->term) {
			if (!raft_grow((void **)&r->runs, &r->cap_runs,
				       r->n_runs + 1, sizeof(*r->runs))) {
				index = k - 1;	/* keep the rest for later */
				break;
			}
			r->runs[r->n_runs].first = k;
			r->runs[r->n_runs].term = e->term;
			r->n_runs++;
		}
		r->mem_bytes -= e->len;
		raft_free((void *)e->data);
	}
	memmove(r->log, raft_log_mem(r, index + 1),
		(r->last - index) * sizeof(*r->log));
	r->offset = index;
}

int raft_restore_entry(struct raft *r, const struct raft_entry *e)
{
	int err = raft_log_append(r, e);

	if (!err) {
		r->stable = r->last;
		r->written = r->last;
	}
	return err;
}
