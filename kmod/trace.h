/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: role and term changes, commits, dropped packets. Enable
 * with: echo 1 > /sys/kernel/tracing/events/raftlog/enable
 * Device names go in fixed arrays: __assign_str() changed its arguments
 * in 6.10, and a fixed array works the same on every kernel.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM raftlog

#if !defined(RAFTLOG_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define RAFTLOG_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include "raft/raft.h"
#include "stats.h"

#define RAFTLOG_TRACE_NAME	48

/* A role's name as the core's list (raft/raft_roles.h) gives it. */
#define RAFTLOG_TRACE_ROLE	16

/* The reasons' numbers and names from their list (stats.h). */
#define RAFTLOG_DROP_SYM_(value, reason, name)	{ value, #name }
#define raftlog_show_drop(r)						\
	__print_symbolic(r, RAFTLOG_EACH(RAFTLOG_DROP_REASONS,		\
					 RAFTLOG_DROP_SYM_))

/*
 * @from and @to are enum raft_role values; the names are copied in when
 * the event is recorded (the core's list of roles is an include file,
 * which cannot be __print_symbolic()'s symbols).
 */
TRACE_EVENT(raftlog_role,
	    TP_PROTO(const char *dev, u64 term, int from, int to),
	    TP_ARGS(dev, term, from, to),
	    TP_STRUCT__entry(__array(char, dev, RAFTLOG_TRACE_NAME)
			     __field(u64, term)
			     __field(int, from)
			     __field(int, to)
			     __array(char, from_name, RAFTLOG_TRACE_ROLE)
			     __array(char, to_name, RAFTLOG_TRACE_ROLE)),
	    TP_fast_assign(strscpy(__entry->dev, dev, RAFTLOG_TRACE_NAME);
			   __entry->term = term;
			   __entry->from = from;
			   __entry->to = to;
			   strscpy(__entry->from_name, raft_role_name(from),
				   RAFTLOG_TRACE_ROLE);
			   strscpy(__entry->to_name, raft_role_name(to),
				   RAFTLOG_TRACE_ROLE);),
	    TP_printk("dev=%s term=%llu %s->%s", __entry->dev, __entry->term,
		      __entry->from_name, __entry->to_name)
);

TRACE_EVENT(raftlog_term,
	    TP_PROTO(const char *dev, u64 old_term, u64 term, u32 leader),
	    TP_ARGS(dev, old_term, term, leader),
	    TP_STRUCT__entry(__array(char, dev, RAFTLOG_TRACE_NAME)
			     __field(u64, old_term)
			     __field(u64, term)
			     __field(u32, leader)),
	    TP_fast_assign(strscpy(__entry->dev, dev, RAFTLOG_TRACE_NAME);
			   __entry->old_term = old_term;
			   __entry->term = term;
			   __entry->leader = leader;),
	    TP_printk("dev=%s term=%llu->%llu leader=%u", __entry->dev,
		      __entry->old_term, __entry->term, __entry->leader)
);

TRACE_EVENT(raftlog_commit,
	    TP_PROTO(const char *dev, u64 index),
	    TP_ARGS(dev, index),
	    TP_STRUCT__entry(__array(char, dev, RAFTLOG_TRACE_NAME)
			     __field(u64, index)),
	    TP_fast_assign(strscpy(__entry->dev, dev, RAFTLOG_TRACE_NAME);
			   __entry->index = index;),
	    TP_printk("dev=%s commit=%llu", __entry->dev, __entry->index)
);

/* @reason: enum raftlog_drop_reason (stats.h), named in the output */
TRACE_EVENT(raftlog_drop,
	    TP_PROTO(const char *dev, int reason, u32 len),
	    TP_ARGS(dev, reason, len),
	    TP_STRUCT__entry(__array(char, dev, RAFTLOG_TRACE_NAME)
			     __field(int, reason)
			     __field(u32, len)),
	    TP_fast_assign(strscpy(__entry->dev, dev, RAFTLOG_TRACE_NAME);
			   __entry->reason = reason;
			   __entry->len = len;),
	    TP_printk("dev=%s reason=%s len=%u", __entry->dev,
		      raftlog_show_drop(__entry->reason), __entry->len)
);

#endif /* RAFTLOG_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
