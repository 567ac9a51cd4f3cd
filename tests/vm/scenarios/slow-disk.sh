#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# slow-disk: a leader whose fsync takes 500 ms keeps leading, and the
# cluster keeps committing through the followers' copies (Raft needs a
# majority, not the leader's own disk). Each node's data_dir is ext3 on a
# dm-delay device over a loop device (backing file on tmpfs); once a
# leader is elected its device delays every flush by 500 ms. During 20 s
# of writes from four writers: no leader change and no term change, the
# commit index rises by at least SD_MIN_COMMITS, the leader's fsync count
# shows the delay is real (its fsyncs take SD_MIN_FSYNC_MS on average at
# least: without the delay they take about a millisecond), and at the end
# every acknowledged write is present exactly once on every node. Without
# dm-delay in the VM the scenario fails (it must not pass unrun).
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

SD_DELAY_MS=500
SD_SECONDS=20
SD_MIN_COMMITS=${SD_MIN_COMMITS:-200}
# Measured: fsyncs of 430 ms on average under 500 ms flushes (ext4 may
# find part of a transaction already committed), about 1 ms without.
SD_MIN_FSYNC_MS=250
export DM_DISABLE_UDEV=1
sd=$RL_TMP/slow
loops=()

cleanup() {
	local k
	for k in 1 2 3; do
		umount "$sd/m$k" 2>/dev/null || true
		dmsetup remove --noudevsync "rl-slow$k" 2>/dev/null || true
	done
	for k in "${loops[@]}"; do
		losetup -d "$k" 2>/dev/null || true
	done
	umount "$sd/img" 2>/dev/null || true
}
trap cleanup EXIT

command -v dmsetup >/dev/null || fail "no dmsetup in this VM: slow-disk cannot run"
dmsetup targets 2>/dev/null | grep -qw delay ||
	fail "no dm-delay target in this kernel: slow-disk cannot run"
grep -qw ext4 /proc/filesystems || fail "no ext4 in this VM"

SD_MB=48
# sd_table K FLUSH_MS: node K's dm table (read, write and flush classes),
# reads and writes undelayed.
sd_table() {
	local dev=${loops[$(($1 - 1))]}
	echo "0 $((SD_MB * 2048)) delay $dev 0 0 $dev 0 0 $dev 0 $2"
}

mkdir -p "$sd/img"
mount -t tmpfs -o size=200m tmpfs "$sd/img"
for k in 1 2 3; do
	truncate -s "${SD_MB}M" "$sd/img/n$k"
	loops+=("$(losetup -f)")
	losetup "${loops[$((k - 1))]}" "$sd/img/n$k"
	dmsetup create --noudevsync "rl-slow$k" --table "$(sd_table "$k" 0)"
done
dmsetup mknodes
rl_load
rl_net 3
for k in 1 2 3; do
	mke2fs -q -j -N 64 "/dev/mapper/rl-slow$k" >/dev/null 2>&1 ||
		fail "mke2fs on rl-slow$k failed"
	mkdir -p "$sd/m$k"
	mount -t ext4 "/dev/mapper/rl-slow$k" "$sd/m$k"
	mkdir "$sd/m$k/n$k"
	rl_create "$k" 3 data_dir="$sd/m$k/n$k"
done
for k in 1 2 3; do
	rl_start "$k"
done
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
probe writer "$(rl_dev 1)" warm 20 >"$RL_TMP/warm" || fail "writes failed"
dl_wait_converged 10 1 2 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
lead=$LEADER
term=$LEADER_TERM

# The leader's disk turns slow: every flush waits 500 ms.
dmsetup suspend --noudevsync "rl-slow$lead"
dmsetup reload --noudevsync "rl-slow$lead" --table "$(sd_table "$lead" "$SD_DELAY_MS")"
dmsetup resume --noudevsync "rl-slow$lead"
log "n$lead leads in term $term; its flushes now wait $SD_DELAY_MS ms:" \
    "$(dmsetup table "rl-slow$lead")"
t0=$(date +%s.%N)
dd if=/dev/zero of="$sd/m$lead/probe" bs=4k count=1 conv=fsync 2>/dev/null
t1=$(date +%s.%N)
rm -f "$sd/m$lead/probe"
log "one fsync on n$lead's file system: $(echo "$t0 $t1" |
    awk '{ printf "%d ms", ($2 - $1) * 1000 }')"

c0=$(rl_get "$lead" commit_index)
f0=$(rl_get "$lead" stats/fsyncs)
lc0=$(rl_stat_sum "$lead" '^leader_changes$')
ms0=$(now_ms)
rl_writers_start "1 2 3" 4
changes=0
for s in $(seq 1 "$SD_SECONDS"); do
	sleep 1
	rl_agreed_leader 1 2 3 || true
	if [ "$LEADER" != "$lead" ] || [ "$(rl_get "$lead" term)" != "$term" ]; then
		changes=$((changes + 1))
		log "after $s s: leader $LEADER, n$lead's term $(rl_get "$lead" term)"
	fi
done
c1=$(rl_get "$lead" commit_index)
f1=$(rl_get "$lead" stats/fsyncs)
t1=$(rl_get "$lead" term)
lc1=$(rl_stat_sum "$lead" '^leader_changes$')
ms=$(($(now_ms) - ms0))
fs=$((f1 - f0))
rl_writers_stop 30
rl_show
log "first writer's acknowledged writes under the slow disk: $(rl_lat 1 1000000)"
log "in $ms ms of ${SD_DELAY_MS} ms flushes on leader n$lead:" \
    "$((c1 - c0)) entries committed, $fs fsyncs on n$lead" \
    "($((ms / (fs > 0 ? fs : 1))) ms each on average)," \
    "term $term -> $t1, $((lc1 - lc0)) leader changes seen by n$lead," \
    "$changes samples without n$lead leading in term $term"
[ "$t1" = "$term" ] || fail "the term changed under the slow disk ($term -> $t1)"
if [ "$changes" != 0 ] || [ "$lc1" != "$lc0" ]; then
	fail "leadership changed under the slow disk"
fi
[ $((c1 - c0)) -ge "$SD_MIN_COMMITS" ] ||
	fail "only $((c1 - c0)) commits in ${SD_SECONDS} s (want >= $SD_MIN_COMMITS)"
[ "$fs" -ge 1 ] || fail "n$lead did not fsync at all"
[ $((fs * SD_MIN_FSYNC_MS)) -le "$ms" ] ||
	fail "n$lead fsynced $fs times in $ms ms: the delay is not real"

# The disk recovers; everything converges and every acknowledged write
# is there exactly once.
dmsetup suspend --noudevsync "rl-slow$lead"
dmsetup reload --noudevsync "rl-slow$lead" --table "$(sd_table "$lead" 0)"
dmsetup resume --noudevsync "rl-slow$lead"
dl_wait_converged 20 1 2 3
rl_check_acked "$RL_TMP/acks" 1 2 3
for k in 1 2 3; do
	[ "$(rl_get "$k" failed)" = 0 ] || fail "n$k failed"
done
