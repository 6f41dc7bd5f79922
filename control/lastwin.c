/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The last completed window (window.h).
 */
#include <stdio.h>
#include <string.h>

#include "util.h"
#include "lastwin.h"

#define NS	1000000000ull

static void
lastwin_reset(struct lastwin *w, uint64_t start_ns)
{
	int i;

	w->start_ns = start_ns;
	w->end_ns = start_ns + w->period_ns;
	w->records = w->gaps = w->gap_ns = 0;
	for (i = 0; i < w->n_links; i++) {
		agg_link_init(&w->link[i], w->names[i], (uint32_t)i, w->interval_ms);
		w->covered_ns[i] = 0;
	}
}

void
lastwin_init(struct lastwin *w, const struct mp_config *cfg, uint32_t period_s)
{
	int i;

	memset(w, 0, sizeof(*w));
	w->period_ns = (uint64_t)period_s * NS;
	w->interval_ms = cfg->interval_ms;
	w->n_links = cfg->n_links;
	for (i = 0; i < cfg->n_links; i++)
		snprintf(w->names[i], sizeof(w->names[i]), "%s", cfg->links[i].name);
}

bool
lastwin_due(const struct lastwin *w, uint64_t t_ns)
{
	return w->start_ns != 0 && t_ns > w->end_ns;
}

bool
lastwin_stale(const struct lastwin *w, uint64_t now_unix_ns)
{
	/* a record of the window's last interval arrives an interval or so after it ends */
	uint64_t wait = 2ull * w->interval_ms * 1000000ull + 2 * NS;

	return w->start_ns != 0 && now_unix_ns > w->end_ns + wait;
}

void
lastwin_add(struct lastwin *w, const struct link_interval *li)
{
	uint64_t t = li->end_unix_ns;

	/* the first record, or one after windows without any (the dataplane was down) */
	if (w->start_ns == 0 || t > w->end_ns)
		lastwin_reset(w, (t - 1) / w->period_ns * w->period_ns);
	/* a record ending on the boundary is the earlier window's last */
	if (t <= w->start_ns || li->link_index >= (uint32_t)w->n_links) {
		w->early++;
		return;
	}
	if (agg_add_interval(&w->link[li->link_index], li) != 0)
		return;
	w->covered_ns[li->link_index] += li->end_unix_ns - li->start_unix_ns;
	w->records++;
}

void
lastwin_gap(struct lastwin *w, uint64_t gap_ns)
{
	w->gaps++;
	w->gap_ns += gap_ns;
}

/* The summary's members a window has no use for go; its own come in. */
static cJSON *
lastwin_json(struct lastwin *w)
{
	cJSON *o = agg_summary_json(w->link, (unsigned)w->n_links, true, NULL, NULL), *l;
	char iso[32];
	int i = 0;

	if (o == NULL)
		return NULL;
	cJSON_DeleteItemFromObjectCaseSensitive(o, "complete");
	cJSON_DeleteItemFromObjectCaseSensitive(o, "end_reason");
	cJSON_AddNumberToObject(o, "window_s", (double)(w->period_ns / NS));
	mp_utc_iso(iso, sizeof(iso), w->start_ns, 0);
	cJSON_AddStringToObject(o, "start", iso);
	mp_utc_iso(iso, sizeof(iso), w->end_ns, 0);
	cJSON_AddStringToObject(o, "end", iso);
	/* exact integers, as the summary's times */
	snprintf(iso, sizeof(iso), "%llu", (unsigned long long)w->start_ns);
	cJSON_AddRawToObject(o, "start_unix_ns", iso);
	snprintf(iso, sizeof(iso), "%llu", (unsigned long long)w->end_ns);
	cJSON_AddRawToObject(o, "end_unix_ns", iso);
	cJSON_AddNumberToObject(o, "records", (double)w->records);
	cJSON_AddNumberToObject(o, "dataplane_gaps", (double)w->gaps);
	cJSON_AddNumberToObject(o, "dataplane_gap_s", (double)w->gap_ns / 1e9);
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(o, "links")) {
		cJSON_AddNumberToObject(l, "covered_s", (double)w->covered_ns[i] / 1e9);
		i++;
	}
	return o;
}

cJSON *
lastwin_close(struct lastwin *w)
{
	cJSON *o;
	int i;

	if (w->start_ns == 0)
		return NULL;
	/* silences at the window's end count as gaps, as at a run's end */
	for (i = 0; i < w->n_links; i++)
		agg_finish(&w->link[i], w->end_ns);
	o = lastwin_json(w);
	lastwin_reset(w, w->end_ns);
	return o;
}
