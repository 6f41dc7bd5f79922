/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * metroprobe-xdp: attach, inspect and detach the XDP STAMP reflector
 * (stamp_reflect.bpf.c) and the lab impairment (impair.bpf.c).
 *
 * Every invocation is short-lived: what it attaches is held by a bpf_link
 * pinned in bpffs, next to the maps, under
 *   PIN_DIR/[NETNS:]IFACE/{reflect,impair}/
 * (PIN_DIR defaults to /sys/fs/bpf/metroprobe; the NETNS: prefix is there
 * when the command runs in a named network namespace, so that two
 * namespaces with an "eth0" each do not collide). Later invocations find
 * them there.
 *
 * XDP takes one program per interface, so the reflector carries the
 * impairment as well: `impair IFACE` changes the reflector's settings when
 * a reflector is attached, and attaches impair.bpf.c otherwise.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <linux/if_link.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <cjson/cJSON.h>

#include "mp_build.h"
#include "mp_pkt.h"
#include "mp_rate.h"
#include "mp_record.h"
#include "stamp_xdp.h"
#include "xdp_user.h"
#include "stamp_reflect.skel.h"
#include "impair.skel.h"

#define XDP_PIN_DEFAULT		"/sys/fs/bpf/metroprobe"
#define XDP_BPFFS		"/sys/fs/bpf"
#define XDP_NETNS_RUN		"/run/netns"
#define XDP_MAX_ALLOW		256
#define XDP_EXIT_FAIL		1
#define XDP_EXIT_USAGE		2

/* Global options, and what the environment turned out to be. */
struct xdp_env {
	const char *pin_root;
	bool pin_root_default;
	const char *netns;		/* --netns */
	char nsname[NAME_MAX + 1];	/* the named netns we run in, "" if none */
	bool bpffs_ready;
};

/* The pin directories of one interface. */
struct xdp_target {
	const char *iface;
	int ifindex;			/* 0 when the interface does not exist */
	char dir[PATH_MAX];		/* .../IFACE */
	char reflect_dir[PATH_MAX];	/* .../IFACE/reflect */
	char impair_dir[PATH_MAX];	/* .../IFACE/impair */
};

enum xdp_mode {
	XDP_MODE_GENERIC = 0,
	XDP_MODE_NATIVE,
};

static const char *const xdp_cnt_names[SXDP_CNT_MAX] = {
	[SXDP_CNT_REFLECTED] = "reflected",
	[SXDP_CNT_PASSED] = "passed",
	[SXDP_CNT_NOT_ALLOWED] = "not_allowed",
	[SXDP_CNT_MALFORMED] = "malformed",
	[SXDP_CNT_SHORT] = "would_amplify",
	[SXDP_CNT_PADDED] = "padded",
	[SXDP_CNT_RATE_LIMITED] = "rate_limited",
	[SXDP_CNT_NO_ROOM] = "no_room",
};

static const char *const xdp_impair_cnt_names[IMPAIR_CNT_MAX] = {
	[IMPAIR_CNT_SEEN] = "seen",
	[IMPAIR_CNT_DROPPED] = "dropped",
	[IMPAIR_CNT_RATE_DROPPED] = "rate_dropped",
};

/* The maps each program pins, by their names in the BPF objects. */
static const char *const xdp_reflect_maps[] = {
	"stamp_cnt", "allow4", "allow6", "sessions",
	"impair_cfg", "impair_state", "impair_cnt", "impair_tb",
};
static const char *const xdp_impair_maps[] = {
	"impair_cfg", "impair_state", "impair_cnt", "impair_tb",
};

static const char *xdp_cmd_name = "metroprobe-xdp";

static void __attribute__((format(printf, 1, 2)))
xdp_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "metroprobe-xdp: %s: ", xdp_cmd_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* libbpf prints its warnings and the verifier log; keep them for -v. */
static bool xdp_verbose;

static int
xdp_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !xdp_verbose)
		return 0;
	if (level == LIBBPF_INFO && !xdp_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* After the options, exactly IFACE must be left. */
static void
xdp_positional_err(int argc, char **argv)
{
	if (optind >= argc)
		xdp_err("missing IFACE");
	else
		xdp_err("unexpected argument '%s'", argv[optind + 1]);
}

/* --- numbers and names --- */

static int
xdp_parse_port(const char *s, uint16_t *port, bool zero_ok)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < (zero_ok ? 0 : 1) || v > 65535) {
		xdp_err("--port '%s': give a UDP port, %d..65535", s, zero_ok ? 0 : 1);
		return -EINVAL;
	}
	*port = (uint16_t)v;
	return 0;
}

static int
xdp_parse_double(const char *what, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !isfinite(v) || v < lo || v > hi) {
		xdp_err("%s '%s': give a number from %g to %g", what, s, lo, hi);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int
xdp_parse_mode(const char *s, enum xdp_mode *mode)
{
	if (strcmp(s, "generic") == 0 || strcmp(s, "skb") == 0) {
		*mode = XDP_MODE_GENERIC;
		return 0;
	}
	if (strcmp(s, "native") == 0 || strcmp(s, "drv") == 0) {
		*mode = XDP_MODE_NATIVE;
		return 0;
	}
	xdp_err("--mode '%s': give native or generic", s);
	return -EINVAL;
}

static int
xdp_parse_onoff(const char *what, const char *s, bool *on)
{
	if (strcmp(s, "on") == 0 || strcmp(s, "1") == 0) {
		*on = true;
		return 0;
	}
	if (strcmp(s, "off") == 0 || strcmp(s, "0") == 0) {
		*on = false;
		return 0;
	}
	xdp_err("%s '%s': give on or off", what, s);
	return -EINVAL;
}

/* An interface name as the kernel would accept it (dev_valid_name()). */
static int
xdp_check_iface(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n >= IFNAMSIZ || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		goto bad;
	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] == ' ' || s[i] == '\t' || s[i] == '\n')
			goto bad;
	return 0;
bad:
	xdp_err("'%s' is not a valid interface name", s);
	return -EINVAL;
}

/* --- namespaces and bpffs --- */

static int
xdp_enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd, rc = 0;

	if (strchr(name, '/') != NULL || snprintf(path, sizeof(path), "%s/%s",
						   XDP_NETNS_RUN, name) >= (int)sizeof(path)) {
		xdp_err("--netns '%s': not a namespace name", name);
		return -EINVAL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		xdp_err("--netns %s: %s: %s", name, path, strerror(errno));
		return rc;
	}
	if (setns(fd, CLONE_NEWNET) != 0) {
		rc = -errno;
		xdp_err("--netns %s: cannot enter it: %s", name, strerror(errno));
	}
	close(fd);
	return rc;
}

/* The name under /run/netns of the network namespace we are in, if any. */
static void
xdp_find_netns_name(char *out, size_t len)
{
	struct stat self, st;
	struct dirent *de;
	char path[PATH_MAX];
	DIR *d;

	out[0] = '\0';
	if (stat("/proc/self/ns/net", &self) != 0)
		return;
	d = opendir(XDP_NETNS_RUN);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", XDP_NETNS_RUN, de->d_name) >=
		    (int)sizeof(path))
			continue;
		if (stat(path, &st) == 0 && st.st_dev == self.st_dev &&
		    st.st_ino == self.st_ino && strlen(de->d_name) < len) {
			snprintf(out, len, "%s", de->d_name);
			break;
		}
	}
	closedir(d);
}

static bool
xdp_is_bpffs(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == BPF_FS_MAGIC;
}

static pid_t
xdp_parent_of(pid_t pid)
{
	char path[64], line[256];
	pid_t ppid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "PPid: %d", &ppid) == 1)
			break;
	fclose(f);
	return ppid;
}

/*
 * `ip netns exec` runs its command in a private mount namespace with a
 * fresh /sys, where /sys/fs/bpf is not bpffs; pins made in a bpffs mounted
 * there would vanish (and detach the programs) when the command exits.
 * Re-enter the mount namespace of the nearest ancestor outside that private
 * one: the network namespace stays as it is, and the pins land in the
 * host's /sys/fs/bpf where every later invocation finds them.
 */
static void
xdp_leave_private_mntns(void)
{
	struct stat self, st;
	char path[64];
	pid_t pid = getppid();
	int fd, hops;

	if (stat("/proc/self/ns/mnt", &self) != 0)
		return;
	for (hops = 0; pid > 1 && hops < 64; hops++, pid = xdp_parent_of(pid)) {
		snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int)pid);
		if (stat(path, &st) != 0)
			return;
		if (st.st_ino == self.st_ino && st.st_dev == self.st_dev)
			continue;
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		if (setns(fd, CLONE_NEWNS) == 0 && xdp_verbose)
			fprintf(stderr, "metroprobe-xdp: using the mount namespace of pid %d "
				"(this one has no bpffs on %s)\n", (int)pid, XDP_BPFFS);
		close(fd);
		return;
	}
}

/* Whether the nearest existing ancestor of path (or path) is on bpffs. */
static bool
xdp_under_bpffs(const char *path)
{
	char probe[PATH_MAX], *slash;

	if (snprintf(probe, sizeof(probe), "%s", path) >= (int)sizeof(probe))
		return false;
	while (access(probe, F_OK) != 0 && (slash = strrchr(probe, '/')) != NULL &&
	       slash != probe)
		*slash = '\0';
	return xdp_is_bpffs(probe);
}

/*
 * Make sure pins can be made (create) or looked up under the pin root.
 * Only attaching commands mount bpffs, and only on /sys/fs/bpf for the
 * default pin root; the others just find nothing.
 */
static int
xdp_bpffs_setup(struct xdp_env *env, bool create)
{
	const char *where = env->pin_root_default ? XDP_BPFFS : env->pin_root;

	if (env->bpffs_ready)
		return 0;
	if (!xdp_under_bpffs(where))
		xdp_leave_private_mntns();
	if (!xdp_under_bpffs(where)) {
		if (!env->pin_root_default) {
			xdp_err("--pin-dir %s is not on a bpffs mount (mount -t bpf bpf DIR)",
				env->pin_root);
			return -EINVAL;
		}
		if (!create)
			return 0;
		if (mount("bpf", XDP_BPFFS, "bpf", 0, "mode=0700") != 0) {
			int rc = -errno;

			xdp_err("%s is not bpffs and mounting it failed: %s", XDP_BPFFS,
				strerror(errno));
			return rc;
		}
	}
	env->bpffs_ready = true;
	return 0;
}

static int
xdp_target_init(const struct xdp_env *env, const char *iface, struct xdp_target *t)
{
	int n;

	if (xdp_check_iface(iface) != 0)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->iface = iface;
	t->ifindex = (int)if_nametoindex(iface);
	/* An interface name has no ':', so "NETNS:IFACE" cannot clash with one. */
	if (env->nsname[0] != '\0')
		n = snprintf(t->dir, sizeof(t->dir), "%s/%s:%s", env->pin_root, env->nsname,
			     iface);
	else
		n = snprintf(t->dir, sizeof(t->dir), "%s/%s", env->pin_root, iface);
	if (n >= (int)sizeof(t->dir) ||
	    snprintf(t->reflect_dir, sizeof(t->reflect_dir), "%s/reflect", t->dir) >=
		    (int)sizeof(t->reflect_dir) ||
	    snprintf(t->impair_dir, sizeof(t->impair_dir), "%s/impair", t->dir) >=
		    (int)sizeof(t->impair_dir)) {
		xdp_err("pin path too long under %s", env->pin_root);
		return -ENAMETOOLONG;
	}
	return 0;
}

static int
xdp_need_iface(const struct xdp_target *t)
{
	if (t->ifindex > 0)
		return 0;
	xdp_err("no interface '%s' in this network namespace (run it inside the "
		"interface's namespace: --netns NS or ip netns exec NS ...)", t->iface);
	return -ENODEV;
}

/* --- pins --- */

static int
xdp_path(char *buf, size_t len, const char *dir, const char *name)
{
	if (snprintf(buf, len, "%s/%s", dir, name) >= (int)len)
		return -ENAMETOOLONG;
	return 0;
}

static int
xdp_mkdirs(const char *dir)
{
	char tmp[PATH_MAX], *p;

	if (snprintf(tmp, sizeof(tmp), "%s", dir) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (p = tmp + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * Remove a program's pin directory (everything in it), then the directories
 * above it up to the pin root while they are empty.
 */
static void
xdp_remove_pins(const struct xdp_env *env, const char *dir)
{
	char path[PATH_MAX], *slash;
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (d != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
				continue;
			if (xdp_path(path, sizeof(path), dir, de->d_name) == 0)
				unlink(path);
		}
		closedir(d);
	}
	snprintf(path, sizeof(path), "%s", dir);
	while (strcmp(path, env->pin_root) != 0 && strlen(path) > strlen(env->pin_root)) {
		if (rmdir(path) != 0)
			break;
		slash = strrchr(path, '/');
		if (slash == NULL)
			break;
		*slash = '\0';
	}
}

static bool
xdp_dir_exists(const char *dir)
{
	struct stat st;

	return stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

enum xdp_pin_state {
	XDP_PIN_NONE = 0,	/* nothing pinned */
	XDP_PIN_ALIVE,		/* a link attached to this interface */
	XDP_PIN_STALE,		/* pins left over: interface gone or replaced */
};

/* What the pin directory holds: a live link on t's interface, or leftovers. */
static enum xdp_pin_state
xdp_pin_state(const char *dir, const struct xdp_target *t)
{
	struct bpf_link_info info;
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	enum xdp_pin_state st = XDP_PIN_STALE;
	int fd;

	if (!xdp_dir_exists(dir))
		return XDP_PIN_NONE;
	if (xdp_path(path, sizeof(path), dir, "link") != 0)
		return XDP_PIN_STALE;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return XDP_PIN_STALE;
	memset(&info, 0, sizeof(info));
	if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0 &&
	    info.type == BPF_LINK_TYPE_XDP && info.xdp.ifindex != 0 &&
	    (int)info.xdp.ifindex == t->ifindex)
		st = XDP_PIN_ALIVE;
	close(fd);
	return st;
}

static int
xdp_open_pinned(const char *dir, const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (xdp_path(path, sizeof(path), dir, name) != 0)
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

/* Pin the named maps of obj into dir. */
static int
xdp_pin_maps(struct bpf_object *obj, const char *dir, const char *const *names, size_t n)
{
	char path[PATH_MAX];
	struct bpf_map *m;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		m = bpf_object__find_map_by_name(obj, names[i]);
		if (m == NULL)
			return -ENOENT;
		rc = xdp_path(path, sizeof(path), dir, names[i]);
		if (rc == 0)
			rc = bpf_map__pin(m, path);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/*
 * Attach prog_fd to the interface with a bpf_link in the requested mode and
 * pin the link as dir/link. Returns the link fd (the caller closes it; the
 * pin keeps the program attached) or -errno with the reason printed.
 */
static int
xdp_attach_link(int prog_fd, const struct xdp_target *t, enum xdp_mode mode,
		const char *dir)
{
	LIBBPF_OPTS(bpf_link_create_opts, opts,
		.flags = mode == XDP_MODE_NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE);
	char path[PATH_MAX];
	int fd, rc;

	fd = bpf_link_create(prog_fd, t->ifindex, BPF_XDP, &opts);
	if (fd < 0) {
		rc = -errno;
		if (rc == -EBUSY || rc == -EEXIST)
			xdp_err("%s already has an XDP program that metroprobe-xdp did not "
				"attach (see `ip link show %s`; remove it with "
				"`ip link set dev %s xdp off`)", t->iface, t->iface, t->iface);
		else if (mode == XDP_MODE_NATIVE && rc == -ERANGE)
			/* a veth refuses native XDP without multi-buffer support past ~3.5 KB */
			xdp_err("native XDP on %s refuses its MTU (jumbo frames need a multi-buffer "
				"program, which this one is not): use --mode generic, or an MTU "
				"of at most 3500", t->iface);
		else if (mode == XDP_MODE_NATIVE && (rc == -EOPNOTSUPP || rc == -EINVAL))
			xdp_err("native XDP is not supported on %s: %s (use --mode generic)",
				t->iface, strerror(-rc));
		else
			xdp_err("attaching to %s failed: %s", t->iface, strerror(-rc));
		return rc;
	}
	rc = xdp_path(path, sizeof(path), dir, "link");
	if (rc == 0 && bpf_obj_pin(fd, path) != 0)
		rc = -errno;
	if (rc != 0) {
		xdp_err("pinning the link at %s/link failed: %s", dir, strerror(-rc));
		close(fd);	/* not pinned: closing detaches */
		return rc;
	}
	return fd;
}

/* Refuse to go on when something is attached; clear leftovers quietly. */
static int
xdp_check_free(const struct xdp_env *env, const struct xdp_target *t, bool for_reflect)
{
	struct bpf_xdp_query_opts q = { .sz = sizeof(q) };
	enum xdp_pin_state r = xdp_pin_state(t->reflect_dir, t);
	enum xdp_pin_state i = xdp_pin_state(t->impair_dir, t);

	if (r == XDP_PIN_STALE) {
		fprintf(stderr, "metroprobe-xdp: removing stale reflector pins in %s "
			"(their interface is gone)\n", t->reflect_dir);
		xdp_remove_pins(env, t->reflect_dir);
	}
	if (i == XDP_PIN_STALE) {
		fprintf(stderr, "metroprobe-xdp: removing stale impair pins in %s "
			"(their interface is gone)\n", t->impair_dir);
		xdp_remove_pins(env, t->impair_dir);
	}
	if (r == XDP_PIN_ALIVE) {
		xdp_err("a reflector is already attached to %s (pins in %s); detach it "
			"first: metroprobe-xdp detach %s", t->iface, t->reflect_dir, t->iface);
		return -EEXIST;
	}
	if (i == XDP_PIN_ALIVE) {
		if (for_reflect)
			xdp_err("the impair program is attached to %s, and XDP takes one "
				"program per interface; the reflector does impairment too: run "
				"`metroprobe-xdp impair-detach %s`, attach, then set the "
				"impairment again with `metroprobe-xdp impair %s ...`",
				t->iface, t->iface, t->iface);
		else
			xdp_err("the impair program is already attached to %s", t->iface);
		return -EEXIST;
	}
	if (bpf_xdp_query(t->ifindex, 0, &q) == 0 && q.prog_id != 0) {
		xdp_err("%s already has an XDP program (id %u) that metroprobe-xdp did "
			"not attach; remove it first (ip link set dev %s xdp off)",
			t->iface, q.prog_id, t->iface);
		return -EBUSY;
	}
	return 0;
}

static const char *
xdp_mode_name(const struct xdp_target *t)
{
	struct bpf_xdp_query_opts q = { .sz = sizeof(q) };

	if (t->ifindex <= 0 || bpf_xdp_query(t->ifindex, 0, &q) != 0)
		return "unknown";
	switch (q.attach_mode) {
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_SKB:
		return "generic";
	case XDP_ATTACHED_HW:
		return "offload";
	case XDP_ATTACHED_NONE:
		return "detached";
	default:
		return "multi";
	}
}

/* --- impairment settings --- */

struct xdp_impair_opts {
	bool clear;
	bool set_loss;
	double loss_pct;
	bool set_ge;
	double ge_p, ge_r, ge_k, ge_h;
	bool set_blackhole;
	bool blackhole;
	bool blackhole_all;	/* every frame: TCP, ARP, neighbour discovery too */
	bool set_port;
	uint16_t port;
	bool set_flap;
	uint64_t flap_down_ns, flap_period_ns;	/* 0, 0: off */
	const char *rate;		/* --rate: "10Mbps", "5000pps" or "off" */
	const char *burst;		/* --burst: bytes (bit rates) or packets (pps) */
	struct mp_tbucket_cfg tb;	/* rate.rate 0: off */
};

/*
 * --rate and --burst into o->tb: a rate in bits (on the wire, as the
 * prober counts them) or packets per second; a depth in bytes for a bit
 * rate, packets for a packet rate, 0 or absent for the default.
 */
static int
xdp_parse_rate_limit(struct xdp_impair_opts *o)
{
	unsigned long long burst = 0;
	const char *why = NULL;
	struct rate r;
	char *end;

	memset(&o->tb, 0, sizeof(o->tb));
	if (o->rate == NULL) {
		xdp_err("--burst needs --rate");
		return -EINVAL;
	}
	if (strcmp(o->rate, "off") == 0 || strcmp(o->rate, "0") == 0)
		return 0;
	if (rate_parse(o->rate, &r, &why) != 0 || (r.kind != RATE_PPS && r.kind != RATE_BPS)) {
		xdp_err("--rate '%s': give bits or packets per second (10Mbps, 5000pps) or off%s%s",
			o->rate, why != NULL ? ": " : "", why != NULL ? why : "");
		return -EINVAL;
	}
	if (o->burst != NULL) {
		errno = 0;
		burst = strtoull(o->burst, &end, 10);
		if (errno != 0 || end == o->burst || *end != '\0') {
			xdp_err("--burst '%s': give whole bytes (bit rates) or packets (pps)",
				o->burst);
			return -EINVAL;
		}
	}
	if (mp_tbucket_config(&o->tb, r.kind == RATE_BPS ? r.value : r.value / 1000,
			      r.kind == RATE_BPS, r.kind == RATE_BPS ? burst * 8 : burst) != 0) {
		xdp_err("--rate '%s' --burst '%s': the rate must be 1 pps (or 1 bps) to 2^40, the "
			"burst at least one 9018-byte frame (or 1 packet) and at most 2^32 bits",
			o->rate, o->burst != NULL ? o->burst : "0");
		return -EINVAL;
	}
	return 0;
}

static int
xdp_parse_ge(const char *s, struct xdp_impair_opts *o)
{
	char buf[256], *tok, *save = NULL, *eq;
	bool have_p = false, have_r = false;
	double v;

	o->ge_k = 1.0;
	o->ge_h = 0.0;
	if (snprintf(buf, sizeof(buf), "%s", s) >= (int)sizeof(buf)) {
		xdp_err("--ge '%s': too long", s);
		return -EINVAL;
	}
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		eq = strchr(tok, '=');
		if (eq == NULL || eq[1] == '\0' || eq - tok != 1) {
			xdp_err("--ge: '%s' is not KEY=VALUE (keys p, r, k, h)", tok);
			return -EINVAL;
		}
		if (xdp_parse_double("--ge value", eq + 1, 0.0, 1.0, &v) != 0)
			return -EINVAL;
		switch (tok[0]) {
		case 'p':
			o->ge_p = v;
			have_p = true;
			break;
		case 'r':
			o->ge_r = v;
			have_r = true;
			break;
		case 'k':
			o->ge_k = v;
			break;
		case 'h':
			o->ge_h = v;
			break;
		default:
			xdp_err("--ge: unknown key '%c' (p = P(good->bad), r = P(bad->good), "
				"k = P(no loss | good), h = P(no loss | bad))", tok[0]);
			return -EINVAL;
		}
	}
	if (!have_p || !have_r) {
		xdp_err("--ge '%s': p and r are required (k defaults to 1, h to 0)", s);
		return -EINVAL;
	}
	return 0;
}

/* Apply the options to cfg; *ge_changed says the chain should restart. */
static void
xdp_impair_apply(const struct xdp_impair_opts *o, struct impair_cfg *cfg, bool *ge_changed)
{
	*ge_changed = false;
	if (o->clear) {
		memset(cfg, 0, sizeof(*cfg));
		*ge_changed = true;
	}
	if (o->set_loss) {
		cfg->loss_thr = xdp_prob_to_thr(o->loss_pct / 100.0);
		cfg->flags &= ~(IMPAIR_F_LOSS | IMPAIR_F_GE);
		if (cfg->loss_thr > 0)
			cfg->flags |= IMPAIR_F_LOSS;
	}
	if (o->set_ge) {
		cfg->ge_p_thr = xdp_prob_to_thr(o->ge_p);
		cfg->ge_r_thr = xdp_prob_to_thr(o->ge_r);
		cfg->ge_good_loss_thr = xdp_prob_to_thr(1.0 - o->ge_k);
		cfg->ge_bad_loss_thr = xdp_prob_to_thr(1.0 - o->ge_h);
		cfg->flags &= ~IMPAIR_F_LOSS;
		cfg->flags |= IMPAIR_F_GE;
		*ge_changed = true;
	}
	if (o->set_blackhole) {
		cfg->flags &= ~(IMPAIR_F_BLACKHOLE | IMPAIR_F_ALL);
		if (o->blackhole)
			cfg->flags |= IMPAIR_F_BLACKHOLE | (o->blackhole_all ? IMPAIR_F_ALL : 0);
	}
	if (o->set_port)
		cfg->port = o->port;
	if (o->rate != NULL) {
		cfg->rate = o->tb;
		if (o->tb.rate != 0)
			cfg->flags |= IMPAIR_F_RATE;
		else
			cfg->flags &= ~IMPAIR_F_RATE;
	}
	if (o->set_flap) {
		cfg->flap_down_ns = o->flap_down_ns;
		cfg->flap_period_ns = o->flap_period_ns;
		if (o->flap_period_ns != 0)
			cfg->flags |= IMPAIR_F_FLAP;
		else
			cfg->flags &= ~IMPAIR_F_FLAP;
	}
}

static void
xdp_impair_describe(const struct impair_cfg *cfg, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (cfg->flags & IMPAIR_F_BLACKHOLE)
		n += snprintf(buf + n, len - n, (cfg->flags & IMPAIR_F_ALL) ?
			      "blackhole of every frame, " : "blackhole, ");
	if ((cfg->flags & IMPAIR_F_GE) && n < len)
		n += snprintf(buf + n, len - n,
			      "Gilbert-Elliott p=%.6g r=%.6g k=%.6g h=%.6g, ",
			      xdp_thr_to_prob(cfg->ge_p_thr), xdp_thr_to_prob(cfg->ge_r_thr),
			      1.0 - xdp_thr_to_prob(cfg->ge_good_loss_thr),
			      1.0 - xdp_thr_to_prob(cfg->ge_bad_loss_thr));
	if ((cfg->flags & IMPAIR_F_LOSS) && n < len)
		n += snprintf(buf + n, len - n, "loss %.4g%%, ",
			      xdp_thr_to_prob(cfg->loss_thr) * 100.0);
	if ((cfg->flags & IMPAIR_F_FLAP) && n < len)
		n += snprintf(buf + n, len - n, "flap down %.9g s of every %.9g s, ",
			      cfg->flap_down_ns / 1e9, cfg->flap_period_ns / 1e9);
	if ((cfg->flags & IMPAIR_F_RATE) && n < len)
		n += snprintf(buf + n, len - n, "rate limit %llu %s, burst %llu %s, ",
			      cfg->rate.rate, cfg->rate.per_bit ? "bit/s" : "pps",
			      cfg->rate.burst_nu / MP_TB_NS_PER_S,
			      cfg->rate.per_bit ? "bits" : "packets");
	if (cfg->flags == 0 && n < len)
		n += snprintf(buf + n, len - n, "none, ");
	if (n < len) {
		if (cfg->port != 0)
			snprintf(buf + n, len - n, "UDP port %u", cfg->port);
		else
			snprintf(buf + n, len - n, "all UDP");
	}
}

static cJSON *
xdp_impair_json(const struct impair_cfg *cfg)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddBoolToObject(o, "blackhole", (cfg->flags & IMPAIR_F_BLACKHOLE) != 0);
	cJSON_AddNumberToObject(o, "loss_pct", (cfg->flags & IMPAIR_F_LOSS) ?
				xdp_thr_to_prob(cfg->loss_thr) * 100.0 : 0.0);
	if (cfg->flags & IMPAIR_F_GE) {
		cJSON *ge = cJSON_AddObjectToObject(o, "ge");

		cJSON_AddNumberToObject(ge, "p", xdp_thr_to_prob(cfg->ge_p_thr));
		cJSON_AddNumberToObject(ge, "r", xdp_thr_to_prob(cfg->ge_r_thr));
		cJSON_AddNumberToObject(ge, "k", 1.0 - xdp_thr_to_prob(cfg->ge_good_loss_thr));
		cJSON_AddNumberToObject(ge, "h", 1.0 - xdp_thr_to_prob(cfg->ge_bad_loss_thr));
	}
	if (cfg->flags & IMPAIR_F_FLAP) {
		cJSON *fl = cJSON_AddObjectToObject(o, "flap");

		cJSON_AddNumberToObject(fl, "down_s", cfg->flap_down_ns / 1e9);
		cJSON_AddNumberToObject(fl, "period_s", cfg->flap_period_ns / 1e9);
	}
	if (cfg->flags & IMPAIR_F_RATE) {
		cJSON *rl = cJSON_AddObjectToObject(o, "rate_limit");

		cJSON_AddNumberToObject(rl, cfg->rate.per_bit ? "bps" : "pps", (double)cfg->rate.rate);
		cJSON_AddNumberToObject(rl, cfg->rate.per_bit ? "burst_bits" : "burst_packets",
					(double)(cfg->rate.burst_nu / MP_TB_NS_PER_S));
	}
	cJSON_AddNumberToObject(o, "port", cfg->port);
	return o;
}

/* Write cfg into the pinned maps of dir; restart the chain when asked. */
static int
xdp_impair_write(const char *dir, const struct impair_cfg *cfg, bool reset_state)
{
	struct impair_state zero_state = { 0 };
	__u32 key = 0;
	int fd, rc = 0;

	fd = xdp_open_pinned(dir, "impair_cfg");
	if (fd < 0)
		return fd;
	if (bpf_map_update_elem(fd, &key, cfg, BPF_ANY) != 0)
		rc = -errno;
	close(fd);
	if (rc != 0 || !reset_state)
		return rc;
	fd = xdp_open_pinned(dir, "impair_state");
	if (fd < 0)
		return fd;
	rc = xdp_percpu_set(fd, 0, &zero_state, sizeof(zero_state));
	close(fd);
	return rc;
}

static int
xdp_impair_read(const char *dir, struct impair_cfg *cfg)
{
	__u32 key = 0;
	int fd, rc = 0;

	fd = xdp_open_pinned(dir, "impair_cfg");
	if (fd < 0)
		return fd;
	if (bpf_map_lookup_elem(fd, &key, cfg) != 0)
		rc = -errno;
	close(fd);
	return rc;
}

/* --- attach --- */

struct xdp_prefix {
	struct ip_addr addr;
	int plen;
};

static int
xdp_parse_prefix(const char *s, struct xdp_prefix *p)
{
	int i;

	if (ip_addr_parse(s, &p->addr, &p->plen) != 0) {
		xdp_err("--allow '%s': give an address or prefix (192.0.2.0/24, "
			"2001:db8::/32, 0.0.0.0/0 for everyone)", s);
		return -EINVAL;
	}
	/* Clear the host bits, so that the prefix printed is the one matched. */
	for (i = p->plen; i < (p->addr.family == 4 ? 32 : 128); i++)
		p->addr.b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	return 0;
}

static int
xdp_allow_add(struct stamp_reflect *skel, const struct xdp_prefix *p)
{
	__u8 one = 1;
	int rc;

	if (p->addr.family == 4) {
		struct sxdp_lpm4_key k = { .prefixlen = (__u32)p->plen };

		memcpy(k.addr, p->addr.b, 4);
		rc = bpf_map__update_elem(skel->maps.allow4, &k, sizeof(k), &one,
					  sizeof(one), BPF_ANY);
	} else {
		struct sxdp_lpm6_key k = { .prefixlen = (__u32)p->plen };

		memcpy(k.addr, p->addr.b, 16);
		rc = bpf_map__update_elem(skel->maps.allow6, &k, sizeof(k), &one,
					  sizeof(one), BPF_ANY);
	}
	return rc;
}

static const char xdp_attach_usage[] =
	"attach IFACE [--port N] [--allow PREFIX]... [--mode native|generic] [--stateful]\n"
	"       [--refuse-short | --short-rate N [--short-burst N]]";
static const char xdp_attach_help[] =
	"Attach the STAMP reflector to IFACE. It answers STAMP requests (RFC 8762,\n"
	"unauthenticated) to UDP port N (default 862) from the allowed sources and\n"
	"hands everything else to the kernel. With no --allow nobody is answered\n"
	"(0.0.0.0/0 and ::/0 allow everyone). --mode generic (the default) works on\n"
	"any interface; on a veth, native XDP_TX reaches the peer only when the peer\n"
	"has an XDP program too. --stateful numbers replies per session (sender\n"
	"address and port, our address, SSID) instead of echoing the sender's number.\n"
	"A request shorter than the 44-byte base packet (TWAMP-light sends 14 bytes)\n"
	"is answered with the base packet (RFC 8762 4.6), at most --short-rate N per\n"
	"second (default 1000; 0 = no limit) and --short-burst N at once (default\n"
	"100) per source address; --refuse-short drops them all (would_amplify).\n";

static int
xdp_cmd_attach(struct xdp_env *env, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "allow", required_argument, NULL, 'a' },
		{ "mode", required_argument, NULL, 'm' },
		{ "stateful", no_argument, NULL, 's' },
		{ "refuse-short", no_argument, NULL, 'R' },
		{ "short-rate", required_argument, NULL, 'r' },
		{ "short-burst", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long short_rate = SXDP_SHORT_RATE_DEFAULT, short_burst = SXDP_SHORT_BURST_DEFAULT;
	bool refuse_short = false;
	char *end;
	struct xdp_prefix *allow = NULL;
	struct stamp_reflect *skel = NULL;
	enum xdp_mode mode = XDP_MODE_GENERIC;
	uint16_t port = SXDP_STAMP_PORT;
	int64_t tai_ns, mono_ns;
	struct xdp_target t;
	bool stateful = false, dirs_made = false;
	size_t nallow = 0, i;
	char buf[INET6_ADDRSTRLEN];
	int c, rc, link_fd = -1;

	allow = calloc(XDP_MAX_ALLOW, sizeof(*allow));
	if (allow == NULL)
		return -ENOMEM;
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			if (xdp_parse_port(optarg, &port, false) != 0)
				goto usage;
			break;
		case 'a':
			if (nallow == XDP_MAX_ALLOW) {
				xdp_err("at most %d --allow prefixes", XDP_MAX_ALLOW);
				goto usage;
			}
			if (xdp_parse_prefix(optarg, &allow[nallow]) != 0)
				goto usage;
			nallow++;
			break;
		case 'm':
			if (xdp_parse_mode(optarg, &mode) != 0)
				goto usage;
			break;
		case 's':
			stateful = true;
			break;
		case 'R':
			refuse_short = true;
			break;
		case 'r':
		case 'b':
			errno = 0;
			if (optarg[0] == '-' ||
			    (c == 'r' ? (short_rate = strtoul(optarg, &end, 10)) > 10000000 :
			     (short_burst = strtoul(optarg, &end, 10)) > 1000000 || short_burst == 0) ||
			    errno != 0 || end == optarg || *end != '\0') {
				xdp_err("--short-%s '%s': give %s", c == 'r' ? "rate" : "burst", optarg,
					c == 'r' ? "requests per second, 0..10000000 (0 = no limit)" :
					"requests, 1..1000000");
				goto usage;
			}
			break;
		case 'h':
			printf("usage: metroprobe-xdp %s\n\n%s", xdp_attach_usage, xdp_attach_help);
			free(allow);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1) {
		xdp_positional_err(argc, argv);
		goto usage;
	}
	rc = xdp_target_init(env, argv[optind], &t);
	if (rc == 0)
		rc = xdp_need_iface(&t);
	if (rc == 0)
		rc = xdp_bpffs_setup(env, true);
	if (rc == 0)
		rc = xdp_check_free(env, &t, true);
	if (rc != 0)
		goto out;

	rc = xdp_clock_offsets(&tai_ns, &mono_ns);
	if (rc != 0) {
		xdp_err("reading the clocks failed: %s", strerror(-rc));
		goto out;
	}
	skel = stamp_reflect__open();
	if (skel == NULL) {
		rc = -errno;
		xdp_err("opening the BPF object failed: %s", strerror(-rc));
		goto out;
	}
	skel->rodata->stamp_port = port;
	skel->rodata->stateful = stateful;
	skel->rodata->xdp_generic = mode == XDP_MODE_GENERIC;
	skel->rodata->tai_to_utc_ns = tai_ns;
	skel->rodata->mono_to_utc_ns = mono_ns;
	skel->rodata->refuse_short = refuse_short;
	skel->rodata->short_rate = (uint32_t)short_rate;
	skel->rodata->short_burst = (uint32_t)short_burst;
	if (!stateful)
		bpf_map__set_max_entries(skel->maps.sessions, 1);
	rc = stamp_reflect__load(skel);
	if (rc != 0) {
		xdp_err("loading the BPF program failed: %s (root, a kernel with BTF and "
			"XDP are needed; -v shows the verifier log)", strerror(-rc));
		goto out;
	}
	for (i = 0; i < nallow; i++) {
		rc = xdp_allow_add(skel, &allow[i]);
		if (rc != 0) {
			ip_addr_format(&allow[i].addr, buf, sizeof(buf));
			xdp_err("adding %s/%d to the allowlist failed: %s", buf,
				allow[i].plen, strerror(-rc));
			goto out;
		}
	}
	rc = xdp_mkdirs(t.reflect_dir);
	if (rc != 0) {
		xdp_err("creating %s failed: %s", t.reflect_dir, strerror(-rc));
		goto out;
	}
	dirs_made = true;
	rc = xdp_pin_maps(skel->obj, t.reflect_dir, xdp_reflect_maps,
			  sizeof(xdp_reflect_maps) / sizeof(xdp_reflect_maps[0]));
	if (rc != 0) {
		xdp_err("pinning maps in %s failed: %s", t.reflect_dir, strerror(-rc));
		goto out;
	}
	/* The link last: once it is pinned, the reflector is complete. */
	link_fd = xdp_attach_link(bpf_program__fd(skel->progs.stamp_reflect), &t, mode,
				  t.reflect_dir);
	if (link_fd < 0) {
		rc = link_fd;
		goto out;
	}
	printf("reflector attached to %s (ifindex %d): mode %s, UDP port %u, %s, "
	       "%zu allowed prefix%s\n", t.iface, t.ifindex, xdp_mode_name(&t), port,
	       stateful ? "stateful" : "stateless", nallow, nallow == 1 ? "" : "es");
	for (i = 0; i < nallow; i++) {
		ip_addr_format(&allow[i].addr, buf, sizeof(buf));
		printf("  allow %s/%d\n", buf, allow[i].plen);
	}
	printf("pins: %s\n", t.reflect_dir);
	if (nallow == 0)
		fprintf(stderr, "metroprobe-xdp: warning: no --allow given: nobody will be "
			"answered (0.0.0.0/0 and ::/0 allow everyone)\n");
	rc = 0;
out:
	if (link_fd >= 0)
		close(link_fd);
	if (rc != 0 && dirs_made)
		xdp_remove_pins(env, t.reflect_dir);
	stamp_reflect__destroy(skel);
	free(allow);
	return rc == 0 ? 0 : XDP_EXIT_FAIL;
usage:
	free(allow);
	fprintf(stderr, "usage: metroprobe-xdp %s\n", xdp_attach_usage);
	return XDP_EXIT_USAGE;
}

/* --- detach --- */

/* Detach the link pinned in dir (if it is there) and remove the pins. */
static void
xdp_detach_dir(const struct xdp_env *env, const char *dir)
{
	int fd = xdp_open_pinned(dir, "link");

	if (fd >= 0) {
		bpf_link_detach(fd);
		close(fd);
	}
	xdp_remove_pins(env, dir);
}

static int
xdp_parse_iface_only(int argc, char **argv, const char *usage, const char *help,
		     bool *json)
{
	static const struct option lopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			if (json == NULL)
				goto usage;
			*json = true;
			break;
		case 'h':
			printf("usage: metroprobe-xdp %s\n\n%s", usage, help);
			return 1;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1) {
		xdp_positional_err(argc, argv);
		goto usage;
	}
	return 0;
usage:
	fprintf(stderr, "usage: metroprobe-xdp %s\n", usage);
	return -EINVAL;
}

static const char xdp_detach_usage[] = "detach IFACE";
static const char xdp_detach_help[] =
	"Detach the reflector from IFACE and remove its pins (also when the\n"
	"interface is already gone).\n";

static int
xdp_cmd_detach(struct xdp_env *env, int argc, char **argv)
{
	struct xdp_target t;
	int rc;

	rc = xdp_parse_iface_only(argc, argv, xdp_detach_usage, xdp_detach_help, NULL);
	if (rc != 0)
		return rc > 0 ? 0 : XDP_EXIT_USAGE;
	if (xdp_target_init(env, argv[optind], &t) != 0 || xdp_bpffs_setup(env, false) != 0)
		return XDP_EXIT_FAIL;
	if (!xdp_dir_exists(t.reflect_dir)) {
		xdp_err("no reflector attached to %s (nothing pinned in %s)", t.iface,
			t.reflect_dir);
		return XDP_EXIT_FAIL;
	}
	xdp_detach_dir(env, t.reflect_dir);
	printf("reflector detached from %s\n", t.iface);
	return 0;
}

/* --- stats --- */

struct xdp_stats {
	bool reflect, impair;		/* which programs are pinned */
	bool reflect_alive, impair_alive;
	uint64_t cnt[SXDP_CNT_MAX];
	uint64_t icnt[IMPAIR_CNT_MAX];
	struct impair_cfg icfg;
	const char *impair_where;	/* "reflector" or "impair" */
	uint16_t port;
	bool stateful;
	bool refuse_short;
	uint32_t short_rate, short_burst;
	size_t allow4, allow6;
};

static size_t
xdp_map_count(int fd, size_t key_size)
{
	char key[64], next[64];
	size_t n = 0;
	void *prev = NULL;

	if (key_size > sizeof(key))
		return 0;
	while (bpf_map_get_next_key(fd, prev, next) == 0 && n < 1000000) {
		memcpy(key, next, key_size);
		prev = key;
		n++;
	}
	return n;
}

/* The reflector's load-time settings, from its program's .rodata map. */
static void
xdp_read_rodata(const char *dir, struct xdp_stats *s)
{
	struct stamp_reflect__rodata ro;
	uint8_t rbuf[4096];
	struct bpf_prog_info pinfo;
	struct bpf_map_info minfo;
	struct bpf_link_info linfo;
	__u32 len, ids[16], i, key = 0;
	int fd, pfd, mfd;

	fd = xdp_open_pinned(dir, "link");
	if (fd < 0)
		return;
	memset(&linfo, 0, sizeof(linfo));
	len = sizeof(linfo);
	if (bpf_obj_get_info_by_fd(fd, &linfo, &len) != 0) {
		close(fd);
		return;
	}
	close(fd);
	pfd = bpf_prog_get_fd_by_id(linfo.prog_id);
	if (pfd < 0)
		return;
	memset(&pinfo, 0, sizeof(pinfo));
	pinfo.nr_map_ids = 16;
	pinfo.map_ids = (__u64)(unsigned long)ids;
	len = sizeof(pinfo);
	if (bpf_obj_get_info_by_fd(pfd, &pinfo, &len) != 0) {
		close(pfd);
		return;
	}
	close(pfd);
	for (i = 0; i < pinfo.nr_map_ids && i < 16; i++) {
		mfd = bpf_map_get_fd_by_id(ids[i]);
		if (mfd < 0)
			continue;
		memset(&minfo, 0, sizeof(minfo));
		len = sizeof(minfo);
		/*
		 * The section can be longer than the skeleton's struct (the
		 * compiler's own constants follow the named variables).
		 */
		if (bpf_obj_get_info_by_fd(mfd, &minfo, &len) == 0 &&
		    strstr(minfo.name, ".rodata") != NULL && minfo.value_size <= sizeof(rbuf) &&
		    minfo.value_size >= sizeof(ro) &&
		    bpf_map_lookup_elem(mfd, &key, rbuf) == 0) {
			memcpy(&ro, rbuf, sizeof(ro));
			s->port = ro.stamp_port;
			s->stateful = ro.stateful != 0;
			s->refuse_short = ro.refuse_short != 0;
			s->short_rate = ro.short_rate;
			s->short_burst = ro.short_burst;
		}
		close(mfd);
	}
}

static int
xdp_stats_collect(const struct xdp_target *t, struct xdp_stats *s)
{
	const char *idir = NULL;
	int fd, i;

	memset(s, 0, sizeof(*s));
	s->reflect = xdp_dir_exists(t->reflect_dir);
	s->impair = xdp_dir_exists(t->impair_dir);
	s->reflect_alive = xdp_pin_state(t->reflect_dir, t) == XDP_PIN_ALIVE;
	s->impair_alive = xdp_pin_state(t->impair_dir, t) == XDP_PIN_ALIVE;
	if (s->reflect) {
		fd = xdp_open_pinned(t->reflect_dir, "stamp_cnt");
		if (fd < 0)
			return fd;
		for (i = 0; i < SXDP_CNT_MAX; i++)
			xdp_percpu_sum(fd, (uint32_t)i, &s->cnt[i]);
		close(fd);
		fd = xdp_open_pinned(t->reflect_dir, "allow4");
		if (fd >= 0) {
			s->allow4 = xdp_map_count(fd, sizeof(struct sxdp_lpm4_key));
			close(fd);
		}
		fd = xdp_open_pinned(t->reflect_dir, "allow6");
		if (fd >= 0) {
			s->allow6 = xdp_map_count(fd, sizeof(struct sxdp_lpm6_key));
			close(fd);
		}
		xdp_read_rodata(t->reflect_dir, s);
		idir = t->reflect_dir;
		s->impair_where = "reflector";
	}
	if (s->impair) {
		idir = t->impair_dir;
		s->impair_where = "impair";
	}
	if (idir != NULL) {
		xdp_impair_read(idir, &s->icfg);
		fd = xdp_open_pinned(idir, "impair_cnt");
		if (fd >= 0) {
			for (i = 0; i < IMPAIR_CNT_MAX; i++)
				xdp_percpu_sum(fd, (uint32_t)i, &s->icnt[i]);
			close(fd);
		}
	}
	return 0;
}

static void
xdp_stats_print_json(const struct xdp_target *t, const struct xdp_stats *s)
{
	cJSON *root = cJSON_CreateObject(), *o, *c;
	char *txt;
	int i;

	cJSON_AddStringToObject(root, "iface", t->iface);
	cJSON_AddStringToObject(root, "mode", xdp_mode_name(t));
	if (s->reflect) {
		o = cJSON_AddObjectToObject(root, "reflect");
		cJSON_AddBoolToObject(o, "attached", s->reflect_alive);
		cJSON_AddNumberToObject(o, "port", s->port);
		cJSON_AddBoolToObject(o, "stateful", s->stateful);
		cJSON_AddBoolToObject(o, "refuse_short", s->refuse_short);
		record_add_u64(o, "short_rate", s->short_rate);
		record_add_u64(o, "short_burst", s->short_burst);
		record_add_u64(o, "allow_v4", s->allow4);
		record_add_u64(o, "allow_v6", s->allow6);
		c = cJSON_AddObjectToObject(o, "counters");
		for (i = 0; i < SXDP_CNT_MAX; i++)
			record_add_u64(c, xdp_cnt_names[i], s->cnt[i]);
	}
	if (s->impair_where != NULL) {
		o = cJSON_AddObjectToObject(root, "impair");
		cJSON_AddStringToObject(o, "program", s->impair_where);
		if (s->impair)
			cJSON_AddBoolToObject(o, "attached", s->impair_alive);
		cJSON_AddItemToObject(o, "settings", xdp_impair_json(&s->icfg));
		c = cJSON_AddObjectToObject(o, "counters");
		for (i = 0; i < IMPAIR_CNT_MAX; i++)
			record_add_u64(c, xdp_impair_cnt_names[i], s->icnt[i]);
	}
	txt = cJSON_PrintUnformatted(root);
	if (txt != NULL)
		printf("%s\n", txt);
	free(txt);
	cJSON_Delete(root);
}

static void
xdp_stats_print_text(const struct xdp_target *t, const struct xdp_stats *s)
{
	char desc[256];
	int i;

	if (s->reflect) {
		printf("%s: reflector%s, mode %s, UDP port %u, %s, allowlist %zu IPv4 + "
		       "%zu IPv6 prefixes\n", t->iface,
		       s->reflect_alive ? "" : " (NOT attached: stale pins)", xdp_mode_name(t),
		       s->port, s->stateful ? "stateful" : "stateless", s->allow4, s->allow6);
		for (i = 0; i < SXDP_CNT_MAX; i++)
			printf("  %-12s %llu\n", xdp_cnt_names[i], (unsigned long long)s->cnt[i]);
	}
	if (s->impair_where != NULL) {
		xdp_impair_describe(&s->icfg, desc, sizeof(desc));
		printf("%s: impairment (%s%s): %s\n", t->iface,
		       s->impair ? "impair program" : "in the reflector",
		       s->impair && !s->impair_alive ? ", NOT attached: stale pins" : "", desc);
		for (i = 0; i < IMPAIR_CNT_MAX; i++)
			printf("  %-12s %llu\n", xdp_impair_cnt_names[i],
			       (unsigned long long)s->icnt[i]);
	}
}

static const char xdp_stats_usage[] = "stats IFACE [--json]";
static const char xdp_stats_help[] =
	"Show the counters (summed over CPUs) and settings of what is attached to\n"
	"IFACE: the reflector's outcomes (reflected, passed = not STAMP for us,\n"
	"not_allowed, malformed, would_amplify = shorter than 44 bytes and refused,\n"
	"padded = shorter than 44 bytes and answered with 44, rate_limited = the same\n"
	"over the per-source rate, no_room = the frame could not grow) and the impairment's\n"
	"seen (UDP matched while an impairment is set) and dropped.\n";

static int
xdp_cmd_stats(struct xdp_env *env, int argc, char **argv)
{
	struct xdp_target t;
	struct xdp_stats s;
	bool json = false;
	int rc;

	rc = xdp_parse_iface_only(argc, argv, xdp_stats_usage, xdp_stats_help, &json);
	if (rc != 0)
		return rc > 0 ? 0 : XDP_EXIT_USAGE;
	if (xdp_target_init(env, argv[optind], &t) != 0 || xdp_bpffs_setup(env, false) != 0)
		return XDP_EXIT_FAIL;
	rc = xdp_stats_collect(&t, &s);
	if (rc != 0) {
		xdp_err("reading the pins in %s failed: %s", t.dir, strerror(-rc));
		return XDP_EXIT_FAIL;
	}
	if (!s.reflect && !s.impair) {
		xdp_err("nothing attached to %s by metroprobe-xdp (no pins in %s)", t.iface,
			t.dir);
		return XDP_EXIT_FAIL;
	}
	if (json)
		xdp_stats_print_json(&t, &s);
	else
		xdp_stats_print_text(&t, &s);
	return 0;
}

/* --- impair --- */

/* Load impair.bpf.c with cfg already in its map, attach and pin it. */
static int
xdp_impair_attach(struct xdp_env *env, const struct xdp_target *t, enum xdp_mode mode,
		  const struct impair_cfg *cfg)
{
	struct impair *skel;
	__u32 key = 0;
	int rc, link_fd = -1;

	skel = impair__open_and_load();
	if (skel == NULL) {
		rc = -errno;
		xdp_err("loading the impair program failed: %s (root, a kernel with BTF "
			"and XDP are needed; -v shows the verifier log)", strerror(-rc));
		return rc;
	}
	rc = bpf_map__update_elem(skel->maps.impair_cfg, &key, sizeof(key), cfg,
				  sizeof(*cfg), BPF_ANY);
	if (rc != 0) {
		xdp_err("writing the settings failed: %s", strerror(-rc));
		goto out;
	}
	rc = xdp_mkdirs(t->impair_dir);
	if (rc != 0) {
		xdp_err("creating %s failed: %s", t->impair_dir, strerror(-rc));
		goto out;
	}
	rc = xdp_pin_maps(skel->obj, t->impair_dir, xdp_impair_maps,
			  sizeof(xdp_impair_maps) / sizeof(xdp_impair_maps[0]));
	if (rc != 0) {
		xdp_err("pinning maps in %s failed: %s", t->impair_dir, strerror(-rc));
		goto out_pins;
	}
	link_fd = xdp_attach_link(bpf_program__fd(skel->progs.impair), t, mode,
				  t->impair_dir);
	if (link_fd < 0) {
		rc = link_fd;
		goto out_pins;
	}
	close(link_fd);
	rc = 0;
	goto out;
out_pins:
	xdp_remove_pins(env, t->impair_dir);
out:
	impair__destroy(skel);
	return rc;
}

static const char xdp_impair_usage[] =
	"impair IFACE [--loss PCT] [--ge p=P,r=R[,k=K,h=H]] [--blackhole on|all|off] "
	"[--flap DOWN/PERIOD|off] [--rate RATE|off [--burst N]] [--port N] [--clear] "
	"[--mode native|generic]";
static const char xdp_impair_help[] =
	"Drop IPv4/IPv6 UDP arriving on IFACE, for lab links (ARP and neighbour\n"
	"discovery are never touched). Settings change in place while attached:\n"
	"  --loss PCT        independent loss, PCT percent (0 turns it off)\n"
	"  --ge p=,r=,k=,h=  Gilbert-Elliott bursts: p = P(good->bad), r = P(bad->good),\n"
	"                    loss 1-k in the good state, 1-h in the bad one (k=1, h=0\n"
	"                    by default); replaces --loss, and --loss replaces it\n"
	"  --blackhole on    drop all of it, until --blackhole off (other settings kept)\n"
	"  --blackhole all   drop every frame (TCP, ARP, neighbour discovery too): the\n"
	"                    far end gone dark, for routers' BFD to notice\n"
	"  --flap D/P        drop all of it for D seconds of every P (while the\n"
	"                    monotonic clock mod P < D: interfaces given the same\n"
	"                    schedule flap together); --flap off stops it\n"
	"  --rate RATE       a token bucket: what is over RATE is dropped (10Mbps: bits\n"
	"                    on the wire, FCS, preamble and gap counted, as the prober\n"
	"                    counts its rate; or 5000pps); --rate off removes it\n"
	"  --burst N         the bucket's depth: bytes for a bit rate, packets for pps\n"
	"                    (default 10 ms of the rate, at least 32 9018-byte frames)\n"
	"  --port N          only UDP from or to port N (0 = all UDP, the default)\n"
	"  --clear           start from no impairment\n"
	"  --mode            when the impair program has to be attached (default generic)\n"
	"With a reflector on IFACE the reflector's own impairment is set (XDP takes\n"
	"one program per interface); otherwise the impair program is attached.\n";

static int
xdp_cmd_impair(struct xdp_env *env, int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "loss", required_argument, NULL, 'l' },
		{ "ge", required_argument, NULL, 'g' },
		{ "blackhole", required_argument, NULL, 'b' },
		{ "flap", required_argument, NULL, 'f' },
		{ "rate", required_argument, NULL, 'r' },
		{ "burst", required_argument, NULL, 'B' },
		{ "port", required_argument, NULL, 'p' },
		{ "clear", no_argument, NULL, 'c' },
		{ "mode", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct xdp_impair_opts o;
	enum xdp_mode mode = XDP_MODE_GENERIC;
	struct impair_cfg cfg;
	struct xdp_target t;
	enum xdp_pin_state rs, is;
	const char *dir, *where;
	bool ge_changed;
	char desc[256];
	int c, rc;

	memset(&o, 0, sizeof(o));
	while ((c = getopt_long(argc, argv, "h", lopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (xdp_parse_double("--loss", optarg, 0.0, 100.0, &o.loss_pct) != 0)
				goto usage;
			o.set_loss = true;
			break;
		case 'g':
			if (xdp_parse_ge(optarg, &o) != 0)
				goto usage;
			o.set_ge = true;
			break;
		case 'b':
			o.blackhole_all = strcmp(optarg, "all") == 0;
			if (!o.blackhole_all &&
			    xdp_parse_onoff("--blackhole", optarg, &o.blackhole) != 0)
				goto usage;
			o.blackhole = o.blackhole || o.blackhole_all;
			o.set_blackhole = true;
			break;
		case 'f':
			if (xdp_parse_flap(optarg, &o.flap_down_ns, &o.flap_period_ns) != 0) {
				xdp_err("--flap '%s': use DOWN/PERIOD in seconds (0 < DOWN < "
					"PERIOD <= 3600) or off", optarg);
				goto usage;
			}
			o.set_flap = true;
			break;
		case 'r':
			o.rate = optarg;
			break;
		case 'B':
			o.burst = optarg;
			break;
		case 'p':
			if (xdp_parse_port(optarg, &o.port, true) != 0)
				goto usage;
			o.set_port = true;
			break;
		case 'c':
			o.clear = true;
			break;
		case 'm':
			if (xdp_parse_mode(optarg, &mode) != 0)
				goto usage;
			break;
		case 'h':
			printf("usage: metroprobe-xdp %s\n\n%s", xdp_impair_usage, xdp_impair_help);
			return 0;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1) {
		xdp_positional_err(argc, argv);
		goto usage;
	}
	if (o.set_loss && o.set_ge) {
		xdp_err("--loss and --ge exclude each other");
		goto usage;
	}
	if ((o.rate != NULL || o.burst != NULL) && xdp_parse_rate_limit(&o) != 0)
		goto usage;
	if (!o.set_loss && !o.set_ge && !o.set_blackhole && !o.set_port && !o.clear &&
	    !o.set_flap && o.rate == NULL) {
		xdp_err("nothing to change: give --loss, --ge, --blackhole, --flap, --rate, --port "
			"or --clear");
		goto usage;
	}
	if (xdp_target_init(env, argv[optind], &t) != 0 || xdp_need_iface(&t) != 0 ||
	    xdp_bpffs_setup(env, true) != 0)
		return XDP_EXIT_FAIL;

	rs = xdp_pin_state(t.reflect_dir, &t);
	is = xdp_pin_state(t.impair_dir, &t);
	memset(&cfg, 0, sizeof(cfg));
	if (rs == XDP_PIN_ALIVE || is == XDP_PIN_ALIVE) {
		dir = rs == XDP_PIN_ALIVE ? t.reflect_dir : t.impair_dir;
		where = rs == XDP_PIN_ALIVE ? "in the reflector" : "impair program";
		rc = xdp_impair_read(dir, &cfg);
		if (rc == 0) {
			xdp_impair_apply(&o, &cfg, &ge_changed);
			rc = xdp_impair_write(dir, &cfg, ge_changed);
		}
		if (rc != 0) {
			xdp_err("updating the settings in %s failed: %s", dir, strerror(-rc));
			return XDP_EXIT_FAIL;
		}
	} else {
		xdp_impair_apply(&o, &cfg, &ge_changed);
		if (cfg.flags == 0) {
			printf("%s: no impairment set; nothing attached\n", t.iface);
			return 0;
		}
		if (xdp_check_free(env, &t, false) != 0 ||
		    xdp_impair_attach(env, &t, mode, &cfg) != 0)
			return XDP_EXIT_FAIL;
		where = "impair program";
		printf("impair program attached to %s (ifindex %d): mode %s\npins: %s\n",
		       t.iface, t.ifindex, xdp_mode_name(&t), t.impair_dir);
	}
	xdp_impair_describe(&cfg, desc, sizeof(desc));
	printf("%s: impairment (%s): %s\n", t.iface, where, desc);
	return 0;
usage:
	fprintf(stderr, "usage: metroprobe-xdp %s\n", xdp_impair_usage);
	return XDP_EXIT_USAGE;
}

static const char xdp_impair_detach_usage[] = "impair-detach IFACE";
static const char xdp_impair_detach_help[] =
	"Detach the impair program from IFACE and remove its pins; with the\n"
	"reflector on IFACE, clear the reflector's impairment instead (the\n"
	"reflector stays).\n";

static int
xdp_cmd_impair_detach(struct xdp_env *env, int argc, char **argv)
{
	struct impair_cfg zero;
	struct xdp_target t;
	int rc;

	rc = xdp_parse_iface_only(argc, argv, xdp_impair_detach_usage,
				  xdp_impair_detach_help, NULL);
	if (rc != 0)
		return rc > 0 ? 0 : XDP_EXIT_USAGE;
	if (xdp_target_init(env, argv[optind], &t) != 0 || xdp_bpffs_setup(env, false) != 0)
		return XDP_EXIT_FAIL;
	if (xdp_dir_exists(t.impair_dir)) {
		xdp_detach_dir(env, t.impair_dir);
		printf("impair program detached from %s\n", t.iface);
		return 0;
	}
	if (xdp_pin_state(t.reflect_dir, &t) == XDP_PIN_ALIVE) {
		memset(&zero, 0, sizeof(zero));
		rc = xdp_impair_write(t.reflect_dir, &zero, true);
		if (rc != 0) {
			xdp_err("clearing the reflector's impairment failed: %s", strerror(-rc));
			return XDP_EXIT_FAIL;
		}
		printf("%s: impairment in the reflector cleared (the reflector stays "
		       "attached)\n", t.iface);
		return 0;
	}
	xdp_err("no impairment attached to %s (nothing pinned in %s)", t.iface, t.dir);
	return XDP_EXIT_FAIL;
}

/* --- main --- */

struct xdp_cmd {
	const char *name;
	int (*fn)(struct xdp_env *env, int argc, char **argv);
	const char *usage;
};

static const struct xdp_cmd xdp_cmds[] = {
	{ "attach", xdp_cmd_attach, xdp_attach_usage },
	{ "detach", xdp_cmd_detach, xdp_detach_usage },
	{ "stats", xdp_cmd_stats, xdp_stats_usage },
	{ "impair", xdp_cmd_impair, xdp_impair_usage },
	{ "impair-detach", xdp_cmd_impair_detach, xdp_impair_detach_usage },
};

static void
xdp_usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: metroprobe-xdp [--pin-dir DIR] [--netns NS] [-v] COMMAND ...\n\n"
		"The XDP STAMP reflector and lab impairment of metroprobe %s.\n\n"
		"Commands:\n", MP_VERSION);
	for (i = 0; i < sizeof(xdp_cmds) / sizeof(xdp_cmds[0]); i++)
		fprintf(f, "  %s\n", xdp_cmds[i].usage);
	fprintf(f, "\nOptions:\n"
		"  --pin-dir DIR  where pins live (default %s; must be on bpffs)\n"
		"  --netns NS     act on an interface in network namespace NS\n"
		"                 (ip netns exec NS metroprobe-xdp ... works too)\n"
		"  -v, --verbose  show libbpf's messages and the verifier log\n"
		"  -h, --help     this text; COMMAND --help for a command's\n"
		"  --version      print the version\n", XDP_PIN_DEFAULT);
}

int
main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "pin-dir", required_argument, NULL, 'P' },
		{ "netns", required_argument, NULL, 'n' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct xdp_env env = { .pin_root = XDP_PIN_DEFAULT, .pin_root_default = true };
	static char pin_root[PATH_MAX];
	size_t i, n;
	int c;

	while ((c = getopt_long(argc, argv, "+hv", lopts, NULL)) != -1) {
		switch (c) {
		case 'P':
			n = strlen(optarg);
			while (n > 1 && optarg[n - 1] == '/')
				n--;
			if (optarg[0] != '/' || n >= sizeof(pin_root)) {
				fprintf(stderr, "metroprobe-xdp: --pin-dir '%s': give an absolute "
					"path on bpffs\n", optarg);
				return XDP_EXIT_USAGE;
			}
			memcpy(pin_root, optarg, n);
			pin_root[n] = '\0';
			env.pin_root = pin_root;
			env.pin_root_default = strcmp(pin_root, XDP_PIN_DEFAULT) == 0;
			break;
		case 'n':
			env.netns = optarg;
			break;
		case 'v':
			xdp_verbose = true;
			break;
		case 'h':
			xdp_usage(stdout);
			return 0;
		case 'V':
			printf("metroprobe-xdp %s\n", MP_VERSION);
			return 0;
		default:
			xdp_usage(stderr);
			return XDP_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "metroprobe-xdp: missing COMMAND\n");
		xdp_usage(stderr);
		return XDP_EXIT_USAGE;
	}
	libbpf_set_print(xdp_libbpf_print);
	for (i = 0; i < sizeof(xdp_cmds) / sizeof(xdp_cmds[0]); i++) {
		if (strcmp(argv[optind], xdp_cmds[i].name) != 0)
			continue;
		xdp_cmd_name = xdp_cmds[i].name;
		if (env.netns != NULL && xdp_enter_netns(env.netns) != 0)
			return XDP_EXIT_FAIL;
		xdp_find_netns_name(env.nsname, sizeof(env.nsname));
		argc -= optind;
		argv += optind;
		optind = 0;	/* GNU getopt: start over, permuting again */
		return xdp_cmds[i].fn(&env, argc, argv);
	}
	fprintf(stderr, "metroprobe-xdp: unknown command '%s'\n", argv[optind]);
	xdp_usage(stderr);
	return XDP_EXIT_USAGE;
}
