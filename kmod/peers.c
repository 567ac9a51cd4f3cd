// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing and checking of an instance's parameters: the node list
 * ("1@10.0.0.1:7070,2@[fd00::2]:7070"), the timeouts and data_dir. Every
 * rejection is -EINVAL plus one kernel log line saying which parameter of
 * which instance is wrong and why, so a bad insmod or configfs write is
 * easy to diagnose and never leaves a half-built instance behind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/inet.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>
#include "config.h"

#define RAFTLOG_BOUND_(n, lo, hi, d) {				\
	.name = #n, .min = (lo), .max = (hi), .def = (d),		\
	.offset = offsetof(struct raftlog_config, n),			\
}

const struct raftlog_bound raftlog_bounds[RAFTLOG_P_NR] = {
	RAFTLOG_EACH(RAFTLOG_BOUNDED, RAFTLOG_BOUND_)
};

static u32 *raftlog_config_u32(struct raftlog_config *cfg,
			       enum raftlog_bounded p)
{
	return (u32 *)((u8 *)cfg + raftlog_bounds[p].offset);
}

u32 raftlog_config_get_u32(const struct raftlog_config *cfg,
			   enum raftlog_bounded p)
{
	return *(const u32 *)((const u8 *)cfg + raftlog_bounds[p].offset);
}

void raftlog_config_init(struct raftlog_config *cfg)
{
	unsigned int p;

	memset(cfg, 0, sizeof(*cfg));
	for (p = 0; p < RAFTLOG_P_NR; p++)
		*raftlog_config_u32(cfg, p) = raftlog_bounds[p].def;
}

static int parse_port(const char *s, __be16 *port)
{
	u16 v;

	if (kstrtou16(s, 10, &v) || !v)
		return -EINVAL;
	*port = htons(v);
	return 0;
}

/* "[v6]:port" or "v4:port" into @p. */
static int parse_addr(char *s, struct raftlog_peer_addr *p)
{
	const char *end;
	char *colon;

	if (*s == '[') {
		struct sockaddr_in6 *sin6 = &p->sin6;
		char *close = strchr(s, ']');

		if (!close || close[1] != ':')
			return -EINVAL;
		if (!in6_pton(s + 1, close - s - 1, sin6->sin6_addr.s6_addr,
			      -1, &end) || end != close)
			return -EINVAL;
		if (ipv6_addr_any(&sin6->sin6_addr))
			return -EINVAL;
		sin6->sin6_family = AF_INET6;
		return parse_port(close + 2, &sin6->sin6_port);
	}
	colon = strrchr(s, ':');
	if (!colon)
		return -EINVAL;
	if (!in4_pton(s, colon - s, (u8 *)&p->sin.sin_addr.s_addr, -1,
		      &end) || end != colon)
		return -EINVAL;
	if (!p->sin.sin_addr.s_addr)
		return -EINVAL;
	p->sin.sin_family = AF_INET;
	return parse_port(colon + 1, &p->sin.sin_port);
}

static bool addr_same(const struct raftlog_peer_addr *a,
		      const struct raftlog_peer_addr *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->sin.sin_addr.s_addr == b->sin.sin_addr.s_addr &&
		       a->sin.sin_port == b->sin.sin_port;
	return ipv6_addr_equal(&a->sin6.sin6_addr, &b->sin6.sin6_addr) &&
	       a->sin6.sin6_port == b->sin6.sin6_port;
}

/* Checks one "id@address" token against those parsed before it. */
static const char *parse_node(char *tok, struct raftlog_peer_addr *nodes,
			      u32 n)
{
	struct raftlog_peer_addr *p = &nodes[n];
	char *at = strchr(tok, '@');
	u32 i;

	if (!at)
		return "expected id@address:port";
	*at = '\0';
	if (kstrtou32(tok, 10, &p->id) || !p->id)
		return "node id must be a number from 1 to 4294967295";
	if (parse_addr(at + 1, p))
		return "expected ipv4:port or [ipv6]:port, port 1..65535";
	for (i = 0; i < n; i++) {
		if (nodes[i].id == p->id)
			return "node id listed twice";
		if (addr_same(&nodes[i], p))
			return "address listed twice";
		if (nodes[i].sa.sa_family != p->sa.sa_family)
			return "mixes IPv4 and IPv6 addresses";
	}
	return NULL;
}

int raftlog_parse_peers(struct raftlog_config *cfg, const char *inst,
			const char *s)
{
	struct raftlog_peer_addr *nodes;
	const char *why = NULL;
	char *buf, *cur, *tok;
	u32 n = 0;

	if (strnlen(s, RAFTLOG_PEERS_STR_MAX + 1) > RAFTLOG_PEERS_STR_MAX) {
		pr_err("%s: peers: longer than %u characters\n", inst,
		       RAFTLOG_PEERS_STR_MAX);
		return -EINVAL;
	}
	buf = kstrdup(s, GFP_KERNEL);
	nodes = kcalloc(RAFT_MAX_NODES, sizeof(*nodes), GFP_KERNEL);
	if (!buf || !nodes) {
		kfree(buf);
		kfree(nodes);
		return -ENOMEM;
	}
	cur = strim(buf);
	while (!why && (tok = strsep(&cur, ","))) {
		if (n == RAFT_MAX_NODES)
			why = "more than 9 nodes";
		else
			why = parse_node(tok, nodes, n++);
	}
	if (!why && !n)
		why = "empty list";
	if (why) {
		pr_err("%s: peers: %s in \"%.*s\"\n", inst, why,
		       (int)strcspn(s, "\n"), s);
	} else {
		memcpy(cfg->nodes, nodes, n * sizeof(*nodes));
		cfg->n_nodes = n;
	}
	kfree(nodes);
	kfree(buf);
	return why ? -EINVAL : 0;
}

int raftlog_parse_data_dir(struct raftlog_config *cfg, const char *inst,
			   const char *s)
{
	size_t len = strcspn(s, "\n");

	if (len >= RAFTLOG_DATA_DIR_MAX) {
		pr_err("%s: data_dir: longer than %u characters\n", inst,
		       RAFTLOG_DATA_DIR_MAX - 1);
		return -EINVAL;
	}
	if (len && s[0] != '/') {
		pr_err("%s: data_dir: must be an absolute path\n", inst);
		return -EINVAL;
	}
	memcpy(cfg->data_dir, s, len);
	cfg->data_dir[len] = '\0';
	return 0;
}

int raftlog_check_ms(const char *inst, const char *param, u32 ms,
		     u32 min, u32 max)
{
	if (ms < min || ms > max) {
		pr_err("%s: %s: %u is outside %u..%u\n", inst, param, ms,
		       min, max);
		return -EINVAL;
	}
	return 0;
}

int raftlog_config_set_u32(struct raftlog_config *cfg, const char *inst,
			   enum raftlog_bounded p, u32 v)
{
	const struct raftlog_bound *b = &raftlog_bounds[p];
	int err = raftlog_check_ms(inst, b->name, v, b->min, b->max);

	if (!err)
		*raftlog_config_u32(cfg, p) = v;
	return err;
}

const struct raftlog_peer_addr *
raftlog_config_node(const struct raftlog_config *cfg, u32 id)
{
	u32 i;

	for (i = 0; i < cfg->n_nodes; i++)
		if (cfg->nodes[i].id == id)
			return &cfg->nodes[i];
	return NULL;
}

int raftlog_config_validate(const struct raftlog_config *cfg,
			    const char *inst)
{
	u32 e = cfg->election_timeout_ms / RAFTLOG_TICK_MS;
	u32 h = cfg->heartbeat_ms / RAFTLOG_TICK_MS;

	if (!cfg->id) {
		pr_err("%s: id: not set\n", inst);
		return -EINVAL;
	}
	if (!cfg->n_nodes) {
		pr_err("%s: peers: not set\n", inst);
		return -EINVAL;
	}
	if (!raftlog_config_node(cfg, cfg->id)) {
		pr_err("%s: id: %u is not one of the nodes in peers\n", inst,
		       cfg->id);
		return -EINVAL;
	}
	if (h >= e) {
		pr_err("%s: heartbeat_ms: %u must be below election_timeout_ms (%u) by at least %u\n",
		       inst, cfg->heartbeat_ms, cfg->election_timeout_ms,
		       RAFTLOG_TICK_MS);
		return -EINVAL;
	}
	return 0;
}

int raftlog_format_addr(const struct raftlog_peer_addr *p, char *buf,
			size_t size)
{
	if (p->sa.sa_family == AF_INET6)
		return scnprintf(buf, size, "[%pI6c]:%u", &p->sin6.sin6_addr,
				 ntohs(p->sin6.sin6_port));
	return scnprintf(buf, size, "%pI4:%u", &p->sin.sin_addr,
			 ntohs(p->sin.sin_port));
}

int raftlog_format_peers(const struct raftlog_config *cfg, char *buf,
			 size_t size)
{
	int len = 0;
	u32 i;

	for (i = 0; i < cfg->n_nodes; i++) {
		len += scnprintf(buf + len, size - len, "%s%u@", i ? "," : "",
				 cfg->nodes[i].id);
		len += raftlog_format_addr(&cfg->nodes[i], buf + len,
					   size - len);
	}
	return len;
}

bool raftlog_addr_equal(const struct raftlog_peer_addr *p,
			const struct sockaddr_storage *ss)
{
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

	if (ss->ss_family != p->sa.sa_family)
		return false;
	if (ss->ss_family == AF_INET)
		return sin->sin_addr.s_addr == p->sin.sin_addr.s_addr &&
		       sin->sin_port == p->sin.sin_port;
	return ipv6_addr_equal(&sin6->sin6_addr, &p->sin6.sin6_addr) &&
	       sin6->sin6_port == p->sin6.sin6_port;
}
