/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Typed records from the dataplane's lines (see dprec.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dprec.h"
#include "mp_record.h"
#include "mp_resume.h"

int
dprec_link_index(const struct dprec_links *links, const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < links->n; i++)
		if (strcmp(links->name[i], name) == 0)
			return i;
	return -1;
}

static const char *
dprec_str(const cJSON *o, const char *key)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The record's link, which must be one of the run's. */
static int
dprec_set_link(const struct dprec_links *links, const char *name, struct dprec *r, char *err,
	       size_t errlen)
{
	r->link = dprec_link_index(links, name);
	if (r->link < 0) {
		snprintf(err, errlen, "link '%s' is not one of the run's links", name);
		return -EINVAL;
	}
	return 0;
}

static int
dprec_interval(const cJSON *o, const struct dprec_links *links, struct link_interval *li,
	       struct dprec *r, char *err, size_t errlen)
{
	if (record_interval_from_json(o, li, err, errlen) != 0 ||
	    dprec_set_link(links, li->link, r, err, errlen) != 0)
		return -EINVAL;
	r->interval = li;
	/* a stream's record: only sinks that know streams (on_stream) take it */
	if (li->stream[0] != '\0')
		r->type = DPREC_STREAM;
	return 0;
}

/* A path record: decoded into memory of its own (path records are rare and large). */
static int
dprec_path(const cJSON *o, const struct dprec_links *links, struct dprec *r, char *err,
	   size_t errlen)
{
	struct path_record *pr = malloc(sizeof(*pr));

	if (pr == NULL) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	r->path = pr;
	if (record_path_from_json(o, pr, err, errlen) != 0 ||
	    dprec_set_link(links, pr->link, r, err, errlen) != 0)
		return -EINVAL;
	return 0;
}

static void
dprec_hello(const cJSON *o, const struct dprec_links *links, struct dprec *r)
{
	const cJSON *l;

	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(o, "links")) {
		struct dprec_hello_link *h;
		const cJSON *fs = cJSON_GetObjectItemCaseSensitive(l, "frame_size");

		if (r->n_hello_links >= DPREC_HELLO_LINKS_MAX)
			break;
		h = &r->hello_links[r->n_hello_links++];
		h->name = dprec_str(l, "name");
		h->link = dprec_link_index(links, h->name);
		h->frame_mix = dprec_str(l, "frame_mix");
		h->frame_size = cJSON_IsNumber(fs) && fs->valuedouble > 0 ?
				(uint64_t)fs->valuedouble : 0;
	}
}

int
dprec_decode(const char *line, const struct dprec_links *links, uint64_t recv_unix_ns,
	     struct link_interval *li, struct dprec *r, char *err, size_t errlen)
{
	cJSON *o = cJSON_Parse(line);
	const char *type = dprec_str(o, "type");
	struct mp_recid id;

	memset(r, 0, sizeof(*r));
	r->line = line;
	r->recv_unix_ns = recv_unix_ns;
	r->link = -1;
	r->type = DPREC_OTHER;
	if (o == NULL || type == NULL) {
		snprintf(err, errlen, "%s", o == NULL ? "not JSON" : "no \"type\"");
		cJSON_Delete(o);
		return -EINVAL;
	}
	r->json = o;
	if (mp_recid_from_json(o, &id) == 0) {
		r->instance = id.instance;
		r->instance_start_ns = id.start_ns;
		r->rec = id.rec;
	}
	if (strcmp(type, "interval") == 0) {
		r->type = DPREC_INTERVAL;
		if (dprec_interval(o, links, li, r, err, errlen) != 0) {
			dprec_release(r);
			return -EINVAL;
		}
	} else if (strcmp(type, "path") == 0) {
		r->type = DPREC_PATH;
		if (dprec_path(o, links, r, err, errlen) != 0) {
			dprec_release(r);
			return -EINVAL;
		}
	} else if (strcmp(type, "hello") == 0) {
		r->type = DPREC_HELLO;
		dprec_hello(o, links, r);
	} else if (strcmp(type, "event") == 0) {
		r->type = DPREC_EVENT;
		r->link_name = dprec_str(o, "link");
		r->event = dprec_str(o, "event");
		r->detail = dprec_str(o, "detail");
		r->link = dprec_link_index(links, r->link_name);
	} else if (strcmp(type, "end") == 0) {
		r->type = DPREC_END;
		r->end_reason = dprec_str(o, "reason");
		if (r->end_reason == NULL)
			r->end_reason = "unknown";
	} else {
		r->type = DPREC_OTHER;
	}
	return 0;
}

void
dprec_release(struct dprec *r)
{
	cJSON_Delete((cJSON *)r->json);
	r->json = NULL;
	free((void *)r->path);
	r->path = NULL;
}
