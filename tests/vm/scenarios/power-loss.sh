#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# power-loss (guest side): run by the host driver
# tests/vm/durability-power-loss.sh, which gives the VM a virtio disk
# (/dev/vda, ext4) and kills QEMU while this script is writing. Phases:
#   start    fresh data_dirs on the disk, a 3-node cluster, then writers
#            until the VM is killed.
#   resume BOOT [final]
#            the cluster again from the data_dirs on the disk; prints the
#            kernel's replay lines, waits until the nodes converge, checks
#            the kernel log, sends node 1's committed log; then writers
#            (entries named after BOOT) again until killed, or, with
#            "final", a clean stop.
# Results go to the host on a channel of their own, the second serial
# port (/dev/ttyS1, a file on the host), never the console: one record a
# line, each written by one write() and ending in the field "EOR":
#   @@READY EOR                   the cluster has a leader (start)
#   OK ENTRY INDEX MS EOR         a write that returned success
#   @@LOG INDEX DATA EOR          node 1's committed log, then
#   @@CHECKED COUNT EOR           COUNT = the number of @@LOG records
#   @@DONE EOR                    the final clean stop succeeded
# The console keeps the human-readable progress and "FAIL: reason".
set -euo pipefail
. /vm/guest-lib.sh
DL_DATA=/mnt/disk/raftlog
. /vm/durability-lib.sh

phase=${1:-}
{ [ -c /dev/ttyS1 ] && exec 9>/dev/ttyS1; } 2>/dev/null ||
	fail "power-loss needs the second serial port (/dev/ttyS1) of tests/vm/durability-power-loss.sh"
# No output processing on the channel: records arrive as written.
stty -F /dev/ttyS1 -opost -echo 2>/dev/null || true
[ -b /dev/vda ] ||
	fail "power-loss needs the virtio disk of tests/vm/durability-power-loss.sh"
kcheck_begin	# from here on, the kernel log (mount and replay included)
mkdir -p /mnt/disk
mount -t ext4 /dev/vda /mnt/disk || fail "cannot mount /dev/vda"

# record FIELD...: one record on the results channel (printf, a builtin:
# one write() for a line this short).
record() {
	printf '%s EOR\n' "$*" >&9
}

writers() {
	local w
	for w in 1 2 3; do
		(
			b=0
			while :; do
				b=$((b + 1))
				# Each acknowledgement is flushed as one whole line
				# (one write()), so the three writers' records never
				# interleave within a line.
				probe writer "$(rl_dev $(( (w + b) % 3 + 1 )))" \
					"$1$w.$b" 10 |
				awk '$1 == "OK" && NF == 4 {
					printf "OK %s %s %s EOR\n", $2, $3, $4
					fflush()
				}' >&9 || true
			done
		) &
	done
	log "writers running; waiting to be killed"
	sleep 3600
}

case "$phase" in
start)
	rm -rf "$DL_DATA"
	dl_cluster 3
	rl_wait_leader 20 1 2 3 || { rl_show; fail "no leader"; }
	record @@READY
	writers s
	;;
resume)
	rl_load
	rl_net 3
	dl_klog_mark
	for k in 1 2 3; do
		dl_create "$k" 3
	done
	for k in 1 2 3; do
		rl_start "$k"
	done
	dl_klog_since | grep 'data_dir' || true
	rl_wait_leader 30 1 2 3 || { rl_show; fail "no leader after the power loss"; }
	dl_wait_converged 60 1 2 3
	rl_show
	rl_logs_identical 1 2 3 || fail "committed logs differ after the power loss"
	dl_no_dup_log 1
	# Replaying after the power cut must not upset the kernel either.
	kcheck_end
	awk '{ printf "@@LOG %s EOR\n", $0; fflush() }' "$RL_TMP/log.1" >&9
	record @@CHECKED "$(wc -l <"$RL_TMP/log.1")"
	if [ "${3:-}" = final ]; then
		for k in 1 2 3; do
			rl_stop "$k"
		done
		umount /mnt/disk
		kcheck_end
		record @@DONE
		exit 0
	fi
	writers "r${2:?boot number}."
	;;
*)
	fail "usage: power-loss.sh start|resume BOOT [final] (see tests/vm/durability-power-loss.sh)"
	;;
esac
