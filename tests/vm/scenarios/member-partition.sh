#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# member-partition: four voters (n1..n4) replace n4 by n5 in one joint
# change while three writers run, with every link slowed (netem 100 ms)
# so the joint phase lasts; a partition {leader, one more} | {the rest}
# cuts it in the middle, so neither side has a majority of both halves.
# Throughout, no two nodes lead in one term (sampled every 50 ms); after
# the heal the change completes (voters 1 2 3 5 on every remaining node)
# and every acknowledged write is in their logs exactly once.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

rl_cluster 4
rl_wait_leader 10 1 2 3 4 || { rl_show; fail "no leader"; }
rl_join 5
rl_member 1 add-learner 5 "$(rl_addr 5):$RL_PORT" >/dev/null ||
	fail "add-learner 5"
rl_wait_conf 10 "1 2 3 4" "5" 1 2 3 4 5
rl_writers_start "1 2 3"

# leaders seen, "TERM ID" per line, until the stop file appears
watch_leaders() {
	local k r t
	while [ ! -e "$RL_TMP/watch.stop" ]; do
		for k in 1 2 3 4 5; do
			rl_rd r "$k" role 2>/dev/null || continue
			[ "$r" = leader ] || continue
			rl_rd t "$k" term 2>/dev/null && echo "$t $k"
		done
		sleep 0.05
	done >"$RL_TMP/leaders"
}
rm -f "$RL_TMP/watch.stop"
watch_leaders &
wpid=$!

for k in 1 2 3 4 5; do
	rl_netem "$k" delay 100ms
done
rl_wait_leader 10 1 2 3 4 5 || { rl_show; fail "no leader"; }
a=$LEADER
b=$(( a % 5 + 1 ))
rest=""
for k in 1 2 3 4 5; do
	[ "$k" = "$a" ] || [ "$k" = "$b" ] || rest="$rest $k"
done
(rc=0
 rl_member "$a" replace 4 5 --timeout 20000 >"$RL_TMP/replace.out" 2>&1 ||
	rc=$?
 echo "exit $rc" >>"$RL_TMP/replace.out") &
rpid=$!
sleep 0.15
rl_partition "$a $b" "$rest"
log "partition {$a $b} | {$rest} during the change"
sleep 4
rl_heal
for k in 1 2 3 4 5; do
	rl_netem_clear "$k"
done
log "healed"
wait "$rpid" || true
log "replace: $(tr '\n' ' ' <"$RL_TMP/replace.out")"
remain="1 2 3 5"
rl_wait_conf 30 "1 2 3 5" "" $remain
touch "$RL_TMP/watch.stop"
wait "$wpid" || true
two=$(sort -u "$RL_TMP/leaders" | awk '{ n[$1]++ } n[$1] == 2 { print $1 }' |
	head -n 3)
[ -z "$two" ] || fail "two leaders in term(s) $two: $(sort -u "$RL_TMP/leaders" | tr '\n' ' ')"
log "leaders seen: $(sort -u "$RL_TMP/leaders" | tr '\n' ' ')"
sleep 1
rl_writers_stop 20
dl_wait_converged 30 $remain
rl_check_acked "$RL_TMP/acks" $remain
