// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by raftctl and raftbench; see common.h.
 */
#define _GNU_SOURCE
#include "common.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <linux/raftlog.h>
#include "../raftlogd/proto.h"

const char *rl_prog = "raftlog";

static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && *v ? v : def;
}

const char *rl_sysfs_root(void)
{
	return env_or("RAFTLOG_SYSFS_ROOT", "/sys/class/raftlog");
}

const char *rl_configfs_root(void)
{
	return env_or("RAFTLOG_CONFIGFS_ROOT", "/sys/kernel/config/raftlog");
}

const char *rl_dev_root(void)
{
	return env_or("RAFTLOG_DEV_ROOT", "/dev");
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(a, b);
}

int rl_list_instances(char names[][RL_NAME_MAX], int max)
{
	DIR *d = opendir(rl_sysfs_root());
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)) && n < max) {
		if (de->d_name[0] == '.' || strlen(de->d_name) >= RL_NAME_MAX)
			continue;
		strcpy(names[n++], de->d_name);
	}
	closedir(d);
	qsort(names, n, RL_NAME_MAX, cmp_names);
	return n;
}

static int sysfs_has(const char *name)
{
	char p[RL_PATH_MAX];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", rl_sysfs_root(), name);
	return stat(p, &st) == 0;
}

/* Map a short or long name to the instance name ("n1" -> "raftlog-n1"). */
static void instance_name(const char *arg, char *name, size_t nlen)
{
	if (strncmp(arg, "raftlog", 7) == 0)
		snprintf(name, nlen, "%s", arg);
	else
		snprintf(name, nlen, "raftlog-%s", arg);
}

static int default_instance(char *name, size_t nlen)
{
	char names[32][RL_NAME_MAX];
	int n = rl_list_instances(names, 32);

	if (n < 0) {
		fprintf(stderr,
			"%s: no raftlog instances: %s: %s (is the module loaded?)\n",
			rl_prog, rl_sysfs_root(), strerror(errno));
		return -1;
	}
	if (n == 0) {
		fprintf(stderr,
			"%s: no raftlog instance exists (load the module with id= and peers=, or use 'raftctl create')\n",
			rl_prog);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i], "raftlog") == 0) {
			snprintf(name, nlen, "raftlog");
			return 0;
		}
	}
	if (n > 1) {
		fprintf(stderr, "%s: %d instances exist, name one:", rl_prog, n);
		for (int i = 0; i < n; i++)
			fprintf(stderr, " %s", names[i]);
		fputc('\n', stderr);
		return -1;
	}
	snprintf(name, nlen, "%s", names[0]);
	return 0;
}

int rl_resolve(const char *arg, char *path, size_t plen, char *name,
	       size_t nlen)
{
	if (!arg || !*arg) {
		if (default_instance(name, nlen))
			return -1;
		snprintf(path, plen, "%s/%s", rl_dev_root(), name);
		return 0;
	}
	if (rl_is_daemon(arg)) {
		/* raftlogd's socket: no sysfs, the name is the path */
		snprintf(path, plen, "%s", arg);
		snprintf(name, nlen, "%s", arg);
		return 0;
	}
	if (strchr(arg, '/')) {
		const char *base = strrchr(arg, '/') + 1;

		snprintf(path, plen, "%s", arg);
		snprintf(name, nlen, "%s", base);
		return 0;
	}
	instance_name(arg, name, nlen);
	snprintf(path, plen, "%s/%s", rl_dev_root(), name);
	return 0;
}

int rl_exists(const char *arg)
{
	char path[RL_PATH_MAX], name[RL_NAME_MAX];
	struct stat st;

	if (!arg || !*arg)
		return 0;
	if (rl_is_daemon(arg))
		return stat(arg + 5, &st) == 0 && S_ISSOCK(st.st_mode);
	if (strchr(arg, '/'))
		return stat(arg, &st) == 0;
	instance_name(arg, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s", rl_dev_root(), name);
	return stat(path, &st) == 0 || sysfs_has(name);
}

int rl_read_file(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	close(fd);
	while (n > 0 && isspace((unsigned char)buf[n - 1]))
		n--;
	buf[n] = '\0';
	return 0;
}

int rl_read_attr(const char *name, const char *attr, char *buf, size_t len)
{
	char p[RL_PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s/%s", rl_sysfs_root(), name, attr);
	return rl_read_file(p, buf, len);
}

long long rl_read_num(const char *name, const char *attr)
{
	unsigned long long v;
	char buf[64];

	if (rl_read_attr(name, attr, buf, sizeof(buf)) || rl_parse_u64(buf, &v))
		return -1;
	return v > (unsigned long long)INT64_MAX ? -1 : (long long)v;
}

/*
 * What kmod/proposal.c answers: ENOTCONN when no leader took the entry,
 * EBUSY when the leader's window was full or EAGAIN under O_NONBLOCK (not
 * taken either), ECANCELED when a new leader overwrote it, ETIMEDOUT when
 * its fate is unknown, EINTR when a signal ended the wait (it may have
 * been taken, so unknown too). A few neighbours are accepted as well so
 * the tools keep their meaning if the choice moves.
 */
enum rl_outcome rl_classify(int err)
{
	switch (err) {
	case 0:
		return RL_OUT_COMMITTED;
	/* the node may have carried it: README's errno table says "yes" */
	case ETIMEDOUT:
	case EINTR:
	case ESHUTDOWN:
	case ESTALE:
	case EIO:
		return RL_OUT_UNKNOWN;
	case ECANCELED:
	case EBUSY:
	case EAGAIN:
	case ECONNABORTED:
		return RL_OUT_NOT_COMMITTED;
	case ENOTCONN:
	case EHOSTUNREACH:
	case EHOSTDOWN:
	case ENETUNREACH:
	case ENETDOWN:
	case ENOLINK:
		return RL_OUT_NO_LEADER;
	default:
		return RL_OUT_OTHER;
	}
}

const char *rl_outcome_str(enum rl_outcome o)
{
	static const char *const s[RL_OUT_MAX] = {
		[RL_OUT_COMMITTED] = "committed",
		[RL_OUT_NOT_COMMITTED] = "not committed",
		[RL_OUT_UNKNOWN] = "unknown outcome (timed out, may still commit)",
		[RL_OUT_NO_LEADER] = "no leader",
		[RL_OUT_OTHER] = "error",
	};

	return o < RL_OUT_MAX ? s[o] : "?";
}

int rl_outcome_exit(enum rl_outcome o)
{
	switch (o) {
	case RL_OUT_COMMITTED:
		return RL_EXIT_OK;
	case RL_OUT_NOT_COMMITTED:
		return RL_EXIT_NOT_COMMITTED;
	case RL_OUT_UNKNOWN:
		return RL_EXIT_UNKNOWN;
	case RL_OUT_NO_LEADER:
		return RL_EXIT_NO_LEADER;
	default:
		return RL_EXIT_ERROR;
	}
}

int rl_parse_u64(const char *s, unsigned long long *out)
{
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end ? -1 : 0;
}

int rl_parse_size(const char *s, unsigned long long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	if (*end == 'k' || *end == 'K')
		mul = 1024;
	else if (*end == 'm' || *end == 'M')
		mul = 1024 * 1024;
	else if (*end == 'g' || *end == 'G')
		mul = 1024ULL * 1024 * 1024;
	else if (*end)
		return -1;
	if (*end) {
		end++;
		if (*end == 'i')
			end++;
		if (*end == 'B')
			end++;
		if (*end)
			return -1;
	}
	if (v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

int rl_parse_double(const char *s, double *out)
{
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return errno || *end || *out < 0 ? -1 : 0;
}

void rl_json_str(FILE *f, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	fputc('"', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

void rl_print_escaped(FILE *f, const void *buf, size_t len)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = p[i];

		if (c == '\\')
			fputs("\\\\", f);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

uint64_t rl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int rl_is_tty(FILE *f)
{
	const char *term = getenv("TERM");

	return isatty(fileno(f)) && term && strcmp(term, "dumb");
}

/* force: 1 always, 0 never, -1 only on a terminal and without NO_COLOR */
int rl_use_color(FILE *f, int force)
{
	if (force >= 0)
		return force;
	return !getenv("NO_COLOR") && rl_is_tty(f);
}

int rl_write_file(const char *path, const char *val, int create)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC | O_TRUNC | (create ? O_CREAT : 0),
		  0644);
	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	if (n < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	if (close(fd))
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* ---- the device or raftlogd's socket --------------------------------- */

#define RL_DEV_FDS	1024
/* Per fd: 0 not ours, else RL_SOCK (| RL_SOCK_NB under O_NONBLOCK). */
#define RL_SOCK		1
#define RL_SOCK_NB	2
#define RL_SOCK_LOST	4	/* a call was interrupted: replies misalign */
static unsigned char rl_sock[RL_DEV_FDS];

int rl_is_daemon(const char *arg)
{
	return arg && !strncmp(arg, "unix:", 5);
}

static int rl_sock_of(int fd)
{
	return fd >= 0 && fd < RL_DEV_FDS ? rl_sock[fd] : 0;
}

int rl_dev_open(const char *path, int flags)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	int fd, err;

	if (!rl_is_daemon(path))
		return open(path, flags | O_CLOEXEC);
	if (strlen(path + 5) >= sizeof(a.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(a.sun_path, path + 5);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    fd >= RL_DEV_FDS) {
		err = fd >= RL_DEV_FDS ? EMFILE : errno;
		close(fd);
		errno = err;
		return -1;
	}
	rl_sock[fd] = RL_SOCK | (flags & O_NONBLOCK ? RL_SOCK_NB : 0);
	return fd;
}

void rl_dev_set_nonblock(int fd, int on)
{
	if (rl_sock_of(fd))
		rl_sock[fd] = (rl_sock[fd] & ~RL_SOCK_NB) |
			      (on ? RL_SOCK_NB : 0);
}

int rl_dev_close(int fd)
{
	if (rl_sock_of(fd))
		rl_sock[fd] = 0;
	return close(fd);
}

/* One request and its reply (raftlogd/proto.h); -1 with errno on error. */
static int64_t rl_call(int fd, uint32_t op, int64_t arg, uint32_t whence,
		       const void *in, size_t inlen, void *out, size_t outcap,
		       uint64_t *pos)
{
	struct rld_req q = {
		.magic = RLD_PROTO_MAGIC, .op = op, .whence = whence,
		.arg = arg,
		.flags = rl_sock[fd] & RL_SOCK_NB ? RLD_F_NONBLOCK : 0,
	};
	struct rld_resp r;
	struct iovec qv[2] = { { &q, sizeof(q) }, { (void *)in, inlen } };
	struct iovec rv[2] = { { &r, sizeof(r) }, { out, outcap } };
	struct msghdr qm = { .msg_iov = qv, .msg_iovlen = in ? 2 : 1 };
	struct msghdr rm = { .msg_iov = rv, .msg_iovlen = out ? 2 : 1 };
	ssize_t got;

	if (rl_sock[fd] & RL_SOCK_LOST) {
		errno = EIO;
		return -1;
	}
	if (sendmsg(fd, &qm, MSG_NOSIGNAL) < 0)
		return -1;
	got = recvmsg(fd, &rm, 0);
	if (got < 0 && errno == EINTR) {
		/* the reply still comes: this socket is out of step now */
		rl_sock[fd] |= RL_SOCK_LOST;
		return -1;
	}
	if (got < 0)
		return -1;
	if (got < (ssize_t)sizeof(r)) {
		errno = ESHUTDOWN;	/* the daemon went away */
		return -1;
	}
	if (r.ret < 0) {
		errno = (int)-r.ret;
		return -1;
	}
	if (pos)
		*pos = r.pos;
	return r.ret;
}

ssize_t rl_dev_write(int fd, const void *buf, size_t len)
{
	if (!rl_sock_of(fd))
		return write(fd, buf, len);
	return rl_call(fd, RLD_OP_WRITE, 0, 0, buf, len, NULL, 0, NULL);
}

ssize_t rl_dev_read(int fd, void *buf, size_t len)
{
	if (!rl_sock_of(fd))
		return read(fd, buf, len);
	return rl_call(fd, RLD_OP_READ, (int64_t)len, 0, NULL, 0, buf, len,
		       NULL);
}

off_t rl_dev_lseek(int fd, off_t off, int whence)
{
	if (!rl_sock_of(fd))
		return lseek(fd, off, whence);
	return rl_call(fd, RLD_OP_SEEK, off, whence, NULL, 0, NULL, 0, NULL);
}

int rl_dev_ioctl(int fd, unsigned long req, void *arg)
{
	uint64_t pos = 0;

	if (!rl_sock_of(fd))
		return ioctl(fd, req, arg);
	switch (req) {
	case RAFTLOG_IOC_STATUS:
		return rl_call(fd, RLD_OP_STATUS, 0, 0, NULL, 0, arg,
			       sizeof(struct raftlog_status), NULL) < 0 ? -1 : 0;
	case RAFTLOG_IOC_GET_SESSION:
		return rl_call(fd, RLD_OP_GET_SESSION, 0, 0, NULL, 0, arg,
			       sizeof(struct raftlog_session), NULL) < 0 ? -1 : 0;
	case RAFTLOG_IOC_SET_SESSION:
		return rl_call(fd, RLD_OP_SET_SESSION, 0, 0, arg,
			       sizeof(struct raftlog_session), NULL, 0,
			       NULL) < 0 ? -1 : 0;
	case RAFTLOG_IOC_LAST_WRITE:
		if (rl_call(fd, RLD_OP_LAST_WRITE, 0, 0, NULL, 0, NULL, 0,
			    &pos) < 0)
			return -1;
		*(__u64 *)arg = pos;
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}
