#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# interop: one cluster of two kernel nodes (n1, n2) and one raftlogd (n3),
# each on its data_dir. raftbench writes through each node and --verify
# reads every node's log; the leader moves from a kernel node to the
# daemon (the kernel leader stopped; the daemon's election timeout is the
# shorter one) and back (the daemon stopped, then restarted on its
# directory, catching up). Then n2's data directory moves from the kernel
# to a raftlogd started on it, and back to the kernel: each time the node
# comes up with the log it had, takes writes, and all three committed logs
# are identical. Needs raftlogd in the VM (tests/vm/lib.sh builds it).
# limit: 180
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh
. /vm/rld-lib.sh

# Kernel nodes wait longer before an election than the daemon, so that a
# dead kernel leader is replaced by the daemon, not by the other kernel
# node; heartbeats (50 ms) are the same everywhere.
K_ELECTION=600
D_ELECTION=150
declare -A KIND=([1]=k [2]=k [3]=d)

ix_dev() {
	if [ "${KIND[$1]}" = k ]; then echo "n$1"; else echo "unix:$(rld_sock "$1")"; fi
}

# ix_state K: "ROLE TERM LEADER LAST" of node K, either kind (role as
# the uapi numbers it: 3 leader).
ix_state() {
	local r t l i
	if [ "${KIND[$1]}" = k ]; then
		rl_rd r "$1" role 2>/dev/null || return 1
		rl_rd t "$1" term || return 1
		rl_rd l "$1" leader || return 1
		rl_rd i "$1" last_index || return 1
		[ "$r" = leader ] && r=3
		echo "$r $t $l $i"
	else
		echo "$(rld_field "$1" role) $(rld_field "$1" term)" \
		     "$(rld_field "$1" leader) $(rld_field "$1" last_index)"
	fi
}

# ix_agreed K...: LEADER set when the nodes name one leader in one term
# and it is one of them and leads.
ix_agreed() {
	local k r t l i leader="" term="" lr=""
	LEADER=0
	for k in "$@"; do
		read -r r t l i <<<"$(ix_state "$k")" || return 1
		[ -n "$l" ] && [ "$l" != 0 ] || return 1
		[ -z "$leader" ] || [ "$l" = "$leader" ] || return 1
		[ -z "$term" ] || [ "$t" = "$term" ] || return 1
		leader=$l term=$t
		[ "$k" = "$l" ] && lr=$r
	done
	[ "$lr" = 3 ] || return 1
	LEADER=$leader
}

ix_wait_leader() {
	local s=$1
	shift
	wait_until "$s" ix_agreed "$@" || {
		for k in "$@"; do echo "  n$k (${KIND[$k]}): $(ix_state "$k")"; done
		fail "no agreed leader among $* within $s s"
	}
}

# ix_bench K [VERIFY...]: 60 entries through node K, 4 writers, verified
# on the VERIFY nodes (default all three).
ix_bench() {
	local k=$1 v="" n out
	shift
	for n in ${*:-1 2 3}; do v="$v $(ix_dev "$n")"; done
	# shellcheck disable=SC2086
	out=$(raftbench -d "$(ix_dev "$k")" -n 60 -c 4 --no-progress \
		--verify $v --verify-timeout 30 2>&1) || {
		echo "$out"
		fail "raftbench through n$k (${KIND[$k]}) verified on$v failed"
	}
	log "60 writes through n$k (${KIND[$k]}): $(echo "$out" | grep '^verify:' | cut -c1-60)"
}

# ix_logs_identical K...: every node's committed log (raftctl tail, either
# kind) is the same.
ix_logs_identical() {
	local k
	for k in "$@"; do
		raftctl tail "$(ix_dev "$k")" >"$RL_TMP/ix.$k" ||
			fail "raftctl tail $(ix_dev "$k") failed"
	done
	for k in "$@"; do
		cmp -s "$RL_TMP/ix.$1" "$RL_TMP/ix.$k" || {
			diff "$RL_TMP/ix.$1" "$RL_TMP/ix.$k" | head -n 5
			return 1
		}
	done
}

# ix_last K: node K's last log index.
ix_last() {
	local r t l i
	read -r r t l i <<<"$(ix_state "$1")"
	echo "$i"
}

rl_load
rl_net 3
# fresh directories: an earlier scenario of the boot may have left its logs
rm -rf "$(dl_dir 1)" "$(dl_dir 2)" "$(dl_dir 3)"
for k in 1 2; do
	dl_create "$k" 3 election_timeout_ms=$K_ELECTION
	rl_start "$k"
done
# the kernel pair (a majority) elects first; the daemon joins as follower
rl_wait_leader 20 1 2 || fail "no kernel leader"
mkdir -p "$(dl_dir 3)"
rld_start 3 3 --data-dir "$(dl_dir 3)" --election-timeout-ms $D_ELECTION
ix_wait_leader 20 1 2 3
log "n$LEADER (${KIND[$LEADER]}) leads a cluster of kernel n1, n2 and raftlogd n3"

for k in 1 2 3; do ix_bench "$k"; done

# The leader moves to the daemon: the kernel leader stops. The daemon's
# shorter timeout makes it the likely winner, not a certain one (the other
# kernel node refuses its pre-votes while its own lease on the old leader
# runs): when the other kernel node wins, the stopped one comes back and
# the new kernel leader is stopped instead, up to 6 times.
for try in 1 2 3 4 5 6; do
	old=$LEADER
	[ "${KIND[$old]}" = k ] || fail "expected a kernel leader, n$old leads"
	rl_stop "$old"
	other=$(( 3 - old ))
	ix_wait_leader 20 "$other" 3
	[ "$LEADER" = 3 ] && break
	log "try $try: kernel n$LEADER won after n$old stopped; again"
	rl_start "$old"
	ix_wait_leader 20 1 2 3
done
[ "$LEADER" = 3 ] || fail "raftlogd n3 never won an election in 6 tries"
log "kernel n$old stopped: raftlogd n3 leads"
ix_bench 3 "$other" 3
ix_bench "$other" "$other" 3
rl_start "$old"
ix_bench 3

# And back to a kernel node: the daemon stops; it catches up on restart.
rld_stop 3
ix_wait_leader 20 1 2
log "raftlogd n3 stopped: kernel n$LEADER leads"
ix_bench "$LEADER" 1 2
rld_start 3 3 --data-dir "$(dl_dir 3)" --election-timeout-ms $D_ELECTION
ix_wait_leader 20 1 2 3
ix_bench 3

# n2's data directory moves from the kernel to a raftlogd ...
last=$(ix_last 2)
rl_stop 2
rmdir "$RL_CFS/n2" || fail "rmdir $RL_CFS/n2 failed"
KIND[2]=d
rld_start 2 3 --data-dir "$(dl_dir 2)" --election-timeout-ms $K_ELECTION
now=$(ix_last 2)
[ "$now" -ge "$last" ] ||
	fail "raftlogd on n2's kernel data_dir has last_index $now, the kernel had $last"
log "n2's data_dir (last_index $last) now under raftlogd: last_index $now"
ix_wait_leader 20 1 2 3
ix_bench 2
wait_until 20 ix_logs_identical 1 2 3 || fail "logs differ with n2 as raftlogd"

# ... and back to the kernel.
last=$(ix_last 2)
rld_stop 2
KIND[2]=k
dl_create 2 3 election_timeout_ms=$K_ELECTION
rl_start 2
now=$(ix_last 2)
[ "$now" -ge "$last" ] ||
	fail "kernel on n2's raftlogd data_dir has last_index $now, raftlogd had $last"
log "n2's data_dir (last_index $last) back under the kernel: last_index $now"
ix_wait_leader 20 1 2 3
ix_bench 2
wait_until 20 ix_logs_identical 1 2 3 || fail "logs differ with n2 back in the kernel"
log "every log identical: $(wc -l <"$RL_TMP/ix.1") entries"

rld_stop_all
rl_destroy
