// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite for an instance's parameters (kmod/peers.c): the peer list
 * grammar "id@a.b.c.d:port,id@[v6]:port", data_dir, the timeouts and the
 * cross-field checks. Good lists are table-driven and round-trip through
 * the formatter; every bad one must give -EINVAL and leave the config as
 * it was (no half-parsed instance).
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "config.h"

struct peers_case {
	const char *in;
	const char *canonical;	/* what the formatter prints back */
	u32 n;
};

static const struct peers_case good_peers[] = {
	{ "1@10.0.0.1:7070", "1@10.0.0.1:7070", 1 },
	{ "1@10.0.0.1:7070,2@10.0.0.2:7070,3@10.0.0.3:7070",
	  "1@10.0.0.1:7070,2@10.0.0.2:7070,3@10.0.0.3:7070", 3 },
	{ "7@10.0.0.1:1,3@10.0.0.1:65535",
	  "7@10.0.0.1:1,3@10.0.0.1:65535", 2 },
	{ "2@[fd00::2]:7070", "2@[fd00::2]:7070", 1 },
	{ "1@[fd00:0:0:0:0:0:0:1]:7070,2@[fd00::2]:7071",
	  "1@[fd00::1]:7070,2@[fd00::2]:7071", 2 },
	{ "1@10.0.0.1:7070\n", "1@10.0.0.1:7070", 1 },
	{ "4294967295@192.168.1.1:9", "4294967295@192.168.1.1:9", 1 },
};

static void peers_desc(const struct peers_case *p, char *desc)
{
	strscpy(desc, p->canonical, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(good_peers, good_peers, peers_desc);

static void cfg_peers_valid(struct kunit *test)
{
	const struct peers_case *p = test->param_value;
	struct raftlog_config *cfg = kunit_kzalloc(test, sizeof(*cfg),
						   GFP_KERNEL);
	char *out = kunit_kzalloc(test, RAFTLOG_PEERS_STR_MAX, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, out);
	raftlog_config_init(cfg);
	KUNIT_ASSERT_EQ(test, raftlog_parse_peers(cfg, "kunit", p->in), 0);
	KUNIT_EXPECT_EQ(test, cfg->n_nodes, p->n);
	raftlog_format_peers(cfg, out, RAFTLOG_PEERS_STR_MAX);
	KUNIT_EXPECT_STREQ(test, out, p->canonical);
}

static const char *const bad_peers[] = {
	"",
	" ",
	",",
	"1@10.0.0.1:7070,",
	"1@10.0.0.1:7070,,2@10.0.0.2:7070",
	"1",
	"1@",
	"@10.0.0.1:7070",
	"0@10.0.0.1:7070",
	"-1@10.0.0.1:7070",
	"x@10.0.0.1:7070",
	"4294967296@10.0.0.1:7070",
	"1@10.0.0.1",
	"1@10.0.0.1:",
	"1@10.0.0.1:0",
	"1@10.0.0.1:65536",
	"1@10.0.0.1:70x",
	"1@10.0.0:7070",
	"1@10.0.0.256:7070",
	"1@0.0.0.0:7070",
	"1@host.example:7070",
	"1@fd00::1:7070",
	"1@[fd00::1:7070",
	"1@[fd00::1]7070",
	"1@[fd00::1]:",
	"1@[::]:7070",
	"1@[fd00::zz]:7070",
	"1@10.0.0.1:7070,1@10.0.0.2:7070",
	"1@10.0.0.1:7070,2@10.0.0.1:7070",
	"1@10.0.0.1:7070,2@[fd00::2]:7070",
};

static void bad_desc(const char *const *s, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "\"%.100s\"", *s);
}

KUNIT_ARRAY_PARAM(bad_peers, bad_peers, bad_desc);

static void cfg_peers_invalid(struct kunit *test)
{
	const char *in = *(const char *const *)test->param_value;
	struct raftlog_config *cfg = kunit_kzalloc(test, 2 * sizeof(*cfg),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	raftlog_config_init(cfg);
	KUNIT_ASSERT_EQ(test, raftlog_parse_peers(cfg, "kunit",
						  "5@10.9.9.9:99"), 0);
	cfg[1] = cfg[0];
	KUNIT_EXPECT_EQ(test, raftlog_parse_peers(cfg, "kunit", in), -EINVAL);
	/* a failed parse leaves the previous value whole */
	KUNIT_EXPECT_EQ(test, memcmp(&cfg[0], &cfg[1], sizeof(*cfg)), 0);
}

/* "1@10.0.0.1:7000,2@10.0.0.2:7000,...,n@10.0.0.n:7000" */
static char *n_nodes(struct kunit *test, u32 n)
{
	char *s = kunit_kzalloc(test, RAFTLOG_PEERS_STR_MAX, GFP_KERNEL);
	size_t len = 0;
	u32 i;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	for (i = 1; i <= n; i++)
		len += scnprintf(s + len, RAFTLOG_PEERS_STR_MAX - len,
				 "%s%u@10.0.0.%u:7000", i > 1 ? "," : "", i, i);
	return s;
}

/* RAFT_MAX_NODES nodes are fine, one more is not. */
static void cfg_peers_max_nodes(struct kunit *test)
{
	struct raftlog_config *cfg = kunit_kzalloc(test, sizeof(*cfg),
						   GFP_KERNEL);
	char *out = kunit_kzalloc(test, RAFTLOG_PEERS_STR_MAX, GFP_KERNEL);
	char *nine = n_nodes(test, RAFT_MAX_NODES);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, out);
	raftlog_config_init(cfg);
	KUNIT_ASSERT_EQ(test, raftlog_parse_peers(cfg, "kunit", nine), 0);
	KUNIT_EXPECT_EQ(test, cfg->n_nodes, (u32)RAFT_MAX_NODES);
	raftlog_format_peers(cfg, out, RAFTLOG_PEERS_STR_MAX);
	KUNIT_EXPECT_STREQ(test, out, nine);
	KUNIT_EXPECT_EQ(test, raftlog_parse_peers(cfg, "kunit",
						  n_nodes(test,
							  RAFT_MAX_NODES + 1)),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, cfg->n_nodes, (u32)RAFT_MAX_NODES);
}

static void cfg_peers_too_long(struct kunit *test)
{
	struct raftlog_config *cfg = kunit_kzalloc(test, sizeof(*cfg),
						   GFP_KERNEL);
	char *s = kunit_kmalloc(test, RAFTLOG_PEERS_STR_MAX + 2, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	raftlog_config_init(cfg);
	memset(s, '1', RAFTLOG_PEERS_STR_MAX + 1);
	s[RAFTLOG_PEERS_STR_MAX + 1] = '\0';
	KUNIT_EXPECT_EQ(test, raftlog_parse_peers(cfg, "kunit", s), -EINVAL);
	KUNIT_EXPECT_EQ(test, cfg->n_nodes, 0U);
}

static void cfg_peer_addresses(struct kunit *test)
{
	struct raftlog_config *cfg = kunit_kzalloc(test, sizeof(*cfg),
						   GFP_KERNEL);
	const struct raftlog_peer_addr *p;
	struct sockaddr_storage ss = {};
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	raftlog_config_init(cfg);
	KUNIT_ASSERT_EQ(test,
			raftlog_parse_peers(cfg, "kunit",
					    "1@10.0.0.1:7070,2@10.0.0.2:7071"),
			0);
	p = raftlog_config_node(cfg, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	KUNIT_EXPECT_EQ(test, p->id, 2U);
	KUNIT_EXPECT_EQ(test, p->sin.sin_family, (sa_family_t)AF_INET);
	KUNIT_EXPECT_EQ(test, ntohs(p->sin.sin_port), 7071);
	KUNIT_EXPECT_EQ(test, ntohl(p->sin.sin_addr.s_addr), 0x0a000002U);
	KUNIT_EXPECT_NULL(test, raftlog_config_node(cfg, 3));

	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(0x0a000002);
	sin->sin_port = htons(7071);
	KUNIT_EXPECT_TRUE(test, raftlog_addr_equal(p, &ss));
	sin->sin_port = htons(7070);
	KUNIT_EXPECT_FALSE(test, raftlog_addr_equal(p, &ss));
	sin->sin_port = htons(7071);
	sin->sin_addr.s_addr = htonl(0x0a000001);
	KUNIT_EXPECT_FALSE(test, raftlog_addr_equal(p, &ss));

	KUNIT_ASSERT_EQ(test,
			raftlog_parse_peers(cfg, "kunit",
					    "1@[fd00::1]:7070,2@[fd00::2]:7070"),
			0);
	p = raftlog_config_node(cfg, 2);
	KUNIT_ASSERT_NOT_NULL(test, p);
	memset(&ss, 0, sizeof(ss));
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(7070);
	sin6->sin6_addr.s6_addr[0] = 0xfd;
	sin6->sin6_addr.s6_addr[15] = 2;
	KUNIT_EXPECT_TRUE(test, raftlog_addr_equal(p, &ss));
	sin6->sin6_addr.s6_addr[15] = 1;
	KUNIT_EXPECT_FALSE(test, raftlog_addr_equal(p, &ss));
	/* the same bytes as another family never match */
	sin6->sin6_family = AF_INET;
	KUNIT_EXPECT_FALSE(test, raftlog_addr_equal(p, &ss));
}

static void cfg_data_dir(struct kunit *test)
{
	struct raftlog_config *cfg = kunit_kzalloc(test, sizeof(*cfg),
						   GFP_KERNEL);
	char *s = kunit_kzalloc(test, RAFTLOG_DATA_DIR_MAX + 2, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	raftlog_config_init(cfg);
	KUNIT_EXPECT_EQ(test, raftlog_parse_data_dir(cfg, "kunit",
						     "/var/lib/raftlog"), 0);
	KUNIT_EXPECT_STREQ(test, cfg->data_dir, "/var/lib/raftlog");
	KUNIT_EXPECT_EQ(test, raftlog_parse_data_dir(cfg, "kunit", "/d\n"), 0);
	KUNIT_EXPECT_STREQ(test, cfg->data_dir, "/d");
	KUNIT_EXPECT_EQ(test, raftlog_parse_data_dir(cfg, "kunit", "rel/dir"),
			-EINVAL);
	KUNIT_EXPECT_STREQ(test, cfg->data_dir, "/d");
	KUNIT_EXPECT_EQ(test, raftlog_parse_data_dir(cfg, "kunit", ""), 0);
	KUNIT_EXPECT_STREQ(test, cfg->data_dir, "");

	s[0] = '/';
	memset(s + 1, 'a', RAFTLOG_DATA_DIR_MAX - 2);	/* 255 characters */
	KUNIT_EXPECT_EQ(test, raftlog_parse_data_dir(cfg, "kunit", s), 0);
	KUNIT_EXPECT_EQ(test, strlen(cfg->data_dir),
			(size_t)RAFTLOG_DATA_DIR_MAX - 1);
	s[RAFTLOG_DATA_DIR_MAX - 1] = 'a';		/* 256 */
	KUNIT_EXPECT_EQ(test, raftlog_parse_data_dir(cfg, "kunit", s), -EINVAL);
}

static void cfg_check_ms(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, raftlog_check_ms("kunit", "x", 10, 10, 20), 0);
	KUNIT_EXPECT_EQ(test, raftlog_check_ms("kunit", "x", 20, 10, 20), 0);
	KUNIT_EXPECT_EQ(test, raftlog_check_ms("kunit", "x", 9, 10, 20),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, raftlog_check_ms("kunit", "x", 21, 10, 20),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, raftlog_check_ms("kunit", "x", U32_MAX, 0,
					       RAFTLOG_ELECTION_MS_MAX),
			-EINVAL);
}

static void cfg_validate(struct kunit *test)
{
	struct raftlog_config *cfg = kunit_kzalloc(test, sizeof(*cfg),
						   GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cfg);
	raftlog_config_init(cfg);
	KUNIT_EXPECT_EQ(test, cfg->election_timeout_ms,
			(u32)RAFTLOG_ELECTION_MS_DEFAULT);
	KUNIT_EXPECT_EQ(test, cfg->heartbeat_ms,
			(u32)RAFTLOG_HEARTBEAT_MS_DEFAULT);
	KUNIT_EXPECT_EQ(test, raftlog_config_validate(cfg, "kunit"), -EINVAL);
	cfg->id = 2;
	KUNIT_EXPECT_EQ(test, raftlog_config_validate(cfg, "kunit"), -EINVAL);
	KUNIT_ASSERT_EQ(test,
			raftlog_parse_peers(cfg, "kunit",
					    "1@10.0.0.1:7070,3@10.0.0.3:7070"),
			0);
	KUNIT_EXPECT_EQ(test, raftlog_config_validate(cfg, "kunit"), -EINVAL);
	cfg->id = 3;
	KUNIT_EXPECT_EQ(test, raftlog_config_validate(cfg, "kunit"), 0);
	/* the heartbeat must be at least one tick below the election timeout */
	cfg->election_timeout_ms = 150;
	cfg->heartbeat_ms = 140;
	KUNIT_EXPECT_EQ(test, raftlog_config_validate(cfg, "kunit"), 0);
	cfg->heartbeat_ms = 150;
	KUNIT_EXPECT_EQ(test, raftlog_config_validate(cfg, "kunit"), -EINVAL);
	cfg->heartbeat_ms = 500;
	KUNIT_EXPECT_EQ(test, raftlog_config_validate(cfg, "kunit"), -EINVAL);
}

static struct kunit_case config_cases[] = {
	KUNIT_CASE_PARAM(cfg_peers_valid, good_peers_gen_params),
	KUNIT_CASE_PARAM(cfg_peers_invalid, bad_peers_gen_params),
	KUNIT_CASE(cfg_peers_max_nodes),
	KUNIT_CASE(cfg_peers_too_long),
	KUNIT_CASE(cfg_peer_addresses),
	KUNIT_CASE(cfg_data_dir),
	KUNIT_CASE(cfg_check_ms),
	KUNIT_CASE(cfg_validate),
	{}
};

static struct kunit_suite config_suite = {
	.name = "raftlog_config",
	.test_cases = config_cases,
};

kunit_test_suite(config_suite);
