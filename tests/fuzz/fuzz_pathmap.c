/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What control does with path records from the dataplane or a run's
 * paths.jsonl (and the expected hops a replay reads from summary.json):
 * lines decoded by dprec_decode, path records into the diversity
 * analysis's path map (pathmap.h), the result as JSON. The first line is
 * a list of expected addresses, split at commas. Never a crash; the
 * shared hops are in both links' hop lists; no round record is refused
 * twice differently.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diversity.h"
#include "dprec.h"
#include "pathmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct dprec_links links = { .n = 2, .name = { "a", "b" } };
static const struct div_config cfg = {
	.circuit = "metro", .location = { "Amsterdam", "Amsterdam2" },
};

static bool
in_list(const struct pathmap_link *l, const char *addr)
{
	int i;

	for (i = 0; i < l->n_hops; i++)
		if (strcmp(l->hops[i].addr, addr) == 0)
			return true;
	return false;
}

static void
fuzz_check(const struct diversity *d)
{
	struct pathmap_shared sh[PATHMAP_UNION_MAX];
	int n, i;

	if (d->path == NULL)
		return;
	n = pathmap_shared(d->path, sh, PATHMAP_UNION_MAX);
	for (i = 0; i < n && i < PATHMAP_UNION_MAX; i++)
		if (!in_list(&d->path->l[0], sh[i].addr) || !in_list(&d->path->l[1], sh[i].addr))
			abort();
}

static void
fuzz_expected(struct diversity *d, char *line)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(line, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save))
		diversity_path_expect(d, tok);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct link_interval li;
	char *text = malloc(size + 1), *line, *save = NULL;
	struct div_result res;
	struct diversity d;
	bool first = true;
	cJSON *o;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	diversity_init(&d, &cfg, 1000);
	for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
		struct dprec r;
		char err[256];

		if (first) {
			first = false;
			fuzz_expected(&d, line);
			continue;
		}
		if (dprec_decode(line, &links, 0, &li, &r, err, sizeof(err)) != 0)
			continue;
		if (r.type == DPREC_PATH &&
		    (r.path == NULL || r.link < 0 || r.link > 1 ||
		     diversity_path_add(&d, r.link, r.path, NULL, NULL) < 0))
			abort();
		dprec_release(&r);
	}
	fuzz_check(&d);
	o = diversity_finish(&d, &res);
	if (o != NULL) {
		char *s = cJSON_PrintUnformatted(o);

		free(s);
		cJSON_Delete(o);
	}
	diversity_free(&d);
	free(text);
	return 0;
}
