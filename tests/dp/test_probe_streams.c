/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A link with streams, set up by the prober's own code (probe_args_parse,
 * probe_setup) on a net_null port, without launching anything: a lane per
 * stream, each with the stream's frame size, DSCP, outer-tag PCP, SSID,
 * rate and its own source port and record name, its templates parsed back
 * by the generic parser; and a link without streams keeps its own values.
 * Runs DPDK with --no-huge --no-pci --no-shconf; 77 when EAL cannot start.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>

#include "mp_stamp.h"
#include "probe.h"

volatile bool dp_force_quit;	/* main.c's, which this test does not link */
static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			printf("FAIL: " __VA_ARGS__);			\
			printf("\n");					\
			failures++;					\
		}							\
	} while (0)

/* The template's frame as the generic parser reads it: DSCP, PCP, SSID, source port. */
static void
check_lane(const struct probe_lane *L, const char *stream, unsigned len, unsigned dscp,
	   unsigned pcp, unsigned ssid, unsigned sport, uint64_t mpps)
{
	struct pkt_info pi;
	struct stamp_test t;
	enum mp_reason why;

	why = pkt_parse(L->c.tmpl[0], L->c.tmpl_len[0], PKT_VERIFY_CSUM, &pi);
	CHECK(why == MP_OK, "lane %u: the template does not parse (%d)", L->c.queue, why);
	if (why != MP_OK)
		return;
	CHECK(stamp_test_decode(L->c.tmpl[0] + pi.lay.payload_off, pi.lay.payload_len,
				STAMP_UNAUTH, &t) == 0 && t.ssid == ssid,
	      "lane %u: SSID %u, want %u", L->c.queue, t.ssid, ssid);
	CHECK(L->c.tmpl_len[0] + 4u == len, "lane %u: %u-byte frame, want %u", L->c.queue,
	      L->c.tmpl_len[0] + 4u, len);
	CHECK(pi.tos >> 2 == dscp, "lane %u: DSCP %u, want %u", L->c.queue, pi.tos >> 2, dscp);
	CHECK(pi.encap.nvlan == 1 && pi.encap.vlan[0].tci >> 13 == pcp && (pi.encap.vlan[0].tci &
	      0xfff) == 100, "lane %u: tag %#x, want PCP %u VID 100", L->c.queue,
	      pi.encap.vlan[0].tci, pcp);
	CHECK(pi.sport == sport && L->c.sport == sport, "lane %u: source port %u, want %u",
	      L->c.queue, pi.sport, sport);
	CHECK(L->c.rate_mpps == mpps, "lane %u: %llu millipps, want %llu", L->c.queue,
	      (unsigned long long)L->c.rate_mpps, (unsigned long long)mpps);
	CHECK(strcmp(L->c.cur->stream, stream) == 0, "lane %u: records named '%s', want '%s'",
	      L->c.queue, L->c.cur->stream, stream);
}

int
main(int argc, char **argv)
{
	char *eal[] = { argv[0], "--no-huge", "--no-pci", "--no-shconf", "-m", "512",
			"--lcores", "0@(0,1),1@(0,1)", "--file-prefix", "mp_test_streams",
			"--no-telemetry", "--log-level", "lib.eal:4",
			"--vdev", "net_null0", "--vdev", "net_null1", NULL };
	char *args[] = { "probe", "--link",
		"name=a,port=net_null0,ip=192.0.2.1/30,next_hop=192.0.2.2,"
		"next_hop_mac=02:00:00:00:00:02,vlan=100/3,source_port=5000,queues=1,"
		"streams=voice/2000pps/128/46/5/11;bulk/500pps/1024/10/-/12",
		"--link",
		"name=b,port=net_null1,ip=198.51.100.1/31,next_hop=198.51.100.0,"
		"next_hop_mac=02:00:00:00:00:03,vlan=100/3,rate=300pps,frame=256,dscp=8,ssid=2",
		NULL };
	static struct probe p;
	char rundir[PATH_MAX];
	int rc;

	(void)argc;
	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])) - 1, eal) < 0) {
		printf("SKIP: EAL does not start here\n");
		return 77;
	}
	dp_clock_init();
	rc = probe_args_parse((int)(sizeof(args) / sizeof(args[0])) - 1, args, &p.cfg);
	CHECK(rc == 0, "probe_args_parse: %d", rc);
	if (rc == 0)
		rc = probe_setup(&p);
	CHECK(rc == 0, "probe_setup: %d", rc);
	if (rc == 0) {
		CHECK(p.lanes_of[0][0]->c.nq == 2, "link a: %u lanes, want 2 (one per stream)",
		      p.lanes_of[0][0]->c.nq);
		check_lane(p.lanes_of[0][0], "voice", 128, 46, 5, 11, 5000, 2000000);
		check_lane(p.lanes_of[0][1], "bulk", 1024, 10, 3, 12, 5001, 500000);
		CHECK(p.lanes_of[0][1]->c.redirect != NULL, "link a: no redirect ring for lane 1");
		CHECK(p.lanes_of[1][0]->c.nq == 1, "link b: %u lanes, want 1", p.lanes_of[1][0]->c.nq);
		check_lane(p.lanes_of[1][0], "", 256, 8, 3, 2, 862, 300000);
		/* each lane counts the other link's SSIDs as the other link's */
		CHECK(p.lanes_of[1][0]->c.n_other == 2 && p.lanes_of[1][0]->c.other_ssid[0] == 11 &&
		      p.lanes_of[1][0]->c.other_ssid[1] == 12, "link b: other SSIDs wrong");
	}
	snprintf(rundir, sizeof(rundir), "%s", rte_eal_get_runtime_dir());
	rte_eal_cleanup();
	rmdir(rundir);
	if (failures == 0)
		printf("ok - two streams: two lanes with their own frames, DSCP, PCP, SSID, "
		       "source port, rate and record name; a link without streams unchanged\n");
	return failures == 0 ? 0 : 1;
}
