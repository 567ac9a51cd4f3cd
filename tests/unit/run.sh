#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/unit/run.sh: `make test-unit`. Under ASan and UBSan it runs the
# paper-rule tests, the cluster simulator over many seeds (1 to 5 nodes) and
# the session table's model check, every deliberate bug of the core
# (the patches in tests/unit/mutants/) against the rule tests, the trace
# corpus and short simulations, the wire codec tests and the fuzzers
# for a short time. Ends with `N passed, N failed`; exits non-zero on any
# failure.
set -euo pipefail

usage() {
	cat <<EOF
usage: $0 [-h]
Builds and runs raftlog's userspace core tests under ASan/UBSan:
  rules      tests/unit/test_rules.c: the rule tests not (yet) traces
  persist    tests/unit/test_persist.c: the core's async_persist contract
  traces     tests/trace/run.sh --kunit-uspace: the trace corpus, the
             paper's rules as datadriven traces (also in make test-kunit)
  simulator  tests/sim/sim.c over SIM_SEEDS seeds of SIM_STEPS steps, and
             tests/sim/sessions.c (the session table) over SESSION_SEEDS
  mutants    the core built with each deliberate bug must be caught:
             each tests/unit/mutants/*.patch applied to a copy of
             kmod/raft/; MUTANT_SEEDS seeds per cluster size
  quorum     tests/unit/test_quorum.c, kmod/raft/quorum.c's tables
  wire       tests/unit/test_wire.c
  raftlogd   raftlogd/test.sh (3 local daemons), and each broken daemon
             (make -C raftlogd BREAK=1..3) must fail it
  fuzz       tests/fuzz/run.sh FUZZ_SECONDS (when present)
Environment (defaults): SIM_SEEDS (2000: seeds 1.. spread over 1 to 5
nodes, most on 3 and 5), SIM_STEPS (5000), SESSION_SEEDS (50),
MUTANT_SEEDS (200), FUZZ_SECONDS (30 per target, 0 skips), JOBS (2),
CC (clang-14, clang or gcc), UNIT_OUT (build/unit).
Prints \`simulations: S seeds, V violations\`, \`mutants: K of M caught\`
and finally \`N passed, N failed\`.
EOF
}

case "${1:-}" in
-h | --help)
	usage
	exit 0
	;;
"") ;;
*)
	usage >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tests/deps.sh unit

seeds=${SIM_SEEDS:-2000}
steps=${SIM_STEPS:-5000}
session_seeds=${SESSION_SEEDS:-50}
mutant_seeds=${MUTANT_SEEDS:-200}
fuzz_seconds=${FUZZ_SECONDS:-30}
jobs=${JOBS:-2}
out=${UNIT_OUT:-$root/build/unit}
mkdir -p "$out"

if [ -z "${CC:-}" ]; then
	for c in clang-14 clang gcc; do
		if command -v "$c" >/dev/null; then
			CC=$c
			break
		fi
	done
fi
# Every program is built by tests/Makefile (one set of flags, incremental).
tmake() {
	nice make -s --no-print-directory -f tests/Makefile -j"$jobs" CC="$CC" "$@"
}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

start=$(date +%s)
passed=0
failed=0
pass() {
	passed=$((passed + ${2:-1}))
}
fail() {
	echo "FAILED: $1"
	failed=$((failed + ${2:-1}))
}

# ---- build --------------------------------------------------------------------
echo "unit: building with $CC (tests/Makefile: ASan, UBSan)"
if ! tmake O="$out" unit; then
	fail "build"
	echo "$passed passed, $failed failed"
	exit 1
fi

# ---- paper-rule tests -------------------------------------------------------
echo "== rules"
set +e
"$out/test_rules" | tee "$out/rules.log"
rc=${PIPESTATUS[0]}
set -e
line=$(grep -E '^rules: [0-9]+ passed, [0-9]+ failed' "$out/rules.log" | tail -n 1 || true)
if [ -z "$line" ]; then
	fail "rules (exit $rc, no result line)"
else
	p=$(echo "$line" | sed -E 's/^rules: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed/\1/')
	pass rules "$p"
	[ "$f" -eq 0 ] || fail "rules: $f rule tests" "$f"
	[ "$rc" -eq 0 ] || [ "$f" -ne 0 ] || fail "rules exited $rc"
fi

# ---- the core's async_persist contract (tests/unit/test_persist.c) ----------
echo "== persist"
set +e
"$out/test_persist" | tee "$out/persist.log"
rc=${PIPESTATUS[0]}
set -e
line=$(grep -E '^persist: [0-9]+ passed, [0-9]+ failed' "$out/persist.log" | tail -n 1 || true)
if [ -z "$line" ]; then
	fail "persist (exit $rc, no result line)"
else
	p=$(echo "$line" | sed -E 's/^persist: ([0-9]+) passed.*/\1/')
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed/\1/')
	pass persist "$p"
	[ "$f" -eq 0 ] || fail "persist: $f tests" "$f"
	[ "$rc" -eq 0 ] || [ "$f" -ne 0 ] || fail "persist exited $rc"
fi

# ---- the trace corpus (tests/trace/: the paper's rules as datadriven traces) -
# The same files run through the KUnit suite's code with the userspace
# stand-in (--kunit-uspace); make test-kunit runs them in the debug kernel.
echo "== traces"
set +e
TRACE_OUT="$out/trace" tests/trace/run.sh --kunit-uspace >"$out/trace.log" 2>&1
rc=$?
set -e
grep -E '^(FAIL|ok kunit)' "$out/trace.log" || true
line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/trace.log" | tail -n 1 || true)
if [ -z "$line" ]; then
	tail -n 20 "$out/trace.log"
	fail "traces (exit $rc, no result line; full log: $out/trace.log)"
else
	p=${line%% passed*}
	f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed/\1/')
	pass traces "$p"
	echo "traces: $line"
	[ "$f" -eq 0 ] || fail "traces: $f traces" "$f"
	[ "$rc" -eq 0 ] || [ "$f" -ne 0 ] || fail "traces exited $rc (full log: $out/trace.log)"
fi

# ---- simulator ----------------------------------------------------------------
# Seeds 1..$seeds over cluster sizes 1 to 5: most on 3 and 5 (what is
# deployed), some on 2 and 4 (the quorum arithmetic of even sizes) and 1.
# Each size runs as two batches, $jobs batches at a time, next to the
# session table's model check (size 0 below).
echo "== simulator: $seeds seeds x $steps steps, 1 to 5 nodes;" \
     "session table: $session_seeds seeds"
shares=(0 8 12 30 15 35)	# percent of the seeds, by cluster size
batches=("0 1 $session_seeds")
lo=1
for n in 1 2 3 4 5; do
	cnt=$((seeds * shares[n] / 100))
	[ "$n" -lt 5 ] || cnt=$((seeds - lo + 1))
	[ "$cnt" -gt 0 ] || continue
	if [ "$cnt" -lt 2 ]; then
		batches+=("$n $lo $lo")
	else
		half=$((lo + cnt / 2))
		batches+=("$n $lo $((half - 1))" "$n $half $((lo + cnt - 1))")
	fi
	lo=$((lo + cnt))
done
sim_batch() {
	local n=$1 lo=$2 hi=$3
	if [ "$n" -eq 0 ]; then
		"$OUT/sessions" --seeds "$lo..$hi" >"$OUT/sim-$n-$lo.log" 2>&1
	else
		"$OUT/sim" --seeds "$lo..$hi" --steps "$STEPS" --nodes "$n" \
			>"$OUT/sim-$n-$lo.log" 2>&1
	fi
	echo $? >"$OUT/sim-$n-$lo.rc"
}
export -f sim_batch
export OUT="$out" STEPS="$steps"
rm -f "$out"/sim-*.log "$out"/sim-*.rc
sim_start=$(date +%s)
# shellcheck disable=SC2016 # expanded by the inner bash
printf '%s\n' "${batches[@]}" |
	nice xargs -P "$jobs" -L 1 bash -c 'sim_batch "$0" "$1" "$2"' || true
sim_seeds=0
sim_viol=0
for b in "${batches[@]}"; do
	# shellcheck disable=SC2086
	set -- $b
	what="nodes=$1 seeds $2..$3"
	[ "$1" -ne 0 ] || what="session table seeds $2..$3"
	log="$out/sim-$1-$2.log"
	if [ ! -f "$out/sim-$1-$2.rc" ]; then
		fail "simulator batch $what did not run"
		continue
	fi
	grep -E '^(FAIL|sim:|sessions:)' "$log" || true
	line=$(grep -E '^simulations: ' "$log" | tail -n 1 || true)
	rc=$(cat "$out/sim-$1-$2.rc")
	if [ -z "$line" ]; then
		fail "simulator batch $what (exit $rc, no summary)"
		tail -n 20 "$log"
		continue
	fi
	s=$(echo "$line" | sed -E 's/^simulations: ([0-9]+) seeds.*/\1/')
	v=$(echo "$line" | sed -E 's/.* ([0-9]+) violations/\1/')
	[ "$1" -eq 0 ] || sim_seeds=$((sim_seeds + s))
	sim_viol=$((sim_viol + v))
	if [ "$rc" -eq 0 ] && [ "$v" -eq 0 ]; then
		pass "sim batch"
	else
		fail "simulator batch $what: $v violations (exit $rc)"
	fi
done
echo "simulator: $(($(date +%s) - sim_start)) s"
echo "simulations: $sim_seeds seeds, $sim_viol violations"
if [ "$sim_seeds" -lt "$seeds" ]; then
	fail "simulator ran $sim_seeds of $seeds seeds"
fi

# ---- fuzzers start now, in the background --------------------------------------
# libFuzzer runs for a fixed time, so overlapping it with the mutants costs
# it some executions but keeps the whole run short.
fuzz_pid=""
if [ -x tests/fuzz/run.sh ] && [ "$fuzz_seconds" -gt 0 ]; then
	fuzz_start=$(date +%s)
	nice tests/fuzz/run.sh "$fuzz_seconds" >"$out/fuzz.log" 2>&1 &
	fuzz_pid=$!
	# shellcheck disable=SC2064 # the pid is fixed now
	trap "kill $fuzz_pid 2>/dev/null || true" EXIT
fi

# ---- mutants ----------------------------------------------------------------
# Each deliberate bug of the core must make the rule tests, the simulator
# (every cluster size, MUTANT_SEEDS seeds each, stopping at the first
# failing seed), the trace corpus or the session table's model check
# fail. Each is a patch in tests/unit/mutants/ applied to a copy of
# kmod/raft/ (the core itself carries no hook for them). Built without
# sanitizers, so that the checkers, not a sanitizer, are what catch them.
echo "== mutants"
mutant_start=$(date +%s)
# What does not depend on the mutant is compiled once.
mobj="$out/mutant-common"
mflags=(O="$mobj" SAN= WFLAGS=-w)
tmake "${mflags[@]}" unit-objs || true	# a missing object fails the mutants
# Applies patch $2 inside directory $1. The lines it changes must be there
# as they are; nearby edits of the core (context) are tolerated.
mutant_patch() {
	if command -v patch >/dev/null; then
		patch -s -d "$1" -p1 -F2 --no-backup-if-mismatch -r - <"$2"
	else
		# outside any repository, whatever directory $1 is in
		(cd "$1" && GIT_DIR=/nonexistent git apply -C1 -p1 "$2")
	fi
}
export -f mutant_patch
mutant_job() {
	local spec=$1 c=$2/mutant-common o src=kmod/raft n res
	local rules traces sim sess
	case "$spec" in
	*.patch)
		o=$2/mutant-$(basename "$spec" .patch)
		rm -rf "$o"
		mkdir -p "$o/tree/kmod"
		cp -r kmod/raft "$o/tree/kmod/"
		src=$o/tree/kmod/raft
		;;
	*)	# 0: the real core, built the same way
		o=$2/mutant-$spec
		rm -rf "$o"
		mkdir -p "$o"
		;;
	esac
	{
		if [ "$src" != kmod/raft ] &&
		   { grep -qE '^\+\+\+ [^ ]*\.h' "$spec" ||
		     ! mutant_patch "$o/tree" "$spec"; }; then
			echo "patch-failed (a mutant patch may change only .c files of kmod/raft/)"
			exit 0
		fi
		if ! nice make -s --no-print-directory -f tests/Makefile \
			CC="$CC" O="$c" SAN= WFLAGS=-w CORE="$src" \
			CORE_O="$o/core" B="$o" \
			"$o/test_rules" "$o/sim" "$o/sessions"; then
			echo "build-failed"
			exit 0
		fi
		rules=$("$o/test_rules" 2>&1 | sed -n 's/^FAIL //p' | tr '\n' ' ')
		# the corpus: failing traces, or "crashed" without a result line
		traces=$(TRACE_OUT=$o/trace \
			tests/trace/run.sh --core "$src" 2>&1 | sed -nE \
			'/^FAIL build/d; s/^FAIL ([^ ]+).*/\1/p; /^[0-9]+ passed, [0-9]+ failed$/s/.*/done/p' |
			tr '\n' ' ')
		case " $traces " in
		*" done "*) traces=${traces/done /} ;;
		*) traces+="crashed " ;;
		esac
		sim=""
		for n in 1 2 3 4 5; do
			res=$("$o/sim" --seeds "1..$MSEEDS" --steps 3000 --nodes $n \
				-q --max-fail 1 2>&1 | sed -nE \
				's/^FAIL seed ([0-9]+) \([0-9] nodes\): ([a-z-]+) .*/\2 (seed \1)/p')
			[ -z "$res" ] || sim+="$n nodes: $res; "
		done
		sess=$("$o/sessions" --seeds 1..20 --steps 10000 2>&1 | sed -nE \
			's/^FAIL seed ([0-9]+) \(sessions\): ([a-z-]+) .*/\2 (seed \1)/p' |
			head -n 1)
		echo "rules: ${rules:-none}"
		echo "traces: ${traces:-none}"
		echo "sim: ${sim:-none}"
		echo "sessions: ${sess:-none}"
	} >"$o/result" 2>&1
}
export -f mutant_job
export CC MSEEDS="$mutant_seeds"
mutants=()
for p in tests/unit/mutants/*.patch; do
	[ -f "$p" ] && mutants+=("$root/$p")
done
# Mutant 0 is the real core built the same way: what fails there is not
# evidence against a mutant.
# shellcheck disable=SC2016 # expanded by the inner bash
printf '%s\n' 0 "${mutants[@]}" |
	nice xargs -P "$jobs" -I{} bash -c 'mutant_job "$1" "$0"' "$out" {}
base_rules=$(sed -n 's/^rules: //p' "$out/mutant-0/result" 2>/dev/null || true)
base_sim=$(sed -n 's/^sim: //p' "$out/mutant-0/result" 2>/dev/null || true)
base_traces=$(sed -n 's/^traces: //p' "$out/mutant-0/result" 2>/dev/null || true)
base_sess=$(sed -n 's/^sessions: //p' "$out/mutant-0/result" 2>/dev/null || true)
if [ "$base_rules" != "none" ]; then
	echo "note: the real core fails rule tests ($base_rules);" \
	     "they do not count against mutants"
fi
if [ "$base_traces" != "none" ]; then
	echo "note: the real core fails traces ($base_traces);" \
	     "they do not count against mutants"
fi
if [ "$base_sim" != "none" ]; then
	echo "note: the real core fails the short simulation ($base_sim);" \
	     "the simulator does not count against mutants"
fi
if [ "$base_sess" != "none" ]; then
	echo "note: the real session table fails its model check ($base_sess);" \
	     "it does not count against mutants"
fi
caught=0
for m in "${mutants[@]}"; do
	name=$(basename "$m" .patch)
	desc=$(sed -n '1s/^Mutant: //p' "$m")
	res="$out/mutant-$name/result"
	rules=$(sed -n 's/^rules: //p' "$res" 2>/dev/null || true)
	traces=$(sed -n 's/^traces: //p' "$res" 2>/dev/null || true)
	sim=$(sed -n 's/^sim: //p' "$res" 2>/dev/null || true)
	sess=$(sed -n 's/^sessions: //p' "$res" 2>/dev/null || true)
	new=""
	for t in $rules; do
		case " $base_rules " in
		*" $t "*) ;;
		*) [ "$t" = none ] || new+="$t " ;;
		esac
	done
	tnew=""
	for t in $traces; do
		case " $base_traces " in
		*" $t "*) ;;
		*) [ "$t" = none ] || tnew+="$t " ;;
		esac
	done
	[ "$base_sim" = "none" ] || sim="none"
	[ "$base_sess" = "none" ] || sess="none"
	if [ -n "$rules" ] && { [ -n "$new" ] || [ -n "$tnew" ] ||
				 [ "$sim" != "none" ] ||
				 [ "$sess" != "none" ]; }; then
		caught=$((caught + 1))
		pass "mutant $name"
		echo "mutant $name ($desc): caught"
		echo "    rules:    ${new:-none}"
		echo "    traces:   ${tnew:-none}"
		echo "    sim:      $sim"
		echo "    sessions: $sess"
	else
		fail "mutant $name ($desc) not caught: $(tr '\n' ' ' <"$res" 2>/dev/null)"
	fi
done
echo "mutants: $(($(date +%s) - mutant_start)) s"
echo "mutants: $caught of ${#mutants[@]} caught"

# ---- MAC and replay window (tests/unit/test_auth.c) ---------------------------
echo "== auth"
if "$out/test_auth" >"$out/auth.log" 2>&1; then
	pass auth
	echo "auth: $(tail -n 1 "$out/auth.log")"
else
	cat "$out/auth.log" 2>/dev/null || true
	fail "MAC and replay window tests"
fi

# ---- majority arithmetic (tests/unit/test_quorum.c) ---------------------------
echo "== quorum"
if "$out/test_quorum" >"$out/quorum.log" 2>&1; then
	pass quorum
	echo "quorum: $(tail -n 1 "$out/quorum.log")"
else
	cat "$out/quorum.log" 2>/dev/null || true
	fail "majority arithmetic tests"
fi

# ---- wire codec tests (tests/unit/test_wire.c) -------------------------------
echo "== wire"
if "$out/test_wire" >"$out/wire.log" 2>&1; then
	pass wire
	echo "wire: $(tail -n 1 "$out/wire.log")"
else
	cat "$out/wire.log" 2>/dev/null || true
	fail "wire codec tests"
fi

# ---- the nemesis scenario's checker (tests/vm/nemesis-check.c) ---------------
# Hand-broken histories and logs: each check must fire (a few seconds).
echo "== nemesis-check"
if tests/vm/nemesis-check-test.sh "$out/nemesis-check" \
	>"$out/nemesis-check.log" 2>&1; then
	pass nemesis-check
	grep -E '^(PASS|FAIL) |^nemesis-check:' "$out/nemesis-check.log"
else
	cat "$out/nemesis-check.log" 2>/dev/null || true
	fail "nemesis checker self-test (full log: $out/nemesis-check.log)"
fi

# ---- fuzzers (tests/fuzz/run.sh) ----------------------------------------------
if [ -n "$fuzz_pid" ]; then
	echo "== fuzz ($fuzz_seconds s per target)"
	if wait "$fuzz_pid"; then
		pass fuzz
		grep -E '^fuzz:' "$out/fuzz.log" || tail -n 3 "$out/fuzz.log"
	else
		grep -vE '^ +#[0-9]+ ' "$out/fuzz.log" | head -n 5
		grep -E '^fuzz:' "$out/fuzz.log" || tail -n 10 "$out/fuzz.log"
		fail "fuzz (full log: $out/fuzz.log)"
	fi
	echo "fuzz: $(($(date +%s) - fuzz_start)) s"
fi

# ---- raftlogd: the core as a userspace daemon (raftlogd/test.sh) --------------
# Three daemons on 127.0.0.1 (a few seconds), then each deliberately broken
# daemon (make BREAK=N) must fail the same test.
echo "== raftlogd"
# (raftctl too: test.sh drives the daemons with it as well)
if nice make -s --no-print-directory -C raftlogd >"$out/raftlogd.log" 2>&1 &&
   nice make -s --no-print-directory -C userspace-tools >>"$out/raftlogd.log" 2>&1 &&
   raftlogd/test.sh >>"$out/raftlogd.log" 2>&1; then
	pass raftlogd
	echo "raftlogd: $(tail -n 1 "$out/raftlogd.log")"
else
	grep -E '^FAIL' "$out/raftlogd.log" || tail -n 20 "$out/raftlogd.log"
	fail "raftlogd (full log: $out/raftlogd.log)"
fi
for b in 1 2 3; do
	blog=$out/raftlogd-break$b.log
	if ! nice make -s --no-print-directory -C raftlogd BREAK=$b >"$blog" 2>&1; then
		fail "raftlogd BREAK=$b does not build (log: $blog)"
	elif RAFTLOGD=raftlogd/raftlogd-break$b raftlogd/test.sh >>"$blog" 2>&1; then
		fail "raftlogd BREAK=$b (a broken daemon) passed raftlogd/test.sh"
	else
		pass "raftlogd break $b"
		echo "raftlogd BREAK=$b caught: $(grep -m1 '^FAIL' "$blog" || tail -n 1 "$blog")"
	fi
done

# ---- raftctl and raftbench host tests (userspace-tools/) ----------------------
echo "== tools"
if nice make --no-print-directory -C userspace-tools test test-asan \
	>"$out/tools.log" 2>&1; then
	pass tools
	grep -E '^tools' "$out/tools.log" || tail -n 2 "$out/tools.log"
else
	tail -n 20 "$out/tools.log"
	fail "raftctl/raftbench host tests (full log: $out/tools.log)"
fi

echo "unit: wall time $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
