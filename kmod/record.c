// SPDX-License-Identifier: GPL-2.0
/*
 * Encoding and checking of data_dir records (layout in record.h). Pure
 * functions: no I/O, no allocation, no state. Unaligned little-endian
 * access goes through the core's platform header, the module's one place
 * for it.
 */
#include <linux/crc32.h>
#include <linux/errno.h>
#include <linux/string.h>
#include "record.h"
#include "raft/platform.h"
#include "raft/raft.h"

#define RAFTLOG_MAGIC_LOG	0x474c4c52	/* "RLLG" */
#define RAFTLOG_MAGIC_ENTRY	0x52454c52	/* "RLER" */
#define RAFTLOG_MAGIC_HS	0x53484c52	/* "RLHS" */
#define RAFTLOG_CRC_FROM	8	/* magic and crc are not covered */

static u32 raftlog_rec_crc(const u8 *buf, size_t len)
{
	return ~__crc32c_le(~0U, buf + RAFTLOG_CRC_FROM,
			    len - RAFTLOG_CRC_FROM);
}

/* Magic, CRC slot and the fields every header shares. */
static void raftlog_rec_seal(u8 *buf, u32 magic, size_t len)
{
	raft_put_le32(magic, buf);
	raft_put_le32(raftlog_rec_crc(buf, len), buf + 4);
}

/* An entry's magic and crc: the leader's crc, as it came, never computed. */
static void raftlog_rec_stamp(u8 *buf, u32 magic, u32 crc)
{
	raft_put_le32(magic, buf);
	raft_put_le32(crc, buf + 4);
}

static bool raftlog_rec_sealed(const u8 *buf, u32 magic, size_t len)
{
	return raft_get_le32(buf) == magic &&
	       raft_get_le32(buf + 4) == raftlog_rec_crc(buf, len);
}

/* Byte offsets of an entry record's fields (record.h). */
#define REC_INDEX	8
#define REC_TERM	16
#define REC_LEN		24
#define REC_TYPE	28
#define REC_ZERO	29	/* 3 bytes */
#define REC_SESSION	32
#define REC_SEQ		40

static void raftlog_rec_put_owner(u8 *buf, const struct raftlog_rec_owner *o)
{
	raft_put_le16(RAFTLOG_REC_VERSION, buf + 8);
	raft_put_le16(0, buf + 10);
	raft_put_le32(o->node_id, buf + 12);
	raft_put_le64(o->cluster_id, buf + 16);
}

/*
 * For a sealed header or slot: -ENOEXEC when it is of another version
 * (nothing else in it can be trusted then), -EINVAL for another owner.
 */
static int raftlog_rec_check_owner(const u8 *buf,
				   const struct raftlog_rec_owner *o)
{
	if (raft_get_le16(buf + 8) != RAFTLOG_REC_VERSION)
		return -ENOEXEC;
	if (raft_get_le32(buf + 12) != o->node_id ||
	    raft_get_le64(buf + 16) != o->cluster_id)
		return -EINVAL;
	return 0;
}

void raftlog_rec_log_hdr_encode(u8 *buf, const struct raftlog_rec_owner *o)
{
	memset(buf, 0, RAFTLOG_LOG_HDR_SIZE);
	raftlog_rec_put_owner(buf, o);
	raftlog_rec_seal(buf, RAFTLOG_MAGIC_LOG, RAFTLOG_LOG_HDR_SIZE);
}

int raftlog_rec_log_hdr_check(const u8 *buf, const struct raftlog_rec_owner *o)
{
	if (!raftlog_rec_sealed(buf, RAFTLOG_MAGIC_LOG, RAFTLOG_LOG_HDR_SIZE))
		return -EUCLEAN;
	return raftlog_rec_check_owner(buf, o);
}

int raftlog_rec_log_hdr_version(const u8 *buf)
{
	if (!raftlog_rec_sealed(buf, RAFTLOG_MAGIC_LOG, RAFTLOG_LOG_HDR_SIZE))
		return -EUCLEAN;
	return raft_get_le16(buf + 8);
}

void raftlog_rec_hs_encode(u8 *buf, const struct raftlog_rec_owner *o,
			   const struct raftlog_rec_hs *hs)
{
	memset(buf, 0, RAFTLOG_HS_SIZE);
	raftlog_rec_put_owner(buf, o);
	raft_put_le64(hs->seq, buf + 24);
	raft_put_le64(hs->term, buf + 32);
	raft_put_le32(hs->vote, buf + 40);
	raftlog_rec_seal(buf, RAFTLOG_MAGIC_HS, RAFTLOG_HS_SIZE);
}

int raftlog_rec_hs_decode(const u8 *buf, const struct raftlog_rec_owner *o,
			  struct raftlog_rec_hs *hs)
{
	int err;

	if (!raftlog_rec_sealed(buf, RAFTLOG_MAGIC_HS, RAFTLOG_HS_SIZE))
		return -EUCLEAN;
	err = raftlog_rec_check_owner(buf, o);
	if (err)
		return err;
	hs->seq = raft_get_le64(buf + 24);
	hs->term = raft_get_le64(buf + 32);
	hs->vote = raft_get_le32(buf + 40);
	return 0;
}

int raftlog_rec_hs_version(const u8 *buf)
{
	if (!raftlog_rec_sealed(buf, RAFTLOG_MAGIC_HS, RAFTLOG_HS_SIZE))
		return -EUCLEAN;
	return raft_get_le16(buf + 8);
}

/* The rules the wire applies to an entry, too. */
const char *raftlog_rec_entry_invalid(const struct raftlog_rec_entry *e)
{
	switch (e->type) {
	case RAFT_ENTRY_NORMAL:
		if (!e->session || !e->seq)
			return "client entry without session or seq";
		return NULL;
	case RAFT_ENTRY_NOOP:
		if (e->session || e->seq || e->len)
			return "no-op with session, seq or data";
		return NULL;
	case RAFT_ENTRY_CONFIG:
		if (e->session || e->seq || !e->len)
			return "configuration entry with session or seq, or empty";
		return NULL;
	default:
		return "unknown entry type";
	}
}

size_t raftlog_rec_encode(u8 *buf, const struct raftlog_rec_entry *e,
			  const void *data)
{
	size_t size = raftlog_rec_size(e->len);

	raft_put_le64(e->index, buf + REC_INDEX);
	raft_put_le64(e->term, buf + REC_TERM);
	raft_put_le32(e->len, buf + REC_LEN);
	buf[REC_TYPE] = e->type;
	memset(buf + REC_ZERO, 0, 3);
	raft_put_le64(e->session, buf + REC_SESSION);
	raft_put_le64(e->seq, buf + REC_SEQ);
	if (e->len)
		memcpy(buf + RAFTLOG_REC_HDR_SIZE, data, e->len);
	memset(buf + RAFTLOG_REC_HDR_SIZE + e->len, 0,
	       size - RAFTLOG_REC_HDR_SIZE - e->len);
	raftlog_rec_stamp(buf, RAFTLOG_MAGIC_ENTRY, e->crc);
	return size;
}

const char *raftlog_rec_decode_hdr(const u8 *buf, struct raftlog_rec_entry *e,
				   u32 max_len)
{
	if (raft_get_le32(buf) != RAFTLOG_MAGIC_ENTRY)
		return "bad magic";
	e->index = raft_get_le64(buf + REC_INDEX);
	e->term = raft_get_le64(buf + REC_TERM);
	e->len = raft_get_le32(buf + REC_LEN);
	e->crc = raft_get_le32(buf + 4);
	e->type = buf[REC_TYPE];
	e->session = raft_get_le64(buf + REC_SESSION);
	e->seq = raft_get_le64(buf + REC_SEQ);
	if (e->len > max_len)
		return "bad length";
	return NULL;
}

bool raftlog_rec_crc_ok(const u8 *buf, const struct raftlog_rec_entry *e)
{
	struct raft_entry ent = {
		.term = e->term,
		.session = e->session,
		.seq = e->seq,
		.len = e->len,
		.type = e->type,
		.data = buf + RAFTLOG_REC_HDR_SIZE,
	};

	/*
	 * The reserved bytes are not under the entry's crc; a writer always
	 * zeroes them, so anything else there is damage too.
	 */
	return raft_get_le32(buf + 4) == raft_entry_crc(e->index, &ent) &&
	       !buf[REC_ZERO] && !buf[REC_ZERO + 1] && !buf[REC_ZERO + 2];
}

static bool raftlog_rec_zero(const u8 *p, size_t n)
{
	return !n || (!p[0] && !memcmp(p, p + 1, n - 1));
}

const char *raftlog_rec_invalid(const u8 *buf,
				const struct raftlog_rec_entry *e)
{
	size_t end = RAFTLOG_REC_HDR_SIZE + e->len;

	if (!raftlog_rec_zero(buf + REC_ZERO, 3))
		return "reserved bytes not zero";
	if (!raftlog_rec_zero(buf + end, raftlog_rec_size(e->len) - end))
		return "padding not zero";
	return raftlog_rec_entry_invalid(e);
}
