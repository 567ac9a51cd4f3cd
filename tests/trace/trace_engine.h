/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trace engine: a cluster of Raft cores driven by text commands, one
 * command at a time, whose output is appended to a growing buffer. It uses
 * only raft.h and platform.h (no stdio), so a KUnit wrapper can include
 * its parts (trace_print.c, trace_parse.c, trace_cluster.c, trace_cmd.c,
 * trace_file.c; their shared inside is trace_int.h) as they are and feed
 * them the same corpus.
 */
#ifndef TESTS_TRACE_ENGINE_H
#define TESTS_TRACE_ENGINE_H

#include "platform.h"

struct trace_env;

struct trace_env *trace_env_new(void);
void trace_env_free(struct trace_env *env);
/*
 * Runs one command line and appends its output (lines ending in '\n') to
 * *@buf, a NUL-terminated string of *@len bytes in *@cap bytes allocated
 * with raft_alloc()/raft_realloc().
 */
void trace_env_run(struct trace_env *env, const char *cmd, char **buf,
		   size_t *len, size_t *cap);

/* A growing NUL-terminated string, allocated with raft_alloc(). */
struct trace_buf {
	char *p;
	size_t n, cap;
};

void trace_buf_add(struct trace_buf *b, const char *s, size_t n);

/*
 * Runs one whole trace file @text (its bytes are modified) on a fresh
 * cluster. Appends to @file the file as it should be (every command with
 * the output it got: what --rewrite writes) and to @why a description of
 * each command whose output differed (where, the command, the first
 * differing line). Returns the number of such commands, or -1 when the
 * file is malformed (@why says where).
 */
int trace_run_text(char *text, const char *name, struct trace_buf *file,
		   struct trace_buf *why);

#endif /* TESTS_TRACE_ENGINE_H */
