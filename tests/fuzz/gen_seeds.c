// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpora of the fuzz targets, so that no binary blob has
 * to live in the tree: `gen_seeds WIRE_DIR NODE_DIR`.
 *
 * WIRE_DIR gets one valid datagram per message type (and a few variants),
 * made with the real encoder. NODE_DIR gets command scripts for fuzz_node
 * (see fuzz.h) that elect a leader, replicate proposals and inject some of
 * the same datagrams.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frag.h"
#include "wire.h"
#include "fuzz.h"

static const char *wire_dir;
static const char *node_dir;

static void write_file(const char *dir, const char *name, const u8 *buf,
		       size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, len, f) != len || fclose(f)) {
		fprintf(stderr, "gen_seeds: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static size_t must_encode(const struct raft_msg *m, u8 *buf, size_t cap)
{
	int n = raft_wire_encode(m, FUZZ_CLUSTER_ID, buf, cap);

	if (n < 0) {
		fprintf(stderr, "gen_seeds: cannot encode type %u: %s\n", m->type,
			raft_wire_strerror(n));
		exit(1);
	}
	return (size_t)n;
}

/* The datagrams every seed set is made of. */
static size_t make_msgs(struct raft_msg *msgs, struct raft_entry *ents)
{
	static const u8 hello[] = "hello, raft";
	static const u8 x[] = "x";
	static const u8 conf[] = "\x01\x02members";
	static u8 big[3000];
	size_t n = 0, i;

	for (i = 0; i < sizeof(big); i++)
		big[i] = (u8)(i * 7 + 3);

	ents[0] = (struct raft_entry){ .term = 1, .type = RAFT_ENTRY_NOOP };
	ents[1] = (struct raft_entry){ .term = 2, .session = 0x5e55105e55ULL,
				       .seq = 1, .len = sizeof(hello) - 1,
				       .type = RAFT_ENTRY_NORMAL,
				       .data = hello };
	ents[2] = (struct raft_entry){ .term = 2, .session = 0x5e55105e55ULL,
				       .seq = 2, .len = 1,
				       .type = RAFT_ENTRY_NORMAL, .data = x };
	/* entries 4, 5 (after prev_index 3): a configuration, a big one */
	ents[3] = (struct raft_entry){ .term = 2, .len = sizeof(conf) - 1,
				       .type = RAFT_ENTRY_CONFIG,
				       .data = conf };
	ents[4] = (struct raft_entry){ .term = 2, .session = 0x5e55105e55ULL,
				       .seq = 3, .len = sizeof(big),
				       .type = RAFT_ENTRY_NORMAL, .data = big };
	/* the leader's crcs, at indexes 1, 2, 3 and 4, 5 */
	for (i = 0; i < 5; i++)
		ents[i].crc = raft_entry_crc(i + 1, &ents[i]);

	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_PREVOTE, .from = 1,
		.to = 2, .term = 3, .vote = { .last_index = 4,
					     .last_term = 2 } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_PREVOTE_RESP,
		.from = 2, .to = 1, .term = 3, .vote_resp = { true } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_VOTE, .from = 1,
		.to = 3, .term = 3, .vote = { .last_index = 4,
					     .last_term = 2 } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_VOTE_RESP, .from = 3,
		.to = 1, .term = 3, .vote_resp = { false } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_APPEND, .from = 1,
		.to = 2, .term = 2, .append = { .prev_index = 0,
		.prev_term = 0, .commit = 1, .n_entries = 3,
		.entries = ents } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_APPEND, .from = 1,
		.to = 3, .term = 2, .append = { .prev_index = 3,
		.prev_term = 2, .commit = 3 } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_APPEND_RESP,
		.from = 2, .to = 1, .term = 2, .append_resp = {
		.success = true, .index = 3 } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_APPEND_RESP,
		.from = 3, .to = 1, .term = 2, .append_resp = {
		.success = false, .index = 5, .hint_index = 2,
		.hint_term = 1 } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_HEARTBEAT, .from = 1,
		.to = 2, .term = 2, .heartbeat = { .commit = 3 } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_HEARTBEAT_RESP,
		.from = 2, .to = 1, .term = 2 };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_PROPOSE, .from = 2,
		.to = 1, .term = 2, .propose = { .session = 0x5e55105e55ULL,
		.seq = 3, .start = 1, .len = sizeof(hello) - 1,
		.data = hello } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_PROPOSE_RESP,
		.from = 1, .to = 2, .term = 2, .propose_resp = {
		.session = 0x5e55105e55ULL, .seq = 3, .index = 4, .term = 2,
		.status = RAFT_OK } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_PROPOSE_RESP,
		.from = 1, .to = 2, .term = 2, .propose_resp = {
		.session = 0x5e55105e55ULL, .seq = 4,
		.status = RAFT_ENOTLEADER } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_PROPOSE_RESP,
		.from = 1, .to = 3, .term = 2, .propose_resp = {
		.session = 0x5e55105e56ULL, .seq = 1,
		.status = RAFT_ELOST } };
	/* version 3: a transfer's vote, TIMEOUT_NOW, CONFIG and big entries */
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_VOTE, .from = 2,
		.to = 3, .term = 4, .vote = { .last_index = 4,
					     .last_term = 2,
					     .transfer = true } };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_TIMEOUT_NOW,
		.from = 1, .to = 2, .term = 2 };
	msgs[n++] = (struct raft_msg){ .type = RAFT_MSG_APPEND, .from = 1,
		.to = 2, .term = 2, .append = { .prev_index = 3,
		.prev_term = 2, .commit = 3, .n_entries = 2,
		.entries = ents + 3 } };
	return n;
}

/* The big APPEND (the last message) as fragments of 1400-byte datagrams. */
static void frag_seeds(const struct raft_msg *m)
{
	u8 buf[RAFT_WIRE_MAX_LEN], frag[RAFT_DGRAM_DEFAULT];
	size_t len = must_encode(m, buf, sizeof(buf));
	u32 i, count = raft_frag_count(len, sizeof(frag), 0);
	char name[64];
	int n;

	for (i = 0; i < count && count > 1; i++) {
		n = raft_frag_build(buf, len, 1, i, sizeof(frag), 0, frag,
				    sizeof(frag));
		if (n < 0) {
			fprintf(stderr, "gen_seeds: fragment %u: %d\n", i, n);
			exit(1);
		}
		snprintf(name, sizeof(name), "fragment-%u-of-%u", i, count);
		write_file(wire_dir, name, frag, (size_t)n);
	}
}

static void wire_seeds(const struct raft_msg *msgs, size_t n)
{
	static const u8 key[RAFT_MAC_KEY_LEN] = "a seed's key, not the fuzzer's";
	u8 buf[RAFT_WIRE_DGRAM_MAX];
	char name[64];
	size_t i, len;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "msg-%02zu-type-%u", i,
			 msgs[i].type);
		len = must_encode(&msgs[i], buf, RAFT_WIRE_MAX_LEN);
		write_file(wire_dir, name, buf, len);
		/* the same with an authentication trailer */
		snprintf(name, sizeof(name), "sealed-%02zu-type-%u", i,
			 msgs[i].type);
		write_file(wire_dir, name, buf,
			   (size_t)raft_wire_seal(buf, len, sizeof(buf), key,
						  1, i + 1));
	}
}

/* A growing fuzz_node script. */
struct script {
	u8 buf[16384];
	size_t len;
};

static void put(struct script *s, const u8 *p, size_t n)
{
	if (s->len + n > sizeof(s->buf)) {
		fprintf(stderr, "gen_seeds: script too long\n");
		exit(1);
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
}

static void op(struct script *s, u8 code)
{
	put(s, &code, 1);
}

static void op1(struct script *s, u8 code, u8 a)
{
	u8 cmd[2] = { code, a };

	put(s, cmd, 2);
}

static void op2(struct script *s, u8 code, u8 a, u8 b)
{
	u8 cmd[3] = { code, a, b };

	put(s, cmd, 3);
}

/* The configuration selector of fuzz_node (see setup() there). */
static void config(struct script *s, u8 sel, u8 seed)
{
	u8 cfg[FUZZ_CONFIG_LEN] = { sel, seed };

	s->len = 0;
	put(s, cfg, sizeof(cfg));
}

static void op_propose(struct script *s, u8 node, const char *text)
{
	u8 cmd[3] = { FUZZ_OP_PROPOSE, node, (u8)strlen(text) };

	put(s, cmd, 3);
	put(s, (const u8 *)text, strlen(text));
}

static void op_datagram(struct script *s, u8 node, const struct raft_msg *m)
{
	u8 buf[4096];
	size_t n = must_encode(m, buf, sizeof(buf));
	u8 cmd[4] = { FUZZ_OP_DATAGRAM, node, (u8)n, (u8)(n >> 8) };

	put(s, cmd, 4);
	put(s, buf, n);
}

static void node_seeds(const struct raft_msg *msgs, size_t n)
{
	struct script s;
	char name[64];
	size_t i;

	/* Elect, propose on the leader and on followers, replicate. */
	config(&s, 0, 0);
	op1(&s, FUZZ_OP_RUN, 40);
	op_propose(&s, 0, "one");
	op_propose(&s, 1, "two");
	op_propose(&s, 2, "three");
	op1(&s, FUZZ_OP_RUN, 10);
	op2(&s, FUZZ_OP_PROPOSE_BIG, 0, 4096 & 0xff);
	op(&s, 4096 >> 8);	/* the length's high byte */
	op1(&s, FUZZ_OP_RUN, 10);
	op1(&s, FUZZ_OP_RESTART, 1);
	op1(&s, FUZZ_OP_RUN, 20);
	write_file(node_dir, "elect-and-replicate", s.buf, s.len);

	/* Step by step, with loss, duplication and a crash. */
	config(&s, 0x21, 1);
	for (i = 0; i < 40; i++) {
		op2(&s, FUZZ_OP_TICK, (u8)(i % 3), 3);
		op1(&s, FUZZ_OP_DELIVER, 2);
		if (i % 7 == 3)
			op(&s, FUZZ_OP_DROP);
		if (i % 5 == 1)
			op(&s, FUZZ_OP_DUP);
		if (i % 4 == 2)
			op_propose(&s, (u8)(i % 3), "p");
		if (i == 25)
			op1(&s, FUZZ_OP_RESTART, 0);
	}
	write_file(node_dir, "lossy-steps", s.buf, s.len);

	/* Crashes before persisting, on the leader and on followers. */
	config(&s, 0x80, 2);
	op1(&s, FUZZ_OP_RUN, 30);
	for (i = 0; i < 12; i++) {
		op_propose(&s, (u8)i, "c");
		op1(&s, FUZZ_OP_CRASH, (u8)(i / 3));
		op1(&s, FUZZ_OP_DELIVER, 3);
		op1(&s, FUZZ_OP_RUN, 2);
	}
	op1(&s, FUZZ_OP_RUN, 30);
	write_file(node_dir, "crash-before-persist", s.buf, s.len);

	/*
	 * A forwarded proposal reaching a node that has no term yet (as a
	 * node restarted without data_dir would): its answer must still be
	 * a valid datagram.
	 */
	config(&s, 0, 3);
	for (i = 0; i < n; i++)
		if (msgs[i].type == RAFT_MSG_PROPOSE)
			op_datagram(&s, (u8)(msgs[i].to - 1), &msgs[i]);
	write_file(node_dir, "propose-at-term-0", s.buf, s.len);

	/* Every datagram type injected into a running cluster. */
	for (i = 0; i < n; i++) {
		config(&s, (u8)(i * 37), (u8)i);
		op1(&s, FUZZ_OP_RUN, 30);
		op_datagram(&s, (u8)(msgs[i].to - 1), &msgs[i]);
		op1(&s, FUZZ_OP_RUN, 5);
		snprintf(name, sizeof(name), "inject-%02zu-type-%u", i,
			 msgs[i].type);
		write_file(node_dir, name, s.buf, s.len);
	}
}

static void usage(FILE *f, const char *prog)
{
	fprintf(f, "Usage: %s WIRE_DIR NODE_DIR\n"
		"Writes the seed corpora of fuzz_wire and fuzz_node.\n", prog);
}

int main(int argc, char **argv)
{
	struct raft_entry ents[5];
	struct raft_msg msgs[24];
	size_t n;

	if (argc == 2 && !strcmp(argv[1], "--help")) {
		usage(stdout, argv[0]);
		return 0;
	}
	if (argc != 3) {
		usage(stderr, argv[0]);
		return 2;
	}
	wire_dir = argv[1];
	node_dir = argv[2];
	n = make_msgs(msgs, ents);
	wire_seeds(msgs, n);
	frag_seeds(&msgs[n - 1]);
	node_seeds(msgs, n);
	return 0;
}
