/* SPDX-License-Identifier: BSD-3-Clause */
/* Per-stream aggregates for summary.json (see summary_streams.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mp_record.h"
#include "summary_streams.h"

int
summary_streams_init(struct summary_streams *ss, const struct mp_config *cfg)
{
	int i, k;

	memset(ss, 0, sizeof(*ss));
	ss->cfg = cfg;
	for (i = 0; i < cfg->n_links; i++) {
		const struct mp_link_cfg *l = &cfg->links[i];

		if (l->n_streams == 0)
			continue;
		ss->agg[i] = calloc((size_t)l->n_streams, sizeof(*ss->agg[i]));
		if (ss->agg[i] == NULL) {
			summary_streams_free(ss);
			return -ENOMEM;
		}
		/* named after the stream: the writer puts the name it keeps */
		for (k = 0; k < l->n_streams; k++)
			agg_link_init(&ss->agg[i][k], l->streams[k].name, (uint32_t)i,
				      cfg->interval_ms);
	}
	return 0;
}

void
summary_streams_free(struct summary_streams *ss)
{
	int i;

	for (i = 0; i < MP_MAX_LINKS; i++) {
		free(ss->agg[i]);
		ss->agg[i] = NULL;
	}
}

/* Index of the stream called name on link i, or -1. */
static int
stream_index(const struct summary_streams *ss, int i, const char *name)
{
	const struct mp_link_cfg *l = &ss->cfg->links[i];
	int k;

	for (k = 0; k < l->n_streams; k++)
		if (strncmp(l->streams[k].name, name, MP_STREAM_NAME_MAX) == 0)
			return k;
	return -1;
}

void
summary_streams_add(struct summary_streams *ss, int link, const struct link_interval *li)
{
	int k;

	if (link < 0 || link >= ss->cfg->n_links || ss->agg[link] == NULL ||
	    (k = stream_index(ss, link, li->stream)) < 0) {
		ss->unknown++;
		return;
	}
	agg_add_interval(&ss->agg[link][k], li);
}

/* What the dataplane's hello says one stream sent: the frames of its first lane. */
static void
stream_sent(cJSON *o, const cJSON *hello, const char *link, const char *stream)
{
	const cJSON *h, *x;

	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(hello, "links")) {
		const char *hn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h, "name"));

		if (hn == NULL || strcmp(hn, link) != 0)
			continue;
		cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(h, "lanes")) {
			const char *sn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "stream"));
			const cJSON *fs = cJSON_GetObjectItemCaseSensitive(x, "frame_size");
			const cJSON *fm = cJSON_GetObjectItemCaseSensitive(x, "frame_mix");

			if (sn == NULL || strcmp(sn, stream) != 0)
				continue;
			if (cJSON_IsNumber(fs))
				record_add_u64(o, "frame_size_sent", (uint64_t)fs->valuedouble);
			if (cJSON_IsString(fm))
				cJSON_AddStringToObject(o, "frame_mix_sent", fm->valuestring);
			return;
		}
	}
}

/* The rate as configured; a stream made by hand may have only the struct, or neither (the link's). */
static const char *
stream_rate_text(const struct mp_link_cfg *l, const struct mp_stream_cfg *st, char *buf,
		 size_t len)
{
	if (st->rate_text[0] != '\0')
		return st->rate_text;
	if ((st->rate.value != 0 || st->rate.kind == RATE_LINE) &&
	    rate_format(&st->rate, buf, len) == 0)
		return buf;
	return l->rate_text;
}

/* Stream k of link i: the link object's keys, then what the stream is. */
static cJSON *
stream_json(struct summary_streams *ss, int i, int k, const cJSON *hello, uint64_t end_ns)
{
	const struct mp_link_cfg *l = &ss->cfg->links[i];
	const struct mp_stream_cfg *st = &l->streams[k];
	char rate[64];
	cJSON *o;

	agg_finish(&ss->agg[i][k], end_ns);
	o = agg_link_object(&ss->agg[i][k]);
	if (o == NULL)
		return NULL;
	cJSON_AddNumberToObject(o, "ssid", st->ssid);
	cJSON_AddNumberToObject(o, "dscp", st->dscp);
	if (st->pcp >= 0)
		cJSON_AddNumberToObject(o, "pcp", st->pcp);
	else
		cJSON_AddNullToObject(o, "pcp");
	cJSON_AddStringToObject(o, "rate", stream_rate_text(l, st, rate, sizeof(rate)));
	cJSON_AddStringToObject(o, "frame_mix_configured",
				st->frame_mix[0] != '\0' ? st->frame_mix : l->frame_mix);
	if (hello != NULL)
		stream_sent(o, hello, l->name, st->name);
	return o;
}

/*
 * A link with streams sends their frames: its frame_size_sent is the
 * largest of theirs, and its frame_mix_sent (the hello's, the first
 * stream's) gives way to the streams' own.
 */
static void
link_frames(cJSON *lo, const cJSON *streams)
{
	const cJSON *so;
	double max = 0;

	cJSON_ArrayForEach(so, streams) {
		const cJSON *fs = cJSON_GetObjectItemCaseSensitive(so, "frame_size_sent");

		if (cJSON_IsRaw(fs) && strtod(fs->valuestring, NULL) > max)
			max = strtod(fs->valuestring, NULL);
		else if (cJSON_IsNumber(fs) && fs->valuedouble > max)
			max = fs->valuedouble;
	}
	cJSON_DeleteItemFromObjectCaseSensitive(lo, "frame_mix_sent");
	if (max > 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(lo, "frame_size_sent");
		record_add_u64(lo, "frame_size_sent", (uint64_t)max);
	}
}

void
summary_streams_json(struct summary_streams *ss, cJSON *sum, const cJSON *hello, uint64_t end_ns)
{
	cJSON *lo, *arr;
	int i = 0, k;

	cJSON_ArrayForEach(lo, cJSON_GetObjectItemCaseSensitive(sum, "links")) {
		if (i >= ss->cfg->n_links)
			break;
		if (ss->agg[i] != NULL) {
			arr = cJSON_AddArrayToObject(lo, "streams");
			for (k = 0; arr != NULL && k < ss->cfg->links[i].n_streams; k++) {
				cJSON *so = stream_json(ss, i, k, hello, end_ns);

				if (so != NULL)
					cJSON_AddItemToArray(arr, so);
			}
			link_frames(lo, arr);
		}
		i++;
	}
}

void
summary_streams_rows(const cJSON *link, void (*row)(FILE *f, const char *name, const cJSON *o),
		     FILE *f)
{
	const char *ln = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(link, "name"));
	const cJSON *s;
	char name[2 * MP_STREAM_NAME_MAX + 2];

	cJSON_ArrayForEach(s, cJSON_GetObjectItemCaseSensitive(link, "streams")) {
		snprintf(name, sizeof(name), "%s/%s", ln != NULL ? ln : "?",
			 cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(s, "name")));
		row(f, name, s);
	}
}
