/* SPDX-License-Identifier: BSD-3-Clause */
/* Rate syntax, packets per second at a frame size, and the TSC pacer. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_rate.h"
#include "mp_test.h"

static const struct {
	const char *text;
	enum rate_kind kind;
	uint64_t value;
	const char *canonical;		/* rate_format's output */
} good[] = {
	{ "1000pps", RATE_PPS, 1000000, "1kpps" },
	{ "2.5kpps", RATE_PPS, 2500000, "2.5kpps" },
	{ "1Mpps", RATE_PPS, 1000000000, "1Mpps" },
	{ "14.88095238Mpps", RATE_PPS, 14880952380, "14.88095238Mpps" },
	{ "1.5Gpps", RATE_PPS, 1500000000000, "1.5Gpps" },
	{ "0.001pps", RATE_PPS, 1, "0.001pps" },
	{ "999.999pps", RATE_PPS, 999999, "999.999pps" },
	{ "10Kpps", RATE_PPS, 10000000, "10kpps" },
	{ "0010pps", RATE_PPS, 10000, "10pps" },
	{ "10Mbps", RATE_BPS, 10000000, "10Mbps" },
	{ "9.5Gbps", RATE_BPS, 9500000000, "9.5Gbps" },
	{ "400kbps", RATE_BPS, 400000, "400kbps" },
	{ "100Gbps", RATE_BPS, 100000000000, "100Gbps" },
	{ "1bps", RATE_BPS, 1, "1bps" },
	{ "1.5000kbps", RATE_BPS, 1500, "1.5kbps" },
	{ "18446744073709551615bps", RATE_BPS, UINT64_MAX, "18446744073.709551615Gbps" },
	{ "12.5%", RATE_PCT, 125000, "12.5%" },
	{ "100%", RATE_PCT, 1000000, "100%" },
	{ "100.0000%", RATE_PCT, 1000000, "100%" },
	{ "0.0001%", RATE_PCT, 1, "0.0001%" },
	{ "line", RATE_LINE, 0, "line" },
};

static const char *const bad[] = {
	"", "-5pps", "-1%", "0pps", "0.000pps", "0%", "0Gbps", "5", "5.", "5.pps",
	".5pps", "+5pps", "5 pps", " 5pps", "5pps ", "5\tpps", "5pps\n", "5ppm",
	"5ppsx", "5Tbps", "5mbps", "5kkpps", "5%%", "1.2.3pps", "101%",
	"100.0001%", "NaN", "nan", "inf", "1e6pps", "0.0001pps", "1.5bps",
	"18446744073709551616bps", "99999999999999999999999999pps",
	"18446744073709552kpps", "Line", "line2", "lines", "pps", "%", "k",
	"0x10pps", "1,5kpps",
};

START_TEST(test_parse_good)
{
	unsigned i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct rate r = { RATE_BPS, 12345 };
		const char *err = NULL;

		ck_assert_msg(rate_parse(good[i].text, &r, &err) == 0, "\"%s\": %s",
			      good[i].text, err != NULL ? err : "?");
		ck_assert_msg(r.kind == good[i].kind, "\"%s\": kind %d", good[i].text, r.kind);
		ck_assert_msg(r.value == good[i].value, "\"%s\": value %llu", good[i].text,
			      (unsigned long long)r.value);
	}
}
END_TEST

START_TEST(test_parse_bad)
{
	unsigned i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rate r = { RATE_BPS, 12345 };
		const char *err = NULL;

		ck_assert_msg(rate_parse(bad[i], &r, &err) == -EINVAL, "\"%s\" accepted", bad[i]);
		ck_assert_msg(err != NULL && err[0] != '\0', "\"%s\": no reason", bad[i]);
		ck_assert_msg(r.kind == RATE_BPS && r.value == 12345, "\"%s\": r written", bad[i]);
	}
	ck_assert_int_eq(rate_parse(NULL, &(struct rate){ 0 }, NULL), -EINVAL);
	/* err is optional */
	ck_assert_int_eq(rate_parse("junk", &(struct rate){ 0 }, NULL), -EINVAL);
}
END_TEST

START_TEST(test_parse_reasons)
{
	const char *err = NULL;
	struct rate r;

	ck_assert_int_eq(rate_parse("-5pps", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "negative"));
	ck_assert_int_eq(rate_parse("0pps", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "zero"));
	ck_assert_int_eq(rate_parse("101%", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "100%"));
	ck_assert_int_eq(rate_parse("5 pps", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "spaces"));
	ck_assert_int_eq(rate_parse("5furlongs", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unit"));
	ck_assert_int_eq(rate_parse("5", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "unit"));
	ck_assert_int_eq(rate_parse("99999999999999999999bps", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "large"));
	ck_assert_int_eq(rate_parse("", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "empty"));
	ck_assert_int_eq(rate_parse("NaN", &r, &err), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "number"));
}
END_TEST

START_TEST(test_format_round_trip)
{
	char buf[64];
	unsigned i;
	uint64_t s = 3;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct rate r = { good[i].kind, good[i].value };

		ck_assert_int_eq(rate_format(&r, buf, sizeof(buf)), 0);
		ck_assert_str_eq(buf, good[i].canonical);
	}
	/* random values of every kind print and parse back to themselves */
	for (i = 0; i < 300000; i++) {
		struct rate r, back;
		const char *err = NULL;

		r.kind = (enum rate_kind)(rnd_next(&s) % 3);
		r.value = rnd_next(&s) >> (rnd_next(&s) % 64);
		if (r.kind == RATE_PCT)
			r.value %= 1000000;
		if (r.value == 0)
			r.value = 1;
		if (rate_format(&r, buf, sizeof(buf)) != 0)
			ck_abort_msg("format %d %llu", r.kind, (unsigned long long)r.value);
		if (rate_parse(buf, &back, &err) != 0 || back.kind != r.kind ||
		    back.value != r.value)
			ck_abort_msg("%d %llu -> \"%s\" -> %s", r.kind,
				     (unsigned long long)r.value, buf, err != NULL ? err : "other value");
	}
	/* too small a buffer */
	ck_assert_int_eq(rate_format(&(struct rate){ RATE_PPS, 2500000 }, buf, 7), -ENOSPC);
	ck_assert_int_eq(rate_format(&(struct rate){ RATE_PPS, 2500000 }, buf, 8), 0);
	ck_assert_str_eq(buf, "2.5kpps");
	ck_assert_int_eq(rate_format(&(struct rate){ RATE_LINE, 0 }, buf, 4), -ENOSPC);
}
END_TEST

START_TEST(test_mpps_milli)
{
	struct rate line = { RATE_LINE, 0 };
	struct rate r;

	ck_assert_uint_eq(wire_bits(64), 672);
	ck_assert_uint_eq(wire_bits(1518), 12304);
	ck_assert_uint_eq(wire_bits(UINT32_MAX), ((uint64_t)UINT32_MAX + 20) * 8);
	/* 10 Gb/s / 672 bits = 14 880 952.38 pps; 100G = 148 809 523.8 */
	ck_assert_uint_eq(rate_mpps_milli(&line, 64, 10000000000ull), 14880952380ull);
	ck_assert_uint_eq(rate_mpps_milli(&line, 64, 100000000000ull), 148809523809ull);
	ck_assert_uint_eq(rate_mpps_milli(&line, 1518, 10000000000ull), 812743823ull);
	ck_assert_uint_eq(rate_mpps_milli(&line, 64, 0), 0);
	ck_assert_int_eq(rate_parse("10Gbps", &r, NULL), 0);
	ck_assert_uint_eq(rate_mpps_milli(&r, 64, 0), 14880952380ull);
	ck_assert_uint_eq(rate_mpps_milli(&r, 64, 1), 14880952380ull);
	ck_assert_int_eq(rate_parse("50%", &r, NULL), 0);
	ck_assert_uint_eq(rate_mpps_milli(&r, 64, 10000000000ull), 7440476190ull);
	ck_assert_uint_eq(rate_mpps_milli(&r, 64, 0), 0);
	ck_assert_int_eq(rate_parse("100%", &r, NULL), 0);
	ck_assert_uint_eq(rate_mpps_milli(&r, 64, 100000000000ull), 148809523809ull);
	ck_assert_int_eq(rate_parse("2.5kpps", &r, NULL), 0);
	ck_assert_uint_eq(rate_mpps_milli(&r, 9000, 0), 2500000);
	/* 1 Mb/s at 105-byte frames: 1e9 / 1000 = 1 000 000 milli exactly */
	ck_assert_int_eq(rate_parse("1Mbps", &r, NULL), 0);
	ck_assert_uint_eq(rate_mpps_milli(&r, 105, 0), 1000000);
	/* saturates instead of wrapping */
	r.kind = RATE_BPS;
	r.value = UINT64_MAX;
	ck_assert_uint_eq(rate_mpps_milli(&r, 0, 0), UINT64_MAX);
	ck_assert_uint_eq(rate_mpps_milli(&r, UINT32_MAX, 0),
			  (uint64_t)(((unsigned __int128)UINT64_MAX * 1000) /
				     (((uint64_t)UINT32_MAX + 20) * 8)));
}
END_TEST

START_TEST(test_pacer_init)
{
	struct pacer p;

	ck_assert_int_eq(pacer_init(&p, 0, 1000, 0, 32), -EINVAL);
	ck_assert_int_eq(pacer_init(&p, 2100000000, 0, 0, 32), -EINVAL);
	ck_assert_int_eq(pacer_init(&p, 2100000000, 1000, 0, 0), -EINVAL);
	/* 2e9 pps on a 1 GHz TSC: half a cycle per packet */
	ck_assert_int_eq(pacer_init(&p, 1000000000, 2000000000000ull, 0, 32), -EINVAL);
	ck_assert_int_eq(pacer_init(&p, 1000000000, 1000000000000ull, 7, 32), 0);
	ck_assert_uint_eq(p.period_tsc, 1);
	ck_assert_uint_eq(p.period_frac, 0);
	ck_assert_uint_eq(p.next_tsc, 7);
	/* 14.88 Mpps at 2.1 GHz: 141.1200049 cycles = 141 + 7864/65536 */
	ck_assert_int_eq(pacer_init(&p, 2100000000, 14880952380ull, 100, 32), 0);
	ck_assert_uint_eq(p.period_tsc, 141);
	ck_assert_uint_eq(p.period_frac, 7864);
	ck_assert_uint_eq(p.catchup_tsc, 32 * 141);
	ck_assert_uint_eq(p.skipped, 0);
	ck_assert_uint_eq(pacer_next_tsc(&p), 100);
	/* 1 pps at 2.1 GHz */
	ck_assert_int_eq(pacer_init(&p, 2100000000, 1000, 0, 32), 0);
	ck_assert_uint_eq(p.period_tsc, 2100000000);
	ck_assert_uint_eq(p.period_frac, 0);
}
END_TEST

/* Deadlines whose whole cycle is <= now, from start, at period_q16 / 65536 cycles. */
static uint64_t
deadlines_by(uint64_t start, uint64_t now, uint64_t period_q16)
{
	unsigned __int128 span = (unsigned __int128)(now - start + 1) << 16;

	return (uint64_t)((span + period_q16 - 1) / period_q16);
}

static uint64_t
period_q16_of(const struct pacer *p)
{
	return (p->period_tsc << 16) | p->period_frac;
}

START_TEST(test_pacer_skip_exact)
{
	struct pacer a, b;
	uint64_t i, n = 1000003;

	ck_assert_int_eq(pacer_init(&a, 2100000000, 14880952380ull, 5, 32), 0);
	b = a;
	for (i = 0; i < n; i++)
		pacer_advance(&b);
	pacer_skip(&a, n);
	ck_assert_uint_eq(a.next_tsc, b.next_tsc);
	ck_assert_uint_eq(a.next_frac, b.next_frac);
	ck_assert_uint_eq(a.skipped, n);
	ck_assert_uint_eq(b.skipped, 0);
	/* and it is the closed form start + n * period */
	ck_assert_uint_eq(a.next_tsc, 5 + (uint64_t)(((unsigned __int128)n * period_q16_of(&a)) >> 16));
	pacer_skip(&a, 0);
	ck_assert_uint_eq(a.next_tsc, b.next_tsc);
}
END_TEST

/* 10 simulated seconds with a fake TSC moving in random steps of up to 4 periods. */
static void
pace_steady(uint64_t hz, uint64_t rate_milli, uint64_t seed)
{
	const uint32_t max = 32;
	struct pacer p;
	uint64_t s = seed, start = 987654321, now, end, released = 0, step_max;
	uint64_t want_exact;
	double want_rate, err;

	ck_assert_int_eq(pacer_init(&p, hz, rate_milli, start, 64), 0);
	step_max = 4 * p.period_tsc;
	end = start + 10 * hz;
	now = start;
	while (now < end) {
		uint32_t n;

		now += 1 + rnd_next(&s) % step_max;
		if (now > end)
			now = end;
		n = pacer_due(&p, now, max);
		if (n > max)
			ck_abort_msg("n %u > max", n);
		released += n;
	}
	ck_assert_uint_eq(p.skipped, 0);
	/* exactly the deadlines the quantised period puts before `end` */
	want_exact = deadlines_by(start, end, period_q16_of(&p));
	ck_assert_uint_eq(released, want_exact);
	/* and within 0.01% (in fact 1e-6) of rate * 10 s */
	want_rate = (double)rate_milli / 1000.0 * 10.0;
	err = ((double)released - want_rate) / want_rate;
	ck_assert_msg(err < 1e-6 + 1.0 / want_rate && err > -1e-6 - 1.0 / want_rate,
		      "hz %llu rate %llu milli: released %llu, want %.1f",
		      (unsigned long long)hz, (unsigned long long)rate_milli,
		      (unsigned long long)released, want_rate);
}

/*
 * The whole-burst step gives exactly what PACER_BURST single steps give:
 * same counts, same deadlines, at rates from 1 pps to 148.8 Mpps, with a
 * clock that jumps from a fraction of a period to several bursts.
 */
START_TEST(test_pacer_burst_step)
{
	static const uint64_t rates[] = { 1000, 1000000, 14880952380ull, 148809523809ull,
					  13000001234ull, 999999999ull };
	unsigned k;

	for (k = 0; k < sizeof(rates) / sizeof(rates[0]); k++) {
		struct pacer a, b;
		uint64_t s = 77 + k, now = 5000, fast = 0;
		uint32_t i;

		ck_assert_int_eq(pacer_init(&a, 2100000000, rates[k], now, 1u << 20), 0);
		b = a;
		b.burst_q16 = 0;		/* single steps only */
		b.burst_span_tsc = UINT64_MAX;
		ck_assert_uint_ne(a.burst_q16, 0);
		for (i = 0; i < 200000; i++) {
			uint32_t na, nb;
			uint64_t before = a.next_tsc;

			now += rnd_next(&s) % (3 * PACER_BURST * a.period_tsc + 2);
			if (now >= before && now - before >= a.burst_span_tsc)
				fast++;
			na = pacer_due(&a, now, PACER_BURST);
			nb = pacer_due(&b, now, PACER_BURST);
			ck_assert_uint_eq(na, nb);
			ck_assert_uint_eq(a.next_tsc, b.next_tsc);
			ck_assert_uint_eq(a.next_frac, b.next_frac);
			ck_assert_uint_eq(a.skipped, b.skipped);
		}
		/* the whole-burst step was taken often */
		ck_assert_uint_gt(fast, 1000);
	}
}
END_TEST

START_TEST(test_pacer_steady)
{
	static const uint64_t hzs[] = { 2100000000, 2000000000 };
	static const uint64_t rates[] = { 1000000, 100000000, 1000000000, 14880952380ull };
	unsigned i, j;

	for (i = 0; i < 2; i++)
		for (j = 0; j < 4; j++)
			pace_steady(hzs[i], rates[j], i * 4 + j + 1);
}
END_TEST

/* Random stalls: never more than `catchup` at once, and nothing is lost from the books. */
static void
pace_stalls(uint64_t hz, uint64_t rate_milli, uint32_t catchup, uint64_t span_tsc,
	    uint64_t seed)
{
	const uint32_t max = 64;
	struct pacer p;
	uint64_t s = seed, start = 5, now, end, released = 0, stalls = 0, total;
	double want_rate;

	ck_assert_int_eq(pacer_init(&p, hz, rate_milli, start, catchup), 0);
	end = start + span_tsc;
	now = start;
	while (now < end) {
		uint64_t step, before = p.skipped;
		bool stall = rnd_next(&s) % 5000 == 0;
		uint32_t n;

		if (stall)	/* from 2 * catchup periods to 1/200 of the run */
			step = 2 * (uint64_t)catchup * (p.period_tsc + 1) +
			       rnd_next(&s) % (span_tsc / 200);
		else
			step = 1 + rnd_next(&s) % (2 * p.period_tsc);
		now += step;
		if (now > end)
			now = end;
		n = pacer_due(&p, now, max);
		if (n > catchup || n > max)
			ck_abort_msg("%u due at once, catchup %u", n, catchup);
		if (stall && now < end) {
			stalls++;
			if (n != catchup || p.skipped == before)
				ck_abort_msg("after a stall: %u due, skipped %llu", n,
					     (unsigned long long)(p.skipped - before));
		}
		/* the pacer never skips a deadline that is not due yet */
		if (p.next_tsc > now + p.period_tsc + 1)
			ck_abort_msg("skipped past now");
		released += n;
	}
	ck_assert_uint_gt(stalls, 0);
	ck_assert_uint_gt(p.skipped, 0);
	total = released + p.skipped;
	ck_assert_uint_eq(total, deadlines_by(start, end, period_q16_of(&p)));
	/* rate * time, within 0.01% */
	want_rate = (double)rate_milli / 1000.0 * (double)span_tsc / (double)hz;
	ck_assert_msg(fabs((double)total - want_rate) <= 1e-4 * want_rate,
		      "released + skipped %llu, rate * time %.1f",
		      (unsigned long long)total, want_rate);
}

START_TEST(test_pacer_catchup)
{
	/* 1 Mpps: a whole period; 14.88 Mpps: a fractional one; over 10 s */
	pace_stalls(2100000000, 1000000000, 16, 21000000000ull, 1);
	pace_stalls(2100000000, 14880952380ull, 32, 21000000000ull, 2);
	pace_stalls(2000000000, 14880952380ull, 1, 20000000000ull, 3);
	pace_stalls(2000000000, 100000000, 64, 20000000000ull, 4);
	/* period 1.99 cycles (worst case for a whole-cycle estimate), 10 ms */
	pace_stalls(2000000000, 1005025125628ull, 8, 20000000, 5);
}
END_TEST

START_TEST(test_pacer_max)
{
	const uint32_t max = 3;
	struct pacer p;
	uint64_t s = 77, now = 0, released = 0, end = 2000000000;
	uint32_t n;

	ck_assert_int_eq(pacer_init(&p, 2000000000, 1000000000, 0, 1000), 0);
	while (now < end) {
		now += 1 + rnd_next(&s) % (50 * p.period_tsc);
		if (now > end)
			now = end;
		n = pacer_due(&p, now, max);
		if (n > max)
			ck_abort_msg("n %u > max %u", n, max);
		released += n;
	}
	/* drain what the cap held back */
	while ((n = pacer_due(&p, now, max)) > 0) {
		ck_assert_uint_le(n, max);
		released += n;
	}
	ck_assert_uint_eq(released + p.skipped, deadlines_by(0, now, period_q16_of(&p)));
	/* before the first deadline nothing is due */
	ck_assert_int_eq(pacer_init(&p, 2000000000, 1000000000, 5000, 8), 0);
	ck_assert_uint_eq(pacer_due(&p, 4999, 32), 0);
	ck_assert_uint_eq(pacer_due(&p, 5000, 32), 1);
	ck_assert_uint_eq(pacer_due(&p, 5000, 32), 0);
	ck_assert_uint_eq(pacer_due(&p, 6999, 32), 0);
	ck_assert_uint_eq(pacer_due(&p, 7000, 32), 1);
	ck_assert_uint_eq(pacer_due(&p, 7000 + 2000 * 5, 0), 0);
	ck_assert_uint_eq(pacer_due(&p, 7000 + 2000 * 5, 32), 5);
}
END_TEST

static Suite *
rate_suite(void)
{
	Suite *s = suite_create("rate");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_parse_good);
	tcase_add_test(tc, test_parse_bad);
	tcase_add_test(tc, test_parse_reasons);
	tcase_add_test(tc, test_format_round_trip);
	tcase_add_test(tc, test_mpps_milli);
	tcase_add_test(tc, test_pacer_init);
	tcase_add_test(tc, test_pacer_skip_exact);
	tcase_add_test(tc, test_pacer_steady);
	tcase_add_test(tc, test_pacer_burst_step);
	tcase_add_test(tc, test_pacer_catchup);
	tcase_add_test(tc, test_pacer_max);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(rate_suite)
