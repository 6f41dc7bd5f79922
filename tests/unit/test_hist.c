/* SPDX-License-Identifier: BSD-3-Clause */
/* Log-linear histogram: layout, quantiles against a sorted-array oracle, merge. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_hist.h"
#include "mp_test.h"

static struct hist *
hist_new(void)
{
	struct hist *h = malloc(sizeof(*h));

	ck_assert_ptr_nonnull(h);
	hist_reset(h);
	return h;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

START_TEST(test_layout)
{
	unsigned i;

	ck_assert_uint_eq(HIST_NBUCKETS, 3840);
	ck_assert_uint_eq(hist_bucket_low(0), 0);
	for (i = 0; i < HIST_NBUCKETS; i++) {
		uint64_t lo = hist_bucket_low(i), hi = hist_bucket_high(i);

		ck_assert_uint_lt(lo, hi);
		ck_assert_uint_eq(hist_index(lo), i);
		ck_assert_uint_eq(hist_index(hi - 1), i);
		if (i + 1 < HIST_NBUCKETS)
			ck_assert_uint_eq(hi, hist_bucket_low(i + 1));
		/* never wider than 1/128 of the lower bound (exact below 256) */
		if (lo < 2 * HIST_SUB_COUNT)
			ck_assert_uint_eq(hi - lo, 1);
		else
			ck_assert_uint_le((hi - lo) * HIST_SUB_COUNT, lo);
	}
	ck_assert_uint_eq(hist_bucket_high(HIST_NBUCKETS - 1), HIST_MAX_VALUE + 1);
}
END_TEST

START_TEST(test_index_random)
{
	uint64_t s = 42;
	unsigned n;

	for (n = 0; n < 200000; n++) {
		/* log-uniform over the whole range */
		uint64_t v = rnd_next(&s) >> (rnd_next(&s) % 64);
		unsigned i = hist_index(v);

		ck_assert_uint_lt(i, HIST_NBUCKETS);
		if (v > HIST_MAX_VALUE) {
			ck_assert_uint_eq(i, HIST_NBUCKETS - 1);
			continue;
		}
		ck_assert_uint_le(hist_bucket_low(i), v);
		ck_assert_uint_lt(v, hist_bucket_high(i));
	}
}
END_TEST

START_TEST(test_special_values)
{
	struct hist *h = hist_new();

	ck_assert_uint_eq(hist_index(0), 0);
	ck_assert_uint_eq(hist_index(127), 127);
	ck_assert_uint_eq(hist_index(128), 128);
	ck_assert_uint_eq(hist_index(255), 255);
	ck_assert_uint_eq(hist_index(256), 256);
	ck_assert_uint_eq(hist_index(257), 256);
	ck_assert_uint_eq(hist_index(HIST_MAX_VALUE), HIST_NBUCKETS - 1);
	ck_assert_uint_eq(hist_index(HIST_MAX_VALUE + 1), HIST_NBUCKETS - 1);
	ck_assert_uint_eq(hist_index(UINT64_MAX), HIST_NBUCKETS - 1);

	hist_add(h, 0);
	hist_add(h, 127);
	hist_add(h, 128);
	hist_add(h, HIST_MAX_VALUE);
	ck_assert_uint_eq(h->clamped, 0);
	hist_add(h, UINT64_MAX);
	ck_assert_uint_eq(h->count, 5);
	ck_assert_uint_eq(h->clamped, 1);
	ck_assert_uint_eq(h->min_ns, 0);
	ck_assert_uint_eq(h->max_ns, UINT64_MAX);
	ck_assert_uint_eq(h->bucket[0], 1);
	ck_assert_uint_eq(h->bucket[127], 1);
	ck_assert_uint_eq(h->bucket[128], 1);
	ck_assert_uint_eq(h->bucket[HIST_NBUCKETS - 1], 2);
	/* exact buckets give exact quantiles */
	ck_assert_uint_eq(hist_quantile(h, 0), 0);
	ck_assert_uint_eq(hist_quantile(h, 0.2), 0);
	ck_assert_uint_eq(hist_quantile(h, 0.4), 127);
	ck_assert_uint_eq(hist_quantile(h, 0.6), 128);
	/* the last bucket's midpoint, inside [min, max] */
	ck_assert_uint_eq(hist_quantile(h, 0.8),
			  hist_bucket_low(HIST_NBUCKETS - 1) +
			  (hist_bucket_high(HIST_NBUCKETS - 1) -
			   hist_bucket_low(HIST_NBUCKETS - 1)) / 2);

	/* only a clamped sample: clamped to min = max */
	hist_reset(h);
	hist_add(h, UINT64_MAX);
	ck_assert_uint_eq(hist_quantile(h, 0.5), UINT64_MAX);
	ck_assert_uint_eq(hist_quantile(h, 0), UINT64_MAX);
	/* only zeros */
	hist_reset(h);
	hist_add(h, 0);
	hist_add(h, 0);
	ck_assert_uint_eq(hist_quantile(h, 1), 0);
	ck_assert(hist_mean(h) == 0);
	free(h);
}
END_TEST

START_TEST(test_empty)
{
	struct hist *h = hist_new();
	unsigned i;

	ck_assert_uint_eq(h->count, 0);
	ck_assert_uint_eq(h->min_ns, UINT64_MAX);
	ck_assert_uint_eq(h->max_ns, 0);
	ck_assert_uint_eq(hist_quantile(h, 0), 0);
	ck_assert_uint_eq(hist_quantile(h, 0.5), 0);
	ck_assert_uint_eq(hist_quantile(h, 1), 0);
	ck_assert(hist_mean(h) == 0);
	for (i = 0; i < HIST_NBUCKETS; i++)
		ck_assert_uint_eq(h->bucket[i], 0);
	/* reset really clears a used histogram */
	hist_add(h, 12345);
	hist_reset(h);
	ck_assert_uint_eq(h->count, 0);
	ck_assert_uint_eq(h->sum_ns, 0);
	ck_assert_uint_eq(h->min_ns, UINT64_MAX);
	ck_assert_uint_eq(h->bucket[hist_index(12345)], 0);
	free(h);
}
END_TEST

enum dist { D_UNIFORM, D_LOGNORMAL, D_CONSTANT, D_TWO_POINT, D_MAX };

static const char *const dist_names[D_MAX] = {
	"uniform", "lognormal", "constant", "two-point"
};

/* A sample from 1 us to 10 s. */
static uint64_t
draw(enum dist d, uint64_t *s)
{
	double u1, u2, z;

	switch (d) {
	case D_UNIFORM:
		return rnd_range(s, 1000, 10000000000ull);
	case D_LOGNORMAL:
		/* median 2 ms, sigma 1.5 (Box-Muller), kept in 1 us .. 10 s */
		u1 = rnd_unit(s);
		u2 = rnd_unit(s);
		if (u1 < 1e-300)
			u1 = 1e-300;
		z = sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
		z = 2e6 * exp(1.5 * z);
		if (z < 1000)
			z = 1000;
		if (z > 1e10)
			z = 1e10;
		return (uint64_t)z;
	case D_CONSTANT:
		return 3456789;
	case D_TWO_POINT:
		return rnd_range(s, 0, 99) < 97 ? 5000000 : 50000000;
	default:
		return 0;
	}
}

/* q in 1/10000, so the oracle's rank is exact integer arithmetic */
static const unsigned q_e4[] = {
	0, 1, 10, 100, 1000, 2500, 5000, 7500, 9000, 9500, 9900, 9990, 9999, 10000
};

static void
check_quantiles(const struct hist *h, uint64_t *v, size_t n, const char *what)
{
	size_t i;

	qsort(v, n, sizeof(v[0]), cmp_u64);
	ck_assert_uint_eq(h->min_ns, v[0]);
	ck_assert_uint_eq(h->max_ns, v[n - 1]);
	for (i = 0; i < sizeof(q_e4) / sizeof(q_e4[0]); i++) {
		uint64_t rank = ((uint64_t)q_e4[i] * n + 9999) / 10000;
		uint64_t want, got;

		if (rank == 0)
			rank = 1;
		want = v[rank - 1];
		got = hist_quantile(h, q_e4[i] / 10000.0);
		ck_assert_msg(hist_index(got) == hist_index(want),
			      "%s n=%zu q=%u/10000: got %llu, oracle %llu (other bucket)",
			      what, n, q_e4[i], (unsigned long long)got,
			      (unsigned long long)want);
		ck_assert_msg(fabs((double)got - (double)want) <= 0.01 * (double)want,
			      "%s n=%zu q=%u/10000: got %llu, oracle %llu",
			      what, n, q_e4[i], (unsigned long long)got,
			      (unsigned long long)want);
		if (q_e4[i] == 0)
			ck_assert_uint_eq(got, v[0]);
	}
}

START_TEST(test_quantiles_oracle)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 100, 1000, 12345, 200001 };
	uint64_t s = 7;
	enum dist d;
	size_t k, i;

	for (d = 0; d < D_MAX; d++) {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			size_t n = sizes[k];
			uint64_t *v = malloc(n * sizeof(*v));
			struct hist *h = hist_new();
			long double sum = 0;

			for (i = 0; i < n; i++) {
				v[i] = draw(d, &s);
				sum += v[i];
				hist_add(h, v[i]);
			}
			ck_assert_uint_eq(h->count, n);
			ck_assert(fabsl(hist_mean(h) - sum / n) <= 1e-9L * (sum / n));
			check_quantiles(h, v, n, dist_names[d]);
			if (d == D_CONSTANT) {
				ck_assert_uint_eq(hist_quantile(h, 0.5), 3456789);
				ck_assert_uint_eq(hist_quantile(h, 0.999), 3456789);
			}
			free(v);
			free(h);
		}
	}
}
END_TEST

START_TEST(test_quantile_rank)
{
	struct hist *h = hist_new();
	unsigned i;

	/* 1..100 are exact buckets: p99 of 100 samples is the 99th */
	for (i = 1; i <= 100; i++)
		hist_add(h, i);
	ck_assert_uint_eq(hist_quantile(h, 0.99), 99);
	ck_assert_uint_eq(hist_quantile(h, 0.5), 50);
	ck_assert_uint_eq(hist_quantile(h, 0.501), 51);
	ck_assert_uint_eq(hist_quantile(h, 0.01), 1);
	ck_assert_uint_eq(hist_quantile(h, 0.001), 1);
	ck_assert_uint_eq(hist_quantile(h, 0), 1);
	ck_assert_uint_eq(hist_quantile(h, 1), 100);
	ck_assert_uint_eq(hist_quantile(h, 0.7), 70);
	ck_assert_uint_eq(hist_quantile(h, 0.29), 29);
	/* 0.07 * 100 and 0.55 * 100 are a hair above 7 and 55 in binary */
	ck_assert_uint_eq(hist_quantile(h, 0.07), 7);
	ck_assert_uint_eq(hist_quantile(h, 0.14), 14);
	ck_assert_uint_eq(hist_quantile(h, 0.55), 55);
	/* out of range q is clamped */
	ck_assert_uint_eq(hist_quantile(h, 2), 100);
	ck_assert_uint_eq(hist_quantile(h, -1), 1);
	ck_assert(hist_mean(h) == 50.5);
	free(h);
}
END_TEST

static void
assert_hist_eq(const struct hist *a, const struct hist *b)
{
	unsigned i;

	ck_assert_uint_eq(a->count, b->count);
	ck_assert_uint_eq(a->sum_ns, b->sum_ns);
	ck_assert_uint_eq(a->min_ns, b->min_ns);
	ck_assert_uint_eq(a->max_ns, b->max_ns);
	ck_assert_uint_eq(a->clamped, b->clamped);
	for (i = 0; i < HIST_NBUCKETS; i++)
		ck_assert_msg(a->bucket[i] == b->bucket[i], "bucket %u: %llu != %llu", i,
			      (unsigned long long)a->bucket[i],
			      (unsigned long long)b->bucket[i]);
}

/*
 * hist_add_burst() is hist_add() in a loop: bursts of 0 to 40 samples, with
 * runs of equal values, values in one bucket, random ones, 0 and values above
 * the clamp; every field and bucket compared after each burst.
 */
START_TEST(test_add_burst)
{
	static struct hist a, b;
	uint64_t s = 4242, v[40];
	unsigned round, i, n;

	hist_reset(&a);
	hist_reset(&b);
	for (round = 0; round < 20000; round++) {
		n = (unsigned)(rnd_next(&s) % 41);
		for (i = 0; i < n; i++) {
			uint64_t k = rnd_next(&s) % 8;

			if (i > 0 && k < 4)
				v[i] = v[i - 1] + (k == 3 ? 1 : 0);	/* runs */
			else if (k == 4)
				v[i] = 0;
			else if (k == 5)
				v[i] = HIST_MAX_VALUE + rnd_next(&s) % 1000;
			else
				v[i] = rnd_range(&s, 0, 5000000);
		}
		hist_add_burst(&a, v, n);
		for (i = 0; i < n; i++)
			hist_add(&b, v[i]);
		ck_assert_uint_eq(a.count, b.count);
		ck_assert_uint_eq(a.sum_ns, b.sum_ns);
		ck_assert_uint_eq(a.min_ns, b.min_ns);
		ck_assert_uint_eq(a.max_ns, b.max_ns);
		ck_assert_uint_eq(a.clamped, b.clamped);
		if (round % 64 == 0 || n == 0)
			ck_assert(memcmp(a.bucket, b.bucket, sizeof(a.bucket)) == 0);
	}
	ck_assert(memcmp(&a, &b, sizeof(a)) == 0);
	ck_assert_uint_gt(a.count, 300000);
}
END_TEST

START_TEST(test_merge)
{
	struct hist *a = hist_new(), *b = hist_new(), *all = hist_new();
	struct hist *m = hist_new();
	uint64_t s = 99;
	unsigned i, round;

	for (round = 0; round < 4; round++) {
		hist_reset(a);
		hist_reset(b);
		hist_reset(all);
		for (i = 0; i < 50000; i++) {
			enum dist d = (enum dist)(i % D_MAX);
			uint64_t v = draw(d, &s);

			if (round == 3 && i % 1000 == 0)
				v = UINT64_MAX - i;	/* clamped ones merge too */
			if (rnd_next(&s) & 1)
				hist_add(a, v);
			else
				hist_add(b, v);
			hist_add(all, v);
		}
		memcpy(m, a, sizeof(*m));
		hist_merge(m, b);
		assert_hist_eq(m, all);
		/* and the other way round */
		memcpy(m, b, sizeof(*m));
		hist_merge(m, a);
		assert_hist_eq(m, all);
	}
	/* empty is the identity on both sides */
	hist_reset(m);
	hist_merge(m, a);
	assert_hist_eq(m, a);
	hist_reset(b);
	hist_merge(m, b);
	assert_hist_eq(m, a);
	free(a);
	free(b);
	free(all);
	free(m);
}
END_TEST

static Suite *
hist_suite(void)
{
	Suite *s = suite_create("hist");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_layout);
	tcase_add_test(tc, test_index_random);
	tcase_add_test(tc, test_special_values);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_quantiles_oracle);
	tcase_add_test(tc, test_quantile_rank);
	tcase_add_test(tc, test_merge);
	tcase_add_test(tc, test_add_burst);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(hist_suite)
