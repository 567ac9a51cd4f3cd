#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# raftlogd/test.sh: three raftlogd processes on 127.0.0.1 (no VM, no
# module): writes through each node's socket, the same committed log on
# every node, SIGKILL of the leader, a new leader and more writes, the
# dead node restarted on its data dir catching up, a crash of the whole
# cluster losing no acknowledged entry, the durability order under strace
# (no promise leaves between a write to the data_dir and its fsync), and
# an IPv6 cluster. One PASS/FAIL line per check, then "N passed, N failed";
# exit status 1 on any failure.
set -u

usage() {
	cat <<EOF2
usage: $0 [-h]
Environment: RAFTLOGD (the daemon to test; default: build ./raftlogd),
RAFTLOGC (the client, default ./raftlogc), TEST_PORT (first UDP port;
default from the PID), KEEP=1 keeps the temporary directory.
Exit status: 0 all passed, 1 a check failed, 2 usage.
EOF2
}
case "${1:-}" in
-h | --help) usage; exit 0 ;;
"") ;;
*) usage >&2; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
if [ -z "${RAFTLOGD:-}" ]; then
	make -s -C "$here" >/dev/null || { echo "FAIL build"; echo "0 passed, 1 failed"; exit 1; }
	RAFTLOGD=$here/raftlogd
fi
RAFTLOGC=${RAFTLOGC:-$here/raftlogc}
[ -x "$RAFTLOGC" ] || make -s -C "$here" raftlogc >/dev/null

T=$(mktemp -d /tmp/raftlogd-test.XXXXXX)
port=${TEST_PORT:-$((20000 + $$ % 20000))}
pass=0
fail=0
declare -A pid

cleanup() {
	stop "${!pid[@]}"
	[ "${KEEP:-0}" = 1 ] && echo "kept $T" || rm -rf "$T"
}
trap cleanup EXIT

ok() { echo "PASS $*"; pass=$((pass + 1)); }
ko() { echo "FAIL $*"; fail=$((fail + 1)); }
check() { local what=$1; shift; if "$@"; then ok "$what"; else ko "$what"; fi; }

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$T/key"
chmod 600 "$T/key"
peers="1@127.0.0.1:$port,2@127.0.0.1:$((port + 1)),3@127.0.0.1:$((port + 2))"

start() {	# start ID [PREFIX...]: node ID on its data dir
	local id=$1
	shift
	"$@" "$RAFTLOGD" --id "$id" --peers "$peers" --data-dir "$T/d$id" \
		--key-file "$T/key" --socket "$T/s$id" 2>>"$T/log$id" &
	pid[$id]=$!
}

stop() {	# stop ID...: SIGKILL, quietly
	local n c
	for n in "$@"; do
		[ -n "${pid[$n]:-}" ] || continue
		# under strace the daemon is strace's child: it goes first
		for c in $(pgrep -P "${pid[$n]}"); do kill -9 "$c"; done
		{ kill -9 "${pid[$n]}"; wait "${pid[$n]}"; } 2>/dev/null
		unset "pid[$n]"
	done
}

status() { "$RAFTLOGC" "$T/s$1" status 2>/dev/null; }
field() { status "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }

# leader NODES...: the leader all of NODES agree on, if any
leader() {
	local n l first=""
	for n in "$@"; do
		l=$(field "$n" leader)
		[ -n "$l" ] && [ "$l" != 0 ] || return 1
		[ -z "$first" ] && first=$l
		[ "$l" = "$first" ] || return 1
	done
	echo "$first"
}

wait_leader() {	# wait_leader [-not ID] NODES...: the leader within 5 s
	local i l not=0
	[ "$1" = -not ] && { not=$2; shift 2; }
	for i in $(seq 50); do
		l=$(leader "$@") && [ "$l" != "$not" ] && { echo "$l"; return 0; }
		sleep 0.1
	done
	return 1
}

dump() { "$RAFTLOGC" "$T/s$1" read 2>/dev/null; }

# same_log N NODES...: every node reads the same N committed entries
same_log() {
	local want=$1 i n ref
	shift
	for i in $(seq 50); do
		ref=$(dump "$1")
		if [ "$(printf '%s\n' "$ref" | grep -c .)" = "$want" ]; then
			for n in "$@"; do
				[ "$(dump "$n")" = "$ref" ] || continue 2
			done
			return 0
		fi
		sleep 0.1
	done
	return 1
}

has_all() {	# has_all NODE WORDS...: NODE's log holds each word once
	local n=$1 w log
	shift
	log=$(dump "$n")
	for w in "$@"; do
		[ "$(printf '%s\n' "$log" | grep -cx "[0-9]* $w")" = 1 ] || return 1
	done
}

written=()
write_on() {	# write_on NODE WORDS...
	local n=$1
	shift
	"$RAFTLOGC" "$T/s$n" write "$@" >/dev/null || return 1
	written+=("$@")
}

for n in 1 2 3; do start $n; done
sleep 0.3
l=$(wait_leader 1 2 3)
check "three nodes elect one leader (node ${l:-none})" [ -n "$l" ]

check "writes through node 1" write_on 1 a1 a2 a3
check "writes through node 2" write_on 2 b1 b2
check "writes through node 3" write_on 3 c1
check "every node reads the same 6 committed entries" same_log 6 1 2 3
check "each acknowledged write is in the log exactly once" has_all 1 "${written[@]}"

if [ -n "$l" ]; then
	stop "$l"
	rest=$(printf '%s\n' 1 2 3 | grep -vx "$l" | tr '\n' ' ')
	nl=$(wait_leader -not "$l" $rest)
	check "after SIGKILL of leader $l a new leader (node ${nl:-none})" \
		[ -n "$nl" ]
	set -- $rest
	check "writes continue through node $1" write_on "$1" d1 d2
	check "writes continue through node $2" write_on "$2" e1
	check "the two live nodes read the same 9 entries" same_log 9 $rest

	start "$l"
	check "restarted node $l catches up from its data_dir" same_log 9 $rest "$l"
	check "node $l restored its entries from disk" \
		grep -q "restored term [1-9][0-9]*, vote [0-9]*, [1-9][0-9]* entries" "$T/log$l"
	check "restarted node $l takes writes" write_on "$l" f1
	check "all three read the same 10 entries" same_log 10 1 2 3
fi

# The whole cluster crashes: nothing acknowledged may be lost.
stop 1 2 3
for n in 1 2 3; do start $n; done
wait_leader 1 2 3 >/dev/null
check "after SIGKILL of all three, every acknowledged entry is back" \
	same_log 10 1 2 3
check "... each exactly once, on every node" \
	bash -c "$(declare -f dump has_all); T=$T RAFTLOGC=$RAFTLOGC; for n in 1 2 3; do has_all \$n ${written[*]} || exit 1; done"
check "data_dir files are in the module's format (RLLG log, RLHS state)" \
	bash -c "[ \"\$(head -c4 $T/d1/log)\" = RLLG ] && [ \"\$(head -c4 $T/d1/state)\" = RLHS -o \"\$(tail -c +4097 $T/d1/state | head -c4)\" = RLHS ]"

# Durability order on a follower, seen by strace: a successful
# APPEND_RESP for an index leaves only after an fsync that began after
# that entry's write returned (durability-order.awk). The fsync runs on a
# thread of its own (sync.c), so heartbeats and their answers, and the
# writes of later entries, go on meanwhile.
if command -v strace >/dev/null && l=$(wait_leader 1 2 3); then
	f=$(printf '%s\n' 1 2 3 | grep -vx "$l" | head -1)
	stop "$f"
	start "$f" strace -f -qq -xx -s 4096 -o "$T/strace" -e trace=pwrite64,fsync,fdatasync,sendmmsg
	same_log 10 1 2 3 >/dev/null
	write_on "$f" g1 g2 g3 >/dev/null
	write_on "$l" h1 h2 >/dev/null
	same_log 15 1 2 3 >/dev/null
	stop "$f"
	bad=$(awk -f "$here/durability-order.awk" "$T/strace")
	check "follower $f: no APPEND_RESP before the fsync of its entries${bad:+ ($bad)}" \
		[ -z "$bad" -a -s "$T/strace" ]
else
	ko "strace check (strace missing or no leader)"
fi

# IPv6, memory-only.
stop 1 2 3
peers="1@[::1]:$((port + 10)),2@[::1]:$((port + 11)),3@[::1]:$((port + 12))"
for n in 1 2 3; do
	"$RAFTLOGD" --id $n --peers "$peers" --insecure --socket "$T/s$n" \
		2>>"$T/log6-$n" &
	pid[$n]=$!
done
sleep 0.3
wait_leader 1 2 3 >/dev/null
check "IPv6 memory-only cluster: a write on node 2 reaches all three" \
	bash -c "'$RAFTLOGC' '$T/s2' write v6 >/dev/null" && \
	check "... and every node reads it" same_log 1 1 2 3

# raftctl drives raftlogd as it drives the device (DEV unix:PATH).
RAFTCTL=${RAFTCTL:-$here/../userspace-tools/raftctl}
if [ -x "$RAFTCTL" ]; then
	i1=$("$RAFTCTL" append --session 99 --seq 1 "unix:$T/s1" retried 2>/dev/null)
	i3=$("$RAFTCTL" append --session 99 --seq 1 "unix:$T/s3" retried 2>/dev/null)
	check "raftctl append: a retry of (session, seq) on another node gets the same index (${i1:-?}, ${i3:-?})" \
		[ -n "$i1" -a "$i1" = "${i3:-x}" ]
	sleep 0.2
	check "raftctl tail on node 2 reads both entries, each once" \
		[ "$("$RAFTCTL" tail "unix:$T/s2" | cut -f2 | tr '\n' ' ')" = "v6 retried " ]
else
	echo "SKIP raftctl checks ($RAFTCTL not built: make -C userspace-tools)"
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
