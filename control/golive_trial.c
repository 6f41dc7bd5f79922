/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One go-live trial through run_once (see golive_trial.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golive_trial.h"
#include "mp_pkt.h"
#include "mp_stamp.h"
#include "run_once.h"
#include "sink_summary.h"
#include "util.h"

#define GT_GET(o, k)	cJSON_GetObjectItemCaseSensitive(o, k)

int
golive_link_mix(const struct mp_link_cfg *l, const char *size, struct frame_mix *m)
{
	const char *err = NULL;

	if (frame_mix_parse(size, PKT_MIN_FRAME, PKT_MAX_FRAME, m, &err) != 0)
		return -EINVAL;
	frame_mix_raise(m, pkt_min_frame_size(&l->encap, l->ip.family, STAMP_UNAUTH_LEN));
	return 0;
}

double
golive_mix_wire_bits(const struct frame_mix *m)
{
	double bits = 0;
	uint32_t i, w = frame_mix_total_weight(m);

	for (i = 0; i < m->n; i++)
		bits += (double)m->weight[i] * (double)wire_bits(m->size[i]);
	return w > 0 ? bits / w : 0;
}

double
golive_rate_pps(const struct rate *r, const struct frame_mix *m, const struct mp_link_cfg *l)
{
	if (r->kind == RATE_PPS)
		return r->value / 1000.0;
	if (r->kind == RATE_BPS)
		return (double)r->value / golive_mix_wire_bits(m);
	return frame_mix_rate_mpps(r, m, l->rate_link_bps) / 1000.0;
}

int
golive_trial_from_summary(const cJSON *sum, uint32_t duration_ms, struct rfc2544_trial *t,
			  char (*name)[MP_NAME_MAX], int max)
{
	const cJSON *l;
	int n = 0;

	cJSON_ArrayForEach(l, GT_GET(sum, "links")) {
		const cJSON *rtt = GT_GET(l, "rtt_us");
		const char *nm = cJSON_GetStringValue(GT_GET(l, "name"));

		if (n == max)
			break;
		memset(&t[n], 0, sizeof(t[n]));
		snprintf(name[n], MP_NAME_MAX, "%s", nm != NULL ? nm : "?");
		t[n].duration_ms = duration_ms;
		t[n].sent = summary_u64(GT_GET(l, "sent"));
		t[n].lost = summary_u64(GT_GET(l, "lost"));
		t[n].sent_pps = duration_ms > 0 ? t[n].sent * 1000.0 / duration_ms : 0;
		t[n].loss_ratio = t[n].sent > 0 ? (double)t[n].lost / t[n].sent : 0;
		t[n].frame_size_sent = (uint32_t)summary_u64(GT_GET(l, "frame_size_sent"));
		t[n].has_rtt = summary_u64(GT_GET(l, "rtt_samples")) > 0 && cJSON_IsObject(rtt);
		t[n].rtt_min_us = summary_num(GT_GET(rtt, "min"));
		t[n].rtt_p50_us = summary_num(GT_GET(rtt, "p50"));
		t[n].rtt_p99_us = summary_num(GT_GET(rtt, "p99"));
		t[n].rtt_max_us = summary_num(GT_GET(rtt, "max"));
		n++;
	}
	return n;
}

void
golive_trial_worst(const struct rfc2544_trial *t, int n, struct rfc2544_trial *out)
{
	int i, w = 0;

	for (i = 1; i < n; i++)
		if (t[i].loss_ratio > t[w].loss_ratio || (t[i].sent == 0 && t[w].sent > 0))
			w = i;
	*out = t[w];
}

/* The config of the trial: the link (or both) at the size, the rate and the length. */
static int
golive_trial_cfg(const struct golive_trial_ctx *c, const struct rfc2544_ask *ask,
		 struct mp_config *t)
{
	const char *err = NULL;
	int i;

	*t = *c->cfg;
	/*
	 * A trial is a measurement at a rate chosen to find loss: the config's
	 * SLA objectives judge service, not trials (their verdict would be exit
	 * 5), and they name links by the full config's indices.
	 */
	t->sla.n = 0;
	if (c->link != GOLIVE_TOGETHER) {
		t->links[0] = c->cfg->links[c->link];
		t->n_links = 1;
	} else {
		t->n_links = link_kind_pinned(t);	/* the pair: a service link is last */
	}
	t->carrier.service = -1;	/* a trial finds loss at a rate; no carrier to tell */
	if (c->size[0] != '\0' && run_set_frame_size(t, c->size, &err) != 0)
		return -EINVAL;
	for (i = 0; i < t->n_links; i++) {
		uint64_t mpps = (uint64_t)llround(ask->rate_pps * 1000.0);

		t->links[i].rate = (struct rate){ .kind = RATE_PPS, .value = mpps > 0 ? mpps : 1 };
		snprintf(t->links[i].rate_text, sizeof(t->links[i].rate_text), "%.3fpps",
			 ask->rate_pps);
	}
	t->duration_ms = ask->duration_ms > 0 ? ask->duration_ms : 1;
	t->duration_s = (t->duration_ms + 999) / 1000;
	return c->shape != NULL ? c->shape(c->shape_arg, t) : 0;
}

/* run_once with its console (the summary table, the closing line) in log. */
static int
golive_trial_run(const struct golive_trial_ctx *c, const struct mp_config *t, const char *log)
{
	struct run_opts o = { .config_path = c->config_path, .out_dir = c->trial_dir,
			      .quiet = true };
	int fd, so, se, rc;

	fflush(stdout);
	fflush(stderr);
	fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	so = dup(STDOUT_FILENO);
	se = dup(STDERR_FILENO);
	if (fd >= 0 && so >= 0 && se >= 0) {
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
	}
	rc = run_once(t, &o);
	fflush(stdout);
	fflush(stderr);
	if (so >= 0)
		dup2(so, STDOUT_FILENO);
	if (se >= 0)
		dup2(se, STDERR_FILENO);
	if (fd >= 0)
		close(fd);
	if (so >= 0)
		close(so);
	if (se >= 0)
		close(se);
	return rc;
}

/* A Ctrl-C (blocked since the first run) waiting: stop before starting another. */
static bool
golive_interrupt_pending(void)
{
	sigset_t p;

	return sigpending(&p) == 0 && (sigismember(&p, SIGINT) || sigismember(&p, SIGTERM));
}

static void
golive_trial_mix_sent(struct golive_trial_ctx *c, const cJSON *sum)
{
	const cJSON *l = cJSON_GetArrayItem(GT_GET(sum, "links"), 0);
	const char *m = cJSON_GetStringValue(GT_GET(l, "frame_mix_sent"));

	if (m != NULL)
		snprintf(c->mix_sent, sizeof(c->mix_sent), "%s", m);
}

int
golive_trial(void *cookie, const struct rfc2544_ask *ask, struct rfc2544_trial *out)
{
	struct golive_trial_ctx *c = cookie;
	struct mp_config *t = malloc(sizeof(*t));
	char path[PATH_MAX + 32], *text;
	cJSON *sum;
	int i, rc = -EIO;

	if (t == NULL)
		return -ENOMEM;
	if (golive_interrupt_pending() || golive_trial_cfg(c, ask, t) != 0) {
		rc = golive_interrupt_pending() ? -EINTR : -EINVAL;
		free(t);
		return rc;
	}
	snprintf(c->trial_dir, sizeof(c->trial_dir), "%s/trials/%04d", c->dir, ++c->seq);
	snprintf(path, sizeof(path), "%s.log", c->trial_dir);
	mp_mkdir_p(c->trial_dir, 0755);
	c->run_rc = golive_trial_run(c, t, path);
	free(t);
	if (c->run_rc == 130)
		return -EINTR;
	snprintf(path, sizeof(path), "%s/summary.json", c->trial_dir);
	text = mp_read_file(path, NULL);
	sum = text != NULL ? cJSON_Parse(text) : NULL;
	free(text);
	c->n_links = sum != NULL ? golive_trial_from_summary(sum, ask->duration_ms, c->per_link,
							     c->name, MP_MAX_LINKS) : 0;
	if (c->n_links > 0 && cJSON_IsTrue(GT_GET(sum, "complete"))) {
		golive_trial_mix_sent(c, sum);
		for (i = 0; i < c->n_links; i++)
			c->per_link[i].asked_pps = ask->rate_pps;
		golive_trial_worst(c->per_link, c->n_links, out);
		if (out->sent > 0 && out->loss_ratio <= c->tolerance)
			memcpy(c->pass_per_link, c->per_link, sizeof(c->pass_per_link));
		rc = 0;
		if (c->on_trial != NULL)
			c->on_trial(c->arg, c, out);
	}
	cJSON_Delete(sum);
	return rc;
}
