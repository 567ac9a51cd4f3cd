#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make test`: every suite CI runs, in order, each to its end even if an
# earlier one failed; then one closing line summing theirs.
#
# The debug kernel of test-kunit takes the longest to build and needs
# nothing from the other suites, so it is built from the start, at the
# lowest priority: it gets the CPU the other suites leave idle (guests
# waiting on timers, downloads) and barely slows them. test-kunit then
# finds it built, or waits for the build (tests/kunit/kernel.sh locks).
set -u
cd "$(dirname "$0")/.."

suites=${RAFTLOG_SUITES:-check test-unit test-bench test-vm test-kunit}
t0=$(date +%s)
prebuild=""
if [[ " $suites " == *" test-kunit "* ]]; then
	# One install of everything first: two apt runs at once would clash.
	tests/deps.sh unit vm build check kunit bench
	mkdir -p build
	setsid nice -n 19 tests/kunit/kernel.sh >build/kernel-prebuild.log 2>&1 &
	prebuild=$!
	trap 'kill -- -"$prebuild" 2>/dev/null' EXIT
	echo "test: building the debug kernel in the background (build/kernel-prebuild.log)"
fi

total_pass=0
total_fail=0
status=0
for target in $suites; do
	log=$(mktemp)
	ts=$(date +%s)
	make --no-print-directory "$target" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	echo "test: make $target took $(($(date +%s) - ts)) s"
	if [ -z "$line" ]; then
		echo "make $target: no result line (exit $rc)"
		total_fail=$((total_fail + 1))
		status=1
		continue
	fi
	p=$(echo "$line" | sed -E 's/.*\b([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.*passed, ([0-9]+) failed.*/\1/')
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "make $target: exit $rc"
		total_fail=$((total_fail + 1))
	fi
	[ "$rc" -eq 0 ] || status=1
done
echo "test: all suites took $(($(date +%s) - t0)) s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$status" -eq 0 ]
