# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/guest-lib.sh: helpers for scripts that run inside the raftlog
# test VM (bash; sourced). Nodes are n1..nN: node K lives in network
# namespace nK with eth0 = 10.99.0.K/24 and fd00:99::K/64, linked by a veth
# (vethK in the root namespace) to the bridge br0. Node K's instance is
# the configfs item /sys/kernel/config/raftlog/nK, its device
# /dev/raftlog-nK and its sysfs directory /sys/class/raftlog/raftlog-nK.
#
# Faults: rl_netem puts netem on a node's egress (so every direction of
# every link passes exactly one netem); rl_cut and friends drop packets
# silently, as a broken network would, with u32 filters in one tc block
# shared by the ingress of every bridge port (vethK), so that a whole
# partition is installed by one `tc -batch` within milliseconds.

RL_CFS=/sys/kernel/config/raftlog
RL_SYS=/sys/class/raftlog
RL_PORT=${RL_PORT:-7070}
RL_IPV6=${RL_IPV6:-0}
RL_KO=${RL_KO:-/vm/raftlog.ko}
RL_NODES=${RL_NODES:-0}
RL_TMP=${RL_TMP:-/tmp/rl}
mkdir -p "$RL_TMP"

# --- output and time -----------------------------------------------------

log() {
	echo "[$(uptime_s)] $*"
}

# Print the reason and end the scenario (the runner reports it).
fail() {
	echo "FAIL: $*"
	exit 1
}

uptime_s() {
	local up rest
	read -r up rest </proc/uptime
	echo "$up"
}

# Under emulation every fork costs milliseconds, so hot paths read files
# with the `read` builtin. tick_now sets NOW to the uptime in ms.
NOW=0
tick_now() {
	local up rest
	read -r up rest </proc/uptime
	NOW=$(( 10#${up/./} * 10 ))
}

now_ms() {
	tick_now
	echo "$NOW"
}

# wait_until SECONDS CMD...: poll CMD (every 50 ms) until it succeeds;
# status 1 on timeout.
wait_until() {
	local limit
	tick_now
	limit=$(( NOW + $1 * 1000 ))
	shift
	while ! "$@"; do
		tick_now
		[ "$NOW" -lt "$limit" ] || return 1
		sleep 0.05
	done
}

# --- kernel log checks ---------------------------------------------------

# Patterns that mean the kernel is unhappy, whatever the scenario did.
RL_BAD_KLOG='WARNING:|BUG:|BUG |Oops|general protection|Call Trace|RIP:|lockdep|circular locking|possible recursive|KASAN|UBSAN|kmemleak|leak|unreferenced object|refcount_t|list_add corruption|list_del corruption|Slab cache still has objects|still has objects|double free|soft lockup|hard LOCKUP|blocked for more than|rcu_.*stall|Kernel panic|stack-protector|scheduling while atomic|sleeping function called|invalid opcode|bad page|page dumped'
# Taint bits that are expected: O (out-of-tree, 4096) and E (unsigned,
# 8192) from loading raftlog.ko into Debian's signed kernel.
RL_TAINT_OK=$(( 4096 | 8192 ))

# Start a fresh kernel-log window for a scenario.
kcheck_begin() {
	dmesg -c >>"$RL_TMP/dmesg.before" 2>/dev/null || true
	RL_TAINT0=$(cat /proc/sys/kernel/tainted)
}

# Fail when the kernel logged trouble or gained a taint since kcheck_begin.
kcheck_end() {
	local taint bad
	dmesg >"$RL_TMP/dmesg.now"
	bad=$(grep -E "$RL_BAD_KLOG" "$RL_TMP/dmesg.now" | head -n 20) || true
	taint=$(cat /proc/sys/kernel/tainted)
	if [ -n "$bad" ]; then
		echo "--- kernel log ---"
		cat "$RL_TMP/dmesg.now"
		echo "------------------"
		fail "kernel log: $(echo "$bad" | head -n 1)"
	fi
	if [ $(( (taint & ~RL_TAINT0) & ~RL_TAINT_OK )) -ne 0 ]; then
		cat "$RL_TMP/dmesg.now"
		fail "kernel tainted: $RL_TAINT0 -> $taint"
	fi
}

# --- module --------------------------------------------------------------

rl_module_loaded() {
	grep -q '^raftlog ' /proc/modules
}

# rl_load [PARAM=VALUE...]: insmod raftlog.ko (with module parameters).
rl_load() {
	[ -f "$RL_KO" ] || fail "no $RL_KO in the VM (build it: make module)"
	rl_module_loaded && return 0
	insmod "$RL_KO" "$@" || fail "insmod raftlog.ko $* failed"
	grep -q ' /sys/kernel/config ' /proc/mounts ||
		mount -t configfs configfs /sys/kernel/config
	[ -d "$RL_CFS" ] || fail "no $RL_CFS after insmod"
}

rl_unload() {
	rmmod raftlog
}

# --- network -------------------------------------------------------------

# rl_addr K: node K's address as it appears in a peer list.
rl_addr() {
	if [ "$RL_IPV6" = 1 ]; then
		echo "[fd00:99::$1]"
	else
		echo "10.99.0.$1"
	fi
}

rl_ip() {
	if [ "$RL_IPV6" = 1 ]; then
		echo "fd00:99::$1"
	else
		echo "10.99.0.$1"
	fi
}

# rl_peers N: "1@addr1:7070,...,N@addrN:7070".
rl_peers() {
	local k out=""
	for k in $(seq 1 "$1"); do
		out="$out${out:+,}$k@$(rl_addr "$k"):$RL_PORT"
	done
	echo "$out"
}

rl_bridge_up() {
	ip link show br0 >/dev/null 2>&1 && return 0
	ip link add br0 type bridge forward_delay 0 stp_state 0
	ip link set br0 up
}

# rl_netns_add K...: for each K, namespace nK, veth pair, addresses; vethK's
# ingress joins the shared filter block 1. One ip and one tc process for
# all of them, and one ip inside each namespace: under the debug kernel
# each ip process costs more than a second.
rl_netns_add() {
	local k b=$RL_TMP/netns.batch
	rl_bridge_up
	: >"$b.ip"
	: >"$b.tc"
	for k in "$@"; do
		printf '%s\n' "netns add n$k" \
			"link add veth$k type veth peer name eth0 netns n$k" \
			"link set veth$k master br0 up" >>"$b.ip"
		echo "qdisc add dev veth$k ingress_block 1 ingress" >>"$b.tc"
	done
	ip -batch "$b.ip" || fail "ip -batch for namespaces $* failed"
	tc -batch "$b.tc" || fail "tc -batch for namespaces $* failed"
	for k in "$@"; do
		printf '%s\n' "link set lo up" \
			"addr add 10.99.0.$k/24 dev eth0" \
			"addr add fd00:99::$k/64 dev eth0 nodad" \
			"link set eth0 up" >"$b.n"
		ip -n "n$k" -batch "$b.n" || fail "ip -batch in n$k failed"
	done
}

# rl_net N: namespaces n1..nN on br0.
rl_net() {
	rl_key_init
	rl_netns_add $(seq 1 "$1")
	RL_NODES=$1
}

# rl_ping_all: every node reaches every other (IPv4 and IPv6).
rl_ping_all() {
	local a b
	for a in $(seq 1 "$RL_NODES"); do
		for b in $(seq 1 "$RL_NODES"); do
			[ "$a" = "$b" ] && continue
			ip netns exec "n$a" ping -q -c 1 -W 2 "10.99.0.$b" \
				>/dev/null || return 1
			ip netns exec "n$a" ping6 -q -c 1 -W 2 "fd00:99::$b" \
				>/dev/null || return 1
		done
	done
}

# rl_netem K ARGS...: netem on node K's egress (replaces any earlier one).
rl_netem() {
	local k=$1
	shift
	ip netns exec "n$k" tc qdisc replace dev eth0 root netem "$@"
}

rl_netem_clear() {
	ip netns exec "n$1" tc qdisc del dev eth0 root 2>/dev/null || true
}

# Filter commands go to $RL_BATCH when set (see rl_partition), else run.
RL_BATCH=""
rl_block() {
	if [ -n "$RL_BATCH" ]; then
		echo "filter add block 1 $*" >>"$RL_BATCH"
	else
		tc filter add block 1 "$@"
	fi
}

# rl_cut_oneway FROM TO: nothing from node FROM reaches node TO.
rl_cut_oneway() {
	rl_block protocol ip prio 1 u32 match ip src "10.99.0.$1/32" \
		match ip dst "10.99.0.$2/32" action drop
	rl_block protocol ipv6 prio 2 u32 match ip6 src "fd00:99::$1/128" \
		match ip6 dst "fd00:99::$2/128" action drop
}

# rl_cut A B: no packet passes between nodes A and B, either way.
rl_cut() {
	rl_cut_oneway "$1" "$2"
	rl_cut_oneway "$2" "$1"
}

# rl_partition "A B" "C D E": cut every link between the two groups, all
# at once.
rl_partition() {
	local a b
	RL_BATCH=$RL_TMP/tc.batch
	: >"$RL_BATCH"
	for a in $1; do
		for b in $2; do
			rl_cut "$a" "$b"
		done
	done
	tc -batch "$RL_BATCH" || fail "tc -batch for the partition failed"
	RL_BATCH=""
}

# rl_drop_type FROM TO TYPE: drop the raftlog messages of wire type TYPE
# (kmod/raft/raft.h enum raft_msg_type) from node FROM to node TO over
# IPv4 (the type is byte 5 of the UDP payload: IP 20 + UDP 8 + 5).
rl_drop_type() {
	rl_block protocol ip prio 3 u32 match ip src "10.99.0.$1/32" \
		match ip dst "10.99.0.$2/32" match ip protocol 17 0xff \
		match u8 "$3" 0xff at 33 action drop
}

# rl_heal: remove every cut and drop filter.
rl_heal() {
	tc filter del block 1 2>/dev/null || true
}

# --- instances -----------------------------------------------------------

rl_dev() {
	echo "/dev/raftlog-n$1"
}

rl_sysdir() {
	echo "$RL_SYS/raftlog-n$1"
}

# rl_cfg K ATTR VALUE: write one configfs attribute of node K.
rl_cfg() {
	echo "$3" >"$RL_CFS/n$1/$2" || fail "configfs n$1/$2 <- '$3' refused"
}

# RL_KEY: the key (64 hex digits) every node of this scenario's cluster
# shares; rl_key_init makes a random one on first use (rl_net and
# rl_create call it), unless the environment gave one.
RL_KEY=${RL_KEY:-}
rl_key_init() {
	[ -n "$RL_KEY" ] ||
		RL_KEY=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
	[ "${#RL_KEY}" = 64 ] || fail "no key: RL_KEY is '$RL_KEY'"
}

# rl_create K N [ATTR=VALUE...]: make node K's instance of an N-node
# cluster (not yet enabled). Defaults: cluster_id 99, the key $RL_KEY,
# the module's timeouts. An ATTR=VALUE of key=... or insecure=1 replaces
# the default key (then none is written).
rl_create() {
	local k=$1 n=$2 kv own_key=0
	shift 2
	for kv in "$@"; do
		case "$kv" in key=*|insecure=1) own_key=1 ;; esac
	done
	mkdir "$RL_CFS/n$k" || fail "mkdir $RL_CFS/n$k failed"
	rl_cfg "$k" id "$k"
	rl_cfg "$k" peers "$(rl_peers "$n")"
	rl_cfg "$k" cluster_id 99
	if [ "$own_key" = 0 ]; then
		rl_key_init
		echo "$RL_KEY" >"$RL_CFS/n$k/key" ||
			fail "configfs n$k/key <- \$RL_KEY refused"
	fi
	for kv in "$@"; do
		rl_cfg "$k" "${kv%%=*}" "${kv#*=}"
	done
}

# rl_start K: enable node K's instance from inside namespace nK (nsenter
# switches only the network namespace; `ip netns exec` would also remount
# /sys, hiding configfs).
rl_start() {
	nsenter --net="/run/netns/n$1" sh -c "echo 1 > $RL_CFS/n$1/enabled" ||
		fail "enabling n$1 failed"
	wait_until 5 test -c "$(rl_dev "$1")" ||
		fail "$(rl_dev "$1") did not appear"
}

# rl_stop K: disable node K's instance.
rl_stop() {
	echo 0 >"$RL_CFS/n$1/enabled" || fail "disabling n$1 failed"
}

# rl_cluster N [ATTR=VALUE...]: module, network and N enabled instances.
rl_cluster() {
	local n=$1 k
	shift
	rl_load
	rl_net "$n"
	for k in $(seq 1 "$n"); do
		rl_create "$k" "$n" "$@"
	done
	for k in $(seq 1 "$n"); do
		rl_start "$k"
	done
}

# rl_destroy: remove every configfs instance, namespace and the bridge
# (leaves the module as it is).
rl_destroy() {
	local d
	for d in "$RL_CFS"/*; do
		[ -d "$RL_CFS" ] || break
		[ -d "$d" ] || continue
		echo 0 >"$d/enabled" 2>/dev/null || true
		rmdir "$d" || echo "rmdir $d failed"
	done
	# One ip process for all (-force: go on past an error).
	: >"$RL_TMP/destroy.batch"
	for d in /run/netns/*; do
		[ -e "$d" ] && echo "netns del ${d##*/}" >>"$RL_TMP/destroy.batch"
	done
	ip link show br0 >/dev/null 2>&1 &&
		echo "link del br0" >>"$RL_TMP/destroy.batch"
	[ -s "$RL_TMP/destroy.batch" ] &&
		{ ip -force -batch "$RL_TMP/destroy.batch" ||
			echo "removing the namespaces failed"; }
	RL_NODES=0
}

# --- state ---------------------------------------------------------------

# rl_get K ATTR: print one sysfs value of node K (ATTR may be a path such
# as stats/elections or peers/2/match_index).
rl_get() {
	local v
	read -r v <"$RL_SYS/raftlog-n$1/$2" || return 1
	echo "$v"
}

# rl_rd VAR K ATTR: the same into variable VAR, without a fork.
rl_rd() {
	read -r "$1" <"$RL_SYS/raftlog-n$2/$3"
}

# rl_show [K...]: one line of state per node, for logs.
rl_show() {
	local k
	for k in ${*:-$(seq 1 "$RL_NODES")}; do
		if [ -d "$(rl_sysdir "$k")" ]; then
			echo "  n$k: role=$(rl_get "$k" role)" \
			     "term=$(rl_get "$k" term)" \
			     "leader=$(rl_get "$k" leader)" \
			     "voted_for=$(rl_get "$k" voted_for)" \
			     "commit=$(rl_get "$k" commit_index)" \
			     "last=$(rl_get "$k" last_index)/$(rl_get "$k" last_term)"
		else
			echo "  n$k: (no instance)"
		fi
	done
}

# rl_agreed_leader K...: set LEADER (and LEADER_TERM) when exactly one of the
# nodes is leader, all of them name it and all are in one term; else
# status 1. No forks: callers poll it.
LEADER=0
LEADER_TERM=0
rl_agreed_leader() {
	local k leader="" term="" l t r leaders=0
	LEADER=0
	for k in "$@"; do
		rl_rd r "$k" role 2>/dev/null || return 1
		rl_rd l "$k" leader 2>/dev/null || return 1
		rl_rd t "$k" term 2>/dev/null || return 1
		[ "$r" = leader ] && leaders=$((leaders + 1))
		[ "$l" != 0 ] || return 1
		[ -z "$leader" ] || [ "$l" = "$leader" ] || return 1
		[ -z "$term" ] || [ "$t" = "$term" ] || return 1
		leader=$l
		term=$t
	done
	[ "$leaders" = 1 ] || return 1
	rl_rd r "$leader" role 2>/dev/null || return 1
	[ "$r" = leader ] || return 1
	LEADER=$leader
	LEADER_TERM=$term
}

# rl_wait_leader SECONDS K...: wait for an agreed leader (LEADER,
# LEADER_TERM).
rl_wait_leader() {
	local limit
	tick_now
	limit=$(( NOW + $1 * 1000 ))
	shift
	while :; do
		rl_agreed_leader "$@" && return 0
		tick_now
		[ "$NOW" -lt "$limit" ] || return 1
		sleep 0.02
	done
}

# rl_all_commit_ge INDEX K...: every node's commit_index >= INDEX.
rl_all_commit_ge() {
	local i=$1 k
	shift
	local c
	for k in "$@"; do
		rl_rd c "$k" commit_index || return 1
		[ "$c" -ge "$i" ] || return 1
	done
}

# rl_stat_sum K PATTERN: the sum of node K's stats/ counters whose names
# match the grep -E PATTERN.
rl_stat_sum() {
	local f sum=0
	local v
	for f in "$RL_SYS/raftlog-n$1"/stats/*; do
		[ -f "$f" ] || continue
		[[ "${f##*/}" =~ $2 ]] || continue
		read -r v <"$f"
		sum=$((sum + v))
	done
	echo "$sum"
}

# --- the device ----------------------------------------------------------

# rl_write K DATA: one write on node K; prints probe's result line ("OK
# LEN index=I ms=T" or "ERRNO ms=T"); status 0 either way.
rl_write() {
	probe write "$(rl_dev "$1")" "$2" || true
}

# rl_dump K: node K's committed entries, "INDEX DATA" per line.
rl_dump() {
	probe dump "$(rl_dev "$1")" | grep -v '^END '
}

# rl_logs_identical K...: every node's committed log is the same; the
# common log is left in $RL_TMP/log.<first node>.
rl_logs_identical() {
	local k first=$1
	for k in "$@"; do
		rl_dump "$k" >"$RL_TMP/log.$k" || return 1
	done
	for k in "$@"; do
		cmp -s "$RL_TMP/log.$first" "$RL_TMP/log.$k" || return 1
	done
}

# --- membership ----------------------------------------------------------

# rl_member_ids K [ROLE]: the ids of node K's configuration (sysfs
# members), or only those of ROLE (voter, learner), on one line.
rl_member_ids() {
	local id addr role out=""
	while read -r id addr role; do
		[ -z "${2:-}" ] || [ "$role" = "$2" ] || continue
		out="$out${out:+ }$id"
	done <"$RL_SYS/raftlog-n$1/members"
	echo "$out"
}

# rl_conf_is VOTERS LEARNERS K...: every node K's configuration has exactly
# the voters VOTERS and learners LEARNERS ("1 2 3", "" for none).
rl_conf_is() {
	local v=$1 l=$2 k
	shift 2
	for k in "$@"; do
		[ "$(rl_member_ids "$k" voter)" = "$v" ] || return 1
		[ "$(rl_member_ids "$k" learner)" = "$l" ] || return 1
	done
}

# rl_wait_conf SECONDS VOTERS LEARNERS K...
rl_wait_conf() {
	local s=$1 v=$2 l=$3 k
	shift 3
	wait_until "$s" rl_conf_is "$v" "$l" "$@" || {
		for k in "$@"; do
			echo "  n$k: config_index $(rl_get "$k" config_index):" \
			     "$(tr '\n' ',' <"$RL_SYS/raftlog-n$k/members")"
		done
		fail "nodes $* did not reach voters '$v', learners '$l' in ${s} s"
	}
}

# rl_member K VERB ARGS...: `raftctl member VERB raftlog-nK ARGS` (raftctl
# asks the leader's instance when node K is not the leader), repeated for
# up to 30 s while it is refused for a change already under way or a
# learner not caught up (exit 3) or no leader is known (exit 5). Prints
# raftctl's last output; returns its exit status.
rl_member() {
	local k=$1 verb=$2 rc out limit
	shift 2
	tick_now
	limit=$((NOW + 30000))
	while :; do
		rc=0
		out=$(raftctl member "$verb" "raftlog-n$k" "$@" 2>&1) || rc=$?
		case "$rc" in
		3) grep -qE 'already under way|not caught up' <<<"$out" ||
			break ;;
		5) ;;
		*) break ;;
		esac
		tick_now
		[ "$NOW" -lt "$limit" ] || break
		sleep 0.2
	done
	echo "$out"
	return "$rc"
}

# rl_join K: node K (namespace, instance with join=1 and peers 1..K, i.e.
# the current members and itself), enabled; ATTR=VALUE pairs as for
# rl_create.
rl_join() {
	local k=$1
	shift
	ip netns list | grep -qw "n$k" || rl_netns_add "$k"
	[ "$k" -le "$RL_NODES" ] || RL_NODES=$k
	rl_create "$k" "$k" join=1 "$@"
	rl_start "$k"
}

# rl_writers_start "NODES" [WRITERS]: WRITERS (default 3) background
# writers, each writing batches of 10 entries to a random node of NODES;
# every write's outcome goes to $RL_TMP/acks.G.W as probe prints it ("OK
# DATA INDEX MS" for an acknowledged one), G counting the calls so that a
# later call writes other data; RL_ACK1 is the first writer's file.
RL_WGEN=0
rl_writers_start() {
	local nodes=($1) n=${2:-3} w g
	RL_WGEN=$((RL_WGEN + 1))
	g=$RL_WGEN
	[ "$g" -gt 1 ] || rm -f "$RL_TMP"/acks.*
	RL_WSTOP=$RL_TMP/writers.stop.$g
	RL_ACK1=$RL_TMP/acks.$g.1
	rm -f "$RL_WSTOP"
	RL_WPIDS=""
	for w in $(seq 1 "$n"); do
		(
			b=0
			while [ ! -e "$RL_WSTOP" ]; do
				k=${nodes[RANDOM % ${#nodes[@]}]}
				b=$((b + 1))
				probe writer "$(rl_dev "$k")" "g$g.w$w.$b" 10 \
					>>"$RL_TMP/acks.$g.$w" 2>&1 || sleep 0.1
			done
		) &
		RL_WPIDS="$RL_WPIDS $!"
	done
}

# rl_writers_stop [MIN]: stop the writers; their outcomes in $RL_TMP/acks;
# fails when fewer than MIN (default 30) writes were acknowledged.
rl_writers_stop() {
	local min=${1:-30}
	touch "$RL_WSTOP"
	wait $RL_WPIDS 2>/dev/null || true
	cat "$RL_TMP"/acks.*.* >"$RL_TMP/acks"
	log "writes: $(grep -c '^OK ' "$RL_TMP/acks" || true) acknowledged," \
	    "$(grep -vc '^OK \|^DONE ' "$RL_TMP/acks" || true) failed:" \
	    "$(grep -v '^OK \|^DONE ' "$RL_TMP/acks" | awk '{print $1}' |
	       sort | uniq -c | tr '\n' ' ')"
	[ "$(grep -c '^OK ' "$RL_TMP/acks")" -ge "$min" ] ||
		fail "fewer than $min writes acknowledged: the test proves little"
}

# rl_pause_ms FROM TO: the longest acknowledged write among lines FROM..TO
# of $RL_ACK1 (the first writer's), in ms.
rl_pause_ms() {
	sed -n "$1,$2p" "$RL_ACK1" |
		awk '$1 == "OK" && $4 > m { m = $4 } END { print m + 0 }'
}

# rl_p50_max N...: "p50 P ms, max M ms" of the numbers.
rl_p50_max() {
	printf '%s\n' "$@" | sort -n |
		awk '{ v[NR] = $1 } END {
			printf "p50 %d ms, max %d ms", v[int((NR + 1) / 2)], v[NR] }'
}

# rl_lat FROM TO: "p50 P ms, max M ms" of the acknowledged writes among
# lines FROM..TO of $RL_ACK1.
rl_lat() {
	# shellcheck disable=SC2046 # one number per word
	rl_p50_max $(sed -n "$1,$2p" "$RL_ACK1" |
		awk '$1 == "OK" { print $4 }') 0
}

# rl_check_acked ACKS K...: the committed logs of nodes K are identical
# and every acknowledged write of ACKS ("OK DATA INDEX MS" lines) is in
# them exactly once, at its index (no pipe that a SIGPIPE could end).
rl_check_acked() {
	local acks=$1 first=$2 k
	shift
	rl_logs_identical "$@" || {
		for k in "$@"; do
			echo "n$k: $(wc -l <"$RL_TMP/log.$k") entries," \
			     "md5 $(md5sum <"$RL_TMP/log.$k")"
		done
		fail "committed logs differ between nodes $*"
	}
	awk 'NR == FNR { n[$2]++; at[$2] = $1; next }
	     $1 == "OK" && (n[$2] != 1 || at[$2] != $3) {
		printf "%s acked at %s: %d copies, at %s\n",
		       $2, $3, n[$2], at[$2]
	     }' "$RL_TMP/log.$first" "$acks" >"$RL_TMP/acks.bad"
	if [ -s "$RL_TMP/acks.bad" ]; then
		echo "$(wc -l <"$RL_TMP/acks.bad") acknowledged writes wrong:"
		sed -n 1,10p "$RL_TMP/acks.bad"
		fail "acknowledged writes lost or duplicated"
	fi
	awk '{ print $2 }' "$RL_TMP/log.$first" | sort | uniq -d >"$RL_TMP/dups"
	[ ! -s "$RL_TMP/dups" ] ||
		fail "entries committed twice: $(sed -n 1,3p "$RL_TMP/dups" | tr '\n' ' ')"
	echo "$(grep -c '^OK ' "$acks" || true) acknowledged writes, each" \
	     "exactly once at its index on nodes $*;" \
	     "$(wc -l <"$RL_TMP/log.$first") committed entries"
}
