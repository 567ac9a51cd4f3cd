#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bad-calls: every misuse of the device gets its documented error and
# loses nothing. Empty write: EINVAL. Over max_entry_size: EMSGSIZE
# (max_entry_size itself works). A read buffer smaller than the entry:
# EMSGSIZE with the cursor unchanged. Bad user pointers: EFAULT, cursor
# kept, nothing proposed. Unknown ioctls: ENOTTY. A non-blocking read at
# the end: EAGAIN. A write on a node cut off from every other node (no
# leader reachable): ENOTCONN (kmod/proposal.c: not taken, no leader)
# within the commit timeout. Afterwards every node's log holds exactly
# the two entries that were written successfully.
set -euo pipefail
. /vm/guest-lib.sh

CT=2000
rl_cluster 3 commit_timeout_ms=$CT
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader within 10 s"; }
L=$LEADER
F=$(( L % 3 + 1 ))
O=$(( F % 3 + 1 ))
D=$(rl_dev "$L")

# expect WANT CMD...: CMD's result line starts with WANT.
expect() {
	local want=$1 got
	shift
	got=$("$@" | head -n 1) || true
	case "$got" in
	"$want"*) log "ok: ${*#probe } -> ${got:0:90}" ;;
	*) fail "${*#probe }: got '${got:0:90}', want '$want'" ;;
	esac
}

index_of() {	# a probe write result line -> its index
	local i=${1#*index=}
	echo "${i%% *}"
}

expect EINVAL probe writelen "$D" 0
max=$(rl_get "$L" max_entry_size)
expect EMSGSIZE probe writelen "$D" $((max + 1))
expect EMSGSIZE probe writelen "$D" $((1 << 20))
res=$(probe writelen "$D" "$max") || fail "write of $max bytes: $res"
i1=$(index_of "$res")
res=$(probe write "$D" small-buffer-entry) || fail "write: $res"
i2=$(index_of "$res")
log "entries at $i1 ($max bytes) and $i2"

rl_rd c "$L" commit_index
wait_until 10 rl_all_commit_ge "$c" 1 2 3 || fail "no replication"
for k in "$L" "$F"; do
	d=$(rl_dev "$k")
	expect "EMSGSIZE before=$i2 after=$i2" probe read "$d" 17 "$i2"
	expect "EMSGSIZE before=$i2 after=$i2" probe read "$d" 1 "$i2"
	expect "EMSGSIZE before=$i1 after=$i1" probe read "$d" $((max - 1)) "$i1"
	expect "OK 18 before=$i2 after=$((i2 + 1)) data=small-buffer-entry" \
		probe read "$d" 18 "$i2"
	expect "OK $max before=$i1 after=$((i1 + 1))" probe read "$d" "$max" "$i1"
	expect "EAGAIN before=$((i2 + 1)) after=$((i2 + 1))" \
		probe --nonblock read "$d" 4096 $((i2 + 1))
done

expect EFAULT probe badptr-write "$D"
expect "EFAULT -1 before=$i2 after=$i2" probe badptr-read "$D" "$i2"
expect EFAULT probe badptr-ioctl "$D"
expect ENOTTY probe ioctl "$D" 0
expect ENOTTY probe ioctl "$D" 0x5401			# TCGETS
expect ENOTTY probe ioctl "$D" 0x8008b703		# _IOR(0xb7, 3, u64)
expect ENOTTY probe ioctl "$D" 0x4008b701		# _IOW, STATUS's nr

# status_agrees K: node K's status ioctl says what its sysfs says. The
# leader may change meanwhile (a busy debug kernel elects again now and
# then), so compare only a reading that sysfs showed the same before and
# after it.
status_agrees() {
	local k=$1 try st before after role term leader num
	for try in 1 2 3 4 5 6 7 8 9 10; do
		before="$(rl_get "$k" role) $(rl_get "$k" term) $(rl_get "$k" leader)"
		st=$(probe status "$(rl_dev "$k")") || fail "status ioctl: $st"
		after="$(rl_get "$k" role) $(rl_get "$k" term) $(rl_get "$k" leader)"
		[ "$before" = "$after" ] || continue
		read -r role term leader <<<"$after"
		case "$role" in
		follower) num=0 ;; precandidate) num=1 ;;
		candidate) num=2 ;; leader) num=3 ;;
		*) fail "n$k: unknown role '$role' in sysfs" ;;
		esac
		echo "$st" | grep -qx "id=$k" || fail "status: wrong id: $st"
		echo "$st" | grep -qx "role=$num" ||
			fail "status: role is not $num ($role in sysfs): $st"
		echo "$st" | grep -qx "term=$term" ||
			fail "status: term is not $term as in sysfs: $st"
		echo "$st" | grep -qx "leader=$leader" ||
			fail "status: leader is not $leader as in sysfs: $st"
		echo "$st" | grep -qx "max_entry_size=$max" ||
			fail "status: max_entry_size: $st"
		log "n$k: status ioctl agrees with sysfs ($role, term $term)"
		return 0
	done
	fail "n$k: sysfs changed around each of 10 status calls"
}
status_agrees "$L"
status_agrees "$F"

# Cut F off from both others; once it knows no leader, its write fails.
rl_partition "$F" "$L $O"
wait_until 10 eval '[ "$(rl_get "$F" leader)" = 0 ]' ||
	fail "n$F still names leader $(rl_get "$F" leader) while cut off"
res=$(probe write "$(rl_dev "$F")" no-leader-entry) || true
log "write on the cut-off n$F: $res"
case "$res" in
ENOTCONN*) ;;
*) fail "write with no reachable leader: '$res', want ENOTCONN" ;;
esac
ms=${res##*ms=}
[ "$ms" -le $((CT + 1000)) ] || fail "ENOTCONN only after $ms ms (commit timeout $CT)"
rl_heal
rl_wait_leader 15 1 2 3 || { rl_show; fail "no leader after healing"; }

# Nothing lost, nothing added.
sleep 1
rl_rd c "$LEADER" commit_index
wait_until 10 rl_all_commit_ge "$c" 1 2 3 || fail "no catch-up"
rl_logs_identical 1 2 3 || fail "logs differ"
n=$(wc -l <"$RL_TMP/log.1")
[ "$n" = 2 ] || fail "the log has $n entries, not 2: $(cut -c1-60 "$RL_TMP/log.1")"
[ "$(sed -n 1p "$RL_TMP/log.1" | cut -d' ' -f1)" = "$i1" ] || fail "entry 1 moved"
[ "$(sed -n 1p "$RL_TMP/log.1" | cut -d' ' -f2 | wc -c)" = $((max + 1)) ] ||
	fail "entry 1 is not $max bytes"
[ "$(sed -n 2p "$RL_TMP/log.1")" = "$i2 small-buffer-entry" ] || fail "entry 2 wrong"
log "every log holds exactly the two accepted entries"
