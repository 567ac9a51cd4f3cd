// SPDX-License-Identifier: GPL-2.0
/*
 * raftlog's fragments (the layout is in frag.h): splitting an encoded
 * message into datagrams no larger than max_datagram, and putting it back
 * together on the other side in a bounded buffer per sender.
 *
 * The receiver trusts a fragment no more than a datagram: it is
 * authenticated already, but every field is checked against the others
 * and against the message it claims to belong to before a byte is
 * copied, and a fragment can only ever land at the place its index
 * names, inside the buffer.
 */
#include "frag.h"

/* Byte offsets: the header's, and the fragment header's after it. */
#define HDR_FLAGS	6
#define HDR_LENGTH	32
#define HDR_TAG_LEN	36
#define FRAG_ID		(RAFT_WIRE_HDR_LEN + 0)
#define FRAG_TOTAL	(RAFT_WIRE_HDR_LEN + 4)
#define FRAG_INDEX	(RAFT_WIRE_HDR_LEN + 8)
#define FRAG_COUNT	(RAFT_WIRE_HDR_LEN + 10)
#define FRAG_CHUNK	(RAFT_WIRE_HDR_LEN + 12)
#define FRAG_PAD	(RAFT_WIRE_HDR_LEN + 14)
#define FRAG_DATA	(RAFT_WIRE_HDR_LEN + RAFT_FRAG_HDR_LEN)

#define PAYLOAD_MAX	(RAFT_WIRE_MAX_LEN - RAFT_WIRE_HDR_LEN)

/* Payload bytes one fragment carries at @max_dgram; 0 if none fit. */
static size_t frag_chunk(size_t max_dgram, size_t trailer)
{
	size_t over = FRAG_DATA + trailer;
	size_t chunk;

	if (max_dgram <= over)
		return 0;
	chunk = max_dgram - over;
	return chunk > 0xffff ? 0xffff : chunk;
}

u32 raft_frag_count(size_t len, size_t max_dgram, size_t trailer)
{
	size_t chunk = frag_chunk(max_dgram, trailer);
	size_t payload;

	if (len + trailer <= max_dgram || len <= RAFT_WIRE_HDR_LEN)
		return 1;
	payload = len - RAFT_WIRE_HDR_LEN;
	if (chunk < RAFT_FRAG_CHUNK_MIN)
		return 0;	/* no fragment size the receiver takes */
	return (u32)((payload + chunk - 1) / chunk);
}

int raft_frag_build(const void *msg, size_t len, u32 id, u32 index,
		    size_t max_dgram, size_t trailer, void *out, size_t cap)
{
	size_t chunk = frag_chunk(max_dgram, trailer);
	u32 count = raft_frag_count(len, max_dgram, trailer);
	size_t off, n;
	u8 *b = out;

	if (count < 2 || count > RAFT_FRAG_MAX || index >= count ||
	    len - RAFT_WIRE_HDR_LEN > PAYLOAD_MAX)
		return RAFT_WIRE_EMALFORMED;
	off = (size_t)index * chunk;
	n = len - RAFT_WIRE_HDR_LEN - off;
	if (n > chunk)
		n = chunk;
	if (cap < FRAG_DATA + n)
		return RAFT_WIRE_ENOSPC;
	memcpy(b, msg, RAFT_WIRE_HDR_LEN);
	raft_put_le16(RAFT_WIRE_F_FRAG, b + HDR_FLAGS);
	raft_put_le32((u32)(RAFT_FRAG_HDR_LEN + n), b + HDR_LENGTH);
	raft_put_le16(0, b + HDR_TAG_LEN);
	raft_put_le32(id, b + FRAG_ID);
	raft_put_le32((u32)(len - RAFT_WIRE_HDR_LEN), b + FRAG_TOTAL);
	raft_put_le16((u16)index, b + FRAG_INDEX);
	raft_put_le16((u16)count, b + FRAG_COUNT);
	raft_put_le16((u16)chunk, b + FRAG_CHUNK);
	raft_put_le16(0, b + FRAG_PAD);
	memcpy(b + FRAG_DATA, (const u8 *)msg + RAFT_WIRE_HDR_LEN + off, n);
	return (int)(FRAG_DATA + n);
}

/* One fragment's header, checked on its own. */
struct frag {
	u32 id;
	u32 total;
	u16 index;
	u16 count;
	u16 chunk;
	u32 n;			/* payload bytes it carries */
	const u8 *data;
};

static int frag_parse(const u8 *b, const struct raft_wire_hdr *hdr,
		      struct frag *f)
{
	u32 last;

	if (!(hdr->flags & RAFT_WIRE_F_FRAG) ||
	    hdr->length < RAFT_FRAG_HDR_LEN + 1)
		return RAFT_WIRE_EMALFORMED;
	f->id = raft_get_le32(b + FRAG_ID);
	f->total = raft_get_le32(b + FRAG_TOTAL);
	f->index = raft_get_le16(b + FRAG_INDEX);
	f->count = raft_get_le16(b + FRAG_COUNT);
	f->chunk = raft_get_le16(b + FRAG_CHUNK);
	f->n = hdr->length - RAFT_FRAG_HDR_LEN;
	f->data = b + FRAG_DATA;
	if (raft_get_le16(b + FRAG_PAD) || f->count < 2 ||
	    f->index >= f->count)
		return RAFT_WIRE_EMALFORMED;
	if (f->count > RAFT_FRAG_MAX || f->total > PAYLOAD_MAX ||
	    f->chunk < RAFT_FRAG_CHUNK_MIN)
		return RAFT_WIRE_ELIMIT;
	/* (count - 1) chunks and a last one of 1 .. chunk bytes */
	if ((u32)(f->count - 1) * f->chunk >= f->total ||
	    (u32)f->count * f->chunk < f->total)
		return RAFT_WIRE_EMALFORMED;
	last = f->total - (u32)(f->count - 1) * f->chunk;
	if (f->n != (f->index == f->count - 1 ? last : f->chunk))
		return RAFT_WIRE_EMALFORMED;
	return RAFT_WIRE_OK;
}

static void slot_drop(struct raft_frag_rx *rx, struct raft_frag_slot *s)
{
	if (s->got)
		rx->dropped++;
	s->got = 0;
}

/* Whether @f (of a message of @hdr) belongs to what @s holds. */
static bool slot_matches(const struct raft_frag_slot *s,
			 const struct raft_wire_hdr *hdr,
			 const struct frag *f)
{
	return s->type == hdr->type && s->term == hdr->term &&
	       s->total == f->total && s->count == f->count &&
	       s->chunk == f->chunk;
}

/*
 * The slot for message @f->id: the one holding it, else a free one, else
 * the one started longest ago (its message is given up). Slots past
 * their time are emptied first.
 */
static struct raft_frag_slot *slot_find(struct raft_frag_rx *rx,
					const struct frag *f, u64 now)
{
	struct raft_frag_slot *s, *pick = NULL;
	u32 i;

	for (i = 0; i < RAFT_FRAG_SLOTS; i++) {
		s = &rx->slot[i];
		if (s->got && now - s->started > RAFT_FRAG_TIMEOUT_MS)
			slot_drop(rx, s);
		if (s->got && s->id == f->id)
			return s;
	}
	for (i = 0; i < RAFT_FRAG_SLOTS; i++) {
		s = &rx->slot[i];
		if (!s->got)
			return s;
		if (!pick || s->started < pick->started)
			pick = s;
	}
	slot_drop(rx, pick);
	return pick;
}

/* A fresh message in @s, its header taken from the fragment's. */
static int slot_start(struct raft_frag_slot *s, const u8 *b,
		      const struct raft_wire_hdr *hdr, const struct frag *f,
		      u64 now)
{
	if (!s->buf) {
		s->buf = raft_alloc(RAFT_WIRE_MAX_LEN);
		if (!s->buf)
			return RAFT_WIRE_ENOSPC;
	}
	memcpy(s->buf, b, RAFT_WIRE_HDR_LEN);
	raft_put_le16(0, s->buf + HDR_FLAGS);
	raft_put_le32(f->total, s->buf + HDR_LENGTH);
	raft_put_le16(0, s->buf + HDR_TAG_LEN);
	memset(s->seen, 0, sizeof(s->seen));
	s->started = now;
	s->term = hdr->term;
	s->id = f->id;
	s->total = f->total;
	s->count = f->count;
	s->chunk = f->chunk;
	s->type = hdr->type;
	return RAFT_WIRE_OK;
}

int raft_frag_add(struct raft_frag_rx *rx, const void *dgram, size_t len,
		  const struct raft_wire_hdr *hdr, u64 now_ms,
		  const u8 **msg)
{
	struct raft_frag_slot *s;
	const u8 *b = dgram;
	struct frag f;
	u64 bit;
	int err;

	if (len < (size_t)RAFT_WIRE_HDR_LEN + hdr->length)
		return RAFT_WIRE_EMALFORMED;
	err = frag_parse(b, hdr, &f);
	if (err)
		return err;
	s = slot_find(rx, &f, now_ms);
	if (s->got && !slot_matches(s, hdr, &f)) {
		slot_drop(rx, s);	/* one of the two lies: trust neither */
		return RAFT_WIRE_EMALFORMED;
	}
	if (!s->got) {
		err = slot_start(s, b, hdr, &f, now_ms);
		if (err)
			return err;
	}
	bit = 1ULL << (f.index % 64);
	if (s->seen[f.index / 64] & bit)
		return RAFT_WIRE_EMALFORMED;	/* a duplicate: keep the first */
	s->seen[f.index / 64] |= bit;
	memcpy(s->buf + RAFT_WIRE_HDR_LEN + (size_t)f.index * f.chunk, f.data,
	       f.n);
	if (++s->got < s->count)
		return 0;
	s->got = 0;		/* complete: the slot is free again */
	*msg = s->buf;
	return (int)(RAFT_WIRE_HDR_LEN + s->total);
}

void raft_frag_rx_free(struct raft_frag_rx *rx)
{
	u32 i;

	for (i = 0; i < RAFT_FRAG_SLOTS; i++)
		raft_free(rx->slot[i].buf);
	memset(rx, 0, sizeof(*rx));
}
