/* SPDX-License-Identifier: BSD-3-Clause */
#include "mp_time.h"

#define NTP_FRAC_ONE	(UINT64_C(1) << 32)

static inline uint64_t
sat_u64(unsigned __int128 v)
{
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* Nanoseconds (< 1 s) to a 32-bit NTP fraction, rounded to nearest. */
static inline uint64_t
ntp_frac_from_ns(uint64_t ns)
{
	return ((ns << 32) + NS_PER_S / 2) / NS_PER_S;
}

/* A 32-bit NTP fraction to nanoseconds, rounded (may give 1e9). */
static inline uint64_t
ntp_frac_to_ns(uint64_t frac)
{
	return (frac * NS_PER_S + NTP_FRAC_ONE / 2) >> 32;
}

uint64_t
ntp_from_unix_ns(uint64_t unix_ns)
{
	uint64_t sec = unix_ns / NS_PER_S + NTP_UNIX_OFFSET_S;

	return (sec << 32) + ntp_frac_from_ns(unix_ns % NS_PER_S);
}

/*
 * Seconds below the 1970 offset are read as NTP era 1 (2036 onwards), so the
 * result covers 1970 .. 2106 like the 32-bit seconds of the wire format.
 */
uint64_t
ntp_to_unix_ns(uint64_t ntp)
{
	uint32_t sec = (uint32_t)((ntp >> 32) - NTP_UNIX_OFFSET_S);

	return (uint64_t)sec * NS_PER_S + ntp_frac_to_ns(ntp & 0xffffffffu);
}

uint64_t
ptp_from_unix_ns(uint64_t unix_ns)
{
	uint64_t sec = (uint32_t)(unix_ns / NS_PER_S);

	return (sec << 32) | (unix_ns % NS_PER_S);
}

uint64_t
ptp_to_unix_ns(uint64_t ptp)
{
	/* a nanoseconds field >= 1e9 is malformed; it is added as it is */
	return (ptp >> 32) * NS_PER_S + (ptp & 0xffffffffu);
}

uint64_t
stamp_ts_to_unix_ns(uint64_t ts, bool z)
{
	return z ? ptp_to_unix_ns(ts) : ntp_to_unix_ns(ts);
}

/* Rounded half away from zero, so that diff(a, b) == -diff(b, a). */
int64_t
ntp_diff_ns(uint64_t a, uint64_t b)
{
	int64_t d = (int64_t)(a - b);
	uint64_t mag = d < 0 ? (uint64_t)0 - (uint64_t)d : (uint64_t)d;
	uint64_t ns = (uint64_t)(((unsigned __int128)mag * NS_PER_S + NTP_FRAC_ONE / 2) >> 32);

	return d < 0 ? -(int64_t)ns : (int64_t)ns;
}

void
tsc_clock_init(struct tsc_clock *c, uint64_t hz, uint64_t base_tsc,
	       uint64_t base_unix_ns)
{
	c->hz = hz;
	c->base_tsc = base_tsc;
	c->base_ntp = ntp_from_unix_ns(base_unix_ns);
	if (hz == 0) {
		/* a clock that does not tick rather than a division by zero */
		c->ntp_mult = 0;
		c->ns_mult = 0;
		return;
	}
	c->ntp_mult = sat_u64((((unsigned __int128)1 << 64) + hz / 2) / hz);
	c->ns_mult = sat_u64((((unsigned __int128)NS_PER_S << 32) + hz / 2) / hz);
}

uint64_t
tsc_clock_cycles(const struct tsc_clock *c, uint64_t ns)
{
	return sat_u64(((unsigned __int128)ns * c->hz + NS_PER_S / 2) / NS_PER_S);
}
