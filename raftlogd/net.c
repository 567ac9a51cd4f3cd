// SPDX-License-Identifier: GPL-2.0
/*
 * UDP transport, the module's (kmod/socket.c) rules in userspace: every
 * datagram is checked completely (header, cluster, a configured sender at
 * its configured address, that we are the receiver, the tag, the replay
 * window, then the full decode) before the core sees it; every datagram
 * sent is sealed with the key and numbered (epoch, counter), and none is
 * larger than --max-datagram: larger messages leave as fragments
 * (kmod/raft/frag.h), put together per sender before decoding. A ready's
 * messages leave in one sendmmsg(), datagrams arrive RLD_RX_BATCH per
 * recvmmsg(): no syscall per message on the hot path.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "raftlogd.h"

#define RLD_SOCK_BUF	(4 << 20)
#define RLD_RXBUF	65536

static u8 *rx_buf[RLD_RX_BATCH];
static struct sockaddr_storage rx_from[RLD_RX_BATCH];
static struct raft_entry *rx_ents;
static u8 **tx_buf;
static u32 tx_cap;
static struct mmsghdr *tx_msgs;
static struct iovec *tx_iov;

static const struct rld_peer *rld_peer(const struct rld_node *n, u32 id)
{
	u32 i;

	for (i = 0; i < n->n_nodes; i++)
		if (n->nodes[i].id == id)
			return &n->nodes[i];
	return NULL;
}

int rld_net_open(struct rld_node *n)
{
	const struct rld_peer *self = rld_peer(n, n->id);
	int one = 1, buf = RLD_SOCK_BUF, i;

	rx_ents = calloc(RAFT_MAX_BATCH, sizeof(*rx_ents));
	for (i = 0; i < RLD_RX_BATCH; i++)
		rx_buf[i] = malloc(RLD_RXBUF);
	if (!rx_ents || !rx_buf[RLD_RX_BATCH - 1])
		return -ENOMEM;
	n->udp = socket(self->sa.sa_family, SOCK_DGRAM | SOCK_NONBLOCK |
			SOCK_CLOEXEC, 0);
	if (n->udp < 0)
		return -errno;
	/* Room for bursts of full-size AppendEntries, as the module asks. */
	if (setsockopt(n->udp, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)))
		setsockopt(n->udp, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (setsockopt(n->udp, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)))
		setsockopt(n->udp, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (self->sa.sa_family == AF_INET6)
		setsockopt(n->udp, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			   sizeof(one));
	/* The address may come up after us (DAD on IPv6): freebind. */
	setsockopt(n->udp, IPPROTO_IP, IP_FREEBIND, &one, sizeof(one));
	if (bind(n->udp, &self->sa, self->len))
		return -errno;
	return 0;
}

/* Room for @want datagrams of max_datagram bytes each. */
static int rld_tx_room(const struct rld_node *n, u32 want)
{
	u32 i, cap = tx_cap ? tx_cap : 64;

	if (want <= tx_cap)
		return 0;
	while (cap < want)
		cap *= 2;
	tx_buf = realloc(tx_buf, cap * sizeof(*tx_buf));
	tx_msgs = realloc(tx_msgs, cap * sizeof(*tx_msgs));
	tx_iov = realloc(tx_iov, cap * sizeof(*tx_iov));
	if (!tx_buf || !tx_msgs || !tx_iov)
		return -ENOMEM;
	for (i = tx_cap; i < cap; i++) {
		tx_buf[i] = malloc(n->max_datagram);
		if (!tx_buf[i])
			return -ENOMEM;
		tx_cap = i + 1;
	}
	return 0;
}

/* Seals datagram @k (@len bytes) for @peer; false when it cannot go. */
static bool rld_seal(struct rld_node *n, const struct rld_peer *peer, u32 k,
		     int len)
{
	if (!n->insecure)
		len = raft_wire_seal(tx_buf[k], len, n->max_datagram, n->key,
				     n->tx_epoch, ++n->tx_counter);
	if (len < 0)
		return false;
	tx_iov[k].iov_base = tx_buf[k];
	tx_iov[k].iov_len = len;
	memset(&tx_msgs[k], 0, sizeof(tx_msgs[k]));
	tx_msgs[k].msg_hdr.msg_name = (void *)&peer->sa;
	tx_msgs[k].msg_hdr.msg_namelen = peer->len;
	tx_msgs[k].msg_hdr.msg_iovlen = 1;
	return true;
}

/*
 * Encodes @m into datagrams from slot *@k on (one, or its fragments when
 * it is larger than max_datagram: kmod/socket.c's rule); false when it
 * cannot go.
 */
static bool rld_encode(struct rld_node *n, const struct raft_msg *m, u32 *k)
{
	static u8 enc[RAFT_WIRE_MAX_LEN];
	const struct rld_peer *peer = rld_peer(n, m->to);
	size_t trailer = n->insecure ? 0 : RAFT_WIRE_AUTH_LEN;
	struct raft_msg copy;
	u32 i, count, id;
	int len, flen;

	if (!peer || m->to == n->id)
		return false;
	if (m->type == RAFT_MSG_APPEND && m->append.load) {
		copy = *m;
		if (rld_disk_load(n, &copy))
			return false;
		m = &copy;
	}
	len = raft_wire_encode(m, n->cluster_id, enc, sizeof(enc));
	count = len < 0 ? 0 : raft_frag_count(len, n->max_datagram, trailer);
	if (!count || rld_tx_room(n, *k + count)) {
		rld_log("cannot encode a message of type %u: %s", m->type,
			len < 0 ? raft_wire_strerror(len) : "no room");
		return false;
	}
	if (count == 1) {
		memcpy(tx_buf[*k], enc, len);
		return rld_seal(n, peer, (*k)++, len);
	}
	id = ++n->frag_id;
	for (i = 0; i < count; i++) {
		flen = raft_frag_build(enc, len, id, i, n->max_datagram,
				       trailer, tx_buf[*k], n->max_datagram);
		if (flen < 0 || !rld_seal(n, peer, *k, flen))
			return false;
		(*k)++;
	}
	return true;
}

void rld_net_send(struct rld_node *n, const struct raft_ready *rd,
		  bool after)
{
	u32 i, k = 0, sent = 0, first;
	int r;

	for (i = 0; i < rd->n_msgs; i++) {
		if (rd->msgs[i].after_persist != after)
			continue;
		first = k;
		if (!rld_encode(n, &rd->msgs[i], &k)) {
			k = first;	/* none of a message, not a part */
			n->stats.send_errors++;
		}
	}
	/* the arrays may have moved while they grew: point into them now */
	for (i = 0; i < k; i++)
		tx_msgs[i].msg_hdr.msg_iov = &tx_iov[i];
	/* Never blocks: Raft tolerates a lost datagram, not a stalled loop. */
	while (sent < k) {
		r = sendmmsg(n->udp, tx_msgs + sent, k - sent, MSG_DONTWAIT);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			/* this one cannot go (unreachable, full): skip it */
			n->stats.send_errors++;
			sent++;
			continue;
		}
		n->stats.msgs_sent += r;
		sent += r;
	}
}

static bool rld_addr_equal(const struct rld_peer *p,
			   const struct sockaddr_storage *ss)
{
	const struct sockaddr_in *a = (const void *)ss;
	const struct sockaddr_in6 *b = (const void *)ss;

	if (ss->ss_family != p->sa.sa_family)
		return false;
	if (ss->ss_family == AF_INET)
		return a->sin_port == p->sin.sin_port &&
		       a->sin_addr.s_addr == p->sin.sin_addr.s_addr;
	return b->sin6_port == p->sin6.sin6_port &&
	       !memcmp(&b->sin6_addr, &p->sin6.sin6_addr, 16);
}

/* Checks one datagram and steps it (kmod/socket.c raftlog_deliver()). */
static void rld_deliver(struct rld_node *n, const u8 *buf, u32 len,
			const struct sockaddr_storage *from)
{
	const struct rld_peer *peer;
	struct raft_wire_hdr hdr;
	u64 epoch = 0, counter = 0;
	struct raft_msg m;
	int r;

	if (raft_wire_peek(buf, len, n->cluster_id, &hdr) ||
	    hdr.receiver != n->id)
		goto drop;
	peer = rld_peer(n, hdr.sender);
	if (!peer || hdr.sender == n->id || !rld_addr_equal(peer, from))
		goto drop;
	if (n->insecure) {
		if (hdr.auth_len)
			goto drop;
	} else if (!raft_wire_verify(buf, len, &hdr, n->key, &epoch,
				     &counter) ||
		   !raft_replay_accept(&n->replay[peer - n->nodes], epoch,
				       counter)) {
		goto drop;
	}
	if (hdr.flags & RAFT_WIRE_F_FRAG) {
		r = raft_frag_add(&n->frag_rx[peer - n->nodes], buf, len, &hdr,
				  rld_now_ms(), &buf);
		if (!r)
			return;		/* held: more fragments to come */
		if (r < 0)
			goto drop;
		len = r;
	}
	if (raft_wire_decode(buf, len, n->cluster_id, n->max_entry_size, &m,
			     rx_ents, RAFT_MAX_BATCH))
		goto drop;
	if (raft_step(n->raft, &m) == RAFT_OK)
		return;
drop:
	n->stats.drops++;
}

bool rld_net_receive(struct rld_node *n)
{
	struct mmsghdr msgs[RLD_RX_BATCH];
	struct iovec iov[RLD_RX_BATCH];
	int i, r, round;

	for (round = 0; round < RLD_RX_BUDGET; round++) {
		memset(msgs, 0, sizeof(msgs));
		for (i = 0; i < RLD_RX_BATCH; i++) {
			iov[i].iov_base = rx_buf[i];
			iov[i].iov_len = RLD_RXBUF;
			msgs[i].msg_hdr.msg_iov = &iov[i];
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &rx_from[i];
			msgs[i].msg_hdr.msg_namelen = sizeof(rx_from[i]);
		}
		r = recvmmsg(n->udp, msgs, RLD_RX_BATCH, MSG_DONTWAIT, NULL);
		if (r < 0)
			return errno == EINTR;
		n->stats.msgs_received += r;
		for (i = 0; i < r; i++) {
			if (msgs[i].msg_hdr.msg_flags & MSG_TRUNC)
				n->stats.drops++;
			else
				rld_deliver(n, rx_buf[i], msgs[i].msg_len,
					    &rx_from[i]);
		}
		if (r < RLD_RX_BATCH)
			return false;
	}
	return true;	/* budget spent: more may wait */
}
