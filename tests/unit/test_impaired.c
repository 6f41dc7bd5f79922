/* SPDX-License-Identifier: BSD-3-Clause */
/* The per-interval impaired / not impaired / unknown judgement. */
#include <check.h>
#include <string.h>

#include "fate.h"
#include "impaired.h"
#include "mp_test.h"

#define MS	UINT64_C(1000000)

/* An interval of a 1000 pps link: received replies at rtt_ns, lost ones. */
static void
interval(struct link_interval *li, uint64_t received, uint64_t lost, uint64_t rtt_ns)
{
	uint64_t i;

	memset(li, 0, sizeof(*li));
	hist_reset(&li->rtt);
	li->pacer_rate_mpps = 1000 * 1000;
	li->c.sent = received + lost;
	li->c.received = received;
	li->c.lost = lost;
	for (i = 0; i < received; i++)
		hist_add(&li->rtt, rtt_ns);
}

START_TEST(test_loss_threshold)
{
	struct impaired_link l;
	struct link_interval li;

	impaired_init(&l, NULL);
	interval(&li, 100, 2, 1 * MS);		/* 2 of 102: 1.96% */
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_OK);
	interval(&li, 100, 3, 1 * MS);		/* 3 of 103: 2.9% */
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_IMPAIRED);
	interval(&li, 0, 100, 0);		/* every fate known, all lost */
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_IMPAIRED);
}
END_TEST

START_TEST(test_rtt_over_baseline)
{
	struct impaired_link l;
	struct link_interval li;

	impaired_init(&l, NULL);
	interval(&li, 100, 0, 2 * MS);
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_OK);	/* the first sets the baseline */
	ck_assert_uint_ge(l.baseline_ns, 2 * MS - 20000);
	ck_assert_uint_le(l.baseline_ns, 2 * MS + 20000);
	interval(&li, 100, 0, 6800000);		/* 4.8 ms above */
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_OK);
	interval(&li, 100, 0, 7300000);		/* 5.3 ms above */
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_IMPAIRED);
	interval(&li, 100, 0, 1 * MS);		/* a lower floor becomes the baseline */
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_OK);
	interval(&li, 100, 0, 6300000);
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_IMPAIRED);
}
END_TEST

START_TEST(test_unknown_and_outage)
{
	struct impaired_rule rule = { .loss_ratio = 0.5, .rtt_excess_ns = 100 * MS };
	struct impaired_link l;
	struct link_interval li;

	impaired_init(&l, &rule);
	interval(&li, 0, 0, 0);			/* nothing known yet: not "fine" */
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_UNKNOWN);
	/* no reply for a second with probes overdue: impaired before any is lost */
	li.c.sent = 100;
	li.outstanding = 1000;
	li.overdue = 950;
	li.overdue_after_ns = 50 * MS;
	li.no_reply_ns = 1000 * MS;
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_IMPAIRED);
	interval(&li, 100, 40, 1 * MS);		/* 29% lost, under this rule's 50% */
	ck_assert_uint_eq(impaired_judge(&l, &li), FATE_OK);
}
END_TEST

static Suite *
impaired_suite(void)
{
	Suite *s = suite_create("impaired");
	TCase *tc = tcase_create("impaired");

	tcase_add_test(tc, test_loss_threshold);
	tcase_add_test(tc, test_rtt_over_baseline);
	tcase_add_test(tc, test_unknown_and_outage);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(impaired_suite)
