/* SPDX-License-Identifier: BSD-3-Clause */
/* The config's "sla" section (sla_config.h): what it parses to, and one-line errors naming the field. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mp_test.h"
#include "window.h"

#define LINKS								\
	"\"links\":["							\
	"{\"name\":\"a\",\"location\":\"Zurich\",\"port\":\"net_null0\","	\
	"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\"},"		\
	"{\"name\":\"b\",\"location\":\"Zurich2\",\"port\":\"net_null1\","	\
	"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}]"

static struct mp_config c;

/* Parse LINKS plus "sla": sla; returns the parser's code, err its message. */
static int
parse(const char *sla, char *err, size_t errlen)
{
	char text[4096];

	snprintf(text, sizeof(text), "{" LINKS "%s%s}", sla != NULL ? ",\"sla\":" : "",
		 sla != NULL ? sla : "");
	err[0] = '\0';
	return mp_config_parse(text, &c, err, errlen);
}

START_TEST(test_absent)
{
	char err[256];

	ck_assert_int_eq(parse(NULL, err, sizeof(err)), 0);
	ck_assert(!c.sla.configured);
	ck_assert_int_eq(c.sla.n, 0);
	ck_assert_uint_eq(c.sla.period_s, 30 * 86400);
}
END_TEST

START_TEST(test_objectives)
{
	char err[256];
	const struct sla_objective *o;

	ck_assert_msg(parse("{\"period\":\"7d\",\"target\":0.99,\"objectives\":["
			    "{\"metric\":\"rtt_p99\",\"window\":\"5m\",\"max\":\"20ms\"},"
			    "{\"name\":\"avail\",\"link\":\"pair\",\"metric\":\"availability\","
			    "\"window\":\"30d\",\"min\":\"99.9%\",\"falling\":0.9995,"
			    "\"reaction\":{\"type\":\"xofy\",\"x\":3,\"y\":5},\"target\":0.9999},"
			    "{\"link\":\"b\",\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.01,"
			    "\"reaction\":\"average\"},"
			    "{\"name\":\"j\",\"metric\":\"jitter\",\"window\":\"1h\",\"max\":\"250us\","
			    "\"reaction\":{\"type\":\"consecutive\",\"n\":4}}]}",
			    err, sizeof(err)) == 0, "%s", err);
	ck_assert(c.sla.configured);
	ck_assert_uint_eq(c.sla.period_s, 7 * 86400);
	/* "*" is one objective per link */
	ck_assert_int_eq(c.sla.n, 6);
	o = &c.sla.o[0];
	ck_assert_str_eq(o->name, "a_rtt_p99_5m");
	ck_assert_int_eq(o->link, 0);
	ck_assert_int_eq(o->metric, SLA_RTT_P99);
	ck_assert_int_eq(o->window, WIN_5M);
	ck_assert_double_eq_tol(o->threshold, 0.020, 1e-12);
	ck_assert_double_eq_tol(o->react.falling, 0.020, 1e-12);
	ck_assert_double_eq_tol(o->target, 0.99, 1e-12);
	ck_assert_int_eq(o->react.type, REACT_IMMEDIATE);
	ck_assert_str_eq(c.sla.o[1].name, "b_rtt_p99_5m");
	o = &c.sla.o[2];
	ck_assert_str_eq(o->name, "avail");
	ck_assert_int_eq(o->link, SLA_PAIR);
	ck_assert(o->react.low_is_bad);
	ck_assert_double_eq_tol(o->threshold, 0.999, 1e-12);
	ck_assert_double_eq_tol(o->react.falling, 0.9995, 1e-12);
	ck_assert_int_eq(o->react.type, REACT_XOFY);
	ck_assert_uint_eq(o->react.n, 3);
	ck_assert_uint_eq(o->react.y, 5);
	ck_assert_double_eq_tol(o->target, 0.9999, 1e-12);
	o = &c.sla.o[3];
	ck_assert_str_eq(o->name, "b_loss_1m");
	ck_assert_int_eq(o->link, 1);
	ck_assert_int_eq(o->react.type, REACT_AVERAGE);
	ck_assert_str_eq(c.sla.o[4].name, "j_a");
	ck_assert_str_eq(c.sla.o[5].name, "j_b");
	ck_assert_double_eq_tol(c.sla.o[5].threshold, 250e-6, 1e-15);
	ck_assert_uint_eq(c.sla.o[5].react.n, 4);
}
END_TEST

static void
expect_error(const char *sla, const char *msg)
{
	char err[256];

	ck_assert_int_ne(parse(sla, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, msg) != NULL, "\"%s\" does not say \"%s\"", err, msg);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(test_errors_name_the_field)
{
	expect_error("{\"objectives\":[{\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.1},"
		     "{\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.1,\"link\":\"pair\"},"
		     "{\"metric\":\"loss\",\"window\":\"7m\",\"max\":0.1}]}",
		     "sla.objectives[2].window: \"7m\" is not a window (1m, 5m, 1h, 24h, 30d)");
	expect_error("{\"objectives\":[{\"metric\":\"rtt_p95\",\"window\":\"1m\",\"max\":1}]}",
		     "sla.objectives[0].metric: \"rtt_p95\" is not a metric");
	expect_error("{\"objectives\":[{\"link\":\"c\",\"metric\":\"loss\",\"window\":\"1m\",\"max\":1}]}",
		     "sla.objectives[0].link: \"c\" is not a link");
	expect_error("{\"objectives\":[{\"metric\":\"loss\",\"window\":\"1m\"}]}",
		     "sla.objectives[0].max: missing");
	expect_error("{\"objectives\":[{\"metric\":\"availability\",\"window\":\"1m\",\"max\":1}]}",
		     "sla.objectives[0].max: availability has a \"min\", not a \"max\"");
	expect_error("{\"objectives\":[{\"metric\":\"loss\",\"window\":\"1m\",\"max\":\"5ms\"}]}",
		     "sla.objectives[0].max: 5ms is not a ratio");
	expect_error("{\"objectives\":[{\"metric\":\"rtt_p50\",\"window\":\"1m\",\"max\":\"5 parsecs\"}]}",
		     "sla.objectives[0].max: 5 parsecs is not a time");
	expect_error("{\"objectives\":[{\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.01,"
		     "\"falling\":0.02}]}", "sla.objectives[0].falling: on the wrong side");
	expect_error("{\"objectives\":[{\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.01,"
		     "\"reaction\":\"sometimes\"}]}",
		     "sla.objectives[0].reaction: \"sometimes\" is not a reaction");
	expect_error("{\"objectives\":[{\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.01,"
		     "\"reaction\":{\"type\":\"xofy\",\"x\":6,\"y\":5}}]}",
		     "sla.objectives[0].reaction: x 6 is more than y 5");
	expect_error("{\"objectives\":[{\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.01,"
		     "\"reaction\":{\"type\":\"consecutive\",\"n\":17}}]}",
		     "sla.objectives[0].reaction.n");
	expect_error("{\"objectives\":[{\"name\":\"x\",\"link\":\"a\",\"metric\":\"loss\","
		     "\"window\":\"1m\",\"max\":0.01},{\"name\":\"x\",\"link\":\"b\","
		     "\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.01}]}",
		     "sla.objectives[1].name: \"x\" is the name of another objective");
	expect_error("{\"period\":\"45d\"}", "sla.period: \"45d\" is not a period");
	expect_error("{\"target\":1}", "sla.target: expected a number between 0 and 1");
	expect_error("{\"objectives\":[{\"metric\":\"loss\",\"window\":\"1m\",\"max\":0.01,"
		     "\"maximum\":1}]}", "sla.objectives[0].maximum: unknown key");
	expect_error("[]", "sla: an array, expected an object");
}
END_TEST

static Suite *
sla_config_suite(void)
{
	Suite *s = suite_create("sla_config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_absent);
	tcase_add_test(tc, test_objectives);
	tcase_add_test(tc, test_errors_name_the_field);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(sla_config_suite)
