#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# flood: one peer gone wrong floods the leader with datagrams the leader
# must take as authentic (an insecure=1 cluster, sent from that peer's own
# address and port: HEARTBEAT_RESPs of the current term). The leader steps
# at most its share of a loop round from that peer (RAFTLOG_RX_PEER_BUDGET)
# and drops the rest cheaply (stats/drops_budget), so the other follower's
# replies are still read: writes keep committing, every one acknowledged,
# and leadership does not move. The same flood with the budget not doing its
# work would leave drops_budget at 0, which fails here.
set -euo pipefail
. /vm/guest-lib.sh

le() {
	local v=$1 n=$2 i out=""
	for ((i = 0; i < n; i++)); do
		out+=$(printf %02x $(( (v >> (8 * i)) & 255 )))
	done
	echo "$out"
}

rl_cluster 3 insecure=1
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
leader=$LEADER
term=$LEADER_TERM
flooder=$(( leader % 3 + 1 ))
log "leader n$leader in term $term; n$flooder floods it"

# HEARTBEAT_RESP (type 8, empty) from the flooder to the leader, wire v3
hex=$(le 0x4c544652 4)03$(le 8 1)0000$(le 99 8)$(le "$flooder" 4)
hex+=$(le "$leader" 4)$(le "$term" 8)$(le 0 4)00000000

budget0=$(rl_get "$leader" stats/drops_budget)
changes0=$(rl_get "$leader" stats/leader_changes)
# Two senders at once, so a burst outruns a loop round even when the
# guest is idle and the loop drains its socket often.
ip netns exec "n$flooder" badpkt --spoof "10.99.0.$flooder:$RL_PORT" \
	flood "10.99.0.$leader" "$RL_PORT" "$hex" 400000 \
	>"$RL_TMP/flood.out" 2>&1 &
flood_pid=$!
ip netns exec "n$flooder" badpkt --spoof "10.99.0.$flooder:$RL_PORT" \
	flood "10.99.0.$leader" "$RL_PORT" "$hex" 400000 \
	>"$RL_TMP/flood2.out" 2>&1 &
flood2_pid=$!
sleep 1
res=$(probe writer "$(rl_dev "$leader")" flood 40) ||
	{ kill "$flood_pid" "$flood2_pid" 2>/dev/null || true; rl_show; fail "writes failed during the flood"; }
ok=$(grep -c "^OK " <<<"$res" || true)
kill "$flood_pid" "$flood2_pid" 2>/dev/null || true
wait "$flood_pid" "$flood2_pid" 2>/dev/null || true
cat "$RL_TMP/flood.out"
[ "$ok" = 40 ] || { echo "$res"; fail "$ok of 40 writes committed during the flood"; }
budget=$(( $(rl_get "$leader" stats/drops_budget) - budget0 ))
log "n$leader dropped $budget of n$flooder's datagrams over its share"
[ "$budget" -gt 0 ] || fail "no datagram dropped for the budget: the flood was stepped whole"
[ "$(rl_get "$leader" role)" = leader ] || fail "n$leader lost leadership"
[ "$(rl_get "$leader" term)" = "$term" ] || fail "the term moved during the flood"
[ "$(rl_get "$leader" stats/leader_changes)" = "$changes0" ] ||
	fail "leadership changed during the flood"
wait_until 10 rl_logs_identical 1 2 3 || fail "the nodes' logs differ"
[ "$(grep -c " flood-" "$RL_TMP/log.1")" = 40 ] ||
	fail "the log does not hold the 40 writes once each"
rl_show
