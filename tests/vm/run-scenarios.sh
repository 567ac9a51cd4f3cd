#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest script: run the named scenarios (/vm/scenarios/NAME.sh) one after
# another in this VM. Each runs in its own session with a time limit, its
# output copied to the console prefixed with "[NAME] ". A kernel oops or
# BUG ends it at once. Afterwards every process it left is killed, every
# instance and namespace removed, and the kernel log and taint checked.
# Prints per scenario:
#   @@START NAME
#   @@RESULT PASS|FAIL NAME SECONDS [reason]
# and "@@HUNG NAME" (then stops) when a scenario or its cleanup cannot be
# ended: the host boots a fresh VM for the rest. The limit per scenario is
# SCENARIO_LIMIT seconds (environment), default 300, unless the scenario
# has a "# limit: SECONDS" line.
#
# Under a kernel with kmemleak (the debug kernel of make test-kunit), after
# the last scenario a leak scan must find nothing, and again after
# raftlog.ko is unloaded:
#   @@UNLOAD PASS|FAIL [reason]
# A leak shows there with the backtrace of its allocation, whichever
# scenario made it. Not a scan per scenario: a scan takes about 30 s
# there, and kmemleak's own periodic scan is turned off for the same
# reason (it would land in the middle of a scenario and slow it). Each
# scan waits first: kmemleak passes over objects younger than 5 s.
set -uo pipefail
. /vm/guest-lib.sh

default_limit=${SCENARIO_LIMIT:-300}
printed=0

# Copy the scenario's new output lines to the console.
flush_out() {
	local name=$1 out=$2 line n=0
	while IFS= read -r line; do
		n=$((n + 1))
		[ "$n" -gt "$printed" ] || continue
		printf '[%s] %s\n' "$name" "$line"
	done <"$out"
	printed=$n
}

# The reason for a failure: the scenario's last "FAIL: " line.
reason_of() {
	local r
	r=$(grep -E '^FAIL: ' "$1" | tail -n 1 | cut -c7-)
	echo "${r:-exit status $2}"
}

# Wait up to $2 seconds for process $1 to end.
wait_gone() {
	local i
	for i in $(seq 1 $(($2 * 10))); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.1
	done
	return 1
}

# The kernel has oopsed, BUGged or panicked since kcheck_begin.
kernel_broken() {
	dmesg | grep -E 'BUG:|Oops|general protection|Kernel panic|kernel BUG' \
		>/dev/null
}

KL=/sys/kernel/debug/kmemleak

# Prints what two scans in a row find and returns 1 if they find
# anything. It first waits until everything is old enough to count, and
# scans twice: kmemleak passes over an object whose contents changed since
# the scan before (a new one, too), and a pointer only in flight during
# one scan cannot hide a leak twice.
leak_scan() {
	local out
	[ -w "$KL" ] || return 0
	sleep 6
	echo scan >"$KL"
	echo scan >"$KL"
	out=$(cat "$KL")
	[ -z "$out" ] && return 0
	printf '%s\n' "$out" | head -n 80
	echo clear >"$KL"
	return 1
}

# Unload the module and check nothing is left behind (debug kernel only).
# The scenarios' leaks are read while raftlog.ko is still loaded, so that
# their backtraces name its functions; then what unloading left.
unload_check() {
	local reason="" report bad
	[ -w "$KL" ] || return 0
	dmesg -c >/dev/null
	if ! report=$(leak_scan); then
		reason="kmemleak after the scenarios"
		printf '%s\n' "$report" | sed 's/^/[unload] /'
	fi
	if grep -q '^raftlog ' /proc/modules; then
		rmmod raftlog || reason="${reason:+$reason; }rmmod raftlog failed"
	fi
	if ! report=$(leak_scan); then
		reason="${reason:+$reason; }kmemleak after rmmod"
		printf '%s\n' "$report" | sed 's/^/[unload] /'
	fi
	bad=$(dmesg | grep -E "$RL_BAD_KLOG" | head -n 5) || true
	if [ -n "$bad" ]; then
		reason="${reason:+$reason; }kernel log: $(echo "$bad" | head -n 1)"
		dmesg | sed 's/^/[unload] /'
	fi
	if [ -n "$reason" ]; then
		echo "@@UNLOAD FAIL $reason"
	else
		echo "@@UNLOAD PASS"
	fi
}

hung() {
	echo "--- blocked tasks ---"
	echo w >/proc/sysrq-trigger
	sleep 1
	dmesg | tail -n 80
	echo "@@HUNG $1"
	exit 0
}

# Leading VAR=VALUE arguments (from the host) set the environment.
while [ $# -gt 0 ] && [[ "$1" == [A-Z_]*=* ]]; do
	export "${1?}"
	shift
done
default_limit=${SCENARIO_LIMIT:-300}
if [ -w "$KL" ]; then
	echo scan=off >"$KL"
	echo scan >"$KL"	# what booting left is not ours
	echo clear >"$KL"
fi

for name in "$@"; do
	script=/vm/scenarios/$name.sh
	out=$RL_TMP/scenario-$name.log
	: >"$out"
	printed=0
	# A scenario may ask for more time with a "# limit: SECONDS" line.
	limit=$(sed -n 's/^# limit: \([0-9]*\)$/\1/p' "$script" 2>/dev/null)
	limit=${limit:-$default_limit}
	echo "@@START $name"
	tick_now
	t0=$NOW
	kcheck_begin
	rc=0
	if [ ! -f "$script" ]; then
		echo "FAIL: no scenario $name" >"$out"
		rc=2
	else
		setsid bash "$script" >"$out" 2>&1 </dev/null &
		pid=$!
		polls=0
		while kill -0 "$pid" 2>/dev/null; do
			sleep 0.5
			flush_out "$name" "$out"
			polls=$((polls + 1))
			tick_now
			if [ $((NOW - t0)) -gt $((limit * 1000)) ]; then
				echo "FAIL: timed out after ${limit}s" >>"$out"
				break
			fi
			if [ $((polls % 4)) = 0 ] && kernel_broken; then
				echo "FAIL: kernel oops/BUG during the scenario" >>"$out"
				break
			fi
		done
		if kill -0 "$pid" 2>/dev/null; then
			rc=1
			kill -KILL -- "-$pid" 2>/dev/null
			wait_gone "$pid" 10 || { flush_out "$name" "$out"; hung "$name"; }
		fi
		wait "$pid"
		r=$?
		[ "$rc" -ne 0 ] || rc=$r
		flush_out "$name" "$out"
	fi
	# Nothing the scenario started may keep a device open or a namespace
	# alive; then tear everything down (a hang here is a failure too).
	pids=$(ps -o pid,sid | awk -v s="${pid:-0}" '$2 == s {print $1}')
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
	rl_destroy >>"$out" 2>&1 &
	cpid=$!
	wait_gone "$cpid" 60 || { flush_out "$name" "$out"; hung "$name"; }
	krc=0
	kout=$(kcheck_end 2>&1) || krc=$?
	if [ "$krc" -ne 0 ]; then
		printf '%s\n' "$kout" | sed "s/^/[$name] /"
		printf '%s\n' "$kout" >>"$out"
		[ "$rc" -ne 0 ] || rc=1
	fi
	tick_now
	secs=$(awk -v a="$t0" -v b="$NOW" 'BEGIN{printf "%.1f", (b-a)/1000}')
	if [ "$rc" -eq 0 ]; then
		echo "@@RESULT PASS $name $secs"
	else
		echo "@@RESULT FAIL $name $secs $(reason_of "$out" "$rc")"
	fi
	if kernel_broken; then
		# A broken kernel would fail everything after: reboot.
		echo "@@REBOOT after $name"
		exit 0
	fi
done
unload_check
exit 0
