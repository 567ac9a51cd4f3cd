# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/lib.sh: the host side of raftlog's QEMU harness, sourced by
# run-in-vm.sh, run.sh, demo.sh and bench.sh.
#
# It builds a busybox initramfs under build/vm/ holding bash, iproute2's ip
# and tc, the kernel modules the scenarios need (veth, bridge, netem, tc
# filters, configfs, and whatever raftlog.ko depends on), raftlog.ko, the
# userspace tools and everything in tests/vm/, and boots it under QEMU with
# software emulation (there is no KVM here). The guest's /init runs one
# script and prints "@@EXIT <status>" before it powers off; vm_boot turns
# that line into its own exit status.
#
# Knobs (environment, or the matching run-in-vm.sh options):
#   VM_KERNEL   kernel image      (default: newest /boot/vmlinuz-6.1.*)
#   VM_MODDIR   its module tree   (default: /lib/modules/<version of it>;
#               "none" when everything needed is built in)
#   VM_MODULE   raftlog.ko        (default: kmod/raftlog.ko)
#   VM_SMP, VM_MEM (MiB), VM_TIMEOUT (s)
#   VM_DISK     a raw disk image the guest sees as /dev/vda (virtio,
#               host page cache: cache=writeback); none by default
#   VM_APPEND   more kernel command line (e.g. idle=poll)
#   VM_EXTRA_BINS  more host executables for the guest's /vm/bin (their
#               libraries follow, by ldd), e.g. /usr/bin/etcd for bench
# Callers must have `set -euo pipefail`.

VM_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VM_BUILD=${VM_BUILD:-$VM_SRC/build/vm}
VM_SMP=${VM_SMP:-2}
VM_MEM=${VM_MEM:-2048}
VM_TIMEOUT=${VM_TIMEOUT:-600}
VM_BASE=$VM_BUILD/base.$$.cpio.gz
# Callers that set their own EXIT trap must call vm_cleanup from it.
vm_cleanup() {
	rm -f "$VM_BASE"
}
trap vm_cleanup EXIT

# Modules the guest needs from the kernel's own tree, in addition to
# raftlog.ko's dependencies. Missing ones are taken as built in. (loop and
# ext4: the file systems disk-error makes fail under a node.)
VM_KMODS="configfs veth bridge sch_netem sch_ingress cls_u32 act_gact
	  loop ext4 crc32c_generic dm-mod dm-delay"
# A disk (VM_DISK) is a virtio block device.
[ -z "${VM_DISK:-}" ] || VM_KMODS="$VM_KMODS virtio_pci virtio_blk"

vm_log() {
	echo "vm: $*" >&2
}

vm_die() {
	echo "vm: error: $*" >&2
	exit 1
}

# The newest stock Debian 6.1 kernel installed.
vm_default_kernel() {
	local k
	k=$(find /boot -maxdepth 1 -name 'vmlinuz-6.1.*' | sort -V | tail -n 1)
	[ -n "$k" ] || vm_die "no /boot/vmlinuz-6.1.* (tests/deps.sh vm)"
	echo "$k"
}

vm_resolve_config() {
	VM_KERNEL=${VM_KERNEL:-$(vm_default_kernel)}
	[ -r "$VM_KERNEL" ] || vm_die "cannot read kernel $VM_KERNEL"
	if [ -z "${VM_MODDIR:-}" ]; then
		local base=${VM_KERNEL##*/}
		case "$base" in
		vmlinuz-*) VM_MODDIR=/lib/modules/${base#vmlinuz-} ;;
		*) VM_MODDIR=none ;;
		esac
	fi
	if [ "$VM_MODDIR" != none ] && [ ! -f "$VM_MODDIR/modules.dep" ]; then
		vm_die "no modules.dep in $VM_MODDIR"
	fi
	VM_MODULE=${VM_MODULE:-$VM_SRC/kmod/raftlog.ko}
}

# Copy an executable and the shared libraries ldd names into $1.
vm_copy_bin() {
	local root=$1 bin=$2 dest=${3:-$2} lib
	install -D -m 0755 "$bin" "$root$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -oE '/[^ ]+\.so[^ ]*'); do
		[ -e "$root$lib" ] && continue
		install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

# Print the .ko paths (relative to $VM_MODDIR) for module $1 and its
# dependencies, dependencies first. Nothing when it is built in / absent.
vm_mod_closure() {
	local name=$1 line dep
	line=$(grep -E "(^|/)${name}\.ko(\.[a-z]+)?:" "$VM_MODDIR/modules.dep" |
	       head -n 1) || true
	[ -n "$line" ] || return 0
	for dep in ${line#*:}; do
		dep=${dep##*/}
		vm_mod_closure "${dep%%.ko*}"
	done
	echo "${line%%:*}"
}

vm_module_list() {
	local m deps
	[ "$VM_MODDIR" = none ] && return 0
	deps=""
	if [ -f "$VM_MODULE" ]; then
		deps=$(/sbin/modinfo -F depends "$VM_MODULE" 2>/dev/null |
		       tr ',' ' ') || deps=""
	fi
	for m in $VM_KMODS $deps; do
		vm_mod_closure "$m"
	done | awk '!seen[$0]++'
}

# Build $VM_BASE (a per-process file under $VM_BUILD, removed on exit):
# everything but the per-run script, which vm_boot appends as a second
# cpio archive.
vm_build_initramfs() {
	local root=$VM_BUILD/root.$$ f name ko
	vm_resolve_config
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,proc,sys,dev,run,tmp,etc,var,mnt}
	mkdir -p "$root"/vm/{bin,scenarios,run} "$root"/lib/modules/vm
	ln -s ../run "$root/var/run"

	install -m 0755 /bin/busybox "$root/bin/busybox"
	for name in $(/bin/busybox --list); do
		case "$name" in busybox|ip|tc|bash) continue ;; esac
		ln -s busybox "$root/bin/$name"
	done
	vm_copy_bin "$root" /bin/bash /bin/bash
	vm_copy_bin "$root" "$(readlink -f /sbin/ip)" /sbin/ip
	vm_copy_bin "$root" "$(readlink -f /sbin/tc)" /sbin/tc
	vm_copy_bin "$root" /sbin/mke2fs /sbin/mke2fs
	# slow-disk: dm-delay tables
	if [ -x /sbin/dmsetup ]; then
		vm_copy_bin "$root" "$(readlink -f /sbin/dmsetup)" /sbin/dmsetup
	fi
	mkdir -p "$root/usr/lib/tc"
	cp /usr/lib/tc/*.dist "$root/usr/lib/tc/" 2>/dev/null || true
	mkdir -p "$root/etc/iproute2"
	echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
	echo "root:x:0:" >"$root/etc/group"

	: >"$root/lib/modules/vm/order"
	for ko in $(vm_module_list); do
		cp "$VM_MODDIR/$ko" "$root/lib/modules/vm/"
		echo "${ko##*/}" >>"$root/lib/modules/vm/order"
	done
	if [ -f "$VM_MODULE" ]; then
		cp "$VM_MODULE" "$root/vm/raftlog.ko"
	else
		vm_log "no $VM_MODULE: the guest gets no raftlog.ko"
	fi

	for f in "$VM_SRC"/tests/vm/*.sh; do
		install -m 0755 "$f" "$root/vm/"
	done
	for f in "$VM_SRC"/tests/vm/scenarios/*.sh; do
		[ -e "$f" ] && install -m 0755 "$f" "$root/vm/scenarios/"
	done
	for f in "$VM_BUILD"/bin/*; do
		[ -x "$f" ] && vm_copy_bin "$root" "$f" "/vm/bin/${f##*/}"
	done
	for f in raftctl raftbench; do
		f=$VM_SRC/userspace-tools/$f
		[ -x "$f" ] && vm_copy_bin "$root" "$f" "/vm/bin/${f##*/}"
	done
	# raftlogd, the same core in userspace (interop, bench)
	for f in raftlogd raftlogc; do
		f=$VM_SRC/raftlogd/$f
		[ -x "$f" ] && vm_copy_bin "$root" "$f" "/vm/bin/${f##*/}"
	done
	for f in ${VM_EXTRA_BINS:-}; do
		[ -x "$f" ] || vm_die "VM_EXTRA_BINS: no executable $f"
		vm_copy_bin "$root" "$f" "/vm/bin/${f##*/}"
	done
	install -m 0755 "$VM_SRC/tests/vm/guest-init" "$root/init"

	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
		gzip -1 >"$VM_BASE"
	rm -rf "$root"
}

# Static helpers from tests/vm/*.c and the bench clients tests/bench/*.c
# into $VM_BUILD/bin; raftlogd and raftlogc in raftlogd/ (a daemon that
# does not build leaves the guest without it: the scenarios that need it
# say so).
vm_build_helpers() {
	local c out
	mkdir -p "$VM_BUILD/bin"
	for c in "$VM_SRC"/tests/vm/*.c "$VM_SRC"/tests/bench/*.c; do
		[ -e "$c" ] || continue
		out=$VM_BUILD/bin/$(basename "$c" .c)
		if [ ! -x "$out" ] || [ "$c" -nt "$out" ] ||
		   [ "$VM_SRC/uapi/linux/raftlog.h" -nt "$out" ]; then
			gcc -std=gnu11 -O2 -Wall -Wextra -Werror -static \
			    -pthread -I"$VM_SRC/uapi" -I"$VM_SRC/kmod/raft" \
			    -o "$out.$$" "$c" -lm || vm_die "cannot build $c"
			mv "$out.$$" "$out"
		fi
	done
	if [ -f "$VM_SRC/raftlogd/Makefile" ]; then
		nice make -s --no-print-directory -C "$VM_SRC/raftlogd" \
			raftlogd raftlogc >/dev/null ||
			vm_log "raftlogd does not build: the guest gets none"
	fi
}

# Boot the initramfs running guest script $1 with arguments $2...; the
# console goes to stdout. Exit status: the script's, or 124 on timeout,
# 125 when the guest died without saying (panic, crash).
vm_boot() {
	local script=$1 runroot=$VM_BUILD/runroot.$$ initrd log rc arg
	shift
	vm_resolve_config
	[ -f "${VM_BASE:-}" ] || vm_die "initramfs not built"
	rm -rf "$runroot"
	mkdir -p "$runroot/vm/run"
	install -m 0755 "$script" "$runroot/vm/run/script"
	: >"$runroot/vm/run/args"
	for arg in "$@"; do
		printf '%s\n' "$arg" >>"$runroot/vm/run/args"
	done
	initrd=$VM_BUILD/initrd.$$.gz
	log=$VM_BUILD/console.$$.log
	{
		cat "$VM_BASE"
		(cd "$runroot" && find vm | cpio -o -H newc --quiet | gzip -1)
	} >"$initrd"

	{
		rc=0
		timeout -k 10 "$VM_TIMEOUT" \
			qemu-system-x86_64 -accel tcg -cpu max -m "$VM_MEM" \
			-smp "$VM_SMP" -nographic -no-reboot -nic none \
			${VM_DISK:+-drive "file=$VM_DISK,format=raw,if=virtio,cache=writeback"} \
			-kernel "$VM_KERNEL" -initrd "$initrd" \
			-append "console=ttyS0 quiet panic=-1 loglevel=4${VM_APPEND:+ $VM_APPEND}" \
			</dev/null 2>&1 || rc=$?
		echo "$rc" >"$log.rc"
	} | sed -u 's/\r//g' | tee "$log"
	rc=$(cat "$log.rc")
	rm -rf "$initrd" "$log.rc" "$runroot"
	if grep -q '^@@EXIT [0-9]' "$log"; then
		rc=$(grep '^@@EXIT [0-9]' "$log" | tail -n 1 | awk '{print $2}')
	elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
		echo "vm: guest timed out after ${VM_TIMEOUT}s" >&2
		rc=124
	else
		echo "vm: guest died without an exit status (qemu: $rc)" >&2
		rc=125
	fi
	mv "$log" "${VM_CONSOLE_LOG:-$VM_BUILD/console.log}"
	return "$rc"
}
