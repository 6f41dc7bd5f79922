/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The service's low rates (RFC 6815: a production link is not a test bed):
 * a link whose config names no rate probes at the service's default rate,
 * and no link may take more than the service's bandwidth budget unless the
 * user says so (serve --allow-rate). Rates are counted on the wire: each
 * frame of the link's mix plus 20 bytes of preamble and gap. Pure.
 */
#ifndef MP_RATEBUDGET_H
#define MP_RATEBUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/*
 * The link's probe traffic in wire bits/s (one direction); 0 when it cannot
 * be known (a % or line rate on a link of unknown speed).
 */
uint64_t ratebudget_link_bps(const struct mp_link_cfg *l);
/*
 * Every link without a rate of its own gets the service's default rate.
 * Returns how many links took it.
 */
int ratebudget_apply_default(struct mp_config *c);
/*
 * 0 when every link is within c->service.budget_bps; else -1 and msg holds
 * one line naming the first link over it, its rate in bit/s and the budget.
 */
int ratebudget_check(const struct mp_config *c, char *msg, size_t len);

#endif
