# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# tests/vm/rld-lib.sh: guest helpers for raftlogd nodes (bench, interop);
# sourced after /vm/guest-lib.sh. A raftlogd node K runs in namespace nK
# (rl_net made it) on the kernel nodes' port and peers list, cluster_id 99
# and the scenario's key $RL_KEY, so it can stand in for kernel node K or
# join kernel nodes. Its client socket is /run/rld-nK.sock, its log
# $RL_TMP/rld-nK.log.

RLD_BIN=${RLD_BIN:-/vm/bin/raftlogd}
declare -A RLD_PID=()

rld_sock() {
	echo "/run/rld-n$1.sock"
}

# rld_start K N [raftlogd options...]: node K of an N-node cluster.
rld_start() {
	local k=$1 n=$2
	shift 2
	[ -x "$RLD_BIN" ] || fail "no raftlogd in the VM (make -C raftlogd)"
	rl_key_init
	[ -f "$RL_TMP/rld.key" ] || {
		echo "$RL_KEY" >"$RL_TMP/rld.key"
		chmod 600 "$RL_TMP/rld.key"
	}
	rm -f "$(rld_sock "$k")"
	ip netns exec "n$k" "$RLD_BIN" --id "$k" --peers "$(rl_peers "$n")" \
		--cluster-id 99 --key-file "$RL_TMP/rld.key" \
		--socket "$(rld_sock "$k")" "$@" >>"$RL_TMP/rld-n$k.log" 2>&1 &
	RLD_PID[$k]=$!
	wait_until 5 test -S "$(rld_sock "$k")" || {
		cat "$RL_TMP/rld-n$k.log"
		fail "raftlogd n$k: no socket $(rld_sock "$k")"
	}
}

# rld_stop K [SIGNAL]: stop node K's daemon (SIGTERM: a clean stop) and
# wait for it.
rld_stop() {
	local k=$1 sig=${2:-TERM} p=${RLD_PID[$1]:-}
	[ -n "$p" ] || return 0
	kill -"$sig" "$p" 2>/dev/null || true
	wait "$p" 2>/dev/null || true
	unset "RLD_PID[$k]"
	rm -f "$(rld_sock "$k")"
}

rld_stop_all() {
	local k
	for k in "${!RLD_PID[@]}"; do
		rld_stop "$k"
	done
}

# rld_field K NAME: one field of raftlogc's status line (role term leader
# commit_index last_index flags); status 1 when the daemon does not answer.
rld_field() {
	local line kv
	line=$(raftlogc "$(rld_sock "$1")" status 2>/dev/null) || return 1
	for kv in $line; do
		[ "${kv%%=*}" = "$2" ] && { echo "${kv#*=}"; return 0; }
	done
	return 1
}

# rld_agreed_leader K...: LEADER set when every daemon K names the same
# leader in one term and that leader is one of them and says so (role 3).
rld_agreed_leader() {
	local k l t line leader="" term="" kv
	LEADER=0
	for k in "$@"; do
		line=$(raftlogc "$(rld_sock "$k")" status 2>/dev/null) || return 1
		l="" t=""
		for kv in $line; do
			case "$kv" in
			leader=*) l=${kv#*=} ;;
			term=*) t=${kv#*=} ;;
			esac
		done
		[ -n "$l" ] && [ "$l" != 0 ] || return 1
		[ -z "$leader" ] || [ "$l" = "$leader" ] || return 1
		[ -z "$term" ] || [ "$t" = "$term" ] || return 1
		leader=$l
		term=$t
	done
	[ "$(rld_field "$leader" role)" = 3 ] || return 1
	LEADER=$leader
}

# rld_wait_leader SECONDS K...
rld_wait_leader() {
	local s=$1
	shift
	wait_until "$s" rld_agreed_leader "$@"
}
