#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# full-restart: three nodes with a data_dir commit writes; then all three
# are disabled together and enabled again from their files. They must
# restore their term, vote and log (kernel log says so), elect a leader in
# a later term, keep the whole committed log, identical everywhere, and
# take new writes. A second round restarts them in the reverse order.
# Finally a second instance pointed at node 1's data_dir must be refused.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

dl_cluster 3
rl_wait_leader 5 1 2 3 || { rl_show; fail "no leader"; }
probe writer "$(rl_dev 1)" a 40 >"$RL_TMP/acks" || fail "writes failed"
probe writer "$(rl_dev 2)" b 40 >>"$RL_TMP/acks" || fail "writes failed"
dl_wait_converged 10 1 2 3
dl_check_acked "$RL_TMP/acks" 1 2 3
cp "$RL_TMP/log.1" "$RL_TMP/before"
term0=$(rl_get 1 term)

for order in "1 2 3" "3 2 1"; do
	for k in 1 2 3; do
		rl_stop "$k"
	done
	dl_klog_mark
	for k in $order; do
		rl_start "$k"
	done
	log "restarted in order $order"
	for k in 1 2 3; do
		dl_klog_has "raftlog-n$k: data_dir .*restored term" ||
			fail "n$k: no 'restored' line in the kernel log"
	done
	dl_klog_since | grep "restored term" || true
	rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader after restart"; }
	dl_wait_converged 10 1 2 3
	rl_show
	[ "$(rl_get 1 term)" -gt "$term0" ] ||
		fail "term did not move past $term0 after the restart"
	dl_check_acked "$RL_TMP/acks" 1 2 3
	# The committed log before the restart is a prefix of the one after.
	head -n "$(wc -l <"$RL_TMP/before")" "$RL_TMP/log.1" |
		cmp -s - "$RL_TMP/before" || fail "committed log changed"
	term0=$(rl_get 1 term)
done

probe writer "$(rl_dev 3)" c 20 >>"$RL_TMP/acks" || fail "writes after restart failed"
dl_wait_converged 10 1 2 3
dl_check_acked "$RL_TMP/acks" 1 2 3
dl_no_dup_log 1

# Two instances never share a data_dir.
mkdir "$RL_CFS/dup"
echo 1 >"$RL_CFS/dup/id"
rl_peers 3 >"$RL_CFS/dup/peers"
echo 99 >"$RL_CFS/dup/cluster_id"
echo "$RL_KEY" >"$RL_CFS/dup/key"
dl_dir 1 >"$RL_CFS/dup/data_dir"
dl_klog_mark
if nsenter --net=/run/netns/n1 sh -c "echo 1 > $RL_CFS/dup/enabled"; then
	fail "a second instance started on n1's data_dir"
fi
dl_klog_has "data_dir $(dl_dir 1): in use by raftlog-n1" ||
	fail "no kernel log line for the shared data_dir"
rmdir "$RL_CFS/dup"
