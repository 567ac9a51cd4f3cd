#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nemesis: five nodes with a data_dir, two writers on every node (`probe
# history`: each write timed and its outcome recorded, each entry unique
# and naming its writer), and for 60 s a nemesis that, round after round
# of 1-3 s, splits the network into a majority and a minority (mostly
# the leader and one follower against the rest, after half a second of
# loss everywhere), isolates the leader
# (found in sysfs), makes links lossy (netem: 20% loss, 5% duplication,
# 10 +- 5 ms delay, reordering) and disables and re-enables instances
# (half the time the leader), in random combinations. Then everything
# heals: commits must resume, the writers stop, the nodes must converge,
# and tests/vm/nemesis-check.c judges the whole history
# against every node's committed log: acknowledged writes lost, entries
# duplicated, phantoms, divergent nodes, "not committed" writes that are
# there, wrong reported indexes, real-time order. A failure names the
# seed of the nemesis's choices; to make the same choices again (the
# timing differs):
#   tests/vm/run-in-vm.sh tests/vm/run-scenarios.sh NEMESIS_SEED=S nemesis
# (NEMESIS_SECONDS=T sets the length of the faults, 60 s by default.)
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

N=5
SECONDS_OF_FAULTS=${NEMESIS_SECONDS:-60}
SEED=${NEMESIS_SEED:-$((SRANDOM % 1000000))}
RANDOM=$SEED
CT=5000			# commit_timeout_ms: the module's default
# Each writer rests 50-150 ms after a write: unpaced, ten writers keep
# both emulated CPUs busy and the nemesis itself falls behind (a round
# took 10 s instead of 3). A write in flight through a fault takes
# seconds, so nearly every writer still has one in flight in each.
PAUSE=100
NETEM="loss 20% duplicate 5% delay 10ms 5ms reorder 25%"
D=$RL_TMP/nemesis
rm -rf "$D"
mkdir -p "$D"
NODES=$(seq 1 $N)

tick_now
t_begin=$NOW
LIMIT=${SCENARIO_LIMIT:-300}	# the runner's limit for this scenario
log "seed $SEED, $SECONDS_OF_FAULTS s of faults"
dl_cluster $N commit_timeout_ms=$CT
rl_wait_leader 20 $NODES || { rl_show; fail "no leader within 20 s"; }
log "leader n$LEADER in term $LEADER_TERM; starting 10 writers"
tick_now
t_setup=$NOW

# --- writers ---------------------------------------------------------------
pids=()
names=()
for k in $NODES; do
	for w in a b; do
		probe --pause $PAUSE history "$(rl_dev "$k")" "n$k$w" - \
			>"$D/hist.n$k$w" 2>&1 &
		pids+=($!)
		names+=("n$k$w")
	done
done

# acked VAR: the number of successful writes so far (two forks; a bash
# loop over the history files would cost more under emulation).
acked() {
	printf -v "$1" %s "$(cat "$D"/hist.* | grep -c ' OK ')" || true
}

# --- the nemesis -------------------------------------------------------------
# shuffle VAR WORD...: VAR = the words in a random order (Fisher-Yates on
# $RANDOM, so the seed replays it).
shuffle() {
	local var=$1 i j t
	shift
	local a=("$@")
	for ((i = ${#a[@]} - 1; i > 0; i--)); do
		j=$((RANDOM % (i + 1)))
		t=${a[i]}
		a[i]=${a[j]}
		a[j]=$t
	done
	printf -v "$var" '%s' "${a[*]}"
}

# draw VAR DECK CARD...: the next card of a shuffled deck of CARDs, dealt
# again when used up: every kind of fault comes up in every few rounds.
# The first deals are in a fixed order, so that even a run slowed down to
# two rounds has had every kind of fault.
declare -A decks=(
	[partition]="lsplit isolate split none lsplit isolate"
	[lossy]="on off on"
	[restart]="no yes"
)
draw() {
	local var=$1 deck=$2 cards
	shift 2
	cards=${decks[$deck]:-}
	[ -n "$cards" ] || shuffle cards "$@"
	printf -v "$var" '%s' "${cards%% *}"
	case "$cards" in
	*" "*) decks[$deck]=${cards#* } ;;
	*) decks[$deck]="" ;;
	esac
}

# nm_leader: set L to the node that leads in the highest term (0: none).
nm_leader() {
	local k r t best=0
	L=0
	for k in $NODES; do
		rl_rd r "$k" role 2>/dev/null || continue
		rl_rd t "$k" term 2>/dev/null || continue
		if [ "$r" = leader ] && [ "$t" -gt "$best" ]; then
			best=$t
			L=$k
		fi
	done
}

# The network of a round (cuts and netem) is set by one tc -batch in the
# root namespace, within milliseconds and with one fork: the cuts are
# rl_cut's filters on the bridge ports' ingress, netem sits on the bridge
# ports' egress (vethK: what node K receives), so every direction of
# every link passes one netem, as with rl_netem. NM_CUT: filters are in;
# NM_LOSSY: the nodes with netem now.
NM_CUT=0
NM_LOSSY=""

# nm_net "A..." "B..." "LOSSY...": cut every link between groups A and B
# (none if A is empty), netem on the LOSSY nodes; what was there goes.
nm_net() {
	local a b k
	RL_BATCH=$D/tc.batch
	: >"$RL_BATCH"
	[ "$NM_CUT" = 0 ] || echo "filter del block 1" >>"$RL_BATCH"
	for k in $NM_LOSSY; do
		echo "qdisc del dev veth$k root" >>"$RL_BATCH"
	done
	for a in $1; do
		for b in $2; do
			rl_cut "$a" "$b"
		done
	done
	for k in $3; do
		echo "qdisc add dev veth$k root netem $NETEM" >>"$RL_BATCH"
	done
	RL_BATCH=""
	NM_CUT=0
	[ -z "$1" ] || NM_CUT=1
	NM_LOSSY=$3
	[ ! -s "$D/tc.batch" ] || tc -batch "$D/tc.batch" ||
		fail "tc -batch failed: $(cat "$D/tc.batch")"
}

# nm_split VAR_A VAR_B [LEADER]: a random minority (one or two nodes) and
# the rest; with LEADER, the minority is it and one follower (the leader
# steps down while that follower still hears it: the follower's forwarded
# writes get "not leader" answers from the very node that took them).
nm_split() {
	local order k i=0 m=$((1 + RANDOM % 2)) x="" y=""
	shuffle order $NODES
	if [ -n "${3:-}" ]; then
		order="$3 $(for k in $order; do [ "$k" = "$3" ] || echo "$k"; done)"
		m=2
	fi
	for k in $order; do
		if [ $i -lt $m ]; then x="$x${x:+ }$k"; else y="$y${y:+ }$k"; fi
		i=$((i + 1))
	done
	printf -v "$1" '%s' "$x"
	printf -v "$2" '%s' "$y"
}

count_split=0 count_isolate=0 count_lossy=0 count_restart=0
tick_now
t_end=$((NOW + SECONDS_OF_FAULTS * 1000))
round=0
while :; do
	tick_now
	[ "$NOW" -lt "$t_end" ] || break
	round=$((round + 1))
	draw part partition none split lsplit lsplit isolate isolate
	draw lossy lossy on on off
	draw restart restart yes no
	ga="" gb="" lossy_nodes="" what=""
	if [ "$part" = lsplit ]; then
		# Flaky first, then split: replies to forwarded writes get
		# lost just before the leader loses its majority.
		nm_net "" "" "$NODES"
		sleep 0.$((5 + RANDOM % 5))
	fi
	if [ "$part" = lsplit ] || [ "$part" = isolate ]; then
		nm_leader
		if [ "$L" = 0 ]; then
			what="no leader: "
			part=split
		fi
	fi
	case $part in
	none)
		what="connected"
		;;
	split)
		nm_split ga gb
		what="${what}split {$ga} | {$gb}"
		count_split=$((count_split + 1))
		;;
	lsplit)
		nm_split ga gb "$L"
		what="lossy everywhere, then split {$ga} | {$gb} (the leader and one)"
		count_split=$((count_split + 1))
		;;
	isolate)
		ga=$L
		for k in $NODES; do
			[ "$k" = "$L" ] || gb="$gb${gb:+ }$k"
		done
		what="leader n$L isolated"
		count_isolate=$((count_isolate + 1))
		;;
	esac
	if [ "$lossy" = on ]; then
		for k in $NODES; do
			[ $((RANDOM % 3)) = 0 ] || lossy_nodes="$lossy_nodes${lossy_nodes:+ }$k"
		done
		[ -n "$lossy_nodes" ] || lossy_nodes=$((RANDOM % N + 1))
		what="$what, lossy to $lossy_nodes"
		count_lossy=$((count_lossy + 1))
	fi
	nm_net "$ga" "$gb" "$lossy_nodes"
	tick_now
	t_round=$((NOW + 1000 + RANDOM % 2000))
	if [ "$restart" = yes ]; then
		sleep 0.$((RANDOM % 8 + 1))
		nm_leader
		v=$((RANDOM % N + 1))
		[ $((RANDOM % 2)) = 0 ] && [ "$L" != 0 ] && v=$L
		rl_rd r "$v" role || r="?"
		what="$what, restart n$v ($r)"
		rl_stop "$v"
		sleep 0.$((RANDOM % 5 + 1))
		rl_start "$v"
		count_restart=$((count_restart + 1))
	fi
	acked ok
	log "round $round: $what; $ok writes acknowledged so far"
	tick_now
	while [ "$NOW" -lt "$t_round" ] && [ "$NOW" -lt "$t_end" ]; do
		sleep 0.2
		tick_now
	done
done

# --- heal, then the writers must make progress again -------------------------------
nm_net "" "" ""
tick_now
t_heal=$NOW
acked ok_heal
log "healed after $round rounds ($count_split splits, $count_isolate leader" \
    "isolations, $count_lossy lossy, $count_restart restarts);" \
    "$ok_heal writes acknowledged"
rl_show
# commit_max VAR: the highest commit index of any node (no forks).
commit_max() {
	local k c m=0
	for k in $NODES; do
		rl_rd c "$k" commit_index 2>/dev/null || continue
		[ "$c" -le "$m" ] || m=$c
	done
	printf -v "$1" %s "$m"
}
# Progress: 20 entries more than any node had committed at the heal (a
# new leader's no-op is one entry).
commit_max c_heal
progress() {
	commit_max c_now
	[ "$c_now" -ge $((c_heal + 20)) ]
}
wait_until 30 progress || {
	rl_show
	tail -n 3 "$D"/hist.*
	fail "nothing committed in the 30 s after healing"
}

# Writers finish the write they are in (SIGTERM is looked at between
# writes); one still blocked after the commit timeout and a margin is a
# write() that does not keep its timeout.
for p in "${pids[@]}"; do
	kill -TERM "$p" 2>/dev/null || true
done
stuck=""
tick_now
t_stop=$((NOW + CT + 15000))
for i in "${!pids[@]}"; do
	while kill -0 "${pids[$i]}" 2>/dev/null; do
		tick_now
		if [ "$NOW" -ge "$t_stop" ]; then
			stuck="$stuck ${names[$i]}"
			kill -KILL "${pids[$i]}" 2>/dev/null || true
			break
		fi
		sleep 0.1
	done
	wait "${pids[$i]}" 2>/dev/null || true
done
acked ok
log "writers stopped: $ok writes acknowledged"

# --- converge, dump, check ---------------------------------------------------------
# Up to 90 s, but leave 45 s of the runner's limit for the dumps and the
# check.
tick_now
t_stopped=$NOW
wait_s=$(( (t_begin + (LIMIT - 45) * 1000 - NOW) / 1000 ))
[ "$wait_s" -le 90 ] || wait_s=90
[ "$wait_s" -ge 10 ] || wait_s=10
converged=1
wait_until "$wait_s" dl_converged $NODES || converged=0
rl_show
for k in $NODES; do
	probe dump "$(rl_dev "$k")" >"$D/log.n$k" || true
done
tick_now
t_dumped=$NOW
rc=0
nemesis-check "$D"/hist.* -- "$D"/log.* >"$D/check" 2>&1 || rc=$?
cat "$D/check"
tick_now
log "phases (s): setup $(( (t_setup - t_begin) / 1000 )), faults" \
    "$(( (t_heal - t_setup) / 1000 )), heal to writers stopped" \
    "$(( (t_stopped - t_heal) / 1000 )), convergence and dumps" \
    "$(( (t_dumped - t_stopped) / 1000 )), check $(( (NOW - t_dumped) / 1000 ))"
[ "$rc" = 0 ] || fail "seed $SEED: $(tail -n 1 "$D/check")"
[ -z "$stuck" ] || fail "seed $SEED: writes of$stuck blocked past the commit timeout + 15 s"
[ "$converged" = 1 ] || fail "seed $SEED: the nodes did not converge within $wait_s s of the writers stopping"
for c in "$count_split" "$count_isolate" "$count_lossy" "$count_restart"; do
	[ "$c" -gt 0 ] || fail "seed $SEED: not every kind of fault was applied"
done
[ "$ok" -ge 200 ] || fail "seed $SEED: only $ok writes acknowledged: the run proves little"
log "seed $SEED: PASS"
