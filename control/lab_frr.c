/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * FRRouting configuration text of one routed-lab router (lab_frr.h):
 * bgpd configured the way ExpressRoute private peering is (eBGP to AS
 * 12076 over each link's /30, keepalive/hold 60/180 s, BFD 300 ms x 3 on
 * the links), bfdd with the one profile the links use. Pure: text only.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lab_frr.h"

/* Text appended to a buffer; a write past its end marks it failed. */
struct lab_frr_text {
	char *buf;
	size_t len, off;
	bool failed;
};

static void __attribute__((format(printf, 2, 3)))
lab_frr_put(struct lab_frr_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->failed)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->off, t->len - t->off, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->len - t->off)
		t->failed = true;
	else
		t->off += (size_t)n;
}

static int
lab_frr_done(struct lab_frr_text *t)
{
	return t->failed ? -1 : (int)t->off;
}

static bool
lab_frr_valid(const struct lab_frr_router *r)
{
	return r->n_neigh >= 0 && r->n_neigh <= LAB_FRR_MAX_NEIGH && r->n_net >= 0 &&
	       r->n_net <= LAB_FRR_MAX_NET && r->asn != 0 && r->name[0] != '\0';
}

/* What one neighbour needs beyond the defaults: its in and out route-maps. */
static bool
lab_frr_has_in(const struct lab_frr_neigh *n)
{
	return n->local_pref != 0;
}

static bool
lab_frr_has_out(const struct lab_frr_neigh *n)
{
	return n->own_only || n->prepend > 0;
}

static bool
lab_frr_is_v6(const char *addr)
{
	return strchr(addr, ':') != NULL;
}

/* Our own networks of one family as a prefix list (what a customer edge sends). */
static void
lab_frr_own_list(struct lab_frr_text *t, const struct lab_frr_router *r, bool v6)
{
	int k, seq = 5;

	for (k = 0; k < r->n_net; k++)
		if (lab_frr_is_v6(r->net[k]) == v6) {
			lab_frr_put(t, "%s prefix-list MP-OWN%s seq %d permit %s\n", v6 ? "ipv6" : "ip",
				    v6 ? "6" : "", seq, r->net[k]);
			seq += 5;
		}
}

/*
 * The policies: prefix lists of our own networks (what a customer edge
 * sends, nothing it learnt), then per neighbour the local preference of
 * what it sends us and the prepends on what we send it.
 */
static void
lab_frr_policies(struct lab_frr_text *t, const struct lab_frr_router *r)
{
	int i, k;

	for (i = 0; i < r->n_neigh && !r->neigh[i].own_only; i++)
		;
	if (i < r->n_neigh) {
		lab_frr_own_list(t, r, false);
		lab_frr_own_list(t, r, true);
	}
	for (i = 0; i < r->n_neigh; i++) {
		const struct lab_frr_neigh *n = &r->neigh[i];

		if (lab_frr_has_in(n))
			lab_frr_put(t, "route-map MP-IN-%s permit 10\n set local-preference %u\nexit\n",
				    n->label, n->local_pref);
		if (!lab_frr_has_out(n))
			continue;
		lab_frr_put(t, "route-map MP-OUT-%s permit 10\n", n->label);
		if (n->own_only)
			lab_frr_put(t, " match %s address prefix-list MP-OWN%s\n",
				    n->v6 ? "ipv6" : "ip", n->v6 ? "6" : "");
		if (n->prepend > 0) {
			lab_frr_put(t, " set as-path prepend");
			for (k = 0; k < n->prepend; k++)
				lab_frr_put(t, " %u", r->asn);
			lab_frr_put(t, "\n");
		}
		lab_frr_put(t, "exit\n");
	}
	lab_frr_put(t, "!\n");
}

/* A neighbour's session settings (in `router bgp`). */
static void
lab_frr_neigh_session(struct lab_frr_text *t, const struct lab_frr_router *r,
		      const struct lab_frr_neigh *n)
{
	lab_frr_put(t, " neighbor %s remote-as %u\n", n->addr, n->asn);
	if (n->desc[0] != '\0')
		lab_frr_put(t, " neighbor %s description %s\n", n->addr, n->desc);
	if (n->hops > 1)
		lab_frr_put(t, " neighbor %s ebgp-multihop %d\n", n->addr, n->hops);
	if (n->hops > 1 && n->local[0] != '\0')
		lab_frr_put(t, " neighbor %s update-source %s\n", n->addr, n->local);
	if (r->connect_s > 0)
		lab_frr_put(t, " neighbor %s timers connect %u\n", n->addr, r->connect_s);
	lab_frr_put(t, " neighbor %s advertisement-interval 0\n", n->addr);
	if (n->bfd)
		lab_frr_put(t, " neighbor %s bfd profile %s\n", n->addr, LAB_FRR_BFD_PROFILE);
}

/* One address family: its networks, its neighbours activated with their policies. */
static void
lab_frr_family(struct lab_frr_text *t, const struct lab_frr_router *r, bool v6)
{
	int i, n_neigh = 0, n_net = 0;

	for (i = 0; i < r->n_neigh; i++)
		n_neigh += r->neigh[i].v6 == v6;
	for (i = 0; i < r->n_net; i++)
		n_net += lab_frr_is_v6(r->net[i]) == v6;
	if (v6 && n_neigh == 0 && n_net == 0)
		return;
	lab_frr_put(t, " !\n address-family %s unicast\n", v6 ? "ipv6" : "ipv4");
	for (i = 0; i < r->n_net; i++)
		if (lab_frr_is_v6(r->net[i]) == v6)
			lab_frr_put(t, "  network %s\n", r->net[i]);
	for (i = 0; i < r->n_neigh; i++) {
		const struct lab_frr_neigh *n = &r->neigh[i];

		if (n->v6 != v6)
			continue;
		lab_frr_put(t, "  neighbor %s activate\n", n->addr);
		if (lab_frr_has_in(n))
			lab_frr_put(t, "  neighbor %s route-map MP-IN-%s in\n", n->addr, n->label);
		if (lab_frr_has_out(n))
			lab_frr_put(t, "  neighbor %s route-map MP-OUT-%s out\n", n->addr, n->label);
	}
	lab_frr_put(t, " exit-address-family\n");
}

int
lab_frr_bgpd_conf(const struct lab_frr_router *r, char *buf, size_t len)
{
	struct lab_frr_text t = { .buf = buf, .len = len };
	int i;

	if (len == 0 || !lab_frr_valid(r))
		return -1;
	buf[0] = '\0';
	lab_frr_put(&t, "! bgpd of %s: written by metroprobe lab up --routed\n", r->name);
	lab_frr_put(&t, "hostname %s\n!\n", r->name);
	lab_frr_policies(&t, r);
	lab_frr_put(&t, "router bgp %u\n", r->asn);
	if (r->router_id[0] != '\0')
		lab_frr_put(&t, " bgp router-id %s\n", r->router_id);
	/* the policies above are the customer's; the others take all there is */
	lab_frr_put(&t, " no bgp ebgp-requires-policy\n no bgp default ipv4-unicast\n");
	if (r->keepalive_s > 0)
		lab_frr_put(&t, " timers bgp %u %u\n", r->keepalive_s, r->hold_s);
	for (i = 0; i < r->n_neigh; i++)
		lab_frr_neigh_session(&t, r, &r->neigh[i]);
	lab_frr_family(&t, r, false);
	lab_frr_family(&t, r, true);
	lab_frr_put(&t, "exit\n");
	return lab_frr_done(&t);
}

/*
 * One profile, which bgpd names for each neighbour with BFD. A multihop
 * session (across the provider's routers) accepts packets that crossed up
 * to a few of them: the default minimum TTL (254) would take one.
 */
int
lab_frr_bfdd_conf(const struct lab_frr_router *r, char *buf, size_t len)
{
	struct lab_frr_text t = { .buf = buf, .len = len };

	if (len == 0 || !lab_frr_valid(r) || r->bfd_mult == 0 || r->bfd_interval_ms == 0)
		return -1;
	buf[0] = '\0';
	lab_frr_put(&t, "! bfdd of %s: written by metroprobe lab up --routed\n", r->name);
	lab_frr_put(&t, "hostname %s\n!\nbfd\n profile %s\n", r->name, LAB_FRR_BFD_PROFILE);
	lab_frr_put(&t, "  detect-multiplier %u\n  receive-interval %u\n  transmit-interval %u\n",
		    r->bfd_mult, r->bfd_interval_ms, r->bfd_interval_ms);
	lab_frr_put(&t, "  minimum-ttl 250\n exit\n !\nexit\n");
	return lab_frr_done(&t);
}

int
lab_frr_zebra_conf(const struct lab_frr_router *r, char *buf, size_t len)
{
	struct lab_frr_text t = { .buf = buf, .len = len };

	if (len == 0 || !lab_frr_valid(r))
		return -1;
	buf[0] = '\0';
	lab_frr_put(&t, "! zebra of %s: written by metroprobe lab up --routed\n", r->name);
	lab_frr_put(&t, "hostname %s\n", r->name);
	return lab_frr_done(&t);
}
