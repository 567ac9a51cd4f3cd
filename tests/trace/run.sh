#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/trace/run.sh: builds the trace runner against the Raft core under
# ASan/UBSan and runs the datadriven corpus tests/trace/testdata/*.txt.
set -euo pipefail

usage() {
	cat <<EOF
usage: $0 [--core DIR] [--rewrite] [-v] [--kunit-uspace] [NAME...]
Builds tests/trace/trace through tests/Makefile (CC: clang-14, clang or
gcc; -std=c11 and ASan/UBSan) against the core, DIR/*.c (default
kmod/raft), and runs the traces NAME... (default: tests/trace/testdata/*.txt;
a NAME is a file or a name in testdata/, with or without .txt).
Prints \`ok NAME\` or \`FAIL NAME\` per trace and \`N passed, N failed\`;
exit status 1 if a trace failed or the build did, 2 on bad usage.
  --core DIR  build against the core in DIR (e.g. a copy with a mutant
              patch applied: see tests/unit/mutants/README)
  --rewrite   write the output got into the trace files (review the diff)
  -v          print each trace with the output got
  --kunit-uspace  also run the corpus through the KUnit suite
              tests/trace/trace_kunit.c, built with tests/kunit/uspace/
              as a plain program (the kernel build includes the same file)
Environment: CC, TRACE_OUT (build dir, default build/trace). A mutant:
--core on a patched copy of kmod/raft/ (and its own TRACE_OUT).
EOF
}

root=$(cd "$(dirname "$0")/../.." && pwd)
core=$root/kmod/raft
opts=()
names=()
kunit=0
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help)
		usage
		exit 0
		;;
	--core)
		[ $# -ge 2 ] || { usage >&2; exit 2; }
		core=$(cd "$2" && pwd)
		shift
		;;
	--rewrite | -v)
		opts+=("$1")
		;;
	--kunit-uspace)
		kunit=1
		;;
	-*)
		usage >&2
		exit 2
		;;
	*)
		names+=("$1")
		;;
	esac
	shift
done

out=${TRACE_OUT:-$root/build/trace}
mkdir -p "$out"
tmake() {
	make -s --no-print-directory -C "$root" -f tests/Makefile O="$out" CORE="$core" \
		CORE_O="$out/core" TRACE_GEN="$out" ${CC:+CC="$CC"} "$@"
}
if ! tmake "$out/trace"; then
	echo "FAIL build"
	echo "0 passed, 1 failed"
	exit 1
fi

files=()
if [ ${#names[@]} -eq 0 ]; then
	files=("$root"/tests/trace/testdata/*.txt)
fi
for n in "${names[@]}"; do
	if [ -f "$n" ]; then
		files+=("$n")
	else
		files+=("$root/tests/trace/testdata/${n%.txt}.txt")
	fi
done
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
rc=0
"$out/trace" "${opts[@]}" "${files[@]}" || rc=$?
if [ "$kunit" -eq 1 ]; then
	# the same files through the KUnit suite, with the userspace stand-in
	# (the header is rewritten only when the traces it holds change)
	"$root/tests/trace/embed.sh" "${files[@]}" >"$out/trace_corpus.h.new"
	if cmp -s "$out/trace_corpus.h.new" "$out/trace_corpus.h"; then
		rm "$out/trace_corpus.h.new"
	else
		mv "$out/trace_corpus.h.new" "$out/trace_corpus.h"
	fi
	if tmake "$out/trace-kunit" &&
	   "$out/trace-kunit" -v >"$out/trace-kunit.log" 2>&1; then
		echo "ok kunit-uspace ($(grep -c '^    ok ' "$out/trace-kunit.log") traces)"
	else
		grep -E '^ *(not ok|#)' "$out/trace-kunit.log" 2>/dev/null | head -n 20
		echo "FAIL kunit-uspace"
		rc=1
	fi
fi
exit "$rc"
