/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reflector's emulated link (lab use): replies dropped, duplicated,
 * reordered and delayed as mp_impair schedules them, and new impairments
 * read from the impair file on SIGHUP, applied between two bursts.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_mbuf.h>

#include "kv.h"
#include "reflect.h"

/* The emulated link: loss and duplication now, the rest by release time. */
void
reflect_impair(struct reflector *R, struct rte_mbuf *m, uint64_t now)
{
	enum mp_impair_verdict v = mp_impair_admit(&R->imp);
	struct rte_mbuf *copy = NULL;

	if (v == MP_IMPAIR_DROP) {
		rte_pktmbuf_free(m);
		return;
	}
	if (v == MP_IMPAIR_DUP)
		copy = rte_pktmbuf_copy(m, R->port.pool, 0, UINT32_MAX);
	if (mp_impair_push(&R->imp, now, m, copy) != 0) {
		rte_pktmbuf_free(m);
		if (copy != NULL)
			rte_pktmbuf_free(copy);
	}
}

/*
 * SIGHUP: new impairments from the impair file, applied between two
 * bursts (this is the only thread touching R->imp: no lock needed).
 * Replies already queued keep their release times.
 */
void
reflect_impair_reload(struct reflector *R)
{
	struct mp_impair_params p = { .hold_max = REORDER_HOLD_US * dp_tsc_hz / 1000000 };
	static const char *const keys[] = { "loss", "dup", "reorder", "delay_us", "jitter_us" };
	unsigned long long u, gen = 0;
	char line[1024], err[160] = "";
	const char *kerr = NULL, *v;
	struct kv kv;
	size_t len;
	FILE *f;
	int i;

	f = fopen(R->impair_file, "r");
	if (f == NULL) {
		snprintf(err, sizeof(err), "cannot open %s: %s", R->impair_file, strerror(errno));
		goto refuse;
	}
	len = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	line[len] = '\0';
	while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == ' '))
		line[--len] = '\0';
	if (kv_parse(&kv, line, &kerr) != 0) {
		snprintf(err, sizeof(err), "%s", kerr);
		goto refuse;
	}
	v = kv_get(&kv, "gen");
	if (v != NULL && kv_u64(v, 0, UINT64_MAX, &gen) != 0) {
		snprintf(err, sizeof(err), "gen=%s: want a number", v);
		goto refuse;
	}
	for (i = 0; i < 5; i++) {
		v = kv_get(&kv, keys[i]);
		if (v == NULL)
			continue;
		if ((i < 3 ? kv_pct_ppm(v, &u) : kv_u64(v, 0, 10000000, &u)) != 0) {
			snprintf(err, sizeof(err), "%s=%s: want %s", keys[i], v,
				 i < 3 ? "a percentage, 0..100" : "whole microseconds, 0..10000000");
			goto refuse;
		}
		if (i == 0)
			p.loss_ppm = (uint32_t)u;
		else if (i == 1)
			p.dup_ppm = (uint32_t)u;
		else if (i == 2)
			p.reorder_ppm = (uint32_t)u;
		else if (i == 3)
			p.delay = u * dp_tsc_hz / 1000000;
		else
			p.jitter = u * dp_tsc_hz / 1000000;
	}
	if (kv_unused(&kv) != NULL) {
		snprintf(err, sizeof(err), "unknown key '%s'", kv_unused(&kv));
		goto refuse;
	}
	if (mp_impair_check(&p, err, sizeof(err)) != 0)
		goto refuse;
	R->imp_params = p;
	mp_impair_set(&R->imp, &p);
	R->impaired = mp_impair_params_active(&p);
	printf("{\"type\":\"impair_applied\",\"gen\":%llu,\"impaired\":%s,\"queued\":%u}\n",
	       gen, R->impaired ? "true" : "false", mp_impair_pending(&R->imp));
	fflush(stdout);
	return;
refuse:
	printf("{\"type\":\"impair_refused\",\"gen\":%llu,\"error\":\"", gen);
	for (i = 0; err[i] != '\0'; i++)
		if (err[i] != '"' && err[i] != '\\')
			putchar(err[i]);
	printf("\"}\n");
	fflush(stdout);
}
