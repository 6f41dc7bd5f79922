/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The live console view: one line per link per second (what arrived in
 * that second, or that nothing did), the dataplane's events as they come,
 * and a note for each link whose frame size the dataplane raised. --quiet
 * keeps only the notes.
 */
#include <errno.h>
#include <stdlib.h>

#include "agg.h"
#include "sink.h"

struct sink_live {
	const struct sink_env *env;
	bool got_hello;
	bool got_record;		/* attached: a dataplane sends no hello again */
	struct agg_link agg[MP_MAX_LINKS];
	struct link_interval sec;	/* one second's merge (large: not on the stack) */
};

static int
live_open(const struct sink_env *env, void **state)
{
	struct sink_live *v = calloc(1, sizeof(*v));
	int i;

	if (v == NULL)
		return -ENOMEM;
	v->env = env;
	for (i = 0; i < env->cfg->n_links; i++)
		agg_link_init(&v->agg[i], env->cfg->links[i].name, (uint32_t)i,
			      env->cfg->interval_ms);
	*state = v;
	return 0;
}

static void
live_hello(void *state, const struct dprec *r)
{
	struct sink_live *v = state;
	int i;

	v->got_hello = true;
	for (i = 0; i < r->n_hello_links; i++) {
		const struct dprec_hello_link *h = &r->hello_links[i];
		const char *was = sink_frame_raised(v->env, h);

		if (was != NULL)
			fprintf(v->env->console, "note: link %s frame size %s raised to %s (the "
				"smallest STAMP frame of its encapsulation)\n", h->name, was,
				h->frame_mix);
	}
}

static void
live_interval(void *state, const struct dprec *r)
{
	struct sink_live *v = state;

	v->got_record = true;
	agg_add_interval(&v->agg[r->link], r->interval);
}

static void
live_event(void *state, const struct dprec *r)
{
	struct sink_live *v = state;

	if (!v->env->quiet)
		fprintf(v->env->console, "event: link %s %s %s\n",
			r->link_name != NULL ? r->link_name : "?", r->event != NULL ? r->event : "?",
			r->detail != NULL ? r->detail : "");
}

/* Why there may be no data yet. */
static const char *
live_waiting(const struct sink_live *v)
{
	if (v->env->attach_path != NULL)
		return v->got_record || v->got_hello ? "" : " (waiting for the dataplane)";
	return v->got_hello ? "" : " (dataplane starting)";
}

static void
live_tick(void *state, uint64_t now_ns)
{
	struct sink_live *v = state;
	char line[512];
	int i;

	(void)now_ns;
	for (i = 0; i < v->env->cfg->n_links; i++) {
		uint64_t n = agg_take_live(&v->agg[i], &v->sec);

		if (v->env->quiet)
			continue;
		if (n == 0) {
			fprintf(v->env->console, "%-8s no data this second%s\n",
				v->env->cfg->links[i].name, live_waiting(v));
			continue;
		}
		agg_live_line(v->env->cfg->links[i].name, &v->sec, line, sizeof(line));
		fprintf(v->env->console, "%s\n", line);
	}
	fflush(v->env->console);
}

static int
live_close(void *state, struct run_outcome *o)
{
	(void)o;
	free(state);
	return 0;
}

const struct sink_ops sink_live_ops = {
	.name = "live",
	.open = live_open,
	.on_hello = live_hello,
	.on_interval = live_interval,
	.on_event = live_event,
	.on_tick = live_tick,
	.close = live_close,
};
