/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ITU-T Y.1564 (Ethernet service activation) as pure logic: the services
 * of the config's "y1564" section (y1564_config.c), the steps of a
 * service configuration test, the KPIs of a trial and their judgement
 * against the acceptance criteria, the verdicts per step, per service and
 * of the service performance test. No I/O: golive_y1564.c runs the trials
 * and hands their numbers here (test_y1564).
 *
 * The KPIs, as metroprobe measures them with STAMP (round trip):
 * - IR: the information rate carried, (sent - lost) frames times their
 *   wire bits ((frame + 20 B) * 8, as CIR and EIR are given) per second
 *   of the step;
 * - FTD: the mean round-trip delay (the reflector's residence subtracted);
 *   min and max are reported beside it;
 * - FDV: the 99th percentile of the round trip minus its minimum, RFC 5481's
 *   PDV (section 4.2) and Y.1563's 2-point frame delay variation with the
 *   minimum as reference: a quantile, not max - min;
 * - FLR: lost / sent;
 * - AVAIL: Y.1563's availability over the step's seconds (avail.h: 10
 *   severely errored seconds in a row begin unavailable time), counted on
 *   the CIR steps only (CIR-conformant traffic).
 */
#ifndef MP_Y1564_H
#define MP_Y1564_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mp_rate.h"

#define Y1564_MAX_SERVICES	16
#define Y1564_NAME_MAX		32
#define Y1564_STEPS		6	/* 25, 50, 75, 100% of CIR, CIR+EIR, policing */
#define Y1564_REASON_MAX	320
#define Y1564_POLICE_FACTOR	1.25	/* the policing step: 125% of CIR+EIR */
#define Y1564_IR_TOLERANCE	0.05	/* default share IR may fall short or go over */
#define Y1564_AVAIL_DEFAULT	0.999

struct y1564_criteria {
	double ftd_us;			/* mean round trip at most */
	double fdv_us;			/* p99 - min of the round trip at most */
	double flr;			/* loss ratio at most */
	double avail;			/* availability at least (0..1) */
};

struct y1564_service {
	char name[Y1564_NAME_MAX];	/* unique in the section */
	int link;			/* index into the config's links */
	char cls[Y1564_NAME_MAX];	/* a label: "voice", "business" */
	char cir_text[64], eir_text[64];
	struct rate cir, eir;		/* RATE_BPS or RATE_PPS; eir value 0: none */
	uint64_t cbs_bytes, ebs_bytes;	/* 0: not given */
	char frame_mix[128];		/* "" = the link's */
	int dscp;			/* -1 = the link's */
	int pcp;			/* -1 = the link's (outer VLAN tag) */
	bool policer;			/* judge the policing step (a policer is expected) */
	struct y1564_criteria crit;
};

/* The config's "y1564" section. */
struct y1564_cfg {
	int n;
	struct y1564_service svc[Y1564_MAX_SERVICES];
	uint32_t step_ms;		/* 0: the plan's */
	uint32_t performance_s;		/* 0: the plan's */
	double ir_tolerance;		/* share */
};

enum y1564_kind { Y1564_CIR_STEP = 0, Y1564_EIR_STEP, Y1564_POLICING_STEP };

enum y1564_verdict {
	Y1564_PASS = 0,
	Y1564_FAIL,
	Y1564_NOT_JUDGED,		/* measured and reported, nothing to judge */
	Y1564_NOT_RUN,			/* skipped or interrupted */
};

const char *y1564_verdict_name(enum y1564_verdict v);

struct y1564_step_plan {
	char label[12];			/* "25%" .. "100%", "CIR+EIR", "policing" */
	enum y1564_kind kind;
	double load_pct;		/* of CIR */
	double rate_bps;		/* offered, wire bits */
};

/*
 * The steps of a service with cir_bps and eir_bps (0: none): 25, 50, 75,
 * 100% of CIR, CIR+EIR (only with an EIR), policing at 125% of CIR+EIR.
 * Returns how many (5 or 6).
 */
int y1564_steps(double cir_bps, double eir_bps, struct y1564_step_plan *out);

/* What one trial measured, in the KPIs' terms. */
struct y1564_kpi {
	uint32_t duration_ms;
	uint64_t sent, lost;
	double offered_bps;		/* sent, in wire bits per second */
	double ir_bps;
	double flr;
	bool has_delay;
	double ftd_us, ftd_min_us, ftd_max_us, fdv_us;
	bool has_avail;
	double avail;
};

/* The raw numbers of a trial (a link or a stream of summary.json). */
struct y1564_raw {
	uint32_t duration_ms;
	uint64_t sent, lost;
	double wire_bits;		/* per frame, the mix's mean as sent */
	uint64_t rtt_samples;
	double rtt_min_us, rtt_mean_us, rtt_p99_us, rtt_max_us;
	bool has_avail;
	double avail;
};

void y1564_kpi_from_raw(const struct y1564_raw *r, struct y1564_kpi *k);

/*
 * Availability of n seconds, each with sent[i] probes of which lost[i]
 * were lost (avail.h). scratch: 2n bytes. false when no second had data.
 */
bool y1564_avail(const uint64_t *sent, const uint64_t *lost, size_t n, uint8_t *scratch,
		 double *out);

/* How one step, or the service performance test, is judged. */
struct y1564_judge {
	const struct y1564_criteria *crit;
	double cir_bps, eir_bps;
	double tolerance;		/* IR share */
	uint64_t burst_bytes;		/* cbs + ebs: what a policer lets through at once */
	bool policer;			/* the policing step is judged */
};

/*
 * The verdict of step s given k; reason (one line) says what failed, or
 * what was judged and how. The CIR steps: every criterion, and IR at least
 * (1 - tolerance) of the rate offered. CIR+EIR: IR at least (1 -
 * tolerance) of CIR; FTD, FDV, FLR, AVAIL are reported, not judged (Y.1564
 * promises nothing of the EIR share). Policing: IR at most (1 + tolerance)
 * of CIR+EIR plus the burst allowance over the step; NOT_JUDGED without a
 * policer expected.
 */
enum y1564_verdict y1564_judge_step(const struct y1564_judge *j, const struct y1564_step_plan *s,
				    const struct y1564_kpi *k, char *reason, size_t len);
/* The service performance test of one service: as a CIR step at 100%. */
enum y1564_verdict y1564_judge_perf(const struct y1564_judge *j, const struct y1564_kpi *k,
				    char *reason, size_t len);
/* FAIL when any is FAIL; PASS when any is PASS and none is NOT_RUN; else NOT_RUN. */
enum y1564_verdict y1564_verdict_fold(const enum y1564_verdict *v, int n);

/* One point of the performance test's series: one link over bin_s seconds. */
struct y1564_point {
	double t_s;			/* its start, from the trial's start */
	int link;
	double rtt_p50_us, rtt_p99_us;	/* NAN: no round trip in it */
	double loss_ratio;		/* lost / (received + lost); 0 without either */
	double ir_bps;
};

/* The bin length for a test of duration_s: one second, or longer so that a link has <= max points. */
uint32_t y1564_series_bin_s(uint32_t duration_s, uint32_t max_points);

#endif
