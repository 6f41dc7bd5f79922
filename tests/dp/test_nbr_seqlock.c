/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The next hop's MAC crosses lcores: the lane that resolves it writes it
 * (dp_nbr_set_mac, nbr.c), the link's other lanes copy it into their probe
 * templates (dp_nbr_try_read, dp.h). A writer lcore flips the MAC between
 * two values that differ in every byte as fast as it can; reader lcores
 * copy it as the lanes do and count every copy that is neither value whole
 * (torn). The test fails on one torn copy, and when the readers saw too few
 * changes to have tested anything.
 *
 *   test_nbr_seqlock [--old] [MS]
 * --old reads and writes the way the prober did before the seqlock (the MAC,
 * then a bare generation bump; readers compared the generation before and
 * after their copy): it tears, and then exits 1.
 * Runs DPDK with --no-huge --no-pci --no-shconf: no hugepages, no devices,
 * no files; 77 (skipped) with fewer than two CPUs or when EAL cannot start.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_pause.h>

#include "dp.h"

static const uint8_t mac_a[6] = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 };
static const uint8_t mac_b[6] = { 0xfe, 0xee, 0xdd, 0xcc, 0xbb, 0xaa };

static struct dp_nbr nbr;
static volatile bool stop;
static bool old_scheme;

struct reader {
	uint64_t copies;		/* copies taken after a change */
	uint64_t torn;
	uint64_t seen_a, seen_b;
} __rte_cache_aligned;

static struct reader readers[RTE_MAX_LCORE];

/* The writer before the fix (nbr.c): the MAC, then the generation. */
static void
old_set_mac(struct dp_nbr *n, const uint8_t mac[6])
{
	memcpy(n->mac, mac, 6);
	n->resolved = true;
	n->generation++;
}

/* The reader before the fix (probe.c link_next_hop_ready). */
static bool
old_try_read(const struct dp_nbr *n, struct dp_nbr_view *v)
{
	uint32_t g = *(volatile const uint32_t *)&n->generation;

	if (g == v->generation)
		return false;
	rte_smp_rmb();
	memcpy(v->mac, (const void *)n->mac, 6);
	rte_smp_rmb();
	if (g != *(volatile const uint32_t *)&n->generation)
		return false;
	v->generation = g;
	return true;
}

static int
writer_main(void *arg)
{
	uint64_t i;

	(void)arg;
	for (i = 0; !stop; i++) {
		if (old_scheme)
			old_set_mac(&nbr, i & 1 ? mac_b : mac_a);
		else
			dp_nbr_set_mac(&nbr, i & 1 ? mac_b : mac_a);
	}
	return 0;
}

static void
reader_check(struct reader *r, const uint8_t mac[6])
{
	r->copies++;
	if (memcmp(mac, mac_a, 6) == 0)
		r->seen_a++;
	else if (memcmp(mac, mac_b, 6) == 0)
		r->seen_b++;
	else
		r->torn++;
}

static int
reader_main(void *arg)
{
	struct reader *r = arg;
	struct dp_nbr_view v;

	memset(&v, 0, sizeof(v));
	v.sn = 1;	/* odd: never a finished update's count */
	while (!stop) {
		if (old_scheme) {
			if (old_try_read(&nbr, &v))
				reader_check(r, v.mac);
		} else if (dp_nbr_changed(&nbr, &v) && dp_nbr_try_read(&nbr, &v)) {
			reader_check(r, v.mac);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "--no-huge", "--no-pci", "--no-shconf",
			"-m", "64", "--lcores", "0@(0,1),1@(0,1),2@(0,1),3@(0,1)",
			"--file-prefix", "mp_test_seqlock", "--no-telemetry",
			"--log-level", "lib.eal:4", NULL };
	uint64_t ms = 1000, copies = 0, torn = 0, a = 0, b = 0;
	unsigned lc, writer = 0;
	char rundir[PATH_MAX];
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--old") == 0)
			old_scheme = true;
		else
			ms = strtoull(argv[i], NULL, 10);
	}
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("SKIP: one CPU: the writer and a reader never run at once\n");
		return 77;
	}
	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])) - 1, eal) < 0) {
		printf("SKIP: EAL does not start here\n");
		return 77;
	}
	memset(&nbr, 0, sizeof(nbr));
	rte_seqlock_init(&nbr.lock);
	dp_nbr_set_mac(&nbr, mac_a);
	/* the first worker writes, the others read; the main lcore keeps the time */
	RTE_LCORE_FOREACH_WORKER(lc) {
		if (writer == 0) {
			writer = lc;
			rte_eal_remote_launch(writer_main, NULL, lc);
		} else {
			rte_eal_remote_launch(reader_main, &readers[lc], lc);
		}
	}
	rte_delay_us_sleep(ms * 1000);
	stop = true;
	rte_eal_mp_wait_lcore();
	for (lc = 0; lc < RTE_MAX_LCORE; lc++) {
		copies += readers[lc].copies;
		torn += readers[lc].torn;
		a += readers[lc].seen_a;
		b += readers[lc].seen_b;
	}
	/* EAL leaves its (empty) runtime directory behind: this test removes what it made */
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	printf("%s scheme: %" PRIu64 " copies in %" PRIu64 " ms (%" PRIu64 " of one MAC, %" PRIu64
	       " of the other), %" PRIu64 " torn\n",
	       old_scheme ? "old" : "seqlock", copies, ms, a, b, torn);
	rte_eal_cleanup();
	rmdir(rundir);
	if (torn != 0) {
		printf("FAIL: a reader copied a MAC that was never written whole\n");
		return 1;
	}
	if (a < 100 || b < 100) {
		printf("FAIL: the readers saw too few changes to test anything\n");
		return 1;
	}
	return 0;
}
