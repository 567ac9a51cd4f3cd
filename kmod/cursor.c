// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/raftlog's cursor and framing rules (cursor.h). Entries are never
 * split across reads: a short buffer gets -EMSGSIZE and the cursor stays,
 * so the caller can retry with a bigger one and lose nothing.
 */
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/limits.h>
#include "cursor.h"
#include "raft/raft.h"

u64 raftlog_cursor_index(loff_t pos)
{
	return pos > 1 ? pos : 1;
}

loff_t raftlog_cursor_seek(loff_t cur, loff_t off, int whence, u64 end)
{
	loff_t base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = cur;
		break;
	case SEEK_END:
		if (end > LLONG_MAX)
			return -EINVAL;
		base = end;
		break;
	default:
		return -EINVAL;
	}
	if (off < 0 ? base + off < 0 : base > LLONG_MAX - off)
		return -EINVAL;
	return base + off;
}

bool raftlog_cursor_for_readers(u8 type)
{
	return type == RAFT_ENTRY_NORMAL;
}

int raftlog_cursor_fit(u32 len, size_t count)
{
	return count < len ? -EMSGSIZE : 0;
}
