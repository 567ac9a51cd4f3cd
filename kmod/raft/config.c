// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration a node of raftlog's Raft core is created with: its
 * defaults, and the checks raft_create() applies before trusting it.
 */
#include "raft_int.h"

void raft_config_default(struct raft_config *cfg, u32 id,
			 const u32 *nodes, u32 n_nodes)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->id = id;
	if (n_nodes > RAFT_MAX_NODES)
		n_nodes = RAFT_MAX_NODES;
	cfg->n_nodes = n_nodes;
	memcpy(cfg->nodes, nodes, n_nodes * sizeof(*nodes));
	cfg->election_ticks = 15;
	cfg->heartbeat_ticks = 5;
	cfg->max_msg_bytes = 16 * 1024;
	cfg->max_inflight = 8;
	cfg->max_entry_size = RAFT_ENTRY_SIZE_LIMIT;
	cfg->max_uncommitted = 4096;
	cfg->seed = id;
	cfg->pre_vote = true;
	cfg->check_quorum = true;
}

int raft_config_check(const struct raft_config *cfg, const char **why)
{
	const char *bad = NULL;
	bool self = false;
	u32 i, j;

	if (!cfg->n_nodes || cfg->n_nodes > RAFT_MAX_NODES)
		bad = "number of nodes";
	for (i = 0; i < cfg->n_nodes && !bad; i++) {
		if (!cfg->nodes[i])
			bad = "node id 0";
		for (j = 0; j < i && !bad; j++)
			if (cfg->nodes[i] == cfg->nodes[j])
				bad = "duplicate node id";
		self = self || cfg->nodes[i] == cfg->id;
	}
	if (!bad && (!cfg->id || !self))
		bad = "own id not among the nodes";
	else if (!bad && cfg->election_ticks < 2)
		bad = "election timeout too short";
	else if (!bad && (!cfg->heartbeat_ticks ||
			  cfg->heartbeat_ticks >= cfg->election_ticks))
		bad = "heartbeat not shorter than election timeout";
	else if (!bad && !cfg->max_msg_bytes)
		bad = "message byte budget";
	else if (!bad && (!cfg->max_inflight ||
			  cfg->max_inflight > RAFT_MAX_INFLIGHT))
		bad = "in-flight window";
	else if (!bad && (!cfg->max_entry_size ||
			  cfg->max_entry_size > RAFT_ENTRY_SIZE_LIMIT))
		bad = "maximum entry size";
	else if (!bad && !cfg->max_uncommitted)
		bad = "uncommitted limit";
	if (why)
		*why = bad;
	return bad ? RAFT_EINVAL : RAFT_OK;
}
