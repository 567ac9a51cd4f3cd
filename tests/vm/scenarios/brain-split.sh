#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# brain-split: five nodes; B is the leader and A one follower. Cut {A,B}
# from {C,D,E}. A write on B fails with an error within the commit
# timeout and never commits; C, D, E elect a leader in a higher term and
# commit writes; A and B do not raise their term while cut off (PreVote).
# Heal: A and B follow the new leader, B's uncommitted entry is dropped,
# and all five logs end identical, without it.
set -euo pipefail
. /vm/guest-lib.sh

CT=3000	# commit_timeout_ms
expect_ok() {
	local res
	res=$(rl_write "$1" "$2")
	case "$res" in
	OK*) ;;
	*) fail "write '$2' on n$1: $res" ;;
	esac
}

# A 4 s election timeout keeps B leading (CheckQuorum) for at least 4 s
# after the cut, so that it surely appends the minority write: under the
# debug kernel starting the writer alone took 2 s, and with 1 s B had
# stepped down first (the write then failed ENOTCONN, never appended).
rl_cluster 5 commit_timeout_ms=$CT election_timeout_ms=4000 heartbeat_ms=100
rl_wait_leader 25 1 2 3 4 5 || { rl_show; fail "no leader within 25 s"; }
B=$LEADER
term0=$LEADER_TERM
A=$(( B % 5 + 1 ))
CDE=""
for k in 1 2 3 4 5; do
	[ "$k" = "$A" ] || [ "$k" = "$B" ] || CDE="$CDE $k"
done
log "B = n$B (leader, term $term0), A = n$A, C D E =$CDE"
expect_ok "$B" before-split
rl_rd c "$B" commit_index
wait_until 10 rl_all_commit_ge "$c" 1 2 3 4 5 || fail "before-split not everywhere"

rl_rd last0 "$B" last_index
# The write goes to B right after the cut (in the background, so B is as
# likely as can be to still think it leads and append it).
rl_partition "$A $B" "$CDE"
rl_write "$B" minority-write >"$RL_TMP/minority" &
wpid=$!
rl_rd termA "$A" term
rl_rd termB "$B" term
log "cut {n$A, n$B} from {$CDE }: n$A term $termA, n$B term $termB"
[ "$termA" = "$term0" ] && [ "$termB" = "$term0" ] ||
	fail "terms changed while the partition was being made"

# Watch A's and B's terms for the whole cut.
terms=$RL_TMP/minority-terms
: >"$terms"
(
	while :; do
		rl_rd ta "$A" term && rl_rd tb "$B" term && echo "$ta $tb" >>"$terms"
		sleep 0.1
	done
) &
watcher=$!

wait "$wpid" || true
res=$(cat "$RL_TMP/minority")
log "write on n$B in the minority: $res"
case "$res" in
OK*) fail "the minority leader committed a write: $res" ;;
esac
ms=${res##*ms=}
# A write the core never took ends at the writer's own deadline (CT); one
# the core carries ends at the core's, whose clock a slow loop holds back
# (kmod/proposal.c gives it as long again: the debug kernel took 4.7 s).
case "$res" in
ETIMEDOUT*) limit=$((2 * CT + 1000)) ;;
*) limit=$((CT + 1000)) ;;
esac
[ "$ms" -le "$limit" ] ||
	fail "the write failed only after $ms ms (commit timeout $CT ms, limit $limit)"
rl_rd lastB "$B" last_index
rl_rd commitB "$B" commit_index
log "n$B: last_index $last0 -> $lastB, commit_index $commitB"
[ "$lastB" -gt "$last0" ] || fail "B did not append the minority write"
[ "$commitB" -lt "$lastB" ] || fail "B's commit index covers the minority write"

rl_wait_leader 30 $CDE || { rl_show; fail "C, D, E elected no leader within 30 s"; }
new=$LEADER
[ "$LEADER_TERM" -gt "$term0" ] || fail "majority leader's term $LEADER_TERM not above $term0"
log "majority leader n$new in term $LEADER_TERM"
for i in 1 2 3; do
	expect_ok "$new" "majority-$i"
done
for k in $CDE; do
	[ "$k" = "$new" ] || { expect_ok "$k" "majority-via-n$k"; break; }
done
sleep 2	# let A and B's timers run a while longer
kill "$watcher"
wait "$watcher" 2>/dev/null || true
rl_show
bad=$(awk -v t="$term0" '$1 != t || $2 != t' "$terms" | head -n 3)
[ -z "$bad" ] || fail "A or B raised its term while cut off: $bad (was $term0)"
[ -s "$terms" ] || fail "no samples of A's and B's terms"
log "n$A and n$B stayed in term $term0 ($(wc -l <"$terms") samples)"

rl_heal
rl_wait_leader 20 1 2 3 4 5 || { rl_show; fail "no agreed leader after healing"; }
log "after healing: leader n$LEADER in term $LEADER_TERM"
for k in "$A" "$B"; do
	rl_rd r "$k" role
	[ "$r" = follower ] || fail "n$k is $r after healing"
done
rl_rd c "$LEADER" commit_index
wait_until 15 rl_all_commit_ge "$c" 1 2 3 4 5 || { rl_show; fail "no catch-up"; }
rl_logs_identical 1 2 3 4 5 || { rl_show; fail "logs differ after healing"; }
cat "$RL_TMP/log.1"
grep -q ' minority-write$' "$RL_TMP/log.1" && fail "B's minority write committed"
for e in before-split majority-1 majority-2 majority-3; do
	grep -q " $e\$" "$RL_TMP/log.1" || fail "entry $e missing"
done
# B's uncommitted entry is gone from its log, not just uncommitted.
wait_until 10 eval '[ "$(rl_get "$B" last_index)" = "$(rl_get "$LEADER" last_index)" ]' ||
	fail "n$B last_index $(rl_get "$B" last_index) != leader's"
rl_rd lt "$B" last_term
rl_rd llt "$LEADER" last_term
[ "$lt" = "$llt" ] || fail "n$B last_term $lt != leader's $llt"
rl_show
