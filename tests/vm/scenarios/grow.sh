#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# grow: a three-node cluster grows to five under three writers, the way
# README's Membership section shows it: n4 is created with join=1 and the
# members' list, added as a learner, caught up and promoted; n5 is added
# as a voter at once. Every node ends with voters 1..5, peers/ has the
# new members; then n1 and n2 are stopped for good and n3, n4, n5 still
# elect a leader and commit, so the new members vote. Every acknowledged
# write is in the final logs of n3..n5 exactly once, at its index.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

rl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
rl_writers_start "1 2 3"

rl_join 4
out=$(rl_member 1 add-learner 4 "$(rl_addr 4):$RL_PORT") ||
	fail "add-learner 4: $out"
echo "$out"
grep -q '^start node 4 with: id=4 peers=.*4@' <<<"$out" ||
	fail "add-learner did not print the new node's peers line"
rl_wait_conf 10 "1 2 3" "4" 1 2 3 4
[ -d "$(rl_sysdir 1)/peers/4" ] || fail "n1 has no peers/4/"
out=$(rl_member 2 promote 4) || fail "promote 4: $out"
echo "$out"
rl_wait_conf 10 "1 2 3 4" "" 1 2 3 4

rl_join 5
out=$(rl_member 3 add 5 "$(rl_addr 5):$RL_PORT" --json) ||
	fail "add 5: $out"
grep -q '"ok":true' <<<"$out" || fail "add 5 --json: $out"
rl_wait_conf 15 "1 2 3 4 5" "" 1 2 3 4 5
ci=$(rl_get 1 config_index)
for k in 2 3 4 5; do
	[ "$(rl_get "$k" config_index)" = "$ci" ] ||
		fail "n$k config_index $(rl_get "$k" config_index), n1 $ci"
done
ls "$(rl_sysdir 5)/peers" | tr '\n' ' ' | grep -q '^1 2 3 4 $' ||
	fail "n5 peers/: $(ls "$(rl_sysdir 5)/peers" | tr '\n' ' ')"
raftctl member list raftlog-n4

# the new members carry the cluster: without n1 and n2, 3 of 5 remain
touch "$RL_WSTOP"
wait $RL_WPIDS 2>/dev/null || true
rl_writers_start "3 4 5"
rl_stop 1
rl_stop 2
rl_wait_leader 15 3 4 5 || { rl_show 3 4 5; fail "no leader among n3..n5"; }
log "n$LEADER leads n3..n5"
sleep 2
rl_writers_stop 30
dl_wait_converged 30 3 4 5
rl_check_acked "$RL_TMP/acks" 3 4 5
