/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fragments: raftlog's own, so that replication never depends on IP
 * fragmentation. A message whose datagram (header, payload, trailer)
 * would be larger than the sender's max_datagram is sent as 2 ..
 * RAFT_FRAG_MAX datagrams, each a complete datagram of its own: the
 * message's 40-byte header with RAFT_WIRE_F_FRAG set in flags and length
 * covering what follows, a 16-byte fragment header, a slice of the
 * message's payload, and its own authentication trailer (tag, epoch,
 * counter), so each fragment is authenticated and replay-checked before
 * its bytes are looked at.
 *
 * Fragment header (16 bytes, little-endian, after the message header):
 *	 0 u32 id	the sender's number for this message: every
 *			fragment of one message carries the same id
 *	 4 u32 total	payload bytes of the whole message
 *	 8 u16 index	0 .. count - 1
 *	10 u16 count	2 .. RAFT_FRAG_MAX
 *	12 u16 chunk	payload bytes of every fragment but the last;
 *			fragment i carries bytes [i * chunk, ...)
 *	14 u16 pad	0
 * A fragment must be exactly as long as its index says: chunk bytes,
 * the last one total - (count - 1) * chunk, at least one and at most
 * chunk. Every fragment of a message carries the same type, term,
 * sender, receiver, id, total, count and chunk.
 *
 * The receiver keeps RAFT_FRAG_SLOTS messages in progress per sender (a
 * bounded buffer each, allocated on first use). A fragment that
 * contradicts its message, a slot needed for a newer message, or a message
 * not completed within RAFT_FRAG_TIMEOUT_MS drops the partial message
 * (counted in @dropped); only a complete message is decoded, as one
 * unfragmented datagram would be.
 *
 * Portable: only platform.h and the wire codec.
 */
#ifndef RAFT_FRAG_H
#define RAFT_FRAG_H

#include "wire.h"

#define RAFT_FRAG_HDR_LEN	16
#define RAFT_FRAG_MAX		256	/* fragments of one message */
#define RAFT_FRAG_CHUNK_MIN	256	/* a smaller chunk: refused */
#define RAFT_FRAG_SLOTS		2	/* messages in progress per sender */
#define RAFT_FRAG_TIMEOUT_MS	1000	/* a partial message older: dropped */

/*
 * max_datagram, the largest datagram (UDP payload) a node sends. The
 * default stays below a 1500-byte MTU for IPv4 (1500 - 20 IP - 8 UDP =
 * 1472) and IPv6 (1500 - 40 - 8 = 1452), with 52 bytes left for IPv6
 * extension headers or IPv4 options. The largest value sends every
 * message whole, as before fragments existed (and leaves it to IP).
 */
#define RAFT_DGRAM_MIN		512
#define RAFT_DGRAM_DEFAULT	1400
#define RAFT_DGRAM_MAX		RAFT_WIRE_DGRAM_MAX

/*
 * Datagrams a message of @len encoded bytes (header and payload, as
 * raft_wire_encode() returned it) takes when each may be at most
 * @max_dgram bytes with a trailer of @trailer bytes (0 or
 * RAFT_WIRE_AUTH_LEN): 1 means it goes whole, as encoded.
 */
u32 raft_frag_count(size_t len, size_t max_dgram, size_t trailer);

/*
 * Writes fragment @index of the message @msg (@len bytes) into @out
 * (@cap bytes), numbered @id; returns its length (the caller seals it
 * like any datagram), or RAFT_WIRE_ENOSPC / _EMALFORMED.
 */
int raft_frag_build(const void *msg, size_t len, u32 id, u32 index,
		    size_t max_dgram, size_t trailer, void *out, size_t cap);

struct raft_frag_slot {
	u8 *buf;		/* RAFT_WIRE_MAX_LEN: header, then payload */
	u64 started;		/* the caller's clock (ms) at its first */
	u64 term;
	u64 seen[RAFT_FRAG_MAX / 64];	/* bit i: fragment i is here */
	u32 id;
	u32 total;
	u16 count;
	u16 chunk;
	u16 got;		/* fragments here; 0: the slot is free */
	u8 type;
};

/* One sender's messages in progress. Zeroed: empty. */
struct raft_frag_rx {
	struct raft_frag_slot slot[RAFT_FRAG_SLOTS];
	u64 dropped;		/* partial messages given up */
};

/*
 * Adds the authenticated fragment @dgram (@len bytes, @hdr from
 * raft_wire_peek(), RAFT_WIRE_F_FRAG set) of one sender at time @now_ms.
 * Returns 0 when it is held, the length of the complete message when it
 * was the last one missing (*@msg then points to it, valid until the next
 * call on @rx: decode it with raft_wire_decode()), or a raft_wire_err for
 * a fragment refused (RAFT_WIRE_ENOSPC: no memory for a buffer).
 */
int raft_frag_add(struct raft_frag_rx *rx, const void *dgram, size_t len,
		  const struct raft_wire_hdr *hdr, u64 now_ms,
		  const u8 **msg);

/* Frees @rx's buffers; it is empty afterwards. */
void raft_frag_rx_free(struct raft_frag_rx *rx);

#endif /* RAFT_FRAG_H */
