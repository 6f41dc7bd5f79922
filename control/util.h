/* SPDX-License-Identifier: BSD-3-Clause */
/* Small process helpers shared by control's subcommands. */
#ifndef MP_UTIL_H
#define MP_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Find a sibling program: $METROPROBE_<NAME> (name upper-cased, '-' -> '_',
 * e.g. METROPROBE_DP for "metroprobe-dp"... see util.c), then next to this
 * executable, then in the build tree (../dataplane/dp/, ../dataplane/xdp/),
 * then $PATH. Returns 0 with an absolute path in out, or -ENOENT.
 */
int mp_find_binary(const char *name, char *out, size_t len);

/* Write a whole file atomically (tmp + rename), mode 0644. 0 or -errno. */
int mp_write_file(const char *path, const char *data, size_t len);
/* Read a whole file, NUL-terminated; caller frees. NULL with errno set. */
char *mp_read_file(const char *path, size_t *len);
/* mkdir -p with mode. */
int mp_mkdir_p(const char *path, mode_t mode);
/* Wall clock (CLOCK_REALTIME) and monotonic time in ns. */
unsigned long long mp_now_ns(void);
/* "2026-12-04T18:30:00Z" for unix_ns, with ms digits of the second: "...:00.125Z". */
void mp_utc_iso(char *buf, size_t len, unsigned long long unix_ns, int ms);
unsigned long long mp_mono_ns(void);

/*
 * o.key = v as a fixed-point JSON number with at most decimals places and
 * no trailing zeros, or null when v is NaN or infinite: summary.json and
 * the events have no exponents (1.8687e-05 s is 0.000018687).
 */
struct cJSON;
void mp_json_add_fixed(struct cJSON *o, const char *key, double v, int decimals);
/*
 * o printed (formatted) with every non-integer number in fixed point, nine
 * decimals at most: what goes to a file people and scripts read. In memory
 * the sinks keep plain numbers. Free the result; NULL on no memory.
 */
char *mp_json_print_fixed(const struct cJSON *o);

#endif
