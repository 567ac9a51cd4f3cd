#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test-kunit: raftlog under the debug kernel.
#
#  1. tests/kunit/kernel.sh builds (once, cached) a kernel from Debian's
#     linux-source-6.1 with KUnit, KASAN, lockdep, UBSAN, kmemleak and
#     debug objects;
#  2. raftlog.ko and raftlog_kunit.ko are built against it, from a copy of
#     the tree (so the checkout's own objects, built for the stock kernel,
#     are never mixed with these);
#  3. one VM boot loads raftlog_kunit.ko: its KTAP output is parsed case by
#     case (tests/kunit/ktap.py), the kernel log is scanned for any KASAN,
#     UBSAN, lockdep, debug-objects report or warning, and a kmemleak scan
#     after unloading must find nothing;
#  4. cluster scenarios of tests/vm/ run under the same kernel with 2 CPUs
#     (through tests/vm/run.sh), and after the last one raftlog.ko is
#     unloaded and a kmemleak scan must find nothing (one scan: each takes
#     about 30 s there; tests/vm/run-scenarios.sh).
#
# Which scenarios: by default a subset that takes each class of kernel code
# path through the debug kernel at least once, about 18 minutes of
# scenarios (seconds under the debug kernel, 2 vCPUs, in a clean run of
# 2026-12-02):
#   forward (64)        elections, replication, a write on a follower
#                       forwarded to the leader, IPv6 sockets
#   brain-split (135)   a partition: a write that fails on a cut-off leader,
#                       a new leader in a higher term, the old leader
#                       stepping down and its uncommitted entry cut after
#                       healing
#   lossy-network (113) loss, duplication and reordering under five
#                       concurrent writers (three on followers, forwarded):
#                       lost and repeated messages, proposal outcomes under
#                       load
#   bad-packets (244)   every class of malformed datagram in the receive path
#   bad-calls (84)      the device's system calls' error paths
#   disk-error (190)    data_dir: writes, ENOSPC, EROFS and EIO taking a node
#                       out of service, restart from its files and catch-up
#   teardown (231)      rmmod, disable, rmdir and netns deletion under load
#                       (last, as in make test-vm)
# The others repeat these paths: election, replicate, leader-loss
# (between them, the scenarios above elect, replicate and change
# leaders), crash-restart, full-restart, double-vote (restart from
# data_dir, as disk-error does), torn-tail (record decoding is a KUnit
# suite here), tools (userspace).
# Three take paths the subset does not, and are left out for their cost
# (seconds from an earlier run, before the faster setup):
# split-vote (65; the raftlog tracepoints), bounded-memory (282; a leader
# sending a follower entries it no longer holds in memory, from its log
# file) and power-loss (222; replay after an unclean stop, on ext4). make
# test-vm always runs every scenario on the stock kernel.
# KUNIT_SCENARIOS=all (or --all-scenarios) runs every scenario here too;
# KUNIT_SCENARIOS="A B ..." or SCENARIO arguments run those.
#
# Ends with "N passed, N failed", counting KUnit cases and scenarios (a
# kernel-log or leak finding outside any case or scenario adds one
# failure); exits 1 if anything failed.
set -euo pipefail

# The default scenario subset (see above for why these).
default_scenarios="forward brain-split lossy-network bad-packets bad-calls disk-error teardown"

usage() {
	cat <<EOF
usage: $0 [-v] [--kunit-only] [--scenarios-only] [--all-scenarios] [SCENARIO...]

  -v                 print every case and stream the guest consoles
  --kunit-only       skip the cluster scenarios
  --scenarios-only   skip the KUnit boot
  --all-scenarios    every scenario of tests/vm/run.sh (KUNIT_SCENARIOS=all)
  SCENARIO...        scenarios to run (default: \$KUNIT_SCENARIOS, else
                     $default_scenarios)

Environment: KUNIT_SCENARIOS ("all", or a list; default: the subset above),
RAFTLOG_KCACHE (kernel cache root, default /var/cache/raftlog), JOBS (make
-j, default 2), SCENARIO_LIMIT (seconds per scenario, default 300).
EOF
}

verbose=0
do_kunit=1
do_scen=1
while [ $# -gt 0 ]; do
	case "$1" in
	-v)			verbose=1 ;;
	--kunit-only)		do_scen=0 ;;
	--scenarios-only)	do_kunit=0 ;;
	--all-scenarios)	KUNIT_SCENARIOS=all ;;
	-h|--help)		usage; exit 0 ;;
	-*)			usage >&2; exit 2 ;;
	*)			break ;;
	esac
	shift
done

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo/build/kunit
mkdir -p "$out"
t_start=$(date +%s)
stage() {
	printf 'kunit: [%4ds] %s\n' "$(($(date +%s) - t_start))" "$*" >&2
}

pass=0
fail=0
failed_items=()
add_fail() {
	fail=$((fail + 1))
	failed_items+=("$1")
	echo "FAIL $1"
}

"$repo/tests/deps.sh" kunit vm build >&2

# --- 1. the kernel -----------------------------------------------------------
stage "debug kernel (tests/kunit/kernel.sh)"
if ! kdir=$("$here/kernel.sh"); then
	# Nothing can run without it; say so in the closing line too.
	echo "FAIL debug kernel: tests/kunit/kernel.sh failed"
	echo "0 passed, 1 failed"
	exit 1
fi
bz=$kdir/arch/x86/boot/bzImage
stage "kernel ready: $bz"

# --- 2. the modules, from a copy of the tree --------------------------------
tree=$out/tree
stage "building raftlog.ko and raftlog_kunit.ko against it in $tree"
mkdir -p "$tree"
# Only sources travel; objects stay where they were built, so a rebuild
# is incremental (warm) and the checkout's objects are never used.
rsync -a --delete --prune-empty-dirs --exclude='*.mod.c' \
	--include='*/' --include='Kbuild' --include='*.c' --include='*.h' \
	--exclude='*' "$repo/Kbuild" "$repo/kmod" "$repo/uapi" "$tree/"
mkdir -p "$tree/tests"
rsync -a --delete --exclude='*.mod.c' --include='Kbuild' --include='*.c' --include='*.h' \
	--exclude='*' "$here/" "$tree/tests/kunit/"
# The trace corpus (tests/trace/) runs here too: its engine and KUnit suite,
# and the traces embedded as a header (rewritten only when they change).
rsync -a --delete --include='*.c' --include='*.h' --exclude='*' \
	"$repo/tests/trace/" "$tree/tests/trace/"
"$repo/tests/trace/embed.sh" "$repo"/tests/trace/testdata/*.txt \
	>"$out/trace_corpus.h"
cmp -s "$out/trace_corpus.h" "$tree/tests/kunit/trace_corpus.h" ||
	cp "$out/trace_corpus.h" "$tree/tests/kunit/trace_corpus.h"
kmake() {
	nice -n 10 make -C "$kdir" -j"${JOBS:-2}" "$@"
}
mod_ok=1
if ! kmake M="$tree" modules >"$out/module.log" 2>&1; then
	tail -n 30 "$out/module.log" >&2
	mod_ok=0
fi
kunit_ok=1
if ! kmake M="$tree/tests/kunit" modules >"$out/kunit-module.log" 2>&1; then
	tail -n 30 "$out/kunit-module.log" >&2
	kunit_ok=0
fi
if grep -E 'warning:' "$out/module.log" "$out/kunit-module.log" >&2; then
	stage "compiler warnings above (make check is where they fail)"
fi
stage "modules built (raftlog.ko: $mod_ok, raftlog_kunit.ko: $kunit_ok)"

vm() {
	"$repo/tests/vm/run-in-vm.sh" --kernel "$bz" --moddir none --smp 2 \
		--mem 2048 "$@"
}

# Kernel-log lines (after the timestamp) that mean trouble.
BAD='^(BUG:|WARNING:|UBSAN:|ODEBUG:|INFO: |Oops|general protection|kernel BUG|Kernel panic|list_(add|del) corruption|.*KASAN|.*refcount_t:|.*circular locking|.*possible recursive locking|.*sleeping function called)'

# --- 3. KUnit -------------------------------------------------------------------
suites=$(grep -ho '\.name = "raftlog_[a-z0-9_]*"' "$here"/*.c \
	 "$repo/tests/trace/trace_kunit.c" |
	 sed 's/.*"\(.*\)"/\1/' | sort -u)
if [ "$do_kunit" = 1 ]; then
	log=$out/kunit-console.log
	stage "KUnit boot: suites $(echo $suites)"
	if [ "$kunit_ok" = 0 ]; then
		add_fail "kunit: raftlog_kunit.ko does not build ($out/kunit-module.log)"
	else
		rc=0
		if [ "$verbose" = 1 ]; then
			vm --timeout 1500 --module "$tree/tests/kunit/raftlog_kunit.ko" \
				"$here/guest-kunit.sh" | tee "$log" || rc=$?
		else
			vm --timeout 1500 --module "$tree/tests/kunit/raftlog_kunit.ko" \
				"$here/guest-kunit.sh" >"$log" 2>&1 || rc=$?
		fi
		stage "KUnit boot done (exit $rc, console: $log)"
		sed -n 's/^@@KUNIT-SECONDS /kunit: suites ran in (guest seconds) /p' "$log" >&2
		vflag=()
		[ "$verbose" = 1 ] && vflag=(-v)
		kt=$(python3 "$here/ktap.py" "${vflag[@]}" "$log" $suites) || true
		printf '%s\n' "$kt" | grep -v '^KTAP ' || true
		read -r _ kp kf < <(printf '%s\n' "$kt" | grep '^KTAP ' || echo "KTAP 0 1")
		pass=$((pass + kp))
		fail=$((fail + kf))
		[ "$kf" -eq 0 ] || failed_items+=("kunit: $kf case(s)")
		[ "$rc" -eq 0 ] || add_fail "kunit: guest script exit $rc"
		grep -q '^@@INSMOD 0' "$log" || add_fail "kunit: insmod raftlog_kunit.ko failed"
		grep -q '^@@RMMOD 0' "$log" || add_fail "kunit: rmmod raftlog_kunit failed"
		# Reports from the boot itself and from the suites.
		for sect in BOOTLOG DMESG; do
			bad=$(sed -n "/^@@$sect-BEGIN/,/^@@$sect-END/p" "$log" |
			      sed 's/^\[ *[0-9.]*\] \{0,1\}//' | grep -E "$BAD" |
			      head -n 5) || true
			if [ -n "$bad" ]; then
				printf '%s\n' "$bad" | sed 's/^/     /'
				add_fail "kunit: kernel log ($sect): $(echo "$bad" | head -n 1)"
			fi
		done
		leaks=$(sed -n '/^@@KMEMLEAK-BEGIN/,/^@@KMEMLEAK-END/p' "$log" |
			grep -v '^@@') || true
		if [ -n "$leaks" ]; then
			printf '%s\n' "$leaks" | head -n 40 | sed 's/^/     /'
			add_fail "kunit: kmemleak found $(echo "$leaks" | grep -c 'unreferenced object') leak(s)"
		elif ! grep -q '^@@KMEMLEAK-END' "$log"; then
			add_fail "kunit: no kmemleak scan (the guest died?)"
		fi
	fi
fi

# --- 4. cluster scenarios --------------------------------------------------------
# Arguments, else KUNIT_SCENARIOS, else the default subset; "all" is every
# scenario, in tests/vm/run.sh's order.
scenarios=("$@")
if [ ${#scenarios[@]} -eq 0 ]; then
	case "${KUNIT_SCENARIOS:-$default_scenarios}" in
	all)	scenarios=() ;;
	*)	read -r -a scenarios <<<"${KUNIT_SCENARIOS:-$default_scenarios}" ;;
	esac
fi
# The verdicts come from tests/vm/run.sh itself, pointed at this kernel and
# this raftlog.ko: same scenario list, host drivers and per-scenario
# kernel-log checks as make test-vm. Under this kernel its guest side also
# scans for leaks after each scenario (a leak fails that scenario) and,
# at the end of each boot that ran its scenarios to the end, unloads
# raftlog.ko and scans again ("@@UNLOAD" in the console log).
if [ "$do_scen" = 1 ]; then
	if [ "$mod_ok" = 0 ]; then
		add_fail "scenarios: raftlog.ko does not build against the debug kernel ($out/module.log)"
	else
		stage "cluster scenarios under the debug kernel (tests/vm/run.sh):" \
		      "${scenarios[*]:-all}"
		log=$out/scenarios.log
		vmb=$out/vm
		rm -f "$vmb"/console-*.log
		rc=0
		vflag=()
		[ "$verbose" = 1 ] && vflag=(-v)
		VM_KERNEL=$bz VM_MODDIR=none VM_MODULE=$tree/kmod/raftlog.ko \
		VM_SMP=2 VM_MEM=2048 VM_BUILD=$vmb \
			"$repo/tests/vm/run.sh" "${vflag[@]}" "${scenarios[@]}" 2>&1 |
			tee "$log" || rc=$?
		line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1) || true
		if [ -z "$line" ]; then
			add_fail "scenarios: tests/vm/run.sh gave no result line (exit $rc)"
		else
			read -r sp _ sf _ <<<"$line"
			pass=$((pass + sp))
			fail=$((fail + sf))
			[ "$sf" -eq 0 ] || failed_items+=("scenarios: $sf")
			[ "$rc" -eq 0 ] || [ "$sf" -gt 0 ] ||
				add_fail "scenarios: tests/vm/run.sh exit $rc"
		fi
		unload=$(cat "$vmb"/console-*.log 2>/dev/null |
			 grep -E '^@@UNLOAD ' | tail -n 1) || true
		case "$unload" in
		"@@UNLOAD PASS") stage "raftlog.ko unloaded; nothing leaked" ;;
		"")	add_fail "unload: no boot got to rmmod raftlog (see $vmb/console-*.log)" ;;
		*)	grep -h '^\[unload\] ' "$vmb"/console-*.log | tail -n 40 >&2 || true
			add_fail "unload: ${unload#@@UNLOAD FAIL }" ;;
		esac
	fi
fi

stage "finished in $(($(date +%s) - t_start))s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
