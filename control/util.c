/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <math.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "util.h"

static int
is_exec(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISREG(st.st_mode) && access(p, X_OK) == 0;
}

int
mp_find_binary(const char *name, char *out, size_t len)
{
	char env[64] = "METROPROBE_";
	char self[PATH_MAX], dir[PATH_MAX], cand[PATH_MAX];
	const char *suffix = strchr(name, '-');
	const char *v, *path;
	ssize_t n;
	size_t i, k = strlen(env);

	/* metroprobe-dp -> METROPROBE_DP, metroprobe-xdp -> METROPROBE_XDP */
	for (i = 0; suffix != NULL && suffix[i + 1] != '\0' && k < sizeof(env) - 1; i++)
		env[k++] = (char)toupper((unsigned char)(suffix[i + 1] == '-' ? '_' : suffix[i + 1]));
	env[k] = '\0';
	v = suffix != NULL ? getenv(env) : NULL;
	if (v != NULL && *v != '\0') {
		if (!is_exec(v))
			return -ENOENT;
		snprintf(out, len, "%s", v);
		return 0;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		const char *rel[] = { "", "../dataplane/dp/", "../dataplane/xdp/" };
		char *slash;

		self[n] = '\0';
		snprintf(dir, sizeof(dir), "%s", self);
		slash = strrchr(dir, '/');
		if (slash != NULL)
			*slash = '\0';
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(cand, sizeof(cand), "%s/%s%s", dir, rel[i], name);
			if (is_exec(cand) && realpath(cand, out) != NULL &&
			    strlen(out) < len)
				return 0;
		}
	}
	path = getenv("PATH");
	while (path != NULL && *path != '\0') {
		const char *colon = strchr(path, ':');
		size_t l = colon != NULL ? (size_t)(colon - path) : strlen(path);

		snprintf(cand, sizeof(cand), "%.*s/%s", (int)l, path, name);
		if (l > 0 && is_exec(cand)) {
			snprintf(out, len, "%s", cand);
			return 0;
		}
		path = colon != NULL ? colon + 1 : NULL;
	}
	return -ENOENT;
}

int
mp_write_file(const char *path, const char *data, size_t len)
{
	char tmp[PATH_MAX];
	int fd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid()) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	while (len > 0) {
		ssize_t w = write(fd, data, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		data += w;
		len -= (size_t)w;
	}
	if (close(fd) != 0 && rc == 0)
		rc = -errno;
	if (rc == 0 && rename(tmp, path) != 0)
		rc = -errno;
	if (rc != 0)
		unlink(tmp);
	return rc;
}

char *
mp_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		size_t r;

		if (cap - n < 4096) {
			char *nb = realloc(buf, cap ? cap * 2 : 8192);

			if (nb == NULL) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap = cap ? cap * 2 : 8192;
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

int
mp_mkdir_p(const char *path, mode_t mode)
{
	char p[PATH_MAX];
	size_t i;

	if (snprintf(p, sizeof(p), "%s", path) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	for (i = 1; p[i] != '\0'; i++) {
		if (p[i] != '/')
			continue;
		p[i] = '\0';
		if (mkdir(p, mode) != 0 && errno != EEXIST)
			return -errno;
		p[i] = '/';
	}
	if (mkdir(p, mode) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

unsigned long long
mp_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

unsigned long long
mp_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

/* v (finite) in buf as fixed point: at most decimals places, no trailing zeros, no "-0". */
static void
mp_fixed(char *buf, size_t len, double v, int decimals)
{
	size_t n;

	snprintf(buf, len, "%.*f", decimals, v);
	n = strlen(buf);
	if (strchr(buf, '.') != NULL) {
		while (buf[n - 1] == '0')
			buf[--n] = '\0';
		if (buf[n - 1] == '.')
			buf[--n] = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
}

void
mp_json_add_fixed(cJSON *o, const char *key, double v, int decimals)
{
	char buf[400];

	if (isnan(v) || isinf(v)) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	mp_fixed(buf, sizeof(buf), v, decimals);
	cJSON_AddRawToObject(o, key, buf);
}

static void
mp_json_fixed_tree(cJSON *o)
{
	char buf[400];
	cJSON *it;
	double v;

	for (it = o != NULL ? o->child : NULL; it != NULL; it = it->next) {
		if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
			mp_json_fixed_tree(it);
			continue;
		}
		v = it->valuedouble;
		if (!cJSON_IsNumber(it) || isnan(v) || isinf(v) || v == floor(v))
			continue;	/* cJSON prints NaN as null, integers in full */
		mp_fixed(buf, sizeof(buf), v, 9);
		it->type = cJSON_Raw;
		it->valuestring = strdup(buf);
		if (it->valuestring == NULL)
			it->type = cJSON_Number;
	}
}

char *
mp_json_print_fixed(const cJSON *o)
{
	cJSON *c = cJSON_Duplicate(o, 1);
	char *s;

	if (c == NULL)
		return NULL;
	mp_json_fixed_tree(c);
	s = cJSON_Print(c);
	cJSON_Delete(c);
	return s;
}

void
mp_utc_iso(char *buf, size_t len, unsigned long long unix_ns, int ms)
{
	time_t t = (time_t)(unix_ns / 1000000000ull);
	struct tm tm;
	size_t n;

	gmtime_r(&t, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	if (ms)
		snprintf(buf + n, len - n, ".%03lluZ", unix_ns % 1000000000ull / 1000000);
	else
		snprintf(buf + n, len - n, "Z");
}
