/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Record numbers and the resume line: how a control that restarts gets
 * every record it had not written yet, and none twice.
 *
 * Each record of a dataplane carries its instance (a random 64-bit id and
 * the start time, both chosen when it starts) and its number rec (1, 2, ...;
 * record 1 is the hello). On connecting, control sends one line:
 *
 *   {"type":"resume","instance":"9f3c0a17d2b84e65","after":42}
 *
 * and the dataplane sends its hello, then its records of that instance
 * numbered above 42 that it still has, then live ones. Without "instance"
 * (a control with nothing written), or with another instance's id (the
 * dataplane was restarted since), it sends all it has. "after" needs an
 * instance. Unknown keys are ignored; the line is at most
 * MP_RESUME_LINE_MAX bytes. No I/O.
 */
#ifndef MP_RESUME_H
#define MP_RESUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define MP_RESUME_LINE_MAX	256	/* with its newline */

/* Where a record comes from and which it is. */
struct mp_recid {
	uint64_t instance;	/* random at the dataplane's start */
	uint64_t start_ns;	/* the dataplane's start, CLOCK_REALTIME */
	uint64_t rec;		/* 1, 2, ... within the instance */
};

/* What a control asks for. */
struct mp_resume {
	bool has_instance;	/* false: everything the dataplane has */
	uint64_t instance;
	uint64_t after;		/* the last record it wrote (0: none) */
};

/*
 * Parse one resume line (len bytes, without its newline; need not be
 * NUL-terminated). 0, or -EINVAL with err saying why in one line.
 */
int mp_resume_parse(const char *line, size_t len, struct mp_resume *r, char *err, size_t errlen);
/* The line with its newline into buf: its length, or -ENOSPC. */
int mp_resume_format(const struct mp_resume *r, char *buf, size_t len);

/*
 * The number of a parsed record: 0; -ENOENT when it has none (an older
 * dataplane's, an event control raised); -EINVAL when malformed.
 */
int mp_recid_from_json(const cJSON *o, struct mp_recid *id);
/* Order of records: by the instance's start, then its id, then rec. */
int mp_recid_cmp(const struct mp_recid *a, const struct mp_recid *b);
/*
 * Number a record: line is a malloc'd JSON object ending in "}\n"; the
 * fields are added before its closing brace. Returns the new line (line is
 * reallocated), or NULL (line freed) when it is not such a line or memory
 * is short.
 */
char *mp_recid_stamp(char *line, const struct mp_recid *id);

#endif
