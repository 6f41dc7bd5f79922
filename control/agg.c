/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Run and live aggregation of interval records (see agg.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "agg.h"
#include "mp_record.h"

/* An empty interval that keeps only the identity. */
static void
agg_empty(struct link_interval *li, const char *name, uint32_t link_index)
{
	memset(li, 0, sizeof(*li));
	snprintf(li->link, sizeof(li->link), "%s", name != NULL ? name : "");
	li->link_index = link_index;
	li->queues = 1;
	link_interval_reset(li);
}

void
agg_link_init(struct agg_link *l, const char *name, uint32_t link_index,
	      uint32_t interval_ms)
{
	memset(l, 0, sizeof(*l));
	agg_empty(&l->total, name, link_index);
	agg_empty(&l->live, name, link_index);
	l->interval_ns = (uint64_t)interval_ms * 1000000u;
}

/*
 * The first record into an empty accumulator is copied rather than merged,
 * so that its start time is not widened down to the empty one's 0.
 */
static void
agg_merge_into(struct link_interval *dst, uint64_t n_before,
	       const struct link_interval *src)
{
	char name[MP_LINK_NAME_MAX];
	uint32_t index = dst->link_index;

	if (n_before > 0) {
		link_interval_merge(dst, src);
		return;
	}
	memcpy(name, dst->link, sizeof(name));
	*dst = *src;
	memcpy(dst->link, name, sizeof(name));
	dst->link_index = index;
}

/* A silence from the newest record's end to t_ns is a gap past 1.5 intervals. */
static void
agg_check_gap(struct agg_link *l, uint64_t t_ns)
{
	uint64_t d;

	if (l->intervals == 0 || t_ns <= l->last_end_ns)
		return;
	d = t_ns - l->last_end_ns;
	if (d * 2 > l->interval_ns * 3) {
		l->gaps++;
		l->gap_ns += d;
	}
}

uint64_t
agg_interval_outage_ns(const struct link_interval *li)
{
	uint64_t after = AGG_OUTAGE_MIN_NS;

	if (li->overdue == 0)
		return 0;
	if (2 * li->overdue_after_ns > after)
		after = 2 * li->overdue_after_ns;
	/* three probe periods: rate_mpps is milli-probes/s */
	if (li->pacer_rate_mpps != 0 && 3000000000000ull / li->pacer_rate_mpps > after)
		after = 3000000000000ull / li->pacer_rate_mpps;
	return li->no_reply_ns >= after ? li->no_reply_ns : 0;
}

static void
agg_outage_end(struct agg_link *l)
{
	if (!l->in_outage)
		return;
	l->in_outage = false;
	l->outage_total_ns += l->outage_cur_ns;
	if (l->outage_cur_ns > l->outage_longest_ns)
		l->outage_longest_ns = l->outage_cur_ns;
	l->outage_cur_ns = 0;
}

/* Gauges (mp_stats.h) are the newest record's, not a sum over the window. */
static void
agg_gauges(struct link_interval *dst, const struct link_interval *src)
{
	dst->outstanding = src->outstanding;
	dst->overdue = src->overdue;
	dst->overdue_after_ns = src->overdue_after_ns;
	dst->no_reply_ns = src->no_reply_ns;
	/* the configured rate: the same in every record, not a sum over the window */
	dst->pacer_rate_mpps = src->pacer_rate_mpps;
}

bool
agg_rate_short(const struct link_counters *c, double *fraction)
{
	uint64_t planned = c->sent + c->tx_skipped + c->tx_failed;
	double f = planned != 0 ? (double)c->sent / (double)planned : 1.0;

	if (fraction != NULL)
		*fraction = f;
	/* more than 2% of the probes due were not sent (a VM stall of 100 ms skips 1% of 10 s) */
	return planned != 0 && (c->tx_skipped + c->tx_failed) * 50 > planned;
}

int
agg_add_interval(struct agg_link *l, const struct link_interval *li)
{
	uint64_t out_ns;

	if (l->intervals > 0 && li->end_unix_ns <= l->last_end_ns) {
		l->stale++;
		return -EALREADY;
	}
	agg_check_gap(l, li->start_unix_ns);
	agg_merge_into(&l->total, l->intervals, li);
	agg_merge_into(&l->live, l->live_intervals, li);
	agg_gauges(&l->total, li);
	agg_gauges(&l->live, li);
	out_ns = agg_interval_outage_ns(li);
	if (out_ns != 0) {
		if (!l->in_outage)
			l->outages++;
		l->in_outage = true;
		if (out_ns > l->outage_cur_ns)
			l->outage_cur_ns = out_ns;
	} else {
		agg_outage_end(l);
	}
	l->intervals++;
	l->live_intervals++;
	l->last_end_ns = li->end_unix_ns;
	if (li->rtt.count > 0) {
		l->jitter_sum_ns += li->jitter_ns;
		l->jitter_n++;
	}
	return 0;
}

void
agg_finish(struct agg_link *l, uint64_t end_ns)
{
	agg_outage_end(l);
	agg_check_gap(l, end_ns);
	/* Counted once: a second call sees no new silence. */
	if (end_ns > l->last_end_ns && l->intervals > 0)
		l->last_end_ns = end_ns;
}

uint64_t
agg_take_live(struct agg_link *l, struct link_interval *out)
{
	uint64_t n = l->live_intervals;

	if (out != NULL)
		*out = l->live;
	agg_empty(&l->live, l->total.link, l->total.link_index);
	l->live_intervals = 0;
	return n;
}

/* --- Reporting --- */

static double
agg_round3(double v)
{
	return round(v * 1000.0) / 1000.0;
}

/* Collects allocation failures so the builders stay linear. */
struct agg_out {
	bool failed;
};

static void
agg_put(struct agg_out *w, cJSON *o, const char *key, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToObject(o, key, item)) {
		cJSON_Delete(item);
		w->failed = true;
	}
}

static void
agg_put_num(struct agg_out *w, cJSON *o, const char *key, double v)
{
	agg_put(w, o, key, cJSON_CreateNumber(v));
}

/* A count or a time in ns: an exact integer, never through a double. */
static void
agg_put_u64(struct agg_out *w, cJSON *o, const char *key, uint64_t v)
{
	agg_put(w, o, key, record_json_u64(v));
}

/* ns as µs with 3 decimals. */
static void
agg_put_us(struct agg_out *w, cJSON *o, const char *key, double ns)
{
	agg_put(w, o, key, cJSON_CreateNumber(agg_round3(ns / 1000.0)));
}

static void
agg_put_ratio(struct agg_out *w, cJSON *o, const char *key, uint64_t num, uint64_t den)
{
	if (den == 0)
		agg_put(w, o, key, cJSON_CreateNull());
	else
		agg_put(w, o, key, cJSON_CreateNumber((double)num / (double)den));
}

static cJSON *
agg_rtt_json(struct agg_out *w, const struct hist *h)
{
	static const struct {
		const char *key;
		double q;
	} qs[] = {
		{ "p50", 0.50 }, { "p90", 0.90 }, { "p99", 0.99 }, { "p999", 0.999 },
	};
	cJSON *o = cJSON_CreateObject();
	unsigned i;

	if (o == NULL) {
		w->failed = true;
		return NULL;
	}
	if (h->count == 0) {
		agg_put(w, o, "min", cJSON_CreateNull());
		agg_put(w, o, "mean", cJSON_CreateNull());
		for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
			agg_put(w, o, qs[i].key, cJSON_CreateNull());
		agg_put(w, o, "max", cJSON_CreateNull());
		return o;
	}
	agg_put_us(w, o, "min", (double)h->min_ns);
	agg_put_us(w, o, "mean", (double)h->sum_ns / (double)h->count);
	for (i = 0; i < sizeof(qs) / sizeof(qs[0]); i++)
		agg_put_us(w, o, qs[i].key, (double)hist_quantile(h, qs[i].q));
	agg_put_us(w, o, "max", (double)h->max_ns);
	return o;
}

static cJSON *
agg_minmax_us_json(struct agg_out *w, const struct minmax *m)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL) {
		w->failed = true;
		return NULL;
	}
	if (m->count == 0) {
		agg_put(w, o, "min", cJSON_CreateNull());
		agg_put(w, o, "mean", cJSON_CreateNull());
		agg_put(w, o, "max", cJSON_CreateNull());
		return o;
	}
	agg_put_us(w, o, "min", (double)m->min);
	agg_put_us(w, o, "mean", (double)m->sum / (double)m->count);
	agg_put_us(w, o, "max", (double)m->max);
	return o;
}

/*
 * What the replies said of the far end's reflector (null without replies):
 * the verdicts, then the counts they were drawn from.
 */
static cJSON *
agg_refl_json(struct agg_out *w, const struct refl_seen *f)
{
	cJSON *o, *n;

	if (f->replies == 0)
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	n = cJSON_CreateObject();
	if (o == NULL || n == NULL) {
		cJSON_Delete(o);
		cJSON_Delete(n);
		w->failed = true;
		return NULL;
	}
	agg_put_u64(w, o, "replies", f->replies);
	agg_put(w, o, "ssid_echoed", cJSON_CreateBool(f->ssid_echoed == f->replies));
	agg_put(w, o, "stateful", cJSON_CreateBool(f->stateful != 0));
	agg_put_u64(w, o, "reply_bytes_min", f->bytes_min);
	agg_put_u64(w, o, "reply_bytes_max", f->bytes_max);
	agg_put(w, o, "sender_ttl_seen",
		cJSON_CreateBool(f->no_sender_ttl + f->sender_ttl_zero < f->replies));
	agg_put(w, o, "t2_equals_t3", cJSON_CreateBool(f->t2_eq_t3 == f->replies));
	agg_put(w, o, "timestamp_format", cJSON_CreateString(
		f->ptp == 0 ? "ntp" : f->ptp == f->replies ? "ptp" : "mixed"));
	agg_put(w, o, "tlvs_echoed", cJSON_CreateBool(f->trailer != 0));
	agg_put_u64(w, n, "ssid_echoed", f->ssid_echoed);
	agg_put_u64(w, n, "ssid_zero", f->ssid_zero);
	agg_put_u64(w, n, "stateful", f->stateful);
	agg_put_u64(w, n, "t2_equals_t3", f->t2_eq_t3);
	agg_put_u64(w, n, "ptp", f->ptp);
	agg_put_u64(w, n, "no_sender_ttl", f->no_sender_ttl);
	agg_put_u64(w, n, "sender_ttl_zero", f->sender_ttl_zero);
	agg_put_u64(w, n, "past_base_packet", f->trailer);
	agg_put(w, o, "counts", n);
	return o;
}

/* Ordinary link traffic and ICMP errors about our probes: apart from invalid. */
static void
agg_kinds_json(struct agg_out *w, cJSON *o, const struct link_counters *c)
{
	cJSON *ign = cJSON_CreateObject(), *icmp = cJSON_CreateObject();
	unsigned r;

	for (r = 0; ign != NULL && r < MP_IGN_MAX; r++)
		if (c->ignored[r] != 0)
			agg_put_u64(w, ign, mp_ignored_names[r], c->ignored[r]);
	for (r = 0; icmp != NULL && r < MP_ICMP_MAX; r++)
		if (c->icmp_errors[r] != 0)
			agg_put_u64(w, icmp, mp_icmp_err_names[r], c->icmp_errors[r]);
	agg_put(w, o, "ignored", ign);
	agg_put(w, o, "icmp_errors", icmp);
}

/* null without an outage; NULL on allocation failure */
static cJSON *
agg_outage_json(struct agg_out *w, const struct agg_link *l)
{
	cJSON *out;

	if (l->outages == 0)
		return cJSON_CreateNull();
	out = cJSON_CreateObject();
	if (out != NULL) {
		agg_put_u64(w, out, "count", l->outages);
		agg_put_num(w, out, "longest_s", agg_round3((double)l->outage_longest_ns / 1e9));
		agg_put_num(w, out, "total_s", agg_round3((double)l->outage_total_ns / 1e9));
	}
	return out;
}

/* null when the configured rate was reached; NULL on allocation failure */
static cJSON *
agg_shortfall_json(struct agg_out *w, const struct link_interval *t)
{
	double f, pps = (double)t->pacer_rate_mpps / 1000.0;
	cJSON *rs;

	if (!agg_rate_short(&t->c, &f))
		return cJSON_CreateNull();
	rs = cJSON_CreateObject();
	if (rs != NULL) {
		agg_put_num(w, rs, "configured_pps", pps);
		agg_put_num(w, rs, "achieved_pps", agg_round3(pps * f));
		agg_put_num(w, rs, "achieved_ratio", agg_round3(f));
		agg_put_u64(w, rs, "skipped", t->c.tx_skipped);
		agg_put_u64(w, rs, "tx_failed", t->c.tx_failed);
	}
	return rs;
}

static cJSON *
agg_link_json(struct agg_out *w, const struct agg_link *l)
{
	const struct link_interval *t = &l->total;
	const struct link_counters *c = &t->c;
	cJSON *o = cJSON_CreateObject();
	cJSON *reasons;
	uint64_t inv = 0;
	unsigned r;

	if (o == NULL) {
		w->failed = true;
		return NULL;
	}
	reasons = cJSON_CreateObject();
	for (r = MP_OK + 1; r < MP_R_REASON_MAX; r++) {
		inv += c->invalid[r];
		if (reasons != NULL && c->invalid[r] != 0)
			agg_put_u64(w, reasons, mp_reason_names[r], c->invalid[r]);
	}
	agg_put(w, o, "name", cJSON_CreateString(t->link));
	agg_put_u64(w, o, "sent", c->sent);
	agg_put_u64(w, o, "received", c->received);
	agg_put_u64(w, o, "lost", c->lost);
	agg_put_ratio(w, o, "loss_ratio", c->lost, c->received + c->lost);
	agg_put_ratio(w, o, "loss_ratio_of_sent", c->lost, c->sent);
	agg_put_u64(w, o, "late", c->late);
	agg_put_u64(w, o, "duplicates", c->duplicates);
	agg_put_u64(w, o, "reordered", c->reordered);
	agg_put_u64(w, o, "invalid", inv);
	agg_put(w, o, "invalid_by_reason", reasons);
	agg_kinds_json(w, o, c);
	agg_put_u64(w, o, "returned_via_other_link", c->other_link);
	agg_put_u64(w, o, "tx_failed", c->tx_failed);
	agg_put_u64(w, o, "tx_skipped", c->tx_skipped);
	agg_put_u64(w, o, "rtt_samples", t->rtt.count);
	agg_put(w, o, "rtt_us", agg_rtt_json(w, &t->rtt));
	if (l->jitter_n == 0) {
		agg_put(w, o, "jitter_us", cJSON_CreateNull());
		agg_put(w, o, "jitter_mean_us", cJSON_CreateNull());
	} else {
		agg_put_us(w, o, "jitter_us", (double)t->jitter_ns);
		agg_put_us(w, o, "jitter_mean_us",
			   (double)l->jitter_sum_ns / (double)l->jitter_n);
	}
	agg_put(w, o, "residence_us", agg_minmax_us_json(w, &t->residence_ns));
	agg_put(w, o, "reflector", agg_refl_json(w, &t->refl));
	agg_put_u64(w, o, "gaps", l->gaps);
	agg_put_num(w, o, "gap_s", agg_round3((double)l->gap_ns / 1e9));
	agg_put_u64(w, o, "intervals", l->intervals);
	agg_put_u64(w, o, "stale_records", l->stale);
	agg_put(w, o, "outage", agg_outage_json(w, l));
	agg_put(w, o, "rate_shortfall", agg_shortfall_json(w, t));
	/* probes whose fate is known, and not one answered */
	agg_put(w, o, "all_lost", cJSON_CreateBool(c->received == 0 && c->lost > 0));
	return o;
}

cJSON *
agg_link_object(const struct agg_link *l)
{
	struct agg_out w = { .failed = false };
	cJSON *o = agg_link_json(&w, l);

	if (w.failed) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

cJSON *
agg_summary_json(const struct agg_link *links, unsigned n, bool complete,
		 const char *end_reason, const cJSON *extra)
{
	struct agg_out w = { .failed = false };
	const cJSON *it;
	cJSON *o, *arr;
	unsigned i;

	o = cJSON_CreateObject();
	if (o == NULL)
		return NULL;
	agg_put(&w, o, "complete", cJSON_CreateBool(complete));
	agg_put(&w, o, "end_reason", end_reason != NULL ?
		cJSON_CreateString(end_reason) : cJSON_CreateNull());
	if (extra != NULL) {
		cJSON_ArrayForEach(it, extra) {
			if (it->string != NULL)
				agg_put(&w, o, it->string, cJSON_Duplicate(it, 1));
		}
	}
	arr = cJSON_CreateArray();
	for (i = 0; arr != NULL && i < n; i++) {
		cJSON *lo = agg_link_json(&w, &links[i]);

		if (lo == NULL || !cJSON_AddItemToArray(arr, lo)) {
			cJSON_Delete(lo);
			w.failed = true;
		}
	}
	agg_put(&w, o, "links", arr);
	if (w.failed) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* A duration in a short human unit, right-aligned to 8 characters. */
static void
agg_fmt_dur(char *buf, size_t len, const struct hist *h, double q)
{
	double us;

	if (h->count == 0) {
		snprintf(buf, len, "%8s", "-");
		return;
	}
	us = (double)hist_quantile(h, q) / 1000.0;
	if (us < 1000.0)
		snprintf(buf, len, "%6.1fus", us);
	else if (us < 1e6)
		snprintf(buf, len, "%6.2fms", us / 1000.0);
	else
		snprintf(buf, len, "%7.2fs", us / 1e6);
}

int
agg_live_line(const char *name, const struct link_interval *sec, char *buf,
	      size_t len)
{
	const struct link_counters *c = &sec->c;
	char loss[16], p50[24], p99[24], jit[24];
	uint64_t inv = 0;
	size_t used;
	unsigned r;
	int n;

	if (buf == NULL || len == 0)
		return -ENOSPC;
	for (r = MP_OK + 1; r < MP_R_REASON_MAX; r++)
		inv += c->invalid[r];
	if (c->received + c->lost == 0)
		snprintf(loss, sizeof(loss), "%6s", "-");
	else
		snprintf(loss, sizeof(loss), "%5.2f%%",
			 100.0 * (double)c->lost / (double)(c->received + c->lost));
	agg_fmt_dur(p50, sizeof(p50), &sec->rtt, 0.50);
	agg_fmt_dur(p99, sizeof(p99), &sec->rtt, 0.99);
	if (sec->rtt.count == 0) {
		snprintf(jit, sizeof(jit), "%8s", "-");
	} else {
		double us = (double)sec->jitter_ns / 1000.0;

		if (us < 1000.0)
			snprintf(jit, sizeof(jit), "%6.1fus", us);
		else
			snprintf(jit, sizeof(jit), "%6.2fms", us / 1000.0);
	}
	n = snprintf(buf, len,
		     "%-8s sent %9" PRIu64 " recv %9" PRIu64 " lost %6" PRIu64
		     " loss %s rtt p50 %s p99 %s jitter %s",
		     name != NULL ? name : sec->link, c->sent, c->received, c->lost,
		     loss, p50, p99, jit);
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	used = (size_t)n;

#define AGG_EXTRA(label, v) do {						\
		if ((v) != 0) {							\
			n = snprintf(buf + used, len - used, " %s %" PRIu64,	\
				     label, (uint64_t)(v));			\
			if (n < 0 || (size_t)n >= len - used)			\
				return -ENOSPC;					\
			used += (size_t)n;					\
		}								\
	} while (0)
	AGG_EXTRA("late", c->late);
	AGG_EXTRA("dup", c->duplicates);
	AGG_EXTRA("reord", c->reordered);
	AGG_EXTRA("inv", inv);
	AGG_EXTRA("other", c->other_link);
	AGG_EXTRA("txfail", c->tx_failed);
	AGG_EXTRA("skip", c->tx_skipped);
	AGG_EXTRA("out", sec->overdue);
	for (r = 0; r < MP_ICMP_MAX; r++)
		AGG_EXTRA(mp_icmp_err_names[r], c->icmp_errors[r]);
#undef AGG_EXTRA
	{
		double f;

		if (agg_rate_short(c, &f)) {
			n = snprintf(buf + used, len - used, " RATE SHORTFALL: %.1f%% of the rate sent",
				     100.0 * f);
			if (n < 0 || (size_t)n >= len - used)
				return -ENOSPC;
			used += (size_t)n;
		}
	}
	if (agg_interval_outage_ns(sec) != 0) {
		n = snprintf(buf + used, len - used, " OUTAGE: no replies for %.1f s",
			     (double)sec->no_reply_ns / 1e9);
		if (n < 0 || (size_t)n >= len - used)
			return -ENOSPC;
		used += (size_t)n;
	}
	return 0;
}
