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

#endif
