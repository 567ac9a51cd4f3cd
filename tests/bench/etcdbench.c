// SPDX-License-Identifier: GPL-2.0
/*
 * etcdbench: raftbench's closed-loop workload against an etcd cluster, so
 * that `make bench` can put the two side by side.
 *
 * C writer threads each keep one HTTP/1.1 keep-alive connection (TCP
 * no-delay) to etcd's JSON gateway and put entries back to back:
 * POST /v3/kv/put with key "rb/RUN/WRITER/SEQ" and, as value, exactly the
 * payload raftbench would write (same header, same filler), S bytes.
 * Latency is from sending the request to reading the whole reply, with
 * raftbench's percentiles. The report is raftbench's JSON (same field
 * names), so tests/vm/bench.sh reads both alike.
 *
 * --verify reads the run's keys back from the first endpoint (linearizable
 * range, paged) and checks every acknowledged put is there once, intact,
 * at the revision its writer was told; then every endpoint must hold the
 * same number of the run's keys (serializable count: its own copy).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_EPS		16
#define MAX_WRITERS	1024
#define HDR_LEN		26
#define NSEC		1000000000ULL

static const char usage[] =
"usage: etcdbench -e HOST:PORT [-e HOST:PORT...] [-n N] [-t SEC] [-s SIZE]\n"
"                 [-c C] [--to-leader] [--json] [--verify]\n"
"       etcdbench -e HOST:PORT... --which-leader\n"
"\n"
"raftbench's closed-loop workload against etcd's v3 JSON gateway: C\n"
"writers, each on its own keep-alive connection, put S-byte values back\n"
"to back (POST /v3/kv/put). Writers are spread over the endpoints, or all\n"
"go to the leader with --to-leader.\n"
"\n"
"  -e, --endpoint H:P   an etcd member's client address, numeric IPv4\n"
"                       or [IPv6] (repeatable)\n"
"  -n, --entries N      puts to make (default 1000 unless -t is given)\n"
"  -t, --time SEC       stop after SEC seconds (with -n: whichever first)\n"
"  -s, --size SIZE      bytes per value, >= 26 (default 64)\n"
"  -c, --concurrency C  writer threads and connections (default 1)\n"
"  --to-leader          write only to the member that leads\n"
"  --which-leader       print which -e is the leader (1 for the first) and\n"
"                       exit (1 when none is)\n"
"  --json               the report as one JSON object (raftbench's fields)\n"
"  --verify             read the run back: every acknowledged put once,\n"
"                       intact, at its revision, and the same count of the\n"
"                       run's keys on every endpoint\n"
"  --verify-timeout SEC how long members may take to agree (default 30)\n"
"  -h, --help           this text\n"
"\n"
"exit: 0 ok, 1 nothing committed or setup error, 2 usage, 3 verify failed\n";

enum { OUT_OK, OUT_NOT_COMMITTED, OUT_UNKNOWN, OUT_NO_LEADER, OUT_OTHER,
       OUT_MAX };

struct rec {
	uint32_t seq;
	uint8_t outcome;
	uint64_t rev;
	uint64_t t_start, t_end;
};

struct writer {
	pthread_t thr;
	int id, ep;
	struct rec *recs;
	size_t n, cap;
	int err;
};

struct conn {
	int fd, ep;
	char *buf;
	size_t cap, len;	/* bytes received and not yet consumed */
};

static struct {
	struct sockaddr_storage addr[MAX_EPS];
	socklen_t alen[MAX_EPS];
	char *name[MAX_EPS];
	int neps, leader, json, verify, to_leader, which_leader;
	unsigned long long entries, size;
	double seconds, verify_timeout;
	unsigned int conc;
} cfg = { .size = 64, .verify_timeout = 30, .conc = 1, .leader = -1 };

static uint32_t run_id;
static uint64_t t0;
static atomic_ullong next_seq;
static atomic_int stop_all;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC + ts.tv_nsec;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("etcdbench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* ---- payloads: raftbench's, byte for byte ----------------------------- */

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

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static size_t b64_enc(char *out, const void *in, size_t len)
{
	const unsigned char *p = in;
	size_t o = 0;

	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = p[i] << 16;

		if (i + 1 < len)
			v |= p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		out[o++] = b64[v >> 18];
		out[o++] = b64[(v >> 12) & 63];
		out[o++] = i + 1 < len ? b64[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < len ? b64[v & 63] : '=';
	}
	out[o] = '\0';
	return o;
}

/* Decode up to a quote or NUL; returns the length or -1. */
static long b64_dec(unsigned char *out, size_t cap, const char *in)
{
	uint32_t v = 0;
	int bits = 0;
	size_t o = 0;

	for (; *in && *in != '"'; in++) {
		const char *c = strchr(b64, *in);

		if (*in == '=')
			break;
		if (!c)
			return -1;
		v = (v << 6) | (uint32_t)(c - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == cap)
				return -1;
			out[o++] = (v >> bits) & 0xff;
		}
	}
	return (long)o;
}

static void key_of(char *k, size_t n, unsigned int w, uint32_t seq)
{
	snprintf(k, n, "rb/%08" PRIx32 "/%04x/%08" PRIx32, run_id, w & 0xffff,
		 seq);
}

/* ---- HTTP/1.1 over one keep-alive connection --------------------------- */

static int conn_open(struct conn *c, int ep)
{
	int one = 1;

	c->ep = ep;
	c->len = 0;
	c->fd = socket(cfg.addr[ep].ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return -1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&cfg.addr[ep], cfg.alen[ep])) {
		close(c->fd);
		c->fd = -1;
		return -1;
	}
	return 0;
}

static void conn_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->len = 0;
}

static int fill_more(struct conn *c)
{
	ssize_t n;

	if (c->len + 4096 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 65536;
		char *nb = realloc(c->buf, cap + 1);

		if (!nb)
			die("out of memory");
		c->buf = nb;
		c->cap = cap;
	}
	do
		n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return -1;
	c->len += n;
	c->buf[c->len] = '\0';
	return 0;
}

/*
 * Send one POST and read its reply. The body (NUL-terminated, chunked
 * transfer decoded) is left at c->buf; returns the HTTP status or -1
 * when the connection failed.
 */
static int http_post(struct conn *c, const char *path, const char *body,
		     size_t blen, char *req, size_t rcap)
{
	size_t hl, off, body_at, clen = 0;
	int status, chunked;
	char *e;

	hl = snprintf(req, rcap,
		      "POST %s HTTP/1.1\r\nHost: etcd\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n",
		      path, blen);
	if (hl + blen > rcap)
		die("request too large");
	memcpy(req + hl, body, blen);
	for (off = 0; off < hl + blen;) {
		ssize_t n = send(c->fd, req + off, hl + blen - off,
				 MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		off += n;
	}
	c->len = 0;
	if (c->buf)
		c->buf[0] = '\0';	/* the last reply is gone */
	while (!(e = c->buf ? strstr(c->buf, "\r\n\r\n") : NULL))
		if (fill_more(c))
			return -1;
	body_at = e + 4 - c->buf;
	if (sscanf(c->buf, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	*e = '\0';
	chunked = strcasestr(c->buf, "transfer-encoding: chunked") != NULL;
	{
		char *cl = strcasestr(c->buf, "content-length:");

		if (cl)
			clen = strtoull(cl + 15, NULL, 10);
	}
	*e = '\r';
	if (!chunked) {
		while (c->len < body_at + clen)
			if (fill_more(c))
				return -1;
		memmove(c->buf, c->buf + body_at, clen);
		c->buf[clen] = '\0';
		c->len = 0;
		return status;
	}
	/* chunked: decode in place, chunk by chunk */
	{
		size_t out = 0, at = body_at;

		for (;;) {
			char *nl;
			size_t sz;

			while (!(nl = memmem(c->buf + at, c->len - at, "\r\n", 2)))
				if (fill_more(c))
					return -1;
			sz = strtoull(c->buf + at, NULL, 16);
			at = nl + 2 - c->buf;
			while (c->len < at + sz + 2)
				if (fill_more(c))
					return -1;
			memmove(c->buf + out, c->buf + at, sz);
			out += sz;
			at += sz + 2;
			if (!sz)
				break;
		}
		c->buf[out] = '\0';
		c->len = 0;
	}
	return status;
}

/* The number after "NAME":"  (etcd's JSON writes int64 as strings). */
static long long json_num(const char *s, const char *name)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", name);
	p = strstr(s, pat);
	if (!p)
		return -1;
	p += strlen(pat);
	if (*p == '"')
		p++;
	return strtoll(p, NULL, 10);
}

/* ---- writers ---------------------------------------------------------- */

static int classify(int status, const char *body)
{
	if (status == 200)
		return OUT_OK;
	if (strstr(body, "no leader") || strstr(body, "leader changed"))
		return OUT_NO_LEADER;
	if (strstr(body, "timed out") || strstr(body, "timeout"))
		return OUT_UNKNOWN;
	return OUT_OTHER;
}

static void push(struct writer *w, const struct rec *r)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 1024;
		struct rec *nr = realloc(w->recs, cap * sizeof(*nr));

		if (!nr)
			die("out of memory");
		w->recs = nr;
		w->cap = cap;
	}
	w->recs[w->n++] = *r;
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;
	uint64_t limit = cfg.seconds > 0 ? cfg.seconds * 1e9 : 0;
	size_t vcap = cfg.size * 4 / 3 + 512;
	char *val = malloc(cfg.size), *body = malloc(vcap),
	     *req = malloc(vcap + 512);
	struct conn c = { .fd = -1 };

	if (!val || !body || !req)
		die("out of memory");
	if (conn_open(&c, w->ep)) {
		w->err = errno;
		goto out;
	}
	for (;;) {
		unsigned long long k = atomic_fetch_add(&next_seq, 1);
		struct rec r = { 0 };
		char key[64], kb[96];
		size_t bl;
		int st;

		if (atomic_load(&stop_all) || (cfg.entries && k >= cfg.entries) ||
		    (limit && now_ns() - t0 >= limit) || k > UINT32_MAX)
			break;
		r.seq = k;
		fill_payload(val, cfg.size, run_id, w->id, r.seq);
		key_of(key, sizeof(key), w->id, r.seq);
		b64_enc(kb, key, strlen(key));
		bl = snprintf(body, vcap, "{\"key\":\"%s\",\"value\":\"", kb);
		bl += b64_enc(body + bl, val, cfg.size);
		bl += snprintf(body + bl, vcap - bl, "\"}");
		r.t_start = now_ns() - t0;
		st = c.fd >= 0 ? http_post(&c, "/v3/kv/put", body, bl, req,
					   vcap + 512) : -1;
		r.t_end = now_ns() - t0;
		if (st < 0) {
			/* connection lost: the put may or may not commit */
			r.outcome = OUT_UNKNOWN;
			conn_close(&c);
			usleep(20000);
			conn_open(&c, w->ep);
		} else {
			r.outcome = classify(st, c.buf);
			if (r.outcome == OUT_OK) {
				long long rev = json_num(c.buf, "revision");

				r.rev = rev > 0 ? (uint64_t)rev : 0;
			} else {
				usleep(20000);
			}
		}
		push(w, &r);
	}
out:
	conn_close(&c);
	free(c.buf);
	free(val);
	free(body);
	free(req);
	return NULL;
}

/* ---- leader ----------------------------------------------------------- */

/* The endpoint whose member id is the leader its status names, or -1. */
static int find_leader(void)
{
	char req[1024];

	for (int i = 0; i < cfg.neps; i++) {
		struct conn c = { .fd = -1 };
		int st;

		if (conn_open(&c, i))
			continue;
		st = http_post(&c, "/v3/maintenance/status", "{}", 2, req,
			       sizeof(req));
		if (st == 200) {
			/* header.member_id comes first, then leader */
			long long me = json_num(c.buf, "member_id");
			long long ld = json_num(c.buf, "leader");
			char *p = strstr(c.buf, "\"leader\":");

			if (p)
				ld = json_num(p, "leader");
			if (me > 0 && me == ld) {
				conn_close(&c);
				free(c.buf);
				return i;
			}
		}
		conn_close(&c);
		free(c.buf);
	}
	return -1;
}

/* ---- statistics and report (raftbench's) ------------------------------ */

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
	unsigned long long attempted, committed, err[OUT_MAX];
	double duration, eps, mbps, lat[6];
};

static void build_report(struct writer *ws, struct report *rp)
{
	size_t total = 0, nl = 0;
	uint64_t *lat, last = 0;
	double sum = 0;

	for (unsigned int i = 0; i < cfg.conc; i++)
		total += ws[i].n;
	lat = malloc((total + 1) * sizeof(*lat));
	if (!lat)
		die("out of memory");
	for (unsigned int i = 0; i < cfg.conc; i++)
		for (size_t j = 0; j < ws[i].n; j++) {
			const struct rec *r = &ws[i].recs[j];

			rp->attempted++;
			if (r->t_end > last)
				last = r->t_end;
			if (r->outcome != OUT_OK) {
				rp->err[r->outcome]++;
				continue;
			}
			rp->committed++;
			lat[nl++] = r->t_end - r->t_start;
			sum += r->t_end - r->t_start;
		}
	qsort(lat, nl, sizeof(*lat), cmp_u64);
	rp->lat[0] = pct(lat, nl, 50);
	rp->lat[1] = pct(lat, nl, 90);
	rp->lat[2] = pct(lat, nl, 99);
	rp->lat[3] = pct(lat, nl, 99.9);
	rp->lat[4] = nl ? lat[nl - 1] / 1e6 : 0;
	rp->lat[5] = nl ? sum / nl / 1e6 : 0;
	rp->duration = last / 1e9;
	if (rp->duration > 0) {
		rp->eps = rp->committed / rp->duration;
		rp->mbps = rp->committed * (double)cfg.size / rp->duration / 1e6;
	}
	free(lat);
}

/* ---- verification ----------------------------------------------------- */

struct vres {
	int ok, nproblems;
	unsigned long long acked, found, unknown_found, unknown_total;
	char problems[8][200];
};

static void problem(struct vres *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void problem(struct vres *v, const char *fmt, ...)
{
	va_list ap;

	v->ok = 0;
	if (v->nproblems >= 8)
		return;
	va_start(ap, fmt);
	vsnprintf(v->problems[v->nproblems++], sizeof(v->problems[0]), fmt, ap);
	va_end(ap);
}

/* Range request body over the run's keys from @from (base64 key). */
static size_t range_body(char *b, size_t n, const char *from, int count_only)
{
	char pre[32], end[32], pb[64], eb[64];

	snprintf(pre, sizeof(pre), "rb/%08" PRIx32 "/", run_id);
	snprintf(end, sizeof(end), "rb/%08" PRIx32 "0", run_id);	/* '/'+1 */
	b64_enc(pb, pre, strlen(pre));
	b64_enc(eb, end, strlen(end));
	if (count_only)
		return snprintf(b, n, "{\"key\":\"%s\",\"range_end\":\"%s\",\"count_only\":true,\"serializable\":true}",
				pb, eb);
	return snprintf(b, n, "{\"key\":\"%s\",\"range_end\":\"%s\",\"limit\":500}",
			from ? from : pb, eb);
}

static void verify(struct writer *ws, struct vres *v)
{
	unsigned long long total = atomic_load(&next_seq) + cfg.conc + 1;
	uint8_t *outcome = malloc(total), *count = calloc(total, 1);
	uint64_t *rev = calloc(total, sizeof(*rev));
	size_t vcap = cfg.size + 64;
	unsigned char *val = malloc(vcap);
	char *want = malloc(cfg.size), req[2048], body[512], from[128] = "";
	struct conn c = { .fd = -1 };
	long long n0 = 0;
	int more = 1;

	memset(v, 0, sizeof(*v));
	v->ok = 1;
	if (!outcome || !count || !rev || !val || !want)
		die("out of memory");
	memset(outcome, 0xff, total);
	for (unsigned int i = 0; i < cfg.conc; i++)
		for (size_t j = 0; j < ws[i].n; j++) {
			const struct rec *r = &ws[i].recs[j];

			outcome[r->seq] = r->outcome;
			rev[r->seq] = r->rev;
			v->acked += r->outcome == OUT_OK;
			v->unknown_total += r->outcome == OUT_UNKNOWN;
		}
	if (conn_open(&c, 0)) {
		problem(v, "%s: connect: %s", cfg.name[0], strerror(errno));
		goto out;
	}
	while (more) {
		size_t bl = range_body(body, sizeof(body), *from ? from : NULL, 0);
		int st = http_post(&c, "/v3/kv/range", body, bl, req, sizeof(req));
		char *p, *last_key = NULL;

		if (st != 200) {
			problem(v, "%s: range: HTTP %d", cfg.name[0], st);
			goto out;
		}
		more = strstr(c.buf, "\"more\":true") != NULL;
		for (p = strstr(c.buf, "{\"key\":\""); p;
		     p = strstr(p + 1, "{\"key\":\"")) {
			unsigned char k[64];
			unsigned int w, seq, run;
			long kl = b64_dec(k, sizeof(k) - 1, p + 8), vl;
			long long mr = json_num(p, "mod_revision");
			char *vp = strstr(p, "\"value\":\"");

			last_key = p + 8;
			if (kl < 0 || !vp)
				continue;
			k[kl] = '\0';
			if (sscanf((char *)k, "rb/%8x/%4x/%8x", &run, &w, &seq) != 3 ||
			    seq >= total) {
				problem(v, "key %s was never written", k);
				continue;
			}
			v->found++;
			vl = b64_dec(val, vcap, vp + 9);
			fill_payload(want, cfg.size, run_id, w, seq);
#ifdef ETCDBENCH_BREAK
			/* tests/bench/test.sh: verify must catch this */
			want[cfg.size - 1] ^= 1;
#endif
			if (vl != (long)cfg.size || memcmp(val, want, cfg.size))
				problem(v, "key %s: damaged value", k);
			if (outcome[seq] == 0xff)
				problem(v, "key %s was never written", k);
			else if (outcome[seq] == OUT_OK && rev[seq] &&
				 (uint64_t)mr != rev[seq])
				problem(v, "key %s at revision %lld, its writer was told %" PRIu64,
					k, mr, rev[seq]);
			else if (outcome[seq] == OUT_UNKNOWN)
				v->unknown_found++;
			else if (outcome[seq] != OUT_OK)
				problem(v, "key %s was reported failed but is there", k);
			count[seq]++;
		}
		if (more && last_key) {
			/* the next page starts after the last key: key + "\0" */
			unsigned char k[64];
			long kl = b64_dec(k, sizeof(k) - 2, last_key);

			if (kl < 0)
				break;
			k[kl] = '\0';
			b64_enc(from, k, kl + 1);
		} else {
			more = 0;
		}
	}
	for (unsigned long long s = 0; s < total; s++)
		if (outcome[s] == OUT_OK && !count[s])
			problem(v, "acknowledged put %llu is missing", s);
	n0 = (long long)v->found;
	/* every member's own copy: the same count, once it caught up */
	for (int i = 0; i < cfg.neps; i++) {
		uint64_t deadline = now_ns() + cfg.verify_timeout * 1e9;
		long long n = -1;
		struct conn d = { .fd = -1 };

		while (now_ns() < deadline) {
			size_t bl = range_body(body, sizeof(body), NULL, 1);

			if (d.fd < 0 && conn_open(&d, i)) {
				usleep(100000);
				continue;
			}
			if (http_post(&d, "/v3/kv/range", body, bl, req,
				      sizeof(req)) == 200) {
				n = json_num(d.buf, "count");
				if (n < 0)
					n = 0;	/* zero is left out */
				if (n == n0)
					break;
			} else {
				conn_close(&d);
			}
			usleep(100000);
		}
		if (n != n0)
			problem(v, "%s holds %lld of the run's keys, %s has %lld",
				cfg.name[i], n, cfg.name[0], n0);
		conn_close(&d);
		free(d.buf);
	}
out:
	conn_close(&c);
	free(c.buf);
	free(outcome);
	free(count);
	free(rev);
	free(val);
	free(want);
}

/* ---- output ----------------------------------------------------------- */

static void print_json(const struct report *rp, const struct vres *v)
{
	printf("{\"config\":{\"system\":\"etcd\",\"endpoints\":[");
	for (int i = 0; i < cfg.neps; i++)
		printf("%s\"%s\"", i ? "," : "", cfg.name[i]);
	printf("],\"leader\":%s%s%s,\"size\":%llu,\"concurrency\":%u,\"mode\":\"closed\"},",
	       cfg.leader >= 0 ? "\"" : "",
	       cfg.leader >= 0 ? cfg.name[cfg.leader] : "null",
	       cfg.leader >= 0 ? "\"" : "", cfg.size, cfg.conc);
	printf("\"run_id\":\"%08" PRIx32 "\",\"attempted\":%llu,\"committed\":%llu,",
	       run_id, rp->attempted, rp->committed);
	printf("\"errors\":{\"not_committed\":%llu,\"unknown\":%llu,\"no_leader\":%llu,\"other\":%llu},",
	       rp->err[OUT_NOT_COMMITTED], rp->err[OUT_UNKNOWN],
	       rp->err[OUT_NO_LEADER], rp->err[OUT_OTHER]);
	printf("\"duration_s\":%.3f,\"entries_per_s\":%.2f,\"mb_per_s\":%.4f,",
	       rp->duration, rp->eps, rp->mbps);
	printf("\"latency_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"p99_9\":%.3f,\"max\":%.3f,\"mean\":%.3f},\"verify\":",
	       rp->lat[0], rp->lat[1], rp->lat[2], rp->lat[3], rp->lat[4],
	       rp->lat[5]);
	if (!v) {
		printf("null}\n");
		return;
	}
	printf("{\"ok\":%s,\"nodes\":%d,\"acknowledged\":%llu,\"unknown_found\":%llu,\"unknown_total\":%llu,\"entries_seen\":%llu,\"problems\":[",
	       v->ok ? "true" : "false", cfg.neps, v->acked, v->unknown_found,
	       v->unknown_total, v->found);
	for (int i = 0; i < v->nproblems; i++)
		printf("%s\"%s\"", i ? "," : "", v->problems[i]);
	printf("]}}\n");
}

static void print_text(const struct report *rp, const struct vres *v)
{
	printf("etcdbench: %llu x %llu B puts, %u writer%s, closed loop\n\n",
	       rp->attempted, cfg.size, cfg.conc, cfg.conc == 1 ? "" : "s");
	printf("  committed     %llu of %llu\n", rp->committed, rp->attempted);
	printf("  errors        %llu unknown outcome, %llu no leader, %llu other\n",
	       rp->err[OUT_UNKNOWN], rp->err[OUT_NO_LEADER], rp->err[OUT_OTHER]);
	printf("  duration      %.2f s\n", rp->duration);
	printf("  throughput    %.1f entries/s, %.3f MB/s\n", rp->eps, rp->mbps);
	printf("  latency ms    p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f  (mean %.2f)\n",
	       rp->lat[0], rp->lat[1], rp->lat[2], rp->lat[3], rp->lat[4],
	       rp->lat[5]);
	if (!v)
		return;
	if (v->ok) {
		printf("\nverify: OK: %llu acknowledged puts (and %llu of %llu with unknown outcome) found once, intact, at their revisions; the same count on %d member%s\n",
		       v->acked, v->unknown_found, v->unknown_total, cfg.neps,
		       cfg.neps == 1 ? "" : "s");
		return;
	}
	printf("\nverify: FAILED\n");
	for (int i = 0; i < v->nproblems; i++)
		printf("  %s\n", v->problems[i]);
}

/* ---- arguments -------------------------------------------------------- */

static int bad(const char *msg, const char *arg)
{
	fprintf(stderr, "etcdbench: %s%s%s\n(see 'etcdbench --help')\n", msg,
		arg ? ": " : "", arg ? arg : "");
	return 2;
}

/* A numeric IPv4 or [IPv6] address and port (a static binary: no DNS). */
static int add_endpoint(char *s)
{
	char *colon = strrchr(s, ':'), host[64], *end;
	struct sockaddr_in *a4 = (struct sockaddr_in *)&cfg.addr[cfg.neps];
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&cfg.addr[cfg.neps];
	unsigned long port;

	if (cfg.neps >= MAX_EPS || !colon || colon == s ||
	    (size_t)(colon - s) >= sizeof(host))
		return -1;
	port = strtoul(colon + 1, &end, 10);
	if (*end || !port || port > 65535)
		return -1;
	memcpy(host, s, colon - s);
	host[colon - s] = '\0';
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		host[strlen(host) - 1] = '\0';
		memset(a6, 0, sizeof(*a6));
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host + 1, &a6->sin6_addr) != 1)
			return -1;
		cfg.alen[cfg.neps] = sizeof(*a6);
	} else {
		memset(a4, 0, sizeof(*a4));
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
			return -1;
		cfg.alen[cfg.neps] = sizeof(*a4);
	}
	cfg.name[cfg.neps++] = s;
	return 0;
}

static int parse_args(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage, stdout);
			exit(0);
		} else if (!strcmp(a, "--json")) {
			cfg.json = 1;
		} else if (!strcmp(a, "--verify")) {
			cfg.verify = 1;
		} else if (!strcmp(a, "--to-leader")) {
			cfg.to_leader = 1;
		} else if (!strcmp(a, "--which-leader")) {
			cfg.which_leader = 1;
		} else if (!strcmp(a, "-e") || !strcmp(a, "--endpoint")) {
			if (!v || add_endpoint(v))
				return bad("-e needs HOST:PORT", v);
			i++;
		} else if (!strcmp(a, "-n") || !strcmp(a, "--entries")) {
			if (!v || !(cfg.entries = strtoull(v, &end, 10)) || *end ||
			    cfg.entries > UINT32_MAX)
				return bad("-n needs a count from 1 to 2^32-1", v);
			i++;
		} else if (!strcmp(a, "-t") || !strcmp(a, "--time")) {
			if (!v || (cfg.seconds = strtod(v, &end)) <= 0 || *end)
				return bad("-t needs seconds > 0", v);
			i++;
		} else if (!strcmp(a, "--verify-timeout")) {
			if (!v || (cfg.verify_timeout = strtod(v, &end)) <= 0 || *end)
				return bad("--verify-timeout needs seconds > 0", v);
			i++;
		} else if (!strcmp(a, "-s") || !strcmp(a, "--size")) {
			if (!v || (cfg.size = strtoull(v, &end, 10)) < HDR_LEN ||
			    cfg.size > (1u << 20) || *end)
				return bad("-s needs a size from 26 to 1048576 bytes", v);
			i++;
		} else if (!strcmp(a, "-c") || !strcmp(a, "--concurrency")) {
			unsigned long long c;

			if (!v || !(c = strtoull(v, &end, 10)) || *end ||
			    c > MAX_WRITERS)
				return bad("-c needs a count from 1 to 1024", v);
			cfg.conc = c;
			i++;
		} else {
			return bad("unknown argument", a);
		}
	}
	if (!cfg.neps)
		return bad("at least one -e HOST:PORT is needed", NULL);
	if (!cfg.entries && !(cfg.seconds > 0))
		cfg.entries = 1000;
	return 0;
}

int main(int argc, char **argv)
{
	struct writer *ws;
	struct report rp = { 0 };
	struct vres v;
	int rc = parse_args(argc, argv);

	if (rc)
		return rc;
	run_id = (uint32_t)mix(now_ns() ^ ((uint64_t)getpid() << 32));
	if (cfg.which_leader) {
		cfg.leader = find_leader();
		if (cfg.leader >= 0)
			printf("%d\n", cfg.leader + 1);
		return cfg.leader >= 0 ? 0 : 1;
	}
	if (cfg.to_leader) {
		cfg.leader = find_leader();
		if (cfg.leader < 0) {
			fprintf(stderr, "etcdbench: no endpoint is the leader\n");
			return 1;
		}
	}
	ws = calloc(cfg.conc, sizeof(*ws));
	if (!ws)
		return 1;
	t0 = now_ns();
	for (unsigned int i = 0; i < cfg.conc; i++) {
		ws[i].id = i;
		ws[i].ep = cfg.to_leader ? cfg.leader : (int)(i % cfg.neps);
		if (pthread_create(&ws[i].thr, NULL, writer_main, &ws[i]))
			die("cannot start writer %u", i);
	}
	for (unsigned int i = 0; i < cfg.conc; i++)
		pthread_join(ws[i].thr, NULL);
	for (unsigned int i = 0; i < cfg.conc; i++)
		if (ws[i].err) {
			fprintf(stderr, "etcdbench: writer %u: %s: %s\n", i,
				cfg.name[ws[i].ep], strerror(ws[i].err));
			break;
		}
	build_report(ws, &rp);
	if (cfg.verify)
		verify(ws, &v);
	if (cfg.json)
		print_json(&rp, cfg.verify ? &v : NULL);
	else
		print_text(&rp, cfg.verify ? &v : NULL);
	fflush(stdout);
	if (cfg.verify && !v.ok)
		rc = 3;
	else
		rc = rp.committed ? 0 : 1;
	for (unsigned int i = 0; i < cfg.conc; i++)
		free(ws[i].recs);
	free(ws);
	return rc;
}
