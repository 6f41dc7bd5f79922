/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A prober worker lcore: its lanes' send and receive paths and periodic
 * work in one loop, and when to sleep. A worker whose lanes send faster
 * than one probe per BUSY_PERIOD_US (or --busy-poll) never sleeps. Others
 * sleep until the next thing due: a burst, a lane's periodic work, or the
 * window in which the replies of a recent burst arrive (polled, so that a
 * reply is timestamped as it arrives, not when the worker wakes up).
 *
 * The send and receive paths (probe_tx.h, probe_rx.h) are inline here:
 * this file is the fast path's one translation unit.
 */
#include <sched.h>
#include <sys/prctl.h>
#include <time.h>

#include <rte_branch_prediction.h>
#include <rte_cycles.h>

#include "probe_rx.h"
#include "probe_tx.h"

#define WAKE_MARGIN_US	30		/* wake this early, then spin to the deadline */

/* What one iteration over a worker's lanes found. */
struct worker_turn {
	uint64_t next_event;		/* the earliest thing due */
	uint32_t work;			/* probes sent and frames received */
	bool spin;			/* inside a reply window: poll, do not sleep */
	bool all_done;
};

static void
sleep_until(uint64_t deadline)
{
	uint64_t now = rte_rdtsc(), hz = dp_tsc_hz;
	uint64_t margin = WAKE_MARGIN_US * hz / 1000000;
	struct timespec ts;
	uint64_t ns;

	if (deadline <= now + margin)
		return;
	ns = (deadline - now - margin) * 1000000000ull / hz;
	if (ns > 10000000)
		ns = 10000000;	/* wake at least every 10 ms to notice signals */
	ts.tv_sec = 0;
	ts.tv_nsec = (long)ns;
	nanosleep(&ts, NULL);
}

/*
 * Low-rate mode: poll while now is inside the reply window of a recent
 * burst; otherwise the next window's start is an event to wake up for.
 */
static __rte_always_inline void
lane_reply_windows(struct probe_lane *L, uint64_t now, struct worker_turn *t)
{
	struct probe_lane_state *s = &L->s;
	uint64_t from;

	if (s->win.pending == 0) {
		s->expect_tail = s->expect_head;
		return;
	}
	while (s->expect_tail != s->expect_head &&
	       now > s->expect[s->expect_tail % EXPECT_RING] + s->spin_win_tsc)
		s->expect_tail++;
	if (s->expect_tail == s->expect_head)
		return;
	from = s->expect[s->expect_tail % EXPECT_RING];
	if (now >= from)
		t->spin = true;
	else if (from < t->next_event)
		t->next_event = from;
}

/* Send what is due. */
static __rte_always_inline uint32_t
lane_send_due(struct probe_lane *L, uint64_t now)
{
	uint32_t due;

	if (now < pacer_next_tsc(&L->s.pacer) + L->c.batch_wait_tsc)
		return 0;
	due = pacer_due(&L->s.pacer, now, DP_BURST);
	if (due == 0)
		return 0;
	if (likely(lane_next_hop_ready(L)))
		lane_tx(L, due);
	else
		L->c.cur->c.tx_skipped += due;
	return due;
}

/* A lane's send half of a turn: what is due, and when the next probe is. */
static __rte_always_inline void
lane_turn_tx(struct probe_lane *L, uint64_t now, struct worker_turn *t)
{
	if (likely(L->s.tx_on))
		t->work += lane_send_due(L, now);
	if (L->s.tx_on && pacer_next_tsc(&L->s.pacer) < t->next_event)
		t->next_event = pacer_next_tsc(&L->s.pacer);
}

/* The rest of a lane's turn: receive, periodic work, reply windows. */
static __rte_always_inline void
lane_turn_rx(struct probe_lane *L, uint64_t now, bool busy, struct worker_turn *t)
{
	t->work += lane_rx(L);
	if (L->c.redirect != NULL)
		t->work += lane_rx_redirected(L);
	if (now >= L->s.next_hk_tsc || !L->s.started) {
		L->s.hk_next_event = lane_housekeeping(L, now);
		L->s.next_hk_tsc = now + L->c.hk_tsc;
	}
	if (L->s.hk_next_event < t->next_event)
		t->next_event = L->s.hk_next_event;
	if (!busy)	/* a busy worker never sleeps: no windows to keep */
		lane_reply_windows(L, now, t);
}

/* A turn of the host (benchmarks), its cycles counted apart from the prober's. */
static __rte_always_inline void
worker_host_turn(struct probe_worker *w, const struct probe_host *host)
{
	uint64_t t0 = rte_rdtsc();

	host->poll(host->arg);
	w->host_cycles += rte_rdtsc() - t0;
}

/*
 * The worker loop. host is a constant at each call site: NULL for a
 * prober's worker, whose loop then has no trace of it.
 */
static __rte_always_inline int
worker_loop(struct probe_worker *w, const struct probe_host *host)
{
	uint64_t now, now_next = 0, host_seen = 0;
	const bool busy = w->busy;
	int i;

	/* Sleeps in the low-rate mode should end when asked, not 50 us later. */
	prctl(PR_SET_TIMERSLACK, 1000UL);
	for (i = 0; i < w->n; i++)
		lane_start_clock(w->lanes[i], rte_rdtsc());
	w->loop_cycles = rte_rdtsc();
	for (;;) {
		struct worker_turn t = { UINT64_MAX, 0, busy, true };

		now = now_next != 0 ? now_next : rte_rdtsc();
		for (i = 0; i < w->n; i++) {
			struct probe_lane *L = w->lanes[i];

			if (L->s.done)
				continue;
			t.all_done = false;
			lane_turn_tx(L, now, &t);
			/* the host answers between the first lane's send and receive */
			if (host != NULL && i == 0)
				worker_host_turn(w, host);
			lane_turn_rx(L, now, busy, &t);
		}
		if (t.all_done)
			break;
		w->iterations++;
		now_next = 0;
		if (t.work != 0) {
			/* the end of this iteration's work is the next one's start: one TSC read */
			now_next = rte_rdtsc();
			w->work_cycles += now_next - now;
			w->work_iterations++;
			if (host != NULL)
				w->work_cycles -= w->host_cycles - host_seen;
		}
		host_seen = w->host_cycles;
		if (!t.spin && t.work == 0 && t.next_event != UINT64_MAX)
			sleep_until(t.next_event);
		else if (!busy && t.work == 0)
			sched_yield();	/* waiting for replies: let a reflector on this CPU run */
	}
	w->loop_cycles = rte_rdtsc() - w->loop_cycles;
	return 0;
}

int
probe_worker_main(void *arg)
{
	return worker_loop(arg, NULL);
}

/* Benchmarks: the same loop, with the hosted reflector turned in it. */
int
probe_worker_host_main(void *arg)
{
	struct probe_worker *w = arg;

	return worker_loop(w, w->host);
}
