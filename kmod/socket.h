/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UDP transport of a node: one kernel socket bound to the node's own
 * address in the network namespace of whoever enabled it.
 */
#ifndef RAFTLOG_SOCKET_H
#define RAFTLOG_SOCKET_H

#include <linux/types.h>
#include "raft/wire.h"

struct raftlog_node;
struct raft_msg;

/* Why a datagram was dropped; the order matches the trace output. */
enum raftlog_drop_reason {
	RAFTLOG_DROP_MALFORMED,
	RAFTLOG_DROP_VERSION,
	RAFTLOG_DROP_CLUSTER,
	RAFTLOG_DROP_TYPE,
	RAFTLOG_DROP_LIMIT,
	RAFTLOG_DROP_UNKNOWN_SENDER,
	RAFTLOG_DROP_WRONG_RECEIVER,
	RAFTLOG_DROP_REJECTED,
	RAFTLOG_DROP_AUTH,
	RAFTLOG_DROP_REPLAY,
	RAFTLOG_DROP_BUDGET,
	RAFTLOG_DROP_FRAGMENT,	/* a fragment refused (frag.h) */
	RAFTLOG_DROP_CHECKSUM,	/* an APPEND with an entry's CRC32C wrong */
	RAFTLOG_DROP_REASONS	/* their number */
};

#define RAFTLOG_RXBUF_SIZE	65536	/* any UDP payload fits */
#define RAFTLOG_TXBUF_SIZE	RAFT_WIRE_DGRAM_MAX	/* with the trailer */

int raftlog_socket_open(struct raftlog_node *node, struct net *net);
/* After it returns no datagram kicks the loop; sending still works. */
void raftlog_socket_detach(struct raftlog_node *node);
/* After it returns no callback of ours runs or will run. */
void raftlog_socket_close(struct raftlog_node *node);

/* Loop only. */
void raftlog_socket_send(struct raftlog_node *node, const struct raft_msg *m);
/* Steps received messages into the core; true if more are waiting. */
bool raftlog_socket_receive(struct raftlog_node *node, unsigned int budget);
/* The per-sender state of address-table slot @slot starts over. */
void raftlog_socket_reset_slot(struct raftlog_node *node, u32 slot);

#endif /* RAFTLOG_SOCKET_H */
