/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * serve's long-running dataplane as a process (dpsup.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dpsup.h"
#include "netns.h"

/* Field 22 (starttime) and the state of /proc/PID/stat. 0 or -errno. */
static int
dpsup_stat(pid_t pid, uint64_t *start, char *state)
{
	char path[64], buf[1024], *p;
	unsigned long long st;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -errno;
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	/* the command may hold spaces and parentheses: fields count from the last ')' */
	if (p == NULL || (p = strrchr(buf, ')')) == NULL || sscanf(p + 2, "%c", state) != 1)
		return -EINVAL;
	for (i = 3; i <= 22 && p != NULL; i++)
		p = strchr(p + 1, ' ');
	if (p == NULL || sscanf(p + 1, "%llu", &st) != 1)
		return -EINVAL;
	*start = st;
	return 0;
}

int
dpsup_parse(const char *text, struct dpsup_id *id)
{
	unsigned long long pid, start;
	char *end;

	id->pid = 0;
	id->start = 0;
	errno = 0;
	pid = strtoull(text, &end, 10);
	if (end == text || *end != ' ' || errno != 0 || pid <= 1 || pid > 0x7fffffff)
		return -EINVAL;
	text = end + 1;
	start = strtoull(text, &end, 10);
	if (end == text || errno != 0 || (*end != '\n' && *end != '\0'))
		return -EINVAL;
	id->pid = (pid_t)pid;
	id->start = start;
	return 0;
}

int
dpsup_read(const char *pidfile, struct dpsup_id *id)
{
	char buf[64];
	FILE *f = fopen(pidfile, "r");
	size_t n;

	id->pid = 0;
	id->start = 0;
	if (f == NULL)
		return -errno;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return dpsup_parse(buf, id);
}

bool
dpsup_alive(const struct dpsup_id *id)
{
	uint64_t start;
	char state;

	if (id->pid <= 1 || dpsup_stat(id->pid, &start, &state) != 0)
		return false;
	return state != 'Z' && state != 'X' && start == id->start;
}

/* Our own pid and start time into the pid file, atomically. 0 or -errno. */
static int
dpsup_write_self(const char *pidfile)
{
	char tmp[PATH_MAX + 8];
	uint64_t start;
	char state;
	FILE *f;

	if (dpsup_stat(getpid(), &start, &state) != 0)
		return -EINVAL;
	snprintf(tmp, sizeof(tmp), "%s.tmp", pidfile);
	f = fopen(tmp, "w");
	if (f == NULL)
		return -errno;
	fprintf(f, "%d %llu\n", (int)getpid(), (unsigned long long)start);
	if (fclose(f) != 0 || rename(tmp, pidfile) != 0)
		return -errno;
	return 0;
}

int
dpsup_exec(char *const argv[], const char *netns, const char *pidfile)
{
	int rc;

	if ((rc = dpsup_write_self(pidfile)) != 0)
		return rc;
	if (netns[0] != '\0' && (rc = mp_netns_enter(netns)) != 0)
		return rc;
	execv(argv[0], argv);
	return -errno;
}

/* The grandchild: a session of its own, the log, the pid file, the dataplane. */
static void
dpsup_child(char *const argv[], const char *netns, const char *log_path, const char *pidfile)
{
	int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644), rc;
	sigset_t none;

	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		dup2(fd, 0);
	/* nothing of control's: its locks, its listening sockets, its signal mask */
	close_range(3, ~0u, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	rc = dpsup_exec(argv, netns, pidfile);
	fprintf(stderr, "metroprobe: cannot start %s: %s\n", argv[0], strerror(-rc));
	_exit(127);
}

int
dpsup_start(char *const argv[], const char *netns, const char *log_path, const char *pidfile,
	    struct dpsup_id *id)
{
	pid_t pid;
	int st, i;

	unlink(pidfile);
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		/* a session of its own, then fork again: init adopts the dataplane */
		setsid();
		if (fork() == 0)
			dpsup_child(argv, netns, log_path, pidfile);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	/* the grandchild writes the pid file before exec: a few ms */
	for (i = 0; i < 200; i++) {
		if (dpsup_read(pidfile, id) == 0)
			return 0;
		usleep(10000);
	}
	return -ETIMEDOUT;
}

int
dpsup_stop(const struct dpsup_id *id)
{
	if (!dpsup_alive(id))
		return -ESRCH;
	return kill(id->pid, SIGTERM) == 0 ? 0 : -errno;
}
