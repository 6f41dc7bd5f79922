/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What only the benchmarks use, kept out of the prober's fast path:
 *   --ring-pair       two ethdevs over two crossed rings in this process
 *   --host-reflector  a reflector turned in the first worker's loop
 *                     (probe_worker_host_main), its cycles counted apart
 *   --rtt-samples     every round trip (lane_samples_add), written at the end
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ring.h>

#include "probe.h"

/*
 * Two ethdevs over two crossed rings, in this process: a loop with no PMD
 * cost to speak of, so the benchmarks see the prober's own cycles.
 */
static int
make_ring_pair(void)
{
	char na[RTE_ETH_NAME_MAX_LEN] = "", nb[RTE_ETH_NAME_MAX_LEN] = "";
	struct rte_ring *r[2];
	int i, a, b;

	for (i = 0; i < 2; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "mp_ringpair_%d", i);
		r[i] = rte_ring_create(name, 4096, (int)rte_socket_id(),
				       RING_F_SP_ENQ | RING_F_SC_DEQ);
		if (r[i] == NULL)
			return -ENOMEM;
	}
	a = rte_eth_from_rings("ring_a", &r[1], 1, &r[0], 1, rte_socket_id());
	b = rte_eth_from_rings("ring_b", &r[0], 1, &r[1], 1, rte_socket_id());
	if (a < 0 || b < 0) {
		fprintf(stderr, "metroprobe-dp: cannot make the ring pair: %s\n",
			rte_strerror(rte_errno));
		return -rte_errno;
	}
	rte_eth_dev_get_name_by_port((uint16_t)a, na);
	rte_eth_dev_get_name_by_port((uint16_t)b, nb);
	fprintf(stderr, "metroprobe-dp: ring pair: ports %d (%s) and %d (%s)\n", a, na, b, nb);
	return 0;
}

/* --ring-pair: before the arguments are parsed, which name the pair's ports. */
int
probe_bench_ring_pair(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--ring-pair") == 0)
			return make_ring_pair();
	return 0;
}

static uint16_t
host_reflector_poll(void *arg)
{
	return reflect_poll(arg);
}

/* --host-reflector: the first worker runs the loop with the reflector in it (and never sleeps). */
int
probe_bench_host(struct probe *p)
{
	struct reflector *r;

	if (p->cfg.host_reflector == NULL)
		return 0;
	r = reflect_host_open(p->cfg.host_reflector);
	if (r == NULL)
		return -EINVAL;
	p->bench_host.poll = host_reflector_poll;
	p->bench_host.arg = r;
	p->workers[0].host = &p->bench_host;
	p->workers[0].busy = true;
	return 0;
}

void
probe_bench_host_close(struct probe *p)
{
	if (p->bench_host.arg != NULL)
		reflect_host_close(p->bench_host.arg);
}

/* --rtt-samples: every lane's round trips, after the run. */
void
probe_bench_samples_write(struct probe *p)
{
	const char *path = p->cfg.rtt_samples_path;
	FILE *f;
	unsigned i;
	int j;

	if (path == NULL)
		return;
	f = fopen(path, "w");
	if (f == NULL) {
		fprintf(stderr, "metroprobe-dp: --rtt-samples %s: %s\n", path, strerror(errno));
		return;
	}
	for (i = 0; i < p->n_workers; i++)
		for (j = 0; j < p->workers[i].n; j++) {
			const struct probe_lane *L = p->workers[i].lanes[j];
			uint32_t k;

			for (k = 0; k < L->s.n_samples; k++)
				fprintf(f, "%s %u %u\n", L->c.cfg.name, L->c.queue, L->c.samples[k]);
		}
	if (fclose(f) != 0)
		fprintf(stderr, "metroprobe-dp: --rtt-samples %s: %s\n", path, strerror(errno));
}
