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

/* Next line of @s from *@pos (without its newline), or NULL at the end. */
static char *next_line(char *s, size_t len, size_t *pos)
{
	char *l;

	if (*pos >= len)
		return NULL;
	l = s + *pos;
	while (*pos < len && s[*pos] != '\n')
		(*pos)++;
	if (*pos < len)
		s[(*pos)++] = 0;
	return l;
}

struct sbuf {
	char *p;
	size_t n, cap;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			abort();
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void sb_str(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

/* Prints the first line where @want and @got differ. */
static void show_diff(const char *file, int line, const char *cmd,
		      const char *want, const char *got)
{
	int l = 0;

	fprintf(stderr, "%s:%d: %s\n", file, line, cmd);
	for (;;) {
		const char *we = strchr(want, '\n'), *ge = strchr(got, '\n');
		size_t wn = we ? (size_t)(we - want) : strlen(want);
		size_t gn = ge ? (size_t)(ge - got) : strlen(got);

		l++;
		if (wn != gn || memcmp(want, got, wn)) {
			fprintf(stderr, "  output line %d:\n  want: %.*s%s\n"
				"  got:  %.*s%s\n", l, (int)wn, want,
				*want ? "" : "(end of output)", (int)gn, got,
				*got ? "" : "(end of output)");
			return;
		}
		if (!we || !ge)
			return;
		want = we + 1;
		got = ge + 1;
	}
}

/* Runs one trace file; 0 when every output matched (or was rewritten). */
static int run_file(const char *path, bool rewrite, bool verbose)
{
	struct sbuf out = { 0 }, want = { 0 }, got = { 0 };
	size_t len, pos = 0;
	char *text = read_all(path, &len), *l;
	struct trace_env *env;
	int lineno = 0, bad = 0;

	if (!text) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	env = trace_env_new();
	while ((l = next_line(text, len, &pos))) {
		int cmd_line;
		char cmd[1024];

		lineno++;
		if (!*l || *l == '#') {
			sb_str(&out, l);
			sb_str(&out, "\n");
			continue;
		}
		cmd_line = lineno;
		snprintf(cmd, sizeof(cmd), "%s", l);
		sb_str(&out, l);
		sb_str(&out, "\n");
		l = next_line(text, len, &pos);
		lineno++;
		if (!l || strcmp(l, "----")) {
			fprintf(stderr, "%s:%d: expected ---- after \"%s\"\n",
				path, lineno, cmd);
			bad = 1;
			break;
		}
		want.n = 0;
		sb_str(&want, "");
		while ((l = next_line(text, len, &pos))) {
			lineno++;
			if (!*l)
				break;
			sb_str(&want, l);
			sb_str(&want, "\n");
		}
		got.n = 0;
		sb_str(&got, "");
		trace_env_run(env, cmd, &got.p, &got.n, &got.cap);
		if (verbose)
			printf("%s\n----\n%s\n", cmd, got.p);
		if (strcmp(want.p, got.p)) {
			if (!rewrite)
				show_diff(path, cmd_line, cmd, want.p, got.p);
			bad = 1;
		}
		sb_str(&out, "----\n");
		sb_str(&out, got.p);
		sb_str(&out, "\n");
		if (!l)
			break;
	}
	trace_env_free(env);
	if (rewrite && bad) {
		FILE *f;

		/* no blank line at the end of the file */
		while (out.n >= 2 && out.p[out.n - 1] == '\n' &&
		       out.p[out.n - 2] == '\n')
			out.p[--out.n] = 0;
		f = fopen(path, "wb");
		if (!f || fwrite(out.p, 1, out.n, f) != out.n || fclose(f)) {
			fprintf(stderr, "%s: cannot write\n", path);
			return 1;
		}
		bad = 0;
	}
	free(out.p);
	free(want.p);
	free(got.p);
	free(text);
	return bad;
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
			       "instead of comparing; -v prints every command's output.\n"
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
		if (run_file(argv[i], rewrite, verbose)) {
			printf("FAIL %s\n", base_name(argv[i]));
			failed++;
		} else {
			printf("%s %s\n", rewrite ? "rewritten" : "ok",
			       base_name(argv[i]));
			passed++;
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
