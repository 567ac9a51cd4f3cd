#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the kernel code must build with zero warnings at W=1 and zero
# sparse findings against Debian 12's 6.1 headers and its 6.12 headers, and
# kmod/ and uapi/ must be checkpatch --strict clean. Builds happen in copies
# under build/check/, so the checkout's own objects are never touched.
# Then what make install ships: dkms build, install and remove for both
# kernels (private dkms and module trees, the source make install-dkms
# stages) and a 5.10 kernel skipped; the version in modinfo, dkms.conf and
# the man pages; modinfo's description of every module_param of kmod/;
# man pages rendering without warnings (groff -ww, man -l, lexgrog), the
# commands and options of the tools in them; the ABI files covering every
# sysfs and configfs file, in get_abi.pl's format; the udev rule (udevadm)
# and the systemd units (systemd-analyze verify); the staged file list of
# make install DESTDIR=, make uninstall leaving nothing (staged, other
# PREFIX, and for real in an overlay); the shipped examples; bash
# completion. Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

tests/deps.sh build check kunit install >&2

# The newest 6.12 headers Debian 12 offers; installed once.
newest_612() {
	apt-cache pkgnames linux-headers-6.12 2>/dev/null |
		grep -E '^linux-headers-6\.12\.[0-9]+\+deb12-amd64$' |
		sort -V | tail -n 1 || true
}
h612=$(newest_612)
if [ -z "$h612" ]; then
	apt-get update -qq >&2 || true
	h612=$(newest_612)
fi
if [ -n "$h612" ] && ! dpkg -s "$h612" >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "$h612" >&2
fi

kdirs=()
for d in $(ls -d /usr/src/linux-headers-6.1.*-amd64 2>/dev/null | sort -V | tail -n 1) \
	 ${h612:+/usr/src/${h612#linux-headers-}}; do
	[ -d "$d" ] || d=/usr/src/linux-headers-${d#/usr/src/}
	[ -d "$d" ] && kdirs+=("$d")
done

build_check() {
	local kdir=$1 name out src log
	name=$(basename "$kdir")
	out=build/check/$name
	src=$out/src
	log=$out/build.log
	rm -rf "$src"
	mkdir -p "$src"
	cp -r Kbuild Makefile kmod uapi "$src"/
	find "$src" \( -name '*.o' -o -name '*.ko' -o -name '*.cmd' \
		-o -name '*.mod*' -o -name modules.order \) -delete
	if ! nice make -s -C "$kdir" M="$PWD/$src" W=1 C=2 modules \
		>"$log" 2>&1; then
		tail -n 20 "$log"
		fail "build $name (W=1, sparse): build failed, log $log"
		return
	fi
	# Kbuild's own note when there is no vmlinux is not a finding.
	if grep -vE '^Skipping BTF generation' "$log" |
	   grep -E 'warning|error|: note:' >"$out/findings" 2>/dev/null; then
		cat "$out/findings"
		fail "build $name (W=1, sparse): $(wc -l <"$out/findings") findings"
	else
		pass "build $name (W=1, sparse): 0 findings"
	fi
}

for kdir in "${kdirs[@]}"; do
	build_check "$kdir"
done
[ "${#kdirs[@]}" -eq 2 ] || fail "headers: want 6.1 and 6.12, found ${kdirs[*]:-none}"

# checkpatch.pl and its data files come from Debian's linux-source-6.1.
cp_dir=/var/cache/raftlog/checkpatch
if [ ! -x "$cp_dir/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.1*.tar.xz | head -n 1)
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$cp_dir.tmp"
	echo "check: extracting checkpatch.pl from $tarball" >&2
	tar -xJf "$tarball" -C "$cp_dir.tmp" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
	rm -rf "$cp_dir"
	mv "$cp_dir.tmp" "$cp_dir"
fi
mapfile -t files < <(git ls-files 'kmod/*.c' 'kmod/*.h' 'uapi/*.h')
if out=$("$cp_dir/scripts/checkpatch.pl" --strict --no-tree --quiet \
	--no-summary --ignore FILE_PATH_CHANGES -f "${files[@]}" 2>&1) &&
   [ -z "$out" ]; then
	pass "checkpatch --strict: ${#files[@]} files, 0 findings"
else
	echo "$out" | head -n 60
	fail "checkpatch --strict: $(echo "$out" | grep -cE '^(ERROR|WARNING|CHECK)') findings"
fi

# --- make install, dkms, man pages, units, udev rule ----------------------
# Each checker below is also run once on a broken sample, which it must
# refuse: a check that cannot fail would prove nothing.
version=$(make -s --no-print-directory version)
t_install=$(date +%s)

# dkms builds of the module, for both kernels, in private dkms and source
# trees under build/check/ (nothing is registered with the system's dkms).
# The release the headers build for (what vermagic carries; Debian's 6.1
# headers have the upstream number in include/config/kernel.release).
kdir_release() {
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' \
		"$1/include/generated/utsrelease.h"
}

# The source is what `make install-dkms` stages (DESTDIR=), so the check
# builds what an operator's dkms would; dkms install then puts it in a
# private module tree (no depmod), where it must land in updates/dkms/,
# and dkms remove must take it away again.
dkms_build() {
	local kdir=$1 kver out src ko
	kver=$(kdir_release "$kdir")
	out=$PWD/build/check/dkms-$kver
	src=$out/stage/usr/src
	rm -rf "$out"
	mkdir -p "$out/tree" "$out/lib/$kver"
	{
		make -s --no-print-directory DESTDIR="$out/stage" install-dkms &&
		nice dkms build -m raftlog -v "$version" -k "$kver" \
			--kernelsourcedir "$kdir" --dkmstree "$out/tree" \
			--sourcetree "$src" &&
		dkms install --no-depmod -m raftlog -v "$version" -k "$kver" \
			--dkmstree "$out/tree" --sourcetree "$src" \
			--installtree "$out/lib" &&
		ko=$(ls "$out/lib/$kver/updates/dkms/"raftlog.ko*) &&
		/sbin/modinfo -F vermagic "$ko" | cut -d' ' -f1 >"$out/vermagic" &&
		basename "$ko" >"$out/installed" &&
		dkms remove --no-depmod -m raftlog -v "$version" -k "$kver" \
			--dkmstree "$out/tree" --sourcetree "$src" \
			--installtree "$out/lib" &&
		find "$out/lib" -type f >"$out/left"
	} >"$out/log" 2>&1
	echo $? >"$out/rc"
}
dkms_pids=()
for kdir in "${kdirs[@]}"; do
	dkms_build "$kdir" &
	dkms_pids+=($!)
done

# The module checkpatch and sparse just built: version and parameters.
params_ok() {	# KO NAME...: every NAME has a modinfo parm line of 10+ chars
	local ko=$1 described
	shift
	described=$(/sbin/modinfo -F parm "$ko" | sed -nE 's/^([a-z0-9_]+):.{10,}/\1/p' | sort)
	[ -n "$*" ] && [ "$(printf '%s\n' "$@" | sort)" = "$described" ] && return
	echo "want '$*', described '$(echo $described)'"
	return 1
}
ko=build/check/$(basename "${kdirs[0]:-none}")/src/kmod/raftlog.ko
if [ -f "$ko" ]; then
	v=$(/sbin/modinfo -F version "$ko")
	[ "$v" = "$version" ] && pass "modinfo version $v is kmod/version.h's" ||
		fail "modinfo version '$v', kmod/version.h says '$version'"
	# every module_param*() of kmod/ (not only main.c's), by its name
	params=$(grep -rhE '^[[:space:]]*module_param(_named|_cb|_unsafe)?\(' \
			--include='*.c' kmod |
		sed -E 's/^[[:space:]]*module_param[a-z_]*\(([a-z0-9_]+),.*/\1/' | sort -u)
	if out=$(params_ok "$ko" $params); then
		pass "modinfo describes every parameter ($(echo $params | wc -w))"
	else
		fail "modinfo parm: $out"
	fi
	params_ok "$ko" $params no_such_param >/dev/null &&
		fail "modinfo check: an undescribed parameter passed" ||
		pass "modinfo check refuses an undescribed parameter"
	for f in description author license; do
		[ -n "$(/sbin/modinfo -F "$f" "$ko")" ] || fail "modinfo: no $f"
	done
	[ "$(/sbin/modinfo -F license "$ko")" = GPL ] &&
		pass "modinfo: description, author, license GPL" ||
		fail "modinfo license is '$(/sbin/modinfo -F license "$ko")', not GPL"
else
	fail "modinfo: no $ko (the 6.1 build failed)"
fi
v=$(sed -nE 's/^PACKAGE_VERSION="(.*)"$/\1/p' dkms.conf)
[ "$v" = "$version" ] && pass "dkms.conf PACKAGE_VERSION is $v" ||
	fail "dkms.conf PACKAGE_VERSION '$v', kmod/version.h says '$version'"

# man pages: groff -ww and man -l without a warning, the right section,
# this version, and every raftctl command in raftctl(8).
man_ok() {	# FILE: prints what is wrong; status 1 if anything is
	local f=$1 sec out
	sec=${f##*.}
	out=$( { groff -ww -man -Tutf8 -z "$f" &&
		LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
			man --warnings -E UTF-8 -l -Tutf8 -Z "$f" >/dev/null; } 2>&1) ||
		out="${out:-exit $?}"
	grep -qE "^\.TH [A-Z]+ $sec \"[^\"]+\" \"raftlog $version\"" "$f" ||
		out="$out${out:+; }.TH is not section $sec of raftlog $version"
	# whatis(1) and apropos(1) read the NAME line through lexgrog
	lexgrog "$f" >/dev/null 2>&1 ||
		out="$out${out:+; }lexgrog cannot parse its NAME section"
	[ -z "$out" ] || { echo "$out" | head -n 5; return 1; }
}
for f in man/*.[0-9]; do
	if out=$(man_ok "$f"); then
		pass "man $f: renders without warnings"
	else
		fail "man $f: $out"
	fi
done
tmp=$(mktemp -d)
sed 's/^\.SH DESCRIPTION$/.SH DESCRIPTION\n.BX broken/; s/^\.TP$/.TP x y/' \
	man/raftlog.4 >"$tmp/broken.4"
if out=$(man_ok "$tmp/broken.4"); then
	fail "man check: a page with a groff error passed"
else
	pass "man check refuses a broken page ($(echo "$out" | head -n 1))"
fi
sed '/^\.SH NAME$/,+1d' man/raftbench.1 >"$tmp/noname.1"
if out=$(man_ok "$tmp/noname.1"); then
	fail "man check: a page without a NAME line passed"
else
	pass "man check refuses a page without NAME ($(echo "$out" | head -n 1))"
fi
# (raftctl is built first: a clean clone has none yet)
make -s --no-print-directory -C userspace-tools >&2 || true
cmds=$({ userspace-tools/raftctl --help 2>/dev/null || true; } |
	sed -n '/^commands:/,/^$/p' | sed -nE 's/^  ([a-z]+) .*/\1/p')
missing=""
for c in $cmds; do
	grep -qE "^\.TP\$" man/raftctl.8 && grep -qE "^\.B $c\$" man/raftctl.8 ||
		missing="$missing $c"
done
[ -n "$cmds" ] && [ -z "$missing" ] &&
	pass "raftctl(8) has every command of raftctl --help ($(echo $cmds | wc -w))" ||
	fail "raftctl(8) lacks:${missing:- (no commands in raftctl --help)}"

# raftbench(1) names every option of raftbench --help.
opts_missing() {	# MAN-PAGE OPTION...: those the page does not name
	local page o
	page=$(sed 's/\\-/-/g' "$1")
	shift
	for o in "$@"; do
		grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" <<<"$page" || echo "$o"
	done
}
opts=$({ userspace-tools/raftbench --help 2>/dev/null || true; } |
	grep -oE '(^|[ [,])--[a-z][a-z0-9-]*' | sed 's/^[ [,]//' | sort -u)
m=$(opts_missing man/raftbench.1 $opts)
[ -n "$opts" ] && [ -z "$m" ] &&
	pass "raftbench(1) has every option of raftbench --help ($(echo $opts | wc -w))" ||
	fail "raftbench(1) lacks: $(echo ${m:-(no options in raftbench --help)})"
# ... and raftctl(8) every option of raftctl --help and its commands' --help
opts=$({ userspace-tools/raftctl --help 2>/dev/null || true
	for c in $cmds; do userspace-tools/raftctl "$c" --help 2>/dev/null || true; done; } |
	grep -oE '(^|[ [,])--[a-z][a-z0-9-]*' | sed 's/^[ [,]//' | sort -u)
m=$(opts_missing man/raftctl.8 $opts)
[ -n "$opts" ] && [ -z "$m" ] &&
	pass "raftctl(8) has every option of raftctl's --help texts ($(echo $opts | wc -w))" ||
	fail "raftctl(8) lacks: $(echo ${m:-(no options in raftctl --help)})"
[ "$(opts_missing man/raftbench.1 --no-such-option)" = --no-such-option ] &&
	pass "man option check refuses an undocumented option" ||
	fail "man option check: an undocumented option passed"

# Documentation/ABI: every sysfs and configfs file of the module is there.
abi_missing() {	# ABI-FILE NAME...: the names without a What: line
	local f=$1 n
	shift
	for n in "$@"; do
		grep -qE "^What:[[:space:]]+.*/$n\$" "$f" || echo "$n"
	done
}
# (the files are what the attribute arrays list, and the stats table)
# (the stats/ files come from kmod/stats.h's lists: X(name) a counter,
# X(REASON, name) the drop reason file drops_name)
sysfs_names=$( { sed -nE 's/^[[:space:]]*&(dev|peer)_attr_([a-z_]+)\.attr,.*/\2/p;
		s/^[[:space:]]*RAFTLOG_STAT\(([a-z_]+)\),.*/\1/p' kmod/sysfs.c
	sed -nE 's/^[[:space:]]*X\(([a-z_]+)\).*/\1/p;
		s/^[[:space:]]*X\([A-Z_]+, ([a-z_]+)\).*/drops_\1/p' kmod/stats.h; } |
	sort -u)
cfs_names=$(sed -nE 's/^CONFIGFS_ATTR(_RO|_WO)?\(raftlog_cfs_, ([a-z_]+)\);/\2/p' \
	kmod/configfs.c)
m=$(abi_missing Documentation/ABI/testing/sysfs-class-raftlog $sysfs_names)
[ -n "$sysfs_names" ] && [ -z "$m" ] &&
	pass "ABI sysfs-class-raftlog: all $(echo $sysfs_names | wc -w) files of kmod/sysfs.c" ||
	fail "ABI sysfs-class-raftlog lacks: $(echo ${m:-(no names found in kmod/sysfs.c)})"
m=$(abi_missing Documentation/ABI/testing/configfs-raftlog $cfs_names)
[ -n "$cfs_names" ] && [ -z "$m" ] &&
	pass "ABI configfs-raftlog: all $(echo $cfs_names | wc -w) attributes of kmod/configfs.c" ||
	fail "ABI configfs-raftlog lacks: $(echo ${m:-(no names found in kmod/configfs.c)})"
[ "$(abi_missing Documentation/ABI/testing/configfs-raftlog no_such_attr)" = no_such_attr ] &&
	pass "ABI check refuses an undocumented attribute" ||
	fail "ABI check: an undocumented attribute passed"

# ... and in the format the kernel's scripts/get_abi.pl reads (from
# Debian's linux-source-6.1, as checkpatch.pl): "validate" prints nothing.
abi_dir=/var/cache/raftlog/get_abi
if [ ! -f "$abi_dir/scripts/get_abi.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.1*.tar.xz | head -n 1)
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$abi_dir.tmp"
	tar -xJf "$tarball" -C "$abi_dir.tmp" --strip-components=1 \
		"$top/scripts/get_abi.pl"
	rm -rf "$abi_dir"
	mv "$abi_dir.tmp" "$abi_dir"
fi
abi_valid() {	# ABI-ROOT: what get_abi.pl validate says (status 1 if anything)
	local out
	out=$(perl "$abi_dir/scripts/get_abi.pl" --dir "$1" validate 2>&1) &&
		[ -z "$out" ] && return
	echo "${out:-get_abi.pl failed}" | head -n 6
	return 1
}
if out=$(abi_valid Documentation/ABI); then
	pass "ABI files: get_abi.pl validate finds nothing"
else
	fail "ABI files: get_abi.pl validate: $out"
fi
mkdir -p "$tmp/abi/testing"
sed '0,/^Description:/s//Descripton:/' Documentation/ABI/testing/sysfs-class-raftlog \
	>"$tmp/abi/testing/sysfs-class-raftlog"
abi_valid "$tmp/abi" >/dev/null &&
	fail "ABI format check: a misspelt tag passed" ||
	pass "ABI format check refuses a misspelt tag"

# The udev rule: systemd 254's udevadm verify where there is one; else
# (Debian 12 has systemd 252) udevadm test, whose rules parser reports a
# bad key, run in a private mount namespace that holds the rule in a
# tmpfs /run/udev/rules.d and the group in /etc/group (nothing on this
# host changes: no rule is installed, no node touched, no udevd told).
# Both with a strict reading of the few keys the rule may use.
udev_ok() {	# FILE
	local f
	f=$(readlink -f "$1")
	if udevadm verify --help >/dev/null 2>&1; then
		udevadm verify --no-style "$f" 2>&1 || return 1
	else
		unshare -m --propagation private bash -c '
		set -e
		mount -t tmpfs tmpfs /run
		mkdir -p /run/udev/rules.d /run/check
		cp "$1" /run/udev/rules.d/60-raftlog.rules
		{ cat /etc/group; echo "raftlog:x:999:"; } >/run/check/group
		mount --bind /run/check/group /etc/group
		mount -t tmpfs tmpfs /dev
		out=$(udevadm test --action=add /sys/devices/virtual/mem/null 2>&1) ||
			{ echo "udevadm test failed: $out" | head -n 3; exit 1; }
		grep -q "^Reading rules file: /run/udev/rules.d/60-raftlog.rules$" <<<"$out" ||
			{ echo "udevadm test did not read the rule"; exit 1; }
		! grep "^/run/udev/rules.d/60-raftlog.rules:" <<<"$out"' _ "$f" ||
			return 1
	fi
	awk '
	/^[[:space:]]*(#|$)/ { next }
	{
		n = split($0, kv, /,[[:space:]]*/)
		for (i = 1; i <= n; i++) {
			if (kv[i] !~ /^(SUBSYSTEM|KERNEL|ACTION|DRIVER|ENV\{[A-Za-z_]+\}|ATTR\{[a-z_]+\})(==|!=)"[^"]*"$/ &&
			    kv[i] !~ /^(GROUP|OWNER|MODE|TAG|SYMLINK)(=|\+=|:=)"[^"]*"$/) {
				printf "line %d: cannot read \"%s\"\n", NR, kv[i]
				bad = 1
			}
			if (kv[i] ~ /^MODE/ && kv[i] !~ /"0[0-7][0-7][0-7]"$/) {
				printf "line %d: MODE is not octal\n", NR
				bad = 1
			}
		}
	}
	END { exit bad }' "$f"
}
if out=$(udev_ok dist/60-raftlog.rules); then
	pass "udev rule dist/60-raftlog.rules parses"
else
	fail "udev rule: $out"
fi
# each half on its own: udevadm must refuse a key it does not know
# (the awk reading would, too), the awk reading a MODE that is not octal
# (udevadm parses it and fails only when it applies it)
sed 's/GROUP="raftlog"/GRUOP="raftlog"/' dist/60-raftlog.rules >"$tmp/broken1.rules"
sed 's/MODE="0660"/MODE="660x"/' dist/60-raftlog.rules >"$tmp/broken2.rules"
for b in broken1 broken2; do
	if out=$(udev_ok "$tmp/$b.rules"); then
		fail "udev check: a broken rule ($b) passed"
	else
		pass "udev check refuses a broken rule: $(echo "$out" | head -n 1)"
	fi
done

# make install into a staging tree: exactly these files, these modes.
dest=$tmp/dest
kver=$(/sbin/modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
if make -s --no-print-directory DESTDIR="$dest" MODULE_KO="$ko" \
	install-ko install-tools install-doc install-dist >"$tmp/install.log" 2>&1; then
	(cd "$dest" && find . \( -type f -o -type l \) -printf '%m %p\n' | sort) \
		>"$tmp/got"
	sort >"$tmp/want" <<EOF
644 ./etc/modprobe.d/raftlog.conf
644 ./etc/udev/rules.d/60-raftlog.rules
644 ./lib/modules/$kver/updates/raftlog.ko
644 ./usr/local/lib/systemd/system/raftlog.service
644 ./usr/local/lib/systemd/system/raftlog@.service
644 ./usr/local/lib/sysusers.d/raftlog.conf
644 ./usr/local/share/bash-completion/completions/raftctl
644 ./usr/local/share/doc/raftlog/ABI/configfs-raftlog
644 ./usr/local/share/doc/raftlog/ABI/sysfs-class-raftlog
644 ./usr/local/share/doc/raftlog/examples/NAME.conf
644 ./usr/local/share/doc/raftlog/examples/modprobe.d-raftlog.conf
644 ./usr/local/share/man/man1/raftbench.1
644 ./usr/local/share/man/man4/raftlog.4
644 ./usr/local/share/man/man8/raftctl.8
755 ./usr/local/bin/raftbench
755 ./usr/local/sbin/raftctl
EOF
	if diff -u "$tmp/want" "$tmp/got" >"$tmp/diff"; then
		pass "make install DESTDIR: the $(wc -l <"$tmp/want") files, modes as listed"
	else
		cat "$tmp/diff"
		fail "make install DESTDIR: the file list differs"
	fi
	[ "$("$dest/usr/local/sbin/raftctl" --version)" = "raftctl $version" ] &&
		pass "installed raftctl --version: $version" ||
		fail "installed raftctl --version is not $version"
	grep -q '^ExecStart=/usr/local/sbin/raftctl apply /etc/raftlog/%i.conf$' \
		"$dest/usr/local/lib/systemd/system/raftlog@.service" &&
		pass "raftlog@.service runs the installed raftctl" ||
		fail "raftlog@.service: ExecStart is not /usr/local/sbin/raftctl apply"
else
	tail -n 20 "$tmp/install.log"
	fail "make install DESTDIR failed"
fi

# make uninstall with the same DESTDIR and PREFIX leaves nothing: not a
# file, not a directory (default PREFIX, another PREFIX, DKMS=1's source).
# An edited configuration file is kept, and only that.
staged_cycle() {	# PREFIX [install targets]: what uninstall leaves
	local prefix=$1 d=$tmp/cycle
	shift
	rm -rf "$d"
	mkdir -p "$d"
	make -s --no-print-directory DESTDIR="$d" PREFIX="$prefix" MODULE_KO="$ko" \
		"$@" >"$tmp/cycle.log" 2>&1 || { echo "install failed"; return; }
	[ -n "$(find "$d" -type f)" ] || { echo "installed nothing"; return; }
	[ -z "$EDIT" ] || echo "# mine" >>"$d/etc/modprobe.d/raftlog.conf"
	make -s --no-print-directory DESTDIR="$d" PREFIX="$prefix" uninstall \
		>>"$tmp/cycle.log" 2>&1 || { echo "uninstall failed"; return; }
	(cd "$d" && find . -mindepth 1 | sort)
}
all_targets="install-ko install-tools install-doc install-dist install-dkms"
for prefix in /usr/local /opt/raftlog; do
	left=$(EDIT= staged_cycle "$prefix" $all_targets)
	[ -z "$left" ] &&
		pass "make install DESTDIR PREFIX=$prefix (DKMS source too), then uninstall: nothing left" ||
		fail "make uninstall PREFIX=$prefix left: $(echo $left)"
done
left=$(EDIT=1 staged_cycle /usr/local $all_targets)
[ "$left" = "$(printf './etc\n./etc/modprobe.d\n./etc/modprobe.d/raftlog.conf')" ] &&
	pass "make uninstall keeps an edited modprobe.d/raftlog.conf, and only it" ||
	fail "make uninstall with an edited modprobe.d file left: $(echo $left)"
# a plain copy where dkms installed one is refused (two in updates/)
d=$tmp/both
mkdir -p "$d/lib/modules/$kver/updates/dkms"
touch "$d/lib/modules/$kver/updates/dkms/raftlog.ko"
if make -s --no-print-directory DESTDIR="$d" MODULE_KO="$ko" install-ko \
	>"$tmp/both.log" 2>&1 || [ -e "$d/lib/modules/$kver/updates/raftlog.ko" ]; then
	fail "make install-ko beside a dkms copy: not refused"
else
	pass "make install-ko beside a dkms copy: refused ($(head -n 1 "$tmp/both.log"))"
fi
d=$tmp/opt
make -s --no-print-directory DESTDIR="$d" PREFIX=/opt/raftlog install-dist \
	>/dev/null 2>&1 || true
grep -q '^ExecStart=/opt/raftlog/sbin/raftctl apply /etc/raftlog/%i.conf$' \
	"$d/opt/raftlog/lib/systemd/system/raftlog@.service" 2>/dev/null &&
	pass "PREFIX=/opt/raftlog: raftlog@.service runs /opt/raftlog/sbin/raftctl" ||
	fail "PREFIX=/opt/raftlog: raftlog@.service does not run /opt/raftlog/sbin/raftctl"

# The real thing, without DESTDIR (depmod, groupadd, udevadm and systemctl
# included), in a private mount namespace whose /etc, /usr and /lib are
# overlays on a scratch directory: make uninstall must leave no path that
# was not there before but the raftlog group and depmod's indexes.
ov=$PWD/build/check/overlay
rm -rf "$ov"
mkdir -p "$ov"
if unshare -m --propagation private bash -c '
	set -e
	for d in etc usr lib; do
		mkdir -p "$1/$d/up" "$1/$d/work"
		mount -t overlay overlay \
			-o "lowerdir=/$d,upperdir=$1/$d/up,workdir=$1/$d/work" "/$d"
	done
	make -s --no-print-directory MODULE_KO="$2" install-ko install-tools \
		install-doc install-dist >"$1/install.log" 2>&1
	(cd "$1" && find ./*/up -mindepth 1) >"$1/installed"
	make -s --no-print-directory uninstall >"$1/uninstall.log" 2>&1
' _ "$ov" "$ko"; then
	new_paths() {	# the paths of an upper-dir listing this host has not
		sed 's|^\./\([a-z]*\)/up|/\1|' |
		while read -r p; do [ -e "$p" ] || echo "$p"; done |
		grep -vE '^/etc/(group|gshadow)-?$|^/etc/\.pwd\.lock$|^/lib/modules/[^/]+/modules\.[a-z.]+$' || true
	}
	left=$(cd "$ov" && find ./*/up -mindepth 1 | new_paths)
	n=$(new_paths <"$ov/installed" | wc -l)
	[ -z "$left" ] && [ "$n" -ge 16 ] &&
		pass "make install (for real, in an overlay: $n new paths), then uninstall: nothing new left" ||
		fail "make install, uninstall (for real, in an overlay; $n new paths after install) left: $(echo $left)"
	grep -q '^raftlog:' "$ov/etc/up/group" 2>/dev/null &&
		pass "make install (for real) adds the system group raftlog" ||
		fail "make install (for real) added no group raftlog"
else
	tail -n 5 "$ov"/*.log 2>/dev/null
	fail "make install, uninstall for real in an overlay: failed (see $ov)"
fi

# systemd units: systemd-analyze verify prints nothing. The binaries are
# looked up on this host, so the copies verified point into the staging
# tree; an instance of the template stands for it.
unit_ok() {	# UNIT-FILE...
	local out
	out=$(systemd-analyze verify --man=no "$@" 2>&1) && [ -z "$out" ] ||
		{ echo "${out:-exit status}" | head -n 5; return 1; }
}
mkdir -p "$tmp/units"
for u in raftlog.service raftlog@.service; do
	sed "s|/usr/local/sbin/|$dest/usr/local/sbin/|g" \
		"$dest/usr/local/lib/systemd/system/$u" >"$tmp/units/$u" 2>/dev/null
done
cp "$tmp/units/raftlog@.service" "$tmp/units/raftlog@main.service" 2>/dev/null
if out=$(unit_ok "$tmp/units/raftlog.service" "$tmp/units/raftlog@main.service"); then
	pass "systemd-analyze verify: raftlog.service, raftlog@.service"
else
	fail "systemd-analyze verify: $out"
fi
sed 's/^Type=oneshot/Type=oneshoot/' "$tmp/units/raftlog@main.service" \
	>"$tmp/units/broken@main.service"
unit_ok "$tmp/units/broken@main.service" >/dev/null &&
	fail "unit check: a broken unit passed" ||
	pass "unit check refuses a broken unit"
for p in $(sed -nE 's/^Documentation=//p' dist/*.service.in | tr ' ' '\n' |
	   sed -nE 's/^man:(raft[a-z]+)\(([0-9])\)$/\1.\2/p' | sort -u); do
	[ -f "man/$p" ] && pass "unit Documentation= man:$p exists" ||
		fail "unit Documentation= names man:$p, not in man/"
done

# bash completion: it loads and completes commands and instances.
comp=$(RAFTLOG_SYSFS_ROOT=$tmp bash -c '
	. dist/raftctl.bash-completion
	COMP_WORDS=(raftctl ap); COMP_CWORD=1; _raftctl; echo "${COMPREPLY[*]}"
	COMP_WORDS=(raftctl apply --); COMP_CWORD=2; _raftctl; echo "${COMPREPLY[*]}"' 2>&1)
[ "$comp" = "$(printf 'append apply\n--all --check --restart --help')" ] &&
	pass "bash completion completes commands and options" ||
	fail "bash completion: '$comp'"

# The shipped examples: dist/example.conf names every key raftctl apply
# takes and, its commented lines taken in (but key2_file and netns,
# which name things that must exist), passes raftctl apply --check;
# every option of dist/modprobe.d-raftlog.conf is a module parameter.
example_ok() {	# EXAMPLE-FILE
	local d keys k bad=""
	d=$(mktemp -d)
	keys=$(userspace-tools/raftctl apply --help 2>/dev/null |
		sed -nE 's/^  ([a-z0-9_]+) = .*/\1/p')
	[ -n "$keys" ] || { echo "no keys in raftctl apply --help"; rm -rf "$d"; return 1; }
	for k in $keys; do
		grep -qE "^#?$k = " "$1" || bad="$bad $k"
	done
	[ -z "$bad" ] || { echo "does not name:$bad"; rm -rf "$d"; return 1; }
	(umask 077; userspace-tools/raftctl keygen >"$d/main.key")
	sed -E '/^#(key2_file|netns) = /d; s/^#([a-z0-9_]+ = )/\1/; s/\t.*$//' "$1" |
		sed -E "s|^key_file = .*|key_file = $d/main.key|" >"$d/main.conf"
	RAFTLOG_CONFIGFS_ROOT=$d/cfs userspace-tools/raftctl apply --check \
		"$d/main.conf" >"$d/out" 2>&1 || bad=$(head -n 2 "$d/out")
	rm -rf "$d"
	[ -z "$bad" ] || { echo "$bad"; return 1; }
}
if out=$(example_ok dist/example.conf); then
	pass "dist/example.conf: every key of raftctl apply, and raftctl apply --check takes it"
else
	fail "dist/example.conf: $out"
fi
sed 's/heartbeat_ms = /heartbeet_ms = /' dist/example.conf >"$tmp/example.conf"
example_ok "$tmp/example.conf" >/dev/null &&
	fail "example check: a misspelt key passed" ||
	pass "example check refuses a misspelt key"
modprobe_opts_bad() {	# FILE: option names that are not parameters of $ko
	local o
	for o in $(sed -nE 's/^#?options raftlog //p' "$1" | tr ' ' '\n' |
		   sed -nE 's/^([a-z0-9_]+)=.*/\1/p'); do
		/sbin/modinfo -F parm "$ko" | grep -q "^$o:" || echo "$o"
	done
}
m=$(modprobe_opts_bad dist/modprobe.d-raftlog.conf)
n=$(sed -nE 's/^#?options raftlog //p' dist/modprobe.d-raftlog.conf | wc -w)
[ "$n" -gt 0 ] && [ -z "$m" ] &&
	pass "dist/modprobe.d-raftlog.conf: its $n options are module parameters" ||
	fail "dist/modprobe.d-raftlog.conf: not parameters: $(echo ${m:-(no options)})"
sed '0,/^#options raftlog /s//#options raftlog heartbeet_ms=1 /' dist/modprobe.d-raftlog.conf \
	>"$tmp/modprobe.conf"
[ "$(modprobe_opts_bad "$tmp/modprobe.conf")" = heartbeet_ms ] &&
	pass "modprobe.d check refuses a misspelt option" ||
	fail "modprobe.d check: a misspelt option passed"

for pid in "${dkms_pids[@]}"; do
	wait "$pid" || true
done
for kdir in "${kdirs[@]}"; do
	kver=$(kdir_release "$kdir")
	out=build/check/dkms-$kver
	if [ "$(cat "$out/rc" 2>/dev/null)" = 0 ] &&
	   [ "$(cat "$out/vermagic")" = "$kver" ] && [ ! -s "$out/left" ]; then
		pass "dkms build, install, remove $kver (the make install-dkms source; updates/dkms/$(cat "$out/installed"))"
	else
		tail -n 20 "$out/log" 2>/dev/null
		fail "dkms build, install, remove $kver (log $out/log; left: $(cat "$out/left" 2>/dev/null))"
	fi
done
# dkms.conf's BUILD_EXCLUSIVE_KERNEL: a kernel older than 6.1 is skipped
# (exit 77), not a failed build that would fail that kernel's install.
out=$PWD/build/check/dkms-old
rm -rf "$out"
mkdir -p "$out/tree"
rc=0
if [ -n "${kdirs[0]:-}" ] &&
   make -s --no-print-directory DESTDIR="$out/stage" install-dkms >"$out/log" 2>&1; then
	dkms build -m raftlog -v "$version" -k 5.10.0-32-amd64 \
		--kernelsourcedir "${kdirs[0]}" --dkmstree "$out/tree" \
		--sourcetree "$out/stage/usr/src" >>"$out/log" 2>&1 || rc=$?
else
	rc=none
fi
[ "$rc" = 77 ] && pass "dkms skips a 5.10 kernel (BUILD_EXCLUSIVE_KERNEL, exit 77)" ||
	fail "dkms build for 5.10: exit $rc, want 77 (log $out/log)"
rm -rf "$tmp"
echo "check: the install checks took $(( $(date +%s) - t_install )) s" >&2

echo "check: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
