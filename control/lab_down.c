/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe lab down`: remove everything the lab makes, found by name
 * whether or not the state file knows about it, then name whatever
 * survived (a process inside one of its namespaces keeps that namespace and
 * its veths alive).
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab_internal.h"
#include "netns.h"
#include "util.h"

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

/*
 * Files the lab's programs leave, by directory and name prefix: XDP
 * programs and maps pinned by the loader for lab interfaces (named after
 * the interface or the namespace; other mp* pins are not ours), then the
 * DPDK files of lab reflectors (rtemap files of older versions, runtime).
 */
static const struct lab_prefixed {
	const char *dir;
	const char *prefix;
} lab_prefixed[] = {
	{ LAB_BPF_PIN_DIR, "mpa-" },
	{ LAB_BPF_PIN_DIR, "mpb-" },
	{ LAB_BPF_PIN_DIR, "mp-" },
	{ LAB_HP_MOUNT, LAB_DP_PREFIX },
	{ LAB_DPDK_RUN_DIR, LAB_DP_PREFIX },
	{ LAB_FRR_RUN_DIR, "mp-" },	/* the routed lab's FRR instances (lab_frrd.c) */
};
#define LAB_N_PINNED	3	/* the first ones: BPF pins */
#define LAB_N_PREFIXED	(sizeof(lab_prefixed) / sizeof(lab_prefixed[0]))

enum lab_prefixed_do {
	LAB_PREFIXED_REMOVE,
	LAB_PREFIXED_REMOVE_VERBOSE,
	LAB_PREFIXED_REPORT,	/* what survived: name each */
};

/* dir/PREFIX* of lab_prefixed[from, to): removed (files or trees) or named; returns how many. */
static int
lab_prefixed_do(size_t from, size_t to, enum lab_prefixed_do what)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t i;
	int n = 0;

	for (i = from; i < to; i++) {
		const char *dir = lab_prefixed[i].dir, *prefix = lab_prefixed[i].prefix;
		DIR *d = opendir(dir);

		while (d != NULL && (de = readdir(d)) != NULL) {
			if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			n++;
			if (what == LAB_PREFIXED_REPORT) {
				lab_err("survived: %s", path);
				continue;
			}
			nftw(path, lab_rm_cb, 8, FTW_DEPTH | FTW_PHYS);
			if (what == LAB_PREFIXED_REMOVE_VERBOSE)
				printf("removed %s\n", path);
		}
		if (d != NULL)
			closedir(d);
	}
	return n;
}

/* Delete the lab's namespaces (their identities to ids) and stray root interfaces. */
static int
lab_topology_remove(bool verbose, struct lab_ns_id *ids, int *n_ids)
{
	char path[PATH_MAX];
	struct stat nst;
	size_t i;
	int n = 0;

	for (i = 0; i < LAB_N_NETNS; i++) {
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
		if (lab_step(NULL, MP_PROC_OUT_ALL, "ip netns del %s", ns) == 0 && verbose)
			printf("removed netns %s\n", ns);
		n++;
	}
	/* Never made in the root namespace, but a manual experiment might leave one. */
	for (i = 0; i < LAB_N_ROOT_IFS; i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s", lab_root_ifs[i]);
		if (!lab_path_exists(path))
			continue;
		if (lab_step(NULL, MP_PROC_OUT_ALL, "ip link del %s", lab_root_ifs[i]) == 0 &&
		    verbose)
			printf("removed interface %s\n", lab_root_ifs[i]);
		n++;
	}
	return n;
}

/*
 * Remove everything the lab makes, found by name, whether or not the state
 * knows about it (st may be NULL). Returns how many things were removed.
 */
int
lab_teardown(struct lab_state *st, bool verbose, struct lab_ns_id *ids, int *n_ids)
{
	enum lab_prefixed_do rm = verbose ? LAB_PREFIXED_REMOVE_VERBOSE : LAB_PREFIXED_REMOVE;
	char path[PATH_MAX];
	int n = 0, s;

	n += lab_frr_kill(verbose);	/* before their namespaces go */
	n += lab_kill_reflectors(st, verbose);
	n += lab_prefixed_do(0, LAB_N_PINNED, rm);
	n += lab_topology_remove(verbose, ids, n_ids);
	n += lab_prefixed_do(LAB_N_PINNED, LAB_N_PREFIXED, rm);
	lab_hugepages_teardown(st, verbose);
	for (s = 0; s < LAB_NSITES; s++) {
		lab_impair_file(s, path, sizeof(path));
		unlink(path);	/* the reflectors' impair files: not worth a line */
	}
	if (unlink(LAB_STATE_FILE) == 0) {
		if (verbose)
			printf("removed %s\n", LAB_STATE_FILE);
		n++;
	}
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
	pid_t pids[LAB_MAX_PIDS];
	char path[PATH_MAX], prefix[64];
	int n = 0, n_pids, i;

	n += lab_ns_users(ids, n_ids);
	n += lab_frr_survivors();
	for (i = 0; i < LAB_N_NETNS; i++)
		if (mp_netns_exists(lab_all_netns[i])) {
			lab_err("survived: network namespace %s", lab_all_netns[i]);
			n++;
		}
	for (i = 0; i < LAB_N_ROOT_IFS; i++) {
		snprintf(path, sizeof(path), "/sys/class/net/%s", lab_root_ifs[i]);
		if (lab_path_exists(path)) {
			lab_err("survived: interface %s", lab_root_ifs[i]);
			n++;
		}
	}
	n_pids = lab_reflector_pids(pids, 0, LAB_MAX_PIDS);
	for (i = 0; i < n_pids; i++)
		if (lab_pid_lab_prefix(pids[i], prefix, sizeof(prefix))) {
			lab_err("survived: reflector process %ld (%s)", (long)pids[i], prefix);
			n++;
		}
	n += lab_prefixed_do(0, LAB_N_PREFIXED, LAB_PREFIXED_REPORT);
	if (lab_path_exists(LAB_STATE_FILE)) {
		lab_err("survived: %s", LAB_STATE_FILE);
		n++;
	}
	return n;
}

int
lab_down(int argc, char **argv)
{
	struct lab_ns_id ids[LAB_N_NETNS];
	struct lab_state st;
	int rc, n, n_ids = 0, left;

	if (argc > 1) {
		if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
			printf("usage: metroprobe lab down\n"
			       "Remove everything the lab made: reflectors, netns mp-onprem, "
			       "mp-site-a,\nmp-site-b, mp-rtr-a, mp-rtr-b, mp-conduit (and their veths), XDP "
			       "pins (flap\nschedules with them), DPDK files, the routed lab's FRR "
			       "daemons and their\n/var/run/frr/mp-* (and mp-ce, mp-vnet); give back "
			       "the hugepages the lab\nraised. Works without "
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
