#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# torn-tail: a follower's log file is damaged while it is stopped.
#   1. its last record cut short: on restart the tail is cut (one kernel
#      log line naming the index), the node rejoins and converges;
#   2. its last record's checksum broken: the same;
#   3. a record in the middle broken (intact records after it): the node
#      refuses to start with a clear kernel log line and leaves the file
#      as it was; the other two go on; once the operator empties its
#      data_dir it rejoins as a new member and catches up;
#   4. before that, its data_dir holds a log of format version 1 (as the
#      module wrote it before entries carried a session and seq): the node
#      refuses to start (ENOEXEC) with one kernel log line naming the file
#      and both versions, and nothing in the directory changes.
# Entries are "t-N" (at most 8 bytes), so each record takes 56 bytes (a
# 48-byte header, kmod/record.h); the term is at byte 16 of a record.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

REC=56

# v1_log K: a log file as version 1 wrote it for node K of cluster 99: the
# 32-byte header (CRC32C of bytes 8..31 worked out elsewhere), then the
# leader's no-op at index 1, term 1, in version 1's 32-byte record.
v1_log() {
	local crc
	case $1 in
	1) crc='\xac\x4a\xdb\x6e' ;;
	2) crc='\x6b\x52\x1f\x37' ;;
	3) crc='\xd6\xa5\x5c\x00' ;;
	esac
	printf "RLLG$crc\x01\x00\x00\x00\x0$1\x00\x00\x00\x63\x00\x00\x00\x00\x00\x00\x00"
	printf '\x00\x00\x00\x00\x00\x00\x00\x00'
	printf 'RLER\x26\x89\xfd\x11\x01\x00\x00\x00\x00\x00\x00\x00'
	printf '\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00'
}

dl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
probe writer "$(rl_dev "$LEADER")" t 30 >"$RL_TMP/acks" ||
	fail "writes failed"
dl_wait_converged 10 1 2 3
victim=$(( LEADER % 3 + 1 ))
log "damaging follower n$victim's log"
f=$(dl_dir "$victim")/log

# stop_with_tail: stop the victim once its last record is one of ours.
stop_victim() {
	probe writer "$(rl_dev "$LEADER")" "t$1" 5 >>"$RL_TMP/acks" ||
		fail "writes failed"
	dl_wait_converged 10 1 2 3
	rl_stop "$victim"
}

# restart_expect_cut PATTERN: restart the victim, expect one cut line.
restart_expect_cut() {
	local cuts
	dl_klog_mark
	rl_start "$victim"
	cuts=$(dl_klog_since | grep "raftlog-n$victim: .*cut the log's torn tail" || true)
	echo "$cuts"
	[ "$(echo "$cuts" | grep -c . || true)" = 1 ] ||
		fail "expected exactly one torn-tail line"
	echo "$cuts" | grep -q "$1" || fail "torn-tail line lacks '$1'"
	dl_wait_converged 15 1 2 3
	dl_check_acked "$RL_TMP/acks" 1 2 3
}

# 1. cut short
stop_victim a
size=$(stat -c %s "$f")
last=$(rl_get "$LEADER" last_index)
truncate -s $((size - 7)) "$f"
restart_expect_cut "at index $last .*short record"

# 2. checksum: flip a byte of the last record's term field
stop_victim b
size=$(stat -c %s "$f")
last=$(rl_get "$LEADER" last_index)
printf '\377' | dd of="$f" bs=1 seek=$((size - REC + 16)) conv=notrunc 2>/dev/null
restart_expect_cut "at index $last .*checksum mismatch"

# 3. the middle: refuse, leave the file alone
stop_victim c
printf '\377' | dd of="$f" bs=1 seek=$((32 + 5 * REC + 16)) conv=notrunc 2>/dev/null
cp "$f" "$RL_TMP/damaged"
dl_klog_mark
if nsenter --net="/run/netns/n$victim" sh -c "echo 1 > $RL_CFS/n$victim/enabled"; then
	fail "n$victim started on a log damaged in the middle"
fi
dl_klog_since | grep "raftlog-n$victim" || true
dl_klog_has "raftlog-n$victim: .*damaged .*intact record follows.*refusing to start" ||
	fail "no clear kernel log line for the refusal"
[ ! -e "$(rl_dev "$victim")" ] || fail "a device exists for the refused node"
cmp -s "$f" "$RL_TMP/damaged" || fail "the refused log file was changed"
others=$(echo 1 2 3 | tr ' ' '\n' | grep -v "^$victim$" | tr '\n' ' ')
rl_wait_leader 10 $others || { rl_show $others; fail "no leader without n$victim"; }
probe writer "$(rl_dev "$LEADER")" d 10 >>"$RL_TMP/acks" ||
	fail "the two healthy nodes took no writes"

# 4. a data_dir of format version 1: refused as such, left alone
d=$(dl_dir "$victim")
rm -rf "$d"
mkdir -p "$d"
v1_log "$victim" >"$d/log"
[ "$(stat -c %s "$d/log")" = 64 ] || fail "v1_log wrote $(stat -c %s "$d/log") bytes"
cp "$d/log" "$RL_TMP/v1log"
dl_klog_mark
if err=$(nsenter --net="/run/netns/n$victim" sh -c "echo 1 > $RL_CFS/n$victim/enabled" 2>&1); then
	fail "n$victim started on a data_dir of format version 1"
fi
echo "enable: $err"
case $err in
*"Exec format error"*) ;;
*) fail "enabling on a version-1 data_dir did not fail with ENOEXEC" ;;
esac
dl_klog_since | grep "raftlog-n$victim" || true
lines=$(dl_klog_since | grep -c "raftlog-n$victim: data_dir $d: log format version 1, this module reads version 3; refusing to start" || true)
[ "$lines" = 1 ] || fail "$lines kernel log lines name the format version, want 1"
dl_klog_has "raftlog-n$victim: data_dir .*empty directory" ||
	fail "the kernel log line does not say what to do"
if dl_klog_since | grep "raftlog-n$victim: .*\(damaged\|torn\|cut the log\)"; then
	fail "a version-1 data_dir was taken for damage"
fi
[ ! -e "$(rl_dev "$victim")" ] || fail "a device exists for the refused node"
cmp -s "$d/log" "$RL_TMP/v1log" || fail "the refused version-1 log was changed"
[ "$(ls -A "$d")" = log ] || fail "files appeared in the refused data_dir: $(ls -A "$d")"

rm -rf "$(dl_dir "$victim")"
mkdir -p "$(dl_dir "$victim")"
rl_start "$victim"
dl_wait_converged 20 1 2 3
dl_check_acked "$RL_TMP/acks" 1 2 3
dl_no_dup_log 1
