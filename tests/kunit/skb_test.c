// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite: the wire codec fed from real socket buffers, the way the
 * UDP receive path sees datagrams: linear skbs, skbs whose payload sits in
 * page fragments (the peek must only need the pulled header, the decode
 * the linearized whole), clones, and trimmed skbs.
 */
#include <kunit/test.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <linux/slab.h>

#include "raft/wire.h"
#include "wire_samples.h"

static void sample_desc(const struct ws_sample *s, char *desc)
{
	strscpy(desc, s->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(sample, ws_samples_array, sample_desc);

/* An skb as the UDP layer hands it over: headroom, then the datagram. */
static struct sk_buff *linear_skb(struct kunit *test, const u8 *buf,
				  size_t len)
{
	struct sk_buff *skb = alloc_skb(len + 128, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	skb_reserve(skb, 128);
	skb_put_data(skb, buf, len);
	return skb;
}

/*
 * @head bytes in the linear part, the rest split over page fragments of
 * about @frag bytes each (more when MAX_SKB_FRAGS would not hold them).
 */
static struct sk_buff *frag_skb(struct kunit *test, const u8 *buf, size_t len,
				size_t head, size_t frag)
{
	struct sk_buff *skb;
	size_t off = head;

	frag = max(frag, DIV_ROUND_UP(len - head, MAX_SKB_FRAGS - 1));
	KUNIT_ASSERT_LE(test, frag, PAGE_SIZE);
	skb = alloc_skb(head + 128, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, skb);
	skb_reserve(skb, 128);
	skb_put_data(skb, buf, head);
	while (off < len) {
		size_t n = min(len - off, frag);
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page)
			kfree_skb(skb);
		KUNIT_ASSERT_NOT_NULL(test, page);
		KUNIT_ASSERT_LT(test, skb_shinfo(skb)->nr_frags, MAX_SKB_FRAGS);
		memcpy(page_address(page), buf + off, n);
		skb_add_rx_frag(skb, skb_shinfo(skb)->nr_frags, page, 0, n,
				PAGE_SIZE);
		off += n;
	}
	return skb;
}

static int skb_decode(struct kunit *test, struct sk_buff *skb,
		      struct raft_msg *m)
{
	struct raft_entry *ents = kunit_kcalloc(test, RAFT_MAX_BATCH,
						sizeof(*ents), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ents);
	return raft_wire_decode(skb->data, skb->len, WS_CLUSTER,
				RAFT_ENTRY_SIZE_LIMIT, m, ents,
				RAFT_MAX_BATCH);
}

static void skb_linear_roundtrip(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	struct raft_wire_hdr hdr;
	struct raft_msg m;
	struct sk_buff *skb;
	size_t len;
	u8 *buf;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	skb = linear_skb(test, buf, len);
	KUNIT_EXPECT_EQ(test, raft_wire_peek(skb->data, skb->len, WS_CLUSTER,
					     &hdr), RAFT_WIRE_OK);
	KUNIT_EXPECT_EQ(test, skb_decode(test, skb, &m), RAFT_WIRE_OK);
	ws_expect_equal(test, &s->m, &m);
	kfree_skb(skb);
}

/*
 * The receive path pulls only the header to peek (softirq, cheap), and
 * linearizes in the event loop before the full decode.
 */
static void skb_fragmented_roundtrip(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	struct raft_wire_hdr hdr;
	struct raft_msg m;
	struct sk_buff *skb;
	size_t len;
	u8 *buf;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	skb = frag_skb(test, buf, len, min_t(size_t, len, 8), 1000);
	KUNIT_EXPECT_EQ(test, skb->len, (unsigned int)len);
	if (len > 8)
		KUNIT_EXPECT_TRUE(test, skb_is_nonlinear(skb));
	KUNIT_ASSERT_TRUE(test, pskb_may_pull(skb, RAFT_WIRE_HDR_LEN));
	KUNIT_EXPECT_EQ(test, raft_wire_peek(skb->data, skb->len, WS_CLUSTER,
					     &hdr), RAFT_WIRE_OK);
	KUNIT_EXPECT_EQ(test, hdr.length, (u32)(len - RAFT_WIRE_HDR_LEN));
	KUNIT_ASSERT_EQ(test, skb_linearize(skb), 0);
	KUNIT_EXPECT_FALSE(test, skb_is_nonlinear(skb));
	KUNIT_EXPECT_EQ(test, skb_decode(test, skb, &m), RAFT_WIRE_OK);
	ws_expect_equal(test, &s->m, &m);
	kfree_skb(skb);
}

/* The decoded message points into the skb: a clone keeps it alive. */
static void skb_clone_outlives_original(struct kunit *test)
{
	const struct ws_sample *s = &ws_samples[7];	/* append_3 */
	struct sk_buff *skb, *clone;
	struct raft_msg m;
	size_t len;
	u8 *buf;

	ws_init();
	KUNIT_ASSERT_STREQ(test, s->name, "append_3");
	buf = ws_encode(test, &s->m, &len);
	skb = linear_skb(test, buf, len);
	clone = skb_clone(skb, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, clone);
	KUNIT_ASSERT_EQ(test, skb_decode(test, clone, &m), RAFT_WIRE_OK);
	kfree_skb(skb);
	ws_expect_equal(test, &s->m, &m);
	kfree_skb(clone);
}

/* A datagram trimmed short (a truncated UDP payload) is refused. */
static void skb_trimmed(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	struct raft_wire_hdr hdr;
	struct raft_msg m;
	struct sk_buff *skb;
	size_t len;
	u8 *buf;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	skb = frag_skb(test, buf, len, min_t(size_t, len, 64), 512);
	pskb_trim(skb, len - 1);
	KUNIT_ASSERT_EQ(test, skb_linearize(skb), 0);
	KUNIT_EXPECT_NE(test, raft_wire_peek(skb->data, skb->len, WS_CLUSTER,
					     &hdr), RAFT_WIRE_OK);
	KUNIT_EXPECT_NE(test, skb_decode(test, skb, &m), RAFT_WIRE_OK);
	kfree_skb(skb);
}

/*
 * skb_copy_bits() into a flat buffer is the other way to get at a
 * fragmented datagram; it must give the same message.
 */
static void skb_copy_bits_roundtrip(struct kunit *test)
{
	const struct ws_sample *s = test->param_value;
	struct raft_entry *ents;
	struct raft_msg m;
	struct sk_buff *skb;
	size_t len;
	u8 *buf, *flat;

	ws_init();
	buf = ws_encode(test, &s->m, &len);
	skb = frag_skb(test, buf, len, min_t(size_t, len, 40), 333);
	flat = kunit_kmalloc(test, skb->len, GFP_KERNEL);
	ents = kunit_kcalloc(test, RAFT_MAX_BATCH, sizeof(*ents), GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, flat);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ents);
	KUNIT_ASSERT_EQ(test, skb_copy_bits(skb, 0, flat, skb->len), 0);
	KUNIT_EXPECT_EQ(test, raft_wire_decode(flat, skb->len, WS_CLUSTER,
					       RAFT_ENTRY_SIZE_LIMIT, &m, ents,
					       RAFT_MAX_BATCH),
			RAFT_WIRE_OK);
	ws_expect_equal(test, &s->m, &m);
	kfree_skb(skb);
}

static struct kunit_case skb_cases[] = {
	KUNIT_CASE_PARAM(skb_linear_roundtrip, sample_gen_params),
	KUNIT_CASE_PARAM(skb_fragmented_roundtrip, sample_gen_params),
	KUNIT_CASE_PARAM(skb_trimmed, sample_gen_params),
	KUNIT_CASE_PARAM(skb_copy_bits_roundtrip, sample_gen_params),
	KUNIT_CASE(skb_clone_outlives_original),
	{}
};

static struct kunit_suite skb_suite = {
	.name = "raftlog_wire_skb",
	.test_cases = skb_cases,
};

kunit_test_suite(skb_suite);
