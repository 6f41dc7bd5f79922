/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config parser's error reporting and typed getters, for the modules
 * that parse a section of the config themselves (the SLA objectives, the
 * service's output, ...). Every failure is -EINVAL with one line,
 * "JSON.path: what is wrong (what is expected)".
 *
 * Adding a section: write int NAME_config_parse(struct cfg_ctx *,
 * const cJSON *o, struct mp_config *) in the module's own file, put it in
 * cfg_sections (config_sections.c) and its parsed form in struct
 * mp_config. It is called after the links are parsed, with o NULL when the
 * key is absent (set the defaults then).
 */
#ifndef MP_CFG_PARSE_H
#define MP_CFG_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "config.h"

#define CFG_PATH_MAX	96	/* a JSON path in a message: "links[1].vlans[0]" */
#define CFG_KEYS_MAX	32	/* top-level keys, fixed and sections */

struct cfg_ctx {
	char *err;
	size_t errlen;
};

struct cfg_section {
	const char *key;
	int (*parse)(struct cfg_ctx *x, const cJSON *o, struct mp_config *c);
};

/* NULL-terminated: the top-level keys parsed by modules of their own. */
extern const struct cfg_section cfg_sections[];

/* Sets the error "path: fmt..." (one printable line); returns -EINVAL. */
int cfg_fail(struct cfg_ctx *x, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* buf (CFG_PATH_MAX) = base.key, or key at the top level (base ""). */
void cfg_join(char *buf, const char *base, const char *key);
/* buf (CFG_PATH_MAX) = base[i] */
void cfg_index(char *buf, const char *base, int i);
/* Every key of o in allowed (NULL-terminated) or starting with '_', once each ("did you mean"). */
int cfg_check_keys(struct cfg_ctx *x, const cJSON *o, const char *base,
		   const char *const *allowed);
/* "a string", "a number", ... for messages. */
const char *cfg_type_name(const cJSON *it);
/*
 * The getters: member key of o (path base.key in messages). Absent: -ENOENT
 * (cfg_str when !required) or *out kept (the numbers, bool); wrong type or
 * out of range: -EINVAL with the error set. what: what is expected.
 */
int cfg_str(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	    bool required, char *out, size_t outlen, const char *what);
int cfg_uint(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	     uint64_t lo, uint64_t hi, uint64_t *out);
int cfg_u32(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	    uint32_t lo, uint32_t hi, uint32_t *out);
int cfg_bool(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	     bool *out);
/* "frame_size" of o: a size (dflt when absent) or a mix ("imix", "64:7+570:4+1518:1"). */
struct frame_mix;
int cfg_frame_size(struct cfg_ctx *x, const cJSON *o, const char *base, uint32_t dflt,
		   struct frame_mix *mix);
/* Optional object member: *out NULL when absent; -EINVAL when not an object. */
int cfg_obj(struct cfg_ctx *x, const cJSON *o, const char *base, const char *key,
	    const cJSON **out);

#endif
