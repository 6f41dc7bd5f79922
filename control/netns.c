/* SPDX-License-Identifier: BSD-3-Clause */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns.h"

static void
netns_path(const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", MP_NETNS_DIR, name);
}

bool
mp_netns_exists(const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	netns_path(name, path, sizeof(path));
	return lstat(path, &st) == 0;
}

int
mp_netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, rc = 0;

	netns_path(name, path, sizeof(path));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) != 0)
		rc = -errno;
	close(fd);
	return rc;
}
