// SPDX-License-Identifier: GPL-2.0
/*
 * trace: runs datadriven traces of the portable Raft core (kmod/raft/).
 *
 * A trace file is a script of commands, each followed by "----" and the
 * exact output it must produce, ended by a blank line; lines starting with
 * '#' between commands are comments. The runner drives real cores through
 * the public API only (raft.h): it ticks them, steps messages into them,
 * plays the caller's part of every ready (persist, then send) and prints
 * what each ready holds. See tests/trace/README for the commands and the
 * output format. With --rewrite it writes the output it got back into the
 * file, so that a change of the core shows up as a diff of traces.
 *
 * usage: trace [--rewrite] [-v] FILE...
 */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "raft.h"
#include "trace_engine.h"

static char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = (n + 4096 + 1) * 2;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
}

/* Runs one trace file: 0 every output matched, 1 not, 2 rewritten. */
static int run_file(const char *path, bool rewrite, bool verbose)
{
	struct trace_buf file = { 0 }, why = { 0 };
	size_t len;
	char *text = read_all(path, &len);
	int bad;

	if (!text) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	bad = trace_run_text(text, path, &file, &why);
	if (verbose && file.p)
		fputs(file.p, stdout);
	if (why.p && (!rewrite || bad < 0))
		fputs(why.p, stderr);
	if (rewrite && bad > 0) {
		FILE *f = fopen(path, "wb");

		if (!f || fwrite(file.p, 1, file.n, f) != file.n || fclose(f)) {
			fprintf(stderr, "%s: cannot write\n", path);
			bad = -1;
		} else {
			bad = -2;
		}
	}
	free(file.p);
	free(why.p);
	free(text);
	return bad == -2 ? 2 : bad != 0;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

int main(int argc, char **argv)
{
	bool rewrite = false, verbose = false;
	int i, passed = 0, failed = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--rewrite")) {
			rewrite = true;
		} else if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[i], "-h") ||
			   !strcmp(argv[i], "--help")) {
			printf("usage: %s [--rewrite] [-v] FILE...\n"
			       "Runs each datadriven trace FILE against the Raft core and\n"
			       "prints `ok NAME` or `FAIL NAME` per file, then `N passed, N\n"
			       "failed`. --rewrite writes the output got into the files\n"
			       "instead of comparing; -v prints each trace with the output got.\n"
			       "Exit status: 0 all passed, 1 a trace failed, 2 usage.\n",
			       argv[0]);
			return 0;
		} else {
			fprintf(stderr, "%s: unknown option %s\n", argv[0],
				argv[i]);
			return 2;
		}
	}
	if (i == argc) {
		fprintf(stderr, "usage: %s [--rewrite] [-v] FILE...\n", argv[0]);
		return 2;
	}
	for (; i < argc; i++) {
		int rc = run_file(argv[i], rewrite, verbose);

		printf("%s %s\n", rc == 1 ? "FAIL" : rc ? "rewritten" : "ok",
		       base_name(argv[i]));
		if (rc == 1)
			failed++;
		else
			passed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
