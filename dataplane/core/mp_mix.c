/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp_mix.h"

static int
add_size(struct frame_mix *m, uint32_t size, uint32_t weight)
{
	uint32_t i;

	for (i = 0; i < m->n; i++)
		if (m->size[i] == size) {
			m->weight[i] += weight;
			return 0;
		}
	if (m->n >= MIX_MAX_SIZES)
		return -ENOSPC;
	m->size[m->n] = size;
	m->weight[m->n] = weight;
	m->n++;
	return 0;
}

static int
parse_uint(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 6)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

int
frame_mix_parse(const char *s, uint32_t min_size, uint32_t max_size,
		struct frame_mix *m, const char **err)
{
	const char *p;

	memset(m, 0, sizeof(*m));
	if (s == NULL || *s == '\0') {
		*err = "empty frame size";
		return -EINVAL;
	}
	if (strcmp(s, "imix") == 0)
		s = "64:7+570:4+1518:1";
	for (p = s; *p != '\0';) {
		const char *end = strchr(p, '+'), *colon;
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		uint32_t size, weight = 1;

		colon = memchr(p, ':', len);
		if (parse_uint(p, colon != NULL ? (size_t)(colon - p) : len, 1000000, &size) != 0) {
			*err = "a size is not a number (use 128, imix or 64:7+570:4+1518:1)";
			return -EINVAL;
		}
		if (size < min_size || size > max_size) {
			*err = "a frame size is out of range";
			return -EINVAL;
		}
		if (colon != NULL &&
		    (parse_uint(colon + 1, len - (size_t)(colon + 1 - p), MIX_MAX_SCHED, &weight) != 0 ||
		     weight == 0)) {
			*err = "a weight is not a number from 1 to 256";
			return -EINVAL;
		}
		if (add_size(m, size, weight) != 0) {
			*err = "more than 8 different sizes";
			return -EINVAL;
		}
		if (end == NULL)
			break;
		p = end + 1;
		if (*p == '\0') {
			*err = "trailing '+'";
			return -EINVAL;
		}
	}
	if (frame_mix_total_weight(m) > MIX_MAX_SCHED) {
		*err = "weights add up to more than 256";
		return -EINVAL;
	}
	return 0;
}

int
frame_mix_format(const struct frame_mix *m, char *buf, size_t len)
{
	size_t off = 0;
	uint32_t i;

	if (len == 0)
		return -ENOSPC;
	buf[0] = '\0';
	for (i = 0; i < m->n; i++) {
		int w;

		if (m->n == 1 && m->weight[0] == 1)
			w = snprintf(buf + off, len - off, "%u", m->size[i]);
		else
			w = snprintf(buf + off, len - off, "%s%u:%u", i ? "+" : "", m->size[i],
				     m->weight[i]);
		if (w < 0 || (size_t)w >= len - off)
			return -ENOSPC;
		off += (size_t)w;
	}
	return 0;
}

uint32_t
frame_mix_raise(struct frame_mix *m, uint32_t min_frame)
{
	struct frame_mix out;
	uint32_t i, raised = 0;

	memset(&out, 0, sizeof(out));
	for (i = 0; i < m->n; i++) {
		uint32_t s = m->size[i];

		if (s < min_frame) {
			s = min_frame;
			raised++;
		}
		add_size(&out, s, m->weight[i]);	/* merging can only shrink n */
	}
	*m = out;
	return raised;
}

uint32_t
frame_mix_total_weight(const struct frame_mix *m)
{
	uint32_t i, t = 0;

	for (i = 0; i < m->n; i++)
		t += m->weight[i];
	return t;
}

uint32_t
frame_mix_max_size(const struct frame_mix *m)
{
	uint32_t i, mx = 0;

	for (i = 0; i < m->n; i++)
		if (m->size[i] > mx)
			mx = m->size[i];
	return mx;
}

int
frame_mix_schedule(const struct frame_mix *m, uint8_t *sched, uint32_t cap)
{
	int64_t current[MIX_MAX_SIZES] = { 0 };
	uint32_t total = frame_mix_total_weight(m), k, i;

	if (m->n == 0 || total > cap)
		return -EINVAL;
	/* Smooth WRR: each step every entry gains its weight, the largest is picked and pays the total. */
	for (k = 0; k < total; k++) {
		uint32_t best = 0;

		for (i = 0; i < m->n; i++) {
			current[i] += m->weight[i];
			if (current[i] > current[best])
				best = i;
		}
		current[best] -= total;
		sched[k] = (uint8_t)best;
	}
	return (int)total;
}

uint64_t
frame_mix_rate_mpps(const struct rate *r, const struct frame_mix *m, uint64_t link_bps)
{
	unsigned __int128 bits = 0;
	uint64_t total = frame_mix_total_weight(m), bps;
	uint32_t i;

	if (m->n == 0 || total == 0)
		return 0;
	if (r->kind == RATE_PPS)
		return r->value;
	for (i = 0; i < m->n; i++)
		bits += (unsigned __int128)m->weight[i] * wire_bits(m->size[i]);
	if (r->kind == RATE_BPS)
		bps = r->value;
	else if (r->kind == RATE_PCT)
		bps = (uint64_t)((unsigned __int128)link_bps * r->value / 1000000);
	else
		bps = link_bps;
	/* pps = bps / mean wire bits = bps * total / bits; times 1000 */
	return (uint64_t)((unsigned __int128)bps * total * 1000 / bits);
}
