#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/bench/test.sh: host-side checks of make bench's clients, no VM:
# raftbench drives three local raftlogd through their sockets (unix:PATH)
# and --verify passes, and fails (exit 3) against a daemon whose commits
# never reach readers (raftlogd BREAK=2); rtt measures a UDP round trip
# and an fdatasync; etcdbench (when etcd is installed: tests/deps.sh
# bench) puts and verifies against a local 3-member etcd, and its verify
# fails on a build that checks values against the wrong payload
# (-DETCDBENCH_BREAK). One PASS/FAIL/SKIP line per check, then
# "N passed, N failed"; exit 1 on any failure.
set -u

case "${1:-}" in
-h|--help) sed -n '3,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
"") ;;
*) echo "usage: $0 [-h]" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/bench-test.XXXXXX)
pass=0 fail=0
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
ok() { echo "PASS $*"; pass=$((pass + 1)); }
ko() { echo "FAIL $*"; fail=$((fail + 1)); }

make -s -C "$root/userspace-tools" >/dev/null || ko "build tools"
make -s -C "$root/raftlogd" raftlogd raftlogc >/dev/null || ko "build raftlogd"
make -s -C "$root/raftlogd" BREAK=2 >/dev/null || ko "build raftlogd BREAK=2"
# rtt, etcdbench and etcdbench-broken (-DETCDBENCH_BREAK), into $T
make -s --no-print-directory -C "$root" -f tests/Makefile B="$T" bench ||
	ko "build rtt, etcdbench, etcdbench-broken (tests/Makefile bench)"
RB=$root/userspace-tools/raftbench
port=$((21000 + $$ % 20000))

# daemons BIN: three raftlogd on 127.0.0.1, sockets $T/s1..3
daemons() {
	local k peers="1@127.0.0.1:$port,2@127.0.0.1:$((port + 1)),3@127.0.0.1:$((port + 2))"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/key"
	chmod 600 "$T/key"
	for k in 1 2 3; do
		rm -rf "$T/d$k" "$T/s$k"
		"$1" --id "$k" --peers "$peers" --data-dir "$T/d$k" \
			--key-file "$T/key" --socket "$T/s$k" 2>>"$T/log$k" &
		pids+=($!)
	done
	for _ in $(seq 100); do
		"$root/raftlogd/raftlogc" "$T/s1" status 2>/dev/null |
			grep -q 'leader=[1-9]' && return 0
		sleep 0.1
	done
	return 1
}
stop_daemons() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	pids=()
	port=$((port + 3))
}

if daemons "$root/raftlogd/raftlogd"; then
	if "$RB" -d "unix:$T/s1" -c 4 -n 400 --no-progress \
		--verify "unix:$T/s1" "unix:$T/s2" "unix:$T/s3" >"$T/out" 2>&1 &&
	   grep -q '^verify: OK: 400 acknowledged' "$T/out"; then
		ok "raftbench through raftlogd sockets, verified on 3"
	else
		ko "raftbench through raftlogd sockets: $(tail -n 3 "$T/out")"
	fi
	"$RB" -d "unix:$T/s1" --json -n 10 --no-progress >"$T/json" 2>&1 &&
		grep -q '"committed":10' "$T/json" && ok "raftbench --json on a socket" ||
		ko "raftbench --json on a socket: $(head -c 200 "$T/json")"
	"$RB" -d "unix:$T/none" -n 1 >/dev/null 2>&1
	[ $? = 1 ] && ok "raftbench on a missing socket exits 1" ||
		ko "raftbench on a missing socket does not exit 1"
else
	ko "three raftlogd elect no leader"
fi
stop_daemons
if daemons "$root/raftlogd/raftlogd-break2"; then
	"$RB" -d "unix:$T/s1" -n 50 --no-progress --verify-timeout 3 \
		--verify "unix:$T/s1" "unix:$T/s2" >"$T/out" 2>&1
	rc=$?
	[ "$rc" = 3 ] && ok "raftbench --verify fails on raftlogd BREAK=2" ||
		ko "raftbench --verify on raftlogd BREAK=2 exited $rc, not 3"
else
	ko "raftlogd BREAK=2 elects no leader"
fi
stop_daemons

"$T/rtt" udp-echo $port &
pids+=($!)
sleep 0.2
"$T/rtt" udp-ping 127.0.0.1 $port 200 128 | grep -q '"n":200,"p50":' &&
	ok "rtt udp-ping" || ko "rtt udp-ping"
stop_daemons
"$T/rtt" fsync "$T" 20 128 | grep -q '"n":20,"p50":' && ok "rtt fsync" ||
	ko "rtt fsync"
"$T/rtt" udp-ping 127.0.0.1 >/dev/null 2>&1
[ $? = 2 ] && ok "rtt usage exits 2" || ko "rtt usage does not exit 2"

if command -v etcd >/dev/null; then
	ic="" eps=""
	for k in 1 2 3; do
		ic="$ic${ic:+,}m$k=http://127.0.0.1:$((port + 10 + k))"
		eps="$eps -e 127.0.0.1:$((port + 20 + k))"
	done
	for k in 1 2 3; do
		etcd --name "m$k" --data-dir "$T/e$k" \
			--listen-peer-urls "http://127.0.0.1:$((port + 10 + k))" \
			--initial-advertise-peer-urls "http://127.0.0.1:$((port + 10 + k))" \
			--listen-client-urls "http://127.0.0.1:$((port + 20 + k))" \
			--advertise-client-urls "http://127.0.0.1:$((port + 20 + k))" \
			--initial-cluster "$ic" --initial-cluster-state new \
			--logger zap --log-level error >>"$T/etcd$k.log" 2>&1 &
		pids+=($!)
	done
	for _ in $(seq 100); do
		# shellcheck disable=SC2086
		"$T/etcdbench" $eps --which-leader >/dev/null 2>&1 && break
		sleep 0.2
	done
	# shellcheck disable=SC2086
	if "$T/etcdbench" $eps --to-leader -c 4 -n 300 --verify >"$T/out" 2>&1 &&
	   grep -q '^verify: OK: 300 acknowledged' "$T/out"; then
		ok "etcdbench puts and verifies on 3 etcd members"
	else
		ko "etcdbench: $(tail -n 3 "$T/out")"
	fi
	# shellcheck disable=SC2086
	"$T/etcdbench-broken" $eps -n 20 --verify >"$T/out" 2>&1
	rc=$?
	[ "$rc" = 3 ] && ok "etcdbench --verify fails on a broken build" ||
		ko "etcdbench -DETCDBENCH_BREAK --verify exited $rc, not 3"
	stop_daemons
else
	echo "SKIP etcdbench (no etcd: tests/deps.sh bench)"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
