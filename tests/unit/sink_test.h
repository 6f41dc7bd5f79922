/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Helpers of the tests that run records through a list of sinks: a file a
 * sink wrote, and a capture sink, closed last, that keeps the member
 * sink_test_key the sinks before it left for summary.json.
 */
#ifndef MP_SINK_TEST_H
#define MP_SINK_TEST_H

#include <stdio.h>

#include "sink.h"
#include "util.h"

static const char *sink_test_key;	/* the summary member to keep */
static cJSON *captured;			/* a copy of it, or NULL */

static int
capture_close(void *state, struct run_outcome *o)
{
	(void)state;
	captured = cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(o->summary_members,
								    sink_test_key), 1);
	return 0;
}

static const struct sink_ops capture_ops = { .name = "capture", .close = capture_close };

/* DIR/NAME's text (caller frees), or NULL. */
static char *
read_out(const char *dir, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return mp_read_file(path, NULL);
}

#endif
