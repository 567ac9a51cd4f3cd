#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# double-vote: a node that granted its vote in a term, and restarted
# before the candidate could win, must not vote for another candidate in
# that term. Node 2 is the only real instance; vote requests of nodes 1
# and 3 are crafted datagrams sent from their namespaces (whose one
# ephemeral port is the port node 2 knows them by), so the terms are
# exact and nothing else can vote. The outcome is read from node 2's
# sysfs: term and voted_for. The crafted datagrams carry no MAC, so node
# 2 runs with insecure=1.
#   1. n1 asks in term 7: n2 grants (voted_for 1).
#   2. n2 is disabled and enabled again from its data_dir: term 7, vote 1.
#   3. n3 asks in term 7: refused (voted_for stays 1).
#   4. n3 asks in term 8: granted (so step 3's datagram was not lost).
# Control: the same steps with a memory-only node 2 must show the double
# vote (voted_for 3 in term 7), or this test could not detect one.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

PORT_OF_1_3=40000

# le VALUE BYTES: VALUE as little-endian hex.
le() {
	local v=$1 n=$2 i out=""
	for ((i = 0; i < n; i++)); do
		out+=$(printf %02x $(( (v >> (8 * i)) & 255 )))
	done
	echo "$out"
}

# vote FROM TERM: a VOTE request (kmod/raft/wire.h) from node FROM to
# node 2, with an empty log, sent from FROM's namespace (wire version 3:
# last_index, last_term, transfer 0 and 7 pad bytes).
vote() {
	local from=$1 term=$2 hex
	hex=$(le 0x4c544652 4)03$(le 3 1)0000$(le 99 8)$(le "$from" 4)
	hex+=$(le 2 4)$(le "$term" 8)$(le 24 4)00000000$(le 0 8)$(le 0 8)
	hex+=$(le 0 8)
	ip netns exec "n$from" badpkt send 10.99.0.2 "$RL_PORT" "$hex" >/dev/null ||
		fail "sending a vote request from n$from failed"
}

# is_state TERM VOTE: node 2's sysfs says so.
is_state() {
	local t v
	rl_rd t 2 term && rl_rd v 2 voted_for || return 1
	[ "$t" = "$1" ] && [ "$v" = "$2" ]
}

# expect TERM VOTE WHY: node 2 reaches that state within 5 s.
expect() {
	wait_until 5 is_state "$1" "$2" ||
		fail "$3: n2 has term $(rl_get 2 term), voted_for" \
		     "$(rl_get 2 voted_for); expected term $1, voted_for $2"
}

# holds TERM VOTE WHY: node 2 stays in that state for 2 s.
holds() {
	local i
	for i in $(seq 1 20); do
		is_state "$1" "$2" || fail "$3: n2 moved to term" \
			"$(rl_get 2 term), voted_for $(rl_get 2 voted_for)"
		sleep 0.1
	done
}

# make_n2 [data_dir=DIR]: node 2's instance, peers 1 and 3 on the port
# their namespaces send from.
make_n2() {
	mkdir "$RL_CFS/n2"
	rl_cfg 2 id 2
	rl_cfg 2 peers "1@10.99.0.1:$PORT_OF_1_3,2@10.99.0.2:$RL_PORT,3@10.99.0.3:$PORT_OF_1_3"
	rl_cfg 2 cluster_id 99
	rl_cfg 2 insecure 1
	[ $# = 0 ] || rl_cfg 2 "${1%%=*}" "${1#*=}"
	rl_start 2
}

remove_n2() {
	rl_stop 2
	rmdir "$RL_CFS/n2"
}

rl_load
rl_net 3
for k in 1 3; do
	ip netns exec "n$k" sysctl -q -w \
		net.ipv4.ip_local_port_range="$PORT_OF_1_3 $PORT_OF_1_3"
done

rm -rf "$(dl_dir 2)"
mkdir -p "$(dl_dir 2)"
make_n2 data_dir="$(dl_dir 2)"
vote 1 7
expect 7 1 "n1's request in term 7"
dl_restart 2
expect 7 1 "after the restart"
vote 3 7
holds 7 1 "n3's request in the same term 7"
log "restarted n2 refused n3 in term 7 (voted_for 1 kept)"
vote 3 8
expect 8 3 "n3's request in term 8"
[ "$(rl_get 2 stats/drops_unknown_sender)" = 0 ] ||
	fail "n2 dropped datagrams from unknown senders"
remove_n2

# Control: memory-only, the vote is forgotten and given twice.
make_n2
vote 1 7
expect 7 1 "control: n1's request in term 7"
dl_restart 2
expect 0 0 "control: memory-only restart"
vote 3 7
expect 7 3 "control: memory-only n2 should vote again in term 7"
log "control: memory-only n2 voted for n1 and then n3 in term 7, as expected"
remove_n2
