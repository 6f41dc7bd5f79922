/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-link interval statistics: reset keeps the identity, merge adds exactly. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_stats.h"
#include "mp_test.h"

/* Every field of link_counters is a uint64_t: the tests walk it as an array. */
_Static_assert(sizeof(struct link_counters) % sizeof(uint64_t) == 0,
	       "link_counters is not all uint64_t");
#define NWORDS	(sizeof(struct link_counters) / sizeof(uint64_t))

static void
counters_fill(struct link_counters *c, uint64_t base, uint64_t step)
{
	uint64_t w[NWORDS];
	size_t i;

	for (i = 0; i < NWORDS; i++)
		w[i] = base + step * i;
	memcpy(c, w, sizeof(w));
}

static uint64_t
counters_word(const struct link_counters *c, size_t i)
{
	uint64_t w[NWORDS];

	memcpy(w, c, sizeof(w));
	return w[i];
}

static struct link_interval *
interval_new(const char *name, uint32_t index)
{
	struct link_interval *li = malloc(sizeof(*li));

	ck_assert_ptr_nonnull(li);
	memset(li, 0, sizeof(*li));
	strncpy(li->link, name, sizeof(li->link) - 1);
	li->link_index = index;
	li->queues = 1;
	li->clock = MP_CLOCK_HW_RX;
	link_interval_reset(li);
	return li;
}

START_TEST(test_minmax)
{
	struct minmax a, b, all, m;
	uint64_t s = 1, v;
	unsigned i;

	minmax_reset(&a);
	minmax_reset(&b);
	minmax_reset(&all);
	m = a;
	minmax_merge(&m, &b);
	ck_assert_uint_eq(m.count, 0);
	ck_assert_uint_eq(m.min, UINT64_MAX);
	ck_assert_uint_eq(m.max, 0);
	for (i = 0; i < 1000; i++) {
		s = s * 6364136223846793005ull + 1442695040888963407ull;
		v = s >> 40;
		minmax_add((i % 3) ? &a : &b, v);
		minmax_add(&all, v);
	}
	m = a;
	minmax_merge(&m, &b);
	ck_assert_uint_eq(m.count, all.count);
	ck_assert_uint_eq(m.sum, all.sum);
	ck_assert_uint_eq(m.min, all.min);
	ck_assert_uint_eq(m.max, all.max);
	/* an empty side changes nothing */
	minmax_reset(&b);
	m = a;
	minmax_merge(&m, &b);
	ck_assert_mem_eq(&m, &a, sizeof(m));
	m = b;
	minmax_merge(&m, &a);
	ck_assert_mem_eq(&m, &a, sizeof(m));
}
END_TEST

/* minmax_add_burst() is minmax_add() in a loop. */
START_TEST(test_minmax_burst)
{
	struct minmax a, b;
	uint64_t seed = 7, v[40];
	unsigned round, i, n;

	minmax_reset(&a);
	minmax_reset(&b);
	for (round = 0; round < 5000; round++) {
		n = round % 41;
		for (i = 0; i < n; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			v[i] = seed >> (seed % 64);
		}
		minmax_add_burst(&a, v, n);
		for (i = 0; i < n; i++)
			minmax_add(&b, v[i]);
		ck_assert(memcmp(&a, &b, sizeof(a)) == 0);
	}
	ck_assert_uint_gt(a.count, 90000);
}
END_TEST

START_TEST(test_counters_merge_every_field)
{
	struct link_counters a, b;
	size_t i;

	ck_assert_uint_eq(NWORDS, 12 + MP_R_REASON_MAX + MP_IGN_MAX + MP_ICMP_MAX);
	counters_fill(&a, 1, 1);
	counters_fill(&b, 1000, 1000);
	link_counters_merge(&a, &b);
	for (i = 0; i < NWORDS; i++)
		ck_assert_msg(counters_word(&a, i) == 1 + i + 1000 + 1000 * i,
			      "word %zu of link_counters not merged", i);
	/* named spot checks */
	ck_assert_uint_eq(a.sent, 1 + 1000);
	ck_assert_uint_eq(a.arp_nd, 12 + 12000);
	ck_assert_uint_eq(a.invalid[MP_R_REASON_MAX - 1],
			  (12 + MP_R_REASON_MAX) + 1000 * (12 + MP_R_REASON_MAX));
	ck_assert_uint_eq(a.icmp_errors[MP_ICMP_MAX - 1], NWORDS + 1000 * NWORDS);
}
END_TEST

START_TEST(test_interval_reset)
{
	struct link_interval *li = malloc(sizeof(*li));
	size_t i;

	memset(li, 0xa5, sizeof(*li));
	memset(li->link, 0, sizeof(li->link));
	strcpy(li->link, "amsterdam");
	li->link_index = 1;
	li->queues = 3;
	li->clock = MP_CLOCK_PTP;
	link_interval_reset(li);
	ck_assert_str_eq(li->link, "amsterdam");
	ck_assert_uint_eq(li->link_index, 1);
	ck_assert_uint_eq(li->queues, 3);
	ck_assert_int_eq(li->clock, MP_CLOCK_PTP);
	ck_assert_uint_eq(li->seq, 0);
	ck_assert_uint_eq(li->start_unix_ns, 0);
	ck_assert_uint_eq(li->end_unix_ns, 0);
	for (i = 0; i < NWORDS; i++)
		ck_assert_uint_eq(counters_word(&li->c, i), 0);
	ck_assert_uint_eq(li->rtt.count, 0);
	ck_assert_uint_eq(li->rtt.sum_ns, 0);
	ck_assert_uint_eq(li->rtt.clamped, 0);
	ck_assert_uint_eq(li->rtt.min_ns, UINT64_MAX);
	ck_assert_uint_eq(li->rtt.max_ns, 0);
	for (i = 0; i < HIST_NBUCKETS; i++)
		ck_assert_uint_eq(li->rtt.bucket[i], 0);
	ck_assert_uint_eq(li->residence_ns.count, 0);
	ck_assert_uint_eq(li->residence_ns.sum, 0);
	ck_assert_uint_eq(li->residence_ns.min, UINT64_MAX);
	ck_assert_uint_eq(li->residence_ns.max, 0);
	ck_assert_uint_eq(li->fwd_ttl.count, 0);
	ck_assert_uint_eq(li->fwd_ttl.min, UINT64_MAX);
	ck_assert_uint_eq(li->fwd_ttl.max, 0);
	ck_assert_uint_eq(li->jitter_ns, 0);
	ck_assert_uint_eq(li->pacer_rate_mpps, 0);
	free(li);
}
END_TEST

START_TEST(test_interval_merge)
{
	struct link_interval *a = interval_new("singapore", 0);
	struct link_interval *b = interval_new("singapore", 0);
	struct hist *all = malloc(sizeof(*all));
	unsigned i;

	hist_reset(all);
	a->seq = 7;
	a->start_unix_ns = 1000;
	a->end_unix_ns = 2000;
	a->jitter_ns = 50;
	a->pacer_rate_mpps = 1000000;
	counters_fill(&a->c, 3, 2);
	b->seq = 9;
	b->start_unix_ns = 900;
	b->end_unix_ns = 1800;
	b->queues = 2;
	b->jitter_ns = 40;
	b->pacer_rate_mpps = 2500000;
	counters_fill(&b->c, 10, 10);
	for (i = 0; i < 5000; i++) {
		uint64_t v = 10000 + (uint64_t)i * 7919;

		hist_add(i & 1 ? &a->rtt : &b->rtt, v);
		hist_add(all, v);
		minmax_add(i & 1 ? &a->residence_ns : &b->residence_ns, i);
	}
	minmax_add(&a->fwd_ttl, 64);
	minmax_add(&b->fwd_ttl, 255);

	link_interval_merge(a, b);
	ck_assert_str_eq(a->link, "singapore");
	ck_assert_uint_eq(a->seq, 9);
	ck_assert_uint_eq(a->start_unix_ns, 900);
	ck_assert_uint_eq(a->end_unix_ns, 2000);
	ck_assert_uint_eq(a->queues, 3);
	ck_assert_uint_eq(a->jitter_ns, 50);
	ck_assert_uint_eq(a->pacer_rate_mpps, 3500000);
	ck_assert_int_eq(a->clock, MP_CLOCK_HW_RX);
	for (i = 0; i < NWORDS; i++)
		ck_assert_uint_eq(counters_word(&a->c, i), 3 + 2 * i + 10 + 10 * i);
	ck_assert_uint_eq(a->rtt.count, all->count);
	ck_assert_uint_eq(a->rtt.sum_ns, all->sum_ns);
	ck_assert_uint_eq(a->rtt.min_ns, all->min_ns);
	ck_assert_uint_eq(a->rtt.max_ns, all->max_ns);
	ck_assert_mem_eq(a->rtt.bucket, all->bucket, sizeof(all->bucket));
	ck_assert_uint_eq(a->residence_ns.count, 5000);
	ck_assert_uint_eq(a->residence_ns.min, 0);
	ck_assert_uint_eq(a->residence_ns.max, 4999);
	ck_assert_uint_eq(a->residence_ns.sum, 4999 * 5000 / 2);
	ck_assert_uint_eq(a->fwd_ttl.min, 64);
	ck_assert_uint_eq(a->fwd_ttl.max, 255);

	/* the larger jitter wins from either side; times widen both ways */
	b->jitter_ns = 70;
	b->start_unix_ns = 5000;
	b->end_unix_ns = 6000;
	b->seq = 1;
	link_interval_merge(a, b);
	ck_assert_uint_eq(a->jitter_ns, 70);
	ck_assert_uint_eq(a->start_unix_ns, 900);
	ck_assert_uint_eq(a->end_unix_ns, 6000);
	ck_assert_uint_eq(a->seq, 9);
	free(a);
	free(b);
	free(all);
}
END_TEST

START_TEST(test_merge_into_empty)
{
	struct link_interval *w = malloc(sizeof(*w));
	struct link_interval *b = interval_new("zurich2", 1);

	/* a zeroed window record: no name, start 0 */
	memset(w, 0, sizeof(*w));
	link_interval_reset(w);
	b->start_unix_ns = 1700000000000000000ull;
	b->end_unix_ns = 1700000000100000000ull;
	b->seq = 4;
	b->c.sent = 10;
	hist_add(&b->rtt, 123456);
	link_interval_merge(w, b);
	ck_assert_str_eq(w->link, "zurich2");
	ck_assert_uint_eq(w->link_index, 1);
	ck_assert_int_eq(w->clock, MP_CLOCK_HW_RX);
	ck_assert_uint_eq(w->start_unix_ns, 1700000000000000000ull);
	ck_assert_uint_eq(w->end_unix_ns, 1700000000100000000ull);
	ck_assert_uint_eq(w->seq, 4);
	ck_assert_uint_eq(w->queues, 1);
	ck_assert_uint_eq(w->c.sent, 10);
	ck_assert_uint_eq(w->rtt.count, 1);
	ck_assert_uint_eq(w->rtt.min_ns, 123456);
	/* and an empty source changes no time */
	link_interval_reset(b);
	link_interval_merge(w, b);
	ck_assert_uint_eq(w->start_unix_ns, 1700000000000000000ull);
	ck_assert_uint_eq(w->end_unix_ns, 1700000000100000000ull);
	ck_assert_uint_eq(w->rtt.min_ns, 123456);
	free(w);
	free(b);
}
END_TEST

static Suite *
stats_suite(void)
{
	Suite *s = suite_create("stats");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_minmax);
	tcase_add_test(tc, test_minmax_burst);
	tcase_add_test(tc, test_counters_merge_every_field);
	tcase_add_test(tc, test_interval_reset);
	tcase_add_test(tc, test_interval_merge);
	tcase_add_test(tc, test_merge_into_empty);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(stats_suite)
