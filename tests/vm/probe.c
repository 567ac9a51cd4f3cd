// SPDX-License-Identifier: GPL-2.0
/*
 * probe: perform one pattern of system calls on a raftlog device and print
 * exactly what came back, so VM scenarios can check errno values and
 * cursors precisely. Built static on the host by tests/vm/lib.sh.
 *
 * Every result line starts with "OK" or with the errno name (EINVAL, ...).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <linux/raftlog.h>

#define BIG_BUF (128 * 1024)

static void usage(FILE *f)
{
	fprintf(f,
"usage: probe [--nonblock] MODE DEV [ARGS]\n"
"\n"
"modes (each prints one result line per call: OK ... or the errno name):\n"
"  write DEV DATA           one write() of DATA; prints the committed index\n"
"  writelen DEV LEN         one write() of LEN bytes of 'x'\n"
"  read DEV BUFLEN [POS]    lseek to POS (if given), one read(); prints the\n"
"                           cursor before and after\n"
"  badptr-write DEV         write() from an unmapped address\n"
"  badptr-read DEV [POS]    read() into an unmapped address\n"
"  badptr-ioctl DEV         RAFTLOG_IOC_STATUS into an unmapped address\n"
"  ioctl DEV NR             ioctl(fd, NR, buf) with a raw request number\n"
"  status DEV               RAFTLOG_IOC_STATUS as key=value lines\n"
"  dump DEV [FROM]          read every committed entry from FROM (default 1)\n"
"                           without blocking: one 'INDEX DATA' line each\n"
"  writer DEV PREFIX COUNT  write PREFIX-0 .. PREFIX-(COUNT-1), one line\n"
"                           each: 'OK entry index ms' or 'ERRNO entry ms'\n"
"  reader DEV [FROM]        blocking reads until one fails; prints\n"
"                           'END ERRNO count'\n"
"  history DEV WRITER COUNT|-\n"
"                           write WRITER-0, WRITER-1, ... (COUNT of them, or\n"
"                           until SIGTERM with -), one line each:\n"
"                           'START_NS END_NS OK ENTRY INDEX' or\n"
"                           'START_NS END_NS ERRNO ENTRY -' (CLOCK_MONOTONIC\n"
"                           around the write()); reopens DEV after\n"
"                           ESHUTDOWN; ends with 'DONE WRITER ATTEMPTS'\n"
"options:\n"
"  --nonblock               open with O_NONBLOCK\n"
"  --stop-on-error          writer: stop at the first failed write\n"
"  --stop-on ERRNO          writer: stop at the first write failing with\n"
"                           ERRNO (a name such as ESHUTDOWN)\n"
"  --pause MS               history: sleep MS/2 to 3*MS/2 ms after each write\n"
"SIGUSR1 interrupts a blocked call (no SA_RESTART): it returns EINTR.\n");
}

static int nonblock;
static int stop_on_error;
static const char *stop_on;
static long pause_ms;

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void on_usr1(int sig)
{
	(void)sig;
}

static int open_dev(const char *dev)
{
	int fd = open(dev, O_RDWR | (nonblock ? O_NONBLOCK : 0));

	if (fd < 0) {
		printf("%s open %s\n", ename(errno), dev);
		exit(1);
	}
	return fd;
}

static long long cursor(int fd)
{
	off_t pos = lseek(fd, 0, SEEK_CUR);

	return pos < 0 ? -errno : (long long)pos;
}

static void seek_to(int fd, const char *pos)
{
	if (lseek(fd, strtoll(pos, NULL, 0), SEEK_SET) < 0) {
		printf("%s lseek %s\n", ename(errno), pos);
		exit(1);
	}
}

static unsigned long long last_write(int fd)
{
	__u64 idx = 0;

	if (ioctl(fd, RAFTLOG_IOC_LAST_WRITE, &idx) < 0)
		return 0;
	return idx;
}

/* An address no mapping covers: a page we map and then unmap. */
static void *bad_ptr(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	munmap(p, 4096);
	return p;
}

static int do_write(int fd, const void *buf, size_t len)
{
	long long t0 = now_ms();
	ssize_t n = write(fd, buf, len);
	long long ms = now_ms() - t0;

	if (n < 0) {
		printf("%s ms=%lld\n", ename(errno), ms);
		return 1;
	}
	printf("OK %zd index=%llu ms=%lld\n", n, last_write(fd), ms);
	return n == (ssize_t)len ? 0 : 1;
}

static void print_data(const unsigned char *d, ssize_t n)
{
	for (ssize_t i = 0; i < n; i++) {
		if (d[i] > ' ' && d[i] < 0x7f && d[i] != '\\')
			putchar(d[i]);
		else
			printf("\\x%02x", d[i]);
	}
}

static int do_read(int fd, size_t buflen)
{
	static unsigned char buf[BIG_BUF];
	long long before = cursor(fd), after;
	ssize_t n;

	if (buflen > sizeof(buf))
		buflen = sizeof(buf);
	n = read(fd, buf, buflen);
	if (n < 0) {
		int e = errno;

		printf("%s before=%lld after=%lld\n", ename(e), before,
		       cursor(fd));
		return 1;
	}
	after = cursor(fd);
	printf("OK %zd before=%lld after=%lld data=", n, before, after);
	print_data(buf, n);
	putchar('\n');
	return 0;
}

static int do_status(int fd)
{
	struct raftlog_status st;

	memset(&st, 0, sizeof(st));
	if (ioctl(fd, RAFTLOG_IOC_STATUS, &st) < 0) {
		printf("%s\n", ename(errno));
		return 1;
	}
	printf("OK\nid=%u\nrole=%u\nterm=%llu\nleader=%u\nvoted_for=%u\n"
	       "commit_index=%llu\nfirst_index=%llu\nlast_index=%llu\n"
	       "last_term=%llu\nelection_timeout_ms=%u\nheartbeat_ms=%u\n"
	       "max_entry_size=%u\nflags=%u\nn_peers=%u\n",
	       st.id, st.role, (unsigned long long)st.term, st.leader,
	       st.voted_for, (unsigned long long)st.commit_index,
	       (unsigned long long)st.first_index,
	       (unsigned long long)st.last_index,
	       (unsigned long long)st.last_term, st.election_timeout_ms,
	       st.heartbeat_ms, st.max_entry_size, st.flags, st.n_peers);
	for (__u32 i = 0; i < st.n_peers && i < RAFTLOG_MAX_NODES - 1; i++)
		printf("peer=%u match=%llu next=%llu contact_ms=%u\n",
		       st.peers[i].id,
		       (unsigned long long)st.peers[i].match_index,
		       (unsigned long long)st.peers[i].next_index,
		       st.peers[i].last_contact_ms);
	return 0;
}

/* Non-blocking reads from @from until EAGAIN; the entry's index is the
 * cursor after the read minus one (the device skips no-op entries).
 */
static int do_dump(const char *dev, const char *from)
{
	static unsigned char buf[BIG_BUF];
	int fd = open(dev, O_RDONLY | O_NONBLOCK);
	ssize_t n;

	if (fd < 0) {
		printf("%s open %s\n", ename(errno), dev);
		return 1;
	}
	seek_to(fd, from ? from : "1");
	for (;;) {
		n = read(fd, buf, sizeof(buf));
		if (n < 0)
			break;
		printf("%lld ", cursor(fd) - 1);
		print_data(buf, n);
		putchar('\n');
	}
	if (errno != EAGAIN) {
		printf("%s at=%lld\n", ename(errno), cursor(fd));
		return 1;
	}
	printf("END at=%lld\n", cursor(fd));
	return 0;
}

static int do_writer(int fd, const char *prefix, long count)
{
	char buf[256];
	int failed = 0;

	for (long i = 0; i < count; i++) {
		int len = snprintf(buf, sizeof(buf), "%s-%ld", prefix, i);
		long long t0 = now_ms();
		ssize_t n = write(fd, buf, len);
		long long ms = now_ms() - t0;

		if (n == len) {
			printf("OK %s %llu %lld\n", buf, last_write(fd), ms);
		} else {
			printf("%s %s %lld\n", n < 0 ? ename(errno) : "SHORT",
			       buf, ms);
			failed++;
			if (stop_on_error)
				break;
			if (stop_on && n < 0 && !strcmp(stop_on, ename(errno)))
				break;
		}
		fflush(stdout);
	}
	printf("DONE %s failed=%d\n", prefix, failed);
	return failed ? 1 : 0;
}

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* SIGTERM is blocked in history mode: has one arrived? */
static int term_pending(void)
{
	sigset_t set;

	return sigpending(&set) == 0 && sigismember(&set, SIGTERM) == 1;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Opens @dev, waiting while it is absent (its instance disabled); -1 once
 * SIGTERM arrives.
 */
static int history_open(const char *dev)
{
	for (;;) {
		int fd = open(dev, O_RDWR);

		if (fd >= 0)
			return fd;
		if (term_pending())
			return -1;
		sleep_ms(20);
	}
}

/*
 * history: a writer whose every attempt is one line, timed on
 * CLOCK_MONOTONIC just before and just after write(), for a checker of
 * real-time order (tests/vm/nemesis-check.c). Entries are WRITER-SEQ, SEQ
 * counting attempts from 0, so each payload is unique and names its
 * writer. A write failing with ESHUTDOWN (the instance was disabled)
 * makes it reopen DEV. SIGTERM stays blocked and is looked for between
 * writes, so no write is cut short by it and the last line is whole.
 * "DONE WRITER ATTEMPTS" means no attempt is missing from the history.
 */
static int do_history(const char *dev, const char *writer, const char *count)
{
	long limit = strcmp(count, "-") ? strtol(count, NULL, 0) : -1;
	char buf[256], res[32];
	sigset_t term;
	long i;
	int fd;

	srandom(getpid());
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	fd = history_open(dev);
	for (i = 0; fd >= 0 && (limit < 0 || i < limit); i++) {
		int len = snprintf(buf, sizeof(buf), "%s-%ld", writer, i);
		long long t0 = now_ns(), t1;
		ssize_t n = write(fd, buf, len);
		int e = errno;

		t1 = now_ns();
		if (n == len) {
			printf("%lld %lld OK %s %llu\n", t0, t1, buf,
			       last_write(fd));
		} else {
			if (n >= 0)
				snprintf(res, sizeof(res), "SHORT");
			else if (e == 512)	/* must never reach userspace */
				snprintf(res, sizeof(res), "ERESTARTSYS");
			else if (strerrorname_np(e))
				snprintf(res, sizeof(res), "%s",
					 strerrorname_np(e));
			else
				snprintf(res, sizeof(res), "E%d", e);
			printf("%lld %lld %s %s -\n", t0, t1, res, buf);
		}
		fflush(stdout);
		if (term_pending()) {
			i++;
			break;
		}
		if (pause_ms > 0)
			sleep_ms(pause_ms / 2 + random() % (pause_ms + 1));
		if (n < 0 && e == ESHUTDOWN) {
			close(fd);
			sleep_ms(20);
			fd = history_open(dev);
		} else if (n < 0) {
			sleep_ms(10);	/* no busy loop on quick refusals */
		}
	}
	printf("DONE %s %ld\n", writer, i);
	return 0;
}

static int do_reader(int fd, const char *from)
{
	static unsigned char buf[BIG_BUF];
	long count = 0;

	if (from)
		seek_to(fd, from);
	for (;;) {
		if (read(fd, buf, sizeof(buf)) < 0)
			break;
		count++;
	}
	printf("END %s %ld\n", ename(errno), count);
	return 0;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	const char *mode, *dev;
	int fd;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);

	while (argc > 1 && argv[1][0] == '-') {
		if (!strcmp(argv[1], "--nonblock")) {
			nonblock = 1;
		} else if (!strcmp(argv[1], "--stop-on-error")) {
			stop_on_error = 1;
		} else if (!strcmp(argv[1], "--pause") && argc > 2) {
			pause_ms = strtol(argv[2], NULL, 0);
			argv++;
			argc--;
		} else if (!strcmp(argv[1], "--stop-on") && argc > 2) {
			stop_on = argv[2];
			argv++;
			argc--;
		} else if (!strcmp(argv[1], "-h") ||
			   !strcmp(argv[1], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
		argv++;
		argc--;
	}
	if (argc < 3) {
		usage(stderr);
		return 2;
	}
	mode = argv[1];
	dev = argv[2];

	if (!strcmp(mode, "dump"))
		return do_dump(dev, argc > 3 ? argv[3] : NULL);
	if (!strcmp(mode, "history") && argc == 5)
		return do_history(dev, argv[3], argv[4]);

	fd = open_dev(dev);
	if (!strcmp(mode, "write") && argc == 4)
		return do_write(fd, argv[3], strlen(argv[3]));
	if (!strcmp(mode, "writelen") && argc == 4) {
		size_t len = strtoul(argv[3], NULL, 0);
		char *buf = malloc(len + 1);

		if (!buf)
			return 2;
		memset(buf, 'x', len);
		return do_write(fd, buf, len);
	}
	if (!strcmp(mode, "read") && (argc == 4 || argc == 5)) {
		if (argc == 5)
			seek_to(fd, argv[4]);
		return do_read(fd, strtoul(argv[3], NULL, 0));
	}
	if (!strcmp(mode, "badptr-write") && argc == 3)
		return do_write(fd, bad_ptr(), 16);
	if (!strcmp(mode, "badptr-read") && (argc == 3 || argc == 4)) {
		long long before;
		ssize_t n;

		if (argc == 4)
			seek_to(fd, argv[3]);
		before = cursor(fd);
		n = read(fd, bad_ptr(), 4096);
		printf("%s %zd before=%lld after=%lld\n",
		       n < 0 ? ename(errno) : "OK", n, before, cursor(fd));
		return n < 0;
	}
	if (!strcmp(mode, "badptr-ioctl") && argc == 3) {
		if (ioctl(fd, RAFTLOG_IOC_STATUS, bad_ptr()) < 0) {
			printf("%s\n", ename(errno));
			return 1;
		}
		printf("OK\n");
		return 0;
	}
	if (!strcmp(mode, "ioctl") && argc == 4) {
		static char buf[4096];

		if (ioctl(fd, strtoul(argv[3], NULL, 0), buf) < 0) {
			printf("%s\n", ename(errno));
			return 1;
		}
		printf("OK\n");
		return 0;
	}
	if (!strcmp(mode, "status") && argc == 3)
		return do_status(fd);
	if (!strcmp(mode, "writer") && argc == 5)
		return do_writer(fd, argv[3], strtol(argv[4], NULL, 0));
	if (!strcmp(mode, "reader") && (argc == 3 || argc == 4))
		return do_reader(fd, argc == 4 ? argv[3] : NULL);
	usage(stderr);
	return 2;
}
