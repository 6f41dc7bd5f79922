/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Why the dataplane failed, read from its log: EAL's reason ("No free 2048
 * kB hugepages reported") rather than the errno it ends with ("EAL init
 * failed: Permission denied"), and what to do about it.
 */
#ifndef MP_DPLOG_H
#define MP_DPLOG_H

#include <stddef.h>

/*
 * One line for the user: the cause and what to do. hp_pages is the number
 * of 2 MB pages the run needs (0: unknown). Returns 0, or -1 when the log
 * says nothing recognisable (out is then empty).
 */
int dplog_cause(const char *log, long hp_pages, char *out, size_t len);

#endif
