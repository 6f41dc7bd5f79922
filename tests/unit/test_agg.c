/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Control's aggregation: totals against independent sums, loss ratios,
 * percentiles against a sorted oracle (within 1%), gap and replay
 * detection, the live take/reset, and the live line's fixed columns.
 */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "mp_record.h"
#include "mp_test.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1700000000000000000)

static uint64_t rng_state;

static uint64_t
rng(void)
{
	return rnd_next(&rng_state);
}

/* An empty record for interval number seq of a 100 ms stream starting at T0. */
static void
mk(struct link_interval *li, uint64_t seq)
{
	memset(li, 0, sizeof(*li));
	snprintf(li->link, sizeof(li->link), "a");
	li->queues = 1;
	link_interval_reset(li);
	li->seq = seq;
	li->start_unix_ns = T0 + seq * 100 * MS;
	li->end_unix_ns = li->start_unix_ns + 100 * MS;
}

static const cJSON *
jget(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	ck_assert_msg(it != NULL, "summary has no \"%s\"", key);
	return it;
}

static double
jnum(const cJSON *o, const char *key)
{
	const cJSON *it = jget(o, key);

	/* counts are exact integers: raw number text */
	if (cJSON_IsRaw(it))
		return strtod(it->valuestring, NULL);
	ck_assert_msg(cJSON_IsNumber(it), "\"%s\" is not a number", key);
	return it->valuedouble;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* 64-bit counts and times reach the file as exact integers, never as doubles. */
START_TEST(test_exact_integers)
{
	static struct agg_link l;
	static struct link_interval li;
	cJSON *extra = cJSON_CreateObject(), *sum;
	char *text;

	agg_link_init(&l, "a", 0, 100);
	mk(&li, 0);
	li.c.sent = UINT64_C(18446744073709551615);
	li.c.received = UINT64_C(9007199254740993);	/* 2^53 + 1: a double makes it ...992 */
	ck_assert_int_eq(agg_add_interval(&l, &li), 0);
	record_add_u64(extra, "start_unix_ns", UINT64_C(1796376980551096123));
	sum = agg_summary_json(&l, 1, true, "duration", extra);
	ck_assert_ptr_nonnull(sum);
	text = cJSON_PrintUnformatted(sum);
	ck_assert_ptr_nonnull(strstr(text, "\"start_unix_ns\":1796376980551096123,"));
	ck_assert_ptr_nonnull(strstr(text, "\"sent\":18446744073709551615,"));
	ck_assert_ptr_nonnull(strstr(text, "\"received\":9007199254740993,"));
	ck_assert_ptr_null(strstr(text, "e+"));
	free(text);
	cJSON_Delete(sum);
	cJSON_Delete(extra);
}
END_TEST

START_TEST(test_totals_and_percentiles)
{
	static struct agg_link l;
	static struct link_interval li;
	static uint64_t samples[60000];
	static const double qs[] = { 0.5, 0.9, 0.99, 0.999 };
	static const char *const qk[] = { "p50", "p90", "p99", "p999" };
	uint64_t sent = 0, recv = 0, lost = 0, late = 0, dup = 0, reord = 0;
	uint64_t inv_trunc = 0, inv_port = 0, other = 0, txf = 0, jmax = 0, jsum = 0;
	uint64_t res_min = UINT64_MAX, res_max = 0, res_sum = 0, res_n = 0;
	size_t ns = 0, i, k;
	const cJSON *links, *lo, *rtt, *res, *inv;
	cJSON *sum, *extra;

	rng_state = 0x1234567;
	agg_link_init(&l, "a", 0, 100);
	for (i = 0; i < 200; i++) {
		unsigned s, n = (unsigned)(rng() % 300);

		mk(&li, i);
		li.c.sent = 250 + rng() % 50;
		li.c.received = rng() % 250;
		li.c.lost = rng() % 5;
		li.c.late = li.c.lost ? rng() % (li.c.lost + 1) : 0;
		li.c.duplicates = rng() % 3;
		li.c.reordered = rng() % 4;
		li.c.other_link = rng() % 2;
		li.c.tx_failed = rng() % 2;
		li.c.invalid[MP_R_TRUNCATED] = rng() % 3;
		li.c.invalid[MP_R_WRONG_PORT] = rng() % 2;
		for (s = 0; s < n; s++) {
			/* log-uniform 10 us .. 50 ms */
			double u = (double)(rng() >> 11) / 9007199254740992.0;
			uint64_t v = (uint64_t)(10000.0 * pow(5000.0, u));

			hist_add(&li.rtt, v);
			samples[ns++] = v;
		}
		li.jitter_ns = rng() % 20000;
		if (n > 0) {
			jsum += li.jitter_ns;
			if (li.jitter_ns > jmax)
				jmax = li.jitter_ns;
		}
		if (i % 3 == 0) {
			uint64_t r = 2000 + rng() % 10000;

			minmax_add(&li.residence_ns, r);
			res_sum += r;
			res_n++;
			res_min = r < res_min ? r : res_min;
			res_max = r > res_max ? r : res_max;
		}
		sent += li.c.sent;
		recv += li.c.received;
		lost += li.c.lost;
		late += li.c.late;
		dup += li.c.duplicates;
		reord += li.c.reordered;
		other += li.c.other_link;
		txf += li.c.tx_failed;
		inv_trunc += li.c.invalid[MP_R_TRUNCATED];
		inv_port += li.c.invalid[MP_R_WRONG_PORT];
		ck_assert_int_eq(agg_add_interval(&l, &li), 0);
	}
	ck_assert_uint_eq(l.total.c.sent, sent);
	ck_assert_uint_eq(l.total.c.received, recv);
	ck_assert_uint_eq(l.total.rtt.count, ns);
	ck_assert_uint_eq(l.intervals, 200);
	ck_assert_uint_eq(l.gaps, 0);
	ck_assert_uint_eq(l.total.start_unix_ns, T0);
	ck_assert_uint_eq(l.total.end_unix_ns, T0 + 200 * 100 * MS);

	extra = cJSON_CreateObject();
	cJSON_AddStringToObject(extra, "metro", "Zurich Metro");
	sum = agg_summary_json(&l, 1, true, "duration", extra);
	cJSON_Delete(extra);
	ck_assert_ptr_nonnull(sum);
	ck_assert(cJSON_IsTrue(jget(sum, "complete")));
	ck_assert_str_eq(jget(sum, "end_reason")->valuestring, "duration");
	ck_assert_str_eq(jget(sum, "metro")->valuestring, "Zurich Metro");
	links = jget(sum, "links");
	ck_assert_int_eq(cJSON_GetArraySize(links), 1);
	lo = cJSON_GetArrayItem(links, 0);
	ck_assert_str_eq(jget(lo, "name")->valuestring, "a");
	ck_assert(jnum(lo, "sent") == (double)sent);
	ck_assert(jnum(lo, "received") == (double)recv);
	ck_assert(jnum(lo, "lost") == (double)lost);
	ck_assert(jnum(lo, "late") == (double)late);
	ck_assert(jnum(lo, "duplicates") == (double)dup);
	ck_assert(jnum(lo, "reordered") == (double)reord);
	ck_assert(jnum(lo, "returned_via_other_link") == (double)other);
	ck_assert(jnum(lo, "tx_failed") == (double)txf);
	ck_assert(jnum(lo, "invalid") == (double)(inv_trunc + inv_port));
	inv = jget(lo, "invalid_by_reason");
	ck_assert(jnum(inv, "truncated") == (double)inv_trunc);
	ck_assert(jnum(inv, "wrong_port") == (double)inv_port);
	ck_assert_int_eq(cJSON_GetArraySize(inv), 2);
	ck_assert(fabs(jnum(lo, "loss_ratio") - (double)lost / (double)(recv + lost)) < 1e-12);
	ck_assert(fabs(jnum(lo, "loss_ratio_of_sent") - (double)lost / (double)sent) < 1e-12);
	ck_assert(jnum(lo, "gaps") == 0);
	ck_assert(jnum(lo, "intervals") == 200);
	ck_assert(jnum(lo, "rtt_samples") == (double)ns);

	/* percentiles against the sorted samples: the ceil(q n)-th smallest */
	qsort(samples, ns, sizeof(samples[0]), cmp_u64);
	rtt = jget(lo, "rtt_us");
	for (k = 0; k < 4; k++) {
		size_t rank = (size_t)ceil(qs[k] * (double)ns);
		double want = (double)samples[rank - 1] / 1000.0;
		double got = jnum(rtt, qk[k]);

		ck_assert_msg(fabs(got - want) <= 0.01 * want, "%s: got %.3f us, oracle %.3f us",
			      qk[k], got, want);
	}
	ck_assert(fabs(jnum(rtt, "min") - (double)samples[0] / 1000.0) <= 0.0005);
	ck_assert(fabs(jnum(rtt, "max") - (double)samples[ns - 1] / 1000.0) <= 0.0005);
	{
		double mean = 0;

		for (i = 0; i < ns; i++)
			mean += (double)samples[i];
		mean /= (double)ns * 1000.0;
		ck_assert(fabs(jnum(rtt, "mean") - mean) <= 0.0005 + mean * 1e-12);
	}
	ck_assert(fabs(jnum(lo, "jitter_us") - (double)jmax / 1000.0) <= 0.0005);
	ck_assert(jnum(lo, "jitter_mean_us") > 0);
	res = jget(lo, "residence_us");
	ck_assert(fabs(jnum(res, "min") - (double)res_min / 1000.0) <= 0.0005);
	ck_assert(fabs(jnum(res, "max") - (double)res_max / 1000.0) <= 0.0005);
	ck_assert(fabs(jnum(res, "mean") - (double)res_sum / (double)res_n / 1000.0) <= 0.0005);
	cJSON_Delete(sum);
}
END_TEST

/* Three decimals: 41234 ns -> 41.234 us, printed as such. */
START_TEST(test_three_decimals_and_nulls)
{
	static struct agg_link l[2];
	static struct link_interval li;
	const cJSON *lo, *rtt;
	cJSON *sum;
	char *text;

	agg_link_init(&l[0], "a", 0, 100);
	agg_link_init(&l[1], "b", 1, 100);
	mk(&li, 0);
	li.c.sent = 10;
	li.c.received = 10;
	hist_add(&li.rtt, 41234);
	hist_add(&li.rtt, 41234);
	li.jitter_ns = 1500;
	ck_assert_int_eq(agg_add_interval(&l[0], &li), 0);
	sum = agg_summary_json(l, 2, false, "signal", NULL);
	ck_assert_ptr_nonnull(sum);
	ck_assert(cJSON_IsFalse(jget(sum, "complete")));
	lo = cJSON_GetArrayItem(jget(sum, "links"), 0);
	rtt = jget(lo, "rtt_us");
	text = cJSON_PrintUnformatted(rtt);
	ck_assert_str_eq(text, "{\"min\":41.234,\"mean\":41.234,\"p50\":41.234,\"p90\":41.234,"
			 "\"p99\":41.234,\"p999\":41.234,\"max\":41.234}");
	cJSON_free(text);
	ck_assert(jnum(lo, "loss_ratio") == 0);
	ck_assert(jnum(lo, "jitter_us") == 1.5);

	/* link b saw nothing: ratios and times are null, not zero */
	lo = cJSON_GetArrayItem(jget(sum, "links"), 1);
	ck_assert_str_eq(jget(lo, "name")->valuestring, "b");
	ck_assert(cJSON_IsNull(jget(lo, "loss_ratio")));
	ck_assert(cJSON_IsNull(jget(lo, "loss_ratio_of_sent")));
	ck_assert(cJSON_IsNull(jget(jget(lo, "rtt_us"), "p99")));
	ck_assert(cJSON_IsNull(jget(jget(lo, "rtt_us"), "min")));
	ck_assert(cJSON_IsNull(jget(lo, "jitter_us")));
	ck_assert(cJSON_IsNull(jget(jget(lo, "residence_us"), "mean")));
	ck_assert(jnum(lo, "intervals") == 0);
	cJSON_Delete(sum);

	/* probes sent, none with a known fate yet: loss_ratio null, of_sent 0 */
	agg_link_init(&l[1], "b", 1, 100);
	mk(&li, 0);
	li.c.sent = 100;
	agg_add_interval(&l[1], &li);
	sum = agg_summary_json(&l[1], 1, true, NULL, NULL);
	ck_assert(cJSON_IsNull(jget(sum, "end_reason")));
	lo = cJSON_GetArrayItem(jget(sum, "links"), 0);
	ck_assert(cJSON_IsNull(jget(lo, "loss_ratio")));
	ck_assert(jnum(lo, "loss_ratio_of_sent") == 0);
	cJSON_Delete(sum);
}
END_TEST

START_TEST(test_gaps)
{
	static struct agg_link l;
	static struct link_interval li;
	const cJSON *lo;
	cJSON *sum;

	agg_link_init(&l, "a", 0, 100);
	mk(&li, 0);
	ck_assert_int_eq(agg_add_interval(&l, &li), 0);
	mk(&li, 1);			/* contiguous */
	ck_assert_int_eq(agg_add_interval(&l, &li), 0);
	ck_assert_uint_eq(l.gaps, 0);

	/* 150 ms of silence is exactly 1.5 intervals: not a gap */
	mk(&li, 2);
	li.start_unix_ns += 150 * MS;
	li.end_unix_ns += 150 * MS;
	ck_assert_int_eq(agg_add_interval(&l, &li), 0);
	ck_assert_uint_eq(l.gaps, 0);

	/* 151 ms: a gap of 151 ms */
	mk(&li, 3);
	li.start_unix_ns = l.last_end_ns + 151 * MS;
	li.end_unix_ns = li.start_unix_ns + 100 * MS;
	ck_assert_int_eq(agg_add_interval(&l, &li), 0);
	ck_assert_uint_eq(l.gaps, 1);
	ck_assert_uint_eq(l.gap_ns, 151 * MS);

	/* a replayed record (ends no later than the newest) is ignored */
	mk(&li, 1);
	li.c.sent = 1000;
	ck_assert_int_eq(agg_add_interval(&l, &li), -EALREADY);
	ck_assert_uint_eq(l.stale, 1);
	ck_assert_uint_eq(l.total.c.sent, 0);
	ck_assert_uint_eq(l.intervals, 4);

	/* a dataplane restart (seq from 0 again, later times) is merged, after a 5 s gap */
	mk(&li, 0);
	li.start_unix_ns = l.last_end_ns + 5000 * MS;
	li.end_unix_ns = li.start_unix_ns + 100 * MS;
	li.c.sent = 7;
	ck_assert_int_eq(agg_add_interval(&l, &li), 0);
	ck_assert_uint_eq(l.gaps, 2);
	ck_assert_uint_eq(l.gap_ns, 5151 * MS);
	ck_assert_uint_eq(l.total.c.sent, 7);

	/* the run ends 2 s after the last record: a trailing gap, counted once */
	agg_finish(&l, l.last_end_ns + 2000 * MS);
	agg_finish(&l, l.last_end_ns);
	ck_assert_uint_eq(l.gaps, 3);
	ck_assert_uint_eq(l.gap_ns, 7151 * MS);

	sum = agg_summary_json(&l, 1, false, "error", NULL);
	lo = cJSON_GetArrayItem(jget(sum, "links"), 0);
	ck_assert(jnum(lo, "gaps") == 3);
	ck_assert(jnum(lo, "gap_s") == 7.151);
	ck_assert(jnum(lo, "stale_records") == 1);
	cJSON_Delete(sum);

	/* finish right after the last record: no gap */
	agg_link_init(&l, "a", 0, 100);
	agg_finish(&l, T0);		/* no record at all: nothing to measure from */
	mk(&li, 0);
	agg_add_interval(&l, &li);
	agg_finish(&l, li.end_unix_ns + 100 * MS);
	ck_assert_uint_eq(l.gaps, 0);
}
END_TEST

START_TEST(test_live_take)
{
	static struct agg_link l;
	static struct link_interval li, out;
	uint64_t i;

	agg_link_init(&l, "east", 1, 100);
	for (i = 0; i < 3; i++) {
		mk(&li, i);
		li.c.sent = 100;
		li.c.received = 90 + i;
		hist_add(&li.rtt, 1000 * (i + 1));
		li.jitter_ns = 10 * (i + 1);
		ck_assert_int_eq(agg_add_interval(&l, &li), 0);
	}
	ck_assert_uint_eq(agg_take_live(&l, &out), 3);
	ck_assert_str_eq(out.link, "east");
	ck_assert_uint_eq(out.link_index, 1);
	ck_assert_uint_eq(out.c.sent, 300);
	ck_assert_uint_eq(out.c.received, 273);
	ck_assert_uint_eq(out.rtt.count, 3);
	ck_assert_uint_eq(out.rtt.min_ns, 1000);
	ck_assert_uint_eq(out.rtt.max_ns, 3000);
	ck_assert_uint_eq(out.jitter_ns, 30);
	ck_assert_uint_eq(out.start_unix_ns, T0);
	ck_assert_uint_eq(out.end_unix_ns, T0 + 300 * MS);

	/* reset: the next take holds nothing */
	ck_assert_uint_eq(agg_take_live(&l, &out), 0);
	ck_assert_uint_eq(out.c.sent, 0);
	ck_assert_uint_eq(out.rtt.count, 0);
	ck_assert_uint_eq(out.rtt.min_ns, UINT64_MAX);
	ck_assert_uint_eq(out.start_unix_ns, 0);
	ck_assert_str_eq(out.link, "east");

	/* then only what came after */
	mk(&li, 3);
	li.c.sent = 5;
	hist_add(&li.rtt, 7000);
	agg_add_interval(&l, &li);
	ck_assert_uint_eq(agg_take_live(&l, &out), 1);
	ck_assert_uint_eq(out.c.sent, 5);
	ck_assert_uint_eq(out.rtt.min_ns, 7000);
	ck_assert_uint_eq(out.start_unix_ns, T0 + 300 * MS);
	/* the run total is untouched by takes */
	ck_assert_uint_eq(l.total.c.sent, 305);
	ck_assert_uint_eq(l.total.rtt.count, 4);
	ck_assert_uint_eq(l.intervals, 4);
}
END_TEST

START_TEST(test_live_line)
{
	static struct link_interval sec;
	char buf[256], small[40];
	int i;

	mk(&sec, 0);
	sec.c.sent = 1000;
	sec.c.received = 990;
	sec.c.lost = 10;
	for (i = 0; i < 100; i++)
		hist_add(&sec.rtt, 41200);
	sec.jitter_ns = 3100;
	ck_assert_int_eq(agg_live_line("a", &sec, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "a        sent      1000 recv       990 lost     10 loss  1.00% "
			 "rtt p50   41.2us p99   41.2us jitter    3.1us");

	/* milliseconds, extras, a long name */
	hist_reset(&sec.rtt);
	hist_add(&sec.rtt, 12345678);
	sec.jitter_ns = 2500000;
	sec.c.duplicates = 2;
	sec.c.invalid[MP_R_TRUNCATED] = 3;
	sec.c.late = 1;
	ck_assert_int_eq(agg_live_line("amsterdam", &sec, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "amsterdam sent      1000 recv       990 lost     10 loss  1.00% "
			 "rtt p50  12.35ms p99  12.35ms jitter   2.50ms late 1 dup 2 inv 3");

	/* nothing known: dashes, not zeros */
	mk(&sec, 0);
	ck_assert_int_eq(agg_live_line("b", &sec, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "b        sent         0 recv         0 lost      0 loss      - "
			 "rtt p50        - p99        - jitter        -");

	/* truncation is reported, the buffer stays terminated */
	ck_assert_int_eq(agg_live_line("b", &sec, small, sizeof(small)), -ENOSPC);
	ck_assert_uint_eq(strlen(small), sizeof(small) - 1);
}
END_TEST

/* What two records saw of a twampy-like reflector, in the summary. */
START_TEST(test_reflector_summary)
{
	static struct agg_link l[2];
	static struct link_interval li;
	const cJSON *lo, *rf;
	cJSON *sum;
	char *text;
	uint64_t k;

	agg_link_init(&l[0], "a", 0, 100);
	agg_link_init(&l[1], "b", 1, 100);
	for (k = 0; k < 2; k++) {
		mk(&li, k);
		li.refl.replies = 10;
		li.refl.ssid_zero = 10;
		li.refl.stateful = 10;
		li.refl.t2_eq_t3 = 10;
		li.refl.no_sender_ttl = 10;
		li.refl.bytes_min = k == 0 ? 38 : 44;
		li.refl.bytes_max = k == 0 ? 38 : 52;
		li.refl.trailer = k == 0 ? 0 : 3;
		ck_assert_int_eq(agg_add_interval(&l[0], &li), 0);
	}
	sum = agg_summary_json(l, 2, true, "duration", NULL);
	ck_assert_ptr_nonnull(sum);
	lo = cJSON_GetArrayItem(jget(sum, "links"), 0);
	rf = jget(lo, "reflector");
	text = cJSON_PrintUnformatted(rf);
	ck_assert_str_eq(text, "{\"replies\":20,\"ssid_echoed\":false,\"stateful\":true,"
			 "\"reply_bytes_min\":38,\"reply_bytes_max\":52,\"sender_ttl_seen\":false,"
			 "\"t2_equals_t3\":true,\"timestamp_format\":\"ntp\",\"tlvs_echoed\":true,"
			 "\"counts\":{\"ssid_echoed\":0,\"ssid_zero\":20,\"stateful\":20,"
			 "\"t2_equals_t3\":20,\"ptp\":0,\"no_sender_ttl\":20,\"sender_ttl_zero\":0,"
			 "\"past_base_packet\":3}}");
	cJSON_free(text);
	/* no replies: nothing is known of the reflector */
	lo = cJSON_GetArrayItem(jget(sum, "links"), 1);
	ck_assert(cJSON_IsNull(jget(lo, "reflector")));
	cJSON_Delete(sum);
}
END_TEST

static Suite *
agg_suite(void)
{
	Suite *s = suite_create("agg");
	TCase *tc = tcase_create("agg");

	tcase_add_test(tc, test_totals_and_percentiles);
	tcase_add_test(tc, test_three_decimals_and_nulls);
	tcase_add_test(tc, test_gaps);
	tcase_add_test(tc, test_live_take);
	tcase_add_test(tc, test_live_line);
	tcase_add_test(tc, test_reflector_summary);
	tcase_add_test(tc, test_exact_integers);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(agg_suite)
