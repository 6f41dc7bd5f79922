/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path records through a run's sinks: decoded (DPREC_PATH), kept in
 * paths.jsonl, a path change raised live as a path_change event (in
 * events.jsonl, with old and new hop lists), and the diversity object's
 * path with the shared hop a SHARED-RISK reason; a path record of a link
 * the run does not have is refused.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dprec.h"
#include "mp_test.h"
#include "sink.h"
#include "sink_test.h"
#include "util.h"

#define CONDUIT	"203.0.113.3"

static const struct dprec_links links = { .n = 2, .name = { "a", "b" } };

/* A round of link l: TTL 1 hop1, TTL 2 hop2, the reflector at TTL 3 (one flow). */
static void
path_line(char *buf, size_t len, const char *l, unsigned round, const char *hop1, const char *hop2)
{
	const char *refl = strcmp(l, "a") == 0 ? "192.0.2.10" : "198.51.100.10";

	snprintf(buf, len, "{\"type\":\"path\",\"v\":1,\"link\":\"%s\",\"link_index\":%d,"
		 "\"round\":%u,\"start_ns\":1,\"end_ns\":2,\"reflector\":\"%s\","
		 "\"reflector_port\":862,\"max_ttl\":8,\"flows\":[{\"flow\":0,"
		 "\"source_port\":863,\"reached\":true,\"reached_ttl\":3,\"hops\":["
		 "{\"ttl\":1,\"addr\":\"%s\",\"rtt_ns\":5},{\"ttl\":2,\"addr\":\"%s\",\"rtt_ns\":5},"
		 "{\"ttl\":3,\"addr\":\"%s\",\"rtt_ns\":9,\"reflector\":true}]}]}",
		 l, strcmp(l, "a") == 0 ? 0 : 1, round, refl, hop1, hop2, refl);
}

static void
feed(struct sinks *set, const char *line)
{
	struct link_interval li;
	struct dprec r;
	char err[256];

	ck_assert_msg(dprec_decode(line, &links, 1, &li, &r, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(r.type, DPREC_PATH);
	sinks_record(set, &r);
	dprec_release(&r);
}

START_TEST(test_path_through_sinks)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &sink_diversity_ops, &capture_ops, NULL,
	};
	static struct mp_config cfg;
	static struct sinks set;
	struct run_outcome o = { .complete = true, .verdict = "ok" };
	char dir[64] = "/tmp/test_sink_path.XXXXXX", line[1024], cmd[128], *paths, *ev, *txt;
	const cJSON *p, *reasons, *it;
	struct sink_env env;
	bool named = false;
	int i, plen;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	sink_test_key = "diversity";
	memset(&cfg, 0, sizeof(cfg));
	cfg.interval_ms = 1000;
	cfg.n_links = 2;
	for (i = 0; i < 2; i++) {
		snprintf(cfg.links[i].name, sizeof(cfg.links[i].name), "%c", 'a' + i);
		snprintf(cfg.links[i].location, sizeof(cfg.links[i].location), "%s",
			 i == 0 ? "Amsterdam" : "Amsterdam2");
		ck_assert_int_eq(ip_addr_parse(i == 0 ? "192.0.2.2" : "198.51.100.2",
					       &cfg.links[i].next_hop, &plen), 0);
	}
	memset(&env, 0, sizeof(env));
	env.cfg = &cfg;
	env.out_dir = dir;
	env.dp_log = "";
	env.quiet = true;
	env.console = fopen("/dev/null", "w");
	env.bus = &set.bus;
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	path_line(line, sizeof(line), "a", 0, CONDUIT, "203.0.113.1");
	feed(&set, line);
	path_line(line, sizeof(line), "b", 0, CONDUIT, "203.0.113.2");
	feed(&set, line);
	/* link a's second hop answers from another address: a path change, now */
	path_line(line, sizeof(line), "a", 1, CONDUIT, "203.0.113.9");
	feed(&set, line);
	ev = read_out(dir, "events.jsonl");
	ck_assert_ptr_nonnull(ev);
	ck_assert_ptr_nonnull(strstr(ev, "\"link\":\"a\",\"event\":\"path_change\",\"flow\":0,"
				     "\"round\":1,\"old\":[\"" CONDUIT "\",\"203.0.113.1\","
				     "\"192.0.2.10\"],\"new\":[\"" CONDUIT "\",\"203.0.113.9\","
				     "\"192.0.2.10\"]"));
	free(ev);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	fclose(env.console);
	/* the diversity object: the hop lists, the conduit shared and named */
	ck_assert_ptr_nonnull(captured);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(captured, "verdict")),
			 "SHARED-RISK");
	p = cJSON_GetObjectItemCaseSensitive(captured, "path");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "a")), 4);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "b")), 3);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetArrayItem(
		cJSON_GetObjectItemCaseSensitive(p, "shared_hops"), 0)), CONDUIT);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "shared_hops")), 1);
	/* the links' gateways are what may be shared */
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "expected")), 2);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(p, "changes")), 1);
	reasons = cJSON_GetObjectItemCaseSensitive(captured, "reasons");
	cJSON_ArrayForEach(it, reasons)
		named |= strstr(cJSON_GetStringValue(it), CONDUIT) != NULL;
	ck_assert(named);
	cJSON_Delete(captured);
	captured = NULL;
	paths = read_out(dir, "paths.jsonl");
	ck_assert_ptr_nonnull(paths);
	for (i = 0, txt = paths; (txt = strchr(txt, '\n')) != NULL; txt++)
		i++;
	ck_assert_int_eq(i, 3);
	free(paths);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

START_TEST(test_bad_path_record)
{
	struct link_interval li;
	struct dprec r;
	char line[1024], err[256] = "";

	path_line(line, sizeof(line), "c", 0, CONDUIT, "203.0.113.1");
	ck_assert_int_eq(dprec_decode(line, &links, 1, &li, &r, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "'c' is not one of the run's links"));
	strcpy(line, "{\"type\":\"path\",\"v\":1,\"link\":\"a\"}");
	ck_assert_int_eq(dprec_decode(line, &links, 1, &li, &r, err, sizeof(err)), -EINVAL);
}
END_TEST

static Suite *
sink_path_suite(void)
{
	Suite *s = suite_create("sink_path");
	TCase *tc = tcase_create("sink_path");

	tcase_add_test(tc, test_path_through_sinks);
	tcase_add_test(tc, test_bad_path_record);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(sink_path_suite)
