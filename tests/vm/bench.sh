#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/bench.sh (`make bench`): raftbench against a 3-node raftlog
# cluster in a QEMU VM (one network namespace per node). Runs the standard
# set, entry sizes 64 B, 1 KiB and 16 KiB times 1, 8 and 64 concurrent
# writers on the leader's device, each run bounded by a number of entries
# and a number of seconds, each followed by raftbench --verify on all three
# nodes. Prints a table and writes build/bench.json.
#
# Every run of the standard set is on a keyed cluster (AUTH on: each
# datagram carries a keyed BLAKE2s tag). Then the cluster is made again
# with insecure=1 (AUTH off: no tag, nothing checked) and the sizes are
# run with BENCH_OFF_WRITERS writers (default "1 64": C=1 latency and the
# highest throughput), so the cost of authentication shows as pairs of
# rows. Each row names its mode in the AUTH column, each JSON run in
# "auth" ("on" or "off"); a summary after the table gives off/on ratios.
#
# Knobs: BENCH_SECONDS (per run, default 15), BENCH_ENTRIES (per run,
# default 20000), BENCH_SIZES, BENCH_WRITERS (space-separated lists),
# BENCH_AUTH (modes in order, default "on off"), BENCH_OFF_WRITERS
# (writers for the off mode, default "1 64"), BENCH_TIMEOUT (whole VM,
# default 120 s + 90 s per run).
#
# Numbers come from software emulation (TCG) on a shared machine: they
# compare runs with each other, not with real hardware.
#
# The same file is the guest script: run-in-vm.sh starts it in the VM with
# --guest SECONDS ENTRIES "SIZES" "WRITERS" "AUTH" "OFF_WRITERS".
set -euo pipefail

# --- guest side ----------------------------------------------------------

# json_num KEY JSON: the first number after "KEY": in JSON (0 if none).
json_num() {
	local v
	v=$(grep -o "\"$1\":[0-9.]*" <<<"$2" | head -n 1 | cut -d: -f2) || true
	echo "${v:-0}"
}

guest_main() {
	# shellcheck source=tests/vm/guest-lib.sh
	. /vm/guest-lib.sh
	# The serial console shows escape codes raw: no colour from the tools.
	export NO_COLOR=1
	local secs=$1 entries=$2 sizes=$3 writers=$4 modes=${5:-on}
	local off_writers=${6:-$4} leader s c out rc mode ws auth
	local eps mbps p50 p99 p999 max errs committed verify row failed=0 k

	kcheck_begin
	rl_cluster 3
	rl_wait_leader 30 1 2 3 || {
		rl_show
		fail "no leader within 30 s"
	}
	leader=$LEADER
	log "cluster up, n$leader leads term $(rl_get "$leader" term)"
	raftctl status
	echo
	printf '%6s %7s %9s %9s %8s %8s %8s %9s %7s %7s %4s\n' SIZE WRITERS \
		ENTRIES/S MB/S "P50 MS" "P99 MS" "P99.9" "MAX MS" ERRORS VERIFY \
		AUTH
	for mode in $modes; do
		ws=$writers
		[ "$mode" = on ] || ws=$off_writers
		for s in $sizes; do
			for c in $ws; do
				# Each run starts from empty logs: the whole log stays
				# in memory (no compaction yet), and one 2 GiB guest
				# cannot hold nine runs of it on three nodes.
				bench_reset "$mode"
				rl_wait_leader 30 1 2 3 ||
					fail "no leader before run $s B x $c"
				leader=$LEADER
				auth=$(rl_get "$leader" authenticated)
				[ "$auth" = "$([ "$mode" = on ] && echo 1 || echo 0)" ] ||
					fail "AUTH $mode but sysfs authenticated is $auth"
				rc=0
				out=$(raftbench -d "n$leader" -s "$s" -c "$c" \
					-n "$entries" -t "$secs" --json --no-progress \
					--verify n1 n2 n3 --verify-timeout 60 \
					2>"$RL_TMP/bench.err") || rc=$?
				cat "$RL_TMP/bench.err"
				if [ -z "$out" ]; then
					echo "run $s B x $c: raftbench failed (exit $rc), no report"
					failed=$((failed + 1))
					continue
				fi
				echo "@@BENCH {\"size\":$s,\"writers\":$c,\"exit\":$rc,\"auth\":\"$mode\",\"report\":$out}"
				eps=$(json_num entries_per_s "$out")
				mbps=$(json_num mb_per_s "$out")
				p50=$(json_num p50 "$out")
				p99=$(json_num p99 "$out")
				p999=$(json_num p99_9 "$out")
				max=$(json_num max "$out")
				committed=$(json_num committed "$out")
				errs=$(( $(json_num not_committed "$out") + \
					 $(json_num unknown "$out") + \
					 $(json_num no_leader "$out") + \
					 $(json_num other "$out") + 0 ))
				verify=ok
				if [ "$rc" -ne 0 ]; then
					verify=FAILED
					failed=$((failed + 1))
					echo "$out" | grep -o '"problems":\[.*\]' || true
				fi
				row=$(printf '%6s %7s %9.1f %9.3f %8.2f %8.2f %8.2f %9.2f %7s %7s %4s' \
					"$s" "$c" "${eps:-0}" "${mbps:-0}" "${p50:-0}" \
					"${p99:-0}" "${p999:-0}" "${max:-0}" "$errs" \
					"$verify" "$mode")
				echo "$row"
				echo "@@ROW $row"
				[ "${committed:-0}" -gt 0 ] || {
					echo "run $s B x $c committed nothing"
					failed=$((failed + 1))
				}
			done
		done
	done
	echo
	raftctl status --stats
	rl_destroy
	kcheck_end
	[ "$failed" -eq 0 ] || fail "$failed run(s) failed"
}

# bench_reset MODE: the three instances made anew (empty logs), keyed
# (MODE on: the scenario's random key) or with insecure=1 (MODE off), and
# enabled.
bench_reset() {
	local k opt=""
	[ "$1" = on ] || opt=insecure=1
	for k in 1 2 3; do rl_stop "$k"; done
	for k in 1 2 3; do
		rmdir "$RL_CFS/n$k" || fail "rmdir $RL_CFS/n$k failed"
		# shellcheck disable=SC2086
		rl_create "$k" 3 $opt
	done
	for k in 1 2 3; do rl_start "$k"; done
}

if [ "${1:-}" = --guest ]; then
	shift
	guest_main "$@"
	exit 0
fi

# --- host side -----------------------------------------------------------

cd "$(dirname "$0")/../.."

# The guest's output without firmware noise and the harness's @@ lines.
vm_console_filter() {
	awk '/@@BOOTED/ { on = 1; next } /^@@/ || /reboot: Power down/ { next }
	     on { print; fflush() }'
}
secs=${BENCH_SECONDS:-15}
entries=${BENCH_ENTRIES:-20000}
sizes=${BENCH_SIZES:-64 1024 16384}
writers=${BENCH_WRITERS:-1 8 64}
modes=${BENCH_AUTH:-on off}
off_writers=${BENCH_OFF_WRITERS:-1 64}
for m in $modes; do
	case "$m" in
	on|off) ;;
	*) echo "bench: BENCH_AUTH takes on and off, not '$m'" >&2; exit 2 ;;
	esac
done
nwant=0
for m in $modes; do
	ws=$writers
	[ "$m" = on ] || ws=$off_writers
	nwant=$(( nwant + $(wc -w <<<"$sizes") * $(wc -w <<<"$ws") ))
done
out=build/bench.json
console=build/bench-console.log

tests/deps.sh vm build
nice make --no-print-directory -s -j"$(nproc)" module tools
mkdir -p build
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
rc=0
VM_CONSOLE_LOG=$PWD/$console \
	tests/vm/run-in-vm.sh --timeout "${BENCH_TIMEOUT:-$((120 + 90 * nwant))}" \
	tests/vm/bench.sh --guest "$secs" "$entries" "$sizes" "$writers" \
	"$modes" "$off_writers" |
	vm_console_filter || rc=${PIPESTATUS[0]}

# build/bench.json: where and when, then one object per run.
cpu=$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//; s/"/\\"/g')
{
	printf '{"date":"%s","host":"%s","cpu":"%s","host_cpus":%s,' \
		"$start" "$(hostname)" "$cpu" "$(nproc)"
	printf '"vm":{"accel":"tcg","smp":%s,"mem_mib":%s,"kernel":"%s"},' \
		"${VM_SMP:-2}" "${VM_MEM:-2048}" \
		"$(basename "$(find /boot -maxdepth 1 -name 'vmlinuz-6.1.*' | sort -V | tail -n 1)")"
	printf '"seconds_per_run":%s,"entries_per_run":%s,' "$secs" "$entries"
	printf '"auth_modes":"%s","off_writers":"%s","runs":[' "$modes" \
		"$off_writers"
	grep -o '@@BENCH .*' "$console" | sed 's/^@@BENCH //' | paste -sd, -
	printf ']}\n'
} >"$out"

echo
echo "raftbench, 3-node cluster in QEMU/TCG ($(nproc) host CPUs: $cpu), $start"
echo "each run: up to $entries entries or $secs s, written on the leader, verified on all nodes"
echo "AUTH on: keyed BLAKE2s on every datagram; off: insecure=1"
echo
printf '%6s %7s %9s %9s %8s %8s %8s %9s %7s %7s %4s\n' SIZE WRITERS ENTRIES/S \
	MB/S "P50 MS" "P99 MS" "P99.9" "MAX MS" ERRORS VERIFY AUTH
grep -o '@@ROW .*' "$console" | sed 's/^@@ROW //'
echo
# Pairs measured both ways: what authentication costs.
grep -o '@@ROW .*' "$console" | sed 's/^@@ROW //' | awk '
	{ k = $1 " B x " $2; eps[k, $11] = $3; p50[k, $11] = $5; p99[k, $11] = $6
	  if (!(k in seen)) { seen[k] = 1; order[n++] = k } }
	END { for (i = 0; i < n; i++) { k = order[i]
		if (!((k, "on") in eps) || !((k, "off") in eps)) continue
		if (!hdr++) print "authentication cost (on vs off):"
		printf "  %s: entries/s %s on, %s off (on/off %.3f); p50 %s/%s ms, p99 %s/%s ms\n",
			k, eps[k, "on"], eps[k, "off"],
			(eps[k, "off"] > 0 ? eps[k, "on"] / eps[k, "off"] : 0),
			p50[k, "on"], p50[k, "off"], p99[k, "on"], p99[k, "off"] } }'
echo
echo "JSON: $out   console: $console"
nruns=$(grep -c '@@ROW ' "$console" || true)
if [ "$rc" -ne 0 ] || [ "$nruns" -ne "$nwant" ]; then
	echo "bench FAILED (VM exit $rc, $nruns of $nwant runs reported)"
	exit 1
fi
