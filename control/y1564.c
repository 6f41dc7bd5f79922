/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Y.1564's steps, KPIs and verdicts (see y1564.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "avail.h"
#include "y1564.h"

const char *
y1564_verdict_name(enum y1564_verdict v)
{
	static const char *const names[] = { "PASS", "FAIL", "NOT_JUDGED", "NOT_RUN" };

	return (unsigned int)v < sizeof(names) / sizeof(names[0]) ? names[v] : "?";
}

static void
y1564_step_set(struct y1564_step_plan *s, const char *label, enum y1564_kind kind,
	       double rate_bps, double cir_bps)
{
	snprintf(s->label, sizeof(s->label), "%s", label);
	s->kind = kind;
	s->rate_bps = rate_bps;
	s->load_pct = cir_bps > 0 ? 100.0 * rate_bps / cir_bps : 0;
}

int
y1564_steps(double cir_bps, double eir_bps, struct y1564_step_plan *out)
{
	static const char *const pct[] = { "25%", "50%", "75%", "100%" };
	int i, n = 0;

	for (i = 0; i < 4; i++)
		y1564_step_set(&out[n++], pct[i], Y1564_CIR_STEP, cir_bps * (i + 1) / 4.0, cir_bps);
	if (eir_bps > 0)
		y1564_step_set(&out[n++], "CIR+EIR", Y1564_EIR_STEP, cir_bps + eir_bps, cir_bps);
	/* without an EIR the policer is at CIR, and the step goes above that */
	y1564_step_set(&out[n++], "policing", Y1564_POLICING_STEP,
		       (cir_bps + eir_bps) * Y1564_POLICE_FACTOR, cir_bps);
	return n;
}

void
y1564_kpi_from_raw(const struct y1564_raw *r, struct y1564_kpi *k)
{
	double s = r->duration_ms / 1000.0;
	uint64_t carried = r->sent > r->lost ? r->sent - r->lost : 0;

	memset(k, 0, sizeof(*k));
	k->duration_ms = r->duration_ms;
	k->sent = r->sent;
	k->lost = r->lost;
	k->offered_bps = s > 0 ? r->sent * r->wire_bits / s : 0;
	k->ir_bps = s > 0 ? carried * r->wire_bits / s : 0;
	k->flr = r->sent > 0 ? (double)r->lost / (double)r->sent : 0;
	k->has_delay = r->rtt_samples > 0;
	if (k->has_delay) {
		k->ftd_us = r->rtt_mean_us;
		k->ftd_min_us = r->rtt_min_us;
		k->ftd_max_us = r->rtt_max_us;
		k->fdv_us = r->rtt_p99_us > r->rtt_min_us ? r->rtt_p99_us - r->rtt_min_us : 0;
	}
	k->has_avail = r->has_avail;
	k->avail = r->has_avail ? r->avail : NAN;
}

bool
y1564_avail(const uint64_t *sent, const uint64_t *lost, size_t n, uint8_t *scratch,
	    double *out)
{
	struct avail_result r;
	size_t i;

	for (i = 0; i < n; i++)
		scratch[i] = avail_classify(sent[i], lost[i]);
	avail_compute(scratch, n, scratch + n, &r);
	*out = r.availability;
	return r.seconds > 0;
}

/* Append "; what" to a reason being built. */
static void
y1564_add(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void
y1564_add(char *buf, size_t len, const char *fmt, ...)
{
	size_t used = strlen(buf);
	va_list ap;

	if (used > 0 && used + 2 < len) {
		memcpy(buf + used, "; ", 3);
		used += 2;
	}
	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, len - used, fmt, ap);
	va_end(ap);
}

/* The acceptance criteria against k; failures appended to reason. True when all hold. */
static bool
y1564_criteria_hold(const struct y1564_criteria *c, const struct y1564_kpi *k, char *reason,
		    size_t len)
{
	bool ok = true;

	if (k->sent == 0) {
		y1564_add(reason, len, "nothing was sent");
		return false;
	}
	if (!k->has_delay) {
		y1564_add(reason, len, "no frame came back: FTD and FDV unknown");
		ok = false;
	} else {
		if (k->ftd_us > c->ftd_us) {
			y1564_add(reason, len, "FTD %.1f us > %.1f us", k->ftd_us, c->ftd_us);
			ok = false;
		}
		if (k->fdv_us > c->fdv_us) {
			y1564_add(reason, len, "FDV %.1f us > %.1f us", k->fdv_us, c->fdv_us);
			ok = false;
		}
	}
	if (k->flr > c->flr) {
		y1564_add(reason, len, "FLR %.4g%% > %.4g%%", k->flr * 100, c->flr * 100);
		ok = false;
	}
	if (k->has_avail && k->avail < c->avail) {
		y1564_add(reason, len, "AVAIL %.4g%% < %.4g%%", k->avail * 100, c->avail * 100);
		ok = false;
	}
	return ok;
}

/* IR at least (1 - tolerance) of need_bps. */
static bool
y1564_ir_reaches(const struct y1564_judge *j, const struct y1564_kpi *k, double need_bps,
		 const char *what, char *reason, size_t len)
{
	if (k->ir_bps >= need_bps * (1 - j->tolerance))
		return true;
	y1564_add(reason, len, "IR %.3f Mb/s < %s %.3f Mb/s - %.3g%%%s", k->ir_bps / 1e6, what,
		  need_bps / 1e6, j->tolerance * 100,
		  k->offered_bps < need_bps * (1 - j->tolerance) ?
		  " (the sender itself sent less)" : "");
	return false;
}

static enum y1564_verdict
y1564_judge_police(const struct y1564_judge *j, const struct y1564_kpi *k, char *reason,
		   size_t len)
{
	double cap = (j->cir_bps + j->eir_bps) * (1 + j->tolerance);

	if (k->duration_ms > 0)
		cap += j->burst_bytes * 8.0 * 1000.0 / k->duration_ms;
	if (!j->policer) {
		y1564_add(reason, len, "not judged (no policer expected): IR %.3f Mb/s of %.3f "
			  "offered", k->ir_bps / 1e6, k->offered_bps / 1e6);
		return Y1564_NOT_JUDGED;
	}
	if (k->sent == 0) {
		y1564_add(reason, len, "nothing was sent");
		return Y1564_FAIL;
	}
	if (k->ir_bps > cap) {
		y1564_add(reason, len, "no policer seen: IR %.3f Mb/s > CIR+EIR + %.3g%%%s "
			  "(%.3f Mb/s)", k->ir_bps / 1e6, j->tolerance * 100,
			  j->burst_bytes > 0 ? " + CBS+EBS over the step" : "", cap / 1e6);
		return Y1564_FAIL;
	}
	y1564_add(reason, len, "policed: IR %.3f Mb/s <= %.3f Mb/s (FLR %.4g%%)", k->ir_bps / 1e6,
		  cap / 1e6, k->flr * 100);
	return Y1564_PASS;
}

enum y1564_verdict
y1564_judge_step(const struct y1564_judge *j, const struct y1564_step_plan *s,
		 const struct y1564_kpi *k, char *reason, size_t len)
{
	bool ok;

	reason[0] = '\0';
	switch (s->kind) {
	case Y1564_CIR_STEP:
		ok = y1564_criteria_hold(j->crit, k, reason, len);
		ok &= y1564_ir_reaches(j, k, s->rate_bps, "offered", reason, len);
		break;
	case Y1564_EIR_STEP:
		ok = k->sent > 0 && y1564_ir_reaches(j, k, j->cir_bps, "CIR", reason, len);
		if (ok)
			y1564_add(reason, len, "IR %.3f Mb/s >= CIR; FTD, FDV, FLR, AVAIL not "
				  "judged over the EIR share", k->ir_bps / 1e6);
		else if (k->sent == 0)
			y1564_add(reason, len, "nothing was sent");
		break;
	default:
		return y1564_judge_police(j, k, reason, len);
	}
	return ok ? Y1564_PASS : Y1564_FAIL;
}

enum y1564_verdict
y1564_judge_perf(const struct y1564_judge *j, const struct y1564_kpi *k, char *reason,
		 size_t len)
{
	struct y1564_step_plan s = { .kind = Y1564_CIR_STEP, .load_pct = 100,
				     .rate_bps = j->cir_bps };

	return y1564_judge_step(j, &s, k, reason, len);
}

enum y1564_verdict
y1564_verdict_fold(const enum y1564_verdict *v, int n)
{
	bool pass = false, not_run = false;
	int i;

	for (i = 0; i < n; i++) {
		if (v[i] == Y1564_FAIL)
			return Y1564_FAIL;
		pass |= v[i] == Y1564_PASS;
		not_run |= v[i] == Y1564_NOT_RUN;
	}
	return pass && !not_run ? Y1564_PASS : Y1564_NOT_RUN;
}

uint32_t
y1564_series_bin_s(uint32_t duration_s, uint32_t max_points)
{
	uint32_t b;

	if (max_points == 0)
		return duration_s > 0 ? duration_s : 1;
	b = (duration_s + max_points - 1) / max_points;
	return b > 0 ? b : 1;
}
