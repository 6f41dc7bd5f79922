/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Y.1564's trials in golive (see golive_y1564.h).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golive_y1564.h"
#include "mp_hist.h"
#include "mp_record.h"
#include "sink_summary.h"
#include "stream_config.h"
#include "util.h"

#define GY_GET(o, k)	cJSON_GetObjectItemCaseSensitive(o, k)

/* A count or a time of a record: a number, or an exact integer as a string ("start_ns"). */
static uint64_t
gy_u64(const cJSON *it)
{
	if (cJSON_IsString(it))
		return strtoull(it->valuestring, NULL, 10);
	return summary_u64(it);
}

/* The mix service s sends: its frame_size, else its link's, raised as the dataplane does. */
static int
gy_mix(const struct mp_config *cfg, const struct y1564_service *sv, struct frame_mix *m)
{
	const struct mp_link_cfg *l = &cfg->links[sv->link];

	return golive_link_mix(l, sv->frame_mix[0] != '\0' ? sv->frame_mix : l->frame_mix, m);
}

static double
gy_bps(const struct rate *r, double wire_bits)
{
	return r->kind == RATE_PPS ? r->value / 1000.0 * wire_bits : (double)r->value;
}

int
golive_y1564_rates(const struct mp_config *cfg, int s, double *cir_bps, double *eir_bps,
		   double *wire_bits)
{
	const struct y1564_service *sv = &cfg->y1564.svc[s];
	struct frame_mix m;

	if (gy_mix(cfg, sv, &m) != 0)
		return -EINVAL;
	*wire_bits = golive_mix_wire_bits(&m);
	*cir_bps = gy_bps(&sv->cir, *wire_bits);
	*eir_bps = gy_bps(&sv->eir, *wire_bits);
	return 0;
}

/* The committed rate of link l in bits per second of frames of wire_bits. */
static double
gy_committed_bps(const struct mp_link_cfg *l, double wire_bits)
{
	return gy_bps(&l->committed_rate, wire_bits);
}

int
golive_y1564_check(const struct mp_config *cfg, bool allow_over)
{
	const struct y1564_cfg *y = &cfg->y1564;
	double cir, eir, wb, sum[MP_MAX_LINKS] = { 0 }, sum_committed[MP_MAX_LINKS] = { 0 };
	int s, i;

	for (s = 0; s < y->n; s++) {
		const struct mp_link_cfg *l = &cfg->links[y->svc[s].link];

		if (golive_y1564_rates(cfg, s, &cir, &eir, &wb) != 0) {
			fprintf(stderr, "metroprobe golive: y1564.services[%d]: its frame size cannot "
				"be sent on link %s\n", s, l->name);
			return -EINVAL;
		}
		if (l->committed_rate_text[0] == '\0')
			continue;
		sum[y->svc[s].link] += cir;
		sum_committed[y->svc[s].link] = gy_committed_bps(l, wb);
		if (!allow_over && cir + eir > gy_committed_bps(l, wb) * 1.000001) {
			fprintf(stderr, "metroprobe golive: y1564.services[%d] (%s): CIR+EIR %.3f Mb/s "
				"is above link %s's committed_rate %s: refused (the provider's policer "
				"would drop it); --allow-over-committed asks it anyway\n", s,
				y->svc[s].name, (cir + eir) / 1e6, l->name, l->committed_rate_text);
			return -EINVAL;
		}
	}
	for (i = 0; i < cfg->n_links; i++)
		if (!allow_over && sum[i] > sum_committed[i] * 1.000001) {
			fprintf(stderr, "metroprobe golive: y1564: the CIRs of link %s's services "
				"add up to %.3f Mb/s, above its committed_rate %s (the performance "
				"test sends them together): refused; --allow-over-committed asks it "
				"anyway\n", cfg->links[i].name, sum[i] / 1e6,
				cfg->links[i].committed_rate_text);
			return -EINVAL;
		}
	return 0;
}

/* The service's frame, DSCP and PCP on link l (its rate is the caller's). */
static int
gy_apply(const struct mp_config *cfg, const struct y1564_service *sv, struct mp_link_cfg *l)
{
	struct frame_mix m;
	const char *err = NULL;

	if (frame_mix_parse(sv->frame_mix[0] != '\0' ? sv->frame_mix : cfg->links[sv->link].frame_mix,
			    PKT_MIN_FRAME, PKT_MAX_FRAME, &m, &err) != 0)
		return -EINVAL;
	mp_link_cfg_set_frame(l, &m);
	if (sv->dscp >= 0)
		l->dscp = (uint8_t)sv->dscp;
	if (sv->pcp >= 0 && l->encap.nvlan > 0)
		l->encap.vlan[0].tci = (uint16_t)((l->encap.vlan[0].tci & 0x1fff) | sv->pcp << 13);
	return 0;
}

/*
 * A rate in frames per second of the mix as sent (raised to the STAMP
 * minimum), as golive_trial asks the configuration steps: the dataplane's
 * own bits-to-frames would count the mix as configured.
 */
static struct rate
gy_pps(double bps, double wire_bits, char *text, size_t len)
{
	double pps = wire_bits > 0 ? bps / wire_bits : 1;
	uint64_t milli = (uint64_t)llround(pps * 1000.0);

	snprintf(text, len, "%.3fpps", pps);
	return (struct rate){ .kind = RATE_PPS, .value = milli > 0 ? milli : 1 };
}

/* A stream per service of link l (the services idx[0..n)), at CIR each. */
static void
gy_streams(const struct mp_config *cfg, const int *idx, int n, struct mp_link_cfg *l)
{
	double total_pps = 0, cir, eir, wb;
	int j;

	l->n_streams = n < MP_MAX_STREAMS ? n : MP_MAX_STREAMS;
	for (j = 0; j < l->n_streams; j++) {
		const struct y1564_service *sv = &cfg->y1564.svc[idx[j]];
		struct mp_stream_cfg *st = &l->streams[j];

		golive_y1564_rates(cfg, idx[j], &cir, &eir, &wb);
		memset(st, 0, sizeof(*st));
		snprintf(st->name, sizeof(st->name), "%s", sv->name);
		st->rate = gy_pps(cir, wb, st->rate_text, sizeof(st->rate_text));
		snprintf(st->frame_mix, sizeof(st->frame_mix), "%s",
			 sv->frame_mix[0] != '\0' ? sv->frame_mix : l->frame_mix);
		st->dscp = sv->dscp >= 0 ? (uint8_t)sv->dscp : l->dscp;
		st->pcp = (int8_t)sv->pcp;
		/* as the parser numbers a link's streams: never another link's SSID */
		st->ssid = stream_default_ssid(l, j);
		total_pps += cir / wb;
	}
	/* a build without per-stream pacing sends the link's own: their sum */
	l->rate = gy_pps(total_pps, 1, l->rate_text, sizeof(l->rate_text));
}

/* The performance test's config: the links with services, each service at CIR. */
static int
gy_shape_perf(const struct mp_config *cfg, struct mp_config *t)
{
	int i, s, n, idx[Y1564_MAX_SERVICES], kept = 0;
	double cir, eir, wb;

	for (i = 0; i < cfg->n_links; i++) {
		for (s = 0, n = 0; s < cfg->y1564.n; s++)
			if (cfg->y1564.svc[s].link == i)
				idx[n++] = s;
		if (n == 0)
			continue;
		t->links[kept] = cfg->links[i];
		if (n == 1) {
			if (gy_apply(cfg, &cfg->y1564.svc[idx[0]], &t->links[kept]) != 0)
				return -EINVAL;
			golive_y1564_rates(cfg, idx[0], &cir, &eir, &wb);
			t->links[kept].rate = gy_pps(cir, wb, t->links[kept].rate_text,
						     sizeof(t->links[kept].rate_text));
		} else {
			gy_streams(cfg, idx, n, &t->links[kept]);
		}
		kept++;
	}
	t->n_links = kept;
	return kept > 0 ? 0 : -EINVAL;
}

static int
gy_shape(void *arg, struct mp_config *t)
{
	struct golive_y1564 *y = arg;

	if (y->svc < 0)
		return gy_shape_perf(y->cfg, t);
	return gy_apply(y->cfg, &y->cfg->y1564.svc[y->svc], &t->links[0]);
}

/* The object of service s in summary sum: its stream in the link's "streams", else the link. */
static const cJSON *
gy_find(const struct mp_config *cfg, const cJSON *sum, int s, bool *per_stream)
{
	const struct y1564_service *sv = &cfg->y1564.svc[s];
	const char *link = cfg->links[sv->link].name;
	const cJSON *l, *st;

	*per_stream = false;
	cJSON_ArrayForEach(l, GY_GET(sum, "links")) {
		const char *n = cJSON_GetStringValue(GY_GET(l, "name"));

		if (n == NULL || strcmp(n, link) != 0)
			continue;
		cJSON_ArrayForEach(st, GY_GET(l, "streams")) {
			n = cJSON_GetStringValue(GY_GET(st, "name"));
			if (n != NULL && strcmp(n, sv->name) == 0) {
				*per_stream = true;
				return st;
			}
		}
		return l;
	}
	return NULL;
}

/*
 * Per-second sent and lost of a link (and stream, when not NULL) from the
 * trial's intervals.jsonl, and their availability. false without data.
 */
bool
golive_y1564_avail(const char *dir, const char *link, const char *stream, uint32_t duration_s,
		   double *out)
{
	size_t n = (size_t)duration_s + 4, sec;
	uint64_t *sent = calloc(n, sizeof(*sent)), *lost = calloc(n, sizeof(*lost)), t0 = 0;
	uint8_t *scratch = malloc(2 * n);
	char path[PATH_MAX + 32], *text, *line, *save = NULL;
	bool ok = false;

	snprintf(path, sizeof(path), "%s/intervals.jsonl", dir);
	text = mp_read_file(path, NULL);
	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL; line != NULL && sent != NULL &&
	     lost != NULL; line = strtok_r(NULL, "\n", &save)) {
		cJSON *o = cJSON_Parse(line);
		const char *ln = cJSON_GetStringValue(GY_GET(o, "link"));
		const char *sn = cJSON_GetStringValue(GY_GET(o, "stream"));
		uint64_t start = gy_u64(GY_GET(o, "start_ns"));

		if (ln != NULL && strcmp(ln, link) == 0 &&
		    (stream == NULL ? sn == NULL : sn != NULL && strcmp(sn, stream) == 0) &&
		    strcmp(cJSON_GetStringValue(GY_GET(o, "type")) ?: "", "interval") == 0) {
			if (t0 == 0)
				t0 = start;
			sec = start >= t0 ? (size_t)((start - t0) / 1000000000ull) : 0;
			if (sec < n) {
				sent[sec] += gy_u64(GY_GET(o, "sent"));
				lost[sec] += gy_u64(GY_GET(o, "lost"));
			}
		}
		cJSON_Delete(o);
	}
	if (sent != NULL && lost != NULL && scratch != NULL)
		ok = y1564_avail(sent, lost, n, scratch, out);
	free(text);
	free(sent);
	free(lost);
	free(scratch);
	return ok;
}

/* The KPIs of service s in the trial just run (tc->trial_dir), of duration_ms. */
static bool
gy_kpi(const struct golive_y1564 *y, int s, uint32_t duration_ms, bool *per_stream,
       struct y1564_kpi *k)
{
	const struct y1564_service *sv = &y->cfg->y1564.svc[s];
	char path[PATH_MAX + 32], *text;
	struct y1564_raw r = { .duration_ms = duration_ms };
	double cir, eir;
	const cJSON *o, *rtt;
	cJSON *sum;

	snprintf(path, sizeof(path), "%s/summary.json", y->tc->trial_dir);
	text = mp_read_file(path, NULL);
	sum = text != NULL ? cJSON_Parse(text) : NULL;
	free(text);
	o = gy_find(y->cfg, sum, s, per_stream);
	if (o == NULL || golive_y1564_rates(y->cfg, s, &cir, &eir, &r.wire_bits) != 0) {
		cJSON_Delete(sum);
		return false;
	}
	rtt = GY_GET(o, "rtt_us");
	r.sent = summary_u64(GY_GET(o, "sent"));
	r.lost = summary_u64(GY_GET(o, "lost"));
	r.rtt_samples = summary_u64(GY_GET(o, "rtt_samples"));
	r.rtt_min_us = summary_num(GY_GET(rtt, "min"));
	r.rtt_mean_us = summary_num(GY_GET(rtt, "mean"));
	r.rtt_p99_us = summary_num(GY_GET(rtt, "p99"));
	r.rtt_max_us = summary_num(GY_GET(rtt, "max"));
	r.has_avail = golive_y1564_avail(y->tc->trial_dir, y->cfg->links[sv->link].name,
			       *per_stream ? sv->name : NULL, (duration_ms + 999) / 1000, &r.avail);
	y1564_kpi_from_raw(&r, k);
	cJSON_Delete(sum);
	return true;
}

static void
gy_judge_of(const struct mp_config *cfg, int s, double cir, double eir, struct y1564_judge *j)
{
	const struct y1564_service *sv = &cfg->y1564.svc[s];

	*j = (struct y1564_judge){ .crit = &sv->crit, .cir_bps = cir, .eir_bps = eir,
				   .tolerance = cfg->y1564.ir_tolerance,
				   .burst_bytes = sv->cbs_bytes + sv->ebs_bytes,
				   .policer = sv->policer };
}

/* One step of the configuration test: the trial, its KPIs, its verdict. */
static int
gy_step(struct golive_y1564 *y, int s, const struct y1564_judge *j, struct y1564_step_res *st,
	double wire_bits)
{
	const struct y1564_service *sv = &y->cfg->y1564.svc[s];
	struct rfc2544_ask ask = { .rate_pps = st->plan.rate_bps / wire_bits,
				   .duration_ms = y->step_ms };
	struct rfc2544_trial t;
	bool per_stream;
	int rc;

	snprintf(y->label, sizeof(y->label), "%s %s", sv->name, st->plan.label);
	st->asked_pps = ask.rate_pps;
	rc = golive_trial(y->tc, &ask, &t);
	st->trial = y->tc->seq;
	if (rc != 0) {
		st->v = Y1564_NOT_RUN;
		snprintf(st->reason, sizeof(st->reason), "%s", rc == -EINTR ? "interrupted" :
			 "the trial could not run");
		return rc;
	}
	st->ran = gy_kpi(y, s, y->step_ms, &per_stream, &st->k);
	if (!st->ran) {
		st->v = Y1564_FAIL;
		snprintf(st->reason, sizeof(st->reason), "no result in trials/%04d", st->trial);
		return 0;
	}
	st->v = y1564_judge_step(j, &st->plan, &st->k, st->reason, sizeof(st->reason));
	return 0;
}

/* The service's verdict and reasons from its steps. */
static void
gy_service_verdict(const struct mp_config *cfg, struct y1564_svc_res *out)
{
	enum y1564_verdict v[Y1564_STEPS];
	int i;

	out->n_reasons = 0;
	for (i = 0; i < out->n_steps; i++) {
		v[i] = out->step[i].v;
		if (v[i] == Y1564_FAIL || (v[i] == Y1564_NOT_JUDGED && out->n_reasons < Y1564_STEPS))
			snprintf(out->reasons[out->n_reasons++], Y1564_REASON_MAX, "%s %s: %s",
				 out->step[i].plan.label, v[i] == Y1564_FAIL ? "FAIL" : "reported",
				 out->step[i].reason);
	}
	out->v = y1564_verdict_fold(v, out->n_steps);
	if (out->v == Y1564_NOT_RUN)
		snprintf(out->reasons[out->n_reasons++], Y1564_REASON_MAX,
			 "not every step ran");
	else if (out->v == Y1564_PASS && out->n_reasons == 0)
		snprintf(out->reasons[out->n_reasons++], Y1564_REASON_MAX,
			 "every step within the criteria (%s)", cfg->y1564.svc[out->svc].name);
}

int
golive_y1564_service(struct golive_y1564 *y, int s, struct y1564_svc_res *out)
{
	struct y1564_step_plan plan[Y1564_STEPS];
	struct y1564_judge j;
	int i, rc = 0;

	memset(out, 0, sizeof(*out));
	out->svc = s;
	out->v = Y1564_NOT_RUN;
	if (golive_y1564_rates(y->cfg, s, &out->cir_bps, &out->eir_bps, &out->wire_bits) != 0)
		return out->rc = -EINVAL;
	out->n_steps = y1564_steps(out->cir_bps, out->eir_bps, plan);
	gy_judge_of(y->cfg, s, out->cir_bps, out->eir_bps, &j);
	y->svc = s;
	y->tc->link = y->cfg->y1564.svc[s].link;
	y->tc->size[0] = '\0';
	y->tc->shape = gy_shape;
	y->tc->shape_arg = y;
	for (i = 0; i < out->n_steps; i++) {
		out->step[i].plan = plan[i];
		out->step[i].v = Y1564_NOT_RUN;
		snprintf(out->step[i].reason, sizeof(out->step[i].reason), "not run");
	}
	for (i = 0; i < out->n_steps && rc == 0; i++)
		rc = gy_step(y, s, &j, &out->step[i], out->wire_bits);
	y->tc->shape = NULL;
	out->rc = rc;
	gy_service_verdict(y->cfg, out);
	return rc;
}

/* A bin of the series: one link's intervals merged. */
struct gy_bin {
	bool used;
	struct link_interval li;
};

static void
gy_series_point(const struct gy_bin *b, int link, uint32_t t, uint32_t bin_s, double wire_bits,
		struct y1564_point *p)
{
	const struct link_counters *c = &b->li.c;

	p->t_s = t;
	p->link = link;
	p->rtt_p50_us = b->li.rtt.count > 0 ? hist_quantile(&b->li.rtt, 0.50) / 1000.0 : NAN;
	p->rtt_p99_us = b->li.rtt.count > 0 ? hist_quantile(&b->li.rtt, 0.99) / 1000.0 : NAN;
	p->loss_ratio = c->received + c->lost > 0 ?
			(double)c->lost / (double)(c->received + c->lost) : 0;
	p->ir_bps = (double)c->received * wire_bits / bin_s;
}

/* Link i's bins from the trial's intervals.jsonl (its own records, not its streams'). */
static void
gy_series_bins(const char *dir, const char *link, uint64_t t0, uint32_t bin_s,
	       struct gy_bin *bins, size_t nbins)
{
	char path[PATH_MAX + 32], err[128], *text, *line, *save = NULL;
	struct link_interval li;
	size_t k;

	snprintf(path, sizeof(path), "%s/intervals.jsonl", dir);
	text = mp_read_file(path, NULL);
	for (line = text != NULL ? strtok_r(text, "\n", &save) : NULL; line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		cJSON *o = cJSON_Parse(line);
		const char *ln = cJSON_GetStringValue(GY_GET(o, "link"));

		if (ln != NULL && strcmp(ln, link) == 0 && GY_GET(o, "stream") == NULL &&
		    record_interval_from_json(o, &li, err, sizeof(err)) == 0 &&
		    li.start_unix_ns >= t0) {
			k = (size_t)((li.start_unix_ns - t0) / 1000000000ull / bin_s);
			if (k < nbins && !bins[k].used) {
				bins[k].li = li;
				bins[k].used = true;
			} else if (k < nbins) {
				link_interval_merge(&bins[k].li, &li);
			}
		}
		cJSON_Delete(o);
	}
	free(text);
}

/* The first interval's start of the trial (t = 0 of the series). */
static uint64_t
gy_series_t0(const char *dir)
{
	char path[PATH_MAX + 32], *text, *nl;
	uint64_t t0 = 0;
	cJSON *o;

	snprintf(path, sizeof(path), "%s/intervals.jsonl", dir);
	text = mp_read_file(path, NULL);
	for (nl = text; nl != NULL && t0 == 0; nl = strchr(nl, '\n')) {
		while (*nl == '\n')
			nl++;
		o = cJSON_ParseWithOpts(nl, NULL, 0);
		if (strcmp(cJSON_GetStringValue(GY_GET(o, "type")) ?: "", "interval") == 0)
			t0 = gy_u64(GY_GET(o, "start_ns"));
		cJSON_Delete(o);
		if (*nl == '\0')
			break;
	}
	free(text);
	return t0;
}

void
golive_y1564_series(const struct mp_config *cfg, const char *dir, struct y1564_perf_res *out)
{
	uint32_t bin_s = y1564_series_bin_s(out->duration_s, GY_SERIES_POINTS);
	size_t nbins = out->duration_s / bin_s + 2, k;
	uint64_t t0 = gy_series_t0(dir);
	struct gy_bin *bins = calloc(nbins, sizeof(*bins));
	double cir, eir, wb;
	int i, s;

	out->n_points = 0;
	out->pts = calloc(nbins * (size_t)cfg->n_links, sizeof(*out->pts));
	for (i = 0; i < cfg->n_links && bins != NULL && out->pts != NULL && t0 != 0; i++) {
		for (s = 0, wb = 0; s < cfg->y1564.n && wb == 0; s++)
			if (cfg->y1564.svc[s].link == i)
				golive_y1564_rates(cfg, s, &cir, &eir, &wb);
		if (wb == 0)
			continue;
		memset(bins, 0, nbins * sizeof(*bins));
		gy_series_bins(dir, cfg->links[i].name, t0, bin_s, bins, nbins);
		for (k = 0; k < nbins; k++)
			if (bins[k].used)
				gy_series_point(&bins[k], i, (uint32_t)(k * bin_s), bin_s, wb,
						&out->pts[out->n_points++]);
	}
	free(bins);
}

/* Each service's KPIs and verdict, and the test's. */
static void
gy_perf_judge(const struct golive_y1564 *y, struct y1564_perf_res *out)
{
	enum y1564_verdict v[Y1564_MAX_SERVICES];
	struct y1564_judge j;
	double cir, eir, wb;
	int s;

	out->n = y->cfg->y1564.n;
	for (s = 0; s < out->n; s++) {
		struct y1564_perf_svc *p = &out->s[s];

		p->svc = s;
		golive_y1564_rates(y->cfg, s, &cir, &eir, &wb);
		gy_judge_of(y->cfg, s, cir, eir, &j);
		p->measured = out->rc == 0 &&
			      gy_kpi(y, s, out->duration_s * 1000, &p->per_stream, &p->k);
		if (!p->measured) {
			p->v = Y1564_NOT_RUN;
			snprintf(p->reason, sizeof(p->reason), "%s", out->rc == -EINTR ?
				 "interrupted" : "not measured");
		} else {
			p->v = y1564_judge_perf(&j, &p->k, p->reason, sizeof(p->reason));
		}
		v[s] = p->v;
	}
	out->v = y1564_verdict_fold(v, out->n);
}

int
golive_y1564_performance(struct golive_y1564 *y, struct y1564_perf_res *out)
{
	struct rfc2544_ask ask = { .rate_pps = 1, .duration_ms = y->perf_s * 1000 };
	struct rfc2544_trial t;

	memset(out, 0, sizeof(*out));
	out->duration_s = y->perf_s;
	snprintf(y->label, sizeof(y->label), "performance %us", y->perf_s);
	y->svc = -1;
	y->tc->link = GOLIVE_TOGETHER;
	y->tc->size[0] = '\0';
	y->tc->shape = gy_shape;
	y->tc->shape_arg = y;
	out->rc = golive_trial(y->tc, &ask, &t);
	y->tc->shape = NULL;
	out->trial = y->tc->seq;
	gy_perf_judge(y, out);
	if (out->rc == 0)
		golive_y1564_series(y->cfg, y->tc->trial_dir, out);
	return out->rc;
}
