/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hugepage provisioning: see hugepages.h. Self-contained (no util.c) so
 * that the unit tests link it alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdbool.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hugepages.h"
#include "mp_bufsize.h"

/*
 * The dataplane's allocations, mirrored from dataplane/dp (control never
 * includes it): keep these in step with port.c, probe.c and reflect.c.
 */
#define DP_HEADROOM		MP_MBUF_HEADROOM
#define DP_DEFAULT_ROOM		(MP_MBUF_DATAROOM + DP_HEADROOM)	/* RTE_MBUF_DEFAULT_BUF_SIZE */
#define DP_PORT_MBUFS		8191u	/* dp_port_setup() in probe_main(), 1 queue */
#define DP_PORT_MBUFS_PER_Q	4096u	/* ... and per further queue */
#define DP_TX_DESC		1024u
/*
 * Per buffer besides its data room: struct rte_mbuf (128), the mempool
 * object header (a cache line) and the spread padding (up to a line).
 */
#define HP_MBUF_OVERHEAD	256u
/* Per pool: struct rte_mempool with 128 per-lcore caches of 8 KB, and its ring. */
#define HP_POOL_OVERHEAD	(1280u << 10)
/* Per lane: 63 interval snapshots of 31 KB, histograms, sequence window. */
#define HP_LANE_BYTES		(3u << 20)
/* EAL, ethdev, rings, the neighbour tables: measured 3-5 MB, doubled. */
#define HP_BASE_BYTES		(8u << 20)

#define HP_POLL_MS		50
#define HP_LEDGER_MAX		64

uint64_t
hp_pool_bytes(uint32_t n, uint32_t room)
{
	return (uint64_t)n * (room + HP_MBUF_OVERHEAD) + HP_POOL_OVERHEAD + (uint64_t)n * 8u;
}

static long
hp_bytes_to_pages(uint64_t bytes)
{
	return (long)((bytes + HP_PAGE_BYTES - 1) / HP_PAGE_BYTES);
}

/*
 * probe: per link a receive pool (frames up to max(frame, 2048), 8191
 * buffers plus 4096 per further queue) and per lane (queue) a TX pool of
 * the link's frame size (8191 buffers, 3071 when a buffer is over 4 KB).
 * Measured on this VM (peak of HugePages_Total - HugePages_Free): 42 pages
 * for two links of one queue, 73 with two queues, 135 with four; this
 * gives 50, 84 and 152.
 */
long
hp_probe_pages(const struct hp_link_shape *links, int n_links)
{
	uint64_t bytes = HP_BASE_BYTES;
	int i;

	for (i = 0; i < n_links; i++) {
		uint32_t frame = links[i].frame_size;
		uint32_t q = links[i].queues > 0 ? links[i].queues : 1;
		uint32_t rx_room = MP_RX_ROOM(frame > 2048 ? frame : 2048) + DP_HEADROOM;
		uint32_t tx_room = frame + DP_HEADROOM > DP_DEFAULT_ROOM ? frame + DP_HEADROOM :
									  DP_DEFAULT_ROOM;
		uint32_t tx_n = tx_room > 4096 ? 2 * DP_TX_DESC + 1023 : 4 * DP_TX_DESC + 4095;

		bytes += hp_pool_bytes(DP_PORT_MBUFS + DP_PORT_MBUFS_PER_Q * (q - 1), rx_room);
		bytes += q * (hp_pool_bytes(tx_n, tx_room) + HP_LANE_BYTES);
	}
	return hp_bytes_to_pages(bytes);
}

/*
 * reflect: one pool of 8191 jumbo buffers (12 KB of room each: af_packet
 * slots for 9018-byte frames). Measured 51 pages; this gives 55.
 */
long
hp_reflector_pages(void)
{
	return hp_bytes_to_pages(HP_BASE_BYTES +
				 hp_pool_bytes(MP_REFLECT_MBUFS, MP_RX_ROOM(MP_REFLECT_FRAME) + DP_HEADROOM));
}

long
hp_raise_by(const struct hp_counts *c, long need, long others_raised)
{
	/*
	 * Pages promised to a mapping are counted free but are not ours; nor
	 * are the pages other users raised (they may not have touched them yet).
	 */
	long avail = c->free - c->resv - (others_raised > 0 ? others_raised : 0);

	if (avail < 0)
		avail = 0;
	return need > avail ? need - avail : 0;
}

long
hp_give_back_to(const struct hp_counts *c, long raised)
{
	long in_use = c->nr - c->free + c->resv;
	long to = c->nr - raised;

	if (in_use < 0)
		in_use = 0;
	if (to < in_use)
		to = in_use;
	return to < c->nr ? to : c->nr;
}

void
hp_env_default(struct hp_env *env)
{
	const char *dir = getenv(HP_SYSFS_ENV);

	memset(env, 0, sizeof(*env));
	if (dir != NULL && dir[0] != '\0') {
		snprintf(env->sysfs, sizeof(env->sysfs), "%s", dir);
		snprintf(env->lock, sizeof(env->lock), "%s/.lock", dir);
		snprintf(env->ledger, sizeof(env->ledger), "%s/.leases", dir);
	} else {
		snprintf(env->sysfs, sizeof(env->sysfs), "%s", HP_SYSFS_2M);
		snprintf(env->lock, sizeof(env->lock), "%s", HP_LOCK_PATH);
		snprintf(env->ledger, sizeof(env->ledger), "%s", HP_LEDGER_PATH);
	}
}

int
hp_entry_parse(const char *line, struct hp_entry *e)
{
	char owner[32];
	long pid, raised;
	char extra;

	if (sscanf(line, "%31s %ld %ld %c", owner, &pid, &raised, &extra) != 3 || pid < 0 ||
	    raised < 0)
		return -EINVAL;
	snprintf(e->owner, sizeof(e->owner), "%s", owner);
	e->pid = pid;
	e->raised = raised;
	return 0;
}

/* The ledger's entries (a missing or unreadable ledger is empty). */
static int
hp_ledger_load(const struct hp_env *env, struct hp_entry *e, int max)
{
	FILE *f = fopen(env->ledger, "re");
	char line[128];
	int n = 0;

	if (f == NULL)
		return 0;
	while (n < max && fgets(line, sizeof(line), f) != NULL)
		if (hp_entry_parse(line, &e[n]) == 0)
			n++;
	fclose(f);
	return n;
}

static void
hp_ledger_save(const struct hp_env *env, const struct hp_entry *e, int n)
{
	char tmp[300];
	FILE *f;
	int i;

	if (n == 0) {
		unlink(env->ledger);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", env->ledger);
	f = fopen(tmp, "we");
	if (f == NULL)
		return;
	for (i = 0; i < n; i++)
		fprintf(f, "%s %ld %ld\n", e[i].owner, e[i].pid, e[i].raised);
	if (fclose(f) != 0 || rename(tmp, env->ledger) != 0)
		unlink(tmp);
}

static bool
hp_pid_alive(long pid)
{
	return pid == 0 || kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

static long
hp_read_knob(const struct hp_env *env, const char *name)
{
	char path[512], buf[64];
	ssize_t n;
	long v;
	char *end;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", env->sysfs, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (end == buf || errno != 0 || v < 0)
		return -EINVAL;
	return v;
}

/* sysfs knobs are written in place, never tmp + rename. */
static int
hp_write_nr(const struct hp_env *env, long value)
{
	char path[512], buf[32];
	int fd, len, rc = 0;

	snprintf(path, sizeof(path), "%s/nr_hugepages", env->sysfs);
	len = snprintf(buf, sizeof(buf), "%ld\n", value);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, (size_t)len) != len)
		rc = errno != 0 ? -errno : -EIO;
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	return rc;
}

int
hp_read(const struct hp_env *env, struct hp_counts *c)
{
	long nr = hp_read_knob(env, "nr_hugepages");
	long fr = hp_read_knob(env, "free_hugepages");
	long rs = hp_read_knob(env, "resv_hugepages");

	if (nr < 0)
		return (int)nr;
	if (fr < 0)
		return (int)fr;
	c->nr = nr;
	c->free = fr;
	c->resv = rs < 0 ? 0 : rs;
	return 0;
}

/* An exclusive lock on env->lock (made if missing); -1 if there is none to be had. */
static int
hp_lock(const struct hp_env *env)
{
	char dir[256], *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", env->lock);
	slash = strrchr(dir, '/');
	if (slash != NULL && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);	/* /run/metroprobe; EEXIST is fine */
	}
	fd = open(env->lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	while (flock(fd, LOCK_EX) != 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

static void
hp_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* drops the flock */
}

static void
hp_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Give back `raised` pages, never below what is in use. Under the lock. */
static int
hp_give_back(const struct hp_env *env, long raised, struct hp_counts *c, long *to)
{
	int rc = hp_read(env, c);

	if (rc != 0)
		return rc;
	*to = hp_give_back_to(c, raised);
	return *to < c->nr ? hp_write_nr(env, *to) : 0;
}

/*
 * Under the lock: give back the raises of users that are gone (a run
 * killed before it could give back), keep the others' entries and add up
 * their raises. Returns the entries kept; why says what was given back.
 */
static int
hp_ledger_reap(const struct hp_env *env, struct hp_entry *led, int n, long *others,
	       char *why, size_t why_len)
{
	struct hp_counts c;
	size_t off = strlen(why);
	long to;
	int i, k;

	*others = 0;
	for (i = k = 0; i < n; i++) {
		if (hp_pid_alive(led[i].pid)) {
			*others += led[i].raised;
			led[k++] = led[i];
			continue;
		}
		if (hp_give_back(env, led[i].raised, &c, &to) == 0 && off < why_len)
			off += (size_t)snprintf(why + off, why_len - off, "%sgave back %ld pages "
						"raised by %s %ld, which is gone", off ? "; " : "",
						c.nr - to, led[i].owner, led[i].pid);
	}
	return k;
}

int
hp_reclaim(const struct hp_env *env, char *why, size_t why_len)
{
	struct hp_entry led[HP_LEDGER_MAX];
	long others;
	int fd, n, k;

	why[0] = '\0';
	fd = hp_lock(env);
	n = hp_ledger_load(env, led, HP_LEDGER_MAX);
	k = hp_ledger_reap(env, led, n, &others, why, why_len);
	if (k != n)
		hp_ledger_save(env, led, k);
	hp_unlock(fd);
	return n - k;
}

int
hp_provision(const struct hp_env *env, const char *owner, long pid, long need,
	     struct hp_lease *lease, char *why, size_t why_len)
{
	struct hp_entry led[HP_LEDGER_MAX];
	struct hp_counts c;
	char knob[512];
	long add, others = 0, to;
	int fd, rc, n;

	memset(lease, 0, sizeof(*lease));
	snprintf(lease->owner, sizeof(lease->owner), "%s", owner);
	lease->pid = pid;
	lease->need = need;
	lease->before = -1;
	why[0] = '\0';
	rc = hp_read(env, &c);
	if (rc != 0) {
		snprintf(why, why_len, "this kernel has no 2 MB hugepages (%s: %s)", env->sysfs,
			 strerror(-rc));
		return rc;
	}
	snprintf(knob, sizeof(knob), "%s/nr_hugepages", env->sysfs);
	if (geteuid() != 0 && access(knob, W_OK) != 0) {
		if (hp_raise_by(&c, need, 0) == 0)
			return 0;	/* someone reserved enough: use them */
		snprintf(why, why_len, "%ld of %ld free and not root, so they cannot be reserved",
			 c.free - c.resv, need);
		return -EPERM;
	}
	fd = hp_lock(env);
	n = hp_ledger_load(env, led, HP_LEDGER_MAX);
	n = hp_ledger_reap(env, led, n, &others, why, why_len);
	rc = hp_read(env, &c);
	if (rc != 0)
		snprintf(why, why_len, "cannot read %s: %s", env->sysfs, strerror(-rc));
	add = rc == 0 ? hp_raise_by(&c, need, others) : 0;
	if (rc == 0 && add > 0) {
		lease->before = c.nr;
		rc = hp_write_nr(env, c.nr + add);
		if (rc != 0) {
			snprintf(why, why_len, "cannot raise nr_hugepages from %ld to %ld: %s", c.nr,
				 c.nr + add, strerror(-rc));
		} else {
			struct hp_counts after;

			/* the kernel raises as far as it finds memory, silently */
			rc = hp_read(env, &after);
			if (rc == 0) {
				/* new pages are free pages: both counts must have grown */
				long grew = (after.free - after.resv) - (c.free - c.resv);

				lease->raised = after.nr > c.nr ? after.nr - c.nr : 0;
				if (lease->raised < add || grew < add) {
					snprintf(why, why_len, "asked the kernel for %ld more (nr_hugepages "
						 "%ld -> %ld), it found %ld", add, c.nr, c.nr + add,
						 grew < lease->raised ? (grew > 0 ? grew : 0) :
									lease->raised);
					rc = -ENOMEM;
				}
			}
		}
		if (rc != 0 && lease->raised > 0) {
			hp_give_back(env, lease->raised, &c, &to);
			lease->raised = 0;
		}
		if (lease->raised > 0 && n < HP_LEDGER_MAX) {
			snprintf(led[n].owner, sizeof(led[n].owner), "%s", owner);
			led[n].pid = pid;
			led[n].raised = lease->raised;
			n++;
		}
	}
	hp_ledger_save(env, led, n);
	hp_unlock(fd);
	return rc;
}

int
hp_lease_find(const struct hp_env *env, const char *owner, long pid, struct hp_lease *lease)
{
	struct hp_entry led[HP_LEDGER_MAX];
	int fd = hp_lock(env), n = hp_ledger_load(env, led, HP_LEDGER_MAX), i;

	hp_unlock(fd);
	for (i = 0; i < n; i++) {
		if (strcmp(led[i].owner, owner) == 0 && led[i].pid == pid) {
			memset(lease, 0, sizeof(*lease));
			snprintf(lease->owner, sizeof(lease->owner), "%s", owner);
			lease->pid = pid;
			lease->before = -1;
			lease->raised = led[i].raised;
			return 0;
		}
	}
	return -ENOENT;
}

int
hp_release(const struct hp_env *env, struct hp_lease *lease, unsigned int wait_ms,
	   char *msg, size_t msg_len)
{
	struct hp_counts c;
	unsigned int waited = 0;
	long to = 0;
	int fd, rc;

	memset(&c, 0, sizeof(c));
	msg[0] = '\0';
	if (lease->raised <= 0) {
		lease->raised = 0;
		return 0;
	}
	fd = hp_lock(env);
	{
		struct hp_entry led[HP_LEDGER_MAX];
		int n = hp_ledger_load(env, led, HP_LEDGER_MAX), i;

		for (i = 0; i < n; i++) {
			if (strcmp(led[i].owner, lease->owner) == 0 && led[i].pid == lease->pid &&
			    led[i].raised == lease->raised) {
				memmove(&led[i], &led[i + 1], sizeof(led[0]) * (size_t)(n - i - 1));
				n--;
				break;
			}
		}
		hp_ledger_save(env, led, n);
	}
	for (;;) {
		rc = hp_read(env, &c);
		if (rc != 0)
			break;
		to = hp_give_back_to(&c, lease->raised);
		/* pages of a process that just ended come back as its memory is torn down */
		if (c.nr - to >= lease->raised || waited >= wait_ms)
			break;
		hp_unlock(fd);
		hp_sleep_ms(HP_POLL_MS);
		waited += HP_POLL_MS;
		fd = hp_lock(env);
	}
	if (rc == 0 && to < c.nr)
		rc = hp_write_nr(env, to);
	hp_unlock(fd);
	if (rc != 0)
		snprintf(msg, msg_len, "cannot give back %ld hugepages: %s", lease->raised,
			 strerror(-rc));
	else if (c.nr - to < lease->raised)
		snprintf(msg, msg_len, "gave back %ld of the %ld hugepages raised; %ld are still "
			 "in use by other programs, so nr_hugepages stays at %ld", c.nr - to,
			 lease->raised, c.nr - c.free + c.resv, to);
	rc = rc == 0 && c.nr - to >= lease->raised ? 0 : -EBUSY;
	lease->raised = 0;
	return rc;
}
