/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The routed lab's FRR daemons: zebra, bfdd and bgpd per router, each
 * router a separate FRR instance in its namespace, its pathspace named
 * after it (-N mp-ce: sockets, pid files, configs and logs in
 * /var/run/frr/mp-ce, so `vtysh -N mp-ce` talks to it). Nothing of the
 * package's own (/etc/frr, the frr service) is used or started. Also what
 * they say (vtysh ... json), and finding and stopping them by that
 * pathspace, whether or not their pid files survived.
 */
#include <dirent.h>
#include <errno.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lab_internal.h"
#include "util.h"

static const char *const lab_frr_daemons[] = { "zebra", "bfdd", "bgpd" };
#define LAB_N_DAEMONS	(sizeof(lab_frr_daemons) / sizeof(lab_frr_daemons[0]))

static const char *
lab_frr_bin_dir(void)
{
	const char *d = getenv("METROPROBE_FRR_DIR");

	return d != NULL && d[0] != '\0' ? d : LAB_FRR_BIN_DIR;
}

static void
lab_frr_dir(int i, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", LAB_FRR_RUN_DIR, lab_rtrs[i].netns);
}

/* Router i's three config files, from its plan. */
static int
lab_frr_write_conf(const struct lab_state *st, int i, const char *dir)
{
	int (*gen[LAB_N_DAEMONS])(const struct lab_frr_router *, char *, size_t) = {
		lab_frr_zebra_conf, lab_frr_bfdd_conf, lab_frr_bgpd_conf,
	};
	struct lab_frr_router r;
	char text[8192], path[PATH_MAX];
	size_t d;
	int n, rc;

	if (lab_rtr_plan(st, i, &r) != 0)
		return -1;
	for (d = 0; d < LAB_N_DAEMONS; d++) {
		n = gen[d](&r, text, sizeof(text));
		snprintf(path, sizeof(path), "%s/%s.conf", dir, lab_frr_daemons[d]);
		rc = n < 0 ? -ENOSPC : mp_write_file(path, text, (size_t)n);
		if (rc != 0) {
			lab_err("cannot write %s: %s", path, strerror(-rc));
			return -1;
		}
	}
	return 0;
}

/* A path appearing (a daemon's socket): true, or false after ms. */
static bool
lab_frr_wait_path(const char *path, unsigned int ms)
{
	unsigned int waited;

	for (waited = 0; !lab_path_exists(path); waited += LAB_POLL_MS) {
		if (waited >= ms || lab_interrupted)
			return false;
		lab_sleep_ms(LAB_POLL_MS);
	}
	return true;
}

/*
 * Router i's daemons, in its namespace, as user frr (which must read the
 * configs and write in the directory): zebra first, its socket awaited, so
 * that bfdd and bgpd find it.
 */
static int
lab_frr_start_one(const struct lab_state *st, int i, const struct passwd *pw)
{
	const char *bin = lab_frr_bin_dir(), *ns = lab_rtrs[i].netns;
	char dir[PATH_MAX], path[PATH_MAX], extra[PATH_MAX + 16];
	size_t d;

	lab_frr_dir(i, dir, sizeof(dir));
	if (mp_mkdir_p(dir, 0755) != 0 || chown(dir, pw->pw_uid, pw->pw_gid) != 0) {
		lab_err("cannot make %s for FRR: %s", dir, strerror(errno));
		return -1;
	}
	if (lab_frr_write_conf(st, i, dir) != 0)
		return -1;
	for (d = 0; d < LAB_N_DAEMONS; d++) {
		const char *dn = lab_frr_daemons[d];

		extra[0] = '\0';
		if (strcmp(dn, "bfdd") == 0)
			snprintf(extra, sizeof(extra), " --bfdctl %s/bfdd.sock", dir);
		/* zebra's start-up chatter (no MPLS in this kernel) before its log is open: not ours */
		if (lab_step(ns, d == 0 ? MP_PROC_OUT_NONE : MP_PROC_OUT_ALL,
			     "%s/%s -d -N %s -f %s/%s.conf -i %s/%s.pid -P 0 --log file:%s/%s.log%s",
			     bin, dn, ns, dir, dn, dir, dn, dir, dn, extra) != 0)
			return -1;
		snprintf(path, sizeof(path), "%s/%s", dir, d == 0 ? "zserv.api" : "bgpd.vty");
		if ((d == 0 || d + 1 == LAB_N_DAEMONS) && !lab_frr_wait_path(path, LAB_READY_MS)) {
			lab_err("FRR %s of %s did not come up (no %s); see %s/%s.log", dn,
				lab_rtrs[i].name, path, dir, dn);
			return -1;
		}
	}
	return 0;
}

int
lab_frr_start(const struct lab_state *st)
{
	char path[PATH_MAX];
	struct passwd *pw;
	int i;

	snprintf(path, sizeof(path), "%s/bgpd", lab_frr_bin_dir());
	if (access(path, X_OK) != 0) {
		lab_err("--routed needs FRRouting: no %s (apt-get install frr, or set "
			"METROPROBE_FRR_DIR)", path);
		return -1;
	}
	pw = getpwnam("frr");
	if (pw == NULL) {
		lab_err("--routed: no user frr (the frr package makes it)");
		return -1;
	}
	if (mp_mkdir_p(LAB_FRR_RUN_DIR, 0755) != 0) {
		lab_err("cannot make %s: %s", LAB_FRR_RUN_DIR, strerror(errno));
		return -1;
	}
	for (i = 0; i < LAB_N_FRR; i++)
		if (lab_rtr_used(st, i) && lab_frr_start_one(st, i, pw) != 0)
			return -1;
	return 0;
}

/* `vtysh -N NETNS -c CMD` as JSON (caller frees), or NULL. */
cJSON *
lab_frr_vtysh_json(const char *netns, const char *cmd)
{
	char *argv[] = { "vtysh", "-N", (char *)(uintptr_t)netns, "-c", (char *)(uintptr_t)cmd,
			 NULL };
	char *text = mp_proc_capture(NULL, argv);
	cJSON *j;

	if (text == NULL)
		return NULL;
	j = cJSON_Parse(text);
	free(text);
	return j;
}

/* What the CE says of link s: its session, BFD and prefixes from the MSEE. */
struct lab_link_view {
	char ce[LAB_FRR_ADDR], msee[LAB_FRR_ADDR];
	const char *bgp;		/* "Established", "Active", ... or "unknown" */
	const char *bfd;		/* "up", "down", "init", ... or "unknown" */
	int prefixes;
};

static const cJSON *
lab_frr_bgp_peer(const cJSON *summary, const char *addr)
{
	const cJSON *af = cJSON_GetObjectItemCaseSensitive(summary, strchr(addr, ':') != NULL ?
							   "ipv6Unicast" : "ipv4Unicast");

	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(af, "peers"),
						addr);
}

static const cJSON *
lab_frr_bfd_peer(const cJSON *peers, const char *addr)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, peers)
		if (lab_jstr(p, "peer") != NULL && strcmp(lab_jstr(p, "peer"), addr) == 0)
			return p;
	return NULL;
}

static void
lab_frr_link_view(const struct lab_state *st, int s, bool v6, const cJSON *summary,
		  const cJSON *bfd, struct lab_link_view *v)
{
	const cJSON *p;

	lab_ce_link_addr(st, s, v6, v->ce, sizeof(v->ce));
	lab_site_addr(st, s, v6, v->msee, sizeof(v->msee));
	p = lab_frr_bgp_peer(summary, v->msee);
	v->bgp = lab_jstr(p, "state") != NULL ? lab_jstr(p, "state") : "unknown";
	v->prefixes = (int)lab_jnum(p, "pfxRcd", 0);
	p = lab_frr_bfd_peer(bfd, v->msee);
	v->bfd = lab_jstr(p, "status") != NULL ? lab_jstr(p, "status") : "unknown";
}

/* An MSEE's session with the VNet's gateway, when it is not Established; else NULL. */
static const char *
lab_frr_gw_down(const struct lab_state *st, int i)
{
	struct lab_frr_router r;
	const char *state;
	cJSON *sum;
	static char buf[64];
	int k;

	if (lab_rtr_plan(st, i, &r) != 0)
		return NULL;
	sum = lab_frr_vtysh_json(lab_rtrs[i].netns, "show bgp summary json");
	snprintf(buf, sizeof(buf), "Established");
	for (k = 0; k < r.n_neigh; k++) {
		if (strncmp(r.neigh[k].label, "gw", 2) != 0)
			continue;
		state = lab_jstr(lab_frr_bgp_peer(sum, r.neigh[k].addr), "state");
		if (state == NULL || strcmp(state, "Established") != 0)
			snprintf(buf, sizeof(buf), "%s (%s)", state != NULL ? state : "unknown",
				 r.neigh[k].addr);
	}
	cJSON_Delete(sum);
	return strcmp(buf, "Established") == 0 ? NULL : buf;
}

/* Every link's session Established with the VNet prefix, BFD up; else why not, in why. */
static bool
lab_frr_all_up(const struct lab_state *st, char *why, size_t len)
{
	cJSON *sum = lab_frr_vtysh_json(LAB_NS_CE, "show bgp summary json");
	cJSON *bfd = lab_frr_vtysh_json(LAB_NS_CE, "show bfd peers json");
	struct lab_link_view v;
	size_t off = 0;
	const char *gw;
	int s, i, v6;

	why[0] = '\0';
	for (s = 0; s < LAB_NSITES; s++)
		for (v6 = 0; v6 <= (st->ipv6 ? 1 : 0) && off < len; v6++) {
			lab_frr_link_view(st, s, v6, sum, bfd, &v);
			if (strcmp(v.bgp, "Established") == 0 && strcmp(v.bfd, "up") == 0 &&
			    v.prefixes > 0)
				continue;
			off += (size_t)snprintf(why + off, len - off, "%slink %s: BGP %s -> %s is %s, "
						"BFD %s, %d prefix(es) received", off > 0 ? "; " : "",
						lab_sites[s].id, v.ce, v.msee, v.bgp, v.bfd,
						v.prefixes);
		}
	for (i = 1; i < LAB_N_FRR - 1 && off < len; i++)
		if (lab_rtr_used(st, i) && (gw = lab_frr_gw_down(st, i)) != NULL)
			off += (size_t)snprintf(why + off, len - off, "%s%s: BGP to the VNet gateway is %s",
						off > 0 ? "; " : "", lab_rtrs[i].name, gw);
	cJSON_Delete(sum);
	cJSON_Delete(bfd);
	return why[0] == '\0';
}

/* Until every session is up, at most timeout_ms: 0, or -1 with which is not up said. */
int
lab_frr_wait(const struct lab_state *st, unsigned int timeout_ms, bool quiet)
{
	unsigned long long t0 = mp_now_ns();
	char why[1024];

	for (;;) {
		if (lab_frr_all_up(st, why, sizeof(why))) {
			if (!quiet)
				printf("routing is up after %.1f s: BGP Established and BFD up on "
				       "both links\n", (double)(mp_now_ns() - t0) / 1e9);
			return 0;
		}
		if (lab_interrupted || mp_now_ns() - t0 >= timeout_ms * 1000000ull)
			break;
		lab_sleep_ms(250);
	}
	lab_err("routing is not up after %.0f s: %s", (double)(mp_now_ns() - t0) / 1e9, why);
	return -1;
}

/* The link (its id) of the CE's route to the VNet, or NULL: by its next hop. */
static const char *
lab_frr_vnet_via(const struct lab_state *st)
{
	cJSON *rt = lab_frr_vtysh_json(LAB_NS_CE, "show ip route " LAB_VNET_NET " json");
	const cJSON *e, *nh;
	const char *via = NULL;
	char site[LAB_FRR_ADDR];
	int s;

	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(rt, LAB_VNET_NET)) {
		if (!lab_jbool(e, "selected"))
			continue;
		cJSON_ArrayForEach(nh, cJSON_GetObjectItemCaseSensitive(e, "nexthops"))
			for (s = 0; s < LAB_NSITES && via == NULL; s++) {
				lab_site_addr(st, s, false, site, sizeof(site));
				if (lab_jstr(nh, "ip") != NULL && strcmp(lab_jstr(nh, "ip"), site) == 0)
					via = lab_sites[s].id;
			}
	}
	cJSON_Delete(rt);
	return via;
}

/* The peers of one address family of `show bgp summary json`, appended to bgp. */
static void
lab_frr_bgp_peers(cJSON *bgp, const cJSON *af)
{
	const cJSON *p;

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(af, "peers")) {
		cJSON *n = cJSON_CreateObject();

		cJSON_AddStringToObject(n, "peer", p->string);
		cJSON_AddNumberToObject(n, "remote_as", lab_jnum(p, "remoteAs", 0));
		cJSON_AddStringToObject(n, "state", lab_jstr(p, "state") != NULL ?
					lab_jstr(p, "state") : "unknown");
		cJSON_AddNumberToObject(n, "prefixes_received", lab_jnum(p, "pfxRcd", 0));
		cJSON_AddItemToArray(bgp, n);
	}
}

/* Router i: its daemons alive, its BGP sessions and BFD peers as FRR says. */
static cJSON *
lab_frr_router_json(int i)
{
	cJSON *o = cJSON_CreateObject(), *d, *in, *bgp, *bfd;
	const cJSON *p;
	char dir[PATH_MAX], path[PATH_MAX], *pid;
	size_t k;

	lab_frr_dir(i, dir, sizeof(dir));
	cJSON_AddStringToObject(o, "netns", lab_rtrs[i].netns);
	d = cJSON_AddObjectToObject(o, "daemons");
	for (k = 0; k < LAB_N_DAEMONS; k++) {
		snprintf(path, sizeof(path), "%s/%s.pid", dir, lab_frr_daemons[k]);
		pid = mp_read_file(path, NULL);
		cJSON_AddBoolToObject(d, lab_frr_daemons[k], pid != NULL && atoi(pid) > 0 &&
				      lab_pid_alive((pid_t)atoi(pid)));
		free(pid);
	}
	in = lab_frr_vtysh_json(lab_rtrs[i].netns, "show bgp summary json");
	bgp = cJSON_AddArrayToObject(o, "bgp");
	lab_frr_bgp_peers(bgp, cJSON_GetObjectItemCaseSensitive(in, "ipv4Unicast"));
	lab_frr_bgp_peers(bgp, cJSON_GetObjectItemCaseSensitive(in, "ipv6Unicast"));
	cJSON_Delete(in);
	in = lab_frr_vtysh_json(lab_rtrs[i].netns, "show bfd peers json");
	bfd = cJSON_AddArrayToObject(o, "bfd");
	cJSON_ArrayForEach(p, in) {
		cJSON *n = cJSON_CreateObject();

		cJSON_AddStringToObject(n, "peer", lab_jstr(p, "peer") != NULL ? lab_jstr(p, "peer") : "");
		cJSON_AddStringToObject(n, "status", lab_jstr(p, "status") != NULL ?
					lab_jstr(p, "status") : "unknown");
		cJSON_AddBoolToObject(n, "multihop", lab_jbool(p, "multihop"));
		cJSON_AddNumberToObject(n, "detect_ms", lab_jnum(p, "receive-interval", 0) *
					lab_jnum(p, "detect-multiplier", 0));
		cJSON_AddItemToArray(bfd, n);
	}
	cJSON_Delete(in);
	return o;
}

/* `lab status`'s "routing": each link from the CE, where the VNet is routed, each router. */
cJSON *
lab_frr_status_json(const struct lab_state *st)
{
	cJSON *root = cJSON_CreateObject(), *links, *routers, *sum, *bfd;
	struct lab_link_view v;
	const char *via;
	int s, i;

	sum = lab_frr_vtysh_json(LAB_NS_CE, "show bgp summary json");
	bfd = lab_frr_vtysh_json(LAB_NS_CE, "show bfd peers json");
	links = cJSON_AddObjectToObject(root, "links");
	for (s = 0; s < LAB_NSITES; s++) {
		cJSON *o = cJSON_AddObjectToObject(links, lab_sites[s].id);

		lab_frr_link_view(st, s, false, sum, bfd, &v);
		cJSON_AddStringToObject(o, "ce", v.ce);
		cJSON_AddStringToObject(o, "msee", v.msee);
		cJSON_AddStringToObject(o, "bgp", v.bgp);
		cJSON_AddStringToObject(o, "bfd", v.bfd);
		cJSON_AddNumberToObject(o, "prefixes_received", v.prefixes);
		cJSON_AddStringToObject(o, "cut", lab_cut_names[st->cut[s]]);
		if (!st->ipv6)
			continue;
		lab_frr_link_view(st, s, true, sum, bfd, &v);
		cJSON_AddStringToObject(o, "bgp6", v.bgp);
		cJSON_AddStringToObject(o, "bfd6", v.bfd);
	}
	cJSON_Delete(sum);
	cJSON_Delete(bfd);
	via = lab_frr_vnet_via(st);
	cJSON_AddStringToObject(root, "vnet", LAB_VNET_NET);
	cJSON_AddStringToObject(root, "vnet_reflector", LAB_VNET_REFLECTOR);
	if (via != NULL)
		cJSON_AddStringToObject(root, "vnet_via", via);
	else
		cJSON_AddNullToObject(root, "vnet_via");
	routers = cJSON_AddObjectToObject(root, "routers");
	for (i = 0; i < LAB_N_FRR; i++)
		if (lab_rtr_used(st, i))
			cJSON_AddItemToObject(routers, lab_rtrs[i].name, lab_frr_router_json(i));
	return root;
}

void
lab_frr_status_print(const cJSON *routing)
{
	const cJSON *l, *r, *p;

	if (routing == NULL)
		return;
	printf("  routing: VNet %s (reflector %s) via link %s\n", lab_jstr(routing, "vnet"),
	       lab_jstr(routing, "vnet_reflector"),
	       lab_jstr(routing, "vnet_via") != NULL ? lab_jstr(routing, "vnet_via") : "NONE");
	cJSON_ArrayForEach(l, cJSON_GetObjectItemCaseSensitive(routing, "links"))
		printf("    link %s: BGP %s -> %s %s, BFD %s, %d prefixes%s%s\n", l->string,
		       lab_jstr(l, "ce"), lab_jstr(l, "msee"), lab_jstr(l, "bgp"), lab_jstr(l, "bfd"),
		       (int)lab_jnum(l, "prefixes_received", 0),
		       strcmp(lab_jstr(l, "cut"), "none") == 0 ? "" : ", CUT by ",
		       strcmp(lab_jstr(l, "cut"), "none") == 0 ? "" : lab_jstr(l, "cut"));
	cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(routing, "routers")) {
		printf("    %s (netns %s):", r->string, lab_jstr(r, "netns"));
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r, "daemons"))
			printf(" %s %s", p->string, cJSON_IsTrue(p) ? "running" : "NOT RUNNING");
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r, "bgp"))
			printf("; bgp %s %s", lab_jstr(p, "peer"), lab_jstr(p, "state"));
		cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(r, "bfd"))
			printf("; bfd %s %s", lab_jstr(p, "peer"), lab_jstr(p, "status"));
		printf("\n");
	}
}

/*
 * Live FRR daemons of the lab, any pathspace of lab_rtrs (-N NETNS in
 * their command line, whatever became of their pid files), into pids.
 */
static int
lab_frr_pids(pid_t *pids, int max)
{
	char path[64], *text, *p, *prev;
	struct dirent *de;
	size_t len;
	int n = 0, i;
	DIR *d = opendir("/proc");

	while (d != NULL && (de = readdir(d)) != NULL && n < max) {
		long v = strtol(de->d_name, &p, 10);

		if (*p != '\0' || v <= 0 || v == (long)getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/cmdline", v);
		text = mp_read_file(path, &len);
		for (p = text, prev = NULL; text != NULL && p < text + len; prev = p, p += strlen(p) + 1)
			for (i = 0; i < LAB_N_FRR && prev != NULL && strcmp(prev, "-N") == 0; i++)
				if (strcmp(p, lab_rtrs[i].netns) == 0 && n < max &&
				    (n == 0 || pids[n - 1] != (pid_t)v))
					pids[n++] = (pid_t)v;
		free(text);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

/* Stop every lab FRR daemon; returns how many there were. */
int
lab_frr_kill(bool verbose)
{
	pid_t pids[LAB_MAX_PIDS];
	int n = lab_frr_pids(pids, LAB_MAX_PIDS), left;

	if (n == 0)
		return 0;
	left = lab_kill_pids(pids, n);
	if (verbose)
		printf("stopped %d FRR daemon(s)%s\n", n - left, left > 0 ? " (some would not)" : "");
	return n;
}

/* FRR daemons that survived a tear-down, each named (their directories: lab_down.c); how many. */
int
lab_frr_survivors(void)
{
	pid_t pids[LAB_MAX_PIDS];
	int n = lab_frr_pids(pids, LAB_MAX_PIDS), i;

	for (i = 0; i < n; i++)
		lab_err("survived: FRR daemon %ld", (long)pids[i]);
	return n;
}
