// SPDX-License-Identifier: GPL-2.0
/*
 * raftlogc: a minimal client of raftlogd's socket (proto.h), for tests and
 * scripts: write entries, read committed ones, show the status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <linux/raftlog.h>
#include "proto.h"

static void usage(FILE *f)
{
	fprintf(f,
"usage: raftlogc SOCKET write [--nonblock] DATA...\n"
"       raftlogc SOCKET read [--from INDEX]\n"
"       raftlogc SOCKET status\n"
"\n"
"write   one entry per DATA, each committed (or accepted, --nonblock)\n"
"        before the next; prints each entry's index\n"
"read    prints every committed entry from INDEX (default 1) on, one\n"
"        'INDEX DATA' line each, and stops at the first not yet committed\n"
"status  prints role, term, leader, commit_index, last_index, flags\n"
"\n"
"Exit status: 0 ok, 1 error, 2 usage, 3 known not committed, 4 timed out\n"
"(may still commit), 5 no leader.\n");
}

static int sock;
static char buf[sizeof(struct rld_resp) + 65536];

static struct rld_resp *call(uint32_t op, uint32_t flags, int64_t arg,
			     const void *data, size_t len, ssize_t *got)
{
	struct rld_req q = { .magic = RLD_PROTO_MAGIC, .op = op,
			     .flags = flags, .arg = arg };
	struct iovec iov[2] = { { &q, sizeof(q) }, { (void *)data, len } };
	struct msghdr m = { .msg_iov = iov, .msg_iovlen = 2 };

	if (sendmsg(sock, &m, MSG_NOSIGNAL) < 0)
		return NULL;
	*got = recv(sock, buf, sizeof(buf), 0);
	if (*got < (ssize_t)sizeof(struct rld_resp))
		return NULL;
	return (struct rld_resp *)buf;
}

static int outcome(int64_t err)
{
	switch (-err) {
	case ECANCELED:
		return 3;
	case ETIMEDOUT:
	case ESTALE:
	case ESHUTDOWN:
		return 4;
	case ENOTCONN:
		return 5;
	default:
		return 1;
	}
}

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct raftlog_status st;
	struct rld_resp *r;
	uint32_t flags = 0;
	int64_t from = 1;
	ssize_t got;
	int i = 3;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 3 || strlen(argv[1]) >= sizeof(a.sun_path)) {
		usage(stderr);
		return 2;
	}
	strcpy(a.sun_path, argv[1]);
	sock = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (sock < 0 || connect(sock, (struct sockaddr *)&a, sizeof(a))) {
		fprintf(stderr, "raftlogc: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (!strcmp(argv[2], "write")) {
		if (i < argc && !strcmp(argv[i], "--nonblock")) {
			flags = RLD_F_NONBLOCK;
			i++;
		}
		for (; i < argc; i++) {
			r = call(RLD_OP_WRITE, flags, 0, argv[i],
				 strlen(argv[i]), &got);
			if (!r) {
				perror("raftlogc: write");
				return 1;
			}
			if (r->ret < 0) {
				fprintf(stderr, "raftlogc: write: %s\n",
					strerror(-r->ret));
				return outcome(r->ret);
			}
			printf("%llu\n", (unsigned long long)r->pos);
		}
		return 0;
	}
	if (!strcmp(argv[2], "read")) {
		if (i + 1 < argc && !strcmp(argv[i], "--from"))
			from = strtoll(argv[i + 1], NULL, 0);
		r = call(RLD_OP_SEEK, 0, from, NULL, 0, &got);
		if (!r || r->ret < 0) {
			fprintf(stderr, "raftlogc: seek failed\n");
			return 1;
		}
		for (;;) {
			r = call(RLD_OP_READ, RLD_F_NONBLOCK, 65536, NULL, 0,
				 &got);
			if (!r)
				return 1;
			if (r->ret == -EAGAIN)
				return 0;
			if (r->ret < 0) {
				fprintf(stderr, "raftlogc: read: %s\n",
					strerror(-r->ret));
				return 1;
			}
			printf("%llu %.*s\n", (unsigned long long)r->pos - 1,
			       (int)r->ret, buf + sizeof(*r));
		}
	}
	if (!strcmp(argv[2], "status")) {
		r = call(RLD_OP_STATUS, 0, 0, NULL, 0, &got);
		if (!r || got != (ssize_t)(sizeof(*r) + sizeof(st)))
			return 1;
		memcpy(&st, buf + sizeof(*r), sizeof(st));
		printf("id=%u role=%u term=%llu leader=%u commit_index=%llu last_index=%llu flags=%u\n",
		       st.id, st.role, (unsigned long long)st.term, st.leader,
		       (unsigned long long)st.commit_index,
		       (unsigned long long)st.last_index, st.flags);
		return 0;
	}
	usage(stderr);
	return 2;
}
