/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants the fuzz targets share with their seed generator, so that the
 * seeds carry the cluster id and node ids the targets accept.
 */
#ifndef RAFT_FUZZ_H
#define RAFT_FUZZ_H

#define FUZZ_CLUSTER_ID	0x2a2a7a7a75667466ULL
#define FUZZ_NODES	3	/* node ids 1..FUZZ_NODES */

/*
 * fuzz_node's input: FUZZ_CONFIG_LEN bytes that pick the configuration,
 * then commands, each an opcode byte (taken modulo FUZZ_OP_COUNT) and its
 * arguments. A command cut short by the end of the input is ignored.
 */
#define FUZZ_CONFIG_LEN	2

enum fuzz_op {
	FUZZ_OP_TICK,		/* u8 node, u8 count */
	FUZZ_OP_PROPOSE,	/* u8 node, u8 len, data[len] */
	FUZZ_OP_DATAGRAM,	/* u8 node, u16 len (LE), bytes[len] */
	FUZZ_OP_DELIVER,	/* u8 count: deliver the oldest queued */
	FUZZ_OP_DROP,		/* drop the oldest queued message */
	FUZZ_OP_RUN,		/* u8 rounds: tick everyone, deliver all */
	FUZZ_OP_DUP,		/* re-queue the oldest queued message */
	FUZZ_OP_PROPOSE_BIG,	/* u8 node, u16 len (LE): filler bytes */
	FUZZ_OP_RESTART,	/* u8 node: crash, restart from its disk */
	FUZZ_OP_CRASH,		/* u8 node: crash in its next ready, after */
				/* sending what needs no persistence */
	FUZZ_OP_COUNT,
};

#endif /* RAFT_FUZZ_H */
