#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fragments: replication never depends on IP fragments. With max_datagram
# at its default (1400 bytes), 16 KiB entries replicate to every node, over
# IPv4 and IPv6, while no node's IP layer reassembles a single datagram
# (/proc/net/snmp ReasmReqds, /proc/net/snmp6 Ip6ReasmReqds in each node's
# namespace) and raftlog's own fragments are used (each follower receives
# many more datagrams than entries) without a partial message dropped.
# The control: the same writes with max_datagram=65032 (every message
# whole) must make the IP layer reassemble, or the counters prove
# nothing. Bad values of max_datagram are refused with EINVAL.
set -euo pipefail
. /vm/guest-lib.sh

ENTRIES=12
SIZE=16384

# reasm K: IP reassemblies node K's namespace has seen, IPv4 + IPv6.
reasm() {
	local v4 v6
	v4=$(ip netns exec "n$1" awk '$1 == "Ip:" && !c {
		for (i = 2; i <= NF; i++) if ($i == "ReasmReqds") c = i; next }
		$1 == "Ip:" { print $c }' /proc/net/snmp)
	v6=$(ip netns exec "n$1" awk '$1 == "Ip6ReasmReqds" { print $2 }' \
		/proc/net/snmp6)
	echo $((v4 + ${v6:-0}))
}

reasm_all() {
	local k sum=0
	for k in 1 2 3; do
		sum=$((sum + $(reasm "$k")))
	done
	echo "$sum"
}

# Datagrams all three nodes received (fragments each count as one).
rx_all() {
	local k sum=0
	for k in 1 2 3; do
		sum=$((sum + $(rl_get "$k" stats/msgs_received)))
	done
	echo "$sum"
}

# run_writes LABEL: $ENTRIES entries of $SIZE bytes on the leader (one of
# them random text), committed and read back the same on every node.
run_writes() {
	local label=$1 res i data
	rl_wait_leader 20 1 2 3 || { rl_show; fail "$label: no leader"; }
	data=$(head -c $((SIZE * 3 / 4)) /dev/urandom | base64 -w0)
	res=$(rl_write "$LEADER" "$data")
	case "$res" in
	"OK $SIZE index="*) ;;
	*) fail "$label: a $SIZE-byte write on n$LEADER: $res" ;;
	esac
	for i in $(seq 2 "$ENTRIES"); do
		res=$(probe writelen "$(rl_dev "$LEADER")" "$SIZE")
		case "$res" in
		"OK $SIZE index="*) ;;
		*) fail "$label: write $i of $SIZE bytes on n$LEADER: $res" ;;
		esac
	done
	idx=${res#OK "$SIZE" index=}
	idx=${idx%% *}
	wait_until 20 rl_all_commit_ge "$idx" 1 2 3 || {
		rl_show
		fail "$label: not every node committed $idx"
	}
	rl_logs_identical 1 2 3 || fail "$label: the nodes' logs differ"
	grep -c "^[0-9]* $data\$" "$RL_TMP/log.1" >/dev/null ||
		fail "$label: the random entry is not in the log as written"
}

# Bounds: checked on write, the instance is left as it was.
rl_load
mkdir "$RL_CFS/bounds"
[ "$(cat "$RL_CFS/bounds/max_datagram")" = 1400 ] ||
	fail "max_datagram default: $(cat "$RL_CFS/bounds/max_datagram"), want 1400"
for bad in 0 511 65033 4294967295 x; do
	if echo "$bad" 2>/dev/null >"$RL_CFS/bounds/max_datagram"; then
		fail "max_datagram=$bad accepted"
	fi
done
dmesg | grep -q "max_datagram: 511 is outside 512..65032" ||
	fail "no log line names max_datagram and its bounds"
echo 512 >"$RL_CFS/bounds/max_datagram" || fail "max_datagram=512 refused"
rmdir "$RL_CFS/bounds"

for v6 in 0 1; do
	RL_IPV6=$v6
	label=$([ "$v6" = 1 ] && echo IPv6 || echo IPv4)
	rl_cluster 3
	before=$(reasm_all)
	rx_before=$(rx_all)
	run_writes "$label"
	after=$(reasm_all)
	rx_after=$(rx_all)
	[ "$after" = "$before" ] ||
		fail "$label: IP reassembled $((after - before)) datagrams at max_datagram 1400"
	# A 16 KiB entry is 12 fragments of 1400 bytes to each of the two
	# followers, whichever node leads; allow for batching.
	[ $((rx_after - rx_before)) -ge $((ENTRIES * 20)) ] ||
		fail "$label: the nodes received $((rx_after - rx_before)) datagrams for $ENTRIES entries of $SIZE bytes: no fragments?"
	for k in 1 2 3; do
		d=$(rl_get "$k" stats/drops_fragment)
		[ "$d" = 0 ] || fail "$label: n$k dropped $d fragments or partial messages"
	done
	log "$label: $ENTRIES x $SIZE B replicated in $((rx_after - rx_before)) datagrams received in all, no IP reassembly"
	rl_destroy
done

# Control: whole messages must be seen reassembling, else the check above
# could not fail.
RL_IPV6=0
rl_cluster 3 max_datagram=65032
before=$(reasm_all)
run_writes "control"
after=$(reasm_all)
[ "$after" -gt "$before" ] ||
	fail "control: max_datagram=65032 and still no IP reassembly: the counter cannot see fragments"
log "control: max_datagram=65032: IP reassembled $((after - before)) datagrams"
rl_destroy
