/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay protection for authenticated datagrams. Every datagram carries
 * its sender's epoch (fixed for one life of the sender, larger after each
 * restart) and a counter (1, 2, ... within the epoch), both covered by the
 * MAC. A receiver keeps, per sender, the newest epoch and a window of the
 * last RAFT_REPLAY_WINDOW counters: a datagram of an older epoch, one
 * older than the window, or one already seen is a replay.
 *
 * Check only what the MAC vouched for: an unauthenticated epoch or counter
 * must never move the window.
 */
#ifndef RAFT_AUTH_H
#define RAFT_AUTH_H

#include "platform.h"

#define RAFT_REPLAY_WINDOW	1024	/* counters; a multiple of 64 */

struct raft_replay {
	u64 epoch;
	u64 top;	/* highest counter accepted in @epoch; 0: none */
	u64 seen[RAFT_REPLAY_WINDOW / 64];	/* bit c % W: c seen */
};

/* Whether (@epoch, @counter) is new from this sender; if so, remembered. */
bool raft_replay_accept(struct raft_replay *w, u64 epoch, u64 counter);

#endif /* RAFT_AUTH_H */
