/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interval records to and from JSON (schema in mp_record.h).
 *
 * Numbers: cJSON holds every number as a double, exact only up to 2^53.
 * Every uint64 field is written as a JSON number when it is at most 2^53
 * and as a string of decimal digits above (in practice only the Unix-ns
 * timestamps, about 1.7e18, and nothing else in one interval); the reader
 * accepts both forms for every uint64 field, and rejects numbers that are
 * negative, fractional or above 2^53, so no value changes on the way.
 *
 * Empty histograms and min/max pairs (count 0) omit their min and max
 * (internally UINT64_MAX and 0); the reader sets those whenever count is 0.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp_record.h"

#define REC_EXACT_MAX	(UINT64_C(1) << 53)
#define REC_PRINT_EXACT	UINT64_C(1000000000000000)	/* 10^15: 15 digits print exactly */

static const char *const rec_clock_names[] = {
	[MP_CLOCK_TSC] = "tsc",
	[MP_CLOCK_HW_RX] = "hw_rx",
	[MP_CLOCK_PTP] = "ptp",
};
#define REC_NCLOCKS	(sizeof(rec_clock_names) / sizeof(rec_clock_names[0]))

const char *
mp_clock_name(enum mp_clock c)
{
	if ((unsigned)c >= REC_NCLOCKS)
		return "unknown";
	return rec_clock_names[c];
}

/* --- Writing --- */

/* Collects allocation failures so the builders can stay linear. */
struct rec_out {
	bool failed;
};

static void
rec_put(struct rec_out *w, cJSON *o, const char *key, cJSON *item)
{
	if (item == NULL || !cJSON_AddItemToObject(o, key, item)) {
		cJSON_Delete(item);
		w->failed = true;
	}
}

/*
 * A uint64 as a JSON number when a double holds it exactly, else as a
 * string of decimal digits. cJSON prints numbers with "%1.15g" and keeps
 * that text when it reads back within a relative DBL_EPSILON, so a 16-digit
 * integer (10^15..2^53) may come out with its last digit changed: those are
 * written as raw number text instead, which prints verbatim.
 */
static cJSON *
rec_u64_item(uint64_t v)
{
	char buf[24];

	if (v < REC_PRINT_EXACT)
		return cJSON_CreateNumber((double)v);
	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	if (v <= REC_EXACT_MAX)
		return cJSON_CreateRaw(buf);
	return cJSON_CreateString(buf);
}

cJSON *
record_json_u64(uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	return cJSON_CreateRaw(buf);
}

cJSON *
record_add_u64(cJSON *o, const char *key, uint64_t v)
{
	cJSON *it = record_json_u64(v);

	if (it != NULL && !cJSON_AddItemToObject(o, key, it)) {
		cJSON_Delete(it);
		return NULL;
	}
	return it;
}

static void
rec_put_u64(struct rec_out *w, cJSON *o, const char *key, uint64_t v)
{
	rec_put(w, o, key, rec_u64_item(v));
}

static cJSON *
rec_hist_to_json(struct rec_out *w, const struct hist *h)
{
	cJSON *o = cJSON_CreateObject();
	cJSON *buckets;
	unsigned i;

	if (o == NULL) {
		w->failed = true;
		return NULL;
	}
	rec_put_u64(w, o, "count", h->count);
	rec_put_u64(w, o, "sum_ns", h->sum_ns);
	if (h->count > 0) {
		rec_put_u64(w, o, "min_ns", h->min_ns);
		rec_put_u64(w, o, "max_ns", h->max_ns);
	}
	rec_put_u64(w, o, "clamped", h->clamped);
	rec_put(w, o, "layout", cJSON_CreateString(HIST_LAYOUT));
	buckets = cJSON_CreateArray();
	if (buckets == NULL) {
		w->failed = true;
		return o;
	}
	for (i = 0; i < HIST_NBUCKETS && !w->failed; i++) {
		cJSON *pair;
		cJSON *a, *b;

		if (h->bucket[i] == 0)
			continue;
		pair = cJSON_CreateArray();
		a = cJSON_CreateNumber(i);
		b = rec_u64_item(h->bucket[i]);
		if (pair == NULL || a == NULL || b == NULL) {
			cJSON_Delete(pair);
			cJSON_Delete(a);
			cJSON_Delete(b);
			w->failed = true;
			break;
		}
		cJSON_AddItemToArray(pair, a);
		cJSON_AddItemToArray(pair, b);
		cJSON_AddItemToArray(buckets, pair);
	}
	rec_put(w, o, "buckets", buckets);
	return o;
}

/* Keys of the "reflector" object, in struct refl_seen order. */
static const char *const rec_refl_keys[] = {
	"replies", "ssid_echoed", "ssid_zero", "stateful", "t2_eq_t3", "ptp",
	"no_sender_ttl", "sender_ttl_zero", "trailer", "bytes_min", "bytes_max",
};
#define REC_NREFL	(sizeof(rec_refl_keys) / sizeof(rec_refl_keys[0]))
_Static_assert(REC_NREFL * sizeof(uint64_t) == sizeof(struct refl_seen),
	       "a key for every field of struct refl_seen");

static cJSON *
rec_refl_to_json(struct rec_out *w, const struct refl_seen *f)
{
	cJSON *o = cJSON_CreateObject();
	uint64_t v[REC_NREFL];
	unsigned i;

	if (o == NULL) {
		w->failed = true;
		return NULL;
	}
	memcpy(v, f, sizeof(v));
	for (i = 0; i < REC_NREFL; i++)
		rec_put_u64(w, o, rec_refl_keys[i], v[i]);
	return o;
}

static cJSON *
rec_minmax_to_json(struct rec_out *w, const struct minmax *m)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL) {
		w->failed = true;
		return NULL;
	}
	rec_put_u64(w, o, "count", m->count);
	rec_put_u64(w, o, "sum", m->sum);
	if (m->count > 0) {
		rec_put_u64(w, o, "min", m->min);
		rec_put_u64(w, o, "max", m->max);
	}
	return o;
}

/* A new record of a link: type, version, link name and index. NULL when out of memory. */
static cJSON *
rec_new(struct rec_out *w, const char *type, const char link[MP_LINK_NAME_MAX], uint32_t index)
{
	char name[MP_LINK_NAME_MAX];
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	/* The name may fill its array with no terminator: never read past it. */
	memcpy(name, link, sizeof(name));
	name[sizeof(name) - 1] = '\0';
	rec_put(w, o, "type", cJSON_CreateString(type));
	rec_put(w, o, "v", cJSON_CreateNumber(MP_RECORD_VERSION));
	rec_put(w, o, "link", cJSON_CreateString(name));
	rec_put_u64(w, o, "link_index", index);
	return o;
}

cJSON *
record_interval_to_json(const struct link_interval *li)
{
	struct rec_out w = { .failed = false };
	const struct link_counters *c = &li->c;
	cJSON *o, *inv;
	unsigned r;

	o = rec_new(&w, "interval", li->link, li->link_index);
	if (o == NULL)
		return NULL;
	if (li->stream[0] != '\0') {
		char name[MP_LINK_NAME_MAX];

		memcpy(name, li->stream, sizeof(name));
		name[sizeof(name) - 1] = '\0';
		rec_put(&w, o, "stream", cJSON_CreateString(name));
	}
	rec_put_u64(&w, o, "seq", li->seq);
	rec_put_u64(&w, o, "start_ns", li->start_unix_ns);
	rec_put_u64(&w, o, "end_ns", li->end_unix_ns);
	rec_put_u64(&w, o, "queues", li->queues);
	rec_put(&w, o, "clock", cJSON_CreateString(mp_clock_name(li->clock)));
	rec_put_u64(&w, o, "clock_error_ns", li->clock_error_ns);
	rec_put_u64(&w, o, "sent", c->sent);
	rec_put_u64(&w, o, "tx_failed", c->tx_failed);
	rec_put_u64(&w, o, "tx_skipped", c->tx_skipped);
	rec_put_u64(&w, o, "tx_wire_bytes", c->tx_wire_bytes);
	rec_put_u64(&w, o, "received", c->received);
	rec_put_u64(&w, o, "lost", c->lost);
	rec_put_u64(&w, o, "late", c->late);
	rec_put_u64(&w, o, "duplicates", c->duplicates);
	rec_put_u64(&w, o, "reordered", c->reordered);
	rec_put_u64(&w, o, "other_link", c->other_link);
	rec_put_u64(&w, o, "rx_frames", c->rx_frames);
	rec_put_u64(&w, o, "arp_nd", c->arp_nd);

	inv = cJSON_CreateObject();
	if (inv == NULL)
		w.failed = true;
	for (r = MP_OK + 1; inv != NULL && r < MP_R_REASON_MAX; r++) {
		if (c->invalid[r] != 0)
			rec_put_u64(&w, inv, mp_reason_names[r], c->invalid[r]);
	}
	rec_put(&w, o, "invalid", inv);
	/* ordinary link traffic and ICMP errors about our probes, nonzero kinds only */
	inv = cJSON_CreateObject();
	for (r = 0; inv != NULL && r < MP_IGN_MAX; r++)
		if (c->ignored[r] != 0)
			rec_put_u64(&w, inv, mp_ignored_names[r], c->ignored[r]);
	rec_put(&w, o, "ignored", inv);
	inv = cJSON_CreateObject();
	for (r = 0; inv != NULL && r < MP_ICMP_MAX; r++)
		if (c->icmp_errors[r] != 0)
			rec_put_u64(&w, inv, mp_icmp_err_names[r], c->icmp_errors[r]);
	rec_put(&w, o, "icmp_errors", inv);
	rec_put(&w, o, "rtt", rec_hist_to_json(&w, &li->rtt));
	rec_put(&w, o, "residence_ns", rec_minmax_to_json(&w, &li->residence_ns));
	rec_put(&w, o, "fwd_ttl", rec_minmax_to_json(&w, &li->fwd_ttl));
	rec_put_u64(&w, o, "jitter_ns", li->jitter_ns);
	/* only when there is something to say: older readers never see it */
	if (li->refl.replies != 0)
		rec_put(&w, o, "reflector", rec_refl_to_json(&w, &li->refl));
	rec_put_u64(&w, o, "rate_millipps", li->pacer_rate_mpps);
	rec_put_u64(&w, o, "outstanding", li->outstanding);
	rec_put_u64(&w, o, "overdue", li->overdue);
	rec_put_u64(&w, o, "overdue_after_ns", li->overdue_after_ns);
	rec_put_u64(&w, o, "no_reply_ns", li->no_reply_ns);

	if (w.failed) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

char *
record_interval_line(const struct link_interval *li)
{
	cJSON *o = record_interval_to_json(li);
	char *text, *line = NULL;
	size_t n;

	if (o == NULL)
		return NULL;
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		return NULL;
	/* Copied into our own malloc'd buffer so the caller can free() it. */
	n = strlen(text);
	line = malloc(n + 2);
	if (line != NULL) {
		memcpy(line, text, n);
		line[n] = '\n';
		line[n + 1] = '\0';
	}
	cJSON_free(text);
	return line;
}

/* --- Reading --- */

struct rec_in {
	char *err;
	size_t errlen;
};

/* One line "path: message"; always returns -EINVAL. */
static int __attribute__((format(printf, 3, 4)))
rec_fail(struct rec_in *r, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	if (r->err == NULL || r->errlen == 0)
		return -EINVAL;
	n = snprintf(r->err, r->errlen, "%s: ", path);
	if (n >= 0 && (size_t)n < r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	/* One line, printable: keys and values are echoed from untrusted text. */
	for (p = r->err; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -EINVAL;
}

static void
rec_path(char *buf, size_t len, const char *prefix, const char *key)
{
	if (prefix == NULL || prefix[0] == '\0')
		snprintf(buf, len, "%s", key);
	else
		snprintf(buf, len, "%s.%s", prefix, key);
}

/*
 * A uint64 from a JSON number (integral, 0..2^53) or a string of decimal
 * digits (0..max), at most max.
 */
static int
rec_item_u64(struct rec_in *r, const cJSON *it, const char *path,
	     uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (cJSON_IsNumber(it)) {
		double d = it->valuedouble;

		if (!isfinite(d))
			return rec_fail(r, path, "not a finite number");
		if (d < 0)
			return rec_fail(r, path, "%.17g is negative (expected 0..%" PRIu64 ")",
					d, max);
		if (d != floor(d))
			return rec_fail(r, path, "%.17g is not an integer", d);
		if (d > (double)REC_EXACT_MAX)
			return rec_fail(r, path,
					"%.17g is above 2^53, not exact as a JSON number (write it as a decimal string)",
					d);
		v = (uint64_t)d;
	} else if (cJSON_IsString(it) || cJSON_IsRaw(it)) {
		/* Raw: our own 16-digit numbers, when given the object unprinted. */
		const char *s = it->valuestring;
		size_t i, n = strlen(s);

		if (n == 0 || n > 20)
			return rec_fail(r, path, "\"%.24s\" is not a decimal integer", s);
		v = 0;
		for (i = 0; i < n; i++) {
			unsigned dgt;

			if (s[i] < '0' || s[i] > '9')
				return rec_fail(r, path, "\"%.24s\" is not a decimal integer", s);
			dgt = (unsigned)(s[i] - '0');
			if (v > (UINT64_MAX - dgt) / 10)
				return rec_fail(r, path, "\"%.24s\" does not fit in 64 bits", s);
			v = v * 10 + dgt;
		}
	} else {
		return rec_fail(r, path, "not a number");
	}
	if (v > max)
		return rec_fail(r, path, "%" PRIu64 " out of range 0..%" PRIu64, v, max);
	*out = v;
	return 0;
}

int
record_get_u64(const cJSON *o, const char *key, uint64_t max, uint64_t *out,
	       char *err, size_t errlen)
{
	struct rec_in r = { .err = err, .errlen = errlen };
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	if (it == NULL)
		return -ENOENT;
	return rec_item_u64(&r, it, key, max, out);
}

/* Optional uint64 member: absent leaves *out and *present untouched. */
static int
rec_get_u64(struct rec_in *r, const cJSON *o, const char *prefix,
	    const char *key, uint64_t max, uint64_t *out, bool *present)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[96];

	if (it == NULL)
		return 0;
	rec_path(path, sizeof(path), prefix, key);
	if (present != NULL)
		*present = true;
	return rec_item_u64(r, it, path, max, out);
}

static int
rec_get_u32(struct rec_in *r, const cJSON *o, const char *key, uint32_t *out)
{
	uint64_t v = 0;
	int rc = rec_get_u64(r, o, NULL, key, UINT32_MAX, &v, NULL);

	if (rc == 0)
		*out = (uint32_t)v;
	return rc;
}

static int
rec_hist_from_json(struct rec_in *r, const cJSON *o, const char *name,
		   struct hist *h)
{
	const cJSON *layout, *buckets, *pair;
	bool has_min = false, has_max = false;
	char path[96];
	uint64_t total = 0;
	int i = 0, prev = -1, rc;

	if (!cJSON_IsObject(o))
		return rec_fail(r, name, "not an object");
	if ((rc = rec_get_u64(r, o, name, "count", UINT64_MAX, &h->count, NULL)) != 0 ||
	    (rc = rec_get_u64(r, o, name, "sum_ns", UINT64_MAX, &h->sum_ns, NULL)) != 0 ||
	    (rc = rec_get_u64(r, o, name, "min_ns", UINT64_MAX, &h->min_ns, &has_min)) != 0 ||
	    (rc = rec_get_u64(r, o, name, "max_ns", UINT64_MAX, &h->max_ns, &has_max)) != 0 ||
	    (rc = rec_get_u64(r, o, name, "clamped", UINT64_MAX, &h->clamped, NULL)) != 0)
		return rc;

	rec_path(path, sizeof(path), name, "layout");
	layout = cJSON_GetObjectItemCaseSensitive(o, "layout");
	if (layout == NULL)
		return rec_fail(r, path, "missing (expected \"%s\")", HIST_LAYOUT);
	if (!cJSON_IsString(layout) || strcmp(layout->valuestring, HIST_LAYOUT) != 0)
		return rec_fail(r, path, "not \"%s\", the only layout this build can merge",
				HIST_LAYOUT);

	buckets = cJSON_GetObjectItemCaseSensitive(o, "buckets");
	rec_path(path, sizeof(path), name, "buckets");
	if (buckets != NULL && !cJSON_IsArray(buckets))
		return rec_fail(r, path, "not an array of [index, count] pairs");
	cJSON_ArrayForEach(pair, buckets) {
		uint64_t idx, n;

		snprintf(path, sizeof(path), "%s.buckets[%d]", name, i);
		if (!cJSON_IsArray(pair) || cJSON_GetArraySize(pair) != 2)
			return rec_fail(r, path, "not an [index, count] pair");
		snprintf(path, sizeof(path), "%s.buckets[%d][0]", name, i);
		rc = rec_item_u64(r, pair->child, path, UINT64_MAX, &idx);
		if (rc != 0)
			return rc;
		if (idx >= HIST_NBUCKETS)
			return rec_fail(r, path, "index %" PRIu64 " out of range 0..%u",
					idx, HIST_NBUCKETS - 1);
		if ((int)idx <= prev)
			return rec_fail(r, path, "index %d after %d (indices must increase)",
					(int)idx, prev);
		snprintf(path, sizeof(path), "%s.buckets[%d][1]", name, i);
		rc = rec_item_u64(r, pair->child->next, path, UINT64_MAX, &n);
		if (rc != 0)
			return rc;
		if (n > UINT64_MAX - total)
			return rec_fail(r, path, "bucket counts overflow 64 bits");
		total += n;
		h->bucket[idx] = n;
		prev = (int)idx;
		i++;
	}
	rec_path(path, sizeof(path), name, "buckets");
	if (total != h->count)
		return rec_fail(r, path, "counts add up to %" PRIu64 " but %s.count is %" PRIu64,
				total, name, h->count);
	if (h->clamped > h->bucket[HIST_NBUCKETS - 1]) {
		rec_path(path, sizeof(path), name, "clamped");
		return rec_fail(r, path, "%" PRIu64 " is more than the last bucket holds (%" PRIu64 ")",
				h->clamped, h->bucket[HIST_NBUCKETS - 1]);
	}
	if (h->count == 0) {
		/* min and max of nothing: the empty values, whatever was written */
		h->min_ns = UINT64_MAX;
		h->max_ns = 0;
		return 0;
	}
	if (!has_min || !has_max) {
		rec_path(path, sizeof(path), name, has_min ? "max_ns" : "min_ns");
		return rec_fail(r, path, "missing (needed when count > 0)");
	}
	if (h->min_ns > h->max_ns) {
		rec_path(path, sizeof(path), name, "min_ns");
		return rec_fail(r, path, "%" PRIu64 " is above max_ns %" PRIu64,
				h->min_ns, h->max_ns);
	}
	return 0;
}

static int
rec_refl_from_json(struct rec_in *r, const cJSON *o, struct refl_seen *f)
{
	uint64_t v[REC_NREFL];
	unsigned i;
	int rc;

	if (!cJSON_IsObject(o))
		return rec_fail(r, "reflector", "not an object");
	memset(v, 0, sizeof(v));
	for (i = 0; i < REC_NREFL; i++)
		if ((rc = rec_get_u64(r, o, "reflector", rec_refl_keys[i], UINT64_MAX, &v[i],
				      NULL)) != 0)
			return rc;
	memcpy(f, v, sizeof(v));
	/* every count is a count of replies: none can exceed them */
	for (i = 1; i < offsetof(struct refl_seen, bytes_min) / sizeof(uint64_t); i++)
		if (v[i] > f->replies)
			return rec_fail(r, "reflector", "%s %" PRIu64 " exceeds replies %" PRIu64,
					rec_refl_keys[i], v[i], f->replies);
	if (f->replies == 0 && f->bytes_max != 0)
		return rec_fail(r, "reflector.bytes_max", "%" PRIu64 " without replies",
				f->bytes_max);
	if (f->bytes_min > f->bytes_max || (f->replies != 0 && f->bytes_min == 0))
		return rec_fail(r, "reflector.bytes_min", "%" PRIu64 " does not fit bytes_max %"
				PRIu64, f->bytes_min, f->bytes_max);
	return 0;
}

static int
rec_minmax_from_json(struct rec_in *r, const cJSON *o, const char *name,
		     struct minmax *m)
{
	bool has_min = false, has_max = false;
	char path[96];
	int rc;

	if (!cJSON_IsObject(o))
		return rec_fail(r, name, "not an object");
	if ((rc = rec_get_u64(r, o, name, "count", UINT64_MAX, &m->count, NULL)) != 0 ||
	    (rc = rec_get_u64(r, o, name, "sum", UINT64_MAX, &m->sum, NULL)) != 0 ||
	    (rc = rec_get_u64(r, o, name, "min", UINT64_MAX, &m->min, &has_min)) != 0 ||
	    (rc = rec_get_u64(r, o, name, "max", UINT64_MAX, &m->max, &has_max)) != 0)
		return rc;
	if (m->count == 0) {
		m->min = UINT64_MAX;
		m->max = 0;
		return 0;
	}
	if (!has_min || !has_max) {
		rec_path(path, sizeof(path), name, has_min ? "max" : "min");
		return rec_fail(r, path, "missing (needed when count > 0)");
	}
	if (m->min > m->max) {
		rec_path(path, sizeof(path), name, "min");
		return rec_fail(r, path, "%" PRIu64 " is above max %" PRIu64, m->min, m->max);
	}
	return 0;
}

static int
rec_invalid_from_json(struct rec_in *r, const cJSON *o, struct link_counters *c)
{
	const cJSON *it;
	char path[96];
	unsigned k;
	int rc;

	if (!cJSON_IsObject(o))
		return rec_fail(r, "invalid", "not an object of reason: count");
	cJSON_ArrayForEach(it, o) {
		/* Reasons this build does not know (a newer writer) are ignored. */
		for (k = MP_OK + 1; k < MP_R_REASON_MAX; k++) {
			if (mp_reason_names[k] != NULL && it->string != NULL &&
			    strcmp(mp_reason_names[k], it->string) == 0)
				break;
		}
		if (k == MP_R_REASON_MAX)
			continue;
		snprintf(path, sizeof(path), "invalid.%s", it->string);
		rc = rec_item_u64(r, it, path, UINT64_MAX, &c->invalid[k]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* {"name": count} over a table of names (unknown names: a newer writer, ignored). */
static int
rec_counts_from_json(struct rec_in *r, const cJSON *o, const char *what,
		     const char *const *names, unsigned n, uint64_t *out)
{
	const cJSON *it;
	char path[96];
	unsigned k;
	int rc;

	if (!cJSON_IsObject(o))
		return rec_fail(r, what, "not an object of kind: count");
	cJSON_ArrayForEach(it, o) {
		for (k = 0; k < n; k++)
			if (it->string != NULL && strcmp(names[k], it->string) == 0)
				break;
		if (k == n)
			continue;
		snprintf(path, sizeof(path), "%s.%s", what, it->string);
		rc = rec_item_u64(r, it, path, UINT64_MAX, &out[k]);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
record_interval_from_json(const cJSON *o, struct link_interval *li,
			  char *err, size_t errlen)
{
	struct rec_in r = { .err = err, .errlen = errlen };
	struct link_counters *c = &li->c;
	const cJSON *it;
	uint64_t v;
	unsigned k;
	int rc;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (li == NULL)
		return -EINVAL;
	memset(li, 0, sizeof(*li));
	li->rtt.min_ns = UINT64_MAX;
	li->residence_ns.min = UINT64_MAX;
	li->fwd_ttl.min = UINT64_MAX;
	li->queues = 1;

	if (!cJSON_IsObject(o))
		return rec_fail(&r, "(record)", "not a JSON object");
	it = cJSON_GetObjectItemCaseSensitive(o, "type");
	if (!cJSON_IsString(it))
		return rec_fail(&r, "type", "missing or not a string (expected \"interval\")");
	if (strcmp(it->valuestring, "interval") != 0)
		return rec_fail(&r, "type", "\"%.40s\" is not \"interval\"", it->valuestring);
	it = cJSON_GetObjectItemCaseSensitive(o, "v");
	if (it == NULL)
		return rec_fail(&r, "v", "missing (expected %d)", MP_RECORD_VERSION);
	if ((rc = rec_item_u64(&r, it, "v", UINT32_MAX, &v)) != 0)
		return rc;
	if (v != MP_RECORD_VERSION)
		return rec_fail(&r, "v", "version %" PRIu64 " not supported (this build reads %d)",
				v, MP_RECORD_VERSION);
	it = cJSON_GetObjectItemCaseSensitive(o, "link");
	if (!cJSON_IsString(it))
		return rec_fail(&r, "link", "missing or not a string");
	if (it->valuestring[0] == '\0' || strlen(it->valuestring) >= MP_LINK_NAME_MAX)
		return rec_fail(&r, "link", "name must be 1..%d characters",
				MP_LINK_NAME_MAX - 1);
	memcpy(li->link, it->valuestring, strlen(it->valuestring) + 1);
	/* a stream's record (issue 12); absent: the link's own */
	it = cJSON_GetObjectItemCaseSensitive(o, "stream");
	if (it != NULL) {
		if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
		    strlen(it->valuestring) >= MP_LINK_NAME_MAX)
			return rec_fail(&r, "stream", "not a name of 1..%d characters",
					MP_LINK_NAME_MAX - 1);
		memcpy(li->stream, it->valuestring, strlen(it->valuestring) + 1);
	}

	if ((rc = rec_get_u32(&r, o, "link_index", &li->link_index)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "seq", UINT64_MAX, &li->seq, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "start_ns", UINT64_MAX, &li->start_unix_ns, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "end_ns", UINT64_MAX, &li->end_unix_ns, NULL)) != 0 ||
	    (rc = rec_get_u32(&r, o, "queues", &li->queues)) != 0)
		return rc;
	if (li->end_unix_ns < li->start_unix_ns)
		return rec_fail(&r, "end_ns", "%" PRIu64 " is before start_ns %" PRIu64,
				li->end_unix_ns, li->start_unix_ns);

	it = cJSON_GetObjectItemCaseSensitive(o, "clock");
	if (it != NULL) {
		if (!cJSON_IsString(it))
			return rec_fail(&r, "clock", "not a string (expected tsc, hw_rx or ptp)");
		for (k = 0; k < REC_NCLOCKS; k++)
			if (strcmp(it->valuestring, rec_clock_names[k]) == 0)
				break;
		if (k == REC_NCLOCKS)
			return rec_fail(&r, "clock", "\"%.40s\" is not tsc, hw_rx or ptp",
					it->valuestring);
		li->clock = (enum mp_clock)k;
	}
	if ((rc = rec_get_u64(&r, o, NULL, "clock_error_ns", UINT64_MAX, &li->clock_error_ns,
			      NULL)) != 0)
		return rc;

	if ((rc = rec_get_u64(&r, o, NULL, "sent", UINT64_MAX, &c->sent, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "tx_failed", UINT64_MAX, &c->tx_failed, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "tx_skipped", UINT64_MAX, &c->tx_skipped, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "tx_wire_bytes", UINT64_MAX, &c->tx_wire_bytes, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "received", UINT64_MAX, &c->received, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "lost", UINT64_MAX, &c->lost, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "late", UINT64_MAX, &c->late, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "duplicates", UINT64_MAX, &c->duplicates, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "reordered", UINT64_MAX, &c->reordered, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "other_link", UINT64_MAX, &c->other_link, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "rx_frames", UINT64_MAX, &c->rx_frames, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "arp_nd", UINT64_MAX, &c->arp_nd, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "jitter_ns", UINT64_MAX, &li->jitter_ns, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "rate_mpps", UINT64_MAX, &li->pacer_rate_mpps, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "rate_millipps", UINT64_MAX, &li->pacer_rate_mpps,
			      NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "outstanding", UINT64_MAX, &li->outstanding, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "overdue", UINT64_MAX, &li->overdue, NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "overdue_after_ns", UINT64_MAX, &li->overdue_after_ns,
			      NULL)) != 0 ||
	    (rc = rec_get_u64(&r, o, NULL, "no_reply_ns", UINT64_MAX, &li->no_reply_ns, NULL)) != 0)
		return rc;

	it = cJSON_GetObjectItemCaseSensitive(o, "invalid");
	if (it != NULL && (rc = rec_invalid_from_json(&r, it, c)) != 0)
		return rc;
	it = cJSON_GetObjectItemCaseSensitive(o, "ignored");
	if (it != NULL && (rc = rec_counts_from_json(&r, it, "ignored", mp_ignored_names,
						     MP_IGN_MAX, c->ignored)) != 0)
		return rc;
	it = cJSON_GetObjectItemCaseSensitive(o, "icmp_errors");
	if (it != NULL && (rc = rec_counts_from_json(&r, it, "icmp_errors", mp_icmp_err_names,
						     MP_ICMP_MAX, c->icmp_errors)) != 0)
		return rc;
	it = cJSON_GetObjectItemCaseSensitive(o, "rtt");
	if (it != NULL && (rc = rec_hist_from_json(&r, it, "rtt", &li->rtt)) != 0)
		return rc;
	it = cJSON_GetObjectItemCaseSensitive(o, "residence_ns");
	if (it != NULL &&
	    (rc = rec_minmax_from_json(&r, it, "residence_ns", &li->residence_ns)) != 0)
		return rc;
	it = cJSON_GetObjectItemCaseSensitive(o, "fwd_ttl");
	if (it != NULL && (rc = rec_minmax_from_json(&r, it, "fwd_ttl", &li->fwd_ttl)) != 0)
		return rc;
	it = cJSON_GetObjectItemCaseSensitive(o, "reflector");
	if (it != NULL && (rc = rec_refl_from_json(&r, it, &li->refl)) != 0)
		return rc;
	return 0;
}

/* --- Path records (mp_path.h) --- */

static cJSON *
rec_path_hop_to_json(struct rec_out *w, const struct path_hop *h, unsigned ttl)
{
	cJSON *o = cJSON_CreateObject();
	char addr[64];

	if (o == NULL) {
		w->failed = true;
		return NULL;
	}
	rec_put_u64(w, o, "ttl", ttl);
	if (h->state == PATH_HOP_SENT || ip_addr_format(&h->addr, addr, sizeof(addr)) != 0) {
		rec_put(w, o, "addr", cJSON_CreateString("*"));
		return o;
	}
	rec_put(w, o, "addr", cJSON_CreateString(addr));
	rec_put_u64(w, o, "rtt_ns", h->rtt_ns);
	if (h->state == PATH_HOP_REFLECTOR)
		rec_put(w, o, "reflector", cJSON_CreateBool(1));
	else if (h->state == PATH_HOP_ERROR && h->icmp_err < MP_ICMP_MAX)
		rec_put(w, o, "icmp", cJSON_CreateString(mp_icmp_err_names[h->icmp_err]));
	return o;
}

static cJSON *
rec_path_flow_to_json(struct rec_out *w, const struct path_round *r, unsigned f)
{
	unsigned t, last = path_flow_last_ttl(r, f);
	bool reached = r->end_ttl[f] != 0 &&
		       r->hop[f][r->end_ttl[f] - 1].state == PATH_HOP_REFLECTOR;
	cJSON *o = cJSON_CreateObject(), *hops = cJSON_CreateArray();

	if (o == NULL || hops == NULL) {
		cJSON_Delete(o);
		cJSON_Delete(hops);
		w->failed = true;
		return NULL;
	}
	rec_put_u64(w, o, "flow", f);
	rec_put_u64(w, o, "source_port", (uint16_t)(r->lk.sport_base + f));
	rec_put(w, o, "reached", cJSON_CreateBool(reached));
	if (reached)
		rec_put_u64(w, o, "reached_ttl", r->end_ttl[f]);
	for (t = 1; t <= last; t++) {
		cJSON *h;

		if (r->hop[f][t - 1].state == PATH_HOP_UNSENT)
			continue;
		h = rec_path_hop_to_json(w, &r->hop[f][t - 1], t);
		if (h == NULL || !cJSON_AddItemToArray(hops, h)) {
			cJSON_Delete(h);
			w->failed = true;
		}
	}
	rec_put(w, o, "hops", hops);
	return o;
}

cJSON *
record_path_to_json(const struct path_record *pr)
{
	struct rec_out w = { .failed = false };
	const struct path_round *r = &pr->r;
	cJSON *o, *flows;
	char addr[64];
	unsigned f;

	o = rec_new(&w, "path", pr->link, pr->link_index);
	if (o == NULL)
		return NULL;
	if (ip_addr_format(&r->lk.dst, addr, sizeof(addr)) != 0)
		addr[0] = '\0';
	rec_put_u64(&w, o, "round", r->round);
	rec_put_u64(&w, o, "start_ns", pr->start_unix_ns);
	rec_put_u64(&w, o, "end_ns", pr->end_unix_ns);
	rec_put(&w, o, "reflector", cJSON_CreateString(addr));
	rec_put_u64(&w, o, "reflector_port", r->lk.dport);
	rec_put_u64(&w, o, "max_ttl", r->lk.max_ttl);
	flows = cJSON_CreateArray();
	if (flows == NULL)
		w.failed = true;
	for (f = 0; flows != NULL && f < r->lk.flows && f < PATH_MAX_FLOWS; f++) {
		cJSON *x = rec_path_flow_to_json(&w, r, f);

		if (x == NULL || !cJSON_AddItemToArray(flows, x)) {
			cJSON_Delete(x);
			w.failed = true;
		}
	}
	rec_put(&w, o, "flows", flows);
	if (w.failed) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

/* One hop of flow f; ttl, addr, rtt_ns, and what answered. */
static int
rec_path_hop_from_json(struct rec_in *in, const cJSON *o, struct path_round *r, unsigned f,
		       const char *path)
{
	const cJSON *addr = cJSON_GetObjectItemCaseSensitive(o, "addr");
	const cJSON *icmp = cJSON_GetObjectItemCaseSensitive(o, "icmp");
	struct path_hop *h;
	uint64_t ttl = 0;
	int rc, plen;
	unsigned k;

	if (!cJSON_IsObject(o))
		return rec_fail(in, path, "not an object");
	if ((rc = rec_get_u64(in, o, path, "ttl", r->lk.max_ttl, &ttl, NULL)) != 0)
		return rc;
	if (ttl == 0)
		return rec_fail(in, path, "ttl missing or 0 (expected 1..%u)", r->lk.max_ttl);
	h = &r->hop[f][ttl - 1];
	if (h->state != PATH_HOP_UNSENT)
		return rec_fail(in, path, "ttl %" PRIu64 " given twice", ttl);
	if (!cJSON_IsString(addr))
		return rec_fail(in, path, "addr missing or not a string");
	h->state = PATH_HOP_SENT;
	if (strcmp(addr->valuestring, "*") == 0)
		return 0;
	if (ip_addr_parse(addr->valuestring, &h->addr, &plen) != 0 ||
	    h->addr.family != r->lk.dst.family)
		return rec_fail(in, path, "addr \"%.60s\" is not an address of the reflector's family",
				addr->valuestring);
	if ((rc = rec_get_u64(in, o, path, "rtt_ns", UINT64_MAX, &h->rtt_ns, NULL)) != 0)
		return rc;
	h->state = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "reflector")) ?
		   PATH_HOP_REFLECTOR : PATH_HOP_ROUTER;
	if (icmp != NULL && h->state == PATH_HOP_ROUTER) {
		for (k = 0; k < MP_ICMP_MAX; k++)
			if (cJSON_IsString(icmp) && strcmp(icmp->valuestring, mp_icmp_err_names[k]) == 0)
				break;
		if (k == MP_ICMP_MAX)
			return rec_fail(in, path, "icmp is not a kind of ICMP error");
		h->state = PATH_HOP_ERROR;
		h->icmp_err = (uint8_t)k;
	}
	if (h->state != PATH_HOP_ROUTER &&
	    (r->end_ttl[f] == 0 || ttl < r->end_ttl[f]))
		r->end_ttl[f] = (uint8_t)ttl;
	return 0;
}

static int
rec_path_flow_from_json(struct rec_in *in, const cJSON *o, struct path_round *r, unsigned f)
{
	const cJSON *hops, *h;
	char path[96];
	uint64_t v = f, sport = 0;
	int rc, i = 0;

	snprintf(path, sizeof(path), "flows[%u]", f);
	if (!cJSON_IsObject(o))
		return rec_fail(in, path, "not an object");
	if ((rc = rec_get_u64(in, o, path, "flow", UINT64_MAX, &v, NULL)) != 0)
		return rc;
	if (v != f)
		return rec_fail(in, path, "flow %" PRIu64 " out of order (expected %u)", v, f);
	if ((rc = rec_get_u64(in, o, path, "source_port", 65535, &sport, NULL)) != 0)
		return rc;
	if (f == 0)
		r->lk.sport_base = (uint16_t)sport;
	else if (sport != (uint16_t)(r->lk.sport_base + f))
		return rec_fail(in, path, "source_port %" PRIu64 " is not flow 0's + %u", sport, f);
	hops = cJSON_GetObjectItemCaseSensitive(o, "hops");
	if (!cJSON_IsArray(hops))
		return rec_fail(in, path, "hops missing or not an array");
	cJSON_ArrayForEach(h, hops) {
		char hp[112];

		snprintf(hp, sizeof(hp), "%s.hops[%d]", path, i++);
		if ((rc = rec_path_hop_from_json(in, h, r, f, hp)) != 0)
			return rc;
	}
	/* a flow ends where the reflector (or an error) answered: nothing after */
	for (i = r->end_ttl[f]; i != 0 && i < r->lk.max_ttl; i++)
		if (r->hop[f][i].state != PATH_HOP_UNSENT)
			return rec_fail(in, path, "ttl %d after the flow ended at ttl %u", i + 1,
					r->end_ttl[f]);
	return 0;
}

int
record_path_from_json(const cJSON *o, struct path_record *pr, char *err, size_t errlen)
{
	struct rec_in in = { .err = err, .errlen = errlen };
	struct path_round *r = &pr->r;
	const cJSON *it, *flows;
	uint64_t v = 0;
	int rc, plen;
	unsigned f = 0;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	memset(pr, 0, sizeof(*pr));
	if (!cJSON_IsObject(o))
		return rec_fail(&in, "(record)", "not a JSON object");
	it = cJSON_GetObjectItemCaseSensitive(o, "type");
	if (!cJSON_IsString(it) || strcmp(it->valuestring, "path") != 0)
		return rec_fail(&in, "type", "missing or not \"path\"");
	if ((rc = rec_get_u64(&in, o, NULL, "v", UINT32_MAX, &v, NULL)) != 0)
		return rc;
	if (v != MP_RECORD_VERSION)
		return rec_fail(&in, "v", "missing or not %d", MP_RECORD_VERSION);
	it = cJSON_GetObjectItemCaseSensitive(o, "link");
	if (!cJSON_IsString(it) || it->valuestring[0] == '\0' ||
	    strlen(it->valuestring) >= MP_LINK_NAME_MAX)
		return rec_fail(&in, "link", "missing, or not a name of 1..%d characters",
				MP_LINK_NAME_MAX - 1);
	memcpy(pr->link, it->valuestring, strlen(it->valuestring) + 1);
	if ((rc = rec_get_u32(&in, o, "link_index", &pr->link_index)) != 0 ||
	    (rc = rec_get_u32(&in, o, "round", &r->round)) != 0 ||
	    (rc = rec_get_u64(&in, o, NULL, "start_ns", UINT64_MAX, &pr->start_unix_ns, NULL)) != 0 ||
	    (rc = rec_get_u64(&in, o, NULL, "end_ns", UINT64_MAX, &pr->end_unix_ns, NULL)) != 0)
		return rc;
	it = cJSON_GetObjectItemCaseSensitive(o, "reflector");
	if (!cJSON_IsString(it) || ip_addr_parse(it->valuestring, &r->lk.dst, &plen) != 0)
		return rec_fail(&in, "reflector", "missing or not an address");
	v = 0;
	if ((rc = rec_get_u64(&in, o, NULL, "reflector_port", 65535, &v, NULL)) != 0)
		return rc;
	r->lk.dport = (uint16_t)v;
	v = 0;
	if ((rc = rec_get_u64(&in, o, NULL, "max_ttl", PATH_MAX_TTL, &v, NULL)) != 0)
		return rc;
	if (v == 0)
		return rec_fail(&in, "max_ttl", "missing or 0 (expected 1..%d)", PATH_MAX_TTL);
	r->lk.max_ttl = (uint8_t)v;
	flows = cJSON_GetObjectItemCaseSensitive(o, "flows");
	if (!cJSON_IsArray(flows) || cJSON_GetArraySize(flows) < 1 ||
	    cJSON_GetArraySize(flows) > PATH_MAX_FLOWS)
		return rec_fail(&in, "flows", "missing, or not an array of 1..%d flows", PATH_MAX_FLOWS);
	r->lk.flows = (uint8_t)cJSON_GetArraySize(flows);
	cJSON_ArrayForEach(it, flows)
		if ((rc = rec_path_flow_from_json(&in, it, r, f++)) != 0)
			return rc;
	r->next_ttl = r->lk.max_ttl + 1;
	return 0;
}
