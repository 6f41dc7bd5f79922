/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Where a restarted control resumes: the last numbered record (mp_resume.h)
 * it wrote in its output directory, and the duplicate filter that keeps a
 * record it wrote from being written again.
 *
 * resume_scan() reads the end of DIR/intervals.jsonl and DIR/events.jsonl
 * (or, when one holds no numbered record, of its newest rotated file,
 * NAME.jsonl.<UTC time>): the highest (instance, rec) of their last numbered
 * lines. A live file's last line cut short (control killed mid-write) is
 * truncated away, and said. Files only; no sockets.
 */
#ifndef MP_RESUME_POINT_H
#define MP_RESUME_POINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "mp_resume.h"

#define RESUME_TAIL_MAX	(8u << 20)	/* bytes read from a file's end: several records */

struct resume_point {
	bool known;		/* false: nothing numbered written yet */
	struct mp_recid last;	/* the highest record written */
	uint64_t duplicates;	/* records dropped: written before */
	uint64_t truncated;	/* bytes of cut-short last lines removed */
};

/*
 * Fill p from dir's files; log (stderr) hears of truncations. 0, or -errno.
 * The files may already be open for appending: O_APPEND writes land after
 * the truncation.
 */
int resume_scan(const char *dir, struct resume_point *p, FILE *log);
/* The last numbered record of one file (path), truncating a cut-short line when live. */
int resume_scan_file(const char *path, bool live, struct resume_point *p, FILE *log);
/* The resume line for the dataplane, with its newline: its length, or -ENOSPC. */
int resume_line(const struct resume_point *p, char *buf, size_t len);
/*
 * A record arrived (rec 0: unnumbered, always new): true when written
 * before (drop it; counted), else it is the last one written from now.
 */
bool resume_seen(struct resume_point *p, const struct mp_recid *id);

#endif
