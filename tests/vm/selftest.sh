#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest script: proves the harness itself (no raftlog needed). Builds three
# namespaces on a bridge, pings across them over IPv4 and IPv6, checks that
# rl_cut and rl_drop_type drop exactly what they should and rl_heal undoes
# them, applies netem, and checks the kernel log.
#   tests/vm/run-in-vm.sh tests/vm/selftest.sh
set -euo pipefail
. /vm/guest-lib.sh

kcheck_begin
rl_net 3
wait_until 10 rl_ping_all || fail "nodes cannot ping each other"
log "3 namespaces ping each other (v4 and v6)"

rl_cut 1 2
if ip netns exec n1 ping -q -c 1 -W 1 10.99.0.2 >/dev/null; then
	fail "cut 1-2 let IPv4 through"
fi
if ip netns exec n2 ping6 -q -c 1 -W 1 fd00:99::1 >/dev/null; then
	fail "cut 1-2 let IPv6 through"
fi
ip netns exec n1 ping -q -c 1 -W 2 10.99.0.3 >/dev/null ||
	fail "cut 1-2 also cut 1-3"
rl_heal
ip netns exec n1 ping -q -c 1 -W 2 10.99.0.2 >/dev/null ||
	fail "heal did not restore 1-2"
log "cut and heal work"

# A UDP datagram whose payload byte 5 is 3 is dropped by rl_drop_type; one
# with byte 5 = 4 passes.
rl_drop_type 1 2 3
ip netns exec n2 sh -c 'badpkt recv 7070 2500 > /tmp/got' &
sleep 0.5
# The magic, version 1, then type 3 / type 4 and padding (u32 reads words).
pad=0000000000000000000000000000000000000000
ip netns exec n1 badpkt send 10.99.0.2 7070 5246544c0103$pad || true
ip netns exec n1 badpkt send 10.99.0.2 7070 5246544c0104$pad || true
wait
grep -q "^5246544c0103$pad\$" /tmp/got && fail "type filter let type 3 through"
grep -q "^5246544c0104$pad\$" /tmp/got || fail "type filter dropped type 4"
rl_heal
log "message-type filter works"

for k in 1 2 3; do
	rl_netem "$k" loss 20% duplicate 5% delay 10ms 5ms reorder 25%
done
qd=$(ip netns exec n1 tc qdisc show dev eth0)
case "$qd" in *netem*) ;; *) fail "no netem: $qd" ;; esac
out=$(ip netns exec n1 ping -c 20 -i 0.05 -W 1 10.99.0.2 2>&1 || true)
echo "$out" | tail -n 2
echo "$out" | grep -qE ' [1-9][0-9]* packets received' || fail "netem: nothing got through"
log "netem applied"
rl_destroy
kcheck_end
echo "selftest ok"
