#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# tests/kunit/userspace.sh [-v]: the core, wire and record KUnit suites as a
# plain C program under ASan/UBSan (tests/kunit/uspace/ stands in for KUnit),
# in seconds instead of a debug-kernel boot. Then, to show the suites can
# fail, it builds the core with each of its deliberate bugs m1..m8
# (tests/unit/mutants/m[1-8]-*.patch applied to a copy of kmod/raft/) and
# requires every one to fail at least one case.
# Ends with "N passed, N failed" (cases, plus one check per mutant).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo/build/kunit-uspace
mkdir -p "$out"
"$repo/tests/deps.sh" build >&2

srcs=("$here/uspace/main.c" "$here/raft_test.c" "$here/session_test.c" "$here/wire_test.c"
      "$here/wire_samples.c" "$repo/kmod/raft/raft.c" "$repo/kmod/raft/log.c" "$repo/kmod/raft/progress.c"
      "$repo/kmod/raft/quorum.c" "$repo/kmod/raft/forward.c" "$repo/kmod/raft/config.c"
      "$repo/kmod/raft/session.c" "$repo/kmod/raft/wire.c"
      "$repo/kmod/raft/blake2s.c")
# the data_dir record codec, which the kernel build takes through core_record.c
srcs+=("$here/record_test.c" "$repo/kmod/record.c")
cflags=(-std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-unused-parameter
	-Wno-sign-compare -Wno-missing-field-initializers
	-I"$here/uspace/include" -I"$repo/kmod" -I"$repo/kmod/raft")

gcc "${cflags[@]}" -fsanitize=address,undefined -fno-sanitize-recover=all \
	-o "$out/suites" "${srcs[@]}"
rc=0
ASAN_OPTIONS=detect_leaks=1 "$out/suites" "$@" | tee "$out/suites.log" || rc=$?
read -r pass _ fail _ < <(tail -n 1 "$out/suites.log")
[ "$rc" -eq 0 ] || [ "$fail" -gt 0 ] || fail=$((fail + 1))

for m in 1 2 3 4 5 6 7 8; do
	patch_file=$(echo "$repo"/tests/unit/mutants/m$m-*.patch)
	rm -rf "$out/tree$m"
	mkdir -p "$out/tree$m/kmod"
	cp -r "$repo/kmod/raft" "$out/tree$m/kmod/"
	patch -s -d "$out/tree$m" -p1 --no-backup-if-mismatch -r - <"$patch_file"
	# the core's sources from the copy (a patch changes only .c files)
	gcc "${cflags[@]}" -o "$out/mutant$m" \
		"${srcs[@]/#$repo\/kmod\/raft\//$out/tree$m/kmod/raft/}"
	if "$out/mutant$m" >"$out/mutant$m.log"; then
		echo "FAIL mutant $m (kmod/raft/) survived every case"
		fail=$((fail + 1))
	else
		echo "ok mutant $m killed by: $(grep '^not ok' "$out/mutant$m.log" |
			awk '{print $3}' | tr '\n' ' ')"
		pass=$((pass + 1))
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
