// SPDX-License-Identifier: GPL-2.0
/*
 * The replay window of auth.h: a ring of bits indexed by counter modulo
 * the window, in the manner of RFC 6479 (and WireGuard's counter check).
 */
#include "auth.h"

static bool bit_test(const struct raft_replay *w, u64 c)
{
	u64 b = c % RAFT_REPLAY_WINDOW;

	return w->seen[b / 64] & (1ULL << (b % 64));
}

static void bit_set(struct raft_replay *w, u64 c, bool on)
{
	u64 b = c % RAFT_REPLAY_WINDOW;

	if (on)
		w->seen[b / 64] |= 1ULL << (b % 64);
	else
		w->seen[b / 64] &= ~(1ULL << (b % 64));
}

bool raft_replay_accept(struct raft_replay *w, u64 epoch, u64 counter)
{
	u64 c;

	if (!counter || epoch < w->epoch)
		return false;
	if (epoch > w->epoch) {
		/* the sender restarted: its old datagrams are all stale now */
		memset(w, 0, sizeof(*w));
		w->epoch = epoch;
	}
	if (counter > w->top) {
		if (counter - w->top >= RAFT_REPLAY_WINDOW)
			memset(w->seen, 0, sizeof(w->seen));
		else
			for (c = w->top + 1; c < counter; c++)
				bit_set(w, c, false);
		w->top = counter;
		bit_set(w, counter, true);
		return true;
	}
	if (w->top - counter >= RAFT_REPLAY_WINDOW || bit_test(w, counter))
		return false;
	bit_set(w, counter, true);
	return true;
}
