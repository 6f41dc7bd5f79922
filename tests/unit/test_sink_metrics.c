/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The metrics sink (control/sink_metrics*.c) over its HTTP server
 * (control/http.c) on a real loop, on 127.0.0.1 and a port the kernel
 * picks: the routes and methods, /healthz before, during and after the
 * records, counters that a replayed record does not move, the board's
 * state (absent until known), SLA thresholds as histogram edges, a port
 * in use, and a slow client that neither holds the loop nor the server.
 */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "board.h"
#include "loop.h"
#include "mp_test.h"
#include "sink.h"
#include "sink_metrics.h"

#define MS	UINT64_C(1000000)

static struct mp_config cfg;
static struct board board;
static struct sink_env env;
static struct loop *lp;
static void *state;
static char reply[1 << 20];

static void
setup(void)
{
	int i;

	memset(&cfg, 0, sizeof(cfg));
	snprintf(cfg.metro, sizeof(cfg.metro), "Test Metro");
	cfg.interval_ms = 1000;
	cfg.n_links = 2;
	for (i = 0; i < 2; i++) {
		snprintf(cfg.links[i].name, sizeof(cfg.links[i].name), "%c", 'a' + i);
		snprintf(cfg.links[i].location, sizeof(cfg.links[i].location), "Site \"%d\"", i);
	}
	memset(&board, 0, sizeof(board));
	board.pair_up = BOARD_UNKNOWN;
	lp = loop_create();
	ck_assert_ptr_nonnull(lp);
	env = (struct sink_env){
		.cfg = &cfg, .config_path = "test.json", .out_dir = "/nonexistent", .dp_log = "",
		.quiet = true, .console = stdout, .board = &board, .loop = lp,
		.listen = "127.0.0.1:0",
	};
	ck_assert_int_eq(sink_metrics_ops.open(&env, &state), 0);
	ck_assert_ptr_nonnull(state);
}

static void
teardown(void)
{
	sink_metrics_ops.close(state, NULL);
	loop_destroy(lp);
}

/* A client socket connected to the sink's server (non-blocking). */
static int
client(void)
{
	const char *addr = http_address(((struct sink_metrics *)state)->http);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_port = htons((uint16_t)atoi(strchr(addr, ':') + 1));
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

/* Send a request, turn the loop until the server closes; the reply in reply[]. */
static const char *
request(const char *method, const char *path)
{
	char req[256];
	size_t got = 0;
	int fd = client(), i;
	ssize_t n;

	snprintf(req, sizeof(req), "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
		 method, path);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	for (i = 0; i < 2000; i++) {
		loop_once(lp, 5 * MS);
		while ((n = read(fd, reply + got, sizeof(reply) - 1 - got)) > 0)
			got += (size_t)n;
		if (n == 0)
			break;
	}
	close(fd);
	reply[got] = '\0';
	ck_assert_msg(i < 2000, "no reply to %s %s", method, path);
	return reply;
}

static void
feed_interval(int link, uint64_t seq, uint64_t sent, uint64_t received, uint64_t rtt_ns)
{
	struct link_interval li;
	struct dprec r = { .type = DPREC_INTERVAL, .link = link, .interval = &li };
	uint64_t k;

	memset(&li, 0, sizeof(li));
	snprintf(li.link, sizeof(li.link), "%s", cfg.links[link].name);
	li.queues = 1;
	link_interval_reset(&li);
	li.seq = seq;
	li.start_unix_ns = UINT64_C(1700000000000000000) + seq * 1000 * MS;
	li.end_unix_ns = li.start_unix_ns + 1000 * MS;
	li.c.sent = sent;
	li.c.received = received;
	li.c.lost = sent - received;
	li.c.invalid[MP_R_WRONG_PORT] = 1;
	li.jitter_ns = 2500;
	for (k = 0; k < received; k++)
		hist_add(&li.rtt, rtt_ns);
	r.recv_unix_ns = (uint64_t)time(NULL) * 1000000000ull;
	sink_metrics_ops.on_interval(state, &r);
}

static void
hello(void)
{
	struct dprec r = { .type = DPREC_HELLO, .link = -1 };

	r.recv_unix_ns = (uint64_t)time(NULL) * 1000000000ull;
	sink_metrics_ops.on_hello(state, &r);
}

START_TEST(test_routes)
{
	const char *r;

	r = request("GET", "/metrics");
	ck_assert_msg(strncmp(r, "HTTP/1.1 200", 12) == 0, "%.200s", r);
	ck_assert(strstr(r, "Content-Type: text/plain; version=0.0.4") != NULL);
	ck_assert(strstr(r, "# TYPE metroprobe_probes_sent_total counter") != NULL);
	r = request("HEAD", "/metrics");
	ck_assert(strncmp(r, "HTTP/1.1 200", 12) == 0);
	ck_assert(strstr(r, "# TYPE") == NULL);
	r = request("POST", "/metrics");
	ck_assert(strncmp(r, "HTTP/1.1 405", 12) == 0);
	ck_assert(strstr(r, "Allow: GET, HEAD") != NULL);
	r = request("GET", "/metrics/");
	ck_assert(strncmp(r, "HTTP/1.1 404", 12) == 0);
	r = request("GET", "/summary");
	ck_assert(strncmp(r, "HTTP/1.1 200", 12) == 0);
	ck_assert(strstr(r, "application/json") != NULL);
	ck_assert(strstr(r, "\"window\":\"run_so_far\"") != NULL);
}
END_TEST

START_TEST(test_healthz)
{
	struct dprec end = { .type = DPREC_END, .link = -1, .end_reason = "duration" };
	const char *r;

	r = request("GET", "/healthz");
	ck_assert_msg(strncmp(r, "HTTP/1.1 503", 12) == 0, "%.200s", r);
	ck_assert(strstr(r, "no record from the dataplane yet") != NULL);
	hello();
	feed_interval(0, 0, 100, 100, 40000);
	r = request("GET", "/healthz");
	ck_assert_msg(strncmp(r, "HTTP/1.1 200", 12) == 0, "%.300s", r);
	ck_assert(strstr(request("GET", "/metrics"), "metroprobe_dataplane_up 1\n") != NULL);
	sink_metrics_ops.on_end(state, &end);
	r = request("GET", "/healthz");
	ck_assert(strncmp(r, "HTTP/1.1 503", 12) == 0);
	ck_assert(strstr(r, "ended (duration)") != NULL);
	ck_assert(strstr(request("GET", "/metrics"), "metroprobe_dataplane_up 0\n") != NULL);
}
END_TEST

/* Counters add up over records and do not move on a replayed one. */
START_TEST(test_counters)
{
	const char *sent_a = "metroprobe_probes_sent_total{link=\"a\",location=\"Site \\\"0\\\"\","
			     "metro=\"Test Metro\"} 300\n";
	const char *r;

	hello();
	feed_interval(0, 0, 100, 90, 40000);
	feed_interval(0, 1, 200, 200, 40000);
	feed_interval(0, 1, 200, 200, 40000);	/* a replay after a reconnect */
	feed_interval(1, 0, 50, 50, 40000);
	r = request("GET", "/metrics");
	ck_assert_msg(strstr(r, sent_a) != NULL, "%.300s", strstr(r, "metroprobe_probes_sent_total{"));
	ck_assert(strstr(r, "metroprobe_probes_lost_total{link=\"a\"") != NULL);
	ck_assert(strstr(r, "\"} 10\n") != NULL);
	ck_assert(strstr(r, "metroprobe_probes_invalid_total{link=\"b\",location=\"Site \\\"1\\\"\","
			    "metro=\"Test Metro\",reason=\"wrong_address\"} 0\n") != NULL);
	ck_assert(strstr(r, "reason=\"wrong_port\"} 1\n") != NULL);
	ck_assert(strstr(r, "metroprobe_rtt_seconds_count{link=\"a\",location=\"Site \\\"0\\\"\","
			    "metro=\"Test Metro\"} 290\n") != NULL);
	ck_assert(strstr(r, "le=\"0.00005\"} 290\n") != NULL);
	ck_assert(strstr(r, "le=\"0.000025\"} 0\n") != NULL);
	ck_assert(strstr(r, "metroprobe_jitter_seconds{link=\"b\",location=\"Site \\\"1\\\"\","
			    "metro=\"Test Metro\"} 0.0000025\n") != NULL);
	/* nothing judged yet: no link_up, pair_up or SLA samples */
	ck_assert(strstr(r, "metroprobe_link_up{") == NULL);
	ck_assert(strstr(r, "metroprobe_pair_up{") == NULL);
	ck_assert(strstr(r, "metroprobe_sla_ok") == NULL);
	ck_assert(strstr(r, "metroprobe_diversity_verdict") == NULL);
}
END_TEST

static void
objective(const char *name, const char *metric, double threshold, enum board_state ok)
{
	struct board_objective *o = &board.objective[board.n_objectives++];

	snprintf(o->name, sizeof(o->name), "%s", name);
	snprintf(o->link, sizeof(o->link), "a");
	snprintf(o->metric, sizeof(o->metric), "%s", metric);
	snprintf(o->window, sizeof(o->window), "5m");
	o->threshold = threshold;
	o->value = NAN;
	o->ok = ok;
	o->budget_remaining = 0.75;
	o->burn_rate[0] = 2.0;
	o->burn_rate[1] = NAN;
	o->burn_rate[2] = 0.5;
}

/*
 * promtool check metrics on an exposition (the body after the headers):
 * its linter knows Prometheus' naming rules. 1 passed, 0 failed, -1 no promtool.
 */
static int
promtool_ok(const char *r)
{
	const char *body = strstr(r, "\r\n\r\n");
	FILE *p;
	int rc;

	if (system("command -v promtool >/dev/null 2>&1") != 0)
		return -1;
	p = popen("promtool check metrics", "w");
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(body);
	fputs(body + 4, p);
	rc = pclose(p);
	return rc == 0;
}

/* The board's judgement, and the SLA thresholds as bucket edges. */
START_TEST(test_board)
{
	cJSON *div = cJSON_Parse("{\"verdict\":\"SHARED-RISK\",\"shared_fate\":{\"lift\":3.5,"
				 "\"phi\":null,\"p_b_given_a\":0.25},\"availability\":{\"pair\":1}}");
	const char *r;

	objective("a_rtt_p99_5m", "rtt_p99", 0.0017, BOARD_YES);
	objective("a_loss_5m", "loss", 0.001, BOARD_NO);
	board.n_links = 2;
	snprintf(board.link[1].name, sizeof(board.link[1].name), "a");
	board.link[1].up = BOARD_NO;
	snprintf(board.link[0].name, sizeof(board.link[0].name), "b");
	board.link[0].up = BOARD_UNKNOWN;
	board.pair_up = BOARD_YES;
	board.diversity = div;
	board.duplicate_records = 7;
	hello();
	feed_interval(0, 0, 10, 10, 1600000);	/* the first record: the buckets are remade */
	r = request("GET", "/metrics");
	ck_assert(strstr(r, "le=\"0.0017\"} 10\n") != NULL);
	ck_assert(strstr(r, "metroprobe_link_up{link=\"a\"") != NULL);
	ck_assert(strstr(r, "metroprobe_link_up{link=\"b\"") == NULL);
	ck_assert(strstr(r, "metroprobe_pair_up{metro=\"Test Metro\"} 1\n") != NULL);
	ck_assert(strstr(r, "metroprobe_sla_ok{objective=\"a_loss_5m\",link=\"a\",sli=\"loss\","
			    "window=\"5m\"} 0\n") != NULL);
	ck_assert(strstr(r, "metroprobe_error_budget_remaining_ratio{objective=\"a_rtt_p99_5m\"")
		  != NULL);
	ck_assert(strstr(r, "burn_window=\"3d\"} 0.5\n") != NULL);
	ck_assert(strstr(r, "burn_window=\"6h\"") == NULL);
	ck_assert(strstr(r, "metroprobe_sla_value{") == NULL);
	ck_assert(strstr(r, "metroprobe_diversity_verdict{verdict=\"SHARED-RISK\"} 1\n") != NULL);
	ck_assert(strstr(r, "metroprobe_diversity_verdict{verdict=\"DIVERSE\"} 0\n") != NULL);
	ck_assert(strstr(r, "metroprobe_shared_fate_lift 3.5\n") != NULL);
	ck_assert(strstr(r, "\nmetroprobe_shared_fate_phi ") == NULL);
	ck_assert(strstr(r, "metroprobe_shared_fate_conditional_ratio{given=\"a\"} 0.25\n") != NULL);
	ck_assert(strstr(r, "metroprobe_availability_ratio{link=\"pair\"} 1\n") != NULL);
	ck_assert(strstr(r, "# TYPE metroprobe_resume_duplicate_records_total counter\n"
			    "metroprobe_resume_duplicate_records_total 7\n") != NULL);
	ck_assert_int_ne(promtool_ok(r), 0);	/* every family, as promtool sees it */
	board.diversity = NULL;
	cJSON_Delete(div);
	/* a window the service completed is what /summary shows */
	div = cJSON_Parse("{\"window\":\"5m\",\"links\":[]}");
	board.last_window = div;
	r = request("GET", "/summary");
	ck_assert_msg(strstr(r, "\r\n\r\n{\"window\":\"5m\",\"links\":[]}\n") != NULL, "%.300s", r);
	board.last_window = NULL;
	cJSON_Delete(div);
}
END_TEST

/* A second endpoint on the same address: one clear error, nothing left open. */
START_TEST(test_port_in_use)
{
	struct sink_env e2 = env;
	void *st2 = NULL;

	e2.listen = http_address(((struct sink_metrics *)state)->http);
	ck_assert_int_eq(sink_metrics_ops.open(&e2, &st2), -EADDRINUSE);
	ck_assert_ptr_null(st2);
	e2.listen = "127.0.0.1:99999";
	ck_assert_int_eq(sink_metrics_ops.open(&e2, &st2), -EINVAL);
	e2.listen = NULL;
	ck_assert_int_eq(sink_metrics_ops.open(&e2, &st2), 0);
	ck_assert_ptr_null(st2);
}
END_TEST

/* IPv6: [::1]:0 listens there, and answers a request over it. */
START_TEST(test_ipv6)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	struct sink_env e6 = env;
	void *st6 = NULL;
	const char *addr;
	char buf[256];
	const char *req = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
	ssize_t n = 0;
	int fd, i;

	e6.listen = "[::1]:0";
	if (sink_metrics_ops.open(&e6, &st6) != 0)
		return;		/* no IPv6 loopback here (said on stderr) */
	addr = http_address(((struct sink_metrics *)st6)->http);
	ck_assert(strncmp(addr, "[::1]:", 6) == 0);
	sa.sin6_port = htons((uint16_t)atoi(strrchr(addr, ':') + 1));
	sa.sin6_addr = in6addr_loopback;
	fd = socket(AF_INET6, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	ck_assert_int_eq(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	for (i = 0; i < 1000 && n <= 0; i++) {
		loop_once(lp, 5 * MS);
		n = read(fd, buf, sizeof(buf) - 1);
	}
	ck_assert_int_gt(n, 12);
	buf[n] = '\0';
	ck_assert_msg(strncmp(buf, "HTTP/1.1 503", 12) == 0, "%s", buf);
	close(fd);
	sink_metrics_ops.close(st6, NULL);
}
END_TEST

/*
 * A client that sends half a request and waits: others are served
 * meanwhile, and the server closes it after its timeout.
 */
START_TEST(test_slow_client)
{
	uint64_t t0 = loop_now_ns();
	char c;
	int slow = client();
	ssize_t n = -1;

	ck_assert_int_eq(write(slow, "GET /metr", 9), 9);
	ck_assert(strncmp(request("GET", "/healthz"), "HTTP/1.1 503", 12) == 0);
	while (loop_now_ns() - t0 < (HTTP_CONN_TIMEOUT_S + 3) * 1000 * MS) {
		loop_once(lp, 50 * MS);
		n = read(slow, &c, 1);
		if (n == 0)
			break;
	}
	ck_assert_int_eq(n, 0);
	ck_assert_uint_ge(loop_now_ns() - t0, (HTTP_CONN_TIMEOUT_S - 1) * 1000 * MS);
	close(slow);
}
END_TEST

/*
 * HTTP_CONN_MAX idle connections fill the server: one more is closed at
 * once (not left waiting), and once they have gone a new one is served.
 */
START_TEST(test_conn_limit)
{
	int idle[HTTP_CONN_MAX], extra, i;
	char buf[256];
	ssize_t n = -1;

	for (i = 0; i < HTTP_CONN_MAX; i++) {
		idle[i] = client();
		loop_once(lp, 5 * MS);
	}
	extra = client();
	for (i = 0; i < 200 && n != 0; i++) {
		loop_once(lp, 5 * MS);
		n = read(extra, buf, sizeof(buf));
	}
	ck_assert_msg(n == 0, "the connection over the limit was not closed");
	close(extra);
	for (i = 0; i < HTTP_CONN_MAX; i++)
		close(idle[i]);
	for (i = 0; i < 20; i++)	/* the server sees them go */
		loop_once(lp, 5 * MS);
	ck_assert(strncmp(request("GET", "/healthz"), "HTTP/1.1 503", 12) == 0);
}
END_TEST

static Suite *
sink_metrics_suite(void)
{
	Suite *s = suite_create("sink_metrics");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_routes);
	tcase_add_test(tc, test_healthz);
	tcase_add_test(tc, test_counters);
	tcase_add_test(tc, test_board);
	tcase_add_test(tc, test_port_in_use);
	tcase_add_test(tc, test_ipv6);
	tcase_add_test(tc, test_conn_limit);
	tcase_add_test(tc, test_slow_client);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(sink_metrics_suite)
