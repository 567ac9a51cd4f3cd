#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# replace: a three-node cluster with a data_dir on every node loses n3's
# disk for good (n3 stopped, its files deleted, never started again).
# Under three writers a new id, n4 (fresh data_dir, join=1), is added as a
# learner, catches up from the leader's log, and one joint change
# (raftctl member replace 3 4) promotes it and removes n3. The write pause
# of that change is reported; n1, n2 and n4 are then restarted from their
# files and keep voters 1 2 4. Every acknowledged write is in their logs
# exactly once.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

dl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
rl_writers_start "1 2"
sleep 1
rl_stop 3
rm -rf "$(dl_dir 3)"
log "n3 and its disk are gone"
sleep 1

ip netns list | grep -qw n4 || rl_netns_add 4
RL_NODES=4
rm -rf "$(dl_dir 4)"
mkdir -p "$(dl_dir 4)"
rl_create 4 4 join=1 data_dir="$(dl_dir 4)"
rl_start 4
a=$(wc -l <"$RL_ACK1")
out=$(rl_member 1 add-learner 4 "$(rl_addr 4):$RL_PORT") ||
	fail "add-learner 4: $out"
rl_wait_conf 10 "1 2 3" "4" 1 2 4
# caught up: n4 holds what the leader had committed when it was added
rl_agreed_leader 1 2 || fail "no leader"
c=$(rl_get "$LEADER" commit_index)
wait_until 20 rl_all_commit_ge "$c" 4 || { rl_show 1 2 4; fail "n4 did not catch up to $c"; }
out=$(rl_member 2 replace 3 4) || fail "replace 3 4: $out"
echo "$out"
b=$(wc -l <"$RL_ACK1")
rl_wait_conf 10 "1 2 4" "" 1 2 4
log "writes during add-learner and replace: $(rl_lat "$((a + 1))" "$b")"
sleep 1
rl_writers_stop 30
for k in 1 2 4; do
	rl_stop "$k"
done
for k in 1 2 4; do
	rl_start "$k"
done
rl_conf_is "1 2 4" "" 1 2 4 || fail "the configuration did not survive the restart"
rl_wait_leader 15 1 2 4 || { rl_show 1 2 4; fail "no leader after restart"; }
dl_wait_converged 30 1 2 4
rl_check_acked "$RL_TMP/acks" 1 2 4
