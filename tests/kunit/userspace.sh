#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kunit/userspace.sh [-v]: the core, wire and record KUnit suites as a
# plain C program under ASan/UBSan (tests/kunit/uspace/ stands in for KUnit),
# in seconds instead of a debug-kernel boot. Then, to show the suites can
# fail, it builds the core with each of its deliberate bugs m1..m8
# (tests/unit/mutants/m[1-8]-*.patch applied to a copy of kmod/raft/) and
# requires every one to fail at least one case.
# Ends with "N passed, N failed" (cases, plus one check per mutant).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo/build/kunit-uspace
mkdir -p "$out"
"$repo/tests/deps.sh" build >&2

# tests/Makefile: the suites, the core and kmod/record.c (which the kernel
# build takes through core_record.c), ASan/UBSan
tmake() {
	make -s --no-print-directory -C "$repo" -f tests/Makefile "$@"
}
tmake O="$out" "$out/kunit-suites"
rc=0
ASAN_OPTIONS=detect_leaks=1 "$out/kunit-suites" "$@" | tee "$out/suites.log" || rc=$?
read -r pass _ fail _ < <(tail -n 1 "$out/suites.log")
[ "$rc" -eq 0 ] || [ "$fail" -gt 0 ] || fail=$((fail + 1))

for m in 1 2 3 4 5 6 7 8; do
	patch_file=$(echo "$repo"/tests/unit/mutants/m$m-*.patch)
	rm -rf "$out/tree$m"
	mkdir -p "$out/tree$m/kmod"
	cp -r "$repo/kmod/raft" "$out/tree$m/kmod/"
	patch -s -d "$out/tree$m" -p1 --no-backup-if-mismatch -r - <"$patch_file"
	# the core from the copy, no sanitizers (the checks must catch it)
	tmake O="$out/mutants" SAN= WFLAGS=-w CORE="$out/tree$m/kmod/raft" \
		CORE_O="$out/tree$m/core" B="$out/tree$m" "$out/tree$m/kunit-suites"
	cp "$out/tree$m/kunit-suites" "$out/mutant$m"
	if "$out/mutant$m" >"$out/mutant$m.log"; then
		echo "FAIL mutant $m (kmod/raft/) survived every case"
		fail=$((fail + 1))
	else
		echo "ok mutant $m killed by: $(grep '^not ok' "$out/mutant$m.log" |
			awk '{print $3}' | tr '\n' ' ')"
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
