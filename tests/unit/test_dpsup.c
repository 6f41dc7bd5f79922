/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * serve's detached dataplane as a process, with sleep standing in for it:
 * started detached (not our child: init's), the pid file names it with the
 * start time /proc gives, it is alive until stopped, a pid file naming a
 * process with another start time (a reused pid) is not alive, and a
 * missing or malformed pid file is said so.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dpsup.h"
#include "mp_test.h"

static unsigned long long
proc_start(pid_t pid)
{
	char cmd[128];
	unsigned long long v = 0;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "sed 's/.*) //' /proc/%d/stat | cut -d' ' -f20", (int)pid);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(fscanf(p, "%llu", &v), 1);
	pclose(p);
	return v;
}

START_TEST(test_start_stop)
{
	char dir[] = "/tmp/test_dpsup.XXXXXX", pidfile[64], log[64], cmd[96];
	char sleep_bin[] = "/bin/sleep", five[] = "5";
	char *argv[] = { sleep_bin, five, NULL };
	struct dpsup_id id, other;
	int i;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(pidfile, sizeof(pidfile), "%s/x.pid", dir);
	snprintf(log, sizeof(log), "%s/x.log", dir);
	ck_assert_int_eq(dpsup_read(pidfile, &id), -ENOENT);
	ck_assert_int_eq(dpsup_start(argv, "", log, pidfile, &id), 0);
	ck_assert_int_gt(id.pid, 1);
	ck_assert(dpsup_alive(&id));
	ck_assert_uint_eq(id.start, proc_start(id.pid));
	/* not our child: nothing to reap */
	ck_assert_int_eq(waitpid(id.pid, NULL, WNOHANG), -1);
	other = id;
	other.start++;
	ck_assert(!dpsup_alive(&other));
	ck_assert_int_eq(dpsup_stop(&id), 0);
	for (i = 0; i < 200 && dpsup_alive(&id); i++)
		usleep(10000);
	ck_assert(!dpsup_alive(&id));
	ck_assert_int_eq(dpsup_stop(&id), -ESRCH);
	/* a malformed pid file */
	FILE *f = fopen(pidfile, "w");

	ck_assert_ptr_nonnull(f);
	fputs("garbage\n", f);
	fclose(f);
	ck_assert_int_eq(dpsup_read(pidfile, &id), -EINVAL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *
dpsup_suite(void)
{
	Suite *s = suite_create("dpsup");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_start_stop);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(dpsup_suite)
