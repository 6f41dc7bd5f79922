/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hugepage provisioning for the DPDK dataplane: make the 2 MB pages a run
 * needs free, remember exactly what was raised, give back only that.
 *
 * Used by `metroprobe run` (and so `demo`) for the prober and by the lab
 * for its DPDK reflectors; a later `serve` calls the same two functions:
 *
 *   hp_provision(&env, pages, &lease, ...)   before the dataplane starts
 *   hp_release(&env, &lease, ...)            after it is gone
 *
 * The dataplane runs with --in-memory, which maps anonymous hugepages
 * (MAP_HUGETLB): no hugetlbfs mount is needed, only free pages in the pool.
 * Concurrent users (the lab's reflectors and a prober) each raise
 * nr_hugepages by what they miss, under a lock, and each gives back only
 * its own raise, never below the pages still in use. A ledger of raises
 * (one line per user: owner, pid, pages) keeps one user from counting on
 * pages another raised for itself, and lets the next user give back the
 * raise of a run that was killed before it could.
 *
 * The sizing and the decisions are pure functions (unit-tested); the sysfs
 * directory is a parameter, so tests point it at a fake tree.
 */
#ifndef MP_HUGEPAGES_H
#define MP_HUGEPAGES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HP_SYSFS_2M		"/sys/kernel/mm/hugepages/hugepages-2048kB"
#define HP_LOCK_PATH		"/run/metroprobe/hugepages.lock"
#define HP_LEDGER_PATH		"/run/metroprobe/hugepages.leases"
#define HP_PAGE_BYTES		(2u << 20)
/* Environment variable that points the module at another sysfs directory. */
#define HP_SYSFS_ENV		"METROPROBE_HUGEPAGES_SYSFS"

/* What the kernel's pool of 2 MB pages holds now. */
struct hp_counts {
	long nr;		/* nr_hugepages: the persistent pool */
	long free;		/* free_hugepages */
	long resv;		/* resv_hugepages: promised, not yet faulted in */
};

/* Where the pool is. */
struct hp_env {
	char sysfs[256];	/* HP_SYSFS_2M, or $METROPROBE_HUGEPAGES_SYSFS */
	char lock[256];		/* serialises read-modify-write of nr_hugepages */
	char ledger[256];	/* who raised how many */
};

/* One line of the ledger. */
struct hp_entry {
	char owner[32];		/* "run", "lab" */
	long pid;		/* 0: held beyond its process (the lab's, until lab down) */
	long raised;
};

/* What one user changed: exactly what it gives back. */
struct hp_lease {
	char owner[32];
	long pid;		/* as in the ledger */
	long need;		/* pages asked for */
	long before;		/* nr_hugepages before the raise (-1: unknown) */
	long raised;		/* pages added to nr_hugepages by this lease */
};

/* One link of a probe run, as far as memory goes. */
struct hp_link_shape {
	uint32_t frame_size;	/* largest frame (with FCS) */
	uint16_t queues;
};

/* --- Pure --- */

/* Bytes of a DPDK mbuf pool of n buffers with data room `room`. */
uint64_t hp_pool_bytes(uint32_t n, uint32_t room);
/* 2 MB pages `metroprobe-dp probe` allocates for these links, with margin. */
long hp_probe_pages(const struct hp_link_shape *links, int n_links);
/* 2 MB pages one `metroprobe-dp reflect` allocates, with margin. */
long hp_reflector_pages(void);
/*
 * Pages to add to nr_hugepages so that `need` are free (0: enough already).
 * others_raised: pages other live users raised for themselves; they may be
 * free now but are theirs, so they are not counted as available.
 */
long hp_raise_by(const struct hp_counts *c, long need, long others_raised);
/*
 * The nr_hugepages to write when giving back `raised` pages: nr - raised,
 * but never below the pages still in use or promised (nr - free + resv).
 */
long hp_give_back_to(const struct hp_counts *c, long raised);

/* Parse one ledger line "OWNER PID RAISED". 0 or -EINVAL. */
int hp_entry_parse(const char *line, struct hp_entry *e);

/* --- Against the kernel (or env->sysfs) --- */

/* The real pool, unless $METROPROBE_HUGEPAGES_SYSFS names another directory. */
void hp_env_default(struct hp_env *env);
/* 0, or -errno (-ENOENT: no 2 MB pages in this kernel). */
int hp_read(const struct hp_env *env, struct hp_counts *c);
/*
 * Make `need` 2 MB pages free for owner ("run", "lab") of process pid (0:
 * held until hp_release, whoever calls it). Returns 0 when they are (lease says what was
 * raised, possibly nothing), or -errno when they cannot be had; then nothing
 * is left raised and `why` says why in a few words ("not root", "the kernel
 * found 12 of 47 pages", ...).
 */
int hp_provision(const struct hp_env *env, const char *owner, long pid, long need,
		 struct hp_lease *lease, char *why, size_t why_len);
/*
 * Give back the raises of users that are gone (a run killed before it could
 * give back; hp_provision does this too). Returns how many; why says what.
 */
int hp_reclaim(const struct hp_env *env, char *why, size_t why_len);
/*
 * The ledger's raise of owner/pid as a lease (to give back without the
 * owner's own record, e.g. `lab down` after the lab's state was lost).
 * 0, or -ENOENT.
 */
int hp_lease_find(const struct hp_env *env, const char *owner, long pid, struct hp_lease *lease);
/*
 * Give back what lease raised, never below what is in use (waits up to
 * wait_ms for pages of a process that just ended). 0 when all of it was
 * given back; otherwise msg says what was left and why. The lease is
 * cleared either way.
 */
int hp_release(const struct hp_env *env, struct hp_lease *lease, unsigned int wait_ms,
	       char *msg, size_t msg_len);

#endif
