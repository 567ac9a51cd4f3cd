// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for /dev/raftlog's cursor and framing (kmod/cursor.c): the
 * file position is the log index of the next entry, lseek moves it by the
 * usual rules with SEEK_END at the next index to be committed, a read
 * never splits an entry, and only client entries reach readers.
 */
#include <kunit/test.h>
#include <linux/fs.h>
#include <linux/limits.h>

#include "cursor.h"
#include "raft/raft.h"

struct seek_case {
	const char *name;
	loff_t cur;
	loff_t off;
	int whence;
	u64 end;
	loff_t want;		/* the new position, or -EINVAL */
};

static const struct seek_case seek_cases[] = {
	{ "set to an index", 1, 42, SEEK_SET, 10, 42 },
	{ "set to 0 (read from 1)", 7, 0, SEEK_SET, 10, 0 },
	{ "set past the end (wait there)", 1, 1000, SEEK_SET, 10, 1000 },
	{ "set negative", 1, -1, SEEK_SET, 10, -EINVAL },
	{ "cur forward", 5, 3, SEEK_CUR, 10, 8 },
	{ "cur back", 5, -4, SEEK_CUR, 10, 1 },
	{ "cur tell", 5, 0, SEEK_CUR, 10, 5 },
	{ "cur before 0", 5, -6, SEEK_CUR, 10, -EINVAL },
	{ "cur overflow", LLONG_MAX - 1, 2, SEEK_CUR, 10, -EINVAL },
	{ "cur to the limit", LLONG_MAX - 1, 1, SEEK_CUR, 10, LLONG_MAX },
	{ "end: next new entry", 1, 0, SEEK_END, 11, 11 },
	{ "end: last committed", 1, -1, SEEK_END, 11, 10 },
	{ "end of an empty log", 1, 0, SEEK_END, 1, 1 },
	{ "end before 0", 1, -12, SEEK_END, 11, -EINVAL },
	{ "end beyond loff_t", 1, 0, SEEK_END, (u64)LLONG_MAX + 1, -EINVAL },
	{ "SEEK_DATA refused", 1, 0, SEEK_DATA, 11, -EINVAL },
	{ "unknown whence", 1, 0, 42, 11, -EINVAL },
};

static void seek_desc(const struct seek_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(seek, seek_cases, seek_desc);

static void cursor_seek(struct kunit *test)
{
	const struct seek_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, raftlog_cursor_seek(c->cur, c->off, c->whence,
						  c->end), c->want);
}

static void cursor_index(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, raftlog_cursor_index(0), 1ULL);
	KUNIT_EXPECT_EQ(test, raftlog_cursor_index(1), 1ULL);
	KUNIT_EXPECT_EQ(test, raftlog_cursor_index(2), 2ULL);
	KUNIT_EXPECT_EQ(test, raftlog_cursor_index(LLONG_MAX),
			(u64)LLONG_MAX);
}

static void cursor_fit(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, raftlog_cursor_fit(0, 0), 0);
	KUNIT_EXPECT_EQ(test, raftlog_cursor_fit(5, 5), 0);
	KUNIT_EXPECT_EQ(test, raftlog_cursor_fit(5, 4096), 0);
	KUNIT_EXPECT_EQ(test, raftlog_cursor_fit(5, 4), -EMSGSIZE);
	KUNIT_EXPECT_EQ(test, raftlog_cursor_fit(RAFT_ENTRY_SIZE_LIMIT,
						 RAFT_ENTRY_SIZE_LIMIT - 1),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, raftlog_cursor_fit(RAFT_ENTRY_SIZE_LIMIT,
						 RAFT_ENTRY_SIZE_LIMIT), 0);
}

static void cursor_for_readers(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, raftlog_cursor_for_readers(RAFT_ENTRY_NORMAL));
	KUNIT_EXPECT_FALSE(test, raftlog_cursor_for_readers(RAFT_ENTRY_NOOP));
	/* a type this build does not know is not handed out as data */
	KUNIT_EXPECT_FALSE(test, raftlog_cursor_for_readers(0xff));
}

static struct kunit_case cursor_cases[] = {
	KUNIT_CASE_PARAM(cursor_seek, seek_gen_params),
	KUNIT_CASE(cursor_index),
	KUNIT_CASE(cursor_fit),
	KUNIT_CASE(cursor_for_readers),
	{}
};

static struct kunit_suite cursor_suite = {
	.name = "raftlog_cursor",
	.test_cases = cursor_cases,
};

kunit_test_suite(cursor_suite);
