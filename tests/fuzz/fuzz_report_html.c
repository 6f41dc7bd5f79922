/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The HTML report (report_html.c) of any JSON: report.json and drill.json
 * are files another process wrote, and a report of another version has
 * other shapes. The input is parsed as JSON and rendered as the report
 * (and again as the drill of an empty report). Never a crash; the page
 * always ends; no markup of the input reaches it (strings are escaped:
 * no "<script" or "<img", whatever the input holds); every <svg> closes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report_html.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay != NULL; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

static void
fuzz_page(const struct report_input *in)
{
	struct metrics_buf b = { 0 };

	report_html(&b, in);
	if (!b.oom) {
		if (b.p == NULL || strstr(b.p, "</html>\n") == NULL ||
		    strstr(b.p, "<script") != NULL || strstr(b.p, "<img") != NULL ||
		    count(b.p, "<svg") != count(b.p, "</svg>"))
			abort();
	}
	metrics_buf_free(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	cJSON *o, *empty = cJSON_CreateObject();

	if (text == NULL || empty == NULL) {
		free(text);
		cJSON_Delete(empty);
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	o = cJSON_Parse(text);
	if (o != NULL) {
		fuzz_page(&(struct report_input){ .report = o });
		fuzz_page(&(struct report_input){ .report = empty, .drill = o });
	}
	cJSON_Delete(o);
	cJSON_Delete(empty);
	free(text);
	return 0;
}
