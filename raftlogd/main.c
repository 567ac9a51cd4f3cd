// SPDX-License-Identifier: GPL-2.0
/*
 * raftlogd's command line: the module's instance parameters (DESIGN.md
 * section 4) as options, checked before anything starts, one line each on
 * what is wrong. Exit codes: 0 stopped by SIGTERM/SIGINT, 1 could not
 * start or storage failed, 2 usage.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "raftlogd.h"

static u32 self_id;

void rld_log(const char *fmt, ...)
{
	struct timespec ts;
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "raftlogd[%u] %lld.%03ld: ", self_id,
		(long long)ts.tv_sec, ts.tv_nsec / 1000000);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f,
"usage: raftlogd --id N --peers PEERS [--data-dir DIR]\n"
"                (--key-file FILE | --insecure) [--socket PATH] [options]\n"
"\n"
"One raftlog node in userspace: the module's Raft core (kmod/raft/), its\n"
"wire format and its data_dir format, so kernel and raftlogd nodes can\n"
"form one cluster and a data directory can move between them.\n"
"\n"
"  --id N                this node's id, one of PEERS\n"
"  --peers PEERS         ID@ADDR:PORT,... as the module's peers= (IPv6 as\n"
"                        ID@[ADDR]:PORT); ADDR:PORT,... numbers them 1..n\n"
"  --data-dir DIR        keep term, vote and log in DIR (created 0700 if\n"
"                        missing); without it the node is memory-only\n"
"  --key-file FILE       the cluster key: 64 hex digits (the configfs key\n"
"                        attribute's format); FILE must not be readable by\n"
"                        group or others\n"
"  --insecure            no key: send and accept only unauthenticated\n"
"                        datagrams (the module's insecure=1)\n"
"  --socket PATH         the client socket (default /run/raftlogd-ID.sock):\n"
"                        SOCK_SEQPACKET, /dev/raftlog's semantics\n"
"                        (raftlogd/proto.h)\n"
"  --cluster-id N        carried by every datagram (default 0)\n"
"  --election-timeout-ms MS  (default 150; the range is [MS, 2*MS))\n"
"  --heartbeat-ms MS     (default 50)\n"
"  --commit-timeout-ms MS  a write's deadline (default 5000)\n"
"  --max-datagram BYTES  largest datagram sent (UDP payload, 512..65032;\n"
"                        default 1400: no IP fragments at MTU 1500); larger\n"
"                        messages go as raftlog fragments, as the module's\n"
"                        max_datagram\n"
"  -h, --help            this text\n"
"\n"
"Exit status: 0 stopped by SIGTERM or SIGINT, 1 could not start (or the\n"
"storage failed), 2 bad usage.\n");
}

static int bad(const char *fmt, ...)
{
	va_list ap;

	fputs("raftlogd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (raftlogd --help)\n", stderr);
	return 2;
}

static bool parse_u64(const char *s, u64 max, u64 *out)
{
	char *end;
	unsigned long long v;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

/* "ID@ADDR:PORT", "ADDR:PORT", with [ADDR] for IPv6. */
static bool parse_peer(char *s, u32 pos, struct rld_peer *p)
{
	char *at = strchr(s, '@'), *host, *port, *end;
	u64 id = pos, pt;

	if (at) {
		*at = 0;
		if (!parse_u64(s, UINT32_MAX, &id) || !id)
			return false;
		s = at + 1;
	}
	p->id = id;
	if (*s == '[') {
		host = s + 1;
		end = strchr(host, ']');
		if (!end || end[1] != ':')
			return false;
		*end = 0;
		port = end + 2;
	} else {
		port = strrchr(s, ':');
		if (!port)
			return false;
		*port++ = 0;
		host = s;
	}
	if (!parse_u64(port, 65535, &pt) || !pt)
		return false;
	memset(&p->sin6, 0, sizeof(p->sin6));
	if (inet_pton(AF_INET, host, &p->sin.sin_addr) == 1) {
		p->sin.sin_family = AF_INET;
		p->sin.sin_port = htons(pt);
		p->len = sizeof(p->sin);
		return true;
	}
	if (inet_pton(AF_INET6, host, &p->sin6.sin6_addr) == 1) {
		p->sin6.sin6_family = AF_INET6;
		p->sin6.sin6_port = htons(pt);
		p->len = sizeof(p->sin6);
		return true;
	}
	return false;
}

static int parse_peers(struct rld_node *n, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;
	u32 i, j;

	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n->n_nodes == RAFT_MAX_NODES)
			return bad("--peers: more than %d nodes", RAFT_MAX_NODES);
		if (!parse_peer(tok, n->n_nodes + 1, &n->nodes[n->n_nodes]))
			return bad("--peers: cannot parse '%s'", tok);
		n->n_nodes++;
	}
	free(copy);
	for (i = 0; i < n->n_nodes; i++)
		for (j = i + 1; j < n->n_nodes; j++)
			if (n->nodes[i].id == n->nodes[j].id)
				return bad("--peers: id %u twice",
					   n->nodes[i].id);
	return n->n_nodes ? 0 : bad("--peers: empty");
}

static int read_key(struct rld_node *n, const char *path)
{
	char buf[130];
	struct stat st;
	ssize_t len;
	int fd, i;
	unsigned int b;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st))
		return bad("--key-file %s: %s", path, strerror(errno));
	if (st.st_mode & 0077) {
		close(fd);
		return bad("--key-file %s: readable by group or others (mode %04o)",
			   path, st.st_mode & 07777);
	}
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	while (len > 0 && isspace((unsigned char)buf[len - 1]))
		len--;
	if (len != 2 * RAFT_MAC_KEY_LEN)
		return bad("--key-file %s: want 64 hex digits", path);
	buf[len] = 0;
	for (i = 0; i < RAFT_MAC_KEY_LEN; i++) {
		if (!isxdigit((unsigned char)buf[2 * i]) ||
		    !isxdigit((unsigned char)buf[2 * i + 1]) ||
		    sscanf(buf + 2 * i, "%2x", &b) != 1)
			return bad("--key-file %s: want 64 hex digits", path);
		n->key[i] = b;
	}
	memset(buf, 0, sizeof(buf));
	return 0;
}

static int parse_ms(const char *opt, const char *arg, u32 min, u32 max,
		    u32 *out)
{
	u64 v;

	if (!parse_u64(arg, max, &v) || v < min)
		return bad("%s: want %u..%u", opt, min, max);
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "peers", required_argument, NULL, 'p' },
		{ "data-dir", required_argument, NULL, 'd' },
		{ "key-file", required_argument, NULL, 'k' },
		{ "insecure", no_argument, NULL, 'I' },
		{ "socket", required_argument, NULL, 's' },
		{ "cluster-id", required_argument, NULL, 'c' },
		{ "election-timeout-ms", required_argument, NULL, 'e' },
		{ "heartbeat-ms", required_argument, NULL, 'b' },
		{ "commit-timeout-ms", required_argument, NULL, 't' },
		{ "max-datagram", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	static struct rld_node node;
	struct rld_node *n = &node;
	const char *key_file = NULL;
	char defsock[64];
	bool have_id = false;
	u64 v;
	int c, err;
	u32 i;

	n->election_ms = 150;
	n->heartbeat_ms = 50;
	n->commit_timeout_ms = 5000;
	n->max_datagram = RAFT_DGRAM_DEFAULT;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		err = 0;
		switch (c) {
		case 'i':
			if (!parse_u64(optarg, UINT32_MAX, &v) || !v)
				return bad("--id: want a positive number");
			n->id = v;
			have_id = true;
			break;
		case 'p':
			err = parse_peers(n, optarg);
			break;
		case 'd':
			n->data_dir = optarg;
			break;
		case 'k':
			key_file = optarg;
			break;
		case 'I':
			n->insecure = true;
			break;
		case 's':
			n->sock_path = optarg;
			break;
		case 'c':
			if (!parse_u64(optarg, UINT64_MAX, &n->cluster_id))
				return bad("--cluster-id: want a number");
			break;
		case 'e':
			err = parse_ms("--election-timeout-ms", optarg, 20,
				       60000, &n->election_ms);
			break;
		case 'b':
			err = parse_ms("--heartbeat-ms", optarg, 10, 60000,
				       &n->heartbeat_ms);
			break;
		case 't':
			err = parse_ms("--commit-timeout-ms", optarg, 10,
				       3600000, &n->commit_timeout_ms);
			break;
		case 'm':
			err = parse_ms("--max-datagram", optarg, RAFT_DGRAM_MIN,
				       RAFT_DGRAM_MAX, &n->max_datagram);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
		if (err)
			return err;
	}
	if (optind < argc)
		return bad("unexpected argument '%s'", argv[optind]);
	if (!have_id || !n->n_nodes)
		return bad("--id and --peers are required");
	for (i = 0; i < n->n_nodes && n->nodes[i].id != n->id; i++)
		;
	if (i == n->n_nodes)
		return bad("--id %u is not in --peers", n->id);
	if (!key_file == !n->insecure)
		return bad("give exactly one of --key-file and --insecure");
	if (key_file && (err = read_key(n, key_file)))
		return err;
	if (n->heartbeat_ms >= n->election_ms)
		return bad("--heartbeat-ms must be below --election-timeout-ms");
	if (!n->sock_path) {
		snprintf(defsock, sizeof(defsock), "/run/raftlogd-%u.sock",
			 n->id);
		n->sock_path = defsock;
	}
	self_id = n->id;
	err = rld_loop_init(n);
	if (err) {
		rld_log("cannot start: %s", strerror(-err));
		return 1;
	}
	rld_log("node %u of %u, %s, %s, client socket %s", n->id, n->n_nodes,
		n->data_dir ? n->data_dir : "memory-only",
		n->insecure ? "insecure" : "authenticated", n->sock_path);
	err = rld_loop_run(n);
	rld_sync_stop(n);
	rld_disk_close(n);
	raft_destroy(n->raft);
	return err || n->failed ? 1 : 0;
}
