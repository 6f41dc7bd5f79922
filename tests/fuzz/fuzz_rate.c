/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rate_parse on arbitrary bytes; every accepted rate must print, parse back
 * to the same value, and convert to packets per second without trapping.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_rate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t frames[] = { 0, 64, 1518, 9000, UINT32_MAX };
	static const uint64_t links[] = { 0, 10000000000ull, 100000000000ull, UINT64_MAX };
	struct rate r, back;
	const char *err = NULL;
	char text[64];
	char *s;
	unsigned i, j;

	s = malloc(size + 1);
	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (rate_parse(s, &r, &err) != 0) {
		/* a rejection always says why */
		if (err == NULL || err[0] == '\0')
			abort();
		free(s);
		return 0;
	}
	if (rate_format(&r, text, sizeof(text)) != 0)
		abort();
	if (rate_parse(text, &back, &err) != 0 || back.kind != r.kind || back.value != r.value)
		abort();
	for (i = 0; i < sizeof(frames) / sizeof(frames[0]); i++)
		for (j = 0; j < sizeof(links) / sizeof(links[0]); j++) {
			uint64_t m = rate_mpps_milli(&r, frames[i], links[j]);

			/* never above line rate of a known link */
			if (r.kind == RATE_PCT && links[j] != 0 &&
			    m > rate_mpps_milli(&(struct rate){ RATE_LINE, 0 }, frames[i], links[j]))
				abort();
		}
	free(s);
	return 0;
}
