/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rotating JSON-lines files for a service that runs for months. A file
 * DIR/NAME (intervals.jsonl, events.jsonl, ...) is written a whole line
 * per write(2); before a line that would take it past max_bytes, or once
 * the clock has crossed a multiple of max_age_s since it was opened, it is
 * renamed to DIR/NAME.<UTC time of the rotation, 20261204T183000Z> (a
 * second rotation in the same second: ...Z-1, -2, ...) and a new DIR/NAME
 * begins. Rotation happens between lines only, so no line is ever split
 * between two files or rotated away half written. Then the rotated files
 * beyond keep_files, or older than keep_age_s (by their name's time),
 * are deleted; the current file never is.
 *
 * A line that cannot be written whole (the file system is full, EIO) is
 * not left half written: the file is cut back to where the line began, and
 * the line is counted in lines_lost / bytes_lost. The next line is tried
 * again as if nothing happened, so writing resumes when space returns.
 *
 * With a zero policy (no service section) a file is opened as before:
 * truncated, never rotated. The policy's decisions (rot_due, rot_stamp,
 * rot_stamp_parse, rot_prune_pick) are pure, for the unit tests.
 */
#ifndef MP_ROTATE_H
#define MP_ROTATE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rot_policy {
	uint64_t max_bytes;	/* rotate before a line would pass this; 0: no size bound */
	uint64_t max_age_s;	/* rotate at each multiple of this (UTC); 0: never by time */
	uint32_t keep_files;	/* rotated files kept; 0: no count bound */
	uint64_t keep_age_s;	/* rotated files older than this go; 0: no age bound */
	bool append;		/* append even when not rotating (a control attached again) */
};

#define ROT_STAMP_LEN	24	/* "20261204T183000Z-99" and its NUL, with room */
#define ROT_PRUNE_MAX	4096	/* rotated files one prune looks at */

struct rot_file {
	char dir[PATH_MAX];
	char name[64];
	struct rot_policy p;
	int fd;
	uint64_t size;		/* bytes in the current file */
	uint64_t opened_s;	/* when the current file was begun (or reopened) */
	uint64_t lines;		/* lines written whole */
	uint64_t lines_lost;	/* lines not written (counted, never silently dropped) */
	uint64_t bytes_lost;
	int err;		/* errno of the last failed line; 0 after a good one */
	uint64_t rotations;
	uint64_t pruned;	/* rotated files deleted by the retention bound */
};

/* Is the policy anything but "never rotate"? */
bool rot_enabled(const struct rot_policy *p);
/*
 * Must the current file be rotated before a line of add bytes? Not when it
 * is empty (a line larger than max_bytes is written whole in a file of its
 * own).
 */
bool rot_due(const struct rot_policy *p, uint64_t size, uint64_t add, uint64_t opened_s,
	     uint64_t now_s);
/* "20261204T183000Z" for unix_s, with "-N" when n > 0. buf: ROT_STAMP_LEN. */
void rot_stamp(char *buf, size_t len, uint64_t unix_s, unsigned int n);
/*
 * If file is NAME.<stamp> (with or without -N), its stamp's unix time in
 * *unix_s and 0; else -1.
 */
int rot_stamp_parse(const char *file, const char *name, uint64_t *unix_s);
/*
 * Which of n rotated files (their stamps' times) go: the oldest beyond
 * keep_files, and any older than keep_age_s at now_s. Sets del[i]; returns
 * how many.
 */
unsigned int rot_prune_pick(const struct rot_policy *p, const uint64_t *t, unsigned int n,
			    uint64_t now_s, bool *del);

/*
 * Open DIR/NAME: truncated when the policy is zero (a run), appended to
 * when it rotates (a restarted service goes on with its file) or says
 * append. 0 or -errno.
 */
int rot_open(struct rot_file *f, const char *dir, const char *name,
	     const struct rot_policy *p, uint64_t now_s);
/*
 * line (len bytes, no newline) and a newline, whole, after a rotation if
 * one is due. 0, or -errno with the line counted lost.
 */
int rot_put(struct rot_file *f, const char *line, size_t len, uint64_t now_s);
/* Rotate now (between lines); 0 or -errno. */
int rot_rotate(struct rot_file *f, uint64_t now_s);
void rot_close(struct rot_file *f);

#endif
