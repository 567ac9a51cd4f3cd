#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# forged-packets: the forged part of bad-packets. An attacker on the
# bridge (namespace n66) who knows the wire format but not the key spoofs
# real members' addresses and ports (tests/vm/badpkt.c, raw sockets) and
# sends well-formed datagrams meant to do harm: HEARTBEAT_RESP, HEARTBEAT
# and VOTE at term 2^62-1 and other high terms, PROPOSEs with data,
# APPENDs whose entries claim terms above the message's, APPEND_RESP
# rejections at index 1, each without a trailer and with 32 random trailer
# bytes; then real datagrams captured on the bridge ports (AF_PACKET),
# re-injected byte for byte from their source at once and again after
# more than 30 s, and copies with one bit flipped (term, payload, epoch,
# counter, tag; with a valid UDP checksum).
#
# Keyed cluster (n1-n3, one key), under a trickle of writes: every one is
# dropped and counted exactly (drops_auth: forged and flipped; drops_replay:
# replays), no other drop counter moves, terms, leader and elections do
# not move, no term near the limit, the logs are identical and hold only
# what the writers wrote, and the cluster commits during and after.
#
# Insecure cluster (nodes 11-13, insecure=1, port 7071 in the same three
# namespaces, instances n11-n13), the same mix: the core's own
# hardening must hold (no term >= 2^61 adopted: terms from 2^62-2^32 on
# are refused; APPEND entries above the message's term refused by the
# codec, so no FORGED-APPEND entry and no entry of a future term; the
# cluster still elects and commits); what only the key prevents (forged
# PROPOSEs committed, a forged term 1000 ahead adopted, replays and
# flipped bits reaching the core) is printed, not asserted, except that a
# flipped bit in an APPEND's entry data is refused by the entry's crc
# (drops_checksum) even there.
set -euo pipefail
. /vm/guest-lib.sh

STATS="drops_auth drops_replay drops_malformed drops_limit drops_unknown_sender drops_wrong_receiver drops_rejected drops_checksum msgs_received"
OTHER_DROPS="drops_malformed drops_limit drops_unknown_sender drops_wrong_receiver"
T61=$((1 << 61))
problems=0

# problem TEXT: a forged packet got through (or went uncounted); the
# phase fails after every check has run.
problem() {
	echo "PROBLEM: $*"
	problems=$((problems + 1))
}

phase_end() {
	[ "$problems" = 0 ] || fail "$problems problem(s) in $1 (PROBLEM lines above)"
}

# snap TAG K...: remember each node's STATS counters as TAG.
snap() {
	local tag=$1 k c
	shift
	for k in "$@"; do
		for c in $STATS elections leader_changes; do
			rl_rd "S_${tag}_${c}_$k" "$k" "stats/$c"
		done
	done
}

# delta TAG K C: D = node K's counter C now minus its value at snap TAG
# (no fork: under emulation each costs).
D=0
delta() {
	local v b="S_$1_$3_$2"
	rl_rd v "$2" "stats/$3"
	D=$((v - ${!b}))
}

# show_deltas TAG K...: one line of counter deltas per node.
show_deltas() {
	local tag=$1 k c line
	shift
	for k in "$@"; do
		line="  n$k:"
		for c in $STATS; do
			delta "$tag" "$k" "$c"
			line="$line ${c#drops_}+$D"
		done
		echo "$line"
	done
}

# per_dst FILE VAR: add "dst 10.99.0.K N" lines of FILE to VAR[K].
per_dst() {
	local -n acc=$2
	local d a n
	while read -r d a n _; do
		[ "$d" = dst ] || continue
		acc[${a##*.}]=$(( ${acc[${a##*.}]:-0} + n ))
	done <"$1"
}

# captured_per_dst FILE VAR: the same from capture's lines.
captured_per_dst() {
	local -n acc=$2
	local d
	while read -r _ _ d _; do
		acc[${d##*.}]=$(( ${acc[${d##*.}]:-0} + 1 ))
	done <"$1"
}

# type_summary FILE: "APPEND=N HEARTBEAT=N ..." of capture's lines.
type_summary() {
	awk '{ n[$5]++ } END {
		split("PREVOTE PREVOTE_RESP VOTE VOTE_RESP APPEND APPEND_RESP HEARTBEAT HEARTBEAT_RESP PROPOSE PROPOSE_RESP", name, " ")
		for (t in n) printf "%s=%d ", name[t], n[t]; print "" }' "$1"
}

# state_line K...: term, leader, commit, last index/term per node.
state_line() {
	local k t l c li lt out=""
	for k in "$@"; do
		rl_rd t "$k" term
		rl_rd l "$k" leader
		rl_rd c "$k" commit_index
		rl_rd li "$k" last_index
		rl_rd lt "$k" last_term
		out="$out n$k:term=$t,leader=$l,commit=$c,last=$li/$lt"
	done
	echo "$out"
}

# hardened K...: the core's own guarantees, which hold with or without a
# key: no term near the limit, no entry of a term beyond the node's.
hardened() {
	local k t lt
	for k in "$@"; do
		rl_rd t "$k" term
		rl_rd lt "$k" last_term
		[ "$t" -lt "$T61" ] ||
			problem "n$k ADOPTED A FORGED TERM: $t >= 2^61"
		[ "$lt" -le "$t" ] ||
			problem "n$k HOLDS AN ENTRY OF A FUTURE TERM: last_term $lt > term $t"
		[ "$lt" -lt "$T61" ] ||
			problem "n$k HOLDS AN ENTRY OF FORGED TERM $lt"
	done
}

# same_leader WHEN: the keyed cluster still agrees on leader KL in term KT.
same_leader() {
	if ! rl_agreed_leader 1 2 3; then
		problem "keyed: LEADERSHIP LOST $1:$(state_line 1 2 3)"
	elif [ "$LEADER" != "$KL" ] || [ "$LEADER_TERM" != "$KT" ]; then
		problem "keyed: LEADERSHIP MOVED $1: leader n$LEADER term $LEADER_TERM, was n$KL term $KT"
	fi
}

# leader_from K... TERM: an agreed leader in a term from TERM on.
leader_from() {
	local t=${*: -1}
	rl_agreed_leader "${@:1:$#-1}" && [ "$LEADER_TERM" -ge "$t" ]
}

# late_enough: the keyed capture is 30 s old.
late_enough() {
	tick_now
	[ $((NOW - cap_ms)) -ge 30000 ]
}

# writer K NAME: a trickle of writes on node K in the background (WPID).
writer() {
	: >"$RL_TMP/hist.$2"
	probe --pause 600 history "$(rl_dev "$1")" "$2" - >"$RL_TMP/hist.$2" &
	WPID=$!
}

# stop_writers PID...: end them (each finishes its write in progress).
stop_writers() {
	local p
	kill -TERM "$@" 2>/dev/null || true
	for p in "$@"; do
		wait "$p" || true
	done
}

# oks NAME: the writer's successful writes so far.
oks() {
	grep -c ' OK ' "$RL_TMP/hist.$1" || true
}

# oks_ge NAME N: at least N of them.
oks_ge() {
	[ "$(oks "$1")" -ge "$2" ]
}

# check_log K EXTRA NAME...: node K's committed log (as rl_logs_identical
# left it in $RL_TMP/log.K) holds only entries
# that writers NAME... attempted (NAME-i, i below its DONE count) or that
# match the grep -E pattern EXTRA, and every write a writer saw succeed
# sits at the index it was given.
check_log() {
	local k=$1 extra=$2 w bad
	shift 2
	for w in "$@"; do
		grep -q "^DONE $w " "$RL_TMP/hist.$w" ||
			problem "writer $w did not finish its history"
	done
	bad=$(cat "$RL_TMP"/hist.* | awk -v extra="$extra" -v writers="$*" '
		BEGIN { n = split(writers, w, " "); for (i = 1; i <= n; i++) mine[w[i]] = 1 }
		FNR == NR || FILENAME == "-" {
			if ($1 == "DONE") { done[$2] = $3; next }
			if ($3 == "OK") at[$5] = $4
			next
		}
		{ idx = $1; data = $0; sub(/^[0-9]+ /, "", data); got[idx] = data
		  w1 = data; sub(/-[0-9]+$/, "", w1); seq = substr(data, length(w1) + 2)
		  if (w1 in mine && seq ~ /^[0-9]+$/ && seq + 0 < done[w1] + 0) next
		  if (data ~ extra) next
		  print "entry " idx " (" data ") was written by no writer" }
		END { for (i in at) if (got[i] != at[i]) {
			w1 = at[i]; sub(/-[0-9]+$/, "", w1)
			if (w1 in mine) print "write " at[i] " succeeded at index " i " but the log has (" got[i] ")" } }
	' - "$RL_TMP/log.$k")
	if [ -n "$bad" ]; then
		echo "$bad" | head -n 20
		problem "n$k: $(echo "$bad" | wc -l) bad entries in the log"
	fi
	if grep -q FORGED "$RL_TMP/log.$k"; then
		grep FORGED "$RL_TMP/log.$k" | head -n 5
		problem "n$k COMMITTED FORGED DATA"
	fi
}

rand_hex() {
	od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'
}

# Nodes 1-3 (keyed) listen on 10.99.0.K:7070; nodes 11-13 (insecure) on
# 10.99.0.(K-10):7071, in the same namespaces. addr_of K sets A to it.
addr_of() {
	A="10.99.0.$(( $1 > 10 ? $1 - 10 : $1 )) $(( $1 > 10 ? IPORT : RL_PORT ))"
}

# attacker CMD...: run in the attacker's namespace (nsenter: lighter than
# ip netns exec).
attacker() {
	nsenter --net=/run/netns/n66 "$@"
}

# forge_all CLUSTER TERM HIGHTERMS VAR NODES...: from n66, spoofing each
# member in turn, the forged mix to every other member; VAR[K] += what
# node K was sent. Prints the classes sent once.
forge_all() {
	local cid=$1 term=$2 high=$3 k j idx src dst first=1 w1 w2 w3 _
	local -n acc=$4
	shift 4
	for k in "$@"; do
		rl_rd idx "$k" last_index
		addr_of "$k"
		dst=$A
		for j in "$@"; do
			[ "$j" != "$k" ] || continue
			addr_of "$j"
			src=${A/ /:}
			# shellcheck disable=SC2086
			attacker badpkt --spoof "$src" forge ${FORGE_OPTS:-} $dst \
				"$cid" "$term" "$idx" "$j" "$k" "$high" "$RANDOM" \
				>"$RL_TMP/forge.out" ||
				fail "badpkt forge as n$j to n$k failed: $(cat "$RL_TMP/forge.out")"
			while read -r w1 w2 w3 _; do
				[ "$first" = 0 ] ||
					echo "    (per sender and receiver) $w1 $w2 $w3"
				[ "$w2" != total ] || acc[$k]=$(( ${acc[$k]:-0} + w3 ))
			done <"$RL_TMP/forge.out"
			first=0
		done
	done
}

IPORT=$((RL_PORT + 1))
log "setup: module, namespaces n1-n3 and n66"
rl_load
rl_net 3
rl_netns_add 66		# the attacker, 10.99.0.66
log "setup done"

# --- the keyed cluster: n1..n3 --------------------------------------------
# One key of our own for the three (the attacker never sees it), and a
# longer election timeout: a leader change under emulation must not look
# like one a forgery caused.
KEY=$(rand_hex 32)
for k in 1 2 3; do
	rl_create "$k" 3 election_timeout_ms=1000 key="$KEY"
done
for k in 1 2 3; do
	rl_start "$k"
done
log "keyed cluster enabled"
for k in 1 2 3; do
	if [ -e "$(rl_sysdir "$k")/authenticated" ]; then
		[ "$(rl_get "$k" authenticated)" = 1 ] ||
			fail "n$k: authenticated is $(rl_get "$k" authenticated) with a key"
	fi
done
rl_wait_leader 20 1 2 3 || { rl_show; fail "keyed: no leader within 20 s"; }
KL=$LEADER
KT=$LEADER_TERM
KF=$((KL % 3 + 1))	# a follower
res=$(rl_write "$KL" keyed-before)
case "$res" in OK*) ;; *) fail "keyed: write before the attack: $res" ;; esac
writer "$KL" ka
WKA=$WPID
writer "$KF" kb
WKB=$WPID
wait_until 20 oks_ge ka 2 || fail "keyed: the writers do not commit"
log "keyed cluster: leader n$KL, term $KT; writers ka on n$KL, kb on n$KF"
snap k0 1 2 3
rl_rd kc0 "$KL" commit_index

# 1. forgeries
log "keyed: forged messages from n66 spoofing each member"
declare -A kauth=() kreplay=()
HIGH_KEYED="$(( (1 << 62) - 1 )),$(( (1 << 62) - (1 << 32) )),$(( (1 << 62) - (1 << 32) - 1 )),$T61,$((1 << 40)),$((KT + 1)),$((KT + 1000))"
echo "  high terms: $HIGH_KEYED"
forge_all 99 "$KT" "$HIGH_KEYED" kauth 1 2 3
forged_total=$(( kauth[1] + kauth[2] + kauth[3] ))

# 2. real datagrams off the bridge, each re-injected at once
log "keyed: capture on veth1-3 (2 s), re-injecting each datagram at once"
rl_rd ks1 1 stats/msgs_sent
rl_rd ks2 2 stats/msgs_sent
rl_rd ks3 3 stats/msgs_sent
tick_now
cap_ms=$NOW
badpkt capture --reinject /run/netns/n66 veth1,veth2,veth3 "$RL_PORT" 2000 400 \
	>"$RL_TMP/cap.keyed" 2>"$RL_TMP/cap.keyed.err" || {
	cat "$RL_TMP/cap.keyed.err"; fail "keyed: capture failed"; }
echo "  $(cat "$RL_TMP/cap.keyed.err"): $(type_summary "$RL_TMP/cap.keyed")"
grep -q '(0 send errors)' "$RL_TMP/cap.keyed.err" ||
	fail "keyed: re-injection failed: $(cat "$RL_TMP/cap.keyed.err")"
ncap=$(wc -l <"$RL_TMP/cap.keyed")
[ "$ncap" -ge 20 ] || fail "keyed: only $ncap datagrams captured"
unsigned=$(awk '$6 != 32' "$RL_TMP/cap.keyed" | wc -l)
[ "$unsigned" = 0 ] || fail "keyed: $unsigned captured datagrams carry no trailer"
captured_per_dst "$RL_TMP/cap.keyed" kreplay
replay_now_total=$ncap

# 3. single bits flipped, two datagrams of each (sender, receiver, type)
awk '{ k = $1 " " $3 " " $5 } seen[k]++ < 2' "$RL_TMP/cap.keyed" >"$RL_TMP/flip.keyed"
attacker badpkt flip "$RL_TMP/flip.keyed" >"$RL_TMP/flip.keyed.out" ||
	{ cat "$RL_TMP/flip.keyed.out"; fail "keyed: badpkt flip failed"; }
echo "  $(tail -n 1 "$RL_TMP/flip.keyed.out")"
per_dst "$RL_TMP/flip.keyed.out" kauth
flipped_total=$(sed -n 's/^flipped \([0-9]*\) .*/\1/p' "$RL_TMP/flip.keyed.out")

sleep 1	# let every node's loop drain its socket
log "keyed: counter deltas (expected: auth = forged + flipped, replay = re-injected)"
show_deltas k0 1 2 3
for k in 1 2 3; do
	delta k0 "$k" drops_auth
	a=$D
	delta k0 "$k" drops_replay
	r=$D
	echo "  n$k: drops_auth +$a (expected ${kauth[$k]}), drops_replay +$r (expected ${kreplay[$k]:-0})"
	[ "$a" = "${kauth[$k]}" ] ||
		problem "n$k: drops_auth +$a, not ${kauth[$k]}: $(( ${kauth[$k]} - a )) forged or flipped datagrams were not dropped by the tag check"
	[ "$r" = "${kreplay[$k]:-0}" ] ||
		problem "n$k: drops_replay +$r, not ${kreplay[$k]:-0}: a re-injected datagram was not dropped as a replay"
	for c in $OTHER_DROPS; do
		delta k0 "$k" "$c"
		v=$D
		[ "$v" = 0 ] || problem "n$k: stats/$c +$v: a forged datagram got past the tag check"
	done
done
echo "  state:$(state_line 1 2 3)"
hardened 1 2 3
same_leader "after the attack"
for k in 1 2 3; do
	delta k0 "$k" elections
	[ "$D" = 0 ] || problem "n$k started an election"
done
rl_rd kc1 "$KL" commit_index
[ "$kc1" -gt "$kc0" ] || problem "keyed: nothing committed during the attack (commit $kc0 -> $kc1)"
echo "  commit index $kc0 -> $kc1 during the attack"
phase_end "the keyed cluster's attack"

# --- the insecure cluster: n4..n6, while n1..n3 keep writing ---------------
log "insecure cluster: nodes 11-13 (insecure=1) on port $IPORT of n1-n3"
for k in 11 12 13; do
	mkdir "$RL_CFS/n$k" || fail "mkdir $RL_CFS/n$k failed"
	rl_cfg "$k" id "$k"
	rl_cfg "$k" peers "11@10.99.0.1:$IPORT,12@10.99.0.2:$IPORT,13@10.99.0.3:$IPORT"
	rl_cfg "$k" cluster_id 98
	rl_cfg "$k" election_timeout_ms 1000
	[ ! -e "$RL_CFS/n$k/insecure" ] || rl_cfg "$k" insecure 1
done
for k in 11 12 13; do
	nsenter --net="/run/netns/n$((k - 10))" \
		sh -c "echo 1 > $RL_CFS/n$k/enabled" || fail "enabling n$k failed"
	wait_until 5 test -c "$(rl_dev "$k")" || fail "$(rl_dev "$k") did not appear"
	if [ -e "$(rl_sysdir "$k")/authenticated" ]; then
		[ "$(rl_get "$k" authenticated)" = 0 ] ||
			fail "n$k: authenticated is $(rl_get "$k" authenticated) with insecure=1"
	fi
done
rl_wait_leader 20 11 12 13 || { rl_show 11 12 13; fail "insecure: no leader within 20 s"; }
IL=$LEADER
IT=$LEADER_TERM
res=$(rl_write "$IL" insecure-before)
case "$res" in OK*) ;; *) fail "insecure: write before the attack: $res" ;; esac
writer "$IL" ia
WIA=$WPID
wait_until 20 oks_ge ia 2 || fail "insecure: the writer does not commit"
log "insecure: leader n$IL, term $IT"
tick_now
it0=$NOW
rl_rd ib0 "$IL" stats/bytes_sent
sleep 1
snap i0 11 12 13
tick_now
it1=$NOW
rl_rd ib1 "$IL" stats/bytes_sent

# What the core refuses on its own: terms from 2^62-2^32 (RAFT_TERM_MAX)
# up. Terms below it (2^61, 2^40, ...) an insecure node cannot tell from
# a real election's, so they are sent to the keyed cluster only, and one
# 1000 ahead in the demonstration further down. (One at RAFT_TERM_MAX - 1
# is adopted and leaves no election possible, every later term being
# refused: only the key stops it.)
HIGH_CORE="$(( (1 << 62) - 1 )),$(( (1 << 62) - (1 << 32) )),$(( (1 << 62) - (1 << 32) + 1 ))"
echo "  high terms (refused by the core): $HIGH_CORE"
declare -A iforged=()
forge_all 98 "$IT" "$HIGH_CORE" iforged 11 12 13
sleep 1
tick_now
it2=$NOW
rl_rd ib2 "$IL" stats/bytes_sent
log "insecure: counter deltas after the forged mix"
show_deltas i0 11 12 13
for k in 11 12 13; do
	half=$(( ${iforged[$k]} / 2 ))
	delta i0 "$k" drops_malformed
	m=$D
	delta i0 "$k" drops_rejected
	r=$D
	delta i0 "$k" drops_auth
	echo "  n$k: of ${iforged[$k]} forgeries, $D with a trailer refused (drops_auth); of the $half without, $m refused by the codec (APPEND entries above the message term), $r by the core (terms from RAFT_TERM_MAX on), $((half - m - r)) accepted (PROPOSE, APPEND_RESP: what the key prevents)"
done
echo "  state:$(state_line 11 12 13)"
hardened 11 12 13
for k in 11 12 13; do
	rl_rd t "$k" term
	[ "$t" -lt $(( (1 << 62) - (1 << 32) )) ] ||
		problem "n$k adopted term $t, beyond RAFT_TERM_MAX"
done
echo "  (what the key prevents) leader n$IL sent $(( (ib2 - ib1) * 1000 / (it2 - it1 + 1) )) bytes/s while the mix (with its rejections at index 1) arrived, $(( (ib1 - ib0) * 1000 / (it1 - it0 + 1) )) bytes/s before"

phase_end "the insecure cluster's forged mix"

log "insecure: (what the key prevents) forged HEARTBEAT_RESP/HEARTBEAT/VOTE at term $((IT + 1000))"
snap i1 11 12 13
FORGE_OPTS=--high-only forge_all 98 "$IT" "$((IT + 1000))" iforged 11 12 13
wait_until 15 leader_from 11 12 13 "$((IT + 1000))" ||
	echo "  no agreed leader at a term from $((IT + 1000)) on within 15 s"
echo "  state:$(state_line 11 12 13)"
for k in 11 12 13; do
	delta i1 "$k" elections
	e=$D
	delta i1 "$k" leader_changes
	rl_rd t "$k" term
	echo "  n$k: term $t (was $IT), elections +$e, leader changes +$D"
done
hardened 11 12 13

log "insecure: capture on veth1-3, port $IPORT (2 s), re-injecting each datagram at once"
snap i2 11 12 13
tick_now
icap_ms=$NOW
badpkt capture --reinject /run/netns/n66 veth1,veth2,veth3 "$IPORT" 2000 400 \
	>"$RL_TMP/cap.insecure" 2>"$RL_TMP/cap.insecure.err" || {
	cat "$RL_TMP/cap.insecure.err"; fail "insecure: capture failed"; }
echo "  $(cat "$RL_TMP/cap.insecure.err"): $(type_summary "$RL_TMP/cap.insecure")"
awk '{ k = $1 " " $3 " " $5 } seen[k]++ < 2' "$RL_TMP/cap.insecure" >"$RL_TMP/flip.insecure"
attacker badpkt flip "$RL_TMP/flip.insecure" >"$RL_TMP/flip.insecure.out" ||
	{ cat "$RL_TMP/flip.insecure.out"; fail "insecure: badpkt flip failed"; }
echo "  $(tail -n 1 "$RL_TMP/flip.insecure.out")"
sleep 1
log "insecure: (what the key prevents) deltas for the re-injected and flipped datagrams: replay+0 means every replay reached the core"
show_deltas i2 11 12 13
echo "  state:$(state_line 11 12 13)"
# Where no key checks anything, each entry's crc still does: a flipped
# last payload byte of a whole APPEND with entries (its last entry's data)
# must be refused as such (drops_checksum), never stored.
nflip=$(awk '$5 == 5 && substr($7, 13, 4) == "0000" &&
	length($7) > 2 * (40 + 32 + 32)' "$RL_TMP/flip.insecure" | wc -l)
csum=0
for k in 11 12 13; do
	delta i2 "$k" drops_checksum
	csum=$((csum + D))
done
echo "  insecure: $nflip whole APPENDs with entries flipped; drops_checksum +$csum"
if [ "$nflip" -gt 0 ] && [ "$csum" = 0 ]; then
	problem "insecure: flipped entry data was not refused by the entry crc (drops_checksum +0)"
fi
hardened 11 12 13
phase_end "the insecure cluster's replays"

# --- replays minutes later ---------------------------------------------------
log "waiting until the keyed capture is 30 s old"
wait_until 40 late_enough || true
tick_now
log "keyed: the capture re-sent $(( (NOW - cap_ms) / 1000 )) s later"
for k in 1 2 3; do
	b=ks$k
	rl_rd v "$k" stats/msgs_sent
	echo "  n$k has sent $((v - ${!b})) datagrams since (replay window: 1024 counters per sender: $( [ $((v - ${!b})) -gt 1024 ] && echo beyond it || echo inside it))"
done
snap k1 1 2 3
attacker badpkt replay "$RL_TMP/cap.keyed" >"$RL_TMP/replay.keyed.out" ||
	{ cat "$RL_TMP/replay.keyed.out"; fail "keyed: badpkt replay failed"; }
declare -A klate=()
per_dst "$RL_TMP/replay.keyed.out" klate
snap i3 11 12 13
attacker badpkt replay "$RL_TMP/cap.insecure" >"$RL_TMP/replay.insecure.out" ||
	{ cat "$RL_TMP/replay.insecure.out"; fail "insecure: badpkt replay failed"; }
echo "  keyed: $(tail -n 1 "$RL_TMP/replay.keyed.out"); insecure ($(( (NOW - icap_ms) / 1000 )) s later): $(tail -n 1 "$RL_TMP/replay.insecure.out")"
sleep 1
show_deltas k1 1 2 3
for k in 1 2 3; do
	delta k1 "$k" drops_replay
	r=$D
	delta k1 "$k" drops_auth
	a=$D
	[ "$r" = "${klate[$k]:-0}" ] ||
		problem "n$k: drops_replay +$r for the late replays, not ${klate[$k]:-0}"
	[ "$a" = 0 ] || problem "n$k: drops_auth +$a for byte-for-byte replays"
	for c in $OTHER_DROPS; do
		delta k1 "$k" "$c"
		v=$D
		[ "$v" = 0 ] || problem "n$k: stats/$c +$v: a late replay got past the replay window"
	done
done
echo "  insecure (what the key prevents):"
show_deltas i3 11 12 13

# --- after: both clusters commit; the keyed one moved not at all -----------
stop_writers "$WKA" "$WKB" "$WIA"
log "writes after the attacks"
for k in 1 2 3; do
	res=$(rl_write "$k" "keyed-after-n$k")
	case "$res" in OK*) ;; *) problem "keyed: write on n$k after the attack: $res" ;; esac
done
rl_wait_leader 20 11 12 13 || problem "insecure: no leader after the attacks: $(state_line 11 12 13)"
for k in 11 12 13; do
	res=$(rl_write "$k" "insecure-after-n$k")
	case "$res" in OK*) ;; *) problem "insecure: write on n$k after the attacks: $res" ;; esac
done
rl_rd c "$KL" commit_index
wait_until 10 rl_all_commit_ge "$c" 1 2 3 || problem "keyed: no catch-up: $(state_line 1 2 3)"
rl_rd c "$LEADER" commit_index
wait_until 10 rl_all_commit_ge "$c" 11 12 13 || echo "  insecure: no catch-up: $(state_line 11 12 13)"

log "keyed: final state"
echo "  state:$(state_line 1 2 3)"
show_deltas k0 1 2 3
hardened 1 2 3
same_leader "at the end"
for k in 1 2 3; do
	delta k0 "$k" elections
	[ "$D" = 0 ] || problem "n$k started an election"
done
rl_logs_identical 1 2 3 || problem "keyed: the logs differ"
for k in 1 2 3; do
	cmp -s "$RL_TMP/log.1" "$RL_TMP/log.$k" ||
		check_log "$k" '^keyed-(before|after-n[123])$' ka kb
done
check_log 1 '^keyed-(before|after-n[123])$' ka kb
n=$(wc -l <"$RL_TMP/log.1")
echo "  keyed: $n entries committed, $(oks ka) + $(oks kb) writes OK under attack; forged $forged_total, re-injected $replay_now_total at once and $(tail -n 1 "$RL_TMP/replay.keyed.out" | awk '{print $2}') late, flipped $flipped_total: all dropped"

log "insecure: final state"
echo "  state:$(state_line 11 12 13)"
show_deltas i0 11 12 13
hardened 11 12 13
for k in 11 12 13; do
	rl_dump "$k" >"$RL_TMP/log.insecure.$k"
	if grep -q 'FORGED-APPEND' "$RL_TMP/log.insecure.$k"; then
		grep 'FORGED-APPEND' "$RL_TMP/log.insecure.$k" | head -n 3
		problem "n$k COMMITTED AN APPEND ENTRY OF A FUTURE TERM"
	fi
done
np=$(grep -c 'FORGED-PROPOSE' "$RL_TMP/log.insecure.$IL") || true
echo "  (what the key prevents) forged PROPOSE entries committed on the insecure cluster: $np"
grep 'FORGED-PROPOSE' "$RL_TMP/log.insecure.$IL" | head -n 4 | sed 's/^/    /'
if cmp -s "$RL_TMP/log.insecure.11" "$RL_TMP/log.insecure.12" &&
   cmp -s "$RL_TMP/log.insecure.11" "$RL_TMP/log.insecure.13"; then
	echo "  insecure: the three logs are identical ($(wc -l <"$RL_TMP/log.insecure.11") entries)"
else
	echo "  insecure: (what the key prevents) the logs differ: $(wc -l "$RL_TMP"/log.insecure.* | head -n 3 | tr '\n' ' ')"
fi
phase_end "the end checks"
echo "PASS: every forged, replayed and flipped datagram was dropped by the keyed cluster"
