/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The resume point of a restarted control (see resume.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "resume.h"

/* Take id as the last written if it is the highest seen. */
static void
resume_take(struct resume_point *p, const struct mp_recid *id)
{
	if (!p->known || mp_recid_cmp(id, &p->last) > 0) {
		p->last = *id;
		p->known = true;
	}
}

/* The last numbered line of buf[0..n) (whole lines only): 0 with *id, or -ENOENT. */
static int
resume_last_numbered(char *buf, size_t n, struct mp_recid *id)
{
	size_t end = n;

	while (end > 0) {
		size_t start = end - 1;
		cJSON *o;
		int rc;

		while (start > 0 && buf[start - 1] != '\n')
			start--;
		o = cJSON_ParseWithLength(buf + start, end - start);
		rc = o != NULL ? mp_recid_from_json(o, id) : -ENOENT;
		cJSON_Delete(o);
		if (rc == 0)
			return 0;
		end = start > 0 ? start - 1 : 0;
	}
	return -ENOENT;
}

/* A live file whose last line is cut short: cut it off at keep bytes, and say so. */
static int
resume_truncate(int fd, const char *path, off_t size, off_t keep, struct resume_point *p,
		FILE *log)
{
	if (ftruncate(fd, keep) != 0)
		return -errno;
	p->truncated += (uint64_t)(size - keep);
	if (log != NULL)
		fprintf(log, "metroprobe: %s: its last line was cut short (%lld bytes, a control "
			"stopped while writing it): removed; that record comes again\n", path,
			(long long)(size - keep));
	return 0;
}

/* Read the last n bytes of fd (at most RESUME_TAIL_MAX) into a new buffer. */
static char *
resume_tail(int fd, off_t size, size_t *n)
{
	size_t want = size > (off_t)RESUME_TAIL_MAX ? RESUME_TAIL_MAX : (size_t)size;
	char *buf = malloc(want + 1);
	size_t got = 0;

	if (buf == NULL)
		return NULL;
	while (got < want) {
		ssize_t r = pread(fd, buf + got, want - got, size - (off_t)want + (off_t)got);

		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			free(buf);
			return NULL;
		}
		got += (size_t)r;
	}
	*n = got;
	return buf;
}

int
resume_scan_file(const char *path, bool live, struct resume_point *p, FILE *log)
{
	int fd = open(path, (live ? O_RDWR : O_RDONLY) | O_CLOEXEC), rc = 0;
	struct mp_recid id;
	struct stat st = { 0 };
	size_t n, whole;
	char *buf;

	if (fd < 0)
		return errno == ENOENT ? -ENOENT : -errno;
	if (fstat(fd, &st) != 0 || st.st_size == 0) {
		rc = st.st_size == 0 ? -ENOENT : -EIO;
		close(fd);
		return rc;
	}
	buf = resume_tail(fd, st.st_size, &n);
	if (buf == NULL) {
		close(fd);
		return -EIO;
	}
	for (whole = n; whole > 0 && buf[whole - 1] != '\n'; whole--)
		;
	if (whole < n && live)
		rc = resume_truncate(fd, path, st.st_size, st.st_size - (off_t)(n - whole), p, log);
	close(fd);
	if (rc == 0)
		rc = resume_last_numbered(buf, whole, &id);
	if (rc == 0)
		resume_take(p, &id);
	free(buf);
	return rc;
}

/* The newest rotated file of name in dir (NAME.<UTC time>, the greatest suffix), or -ENOENT. */
static int
resume_rotated(const char *dir, const char *name, char *out, size_t len)
{
	size_t nl = strlen(name);
	char best[NAME_MAX + 1] = "";
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return -errno;
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, name, nl) != 0 || de->d_name[nl] != '.' ||
		    de->d_name[nl + 1] == '\0')
			continue;
		if (strcmp(de->d_name, best) > 0)
			snprintf(best, sizeof(best), "%s", de->d_name);
	}
	closedir(d);
	if (best[0] == '\0')
		return -ENOENT;
	snprintf(out, len, "%s/%s", dir, best);
	return 0;
}

int
resume_scan(const char *dir, struct resume_point *p, FILE *log)
{
	static const char *const names[] = { "intervals.jsonl", "events.jsonl", "paths.jsonl" };
	char path[PATH_MAX];
	unsigned i;
	int rc;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		rc = resume_scan_file(path, true, p, log);
		if (rc == -ENOENT && resume_rotated(dir, names[i], path, sizeof(path)) == 0)
			rc = resume_scan_file(path, false, p, log);
		if (rc != 0 && rc != -ENOENT)
			return rc;
	}
	return 0;
}

int
resume_line(const struct resume_point *p, char *buf, size_t len)
{
	struct mp_resume r = {
		.has_instance = p->known, .instance = p->last.instance, .after = p->last.rec,
	};

	return mp_resume_format(&r, buf, len);
}

bool
resume_seen(struct resume_point *p, const struct mp_recid *id)
{
	if (id->rec == 0)
		return false;
	if (p->known && id->instance == p->last.instance && id->rec <= p->last.rec) {
		p->duplicates++;
		return true;
	}
	resume_take(p, id);
	return false;
}
