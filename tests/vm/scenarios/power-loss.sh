#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# power-loss (guest side): run by the host driver
# tests/vm/durability-power-loss.sh, which gives the VM a virtio disk
# (/dev/vda, ext4) and kills QEMU while this script is writing. Phases:
#   start    fresh data_dirs on the disk, a 3-node cluster, then writers
#            until the VM is killed; every write that returned success is
#            printed as "OK ENTRY INDEX MS" on the console.
#   resume BOOT [final]
#            the cluster again from the data_dirs on the disk; prints the
#            kernel's replay lines, waits until the nodes converge, prints
#            node 1's committed log as "@@LOG INDEX DATA" lines and
#            "@@CHECKED"; then writers (entries named after BOOT) again
#            until killed, or, with "final", a clean stop.
set -euo pipefail
. /vm/guest-lib.sh
DL_DATA=/mnt/disk/raftlog
. /vm/durability-lib.sh

phase=${1:-}
[ -b /dev/vda ] ||
	fail "power-loss needs the virtio disk of tests/vm/durability-power-loss.sh"
mkdir -p /mnt/disk
mount -t ext4 /dev/vda /mnt/disk || fail "cannot mount /dev/vda"

writers() {
	local w
	for w in 1 2 3; do
		(
			b=0
			while :; do
				b=$((b + 1))
				probe writer "$(rl_dev $(( (w + b) % 3 + 1 )))" \
					"$1$w.$b" 10 | grep '^OK ' || true
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
	echo "@@READY"
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
	sed 's/^/@@LOG /' "$RL_TMP/log.1"
	echo "@@CHECKED"
	if [ "${3:-}" = final ]; then
		for k in 1 2 3; do
			rl_stop "$k"
		done
		umount /mnt/disk
		exit 0
	fi
	writers "r${2:?boot number}."
	;;
*)
	fail "usage: power-loss.sh start|resume BOOT [final] (see tests/vm/durability-power-loss.sh)"
	;;
esac
