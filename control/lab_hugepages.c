/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The DPDK reflectors' hugepages, through control/hugepages.h: reserved by
 * `lab up` when too few are free (a lease owned by "lab" that outlives the
 * command), given back by `lab down`, never below what others still use.
 */
#include <stdio.h>

#include "lab_internal.h"

/*
 * Make the hugepages of n DPDK reflectors free (control/hugepages.c):
 * reserved as root when too few are, given back by `lab down`. When that
 * is impossible the reflectors run with --no-huge; one line says why.
 */
void
lab_hugepages_prepare(struct lab_state *st, int n_dpdk)
{
	long need = n_dpdk * hp_reflector_pages();
	struct hp_env env;
	char why[256];

	hp_env_default(&env);
	/* pid 0: the lab's pages outlive `lab up`; `lab down` gives them back */
	if (hp_provision(&env, "lab", 0, need, &st->hp, why, sizeof(why)) != 0) {
		st->hp_ok = false;
		printf("hugepages: %ld pages of 2 MB needed for %d DPDK reflector%s, %s; they run "
		       "without hugepages (--no-huge -m %d)\n", need, n_dpdk, n_dpdk > 1 ? "s" : "",
		       why, LAB_NO_HUGE_MB);
		return;
	}
	st->hp_ok = true;
	if (why[0] != '\0')
		printf("hugepages: %s\n", why);
	if (st->hp.raised > 0)
		printf("hugepages: reserved %ld pages of 2 MB for the DPDK reflectors (nr_hugepages "
		       "%ld -> %ld), given back by lab down\n", st->hp.raised, st->hp.before,
		       st->hp.before + st->hp.raised);
}

/* Give back the pages `lab up` raised, never below what others still use. */
void
lab_hugepages_restore(struct lab_state *st, bool verbose)
{
	long raised = st->hp.raised;
	struct hp_env env;
	char msg[256];

	if (raised <= 0)
		return;
	hp_env_default(&env);
	if (hp_release(&env, &st->hp, 2000, msg, sizeof(msg)) != 0)
		printf("hugepages: %s\n", msg);
	else if (verbose)
		printf("hugepages: gave back the %ld pages the lab reserved\n", raised);
}

/*
 * What `lab down` gives back: the lease in st or, without a state, the one
 * the ledger still knows; then what runs killed before they could give
 * back still hold.
 */
void
lab_hugepages_teardown(struct lab_state *st, bool verbose)
{
	struct hp_env env;
	char why[256];

	hp_env_default(&env);
	if (st != NULL) {
		lab_hugepages_restore(st, verbose);
	} else {
		struct lab_state lost;

		lab_state_init(&lost);
		if (hp_lease_find(&env, "lab", 0, &lost.hp) == 0)
			lab_hugepages_restore(&lost, verbose);
	}
	if (hp_reclaim(&env, why, sizeof(why)) > 0 && verbose)
		printf("hugepages: %s\n", why);
}
