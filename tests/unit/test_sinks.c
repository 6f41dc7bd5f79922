/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The sinks (control/sink*.c), fed records through the dataplane
 * connection's framing as a run does: the JSON-lines files, the live
 * console view, the summary with its verdict and exit code; and a sink of
 * the test's own, registered in a list, that needs nothing else changed;
 * and the diversity sink's live events, pair.jsonl and board object.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "board.h"
#include "dpconn.h"
#include "mp_record.h"
#include "mp_test.h"
#include "sink.h"
#include "util.h"

#define MS	UINT64_C(1000000)
#define T0	UINT64_C(1700000000000000000)

static struct mp_config cfg;
static char dir[64];
static char *console_text;
static size_t console_len;
static struct sink_env env;
static struct sinks set;
static struct dpconn *conn;

static void
on_record(void *cookie, const struct dprec *r)
{
	sinks_record(cookie, r);
}

/* Two links a and b of 64-byte frames, a fresh output directory, the console in memory. */
static void
setup(void)
{
	struct dpconn_opts o = {
		.links = { .n = 2, .name = { "a", "b" } },
		.on_record = on_record,
		.cookie = &set,
	};
	int i;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.metro, sizeof(cfg.metro), "Test Metro");
	cfg.interval_ms = 1000;
	cfg.n_links = 2;
	for (i = 0; i < 2; i++) {
		snprintf(cfg.links[i].name, sizeof(cfg.links[i].name), "%c", 'a' + i);
		snprintf(cfg.links[i].location, sizeof(cfg.links[i].location), "Site%d", i);
		snprintf(cfg.links[i].frame_mix, sizeof(cfg.links[i].frame_mix), "64");
	}
	snprintf(dir, sizeof(dir), "/tmp/test_sinks.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	env = (struct sink_env){
		.cfg = &cfg, .config_path = "test.json", .out_dir = dir, .dp_log = "",
		.console = open_memstream(&console_text, &console_len),
	};
	conn = dpconn_create(&o);
	ck_assert_ptr_nonnull(conn);
}

static void
teardown(void)
{
	char cmd[128];

	dpconn_destroy(conn);
	fclose(env.console);
	free(console_text);
	console_text = NULL;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *
read_out(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return mp_read_file(path, NULL);
}

static void
feed(const char *s)
{
	dpconn_feed(conn, s, strlen(s));
}

/*
 * Interval seq of link name: sent probes, received replies (the rest lost),
 * probes the pacer skipped, and an optional outage.
 */
/* An empty interval seq of link name, 1 s long. */
static void
interval_of(struct link_interval *li, const char *name, uint64_t seq)
{
	memset(li, 0, sizeof(*li));
	snprintf(li->link, sizeof(li->link), "%s", name);
	li->queues = 1;
	link_interval_reset(li);
	li->seq = seq;
	li->start_unix_ns = T0 + seq * 1000 * MS;
	li->end_unix_ns = li->start_unix_ns + 1000 * MS;
}

static void
feed_li(const struct link_interval *li)
{
	char *line = record_interval_line(li);

	feed(line);
	free(line);
}

static void
feed_interval_skip(const char *name, uint64_t seq, uint64_t sent, uint64_t received,
		   uint64_t skipped, uint64_t no_reply_ns)
{
	struct link_interval li;

	interval_of(&li, name, seq);
	li.c.sent = sent;
	li.c.received = received;
	li.c.lost = sent - received;
	li.c.tx_skipped = skipped;
	li.pacer_rate_mpps = (sent + skipped) * 1000;
	if (no_reply_ns != 0) {
		li.overdue = 10;
		li.overdue_after_ns = 10 * MS;
		li.no_reply_ns = no_reply_ns;
	}
	feed_li(&li);
}

static void
feed_interval(const char *name, uint64_t seq, uint64_t sent, uint64_t received,
	      uint64_t no_reply_ns)
{
	feed_interval_skip(name, seq, sent, received, 0, no_reply_ns);
}

static const char hello_raised[] =
	"{\"type\":\"hello\",\"v\":1,\"links\":[{\"name\":\"a\",\"frame_size\":90,"
	"\"frame_mix\":\"90\"},{\"name\":\"b\",\"frame_size\":64,\"frame_mix\":\"64\"}]}\n";

START_TEST(test_jsonl)
{
	static const struct sink_ops *const list[] = { &sink_jsonl_ops, NULL };
	char *iv, *ev;

	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	feed(hello_raised);
	feed_interval("a", 1, 100, 100, 0);
	feed("{\"type\":\"event\",\"link\":\"b\",\"event\":\"link_down\",\"detail\":\"x\"}\n");
	feed("{\"type\":\"end\",\"reason\":\"duration\"}\n");
	ck_assert_int_eq(sinks_close(&set, NULL), 0);
	iv = read_out("intervals.jsonl");
	ev = read_out("events.jsonl");
	ck_assert_ptr_nonnull(iv);
	ck_assert_ptr_nonnull(ev);
	/* one line per record, as received */
	ck_assert_ptr_eq(strstr(iv, "{\"type\":\"interval\""), iv);
	ck_assert_ptr_eq(strchr(iv, '\n'), iv + strlen(iv) - 1);
	/* the hello, the raised frame size of a (not b), the timed event, the end */
	ck_assert_ptr_eq(strstr(ev, "{\"type\":\"hello\""), ev);
	ck_assert_ptr_nonnull(strstr(ev, "\n{\"type\":\"event\",\"link\":\"a\",\"event\":"
				     "\"frame_size_raised\",\"detail\":\"64 -> 90\"}\n"));
	ck_assert_ptr_null(strstr(ev, "\"link\":\"b\",\"event\":\"frame_size_raised\""));
	ck_assert_ptr_nonnull(strstr(ev, "\"event\":\"link_down\",\"detail\":\"x\",\"time\":\""));
	ck_assert_ptr_nonnull(strstr(ev, "Z\",\"time_ns\":\""));
	ck_assert_ptr_nonnull(strstr(ev, "\n{\"type\":\"end\",\"reason\":\"duration\"}\n"));
	free(iv);
	free(ev);
}
END_TEST

START_TEST(test_live)
{
	static const struct sink_ops *const list[] = { &sink_live_ops, NULL };

	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	sinks_tick(&set, 0);
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "a        no data this second "
					"(dataplane starting)\n"));
	feed(hello_raised);
	feed_interval("a", 1, 1000, 990, 0);
	feed("{\"type\":\"event\",\"link\":\"b\",\"event\":\"link_down\",\"detail\":\"x\"}\n");
	sinks_tick(&set, 0);
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "note: link a frame size 64 raised to 90"));
	ck_assert_ptr_nonnull(strstr(console_text, "event: link b link_down x\n"));
	ck_assert_ptr_nonnull(strstr(console_text, "\na        sent      1000 recv       990 lost"
					"     10 loss  1.00%"));
	ck_assert_ptr_nonnull(strstr(console_text, "\nb        no data this second\n"));
	ck_assert_int_eq(sinks_close(&set, NULL), 0);
	/* quiet: the note stays, the lines and events go */
	env.quiet = true;
	fclose(env.console);
	free(console_text);
	env.console = open_memstream(&console_text, &console_len);
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	feed(hello_raised);
	feed_interval("a", 2, 1000, 1000, 0);
	feed("{\"type\":\"event\",\"link\":\"b\",\"event\":\"link_down\",\"detail\":\"x\"}\n");
	sinks_tick(&set, 0);
	ck_assert_int_eq(sinks_close(&set, NULL), 0);
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "note: link a"));
	ck_assert_ptr_null(strstr(console_text, "event:"));
	ck_assert_ptr_null(strstr(console_text, "sent"));
}
END_TEST

/* Run the summary sink over n intervals per link; link b with an outage when outage. */
static struct run_outcome
summary_of(bool outage, bool shortfall)
{
	static const struct sink_ops *const list[] = { &sink_summary_ops, NULL };
	struct run_outcome o = {
		.complete = true, .end_reason = "duration", .verdict = "ok",
		.start_unix_ns = T0, .stop_unix_ns = T0 + 5000 * MS, .records = 10,
	};
	uint64_t s;

	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	feed(hello_raised);
	for (s = 0; s < 5; s++) {
		feed_interval("a", s, 1000, 1000, 0);
		feed_interval("b", s, 1000, s == 2 && outage ? 0 : 1000, s == 2 && outage ?
			      900 * MS : 0);
	}
	/* a's pacer skipped most of the probes due in a sixth second */
	if (shortfall)
		feed_interval_skip("a", 5, 900, 900, 5000, 0);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	return o;
}

START_TEST(test_summary_clean)
{
	struct run_outcome o = summary_of(false, false);
	char *sum = read_out("summary.json");

	ck_assert_int_eq(o.exit_code, 0);
	ck_assert_str_eq(o.verdict, "ok");
	ck_assert_ptr_nonnull(sum);
	ck_assert_ptr_nonnull(strstr(sum, "\"verdict\":\t\"ok\""));
	ck_assert_ptr_nonnull(strstr(sum, "\"frame_size_sent\":\t90"));
	ck_assert_ptr_nonnull(strstr(sum, "\"frame_mix_configured\":\t\"64\""));
	ck_assert_ptr_nonnull(strstr(sum, "\"locations\":\t[\"Site0\", \"Site1\"]"));
	ck_assert_int_eq(sum[strlen(sum) - 1], '\n');
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "\na             5000      5000       0    0.000"));
	ck_assert_ptr_nonnull(strstr(console_text, "(round-trip times and jitter in microseconds)"));
	free(sum);
}
END_TEST

/* An attached control's summary says how many records its resume dropped as written before. */
START_TEST(test_summary_resume)
{
	static const struct sink_ops *const list[] = { &sink_summary_ops, NULL };
	struct run_outcome o = {
		.complete = true, .end_reason = "stopped", .verdict = "ok",
		.start_unix_ns = T0, .stop_unix_ns = T0 + 1000 * MS, .duplicate_records = 5,
	};
	char *sum;
	cJSON *j;

	summary_of(false, false);	/* control started its dataplane: nothing to resume */
	sum = read_out("summary.json");
	ck_assert_ptr_null(strstr(sum, "\"resume\""));
	free(sum);
	env.attach_path = "/run/metroprobe/test.sock";
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	sum = read_out("summary.json");
	j = cJSON_Parse(sum);
	ck_assert_ptr_nonnull(j);
	ck_assert_double_eq(cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(j, "resume"), "duplicate_records")), 5);
	cJSON_Delete(j);
	free(sum);
}
END_TEST

START_TEST(test_summary_outage)
{
	struct run_outcome o = summary_of(true, false);
	char *sum = read_out("summary.json");

	ck_assert_int_eq(o.exit_code, 3);
	ck_assert_str_eq(o.verdict, "outage");
	ck_assert_ptr_nonnull(strstr(sum, "\"verdict\":\t\"outage\""));
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "link b: OUTAGE: no replies for up to 0.9 s "
					"(1 outage, 0.9 s in all)\n"));
	free(sum);
}
END_TEST

START_TEST(test_summary_shortfall_and_failed)
{
	static const struct sink_ops *const list[] = { &sink_summary_ops, NULL };
	struct run_outcome o = summary_of(false, true), f = {
		.end_reason = "dataplane_failed", .verdict = "ok", .exit_code = 1,
	};

	ck_assert_int_eq(o.exit_code, 4);
	ck_assert_str_eq(o.verdict, "rate_shortfall");
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "link a: RATE SHORTFALL:"));
	/* an incomplete run keeps its exit code whatever was found */
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	feed_interval("b", 1, 1000, 0, 0);
	ck_assert_int_eq(sinks_close(&set, &f), 0);
	ck_assert_int_eq(f.exit_code, 1);
	ck_assert_str_eq(f.verdict, "outage");
}
END_TEST

/* A sink of the test's own: counts what it is given, and finds something. */
struct counting {
	int open, hello, interval, event, end, tick, close;
	uint64_t sent;
};

static struct counting counted;

static int
c_open(const struct sink_env *e, void **state)
{
	(void)e;
	counted.open++;
	*state = &counted;
	return 0;
}

static void
c_hello(void *s, const struct dprec *r)
{
	(void)r;
	((struct counting *)s)->hello++;
}

static void
c_interval(void *s, const struct dprec *r)
{
	((struct counting *)s)->interval++;
	((struct counting *)s)->sent += r->interval->c.sent;
}

static void
c_event(void *s, const struct dprec *r)
{
	(void)r;
	((struct counting *)s)->event++;
}

static void
c_end(void *s, const struct dprec *r)
{
	(void)r;
	((struct counting *)s)->end++;
}

static void
c_tick(void *s, uint64_t now)
{
	(void)now;
	((struct counting *)s)->tick++;
}

static int
c_close(void *s, struct run_outcome *o)
{
	((struct counting *)s)->close++;
	if (o != NULL && o->exit_code == 0) {
		o->verdict = "sla_breach";
		o->exit_code = 5;
	}
	return 0;
}

static const struct sink_ops counting_ops = {
	.name = "counting", .open = c_open, .on_hello = c_hello, .on_interval = c_interval,
	.on_event = c_event, .on_end = c_end, .on_tick = c_tick, .close = c_close,
};

/* A sink with no operations at all is valid too. */
static const struct sink_ops empty_ops = { .name = "empty" };

START_TEST(test_own_sink)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &counting_ops, &empty_ops, NULL,
	};
	struct run_outcome o = { .complete = true, .end_reason = "duration", .verdict = "ok" };

	memset(&counted, 0, sizeof(counted));
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	ck_assert_int_eq(set.n, 3);
	feed(hello_raised);
	feed_interval("a", 1, 10, 10, 0);
	feed_interval("b", 1, 20, 20, 0);
	feed("{\"type\":\"event\",\"link\":\"a\",\"event\":\"link_up\",\"detail\":\"\"}\n");
	feed("{\"type\":\"end\",\"reason\":\"duration\"}\n");
	sinks_tick(&set, 0);
	sinks_tick(&set, 0);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	ck_assert_int_eq(counted.open, 1);
	ck_assert_int_eq(counted.hello, 1);
	ck_assert_int_eq(counted.interval, 2);
	ck_assert_uint_eq(counted.sent, 30);
	ck_assert_int_eq(counted.event, 1);
	ck_assert_int_eq(counted.end, 1);
	ck_assert_int_eq(counted.tick, 2);
	ck_assert_int_eq(counted.close, 1);
	ck_assert_int_eq(o.exit_code, 5);
	ck_assert_str_eq(o.verdict, "sla_breach");
}
END_TEST

/* A sink that raises events: link_down for an interval with no reply, then a follow-up. */
static const struct sink_env *raiser_env;
static int raiser_in_event, raiser_max_depth;

static int
r_open(const struct sink_env *e, void **state)
{
	raiser_env = e;
	*state = NULL;
	return 0;
}

static void
r_interval(void *s, const struct dprec *r)
{
	cJSON *f = cJSON_CreateObject();

	(void)s;
	if (r->interval->c.received != 0) {
		cJSON_Delete(f);
		return;
	}
	cJSON_AddStringToObject(f, "detail", "no reply");
	cJSON_AddNumberToObject(f, "seq", (double)r->interval->seq);
	sink_emit(raiser_env->bus, r->interval->link, "link_down", f);
}

static void
r_event(void *s, const struct dprec *r)
{
	(void)s;
	if (++raiser_in_event > raiser_max_depth)
		raiser_max_depth = raiser_in_event;
	if (r->event != NULL && strcmp(r->event, "link_down") == 0)
		sink_emit(raiser_env->bus, "pair", "pair_check", NULL);
	raiser_in_event--;
}

static const struct sink_ops raiser_ops = {
	.name = "raiser", .open = r_open, .on_interval = r_interval, .on_event = r_event,
};

/*
 * Events raised by a sink reach every sink after the record, in order,
 * with their link index, never re-entering a sink; jsonl writes them.
 */
START_TEST(test_raised_events)
{
	static const struct sink_ops *const list[] = {
		&raiser_ops, &sink_jsonl_ops, &counting_ops, NULL,
	};
	char *ev;

	memset(&counted, 0, sizeof(counted));
	raiser_in_event = raiser_max_depth = 0;
	env.bus = &set.bus;
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	feed(hello_raised);
	feed_interval("a", 1, 10, 10, 0);
	ck_assert_int_eq(counted.event, 0);
	feed_interval("b", 1, 10, 0, 0);
	/* link_down for b, then the pair_check it caused: both handed on already */
	ck_assert_int_eq(counted.event, 2);
	ck_assert_int_eq(counted.interval, 2);
	ck_assert_int_eq(raiser_max_depth, 1);
	ck_assert_int_eq(set.bus.n, 0);
	sink_emit(NULL, "a", "dropped", cJSON_CreateObject());
	ck_assert_int_eq(sinks_close(&set, NULL), 0);
	env.bus = NULL;
	ev = read_out("events.jsonl");
	ck_assert_ptr_nonnull(ev);
	ck_assert_ptr_nonnull(strstr(ev, "\"source\":\"control\""));
	ck_assert_ptr_nonnull(strstr(ev, "\"link\":\"b\",\"event\":\"link_down\",\"detail\":\"no reply\",\"seq\":1"));
	ck_assert_ptr_nonnull(strstr(ev, "\"link\":\"pair\",\"event\":\"pair_check\""));
	ck_assert(strstr(ev, "link_down") < strstr(ev, "pair_check"));
	free(ev);
}
END_TEST

static int
fail_open(const struct sink_env *e, void **state)
{
	(void)e;
	(void)state;
	return -EACCES;
}

/* A sink that cannot open fails the set, and the ones opened before it are closed. */
START_TEST(test_open_fails)
{
	static const struct sink_ops failing = { .name = "failing", .open = fail_open };
	static const struct sink_ops *const list[] = { &counting_ops, &failing, NULL };

	memset(&counted, 0, sizeof(counted));
	ck_assert_int_eq(sinks_open(&set, list, &env), -EACCES);
	ck_assert_int_eq(counted.open, 1);
	ck_assert_int_eq(counted.close, 1);
	ck_assert_int_eq(set.n, 0);
}
END_TEST

/*
 * The diversity sink while a run goes: it raises each co-impairment
 * episode as events on the bus (start, then end with its length) as soon
 * as the windows are final, not at the end; writes one line a window to
 * pair.jsonl; prints the pair's line a second; and leaves the current
 * object on the board, taking it back when it closes. 1 s intervals, a 1 s
 * loss timeout, Amsterdam Metro's two locations.
 */
static struct board board;

static void
div_env(void)
{
	memset(&board, 0, sizeof(board));
	cfg.loss_timeout_ms = 1000;
	snprintf(cfg.links[0].location, sizeof(cfg.links[0].location), "Amsterdam");
	snprintf(cfg.links[1].location, sizeof(cfg.links[1].location), "Amsterdam2");
	env.bus = &set.bus;
	env.board = &board;
}

static int
count(const char *text, const char *needle)
{
	int n = 0;

	for (; text != NULL && (text = strstr(text, needle)) != NULL; text++)
		n++;
	return n;
}

/* Both links down in windows 4 and 5 (10 probes a second, lost counted a second later). */
static bool
down(uint64_t k)
{
	return k == 4 || k == 5;
}

static void
feed_div_window(const char *name, uint64_t k)
{
	struct link_interval li;

	interval_of(&li, name, k);
	li.pacer_rate_mpps = 10 * 1000;
	li.c.sent = 10;
	li.c.received = down(k) ? 0 : 10;
	li.c.lost = down(k - 1) ? 10 : 0;
	if (!down(k))
		hist_add(&li.rtt, 2 * MS);
	if (down(k)) {
		li.overdue = 10;
		li.overdue_after_ns = 50 * MS;
		li.no_reply_ns = (k - 3) * 1000 * MS;
	}
	feed_li(&li);
}

START_TEST(test_live_episode)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &sink_diversity_ops, NULL,
	};
	struct run_outcome o = { .complete = true, .end_reason = "duration", .verdict = "ok" };
	char *ev, *pair;
	uint64_t k;

	div_env();
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	for (k = 1; k <= 12; k++) {
		feed_div_window("a", k);
		feed_div_window("b", k);
		if (k == 3) {
			sinks_tick(&set, 0);
			ck_assert_ptr_nonnull(board.diversity);
		}
	}
	sinks_tick(&set, 1);
	/* windows 4 and 5 are final by window 11 (loss horizon 2, margin 3): raised already */
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment_start\""), 1);
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	ck_assert_ptr_nonnull(strstr(ev, "\"link\":\"pair\""));
	ck_assert_ptr_nonnull(strstr(ev, "\"start_unix_ns\":1700000004000000000,"
				     "\"end_unix_ns\":1700000006000000000,\"duration_s\":2"));
	free(ev);
	fflush(env.console);
	ck_assert_ptr_nonnull(console_text);
	ck_assert_ptr_nonnull(strstr(console_text, "pair     impaired: a 2, b 2, both 2 of"));
	/* the end: every window final, one line each in pair.jsonl (window 0 before the first) */
	feed("{\"type\":\"end\",\"reason\":\"duration\"}\n");
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	ck_assert_ptr_null(board.diversity);
	pair = read_out("pair.jsonl");
	ck_assert_int_eq(count(pair, "\n"), 13);
	ck_assert_int_eq(count(pair, "\"both\":true"), 2);
	ck_assert_ptr_nonnull(strstr(pair, "{\"start_unix_ns\":1700000004000000000,\"a\":\"impaired\","
				       "\"b\":\"impaired\",\"both\":true}\n"));
	ck_assert_ptr_nonnull(strstr(pair, "{\"start_unix_ns\":1700000000000000000,\"a\":\"unknown\","
				       "\"b\":\"unknown\",\"both\":false}\n"));
	ck_assert_ptr_nonnull(strstr(pair, "{\"start_unix_ns\":1700000006000000000,\"a\":\"ok\","
				       "\"b\":\"ok\",\"both\":false}\n"));
	free(pair);
	/* no episode raised twice at the end */
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	free(ev);
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "diversity: "));
}
END_TEST

/* The sinks of list open, both links down in windows 4 and 5 of 1..5: an episode still open. */
static void
open_in_episode(const struct sink_ops *const *list)
{
	uint64_t k;

	div_env();
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	for (k = 1; k <= 5; k++) {
		feed_div_window("a", k);
		feed_div_window("b", k);
	}
}

/* A run that ends inside an episode: its end is still raised, once. */
START_TEST(test_episode_open_at_end)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &sink_diversity_ops, NULL,
	};
	struct run_outcome o = { .complete = true, .end_reason = "duration", .verdict = "ok" };
	char *ev;

	open_in_episode(list);
	feed("{\"type\":\"end\",\"reason\":\"duration\"}\n");
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	free(ev);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	free(ev);
}
END_TEST

/*
 * Streams (issue 12): link a with two streams gets summary.json
 * links[0].streams[] whose elements have every key of a link object plus
 * name, ssid, dscp, pcp, rate; the link's object is its own records' (their
 * merge); intervals.jsonl keeps the streams' lines with "link" and
 * "stream"; a link without streams has no "streams"; the table has a row
 * per stream; a stream's record never reaches a sink without on_stream.
 */
static int link_records;	/* seen by a sink with on_interval only */

static void
count_interval(void *state, const struct dprec *r)
{
	(void)state;
	(void)r;
	link_records++;
}

static const struct sink_ops count_ops = { .name = "count", .on_interval = count_interval };

/* Link a: "voice" (2Mbps, 128, DSCP 46, PCP 5, SSID 11) and "data" (500pps, 1024, SSID 12). */
static void
streams_cfg(void)
{
	struct mp_link_cfg *a = &cfg.links[0];

	a->n_streams = 2;
	snprintf(a->streams[0].name, MP_STREAM_NAME_MAX, "voice");
	snprintf(a->streams[0].rate_text, sizeof(a->streams[0].rate_text), "2Mbps");
	snprintf(a->streams[0].frame_mix, sizeof(a->streams[0].frame_mix), "128");
	a->streams[0].dscp = 46;
	a->streams[0].pcp = 5;
	a->streams[0].ssid = 11;
	snprintf(a->streams[1].name, MP_STREAM_NAME_MAX, "data");
	snprintf(a->streams[1].rate_text, sizeof(a->streams[1].rate_text), "500pps");
	snprintf(a->streams[1].frame_mix, sizeof(a->streams[1].frame_mix), "1024");
	a->streams[1].pcp = -1;
	a->streams[1].ssid = 12;
}

/* A 1 s interval seq of link (stream NULL: the link's own), with round trips of rtt_us. */
static void
feed_rec(const char *link, const char *stream, uint64_t seq, uint64_t sent, uint64_t lost,
	 uint64_t rtt_us)
{
	struct link_interval li;
	char *line;
	uint64_t k;

	memset(&li, 0, sizeof(li));
	snprintf(li.link, sizeof(li.link), "%s", link);
	if (stream != NULL)
		snprintf(li.stream, sizeof(li.stream), "%s", stream);
	li.queues = 1;
	link_interval_reset(&li);
	li.seq = seq;
	li.start_unix_ns = T0 + seq * 1000 * MS;
	li.end_unix_ns = li.start_unix_ns + 1000 * MS;
	li.c.sent = sent;
	li.c.received = sent - lost;
	li.c.lost = lost;
	li.pacer_rate_mpps = sent * 1000;
	for (k = 0; k < li.c.received; k++)
		hist_add(&li.rtt, rtt_us * 1000);
	line = record_interval_line(&li);
	feed(line);
	free(line);
}

static const char hello_streams[] =
	"{\"type\":\"hello\",\"v\":1,\"links\":[{\"name\":\"a\",\"frame_size\":128,"
	"\"frame_mix\":\"128\",\"lanes\":[{\"queue\":0,\"stream\":\"voice\",\"frame_size\":128,"
	"\"frame_mix\":\"128\"},{\"queue\":1,\"stream\":\"data\",\"frame_size\":1024,"
	"\"frame_mix\":\"1024\"}]},{\"name\":\"b\",\"frame_size\":128,\"frame_mix\":\"128\"}]}\n";

static cJSON *
run_and_read(void)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &count_ops, &sink_summary_ops, NULL
	};
	struct run_outcome o = {
		.complete = true, .end_reason = "duration", .verdict = "ok",
		.start_unix_ns = T0, .stop_unix_ns = T0 + 3000 * MS, .records = 6,
	};
	char *text;
	cJSON *sum;
	uint64_t s;

	streams_cfg();
	link_records = 0;
	ck_assert_int_eq(sinks_open(&set, list, &env), 0);
	feed(hello_streams);
	for (s = 0; s < 3; s++) {
		/* the link's record is the merge of its streams' */
		feed_rec("a", NULL, s, 1950 + 500, 3, 100);
		feed_rec("a", "voice", s, 1950, 1, 100);
		feed_rec("a", "data", s, 500, 2, 100);
		feed_rec("b", NULL, s, 1000, 0, 200);
	}
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	text = read_out("summary.json");
	ck_assert_ptr_nonnull(text);
	sum = cJSON_Parse(text);
	free(text);
	ck_assert_ptr_nonnull(sum);
	return sum;
}

static double
num(const cJSON *o, const char *key)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

	ck_assert_msg(it != NULL, "no %s", key);
	return cJSON_IsRaw(it) ? strtod(it->valuestring, NULL) : it->valuedouble;
}

START_TEST(test_summary_streams)
{
	cJSON *sum = run_and_read();
	const cJSON *links = cJSON_GetObjectItemCaseSensitive(sum, "links");
	const cJSON *a = cJSON_GetArrayItem(links, 0), *b = cJSON_GetArrayItem(links, 1);
	const cJSON *st = cJSON_GetObjectItemCaseSensitive(a, "streams"), *v, *d, *k;

	ck_assert(cJSON_IsArray(st));
	ck_assert_int_eq(cJSON_GetArraySize(st), 2);
	ck_assert_ptr_null(cJSON_GetObjectItemCaseSensitive(b, "streams"));
	v = cJSON_GetArrayItem(st, 0);
	d = cJSON_GetArrayItem(st, 1);
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "name")), "voice");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(d, "name")), "data");
	ck_assert_str_eq(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(v, "rate")), "2Mbps");
	ck_assert(num(v, "ssid") == 11 && num(v, "dscp") == 46 && num(v, "pcp") == 5);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(d, "pcp")));
	ck_assert(num(d, "frame_size_sent") == 1024);
	ck_assert(num(a, "frame_size_sent") == 1024);	/* the largest of its streams' */
	/* every key of a link object is in each stream's (the same writer) */
	cJSON_ArrayForEach(k, a) {
		if (strcmp(k->string, "streams") == 0)
			continue;
		ck_assert_msg(cJSON_GetObjectItemCaseSensitive(v, k->string) != NULL,
			      "stream object without %s", k->string);
		ck_assert_msg(cJSON_GetObjectItemCaseSensitive(d, k->string) != NULL,
			      "stream object without %s", k->string);
	}
	ck_assert(num(v, "sent") == 3 * 1950 && num(d, "sent") == 3 * 500);
	ck_assert(num(a, "sent") == num(v, "sent") + num(d, "sent"));
	ck_assert(num(a, "lost") == num(v, "lost") + num(d, "lost"));
	ck_assert(num(a, "rtt_samples") == num(v, "rtt_samples") + num(d, "rtt_samples"));
	ck_assert(num(cJSON_GetObjectItemCaseSensitive(v, "rtt_us"), "p50") > 90);
	/* the sink without on_stream saw the links' records only */
	ck_assert_int_eq(link_records, 6);
	fflush(env.console);
	ck_assert_msg(strstr(console_text, "\na/voice       5850      5847       3") != NULL, "%s", console_text);
	ck_assert_ptr_nonnull(strstr(console_text, "\na/data        1500"));
	cJSON_Delete(sum);
}
END_TEST

START_TEST(test_jsonl_streams)
{
	char *text, *p;
	int n_stream = 0, n = 0;

	cJSON_Delete(run_and_read());
	text = read_out("intervals.jsonl");
	ck_assert_ptr_nonnull(text);
	for (p = strtok(text, "\n"); p != NULL; p = strtok(NULL, "\n")) {
		n++;
		if (strstr(p, "\"stream\":\"voice\"") != NULL || strstr(p, "\"stream\":\"data\"") != NULL) {
			ck_assert_ptr_nonnull(strstr(p, "\"link\":\"a\""));
			n_stream++;
		}
	}
	ck_assert_int_eq(n, 12);
	ck_assert_int_eq(n_stream, 6);
	free(text);
}
END_TEST

/*
 * A run stopped inside an episode without the dataplane's end record (serve
 * stopped by SIGTERM): the episode's end goes through the bus like every
 * event, so the jsonl sink writes it (with its receive time) and the live
 * view shows it; there is one writer of events.jsonl.
 */
START_TEST(test_episode_open_at_stop)
{
	static const struct sink_ops *const list[] = {
		&sink_jsonl_ops, &sink_live_ops, &sink_diversity_ops, NULL,
	};
	struct run_outcome o = { .complete = true, .end_reason = "stopped", .verdict = "ok" };
	const char *line;
	char *ev;

	open_in_episode(list);
	ck_assert_int_eq(sinks_close(&set, &o), 0);
	ev = read_out("events.jsonl");
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment_start\""), 1);
	ck_assert_int_eq(count(ev, "\"event\":\"co_impairment\""), 1);
	line = strstr(ev, "\"event\":\"co_impairment\"");
	ck_assert_ptr_nonnull(line);
	while (line > ev && line[-1] != '\n')
		line--;
	ck_assert_msg(strncmp(line, "{\"type\":\"event\",\"source\":\"control\",", 35) == 0,
		      "not the bus's event line: %.120s", line);
	ck_assert_ptr_nonnull(strstr(line, "\"time_ns\":"));
	free(ev);
	fflush(env.console);
	ck_assert_ptr_nonnull(strstr(console_text, "co_impairment"));
}
END_TEST

static Suite *
sinks_suite(void)
{
	Suite *s = suite_create("sinks");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_jsonl);
	tcase_add_test(tc, test_raised_events);
	tcase_add_test(tc, test_live);
	tcase_add_test(tc, test_summary_clean);
	tcase_add_test(tc, test_summary_outage);
	tcase_add_test(tc, test_summary_resume);
	tcase_add_test(tc, test_summary_shortfall_and_failed);
	tcase_add_test(tc, test_own_sink);
	tcase_add_test(tc, test_open_fails);
	tcase_add_test(tc, test_live_episode);
	tcase_add_test(tc, test_episode_open_at_end);
	tcase_add_test(tc, test_summary_streams);
	tcase_add_test(tc, test_jsonl_streams);
	tcase_add_test(tc, test_episode_open_at_stop);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(sinks_suite)
