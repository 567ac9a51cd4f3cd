/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The on-disk records of a data_dir, encoded and checked without any I/O
 * so that the rules live in one place. All integers are little-endian and
 * every record carries a CRC32C (Castagnoli, seed ~0, final xor ~0).
 *
 * log: one header, then one record per entry, each 8-byte aligned:
 *   header (32 bytes): magic "RLLG", crc of bytes 8..31, version (le16),
 *     reserved (le16), node id (le32), cluster id (le64), reserved (le64)
 *   entry (48 bytes + len, padded with zeros to a multiple of 8):
 *     magic "RLER", the entry's crc, index (le64), term (le64), len
 *     (le32), type (u8), 3 zero bytes, session (le64), seq (le64), then
 *     the data. The crc is the one the leader computed when it appended
 *     the entry (raft_entry_crc(): CRC32C over index, term, session, seq,
 *     len, type and data, in the core's order), stored as it came, never
 *     computed again for the file: replay and every read check it, so a
 *     torn write, a bit flipped on disk and one flipped anywhere since the
 *     leader are all caught the same way. A client entry (type 0) has a
 *     non-zero session and seq; a no-op (type 1) has both zero and no
 *     data; a configuration entry (type 2) has both zero and 1 ..
 *     RAFT_ENTRY_SIZE_LIMIT bytes of data (the core's encoding).
 *
 * state: two slots of 48 bytes at offsets 0 and 4096 (separate blocks, so
 *   writing one can never tear the other): magic "RLHS", crc of bytes
 *   8..47, version (le16), reserved (le16), node id (le32), cluster id
 *   (le64), sequence (le64), term (le64), vote (le32), reserved (le32).
 *   The valid slot with the higher sequence is the hard state.
 *
 * Versions: the log header and both slots carry RAFTLOG_REC_VERSION, 3
 * (version 2 checksummed each entry record over its bytes 8..47+len, with
 * no crc of the entry's own and no configuration entries; version 1 had
 * 32-byte entry headers, without session and seq). Every
 * version keeps magic, crc and version where they are above, with the crc
 * over the same bytes, so that files of another version are told apart
 * from damaged ones; they are refused, never converted or read.
 */
#ifndef RAFTLOG_RECORD_H
#define RAFTLOG_RECORD_H

#include <linux/align.h>
#include <linux/types.h>

#define RAFTLOG_REC_VERSION	3
#define RAFTLOG_LOG_HDR_SIZE	32
#define RAFTLOG_REC_HDR_SIZE	48
#define RAFTLOG_REC_ALIGN	8
#define RAFTLOG_HS_SIZE		48
#define RAFTLOG_HS_SLOT_STRIDE	4096
#define RAFTLOG_HS_FILE_SIZE	(2 * RAFTLOG_HS_SLOT_STRIDE)

/* Who a data_dir belongs to; checked on every open. */
struct raftlog_rec_owner {
	u32 node_id;
	u64 cluster_id;
};

struct raftlog_rec_entry {
	u64 index;
	u64 term;
	u64 session;
	u64 seq;
	u32 len;
	u32 crc;		/* raft_entry_crc() of the entry */
	u8 type;		/* enum raft_entry_type */
};

struct raftlog_rec_hs {
	u64 seq;
	u64 term;
	u32 vote;
};

/* Bytes an entry of @len data bytes takes in the log, padding included. */
static inline size_t raftlog_rec_size(u32 len)
{
	return ALIGN(RAFTLOG_REC_HDR_SIZE + (size_t)len, RAFTLOG_REC_ALIGN);
}

void raftlog_rec_log_hdr_encode(u8 *buf, const struct raftlog_rec_owner *o);
/*
 * 0, -EUCLEAN (not a log header: damaged), -ENOEXEC (a log header of
 * another format version: raftlog_rec_log_hdr_version() says which) or
 * -EINVAL (another node's).
 */
int raftlog_rec_log_hdr_check(const u8 *buf, const struct raftlog_rec_owner *o);
/* The version an intact log header declares, or -EUCLEAN. */
int raftlog_rec_log_hdr_version(const u8 *buf);

void raftlog_rec_hs_encode(u8 *buf, const struct raftlog_rec_owner *o,
			   const struct raftlog_rec_hs *hs);
/* Like raftlog_rec_log_hdr_check(); fills @hs on success. */
int raftlog_rec_hs_decode(const u8 *buf, const struct raftlog_rec_owner *o,
			  struct raftlog_rec_hs *hs);
/* The version an intact state slot declares, or -EUCLEAN. */
int raftlog_rec_hs_version(const u8 *buf);

/*
 * Why entry @e breaks the format's rules for its type, session, seq and
 * length, or NULL. Checked before an entry is written and after one is
 * read.
 */
const char *raftlog_rec_entry_invalid(const struct raftlog_rec_entry *e);
/*
 * Encodes one entry into @buf, which must hold raftlog_rec_size(e->len)
 * bytes; returns that size. @e must be valid (above); its crc is stored
 * as given.
 */
size_t raftlog_rec_encode(u8 *buf, const struct raftlog_rec_entry *e,
			  const void *data);
/*
 * Checks the fixed part of a record at @buf (RAFTLOG_REC_HDR_SIZE bytes)
 * and fills @e; NULL when it may be a record whose data follows, else why
 * it cannot be one. Only magic and length are checked: enough to find the
 * record's bytes.
 */
const char *raftlog_rec_decode_hdr(const u8 *buf, struct raftlog_rec_entry *e,
				   u32 max_len);
/*
 * Whether the whole record at @buf (raftlog_rec_size(e->len) bytes, header
 * decoded into @e) holds the entry its crc was computed over, with its
 * reserved bytes zero.
 */
bool raftlog_rec_crc_ok(const u8 *buf, const struct raftlog_rec_entry *e);
/*
 * For a record whose checksum holds: why its content breaks the format
 * (raftlog_rec_entry_invalid(), reserved bytes, padding), or NULL. Such a
 * record was written so, by a bug or another format: it is not a torn
 * write.
 */
const char *raftlog_rec_invalid(const u8 *buf,
				const struct raftlog_rec_entry *e);

#endif /* RAFTLOG_RECORD_H */
