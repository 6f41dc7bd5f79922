/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe lab`: one machine holds a whole Metro.
 *
 *   mp-onprem (prober)                        mp-site-a (Amsterdam, Equinix AM5)
 *     mpa-p  <------------ veth ------------>  mpa-r  192.0.2.2/30, 2001:db8:a::2/126
 *     mpb-p  <------------ veth ------------>  mpb-r  198.51.100.2/30, 2001:db8:b::2/126
 *                                             mp-site-b (Amsterdam2, Digital Realty AMS8)
 *
 * With --shared-conduit both links cross mp-conduit (a bridge per link), so
 * one element can take both links down together: shared fate on purpose.
 * The prober ends carry no kernel addresses: the DPDK dataplane owns them
 * through net_af_packet and answers ARP/ND itself. Each site runs a STAMP
 * reflector: metroprobe-dp (DPDK), the XDP reflector, or the user's own.
 *
 * Everything is made under fixed names (mp-*) so that `lab down` removes it
 * even when the state file is lost; a failed `lab up` removes what it made.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "hugepages.h"
#include "netns.h"
#include "lab.h"
#include "mp_record.h"
#include "util.h"

#define LAB_HP_MOUNT		"/dev/hugepages"	/* rtemap files of older versions */
#define LAB_NO_HUGE_MB		128	/* a reflector without hugepages */
#define LAB_BPF_PIN_DIR		"/sys/fs/bpf/metroprobe"
#define LAB_DPDK_RUN_DIR	"/var/run/dpdk"
#define LAB_DP_PREFIX		"mp-lab-"	/* EAL --file-prefix of lab reflectors */
#define LAB_STAMP_PORT		862
#define LAB_READY_MS		5000
#define LAB_KILL_MS		3000
#define LAB_POLL_MS		50
#define LAB_MAX_DELAY_US	10000000u	/* 10 s */
#define LAB_NSITES		2
#define LAB_MAX_ARGS		64
#define LAB_MAX_PIDS		64
#define LAB_MTU			9000	/* jumbo links: a 9018-byte frame (with FCS) passes */
#define LAB_REFLECTOR_NICE	-10

enum lab_kind {
	LAB_KIND_DPDK,
	LAB_KIND_KERNEL,
	LAB_KIND_XDP,
};

static const char *const lab_kind_names[] = { "dpdk", "kernel", "xdp" };

/* Impairment keys given on the command line (a bit per key). */
enum {
	LAB_IMP_LOSS = 1u << 0,
	LAB_IMP_DELAY = 1u << 1,
	LAB_IMP_JITTER = 1u << 2,
	LAB_IMP_DUP = 1u << 3,
	LAB_IMP_REORDER = 1u << 4,
	LAB_IMP_BLACKHOLE = 1u << 5,
	LAB_IMP_CLEAR = 1u << 6,
	LAB_IMP_GE = 1u << 7,
};
/* What the XDP program can do for kernel and xdp reflectors. */
#define LAB_IMP_XDP_OK		(LAB_IMP_LOSS | LAB_IMP_BLACKHOLE | LAB_IMP_CLEAR | LAB_IMP_GE)

/* The fixed shape of one site and its link. */
struct lab_site_def {
	const char *id;			/* "a" */
	const char *location;		/* ExpressRoute peering location */
	const char *facility;
	const char *netns;
	const char *if_prober;		/* in mp-onprem, owned by the dataplane */
	const char *if_site;		/* in the site netns, the reflector's */
	const char *if_conduit_p;	/* in mp-conduit, facing the prober */
	const char *if_conduit_s;	/* in mp-conduit, facing the site */
	const char *bridge;		/* in mp-conduit */
	const char *prober_v4;
	const char *site_v4;
	const char *net_v4;		/* "192.0.2.0/30" */
	const char *prober_v6;
	const char *site_v6;
	const char *net_v6;
	int plen_v4;
	int plen_v6;
	const char *prober_port;	/* the dataplane's vdev for this link */
	int ssid;
};

static const struct lab_site_def lab_sites[LAB_NSITES] = {
	{
		.id = "a", .location = "Amsterdam", .facility = "Equinix AM5",
		.netns = LAB_NS_SITE_A, .if_prober = "mpa-p", .if_site = "mpa-r",
		.if_conduit_p = "mpa-cp", .if_conduit_s = "mpa-cs", .bridge = "mpa-br",
		.prober_v4 = "192.0.2.1", .site_v4 = "192.0.2.2", .net_v4 = "192.0.2.0/30",
		.prober_v6 = "2001:db8:a::1", .site_v6 = "2001:db8:a::2",
		.net_v6 = "2001:db8:a::/126", .plen_v4 = 30, .plen_v6 = 126,
		.prober_port = "net_af_packet0,iface=mpa-p", .ssid = 1,
	},
	{
		.id = "b", .location = "Amsterdam2", .facility = "Digital Realty AMS8",
		.netns = LAB_NS_SITE_B, .if_prober = "mpb-p", .if_site = "mpb-r",
		.if_conduit_p = "mpb-cp", .if_conduit_s = "mpb-cs", .bridge = "mpb-br",
		.prober_v4 = "198.51.100.1", .site_v4 = "198.51.100.2",
		.net_v4 = "198.51.100.0/30",
		.prober_v6 = "2001:db8:b::1", .site_v6 = "2001:db8:b::2",
		.net_v6 = "2001:db8:b::/126", .plen_v4 = 30, .plen_v6 = 126,
		.prober_port = "net_af_packet1,iface=mpb-p", .ssid = 2,
	},
};

static const char *const lab_all_netns[] = {
	LAB_NS_ONPREM, LAB_NS_SITE_A, LAB_NS_SITE_B, LAB_NS_CONDUIT,
};

struct lab_impair {
	double loss_pct;
	double dup_pct;
	double reorder_pct;
	uint32_t delay_us;
	uint32_t jitter_us;
	bool blackhole;
	/*
	 * Gilbert-Elliott bursts (XDP only), in percent: ge_p = P(good->bad),
	 * ge_r = P(bad->good), ge_k / ge_h = delivery in the good / bad state.
	 * Used instead of loss_pct when ge_p > 0.
	 */
	double ge_p, ge_r, ge_k, ge_h;
};

struct lab_site {
	enum lab_kind kind;
	struct lab_impair imp;
	pid_t pid;			/* dpdk reflector, 0 = none */
	int cpu;
	bool hugepages;			/* dpdk: --in-memory, else --no-huge */
};

struct lab_state {
	long long started_s;
	bool complete;			/* false while `lab up` is still working */
	bool conduit;
	bool conduit_blackhole;
	bool ipv6;			/* the config was written for IPv6 */
	bool hp_ok;			/* the DPDK reflectors' hugepages are free */
	struct hp_lease hp;		/* what `lab up` raised; `lab down` gives it back */
	char config_path[PATH_MAX];
	struct lab_site site[LAB_NSITES];
};

/* Set by SIGINT/SIGTERM during `lab up`: stop and remove what was made. */
static volatile sig_atomic_t lab_interrupted;

/* Which subcommand is running, for error messages ("metroprobe lab up: ..."). */
static const char *lab_cmd_name = "lab";

static void lab_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
lab_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "metroprobe %s%s: ", strcmp(lab_cmd_name, "lab") == 0 ? "" : "lab ",
		lab_cmd_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void
lab_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static bool
lab_path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

static int
lab_site_index(const char *id)
{
	int s;

	for (s = 0; s < LAB_NSITES; s++)
		if (strcmp(id, lab_sites[s].id) == 0)
			return s;
	return -1;
}

static int
lab_kind_parse(const char *name)
{
	size_t k;

	for (k = 0; k < sizeof(lab_kind_names) / sizeof(lab_kind_names[0]); k++)
		if (strcmp(name, lab_kind_names[k]) == 0)
			return (int)k;
	return -1;
}

/* sysfs/procfs knobs must be written in place, not via tmp + rename. */
static int
lab_write_knob(const char *path, const char *value)
{
	size_t len = strlen(value);
	int fd, rc = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, value, len) != (ssize_t)len)
		rc = errno != 0 ? -errno : -EIO;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

/* --- Running commands, optionally inside a lab namespace --- */

enum lab_out {
	LAB_OUT_ALL,	/* inherit stdout and stderr */
	LAB_OUT_ERR,	/* stdout to /dev/null (ethtool chatter), keep errors */
	LAB_OUT_NONE,
};

static int
lab_wait_status(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * Like mp_run, but in netns ns (when not NULL). setns(2) on the network
 * namespace only, unlike `ip netns exec`, so that BPF pins made by a loader
 * land in the host's /sys/fs/bpf, where `lab impair` and `lab down` find them.
 */
static int
lab_run(const char *ns, enum lab_out out, char *const argv[])
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (ns != NULL && mp_netns_enter(ns) != 0)
			_exit(126);
		if (out != LAB_OUT_ALL) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd >= 0) {
				dup2(fd, 1);
				if (out == LAB_OUT_NONE)
					dup2(fd, 2);
				close(fd);
			}
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	return lab_wait_status(pid);
}

/* Split a command line on spaces (no quoting: lab names have no spaces). */
static int
lab_split(char *line, char **argv, int max)
{
	char *save = NULL, *tok;
	int argc = 0;

	for (tok = strtok_r(line, " ", &save); tok != NULL && argc < max - 1;
	     tok = strtok_r(NULL, " ", &save))
		argv[argc++] = tok;
	argv[argc] = NULL;
	return argc;
}

static int lab_step(const char *ns, enum lab_out out, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * One set-up step: run the command and, when it fails, say which one, so
 * that the user sees the step as well as the tool's own error above it.
 */
static int
lab_step(const char *ns, enum lab_out out, const char *fmt, ...)
{
	char line[1024], copy[1024], *argv[LAB_MAX_ARGS];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	memcpy(copy, line, sizeof(copy));
	if (lab_split(copy, argv, LAB_MAX_ARGS) == 0)
		return -EINVAL;
	rc = lab_run(ns, out, argv);
	if (lab_interrupted) {
		lab_err("interrupted");
		return -1;
	}
	if (rc == 0)
		return 0;
	lab_err("step failed: '%s'%s%s: %s", line, ns != NULL ? " in netns " : "",
		ns != NULL ? ns : "",
		rc == 127 ? "command not found" :
		rc == 126 ? "cannot enter the namespace" :
		rc < 0 ? strerror(-rc) : "non-zero exit status");
	return -1;
}

/* Capture a command's stdout (for `ip -j`); NULL when it fails. */
static char *
lab_capture(char *const argv[])
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	int pfd[2], status;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) != 0)
		return NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return NULL;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(pfd[1], 1);
		if (fd >= 0)
			dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		ssize_t r;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap + 65536);

			if (nb == NULL)
				break;
			buf = nb;
			cap += 65536;
		}
		r = read(pfd[0], buf + len, cap - len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	close(pfd[0]);
	status = lab_wait_status(pid);
	if (status != 0 || buf == NULL) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

/* Write a /proc/sys knob of one namespace: the knobs follow the opener's netns. */
static int
lab_ns_knob(const char *ns, const char *path, const char *value)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		if (mp_netns_enter(ns) != 0)
			_exit(2);
		_exit(lab_write_knob(path, value) == 0 ? 0 : 1);
	}
	return lab_wait_status(pid);
}

static int
lab_no_ipv6(const char *ns, const char *ifname)
{
	char path[PATH_MAX];

	if (!lab_path_exists("/proc/sys/net/ipv6"))
		return 0;	/* no IPv6 in this kernel: nothing to disable */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	if (lab_ns_knob(ns, path, "1") != 0) {
		lab_err("step failed: sysctl net.ipv6.conf.%s.disable_ipv6=1 in netns %s",
			ifname, ns);
		return -1;
	}
	return 0;
}

/* af_packet would see partial checksums and super-frames from the kernel side. */
static int
lab_offloads_off(const char *ns, const char *ifname)
{
	return lab_step(ns, LAB_OUT_ERR, "ethtool -K %s tx off rx off gso off gro off tso off",
			ifname);
}

/* --- Processes --- */

/* Alive and not a zombie: PID 1 here may not reap orphans promptly. */
static bool
lab_pid_alive(pid_t pid)
{
	char path[64], *text, *paren;
	bool alive;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	text = mp_read_file(path, NULL);
	if (text == NULL)
		return false;
	paren = strrchr(text, ')');
	alive = paren != NULL && paren[1] == ' ' && paren[2] != 'Z' && paren[2] != 'X';
	free(text);
	return alive;
}

/*
 * The EAL --file-prefix of a process when it is "mp-lab-*" (a lab reflector),
 * copied to prefix; false otherwise. The prefix is the lab's mark on its
 * reflectors, so a stale pid that now belongs to someone else is never killed.
 */
static bool
lab_pid_lab_prefix(pid_t pid, char *prefix, size_t len)
{
	char path[64], *text;
	size_t n, off;
	bool found = false, next_is_prefix = false;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	text = mp_read_file(path, &n);
	if (text == NULL)
		return false;
	for (off = 0; off < n && !found; off += strlen(text + off) + 1) {
		const char *arg = text + off, *val = NULL;

		if (next_is_prefix)
			val = arg;
		else if (strncmp(arg, "--file-prefix=", 14) == 0)
			val = arg + 14;
		next_is_prefix = strcmp(arg, "--file-prefix") == 0;
		if (val != NULL && strncmp(val, LAB_DP_PREFIX, strlen(LAB_DP_PREFIX)) == 0) {
			snprintf(prefix, len, "%s", val);
			found = true;
		}
	}
	free(text);
	return found;
}

/* Is pid the reflector of site s (alive, with that site's prefix)? */
static bool
lab_reflector_alive(pid_t pid, int s)
{
	char want[32], got[64];

	if (!lab_pid_alive(pid) || !lab_pid_lab_prefix(pid, got, sizeof(got)))
		return false;
	snprintf(want, sizeof(want), LAB_DP_PREFIX "%s", lab_sites[s].id);
	return strcmp(got, want) == 0;
}

static void
lab_reap(pid_t pid)
{
	/* Our own children (started by this very command) must be reaped. */
	while (waitpid(pid, NULL, WNOHANG) < 0 && errno == EINTR)
		;
}

/* SIGTERM, then SIGKILL after LAB_KILL_MS; returns how many still run. */
static int
lab_kill_pids(const pid_t *pids, int n)
{
	unsigned int waited;
	int i, left;

	for (i = 0; i < n; i++)
		kill(pids[i], SIGTERM);
	for (waited = 0;; waited += LAB_POLL_MS) {
		left = 0;
		for (i = 0; i < n; i++) {
			lab_reap(pids[i]);
			if (lab_pid_alive(pids[i]))
				left++;
		}
		if (left == 0)
			return 0;
		if (waited == LAB_KILL_MS)
			for (i = 0; i < n; i++)
				if (lab_pid_alive(pids[i]))
					kill(pids[i], SIGKILL);
		if (waited >= LAB_KILL_MS + 2000)
			return left;
		lab_sleep_ms(LAB_POLL_MS);
	}
}

/* Stop every lab reflector: the ones in the state, and any other found by prefix. */
static int
lab_kill_reflectors(const struct lab_state *st, bool verbose)
{
	pid_t pids[LAB_MAX_PIDS], self = getpid();
	char prefix[64];
	struct dirent *de;
	DIR *d;
	int n = 0, i, s, left;

	for (s = 0; st != NULL && s < LAB_NSITES; s++)
		if (st->site[s].pid > 0 && lab_pid_alive(st->site[s].pid) &&
		    lab_pid_lab_prefix(st->site[s].pid, prefix, sizeof(prefix)))
			pids[n++] = st->site[s].pid;
	d = opendir("/proc");
	while (d != NULL && (de = readdir(d)) != NULL && n < LAB_MAX_PIDS) {
		char *end;
		long v = strtol(de->d_name, &end, 10);
		bool dup = false;

		if (*end != '\0' || v <= 0 || (pid_t)v == self)
			continue;
		for (i = 0; i < n; i++)
			dup = dup || pids[i] == (pid_t)v;
		if (!dup && lab_pid_alive((pid_t)v) &&
		    lab_pid_lab_prefix((pid_t)v, prefix, sizeof(prefix)))
			pids[n++] = (pid_t)v;
	}
	if (d != NULL)
		closedir(d);
	if (n == 0)
		return 0;
	if (verbose)
		for (i = 0; i < n; i++)
			printf("stopping reflector pid %d\n", (int)pids[i]);
	left = lab_kill_pids(pids, n);
	if (left != 0)
		lab_err("%d reflector process(es) did not exit after SIGKILL", left);
	return n;
}

/* The identity of a namespace's file (device, inode), to find its users after its name is gone. */
struct lab_ns_id {
	char name[32];
	dev_t dev;
	ino_t ino;
};

/*
 * Processes inside one of the namespaces ids[] (they keep it, and its veths,
 * alive after `ip netns del`): name each; returns how many.
 */
static int
lab_ns_users(const struct lab_ns_id *ids, int n_ids)
{
	char path[PATH_MAX];
	struct stat pst;
	struct dirent *de;
	DIR *d;
	int n = 0, i;

	if (n_ids == 0)
		return 0;
	d = opendir("/proc");
	while (d != NULL && (de = readdir(d)) != NULL) {
		char *end, *comm;
		long v = strtol(de->d_name, &end, 10);

		if (*end != '\0' || v <= 0 || !lab_pid_alive((pid_t)v))
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/ns/net", v);
		if (stat(path, &pst) != 0)
			continue;
		for (i = 0; i < n_ids; i++)
			if (pst.st_ino == ids[i].ino && pst.st_dev == ids[i].dev)
				break;
		if (i == n_ids)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/comm", v);
		comm = mp_read_file(path, NULL);
		if (comm != NULL)
			comm[strcspn(comm, "\n")] = '\0';
		lab_err("survived: process %ld (%s) inside %s, which keeps the namespace and its "
			"veths alive (kill it, then run lab down again)", v,
			comm != NULL ? comm : "?", ids[i].name);
		free(comm);
		n++;
	}
	if (d != NULL)
		closedir(d);
	return n;
}

static int
lab_rm_cb(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	if (remove(path) != 0 && errno != ENOENT)
		fprintf(stderr, "metroprobe lab: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* Remove dir/PREFIX* (files or trees); returns how many entries. */
static int
lab_remove_prefixed(const char *dir, const char *prefix, bool verbose)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		nftw(path, lab_rm_cb, 8, FTW_DEPTH | FTW_PHYS);
		if (verbose)
			printf("removed %s\n", path);
		n++;
	}
	closedir(d);
	return n;
}

/* --- Impairments --- */

static int
lab_parse_pct(const char *v, double *out)
{
	char *end;
	double d;

	errno = 0;
	d = strtod(v, &end);
	if (end == v || errno != 0 || (*end != '\0' && strcmp(end, "%") != 0) ||
	    !(d >= 0.0 && d <= 100.0))
		return -EINVAL;
	*out = d;
	return 0;
}

static int
lab_parse_us(const char *v, uint32_t *out)
{
	char *end;
	unsigned long u;

	if (!isdigit((unsigned char)v[0]))
		return -EINVAL;
	errno = 0;
	u = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || u > LAB_MAX_DELAY_US)
		return -EINVAL;
	*out = (uint32_t)u;
	return 0;
}

static int
lab_parse_onoff(const char *v, bool *out)
{
	if (strcmp(v, "on") == 0 || strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		*out = true;
	else if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0 || strcmp(v, "false") == 0)
		*out = false;
	else
		return -EINVAL;
	return 0;
}

/*
 * Parse "loss=5,delay_us=200,..." over imp (keys not named keep their value;
 * "clear" resets all). mask gets a bit per key named. err: one line.
 */
static int
lab_impair_parse(const char *spec, struct lab_impair *imp, unsigned int *mask,
		 char *err, size_t errlen)
{
	char copy[512], *save = NULL, *tok;

	if (snprintf(copy, sizeof(copy), "%s", spec) >= (int)sizeof(copy)) {
		snprintf(err, errlen, "impairment list too long");
		return -EINVAL;
	}
	for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *val = strchr(tok, '=');
		int rc;

		if (strcmp(tok, "clear") == 0 || strcmp(tok, "none") == 0) {
			memset(imp, 0, sizeof(*imp));
			*mask |= LAB_IMP_CLEAR;
			continue;
		}
		if (val == NULL) {
			snprintf(err, errlen, "'%s' is not KEY=VALUE (keys: loss, delay_us, "
				 "jitter_us, dup, reorder, blackhole, ge_p, ge_r, ge_k, ge_h; "
				 "or 'clear')", tok);
			return -EINVAL;
		}
		*val++ = '\0';
		if (strcmp(tok, "loss") == 0) {
			rc = lab_parse_pct(val, &imp->loss_pct);
			imp->ge_p = 0;	/* plain loss replaces bursts */
			*mask |= LAB_IMP_LOSS;
		} else if (strncmp(tok, "ge_", 3) == 0 && strlen(tok) == 4 &&
			   strchr("prkh", tok[3]) != NULL) {
			double *f[] = { &imp->ge_p, &imp->ge_r, &imp->ge_k, &imp->ge_h };

			if (!(*mask & LAB_IMP_GE) && imp->ge_p == 0) {
				/* defaults of a new burst model: no loss when good, all when bad */
				imp->ge_k = 100;
				imp->ge_h = 0;
			}
			rc = lab_parse_pct(val, f[strchr("prkh", tok[3]) - "prkh"]);
			*mask |= LAB_IMP_GE;
		} else if (strcmp(tok, "dup") == 0) {
			rc = lab_parse_pct(val, &imp->dup_pct);
			*mask |= LAB_IMP_DUP;
		} else if (strcmp(tok, "reorder") == 0) {
			rc = lab_parse_pct(val, &imp->reorder_pct);
			*mask |= LAB_IMP_REORDER;
		} else if (strcmp(tok, "delay_us") == 0) {
			rc = lab_parse_us(val, &imp->delay_us);
			*mask |= LAB_IMP_DELAY;
		} else if (strcmp(tok, "jitter_us") == 0) {
			rc = lab_parse_us(val, &imp->jitter_us);
			*mask |= LAB_IMP_JITTER;
		} else if (strcmp(tok, "blackhole") == 0) {
			rc = lab_parse_onoff(val, &imp->blackhole);
			*mask |= LAB_IMP_BLACKHOLE;
			if (rc != 0) {
				snprintf(err, errlen, "blackhole=%s: use on or off", val);
				return -EINVAL;
			}
		} else {
			snprintf(err, errlen, "unknown impairment '%s' (keys: loss, delay_us, "
				 "jitter_us, dup, reorder, blackhole, ge_p, ge_r, ge_k, ge_h)", tok);
			return -EINVAL;
		}
		if (rc != 0) {
			if (strcmp(tok, "delay_us") == 0 || strcmp(tok, "jitter_us") == 0)
				snprintf(err, errlen, "%s=%s: must be whole microseconds, 0..%u",
					 tok, val, LAB_MAX_DELAY_US);
			else
				snprintf(err, errlen, "%s=%s: must be a percentage, 0..100",
					 tok, val);
			return -EINVAL;
		}
	}
	if (*mask == 0) {
		snprintf(err, errlen, "no impairment given (e.g. loss=1,delay_us=200)");
		return -EINVAL;
	}
	if ((*mask & LAB_IMP_GE) && (imp->ge_p <= 0 || imp->ge_r <= 0)) {
		snprintf(err, errlen, "Gilbert-Elliott bursts need ge_p > 0 and ge_r > 0 "
			 "(percent; e.g. ge_p=1,ge_r=25 for bursts of 4 on average)");
		return -EINVAL;
	}
	return 0;
}

static bool
lab_impair_any(const struct lab_impair *imp)
{
	return imp->loss_pct > 0 || imp->dup_pct > 0 || imp->reorder_pct > 0 ||
	       imp->delay_us > 0 || imp->jitter_us > 0 || imp->blackhole || imp->ge_p > 0;
}

/*
 * Can a reflector of this kind apply imp, every part of it? Every
 * combination of loss, blackhole, delay, jitter, dup and reorder works on
 * a dpdk reflector; Gilbert-Elliott bursts only in XDP (xdp and kernel
 * sites). err: one line naming the key.
 */
static int
lab_impair_validate(const struct lab_impair *imp, enum lab_kind kind, char *err, size_t errlen)
{
	if (imp->jitter_us > imp->delay_us) {
		snprintf(err, errlen, "jitter_us=%u exceeds delay_us=%u: jitter is uniform +-N "
			 "around the delay, which must stay >= 0", imp->jitter_us, imp->delay_us);
		return -EINVAL;
	}
	if (imp->reorder_pct > 50) {
		snprintf(err, errlen, "reorder=%g%%: at most 50%% (a reordered reply needs a next "
			 "reply to overtake it)", imp->reorder_pct);
		return -EINVAL;
	}
	if (kind == LAB_KIND_DPDK && imp->ge_p > 0) {
		snprintf(err, errlen, "Gilbert-Elliott bursts (ge_*) run in XDP and the dpdk "
			 "reflector has none: use loss=PCT, or an xdp site without delay, "
			 "jitter, dup and reorder");
		return -EINVAL;
	}
	if (kind != LAB_KIND_DPDK && imp->ge_p > 0 &&
	    (imp->delay_us > 0 || imp->jitter_us > 0 || imp->dup_pct > 0 || imp->reorder_pct > 0)) {
		snprintf(err, errlen, "Gilbert-Elliott bursts (XDP) and delay, jitter, dup or "
			 "reorder (dpdk reflector only) cannot be combined on one site");
		return -EINVAL;
	}
	return 0;
}

/* Does imp need the dpdk reflector (delay, jitter, dup or reorder)? */
static bool
lab_impair_needs_dpdk(const struct lab_impair *imp)
{
	return imp->delay_us > 0 || imp->jitter_us > 0 || imp->dup_pct > 0 ||
	       imp->reorder_pct > 0;
}

static void
lab_impair_str(const struct lab_impair *imp, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
#define LAB_APPEND(...) \
	do { \
		if (off < len) \
			off += (size_t)snprintf(buf + off, len - off, __VA_ARGS__); \
	} while (0)
	if (imp->blackhole)
		LAB_APPEND("%sblackhole", off ? " " : "");
	if (imp->loss_pct > 0)
		LAB_APPEND("%sloss=%g%%", off ? " " : "", imp->loss_pct);
	if (imp->delay_us > 0)
		LAB_APPEND("%sdelay_us=%u", off ? " " : "", imp->delay_us);
	if (imp->jitter_us > 0)
		LAB_APPEND("%sjitter_us=%u", off ? " " : "", imp->jitter_us);
	if (imp->dup_pct > 0)
		LAB_APPEND("%sdup=%g%%", off ? " " : "", imp->dup_pct);
	if (imp->reorder_pct > 0)
		LAB_APPEND("%sreorder=%g%%", off ? " " : "", imp->reorder_pct);
	if (imp->ge_p > 0)
		LAB_APPEND("%sbursts(ge_p=%g%% ge_r=%g%% ge_k=%g%% ge_h=%g%%)", off ? " " : "",
			   imp->ge_p, imp->ge_r, imp->ge_k, imp->ge_h);
#undef LAB_APPEND
	if (off == 0)
		snprintf(buf, len, "none");
}

/* --- State --- */

static void
lab_state_init(struct lab_state *st)
{
	int s;

	memset(st, 0, sizeof(*st));
	for (s = 0; s < LAB_NSITES; s++)
		st->site[s].kind = LAB_KIND_DPDK;
}

static cJSON *
lab_impair_json(const struct lab_impair *imp)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "loss", imp->loss_pct);
	cJSON_AddNumberToObject(o, "delay_us", imp->delay_us);
	cJSON_AddNumberToObject(o, "jitter_us", imp->jitter_us);
	cJSON_AddNumberToObject(o, "dup", imp->dup_pct);
	cJSON_AddNumberToObject(o, "reorder", imp->reorder_pct);
	cJSON_AddBoolToObject(o, "blackhole", imp->blackhole);
	cJSON_AddNumberToObject(o, "ge_p", imp->ge_p);
	cJSON_AddNumberToObject(o, "ge_r", imp->ge_r);
	cJSON_AddNumberToObject(o, "ge_k", imp->ge_k);
	cJSON_AddNumberToObject(o, "ge_h", imp->ge_h);
	return o;
}


static double
lab_jnum(const cJSON *o, const char *key, double def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

static bool
lab_jbool(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* The inverse of lab_impair_json (absent keys read as no impairment). */
static void
lab_impair_from_json(const cJSON *imp, struct lab_impair *out)
{
	out->loss_pct = lab_jnum(imp, "loss", 0);
	out->delay_us = (uint32_t)lab_jnum(imp, "delay_us", 0);
	out->jitter_us = (uint32_t)lab_jnum(imp, "jitter_us", 0);
	out->dup_pct = lab_jnum(imp, "dup", 0);
	out->reorder_pct = lab_jnum(imp, "reorder", 0);
	out->blackhole = lab_jbool(imp, "blackhole");
	out->ge_p = lab_jnum(imp, "ge_p", 0);
	out->ge_r = lab_jnum(imp, "ge_r", 0);
	out->ge_k = lab_jnum(imp, "ge_k", 100);
	out->ge_h = lab_jnum(imp, "ge_h", 0);
}

static const char *
lab_jstr(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void
lab_iso_time(long long t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "?");
}

static void
lab_log_path(int s, char *buf, size_t len)
{
	snprintf(buf, len, "%s/reflector-%s.log", LAB_STATE_DIR, lab_sites[s].id);
}

static int
lab_state_save(const struct lab_state *st)
{
	cJSON *root = cJSON_CreateObject(), *hp, *sites, *ns;
	char when[64], log[PATH_MAX];
	char *text;
	size_t i;
	int s, rc;

	lab_iso_time(st->started_s, when, sizeof(when));
	cJSON_AddNumberToObject(root, "version", 1);
	record_add_u64(root, "started_s", st->started_s);
	cJSON_AddStringToObject(root, "started", when);
	cJSON_AddBoolToObject(root, "complete", st->complete);
	cJSON_AddBoolToObject(root, "shared_conduit", st->conduit);
	cJSON_AddBoolToObject(root, "conduit_blackhole", st->conduit_blackhole);
	cJSON_AddBoolToObject(root, "ipv6", st->ipv6);
	cJSON_AddStringToObject(root, "config", st->config_path);
	ns = cJSON_AddArrayToObject(root, "netns");
	for (i = 0; i < sizeof(lab_all_netns) / sizeof(lab_all_netns[0]); i++)
		if (st->conduit || strcmp(lab_all_netns[i], LAB_NS_CONDUIT) != 0)
			cJSON_AddItemToArray(ns, cJSON_CreateString(lab_all_netns[i]));
	hp = cJSON_AddObjectToObject(root, "hugepages");
	cJSON_AddBoolToObject(hp, "ok", st->hp_ok);
	cJSON_AddNumberToObject(hp, "need", (double)st->hp.need);
	cJSON_AddNumberToObject(hp, "before", (double)st->hp.before);
	cJSON_AddNumberToObject(hp, "raised", (double)st->hp.raised);
	sites = cJSON_AddObjectToObject(root, "sites");
	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site *ls = &st->site[s];
		cJSON *o = cJSON_AddObjectToObject(sites, lab_sites[s].id);

		cJSON_AddStringToObject(o, "reflector", lab_kind_names[ls->kind]);
		cJSON_AddNumberToObject(o, "pid", ls->pid);
		cJSON_AddNumberToObject(o, "cpu", ls->cpu);
		cJSON_AddBoolToObject(o, "hugepages", ls->hugepages);
		lab_log_path(s, log, sizeof(log));
		if (ls->kind == LAB_KIND_DPDK)
			cJSON_AddStringToObject(o, "log", log);
		cJSON_AddItemToObject(o, "impair", lab_impair_json(&ls->imp));
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		return -ENOMEM;
	rc = mp_write_file(LAB_STATE_FILE, text, strlen(text));
	free(text);
	if (rc != 0)
		lab_err("cannot write %s: %s", LAB_STATE_FILE, strerror(-rc));
	return rc;
}

/* 0, -ENOENT (no state), or -EINVAL (unreadable: treated as lost). */
static int
lab_state_load(struct lab_state *st)
{
	const cJSON *sites, *hp;
	cJSON *root;
	char *text;
	int s;

	lab_state_init(st);
	text = mp_read_file(LAB_STATE_FILE, NULL);
	if (text == NULL)
		return errno == ENOENT ? -ENOENT : -EINVAL;
	root = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return -EINVAL;
	}
	st->started_s = (long long)lab_jnum(root, "started_s", 0);
	st->complete = lab_jbool(root, "complete");
	st->conduit = lab_jbool(root, "shared_conduit");
	st->conduit_blackhole = lab_jbool(root, "conduit_blackhole");
	st->ipv6 = lab_jbool(root, "ipv6");
	if (lab_jstr(root, "config") != NULL)
		snprintf(st->config_path, sizeof(st->config_path), "%s", lab_jstr(root, "config"));
	hp = cJSON_GetObjectItemCaseSensitive(root, "hugepages");
	st->hp_ok = lab_jbool(hp, "ok");
	snprintf(st->hp.owner, sizeof(st->hp.owner), "lab");
	st->hp.need = (long)lab_jnum(hp, "need", 0);
	st->hp.before = (long)lab_jnum(hp, "before", -1);
	st->hp.raised = cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(hp, "raised")) ?
				(long)lab_jnum(hp, "raised", 0) : 0;
	sites = cJSON_GetObjectItemCaseSensitive(root, "sites");
	for (s = 0; s < LAB_NSITES; s++) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(sites, lab_sites[s].id);
		const cJSON *imp = cJSON_GetObjectItemCaseSensitive(o, "impair");
		struct lab_site *ls = &st->site[s];
		const char *kind = lab_jstr(o, "reflector");
		int k = kind != NULL ? lab_kind_parse(kind) : -1;

		ls->kind = k >= 0 ? (enum lab_kind)k : LAB_KIND_DPDK;
		ls->pid = (pid_t)lab_jnum(o, "pid", 0);
		ls->cpu = (int)lab_jnum(o, "cpu", 0);
		ls->hugepages = lab_jbool(o, "hugepages");
		lab_impair_from_json(imp, &ls->imp);
	}
	cJSON_Delete(root);
	return 0;
}

static bool
lab_any_netns(void)
{
	size_t i;

	for (i = 0; i < sizeof(lab_all_netns) / sizeof(lab_all_netns[0]); i++)
		if (mp_netns_exists(lab_all_netns[i]))
			return true;
	return false;
}

bool
lab_is_up(void)
{
	return lab_path_exists(LAB_STATE_FILE) || lab_any_netns();
}

/* --- Hugepages --- */

/*
 * Make the hugepages of n DPDK reflectors free (control/hugepages.c):
 * reserved as root when too few are, given back by `lab down`. When that
 * is impossible the reflectors run with --no-huge; one line says why.
 */
static void
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
static void
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

/* --- Tear-down --- */

/* The file a dpdk reflector reads its impairments from on SIGHUP. */
static void
lab_impair_file(int s, char *buf, size_t len)
{
	snprintf(buf, len, "%s/impair-%s.kv", LAB_STATE_DIR, lab_sites[s].id);
}

/*
 * Remove everything the lab makes, found by name, whether or not the state
 * knows about it (st may be NULL). Returns how many things were removed.
 */
static int
lab_teardown(struct lab_state *st, bool verbose, struct lab_ns_id *ids, int *n_ids)
{
	static const char *const root_ifs[] = {
		"mpa-p", "mpa-r", "mpa-cp", "mpa-cs", "mpa-br",
		"mpb-p", "mpb-r", "mpb-cp", "mpb-cs", "mpb-br",
	};
	char path[PATH_MAX];
	struct stat nst;
	size_t i;
	int n = 0;

	n += lab_kill_reflectors(st, verbose);
	/*
	 * XDP programs and maps pinned by the loader for lab interfaces (named
	 * after the interface or the namespace); other mp* pins are not ours.
	 */
	n += lab_remove_prefixed(LAB_BPF_PIN_DIR, "mpa-", verbose);
	n += lab_remove_prefixed(LAB_BPF_PIN_DIR, "mpb-", verbose);
	n += lab_remove_prefixed(LAB_BPF_PIN_DIR, "mp-", verbose);
	for (i = 0; i < sizeof(lab_all_netns) / sizeof(lab_all_netns[0]); i++) {
		const char *ns = lab_all_netns[i];

		if (!mp_netns_exists(ns))
			continue;
		snprintf(path, sizeof(path), "%s/%s", MP_NETNS_DIR, ns);
		if (ids != NULL && stat(path, &nst) == 0) {
			snprintf(ids[*n_ids].name, sizeof(ids[0].name), "%s", ns);
			ids[*n_ids].dev = nst.st_dev;
			ids[*n_ids].ino = nst.st_ino;
			(*n_ids)++;
		}
		if (lab_step(NULL, LAB_OUT_ALL, "ip netns del %s", ns) == 0 && verbose)
			printf("removed netns %s\n", ns);
		n++;
	}
	/* Never made in the root namespace, but a manual experiment might leave one. */
	for (i = 0; i < sizeof(root_ifs) / sizeof(root_ifs[0]); i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s", root_ifs[i]);
		if (!lab_path_exists(path))
			continue;
		if (lab_step(NULL, LAB_OUT_ALL, "ip link del %s", root_ifs[i]) == 0 && verbose)
			printf("removed interface %s\n", root_ifs[i]);
		n++;
	}
	n += lab_remove_prefixed(LAB_HP_MOUNT, LAB_DP_PREFIX, verbose);
	n += lab_remove_prefixed(LAB_DPDK_RUN_DIR, LAB_DP_PREFIX, verbose);
	if (st != NULL) {
		lab_hugepages_restore(st, verbose);
	} else {
		/* no state: the ledger still knows what the lab raised */
		struct lab_state lost;
		struct hp_env env;

		lab_state_init(&lost);
		hp_env_default(&env);
		if (hp_lease_find(&env, "lab", 0, &lost.hp) == 0)
			lab_hugepages_restore(&lost, verbose);
	}
	{
		/* and what runs killed before they could give back still hold */
		struct hp_env env;
		char why[256];

		hp_env_default(&env);
		if (hp_reclaim(&env, why, sizeof(why)) > 0 && verbose)
			printf("hugepages: %s\n", why);
	}
	for (i = 0; i < LAB_NSITES; i++) {
		lab_impair_file((int)i, path, sizeof(path));
		unlink(path);	/* the reflectors' impair files: not worth a line */
	}
	if (unlink(LAB_STATE_FILE) == 0) {
		if (verbose)
			printf("removed %s\n", LAB_STATE_FILE);
		n++;
	}
	return n;
}

/* --- Reflectors --- */

struct lab_argv {
	char *argv[LAB_MAX_ARGS];
	int argc;
	char store[16][64];	/* numbers and composed arguments */
	int nstore;
};

static void
lab_argv_add(struct lab_argv *a, const char *arg)
{
	if (a->argc < LAB_MAX_ARGS - 1)
		a->argv[a->argc++] = (char *)(uintptr_t)arg;
	a->argv[a->argc] = NULL;
}

static void lab_argv_addf(struct lab_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
lab_argv_addf(struct lab_argv *a, const char *fmt, ...)
{
	va_list ap;
	char *slot;

	if (a->nstore >= (int)(sizeof(a->store) / sizeof(a->store[0])))
		return;
	slot = a->store[a->nstore++];
	va_start(ap, fmt);
	vsnprintf(slot, sizeof(a->store[0]), fmt, ap);
	va_end(ap);
	lab_argv_add(a, slot);
}

static void
lab_argv_str(const struct lab_argv *a, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < a->argc && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s", i ? " " : "", a->argv[i]);
}

/* Start a daemon in netns ns: new session, stdin /dev/null, output to log. */
static pid_t
lab_spawn(const char *ns, const struct lab_argv *a, const char *log_path)
{
	char line[2048];
	int logfd, nullfd;
	pid_t pid;

	logfd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (logfd < 0) {
		lab_err("cannot open %s: %s", log_path, strerror(errno));
		return -1;
	}
	lab_argv_str(a, line, sizeof(line));
	dprintf(logfd, "# metroprobe lab: %s (in netns %s)\n", line, ns);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		lab_err("fork: %s", strerror(errno));
		close(logfd);
		return -1;
	}
	if (pid == 0) {
		int rc;

		setsid();
		/*
		 * Ahead of ordinary work on a shared machine: an emulated delay
		 * is only as exact as the reflector's wake-up for its release.
		 */
		if (setpriority(PRIO_PROCESS, 0, LAB_REFLECTOR_NICE) != 0)
			dprintf(logfd, "metroprobe lab: cannot raise the priority (nice %d): %s\n",
				LAB_REFLECTOR_NICE, strerror(errno));
		rc = mp_netns_enter(ns);
		if (rc != 0) {
			dprintf(logfd, "metroprobe lab: cannot enter netns %s: %s\n", ns,
				strerror(-rc));
			_exit(126);
		}
		nullfd = open("/dev/null", O_RDONLY);
		if (nullfd >= 0)
			dup2(nullfd, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		/* a daemon holds none of its starter's files (its locks included) */
		close_range(3, ~0u, 0);
		execv(a->argv[0], a->argv);
		dprintf(2, "metroprobe lab: cannot run %s: %s\n", a->argv[0], strerror(errno));
		_exit(127);
	}
	close(logfd);
	return pid;
}

static void
lab_print_log_tail(const char *log_path, int lines)
{
	char *text = mp_read_file(log_path, NULL);
	size_t len;
	char *p;
	int n = 0;

	if (text == NULL)
		return;
	len = strlen(text);
	while (len > 0 && text[len - 1] == '\n')
		text[--len] = '\0';
	for (p = text + len; p > text; p--)
		if (p[-1] == '\n' && ++n == lines)
			break;
	fprintf(stderr, "--- last lines of %s ---\n%s\n---\n", log_path,
		len > 0 ? p : "(empty)");
	free(text);
}


/* Write imp for site s's reflector, tagged with gen (its acknowledgement). */
static int
lab_impair_file_write(int s, const struct lab_impair *imp, unsigned long long gen)
{
	char path[PATH_MAX], kv[256];
	int n, rc;

	lab_impair_file(s, path, sizeof(path));
	n = snprintf(kv, sizeof(kv), "gen=%llu,loss=%g,dup=%g,reorder=%g,delay_us=%u,"
		     "jitter_us=%u\n", gen, imp->blackhole ? 100.0 : imp->loss_pct,
		     imp->dup_pct, imp->reorder_pct, imp->delay_us, imp->jitter_us);
	rc = mp_write_file(path, kv, (size_t)n);
	if (rc != 0)
		lab_err("cannot write %s: %s", path, strerror(-rc));
	return rc;
}

/*
 * Start site s's DPDK reflector and wait until it says "reflector ready".
 * On failure the log tail is shown; the process, if any, is left for the
 * caller's clean-up (found by its --file-prefix).
 */
static int
lab_dpdk_start(struct lab_state *st, int s, const char *dp_bin)
{
	const struct lab_site_def *d = &lab_sites[s];
	struct lab_site *ls = &st->site[s];
	const struct lab_impair *imp = &ls->imp;
	char log_path[PATH_MAX], imp_path[PATH_MAX];
	struct lab_argv a = { .argc = 0 };
	unsigned int waited;
	pid_t pid;

	/*
	 * Both reflectors share CPU 0 (they sleep when idle); the prober's
	 * worker lcore gets the last CPU to itself, where it polls for replies.
	 * With 4+ CPUs each reflector gets its own.
	 */
	ls->cpu = sysconf(_SC_NPROCESSORS_ONLN) >= 4 ? 1 + s : 0;
	ls->hugepages = st->hp_ok;
	lab_argv_add(&a, dp_bin);
	lab_argv_add(&a, "--no-pci");
	if (ls->hugepages) {
		lab_argv_add(&a, "--in-memory");
	} else {
		lab_argv_add(&a, "--no-huge");
		lab_argv_add(&a, "-m");
		lab_argv_addf(&a, "%d", LAB_NO_HUGE_MB);
	}
	lab_argv_add(&a, "-l");
	lab_argv_addf(&a, "%d", ls->cpu);
	lab_argv_add(&a, "--file-prefix");
	lab_argv_addf(&a, LAB_DP_PREFIX "%s", d->id);
	lab_argv_add(&a, "--vdev");
	/*
	 * Ring slots for jumbo frames (af_packet's default holds 2048 bytes):
	 * a 9018-byte frame and its header, within the reflector's buffers.
	 */
	lab_argv_addf(&a, "net_af_packet0,iface=%s,framesz=12288,blocksz=12288", d->if_site);
	lab_argv_add(&a, "--");
	lab_argv_add(&a, "reflect");
	lab_argv_add(&a, "--ip");
	lab_argv_addf(&a, "%s/%d", d->site_v4, d->plen_v4);
	lab_argv_add(&a, "--ip");
	lab_argv_addf(&a, "%s/%d", d->site_v6, d->plen_v6);
	lab_argv_add(&a, "--next-hop");
	lab_argv_add(&a, d->prober_v4);
	lab_argv_add(&a, "--next-hop");
	lab_argv_add(&a, d->prober_v6);
	lab_argv_add(&a, "--udp-port");
	lab_argv_addf(&a, "%d", LAB_STAMP_PORT);
	/* lab impair hands it new impairments through this file and SIGHUP */
	lab_impair_file(s, imp_path, sizeof(imp_path));
	if (lab_impair_file_write(s, imp, 0) != 0)
		return -1;
	lab_argv_add(&a, "--impair-file");
	lab_argv_add(&a, imp_path);
	if (imp->blackhole || imp->loss_pct > 0) {
		lab_argv_add(&a, "--loss");
		lab_argv_addf(&a, "%g", imp->blackhole ? 100.0 : imp->loss_pct);
	}
	if (imp->delay_us > 0) {
		lab_argv_add(&a, "--delay-us");
		lab_argv_addf(&a, "%u", imp->delay_us);
	}
	if (imp->jitter_us > 0) {
		lab_argv_add(&a, "--jitter-us");
		lab_argv_addf(&a, "%u", imp->jitter_us);
	}
	if (imp->dup_pct > 0) {
		lab_argv_add(&a, "--dup");
		lab_argv_addf(&a, "%g", imp->dup_pct);
	}
	if (imp->reorder_pct > 0) {
		lab_argv_add(&a, "--reorder");
		lab_argv_addf(&a, "%g", imp->reorder_pct);
	}
	lab_log_path(s, log_path, sizeof(log_path));
	pid = lab_spawn(d->netns, &a, log_path);
	if (pid < 0)
		return -1;
	ls->pid = pid;
	for (waited = 0; waited <= LAB_READY_MS; waited += LAB_POLL_MS) {
		int status;
		char *log;
		bool ready;

		if (waitpid(pid, &status, WNOHANG) == pid) {
			lab_err("the dpdk reflector of site %s (pid %d) exited with %s %d",
				d->id, (int)pid, WIFEXITED(status) ? "status" : "signal",
				WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
			lab_print_log_tail(log_path, 15);
			ls->pid = 0;
			return -1;
		}
		log = mp_read_file(log_path, NULL);
		ready = log != NULL && strstr(log, "reflector ready") != NULL;
		free(log);
		if (ready)
			return 0;
		if (lab_interrupted) {
			lab_err("interrupted");
			return -1;
		}
		lab_sleep_ms(LAB_POLL_MS);
	}
	lab_err("the dpdk reflector of site %s (pid %d) did not report \"reflector ready\" "
		"within %d s", d->id, (int)pid, LAB_READY_MS / 1000);
	lab_print_log_tail(log_path, 15);
	return -1;
}

/* Was pid started with arg (a reflector new enough to take live changes)? */
static bool
lab_pid_has_arg(pid_t pid, const char *arg)
{
	char path[64], *text, *p;
	size_t len;
	bool found = false;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	text = mp_read_file(path, &len);
	if (text == NULL)
		return false;
	for (p = text; p < text + len; p += strlen(p) + 1)
		if (strcmp(p, arg) == 0)
			found = true;
	free(text);
	return found;
}

/*
 * Hand new impairments to site s's running dpdk reflector: the impair
 * file, then SIGHUP; it applies them between two bursts and says so in its
 * log with the same gen. No restart, so no probe is lost to the change.
 */
static int
lab_dpdk_update(const struct lab_state *st, int s, const struct lab_impair *imp)
{
	unsigned long long gen = mp_now_ns();
	char log_path[PATH_MAX], ok[96], bad[96];
	unsigned int waited;

	lab_log_path(s, log_path, sizeof(log_path));
	snprintf(ok, sizeof(ok), "\"type\":\"impair_applied\",\"gen\":%llu,", gen);
	snprintf(bad, sizeof(bad), "\"type\":\"impair_refused\",\"gen\":%llu,", gen);
	if (lab_impair_file_write(s, imp, gen) != 0)
		return -1;
	if (kill(st->site[s].pid, SIGHUP) != 0) {
		lab_err("cannot signal the reflector of site %s (pid %d): %s", lab_sites[s].id,
			(int)st->site[s].pid, strerror(errno));
		return -1;
	}
	for (waited = 0; waited <= LAB_READY_MS; waited += 10) {
		char *log = mp_read_file(log_path, NULL);
		char *line = log != NULL ? strstr(log, bad) : NULL;

		if (log != NULL && strstr(log, ok) != NULL) {
			free(log);
			return 0;
		}
		if (line != NULL) {
			char *end = strchr(line, '\n');

			if (end != NULL)
				*end = '\0';
			lab_err("the reflector of site %s refused the change: {%s", lab_sites[s].id,
				line);
			free(log);
			return -1;
		}
		free(log);
		lab_sleep_ms(10);
	}
	lab_err("the reflector of site %s (pid %d) did not confirm the change within %d s",
		lab_sites[s].id, (int)st->site[s].pid, LAB_READY_MS / 1000);
	return -1;
}

static int
lab_xdp_attach(int s, const char *xdp_bin)
{
	const struct lab_site_def *d = &lab_sites[s];

	return lab_step(d->netns, LAB_OUT_ALL, "%s attach %s --port %d --allow %s --allow %s",
			xdp_bin, d->if_site, LAB_STAMP_PORT, d->net_v4, d->net_v6);
}

/* Loss (and blackhole, when asked) through the XDP program on the site's end. */
static int
lab_xdp_impair(int s, const char *xdp_bin, const struct lab_impair *imp, bool set_blackhole)
{
	const struct lab_site_def *d = &lab_sites[s];
	char model[160];

	if (imp->ge_p > 0)
		snprintf(model, sizeof(model), "--ge p=%g,r=%g,k=%g,h=%g", imp->ge_p / 100,
			 imp->ge_r / 100, imp->ge_k / 100, imp->ge_h / 100);
	else
		snprintf(model, sizeof(model), "--loss %g", imp->loss_pct);
	if (set_blackhole)
		return lab_step(d->netns, LAB_OUT_ALL, "%s impair %s %s --blackhole %s",
				xdp_bin, d->if_site, model, imp->blackhole ? "on" : "off");
	return lab_step(d->netns, LAB_OUT_ALL, "%s impair %s %s", xdp_bin, d->if_site, model);
}

/* --- lab up --- */

static void
lab_on_signal(int sig)
{
	lab_interrupted = 1;
}

static int
lab_topology_create(const struct lab_state *st)
{
	size_t i;
	int s;

	for (i = 0; i < sizeof(lab_all_netns) / sizeof(lab_all_netns[0]); i++) {
		const char *ns = lab_all_netns[i];

		if (!st->conduit && strcmp(ns, LAB_NS_CONDUIT) == 0)
			continue;
		if (lab_step(NULL, LAB_OUT_ALL, "ip netns add %s", ns) != 0 ||
		    lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set lo up", ns) != 0)
			return -1;
	}
	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site_def *d = &lab_sites[s];
		bool dpdk = st->site[s].kind == LAB_KIND_DPDK;

		if (!st->conduit) {
			if (lab_step(NULL, LAB_OUT_ALL,
				     "ip link add %s netns %s type veth peer name %s netns %s",
				     d->if_prober, LAB_NS_ONPREM, d->if_site, d->netns) != 0)
				return -1;
		} else {
			if (lab_step(NULL, LAB_OUT_ALL,
				     "ip link add %s netns %s type veth peer name %s netns %s",
				     d->if_prober, LAB_NS_ONPREM, d->if_conduit_p,
				     LAB_NS_CONDUIT) != 0 ||
			    lab_step(NULL, LAB_OUT_ALL,
				     "ip link add %s netns %s type veth peer name %s netns %s",
				     d->if_conduit_s, LAB_NS_CONDUIT, d->if_site, d->netns) != 0 ||
			    lab_step(NULL, LAB_OUT_ALL,
				     "ip -n %s link add %s type bridge stp_state 0 "
				     "mcast_snooping 0", LAB_NS_CONDUIT, d->bridge) != 0 ||
			    lab_no_ipv6(LAB_NS_CONDUIT, d->bridge) != 0 ||
			    lab_no_ipv6(LAB_NS_CONDUIT, d->if_conduit_p) != 0 ||
			    lab_no_ipv6(LAB_NS_CONDUIT, d->if_conduit_s) != 0 ||
			    lab_offloads_off(LAB_NS_CONDUIT, d->if_conduit_p) != 0 ||
			    lab_offloads_off(LAB_NS_CONDUIT, d->if_conduit_s) != 0 ||
			    lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s master %s",
				     LAB_NS_CONDUIT, d->if_conduit_p, d->bridge) != 0 ||
			    lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s master %s",
				     LAB_NS_CONDUIT, d->if_conduit_s, d->bridge) != 0)
				return -1;
		}
		/* Jumbo frames on every hop, so a frame-size sweep reaches 9000 bytes. */
		if (lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s mtu %d", LAB_NS_ONPREM,
			     d->if_prober, LAB_MTU) != 0 ||
		    lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s mtu %d", d->netns,
			     d->if_site, LAB_MTU) != 0 ||
		    (st->conduit &&
		     (lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s mtu %d", LAB_NS_CONDUIT,
			       d->if_conduit_p, LAB_MTU) != 0 ||
		      lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s mtu %d", LAB_NS_CONDUIT,
			       d->if_conduit_s, LAB_MTU) != 0 ||
		      lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s mtu %d", LAB_NS_CONDUIT,
			       d->bridge, LAB_MTU) != 0)))
			return -1;
		/* The dataplane owns the prober end (and a DPDK reflector its end). */
		if (lab_no_ipv6(LAB_NS_ONPREM, d->if_prober) != 0 ||
		    (dpdk && lab_no_ipv6(d->netns, d->if_site) != 0) ||
		    lab_offloads_off(LAB_NS_ONPREM, d->if_prober) != 0 ||
		    lab_offloads_off(d->netns, d->if_site) != 0)
			return -1;
		if (!dpdk &&
		    (lab_step(NULL, LAB_OUT_ALL, "ip -n %s addr add %s/%d dev %s", d->netns,
			      d->site_v4, d->plen_v4, d->if_site) != 0 ||
		     lab_step(NULL, LAB_OUT_ALL, "ip -n %s addr add %s/%d dev %s nodad", d->netns,
			      d->site_v6, d->plen_v6, d->if_site) != 0))
			return -1;
		if (lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s up", LAB_NS_ONPREM,
			     d->if_prober) != 0 ||
		    lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s up", d->netns,
			     d->if_site) != 0)
			return -1;
		if (st->conduit &&
		    (lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s up", LAB_NS_CONDUIT,
			      d->if_conduit_p) != 0 ||
		     lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s up", LAB_NS_CONDUIT,
			      d->if_conduit_s) != 0 ||
		     lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s up", LAB_NS_CONDUIT,
			      d->bridge) != 0))
			return -1;
	}
	return 0;
}

static cJSON *
lab_config_link(int s, bool ipv6)
{
	const struct lab_site_def *d = &lab_sites[s];
	cJSON *o = cJSON_CreateObject();
	char ip[64];

	if (ipv6)
		snprintf(ip, sizeof(ip), "%s/%d", d->prober_v6, d->plen_v6);
	else
		snprintf(ip, sizeof(ip), "%s/%d", d->prober_v4, d->plen_v4);
	cJSON_AddStringToObject(o, "name", d->id);
	cJSON_AddStringToObject(o, "location", d->location);
	cJSON_AddStringToObject(o, "netns", LAB_NS_ONPREM);
	cJSON_AddStringToObject(o, "port", d->prober_port);
	cJSON_AddStringToObject(o, "link_speed", "10Gbps");
	cJSON_AddStringToObject(o, "ip", ip);
	cJSON_AddStringToObject(o, "next_hop", ipv6 ? d->site_v6 : d->site_v4);
	cJSON_AddNumberToObject(o, "reflector_port", LAB_STAMP_PORT);
	cJSON_AddNumberToObject(o, "source_port", LAB_STAMP_PORT);
	cJSON_AddStringToObject(o, "rate", "1000pps");
	cJSON_AddNumberToObject(o, "frame_size", 128);
	cJSON_AddNumberToObject(o, "dscp", 46);
	cJSON_AddNumberToObject(o, "ssid", d->ssid);
	return o;
}

/* A ready config for `metroprobe run` against this lab (schema: config.h). */
static int
lab_config_write(const char *path, bool ipv6)
{
	cJSON *root = cJSON_CreateObject(), *dp, *links;
	char *text, *full;
	size_t len;
	int rc, s;

	cJSON_AddStringToObject(root, "metro", "Amsterdam Metro");
	cJSON_AddNumberToObject(root, "duration_s", 20);
	cJSON_AddStringToObject(root, "out_dir", "out");
	dp = cJSON_AddObjectToObject(root, "dataplane");
	cJSON_AddStringToObject(dp, "lcores", "0-1");
	links = cJSON_AddArrayToObject(root, "links");
	for (s = 0; s < LAB_NSITES; s++)
		cJSON_AddItemToArray(links, lab_config_link(s, ipv6));
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL)
		return -ENOMEM;
	len = strlen(text);
	full = malloc(len + 2);
	if (full == NULL) {
		free(text);
		return -ENOMEM;
	}
	memcpy(full, text, len);
	full[len++] = '\n';
	full[len] = '\0';
	free(text);
	rc = mp_write_file(path, full, len);
	free(full);
	return rc;
}

static void
lab_up_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe lab up [options]\n"
		"Create the lab: netns mp-onprem (the prober side), mp-site-a (Amsterdam,\n"
		"Equinix AM5) and mp-site-b (Amsterdam2, Digital Realty AMS8), one veth pair\n"
		"per link, and a STAMP reflector (UDP port %d) in each site.\n"
		"  link a: mpa-p (mp-onprem, no kernel address)\n"
		"          <-> mpa-r (mp-site-a) 192.0.2.2/30, 2001:db8:a::2/126\n"
		"  link b: mpb-p (mp-onprem, no kernel address)\n"
		"          <-> mpb-r (mp-site-b) 198.51.100.2/30, 2001:db8:b::2/126\n"
		"options:\n"
		"  --reflector SITE:KIND   reflector of site a or b (default: xdp when\n"
		"                          metroprobe-xdp is built, else dpdk; dpdk for a\n"
		"                          site impaired with delay, jitter, dup or reorder):\n"
		"                            dpdk    metroprobe-dp reflect (DPDK on af_packet)\n"
		"                            kernel  kernel addresses only; start your own\n"
		"                                    reflector: ip netns exec mp-site-a ...\n"
		"                            xdp     kernel addresses + metroprobe-xdp attach\n"
		"                          KIND alone sets both sites\n"
		"  --impair SITE:KEY=VAL,...  loss=PCT delay_us=N jitter_us=N dup=PCT reorder=PCT\n"
		"                          ge_p=PCT,ge_r=PCT[,ge_k=PCT,ge_h=PCT]: Gilbert-Elliott\n"
		"                          loss bursts (XDP): P(good->bad), P(bad->good),\n"
		"                          delivery when good (100) and when bad (0)\n"
		"                          blackhole=on|off; kernel/xdp reflectors: loss,\n"
		"                          blackhole and bursts only (XDP), dpdk: all but\n"
		"                          bursts, in any combination (jitter <= delay,\n"
		"                          reorder <= 50%%); repeatable\n"
		"  --shared-conduit        both links cross netns mp-conduit (a bridge per link):\n"
		"                          shared fate on purpose:\n"
		"                          metroprobe lab impair conduit blackhole=on\n"
		"  --config-out FILE       write a config for 'metroprobe run' (default ./%s)\n"
		"  --ipv6                  ... with the links' IPv6 addresses\n"
		"  -h, --help              this help\n"
		"Environment: METROPROBE_DP, METROPROBE_XDP name the reflector binaries.\n"
		"Only one lab exists at a time; 'metroprobe lab down' removes it.\n",
		LAB_STAMP_PORT, LAB_DEFAULT_CONFIG);
}

static int
lab_up(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reflector", required_argument, NULL, 'r' },
		{ "impair", required_argument, NULL, 'i' },
		{ "shared-conduit", no_argument, NULL, 'c' },
		{ "config-out", required_argument, NULL, 'o' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_flags = 0 };
	struct lab_state st;
	unsigned int mask[LAB_NSITES] = { 0 };
	const char *config_out = LAB_DEFAULT_CONFIG;
	char dp_bin[PATH_MAX] = "", xdp_bin[PATH_MAX] = "", err[256], cwd[PATH_MAX];
	char imps[128];
	bool need_dp = false, need_xdp = false, chosen[LAB_NSITES] = { false };
	int opt, s, rc;

	lab_state_init(&st);
	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		char spec[256], *colon;
		int site, kind;

		switch (opt) {
		case 'r':
			snprintf(spec, sizeof(spec), "%s", optarg);
			colon = strchr(spec, ':');
			if (colon != NULL)
				*colon = '\0';
			site = colon != NULL ? lab_site_index(spec) : -2;
			kind = lab_kind_parse(colon != NULL ? colon + 1 : spec);
			if (site == -1 || kind < 0) {
				lab_err("--reflector '%s': use SITE:KIND, SITE a or b, KIND dpdk, "
					"kernel or xdp", optarg);
				return 2;
			}
			for (s = 0; s < LAB_NSITES; s++)
				if (site == -2 || site == s) {
					st.site[s].kind = (enum lab_kind)kind;
					chosen[s] = true;
				}
			break;
		case 'i':
			snprintf(spec, sizeof(spec), "%s", optarg);
			colon = strchr(spec, ':');
			if (colon != NULL)
				*colon = '\0';
			site = colon != NULL ? lab_site_index(spec) : -1;
			if (site < 0) {
				lab_err("--impair '%s': use SITE:KEY=VALUE,... with SITE a or b",
					optarg);
				return 2;
			}
			if (lab_impair_parse(colon + 1, &st.site[site].imp, &mask[site],
					     err, sizeof(err)) != 0) {
				lab_err("--impair %s: %s", spec, err);
				return 2;
			}
			break;
		case 'c':
			st.conduit = true;
			break;
		case 'o':
			config_out = optarg;
			break;
		case '6':
			st.ipv6 = true;
			break;
		case 'h':
			lab_up_usage(stdout);
			return 0;
		case ':':
			lab_err("%s needs a value (see --help)", argv[optind - 1]);
			return 2;
		default:
			lab_err("unknown option '%s' (see --help)", argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		lab_err("unexpected argument '%s' (see --help)", argv[optind]);
		return 2;
	}
	/*
	 * Default reflector: XDP (line rate, no CPU when idle, kernel receive
	 * timestamps) where the loader was built and the site's impairments are
	 * ones XDP can apply; DPDK where delay, jitter, dup or reorder are asked.
	 */
	for (s = 0; s < LAB_NSITES; s++) {
		if (chosen[s])
			continue;
		st.site[s].kind = (mask[s] & ~LAB_IMP_XDP_OK) == 0 &&
				  mp_find_binary("metroprobe-xdp", xdp_bin, sizeof(xdp_bin)) == 0 ?
				  LAB_KIND_XDP : LAB_KIND_DPDK;
	}
	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site *ls = &st.site[s];

		/* every combination works, or is refused here with the reason */
		if ((ls->kind == LAB_KIND_DPDK || (mask[s] & ~LAB_IMP_XDP_OK) == 0) &&
		    lab_impair_validate(&ls->imp, ls->kind, err, sizeof(err)) != 0) {
			lab_err("--impair %s: %s", lab_sites[s].id, err);
			return 2;
		}
		if (ls->kind == LAB_KIND_DPDK) {
			need_dp = true;
			continue;
		}
		if ((mask[s] & ~LAB_IMP_XDP_OK) != 0) {
			lab_err("--impair %s: the %s reflector supports only loss and blackhole "
				"(through XDP); delay, jitter, dup and reorder need "
				"--reflector %s:dpdk", lab_sites[s].id, lab_kind_names[ls->kind],
				lab_sites[s].id);
			return 2;
		}
		if (ls->kind == LAB_KIND_XDP || lab_impair_any(&ls->imp))
			need_xdp = true;
	}
	if (lab_is_up()) {
		lab_err("lab is already up (metroprobe lab down first)");
		return 1;
	}
	if (need_dp && mp_find_binary("metroprobe-dp", dp_bin, sizeof(dp_bin)) != 0) {
		lab_err("metroprobe-dp not found (build with -Ddataplane=enabled, set "
			"METROPROBE_DP=/path, or use --reflector SITE:kernel)");
		return 1;
	}
	if (need_xdp && mp_find_binary("metroprobe-xdp", xdp_bin, sizeof(xdp_bin)) != 0) {
		lab_err("metroprobe-xdp not found: the XDP loader is needed for xdp reflectors "
			"and for impairments on kernel reflectors (build with -Dxdp=enabled "
			"or set METROPROBE_XDP=/path)");
		return 1;
	}
	if (config_out[0] == '/') {
		snprintf(st.config_path, sizeof(st.config_path), "%s", config_out);
	} else if (getcwd(cwd, sizeof(cwd)) == NULL ||
		   snprintf(st.config_path, sizeof(st.config_path), "%s/%s", cwd,
			    config_out) >= (int)sizeof(st.config_path)) {
		lab_err("--config-out %s: cannot make an absolute path", config_out);
		return 1;
	}
	/* A handler, not SIG_IGN: children get the default action back on exec. */
	sa.sa_handler = lab_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (mp_mkdir_p(LAB_STATE_DIR, 0700) != 0 || chmod(LAB_STATE_DIR, 0700) != 0) {
		lab_err("cannot create %s: %s", LAB_STATE_DIR, strerror(errno));
		return 1;
	}
	st.started_s = (long long)(mp_now_ns() / 1000000000ull);
	/* Saved first and after every stage, so `lab down` knows what to undo. */
	if (lab_state_save(&st) != 0)
		goto fail;
	if (lab_topology_create(&st) != 0)
		goto fail;
	if (need_dp) {
		int n_dpdk = 0;

		for (s = 0; s < LAB_NSITES; s++)
			n_dpdk += st.site[s].kind == LAB_KIND_DPDK;
		lab_hugepages_prepare(&st, n_dpdk);
		if (lab_state_save(&st) != 0)
			goto fail;
	}
	for (s = 0; s < LAB_NSITES; s++) {
		struct lab_site *ls = &st.site[s];

		if (ls->kind == LAB_KIND_DPDK) {
			rc = lab_dpdk_start(&st, s, dp_bin);
			if (lab_state_save(&st) != 0 || rc != 0)
				goto fail;
			continue;
		}
		if (ls->kind == LAB_KIND_XDP && lab_xdp_attach(s, xdp_bin) != 0)
			goto fail;
		if (lab_impair_any(&ls->imp) &&
		    lab_xdp_impair(s, xdp_bin, &ls->imp, ls->imp.blackhole) != 0)
			goto fail;
	}
	rc = lab_config_write(st.config_path, st.ipv6);
	if (rc != 0) {
		lab_err("cannot write the config %s: %s", st.config_path, strerror(-rc));
		goto fail;
	}
	st.complete = true;
	if (lab_interrupted || lab_state_save(&st) != 0)
		goto fail;
	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site_def *d = &lab_sites[s];
		const struct lab_site *ls = &st.site[s];

		lab_impair_str(&ls->imp, imps, sizeof(imps));
		printf("site %s: %s (%s), netns %s, %s%s <-> %s: reflector %s", d->id,
		       d->location, d->facility, d->netns, d->if_prober,
		       st.conduit ? " (via mp-conduit)" : "", d->if_site,
		       lab_kind_names[ls->kind]);
		if (ls->kind == LAB_KIND_DPDK)
			printf(" pid %d on CPU %d%s", (int)ls->pid, ls->cpu,
			       ls->hugepages ? "" : " (no hugepages)");
		else
			printf(" at %s/%d, %s/%d", d->site_v4, d->plen_v4, d->site_v6, d->plen_v6);
		printf(", impair %s\n", imps);
		if (ls->kind == LAB_KIND_KERNEL)
			printf("        start your STAMP reflector with: ip netns exec %s ...\n",
			       d->netns);
	}
	printf("lab is up; config: %s\n  run: metroprobe run %s\n", st.config_path,
	       st.config_path);
	return 0;
fail:
	fprintf(stderr, "metroprobe lab up: failed; removing what was made\n");
	lab_interrupted = 0;	/* the clean-up itself must run to the end */
	lab_teardown(&st, false, NULL, NULL);
	return 1;
}

/* --- lab down --- */

/* Entries dir/PREFIX* that are still there: name each; returns how many. */
static int
lab_prefixed_left(const char *dir, const char *prefix)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		lab_err("survived: %s/%s", dir, de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * After the tear-down: whatever the lab made that is still there (a process
 * in one of its namespaces, a namespace, an interface, a reflector, a BPF
 * pin, a DPDK or state file), each named on its own line; returns how many.
 */
static int
lab_survivors(const struct lab_ns_id *ids, int n_ids)
{
	static const char *const root_ifs[] = {
		"mpa-p", "mpa-r", "mpa-cp", "mpa-cs", "mpa-br",
		"mpb-p", "mpb-r", "mpb-cp", "mpb-cs", "mpb-br",
	};
	char path[PATH_MAX], prefix[64];
	struct dirent *de;
	size_t i;
	int n = 0;
	DIR *d;

	n += lab_ns_users(ids, n_ids);
	for (i = 0; i < sizeof(lab_all_netns) / sizeof(lab_all_netns[0]); i++)
		if (mp_netns_exists(lab_all_netns[i])) {
			lab_err("survived: network namespace %s", lab_all_netns[i]);
			n++;
		}
	for (i = 0; i < sizeof(root_ifs) / sizeof(root_ifs[0]); i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s", root_ifs[i]);
		if (lab_path_exists(path)) {
			lab_err("survived: interface %s", root_ifs[i]);
			n++;
		}
	}
	d = opendir("/proc");
	while (d != NULL && (de = readdir(d)) != NULL) {
		char *end;
		long v = strtol(de->d_name, &end, 10);

		if (*end == '\0' && v > 0 && (pid_t)v != getpid() && lab_pid_alive((pid_t)v) &&
		    lab_pid_lab_prefix((pid_t)v, prefix, sizeof(prefix))) {
			lab_err("survived: reflector process %ld (%s)", v, prefix);
			n++;
		}
	}
	if (d != NULL)
		closedir(d);
	n += lab_prefixed_left(LAB_BPF_PIN_DIR, "mpa-");
	n += lab_prefixed_left(LAB_BPF_PIN_DIR, "mpb-");
	n += lab_prefixed_left(LAB_BPF_PIN_DIR, "mp-");
	n += lab_prefixed_left(LAB_HP_MOUNT, LAB_DP_PREFIX);
	n += lab_prefixed_left(LAB_DPDK_RUN_DIR, LAB_DP_PREFIX);
	if (lab_path_exists(LAB_STATE_FILE)) {
		lab_err("survived: %s", LAB_STATE_FILE);
		n++;
	}
	return n;
}

static int
lab_down(int argc, char **argv)
{
	struct lab_ns_id ids[sizeof(lab_all_netns) / sizeof(lab_all_netns[0])];
	struct lab_state st;
	int rc, n, n_ids = 0, left;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			printf("usage: metroprobe lab down\n"
			       "Remove everything the lab made: reflectors, netns mp-onprem, "
			       "mp-site-a,\nmp-site-b, mp-conduit (and their veths), XDP pins, "
			       "DPDK files; give back the\nhugepages the lab raised. Works without "
			       "the state file; safe to repeat.\nExit 1, naming each, when "
			       "anything it made survives (a process still inside\none of its "
			       "namespaces keeps that namespace and its veths).\n");
			return 0;
		}
		lab_err("unexpected argument '%s' (see --help)", argv[1]);
		return 2;
	}
	rc = lab_state_load(&st);
	if (rc == -EINVAL)
		printf("warning: %s is unreadable; removing the lab by name\n", LAB_STATE_FILE);
	n = lab_teardown(rc == 0 ? &st : NULL, true, ids, &n_ids);
	left = lab_survivors(ids, n_ids);
	if (left != 0) {
		lab_err("the lab is NOT down: %d thing(s) it made survived (see above)", left);
		return 1;
	}
	printf("lab is down%s\n", n == 0 ? " (nothing to remove)" : "");
	return 0;
}

/* --- lab status --- */

/* Interfaces of a namespace from `ip -j addr`: name, MAC, state, addresses. */
static cJSON *
lab_ns_interfaces(const char *ns)
{
	char *argv[] = { "ip", "-j", "-n", (char *)(uintptr_t)ns, "addr", "show", NULL };
	char *text = lab_capture(argv);
	cJSON *in, *out = cJSON_CreateArray(), *it;

	if (text == NULL)
		return out;
	in = cJSON_Parse(text);
	free(text);
	cJSON_ArrayForEach(it, in) {
		const char *name = lab_jstr(it, "ifname");
		cJSON *o, *addrs, *ai;

		if (name == NULL || strcmp(name, "lo") == 0)
			continue;
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", name);
		cJSON_AddStringToObject(o, "mac", lab_jstr(it, "address") != NULL ?
					lab_jstr(it, "address") : "");
		cJSON_AddStringToObject(o, "state", lab_jstr(it, "operstate") != NULL ?
					lab_jstr(it, "operstate") : "UNKNOWN");
		addrs = cJSON_AddArrayToObject(o, "addresses");
		cJSON_ArrayForEach(ai, cJSON_GetObjectItemCaseSensitive(it, "addr_info")) {
			const char *local = lab_jstr(ai, "local"), *scope = lab_jstr(ai, "scope");
			char a[128];

			if (local == NULL || (scope != NULL && strcmp(scope, "link") == 0))
				continue;
			snprintf(a, sizeof(a), "%s/%d", local, (int)lab_jnum(ai, "prefixlen", 0));
			cJSON_AddItemToArray(addrs, cJSON_CreateString(a));
		}
		cJSON_AddItemToArray(out, o);
	}
	cJSON_Delete(in);
	return out;
}

static cJSON *
lab_status_build(int *exit_code)
{
	cJSON *root = cJSON_CreateObject(), *nso, *sites;
	struct lab_state st;
	bool have_state, all = true, any = false;
	char when[64], log[PATH_MAX];
	size_t i;
	int rc, s;

	rc = lab_state_load(&st);
	have_state = rc == 0;
	nso = cJSON_CreateObject();
	for (i = 0; i < sizeof(lab_all_netns) / sizeof(lab_all_netns[0]); i++) {
		const char *ns = lab_all_netns[i];
		bool present = mp_netns_exists(ns);
		bool wanted = strcmp(ns, LAB_NS_CONDUIT) != 0 || (have_state && st.conduit);
		cJSON *o;

		any = any || present;
		if (wanted && !present)
			all = false;
		if (!present && !wanted)
			continue;
		o = cJSON_AddObjectToObject(nso, ns);
		cJSON_AddBoolToObject(o, "present", present);
		cJSON_AddItemToObject(o, "interfaces",
				      present ? lab_ns_interfaces(ns) : cJSON_CreateArray());
	}
	any = any || have_state;
	*exit_code = all && any ? 0 : LAB_EXIT_DOWN;
	cJSON_AddBoolToObject(root, "up", *exit_code == 0);
	cJSON_AddStringToObject(root, "state", *exit_code == 0 ? "up" : any ? "partial" : "down");
	cJSON_AddStringToObject(root, "state_file", LAB_STATE_FILE);
	cJSON_AddBoolToObject(root, "state_file_ok", have_state);
	if (have_state) {
		lab_iso_time(st.started_s, when, sizeof(when));
		cJSON_AddStringToObject(root, "started", when);
		cJSON_AddBoolToObject(root, "complete", st.complete);
		cJSON_AddStringToObject(root, "config", st.config_path);
		cJSON_AddBoolToObject(root, "shared_conduit", st.conduit);
		if (st.conduit)
			cJSON_AddBoolToObject(root, "conduit_blackhole", st.conduit_blackhole);
		cJSON_AddBoolToObject(root, "hugepages_raised", st.hp.raised > 0);
		cJSON_AddNumberToObject(root, "hugepages_reserved", (double)st.hp.raised);
	}
	cJSON_AddItemToObject(root, "netns", nso);
	sites = cJSON_AddObjectToObject(root, "sites");
	for (s = 0; have_state && s < LAB_NSITES; s++) {
		const struct lab_site_def *d = &lab_sites[s];
		const struct lab_site *ls = &st.site[s];
		cJSON *o = cJSON_AddObjectToObject(sites, d->id);

		cJSON_AddStringToObject(o, "location", d->location);
		cJSON_AddStringToObject(o, "facility", d->facility);
		cJSON_AddStringToObject(o, "netns", d->netns);
		cJSON_AddStringToObject(o, "interface", d->if_site);
		cJSON_AddStringToObject(o, "prober_interface", d->if_prober);
		cJSON_AddStringToObject(o, "reflector", lab_kind_names[ls->kind]);
		if (ls->kind == LAB_KIND_DPDK) {
			bool alive = lab_reflector_alive(ls->pid, s);

			cJSON_AddNumberToObject(o, "pid", ls->pid);
			cJSON_AddBoolToObject(o, "alive", alive);
			cJSON_AddNumberToObject(o, "cpu", ls->cpu);
			cJSON_AddBoolToObject(o, "hugepages", ls->hugepages);
			lab_log_path(s, log, sizeof(log));
			cJSON_AddStringToObject(o, "log", log);
		}
		cJSON_AddItemToObject(o, "impair", lab_impair_json(&ls->imp));
	}
	return root;
}

static void
lab_status_print(const cJSON *root)
{
	const cJSON *ns, *it, *site, *addr;
	const char *state = lab_jstr(root, "state");
	char imps[128];

	if (strcmp(state, "down") == 0) {
		printf("lab is down\n");
		return;
	}
	if (strcmp(state, "partial") == 0)
		printf("lab is partly there (run 'metroprobe lab down' to clean up)\n");
	else if (lab_jstr(root, "started") != NULL)
		printf("lab is up since %s%s\n", lab_jstr(root, "started"),
		       lab_jbool(root, "complete") ? "" : " (lab up still running, or it died)");
	else
		printf("lab is up\n");
	if (!lab_jbool(root, "state_file_ok"))
		printf("  state: %s is missing or unreadable\n", LAB_STATE_FILE);
	else
		printf("  config: %s\n", lab_jstr(root, "config"));
	cJSON_ArrayForEach(ns, cJSON_GetObjectItemCaseSensitive(root, "netns")) {
		printf("  netns %s%s\n", ns->string, lab_jbool(ns, "present") ? "" : ": MISSING");
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(ns, "interfaces")) {
			const cJSON *addrs = cJSON_GetObjectItemCaseSensitive(it, "addresses");

			printf("    %-7s %s %-14s", lab_jstr(it, "name"), lab_jstr(it, "mac"),
			       lab_jstr(it, "state"));
			if (cJSON_GetArraySize(addrs) == 0)
				printf(" (no addresses)");
			cJSON_ArrayForEach(addr, addrs)
				printf(" %s", addr->valuestring);
			printf("\n");
		}
	}
	if (lab_jbool(root, "shared_conduit"))
		printf("  conduit: %s\n", lab_jbool(root, "conduit_blackhole") ?
		       "BLACKHOLED (both links down)" : "passing");
	cJSON_ArrayForEach(site, cJSON_GetObjectItemCaseSensitive(root, "sites")) {
		const cJSON *imp = cJSON_GetObjectItemCaseSensitive(site, "impair");
		struct lab_impair ii;

		lab_impair_from_json(imp, &ii);
		lab_impair_str(&ii, imps, sizeof(imps));
		printf("  site %s: %s (%s), reflector %s", site->string,
		       lab_jstr(site, "location"), lab_jstr(site, "facility"),
		       lab_jstr(site, "reflector"));
		if (strcmp(lab_jstr(site, "reflector"), "dpdk") == 0)
			printf(" pid %d %s, log %s", (int)lab_jnum(site, "pid", 0),
			       lab_jbool(site, "alive") ? "alive" : "NOT RUNNING",
			       lab_jstr(site, "log"));
		printf(", impair %s\n", imps);
	}
}

static int
lab_status(int argc, char **argv)
{
	bool json = false;
	cJSON *root;
	char *text;
	int i, code;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: metroprobe lab status [--json]\n"
			       "Show the lab: namespaces, interfaces with MAC and addresses, each "
			       "site's\nreflector (kind, pid, alive) and impairments, the config "
			       "path.\n  --json  one JSON object, for scripts\n"
			       "Exit status: 0 up, %d down (or partly there).\n", LAB_EXIT_DOWN);
			return 0;
		} else {
			lab_err("unexpected argument '%s' (see --help)", argv[i]);
			return 2;
		}
	}
	root = lab_status_build(&code);
	if (json) {
		text = cJSON_Print(root);
		if (text != NULL)
			printf("%s\n", text);
		free(text);
	} else {
		lab_status_print(root);
	}
	cJSON_Delete(root);
	return code;
}

/* --- lab impair --- */

/*
 * An xdp site asked for delay, jitter, dup or reorder, which only the dpdk
 * reflector does: hand the site over without losing a probe. The dpdk
 * reflector starts on the same veth while XDP still answers every request
 * (generic XDP runs before packet sockets, so it sees only ARP/ND); the
 * kernel's addresses go (so it neither answers ARP any longer nor sends
 * port unreachable for STAMP: with forwarding off it drops silently); then
 * XDP is detached, and from the next packet on the dpdk reflector answers.
 * The MAC stays the interface's, so the prober's neighbour entry holds.
 */
static int
lab_xdp_to_dpdk(struct lab_state *st, int s, const struct lab_impair *imp)
{
	const struct lab_site_def *d = &lab_sites[s];
	struct lab_site *ls = &st->site[s];
	struct lab_impair old = ls->imp;
	char dp_bin[PATH_MAX], xdp_bin[PATH_MAX], imps[160];
	bool hp_ok;
	int rc;

	if (mp_find_binary("metroprobe-dp", dp_bin, sizeof(dp_bin)) != 0) {
		lab_err("site %s: delay, jitter, dup and reorder need the dpdk reflector, and "
			"metroprobe-dp was not found (set METROPROBE_DP=/path)", d->id);
		return -1;
	}
	if (mp_find_binary("metroprobe-xdp", xdp_bin, sizeof(xdp_bin)) != 0) {
		lab_err("metroprobe-xdp not found: it is needed to detach the xdp reflector "
			"(set METROPROBE_XDP=/path)");
		return -1;
	}
	lab_impair_str(imp, imps, sizeof(imps));
	printf("site %s: handing over from the xdp to a dpdk reflector for impair %s\n",
	       d->id, imps);
	/*
	 * The pages `lab up` reserved are sized for the reflectors it started;
	 * this one runs without hugepages (vdevs do not need them) rather than
	 * take pages another user counts on.
	 */
	hp_ok = st->hp_ok;
	st->hp_ok = false;
	ls->imp = *imp;
	rc = lab_dpdk_start(st, s, dp_bin);
	st->hp_ok = hp_ok;
	if (rc != 0) {
		if (ls->pid > 0 && lab_pid_alive(ls->pid))
			lab_kill_pids(&ls->pid, 1);
		ls->pid = 0;
		ls->imp = old;
		lab_state_save(st);
		lab_err("site %s stays xdp with impair as before (nothing changed)", d->id);
		return -1;
	}
	/* From here the dpdk reflector is the state's: lab down stops it. */
	if (lab_state_save(st) != 0 ||
	    lab_step(NULL, LAB_OUT_ALL, "ip -n %s -4 addr flush dev %s", d->netns,
		     d->if_site) != 0 ||
	    lab_no_ipv6(d->netns, d->if_site) != 0 ||
	    lab_step(d->netns, LAB_OUT_ALL, "%s detach %s", xdp_bin, d->if_site) != 0) {
		lab_err("site %s: the hand-over did not complete (lab down, then up with "
			"--reflector %s:dpdk)", d->id, d->id);
		return -1;
	}
	ls->kind = LAB_KIND_DPDK;
	if (lab_state_save(st) != 0)
		return -1;
	printf("site %s: dpdk reflector pid %d answers now (xdp detached), impair %s\n",
	       d->id, (int)ls->pid, imps);
	return 0;
}

static void
lab_impair_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe lab impair SITE KEY=VALUE[,KEY=VALUE...]\n"
		"Change the impairments of a running lab. SITE is a, b, or conduit.\n"
		"  loss=PCT  delay_us=N  jitter_us=N  dup=PCT  reorder=PCT  blackhole=on|off\n"
		"  ge_p=PCT,ge_r=PCT[,ge_k=PCT,ge_h=PCT]  Gilbert-Elliott loss bursts (XDP):\n"
		"            P(good->bad), P(bad->good), delivery when good (100) and bad (0)\n"
		"  clear     (or none) reset all impairments of the site\n"
		"Keys not named keep their value. Nothing is restarted and no probe is lost\n"
		"to the change: a dpdk reflector takes the new values while it runs (SIGHUP\n"
		"and its impair file); xdp and kernel reflectors take loss, blackhole and\n"
		"ge_* through metroprobe-xdp impair. An xdp site given delay, jitter, dup or\n"
		"reorder is handed over to a dpdk reflector started beside it (which then\n"
		"stays). 'conduit' (lab up --shared-conduit) takes blackhole=on|off only:\n"
		"both links go down together.\n");
}

static int
lab_impair_conduit(struct lab_state *st, const char *spec)
{
	struct lab_impair imp = { .blackhole = st->conduit_blackhole };
	unsigned int mask = 0;
	char err[256];
	int s;

	if (!st->conduit) {
		lab_err("this lab has no conduit (lab up --shared-conduit)");
		return 1;
	}
	if (lab_impair_parse(spec, &imp, &mask, err, sizeof(err)) != 0) {
		lab_err("%s", err);
		return 2;
	}
	if ((mask & ~(LAB_IMP_BLACKHOLE | LAB_IMP_CLEAR)) != 0) {
		lab_err("the conduit takes blackhole=on|off only");
		return 2;
	}
	for (s = 0; s < LAB_NSITES; s++)
		if (lab_step(NULL, LAB_OUT_ALL, "ip -n %s link set %s %s", LAB_NS_CONDUIT,
			     lab_sites[s].bridge, imp.blackhole ? "down" : "up") != 0)
			return 1;
	st->conduit_blackhole = imp.blackhole;
	if (lab_state_save(st) != 0)
		return 1;
	printf("conduit: %s\n", imp.blackhole ? "blackholed: both links are down" :
	       "passing again");
	return 0;
}

static int
lab_impair(int argc, char **argv)
{
	struct lab_state st;
	struct lab_impair imp;
	struct lab_site *ls;
	unsigned int mask = 0;
	char err[256], imps[128], bin[PATH_MAX];
	int s, rc;

	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		lab_impair_usage(stdout);
		return 0;
	}
	if (argc != 3) {
		lab_err("usage: metroprobe lab impair SITE KEY=VALUE,... (see --help)");
		return 2;
	}
	rc = lab_state_load(&st);
	if (rc != 0 || !mp_netns_exists(LAB_NS_ONPREM)) {
		lab_err("%s", rc == -EINVAL ? "the lab state is unreadable (metroprobe lab down, "
			"then up)" : "lab is not up (metroprobe lab up first)");
		return 1;
	}
	if (strcmp(argv[1], "conduit") == 0)
		return lab_impair_conduit(&st, argv[2]);
	s = lab_site_index(argv[1]);
	if (s < 0) {
		lab_err("unknown site '%s' (a, b or conduit)", argv[1]);
		return 2;
	}
	ls = &st.site[s];
	imp = ls->imp;
	if (lab_impair_parse(argv[2], &imp, &mask, err, sizeof(err)) != 0) {
		lab_err("%s", err);
		return 2;
	}
	lab_impair_str(&imp, imps, sizeof(imps));
	if (lab_impair_validate(&imp, ls->kind, err, sizeof(err)) != 0) {
		lab_err("site %s: %s", lab_sites[s].id, err);
		return 2;
	}
	if (ls->kind == LAB_KIND_DPDK) {
		pid_t old = ls->pid;

		if (lab_reflector_alive(old, s) && lab_pid_has_arg(old, "--impair-file")) {
			if (lab_dpdk_update(&st, s, &imp) != 0)
				return 1;
			ls->imp = imp;
			if (lab_state_save(&st) != 0)
				return 1;
			printf("site %s: impair %s (dpdk reflector pid %d, changed live)\n",
			       lab_sites[s].id, imps, (int)old);
			return 0;
		}
		/* Dead, or too old to take live changes: a new one it must be. */
		if (mp_find_binary("metroprobe-dp", bin, sizeof(bin)) != 0) {
			lab_err("metroprobe-dp not found (set METROPROBE_DP=/path)");
			return 1;
		}
		printf("site %s: restarting the dpdk reflector (%s) with impair %s\n",
		       lab_sites[s].id, lab_reflector_alive(old, s) ?
		       "it predates live changes" : "it is not running", imps);
		if (lab_reflector_alive(old, s) && lab_kill_pids(&old, 1) != 0) {
			lab_err("the old reflector (pid %d) does not stop", (int)old);
			return 1;
		}
		ls->pid = 0;
		ls->imp = imp;
		rc = lab_dpdk_start(&st, s, bin);
		if (rc != 0 && ls->pid > 0 && lab_pid_alive(ls->pid))
			lab_kill_pids(&ls->pid, 1);
		if (rc != 0)
			ls->pid = 0;
		if (lab_state_save(&st) != 0 || rc != 0)
			return 1;
		printf("site %s: reflector pid %d ready\n", lab_sites[s].id, (int)ls->pid);
		return 0;
	}
	if (lab_impair_needs_dpdk(&imp)) {
		if (ls->kind == LAB_KIND_KERNEL) {
			lab_err("site %s's reflector is your own (kernel): delay, jitter, dup and "
				"reorder need the dpdk reflector (lab up --reflector %s:dpdk)",
				lab_sites[s].id, lab_sites[s].id);
			return 2;
		}
		return lab_xdp_to_dpdk(&st, s, &imp) == 0 ? 0 : 1;
	}
	if (mp_find_binary("metroprobe-xdp", bin, sizeof(bin)) != 0) {
		lab_err("metroprobe-xdp not found: loss and blackhole with the %s reflector need "
			"the XDP loader (build with -Dxdp=enabled or set METROPROBE_XDP=/path)",
			lab_kind_names[ls->kind]);
		return 1;
	}
	if (lab_xdp_impair(s, bin, &imp, (mask & (LAB_IMP_BLACKHOLE | LAB_IMP_CLEAR)) != 0) != 0)
		return 1;
	ls->imp = imp;
	if (lab_state_save(&st) != 0)
		return 1;
	printf("site %s: impair %s\n", lab_sites[s].id, imps);
	return 0;
}

/* --- Dispatch --- */

struct lab_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

static const struct lab_cmd lab_cmds[] = {
	{ "up", lab_up, "create the lab (namespaces, links, reflectors) and lab.json" },
	{ "down", lab_down, "remove everything the lab made (safe to repeat)" },
	{ "status", lab_status, "show the lab [--json]; exit 0 up, 3 down" },
	{ "impair", lab_impair, "change a site's impairments: impair a loss=1,delay_us=200" },
};

static void
lab_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: metroprobe lab up|down|status|impair [options]\n"
		"A whole ExpressRoute Metro on this machine: netns mp-onprem (prober),\n"
		"mp-site-a (Amsterdam) and mp-site-b (Amsterdam2), veth links, a STAMP\n"
		"reflector per site. Needs root.\n");
	for (i = 0; i < sizeof(lab_cmds) / sizeof(lab_cmds[0]); i++)
		fprintf(f, "  %-7s %s\n", lab_cmds[i].name, lab_cmds[i].summary);
	fprintf(f, "Run 'metroprobe lab COMMAND --help' for its options.\n");
}

int
lab_main(int argc, char **argv)
{
	const struct lab_cmd *cmd = NULL;
	size_t i;
	int a;

	if (argc < 2) {
		lab_usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		lab_usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(lab_cmds) / sizeof(lab_cmds[0]); i++)
		if (strcmp(argv[1], lab_cmds[i].name) == 0)
			cmd = &lab_cmds[i];
	if (cmd == NULL) {
		lab_err("unknown command '%s' (up, down, status, impair; see --help)", argv[1]);
		return 2;
	}
	lab_cmd_name = cmd->name;
	for (a = 2; a < argc; a++)
		if (strcmp(argv[a], "--help") == 0 || strcmp(argv[a], "-h") == 0)
			return cmd->fn(2, (char *[]){ argv[1], "--help", NULL });
	if (geteuid() != 0) {
		lab_err("must be root (the lab creates network namespaces, veth pairs and "
			"hugepages); try sudo");
		return 1;
	}
	return cmd->fn(argc - 1, argv + 1);
}
