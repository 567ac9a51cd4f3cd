/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A userspace stand-in for the part of <kunit/test.h> (and of the kernel
 * headers the suites include) that raftlog's core and wire suites use, so
 * the very same suite files also run as a plain C program under
 * ASan/UBSan in seconds (tests/kunit/userspace.sh). The kernel build, with
 * KASAN and lockdep, remains the real run; this one is for speed and for
 * proving, with the core's mutants (tests/unit/mutants/), that the suites
 * can fail.
 */
#ifndef RAFTLOG_USPACE_KUNIT_H
#define RAFTLOG_USPACE_KUNIT_H

#include <errno.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define U32_MAX			UINT32_MAX
#define U64_MAX			UINT64_MAX
#define GFP_KERNEL		0
#define __maybe_unused		__attribute__((unused))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define min(a, b)		((a) < (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define MODULE_LICENSE(x)
#define MODULE_DESCRIPTION(x)
#define kmalloc(n, gfp)		malloc((n) ? (n) : 1)
#define kfree(p)		free(p)

/* Every allocation a case makes through kunit_*alloc(), freed after it. */
void *uspace_track(void *p);

static inline void *kmemdup(const void *p, size_t n, int gfp)
{
	void *q = malloc(n ? n : 1);

	(void)gfp;
	if (q && n)
		memcpy(q, p, n);
	return q;
}

static inline void *kunit_kmalloc(void *test, size_t n, int gfp)
{
	(void)test;
	(void)gfp;
	return uspace_track(malloc(n ? n : 1));
}

static inline void *kunit_kzalloc(void *test, size_t n, int gfp)
{
	(void)test;
	(void)gfp;
	return uspace_track(calloc(1, n ? n : 1));
}

static inline void *kunit_kcalloc(void *test, size_t n, size_t s, int gfp)
{
	(void)test;
	(void)gfp;
	return uspace_track(calloc(n ? n : 1, s ? s : 1));
}

static inline size_t strscpy(char *d, const char *s, size_t n)
{
	snprintf(d, n, "%s", s);
	return strlen(d);
}

static inline int scnprintf(char *b, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#include <stdarg.h>
static inline int scnprintf(char *b, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(b, n, fmt, ap);
	va_end(ap);
	if (r < 0)
		return 0;
	return (size_t)r >= n ? (int)n - 1 : r;
}

/* --- lists --- */
struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD(n) struct list_head n = { &(n), &(n) }

static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}

static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
}

static inline int list_empty(const struct list_head *h)
{
	return h->next == h;
}

static inline void list_splice_init(struct list_head *l, struct list_head *h)
{
	if (list_empty(l))
		return;
	l->prev->next = h->next;
	h->next->prev = l->prev;
	l->next->prev = h;
	h->next = l->next;
	INIT_LIST_HEAD(l);
}

#define list_entry(p, t, m) ((t *)((char *)(p) - offsetof(t, m)))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, typeof(*pos), member),	\
	     n = list_entry(pos->member.next, typeof(*pos), member);	\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, typeof(*n), member))

/* --- prandom --- */
struct rnd_state {
	u64 s;
};

static inline void prandom_seed_state(struct rnd_state *r, u64 seed)
{
	r->s = seed * 6364136223846793005ULL + 1;
}

static inline u32 prandom_u32_state(struct rnd_state *r)
{
	r->s = r->s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (u32)(r->s >> 33);
}

/* --- KUnit --- */
#define KUNIT_PARAM_DESC_SIZE 128

struct kunit {
	void *priv;
	const void *param_value;
	bool failed;
	jmp_buf abort;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char *name;
	int (*init)(struct kunit *test);
	void (*exit)(struct kunit *test);
	struct kunit_case *test_cases;
};

void uspace_register(struct kunit_suite *suite);
void uspace_fail(struct kunit *test, bool fatal, const char *file, int line,
		 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#define kunit_test_suite(s)						\
	__attribute__((constructor)) static void register_##s(void)	\
	{								\
		uspace_register(&(s));					\
	}
#define KUNIT_CASE(f)			{ .run_case = f, .name = #f }
#define KUNIT_CASE_PARAM(f, gen)	{ .run_case = f, .name = #f,	\
					  .generate_params = gen }
#define KUNIT_ARRAY_PARAM(name, array, get_desc)			\
	static const void *name##_gen_params(const void *prev, char *desc) \
	{								\
		typeof((array)[0]) *next = prev ?			\
			((typeof(next))prev) + 1 : (array);		\
		if ((size_t)(next - (array)) < ARRAY_SIZE(array)) {	\
			void (*d)(typeof(next), char *) = get_desc;	\
			if (d)						\
				d(next, desc);				\
			return next;					\
		}							\
		return NULL;						\
	}

#define UFAIL(t, fatal, ...) uspace_fail(t, fatal, __FILE__, __LINE__, __VA_ARGS__)
#define UBIN(t, a, op, b, fatal)					\
	do {								\
		typeof(a) a_ = (a);					\
		typeof(b) b_ = (b);					\
		if (!(a_ op b_))					\
			UFAIL(t, fatal, "%s %s %s (%lld vs %lld)", #a,	\
			      #op, #b, (long long)a_, (long long)b_);	\
	} while (0)
#define UCHK(t, c, fatal, what)						\
	do {								\
		if (!(c))						\
			UFAIL(t, fatal, "%s", what);			\
	} while (0)

#define KUNIT_EXPECT_EQ(t, a, b)	UBIN(t, a, ==, b, false)
#define KUNIT_EXPECT_NE(t, a, b)	UBIN(t, a, !=, b, false)
#define KUNIT_EXPECT_LT(t, a, b)	UBIN(t, a, <, b, false)
#define KUNIT_EXPECT_LE(t, a, b)	UBIN(t, a, <=, b, false)
#define KUNIT_EXPECT_GT(t, a, b)	UBIN(t, a, >, b, false)
#define KUNIT_EXPECT_GE(t, a, b)	UBIN(t, a, >=, b, false)
#define KUNIT_ASSERT_EQ(t, a, b)	UBIN(t, a, ==, b, true)
#define KUNIT_ASSERT_NE(t, a, b)	UBIN(t, a, !=, b, true)
#define KUNIT_ASSERT_LT(t, a, b)	UBIN(t, a, <, b, true)
#define KUNIT_ASSERT_LE(t, a, b)	UBIN(t, a, <=, b, true)
#define KUNIT_ASSERT_GT(t, a, b)	UBIN(t, a, >, b, true)
#define KUNIT_ASSERT_GE(t, a, b)	UBIN(t, a, >=, b, true)
#define KUNIT_EXPECT_EQ_MSG(t, a, b, ...)	UBIN(t, a, ==, b, false)
#define KUNIT_EXPECT_NE_MSG(t, a, b, ...)	UBIN(t, a, !=, b, false)
#define KUNIT_ASSERT_EQ_MSG(t, a, b, ...)	UBIN(t, a, ==, b, true)
#define KUNIT_EXPECT_TRUE(t, c)		UCHK(t, (c), false, #c)
#define KUNIT_EXPECT_FALSE(t, c)	UCHK(t, !(c), false, "!(" #c ")")
#define KUNIT_EXPECT_TRUE_MSG(t, c, ...)  UCHK(t, (c), false, #c)
#define KUNIT_EXPECT_FALSE_MSG(t, c, ...) UCHK(t, !(c), false, "!(" #c ")")
#define KUNIT_ASSERT_TRUE(t, c)		UCHK(t, (c), true, #c)
#define KUNIT_ASSERT_FALSE(t, c)	UCHK(t, !(c), true, "!(" #c ")")
#define KUNIT_EXPECT_NULL(t, p)		UCHK(t, !(p), false, #p " is NULL")
#define KUNIT_EXPECT_NOT_NULL(t, p)	UCHK(t, (p), false, #p " not NULL")
#define KUNIT_ASSERT_NULL(t, p)		UCHK(t, !(p), true, #p " is NULL")
#define KUNIT_ASSERT_NOT_NULL(t, p)	UCHK(t, (p), true, #p " not NULL")
#define KUNIT_ASSERT_NOT_NULL_MSG(t, p, ...) UCHK(t, (p), true, #p " not NULL")
#define KUNIT_ASSERT_NOT_ERR_OR_NULL(t, p) UCHK(t, (p), true, #p " not NULL")
#define KUNIT_EXPECT_PTR_EQ(t, a, b)					\
	UCHK(t, (const void *)(a) == (const void *)(b), false, #a " == " #b)
#define KUNIT_EXPECT_STREQ(t, a, b)	UCHK(t, !strcmp(a, b), false, #a " streq " #b)
#define KUNIT_ASSERT_STREQ(t, a, b)	UCHK(t, !strcmp(a, b), true, #a " streq " #b)
#define KUNIT_EXPECT_STRNEQ(t, a, b)	UCHK(t, strcmp(a, b), false, #a " strneq " #b)
#define KUNIT_FAIL(t, ...)		UFAIL(t, false, __VA_ARGS__)
#define KUNIT_ASSERT_FAILURE(t, ...)	UFAIL(t, true, __VA_ARGS__)
#define kunit_err(t, ...)		UFAIL(t, false, __VA_ARGS__)

#endif /* RAFTLOG_USPACE_KUNIT_H */
