/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "y1564" section (control/y1564_config.c): absent is no
 * services; values and defaults taken; every mistake one line naming its
 * JSON path.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "mp_test.h"

/* %s: the y1564 section. Link b has a VLAN tag. */
static const char cfg_fmt[] =
	"{%s\"links\":["
	"{\"name\":\"a\",\"location\":\"Amsterdam\",\"port\":\"net_null0\",\"frame_size\":256,"
	"\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\",\"dscp\":10},"
	"{\"name\":\"b\",\"location\":\"Amsterdam2\",\"port\":\"net_null1\",\"vlan\":[100],"
	"\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}]}";

static struct mp_config cfg;
static char err[512];

static int
parse(const char *section)
{
	char text[4096];

	snprintf(text, sizeof(text), cfg_fmt, section);
	return mp_config_parse(text, &cfg, err, sizeof(err));
}

#define CRIT	"\"criteria\":{\"ftd_us\":10000,\"fdv_us\":2000,\"flr\":0.001}"

/* A section with one service whose extra members are svc. */
static int
parse_svc(const char *svc)
{
	char sec[2048];

	snprintf(sec, sizeof(sec), "\"y1564\":{\"services\":[{\"name\":\"voice\",\"link\":\"a\","
		 "\"cir\":\"10Mbps\",%s}]},", svc);
	return parse(sec);
}

static void
bad(const char *svc, const char *path, const char *what)
{
	ck_assert_int_ne(parse_svc(svc), 0);
	ck_assert_msg(strncmp(err, path, strlen(path)) == 0, "\"%s\" does not start with %s", err,
		      path);
	ck_assert_msg(strstr(err, what) != NULL, "\"%s\" does not say %s", err, what);
	ck_assert_ptr_null(strchr(err, '\n'));
}

START_TEST(test_absent_and_defaults)
{
	const struct y1564_service *s = &cfg.y1564.svc[0];

	ck_assert_int_eq(parse(""), 0);
	ck_assert_int_eq(cfg.y1564.n, 0);
	ck_assert_int_eq(parse_svc(CRIT), 0);
	ck_assert_int_eq(cfg.y1564.n, 1);
	ck_assert_str_eq(s->name, "voice");
	ck_assert_str_eq(s->cls, "voice");
	ck_assert_int_eq(s->link, 0);
	ck_assert(s->cir.kind == RATE_BPS && s->cir.value == 10000000);
	ck_assert_uint_eq(s->eir.value, 0);
	ck_assert_str_eq(s->eir_text, "0");
	ck_assert_str_eq(s->frame_mix, "");
	ck_assert_int_eq(s->dscp, -1);
	ck_assert_int_eq(s->pcp, -1);
	ck_assert(s->policer);
	ck_assert_double_eq(s->crit.avail, Y1564_AVAIL_DEFAULT);
	ck_assert_double_eq(s->crit.flr, 0.001);
	ck_assert_uint_eq(cfg.y1564.step_ms, 0);
	ck_assert_uint_eq(cfg.y1564.performance_s, 0);
	ck_assert_double_eq(cfg.y1564.ir_tolerance, Y1564_IR_TOLERANCE);
}
END_TEST

START_TEST(test_values)
{
	const struct y1564_service *s = &cfg.y1564.svc[1];

	ck_assert_int_eq(parse("\"y1564\":{\"step_ms\":2000,\"performance_s\":60,"
			       "\"ir_tolerance\":\"2%\",\"services\":["
			       "{\"name\":\"voice\",\"link\":\"a\",\"cir\":\"1000pps\"," CRIT "},"
			       "{\"name\":\"data\",\"link\":\"b\",\"class\":\"AF41\",\"cir\":\"20Mbps\","
			       "\"eir\":\"5Mbps\",\"cbs\":12000,\"ebs\":6000,\"frame_size\":\"imix\","
			       "\"dscp\":34,\"pcp\":4,\"policer\":false,\"criteria\":{\"ftd_us\":5000,"
			       "\"fdv_us\":1000,\"flr\":\"0.5%\",\"avail\":\"99.95%\"}}]},"), 0);
	ck_assert_int_eq(cfg.y1564.n, 2);
	ck_assert_uint_eq(cfg.y1564.step_ms, 2000);
	ck_assert_uint_eq(cfg.y1564.performance_s, 60);
	ck_assert_double_eq_tol(cfg.y1564.ir_tolerance, 0.02, 1e-12);
	ck_assert(cfg.y1564.svc[0].cir.kind == RATE_PPS);
	ck_assert_int_eq(s->link, 1);
	ck_assert_str_eq(s->cls, "AF41");
	ck_assert_uint_eq(s->eir.value, 5000000);
	ck_assert_uint_eq(s->cbs_bytes, 12000);
	ck_assert_uint_eq(s->ebs_bytes, 6000);
	ck_assert_str_eq(s->frame_mix, "imix");
	ck_assert_int_eq(s->dscp, 34);
	ck_assert_int_eq(s->pcp, 4);
	ck_assert(!s->policer);
	ck_assert_double_eq_tol(s->crit.flr, 0.005, 1e-12);
	ck_assert_double_eq_tol(s->crit.avail, 0.9995, 1e-12);
}
END_TEST

START_TEST(test_errors)
{
	ck_assert_int_ne(parse("\"y1564\":[],"), 0);
	ck_assert_msg(strncmp(err, "y1564:", 6) == 0, "%s", err);
	ck_assert_int_ne(parse("\"y1564\":{},"), 0);
	ck_assert_msg(strstr(err, "y1564.services: missing") == err, "%s", err);
	ck_assert_int_ne(parse("\"y1564\":{\"services\":[]},"), 0);
	ck_assert_msg(strstr(err, "y1564.services: empty") == err, "%s", err);
	ck_assert_int_ne(parse("\"y1564\":{\"step_ms\":5,\"services\":[]},"), 0);
	ck_assert_msg(strstr(err, "y1564.step_ms") == err, "%s", err);
	ck_assert_int_ne(parse("\"y1564\":{\"srevices\":[]},"), 0);
	ck_assert_msg(strstr(err, "srevices") != NULL, "%s", err);
	ck_assert_int_ne(parse("\"y1564\":{\"services\":[{\"name\":\"v\",\"link\":\"c\","
			       "\"cir\":\"1Mbps\"," CRIT "}]},"), 0);
	ck_assert_msg(strstr(err, "y1564.services[0].link: \"c\" is not a link") == err, "%s", err);
	ck_assert_int_ne(parse("\"y1564\":{\"services\":[{\"name\":\"v\",\"link\":\"a\","
			       "\"cir\":\"50%\"," CRIT "}]},"), 0);
	ck_assert_msg(strstr(err, "y1564.services[0].cir: \"50%\" is not a rate in bits or packets")
		      == err, "%s", err);
	ck_assert_int_ne(parse("\"y1564\":{\"services\":[{\"name\":\"v\",\"link\":\"a\","
			       CRIT "}]},"), 0);
	ck_assert_msg(strstr(err, "y1564.services[0].cir") == err, "%s", err);
	bad(CRIT ",\"eir\":5", "y1564.services[0].eir", "a number");
	bad(CRIT ",\"frame_size\":10", "y1564.services[0].frame_size", "10");
	bad(CRIT ",\"dscp\":64", "y1564.services[0].dscp", "out of range");
	bad(CRIT ",\"pcp\":3", "y1564.services[0].pcp", "no VLAN tag");
	bad(CRIT ",\"colour\":\"green\"", "y1564.services[0]", "colour");
	bad("\"x\":1", "y1564.services[0]", "x");
	bad("\"policer\":true", "y1564.services[0].criteria", "missing");
	bad("\"criteria\":{\"fdv_us\":1,\"flr\":0}", "y1564.services[0].criteria.ftd_us", "missing");
	bad("\"criteria\":{\"ftd_us\":-1,\"fdv_us\":1,\"flr\":0}",
	    "y1564.services[0].criteria.ftd_us", "out of range");
	bad("\"criteria\":{\"ftd_us\":1,\"fdv_us\":1}", "y1564.services[0].criteria.flr", "missing");
	bad("\"criteria\":{\"ftd_us\":1,\"fdv_us\":1,\"flr\":2}", "y1564.services[0].criteria.flr",
	    "not a ratio");
	bad("\"criteria\":{\"ftd_us\":1,\"fdv_us\":1,\"flr\":0,\"avail\":\"99\"}",
	    "y1564.services[0].criteria.avail", "not a ratio");
	ck_assert_int_ne(parse("\"y1564\":{\"services\":[{\"name\":\"v\",\"link\":\"a\","
			       "\"cir\":\"1Mbps\"," CRIT "},{\"name\":\"v\",\"link\":\"b\","
			       "\"cir\":\"1Mbps\"," CRIT "}]},"), 0);
	ck_assert_msg(strstr(err, "y1564.services[1].name: \"v\" names services[0] too") == err,
		      "%s", err);
	ck_assert_int_ne(parse("\"y1564\":{\"services\":[{\"name\":\"a b\",\"link\":\"a\","
			       "\"cir\":\"1Mbps\"," CRIT "}]},"), 0);
	ck_assert_msg(strstr(err, "y1564.services[0].name") == err, "%s", err);
}
END_TEST

static Suite *
y1564_config_suite(void)
{
	Suite *s = suite_create("y1564_config");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_absent_and_defaults);
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(y1564_config_suite)
