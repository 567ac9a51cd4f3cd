#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# limit: 500
#
# keys: where an instance's key comes from, what happens without one, and
# that a node with another key never joins (README "Keys").
#   1. The module-parameter instance: without key and without insecure=1
#      the load fails (EINVAL, one log line saying what to give); key=<64
#      hex digits> is refused, the log line saying why (module parameters
#      are world-readable); key=logon:DESC of a key not in the keyring
#      fails (ENOKEY); once tests/vm/rlkey.c has loaded it, the load
#      works and sysfs authenticated is 1; insecure=1 gives 0.
#   2. configfs: enabling with neither a key nor insecure=1 fails with
#      EINVAL and exactly the line "raftlog-n1: no key: write 64 hex
#      digits or logon:DESC to key, or set insecure=1"; a key together
#      with insecure=1, and key2 without key, fail too. key and key2 are
#      mode 0200 and cannot be read back: cat fails with "Permission
#      denied" (EACCES), even for root. Hex keys of the wrong length or
#      not hex, and keyring references with a bad description, are
#      refused when written (EINVAL). A keyring reference is looked up
#      at enable: missing (ENOKEY), 16 bytes (EINVAL, the size named),
#      then, loaded after the attribute was written, it works. While
#      enabled, key, key2 and insecure give EBUSY.
#   3. Enabling needs CAP_NET_ADMIN over the writer's network namespace:
#      root of a child user namespace (unshare -r) gets EPERM.
#   4. A node with a different key never joins: n1 (the key from the
#      keyring) and n2 (the same key as hex digits) elect a leader and
#      commit; n3 (another key) names no leader and commits nothing for
#      8 s, while every node's stats/drops_auth grows. Given the key, n3
#      joins and catches up.
#   5. Rotation under writes, one node at a time as README says: (1)
#      key=old key2=new everywhere, (2) key=new key2=old, (3) key2
#      cleared; each step is disable, write, enable. A writer keeps
#      writing meanwhile; no datagram fails authentication, writes
#      commit in every step, and afterwards every log is the same and
#      holds every acknowledged write once.
set -euo pipefail
. /vm/guest-lib.sh
. /vm/durability-lib.sh

rl_key_init
KEY_A=$RL_KEY
KEY_B=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
KEYS=""	# serials rlkey added, invalidated at the end

cleanup() {
	local s
	for s in $KEYS; do
		rlkey invalidate "$s" 2>/dev/null || true
	done
}
trap cleanup EXIT

add_key() {	# TYPE DESC HEX: into @u
	local s
	s=$(rlkey add "$@") || fail "rlkey add $1 $2 failed"
	KEYS="$KEYS $s"
	echo "$s"
}

# try CMD...: run CMD, print "OK" or its error message (the strerror part).
try() {
	local err
	if err=$("$@" 2>&1); then
		echo OK
	else
		echo "${err##*: }"
	fi
}

put() {	# FILE VALUE
	echo "$2" >"$1"
}

# expect_try WANT WHAT CMD...: CMD fails with the strerror text WANT (or
# succeeds: WANT is OK).
expect_try() {
	local want=$1 what=$2 got
	shift 2
	got=$(try "$@")
	[ "$got" = "$want" ] || fail "$what: got '$got', want '$want'"
	log "ok: $what: $got"
}

# klog_once PATTERN WHAT: exactly one kernel log line since the mark
# matches the grep -E PATTERN.
klog_once() {
	local n
	n=$(dl_klog_since | grep -cE -- "$1") || true
	[ "$n" = 1 ] || {
		dl_klog_since | tail -n 20
		fail "$2: $n kernel log lines match '$1', want 1"
	}
}

# klog_load PATTERN WHAT: the same for a failed insmod, which busybox
# makes twice (finit_module, then init_module): one line per attempt.
klog_load() {
	local n
	n=$(dl_klog_since | grep -cE -- "$1") || true
	[ "$n" -ge 1 ] && [ "$n" -le 2 ] || {
		dl_klog_since | tail -n 20
		fail "$2: $n kernel log lines match '$1', want 1 per load attempt"
	}
}

enable() {	# K: write 1 to enabled from inside namespace nK
	nsenter --net="/run/netns/n$1" sh -c "echo 1 > $RL_CFS/n$1/enabled"
}

# --- 1. the module-parameter instance ----------------------------------------
if rl_module_loaded; then
	rmmod raftlog || fail "cannot unload the module left by earlier scenarios"
fi
P1="id=1 peers=1@127.0.0.1:7171"
dl_klog_mark
# shellcheck disable=SC2086 # P1 is two parameters
expect_try "Invalid argument" "insmod without key or insecure" insmod "$RL_KO" $P1
klog_load 'raftlog: raftlog: no key: give key=logon:DESC .* or insecure=1$' \
	"insmod without key"
! rl_module_loaded || fail "the module loaded without key or insecure"
dl_klog_mark
# shellcheck disable=SC2086
expect_try "Invalid argument" "insmod key=<hex>" insmod "$RL_KO" $P1 key="$KEY_A"
klog_load 'raftlog: raftlog: key: only logon:DESC or user:DESC here: module parameters are readable by every user' \
	"insmod key=<hex>"
no_key_in_klog() {	# PATTERN: no kernel log line since the mark has it
	local since
	since=$(dl_klog_since)
	! grep -qE -- "$1" <<<"$since" || fail "the kernel log shows a key"
}
no_key_in_klog "${KEY_A:0:16}"
dl_klog_mark
# shellcheck disable=SC2086
expect_try "Required key not available" "insmod key=logon: (not loaded)" \
	insmod "$RL_KO" $P1 key=logon:raftlog:param
klog_load 'raftlog: key: logon:raftlog:param: no such key' "insmod, missing key"
add_key logon raftlog:param "$KEY_A" >/dev/null
# shellcheck disable=SC2086
insmod "$RL_KO" $P1 key=logon:raftlog:param || fail "insmod key=logon:raftlog:param failed"
[ "$(cat /sys/class/raftlog/raftlog/authenticated)" = 1 ] ||
	fail "key=logon: the instance is not authenticated"
[ "$(cat /sys/module/raftlog/parameters/key)" = logon:raftlog:param ] ||
	fail "/sys/module/raftlog/parameters/key: $(cat /sys/module/raftlog/parameters/key)"
wait_until 10 grep -qx leader /sys/class/raftlog/raftlog/role ||
	fail "the keyed one-node cluster elected no leader"
res=$(probe write /dev/raftlog param-keyed) || fail "write to /dev/raftlog: $res"
rmmod raftlog || fail "rmmod failed"
# shellcheck disable=SC2086
insmod "$RL_KO" $P1 insecure=1 || fail "insmod insecure=1 failed"
[ "$(cat /sys/class/raftlog/raftlog/authenticated)" = 0 ] ||
	fail "insecure=1: authenticated is not 0"
rmmod raftlog || fail "rmmod failed"
log "module parameters: no key refused, hex refused, keyring key works, insecure=1 is not authenticated"

# --- 2. configfs attributes --------------------------------------------------
rl_load
rl_net 3
D=$RL_CFS/n1
mkdir "$D"
rl_cfg 1 id 1
rl_cfg 1 peers "$(rl_peers 3)"
rl_cfg 1 cluster_id 99
dl_klog_mark
expect_try "Invalid argument" "enable without key or insecure" enable 1
klog_once '^\[ *[0-9.]+\] raftlog: raftlog-n1: no key: write 64 hex digits or logon:DESC to key, or set insecure=1$' \
	"enable without key"
[ ! -e /dev/raftlog-n1 ] || fail "a device exists for the refused node"
for a in key key2; do
	[ "$(stat -c %a "$D/$a")" = 200 ] || fail "$a is mode $(stat -c %a "$D/$a"), not 200"
	expect_try "Permission denied" "cat $a (nothing written)" cat "$D/$a"
done
[ "$(cat "$D/insecure")" = 0 ] || fail "insecure does not read 0"
put "$D/key" "$KEY_A"
put "$D/key2" "$KEY_B"
for a in key key2; do
	expect_try "Permission denied" "cat $a (a key written)" cat "$D/$a"
	got=$(dd if="$D/$a" bs=64 count=1 2>&1) && fail "dd read $a: $got"
done
dl_klog_mark
expect_try "Invalid argument" "a 3-digit key" put "$D/key" abc
klog_once 'raftlog-n1: key: expected 64 hex digits \(32 bytes\) or logon:DESC / user:DESC, got 3 characters' \
	"a short key"
expect_try "Invalid argument" "a 62-digit key" put "$D/key" "${KEY_A:2}"
expect_try "Invalid argument" "a 66-digit key" put "$D/key" "${KEY_A}00"
expect_try "Invalid argument" "64 characters, not hex" put "$D/key2" \
	"$(printf 'g%.0s' $(seq 64))"
expect_try "Invalid argument" "logon: without a description" put "$D/key" logon:
expect_try "Invalid argument" "a description with a space" put "$D/key" "logon:a b"
expect_try "Invalid argument" "an unknown key type" put "$D/key" encrypted:raftlog:x
no_key_in_klog "${KEY_A:2:16}|gggggggg"
put "$D/insecure" 1
dl_klog_mark
expect_try "Invalid argument" "enable with key and insecure=1" enable 1
klog_once 'raftlog-n1: a key and insecure=1 together: give one of them$' "key and insecure"
put "$D/insecure" 0
put "$D/key" ""
dl_klog_mark
expect_try "Invalid argument" "enable with key2 alone" enable 1
klog_once 'raftlog-n1: key2 is set but key is not' "key2 alone"
put "$D/key2" ""
put "$D/key" logon:raftlog:ks
dl_klog_mark
expect_try "Required key not available" "enable, keyring key missing" enable 1
klog_once 'raftlog-n1: key: logon:raftlog:ks: no such key in the keyrings' "missing keyring key"
s=$(add_key logon raftlog:ks "${KEY_A:0:32}")
dl_klog_mark
expect_try "Invalid argument" "enable, a 16-byte keyring key" enable 1
klog_once 'raftlog-n1: key: logon:raftlog:ks holds 16 bytes; it must hold exactly 32' \
	"a 16-byte keyring key"
rlkey invalidate "$s"
add_key logon raftlog:ks "$KEY_A" >/dev/null

# --- 3. CAP_NET_ADMIN over the namespace -------------------------------------
dl_klog_mark
expect_try "Operation not permitted" "enable as root of a child user namespace" \
	nsenter --net=/run/netns/n1 unshare -r sh -c "echo 1 > $D/enabled"
klog_once 'raftlog-n1: enabling needs CAP_NET_ADMIN' "no CAP_NET_ADMIN"
[ ! -e /dev/raftlog-n1 ] || fail "enabled without CAP_NET_ADMIN"
log "ok: CAP_NET_ADMIN is checked against the namespace's owner"

# The keyring key was loaded after key was written: it is found now.
rl_start 1
[ "$(rl_get 1 authenticated)" = 1 ] || fail "n1 is not authenticated"
for a in key key2 insecure; do
	expect_try "Device or resource busy" "$a while enabled" put "$D/$a" "$KEY_A"
done

# --- 4. a node with another key ----------------------------------------------
rl_create 2 3
rl_create 3 3 key="$KEY_B"
rl_start 2
rl_start 3
rl_wait_leader 20 1 2 || { rl_show; fail "n1 and n2 (one key) elected no leader"; }
res=$(rl_write "$LEADER" same-key)
case "$res" in OK*) ;; *) fail "write on n$LEADER: $res" ;; esac
for k in 1 2 3; do
	rl_rd "auth0_$k" "$k" stats/drops_auth
done
for i in $(seq 1 16); do
	[ "$(rl_get 3 leader)" = 0 ] || fail "n3 (another key) names leader $(rl_get 3 leader)"
	[ "$(rl_get 3 commit_index)" = 0 ] || fail "n3 (another key) committed something"
	sleep 0.5
done
for k in 1 2 3; do
	rl_rd a "$k" stats/drops_auth
	b=auth0_$k
	[ "$a" -gt "${!b}" ] || fail "n$k: drops_auth did not grow ($a)"
	log "n$k: drops_auth ${!b} -> $a"
done
rl_agreed_leader 1 2 || { rl_show; fail "n3 disturbed n1 and n2"; }
log "ok: n3 with another key stayed out for 8 s"
rl_stop 3
rl_cfg 3 key "$KEY_A"
rl_start 3
rl_wait_leader 20 1 2 3 || { rl_show; fail "n3 did not join with the right key"; }
rl_rd c "$LEADER" commit_index
wait_until 15 rl_all_commit_ge "$c" 1 2 3 || { rl_show; fail "n3 did not catch up"; }
log "ok: with the cluster's key n3 joined and caught up"

# --- 5. rotation under writes ------------------------------------------------
# n1 takes its key from the keyring: from here on, hex keys everywhere.
OLD=$KEY_A
NEW=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
writer_on=0
writer=0
start_writer() {	# K STEP
	writer_on=$1
	probe writer "$(rl_dev "$1")" "rot$2" 100000 >"$RL_TMP/rot.$2" 2>&1 &
	writer=$!
}
stop_writer() {
	kill "$writer" 2>/dev/null || true
	wait "$writer" 2>/dev/null || true
}
# drops_auth starts again at 0 in each life of a node: sum the lives.
auth_grew=0
for k in 1 2 3; do
	rl_rd "auth0_$k" "$k" stats/drops_auth
done
auth_life() {	# K: add node K's drops_auth since its base, rebase at 0
	local a b=auth0_$1
	rl_rd a "$1" stats/drops_auth
	auth_grew=$(( auth_grew + a - ${!b} ))
	[ "$a" = "${!b}" ] || log "n$1: drops_auth ${!b} -> $a"
	printf -v "auth0_$1" 0
}
step=0
for phase in 1 2 3; do
	for k in 1 2 3; do
		step=$((step + 1))
		start_writer $(( k % 3 + 1 )) "$step"
		sleep 1
		auth_life "$k"
		rl_stop "$k"
		case $phase in
		1) rl_cfg "$k" key "$OLD"; rl_cfg "$k" key2 "$NEW" ;;
		2) rl_cfg "$k" key "$NEW"; rl_cfg "$k" key2 "$OLD" ;;
		3) rl_cfg "$k" key2 "" ;;
		esac
		rl_start "$k"
		rl_wait_leader 20 1 2 3 || { rl_show; fail "step $phase on n$k: no leader"; }
		sleep 1
		stop_writer
		n=$(grep -c '^OK ' "$RL_TMP/rot.$step") || true
		odd=$(grep -vE '^(OK|ETIMEDOUT|ENOTCONN|ECANCELED|EBUSY) ' "$RL_TMP/rot.$step" |
		      head -n 1) || true
		[ -z "$odd" ] || fail "step $phase on n$k: writer on n$writer_on: $odd"
		[ "$n" -gt 0 ] || fail "step $phase on n$k: no write committed on n$writer_on"
		log "step $phase on n$k: $n writes committed on n$writer_on meanwhile"
	done
done
for k in 1 2 3; do
	auth_life "$k"
done
[ "$auth_grew" = 0 ] || fail "$auth_grew datagrams failed authentication during the rotation"
res=$(rl_write "$LEADER" after-rotation)
case "$res" in OK*) ;; *) fail "write after the rotation: $res" ;; esac
rl_rd c "$LEADER" commit_index
wait_until 15 rl_all_commit_ge "$c" 1 2 3 || { rl_show; fail "no catch-up after the rotation"; }
rl_logs_identical 1 2 3 || fail "logs differ after the rotation"
cat "$RL_TMP"/rot.* | awk '$1 == "OK" {print $2}' >"$RL_TMP/acked"
awk 'NR == FNR { want[$1] = 1; next }
     ($2 in want) { n[$2]++ }
     END { for (e in want) if (n[e] != 1) { print e, n[e] + 0; bad = 1 }
	   exit bad }' "$RL_TMP/acked" "$RL_TMP/log.1" >"$RL_TMP/miscount" ||
	fail "acknowledged writes not exactly once in the log: $(head -n 3 "$RL_TMP/miscount")"
for k in 1 2 3; do
	[ "$(rl_get "$k" authenticated)" = 1 ] || fail "n$k is not authenticated"
done
log "ok: rotated to a new key under writes: $(wc -l <"$RL_TMP/acked") acknowledged writes, no authentication failure, identical logs"
