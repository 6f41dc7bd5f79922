/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's emulated link, measured against what was asked: a constant
 * delay keeps order, reorder and dup fractions fall in their binomial
 * intervals (with and without a delay), jitter spreads uniformly over
 * +-jitter, new parameters apply without losing a queued reply.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_impair.h"
#include "mp_test.h"

#define CAP		4096
#define N		200000
#define GAP		1000		/* ticks between arrivals */
#define Z999		3.29		/* two-sided 99.9% normal quantile */

static struct mp_impair_item heap[CAP];

/* Replies are numbered 1..n, carried as the packet pointer; copies as -k. */
#define PKT(k)		((void *)(intptr_t)(k))
#define NUM(p)		((long)(intptr_t)(p))

struct run {
	long *out;		/* what left, in order */
	uint64_t *at;		/* and when */
	uint64_t *entered;	/* when reply k entered, by k */
	size_t n_out;
	uint64_t reordered;	/* RFC 4737 over the originals */
	uint64_t dups;
};

static void
params(struct mp_impair_params *p, uint32_t loss, uint32_t dup, uint32_t reorder,
       uint64_t delay, uint64_t jitter)
{
	memset(p, 0, sizeof(*p));
	p->loss_ppm = loss;
	p->dup_ppm = dup;
	p->reorder_ppm = reorder;
	p->delay = delay;
	p->jitter = jitter;
	p->hold_max = 10 * GAP;
}

static void
drain_until(struct mp_impair *q, struct run *r, uint64_t now)
{
	void *p;

	while ((p = mp_impair_pop(q, now)) != NULL) {
		r->at[r->n_out] = now;
		r->out[r->n_out++] = NUM(p);
	}
}

/*
 * Feed n replies, burst at a time (a burst shares one entry time, as in
 * the reflector), one burst every GAP * burst ticks; pop at every tick
 * step of GAP / 4. Then count RFC 4737 reordering over the output.
 */
static void
feed(struct mp_impair *q, struct run *r, long n, int burst)
{
	uint64_t now = 1000000, next_in = now;
	long k = 1, next_exp = 1, i;

	r->out = calloc((size_t)n * 2 + 16, sizeof(*r->out));
	r->at = calloc((size_t)n * 2 + 16, sizeof(*r->at));
	r->entered = calloc((size_t)n + 2, sizeof(*r->entered));
	ck_assert(r->out != NULL && r->at != NULL && r->entered != NULL);
	r->n_out = 0;
	while (k <= n || mp_impair_pending(q) > 0) {
		if (k <= n && now >= next_in) {
			int b;

			for (b = 0; b < burst && k <= n; b++, k++) {
				enum mp_impair_verdict v = mp_impair_admit(q);

				r->entered[k] = now;
				if (v == MP_IMPAIR_DROP)
					continue;
				ck_assert_int_eq(mp_impair_push(q, now, PKT(k),
								v == MP_IMPAIR_DUP ? PKT(-k) : NULL), 0);
			}
			next_in += (uint64_t)GAP * burst;
		}
		drain_until(q, r, now);
		now += GAP / 4;
	}
	r->reordered = 0;
	r->dups = 0;
	for (i = 0; i < (long)r->n_out; i++) {
		long v = r->out[i];

		if (v < 0) {
			r->dups++;
			continue;
		}
		if (v < next_exp)
			r->reordered++;
		else
			next_exp = v + 1;
	}
}

static void
run_free(struct run *r)
{
	free(r->out);
	free(r->at);
	free(r->entered);
}

/* |x - n p| within the two-sided 99.9% binomial (normal) interval. */
static void
assert_binomial(const char *what, uint64_t x, uint64_t n, double p)
{
	double mean = n * p, sd = sqrt(n * p * (1 - p));

	if (fabs((double)x - mean) > Z999 * sd + 1)
		ck_abort_msg("%s: %lu of %lu, want %.1f +- %.1f (99.9%%)", what,
			     (unsigned long)x, (unsigned long)n, mean, Z999 * sd + 1);
}

/* The issue: a constant delay reordered hundreds of equal-time replies. */
START_TEST(constant_delay_keeps_order)
{
	struct mp_impair q;
	struct mp_impair_params p;
	struct run r;
	size_t i;

	mp_impair_init(&q, heap, CAP, 42);
	params(&p, 0, 0, 0, 2000 * GAP / 1000 * 7, 0);
	ck_assert_int_eq(mp_impair_check(&p, (char[64]){ 0 }, 64), 0);
	mp_impair_set(&q, &p);
	feed(&q, &r, 50000, 8);		/* bursts of 8 with one entry time */
	ck_assert_uint_eq(r.n_out, 50000);
	ck_assert_uint_eq(r.reordered, 0);
	for (i = 0; i < r.n_out; i++) {
		ck_assert_int_eq(r.out[i], (long)i + 1);
		/* released exactly delay after entry (the pop grid is GAP / 4) */
		ck_assert_uint_ge(r.at[i] - r.entered[r.out[i]], p.delay);
		ck_assert_uint_lt(r.at[i] - r.entered[r.out[i]], p.delay + GAP / 4);
	}
	run_free(&r);
}
END_TEST

/* Lowering the delay with replies queued: none is lost, none overtaken. */
START_TEST(lower_delay_is_fifo_and_lossless)
{
	struct mp_impair q;
	struct mp_impair_params p;
	uint64_t now = 0;
	long k, want = 1;
	void *pkt;

	mp_impair_init(&q, heap, CAP, 7);
	params(&p, 0, 0, 0, 50 * GAP, 0);
	mp_impair_set(&q, &p);
	for (k = 1; k <= 100; k++, now += GAP) {
		if (k == 40) {
			params(&p, 0, 0, 0, 2 * GAP, 0);
			mp_impair_set(&q, &p);
		}
		ck_assert_int_eq(mp_impair_push(&q, now, PKT(k), NULL), 0);
		while ((pkt = mp_impair_pop(&q, now)) != NULL)
			ck_assert_int_eq(NUM(pkt), want++);
	}
	for (; mp_impair_pending(&q) > 0; now += GAP)
		while ((pkt = mp_impair_pop(&q, now)) != NULL)
			ck_assert_int_eq(NUM(pkt), want++);
	ck_assert_int_eq(want, 101);
	/* and raising it: queued ones keep their time, new ones take the new delay */
	params(&p, 0, 0, 0, 30 * GAP, 0);
	mp_impair_set(&q, &p);
	ck_assert_int_eq(mp_impair_push(&q, now, PKT(1), NULL), 0);
	ck_assert_ptr_null(mp_impair_pop(&q, now + 30 * GAP - 1));
	ck_assert_ptr_eq(mp_impair_pop(&q, now + 30 * GAP), PKT(1));
}
END_TEST

static void
check_reorder(uint64_t delay, int burst)
{
	static const uint32_t ppm[] = { 10000, 30000, 200000, 500000 };
	size_t i;

	for (i = 0; i < sizeof(ppm) / sizeof(ppm[0]); i++) {
		struct mp_impair q;
		struct mp_impair_params p;
		struct run r;

		mp_impair_init(&q, heap, CAP, 1000 + i);
		params(&p, 0, 0, ppm[i], delay, 0);
		mp_impair_set(&q, &p);
		feed(&q, &r, N, burst);
		ck_assert_uint_eq(r.n_out, N);
		assert_binomial("reordered", r.reordered, N, ppm[i] / 1e6);
		/* the reflector's counter says the same as the receiver */
		ck_assert_uint_eq(q.reordered, r.reordered);
		/* only the very last reply can be held with none after it */
		ck_assert_uint_le(q.hold_expired, 1);
		run_free(&r);
	}
}

START_TEST(reorder_fraction)
{
	check_reorder(0, 1);
}
END_TEST

/* The issue: reorder was silently ignored whenever a delay was set. */
START_TEST(reorder_fraction_with_delay)
{
	check_reorder(500 * GAP / 100, 1);
	check_reorder(500 * GAP / 100, 4);
}
END_TEST

START_TEST(dup_fraction)
{
	static const uint64_t delays[] = { 0, 3 * GAP };
	size_t i;

	for (i = 0; i < 2; i++) {
		struct mp_impair q;
		struct mp_impair_params p;
		struct run r;

		mp_impair_init(&q, heap, CAP, 99 + i);
		params(&p, 0, 20000, 0, delays[i], 0);
		mp_impair_set(&q, &p);
		feed(&q, &r, N, 1);
		ck_assert_uint_eq(r.n_out, N + r.dups);
		assert_binomial("duplicated", r.dups, N, 0.02);
		/* a copy follows its original: no reordering from dup */
		ck_assert_uint_eq(r.reordered, 0);
		ck_assert_uint_eq(q.duplicated, r.dups);
		run_free(&r);
	}
}
END_TEST

START_TEST(loss_fraction)
{
	struct mp_impair q;
	struct mp_impair_params p;
	struct run r;

	mp_impair_init(&q, heap, CAP, 5);
	params(&p, 50000, 0, 0, 0, 0);
	mp_impair_set(&q, &p);
	feed(&q, &r, N, 1);
	assert_binomial("dropped", N - r.n_out, N, 0.05);
	ck_assert_uint_eq(q.dropped, N - r.n_out);
	run_free(&r);
}
END_TEST

/* All of them at once (the delay 500, jitter 200, dup 2%, reorder 3%). */
START_TEST(everything_together)
{
	struct mp_impair q;
	struct mp_impair_params p;
	struct run r;

	mp_impair_init(&q, heap, CAP, 11);
	params(&p, 10000, 20000, 30000, 500 * GAP / 100, 0);
	mp_impair_set(&q, &p);
	feed(&q, &r, N, 1);
	assert_binomial("dropped", q.dropped, N, 0.01);
	assert_binomial("duplicated", r.dups, N - q.dropped, 0.02);
	assert_binomial("reordered", r.reordered, N - q.dropped, 0.03);
	run_free(&r);
	/* with jitter on top, reordering can only grow; everything still arrives */
	mp_impair_init(&q, heap, CAP, 12);
	params(&p, 0, 20000, 30000, 500 * GAP / 100, 200 * GAP / 100);
	mp_impair_set(&q, &p);
	feed(&q, &r, N, 1);
	ck_assert_uint_eq(r.n_out, N + r.dups);
	ck_assert_uint_ge(r.reordered, q.reordered);
	run_free(&r);
}
END_TEST

/* Uniform +-j: every delay in [d-j, d+j], quartiles where uniform puts them. */
START_TEST(jitter_spread)
{
	struct mp_impair q;
	struct mp_impair_params p;
	uint64_t d = 100000, j = 40000, lo = UINT64_MAX, hi = 0, quart[4] = { 0 };
	long k;
	void *pkt;

	mp_impair_init(&q, heap, CAP, 3);
	params(&p, 0, 0, 0, d, j);
	mp_impair_set(&q, &p);
	for (k = 0; k < N; k++) {
		uint64_t t;

		/* one at a time, popped at its exact release: the delay it got */
		ck_assert_int_eq(mp_impair_push(&q, 0, PKT(1), NULL), 0);
		t = mp_impair_next_due(&q);
		pkt = mp_impair_pop(&q, t);
		ck_assert_ptr_eq(pkt, PKT(1));
		lo = t < lo ? t : lo;
		hi = t > hi ? t : hi;
		ck_assert_uint_ge(t, d - j);
		ck_assert_uint_le(t, d + j);
		quart[(t - (d - j)) * 4 / (2 * j + 1)]++;
	}
	ck_assert_uint_le(lo, d - j + 2 * j / 1000);
	ck_assert_uint_ge(hi, d + j - 2 * j / 1000);
	for (k = 0; k < 4; k++)
		assert_binomial("quartile", quart[k], N, 0.25);
}
END_TEST

/* A held reply with nothing to overtake it goes alone after hold_max. */
START_TEST(hold_expires)
{
	struct mp_impair q;
	struct mp_impair_params p;

	mp_impair_init(&q, heap, CAP, 1);
	params(&p, 0, 0, 500000, 0, 0);
	mp_impair_set(&q, &p);
	/* find a held one */
	for (;;) {
		ck_assert_int_eq(mp_impair_push(&q, 0, PKT(1), NULL), 0);
		if (mp_impair_pop(&q, 0) == NULL)
			break;
	}
	ck_assert_uint_eq(mp_impair_next_due(&q), p.hold_max);
	ck_assert_ptr_null(mp_impair_pop(&q, p.hold_max - 1));
	ck_assert_ptr_eq(mp_impair_pop(&q, p.hold_max), PKT(1));
	ck_assert_uint_eq(q.hold_expired, 1);
	ck_assert_uint_eq(q.reordered, 0);
	ck_assert_uint_eq(mp_impair_pending(&q), 0);
}
END_TEST

START_TEST(overflow_is_counted)
{
	struct mp_impair q;
	struct mp_impair_params p;
	static struct mp_impair_item small[3];

	mp_impair_init(&q, small, 3, 1);
	params(&p, 0, 0, 0, 10, 0);
	mp_impair_set(&q, &p);
	ck_assert_int_eq(mp_impair_push(&q, 0, PKT(1), PKT(-1)), 0);
	ck_assert_int_eq(mp_impair_push(&q, 0, PKT(2), PKT(-2)), -ENOSPC);
	ck_assert_uint_eq(q.overflow, 2);
	ck_assert_int_eq(mp_impair_push(&q, 0, PKT(2), NULL), 0);
	ck_assert_ptr_nonnull(mp_impair_drain(&q));
	ck_assert_ptr_nonnull(mp_impair_drain(&q));
	ck_assert_ptr_nonnull(mp_impair_drain(&q));
	ck_assert_ptr_null(mp_impair_drain(&q));
}
END_TEST

START_TEST(check_refuses)
{
	struct mp_impair_params p;
	char err[160];

	params(&p, 0, 0, 500001, 0, 0);
	ck_assert_int_eq(mp_impair_check(&p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "reorder"));
	params(&p, 0, 0, 0, 100, 101);
	ck_assert_int_eq(mp_impair_check(&p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "jitter"));
	params(&p, 1000001, 0, 0, 0, 0);
	ck_assert_int_eq(mp_impair_check(&p, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "loss"));
	params(&p, 1000000, 1000000, 500000, 100, 100);
	ck_assert_int_eq(mp_impair_check(&p, err, sizeof(err)), 0);
	ck_assert(mp_impair_params_active(&p));
	params(&p, 0, 0, 0, 0, 0);
	ck_assert(!mp_impair_params_active(&p));
}
END_TEST

static Suite *
impair_suite(void)
{
	Suite *s = suite_create("impair");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, constant_delay_keeps_order);
	tcase_add_test(tc, lower_delay_is_fifo_and_lossless);
	tcase_add_test(tc, reorder_fraction);
	tcase_add_test(tc, reorder_fraction_with_delay);
	tcase_add_test(tc, dup_fraction);
	tcase_add_test(tc, loss_fraction);
	tcase_add_test(tc, everything_together);
	tcase_add_test(tc, jitter_spread);
	tcase_add_test(tc, hold_expires);
	tcase_add_test(tc, overflow_is_counted);
	tcase_add_test(tc, check_refuses);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(impair_suite)
