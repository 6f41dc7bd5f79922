/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metroprobe-dp: the DPDK fast path. One binary, two modes:
 *   metroprobe-dp [EAL options] -- probe   [options]   send and time STAMP
 *   metroprobe-dp [EAL options] -- reflect [options]   answer STAMP
 * The only program of the project that links DPDK.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timex.h>
#include <time.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>

#include "mp_build.h"
#include "mp_stamp.h"
#include "dp.h"

volatile bool dp_force_quit;
struct tsc_clock dp_clock;
uint16_t dp_clock_errest;
uint64_t dp_clock_error_ns;
bool dp_clock_synced;

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe-dp [EAL options] -- probe|reflect [options]\n"
		"\n"
		"  probe    send STAMP probes on one or two links and time the reflections;\n"
		"           interval records go to control's unix socket (--socket) or stdout\n"
		"  reflect  answer STAMP (RFC 8762) test packets on one port\n"
		"\n"
		"EAL options are DPDK's (-l, --vdev, -a, --no-pci, --in-memory, --file-prefix ...).\n"
		"Without PCI devices named with -a, pass --no-pci: this program never touches a\n"
		"PCI NIC it was not given.\n"
		"Run 'metroprobe-dp -- probe --help' or '-- reflect --help' for mode options.\n"
		"version %s\n", MP_VERSION);
}

static void
on_signal(int sig)
{
	(void)sig;
	dp_force_quit = true;
}

uint64_t
dp_unix_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * MP_NS_PER_S + (uint64_t)ts.tv_nsec;
}

/*
 * How good our timestamps are, for the Error Estimate of every packet and
 * the hello record: the kernel's own estimate of its clock error (adjtimex:
 * synchronised to UTC or not, estimated error) plus the uncertainty of the
 * TSC anchor. Unsynchronised clocks report their maximum error, S = 0.
 */
static void
clock_quality(uint64_t anchor_cycles)
{
	struct timex tx;
	struct stamp_errest e;
	uint64_t err_ns = anchor_cycles * MP_NS_PER_S / dp_tsc_hz + 1;
	int state;

	memset(&tx, 0, sizeof(tx));
	state = adjtimex(&tx);
	dp_clock_synced = state >= 0 && state != TIME_ERROR && !(tx.status & STA_UNSYNC);
	if (state >= 0)
		err_ns += (uint64_t)(dp_clock_synced ? tx.esterror : tx.maxerror) * 1000;
	dp_clock_error_ns = err_ns;
	stamp_errest_from_ns(&e, err_ns, dp_clock_synced, false);
	dp_clock_errest = stamp_errest_pack(&e);
}

/*
 * Anchor the TSC to the wall clock: take the tightest of a few
 * (tsc, realtime, tsc) brackets so the anchor error is a few ns.
 */
static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * MP_NS_PER_S + (uint64_t)ts.tv_nsec;
}

/* The tightest of 16 (tsc, clock, tsc) brackets: *tsc is its middle; returns its width. */
static uint64_t
clock_bracket(clockid_t id, uint64_t *tsc, uint64_t *ns)
{
	uint64_t best_w = UINT64_MAX;
	int i;

	for (i = 0; i < 16; i++) {
		uint64_t a = rte_rdtsc_precise();
		uint64_t t = clock_ns(id);
		uint64_t b = rte_rdtsc_precise();

		if (b - a < best_w) {
			best_w = b - a;
			*tsc = a + (b - a) / 2;
			*ns = t;
		}
	}
	return best_w;
}

/*
 * The TSC's real rate, against CLOCK_MONOTONIC over TSC_CAL_MS. DPDK's
 * rte_get_tsc_hz() may be a nominal value: on this project's VM it says
 * 2.6 GHz while the TSC runs at 2596.1 MHz, 1486 ppm slower, which would make
 * every round trip and rate 0.15% wrong. Two brackets 50 ms apart give the
 * rate to a few ppm. A result more than 2% from the nominal one is not
 * believed (the thread was preempted throughout): the nominal rate is kept.
 */
#define TSC_CAL_MS	50

static uint64_t
tsc_hz_measure(void)
{
	uint64_t nominal = rte_get_tsc_hz(), t0 = 0, t1 = 0, n0 = 0, n1 = 0, hz;
	struct timespec ts = { 0, TSC_CAL_MS * 1000000L };

	clock_bracket(CLOCK_MONOTONIC, &t0, &n0);
	nanosleep(&ts, NULL);
	clock_bracket(CLOCK_MONOTONIC, &t1, &n1);
	if (n1 <= n0 || t1 <= t0)
		return nominal;
	hz = (uint64_t)(((unsigned __int128)(t1 - t0) * MP_NS_PER_S + (n1 - n0) / 2) / (n1 - n0));
	if (hz < nominal - nominal / 50 || hz > nominal + nominal / 50) {
		fprintf(stderr, "metroprobe-dp: TSC measured at %" PRIu64 " Hz, DPDK says %" PRIu64
			"; using DPDK's\n", hz, nominal);
		return nominal;
	}
	return hz;
}

uint64_t dp_tsc_hz;

void
dp_clock_init(void)
{
	uint64_t best_tsc = 0, best_ns = 0, w;

	dp_tsc_hz = tsc_hz_measure();
	w = clock_bracket(CLOCK_REALTIME, &best_tsc, &best_ns);
	tsc_clock_init(&dp_clock, dp_tsc_hz, best_tsc, best_ns);
	clock_quality(w);
}

/* Free hugepages of every size, or -1 if the kernel does not say. */
static long
free_hugepages(void)
{
	static const char *const sizes[] = { "hugepages-2048kB", "hugepages-1048576kB" };
	long total = -1;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char path[128];
		FILE *f;
		long n;

		snprintf(path, sizeof(path), "/sys/kernel/mm/hugepages/%s/free_hugepages", sizes[i]);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fscanf(f, "%ld", &n) == 1)
			total = (total < 0 ? 0 : total) + n;
		fclose(f);
	}
	return total;
}

static bool
has_arg(int argc, char **argv, const char *a)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], a) == 0)
			return true;
	return false;
}

int
main(int argc, char **argv)
{
	int n, rc;
	const char *mode;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("metroprobe-dp %s\n", MP_VERSION);
		return 0;
	}
	/* Refuse early, before EAL probes anything, if no mode was given. */
	for (n = 1; n < argc && strcmp(argv[n], "--") != 0; n++)
		;
	if (n + 1 >= argc) {
		usage(stderr);
		return 2;
	}
	mode = argv[n + 1];
	if (strcmp(mode, "probe") != 0 && strcmp(mode, "reflect") != 0) {
		fprintf(stderr, "metroprobe-dp: unknown mode '%s' (probe or reflect)\n", mode);
		return 2;
	}
	for (int i = n + 2; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return strcmp(mode, "probe") == 0 ? probe_main(argc - n - 1, argv + n + 1) :
							     reflect_main(argc - n - 1, argv + n + 1);

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);

	rc = rte_eal_init(argc, argv);
	if (rc < 0) {
		long free_pages = free_hugepages();

		/* the cause first: EAL ends with EACCES when it merely found no pages */
		if (free_pages == 0 && !has_arg(argc, argv, "--no-huge"))
			fprintf(stderr, "metroprobe-dp: no free hugepages: reserve some (echo 64 > "
				"/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages; metroprobe "
				"run does it as root) or run with --no-huge (config: \"dataplane\": "
				"{\"hugepages\": false})\n");
		fprintf(stderr, "metroprobe-dp: EAL init failed: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= rc;
	argv += rc;
	/* argv[0] is now "--"'s replacement: the program name, then the mode. */
	if (argc < 2) {
		usage(stderr);
		rte_eal_cleanup();
		return 2;
	}
	dp_clock_init();
	if (strcmp(argv[1], "probe") == 0)
		rc = probe_main(argc - 1, argv + 1);
	else
		rc = reflect_main(argc - 1, argv + 1);
	rte_eal_cleanup();
	return rc;
}
