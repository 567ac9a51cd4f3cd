#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/demo.sh (`make demo`): raftlog in five minutes. Installs what it
# needs, builds the module and the tools, boots a QEMU VM and in it forms a
# 3-node cluster (one network namespace per node), shows the election,
# appends "sally" and a few more entries, reads them back on every node,
# shows every node's state, stops the leader and shows the re-election,
# the log surviving it and the old leader catching up again.
#
# The same file is the guest script: run-in-vm.sh starts it in the VM with
# --guest. Exits 0 only if every step did what it says.
set -euo pipefail

# --- guest side ----------------------------------------------------------

section() {
	echo
	echo "=== $* ==="
	echo
}

# run CMD...: show a command like a shell prompt would (on stderr, so
# that capturing or teeing the output takes only the command's), run it.
run() {
	echo "\$ $*" >&2
	"$@"
}

# Print the first index in the output of `raftctl append`.
index_of() {
	grep -m 1 -E '^[0-9]+$' <<<"$1"
}

guest_main() {
	# shellcheck source=tests/vm/guest-lib.sh
	. /vm/guest-lib.sh
	# The serial console shows escape codes raw: no colour from the tools.
	export NO_COLOR=1
	local k peers leader old new t0 ms i_sally out last others survivors

	kcheck_begin
	section "1. Three nodes, each in its own network namespace"
	rl_load
	rl_net 3
	for k in 1 2 3; do
		echo "  n$k: namespace n$k, address $(rl_ip "$k"), UDP port $RL_PORT"
	done
	wait_until 15 rl_ping_all || fail "the namespaces cannot reach each other"
	echo "  all three reach each other over the bridge br0"

	section "2. One key for the cluster (raftctl keygen), one raftlog instance per node (raftctl create; --netns puts its socket in the node's namespace)"
	mkdir -p /etc/raftlog
	echo "\$ (umask 077; raftctl keygen > /etc/raftlog/demo.key)" >&2
	(umask 077; raftctl keygen >/etc/raftlog/demo.key) ||
		fail "raftctl keygen failed"
	echo "  $(stat -c '%A %n' /etc/raftlog/demo.key): 64 hex digits, shared by all three nodes"
	echo "  (every datagram carries a MAC under this key; a node without it cannot join)"
	echo
	peers=$(rl_peers 3)
	t0=$(now_ms)
	for k in 1 2 3; do
		run raftctl create "n$k" --netns "n$k" --id "$k" \
			--peers "$peers" --cluster-id 99 \
			--key-file /etc/raftlog/demo.key ||
			fail "raftctl create n$k failed"
	done
	echo
	echo "  authenticated (sysfs): n1 $(rl_get 1 authenticated), n2 $(rl_get 2 authenticated), n3 $(rl_get 3 authenticated)"
	if cat "$RL_CFS/n1/key" >/dev/null 2>&1; then
		fail "the key attribute can be read back"
	fi
	echo "  the key is write-only: cat $RL_CFS/n1/key fails ($(cat "$RL_CFS/n1/key" 2>&1 >/dev/null | sed 's/.*: //'))"

	section "3. Leader election"
	rl_wait_leader 20 1 2 3 || {
		rl_show
		fail "no leader agreed on within 20 s"
	}
	leader=$LEADER
	ms=$(( $(now_ms) - t0 ))
	echo "n$leader won the election: leader of term $(rl_get "$leader" term)," \
	     "agreed on by all three nodes ${ms} ms after the first one was enabled"
	echo
	echo "The kernel log of the VM:"
	dmesg | grep 'raftlog: ' | grep -v taint | sed 's/^/  /' || true
	echo
	run raftctl status || fail "raftctl status failed"

	section "4. Appending entries (each write returns once a majority has it)"
	others=$(for k in 1 2 3; do [ "$k" = "$leader" ] || echo "$k"; done)
	# shellcheck disable=SC2086 # two ids, split on purpose
	set -- $others
	out=$(run raftctl append "n$leader" sally) || fail "append sally failed"
	echo "$out"
	i_sally=$(index_of "$out") || fail "raftctl append printed no index"
	echo "-> \"sally\" is committed at log index $i_sally"
	echo
	echo "A follower forwards writes to the leader:"
	out=$(run raftctl append "n$1" "hello from n$1" "and another one") ||
		fail "append on follower n$1 failed"
	echo "$out"
	echo
	echo "One entry per line of standard input:"
	printf '$ printf '"'"'alice\\nbob\\ncarol\\n'"'"' | raftctl append n%s\n' "$2" >&2
	printf 'alice\nbob\ncarol\n' | raftctl append "n$2" ||
		fail "append from stdin on n$2 failed"
	last=$(rl_get "$leader" commit_index)

	section "5. Reading the log back on every node (raftctl tail: INDEX<TAB>DATA)"
	wait_until 10 rl_all_commit_ge "$last" 1 2 3 || {
		rl_show
		fail "not every node committed up to index $last"
	}
	for k in 1 2 3; do
		[ "$k" = 1 ] || echo
		run raftctl tail "n$k" | tee "$RL_TMP/tail.$k" ||
			fail "raftctl tail n$k failed"
	done
	for k in 1 2 3; do
		cmp -s "$RL_TMP/tail.1" "$RL_TMP/tail.$k" ||
			fail "n$k's log differs from n1's"
	done
	grep -qx "$i_sally	sally" "$RL_TMP/tail.1" ||
		fail "sally is not at index $i_sally"
	[ "$(wc -l <"$RL_TMP/tail.1")" -eq 6 ] ||
		fail "expected 6 entries, found $(wc -l <"$RL_TMP/tail.1")"
	echo
	echo "-> all three nodes hold the same 6 entries at the same indexes"
	echo "   (index 1 is the no-op entry a new leader commits; readers skip it)"

	section "6. The state of every node (raftctl status, from sysfs)"
	run raftctl status || fail "raftctl status failed"
	echo
	for k in 1 2 3; do
		echo "  n$k: $(rl_get "$k" stats/elections) elections started," \
		     "$(rl_get "$k" stats/msgs_sent) messages sent," \
		     "$(rl_get "$k" stats/commits) entries committed"
	done

	section "7. Stopping the leader, n$leader"
	old=$leader
	survivors=$others
	echo "\$ echo 0 > $RL_CFS/n$old/enabled" >&2
	echo 0 >"$RL_CFS/n$old/enabled" || fail "cannot stop n$old"
	t0=$(now_ms)
	# shellcheck disable=SC2086
	rl_wait_leader 20 $survivors || {
		rl_show $survivors
		fail "the two survivors elected no leader within 20 s"
	}
	new=$LEADER
	ms=$(( $(now_ms) - t0 ))
	echo "-> n$new took over as leader of term $(rl_get "$new" term), ${ms} ms after n$old stopped"
	dmesg | awk -v off="raftlog-n$old: disabled" \
		'index($0, off) { on = 1 }
		 on && (index($0, off) || /is leader in term/) { print "  " $0 }'
	echo
	out=$(run raftctl append "n$new" "written while n$old is down") ||
		fail "append after the failover failed"
	echo "$out"
	echo
	for k in $survivors; do
		echo
		run raftctl tail "n$k" | tee "$RL_TMP/after.$k" ||
			fail "raftctl tail n$k failed"
		grep -qx "$i_sally	sally" "$RL_TMP/after.$k" ||
			fail "n$k lost sally at index $i_sally"
		head -n 6 "$RL_TMP/after.$k" | cmp -s - "$RL_TMP/tail.1" ||
			fail "n$k's log changed under the new leader"
	done
	echo
	echo "-> the log survived: every entry is still at its index, and the new"
	echo "   leader appends after them (after its own no-op entry)"

	section "8. n$old comes back and catches up"
	echo "\$ nsenter --net=/run/netns/n$old sh -c 'echo 1 > $RL_CFS/n$old/enabled'" >&2
	nsenter --net="/run/netns/n$old" \
		sh -c "echo 1 > $RL_CFS/n$old/enabled" ||
		fail "cannot restart n$old"
	last=$(rl_get "$new" commit_index)
	wait_until 20 rl_all_commit_ge "$last" 1 2 3 || {
		rl_show
		fail "n$old did not catch up to index $last"
	}
	run raftctl tail "n$old" | tee "$RL_TMP/back.$old" ||
		fail "raftctl tail n$old failed"
	cmp -s "$RL_TMP/back.$old" "$RL_TMP/after.$new" ||
		fail "n$old's log differs from the leader's"
	echo
	run raftctl status || fail "raftctl status failed"
	echo
	echo "-> n$old rejoined as a follower and holds the same log again"

	kcheck_end
	section "Done: the kernel log shows no warning"
}

if [ "${1:-}" = --guest ]; then
	guest_main
	exit 0
fi

# --- host side -----------------------------------------------------------

cd "$(dirname "$0")/../.."

# The guest's output without firmware noise and the harness's @@ lines.
vm_console_filter() {
	awk '/@@BOOTED/ { on = 1; next } /^@@/ || /reboot: Power down/ { next }
	     on { print; fflush() }'
}
start=$(date +%s)

step() {
	echo
	echo "##### $* #####"
}

step "raftlog demo: installing what it needs (tests/deps.sh)"
tests/deps.sh vm build
echo "ok"

step "Building raftlog.ko and the tools (raftctl, raftbench)"
nice make --no-print-directory -s -j"$(nproc)" module tools
for f in kmod/raftlog.ko userspace-tools/raftctl userspace-tools/raftbench; do
	echo "  $f ($(stat -c %s "$f") bytes)"
done

built=$(date +%s)
step "Booting a QEMU VM (software emulation; takes a little while)"
rc=0
tests/vm/run-in-vm.sh --timeout "${DEMO_TIMEOUT:-300}" tests/vm/demo.sh \
	--guest | vm_console_filter || rc=${PIPESTATUS[0]}
echo
if [ "$rc" -ne 0 ]; then
	echo "demo FAILED (exit $rc); the console log is build/vm/console.log"
	exit 1
fi
now=$(date +%s)
echo "demo finished in $((now - start)) s (build $((built - start)) s, VM $((now - built)) s)"
