/* SPDX-License-Identifier: BSD-3-Clause */
/* Why the dataplane failed, from its log: see dplog.h. Pure. */
#include <stdio.h>
#include <string.h>

#include "dplog.h"

/* The log line holding needle (without its newline), into out. */
static int
dplog_line_of(const char *log, const char *needle, char *out, size_t len)
{
	const char *hit = strstr(log, needle), *start, *end;

	if (hit == NULL)
		return -1;
	for (start = hit; start > log && start[-1] != '\n'; start--)
		;
	end = strchr(hit, '\n');
	if (end == NULL)
		end = hit + strlen(hit);
	snprintf(out, len, "%.*s", (int)(end - start), start);
	return 0;
}

/* The first of needles found in the log, its line in out. */
static int
dplog_find(const char *log, const char *const *needles, char *out, size_t len)
{
	for (; *needles != NULL; needles++)
		if (dplog_line_of(log, *needles, out, len) == 0)
			return 0;
	return -1;
}

int
dplog_cause(const char *log, long hp_pages, char *out, size_t len)
{
	static const char *const no_pages[] = {
		"No free 2048 kB hugepages", "No free hugepages", "no free hugepages",
		"Cannot get hugepage information", NULL,
	};
	static const char *const no_mem[] = {
		"Cannot init memory", "Cannot allocate memory", "cannot create a pool",
		"Not enough memory", "Cannot reserve memory", "cannot allocate", NULL,
	};
	static const char *const no_perm[] = {
		"Cannot create lock", "Operation not permitted", "Permission denied", NULL,
	};
	static const char *const other[] = {
		"EAL: FATAL", "EAL: Error", "metroprobe-dp:", "EAL: Cannot", NULL,
	};
	char line[256], need[96] = "";

	out[0] = '\0';
	if (log == NULL)
		return -1;
	if (hp_pages > 0)
		snprintf(need, sizeof(need), " (it needs %ld pages of 2 MB, %ld MB)", hp_pages,
			 hp_pages * 2);
	if (dplog_find(log, no_pages, line, sizeof(line)) == 0) {
		snprintf(out, len, "no free hugepages for the dataplane%s [%s]: run it as root "
			 "so that metroprobe reserves them, reserve them by hand (nr_hugepages in "
			 "/sys/kernel/mm/hugepages/hugepages-2048kB), or set \"dataplane\": "
			 "{\"hugepages\": false} for vdev ports", need, line);
		return 0;
	}
	if (dplog_find(log, no_mem, line, sizeof(line)) == 0) {
		snprintf(out, len, "the dataplane ran out of memory%s [%s]: free some hugepages "
			 "or memory, or use fewer queues or smaller frames", need, line);
		return 0;
	}
	if (dplog_find(log, no_perm, line, sizeof(line)) == 0) {
		snprintf(out, len, "the dataplane was refused access [%s]: it needs root (raw "
			 "sockets, hugepages, /var/run/dpdk)", line);
		return 0;
	}
	if (dplog_find(log, other, line, sizeof(line)) == 0) {
		snprintf(out, len, "%s", line);
		return 0;
	}
	return -1;
}
