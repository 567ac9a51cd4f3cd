#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/bench.sh (`make bench`): raftlog against what users would pick
# instead, in one QEMU boot, on one topology: three network namespaces on
# a bridge, one node per namespace. For every point (entry sizes 64 B,
# 1 KiB and 16 KiB times 1, 8 and 64 concurrent closed-loop writers on
# the leader) it runs, each on fresh clusters:
#   raftlog        the module, memory-only
#   raftlog-disk   the module, every node's data_dir on the VM's ext4
#                  virtio disk
#   raftlogd       the same core as a userspace daemon (raftlogd/), driven
#   raftlogd-disk  by raftbench through its unix socket, memory-only and
#                  with the same data_dir setting
#   raftlog-slow   raftlog-disk with the leader's fsync 500 ms slower
#                  (issue 14: the slow disk off the heartbeat path): each
#                  data_dir on ext3 over dm-delay over a loop device whose
#                  file is on the bench disk, the leader's flushes delayed
#                  by 500 ms once it is elected; only at 64 B x 64 and x 1
#   raftlog-dm     the same stack with no delay, at the same points: what
#                  raftlog-slow is compared with
#   etcd           Debian's etcd-server (3.4) as a 3-member cluster, data
#                  on the same disk, driven by tests/bench/etcdbench over
#                  its JSON gateway (keep-alive, one connection per writer)
# Every run is bounded by a number of entries and of seconds and verified
# on all three nodes (raftbench --verify; etcdbench --verify). The same
# boot measures the floors: a UDP round trip between two namespaces and an
# append + fdatasync on the disk (tests/bench/rtt.c). Prints one row per
# run, the ratios per point (raftlog/raftlogd, raftlog/etcd, ...) and the
# issue 14 figures against the floors; writes all of it to
# build/bench.json.
#
# AUTH: every run of the standard set is keyed (each datagram carries a
# keyed BLAKE2s tag; raftlogd uses the same key). Then raftlog alone is
# run again with insecure=1 with BENCH_OFF_WRITERS writers, so the cost of
# authentication shows as pairs of rows (AUTH column; "auth" in JSON).
#
# Knobs: BENCH_SECONDS (per run, default 10), BENCH_ENTRIES (per run,
# default 20000), BENCH_SIZES, BENCH_WRITERS (space-separated lists),
# BENCH_SYSTEMS (default "raftlog raftlog-disk raftlogd raftlogd-disk
# etcd"), BENCH_AUTH (modes in order, default "on off"), BENCH_OFF_WRITERS
# (writers for the off mode, default "1 64"), BENCH_TIMEOUT (whole VM),
# BENCH_FIVE (default 1: also raftlog on 5 nodes at 64 B x 64 writers),
# BENCH_SLOW (default 1: also raftlog-dm and raftlog-slow at 64 B x 64
# and x 1),
# VM_SMP (guest CPUs, default 2; VM_SMP=1 for the 1-vCPU run).
#
# Numbers come from software emulation (TCG) on a shared machine: they
# compare runs of one boot with each other, not with real hardware.
#
# The same file is the guest script: run-in-vm.sh starts it in the VM with
# --guest SECONDS ENTRIES "SIZES" "WRITERS" "AUTH" "OFF_WRITERS" "SYSTEMS"
# FIVE SLOW.
set -euo pipefail

# --- guest side ----------------------------------------------------------

# json_num KEY JSON: the first number after "KEY": in JSON (0 if none).
json_num() {
	local v
	v=$(grep -o "\"$1\":[0-9.]*" <<<"$2" | head -n 1 | cut -d: -f2) || true
	echo "${v:-0}"
}

# ratio A B: A/B with three decimals ("-" when B is 0).
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else printf "-" }'
}

BENCH_DISK=/mnt/disk
SLOW_MNT=/mnt/slow
SLOW_MB=512
SLOW_DELAY_MS=500
export DM_DISABLE_UDEV=1

# slow_table K FLUSH_MS: node K's dm-delay table (read, write and flush
# classes; only flushes delayed).
slow_table() {
	local dev
	dev=$(cat "$RL_TMP/slow-loop$1")
	echo "0 $((SLOW_MB * 2048)) delay $dev 0 0 $dev 0 0 $dev 0 $2"
}

# slow_setup: one ext3 per node over dm-delay over a loop device whose
# backing file is on the bench disk (so its flushes are the disk's).
slow_setup() {
	local k dev
	dmsetup targets 2>/dev/null | grep -qw delay ||
		fail "raftlog-slow: no dm-delay target in this kernel"
	for k in 1 2 3; do
		truncate -s "${SLOW_MB}M" "$BENCH_DISK/slow$k.img"
		dev=$(losetup -f)
		losetup "$dev" "$BENCH_DISK/slow$k.img"
		echo "$dev" >"$RL_TMP/slow-loop$k"
		dmsetup create --noudevsync "rl-bench$k" --table "$(slow_table "$k" 0)"
	done
	dmsetup mknodes
	for k in 1 2 3; do
		mke2fs -q -j -N 64 "/dev/mapper/rl-bench$k" >/dev/null 2>&1 ||
			fail "raftlog-slow: mke2fs failed"
		mkdir -p "$SLOW_MNT/n$k"
		mount -t ext4 "/dev/mapper/rl-bench$k" "$SLOW_MNT/n$k"
	done
}

slow_teardown() {
	local k
	for k in 1 2 3; do
		umount "$SLOW_MNT/n$k" 2>/dev/null || true
		dmsetup remove --noudevsync "rl-bench$k" 2>/dev/null || true
		losetup -d "$(cat "$RL_TMP/slow-loop$k")" 2>/dev/null || true
		rm -f "$BENCH_DISK/slow$k.img"
	done
}

# slow_delay K MS: node K's flushes wait MS ms from now on.
slow_delay() {
	dmsetup suspend --noudevsync "rl-bench$1"
	dmsetup reload --noudevsync "rl-bench$1" --table "$(slow_table "$1" "$2")"
	dmsetup resume --noudevsync "rl-bench$1"
}

# kernel_reset MODE [disk]: the three kernel instances made anew (empty
# logs; with "disk" each on a fresh data_dir on the bench disk), keyed
# (MODE on) or insecure=1 (off), and enabled.
kernel_reset() {
	local mode=$1 disk=${2:-} k opt=""
	[ "$mode" = on ] || opt=insecure=1
	kernel_stop
	rm -rf "$BENCH_DISK/rl"
	for k in $BENCH_NODES; do
		if [ "$disk" = slow ]; then
			rm -rf "$SLOW_MNT/n$k/rl"
			mkdir -p "$SLOW_MNT/n$k/rl"
			# shellcheck disable=SC2086
			rl_create "$k" "$(wc -w <<<"$BENCH_NODES")" $opt \
				"data_dir=$SLOW_MNT/n$k/rl"
		elif [ -n "$disk" ]; then
			mkdir -p "$BENCH_DISK/rl/n$k"
			# shellcheck disable=SC2086
			rl_create "$k" "$(wc -w <<<"$BENCH_NODES")" $opt \
				"data_dir=$BENCH_DISK/rl/n$k"
		else
			# shellcheck disable=SC2086
			rl_create "$k" "$(wc -w <<<"$BENCH_NODES")" $opt
		fi
	done
	for k in $BENCH_NODES; do rl_start "$k"; done
}

# kernel_stop: no kernel instance left (its port is free for a daemon).
kernel_stop() {
	local k
	for k in 1 2 3 4 5; do
		[ -d "$RL_CFS/n$k" ] || continue
		rl_stop "$k"
		rmdir "$RL_CFS/n$k" || fail "rmdir $RL_CFS/n$k failed"
	done
}

# etcd_start: a 3-member etcd cluster, member K in namespace nK, its data
# on the bench disk. Its best honest configuration: data on the same file
# system as raftlog's data_dir (etcd 3.4 always fsyncs its WAL), writers
# on the leader (no forwarding hop), zap logging at error level,
# snapshots every 100000 entries (the default), bbolt's map freelist, a
# backend quota that no run reaches, no TLS and no auth (raftlog's AUTH
# runs do more work per datagram than etcd does here), and timeouts for a
# slow machine: heartbeat 250 ms and election 5 s (etcd's tuning guide:
# the election timeout well above the round trip; under emulation on a
# loaded host a put takes seconds at 64 connections, and etcd fails a
# request after 5 s + 2 election timeouts, so with its 1 s default the
# 64-writer runs ended in timeouts, not puts).
ETCD_PID=()
etcd_start() {
	local k cluster=""
	rm -rf "$BENCH_DISK/etcd"
	for k in 1 2 3; do
		cluster="$cluster${cluster:+,}m$k=http://10.99.0.$k:2380"
	done
	for k in 1 2 3; do
		mkdir -p "$BENCH_DISK/etcd"
		ip netns exec "n$k" etcd --name "m$k" \
			--data-dir "$BENCH_DISK/etcd/m$k" \
			--listen-peer-urls "http://10.99.0.$k:2380" \
			--initial-advertise-peer-urls "http://10.99.0.$k:2380" \
			--listen-client-urls "http://10.99.0.$k:2379" \
			--advertise-client-urls "http://10.99.0.$k:2379" \
			--initial-cluster "$cluster" --initial-cluster-state new \
			--initial-cluster-token raftlog-bench \
			--logger zap --log-level error \
			--quota-backend-bytes 8589934592 \
			--heartbeat-interval 250 --election-timeout 5000 \
			--experimental-backend-bbolt-freelist-type map \
			>>"$RL_TMP/etcd-m$k.log" 2>&1 &
		ETCD_PID[$k]=$!
	done
	# ready: a leader, and one put through it
	wait_until 60 etcd_leader || {
		tail -n 20 "$RL_TMP"/etcd-m*.log
		fail "etcd: no leader within 60 s"
	}
	ip netns exec "n$ETCD_LEADER" etcdbench $ETCD_EPS --to-leader -n 1 \
		>/dev/null || fail "etcd: the first put failed"
}

ETCD_EPS="-e 10.99.0.1:2379 -e 10.99.0.2:2379 -e 10.99.0.3:2379"
# etcd_leader: ETCD_LEADER set to the member that leads (asked from n1:
# the root namespace has no address on the bridge).
etcd_leader() {
	# shellcheck disable=SC2086
	ETCD_LEADER=$(ip netns exec n1 etcdbench $ETCD_EPS --which-leader \
		2>/dev/null) && [ -n "$ETCD_LEADER" ]
}

etcd_stop() {
	local k
	for k in "${!ETCD_PID[@]}"; do
		kill "${ETCD_PID[$k]}" 2>/dev/null || true
		wait "${ETCD_PID[$k]}" 2>/dev/null || true
	done
	ETCD_PID=()
	rm -rf "$BENCH_DISK/etcd"
}

# run_point SYSTEM MODE SIZE WRITERS: one run, its @@BENCH and @@ROW lines.
run_point() {
	local sys=$1 mode=$2 s=$3 c=$4 leader out rc=0 auth fpe="-" k
	local f0 c0 vnodes eps mbps p50 p99 p999 max committed errs verify row
	case "$sys" in
	raftlog|raftlog-disk|raftlog-5|raftlog-slow|raftlog-dm)
		case "$sys" in
		raftlog-disk) kernel_reset "$mode" disk ;;
		raftlog-slow|raftlog-dm) kernel_reset "$mode" slow ;;
		*) kernel_reset "$mode" ;;
		esac
		# shellcheck disable=SC2086
		rl_wait_leader 30 $BENCH_NODES ||
			fail "$sys: no leader before run $s B x $c"
		leader=$LEADER
		[ "$sys" != raftlog-slow ] || slow_delay "$leader" "$SLOW_DELAY_MS"
		auth=$(rl_get "$leader" authenticated)
		[ "$auth" = "$([ "$mode" = on ] && echo 1 || echo 0)" ] ||
			fail "AUTH $mode but sysfs authenticated is $auth"
		vnodes=""
		for k in $BENCH_NODES; do vnodes="$vnodes n$k"; done
		f0=$(rl_get "$leader" stats/fsyncs)
		c0=$(rl_get "$leader" stats/commits)
		# shellcheck disable=SC2086
		out=$(raftbench -d "n$leader" -s "$s" -c "$c" \
			-n "$BENCH_N" -t "$BENCH_T" --json --no-progress \
			--verify $vnodes --verify-timeout 60 \
			2>"$RL_TMP/bench.err") || rc=$?
		if [ "$sys" != raftlog ] && [ "$sys" != raftlog-5 ]; then
			fpe=$(ratio $(( $(rl_get "$leader" stats/fsyncs) - f0 )) \
				    $(( $(rl_get "$leader" stats/commits) - c0 )))
		fi
		if [ "$sys" = raftlog-slow ]; then
			[ "$(rl_get "$leader" role)" = leader ] ||
				echo "raftlog-slow: n$leader lost leadership during the run"
			slow_delay "$leader" 0
		fi
		kernel_stop
		;;
	raftlogd|raftlogd-disk)
		kernel_stop
		rm -rf "$BENCH_DISK/rld"
		mkdir -p "$BENCH_DISK/rld"
		for k in 1 2 3; do
			if [ "$sys" = raftlogd ]; then
				rld_start "$k" 3
			else
				rld_start "$k" 3 --data-dir "$BENCH_DISK/rld/n$k"
			fi
		done
		rld_wait_leader 30 1 2 3 ||
			fail "$sys: no leader before run $s B x $c"
		leader=$LEADER
		out=$(raftbench -d "unix:$(rld_sock "$leader")" -s "$s" -c "$c" \
			-n "$BENCH_N" -t "$BENCH_T" --json --no-progress \
			--verify "unix:$(rld_sock 1)" "unix:$(rld_sock 2)" \
			"unix:$(rld_sock 3)" --verify-timeout 60 \
			2>"$RL_TMP/bench.err") || rc=$?
		rld_stop_all
		rm -rf "$BENCH_DISK/rld"
		# the leader's closing line: "..., N fsyncs, N writes proposed"
		if [ "$sys" = raftlogd-disk ]; then
			fpe=$(grep 'stopping:' "$RL_TMP/rld-n$leader.log" | tail -n 1 |
			      sed -n 's/.* \([0-9]*\) fsyncs, \([0-9]*\) writes proposed.*/\1 \2/p') || fpe=""
			# shellcheck disable=SC2086
			fpe=$(ratio ${fpe:-0 0})
		fi
		;;
	etcd)
		kernel_stop
		etcd_start
		# the client beside the leader, as raftbench on its device
		# shellcheck disable=SC2086
		out=$(ip netns exec "n$ETCD_LEADER" etcdbench $ETCD_EPS \
			--to-leader -s "$s" -c "$c" \
			-n "$BENCH_N" -t "$BENCH_T" --json --verify \
			--verify-timeout 60 2>"$RL_TMP/bench.err") || rc=$?
		etcd_stop
		;;
	*)
		fail "unknown system $sys"
		;;
	esac
	cat "$RL_TMP/bench.err"
	if [ -z "$out" ]; then
		echo "run $sys $s B x $c: failed (exit $rc), no report"
		BENCH_FAILED=$((BENCH_FAILED + 1))
		return 0
	fi
	[ "$sys" = etcd ] && mode=-
	echo "@@BENCH {\"system\":\"$sys\",\"size\":$s,\"writers\":$c,\"exit\":$rc,\"auth\":\"$mode\",\"fsyncs_per_entry\":$([ "$fpe" = - ] && echo null || echo "$fpe"),\"report\":$out}"
	eps=$(json_num entries_per_s "$out")
	mbps=$(json_num mb_per_s "$out")
	p50=$(json_num p50 "$out")
	p99=$(json_num p99 "$out")
	p999=$(json_num p99_9 "$out")
	max=$(json_num max "$out")
	committed=$(json_num committed "$out")
	errs=$(( $(json_num not_committed "$out") + $(json_num unknown "$out") + \
		 $(json_num no_leader "$out") + $(json_num other "$out") + 0 ))
	verify=ok
	if [ "$rc" -ne 0 ]; then
		verify=FAILED
		BENCH_FAILED=$((BENCH_FAILED + 1))
		echo "$out" | grep -o '"problems":\[.*\]' || true
	fi
	row=$(printf '%6s %7s %-13s %9.1f %9.3f %8.2f %8.2f %8.2f %9.2f %6s %6s %4s %7s' \
		"$s" "$c" "$sys" "${eps:-0}" "${mbps:-0}" "${p50:-0}" \
		"${p99:-0}" "${p999:-0}" "${max:-0}" "$errs" "$verify" "$mode" \
		"$fpe")
	echo "$row"
	echo "@@ROW $row"
	[ "${committed:-0}" -gt 0 ] || {
		echo "run $sys $s B x $c committed nothing"
		BENCH_FAILED=$((BENCH_FAILED + 1))
	}
}

# The floors of this boot: a UDP round trip n1 -> n2 (128 B, about a
# 64 B entry's datagram) between two processes that sleep in recv (as
# any client does), the same with both spinning (the network path
# without the emulated vCPUs' wake-ups), and an append + fdatasync on the
# bench disk.
measure_floors() {
	local out pid spin name
	for spin in "" spin; do
		name=udp_rtt${spin:+_spin}
		# shellcheck disable=SC2086
		ip netns exec n2 rtt udp-echo 7999 $spin &
		pid=$!
		sleep 0.5
		# shellcheck disable=SC2086
		out=$(ip netns exec n1 rtt udp-ping 10.99.0.2 7999 2000 128 $spin) ||
			fail "udp round trip not measured"
		kill "$pid"
		wait "$pid" 2>/dev/null || true
		echo "udp round trip (n1 -> n2, 128 B${spin:+, both ends spinning}): $out"
		echo "@@FLOOR $name $out"
	done
	if [ -d "$BENCH_DISK/lost+found" ]; then
		out=$(rtt fsync "$BENCH_DISK" 300 128) ||
			fail "fsync not measured"
		echo "append + fdatasync (128 B, $BENCH_DISK): $out"
		echo "@@FLOOR fsync $out"
	fi
}

guest_main() {
	# shellcheck source=tests/vm/guest-lib.sh
	. /vm/guest-lib.sh
	# shellcheck source=tests/vm/rld-lib.sh
	. /vm/rld-lib.sh
	# The serial console shows escape codes raw: no colour from the tools.
	export NO_COLOR=1
	BENCH_T=$1 BENCH_N=$2
	local sizes=$3 writers=$4 modes=${5:-on} off_writers=${6:-$4}
	local systems=${7:-raftlog} five=${8:-} slow=${9:-} mode ws s c sys
	BENCH_FAILED=0
	BENCH_NODES="1 2 3"

	kcheck_begin
	case " $systems $slow " in
	*-disk*|*etcd*|*slow*)
		mkdir -p "$BENCH_DISK"
		mount -t ext4 /dev/vda "$BENCH_DISK" ||
			fail "no bench disk: cannot mount /dev/vda"
		;;
	esac
	rl_load
	rl_net 3
	rl_ping_all || fail "the namespaces do not reach each other"
	measure_floors
	echo
	printf '%6s %7s %-13s %9s %9s %8s %8s %8s %9s %6s %6s %4s %7s\n' \
		SIZE WRITERS SYSTEM ENTRIES/S MB/S "P50 MS" "P99 MS" "P99.9" \
		"MAX MS" ERRORS VERIFY AUTH FSYNC/E
	for mode in $modes; do
		ws=$writers
		[ "$mode" = on ] || ws=$off_writers
		for s in $sizes; do
			for c in $ws; do
				for sys in $systems; do
					# AUTH off: the kernel alone, memory-only
					[ "$mode" = on ] || [ "$sys" = raftlog ] ||
						continue
					run_point "$sys" "$mode" "$s" "$c"
				done
			done
		done
	done
	# The 5-node line: raftlog memory-only at its busiest point.
	if [ -n "$five" ]; then
		rl_netns_add 4
		rl_netns_add 5
		BENCH_NODES="1 2 3 4 5"
		run_point raftlog-5 on 64 64
		BENCH_NODES="1 2 3"
	fi
	# The slow leader disk: raftlog-disk's busiest and its C=1 point.
	if [ -n "$slow" ]; then
		slow_setup
		run_point raftlog-dm on 64 64
		run_point raftlog-slow on 64 64
		run_point raftlog-dm on 64 1
		run_point raftlog-slow on 64 1
		slow_teardown
	fi
	echo
	rl_destroy
	if grep -q " $BENCH_DISK " /proc/mounts; then
		umount "$BENCH_DISK"
	fi
	kcheck_end
	[ "$BENCH_FAILED" -eq 0 ] || fail "$BENCH_FAILED run(s) failed"
}

if [ "${1:-}" = --guest ]; then
	shift
	guest_main "$@"
	exit 0
fi

# --- host side -----------------------------------------------------------

cd "$(dirname "$0")/../.."

case "${1:-}" in
-h|--help) sed -n '4,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac

# The guest's output without firmware noise and the harness's @@ lines.
vm_console_filter() {
	awk '/@@BOOTED/ { on = 1; next } /^@@/ || /reboot: Power down/ { next }
	     on { print; fflush() }'
}
secs=${BENCH_SECONDS:-10}
entries=${BENCH_ENTRIES:-20000}
sizes=${BENCH_SIZES:-64 1024 16384}
writers=${BENCH_WRITERS:-1 8 64}
modes=${BENCH_AUTH:-on off}
off_writers=${BENCH_OFF_WRITERS:-1 64}
systems=${BENCH_SYSTEMS:-raftlog raftlog-disk raftlogd raftlogd-disk etcd}
for m in $modes; do
	case "$m" in
	on|off) ;;
	*) echo "bench: BENCH_AUTH takes on and off, not '$m'" >&2; exit 2 ;;
	esac
done
for y in $systems; do
	case "$y" in
	raftlog|raftlog-disk|raftlogd|raftlogd-disk|etcd) ;;
	*) echo "bench: BENCH_SYSTEMS takes raftlog raftlog-disk raftlogd raftlogd-disk etcd, not '$y'" >&2
	   exit 2 ;;
	esac
done
nwant=0
for m in $modes; do
	ws=$writers
	nsys=$(wc -w <<<"$systems")
	if [ "$m" != on ]; then
		ws=$off_writers
		case " $systems " in *" raftlog "*) nsys=1 ;; *) nsys=0 ;; esac
	fi
	nwant=$(( nwant + $(wc -w <<<"$sizes") * $(wc -w <<<"$ws") * nsys ))
done
five=""
if [ "${BENCH_FIVE:-1}" = 1 ]; then
	five=five
	nwant=$((nwant + 1))
fi
slow=""
if [ "${BENCH_SLOW:-1}" = 1 ]; then
	slow=slow
	nwant=$((nwant + 4))
fi
out=build/bench.json
console=build/bench-console.log

groups="vm build"
case " $systems " in *" etcd "*) groups="$groups bench" ;; esac
# shellcheck disable=SC2086
tests/deps.sh $groups
nice make --no-print-directory -s -j"$(nproc)" module tools
nice make --no-print-directory -s -C raftlogd raftlogd raftlogc
mkdir -p build
# The data_dirs' file system: ext4 on a virtio disk (its image in the
# host's page cache), inode tables written now so that no lazy init runs
# under the measurements.
disk=build/vm/bench-disk.$$.img
mkdir -p build/vm
trap 'rm -f "$disk"' EXIT
truncate -s 4G "$disk"
mkfs.ext4 -q -F -E lazy_itable_init=0,lazy_journal_init=0 "$disk"
export VM_DISK=$PWD/$disk
extra=""
case " $systems " in *" etcd "*) extra=$(command -v etcd) ;; esac
export VM_EXTRA_BINS=$extra
start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
t_start=$(date +%s)
rc=0
VM_CONSOLE_LOG=$PWD/$console \
	tests/vm/run-in-vm.sh --timeout "${BENCH_TIMEOUT:-$((180 + 60 * nwant + 6 * nwant * secs / 5))}" \
	tests/vm/bench.sh --guest "$secs" "$entries" "$sizes" "$writers" \
	"$modes" "$off_writers" "$systems" "$five" "$slow" |
	vm_console_filter || rc=${PIPESTATUS[0]}
t_total=$(( $(date +%s) - t_start ))

rows=$(grep -o '@@ROW .*' "$console" | sed 's/^@@ROW //') || true
floor() {	# floor NAME FIELD: nothing when that floor was not measured
	{ grep -o "@@FLOOR $1 .*" "$console" | grep -o "\"$2\":[0-9.]*" |
		cut -d: -f2 | head -n 1; } || true
}
udp50=$(floor udp_rtt p50)
spin50=$(floor udp_rtt_spin p50)
fs50=$(floor fsync p50)

# Per point: each system's entries/s and p50, and the ratios.
ratios=$(awk -v udp="${udp50:-0}" -v fs="${fs50:-0}" '
	$12 != "on" && $12 != "-" { next }
	{ k = $1 " " $2; e[k, $3] = $4; p[k, $3] = $6; q[k, $3] = $7
	  if (!(k in seen)) { seen[k] = 1; order[n++] = k } }
	function r(a, b) { return (a > 0 && b > 0) ? sprintf("%.2f", a / b) : "-" }
	END { for (i = 0; i < n; i++) { k = order[i]
		printf "%s %s %s %s %s %s %s %s %s\n", k,
			r(e[k, "raftlog"], e[k, "raftlogd"]),
			r(e[k, "raftlog-disk"], e[k, "raftlogd-disk"]),
			r(e[k, "raftlog-disk"], e[k, "etcd"]),
			r(e[k, "raftlog"], e[k, "etcd"]),
			r(p[k, "raftlog"], p[k, "raftlogd"]),
			r(p[k, "raftlog-disk"], p[k, "raftlogd-disk"]),
			r(e[k, "raftlog-disk"], e[k, "raftlog"]),
			r(q[k, "raftlog-disk"], q[k, "etcd"]) } }' <<<"$rows")

# build/bench.json: where and when, the floors, one object per run, the
# ratios per point.
cpu=$(grep -m 1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//; s/"/\\"/g')
{
	printf '{"date":"%s","host":"%s","cpu":"%s","host_cpus":%s,' \
		"$start" "$(hostname)" "$cpu" "$(nproc)"
	printf '"vm":{"accel":"tcg","smp":%s,"mem_mib":%s,"kernel":"%s","disk":"virtio ext4, cache=writeback"},' \
		"${VM_SMP:-2}" "${VM_MEM:-2048}" \
		"$(basename "$(find /boot -maxdepth 1 -name 'vmlinuz-6.1.*' | sort -V | tail -n 1)")"
	printf '"seconds_per_run":%s,"entries_per_run":%s,"bench_seconds":%s,' \
		"$secs" "$entries" "$t_total"
	printf '"systems":"%s","auth_modes":"%s","off_writers":"%s",' \
		"$systems" "$modes" "$off_writers"
	printf '"floors":{'
	for f in udp_rtt udp_rtt_spin fsync; do
		printf '"%s":%s%s' "$f" \
			"$(grep -o "@@FLOOR $f .*" "$console" | sed "s/^@@FLOOR $f //" | head -n 1 | grep . || echo null)" \
			"$([ $f = fsync ] && echo '},' || echo ,)"
	done
	printf '"runs":['
	grep -o '@@BENCH .*' "$console" | sed 's/^@@BENCH //' | paste -sd, -
	printf '],"ratios":['
	awk '{ printf "%s{\"size\":%s,\"writers\":%s", (NR > 1 ? "," : ""), $1, $2
	       split("raftlog_over_raftlogd raftlog_disk_over_raftlogd_disk raftlog_disk_over_etcd raftlog_over_etcd p50_raftlog_over_raftlogd p50_raftlog_disk_over_raftlogd_disk raftlog_disk_over_raftlog p99_raftlog_disk_over_etcd", n)
	       for (i = 3; i <= 10; i++) printf ",\"%s\":%s", n[i - 2], ($i == "-" ? "null" : $i)
	       printf "}" }' <<<"$ratios"
	printf ']}\n'
} >"$out"

echo
echo "make bench, 3-node clusters in one QEMU/TCG boot ($(nproc) host CPUs: $cpu), $start"
echo "each run: up to $entries entries or $secs s, written on the leader, verified on all nodes"
echo "systems: raftlog (module, memory-only), raftlog-disk (data_dir on the VM's ext4 virtio disk),"
echo "  raftlogd/raftlogd-disk (the same core as a daemon, unix socket, same data_dir setting),"
echo "  raftlog-slow (data_dirs on ext3 over dm-delay over loop files on the disk, the leader's flushes +500 ms;"
echo "  64 B x 64 and x 1) and raftlog-dm (the same stack, no delay)"
echo "  etcd $(etcd --version 2>/dev/null | sed -n 's/^etcd Version: //p') (3 members, data on the same disk, JSON gateway, keep-alive, writes to the leader)"
echo "AUTH on: keyed BLAKE2s on every datagram; off: insecure=1; etcd: plain HTTP, no auth (-)"
echo "floors of this boot: UDP round trip p50 ${udp50:-?} ms (both ends spinning: ${spin50:-?} ms), append+fdatasync p50 ${fs50:-?} ms"
echo
printf '%6s %7s %-13s %9s %9s %8s %8s %8s %9s %6s %6s %4s %7s\n' SIZE WRITERS \
	SYSTEM ENTRIES/S MB/S "P50 MS" "P99 MS" "P99.9" "MAX MS" ERRORS VERIFY \
	AUTH FSYNC/E
echo "$rows"
echo
echo "ratios per point (entries/s unless p50; AUTH on):"
printf '%6s %7s %9s %12s %11s %9s %10s %14s %12s %12s\n' SIZE WRITERS \
	RL/RLD RLDISK/RLDD RLDISK/ETCD RL/ETCD "P50 RL/RLD" "P50 RLDSK/RLDD" \
	RLDISK/RL "P99 RLDSK/ETCD"
awk '{ printf "%6s %7s %9s %12s %11s %9s %10s %14s %12s %12s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10 }' <<<"$ratios"
echo
# Pairs measured both ways: what authentication costs.
awk '$3 == "raftlog" { k = $1 " B x " $2; eps[k, $12] = $4; p50[k, $12] = $6
	  p99[k, $12] = $7; if (!(k in seen)) { seen[k] = 1; order[n++] = k } }
	END { for (i = 0; i < n; i++) { k = order[i]
		if (!((k, "on") in eps) || !((k, "off") in eps)) continue
		if (!hdr++) print "authentication cost (raftlog, on vs off):"
		printf "  %s: entries/s %s on, %s off (on/off %.3f); p50 %s/%s ms, p99 %s/%s ms\n",
			k, eps[k, "on"], eps[k, "off"],
			(eps[k, "off"] > 0 ? eps[k, "on"] / eps[k, "off"] : 0),
			p50[k, "on"], p50[k, "off"], p99[k, "on"], p99[k, "off"] } }' <<<"$rows"
# The issue 14 figures that are read off one row against the floors.
awk -v udp="${udp50:-0}" -v fs="${fs50:-0}" '
	$12 == "on" && $1 == 64 && $2 == 1 && $3 == "raftlog" && udp > 0 {
		printf "raftlog 64 B x 1 p50 %s ms = %.2f x the UDP round trip (%s ms)\n", $6, $6 / udp, udp }
	$12 == "on" && $1 == 64 && $2 == 1 && $3 == "raftlog-disk" && udp + fs > 0 {
		printf "raftlog-disk 64 B x 1 p50 %s ms = %.2f x (round trip + fdatasync, %.3f ms)\n", $6, $6 / (udp + fs), udp + fs }
	$3 == "raftlog" && $1 == 64 && $2 == 64 && $12 == "on" { three = $4 }
	$3 == "raftlog-5" { five = $4 }
	$3 == "raftlog-dm" { dm[$2] = $4; dm50[$2] = $6 }
	$3 == "raftlog-slow" {
		printf "raftlog-slow (leader fsync +500 ms) 64 B x %s: %s entries/s, p50 %s ms, %s leader fsyncs per entry%s\n",
			$2, $4, $6, $13, (dm[$2] > 0 ? sprintf(" (%.2f x raftlog-dm, the same stack undelayed: %s entries/s, p50 %s ms)", $4 / dm[$2], dm[$2], dm50[$2]) : "") }
	END { if (three > 0 && five > 0)
		printf "raftlog 5 nodes / 3 nodes at 64 B x 64: %s / %s entries/s = %.2f\n", five, three, five / three }
	$12 == "on" && $3 == "raftlog-disk" && $13 != "-" {
		printf "raftlog-disk %s B x %s: %s leader fsyncs per committed entry\n", $1, $2, $13 }' <<<"$rows"
echo
echo "JSON: $out   console: $console   bench took ${t_total} s"
nruns=$(grep -c '@@ROW ' "$console" || true)
if [ "$rc" -ne 0 ] || [ "$nruns" -ne "$nwant" ]; then
	echo "bench FAILED (VM exit $rc, $nruns of $nwant runs reported)"
	exit 1
fi
