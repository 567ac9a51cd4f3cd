// SPDX-License-Identifier: GPL-2.0
/*
 * The trace corpus as a KUnit suite: one parameterised case, one
 * parameter per trace file (embedded by tests/trace/embed.sh as
 * trace_corpus.h, on the include path), run by the very engine the
 * userspace runner uses. It builds with the core's objects in a KUnit
 * module, and with tests/kunit/uspace/ as a plain program
 * (tests/trace/run.sh --kunit-uspace).
 */
#include <kunit/test.h>

/* the engine's parts, as one translation unit (their calls stay static) */
#define TRACE_ONE_TU
#include "trace_print.c"
#include "trace_parse.c"
#include "trace_cluster.c"
#include "trace_cmd.c"
#include "trace_file.c"
#include "trace_corpus.h"

static const void *trace_gen_params(const void *prev, char *desc)
{
	const struct trace_file *f = prev;

	f = f ? f + 1 : trace_corpus;
	if (f >= trace_corpus + ARRAY_SIZE(trace_corpus))
		return NULL;
	strscpy(desc, f->name, KUNIT_PARAM_DESC_SIZE);
	return f;
}

static void trace_case(struct kunit *test)
{
	const struct trace_file *f = test->param_value;
	struct trace_buf file = { 0 }, why = { 0 };
	size_t n = strlen(f->text);
	char *text = kunit_kmalloc(test, n + 1, GFP_KERNEL);
	int bad;

	KUNIT_ASSERT_NOT_NULL(test, text);
	memcpy(text, f->text, n + 1);
	bad = trace_run_text(text, f->name, &file, &why);
	KUNIT_EXPECT_EQ(test, bad, 0);
	if (bad && why.p)
		kunit_err(test, "%s", why.p);
	raft_free(file.p);
	raft_free(why.p);
}

static struct kunit_case trace_cases[] = {
	KUNIT_CASE_PARAM(trace_case, trace_gen_params),
	{}
};

static struct kunit_suite trace_suite = {
	.name = "raftlog_trace",
	.test_cases = trace_cases,
};

kunit_test_suite(trace_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("raftlog: the Raft trace corpus under KUnit");
