/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * drill.json from a drill's state: the keys agreed for the go-live report
 * and the HTML report, nulls with a reason where there is no service
 * stream, the actions and the timeline; and golive's report.json taking
 * DIR/drill.json as its "failover" member (null without one).
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drill.h"
#include "golive_report.h"
#include "mp_test.h"
#include "util.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1796409000000000000)

static char dir[64];

static void
mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_drill_report.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

/* The files these tests write, then the directory (which must then be empty). */
static void
rm_tmp(void)
{
	static const char *const names[] = { "drill.json", "report.json", "report.html" };
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	ck_assert_int_eq(rmdir(dir), 0);
}

static cJSON *
read_json(const char *name)
{
	char path[128], *s;
	cJSON *o;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	s = mp_read_file(path, NULL);
	ck_assert_ptr_nonnull(s);
	o = cJSON_Parse(s);
	free(s);
	ck_assert_ptr_nonnull(o);
	return o;
}

/* A lab drill of link a (b survives, s the service): a 900 ms service gap. */
static void
mk_drill(struct drill *d, struct mp_config *c, bool service)
{
	int si = MP_MAX_LINKS - 1;	/* the service link's index once there are 3 (issue 13) */
	uint64_t k;

	memset(c, 0, sizeof(*c));
	c->n_links = service ? 3 : 2;
	snprintf(c->links[0].name, sizeof(c->links[0].name), "a");
	snprintf(c->links[1].name, sizeof(c->links[1].name), "b");
	if (service)
		snprintf(c->links[si].name, sizeof(c->links[si].name), "s");
	memset(d, 0, sizeof(*d));
	d->cfg = c;
	d->config_path = "lab.json";
	snprintf(d->out, sizeof(d->out), "%s", dir);
	d->link[DRILL_CUT] = 0;
	d->link[DRILL_SURVIVOR] = 1;
	d->link[DRILL_SERVICE] = service ? si : -1;
	snprintf(d->no_service_why, sizeof(d->no_service_why), "no service link");
	d->mode = DRILL_MODE_LAB;
	d->lab_method = 1;
	d->interval_ms = 10;
	d->hold_s = 3;
	d->n_obj = 1;
	d->obj[0] = (struct drill_objective){ .name = "loss", .metric = DRILL_M_LOSS, .max = 0.001 };
	drill_measure_init(&d->m, 10 * MS);
	d->start_ns = T0;
	d->m.cut_begin_ns = T0 + 2000 * MS;
	d->m.cut_ns = T0 + 2001 * MS;
	d->m.restore_begin_ns = T0 + 5000 * MS;
	d->m.restore_ns = T0 + 5001 * MS;
	d->cut = d->restored = true;
	for (k = 0; k < 800; k++) {
		uint64_t t = T0 + k * 10 * MS;
		bool cut = t >= T0 + 2000 * MS && t < T0 + 5050 * MS;
		bool gap = t >= T0 + 2000 * MS && t < T0 + 2900 * MS;
		struct drill_sample s = { .start_ns = t, .end_ns = t + 10 * MS, .sent = 10,
					  .received = cut ? 0 : 10,
					  .carried_by = DRILL_CARRIER_UNKNOWN };

		drill_measure_add(&d->m, DRILL_CUT, &s, NULL, 0);
		s.received = 10;
		drill_measure_add(&d->m, DRILL_SURVIVOR, &s, NULL, 0);
		s.received = gap ? 0 : 10;
		s.carried_by = t < T0 + 2000 * MS || t >= T0 + 6000 * MS ? DRILL_CUT :
			       gap ? DRILL_CARRIER_UNKNOWN : DRILL_SURVIVOR;
		if (service)
			drill_measure_add(&d->m, DRILL_SERVICE, &s, NULL, 0);
	}
	drill_note(d, d->m.cut_ns, "cut of link a by lab blackhole done");
	d->end_ns = T0 + 8000 * MS;
}

static const char *const keys[] = {
	"cut_link", "cut_method", "detection_ms", "service_gap_ms", "service_lost",
	"service_link_before", "service_link_during", "service_link_after",
	"surviving_link_sla_ok", "recovery_ms", "timeline", "resolution", "actions",
};

START_TEST(drill_json_keys_with_service)
{
	struct mp_config c;
	struct drill d;
	cJSON *o;
	size_t i;

	mkdir_tmp();
	mk_drill(&d, &c, MP_MAX_LINKS >= 3);
	ck_assert_int_eq(drill_report_write(&d), 0);
	o = read_json("drill.json");
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_msg(cJSON_HasObjectItem(o, keys[i]), "no %s", keys[i]);
	ck_assert_str_eq(cJSON_GetObjectItem(o, "cut_link")->valuestring, "a");
	ck_assert_str_eq(cJSON_GetObjectItem(o, "cut_method")->valuestring, "blackhole");
	ck_assert(cJSON_GetObjectItem(o, "detection_ms")->valuedouble >= 0.0);
	ck_assert(cJSON_GetObjectItem(o, "detection_ms")->valuedouble <= 10.0);
	ck_assert(fabs(cJSON_GetObjectItem(o, "recovery_ms")->valuedouble - 50.0) < 1.0);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(o, "surviving_link_sla_ok")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "timeline")), 1);
	ck_assert_int_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "resolution"),
					     "interval_ms")->valueint, 10);
	if (MP_MAX_LINKS >= 3) {
		ck_assert(fabs(cJSON_GetObjectItem(o, "service_gap_ms")->valuedouble - 900) < 11);
		ck_assert_int_eq(cJSON_GetObjectItem(o, "service_lost")->valueint, 900);
		ck_assert_str_eq(cJSON_GetObjectItem(o, "service_link_before")->valuestring, "a");
		ck_assert_str_eq(cJSON_GetObjectItem(o, "service_link_during")->valuestring, "b");
		ck_assert_str_eq(cJSON_GetObjectItem(o, "service_link_after")->valuestring, "a");
		ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "service_reason")));
	}
	cJSON_Delete(o);
	drill_measure_free(&d.m);
	rm_tmp();
}
END_TEST

START_TEST(drill_json_without_service)
{
	struct mp_config c;
	struct drill d;
	cJSON *o;

	mkdir_tmp();
	mk_drill(&d, &c, false);
	ck_assert_int_eq(drill_report_write(&d), 0);
	o = read_json("drill.json");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "service_gap_ms")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "service_lost")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "service_link_before")));
	ck_assert_str_eq(cJSON_GetObjectItem(o, "service_reason")->valuestring, "no service link");
	ck_assert(!cJSON_IsNull(cJSON_GetObjectItem(o, "detection_ms")));
	cJSON_Delete(o);
	drill_measure_free(&d.m);
	rm_tmp();
}
END_TEST

/* Refused by the pre-check: nothing cut, nothing judged. */
START_TEST(drill_json_refused)
{
	struct mp_config c;
	struct drill d;
	cJSON *o;

	mkdir_tmp();
	mk_drill(&d, &c, false);
	d.cut = d.restored = false;
	d.m.cut_ns = d.m.cut_begin_ns = d.m.restore_ns = d.m.restore_begin_ns = 0;
	d.refused = true;
	snprintf(d.refused_why, sizeof(d.refused_why), "the surviving link b is not healthy");
	ck_assert_int_eq(drill_report_write(&d), 0);
	ck_assert_int_eq(drill_exit_code(&d, false), 4);
	o = read_json("drill.json");
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(o, "refused")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "detection_ms")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "surviving_link_sla_ok")));
	cJSON_Delete(o);
	/* cut and never restored: exit 1 whatever else */
	d.cut = true;
	ck_assert_int_eq(drill_exit_code(&d, true), 1);
	drill_measure_free(&d.m);
	rm_tmp();
}
END_TEST

START_TEST(golive_failover_member)
{
	struct golive_report r = { 0 };
	char path[128];
	cJSON *o;

	mkdir_tmp();
	r.root = cJSON_CreateObject();
	ck_assert_int_eq(golive_report_write(&r, dir), 0);
	o = read_json("report.json");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(o, "failover")));
	cJSON_Delete(o);
	snprintf(path, sizeof(path), "%s/drill.json", dir);
	ck_assert_int_eq(mp_write_file(path, "{\"cut_link\": \"a\"}\n", 18), 0);
	ck_assert_int_eq(golive_report_write(&r, dir), 0);
	ck_assert_int_eq(golive_report_write(&r, dir), 0);	/* rewritten: still one member */
	o = read_json("report.json");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "failover"),
					     "cut_link")->valuestring, "a");
	cJSON_Delete(o);
	golive_report_free(&r);

	/* a drill after the go-live run: its report.json takes the new drill.json */
	ck_assert_int_eq(mp_write_file(path, "{\"cut_link\": \"b\"}\n", 18), 0);
	ck_assert_int_eq(drill_report_golive(dir), 1);
	o = read_json("report.json");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(o, "failover"),
					     "cut_link")->valuestring, "b");
	cJSON_Delete(o);
	rm_tmp();
	mkdir_tmp();
	ck_assert_int_eq(drill_report_golive(dir), 0);	/* no go-live report: nothing */
	rm_tmp();
}
END_TEST

static Suite *
drill_report_suite(void)
{
	Suite *s = suite_create("drill_report");
	TCase *t = tcase_create("core");

	tcase_add_test(t, drill_json_keys_with_service);
	tcase_add_test(t, drill_json_without_service);
	tcase_add_test(t, drill_json_refused);
	tcase_add_test(t, golive_failover_member);
	suite_add_tcase(s, t);
	return s;
}

MP_TEST_MAIN(drill_report_suite)
