#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/run-in-vm.sh: boot the raftlog test VM and run one guest script
# in it, streaming the guest console. Exits with the script's status (124
# when the VM timed out, 125 when it died without reporting one).
set -euo pipefail

usage() {
	cat <<USAGE
usage: $0 [options] SCRIPT [ARGS...]

Boots the stock Debian kernel (or --kernel) under QEMU (TCG) with a busybox
initramfs holding bash, ip, tc, raftlog.ko, the tools and tests/vm/, and
runs SCRIPT (a bash script; it may source /vm/guest-lib.sh) with ARGS.

options:
  --kernel PATH    kernel image (default: newest /boot/vmlinuz-6.1.*)
  --moddir DIR     that kernel's /lib/modules/<version> tree, or "none"
                   when the modules the tests need are built in
                   (default: /lib/modules/<version> for /boot kernels,
                   else none)
  --module PATH    raftlog.ko to load (default: kmod/raftlog.ko)
  --smp N          guest CPUs (default 2)
  --mem MIB        guest memory (default 2048)
  --timeout S      hard limit for the whole boot (default 600)
  --no-build       skip building the static helpers (tests/vm/*.c)
  -h, --help       this text
USAGE
}

build=1
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) VM_KERNEL=$2; shift 2 ;;
	--moddir) VM_MODDIR=$2; shift 2 ;;
	--module) VM_MODULE=$2; shift 2 ;;
	--smp) VM_SMP=$2; shift 2 ;;
	--mem) VM_MEM=$2; shift 2 ;;
	--timeout) VM_TIMEOUT=$2; shift 2 ;;
	--no-build) build=0; shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) echo "$0: unknown option $1" >&2; usage >&2; exit 2 ;;
	*) break ;;
	esac
done
if [ $# -lt 1 ]; then
	usage >&2
	exit 2
fi
script=$1
shift
[ -r "$script" ] || { echo "$0: cannot read $script" >&2; exit 2; }

"$(dirname "$0")/../deps.sh" vm
# shellcheck source=tests/vm/lib.sh
. "$(dirname "$0")/lib.sh"
[ "$build" -eq 0 ] || vm_build_helpers
vm_build_initramfs
rc=0
vm_boot "$script" "$@" || rc=$?
exit "$rc"
