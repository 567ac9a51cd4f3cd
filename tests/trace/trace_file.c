// SPDX-License-Identifier: GPL-2.0
/* The trace engine's trace files: running a script and comparing its output (trace_run_text()). */
#include "trace_int.h"

/* ---- trace files ------------------------------------------------------------- */

void trace_buf_add(struct trace_buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = (b->n + n + 1) * 2;
		char *p = raft_realloc(b->p, b->cap, nc);

		if (!p)
			return;
		b->p = p;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void buf_str(struct trace_buf *b, const char *s)
{
	trace_buf_add(b, s, strlen(s));
}

/* Next line of @s (without its newline) from *@pos, or NULL at the end. */
static char *next_line(char *s, size_t *pos)
{
	char *l = s + *pos;

	if (!*l)
		return NULL;
	while (s[*pos] && s[*pos] != '\n')
		(*pos)++;
	if (s[*pos])
		s[(*pos)++] = 0;
	return l;
}

/* Describes the first line where @want and @got differ into @why. */
static void describe_diff(struct trace_buf *why, const char *name, int line,
			  const char *cmd, const char *want, const char *got)
{
	char head[1200];
	int l = 0;

	snprintf(head, sizeof(head), "%s:%d: %s\n", name, line, cmd);
	buf_str(why, head);
	for (;;) {
		const char *we = strchr(want, '\n'), *ge = strchr(got, '\n');
		size_t wn = we ? (size_t)(we - want) : strlen(want);
		size_t gn = ge ? (size_t)(ge - got) : strlen(got);

		l++;
		if (wn != gn || memcmp(want, got, wn)) {
			snprintf(head, sizeof(head), "  output line %d:\n  want: ",
				 l);
			buf_str(why, head);
			trace_buf_add(why, want, wn);
			buf_str(why, *want ? "\n  got:  " :
				"(end of output)\n  got:  ");
			trace_buf_add(why, got, gn);
			buf_str(why, *got ? "\n" : "(end of output)\n");
			return;
		}
		if (!we || !ge)
			return;
		want = we + 1;
		got = ge + 1;
	}
}

int trace_run_text(char *text, const char *name, struct trace_buf *file,
		   struct trace_buf *why)
{
	struct trace_buf want = { 0 }, got = { 0 };
	struct trace_env *env = trace_env_new();
	int lineno = 0, bad = 0;
	size_t pos = 0;
	char *l;

	if (!env)
		return -1;
	while ((l = next_line(text, &pos))) {
		int cmd_line = ++lineno;
		const char *cmd = l;

		buf_str(file, l);
		buf_str(file, "\n");
		if (!*l || *l == '#')
			continue;
		l = next_line(text, &pos);
		lineno++;
		if (!l || strcmp(l, "----")) {
			char m[1200];

			snprintf(m, sizeof(m), "%s:%d: expected ---- after \"%s\"\n",
				 name, lineno, cmd);
			buf_str(why, m);
			bad = -1;
			break;
		}
		want.n = 0;
		buf_str(&want, "");
		while ((l = next_line(text, &pos))) {
			lineno++;
			if (!*l)
				break;
			buf_str(&want, l);
			buf_str(&want, "\n");
		}
		got.n = 0;
		buf_str(&got, "");
		trace_env_run(env, cmd, &got.p, &got.n, &got.cap);
		if (strcmp(want.p, got.p)) {
			describe_diff(why, name, cmd_line, cmd, want.p, got.p);
			bad++;
		}
		buf_str(file, "----\n");
		buf_str(file, got.p);
		if (l)
			buf_str(file, "\n");
	}
	trace_env_free(env);
	raft_free(want.p);
	raft_free(got.p);
	return bad;
}
