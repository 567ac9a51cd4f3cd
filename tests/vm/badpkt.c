// SPDX-License-Identifier: GPL-2.0
/*
 * badpkt: send raftlog datagrams that are malformed on purpose (per the
 * wire format in kmod/raft/wire.h), and random garbage, to one node.
 * Used by the bad-packets VM scenario; built static on the host.
 *
 *   badpkt [--spoof IP:PORT] attack ADDR PORT CLUSTER TERM FROM TO
 *          [GARBAGE] [SEED]
 *   badpkt send ADDR PORT HEX       one datagram of the given bytes
 *   badpkt flood ADDR PORT HEX N    the same datagram N times, fast
 *   badpkt recv PORT MS             print datagrams received for MS ms
 *   badpkt [--spoof IP:PORT] forge [--high-only] ADDR PORT CLUSTER TERM
 *          INDEX FROM TO HIGHTERMS [SEED]
 *   badpkt capture [--reinject NETNS] IFACE[,IFACE...] PORT MS MAX
 *   badpkt replay FILE | badpkt flip FILE
 *
 * The attack's packets claim to come from node FROM (a cluster member, or
 * not) and go to node TO, at term TERM where a term must look current.
 * They are of the current wire version (3), so that they reach the
 * decoder and the core, except for the version classes: among those, well
 * formed datagrams of versions 1 and 2 (as earlier releases sent them),
 * which a receiver must drop as another version's. Every APPEND's entries
 * carry the crc a leader would give them (CRC32C is no secret), so that
 * they are refused for what they are meant to break, not for their crc;
 * one class breaks the crc itself.
 * With --spoof (IPv4 only) they leave through a raw socket with the given
 * source address and port, so that they pass a receiver's check that the
 * datagram comes from FROM's configured address and reach the Raft core.
 *
 * forge, capture, replay and flip are an attacker who knows the wire
 * format but not the key: forge sends well-formed messages meant to do
 * harm (a term near the limit, a vote for a log that does not exist,
 * PROPOSEs, APPENDs whose entries claim future terms, rejections at index
 * 1), each once without a trailer and once with 32 random trailer bytes;
 * capture reads real datagrams off bridge ports (AF_PACKET) and prints
 * them, re-injecting each one at once if asked; replay re-sends captured
 * datagrams byte for byte from their own source address and port; flip
 * re-sends copies with one bit flipped (only bits that keep the header
 * acceptable to raft_wire_peek(), so that each copy reaches the tag check:
 * the term, the payload, the trailer). Every raw datagram carries a valid
 * UDP checksum, so that the receiving kernel delivers it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* From kmod/raft/wire.h and raft.h; restated so the tool stands alone. */
#define MAGIC		0x4c544652U
#define VERSION		3
#define HDR		40
#define ENT		32	/* an APPEND entry's header */
#define E_CRC		24	/* its crc, then u16 len, u8 type, u8 pad */
#define E_LEN		28
#define E_TYPE		30
#define VOTE_LEN	24	/* last_index, last_term, transfer, pad */
#define PROPOSE_FIXED	32
#define PROPOSE_RESP_LEN 40
#define MAX_DGRAM	65000
#define TERM_LIMIT	(1ULL << 62)
#define AUTH_LEN	32	/* the trailer: epoch, counter, tag[16] */

enum {
	PREVOTE = 1, PREVOTE_RESP, VOTE, VOTE_RESP, APPEND, APPEND_RESP,
	HEARTBEAT, HEARTBEAT_RESP, PROPOSE, PROPOSE_RESP,
};

static int sock = -1;
static struct sockaddr_storage dst;
static socklen_t dst_len;
static unsigned long sent, send_errors;
static uint8_t pkt[MAX_DGRAM + 1024];
static int spoof;
static struct sockaddr_in spoof_src;
static uint8_t raw[MAX_DGRAM + 1024 + 28];

static void usage(FILE *f)
{
	fprintf(f,
"usage: badpkt [--spoof IP:PORT] attack ADDR PORT CLUSTER TERM FROM TO\n"
"              [GARBAGE] [SEED]\n"
"       badpkt send ADDR PORT HEX\n"
"       badpkt [--spoof IP:PORT] flood ADDR PORT HEX COUNT\n"
"       badpkt recv PORT MS\n"
"       badpkt [--spoof IP:PORT] forge [--high-only] ADDR PORT CLUSTER TERM\n"
"              INDEX FROM TO HIGHTERMS [SEED]\n"
"       badpkt capture [--reinject NETNS] IFACE[,IFACE...] PORT MS MAX\n"
"       badpkt replay FILE\n"
"       badpkt flip FILE\n"
"\n"
"attack: send every malformed class of raftlog datagram (empty, truncated,\n"
"bad magic/version/type/cluster/sender, version 1 datagrams, term 0 and\n"
"maximum, bad length and count fields, bad entry sessions and terms,\n"
"oversized, indexes beyond any log) to ADDR:PORT, claiming\n"
"to be node FROM writing to node TO at term TERM, then GARBAGE (default\n"
"2000) random datagrams and as many random payloads behind a valid header.\n"
"Prints the number of datagrams sent. --spoof sends them (IPv4 only)\n"
"through a raw socket from source IP:PORT instead.\n"
"\n"
"forge: well-formed forgeries to ADDR:PORT as node FROM to node TO, each\n"
"without a trailer and with a random one (tag_len 32): HEARTBEAT_RESP,\n"
"HEARTBEAT (commit INDEX) and VOTE (a log of 2^40 entries) at each term\n"
"of the comma-separated HIGHTERMS; at term TERM: PROPOSEs of data\n"
"FORGED-PROPOSE-N, APPENDs after INDEX and after 0 whose entries\n"
"(FORGED-APPEND-N) have terms above TERM, APPEND_RESP rejections at\n"
"index 1. --high-only: only the classes at HIGHTERMS. Prints one line\n"
"per class and the total.\n"
"capture: print the raftlog datagrams (UDP to PORT, unfragmented IPv4)\n"
"that arrive from nodes on the bridge ports IFACE,... for MS ms, at most\n"
"MAX: 'SRC SPORT DST DPORT TYPE TAG_LEN HEX' each. --reinject NETNS\n"
"re-sends each at once, byte for byte from its source, through a raw\n"
"socket in the network namespace NETNS (a path such as /run/netns/n66).\n"
"replay: re-send every datagram of FILE (capture's lines) from its\n"
"source to its destination; flip: the same with one bit flipped, once\n"
"for each of: the term, the first and the last payload byte, and with a\n"
"trailer its epoch, counter and tag. Both print 'dst ADDR N' per\n"
"destination, then the total.\n");
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v);
	put16(p + 2, v >> 16);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, v);
	put32(p + 4, v >> 32);
}

static uint16_t get16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get32(const uint8_t *p)
{
	return get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return get32(p) | (uint64_t)get32(p + 4) << 32;
}

struct hdr {
	uint32_t magic;
	uint8_t version;
	uint8_t type;
	uint16_t flags;
	uint64_t cluster;
	uint32_t from;
	uint32_t to;
	uint64_t term;
	uint32_t length;	/* as written; usually the real payload size */
	uint16_t tag_len;
	uint16_t reserved;
};

static struct hdr base;

static void put_hdr(const struct hdr *h)
{
	put32(pkt, h->magic);
	pkt[4] = h->version;
	pkt[5] = h->type;
	put16(pkt + 6, h->flags);
	put64(pkt + 8, h->cluster);
	put32(pkt + 16, h->from);
	put32(pkt + 20, h->to);
	put64(pkt + 24, h->term);
	put32(pkt + 32, h->length);
	put16(pkt + 36, h->tag_len);
	put16(pkt + 38, h->reserved);
}

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

/* The UDP checksum (RFC 768) of @udp (header and payload, @len bytes). */
static uint16_t udp_csum(uint32_t saddr, uint32_t daddr, const uint8_t *udp,
			 size_t len)
{
	uint8_t ph[12];
	uint32_t sum;

	memcpy(ph, &saddr, 4);		/* both in network order */
	memcpy(ph + 4, &daddr, 4);
	ph[8] = 0;
	ph[9] = IPPROTO_UDP;
	ph[10] = len >> 8;
	ph[11] = len;
	sum = csum_add(csum_add(0, ph, sizeof(ph)), udp, len);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	return htons(sum ? sum : 0xffff);	/* 0 would mean none */
}

/*
 * @len bytes of @data as a UDP datagram from @src to @dst (IPv4, network
 * order) through the raw socket, with a valid UDP checksum.
 */
static ssize_t send_raw(const struct sockaddr_in *src,
			const struct sockaddr_in *to, const uint8_t *data,
			size_t len)
{
	struct iphdr *ip = (struct iphdr *)raw;
	struct udphdr *udp = (struct udphdr *)(raw + sizeof(*ip));
	size_t total = sizeof(*ip) + sizeof(*udp) + len;

	memset(raw, 0, sizeof(*ip) + sizeof(*udp));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(total);	/* the kernel fills id and checksum */
	ip->saddr = src->sin_addr.s_addr;
	ip->daddr = to->sin_addr.s_addr;
	udp->source = src->sin_port;
	udp->dest = to->sin_port;
	udp->len = htons(sizeof(*udp) + len);
	memcpy(raw + sizeof(*ip) + sizeof(*udp), data, len);
	udp->check = udp_csum(ip->saddr, ip->daddr, (uint8_t *)udp,
			      sizeof(*udp) + len);
	return sendto(sock, raw, total, 0, (const struct sockaddr *)to,
		      sizeof(*to));
}

/* The datagram in @pkt behind an IPv4 and UDP header from spoof_src. */
static ssize_t send_spoofed(size_t len)
{
	return send_raw(&spoof_src, (const struct sockaddr_in *)&dst, pkt,
			len);
}

static void send_len(size_t len)
{
	ssize_t n;

	if (spoof)
		n = send_spoofed(len);
	else
		n = sendto(sock, pkt, len, 0, (struct sockaddr *)&dst, dst_len);
	if (n < 0)
		send_errors++;
	else
		sent++;
	/* Pace a little so the receive queue is not the only thing tested. */
	if (sent % 64 == 0)
		usleep(2000);
}

static void seal_entries(size_t plen);

/* Header @h (length @plen) + payload in place, exactly as it stands. */
static void send_raw_msg(struct hdr h, size_t plen)
{
	h.length = plen;
	put_hdr(&h);
	send_len(HDR + plen);
}

/*
 * Header @h (length fixed to @plen unless @keep_len) + payload in place;
 * an APPEND of this version gets its entries' crcs.
 */
static void send_msg(struct hdr h, size_t plen, int keep_len)
{
	if (h.type == APPEND && h.version == VERSION)
		seal_entries(plen);
	if (!keep_len)
		h.length = plen;
	put_hdr(&h);
	send_len(HDR + plen);
}

static struct hdr typed(uint8_t type)
{
	struct hdr h = base;

	h.type = type;
	return h;
}

static uint8_t *pl(void)
{
	return pkt + HDR;
}

/* CRC32C (Castagnoli), as raft_entry_crc() computes it: no secret. */
static uint32_t crc32c(uint32_t crc, const uint8_t *p, size_t len)
{
	int k;

	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78U & (0U - (crc & 1)));
	}
	return crc;
}

/*
 * Gives every entry of the APPEND payload in pkt (@plen bytes) the crc a
 * leader would: CRC32C over le64 index, term, session, seq, le32 len, u8
 * type and the data (kmod/raft/raft.h), as far as the entries' lengths
 * stay inside the payload.
 */
static void seal_entries(size_t plen)
{
	uint64_t index = get64(pl()) + 1;
	uint32_t n = get32(pl() + 24), i;
	size_t at = 32, len;
	uint8_t b[37];
	uint32_t crc;

	for (i = 0; i < n && at + ENT <= plen; i++, index++) {
		len = pl()[at + E_LEN] | pl()[at + E_LEN + 1] << 8;
		if (at + ENT + len > plen)
			return;
		put64(b, index);
		memcpy(b + 8, pl() + at, 24);	/* term, session, seq */
		put32(b + 32, len);
		b[36] = pl()[at + E_TYPE];
		crc = crc32c(~0U, b, sizeof(b));
		crc = ~crc32c(crc, pl() + at + ENT, len);
		put32(pl() + at + E_CRC, crc);
		at += ENT + len;
	}
}

static void append_payload(uint64_t prev_index, uint64_t prev_term,
			   uint64_t commit, uint32_t n)
{
	memset(pl(), 0, 32);
	put64(pl(), prev_index);
	put64(pl() + 8, prev_term);
	put64(pl() + 16, commit);
	put32(pl() + 24, n);
}

/*
 * An entry header at payload offset @off: term, session, seq, crc (filled
 * in when the datagram is sent: seal_entries()), len (a u16: larger
 * values are cut to 0xffff, beyond any entry limit), type, pad zero.
 * Returns the offset of its data.
 */
static size_t entry_at(size_t off, uint64_t term, uint64_t session,
		       uint64_t seq, uint32_t len, uint8_t type)
{
	memset(pl() + off, 0, ENT);
	put64(pl() + off, term);
	put64(pl() + off + 8, session);
	put64(pl() + off + 16, seq);
	put16(pl() + off + E_LEN, len > 0xffff ? 0xffff : len);
	pl()[off + E_TYPE] = type;
	return off + ENT;
}

/*
 * Well-formed datagrams of wire version 1 (16-byte entry headers, a
 * forward id in PROPOSE): what a node of the previous release sends. The
 * receiver must drop them as another version's (drops_version), whatever
 * they carry.
 */
static void version_1_datagrams(void)
{
	struct hdr h;

	h = typed(HEARTBEAT);
	h.version = 1;
	memset(pl(), 0, 8);
	send_msg(h, 8, 0);
	/* an APPEND of one entry "evil" at the receiver's term, v1 layout */
	h = typed(APPEND);
	h.version = 1;
	append_payload(0, 0, 0, 1);
	memset(pl() + 32, 0, 16);
	put64(pl() + 32, base.term);	/* term */
	put32(pl() + 40, 4);		/* len; type normal, pad */
	memcpy(pl() + 48, "evil", 4);
	send_msg(h, 52, 0);
	/* a v1 PROPOSE: u64 id, u32 len, u32 pad, data */
	h = typed(PROPOSE);
	h.version = 1;
	memset(pl(), 0, 16);
	put64(pl(), 77);
	put32(pl() + 8, 4);
	memcpy(pl() + 16, "evil", 4);
	send_msg(h, 20, 0);
	/* version 2: a 16-byte VOTE, an APPEND entry with a u32 len, no crc */
	h = typed(VOTE);
	h.version = 2;
	memset(pl(), 0, 16);
	put64(pl(), 1ULL << 40);
	put64(pl() + 8, base.term);
	send_msg(h, 16, 0);
	h = typed(APPEND);
	h.version = 2;
	append_payload(0, 0, 0, 1);
	memset(pl() + 32, 0, ENT);
	put64(pl() + 32, base.term);	/* term */
	put64(pl() + 40, 0xbad);	/* session */
	put64(pl() + 48, 1);		/* seq */
	put32(pl() + 56, 4);		/* len; type normal, pad */
	memcpy(pl() + 64, "evil", 4);
	send_msg(h, 68, 0);
}

static void header_classes(void)
{
	struct hdr h;
	size_t i;

	/* empty and truncated headers */
	send_len(0);
	for (i = 1; i < HDR; i += 7) {
		h = typed(HEARTBEAT);
		h.length = 8;
		put_hdr(&h);
		send_len(i);
	}
	/* bad magic, versions, types, cluster */
	memset(pl(), 0, 8);
	h = typed(HEARTBEAT);
	h.magic = 0x12345678;
	send_msg(h, 8, 0);
	for (i = 0; i < 4; i++) {
		static const uint8_t v[] = { 0, 2, 4, 255 };

		h = typed(HEARTBEAT);
		h.version = v[i];
		send_msg(h, 8, 0);
	}
	for (i = 0; i < 4; i++) {
		static const uint8_t t[] = { 0, 12, 0x7f, 255 };

		h = typed(t[i]);
		send_msg(h, 8, 0);
	}
	h = typed(HEARTBEAT);
	h.cluster = base.cluster + 1;
	send_msg(h, 8, 0);
	h.cluster = 0;
	send_msg(h, 8, 0);
	/* unknown senders and receivers */
	h = typed(HEARTBEAT);
	h.from = 42;
	send_msg(h, 8, 0);
	h.from = 0;
	send_msg(h, 8, 0);
	h.from = 0xffffffff;
	send_msg(h, 8, 0);
	h = typed(HEARTBEAT);
	h.to = 42;
	send_msg(h, 8, 0);
	h.to = 0;
	send_msg(h, 8, 0);
	/* term 0, the limit and the maximum */
	h = typed(HEARTBEAT);
	h.term = 0;
	send_msg(h, 8, 0);
	h.term = TERM_LIMIT;
	send_msg(h, 8, 0);
	h.term = UINT64_MAX;
	send_msg(h, 8, 0);
	h = typed(VOTE);
	h.term = UINT64_MAX;
	memset(pl(), 0, VOTE_LEN);
	send_msg(h, VOTE_LEN, 0);
	/* length field beyond, below and far beyond the datagram */
	h = typed(HEARTBEAT);
	h.length = 8 + 100;
	send_msg(h, 8, 1);
	h.length = 0;
	send_msg(h, 8, 1);
	h.length = 0xffffffff;
	send_msg(h, 8, 1);
	h.length = 7;
	send_msg(h, 8, 1);
	/* flags (bit 0 is a fragment: one too short to be one), reserved and
	 * a tag that is not there */
	h = typed(HEARTBEAT);
	h.flags = 2;
	send_msg(h, 8, 0);
	h.flags = 0x8000;
	send_msg(h, 8, 0);
	h.flags = 1;
	send_msg(h, 8, 0);
	h = typed(HEARTBEAT);
	h.reserved = 0xffff;
	send_msg(h, 8, 0);
	h = typed(HEARTBEAT);
	h.tag_len = 0xffff;
	send_msg(h, 8, 0);
	h.tag_len = 16;
	send_msg(h, 8, 0);
	version_1_datagrams();
}

static void payload_classes(void)
{
	struct hdr h;
	uint8_t t;

	/* every type with a short, a long and an empty payload */
	for (t = PREVOTE; t <= PROPOSE_RESP; t++) {
		h = typed(t);
		memset(pl(), 0, 64);
		send_msg(h, 3, 0);
		send_msg(h, 63, 0);
		if (t != HEARTBEAT_RESP)
			send_msg(h, 0, 0);
		else
			send_msg(h, 8, 0);
	}
	/* vote responses that are neither yes nor no; nonzero padding */
	h = typed(VOTE_RESP);
	memset(pl(), 0, 8);
	pl()[0] = 2;
	send_msg(h, 8, 0);
	pl()[0] = 1;
	pl()[7] = 1;
	send_msg(h, 8, 0);
	/* append: counts that lie */
	h = typed(APPEND);
	append_payload(0, 0, 0, 0xffffffff);
	send_msg(h, 32, 0);
	append_payload(0, 0, 0, 1);
	send_msg(h, 32, 0);
	append_payload(0, 0, 0, 100000);
	memset(pl() + 32, 0, 64);
	send_msg(h, 96, 0);
	/* one entry whose length is huge, then beyond max entry size */
	append_payload(0, 0, 0, 1);
	entry_at(32, base.term, 1, 1, 0xffffffff, 0);
	send_msg(h, 32 + ENT + 8, 0);
	put16(pl() + 32 + E_LEN, 65000);
	send_msg(h, 32 + ENT + 8, 0);
	/* entry with an unknown type, nonzero pad */
	entry_at(32, base.term, 1, 1, 4, 7);
	memcpy(pl() + 32 + ENT, "evil", 4);
	send_msg(h, 32 + ENT + 4, 0);
	pl()[32 + E_TYPE] = 0;
	pl()[32 + E_TYPE + 1] = 1;
	send_msg(h, 32 + ENT + 4, 0);
	/* trailing bytes after a valid entry */
	pl()[32 + E_TYPE + 1] = 0;
	send_msg(h, 32 + ENT + 5, 0);
	/* a valid entry whose data changed after its crc was made */
	seal_entries(32 + ENT + 4);
	pl()[32 + ENT + 1] ^= 0x20;
	send_raw_msg(h, 32 + ENT + 4);
	pl()[32 + ENT + 1] ^= 0x20;
	/* ... or whose crc did */
	seal_entries(32 + ENT + 4);
	pl()[32 + E_CRC] ^= 0x01;
	send_raw_msg(h, 32 + ENT + 4);
	/* a client entry without a writer: session 0, seq 0 */
	entry_at(32, base.term, 0, 1, 4, 0);
	memcpy(pl() + 32 + ENT, "evil", 4);
	send_msg(h, 32 + ENT + 4, 0);
	put64(pl() + 32 + 8, 1);
	put64(pl() + 32 + 16, 0);
	send_msg(h, 32 + ENT + 4, 0);
	/* a seq beyond the limit */
	put64(pl() + 32 + 16, TERM_LIMIT);
	send_msg(h, 32 + ENT + 4, 0);
	/* no-ops with a writer, and with data */
	entry_at(32, base.term, 5, 5, 0, 1);
	send_msg(h, 32 + ENT, 0);
	entry_at(32, base.term, 0, 0, 4, 1);
	memcpy(pl() + 32 + ENT, "evil", 4);
	send_msg(h, 32 + ENT + 4, 0);
	/* append: indexes beyond any log, with and without entries */
	append_payload(1ULL << 40, base.term, UINT64_MAX - 1, 0);
	send_msg(h, 32, 0);
	append_payload(UINT64_MAX - 1, UINT64_MAX - 1, UINT64_MAX, 0);
	send_msg(h, 32, 0);
	/* this one passes the decoder: the core must refuse it */
	append_payload(1ULL << 40, base.term, 1ULL << 41, 1);
	entry_at(32, base.term, 0xbad, 1, 4, 0);
	memcpy(pl() + 32 + ENT, "evil", 4);
	send_msg(h, 32 + ENT + 4, 0);
	/* entry term above the message term */
	append_payload(0, 0, 0, 1);
	entry_at(32, base.term + 1000, 0xbad, 2, 4, 0);
	memcpy(pl() + 32 + ENT, "evil", 4);
	put64(pl() + 8, 5);	/* prev_term without prev_index */
	send_msg(h, 32 + ENT + 4, 0);
	put64(pl() + 8, 0);
	put64(pl() + 32, base.term + 1);
	send_msg(h, 32 + ENT + 4, 0);
	/* entry terms that decrease, and a first one below prev_term */
	if (base.term > 1) {
		size_t d;

		append_payload(0, 0, 0, 2);
		d = entry_at(32, base.term, 0xbad, 3, 4, 0);
		memcpy(pl() + d, "evil", 4);
		d = entry_at(d + 4, base.term - 1, 0xbad, 4, 4, 0);
		memcpy(pl() + d, "evil", 4);
		send_msg(h, d + 4, 0);
		append_payload(0, base.term, 0, 1);
		entry_at(32, base.term - 1, 0xbad, 5, 4, 0);
		memcpy(pl() + 32 + ENT, "evil", 4);
		send_msg(h, 32 + ENT + 4, 0);
	}
	/* append responses claiming indexes the leader never had */
	h = typed(APPEND_RESP);
	memset(pl(), 0, 32);
	pl()[0] = 1;
	put64(pl() + 8, 1ULL << 40);
	send_msg(h, 32, 0);
	put64(pl() + 8, UINT64_MAX);
	send_msg(h, 32, 0);
	pl()[0] = 0;
	put64(pl() + 8, 1ULL << 40);
	put64(pl() + 16, 1ULL << 41);
	put64(pl() + 24, UINT64_MAX);
	send_msg(h, 32, 0);
	pl()[0] = 5;
	send_msg(h, 32, 0);
	/* heartbeat commit beyond the log */
	h = typed(HEARTBEAT);
	put64(pl(), 1ULL << 50);
	send_msg(h, 8, 0);
	put64(pl(), UINT64_MAX);
	send_msg(h, 8, 0);
	/* propose: lengths that lie, empty, oversized, no writer */
	h = typed(PROPOSE);
	memset(pl(), 0, PROPOSE_FIXED);
	put64(pl(), 0xbad);		/* session */
	put64(pl() + 8, 77);		/* seq */
	put32(pl() + 24, 0xffffffff);	/* len */
	send_msg(h, PROPOSE_FIXED, 0);
	put32(pl() + 24, 100);
	send_msg(h, PROPOSE_FIXED + 4, 0);
	put32(pl() + 24, 0);
	send_msg(h, PROPOSE_FIXED, 0);
	put32(pl() + 24, 4);
	memcpy(pl() + PROPOSE_FIXED, "evil", 4);
	put64(pl(), 0);
	send_msg(h, PROPOSE_FIXED + 4, 0);
	put64(pl(), 0xbad);
	put64(pl() + 8, 0);
	send_msg(h, PROPOSE_FIXED + 4, 0);
	put64(pl() + 8, TERM_LIMIT);
	send_msg(h, PROPOSE_FIXED + 4, 0);
	put64(pl() + 8, 77);
	put64(pl() + 16, UINT64_MAX);	/* start */
	send_msg(h, PROPOSE_FIXED + 4, 0);
	put64(pl() + 16, 0);
	pl()[28] = 1;			/* pad */
	send_msg(h, PROPOSE_FIXED + 4, 0);
	pl()[28] = 0;
	put32(pl() + 24, MAX_DGRAM - HDR - PROPOSE_FIXED);
	memset(pl() + PROPOSE_FIXED, 'P', MAX_DGRAM - HDR - PROPOSE_FIXED);
	send_msg(h, MAX_DGRAM - HDR, 0);
	/* answers to proposals nobody made, and unknown statuses */
	h = typed(PROPOSE_RESP);
	memset(pl(), 0, PROPOSE_RESP_LEN);
	put64(pl(), 0xdeadbeef);	/* session */
	put64(pl() + 8, 1);		/* seq */
	put64(pl() + 16, 1ULL << 40);	/* index */
	put64(pl() + 24, base.term);	/* term */
	put32(pl() + 32, 0);		/* status */
	send_msg(h, PROPOSE_RESP_LEN, 0);
	put32(pl() + 32, (uint32_t)-9);	/* ELOST */
	send_msg(h, PROPOSE_RESP_LEN, 0);
	put32(pl() + 32, (uint32_t)-10);
	send_msg(h, PROPOSE_RESP_LEN, 0);
	put32(pl() + 32, 0x80000000);
	send_msg(h, PROPOSE_RESP_LEN, 0);
	put32(pl() + 32, 0);
	put64(pl(), 0);
	send_msg(h, PROPOSE_RESP_LEN, 0);
	/* a datagram larger than the protocol allows */
	h = typed(APPEND);
	memset(pl(), 0, MAX_DGRAM);
	send_msg(h, MAX_DGRAM + 100 - HDR, 0);
}

static uint64_t rng;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void garbage(unsigned long n)
{
	unsigned long i;
	size_t len, j;
	struct hdr h;

	for (i = 0; i < n; i++) {
		len = rnd() % 100 == 0 ? MAX_DGRAM : rnd() % 1400;
		for (j = 0; j < len; j++)
			pkt[j] = rnd();
		send_len(len);
	}
	/* a valid header, then random bytes of a random length */
	for (i = 0; i < n; i++) {
		h = typed(1 + rnd() % PROPOSE_RESP);
		len = rnd() % 4 == 0 ? rnd() % 4 * 8 : rnd() % 200;
		for (j = 0; j < len; j++)
			pl()[j] = rnd();
		send_msg(h, len, 0);
	}
}

/*
 * forge: what an attacker who knows the wire format but not the key
 * would send to do harm. Each message goes out twice: without a trailer
 * (tag_len 0, as an insecure node sends) and with 32 random bytes as its
 * trailer (tag_len 32: a guessed epoch, counter and tag).
 */
static unsigned long forged;

static void send_forged(struct hdr h, size_t plen)
{
	size_t i;

	if (h.type == APPEND)
		seal_entries(plen);
	h.length = plen;
	h.tag_len = 0;
	put_hdr(&h);
	send_len(HDR + plen);
	h.tag_len = AUTH_LEN;
	put_hdr(&h);
	for (i = 0; i < AUTH_LEN; i++)
		pl()[plen + i] = rnd();
	send_len(HDR + plen + AUTH_LEN);
	forged += 2;
}

/* Parses "T1,T2,..." into @terms (at most @max); returns the count. */
static size_t parse_terms(const char *list, uint64_t *terms, size_t max)
{
	size_t n = 0;
	char *end;

	while (*list && n < max) {
		terms[n++] = strtoull(list, &end, 0);
		if (*end != ',')
			break;
		list = end + 1;
	}
	return n;
}

static int high_only;	/* forge --high-only: only the high-term classes */

static void forge(uint64_t index, const char *high)
{
	uint64_t terms[32];
	size_t n_terms = parse_terms(high, terms, 32), i, d;
	unsigned long before;
	uint64_t session = rnd() | 1;
	struct hdr h;
	uint32_t k;

#define CLASS(name, body)						\
	do {								\
		before = forged;					\
		body;							\
		printf("forged %s %lu\n", name, forged - before);	\
	} while (0)

	if (high_only)
		goto high;
	/* at the current term first: a later high term may end it */
	CLASS("propose", {
		for (k = 1; k <= 4; k++) {
			char data[32];
			int len = snprintf(data, sizeof(data),
					   "FORGED-PROPOSE-%u", k);

			h = typed(PROPOSE);
			memset(pl(), 0, PROPOSE_FIXED);
			put64(pl(), session);
			put64(pl() + 8, k);		/* seq */
			put32(pl() + 24, len);
			memcpy(pl() + PROPOSE_FIXED, data, len);
			send_forged(h, PROPOSE_FIXED + len);
		}
	});
	CLASS("append_future_entry_terms", {
		for (k = 1; k <= 4; k++) {
			/* after the receiver's log, then from its start */
			h = typed(APPEND);
			append_payload(k & 1 ? index : 0, k & 1 ? base.term : 0,
				       index, 2);
			d = entry_at(32, base.term + k, session, 100 + k, 15, 0);
			memcpy(pl() + d, "FORGED-APPEND-A", 15);
			d = entry_at(d + 15, base.term + 1000 * k, session,
				     200 + k, 15, 0);
			memcpy(pl() + d, "FORGED-APPEND-B", 15);
			send_forged(h, d + 15);
		}
	});
	CLASS("append_resp_reject_at_1", {
		for (k = 0; k < 4; k++) {
			h = typed(APPEND_RESP);
			memset(pl(), 0, 32);
			put64(pl() + 8, 1);		/* index */
			put64(pl() + 16, k & 1);	/* hint_index */
			put64(pl() + 24, 0);		/* hint_term */
			send_forged(h, 32);
		}
	});
high:
	CLASS("heartbeat_resp_high_term", {
		for (i = 0; i < n_terms; i++) {
			h = typed(HEARTBEAT_RESP);
			h.term = terms[i];
			send_forged(h, 0);
		}
	});
	CLASS("heartbeat_high_term", {
		for (i = 0; i < n_terms; i++) {
			h = typed(HEARTBEAT);
			h.term = terms[i];
			put64(pl(), index);
			send_forged(h, 8);
		}
	});
	CLASS("vote_high_term", {
		for (i = 0; i < n_terms; i++) {
			h = typed(VOTE);
			h.term = terms[i];
			put64(pl(), 1ULL << 40);	/* last_index */
			put64(pl() + 8, terms[i]);	/* last_term */
			memset(pl() + 16, 0, 8);	/* transfer, pad */
			send_forged(h, VOTE_LEN);
		}
	});
#undef CLASS
	printf("forged total %lu (%lu send errors)\n", forged, send_errors);
}

/* --- capture, replay, flip ----------------------------------------- */

struct captured {
	struct sockaddr_in src, dst;
	uint8_t type;
	uint16_t tag_len;
	size_t len;
	uint8_t *data;
};

static void print_captured(const struct captured *c)
{
	char s[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];
	size_t i;

	inet_ntop(AF_INET, &c->src.sin_addr, s, sizeof(s));
	inet_ntop(AF_INET, &c->dst.sin_addr, d, sizeof(d));
	printf("%s %u %s %u %u %u ", s, ntohs(c->src.sin_port), d,
	       ntohs(c->dst.sin_port), c->type, c->tag_len);
	for (i = 0; i < c->len; i++)
		printf("%02x", c->data[i]);
	putchar('\n');
}

/* A raw socket for sending, in the network namespace at @path if any. */
static int open_raw(const char *path)
{
	if (path) {
		int fd = open(path, O_RDONLY);

		if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
			perror(path);
			return -1;
		}
		close(fd);
	}
	sock = socket(AF_INET, SOCK_RAW, IPPROTO_RAW);
	if (sock < 0) {
		perror("raw socket");
		return -1;
	}
	return 0;
}

/*
 * One IPv4 packet @p (@n bytes) off a bridge port: a raftlog datagram to
 * @port into @c (pointing into @p), or 0.
 */
static int parse_ip(const uint8_t *p, size_t n, int port, struct captured *c)
{
	const struct iphdr *ip = (const struct iphdr *)p;
	const struct udphdr *udp;
	size_t ihl, ulen;

	if (n < sizeof(*ip) || ip->version != 4 || ip->protocol != IPPROTO_UDP)
		return 0;
	ihl = ip->ihl * 4;
	if (ntohs(ip->frag_off) & 0x3fff)	/* MF or an offset */
		return 0;
	if (ntohs(ip->tot_len) > n || ihl + sizeof(*udp) > ntohs(ip->tot_len))
		return 0;
	udp = (const struct udphdr *)(p + ihl);
	ulen = ntohs(udp->len);
	if (ntohs(udp->dest) != port || ulen < sizeof(*udp) + HDR ||
	    ihl + ulen > ntohs(ip->tot_len))
		return 0;
	memset(c, 0, sizeof(*c));
	c->data = (uint8_t *)udp + sizeof(*udp);
	c->len = ulen - sizeof(*udp);
	if (get32(c->data) != MAGIC)
		return 0;
	c->src.sin_family = c->dst.sin_family = AF_INET;
	c->src.sin_addr.s_addr = ip->saddr;
	c->dst.sin_addr.s_addr = ip->daddr;
	c->src.sin_port = udp->source;
	c->dst.sin_port = udp->dest;
	c->type = c->data[5];
	c->tag_len = get16(c->data + 36);
	return 1;
}

static int do_capture(int argc, char **argv)
{
	const char *netns = NULL;
	struct pollfd fds[16];
	size_t nfds = 0;
	long long deadline;
	unsigned long max, got = 0, reinjected = 0;
	char *ifs, *name;
	struct timespec ts;
	int port, ms;

	if (argc > 2 && !strcmp(argv[0], "--reinject")) {
		netns = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (argc != 4) {
		usage(stderr);
		return 2;
	}
	port = atoi(argv[1]);
	ms = atoi(argv[2]);
	max = strtoul(argv[3], NULL, 0);
	ifs = strdup(argv[0]);
	for (name = strtok(ifs, ","); name && nfds < 16;
	     name = strtok(NULL, ",")) {
		/*
		 * ETH_P_ALL: a bridge port's frames go to the bridge before
		 * any tap of one protocol would see them.
		 */
		struct sockaddr_ll ll = {
			.sll_family = AF_PACKET,
			.sll_protocol = htons(ETH_P_ALL),
			.sll_ifindex = if_nametoindex(name),
		};
		int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));

		if (fd < 0 || !ll.sll_ifindex ||
		    bind(fd, (struct sockaddr *)&ll, sizeof(ll)) < 0) {
			fprintf(stderr, "badpkt: cannot capture on %s: %s\n",
				name, strerror(errno));
			return 1;
		}
		fds[nfds].fd = fd;
		fds[nfds++].events = POLLIN;
	}
	/* the capture sockets stay in this namespace; the sender moves */
	if (netns && open_raw(netns))
		return 1;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	deadline = ts.tv_sec * 1000LL + ts.tv_nsec / 1000000 + ms;
	while (got < max) {
		long long left;
		size_t i;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		left = deadline - (ts.tv_sec * 1000LL + ts.tv_nsec / 1000000);
		if (left <= 0 || poll(fds, nfds, left) <= 0)
			break;
		for (i = 0; i < nfds && got < max; i++) {
			struct sockaddr_ll from;
			socklen_t fl = sizeof(from);
			struct captured c;
			ssize_t n;

			if (!(fds[i].revents & POLLIN))
				continue;
			n = recvfrom(fds[i].fd, pkt, sizeof(pkt), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fl);
			/* what the port sends towards its node is a copy */
			if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING ||
			    from.sll_protocol != htons(ETH_P_IP) ||
			    !parse_ip(pkt, n, port, &c))
				continue;
			got++;
			if (netns) {
				if (send_raw(&c.src, &c.dst, c.data, c.len) < 0)
					send_errors++;
				else
					reinjected++;
			}
			print_captured(&c);
		}
	}
	fflush(stdout);
	fprintf(stderr, "captured %lu, re-injected %lu (%lu send errors)\n",
		got, reinjected, send_errors);
	return 0;
}

/* Per destination counts of what replay and flip sent. */
static struct {
	struct in_addr addr;
	unsigned long n;
} dsts[64];
static size_t n_dsts;

static void count_dst(struct in_addr a)
{
	size_t i;

	for (i = 0; i < n_dsts; i++)
		if (dsts[i].addr.s_addr == a.s_addr)
			break;
	if (i == n_dsts) {
		if (n_dsts == 64)
			return;
		dsts[n_dsts++].addr = a;
	}
	dsts[i].n++;
}

static void send_counted(const struct captured *c, const uint8_t *data)
{
	if (send_raw(&c->src, &c->dst, data, c->len) < 0) {
		send_errors++;
		return;
	}
	sent++;
	count_dst(c->dst.sin_addr);
	if (sent % 64 == 0)
		usleep(2000);
}

/*
 * Copies of @c with one bit flipped, where raft_wire_peek() still accepts
 * the header (so that only the tag can tell): the term's bit 5 (unless
 * that makes it 0), the first and last payload byte, and the trailer's
 * epoch, counter and tag.
 */
static void send_flipped(const struct captured *c)
{
	size_t plen = c->len - HDR - c->tag_len, pos[6], n = 0, i;
	static uint8_t copy[MAX_DGRAM + 1024];

	if (get64(c->data + 24) != 32)
		pos[n++] = 24 * 8 + 5;
	if (plen) {
		pos[n++] = HDR * 8 + 1;
		pos[n++] = (HDR + plen - 1) * 8 + 6;
	}
	if (c->tag_len == AUTH_LEN) {
		pos[n++] = (c->len - 32) * 8;		/* epoch */
		pos[n++] = (c->len - 24) * 8 + 2;	/* counter */
		pos[n++] = (c->len - 16 + 7) * 8 + 3;	/* tag */
	}
	for (i = 0; i < n; i++) {
		memcpy(copy, c->data, c->len);
		copy[pos[i] / 8] ^= 1 << (pos[i] % 8);
		send_counted(c, copy);
	}
}

static int unhex(const char *hex, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(hex) / 2, i;

	if (n > cap)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return -1;
		out[i] = b;
	}
	*len = n;
	return 0;
}

static int do_replay(const char *file, int flip)
{
	char *line = NULL, s[64], d[64], *hex;
	size_t cap = 0, i;
	unsigned int sp, dp, type, tag;
	FILE *f = fopen(file, "r");
	unsigned long lines = 0;

	if (!f) {
		perror(file);
		return 1;
	}
	if (open_raw(NULL))
		return 1;
	hex = malloc(2 * MAX_DGRAM + 1024);
	while (getline(&line, &cap, f) > 0) {
		struct captured c;

		memset(&c, 0, sizeof(c));
		if (sscanf(line, "%63s %u %63s %u %u %u %s", s, &sp, d, &dp,
			   &type, &tag, hex) != 7 ||
		    inet_pton(AF_INET, s, &c.src.sin_addr) != 1 ||
		    inet_pton(AF_INET, d, &c.dst.sin_addr) != 1 ||
		    unhex(hex, pkt, sizeof(pkt), &c.len) || c.len < HDR ||
		    c.len < HDR + tag) {
			fprintf(stderr, "badpkt: bad line %lu of %s\n",
				lines + 1, file);
			return 1;
		}
		c.src.sin_family = c.dst.sin_family = AF_INET;
		c.src.sin_port = htons(sp);
		c.dst.sin_port = htons(dp);
		c.type = type;
		c.tag_len = tag;
		c.data = pkt;
		lines++;
		if (flip)
			send_flipped(&c);
		else
			send_counted(&c, c.data);
	}
	for (i = 0; i < n_dsts; i++)
		printf("dst %s %lu\n", inet_ntoa(dsts[i].addr), dsts[i].n);
	printf("%s %lu datagrams of %lu captured (%lu send errors)\n",
	       flip ? "flipped" : "replayed", sent, lines, send_errors);
	return send_errors ? 1 : 0;
}

static int resolve(const char *addr, const char *port)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&dst;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&dst;

	memset(&dst, 0, sizeof(dst));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(atoi(port));
		dst_len = sizeof(*s4);
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(atoi(port));
		dst_len = sizeof(*s6);
	} else {
		fprintf(stderr, "badpkt: bad address %s\n", addr);
		return -1;
	}
	if (spoof && dst.ss_family != AF_INET) {
		fprintf(stderr, "badpkt: --spoof needs an IPv4 target\n");
		return -1;
	}
	sock = spoof ? socket(AF_INET, SOCK_RAW, IPPROTO_RAW) :
		       socket(dst.ss_family, SOCK_DGRAM, 0);
	if (sock < 0) {
		perror("socket");
		return -1;
	}
	return 0;
}

static int do_recv(const char *port, int ms)
{
	struct sockaddr_in6 a;
	struct pollfd p;
	int off = 0;

	sock = socket(AF_INET6, SOCK_DGRAM, 0);
	if (sock < 0 ||
	    setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off))) {
		perror("socket");
		return 1;
	}
	memset(&a, 0, sizeof(a));
	a.sin6_family = AF_INET6;
	a.sin6_port = htons(atoi(port));
	if (bind(sock, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("bind");
		return 1;
	}
	p.fd = sock;
	p.events = POLLIN;
	while (poll(&p, 1, ms) > 0) {
		ssize_t n = recv(sock, pkt, sizeof(pkt), 0);

		if (n < 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			printf("%02x", pkt[i]);
		printf("\n");
		fflush(stdout);
	}
	return 0;
}

/*
 * The datagram @hex, @count times (send: once). A flood paces only as
 * send_len() does (2 ms per 64), far faster than a node's share of a loop
 * round: what a peer gone wrong sends.
 */
static int do_send(const char *hex, unsigned long count)
{
	size_t n = strlen(hex) / 2, i;

	for (i = 0; i < n && i < sizeof(pkt); i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return 2;
		pkt[i] = b;
	}
	while (count--)
		send_len(n);
	if (sent > 1)
		printf("sent %lu datagrams (%lu send errors)\n", sent,
		       send_errors);
	return send_errors && !sent ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long n_garbage = 2000;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "--spoof")) {
		char *colon = strchr(argv[2], ':');

		if (!colon) {
			usage(stderr);
			return 2;
		}
		*colon = 0;
		spoof_src.sin_family = AF_INET;
		spoof_src.sin_port = htons(atoi(colon + 1));
		if (inet_pton(AF_INET, argv[2], &spoof_src.sin_addr) != 1) {
			usage(stderr);
			return 2;
		}
		spoof = 1;
		argv += 2;
		argc -= 2;
	}
	if (argc == 4 && !strcmp(argv[1], "recv"))
		return do_recv(argv[2], atoi(argv[3]));
	if (argc > 2 && !strcmp(argv[1], "capture"))
		return do_capture(argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "replay"))
		return do_replay(argv[2], 0);
	if (argc == 3 && !strcmp(argv[1], "flip"))
		return do_replay(argv[2], 1);
	if (argc > 2 && !strcmp(argv[1], "forge") &&
	    !strcmp(argv[2], "--high-only")) {
		high_only = 1;
		argv[2] = argv[1];
		argv++;
		argc--;
	}
	if ((argc == 10 || argc == 11) && !strcmp(argv[1], "forge")) {
		if (resolve(argv[2], argv[3]))
			return 1;
		base.magic = MAGIC;
		base.version = VERSION;
		base.cluster = strtoull(argv[4], NULL, 0);
		base.term = strtoull(argv[5], NULL, 0);
		base.from = strtoul(argv[7], NULL, 0);
		base.to = strtoul(argv[8], NULL, 0);
		rng = argc > 10 ? strtoull(argv[10], NULL, 0) :
				  (uint64_t)time(NULL);
		rng |= 1;
		forge(strtoull(argv[6], NULL, 0), argv[9]);
		return send_errors ? 1 : 0;
	}
	if (argc == 5 && !strcmp(argv[1], "send")) {
		if (resolve(argv[2], argv[3]))
			return 1;
		return do_send(argv[4], 1);
	}
	if (argc == 6 && !strcmp(argv[1], "flood")) {
		if (resolve(argv[2], argv[3]))
			return 1;
		return do_send(argv[4], strtoul(argv[5], NULL, 0));
	}
	if (argc < 8 || argc > 10 || strcmp(argv[1], "attack")) {
		usage(stderr);
		return 2;
	}
	if (resolve(argv[2], argv[3]))
		return 1;
	base.magic = MAGIC;
	base.version = VERSION;
	base.cluster = strtoull(argv[4], NULL, 0);
	base.term = strtoull(argv[5], NULL, 0);
	base.from = strtoul(argv[6], NULL, 0);
	base.to = strtoul(argv[7], NULL, 0);
	if (argc > 8)
		n_garbage = strtoul(argv[8], NULL, 0);
	rng = argc > 9 ? strtoull(argv[9], NULL, 0) : (uint64_t)time(NULL);
	rng |= 1;

	header_classes();
	payload_classes();
	garbage(n_garbage);
	printf("sent %lu datagrams (%lu send errors)\n", sent, send_errors);
	return 0;
}
