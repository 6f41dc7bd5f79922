/* SPDX-License-Identifier: BSD-3-Clause */
/* The metroprobe-dp command line for a config. */
#ifndef MP_DP_ARGS_H
#define MP_DP_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define DP_ARGS_MAX	128

struct dp_args {
	int argc;
	char *argv[DP_ARGS_MAX];	/* NULL-terminated, for execv */
	char store[DP_ARGS_MAX][MP_LINK_TEXT_MAX];	/* a --link text fits */
};

struct dp_args_opts {
	const char *binary;		/* metroprobe-dp */
	const char *sock_path;		/* control's socket; NULL: records on stdout */
	bool no_huge;			/* --no-huge -m no_huge_mb instead of --in-memory */
	long no_huge_mb;
	bool keep;			/* --control-lost keep: outlive control (serve) */
	const char *file_prefix;	/* EAL --file-prefix; NULL: mp-run-<our pid> */
};

/* EAL and probe arguments for config c into a: 0, or the link encoder's -errno. */
int dp_args_build(struct dp_args *a, const struct mp_config *c, const struct dp_args_opts *o);
/* The device name DPDK gives a link's port: a vdev's name before its first comma, or the PCI address. */
void dp_args_port_name(const struct mp_link_cfg *l, char *out, size_t len);

#endif
