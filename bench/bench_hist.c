/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_hist: merge the interval records of a metroprobe-dp run (JSON lines
 * on stdin) with the project's own record parser and histogram, and print
 * one JSON object with the counters and RTT quantiles. bench/run uses it so
 * that quantiles are computed exactly as control computes them.
 *
 *   bench_hist [--skip N] < probe-stdout.jsonl
 *     --skip N   ignore the first N interval records (start-up)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mp_hist.h"
#include "mp_record.h"
#include "mp_stats.h"

int
main(int argc, char **argv)
{
	struct link_interval *sum, *li;
	char *line = NULL, err[128];
	size_t cap = 0;
	unsigned long skip = 0, n = 0, seen = 0;
	int rc = 1;

	if (argc == 3 && strcmp(argv[1], "--skip") == 0) {
		char *end;

		skip = strtoul(argv[2], &end, 10);
		if (*argv[2] == '\0' || *end != '\0') {
			fprintf(stderr, "bench_hist: bad --skip '%s'\n", argv[2]);
			return 2;
		}
	} else if (argc != 1) {
		fprintf(stderr, "usage: bench_hist [--skip N] < records.jsonl\n");
		return 2;
	}
	sum = calloc(1, sizeof(*sum));
	li = calloc(1, sizeof(*li));
	if (sum == NULL || li == NULL)
		goto out;
	link_interval_reset(sum);
	while (getline(&line, &cap, stdin) > 0) {
		cJSON *o = cJSON_Parse(line);
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(o, "type");

		if (o == NULL || !cJSON_IsString(type) || strcmp(type->valuestring, "interval") != 0) {
			cJSON_Delete(o);
			continue;
		}
		if (seen++ < skip) {
			cJSON_Delete(o);
			continue;
		}
		memset(li, 0, sizeof(*li));
		if (record_interval_from_json(o, li, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_hist: bad interval record: %s\n", err);
			cJSON_Delete(o);
			goto out;
		}
		cJSON_Delete(o);
		if (n == 0) {
			memcpy(sum->link, li->link, sizeof(sum->link));
			sum->link_index = li->link_index;
			sum->queues = li->queues;
			sum->clock = li->clock;
			sum->start_unix_ns = li->start_unix_ns;
			sum->end_unix_ns = li->end_unix_ns;
		}
		link_interval_merge(sum, li);
		n++;
	}
	printf("{\"intervals\":%lu,\"sent\":%" PRIu64 ",\"received\":%" PRIu64
	       ",\"lost\":%" PRIu64 ",\"late\":%" PRIu64 ",\"tx_failed\":%" PRIu64
	       ",\"rtt_count\":%" PRIu64 ",\"rtt_min_ns\":%" PRIu64 ",\"rtt_p50_ns\":%" PRIu64
	       ",\"rtt_p99_ns\":%" PRIu64 ",\"rtt_max_ns\":%" PRIu64 ",\"rtt_mean_ns\":%.1f}\n",
	       n, sum->c.sent, sum->c.received, sum->c.lost, sum->c.late, sum->c.tx_failed,
	       sum->rtt.count, sum->rtt.count ? sum->rtt.min_ns : 0,
	       hist_quantile(&sum->rtt, 0.5), hist_quantile(&sum->rtt, 0.99),
	       sum->rtt.max_ns, hist_mean(&sum->rtt));
	rc = 0;
out:
	free(line);
	free(sum);
	free(li);
	return rc;
}
