// SPDX-License-Identifier: GPL-2.0
/*
 * raftlog's wire codec; the format is described in wire.h.
 *
 * A datagram comes from the network and is trusted in nothing: every field
 * is checked before it is used, every count and length against the bytes
 * actually left in the datagram and against our limits before anything is
 * read behind it. The decoder never allocates; entries and data point into
 * the caller's buffer. The encoder writes every pad byte as zero and refuses
 * what the decoder would reject, so a bug in the core that produces an
 * impossible message shows up on the sending side; the one exception is an
 * entry's crc, which the encoder carries without checking (computing it
 * again on every send would cost the leader a pass over every byte per
 * follower; the followers check it, and refuse what does not hold).
 */
#include "wire.h"

/* Byte offsets inside the header. */
#define HDR_MAGIC	0
#define HDR_VERSION	RAFT_WIRE_VERSION_OFF
#define HDR_TYPE	5
#define HDR_FLAGS	6
#define HDR_CLUSTER	8
#define HDR_SENDER	16
#define HDR_RECEIVER	20
#define HDR_TERM	24
#define HDR_LENGTH	32
#define HDR_TAG_LEN	36
#define HDR_RESERVED	38

/* Fixed payload sizes. */
#define VOTE_LEN		24
#define VOTE_RESP_LEN		8
#define APPEND_FIXED_LEN	32
/* 32 bytes; the core sizes datagrams by the same constant */
#define ENTRY_HDR_LEN		RAFT_ENTRY_OVERHEAD
#define APPEND_RESP_LEN		32
#define HEARTBEAT_LEN		8
#define PROPOSE_FIXED_LEN	32
#define PROPOSE_RESP_LEN	40

/*
 * Terms, indexes and seqs all stay below RAFT_TERM_LIMIT: far beyond
 * anything a real log reaches, and it leaves the core room to add to them
 * (index + n, term + 1, seq + 1) without overflowing.
 */
#define VALUE_LIMIT	RAFT_TERM_LIMIT

/* A read cursor over the payload; @left is always checked before a read. */
struct rd {
	const u8 *p;
	size_t left;
};

/* A write cursor; the caller has checked that the whole message fits. */
struct wr {
	u8 *p;
};

static bool rd_has(const struct rd *c, size_t n)
{
	return c->left >= n;
}

static const u8 *rd_take(struct rd *c, size_t n)
{
	const u8 *p = c->p;

	c->p += n;
	c->left -= n;
	return p;
}

static u8 rd_u8(struct rd *c)
{
	return *rd_take(c, 1);
}

static u32 rd_u32(struct rd *c)
{
	return raft_get_le32(rd_take(c, 4));
}

static u64 rd_u64(struct rd *c)
{
	return raft_get_le64(rd_take(c, 8));
}

/* Padding must be zero, so that it can carry meaning in a later version. */
static bool rd_zero(struct rd *c, size_t n)
{
	const u8 *p = rd_take(c, n);
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void wr_u8(struct wr *c, u8 v)
{
	*c->p++ = v;
}

static void wr_u16(struct wr *c, u16 v)
{
	raft_put_le16(v, c->p);
	c->p += 2;
}

static void wr_u32(struct wr *c, u32 v)
{
	raft_put_le32(v, c->p);
	c->p += 4;
}

static void wr_u64(struct wr *c, u64 v)
{
	raft_put_le64(v, c->p);
	c->p += 8;
}

static void wr_zero(struct wr *c, size_t n)
{
	memset(c->p, 0, n);
	c->p += n;
}

static void wr_bytes(struct wr *c, const u8 *data, size_t n)
{
	/* memcpy(dst, NULL, 0) is undefined even though it copies nothing. */
	if (n)
		memcpy(c->p, data, n);
	c->p += n;
}

static bool type_known(u8 type)
{
	return type >= RAFT_MSG_PREVOTE && type <= RAFT_MSG_TYPE_MAX;
}

static const char *const msg_type_names[] = {
	[RAFT_MSG_NONE] = "unknown",
#define RAFT_MSG_TYPE(id, value, name)	name,
#include "raft_msg_types.h"
#undef RAFT_MSG_TYPE
};

const char *raft_msg_type_name(u8 type)
{
	return type_known(type) ? msg_type_names[type] : "unknown";
}

static bool entry_type_known(u8 type)
{
	return type == RAFT_ENTRY_NORMAL || type == RAFT_ENTRY_NOOP ||
	       type == RAFT_ENTRY_CONFIG;
}

/* An entry's len travels as a u16: every entry the core takes fits. */
static_assert(RAFT_ENTRY_SIZE_LIMIT <= 0xffff, "entry len is a u16");

static bool status_known(s32 status)
{
	return status <= RAFT_OK && status >= RAFT_ELOST;
}

/*
 * A client entry names its writer; a no-op and a configuration nobody, and
 * a no-op carries nothing, a configuration something. The type is known
 * already.
 */
static bool entry_ids_ok(const struct raft_entry *e)
{
	if (e->type == RAFT_ENTRY_NOOP)
		return !e->session && !e->seq && !e->len;
	if (e->type == RAFT_ENTRY_CONFIG)
		return !e->session && !e->seq && e->len;
	return e->session && e->seq;
}

/* A (session, seq) of a proposal: both set, seq below the limit. */
static int ids_check(u64 session, u64 seq)
{
	if (!session || !seq)
		return RAFT_WIRE_EMALFORMED;
	if (seq >= VALUE_LIMIT)
		return RAFT_WIRE_ELIMIT;
	return RAFT_WIRE_OK;
}

/*
 * An APPEND's entry of term @term, after one of term @prev (prev_term for
 * the first), in a message of term @msg_term: a leader's log never holds
 * a term above its own, and terms never decrease along a log.
 */
static bool entry_term_in_order(u64 term, u64 prev, u64 msg_term)
{
	return term <= msg_term && term >= prev;
}

static bool bool_byte_ok(u8 b)
{
	return b <= 1;
}

/* Header fields that need no payload; shared by peek and decode. */
static int check_hdr(const u8 *b, size_t len, u64 cluster_id,
		     struct raft_wire_hdr *hdr)
{
	u16 tag, flags;
	u64 term;

	if (len < RAFT_WIRE_HDR_LEN ||
	    raft_get_le32(b + HDR_MAGIC) != RAFT_WIRE_MAGIC)
		return RAFT_WIRE_EMALFORMED;
	if (b[HDR_VERSION] != RAFT_WIRE_VERSION)
		return RAFT_WIRE_EVERSION;
	if (raft_get_le64(b + HDR_CLUSTER) != cluster_id)
		return RAFT_WIRE_ECLUSTER;
	if (!type_known(b[HDR_TYPE]))
		return RAFT_WIRE_ETYPE;
	tag = raft_get_le16(b + HDR_TAG_LEN);
	flags = raft_get_le16(b + HDR_FLAGS);
	if ((flags & ~RAFT_WIRE_F_FRAG) || raft_get_le16(b + HDR_RESERVED) ||
	    (tag && tag != RAFT_WIRE_AUTH_LEN) ||
	    len < (size_t)RAFT_WIRE_HDR_LEN + tag)
		return RAFT_WIRE_EMALFORMED;
	if (len - tag > RAFT_WIRE_MAX_LEN)
		return RAFT_WIRE_ELIMIT;
	if (raft_get_le32(b + HDR_LENGTH) != len - tag - RAFT_WIRE_HDR_LEN)
		return RAFT_WIRE_EMALFORMED;

	hdr->type = b[HDR_TYPE];
	hdr->flags = flags;
	hdr->cluster_id = cluster_id;
	hdr->sender = raft_get_le32(b + HDR_SENDER);
	hdr->receiver = raft_get_le32(b + HDR_RECEIVER);
	hdr->term = raft_get_le64(b + HDR_TERM);
	hdr->length = (u32)(len - tag - RAFT_WIRE_HDR_LEN);
	hdr->auth_len = tag;

	if (!hdr->sender || !hdr->receiver)
		return RAFT_WIRE_EMALFORMED;
	term = hdr->term;
	if (!term)
		return RAFT_WIRE_EMALFORMED;
	if (term >= RAFT_TERM_LIMIT)
		return RAFT_WIRE_ELIMIT;
	return RAFT_WIRE_OK;
}

int raft_wire_peek(const void *buf, size_t len, u64 cluster_id,
		   struct raft_wire_hdr *hdr)
{
	return check_hdr(buf, len, cluster_id, hdr);
}

/* Reads a term or index; false when it is beyond VALUE_LIMIT. */
static bool rd_value(struct rd *c, u64 *v)
{
	*v = rd_u64(c);
	return *v < VALUE_LIMIT;
}

static int decode_vote(struct rd *c, struct raft_msg *m)
{
	u8 transfer;

	if (c->left != VOTE_LEN)
		return RAFT_WIRE_EMALFORMED;
	if (!rd_value(c, &m->vote.last_index) ||
	    !rd_value(c, &m->vote.last_term))
		return RAFT_WIRE_ELIMIT;
	transfer = rd_u8(c);
	if (!bool_byte_ok(transfer) || !rd_zero(c, 7))
		return RAFT_WIRE_EMALFORMED;
	m->vote.transfer = transfer;
	return RAFT_WIRE_OK;
}

static int decode_vote_resp(struct rd *c, struct raft_msg *m)
{
	u8 granted;

	if (c->left != VOTE_RESP_LEN)
		return RAFT_WIRE_EMALFORMED;
	granted = rd_u8(c);
	if (!bool_byte_ok(granted) || !rd_zero(c, 7))
		return RAFT_WIRE_EMALFORMED;
	m->vote_resp.granted = granted;
	return RAFT_WIRE_OK;
}

/*
 * One entry of an APPEND, following an entry of term @prev (prev_term for
 * the first) in a message of term @msg_term; its data must lie wholly
 * inside the datagram.
 */
static int decode_entry(struct rd *c, u32 max_entry_size, u64 prev,
			u64 msg_term, struct raft_entry *e)
{
	if (!rd_has(c, ENTRY_HDR_LEN))
		return RAFT_WIRE_EMALFORMED;
	e->term = rd_u64(c);
	e->session = rd_u64(c);
	e->seq = rd_u64(c);
	e->crc = rd_u32(c);
	e->len = raft_get_le16(rd_take(c, 2));
	e->type = rd_u8(c);
	if (!rd_zero(c, 1) || !entry_type_known(e->type) || !e->term)
		return RAFT_WIRE_EMALFORMED;
	if (e->term >= VALUE_LIMIT || e->seq >= VALUE_LIMIT ||
	    e->len > max_entry_size)
		return RAFT_WIRE_ELIMIT;
	if (!entry_ids_ok(e) || !entry_term_in_order(e->term, prev, msg_term))
		return RAFT_WIRE_EMALFORMED;
	if (!rd_has(c, e->len))
		return RAFT_WIRE_EMALFORMED;
	e->data = rd_take(c, e->len);
	return RAFT_WIRE_OK;
}

static int decode_append(struct rd *c, u32 max_entry_size,
			 struct raft_msg *m, struct raft_entry *ents,
			 u32 max_ents)
{
	u64 prev;
	u32 n, i;
	int err;

	if (!rd_has(c, APPEND_FIXED_LEN))
		return RAFT_WIRE_EMALFORMED;
	if (!rd_value(c, &m->append.prev_index) ||
	    !rd_value(c, &m->append.prev_term) ||
	    !rd_value(c, &m->append.commit))
		return RAFT_WIRE_ELIMIT;
	n = rd_u32(c);
	if (!rd_zero(c, 4))
		return RAFT_WIRE_EMALFORMED;
	if (n > max_ents || n > RAFT_MAX_BATCH)
		return RAFT_WIRE_ELIMIT;
	/* Cheap bound first: n entry headers must at least fit. */
	if (c->left / ENTRY_HDR_LEN < n)
		return RAFT_WIRE_EMALFORMED;

	prev = m->append.prev_term;
	for (i = 0; i < n; i++) {
		err = decode_entry(c, max_entry_size, prev, m->term, &ents[i]);
		if (err)
			return err;
		prev = ents[i].term;
	}
	if (c->left)
		return RAFT_WIRE_EMALFORMED;
	/* the costly check last, once the datagram is sound otherwise */
	for (i = 0; i < n; i++)
		if (raft_entry_crc(m->append.prev_index + 1 + i, &ents[i]) !=
		    ents[i].crc)
			return RAFT_WIRE_ECRC;
	m->append.n_entries = n;
	m->append.entries = n ? ents : NULL;
	return RAFT_WIRE_OK;
}

static int decode_append_resp(struct rd *c, struct raft_msg *m)
{
	u8 success;

	if (c->left != APPEND_RESP_LEN)
		return RAFT_WIRE_EMALFORMED;
	success = rd_u8(c);
	if (!bool_byte_ok(success) || !rd_zero(c, 7))
		return RAFT_WIRE_EMALFORMED;
	m->append_resp.success = success;
	if (!rd_value(c, &m->append_resp.index) ||
	    !rd_value(c, &m->append_resp.hint_index) ||
	    !rd_value(c, &m->append_resp.hint_term))
		return RAFT_WIRE_ELIMIT;
	return RAFT_WIRE_OK;
}

static int decode_heartbeat(struct rd *c, struct raft_msg *m)
{
	if (c->left != HEARTBEAT_LEN)
		return RAFT_WIRE_EMALFORMED;
	if (!rd_value(c, &m->heartbeat.commit))
		return RAFT_WIRE_ELIMIT;
	return RAFT_WIRE_OK;
}

static int decode_propose(struct rd *c, u32 max_entry_size,
			  struct raft_msg *m)
{
	u32 len;
	int err;

	if (!rd_has(c, PROPOSE_FIXED_LEN))
		return RAFT_WIRE_EMALFORMED;
	m->propose.session = rd_u64(c);
	m->propose.seq = rd_u64(c);
	m->propose.start = rd_u64(c);
	len = rd_u32(c);
	if (!rd_zero(c, 4) || !len)
		return RAFT_WIRE_EMALFORMED;
	err = ids_check(m->propose.session, m->propose.seq);
	if (err)
		return err;
	if (m->propose.start >= VALUE_LIMIT || len > max_entry_size)
		return RAFT_WIRE_ELIMIT;
	if (c->left != len)
		return RAFT_WIRE_EMALFORMED;
	m->propose.len = len;
	m->propose.data = rd_take(c, len);
	return RAFT_WIRE_OK;
}

static int decode_propose_resp(struct rd *c, struct raft_msg *m)
{
	int err;

	if (c->left != PROPOSE_RESP_LEN)
		return RAFT_WIRE_EMALFORMED;
	m->propose_resp.session = rd_u64(c);
	m->propose_resp.seq = rd_u64(c);
	err = ids_check(m->propose_resp.session, m->propose_resp.seq);
	if (err)
		return err;
	if (!rd_value(c, &m->propose_resp.index) ||
	    !rd_value(c, &m->propose_resp.term))
		return RAFT_WIRE_ELIMIT;
	m->propose_resp.status = (s32)rd_u32(c);
	if (!status_known(m->propose_resp.status) || !rd_zero(c, 4))
		return RAFT_WIRE_EMALFORMED;
	return RAFT_WIRE_OK;
}

static int decode_payload(struct rd *c, u32 max_entry_size,
			  struct raft_msg *m, struct raft_entry *ents,
			  u32 max_ents)
{
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		return decode_vote(c, m);
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		return decode_vote_resp(c, m);
	case RAFT_MSG_APPEND:
		return decode_append(c, max_entry_size, m, ents, max_ents);
	case RAFT_MSG_APPEND_RESP:
		return decode_append_resp(c, m);
	case RAFT_MSG_HEARTBEAT:
		return decode_heartbeat(c, m);
	case RAFT_MSG_HEARTBEAT_RESP:
	case RAFT_MSG_TIMEOUT_NOW:
		return c->left ? RAFT_WIRE_EMALFORMED : RAFT_WIRE_OK;
	case RAFT_MSG_PROPOSE:
		return decode_propose(c, max_entry_size, m);
	case RAFT_MSG_PROPOSE_RESP:
		return decode_propose_resp(c, m);
	}
	return RAFT_WIRE_ETYPE;
}

int raft_wire_decode(const void *buf, size_t len, u64 cluster_id,
		     u32 max_entry_size, struct raft_msg *m,
		     struct raft_entry *ents, u32 max_ents)
{
	struct raft_wire_hdr hdr;
	struct rd c;
	int err;

	memset(m, 0, sizeof(*m));
	err = check_hdr(buf, len, cluster_id, &hdr);
	if (err)
		return err;
	if (hdr.flags)		/* a fragment is no message */
		return RAFT_WIRE_EMALFORMED;

	m->type = hdr.type;
	m->after_persist = false;
	m->from = hdr.sender;
	m->to = hdr.receiver;
	m->term = hdr.term;

	if (max_entry_size > RAFT_ENTRY_SIZE_LIMIT)
		max_entry_size = RAFT_ENTRY_SIZE_LIMIT;
	c.p = (const u8 *)buf + RAFT_WIRE_HDR_LEN;
	c.left = hdr.length;
	err = decode_payload(&c, max_entry_size, m, ents, max_ents);
	if (err)
		memset(m, 0, sizeof(*m));
	return err;
}

/* Payload size of @m; 0 for an unknown type (which has no encoding). */
static size_t payload_size(const struct raft_msg *m)
{
	size_t size;
	u32 i;

	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		return VOTE_LEN;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		return VOTE_RESP_LEN;
	case RAFT_MSG_APPEND:
		size = APPEND_FIXED_LEN;
		for (i = 0; i < m->append.n_entries; i++)
			size += ENTRY_HDR_LEN + (size_t)m->append.entries[i].len;
		return size;
	case RAFT_MSG_APPEND_RESP:
		return APPEND_RESP_LEN;
	case RAFT_MSG_HEARTBEAT:
		return HEARTBEAT_LEN;
	case RAFT_MSG_HEARTBEAT_RESP:
	case RAFT_MSG_TIMEOUT_NOW:
		return 0;
	case RAFT_MSG_PROPOSE:
		return PROPOSE_FIXED_LEN + (size_t)m->propose.len;
	case RAFT_MSG_PROPOSE_RESP:
		return PROPOSE_RESP_LEN;
	}
	return 0;
}

size_t raft_wire_size(const struct raft_msg *m)
{
	if (!type_known(m->type))
		return 0;
	/*
	 * An APPEND beyond the batch limit, or one whose entries the caller
	 * has yet to load, is never encoded: don't walk it.
	 */
	if (m->type == RAFT_MSG_APPEND &&
	    (m->append.n_entries > RAFT_MAX_BATCH ||
	     (m->append.n_entries && !m->append.entries)))
		return 0;
	return RAFT_WIRE_HDR_LEN + payload_size(m);
}

/* The fields every message carries, whatever its payload. */
static bool msg_hdr_ok(const struct raft_msg *m)
{
	return m->from && m->to && m->term && m->term < RAFT_TERM_LIMIT;
}

static bool msg_entries_ok(const struct raft_msg *m)
{
	const struct raft_entry *e;
	u64 prev = m->append.prev_term;
	u32 i;

	if (m->append.n_entries > RAFT_MAX_BATCH ||
	    (m->append.n_entries && !m->append.entries))
		return false;
	for (i = 0; i < m->append.n_entries; i++) {
		e = &m->append.entries[i];
		if (!e->term || e->term >= VALUE_LIMIT ||
		    e->seq >= VALUE_LIMIT || !entry_type_known(e->type) ||
		    e->len > RAFT_ENTRY_SIZE_LIMIT || !entry_ids_ok(e) ||
		    !entry_term_in_order(e->term, prev, m->term))
			return false;
		prev = e->term;
	}
	return true;
}

/* Whether the decoder (with the largest limits) would accept @m. */
static bool msg_encodable(const struct raft_msg *m)
{
	if (!msg_hdr_ok(m))
		return false;
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		return m->vote.last_index < VALUE_LIMIT &&
		       m->vote.last_term < VALUE_LIMIT;
	case RAFT_MSG_APPEND:
		return m->append.prev_index < VALUE_LIMIT &&
		       m->append.prev_term < VALUE_LIMIT &&
		       m->append.commit < VALUE_LIMIT && msg_entries_ok(m);
	case RAFT_MSG_APPEND_RESP:
		return m->append_resp.index < VALUE_LIMIT &&
		       m->append_resp.hint_index < VALUE_LIMIT &&
		       m->append_resp.hint_term < VALUE_LIMIT;
	case RAFT_MSG_HEARTBEAT:
		return m->heartbeat.commit < VALUE_LIMIT;
	case RAFT_MSG_PROPOSE:
		return m->propose.len && m->propose.len <= RAFT_ENTRY_SIZE_LIMIT &&
		       ids_check(m->propose.session, m->propose.seq) ==
		       RAFT_WIRE_OK && m->propose.start < VALUE_LIMIT;
	case RAFT_MSG_PROPOSE_RESP:
		return ids_check(m->propose_resp.session,
				 m->propose_resp.seq) == RAFT_WIRE_OK &&
		       m->propose_resp.index < VALUE_LIMIT &&
		       m->propose_resp.term < VALUE_LIMIT &&
		       status_known(m->propose_resp.status);
	}
	return true;
}

static void encode_hdr(struct wr *c, const struct raft_msg *m,
		       u64 cluster_id, size_t payload)
{
	wr_u32(c, RAFT_WIRE_MAGIC);
	wr_u8(c, RAFT_WIRE_VERSION);
	wr_u8(c, m->type);
	wr_u16(c, 0);			/* flags */
	wr_u64(c, cluster_id);
	wr_u32(c, m->from);
	wr_u32(c, m->to);
	wr_u64(c, m->term);
	wr_u32(c, (u32)payload);
	wr_u16(c, 0);			/* tag_len */
	wr_u16(c, 0);			/* reserved */
}

static void encode_append(struct wr *c, const struct raft_msg *m)
{
	const struct raft_entry *e;
	u32 i;

	wr_u64(c, m->append.prev_index);
	wr_u64(c, m->append.prev_term);
	wr_u64(c, m->append.commit);
	wr_u32(c, m->append.n_entries);
	wr_zero(c, 4);
	for (i = 0; i < m->append.n_entries; i++) {
		e = &m->append.entries[i];
		wr_u64(c, e->term);
		wr_u64(c, e->session);
		wr_u64(c, e->seq);
		wr_u32(c, e->crc);	/* the leader's, never computed here */
		wr_u16(c, (u16)e->len);
		wr_u8(c, e->type);
		wr_zero(c, 1);
		wr_bytes(c, e->data, e->len);
	}
}

static void encode_payload(struct wr *c, const struct raft_msg *m)
{
	switch (m->type) {
	case RAFT_MSG_PREVOTE:
	case RAFT_MSG_VOTE:
		wr_u64(c, m->vote.last_index);
		wr_u64(c, m->vote.last_term);
		wr_u8(c, m->vote.transfer ? 1 : 0);
		wr_zero(c, 7);
		break;
	case RAFT_MSG_PREVOTE_RESP:
	case RAFT_MSG_VOTE_RESP:
		wr_u8(c, m->vote_resp.granted ? 1 : 0);
		wr_zero(c, 7);
		break;
	case RAFT_MSG_APPEND:
		encode_append(c, m);
		break;
	case RAFT_MSG_APPEND_RESP:
		wr_u8(c, m->append_resp.success ? 1 : 0);
		wr_zero(c, 7);
		wr_u64(c, m->append_resp.index);
		wr_u64(c, m->append_resp.hint_index);
		wr_u64(c, m->append_resp.hint_term);
		break;
	case RAFT_MSG_HEARTBEAT:
		wr_u64(c, m->heartbeat.commit);
		break;
	case RAFT_MSG_HEARTBEAT_RESP:
	case RAFT_MSG_TIMEOUT_NOW:
		break;
	case RAFT_MSG_PROPOSE:
		wr_u64(c, m->propose.session);
		wr_u64(c, m->propose.seq);
		wr_u64(c, m->propose.start);
		wr_u32(c, m->propose.len);
		wr_zero(c, 4);
		wr_bytes(c, m->propose.data, m->propose.len);
		break;
	case RAFT_MSG_PROPOSE_RESP:
		wr_u64(c, m->propose_resp.session);
		wr_u64(c, m->propose_resp.seq);
		wr_u64(c, m->propose_resp.index);
		wr_u64(c, m->propose_resp.term);
		wr_u32(c, (u32)m->propose_resp.status);
		wr_zero(c, 4);
		break;
	}
}

int raft_wire_encode(const struct raft_msg *m, u64 cluster_id,
		     void *buf, size_t cap)
{
	struct wr c = { .p = buf };
	size_t size;

	if (!type_known(m->type))
		return RAFT_WIRE_ETYPE;
	if (!msg_encodable(m))
		return RAFT_WIRE_EMALFORMED;
	size = raft_wire_size(m);
	if (size > RAFT_WIRE_MAX_LEN)
		return RAFT_WIRE_ELIMIT;
	if (size > cap)
		return RAFT_WIRE_ENOSPC;

	encode_hdr(&c, m, cluster_id, size - RAFT_WIRE_HDR_LEN);
	encode_payload(&c, m);
	return (int)size;
}

int raft_wire_seal(void *buf, size_t len, size_t cap, const u8 *key,
		   u64 epoch, u64 counter)
{
	u8 *b = buf;

	if (len < RAFT_WIRE_HDR_LEN || cap < len + RAFT_WIRE_AUTH_LEN)
		return RAFT_WIRE_ENOSPC;
	raft_put_le16(RAFT_WIRE_AUTH_LEN, b + HDR_TAG_LEN);
	raft_put_le64(epoch, b + len);
	raft_put_le64(counter, b + len + 8);
	raft_mac(b + len + 16, key, b, len + 16);
	return (int)(len + RAFT_WIRE_AUTH_LEN);
}

bool raft_wire_verify(const void *buf, size_t len,
		      const struct raft_wire_hdr *hdr, const u8 *key,
		      u64 *epoch, u64 *counter)
{
	const u8 *t, *b = buf;
	u8 tag[RAFT_MAC_LEN];

	if (hdr->auth_len != RAFT_WIRE_AUTH_LEN || len < RAFT_WIRE_AUTH_LEN)
		return false;
	t = b + len - RAFT_WIRE_AUTH_LEN;
	raft_mac(tag, key, b, len - RAFT_MAC_LEN);
	if (!raft_tag_equal(tag, t + 16))
		return false;
	*epoch = raft_get_le64(t);
	*counter = raft_get_le64(t + 8);
	return true;
}

const char *raft_wire_strerror(int err)
{
	switch (err) {
	case RAFT_WIRE_OK:
		return "ok";
	case RAFT_WIRE_EMALFORMED:
		return "malformed";
	case RAFT_WIRE_EVERSION:
		return "unknown version";
	case RAFT_WIRE_ECLUSTER:
		return "wrong cluster";
	case RAFT_WIRE_ETYPE:
		return "unknown type";
	case RAFT_WIRE_ELIMIT:
		return "beyond limits";
	case RAFT_WIRE_ENOSPC:
		return "no space";
	case RAFT_WIRE_ECRC:
		return "entry checksum mismatch";
	}
	return "unknown error";
}
