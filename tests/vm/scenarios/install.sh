#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install (guest side): run by the host driver tests/vm/install.sh, which
# boots a VM holding what `make install` stages (module in
# /lib/modules/<kernel>/updates, tools in /usr/local, units, udev rule,
# modprobe.d) and kmod's modprobe. As an operator following README's
# "Deploy on three hosts" would, with one node per network namespace:
#   - depmod (a package's postinst; make install runs it itself), then
#     raftlog.service's command lines: its key file refused at mode
#     0644; at 0600 loaded into the keyring (busybox has no keyctl: a
#     shim over tests/vm/rlkey.c stands in for `keyctl padd`), and
#     `modprobe raftlog` with options from /etc/modprobe.d/raftlog.conf
#     (key=logon:raftlog:raftlog): /dev/raftlog, authenticated, mode 0600
#     without udev, modinfo and raftctl agree on the version, an entry
#     commits;
#   - `raftctl apply --all` builds a 3-node cluster from
#     /etc/raftlog/n{1,2,3}.conf sharing one key_file made by raftctl
#     keygen (sysfs authenticated is 1); applying again changes nothing
#     (same terms); a changed file restarts only its instance;
#   - permissions: /dev/raftlog-n1 is 0600 root and refuses a service
#     account (uid 65534); with what 60-raftlog.rules says applied by
#     hand (busybox has no udev: its SUBSYSTEM and KERNEL keys are
#     matched against sysfs, its GROUP and MODE set), that account,
#     member of the group only, appends and reads through raftctl;
#   - a broken file is refused with its line number and changes nothing;
#     a file the kernel refuses leaves no instance behind;
#   - "reboot": every instance stopped with raftlog@.service's ExecStop,
#     the module removed with raftlog.service's, the keyring emptied,
#     then raftlog.service's and each raftlog@NAME's ExecStartPre and
#     ExecStart lines, unescaped as systemd does ($$, %%, %i): the logs
#     are intact, /dev/raftlog kept its entry, the cluster takes writes; then every instance destroyed once more and
#     `raftctl apply --all` again: the same logs, still taking writes.
set -euo pipefail
. /vm/guest-lib.sh
export NO_COLOR=1 PATH=/usr/local/sbin:/usr/local/bin:$PATH
for a in "$@"; do
	case "$a" in VERSION=*) VERSION=${a#VERSION=} ;; esac
done
VERSION=${VERSION:?the host passes VERSION=}
kcheck_begin
kver=$(uname -r)
unit_dir=/usr/local/lib/systemd/system

# unit_run UNIT KIND [INSTANCE]: the unit's KIND= lines run as systemd
# would: %i is INSTANCE, %% and $$ a plain % and $, a leading - ignores
# the command's failure.
unit_run() {
	local line cmd ignore
	while IFS= read -r line; do
		[ -n "$line" ] || continue
		cmd=${line#*=}
		ignore=0
		case "$cmd" in -*) ignore=1; cmd=${cmd#-} ;; esac
		cmd=${cmd//%i/${3:-}}
		cmd=${cmd//%%/%}
		cmd=${cmd//\$\$/\$}
		eval "$cmd" || [ "$ignore" = 1 ] ||
			{ echo "$1 $2${3:+ ($3)}: '$cmd' failed" >&2; return 1; }
	done <<<"$(grep "^$2=" "$unit_dir/$1")"
}

# --- the installed tree and modprobe.d -------------------------------------
[ -f "/lib/modules/$kver/updates/raftlog.ko" ] ||
	fail "no /lib/modules/$kver/updates/raftlog.ko"
[ "$(command -v raftctl)" = /usr/local/sbin/raftctl ] ||
	fail "raftctl is not /usr/local/sbin/raftctl"
depmod -a 2>"$RL_TMP/depmod.err" || fail "depmod: $(cat "$RL_TMP/depmod.err")"
grep -q '^updates/raftlog.ko:' "/lib/modules/$kver/modules.dep" ||
	fail "depmod did not list updates/raftlog.ko"
[ "$(modinfo -F version raftlog)" = "$VERSION" ] ||
	fail "modinfo version '$(modinfo -F version raftlog)', want $VERSION"
[ "$(raftctl --version)" = "raftctl $VERSION" ] ||
	fail "raftctl --version: '$(raftctl --version)'"
mkdir -p /var/lib/raftlog/raftlog /etc/raftlog
cat >/etc/modprobe.d/raftlog.conf <<CONF
# a one-node cluster on the loopback; raftlog.service loads its key
options raftlog id=1 peers=1@127.0.0.1:7171 heartbeat_ms=30 key=logon:raftlog:raftlog
options raftlog data_dir=/var/lib/raftlog/raftlog
CONF
mkdir -p "$RL_TMP/shim"
cat >"$RL_TMP/shim/keyctl" <<'SH'
#!/bin/sh
# keyctl padd TYPE DESC @u, data on stdin: through rlkey (serials kept)
[ "$1" = padd ] && [ "$4" = @u ] || { echo "keyctl shim: $*" >&2; exit 1; }
s=$(rlkey add "$2" "$3" "$(xxd -p | tr -d '\n')") || exit 1
echo "$s" >>"${RL_TMP:?}/key-serials"
echo "$s"
SH
chmod 0755 "$RL_TMP/shim/keyctl"
export RL_TMP PATH=$RL_TMP/shim:$PATH
raftctl keygen >/etc/raftlog/raftlog.key || fail "raftctl keygen failed"
chmod 0644 /etc/raftlog/raftlog.key
unit_run raftlog.service ExecStartPre 2>"$RL_TMP/err" &&
	fail "raftlog.service loaded a key file of mode 0644"
grep -q 'raftlog.key: mode must be 0600' "$RL_TMP/err" ||
	fail "raftlog.service: no word on the key file's mode: $(cat "$RL_TMP/err")"
chmod 0600 /etc/raftlog/raftlog.key
unit_run raftlog.service ExecStartPre || fail "raftlog.service ExecStartPre failed"
[ -s "$RL_TMP/key-serials" ] || fail "raftlog.service loaded no key"
unit_run raftlog.service ExecStart || fail "raftlog.service ExecStart (modprobe raftlog) failed"
wait_until 5 test -c /dev/raftlog || fail "no /dev/raftlog after modprobe"
[ "$(cat /sys/module/raftlog/version)" = "$VERSION" ] ||
	fail "/sys/module/raftlog/version is not $VERSION"
read -r hb </sys/class/raftlog/raftlog/heartbeat_ms
[ "$hb" = 30 ] || fail "heartbeat_ms $hb: modprobe.d options not used"
[ "$(stat -c '%a %U %G' /dev/raftlog)" = "600 root root" ] ||
	fail "/dev/raftlog is $(stat -c '%a %U %G' /dev/raftlog), want 600 root root"
wait_until 10 grep -qx leader /sys/class/raftlog/raftlog/role ||
	fail "the one-node cluster elected no leader"
i0=$(raftctl append raftlog hello) || fail "append to /dev/raftlog: exit $?"
log "modprobe.d instance: /dev/raftlog, 'hello' at $i0"

# --- configfs instances from /etc/raftlog ------------------------------------
mount | grep -q ' /sys/kernel/config ' ||
	mount -t configfs configfs /sys/kernel/config
rl_net 3
mkdir -p /etc/raftlog
(umask 077; raftctl keygen >/etc/raftlog/cluster.key) || fail "raftctl keygen failed"
for k in 1 2 3; do
	cat >"/etc/raftlog/n$k.conf" <<CONF
# node $k of three
id = $k
peers = $(rl_peers 3)
data_dir = /var/lib/raftlog/n$k
cluster_id = 99
key_file = /etc/raftlog/cluster.key
netns = n$k
CONF
done
t_apply=$(now_ms)
out=$(raftctl apply --all) || fail "apply --all: exit $?"
echo "$out"
[ "$(grep -c ': created and enabled (node [123])$' <<<"$out")" = 3 ] ||
	fail "apply --all did not create three instances"
rl_wait_leader 15 1 2 3 || { rl_show; fail "no leader within 15 s"; }
term=$LEADER_TERM
for k in 1 2 3; do
	[ "$(rl_get "$k" authenticated)" = 1 ] || fail "n$k is not authenticated"
done
[ "$(cat /sys/class/raftlog/raftlog/authenticated)" = 1 ] ||
	fail "/dev/raftlog (key=logon:raftlog:raftlog) is not authenticated"
log "apply --all to an agreed leader: $(( $(now_ms) - t_apply )) ms"
for k in 1 2 3; do
	raftctl append "n$k" "entry-from-n$k" >/dev/null ||
		fail "append on n$k: exit $?"
done

# --- permissions: 0600 without the udev rule, the group with it -------------
svc() {	# CMD...: run as uid 65534 with the supplementary groups $SVC_GROUPS
	if [ -n "${SVC_GROUPS:-}" ]; then
		/usr/bin/setpriv --reuid 65534 --regid 65534 --groups "$SVC_GROUPS" "$@"
	else
		/usr/bin/setpriv --reuid 65534 --regid 65534 --clear-groups "$@"
	fi
}
rules=/etc/udev/rules.d/60-raftlog.rules
[ "$(stat -c '%a %U %G' /dev/raftlog-n1)" = "600 root root" ] ||
	fail "/dev/raftlog-n1 is $(stat -c '%a %U %G' /dev/raftlog-n1) without udev"
rc=0
SVC_GROUPS= svc raftctl append n1 not-allowed >/dev/null 2>"$RL_TMP/err" || rc=$?
[ "$rc" != 0 ] && grep -q 'Permission denied' "$RL_TMP/err" ||
	fail "uid 65534 wrote to a 0600 device (exit $rc: $(cat "$RL_TMP/err"))"
key() {	# KEY: its value in the rule (KEY=="v" or KEY="v")
	grep -v '^#' "$rules" | grep -oE "(^|[ ,])$1==?\"[^\"]*\"" |
		sed -E 's/.*"([^"]*)"$/\1/'
}
[ "$(basename "$(readlink /sys/class/raftlog/raftlog-n1/subsystem)")" = "$(key SUBSYSTEM)" ] ||
	fail "the rule's SUBSYSTEM=='$(key SUBSYSTEM)' is not the devices' subsystem"
grep -qx 'DEVNAME=raftlog-n1' /sys/class/raftlog/raftlog-n1/uevent ||
	fail "uevent of raftlog-n1 has no DEVNAME=raftlog-n1"
pat=$(key KERNEL)
# shellcheck disable=SC2053
[[ raftlog-n1 == $pat && raftlog == $pat ]] ||
	fail "the rule's KERNEL=='$pat' does not match raftlog and raftlog-n1"
[ "$(key GROUP)" = raftlog ] && [ "$(key MODE)" = 0660 ] ||
	fail "the rule sets GROUP '$(key GROUP)' MODE '$(key MODE)'"
echo "raftlog:x:990:" >>/etc/group
chgrp 990 /dev/raftlog-n1
chmod "$(key MODE)" /dev/raftlog-n1
i_svc=$(SVC_GROUPS=990 svc raftctl append n1 from-service-account) ||
	fail "uid 65534 in group raftlog could not append: exit $?"
got=$(SVC_GROUPS=990 svc raftctl tail n1 --from "$i_svc" -n 1) ||
	fail "uid 65534 in group raftlog could not read: exit $?"
[ "$got" = "$i_svc	from-service-account" ] || fail "the account read '$got'"
rc=0
SVC_GROUPS= svc raftctl tail n1 -n 1 >/dev/null 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "uid 65534 outside the group read /dev/raftlog-n1 (0660)"
log "permissions: 0600 refuses uid 65534; with the rule's group and mode it appends ($i_svc) and reads"

wait_until 10 rl_logs_identical 1 2 3 || fail "logs differ after appends"
cp "$RL_TMP/log.1" "$RL_TMP/before"
[ "$(grep -c entry-from- "$RL_TMP/before")" = 3 ] || fail "3 entries expected"

out=$(raftctl apply --all) || fail "second apply --all: exit $?"
[ "$(grep -c ': unchanged$' <<<"$out")" = 3 ] ||
	fail "second apply was not a no-op: $out"
rl_agreed_leader 1 2 3 && [ "$LEADER_TERM" = "$term" ] ||
	{ rl_show; fail "second apply disturbed the cluster (term $term)"; }
log "apply --all twice: unchanged, still term $term"

sed -i 's/^cluster_id = 99$/cluster_id = 99\nheartbeat_ms = 40/' /etc/raftlog/n3.conf
out=$(raftctl apply --all) || fail "apply after a change: exit $?"
echo "$out"
grep -qx 'raftlog-n3: updated heartbeat_ms; restarted' <<<"$out" ||
	fail "n3 not updated: $out"
[ "$(grep -c ': unchanged$' <<<"$out")" = 2 ] || fail "n1, n2 should be unchanged"
[ "$(rl_get 3 heartbeat_ms)" = 40 ] || fail "n3 heartbeat_ms not 40"

# --- refused files change nothing --------------------------------------------
state() {
	local k
	for k in 1 2 3; do
		echo "n$k $(cat "$RL_CFS/n$k/enabled") $(cat "$RL_CFS/n$k/heartbeat_ms")"
	done
	ls "$RL_CFS"
}
state >"$RL_TMP/state1"
printf 'id = 4\npeers = %s\nheartbeet_ms = 30\n' "$(rl_peers 3)" >/etc/raftlog/n4.conf
rc=0
raftctl apply --all >"$RL_TMP/out" 2>"$RL_TMP/err" || rc=$?
cat "$RL_TMP/err"
[ "$rc" = 1 ] || fail "a broken file: exit $rc, want 1"
grep -q "^raftctl: /etc/raftlog/n4.conf:3: unknown key 'heartbeet_ms'$" "$RL_TMP/err" ||
	fail "the broken file's line was not named"
rm /etc/raftlog/n4.conf
printf 'id = 1\npeers = 1@10.99.0.9:7070\nelection_timeout_ms = 5\ninsecure = 1\n' >"$RL_TMP/n5.conf"
rc=0
raftctl apply "$RL_TMP/n5.conf" >"$RL_TMP/out" 2>"$RL_TMP/err" || rc=$?
cat "$RL_TMP/err"
[ "$rc" = 1 ] || fail "a file the kernel refuses: exit $rc, want 1"
grep -q 'election_timeout_ms=5: Invalid argument' "$RL_TMP/err" ||
	fail "the refused attribute was not named"
dmesg | grep -q 'n5: election_timeout_ms' || fail "no kernel log line for n5"
state >"$RL_TMP/state2"
cmp -s "$RL_TMP/state1" "$RL_TMP/state2" ||
	fail "refused files changed something: $(diff "$RL_TMP/state1" "$RL_TMP/state2")"
log "broken and refused files: nothing changed"

# --- "reboot": stop everything, unload, load and apply again ----------------
for k in 1 2 3; do
	unit_run raftlog@.service ExecStop "n$k" >/dev/null ||
		fail "raftlog@n$k.service ExecStop failed"
done
[ -z "$(ls "$RL_CFS")" ] || fail "instances left after ExecStop: $(ls "$RL_CFS")"
t_boot=$(now_ms)
unit_run raftlog.service ExecStop || fail "raftlog.service ExecStop failed"
rl_module_loaded && fail "raftlog still loaded"
# a reboot empties the keyrings: the unit must load the key again
while read -r ser; do
	rlkey invalidate "$ser" || fail "rlkey invalidate $ser failed"
done <"$RL_TMP/key-serials"
: >"$RL_TMP/key-serials"
unit_run raftlog.service ExecStartPre && unit_run raftlog.service ExecStart ||
	fail "raftlog.service did not start again"
for k in 1 2 3; do
	unit_run raftlog@.service ExecStartPre "n$k" &&
		unit_run raftlog@.service ExecStart "n$k" ||
		fail "raftlog@n$k.service did not start again"
done
rl_wait_leader 15 1 2 3 || { rl_show; fail "no leader after the reboot"; }
log "unload, load, the units' commands to an agreed leader: $(( $(now_ms) - t_boot )) ms"
wait_until 10 rl_logs_identical 1 2 3 || fail "logs differ after the reboot"
head -n "$(wc -l <"$RL_TMP/before")" "$RL_TMP/log.1" | cmp -s - "$RL_TMP/before" ||
	fail "the log changed across the reboot"
raftctl append n2 after-reboot >/dev/null || fail "append after reboot: exit $?"
wait_until 10 rl_logs_identical 1 2 3 || fail "logs differ after a new append"
grep -q after-reboot "$RL_TMP/log.1" || fail "new entry missing"
wait_until 10 grep -qx leader /sys/class/raftlog/raftlog/role ||
	fail "no leader on /dev/raftlog after the reboot"
got=$(raftctl tail raftlog -n 1) || fail "tail raftlog failed"
[ "$got" = "$i0	hello" ] || fail "/dev/raftlog lost 'hello': '$got'"
log "after the reboot: logs intact, writes commit"

# --- and once more with apply --all, as a host without the units would ----
for k in 1 2 3; do
	raftctl destroy "n$k" >/dev/null || fail "destroy n$k failed"
done
cp "$RL_TMP/log.1" "$RL_TMP/before2"
t_apply=$(now_ms)
out=$(raftctl apply --all) || fail "apply --all after destroy: exit $?"
[ "$(grep -c ': created and enabled (node [123])$' <<<"$out")" = 3 ] ||
	fail "apply --all after destroy did not create three instances: $out"
rl_wait_leader 15 1 2 3 || { rl_show; fail "no leader after apply --all"; }
log "destroy all, apply --all to an agreed leader: $(( $(now_ms) - t_apply )) ms"
wait_until 10 rl_logs_identical 1 2 3 || fail "logs differ after apply --all"
head -n "$(wc -l <"$RL_TMP/before2")" "$RL_TMP/log.1" | cmp -s - "$RL_TMP/before2" ||
	fail "the log changed across destroy and apply --all"
raftctl append n3 after-apply-all >/dev/null || fail "append after apply --all: exit $?"
wait_until 10 rl_logs_identical 1 2 3 || fail "logs differ after the last append"
log "destroy, apply --all: logs intact ($(wc -l <"$RL_TMP/before2") entries), writes commit"
for k in 1 2 3; do
	raftctl destroy "n$k" >/dev/null
done
kcheck_end
echo "install: ok"
