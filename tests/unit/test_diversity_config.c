/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "diversity" section and "provider" key: defaults equal to
 * the verdict's constants, values taken, and every mistake one line
 * naming the field.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "diversity.h"
#include "mp_test.h"

/* Amsterdam Metro's two locations; %s: more top-level members. */
static const char cfg_fmt[] =
	"{\"interval_ms\":%u,%s\"links\":["
	"{\"name\":\"a\",\"location\":\"Amsterdam\",\"port\":\"net_null0\","
	"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\"},"
	"{\"name\":\"b\",\"location\":\"Amsterdam2\",\"port\":\"net_null1\","
	"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}]}";

static struct mp_config cfg;
static char err[512];

static int
parse(unsigned interval_ms, const char *extra)
{
	char text[2048];

	snprintf(text, sizeof(text), cfg_fmt, interval_ms, extra);
	return mp_config_parse(text, &cfg, err, sizeof(err));
}

/* The error starts with path and mentions what. */
static void
bad(const char *extra, const char *path, const char *what)
{
	ck_assert_int_ne(parse(100, extra), 0);
	ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "\"%s\" does not start with %s", err,
		      path);
	ck_assert_msg(strstr(err, what) != NULL, "\"%s\" does not say %s", err, what);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(test_defaults)
{
	ck_assert_int_eq(parse(100, ""), 0);
	ck_assert_double_eq(cfg.diversity.loss_ratio, IMPAIRED_LOSS_RATIO);
	ck_assert_uint_eq(cfg.diversity.rtt_excess_us * 1000ull, IMPAIRED_RTT_EXCESS_NS);
	ck_assert_uint_eq(cfg.diversity.parity_us, (unsigned)DIV_PARITY_US);
	ck_assert_uint_eq(cfg.diversity.min_episodes, DIV_MIN_EPISODES);
	ck_assert_uint_eq(cfg.diversity.keep_s, DIV_KEEP_S);
	ck_assert_str_eq(cfg.provider, "");
	ck_assert_str_eq(cfg.provider_warning, "");
	/* an empty section: the same */
	ck_assert_int_eq(parse(100, "\"diversity\":{},"), 0);
	ck_assert_uint_eq(cfg.diversity.keep_s, DIV_KEEP_S);
}
END_TEST

START_TEST(test_values)
{
	ck_assert_int_eq(parse(100, "\"diversity\":{\"loss_ratio\":0.05,\"rtt_excess_us\":2000,"
				    "\"parity_us\":500,\"min_episodes\":5,\"keep_s\":3600,"
				    "\"_note\":\"ignored\"},"), 0);
	ck_assert_double_eq(cfg.diversity.loss_ratio, 0.05);
	ck_assert_uint_eq(cfg.diversity.rtt_excess_us, 2000);
	ck_assert_uint_eq(cfg.diversity.parity_us, 500);
	ck_assert_uint_eq(cfg.diversity.min_episodes, 5);
	ck_assert_uint_eq(cfg.diversity.keep_s, 3600);
}
END_TEST

START_TEST(test_errors)
{
	bad("\"diversity\":[],", "diversity:", "expected an object");
	bad("\"diversity\":{\"loss_ratio\":0},", "diversity.loss_ratio:", "out of range");
	bad("\"diversity\":{\"loss_ratio\":1.5},", "diversity.loss_ratio:", "out of range");
	bad("\"diversity\":{\"loss_ratio\":\"2%\"},", "diversity.loss_ratio:", "a string");
	bad("\"diversity\":{\"rtt_excess_us\":0},", "diversity.rtt_excess_us:", "");
	bad("\"diversity\":{\"parity_us\":-1},", "diversity.parity_us:", "");
	bad("\"diversity\":{\"min_episodes\":0},", "diversity.min_episodes:", "");
	bad("\"diversity\":{\"keep_s\":10},", "diversity.keep_s:", "");
	bad("\"diversity\":{\"los_ratio\":0.1},", "diversity.los_ratio:", "loss_ratio");
	/* a week of 10 ms windows is too much to keep */
	ck_assert_int_ne(parse(10, "\"diversity\":{\"keep_s\":604800},"), 0);
	ck_assert_msg(strncmp(err, "diversity.keep_s:", 17) == 0 && strstr(err, "windows") != NULL,
		      "%s", err);
	ck_assert_int_eq(parse(1000, "\"diversity\":{\"keep_s\":604800},"), 0);
}
END_TEST

START_TEST(test_provider)
{
	/* listed for Amsterdam Metro */
	ck_assert_int_eq(parse(100, "\"provider\":\"megaport\","), 0);
	ck_assert_str_eq(cfg.provider, "megaport");
	ck_assert_str_eq(cfg.provider_warning, "");
	/* listed, "available in the future": a warning, not an error */
	ck_assert_int_eq(parse(100, "\"provider\":\"Equinix\","), 0);
	ck_assert_msg(strstr(cfg.provider_warning, "Equinix") != NULL &&
		      strstr(cfg.provider_warning, "available in the future") != NULL &&
		      strstr(cfg.provider_warning, "Amsterdam Metro") != NULL, "%s",
		      cfg.provider_warning);
	ck_assert_ptr_null(strchr(cfg.provider_warning, '\n'));
	/* not a provider of this metro: an error naming it and the list */
	bad("\"provider\":\"Acme Fibre\",", "provider:", "\"Acme Fibre\" is not a provider of "
	    "Amsterdam Metro");
	bad("\"provider\":\"Acme Fibre\",", "provider:", "Megaport");
	bad("\"provider\":42,", "provider:", "a number");
	bad("\"provider\":\"\",", "provider:", "expected a service provider");
}
END_TEST

static Suite *
diversity_config_suite(void)
{
	Suite *s = suite_create("diversity_config");
	TCase *tc = tcase_create("diversity_config");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_provider);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(diversity_config_suite)
