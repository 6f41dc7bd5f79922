/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What serve reads that another process wrote, besides the records: the
 * dataplane's pid file ("PID START") and the rotated files' names in the
 * output directory (NAME.<stamp>). Never crashes; an accepted pid file
 * names a pid above 1; an accepted name's stamp prints back to the same
 * time.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dpsup.h"
#include "rotate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256], back[ROT_STAMP_LEN], name[300];
	struct dpsup_id id;
	uint64_t t, t2;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (dpsup_parse(text, &id) == 0 && id.pid <= 1)
		abort();
	if (rot_stamp_parse(text, "intervals.jsonl", &t) == 0) {
		rot_stamp(back, sizeof(back), t, 0);
		snprintf(name, sizeof(name), "intervals.jsonl.%s", back);
		if (rot_stamp_parse(name, "intervals.jsonl", &t2) != 0 || t2 != t)
			abort();
	}
	return 0;
}
