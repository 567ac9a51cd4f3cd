#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/sim/soak.sh: `make soak`. The cluster simulator (tests/sim/sim.c)
# over a fresh random range of seeds, every seed at every cluster size from
# 1 to 5 nodes, and the session table's model check (tests/sim/sessions.c)
# over the same range. CI runs fixed seeds (tests/unit/run.sh); this finds
# what they do not. Prints the range first, a replay command for each
# failure, and ends with `N passed, N failed` (one per seed and size, and
# one per seed of the session table). 20,000 seeds take about 700 s of CPU
# (6 minutes on two idle cores).
set -euo pipefail

usage() {
	cat <<EOF
usage: $0 [-h] [--seed S --nodes N]
Without arguments: SOAK_SEEDS seeds from a random base (or SOAK_BASE), at
1 to 5 nodes each, SOAK_STEPS steps per run, JOBS at a time.
  --seed S --nodes N   replay one run with a trace (-v), as printed for a
                       failure; --nodes 0 replays the session table's check
Environment (defaults): SOAK_SEEDS (20000), SOAK_BASE (random, printed),
SOAK_STEPS (5000), SOAK_SIZES ("1 2 3 4 5"), JOBS (nproc), CC (clang-14,
clang or gcc), SOAK_SAN (0; 1 builds with ASan/UBSan, three times slower),
SOAK_OUT (build/soak).
EOF
}

replay_seed=""
replay_nodes=""
while [ $# -gt 0 ]; do
	case "$1" in
	-h | --help)
		usage
		exit 0
		;;
	--seed)
		replay_seed=${2:-}
		shift 2 || { usage >&2; exit 2; }
		;;
	--nodes)
		replay_nodes=${2:-}
		shift 2 || { usage >&2; exit 2; }
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
done
if [ -n "$replay_seed$replay_nodes" ] &&
   { [ -z "$replay_seed" ] || [ -z "$replay_nodes" ]; }; then
	usage >&2
	exit 2
fi

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
tests/deps.sh unit >/dev/null

n_seeds=${SOAK_SEEDS:-20000}
steps=${SOAK_STEPS:-5000}
sizes=${SOAK_SIZES:-1 2 3 4 5}
jobs=${JOBS:-$(nproc)}
out=${SOAK_OUT:-$root/build/soak}
mkdir -p "$out"
if [ -z "${CC:-}" ]; then
	for c in clang-14 clang gcc; do
		if command -v "$c" >/dev/null; then
			CC=$c
			break
		fi
	done
fi
flags=(-std=c11 -Wall -Wextra -Werror -g -O2 -Ikmod/raft -Itests/sim)
if [ "${SOAK_SAN:-0}" = 1 ]; then
	# shellcheck disable=SC2054 # the commas belong to the flag
	flags+=(-O1 -fsanitize=address,undefined -fno-sanitize-recover=all)
fi
sim_src=(tests/sim/sim.c tests/sim/node.c kmod/raft/raft.c kmod/raft/log.c
	 kmod/raft/progress.c kmod/raft/quorum.c kmod/raft/forward.c
	 kmod/raft/config.c kmod/raft/session.c kmod/raft/status.c)
if [ -f kmod/raft/wire.c ]; then
	sim_src+=(kmod/raft/wire.c)
	[ -f kmod/raft/blake2s.c ] && sim_src+=(kmod/raft/blake2s.c)
	flags+=(-DSIM_WIRE)
fi
"$CC" "${flags[@]}" -o "$out/sim" "${sim_src[@]}" &
b1=$!
"$CC" "${flags[@]}" -o "$out/sessions" tests/sim/sessions.c \
	kmod/raft/session.c &
b2=$!
ok=1
wait $b1 || ok=0
wait $b2 || ok=0
if [ $ok -eq 0 ]; then
	echo "soak: build failed"
	echo "0 passed, 1 failed"
	exit 1
fi

if [ -n "$replay_seed" ]; then
	if [ "$replay_nodes" = 0 ]; then
		exec "$out/sessions" --seed "$replay_seed" --steps 10000
	fi
	exec "$out/sim" --seed "$replay_seed" --steps "$steps" \
		--nodes "$replay_nodes" -v
fi

if [ -n "${SOAK_BASE:-}" ]; then
	base=$SOAK_BASE
else
	# a fresh range each time, far from CI's 1..2000
	base=$(( ($(od -An -N4 -tu4 /dev/urandom | tr -d ' ') % 4000000000) + 1000000 ))
fi
last=$((base + n_seeds - 1))
echo "soak: seeds $base..$last at $(echo "$sizes" | tr ' ' ',') nodes," \
     "$steps steps each, and the session table over the same seeds;" \
     "$jobs jobs"
start=$(date +%s)

# Chunks of 500 seeds per size, so that all jobs stay busy to the end.
chunk=500
rm -f "$out"/chunk-*
tasks=()
for ((lo = base; lo <= last; lo += chunk)); do
	hi=$((lo + chunk - 1))
	[ "$hi" -le "$last" ] || hi=$last
	for n in $sizes; do
		tasks+=("$n $lo $hi")
	done
	tasks+=("0 $lo $hi")
done
soak_chunk() {
	local n=$1 lo=$2 hi=$3 log="$OUT/chunk-$1-$2.log" env=""
	[ "$STEPS" = 5000 ] || [ "$n" -eq 0 ] || env="SOAK_STEPS=$STEPS "
	if [ "$n" -eq 0 ]; then
		"$OUT/sessions" --seeds "$lo..$hi" --steps 10000 >"$log" 2>&1
	else
		"$OUT/sim" --seeds "$lo..$hi" --steps "$STEPS" --nodes "$n" -q \
			>"$log" 2>&1
	fi
	echo $? >>"$log.rc"
	# progress on stderr, failures as soon as they are known
	grep -E '^FAIL' "$log" | sed -E 's/ -- replay: .*//' |
		while read -r line; do
			seed=$(echo "$line" | sed -E 's/^FAIL seed ([0-9]+).*/\1/')
			echo "$line"
			echo "    replay: ${env}tests/sim/soak.sh --seed $seed --nodes $n"
		done
}
export -f soak_chunk
export OUT="$out" STEPS="$steps"
# shellcheck disable=SC2016 # expanded by the inner bash
printf '%s\n' "${tasks[@]}" |
	xargs -P "$jobs" -L 1 bash -c 'soak_chunk "$0" "$1" "$2"' || true

passed=0
failed=0
for t in "${tasks[@]}"; do
	# shellcheck disable=SC2086
	set -- $t
	log="$out/chunk-$1-$2.log"
	line=$(grep -E '^simulations: ' "$log" 2>/dev/null | tail -n 1 || true)
	if [ -z "$line" ]; then
		echo "FAIL chunk nodes=$1 seeds $2..$3: no summary (exit $(cat "$log.rc" 2>/dev/null))"
		tail -n 5 "$log" 2>/dev/null || true
		failed=$((failed + $3 - $2 + 1))
		continue
	fi
	s=$(echo "$line" | sed -E 's/^simulations: ([0-9]+) seeds.*/\1/')
	v=$(echo "$line" | sed -E 's/.* ([0-9]+) violations/\1/')
	passed=$((passed + s - v))
	failed=$((failed + v))
done
echo "soak: seeds $base..$last, $(($(date +%s) - start)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
