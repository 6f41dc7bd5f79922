/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The dataplane connection (control/dpconn.c, control/dprec.c): each record
 * type decoded once; the line framing whatever the reads cut (random
 * chunks), bad and over-long lines counted and skipped; and, over a real
 * unix socket, a fake dataplane attaching on a stable path, a stale socket
 * file taken over, a live one refused.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "dpconn.h"
#include "mp_record.h"
#include "mp_test.h"

#define MS	UINT64_C(1000000)

static const char hello_line[] =
	"{\"type\":\"hello\",\"v\":1,\"pid\":7,\"links\":[{\"name\":\"a\",\"frame_size\":90,"
	"\"frame_mix\":\"90\"},{\"name\":\"b\",\"frame_size\":128,\"frame_mix\":\"128\"}]}";
static const char event_line[] =
	"{\"type\":\"event\",\"link\":\"b\",\"event\":\"icmp_error\","
	"\"detail\":\"reflector_unreachable from 198.51.100.2\"}";
static const char end_line[] = "{\"type\":\"end\",\"reason\":\"duration\",\"detail\":\"\"}";

/* What the records handed on looked like. */
struct seen {
	int n[DPREC_OTHER + 1];
	uint64_t seq[64];
	int n_seq;
	int links[64];
	char reason[32];
	int hello_links;
	uint64_t hello_size_a;
	const char *event;	/* valid during the callback only: copied below */
	char event_copy[64];
	int done;
};

static void
on_record(void *cookie, const struct dprec *r)
{
	struct seen *s = cookie;

	s->n[r->type]++;
	switch (r->type) {
	case DPREC_INTERVAL:
		if (s->n_seq < 64) {
			s->links[s->n_seq] = r->link;
			s->seq[s->n_seq++] = r->interval->seq;
		}
		break;
	case DPREC_HELLO:
		s->hello_links = r->n_hello_links;
		s->hello_size_a = r->hello_links[0].frame_size;
		break;
	case DPREC_EVENT:
		snprintf(s->event_copy, sizeof(s->event_copy), "%s/%s/%d", r->event, r->link_name,
			 r->link);
		break;
	case DPREC_END:
		snprintf(s->reason, sizeof(s->reason), "%s", r->end_reason);
		break;
	default:
		break;
	}
}

static void
on_done(void *cookie)
{
	((struct seen *)cookie)->done++;
}

static struct dpconn_opts
opts_for(struct seen *s, struct loop *l, const char *attach)
{
	struct dpconn_opts o = {
		.loop = l,
		.attach_path = attach,
		.links = { .n = 2, .name = { "a", "b" } },
		.on_record = on_record,
		.on_done = on_done,
		.cookie = s,
	};

	return o;
}

/* An interval record line of link name, number seq, with its newline. */
static char *
interval_line(const char *name, uint64_t seq)
{
	struct link_interval li;

	memset(&li, 0, sizeof(li));
	snprintf(li.link, sizeof(li.link), "%s", name);
	li.queues = 1;
	link_interval_reset(&li);
	li.seq = seq;
	li.start_unix_ns = 1700000000000000000ull + seq * 1000 * MS;
	li.end_unix_ns = li.start_unix_ns + 1000 * MS;
	li.c.sent = 1000 + seq;
	return record_interval_line(&li);
}

static void
feed_str(struct dpconn *c, const char *s)
{
	dpconn_feed(c, s, strlen(s));
}

START_TEST(test_decode_each_type)
{
	struct seen s = { 0 };
	struct dpconn_opts o = opts_for(&s, NULL, NULL);
	struct dpconn *c = dpconn_create(&o);
	char *iv = interval_line("b", 12);

	ck_assert_ptr_nonnull(c);
	feed_str(c, hello_line);
	feed_str(c, "\n");
	feed_str(c, iv);
	feed_str(c, event_line);
	feed_str(c, "\n{\"type\":\"future\",\"x\":1}\n");
	feed_str(c, end_line);
	feed_str(c, "\n");
	ck_assert_int_eq(s.n[DPREC_HELLO], 1);
	ck_assert_int_eq(s.hello_links, 2);
	ck_assert_uint_eq(s.hello_size_a, 90);
	ck_assert_int_eq(s.n[DPREC_INTERVAL], 1);
	ck_assert_uint_eq(s.seq[0], 12);
	ck_assert_int_eq(s.links[0], 1);
	ck_assert_int_eq(s.n[DPREC_EVENT], 1);
	ck_assert_str_eq(s.event_copy, "icmp_error/b/1");
	/* a type this control does not know is passed over, not an error */
	ck_assert_int_eq(s.n[DPREC_OTHER], 1);
	ck_assert_int_eq(s.n[DPREC_END], 1);
	ck_assert_str_eq(s.reason, "duration");
	ck_assert(dpconn_state(c)->got_hello);
	ck_assert(dpconn_state(c)->got_end);
	ck_assert_str_eq(dpconn_state(c)->end_reason, "duration");
	ck_assert_uint_eq(dpconn_state(c)->records, 1);
	ck_assert_uint_eq(dpconn_state(c)->bad_records, 0);
	free(iv);
	dpconn_destroy(c);
}
END_TEST

/* The typed fields straight from the decoder, and its errors. */
START_TEST(test_decode_errors)
{
	struct dprec_links links = { .n = 1, .name = { "a" } };
	struct link_interval li;
	struct dprec r;
	char err[128], *iv = interval_line("zz", 1);

	iv[strlen(iv) - 1] = '\0';
	ck_assert_int_eq(dprec_decode("{\"type\":\"end\"}", &links, 5, &li, &r, err, sizeof(err)),
			 0);
	ck_assert_int_eq(r.type, DPREC_END);
	ck_assert_str_eq(r.end_reason, "unknown");
	ck_assert_uint_eq(r.recv_unix_ns, 5);
	dprec_release(&r);
	ck_assert_int_eq(dprec_decode("not json", &links, 0, &li, &r, err, sizeof(err)), -EINVAL);
	ck_assert_str_eq(err, "not JSON");
	ck_assert_int_eq(dprec_decode("{\"v\":1}", &links, 0, &li, &r, err, sizeof(err)), -EINVAL);
	/* an interval of a link the run does not have */
	ck_assert_int_eq(dprec_decode(iv, &links, 0, &li, &r, err, sizeof(err)), -EINVAL);
	ck_assert_int_eq(r.type, DPREC_INTERVAL);
	ck_assert_ptr_nonnull(strstr(err, "'zz'"));
	ck_assert_int_eq(dprec_decode("{\"type\":\"interval\",\"link\":\"a\",\"rtt\":7}", &links, 0,
				      &li, &r, err, sizeof(err)), -EINVAL);
	free(iv);
}
END_TEST

/* Whatever the reads cut, the same records come out, in order. */
START_TEST(test_framing_random_chunks)
{
	uint64_t seed = 42;
	int round;

	for (round = 0; round < 50; round++) {
		struct seen s = { 0 };
		struct dpconn_opts o = opts_for(&s, NULL, NULL);
		struct dpconn *c = dpconn_create(&o);
		char *all = NULL;
		size_t len = 0, off = 0;
		FILE *m = open_memstream(&all, &len);
		int i;

		fprintf(m, "%s\n", hello_line);
		for (i = 0; i < 20; i++) {
			char *iv = interval_line(i % 2 ? "b" : "a", (uint64_t)i);

			fputs(iv, m);
			free(iv);
			if (i == 7)
				fputs("garbage{\n", m);		/* a bad line among them */
		}
		fclose(m);
		while (off < len) {
			size_t n = (size_t)rnd_range(&seed, 1, 3000);

			if (n > len - off)
				n = len - off;
			dpconn_feed(c, all + off, n);
			off += n;
		}
		ck_assert_int_eq(s.n[DPREC_HELLO], 1);
		ck_assert_int_eq(s.n_seq, 20);
		for (i = 0; i < 20; i++) {
			ck_assert_uint_eq(s.seq[i], (uint64_t)i);
			ck_assert_int_eq(s.links[i], i % 2);
		}
		ck_assert_uint_eq(dpconn_state(c)->records, 20);
		ck_assert_uint_eq(dpconn_state(c)->bad_records, 1);
		free(all);
		dpconn_destroy(c);
	}
}
END_TEST

/* A line past 1 MiB is one bad record; the stream goes on after it. */
START_TEST(test_framing_too_long)
{
	struct seen s = { 0 };
	struct dpconn_opts o = opts_for(&s, NULL, NULL);
	struct dpconn *c = dpconn_create(&o);
	size_t big = DPCONN_LINE_MAX + 100000, off;
	char *junk = malloc(65536), *iv = interval_line("a", 3);

	memset(junk, '{', 65536);
	for (off = 0; off < big; off += 65536)
		dpconn_feed(c, junk, 65536);
	feed_str(c, "}\n");
	feed_str(c, iv);
	/* exactly the limit is still a line */
	memset(junk, ' ', 65536);
	for (off = 0; off + 65536 <= DPCONN_LINE_MAX - strlen(iv); off += 65536)
		dpconn_feed(c, junk, 65536);
	feed_str(c, iv);
	ck_assert_uint_eq(dpconn_state(c)->bad_records, 1);
	ck_assert_int_eq(s.n_seq, 2);
	ck_assert_uint_eq(s.seq[0], 3);
	free(junk);
	free(iv);
	dpconn_destroy(c);
}
END_TEST

static int
connect_to(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

/* Run the loop until cond or about a second. */
#define SPIN(l, cond) do {						\
		int spin_;						\
		for (spin_ = 0; spin_ < 100 && !(cond); spin_++)	\
			loop_once((l), 10 * MS);			\
	} while (0)

/*
 * Attach over a real socket: a fake dataplane connects to the stable path,
 * sends records, closes (its end); a second control takes the path over
 * from the first (left as a stale file) and gets the stream from where the
 * dataplane resumes; a path with a live control is refused.
 */
START_TEST(test_attach_socket)
{
	char dir[] = "/tmp/test_dpconn.XXXXXX", path[256];
	struct loop *l = loop_create();
	struct seen s = { 0 }, s2 = { 0 };
	struct dpconn_opts o, o2;
	struct dpconn *c, *c2;
	char *iv;
	int fd, stale;

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/dp.sock", dir);
	/* a stale socket file: bound once, nobody listening */
	stale = socket(AF_UNIX, SOCK_STREAM, 0);
	{
		struct sockaddr_un sa = { .sun_family = AF_UNIX };

		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
		ck_assert_int_eq(bind(stale, (struct sockaddr *)&sa, sizeof(sa)), 0);
		close(stale);
	}
	o = opts_for(&s, l, path);
	c = dpconn_create(&o);
	ck_assert_int_eq(dpconn_listen(c), 0);
	ck_assert_int_eq(dpconn_attach(c), 0);
	/* a second control on the same live path is refused */
	o2 = opts_for(&s2, l, path);
	c2 = dpconn_create(&o2);
	ck_assert_int_eq(dpconn_listen(c2), -EADDRINUSE);
	dpconn_destroy(c2);
	ck_assert_int_eq(access(path, F_OK), 0);	/* and did not remove it */

	fd = connect_to(path);
	iv = interval_line("a", 1);
	ck_assert_int_eq(write(fd, iv, strlen(iv)), (ssize_t)strlen(iv));
	free(iv);
	SPIN(l, s.n_seq == 1);
	ck_assert_int_eq(s.n_seq, 1);
	ck_assert(dpconn_state(c)->connected);
	/* control goes away without a word: its socket file stays behind */
	close(fd);
	SPIN(l, s.done == 1);
	ck_assert_int_eq(s.done, 1);

	/* the next control takes the path over; the dataplane's next record follows on */
	dpconn_destroy(c);
	o2 = opts_for(&s2, l, path);
	c2 = dpconn_create(&o2);
	ck_assert_int_eq(dpconn_listen(c2), 0);
	ck_assert_int_eq(dpconn_attach(c2), 0);
	fd = connect_to(path);
	iv = interval_line("a", 2);
	ck_assert_int_eq(write(fd, iv, strlen(iv)), (ssize_t)strlen(iv));
	free(iv);
	ck_assert_int_eq(write(fd, end_line, strlen(end_line)), (ssize_t)strlen(end_line));
	ck_assert_int_eq(write(fd, "\n", 1), 1);
	close(fd);
	SPIN(l, s2.done == 1);
	ck_assert_int_eq(s2.n_seq, 1);
	ck_assert_uint_eq(s2.seq[0], 2);
	ck_assert(dpconn_state(c2)->got_end);
	ck_assert(!dpconn_state(c2)->got_hello);	/* the hello is not sent again */
	dpconn_destroy(c2);
	ck_assert_int_ne(access(path, F_OK), 0);
	rmdir(dir);
	loop_destroy(l);
}
END_TEST

static Suite *
dpconn_suite(void)
{
	Suite *s = suite_create("dpconn");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_decode_each_type);
	tcase_add_test(tc, test_decode_errors);
	tcase_add_test(tc, test_framing_random_chunks);
	tcase_add_test(tc, test_framing_too_long);
	tcase_add_test(tc, test_attach_socket);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(dpconn_suite)
