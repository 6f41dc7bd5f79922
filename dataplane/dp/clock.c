/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The process's clock: the TSC's real rate, measured at start, and one
 * fixed linear map from the TSC onto wall-clock time (NTP format), with the
 * quality our timestamps' Error Estimate states. Set once before any lcore
 * is launched, read-only after.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include <rte_cycles.h>

#include "mp_stamp.h"
#include "dp.h"

struct tsc_clock dp_clock;
uint64_t dp_tsc_hz;
uint16_t dp_clock_errest;
uint64_t dp_clock_error_ns;
bool dp_clock_synced;

uint64_t
dp_unix_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * MP_NS_PER_S + (uint64_t)ts.tv_nsec;
}

/*
 * How good our timestamps are, for the Error Estimate of every packet and
 * the hello record: the kernel's own estimate of its clock error (adjtimex:
 * synchronised to UTC or not, estimated error) plus the uncertainty of the
 * TSC anchor. Unsynchronised clocks report their maximum error, S = 0.
 */
static void
clock_quality(uint64_t anchor_cycles)
{
	struct timex tx;
	struct stamp_errest e;
	uint64_t err_ns = anchor_cycles * MP_NS_PER_S / dp_tsc_hz + 1;
	int state;

	memset(&tx, 0, sizeof(tx));
	state = adjtimex(&tx);
	dp_clock_synced = state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
	if (state >= 0)
		err_ns += (uint64_t)(dp_clock_synced ? tx.esterror : tx.maxerror) * 1000;
	dp_clock_error_ns = err_ns;
	stamp_errest_from_ns(&e, err_ns, dp_clock_synced, false);
	dp_clock_errest = stamp_errest_pack(&e);
}

/*
 * Anchor the TSC to the wall clock: take the tightest of a few
 * (tsc, realtime, tsc) brackets so the anchor error is a few ns.
 */
static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * MP_NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* The tightest of 16 (tsc, clock, tsc) brackets: *tsc is its middle; returns its width. */
static uint64_t
clock_bracket(clockid_t id, uint64_t *tsc, uint64_t *ns)
{
	uint64_t best_w = UINT64_MAX;
	int i;

	for (i = 0; i < 16; i++) {
		uint64_t a = rte_rdtsc_precise();
		uint64_t t = clock_ns(id);
		uint64_t b = rte_rdtsc_precise();

		if (b - a < best_w) {
			best_w = b - a;
			*tsc = a + (b - a) / 2;
			*ns = t;
		}
	}
	return best_w;
}

/*
 * The TSC's real rate, against CLOCK_MONOTONIC over TSC_CAL_MS. DPDK's
 * rte_get_tsc_hz() may be a nominal value: on this project's VM it says
 * 2.6 GHz while the TSC runs at 2596.1 MHz, 1486 ppm slower, which would make
 * every round trip and rate 0.15% wrong. Two brackets 50 ms apart give the
 * rate to a few ppm. A result more than 2% from the nominal one is not
 * believed (the thread was preempted throughout): the nominal rate is kept.
 */
#define TSC_CAL_MS	50

static uint64_t
tsc_hz_measure(void)
{
	uint64_t nominal = rte_get_tsc_hz(), t0 = 0, t1 = 0, n0 = 0, n1 = 0, hz;
	struct timespec ts = { 0, TSC_CAL_MS * 1000000L };

	clock_bracket(CLOCK_MONOTONIC, &t0, &n0);
	nanosleep(&ts, NULL);
	clock_bracket(CLOCK_MONOTONIC, &t1, &n1);
	if (n1 <= n0 || t1 <= t0)
		return nominal;
	hz = (uint64_t)(((unsigned __int128)(t1 - t0) * MP_NS_PER_S + (n1 - n0) / 2) / (n1 - n0));
	if (hz < nominal - nominal / 50 || hz > nominal + nominal / 50) {
		fprintf(stderr, "metroprobe-dp: TSC measured at %" PRIu64 " Hz, DPDK says %" PRIu64
			"; using DPDK's\n", hz, nominal);
		return nominal;
	}
	return hz;
}

void
dp_clock_init(void)
{
	uint64_t best_tsc = 0, best_ns = 0, w;

	dp_tsc_hz = tsc_hz_measure();
	w = clock_bracket(CLOCK_REALTIME, &best_tsc, &best_ns);
	tsc_clock_init(&dp_clock, dp_tsc_hz, best_tsc, best_ns);
	clock_quality(w);
}
