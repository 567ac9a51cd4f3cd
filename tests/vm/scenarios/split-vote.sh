#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# split-vote: four nodes (a majority is three). n1 and n2 have a short
# election timeout, n3 and n4 one too long to ever fire here. Filters on
# the nodes' ingress drop the RequestVote messages (not the pre-votes)
# n1 <-> n2, n1 -> n4 and n2 -> n3, so n1 can win at most {n1, n3} and n2
# at most {n2, n4}: whenever both stand in one term, the vote splits 2:2.
# A 100 ms one-way delay on every link makes it likely that both pass
# their pre-vote in the same term (else the first candidate's higher term
# turns the other's pre-vote down and they only leapfrog).
# The tracepoints must show a term in which two nodes became candidates
# and nobody became leader; the vote counts in sysfs must show that term
# split. Then the filters go and a later term elects exactly one leader.
set -euo pipefail
. /vm/guest-lib.sh

VOTE=3	# RAFT_MSG_VOTE in kmod/raft/raft.h
T=/sys/kernel/tracing
[ -d "$T/events/raftlog" ] || { rl_load; }
[ -d "$T/events/raftlog" ] || fail "no raftlog tracepoints in $T/events"

rl_load
rl_net 4
rl_drop_type 1 2 "$VOTE"
rl_drop_type 2 1 "$VOTE"
rl_drop_type 1 4 "$VOTE"
rl_drop_type 2 3 "$VOTE"
for k in 1 2 3 4; do
	if [ "$k" -le 2 ]; then
		rl_create "$k" 4 election_timeout_ms=400 heartbeat_ms=50
	else
		rl_create "$k" 4 election_timeout_ms=30000 heartbeat_ms=50
	fi
done

echo 0 >"$T/tracing_on"
echo >"$T/trace"
echo 4096 >"$T/buffer_size_kb"
echo 1 >"$T/events/raftlog/raftlog_role/enable"
echo 1 >"$T/events/raftlog/raftlog_term/enable"
echo 1 >"$T/tracing_on"
for k in 1 2 3 4; do
	rl_netem "$k" delay 100ms
done
for k in 1 2 3 4; do
	rl_start "$k"
done

# Terms in which two nodes became candidates and none became leader.
split_terms() {
	awk '
	/raftlog_role:/ && /->candidate/ {
		match($0, /dev=[^ ]+/); d = substr($0, RSTART + 4, RLENGTH - 4)
		match($0, /term=[0-9]+/); t = substr($0, RSTART + 5, RLENGTH - 5)
		if (!((t, d) in seen)) { seen[t, d] = 1; cand[t]++ }
	}
	/raftlog_role:/ && /->leader/ {
		match($0, /term=[0-9]+/); lead[substr($0, RSTART + 5, RLENGTH - 5)] = 1
	}
	END { for (t in cand) if (cand[t] >= 2 && !(t in lead)) print t }
	' "$1" | sort -n
}

# Sample who voted for whom in which term from sysfs, in rounds of 5 s,
# until a split term of the trace also shows the 2:2 vote in sysfs (n1
# and n3 voted n1, n2 and n4 voted n2), for at most 40 s.
votes=$RL_TMP/votes
: >"$votes"
shown=""
split=""
for round in 1 2 3 4 5 6 7 8; do
	tick_now
	end=$((NOW + 5000))
	while [ "$NOW" -lt "$end" ]; do
		for k in 1 2 3 4; do
			rl_rd t "$k" term
			rl_rd v "$k" voted_for
			rl_rd r "$k" role
			[ "$r" != leader ] || {
				rl_show
				fail "n$k became leader through the filters"
			}
			[ "$v" = 0 ] || echo "$t $k $v" >>"$votes"
		done
		sleep 0.02
		tick_now
	done
	cp "$T/trace" "$RL_TMP/trace.split"
	split=$(split_terms "$RL_TMP/trace.split")
	sort -u "$votes" >"$votes.u"
	for t in $split; do
		if grep -q "^$t 1 1\$" "$votes.u" &&
		   grep -q "^$t 2 2\$" "$votes.u" &&
		   grep -q "^$t 3 1\$" "$votes.u" &&
		   grep -q "^$t 4 2\$" "$votes.u"; then
			shown=$t
			break
		fi
	done
	[ -z "$shown" ] || break
done
rl_show
[ -n "$split" ] || {
	grep raftlog_role "$RL_TMP/trace.split" | tail -n 40
	fail "the trace shows no term with two candidates and no leader"
}
log "terms with two candidates and no leader (trace): $(echo $split)"
[ -n "$shown" ] || {
	tail -n 40 "$votes.u"
	fail "sysfs never showed the 2:2 vote of a split term"
}
log "term $shown: n1 and n3 voted n1, n2 and n4 voted n2: split"

for k in 1 2 3 4; do
	rl_netem_clear "$k"
done
rl_heal
rl_wait_leader 20 1 2 3 4 || { rl_show; fail "no leader after the filters went"; }
leader=$LEADER
term=$LEADER_TERM
rl_show
echo 0 >"$T/tracing_on"
cp "$T/trace" "$RL_TMP/trace.all"
[ "$term" -gt "$shown" ] || fail "leader's term $term is not after split term $shown"
# Exactly one node became leader in that term, and no term had two.
n=$(grep raftlog_role "$RL_TMP/trace.all" | grep -c -- "term=$term .*->leader") || true
[ "$n" = 1 ] || fail "$n leader transitions in term $term"
dup=$(grep raftlog_role "$RL_TMP/trace.all" | grep -- '->leader' |
      sed -E 's/.*term=([0-9]+).*/\1/' | sort | uniq -d)
[ -z "$dup" ] || fail "two leaders in term(s) $dup"
log "term $term elected exactly one leader: n$leader"
for e in raftlog_role raftlog_term; do
	echo 0 >"$T/events/raftlog/$e/enable"
done
echo >"$T/trace"
echo 1 >"$T/tracing_on"
