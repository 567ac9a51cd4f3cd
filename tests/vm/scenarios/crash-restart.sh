#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# crash-restart: a five-node cluster with a data_dir on every node takes
# writes from three writers on random nodes while instances are stopped
# and restarted from their files at random points, 24 times: every third
# time the current leader, every fourth time two nodes at once, every
# sixth time three (a majority, the leader among them: nodes that forgot
# their logs could then elect an empty leader and lose writes). Afterwards every write that returned success
# is in every node's committed log exactly once, at the index it was
# given, no entry is there twice, and all five logs are identical.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

N=5
RESTARTS=24
dl_cluster "$N"
rl_wait_leader 10 $(seq 1 "$N") || { rl_show; fail "no leader"; }

stop=$RL_TMP/writers.stop
rm -f "$stop" "$RL_TMP"/acks.*
# writer W: batches of 10 writes, each batch on a random node.
writer() {
	local w=$1 b=0 k
	while [ ! -e "$stop" ]; do
		k=$(( RANDOM % N + 1 ))
		b=$((b + 1))
		probe writer "$(rl_dev "$k")" "w$w.$b" 10 \
			>>"$RL_TMP/acks.$w" 2>&1 || true
		sleep 0.0$(( RANDOM % 10 ))
	done
}
pids=""
for w in 1 2 3; do
	writer "$w" &
	pids="$pids $!"
done

dl_klog_mark
for i in $(seq 1 "$RESTARTS"); do
	victims=$(( RANDOM % N + 1 ))
	if [ $((i % 3)) = 0 ] && rl_agreed_leader $(seq 1 "$N"); then
		victims=$LEADER
	fi
	if [ $((i % 6)) = 0 ]; then
		victims="$victims $(( victims % N + 1 )) $(( (victims + 1) % N + 1 ))"
	elif [ $((i % 4)) = 0 ]; then
		victims="$victims $(( victims % N + 1 ))"
	fi
	log "restart $i: $(for k in $victims; do
		echo "n$k ($(rl_get "$k" role))"; done | tr '\n' ' ')"
	for k in $victims; do
		rl_stop "$k"
	done
	sleep 0.$(( RANDOM % 5 ))
	for k in $victims; do
		rl_start "$k"
	done
	sleep 0.$(( 3 + RANDOM % 7 ))
done
restored=$(dl_klog_since | grep -c 'data_dir .*restored term [1-9]' || true)
[ "$restored" -ge "$RESTARTS" ] ||
	fail "only $restored restarts restored state from their data_dir"

touch "$stop"
wait $pids
cat "$RL_TMP"/acks.* >"$RL_TMP/acks"
log "writes: $(grep -c '^OK ' "$RL_TMP/acks" || true) succeeded," \
    "$(grep -vc '^OK \|^DONE ' "$RL_TMP/acks" || true) failed:" \
    "$(grep -v '^OK \|^DONE ' "$RL_TMP/acks" | awk '{print $1}' |
       sort | uniq -c | tr '\n' ' ')"
[ "$(grep -c '^OK ' "$RL_TMP/acks")" -ge 50 ] ||
	fail "fewer than 50 writes succeeded: the test proves little"
dl_wait_converged 30 $(seq 1 "$N")
rl_show
dl_check_acked "$RL_TMP/acks" $(seq 1 "$N")
dl_no_dup_log 1
