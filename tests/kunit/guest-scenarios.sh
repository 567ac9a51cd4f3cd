#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest script for the cluster scenarios under the debug kernel
# (tests/kunit/run.sh runs it through tests/vm/run-in-vm.sh). Runs each
# named scenario with tests/vm/run-scenarios.sh, which already fails a
# scenario on any kernel warning, report or taint; after each one's
# instances and namespaces are torn down it adds a kmemleak scan:
#   @@LEAK NAME        followed by the report, when the scan found any
# and after the last one it unloads raftlog.ko and checks again:
#   @@UNLOAD PASS|FAIL [reason]
set -uo pipefail
. /vm/guest-lib.sh

KL=/sys/kernel/debug/kmemleak

# Prints the report and returns 1 when a scan finds anything new.
leak_scan() {
	local out
	sleep 6		# kmemleak ignores objects younger than 5 s
	echo scan >"$KL"
	echo scan >"$KL"
	out=$(cat "$KL")
	[ -z "$out" ] && return 0
	printf '%s\n' "$out" | head -n 80
	echo clear >"$KL"
	return 1
}

if [ ! -w "$KL" ]; then
	echo "@@ERROR no $KL: not the debug kernel?"
	exit 1
fi
echo scan >"$KL"
echo clear >"$KL"

for name in "$@"; do
	/vm/run-scenarios.sh "$name"
	if ! report=$(leak_scan); then
		echo "@@LEAK $name"
		printf '%s\n' "$report" | sed "s/^/[$name] /"
	fi
done

# The module itself must unload cleanly and leave nothing behind.
dmesg -c >/dev/null
reason=""
if grep -q '^raftlog ' /proc/modules; then
	rmmod raftlog || reason="rmmod raftlog failed"
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
if [ -z "$reason" ]; then
	echo "@@UNLOAD PASS"
else
	echo "@@UNLOAD FAIL $reason"
fi
exit 0
