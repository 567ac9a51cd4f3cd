#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# leader-loss: the leader's instance is stopped; the other two elect a new
# leader in a higher term; writes continue; the old node is started again,
# rejoins as a follower of the new leader and ends with an identical log.
set -euo pipefail
. /vm/guest-lib.sh

expect_ok() {
	local res
	res=$(rl_write "$1" "$2")
	case "$res" in
	OK*) ;;
	*) fail "write '$2' on n$1: $res" ;;
	esac
}

rl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader within 10 s"; }
old=$LEADER
term0=$LEADER_TERM
log "leader n$old in term $term0"
expect_ok "$old" before-1
expect_ok "$(( old % 3 + 1 ))" before-2

rest=""
for k in 1 2 3; do
	[ "$k" = "$old" ] || rest="$rest $k"
done
rl_stop "$old"
log "stopped n$old"
rl_wait_leader 10 $rest || { rl_show $rest; fail "no new leader within 10 s"; }
new=$LEADER
[ "$LEADER_TERM" -gt "$term0" ] || fail "new leader's term $LEADER_TERM is not above $term0"
log "new leader n$new in term $LEADER_TERM"
for i in 1 2 3; do
	expect_ok "$new" "after-$i"
done
for k in $rest; do
	[ "$k" = "$new" ] || expect_ok "$k" "after-follower"
done

rl_start "$old"
log "started n$old again"
rl_wait_leader 15 1 2 3 || { rl_show; fail "old node did not rejoin"; }
[ "$LEADER" = "$new" ] || fail "leadership moved to n$LEADER when n$old rejoined"
rl_rd role "$old" role
[ "$role" = follower ] || fail "n$old is $role after rejoining"
rl_rd c "$new" commit_index
wait_until 15 rl_all_commit_ge "$c" 1 2 3 || { rl_show; fail "n$old did not catch up"; }
rl_logs_identical 1 2 3 || { rl_show; fail "logs differ after rejoin"; }
cat "$RL_TMP/log.1"
n=$(wc -l <"$RL_TMP/log.1")
[ "$n" -eq 6 ] || fail "expected 6 entries, the log has $n"
for e in before-1 before-2 after-1 after-2 after-3 after-follower; do
	grep -q " $e\$" "$RL_TMP/log.1" || fail "entry $e missing"
done
rl_show
