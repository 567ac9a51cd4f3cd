// SPDX-License-Identifier: GPL-2.0
/*
 * UDP transport. The socket's data_ready callback runs in softirq and only
 * flags the node and queues its loop; the loop reads the datagrams, checks
 * each completely (header, cluster, that the sender is a configured peer
 * sending from its configured address, that we are the receiver, the
 * authentication tag, the replay window, the sender's share of the loop
 * round, then the full decode) before the core sees it, and counts every
 * drop by reason. Who the peers are, and where, is the address table that
 * follows the configuration (members.h); per-sender state (the replay
 * window, fragments in progress, the share of a round) lives in the slot
 * the table gives each id, so it follows the id across changes. Every datagram sent is
 * signed with the node's key and numbered (epoch, counter); a node with
 * no key (enabled only with insecure=1) sends and accepts datagrams
 * without a trailer only.
 * Sends happen from the loop too, never blocking (MSG_DONTWAIT): Raft
 * tolerates a lost datagram, a stalled loop would hurt more.
 *
 * No datagram is larger than max_datagram (1400 bytes by default, below a
 * 1500-byte MTU for IPv4 and IPv6), so replication never depends on IP
 * fragments: a larger message leaves as our own fragments (raft/frag.h),
 * each signed and numbered on its own, and is put together again per
 * sender, in a bounded buffer, before it is decoded.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/net.h>
#include <linux/ratelimit.h>
#include <linux/slab.h>
#include <net/inet_common.h>
#include <net/ip.h>
#include <net/sock.h>
#include <net/udp.h>
#include "loop.h"
#include "members.h"
#include "node.h"
#include "raft/frag.h"
#include "raft/wire.h"
#include "socket.h"
#include "trace.h"

#define RAFTLOG_SOCK_BUF	(4 << 20)
/*
 * What one peer may have stepped into the core per loop round: more than
 * a leader's full pipeline (64 appends in flight) and a heartbeat, so a
 * sound peer never meets it; a peer that sends more (a bug, a compromised
 * member) has the rest dropped after authentication, cheaply, and the
 * round reads on to the datagrams of the others.
 */
#define RAFTLOG_RX_PEER_BUDGET	72

/*
 * Fragments in and out (loop-owned): the sender's message numbers, one
 * fragment being built, and each peer's messages in progress by its slot
 * in the address table, as the replay windows.
 */
struct raftlog_frag {
	u32 tx_id;
	u8 tx[RAFT_DGRAM_MAX];
	struct raft_frag_rx rx[RAFTLOG_PEER_SLOTS];
};

static void raftlog_data_ready(struct sock *sk)
{
	struct raftlog_node *node;

	read_lock_bh(&sk->sk_callback_lock);
	node = sk->sk_user_data;
	if (node) {
		set_bit(RAFTLOG_NODE_RX, &node->flags);
		raftlog_loop_kick(node);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void raftlog_socket_tune(struct sock *sk)
{
	lock_sock(sk);
	/* Room for bursts of full-size AppendEntries in both directions. */
	sk->sk_userlocks |= SOCK_RCVBUF_LOCK | SOCK_SNDBUF_LOCK;
	WRITE_ONCE(sk->sk_rcvbuf, RAFTLOG_SOCK_BUF);
	WRITE_ONCE(sk->sk_sndbuf, RAFTLOG_SOCK_BUF);
	release_sock(sk);
	/* The address may come up after the instance (e.g. DAD on IPv6). */
	ip_sock_set_freebind(sk);
}

static void raftlog_frag_free(struct raftlog_node *node)
{
	u32 i;

	if (!node->frag)
		return;
	for (i = 0; i < RAFTLOG_PEER_SLOTS; i++)
		raft_frag_rx_free(&node->frag->rx[i]);
	kvfree(node->frag);
	node->frag = NULL;
}

int raftlog_socket_open(struct raftlog_node *node, struct net *net)
{
	const struct raftlog_peer_addr *self;
	struct socket *sock;
	struct sock *sk;
	int err;

	node->frag = kvzalloc(sizeof(*node->frag), GFP_KERNEL);
	if (!node->frag)
		return -ENOMEM;
	/* a restarted sender's numbers must not meet its last life's */
	node->frag->tx_id = get_random_u32();
	self = raftlog_config_node(&node->cfg, node->cfg.id);
	err = sock_create_kern(net, self->sa.sa_family, SOCK_DGRAM,
			       IPPROTO_UDP, &sock);
	if (err) {
		pr_err("%s: cannot create a UDP socket: %d\n", node->name, err);
		return err;
	}
	sk = sock->sk;
	raftlog_socket_tune(sk);
	err = kernel_bind(sock, (struct sockaddr *)&self->sa,
			  self->sa.sa_family == AF_INET6 ?
			  sizeof(self->sin6) : sizeof(self->sin));
	if (err) {
		pr_err("%s: cannot bind to %pISpc: %d\n", node->name,
		       &self->sa, err);
		sock_release(sock);
		return err;
	}
	node->sock = sock;
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = node;
	sk->sk_data_ready = raftlog_data_ready;
	write_unlock_bh(&sk->sk_callback_lock);
	/* Datagrams may have arrived before the callback was ours. */
	raftlog_data_ready(sk);
	return 0;
}

void raftlog_socket_detach(struct raftlog_node *node)
{
	struct sock *sk;

	if (!node->sock)
		return;
	sk = node->sock->sk;
	/* A callback holds the read side; after this none kicks the loop. */
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	write_unlock_bh(&sk->sk_callback_lock);
}

void raftlog_socket_close(struct raftlog_node *node)
{
	raftlog_frag_free(node);
	if (!node->sock)
		return;
	raftlog_socket_detach(node);
	sock_release(node->sock);
	node->sock = NULL;
	/*
	 * Softirqs that found the socket before it was unhashed may still
	 * call our data_ready (which now does nothing); wait for them so the
	 * module cannot go away under them.
	 */
	synchronize_net();
}

/* Seals @len bytes at @buf (room for the trailer behind) and sends them. */
static void raftlog_socket_xmit(struct raftlog_node *node,
				const struct raftlog_peer_addr *peer,
				void *buf, int len, size_t cap)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT };
	struct kvec iov;

	if (node->keys.n)
		len = raft_wire_seal(buf, len, cap, node->keys.key[0],
				     node->tx_epoch, ++node->tx_counter);
	if (len < 0) {
		node->stats.send_errors++;
		return;
	}
	msg.msg_name = (void *)&peer->sa;
	msg.msg_namelen = peer->sa.sa_family == AF_INET6 ?
			  sizeof(peer->sin6) : sizeof(peer->sin);
	iov.iov_base = buf;
	iov.iov_len = len;
	if (kernel_sendmsg(node->sock, &msg, &iov, 1, len) < 0) {
		node->stats.send_errors++;
		return;
	}
	node->stats.msgs_sent++;
	node->stats.bytes_sent += len;
}

void raftlog_socket_send(struct raftlog_node *node, const struct raft_msg *m)
{
	size_t max = raftlog_max_datagram(&node->cfg);
	size_t trailer = node->keys.n ? RAFT_WIRE_AUTH_LEN : 0;
	const struct raftlog_peer_addr *peer;
	struct raftlog_member_addr *e;
	struct raftlog_frag *fr = node->frag;
	u32 i, n, id;
	int len;

	raftlog_assert_loop(node);
	e = raftlog_members_find(node->members, m->to);
	peer = e ? &e->pa : NULL;
	if (!peer || m->to == node->cfg.id) {
		node->stats.send_errors++;
		return;
	}
	len = raft_wire_encode(m, node->cfg.cluster_id, node->txbuf,
			       RAFT_WIRE_MAX_LEN);
	if (len < 0) {
		pr_err_ratelimited("%s: cannot encode a message of type %u: %s\n",
				   node->name, m->type,
				   raft_wire_strerror(len));
		node->stats.send_errors++;
		return;
	}
	n = raft_frag_count(len, max, trailer);
	if (n == 1) {
		raftlog_socket_xmit(node, peer, node->txbuf, len,
				    RAFTLOG_TXBUF_SIZE);
		return;
	}
	id = ++fr->tx_id;
	for (i = 0; i < n; i++) {
		int flen = raft_frag_build(node->txbuf, len, id, i, max,
					   trailer, fr->tx, sizeof(fr->tx));

		if (flen < 0) {	/* max_datagram is checked: cannot happen */
			node->stats.send_errors++;
			return;
		}
		raftlog_socket_xmit(node, peer, fr->tx, flen, sizeof(fr->tx));
	}
}

/* @n datagrams (or messages) dropped for @reason, and in the sum drops. */
static void raftlog_count_drops(struct raftlog_node *node,
				enum raftlog_drop_reason reason, u64 n)
{
	node->stats.drop[reason] += n;
	node->stats.drops += n;
}

static void raftlog_drop(struct raftlog_node *node,
			 enum raftlog_drop_reason reason, u32 len)
{
	raftlog_count_drops(node, reason, 1);
	trace_raftlog_drop(node->name, reason, len);
}

static enum raftlog_drop_reason raftlog_wire_reason(int err)
{
	switch (err) {
	case RAFT_WIRE_EVERSION:
		return RAFTLOG_DROP_VERSION;
	case RAFT_WIRE_ECLUSTER:
		return RAFTLOG_DROP_CLUSTER;
	case RAFT_WIRE_ETYPE:
		return RAFTLOG_DROP_TYPE;
	case RAFT_WIRE_ELIMIT:
		return RAFTLOG_DROP_LIMIT;
	case RAFT_WIRE_ECRC:
		return RAFTLOG_DROP_CHECKSUM;
	default:
		return RAFTLOG_DROP_MALFORMED;
	}
}

/*
 * A datagram of another wire version (RAFT_WIRE_EVERSION: its magic is
 * ours) is counted like any drop; an operator who mixed versions also
 * needs to be told, but not per packet: one line a minute at most, for
 * all instances together.
 */
static void raftlog_warn_version(struct raftlog_node *node,
				 const struct sockaddr_storage *from)
{
	static DEFINE_RATELIMIT_STATE(rs, 60 * HZ, 1);
	const u8 *b = node->rxbuf;

	if (__ratelimit(&rs))
		pr_warn("%s: dropped a version %u datagram from %pISpc: this module speaks version %u; upgrade every node\n",
			node->name, b[RAFT_WIRE_VERSION_OFF], from,
			RAFT_WIRE_VERSION);
}

/*
 * Whether the datagram in node->rxbuf (@hdr, @len bytes) from the peer at
 * @slot of the address table is authentic and new. The tag is checked
 * before anything else is believed, the replay window only after it.
 */
static bool raftlog_authentic(struct raftlog_node *node,
			      const struct raft_wire_hdr *hdr, u32 len,
			      u32 slot)
{
	const struct raftlog_keys *k = &node->keys;
	u64 epoch = 0, counter = 0;
	u32 i;

	if (!k->n) {		/* insecure: no key to sign or check with */
		if (!hdr->auth_len)
			return true;
		raftlog_drop(node, RAFTLOG_DROP_AUTH, len);
		return false;
	}
	for (i = 0; i < k->n; i++)
		if (raft_wire_verify(node->rxbuf, len, hdr, k->key[i], &epoch,
				     &counter))
			break;
	if (i == k->n) {
		raftlog_drop(node, RAFTLOG_DROP_AUTH, len);
		return false;
	}
	if (!raft_replay_accept(&node->replay[slot], epoch, counter)) {
		raftlog_drop(node, RAFTLOG_DROP_REPLAY, len);
		return false;
	}
	return true;
}

/*
 * The authentic fragment in node->rxbuf (@hdr, @len bytes) from the peer
 * at @slot: 0 while its message is incomplete (or the fragment was
 * refused), else the message's length, *@buf pointing to it. Partial
 * messages given up are counted once each, never logged.
 */
static u32 raftlog_reassemble(struct raftlog_node *node,
			      const struct raft_wire_hdr *hdr, u32 len,
			      u32 slot, const u8 **buf)
{
	struct raft_frag_rx *rx = &node->frag->rx[slot];
	u64 dropped = rx->dropped;
	int ret;

	ret = raft_frag_add(rx, node->rxbuf, len, hdr,
			    ktime_to_ms(ktime_get()), buf);
	/* each partial message given up is one drop */
	raftlog_count_drops(node, RAFTLOG_DROP_FRAGMENT, rx->dropped - dropped);
	if (ret < 0)
		raftlog_drop(node, RAFTLOG_DROP_FRAGMENT, len);
	return ret > 0 ? ret : 0;
}

void raftlog_socket_reset_slot(struct raftlog_node *node, u32 slot)
{
	memset(&node->replay[slot], 0, sizeof(node->replay[slot]));
	if (node->frag)
		raft_frag_rx_free(&node->frag->rx[slot]);
}

/*
 * A datagram from an id the address table does not know: in an
 * authenticated cluster, an authentic one is a member of a configuration
 * this node has not seen yet (members.h), learnt with the address it came
 * from. NULL otherwise (the caller counts the drop). Its replay window is
 * checked afterwards, as for every sender.
 */
static struct raftlog_member_addr *
raftlog_learn(struct raftlog_node *node, const struct raft_wire_hdr *hdr,
	      u32 len, const struct sockaddr_storage *from)
{
	const struct raftlog_keys *k = &node->keys;
	struct raftlog_member_addr *e;
	u64 epoch, counter;
	u32 i;

	for (i = 0; i < k->n; i++)
		if (raft_wire_verify(node->rxbuf, len, hdr, k->key[i], &epoch,
				     &counter))
			break;
	if (!k->n || i == k->n)
		return NULL;
	e = raftlog_members_learn(node->members, hdr->sender, from);
	if (!e)
		return NULL;
	raftlog_socket_reset_slot(node, e->slot);
	pr_info_ratelimited("%s: node %u at %pISpc is not in this node's configuration; its datagrams are authentic: learnt\n",
			    node->name, hdr->sender, from);
	return e;
}

/*
 * Checks one datagram of @len bytes in node->rxbuf and steps it; @used
 * counts what each peer (by its slot) had stepped this round.
 */
static void raftlog_deliver(struct raftlog_node *node,
			    const struct sockaddr_storage *from, u32 len,
			    u8 *used)
{
	struct raftlog_member_addr *peer;
	struct raft_wire_hdr hdr;
	const u8 *buf;
	struct raft_msg m;
	u32 slot;
	int err;

	err = raft_wire_peek(node->rxbuf, len, node->cfg.cluster_id, &hdr);
	if (err) {
		if (err == RAFT_WIRE_EVERSION)
			raftlog_warn_version(node, from);
		raftlog_drop(node, raftlog_wire_reason(err), len);
		return;
	}
	if (hdr.receiver != node->cfg.id) {
		raftlog_drop(node, RAFTLOG_DROP_WRONG_RECEIVER, len);
		return;
	}
	peer = raftlog_members_find(node->members, hdr.sender);
	if (!peer && hdr.sender && hdr.sender != node->cfg.id)
		peer = raftlog_learn(node, &hdr, len, from);
	if (!peer || hdr.sender == node->cfg.id ||
	    !raftlog_addr_equal(&peer->pa, from)) {
		raftlog_drop(node, RAFTLOG_DROP_UNKNOWN_SENDER, len);
		return;
	}
	slot = peer->slot;
	if (!raftlog_authentic(node, &hdr, len, slot))
		return;
	buf = node->rxbuf;
	if (hdr.flags & RAFT_WIRE_F_FRAG) {
		len = raftlog_reassemble(node, &hdr, len, slot, &buf);
		if (!len)
			return;
	}
	/* only an authentic message spends its sender's share */
	if (used[slot] >= RAFTLOG_RX_PEER_BUDGET) {
		raftlog_drop(node, RAFTLOG_DROP_BUDGET, len);
		return;
	}
	used[slot]++;
	err = raft_wire_decode(buf, len, node->cfg.cluster_id,
			       node->max_entry_size, &m, node->rx_ents,
			       RAFT_MAX_BATCH);
	if (err) {
		raftlog_drop(node, raftlog_wire_reason(err), len);
		return;
	}
	if (raft_step(node->raft, &m) != RAFT_OK)
		raftlog_drop(node, RAFTLOG_DROP_REJECTED, len);
}

bool raftlog_socket_receive(struct raftlog_node *node, unsigned int budget)
{
	u8 used[RAFTLOG_PEER_SLOTS] = { 0 };
	struct sockaddr_storage from;
	struct msghdr msg;
	struct kvec iov;
	int len;

	raftlog_assert_loop(node);
	BUILD_BUG_ON(RAFTLOG_RX_PEER_BUDGET > U8_MAX);
	if (!test_and_clear_bit(RAFTLOG_NODE_RX, &node->flags))
		return false;
	while (budget--) {
		memset(&msg, 0, sizeof(msg));
		msg.msg_name = &from;
		msg.msg_namelen = sizeof(from);
		iov.iov_base = node->rxbuf;
		iov.iov_len = RAFTLOG_RXBUF_SIZE;
		len = kernel_recvmsg(node->sock, &msg, &iov, 1,
				     RAFTLOG_RXBUF_SIZE, MSG_DONTWAIT);
		if (len == -EAGAIN)
			return false;
		if (len < 0)
			continue;	/* a queued error; the next may be data */
		node->stats.msgs_received++;
		node->stats.bytes_received += len;
		if (msg.msg_flags & MSG_TRUNC)
			raftlog_drop(node, RAFTLOG_DROP_MALFORMED, len);
		else
			raftlog_deliver(node, &from, len, used);
	}
	/* Budget spent: more may wait, come back after other work. */
	set_bit(RAFTLOG_NODE_RX, &node->flags);
	return true;
}
