/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lists written once (stats.h: the counters and the drop reasons;
 * config.h: the bounded parameters). A list is a macro that takes the
 * macro X to apply to each item: the items in parentheses, separated by
 * commas. That is the shape checkpatch accepts, and what enums,
 * initializers and a tracepoint's __print_symbolic() want; the core's
 * lists are include files (raft/raft_roles.h), which cannot give a
 * tracepoint its symbols.
 *
 * RAFTLOG_EACH(list, X) is X of each item of list, separated by commas.
 */
#ifndef RAFTLOG_XLIST_H
#define RAFTLOG_XLIST_H

#define RAFTLOG_UNPAREN_(...)	__VA_ARGS__
#define RAFTLOG_EXPAND_(...)	__VA_ARGS__
#define RAFTLOG_EACH(list, x)	RAFTLOG_EXPAND_(RAFTLOG_UNPAREN_ list(x))

#endif /* RAFTLOG_XLIST_H */
