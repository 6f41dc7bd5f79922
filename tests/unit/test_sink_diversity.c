/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The diversity sink while a run goes: fed records through the dataplane
 * connection's framing as a run does, it raises each co-impairment episode
 * as events on the bus (start, then end with its length) as soon as the
 * windows are final, not at the end; writes one line a window to
 * pair.jsonl; prints the pair's line a second; and leaves the current
 * object on the board, taking it back when it closes.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "board.h"
#include "dpconn.h"
#include "mp_record.h"
#include "mp_test.h"
#include "sink.h"
#include "util.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1700000000000000000)

static struct mp_config cfg;
static char dir[64];
static char *console_text;
static size_t console_len;
static struct sink_env env;
static struct sinks set;
static struct dpconn *conn;
static struct board board;

static void
on_record(void *cookie, const struct dprec *r)
{
	sinks_record(cookie, r);
}

/* Two links a and b, 1 s intervals, a 1 s loss timeout, the console in memory. */
static void
setup(void)
{
	struct dpconn_opts o = {
		.links = { .n = 2, .name = { "a", "b" } },
		.on_record = on_record,
		.cookie = &set,
	};
	int i;

	memset(&cfg, 0, sizeof(cfg));
	memset(&board, 0, sizeof(board));
	cfg.interval_ms = 1000;
	cfg.loss_timeout_ms = 1000;
	cfg.n_links = 2;
	for (i = 0; i < 2; i++) {
		snprintf(cfg.links[i].name, sizeof(cfg.links[i].name), "%c", 'a' + i);
		snprintf(cfg.links[i].frame_mix, sizeof(cfg.links[i].frame_mix), "64");
	}
	snprintf(cfg.links[0].location, sizeof(cfg.links[0].location), "Amsterdam");
	snprintf(cfg.links[1].location, sizeof(cfg.links[1].location), "Amsterdam2");
	snprintf(dir, sizeof(dir), "/tmp/test_sink_div.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	env = (struct sink_env){
		.cfg = &cfg, .config_path = "test.json", .out_dir = dir, .dp_log = "",
		.console = open_memstream(&console_text, &console_len),
		.bus = &set.bus, .board = &board,
	};
	conn = dpconn_create(&o);
	ck_assert_ptr_nonnull(conn);
}

static void
teardown(void)
{
	char cmd[128];

	dpconn_destroy(conn);
	fclose(env.console);
	free(console_text);
	console_text = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *
read_out(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return mp_read_file(path, NULL);
}

static int
count(const char *text, const char *needle)
{
	int n = 0;

	for (; text != NULL && (text = strstr(text, needle)) != NULL; text++)
		n++;
	return n;
}

/* Both links down in windows 4 and 5 (10 probes a second, lost counted a second later). */
static bool
down(uint64_t k)
{
	return k == 4 || k == 5;
}

static void
feed_window(const char *name, uint64_t k)
{
	struct link_interval li;
	char *line;

	memset(&li, 0, sizeof(li));
	snprintf(li.link, sizeof(li.link), "%s", name);
	li.queues = 1;
	link_interval_reset(&li);
	li.seq = k;
	li.start_unix_ns = T0 + k * 1000 * MS;
	li.end_unix_ns = li.start_unix_ns + 1000 * MS;
	li.pacer_rate_mpps = 10 * 1000;
	li.c.sent = 10;
	li.c.received = down(k) ? 0 : 10;
	li.c.lost = down(k - 1) ? 10 : 0;
	if (!down(k))
		hist_add(&li.rtt, 2 * MS);
	if (down(k)) {
		li.overdue = 10;
		li.overdue_after_ns = 50 * MS;
		li.no_reply_ns = (k - 3) * 1000 * MS;
	}
	line = record_interval_line(&li);
	dpconn_feed(conn, line, strlen(line));
	free(line);
}

START_TEST(test_live_episode)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &sink_diversity_ops, NULL,
	};
	struct run_outcome o = { .complete = true, .end_reason = "duration", .verdict = "ok" };
	char *ev, *pair;
	uint64_t k;

	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	for (k = 1; k <= 12; k++) {
		feed_window("a", k);
		feed_window("b", k);
		if (k == 3) {
			sinks_tick(&set, 0);
			ck_assert_ptr_nonnull(board.diversity);
		}
	}
	sinks_tick(&set, 1);
	/* windows 4 and 5 are final by window 11 (loss horizon 2, margin 3): raised already */
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment_start\""), 1);
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	ck_assert_ptr_nonnull(strstr(ev, "\"link\":\"pair\""));
	ck_assert_ptr_nonnull(strstr(ev, "\"start_unix_ns\":1700000004000000000,"
				     "\"end_unix_ns\":1700000006000000000,\"duration_s\":2"));
	free(ev);
	fflush(env.console);
	ck_assert_ptr_nonnull(console_text);
	ck_assert_ptr_nonnull(strstr(console_text, "pair     impaired: a 2, b 2, both 2 of"));
	/* the end: every window final, one line each in pair.jsonl (window 0 before the first) */
	dpconn_feed(conn, "{\"type\":\"end\",\"reason\":\"duration\"}\n", 35);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	ck_assert_ptr_null(board.diversity);
	pair = read_out("pair.jsonl");
	ck_assert_int_eq(count(pair, "\n"), 13);
	ck_assert_int_eq(count(pair, "\"both\":true"), 2);
	ck_assert_ptr_nonnull(strstr(pair, "{\"start_unix_ns\":1700000004000000000,\"a\":\"impaired\","
				       "\"b\":\"impaired\",\"both\":true}\n"));
	ck_assert_ptr_nonnull(strstr(pair, "{\"start_unix_ns\":1700000000000000000,\"a\":\"unknown\","
				       "\"b\":\"unknown\",\"both\":false}\n"));
	ck_assert_ptr_nonnull(strstr(pair, "{\"start_unix_ns\":1700000006000000000,\"a\":\"ok\","
				       "\"b\":\"ok\",\"both\":false}\n"));
	free(pair);
	/* no episode raised twice at the end */
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	free(ev);
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "diversity: "));
}
END_TEST

/* A run that ends inside an episode: its end is still raised, once. */
START_TEST(test_episode_open_at_end)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &sink_diversity_ops, NULL,
	};
	struct run_outcome o = { .complete = true, .end_reason = "duration", .verdict = "ok" };
	char *ev;
	uint64_t k;

	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	for (k = 1; k <= 5; k++) {
		feed_window("a", k);
		feed_window("b", k);
	}
	dpconn_feed(conn, "{\"type\":\"end\",\"reason\":\"duration\"}\n", 35);
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	free(ev);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	free(ev);
}
END_TEST

static Suite *
sink_diversity_suite(void)
{
	Suite *s = suite_create("sink_diversity");
	TCase *tc = tcase_create("sink_diversity");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_live_episode);
	tcase_add_test(tc, test_episode_open_at_end);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(sink_diversity_suite)
