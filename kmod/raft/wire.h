/* SPDX-License-Identifier: GPL-2.0 */
/*
 * raftlog's wire format: one Raft message per UDP datagram, little-endian.
 *
 * Header (40 bytes), the same in every version so far:
 *	 0 u32 magic		RAFT_WIRE_MAGIC
 *	 4 u8  version		RAFT_WIRE_VERSION
 *	 5 u8  type		enum raft_msg_type
 *	 6 u16 flags		0, or RAFT_WIRE_F_FRAG: a fragment of a
 *				larger message (frag.h)
 *	 8 u64 cluster_id
 *	16 u32 sender		node id
 *	20 u32 receiver		node id
 *	24 u64 term		1 .. RAFT_TERM_LIMIT - 1
 *	32 u32 length		payload bytes after the header
 *	36 u16 tag_len		the authentication trailer after the
 *				payload: 0 (an insecure node's) or
 *				RAFT_WIRE_AUTH_LEN
 *	38 u16 reserved		0
 *
 * Authentication trailer (32 bytes, when tag_len says so):
 *	 0 u64 epoch		the sender's life: larger after each restart
 *	 8 u64 counter		1, 2, ... per datagram within the epoch
 *	16 u8  tag[16]		keyed BLAKE2s of every byte before it
 * A receiver checks the tag before it decodes anything, then the replay
 * window (auth.h), then the payload.
 *
 * A datagram whose version is not RAFT_WIRE_VERSION is refused whole
 * (RAFT_WIRE_EVERSION): nodes of different versions never talk. Version 2
 * had no entry crc (a u32 len in its place), 16-byte votes, no fragments,
 * no CONFIG entries and no TIMEOUT_NOW; version 1 had 16-byte entry
 * headers and forward ids instead of (session, seq).
 *
 * Payloads by type:
 *	PREVOTE, VOTE		u64 last_index, u64 last_term, u8 transfer
 *				(0 or 1: the candidate campaigns because its
 *				leader sent it TIMEOUT_NOW), u8 pad[7]
 *	PREVOTE_RESP, VOTE_RESP	u8 granted (0 or 1), u8 pad[7]
 *	APPEND			u64 prev_index, u64 prev_term, u64 commit,
 *				u32 n_entries, u32 pad, then n_entries
 *				entries, each a 32-byte header and its data:
 *				 0 u64 term
 *				 8 u64 session
 *				16 u64 seq
 *				24 u32 crc	raft_entry_crc() at its index
 *				28 u16 len
 *				30 u8  type	enum raft_entry_type
 *				31 u8  pad
 *				32 data[len]
 *	APPEND_RESP		u8 success, u8 pad[7], u64 index,
 *				u64 hint_index, u64 hint_term
 *	HEARTBEAT		u64 commit
 *	HEARTBEAT_RESP		(empty)
 *	PROPOSE			u64 session, u64 seq, u64 start, u32 len,
 *				u32 pad, data[len]
 *	PROPOSE_RESP		u64 session, u64 seq, u64 index, u64 term,
 *				s32 status, u32 pad
 *	TIMEOUT_NOW		(empty)
 *
 * Rules beyond the layout; a datagram that breaks one is refused whole:
 *  - Terms, indexes and seqs stay below RAFT_TERM_LIMIT; a session is any
 *    non-zero u64.
 *  - A NORMAL entry carries its writer's session and seq, both non-zero;
 *    a NOOP entry carries session 0, seq 0 and no data; a CONFIG entry
 *    session 0, seq 0 and 1 .. max_entry_size bytes (the core's encoded
 *    configuration, which the core checks).
 *  - Each entry's crc is the leader's raft_entry_crc() of the entry at
 *    its index, prev_index + 1 + i: the decoder computes it again and
 *    refuses the whole datagram (RAFT_WIRE_ECRC) when one differs, so
 *    nothing damaged since the leader is ever stored; the follower's
 *    storage keeps it unchanged and every reader checks it. The encoder
 *    writes the crc it is given; it never computes one.
 *  - An APPEND's entry terms never exceed the message's term, never
 *    decrease from one entry to the next, and the first is not below
 *    prev_term: a leader's log is made that way, so anything else is a
 *    forgery or a bug.
 *  - A PROPOSE carries 1 .. max_entry_size bytes and a non-zero (session,
 *    seq); start is an index below every entry of the session, 0 if
 *    unknown. A PROPOSE_RESP echoes the PROPOSE's (session, seq), and its
 *    status is one of enum raft_err (RAFT_OK .. RAFT_ELOST).
 *  - Padding and reserved fields are sent as zero and must be zero. Each
 *    payload must be exactly as long as its fields; nothing may trail.
 */
#ifndef RAFT_WIRE_H
#define RAFT_WIRE_H

#include "raft.h"

#define RAFT_WIRE_MAGIC		0x4c544652U	/* "RFTL" on the wire */
#define RAFT_WIRE_VERSION	3
#define RAFT_WIRE_VERSION_OFF	4	/* the version byte, in every version */
#define RAFT_WIRE_HDR_LEN	40
#define RAFT_WIRE_MAX_LEN	65000U		/* header and payload */
#define RAFT_WIRE_AUTH_LEN	(16 + RAFT_MAC_LEN)	/* the trailer */
#define RAFT_WIRE_DGRAM_MAX	(RAFT_WIRE_MAX_LEN + RAFT_WIRE_AUTH_LEN)
#define RAFT_WIRE_F_FRAG	0x0001	/* header flags: a fragment */

/* Why a datagram was dropped; the caller counts each kind. */
enum raft_wire_err {
	RAFT_WIRE_OK = 0,
	RAFT_WIRE_EMALFORMED = -1,	/* short, bad magic/length/field */
	RAFT_WIRE_EVERSION = -2,	/* unknown version */
	RAFT_WIRE_ECLUSTER = -3,	/* another cluster's packet */
	RAFT_WIRE_ETYPE = -4,		/* unknown message type */
	RAFT_WIRE_ELIMIT = -5,		/* a count or size beyond our limits */
	RAFT_WIRE_ENOSPC = -6,		/* encode: buffer too small */
	RAFT_WIRE_ECRC = -7,		/* an entry's crc does not hold */
};

struct raft_wire_hdr {
	u8 type;
	u16 flags;		/* 0 or RAFT_WIRE_F_FRAG */
	u64 cluster_id;
	u32 sender;
	u32 receiver;
	u64 term;
	u32 length;		/* payload bytes */
	u16 auth_len;		/* 0 or RAFT_WIRE_AUTH_LEN */
};

/*
 * Cheap check for the receive path (softirq): magic, version, cluster id,
 * and that the header's length matches @len exactly. Reads only the header.
 * A fragment (RAFT_WIRE_F_FRAG) passes too: it goes to raft_frag_add().
 */
int raft_wire_peek(const void *buf, size_t len, u64 cluster_id,
		   struct raft_wire_hdr *hdr);

/*
 * Full decode of one datagram into @m. Entry structs go to @ents (room for
 * @max_ents); their data and the propose data point into @buf, which must
 * outlive @m. Every length and count is checked against @len and the limits
 * (@max_entry_size) before it is used. Never allocates. A fragment is
 * refused: only the message put together from all of them is decoded.
 */
int raft_wire_decode(const void *buf, size_t len, u64 cluster_id,
		     u32 max_entry_size, struct raft_msg *m,
		     struct raft_entry *ents, u32 max_ents);

/*
 * Appends the authentication trailer to the @len-byte datagram encoded in
 * @buf (@cap bytes): returns the new length, or RAFT_WIRE_ENOSPC.
 */
int raft_wire_seal(void *buf, size_t len, size_t cap, const u8 *key,
		   u64 epoch, u64 counter);

/*
 * Whether a datagram that passed raft_wire_peek() (@hdr) carries a trailer
 * whose tag @key made; if so, its epoch and counter.
 */
bool raft_wire_verify(const void *buf, size_t len,
		      const struct raft_wire_hdr *hdr, const u8 *key,
		      u64 *epoch, u64 *counter);

/* Encoded size of @m, header included, trailer not. */
size_t raft_wire_size(const struct raft_msg *m);

/*
 * Bytes written to @buf; RAFT_WIRE_ENOSPC when @cap is too small, or
 * RAFT_WIRE_ETYPE, _EMALFORMED, _ELIMIT for a message the decoder would
 * refuse.
 */
int raft_wire_encode(const struct raft_msg *m, u64 cluster_id,
		     void *buf, size_t cap);

const char *raft_wire_strerror(int err);

#endif /* RAFT_WIRE_H */
