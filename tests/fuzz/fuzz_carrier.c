/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What control does with the path and interval records of a run with a
 * service link (carrier.h): lines decoded by dprec_decode (links a, b and
 * svc); the pinned links' rounds teach their hops, the service link's say
 * which link carried it, its intervals are told. Never a crash; a carrier
 * is a pinned link or none; the time told is the time of the intervals.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "carrier.h"
#include "dprec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct dprec_links links = { .n = 3, .name = { "a", "b", "svc" } };

static void
fuzz_record(struct carrier *c, const struct dprec *r, uint64_t *told)
{
	const struct link_interval *li = r->interval;
	int now, from;

	if (r->type == DPREC_PATH && r->path != NULL) {
		if (r->link == 2)
			carrier_round(c, r->path);
		else
			carrier_learn(c, r->link, r->path);
		if (carrier_of_round(c, r->path) < -1 || carrier_of_round(c, r->path) > 1)
			abort();
	}
	if (r->type != DPREC_INTERVAL || r->link != 2 || li == NULL)
		return;
	carrier_interval(c, li->start_unix_ns, li->end_unix_ns, &now, &from);
	if (now < -1 || now > 1 || from < -1 || from > 1)
		abort();
	*told += li->end_unix_ns > li->start_unix_ns ? li->end_unix_ns - li->start_unix_ns : 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct link_interval li;
	static struct carrier c;
	static struct carrier_cfg cfg;
	char *text = malloc(size + 1), *line, *save = NULL;
	uint64_t told = 0;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* an input that begins with "cfg" maps 203.0.113.2 to b: the config's word */
	memset(&cfg, 0, sizeof(cfg));
	if (strncmp(text, "cfg", 3) == 0 && ip_addr_parse("203.0.113.2", &cfg.addr[1][0], NULL) == 0)
		cfg.n_addr[1] = 1;
	carrier_init(&c, &cfg, 2000000000ull);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct dprec r;
		char err[256];

		if (dprec_decode(line, &links, 0, &li, &r, err, sizeof(err)) != 0)
			continue;
		fuzz_record(&c, &r, &told);
		dprec_release(&r);
	}
	if (c.carried_ns[0] + c.carried_ns[1] + c.carried_ns[CARRIER_UNKNOWN] != told)
		abort();
	free(text);
	return 0;
}
