/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by raftctl and raftbench: finding instances and their
 * device nodes, reading sysfs, classifying write errors, JSON strings.
 *
 * The roots of sysfs, configfs and /dev can be moved with the environment
 * variables RAFTLOG_SYSFS_ROOT, RAFTLOG_CONFIGFS_ROOT and RAFTLOG_DEV_ROOT,
 * so the tools can be tested against a fake tree on a host without the
 * module.
 */
#ifndef RAFTLOG_TOOLS_COMMON_H
#define RAFTLOG_TOOLS_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define RL_NAME_MAX	64
#define RL_PATH_MAX	512

/* Exit codes shared by the tools (documented in their --help). */
enum rl_exit {
	RL_EXIT_OK = 0,
	RL_EXIT_ERROR = 1,	/* anything else: missing device, I/O error */
	RL_EXIT_USAGE = 2,
	RL_EXIT_NOT_COMMITTED = 3,	/* known not committed */
	RL_EXIT_UNKNOWN = 4,	/* timed out: may or may not commit */
	RL_EXIT_NO_LEADER = 5,
};

/* What a failed write(2) on the device tells about the entry. */
enum rl_outcome {
	RL_OUT_COMMITTED = 0,
	RL_OUT_NOT_COMMITTED,
	RL_OUT_UNKNOWN,
	RL_OUT_NO_LEADER,
	RL_OUT_OTHER,
	RL_OUT_MAX,
};

extern const char *rl_prog;

const char *rl_sysfs_root(void);
const char *rl_configfs_root(void);
const char *rl_dev_root(void);

/*
 * Turn what the user typed (NULL, "n1", "raftlog-n1", "/dev/raftlog-n1")
 * into a device path and the instance name used in sysfs. NULL picks the
 * default instance: "raftlog" if it exists, else the only one. A
 * raftlogd socket ("unix:PATH") is both its path and its name. Returns 0,
 * or -1 after printing why on stderr.
 */
int rl_resolve(const char *arg, char *path, size_t plen, char *name,
	       size_t nlen);
/* True if @arg names an instance or device node that exists. */
int rl_exists(const char *arg);

/* Sorted instance names found in sysfs; returns the count or -1. */
int rl_list_instances(char names[][RL_NAME_MAX], int max);

/* Read a small file (sysfs, configfs), trailing white space cut; -errno. */
int rl_read_file(const char *path, char *buf, size_t len);
/* Read a sysfs attribute of instance @name (sub-path @attr), trimmed. */
int rl_read_attr(const char *name, const char *attr, char *buf, size_t len);
/* Same, parsed as an unsigned number; -1 if missing or not a number. */
long long rl_read_num(const char *name, const char *attr);

enum rl_outcome rl_classify(int err);
const char *rl_outcome_str(enum rl_outcome o);
int rl_outcome_exit(enum rl_outcome o);

/* Numbers with optional suffixes k, K, Ki, M, Mi, G (sizes) */
int rl_parse_size(const char *s, unsigned long long *out);
int rl_parse_u64(const char *s, unsigned long long *out);
int rl_parse_double(const char *s, double *out);

/* Write @len bytes as the body of a JSON string, quotes included. */
void rl_json_str(FILE *f, const void *buf, size_t len);
/* Write bytes readably on one line: printable ASCII as is, others escaped. */
void rl_print_escaped(FILE *f, const void *buf, size_t len);

uint64_t rl_now_ns(void);
/* A terminal that understands escape codes (TERM set and not "dumb"). */
int rl_is_tty(FILE *f);
int rl_use_color(FILE *f, int force);

/* Write @val to a sysfs or configfs file; @create only for a fake tree. */
int rl_write_file(const char *path, const char *val, int create);

/*
 * The device, or raftlogd's client socket named "unix:PATH" (its protocol
 * in raftlogd/proto.h): the same calls, the same semantics and errnos, so
 * a workload is byte for byte the same against either. Other paths go to
 * the syscalls unchanged.
 */
int rl_is_daemon(const char *arg);
int rl_dev_open(const char *path, int flags);
int rl_dev_close(int fd);
/* For a socket: whether reads and writes are O_NONBLOCK from now on. */
void rl_dev_set_nonblock(int fd, int on);
ssize_t rl_dev_write(int fd, const void *buf, size_t len);
ssize_t rl_dev_read(int fd, void *buf, size_t len);
off_t rl_dev_lseek(int fd, off_t off, int whence);
int rl_dev_ioctl(int fd, unsigned long req, void *arg);

#endif
