// SPDX-License-Identifier: BSD-3-Clause
/*
 * Lab link impairment on its own, for an interface without the reflector:
 * drops IPv4/IPv6 UDP by probability, in Gilbert-Elliott bursts, or all of
 * it (blackhole), as set in impair_cfg while attached. See impair.bpf.h.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "impair.bpf.h"

SEC("xdp")
int
impair(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	return impair_drop(data, data_end) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
