/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The SLA sink with synthetic records: a link blackholed for 5 s raises
 * link_down, sla_breach, link_up and (once the minute has passed)
 * sla_clear; the board carries the objectives from open on; summary.json's
 * "sla" and the verdict at the end.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "config.h"
#include "mp_test.h"
#include "sink.h"

#define MS	1000000ull
#define S	1000000000ull
#define T0	(1700000000ull * S)

static struct mp_config cfg;
static struct board board;
static struct sink_bus bus;
static struct sink_env env;

static void
setup_cfg(const char *sla)
{
	char text[2048], err[256] = "";

	snprintf(text, sizeof(text),
		 "{\"links\":["
		 "{\"name\":\"a\",\"location\":\"Zurich\",\"port\":\"net_null0\","
		 "\"ip\":\"192.0.2.1/30\",\"next_hop\":\"192.0.2.2\"},"
		 "{\"name\":\"b\",\"location\":\"Zurich2\",\"port\":\"net_null1\","
		 "\"ip\":\"198.51.100.1/31\",\"next_hop\":\"198.51.100.0\"}]%s%s}",
		 sla != NULL ? ",\"sla\":" : "", sla != NULL ? sla : "");
	ck_assert_msg(mp_config_parse(text, &cfg, err, sizeof(err)) == 0, "%s", err);
	memset(&board, 0, sizeof(board));
	memset(&bus, 0, sizeof(bus));
	env = (struct sink_env){ .cfg = &cfg, .out_dir = "/nonexistent", .quiet = true,
				 .console = fopen("/dev/null", "w"), .bus = &bus, .board = &board };
}

/* The events raised so far, as "link:event" in order; empties the bus. */
static void
take_events(char *out, size_t len)
{
	int i;

	for (i = 0; i < bus.n; i++) {
		const cJSON *l = cJSON_GetObjectItem(bus.q[i], "link");
		const cJSON *e = cJSON_GetObjectItem(bus.q[i], "event");
		size_t at = strlen(out);

		snprintf(out + at, len - at, "%s%s:%s", at > 0 ? " " : "", l->valuestring,
			 e->valuestring);
		cJSON_Delete(bus.q[i]);
	}
	bus.n = 0;
}

/* 100 ms records of both links from 0 to end; link a answers nothing in [dead_from, dead_to). */
static void
feed(void *st, uint64_t from, uint64_t end, uint64_t dead_from, uint64_t dead_to, char *ev,
     size_t evlen)
{
	static struct link_interval li;
	struct dprec r;
	uint64_t t;
	int l, i;

	for (t = from + 100 * MS; t <= end; t += 100 * MS) {
		for (l = 0; l < 2; l++) {
			bool dead = l == 0 && t > dead_from && t - 100 * MS < dead_to;

			memset(&li, 0, sizeof(li));
			hist_reset(&li.rtt);
			li.start_unix_ns = T0 + t - 100 * MS;
			li.end_unix_ns = T0 + t;
			li.pacer_rate_mpps = 1000000;
			li.overdue_after_ns = 10 * MS;
			li.c.sent = 100;
			li.c.received = dead ? 0 : 100;
			li.c.lost = dead ? 100 : 0;
			li.overdue = dead ? 90 : 0;
			li.no_reply_ns = dead ? t - dead_from : 1 * MS;
			li.jitter_ns = 50000;
			for (i = 0; !dead && i < 100; i++)
				hist_add(&li.rtt, 2 * MS + (uint64_t)i * 1000);
			memset(&r, 0, sizeof(r));
			r.type = DPREC_INTERVAL;
			r.link = l;
			r.interval = &li;
			sink_sla_ops.on_interval(st, &r);
		}
	}
	take_events(ev, evlen);
}

START_TEST(test_blackhole_breach_and_clear)
{
	struct run_outcome o = { .verdict = "ok" };
	char ev[1024] = "";
	const cJSON *sla;
	void *st;

	setup_cfg("{\"objectives\":[{\"link\":\"*\",\"metric\":\"loss\",\"window\":\"1m\","
		  "\"max\":\"1%\"},{\"link\":\"pair\",\"metric\":\"rtt_p99\",\"window\":\"5m\","
		  "\"max\":\"10ms\"}]}");
	ck_assert_int_eq(sink_sla_ops.open(&env, &st), 0);
	/* readers opened after the sink see the objectives before any record */
	ck_assert_int_eq(board.n_objectives, 3);
	ck_assert_str_eq(board.objective[0].name, "a_loss_1m");
	ck_assert_str_eq(board.objective[2].link, "pair");
	ck_assert_str_eq(board.objective[2].window, "5m");
	ck_assert_double_eq_tol(board.objective[2].threshold, 0.010, 1e-12);
	ck_assert(isnan(board.objective[0].value));
	ck_assert_int_eq(board.link[0].up, BOARD_UNKNOWN);

	feed(st, 0, 10 * S, 10 * S, 15 * S, ev, sizeof(ev));
	ck_assert_str_eq(ev, "");
	ck_assert_int_eq(board.link[0].up, BOARD_YES);
	ck_assert_int_eq(board.pair_up, BOARD_YES);
	ck_assert_int_eq(board.objective[0].ok, BOARD_YES);

	feed(st, 10 * S, 16 * S, 10 * S, 15 * S, ev, sizeof(ev));
	ck_assert_str_eq(ev, "a:link_down a:sla_breach a:link_up");
	ck_assert_int_eq(board.objective[0].ok, BOARD_NO);
	ck_assert_int_eq(board.objective[1].ok, BOARD_YES);
	ck_assert(board.objective[0].value > 0.01);
	ck_assert(board.objective[0].budget_remaining < 1.0);
	ck_assert(board.objective[0].burn_rate[0] > 0);

	ev[0] = '\0';
	feed(st, 16 * S, 80 * S, 10 * S, 15 * S, ev, sizeof(ev));
	ck_assert_str_eq(ev, "a:sla_clear");
	ck_assert_int_eq(board.objective[0].ok, BOARD_YES);

	ck_assert_int_eq(sink_sla_ops.close(st, &o), 0);
	ck_assert_str_eq(o.verdict, "ok");
	sla = cJSON_GetObjectItem(o.summary_members, "sla");
	ck_assert_ptr_nonnull(sla);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(sla, "configured")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(sla, "objectives")), 3);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(sla, "breached")), 0);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(sla, "links"),
				"a"), "outages")->valueint, 1);
	cJSON_Delete(o.summary_members);
	fclose(env.console);
}
END_TEST

/*
 * A sink over 20 s with link a dead 10..15 s: the events it raised and the
 * verdict it left; returns summary.json's "sla" (free with cJSON_Delete of
 * its parent: *members).
 */
static const cJSON *
run_20s(const char *sla, const char *want_events, const char *want_verdict, cJSON **members)
{
	struct run_outcome o = { .verdict = "ok" };
	char ev[1024] = "";
	void *st;

	setup_cfg(sla);
	ck_assert_int_eq(sink_sla_ops.open(&env, &st), 0);
	feed(st, 0, 20 * S, 10 * S, 15 * S, ev, sizeof(ev));
	ck_assert_str_eq(ev, want_events);
	ck_assert_int_eq(sink_sla_ops.close(st, &o), 0);
	ck_assert_str_eq(o.verdict, want_verdict);
	fclose(env.console);
	*members = o.summary_members;
	return cJSON_GetObjectItem(o.summary_members, "sla");
}

START_TEST(test_breached_at_the_end)
{
	cJSON *m;
	const cJSON *sla = run_20s("{\"objectives\":[{\"link\":\"a\",\"metric\":\"loss\","
				   "\"window\":\"1m\",\"max\":\"1%\",\"reaction\":"
				   "{\"type\":\"consecutive\",\"n\":3}}]}",
				   "a:link_down a:sla_breach a:link_up", "sla_breach", &m);

	const cJSON *o = cJSON_GetArrayItem(cJSON_GetObjectItem(sla, "objectives"), 0);

	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetObjectItem(sla, "breached"), 0)->valuestring,
			 "a_loss_1m");
	/* bad since about 11 s of 17 judged: every tier burns far above its rate */
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "burn_alerts")), 3);
	ck_assert(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "burn_rate"), "1h")->valuedouble > 14.4);
	cJSON_Delete(m);
}
END_TEST

START_TEST(test_no_objectives_still_tracks_links)
{
	cJSON *m;
	const cJSON *sla = run_20s(NULL, "a:link_down a:link_up", "ok", &m);

	ck_assert_int_eq(board.n_objectives, 0);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(sla, "configured")));
	ck_assert_str_eq(cJSON_GetObjectItem(sla, "note")->valuestring, "no SLA configured");
	cJSON_Delete(m);
}
END_TEST

/* a_loss_1m's final value after 0..17 s, with link a dead 10..15 s, the middle fed twice or not */
static double
final_loss(bool replay)
{
	struct run_outcome o = { .verdict = "ok" };
	char ev[1024] = "";
	const cJSON *obj;
	double v;
	void *st;

	setup_cfg("{\"objectives\":[{\"link\":\"a\",\"metric\":\"loss\",\"window\":\"1m\","
		  "\"max\":\"1%\"}]}");
	ck_assert_int_eq(sink_sla_ops.open(&env, &st), 0);
	feed(st, 0, 12 * S, 10 * S, 15 * S, ev, sizeof(ev));
	if (replay)
		feed(st, 9 * S, 12 * S, 10 * S, 15 * S, ev, sizeof(ev));
	feed(st, 12 * S, 17 * S, 10 * S, 15 * S, ev, sizeof(ev));
	ck_assert_int_eq(sink_sla_ops.close(st, &o), 0);
	obj = cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(o.summary_members, "sla"),
						     "objectives"), 0);
	v = cJSON_GetObjectItem(obj, "value")->valuedouble;
	cJSON_Delete(o.summary_members);
	fclose(env.console);
	return v;
}

START_TEST(test_replayed_records_count_once)
{
	double once = final_loss(false), twice = final_loss(true);

	ck_assert(once > 0.01);
	ck_assert_double_eq_tol(twice, once, 1e-12);
}
END_TEST

static Suite *
sink_sla_suite(void)
{
	Suite *s = suite_create("sink_sla");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_blackhole_breach_and_clear);
	tcase_add_test(tc, test_breached_at_the_end);
	tcase_add_test(tc, test_no_objectives_still_tracks_links);
	tcase_add_test(tc, test_replayed_records_count_once);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(sink_sla_suite)
