// SPDX-License-Identifier: GPL-2.0
/*
 * nemesis-check: judge a history of writes against the committed log of
 * every node, for the nemesis scenario (tests/vm/scenarios/nemesis.sh).
 * Built static for the test VM like the other C helpers of tests/vm;
 * tests/unit/run.sh also builds it on the host and feeds it broken inputs
 * (tests/vm/nemesis-check-test.sh).
 *
 *   nemesis-check [-e EXAMPLES] HISTORY... -- LOG...
 *
 * A HISTORY is what `probe history` prints, one line per write():
 *   START_NS END_NS OK ENTRY INDEX     the write returned success; INDEX is
 *                                      what RAFTLOG_IOC_LAST_WRITE said
 *   START_NS END_NS ERRNO ENTRY -      it failed with ERRNO
 *   DONE WRITER ATTEMPTS               the writer ended cleanly
 * Entries are WRITER-SEQ, SEQ counting the writer's attempts from 0. A
 * writer with no DONE line may have had one more write in flight when it
 * was killed: that entry counts as an unknown outcome.
 * A LOG is what `probe dump` prints: "INDEX ENTRY" lines, "END at=N".
 *
 * The longest log is the reference; the others must agree with it over
 * their length. Violations (each with a count and EXAMPLES examples):
 *   lost            a write returned success; its entry is not in the log
 *   duplicated      an entry is in the log more than once
 *   phantom         an entry in the log that no writer attempted
 *   divergent       two nodes hold different entries at one index
 *   failed-present  a write failed with a "not committed" errno, yet its
 *                   entry is in the log
 *   wrong-index     the index a successful write reported holds another
 *                   entry (or none)
 *   order           write A returned success before write B began, yet
 *                   B's entry is before A's in the log
 *   unclassified    a write failed with an errno outside both lists below
 * Exit status: 0 no violation, 1 violations, 2 unusable input.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The errno contract for write() (README): the entry was certainly not
 * appended, or it may or may not commit. "INFLIGHT" is ours (above).
 */
static const char *const not_committed[] = {
	"ENOTCONN", "ECANCELED", "EBUSY", "EAGAIN", "EINVAL", "EMSGSIZE",
};
static const char *const unknown_outcome[] = {
	"ETIMEDOUT", "ESHUTDOWN", "EINTR", "ERESTARTSYS", "ESTALE", "EIO",
	"ENOMEM", "INFLIGHT",
};

enum outcome { OUT_OK, OUT_NOT_COMMITTED, OUT_UNKNOWN, OUT_UNCLASSIFIED };

struct op {
	long long start, end;	/* ns; end is LLONG_MAX when in flight */
	char res[32];
	char *entry;
	long long index;	/* reported by a successful write, else 0 */
	enum outcome out;
	long long pos, pos2;	/* first two indexes in the log, 0: absent */
	int copies;
};

struct writer {
	char *name;
	long attempts;		/* lines seen */
	long long last_end;
	int done;
};

struct entry {
	long long index;
	char *data;
};

struct log {
	const char *name;
	struct entry *e;
	size_t n;
	long long extent;	/* the last index the dump covered */
};

static struct op *ops;
static size_t n_ops;
static struct writer *writers;
static size_t n_writers;
static struct log *logs;
static size_t n_logs;
static long long t_origin = LLONG_MAX;

/* How many writes ended with each result, for the summary. */
static struct { char res[32]; long n; } tally[64];
static int n_tally;

static void count_result(const char *res)
{
	int i;

	for (i = 0; i < n_tally && strcmp(tally[i].res, res); i++)
		;
	if (i == n_tally) {
		if (n_tally == (int)(sizeof(tally) / sizeof(tally[0])))
			return;
		snprintf(tally[n_tally++].res, sizeof(tally[0].res), "%s", res);
	}
	tally[i].n++;
}
static int max_examples = 5;

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "nemesis-check: out of memory\n");
		exit(2);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	return strcpy(xrealloc(NULL, strlen(s) + 1), s);
}

static void bad_input(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "nemesis-check: %s:%ld: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return 1;
	return 0;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static enum outcome classify(const char *res)
{
	if (!strcmp(res, "OK"))
		return OUT_OK;
	if (in_list(res, not_committed, ARRAY_SIZE(not_committed)))
		return OUT_NOT_COMMITTED;
	if (in_list(res, unknown_outcome, ARRAY_SIZE(unknown_outcome)))
		return OUT_UNKNOWN;
	return OUT_UNCLASSIFIED;
}

static struct writer *writer_of(const char *name, int create)
{
	for (size_t i = 0; i < n_writers; i++)
		if (!strcmp(writers[i].name, name))
			return &writers[i];
	if (!create)
		return NULL;
	writers = xrealloc(writers, (n_writers + 1) * sizeof(*writers));
	memset(&writers[n_writers], 0, sizeof(*writers));
	writers[n_writers].name = xstrdup(name);
	return &writers[n_writers++];
}

static struct op *add_op(void)
{
	ops = xrealloc(ops, (n_ops + 1) * sizeof(*ops));
	memset(&ops[n_ops], 0, sizeof(*ops));
	return &ops[n_ops++];
}

/* Reads the next line into @buf; 0 at the end. A last line without its
 * newline was cut short: unusable.
 */
static int next_line(FILE *f, char *buf, size_t len, const char *file,
		     long *line)
{
	size_t l;

	if (!fgets(buf, len, f))
		return 0;
	(*line)++;
	l = strlen(buf);
	if (!l || buf[l - 1] != '\n')
		bad_input(file, *line, "line too long or not terminated");
	buf[l - 1] = '\0';
	return 1;
}

static void read_history(const char *file)
{
	char buf[512], res[32], entry[256], idx[32], *dash, *end;
	long line = 0, attempts;
	long long t0, t1;
	FILE *f = fopen(file, "r");

	if (!f)
		bad_input(file, 0, "cannot open");
	while (next_line(f, buf, sizeof(buf), file, &line)) {
		struct writer *w;
		struct op *op;

		if (!buf[0] || buf[0] == '#')
			continue;
		if (sscanf(buf, "DONE %255s %ld", entry, &attempts) == 2) {
			w = writer_of(entry, 1);
			if (attempts != w->attempts)
				bad_input(file, line, "%s: DONE after %ld attempts, %ld in the history",
					  entry, attempts, w->attempts);
			w->done = 1;
			continue;
		}
		if (sscanf(buf, "%lld %lld %31s %255s %31s", &t0, &t1, res,
			   entry, idx) != 5 || t1 < t0)
			bad_input(file, line, "not a history line: '%s'", buf);
		dash = strrchr(entry, '-');
		if (!dash || dash == entry)
			bad_input(file, line, "entry '%s' is not WRITER-SEQ", entry);
		*dash = '\0';
		w = writer_of(entry, 1);
		if (w->done || strtol(dash + 1, &end, 10) != w->attempts || *end)
			bad_input(file, line, "%s-%s out of sequence (expected %s-%ld)",
				  entry, dash + 1, entry, w->attempts);
		*dash = '-';
		w->attempts++;
		w->last_end = t1;
		op = add_op();
		op->start = t0;
		op->end = t1;
		snprintf(op->res, sizeof(op->res), "%s", res);
		op->entry = xstrdup(entry);
		op->out = classify(res);
		count_result(res);
		if (op->out == OUT_OK) {
			/* 0 (no index given) is judged as a wrong index */
			op->index = strtoll(idx, &end, 10);
			if (*end || op->index < 0)
				bad_input(file, line, "successful write without an index");
		}
		if (t0 < t_origin)
			t_origin = t0;
	}
	fclose(f);
}

static void read_log(const char *file)
{
	char buf[512], data[256];
	long line = 0;
	long long idx, prev = 0;
	int ended = 0;
	struct log *l;
	FILE *f = fopen(file, "r");
	const char *slash = strrchr(file, '/');

	if (!f)
		bad_input(file, 0, "cannot open");
	logs = xrealloc(logs, (n_logs + 1) * sizeof(*logs));
	l = &logs[n_logs++];
	memset(l, 0, sizeof(*l));
	l->name = slash ? slash + 1 : file;
	while (next_line(f, buf, sizeof(buf), file, &line)) {
		if (ended)
			bad_input(file, line, "text after END");
		if (sscanf(buf, "END at=%lld", &idx) == 1) {
			l->extent = idx - 1;
			ended = 1;
			continue;
		}
		if (sscanf(buf, "%lld %255s", &idx, data) != 2 || idx <= prev)
			bad_input(file, line, "not a log line (or out of order): '%s'", buf);
		l->e = xrealloc(l->e, (l->n + 1) * sizeof(*l->e));
		l->e[l->n].index = idx;
		l->e[l->n].data = xstrdup(data);
		l->n++;
		prev = idx;
	}
	fclose(f);
	if (!ended || l->extent < prev)
		bad_input(file, line, "no 'END at=N' line covering the entries: the dump failed?");
}

static int cmp_op_entry(const void *a, const void *b)
{
	return strcmp(((const struct op *)a)->entry,
		      ((const struct op *)b)->entry);
}

static struct op *find_op(const char *entry)
{
	struct op key = { .entry = (char *)entry };

	return bsearch(&key, ops, n_ops, sizeof(*ops), cmp_op_entry);
}

/* The entry at @index in @l, or NULL (none, or a no-op). */
static const char *log_at(const struct log *l, long long index)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->e[mid].index == index)
			return l->e[mid].data;
		if (l->e[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Seconds since the first write began, for examples. */
static double rel(long long ns)
{
	return ns == LLONG_MAX ? -1 : (ns - t_origin) / 1e9;
}

/* The classes of violation; each is printed with its count and examples. */
enum { V_LOST, V_DUP, V_PHANTOM, V_DIVERGENT, V_FAILED_PRESENT,
       V_WRONG_INDEX, V_ORDER, V_UNCLASSIFIED, V_N };

static const char *const class_name[V_N] = {
	"lost", "duplicated", "phantom", "divergent", "failed-present",
	"wrong-index", "order", "unclassified",
};
static long count[V_N];
static char *examples[V_N][16];
static int n_examples[V_N];

static void violation(int v, const char *fmt, ...)
{
	va_list ap;
	char *s;

	count[v]++;
	if (n_examples[v] >= max_examples)
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		examples[v][n_examples[v]++] = s;
}

static void check_divergence(const struct log *ref)
{
	for (size_t k = 0; k < n_logs; k++) {
		const struct log *l = &logs[k];
		long long upto = l->extent < ref->extent ? l->extent : ref->extent;
		size_t i = 0, j = 0;
		long diffs = 0;
		long long first = 0;
		const char *fa = NULL, *fb = NULL;

		if (l == ref)
			continue;
		/* Merge the two index lists up to the shorter extent. */
		while ((i < l->n && l->e[i].index <= upto) ||
		       (j < ref->n && ref->e[j].index <= upto)) {
			long long a = i < l->n && l->e[i].index <= upto ?
				      l->e[i].index : LLONG_MAX;
			long long b = j < ref->n && ref->e[j].index <= upto ?
				      ref->e[j].index : LLONG_MAX;
			long long at = a < b ? a : b;
			const char *da = a == at ? l->e[i++].data : NULL;
			const char *db = b == at ? ref->e[j++].data : NULL;

			if (da && db && !strcmp(da, db))
				continue;
			if (!diffs++) {
				first = at;
				fa = da;
				fb = db;
			}
		}
		if (!diffs)
			continue;
		count[V_DIVERGENT] += diffs - 1;
		violation(V_DIVERGENT, "%s and %s differ at %ld index(es) up to %lld, first at %lld: %s vs %s",
			  l->name, ref->name, diffs, upto, first,
			  fa ? fa : "(nothing)", fb ? fb : "(nothing)");
	}
}

static void describe(char *buf, size_t len, const struct op *op)
{
	if (op->out == OUT_OK)
		snprintf(buf, len, "OK index %lld, %.3f-%.3f s", op->index,
			 rel(op->start), rel(op->end));
	else if (op->end == LLONG_MAX)
		snprintf(buf, len, "in flight from %.3f s", rel(op->start));
	else
		snprintf(buf, len, "%s, %.3f-%.3f s", op->res, rel(op->start),
			 rel(op->end));
}

static int cmp_end(const void *a, const void *b)
{
	const struct op *x = *(const struct op *const *)a;
	const struct op *y = *(const struct op *const *)b;

	return (x->end > y->end) - (x->end < y->end);
}

/*
 * Real-time order: every write acknowledged before B began is before B
 * in the log. With the acknowledged writes sorted by the time they
 * returned and the running maximum of their positions, one binary search
 * per B finds the latest-placed of those that returned before B began.
 */
static void check_order(void)
{
	struct op **acked = xrealloc(NULL, (n_ops + 1) * sizeof(*acked));
	struct op **maxop = xrealloc(NULL, (n_ops + 1) * sizeof(*maxop));
	size_t n = 0;
	char da[128], db[128];

	for (size_t i = 0; i < n_ops; i++)
		if (ops[i].out == OUT_OK && ops[i].copies)
			acked[n++] = &ops[i];
	qsort(acked, n, sizeof(*acked), cmp_end);
	for (size_t i = 0; i < n; i++)
		maxop[i] = i && maxop[i - 1]->pos > acked[i]->pos ?
			   maxop[i - 1] : acked[i];
	for (size_t i = 0; i < n_ops; i++) {
		struct op *b = &ops[i], *a;
		size_t lo = 0, hi = n;

		if (!b->copies)
			continue;
		while (lo < hi) {	/* how many returned before b began */
			size_t mid = lo + (hi - lo) / 2;

			if (acked[mid]->end < b->start)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (!lo || maxop[lo - 1]->pos < b->pos)
			continue;
		a = maxop[lo - 1];
		describe(da, sizeof(da), a);
		describe(db, sizeof(db), b);
		violation(V_ORDER, "%s (%s) is at %lld, after %s (%s) at %lld, which began after it returned",
			  a->entry, da, a->pos, b->entry, db, b->pos);
	}
	free(acked);
	free(maxop);
}

static void usage(void)
{
	fprintf(stderr, "usage: nemesis-check [-e EXAMPLES] HISTORY... -- LOG...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	long ok = 0, nc = 0, unk = 0, other = 0, total = 0, entries = 0;
	const struct log *ref;
	char d[128];
	int i = 1;

	if (i + 1 < argc && !strcmp(argv[i], "-e")) {
		max_examples = atoi(argv[i + 1]);
		if (max_examples < 0 || max_examples > 16)
			usage();
		i += 2;
	}
	for (; i < argc && strcmp(argv[i], "--"); i++)
		read_history(argv[i]);
	if (i >= argc)
		usage();
	for (i++; i < argc; i++)
		read_log(argv[i]);
	if (!n_logs || !n_ops)
		usage();

	/* A writer killed mid-write: its next entry may be in the log. */
	for (size_t w = 0; w < n_writers; w++) {
		struct op *op;

		if (writers[w].done)
			continue;
		printf("note: writer %s has no DONE line: %s-%ld counts as in flight\n",
		       writers[w].name, writers[w].name, writers[w].attempts);
		op = add_op();
		op->start = writers[w].last_end;
		op->end = LLONG_MAX;
		snprintf(op->res, sizeof(op->res), "INFLIGHT");
		if (asprintf(&op->entry, "%s-%ld", writers[w].name,
			     writers[w].attempts) < 0)
			exit(2);
		op->out = OUT_UNKNOWN;
	}
	qsort(ops, n_ops, sizeof(*ops), cmp_op_entry);

	ref = &logs[0];
	for (size_t k = 1; k < n_logs; k++)
		if (logs[k].extent > ref->extent)
			ref = &logs[k];
	check_divergence(ref);

	for (size_t j = 0; j < ref->n; j++) {
		struct op *op = find_op(ref->e[j].data);

		if (!op) {
			violation(V_PHANTOM, "%s at %lld", ref->e[j].data,
				  ref->e[j].index);
			continue;
		}
		if (!op->copies++)
			op->pos = ref->e[j].index;
		else if (!op->pos2)
			op->pos2 = ref->e[j].index;
	}
	for (size_t j = 0; j < n_ops; j++) {
		struct op *op = &ops[j];
		const char *at;

		describe(d, sizeof(d), op);
		total += op->end != LLONG_MAX;
		entries += op->copies;
		switch (op->out) {
		case OUT_OK:
			ok++;
			at = log_at(ref, op->index);
			if (!op->copies)
				violation(V_LOST, "%s (%s)", op->entry, d);
			else if (!at || strcmp(at, op->entry))
				violation(V_WRONG_INDEX, "%s (%s) is at %lld; %lld holds %s",
					  op->entry, d, op->pos, op->index,
					  at ? at : "no client entry");
			break;
		case OUT_NOT_COMMITTED:
			nc++;
			if (op->copies)
				violation(V_FAILED_PRESENT, "%s (%s) is at %lld",
					  op->entry, d, op->pos);
			break;
		case OUT_UNKNOWN:
			unk++;
			break;
		case OUT_UNCLASSIFIED:
			other++;
			violation(V_UNCLASSIFIED, "%s (%s)%s", op->entry, d,
				  op->copies ? ", in the log" : "");
			break;
		}
		if (op->copies > 1)
			violation(V_DUP, "%s (%s) is there %d times: at %lld and %lld",
				  op->entry, d, op->copies, op->pos, op->pos2);
	}
	check_order();

	printf("history: %zu writers, %ld writes: %ld OK, %ld not committed, %ld unknown outcome, %ld unclassified\n",
	       n_writers, total, ok, nc, unk, other);
	printf("results:");
	for (int t = 0; t < n_tally; t++)
		printf(" %s %ld", tally[t].res, tally[t].n);
	printf("\n");
	printf("logs: %zu, the longest %s to index %lld, %zu client entries (%ld of them written by the history)\n",
	       n_logs, ref->name, ref->extent, ref->n, entries);
	for (int v = 0; v < V_N; v++) {
		printf("%s: %ld\n", class_name[v], count[v]);
		for (int e = 0; e < n_examples[v]; e++)
			printf("  %s\n", examples[v][e]);
	}
	{
		long bad = 0;

		printf("nemesis-check: ");
		for (int v = 0; v < V_N; v++) {
			if (!count[v])
				continue;
			printf("%s%s %ld", bad ? ", " : "FAIL: ", class_name[v],
			       count[v]);
			bad += count[v];
		}
		printf("%s\n", bad ? "" : "PASS: no violation");
		return bad ? 1 : 0;
	}
}
