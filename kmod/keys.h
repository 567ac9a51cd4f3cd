/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The keys an enabled node authenticates its datagrams with (keyed
 * BLAKE2s, see raft/platform.h). key[0] signs every datagram sent; a
 * datagram is accepted if key[0] or, while a rotation is under way, key[1]
 * verifies it. An insecure node (the operator said insecure=1) has no key:
 * it sends no tag and accepts only datagrams without one.
 *
 * Immutable while the node exists: filled when the instance is enabled,
 * wiped when the node is freed.
 */
#ifndef RAFTLOG_KEYS_H
#define RAFTLOG_KEYS_H

#include <linux/types.h>
#include "raft/platform.h"

struct raftlog_keys {
	bool insecure;
	u8 n;				/* keys in @key: 1 or 2; 0 if insecure */
	u8 key[2][RAFT_MAC_KEY_LEN];
};

#endif /* RAFTLOG_KEYS_H */
