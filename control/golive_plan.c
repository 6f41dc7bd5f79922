/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The go-live plans and their arithmetic (see golive_plan.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golive_plan.h"
#include "rfc2544.h"

static const char *const quick_tput[] = { "64", "1518", "imix", NULL };
static const char *const quick_lat[] = { "1518", NULL };
static const char *const quick_floss[] = { "1518", NULL };
static const char *const quick_b2b[] = { "64", NULL };
static const char *const quick_together[] = { "1518", NULL };

static const char *const all_sizes[] = {
	"64", "128", "256", "512", "1024", "1280", "1518", "9000", "imix", NULL
};
static const char *const standard_b2b[] = { "64", "1518", NULL };

const struct golive_plan_def golive_plans[] = {
	{
		.name = "quick",
		.what = "minutes: 64, 1518, IMIX; 1 s trials, 5% resolution; Y.1564 1 s "
			"steps, 20 s together",
		.trial_ms = 1000, .resolution = 0.05,
		.latency_reps = 2, .latency_ms = 1000,
		.b2b_max_ms = 1000, .b2b_iters = 10,
		.sizes = { quick_tput, quick_lat, quick_floss, quick_b2b },
		.together = quick_together,
		.y1564_step_ms = 1000, .y1564_perf_s = 20,
	},
	{
		.name = "standard",
		.what = "every size and IMIX; 10 s trials, 1% resolution; Y.1564 5 s steps, "
			"15 min together",
		.trial_ms = 10000, .resolution = 0.01,
		.latency_reps = 5, .latency_ms = 10000,
		.b2b_max_ms = 2000, .b2b_iters = 8,
		.sizes = { all_sizes, all_sizes, all_sizes, standard_b2b },
		.together = all_sizes,
		.y1564_step_ms = 5000, .y1564_perf_s = 15 * 60,
	},
	{
		.name = "full",
		.what = "RFC 2544's lengths: 60 s trials, 0.1%, latency 20 x 120 s; Y.1564 "
			"60 s steps, 2 h together",
		.trial_ms = 60000, .resolution = 0.001,
		.latency_reps = 20, .latency_ms = 120000,
		.b2b_max_ms = 2000, .b2b_iters = 11,
		.sizes = { all_sizes, all_sizes, all_sizes, all_sizes },
		.together = all_sizes,
		.y1564_step_ms = 60000, .y1564_perf_s = 2 * 3600,
	},
	{ .name = NULL },
};

const struct golive_plan_def *
golive_plan_find(const char *name)
{
	const struct golive_plan_def *d;

	for (d = golive_plans; d->name != NULL; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

const char *
golive_test_name(enum golive_test t)
{
	static const char *const names[GOLIVE_TEST_COUNT] = {
		"throughput", "latency", "frame_loss", "back_to_back", "y1564_service",
		"y1564_performance",
	};

	return (unsigned int)t < GOLIVE_TEST_COUNT ? names[t] : "?";
}

uint32_t
golive_size_max_frame(const char *size)
{
	char *end;
	unsigned long v;

	if (strcmp(size, "imix") == 0)
		return 1518;
	v = strtoul(size, &end, 10);
	return end != size && *end == '\0' && v <= 0xffff ? (uint32_t)v : 0;
}

/* Trials and the longest trial of a step of test t. */
static void
golive_step_size(const struct golive_plan *p, struct golive_step *s)
{
	const struct golive_plan_def *d = p->def;

	switch (s->test) {
	case GOLIVE_THROUGHPUT:
		s->max_trials = rfc2544_tput_max_trials(p->resolution);
		s->trial_ms = p->trial_ms;
		break;
	case GOLIVE_LATENCY:
		s->max_trials = d->latency_reps;
		s->trial_ms = d->latency_ms;
		break;
	case GOLIVE_FRAME_LOSS:
		s->max_trials = RFC2544_FLOSS_MAX_TRIALS;
		s->trial_ms = p->trial_ms;
		break;
	default:
		s->max_trials = 1 + d->b2b_iters;
		s->trial_ms = d->b2b_max_ms;
		break;
	}
	s->max_ms = (uint64_t)s->max_trials * (s->trial_ms + p->overhead_ms);
}

/* A step of trials of trial_ms each (svc: Y.1564's service, else -1). */
static int
golive_plan_push(struct golive_plan *p, enum golive_test t, int link, int svc, const char *size,
		 int trials, uint32_t trial_ms)
{
	struct golive_step *s;

	if (p->n == GOLIVE_MAX_STEPS)
		return -ENOSPC;
	s = &p->step[p->n++];
	memset(s, 0, sizeof(*s));
	s->test = t;
	s->link = link;
	s->svc = svc;
	snprintf(s->size, sizeof(s->size), "%s", size);
	s->max_trials = trials;
	s->trial_ms = trial_ms;
	s->max_ms = (uint64_t)trials * (trial_ms + p->overhead_ms);
	p->total_trials += trials;
	p->total_ms += s->max_ms;
	return 0;
}

static int
golive_plan_add(struct golive_plan *p, enum golive_test t, int link, const char *size)
{
	struct golive_step s = { .test = t };

	golive_step_size(p, &s);
	return golive_plan_push(p, t, link, -1, size, s.max_trials, s.trial_ms);
}

/* Sizes of list a link carrying max_frame takes; the others once in skip. */
static int
golive_plan_sizes(struct golive_plan *p, enum golive_test t, int link, uint32_t max_frame,
		  const char *const *list)
{
	int i, k, rc;

	for (i = 0; list[i] != NULL; i++) {
		if (golive_size_max_frame(list[i]) <= max_frame) {
			if ((rc = golive_plan_add(p, t, link, list[i])) != 0)
				return rc;
			continue;
		}
		for (k = 0; k < p->n_skip; k++)
			if (p->skip[k].link == link && strcmp(p->skip[k].size, list[i]) == 0)
				break;
		if (k == p->n_skip && p->n_skip < GOLIVE_MAX_STEPS) {
			p->skip[p->n_skip].link = link;
			p->skip[p->n_skip].max_frame = max_frame;
			snprintf(p->skip[p->n_skip].size, GOLIVE_SIZE_MAX, "%s", list[i]);
			p->n_skip++;
		}
	}
	return 0;
}

int
golive_plan_build(const struct golive_plan_def *def, int n_links, const uint32_t *max_frame,
		  uint32_t trial_ms, double resolution, uint32_t overhead_ms,
		  struct golive_plan *out)
{
	uint32_t both = UINT32_MAX;
	int i, t, rc;

	memset(out, 0, sizeof(*out));
	out->def = def;
	out->trial_ms = trial_ms > 0 ? trial_ms : def->trial_ms;
	out->resolution = resolution > 0 ? resolution : def->resolution;
	out->overhead_ms = overhead_ms;
	for (i = 0; i < n_links; i++) {
		if (max_frame[i] < both)
			both = max_frame[i];
		for (t = 0; t < GOLIVE_RFC2544_TESTS; t++)
			if ((rc = golive_plan_sizes(out, (enum golive_test)t, i, max_frame[i],
						    def->sizes[t])) != 0)
				return rc;
	}
	if (n_links > 1)
		return golive_plan_sizes(out, GOLIVE_THROUGHPUT, GOLIVE_TOGETHER, both,
					 def->together);
	return 0;
}

void
golive_plan_drop_rfc2544(struct golive_plan *p)
{
	p->n = 0;
	p->n_skip = 0;
	p->total_trials = 0;
	p->total_ms = 0;
}

int
golive_plan_add_y1564(struct golive_plan *p, int n, const int *link, const int *trials,
		      const char (*size)[GOLIVE_SIZE_MAX], uint32_t step_ms, uint32_t perf_s)
{
	int i, rc;

	p->y1564_step_ms = step_ms;
	p->y1564_perf_s = perf_s;
	for (i = 0; i < n; i++)
		if ((rc = golive_plan_push(p, GOLIVE_Y1564_SERVICE, link[i], i, size[i], trials[i],
					    step_ms)) != 0)
			return rc;
	if (n > 0 && perf_s > 0)
		return golive_plan_push(p, GOLIVE_Y1564_PERF, GOLIVE_TOGETHER, -1, "", 1,
					 perf_s * 1000);
	return 0;
}

uint64_t
golive_plan_left_ms(const struct golive_plan *p, int from)
{
	uint64_t ms = 0;
	int i;

	for (i = from < 0 ? 0 : from; i < p->n; i++)
		ms += p->step[i].max_ms;
	return ms;
}

void
golive_fmt_duration(uint64_t ms, char *buf, size_t len)
{
	uint64_t s = (ms + 999) / 1000;

	if (s >= 3600)
		snprintf(buf, len, "%lluh%02llum", (unsigned long long)(s / 3600),
			 (unsigned long long)(s % 3600 / 60));
	else if (s >= 60)
		snprintf(buf, len, "%llum%02llus", (unsigned long long)(s / 60),
			 (unsigned long long)(s % 60));
	else
		snprintf(buf, len, "%llus", (unsigned long long)s);
}
