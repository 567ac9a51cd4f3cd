/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The read cursor of /dev/raftlog and how a read frames an entry, as pure
 * functions (chardev.c and committed.c use them; KUnit tests them). A file
 * position is the log index of the next entry to read; each read()
 * returns exactly one whole entry meant for readers.
 */
#ifndef RAFTLOG_CURSOR_H
#define RAFTLOG_CURSOR_H

#include <linux/types.h>

/* The first index a read at file position @pos looks at: 0 means 1. */
u64 raftlog_cursor_index(loff_t pos);

/*
 * The position lseek(@off, @whence) moves to from @cur, where @end is the
 * index the next committed entry will get (SEEK_END's base); -EINVAL for
 * an unknown @whence, a negative result or an overflow.
 */
loff_t raftlog_cursor_seek(loff_t cur, loff_t off, int whence, u64 end);

/* Whether an entry of @type is returned to readers (no-ops are not). */
bool raftlog_cursor_for_readers(u8 type);

/* 0 when an entry of @len bytes fits a read of @count, else -EMSGSIZE. */
int raftlog_cursor_fit(u32 len, size_t count);

#endif /* RAFTLOG_CURSOR_H */
