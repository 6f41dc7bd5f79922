/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The prober engine: per link, pace STAMP probes on the TSC, stamp and send
 * them, poll replies, classify each one and account it in the link's
 * interval statistics. One worker lcore owns a lane (a link's queue pair):
 * its TX queue, RX queue, mbufs and statistics; no locks, no atomics, no
 * shared cache lines on the fast path (the next hop's MAC, written by the
 * lane that resolves it, is read under a seqlock). Every interval a lane
 * hands a copy of its statistics to the main lcore over an SPSC ring; the
 * main lcore turns them into interval records.
 *
 * Round trip = (t4 - t1) - (t3 - t2): t1 and t4 are our TSC mapped onto NTP
 * time by one fixed linear map (so their difference is exact cycles), t2
 * and t3 come from the reflector in its own format.
 */
#include <errno.h>

#include <rte_launch.h>
#include <rte_lcore.h>

#include "probe.h"

static int
probe_main(int argc, char **argv)
{
	static struct probe p;
	struct report rep;
	unsigned i;
	int rc;

	if (probe_bench_ring_pair(argc, argv) != 0)
		return 1;
	rc = probe_args_parse(argc, argv, &p.cfg);
	if (rc != 0)
		return rc > 0 ? 0 : 2;
	rc = probe_setup(&p);
	if (rc == 0)
		rc = probe_bench_host(&p);
	if (rc != 0)
		return rc == -EINVAL ? 2 : 1;
	if (report_open(&rep, p.cfg.socket_path) != 0)
		return 1;
	probe_hello(&p, &rep);
	for (i = 0; i < p.n_workers; i++) {
		struct probe_worker *w = &p.workers[i];

		/* the worker's loop is chosen once: with a host in it (benchmarks) or not */
		if (w->n > 0)
			rte_eal_remote_launch(w->host != NULL ? probe_worker_host_main :
					      probe_worker_main, w, w->lcore);
	}
	probe_report_loop(&p, &rep);
	rte_eal_mp_wait_lcore();
	probe_end(&p, &rep);
	probe_bench_samples_write(&p);
	report_close(&rep);
	for (i = 0; i < (unsigned)p.n_links; i++)
		dp_port_close(p.port_of[i]);
	probe_bench_host_close(&p);
	return 0;
}

const struct dp_engine probe_engine = {
	.name = "probe",
	.summary = "send STAMP probes on one or two links and time the reflections;\n"
		   "interval records go to control's unix socket (--socket) or stdout",
	.main = probe_main,
};
