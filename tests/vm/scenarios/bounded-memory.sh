#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bounded-memory: with a data_dir, committed entries do not stay in kernel
# memory. Node 3 is stopped while 24 MB of 16 KiB entries are committed
# through nodes 1 and 2; their kernel memory (Slab + VmallocUsed) may grow
# by less than 32 MB, where keeping the log in memory would take 96 MB
# (the core's copy and the readers' copy, on two nodes).
# The writes are then read back from both nodes' files and checked entry
# by entry. Then node 3 comes back: the leader no longer holds those
# entries in memory, so it must send them loaded from its log file; all
# three nodes must then read back the same log.
# limit: 600
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

N_ENTRIES=1500
SIZE=16384
MAX_GROWTH_KB=$((32 * 1024))

# Kernel memory in use. Shrinking every slab cache first also empties
# KASAN's quarantine of freed objects (debug kernel), which would count.
kmem_kb() {
	local f
	for f in /sys/kernel/slab/*/shrink; do
		echo 1 >"$f" 2>/dev/null || true
	done
	awk '/^Slab:/ { s = $2 } /^VmallocUsed:/ { v = $2 }
	     END { print s + v }' /proc/meminfo
}

dl_cluster 3
rl_wait_leader 10 1 2 3 || { rl_show; fail "no leader"; }
rl_stop 3
rl_wait_leader 10 1 2 || { rl_show 1 2; fail "no leader among 1 and 2"; }
sync
echo 3 >/proc/sys/vm/drop_caches
before=$(kmem_kb)

out=$(raftbench -d n1 -d n2 -n "$N_ENTRIES" -c 8 -s "$SIZE" --no-progress \
	--verify n1 n2) || fail "raftbench --verify n1 n2: exit $?: $out"
echo "$out" | grep -E 'entries/s|verif' || echo "$out" | tail -n 3
rl_wait_leader 10 1 2 || { rl_show 1 2; fail "no leader after the writes"; }
commit=$(rl_get "$LEADER" commit_index)
[ "$commit" -ge "$N_ENTRIES" ] ||
	fail "only $commit entries committed of $N_ENTRIES written"
sync
echo 3 >/proc/sys/vm/drop_caches
after=$(kmem_kb)
growth=$((after - before))
log "kernel memory (Slab + VmallocUsed): $before kB before, $after kB" \
    "after $((N_ENTRIES * SIZE / 1024)) kB committed on 2 nodes: +$growth kB"
[ "$growth" -lt "$MAX_GROWTH_KB" ] ||
	fail "kernel memory grew by $growth kB (limit $MAX_GROWTH_KB kB)"

# Node 3 missed all of it: the leader's log file is the only source.
rl_start 3
dl_wait_converged 180 1 2 3
rl_show
for k in 1 2 3; do
	sum[k]=$(probe dump "$(rl_dev "$k")" | md5sum)
	n[k]=$(rl_get "$k" commit_index)
done
[ "${sum[1]}" = "${sum[2]}" ] && [ "${sum[1]}" = "${sum[3]}" ] ||
	fail "committed logs differ: ${sum[*]}"
log "all three nodes read back the same ${n[1]} entries"
