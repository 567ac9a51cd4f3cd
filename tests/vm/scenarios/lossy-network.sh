#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lossy-network: 20% loss, 5% duplication, 25% reordering and 10 +- 5 ms
# delay on every link of a three-node cluster. Five concurrent writers (two
# on the leader, three on followers) write 500 entries. Every write that
# returned success is in every node's log exactly once, at the index it
# was given; no entry is there twice; all logs are identical (same order);
# a write reported as certainly failed is not there; and most writes
# succeed (at least 90%).
set -euo pipefail
. /vm/guest-lib.sh

rl_cluster 3 commit_timeout_ms=15000
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader within 10 s"; }
L=$LEADER
F1=$(( L % 3 + 1 ))
F2=$(( F1 % 3 + 1 ))
for k in 1 2 3; do
	rl_netem "$k" loss 20% duplicate 5% delay 10ms 5ms reorder 25%
done
log "netem on; leader n$L"

pids=""
start_writer() {	# name node count
	probe writer "$(rl_dev "$2")" "$1" "$3" >"$RL_TMP/w.$1" 2>&1 &
	pids="$pids $!"
}
tick_now
t0=$NOW
start_writer wa "$L" 100
start_writer wb "$L" 100
start_writer wc "$F1" 100
start_writer wd "$F2" 100
start_writer we "$F1" 100
for p in $pids; do
	wait "$p" || true
done
tick_now
log "writers done in $(( (NOW - t0) / 1000 )) s"
cat "$RL_TMP"/w.* >"$RL_TMP/acks"
grep '^DONE' "$RL_TMP/acks"
ok=$(grep -c '^OK ' "$RL_TMP/acks") || true
failed=$(grep -vcE '^(OK|DONE) ' "$RL_TMP/acks") || true
log "$ok writes succeeded, $failed failed"
grep -vE '^(OK|DONE) ' "$RL_TMP/acks" | awk '{print $1}' | sort | uniq -c ||
	true	# every write may well succeed
[ $((ok + failed)) -eq 500 ] || fail "$((ok + failed)) writes reported, not 500"
[ "$ok" -ge 450 ] || fail "only $ok of 500 writes succeeded"

for k in 1 2 3; do
	rl_netem_clear "$k"
done
rl_wait_leader 20 1 2 3 || { rl_show; fail "no leader after the faults stopped"; }
rl_rd c "$LEADER" commit_index
wait_until 20 rl_all_commit_ge "$c" 1 2 3 || { rl_show; fail "no catch-up"; }
rl_logs_identical 1 2 3 || { rl_show; fail "logs differ"; }
logf=$RL_TMP/log.1
log "$(wc -l <"$logf") entries in every log"

# No entry twice.
dups=$(awk '{print $2}' "$logf" | sort | uniq -d | head -n 5)
[ -z "$dups" ] || fail "entries in the log twice: $dups"
# Every entry in the log was written by a writer.
strays=$(awk '{print $2}' "$logf" | grep -vE '^w[a-e]-[0-9]+$' | head -n 3) || true
[ -z "$strays" ] || fail "entries nobody wrote: $strays"
# Every success is there, at the index the write returned.
awk 'NR == FNR { at[$2] = $1; next }
     $1 == "OK" { if (!($2 in at)) { print "missing " $2; bad = 1 }
		  else if (at[$2] != $3) { print $2 " at " at[$2] " not " $3; bad = 1 } }
     END { exit bad }' "$logf" "$RL_TMP/acks" >"$RL_TMP/check" ||
	fail "acknowledged writes wrong: $(head -n 3 "$RL_TMP/check")"
# A write that failed for certain (README's errno table: everything but
# ETIMEDOUT, EINTR, ESHUTDOWN, ESTALE and EIO, which "may still commit")
# must not be there.
awk 'NR == FNR { at[$2] = 1; next }
     $1 != "OK" && $1 != "DONE" && $1 !~ /^(ETIMEDOUT|EINTR|ESHUTDOWN|ESTALE|EIO)$/ {
	if ($2 in at) { print $1 " " $2; bad = 1 } }
     END { exit bad }' "$logf" "$RL_TMP/acks" >"$RL_TMP/check" ||
	fail "writes reported failed yet committed: $(head -n 3 "$RL_TMP/check")"
# Each writer's acknowledged entries sit in the order it wrote them.
awk '$1 == "OK" { split($2, a, "-"); w = a[1]
		  if ((w in last) && $3 <= last[w]) { print $2; bad = 1 }
		  last[w] = $3 }
     END { exit bad }' "$RL_TMP/acks" >"$RL_TMP/check" ||
	fail "acknowledged entries out of order: $(head -n 3 "$RL_TMP/check")"
rl_show
