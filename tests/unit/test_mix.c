/* SPDX-License-Identifier: BSD-3-Clause */
/* Frame-size mixes: parsing, schedules, rates. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "mp_mix.h"
#include "mp_test.h"

START_TEST(test_parse_single_and_imix)
{
	struct frame_mix m;
	const char *err = NULL;
	char buf[128];

	ck_assert_int_eq(frame_mix_parse("128", 64, 9018, &m, &err), 0);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_uint_eq(m.size[0], 128);
	ck_assert_uint_eq(m.weight[0], 1);
	ck_assert_int_eq(frame_mix_format(&m, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "128");

	ck_assert_int_eq(frame_mix_parse("imix", 64, 9018, &m, &err), 0);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_uint_eq(frame_mix_total_weight(&m), 12);
	ck_assert_uint_eq(frame_mix_max_size(&m), 1518);
	ck_assert_int_eq(frame_mix_format(&m, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "64:7+570:4+1518:1");

	/* equal sizes merge; a weight defaults to 1 */
	ck_assert_int_eq(frame_mix_parse("64:2+1518+64:3", 64, 9018, &m, &err), 0);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_uint_eq(m.weight[0], 5);
	ck_assert_uint_eq(m.weight[1], 1);
}
END_TEST

START_TEST(test_parse_errors)
{
	static const char *const bad[] = {
		"", "abc", "64:", ":7", "64:0", "64:257", "63", "9019", "64+", "+64",
		"64:7+", "64;7", "64:7:1", "1:1+2:1+3:1+4:1+5:1+6:1+7:1+8:1+9:1",
		"64:200+128:100", "-64", "64.5", " 64",
	};
	struct frame_mix m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *err = NULL;
		int rc = frame_mix_parse(bad[i], 64, 9018, &m, &err);

		if (rc == 0 || err == NULL)
			ck_abort_msg("'%s' accepted", bad[i]);
	}
}
END_TEST

START_TEST(test_schedule_proportions_and_spread)
{
	struct frame_mix m;
	const char *err;
	uint8_t s[MIX_MAX_SCHED];
	uint32_t count[3] = { 0 }, i;
	int len;

	ck_assert_int_eq(frame_mix_parse("imix", 64, 9018, &m, &err), 0);
	len = frame_mix_schedule(&m, s, sizeof(s));
	ck_assert_int_eq(len, 12);
	for (i = 0; i < 12; i++)
		count[s[i]]++;
	ck_assert_uint_eq(count[0], 7);
	ck_assert_uint_eq(count[1], 4);
	ck_assert_uint_eq(count[2], 1);
	/* spread, not clumped: never two 570s or 1518s in a row (cyclically) */
	for (i = 0; i < 12; i++)
		ck_assert(!(s[i] != 0 && s[i] == s[(i + 1) % 12]));
	/* no run of more than two 64s (7 of 12 spread over the 5 others) */
	for (i = 0; i < 12; i++)
		ck_assert(!(s[i] == 0 && s[(i + 1) % 12] == 0 && s[(i + 2) % 12] == 0));
	/* too small a buffer */
	ck_assert_int_lt(frame_mix_schedule(&m, s, 11), 0);
}
END_TEST

START_TEST(test_raise)
{
	struct frame_mix m;
	const char *err;

	ck_assert_int_eq(frame_mix_parse("64:7+570:4+1518:1", 64, 9018, &m, &err), 0);
	ck_assert_uint_eq(frame_mix_raise(&m, 90), 1);
	ck_assert_uint_eq(m.size[0], 90);
	ck_assert_uint_eq(m.weight[0], 7);
	/* raising can merge sizes */
	ck_assert_int_eq(frame_mix_parse("64+80+128", 64, 9018, &m, &err), 0);
	ck_assert_uint_eq(frame_mix_raise(&m, 90), 2);
	ck_assert_uint_eq(m.n, 2);
	ck_assert_uint_eq(m.size[0], 90);
	ck_assert_uint_eq(m.weight[0], 2);
}
END_TEST

START_TEST(test_rates)
{
	struct frame_mix m;
	struct rate r;
	const char *err;

	/* a single size agrees with rate_mpps_milli */
	ck_assert_int_eq(frame_mix_parse("64", 64, 9018, &m, &err), 0);
	ck_assert_int_eq(rate_parse("line", &r, &err), 0);
	ck_assert_uint_eq(frame_mix_rate_mpps(&r, &m, 10000000000ull),
			  rate_mpps_milli(&r, 64, 10000000000ull));
	ck_assert_uint_eq(frame_mix_rate_mpps(&r, &m, 10000000000ull), 14880952380ull);
	/* IMIX at 10G: 1e10 * 12 / ((7*84 + 4*590 + 1538) * 8) = 3343736.067 pps */
	ck_assert_int_eq(frame_mix_parse("imix", 64, 9018, &m, &err), 0);
	ck_assert_uint_eq(frame_mix_rate_mpps(&r, &m, 10000000000ull), 3343736067ull);
	/* 10% of 10G is a tenth of that, and pps rates ignore sizes */
	ck_assert_int_eq(rate_parse("10%", &r, &err), 0);
	ck_assert_uint_eq(frame_mix_rate_mpps(&r, &m, 10000000000ull), 334373606ull);
	ck_assert_int_eq(rate_parse("2.5kpps", &r, &err), 0);
	ck_assert_uint_eq(frame_mix_rate_mpps(&r, &m, 10000000000ull), 2500000ull);
}
END_TEST

static Suite *
mix_suite(void)
{
	Suite *s = suite_create("mix");
	TCase *tc = tcase_create("mix");

	tcase_add_test(tc, test_parse_single_and_imix);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_schedule_proportions_and_spread);
	tcase_add_test(tc, test_raise);
	tcase_add_test(tc, test_rates);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(mix_suite)
