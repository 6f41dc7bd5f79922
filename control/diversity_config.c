/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The config's "diversity" section: how the site-diversity verdict judges
 * the pair (diversity.h). Every key is optional; the defaults are the
 * constants the verdict was built with:
 *
 *   "diversity": {
 *     "loss_ratio": 0.02,       an interval is impaired with more than this
 *                               share of its probes lost (0 < x < 1)
 *     "rtt_excess_us": 5000,    or with its median round trip this far above
 *                               the link's floor (1 .. 10000000)
 *     "parity_us": 1000,        delay parity bound (1 .. 1000000)
 *     "min_episodes": 3,        impairment episodes per link before a
 *                               DIVERSE verdict (1 .. 1000)
 *     "keep_s": 86400           the series kept: the verdict covers the last
 *                               keep_s (60 .. 2678400, and at most
 *                               DIV_WINDOWS_MAX windows of interval_ms)
 *   }
 */
#include <math.h>

#include "cfg_parse.h"
#include "diversity.h"
#include "diversity_config.h"

/* A number in (lo, hi), open interval: ratios. */
static int
div_cfg_ratio(struct cfg_ctx *x, const cJSON *o, const char *key, double lo, double hi,
	      double *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);
	char path[CFG_PATH_MAX];

	if (it == NULL)
		return 0;
	cfg_join(path, "diversity", key);
	if (!cJSON_IsNumber(it))
		return cfg_fail(x, path, "%s, expected a number between %g and %g", cfg_type_name(it),
				lo, hi);
	if (!(it->valuedouble > lo && it->valuedouble < hi))
		return cfg_fail(x, path, "%g is out of range (between %g and %g, exclusive)",
				it->valuedouble, lo, hi);
	*out = it->valuedouble;
	return 0;
}

static void
diversity_config_defaults(struct mp_diversity_cfg *d)
{
	d->loss_ratio = IMPAIRED_LOSS_RATIO;
	d->rtt_excess_us = (uint32_t)(IMPAIRED_RTT_EXCESS_NS / 1000);
	d->parity_us = (uint32_t)DIV_PARITY_US;
	d->min_episodes = DIV_MIN_EPISODES;
	d->keep_s = DIV_KEEP_S;
}

int
diversity_config_parse(struct cfg_ctx *x, const cJSON *o, struct mp_config *c)
{
	static const char *const keys[] = {
		"loss_ratio", "rtt_excess_us", "parity_us", "min_episodes", "keep_s", NULL,
	};
	struct mp_diversity_cfg *d = &c->diversity;
	uint64_t windows;
	int rc;

	diversity_config_defaults(d);
	if (o == NULL)
		return 0;
	if (!cJSON_IsObject(o))
		return cfg_fail(x, "diversity", "%s, expected an object {\"loss_ratio\": 0.02, ...}",
				cfg_type_name(o));
	if ((rc = cfg_check_keys(x, o, "diversity", keys)) != 0 ||
	    (rc = div_cfg_ratio(x, o, "loss_ratio", 0, 1, &d->loss_ratio)) != 0 ||
	    (rc = cfg_u32(x, o, "diversity", "rtt_excess_us", 1, 10000000, &d->rtt_excess_us)) != 0 ||
	    (rc = cfg_u32(x, o, "diversity", "parity_us", 1, 1000000, &d->parity_us)) != 0 ||
	    (rc = cfg_u32(x, o, "diversity", "min_episodes", 1, 1000, &d->min_episodes)) != 0 ||
	    (rc = cfg_u32(x, o, "diversity", "keep_s", 60, 31 * 86400, &d->keep_s)) != 0)
		return rc;
	windows = (uint64_t)d->keep_s * 1000 / (c->interval_ms != 0 ? c->interval_ms : 1);
	if (windows > DIV_WINDOWS_MAX)
		return cfg_fail(x, "diversity.keep_s", "%u s of %u ms intervals is %llu windows, more "
				"than %u (%u MB): keep less, or use longer intervals", d->keep_s,
				c->interval_ms, (unsigned long long)windows, DIV_WINDOWS_MAX,
				(unsigned)((uint64_t)DIV_WINDOWS_MAX * sizeof(struct div_sample) >> 20));
	return 0;
}
