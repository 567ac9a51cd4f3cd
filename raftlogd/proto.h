/* SPDX-License-Identifier: GPL-2.0 */
/*
 * raftlogd's client protocol on its Unix SOCK_SEQPACKET socket: the
 * operations of /dev/raftlog (DESIGN.md section 4), one request and one
 * reply per datagram, in the host's byte order. A connection is an open
 * file: it has its own session and read cursor, and its requests are
 * answered in order, one at a time, as a file's syscalls would be.
 *
 *   WRITE  data follows the request; flags RLD_F_NONBLOCK (O_NONBLOCK:
 *          done once a leader accepted it). ret: len or -errno exactly as
 *          write(2) on the device; pos: the entry's index (LAST_WRITE).
 *   READ   arg: the reader's buffer size. ret: the entry's length (its
 *          data follows the reply), -EMSGSIZE (cursor stays), -EAGAIN
 *          (RLD_F_NONBLOCK and nothing committed yet); without the flag
 *          the reply waits. pos: the cursor after the call.
 *   SEEK   arg: offset, whence: SEEK_SET/CUR/END. ret: the new cursor.
 *   STATUS ret 0, a struct raftlog_status follows (RAFTLOG_IOC_STATUS).
 *   GET_SESSION, SET_SESSION  struct raftlog_session follows the reply,
 *          or the request (RAFTLOG_IOC_GET/SET_SESSION).
 *   LAST_WRITE  ret 0, pos: index of the last successful write.
 */
#ifndef RAFTLOGD_PROTO_H
#define RAFTLOGD_PROTO_H

#include <stdint.h>

#define RLD_PROTO_MAGIC		0x52444c52U	/* "RLDR" */

enum rld_op {
	RLD_OP_WRITE = 1,
	RLD_OP_READ,
	RLD_OP_SEEK,
	RLD_OP_STATUS,
	RLD_OP_GET_SESSION,
	RLD_OP_SET_SESSION,
	RLD_OP_LAST_WRITE,
};

#define RLD_F_NONBLOCK		0x1

struct rld_req {
	uint32_t magic;
	uint32_t op;		/* enum rld_op */
	uint32_t flags;		/* RLD_F_* */
	uint32_t whence;	/* SEEK */
	int64_t arg;		/* READ: buffer size; SEEK: offset */
};

struct rld_resp {
	int64_t ret;		/* >= 0, or -errno */
	uint64_t pos;		/* see above */
};

/* The largest datagram either way: a header and one entry. */
#define RLD_PROTO_MAX		(sizeof(struct rld_req) + 65536)

#endif /* RAFTLOGD_PROTO_H */
