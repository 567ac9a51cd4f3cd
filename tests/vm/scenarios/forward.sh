#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# forward (over IPv6): a write on a follower is forwarded to the leader,
# commits, returns, and is read at the same index on every node. The
# leader, not the follower, appends it.
set -euo pipefail
. /vm/guest-lib.sh

export RL_IPV6=1
rl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader within 10 s"; }
leader=$LEADER
follower=$(( leader % 3 + 1 ))
addr=$(rl_get "$leader" "peers/$follower/address")
case "$addr" in
*fd00:99::$follower*) ;;
*) fail "leader's peers/$follower/address is '$addr', not IPv6" ;;
esac
log "leader n$leader, writing on follower n$follower (peer address $addr)"

rl_rd p0_leader "$leader" stats/proposals
rl_rd p0_follower "$follower" stats/proposals
data="forwarded-by-n$follower"
res=$(rl_write "$follower" "$data")
log "write on n$follower: $res"
case "$res" in
"OK ${#data} index="*) ;;
*) fail "write on the follower: $res" ;;
esac
idx=${res#OK ${#data} index=}
idx=${idx%% *}
rl_rd role "$follower" role
[ "$role" = follower ] || fail "n$follower became $role"
rl_rd p1_leader "$leader" stats/proposals
rl_rd p1_follower "$follower" stats/proposals
[ "$p1_leader" -eq $((p0_leader + 1)) ] ||
	fail "leader's proposals $p0_leader -> $p1_leader, want +1"
[ "$p1_follower" -eq "$p0_follower" ] ||
	fail "follower appended it itself (proposals $p0_follower -> $p1_follower)"

wait_until 10 rl_all_commit_ge "$idx" 1 2 3 || {
	rl_show
	fail "not every commit index reached $idx"
}
for k in 1 2 3; do
	got=$(probe read "$(rl_dev "$k")" 4096 "$idx")
	want="OK ${#data} before=$idx after=$((idx + 1)) data=$data"
	[ "$got" = "$want" ] || fail "n$k read at $idx: '$got', want '$want'"
done
rl_show
log "every node reads $data at index $idx"
