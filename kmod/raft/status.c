// SPDX-License-Identifier: GPL-2.0
/*
 * What the core tells its caller about itself: raft_get_status() for
 * sysfs, the status ioctl and the tests, and raft_commit_index(). Read
 * only; like every call, between raft_advance() and the next raft_ready().
 */
#include "raft_int.h"

u64 raft_commit_index(const struct raft *r)
{
	return r->commit;
}

void raft_get_status(const struct raft *r, struct raft_status *st)
{
	u32 i;

	memset(st, 0, sizeof(*st));
	st->id = r->cfg.id;
	st->role = r->role;
	st->term = r->term;
	st->leader = r->leader;
	st->voted_for = r->vote;
	st->commit_index = r->commit;
	st->first_index = 1;
	st->mem_first = r->offset + 1;
	st->mem_bytes = r->mem_bytes;
	st->last_index = r->last;
	st->last_term = raft_log_term(r, r->last);
	st->stable_index = r->stable;
	st->config_index = r->conf.index;
	st->voter = raft_conf_is_voter(r, r->cfg.id);
	st->transfer_to = r->transfer_to;
	st->n_peers = r->n_peers;
	for (i = 0; i < r->n_peers; i++) {
		const struct raft_progress *pr = &r->peers[i];
		struct raft_peer_status *ps = &st->peers[i];

		ps->id = pr->id;
		if (r->role == RAFT_LEADER) {
			ps->match_index = pr->match;
			ps->next_index = pr->next;
		}
		ps->ticks_since_heard = pr->heard ?
			(u32)(r->now - pr->heard) : (u32)-1;
	}
	st->stats = r->stats;
}
