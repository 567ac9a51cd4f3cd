#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side tests of raftctl and raftbench that need no kernel module:
# --help and usage errors, exit codes, clear failures on missing devices,
# status/watch formatting and JSON against a fake sysfs tree, create and
# destroy and apply (config files, their errors with line numbers,
# idempotence, rollback) against a fake configfs tree, and raftbench's
# report and JSON
# shape against a plain file standing in for the device. The cluster
# behaviour itself is tested in the VM (tests/vm).
#   userspace-tools/test-tools.sh      (or: make -C userspace-tools test,
#                                       or test-asan for a sanitizer build)
set -euo pipefail
cd "$(dirname "$0")"

# RAFTCTL, RAFTBENCH: the binaries to test (default: the ones built here).
RAFTCTL=$(realpath "${RAFTCTL:-raftctl}")
RAFTBENCH=$(realpath "${RAFTBENCH:-raftbench}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
failed=0

ok() {
	pass=$((pass + 1))
}

bad() {
	failed=$((failed + 1))
	echo "FAIL: $*"
}

# expect RC DESCRIPTION CMD...: CMD exits with RC; output in $T/out, $T/err.
expect() {
	local want=$1 what=$2 rc=0
	shift 2
	"$@" >"$T/out" 2>"$T/err" || rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok
	else
		bad "$what: exit $rc, wanted $want"
		sed 's/^/  | /' "$T/err" | head -n 5
	fi
}

# has FILE REGEX DESCRIPTION
has() {
	if grep -qE -- "$2" "$1"; then
		ok
	else
		bad "$3: no /$2/ in output"
		head -c 2000 "$1" | sed 's/^/  | /' | head -n 20
	fi
}

hasnt() {
	if grep -qE -- "$2" "$1"; then
		bad "$3: unexpected /$2/"
		sed 's/^/  | /' "$1" | head -n 20
	else
		ok
	fi
}

json_ok() {
	if ! command -v python3 >/dev/null; then
		has "$1" '^\{.*\}$' "$2 (one JSON object)"
		return
	fi
	if python3 -c "import json,sys; d=json.load(open(sys.argv[1])); $3" \
		"$1" 2>"$T/pyerr"; then
		ok
	else
		bad "$2: $(tail -n 1 "$T/pyerr")"
		head -c 600 "$1" | sed 's/^/  | /'
	fi
}

# --- a fake sysfs tree: n1 leader, n2 follower, n3 candidate ---------------
mknode() {	# name id role term leader voted commit last
	local d=$T/sys/raftlog-$1 p
	mkdir -p "$d/stats"
	echo "$2" >"$d/id"; echo "$3" >"$d/role"; echo "$4" >"$d/term"
	echo "$5" >"$d/leader"; echo "$6" >"$d/voted_for"
	echo "$7" >"$d/commit_index"; echo "$8" >"$d/last_index"
	echo "$4" >"$d/last_term"; echo 1 >"$d/first_index"
	echo 150 >"$d/election_timeout_ms"; echo 50 >"$d/heartbeat_ms"
	echo 65536 >"$d/max_entry_size"
	for p in 1 2 3; do
		[ "$p" = "$2" ] && continue
		mkdir -p "$d/peers/$p"
		echo "10.99.0.$p:7070" >"$d/peers/$p/address"
		echo $(($8 - p)) >"$d/peers/$p/match_index"
		echo $(($8 + 1)) >"$d/peers/$p/next_index"
		echo 12 >"$d/peers/$p/last_contact_ms"
	done
	echo 3 >"$d/stats/elections_started"
	echo 1234 >"$d/stats/msgs_sent"
}
mkdir -p "$T/sys" "$T/cfg" "$T/dev"
mknode n1 1 leader 4 1 1 120 121
mknode n2 2 follower 4 1 1 120 121
mknode n3 3 candidate 5 0 3 119 119
echo 4294967295 >"$T/sys/raftlog-n3/peers/1/last_contact_ms"
echo 0 >"$T/sys/raftlog-n1/failed"
echo 1 >"$T/sys/raftlog-n3/failed"
echo 10.99.0.1:7070 >"$T/sys/raftlog-n1/address"
export RAFTLOG_SYSFS_ROOT=$T/sys RAFTLOG_CONFIGFS_ROOT=$T/cfg RAFTLOG_CONF_DIR=$T/etc \
	RAFTLOG_DEV_ROOT=$T/dev
unset NO_COLOR

# --- raftctl: help and usage -------------------------------------------------
expect 0 "raftctl --help" "$RAFTCTL" --help
has "$T/out" '^commands:' "raftctl --help"
has "$T/out" 'exit codes' "raftctl --help lists exit codes"
expect 0 "raftctl --version" "$RAFTCTL" --version
ver=$(sed -n 's/^#define RAFTLOG_VERSION "\(.*\)"$/\1/p' ../kmod/version.h)
[ -n "$ver" ] && [ "$(cat "$T/out")" = "raftctl $ver" ] && ok ||
	bad "raftctl --version: '$(cat "$T/out")', kmod/version.h says '$ver'"
for c in status append tail create destroy apply keygen watch; do
	expect 0 "raftctl $c --help" "$RAFTCTL" "$c" --help
	has "$T/out" "^usage: raftctl $c" "raftctl $c --help"
	expect 0 "raftctl help $c" "$RAFTCTL" help "$c"
	has "$T/out" "^usage: raftctl $c" "raftctl help $c"
done
has <("$RAFTCTL" append --help) '^  4  unknown outcome' "append --help: exit 4"
has <("$RAFTCTL" append --help) '^  5  no leader' "append --help: exit 5"
expect 2 "raftctl without command" "$RAFTCTL"
expect 2 "raftctl bogus" "$RAFTCTL" bogus
has "$T/err" "unknown command 'bogus'" "raftctl bogus says why"
expect 2 "status --bogus" "$RAFTCTL" status --bogus
expect 2 "status two devices" "$RAFTCTL" status n1 n2
expect 2 "tail --from 0" "$RAFTCTL" tail n1 --from 0
expect 2 "tail --from x" "$RAFTCTL" tail n1 --from x
expect 2 "watch --interval 0" "$RAFTCTL" watch --interval 0
expect 2 "create without --peers" "$RAFTCTL" create x --id 1 --insecure
expect 2 "create --id 0" "$RAFTCTL" create x --id 0 --peers 1@1.2.3.4:1 --insecure
expect 2 "create bad name" "$RAFTCTL" create 'a/b' --id 1 --peers 1@1.2.3.4:1 \
	--insecure
expect 2 "create relative data dir" "$RAFTCTL" create x --id 1 \
	--peers 1@1.2.3.4:1 --data-dir rel --insecure
expect 2 "create without a key or --insecure" "$RAFTCTL" create x --id 1 \
	--peers 1@1.2.3.4:1
has "$T/err" 'needs --key-file FILE .*raftctl keygen.* or --insecure' \
	"create without a key says what to give"
expect 2 "create --key-file and --insecure" "$RAFTCTL" create x --id 1 \
	--peers 1@1.2.3.4:1 --key-file /dev/null --insecure
expect 2 "create --key2-file alone" "$RAFTCTL" create x --id 1 \
	--peers 1@1.2.3.4:1 --key2-file /dev/null --insecure
expect 2 "keygen with an argument" "$RAFTCTL" keygen x

# --- raftctl keygen: 64 hex digits and a newline, nothing else ---------------
expect 0 "keygen" "$RAFTCTL" keygen
if [ "$(wc -c <"$T/out")" = 65 ] && grep -qxE '[0-9a-f]{64}' "$T/out" &&
   [ "$(wc -l <"$T/out")" = 1 ] && [ ! -s "$T/err" ]; then
	ok
else
	bad "keygen printed '$(head -c 100 "$T/out")' (and '$(head -c 100 "$T/err")')"
fi
cp "$T/out" "$T/key.a"
"$RAFTCTL" keygen >"$T/key.b"
cmp -s "$T/key.a" "$T/key.b" && bad "two keygen runs gave the same key" || ok
expect 2 "destroy without name" "$RAFTCTL" destroy
expect 2 "append empty data" "$RAFTCTL" append -d n1 ''

# --- raftctl status against the fake tree ------------------------------------
expect 0 "status" "$RAFTCTL" status
has "$T/out" '^INSTANCE +ID +ROLE +TERM +LEADER' "status header"
has "$T/out" '^raftlog-n1 +1 +leader +4 +1 +1 +120 +121 ' "status row n1"
has "$T/out" '^raftlog-n3 +3 +candidate +5 +none +3 +119 +119 ' "status row n3"
has "$T/out" '^ +2 +10\.99\.0\.2:7070 +119 +122 +2 +12 ms ago' "leader's peer row"
has "$T/out" '^ +1 +10\.99\.0\.1:7070 +- +- +- +never' "never contacted"
hasnt "$T/out" $'\033' "no colour when piped"
has "$T/out" '^raftlog-n1 \(id 1, leader, term 4, at 10\.99\.0\.1:7070\)$' "own address"
has "$T/out" 'OUT OF SERVICE' "failed node flagged"
[ "$(grep -c 'OUT OF SERVICE' "$T/out")" -eq 1 ] && ok || bad "only n3 is failed"
expect 0 "status --color" "$RAFTCTL" status --color n1
has "$T/out" $'\033\\[1m\033\\[32mleader' "leader in green"
expect 0 "status --stats" "$RAFTCTL" status --stats n1
has "$T/out" 'elections_started=3' "stats listed"
expect 0 "status n2 (short name)" "$RAFTCTL" status n2
has "$T/out" '^raftlog-n2 ' "status n2 row"
hasnt "$T/out" '^raftlog-n1 ' "status n2 shows only n2"
expect 0 "status raftlog-n2" "$RAFTCTL" status raftlog-n2
expect 0 "status /path/raftlog-n2" "$RAFTCTL" status /dev/raftlog-n2
has "$T/out" '^raftlog-n2 ' "status by path"
expect 0 "status --json" "$RAFTCTL" status --json
json_ok "$T/out" "status --json" '
i=d["instances"]; assert [x["name"] for x in i]==["raftlog-n1","raftlog-n2","raftlog-n3"]
a=i[0]; assert a["role"]=="leader" and a["term"]==4 and a["commit_index"]==120
assert a["peers"][0]=={"id":2,"address":"10.99.0.2:7070","match_index":119,"next_index":122,"lag":2,"last_contact_ms":12}, a["peers"][0]
assert i[1]["peers"][0]["lag"] is None
assert i[2]["peers"][0]["last_contact_ms"] is None
assert a["stats"]=={"elections_started":3,"msgs_sent":1234}
assert a["device"].endswith("/raftlog-n1")
assert a["failed"] is False and i[2]["failed"] is True and i[1]["failed"] is None
assert a["address"]=="10.99.0.1:7070" and i[1]["address"] is None'
rm "$T/sys/raftlog-n2/voted_for"
expect 0 "status with a missing attribute" "$RAFTCTL" status --json n2
json_ok "$T/out" "missing attribute is null" \
	'assert d["instances"][0]["voted_for"] is None'
echo 1 >"$T/sys/raftlog-n2/voted_for"
expect 1 "status of a missing instance" "$RAFTCTL" status n9
has "$T/err" "no instance 'raftlog-n9'" "missing instance named"
expect 1 "status without default instance" "$RAFTCTL" append hello
has "$T/err" '3 instances exist, name one: raftlog-n1 raftlog-n2 raftlog-n3' \
	"ambiguous default listed"
RAFTLOG_SYSFS_ROOT=$T/none expect 1 "status, module not loaded" \
	"$RAFTCTL" status
has "$T/err" 'module loaded' "hint to load the module"

# --- watch -------------------------------------------------------------------
expect 0 "watch 2 frames" "$RAFTCTL" watch --iterations 2 --interval 0.1
if [ "$(grep -c '^raftctl watch\|^raftlog watch' "$T/out")" -eq 2 ]; then
	ok
else
	bad "watch: wanted 2 frames"
	cat "$T/out"
fi
has "$T/out" 'COMMIT/S' "watch shows the commit rate"
hasnt "$T/out" $'\033' "watch: no escape codes when piped"

# watch notices role, term and leader changes between frames
"$RAFTCTL" watch --iterations 3 --interval 1 >"$T/watch" 2>&1 &
wpid=$!
for _ in $(seq 1 50); do
	grep -q 'raftlog watch' "$T/watch" && break
	sleep 0.1
done
echo follower >"$T/sys/raftlog-n1/role"
echo 5 >"$T/sys/raftlog-n1/term"
echo 0 >"$T/sys/raftlog-n1/leader"
wait "$wpid" && ok || bad "watch with changes failed"
has "$T/watch" '^  [0-9:]{8}  raftlog-n1: leader -> follower \(term 5\)$' \
	"watch shows the role change"
has "$T/watch" '^  [0-9:]{8}  raftlog-n1: leader 1 -> 0$' \
	"watch shows the leader change"
echo leader >"$T/sys/raftlog-n1/role"
echo 4 >"$T/sys/raftlog-n1/term"
echo 1 >"$T/sys/raftlog-n1/leader"

# --- devices that do not exist -----------------------------------------------
expect 1 "append to a missing device" "$RAFTCTL" append -d n1 hello
has "$T/err" "$T/dev/raftlog-n1: no such device" "append names the device"
expect 1 "tail of a missing device" "$RAFTCTL" tail n1
has "$T/err" 'no such device' "tail says why"
expect 1 "append via path" "$RAFTCTL" append -d "$T/dev/nope" x
expect 1 "raftbench on a missing device" "$RAFTBENCH" -d n7 -n 1
has "$T/err" "raftlog-n7: No such file or directory" "raftbench says why"

# --- create / destroy against a fake configfs --------------------------------
(umask 077; "$RAFTCTL" keygen >"$T/ck")
ckey=$(cat "$T/ck")
expect 0 "create" "$RAFTCTL" create n4 --id 2 \
	--peers 1@10.0.0.1:7070,2@10.0.0.2:7070 --data-dir /var/lib/rl \
	--election-timeout-ms 300 --heartbeat-ms 30 --cluster-id 7 \
	--commit-timeout-ms 4000 --key-file "$T/ck"
has "$T/out" '^created and enabled raftlog-n4' "create reports"
for kv in id=2 peers=1@10.0.0.1:7070,2@10.0.0.2:7070 data_dir=/var/lib/rl \
	election_timeout_ms=300 heartbeat_ms=30 cluster_id=7 \
	commit_timeout_ms=4000 key="$ckey" enabled=1; do
	if [ "$(cat "$T/cfg/n4/${kv%%=*}" 2>/dev/null)" = "${kv#*=}" ]; then
		ok
	else
		bad "create: ${kv%%=*} is not ${kv#*=}"
	fi
done
[ ! -e "$T/cfg/n4/insecure" ] && [ ! -e "$T/cfg/n4/key2" ] && ok ||
	bad "create --key-file wrote insecure or key2"
cat "$T/out" "$T/err" >"$T/both"
hasnt "$T/both" "${ckey:0:16}" "create never prints the key"
chmod 640 "$T/ck"
expect 1 "create with a group-readable key file" "$RAFTCTL" create n9 --id 1 \
	--peers 1@1.1.1.1:1 --key-file "$T/ck"
has "$T/err" "key-file $T/ck: mode 0640 lets group or others read it: refused \\(chmod 600 it\\)" \
	"a readable key file is refused, saying why"
[ ! -e "$T/cfg/n9" ] && ok || bad "a refused key file left $T/cfg/n9"
chmod 602 "$T/ck"
expect 1 "create with a world-writable key file" "$RAFTCTL" create n9 --id 1 \
	--peers 1@1.1.1.1:1 --key-file "$T/ck"
has "$T/err" 'lets group or others write it' "a writable key file is refused"
chmod 600 "$T/ck"
(umask 077; echo 'abc' >"$T/short")
expect 1 "create with a short key" "$RAFTCTL" create n9 --id 1 \
	--peers 1@1.1.1.1:1 --key-file "$T/short"
has "$T/err" 'expected 64 hex digits' "a short key is refused"
expect 1 "create with a missing key file" "$RAFTCTL" create n9 --id 1 \
	--peers 1@1.1.1.1:1 --key-file "$T/none.key"
has "$T/err" "key-file $T/none.key: No such file" "a missing key file is named"
(umask 077; printf '  logon:raftlog:n9\n\n' >"$T/ref")
(umask 077; "$RAFTCTL" keygen >"$T/ck2")
expect 0 "create with a keyring reference and key2" "$RAFTCTL" create n9 \
	--id 1 --peers 1@1.1.1.1:1 --key-file "$T/ref" --key2-file "$T/ck2"
[ "$(cat "$T/cfg/n9/key")" = logon:raftlog:n9 ] && ok ||
	bad "keyring reference written as '$(cat "$T/cfg/n9/key")'"
[ "$(cat "$T/cfg/n9/key2")" = "$(cat "$T/ck2")" ] && ok || bad "key2 not written"
expect 0 "destroy n9" "$RAFTCTL" destroy n9
expect 0 "create --insecure" "$RAFTCTL" create n9 --id 1 --peers 1@1.1.1.1:1 \
	--insecure
has "$T/out" '^created and enabled raftlog-n9 \(node 1, insecure\)' \
	"create --insecure says so"
[ "$(cat "$T/cfg/n9/insecure")" = 1 ] && [ ! -e "$T/cfg/n9/key" ] && ok ||
	bad "create --insecure: insecure is not 1, or a key was written"
expect 0 "destroy n9" "$RAFTCTL" destroy n9
expect 1 "create twice" "$RAFTCTL" create n4 --id 2 --peers 1@1.1.1.1:1 \
	--insecure
has "$T/err" 'exists' "create twice says why"
expect 0 "create --no-enable" "$RAFTCTL" create raftlog-n5 --id 1 \
	--peers 1@1.1.1.1:1 --no-enable
has "$T/out" 'disabled' "--no-enable reported"
[ ! -e "$T/cfg/n5/enabled" ] && ok || bad "--no-enable wrote enabled"
expect 0 "destroy" "$RAFTCTL" destroy n4
[ ! -e "$T/cfg/n4" ] && ok || bad "destroy left $T/cfg/n4"
expect 0 "destroy raftlog-n5" "$RAFTCTL" destroy raftlog-n5
[ ! -e "$T/cfg/n5" ] && ok || bad "destroy left $T/cfg/n5"
expect 1 "destroy missing" "$RAFTCTL" destroy n4
has "$T/err" "no instance 'n4'" "destroy missing says why"
expect 1 "create in a missing netns" "$RAFTCTL" create n6 --id 1 \
	--peers 1@1.1.1.1:1 --netns rl-test-no-such-ns --insecure
has "$T/err" 'network namespace rl-test-no-such-ns' "missing netns named"
[ ! -e "$T/cfg/n6" ] && ok || bad "failed create left $T/cfg/n6"
if [ "$(id -u)" -eq 0 ]; then
	expect 0 "create --netns (own namespace)" "$RAFTCTL" create n6 --id 1 \
		--peers 1@1.1.1.1:1 --netns /proc/self/ns/net --insecure
	expect 0 "destroy n6" "$RAFTCTL" destroy n6
fi
RAFTLOG_CONFIGFS_ROOT=$T/none expect 1 "create without configfs" \
	"$RAFTCTL" create n6 --id 1 --peers 1@1.1.1.1:1 --insecure

# --- apply: declarative files against a fake configfs -----------------------
C=$T/etc
mkdir -p "$C" "$T/data"
cat >"$C/n7.conf" <<EOF
# node 2 of a three-node cluster
id = 2
peers = 1@[fd00::1]:7070,2@[fd00::2]:7070,3@[fd00::3]:7070

data_dir = $T/data/n7
heartbeat_ms = 40
cluster_id = 7
insecure = 1
EOF
expect 0 "apply a file" "$RAFTCTL" apply "$C/n7.conf"
has "$T/out" '^raftlog-n7: created and enabled \(node 2\)$' "apply reports creation"
for kv in id=2 peers=1@[fd00::1]:7070,2@[fd00::2]:7070,3@[fd00::3]:7070 \
	data_dir=$T/data/n7 heartbeat_ms=40 cluster_id=7 election_timeout_ms=150 \
	commit_timeout_ms=5000 enabled=1; do
	if [ "$(cat "$T/cfg/n7/${kv%%=*}" 2>/dev/null)" = "${kv#*=}" ]; then
		ok
	else
		bad "apply: ${kv%%=*} is '$(cat "$T/cfg/n7/${kv%%=*}" 2>/dev/null)', not ${kv#*=}"
	fi
done
[ -d "$T/data/n7" ] && [ "$(stat -c %a "$T/data/n7")" = 700 ] && ok ||
	bad "apply did not make data_dir 0700"
snap() { stat -c '%n %y' "$T"/cfg/*/* | sort; }
snap >"$T/snap1"
expect 0 "apply again" "$RAFTCTL" apply "$C/n7.conf"
has "$T/out" '^raftlog-n7: unchanged$' "second apply changes nothing"
snap >"$T/snap2"
cmp -s "$T/snap1" "$T/snap2" && ok || bad "unchanged apply rewrote attributes"
# The kernel prints peers its own way: an equal list in another form.
echo "2@[fd00::2]:7070,1@[fd00:0::1]:7070,3@[fd00:0:0::3]:7070" >"$T/cfg/n7/peers"
expect 0 "apply, peers in another form" "$RAFTCTL" apply "$C/n7.conf"
has "$T/out" '^raftlog-n7: unchanged$' "an equal peer list is unchanged"
sed -i 's/^heartbeat_ms = 40/heartbeat_ms = 30/' "$C/n7.conf"
expect 0 "apply a change" "$RAFTCTL" apply "$C/n7.conf"
has "$T/out" '^raftlog-n7: updated heartbeat_ms; restarted$' "apply names the change"
[ "$(cat "$T/cfg/n7/heartbeat_ms")" = 30 ] && ok || bad "heartbeat_ms not updated"
[ "$(cat "$T/cfg/n7/enabled")" = 1 ] && ok || bad "not enabled again after update"
expect 0 "apply --restart" "$RAFTCTL" apply --restart "$C/n7.conf"
has "$T/out" '^raftlog-n7: restarted$' "--restart restarts"

# Rollback: the "kernel" refuses heartbeat_ms (here: a directory, EISDIR).
sed -i 's/^heartbeat_ms = 30/heartbeat_ms = 20/; s/^cluster_id = 7/cluster_id = 8/' "$C/n7.conf"
rm "$T/cfg/n7/heartbeat_ms"
mkdir "$T/cfg/n7/heartbeat_ms"
echo 11 >"$T/cfg/n7/cluster_id"
expect 1 "apply refused by the kernel" "$RAFTCTL" apply "$C/n7.conf"
has "$T/err" 'heartbeat_ms=20: Is a directory' "refusal names the attribute"
has "$T/err" 'restoring raftlog-n7 as it was' "says it restores"
[ "$(cat "$T/cfg/n7/cluster_id")" = 11 ] && ok || bad "cluster_id not restored"
[ "$(cat "$T/cfg/n7/enabled")" = 1 ] && ok || bad "not re-enabled after a refused update"
rmdir "$T/cfg/n7/heartbeat_ms"
echo 30 >"$T/cfg/n7/heartbeat_ms"
sed -i 's/^heartbeat_ms = 20/heartbeat_ms = 30/; s/^cluster_id = 8/cluster_id = 11/' "$C/n7.conf"

# key_file and insecure: written only where the attribute exists.
printf '%064d\n' 0 | tr 0 a >"$T/key"
chmod 600 "$T/key"
sed -i "s|^insecure = 1\$|key_file = $T/key\ninsecure = 0|" "$C/n7.conf"
expect 0 "apply with key_file, no key attribute" "$RAFTCTL" apply "$C/n7.conf"
has "$T/err" "no 'key' attribute: key_file not used" "missing key attribute noted"
has "$T/err" "no 'insecure' attribute: insecure not used" "missing insecure attribute noted"
[ ! -e "$T/cfg/n7/key" ] && ok || bad "key written without the attribute"
: >"$T/cfg/n7/key"
echo 1 >"$T/cfg/n7/insecure"
expect 0 "apply with key and insecure attributes" "$RAFTCTL" apply "$C/n7.conf"
has "$T/out" '^raftlog-n7: updated insecure; restarted$' "insecure compared"
[ "$(cat "$T/cfg/n7/key")" = "$(printf '%064d' 0 | tr 0 a)" ] && ok ||
	bad "key not written from key_file"
[ "$(cat "$T/cfg/n7/insecure")" = 0 ] && ok || bad "insecure not written"
cat "$T/out" "$T/err" >"$T/both"
hasnt "$T/both" 'aaaaaaaa' "the key is never printed"
chmod 644 "$T/key"
expect 1 "apply with a readable key file" "$RAFTCTL" apply --check "$C/n7.conf"
has "$T/err" "key_file $T/key: mode 0644 lets group or others read it: refused \\(chmod 600 it\\)" \
	"a readable key file is refused"
chmod 600 "$T/key"
# key2_file: written to key2; a key file not given clears its attribute.
printf '%064d\n' 0 | tr 0 b >"$T/key2"
chmod 600 "$T/key2"
echo "key2_file = $T/key2" >>"$C/n7.conf"
echo stale >"$T/cfg/n7/key2"
expect 0 "apply with key2_file" "$RAFTCTL" apply --restart "$C/n7.conf"
[ "$(cat "$T/cfg/n7/key2")" = "$(printf '%064d' 0 | tr 0 b)" ] && ok ||
	bad "key2 not written from key2_file"
sed -i '/^key2_file = /d' "$C/n7.conf"
expect 0 "apply without key2_file" "$RAFTCTL" apply --restart "$C/n7.conf"
[ "$(cat "$T/cfg/n7/key2")" = "" ] && ok || bad "key2 not cleared: '$(cat "$T/cfg/n7/key2")'"
[ "$(cat "$T/cfg/n7/key")" = "$(printf '%064d' 0 | tr 0 a)" ] && ok ||
	bad "key lost when key2 was cleared"

# Broken files: refused with file and line, and nothing changes.
sed -i 's/^heartbeat_ms = 30/heartbeat_ms = 25/' "$C/n7.conf"	# would change
snap >"$T/snap1"
bad_conf() {	# LINE-REGEX DESCRIPTION: $C/bad.conf is refused so
	expect 1 "apply --all, $2" "$RAFTCTL" apply --all
	has "$T/err" "$C/bad\\.conf:$1" "$2: file and line named"
	has "$T/err" 'nothing was changed' "$2: says nothing changed"
	snap >"$T/snap2"
	cmp -s "$T/snap1" "$T/snap2" && ok || bad "$2: the tree changed"
	[ ! -e "$T/cfg/bad" ] && ok || bad "$2: instance 'bad' was made"
}
mk_bad() { printf 'id = 1\npeers = 1@10.0.0.1:7070\n%s\n' "$1" >"$C/bad.conf"; }
mk_bad 'heartbeet_ms = 30'
bad_conf "3: unknown key 'heartbeet_ms'" "an unknown key"
mk_bad 'cluster_id 7'
bad_conf '3: expected KEY = VALUE' "a line without ="
mk_bad 'id = 2'
bad_conf '3: id is set twice \(first on line 1\)' "a key set twice"
mk_bad 'insecure = yes'
bad_conf '3: insecure: must be 0 or 1' "a bad boolean"
mk_bad 'heartbeat_ms = 0'
bad_conf "3: heartbeat_ms: '0' is not a number" "a zero timeout"
mk_bad 'data_dir = relative/dir'
bad_conf '3: data_dir: needs an absolute path' "a relative data_dir"
mk_bad "key_file = $T/no-such-key"
bad_conf "3: key_file $T/no-such-key: No such file" "a missing key file"
(umask 077; echo 'not-a-key' >"$T/badkey")
mk_bad "key_file = $T/badkey"
bad_conf '3: key_file .*: expected 64 hex digits' "a malformed key"
chmod 604 "$T/badkey"
mk_bad "key_file = $T/key"$'\n'"key2_file = $T/badkey"
bad_conf "4: key2_file $T/badkey: mode 0604 lets group or others read it" \
	"a readable key2 file"
printf 'id = 1\npeers = 1@10.0.0.1:7070\n' >"$C/bad.conf"
bad_conf " needs key_file \\(make the key with 'raftctl keygen'\\) or insecure = 1" \
	"neither key_file nor insecure"
mk_bad "key_file = $T/key"$'\n'"insecure = 1"
bad_conf '4: insecure = 1 and key_file \(line 3\) exclude each other' \
	"key_file and insecure = 1"
mk_bad "insecure = 1"$'\n'"key2_file = $T/key2"
bad_conf '4: key2_file needs key_file' "key2_file without key_file"
mk_bad 'netns = rl-test-no-such-ns'
bad_conf '3: netns: rl-test-no-such-ns does not exist' "a missing netns"
printf 'id = 4\npeers = 1@10.0.0.1:7070,2@10.0.0.2:7070\n' >"$C/bad.conf"
bad_conf '1: id 4 is not one of the ids in peers \(line 2\)' "an id not in peers"
for p in '1@10.0.0.1:0' '1@10.0.0.1' '1@10.0.0.300:7070' '1@[fd00::1:7070' \
	 '1@10.0.0.1:7070,1@10.0.0.2:7070' '1@10.0.0.1:7070,2@[fd00::2]:7070' \
	 '0@10.0.0.1:7070'; do
	printf 'id = 1\n# peers:\npeers = %s\n' "$p" >"$C/bad.conf"
	bad_conf '3: peers: ' "peers '$p'"
done
printf 'peers = 1@10.0.0.1:7070\n' >"$C/bad.conf"
bad_conf ' id is required' "a file without id"
rm "$C/bad.conf"
printf 'id = 1\npeers = 1@10.0.0.1:7070\n' >"$C/bad name.conf"
expect 1 "apply --all, a bad instance name" "$RAFTCTL" apply --all
has "$T/err" "instance name 'bad name'" "bad name refused"
rm "$C/bad name.conf"
cp "$C/n7.conf" "$C/raftlog-n7.conf"
expect 1 "apply --all, one instance in two files" "$RAFTCTL" apply --all
has "$T/err" 'instance n7 is also described by' "duplicate instance refused"
rm "$C/raftlog-n7.conf"
sed -i 's/^heartbeat_ms = 25/heartbeat_ms = 30/' "$C/n7.conf"

# --check and --all with good files; an empty directory is no error.
printf 'id = 3\npeers = 1@10.0.0.1:7070,3@10.0.0.3:7070\nenabled = 0\n' >"$C/n8.conf"
expect 0 "apply --check, disabled without a key" "$RAFTCTL" apply --check "$C/n8.conf"
echo 'insecure = 1' >>"$C/n8.conf"
expect 0 "apply --check" "$RAFTCTL" apply --check --all
has "$T/out" "^$C/n8\\.conf: ok \\(raftlog-n8\\)$" "--check reports each file"
[ ! -e "$T/cfg/n8" ] && ok || bad "--check made an instance"
expect 0 "apply --all" "$RAFTCTL" apply --all
has "$T/out" '^raftlog-n7: unchanged$' "--all: n7 unchanged"
has "$T/out" '^raftlog-n8: created, disabled \(node 3\)$' "--all: n8 created disabled"
[ ! -e "$T/cfg/n8/enabled" ] && ok || bad "enabled = 0 wrote enabled"
sed -i 's/^enabled = 0/enabled = 1/' "$C/n8.conf"
expect 0 "apply enables" "$RAFTCTL" apply "$C/n8.conf"
has "$T/out" '^raftlog-n8: enabled$' "enabling alone is not a restart"
expect 0 "destroy n7" "$RAFTCTL" destroy n7
expect 0 "destroy n8" "$RAFTCTL" destroy n8
mkdir -p "$T/empty"
RAFTLOG_CONF_DIR=$T/empty expect 0 "apply --all, no files" "$RAFTCTL" apply --all
has "$T/err" 'nothing to do' "no files: says so"
RAFTLOG_CONF_DIR=$T/none expect 1 "apply --all, no directory" "$RAFTCTL" apply --all
expect 2 "apply without files" "$RAFTCTL" apply
expect 2 "apply --all and a file" "$RAFTCTL" apply --all "$C/n7.conf"
expect 1 "apply a missing file" "$RAFTCTL" apply "$T/nope.conf"
has "$T/err" "$T/nope.conf: No such file" "missing file named"
# The defaults apply --help states are kmod/config.h's.
for kv in election_timeout_ms=ELECTION_MS heartbeat_ms=HEARTBEAT_MS \
	commit_timeout_ms=COMMIT_TIMEOUT_MS; do
	d=$(sed -nE "s/^#define RAFTLOG_${kv#*=}_DEFAULT[[:space:]]+([0-9]+).*/\\1/p" \
		../kmod/config.h)
	if [ -n "$d" ] && "$RAFTCTL" apply --help |
		grep -qE "^  ${kv%%=*} = MS +default $d\$"; then
		ok
	else
		bad "apply --help: ${kv%%=*} default is not kmod/config.h's '$d'"
	fi
done

# --- raftbench: usage --------------------------------------------------------
expect 0 "raftbench --help" "$RAFTBENCH" --help
has "$T/out" '^usage: raftbench' "raftbench --help"
has "$T/out" 'exit: 0 ok' "raftbench --help has exit codes"
expect 2 "raftbench without -d" "$RAFTBENCH" -n 5
expect 2 "raftbench -s 10" "$RAFTBENCH" -d n1 -s 10
expect 2 "raftbench -c 0" "$RAFTBENCH" -d n1 -c 0
expect 2 "raftbench -r -1" "$RAFTBENCH" -d n1 -r -1
expect 2 "raftbench -n x" "$RAFTBENCH" -d n1 -n x
expect 2 "raftbench bogus" "$RAFTBENCH" -d n1 --bogus

# --- raftbench against a plain file ------------------------------------------
# A file accepts every write at once, so this checks the machinery and the
# report, not a cluster: all entries "commit", with unknown indexes.
: >"$T/dev/raftlog-f1"
expect 0 "raftbench closed loop" "$RAFTBENCH" -d f1 -n 300 -c 4 -s 1k
has "$T/out" '^  committed +300 of 300' "closed loop commits all"
has "$T/out" 'latency ms +p50 [0-9.]+ +p90 [0-9.]+ +p99 [0-9.]+ +p99\.9 [0-9.]+ +max' \
	"latency line"
has "$T/out" '^ +SEC +COMMITS +ERRORS' "timeline header"
if [ "$(stat -c %s "$T/dev/raftlog-f1")" -eq $((300 * 1024)) ]; then
	ok
else
	bad "raftbench wrote $(stat -c %s "$T/dev/raftlog-f1") bytes, wanted $((300 * 1024))"
fi
has "$T/dev/raftlog-f1" 'rb:[0-9a-f]{8}:000[0-3]:00000000:[a-z]{998}(rb:|$)' "payload header"
expect 0 "raftbench --json" "$RAFTBENCH" -d "$T/dev/raftlog-f1" -n 50 -c 2 \
	-s 64 --json
json_ok "$T/out" "raftbench --json" '
assert d["committed"]==50 and d["attempted"]==50
assert d["config"]["size"]==64 and d["config"]["concurrency"]==2 and d["config"]["mode"]=="closed"
assert set(d["latency_ms"])=={"p50","p90","p99","p99_9","max","mean"}
assert d["latency_ms"]["p50"]<=d["latency_ms"]["p99"]<=d["latency_ms"]["max"]
assert sum(t["committed"] for t in d["timeline"])==50
assert d["errors"]=={"not_committed":0,"unknown":0,"no_leader":0,"other":0}
assert d["verify"] is None and d["entries_per_s"]>0'
expect 0 "raftbench open loop" "$RAFTBENCH" -d f1 -r 200 -t 1 --json
json_ok "$T/out" "open loop ~200 entries in 1 s" '
assert d["config"]["mode"]=="open" and 150<=d["committed"]<=201, d["committed"]'
chmod 0444 "$T/dev/raftlog-f1"
if [ "$(id -u)" -ne 0 ]; then
	expect 1 "raftbench on a read-only device" "$RAFTBENCH" -d f1 -n 1
fi

echo "tools: $pass passed, $failed failed"
[ "$failed" -eq 0 ]
