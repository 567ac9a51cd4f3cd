# SPDX-License-Identifier: GPL-2.0
#
# raftlogd/test.sh's durability check over `strace -f -xx -s 4096 -e
# trace=pwrite64,fsync,fdatasync,sendmmsg` of a follower: a successful
# APPEND_RESP for index I may leave only once an fsync that began after
# the write of entry I has returned. Entry records (kmod/record.h: magic
# "RLER", index at byte 8, len at byte 24, 48 + len bytes padded to 8)
# are read from the pwrite64 buffers, APPEND_RESP (wire type 6, success
# at byte 40, index at byte 48) from the datagrams. Prints nothing when
# the order holds, else what broke.
function hexval(c) { return index("0123456789abcdef", tolower(c)) - 1 }
# the bytes of the first "..." string in s from position p on, into B
function bytes(s, p,    q, t, n, i, parts) {
	q = index(substr(s, p), "\"")
	if (!q) return 0
	t = substr(s, p + q)
	t = substr(t, 1, index(t, "\"") - 1)
	n = split(t, parts, "\\\\x")
	for (i = 2; i <= n; i++)
		B[i - 2] = hexval(substr(parts[i], 1, 1)) * 16 + hexval(substr(parts[i], 2, 1))
	return n - 1
}
function le(off, len,    v, i) {
	v = 0
	for (i = len - 1; i >= 0; i--) v = v * 256 + B[off + i]
	return v
}
/pwrite64\(/ {
	n = bytes($0, index($0, "pwrite64("))
	for (o = 0; o + 48 <= n; o += 8 * int((48 + l + 7) / 8)) {
		if (B[o] != 82 || B[o + 1] != 76 || B[o + 2] != 69 || B[o + 3] != 82)
			break
		i = le(o + 8, 8); l = le(o + 24, 4)
		if (i > top) top = i
	}
	w++; top_at[w] = top
}
/(fsync|fdatasync)\(/ && !/resumed/ {
	began[$1] = w
	if (/ = 0/) { syncs++; if (top_at[began[$1]] > durable) durable = top_at[began[$1]] }
}
/<\.\.\. (fsync|fdatasync) resumed>/ && / = 0/ {
	syncs++; if (top_at[began[$1]] > durable) durable = top_at[began[$1]]
}
/sendmmsg\(/ {
	rest = $0
	while ((p = index(rest, "iov_base=")) > 0) {
		n = bytes(rest, p)
		rest = substr(rest, p + 9)
		if (n < 56 || B[0] != 82 || B[1] != 70 || B[2] != 84 || B[3] != 76 || B[5] != 6 || B[40] != 1)
			continue
		seen++
		if (le(48, 8) > durable) { bad++; if (!first) first = le(48, 8) " (durable " durable ")" }
	}
}
END {
	if (!syncs) print "no fsync at all"
	else if (!seen) print "no APPEND_RESP seen"
	else if (bad) print bad " of " seen " APPEND_RESPs before their fsync, first for index " first
}
