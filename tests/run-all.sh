#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make test`: every suite CI runs, in order, each to its end even if an
# earlier one failed; then one closing line summing theirs.
set -u
cd "$(dirname "$0")/.."

total_pass=0
total_fail=0
status=0
for target in ${RAFTLOG_SUITES:-check test-unit test-vm}; do
	log=$(mktemp)
	make --no-print-directory "$target" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
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
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ] && [ "$status" -eq 0 ]
