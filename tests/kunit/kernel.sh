#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kunit/kernel.sh: build (once) the raftlog debug kernel from Debian's
# linux-source-6.1 tarball: x86_64 defconfig + trim.config + debug.config
# (KUnit, KASAN, lockdep, UBSAN, kmemleak, debug objects, and what the
# cluster scenarios need).
#
# The tree lives outside the checkout, in $RAFTLOG_KCACHE/linux-<version of
# the linux-source package> (default cache /var/cache/raftlog). Next to it a
# stamp records the hash of both fragments and the recipe the tree was last
# built with: when they match, nothing is done; when a fragment changes the
# tree is reconfigured and rebuilt incrementally (only what the changed
# options touch); a new source version gets a fresh tree. The tree's path
# never changes once built: kbuild and objtool record absolute paths, so a
# moved tree would rebuild from scratch.
#
# On success the build directory (usable as KDIR for out-of-tree modules,
# with arch/x86/boot/bzImage in it) is the only thing printed on stdout.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
tarball=/usr/src/linux-source-6.1.tar.xz
cache=${RAFTLOG_KCACHE:-/var/cache/raftlog}
jobs=${JOBS:-$(($(nproc) + 1))}
# Bump when the recipe below changes in a way the fragments do not show.
recipe=1

usage() {
	cat <<USAGE
usage: $0 [--dir] [--force] [-h]

Builds the raftlog debug kernel if it is missing or its config changed,
then prints the kernel build directory on stdout (progress goes to stderr,
the full make output to <dir>.log).

  --dir     only print the build directory; build nothing
  --force   rebuild even if the stamp says the build is current
  -h        this help

Environment: RAFTLOG_KCACHE (cache root, default /var/cache/raftlog),
JOBS (make -j, default: CPUs + 1).
USAGE
}

only_dir=0
force=0
while [ $# -gt 0 ]; do
	case "$1" in
	--dir)		only_dir=1 ;;
	--force)	force=1 ;;
	-h|--help)	usage; exit 0 ;;
	*)		usage >&2; exit 2 ;;
	esac
	shift
done

t0=$(date +%s)
stage() {
	printf 'kernel: [%4ds] %s\n' "$(($(date +%s) - t0))" "$*" >&2
}

"$repo/tests/deps.sh" kunit >&2
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
key=$( { echo "recipe=$recipe src=$srcver"
	 cat "$here/trim.config" "$here/debug.config"; } |
       sha256sum | cut -c1-16)
kdir=$cache/linux-$srcver
stamp=$kdir.stamp
log=$kdir.log

if [ "$only_dir" = 1 ]; then
	echo "$kdir"
	exit 0
fi

mkdir -p "$cache"
# Two runs at once (CI and a developer) must not build the same tree twice.
exec 9>"$kdir.lock"
if ! flock -n 9; then
	stage "another build of $kdir is running; waiting for it"
	flock 9
fi

if [ "$force" = 0 ] && [ "$(cut -d' ' -f1 "$stamp" 2>/dev/null)" = "$key" ] &&
   [ -f "$kdir/arch/x86/boot/bzImage" ]; then
	stage "cached: $kdir (config $key, built $(cut -d' ' -f2 "$stamp"))"
	echo "$kdir"
	exit 0
fi

: >"$log"
fail() {
	stage "FAILED: $*; last lines of $log:"
	tail -n 40 "$log" >&2
	exit 1
}

stage "linux-source $srcver, config $key, tree $kdir, make -j$jobs"
rm -f "$stamp"
if [ ! -f "$kdir/Makefile" ]; then
	stage "extracting $tarball"
	rm -rf "$kdir.tmp"
	mkdir -p "$kdir.tmp"
	nice -n 10 tar -xJf "$tarball" -C "$kdir.tmp" --strip-components=1 ||
		fail "extract"
	rm -rf "$kdir"
	mv "$kdir.tmp" "$kdir"
fi

stage "configuring: defconfig + trim.config + debug.config"
kmake() {
	nice -n 10 make -C "$kdir" ARCH=x86_64 -j"$jobs" "$@" >>"$log" 2>&1
}
kmake defconfig || fail "defconfig"
(cd "$kdir" && ARCH=x86_64 scripts/kconfig/merge_config.sh -m .config \
	"$here/trim.config" "$here/debug.config") >>"$log" 2>&1 ||
	fail "merge_config"
kmake olddefconfig || fail "olddefconfig"

# Verify: every debug.config line must hold (fatal), trim.config is advice.
check_fragment() {
	local frag=$1 strict=$2 bad=0 line opt want got
	while IFS= read -r line; do
		case "$line" in
		CONFIG_*=*)
			opt=${line%%=*}; want=$line ;;
		"# CONFIG_"*" is not set")
			opt=${line#\# }; opt=${opt%% *}; want="" ;;
		*)	continue ;;
		esac
		got=$(grep -E "^$opt=" "$kdir/.config" || true)
		if [ "$got" != "$want" ]; then
			echo "kernel:   $frag: want '${want:-$opt unset}', got '${got:-unset}'" >&2
			bad=1
		fi
	done <"$here/$frag"
	if [ "$bad" = 1 ] && [ "$strict" = 1 ]; then
		fail "$frag not honoured by Kconfig"
	fi
	return 0
}
check_fragment trim.config 0
check_fragment debug.config 1

stage "config done; building bzImage and modules (log: $log)"
kmake bzImage modules || fail "bzImage/modules"
stage "modules_prepare"
kmake modules_prepare || fail "modules_prepare"

echo "$key $(date -u +%FT%TZ)" >"$stamp"
stage "done in $(($(date +%s) - t0))s: $kdir/arch/x86/boot/bzImage"
echo "$kdir"
