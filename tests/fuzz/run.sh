#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/fuzz/run.sh [SECONDS]: build the libFuzzer targets with clang
# (ASan, UBSan, leak detection) and run each for SECONDS (default 60).
# Prints `fuzz: fuzz_wire N execs, fuzz_node M execs, K crashes` and exits
# non-zero on any crash, leak, sanitizer report or build failure.
#
# Build output, the growing corpora and crash artifacts live in
# build/fuzz/ (FUZZ_OUT overrides). A crashing input is kept there; replay
# it with `build/fuzz/fuzz_wire build/fuzz/artifacts/crash-...`.
set -euo pipefail

usage() {
	cat <<EOF
usage: $0 [SECONDS]
Builds tests/fuzz/fuzz_wire and tests/fuzz/fuzz_node with clang's
libFuzzer and runs each for SECONDS (default 60) under ASan, UBSan and
leak detection. Exit status 0 only when both built and neither crashed.
Environment: FUZZ_OUT (build dir, default build/fuzz), FUZZ_TARGETS
(default "fuzz_wire fuzz_node").
EOF
}

case "${1:-}" in
-h | --help)
	usage
	exit 0
	;;
esac
duration=${1:-60}
if ! [[ "$duration" =~ ^[0-9]+$ ]] || [ "$duration" -lt 1 ]; then
	usage >&2
	exit 2
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tests/deps.sh unit

out=${FUZZ_OUT:-$root/build/fuzz}
targets=${FUZZ_TARGETS:-fuzz_wire fuzz_node}
mkdir -p "$out/artifacts" "$out/seeds/fuzz_wire" "$out/seeds/fuzz_node"

cc=clang-14
command -v "$cc" >/dev/null || cc=clang
# tests/Makefile builds them (ASan, UBSan; the core instrumented for
# coverage too), incremental; seeds are generated, never committed: see
# gen_seeds.c.
tmake() {
	nice make -s --no-print-directory -f tests/Makefile CC="$cc" O="$out" "$@"
}
tmake "$out/gen_seeds"
"$out/gen_seeds" "$out/seeds/fuzz_wire" "$out/seeds/fuzz_node"

crashes=0
summary=()
for t in $targets; do
	case "$t" in
	fuzz_wire | fuzz_node) ;;
	*)
		echo "fuzz: unknown target $t" >&2
		exit 2
		;;
	esac
	if ! tmake "$out/$t"; then
		echo "fuzz: $t: build failed"
		crashes=$((crashes + 1))
		summary+=("$t build failed")
		continue
	fi
	mkdir -p "$out/corpus/$t"
	log="$out/$t.log"
	rc=0
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	nice "$out/$t" -max_total_time="$duration" -rss_limit_mb=2048 \
		-timeout=120 -detect_leaks=1 -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$t-" \
		"$out/corpus/$t" "$out/seeds/$t" >"$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
		tail -n 1)
	if [ "$rc" -ne 0 ] ||
	   grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|==ERROR|SUMMARY: ' "$log"; then
		echo "fuzz: $t FAILED (exit $rc); log: $log"
		grep -E -A 30 'ERROR|runtime error|fuzz_(wire|node):' "$log" |
			head -n 60 || true
		crashes=$((crashes + 1))
	fi
	summary+=("$t ${execs:-0} execs")
done

line=
for s in "${summary[@]}"; do
	line+="$s, "
done
echo "fuzz: $line$crashes crashes"
[ "$crashes" -eq 0 ]
