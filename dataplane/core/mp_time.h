/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time formats of STAMP (RFC 8762 section 4.2.1) and the TSC clock.
 *
 * NTP 64-bit: 32-bit seconds since 1900-01-01 and a 32-bit binary fraction.
 * PTPv2 truncated: 32-bit seconds since 1970-01-01 (TAI in PTP proper; we
 * carry the system's time scale and say so) and 32-bit nanoseconds.
 *
 * The TSC clock maps TSC cycles linearly onto NTP time. The mapping is fixed
 * for a run, so the difference of two mapped stamps is an exact function of
 * the cycle difference: round trips do not suffer from calibration drift,
 * only the absolute (wall clock) value does.
 */
#ifndef MP_TIME_H
#define MP_TIME_H

#include <stdint.h>
#include <stdbool.h>

#define NTP_UNIX_OFFSET_S	UINT64_C(2208988800)	/* 1900 -> 1970 */
#define MP_NS_PER_S		UINT64_C(1000000000)
/* DPDK defines NS_PER_S as a double; core code uses MP_NS_PER_S. */
#ifndef NS_PER_S
#define NS_PER_S		MP_NS_PER_S
#endif

/* Unix ns <-> NTP 64-bit (wraps in 2036 as NTP era 0 does; we accept era 1 via modulo). */
uint64_t ntp_from_unix_ns(uint64_t unix_ns);
uint64_t ntp_to_unix_ns(uint64_t ntp);
/* Unix ns <-> PTPv2 truncated (seconds << 32 | nanoseconds). */
uint64_t ptp_from_unix_ns(uint64_t unix_ns);
uint64_t ptp_to_unix_ns(uint64_t ptp);
/* A STAMP timestamp in either format (z = the Error Estimate's Z bit) to unix ns. */
uint64_t stamp_ts_to_unix_ns(uint64_t ts, bool z);
/* Signed difference a - b of two NTP stamps, in ns (exact to 1 ns; modular). */
int64_t ntp_diff_ns(uint64_t a, uint64_t b);

struct tsc_clock {
	uint64_t hz;		/* TSC frequency */
	uint64_t base_tsc;	/* TSC at base_ntp */
	uint64_t base_ntp;	/* NTP time at base_tsc */
	uint64_t ntp_mult;	/* NTP units (2^-32 s) per cycle, << 32 */
	uint64_t ns_mult;	/* ns per cycle, << 32 */
};

/* hz must be > 0; base_unix_ns is the wall clock read next to base_tsc. */
void tsc_clock_init(struct tsc_clock *c, uint64_t hz, uint64_t base_tsc,
		    uint64_t base_unix_ns);

/* NTP timestamp of a TSC reading: one 64x64->128 multiply. */
static inline uint64_t
tsc_clock_ntp(const struct tsc_clock *c, uint64_t tsc)
{
	uint64_t d = tsc - c->base_tsc;

	return c->base_ntp + (uint64_t)(((unsigned __int128)d * c->ntp_mult) >> 32);
}

static inline uint64_t
tsc_clock_ns(const struct tsc_clock *c, uint64_t cycles)
{
	return (uint64_t)(((unsigned __int128)cycles * c->ns_mult) >> 32);
}

/* ns -> cycles (for deadlines); not for the per-packet path. */
uint64_t tsc_clock_cycles(const struct tsc_clock *c, uint64_t ns);

#endif
