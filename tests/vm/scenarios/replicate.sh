#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# replicate: "sally" written on the leader returns once committed; every
# node's commit index reaches its index and every node reads "sally" at
# that same index.
set -euo pipefail
. /vm/guest-lib.sh

rl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader within 10 s"; }
leader=$LEADER
log "leader n$leader, term $LEADER_TERM"

res=$(rl_write "$leader" sally)
log "write on n$leader: $res"
case "$res" in
"OK 5 index="*) ;;
*) fail "write of sally on the leader: $res" ;;
esac
idx=${res#OK 5 index=}
idx=${idx%% *}
[ "$idx" -ge 1 ] || fail "write returned no index: $res"
# Returned means committed: the leader's commit index is already there.
rl_rd c "$leader" commit_index
[ "$c" -ge "$idx" ] || fail "write returned before commit ($c < $idx)"

wait_until 10 rl_all_commit_ge "$idx" 1 2 3 || {
	rl_show
	fail "not every commit index reached $idx"
}
for k in 1 2 3; do
	got=$(probe read "$(rl_dev "$k")" 4096 "$idx")
	want="OK 5 before=$idx after=$((idx + 1)) data=sally"
	[ "$got" = "$want" ] || fail "n$k read at $idx: '$got', want '$want'"
	rl_dump "$k" >"$RL_TMP/log.$k"
	[ "$(cat "$RL_TMP/log.$k")" = "$idx sally" ] ||
		fail "n$k log is not just sally at $idx: $(cat "$RL_TMP/log.$k")"
done
rl_show
log "all nodes read sally at index $idx"
