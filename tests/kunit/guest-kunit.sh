#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest script for the debug kernel's KUnit boot (tests/kunit/run.sh runs
# it through tests/vm/run-in-vm.sh, passing raftlog_kunit.ko as the VM's
# module, so it sits at /vm/raftlog.ko). Loading the module runs every
# suite; unloading it must leave nothing behind. Dumps, between markers,
# the kernel log (KTAP and any report) and what a kmemleak scan found;
# the host judges both.
set -uo pipefail

KL=/sys/kernel/debug/kmemleak
KO=/vm/raftlog.ko

if [ ! -w "$KL" ]; then
	echo "@@ERROR no $KL: not the debug kernel?"
	exit 1
fi
# kmemleak's periodic scan (its first is a minute after boot) would take
# about 30 s in the middle of the suites: off; the scans below are ours.
# Whatever boot left unreferenced is not ours: scan once, then forget it.
echo scan=off >"$KL"
echo scan >"$KL"
echo clear >"$KL"
echo "@@BOOTLOG-BEGIN"
dmesg -c
echo "@@BOOTLOG-END"

t0=$(cut -d' ' -f1 /proc/uptime)
insmod "$KO"
echo "@@INSMOD $?"
t1=$(cut -d' ' -f1 /proc/uptime)
echo "@@KUNIT-SECONDS $(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')"
rmmod raftlog_kunit
echo "@@RMMOD $?"

# kmemleak reports only objects older than 5 s, found unreferenced twice.
sleep 6
echo scan >"$KL"
echo scan >"$KL"
echo "@@DMESG-BEGIN"
dmesg
echo "@@DMESG-END"
echo "@@KMEMLEAK-BEGIN"
cat "$KL"
echo "@@KMEMLEAK-END"
exit 0
