# SPDX-License-Identifier: GPL-2.0
#
# tests/vm/durability-lib.sh: guest helpers for the data_dir scenarios
# (crash-restart, full-restart, double-vote, torn-tail, disk-error,
# power-loss); sourced after /vm/guest-lib.sh. Node K keeps its files in
# $DL_DATA/nK unless the scenario says otherwise.

DL_DATA=${DL_DATA:-$RL_TMP/data}

dl_dir() {
	echo "$DL_DATA/n$1"
}

# dl_create K N [ATTR=VALUE...]: node K of an N-node cluster with an empty
# data_dir (made if missing, kept if it has files).
dl_create() {
	local k=$1 n=$2
	shift 2
	mkdir -p "$(dl_dir "$k")"
	rl_create "$k" "$n" data_dir="$(dl_dir "$k")" "$@"
}

# dl_cluster N [ATTR=VALUE...]: module, network and N enabled instances,
# each with its own fresh data_dir.
dl_cluster() {
	local n=$1 k
	shift
	rl_load
	rl_net "$n"
	for k in $(seq 1 "$n"); do
		rm -rf "$(dl_dir "$k")"
		dl_create "$k" "$n" "$@"
	done
	for k in $(seq 1 "$n"); do
		rl_start "$k"
	done
}

# dl_restart K: disable node K and enable it again from its files.
dl_restart() {
	rl_stop "$1"
	rl_start "$1"
}

# dl_converged K...: one agreed leader (LEADER, TERM), and every node
# holds and has committed exactly the leader's log.
dl_converged() {
	local k li v
	rl_agreed_leader "$@" || return 1
	rl_rd li "$LEADER" last_index || return 1
	for k in "$@"; do
		rl_rd v "$k" commit_index || return 1
		[ "$v" = "$li" ] || return 1
		rl_rd v "$k" last_index || return 1
		[ "$v" = "$li" ] || return 1
	done
}

# dl_wait_converged SECONDS K...
dl_wait_converged() {
	local s=$1
	shift
	wait_until "$s" dl_converged "$@" || {
		rl_show "$@"
		fail "nodes $* did not converge within ${s} s"
	}
}

# dl_check_acked ACKS K...: every write that returned success (the
# "OK ENTRY INDEX MS" lines of probe writer output in file ACKS) is in
# the committed log of every node K exactly once, at the index the write
# reported, and all those logs are identical. Prints a summary.
dl_check_acked() {
	local acks=$1 first=$2 bad
	shift
	rl_logs_identical "$@" || {
		for k in "$@"; do
			echo "n$k: $(wc -l <"$RL_TMP/log.$k") entries," \
			     "md5 $(md5sum <"$RL_TMP/log.$k")"
		done
		fail "committed logs differ between nodes $*"
	}
	bad=$(awk 'NR == FNR { n[$2]++; at[$2] = $1; next }
		   $1 == "OK" && (n[$2] != 1 || at[$2] != $3) {
			printf "%s acked at %s: %d copies, at %s\n",
			       $2, $3, n[$2], at[$2]
		   }' "$RL_TMP/log.$first" "$acks" | head -n 10)
	[ -z "$bad" ] || { echo "$bad"; fail "acknowledged writes lost or duplicated"; }
	echo "$(grep -c '^OK ' "$acks" || true) acknowledged writes, each" \
	     "exactly once at its index on nodes $*;" \
	     "$(wc -l <"$RL_TMP/log.$first") committed entries"
}

# dl_no_dup_log K: no entry appears twice in node K's dumped log.
dl_no_dup_log() {
	local d
	d=$(awk '{print $2}' "$RL_TMP/log.$1" | sort | uniq -d | head -n 3)
	[ -z "$d" ] || fail "n$1: entries committed twice: $d"
}

# dl_klog_mark; ...; dl_klog_since: the kernel log lines since the mark
# (by timestamp: the log is neither cleared, as the scenario runner
# checks it, nor counted in lines, as the ring buffer wraps).
dl_klog_mark() {
	DL_KLOG_MARK=$(dmesg | tail -n 1 | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p')
	DL_KLOG_MARK=${DL_KLOG_MARK:-0}
}

dl_klog_since() {
	dmesg | awk -v m="$DL_KLOG_MARK" '{
		t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t)
		if (t + 0 > m + 0) print }'
}

# dl_klog_has PATTERN: a kernel log line since the mark matches the grep
# pattern (no pipe into grep -q, which could kill the writer under
# pipefail); on failure the lines since the mark are shown.
dl_klog_has() {
	local since
	since=$(dl_klog_since)
	grep -q -- "$1" <<<"$since" && return 0
	echo "--- kernel log since $DL_KLOG_MARK (no '$1') ---"
	echo "$since" | tail -n 30
	return 1
}
