/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Dataplane restarts: a gap from the old instance's newest record to the
 * new one's first, found by process id or, without one, by interval
 * numbers starting again; a reconnect of the same instance is no gap; and
 * the restart back-off doubles within its bounds and resets after a stable
 * run.
 */
#include <check.h>

#include "backoff.h"
#include "dpgap.h"
#include "mp_test.h"

#define S	UINT64_C(1000000000)
#define T0	UINT64_C(1796409000000000000)

START_TEST(test_gap_by_pid)
{
	struct dpgap g;
	struct dpgap_span sp;
	uint64_t k;

	dpgap_init(&g);
	for (k = 0; k < 50; k++) {
		ck_assert(!dpgap_record(&g, 100, 0, k, T0 + k * S / 10, T0 + (k + 1) * S / 10, &sp));
		ck_assert(!dpgap_record(&g, 100, 1, k, T0 + k * S / 10, T0 + (k + 1) * S / 10, &sp));
	}
	/* the old instance's last record ended at T0 + 5 s; the new one starts 3.2 s later */
	ck_assert(dpgap_record(&g, 200, 1, 0, T0 + 82 * S / 10, T0 + 83 * S / 10, &sp));
	ck_assert_uint_eq(sp.start_ns, T0 + 5 * S);
	ck_assert_uint_eq(sp.end_ns, T0 + 82 * S / 10);
	ck_assert_uint_eq(sp.old_inst, 100);
	ck_assert_uint_eq(sp.new_inst, 200);
	ck_assert(!dpgap_record(&g, 200, 0, 0, T0 + 82 * S / 10, T0 + 83 * S / 10, &sp));
	ck_assert(!dpgap_record(&g, 200, 1, 1, T0 + 83 * S / 10, T0 + 84 * S / 10, &sp));
	ck_assert_uint_eq(g.gaps, 1);
	ck_assert_uint_eq(g.gap_ns, 32 * S / 10);
}
END_TEST

START_TEST(test_gap_by_seq)
{
	struct dpgap g;
	struct dpgap_span sp;

	dpgap_init(&g);
	ck_assert(!dpgap_record(&g, 0, 0, 7, T0, T0 + S, &sp));
	ck_assert(!dpgap_record(&g, 0, 0, 8, T0 + S, T0 + 2 * S, &sp));
	/* the same instance after a reconnect: numbers go on, no gap */
	ck_assert(!dpgap_record(&g, 0, 0, 9, T0 + 2 * S, T0 + 3 * S, &sp));
	/* numbers start again: a new instance */
	ck_assert(dpgap_record(&g, 0, 0, 0, T0 + 10 * S, T0 + 11 * S, &sp));
	ck_assert_uint_eq(sp.end_ns - sp.start_ns, 7 * S);
	/* the first records ever are no gap, whatever their numbers */
	dpgap_init(&g);
	ck_assert(!dpgap_record(&g, 5, 1, 1000, T0, T0 + S, &sp));
}
END_TEST

START_TEST(test_backoff)
{
	struct backoff b;

	backoff_init(&b, 1 * S, 60 * S, 60 * S);
	ck_assert_uint_eq(backoff_next(&b, 2 * S), 1 * S);
	ck_assert_uint_eq(backoff_next(&b, 2 * S), 2 * S);
	ck_assert_uint_eq(backoff_next(&b, 2 * S), 4 * S);
	ck_assert_uint_eq(backoff_next(&b, 2 * S), 8 * S);
	ck_assert_uint_eq(backoff_next(&b, 2 * S), 16 * S);
	ck_assert_uint_eq(backoff_next(&b, 2 * S), 32 * S);
	ck_assert_uint_eq(backoff_next(&b, 2 * S), 60 * S);
	ck_assert_uint_eq(backoff_next(&b, 2 * S), 60 * S);
	ck_assert_uint_eq(b.deaths, 8);
	/* it ran a stable minute: back to the first wait */
	ck_assert_uint_eq(backoff_next(&b, 61 * S), 1 * S);
	ck_assert_uint_eq(b.deaths, 1);
}
END_TEST

static Suite *
dpgap_suite(void)
{
	Suite *s = suite_create("dpgap");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_gap_by_pid);
	tcase_add_test(tc, test_gap_by_seq);
	tcase_add_test(tc, test_backoff);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(dpgap_suite)
