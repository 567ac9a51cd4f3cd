// SPDX-License-Identifier: GPL-2.0
/*
 * Runs the KUnit suites linked into this program (see include/kunit/test.h)
 * and prints KTAP-like lines: "ok"/"not ok" per case, then
 * "N passed, N failed". Exit status 1 when any case failed.
 */
#include <stdarg.h>
#include <kunit/test.h>

#define MAX_SUITES	16
#define MAX_TRACKED	4096

static struct kunit_suite *suites[MAX_SUITES];
static unsigned int n_suites;
static void *tracked[MAX_TRACKED];
static unsigned int n_tracked;
static bool verbose;

void uspace_register(struct kunit_suite *suite)
{
	if (n_suites < MAX_SUITES)
		suites[n_suites++] = suite;
}

void *uspace_track(void *p)
{
	if (p && n_tracked < MAX_TRACKED)
		tracked[n_tracked++] = p;
	return p;
}

static void free_tracked(void)
{
	while (n_tracked)
		free(tracked[--n_tracked]);
}

void uspace_fail(struct kunit *test, bool fatal, const char *file, int line,
		 const char *fmt, ...)
{
	va_list ap;

	test->failed = true;
	printf("        # %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (fatal)
		longjmp(test->abort, 1);
}

/* One run of @c (with @param); true when it passed. */
static bool run_one(struct kunit_suite *s, struct kunit_case *c,
		    const void *param)
{
	struct kunit *test = calloc(1, sizeof(*test));
	bool ok;

	if (!test)
		abort();
	test->param_value = param;
	if (s->init && s->init(test)) {
		printf("        # init failed\n");
		free(test);
		return false;
	}
	if (!setjmp(test->abort))
		c->run_case(test);
	if (s->exit)
		s->exit(test);
	ok = !test->failed;
	free(test);
	free_tracked();
	return ok;
}

int main(int argc, char **argv)
{
	unsigned int pass = 0, fail = 0, i;

	verbose = argc > 1 && !strcmp(argv[1], "-v");
	for (i = 0; i < n_suites; i++) {
		struct kunit_suite *s = suites[i];
		struct kunit_case *c;

		for (c = s->test_cases; c->run_case; c++) {
			char desc[KUNIT_PARAM_DESC_SIZE] = "";
			const void *param = NULL;
			bool ok = true;

			if (!c->generate_params) {
				ok = run_one(s, c, NULL);
			} else {
				while ((param = c->generate_params(param,
								   desc))) {
					bool p = run_one(s, c, param);

					if (!p || verbose)
						printf("    %s %s\n",
						       p ? "ok" : "not ok",
						       desc);
					ok = ok && p;
				}
			}
			if (!ok || verbose)
				printf("%s %s.%s\n", ok ? "ok" : "not ok",
				       s->name, c->name);
			if (ok)
				pass++;
			else
				fail++;
		}
	}
	printf("%u passed, %u failed\n", pass, fail);
	return fail ? 1 : 0;
}
