#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# transfer: leadership moves four times under three writers, to a named
# voter and to "the most up-to-date one"; each transfer returns once the
# target leads, and the write pause it caused (the longest write the first
# writer saw across it) is reported as p50/max. Refused without a change:
# a transfer to a non-member (exit 3), to a learner (exit 3); a transfer to
# a voter cut off from the leader is aborted (exit 4) and the old leader
# leads again within an election timeout. Every acknowledged write is in
# every log exactly once.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

rl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
rl_writers_start "1 2 3"
sleep 1

pauses=()
for i in 1 2 3 4; do
	rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader before transfer $i"; }
	from=$LEADER
	to=""
	[ $((i % 2)) = 0 ] || to=$(( from % 3 + 1 ))
	a=$(wc -l <"$RL_ACK1")
	t0=$(now_ms)
	out=$(raftctl transfer "raftlog-n$from" $to 2>&1) ||
		fail "transfer $i from n$from to ${to:-any}: $out"
	t1=$(now_ms)
	rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader after transfer $i"; }
	[ "$LEADER" != "$from" ] || fail "transfer $i: n$from still leads"
	[ -z "$to" ] || [ "$LEADER" = "$to" ] ||
		fail "transfer $i: n$LEADER leads, not n$to"
	sleep 0.5
	p=$(rl_pause_ms "$((a + 1))" "$(wc -l <"$RL_ACK1")")
	pauses+=("$p")
	log "transfer $i: n$from -> n$LEADER in $((t1 - t0)) ms; longest write $p ms"
done
log "write pause during transfers: $(rl_p50_max "${pauses[@]}")"

# refused: not a member, a learner; nothing changes
rl_wait_leader 10 1 2 3 || fail "no leader"
from=$LEADER
rc=0
out=$(raftctl transfer "raftlog-n$from" 9 2>&1) || rc=$?
[ "$rc" = 3 ] && grep -q 'not a member' <<<"$out" ||
	fail "transfer to 9: exit $rc: $out"
rl_join 4
rl_member "$from" add-learner 4 "$(rl_addr 4):$RL_PORT" >/dev/null ||
	fail "add-learner 4"
rc=0
out=$(raftctl transfer "raftlog-n$from" 4 2>&1) || rc=$?
[ "$rc" = 3 ] && grep -q 'learner' <<<"$out" ||
	fail "transfer to learner 4: exit $rc: $out"
rl_agreed_leader 1 2 3 && [ "$LEADER" = "$from" ] ||
	fail "a refused transfer moved leadership"

# aborted: the target hears nothing from the leader
to=$(( from % 3 + 1 ))
rl_partition "$from" "$to"
rc=0
out=$(raftctl transfer "raftlog-n$from" "$to" --timeout 2000 2>&1) || rc=$?
log "transfer to cut-off n$to: exit $rc: $out"
[ "$rc" = 4 ] || fail "transfer to a cut-off voter: exit $rc, not 4"
wait_until 3 sh -c "[ \"\$(cat $(rl_sysdir "$from")/role)\" = leader ]" ||
	fail "n$from does not lead again after the aborted transfer"
rl_heal
sleep 1
rl_writers_stop 50
dl_wait_converged 30 1 2 3
rl_check_acked "$RL_TMP/acks" 1 2 3
