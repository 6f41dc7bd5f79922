/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The summary sink: the whole run's aggregate per link; at the end,
 * DIR/summary.json, the table on the console, and what a reader must not
 * miss (an outage, every probe lost, the rate not reached, ICMP errors),
 * which makes the verdict and the exit code of a run that was otherwise
 * complete (3 outage, 4 rate shortfall; 5 for the SLA sink's sla_breach).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "agg.h"
#include "mp_record.h"
#include "sink.h"
#include "sink_summary.h"
#include "summary_streams.h"
#include "util.h"

#define SUMMARY_FINDINGS_MAX	(2 * MP_MAX_LINKS + MP_MAX_LINKS * MP_ICMP_MAX)

struct sink_summary {
	const struct sink_env *env;
	struct agg_link agg[MP_MAX_LINKS];
	char icmp_from[MP_MAX_LINKS][64];	/* source of the first ICMP error, from its event */
	cJSON *hello;
	char findings[SUMMARY_FINDINGS_MAX][256];
	int n_findings;
	const char *verdict;			/* "ok", "outage", "rate_shortfall" */
	struct summary_streams streams;		/* links[i].streams (summary_streams.h) */
};

double
summary_num(const cJSON *it)
{
	if (cJSON_IsRaw(it))
		return strtod(it->valuestring, NULL);
	return cJSON_IsNumber(it) ? it->valuedouble : 0.0;
}

unsigned long long
summary_u64(const cJSON *it)
{
	if (cJSON_IsRaw(it))
		return strtoull(it->valuestring, NULL, 10);
	return cJSON_IsNumber(it) ? (unsigned long long)it->valuedouble : 0;
}

static int
summary_open(const struct sink_env *env, void **state)
{
	struct sink_summary *m = calloc(1, sizeof(*m));
	int i;

	if (m == NULL)
		return -ENOMEM;
	m->env = env;
	m->verdict = "ok";
	if (summary_streams_init(&m->streams, env->cfg) != 0) {
		free(m);
		return -ENOMEM;
	}
	for (i = 0; i < env->cfg->n_links; i++)
		agg_link_init(&m->agg[i], env->cfg->links[i].name, (uint32_t)i,
			      env->cfg->interval_ms);
	*state = m;
	return 0;
}

static void
summary_hello(void *state, const struct dprec *r)
{
	struct sink_summary *m = state;

	cJSON_Delete(m->hello);
	m->hello = cJSON_Duplicate(r->json, 1);
}

static void
summary_interval(void *state, const struct dprec *r)
{
	struct sink_summary *m = state;

	agg_add_interval(&m->agg[r->link], r->interval);
}

static void
summary_stream(void *state, const struct dprec *r)
{
	struct sink_summary *m = state;

	summary_streams_add(&m->streams, r->link, r->interval);
}

static void
summary_event(void *state, const struct dprec *r)
{
	struct sink_summary *m = state;
	const char *from;

	if (r->event == NULL || strcmp(r->event, "icmp_error") != 0 || r->link < 0 ||
	    r->detail == NULL)
		return;
	from = strstr(r->detail, " from ");
	if (from != NULL && m->icmp_from[r->link][0] == '\0')
		sscanf(from + 6, "%63s", m->icmp_from[r->link]);
}

static void
summary_fmt_us(const cJSON *o, const char *key, char *buf, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsNumber(v))
		snprintf(buf, len, "%.1f", v->valuedouble);
	else
		snprintf(buf, len, "-");
}

/* One row of the table: a link, or one of its streams ("a/voice"). */
static void
summary_print_row(FILE *f, const char *name, const cJSON *l)
{
	const cJSON *rtt = cJSON_GetObjectItemCaseSensitive(l, "rtt_us");
	const cJSON *lr = cJSON_GetObjectItemCaseSensitive(l, "loss_ratio");
	char mn[24], p50[24], p99[24], mx[24], jit[24], loss[24];

	summary_fmt_us(rtt, "min", mn, sizeof(mn));
	summary_fmt_us(rtt, "p50", p50, sizeof(p50));
	summary_fmt_us(rtt, "p99", p99, sizeof(p99));
	summary_fmt_us(rtt, "max", mx, sizeof(mx));
	summary_fmt_us(l, "jitter_us", jit, sizeof(jit));
	if (cJSON_IsNumber(lr))
		snprintf(loss, sizeof(loss), "%.3f", lr->valuedouble * 100.0);
	else
		snprintf(loss, sizeof(loss), "-");
#define N(k) summary_u64(cJSON_GetObjectItemCaseSensitive(l, k))
	fprintf(f, "%-8s %9llu %9llu %7llu %8s %5llu %5llu %6llu %5llu %9s %9s %9s %9s %8s\n",
		name, N("sent"), N("received"), N("lost"), loss, N("late"), N("duplicates"),
		N("reordered"), N("invalid"), mn, p50, p99, mx, jit);
#undef N
}

static void
summary_print_table(FILE *f, const cJSON *links)
{
	const cJSON *l;

	fprintf(f, "\n%-8s %9s %9s %7s %8s %5s %5s %6s %5s %9s %9s %9s %9s %8s\n", "link", "sent",
		"received", "lost", "loss%", "late", "dup", "reord", "inv", "rtt min", "p50",
		"p99", "max", "jitter");
	cJSON_ArrayForEach(l, links) {
		summary_print_row(f, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name")),
				  l);
		summary_streams_rows(l, summary_print_row, f);
	}
	fprintf(f, "(round-trip times and jitter in microseconds)\n");
}

/* What the replies said of each far end's reflector. */
static void
summary_print_reflectors(FILE *out, const cJSON *links)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, links) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(l, "reflector");
		char bytes[48];
		unsigned long long bmin, bmax;

		if (!cJSON_IsObject(f))
			continue;
#define B(k) cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, k))
		bmin = summary_u64(cJSON_GetObjectItemCaseSensitive(f, "reply_bytes_min"));
		bmax = summary_u64(cJSON_GetObjectItemCaseSensitive(f, "reply_bytes_max"));
		if (bmin == bmax)
			snprintf(bytes, sizeof(bytes), "%llu", bmin);
		else
			snprintf(bytes, sizeof(bytes), "%llu-%llu", bmin, bmax);
		fprintf(out, "reflector %s: SSID %s, %s, replies of %s bytes%s, %s%s, %s timestamps\n",
			cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name")),
			B("ssid_echoed") ? "echoed" : "not echoed (no RFC 8972)",
			B("stateful") ? "stateful" : "stateless", bytes,
			B("tlvs_echoed") ? " (trailer echoed)" : "",
			B("sender_ttl_seen") ? "Sender TTL seen" : "no Sender TTL",
			B("t2_equals_t3") ? ", T2 == T3" : "",
			cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "timestamp_format")));
#undef B
	}
}

static void
summary_finding(struct sink_summary *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
summary_finding(struct sink_summary *m, const char *fmt, ...)
{
	va_list ap;

	if (m->n_findings >= SUMMARY_FINDINGS_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(m->findings[m->n_findings++], sizeof(m->findings[0]), fmt, ap);
	va_end(ap);
}

/*
 * A link with an outage (no replies for a while, probes overdue) or with
 * every probe lost. Such a run is complete, but not clean: it says so and
 * exits 3.
 */
static void
summary_find_outages(struct sink_summary *m)
{
	const struct mp_config *cfg = m->env->cfg;
	int i;

	for (i = 0; i < cfg->n_links; i++) {
		const struct agg_link *a = &m->agg[i];
		const struct link_counters *c = &a->total.c;

		if (c->received == 0 && c->lost > 0)
			summary_finding(m, "link %s: OUTAGE: no replies at all, 100%% loss (%llu "
					"probes lost)", cfg->links[i].name, (unsigned long long)c->lost);
		else if (a->outages > 0)
			summary_finding(m, "link %s: OUTAGE: no replies for up to %.1f s (%llu "
					"outage%s, %.1f s in all)", cfg->links[i].name,
					(double)a->outage_longest_ns / 1e9,
					(unsigned long long)a->outages, a->outages == 1 ? "" : "s",
					(double)a->outage_total_ns / 1e9);
		else
			continue;
		m->verdict = "outage";
	}
}

/* The configured rate not reached (exit 4 unless there is worse); ICMP errors: what and who. */
static void
summary_find_rate_icmp(struct sink_summary *m)
{
	const struct mp_config *cfg = m->env->cfg;
	int i;
	unsigned k;

	for (i = 0; i < cfg->n_links; i++) {
		const struct agg_link *a = &m->agg[i];
		const struct link_counters *c = &a->total.c;
		double f, pps = (double)a->total.pacer_rate_mpps / 1000.0;

		if (!agg_rate_short(c, &f))
			continue;
		summary_finding(m, "link %s: RATE SHORTFALL: %.0f probes/s achieved of %.0f "
				"configured (%.1f%%; %llu skipped, %llu refused by the port)",
				cfg->links[i].name, pps * f, pps, 100.0 * f,
				(unsigned long long)c->tx_skipped, (unsigned long long)c->tx_failed);
		if (strcmp(m->verdict, "ok") == 0)
			m->verdict = "rate_shortfall";
	}
	for (i = 0; i < cfg->n_links; i++) {
		const struct link_counters *c = &m->agg[i].total.c;

		for (k = 0; k < MP_ICMP_MAX; k++)
			if (c->icmp_errors[k] != 0)
				summary_finding(m, "link %s: %llu ICMP %s%s%s", cfg->links[i].name,
						(unsigned long long)c->icmp_errors[k],
						mp_icmp_err_names[k],
						m->icmp_from[i][0] != '\0' ? " from " : "", m->icmp_from[i]);
	}
}

/* The run's facts beside the links' aggregates. */
static cJSON *
summary_extra(const struct sink_summary *m, const struct run_outcome *o)
{
	const struct mp_config *cfg = m->env->cfg;
	cJSON *extra = cJSON_CreateObject(), *f, *locs;
	int i;

	cJSON_AddStringToObject(extra, "metro", cfg->metro);
	cJSON_AddStringToObject(extra, "config", m->env->config_path);
	record_add_u64(extra, "start_unix_ns", o->start_unix_ns);
	record_add_u64(extra, "end_unix_ns", o->stop_unix_ns);
	record_add_u64(extra, "duration_s_configured", cfg->duration_s);
	record_add_u64(extra, "interval_ms", cfg->interval_ms);
	record_add_u64(extra, "loss_timeout_ms", cfg->loss_timeout_ms);
	record_add_u64(extra, "records", o->records);
	record_add_u64(extra, "bad_records", o->bad_records);
	cJSON_AddStringToObject(extra, "verdict", m->verdict);
	f = cJSON_AddArrayToObject(extra, "findings");
	for (i = 0; i < m->n_findings; i++)
		cJSON_AddItemToArray(f, cJSON_CreateString(m->findings[i]));
	if (o->dp_exited && WIFEXITED(o->dp_status))
		cJSON_AddNumberToObject(extra, "dataplane_exit", WEXITSTATUS(o->dp_status));
	else if (o->dp_exited && WIFSIGNALED(o->dp_status))
		cJSON_AddNumberToObject(extra, "dataplane_signal", WTERMSIG(o->dp_status));
	if (m->env->attach_path != NULL) {
		cJSON_AddStringToObject(extra, "dataplane_attached", m->env->attach_path);
		/* what a resumed control dropped: sent again, written before it restarted */
		record_add_u64(cJSON_AddObjectToObject(extra, "resume"), "duplicate_records",
			       o->duplicate_records);
	}
	locs = cJSON_AddArrayToObject(extra, "locations");
	for (i = 0; i < cfg->n_links; i++)
		cJSON_AddItemToArray(locs, cJSON_CreateString(cfg->links[i].location));
	return extra;
}

/* The frame sizes actually sent (raised to the STAMP minimum), from the hello. */
static void
summary_add_sent(const struct sink_summary *m, cJSON *sum)
{
	const struct mp_config *cfg = m->env->cfg;
	cJSON *l, *h;
	int i;

	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(sum, "links")) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name"));

		for (i = 0; name != NULL && i < cfg->n_links; i++)
			if (strcmp(cfg->links[i].name, name) == 0)
				break;
		if (name == NULL || i == cfg->n_links)
			continue;
		cJSON_AddStringToObject(l, "frame_mix_configured", cfg->links[i].frame_mix);
		cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(m->hello, "links")) {
			const cJSON *fs = cJSON_GetObjectItemCaseSensitive(h, "frame_size");
			const cJSON *fm = cJSON_GetObjectItemCaseSensitive(h, "frame_mix");
			const char *hn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(h, "name"));

			if (hn == NULL || strcmp(name, hn) != 0)
				continue;
			if (cJSON_IsNumber(fs))
				record_add_u64(l, "frame_size_sent", (uint64_t)fs->valuedouble);
			if (cJSON_IsString(fm))
				cJSON_AddStringToObject(l, "frame_mix_sent", fm->valuestring);
		}
	}
}

/* What the sinks before this one gave for summary.json (sink.h), moved in. */
static void
summary_add_members(cJSON *sum, struct run_outcome *o)
{
	cJSON *it;

	while (o->summary_members != NULL && (it = o->summary_members->child) != NULL) {
		cJSON_DetachItemViaPointer(o->summary_members, it);
		cJSON_AddItemToObject(sum, it->string, it);
	}
}

/* summary.json, with a trailing newline for people who cat it. */
static int
summary_write(const struct sink_summary *m, const cJSON *sum)
{
	char path[PATH_MAX], *s = mp_json_print_fixed(sum);
	int rc;

	snprintf(path, sizeof(path), "%s/summary.json", m->env->out_dir);
	rc = s != NULL ? mp_write_file(path, s, strlen(s)) : -ENOMEM;
	if (rc == 0) {
		FILE *f = fopen(path, "a");

		if (f != NULL) {
			fputc('\n', f);
			fclose(f);
		}
	}
	free(s);
	return rc;
}

static int
summary_report(struct sink_summary *m, struct run_outcome *o)
{
	cJSON *extra, *sum;
	int i, rc = -ENOMEM;

	for (i = 0; i < m->env->cfg->n_links; i++)
		agg_finish(&m->agg[i], o->stop_unix_ns);
	summary_find_outages(m);
	summary_find_rate_icmp(m);
	/* a verdict an earlier sink found (sla_breach) stands when this one found none */
	if (strcmp(m->verdict, "ok") == 0 && o->verdict != NULL)
		m->verdict = o->verdict;
	extra = summary_extra(m, o);
	sum = agg_summary_json(m->agg, (unsigned)m->env->cfg->n_links, o->complete,
			       o->end_reason, extra);
	cJSON_Delete(extra);
	if (sum != NULL) {
		summary_add_sent(m, sum);
		summary_streams_json(&m->streams, sum, m->hello, o->stop_unix_ns);
		summary_add_members(sum, o);
		rc = summary_write(m, sum);
		/* --quiet hides the live lines, never the result */
		summary_print_table(m->env->console, cJSON_GetObjectItemCaseSensitive(sum, "links"));
		summary_print_reflectors(m->env->console,
					 cJSON_GetObjectItemCaseSensitive(sum, "links"));
		for (i = 0; i < m->n_findings; i++)
			fprintf(m->env->console, "%s\n", m->findings[i]);
		cJSON_Delete(sum);
	}
	if (rc != 0)
		fprintf(stderr, "metroprobe: cannot write %s/summary.json\n", m->env->out_dir);
	/* a complete run that found an outage or a shortfall says so in its exit code */
	o->verdict = m->verdict;
	if (o->exit_code == 0 && strcmp(m->verdict, "outage") == 0)
		o->exit_code = 3;
	else if (o->exit_code == 0 && strcmp(m->verdict, "rate_shortfall") == 0)
		o->exit_code = 4;
	else if (o->exit_code == 0 && strcmp(m->verdict, "sla_breach") == 0)
		o->exit_code = 5;
	return rc;
}

static int
summary_close(void *state, struct run_outcome *o)
{
	struct sink_summary *m = state;
	int rc = o != NULL ? summary_report(m, o) : 0;

	cJSON_Delete(m->hello);
	summary_streams_free(&m->streams);
	free(m);
	return rc;
}

const struct sink_ops sink_summary_ops = {
	.name = "summary",
	.open = summary_open,
	.on_hello = summary_hello,
	.on_interval = summary_interval,
	.on_stream = summary_stream,
	.on_event = summary_event,
	.close = summary_close,
};
