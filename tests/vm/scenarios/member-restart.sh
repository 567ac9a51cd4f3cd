#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# member-restart: three nodes with a data_dir add n4 as a learner, then,
# with a joint change (replace 3 by 4) under way and three writers
# running, every node is stopped and started again from its files. Each
# node comes back with exactly the configuration it had (members and
# config_index, joint or not), the cluster elects a leader, the change
# ends in voters 1 2 4 (the new leader leaves the joint configuration),
# or stays at the old one if its entry was lost, and a second restart
# keeps that. Every acknowledged write is in the logs exactly once.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

dl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
ip netns list | grep -qw n4 || rl_netns_add 4
RL_NODES=4
rm -rf "$(dl_dir 4)"
mkdir -p "$(dl_dir 4)"
rl_create 4 4 join=1 data_dir="$(dl_dir 4)"
rl_start 4
rl_member 1 add-learner 4 "$(rl_addr 4):$RL_PORT" >/dev/null ||
	fail "add-learner 4"
rl_wait_conf 10 "1 2 3" "4" 1 2 3 4
rl_writers_start "1 2 3"
sleep 1
for k in 1 2 3 4; do
	rl_netem "$k" delay 50ms
done
rl_agreed_leader 1 2 3 4 || rl_wait_leader 10 1 2 3 4 || fail "no leader"
lead=$LEADER
ci0=$(rl_get "$lead" config_index)
(rc=0
 rl_member "$lead" replace 3 4 --timeout 8000 >"$RL_TMP/replace.out" 2>&1 ||
	rc=$?
 echo "exit $rc" >>"$RL_TMP/replace.out") &
rpid=$!
# mid-change: the leader has appended the joint configuration
changed() {
	local c
	rl_rd c "$lead" config_index && [ "$c" != "$ci0" ]
}
wait_until 10 changed || fail "the leader did not append the change"
declare -A ci members
for k in $lead 1 2 3 4; do
	[ -d "$(rl_sysdir "$k")" ] || continue
	ci[$k]=$(rl_get "$k" config_index)
	members[$k]=$(rl_member_ids "$k")
	rl_stop "$k"
done
log "stopped all; config_index before: ${ci[*]}"
for k in 1 2 3 4; do
	rl_start "$k"
	c=$(rl_get "$k" config_index)
	# restored from its files: never back to an older configuration
	[ "$c" -ge "${ci[$k]}" ] ||
		fail "n$k came back with config_index $c, had ${ci[$k]}"
	[ "$c" != "${ci[$k]}" ] || [ "$(rl_member_ids "$k")" = "${members[$k]}" ] ||
		fail "n$k came back with members $(rl_member_ids "$k"), had ${members[$k]}"
done
for k in 1 2 3 4; do
	rl_netem_clear "$k"
done
wait "$rpid" || true
res=$(tr '\n' ' ' <"$RL_TMP/replace.out")
log "replace across the restart: $res"
case "$res" in
*"exit 0"*) want="1 2 4" ;;
*) want="" ;;	# lost or unknown: either configuration, but one
esac
if [ -z "$want" ]; then
	wait_until 20 rl_conf_is "1 2 4" "" 1 2 4 && want="1 2 4" ||
		want="1 2 3"
fi
if [ "$want" = "1 2 4" ]; then
	nodes="1 2 4"
	rl_wait_conf 20 "1 2 4" "" $nodes
else
	nodes="1 2 3 4"
	rl_wait_conf 20 "1 2 3" "4" $nodes
fi
rl_wait_leader 15 $nodes || { rl_show; fail "no leader after the restart"; }
sleep 1
rl_writers_stop 20
dl_wait_converged 30 $nodes
# a quiet cluster restarted again keeps its configuration exactly
for k in $nodes; do
	ci[$k]=$(rl_get "$k" config_index)
	rl_stop "$k"
done
for k in $nodes; do
	rl_start "$k"
	[ "$(rl_get "$k" config_index)" = "${ci[$k]}" ] ||
		fail "n$k: config_index $(rl_get "$k" config_index) after the second restart, had ${ci[$k]}"
done
rl_conf_is "$want" "$([ "$want" = "1 2 3" ] && echo 4)" $nodes ||
	fail "the second restart changed the configuration"
rl_wait_leader 15 $nodes || { rl_show; fail "no leader after the second restart"; }
dl_wait_converged 30 $nodes
rl_check_acked "$RL_TMP/acks" $nodes
