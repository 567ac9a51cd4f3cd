/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A node's counters: the files of stats/ in sysfs. The loop alone writes
 * them (node.h); everyone else reads the copy in the published snapshot.
 *
 * Each counter is one line of a list below, and the rest is made from
 * the lists: the fields of struct raftlog_stats, the files of stats/
 * (sysfs.c), enum raftlog_drop_reason and the reason names of the
 * raftlog_drop tracepoint (trace.h). Adding a counter is adding its line
 * (xlist.h says how the lists are written).
 */
#ifndef RAFTLOG_STATS_H
#define RAFTLOG_STATS_H

#include <linux/build_bug.h>
#include <linux/types.h>
#include "xlist.h"

/* X(name): the counter stats/<name>, the u64 raftlog_stats.<name>. */
#define RAFTLOG_STATS(X...) (						\
	X(elections),		/* pre-votes and votes started */	\
	X(leader_changes),						\
	X(msgs_sent),							\
	X(msgs_received),	/* datagrams, dropped ones included */	\
	X(bytes_sent),							\
	X(bytes_received),						\
	X(send_errors),							\
	X(drops),		/* all drops, the sum of drop[] */	\
	X(proposals),		/* entries this node appended as leader */ \
	X(commits),		/* entries this node saw committed */	\
	X(fsyncs))

/*
 * X(value, REASON, name): why a datagram was dropped, RAFTLOG_DROP_<REASON>
 * = value, counted in stats/drops_<name> (raftlog_stats.drop[value]) and
 * in stats/drops, traced as reason=<name>. The values are the
 * tracepoint's (its format file shows them): in order from 0, no gaps.
 */
#define RAFTLOG_DROP_REASONS(X...) (					\
	X(0, MALFORMED, malformed),	/* a length or field is wrong */ \
	X(1, VERSION, version),		/* another wire version */	\
	X(2, CLUSTER, wrong_cluster),					\
	X(3, TYPE, bad_type),		/* an unknown message type */	\
	X(4, LIMIT, limit),		/* a value over a sane limit */	\
	X(5, UNKNOWN_SENDER, unknown_sender),				\
	X(6, WRONG_RECEIVER, wrong_receiver),				\
	X(7, REJECTED, rejected),	/* decoded, but nonsense */	\
	X(8, AUTH, auth),		/* no tag, a wrong one, or one */ \
					/* unasked for */		\
	X(9, REPLAY, replay),		/* authentic, but seen before */ \
					/* or too old */		\
	X(10, BUDGET, budget),		/* authentic, over its sender's */ \
					/* share of a loop round */	\
	X(11, FRAGMENT, fragment),	/* a fragment refused, or a */	\
					/* message whose fragments */	\
					/* never all came (frag.h) */	\
	X(12, CHECKSUM, checksum))	/* an APPEND whose entry CRC32C */ \
					/* does not match: refused whole */

#define RAFTLOG_DROP_ENUM_(value, reason, name)	RAFTLOG_DROP_##reason
enum raftlog_drop_reason {
	RAFTLOG_EACH(RAFTLOG_DROP_REASONS, RAFTLOG_DROP_ENUM_),
	RAFTLOG_DROP_NR		/* their number */
};

/* Zero, or a build error where a reason's value is not its place. */
#define RAFTLOG_DROP_PLACE_(value, reason, name)			\
	BUILD_BUG_ON_ZERO(RAFTLOG_DROP_##reason != (value))

/* All u64: the counters, each by its name, then the drops by reason. */
#define RAFTLOG_STAT_NAME_(name)	name
struct raftlog_stats {
	u64 RAFTLOG_EACH(RAFTLOG_STATS, RAFTLOG_STAT_NAME_),
	    drop[RAFTLOG_DROP_NR];	/* by enum raftlog_drop_reason */
};

#endif /* RAFTLOG_STATS_H */
