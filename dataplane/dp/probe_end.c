/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober's end record: why it ended, and how each worker spent its
 * cycles and what each of its lanes did over the whole run (the benchmarks
 * and the tests read it). Built after every worker has returned.
 */
#include <rte_ethdev.h>

#include "mp_record.h"
#include "probe.h"

/* Device RX timestamps of a lane: how many, and how the calibration went. */
static void
end_rx_timestamps(cJSON *x, const struct probe_lane *L)
{
	cJSON *h = cJSON_AddObjectToObject(x, "rx_timestamps");
	const struct tscal *cal = L->c.cal;

	record_add_u64(h, "device_stamped", L->s.rx_hw_stamped);
	record_add_u64(h, "software_stamped", L->s.rx_sw_stamped);
	cJSON_AddNumberToObject(h, "unit_ns", L->c.hw_ts_unit_ns);
	record_add_u64(h, "refused", L->s.hw_ts_refused);
	cJSON_AddBoolToObject(h, "calibrated", tscal_ready(cal));
	cJSON_AddNumberToObject(h, "ppm", tscal_ppm(cal));
	record_add_u64(h, "spread_ns", tscal_spread_ns(cal));
	record_add_u64(h, "steps", cal->steps);
	record_add_u64(h, "outliers", cal->outliers);
	record_add_u64(h, "rejected", cal->rejected);
	record_add_u64(h, "late", cal->late);
	record_add_u64(h, "implausible", cal->implausible);
}

/* The gaps between a lane's TX bursts: are they spread, or clumped? */
static void
end_tx_gap(cJSON *x, const struct hist *gap)
{
	cJSON *g = cJSON_AddObjectToObject(x, "tx_gap_ns");

	record_add_u64(g, "min", gap->min_ns);
	record_add_u64(g, "p50", hist_quantile(gap, 0.5));
	record_add_u64(g, "p90", hist_quantile(gap, 0.9));
	record_add_u64(g, "p99", hist_quantile(gap, 0.99));
	record_add_u64(g, "p999", hist_quantile(gap, 0.999));
	record_add_u64(g, "max", gap->max_ns);
	cJSON_AddNumberToObject(g, "mean", hist_mean(gap));
}

static cJSON *
end_lane(const struct probe_lane *L)
{
	cJSON *x = cJSON_CreateObject();

	cJSON_AddStringToObject(x, "link", L->c.cfg.name);
	cJSON_AddNumberToObject(x, "queue", L->c.queue);
	record_add_u64(x, "sent", L->s.sent_total);
	record_add_u64(x, "rx_frames", L->s.rx_total);
	record_add_u64(x, "redirected_out", L->s.redirected_out);
	record_add_u64(x, "redirected_in", L->s.redirected_in);
	record_add_u64(x, "bursts", L->s.bursts);
	if (L->c.hw_ts)
		end_rx_timestamps(x, L);
	if (L->c.tx_gap->count > 0)
		end_tx_gap(x, L->c.tx_gap);
	if (L->c.path != NULL)
		cJSON_AddItemToObject(x, "path_probes", probe_path_end(L));
	return x;
}

/* How a worker spent its cycles: the benchmarks read this. */
static cJSON *
end_worker(const struct probe_worker *w)
{
	cJSON *o = cJSON_CreateObject(), *ls;
	uint64_t sent = 0, rx = 0;
	int j;

	for (j = 0; j < w->n; j++) {
		sent += w->lanes[j]->s.sent_total;
		rx += w->lanes[j]->s.rx_total;
	}
	cJSON_AddNumberToObject(o, "lcore", w->lcore);
	cJSON_AddNumberToObject(o, "links", w->n);
	cJSON_AddBoolToObject(o, "busy_poll", w->busy);
	record_add_u64(o, "loop_cycles", w->loop_cycles);
	record_add_u64(o, "work_cycles", w->work_cycles);
	if (w->host != NULL)
		record_add_u64(o, "reflector_cycles", w->host_cycles);
	record_add_u64(o, "iterations", w->iterations);
	record_add_u64(o, "work_iterations", w->work_iterations);
	record_add_u64(o, "sent", sent);
	record_add_u64(o, "rx_frames", rx);
	ls = cJSON_AddArrayToObject(o, "lanes");
	for (j = 0; j < w->n; j++)
		cJSON_AddItemToArray(ls, end_lane(w->lanes[j]));
	return o;
}

void
probe_end(struct probe *p, struct report *rep)
{
	cJSON *ws = cJSON_CreateArray();
	unsigned i;

	for (i = 0; i < p->n_workers; i++)
		if (p->workers[i].n > 0)
			cJSON_AddItemToArray(ws, end_worker(&p->workers[i]));
	report_end(rep, p->control_lost ? "control_lost" : dp_force_quit ? "signal" : "duration",
		   "", ws);
}
