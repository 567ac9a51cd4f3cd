#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# shrink: a five-node cluster shrinks to three under three writers, the
# leader first: removing the leader returns once the change is committed,
# the old leader steps down, one of the four left leads; then a follower is
# removed. The three left agree on voters, peers/ lost the removed ones,
# and every acknowledged write is in their logs exactly once.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

rl_cluster 5
rl_wait_leader 10 1 2 3 4 5 || { rl_show; fail "no leader"; }
old=$LEADER
keep=""
for k in 1 2 3 4 5; do
	[ "$k" = "$old" ] || keep="$keep $k"
done
keep=${keep# }
other=${keep%% *}		# the follower removed second
keep=${keep#* }			# the three that stay
log "leader n$old; removing n$old, then n$other; keeping $keep"
rl_writers_start "$keep"
sleep 1

out=$(rl_member "$old" remove "$old") || fail "remove leader $old: $out"
echo "$out"
wait_until 10 sh -c "[ \"\$(cat $(rl_sysdir "$old")/role)\" != leader ]" ||
	fail "n$old still leads after removing itself"
rl_wait_leader 10 $other $keep || { rl_show; fail "no leader after removing n$old"; }
log "n$LEADER leads the four"
out=$(rl_member "${keep%% *}" remove "$other") || fail "remove $other: $out"
echo "$out"
rl_wait_conf 10 "$keep" "" $keep
for k in $keep; do
	for r in $old $other; do
		[ ! -e "$(rl_sysdir "$k")/peers/$r" ] ||
			fail "n$k still has peers/$r/"
	done
done
# the removed may not come back: refused as not a member
out=$(rl_member "${keep%% *}" remove "$other") &&
	fail "a second remove of $other succeeded"
grep -q 'not a member' <<<"$out" || fail "second remove: $out"
sleep 1
rl_writers_stop 30
dl_wait_converged 30 $keep
rl_check_acked "$RL_TMP/acks" $keep
