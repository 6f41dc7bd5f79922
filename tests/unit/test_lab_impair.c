/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's impairment lists (control/lab_impair.c): "loss=5,delay_us=200"
 * parsed over what a site has, checked against its reflector, shown, and
 * kept in the state as JSON.
 */
#include <check.h>
#include <string.h>

#include "lab_internal.h"
#include "mp_tbucket.h"
#include "mp_test.h"

static int
parse(const char *spec, struct lab_impair *imp, unsigned int *mask, char *err)
{
	*mask = 0;
	err[0] = '\0';
	return lab_impair_parse(spec, imp, mask, err, 256);
}

START_TEST(test_each_key)
{
	struct lab_impair imp = { 0 };
	unsigned int mask;
	char err[256];

	ck_assert_int_eq(parse("loss=5,delay_us=200,jitter_us=50,dup=1.5%,reorder=2,"
			       "blackhole=on", &imp, &mask, err), 0);
	ck_assert(imp.loss_pct == 5 && imp.delay_us == 200 && imp.jitter_us == 50);
	ck_assert(imp.dup_pct == 1.5 && imp.reorder_pct == 2 && imp.blackhole);
	ck_assert_uint_eq(mask, LAB_IMP_LOSS | LAB_IMP_DELAY | LAB_IMP_JITTER | LAB_IMP_DUP |
			  LAB_IMP_REORDER | LAB_IMP_BLACKHOLE);
	/* keys not named keep their value */
	ck_assert_int_eq(parse("blackhole=off", &imp, &mask, err), 0);
	ck_assert(!imp.blackhole && imp.loss_pct == 5 && imp.delay_us == 200);
	ck_assert_uint_eq(mask, LAB_IMP_BLACKHOLE);
	ck_assert_int_eq(parse("clear", &imp, &mask, err), 0);
	ck_assert(!lab_impair_any(&imp));
	ck_assert_uint_eq(mask, LAB_IMP_CLEAR);
	imp.loss_pct = 3;
	ck_assert_int_eq(parse("none,dup=1", &imp, &mask, err), 0);
	ck_assert(imp.loss_pct == 0 && imp.dup_pct == 1);
}
END_TEST

START_TEST(test_bursts)
{
	struct lab_impair imp = { 0 };
	unsigned int mask;
	char err[256];

	/* a new burst model: delivery 100% when good, 0% when bad */
	ck_assert_int_eq(parse("ge_p=1,ge_r=25", &imp, &mask, err), 0);
	ck_assert(imp.ge_p == 1 && imp.ge_r == 25 && imp.ge_k == 100 && imp.ge_h == 0);
	ck_assert_uint_eq(mask, LAB_IMP_GE);
	/* a change of one parameter keeps the others */
	ck_assert_int_eq(parse("ge_h=10", &imp, &mask, err), 0);
	ck_assert(imp.ge_p == 1 && imp.ge_k == 100 && imp.ge_h == 10);
	/* plain loss replaces bursts */
	ck_assert_int_eq(parse("loss=2", &imp, &mask, err), 0);
	ck_assert(imp.ge_p == 0 && imp.loss_pct == 2);
	/* a burst model needs both transition probabilities */
	memset(&imp, 0, sizeof(imp));
	ck_assert_int_ne(parse("ge_p=1", &imp, &mask, err), 0);
	ck_assert_ptr_nonnull(strstr(err, "ge_p > 0 and ge_r > 0"));
}
END_TEST

/* flap=DOWN/PERIOD in seconds, kept in ms; XDP only; shown, and through the state's JSON */
START_TEST(test_flap)
{
	struct lab_impair imp = { 0 }, back = { 0 };
	unsigned int mask;
	char err[256], buf[128];
	cJSON *j;

	ck_assert_int_eq(parse("flap=2/5", &imp, &mask, err), 0);
	ck_assert_uint_eq(imp.flap_down_ms, 2000);
	ck_assert_uint_eq(imp.flap_period_ms, 5000);
	ck_assert_uint_eq(mask, LAB_IMP_FLAP);
	ck_assert(lab_impair_any(&imp) && (mask & ~LAB_IMP_XDP_OK) == 0);
	lab_impair_str(&imp, buf, sizeof(buf));
	ck_assert_str_eq(buf, "flap=2/5s");
	j = lab_impair_json(&imp);
	lab_impair_from_json(j, &back);
	cJSON_Delete(j);
	ck_assert(back.flap_down_ms == 2000 && back.flap_period_ms == 5000);
	/* other keys keep it; a fraction of a second */
	ck_assert_int_eq(parse("loss=1,flap=0.25/1.5", &imp, &mask, err), 0);
	ck_assert(imp.loss_pct == 1 && imp.flap_down_ms == 250 && imp.flap_period_ms == 1500);
	/* the XDP sites and routers take it; a dpdk reflector has no XDP */
	ck_assert_int_eq(lab_impair_validate(&imp, LAB_KIND_XDP, err, sizeof(err)), 0);
	ck_assert_int_eq(lab_impair_validate(&imp, LAB_KIND_KERNEL, err, sizeof(err)), 0);
	ck_assert_int_ne(lab_impair_validate(&imp, LAB_KIND_DPDK, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "flap"));
	imp.delay_us = 100;
	ck_assert_int_ne(lab_impair_validate(&imp, LAB_KIND_XDP, err, sizeof(err)), 0);
	imp.delay_us = 0;
	ck_assert_int_eq(parse("flap=off", &imp, &mask, err), 0);
	ck_assert(imp.flap_down_ms == 0 && imp.flap_period_ms == 0 && imp.loss_pct == 1);
	/* never up, never down, too long, not two numbers */
	ck_assert_int_ne(parse("flap=5/5", &imp, &mask, err), 0);
	ck_assert_ptr_nonnull(strstr(err, "DOWN/PERIOD"));
	ck_assert_int_ne(parse("flap=0/5", &imp, &mask, err), 0);
	ck_assert_int_ne(parse("flap=1/3601", &imp, &mask, err), 0);
	ck_assert_int_ne(parse("flap=2", &imp, &mask, err), 0);
	ck_assert_int_ne(parse("flap=2/5s", &imp, &mask, err), 0);
	ck_assert_int_ne(parse("flap=-1/5", &imp, &mask, err), 0);
}
END_TEST

START_TEST(test_errors)
{
	static const struct {
		const char *spec, *err;
	} bad[] = {
		{ "loss", "'loss' is not KEY=VALUE" },
		{ "speed=3", "unknown impairment 'speed'" },
		{ "ge_x=3", "unknown impairment 'ge_x'" },
		{ "loss=101", "loss=101: must be a percentage, 0..100" },
		{ "dup=-1", "dup=-1: must be a percentage" },
		{ "reorder=5x", "reorder=5x: must be a percentage" },
		{ "delay_us=1.5", "delay_us=1.5: must be whole microseconds, 0..10000000" },
		{ "jitter_us=10000001", "jitter_us=10000001: must be whole microseconds" },
		{ "delay_us=-3", "must be whole microseconds" },
		{ "blackhole=maybe", "blackhole=maybe: use on or off" },
		{ ",", "no impairment given" },
	};
	struct lab_impair imp;
	unsigned int mask;
	char err[256], longspec[600];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&imp, 0, sizeof(imp));
		ck_assert_int_ne(parse(bad[i].spec, &imp, &mask, err), 0);
		ck_assert_msg(strstr(err, bad[i].err) != NULL, "%s: got '%s'", bad[i].spec, err);
	}
	memset(longspec, 'x', sizeof(longspec) - 1);
	longspec[sizeof(longspec) - 1] = '\0';
	ck_assert_int_ne(parse(longspec, &imp, &mask, err), 0);
	ck_assert_str_eq(err, "impairment list too long");
}
END_TEST

START_TEST(test_validate)
{
	struct lab_impair imp = { .delay_us = 100, .jitter_us = 100 };
	char err[256];

	ck_assert_int_eq(lab_impair_validate(&imp, LAB_KIND_DPDK, err, sizeof(err)), 0);
	imp.jitter_us = 101;
	ck_assert_int_ne(lab_impair_validate(&imp, LAB_KIND_DPDK, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "jitter_us=101 exceeds delay_us=100"));
	imp = (struct lab_impair){ .reorder_pct = 50 };
	ck_assert_int_eq(lab_impair_validate(&imp, LAB_KIND_DPDK, err, sizeof(err)), 0);
	imp.reorder_pct = 50.5;
	ck_assert_int_ne(lab_impair_validate(&imp, LAB_KIND_DPDK, err, sizeof(err)), 0);
	/* bursts are XDP's: not on dpdk, and not with what only dpdk does */
	imp = (struct lab_impair){ .ge_p = 1, .ge_r = 25, .ge_k = 100 };
	ck_assert_int_ne(lab_impair_validate(&imp, LAB_KIND_DPDK, err, sizeof(err)), 0);
	ck_assert_int_eq(lab_impair_validate(&imp, LAB_KIND_XDP, err, sizeof(err)), 0);
	ck_assert_int_eq(lab_impair_validate(&imp, LAB_KIND_KERNEL, err, sizeof(err)), 0);
	imp.dup_pct = 1;
	ck_assert_int_ne(lab_impair_validate(&imp, LAB_KIND_XDP, err, sizeof(err)), 0);
	ck_assert(lab_impair_needs_dpdk(&imp));
	imp.dup_pct = 0;
	ck_assert(!lab_impair_needs_dpdk(&imp));
}
END_TEST

START_TEST(test_str)
{
	struct lab_impair imp = { 0 };
	char buf[160];

	lab_impair_str(&imp, buf, sizeof(buf));
	ck_assert_str_eq(buf, "none");
	imp = (struct lab_impair){ .blackhole = true, .loss_pct = 1.5, .delay_us = 200,
				   .jitter_us = 20, .dup_pct = 2, .reorder_pct = 3 };
	lab_impair_str(&imp, buf, sizeof(buf));
	ck_assert_str_eq(buf, "blackhole loss=1.5% delay_us=200 jitter_us=20 dup=2% reorder=3%");
	imp = (struct lab_impair){ .ge_p = 1, .ge_r = 25, .ge_k = 100 };
	lab_impair_str(&imp, buf, sizeof(buf));
	ck_assert_str_eq(buf, "bursts(ge_p=1% ge_r=25% ge_k=100% ge_h=0%)");
}
END_TEST

/* Random impairments survive the state file's JSON. */
START_TEST(test_json_round_trip)
{
	uint64_t seed = 0x1ab5eed;
	int i;

	for (i = 0; i < 200; i++) {
		struct lab_impair a = {
			.loss_pct = rnd_range(&seed, 0, 1000) / 10.0,
			.dup_pct = rnd_range(&seed, 0, 100),
			.reorder_pct = rnd_range(&seed, 0, 500) / 10.0,
			.delay_us = (uint32_t)rnd_range(&seed, 0, LAB_MAX_DELAY_US),
			.jitter_us = (uint32_t)rnd_range(&seed, 0, 1000),
			.blackhole = rnd_next(&seed) & 1,
			.ge_p = rnd_range(&seed, 0, 100), .ge_r = rnd_range(&seed, 0, 100),
			.ge_k = rnd_range(&seed, 0, 100), .ge_h = rnd_range(&seed, 0, 100),
		}, b;
		cJSON *j = lab_impair_json(&a);

		memset(&b, 0xff, sizeof(b));
		lab_impair_from_json(j, &b);
		cJSON_Delete(j);
		ck_assert(a.loss_pct == b.loss_pct && a.dup_pct == b.dup_pct &&
			  a.reorder_pct == b.reorder_pct && a.delay_us == b.delay_us &&
			  a.jitter_us == b.jitter_us && a.blackhole == b.blackhole);
		ck_assert(a.ge_p == b.ge_p && a.ge_r == b.ge_r && a.ge_k == b.ge_k &&
			  a.ge_h == b.ge_h);
	}
}
END_TEST

START_TEST(test_rate_limit)
{
	struct lab_impair imp = { 0 }, back = { 0 };
	struct mp_tbucket_cfg tb;
	unsigned int mask;
	char err[256], str[128];
	cJSON *j;

	ck_assert_int_eq(parse("rate=20Mbps,burst=30000", &imp, &mask, err), 0);
	ck_assert_str_eq(imp.rate_limit, "20Mbps");
	ck_assert_uint_eq(imp.burst, 30000);
	ck_assert_uint_eq(mask, LAB_IMP_RATE);
	ck_assert(lab_impair_any(&imp));
	ck_assert_int_eq(lab_impair_tbucket(&imp, &tb), 0);
	ck_assert(tb.rate == 20000000 && tb.per_bit == 1 && tb.burst_nu == 240000ull * 1000000000ull);
	lab_impair_str(&imp, str, sizeof(str));
	ck_assert_str_eq(str, "rate=20Mbps burst=30000");
	j = lab_impair_json(&imp);
	lab_impair_from_json(j, &back);
	cJSON_Delete(j);
	ck_assert_str_eq(back.rate_limit, "20Mbps");
	ck_assert_uint_eq(back.burst, 30000);
	/* xdp only; loss keeps it; off removes it */
	ck_assert_int_eq(lab_impair_validate(&imp, LAB_KIND_XDP, err, sizeof(err)), 0);
	ck_assert_int_ne(lab_impair_validate(&imp, LAB_KIND_DPDK, err, sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "rate"));
	ck_assert_int_eq(parse("loss=1", &imp, &mask, err), 0);
	ck_assert_str_eq(imp.rate_limit, "20Mbps");
	ck_assert_int_eq(parse("rate=5000pps,burst=0", &imp, &mask, err), 0);
	ck_assert_int_eq(lab_impair_tbucket(&imp, &tb), 0);
	ck_assert(tb.rate == 5000 && tb.per_bit == 0);
	ck_assert_int_eq(parse("rate=off", &imp, &mask, err), 0);
	ck_assert_str_eq(imp.rate_limit, "");
	/* errors name the key */
	ck_assert_int_ne(parse("rate=10%", &imp, &mask, err), 0);
	ck_assert_ptr_nonnull(strstr(err, "rate=10%"));
	ck_assert_int_ne(parse("rate=10Mbps,burst=100", &imp, &mask, err), 0);
	ck_assert_ptr_nonnull(strstr(err, "burst"));
	memset(&imp, 0, sizeof(imp));
	ck_assert_int_ne(parse("burst=100", &imp, &mask, err), 0);
	ck_assert_ptr_nonnull(strstr(err, "without a rate"));
}
END_TEST

static Suite *
lab_impair_suite(void)
{
	Suite *s = suite_create("lab_impair");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_each_key);
	tcase_add_test(tc, test_bursts);
	tcase_add_test(tc, test_flap);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_validate);
	tcase_add_test(tc, test_str);
	tcase_add_test(tc, test_json_round_trip);
	tcase_add_test(tc, test_rate_limit);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(lab_impair_suite)
