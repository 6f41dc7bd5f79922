/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The carrier sink through a run's sinks: the pinned links' rounds teach
 * their hops, the service link's rounds say which link carried it; the
 * service link's interval records in intervals.jsonl carry "carried_by"
 * (the dataplane's numbers untouched), a change raises service_carrier
 * {from, to} in events.jsonl, summary.json gets service_stream; the pinned
 * links' records are written as received.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dprec.h"
#include "mp_record.h"
#include "mp_test.h"
#include "sink.h"
#include "sink_test.h"
#include "util.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1700000000000000123)

static const struct dprec_links links = { .n = 3, .name = { "a", "b", "svc" } };

/* A round of link l (index i) ending at end_ns: hops h1, h2, then the reflector refl. */
static void
path_line(char *buf, size_t len, const char *l, int i, uint64_t end_ns, const char *h1,
	  const char *h2, const char *refl)
{
	snprintf(buf, len, "{\"type\":\"path\",\"v\":1,\"link\":\"%s\",\"link_index\":%d,"
		 "\"round\":1,\"start_ns\":\"%llu\",\"end_ns\":\"%llu\",\"reflector\":\"%s\","
		 "\"reflector_port\":862,\"max_ttl\":8,\"flows\":[{\"flow\":0,"
		 "\"source_port\":863,\"reached\":true,\"reached_ttl\":3,\"hops\":["
		 "{\"ttl\":1,\"addr\":\"%s\",\"rtt_ns\":5},{\"ttl\":2,\"addr\":\"%s\",\"rtt_ns\":5},"
		 "{\"ttl\":3,\"addr\":\"%s\",\"rtt_ns\":9,\"reflector\":true}]}]}",
		 l, i, (unsigned long long)(end_ns - 50 * MS), (unsigned long long)end_ns, refl,
		 h1, h2, refl);
}

static void
feed(struct sinks *set, const char *line)
{
	struct link_interval li;
	struct dprec r;
	char err[256];

	ck_assert_msg(dprec_decode(line, &links, 1, &li, &r, err, sizeof(err)) == 0, "%s", err);
	sinks_record(set, &r);
	dprec_release(&r);
}

/* A second of link name, from T0 + sec s. */
static void
feed_interval(struct sinks *set, const char *name, int idx, uint64_t s)
{
	struct link_interval li;
	char *line;

	memset(&li, 0, sizeof(li));
	snprintf(li.link, sizeof(li.link), "%s", name);
	li.link_index = (uint32_t)idx;
	li.queues = 1;
	link_interval_reset(&li);
	li.seq = s;
	li.start_unix_ns = T0 + s * 1000 * MS;
	li.end_unix_ns = li.start_unix_ns + 1000 * MS;
	li.c.sent = li.c.received = 1000;
	line = record_interval_line(&li);
	feed(set, line);
	free(line);
}

/* A round of the service link: the CE, the provider's router (NULL: no answer), the MSEE, the VNet. */
static void
svc_round(struct sinks *set, uint64_t end_ns, const char *router, const char *msee)
{
	char line[1024], r[96] = "";

	if (router != NULL)
		snprintf(r, sizeof(r), "{\"ttl\":2,\"addr\":\"%s\",\"rtt_ns\":5},", router);
	snprintf(line, sizeof(line), "{\"type\":\"path\",\"v\":1,\"link\":\"svc\",\"link_index\":2,"
		 "\"round\":1,\"start_ns\":\"%llu\",\"end_ns\":\"%llu\",\"reflector\":\"10.1.0.4\","
		 "\"reflector_port\":862,\"max_ttl\":8,\"flows\":[{\"flow\":0,"
		 "\"source_port\":863,\"reached\":true,\"reached_ttl\":4,\"hops\":["
		 "{\"ttl\":1,\"addr\":\"10.0.0.1\",\"rtt_ns\":5},%s{\"ttl\":3,\"addr\":\"%s\","
		 "\"rtt_ns\":5},{\"ttl\":4,\"addr\":\"10.1.0.4\",\"rtt_ns\":9,\"reflector\":true}]}]}",
		 (unsigned long long)(end_ns - 50 * MS), (unsigned long long)end_ns, r, msee);
	feed(set, line);
}

static const struct sink_ops *const list[] = {
	&sink_carrier_ops, &sink_jsonl_ops, &capture_ops, NULL,
};
static struct mp_config cfg;
static struct sinks set;
static struct sink_env env;
static char dir[64];

/* links a and b, and svc (kind service) when n is 3; the sinks opened on a new directory */
static void
open_run(int n)
{
	int i;

	snprintf(dir, sizeof(dir), "/tmp/test_sink_carrier.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	sink_test_key = "service_stream";
	memset(&cfg, 0, sizeof(cfg));
	cfg.interval_ms = 1000;
	cfg.loss_timeout_ms = 1000;
	cfg.n_links = n;
	for (i = 0; i < n; i++)
		snprintf(cfg.links[i].name, sizeof(cfg.links[i].name), "%s", links.name[i]);
	cfg.carrier.service = n == 3 ? 2 : -1;
	cfg.links[2].kind = LINK_KIND_SERVICE;
	cfg.carrier.interval_ms = 500;
	memset(&env, 0, sizeof(env));
	env.cfg = &cfg;
	env.out_dir = dir;
	env.dp_log = "";
	env.quiet = true;
	env.console = fopen("/dev/null", "w");
	env.bus = &set.bus;
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
}

static void
close_run(void)
{
	char cmd[128];

	fclose(env.console);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_carrier_through_sinks)
{
	struct run_outcome o = { .complete = true, .verdict = "ok" };
	char line[1024], start[64];
	char *iv, *ev, *p;
	uint64_t s;

	open_run(3);
	path_line(line, sizeof(line), "a", 0, T0, "192.0.2.2", "203.0.113.1", "192.0.2.10");
	feed(&set, line);
	path_line(line, sizeof(line), "b", 1, T0, "198.51.100.2", "203.0.113.2", "198.51.100.10");
	feed(&set, line);
	/* seconds 0-2 over a, 3-5 over b (the MSEE's site address says which) */
	for (s = 0; s < 6; s++) {
		svc_round(&set, T0 + s * 1000 * MS + 500 * MS, s < 3 ? NULL : "203.0.113.2",
			  s < 3 ? "192.0.2.10" : "198.51.100.10");
		feed_interval(&set, "a", 0, s);
		feed_interval(&set, "svc", 2, s);
	}
	/* no round for 3 s more: the carrier cannot be told */
	for (; s < 9; s++)
		feed_interval(&set, "svc", 2, s);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	iv = read_out(dir, "intervals.jsonl");
	ev = read_out(dir, "events.jsonl");
	ck_assert_ptr_nonnull(iv);
	ck_assert_ptr_nonnull(ev);
	/* the dataplane's 19-digit times are kept exactly; the member is added last */
	snprintf(start, sizeof(start), "\"start_ns\":\"%llu\"", (unsigned long long)T0);
	p = strstr(iv, "\"link\":\"svc\"");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(strstr(iv, start));
	ck_assert_ptr_nonnull(strstr(p, ",\"carried_by\":\"a\"}\n"));
	ck_assert_ptr_nonnull(strstr(iv, ",\"carried_by\":\"b\"}\n"));
	ck_assert_ptr_nonnull(strstr(iv, ",\"carried_by\":null}\n"));
	/* link a's own records: as received, no carried_by */
	for (p = strtok(iv, "\n"); p != NULL; p = strtok(NULL, "\n"))
		ck_assert(strstr(p, "\"link\":\"a\"") == NULL || strstr(p, "carried_by") == NULL);
	ck_assert_ptr_nonnull(strstr(ev, "\"link\":\"svc\",\"event\":\"service_carrier\","
				     "\"from\":\"a\",\"to\":\"b\""));
	ck_assert_ptr_nonnull(strstr(ev, "\"event\":\"service_carrier\",\"from\":\"b\",\"to\":null"));
	ck_assert_ptr_null(strstr(ev, "\"from\":null,\"to\":\"a\""));	/* the first interval: no change */
	/*
	 * summary.json's service_stream: a 3 s, b 4 s (the round at 5.5 s is
	 * fresh for 2 rounds and a loss timeout: until 7.5 s), unknown 2 s
	 */
	ck_assert_ptr_nonnull(captured);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItem(captured, "link")), "svc");
	ck_assert_double_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(captured, "carried_s"),
						"a")->valuedouble, 3);
	ck_assert_double_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(captured, "carried_s"),
						"b")->valuedouble, 4);
	ck_assert_double_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(captured, "carried_s"),
						"unknown")->valuedouble, 2);
	ck_assert_double_eq(cJSON_GetObjectItem(captured, "changes")->valuedouble, 2);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(captured, "carried_by_last")));
	ck_assert_double_eq(cJSON_GetObjectItem(captured, "path_rounds")->valuedouble, 6);
	cJSON_Delete(captured);
	captured = NULL;
	free(iv);
	free(ev);
	close_run();
}
END_TEST

/* Without a service link the sink is nothing: no carried_by, no summary member. */
START_TEST(test_no_service)
{
	struct run_outcome o = { .complete = true, .verdict = "ok" };
	char *iv;

	open_run(2);
	feed_interval(&set, "a", 0, 0);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	iv = read_out(dir, "intervals.jsonl");
	ck_assert_ptr_null(strstr(iv, "carried_by"));
	ck_assert_ptr_null(captured);
	free(iv);
	close_run();
}
END_TEST

static Suite *
sink_carrier_suite(void)
{
	Suite *s = suite_create("sink_carrier");
	TCase *tc = tcase_create("sink_carrier");

	tcase_add_test(tc, test_carrier_through_sinks);
	tcase_add_test(tc, test_no_service);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(sink_carrier_suite)
