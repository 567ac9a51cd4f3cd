#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/install.sh: the install scenario, driven from the host because
# the guest needs what `make install` puts on a host. The tree is staged
# with make's install targets (DESTDIR=, the module of this VM as
# MODULE_KO) and added to the initramfs as one more cpio archive, so the
# guest finds /lib/modules/<kernel>/updates/raftlog.ko,
# /usr/local/sbin/raftctl, /etc/modprobe.d/raftlog.conf and the units
# where a host would; kmod's modprobe, depmod and modinfo come along
# (busybox's are not what a Debian host runs), and util-linux's setpriv. The guest side is
# tests/vm/scenarios/install.sh.
#
# Prints "PASS install (S s)" or "FAIL install (S s): reason" and exits 0
# or 1. Options: -v streams the console. Environment as for
# tests/vm/run.sh (VM_KERNEL, VM_MODULE, ...).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
verbose=0
case "${1:-}" in
-v) verbose=1 ;;
-h|--help) sed -n '3,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) echo "usage: $0 [-v]" >&2; exit 2 ;;
esac

cd "$here/../.."
"$here/../deps.sh" vm build
# shellcheck source=tests/vm/lib.sh
. "$here/lib.sh"

t0=$(date +%s)
result() {
	local v=$1
	shift
	echo "$v install ($(( $(date +%s) - t0 )) s)${*:+: $*}"
	[ "$v" = PASS ]
}

mkdir -p "$VM_BUILD"
if [ -z "${VM_MODULE:-}" ]; then
	nice make --no-print-directory module >"$VM_BUILD/install.module.log" 2>&1 || {
		tail -n 30 "$VM_BUILD/install.module.log"
		result FAIL "make module failed"
		exit 1
	}
fi
vm_build_helpers
vm_build_initramfs

work=$VM_BUILD/install.$$
cleanup() {
	rm -rf "$work"
	vm_cleanup
}
trap cleanup EXIT
stage=$work/root
mkdir -p "$stage"
if ! make -s --no-print-directory DESTDIR="$stage" MODULE_KO="$VM_MODULE" \
	install-ko install-tools install-doc install-dist \
	>"$work/install.log" 2>&1; then
	tail -n 30 "$work/install.log"
	result FAIL "make install DESTDIR=... failed"
	exit 1
fi
vm_copy_bin "$stage" "$(readlink -f /sbin/modprobe)" /sbin/kmod
# util-linux's setpriv: the guest runs raftctl as a service account
vm_copy_bin "$stage" /usr/bin/setpriv /usr/bin/setpriv
for t in modprobe depmod modinfo rmmod lsmod; do
	ln -sf kmod "$stage/sbin/$t"
done
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 >>"$VM_BASE"

VM_TIMEOUT=${VM_TIMEOUT_INSTALL:-420}
VM_CONSOLE_LOG=$VM_BUILD/console-install.log
rc=0
if [ "$verbose" = 1 ]; then
	vm_boot "$here/scenarios/install.sh" "VERSION=$(make -s version)" || rc=$?
else
	vm_boot "$here/scenarios/install.sh" "VERSION=$(make -s version)" \
		>/dev/null || rc=$?
fi
if [ "$rc" -eq 0 ]; then
	result PASS
	exit 0
fi
[ "$verbose" = 1 ] || grep -vE '^@@' "$VM_CONSOLE_LOG" | tail -n 60 >&2
why=$(grep -E '^FAIL: ' "$VM_CONSOLE_LOG" | tail -n 1 | cut -c7-) || true
result FAIL "${why:-guest exit $rc (see $VM_CONSOLE_LOG)}"
exit 1
