/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * `metroprobe hugepages`: the pool of 2 MB pages as control sees it, and
 * `metroprobe hugepages --pages N -- CMD...`, which makes N pages free
 * (reserving them as root, see hugepages.h), runs CMD, and gives back what
 * it reserved when CMD ends. For whatever starts metroprobe-dp by hand
 * (the benchmarks) instead of through `metroprobe run`.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hugepages.h"
#include "hugepages_cmd.h"

static volatile sig_atomic_t hpc_child;

static void
hpc_forward(int sig)
{
	if (hpc_child > 0)
		kill(hpc_child, sig);
}

static void
hpc_usage(FILE *f)
{
	fprintf(f,
		"usage: metroprobe hugepages                       show the 2 MB page pool\n"
		"       metroprobe hugepages --pages N -- CMD ARGS...\n"
		"Makes N pages of 2 MB free (as root, raising nr_hugepages by what is missing),\n"
		"runs CMD, and gives back what it raised when CMD ends. Exit: CMD's status,\n"
		"1 when the pages cannot be had, 2 usage.\n");
}

static int
hpc_status(const struct hp_env *env)
{
	struct hp_counts c;
	FILE *f;
	char line[128];
	int rc = hp_read(env, &c);

	if (rc != 0) {
		fprintf(stderr, "metroprobe hugepages: %s: %s\n", env->sysfs, strerror(-rc));
		return 1;
	}
	printf("2 MB pages: nr_hugepages %ld, free %ld, reserved %ld, in use %ld\n", c.nr, c.free,
	       c.resv, c.nr - c.free);
	printf("needed by metroprobe-dp: probe (two links, one queue) %ld, reflect %ld\n",
	       hp_probe_pages((const struct hp_link_shape[]){ { 128, 1 }, { 128, 1 } }, 2),
	       hp_reflector_pages());
	f = fopen(env->ledger, "r");
	if (f == NULL) {
		printf("raised by metroprobe: nothing\n");
		return 0;
	}
	printf("raised by metroprobe (owner pid pages):\n");
	while (fgets(line, sizeof(line), f) != NULL)
		printf("  %s", line);
	fclose(f);
	return 0;
}

/* --pages N into *pages (-1 without). -1 to go on, else the exit code (help, usage). */
static int
hpc_parse(int argc, char **argv, long *pages)
{
	static const struct option opts[] = {
		{ "pages", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	int c;

	*pages = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			errno = 0;
			*pages = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 || *pages < 0 ||
			    *pages > 1000000) {
				fprintf(stderr, "metroprobe hugepages: --pages: '%s' is not a number "
					"of pages\n", optarg);
				return 2;
			}
			break;
		case 'h':
			hpc_usage(stdout);
			return 0;
		default:
			hpc_usage(stderr);
			return 2;
		}
	}
	return -1;
}

/* Run argv and wait; a TERM or HUP sent to us is passed on. Returns its wait status. */
static int
hpc_run(char **argv)
{
	struct sigaction sa;
	int status = 0;
	pid_t pid;

	/* Ctrl-C reaches CMD through the terminal; a TERM sent to us is passed on */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = hpc_forward;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execvp(argv[0], argv);
		fprintf(stderr, "metroprobe hugepages: cannot run %s: %s\n", argv[0],
			strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		fprintf(stderr, "metroprobe hugepages: fork: %s\n", strerror(errno));
		return 1 << 8;
	}
	hpc_child = pid;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return status;
}

int
hugepages_main(int argc, char **argv)
{
	struct hp_env env;
	struct hp_lease lease;
	char why[256];
	long pages;
	int status, rc = hpc_parse(argc, argv, &pages);

	if (rc >= 0)
		return rc;
	hp_env_default(&env);
	if (optind == argc && pages < 0)
		return hpc_status(&env);
	if (optind == argc || pages < 0) {
		hpc_usage(stderr);
		return 2;
	}
	rc = hp_provision(&env, "cmd", (long)getpid(), pages, &lease, why, sizeof(why));
	if (rc != 0) {
		fprintf(stderr, "metroprobe hugepages: %ld pages of 2 MB needed, %s\n", pages, why);
		return 1;
	}
	if (why[0] != '\0')
		fprintf(stderr, "hugepages: %s\n", why);
	if (lease.raised > 0)
		fprintf(stderr, "hugepages: reserved %ld pages of 2 MB for %s (nr_hugepages %ld -> "
			"%ld), given back when it ends\n", lease.raised, argv[optind], lease.before,
			lease.before + lease.raised);
	status = hpc_run(argv + optind);
	if (lease.raised > 0) {
		long raised = lease.raised;

		if (hp_release(&env, &lease, 2000, why, sizeof(why)) == 0)
			fprintf(stderr, "hugepages: gave back the %ld pages reserved for %s\n", raised,
				argv[optind]);
		else
			fprintf(stderr, "metroprobe hugepages: %s\n", why);
	}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
