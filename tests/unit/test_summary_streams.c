/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Streams through the sinks as a run feeds them (issue 12): a link with
 * two streams gets summary.json links[0].streams[] whose elements have
 * every key of a link object plus name, ssid, dscp, pcp, rate; the link's
 * object is its own records' (their merge); intervals.jsonl keeps the
 * streams' lines with "link" and "stream"; a link without streams has no
 * "streams"; the table has a row per stream; a stream's record never
 * reaches a sink that does not ask for streams (on_interval).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
static int link_records;	/* seen by a sink with on_interval only */

static void
on_record(void *cookie, const struct dprec *r)
{
	sinks_record(cookie, r);
}

static void
count_interval(void *state, const struct dprec *r)
{
	(void)state;
	(void)r;
	link_records++;
}

static const struct sink_ops count_ops = { .name = "count", .on_interval = count_interval };

static void
setup(void)
{
	struct dpconn_opts o = {
		.links = { .n = 2, .name = { "a", "b" } },
		.on_record = on_record,
		.cookie = &set,
	};
	struct mp_link_cfg *a = &cfg.links[0];
	int i;

	memset(&cfg, 0, sizeof(cfg));
	cfg.interval_ms = 1000;
	cfg.n_links = 2;
	for (i = 0; i < 2; i++) {
		snprintf(cfg.links[i].name, sizeof(cfg.links[i].name), "%c", 'a' + i);
		snprintf(cfg.links[i].frame_mix, sizeof(cfg.links[i].frame_mix), "128");
		snprintf(cfg.links[i].rate_text, sizeof(cfg.links[i].rate_text), "1000pps");
	}
	a->n_streams = 2;
	snprintf(a->streams[0].name, MP_STREAM_NAME_MAX, "voice");
	snprintf(a->streams[0].rate_text, sizeof(a->streams[0].rate_text), "2Mbps");
	snprintf(a->streams[0].frame_mix, sizeof(a->streams[0].frame_mix), "128");
	a->streams[0].dscp = 46;
	a->streams[0].pcp = 5;
	a->streams[0].ssid = 11;
	snprintf(a->streams[1].name, MP_STREAM_NAME_MAX, "data");
	snprintf(a->streams[1].rate_text, sizeof(a->streams[1].rate_text), "500pps");
	snprintf(a->streams[1].frame_mix, sizeof(a->streams[1].frame_mix), "1024");
	a->streams[1].pcp = -1;
	a->streams[1].ssid = 12;
	snprintf(dir, sizeof(dir), "/tmp/test_sstreams.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	env = (struct sink_env){
		.cfg = &cfg, .config_path = "test.json", .out_dir = dir, .dp_log = "",
		.console = open_memstream(&console_text, &console_len),
	};
	conn = dpconn_create(&o);
	ck_assert_ptr_nonnull(conn);
	link_records = 0;
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

/* A 1 s interval seq of link (stream NULL: the link's own), with round trips of rtt_us. */
static void
feed_rec(const char *link, const char *stream, uint64_t seq, uint64_t sent, uint64_t lost,
	 uint64_t rtt_us)
{
	struct link_interval li;
	char *line;
	uint64_t k;

	memset(&li, 0, sizeof(li));
	snprintf(li.link, sizeof(li.link), "%s", link);
	if (stream != NULL)
		snprintf(li.stream, sizeof(li.stream), "%s", stream);
	li.queues = 1;
	link_interval_reset(&li);
	li.seq = seq;
	li.start_unix_ns = T0 + seq * 1000 * MS;
	li.end_unix_ns = li.start_unix_ns + 1000 * MS;
	li.c.sent = sent;
	li.c.received = sent - lost;
	li.c.lost = lost;
	li.pacer_rate_mpps = sent * 1000;
	for (k = 0; k < li.c.received; k++)
		hist_add(&li.rtt, rtt_us * 1000);
	line = record_interval_line(&li);
	dpconn_feed(conn, line, strlen(line));
	free(line);
}

static const char hello[] =
	"{\"type\":\"hello\",\"v\":1,\"links\":[{\"name\":\"a\",\"frame_size\":128,"
	"\"frame_mix\":\"128\",\"lanes\":[{\"queue\":0,\"stream\":\"voice\",\"frame_size\":128,"
	"\"frame_mix\":\"128\"},{\"queue\":1,\"stream\":\"data\",\"frame_size\":1024,"
	"\"frame_mix\":\"1024\"}]},{\"name\":\"b\",\"frame_size\":128,\"frame_mix\":\"128\"}]}\n";

static cJSON *
run_and_read(void)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &count_ops, &sink_summary_ops, NULL
	};
	struct run_outcome o = {
		.complete = true, .end_reason = "duration", .verdict = "ok",
		.start_unix_ns = T0, .stop_unix_ns = T0 + 3000 * MS, .records = 6,
	};
	char path[128], *text;
	cJSON *sum;
	uint64_t s;

	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	dpconn_feed(conn, hello, strlen(hello));
	for (s = 0; s < 3; s++) {
		/* the link's record is the merge of its streams' */
		feed_rec("a", NULL, s, 1950 + 500, 3, 100);
		feed_rec("a", "voice", s, 1950, 1, 100);
		feed_rec("a", "data", s, 500, 2, 100);
		feed_rec("b", NULL, s, 1000, 0, 200);
	}
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	snprintf(path, sizeof(path), "%s/summary.json", dir);
	text = mp_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	sum = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(sum);
	return sum;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	ck_assert_msg(it != NULL, "no %s", key);
	return cJSON_IsRaw(it) ? strtod(it->valuestring, NULL) : it->valuedouble;
}

START_TEST(test_summary_streams)
{
	cJSON *sum = run_and_read();
	const cJSON *links = cJSON_GetObjectItemCaseSensitive(sum, "links");
	const cJSON *a = cJSON_GetArrayItem(links, 0), *b = cJSON_GetArrayItem(links, 1);
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(a, "streams"), *v, *d, *k;

	ck_assert(cJSON_IsArray(st));
	ck_assert_int_eq(cJSON_GetArraySize(st), 2);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(b, "streams"));
	v = cJSON_GetArrayItem(st, 0);
	d = cJSON_GetArrayItem(st, 1);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "name")), "voice");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "name")), "data");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "rate")), "2Mbps");
	ck_assert(num(v, "ssid") == 11 && num(v, "dscp") == 46 && num(v, "pcp") == 5);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(d, "pcp")));
	ck_assert(num(d, "frame_size_sent") == 1024);
	/* every key of a link object is in each stream's (the same writer) */
	cJSON_ArrayForEach(k, a) {
		if (strcmp(k->string, "streams") == 0)
			continue;
		ck_assert_msg(cJSON_GetObjectItemCaseSensitive(v, k->string) != NULL,
			      "stream object without %s", k->string);
		ck_assert_msg(cJSON_GetObjectItemCaseSensitive(d, k->string) != NULL,
			      "stream object without %s", k->string);
	}
	ck_assert(num(v, "sent") == 3 * 1950 && num(d, "sent") == 3 * 500);
	ck_assert(num(a, "sent") == num(v, "sent") + num(d, "sent"));
	ck_assert(num(a, "lost") == num(v, "lost") + num(d, "lost"));
	ck_assert(num(a, "rtt_samples") == num(v, "rtt_samples") + num(d, "rtt_samples"));
	ck_assert(num(cJSON_GetObjectItemCaseSensitive(v, "rtt_us"), "p50") > 90);
	/* the sink without on_stream saw the links' records only */
	ck_assert_int_eq(link_records, 6);
	fflush(env.console);
	ck_assert_msg(strstr(console_text, "\na/voice       5850      5847       3") != NULL, "%s", console_text);
	ck_assert_ptr_nonnull(strstr(console_text, "\na/data        1500"));
	cJSON_Delete(sum);
}
END_TEST

START_TEST(test_jsonl_streams)
{
	char path[128], *text, *p;
	int n_stream = 0, n = 0;

	cJSON_Delete(run_and_read());
	snprintf(path, sizeof(path), "%s/intervals.jsonl", dir);
	text = mp_read_file(path, NULL);
	ck_assert_ptr_nonnull(text);
	for (p = strtok(text, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		n++;
		if (strstr(p, "\"stream\":\"voice\"") != NULL || strstr(p, "\"stream\":\"data\"") != NULL) {
			ck_assert_ptr_nonnull(strstr(p, "\"link\":\"a\""));
			n_stream++;
		}
	}
	ck_assert_int_eq(n, 12);
	ck_assert_int_eq(n_stream, 6);
	free(text);
}
END_TEST

static Suite *
summary_streams_suite(void)
{
	Suite *s = suite_create("summary_streams");
	TCase *tc = tcase_create("streams");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_summary_streams);
	tcase_add_test(tc, test_jsonl_streams);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(summary_streams_suite)
