#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# VM scenario "tools": raftctl and raftbench against a real 3-node cluster,
# their output checked, not only their exit codes. Meant to run as
# /vm/scenarios/tools.sh by tests/vm/run.sh.
#   status: one leader row, the same leader and term on every row, JSON
#   append: indexes printed, increasing, forwarded from followers, stdin
#   tail:   exact INDEX<TAB>DATA lines, identical on every node, --from,
#           --json, -f picking up a later entry
#   sessions: the same (--session, --seq) written through two nodes is one
#           entry at one index
#   errors: an entry over max_entry_size exits 1 and says so; with the
#           majority gone a write exits 4 or 5 with the matching message
#   raftbench: --verify OK on three nodes; a run across a leader failover
#           still verifies and its timeline marks the leader change; a
#           failover between the writes and the check (the log then ends
#           in a no-op entry) still verifies
set -euo pipefail
. /vm/guest-lib.sh
export NO_COLOR=1

rl_cluster 3 commit_timeout_ms=3000
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader within 10 s"; }
leader=$LEADER
term=$LEADER_TERM
f1=$(( leader % 3 + 1 ))
f2=$(( f1 % 3 + 1 ))
log "leader n$leader, term $term; followers n$f1 n$f2"

# --- status ---------------------------------------------------------------
out=$(raftctl status) || fail "raftctl status failed"
echo "$out"
[ "$(grep -cE '^raftlog-n[123] +[123] +leader ' <<<"$out")" -eq 1 ] ||
	fail "status: not exactly one leader row"
for k in 1 2 3; do
	grep -qE "^raftlog-n$k +$k +(leader|follower) +$term +$leader " <<<"$out" ||
		fail "status: row of n$k does not show term $term, leader $leader"
done
grep -qE "^ +$f1 +10\.99\.0\.$f1:$RL_PORT +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ ms ago" <<<"$out" ||
	fail "status: the leader's peer row for n$f1 is missing"
json=$(raftctl status --json) || fail "raftctl status --json failed"
[ "$(grep -o '"role":"leader"' <<<"$json" | wc -l)" -eq 1 ] ||
	fail "status --json: not exactly one leader"
grep -q "\"name\":\"raftlog-n$leader\",\"device\":\"/dev/raftlog-n$leader\",\"id\":$leader,\"role\":\"leader\",\"term\":$term," <<<"$json" ||
	fail "status --json: leader object wrong: $json"

# --- append ---------------------------------------------------------------
i1=$(raftctl append "n$leader" sally) || fail "append sally: exit $?"
[[ "$i1" =~ ^[0-9]+$ ]] || fail "append printed '$i1', not an index"
i2=$(raftctl append "n$f1" forwarded) || fail "append on follower: exit $?"
[ "$i2" -gt "$i1" ] || fail "index $i2 after $i1"
out=$(printf 'a\n\nb\nc\n' | raftctl append -d "n$f2") ||
	fail "append from stdin failed"
mapfile -t idx <<<"$out"
[ "${#idx[@]}" -eq 3 ] || fail "stdin: ${#idx[@]} indexes for 3 lines"
if [ "${idx[0]}" -le "$i2" ] || [ "${idx[1]}" -le "${idx[0]}" ] ||
	[ "${idx[2]}" -le "${idx[1]}" ]; then
	fail "stdin indexes: ${idx[*]}"
fi
j=$(raftctl append --json "n$leader" json) || fail "append --json failed"
[[ "$j" =~ ^\{\"index\":[0-9]+,\"len\":4,\"outcome\":\"committed\"\}$ ]] ||
	fail "append --json printed '$j'"
log "appended at $i1 $i2 ${idx[*]}"

# --- tail -----------------------------------------------------------------
want=$(printf '%s\tsally\n%s\tforwarded\n%s\ta\n%s\tb\n%s\tc\n' \
	"$i1" "$i2" "${idx[0]}" "${idx[1]}" "${idx[2]}")
last=$(( idx[2] + 2 ))	# the json entry, past no more than one no-op
wait_until 10 rl_all_commit_ge "${idx[2]}" 1 2 3 || fail "commit lags"
for k in 1 2 3; do
	got=$(raftctl tail "n$k" | head -n 5) || fail "tail n$k failed"
	[ "$got" = "$want" ] || fail "tail n$k: got '$got' want '$want'"
done
got=$(raftctl tail "n$f1" --from "$i2" -n 1) || fail "tail --from failed"
[ "$got" = "$i2	forwarded" ] || fail "tail --from $i2: '$got'"
got=$(raftctl tail "n$f2" --json -n 1) || fail "tail --json failed"
[ "$got" = "{\"index\":$i1,\"len\":5,\"data\":\"sally\"}" ] ||
	fail "tail --json: '$got'"
raftctl tail -f "n$f2" --from "$last" >"$RL_TMP/follow" 2>&1 &
tpid=$!
sleep 0.5
il=$(raftctl append "n$f1" late) || fail "append late failed"
wait_until 10 grep -q "^$il	late\$" "$RL_TMP/follow" || {
	kill "$tpid" 2>/dev/null
	fail "tail -f did not show 'late' at $il: $(cat "$RL_TMP/follow")"
}
kill "$tpid" 2>/dev/null || true
log "tail checked on every node, -f saw index $il"

# --- sessions: a retried write is one entry ---------------------------------
# The same (session, seq, data) written on the leader and again through a
# follower (as after an unknown outcome) gives one index and one entry; the
# next seq is a new entry.
sess=0x5e55$RANDOM
s1=$(raftctl append --session "$sess" --seq 1 "n$leader" once) ||
	fail "append --session failed: exit $?"
s2=$(raftctl append --session "$sess" --seq 1 "n$f1" once) ||
	fail "the retry through n$f1 failed: exit $?"
[ "$s1" = "$s2" ] || fail "a retried write went to $s2, the first to $s1"
s3=$(raftctl append --session "$sess" --seq 2 "n$f2" twice) ||
	fail "append --seq 2 failed: exit $?"
[ "$s3" -gt "$s1" ] || fail "seq 2 at $s3, not after $s1"
wait_until 10 rl_all_commit_ge "$s3" 1 2 3 || fail "commit lags"
n=$(raftctl tail "n$f2" --from "$s1" | grep -c "	once$" || true)
[ "$n" -eq 1 ] || fail "the retried write is in the log $n times"
log "session $sess: seq 1 at $s1 (twice asked, once written), seq 2 at $s3"

# --- errors ---------------------------------------------------------------
max=$(rl_get "$leader" max_entry_size)
rc=0
head -c $((max + 1)) /dev/zero | tr '\0' x | raftctl append "n$leader" \
	>/dev/null 2>"$RL_TMP/err" || rc=$?
[ "$rc" -eq 1 ] || fail "oversized entry: exit $rc, want 1"
grep -q 'Message too long' "$RL_TMP/err" || fail "oversized: $(cat "$RL_TMP/err")"
rc=0
raftctl append -d n9 x 2>"$RL_TMP/err" || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q 'no such device' "$RL_TMP/err"; then
	fail "missing device: exit $rc, $(cat "$RL_TMP/err")"
fi

# --- raftbench --------------------------------------------------------------
out=$(raftbench -d "n$leader" -n 300 -c 4 -s 100 --verify n1 n2 n3) ||
	fail "raftbench --verify: exit $?: $out"
echo "$out"
grep -qE '^  committed +300 of 300$' <<<"$out" || fail "raftbench: not 300 committed"
grep -q '^verify: OK: 300 acknowledged entries' <<<"$out" ||
	fail "raftbench: verify line missing"

# A run across a failover: writers on both followers, the leader stopped
# after 3 s. Everything acknowledged must be on both survivors, in order.
raftbench -d "n$f1" -d "n$f2" -c 4 -s 64 -t 10 --verify "n$f1" "n$f2" \
	--verify-timeout 30 >"$RL_TMP/bench" 2>&1 &
bpid=$!
sleep 3
rl_stop "$leader"
log "stopped leader n$leader during the run"
rc=0
wait "$bpid" || rc=$?
cat "$RL_TMP/bench"
[ "$rc" -eq 0 ] || fail "raftbench across the failover: exit $rc"
grep -q '^verify: OK' "$RL_TMP/bench" || fail "failover run did not verify"
grep -q '<- leader change' "$RL_TMP/bench" ||
	fail "the timeline does not show the leader change"

# A failover after the writes and before the check: the new leader's no-op
# entry is then the last one, which readers skip; --verify must still end.
rl_wait_leader 15 "$f1" "$f2" || fail "no new leader"
rl_start "$leader"
wait_until 20 rl_all_commit_ge "$(rl_get "$LEADER" commit_index)" 1 2 3 ||
	fail "n$leader did not catch up after its restart"
old=$LEADER
# shellcheck disable=SC2046 # two ids, split on purpose
set -- $(for k in 1 2 3; do [ "$k" = "$old" ] || echo "$k"; done)
c0=$(rl_get "$old" commit_index)
raftbench -d "n$1" -n 50 --verify "n$1" "n$2" --verify-delay 10 \
	--verify-timeout 20 >"$RL_TMP/bench" 2>&1 &
bpid=$!
# (the 50 writes plus no-ops: stop n$old once they are in, not on a clock)
wait_until 60 rl_all_commit_ge $((c0 + 50)) "$old" "$1" ||
	fail "the 50 writes did not commit"
sleep 1
rl_stop "$old"
rl_wait_leader 15 "$1" "$2" || fail "no leader after stopping n$old"
log "n$old stopped after the writes; n$LEADER leads term $LEADER_TERM"
rc=0
wait "$bpid" || rc=$?
cat "$RL_TMP/bench"
[ "$rc" -eq 0 ] || fail "raftbench with a failover before --verify: exit $rc"
grep -q '^verify: OK: 50 acknowledged' "$RL_TMP/bench" ||
	fail "failover before --verify: not verified"
f1=$1
f2=$2

# With the majority gone a write cannot commit: exit 4 (unknown outcome)
# or 5 (no leader), and the message says which.
rl_stop "$f2"
rc=0
raftctl append "n$f1" orphan >/dev/null 2>"$RL_TMP/err" || rc=$?
case "$rc" in
4) grep -q 'unknown outcome' "$RL_TMP/err" || fail "exit 4: $(cat "$RL_TMP/err")" ;;
5) grep -q 'no leader' "$RL_TMP/err" || fail "exit 5: $(cat "$RL_TMP/err")" ;;
*) fail "write without a majority: exit $rc: $(cat "$RL_TMP/err")" ;;
esac
log "without a majority: exit $rc ($(cat "$RL_TMP/err"))"
rl_show
