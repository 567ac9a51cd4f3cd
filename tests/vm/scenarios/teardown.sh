#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# limit: 600
#
# teardown: ten times over (three under the debug kernel), a three-node
# cluster under load is torn down.
# Node 1 is the module-parameter instance (/dev/raftlog, root namespace,
# 10.99.0.1 on the bridge); nodes 2 and 3 are configfs instances in their
# own namespaces. All three run with insecure=1: the guest has no keyctl
# to put a key in the keyring for the module parameter (keys.sh tests
# key=logon:DESC with a helper of its own). Each node has two writers and a reader running (writers
# blocked on commits, readers blocked at the end of the log) and 5 ms of
# delay keeps packets in flight. Then, in turn, nodes 2 and 3 are
#   - disabled (echo 0 > enabled) and then removed,
#   - removed while enabled (rmdir),
#   - or lose their network namespace (ip netns del), then removed;
# every caller on them must end with ESHUTDOWN within 15 s (a write may
# fail otherwise first, e.g. ETIMEDOUT when the leader it was forwarded to
# vanished; the writers go on until ESHUTDOWN). rmmod with node 1's files
# still open must fail (the files pin the module) and change nothing;
# SIGUSR1 must get node 1's blocked callers out with EINTR;
# then rmmod must succeed while garbage datagrams still pour in at node
# 1's port. After each round the kernel log must be clean.
set -euo pipefail
. /vm/guest-lib.sh

# Ten rounds on the stock kernel; three under the debug kernel (lockdep:
# /proc/lockdep), one for each way of tearing down, where a round takes
# about a minute and make test's time budget holds the debug pass to a
# representative subset.
if [ -e /proc/lockdep ]; then
	ROUNDS=${TEARDOWN_ROUNDS:-3}
else
	ROUNDS=${TEARDOWN_ROUNDS:-10}
fi
log "$ROUNDS rounds"
S1=$RL_SYS/raftlog
PEERS=$(rl_peers 3)

# Earlier scenarios leave the module loaded without parameters.
if rl_module_loaded; then
	rmmod raftlog || fail "cannot unload the module left by earlier scenarios"
fi
rl_bridge_up
ip addr add 10.99.0.1/24 dev br0

# Leader agreed by node 1 (param instance) and nodes 2, 3.
agreed() {
	local r1 l1 t1 l t
	read -r r1 <"$S1/role" && read -r l1 <"$S1/leader" &&
		read -r t1 <"$S1/term" || return 1
	[ "$l1" != 0 ] || return 1
	for k in 2 3; do
		rl_rd l "$k" leader 2>/dev/null && rl_rd t "$k" term 2>/dev/null ||
			return 1
		[ "$l" = "$l1" ] && [ "$t" = "$t1" ] || return 1
	done
}

# all_gone PID...: every process ended.
all_gone() {
	local p
	for p in "$@"; do
		kill -0 "$p" 2>/dev/null && return 1
	done
	return 0
}

# The error a caller's output ends with ("END ERR n" or "ERR entry ms").
caller_error() {
	local f=$1
	if [ "${f##*.}" = r ]; then
		awk '$1 == "END" {print $2}' "$f"
	else
		grep -vE '^(OK|DONE) ' "$f" | tail -n 1 | awk '{print $1}'
	fi
}

for i in $(seq 1 "$ROUNDS"); do
	v=$(( (i - 1) % 3 ))
	kcheck_begin
	insmod "$RL_KO" id=1 peers="$PEERS" cluster_id=99 \
		commit_timeout_ms=3000 insecure=1 ||
		fail "round $i: insmod with parameters"
	grep -q ' /sys/kernel/config ' /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config
	for k in 2 3; do
		[ -e "/run/netns/n$k" ] || rl_netns_add "$k"
		rl_netem "$k" delay 5ms
		rl_create "$k" 3 commit_timeout_ms=3000 insecure=1
		rl_start "$k"
	done
	wait_until 15 agreed || { rl_show 2 3; fail "round $i: no leader"; }

	rm -f "$RL_TMP"/td.*
	callers1=""
	callers23=""
	for d in raftlog raftlog-n2 raftlog-n3; do
		for w in a b; do
			stop=ESHUTDOWN
			[ "$d" != raftlog ] || stop=EINTR
			probe --stop-on "$stop" writer "/dev/$d" "r$i$w-$d" \
				100000 >"$RL_TMP/td.$d.w$w" 2>&1 &
			[ "$d" = raftlog ] && callers1="$callers1 $!" ||
				callers23="$callers23 $!"
		done
		probe reader "/dev/$d" >"$RL_TMP/td.$d.r" 2>&1 &
		[ "$d" = raftlog ] && callers1="$callers1 $!" ||
			callers23="$callers23 $!"
	done
	sleep 2
	ok=$(cat "$RL_TMP"/td.*.w* | grep -c '^OK ') || true
	[ "$ok" -gt 0 ] || fail "round $i: no write succeeded under load"

	case $v in
	0) how="disable"; rl_stop 2; rl_stop 3 ;;
	1) how="rmdir"; rmdir "$RL_CFS/n2" "$RL_CFS/n3" ;;
	2) how="netns del"; ip netns del n2; ip netns del n3 ;;
	esac
	wait_until 15 all_gone $callers23 || {
		ps
		fail "round $i ($how): callers on nodes 2 and 3 still blocked after 15 s"
	}
	for f in "$RL_TMP"/td.raftlog-n*; do
		odd=$(grep -vE '^(OK|DONE|END|ETIMEDOUT|ENOTCONN|ECANCELED|EBUSY|ESHUTDOWN) ' "$f" |
		      head -n 1) || true
		[ -z "$odd" ] || fail "round $i ($how): ${f##*/td.}: $odd"
		e=$(caller_error "$f")
		[ "$e" = ESHUTDOWN ] ||
			fail "round $i ($how): ${f##*/td.} ended with '$e', not ESHUTDOWN: $(tail -n 2 "$f")"
	done
	for k in 2 3; do
		[ ! -d "$RL_CFS/n$k" ] || rmdir "$RL_CFS/n$k" ||
			fail "round $i ($how): rmdir n$k failed"
	done
	[ ! -e /dev/raftlog-n2 ] && [ ! -e /dev/raftlog-n3 ] ||
		fail "round $i ($how): device nodes left behind"

	if rmmod raftlog 2>/dev/null; then
		fail "round $i: rmmod succeeded with node 1's files open"
	fi
	rl_module_loaded || fail "round $i: module gone after a failed rmmod"
	read -r t1 <"$S1/term" || fail "round $i: node 1 unusable after failed rmmod"

	# A writer between two writes misses the signal: send it again.
	for s in $(seq 1 15); do
		all_gone $callers1 && break
		kill -USR1 $callers1 2>/dev/null || true
		sleep 1
	done
	all_gone $callers1 || fail "round $i: node 1's callers ignore SIGUSR1"
	for f in "$RL_TMP"/td.raftlog.*; do
		e=$(caller_error "$f")
		[ "$e" = EINTR ] ||
			fail "round $i: ${f##*/td.} ended with '$e', not EINTR: $(tail -n 2 "$f")"
	done

	[ -e /run/netns/n2 ] || rl_netns_add 2
	ip netns exec n2 badpkt attack 10.99.0.1 7070 99 "$t1" 2 1 20000 "$i" \
		>/dev/null 2>&1 &
	flood=$!
	sleep 0.3
	timeout 30 rmmod raftlog || fail "round $i: rmmod under load failed"
	kill "$flood" 2>/dev/null || true
	wait "$flood" 2>/dev/null || true
	[ ! -e /dev/raftlog ] && [ ! -d "$RL_SYS" ] ||
		fail "round $i: /dev/raftlog or $RL_SYS left after rmmod"
	kcheck_end
	log "round $i ($how): $ok writes, clean teardown and rmmod"
done
