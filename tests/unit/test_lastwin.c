/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The last completed window: records land in the UTC-aligned window their
 * end falls in (a record ending on the boundary is the earlier window's),
 * counts and loss of each window against independent sums, percentiles
 * against the values put in, a hole in the records shows as a gap and as
 * less covered time, never as loss, and a window waits for late records
 * before it is stale.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "mp_test.h"
#include "lastwin.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1796409000000000000)	/* 2026-12-04T18:30:00Z */

static struct mp_config cfg;

static void
setup_cfg(void)
{
	memset(&cfg, 0, sizeof(cfg));
	cfg.interval_ms = 100;
	cfg.n_links = 2;
	snprintf(cfg.links[0].name, sizeof(cfg.links[0].name), "a");
	snprintf(cfg.links[1].name, sizeof(cfg.links[1].name), "b");
}

/* The record of link for the 100 ms interval number k after T0. */
static void
mk(struct link_interval *li, uint32_t link, uint64_t k, uint64_t sent, uint64_t lost,
   uint64_t rtt_ns)
{
	uint64_t i;

	memset(li, 0, sizeof(*li));
	snprintf(li->link, sizeof(li->link), "%s", cfg.links[link].name);
	li->queues = 1;
	link_interval_reset(li);
	li->link_index = link;
	li->seq = k;
	li->start_unix_ns = T0 + k * 100 * MS;
	li->end_unix_ns = li->start_unix_ns + 100 * MS;
	li->c.sent = sent;
	li->c.lost = lost;
	li->c.received = sent - lost;
	for (i = 0; i < sent - lost; i++)
		hist_add(&li->rtt, rtt_ns);
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	ck_assert_msg(it != NULL, "no \"%s\"", key);
	return cJSON_IsRaw(it) ? strtod(it->valuestring, NULL) : it->valuedouble;
}

static const cJSON *
link_of(const cJSON *w, int i)
{
	return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(w, "links"), i);
}

START_TEST(test_windows)
{
	static struct lastwin w;
	static struct link_interval li;
	uint64_t k, sent_a = 0, lost_a = 0;
	cJSON *o;

	setup_cfg();
	lastwin_init(&w, &cfg, 60);
	/* the first minute: a every interval (10 sent, 1 lost in every 10th), b with a 5 s hole */
	for (k = 0; k < 600; k++) {
		mk(&li, 0, k, 10, k % 10 == 0, 1000000 + (k % 2) * 1000000);
		ck_assert(!lastwin_due(&w, li.end_unix_ns));
		lastwin_add(&w, &li);
		sent_a += 10;
		lost_a += k % 10 == 0;
		if (k >= 100 && k < 150)
			continue;
		mk(&li, 1, k, 5, 0, 3000000);
		lastwin_add(&w, &li);
	}
	ck_assert_uint_eq(w.start_ns, T0);	/* the record ending at T0 + 60 s is this window's */
	lastwin_gap(&w, 2500 * MS);
	mk(&li, 0, 600, 10, 0, 1000000);
	ck_assert(lastwin_due(&w, li.end_unix_ns));
	ck_assert(!lastwin_stale(&w, T0 + 60000 * MS + 200 * MS));
	ck_assert(lastwin_stale(&w, T0 + 60000 * MS + 2500 * MS));
	o = lastwin_close(&w);
	ck_assert_ptr_nonnull(o);
	ck_assert_double_eq(num(o, "window_s"), 60);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "start")), "2026-12-04T18:30:00Z");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(o, "end")), "2026-12-04T18:31:00Z");
	ck_assert_double_eq(num(o, "records"), 600 + 550);
	ck_assert_double_eq(num(o, "dataplane_gaps"), 1);
	ck_assert_double_eq_tol(num(o, "dataplane_gap_s"), 2.5, 1e-9);
	ck_assert_double_eq(num(link_of(o, 0), "sent"), (double)sent_a);
	ck_assert_double_eq(num(link_of(o, 0), "lost"), (double)lost_a);
	ck_assert_double_eq_tol(num(link_of(o, 0), "loss_ratio"), 60.0 / 6000, 1e-9);
	ck_assert_double_eq_tol(num(link_of(o, 0), "covered_s"), 60, 1e-9);
	/* b: the hole is a gap and 5 s less covered, and no loss */
	ck_assert_double_eq(num(link_of(o, 1), "lost"), 0);
	ck_assert_double_eq(num(link_of(o, 1), "gaps"), 1);
	ck_assert_double_eq_tol(num(link_of(o, 1), "covered_s"), 55, 1e-9);
	ck_assert_double_eq_tol(num(cJSON_GetObjectItem(link_of(o, 1), "rtt_us"), "p50"), 3000,
				3000 * 0.02);
	ck_assert_double_eq_tol(num(cJSON_GetObjectItem(link_of(o, 0), "rtt_us"), "p99"), 2000,
				2000 * 0.02);
	cJSON_Delete(o);
	/* the next window is open at once, and empty: no data, not zero loss */
	ck_assert_uint_eq(w.start_ns, T0 + 60000 * MS);
	o = lastwin_close(&w);
	ck_assert_double_eq(num(o, "records"), 0);
	ck_assert_double_eq(num(link_of(o, 0), "intervals"), 0);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(link_of(o, 0), "loss_ratio")));
	ck_assert_double_eq(num(link_of(o, 0), "covered_s"), 0);
	cJSON_Delete(o);
	/* a record from before the open window is not counted in it */
	mk(&li, 0, 10, 10, 0, 1000000);
	lastwin_add(&w, &li);
	ck_assert_uint_eq(w.early, 1);
	ck_assert_uint_eq(w.records, 0);
}
END_TEST

START_TEST(test_none_open)
{
	static struct lastwin w;

	setup_cfg();
	lastwin_init(&w, &cfg, 60);
	ck_assert(!lastwin_due(&w, T0));
	ck_assert(!lastwin_stale(&w, T0 * 2));
	ck_assert_ptr_null(lastwin_close(&w));
}
END_TEST

static Suite *
window_suite(void)
{
	Suite *s = suite_create("window");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_windows);
	tcase_add_test(tc, test_none_open);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(window_suite)
