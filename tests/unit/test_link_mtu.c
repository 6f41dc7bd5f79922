/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which frame sizes a link's MTU carries (control/link_mtu.c): the sweep
 * and golive skip the others instead of failing on them.
 */
#include <check.h>
#include <stdio.h>

#include "link_mtu.h"
#include "mp_test.h"

START_TEST(test_carries)
{
	ck_assert(link_mtu_carries(1500, 1518, 0));
	ck_assert(!link_mtu_carries(1500, 1519, 0));
	ck_assert(!link_mtu_carries(1500, 9000, 0));
	/* each VLAN tag adds 4 bytes the MTU does not count */
	ck_assert(link_mtu_carries(1500, 1522, 1));
	ck_assert(link_mtu_carries(1500, 1526, 2));
	ck_assert(!link_mtu_carries(1500, 1527, 2));
	ck_assert(link_mtu_carries(9000, 9000, 0));
	ck_assert(link_mtu_carries(9000, 9018, 0));
	ck_assert_uint_eq(link_mtu_max_frame(1500, 0), 1518);
	ck_assert_uint_eq(link_mtu_max_frame(9000, 1), 9022);
}
END_TEST

START_TEST(test_parse)
{
	ck_assert_uint_eq(link_mtu_parse("7: mpa-p@if6: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 9000 "
					 "qdisc noqueue state UP mode DEFAULT"), 9000);
	ck_assert_uint_eq(link_mtu_parse("2: eth0: <UP> mtu 1500 qdisc"), 1500);
	ck_assert_uint_eq(link_mtu_parse("2: eth0: <UP> qdisc"), 0);
	ck_assert_uint_eq(link_mtu_parse(" mtu x"), 0);
	ck_assert_uint_eq(link_mtu_parse(NULL), 0);
}
END_TEST

START_TEST(test_get_without_an_interface)
{
	struct mp_link_cfg l = { 0 };
	bool known = true;

	/* a PCI port, or a vdev without iface=: assumed 1500, and said to be assumed */
	snprintf(l.port, sizeof(l.port), "0000:03:00.0");
	l.port_is_pci = true;
	ck_assert_uint_eq(link_mtu_get(&l, &known), LINK_MTU_DEFAULT);
	ck_assert(!known);
	snprintf(l.port, sizeof(l.port), "net_pcap0,rx_pcap=x.pcap");
	l.port_is_pci = false;
	ck_assert_uint_eq(link_mtu_get(&l, &known), LINK_MTU_DEFAULT);
	ck_assert(!known);
}
END_TEST

static Suite *
link_mtu_suite(void)
{
	Suite *s = suite_create("link_mtu");
	TCase *tc = tcase_create("mtu");

	tcase_add_test(tc, test_carries);
	tcase_add_test(tc, test_parse);
	tcase_add_test(tc, test_get_without_an_interface);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(link_mtu_suite)
