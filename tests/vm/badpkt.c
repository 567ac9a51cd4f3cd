// SPDX-License-Identifier: GPL-2.0
/*
 * badpkt: send raftlog datagrams that are malformed on purpose (per the
 * wire format in kmod/raft/wire.h), and random garbage, to one node.
 * Used by the bad-packets VM scenario; built static on the host.
 *
 *   badpkt [--spoof IP:PORT] attack ADDR PORT CLUSTER TERM FROM TO
 *          [GARBAGE] [SEED]
 *   badpkt send ADDR PORT HEX       one datagram of the given bytes
 *   badpkt recv PORT MS             print datagrams received for MS ms
 *
 * The attack's packets claim to come from node FROM (a cluster member, or
 * not) and go to node TO, at term TERM where a term must look current.
 * They are of the current wire version (2), so that they reach the
 * decoder and the core, except for the version classes: among those, well
 * formed datagrams of version 1 (as the previous release sent them), which
 * a receiver must drop as another version's.
 * With --spoof (IPv4 only) they leave through a raw socket with the given
 * source address and port, so that they pass a receiver's check that the
 * datagram comes from FROM's configured address and reach the Raft core.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* From kmod/raft/wire.h and raft.h; restated so the tool stands alone. */
#define MAGIC		0x4c544652U
#define VERSION		2
#define HDR		40
#define ENT		32	/* an APPEND entry's header */
#define PROPOSE_FIXED	32
#define PROPOSE_RESP_LEN 40
#define MAX_DGRAM	65000
#define TERM_LIMIT	(1ULL << 62)

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
"       badpkt recv PORT MS\n"
"\n"
"attack: send every malformed class of raftlog datagram (empty, truncated,\n"
"bad magic/version/type/cluster/sender, version 1 datagrams, term 0 and\n"
"maximum, bad length and count fields, bad entry sessions and terms,\n"
"oversized, indexes beyond any log) to ADDR:PORT, claiming\n"
"to be node FROM writing to node TO at term TERM, then GARBAGE (default\n"
"2000) random datagrams and as many random payloads behind a valid header.\n"
"Prints the number of datagrams sent. --spoof sends them (IPv4 only)\n"
"through a raw socket from source IP:PORT instead.\n");
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

/* The datagram in @pkt behind an IPv4 and UDP header from spoof_src. */
static ssize_t send_spoofed(size_t len)
{
	const struct sockaddr_in *d = (const struct sockaddr_in *)&dst;
	struct iphdr *ip = (struct iphdr *)raw;
	struct udphdr *udp = (struct udphdr *)(raw + sizeof(*ip));
	size_t total = sizeof(*ip) + sizeof(*udp) + len;

	memset(raw, 0, sizeof(*ip) + sizeof(*udp));
	ip->version = 4;
	ip->ihl = 5;
	ip->ttl = 64;
	ip->protocol = IPPROTO_UDP;
	ip->tot_len = htons(total);	/* the kernel fills id and checksum */
	ip->saddr = spoof_src.sin_addr.s_addr;
	ip->daddr = d->sin_addr.s_addr;
	udp->source = spoof_src.sin_port;
	udp->dest = d->sin_port;
	udp->len = htons(sizeof(*udp) + len);
	udp->check = 0;			/* none: allowed over IPv4 */
	memcpy(raw + sizeof(*ip) + sizeof(*udp), pkt, len);
	return sendto(sock, raw, total, 0, (struct sockaddr *)&dst, dst_len);
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

/* Header @h (length fixed to @plen unless @keep_len) + payload in place. */
static void send_msg(struct hdr h, size_t plen, int keep_len)
{
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
 * An entry header at payload offset @off: term, session, seq, len, type,
 * pad zero. Returns the offset of its data.
 */
static size_t entry_at(size_t off, uint64_t term, uint64_t session,
		       uint64_t seq, uint32_t len, uint8_t type)
{
	memset(pl() + off, 0, ENT);
	put64(pl() + off, term);
	put64(pl() + off + 8, session);
	put64(pl() + off + 16, seq);
	put32(pl() + off + 24, len);
	pl()[off + 28] = type;
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
		static const uint8_t v[] = { 0, 1, 3, 255 };

		h = typed(HEARTBEAT);
		h.version = v[i];
		send_msg(h, 8, 0);
	}
	for (i = 0; i < 4; i++) {
		static const uint8_t t[] = { 0, 11, 0x7f, 255 };

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
	memset(pl(), 0, 16);
	send_msg(h, 16, 0);
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
	/* flags, reserved and a tag that is not there */
	h = typed(HEARTBEAT);
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
	put32(pl() + 32 + 24, 1U << 20);
	send_msg(h, 32 + ENT + 8, 0);
	/* entry with an unknown type, nonzero pad */
	entry_at(32, base.term, 1, 1, 4, 7);
	memcpy(pl() + 32 + ENT, "evil", 4);
	send_msg(h, 32 + ENT + 4, 0);
	pl()[32 + 28] = 0;
	pl()[32 + 30] = 1;
	send_msg(h, 32 + ENT + 4, 0);
	/* trailing bytes after a valid entry */
	pl()[32 + 30] = 0;
	send_msg(h, 32 + ENT + 5, 0);
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

static int do_send(const char *hex)
{
	size_t n = strlen(hex) / 2, i;

	for (i = 0; i < n && i < sizeof(pkt); i++) {
		unsigned int b;

		if (sscanf(hex + 2 * i, "%2x", &b) != 1)
			return 2;
		pkt[i] = b;
	}
	send_len(n);
	return send_errors ? 1 : 0;
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
	if (argc == 5 && !strcmp(argv[1], "send")) {
		if (resolve(argv[2], argv[3]))
			return 1;
		return do_send(argv[4]);
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
