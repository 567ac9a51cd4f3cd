/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A node's counters: the files of stats/ in sysfs. The loop alone writes
 * them (node.h); everyone else reads the copy in the published snapshot.
 */
#ifndef RAFTLOG_STATS_H
#define RAFTLOG_STATS_H

#include <linux/types.h>

/* The counters of stats/ in sysfs (sysfs.c lists the same names). */
struct raftlog_stats {
	u64 elections;		/* pre-votes and votes started */
	u64 leader_changes;
	u64 msgs_sent;
	u64 msgs_received;	/* datagrams, dropped ones included */
	u64 bytes_sent;
	u64 bytes_received;
	u64 send_errors;
	u64 drops;		/* all drops, the sum of those below */
	u64 drops_malformed;
	u64 drops_version;
	u64 drops_wrong_cluster;
	u64 drops_bad_type;
	u64 drops_limit;
	u64 drops_unknown_sender;
	u64 drops_wrong_receiver;
	u64 drops_rejected;	/* decoded, but the core found it nonsense */
	u64 drops_auth;		/* no tag, a wrong tag, or a tag unasked for */
	u64 drops_replay;	/* authentic, but seen before or too old */
	u64 drops_budget;	/* authentic, over its sender's share */
	u64 drops_fragment;	/* fragments refused, partial messages */
				/* dropped (timeout, evicted, inconsistent) */
	u64 drops_checksum;	/* an APPEND whose entry CRC32C does not */
				/* match: refused whole */
	u64 proposals;		/* entries this node appended as leader */
	u64 commits;		/* entries this node saw committed */
	u64 fsyncs;
};

#endif /* RAFTLOG_STATS_H */
