/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The report's SVG charts (control/svg_chart.c): scales against known
 * values (the axis ends map to the plot's edges, log decades evenly),
 * nice tick steps (1, 2 or 5 x 10^n) and ranges widened to them, bars
 * and lines drawn for the values there are (NaN skipped), "no data" for
 * none, and text escaped.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "count_str.h"
#include "mp_test.h"
#include "svg_chart.h"

START_TEST(test_scale_linear)
{
	struct svg_scale s = { .d0 = 0, .d1 = 100, .r0 = 250, .r1 = 50 };

	ck_assert_double_eq(svg_scale_map(&s, 0), 250);
	ck_assert_double_eq(svg_scale_map(&s, 100), 50);	/* the max: the plot's top */
	ck_assert_double_eq(svg_scale_map(&s, 50), 150);
	ck_assert(isnan(svg_scale_map(&s, NAN)));
	s.d1 = 0;	/* degenerate: everything at the start, never a division by 0 */
	ck_assert_double_eq(svg_scale_map(&s, 7), 250);
}
END_TEST

START_TEST(test_scale_log)
{
	struct svg_scale s = { .d0 = 1, .d1 = 1000, .r0 = 0, .r1 = 300, .log = true };

	ck_assert_double_eq_tol(svg_scale_map(&s, 1), 0, 1e-9);
	ck_assert_double_eq_tol(svg_scale_map(&s, 10), 100, 1e-9);	/* decades evenly */
	ck_assert_double_eq_tol(svg_scale_map(&s, 100), 200, 1e-9);
	ck_assert_double_eq_tol(svg_scale_map(&s, 1000), 300, 1e-9);
	ck_assert_double_eq(svg_scale_map(&s, 0), 0);		/* no log of 0 */
	ck_assert_double_eq(svg_scale_map(&s, -5), 0);
}
END_TEST

/* every step is 1, 2 or 5 times a power of ten */
static bool
is_nice(double step)
{
	double m = step / pow(10, floor(log10(step)));

	return fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9;
}

START_TEST(test_nice_step)
{
	uint64_t seed = 12;
	int i;

	ck_assert_double_eq_tol(svg_nice_step(0, 100, 6), 20, 1e-12);
	ck_assert_double_eq_tol(svg_nice_step(0, 1, 6), 0.2, 1e-12);
	ck_assert_double_eq_tol(svg_nice_step(0, 18.75, 6), 5, 1e-12);
	ck_assert_double_eq_tol(svg_nice_step(0, 113636, 6), 50000, 1e-6);
	ck_assert_double_eq_tol(svg_nice_step(0, 10, 11), 1, 1e-12);
	ck_assert_double_eq(svg_nice_step(5, 5, 6), 0);
	ck_assert_double_eq(svg_nice_step(5, 1, 6), 0);
	for (i = 0; i < 1000; i++) {
		double lo = (rnd_unit(&seed) - 0.5) * pow(10, (double)rnd_range(&seed, 0, 12) - 6);
		double hi = lo + rnd_unit(&seed) * pow(10, (double)rnd_range(&seed, 0, 12) - 6) + 1e-9;
		double st = svg_nice_step(lo, hi, 6);

		ck_assert_msg(st > 0 && is_nice(st), "step %g of [%g, %g]", st, lo, hi);
		ck_assert_msg((hi - lo) / st <= 5 * 1.005 + 1e-6, "%g parts", (hi - lo) / st);
	}
}
END_TEST

START_TEST(test_nice_ticks)
{
	double t[SVG_MAX_TICKS], lo = 0, hi = 18.75;
	uint64_t seed = 7;
	int n, i;

	n = svg_nice_ticks(&lo, &hi, false, t, 6);
	ck_assert_int_eq(n, 5);
	ck_assert_double_eq(lo, 0);
	ck_assert_double_eq(hi, 20);	/* the max widened to the next tick */
	ck_assert_double_eq(t[0], 0);
	ck_assert_double_eq(t[4], 20);
	/* a value at the widened max maps to the plot's edge */
	{
		struct svg_scale s = { .d0 = lo, .d1 = hi, .r0 = 256, .r1 = 44 };

		ck_assert_double_eq(svg_scale_map(&s, t[n - 1]), 44);
	}
	lo = 0, hi = 100.007;	/* just over a tick: the axis ends at the tick */
	svg_nice_ticks(&lo, &hi, false, t, 6);
	ck_assert_double_eq(hi, 100);
	ck_assert_double_eq(t[1], 20);
	lo = 0, hi = 101;	/* 1% over 5 steps of 20: steps of 50, to 150 */
	svg_nice_ticks(&lo, &hi, false, t, 6);
	ck_assert_double_eq(hi, 150);
	lo = 5.3, hi = 1808;
	n = svg_nice_ticks(&lo, &hi, true, t, 6);
	ck_assert_double_eq(lo, 1);
	ck_assert_double_eq_tol(hi, 10000, 1e-9);
	ck_assert_int_eq(n, 5);
	lo = 42, hi = 42;	/* one value: a range around it */
	n = svg_nice_ticks(&lo, &hi, false, t, 6);
	ck_assert(n >= 2 && lo <= 42 && hi >= 42 && lo < hi);
	lo = 0, hi = 0;
	n = svg_nice_ticks(&lo, &hi, false, t, 6);
	ck_assert(n >= 2 && lo == 0 && hi > 0);
	lo = -1e308, hi = 1e308;	/* wider than a double holds: an axis all the same */
	n = svg_nice_ticks(&lo, &hi, false, t, 6);
	ck_assert(n >= 2 && lo == 0 && hi == 1);
	for (i = 0; i < 500; i++) {
		double a = rnd_unit(&seed) * 1e6, b = a + rnd_unit(&seed) * 1e6;
		double l2 = a, h2 = b;

		n = svg_nice_ticks(&l2, &h2, false, t, 6);
		ck_assert(n >= 2 && n <= 6);
		ck_assert_double_eq_tol(t[n - 1], h2, (t[1] - t[0]) * 1e-6);	/* ticks to the end */
		ck_assert_msg(l2 <= a && h2 >= b - (h2 - l2) * 0.005,
			      "[%g, %g] does not cover [%g, %g]", l2, h2, a, b);
		ck_assert(is_nice(t[1] - t[0]));
	}
}
END_TEST

START_TEST(test_bars)
{
	static const char *const cat[] = { "64(90)", "1518", "imix" };
	double y[] = { 18.75, NAN, 18.7 };
	struct svg_series s = { .name = "Mb/s", .y = y, .n = 3 };
	struct svg_chart c = { .title = "throughput", .x_label = "frame", .y_label = "Mb/s",
			       .y_from_zero = true };
	struct metrics_buf b = { 0 };

	ck_assert_int_eq(svg_bar_chart(&b, &c, cat, 3, &s, 1), 2);	/* NaN skipped */
	ck_assert(!b.oom);
	ck_assert_int_eq(count_str(b.p, "<rect class=\"d\""), 2);
	ck_assert_ptr_nonnull(strstr(b.p, "64(90)"));
	ck_assert_ptr_null(strstr(b.p, "no data"));
	ck_assert_ptr_null(strstr(b.p, "http"));
	ck_assert_ptr_nonnull(strstr(b.p, ">20</text>"));	/* the axis ends at a nice 20 */
	/* the 18.75 bar: from the axis (y 248) up to 18.75/20 of the height (44..248) */
	ck_assert_ptr_nonnull(strstr(b.p, "y=\"56.8\" width="));
	metrics_buf_free(&b);
}
END_TEST

START_TEST(test_empty)
{
	static const char *const cat[] = { "64" };
	double y[] = { NAN };
	struct svg_series s = { .name = "x", .x = y, .y = y, .n = 1 };
	struct svg_chart c = { .title = "t" };
	struct metrics_buf b = { 0 };

	ck_assert_int_eq(svg_bar_chart(&b, &c, cat, 1, &s, 1), 0);
	ck_assert_ptr_nonnull(strstr(b.p, "no data"));
	ck_assert_int_eq(count_str(b.p, "class=\"d\""), 0);
	metrics_buf_reset(&b);
	ck_assert_int_eq(svg_line_chart(&b, &c, &s, 1), 0);
	ck_assert_ptr_nonnull(strstr(b.p, "no data"));
	metrics_buf_reset(&b);
	ck_assert_int_eq(svg_line_chart(&b, &c, NULL, 0), 0);
	ck_assert_ptr_nonnull(strstr(b.p, "no data"));
	ck_assert_ptr_nonnull(strstr(b.p, "</svg>"));
	metrics_buf_free(&b);
}
END_TEST

START_TEST(test_cdf)
{
	double x[] = { 5, 6, 7, 50, 1800 }, y[] = { 0.1, 0.5, 0.9, 0.99, 1 };
	double y2[] = { 0.2, NAN, 0.8, 0.95, 1 };
	struct svg_series s[2] = { { .name = "a", .x = x, .y = y, .n = 5 },
				   { .name = "b", .x = x, .y = y2, .n = 5 } };
	struct svg_chart c = { .title = "RTT", .x_log = true, .step = true, .y_max_fixed = 1,
			       .width = 500, .height = 200 };
	struct metrics_buf b = { 0 };

	ck_assert_int_eq(svg_line_chart(&b, &c, s, 2), 9);	/* b's NaN skipped */
	ck_assert_int_eq(count_str(b.p, "<path class=\"d\""), 2);
	ck_assert_int_eq(count_str(b.p, "M"), 2 + 1 + 1);	/* b's line broken at the gap; the axis' M */
	ck_assert_ptr_nonnull(strstr(b.p, "H"));	/* steps */
	/* x 1..10^4 on 64..484: 1800 at 64 + 420 * log10(1800) / 4 */
	{
		char want[32];

		snprintf(want, sizeof(want), "H%.1f", 64 + 420 * log10(1800) / 4);
		ck_assert_msg(strstr(b.p, want) != NULL, "no %s in %s", want, b.p);
	}
	ck_assert_ptr_nonnull(strstr(b.p, ">1000<"));
	ck_assert_ptr_nonnull(strstr(b.p, ">10k<"));	/* the axis ends at the decade above 1800 */
	metrics_buf_free(&b);
}
END_TEST

/* values far from any sensible range still draw, and nothing is cut short */
START_TEST(test_extreme)
{
	static const char *const cat[] = { "a", "b", "c" };
	double y[] = { 1e300, 1, -1e300 }, x[] = { -1e9, 0, 1e9 };
	struct svg_series s = { .x = x, .y = y, .n = 3 };
	struct svg_chart c = { .title = "t" };
	struct metrics_buf b = { 0 };

	ck_assert_int_eq(svg_bar_chart(&b, &c, cat, 3, &s, 1), 3);
	ck_assert(!b.oom);
	ck_assert_ptr_nonnull(strstr(b.p, "</svg>"));
	metrics_buf_reset(&b);
	ck_assert_int_eq(svg_line_chart(&b, &c, &s, 1), 3);
	ck_assert(!b.oom);
	ck_assert_ptr_nonnull(strstr(b.p, "</svg>"));
	metrics_buf_free(&b);
}
END_TEST

START_TEST(test_escape)
{
	struct metrics_buf b = { 0 };
	struct svg_chart c = { .title = "<script>alert('x')</script>&" };
	static const char *const cat[] = { "\"><img src=x>" };
	double y[] = { 1 };
	struct svg_series s = { .name = "<b>", .y = y, .n = 1 };
	char num[32];

	svg_bar_chart(&b, &c, cat, 1, &s, 1);
	ck_assert_ptr_null(strstr(b.p, "<script"));
	ck_assert_ptr_null(strstr(b.p, "<img"));
	ck_assert_ptr_null(strstr(b.p, "<b>"));
	ck_assert_ptr_nonnull(strstr(b.p, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;"));
	ck_assert_ptr_nonnull(strstr(b.p, "&quot;&gt;&lt;img"));
	metrics_buf_free(&b);
	svg_fmt_num(num, sizeof(num), 1500);
	ck_assert_str_eq(num, "1500");
	svg_fmt_num(num, sizeof(num), 20000);
	ck_assert_str_eq(num, "20k");
	svg_fmt_num(num, sizeof(num), 18751040);
	ck_assert_str_eq(num, "18.8M");
	svg_fmt_num(num, sizeof(num), 0.05);
	ck_assert_str_eq(num, "0.05");
}
END_TEST

static Suite *
svg_suite(void)
{
	Suite *s = suite_create("svg_chart");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_scale_linear);
	tcase_add_test(tc, test_scale_log);
	tcase_add_test(tc, test_nice_step);
	tcase_add_test(tc, test_nice_ticks);
	tcase_add_test(tc, test_bars);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_cdf);
	tcase_add_test(tc, test_extreme);
	tcase_add_test(tc, test_escape);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(svg_suite)
