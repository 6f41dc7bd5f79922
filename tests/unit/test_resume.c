/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Resuming a restarted control: the resume line (parse, format, refusals),
 * record numbers (stamped on a line, read back, ordered), the dataplane's
 * history bounds (count, bytes, age only once sent), the last record found
 * in files control wrote (a torn last line truncated away and said; the
 * newest rotated file when the live one is empty; the newer instance), and
 * the duplicate filter through the connection's framing.
 */
#include <check.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dpconn.h"
#include "mp_history.h"
#include "mp_resume.h"
#include "mp_test.h"
#include "resume.h"

static int
parse(const char *s, struct mp_resume *r, char *err)
{
	return mp_resume_parse(s, strlen(s), r, err, 160);
}

START_TEST(test_resume_line)
{
	struct mp_resume r, back;
	char err[160], buf[MP_RESUME_LINE_MAX];
	int n;

	ck_assert_int_eq(parse("{\"type\":\"resume\",\"instance\":\"9f3c0a17d2b84e65\","
			       "\"after\":42}", &r, err), 0);
	ck_assert(r.has_instance);
	ck_assert_uint_eq(r.instance, 0x9f3c0a17d2b84e65ull);
	ck_assert_uint_eq(r.after, 42);
	ck_assert_int_eq(parse("{\"type\":\"resume\",\"x\":[1,2]}", &r, err), 0);
	ck_assert(!r.has_instance);
	ck_assert_uint_eq(r.after, 0);
	/* after as a decimal string too (exact above 2^53) */
	ck_assert_int_eq(parse("{\"type\":\"resume\",\"instance\":\"1\",\"after\":"
			       "\"18446744073709551615\"}", &r, err), 0);
	ck_assert_uint_eq(r.after, UINT64_MAX);
	n = mp_resume_format(&(struct mp_resume){ true, 0xabcull, 7 }, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	ck_assert_str_eq(buf, "{\"type\":\"resume\",\"instance\":\"0000000000000abc\",\"after\":7}\n");
	ck_assert_int_eq(mp_resume_parse(buf, (size_t)n - 1, &back, err, sizeof(err)), 0);
	ck_assert(back.has_instance && back.instance == 0xabc && back.after == 7);
	n = mp_resume_format(&(struct mp_resume){ 0 }, buf, sizeof(buf));
	ck_assert_str_eq(buf, "{\"type\":\"resume\"}\n");
	ck_assert_int_eq(mp_resume_format(&(struct mp_resume){ 0 }, buf, 5), -ENOSPC);
}
END_TEST

START_TEST(test_resume_line_refused)
{
	static const char *const bad[][2] = {
		{ "", "not a JSON object" },
		{ "[1]", "not a JSON object" },
		{ "{\"type\":\"resum\"}", "type" },
		{ "{\"after\":3}", "type" },
		{ "{\"type\":\"resume\",\"instance\":\"xyz\"}", "instance" },
		{ "{\"type\":\"resume\",\"instance\":\"12345678901234567\"}", "instance" },
		{ "{\"type\":\"resume\",\"instance\":7}", "instance" },
		{ "{\"type\":\"resume\",\"after\":3}", "after: without an instance" },
		{ "{\"type\":\"resume\",\"instance\":\"a\",\"after\":-1}", "after" },
		{ "{\"type\":\"resume\",\"instance\":\"a\",\"after\":1.5}", "after" },
		{ "{\"type\":\"resume\",\"instance\":\"a\",\"after\":\"1x\"}", "after" },
	};
	char err[160], longline[400];
	struct mp_resume r;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ck_assert_msg(parse(bad[i][0], &r, err) == -EINVAL, "accepted %s", bad[i][0]);
		ck_assert_msg(strstr(err, bad[i][1]) != NULL, "%s: '%s'", bad[i][0], err);
		ck_assert(!r.has_instance && r.after == 0);
	}
	memset(longline, ' ', sizeof(longline));
	memcpy(longline, "{\"type\":\"resume\"}", 17);
	ck_assert_int_eq(mp_resume_parse(longline, sizeof(longline), &r, err, sizeof(err)),
			 -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "longer than"));
}
END_TEST

START_TEST(test_recid_stamp)
{
	struct mp_recid id = { 0x0123456789abcdefull, 1764874063123456789ull, 42 }, back;
	char *line = strdup("{\"type\":\"event\",\"link\":\"a\"}\n");
	cJSON *o;

	line = mp_recid_stamp(line, &id);
	ck_assert_ptr_nonnull(line);
	ck_assert_str_eq(line, "{\"type\":\"event\",\"link\":\"a\",\"instance\":\"0123456789abcdef\","
			 "\"instance_start_ns\":\"1764874063123456789\",\"rec\":42}\n");
	o = cJSON_Parse(line);
	ck_assert_int_eq(mp_recid_from_json(o, &back), 0);
	ck_assert_int_eq(mp_recid_cmp(&id, &back), 0);
	cJSON_Delete(o);
	free(line);
	line = mp_recid_stamp(strdup("{}\n"), &id);
	o = cJSON_Parse(line);
	ck_assert_int_eq(mp_recid_from_json(o, &back), 0);
	cJSON_Delete(o);
	free(line);
	ck_assert_ptr_null(mp_recid_stamp(strdup("[1]\n"), &id));
	ck_assert_ptr_null(mp_recid_stamp(strdup("{\"a\":1}"), &id));
	/* no number, and a malformed one */
	o = cJSON_Parse("{\"type\":\"event\"}");
	ck_assert_int_eq(mp_recid_from_json(o, &back), -ENOENT);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"rec\":3,\"instance\":\"zz\",\"instance_start_ns\":\"1\"}");
	ck_assert_int_eq(mp_recid_from_json(o, &back), -EINVAL);
	cJSON_Delete(o);
	o = cJSON_Parse("{\"rec\":0,\"instance\":\"a\",\"instance_start_ns\":\"1\"}");
	ck_assert_int_eq(mp_recid_from_json(o, &back), -EINVAL);
	cJSON_Delete(o);
}
END_TEST

START_TEST(test_recid_order)
{
	struct mp_recid a = { 0xffff, 100, 9 }, b = { 0x1, 200, 1 }, c = { 0xffff, 100, 10 };

	/* a later start is newer whatever the ids and numbers */
	ck_assert_int_lt(mp_recid_cmp(&a, &b), 0);
	ck_assert_int_gt(mp_recid_cmp(&b, &c), 0);
	ck_assert_int_lt(mp_recid_cmp(&a, &c), 0);
}
END_TEST

static char *
mkline(uint64_t rec, size_t len)
{
	char *s = malloc(len + 1), num[24];
	int n = snprintf(num, sizeof(num), "%" PRIu64, rec);

	memset(s, 'x', len);
	memcpy(s, num, (size_t)n);
	s[len - 1] = '\n';
	s[len] = '\0';
	return s;
}

START_TEST(test_history_bounds)
{
	struct mp_history h;
	const char *l;
	size_t len;
	uint64_t i;

	/* the count bound: the oldest go, counted dropped when no control had them */
	ck_assert_int_eq(mp_history_init(&h, 8, 1 << 20, 600), 0);
	for (i = 1; i <= 20; i++) {
		ck_assert_uint_eq(mp_history_next(&h), i);
		mp_history_push(&h, mkline(i, 10), i);
	}
	ck_assert_uint_eq(h.first, 13);
	ck_assert_uint_eq(h.dropped, 12);
	ck_assert_ptr_null(mp_history_get(&h, 12, &len));
	l = mp_history_get(&h, 13, &len);
	ck_assert(l != NULL && strncmp(l, "13", 2) == 0 && len == 10);
	ck_assert_ptr_null(mp_history_get(&h, 21, &len));
	mp_history_free(&h);

	/* the byte bound */
	ck_assert_int_eq(mp_history_init(&h, 1024, 100, 600), 0);
	for (i = 1; i <= 30; i++)
		mp_history_push(&h, mkline(i, 10), i);
	ck_assert_uint_eq(h.next - h.first, 10);
	ck_assert_uint_le(h.bytes, 100);
	mp_history_free(&h);

	/* age: only records some control had leave for being old */
	ck_assert_int_eq(mp_history_init(&h, 1024, 1 << 20, 600), 0);
	for (i = 1; i <= 10; i++)
		mp_history_push(&h, mkline(i, 10), i * 100);
	mp_history_push(&h, mkline(11, 10), 5000);
	ck_assert_uint_eq(h.first, 1);	/* none sent: all kept */
	mp_history_sent(&h, 4);
	mp_history_push(&h, mkline(12, 10), 5000);
	ck_assert_uint_eq(h.first, 5);
	ck_assert_uint_eq(h.dropped, 0);
	mp_history_sent(&h, 99);	/* not a record yet: ignored */
	ck_assert_uint_eq(h.sent, 4);
	mp_history_free(&h);
}
END_TEST

static char tmpdir[64];

static void
put(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static long
fsize(const char *name)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void
mk_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/mp-test-resume.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void
rm_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

#define REC(type, inst, start, n) "{\"type\":\"" type "\",\"instance\":\"" inst "\"," \
	"\"instance_start_ns\":\"" start "\",\"rec\":" #n "}\n"

START_TEST(test_scan_last)
{
	struct resume_point p;
	FILE *log = tmpfile();
	char buf[256];

	mk_tmpdir();
	ck_assert_int_eq(resume_scan(tmpdir, &p, log), 0);
	ck_assert(!p.known);	/* nothing there: resume from nothing */
	ck_assert_int_eq(resume_line(&p, buf, sizeof(buf)), 18);
	put("intervals.jsonl", REC("interval", "00000000000000aa", "100", 5)
			       REC("interval", "00000000000000aa", "100", 6));
	/* the events' last numbered line is under events control raised itself */
	put("events.jsonl", REC("hello", "00000000000000aa", "100", 1)
			    REC("event", "00000000000000aa", "100", 7)
			    "{\"type\":\"event\",\"source\":\"control\",\"event\":\"sla_breach\"}\n");
	ck_assert_int_eq(resume_scan(tmpdir, &p, log), 0);
	ck_assert(p.known);
	ck_assert_uint_eq(p.last.instance, 0xaa);
	ck_assert_uint_eq(p.last.rec, 7);
	ck_assert_uint_eq(p.truncated, 0);
	resume_line(&p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "{\"type\":\"resume\",\"instance\":\"00000000000000aa\",\"after\":7}\n");
	/* a dataplane started later: its records are newer whatever their numbers */
	put("events.jsonl", REC("hello", "00000000000000bb", "200", 1));
	ck_assert_int_eq(resume_scan(tmpdir, &p, log), 0);
	ck_assert_uint_eq(p.last.instance, 0xbb);
	ck_assert_uint_eq(p.last.rec, 1);
	fclose(log);
	rm_tmpdir();
}
END_TEST

START_TEST(test_scan_torn)
{
	static const char whole[] = REC("interval", "00000000000000aa", "100", 5);
	struct resume_point p;
	char said[512] = "";
	FILE *log = tmpfile();

	mk_tmpdir();
	/* killed mid-write: half of record 6, no newline */
	put("intervals.jsonl", REC("interval", "00000000000000aa", "100", 4)
			       REC("interval", "00000000000000aa", "100", 5)
			       "{\"type\":\"interval\",\"instance\":\"00000000000000aa\",\"rec\":6,\"se");
	ck_assert_int_eq(resume_scan(tmpdir, &p, log), 0);
	ck_assert(p.known);
	ck_assert_uint_eq(p.last.rec, 5);
	ck_assert_uint_eq(fsize("intervals.jsonl"), 2 * (sizeof(whole) - 1));
	ck_assert_uint_eq(p.truncated, 60);
	rewind(log);
	ck_assert_ptr_nonnull(fgets(said, sizeof(said), log));
	ck_assert_msg(strstr(said, "intervals.jsonl: its last line was cut short (60 bytes") != NULL,
		      "%s", said);
	/* a file that is one torn line: emptied */
	put("events.jsonl", "{\"type\":\"ev");
	ck_assert_int_eq(resume_scan(tmpdir, &p, log), 0);
	ck_assert_uint_eq(fsize("events.jsonl"), 0);
	ck_assert_uint_eq(p.last.rec, 5);
	fclose(log);
	rm_tmpdir();
}
END_TEST

START_TEST(test_scan_rotated)
{
	struct resume_point p;

	mk_tmpdir();
	/* the live file empty (just rotated): the newest rotated one has the last record */
	put("intervals.jsonl", "");
	put("intervals.jsonl.20261204T100000Z", REC("interval", "00000000000000aa", "100", 50));
	put("intervals.jsonl.20261204T110000Z", REC("interval", "00000000000000aa", "100", 90)
						"{\"type\":\"inter");
	put("intervals.jsonl.20261204T090000Z", REC("interval", "00000000000000aa", "100", 10));
	put("intervals.jsonlx", REC("interval", "00000000000000aa", "100", 999));
	ck_assert_int_eq(resume_scan(tmpdir, &p, NULL), 0);
	ck_assert(p.known);
	ck_assert_uint_eq(p.last.rec, 90);
	ck_assert_uint_eq(p.truncated, 0);	/* a rotated file is not ours to change */
	rm_tmpdir();
}
END_TEST

START_TEST(test_seen)
{
	struct resume_point p = { .known = true, .last = { 0xaa, 100, 7 } };
	struct mp_recid id = { 0xaa, 100, 0 }, other = { 0xbb, 200, 1 }, none = { 0 };
	uint64_t r;

	for (r = 1; r <= 7; r++) {
		id.rec = r;
		ck_assert(resume_seen(&p, &id));
	}
	ck_assert_uint_eq(p.duplicates, 7);
	id.rec = 8;
	ck_assert(!resume_seen(&p, &id));
	ck_assert(resume_seen(&p, &id));	/* now written */
	ck_assert(!resume_seen(&p, &none));
	ck_assert(!resume_seen(&p, &other));	/* the next dataplane */
	ck_assert_uint_eq(p.last.instance, 0xbb);
	ck_assert_uint_eq(p.duplicates, 8);
}
END_TEST

/* Through the connection: what was written before is dropped, the hello goes on marked. */
struct fed {
	int n, hellos_again;
	uint64_t recs[32];
};

static void
on_rec(void *cookie, const struct dprec *r)
{
	struct fed *f = cookie;

	if (r->type == DPREC_HELLO && r->again)
		f->hellos_again++;
	else if (f->n < 32)
		f->recs[f->n++] = r->rec;
}

START_TEST(test_dpconn_drops_written)
{
	struct fed f = { 0 };
	struct dpconn_opts o = { .on_record = on_rec, .cookie = &f };
	struct dpconn *c;
	char line[256];
	int i;

	mk_tmpdir();
	put("intervals.jsonl", REC("event", "00000000000000aa", "100", 3));
	o.resume_dir = tmpdir;
	o.links.n = 1;
	o.links.name[0] = "a";
	c = dpconn_create(&o);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(dpconn_listen(c), 0);
	snprintf(line, sizeof(line), REC("hello", "00000000000000aa", "100", 1));
	dpconn_feed(c, line, strlen(line));
	for (i = 2; i <= 5; i++) {
		snprintf(line, sizeof(line), "{\"type\":\"event\",\"link\":\"a\",\"instance\":"
			 "\"00000000000000aa\",\"instance_start_ns\":\"100\",\"rec\":%d}\n", i);
		dpconn_feed(c, line, strlen(line));
	}
	ck_assert_int_eq(f.hellos_again, 1);
	ck_assert_int_eq(f.n, 2);
	ck_assert_uint_eq(f.recs[0], 4);
	ck_assert_uint_eq(f.recs[1], 5);
	ck_assert_uint_eq(dpconn_state(c)->duplicates, 2);
	dpconn_destroy(c);
	rm_tmpdir();
}
END_TEST

static Suite *
resume_suite(void)
{
	Suite *s = suite_create("resume");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_resume_line);
	tcase_add_test(tc, test_resume_line_refused);
	tcase_add_test(tc, test_recid_stamp);
	tcase_add_test(tc, test_recid_order);
	tcase_add_test(tc, test_history_bounds);
	tcase_add_test(tc, test_scan_last);
	tcase_add_test(tc, test_scan_torn);
	tcase_add_test(tc, test_scan_rotated);
	tcase_add_test(tc, test_seen);
	tcase_add_test(tc, test_dpconn_drops_written);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(resume_suite)
