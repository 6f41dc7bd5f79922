/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Interval records: exact round trips of fully populated random records,
 * a byte-exact line for a small record (the schema is a contract), and the
 * JSON path named in the error for each kind of bad input.
 */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mp_record.h"
#include "mp_test.h"

static uint64_t rng_state;

static uint64_t
rng(void)
{
	return rnd_next(&rng_state);
}

/* Random value with a random magnitude, so small and huge values both occur. */
static uint64_t
rng_mag(void)
{
	unsigned bits = (unsigned)(rng() % 65);

	return bits == 64 ? rng() : rng() & ((UINT64_C(1) << bits) - 1);
}

static void
fill_random(struct link_interval *li)
{
	uint64_t *cnt = (uint64_t *)&li->c;
	size_t i, nbuckets;

	memset(li, 0, sizeof(*li));
	snprintf(li->link, sizeof(li->link), "link-%u", (unsigned)(rng() % 1000));
	/* half are a stream's records (issue 12) */
	if (rng() % 2)
		snprintf(li->stream, sizeof(li->stream), "stream-%u", (unsigned)(rng() % 1000));
	li->link_index = (uint32_t)rng();
	li->seq = rng_mag();
	li->start_unix_ns = UINT64_C(1700000000000000000) + rng() % UINT64_C(1000000000000000);
	li->end_unix_ns = li->start_unix_ns + rng() % 1000000000;
	li->queues = (uint32_t)rng();
	li->clock = (enum mp_clock)(rng() % 3);
	/* every counter of struct link_counters is a uint64_t */
	for (i = 0; i < sizeof(li->c) / sizeof(uint64_t); i++)
		cnt[i] = rng_mag();
	li->c.invalid[MP_OK] = 0;	/* unused slot, not carried */

	hist_reset(&li->rtt);
	nbuckets = 1 + rng() % 64;
	for (i = 0; i < nbuckets; i++) {
		unsigned idx = (unsigned)(rng() % HIST_NBUCKETS);
		uint64_t n = 1 + rng() % 100000;

		li->rtt.bucket[idx] += n;
		li->rtt.count += n;
	}
	li->rtt.bucket[HIST_NBUCKETS - 1] += 7;
	li->rtt.count += 7;
	li->rtt.clamped = 1 + rng() % 7;
	li->rtt.sum_ns = rng_mag();
	li->rtt.min_ns = rng() % 1000000;
	li->rtt.max_ns = li->rtt.min_ns + rng_mag() / 2;

	li->residence_ns.count = 1 + rng_mag() / 2;
	li->residence_ns.sum = rng_mag();
	li->residence_ns.min = rng() % 1000;
	li->residence_ns.max = li->residence_ns.min + rng() % 100000;
	li->fwd_ttl.count = 1 + rng() % 100000;
	li->fwd_ttl.sum = rng_mag();
	li->fwd_ttl.min = rng() % 200;
	li->fwd_ttl.max = 255;
	li->jitter_ns = rng_mag();
	li->pacer_rate_mpps = rng_mag();
	/* every other record says what it saw of the reflector */
	if (rng() % 2) {
		uint64_t *f = (uint64_t *)&li->refl;

		li->refl.replies = 1 + rng_mag() / 2;
		/* the counts are of replies: none above them */
		for (i = 1; i < sizeof(li->refl) / sizeof(uint64_t); i++)
			f[i] = rng_mag() % (li->refl.replies + 1);
		li->refl.bytes_min = 14 + rng() % 100;
		li->refl.bytes_max = li->refl.bytes_min + rng() % 9000;
	}
}

/* to_json -> text -> parse -> from_json */
static int
round_trip(const struct link_interval *in, struct link_interval *out, char *err,
	   size_t errlen)
{
	char *line = record_interval_line(in);
	cJSON *o;
	int rc;

	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(line[strlen(line) - 1], '\n');
	ck_assert_ptr_eq(strchr(line, '\n'), line + strlen(line) - 1);
	o = cJSON_Parse(line);
	ck_assert_ptr_nonnull(o);
	rc = record_interval_from_json(o, out, err, errlen);
	cJSON_Delete(o);
	free(line);
	return rc;
}

START_TEST(test_round_trip_random)
{
	static struct link_interval in, out;
	char err[256];
	cJSON *o;
	int iter;

	rng_state = UINT64_C(0x9e3779b97f4a7c15) + (uint64_t)_i;
	for (iter = 0; iter < 40; iter++) {
		fill_random(&in);
		/* Some iterations push values past 2^53 to exercise the string form. */
		if (iter % 4 == 0) {
			in.c.sent = UINT64_MAX;
			in.seq = (UINT64_C(1) << 53) + 1;
			in.rtt.sum_ns = UINT64_MAX - 1;
		}
		/* 16 digits: cJSON's own printer would round the last one. */
		if (iter % 4 == 1)
			in.c.received = UINT64_C(6159482659282989);
		ck_assert_int_eq(round_trip(&in, &out, err, sizeof(err)), 0);
		ck_assert_msg(memcmp(&in, &out, sizeof(in)) == 0,
			      "round trip changed the record (iteration %d)", iter);
		/* and through the object alone, never printed */
		o = record_interval_to_json(&in);
		ck_assert_ptr_nonnull(o);
		ck_assert_int_eq(record_interval_from_json(o, &out, err, sizeof(err)), 0);
		cJSON_Delete(o);
		ck_assert_msg(memcmp(&in, &out, sizeof(in)) == 0,
			      "object round trip changed the record (iteration %d)", iter);
	}
}
END_TEST

START_TEST(test_round_trip_empty)
{
	static struct link_interval in, out;
	char err[256];

	memset(&in, 0, sizeof(in));
	snprintf(in.link, sizeof(in.link), "b");
	in.queues = 1;
	link_interval_reset(&in);
	ck_assert_int_eq(round_trip(&in, &out, err, sizeof(err)), 0);
	ck_assert_uint_eq(out.rtt.min_ns, UINT64_MAX);
	ck_assert_uint_eq(out.residence_ns.min, UINT64_MAX);
	ck_assert_uint_eq(out.fwd_ttl.min, UINT64_MAX);
	ck_assert(memcmp(&in, &out, sizeof(in)) == 0);
}
END_TEST

/* The exact text of a small record, written out by hand from the schema. */
START_TEST(test_line_exact)
{
	static struct link_interval li;
	char *line;
	const char *want =
		"{\"type\":\"interval\",\"v\":1,\"link\":\"a\",\"link_index\":1,\"seq\":12,"
		"\"start_ns\":\"1700000000000000000\",\"end_ns\":\"1700000000100000000\","
		"\"queues\":1,\"clock\":\"hw_rx\",\"clock_error_ns\":2500,\"sent\":100,\"tx_failed\":0,\"tx_skipped\":0,"
		"\"tx_wire_bytes\":14800,\"received\":98,\"lost\":2,\"late\":1,\"duplicates\":0,"
		"\"reordered\":3,\"other_link\":0,\"rx_frames\":104,\"arp_nd\":1,"
		"\"invalid\":{\"truncated\":4,\"bad_nd\":1},\"ignored\":{},\"icmp_errors\":{},"
		"\"rtt\":{\"count\":3,\"sum_ns\":1290,\"min_ns\":100,\"max_ns\":1000,\"clamped\":0,"
		"\"layout\":\"log2-sub128-ns\",\"buckets\":[[100,1],[190,1],[506,1]]},"
		"\"residence_ns\":{\"count\":2,\"sum\":30,\"min\":10,\"max\":20},"
		"\"fwd_ttl\":{\"count\":0,\"sum\":0},\"jitter_ns\":450,\"rate_millipps\":1000000,"
		"\"outstanding\":0,\"overdue\":0,\"overdue_after_ns\":0,\"no_reply_ns\":0}\n";

	memset(&li, 0, sizeof(li));
	snprintf(li.link, sizeof(li.link), "a");
	li.link_index = 1;
	li.queues = 1;
	link_interval_reset(&li);
	li.seq = 12;
	li.start_unix_ns = UINT64_C(1700000000000000000);
	li.end_unix_ns = UINT64_C(1700000000100000000);
	li.clock = MP_CLOCK_HW_RX;
	li.clock_error_ns = 2500;
	li.c.sent = 100;
	li.c.tx_wire_bytes = 14800;
	li.c.received = 98;
	li.c.lost = 2;
	li.c.late = 1;
	li.c.reordered = 3;
	li.c.rx_frames = 104;
	li.c.arp_nd = 1;
	li.c.invalid[MP_R_TRUNCATED] = 4;
	li.c.invalid[MP_R_BAD_ND] = 1;
	/*
	 * By hand: 100 < 128 is exact (bucket 100); 190 = 2^7 + 62 -> group 1,
	 * 128 + 62 = 190; 1000 = 2^9 + 488 -> group 9 - 7 + 1 = 3, sub
	 * (1000 >> 2) - 128 = 122 -> 3 * 128 + 122 = 506.
	 */
	hist_add(&li.rtt, 100);
	hist_add(&li.rtt, 190);
	hist_add(&li.rtt, 1000);
	minmax_add(&li.residence_ns, 10);
	minmax_add(&li.residence_ns, 20);
	li.jitter_ns = 450;
	li.pacer_rate_mpps = 1000000;
	ck_assert_uint_eq(hist_index(100), 100);
	ck_assert_uint_eq(hist_index(190), 190);
	ck_assert_uint_eq(hist_index(1000), 506);
	line = record_interval_line(&li);
	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line, want);
	free(line);
}
END_TEST

START_TEST(test_clock_names)
{
	ck_assert_str_eq(mp_clock_name(MP_CLOCK_TSC), "tsc");
	ck_assert_str_eq(mp_clock_name(MP_CLOCK_HW_RX), "hw_rx");
	ck_assert_str_eq(mp_clock_name(MP_CLOCK_PTP), "ptp");
	ck_assert_str_eq(mp_clock_name((enum mp_clock)7), "unknown");
}
END_TEST

/* A valid record, as text, to mutate. */
#define GOOD_HEAD "{\"type\":\"interval\",\"v\":1,\"link\":\"a\","
#define GOOD_RTT "\"rtt\":{\"count\":2,\"sum_ns\":300,\"min_ns\":100,\"max_ns\":200," \
	"\"clamped\":0,\"layout\":\"log2-sub128-ns\",\"buckets\":[[100,1],[178,1]]}"

static int
parse_text(const char *text, struct link_interval *li, char *err, size_t errlen)
{
	cJSON *o = cJSON_Parse(text);
	int rc;

	ck_assert_msg(o != NULL, "test input is not JSON: %s", text);
	rc = record_interval_from_json(o, li, err, errlen);
	cJSON_Delete(o);
	return rc;
}

START_TEST(test_good_minimal)
{
	static struct link_interval li;
	char err[256] = "x";

	ck_assert_int_eq(parse_text(GOOD_HEAD GOOD_RTT ",\"sent\":9007199254740992,"
				    "\"lost\":\"18446744073709551615\",\"future_key\":[1,2],"
				    "\"invalid\":{\"not_ip\":5,\"reason_from_the_future\":3}}",
				    &li, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_str_eq(li.link, "a");
	ck_assert_uint_eq(li.c.sent, UINT64_C(9007199254740992));
	ck_assert_uint_eq(li.c.lost, UINT64_MAX);
	ck_assert_uint_eq(li.c.invalid[MP_R_NOT_IP], 5);
	ck_assert_uint_eq(li.rtt.count, 2);
	ck_assert_uint_eq(li.rtt.bucket[178], 1);
	ck_assert_uint_eq(li.c.received, 0);
	ck_assert_uint_eq(li.residence_ns.min, UINT64_MAX);
	/* a record from before the reflector object: nothing seen */
	ck_assert_uint_eq(li.refl.replies, 0);
	ck_assert_uint_eq(li.refl.bytes_min, 0);
}
END_TEST

START_TEST(test_reflector_object)
{
	static struct link_interval li;
	char err[256] = "x";
	char *line;

	ck_assert_int_eq(parse_text(GOOD_HEAD "\"reflector\":{\"replies\":10,\"ssid_zero\":10,"
				    "\"stateful\":9,\"t2_eq_t3\":10,\"no_sender_ttl\":10,"
				    "\"bytes_min\":38,\"bytes_max\":38,\"from_the_future\":1}}",
				    &li, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(li.refl.replies, 10);
	ck_assert_uint_eq(li.refl.ssid_zero, 10);
	ck_assert_uint_eq(li.refl.ssid_echoed, 0);
	ck_assert_uint_eq(li.refl.stateful, 9);
	ck_assert_uint_eq(li.refl.t2_eq_t3, 10);
	ck_assert_uint_eq(li.refl.no_sender_ttl, 10);
	ck_assert_uint_eq(li.refl.bytes_min, 38);
	ck_assert_uint_eq(li.refl.bytes_max, 38);
	line = record_interval_line(&li);
	ck_assert_ptr_nonnull(line);
	ck_assert_ptr_nonnull(strstr(line, ",\"reflector\":{\"replies\":10,\"ssid_echoed\":0,"
				   "\"ssid_zero\":10,\"stateful\":9,\"t2_eq_t3\":10,\"ptp\":0,"
				   "\"no_sender_ttl\":10,\"sender_ttl_zero\":0,\"trailer\":0,"
				   "\"bytes_min\":38,\"bytes_max\":38}"));
	free(line);
}
END_TEST

static const struct {
	const char *json;
	const char *want;	/* expected start of err */
} bad_records[] = {
	{ "[1,2]", "(record): " },
	{ "{\"v\":1,\"link\":\"a\"}", "type: " },
	{ "{\"type\":\"hello\",\"v\":1,\"link\":\"a\"}", "type: \"hello\"" },
	{ "{\"type\":\"interval\",\"link\":\"a\"}", "v: missing" },
	{ "{\"type\":\"interval\",\"v\":2,\"link\":\"a\"}", "v: version 2" },
	{ "{\"type\":\"interval\",\"v\":1}", "link: " },
	{ "{\"type\":\"interval\",\"v\":1,\"link\":\"\"}", "link: " },
	{ GOOD_HEAD "\"sent\":-1}", "sent: -1 is negative" },
	{ GOOD_HEAD "\"sent\":1.5}", "sent: 1.5 is not an integer" },
	{ GOOD_HEAD "\"sent\":9007199254740994}", "sent: 9007199254740994 is above 2^53" },
	{ GOOD_HEAD "\"sent\":true}", "sent: not a number" },
	{ GOOD_HEAD "\"received\":\"12x\"}", "received: \"12x\" is not a decimal integer" },
	{ GOOD_HEAD "\"seq\":\"18446744073709551616\"}", "seq: \"18446744073709551616\" does not fit" },
	{ GOOD_HEAD "\"link_index\":4294967296}", "link_index: 4294967296 out of range" },
	{ GOOD_HEAD "\"start_ns\":10,\"end_ns\":5}", "end_ns: 5 is before start_ns 10" },
	{ GOOD_HEAD "\"clock\":\"gps\"}", "clock: \"gps\" is not tsc, hw_rx or ptp" },
	{ GOOD_HEAD "\"clock\":1}", "clock: not a string" },
	{ GOOD_HEAD "\"invalid\":[1]}", "invalid: not an object" },
	{ GOOD_HEAD "\"invalid\":{\"truncated\":-3}}", "invalid.truncated: -3 is negative" },
	{ GOOD_HEAD "\"rtt\":5}", "rtt: not an object" },
	{ GOOD_HEAD "\"rtt\":{\"count\":0}}", "rtt.layout: missing" },
	{ GOOD_HEAD "\"rtt\":{\"layout\":\"linear-us\"}}", "rtt.layout: not \"log2-sub128-ns\"" },
	{ GOOD_HEAD "\"rtt\":{\"count\":4,\"min_ns\":1,\"max_ns\":9,\"layout\":\"log2-sub128-ns\","
	  "\"buckets\":[[1,1],[2,1],[3,1],[4000,1]]}}",
	  "rtt.buckets[3][0]: index 4000 out of range 0..3839" },
	{ GOOD_HEAD "\"rtt\":{\"count\":2,\"min_ns\":1,\"max_ns\":9,\"layout\":\"log2-sub128-ns\","
	  "\"buckets\":[[1,1],[2]]}}", "rtt.buckets[1]: not an [index, count] pair" },
	{ GOOD_HEAD "\"rtt\":{\"count\":3,\"min_ns\":1,\"max_ns\":9,\"layout\":\"log2-sub128-ns\","
	  "\"buckets\":[[1,1],[5,1],[5,1]]}}", "rtt.buckets[2][0]: index 5 after 5" },
	{ GOOD_HEAD "\"rtt\":{\"count\":2,\"min_ns\":1,\"max_ns\":9,\"layout\":\"log2-sub128-ns\","
	  "\"buckets\":[[1,1],[5,-1]]}}", "rtt.buckets[1][1]: -1 is negative" },
	{ GOOD_HEAD "\"rtt\":{\"count\":3,\"min_ns\":1,\"max_ns\":9,\"layout\":\"log2-sub128-ns\","
	  "\"buckets\":[[1,1],[5,1]]}}", "rtt.buckets: counts add up to 2 but rtt.count is 3" },
	{ GOOD_HEAD "\"rtt\":{\"count\":1,\"min_ns\":1,\"max_ns\":9,\"clamped\":1,"
	  "\"layout\":\"log2-sub128-ns\",\"buckets\":[[1,1]]}}", "rtt.clamped: 1 is more" },
	{ GOOD_HEAD "\"rtt\":{\"count\":1,\"max_ns\":9,\"layout\":\"log2-sub128-ns\","
	  "\"buckets\":[[1,1]]}}", "rtt.min_ns: missing" },
	{ GOOD_HEAD "\"rtt\":{\"count\":1,\"min_ns\":10,\"max_ns\":9,\"layout\":\"log2-sub128-ns\","
	  "\"buckets\":[[1,1]]}}", "rtt.min_ns: 10 is above max_ns 9" },
	{ GOOD_HEAD "\"residence_ns\":{\"count\":1,\"sum\":5,\"min\":7,\"max\":6}}",
	  "residence_ns.min: 7 is above max 6" },
	{ GOOD_HEAD "\"fwd_ttl\":{\"count\":1,\"sum\":5,\"max\":6}}", "fwd_ttl.min: missing" },
	{ GOOD_HEAD "\"fwd_ttl\":{\"count\":1,\"sum\":{},\"min\":5,\"max\":6}}", "fwd_ttl.sum: not a number" },
	{ GOOD_HEAD "\"rate_mpps\":\"\"}", "rate_mpps: \"\" is not a decimal integer" },
	{ GOOD_HEAD "\"reflector\":[]}", "reflector: not an object" },
	{ GOOD_HEAD "\"stream\":\"\"}", "stream: not a name of 1..31 characters" },
	{ GOOD_HEAD "\"stream\":7}", "stream: not a name" },
	{ GOOD_HEAD "\"reflector\":{\"replies\":-1}}", "reflector.replies: -1 is negative" },
	{ GOOD_HEAD "\"reflector\":{\"replies\":2,\"bytes_min\":44,\"bytes_max\":38}}",
	  "reflector.bytes_min: 44 does not fit" },
	{ GOOD_HEAD "\"reflector\":{\"replies\":2,\"bytes_max\":38}}",
	  "reflector.bytes_min: 0 does not fit" },
	{ GOOD_HEAD "\"reflector\":{\"replies\":2,\"stateful\":3,\"bytes_min\":38,"
	  "\"bytes_max\":38}}", "reflector: stateful 3 exceeds replies 2" },
	{ GOOD_HEAD "\"reflector\":{\"bytes_max\":38}}", "reflector.bytes_max: 38 without replies" },
};

START_TEST(test_bad_records)
{
	static struct link_interval li;
	char err[256];
	int rc;

	err[0] = '\0';
	rc = parse_text(bad_records[_i].json, &li, err, sizeof(err));
	ck_assert_msg(rc == -EINVAL, "accepted: %s", bad_records[_i].json);
	ck_assert_msg(strncmp(err, bad_records[_i].want, strlen(bad_records[_i].want)) == 0,
		      "input %s\n  got  \"%s\"\n  want \"%s...\"", bad_records[_i].json, err,
		      bad_records[_i].want);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

START_TEST(test_small_err_buffer)
{
	static struct link_interval li;
	char err[8];

	memset(err, 'x', sizeof(err));
	ck_assert_int_eq(parse_text("{\"type\":\"interval\",\"v\":1}", &li, err, sizeof(err)),
			 -EINVAL);
	ck_assert_str_eq(err, "link: m");
	ck_assert_int_eq(parse_text("{}", &li, NULL, 0), -EINVAL);
	ck_assert_int_eq(record_interval_from_json(NULL, &li, err, sizeof(err)), -EINVAL);
}
END_TEST

/* A path record with random hops: what the dataplane would hand over. */
static void
path_random(struct path_record *pr, uint64_t *seed, int family)
{
	struct path_round *r = &pr->r;
	unsigned f, t;

	memset(pr, 0, sizeof(*pr));
	snprintf(pr->link, sizeof(pr->link), "link-%d", family);
	pr->link_index = (uint32_t)rnd_range(seed, 0, 1);
	pr->start_unix_ns = UINT64_C(1796376980551096123) + rnd_range(seed, 0, 1000000);
	pr->end_unix_ns = pr->start_unix_ns + rnd_range(seed, 0, 5000000000ull);
	r->lk.dst.family = (uint8_t)family;
	r->lk.dst.b[0] = family == 4 ? 198 : 0x20;
	r->lk.dst.b[3] = 2;
	r->lk.sport_base = (uint16_t)rnd_range(seed, 1, 60000);
	r->lk.dport = 862;
	r->lk.flows = (uint8_t)rnd_range(seed, 1, PATH_MAX_FLOWS);
	r->lk.max_ttl = (uint8_t)rnd_range(seed, 1, PATH_MAX_TTL);
	r->round = (uint32_t)rnd_range(seed, 0, UINT32_MAX);
	r->next_ttl = r->lk.max_ttl + 1;
	for (f = 0; f < r->lk.flows; f++) {
		unsigned last = (unsigned)rnd_range(seed, 0, r->lk.max_ttl);

		for (t = 1; t <= last; t++) {
			struct path_hop *h = &r->hop[f][t - 1];
			unsigned kind = (unsigned)rnd_range(seed, 0, 9);

			h->state = PATH_HOP_SENT;
			if (kind < 3)
				continue;
			h->addr.family = (uint8_t)family;
			h->addr.b[0] = family == 4 ? 10 : 0x20;
			h->addr.b[3] = (uint8_t)t;
			h->rtt_ns = rnd_range(seed, 0, UINT64_C(1) << 60);
			h->state = PATH_HOP_ROUTER;
			if (t == last && kind >= 7) {
				h->state = kind == 9 ? PATH_HOP_ERROR : PATH_HOP_REFLECTOR;
				h->icmp_err = kind == 9 ? MP_ICMP_HOST_UNREACHABLE : 0;
				r->end_ttl[f] = (uint8_t)t;
			}
		}
	}
}

START_TEST(test_path_round_trip)
{
	static struct path_record a, b;
	uint64_t seed = 1000 + (uint64_t)_i;
	char err[256], *text;
	cJSON *o;

	path_random(&a, &seed, _i % 2 ? 6 : 4);
	o = record_path_to_json(&a);
	ck_assert_ptr_nonnull(o);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	ck_assert_ptr_nonnull(text);
	o = cJSON_Parse(text);
	ck_assert_ptr_nonnull(o);
	ck_assert_msg(record_path_from_json(o, &b, err, sizeof(err)) == 0, "%s: %s", err, text);
	cJSON_Delete(o);
	cJSON_free(text);
	ck_assert_mem_eq(&a, &b, sizeof(a));
}
END_TEST

/* What a path record says, by name; and what is refused. */
START_TEST(test_path_fields)
{
	static struct path_record pr;
	static const char *const bad[] = {
		"{\"type\":\"path\",\"v\":1,\"link\":\"a\",\"reflector\":\"x\",\"max_ttl\":4,\"flows\":[]}",
		"{\"type\":\"path\",\"v\":1,\"link\":\"a\",\"reflector\":\"192.0.2.2\",\"max_ttl\":4,\"flows\":[]}",
		"{\"type\":\"path\",\"v\":1,\"link\":\"a\",\"reflector\":\"192.0.2.2\",\"max_ttl\":4,"
		"\"flows\":[{\"flow\":0,\"source_port\":9,\"hops\":[{\"ttl\":5,\"addr\":\"*\"}]}]}",
		"{\"type\":\"path\",\"v\":1,\"link\":\"a\",\"reflector\":\"192.0.2.2\",\"max_ttl\":4,"
		"\"flows\":[{\"flow\":0,\"source_port\":9,\"hops\":[{\"ttl\":1,\"addr\":\"2001:db8::1\",\"rtt_ns\":1}]}]}",
		"{\"type\":\"path\",\"v\":1,\"link\":\"a\",\"reflector\":\"192.0.2.2\",\"max_ttl\":4,"
		"\"flows\":[{\"flow\":0,\"source_port\":9,\"hops\":[{\"ttl\":1,\"addr\":\"192.0.2.2\",\"rtt_ns\":1,"
		"\"reflector\":true},{\"ttl\":2,\"addr\":\"*\"}]}]}",
		"{\"type\":\"interval\",\"v\":1,\"link\":\"a\"}",
	};
	const char *good = "{\"type\":\"path\",\"v\":1,\"link\":\"a\",\"link_index\":1,\"round\":3,"
		"\"reflector\":\"192.0.2.2\",\"reflector_port\":862,\"max_ttl\":16,"
		"\"flows\":[{\"flow\":0,\"source_port\":864,\"reached\":true,\"reached_ttl\":3,"
		"\"hops\":[{\"ttl\":1,\"addr\":\"10.0.1.1\",\"rtt_ns\":41000},{\"ttl\":2,\"addr\":\"*\"},"
		"{\"ttl\":3,\"addr\":\"192.0.2.2\",\"rtt_ns\":52000,\"reflector\":true}]}]}";
	char err[256];
	cJSON *o;
	unsigned i;

	o = cJSON_Parse(good);
	ck_assert_int_eq(record_path_from_json(o, &pr, err, sizeof(err)), 0);
	cJSON_Delete(o);
	ck_assert_str_eq(pr.link, "a");
	ck_assert_uint_eq(pr.link_index, 1);
	ck_assert_uint_eq(pr.r.round, 3);
	ck_assert_uint_eq(pr.r.lk.sport_base, 864);
	ck_assert_uint_eq(pr.r.end_ttl[0], 3);
	ck_assert_uint_eq(pr.r.hop[0][0].state, PATH_HOP_ROUTER);
	ck_assert_uint_eq(pr.r.hop[0][0].rtt_ns, 41000);
	ck_assert_uint_eq(pr.r.hop[0][1].state, PATH_HOP_SENT);
	ck_assert_uint_eq(pr.r.hop[0][2].state, PATH_HOP_REFLECTOR);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = cJSON_Parse(bad[i]);
		ck_assert_ptr_nonnull(o);
		ck_assert_int_eq(record_path_from_json(o, &pr, err, sizeof(err)), -EINVAL);
		ck_assert_msg(err[0] != '\0', "bad[%u] without a reason", i);
		cJSON_Delete(o);
	}
}
END_TEST

static Suite *
record_suite(void)
{
	Suite *s = suite_create("record");
	TCase *tc = tcase_create("record");

	tcase_add_loop_test(tc, test_round_trip_random, 0, 5);
	tcase_add_test(tc, test_round_trip_empty);
	tcase_add_test(tc, test_line_exact);
	tcase_add_test(tc, test_clock_names);
	tcase_add_test(tc, test_good_minimal);
	tcase_add_test(tc, test_reflector_object);
	tcase_add_loop_test(tc, test_bad_records, 0,
			    (int)(sizeof(bad_records) / sizeof(bad_records[0])));
	tcase_add_test(tc, test_small_err_buffer);
	tcase_add_loop_test(tc, test_path_round_trip, 0, 40);
	tcase_add_test(tc, test_path_fields);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(record_suite)
