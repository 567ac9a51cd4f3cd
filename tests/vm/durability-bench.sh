#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/durability-bench.sh: what durability costs. Boots a VM with an
# ext4 virtio disk and, for each writer count, runs raftbench against a
# 3-node cluster twice: memory-only, then with every node's data_dir on
# the disk. Prints entries per second and fsyncs per committed entry on
# the leader and on a follower (group commit: well below 1 under load).
#
#   tests/vm/durability-bench.sh [SECONDS] ["WRITERS..."] [SIZE]
#   (defaults: 10, "1 16", 64)
#
# Numbers come from software emulation (TCG) on a shared machine, with
# the disk image in the host's page cache: they compare the two modes,
# not real hardware. The same file is the guest script (--guest ...).
set -euo pipefail

json_num() {
	local v
	v=$(grep -o "\"$1\":[0-9.]*" <<<"$2" | head -n 1 | cut -d: -f2) || true
	echo "${v:-0}"
}

# ratio A B: A/B with three decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b ? a / b : 0 }'
}

guest_run() {
	local mode=$1 writers=$2 secs=$3 size=$4 k f other out
	local lf0 lc0 ff0 fc0
	rl_load
	rl_net 3
	for k in 1 2 3; do
		if [ "$mode" = disk ]; then
			dl_create "$k" 3
		else
			rl_create "$k" 3
		fi
	done
	for k in 1 2 3; do
		rl_start "$k"
	done
	rl_wait_leader 30 1 2 3 || fail "no leader"
	f=$LEADER
	other=$(( f % 3 + 1 ))
	lf0=$(rl_get "$f" stats/fsyncs)
	lc0=$(rl_get "$f" stats/commits)
	ff0=$(rl_get "$other" stats/fsyncs)
	fc0=$(rl_get "$other" stats/commits)
	out=$(raftbench -d "n$f" -s "$size" -c "$writers" -t "$secs" \
		-n 10000000 --json --no-progress) || fail "raftbench failed"
	sleep 1
	echo "@@DUR $mode $writers $(json_num entries_per_s "$out")" \
	     "$(ratio $(( $(rl_get "$f" stats/fsyncs) - lf0 )) \
		      $(( $(rl_get "$f" stats/commits) - lc0 )))" \
	     "$(ratio $(( $(rl_get "$other" stats/fsyncs) - ff0 )) \
		      $(( $(rl_get "$other" stats/commits) - fc0 )))" \
	     "$(json_num p50 "$out")"
	rl_destroy
}

guest_main() {
	. /vm/guest-lib.sh
	DL_DATA=/mnt/disk/raftlog
	. /vm/durability-lib.sh
	export NO_COLOR=1
	local secs=$1 writers=$2 size=$3 c
	kcheck_begin
	mkdir -p /mnt/disk
	mount -t ext4 /dev/vda /mnt/disk || fail "cannot mount /dev/vda"
	for c in $writers; do
		rm -rf "$DL_DATA"
		guest_run memory "$c" "$secs" "$size"
		guest_run disk "$c" "$secs" "$size"
	done
	umount /mnt/disk
	kcheck_end
}

if [ "${1:-}" = --guest ]; then
	shift
	guest_main "$@"
	exit 0
fi

# --- host side -----------------------------------------------------------

case "${1:-}" in
-h|--help) sed -n '3,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
secs=${1:-10}
writers=${2:-1 16}
size=${3:-64}
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
"$here/../deps.sh" vm build
command -v mkfs.ext4 >/dev/null || { echo "$0: needs mkfs.ext4 (e2fsprogs)" >&2; exit 1; }
# shellcheck source=tests/vm/lib.sh
. "$here/lib.sh"
VM_KMODS="$VM_KMODS virtio_pci virtio_blk ext4 crc32c_generic"
if [ -z "${VM_MODULE:-}" ]; then
	nice make --no-print-directory module tools >/dev/null
fi
vm_build_helpers
vm_build_initramfs
img=$VM_BUILD/durability-bench.$$.img
root=$VM_BUILD/durability-bench.$$
log=$VM_BUILD/durability-bench.log
trap 'rm -rf "$img" "$root" "$root.gz"; vm_cleanup' EXIT
truncate -s 512M "$img"
mkfs.ext4 -q -F "$img"
mkdir -p "$root/vm/run"
install -m 0755 "$0" "$root/vm/run/script"
printf '%s\n' --guest "$secs" "$writers" "$size" >"$root/vm/run/args"
{
	cat "$VM_BASE"
	(cd "$root" && find vm | cpio -o -H newc --quiet | gzip -1)
} >"$root.gz"
timeout -k 10 "${VM_TIMEOUT:-1200}" \
	qemu-system-x86_64 -accel tcg -cpu max -m "$VM_MEM" -smp "$VM_SMP" \
	-nographic -no-reboot -nic none -kernel "$VM_KERNEL" -initrd "$root.gz" \
	-drive "file=$img,format=raw,if=virtio,cache=writeback" \
	-append "console=ttyS0 quiet panic=-1 loglevel=4" </dev/null 2>&1 |
	tr -d '\r' >"$log" || true
grep -q '^@@EXIT 0' "$log" || { tail -n 40 "$log"; echo "$0: the VM run failed (see $log)" >&2; exit 1; }
printf '%-7s %7s %10s %16s %18s %8s\n' MODE WRITERS ENTRIES/S \
	"FSYNCS/ENTRY(L)" "FSYNCS/ENTRY(F)" "P50 MS"
grep '^@@DUR ' "$log" | while read -r _ m c eps lf ff p50; do
	printf '%-7s %7s %10s %16s %18s %8s\n' "$m" "$c" "$eps" "$lf" "$ff" "$p50"
done
