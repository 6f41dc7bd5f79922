/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The lab's state (control/lab_state.c): what `lab up` saves is what
 * `lab down`, `lab status` and `lab impair` read back, and a state from an
 * older or damaged file reads with safe defaults.
 */
#include <check.h>
#include <string.h>

#include "lab_internal.h"
#include "mp_test.h"

static void
random_state(struct lab_state *st, uint64_t *seed)
{
	int s;

	lab_state_init(st);
	st->started_s = (long long)rnd_range(seed, 1, 4000000000ull);
	st->complete = rnd_next(seed) & 1;
	st->conduit = rnd_next(seed) & 1;
	st->conduit_blackhole = rnd_next(seed) & 1;
	st->ipv6 = rnd_next(seed) & 1;
	st->hp_ok = rnd_next(seed) & 1;
	snprintf(st->hp.owner, sizeof(st->hp.owner), "lab");
	st->hp.need = (long)rnd_range(seed, 0, 4096);
	st->hp.before = (long)rnd_range(seed, 0, 4096);
	st->hp.raised = (long)rnd_range(seed, 0, 4096);
	snprintf(st->config_path, sizeof(st->config_path), "/tmp/lab-%u.json",
		 (unsigned int)rnd_range(seed, 0, 99999));
	for (s = 0; s < LAB_NSITES; s++) {
		struct lab_site *ls = &st->site[s];

		ls->kind = (enum lab_kind)rnd_range(seed, 0, LAB_KIND_COUNT - 1);
		ls->pid = (pid_t)rnd_range(seed, 0, 4194304);
		ls->cpu = (int)rnd_range(seed, 0, 63);
		ls->hugepages = rnd_next(seed) & 1;
		ls->imp.loss_pct = rnd_range(seed, 0, 1000) / 10.0;
		ls->imp.delay_us = (uint32_t)rnd_range(seed, 0, LAB_MAX_DELAY_US);
		ls->imp.blackhole = rnd_next(seed) & 1;
		ls->imp.ge_k = 100;
	}
}

static void
assert_same(const struct lab_state *a, const struct lab_state *b)
{
	int s;

	ck_assert(a->started_s == b->started_s && a->complete == b->complete);
	ck_assert(a->conduit == b->conduit && a->conduit_blackhole == b->conduit_blackhole);
	ck_assert(a->ipv6 == b->ipv6 && a->hp_ok == b->hp_ok);
	ck_assert(a->hp.need == b->hp.need && a->hp.before == b->hp.before &&
		  a->hp.raised == b->hp.raised);
	ck_assert_str_eq(a->hp.owner, b->hp.owner);
	ck_assert_str_eq(a->config_path, b->config_path);
	for (s = 0; s < LAB_NSITES; s++) {
		const struct lab_site *x = &a->site[s], *y = &b->site[s];

		ck_assert_int_eq(x->kind, y->kind);
		ck_assert_int_eq(x->pid, y->pid);
		ck_assert_int_eq(x->cpu, y->cpu);
		ck_assert(x->hugepages == y->hugepages);
		ck_assert(x->imp.loss_pct == y->imp.loss_pct && x->imp.delay_us == y->imp.delay_us &&
			  x->imp.blackhole == y->imp.blackhole && x->imp.ge_k == y->imp.ge_k);
	}
}

/* Through the text the file holds, not only the cJSON tree. */
START_TEST(test_round_trip)
{
	uint64_t seed = 0x5ca1ab1e;
	int i;

	for (i = 0; i < 100; i++) {
		struct lab_state a, b;
		cJSON *j, *back;
		char *text;

		random_state(&a, &seed);
		j = lab_state_json(&a);
		text = cJSON_Print(j);
		cJSON_Delete(j);
		back = cJSON_Parse(text);
		free(text);
		ck_assert_ptr_nonnull(back);
		lab_state_init(&b);
		lab_state_from_json(back, &b);
		cJSON_Delete(back);
		assert_same(&a, &b);
	}
}
END_TEST

/* What the file says besides the state proper: the namespaces, the logs. */
START_TEST(test_file_shape)
{
	struct lab_state st;
	const cJSON *ns, *sites;
	cJSON *j;

	lab_state_init(&st);
	st.site[1].kind = LAB_KIND_XDP;
	j = lab_state_json(&st);
	ns = cJSON_GetObjectItemCaseSensitive(j, "netns");
	ck_assert_int_eq(cJSON_GetArraySize(ns), 3);	/* no conduit: no mp-conduit */
	sites = cJSON_GetObjectItemCaseSensitive(j, "sites");
	ck_assert_str_eq(lab_jstr(cJSON_GetObjectItemCaseSensitive(sites, "a"), "log"),
			 LAB_STATE_DIR "/reflector-a.log");
	ck_assert_ptr_null(lab_jstr(cJSON_GetObjectItemCaseSensitive(sites, "b"), "log"));
	ck_assert_str_eq(lab_jstr(cJSON_GetObjectItemCaseSensitive(sites, "b"), "reflector"),
			 "xdp");
	cJSON_Delete(j);
	st.conduit = true;
	j = lab_state_json(&st);
	ns = cJSON_GetObjectItemCaseSensitive(j, "netns");
	ck_assert_int_eq(cJSON_GetArraySize(ns), 4);
	ck_assert_str_eq(cJSON_GetArrayItem(ns, 3)->valuestring, LAB_NS_CONDUIT);
	cJSON_Delete(j);
}
END_TEST

/* An empty or foreign object: nothing raised, dpdk sites, no impairments. */
START_TEST(test_defaults)
{
	struct lab_state st;
	cJSON *j = cJSON_Parse("{\"sites\": {\"a\": {\"reflector\": \"warp\"}}}");
	int s;

	lab_state_init(&st);
	lab_state_from_json(j, &st);
	cJSON_Delete(j);
	ck_assert(!st.complete && !st.conduit && !st.hp_ok);
	ck_assert_int_eq(st.hp.before, -1);	/* unknown: never lowered below it */
	ck_assert_int_eq(st.hp.raised, 0);
	ck_assert_str_eq(st.hp.owner, "lab");
	for (s = 0; s < LAB_NSITES; s++) {
		ck_assert_int_eq(st.site[s].kind, LAB_KIND_DPDK);
		ck_assert(!lab_impair_any(&st.site[s].imp));
		ck_assert(st.site[s].imp.ge_k == 100);
	}
}
END_TEST

START_TEST(test_kinds)
{
	int k;

	for (k = 0; k < LAB_KIND_COUNT; k++)
		ck_assert_int_eq(lab_kind_parse(lab_kind_names[k]), k);
	ck_assert_int_eq(lab_kind_parse("dpdk"), LAB_KIND_DPDK);
	ck_assert_int_eq(lab_kind_parse("kernel"), LAB_KIND_KERNEL);
	ck_assert_int_eq(lab_kind_parse("xdp"), LAB_KIND_XDP);
	ck_assert_int_lt(lab_kind_parse("XDP"), 0);
	ck_assert_int_lt(lab_kind_parse(""), 0);
}
END_TEST

START_TEST(test_iso_time)
{
	char buf[64];

	lab_iso_time(0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "1970-01-01T00:00:00Z");
	lab_iso_time(1764806400, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2025-12-04T00:00:00Z");
}
END_TEST

static Suite *
lab_state_suite(void)
{
	Suite *s = suite_create("lab_state");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_round_trip);
	tcase_add_test(tc, test_file_shape);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_kinds);
	tcase_add_test(tc, test_iso_time);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(lab_state_suite)
