/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The list of sinks and the dispatch of records to them (see sink.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sink.h"
#include "sink_metrics.h"

const struct sink_ops *const sink_table[] = {
	&sink_carrier_ops,	/* before jsonl: it annotates the service link's records */
	&sink_jsonl_ops,
	&sink_live_ops,
	&sink_sla_ops,		/* before summary: it adds to summary.json */
	&sink_diversity_ops,	/* before summary: it adds to summary.json */
	&sink_summary_ops,
	&sink_metrics_ops,	/* after the sinks that write the board; nothing without --listen */
	NULL,
};

int
sinks_open(struct sinks *s, const struct sink_ops *const *list, const struct sink_env *env)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->bus.cfg = env->cfg;
	for (; *list != NULL; list++) {
		void *state = NULL;

		if (s->n == SINKS_MAX) {
			sinks_close(s, NULL);
			return -E2BIG;
		}
		rc = (*list)->open != NULL ? (*list)->open(env, &state) : 0;
		if (rc != 0) {
			sinks_close(s, NULL);
			return rc;
		}
		s->ops[s->n] = *list;
		s->state[s->n++] = state;
	}
	return 0;
}

static void
sinks_dispatch(struct sinks *s, const struct dprec *r)
{
	int i;

	for (i = 0; i < s->n; i++) {
		const struct sink_ops *o = s->ops[i];
		void (*fn)(void *, const struct dprec *) = NULL;

		switch (r->type) {
		case DPREC_HELLO:
			fn = o->on_hello;
			break;
		case DPREC_INTERVAL:
			fn = o->on_interval;
			break;
		case DPREC_EVENT:
			fn = o->on_event;
			break;
		case DPREC_END:
			fn = o->on_end;
			break;
		case DPREC_PATH:
			fn = o->on_path;
			break;
		case DPREC_STREAM:
			fn = o->on_stream;
			break;
		default:
			break;
		}
		if (fn != NULL)
			fn(s->state[i], r);
	}
}

void
sinks_record(struct sinks *s, const struct dprec *r)
{
	sinks_dispatch(s, r);
	cJSON_Delete(s->bus.annot);
	s->bus.annot = NULL;
	sinks_drain(s);
}

void
sink_annotate(struct sink_bus *bus, const char *key, cJSON *value)
{
	if (bus == NULL || (bus->annot == NULL && (bus->annot = cJSON_CreateObject()) == NULL)) {
		cJSON_Delete(value);
		return;
	}
	cJSON_AddItemToObject(bus->annot, key, value);
}

static uint64_t
sink_unix_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void
sink_emit(struct sink_bus *bus, const char *link, const char *event, cJSON *fields)
{
	cJSON *o = cJSON_CreateObject(), *it;
	char ns[32];

	if (bus == NULL || o == NULL || bus->n == SINK_BUS_MAX) {
		if (bus != NULL)
			bus->dropped++;
		cJSON_Delete(o);
		cJSON_Delete(fields);
		return;
	}
	snprintf(ns, sizeof(ns), "%llu", (unsigned long long)sink_unix_ns());
	cJSON_AddStringToObject(o, "type", "event");
	cJSON_AddStringToObject(o, "source", "control");
	cJSON_AddRawToObject(o, "t_unix_ns", ns);
	cJSON_AddStringToObject(o, "link", link);
	cJSON_AddStringToObject(o, "event", event);
	while (fields != NULL && (it = fields->child) != NULL)
		cJSON_AddItemToObject(o, it->string, cJSON_DetachItemViaPointer(fields, it));
	cJSON_Delete(fields);
	bus->q[bus->n++] = o;
}

/* One raised event as the record every sink reads. */
static void
sinks_drain_one(struct sinks *s, cJSON *o)
{
	const cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "detail");
	struct dprec r = { .type = DPREC_EVENT, .json = o, .link = -1 };
	char *line = cJSON_PrintUnformatted(o);
	int i;

	r.recv_unix_ns = sink_unix_ns();
	r.line = line != NULL ? line : "";
	r.link_name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "link"));
	r.event = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "event"));
	r.detail = cJSON_IsString(d) ? d->valuestring : NULL;
	for (i = 0; s->bus.cfg != NULL && i < s->bus.cfg->n_links; i++)
		if (r.link_name != NULL && strcmp(s->bus.cfg->links[i].name, r.link_name) == 0)
			r.link = i;
	sinks_dispatch(s, &r);
	free(line);
}

void
sinks_drain(struct sinks *s)
{
	struct sink_bus *b = &s->bus;
	cJSON *o;

	if (b->draining)
		return;
	b->draining = true;
	while (b->n > 0) {
		o = b->q[0];
		memmove(b->q, b->q + 1, (size_t)(b->n - 1) * sizeof(b->q[0]));
		b->n--;
		sinks_drain_one(s, o);
		cJSON_Delete(o);
	}
	b->draining = false;
}

void
sinks_tick(struct sinks *s, uint64_t now_ns)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->ops[i]->on_tick != NULL)
			s->ops[i]->on_tick(s->state[i], now_ns);
	sinks_drain(s);
}

int
sinks_close(struct sinks *s, struct run_outcome *o)
{
	int i, rc = 0, r;

	for (i = 0; o != NULL && i < s->n; i++)
		if (s->ops[i]->on_stop != NULL)
			s->ops[i]->on_stop(s->state[i]);
	if (o != NULL)
		sinks_drain(s);
	for (i = 0; i < s->n; i++) {
		r = s->ops[i]->close != NULL ? s->ops[i]->close(s->state[i], o) : 0;
		if (r != 0 && rc == 0)
			rc = r;
	}
	s->n = 0;
	cJSON_Delete(s->bus.annot);
	s->bus.annot = NULL;
	while (s->bus.n > 0)
		cJSON_Delete(s->bus.q[--s->bus.n]);
	if (o != NULL) {
		cJSON_Delete(o->summary_members);
		o->summary_members = NULL;
	}
	return rc;
}

const char *
sink_frame_raised(const struct sink_env *env, const struct dprec_hello_link *h)
{
	const char *cfg_mix;

	if (h->link < 0 || h->link >= env->cfg->n_links || h->frame_mix == NULL)
		return NULL;
	cfg_mix = env->cfg->links[h->link].frame_mix;
	return strcmp(h->frame_mix, cfg_mix) != 0 ? cfg_mix : NULL;
}
