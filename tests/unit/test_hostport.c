/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ADDR:PORT of a listener (control/hostport.c): IPv4, bracketed IPv6, a
 * bare port on loopback, and one clear line for everything else.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "hostport.h"
#include "mp_test.h"

static const char *
roundtrip(const char *in)
{
	static char out[80];
	struct sockaddr_storage ss;
	socklen_t len;
	static char err[192];

	if (hostport_parse(in, &ss, &len, err, sizeof(err)) != 0)
		return err;
	return hostport_format(&ss, out, sizeof(out));
}

START_TEST(test_good)
{
	ck_assert_str_eq(roundtrip("127.0.0.1:9862"), "127.0.0.1:9862");
	ck_assert_str_eq(roundtrip("0.0.0.0:0"), "0.0.0.0:0");
	ck_assert_str_eq(roundtrip("9100"), "127.0.0.1:9100");
	ck_assert_str_eq(roundtrip(":65535"), "127.0.0.1:65535");
	ck_assert_str_eq(roundtrip("[::1]:9862"), "[::1]:9862");
	ck_assert_str_eq(roundtrip("[fe80::1]:80"), "[fe80::1]:80");
	ck_assert_str_eq(roundtrip(HOSTPORT_DEFAULT), HOSTPORT_DEFAULT);
}
END_TEST

static void
bad(const char *in, const char *says)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char err[192] = "";

	ck_assert_int_eq(hostport_parse(in, &ss, &len, err, sizeof(err)), -EINVAL);
	ck_assert_msg(strstr(err, says) != NULL, "'%s': '%s' does not say '%s'", in, err, says);
	ck_assert(strchr(err, '\n') == NULL);
}

START_TEST(test_bad)
{
	bad("", "empty");
	bad(NULL, "empty");
	bad("127.0.0.1:65536", "0 to 65535");
	bad("127.0.0.1:", "0 to 65535");
	bad("127.0.0.1:80x", "0 to 65535");
	bad("127.0.0.1:-1", "0 to 65535");
	bad("127.0.0.1:\n80", "0 to 65535");	/* the echoed text keeps to one line */
	bad("127.0.0.1:000080", "0 to 65535");
	bad("localhost:80", "numeric IPv4");
	bad("1.2.3:80", "numeric IPv4");
	bad("::1:80", "brackets");
	bad("[::1:80", "closing");
	bad("[::1]80", "':PORT'");
	bad("[1.2.3.4]:80", "IPv6");
	bad("[::1]:", "0 to 65535");
	bad("[xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx]:1", "too long");
}
END_TEST

static Suite *
hostport_suite(void)
{
	Suite *s = suite_create("hostport");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_good);
	tcase_add_test(tc, test_bad);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(hostport_suite)
