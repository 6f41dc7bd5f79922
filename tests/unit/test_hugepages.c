/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hugepage provisioning (control/hugepages.c): the sizing against what the
 * dataplane was measured to take, how many pages to raise, what to give
 * back (never below what others use), two users ending in either order,
 * and provision / release against a fake sysfs directory whose "kernel"
 * never finds memory: the failure path gives everything back, the ledger
 * keeps only live raises, and a killed run's raise is given back by the next.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hugepages.h"
#include "mp_test.h"

START_TEST(test_sizing)
{
	struct hp_link_shape lab[2] = { { 128, 1 }, { 128, 1 } };
	struct hp_link_shape q2[2] = { { 128, 2 }, { 128, 2 } };
	struct hp_link_shape q4[2] = { { 128, 4 }, { 128, 4 } };
	struct hp_link_shape j[2] = { { 9000, 1 }, { 9000, 1 } };
	struct hp_link_shape m[2] = { { 1518, 1 }, { 1518, 1 } };
	long p1 = hp_probe_pages(lab, 2), p2 = hp_probe_pages(q2, 2), p4 = hp_probe_pages(q4, 2);

	/* peaks measured on this project's VM (HugePages_Total - HugePages_Free) */
	ck_assert_int_ge(p1, 42);
	ck_assert_int_ge(p2, 73);
	ck_assert_int_ge(p4, 135);
	ck_assert_int_ge(hp_reflector_pages(), 51);
	/* with a margin, not a magic 512 */
	ck_assert_int_le(p1, 42 * 5 / 4);
	ck_assert_int_le(p4, 135 * 5 / 4);
	ck_assert_int_le(hp_reflector_pages(), 51 * 5 / 4);
	/* jumbo frames need more than standard ones; 1518 fits the default room */
	ck_assert_int_gt(hp_probe_pages(j, 2), p1);
	ck_assert_int_eq(hp_probe_pages(m, 2), p1);
	ck_assert_int_lt(hp_probe_pages(lab, 1), p1);
	/* 8191 buffers of 2176 bytes of room: about 19.5 MB */
	ck_assert_uint_ge(hp_pool_bytes(8191, 2176), 8191ull * (2176 + 128));
	ck_assert_uint_le(hp_pool_bytes(8191, 2176), 8191ull * (2176 + 128) + (4u << 20));
}
END_TEST

START_TEST(test_raise_by)
{
	struct hp_counts c = { .nr = 0, .free = 0, .resv = 0 };

	ck_assert_int_eq(hp_raise_by(&c, 48, 0), 48);	/* fresh boot */
	c = (struct hp_counts){ .nr = 1024, .free = 1024 };
	ck_assert_int_eq(hp_raise_by(&c, 48, 0), 0);	/* reserved by hand: used */
	c = (struct hp_counts){ .nr = 100, .free = 30, .resv = 10 };
	ck_assert_int_eq(hp_raise_by(&c, 48, 0), 28);	/* promised pages are not free */
	c = (struct hp_counts){ .nr = 100, .free = 10, .resv = 20 };
	ck_assert_int_eq(hp_raise_by(&c, 48, 0), 48);
	/* pages another user raised for itself are its, even while free */
	c = (struct hp_counts){ .nr = 88, .free = 88 };
	ck_assert_int_eq(hp_raise_by(&c, 48, 88), 48);
	c = (struct hp_counts){ .nr = 1112, .free = 1100 };
	ck_assert_int_eq(hp_raise_by(&c, 48, 88), 0);
	ck_assert_int_eq(hp_raise_by(&c, 0, 0), 0);
}
END_TEST

START_TEST(test_give_back_to)
{
	struct hp_counts c = { .nr = 48, .free = 48 };

	ck_assert_int_eq(hp_give_back_to(&c, 48), 0);
	c = (struct hp_counts){ .nr = 1072, .free = 1072 };
	ck_assert_int_eq(hp_give_back_to(&c, 48), 1024);	/* only what was raised */
	c = (struct hp_counts){ .nr = 96, .free = 20 };
	ck_assert_int_eq(hp_give_back_to(&c, 48), 76);		/* never below what is in use */
	c = (struct hp_counts){ .nr = 100, .free = 60, .resv = 10 };
	ck_assert_int_eq(hp_give_back_to(&c, 48), 52);		/* nor below what is promised */
	c = (struct hp_counts){ .nr = 10, .free = 10 };
	ck_assert_int_eq(hp_give_back_to(&c, 48), 0);		/* never negative */
	c = (struct hp_counts){ .nr = 10, .free = 0 };
	ck_assert_int_eq(hp_give_back_to(&c, 48), 10);		/* never up */
}
END_TEST

/* A pool that hands out what is asked for, for the two-user scenarios. */
struct pool {
	long nr, used;
	long raised_total;	/* the ledger: raises of live users */
};

static long
pool_take(struct pool *p, long need, long use)
{
	struct hp_counts c = { .nr = p->nr, .free = p->nr - p->used };
	long add = hp_raise_by(&c, need, p->raised_total);

	p->nr += add;
	p->raised_total += add;
	ck_assert_int_ge(p->nr - p->used, use);
	p->used += use;
	return add;
}

static void
pool_end(struct pool *p, long raised, long used)
{
	struct hp_counts c;

	p->used -= used;
	p->raised_total -= raised;
	c = (struct hp_counts){ .nr = p->nr, .free = p->nr - p->used };
	p->nr = hp_give_back_to(&c, raised);
}

START_TEST(test_two_users_either_order)
{
	long reflector_need = 2 * hp_reflector_pages(), prober_need = 48;
	int order;

	for (order = 0; order < 2; order++) {
		struct pool p = { 0, 0, 0 };
		long ra, rb;

		/* the lab's reflectors take 76 of theirs, the prober 42 of its */
		ra = pool_take(&p, reflector_need, 76);
		rb = pool_take(&p, prober_need, 42);
		ck_assert_int_eq(rb, prober_need);	/* not counting on the lab's spare */
		if (order == 0) {
			pool_end(&p, rb, 42);
			ck_assert_int_eq(p.nr, ra);
			pool_end(&p, ra, 76);
		} else {
			pool_end(&p, ra, 76);		/* the lab goes down under a running prober */
			ck_assert_int_ge(p.nr - p.used, 0);
			pool_end(&p, rb, 42);
		}
		ck_assert_int_eq(p.nr, 0);		/* back to the fresh-boot state */
	}
	{
		/* 1024 reserved by hand: nobody raises, nobody lowers */
		struct pool p = { 1024, 0, 0 };

		ck_assert_int_eq(pool_take(&p, reflector_need, 76), 0);
		ck_assert_int_eq(pool_take(&p, prober_need, 42), 0);
		pool_end(&p, 0, 42);
		pool_end(&p, 0, 76);
		ck_assert_int_eq(p.nr, 1024);
	}
}
END_TEST

START_TEST(test_entry_parse)
{
	struct hp_entry e;

	ck_assert_int_eq(hp_entry_parse("run 1234 48\n", &e), 0);
	ck_assert_str_eq(e.owner, "run");
	ck_assert_int_eq(e.pid, 1234);
	ck_assert_int_eq(e.raised, 48);
	ck_assert_int_eq(hp_entry_parse("lab 0 88", &e), 0);
	ck_assert_int_eq(hp_entry_parse("run 12", &e), -EINVAL);
	ck_assert_int_eq(hp_entry_parse("run 12 -3", &e), -EINVAL);
	ck_assert_int_eq(hp_entry_parse("run 12 4 extra", &e), -EINVAL);
	ck_assert_int_eq(hp_entry_parse("", &e), -EINVAL);
}
END_TEST

/* --- Against a fake sysfs directory --- */

static char fake[64];

static void
fake_put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fake, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static long
fake_get(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fake, name);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static void
fake_env(struct hp_env *env, long nr, long fr)
{
	char num[32];

	snprintf(fake, sizeof(fake), "/tmp/mp-hp-test.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(fake));
	setenv(HP_SYSFS_ENV, fake, 1);
	hp_env_default(env);
	unsetenv(HP_SYSFS_ENV);
	ck_assert_str_eq(env->sysfs, fake);
	snprintf(num, sizeof(num), "%ld\n", nr);
	fake_put("nr_hugepages", num);
	snprintf(num, sizeof(num), "%ld\n", fr);
	fake_put("free_hugepages", num);
	fake_put("resv_hugepages", "0\n");
}

static void
fake_done(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fake);
	ck_assert_int_eq(system(cmd), 0);
}

START_TEST(test_fake_enough_free)
{
	struct hp_env env;
	struct hp_lease l;
	char why[256], msg[256];

	fake_env(&env, 1024, 1024);
	ck_assert_int_eq(hp_provision(&env, "run", getpid(), 48, &l, why, sizeof(why)), 0);
	ck_assert_int_eq(l.raised, 0);
	ck_assert_int_eq(fake_get("nr_hugepages"), 1024);
	ck_assert_int_eq(access(env.ledger, F_OK), -1);		/* nothing to remember */
	ck_assert_int_eq(hp_release(&env, &l, 0, msg, sizeof(msg)), 0);
	ck_assert_int_eq(fake_get("nr_hugepages"), 1024);
	fake_done();
}
END_TEST

START_TEST(test_fake_kernel_finds_nothing)
{
	struct hp_env env;
	struct hp_lease l;
	char why[256];

	/* nr_hugepages takes the write, but free_hugepages never rises */
	fake_env(&env, 10, 10);
	ck_assert_int_eq(hp_provision(&env, "run", getpid(), 48, &l, why, sizeof(why)), -ENOMEM);
	ck_assert_ptr_nonnull(strstr(why, "asked the kernel for 38 more (nr_hugepages 10 -> 48), it found 0"));
	ck_assert_int_eq(l.raised, 0);				/* nothing left to give back */
	ck_assert_int_eq(access(env.ledger, F_OK), -1);		/* and nothing remembered */
	fake_done();
}
END_TEST

START_TEST(test_fake_raise_and_give_back)
{
	struct hp_env env;
	struct hp_lease l;
	char why[256], msg[256], path[128];

	/* a pool whose pages are all free: free_hugepages follows nr_hugepages */
	fake_env(&env, 10, 10);
	snprintf(path, sizeof(path), "%s/free_hugepages", fake);
	unlink(path);
	ck_assert_int_eq(symlink("nr_hugepages", path), 0);
	fake_put(".leases", "lab 0 5\n");
	/* 48 needed, 10 free of which 5 are the lab's: raise by 43 */
	ck_assert_int_eq(hp_provision(&env, "run", 4242, 48, &l, why, sizeof(why)), 0);
	ck_assert_int_eq(l.before, 10);
	ck_assert_int_eq(l.raised, 43);
	ck_assert_int_eq(fake_get("nr_hugepages"), 53);
	{
		char *text = NULL;
		size_t cap = 0;
		FILE *f = fopen(env.ledger, "r");

		ck_assert_ptr_nonnull(f);
		ck_assert_int_gt(getdelim(&text, &cap, '\0', f), 0);
		fclose(f);
		ck_assert_str_eq(text, "lab 0 5\nrun 4242 43\n");
		free(text);
	}
	ck_assert_int_eq(hp_release(&env, &l, 0, msg, sizeof(msg)), 0);
	ck_assert_int_eq(fake_get("nr_hugepages"), 10);
	fake_done();
}
END_TEST

START_TEST(test_fake_no_pages_dir)
{
	struct hp_env env;
	struct hp_lease l;
	char why[256], path[128];

	fake_env(&env, 0, 0);
	snprintf(path, sizeof(path), "%s/nr_hugepages", fake);
	unlink(path);
	ck_assert_int_eq(hp_provision(&env, "run", getpid(), 48, &l, why, sizeof(why)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(why, "no 2 MB hugepages"));
	fake_done();
}
END_TEST

START_TEST(test_fake_release)
{
	struct hp_env env;
	struct hp_lease l = { .owner = "run", .pid = 1, .need = 48, .before = 1024, .raised = 48 };
	char msg[256];

	fake_env(&env, 1072, 1072);
	fake_put(".leases", "lab 0 88\nrun 1 48\n");
	ck_assert_int_eq(hp_release(&env, &l, 0, msg, sizeof(msg)), 0);
	ck_assert_int_eq(fake_get("nr_hugepages"), 1024);
	ck_assert_int_eq(l.raised, 0);
	/* only its own line left the ledger */
	{
		char *text = NULL;
		size_t cap = 0;
		FILE *f = fopen(env.ledger, "r");

		ck_assert_ptr_nonnull(f);
		ck_assert_int_gt(getdelim(&text, &cap, '\0', f), 0);
		fclose(f);
		ck_assert_str_eq(text, "lab 0 88\n");
		free(text);
	}
	/* what `lab down` finds when the lab's state is lost */
	{
		struct hp_lease found;

		ck_assert_int_eq(hp_lease_find(&env, "lab", 0, &found), 0);
		ck_assert_str_eq(found.owner, "lab");
		ck_assert_int_eq(found.raised, 88);
		ck_assert_int_eq(hp_lease_find(&env, "run", 1, &found), -ENOENT);
	}
	fake_done();

	/* others still use pages: give back what can be, say what was left */
	fake_env(&env, 96, 20);
	l.raised = 48;
	ck_assert_int_eq(hp_release(&env, &l, 0, msg, sizeof(msg)), -EBUSY);
	ck_assert_int_eq(fake_get("nr_hugepages"), 76);
	ck_assert_ptr_nonnull(strstr(msg, "gave back 20 of the 48"));
	fake_done();
}
END_TEST

START_TEST(test_fake_killed_run_given_back)
{
	struct hp_env env;
	struct hp_lease l;
	char why[256];

	/* a run (pid 2^31-1: no such process) raised 48 and was killed */
	fake_env(&env, 48, 48);
	fake_put(".leases", "run 2147483647 48\nlab 0 0\n");
	ck_assert_int_eq(hp_provision(&env, "run", getpid(), 0, &l, why, sizeof(why)), 0);
	ck_assert_int_eq(fake_get("nr_hugepages"), 0);
	ck_assert_ptr_nonnull(strstr(why, "gave back 48 pages raised by run 2147483647"));
	fake_done();
}
END_TEST

START_TEST(test_fake_reclaim)
{
	struct hp_env env;
	char why[256];
	FILE *f;
	char line[64];

	/* lab down: a killed run's 48 go back, the live lab's 42 stay its own */
	fake_env(&env, 90, 90);
	fake_put(".leases", "run 2147483647 48\nlab 0 42\n");
	ck_assert_int_eq(hp_reclaim(&env, why, sizeof(why)), 1);
	ck_assert_int_eq(fake_get("nr_hugepages"), 42);
	ck_assert_ptr_nonnull(strstr(why, "gave back 48 pages raised by run 2147483647"));
	f = fopen(env.ledger, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
	ck_assert_str_eq(line, "lab 0 42\n");
	ck_assert_ptr_null(fgets(line, sizeof(line), f));
	fclose(f);
	/* nothing gone: nothing changes */
	ck_assert_int_eq(hp_reclaim(&env, why, sizeof(why)), 0);
	ck_assert_int_eq(fake_get("nr_hugepages"), 42);
	fake_done();
}
END_TEST

static Suite *
hugepages_suite(void)
{
	Suite *s = suite_create("hugepages");
	TCase *tc = tcase_create("hugepages");

	tcase_add_test(tc, test_sizing);
	tcase_add_test(tc, test_raise_by);
	tcase_add_test(tc, test_give_back_to);
	tcase_add_test(tc, test_two_users_either_order);
	tcase_add_test(tc, test_entry_parse);
	tcase_add_test(tc, test_fake_enough_free);
	tcase_add_test(tc, test_fake_kernel_finds_nothing);
	tcase_add_test(tc, test_fake_raise_and_give_back);
	tcase_add_test(tc, test_fake_no_pages_dir);
	tcase_add_test(tc, test_fake_release);
	tcase_add_test(tc, test_fake_killed_run_given_back);
	tcase_add_test(tc, test_fake_reclaim);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(hugepages_suite)
