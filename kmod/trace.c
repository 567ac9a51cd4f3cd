// SPDX-License-Identifier: GPL-2.0
/* Instantiates raftlog's tracepoints (see trace.h). */
#define CREATE_TRACE_POINTS
#include "trace.h"

/*
 * The drop reasons' values are the tracepoint's numbers (its format file
 * shows them): a build error here unless each is its place in the list.
 */
static const int raftlog_drop_places[] __maybe_unused = {
	RAFTLOG_EACH(RAFTLOG_DROP_REASONS, RAFTLOG_DROP_PLACE_)
};
