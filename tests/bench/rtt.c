// SPDX-License-Identifier: GPL-2.0
/*
 * rtt: the two floors under a raftlog write, measured in the boot that
 * measures raftlog (tests/vm/bench.sh): a UDP round trip between two
 * nodes' namespaces, and an append plus fdatasync on the data_dir's file
 * system (what kmod/disk_sync.c does per group commit: vfs_fsync with
 * datasync set).
 *
 *   rtt udp-echo PORT [spin]        answer every datagram (runs until killed)
 *   rtt udp-ping ADDR PORT N SIZE [spin]  N round trips of SIZE bytes
 *
 * "spin" polls without sleeping (both ends): under emulation a vCPU that
 * went idle takes milliseconds to wake, so the blocking round trip is
 * mostly wake-ups and the spinning one is the network path alone.
 *   rtt fsync DIR N SIZE            N appends of SIZE bytes, each fdatasynced
 *
 * Prints {"n":N,"p50":MS,"p99":MS,"mean":MS} (raftbench's percentiles).
 * Exit: 0 ok, 1 failed, 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
"usage: rtt udp-echo PORT [spin]\n"
"       rtt udp-ping ADDR PORT N SIZE [spin]\n"
"       rtt fsync DIR N SIZE\n"
"\n"
"udp-echo  answer every datagram on PORT (IPv4 and IPv6) until killed\n"
"udp-ping  N round trips of SIZE bytes to ADDR (numeric) PORT, one at a time\n"
"spin      poll without sleeping (no idle vCPU to wake: the path alone)\n"
"fsync     N appends of SIZE bytes to a new file in DIR, each followed by\n"
"          fdatasync (the file is removed afterwards)\n"
"\n"
"Prints {\"n\":N,\"p50\":MS,\"p99\":MS,\"mean\":MS}. Exit: 0 ok, 1 failed,\n"
"2 usage.\n";

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static double pct(const uint64_t *v, size_t n, double p)
{
	size_t i = (size_t)ceil(p / 100.0 * n);

	i = i ? i - 1 : 0;
	return v[i < n ? i : n - 1] / 1e6;
}

static void report(uint64_t *v, size_t n)
{
	double sum = 0;

	for (size_t i = 0; i < n; i++)
		sum += v[i];
	qsort(v, n, sizeof(*v), cmp_u64);
	printf("{\"n\":%zu,\"p50\":%.4f,\"p99\":%.4f,\"mean\":%.4f}\n", n,
	       pct(v, n, 50), pct(v, n, 99), sum / n / 1e6);
}

static int parse_n(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	*out = strtoul(s, &end, 10);
	return *end || !*out || *out > max ? -1 : 0;
}

static int udp_echo(const char *port_s, int spin)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6 };
	unsigned long port;
	int fd, off = 0;
	char buf[65536];

	if (parse_n(port_s, 65535, &port))
		return 2;
	a.sin6_port = htons(port);
	fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 || setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off,
				 sizeof(off)) ||
	    bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("rtt: udp-echo");
		return 1;
	}
	for (;;) {
		struct sockaddr_storage from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf),
				     spin ? MSG_DONTWAIT : 0,
				     (struct sockaddr *)&from, &fl);

		if (n >= 0)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl);
	}
}

static int udp_ping(const char *addr, const char *port_s, const char *n_s,
		    const char *size_s, int spin)
{
	struct sockaddr_storage sa = { 0 };
	struct sockaddr_in *a4 = (struct sockaddr_in *)&sa;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&sa;
	unsigned long port, n, size;
	socklen_t sl;
	uint64_t *v;
	char *buf, *got;
	int fd;

	if (parse_n(port_s, 65535, &port) || parse_n(n_s, 10000000, &n) ||
	    parse_n(size_s, 65000, &size))
		return 2;
	if (inet_pton(AF_INET, addr, &a4->sin_addr) == 1) {
		a4->sin_family = AF_INET;
		a4->sin_port = htons(port);
		sl = sizeof(*a4);
	} else if (inet_pton(AF_INET6, addr, &a6->sin6_addr) == 1) {
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(port);
		sl = sizeof(*a6);
	} else {
		return 2;
	}
	v = calloc(n, sizeof(*v));
	buf = calloc(1, size);
	got = malloc(size + 1);
	fd = socket(sa.ss_family, SOCK_DGRAM, 0);
	if (!v || !buf || !got || fd < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sl)) {
		perror("rtt: udp-ping");
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		uint64_t t = now_ns();

		memcpy(buf, &i, size < sizeof(i) ? size : sizeof(i));
		if (send(fd, buf, size, 0) < 0) {
			perror("rtt: send");
			return 1;
		}
		pf.revents = 0;
		while (spin ? now_ns() - t < 1000000000ULL :
			      poll(&pf, 1, 1000) == 1) {
			ssize_t r = recv(fd, got, size + 1,
					 spin ? MSG_DONTWAIT : 0);

			if (r == (ssize_t)size && !memcmp(got, buf, r)) {
				pf.revents = POLLIN;
				break;
			}
		}
		if (!(pf.revents & POLLIN)) {
			fprintf(stderr, "rtt: no answer from %s:%lu\n", addr, port);
			return 1;
		}
		v[i] = now_ns() - t;
	}
	report(v, n);
	return 0;
}

static int do_fsync(const char *dir, const char *n_s, const char *size_s)
{
	unsigned long n, size;
	char path[4096], *buf;
	uint64_t *v;
	int fd;

	if (parse_n(n_s, 1000000, &n) || parse_n(size_s, 1 << 24, &size))
		return 2;
	snprintf(path, sizeof(path), "%s/rtt-fsync.%d", dir, (int)getpid());
	v = calloc(n, sizeof(*v));
	buf = calloc(1, size);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC,
		  0600);
	if (!v || !buf || fd < 0) {
		fprintf(stderr, "rtt: %s: %s\n", path, strerror(errno));
		return 1;
	}
	for (unsigned long i = 0; i < n; i++) {
		uint64_t t = now_ns();

		memset(buf, (int)i, size);
		if (write(fd, buf, size) != (ssize_t)size || fdatasync(fd)) {
			fprintf(stderr, "rtt: %s: %s\n", path, strerror(errno));
			return 1;
		}
		v[i] = now_ns() - t;
	}
	close(fd);
	unlink(path);
	report(v, n);
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 2;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage, stdout);
		return 0;
	}
	int spin = argc > 3 && !strcmp(argv[argc - 1], "spin");

	if (argc == 3 + spin && !strcmp(argv[1], "udp-echo"))
		rc = udp_echo(argv[2], spin);
	else if (argc == 6 + spin && !strcmp(argv[1], "udp-ping"))
		rc = udp_ping(argv[2], argv[3], argv[4], argv[5], spin);
	else if (argc == 5 && !strcmp(argv[1], "fsync"))
		rc = do_fsync(argv[2], argv[3], argv[4]);
	if (rc == 2)
		fputs(usage, stderr);
	return rc;
}
