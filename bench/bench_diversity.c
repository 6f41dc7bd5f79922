/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the site-diversity analysis costs a long run: feeds HOURS hours of
 * 100 ms interval records of two links (each impaired now and then, on its
 * own) through diversity_add() with the default span (keep_s 24 h), and
 * prints one JSON object: the bytes it holds after each hour
 * (diversity_bytes: what it allocated), the bytes per hour kept, and the
 * median wall time of building the "diversity" object at the end (what the
 * board's refresh costs), over RUNS calls.
 *
 *   bench_diversity [HOURS [RUNS]]      default 24 and 5
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diversity.h"
#include "util.h"

#define MS	UINT64_C(1000000)

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

int
main(int argc, char **argv)
{
	static const struct div_config cfg = {
		.circuit = "metro", .location = { "Amsterdam", "Amsterdam2" },
		.loss_timeout_ms = 1000,
	};
	unsigned hours = argc > 1 ? (unsigned)atoi(argv[1]) : 24;
	unsigned runs = argc > 2 ? (unsigned)atoi(argv[2]) : 5, r, h;
	uint64_t *t = calloc(runs + 1, sizeof(*t)), seed = 1, i, n = (uint64_t)hours * 36000;
	struct link_interval li;
	struct diversity d;
	struct div_result res;
	int k;

	if (hours == 0 || runs == 0 || t == NULL || diversity_init(&d, &cfg, 100) != 0)
		return 1;
	memset(&li, 0, sizeof(li));
	hist_reset(&li.rtt);
	for (i = 0; i < 100; i++)
		hist_add(&li.rtt, 2 * MS + i * 1000);
	li.pacer_rate_mpps = 1000 * 1000;
	li.c.sent = 100;
	printf("{\"hours\":%u,\"bytes_after_hour\":[", hours);
	for (i = 0, h = 0; i < n; i++) {
		li.start_unix_ns = UINT64_C(1700000000000000000) + i * 100 * MS;
		li.end_unix_ns = li.start_unix_ns + 100 * MS;
		for (k = 0; k < 2; k++) {
			/* about one window in 50 loses 10 probes on each link, independently */
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			li.c.lost = (seed >> 33) % 50 == 0 ? 10 : 0;
			li.c.received = 100 - li.c.lost;
			diversity_add(&d, k, &li);
		}
		if ((i + 1) % 36000 == 0)
			printf("%s%zu", h++ > 0 ? "," : "", diversity_bytes(&d));
	}
	for (r = 0; r < runs; r++) {
		uint64_t t0 = mp_mono_ns();
		cJSON *o = diversity_object(&d, &res);

		t[r] = mp_mono_ns() - t0;
		cJSON_Delete(o);
	}
	qsort(t, runs, sizeof(*t), cmp_u64);
	printf("],\"windows_kept\":%zu,\"sample_bytes\":%zu,\"second_bytes\":%zu,"
	       "\"bytes_per_hour_kept\":%zu,\"object_ms_median\":%.1f,\"verdict\":\"%s\"}\n",
	       d.s.n, sizeof(struct div_sample), sizeof(struct div_second),
	       (size_t)36000 * sizeof(struct div_sample) + 3600 * sizeof(struct div_second),
	       (double)t[runs / 2] / 1e6, res.verdict);
	diversity_free(&d);
	free(t);
	return 0;
}
