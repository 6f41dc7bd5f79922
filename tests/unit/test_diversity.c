/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The site-diversity verdict on synthetic record series, checked by hand;
 * and its memory: bounded, taken whole by a service at start, resident
 * then, and not allocated again per object.
 */
#include <check.h>
#include <malloc.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "diversity.h"
#include "fate.h"
#include "mp_test.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1700000000000000000)
#define N	300		/* intervals of 100 ms: 30 s */
#define EP_LEN	8

/* Episode starts (intervals): irregular, so that no shift of the series repeats them. */
static const size_t ep_a[] = { 20, 70, 130, 200, 240 };
static const size_t ep_b[] = { 45, 100, 170, 220, 280 };

static bool
in_episode(const size_t *ep, size_t n_ep, size_t i)
{
	size_t k;

	for (k = 0; k < n_ep; k++)
		if (i >= ep[k] && i < ep[k] + EP_LEN)
			return true;
	return false;
}

/* Interval i of a 1000 pps link: 100 probes, all lost when impaired, else at rtt_ns. */
static void
rec(struct link_interval *li, size_t i, uint64_t offset_ns, bool down, uint64_t rtt_ns)
{
	uint64_t k;

	memset(li, 0, sizeof(*li));
	hist_reset(&li->rtt);
	li->start_unix_ns = T0 + i * 100 * MS + offset_ns;
	li->end_unix_ns = li->start_unix_ns + 100 * MS;
	li->seq = i;
	li->pacer_rate_mpps = 1000 * 1000;
	li->c.sent = 100;
	li->c.received = down ? 0 : 100;
	li->c.lost = down ? 100 : 0;
	li->c.other_link = 1;
	for (k = 0; k < li->c.received; k++)
		hist_add(&li->rtt, rtt_ns + (k % 7) * 1000);
}

static const struct div_config metro_cfg = {
	.circuit = "metro",
	.location = { "Amsterdam", "Amsterdam2" },
	.facility = { "Equinix AM5", "Digital Realty AMS8" },
};

/* Feed n intervals, b's records 3 ms before a's (windows are cut per link). */
static cJSON *
run(const struct div_config *cfg, const size_t *ea, size_t nea, const size_t *eb, size_t neb,
    size_t n, struct div_result *r)
{
	struct diversity d;
	struct link_interval li;
	size_t i;
	cJSON *o;

	ck_assert_int_eq(diversity_init(&d, cfg, 100), 0);
	for (i = 0; i < n; i++) {
		rec(&li, i, 3 * MS, in_episode(ea, nea, i), 2 * MS);
		ck_assert_int_eq(diversity_add(&d, 0, &li), 0);
		rec(&li, i, 0, in_episode(eb, neb, i), 3500000);
		ck_assert_int_eq(diversity_add(&d, 1, &li), 0);
	}
	o = diversity_finish(&d, r);
	ck_assert_ptr_nonnull(o);
	diversity_free(&d);
	return o;
}

static double
num(const cJSON *o, const char *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(o, obj),
							  key);

	/* counters are raw JSON integers (record_add_u64) */
	if (cJSON_IsRaw(v))
		return strtod(v->valuestring, NULL);
	ck_assert_msg(cJSON_IsNumber(v), "%s.%s is not a number", obj, key);
	return v->valuedouble;
}

static const char *
verdict(const cJSON *o)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "verdict"));
}

/* summary.json has no number with an exponent (the Fisher p here is about 1e-50) */
static void
no_exponent(const cJSON *o)
{
	char *txt = cJSON_Print(o);
	size_t i;

	ck_assert_ptr_nonnull(txt);
	for (i = 1; txt[i] != '\0'; i++)
		ck_assert_msg(!((txt[i] == 'e' || txt[i] == 'E') && txt[i - 1] >= '0' &&
				txt[i - 1] <= '9'), "an exponent in %s", txt);
	free(txt);
}

START_TEST(test_correlated)
{
	struct div_result r;
	cJSON *o = run(&metro_cfg, ep_a, 5, ep_a, 5, N, &r);

	ck_assert_str_eq(verdict(o), "SHARED-RISK");
	/* 5 episodes of 8 intervals, on both: 40 of 300 known intervals */
	ck_assert_double_eq(num(o, "shared_fate", "intervals"), N);
	ck_assert_double_eq(num(o, "shared_fate", "impaired_both"), 40);
	ck_assert_double_eq(num(o, "shared_fate", "impaired_a"), 40);
	ck_assert_double_eq_tol(num(o, "shared_fate", "joint_impaired_s"), 4.0, 1e-9);
	ck_assert_double_eq_tol(num(o, "shared_fate", "p_b_given_a"), 1.0, 1e-9);
	ck_assert_double_eq_tol(num(o, "shared_fate", "lift"), 300.0 / 40.0, 1e-9);
	ck_assert_double_eq_tol(num(o, "shared_fate", "phi"), 1.0, 1e-9);
	ck_assert_double_lt(num(o, "shared_fate", "shift_p"), 0.05);
	ck_assert_uint_eq(r.n_episodes, 5);
	/* windows are aligned on the first record's (a's, 3 ms late) */
	ck_assert_uint_eq(r.ep[0].start_unix_ns, T0 + 20 * 100 * MS + 3 * MS);
	ck_assert_uint_eq(r.ep[0].end_unix_ns - r.ep[0].start_unix_ns, 800 * MS);
	/* 0.8 s outages never make 10 severely errored seconds: nothing unavailable */
	ck_assert_double_eq(num(o, "availability", "pair_down_s"), 0);
	ck_assert_double_eq_tol(num(o, "availability", "pair"), 1.0, 1e-9);
	ck_assert_double_eq(num(o, "return_path", "a_via_b"), N);
	no_exponent(o);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_independent)
{
	struct div_result r;
	cJSON *o = run(&metro_cfg, ep_a, 5, ep_b, 5, N, &r);

	ck_assert_str_eq(verdict(o), "DIVERSE");
	ck_assert_double_eq(num(o, "shared_fate", "impaired_both"), 0);
	ck_assert_double_eq(num(o, "shared_fate", "episodes_a"), 5);
	ck_assert_double_eq(num(o, "shared_fate", "episodes_b"), 5);
	ck_assert_double_eq_tol(num(o, "shared_fate", "p_b_given_a"), 0.0, 1e-9);
	ck_assert_double_eq_tol(num(o, "shared_fate", "fisher_p"), 1.0, 1e-9);
	ck_assert_uint_eq(r.n_episodes, 0);
	/* a's lowest round trip is 2 ms, b's 3.5 ms: 1.5 ms apart, over the 1 ms bound */
	ck_assert_double_eq_tol(num(o, "delay", "delta_min_us"), -1500.0, 1e-6);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "delay"), "parity")));
	ck_assert_double_eq_tol(num(cJSON_GetObjectItemCaseSensitive(o, "delay"), "delta_p50_us",
				    "median"), -1500.0, 100.0);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "path")));
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_standard)
{
	struct div_config cfg = metro_cfg;
	struct div_result r;
	cJSON *o;

	cfg.circuit = "standard";
	cfg.location[1] = "Amsterdam";
	cfg.facility[1] = NULL;
	o = run(&cfg, ep_a, 5, ep_b, 5, N, &r);
	ck_assert_str_eq(verdict(o), "NOT-DIVERSE");
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "configuration"), "distinct_locations")));
	ck_assert(cJSON_IsNull(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "configuration"), "facilities"), 1)));
	cJSON_Delete(o);
	/* one location under a metro circuit: not diverse either */
	cfg.circuit = "metro";
	o = run(&cfg, ep_a, 5, ep_b, 5, N, &r);
	ck_assert_str_eq(verdict(o), "NOT-DIVERSE");
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_too_little)
{
	struct div_result r;
	cJSON *o;

	/* one episode on a, two on b, none shared: no test can tell */
	o = run(&metro_cfg, ep_a, 1, ep_b, 2, N, &r);
	ck_assert_str_eq(verdict(o), "INSUFFICIENT-EVIDENCE");
	cJSON_Delete(o);
	/* a clean run: nothing was ever impaired */
	o = run(&metro_cfg, NULL, 0, NULL, 0, N, &r);
	ck_assert_str_eq(verdict(o), "INSUFFICIENT-EVIDENCE");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "shared_fate"), "lift")));
	cJSON_Delete(o);
	/* five intervals */
	o = run(&metro_cfg, ep_a, 5, ep_b, 5, 5, &r);
	ck_assert_str_eq(verdict(o), "INSUFFICIENT-EVIDENCE");
	cJSON_Delete(o);
	/* a failing 5 times, b never with it: b rode through every failure */
	o = run(&metro_cfg, ep_a, 5, NULL, 0, N, &r);
	ck_assert_str_eq(verdict(o), "DIVERSE");
	ck_assert_double_eq_tol(num(o, "availability", "pair"), 1.0, 1e-9);
	cJSON_Delete(o);
}
END_TEST

/* Both links down together in the intervals down() says; the object of N intervals. */
static cJSON *
run_together(bool (*down)(size_t), struct div_result *r)
{
	struct diversity d;
	struct link_interval li;
	size_t i;
	cJSON *o;

	ck_assert_int_eq(diversity_init(&d, &metro_cfg, 100), 0);
	for (i = 0; i < N; i++) {
		rec(&li, i, 0, down(i), 2 * MS);
		diversity_add(&d, 0, &li);
		rec(&li, i, 0, down(i), 2 * MS);
		diversity_add(&d, 1, &li);
	}
	o = diversity_finish(&d, r);
	ck_assert_ptr_nonnull(o);
	diversity_free(&d);
	return o;
}

/* 15 s from interval 50 */
static bool
down_long(size_t i)
{
	return i >= 50 && i < 200;
}

START_TEST(test_pair_down)
{
	struct div_result r;
	cJSON *o = run_together(down_long, &r);

	/* both down for 15 s together, once: the pair was unavailable */
	ck_assert_str_eq(verdict(o), "SHARED-RISK");
	ck_assert_double_eq(num(o, "availability", "pair_down_s"), 15);
	ck_assert_double_eq_tol(num(o, "availability", "pair"), 15.0 / 30.0, 1e-9);
	ck_assert_double_eq_tol(num(o, "availability", "pair_if_independent"), 0.75, 1e-9);
	ck_assert_double_eq_tol(num(o, "delay", "delta_min_us"), 0.0, 1e-9);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "delay"), "parity")));
	cJSON_Delete(o);
}
END_TEST

/* 2 s of every 3 */
static bool
down_periodic(size_t i)
{
	return i % 30 < 20;
}

/*
 * Both links impaired 2 s of every 3, in phase. Lift is only 1.5 (it
 * cannot exceed 1 / P(impaired)), yet this is the plainest shared fate:
 * phi 1, 200 intervals (20 s) together.
 */
START_TEST(test_periodic)
{
	struct div_result r;
	cJSON *o = run_together(down_periodic, &r);

	ck_assert_str_eq(verdict(o), "SHARED-RISK");
	ck_assert_double_eq_tol(num(o, "shared_fate", "lift"), 1.5, 1e-9);
	ck_assert_double_eq_tol(num(o, "shared_fate", "phi"), 1.0, 1e-9);
	ck_assert_double_eq_tol(num(o, "shared_fate", "joint_impaired_s"), 20.0, 1e-9);
	ck_assert_uint_eq(r.n_episodes, 10);
	cJSON_Delete(o);
}
END_TEST

/* Phase of the flaps against the windows, in hundredths of a window. */
static long flap_phase;

/* Probe p (of 100) of window i lost: down 1 s of every 3, 8 times, from window 20 on. */
static bool
flap_down(long i, long p)
{
	long t = i * 100 + p - 2000 - flap_phase;	/* hundredths of a window */

	return t >= 0 && t < 8 * 3000 && t % 3000 < 1000;
}

static uint64_t
flap_lost(long i)
{
	uint64_t n = 0;
	long p;

	for (p = 0; p < 100; p++)
		n += flap_down(i, p);
	return n;
}

/*
 * Window i of a 1000 pps link as the dataplane reports it with a 1 s loss
 * timeout: the probes sent while the conduit is down are lost, and counted
 * 10 windows later, but for one that the retirement tick (up to 1 ms) lets
 * slip to the record after; the gauges say how long no reply came
 * (overdue probes, no_reply_ns).
 */
static void
rec_dataplane(struct link_interval *li, long i)
{
	uint64_t lost = flap_lost(i), late = flap_lost(i - 10), later = flap_lost(i - 11);
	long k, p;

	memset(li, 0, sizeof(*li));
	hist_reset(&li->rtt);
	li->start_unix_ns = T0 + (uint64_t)i * 100 * MS;
	li->end_unix_ns = li->start_unix_ns + 100 * MS;
	li->pacer_rate_mpps = 1000 * 1000;
	li->c.sent = 100;
	li->c.received = 100 - lost;
	li->c.lost = (late > 0 ? late - 1 : 0) + (later > 0 ? 1 : 0);
	for (k = 0; k < (long)li->c.received; k++)
		hist_add(&li->rtt, 2 * MS);
	/* back from the window's end to the last probe answered */
	for (k = i, p = 99; k >= 0 && flap_down(k, p); p = p > 0 ? p - 1 : (k--, 99))
		li->no_reply_ns += MS;
	li->overdue = li->no_reply_ns > 50 * MS ? li->no_reply_ns / MS - 50 : 0;
	li->overdue_after_ns = 50 * MS;
}

/* 26 s of a conduit down 1 s of every 3: 8 flaps, all of their losses counted. */
static cJSON *
run_flaps(uint32_t loss_timeout_ms, long phase, struct div_result *r)
{
	struct div_config cfg = metro_cfg;
	struct link_interval li;
	struct diversity d;
	long i;
	cJSON *o;

	cfg.loss_timeout_ms = loss_timeout_ms;
	flap_phase = phase;
	ck_assert_int_eq(diversity_init(&d, &cfg, 100), 0);
	for (i = 0; i < 260; i++) {
		rec_dataplane(&li, i);
		ck_assert_int_eq(diversity_add(&d, 0, &li), 0);
		ck_assert_int_eq(diversity_add(&d, 1, &li), 0);
	}
	o = diversity_finish(&d, r);
	ck_assert_ptr_nonnull(o);
	diversity_free(&d);
	return o;
}

/*
 * Each loss attributed to the window its probe was sent in: flaps in step
 * with the windows are the flaps' 8 s exactly, 8 episodes of 1 s each, the
 * first starting with the first flap. Counted where the dataplane counts
 * them (no loss timeout known), the same series is impaired for a loss
 * timeout longer each flap: about 1.8 times as long.
 */
START_TEST(test_attribution)
{
	struct div_result r;
	cJSON *o = run_flaps(1000, 0, &r);

	ck_assert_str_eq(verdict(o), "SHARED-RISK");
	ck_assert_double_eq_tol(num(o, "shared_fate", "joint_impaired_s"), 8.0, 1e-9);
	ck_assert_double_eq_tol(num(o, "shared_fate", "joint_down_s"), 8.0, 1e-9);
	ck_assert_double_eq(num(o, "shared_fate", "impaired_a"), 80);
	ck_assert_uint_eq(r.n_episodes, 8);
	/* window 0 starts an interval before the first record */
	ck_assert_uint_eq(r.ep[0].start_unix_ns, T0 + 20 * 100 * MS);
	ck_assert_uint_eq(r.ep[0].end_unix_ns - r.ep[0].start_unix_ns, 1000 * MS);
	ck_assert_double_eq(num(o, "thresholds", "loss_timeout_ms"), 1000);
	cJSON_Delete(o);
	o = run_flaps(0, 0, &r);
	ck_assert_double_gt(num(o, "shared_fate", "joint_impaired_s"), 13.0);
	cJSON_Delete(o);
}
END_TEST

/*
 * Flaps half a window out of step: each touches 11 windows (half of the
 * first and of the last), so the whole windows both were impaired make
 * 8.8 s, and weighed by the share of their probes lost, the flaps' 8 s
 * (the share is kept in 255ths: 16 half windows of 128/255, 3 ms more).
 */
START_TEST(test_attribution_out_of_step)
{
	struct div_result r;
	cJSON *o = run_flaps(1000, 50, &r);

	ck_assert_str_eq(verdict(o), "SHARED-RISK");
	ck_assert_double_eq_tol(num(o, "shared_fate", "joint_impaired_s"), 8.8, 1e-9);
	ck_assert_double_eq_tol(num(o, "shared_fate", "joint_down_s"), 8.0, 0.004);
	ck_assert_uint_eq(r.n_episodes, 8);
	cJSON_Delete(o);
}
END_TEST

/*
 * A service running for long keeps keep_s of series: the oldest windows
 * go, the verdict covers the rest and says so, and the memory stops
 * growing.
 */
START_TEST(test_keep_bound)
{
	struct div_config cfg = metro_cfg;
	struct link_interval li;
	struct diversity d;
	struct div_result r;
	size_t i, bytes = 0;
	cJSON *o;

	cfg.keep_s = 60;
	ck_assert_int_eq(diversity_init(&d, &cfg, 100), 0);
	for (i = 0; i < 3000; i++) {		/* 300 s */
		rec(&li, i, 0, in_episode(ep_a, 5, i % 300), 2 * MS);
		ck_assert_int_eq(diversity_add(&d, 0, &li), 0);
		ck_assert_int_eq(diversity_add(&d, 1, &li), 0);
		if (i == 1500)
			bytes = diversity_bytes(&d);
	}
	ck_assert_uint_eq(diversity_bytes(&d), bytes);
	o = diversity_finish(&d, &r);
	ck_assert_ptr_nonnull(o);
	ck_assert_double_eq(num(o, "series", "windows"), 600);
	ck_assert_double_eq(num(o, "series", "dropped"), 3001 - 600);
	ck_assert_double_eq(num(o, "series", "keep_s"), 60);
	ck_assert_double_eq(num(o, "shared_fate", "intervals"), 600);
	ck_assert_double_eq(num(o, "availability", "seconds"), 61);
	cJSON_Delete(o);
	diversity_free(&d);
}
END_TEST

/* A service reserves the span at once: its memory does not move as windows come. */
START_TEST(test_reserve_flat)
{
	struct div_config cfg = metro_cfg;
	struct link_interval li;
	struct diversity d;
	size_t i, bytes;

	cfg.keep_s = 60;
	ck_assert_int_eq(diversity_init(&d, &cfg, 100), 0);
	ck_assert_int_eq(diversity_reserve(&d), 0);
	bytes = diversity_bytes(&d);
	ck_assert_uint_ge(bytes, 600 * sizeof(struct div_sample));
	for (i = 0; i < 1200; i++) {		/* 120 s: the ring wraps */
		rec(&li, i, 0, in_episode(ep_a, 5, i % 300), 2 * MS);
		ck_assert_int_eq(diversity_add(&d, 0, &li), 0);
		ck_assert_int_eq(diversity_add(&d, 1, &li), 0);
		ck_assert_uint_eq(diversity_bytes(&d), bytes);
	}
	ck_assert_ptr_nonnull(diversity_sample(&d, d.settled - 1));
	diversity_free(&d);
}
END_TEST

/* The thresholds of the config section change the judgement. */
START_TEST(test_thresholds)
{
	struct div_config cfg = metro_cfg;
	struct link_interval li;
	struct diversity d;
	struct div_result r;
	size_t i;
	cJSON *o;

	/* 5 episodes on each link, not shared: DIVERSE with 3, too few with 6 */
	cfg.min_episodes = 6;
	ck_assert_int_eq(diversity_init(&d, &cfg, 100), 0);
	for (i = 0; i < N; i++) {
		rec(&li, i, 0, in_episode(ep_a, 5, i), 2 * MS);
		diversity_add(&d, 0, &li);
		rec(&li, i, 0, in_episode(ep_b, 5, i), 2 * MS);
		diversity_add(&d, 1, &li);
	}
	o = diversity_finish(&d, &r);
	ck_assert_str_eq(verdict(o), "INSUFFICIENT-EVIDENCE");
	ck_assert_double_eq(num(o, "thresholds", "min_episodes"), 6);
	cJSON_Delete(o);
	diversity_free(&d);
	/* 3% loss in every window: impaired at the default 2%, not at 5% */
	for (i = 0; i < 2; i++) {
		cfg = metro_cfg;
		cfg.rule.loss_ratio = i == 0 ? 0 : 0.05;
		ck_assert_int_eq(diversity_init(&d, &cfg, 100), 0);
		rec(&li, 5, 0, false, 2 * MS);
		li.c.received = 97;
		li.c.lost = 3;
		diversity_add(&d, 0, &li);
		o = diversity_finish(&d, &r);
		ck_assert_double_eq(num(o, "shared_fate", "unknown"), 2);
		ck_assert_double_eq_tol(num(o, "thresholds", "loss_ratio"), i == 0 ? 0.02 : 0.05, 1e-9);
		cJSON_Delete(o);
		ck_assert_ptr_nonnull(diversity_sample(&d, 1));
		ck_assert_uint_eq(diversity_sample(&d, 1)->state[0], i == 0 ? FATE_IMPAIRED : FATE_OK);
		diversity_free(&d);
	}
}
END_TEST

/*
 * Allocations of 4 KiB or more while counting: malloc, calloc and realloc
 * replaced for this executable (glibc calls them through the PLT, its own
 * qsort's included), passed on to glibc's. Not under AddressSanitizer,
 * which replaces them itself.
 */
#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define COUNT_ALLOCS 0
#else
#define COUNT_ALLOCS 1
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t sz);
extern void *__libc_realloc(void *p, size_t n);
#endif
static bool counting;
static size_t big_allocs, big_bytes;

static void
count_alloc(size_t n)
{
	if (counting && n >= 4096) {
		big_allocs++;
		big_bytes += n;
	}
}

#if COUNT_ALLOCS
void *
malloc(size_t n)
{
	count_alloc(n);
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t sz)
{
	count_alloc(n * sz);
	return __libc_calloc(n, sz);
}

void *
realloc(void *p, size_t n)
{
	count_alloc(n);
	return __libc_realloc(p, n);
}
#endif

static int
cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;

	return (a > b) - (a < b);
}

/* Selection agrees with sorting: random, few distinct, sorted, reversed, equal; and its heapsort way out. */
START_TEST(test_nth)
{
	static double v[2000], w[2000];
	uint64_t seed = 11;
	size_t n, k, i, t;

	for (t = 0; t < 3000; t++) {
		int shape = (int)(t % 5);
		unsigned rounds = t % 7 == 0 ? 0 : t % 7 == 1 ? 1 : 1000;

		n = (size_t)rnd_range(&seed, 1, t % 50 == 0 ? 2000 : 64);
		for (i = 0; i < n; i++)
			v[i] = shape == 0 ? rnd_unit(&seed) * 1e3 - 500 :
			       shape == 1 ? (double)rnd_range(&seed, 0, 3) :
			       shape == 2 ? (double)i : shape == 3 ? (double)(n - i) : 7.5;
		memcpy(w, v, n * sizeof(v[0]));
		qsort(w, n, sizeof(w[0]), cmp_double);
		k = (size_t)rnd_range(&seed, 0, n - 1);
		ck_assert_msg(diversity_nth_rounds(v, n, k, rounds) == w[k],
			      "case %zu: n %zu k %zu shape %d rounds %u", t, n, k, shape, rounds);
		/* and again on the reordered array, as the three quantiles are taken */
		k = (size_t)rnd_range(&seed, 0, n - 1);
		ck_assert_double_eq(diversity_nth(v, n, k), w[k]);
	}
}
END_TEST

/* Every page of [p, p + len) resident. */
static bool
resident(const void *p, size_t len)
{
	long pg = sysconf(_SC_PAGESIZE);
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(pg - 1);
	size_t n = ((uintptr_t)p + len - a + (size_t)pg - 1) / (size_t)pg, i;
	unsigned char *vec = malloc(n);
	bool all = vec != NULL && mincore((void *)a, n * (size_t)pg, vec) == 0;

	for (i = 0; all && i < n; i++)
		all = (vec[i] & 1) != 0;
	free(vec);
	return all;
}

/*
 * diversity_reserve takes the rings and the scratch whole and writes every
 * page: resident at once (a malloc and memset the compiler made a calloc
 * left them unmapped, to enter a service's RSS a window at a time).
 */
START_TEST(test_reserve_resident)
{
	struct div_config cfg = metro_cfg;
	struct diversity d;

	/* meson test sets MALLOC_PERTURB_, whose calloc writes every byte: not here */
	mallopt(M_PERTURB, 0);
	cfg.keep_s = 3600;		/* 36,000 windows of 100 ms: 720 kB of samples */
	ck_assert_int_eq(diversity_init(&d, &cfg, 100), 0);
	ck_assert_int_eq(diversity_reserve(&d), 0);
	ck_assert_uint_eq(d.s.cap, 36000);
	ck_assert_uint_ge(d.scratch_cap, 36001 * sizeof(double));
	ck_assert_msg(resident(d.s.p, d.s.cap * d.s.sz), "the samples' ring is not resident");
	ck_assert_msg(resident(d.sec.p, d.sec.cap * d.sec.sz), "the seconds' ring is not resident");
	ck_assert_msg(resident(d.scratch, d.scratch_cap), "the scratch is not resident");
	diversity_free(&d);
}
END_TEST

/*
 * After diversity_reserve, an object (the board's, every few seconds)
 * allocates nothing that grows with the series: its copies go to the
 * scratch, its quantiles are selected in place (glibc's qsort mallocs a
 * copy). Per-object temporaries that grow with the series are what
 * fragmented serve's heap.
 */
START_TEST(test_object_no_alloc)
{
	struct div_config cfg = metro_cfg;
	struct link_interval li;
	struct diversity d;
	struct div_result r;
	size_t i;
	cJSON *o;

	if (!COUNT_ALLOCS)
		return;		/* AddressSanitizer: allocations are not counted */
	cfg.keep_s = 600;		/* 6,000 windows; the ring wraps below */
	ck_assert_int_eq(diversity_init(&d, &cfg, 100), 0);
	ck_assert_int_eq(diversity_reserve(&d), 0);
	for (i = 0; i < 9000; i++) {
		rec(&li, i, 0, in_episode(ep_a, 5, i % 300), 2 * MS + (i % 13) * 10000);
		ck_assert_int_eq(diversity_add(&d, 0, &li), 0);
		rec(&li, i, 0, in_episode(ep_b, 5, i % 300), 2 * MS);
		ck_assert_int_eq(diversity_add(&d, 1, &li), 0);
		if (i % 500 != 499)
			continue;
		counting = true;
		o = diversity_object(&d, &r);
		counting = false;
		ck_assert_ptr_nonnull(o);
		ck_assert_msg(big_allocs == 0, "%zu windows: %zu allocations of %zu bytes in all",
			      (size_t)d.s.n, big_allocs, big_bytes);
		cJSON_Delete(o);
	}
	diversity_free(&d);
}
END_TEST

static Suite *
diversity_suite(void)
{
	Suite *s = suite_create("diversity");
	TCase *tc = tcase_create("diversity");

	tcase_add_test(tc, test_correlated);
	tcase_add_test(tc, test_independent);
	tcase_add_test(tc, test_standard);
	tcase_add_test(tc, test_too_little);
	tcase_add_test(tc, test_pair_down);
	tcase_add_test(tc, test_periodic);
	tcase_add_test(tc, test_attribution);
	tcase_add_test(tc, test_attribution_out_of_step);
	tcase_add_test(tc, test_keep_bound);
	tcase_add_test(tc, test_reserve_flat);
	tcase_add_test(tc, test_nth);
	tcase_add_test(tc, test_reserve_resident);
	tcase_add_test(tc, test_object_no_alloc);
	tcase_add_test(tc, test_thresholds);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(diversity_suite)
