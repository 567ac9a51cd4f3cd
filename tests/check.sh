#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the kernel code must build with zero warnings at W=1 and zero
# sparse findings against Debian 12's 6.1 headers and its 6.12 headers, and
# kmod/ and uapi/ must be checkpatch --strict clean. Builds happen in copies
# under build/check/, so the checkout's own objects are never touched.
# Ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "PASS $*"; }
fail() { failed=$((failed + 1)); echo "FAIL $*"; }

tests/deps.sh build check kunit >&2

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

echo "check: $passed passed, $failed failed"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
