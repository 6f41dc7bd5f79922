/* SPDX-License-Identifier: BSD-3-Clause */
/* The site-diversity analysis of a pair of links (see diversity.h). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "avail.h"
#include "diversity.h"
#include "fate.h"
#include "mp_hist.h"
#include "mp_record.h"
#include "util.h"

#define NS_PER_S	UINT64_C(1000000000)

static void
div_ring_init(struct div_ring *r, size_t sz, size_t max)
{
	memset(r, 0, sizeof(*r));
	r->sz = sz;
	r->max = max > 0 ? max : 1;
}

static void *
div_ring_at(const struct div_ring *r, uint64_t k)
{
	if (k < r->first || k - r->first >= r->n)
		return NULL;
	return (char *)r->p + ((r->head + (size_t)(k - r->first)) % r->cap) * r->sz;
}

/*
 * Element number first + n, zeroed: the ring doubles up to max (copied in
 * order), then forgets its oldest. NULL on no memory.
 */
static void *
div_ring_push(struct div_ring *r)
{
	void *e;

	if (r->n == r->cap && r->cap < r->max) {
		size_t nc = r->cap != 0 ? r->cap * 2 : 256, tail;
		char *p;

		if (nc > r->max)
			nc = r->max;
		p = malloc(nc * r->sz);
		if (p == NULL)
			return NULL;
		tail = r->cap - r->head;
		if (r->n > 0) {
			memcpy(p, (char *)r->p + r->head * r->sz, tail * r->sz);
			memcpy(p + tail * r->sz, r->p, r->head * r->sz);
		}
		free(r->p);
		r->p = p;
		r->cap = nc;
		r->head = 0;
	}
	if (r->n == r->cap) {		/* full at max: the oldest goes */
		r->head = (r->head + 1) % r->cap;
		r->first++;
		r->n--;
	}
	r->n++;
	e = div_ring_at(r, r->first + r->n - 1);
	memset(e, 0, r->sz);
	return e;
}

int
diversity_init(struct diversity *d, const struct div_config *cfg, uint32_t interval_ms)
{
	uint64_t timeout_ns, windows;
	int i;

	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	if (d->cfg.parity_us <= 0)
		d->cfg.parity_us = DIV_PARITY_US;
	if (d->cfg.rule.loss_ratio <= 0)
		d->cfg.rule.loss_ratio = IMPAIRED_LOSS_RATIO;
	if (d->cfg.rule.rtt_excess_ns == 0)
		d->cfg.rule.rtt_excess_ns = IMPAIRED_RTT_EXCESS_NS;
	if (d->cfg.min_episodes == 0)
		d->cfg.min_episodes = DIV_MIN_EPISODES;
	if (d->cfg.keep_s == 0)
		d->cfg.keep_s = DIV_KEEP_S;
	d->interval_ns = (uint64_t)(interval_ms != 0 ? interval_ms : 1000) * 1000000;
	timeout_ns = (uint64_t)d->cfg.loss_timeout_ms * 1000000;
	windows = (uint64_t)d->cfg.keep_s * NS_PER_S / d->interval_ns;
	div_ring_init(&d->s, sizeof(struct div_sample),
		      (size_t)(windows < DIV_WINDOWS_MAX ? windows : DIV_WINDOWS_MAX));
	div_ring_init(&d->sec, sizeof(struct div_second), d->cfg.keep_s + 1);
	for (i = 0; i < 2; i++) {
		impaired_init(&d->imp[i], &d->cfg.rule);
		if (lossattr_init(&d->la[i], d->interval_ns, timeout_ns, DIV_SETTLE_MARGIN) != 0) {
			diversity_free(d);
			return -ENOMEM;
		}
	}
	return 0;
}

void
diversity_free(struct diversity *d)
{
	lossattr_free(&d->la[0]);
	lossattr_free(&d->la[1]);
	free(d->s.p);
	free(d->sec.p);
	free(d->scratch);
	d->s.p = d->sec.p = d->scratch = NULL;
	d->scratch_cap = 0;
	diversity_path_free(d);
	d->s.n = d->s.cap = d->sec.n = d->sec.cap = 0;
}

const struct div_sample *
diversity_sample(const struct diversity *d, uint64_t w)
{
	return div_ring_at(&d->s, w);
}

uint64_t
diversity_window_ns(const struct diversity *d, uint64_t w)
{
	return d->t0_ns + w * d->interval_ns;
}

/*
 * How much of window sl an impaired link was impaired (div_sample.share):
 * the share of its probes lost (or unanswered in an outage), unless the
 * loss alone would not have made it impaired (then the delay did: all).
 */
static uint8_t
div_share(const struct impaired_link *l, const struct lossattr_slot *sl, uint8_t st)
{
	uint64_t lost = sl->lost, known = sl->received + sl->lost;

	if (st != FATE_IMPAIRED)
		return 0;
	if (sl->outage && sl->sent > sl->received && sl->sent - sl->received > lost)
		lost = sl->sent - sl->received;
	if (sl->sent == 0 || (!sl->outage && (double)lost <= l->rule.loss_ratio * (double)known))
		return 255;
	if (lost >= sl->sent)
		return 255;
	return (uint8_t)(1 + lost * 254 / sl->sent);
}

static uint32_t
div_u32(uint64_t ns)
{
	return ns > UINT32_MAX ? UINT32_MAX : (uint32_t)ns;
}

/*
 * Window d->settled is final on both links: judged, kept, and its probes
 * counted in its second (seconds count from the first record's start,
 * window 1).
 */
static int
div_settle(struct diversity *d)
{
	uint64_t w = d->settled, sec = w > 0 ? (w - 1) * d->interval_ns / NS_PER_S : 0;
	struct div_sample *s = div_ring_push(&d->s);
	struct div_second *ps = NULL;
	int k;

	if (s == NULL)
		return -ENOMEM;
	while (d->sec.first + d->sec.n <= sec)
		if (div_ring_push(&d->sec) == NULL)
			return -ENOMEM;
	ps = div_ring_at(&d->sec, sec);
	for (k = 0; k < 2; k++) {
		struct lossattr_slot sl;

		lossattr_pop(&d->la[k], &sl);
		s->state[k] = sl.seen ? impaired_judge_slot(&d->imp[k], &sl) : FATE_UNKNOWN;
		s->share[k] = div_share(&d->imp[k], &sl, s->state[k]);
		s->min_ns[k] = div_u32(sl.min_ns);
		s->p50_ns[k] = div_u32(sl.p50_ns);
		if (ps != NULL) {
			ps->sent[k] += sl.sent;
			ps->lost[k] += sl.lost < sl.sent ? sl.lost : sl.sent;
		}
	}
	d->settled++;
	return 0;
}

/*
 * Each link's dataplane lane cuts its own windows: the two links' records
 * of one interval start close to each other but not at the same instant
 * (and seq counts per link from its own start), so they are aligned by
 * start time rounded to the interval, from one interval before the first
 * record seen (a record of the other link may start a little earlier). A
 * window is final once a record DIV_SETTLE_MARGIN windows past its loss
 * horizon came on either link (the other link's may lag a little).
 */
int
diversity_add(struct diversity *d, int link, const struct link_interval *li)
{
	uint64_t k;

	if (link < 0 || link > 1)
		return 0;
	if (!d->started) {
		d->t0_ns = li->start_unix_ns > d->interval_ns ? li->start_unix_ns - d->interval_ns : 0;
		d->started = true;
	}
	if (li->start_unix_ns < d->t0_ns)
		return 0;
	k = (li->start_unix_ns - d->t0_ns + d->interval_ns / 2) / d->interval_ns;
	if (k < d->settled)
		k = d->settled;		/* too late for its window: the oldest open one */
	while (k >= d->settled + d->la[0].cap)
		if (div_settle(d) != 0)
			return -ENOMEM;
	lossattr_add(&d->la[link], k, li);
	d->other_link[link] += li->c.other_link;
	if (k > d->newest)
		d->newest = k;
	while (d->settled + d->la[0].horizon + DIV_SETTLE_MARGIN <= d->newest)
		if (div_settle(d) != 0)
			return -ENOMEM;
	return 0;
}

/*
 * Every page of p written, so that it is resident now. Not memset: the
 * compiler turns malloc and a memset to 0 into calloc, whose fresh pages
 * stay unmapped until first written (the rings then entered serve's RSS
 * 13.6 KiB a minute, for a day). explicit_bzero is never folded away.
 */
static void
div_touch(void *p, size_t len)
{
	explicit_bzero(p, len);
}

/* All of r's room at once, its pages touched: the memory it will ever take, now. */
static int
div_ring_reserve(struct div_ring *r)
{
	char *p;

	if (r->cap == r->max)
		return 0;
	p = malloc(r->max * r->sz);
	if (p == NULL)
		return -ENOMEM;
	div_touch(p, r->max * r->sz);
	if (r->n > 0) {
		size_t tail = r->cap - r->head;

		memcpy(p, (char *)r->p + r->head * r->sz, tail * r->sz);
		memcpy(p + tail * r->sz, r->p, r->head * r->sz);
	}
	free(r->p);
	r->p = p;
	r->cap = r->max;
	r->head = 0;
	return 0;
}

/* What diversity_object() copies out of n windows and n_sec seconds (div_delay, div_fate, div_avail). */
static size_t
div_scratch_need(size_t n, size_t n_sec)
{
	size_t w = (n + 1) * sizeof(double), s = 4 * (n_sec + 1);

	return w > s ? w : s;
}

/*
 * d's scratch of at least need bytes, kept. It grows by doubling (up to
 * what the rings at their largest need), not by each call's few windows
 * more; grown, it is touched like a reserved ring.
 */
static int
div_scratch(struct diversity *d, size_t need)
{
	size_t most = div_scratch_need(d->s.max, d->sec.max);
	void *p;

	if (need <= d->scratch_cap)
		return 0;
	if (need < 2 * d->scratch_cap)
		need = 2 * d->scratch_cap < most ? 2 * d->scratch_cap : most;
	p = malloc(need);
	if (p == NULL)
		return -ENOMEM;
	div_touch(p, need);
	free(d->scratch);
	d->scratch = p;
	d->scratch_cap = need;
	return 0;
}

int
diversity_reserve(struct diversity *d)
{
	if (div_ring_reserve(&d->s) != 0 || div_ring_reserve(&d->sec) != 0 ||
	    div_scratch(d, div_scratch_need(d->s.max, d->sec.max)) != 0)
		return -ENOMEM;
	return 0;
}

size_t
diversity_bytes(const struct diversity *d)
{
	return sizeof(*d) + d->s.cap * d->s.sz + d->sec.cap * d->sec.sz + d->scratch_cap +
	       (d->la[0].cap + d->la[1].cap) * sizeof(struct lossattr_slot);
}

/* Everything the verdict and the object are made of. */
struct div_calc {
	struct fate_stats fs;
	double shift_p;
	size_t episodes[2];		/* impairment episodes per link */
	size_t co_episodes;
	double joint_s;			/* windows both impaired, whole */
	double joint_down_s;		/* the same weighed by the share both were impaired */
	struct avail_pair av;
	double dmin_us, dp50[3];	/* NAN when unknown; dp50: p10, median, p90 */
	bool have_delay;
	bool distinct;
};

static void
div_swap(double *v, ptrdiff_t i, ptrdiff_t j)
{
	double t = v[i];

	v[i] = v[j];
	v[j] = t;
}

/* v[root] sunk into the max-heap v[0..end). */
static void
div_sift(double *v, ptrdiff_t root, ptrdiff_t end)
{
	ptrdiff_t child;

	for (; (child = 2 * root + 1) < end; root = child) {
		if (child + 1 < end && v[child] < v[child + 1])
			child++;
		if (!(v[root] < v[child]))
			return;
		div_swap(v, root, child);
	}
}

/* v[0..n) in order, in place: the way out of a selection that does not converge. */
static void
div_heapsort(double *v, ptrdiff_t n)
{
	ptrdiff_t i;

	for (i = n / 2 - 1; i >= 0; i--)
		div_sift(v, i, n);
	for (i = n - 1; i > 0; i--) {
		div_swap(v, 0, i);
		div_sift(v, 0, i);
	}
}

double
diversity_nth_rounds(double *v, size_t n, size_t k, unsigned rounds)
{
	ptrdiff_t l = 0, r = (ptrdiff_t)n - 1, i, j, kk = (ptrdiff_t)k;
	double x, a, b, c;

	while (l < r) {
		if (rounds-- == 0) {
			div_heapsort(v + l, r - l + 1);
			break;
		}
		/* Hoare's FIND around the median of three (a value in v[l..r]: the scans stop) */
		a = v[l];
		b = v[l + (r - l) / 2];
		c = v[r];
		x = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		i = l;
		j = r;
		do {
			while (v[i] < x)
				i++;
			while (x < v[j])
				j--;
			if (i <= j)
				div_swap(v, i++, j--);
		} while (i <= j);
		if (j < kk)
			l = i;
		if (kk < i)
			r = j;
	}
	return v[k];
}

double
diversity_nth(double *v, size_t n, size_t k)
{
	unsigned rounds = 16;
	size_t m;

	for (m = n; m > 1; m >>= 1)
		rounds += 2;
	return diversity_nth_rounds(v, n, k, rounds);
}

/* The q quantile of v[0..n) (the ceil(q n)-th smallest), by selection: v is reordered. */
static double
div_quantile(double *v, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);

	return diversity_nth(v, n, k > 0 ? k - 1 : 0);
}

/* The round-trip differences a - b: lowest minimum of each, and per-interval medians. */
static void
div_delay(const struct diversity *d, struct div_calc *c)
{
	uint64_t mn[2] = { UINT64_MAX, UINT64_MAX }, w;
	double *v = d->scratch;		/* (s.n + 1) doubles */
	size_t k, m = 0;

	for (w = d->s.first; w < d->s.first + d->s.n; w++) {
		const struct div_sample *s = div_ring_at(&d->s, w);

		for (k = 0; k < 2; k++)
			if (s->min_ns[k] != 0 && s->min_ns[k] < mn[k])
				mn[k] = s->min_ns[k];
		if (s->p50_ns[0] != 0 && s->p50_ns[1] != 0)
			v[m++] = ((double)s->p50_ns[0] - (double)s->p50_ns[1]) / 1e3;
	}
	c->have_delay = mn[0] != UINT64_MAX && mn[1] != UINT64_MAX;
	c->dmin_us = c->have_delay ? ((double)mn[0] - (double)mn[1]) / 1e3 : NAN;
	c->dp50[0] = c->dp50[1] = c->dp50[2] = NAN;
	if (m > 0) {
		/* selection, not qsort: glibc's qsort mallocs a copy of v, 8 B a window */
		c->dp50[0] = div_quantile(v, m, 0.1);
		c->dp50[1] = div_quantile(v, m, 0.5);
		c->dp50[2] = div_quantile(v, m, 0.9);
	}
}

/* Availability of each link and of the pair, from per-second loss. */
static void
div_avail(const struct diversity *d, struct div_calc *c)
{
	size_t n = d->sec.n, i;
	uint8_t *buf = d->scratch;	/* 4 (sec.n + 1) bytes */

	for (i = 0; i < n; i++) {
		const struct div_second *ps = div_ring_at(&d->sec, d->sec.first + i);

		buf[i] = avail_classify(ps->sent[0], ps->lost[0]);
		buf[n + i] = avail_classify(ps->sent[1], ps->lost[1]);
	}
	avail_pair(buf, buf + n, n, buf + 2 * n, &c->av);
}

/* Shared fate: the table, the nulls, the episodes (into r). */
static void
div_fate(const struct diversity *d, struct div_calc *c, struct div_result *r)
{
	size_t i, n = d->s.n, min_lag = (size_t)(NS_PER_S / d->interval_ns);
	uint8_t *a = d->scratch, *b = a + n;	/* 2 (s.n + 1) bytes */
	struct fate_episode ep[DIV_EPISODES_MAX];
	struct fate_table t;

	for (i = 0; i < n; i++) {
		const struct div_sample *s = div_ring_at(&d->s, d->s.first + i);

		a[i] = s->state[0];
		b[i] = s->state[1];
		c->joint_down_s += (double)(s->share[0] < s->share[1] ? s->share[0] : s->share[1]) /
				   255.0 * (double)d->interval_ns / 1e9;
	}
	fate_table(a, b, n, &t);
	fate_stats(&t, &c->fs);
	/* lags under a second would compare a burst with itself */
	c->shift_p = fate_shift_p(a, b, n, min_lag > 0 ? min_lag : 1, NULL);
	c->episodes[0] = fate_episodes(a, a, n, NULL, 0);
	c->episodes[1] = fate_episodes(b, b, n, NULL, 0);
	c->co_episodes = fate_episodes(a, b, n, ep, DIV_EPISODES_MAX);
	c->joint_s = (double)t.n11 * (double)d->interval_ns / 1e9;
	r->n_episodes = c->co_episodes < DIV_EPISODES_MAX ? c->co_episodes : DIV_EPISODES_MAX;
	for (i = 0; i < r->n_episodes; i++) {
		r->ep[i].start_unix_ns = diversity_window_ns(d, d->s.first + ep[i].first);
		r->ep[i].end_unix_ns = r->ep[i].start_unix_ns + ep[i].count * d->interval_ns;
	}
}

static void
div_reason(struct div_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
div_reason(struct div_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n_reasons >= (int)(sizeof(r->reason) / sizeof(r->reason[0])))
		return;
	va_start(ap, fmt);
	vsnprintf(r->reason[r->n_reasons++], sizeof(r->reason[0]), fmt, ap);
	va_end(ap);
}

/*
 * Shared risk: evidence that the links fail together (see diversity.h).
 * The effect size is phi, not lift: lift cannot exceed 1 / P(impaired),
 * so two links that are impaired much of the time together (a conduit
 * flapping 1 s of every 3 s) have a lift under 3 and a phi near 1.
 */
static bool
div_shared(const struct div_calc *c, struct div_result *r)
{
	const struct fate_stats *f = &c->fs;
	bool hit = false;

	if (c->av.pair_down >= DIV_PAIR_DOWN_S) {
		div_reason(r, "the pair was unavailable for %llu s (both links down)",
			   (unsigned long long)c->av.pair_down);
		hit = true;
	}
	if (isnan(f->phi) || f->phi < DIV_MIN_PHI)
		return hit;
	if (c->co_episodes >= DIV_MIN_CO_EPISODES && !isnan(c->shift_p) &&
	    c->shift_p < DIV_SHIFT_P) {
		div_reason(r, "co-impaired in %zu episodes (%.1f s, both down %.1f s), phi %.2f, "
			   "lift %.2f, time-shift p %.3f < %.2f", c->co_episodes, c->joint_s,
			   c->joint_down_s, f->phi, f->lift, c->shift_p, DIV_SHIFT_P);
		hit = true;
	} else if (c->joint_s >= DIV_JOINT_S && f->fisher_p < DIV_SHIFT_P) {
		/* a periodic common cause defeats the time-shift null: its period is a lag */
		div_reason(r, "both links impaired together for %.1f s (down %.1f s) in %zu "
			   "episodes, phi %.2f, Fisher p %.2g", c->joint_s, c->joint_down_s,
			   c->co_episodes, f->phi, f->fisher_p);
		hit = true;
	}
	return hit;
}

static const char *
div_verdict(const struct diversity *d, const struct div_calc *c, struct div_result *r)
{
	const struct fate_stats *f = &c->fs;
	size_t lo = c->episodes[0] < c->episodes[1] ? c->episodes[0] : c->episodes[1];
	size_t hi = c->episodes[0] > c->episodes[1] ? c->episodes[0] : c->episodes[1];

	if (d->cfg.circuit != NULL && strcmp(d->cfg.circuit, "standard") == 0) {
		div_reason(r, "a standard circuit: both links at one peering location");
		return "NOT-DIVERSE";
	}
	if (!c->distinct) {
		div_reason(r, "both links at one location (%s)",
			   d->cfg.location[0] != NULL ? d->cfg.location[0] : "unknown");
		return "NOT-DIVERSE";
	}
	/* both checked: every reason is given */
	if (div_shared(c, r) | diversity_path_shared(d, r))
		return "SHARED-RISK";
	if (f->n < DIV_MIN_INTERVALS) {
		div_reason(r, "%llu intervals known on both links, fewer than %d",
			   (unsigned long long)f->n, DIV_MIN_INTERVALS);
		return "INSUFFICIENT-EVIDENCE";
	}
	if (lo >= d->cfg.min_episodes) {
		div_reason(r, "%zu and %zu impairment episodes, no significant co-impairment "
			   "(lift %.2f, time-shift p %.3f)", c->episodes[0], c->episodes[1],
			   f->lift, c->shift_p);
		return "DIVERSE";
	}
	if (hi >= d->cfg.min_episodes && f->t.n11 == 0) {
		div_reason(r, "one link impaired in %zu episodes, the other never with it "
			   "(%llu intervals)", hi, (unsigned long long)f->n);
		return "DIVERSE";
	}
	div_reason(r, "%zu and %zu impairment episodes, fewer than %u on %s", c->episodes[0],
		   c->episodes[1], d->cfg.min_episodes, hi < d->cfg.min_episodes ? "both" : "one");
	return "INSUFFICIENT-EVIDENCE";
}

/* Fixed-point, six decimals: a Fisher p can be 1e-40, printed 0. */
static void
div_add_num(cJSON *o, const char *key, double v)
{
	mp_json_add_fixed(o, key, v, 6);
}

static void
div_add_str2(cJSON *o, const char *key, const char *const v[2])
{
	cJSON *arr = cJSON_AddArrayToObject(o, key);
	int i;

	for (i = 0; arr != NULL && i < 2; i++)
		cJSON_AddItemToArray(arr, v[i] != NULL ? cJSON_CreateString(v[i]) : cJSON_CreateNull());
}

static void
div_json_config(const struct diversity *d, const struct div_calc *c, cJSON *o)
{
	cJSON *cf = cJSON_AddObjectToObject(o, "configuration");
	cJSON *dl = cJSON_AddObjectToObject(o, "delay"), *p50;

	cJSON_AddStringToObject(cf, "circuit", d->cfg.circuit != NULL ? d->cfg.circuit : "metro");
	div_add_str2(cf, "locations", d->cfg.location);
	div_add_str2(cf, "facilities", d->cfg.facility);
	cJSON_AddBoolToObject(cf, "distinct_locations", c->distinct);
	div_add_num(dl, "delta_min_us", c->dmin_us);
	p50 = cJSON_AddObjectToObject(dl, "delta_p50_us");
	div_add_num(p50, "p10", c->dp50[0]);
	div_add_num(p50, "median", c->dp50[1]);
	div_add_num(p50, "p90", c->dp50[2]);
	div_add_num(dl, "parity_bound_us", d->cfg.parity_us);
	if (c->have_delay)
		cJSON_AddBoolToObject(dl, "parity", fabs(c->dmin_us) <= d->cfg.parity_us);
	else
		cJSON_AddNullToObject(dl, "parity");
}

static void
div_json_fate(const struct diversity *d, const struct div_calc *c, const struct div_result *r,
	      cJSON *o)
{
	cJSON *sf = cJSON_AddObjectToObject(o, "shared_fate"), *eps;
	const struct fate_stats *f = &c->fs;
	size_t i;

	record_add_u64(sf, "intervals", f->n);
	record_add_u64(sf, "impaired_a", f->t.n11 + f->t.n10);
	record_add_u64(sf, "impaired_b", f->t.n11 + f->t.n01);
	record_add_u64(sf, "impaired_both", f->t.n11);
	record_add_u64(sf, "unknown", f->t.unknown);
	record_add_u64(sf, "episodes_a", c->episodes[0]);
	record_add_u64(sf, "episodes_b", c->episodes[1]);
	div_add_num(sf, "p_b_given_a", f->p_b_given_a);
	div_add_num(sf, "p_a_given_b", f->p_a_given_b);
	div_add_num(sf, "lift", f->lift);
	div_add_num(sf, "phi", f->phi);
	div_add_num(sf, "fisher_p", f->fisher_p);
	div_add_num(sf, "shift_p", c->shift_p);
	div_add_num(sf, "joint_impaired_s", c->joint_s);
	div_add_num(sf, "joint_down_s", round(c->joint_down_s * 1e3) / 1e3);
	eps = cJSON_AddArrayToObject(sf, "episodes");
	for (i = 0; i < r->n_episodes; i++) {
		cJSON *e = cJSON_CreateObject();

		record_add_u64(e, "start_unix_ns", r->ep[i].start_unix_ns);
		record_add_u64(e, "end_unix_ns", r->ep[i].end_unix_ns);
		div_add_num(e, "duration_s",
			    (double)(r->ep[i].end_unix_ns - r->ep[i].start_unix_ns) / 1e9);
		cJSON_AddItemToArray(eps, e);
	}
	(void)d;
}

static void
div_json_rest(const struct diversity *d, const struct div_calc *c, cJSON *o)
{
	cJSON *rp = cJSON_AddObjectToObject(o, "return_path");
	cJSON *av = cJSON_AddObjectToObject(o, "availability");

	record_add_u64(rp, "a_via_b", d->other_link[0]);
	record_add_u64(rp, "b_via_a", d->other_link[1]);
	div_add_num(av, "a", c->av.a.availability);
	div_add_num(av, "b", c->av.b.availability);
	div_add_num(av, "pair", c->av.pair);
	div_add_num(av, "pair_if_independent", c->av.pair_if_independent);
	record_add_u64(av, "pair_down_s", c->av.pair_down);
	record_add_u64(av, "seconds", c->av.seconds);
	diversity_path_json(d, o);
}

/* How it was judged, and what it covers: the windows kept, the last keep_s. */
static void
div_json_basis(const struct diversity *d, cJSON *o)
{
	cJSON *th = cJSON_AddObjectToObject(o, "thresholds");
	cJSON *se = cJSON_AddObjectToObject(o, "series");
	uint64_t end = d->s.first + d->s.n;

	div_add_num(th, "loss_ratio", d->cfg.rule.loss_ratio);
	div_add_num(th, "rtt_excess_us", (double)d->cfg.rule.rtt_excess_ns / 1e3);
	record_add_u64(th, "min_episodes", d->cfg.min_episodes);
	record_add_u64(th, "loss_timeout_ms", d->cfg.loss_timeout_ms);
	record_add_u64(se, "start_unix_ns", d->s.n > 0 ? diversity_window_ns(d, d->s.first) : 0);
	record_add_u64(se, "end_unix_ns", d->s.n > 0 ? diversity_window_ns(d, end) : 0);
	record_add_u64(se, "windows", d->s.n);
	record_add_u64(se, "dropped", d->s.first);
	record_add_u64(se, "keep_s", d->cfg.keep_s);
}

cJSON *
diversity_object(struct diversity *d, struct div_result *r)
{
	struct div_calc c;
	cJSON *o, *rs;
	int i;

	memset(&c, 0, sizeof(c));
	memset(r, 0, sizeof(*r));
	c.distinct = d->cfg.location[0] != NULL && d->cfg.location[1] != NULL &&
		     strcasecmp(d->cfg.location[0], d->cfg.location[1]) != 0;
	if (div_scratch(d, div_scratch_need(d->s.n, d->sec.n)) != 0)
		return NULL;
	/* one after the other in the scratch */
	div_fate(d, &c, r);
	div_delay(d, &c);
	div_avail(d, &c);
	r->verdict = div_verdict(d, &c, r);
	o = cJSON_CreateObject();
	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "verdict", r->verdict);
	rs = cJSON_AddArrayToObject(o, "reasons");
	for (i = 0; i < r->n_reasons; i++)
		cJSON_AddItemToArray(rs, cJSON_CreateString(r->reason[i]));
	div_json_config(d, &c, o);
	div_json_fate(d, &c, r, o);
	div_json_rest(d, &c, o);
	div_json_basis(d, o);
	return o;
}

int
diversity_flush(struct diversity *d)
{
	while (d->started && d->settled <= d->newest)
		if (div_settle(d) != 0)
			return -ENOMEM;
	return 0;
}

cJSON *
diversity_finish(struct diversity *d, struct div_result *r)
{
	return diversity_flush(d) == 0 ? diversity_object(d, r) : NULL;
}
