/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The round-trip histogram's Prometheus buckets (control/rtt_buckets.c):
 * the ladder plus every SLA threshold, sorted and distinct; cumulative
 * counts that never count a sample as under an edge it exceeds, and that
 * are exact wherever a metroprobe bucket does not straddle the edge.
 */
#include <check.h>
#include <math.h>
#include <string.h>

#include "mp_test.h"
#include "rtt_buckets.h"

static struct rtt_buckets b;
static struct hist h;

START_TEST(test_edges)
{
	const double th[] = { 0.002, 0.001, NAN, -1, 0.002, 0.0000317 };
	int i;

	rtt_buckets_init(&b, th, 6);
	for (i = 1; i < b.n; i++)
		ck_assert(b.edge_s[i - 1] < b.edge_s[i]);
	ck_assert_int_eq(b.n, 16 + 2);		/* 1 ms is on the ladder; 2 ms and 31.7 us not */
	for (i = 0; i < b.n; i++)
		if (b.edge_s[i] == 0.002)
			break;
	ck_assert_int_lt(i, b.n);
}
END_TEST

/* Thresholds win over the ladder when there are too many edges. */
START_TEST(test_edges_cap)
{
	double th[RTT_BUCKETS_MAX + 10];
	int i;

	for (i = 0; i < RTT_BUCKETS_MAX + 10; i++)
		th[i] = 1e-3 + i * 1e-6;
	rtt_buckets_init(&b, th, RTT_BUCKETS_MAX + 10);
	ck_assert_int_eq(b.n, RTT_BUCKETS_MAX);
	ck_assert(b.edge_s[0] == 1e-3);
}
END_TEST

/* Against the samples themselves: never above the truth, within one bucket of it. */
START_TEST(test_fill)
{
	const double th[] = { 0.0017, 0.000333 };
	static uint64_t v[20000];
	uint64_t cum[RTT_BUCKETS_MAX], s = 5;
	int i, k;

	rtt_buckets_init(&b, th, 2);
	hist_reset(&h);
	for (i = 0; i < 20000; i++) {
		v[i] = (uint64_t)exp(rnd_unit(&s) * 20.0) * 20;	/* 20 ns .. 10 s */
		hist_add(&h, v[i]);
	}
	hist_add(&h, UINT64_C(1) << 40);	/* clamped: +Inf only */
	rtt_buckets_fill(&b, &h, cum);
	for (k = 0; k < b.n; k++) {
		uint64_t edge = (uint64_t)llround(b.edge_s[k] * 1e9), under = 0, near = 0;

		for (i = 0; i < 20000; i++) {
			under += v[i] <= edge;
			near += v[i] <= edge - edge / 128;
		}
		ck_assert_msg(cum[k] <= under && cum[k] >= near, "edge %g: %llu not in %llu..%llu",
			      b.edge_s[k], (unsigned long long)cum[k], (unsigned long long)near,
			      (unsigned long long)under);
		if (k > 0)
			ck_assert_uint_ge(cum[k], cum[k - 1]);
	}
	ck_assert_uint_lt(cum[b.n - 1], h.count);
}
END_TEST

/*
 * An edge on a bucket's lower bound (2^17 ns): the bucket below is wholly
 * under it, the bucket that starts at it is not (it holds values above),
 * so a sample exactly at the edge counts at the next edge up.
 */
START_TEST(test_fill_exact)
{
	const double th[] = { 131072e-9 };	/* 2^17 ns: a boundary */
	uint64_t cum[RTT_BUCKETS_MAX];
	int k;

	rtt_buckets_init(&b, th, 1);
	hist_reset(&h);
	hist_add(&h, 131071);
	hist_add(&h, 131072);
	hist_add(&h, 131073);
	rtt_buckets_fill(&b, &h, cum);
	for (k = 0; k < b.n && b.edge_s[k] != 131072e-9; k++)
		;
	ck_assert_int_lt(k, b.n);
	ck_assert_uint_eq(cum[k], 1);
}
END_TEST

static Suite *
rtt_buckets_suite(void)
{
	Suite *s = suite_create("rtt_buckets");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_edges);
	tcase_add_test(tc, test_edges_cap);
	tcase_add_test(tc, test_fill);
	tcase_add_test(tc, test_fill_exact);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(rtt_buckets_suite)
