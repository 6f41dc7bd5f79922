/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mp_rate.h"

#define PPM_PER_PCT	10000u		/* 1% = 10 000 ppm */
#define PPM_FULL	1000000u	/* 100% */

/* One unit the parser accepts: its spelling and the decimal exponent of its scale. */
struct rate_unit {
	const char *suffix;
	enum rate_kind kind;
	unsigned exp10;		/* stored value = number * 10^exp10 */
};

static const struct rate_unit rate_units[] = {
	{ "pps", RATE_PPS, 3 },
	{ "kpps", RATE_PPS, 6 },
	{ "Kpps", RATE_PPS, 6 },
	{ "Mpps", RATE_PPS, 9 },
	{ "Gpps", RATE_PPS, 12 },
	{ "bps", RATE_BPS, 0 },
	{ "kbps", RATE_BPS, 3 },
	{ "Kbps", RATE_BPS, 3 },
	{ "Mbps", RATE_BPS, 6 },
	{ "Gbps", RATE_BPS, 9 },
	{ "%", RATE_PCT, 4 },
};

static int
rate_fail(const char **err, const char *why)
{
	if (err != NULL)
		*err = why;
	return -EINVAL;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Integers only, so that "9.5Gbps" is exactly 9 500 000 000 and a printed
 * rate parses back to the same value; digits finer than the unit's
 * resolution are accepted only when they are zeros.
 */
int
rate_parse(const char *s, struct rate *r, const char **err)
{
	const char *int_digits, *frac_digits = NULL, *suffix, *p;
	size_t n_int = 0, n_frac = 0, i;
	const struct rate_unit *u = NULL;
	unsigned __int128 v = 0;

	if (s == NULL || r == NULL)
		return rate_fail(err, "missing rate");
	if (*s == '\0')
		return rate_fail(err, "empty rate");
	if (strcmp(s, "line") == 0) {
		r->kind = RATE_LINE;
		r->value = 0;
		return 0;
	}
	for (p = s; *p != '\0'; p++)
		if (*p == ' ' || (*p >= '\t' && *p <= '\r'))
			return rate_fail(err, "spaces are not allowed in a rate");
	if (*s == '-')
		return rate_fail(err, "a rate cannot be negative");
	if (!is_digit(*s))
		return rate_fail(err, "expected a number (e.g. 1000pps, 10Mbps, 5%, line)");
	int_digits = s;
	for (p = s; is_digit(*p); p++)
		n_int++;
	if (*p == '.') {
		p++;
		frac_digits = p;
		for (; is_digit(*p); p++)
			n_frac++;
		if (n_frac == 0)
			return rate_fail(err, "expected digits after the decimal point");
	}
	suffix = p;
	if (*suffix == '\0')
		return rate_fail(err, "missing unit (pps, bps, % or line)");
	for (i = 0; i < sizeof(rate_units) / sizeof(rate_units[0]); i++) {
		if (strcmp(suffix, rate_units[i].suffix) == 0) {
			u = &rate_units[i];
			break;
		}
	}
	if (u == NULL)
		return rate_fail(err, "unknown unit (use pps, kpps, Mpps, bps, kbps, Mbps, Gbps, % or line)");
	for (i = 0; i < n_int; i++) {
		v = v * 10 + (unsigned)(int_digits[i] - '0');
		if (v > UINT64_MAX)
			return rate_fail(err, "rate too large");
	}
	for (i = 0; i < u->exp10; i++) {
		v = v * 10 + (i < n_frac ? (unsigned)(frac_digits[i] - '0') : 0);
		if (v > UINT64_MAX)
			return rate_fail(err, "rate too large");
	}
	for (i = u->exp10; i < n_frac; i++)
		if (frac_digits[i] != '0')
			return rate_fail(err, "more decimals than the unit resolves");
	if (v == 0)
		return rate_fail(err, "rate must be above zero");
	if (u->kind == RATE_PCT && v > PPM_FULL)
		return rate_fail(err, "rate above 100%");
	r->kind = u->kind;
	r->value = (uint64_t)v;
	return 0;
}

/* Print value / 10^exp10 exactly, without trailing zeros, then the suffix. */
static int
rate_format_scaled(char *buf, size_t len, uint64_t value, unsigned exp10,
		   const char *suffix)
{
	uint64_t scale = 1, frac;
	unsigned digits = exp10;
	int n;

	while (exp10-- > 0)
		scale *= 10;
	frac = value % scale;
	if (frac == 0) {
		n = snprintf(buf, len, "%llu%s", (unsigned long long)(value / scale), suffix);
	} else {
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		n = snprintf(buf, len, "%llu.%0*llu%s", (unsigned long long)(value / scale),
			     (int)digits, (unsigned long long)frac, suffix);
	}
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}

int
rate_format(const struct rate *r, char *buf, size_t len)
{
	/* largest prefix that leaves at least 1 before the point */
	static const char *const pps_units[] = { "pps", "kpps", "Mpps", "Gpps" };
	static const char *const bps_units[] = { "bps", "kbps", "Mbps", "Gbps" };
	uint64_t scale = 1000;
	unsigned k = 0;

	if (r == NULL || buf == NULL || len == 0)
		return -EINVAL;
	switch (r->kind) {
	case RATE_PPS:
		while (k < 3 && r->value / 1000 >= scale) {
			scale *= 1000;
			k++;
		}
		return rate_format_scaled(buf, len, r->value, 3 + 3 * k, pps_units[k]);
	case RATE_BPS:
		while (k < 3 && r->value >= scale) {
			scale *= 1000;
			k++;
		}
		return rate_format_scaled(buf, len, r->value, 3 * k, bps_units[k]);
	case RATE_PCT:
		return rate_format_scaled(buf, len, r->value, 4, "%");
	case RATE_LINE:
		if (len < sizeof("line"))
			return -ENOSPC;
		memcpy(buf, "line", sizeof("line"));
		return 0;
	}
	return -EINVAL;
}

static uint64_t
sat_u64(unsigned __int128 v)
{
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

/* Rounded down: a pacer must never exceed the rate it was given. */
uint64_t
rate_mpps_milli(const struct rate *r, uint32_t frame_size, uint64_t link_bps)
{
	uint64_t wb = wire_bits(frame_size);

	switch (r->kind) {
	case RATE_PPS:
		return r->value;
	case RATE_BPS:
		return sat_u64((unsigned __int128)r->value * 1000 / wb);
	case RATE_PCT:
		return sat_u64((unsigned __int128)link_bps * r->value * 1000 /
			       ((unsigned __int128)PPM_FULL * wb));
	case RATE_LINE:
		return sat_u64((unsigned __int128)link_bps * 1000 / wb);
	}
	return 0;
}

int
pacer_init(struct pacer *p, uint64_t hz, uint64_t rate_mpps_milli,
	   uint64_t start_tsc, uint32_t catchup)
{
	unsigned __int128 period_q16, catchup_tsc;

	if (p == NULL || hz == 0 || rate_mpps_milli == 0 || catchup == 0)
		return -EINVAL;
	/* period in 1/65536 cycle: hz * 1000 * 65536 / rate, rounded */
	period_q16 = (((unsigned __int128)hz * 1000 << 16) + rate_mpps_milli / 2) /
		     rate_mpps_milli;
	if ((period_q16 >> 16) == 0)
		return -EINVAL;		/* faster than one packet per cycle */
	if ((period_q16 >> 16) >= (UINT64_C(1) << 47))
		return -EINVAL;		/* slower than pacer_due's arithmetic allows */
	p->period_tsc = (uint64_t)(period_q16 >> 16);
	p->period_frac = (uint32_t)(period_q16 & 0xffff);
	catchup_tsc = (unsigned __int128)catchup * p->period_tsc;
	p->catchup_tsc = sat_u64(catchup_tsc);
	p->next_tsc = start_tsc;
	p->next_frac = 0;
	p->skipped = 0;
	p->burst_q16 = 0;
	p->burst_span_tsc = UINT64_MAX;
	if (p->period_tsc < (UINT64_C(1) << 40)) {
		/* deadline k is at most ceil((65535 + k * period_q16) / 65536) after the first */
		p->burst_q16 = (uint64_t)period_q16 * PACER_BURST;
		p->burst_span_tsc = (uint64_t)(((PACER_BURST - 1) * period_q16 + 65535) >> 16) + 1;
	}
	return 0;
}

void
pacer_skip(struct pacer *p, uint64_t n)
{
	unsigned __int128 frac = (unsigned __int128)n * p->period_frac + p->next_frac;

	p->next_tsc += n * p->period_tsc + (uint64_t)(frac >> 16);
	p->next_frac = (uint32_t)(frac & 0xffff);
	p->skipped += n;
}
