/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The path map on synthetic hop lists: unions, shared hops (the first hop
 * named apart, expected ones said so), ECMP alternatives, path changes,
 * and the answers that are no evidence (forged, duplicated, after the
 * end); and the path rule of the diversity verdict.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "diversity.h"
#include "mp_record.h"
#include "mp_test.h"
#include "pathmap.h"

#define RA	"192.0.2.10"		/* link a's reflector */
#define RB	"198.51.100.10"		/* link b's reflector */
#define CONDUIT	"203.0.113.3"

/*
 * One round of link: per flow, the hops of TTL 1.. as one string,
 * "x y z" with "*" for no answer; the last one is the reflector when it is
 * refl (the flow reached it).
 */
static int
round_of(struct pathmap *pm, int link, uint32_t round, const char *refl,
	 const char *const *flows, unsigned nflows, pathmap_change_fn fn, void *arg)
{
	unsigned f;

	ck_assert_int_eq(pathmap_round_begin(pm, link, round, refl, nflows), 0);
	for (f = 0; f < nflows; f++) {
		char buf[512], *tok, *save = NULL;
		unsigned ttl = 1;

		snprintf(buf, sizeof(buf), "%s", flows[f]);
		for (tok = strtok_r(buf, " ", &save); tok != NULL; tok = strtok_r(NULL, " ", &save), ttl++)
			pathmap_round_hop(pm, link, f, ttl,
					  strcmp(tok, refl) == 0 ? PATHMAP_REFLECTOR : PATHMAP_ROUTER,
					  tok);
	}
	return pathmap_round_end(pm, link, fn, arg);
}

static int
one_flow(struct pathmap *pm, int link, uint32_t round, const char *refl, const char *hops)
{
	return round_of(pm, link, round, refl, &hops, 1, NULL, NULL);
}

/* The JSON array at o.key as "x y z". */
static const char *
arr(const cJSON *o, const char *key)
{
	static char out[1024];
	const cJSON *it;
	size_t off = 0;

	out[0] = '\0';
	cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(o, key))
		off += (size_t)snprintf(out + off, sizeof(out) - off, "%s%s", off > 0 ? " " : "",
					cJSON_GetStringValue(it));
	return out;
}

static const char *const names[2] = { "a", "b" };

START_TEST(test_union_and_shared)
{
	static struct pathmap pm;
	struct pathmap_shared sh[8];
	cJSON *o;

	pathmap_init(&pm);
	/* the shared-conduit lab: the conduit, then each link's own router */
	ck_assert_int_eq(one_flow(&pm, 0, 0, RA, CONDUIT " 203.0.113.1 " RA), 0);
	ck_assert_int_eq(one_flow(&pm, 1, 0, RB, CONDUIT " 203.0.113.2 " RB), 0);
	ck_assert_int_eq(pathmap_shared(&pm, sh, 8), 1);
	ck_assert_str_eq(sh[0].addr, CONDUIT);
	ck_assert(sh[0].first);
	ck_assert(!sh[0].expected);
	o = pathmap_json(&pm, names);
	ck_assert_str_eq(arr(o, "a"), CONDUIT " 203.0.113.1 " RA);
	ck_assert_str_eq(arr(o, "b"), CONDUIT " 203.0.113.2 " RB);
	ck_assert_str_eq(arr(o, "shared_hops"), CONDUIT);
	ck_assert_str_eq(arr(o, "shared_expected"), "");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "first_hop_shared"), "addr")), CONDUIT);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_diverse_nothing_shared)
{
	static struct pathmap pm;
	struct pathmap_shared sh[8];
	cJSON *o;

	pathmap_init(&pm);
	one_flow(&pm, 0, 0, RA, "203.0.113.1 " RA);
	one_flow(&pm, 1, 0, RB, "203.0.113.2 " RB);
	ck_assert_int_eq(pathmap_shared(&pm, sh, 8), 0);
	o = pathmap_json(&pm, names);
	ck_assert_str_eq(arr(o, "shared_hops"), "");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "first_hop_shared")));
	cJSON_Delete(o);
}
END_TEST

/* A shared first hop that is expected (the CE both links leave by) is named, not a risk. */
START_TEST(test_expected_first_hop)
{
	static struct pathmap pm;
	struct pathmap_shared sh[8];

	pathmap_init(&pm);
	ck_assert_int_eq(pathmap_expect(&pm, "10.0.0.1"), 0);
	ck_assert_int_eq(pathmap_expect(&pm, "not-an-address"), -EINVAL);
	one_flow(&pm, 0, 0, RA, "10.0.0.1 203.0.113.1 " RA);
	one_flow(&pm, 1, 0, RB, "10.0.0.1 203.0.113.2 " RB);
	ck_assert_int_eq(pathmap_shared(&pm, sh, 8), 1);
	ck_assert(sh[0].first && sh[0].expected);
}
END_TEST

/* The union keeps each hop once, in order of its lowest TTL, the reflector last. */
START_TEST(test_union_order)
{
	static struct pathmap pm;
	const char *fl[2] = { "203.0.113.1 203.0.113.5 * " RA, "203.0.113.1 203.0.113.6 " RA };
	cJSON *o;

	pathmap_init(&pm);
	ck_assert_int_eq(round_of(&pm, 0, 0, RA, fl, 2, NULL, NULL), 0);
	o = pathmap_json(&pm, names);
	ck_assert_str_eq(arr(o, "a"), "203.0.113.1 203.0.113.5 203.0.113.6 " RA);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_ecmp)
{
	static struct pathmap pm;
	const char *fl[3] = { "203.0.113.1 203.0.113.5 " RA, "203.0.113.1 203.0.113.6 " RA,
			      "203.0.113.1 203.0.113.5 " RA };
	const cJSON *e;
	cJSON *o;

	pathmap_init(&pm);
	round_of(&pm, 0, 0, RA, fl, 3, NULL, NULL);
	o = pathmap_json(&pm, names);
	e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "ecmp"), "a"), 0);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(e, "ttl")->valueint, 2);
	ck_assert_str_eq(arr(e, "hops"), "203.0.113.5 203.0.113.6");
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "ecmp"), "a")), 1);
	/* the per-flow detail of the latest round */
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "flows"), "a")), 3);
	cJSON_Delete(o);
}
END_TEST

struct seen {
	int n;
	struct pathmap_change last;
};

static void
on_change(void *arg, const struct pathmap_change *c)
{
	struct seen *s = arg;

	s->n++;
	s->last = *c;
}

START_TEST(test_change)
{
	static struct pathmap pm;
	const char *r0 = "203.0.113.1 203.0.113.5 " RA;
	const char *r1 = "203.0.113.1 * " RA;		/* a lost answer: no change */
	const char *r2 = "203.0.113.1 203.0.113.7 " RA;	/* another router: a change */
	const char *r3 = "203.0.113.1 203.0.113.7 203.0.113.8 " RA;	/* one hop more */
	struct seen s = { 0 };
	char txt[128];
	cJSON *o;

	pathmap_init(&pm);
	ck_assert_int_eq(round_of(&pm, 0, 0, RA, &r0, 1, on_change, &s), 0);
	ck_assert_int_eq(round_of(&pm, 0, 1, RA, &r1, 1, on_change, &s), 0);
	ck_assert_int_eq(round_of(&pm, 0, 2, RA, &r2, 1, on_change, &s), 1);
	ck_assert_int_eq(s.n, 1);
	ck_assert_uint_eq(s.last.round, 2);
	pathmap_list_text(&s.last.old, txt, sizeof(txt));
	ck_assert_str_eq(txt, "203.0.113.1 203.0.113.5 " RA);	/* the lost answer kept */
	pathmap_list_text(&s.last.cur, txt, sizeof(txt));
	ck_assert_str_eq(txt, "203.0.113.1 203.0.113.7 " RA);
	ck_assert_int_eq(round_of(&pm, 0, 3, RA, &r3, 1, on_change, &s), 1);
	ck_assert_int_eq(round_of(&pm, 0, 4, RA, &r3, 1, on_change, &s), 0);
	o = pathmap_json(&pm, names);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(o, "changes")), 2);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(o, "changes_total")->valueint, 2);
	ck_assert_int_eq(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "rounds"), "a")->valueint, 5);
	cJSON_Delete(o);
}
END_TEST

/* Forged, duplicated and impossible answers: ignored, counted, never hops. */
START_TEST(test_no_evidence)
{
	static struct pathmap pm;
	struct pathmap_shared sh[8];
	cJSON *o;

	pathmap_init(&pm);
	ck_assert_int_eq(pathmap_round_begin(&pm, 0, 0, RA, 2), 0);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 0, 1, PATHMAP_ROUTER, "203.0.113.1"), 0);
	/* the same answer twice: harmless, the second ignored */
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 0, 1, PATHMAP_ROUTER, "203.0.113.1"), -EINVAL);
	/* two answers of TTL 2: one forged, both ignored */
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 0, 2, PATHMAP_ROUTER, "203.0.113.5"), 0);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 0, 2, PATHMAP_ROUTER, RB), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 0, 2, PATHMAP_ROUTER, "203.0.113.5"), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 0, 3, PATHMAP_REFLECTOR, RA), 0);
	/* after the reflector answered: nothing can */
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 0, 4, PATHMAP_ROUTER, "203.0.113.9"), 0);
	/* the reflector's address as a router, a reply from another address */
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 1, PATHMAP_ROUTER, RA), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 1, PATHMAP_REFLECTOR, "203.0.113.1"), -EINVAL);
	/* no router's address; another family; a flow or TTL out of range */
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 1, PATHMAP_ROUTER, "224.0.0.5"), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 1, PATHMAP_ROUTER, "0.0.0.0"), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 1, PATHMAP_ROUTER, "127.0.0.1"), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 1, PATHMAP_ROUTER, "2001:db8::1"), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 1, PATHMAP_ROUTER, "junk"), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 2, 1, PATHMAP_ROUTER, "203.0.113.1"), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 0, PATHMAP_ROUTER, "203.0.113.1"), -EINVAL);
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 33, PATHMAP_ROUTER, "203.0.113.1"), -EINVAL);
	/* an ICMP error from the reflector's host is evidence: the flow ends there */
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 1, 1, PATHMAP_ERROR, RA), 0);
	ck_assert_int_eq(pathmap_round_end(&pm, 0, NULL, NULL), 0);
	ck_assert_uint_eq(pm.l[0].ignored, 15);
	o = pathmap_json(&pm, names);
	ck_assert_str_eq(arr(o, "a"), "203.0.113.1 " RA);
	cJSON_Delete(o);
	/* the forged RB never made a hop both links share */
	one_flow(&pm, 1, 0, RB, "203.0.113.2 " RB);
	ck_assert_int_eq(pathmap_shared(&pm, sh, 8), 0);
	/* no round under way: ignored */
	ck_assert_int_eq(pathmap_round_hop(&pm, 0, 0, 1, PATHMAP_ROUTER, "203.0.113.1"), -EINVAL);
	ck_assert_int_eq(pathmap_round_end(&pm, 0, NULL, NULL), -EINVAL);
}
END_TEST

/* IPv6 addresses compare in canonical form. */
START_TEST(test_ipv6_canonical)
{
	static struct pathmap pm;
	struct pathmap_shared sh[8];

	pathmap_init(&pm);
	one_flow(&pm, 0, 0, "2001:db8:a::a", "2001:DB8:FF::3 2001:db8:a::a");
	one_flow(&pm, 1, 0, "2001:db8:b::a", "2001:db8:ff:0::3 2001:db8:b::a");
	ck_assert_int_eq(pathmap_shared(&pm, sh, 8), 1);
	ck_assert_str_eq(sh[0].addr, "2001:db8:ff::3");
}
END_TEST

/* A decoded path record (the dataplane's) as one round. */
START_TEST(test_record)
{
	static struct pathmap pm;
	static struct path_record pr;
	const char *line = "{\"type\":\"path\",\"v\":1,\"link\":\"a\",\"link_index\":0,\"round\":3,"
		"\"start_ns\":1,\"end_ns\":2,\"reflector\":\"" RA "\",\"reflector_port\":862,"
		"\"max_ttl\":8,\"flows\":[{\"flow\":0,\"source_port\":863,\"reached\":true,"
		"\"reached_ttl\":3,\"hops\":[{\"ttl\":1,\"addr\":\"" CONDUIT "\",\"rtt_ns\":5},"
		"{\"ttl\":2,\"addr\":\"*\"},{\"ttl\":3,\"addr\":\"" RA "\",\"rtt_ns\":9,"
		"\"reflector\":true}]},{\"flow\":1,\"source_port\":864,\"reached\":false,"
		"\"hops\":[{\"ttl\":1,\"addr\":\"" CONDUIT "\",\"rtt_ns\":5},{\"ttl\":2,\"addr\":\"*\"}]}]}";
	cJSON *j = cJSON_Parse(line), *o;
	char err[256];

	ck_assert_ptr_nonnull(j);
	ck_assert_int_eq(record_path_from_json(j, &pr, err, sizeof(err)), 0);
	cJSON_Delete(j);
	pathmap_init(&pm);
	ck_assert_int_eq(pathmap_add_record(&pm, 0, &pr, NULL, NULL), 0);
	o = pathmap_json(&pm, names);
	ck_assert_str_eq(arr(o, "a"), CONDUIT " " RA);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "flows"), "a"), 1)), 2);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "reached"), "a")));
	cJSON_Delete(o);
}
END_TEST

/* The verdict: an unexpected shared hop is SHARED-RISK, named; an expected one is not. */
static const struct div_config metro_cfg = {
	.circuit = "metro",
	.location = { "Amsterdam", "Amsterdam2" },
	.facility = { "Equinix AM5", "Digital Realty AMS8" },
};

static cJSON *
div_with_paths(const char *expect, struct div_result *r)
{
	struct diversity d;
	cJSON *o;
	int i;

	diversity_init(&d, &metro_cfg, 100);
	if (expect != NULL)
		ck_assert_int_eq(diversity_path_expect(&d, expect), 0);
	/* one round of each link: the conduit, the link's router, its reflector */
	for (i = 0; i < 2; i++) {
		static struct path_record pr;
		char line[512], err[256];
		cJSON *j;

		snprintf(line, sizeof(line), "{\"type\":\"path\",\"v\":1,\"link\":\"%s\",\"link_index\":%d,"
			 "\"round\":0,\"start_ns\":1,\"end_ns\":2,\"reflector\":\"%s\","
			 "\"reflector_port\":862,\"max_ttl\":8,\"flows\":[{\"flow\":0,"
			 "\"source_port\":863,\"reached\":true,\"reached_ttl\":3,\"hops\":["
			 "{\"ttl\":1,\"addr\":\"" CONDUIT "\",\"rtt_ns\":5},"
			 "{\"ttl\":2,\"addr\":\"%s\",\"rtt_ns\":5},"
			 "{\"ttl\":3,\"addr\":\"%s\",\"rtt_ns\":9,\"reflector\":true}]}]}",
			 names[i], i, i == 0 ? RA : RB, i == 0 ? "203.0.113.1" : "203.0.113.2",
			 i == 0 ? RA : RB);
		j = cJSON_Parse(line);
		ck_assert_int_eq(record_path_from_json(j, &pr, err, sizeof(err)), 0);
		cJSON_Delete(j);
		ck_assert_int_eq(diversity_path_add(&d, i, &pr, NULL, NULL), 0);
	}
	o = diversity_finish(&d, r);
	diversity_free(&d);
	return o;
}

START_TEST(test_verdict_shared_hop)
{
	struct div_result r;
	cJSON *o = div_with_paths(NULL, &r), *p;
	int i;
	bool named = false;

	ck_assert_str_eq(r.verdict, "SHARED-RISK");
	for (i = 0; i < r.n_reasons; i++)
		named |= strstr(r.reason[i], CONDUIT) != NULL;
	ck_assert_msg(named, "no reason names the conduit");
	p = cJSON_GetObjectItemCaseSensitive(o, "path");
	ck_assert_str_eq(arr(p, "shared_hops"), CONDUIT);
	cJSON_Delete(o);
	/* the same hop, expected (the links' gateway): no risk, still listed */
	o = div_with_paths(CONDUIT, &r);
	ck_assert_str_ne(r.verdict, "SHARED-RISK");
	p = cJSON_GetObjectItemCaseSensitive(o, "path");
	ck_assert_str_eq(arr(p, "shared_expected"), CONDUIT);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(p, "first_hop_shared"), "expected")));
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_verdict_no_paths)
{
	struct diversity d;
	struct div_result r;
	cJSON *o;

	diversity_init(&d, &metro_cfg, 100);
	o = diversity_finish(&d, &r);
	diversity_free(&d);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(o, "path")));
	ck_assert_ptr_nonnull(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, "path_reason")));
	ck_assert_str_ne(r.verdict, "SHARED-RISK");
	cJSON_Delete(o);
}
END_TEST

/* Random rounds: never a crash, each union in TTL order and each address once, shared in both. */
START_TEST(test_random)
{
	static struct pathmap pm;
	struct pathmap_shared sh[PATHMAP_UNION_MAX];
	uint64_t seed = 42;
	int round, n, i, k;

	pathmap_init(&pm);
	for (round = 0; round < 200; round++) {
		int link = (int)rnd_range(&seed, 0, 1);
		unsigned flows = (unsigned)rnd_range(&seed, 1, PATH_MAX_FLOWS), f, t;

		pathmap_round_begin(&pm, link, (uint32_t)round, link == 0 ? RA : RB, flows);
		for (f = 0; f < flows + 1; f++)
			for (t = 0; t < 12; t++) {
				char a[32];

				snprintf(a, sizeof(a), "203.0.113.%u", (unsigned)rnd_range(&seed, 0, 20));
				pathmap_round_hop(&pm, link, f, (unsigned)rnd_range(&seed, 0, 34),
						  (enum pathmap_kind)rnd_range(&seed, 0, 2),
						  rnd_range(&seed, 0, 9) == 0 ? (link == 0 ? RA : RB) : a);
			}
		ck_assert_int_ge(pathmap_round_end(&pm, link, NULL, NULL), 0);
	}
	for (i = 0; i < 2; i++)
		for (k = 1; k < pm.l[i].n_hops; k++) {
			int m;

			ck_assert_int_le(pm.l[i].hops[k - 1].ttl, pm.l[i].hops[k].ttl);
			for (m = 0; m < k; m++)
				ck_assert_str_ne(pm.l[i].hops[m].addr, pm.l[i].hops[k].addr);
		}
	n = pathmap_shared(&pm, sh, PATHMAP_UNION_MAX);
	ck_assert_int_gt(n, 0);
	for (i = 0; i < n; i++) {
		bool in[2] = { false, false };
		int l;

		for (l = 0; l < 2; l++)
			for (k = 0; k < pm.l[l].n_hops; k++)
				in[l] |= strcmp(pm.l[l].hops[k].addr, sh[i].addr) == 0;
		ck_assert(in[0] && in[1]);
	}
}
END_TEST

static Suite *
pathmap_suite(void)
{
	Suite *s = suite_create("pathmap");
	TCase *tc = tcase_create("pathmap");

	tcase_add_test(tc, test_union_and_shared);
	tcase_add_test(tc, test_diverse_nothing_shared);
	tcase_add_test(tc, test_expected_first_hop);
	tcase_add_test(tc, test_union_order);
	tcase_add_test(tc, test_ecmp);
	tcase_add_test(tc, test_change);
	tcase_add_test(tc, test_no_evidence);
	tcase_add_test(tc, test_ipv6_canonical);
	tcase_add_test(tc, test_record);
	tcase_add_test(tc, test_verdict_shared_hop);
	tcase_add_test(tc, test_verdict_no_paths);
	tcase_add_test(tc, test_random);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(pathmap_suite)
