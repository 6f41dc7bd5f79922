/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The reflector of each lab site: metroprobe-dp (DPDK on af_packet), the
 * XDP reflector, or the user's own behind kernel addresses. Starting a
 * DPDK reflector and waiting for it, handing it new impairments live,
 * attaching and impairing XDP, handing a site over from XDP to DPDK, and
 * finding and stopping every lab reflector by its EAL --file-prefix.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab_internal.h"
#include "netns.h"
#include "util.h"

const char *const lab_kind_names[LAB_KIND_COUNT] = { "dpdk", "kernel", "xdp" };

int
lab_kind_parse(const char *name)
{
	size_t k;

	for (k = 0; k < LAB_KIND_COUNT; k++)
		if (strcmp(name, lab_kind_names[k]) == 0)
			return (int)k;
	return -1;
}

void
lab_log_path(int s, char *buf, size_t len)
{
	snprintf(buf, len, "%s/reflector-%s.log", LAB_STATE_DIR, lab_sites[s].id);
}

/* The file a dpdk reflector reads its impairments from on SIGHUP. */
void
lab_impair_file(int s, char *buf, size_t len)
{
	snprintf(buf, len, "%s/impair-%s.kv", LAB_STATE_DIR, lab_sites[s].id);
}

/* --- Processes --- */

/* Alive and not a zombie: PID 1 here may not reap orphans promptly. */
bool
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
bool
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
bool
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
int
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

/*
 * Append to pids[n..max) every live lab reflector not yet there (found by
 * its --file-prefix, never this process); returns the new count.
 */
int
lab_reflector_pids(pid_t *pids, int n, int max)
{
	pid_t self = getpid();
	char prefix[64];
	struct dirent *de;
	DIR *d = opendir("/proc");
	int i;

	while (d != NULL && (de = readdir(d)) != NULL && n < max) {
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
	return n;
}

/* Stop every lab reflector: the ones in the state, and any other found by prefix. */
int
lab_kill_reflectors(const struct lab_state *st, bool verbose)
{
	pid_t pids[LAB_MAX_PIDS];
	char prefix[64];
	int n = 0, i, s, left;

	for (s = 0; st != NULL && s < LAB_NSITES; s++)
		if (st->site[s].pid > 0 && lab_pid_alive(st->site[s].pid) &&
		    lab_pid_lab_prefix(st->site[s].pid, prefix, sizeof(prefix)))
			pids[n++] = st->site[s].pid;
	n = lab_reflector_pids(pids, n, LAB_MAX_PIDS);
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

/* --- The DPDK reflector --- */

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

/* The reflector's command line: EAL, its end of the link, then its impairments. */
static void
lab_dpdk_argv(const struct lab_state *st, int s, const char *dp_bin, const char *imp_path,
	      struct lab_argv *a)
{
	const struct lab_site_def *d = &lab_sites[s];
	const struct lab_site *ls = &st->site[s];
	const struct lab_impair *imp = &ls->imp;
	char addr[64];
	int v6;

	lab_argv_add(a, dp_bin);
	lab_argv_add(a, "--no-pci");
	if (ls->hugepages) {
		lab_argv_add(a, "--in-memory");
	} else {
		lab_argv_add(a, "--no-huge");
		lab_argv_add(a, "-m");
		lab_argv_addf(a, "%d", LAB_NO_HUGE_MB);
	}
	lab_argv_add(a, "-l");
	lab_argv_addf(a, "%d", ls->cpu);
	lab_argv_add(a, "--file-prefix");
	lab_argv_addf(a, LAB_DP_PREFIX "%s", d->id);
	lab_argv_add(a, "--vdev");
	/*
	 * Ring slots for jumbo frames (af_packet's default holds 2048 bytes):
	 * a 9018-byte frame and its header, within the reflector's buffers.
	 */
	lab_argv_addf(a, "net_af_packet0,iface=%s,framesz=12288,blocksz=12288", d->if_site);
	lab_argv_add(a, "--");
	lab_argv_add(a, "reflect");
	for (v6 = 0; v6 <= 1; v6++) {
		lab_site_addr(st, s, v6, addr, sizeof(addr));
		lab_argv_add(a, "--ip");
		lab_argv_addf(a, "%s/%d", addr, v6 ? d->plen_v6 : d->plen_v4);
	}
	/* the prober, or the last router on the way to it, which is then off-link */
	for (v6 = 0; v6 <= 1; v6++) {
		lab_site_gateway(st, s, v6, addr, sizeof(addr));
		lab_argv_add(a, "--next-hop");
		lab_argv_addf(a, "%s", addr);
	}
	/* answer the prober's segment, on-link or not (as the XDP reflector does) */
	lab_argv_add(a, "--allow");
	lab_argv_add(a, d->net_v4);
	lab_argv_add(a, "--allow");
	lab_argv_add(a, d->net_v6);
	lab_argv_add(a, "--udp-port");
	lab_argv_addf(a, "%d", LAB_STAMP_PORT);
	/* lab impair hands it new impairments through this file and SIGHUP */
	lab_argv_add(a, "--impair-file");
	lab_argv_add(a, imp_path);
	if (imp->blackhole || imp->loss_pct > 0) {
		lab_argv_add(a, "--loss");
		lab_argv_addf(a, "%g", imp->blackhole ? 100.0 : imp->loss_pct);
	}
	if (imp->delay_us > 0) {
		lab_argv_add(a, "--delay-us");
		lab_argv_addf(a, "%u", imp->delay_us);
	}
	if (imp->jitter_us > 0) {
		lab_argv_add(a, "--jitter-us");
		lab_argv_addf(a, "%u", imp->jitter_us);
	}
	if (imp->dup_pct > 0) {
		lab_argv_add(a, "--dup");
		lab_argv_addf(a, "%g", imp->dup_pct);
	}
	if (imp->reorder_pct > 0) {
		lab_argv_add(a, "--reorder");
		lab_argv_addf(a, "%g", imp->reorder_pct);
	}
}

/* Wait until site s's reflector logs "reflector ready"; 0, or -1 said why. */
static int
lab_dpdk_wait_ready(struct lab_site *ls, int s, const char *log_path)
{
	const struct lab_site_def *d = &lab_sites[s];
	pid_t pid = ls->pid;
	unsigned int waited;

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

/*
 * Start site s's DPDK reflector and wait until it says "reflector ready".
 * On failure the log tail is shown; the process, if any, is left for the
 * caller's clean-up (found by its --file-prefix).
 */
int
lab_dpdk_start(struct lab_state *st, int s, const char *dp_bin)
{
	struct lab_site *ls = &st->site[s];
	char log_path[PATH_MAX], imp_path[PATH_MAX];
	struct lab_argv a = { .argc = 0 };
	pid_t pid;

	/*
	 * Both reflectors share CPU 0 (they sleep when idle); the prober's
	 * worker lcore gets the last CPU to itself, where it polls for replies.
	 * With 4+ CPUs each reflector gets its own.
	 */
	ls->cpu = sysconf(_SC_NPROCESSORS_ONLN) >= 4 ? 1 + s : 0;
	ls->hugepages = st->hp_ok;
	lab_impair_file(s, imp_path, sizeof(imp_path));
	if (lab_impair_file_write(s, &ls->imp, 0) != 0)
		return -1;
	lab_dpdk_argv(st, s, dp_bin, imp_path, &a);
	lab_log_path(s, log_path, sizeof(log_path));
	pid = lab_spawn(lab_site_netns(st, s), &a, log_path);
	if (pid < 0)
		return -1;
	ls->pid = pid;
	return lab_dpdk_wait_ready(ls, s, log_path);
}

/* Was pid started with arg (a reflector new enough to take live changes)? */
bool
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
int
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

/* --- XDP --- */

/* The XDP reflector on site s's end, answering the prober's segment only. */
int
lab_xdp_attach(const struct lab_state *st, int s, const char *xdp_bin)
{
	const struct lab_site_def *d = &lab_sites[s];

	return lab_step(lab_site_netns(st, s), MP_PROC_OUT_ALL,
			"%s attach %s --port %d --allow %s --allow %s", xdp_bin, d->if_site,
			LAB_STAMP_PORT, d->net_v4, d->net_v6);
}

/*
 * Loss or bursts, flaps (and blackhole, when asked) through the XDP
 * program on interface ifname of ns: the reflector's own impairment there,
 * or the impair program.
 */
int
lab_xdp_impair_if(const char *ns, const char *ifname, const char *xdp_bin,
		  const struct lab_impair *imp, bool set_blackhole)
{
	char model[160], flap[64], bh[32], rate[80];

	if (imp->ge_p > 0)
		snprintf(model, sizeof(model), "--ge p=%g,r=%g,k=%g,h=%g", imp->ge_p / 100,
			 imp->ge_r / 100, imp->ge_k / 100, imp->ge_h / 100);
	else
		snprintf(model, sizeof(model), "--loss %g", imp->loss_pct);
	if (imp->flap_period_ms > 0)
		snprintf(flap, sizeof(flap), " --flap %g/%g", imp->flap_down_ms / 1000.0,
			 imp->flap_period_ms / 1000.0);
	else
		snprintf(flap, sizeof(flap), " --flap off");
	snprintf(bh, sizeof(bh), " --blackhole %s", imp->blackhole ? "on" : "off");
	if (imp->rate_limit[0] != '\0')
		snprintf(rate, sizeof(rate), " --rate %s --burst %llu", imp->rate_limit,
			 (unsigned long long)imp->burst);
	else
		snprintf(rate, sizeof(rate), " --rate off");
	return lab_step(ns, MP_PROC_OUT_ALL, "%s impair %s %s%s%s%s", xdp_bin, ifname, model, flap,
			rate, set_blackhole ? bh : "");
}

int
lab_xdp_impair(const struct lab_state *st, int s, const char *xdp_bin,
	       const struct lab_impair *imp, bool set_blackhole)
{
	return lab_xdp_impair_if(lab_site_netns(st, s), lab_sites[s].if_site, xdp_bin, imp,
				 set_blackhole);
}

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
int
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
	    lab_step(NULL, MP_PROC_OUT_ALL, "ip -n %s -4 addr flush dev %s",
		     lab_site_netns(st, s), d->if_site) != 0 ||
	    lab_no_ipv6(lab_site_netns(st, s), d->if_site) != 0 ||
	    lab_step(lab_site_netns(st, s), MP_PROC_OUT_ALL, "%s detach %s", xdp_bin,
		     d->if_site) != 0) {
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

