/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An instance's configuration as the user gave it (module parameters or
 * configfs), and the parsers that check each field. A config is plain data:
 * the instance copies it into its running node on enable, so nothing that
 * runs reads a config that can change.
 */
#ifndef RAFTLOG_CONFIG_H
#define RAFTLOG_CONFIG_H

#include <linux/types.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <linux/in6.h>
#include "keys.h"
#include "raft/frag.h"
#include "raft/raft.h"
#include "xlist.h"

#define RAFTLOG_TICK_MS			10
#define RAFTLOG_ELECTION_MS_DEFAULT	150
#define RAFTLOG_HEARTBEAT_MS_DEFAULT	50
#define RAFTLOG_COMMIT_TIMEOUT_MS_DEFAULT 5000
#define RAFTLOG_ELECTION_MS_MAX		60000
#define RAFTLOG_COMMIT_TIMEOUT_MS_MAX	3600000

/*
 * X(name, min, max, default): an instance's bounded numbers (milliseconds;
 * max_datagram: bytes of UDP payload), each the module parameter, the
 * configfs attribute and the u32 field of struct raftlog_config called
 * name. Both take values through raftlog_config_set_u32(), so both accept
 * and refuse the same ones with the same log line; raftlog_config_init()
 * starts from the defaults.
 */
#define RAFTLOG_BOUNDED(X...) (						\
	X(election_timeout_ms, 2 * RAFTLOG_TICK_MS, RAFTLOG_ELECTION_MS_MAX, \
	  RAFTLOG_ELECTION_MS_DEFAULT),					\
	X(heartbeat_ms, RAFTLOG_TICK_MS, RAFTLOG_ELECTION_MS_MAX,	\
	  RAFTLOG_HEARTBEAT_MS_DEFAULT),				\
	X(commit_timeout_ms, RAFTLOG_TICK_MS, RAFTLOG_COMMIT_TIMEOUT_MS_MAX, \
	  RAFTLOG_COMMIT_TIMEOUT_MS_DEFAULT),				\
	X(max_datagram, RAFT_DGRAM_MIN, RAFT_DGRAM_MAX, RAFT_DGRAM_DEFAULT))

/* RAFTLOG_P_<name>: which one, the index of raftlog_bounds[]. */
#define RAFTLOG_BOUNDED_ID_(name, min, max, def)	RAFTLOG_P_##name
enum raftlog_bounded {
	RAFTLOG_EACH(RAFTLOG_BOUNDED, RAFTLOG_BOUNDED_ID_),
	RAFTLOG_P_NR
};

struct raftlog_bound {
	const char *name;
	u32 min, max, def;
	size_t offset;		/* of the u32 in struct raftlog_config */
};

/* The list as a table (peers.c). */
extern const struct raftlog_bound raftlog_bounds[RAFTLOG_P_NR];

#define RAFTLOG_DATA_DIR_MAX		256
#define RAFTLOG_PEERS_STR_MAX		1024
#define RAFTLOG_KEY_DESC_MAX		128

/* One node of the cluster: its id and the UDP address it listens on. */
struct raftlog_peer_addr {
	u32 id;
	union {
		struct sockaddr sa;
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
	};
};

/*
 * Where a key comes from, as the user gave it: the 32 bytes themselves
 * (configfs only), or a keyring reference looked up when the instance is
 * enabled. Holds a secret: wipe it (raftlog_key_src_wipe()) wherever a
 * copy is dropped.
 */
enum raftlog_key_kind {
	RAFTLOG_KEY_NONE,
	RAFTLOG_KEY_HEX,		/* @secret */
	RAFTLOG_KEY_LOGON,		/* key_type_logon, @desc */
	RAFTLOG_KEY_USER,		/* key_type_user, @desc */
};

struct raftlog_key_src {
	enum raftlog_key_kind kind;
	u8 secret[RAFT_MAC_KEY_LEN];
	char desc[RAFTLOG_KEY_DESC_MAX];
};

struct raftlog_config {
	u32 id;				/* this node; 0: not set */
	u32 n_nodes;			/* 0: peers not set */
	struct raftlog_peer_addr nodes[RAFT_MAX_NODES]; /* self included */
	char data_dir[RAFTLOG_DATA_DIR_MAX];	/* "": memory only */
	u32 election_timeout_ms;
	u32 heartbeat_ms;
	u32 commit_timeout_ms;
	u64 cluster_id;
	u32 max_datagram;		/* 0: RAFT_DGRAM_DEFAULT */
	struct raftlog_key_src key[2];	/* key, key2 (accepted only) */
	bool insecure;
	bool join;			/* joins a running cluster: no */
					/* campaign until a voter (raft.h) */
};

void raftlog_config_init(struct raftlog_config *cfg);

/* The largest datagram the node sends (raft/frag.h says why this size). */
static inline u32 raftlog_max_datagram(const struct raftlog_config *cfg)
{
	return cfg->max_datagram ? cfg->max_datagram : RAFT_DGRAM_DEFAULT;
}

/*
 * Field parsers. Each returns 0 or -EINVAL after one pr_err line naming
 * @inst (the instance) and the parameter; @cfg changes only on success.
 */
int raftlog_parse_peers(struct raftlog_config *cfg, const char *inst,
			const char *s);
int raftlog_parse_data_dir(struct raftlog_config *cfg, const char *inst,
			   const char *s);
/* Any bounded u32 (milliseconds, max_datagram's bytes): @min .. @max. */
int raftlog_check_ms(const char *inst, const char *param, u32 ms,
		     u32 min, u32 max);
/* @v into @cfg's field @p if raftlog_bounds[@p] allows it. */
int raftlog_config_set_u32(struct raftlog_config *cfg, const char *inst,
			   enum raftlog_bounded p, u32 v);
u32 raftlog_config_get_u32(const struct raftlog_config *cfg,
			   enum raftlog_bounded p);

/*
 * The attribute or parameter @param ("key", "key2") from @s: 64 hex
 * digits (not if @keyring_only), "logon:DESC", "user:DESC", or nothing
 * (blank) for none. @k changes only on success; -EINVAL and one pr_err
 * line otherwise, which never shows the secret.
 */
int raftlog_parse_key(struct raftlog_key_src *k, const char *inst,
		      const char *param, const char *s, bool keyring_only);
void raftlog_key_src_wipe(struct raftlog_key_src *k);
void raftlog_config_wipe_keys(struct raftlog_config *cfg);

/*
 * At enable: @cfg's key, key2 and insecure into @keys, keyring references
 * looked up now. A key and insecure=1 together, key2 without a key, or
 * neither a key nor insecure=1: -EINVAL; a keyring key missing, revoked
 * or not 32 bytes: its error. One pr_err line each; @keys is wiped on
 * failure.
 */
int raftlog_config_keys(const struct raftlog_config *cfg, const char *inst,
			struct raftlog_keys *keys);

/* Cross-field check before enabling: -EINVAL and one pr_err line. */
int raftlog_config_validate(const struct raftlog_config *cfg,
			    const char *inst);

/* The node entry of @id, or NULL. */
const struct raftlog_peer_addr *
raftlog_config_node(const struct raftlog_config *cfg, u32 id);

/* Formats "id@addr:port,..." (peers) or "addr:port" (one node). */
int raftlog_format_peers(const struct raftlog_config *cfg, char *buf,
			 size_t size);
int raftlog_format_addr(const struct raftlog_peer_addr *p, char *buf,
			size_t size);

/* Whether @sa (from recvmsg) is exactly @p's address and port. */
bool raftlog_addr_equal(const struct raftlog_peer_addr *p,
			const struct sockaddr_storage *sa);

#endif /* RAFTLOG_CONFIG_H */
