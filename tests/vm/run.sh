#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make test-vm: build raftlog.ko and the tools, boot the stock Debian
# kernel under QEMU and run every cluster scenario (tests/vm/scenarios/)
# in as few boots as possible. One line per scenario, then
# "N passed, N failed"; exit status 1 if any failed.
#
#   tests/vm/run.sh [-v] [--panic-on-warn] [SCENARIO...]
#   -v   stream the whole guest console (default: only failures' output)
#   --panic-on-warn  boot with panic_on_warn=1 (also VM_PANIC_ON_WARN=1):
#        the first kernel WARNING stops the guest there, and the scenario
#        running fails with that warning as its reason
# By default: every scenario in tests/vm/scenarios/, the basic ones first
# (in the order of FIRST in this script), the rest by name, teardown last.
# A scenario whose header calls itself "(guest side)" is run by the first
# tests/vm/*.sh its header names (a host driver that boots its own VMs and
# prints "PASS|FAIL NAME ...").
# Environment: VM_KERNEL, VM_MODDIR, VM_MODULE, VM_SMP, VM_APPEND (see
# lib.sh); SCENARIO_LIMIT seconds per scenario (default 300).
set -euo pipefail

# The basic scenarios, run first in this order.
FIRST="election replicate forward leader-loss split-vote brain-split
	lossy-network bad-packets bad-calls"

here=$(cd "$(dirname "$0")" && pwd)

all_scenarios() {
	local f n extra=""
	for f in "$here"/scenarios/*.sh; do
		n=$(basename "$f" .sh)
		case " $(echo $FIRST) teardown " in
		*" $n "*) ;;
		*) extra="$extra $n" ;;
		esac
	done
	echo $FIRST $extra teardown
}

# The host driver of a "(guest side)" scenario, if it is one.
driver_of() {
	local f=$here/scenarios/$1.sh
	[ -f "$f" ] && sed -n '1,8p' "$f" | grep -q '(guest side)' || return 1
	sed -n '1,12p' "$f" | grep -oE 'tests/vm/[A-Za-z0-9_-]+\.sh' | head -n 1
}

usage() {
	sed -n '3,20p' "$0" | sed 's/^# \{0,1\}//'
	echo "scenarios: $(all_scenarios)"
}

verbose=0
while [ $# -gt 0 ]; do
	case "$1" in
	-v) verbose=1; shift ;;
	--panic-on-warn) VM_PANIC_ON_WARN=1; shift ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; exit 2 ;;
	*) break ;;
	esac
done
scenarios=${*:-$(all_scenarios)}
cd "$here/../.."
"$here/../deps.sh" vm build
# shellcheck source=tests/vm/lib.sh
. "$here/lib.sh"
if [ "${VM_PANIC_ON_WARN:-0}" = 1 ]; then
	# exported: the host drivers boot their own VMs through lib.sh
	export VM_APPEND="${VM_APPEND:+$VM_APPEND }panic_on_warn=1"
	echo "vm: booting with panic_on_warn=1" >&2
fi

# The kernel WARNING that panic_on_warn=1 turned into a panic, if any, in
# console log $1 (lib.sh boots with panic=-1: the guest then stops).
warn_panic() {
	local rip
	grep -q 'panic_on_warn set' "$1" 2>/dev/null || return 1
	grep -m1 -oE 'WARNING: .*' "$1" && return 0
	rip=$(grep -m1 -oE 'RIP: [0-9a-f]+:.*' "$1" | cut -d' ' -f3-)
	echo "WARNING at ${rip:-an unknown place}"
}

mkdir -p "$VM_BUILD"
if [ -z "${VM_MODULE:-}" ]; then
	nice make --no-print-directory module >"$VM_BUILD/module.log" 2>&1 || {
		tail -n 30 "$VM_BUILD/module.log"
		for s in $scenarios; do
			echo "FAIL $s (0.0 s): make module failed"
		done
		echo "0 passed, $(echo $scenarios | wc -w) failed"
		exit 1
	}
fi
if ! nice make --no-print-directory tools >"$VM_BUILD/tools.log" 2>&1; then
	echo "vm: warning: make tools failed (scenarios do not need them)" >&2
fi
vm_build_helpers
vm_build_initramfs

limit=${SCENARIO_LIMIT:-300}
export SCENARIO_LIMIT=$limit
declare -A result reason secs
remaining=""
hosted=""
for s in $scenarios; do
	if driver_of "$s" >/dev/null; then
		hosted="$hosted $s"
	else
		remaining="$remaining $s"
	fi
done
boots=0
while [ -n "$(echo $remaining)" ] && [ "$boots" -lt 4 ]; do
	boots=$((boots + 1))
	n=$(echo $remaining | wc -w)
	VM_TIMEOUT=120
	for s in $remaining; do
		l=$(sed -n 's/^# limit: \([0-9]*\)$/\1/p' \
			"$here/scenarios/$s.sh" 2>/dev/null) || true
		VM_TIMEOUT=$(( VM_TIMEOUT + ${l:-$limit} + 60 ))
	done
	VM_CONSOLE_LOG=$VM_BUILD/console-$boots.log
	rc=0
	if [ "$verbose" = 1 ]; then
		vm_boot "$here/run-scenarios.sh" SCENARIO_LIMIT="$limit" $remaining || rc=$?
	else
		vm_boot "$here/run-scenarios.sh" SCENARIO_LIMIT="$limit" $remaining >/dev/null || rc=$?
	fi
	log=$VM_CONSOLE_LOG
	while read -r _ verdict name t rest; do
		result[$name]=$verdict
		secs[$name]=$t
		reason[$name]=$rest
		if [ "$verdict" = FAIL ] && [ "$verbose" = 0 ]; then
			grep -E "^\[$name\] " "$log" | tail -n 60 >&2 || true
		fi
	done < <(grep -E '^@@RESULT ' "$log")
	# A scenario that started and never reported took the VM down.
	started=$(grep -E '^@@START ' "$log" | tail -n 1 | awk '{print $2}')
	if [ -n "$started" ] && [ -z "${result[$started]:-}" ]; then
		result[$started]=FAIL
		secs[$started]=?
		reason[$started]="the VM died or hung in it (exit $rc, see $log)"
		if w=$(warn_panic "$log"); then
			reason[$started]="a kernel warning, with panic_on_warn=1: $w (see $log)"
		fi
		grep -vE '^@@' "$log" | tail -n 60 >&2
	fi
	next=""
	for s in $remaining; do
		[ -n "${result[$s]:-}" ] || next="$next $s"
	done
	if [ "$(echo $next | wc -w)" -eq "$n" ]; then
		# No progress at all: the VM does not boot or run.
		grep -vE '^@@' "$log" | tail -n 30 >&2
		for s in $next; do
			result[$s]=FAIL
			secs[$s]=0.0
			reason[$s]="the VM ran no scenario (exit $rc, see $log)"
		done
		next=""
	fi
	remaining=$next
done

# Host-driven scenarios, each with its own VMs.
for s in $hosted; do
	d=$(driver_of "$s")
	line=$("$VM_SRC/$d" 2>&1 | tee "$VM_BUILD/$s.log" |
	       grep -E "^(PASS|FAIL) $s " | tail -n 1) || true
	case "$line" in
	"PASS $s ("*) result[$s]=PASS ;;
	*) result[$s]=FAIL ;;
	esac
	t=$(echo "$line" | sed -nE 's/^[A-Z]+ [^ ]+ \(([^ ]+) s\).*/\1/p')
	secs[$s]=${t:-?}
	reason[$s]=$(echo "$line" | sed -nE 's/^FAIL [^:]*: //p')
	[ -n "$line" ] || reason[$s]="$d printed no result (see $VM_BUILD/$s.log)"
done

pass=0
fail=0
for s in $scenarios; do
	v=${result[$s]:-FAIL}
	if [ "$v" = PASS ]; then
		pass=$((pass + 1))
		echo "PASS $s (${secs[$s]} s)"
	else
		fail=$((fail + 1))
		echo "FAIL $s (${secs[$s]:-?} s): ${reason[$s]:-not run}"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
