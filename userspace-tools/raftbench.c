// SPDX-License-Identifier: GPL-2.0
/*
 * raftbench: measure a raftlog cluster through its devices.
 *
 * C writer threads each open one of the given devices and write entries
 * of S bytes, either back to back (closed loop) or on a fixed schedule of
 * R entries per second (open loop, latency counted from the scheduled
 * time so a stall is not hidden). Every payload names the run, the writer
 * and a sequence number and carries filler derived from them, so --verify
 * can read each node's log afterwards and check that every acknowledged
 * entry is there exactly once, intact, at the index its writer was told,
 * and in the same order on every node.
 *
 * A DEV of the form unix:PATH is raftlogd's client socket: every call goes
 * through common.c's rl_dev_* with the device's semantics, so the same
 * workload, byte for byte, runs against the module or the daemon.
 */
#define _GNU_SOURCE
#include "common.h"

#include <linux/raftlog.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_DEVS	16
#define MAX_WRITERS	1024
#define HDR_LEN		26	/* "rb:RRRRRRRR:WWWW:SSSSSSSS:" */
#define NSEC		1000000000ULL

static const char usage[] =
"usage: raftbench -d DEV [-d DEV...] [-n N] [-t SEC] [-s SIZE] [-c C]\n"
"                 [-r RATE] [--json] [--verify [DEV...]]\n"
"\n"
"Write entries to raftlog devices and report throughput, latency and a\n"
"per-second timeline (an election shows up as a gap with errors and a new\n"
"term). Writers are spread round-robin over the -d devices.\n"
"\n"
"  -d, --dev DEV        device to write to: n1, raftlog-n1, a path, or\n"
"                       unix:PATH, a raftlogd's client socket\n"
"                       (repeatable, or comma-separated)\n"
"  -n, --entries N      entries to write (default 1000 unless -t is given)\n"
"  -t, --time SEC       stop after SEC seconds (with -n: whichever first)\n"
"  -s, --size SIZE      bytes per entry, >= 26 (default 64; k/M suffixes)\n"
"  -c, --concurrency C  writer threads, each with its own open file\n"
"                       (default 1; 16 in open loop)\n"
"  -r, --rate R         open loop: start R entries per second in total\n"
"  --json               print the report as one JSON object on stdout\n"
"  --verify [DEV...]    afterwards read the log of every DEV (default: the\n"
"                       -d devices) and check each acknowledged entry is\n"
"                       there exactly once, intact, in the same order\n"
"                       everywhere, and no entry known not committed is\n"
"  --verify-timeout SEC how long a node may take to catch up (default 30)\n"
"  --verify-delay SEC   wait SEC seconds before verifying (for example to\n"
"                       let a failover happen after the writes)\n"
"  --no-progress        no progress bar (it is drawn only on a terminal)\n"
"  -h, --help           this text\n"
"\n"
"Entries are \"rb:RUN:WRITER:SEQ:\" followed by filler derived from them.\n"
"MB/s counts payload bytes, 1 MB = 10^6 bytes. Latency is from the write\n"
"call (open loop: from the scheduled start) to its return.\n"
"\n"
"exit: 0 ok, 1 nothing committed or setup error, 2 usage, 3 verify failed\n";

/* One attempted entry. */
struct rec {
	uint32_t seq;
	uint16_t writer;
	uint8_t outcome;	/* enum rl_outcome */
	uint8_t err;		/* errno, clamped */
	uint64_t index;		/* from RAFTLOG_IOC_LAST_WRITE, 0 if unknown */
	uint64_t t_start, t_end;	/* ns since the run started */
};

struct writer {
	pthread_t thr;
	int id;
	const char *path;
	struct rec *recs;
	size_t n, cap;
	int open_err;
};

static struct {
	char *dev_path[MAX_DEVS], dev_name[MAX_DEVS][RL_NAME_MAX];
	int ndev;
	char *ver_path[MAX_DEVS], ver_name[MAX_DEVS][RL_NAME_MAX];
	int nver, verify;
	unsigned long long entries, size;
	double seconds, rate, verify_timeout, verify_delay;
	unsigned int conc;
	int json, progress;
} cfg = { .size = 64, .verify_timeout = 30 };

static uint32_t run_id;
static uint64_t t0;
static atomic_ullong next_seq, n_done, n_err;
static atomic_int stop_all, writers_left;

static uint64_t since_start(void)
{
	return rl_now_ns() - t0;
}

/* ---- payloads -------------------------------------------------------- */

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	return x ^ (x >> 33);
}

static void fill_payload(char *buf, size_t size, uint32_t run, unsigned int w,
			 uint32_t seq)
{
	char hdr[HDR_LEN + 1];
	uint64_t s = mix(((uint64_t)run << 32) ^ seq ^ ((uint64_t)w << 48));

	snprintf(hdr, sizeof(hdr), "rb:%08" PRIx32 ":%04x:%08" PRIx32 ":", run,
		 w & 0xffff, seq);
	memcpy(buf, hdr, HDR_LEN);
	for (size_t i = HDR_LEN; i < size; i++) {
		if ((i & 7) == 2)
			s = mix(s + i);
		buf[i] = 'a' + (char)((s >> ((i & 7) * 8)) % 26);
	}
}

/*
 * Recognise an entry of this run. Returns 1 and sets *w and *seq if it is
 * one and is intact, 0 if it belongs to something else, -1 if it claims to
 * be ours but is damaged.
 */
static int parse_payload(const char *buf, size_t len, char *scratch,
			 unsigned int *w, uint32_t *seq)
{
	char hdr[HDR_LEN + 1];
	unsigned int run, wr, sq;

	if (len < HDR_LEN || memcmp(buf, "rb:", 3))
		return 0;
	memcpy(hdr, buf, HDR_LEN);
	hdr[HDR_LEN] = '\0';
	if (sscanf(hdr, "rb:%8x:%4x:%8x:", &run, &wr, &sq) != 3)
		return 0;
	if (run != run_id)
		return 0;
	if (len != cfg.size)
		return -1;
	fill_payload(scratch, len, run, wr, sq);
	if (memcmp(scratch, buf, len))
		return -1;
	*w = wr;
	*seq = sq;
	return 1;
}

/* ---- writers --------------------------------------------------------- */

static void push(struct writer *w, const struct rec *r)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		struct rec *nr = realloc(w->recs, cap * sizeof(*nr));

		if (!nr) {
			fprintf(stderr, "raftbench: out of memory\n");
			exit(RL_EXIT_ERROR);
		}
		w->recs = nr;
		w->cap = cap;
	}
	w->recs[w->n++] = *r;
}

static void sleep_until(uint64_t t)
{
	uint64_t now = since_start();

	while (now < t && !atomic_load(&stop_all)) {
		uint64_t d = t - now;
		struct timespec ts = { d / NSEC, d % NSEC };

		nanosleep(&ts, NULL);
		now = since_start();
	}
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	uint64_t limit_ns = cfg.seconds > 0 ? cfg.seconds * 1e9 : 0;
	char *buf = malloc(cfg.size);
	/* O_APPEND means nothing to the device; it lets a file stand in */
	int fd = rl_dev_open(w->path, O_WRONLY | O_APPEND);

	if (fd < 0 || !buf) {
		w->open_err = fd < 0 ? errno : ENOMEM;
		goto out;
	}
	for (;;) {
		unsigned long long k = atomic_fetch_add(&next_seq, 1);
		struct rec r = { .writer = w->id };
		ssize_t n;

		if (atomic_load(&stop_all) || (cfg.entries && k >= cfg.entries) ||
		    (limit_ns && since_start() >= limit_ns) || k > UINT32_MAX)
			break;
		r.seq = k;
		if (cfg.rate > 0) {
			r.t_start = (uint64_t)(k * (1e9 / cfg.rate));
			if (limit_ns && r.t_start >= limit_ns)
				break;
			sleep_until(r.t_start);
			if (atomic_load(&stop_all))
				break;
		} else {
			r.t_start = since_start();
		}
		fill_payload(buf, cfg.size, run_id, w->id, r.seq);
		n = rl_dev_write(fd, buf, cfg.size);
		r.t_end = since_start();
		if (n == (ssize_t)cfg.size) {
			__u64 idx = 0;

			if (rl_dev_ioctl(fd, RAFTLOG_IOC_LAST_WRITE, &idx))
				idx = 0;
			r.index = idx;
			r.outcome = RL_OUT_COMMITTED;
			atomic_fetch_add(&n_done, 1);
		} else {
			int e = n < 0 ? errno : EIO;

			r.outcome = rl_classify(e);
			r.err = e > 255 ? 255 : e;
			atomic_fetch_add(&n_err, 1);
			if (r.outcome == RL_OUT_NO_LEADER || e == EBUSY) {
				/* let an election finish, or the window drain */
				struct timespec ts = { 0, (e == EBUSY ? 2 : 20) * 1000000L };

				nanosleep(&ts, NULL);
			}
		}
		push(w, &r);
	}
out:
	if (fd >= 0)
		rl_dev_close(fd);
	free(buf);
	atomic_fetch_sub(&writers_left, 1);
	return NULL;
}

/* ---- monitor: progress bar and leader/term per second ---------------- */

struct sample {
	long long term, leader;
};

static struct sample *samples;
static size_t nsamples, cap_samples;

/* Term and leader of the first device: sysfs, or a daemon's status. */
static void read_sample(struct sample *sm)
{
	struct raftlog_status st;
	int fd;

	if (!rl_is_daemon(cfg.dev_path[0])) {
		sm->term = rl_read_num(cfg.dev_name[0], "term");
		sm->leader = rl_read_num(cfg.dev_name[0], "leader");
		return;
	}
	sm->term = sm->leader = -1;
	fd = rl_dev_open(cfg.dev_path[0], O_RDONLY | O_NONBLOCK);
	if (fd < 0)
		return;
	if (!rl_dev_ioctl(fd, RAFTLOG_IOC_STATUS, &st)) {
		sm->term = (long long)st.term;
		sm->leader = st.leader;
	}
	rl_dev_close(fd);
}

static void take_sample(size_t sec)
{
	while (nsamples <= sec) {
		if (nsamples == cap_samples) {
			size_t cap = cap_samples ? cap_samples * 2 : 64;
			struct sample *ns = realloc(samples, cap * sizeof(*ns));

			if (!ns)
				return;
			samples = ns;
			cap_samples = cap;
		}
		read_sample(&samples[nsamples++]);
	}
}

static void draw_progress(void)
{
	unsigned long long done = atomic_load(&n_done), err = atomic_load(&n_err);
	double el = since_start() / 1e9, frac;
	char bar[31];
	int fill;

	if (cfg.entries)
		frac = (double)(done + err) / cfg.entries;
	else
		frac = el / cfg.seconds;
	if (cfg.entries && cfg.seconds > 0 && el / cfg.seconds > frac)
		frac = el / cfg.seconds;
	if (frac > 1)
		frac = 1;
	fill = (int)(frac * 30);
	memset(bar, '#', fill);
	memset(bar + fill, '.', 30 - fill);
	bar[30] = '\0';
	fprintf(stderr, "\r[%s] %3d%%  %llu ok  %llu err  %.0f/s  %.0fs\033[K",
		bar, (int)(frac * 100), done, err, el > 0 ? done / el : 0.0, el);
}

static void *monitor_main(void *arg)
{
	(void)arg;
	while (atomic_load(&writers_left) > 0) {
		struct timespec ts = { 0, 100 * 1000000L };

		take_sample(since_start() / NSEC);
		if (cfg.progress)
			draw_progress();
		nanosleep(&ts, NULL);
	}
	if (cfg.progress)
		fputs("\r\033[K", stderr);
	return NULL;
}

static void on_sigint(int sig)
{
	(void)sig;
	atomic_store(&stop_all, 1);
}

/* ---- statistics ------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static double pct(const uint64_t *v, size_t n, double p)
{
	size_t i;

	if (!n)
		return 0;
	i = (size_t)ceil(p / 100.0 * n);
	i = i ? i - 1 : 0;
	return v[i < n ? i : n - 1] / 1e6;
}

struct report {
	unsigned long long attempted, committed, err[RL_OUT_MAX];
	double duration, eps, mbps, lat[6];	/* p50 p90 p99 p99.9 max mean */
	size_t nsec;
	unsigned long long *tl_ok, *tl_err;
	double *tl_p99;
};

static void build_report(struct writer *ws, struct report *rp)
{
	uint64_t *lat, last_end = 0;
	size_t nl = 0, total = 0;
	double sum = 0;

	for (unsigned int i = 0; i < cfg.conc; i++)
		total += ws[i].n;
	lat = malloc((total + 1) * sizeof(*lat));
	for (unsigned int i = 0; i < cfg.conc; i++)
		for (size_t j = 0; j < ws[i].n; j++)
			if (ws[i].recs[j].t_end > last_end)
				last_end = ws[i].recs[j].t_end;
	rp->nsec = last_end / NSEC + 1;
	rp->tl_ok = calloc(rp->nsec, sizeof(*rp->tl_ok));
	rp->tl_err = calloc(rp->nsec, sizeof(*rp->tl_err));
	rp->tl_p99 = calloc(rp->nsec, sizeof(*rp->tl_p99));
	if (!lat || !rp->tl_ok || !rp->tl_err || !rp->tl_p99) {
		fprintf(stderr, "raftbench: out of memory\n");
		exit(RL_EXIT_ERROR);
	}
	for (unsigned int i = 0; i < cfg.conc; i++) {
		for (size_t j = 0; j < ws[i].n; j++) {
			const struct rec *r = &ws[i].recs[j];
			size_t sec = r->t_end / NSEC;

			rp->attempted++;
			rp->err[r->outcome]++;
			if (r->outcome != RL_OUT_COMMITTED) {
				rp->tl_err[sec]++;
				continue;
			}
			rp->committed++;
			rp->tl_ok[sec]++;
			lat[nl++] = r->t_end - r->t_start;
			sum += r->t_end - r->t_start;
		}
	}
	rp->err[RL_OUT_COMMITTED] = 0;
	qsort(lat, nl, sizeof(*lat), cmp_u64);
	rp->lat[0] = pct(lat, nl, 50);
	rp->lat[1] = pct(lat, nl, 90);
	rp->lat[2] = pct(lat, nl, 99);
	rp->lat[3] = pct(lat, nl, 99.9);
	rp->lat[4] = nl ? lat[nl - 1] / 1e6 : 0;
	rp->lat[5] = nl ? sum / nl / 1e6 : 0;
	rp->duration = last_end / 1e9;
	if (rp->duration > 0) {
		rp->eps = rp->committed / rp->duration;
		rp->mbps = rp->committed * (double)cfg.size / rp->duration / 1e6;
	}
	free(lat);

	/* per-second p99, from the committed entries that ended in it */
	for (size_t s = 0; s < rp->nsec; s++) {
		uint64_t *v = malloc((rp->tl_ok[s] + 1) * sizeof(*v));
		size_t k = 0;

		if (!v)
			break;
		for (unsigned int i = 0; i < cfg.conc; i++)
			for (size_t j = 0; j < ws[i].n; j++) {
				const struct rec *r = &ws[i].recs[j];

				if (r->outcome == RL_OUT_COMMITTED &&
				    r->t_end / NSEC == s)
					v[k++] = r->t_end - r->t_start;
			}
		qsort(v, k, sizeof(*v), cmp_u64);
		rp->tl_p99[s] = pct(v, k, 99);
		free(v);
	}
}

/* ---- verification ---------------------------------------------------- */

struct seen {
	uint64_t index;
	uint32_t seq;
};

struct node_log {
	struct seen *e;
	size_t n, cap;
	unsigned long long damaged, foreign, last_read;
};

struct verify_result {
	int ok, nodes;
	unsigned long long acked, unknown_found, unknown_total, entries;
	char problems[8][200];
	int nproblems, more;
};

static void problem(struct verify_result *vr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct verify_result *vr, const char *fmt, ...)
{
	va_list ap;

	vr->ok = 0;
	if (vr->nproblems >= 8) {
		vr->more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(vr->problems[vr->nproblems++], sizeof(vr->problems[0]), fmt,
		  ap);
	va_end(ap);
}

static long long dev_commit(const char *path, const char *name)
{
	struct raftlog_status st;
	int fd = rl_dev_open(path, O_RDONLY | O_NONBLOCK);

	if (fd >= 0) {
		int r = rl_dev_ioctl(fd, RAFTLOG_IOC_STATUS, &st);

		rl_dev_close(fd);
		if (r == 0)
			return (long long)st.commit_index;
	}
	return rl_is_daemon(path) ? -1 : rl_read_num(name, "commit_index");
}

/*
 * Read node @path from index @from until it has shown everything up to
 * @target: its cursor passed @target, or (the tail being no-op entries,
 * which reads skip without moving the cursor) a read found nothing while
 * the node's committed log already reached @target. SEEK_END gives the
 * index the next committed entry will get; it is taken before the read
 * so that the read's "nothing" covers it. Returns 0, or -1 with a
 * problem recorded.
 */
static int read_node(const char *path, uint64_t from, uint64_t target,
		     struct node_log *nl, struct verify_result *vr)
{
	uint64_t deadline = rl_now_ns() + cfg.verify_timeout * 1e9;
	size_t cap = cfg.size > 65536 ? cfg.size : 65536;
	char *buf = malloc(cap), *scratch = malloc(cap);
	int fd = rl_dev_open(path, O_RDONLY | O_NONBLOCK), rc = -1;
	off_t end = 0;	/* SEEK_END before the last read, 0 if unknown */

	if (fd < 0 || !buf || !scratch) {
		problem(vr, "%s: open: %s", path, strerror(errno));
		goto out;
	}
	if (rl_dev_lseek(fd, (off_t)from, SEEK_SET) < 0) {
		problem(vr, "%s: seek to index %" PRIu64 ": %s", path, from,
			strerror(errno));
		goto out;
	}
	for (;;) {
		off_t pos = rl_dev_lseek(fd, 0, SEEK_CUR);
		ssize_t n;

		if (pos > 0 && (uint64_t)pos > target) {
			rc = 0;
			break;
		}
		n = rl_dev_read(fd, buf, cap);
		if (n > 0) {
			unsigned int w;
			uint32_t seq;
			int p = parse_payload(buf, n, scratch, &w, &seq);

			end = 0;
			pos = rl_dev_lseek(fd, 0, SEEK_CUR);
			nl->last_read = pos - 1;
			if (p < 0) {
				nl->damaged++;
				problem(vr, "%s: index %lld: damaged entry of this run",
					path, (long long)pos - 1);
			} else if (p == 0) {
				nl->foreign++;
			} else {
				if (nl->n == nl->cap) {
					size_t c = nl->cap ? nl->cap * 2 : 1024;
					struct seen *ne = realloc(nl->e, c * sizeof(*ne));

					if (!ne)
						goto out;
					nl->e = ne;
					nl->cap = c;
				}
				nl->e[nl->n].index = pos - 1;
				nl->e[nl->n++].seq = seq;
			}
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd pf = { .fd = fd, .events = POLLIN };
			uint64_t now = rl_now_ns();

			if (end > 0 && (uint64_t)end > target) {
				rc = 0;
				break;
			}
			end = rl_dev_lseek(fd, 0, SEEK_END);
			if (rl_dev_lseek(fd, pos, SEEK_SET) != pos) {
				problem(vr, "%s: seek back to %lld: %s", path,
					(long long)pos, strerror(errno));
				break;
			}
			if (end > 0 && (uint64_t)end > target)
				continue;	/* read once more to be sure */

			if (now >= deadline) {
				problem(vr, "%s: read up to index %lld, committed up to %lld, needed %" PRIu64 " (waited %.0f s)",
					path, (long long)pos - 1,
					(long long)end - 1, target,
					cfg.verify_timeout);
				break;
			}
			/*
			 * short: no-op entries commit without waking poll
			 * (on a daemon's socket it is only a sleep)
			 */
			poll(&pf, 1, rl_is_daemon(path) ? 20 : 100);
			continue;
		}
		problem(vr, "%s: read at index %lld: %s", path, (long long)pos,
			n == 0 ? "end of file" : strerror(errno));
		break;
	}
out:
	if (fd >= 0)
		rl_dev_close(fd);
	free(buf);
	free(scratch);
	return rc;
}

static void do_verify(struct writer *ws, uint64_t from,
		      struct verify_result *vr)
{
	unsigned long long total = atomic_load(&next_seq);
	struct node_log *logs = calloc(cfg.nver, sizeof(*logs));
	uint8_t *outcome, *count;
	uint64_t *acked_index, target = 0;

	if (total > cfg.entries && cfg.entries)
		total = cfg.entries;
	total += cfg.conc + 1;	/* writers may overshoot by one each */
	outcome = malloc(total);
	count = calloc(total, 1);
	acked_index = calloc(total, sizeof(*acked_index));
	if (!logs || !outcome || !count || !acked_index) {
		fprintf(stderr, "raftbench: out of memory\n");
		exit(RL_EXIT_ERROR);
	}
	memset(outcome, 0xff, total);	/* never attempted */
	memset(vr, 0, sizeof(*vr));
	vr->ok = 1;
	vr->nodes = cfg.nver;
	for (unsigned int i = 0; i < cfg.conc; i++)
		for (size_t j = 0; j < ws[i].n; j++) {
			const struct rec *r = &ws[i].recs[j];

			outcome[r->seq] = r->outcome;
			acked_index[r->seq] = r->index;
			if (r->index > target)
				target = r->index;
			vr->acked += r->outcome == RL_OUT_COMMITTED;
			vr->unknown_total += r->outcome == RL_OUT_UNKNOWN;
		}
	for (int i = 0; i < cfg.nver; i++) {
		long long c = dev_commit(cfg.ver_path[i], cfg.ver_name[i]);

		if (c > 0 && (uint64_t)c > target)
			target = c;
	}
	for (int i = 0; i < cfg.nver; i++)
		read_node(cfg.ver_path[i], from, target, &logs[i], vr);
	if (!vr->ok)
		goto out;

	/* node 0 against what the writers were told */
	for (size_t k = 0; k < logs[0].n; k++) {
		const struct seen *e = &logs[0].e[k];

		if (e->seq >= total || outcome[e->seq] == 0xff) {
			problem(vr, "%s: index %" PRIu64 ": entry %" PRIu32 " was never written",
				cfg.ver_path[0], e->index, e->seq);
			continue;
		}
		if (++count[e->seq] > 1)
			problem(vr, "%s: entry %" PRIu32 " appears twice (again at index %" PRIu64 ")",
				cfg.ver_path[0], e->seq, e->index);
		if (outcome[e->seq] == RL_OUT_NOT_COMMITTED ||
		    outcome[e->seq] == RL_OUT_NO_LEADER)
			problem(vr, "%s: entry %" PRIu32 " was reported %s but is at index %" PRIu64,
				cfg.ver_path[0], e->seq,
				rl_outcome_str(outcome[e->seq]), e->index);
		if (outcome[e->seq] == RL_OUT_COMMITTED &&
		    acked_index[e->seq] && acked_index[e->seq] != e->index)
			problem(vr, "%s: entry %" PRIu32 " is at index %" PRIu64 " but its writer was told %" PRIu64,
				cfg.ver_path[0], e->seq, e->index,
				acked_index[e->seq]);
		if (outcome[e->seq] == RL_OUT_UNKNOWN)
			vr->unknown_found++;
	}
	for (unsigned long long s = 0; s < total; s++)
		if (outcome[s] == RL_OUT_COMMITTED && !count[s])
			problem(vr, "%s: acknowledged entry %llu (index %" PRIu64 ") is missing",
				cfg.ver_path[0], s, acked_index[s]);

	/* every other node against node 0 */
	for (int i = 1; i < cfg.nver; i++) {
		size_t n = logs[i].n < logs[0].n ? logs[i].n : logs[0].n;

		for (size_t k = 0; k < n; k++) {
			if (logs[i].e[k].seq == logs[0].e[k].seq &&
			    logs[i].e[k].index == logs[0].e[k].index)
				continue;
			problem(vr, "%s and %s differ: entry %" PRIu32 " at index %" PRIu64 " vs entry %" PRIu32 " at index %" PRIu64,
				cfg.ver_path[0], cfg.ver_path[i],
				logs[0].e[k].seq, logs[0].e[k].index,
				logs[i].e[k].seq, logs[i].e[k].index);
			break;
		}
		if (logs[i].n != logs[0].n)
			problem(vr, "%s has %zu entries of this run up to index %" PRIu64 ", %s has %zu",
				cfg.ver_path[0], logs[0].n, target,
				cfg.ver_path[i], logs[i].n);
	}
	vr->entries = logs[0].n;
out:
	for (int i = 0; i < cfg.nver; i++)
		free(logs[i].e);
	free(logs);
	free(outcome);
	free(count);
	free(acked_index);
}

/* ---- output ---------------------------------------------------------- */

static const char *const out_key[RL_OUT_MAX] = {
	"committed", "not_committed", "unknown", "no_leader", "other" };

static void print_text(const struct report *rp, const struct verify_result *vr)
{
	printf("raftbench: %llu x %llu B entries, %u writer%s, %s", rp->attempted,
	       cfg.size, cfg.conc, cfg.conc == 1 ? "" : "s",
	       cfg.rate > 0 ? "open loop" : "closed loop");
	if (cfg.rate > 0)
		printf(" at %.0f/s", cfg.rate);
	printf(", on");
	for (int i = 0; i < cfg.ndev; i++)
		printf(" %s", cfg.dev_name[i]);
	printf("\n\n");
	printf("  committed     %llu of %llu\n", rp->committed, rp->attempted);
	printf("  errors        %llu not committed, %llu unknown outcome, %llu no leader, %llu other\n",
	       rp->err[RL_OUT_NOT_COMMITTED], rp->err[RL_OUT_UNKNOWN],
	       rp->err[RL_OUT_NO_LEADER], rp->err[RL_OUT_OTHER]);
	printf("  duration      %.2f s\n", rp->duration);
	printf("  throughput    %.1f entries/s, %.3f MB/s\n", rp->eps, rp->mbps);
	printf("  latency ms    p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (mean %.2f)\n",
	       rp->lat[0], rp->lat[1], rp->lat[2], rp->lat[3], rp->lat[4],
	       rp->lat[5]);
	printf("\n  %5s %9s %7s %9s %6s %7s\n", "SEC", "COMMITS", "ERRORS",
	       "P99 MS", "TERM", "LEADER");
	for (size_t s = 0; s < rp->nsec; s++) {
		const struct sample *sm = s < nsamples ? &samples[s] : NULL;
		int change = s > 0 && sm && s - 1 < nsamples &&
			     (sm->term != samples[s - 1].term ||
			      sm->leader != samples[s - 1].leader);

		printf("  %5zu %9llu %7llu %9.2f ", s, rp->tl_ok[s],
		       rp->tl_err[s], rp->tl_p99[s]);
		if (sm && sm->term >= 0)
			printf("%6lld ", sm->term);
		else
			printf("%6s ", "-");
		if (sm && sm->leader > 0)
			printf("%7lld", sm->leader);
		else
			printf("%7s", sm && sm->leader == 0 ? "none" : "-");
		printf("%s\n", change ? "  <- leader change" : "");
	}
	if (vr) {
		if (vr->ok) {
			printf("\nverify: OK: %llu acknowledged entries (and %llu of %llu with unknown outcome) found exactly once, intact, in the same order on %d node%s\n",
			       vr->acked, vr->unknown_found, vr->unknown_total,
			       vr->nodes, vr->nodes == 1 ? "" : "s");
		} else {
			printf("\nverify: FAILED\n");
			for (int i = 0; i < vr->nproblems; i++)
				printf("  %s\n", vr->problems[i]);
			if (vr->more)
				printf("  ... and %d more\n", vr->more);
		}
	}
}

static void print_json(const struct report *rp, const struct verify_result *vr)
{
	printf("{\"config\":{\"devices\":[");
	for (int i = 0; i < cfg.ndev; i++) {
		fputs(i ? "," : "", stdout);
		rl_json_str(stdout, cfg.dev_path[i], strlen(cfg.dev_path[i]));
	}
	printf("],\"size\":%llu,\"concurrency\":%u,\"mode\":\"%s\",",
	       cfg.size, cfg.conc, cfg.rate > 0 ? "open" : "closed");
	if (cfg.rate > 0)
		printf("\"rate\":%.3f,", cfg.rate);
	else
		printf("\"rate\":null,");
	if (cfg.entries)
		printf("\"entries\":%llu,", cfg.entries);
	else
		printf("\"entries\":null,");
	if (cfg.seconds > 0)
		printf("\"seconds\":%.3f},", cfg.seconds);
	else
		printf("\"seconds\":null},");
	printf("\"run_id\":\"%08" PRIx32 "\",\"attempted\":%llu,\"committed\":%llu,\"errors\":{",
	       run_id, rp->attempted, rp->committed);
	for (int o = RL_OUT_NOT_COMMITTED; o < RL_OUT_MAX; o++)
		printf("%s\"%s\":%llu", o > 1 ? "," : "", out_key[o], rp->err[o]);
	printf("},\"duration_s\":%.3f,\"entries_per_s\":%.2f,\"mb_per_s\":%.4f,",
	       rp->duration, rp->eps, rp->mbps);
	printf("\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p99_9\":%.3f,\"max\":%.3f,\"mean\":%.3f},",
	       rp->lat[0], rp->lat[1], rp->lat[2], rp->lat[3], rp->lat[4],
	       rp->lat[5]);
	printf("\"timeline\":[");
	for (size_t s = 0; s < rp->nsec; s++) {
		const struct sample *sm = s < nsamples ? &samples[s] : NULL;

		printf("%s{\"second\":%zu,\"committed\":%llu,\"errors\":%llu,\"p99_ms\":%.3f,",
		       s ? "," : "", s, rp->tl_ok[s], rp->tl_err[s],
		       rp->tl_p99[s]);
		if (sm && sm->term >= 0)
			printf("\"term\":%lld,", sm->term);
		else
			printf("\"term\":null,");
		if (sm && sm->leader >= 0)
			printf("\"leader\":%lld}", sm->leader);
		else
			printf("\"leader\":null}");
	}
	printf("],\"verify\":");
	if (!vr) {
		printf("null}\n");
		return;
	}
	printf("{\"ok\":%s,\"nodes\":%d,\"acknowledged\":%llu,\"unknown_found\":%llu,\"unknown_total\":%llu,\"entries_seen\":%llu,\"more_problems\":%d,\"problems\":[",
	       vr->ok ? "true" : "false", vr->nodes, vr->acked,
	       vr->unknown_found, vr->unknown_total, vr->entries, vr->more);
	for (int i = 0; i < vr->nproblems; i++) {
		fputs(i ? "," : "", stdout);
		rl_json_str(stdout, vr->problems[i], strlen(vr->problems[i]));
	}
	printf("]}}\n");
}

/* ---- arguments ------------------------------------------------------- */

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "raftbench: %s%s%s\n(see 'raftbench --help')\n", msg,
		arg ? ": " : "", arg ? arg : "");
	return RL_EXIT_USAGE;
}

static int add_devs(char *list, char *paths[], char names[][RL_NAME_MAX],
		    int *n)
{
	char *save = NULL;

	for (char *t = strtok_r(list, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		char path[RL_PATH_MAX];

		if (*n >= MAX_DEVS)
			return bad("too many devices", t);
		if (rl_resolve(t, path, sizeof(path), names[*n], RL_NAME_MAX))
			return RL_EXIT_ERROR;
		paths[(*n)++] = strdup(path);
	}
	return 0;
}

/* Value of option @i: "--opt=value" or the next argument. */
static char *optval(int argc, char **argv, int *i)
{
	char *eq = strchr(argv[*i], '=');

	if (argv[*i][1] == '-' && eq)
		return eq + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int is_opt(const char *a, const char *s, const char *l)
{
	size_t n = strlen(l);

	return (s && !strcmp(a, s)) ||
	       (!strncmp(a, l, n) && (a[n] == '\0' || a[n] == '='));
}

static int parse_args(int argc, char **argv)
{
	int rc;

	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *v = NULL;

		if (is_opt(a, "-h", "--help")) {
			fputs(usage, stdout);
			exit(RL_EXIT_OK);
		} else if (!strcmp(a, "--json")) {
			cfg.json = 1;
		} else if (!strcmp(a, "--no-progress")) {
			cfg.progress = -1;
		} else if (is_opt(a, "--verify-timeout", "--verify-timeout")) {
			if (!(v = optval(argc, argv, &i)) ||
			    rl_parse_double(v, &cfg.verify_timeout))
				return bad("--verify-timeout needs seconds", v);
		} else if (is_opt(a, NULL, "--verify-delay")) {
			if (!(v = optval(argc, argv, &i)) ||
			    rl_parse_double(v, &cfg.verify_delay))
				return bad("--verify-delay needs seconds", v);
		} else if (!strcmp(a, "--verify")) {
			cfg.verify = 1;
			while (i + 1 < argc && argv[i + 1][0] != '-') {
				rc = add_devs(argv[++i], cfg.ver_path,
					      cfg.ver_name, &cfg.nver);
				if (rc)
					return rc;
			}
		} else if (!strncmp(a, "--verify=", 9)) {
			cfg.verify = 1;
			rc = add_devs(a + 9, cfg.ver_path, cfg.ver_name,
				      &cfg.nver);
			if (rc)
				return rc;
		} else if (is_opt(a, "-d", "--dev")) {
			if (!(v = optval(argc, argv, &i)))
				return bad("-d needs a device", NULL);
			rc = add_devs(v, cfg.dev_path, cfg.dev_name, &cfg.ndev);
			if (rc)
				return rc;
		} else if (is_opt(a, "-n", "--entries")) {
			if (!(v = optval(argc, argv, &i)) ||
			    rl_parse_u64(v, &cfg.entries) || !cfg.entries ||
			    cfg.entries > UINT32_MAX)
				return bad("-n needs a count from 1 to 2^32-1", v);
		} else if (is_opt(a, "-t", "--time")) {
			if (!(v = optval(argc, argv, &i)) ||
			    rl_parse_double(v, &cfg.seconds) || cfg.seconds <= 0)
				return bad("-t needs seconds > 0", v);
		} else if (is_opt(a, "-s", "--size")) {
			if (!(v = optval(argc, argv, &i)) ||
			    rl_parse_size(v, &cfg.size) || cfg.size < HDR_LEN ||
			    cfg.size > (64u << 20))
				return bad("-s needs a size from 26 bytes to 64M", v);
		} else if (is_opt(a, "-c", "--concurrency")) {
			unsigned long long c;

			if (!(v = optval(argc, argv, &i)) ||
			    rl_parse_u64(v, &c) || !c || c > MAX_WRITERS)
				return bad("-c needs a count from 1 to 1024", v);
			cfg.conc = c;
		} else if (is_opt(a, "-r", "--rate")) {
			if (!(v = optval(argc, argv, &i)) ||
			    rl_parse_double(v, &cfg.rate) || cfg.rate <= 0)
				return bad("-r needs entries per second > 0", v);
		} else {
			return bad("unknown argument", a);
		}
	}
	if (!cfg.ndev)
		return bad("at least one -d DEV is needed", NULL);
	if (cfg.verify && !cfg.nver) {
		for (int i = 0; i < cfg.ndev; i++) {
			cfg.ver_path[i] = cfg.dev_path[i];
			strcpy(cfg.ver_name[i], cfg.dev_name[i]);
		}
		cfg.nver = cfg.ndev;
	}
	if (!cfg.entries && !(cfg.seconds > 0))
		cfg.entries = 1000;
	if (!cfg.conc)
		cfg.conc = cfg.rate > 0 ? 16 : 1;
	cfg.progress = cfg.progress == 0 && rl_is_tty(stderr);
	return 0;
}

/* Fail early and clearly when a device cannot be opened. */
static int check_devices(void)
{
	for (int i = 0; i < cfg.ndev + cfg.nver; i++) {
		const char *p = i < cfg.ndev ? cfg.dev_path[i] :
					       cfg.ver_path[i - cfg.ndev];
		int fd = rl_dev_open(p, i < cfg.ndev ? O_WRONLY : O_RDONLY);

		if (fd < 0) {
			fprintf(stderr, "raftbench: %s: %s%s\n", p,
				strerror(errno),
				errno == ENOENT ? " (see 'raftctl status')" :
				errno == EACCES ? " (run as root)" : "");
			return -1;
		}
		rl_dev_close(fd);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct verify_result vr;
	struct report rp = { 0 };
	struct writer *ws;
	pthread_t mon;
	uint64_t from = 1;
	struct sigaction sa = { .sa_handler = on_sigint };
	int rc;

	rl_prog = "raftbench";
	rc = parse_args(argc, argv);
	if (rc)
		return rc;
	if (check_devices())
		return RL_EXIT_ERROR;
	run_id = (uint32_t)mix(rl_now_ns() ^ ((uint64_t)getpid() << 32));
	if (cfg.verify) {
		/* entries of this run land after what is committed now */
		for (int i = 0; i < cfg.nver; i++) {
			long long c = dev_commit(cfg.ver_path[i],
						 cfg.ver_name[i]);

			if (c >= 0 && (uint64_t)c + 1 > from)
				from = c + 1;
		}
	}
	ws = calloc(cfg.conc, sizeof(*ws));
	if (!ws)
		return RL_EXIT_ERROR;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);	/* no SA_RESTART: writes return EINTR */
	sigaction(SIGTERM, &sa, NULL);
	t0 = rl_now_ns();
	atomic_store(&writers_left, (int)cfg.conc);
	for (unsigned int i = 0; i < cfg.conc; i++) {
		ws[i].id = i;
		ws[i].path = cfg.dev_path[i % cfg.ndev];
		if (pthread_create(&ws[i].thr, NULL, writer_main, &ws[i])) {
			fprintf(stderr, "raftbench: cannot start writer %u\n", i);
			atomic_store(&stop_all, 1);
			atomic_fetch_sub(&writers_left, (int)(cfg.conc - i));
			cfg.conc = i;
			break;
		}
	}
	pthread_create(&mon, NULL, monitor_main, NULL);
	for (unsigned int i = 0; i < cfg.conc; i++)
		pthread_join(ws[i].thr, NULL);
	pthread_join(mon, NULL);
	take_sample(since_start() / NSEC);	/* the last, partial second */
	for (unsigned int i = 0; i < cfg.conc; i++)
		if (ws[i].open_err) {
			fprintf(stderr, "raftbench: writer %u: %s: %s\n", i,
				ws[i].path, strerror(ws[i].open_err));
			break;
		}
	build_report(ws, &rp);
	if (cfg.verify) {
		if (cfg.verify_delay > 0) {
			struct timespec ts = { (time_t)cfg.verify_delay,
				(long)((cfg.verify_delay - (time_t)cfg.verify_delay) * 1e9) };

			nanosleep(&ts, NULL);
		}
		if (cfg.progress)
			fprintf(stderr, "verifying %d node(s)...", cfg.nver);
		do_verify(ws, from, &vr);
		if (cfg.progress)
			fputs("\r\033[K", stderr);
	}
	if (cfg.json)
		print_json(&rp, cfg.verify ? &vr : NULL);
	else
		print_text(&rp, cfg.verify ? &vr : NULL);
	fflush(stdout);
	if (cfg.verify && !vr.ok)
		rc = 3;
	else
		rc = rp.committed ? RL_EXIT_OK : RL_EXIT_ERROR;
	for (unsigned int i = 0; i < cfg.conc; i++)
		free(ws[i].recs);
	free(ws);
	free(rp.tl_ok);
	free(rp.tl_err);
	free(rp.tl_p99);
	free(samples);
	for (int i = 0; i < cfg.nver; i++)
		if (i >= cfg.ndev || cfg.ver_path[i] != cfg.dev_path[i])
			free(cfg.ver_path[i]);
	for (int i = 0; i < cfg.ndev; i++)
		free(cfg.dev_path[i]);
	return rc;
}
