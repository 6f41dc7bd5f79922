/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The service stream's carrier (carrier.h) from synthetic path rounds:
 * learned from the pinned links' hops, named by the config, shared hops no
 * evidence, both links or none null; intervals fresh and stale, changes,
 * the time per carrier.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "carrier.h"
#include "mp_test.h"

#define MS	1000000ull

/* A round of one flow per list (NULL-terminated per flow): "*" none, "=X" the reflector X. */
static void
round_of(struct path_record *pr, uint64_t end_ns, const char *const *flows[], int n_flows)
{
	int f, t;

	memset(pr, 0, sizeof(*pr));
	pr->r.lk.flows = (uint8_t)n_flows;
	pr->r.lk.max_ttl = 16;
	pr->end_unix_ns = end_ns;
	pr->start_unix_ns = end_ns - 100 * MS;
	for (f = 0; f < n_flows; f++)
		for (t = 0; flows[f][t] != NULL; t++) {
			struct path_hop *h = &pr->r.hop[f][t];
			const char *s = flows[f][t];

			if (strcmp(s, "*") == 0) {
				h->state = PATH_HOP_SENT;
				continue;
			}
			h->state = s[0] == '=' ? PATH_HOP_REFLECTOR : PATH_HOP_ROUTER;
			ck_assert_int_eq(ip_addr_parse(s[0] == '=' ? s + 1 : s, &h->addr, NULL), 0);
		}
}

static const char *const pin_a[] = { "192.0.2.2", "203.0.113.1", "=192.0.2.10", NULL };
static const char *const pin_b[] = { "198.51.100.2", "203.0.113.2", "=198.51.100.10", NULL };
static const char *const svc_a[] = { "10.0.0.1", "203.0.113.1", "192.0.2.10", "=10.1.0.4", NULL };
static const char *const svc_b[] = { "10.0.0.1", "203.0.113.2", "198.51.100.10", "=10.1.0.4", NULL };
static const char *const svc_ce[] = { "10.0.0.1", "*", "*", "*", NULL };
static const char *const svc_msee_a[] = { "10.0.0.1", "*", "192.0.2.10", "=10.1.0.4", NULL };
static const char *const shared_a[] = { "203.0.113.3", "203.0.113.1", "=192.0.2.10", NULL };
static const char *const shared_b[] = { "203.0.113.3", "203.0.113.2", "=198.51.100.10", NULL };
static const char *const svc_shared[] = { "10.0.0.1", "203.0.113.3", "*", NULL };

static int
says(struct carrier *c, const char *const *flow)
{
	static struct path_record pr;
	const char *const *fl[1] = { flow };

	round_of(&pr, 1000 * MS, fl, 1);
	return carrier_of_round(c, &pr);
}

static void
learn(struct carrier *c, int k, const char *const *flow)
{
	static struct path_record pr;
	const char *const *fl[1] = { flow };

	round_of(&pr, 1000 * MS, fl, 1);
	carrier_learn(c, k, &pr);
}

START_TEST(test_learned)
{
	static struct carrier c;

	carrier_init(&c, NULL, 3000 * MS);
	/* nothing learned yet: cannot be told */
	ck_assert_int_eq(says(&c, svc_a), -1);
	learn(&c, 0, pin_a);
	learn(&c, 1, pin_b);
	learn(&c, 1, pin_b);	/* learned once */
	ck_assert_int_eq(c.n_seen[1], 3);
	ck_assert_int_eq(says(&c, svc_a), 0);
	ck_assert_int_eq(says(&c, svc_b), 1);
	ck_assert_int_eq(says(&c, svc_ce), -1);
	/* the MSEE answering from the site's address (the pinned reflector) names its link */
	ck_assert_int_eq(says(&c, svc_msee_a), 0);
	/* the reflector behind both links names neither, even if a pinned link showed it */
	learn(&c, 0, (const char *const[]){ "=10.1.0.4", NULL });
	ck_assert_int_eq(says(&c, (const char *const[]){ "10.0.0.1", "=10.1.0.4", NULL }), -1);
}
END_TEST

START_TEST(test_shared)
{
	static struct carrier c;

	carrier_init(&c, NULL, 3000 * MS);
	learn(&c, 0, shared_a);
	learn(&c, 1, shared_b);
	/* a hop both links cross is no evidence; the next one is */
	ck_assert_int_eq(says(&c, svc_shared), -1);
	ck_assert_int_eq(says(&c, (const char *const[]){ "10.0.0.1", "203.0.113.3", "203.0.113.2",
							 NULL }), 1);
	/* hops of both links in one round: cannot be told */
	ck_assert_int_eq(says(&c, (const char *const[]){ "203.0.113.1", "203.0.113.2", NULL }), -1);
}
END_TEST

START_TEST(test_two_flows)
{
	static struct carrier c;
	static struct path_record pr;
	const char *const *fl[2] = { svc_a, svc_b };
	const char *const *same[2] = { svc_a, svc_ce };

	carrier_init(&c, NULL, 3000 * MS);
	learn(&c, 0, pin_a);
	learn(&c, 1, pin_b);
	/* ECMP over both links: flows disagree, nothing is said */
	round_of(&pr, 1000 * MS, fl, 2);
	ck_assert_int_eq(carrier_of_round(&c, &pr), -1);
	round_of(&pr, 1000 * MS, same, 2);
	ck_assert_int_eq(carrier_of_round(&c, &pr), 0);
}
END_TEST

START_TEST(test_config)
{
	static struct carrier c;
	static struct carrier_cfg cfg;

	memset(&cfg, 0, sizeof(cfg));
	ip_addr_parse("203.0.113.1", &cfg.addr[1][0], NULL);
	cfg.n_addr[1] = 1;
	carrier_init(&c, &cfg, 3000 * MS);
	/* no pinned round: the config alone names b */
	ck_assert_int_eq(says(&c, svc_a), 1);
	/* the config's map replaces what is learned: 192.0.2.10 no longer names a */
	learn(&c, 0, pin_a);
	ck_assert_int_eq(says(&c, svc_a), 1);
	ck_assert_int_eq(says(&c, svc_msee_a), -1);
	/* an address the config gives both links names neither */
	ip_addr_parse("203.0.113.1", &cfg.addr[0][0], NULL);
	cfg.n_addr[0] = 1;
	ck_assert_int_eq(says(&c, (const char *const[]){ "203.0.113.1", NULL }), -1);
	/* IPv6 */
	ip_addr_parse("2001:db8:ff::2", &cfg.addr[1][1], NULL);
	cfg.n_addr[1] = 2;
	ck_assert_int_eq(says(&c, (const char *const[]){ "2001:db8:10::1", "2001:db8:ff::2",
							 NULL }), 1);
}
END_TEST

START_TEST(test_intervals)
{
	static struct carrier c;
	static struct path_record pr;
	const char *const *fa[1] = { svc_a }, *const *fb[1] = { svc_b };
	int now, from;
	uint64_t t, seed = 13;

	carrier_init(&c, NULL, 3000 * MS);
	learn(&c, 0, pin_a);
	learn(&c, 1, pin_b);
	/* before any service round: null, and the first interval is no change */
	ck_assert(!carrier_interval(&c, 0, 1000 * MS, &now, &from));
	ck_assert_int_eq(now, -1);
	round_of(&pr, 1500 * MS, fa, 1);
	carrier_round(&c, &pr);
	ck_assert(carrier_interval(&c, 1000 * MS, 2000 * MS, &now, &from));
	ck_assert_int_eq(now, 0);
	ck_assert_int_eq(from, -1);
	/* still fresh 3 s after the round ended; stale after */
	ck_assert(!carrier_interval(&c, 2000 * MS, 4500 * MS, &now, &from));
	ck_assert_int_eq(now, 0);
	ck_assert(carrier_interval(&c, 4500 * MS, 4600 * MS, &now, &from));
	ck_assert_int_eq(now, -1);
	ck_assert_int_eq(from, 0);
	/* over to b */
	round_of(&pr, 5000 * MS, fb, 1);
	carrier_round(&c, &pr);
	ck_assert(carrier_interval(&c, 4600 * MS, 5600 * MS, &now, &from));
	ck_assert_int_eq(now, 1);
	ck_assert_int_eq(from, -1);
	round_of(&pr, 6000 * MS, fa, 1);
	carrier_round(&c, &pr);
	ck_assert(carrier_interval(&c, 5600 * MS, 6600 * MS, &now, &from));
	ck_assert_int_eq(now, 0);
	ck_assert_int_eq(from, 1);
	ck_assert_uint_eq(c.changes, 4);
	ck_assert_uint_eq(c.carried_ns[0], 1000 * MS + 2500 * MS + 1000 * MS);
	ck_assert_uint_eq(c.carried_ns[1], 1000 * MS);
	ck_assert_uint_eq(c.carried_ns[CARRIER_UNKNOWN], 1000 * MS + 100 * MS);
	/* random intervals: the time told adds up to the time covered */
	for (t = 6600 * MS; t < 200000 * MS;) {
		uint64_t d = rnd_range(&seed, 1, 2000) * MS;

		if (rnd_range(&seed, 0, 3) == 0) {
			round_of(&pr, t, rnd_range(&seed, 0, 1) ? fa : fb, 1);
			carrier_round(&c, &pr);
		}
		carrier_interval(&c, t, t + d, &now, &from);
		ck_assert(now >= -1 && now <= 1);
		t += d;
	}
	ck_assert_uint_eq(c.carried_ns[0] + c.carried_ns[1] + c.carried_ns[2], t);
}
END_TEST

static Suite *
carrier_suite(void)
{
	Suite *s = suite_create("carrier");
	TCase *tc = tcase_create("carrier");

	tcase_add_test(tc, test_learned);
	tcase_add_test(tc, test_shared);
	tcase_add_test(tc, test_two_flows);
	tcase_add_test(tc, test_config);
	tcase_add_test(tc, test_intervals);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(carrier_suite)
