/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What a dataplane needs before it starts (dp_prep.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dp_prep.h"
#include "preflight.h"
#include "util.h"

int
dp_prep_find(const struct mp_config *cfg, struct dp_prep *p)
{
	const char *b = cfg->dp.binary;

	if (strchr(b, '/') != NULL) {
		if (access(b, X_OK) != 0) {
			fprintf(stderr, "metroprobe: dataplane.binary %s: %s\n", b, strerror(errno));
			return -ENOENT;
		}
		snprintf(p->binary, sizeof(p->binary), "%s", b);
		return 0;
	}
	if (mp_find_binary(b, p->binary, sizeof(p->binary)) != 0) {
		fprintf(stderr, "metroprobe: cannot find %s (build it, put it next to metroprobe "
			"or on PATH, or set METROPROBE_DP)\n", b);
		return -ENOENT;
	}
	return 0;
}

int
dp_prep_hugepages(const struct mp_config *cfg, const char *who, struct dp_prep *p)
{
	char why[256];
	int rc;

	p->hp_pages = preflight_hugepages(cfg);
	if (!cfg->dp.hugepages) {
		p->no_huge = true;
		return 0;
	}
	snprintf(p->who, sizeof(p->who), "%s", who);
	hp_env_default(&p->hp_env);
	rc = hp_provision(&p->hp_env, who, (long)getpid(), p->hp_pages, &p->hp_lease, why,
			  sizeof(why));
	if (rc == 0) {
		if (why[0] != '\0')
			printf("hugepages: %s\n", why);
		if (p->hp_lease.raised > 0)
			printf("hugepages: reserved %ld pages of 2 MB for the dataplane (it needs %ld; "
			       "nr_hugepages %ld -> %ld), %s\n", p->hp_lease.raised, p->hp_pages,
			       p->hp_lease.before, p->hp_lease.before + p->hp_lease.raised,
			       strcmp(who, "run") == 0 ? "given back when the run ends" :
			       "kept while the dataplane runs");
		return 0;
	}
	if (preflight_all_vdev(cfg)) {
		p->no_huge = true;
		printf("hugepages: %ld pages of 2 MB needed, %s; running the dataplane without "
		       "hugepages (--no-huge -m %ld)\n", p->hp_pages, why, preflight_no_huge_mb(cfg));
		return 0;
	}
	fprintf(stderr, "metroprobe: the dataplane needs %ld free 2 MB hugepages for its PCI "
		"ports: %s\n", p->hp_pages, why);
	return -1;
}

void
dp_prep_release(struct dp_prep *p)
{
	long raised = p->hp_lease.raised;
	char msg[256];

	if (raised <= 0)
		return;
	if (hp_release(&p->hp_env, &p->hp_lease, 2000, msg, sizeof(msg)) == 0)
		printf("hugepages: gave back the %ld pages this %s reserved\n", raised, p->who);
	else
		fprintf(stderr, "metroprobe: hugepages: %s\n", msg);
}
