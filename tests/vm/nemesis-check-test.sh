#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nemesis-check-test.sh CHECKER: proves that every check of
# tests/vm/nemesis-check.c fires (run on the host by tests/unit/run.sh).
# A small clean history of two writers and the logs of three nodes must
# pass; each hand-broken copy of it must fail with exactly its class of
# violation: a duplicated entry, a lost acknowledged one, a phantom, a
# pair out of real-time order, a divergent node, a write that is there
# although its errno says "not committed" (each such errno; those of
# "unknown outcome" pass), a wrong reported index, an errno outside the
# table; a torn history line is unusable input. One "PASS|FAIL nemesis-check: CASE"
# line each, then "nemesis-check: P of N cases".
set -euo pipefail

check=${1:?usage: $0 CHECKER}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
classes="lost duplicated phantom divergent failed-present wrong-index order unclassified"

# The clean case. Times are ns. b-0 returned (2500) before a-1 began
# (3000), so a-1 must come after it; a-2 (ETIMEDOUT) and b-1 (ESHUTDOWN)
# may have committed and did; a-3 (ENOTCONN) and b-3 (EBUSY) did not;
# writer b has no DONE line, so b-4, its write in flight, may be there.
base() {
	cat >"$dir/hist.a" <<-EOF
	1000 2000 OK a-0 2
	3000 4000 OK a-1 4
	5000 9000 ETIMEDOUT a-2 -
	10000 11000 ENOTCONN a-3 -
	12000 13000 OK a-4 8
	DONE a 5
	EOF
	cat >"$dir/hist.b" <<-EOF
	1500 2500 OK b-0 3
	2600 8000 ESHUTDOWN b-1 -
	8100 11500 OK b-2 7
	11600 11700 EBUSY b-3 -
	EOF
	cat >"$dir/log.n1" <<-EOF
	2 a-0
	3 b-0
	4 a-1
	5 b-1
	6 a-2
	7 b-2
	8 a-4
	9 b-4
	END at=10
	EOF
	cp "$dir/log.n1" "$dir/log.n2"
	# n3 is behind (that alone is no violation).
	head -n 6 "$dir/log.n1" >"$dir/log.n3"
	echo "END at=8" >>"$dir/log.n3"
}

# append LOG INDEX ENTRY: one more entry at the end of a log.
append() {
	sed -i '/^END /d' "$1"
	printf '%s %s\nEND at=%s\n' "$2" "$3" $(($2 + 1)) >>"$1"
}

passed=0
total=0
# expect CASE STATUS [CLASS COUNT]: run the checker on the files as they
# are now; it must exit with STATUS, report COUNT of CLASS, 0 of the rest.
expect() {
	local name=$1 want=$2 class=${3:-} n=${4:-0} out rc=0 c got why=""
	total=$((total + 1))
	out=$("$check" "$dir"/hist.* -- "$dir"/log.* 2>&1) || rc=$?
	[ "$rc" = "$want" ] || why="exit $rc, not $want"
	if [ "$want" != 2 ]; then
		for c in $classes; do
			got=$(sed -n "s/^$c: //p" <<<"$out")
			if [ "$c" = "$class" ]; then
				[ "$got" = "$n" ] || why="$why${why:+; }$c: '$got', not $n"
			else
				[ "$got" = 0 ] || why="$why${why:+; }$c: '$got', not 0"
			fi
		done
	fi
	if [ -z "$why" ]; then
		passed=$((passed + 1))
		echo "PASS nemesis-check: $name"
	else
		echo "FAIL nemesis-check: $name: $why"
		sed 's/^/    /' <<<"$out"
	fi
}

base
expect "a clean history passes" 0

base
append "$dir/log.n1" 10 b-1		# b-1 (ESHUTDOWN) committed twice
expect "an entry twice (not acknowledged) is duplicated" 1 duplicated 1

base
append "$dir/log.n1" 10 a-1		# acknowledged once, there twice
expect "an acknowledged entry twice is duplicated" 1 duplicated 1

base
sed -i '/ a-4$/d' "$dir"/log.*		# acknowledged, nowhere
expect "an acknowledged entry missing is lost" 1 lost 1

base
sed -i 's/^9 b-4$/9 a-5/' "$dir"/log.*	# a ended after a-4
expect "an entry never attempted is a phantom" 1 phantom 1

base
sed -i 's/^9 b-4$/9 b-5/' "$dir"/log.*	# b's write in flight was b-4
expect "only the write in flight of an unfinished writer may appear" 1 phantom 1

base
# a-1 began after b-0 returned, yet sits before it (indexes as reported).
sed -i 's/^3 b-0$/3 a-1/; t; s/^4 a-1$/4 b-0/' "$dir"/log.*
sed -i 's/ OK a-1 4$/ OK a-1 3/' "$dir/hist.a"
sed -i 's/ OK b-0 3$/ OK b-0 4/' "$dir/hist.b"
expect "a pair out of real-time order" 1 order 1

base
sed -i 's/^5 b-1$/5 a-3/' "$dir/log.n2"	# n2 disagrees with n1 at 5
expect "a node holding another entry at an index is divergent" 1 divergent 1

# a-3 committed after all: a violation for each "not committed" errno,
# none for each "unknown outcome" one.
for e in ENOTCONN ECANCELED EBUSY EAGAIN EINVAL EMSGSIZE; do
	base
	sed -i "s/ ENOTCONN a-3 -\$/ $e a-3 -/" "$dir/hist.a"
	append "$dir/log.n1" 10 a-3
	expect "a write reported $e that is there" 1 failed-present 1
done
for e in ETIMEDOUT ESHUTDOWN EINTR ERESTARTSYS ESTALE EIO ENOMEM; do
	base
	sed -i "s/ ENOTCONN a-3 -\$/ $e a-3 -/" "$dir/hist.a"
	append "$dir/log.n1" 10 a-3
	expect "a write reported $e (unknown outcome) may be there" 0
done

base
sed -i 's/ OK a-4 8$/ OK a-4 9/' "$dir/hist.a"
expect "an acknowledged index holding another entry" 1 wrong-index 1

base
sed -i 's/ OK a-4 8$/ OK a-4 0/' "$dir/hist.a"
expect "a successful write that was given no index" 1 wrong-index 1

base
sed -i 's/ EBUSY b-3 -$/ EPIPE b-3 -/' "$dir/hist.b"
expect "an errno outside the table is unclassified" 1 unclassified 1

base
printf '11800 15000 OK b-4 9' >>"$dir/hist.b"	# no newline: torn
expect "a torn history line is unusable input" 2

echo "nemesis-check: $passed of $total cases"
[ "$passed" = "$total" ]
