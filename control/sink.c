/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The list of sinks and the dispatch of records to them (see sink.h).
 */
#include <errno.h>
#include <string.h>

#include "sink.h"

const struct sink_ops *const sink_table[] = {
	&sink_jsonl_ops,
	&sink_live_ops,
	&sink_diversity_ops,	/* before summary: it adds to summary.json */
	&sink_summary_ops,
	NULL,
};

int
sinks_open(struct sinks *s, const struct sink_ops *const *list, const struct sink_env *env)
{
	int rc;

	memset(s, 0, sizeof(*s));
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

void
sinks_record(struct sinks *s, const struct dprec *r)
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
		default:
			break;
		}
		if (fn != NULL)
			fn(s->state[i], r);
	}
}

void
sinks_tick(struct sinks *s, uint64_t now_ns)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (s->ops[i]->on_tick != NULL)
			s->ops[i]->on_tick(s->state[i], now_ns);
}

int
sinks_close(struct sinks *s, struct run_outcome *o)
{
	int i, rc = 0, r;

	for (i = 0; i < s->n; i++) {
		r = s->ops[i]->close != NULL ? s->ops[i]->close(s->state[i], o) : 0;
		if (r != 0 && rc == 0)
			rc = r;
	}
	s->n = 0;
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
