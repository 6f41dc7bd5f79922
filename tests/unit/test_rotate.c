/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rotation: the policy's decisions (size, UTC time boundaries, names,
 * retention by count and age), and on a temporary directory that lines are
 * never split between files, retention keeps the newest, a zero policy
 * truncates as a run always did, and a line that does not fit is cut back
 * and counted, with writing going on afterwards.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "mp_test.h"
#include "rotate.h"

#define T0	UINT64_C(1796409000)	/* 2026-12-04T18:30:00Z */

START_TEST(test_due)
{
	struct rot_policy p = { .max_bytes = 1000 };

	ck_assert(!rot_due(&p, 0, 5000, T0, T0));	/* an empty file takes any line */
	ck_assert(!rot_due(&p, 900, 100, T0, T0));
	ck_assert(rot_due(&p, 900, 101, T0, T0));
	p = (struct rot_policy){ .max_age_s = 3600 };
	ck_assert(!rot_due(&p, 10, 10, T0, T0 + 1799));
	ck_assert(rot_due(&p, 10, 10, T0, T0 + 1800));	/* 19:00:00, the hour's boundary */
	ck_assert(!rot_due(&p, 0, 10, T0, T0 + 7200));
	p = (struct rot_policy){ 0 };
	ck_assert(!rot_enabled(&p));
	ck_assert(!rot_due(&p, UINT64_MAX / 2, 10, 0, T0));
}
END_TEST

START_TEST(test_stamp)
{
	char s[ROT_STAMP_LEN], f[128];
	uint64_t t;

	rot_stamp(s, sizeof(s), T0, 0);
	ck_assert_str_eq(s, "20261204T183000Z");
	rot_stamp(s, sizeof(s), T0 + 61, 3);
	ck_assert_str_eq(s, "20261204T183101Z-3");
	snprintf(f, sizeof(f), "events.jsonl.%s", s);
	ck_assert_int_eq(rot_stamp_parse(f, "events.jsonl", &t), 0);
	ck_assert_uint_eq(t, T0 + 61);
	ck_assert_int_eq(rot_stamp_parse("events.jsonl.20261204T183000Z", "events.jsonl", &t), 0);
	ck_assert_uint_eq(t, T0);
	ck_assert_int_eq(rot_stamp_parse("events.jsonl", "events.jsonl", &t), -1);
	ck_assert_int_eq(rot_stamp_parse("intervals.jsonl.20261204T183000Z", "events.jsonl", &t), -1);
	ck_assert_int_eq(rot_stamp_parse("events.jsonl.20261204T183000Z-", "events.jsonl", &t), -1);
	ck_assert_int_eq(rot_stamp_parse("events.jsonl.20261204T183000Z.gz", "events.jsonl", &t), -1);
	ck_assert_int_eq(rot_stamp_parse("events.jsonl.2026", "events.jsonl", &t), -1);
}
END_TEST

START_TEST(test_prune_pick)
{
	struct rot_policy p = { .keep_files = 2 };
	uint64_t t[5] = { T0 + 40, T0, T0 + 20, T0 + 30, T0 + 10 };
	bool del[5];

	ck_assert_uint_eq(rot_prune_pick(&p, t, 5, T0 + 50, del), 3);
	ck_assert(!del[0] && del[1] && del[2] && !del[3] && del[4]);
	p = (struct rot_policy){ .keep_age_s = 25 };
	ck_assert_uint_eq(rot_prune_pick(&p, t, 5, T0 + 50, del), 3);
	ck_assert(!del[0] && del[1] && del[2] && !del[3] && del[4]);
	p = (struct rot_policy){ .keep_files = 10, .keep_age_s = 1000 };
	ck_assert_uint_eq(rot_prune_pick(&p, t, 5, T0 + 50, del), 0);
	/* equal stamps (-1, -2 suffixes): a bound of one keeps exactly one */
	t[0] = t[1] = t[2] = t[3] = t[4] = T0;
	p = (struct rot_policy){ .keep_files = 1 };
	ck_assert_uint_eq(rot_prune_pick(&p, t, 5, T0, del), 4);
}
END_TEST

static char dir[64];

static void
mkdir_tmp(void)
{
	snprintf(dir, sizeof(dir), "/tmp/test_rotate.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
rm_tmp(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* Files of dir starting with prefix, and the lines in all of them; each line whole. */
static unsigned int
count_files(const char *prefix, unsigned int *lines)
{
	char path[256], buf[4096];
	unsigned int n = 0;
	struct dirent *de;
	DIR *d = opendir(dir);
	FILE *f;

	*lines = 0;
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		n++;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		ck_assert_ptr_nonnull(f);
		while (fgets(buf, sizeof(buf), f) != NULL) {
			ck_assert_msg(buf[0] == '{' && strchr(buf, '\n') != NULL &&
				      buf[strlen(buf) - 2] == '}', "a split line in %s: %s",
				      de->d_name, buf);
			(*lines)++;
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

START_TEST(test_files)
{
	struct rot_policy p = { .max_bytes = 1000, .keep_files = 3 };
	struct rot_file f;
	char line[200];
	unsigned int i, lines, n;
	uint64_t s = 7;

	mkdir_tmp();
	ck_assert_int_eq(rot_open(&f, dir, "x.jsonl", &p, T0), 0);
	for (i = 0; i < 100; i++) {
		size_t len = rnd_range(&s, 10, 190);

		memset(line, 'a', len);
		line[0] = '{';
		line[len - 1] = '}';
		/* a new second every 10 lines: stamps collide within one, and get -N */
		ck_assert_int_eq(rot_put(&f, line, len, T0 + i / 10), 0);
	}
	ck_assert_uint_gt(f.rotations, 5);
	ck_assert_uint_eq(f.pruned, f.rotations - 3);
	rot_close(&f);
	n = count_files("x.jsonl", &lines);
	ck_assert_uint_eq(n, 4);		/* the current one and three rotated */
	ck_assert_uint_lt(lines, 100);
	/* reopened with rotation on: appended to, not truncated */
	ck_assert_int_eq(rot_open(&f, dir, "x.jsonl", &p, T0 + 20), 0);
	ck_assert_uint_gt(f.size, 0);
	rot_close(&f);
	/* a zero policy: truncated, as a run's files always were */
	p = (struct rot_policy){ 0 };
	ck_assert_int_eq(rot_open(&f, dir, "x.jsonl", &p, T0 + 20), 0);
	ck_assert_uint_eq(f.size, 0);
	for (i = 0; i < 50; i++)
		ck_assert_int_eq(rot_put(&f, "{}", 2, T0 + 100000 + i * 3600), 0);
	ck_assert_uint_eq(f.rotations, 0);
	rot_close(&f);
	rm_tmp();
}
END_TEST

/* A full file system: a small tmpfs when we may mount one (root), else skipped. */
START_TEST(test_full)
{
	struct rot_policy p = { .max_bytes = 1 << 20 };
	struct rot_file f;
	char line[3000], cmd[160];
	unsigned int lines, i;
	uint64_t ok = 0;

	mkdir_tmp();
	if (mount("tmpfs", dir, "tmpfs", 0, "size=64k") != 0) {
		fprintf(stderr, "test_full: skipped: cannot mount a tmpfs (%s)\n", strerror(errno));
		rm_tmp();
		return;
	}
	memset(line, 'b', sizeof(line));
	line[0] = '{';
	line[sizeof(line) - 1] = '}';
	ck_assert_int_eq(rot_open(&f, dir, "y.jsonl", &p, T0), 0);
	for (i = 0; i < 40; i++)
		ok += rot_put(&f, line, sizeof(line), T0) == 0;
	ck_assert_uint_lt(ok, 40);
	ck_assert_uint_eq(f.lines_lost, 40 - ok);
	ck_assert_uint_eq(f.bytes_lost, (40 - ok) * (sizeof(line) + 1));
	ck_assert_int_eq(f.err, ENOSPC);
	/* every line on disk whole, the failed ones cut back */
	count_files("y.jsonl", &lines);
	ck_assert_uint_eq(lines, ok);
	/* space returns: writing resumes */
	snprintf(cmd, sizeof(cmd), "mount -o remount,size=256k %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(rot_put(&f, line, sizeof(line), T0), 0);
	ck_assert_int_eq(f.err, 0);
	rot_close(&f);
	count_files("y.jsonl", &lines);
	ck_assert_uint_eq(lines, ok + 1);
	ck_assert_int_eq(umount(dir), 0);
	rm_tmp();
}
END_TEST

static Suite *
rotate_suite(void)
{
	Suite *s = suite_create("rotate");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_due);
	tcase_add_test(tc, test_stamp);
	tcase_add_test(tc, test_prune_pick);
	tcase_add_test(tc, test_files);
	tcase_add_test(tc, test_full);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(rotate_suite)
