/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The drill's sink reads the run's interval records the way drill_measure
 * needs them: each link's record to its role, a stream's own record
 * (issue 12: "stream" set) left out, the service's "carried_by" named
 * link turned into its role (an unknown or null one: unknown), or the
 * last service_carrier event's when the record has none, and links with
 * no role ignored.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "drill.h"
#include "mp_test.h"
#include "sink.h"

static struct mp_config cfg;
static struct drill d;

static void
setup(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.n_links = 2;
	snprintf(cfg.links[0].name, sizeof(cfg.links[0].name), "a");
	snprintf(cfg.links[1].name, sizeof(cfg.links[1].name), "b");
	memset(&d, 0, sizeof(d));
	d.cfg = &cfg;
	d.link[DRILL_CUT] = 1;		/* cut b: a survives */
	d.link[DRILL_SURVIVOR] = 0;
	d.link[DRILL_SERVICE] = -1;
	drill_measure_init(&d.m, 10000000);
	d.carrier_now = DRILL_CARRIER_UNKNOWN;
}

/* One record of link with sent/received, its JSON (carried_by, stream) from text. */
static void
feed(int link, uint64_t sent, uint64_t received, const char *json)
{
	struct link_interval li = { 0 };
	cJSON *o = cJSON_Parse(json);
	struct dprec r = { .type = DPREC_INTERVAL, .link = link, .interval = &li, .json = o };

	ck_assert_ptr_nonnull(o);
	li.start_unix_ns = 1000;
	li.end_unix_ns = 2000;
	li.c.sent = sent;
	li.c.received = received;
	hist_reset(&li.rtt);
	drill_sink_ops.on_interval(&d, &r);
	cJSON_Delete(o);
}

START_TEST(records_to_roles)
{
	setup();
	feed(0, 10, 9, "{}");
	feed(1, 10, 0, "{}");
	feed(1, 5, 5, "{\"stream\": \"voice\"}");	/* a stream's record: not the link's */
	feed(5, 10, 10, "{}");				/* no role */
	ck_assert_uint_eq(d.m.s[DRILL_SURVIVOR].n, 1);
	ck_assert_uint_eq(d.m.s[DRILL_SURVIVOR].v[0].received, 9);
	ck_assert_uint_eq(d.m.s[DRILL_CUT].n, 1);
	ck_assert_uint_eq(d.m.s[DRILL_CUT].v[0].sent, 10);
	ck_assert_uint_eq(d.m.s[DRILL_SERVICE].n, 0);
	drill_measure_free(&d.m);
}
END_TEST

/* The service's carrier, by name: here link b's role (cut), a's (survivor), or unknown. */
START_TEST(carried_by_to_role)
{
	setup();
	d.link[DRILL_SERVICE] = 0;	/* a test's stand-in for the service link */
	d.link[DRILL_SURVIVOR] = -1;
	feed(0, 10, 10, "{\"carried_by\": \"b\"}");
	feed(0, 10, 10, "{\"carried_by\": null}");
	feed(0, 10, 10, "{\"carried_by\": \"zz\"}");
	feed(0, 10, 10, "{\"carried_by\": \"a\"}");	/* itself: not a pinned link */
	ck_assert_uint_eq(d.m.s[DRILL_SERVICE].n, 4);
	ck_assert_int_eq(d.m.s[DRILL_SERVICE].v[0].carried_by, DRILL_CUT);
	ck_assert_int_eq(d.m.s[DRILL_SERVICE].v[1].carried_by, DRILL_CARRIER_UNKNOWN);
	ck_assert_int_eq(d.m.s[DRILL_SERVICE].v[2].carried_by, DRILL_CARRIER_UNKNOWN);
	ck_assert_int_eq(d.m.s[DRILL_SERVICE].v[3].carried_by, DRILL_CARRIER_UNKNOWN);
	drill_measure_free(&d.m);
}
END_TEST

/* Records without carried_by (the carrier sink adds it to the file only): the last event's. */
START_TEST(carrier_from_events)
{
	cJSON *e = cJSON_Parse("{\"event\": \"service_carrier\", \"from\": null, \"to\": \"b\"}");
	struct dprec r = { .type = DPREC_EVENT, .link = 0, .json = e, .event = "service_carrier",
			   .recv_unix_ns = 1500 };

	setup();
	d.link[DRILL_SERVICE] = 0;
	d.link[DRILL_SURVIVOR] = -1;
	feed(0, 10, 10, "{}");
	drill_sink_ops.on_event(&d, &r);
	feed(0, 10, 10, "{}");
	ck_assert_int_eq(d.m.s[DRILL_SERVICE].v[0].carried_by, DRILL_CARRIER_UNKNOWN);
	ck_assert_int_eq(d.m.s[DRILL_SERVICE].v[1].carried_by, DRILL_CUT);
	ck_assert_int_eq(d.n_tl, 1);	/* on the timeline */
	cJSON_Delete(e);
	drill_measure_free(&d.m);
}
END_TEST

static Suite *
drill_sink_suite(void)
{
	Suite *s = suite_create("drill_sink");
	TCase *t = tcase_create("core");

	tcase_add_test(t, records_to_roles);
	tcase_add_test(t, carried_by_to_role);
	tcase_add_test(t, carrier_from_events);
	suite_add_tcase(s, t);
	return s;
}

MP_TEST_MAIN(drill_sink_suite)
