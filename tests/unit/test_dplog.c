/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Why the dataplane failed, from its log (control/dplog.c): the real cause
 * EAL gave, not the errno it ended with, and what to do.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dplog.h"
#include "mp_test.h"

/* What metroprobe-dp wrote with nr_hugepages at 0 (before this change). */
static const char log_no_pages[] =
	"EAL: Detected CPU lcores: 2\n"
	"EAL: Detected NUMA nodes: 1\n"
	"EAL: No free 2048 kB hugepages reported on node 0\n"
	"EAL: No free 1048576 kB hugepages reported on node 0\n"
	"EAL: FATAL: Cannot get hugepage information.\n"
	"EAL: Cannot get hugepage information.\n"
	"metroprobe-dp: EAL init failed: Permission denied\n";

START_TEST(test_no_pages)
{
	char out[768];

	ck_assert_int_eq(dplog_cause(log_no_pages, 48, out, sizeof(out)), 0);
	ck_assert_ptr_eq(strstr(out, "no free hugepages"), out);	/* the cause comes first */
	ck_assert_ptr_nonnull(strstr(out, "48 pages of 2 MB"));
	ck_assert_ptr_nonnull(strstr(out, "No free 2048 kB hugepages reported on node 0"));
	ck_assert_ptr_nonnull(strstr(out, "\"hugepages\": false"));
	ck_assert_ptr_null(strstr(out, "Permission denied"));
	/* without a count the sentence still reads */
	ck_assert_int_eq(dplog_cause(log_no_pages, 0, out, sizeof(out)), 0);
	ck_assert_ptr_null(strstr(out, "pages of 2 MB"));
}
END_TEST

START_TEST(test_out_of_memory)
{
	char out[768];

	ck_assert_int_eq(dplog_cause("EAL: Detected CPU lcores: 2\n"
				     "metroprobe-dp: port 0: cannot create a pool of 8191 mbufs: "
				     "Cannot allocate memory\n", 48, out, sizeof(out)), 0);
	ck_assert_ptr_eq(strstr(out, "the dataplane ran out of memory"), out);
	ck_assert_ptr_nonnull(strstr(out, "cannot create a pool of 8191 mbufs"));
}
END_TEST

START_TEST(test_permission_and_other)
{
	char out[768];

	ck_assert_int_eq(dplog_cause("EAL: Cannot create lock on '/var/run/dpdk/x/config'. "
				     "Is another primary process running?\n", 0, out, sizeof(out)), 0);
	ck_assert_ptr_nonnull(strstr(out, "refused access"));
	ck_assert_int_eq(dplog_cause("EAL: Detected CPU lcores: 2\n"
				     "metroprobe: cannot enter netns mp-onprem: No such file or directory\n"
				     "metroprobe-dp: link a: no such port\n", 0, out, sizeof(out)), 0);
	ck_assert_str_eq(out, "metroprobe-dp: link a: no such port");
	/* nothing recognisable: nothing said */
	ck_assert_int_eq(dplog_cause("EAL: Detected CPU lcores: 2\n", 0, out, sizeof(out)), -1);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(dplog_cause(NULL, 0, out, sizeof(out)), -1);
	ck_assert_int_eq(dplog_cause("", 0, out, sizeof(out)), -1);
}
END_TEST

static Suite *
dplog_suite(void)
{
	Suite *s = suite_create("dplog");
	TCase *tc = tcase_create("dplog");

	tcase_add_test(tc, test_no_pages);
	tcase_add_test(tc, test_out_of_memory);
	tcase_add_test(tc, test_permission_and_other);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(dplog_suite)
