/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "path" section: on by default (a round every 10 s), false
 * or interval_ms 0 off; one-line errors naming the field;
 * and what the dataplane is given for it.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dp_args.h"
#include "mp_test.h"

#define LINK_A	"{\"name\":\"a\",\"location\":\"Zurich\",\"port\":\"net_null0\"," \
		"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\"}"
#define LINK_B	"{\"name\":\"b\",\"location\":\"Zurich2\",\"port\":\"net_null1\"," \
		"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}"

static int
parse(const char *path_member, struct mp_config *c, char *err)
{
	char text[1024];

	snprintf(text, sizeof(text), "{%s%s\"links\":[%s%s]}", path_member,
		 path_member[0] != '\0' ? "," : "", LINK_A, "," LINK_B);
	return mp_config_parse(text, c, err, 256);
}

/* Is "opt value" among the dataplane's arguments for c? */
static bool
has_arg(const struct mp_config *c, const char *opt, const char *value)
{
	static struct dp_args a;
	struct dp_args_opts o = { .binary = "metroprobe-dp" };
	int i;

	ck_assert_int_eq(dp_args_build(&a, c, &o), 0);
	for (i = 0; i + 1 < a.argc; i++)
		if (strcmp(a.argv[i], opt) == 0)
			return value == NULL || strcmp(a.argv[i + 1], value) == 0;
	return false;
}

START_TEST(test_defaults)
{
	static struct mp_config c;
	char err[256];

	ck_assert_int_eq(parse("", &c, err), 0);
	ck_assert_uint_eq(c.path.interval_ms, PATH_CFG_INTERVAL_MS);
	ck_assert_uint_eq(c.path.max_ttl, 16);
	ck_assert_uint_eq(c.path.flows, 3);
	ck_assert(has_arg(&c, "--path-interval-ms", "10000"));
	ck_assert(has_arg(&c, "--path-max-ttl", "16"));
	ck_assert(has_arg(&c, "--path-flows", "3"));
	ck_assert_int_eq(parse("\"path\":{\"interval_ms\":500}", &c, err), 0);
	ck_assert(has_arg(&c, "--path-interval-ms", "500"));
}
END_TEST

START_TEST(test_given)
{
	static struct mp_config c;
	char err[256];

	ck_assert_int_eq(parse("\"path\":false", &c, err), 0);
	ck_assert_uint_eq(c.path.interval_ms, 0);
	ck_assert(!has_arg(&c, "--path-interval-ms", NULL));
	ck_assert_int_eq(parse("\"path\":true", &c, err), 0);
	ck_assert_uint_eq(c.path.interval_ms, PATH_CFG_INTERVAL_MS);
	ck_assert_int_eq(parse("\"path\":{\"interval_ms\":0}", &c, err), 0);
	ck_assert(!has_arg(&c, "--path-interval-ms", NULL));
	ck_assert_int_eq(parse("\"path\":{\"interval_ms\":1000,\"max_ttl\":8,\"flows\":8,"
			       "\"expected_shared\":[\"10.0.0.1\",\"2001:db8::1\"]}", &c, err), 0);
	ck_assert(has_arg(&c, "--path-interval-ms", "1000"));
	ck_assert(has_arg(&c, "--path-max-ttl", "8"));
	ck_assert(has_arg(&c, "--path-flows", "8"));
	ck_assert_int_eq(c.path.n_expected, 2);
	ck_assert_str_eq(c.path.expected_shared[1], "2001:db8::1");
}
END_TEST

static const char *const bad[][2] = {
	{ "\"path\":1", "path: a number, not an object, true or false" },
	{ "\"path\":{\"max_ttl\":33}", "path.max_ttl: " },
	{ "\"path\":{\"flows\":0}", "path.flows: " },
	{ "\"path\":{\"interval_ms\":-1}", "path.interval_ms: " },
	{ "\"path\":{\"intervall_ms\":1}", "path.intervall_ms: unknown key (did you mean \"interval_ms\"?)" },
	{ "\"path\":{\"expected_shared\":\"10.0.0.1\"}", "path.expected_shared: a string, not an array" },
	{ "\"path\":{\"expected_shared\":[\"10.0.0.1/24\"]}", "path.expected_shared[0]: not an address" },
	{ "\"path\":{\"expected_shared\":[1]}", "path.expected_shared[0]: not an address" },
};

START_TEST(test_bad)
{
	static struct mp_config c;
	char err[256] = "";

	ck_assert_int_eq(parse(bad[_i][0], &c, err), -EINVAL);
	ck_assert_msg(strncmp(err, bad[_i][1], strlen(bad[_i][1])) == 0, "got \"%s\", want \"%s...\"",
		      err, bad[_i][1]);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

static Suite *
path_config_suite(void)
{
	Suite *s = suite_create("path_config");
	TCase *tc = tcase_create("path_config");

	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_given);
	tcase_add_loop_test(tc, test_bad, 0, (int)(sizeof(bad) / sizeof(bad[0])));
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(path_config_suite)
