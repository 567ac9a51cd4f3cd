// SPDX-License-Identifier: GPL-2.0
/*
 * An instance's keys: parsing the attribute or parameter that names one
 * (64 hex digits, or a keyring reference "logon:DESC" / "user:DESC" in
 * the form dm-crypt takes), and, when the instance is enabled, turning
 * what the user gave into the node's struct raftlog_keys. Keyring
 * references are looked up only then, so a key loaded after the
 * attribute was written is found, and the node holds its own copy: the
 * keyring key may change or go away afterwards without touching it.
 *
 * The secret never reaches a log line, and every copy this file drops is
 * wiped with memzero_explicit().
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/key.h>
#include <linux/key-type.h>
#include <keys/user-type.h>
#include "config.h"

#define RAFTLOG_KEY_HEX_LEN	(2 * RAFT_MAC_KEY_LEN)

void raftlog_key_src_wipe(struct raftlog_key_src *k)
{
	memzero_explicit(k, sizeof(*k));
}

void raftlog_config_wipe_keys(struct raftlog_config *cfg)
{
	raftlog_key_src_wipe(&cfg->key[0]);
	raftlog_key_src_wipe(&cfg->key[1]);
}

/* The keyring form "TYPE:DESC" into @n; false if @s is not one. */
static bool raftlog_parse_keyring(struct raftlog_key_src *n, const char *s,
				  size_t len, const char **why)
{
	size_t skip, i;

	if (len > 6 && !strncmp(s, "logon:", 6)) {
		n->kind = RAFTLOG_KEY_LOGON;
		skip = 6;
	} else if (len > 5 && !strncmp(s, "user:", 5)) {
		n->kind = RAFTLOG_KEY_USER;
		skip = 5;
	} else {
		return false;
	}
	*why = NULL;
	if (len - skip >= RAFTLOG_KEY_DESC_MAX) {
		*why = "the key description is longer than 127 characters";
		return true;
	}
	for (i = skip; i < len; i++) {
		if (isspace(s[i]) || iscntrl(s[i])) {
			*why = "the key description has a space or control character";
			return true;
		}
	}
	memcpy(n->desc, s + skip, len - skip);
	n->desc[len - skip] = '\0';
	return true;
}

int raftlog_parse_key(struct raftlog_key_src *k, const char *inst,
		      const char *param, const char *s, bool keyring_only)
{
	struct raftlog_key_src n = { .kind = RAFTLOG_KEY_NONE };
	const char *why = NULL;
	size_t len;

	s = skip_spaces(s);
	len = strlen(s);
	while (len && isspace(s[len - 1]))
		len--;
	if (!len) {
		raftlog_key_src_wipe(k);	/* blank: no key */
		return 0;
	}
	if (raftlog_parse_keyring(&n, s, len, &why)) {
		if (why)
			goto bad;
	} else if (keyring_only) {
		raftlog_key_src_wipe(&n);
		pr_err("%s: %s: only logon:DESC or user:DESC here: module parameters are readable by every user (ps, /sys/module, modprobe.d), so the secret itself is refused; load it into a keyring (keyctl padd logon raftlog:NAME @u) and name it\n",
		       inst, param);
		return -EINVAL;
	} else if (len != RAFTLOG_KEY_HEX_LEN) {
		pr_err("%s: %s: expected 64 hex digits (32 bytes) or logon:DESC / user:DESC, got %zu characters\n",
		       inst, param, len);
		return -EINVAL;
	} else if (hex2bin(n.secret, s, RAFT_MAC_KEY_LEN)) {
		why = "expected 64 hex digits (32 bytes): not all of them are 0-9, a-f";
		goto bad;
	} else {
		n.kind = RAFTLOG_KEY_HEX;
	}
	*k = n;
	raftlog_key_src_wipe(&n);
	return 0;
bad:
	raftlog_key_src_wipe(&n);
	pr_err("%s: %s: %s\n", inst, param, why);
	return -EINVAL;
}

#ifdef CONFIG_KEYS
/* The 32 bytes of the keyring key @k names, into @out. */
static int raftlog_key_lookup(const struct raftlog_key_src *k,
			      const char *inst, const char *param, u8 *out)
{
	struct key_type *type = k->kind == RAFTLOG_KEY_LOGON ?
				&key_type_logon : &key_type_user;
	const struct user_key_payload *ukp;
	struct key *key;
	int err = 0;

	key = request_key(type, k->desc, NULL);
	if (IS_ERR(key)) {
		err = PTR_ERR(key);
		if (err == -ENOKEY)
			pr_err("%s: %s: %s:%s: no such key in the keyrings of the process that enables (load it first, e.g. into @u) (error %d)\n",
			       inst, param, type->name, k->desc, err);
		else
			pr_err("%s: %s: %s:%s: the key cannot be used (%s, error %d)\n",
			       inst, param, type->name, k->desc,
			       err == -EKEYEXPIRED ? "expired" :
			       err == -EKEYREVOKED ? "revoked" :
			       err == -EACCES ? "no permission" : "lookup failed",
			       err);
		return err;
	}
	down_read(&key->sem);
	ukp = user_key_payload_locked(key);
	if (!ukp) {
		err = -EKEYREVOKED;
		pr_err("%s: %s: %s:%s: the key was revoked (error %d)\n",
		       inst, param, type->name, k->desc, err);
	} else if (ukp->datalen != RAFT_MAC_KEY_LEN) {
		err = -EINVAL;
		pr_err("%s: %s: %s:%s holds %u bytes; it must hold exactly 32 (the bytes, not their hex: xxd -r -p FILE | keyctl padd %s %s @u)\n",
		       inst, param, type->name, k->desc, ukp->datalen,
		       type->name, k->desc);
	} else {
		memcpy(out, ukp->data, RAFT_MAC_KEY_LEN);
	}
	up_read(&key->sem);
	key_put(key);
	return err;
}
#else
static int raftlog_key_lookup(const struct raftlog_key_src *k,
			      const char *inst, const char *param, u8 *out)
{
	pr_err("%s: %s: %s: this kernel has no keyrings (CONFIG_KEYS): give the 64 hex digits instead\n",
	       inst, param, k->desc);
	return -EOPNOTSUPP;
}
#endif

int raftlog_config_keys(const struct raftlog_config *cfg, const char *inst,
			struct raftlog_keys *keys)
{
	bool has_key = cfg->key[0].kind != RAFTLOG_KEY_NONE;
	unsigned int i;
	int err;

	memset(keys, 0, sizeof(*keys));
	if (!has_key && cfg->key[1].kind != RAFTLOG_KEY_NONE) {
		pr_err("%s: key2 is set but key is not: key2 is only the second key accepted during a rotation\n",
		       inst);
		return -EINVAL;
	}
	if (has_key && cfg->insecure) {
		pr_err("%s: a key and insecure=1 together: give one of them\n",
		       inst);
		return -EINVAL;
	}
	if (!has_key && !cfg->insecure) {
		pr_err("%s: no key: write 64 hex digits or logon:DESC to key, or set insecure=1\n",
		       inst);
		return -EINVAL;
	}
	if (cfg->insecure) {
		keys->insecure = true;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(cfg->key); i++) {
		const struct raftlog_key_src *k = &cfg->key[i];
		const char *param = i ? "key2" : "key";

		switch (k->kind) {
		case RAFTLOG_KEY_NONE:
			continue;
		case RAFTLOG_KEY_HEX:
			memcpy(keys->key[keys->n], k->secret, RAFT_MAC_KEY_LEN);
			break;
		default:
			err = raftlog_key_lookup(k, inst, param,
						 keys->key[keys->n]);
			if (err) {
				memzero_explicit(keys, sizeof(*keys));
				return err;
			}
		}
		keys->n++;
	}
	return 0;
}
