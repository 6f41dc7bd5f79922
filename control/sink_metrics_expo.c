/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics sink's state as the Prometheus text format: every family of
 * docs/prometheus.md. Pure: reads the sink's totals and the board, writes
 * a buffer. A family whose value is not known yet (no SLA sink, no board,
 * no diversity object) is left out rather than shown as 0.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "board.h"
#include "sink_metrics.h"
#include "sink_summary.h"

static const struct {
	const char *name, *help;
	size_t off;
} expo_counters_tab[] = {
	{ "metroprobe_probes_sent_total", "Probes handed to the NIC.",
	  offsetof(struct link_counters, sent) },
	{ "metroprobe_probes_received_total", "First replies within the loss timeout.",
	  offsetof(struct link_counters, received) },
	{ "metroprobe_probes_lost_total",
	  "Probes not answered within the loss timeout (counted when it expires).",
	  offsetof(struct link_counters, lost) },
	{ "metroprobe_probes_late_total",
	  "First replies after the loss timeout (also counted as lost).",
	  offsetof(struct link_counters, late) },
	{ "metroprobe_probes_duplicates_total", "Replies beyond the first to a probe.",
	  offsetof(struct link_counters, duplicates) },
	{ "metroprobe_probes_reordered_total", "Received replies out of order (RFC 4737).",
	  offsetof(struct link_counters, reordered) },
};

/* link, location, metro of configured link i. */
static void
expo_link_labels(const struct sink_metrics *m, int i, struct metrics_labels *l)
{
	memset(l, 0, sizeof(*l));
	metrics_label(l, "link", m->env->cfg->links[i].name);
	metrics_label(l, "location", m->env->cfg->links[i].location);
	metrics_label(l, "metro", m->env->cfg->metro);
}

static void
expo_counters(const struct sink_metrics *m, struct metrics_buf *b)
{
	struct metrics_labels l;
	size_t k;
	int i;

	for (k = 0; k < sizeof(expo_counters_tab) / sizeof(expo_counters_tab[0]); k++) {
		metrics_family(b, expo_counters_tab[k].name, "counter", expo_counters_tab[k].help);
		for (i = 0; i < m->env->cfg->n_links; i++) {
			const char *c = (const char *)&m->agg[i].total.c;

			expo_link_labels(m, i, &l);
			metrics_u64(b, expo_counters_tab[k].name, &l,
				    *(const uint64_t *)(c + expo_counters_tab[k].off));
		}
	}
	metrics_family(b, "metroprobe_probes_invalid_total", "counter",
		       "Frames received on the link's port that were not a valid reply, by reason.");
	for (i = 0; i < m->env->cfg->n_links; i++) {
		for (k = 1; k < MP_R_REASON_MAX; k++) {
			expo_link_labels(m, i, &l);
			metrics_label(&l, "reason", mp_reason_names[k]);
			metrics_u64(b, "metroprobe_probes_invalid_total", &l,
				    m->agg[i].total.c.invalid[k]);
		}
	}
}

static void
expo_rtt(const struct sink_metrics *m, struct metrics_buf *b)
{
	uint64_t cum[RTT_BUCKETS_MAX];
	struct metrics_labels l;
	int i;

	metrics_family(b, "metroprobe_rtt_seconds", "histogram",
		       "Round-trip time less the reflector's residence time; bucket edges include "
		       "every round-trip SLA threshold.");
	for (i = 0; i < m->env->cfg->n_links; i++) {
		const struct hist *h = &m->agg[i].total.rtt;

		rtt_buckets_fill(&m->buckets, h, cum);
		expo_link_labels(m, i, &l);
		metrics_histogram(b, "metroprobe_rtt_seconds", &l, m->buckets.n,
				  m->buckets.edge_s, cum, h->count, (double)h->sum_ns / 1e9);
	}
	metrics_family(b, "metroprobe_jitter_seconds", "gauge",
		       "RFC 3550 interarrival jitter at the end of the newest interval.");
	for (i = 0; i < m->env->cfg->n_links; i++) {
		if (!m->have_jitter[i])
			continue;
		expo_link_labels(m, i, &l);
		metrics_double(b, "metroprobe_jitter_seconds", &l, (double)m->jitter_ns[i] / 1e9);
	}
}

/* The board's link i by name, or NULL. */
static const struct board_link *
expo_board_link(const struct board *bd, const char *name)
{
	int j;

	for (j = 0; j < bd->n_links && j < BOARD_LINKS_MAX; j++)
		if (strcmp(bd->link[j].name, name) == 0)
			return &bd->link[j];
	return NULL;
}

static void
expo_up(const struct sink_metrics *m, struct metrics_buf *b)
{
	const struct board *bd = m->env->board;
	struct metrics_labels l;
	int i;

	if (bd == NULL)
		return;
	metrics_family(b, "metroprobe_link_up", "gauge",
		       "1 while the link answers, 0 while it is down; absent until known.");
	for (i = 0; i < m->env->cfg->n_links; i++) {
		const struct board_link *bl = expo_board_link(bd, m->env->cfg->links[i].name);

		if (bl == NULL || bl->up == BOARD_UNKNOWN)
			continue;
		expo_link_labels(m, i, &l);
		metrics_u64(b, "metroprobe_link_up", &l, bl->up == BOARD_YES);
	}
	metrics_family(b, "metroprobe_pair_up", "gauge",
		       "1 while at least one link of the pair answers; absent until known.");
	if (bd->pair_up != BOARD_UNKNOWN) {
		memset(&l, 0, sizeof(l));
		metrics_label(&l, "metro", m->env->cfg->metro);
		metrics_u64(b, "metroprobe_pair_up", &l, bd->pair_up == BOARD_YES);
	}
}

static void
expo_objective_labels(const struct board_objective *o, struct metrics_labels *l)
{
	memset(l, 0, sizeof(*l));
	metrics_label(l, "objective", o->name);
	metrics_label(l, "link", o->link);
	metrics_label(l, "sli", o->metric);
	metrics_label(l, "window", o->window);
}

static const char *const expo_burn_windows[BOARD_BURN_WINDOWS] = { "1h", "6h", "3d" };

static void
expo_sla_one(const struct board_objective *o, struct metrics_buf *b, const char *family)
{
	struct metrics_labels l;
	int w;

	expo_objective_labels(o, &l);
	if (strcmp(family, "metroprobe_sla_ok") == 0 && o->ok != BOARD_UNKNOWN)
		metrics_u64(b, family, &l, o->ok == BOARD_YES);
	else if (strcmp(family, "metroprobe_sla_value") == 0 && !isnan(o->value))
		metrics_double(b, family, &l, o->value);
	else if (strcmp(family, "metroprobe_sla_threshold") == 0)
		metrics_double(b, family, &l, o->threshold);
	else if (strcmp(family, "metroprobe_error_budget_remaining_ratio") == 0 &&
		 !isnan(o->budget_remaining))
		metrics_double(b, family, &l, o->budget_remaining);
	else if (strcmp(family, "metroprobe_error_budget_burn_rate") == 0)
		for (w = 0; w < BOARD_BURN_WINDOWS; w++) {
			if (isnan(o->burn_rate[w]))
				continue;
			expo_objective_labels(o, &l);
			metrics_label(&l, "burn_window", expo_burn_windows[w]);
			metrics_double(b, family, &l, o->burn_rate[w]);
		}
}

static void
expo_sla(const struct sink_metrics *m, struct metrics_buf *b)
{
	static const char *const fam[][2] = {
		{ "metroprobe_sla_ok", "1 while the objective is met, 0 while it is breached." },
		{ "metroprobe_sla_value", "The objective's measured value over its window "
		  "(seconds or ratio)." },
		{ "metroprobe_sla_threshold", "The objective's threshold (seconds or ratio)." },
		{ "metroprobe_error_budget_remaining_ratio", "Error budget left, 1 full, 0 spent "
		  "(below 0 when overspent)." },
		{ "metroprobe_error_budget_burn_rate", "Error budget burn rate over the long "
		  "windows of the SRE workbook (1 = the budget lasts exactly its period)." },
	};
	const struct board *bd = m->env->board;
	size_t f;
	int i;

	if (bd == NULL || bd->n_objectives == 0)
		return;
	for (f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		metrics_family(b, fam[f][0], "gauge", fam[f][1]);
		for (i = 0; i < bd->n_objectives && i < BOARD_OBJECTIVES_MAX; i++)
			if (bd->objective[i].name[0] != '\0')
				expo_sla_one(&bd->objective[i], b, fam[f][0]);
	}
}

static void
expo_dataplane(const struct sink_metrics *m, uint64_t now, struct metrics_buf *b)
{
	const struct board *bd = m->env->board;
	uint64_t last = m->last_unix_ns;
	char why[160];

	if (bd != NULL && bd->last_record_unix_ns > last)
		last = bd->last_record_unix_ns;
	metrics_family(b, "metroprobe_dataplane_up", "gauge",
		       "1 while the dataplane's records are fresh.");
	metrics_u64(b, "metroprobe_dataplane_up", NULL,
		    (uint64_t)metrics_dataplane_up(m, now, why, sizeof(why)));
	metrics_family(b, "metroprobe_last_record_timestamp_seconds", "gauge",
		       "When control received the newest interval record (Unix time).");
	if (last != 0)
		metrics_double(b, "metroprobe_last_record_timestamp_seconds", NULL,
			       (double)(last / 1000000ull) / 1e3);
	if (bd != NULL) {
		metrics_family(b, "metroprobe_dataplane_gaps_total", "counter",
			       "Dataplane restarts seen: each a gap in the records.");
		metrics_u64(b, "metroprobe_dataplane_gaps_total", NULL, bd->gaps);
		metrics_family(b, "metroprobe_dataplane_gap_seconds_total", "counter",
			       "Summed length of the gaps: time no dataplane measured.");
		metrics_double(b, "metroprobe_dataplane_gap_seconds_total", NULL,
			       (double)bd->gap_ns / 1e9);
		metrics_family(b, "metroprobe_resume_duplicate_records_total", "counter",
			       "Records the dataplane sent again that control had written before "
			       "a restart (resume), dropped.");
		metrics_u64(b, "metroprobe_resume_duplicate_records_total", NULL,
			    bd->duplicate_records);
		metrics_family(b, "metroprobe_output_ok", "gauge",
			       "1 while the output files take every line (0: a full disk, lines lost).");
		metrics_u64(b, "metroprobe_output_ok", NULL, bd->output_ok);
		metrics_family(b, "metroprobe_output_lines_lost_total", "counter",
			       "JSON lines that could not be written (counted, not silently dropped).");
		metrics_u64(b, "metroprobe_output_lines_lost_total", NULL, bd->output_lines_lost);
	}
}

void
metrics_expose(const struct sink_metrics *m, uint64_t now_unix_ns, struct metrics_buf *b)
{
	expo_counters(m, b);
	expo_rtt(m, b);
	expo_up(m, b);
	expo_sla(m, b);
	expo_dataplane(m, now_unix_ns, b);
	metrics_expose_diversity(m, b);
}

/* A gauge from a member of o, when it is a number (null: not known, left out). */
static void
expo_json_gauge(struct metrics_buf *b, const char *name, const struct metrics_labels *l,
		const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsNumber(v) || cJSON_IsRaw(v))
		metrics_double(b, name, l, summary_num(v));
}

static void
expo_fate(const struct sink_metrics *m, const cJSON *sf, struct metrics_buf *b)
{
	static const char *const fam[][3] = {
		{ "metroprobe_shared_fate_intervals", "intervals",
		  "Intervals known on both links of the pair." },
		{ "metroprobe_shared_fate_impaired_both_intervals", "impaired_both",
		  "Intervals in which both links were impaired." },
		{ "metroprobe_shared_fate_lift", "lift",
		  "Co-impairment lift: P(both) / (P(a) P(b)); 1 when independent." },
		{ "metroprobe_shared_fate_phi", "phi", "Phi coefficient of the two impaired series." },
		{ "metroprobe_shared_fate_fisher_p", "fisher_p",
		  "One-sided Fisher exact p of co-impairment (i.i.d. null)." },
		{ "metroprobe_shared_fate_shift_p", "shift_p",
		  "p of co-impairment against the time-shift null." },
	};
	const char *const cond_key[2] = { "p_b_given_a", "p_a_given_b" };
	struct metrics_labels l = { 0 };
	size_t f;
	int i;

	for (f = 0; f < sizeof(fam) / sizeof(fam[0]); f++) {
		metrics_family(b, fam[f][0], "gauge", fam[f][2]);
		expo_json_gauge(b, fam[f][0], &l, sf, fam[f][1]);
	}
	metrics_family(b, "metroprobe_shared_fate_conditional_ratio", "gauge",
		       "P(the other link impaired | this link impaired), per interval.");
	for (i = 0; i < 2 && i < m->env->cfg->n_links; i++) {
		memset(&l, 0, sizeof(l));
		metrics_label(&l, "given", m->env->cfg->links[i].name);
		expo_json_gauge(b, "metroprobe_shared_fate_conditional_ratio", &l, sf, cond_key[i]);
	}
}

static void
expo_availability(const struct sink_metrics *m, const cJSON *av, struct metrics_buf *b)
{
	const char *const key[3] = { "a", "b", "pair" };
	struct metrics_labels l;
	int i;

	metrics_family(b, "metroprobe_availability_ratio", "gauge",
		       "Availability (Y.1563 unavailability excluded) of each link and the pair.");
	for (i = 0; i < 3; i++) {
		if (i < 2 && i >= m->env->cfg->n_links)
			continue;
		memset(&l, 0, sizeof(l));
		metrics_label(&l, "link", i < 2 ? m->env->cfg->links[i].name : "pair");
		expo_json_gauge(b, "metroprobe_availability_ratio", &l, av, key[i]);
	}
}

void
metrics_expose_diversity(const struct sink_metrics *m, struct metrics_buf *b)
{
	static const char *const verdicts[] = {
		"DIVERSE", "SHARED-RISK", "NOT-DIVERSE", "INSUFFICIENT-EVIDENCE", "OTHER",
	};
	const cJSON *d = m->env->board != NULL ? m->env->board->diversity : NULL;
	const char *v;
	struct metrics_labels l;
	size_t i, cur;

	if (d == NULL)
		return;
	v = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "verdict"));
	for (cur = 0; cur < 4; cur++)
		if (v != NULL && strcmp(v, verdicts[cur]) == 0)
			break;
	metrics_family(b, "metroprobe_diversity_verdict", "gauge",
		       "The pair's site-diversity verdict: 1 on the current one, 0 on the others.");
	for (i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++) {
		memset(&l, 0, sizeof(l));
		metrics_label(&l, "verdict", verdicts[i]);
		metrics_u64(b, "metroprobe_diversity_verdict", &l, i == cur);
	}
	expo_fate(m, cJSON_GetObjectItemCaseSensitive(d, "shared_fate"), b);
	expo_availability(m, cJSON_GetObjectItemCaseSensitive(d, "availability"), b);
}
