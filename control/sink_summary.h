/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The summary sink (sink_summary_ops in sink.h) and what readers of its
 * summary.json (the sweep) share with it.
 */
#ifndef MP_SINK_SUMMARY_H
#define MP_SINK_SUMMARY_H

#include <cjson/cJSON.h>

/* A number of a summary: a double, or an exact integer (raw text). 0 when absent. */
double summary_num(const cJSON *it);
unsigned long long summary_u64(const cJSON *it);

#endif
