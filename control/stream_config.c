/* SPDX-License-Identifier: BSD-3-Clause */
/* A link's streams: parsed, checked, and handed on as the spec's streams= (see stream_config.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "stream_config.h"

static bool
stream_name_ok(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= MP_STREAM_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	return true;
}

static int
stream_rate(struct cfg_ctx *x, const cJSON *o, const char *base, const struct mp_link_cfg *l,
	    struct mp_stream_cfg *st)
{
	char path[CFG_PATH_MAX];
	const char *why = NULL;
	int rc;

	rc = cfg_str(x, o, base, "rate", false, st->rate_text, sizeof(st->rate_text),
		     "a rate like \"1000pps\", \"10Mbps\", \"5%\" or \"line\"");
	if (rc == -ENOENT) {
		snprintf(st->rate_text, sizeof(st->rate_text), "%s", l->rate_text);
		st->rate = l->rate;
		return 0;
	}
	if (rc != 0)
		return rc;
	cfg_join(path, base, "rate");
	if (rate_parse(st->rate_text, &st->rate, &why) != 0)
		return cfg_fail(x, path, "\"%s\" is not a rate: %s", st->rate_text, why);
	if ((st->rate.kind == RATE_PCT || st->rate.kind == RATE_LINE) && !l->port_is_pci &&
	    l->rate_link_bps == 0)
		return cfg_fail(x, path, "\"%s\" is relative to the link speed: set the link's "
				"link_speed (a vdev port cannot report its speed)", st->rate_text);
	return 0;
}

static int
stream_frame(struct cfg_ctx *x, const cJSON *o, const char *base, const struct mp_link_cfg *l,
	     struct mp_stream_cfg *st)
{
	struct frame_mix mix;
	int rc;

	if (cJSON_GetObjectItemCaseSensitive(o, "frame_size") == NULL) {
		snprintf(st->frame_mix, sizeof(st->frame_mix), "%s", l->frame_mix);
		return 0;
	}
	if ((rc = cfg_frame_size(x, o, base, l->frame_size, &mix)) != 0)
		return rc;
	frame_mix_format(&mix, st->frame_mix, sizeof(st->frame_mix));
	return 0;
}

static int
stream_numbers(struct cfg_ctx *x, const cJSON *o, const char *base, const struct mp_link_cfg *l,
	       int k, struct mp_stream_cfg *st)
{
	char path[CFG_PATH_MAX];
	uint32_t u;
	int rc;

	u = l->dscp;
	if ((rc = cfg_u32(x, o, base, "dscp", 0, 63, &u)) != 0)
		return rc;
	st->dscp = (uint8_t)u;
	st->pcp = -1;
	if (cJSON_GetObjectItemCaseSensitive(o, "pcp") != NULL) {
		if ((rc = cfg_u32(x, o, base, "pcp", 0, 7, &u)) != 0)
			return rc;
		cfg_join(path, base, "pcp");
		if (l->encap.nvlan == 0)
			return cfg_fail(x, path, "pcp without a vlan tag (give the link a vlan)");
		st->pcp = (int8_t)u;
	}
	u = stream_default_ssid(l, k);
	if ((rc = cfg_u32(x, o, base, "ssid", 0, 65535, &u)) != 0)
		return rc;
	st->ssid = (uint16_t)u;
	return 0;
}

/* Stream k: its members, what it leaves out from its link. */
static int
stream_parse(struct cfg_ctx *x, const cJSON *o, const char *base, const struct mp_link_cfg *l,
	     int k, struct mp_stream_cfg *st)
{
	static const char *const keys[] = {
		"name", "rate", "frame_size", "dscp", "pcp", "ssid", NULL
	};
	char path[CFG_PATH_MAX];
	int rc, j;

	memset(st, 0, sizeof(*st));
	if (!cJSON_IsObject(o))
		return cfg_fail(x, base, "%s, expected an object", cfg_type_name(o));
	if ((rc = cfg_check_keys(x, o, base, keys)) != 0 ||
	    (rc = cfg_str(x, o, base, "name", true, st->name, sizeof(st->name),
			  "a name like \"voice\"")) != 0)
		return rc;
	cfg_join(path, base, "name");
	if (!stream_name_ok(st->name))
		return cfg_fail(x, path, "\"%s\" is not a name (1..%d of A-Z a-z 0-9 _ -)",
				st->name, MP_STREAM_NAME_MAX - 1);
	for (j = 0; j < k; j++)
		if (strcmp(l->streams[j].name, st->name) == 0)
			return cfg_fail(x, path, "\"%s\" is also the name of streams[%d] (names "
					"must differ)", st->name, j);
	if ((rc = stream_rate(x, o, base, l, st)) != 0 ||
	    (rc = stream_frame(x, o, base, l, st)) != 0 ||
	    (rc = stream_numbers(x, o, base, l, k, st)) != 0)
		return rc;
	cfg_join(path, base, "ssid");
	for (j = 0; j < k; j++)
		if (l->streams[j].ssid == st->ssid)
			return cfg_fail(x, path, "%u is also the SSID of streams[%d] (SSIDs must "
					"differ)", st->ssid, j);
	return 0;
}

uint64_t
stream_rate_bps(const struct rate *r, const struct frame_mix *m, uint64_t link_bps)
{
	uint64_t mpps = frame_mix_rate_mpps(r, m, link_bps), wsum = 0, bytes = 0;
	uint32_t i;

	if (r->kind == RATE_BPS)
		return r->value;
	for (i = 0; i < m->n; i++) {
		wsum += m->weight[i];
		bytes += (uint64_t)(m->size[i] + 20) * m->weight[i];
	}
	return wsum == 0 ? 0 : mpps / 1000 * 8 * bytes / wsum;
}

/* The streams' total against the link speed, where it is known. */
static int
streams_check_speed(struct cfg_ctx *x, const char *base, const struct mp_link_cfg *l)
{
	uint64_t sum = 0;
	int k;

	if (l->rate_link_bps == 0)
		return 0;
	for (k = 0; k < l->n_streams; k++) {
		struct frame_mix mix;
		const char *why;

		if (frame_mix_parse(l->streams[k].frame_mix, PKT_MIN_FRAME, PKT_MAX_FRAME, &mix,
				    &why) != 0)
			return cfg_fail(x, base, "streams[%d].frame_size: %s", k, why);
		sum += stream_rate_bps(&l->streams[k].rate, &mix, l->rate_link_bps);
	}
	if (sum > l->rate_link_bps)
		return cfg_fail(x, base, "the streams add up to %llu bps, above the link speed "
				"%llu bps", (unsigned long long)sum,
				(unsigned long long)l->rate_link_bps);
	return 0;
}

int
cfg_link_streams(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(o, "streams"), *it;
	char path[CFG_PATH_MAX], sb[CFG_PATH_MAX];
	int rc, n, k = 0;

	l->n_streams = 0;
	if (arr == NULL)
		return 0;
	cfg_join(path, base, "streams");
	n = cJSON_GetArraySize(arr);
	if (!cJSON_IsArray(arr) || n < 1 || n > MP_MAX_STREAMS)
		return cfg_fail(x, path, "%s, expected an array of 1..%d streams",
				cJSON_IsArray(arr) ? "an array of another length" : cfg_type_name(arr),
				MP_MAX_STREAMS);
	if ((unsigned)n * l->queues > MP_MAX_QUEUES)
		return cfg_fail(x, path, "%d streams x %u queues: more than %d lanes (a lane is a "
				"queue pair per stream)", n, l->queues, MP_MAX_QUEUES);
	if ((uint32_t)l->source_port + (uint32_t)n * l->queues - 1 > 65535)
		return cfg_fail(x, path, "source ports %u..%u past 65535", l->source_port,
				l->source_port + (uint32_t)n * l->queues - 1);
	cJSON_ArrayForEach(it, arr) {
		cfg_index(sb, path, k);
		if ((rc = stream_parse(x, it, sb, l, k, &l->streams[k])) != 0)
			return rc;
		k++;
	}
	l->n_streams = n;
	return streams_check_speed(x, path, l);
}

/* The SSIDs link l puts on the wire (its streams', or its own) into out[MP_MAX_STREAMS]. */
static int
link_ssids(const struct mp_link_cfg *l, uint16_t *out)
{
	struct mp_link_spec s;
	char err[8];

	if (mp_link_cfg_spec(l, &s, err, sizeof(err)) != 0)
		s = l->spec;	/* a frame the parser refused earlier: the SSIDs stand */
	return mp_link_ssids(&s, out);
}

int
cfg_streams_check_links(struct cfg_ctx *x, const struct mp_config *c)
{
	uint16_t a[MP_MAX_STREAMS], b[MP_MAX_STREAMS];
	char path[CFG_PATH_MAX];
	int i, j, na, nb, p, q;

	for (i = 0; i < c->n_links; i++)
		for (j = 0; j < i; j++) {
			na = link_ssids(&c->links[i], a);
			nb = link_ssids(&c->links[j], b);
			for (p = 0; p < na; p++)
				for (q = 0; q < nb; q++) {
					if (a[p] != b[q])
						continue;
					if (c->links[i].n_streams > 0)
						snprintf(path, sizeof(path), "links[%d].streams[%d].ssid",
							 i, p);
					else
						snprintf(path, sizeof(path), "links[%d].ssid", i);
					return cfg_fail(x, path, "%u is also an SSID of links[%d] "
							"(SSIDs must differ across links)", a[p], j);
				}
		}
	return 0;
}

/* Stream k of l as the spec carries it; -EINVAL when its frame text does not parse. */
static int
stream_spec(const struct mp_link_cfg *l, int k, struct mp_stream_spec *s, char *err,
	    size_t errlen)
{
	const struct mp_stream_cfg *st = &l->streams[k];
	const char *why = NULL;

	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", st->name);
	/* a stream made by hand with neither rate nor frame takes the link's */
	s->rate = st->rate_text[0] == '\0' && st->rate.value == 0 &&
		  st->rate.kind != RATE_LINE ? l->rate : st->rate;
	s->mix = l->mix;
	if (st->frame_mix[0] != '\0' &&
	    frame_mix_parse(st->frame_mix, PKT_MIN_FRAME, PKT_MAX_FRAME, &s->mix, &why) != 0) {
		snprintf(err, errlen, "link %s stream %s: frame \"%s\": %s", l->name, st->name,
			 st->frame_mix, why);
		return -EINVAL;
	}
	s->frame_size = frame_mix_max_size(&s->mix);
	s->dscp = st->dscp;
	s->pcp = l->encap.nvlan > 0 ? st->pcp : -1;
	s->ssid = st->ssid;
	return 0;
}

int
mp_link_cfg_spec(const struct mp_link_cfg *l, struct mp_link_spec *out, char *err, size_t errlen)
{
	int k;

	*out = l->spec;
	out->nstream = 0;
	for (k = 0; k < l->n_streams && k < MP_MAX_STREAMS; k++) {
		if (stream_spec(l, k, &out->stream[k], err, errlen) != 0)
			return -EINVAL;
		out->nstream++;
	}
	return 0;
}

unsigned
mp_link_cfg_lanes(const struct mp_link_cfg *l)
{
	return (unsigned)l->queues * (l->n_streams > 0 ? (unsigned)l->n_streams : 1u);
}

uint32_t
mp_link_cfg_max_frame(const struct mp_link_cfg *l)
{
	struct mp_stream_spec s;
	uint32_t max = 0;
	char err[8];
	int k;

	if (l->n_streams == 0)
		return l->frame_size;
	for (k = 0; k < l->n_streams; k++)
		if (stream_spec(l, k, &s, err, sizeof(err)) == 0 && s.frame_size > max)
			max = s.frame_size;
	return max != 0 ? max : l->frame_size;
}
