/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe run`: validate the config, spawn metroprobe-dp with matching
 * EAL arguments, receive its interval records on a private unix socket,
 * print one live line per link per second, and write intervals.jsonl,
 * events.jsonl and summary.json. One single-threaded poll loop over the
 * listening socket, the record stream, a signalfd and a timerfd.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "mp_mix.h"
#include "mp_record.h"
#include "agg.h"
#include "config.h"
#include "dp_args.h"
#include "dplog.h"
#include "hugepages.h"
#include "netns.h"
#include "run.h"
#include "util.h"

#define LINE_MAX_BYTES	(1u << 20)	/* one record; a full histogram is ~60 KB */
#define HELLO_TIMEOUT_S	30
#define SWEEP_DEFAULT	"64,128,256,512,1024,1280,1518,9000"

struct run {
	struct mp_config cfg;
	const char *config_path;
	char out_dir[PATH_MAX];
	char sock_dir[PATH_MAX];
	char sock_path[PATH_MAX];
	char dp_log[PATH_MAX];
	bool quiet;
	bool no_huge;			/* --no-huge: configured, or the fallback */
	long hp_pages;			/* 2 MB pages the dataplane needs */
	struct hp_env hp_env;
	struct hp_lease hp_lease;	/* what this run raised, given back at the end */
	int listen_fd, conn_fd, sig_fd, timer_fd;
	FILE *intervals, *events;
	pid_t child;
	int child_status;
	bool child_exited;
	bool interrupted;
	bool got_hello, got_end;
	char end_reason[64];
	cJSON *hello;
	struct agg_link agg[MP_MAX_LINKS];
	char icmp_from[MP_MAX_LINKS][64];	/* source of the first ICMP error, from its event */
	bool final_seen[MP_MAX_LINKS];
	char *buf;
	size_t buf_len;
	uint64_t records, bad_records;
	unsigned long long start_ns, stop_ns;
	/* what the measurement found that a reader must not miss (exit 3 or 4) */
	char findings[2 * MP_MAX_LINKS][256];
	int n_findings;
	const char *verdict;		/* "ok", "outage", "rate_shortfall" */
	struct dp_args dp_args;
};


/* 2 MB pages metroprobe-dp probe will allocate for this config. */
static long
dp_hugepages_needed(const struct mp_config *c)
{
	struct hp_link_shape shape[MP_MAX_LINKS];
	int i;

	for (i = 0; i < c->n_links; i++) {
		shape[i].frame_size = c->links[i].frame_size;
		shape[i].queues = c->links[i].queues;
	}
	return hp_probe_pages(shape, c->n_links);
}

/* The --no-huge heap: memory_mb, or what the dataplane needs if that is more. */
static long
no_huge_mb(const struct run *r)
{
	long need = r->hp_pages * (long)(HP_PAGE_BYTES >> 20);

	return need > (long)r->cfg.dp.memory_mb ? need : (long)r->cfg.dp.memory_mb;
}

static bool
all_ports_vdev(const struct mp_config *c)
{
	int i;

	for (i = 0; i < c->n_links; i++)
		if (c->links[i].port_is_pci)
			return false;
	return true;
}

/*
 * Make the hugepages the dataplane needs free (reserving them as root), or
 * fall back to --no-huge when every port is a vdev. -1: no way to run.
 */
static int
provision_hugepages(struct run *r)
{
	char why[256];
	int rc;

	r->hp_pages = dp_hugepages_needed(&r->cfg);
	if (!r->cfg.dp.hugepages) {
		r->no_huge = true;
		return 0;
	}
	hp_env_default(&r->hp_env);
	rc = hp_provision(&r->hp_env, "run", (long)getpid(), r->hp_pages, &r->hp_lease, why,
			  sizeof(why));
	if (rc == 0) {
		if (why[0] != '\0')
			printf("hugepages: %s\n", why);
		if (r->hp_lease.raised > 0)
			printf("hugepages: reserved %ld pages of 2 MB for the dataplane (it needs %ld; "
			       "nr_hugepages %ld -> %ld), given back when the run ends\n",
			       r->hp_lease.raised, r->hp_pages, r->hp_lease.before,
			       r->hp_lease.before + r->hp_lease.raised);
		return 0;
	}
	if (all_ports_vdev(&r->cfg)) {
		r->no_huge = true;
		printf("hugepages: %ld pages of 2 MB needed, %s; running the dataplane without "
		       "hugepages (--no-huge -m %ld)\n", r->hp_pages, why, no_huge_mb(r));
		return 0;
	}
	fprintf(stderr, "metroprobe: the dataplane needs %ld free 2 MB hugepages for its PCI "
		"ports: %s\n", r->hp_pages, why);
	return -1;
}

static void
release_hugepages(struct run *r)
{
	long raised = r->hp_lease.raised;
	char msg[256];

	if (raised <= 0)
		return;
	if (hp_release(&r->hp_env, &r->hp_lease, 2000, msg, sizeof(msg)) == 0)
		printf("hugepages: gave back the %ld pages this run reserved\n", raised);
	else
		fprintf(stderr, "metroprobe: hugepages: %s\n", msg);
}


/* The dataplane's command line for this run. */
static void
build_dp_args(struct run *r, const char *binary)
{
	struct dp_args_opts o = {
		.binary = binary,
		.sock_path = r->sock_path,
		.no_huge = r->no_huge,
		.no_huge_mb = no_huge_mb(r),
	};

	dp_args_build(&r->dp_args, &r->cfg, &o);
}

static int
load_config(struct run *r, const char *path)
{
	char err[512];

	if (mp_config_load(path, &r->cfg, err, sizeof(err)) != 0) {
		fprintf(stderr, "metroprobe: %s\n", err);	/* err names the file */
		return -EINVAL;
	}
	return 0;
}

static int
find_dp(struct run *r, char *out, size_t len)
{
	const char *b = r->cfg.dp.binary;

	if (strchr(b, '/') != NULL) {
		if (access(b, X_OK) != 0) {
			fprintf(stderr, "metroprobe: dataplane.binary %s: %s\n", b, strerror(errno));
			return -ENOENT;
		}
		snprintf(out, len, "%s", b);
		return 0;
	}
	if (mp_find_binary(b, out, len) != 0) {
		fprintf(stderr, "metroprobe: cannot find %s (build it, put it next to metroprobe "
			"or on PATH, or set METROPROBE_DP)\n", b);
		return -ENOENT;
	}
	return 0;
}

/* Does interface ifname exist in network namespace ns ("" = ours)? */
static bool
iface_exists(const char *ns, const char *ifname)
{
	pid_t pid;
	int st;

	if (ns[0] == '\0')
		return if_nametoindex(ifname) != 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return true;	/* cannot tell: let the run say */
	if (pid == 0) {
		if (mp_netns_enter(ns) != 0)
			_exit(2);
		_exit(if_nametoindex(ifname) != 0 ? 0 : 1);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* The value of key=... in a vdev argument list, or "" */
static void
vdev_arg(const char *port, const char *key, char *out, size_t len)
{
	size_t kl = strlen(key);
	const char *p = strchr(port, ',');

	out[0] = '\0';
	while (p != NULL) {
		p++;
		if (strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t n = strcspn(p + kl + 1, ",");

			snprintf(out, len, "%.*s", (int)n, p + kl + 1);
			return;
		}
		p = strchr(p, ',');
	}
}

/*
 * What would make a run of this config fail on this machine, before DPDK
 * says it less clearly: the dataplane binary, each link's network namespace,
 * its interface (in that namespace), a vdev kind DPDK has, a PCI device.
 * Appends "; "-separated problems to out; returns how many.
 */
static int
preflight(const struct run *r, const char *dp_err, char *out, size_t len)
{
	static const char *const kinds[] = {
		"net_af_packet", "net_af_xdp", "net_pcap", "net_tap", "net_memif", "net_ring",
		"net_null", "net_vhost", "net_virtio_user",
	};
	/* vdev kinds that name an existing kernel interface, and with which key */
	static const char *const if_keys[] = { "iface", "rx_iface", "tx_iface" };
	int n = 0, i;
	size_t k;

#define PROBLEM(...) do {							\
		size_t u = strlen(out);						\
		snprintf(out + u, len - u, "%s", n++ ? "; " : "");		\
		u = strlen(out);						\
		snprintf(out + u, len - u, __VA_ARGS__);			\
	} while (0)
	out[0] = '\0';
	if (dp_err[0] != '\0')
		PROBLEM("%s", dp_err);
	for (i = 0; i < r->cfg.n_links; i++) {
		const struct mp_link_cfg *l = &r->cfg.links[i];
		char dev[MP_STR_MAX], path[PATH_MAX], ifn[MP_STR_MAX];

		if (l->netns[0] != '\0') {
			if (!mp_netns_exists(l->netns)) {
				PROBLEM("links[%d].netns: no network namespace %s", i, l->netns);
				continue;
			}
		}
		if (l->port_is_pci) {
			snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s", l->port);
			if (access(path, F_OK) != 0)
				PROBLEM("links[%d].port: no PCI device %s on this machine", i, l->port);
			continue;
		}
		dp_args_port_name(l, dev, sizeof(dev));
		for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
			if (strncmp(dev, kinds[k], strlen(kinds[k])) == 0)
				break;
		if (k == sizeof(kinds) / sizeof(kinds[0])) {
			PROBLEM("links[%d].port: '%s' is not a DPDK vdev kind this build knows", i, dev);
			continue;
		}
		if (strncmp(dev, "net_tap", 7) == 0)
			continue;	/* it makes its interface */
		for (k = 0; k < sizeof(if_keys) / sizeof(if_keys[0]); k++) {
			vdev_arg(l->port, if_keys[k], ifn, sizeof(ifn));
			if (ifn[0] != '\0' && !iface_exists(l->netns, ifn))
				PROBLEM("links[%d].port: no interface %s%s%s", i, ifn,
					l->netns[0] != '\0' ? " in netns " : "", l->netns);
		}
	}
#undef PROBLEM
	return n;
}

int
check_main(int argc, char **argv)
{
	struct run *r;
	char dp[PATH_MAX], dp_err[PATH_MAX + 128] = "", problems[2048];
	int i;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(argc == 2 ? stdout : stderr,
			"usage: metroprobe check CONFIG\n"
			"Validates CONFIG and what a run of it needs on this machine (the dataplane\n"
			"binary, each link's network namespace and interface, vdev kinds, PCI\n"
			"devices), and prints the dataplane command a run would start.\n"
			"Exit: 0 ok, 1 a run would fail here (one line saying why), 2 bad config.\n");
		return argc == 2 ? 0 : 2;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return 1;
	if (load_config(r, argv[1]) != 0) {
		free(r);
		return 2;
	}
	snprintf(r->sock_path, sizeof(r->sock_path), "SOCKET");
	r->hp_pages = dp_hugepages_needed(&r->cfg);
	r->no_huge = !r->cfg.dp.hugepages;
	if (strchr(r->cfg.dp.binary, '/') != NULL ? access(r->cfg.dp.binary, X_OK) == 0 :
	    mp_find_binary(r->cfg.dp.binary, dp, sizeof(dp)) == 0) {
		if (strchr(r->cfg.dp.binary, '/') != NULL)
			snprintf(dp, sizeof(dp), "%s", r->cfg.dp.binary);
	} else {
		snprintf(dp, sizeof(dp), "%s", r->cfg.dp.binary);
		snprintf(dp_err, sizeof(dp_err), "dataplane.binary: %s not found%s", dp,
			 strchr(dp, '/') != NULL ? "" :
			 " (next to metroprobe, in the build tree, on PATH or METROPROBE_DP)");
	}
	if (preflight(r, dp_err, problems, sizeof(problems)) != 0) {
		fprintf(stderr, "metroprobe: %s: a run would fail here: %s\n", argv[1], problems);
		free(r);
		return 1;
	}
	build_dp_args(r, dp);
	printf("config ok: %s, links", r->cfg.metro);
	for (i = 0; i < r->cfg.n_links; i++)
		printf(" %s (%s)", r->cfg.links[i].name, r->cfg.links[i].location);
	printf("\n");
	if (r->cfg.links[0].netns[0] != '\0')
		printf("netns: %s\n", r->cfg.links[0].netns);
	if (r->no_huge)
		printf("memory: --no-huge -m %ld\n", no_huge_mb(r));
	else if (all_ports_vdev(&r->cfg))
		printf("memory: %ld hugepages of 2 MB (run reserves them when fewer are free and it "
		       "is root; else it runs with --no-huge -m %ld)\n", r->hp_pages, no_huge_mb(r));
	else
		printf("memory: %ld hugepages of 2 MB (run reserves them when fewer are free and it "
		       "is root; PCI ports cannot do without)\n", r->hp_pages);
	printf("dataplane:");
	for (i = 0; i < r->dp_args.argc; i++)
		printf(" %s", r->dp_args.argv[i]);
	printf("\n");
	free(r);
	return 0;
}

static void
run_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe run CONFIG [--duration S] [--out DIR] [--quiet] [--frame-size F]\n"
		"       metroprobe run CONFIG --sweep[=LIST] [--duration S] [--out DIR] [--quiet]\n"
		"Probes both links of the config's Metro pair. Prints one line per link per\n"
		"second, then a summary table; writes DIR/intervals.jsonl (one record per link\n"
		"per interval), DIR/events.jsonl, DIR/summary.json and DIR/dataplane.log.\n"
		"  --duration S   seconds to probe (overrides duration_s; 0 = until Ctrl-C)\n"
		"  --out DIR      output directory (overrides out_dir)\n"
		"  --quiet        no live lines or events (the summary table is still printed)\n"
		"  --frame-size F frame size (or mix: imix, 64:7+570:4+1518:1) for every link\n"
		"  --sweep[=LIST] one run per frame size (default " SWEEP_DEFAULT "),\n"
		"                 RFC 2544 style, each in DIR/size-N; DIR/sweep.json and a table\n"
		"Exit: 0 complete, 1 the run failed, 2 bad config or usage, 3 complete but a link\n"
		"had an outage or lost every probe, 4 complete but a link did not reach its rate\n"
		"(more than 2%% of the probes due not sent), 130 interrupted.\n");
}

static int
open_socket(struct run *r)
{
	struct sockaddr_un sa;

	snprintf(r->sock_dir, sizeof(r->sock_dir), "/tmp/metroprobe.XXXXXX");
	if (mkdtemp(r->sock_dir) == NULL)
		return -errno;
	snprintf(r->sock_path, sizeof(r->sock_path), "%s/records.sock", r->sock_dir);
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", r->sock_path);
	r->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (r->listen_fd < 0)
		return -errno;
	if (bind(r->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    chmod(r->sock_path, 0600) != 0 || listen(r->listen_fd, 4) != 0)
		return -errno;
	return 0;
}

static void
close_socket(struct run *r)
{
	if (r->conn_fd >= 0)
		close(r->conn_fd);
	if (r->listen_fd >= 0)
		close(r->listen_fd);
	r->conn_fd = r->listen_fd = -1;
	if (r->sock_path[0] != '\0')
		unlink(r->sock_path);
	if (r->sock_dir[0] != '\0')
		rmdir(r->sock_dir);
}

static pid_t
spawn_dp(struct run *r)
{
	pid_t pid, parent = getpid();
	const char *ns = r->cfg.links[0].netns;
	int rc;

	fflush(NULL);
	pid = fork();
	if (pid != 0)
		return pid;
	/* child */
	{
		int fd = open(r->dp_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		sigset_t none;

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		/*
		 * Nothing of our caller's: a lock it holds (flock FILE metroprobe
		 * run) would otherwise be held by a dataplane that outlives us.
		 */
		close_range(3, ~0u, 0);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		/* Its own process group: a Ctrl-C reaches control, which stops it in order. */
		setpgid(0, 0);
		/*
		 * A run's dataplane must not outlive control: SIGTERM when we die
		 * (the dataplane then drains and ends). If control died before
		 * this line, the signal will never come: give up now.
		 */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0 || getppid() != parent)
			_exit(125);
		if (ns[0] != '\0' && (rc = mp_netns_enter(ns)) != 0) {
			fprintf(stderr, "metroprobe: cannot enter netns %s: %s\n", ns, strerror(-rc));
			_exit(126);
		}
		execv(r->dp_args.argv[0], r->dp_args.argv);
		fprintf(stderr, "metroprobe: exec %s: %s\n", r->dp_args.argv[0], strerror(errno));
		_exit(127);
	}
}

static int
link_index_of(struct run *r, const char *name)
{
	int i;

	for (i = 0; i < r->cfg.n_links; i++)
		if (strcmp(r->cfg.links[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * One JSON-lines record, whole, on disk now: the stream's buffer holds the
 * largest record, so the flush is one write() of the complete line, and a
 * reader following the file (tail -f | jq) never sees half a line.
 */
static void
jsonl_put(FILE *f, const char *line)
{
	fputs(line, f);
	fputc('\n', f);
	fflush(f);
}

static FILE *
jsonl_open(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f != NULL)
		setvbuf(f, NULL, _IOFBF, LINE_MAX_BYTES + 65536);
	return f;
}

static void
handle_record(struct run *r, char *line)
{
	cJSON *o = cJSON_Parse(line), *t;
	char err[256];

	if (o == NULL || !cJSON_IsString(t = cJSON_GetObjectItemCaseSensitive(o, "type"))) {
		r->bad_records++;
		cJSON_Delete(o);
		return;
	}
	if (strcmp(t->valuestring, "interval") == 0) {
		static struct link_interval li;
		int i;

		if (record_interval_from_json(o, &li, err, sizeof(err)) != 0 ||
		    (i = link_index_of(r, li.link)) < 0) {
			r->bad_records++;
			fprintf(stderr, "metroprobe: bad record from the dataplane: %s\n", err);
		} else {
			agg_add_interval(&r->agg[i], &li);
			r->records++;
			jsonl_put(r->intervals, line);
		}
	} else if (strcmp(t->valuestring, "hello") == 0) {
		const cJSON *l;

		r->got_hello = true;
		jsonl_put(r->events, line);
		/* Say so when the dataplane raised a frame size to the STAMP minimum. */
		cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(o, "links")) {
			const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name"));
			const char *mix = cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(l, "frame_mix"));
			int i = name != NULL ? link_index_of(r, name) : -1;

			if (i >= 0 && mix != NULL && strcmp(mix, r->cfg.links[i].frame_mix) != 0) {
				char ev[512];

				snprintf(ev, sizeof(ev), "{\"type\":\"event\",\"link\":\"%s\",\"event\":"
					 "\"frame_size_raised\",\"detail\":\"%s -> %s\"}", name,
					 r->cfg.links[i].frame_mix, mix);
				jsonl_put(r->events, ev);
				printf("note: link %s frame size %s raised to %s (the smallest STAMP "
				       "frame of its encapsulation)\n", name, r->cfg.links[i].frame_mix, mix);
			}
		}
		cJSON_Delete(r->hello);
		r->hello = o;
		o = NULL;
	} else if (strcmp(t->valuestring, "event") == 0) {
		cJSON *l = cJSON_GetObjectItemCaseSensitive(o, "link");
		cJSON *e = cJSON_GetObjectItemCaseSensitive(o, "event");
		cJSON *d = cJSON_GetObjectItemCaseSensitive(o, "detail");

		{
			/* Wall-clock time of the event, readable and exact. */
			unsigned long long now = mp_now_ns();
			time_t secs = (time_t)(now / 1000000000ull);
			char iso[64], ns[32];
			struct tm tm;

			gmtime_r(&secs, &tm);
			strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%S", &tm);
			snprintf(iso + strlen(iso), sizeof(iso) - strlen(iso), ".%06lluZ",
				 (now % 1000000000ull) / 1000);
			snprintf(ns, sizeof(ns), "%llu", now);
			cJSON_AddStringToObject(o, "time", iso);
			cJSON_AddStringToObject(o, "time_ns", ns);
		}
		if (cJSON_IsString(e) && strcmp(e->valuestring, "icmp_error") == 0 &&
		    cJSON_IsString(l) && cJSON_IsString(d)) {
			const char *from = strstr(d->valuestring, " from ");
			int i = link_index_of(r, l->valuestring);

			if (from != NULL && i >= 0 && r->icmp_from[i][0] == '\0')
				sscanf(from + 6, "%63s", r->icmp_from[i]);
		}
		if (!r->quiet)
			printf("event: link %s %s %s\n", cJSON_IsString(l) ? l->valuestring : "?",
			       cJSON_IsString(e) ? e->valuestring : "?",
			       cJSON_IsString(d) ? d->valuestring : "");
		{
			char *s = cJSON_PrintUnformatted(o);

			if (s != NULL) {
				jsonl_put(r->events, s);
				free(s);
			}
		}
	} else if (strcmp(t->valuestring, "end") == 0) {
		cJSON *why = cJSON_GetObjectItemCaseSensitive(o, "reason");

		/* the dataplane's own account (workers, lanes, cycles) goes with the events */
		jsonl_put(r->events, line);

		r->got_end = true;
		snprintf(r->end_reason, sizeof(r->end_reason), "%s",
			 cJSON_IsString(why) ? why->valuestring : "unknown");
	}
	cJSON_Delete(o);
}

/* Read what the dataplane sent; split into lines. Returns -1 on EOF/error. */
static int
read_records(struct run *r)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(r->conn_fd, chunk, sizeof(chunk));
		size_t start = 0, i;

		if (n == 0)
			return -1;
		if (n < 0)
			return errno == EAGAIN || errno == EINTR ? 0 : -1;
		if (r->buf_len + (size_t)n > LINE_MAX_BYTES) {
			r->bad_records++;
			r->buf_len = 0;
			continue;
		}
		memcpy(r->buf + r->buf_len, chunk, (size_t)n);
		r->buf_len += (size_t)n;
		for (i = 0; i < r->buf_len; i++) {
			if (r->buf[i] != '\n')
				continue;
			r->buf[i] = '\0';
			handle_record(r, r->buf + start);
			start = i + 1;
		}
		memmove(r->buf, r->buf + start, r->buf_len - start);
		r->buf_len -= start;
	}
}

static void
print_live(struct run *r)
{
	static struct link_interval sec;
	char line[512];
	int i;

	for (i = 0; i < r->cfg.n_links; i++) {
		uint64_t n = agg_take_live(&r->agg[i], &sec);

		if (r->quiet)
			continue;
		if (n == 0) {
			printf("%-8s no data this second%s\n", r->cfg.links[i].name,
			       r->got_hello ? "" : " (dataplane starting)");
			continue;
		}
		agg_live_line(r->cfg.links[i].name, &sec, line, sizeof(line));
		printf("%s\n", line);
	}
	fflush(stdout);
}

/* A number of a summary built here: a double, or an exact integer (raw text). */
static double
json_num(const cJSON *it)
{
	if (cJSON_IsRaw(it))
		return strtod(it->valuestring, NULL);
	return cJSON_IsNumber(it) ? it->valuedouble : 0.0;
}

static unsigned long long
json_u64(const cJSON *it)
{
	if (cJSON_IsRaw(it))
		return strtoull(it->valuestring, NULL, 10);
	return cJSON_IsNumber(it) ? (unsigned long long)it->valuedouble : 0;
}

static void
fmt_us(const cJSON *o, const char *key, char *buf, size_t len)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsNumber(v))
		snprintf(buf, len, "%.1f", v->valuedouble);
	else
		snprintf(buf, len, "-");
}

static void
print_summary(const cJSON *sum)
{
	const cJSON *links = cJSON_GetObjectItemCaseSensitive(sum, "links"), *l;

	printf("\n%-8s %9s %9s %7s %8s %5s %5s %6s %5s %9s %9s %9s %9s %8s\n", "link", "sent",
	       "received", "lost", "loss%", "late", "dup", "reord", "inv", "rtt min", "p50",
	       "p99", "max", "jitter");
	cJSON_ArrayForEach(l, links) {
		const cJSON *rtt = cJSON_GetObjectItemCaseSensitive(l, "rtt_us");
		const cJSON *lr = cJSON_GetObjectItemCaseSensitive(l, "loss_ratio");
		char mn[24], p50[24], p99[24], mx[24], jit[24], loss[24];

		fmt_us(rtt, "min", mn, sizeof(mn));
		fmt_us(rtt, "p50", p50, sizeof(p50));
		fmt_us(rtt, "p99", p99, sizeof(p99));
		fmt_us(rtt, "max", mx, sizeof(mx));
		fmt_us(l, "jitter_us", jit, sizeof(jit));
		if (cJSON_IsNumber(lr))
			snprintf(loss, sizeof(loss), "%.3f", lr->valuedouble * 100.0);
		else
			snprintf(loss, sizeof(loss), "-");
#define N(k) json_u64(cJSON_GetObjectItemCaseSensitive(l, k))
		printf("%-8s %9llu %9llu %7llu %8s %5llu %5llu %6llu %5llu %9s %9s %9s %9s %8s\n",
		       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name")),
		       N("sent"), N("received"), N("lost"), loss, N("late"), N("duplicates"),
		       N("reordered"), N("invalid"), mn, p50, p99, mx, jit);
#undef N
	}
	printf("(round-trip times and jitter in microseconds)\n");
	cJSON_ArrayForEach(l, links) {
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(l, "reflector");
		char bytes[48];
		unsigned long long bmin, bmax;

		if (!cJSON_IsObject(f))
			continue;
#define B(k) cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f, k))
		bmin = json_u64(cJSON_GetObjectItemCaseSensitive(f, "reply_bytes_min"));
		bmax = json_u64(cJSON_GetObjectItemCaseSensitive(f, "reply_bytes_max"));
		if (bmin == bmax)
			snprintf(bytes, sizeof(bytes), "%llu", bmin);
		else
			snprintf(bytes, sizeof(bytes), "%llu-%llu", bmin, bmax);
		printf("reflector %s: SSID %s, %s, replies of %s bytes%s, %s%s, %s timestamps\n",
		       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name")),
		       B("ssid_echoed") ? "echoed" : "not echoed (no RFC 8972)",
		       B("stateful") ? "stateful" : "stateless", bytes,
		       B("tlvs_echoed") ? " (trailer echoed)" : "",
		       B("sender_ttl_seen") ? "Sender TTL seen" : "no Sender TTL",
		       B("t2_equals_t3") ? ", T2 == T3" : "",
		       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "timestamp_format")));
#undef B
	}
}

static void
add_finding(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
add_finding(struct run *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n_findings >= (int)(sizeof(r->findings) / sizeof(r->findings[0])))
		return;
	va_start(ap, fmt);
	vsnprintf(r->findings[r->n_findings++], sizeof(r->findings[0]), fmt, ap);
	va_end(ap);
}

/*
 * What a run that went its whole course may still have found: a link with an
 * outage (no replies for a while, probes overdue) or with every probe lost.
 * Such a run is complete, but not clean: it says so and exits 3.
 */
static void
find_outages(struct run *r)
{
	int i;

	for (i = 0; i < r->cfg.n_links; i++) {
		const struct agg_link *a = &r->agg[i];
		const struct link_counters *c = &a->total.c;

		if (c->received == 0 && c->lost > 0)
			add_finding(r, "link %s: OUTAGE: no replies at all, 100%% loss (%llu probes lost)",
				    r->cfg.links[i].name, (unsigned long long)c->lost);
		else if (a->outages > 0)
			add_finding(r, "link %s: OUTAGE: no replies for up to %.1f s (%llu outage%s, "
				    "%.1f s in all)", r->cfg.links[i].name,
				    (double)a->outage_longest_ns / 1e9,
				    (unsigned long long)a->outages, a->outages == 1 ? "" : "s",
				    (double)a->outage_total_ns / 1e9);
		else
			continue;
		r->verdict = "outage";
	}
	/* the configured rate not reached: exit 4 unless there is worse */
	for (i = 0; i < r->cfg.n_links; i++) {
		const struct agg_link *a = &r->agg[i];
		const struct link_counters *c = &a->total.c;
		double f, pps = (double)a->total.pacer_rate_mpps / 1000.0;

		if (!agg_rate_short(c, &f))
			continue;
		add_finding(r, "link %s: RATE SHORTFALL: %.0f probes/s achieved of %.0f configured "
			    "(%.1f%%; %llu skipped, %llu refused by the port)", r->cfg.links[i].name,
			    pps * f, pps, 100.0 * f, (unsigned long long)c->tx_skipped,
			    (unsigned long long)c->tx_failed);
		if (strcmp(r->verdict, "ok") == 0)
			r->verdict = "rate_shortfall";
	}
	/* the far end or the path answered with ICMP errors: say what and who */
	for (i = 0; i < r->cfg.n_links; i++) {
		const struct link_counters *c = &r->agg[i].total.c;
		unsigned k;

		for (k = 0; k < MP_ICMP_MAX; k++)
			if (c->icmp_errors[k] != 0)
				add_finding(r, "link %s: %llu ICMP %s%s%s", r->cfg.links[i].name,
					    (unsigned long long)c->icmp_errors[k], mp_icmp_err_names[k],
					    r->icmp_from[i][0] != '\0' ? " from " : "", r->icmp_from[i]);
	}
}

static int
write_summary(struct run *r, bool complete, const char *reason)
{
	cJSON *extra = cJSON_CreateObject(), *sum;
	char path[PATH_MAX], *s;
	int i, rc;

	cJSON_AddStringToObject(extra, "metro", r->cfg.metro);
	cJSON_AddStringToObject(extra, "config", r->config_path);
	record_add_u64(extra, "start_unix_ns", r->start_ns);
	record_add_u64(extra, "end_unix_ns", r->stop_ns);
	record_add_u64(extra, "duration_s_configured", r->cfg.duration_s);
	record_add_u64(extra, "interval_ms", r->cfg.interval_ms);
	record_add_u64(extra, "loss_timeout_ms", r->cfg.loss_timeout_ms);
	record_add_u64(extra, "records", r->records);
	record_add_u64(extra, "bad_records", r->bad_records);
	cJSON_AddStringToObject(extra, "verdict", r->verdict);
	{
		cJSON *f = cJSON_AddArrayToObject(extra, "findings");

		for (i = 0; i < r->n_findings; i++)
			cJSON_AddItemToArray(f, cJSON_CreateString(r->findings[i]));
	}
	if (r->child_exited) {
		if (WIFEXITED(r->child_status))
			cJSON_AddNumberToObject(extra, "dataplane_exit", WEXITSTATUS(r->child_status));
		else if (WIFSIGNALED(r->child_status))
			cJSON_AddNumberToObject(extra, "dataplane_signal", WTERMSIG(r->child_status));
	}
	{
		cJSON *locs = cJSON_AddArrayToObject(extra, "locations");

		for (i = 0; i < r->cfg.n_links; i++)
			cJSON_AddItemToArray(locs, cJSON_CreateString(r->cfg.links[i].location));
	}
	sum = agg_summary_json(r->agg, (unsigned)r->cfg.n_links, complete, reason, extra);
	cJSON_Delete(extra);
	if (sum == NULL)
		return -ENOMEM;
	{
		/* the frame sizes actually sent (raised to the STAMP minimum), from the hello */
		cJSON *l, *h;

		cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(sum, "links")) {
			const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name"));

			i = name != NULL ? link_index_of(r, name) : -1;
			if (i < 0)
				continue;
			cJSON_AddStringToObject(l, "frame_mix_configured", r->cfg.links[i].frame_mix);
			cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(r->hello, "links")) {
				const cJSON *fs = cJSON_GetObjectItemCaseSensitive(h, "frame_size");
				const cJSON *fm = cJSON_GetObjectItemCaseSensitive(h, "frame_mix");
				const char *hn = cJSON_GetStringValue(
					cJSON_GetObjectItemCaseSensitive(h, "name"));

				if (hn == NULL || strcmp(name, hn) != 0)
					continue;
				if (cJSON_IsNumber(fs))
					record_add_u64(l, "frame_size_sent", (uint64_t)fs->valuedouble);
				if (cJSON_IsString(fm))
					cJSON_AddStringToObject(l, "frame_mix_sent", fm->valuestring);
			}
		}
	}
	s = cJSON_Print(sum);
	snprintf(path, sizeof(path), "%s/summary.json", r->out_dir);
	rc = s != NULL ? mp_write_file(path, s, strlen(s)) : -ENOMEM;
	if (rc == 0 && s != NULL) {
		/* a trailing newline for people who cat it */
		FILE *f = fopen(path, "a");

		if (f != NULL) {
			fputc('\n', f);
			fclose(f);
		}
	}
	free(s);
	/* --quiet hides the live lines, never the result */
	print_summary(sum);
	for (i = 0; i < r->n_findings; i++)
		printf("%s\n", r->findings[i]);
	cJSON_Delete(sum);
	return rc;
}

static void
print_log_tail(const char *path)
{
	char *log = mp_read_file(path, NULL), *p;
	int lines = 0;

	if (log == NULL)
		return;
	for (p = log + strlen(log); p > log; p--)
		if (*p == '\n' && ++lines > 12)
			break;
	fprintf(stderr, "--- last lines of %s ---\n%s\n", path, p == log ? p : p + 1);
	free(log);
}

static int
run_loop(struct run *r)
{
	unsigned long long deadline_hello = mp_mono_ns() + HELLO_TIMEOUT_S * 1000000000ull;
	unsigned long long kill_at = 0;

	for (;;) {
		struct pollfd p[4];
		int np = 0;

		p[np++] = (struct pollfd){ .fd = r->sig_fd, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = r->timer_fd, .events = POLLIN };
		p[np++] = (struct pollfd){ .fd = r->conn_fd >= 0 ? r->conn_fd : r->listen_fd,
					   .events = POLLIN };
		if (poll(p, (nfds_t)np, 1000) < 0 && errno != EINTR)
			return -errno;
		if (p[0].revents & POLLIN) {
			struct signalfd_siginfo si;

			while (read(r->sig_fd, &si, sizeof(si)) == sizeof(si)) {
				if (si.ssi_signo == SIGCHLD) {
					int st;

					if (waitpid(r->child, &st, WNOHANG) == r->child) {
						r->child_exited = true;
						r->child_status = st;
					}
				} else if (!r->interrupted) {
					/* Ctrl-C: stop sending; the dataplane drains in-flight probes. */
					r->interrupted = true;
					if (!r->quiet)
						printf("stopping: waiting up to %u ms for probes in flight\n",
						       r->cfg.loss_timeout_ms);
					kill(r->child, SIGTERM);
					kill_at = mp_mono_ns() +
						  (r->cfg.loss_timeout_ms + 5000ull) * 1000000ull;
				} else {
					kill(r->child, SIGKILL);
				}
			}
		}
		if (p[1].revents & POLLIN) {
			uint64_t ticks;

			if (read(r->timer_fd, &ticks, sizeof(ticks)) == sizeof(ticks))
				print_live(r);
		}
		if (r->conn_fd < 0 && (p[2].revents & POLLIN)) {
			struct ucred cred;
			socklen_t cl = sizeof(cred);
			int fd = accept4(r->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

			/* Only our own dataplane child may feed us records. */
			if (fd >= 0 && getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) == 0 &&
			    cred.pid == r->child) {
				r->conn_fd = fd;
			} else if (fd >= 0) {
				close(fd);
			}
		} else if (r->conn_fd >= 0 && (p[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			if (read_records(r) < 0) {
				close(r->conn_fd);
				r->conn_fd = -1;
			}
		}
		if (r->child_exited) {
			/* Drain what is still in the socket, then stop. */
			if (r->conn_fd >= 0)
				read_records(r);
			break;
		}
		if (!r->got_hello && mp_mono_ns() > deadline_hello) {
			fprintf(stderr, "metroprobe: the dataplane did not start within %d s\n",
				HELLO_TIMEOUT_S);
			kill(r->child, SIGKILL);
			kill_at = 0;
		}
		if (kill_at != 0 && mp_mono_ns() > kill_at) {
			fprintf(stderr, "metroprobe: the dataplane did not stop; killing it\n");
			kill(r->child, SIGKILL);
			kill_at = 0;
		}
	}
	return 0;
}

/*
 * RFC 2544-style frame-size sweep: one run per size, each in DIR/size-N,
 * then DIR/sweep.json and a table. Sizes the ports cannot take (9000 on a
 * 1500-byte MTU) fail on their own and are reported as such; the sweep goes
 * on. Ctrl-C stops the sweep after the run it interrupts.
 */
static int
run_sweep(int argc, char **argv, const char *sizes, const char *out_dir)
{
	char list[256], *save = NULL, *tok, *a[16], sub[PATH_MAX], path[PATH_MAX];
	cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "sizes"), *e;
	int n, i, rc = 0, worst = 0;
	char *s;

	snprintf(list, sizeof(list), "%s", sizes);
	if (mp_mkdir_p(out_dir, 0755) != 0) {
		fprintf(stderr, "metroprobe: cannot create %s\n", out_dir);
		cJSON_Delete(root);
		return 1;
	}
	for (tok = strtok_r(list, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		unsigned long size = strtoul(tok, &end, 10);
		char *summary;

		if (*tok == '\0' || *end != '\0' || size < PKT_MIN_FRAME || size > PKT_MAX_FRAME) {
			fprintf(stderr, "metroprobe: --sweep: '%s' is not a frame size (64..9018)\n", tok);
			cJSON_Delete(root);
			return 2;
		}
		snprintf(sub, sizeof(sub), "%s/size-%lu", out_dir, size);
		printf("\n=== frame size %lu -> %s\n", size, sub);
		fflush(stdout);
		/* the same run with this size and this output directory */
		n = 0;
		for (i = 0; i < argc && n < 12; i++)
			a[n++] = argv[i];
		a[n++] = (char *)"--frame-size";
		a[n++] = tok;
		a[n++] = (char *)"--out";
		a[n++] = sub;
		a[n] = NULL;
		rc = run_main(n, a);
		e = cJSON_CreateObject();
		record_add_u64(e, "frame_size", size);
		cJSON_AddNumberToObject(e, "exit", rc);
		snprintf(path, sizeof(path), "%s/summary.json", sub);
		summary = mp_read_file(path, NULL);
		if (summary != NULL) {
			cJSON *sj = cJSON_Parse(summary);

			if (sj != NULL)
				cJSON_AddItemToObject(e, "summary", sj);
			free(summary);
		}
		{
			/* the size actually sent: the largest any link sent (the same on the lab) */
			const cJSON *l;
			uint64_t sent_size = 0;

			cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(
					   cJSON_GetObjectItemCaseSensitive(e, "summary"), "links")) {
				const cJSON *fs = cJSON_GetObjectItemCaseSensitive(l, "frame_size_sent");

				if (json_u64(fs) > sent_size)
					sent_size = json_u64(fs);
			}
			if (sent_size != 0) {
				record_add_u64(e, "frame_size_sent", sent_size);
				if (sent_size != size)
					printf("=== frame size %lu: sent as %llu-byte frames (the smallest "
					       "STAMP frame)\n", size, (unsigned long long)sent_size);
			}
		}
		cJSON_AddItemToArray(arr, e);
		if (rc > worst)
			worst = rc;
		if (rc == 130)
			break;
	}
	/* the table: one line per size and link */
	printf("\n%-11s %-8s %10s %10s %8s %9s %9s %9s\n", "size(sent)", "link", "sent", "received",
	       "loss%", "rtt p50", "p99", "complete");
	cJSON_ArrayForEach(e, arr) {
		const cJSON *sum = cJSON_GetObjectItemCaseSensitive(e, "summary"), *l;
		int size = (int)json_num(cJSON_GetObjectItemCaseSensitive(e, "frame_size"));

		if (sum == NULL) {
			printf("%-11d %-8s (no summary: exit %d)\n", size, "-",
			       (int)json_num(cJSON_GetObjectItemCaseSensitive(e, "exit")));
			continue;
		}
		cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(sum, "links")) {
			const cJSON *rtt = cJSON_GetObjectItemCaseSensitive(l, "rtt_us");
			const cJSON *lr = cJSON_GetObjectItemCaseSensitive(l, "loss_ratio");
			const cJSON *p50 = cJSON_GetObjectItemCaseSensitive(rtt, "p50");
			const cJSON *p99 = cJSON_GetObjectItemCaseSensitive(rtt, "p99");
			const cJSON *fs = cJSON_GetObjectItemCaseSensitive(l, "frame_size_sent");
			char loss[24] = "-", a50[24] = "-", a99[24] = "-", label[32];

			if (cJSON_IsNumber(lr))
				snprintf(loss, sizeof(loss), "%.3f", lr->valuedouble * 100);
			if (cJSON_IsNumber(p50))
				snprintf(a50, sizeof(a50), "%.1f", p50->valuedouble);
			if (cJSON_IsNumber(p99))
				snprintf(a99, sizeof(a99), "%.1f", p99->valuedouble);
			/* the requested size, and the size sent when it differs */
			if (fs != NULL && (int)json_num(fs) != size)
				snprintf(label, sizeof(label), "%d(%d)", size, (int)json_num(fs));
			else
				snprintf(label, sizeof(label), "%d", size);
			printf("%-11s %-8s %10.0f %10.0f %8s %9s %9s %9s\n", label,
			       cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(l, "name")),
			       json_num(cJSON_GetObjectItemCaseSensitive(l, "sent")),
			       json_num(cJSON_GetObjectItemCaseSensitive(l, "received")),
			       loss, a50, a99,
			       cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(sum, "complete")) ?
				       "yes" : "NO");
		}
	}
	snprintf(path, sizeof(path), "%s/sweep.json", out_dir);
	s = cJSON_Print(root);
	if (s == NULL || mp_write_file(path, s, strlen(s)) != 0)
		fprintf(stderr, "metroprobe: cannot write %s\n", path);
	else
		printf("(round-trip times in microseconds)\nsweep: %s\n", path);
	free(s);
	cJSON_Delete(root);
	return worst;
}

int
run_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "duration", required_argument, NULL, 'd' },
		{ "out", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "frame-size", required_argument, NULL, 'f' },
		{ "sweep", optional_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *dur = NULL, *frame = NULL, *sweep = NULL;
	struct itimerspec its = { { 1, 0 }, { 1, 0 } };
	char dp[PATH_MAX], path[PATH_MAX];
	struct run *r;
	sigset_t mask;
	bool complete;
	const char *reason;
	int c, i, rc = 1;

	r = calloc(1, sizeof(*r));
	if (r == NULL)
		return 1;
	r->listen_fd = r->conn_fd = r->sig_fd = r->timer_fd = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "d:o:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			dur = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		case 'q':
			r->quiet = true;
			break;
		case 'f':
			frame = optarg;
			break;
		case 's':
			sweep = optarg != NULL ? optarg : SWEEP_DEFAULT;
			break;
		case 'h':
			run_usage(stdout);
			free(r);
			return 0;
		default:
			run_usage(stderr);
			free(r);
			return 2;
		}
	}
	if (optind != argc - 1) {
		run_usage(stderr);
		free(r);
		return 2;
	}
	r->config_path = argv[optind];
	if (load_config(r, r->config_path) != 0) {
		free(r);
		return 2;
	}
	if (sweep != NULL) {
		/* re-run ourselves per size with everything but --sweep/--out */
		char *pass[16];
		int np = 0, k;

		for (k = 0; k < argc && np < 12; k++) {
			if (strncmp(argv[k], "--sweep", 7) == 0)
				continue;
			if (strcmp(argv[k], "--out") == 0 || strcmp(argv[k], "-o") == 0) {
				k++;
				continue;
			}
			if (strncmp(argv[k], "--out=", 6) == 0)
				continue;
			pass[np++] = argv[k];
		}
		pass[np] = NULL;
		k = run_sweep(np, pass, sweep, out != NULL ? out : r->cfg.out_dir);
		free(r);
		return k;
	}
	if (frame != NULL) {
		/* one size or a mix for every link, as frame_size in the config */
		struct frame_mix mix;
		const char *merr = NULL;

		if (frame_mix_parse(frame, PKT_MIN_FRAME, PKT_MAX_FRAME, &mix, &merr) != 0) {
			fprintf(stderr, "metroprobe: --frame-size '%s': %s\n", frame, merr);
			free(r);
			return 2;
		}
		for (i = 0; i < r->cfg.n_links; i++)
			mp_link_cfg_set_frame(&r->cfg.links[i], &mix);
	}
	if (dur != NULL) {
		char *end;
		unsigned long v = strtoul(dur, &end, 10);

		if (*dur == '\0' || *end != '\0' || v > 10ul * 366 * 86400) {
			fprintf(stderr, "metroprobe: --duration: '%s' is not a number of seconds\n", dur);
			free(r);
			return 2;
		}
		r->cfg.duration_s = (uint32_t)v;
	}
	snprintf(r->out_dir, sizeof(r->out_dir), "%s", out != NULL ? out : r->cfg.out_dir);
	if (geteuid() != 0)
		fprintf(stderr, "metroprobe: warning: not root; DPDK usually needs root "
			"(hugepages, raw sockets)\n");
	if (find_dp(r, dp, sizeof(dp)) != 0)
		goto out;
	if (mp_mkdir_p(r->out_dir, 0755) != 0) {
		fprintf(stderr, "metroprobe: cannot create %s: %s\n", r->out_dir, strerror(errno));
		goto out;
	}
	snprintf(r->dp_log, sizeof(r->dp_log), "%s/dataplane.log", r->out_dir);
	snprintf(path, sizeof(path), "%s/intervals.jsonl", r->out_dir);
	r->intervals = jsonl_open(path);
	snprintf(path, sizeof(path), "%s/events.jsonl", r->out_dir);
	r->events = jsonl_open(path);
	r->buf = malloc(LINE_MAX_BYTES + 65536);
	if (r->intervals == NULL || r->events == NULL || r->buf == NULL) {
		fprintf(stderr, "metroprobe: cannot write in %s: %s\n", r->out_dir, strerror(errno));
		goto out;
	}
	if (open_socket(r) != 0) {
		fprintf(stderr, "metroprobe: cannot create the record socket: %s\n", strerror(errno));
		goto out;
	}
	for (i = 0; i < r->cfg.n_links; i++)
		agg_link_init(&r->agg[i], r->cfg.links[i].name, (uint32_t)i, r->cfg.interval_ms);
	r->verdict = "ok";
	{
		/* what check finds would make DPDK fail less clearly: say it, and stop */
		char problems[2048];

		if (preflight(r, "", problems, sizeof(problems)) != 0) {
			fprintf(stderr, "metroprobe: %s: the run cannot start here: %s\n",
				r->config_path, problems);
			r->start_ns = r->stop_ns = mp_now_ns();
			if (write_summary(r, false, "cannot_start") != 0)
				fprintf(stderr, "metroprobe: cannot write %s/summary.json\n", r->out_dir);
			goto out;
		}
	}
	if (provision_hugepages(r) != 0)
		goto out;
	build_dp_args(r, dp);
	sigemptyset(&mask);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGCHLD);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	r->sig_fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	r->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (r->sig_fd < 0 || r->timer_fd < 0)
		goto out;
	timerfd_settime(r->timer_fd, 0, &its, NULL);
	if (!r->quiet) {
		printf("metroprobe: %s, links", r->cfg.metro);
		for (i = 0; i < r->cfg.n_links; i++)
			printf(" %s (%s, %s)", r->cfg.links[i].name, r->cfg.links[i].location,
			       r->cfg.links[i].rate_text);
		if (r->cfg.duration_s)
			printf(", %u s", r->cfg.duration_s);
		else
			printf(", until Ctrl-C");
		printf("\n");
	}
	r->start_ns = mp_now_ns();
	r->child = spawn_dp(r);
	if (r->child < 0) {
		fprintf(stderr, "metroprobe: fork: %s\n", strerror(errno));
		goto out;
	}
	run_loop(r);
	r->stop_ns = mp_now_ns();
	for (i = 0; i < r->cfg.n_links; i++)
		agg_finish(&r->agg[i], r->stop_ns);
	fflush(r->intervals);
	fflush(r->events);

	complete = false;
	if (r->interrupted) {
		reason = "interrupted";
	} else if (!r->child_exited || !WIFEXITED(r->child_status) ||
		   WEXITSTATUS(r->child_status) != 0) {
		reason = "dataplane_failed";
	} else if (!r->got_end) {
		reason = "dataplane_no_end";
	} else {
		reason = "duration";
		complete = true;
	}
	if (!complete && !r->interrupted) {
		char *log = mp_read_file(r->dp_log, NULL), cause[768];

		/* first the cause EAL gave, not the errno it ended with */
		if (dplog_cause(log, r->no_huge ? 0 : r->hp_pages, cause, sizeof(cause)) == 0)
			fprintf(stderr, "metroprobe: %s\n", cause);
		free(log);
		fprintf(stderr, "metroprobe: the dataplane failed (%s", reason);
		if (r->child_exited && WIFEXITED(r->child_status))
			fprintf(stderr, ", exit %d", WEXITSTATUS(r->child_status));
		else if (r->child_exited && WIFSIGNALED(r->child_status))
			fprintf(stderr, ", killed by signal %d", WTERMSIG(r->child_status));
		fprintf(stderr, "); the run is incomplete\n");
		print_log_tail(r->dp_log);
	}
	r->verdict = "ok";
	find_outages(r);
	if (write_summary(r, complete, reason) != 0)
		fprintf(stderr, "metroprobe: cannot write %s/summary.json\n", r->out_dir);
	printf("\n%s%s%s: %s/summary.json %s/intervals.jsonl %s/events.jsonl %s\n",
	       complete ? "complete" : "INCOMPLETE", strcmp(r->verdict, "ok") != 0 ? ", verdict " : "",
	       strcmp(r->verdict, "ok") != 0 ? r->verdict : "", r->out_dir, r->out_dir, r->out_dir,
	       r->dp_log);
	rc = complete ? 0 : r->interrupted ? 130 : 1;
	if (rc == 0 && strcmp(r->verdict, "outage") == 0)
		rc = 3;
	else if (rc == 0 && strcmp(r->verdict, "rate_shortfall") == 0)
		rc = 4;
out:
	if (r->child > 0 && !r->child_exited) {
		kill(r->child, SIGKILL);
		waitpid(r->child, NULL, 0);
	}
	release_hugepages(r);
	if (r->child > 0) {
		/* EAL leaves its (empty, with --in-memory) runtime directory behind */
		snprintf(path, sizeof(path), "/var/run/dpdk/mp-run-%d", (int)getpid());
		rmdir(path);
	}
	close_socket(r);
	if (r->intervals != NULL)
		fclose(r->intervals);
	if (r->events != NULL)
		fclose(r->events);
	if (r->sig_fd >= 0)
		close(r->sig_fd);
	if (r->timer_fd >= 0)
		close(r->timer_fd);
	cJSON_Delete(r->hello);
	free(r->buf);
	free(r);
	return rc;
}
