#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# election: three nodes at the default timeouts. Within 2 s of the last
# node being enabled exactly one leader exists, all nodes agree on its id
# and term, and it keeps leading (same leader, same term, no new election
# anywhere) while nothing fails.
set -euo pipefail
. /vm/guest-lib.sh

rl_cluster 3
tick_now
t0=$NOW
rl_wait_leader 2 1 2 3 || { rl_show; fail "no agreed leader within 2 s"; }
tick_now
leader=$LEADER
term=$LEADER_TERM
log "leader n$leader in term $term, $((NOW - t0)) ms after the last enable"
rl_show

# Exactly one node says leader; the other two follow it.
for k in 1 2 3; do
	rl_rd role "$k" role
	if [ "$k" = "$leader" ]; then
		[ "$role" = leader ] || fail "n$k: role $role, expected leader"
	else
		[ "$role" = follower ] || fail "n$k: role $role, expected follower"
	fi
done

elections() {
	local k v sum=0
	for k in 1 2 3; do
		rl_rd v "$k" stats/elections
		sum=$((sum + v))
	done
	echo "$sum"
}
e0=$(elections)
# Hold for 5 s (many election timeouts), sampling all the while.
tick_now
end=$((NOW + 5000))
samples=0
while [ "$NOW" -lt "$end" ]; do
	rl_agreed_leader 1 2 3 || { rl_show; fail "leadership wavered"; }
	[ "$LEADER" = "$leader" ] || fail "leader changed from n$leader to n$LEADER"
	[ "$LEADER_TERM" = "$term" ] || fail "term moved $term -> $LEADER_TERM"
	samples=$((samples + 1))
	sleep 0.05
	tick_now
done
e1=$(elections)
[ "$e1" = "$e0" ] || fail "elections counter moved $e0 -> $e1 while stable"
log "n$leader held term $term for 5 s ($samples samples)"
