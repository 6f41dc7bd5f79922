/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rotating JSON-lines files (see rotate.h): the policy's decisions, then
 * the file operations.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "rotate.h"

bool
rot_enabled(const struct rot_policy *p)
{
	return p->max_bytes != 0 || p->max_age_s != 0;
}

bool
rot_due(const struct rot_policy *p, uint64_t size, uint64_t add, uint64_t opened_s,
	uint64_t now_s)
{
	if (size == 0)
		return false;
	if (p->max_bytes != 0 && size + add > p->max_bytes)
		return true;
	/* on the boundaries of UTC time (each hour on the hour), not an hour after a restart */
	return p->max_age_s != 0 && now_s / p->max_age_s != opened_s / p->max_age_s;
}

void
rot_stamp(char *buf, size_t len, uint64_t unix_s, unsigned int n)
{
	time_t t = (time_t)unix_s;
	struct tm tm;
	size_t k;

	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	k = strftime(buf, len, "%Y%m%dT%H%M%SZ", &tm);
	if (n > 0 && k < len)
		snprintf(buf + k, len - k, "-%u", n);
}

int
rot_stamp_parse(const char *file, const char *name, uint64_t *unix_s)
{
	size_t nl = strlen(name);
	struct tm tm = { 0 };
	const char *s, *end;

	if (strncmp(file, name, nl) != 0 || file[nl] != '.')
		return -1;
	s = file + nl + 1;
	end = strptime(s, "%Y%m%dT%H%M%SZ", &tm);
	if (end == NULL || end - s != 16)
		return -1;
	if (*end == '-') {
		for (end++; *end >= '0' && *end <= '9'; end++)
			;
		if (end[-1] == '-')
			return -1;
	}
	if (*end != '\0' || tm.tm_year < 70)
		return -1;
	*unix_s = (uint64_t)timegm(&tm);
	return 0;
}

unsigned int
rot_prune_pick(const struct rot_policy *p, const uint64_t *t, unsigned int n, uint64_t now_s,
	       bool *del)
{
	unsigned int i, j, newer, picked = 0;

	for (i = 0; i < n; i++) {
		/* files newer than this one (ties: the later index is newer) */
		for (newer = 0, j = 0; j < n; j++)
			newer += t[j] > t[i] || (t[j] == t[i] && j > i);
		del[i] = (p->keep_files != 0 && newer >= p->keep_files) ||
			 (p->keep_age_s != 0 && now_s > t[i] && now_s - t[i] > p->keep_age_s);
		picked += del[i];
	}
	return picked;
}

/* --- Files --- */

int
rot_open(struct rot_file *f, const char *dir, const char *name, const struct rot_policy *p,
	 uint64_t now_s)
{
	char path[PATH_MAX + 80];
	/* appended to always: a line cut back (ftruncate) must not leave a hole */
	int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC;
	struct stat st;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s", dir);
	snprintf(f->name, sizeof(f->name), "%s", name);
	f->p = *p;
	flags |= rot_enabled(p) || p->append ? 0 : O_TRUNC;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f->fd = open(path, flags, 0644);
	if (f->fd < 0)
		return -errno;
	if (rot_enabled(p) && fstat(f->fd, &st) == 0)
		f->size = (uint64_t)st.st_size;
	f->opened_s = now_s;
	return 0;
}

/* Delete the rotated files the retention bound no longer keeps. */
static void
rot_prune(struct rot_file *f, uint64_t now_s)
{
	static char names[ROT_PRUNE_MAX][64 + ROT_STAMP_LEN];
	static uint64_t t[ROT_PRUNE_MAX];
	static bool del[ROT_PRUNE_MAX];
	char path[PATH_MAX + 128];
	unsigned int n = 0, i;
	struct dirent *de;
	DIR *d;

	if (f->p.keep_files == 0 && f->p.keep_age_s == 0)
		return;
	d = opendir(f->dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL && n < ROT_PRUNE_MAX)
		if (strlen(de->d_name) < sizeof(names[0]) &&
		    rot_stamp_parse(de->d_name, f->name, &t[n]) == 0)
			snprintf(names[n++], sizeof(names[0]), "%s", de->d_name);
	closedir(d);
	rot_prune_pick(&f->p, t, n, now_s, del);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", f->dir, names[i]);
		if (del[i] && unlink(path) == 0)
			f->pruned++;
	}
}

int
rot_rotate(struct rot_file *f, uint64_t now_s)
{
	char from[PATH_MAX + 80], to[PATH_MAX + 128], stamp[ROT_STAMP_LEN];
	unsigned int n;
	int fd;

	snprintf(from, sizeof(from), "%s/%s", f->dir, f->name);
	for (n = 0; n < 100; n++) {
		rot_stamp(stamp, sizeof(stamp), now_s, n);
		snprintf(to, sizeof(to), "%s.%s", from, stamp);
		if (access(to, F_OK) != 0)
			break;
	}
	/* the new file first: when it cannot be made, the old one goes on */
	if (rename(from, to) != 0)
		return -errno;
	fd = open(from, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;

		rename(to, from);
		return -e;
	}
	close(f->fd);
	f->fd = fd;
	f->size = 0;
	f->opened_s = now_s;
	f->rotations++;
	rot_prune(f, now_s);
	return 0;
}

int
rot_put(struct rot_file *f, const char *line, size_t len, uint64_t now_s)
{
	struct iovec iov[2] = {
		{ .iov_base = (void *)line, .iov_len = len },
		{ .iov_base = (void *)"\n", .iov_len = 1 },
	};
	ssize_t n;

	if (f->fd < 0)
		return -EBADF;
	if (rot_due(&f->p, f->size, len + 1, f->opened_s, now_s))
		rot_rotate(f, now_s);	/* failed: this file goes on a while longer */
	n = writev(f->fd, iov, 2);
	if (n == (ssize_t)(len + 1)) {
		f->size += (uint64_t)n;
		f->lines++;
		f->err = 0;
		return 0;
	}
	f->err = n < 0 ? errno : ENOSPC;
	/* no half line left for a reader, nor for the next line to follow */
	if (n > 0 && ftruncate(f->fd, (off_t)f->size) != 0)
		f->size += (uint64_t)n;
	f->lines_lost++;
	f->bytes_lost += len + 1;
	return -f->err;
}

void
rot_close(struct rot_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	f->fd = -1;
}
