/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The UDP transport of a node: one kernel socket bound to the node's own
 * address in the network namespace of whoever enabled it.
 */
#ifndef RAFTLOG_SOCKET_H
#define RAFTLOG_SOCKET_H

#include <linux/types.h>
#include "raft/wire.h"
#include "stats.h"	/* enum raftlog_drop_reason */

struct raftlog_node;
struct raft_msg;

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
