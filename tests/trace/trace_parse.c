// SPDX-License-Identifier: GPL-2.0
/* The trace engine's parsing a command line: words, key=value arguments, node ids. */
#include "trace_int.h"

/* ---- parsing --------------------------------------------------------------- */

TRACE_FN void split(struct t_args *a, const char *cmd)
{
	char *p;

	memset(a, 0, sizeof(*a));
	snprintf(a->line, sizeof(a->line), "%s", cmd);
	p = a->line;
	while (*p && a->n < T_MAX_ARGS) {
		char *eq;

		while (*p == ' ' || *p == '\t')
			*p++ = 0;
		if (!*p)
			break;
		a->key[a->n] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = 0;
		eq = strchr(a->key[a->n], '=');
		if (eq) {
			*eq = 0;
			a->val[a->n] = eq + 1;
		}
		a->n++;
	}
}

TRACE_FN bool parse_u64(const char *s, u64 *v)
{
	u64 x = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		x = x * 10 + (u64)(*s - '0');
	}
	*v = x;
	return true;
}

/* The value of key=value, or NULL. */
TRACE_FN const char *arg(const struct t_args *a, const char *key)
{
	u32 i;

	for (i = 1; i < a->n; i++)
		if (a->val[i] && !strcmp(a->key[i], key))
			return a->val[i];
	return NULL;
}

TRACE_FN u64 arg_u64(const struct t_args *a, const char *key, u64 def)
{
	u64 v;

	return parse_u64(arg(a, key), &v) ? v : def;
}

TRACE_FN bool has_word(const struct t_args *a, const char *w)
{
	u32 i;

	for (i = 1; i < a->n; i++)
		if (!a->val[i] && !strcmp(a->key[i], w))
			return true;
	return false;
}

/* "T/I" */
TRACE_FN bool parse_ti(const char *s, u64 *t, u64 *i)
{
	char b[64];
	char *sl;

	if (!s)
		return false;
	snprintf(b, sizeof(b), "%s", s);
	sl = strchr(b, '/');
	if (!sl)
		return false;
	*sl = 0;
	return parse_u64(b, t) && parse_u64(sl + 1, i);
}

/* Node ids among the bare words from @from on; all nodes when none. */
TRACE_FN u32 pick_nodes(struct trace_env *env, const struct t_args *a,
		      u32 from, bool *set)
{
	u32 i, k = 0;
	u64 id;

	memset(set, 0, sizeof(bool) * (T_MAX_NODES + 1));
	for (i = from; i < a->n; i++) {
		if (a->val[i] || !parse_u64(a->key[i], &id) || !id ||
		    id > env->n)
			continue;
		set[id] = true;
		k++;
	}
	if (!k)
		for (i = 1; i <= env->n; i++)
			set[i] = true;
	return k;
}

TRACE_FN struct t_node *node_arg(struct trace_env *env, const struct t_args *a,
			       u32 i)
{
	u64 id;

	if (i >= a->n || a->val[i] || !parse_u64(a->key[i], &id) || !id ||
	    id > env->n) {
		out(env, "error: no node %s\n", i < a->n ? a->key[i] : "given");
		return NULL;
	}
	return &env->nd[id];
}
