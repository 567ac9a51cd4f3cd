#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/durability-power-loss.sh: the power-loss scenario, driven from
# the host because it kills the whole VM. The data_dirs of a 3-node
# cluster live on an ext4 virtio disk image; the guest
# (tests/vm/scenarios/power-loss.sh) writes until QEMU is killed with
# SIGKILL at a random moment (no shutdown, no sync: what the guest had
# not flushed to the disk is gone, as in a power cut); the VM boots again
# from the same image and every write that had returned success before
# the kill must be in the converged, identical committed logs, exactly
# once, at the index it was given. This repeats for CYCLES kills (default
# 2), then a last boot checks and stops cleanly.
#
# The verdict is read from the guest's second serial port (/dev/ttyS1,
# written to $work/NAME.res), which carries only the scenario's records
# (see tests/vm/scenarios/power-loss.sh), never the console's kernel and
# progress output. Only complete records count: a line that ends in a
# newline and matches its record's whole format, terminator "EOR"
# included. The kill may cut the last record in half; that write's
# acknowledgement is then simply unknown (the guest's dl_no_dup_log and
# the next boot's checks still see its entry if it is there twice).
#
# Prints "PASS power-loss (S s)" or "FAIL power-loss (S s): reason" and
# exits 0 or 1. Options: -v streams the consoles. Environment as for
# tests/vm/run.sh (VM_KERNEL, VM_MODULE, ...), CYCLES, MIN_ACKS (writes
# acknowledged before a kill, default 60).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
verbose=0
case "${1:-}" in
-v) verbose=1 ;;
-h|--help) sed -n '3,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) echo "usage: $0 [-v]" >&2; exit 2 ;;
esac
CYCLES=${CYCLES:-2}
MIN_ACKS=${MIN_ACKS:-60}
BOOT_LIMIT=${BOOT_LIMIT:-300}

cd "$here/../.."
"$here/../deps.sh" vm build
command -v mkfs.ext4 >/dev/null || {
	echo "FAIL power-loss (0 s): mkfs.ext4 missing (apt-get install e2fsprogs)"
	exit 1
}
# shellcheck source=tests/vm/lib.sh
. "$here/lib.sh"
# The disk and its file system, on top of what every scenario needs.
VM_KMODS="$VM_KMODS virtio_pci virtio_blk ext4 crc32c_generic"

t0=$(date +%s)
result() {
	local v=$1
	shift
	echo "$v power-loss ($(( $(date +%s) - t0 )) s)${*:+: $*}"
	[ "$v" = PASS ]
}

mkdir -p "$VM_BUILD"
if [ -z "${VM_MODULE:-}" ]; then
	nice make --no-print-directory module >"$VM_BUILD/module.log" 2>&1 || {
		tail -n 30 "$VM_BUILD/module.log"
		result FAIL "make module failed"
		exit 1
	}
fi
vm_build_helpers
vm_build_initramfs

img=$VM_BUILD/power-loss.$$.img
work=$VM_BUILD/power-loss.$$
mkdir -p "$work"
cleanup() {
	rm -rf "$img" "$work"
	vm_cleanup
}
trap cleanup EXIT
truncate -s 256M "$img"
mkfs.ext4 -q -F "$img"

# records FILE TYPE: the complete records of TYPE (ACK, LOG, CHECKED,
# READY, DONE) in results channel FILE, without the terminator. Only lines
# that end in a newline are read (head -n of the number of newlines: a
# last line still being written, or cut by the kill, is left out), and
# only those that match the whole record.
records() {
	local f=$1 re
	case "$2" in
	ACK)	re='OK [A-Za-z0-9.-]+ [0-9]+ [0-9]+' ;;
	LOG)	re='@@LOG [0-9]+ [^ ]+' ;;
	CHECKED) re='@@CHECKED [0-9]+' ;;
	READY)	re='@@READY' ;;
	DONE)	re='@@DONE' ;;
	esac
	head -n "$(wc -l <"$f")" "$f" | tr -d '\r' | grep -Ex "$re EOR" |
		sed 's/ EOR$//' || true
}

# pl_boot NAME KILL ARGS...: boot the guest's power-loss.sh with ARGS and
# the disk; console in $work/NAME.log, results channel in $work/NAME.res.
# KILL=1: SIGKILL QEMU at a random moment after MIN_ACKS more writes
# succeeded.
pl_boot() {
	local name=$1 kill=$2 runroot=$work/root-$1 initrd=$work/initrd-$1
	local log=$work/$1.log res=$work/$1.res qpid arg limit acks extra
	shift 2
	mkdir -p "$runroot/vm/run"
	install -m 0755 "$here/scenarios/power-loss.sh" "$runroot/vm/run/script"
	: >"$runroot/vm/run/args"
	for arg in "$@"; do
		printf '%s\n' "$arg" >>"$runroot/vm/run/args"
	done
	{
		cat "$VM_BASE"
		(cd "$runroot" && find vm | cpio -o -H newc --quiet | gzip -1)
	} >"$initrd"
	# Both files exist before QEMU does: the polls below never race its
	# start.
	: >"$log.raw"
	: >"$log"
	: >"$res"
	qemu-system-x86_64 -accel tcg -cpu max -m "$VM_MEM" -smp "$VM_SMP" \
		-nographic -no-reboot -nic none \
		-serial mon:stdio -serial "file:$res" \
		-kernel "$VM_KERNEL" -initrd "$initrd" \
		-drive "file=$img,format=raw,if=virtio,cache=writeback" \
		-append "console=ttyS0 quiet panic=-1 loglevel=4" \
		</dev/null >"$log.raw" 2>&1 &
	qpid=$!
	[ "$verbose" = 0 ] || tail -f "$log.raw" --pid="$qpid" &
	limit=$(( $(date +%s) + BOOT_LIMIT ))
	extra=$(( RANDOM % 2000 ))
	while kill -0 "$qpid" 2>/dev/null; do
		tr -d '\r' <"$log.raw" >"$log"
		if [ "$(date +%s)" -gt "$limit" ]; then
			kill -KILL "$qpid" 2>/dev/null || true
			wait "$qpid" 2>/dev/null || true
			echo "boot $name: timed out after ${BOOT_LIMIT}s" >"$work/why"
			return 1
		fi
		grep -q '^FAIL: ' "$log" && break
		acks=$(records "$res" ACK | wc -l)
		if [ "$kill" = 1 ] && [ "$acks" -ge "$MIN_ACKS" ]; then
			sleep "$((extra / 1000)).$(printf %03d $((extra % 1000)))"
			kill -KILL "$qpid"
			wait "$qpid" 2>/dev/null || true
			tr -d '\r' <"$log.raw" >"$log"
			echo "boot $name: killed QEMU after $(records "$res" ACK | wc -l)" \
			     "acknowledged writes"
			return 0
		fi
		sleep 0.5
	done
	wait "$qpid" 2>/dev/null || true
	tr -d '\r' <"$log.raw" >"$log"
	if grep -q '^FAIL: ' "$log"; then
		grep -E '^FAIL: ' "$log" | tail -n 1 | cut -c7- >"$work/why"
		tail -n 40 "$log" >&2
		return 1
	fi
	if [ "$kill" = 1 ]; then
		echo "boot $name: ended before it was killed" >"$work/why"
		return 1
	fi
	if [ -z "$(records "$res" DONE)" ]; then
		tail -n 40 "$log" >&2
		echo "boot $name: no clean stop reported" >"$work/why"
		return 1
	fi
}

# check NAME: every acknowledged write so far is in the log boot NAME
# sent, exactly once, at its index; and that log is whole (as many @@LOG
# records as @@CHECKED counts).
check() {
	local res=$work/$1.res bad n
	n=$(records "$res" CHECKED | awk '{ print $2 }')
	case "$n" in
	"") echo "boot $1: no checked log" >"$work/why"; return 1 ;;
	*[!0-9]*) echo "boot $1: more than one checked log" >"$work/why"; return 1 ;;
	esac
	records "$res" LOG | cut -d' ' -f2- >"$work/log"
	if [ "$(wc -l <"$work/log")" -ne "$n" ]; then
		echo "boot $1: $(wc -l <"$work/log") log records, $n announced" >"$work/why"
		return 1
	fi
	bad=$(awk 'NR == FNR { n[$2]++; at[$2] = $1; next }
		   n[$2] != 1 || at[$2] != $3 {
			printf "%s acked at %s: %d copies, at %s\n",
			       $2, $3, n[$2], at[$2] }' \
		"$work/log" "$work/acks" | head -n 5)
	if [ -n "$bad" ]; then
		echo "$bad" >&2
		echo "boot $1: acknowledged writes lost or moved after the power loss" >"$work/why"
		return 1
	fi
	grep 'data_dir' "$work/$1.log" | sed 's/^/  /' || true
	echo "boot $1: all $(wc -l <"$work/acks") acknowledged writes present;" \
	     "$(wc -l <"$work/log") committed entries"
}

fail_out() {
	result FAIL "$(cat "$work/why" 2>/dev/null || echo "see $work")"
	exit 1
}

: >"$work/acks"
pl_boot 0 1 start || fail_out
[ -n "$(records "$work/0.res" READY)" ] ||
	{ echo "boot 0: cluster never ready" >"$work/why"; fail_out; }
records "$work/0.res" ACK >>"$work/acks"
for c in $(seq 1 "$CYCLES"); do
	if [ "$c" -lt "$CYCLES" ]; then
		pl_boot "$c" 1 resume "$c" || fail_out
	else
		pl_boot "$c" 0 resume "$c" final || fail_out
	fi
	check "$c" || fail_out
	records "$work/$c.res" ACK >>"$work/acks"
done
result PASS
