/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The fixed-point JSON of the files people read (util.h): no exponent, at
 * most the decimals asked, no trailing zeros, NaN as null, integers whole,
 * and the tree in memory left as numbers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "mp_test.h"
#include "util.h"

START_TEST(test_add_fixed)
{
	cJSON *o = cJSON_CreateObject();
	char *s;

	mp_json_add_fixed(o, "small", 1.8687e-05, 9);
	mp_json_add_fixed(o, "p", 1e-40, 6);
	mp_json_add_fixed(o, "neg", -0.0000001, 6);
	mp_json_add_fixed(o, "whole", 3.0, 6);
	mp_json_add_fixed(o, "nan", NAN, 6);
	s = cJSON_PrintUnformatted(o);
	ck_assert_str_eq(s, "{\"small\":0.000018687,\"p\":0,\"neg\":0,\"whole\":3,\"nan\":null}");
	free(s);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_print_fixed)
{
	cJSON *o = cJSON_CreateObject(), *a = cJSON_AddArrayToObject(o, "a");
	char *s;

	cJSON_AddNumberToObject(o, "rtt_s", 1.6639e-05);
	cJSON_AddNumberToObject(o, "n", 1234567);
	cJSON_AddItemToArray(a, cJSON_CreateNumber(0.25));
	cJSON_AddItemToArray(a, cJSON_CreateNumber(2e-12));
	s = mp_json_print_fixed(o);
	ck_assert_ptr_nonnull(s);
	ck_assert_ptr_null(strchr(s, 'e'));
	ck_assert_ptr_nonnull(strstr(s, "0.000016639"));
	ck_assert_ptr_nonnull(strstr(s, "1234567"));
	ck_assert_ptr_nonnull(strstr(s, "0.25"));
	free(s);
	/* the caller's tree is untouched: still numbers */
	ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(o, "rtt_s")));
	ck_assert_double_eq(cJSON_GetObjectItem(o, "rtt_s")->valuedouble, 1.6639e-05);
	cJSON_Delete(o);
}
END_TEST

static Suite *
jsonfixed_suite(void)
{
	Suite *s = suite_create("jsonfixed");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_add_fixed);
	tcase_add_test(tc, test_print_fixed);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(jsonfixed_suite)
