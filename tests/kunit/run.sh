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
#  4. the cluster scenarios of tests/vm/ run under the same kernel with
#     2 CPUs, each followed by a kmemleak scan once its instances are torn
#     down, then raftlog.ko is unloaded and checked once more.
#
# Ends with "N passed, N failed", counting KUnit cases and scenarios (a
# kernel-log or leak finding outside any case adds one failure); exits 1
# if anything failed.
set -euo pipefail

usage() {
	cat <<EOF
usage: $0 [-v] [--kunit-only] [--scenarios-only] [SCENARIO...]

  -v                 print every case and stream the guest consoles
  --kunit-only       skip the cluster scenarios
  --scenarios-only   skip the KUnit boot
  SCENARIO...        scenarios to run (default: all of tests/vm/run.sh's)

Environment: RAFTLOG_KCACHE (kernel cache root, default
/var/cache/raftlog), JOBS (make -j, default 2), SCENARIO_LIMIT (seconds per
scenario, default 300).
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
suites=$(grep -ho '\.name = "raftlog_[a-z0-9_]*"' "$here"/*.c |
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
all_scenarios=$(sed -n '/^ALL="/,/"/p' "$repo/tests/vm/run.sh" |
		tr -d '"' | sed 's/^ALL=//' | tr '\n' ' ')
scenarios=${*:-$all_scenarios}
if [ "$do_scen" = 1 ] && [ -n "$(echo $scenarios)" ]; then
	stage "cluster scenarios under the debug kernel: $(echo $scenarios)"
	if [ "$mod_ok" = 0 ]; then
		for s in $scenarios; do
			add_fail "scenario $s: raftlog.ko does not build against the debug kernel"
		done
	else
		declare -A result reason
		limit=${SCENARIO_LIMIT:-300}
		remaining=$scenarios
		boots=0
		unload=""
		while [ -n "$(echo $remaining)" ] && [ "$boots" -lt 4 ]; do
			boots=$((boots + 1))
			n=$(echo $remaining | wc -w)
			log=$out/scenarios-$boots.log
			rc=0
			if [ "$verbose" = 1 ]; then
				vm --timeout $((n * (limit + 60) + 300)) \
					--module "$tree/kmod/raftlog.ko" \
					"$here/guest-scenarios.sh" $remaining |
					tee "$log" || rc=$?
			else
				vm --timeout $((n * (limit + 60) + 300)) \
					--module "$tree/kmod/raftlog.ko" \
					"$here/guest-scenarios.sh" $remaining \
					>"$log" 2>&1 || rc=$?
			fi
			while read -r _ verdict name t rest; do
				result[$name]=$verdict
				reason[$name]="${t}s ${rest}"
				if [ "$verdict" = FAIL ] && [ "$verbose" = 0 ]; then
					grep -E "^\[$name\] " "$log" | tail -n 40 >&2 || true
				fi
			done < <(grep -E '^@@RESULT ' "$log")
			while read -r _ name; do
				if [ "${result[$name]:-}" = PASS ]; then
					result[$name]=FAIL
					reason[$name]="kmemleak after teardown"
				fi
				grep -E "^\[$name\] " "$log" | tail -n 40 >&2 || true
			done < <(grep -E '^@@LEAK ' "$log")
			unload=$(grep -E '^@@UNLOAD ' "$log" | tail -n 1) || true
			started=$(grep -E '^@@START ' "$log" | tail -n 1 | awk '{print $2}')
			if [ -n "$started" ] && [ -z "${result[$started]:-}" ]; then
				result[$started]=FAIL
				reason[$started]="the VM died or hung in it (exit $rc, see $log)"
				grep -vE '^@@' "$log" | tail -n 60 >&2
			fi
			next=""
			for s in $remaining; do
				[ -n "${result[$s]:-}" ] || next="$next $s"
			done
			if [ "$(echo $next | wc -w)" -eq "$n" ]; then
				grep -vE '^@@' "$log" | tail -n 30 >&2
				for s in $next; do
					result[$s]=FAIL
					reason[$s]="the VM ran no scenario (exit $rc, see $log)"
				done
				next=""
			fi
			remaining=$next
		done
		for s in $scenarios; do
			if [ "${result[$s]:-FAIL}" = PASS ]; then
				pass=$((pass + 1))
				[ "$verbose" = 0 ] || echo "PASS scenario $s (${reason[$s]})"
			else
				add_fail "scenario $s: ${reason[$s]:-not run}"
			fi
		done
		case "$unload" in
		"@@UNLOAD PASS") ;;
		"") add_fail "unload: the last boot never got to rmmod raftlog" ;;
		*) add_fail "unload: ${unload#@@UNLOAD FAIL }" ;;
		esac
	fi
fi

stage "finished in $(($(date +%s) - t_start))s"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
