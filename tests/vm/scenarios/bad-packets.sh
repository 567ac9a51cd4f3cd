#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bad-packets: every node of a working cluster is sent malformed datagrams
# of every class (tests/vm/badpkt.c: empty, truncated, bad magic, unknown
# version and type, well-formed version 1 datagrams, wrong cluster id,
# unknown sender and receiver, term 0 and the maximum term, length and
# count fields beyond the datagram, entries without a writer or with terms
# out of order, oversized, indexes beyond the log) and random garbage,
# both from an outsider's address, from each member's own address, and
# from the outsider with each member's address and port spoofed (a raw
# socket), so that they pass the sender check and reach the Raft core.
# Nothing crashes, every node's drop counters move (malformed, version,
# wrong cluster, bad type, unknown sender each), the version mismatch is
# logged (rate-limited, not once per datagram), no node's state turns
# absurd (commit beyond its log, terms near the limit), nothing the
# attacker sent is committed, and the cluster keeps committing, with
# identical logs. On a keyed cluster the datagrams with a good header stop
# at the tag check (drops_auth); forged-packets.sh is the forged part:
# well-formed forgeries, replays and flipped bits against a keyed and an
# insecure cluster.
set -euo pipefail
. /vm/guest-lib.sh

rl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader within 10 s"; }
res=$(rl_write "$LEADER" before-attack)
case "$res" in OK*) ;; *) fail "write before the attack: $res" ;; esac

rl_netns_add 66	# the outsider, 10.99.0.66
CLASSES="drops_malformed drops_version drops_wrong_cluster drops_bad_type drops_unknown_sender"
for k in 1 2 3; do
	for c in drops $CLASSES; do
		rl_rd "before_${c}_$k" "$k" "stats/$c"
	done
done

round=0
for k in 1 2 3; do
	rl_agreed_leader 1 2 3 || true
	term=$(rl_get "$k" term)
	leader=$(rl_get "$k" leader)
	[ "$leader" != 0 ] || leader=$(( k % 3 + 1 ))
	# From the outsider, claiming to be the leader, to node k.
	round=$((round + 1))
	ip netns exec n66 badpkt attack "10.99.0.$k" 7070 99 "$term" \
		"$leader" "$k" 1000 "$round" | sed "s/^/n66 -> n$k: /"
	# From each other member's own address, as itself.
	for j in 1 2 3; do
		[ "$j" != "$k" ] || continue
		round=$((round + 1))
		ip netns exec "n$j" badpkt attack "10.99.0.$k" 7070 99 \
			"$term" "$j" "$k" 500 "$round" | sed "s/^/n$j -> n$k: /"
		round=$((round + 1))
		ip netns exec n66 badpkt --spoof "10.99.0.$j:7070" attack \
			"10.99.0.$k" 7070 99 "$term" "$j" "$k" 500 "$round" |
			sed "s/^/n66 as n$j:7070 -> n$k: /"
	done
done
sleep 1
rl_show

for k in 1 2 3; do
	line="n$k:"
	for c in drops $CLASSES; do
		b=before_${c}_$k
		rl_rd now "$k" "stats/$c"
		line="$line $c+$((now - ${!b}))"
		[ "$now" -gt "${!b}" ] || { echo "$line"; fail "n$k: stats/$c did not move"; }
	done
	echo "$line"
	rl_rd t "$k" term
	rl_rd c "$k" commit_index
	rl_rd l "$k" last_index
	[ "$c" -le "$l" ] || fail "n$k: commit_index $c beyond last_index $l"
	[ "$t" -lt 1000 ] || fail "n$k: term $t after the attack"
done
# Every round sent several datagrams of other versions.
nv=$(dmesg | grep -c 'dropped a version [0-9]* datagram from .*: this module speaks version') || true
[ "$nv" -ge 1 ] || fail "no kernel log line about the version 1 datagrams"
[ "$nv" -le "$round" ] || fail "$nv kernel log lines about other versions: not rate-limited"

rl_wait_leader 20 1 2 3 || { rl_show; fail "no leader after the attack"; }
for k in 1 2 3; do
	res=$(rl_write "$k" "after-attack-on-n$k")
	case "$res" in OK*) ;; *) fail "write on n$k after the attack: $res" ;; esac
done
rl_rd c "$LEADER" commit_index
wait_until 10 rl_all_commit_ge "$c" 1 2 3 || { rl_show; fail "no catch-up"; }
rl_logs_identical 1 2 3 || fail "logs differ"
cat "$RL_TMP/log.1"
n=$(wc -l <"$RL_TMP/log.1")
[ "$n" = 4 ] || fail "the log has $n entries, not the 4 written"
grep -qE ' (evil|PPPP)' "$RL_TMP/log.1" && fail "the attacker's data was committed"
rl_show
