#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# disk-error: node 3's data_dir is a small tmpfs that fills up while the
# cluster takes writes. Node 3 must leave service cleanly: a kernel log
# line naming the error, sysfs failed = 1, writes on its device fail with
# EIO, no kernel warning; nodes 1 and 2 keep electing and committing. Once
# space is freed and node 3 is disabled and enabled again, it replays
# what it had stored (cutting a torn tail if the failed write left one)
# and catches up with everything committed meanwhile.
# Then the same with a file system that turns read-only under node 3
# (mounted by the ext4 driver with errors=remount-ro, made to hit an
# error: from then on every fsync fails with EROFS), and with real I/O errors: node 3's
# data_dir moves to ext2 on a loop device whose backing file sits on a
# tmpfs much smaller than the device, so writeback fails and fsync returns
# EIO. Both need the loop and ext4 modules in the VM; without them those
# parts say they did not run.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

mnt=$RL_TMP/small
mkdir -p "$mnt"
mount -t tmpfs -o size=256k tmpfs "$mnt"
eio=$RL_TMP/eio
tiny=$RL_TMP/tiny
rofs=$RL_TMP/rofs
loopdev=""
roloop=""
# The file system refuses to sync (new files cannot be made durable).
ro_now() {
	! dd if=/dev/zero of="$rofs/probe" bs=4k count=1 conv=fsync \
		2>/dev/null
}
# n3_failed WHAT DIR ERRNO PREFIX: n3 says failed, the kernel log names
# ERRNO for its data_dir DIR, and n1 and n2 still elect and commit.
n3_failed() {
	wait_until 10 test "$(rl_get 3 failed)" = 1 ||
		fail "n3 does not say failed after $1"
	dl_klog_since | grep "raftlog-n3" || true
	dl_klog_has "raftlog-n3: data_dir $2: .* failed (-$3)" ||
		fail "no kernel log line naming n3's error $3"
	rl_wait_leader 10 1 2 || { rl_show; fail "no leader among n1, n2"; }
	probe writer "$(rl_dev 2)" "$4" 20 >>"$RL_TMP/acks" ||
		fail "n1 and n2 took no writes after $1"
}

cleanup() {
	umount "$eio" "$rofs" 2>/dev/null || true
	[ -z "$loopdev" ] || losetup -d "$loopdev" 2>/dev/null || true
	[ -z "$roloop" ] || losetup -d "$roloop" 2>/dev/null || true
	umount "$tiny" "$mnt" 2>/dev/null || true
}
trap cleanup EXIT

rl_load
rl_net 3
# Fresh logs: an earlier scenario of this boot may have left its data_dirs
# (n3 would then have thousands of entries to catch up on its small disk).
rm -rf "$(dl_dir 1)" "$(dl_dir 2)"
dl_create 1 3
dl_create 2 3
mkdir -p "$mnt/n3"
rl_create 3 3 data_dir="$mnt/n3"
for k in 1 2 3; do
	rl_start "$k"
done
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
long=$(printf 'x%.0s' $(seq 1 200))
probe writer "$(rl_dev 1)" "a$long" 20 >"$RL_TMP/acks" || fail "writes failed"
dl_wait_converged 10 1 2 3
[ "$(rl_get 3 failed)" = 0 ] || fail "n3 failed before its disk did"

# Fill n3's file system, then write until n3 needs a new page.
dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null || true
log "n3's file system: $(df -k "$mnt" | tail -n 1)"
dl_klog_mark
# (If n3 leads, writes in flight when it stops may fail: a leader crash.)
probe writer "$(rl_dev 1)" "b$long" 60 >>"$RL_TMP/acks" || true
wait_until 10 test "$(rl_get 3 failed)" = 1 || fail "n3 does not say failed"
dl_klog_since | grep "raftlog-n3" || true
dl_klog_has "raftlog-n3: data_dir $mnt/n3: writing log failed (-28)" ||
	fail "no kernel log line naming n3's ENOSPC"
out=$(probe write "$(rl_dev 3)" after-failure || true)
case "$out" in
EIO*) log "write on failed n3: $out" ;;
*) fail "write on failed n3: '$out', expected EIO" ;;
esac

# The healthy majority goes on, also without n3's vote.
rl_wait_leader 10 1 2 || { rl_show; fail "no leader among n1, n2"; }
probe writer "$(rl_dev 2)" c 20 >>"$RL_TMP/acks" || fail "writes failed"
wait_until 10 rl_all_commit_ge "$(rl_get 1 last_index)" 1 2 ||
	fail "n1 and n2 did not commit"
rl_show

# Repair: free space, restart n3 from its files, catch up.
rl_stop 3
rm -f "$mnt/fill"
dl_klog_mark
rl_start 3
dl_klog_since | grep "raftlog-n3" || true
dl_wait_converged 20 1 2 3
[ "$(rl_get 3 failed)" = 0 ] || fail "n3 still failed after the repair"
dl_check_acked "$RL_TMP/acks" 1 2 3
dl_no_dup_log 1

if ! grep -qw ext4 /proc/filesystems || [ ! -e /dev/loop-control ]; then
	log "EROFS and EIO parts NOT RUN: no loop device or ext4 in this VM"
	exit 0
fi

# --- a file system that turns read-only ------------------------------------
mkdir -p "$rofs"
truncate -s 32M "$RL_TMP/rofs.img"
roloop=$(losetup -f)
losetup "$roloop" "$RL_TMP/rofs.img"
mke2fs -q -N 64 "$roloop" >/dev/null 2>&1 || fail "mke2fs failed"
mount -t ext4 -o errors=remount-ro "$roloop" "$rofs"
rl_stop 3
mkdir "$rofs/n3"
cp "$mnt/n3/log" "$mnt/n3/state" "$rofs/n3/"
rl_cfg 3 data_dir "$rofs/n3"
rl_start 3
dl_wait_converged 20 1 2 3
[ "$(rl_get 3 failed)" = 0 ] || fail "n3 failed before its file system did"
dl_klog_mark
echo "raftlog disk-error scenario" \
	>"/sys/fs/ext4/$(basename "$roloop")/trigger_fs_error"
# (ext4 switches to read-only from a work item, a moment later)
wait_until 10 ro_now || fail "$rofs did not turn read-only"
probe writer "$(rl_dev 1)" "r$long" 20 >>"$RL_TMP/acks" || true
n3_failed "its file system turned read-only" "$rofs/n3" 30 s
# What n3 stored before the error is intact: it resumes from a copy.
rl_stop 3
cp "$rofs/n3/log" "$rofs/n3/state" "$mnt/n3/"
rl_cfg 3 data_dir "$mnt/n3"
rl_start 3
dl_wait_converged 20 1 2 3
dl_check_acked "$RL_TMP/acks" 1 2 3
umount "$rofs"
losetup -d "$roloop"
roloop=""

# --- I/O errors ------------------------------------------------------------
mkdir -p "$tiny" "$eio"
mount -t tmpfs -o size=8m tmpfs "$tiny"
truncate -s 64M "$tiny/img"
loopdev=$(losetup -f)
losetup "$loopdev" "$tiny/img"
mke2fs -q -N 64 "$loopdev" >/dev/null 2>&1 || fail "mke2fs failed"
mount -t ext2 "$loopdev" "$eio"
rl_stop 3
mkdir "$eio/n3"
cp "$mnt/n3/log" "$mnt/n3/state" "$eio/n3/"
sync
used=$(df -k "$tiny" | awk 'NR == 2 { print $3 }')
mount -o remount,size=$((used + 128))k "$tiny"
log "backing store of n3's ext2: $(df -k "$tiny" | tail -n 1)"
rl_cfg 3 data_dir "$eio/n3"
rl_start 3
dl_wait_converged 20 1 2 3
[ "$(rl_get 3 failed)" = 0 ] || fail "n3 failed before its disk did"
dl_klog_mark
for b in $(seq 1 40); do
	probe writer "$(rl_dev 1)" "e$b$long" 25 >>"$RL_TMP/acks" || true
	[ "$(rl_get 3 failed)" = 0 ] || break
done
n3_failed "its disk returned I/O errors" "$eio/n3" 5 f
wait_until 10 rl_all_commit_ge "$(rl_get 1 last_index)" 1 2 ||
	fail "n1 and n2 did not commit"
rl_stop 3
rl_logs_identical 1 2 || fail "n1 and n2 differ"
dl_check_acked "$RL_TMP/acks" 1 2
