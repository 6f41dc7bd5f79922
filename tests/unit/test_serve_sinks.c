/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * serve's sinks on a small tmpfs (root; else the full-disk part is
 * skipped): the jsonl sink raises output_error once when its lines stop
 * fitting, counts them on the board, and output_resumed with the count once
 * lines have been written for 2 s after space returned, every line on disk
 * whole; the window sink writes
 * window.json (whole JSON, no temporary file left) and leaves the window on
 * the board when a record of the next window arrives.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "board.h"
#include "mp_test.h"
#include "sink.h"
#include "util.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1796409000000000000)	/* 2026-12-04T18:30:00Z */

static char seen[64][32];
static int n_seen;

static void
spy_event(void *state, const struct dprec *r)
{
	(void)state;
	if (n_seen < 64 && r->event != NULL)
		snprintf(seen[n_seen++], sizeof(seen[0]), "%s", r->event);
}

static int
spy_open(const struct sink_env *env, void **state)
{
	(void)env;
	*state = NULL;
	return 0;
}

static const struct sink_ops spy_ops = { .name = "spy", .open = spy_open, .on_event = spy_event };

static int
count(const char *event)
{
	int i, n = 0;

	for (i = 0; i < n_seen; i++)
		n += strcmp(seen[i], event) == 0;
	return n;
}

static struct mp_config cfg;
static struct link_interval li;
static char line[3000];

static void
feed(struct sinks *set, uint64_t k)
{
	struct dprec r = { .type = DPREC_INTERVAL, .line = line, .interval = &li, .link = 0 };

	memset(&li, 0, sizeof(li));
	snprintf(li.link, sizeof(li.link), "a");
	li.queues = 1;
	link_interval_reset(&li);
	li.seq = k;
	li.start_unix_ns = T0 + k * 100 * MS;
	li.end_unix_ns = li.start_unix_ns + 100 * MS;
	li.c.sent = li.c.received = 10;
	r.recv_unix_ns = li.end_unix_ns;
	sinks_record(set, &r);
}

START_TEST(test_full_and_window)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &sink_window_ops, &spy_ops, NULL
	};
	char dir[] = "/tmp/test_serve_sinks.XXXXXX", path[128], cmd[160], *text;
	struct board board = { .output_ok = true };
	struct sinks set;
	struct sink_env env = { .cfg = &cfg, .out_dir = dir, .bus = &set.bus, .board = &board,
				.quiet = true, .console = stdout };
	bool tmpfs;
	uint64_t k;
	cJSON *w;

	memset(&cfg, 0, sizeof(cfg));
	cfg.interval_ms = 100;
	cfg.n_links = 1;
	snprintf(cfg.links[0].name, sizeof(cfg.links[0].name), "a");
	cfg.service.present = true;
	cfg.service.window_s = 10;
	cfg.service.rotate_bytes = 1 << 20;
	/* a whole JSON line of ~3 KB */
	memset(line, 'x', sizeof(line) - 1);
	memcpy(line, "{\"p\":\"", 6);
	memcpy(line + sizeof(line) - 3, "\"}", 2);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	tmpfs = mount("tmpfs", dir, "tmpfs", 0, "size=64k") == 0;
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	for (k = 0; k < (tmpfs ? 60 : 5); k++)
		feed(&set, k);
	if (tmpfs) {
		ck_assert_int_eq(count("output_error"), 1);
		ck_assert(!board.output_ok);
		ck_assert_uint_gt(board.output_lines_lost, 0);
		snprintf(cmd, sizeof(cmd), "mount -o remount,size=1m %s", dir);
		ck_assert_int_eq(system(cmd), 0);
		/* resumed: lines written for 2 s without one lost (a line that fits is not enough) */
		feed(&set, 60);
		ck_assert_int_eq(count("output_resumed"), 0);
		usleep(2100000);
	} else {
		fprintf(stderr, "test_full_and_window: no tmpfs: the full-disk part is skipped\n");
	}
	/* into the next 10 s window: the first one is published */
	for (k = 61; k < 110; k++)
		feed(&set, k);
	if (tmpfs) {
		ck_assert_int_eq(count("output_resumed"), 1);
		ck_assert(board.output_ok);
	}
	ck_assert_ptr_nonnull(board.last_window);
	snprintf(path, sizeof(path), "%s/window.json", dir);
	text = mp_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	w = cJSON_Parse(text);
	ck_assert_ptr_nonnull(w);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(w, "start")), "2026-12-04T18:30:00Z");
	ck_assert_double_eq(cJSON_GetObjectItem(w, "records")->valuedouble, 100);
	cJSON_Delete(w);
	free(text);
	snprintf(path, sizeof(path), "%s/.window.json.tmp", dir);
	ck_assert_int_ne(access(path, F_OK), 0);
	sinks_close(&set, NULL);
	/* every line whole */
	snprintf(cmd, sizeof(cmd), "jq -c . %s/intervals.jsonl >/dev/null 2>&1 || "
		 "! command -v jq >/dev/null", dir);
	ck_assert_int_eq(system(cmd), 0);
	if (tmpfs)
		ck_assert_int_eq(umount(dir), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *
serve_sinks_suite(void)
{
	Suite *s = suite_create("serve_sinks");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_full_and_window);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(serve_sinks_suite)
