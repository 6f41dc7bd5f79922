/* SPDX-License-Identifier: BSD-3-Clause */
/* Sequence window: loss, late, duplicates, RFC 4737 reordering, wrap, and a random oracle. */
#include <check.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_seqwin.h"
#include "mp_test.h"

static uint64_t
rnd_below(uint64_t *s, uint64_t n)
{
	return rnd_next(s) % n;
}

struct win {
	struct seqwin w;
	void *mem;
};

static void
win_init(struct win *x, unsigned order, uint32_t first)
{
	x->mem = malloc(seqwin_mem_size(order));
	ck_assert_ptr_nonnull(x->mem);
	ck_assert_int_eq(seqwin_init(&x->w, x->mem, order, first), 0);
}

static void
win_fini(struct win *x)
{
	free(x->mem);
}

/* Send count probes from next_send on; returns the losses the ring forced. */
static uint32_t
send_n(struct win *x, uint32_t count)
{
	uint32_t lost = 0;

	while (count-- > 0)
		lost += seqwin_on_send(&x->w, x->w.next_send);
	return lost;
}

#define REPLY(x, seq, want) \
	ck_assert_str_eq(seq_outcome_names[seqwin_on_reply(&(x)->w, (seq))], \
			 seq_outcome_names[(want)])

START_TEST(test_names_and_sizes)
{
	uint8_t mem[1024];
	struct seqwin w;

	ck_assert_str_eq(seq_outcome_names[SEQ_IN_ORDER], "in_order");
	ck_assert_str_eq(seq_outcome_names[SEQ_REORDERED], "reordered");
	ck_assert_str_eq(seq_outcome_names[SEQ_DUPLICATE], "duplicate");
	ck_assert_str_eq(seq_outcome_names[SEQ_LATE], "late");
	ck_assert_str_eq(seq_outcome_names[SEQ_UNKNOWN], "unknown");
	ck_assert_uint_eq(seqwin_mem_size(10), 1024);
	ck_assert_uint_eq(seqwin_mem_size(28), (size_t)1 << 28);
	ck_assert_int_eq(seqwin_init(&w, NULL, 10, 0), -EINVAL);
	ck_assert_int_eq(seqwin_init(&w, mem, 29, 0), -EINVAL);
	ck_assert_int_eq(seqwin_init(&w, mem, 10, 77), 0);
	ck_assert_uint_eq(seqwin_outstanding(&w), 0);
	ck_assert_uint_eq(w.next_send, 77);
}
END_TEST

START_TEST(test_order_for)
{
	ck_assert_uint_eq(seqwin_order_for(0, 0), 10);
	ck_assert_uint_eq(seqwin_order_for(1000, 1000), 12);		/* 2000 + 1024 */
	ck_assert_uint_eq(seqwin_order_for(1536, 1000), 12);		/* exactly 4096 */
	ck_assert_uint_eq(seqwin_order_for(1536001, 1), 13);		/* 3072.002 -> 3073 */
	ck_assert_uint_eq(seqwin_order_for(1000000, 3000), 23);	/* 6 001 024 */
	ck_assert_uint_eq(seqwin_order_for(15000000, 1000), 25);	/* 30 001 024 */
	ck_assert_uint_eq(seqwin_order_for(15000000, 10000), 28);	/* capped */
	ck_assert_uint_eq(seqwin_order_for(UINT64_MAX, UINT64_MAX), 28);
}
END_TEST

START_TEST(test_in_order_and_loss)
{
	struct win x;
	uint32_t i;

	win_init(&x, 10, 0);
	ck_assert_uint_eq(send_n(&x, 10), 0);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 10);
	for (i = 0; i < 10; i += 2)
		REPLY(&x, i, SEQ_IN_ORDER);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 5);
	ck_assert_uint_eq(seqwin_retire(&x.w, 10), 5);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 0);
	/* retiring again, or backwards, loses nothing more */
	ck_assert_uint_eq(seqwin_retire(&x.w, 10), 0);
	ck_assert_uint_eq(seqwin_retire(&x.w, 3), 0);
	/* late, then duplicates of the late one and of a received one */
	REPLY(&x, 1, SEQ_LATE);
	REPLY(&x, 1, SEQ_DUPLICATE);
	REPLY(&x, 2, SEQ_DUPLICATE);
	REPLY(&x, 3, SEQ_LATE);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 0);
	win_fini(&x);
}
END_TEST

/* Outstanding probes sent before a sequence number: the overdue ones. */
START_TEST(test_outstanding_before)
{
	struct win x;
	uint32_t i;

	win_init(&x, 10, 100);
	ck_assert_uint_eq(seqwin_outstanding_before(&x.w, 200), 0);	/* nothing sent */
	ck_assert_uint_eq(send_n(&x, 50), 0);			/* 100..149 */
	for (i = 100; i < 150; i += 5)
		REPLY(&x, i, SEQ_IN_ORDER);			/* 10 answered */
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 40);
	/* below 120: 100..119 less 100, 105, 110, 115 */
	ck_assert_uint_eq(seqwin_outstanding_before(&x.w, 120), 16);
	ck_assert_uint_eq(seqwin_outstanding_before(&x.w, 100), 0);
	ck_assert_uint_eq(seqwin_outstanding_before(&x.w, 150), 40);
	ck_assert_uint_eq(seqwin_outstanding_before(&x.w, 90), 0);	/* before the window */
	ck_assert_uint_eq(seqwin_outstanding_before(&x.w, 500), 40);	/* past next_send */
	/* retired ones are lost, not outstanding */
	ck_assert_uint_eq(seqwin_retire(&x.w, 130), 24);
	ck_assert_uint_eq(seqwin_outstanding_before(&x.w, 140), 8);
	ck_assert_uint_eq(seqwin_outstanding_before(&x.w, 120), 0);
	win_fini(&x);
}
END_TEST

/* The word-at-a-time count against a plain one: long runs, the ring's wrap. */
START_TEST(test_outstanding_before_long)
{
	static uint8_t replied[40000];
	uint32_t base = 0xffffa000u, i, k, seed = 7;	/* wraps 2^32 on the way */
	struct win x;

	win_init(&x, 14, base);
	for (i = 0; i < 30000; i++) {
		seqwin_on_send(&x.w, x.w.next_send);
		if (i >= 30000 - 16384 + 100) {
			seed = seed * 1103515245u + 12345u;
			replied[i] = (seed >> 16) % 3 == 0;
			if (replied[i])
				seqwin_on_reply(&x.w, base + i);
		}
	}
	seqwin_retire(&x.w, base + 30000 - 16384 + 100);
	for (k = 0; k < 40; k++) {
		uint32_t below = 30000 - 16384 + 100 + k * 409, want = 0;

		for (i = 30000 - 16384 + 100; i < below; i++)
			want += !replied[i];
		ck_assert_uint_eq(seqwin_outstanding_before(&x.w, base + below), want);
	}
	win_fini(&x);
}
END_TEST

START_TEST(test_retire_partial_and_clamp)
{
	struct win x;

	win_init(&x, 10, 100);
	send_n(&x, 10);					/* 100 .. 109 */
	REPLY(&x, 100, SEQ_IN_ORDER);
	ck_assert_uint_eq(seqwin_retire(&x.w, 105), 4);	/* 101..104 */
	ck_assert_uint_eq(x.w.retired, 105);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 5);
	REPLY(&x, 105, SEQ_IN_ORDER);
	REPLY(&x, 104, SEQ_LATE);
	/* beyond next_send: clamped, never retires unsent probes */
	ck_assert_uint_eq(seqwin_retire(&x.w, 5000), 4);	/* 106..109 */
	ck_assert_uint_eq(x.w.retired, 110);
	send_n(&x, 5);					/* 110 .. 114 */
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 5);
	REPLY(&x, 110, SEQ_IN_ORDER);
	ck_assert_uint_eq(seqwin_retire(&x.w, 113), 2);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 2);
	win_fini(&x);
}
END_TEST

/* Replies in the given order after sending 1..max: how many were reordered. */
static unsigned
reordered_of(const uint32_t *order, unsigned n, uint32_t first)
{
	struct win x;
	unsigned i, r = 0;

	win_init(&x, 10, first);
	send_n(&x, 64);
	for (i = 0; i < n; i++) {
		enum seq_outcome o = seqwin_on_reply(&x.w, first + order[i]);

		ck_assert(o == SEQ_IN_ORDER || o == SEQ_REORDERED);
		r += o == SEQ_REORDERED;
	}
	win_fini(&x);
	return r;
}

START_TEST(test_rfc4737_reordering)
{
	static const uint32_t a[] = { 1, 2, 4, 3, 5 };
	static const uint32_t b[] = { 1, 3, 4, 2, 5 };
	static const uint32_t c[] = { 1, 2, 3, 4, 7, 5, 6, 8 };
	static const uint32_t d[] = { 5, 4, 3, 2, 1 };
	static const uint32_t e[] = { 1, 2, 3, 4, 5 };
	static const uint32_t f[] = { 1, 2, 4, 5, 3 };
	struct win x;
	unsigned i;

	for (i = 0; i < 2; i++) {
		uint32_t first = i == 0 ? 0 : 0xfffffffcu;	/* and across 2^32 */

		ck_assert_uint_eq(reordered_of(a, 5, first), 1);
		ck_assert_uint_eq(reordered_of(b, 5, first), 1);
		ck_assert_uint_eq(reordered_of(c, 8, first), 2);
		ck_assert_uint_eq(reordered_of(d, 5, first), 4);
		ck_assert_uint_eq(reordered_of(e, 5, first), 0);
		ck_assert_uint_eq(reordered_of(f, 5, first), 1);
	}
	/* a loss does not make what follows reordered, a gap does not either */
	win_init(&x, 10, 0);
	send_n(&x, 10);
	REPLY(&x, 0, SEQ_IN_ORDER);
	REPLY(&x, 2, SEQ_IN_ORDER);
	REPLY(&x, 5, SEQ_IN_ORDER);
	REPLY(&x, 3, SEQ_REORDERED);
	REPLY(&x, 6, SEQ_IN_ORDER);
	seqwin_retire(&x.w, 5);
	REPLY(&x, 1, SEQ_LATE);		/* late is not reordered */
	REPLY(&x, 7, SEQ_IN_ORDER);
	REPLY(&x, 4, SEQ_LATE);
	REPLY(&x, 3, SEQ_DUPLICATE);
	REPLY(&x, 8, SEQ_IN_ORDER);
	win_fini(&x);
}
END_TEST

START_TEST(test_unknown)
{
	struct win x;

	win_init(&x, 10, 1000);
	REPLY(&x, 1000, SEQ_UNKNOWN);		/* nothing sent yet */
	REPLY(&x, 999, SEQ_UNKNOWN);
	send_n(&x, 10);				/* 1000 .. 1009 */
	REPLY(&x, 1010, SEQ_UNKNOWN);		/* not yet sent */
	REPLY(&x, 1500, SEQ_UNKNOWN);
	REPLY(&x, 999, SEQ_UNKNOWN);		/* before the first */
	REPLY(&x, 500, SEQ_UNKNOWN);
	REPLY(&x, 0xffffffffu, SEQ_UNKNOWN);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 10);
	REPLY(&x, 1000, SEQ_IN_ORDER);		/* unknown replies changed nothing */
	REPLY(&x, 1009, SEQ_IN_ORDER);
	/* older than the ring remembers */
	seqwin_retire(&x.w, 1010);
	send_n(&x, 1024);			/* 1010 .. 2033, ring holds 1010.. */
	REPLY(&x, 1009, SEQ_UNKNOWN);
	REPLY(&x, 1001, SEQ_UNKNOWN);
	REPLY(&x, 1010, SEQ_IN_ORDER);		/* oldest remembered */
	REPLY(&x, 2033, SEQ_IN_ORDER);		/* newest */
	REPLY(&x, 2034, SEQ_UNKNOWN);
	win_fini(&x);
}
END_TEST

START_TEST(test_wrap_2_32)
{
	struct win x;
	uint32_t first = 0xffffff00u, s;
	unsigned i;

	win_init(&x, 10, first);
	ck_assert_uint_eq(send_n(&x, 512), 0);		/* 0xffffff00 .. 0x000000ff */
	ck_assert_uint_eq(x.w.next_send, 0x100);
	for (i = 0; i < 512; i++) {
		s = first + i;
		if (i % 3 == 2)
			continue;		/* every third is lost */
		REPLY(&x, s, SEQ_IN_ORDER);
	}
	REPLY(&x, 0xffffff04u, SEQ_DUPLICATE);
	REPLY(&x, 0x00000005u, SEQ_DUPLICATE);
	REPLY(&x, 0x00000004u, SEQ_REORDERED);	/* pending, below NextExp across wrap */
	ck_assert_uint_eq(seqwin_retire(&x.w, 0x100), 170 - 1);
	REPLY(&x, 0xffffff02u, SEQ_LATE);
	REPLY(&x, 0x0000000bu, SEQ_DUPLICATE);
	REPLY(&x, 0x0000000au, SEQ_LATE);
	REPLY(&x, 0x00000100u, SEQ_UNKNOWN);
	REPLY(&x, 0xfffffeffu, SEQ_UNKNOWN);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 0);
	/* go on through 0xffffff00 + 3000 with steady retirement */
	for (i = 0; i < 3000; i++) {
		s = x.w.next_send;
		seqwin_on_send(&x.w, s);
		REPLY(&x, s, SEQ_IN_ORDER);
		ck_assert_uint_eq(seqwin_retire(&x.w, s - 100), 0);
	}
	win_fini(&x);
}
END_TEST

START_TEST(test_ring_wrap_without_retire)
{
	struct win x;
	uint32_t i, lost = 0;

	win_init(&x, 10, 0);
	ck_assert_uint_eq(send_n(&x, 1024), 0);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 1024);
	REPLY(&x, 3, SEQ_IN_ORDER);
	for (i = 0; i < 5; i++)
		lost += seqwin_on_send(&x.w, 1024 + i);
	/* 0, 1, 2, 4 were still pending when the ring reused their slots */
	ck_assert_uint_eq(lost, 4);
	/* the ring advanced retired, and NextExp (4) with it: never stale */
	ck_assert_uint_eq(x.w.retired, 5);
	ck_assert_uint_eq(x.w.next_exp, 5);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 1023 - 4 + 5);
	REPLY(&x, 0, SEQ_UNKNOWN);
	REPLY(&x, 4, SEQ_UNKNOWN);
	REPLY(&x, 5, SEQ_IN_ORDER);		/* NextExp was 4 */
	REPLY(&x, 1027, SEQ_IN_ORDER);
	REPLY(&x, 6, SEQ_REORDERED);
	REPLY(&x, 1028, SEQ_IN_ORDER);
	/* retire after the fact: only what the ring still holds */
	ck_assert_uint_eq(seqwin_retire(&x.w, 1029), 1024 - 4);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 0);
	win_fini(&x);
}
END_TEST

START_TEST(test_send_burst_equals_singles)
{
	/* seqwin_on_send_burst must leave exactly the state of n single sends */
	struct win a, b;
	uint32_t seq = 0xFFFFFF00u, i, la = 0, lb = 0, k;
	uint64_t r = 12345;

	win_init(&a, 10, seq);
	win_init(&b, 10, seq);
	for (k = 0; k < 2000; k++) {
		uint32_t n = (uint32_t)((r = r * 6364136223846793005ULL + 1442695040888963407ULL) >> 59);

		la += seqwin_on_send_burst(&a.w, seq, n);
		for (i = 0; i < n; i++)
			lb += seqwin_on_send(&b.w, seq + i);
		seq += n;
		if (k % 7 == 0) {	/* some replies and retires between bursts */
			seqwin_on_reply(&a.w, seq - 1);
			seqwin_on_reply(&b.w, seq - 1);
			la += seqwin_retire(&a.w, seq - 600);
			lb += seqwin_retire(&b.w, seq - 600);
		}
		if (k == 1000) {	/* a gap: some seqs consumed but never sent */
			seq += 5;
		}
	}
	ck_assert_uint_eq(la, lb);
	ck_assert_uint_eq(a.w.next_send, b.w.next_send);
	ck_assert_uint_eq(a.w.retired, b.w.retired);
	ck_assert_uint_eq(a.w.next_exp, b.w.next_exp);
	ck_assert_uint_eq(a.w.pending, b.w.pending);
	ck_assert_int_eq(memcmp(a.w.state, b.w.state, a.w.mask + 1), 0);
	ck_assert_uint_eq(seqwin_on_send_burst(&a.w, seq, 0), 0);
	win_fini(&a);
	win_fini(&b);
}
END_TEST

START_TEST(test_send_gap)
{
	struct win x;

	win_init(&x, 10, 0);
	send_n(&x, 5);
	ck_assert_uint_eq(seqwin_on_send(&x.w, 10), 0);	/* 5..9 never sent */
	ck_assert_uint_eq(x.w.next_send, 11);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 6);
	REPLY(&x, 7, SEQ_UNKNOWN);
	REPLY(&x, 10, SEQ_IN_ORDER);
	REPLY(&x, 4, SEQ_REORDERED);
	/* sending an old seq again records nothing */
	ck_assert_uint_eq(seqwin_on_send(&x.w, 3), 0);
	ck_assert_uint_eq(x.w.next_send, 11);
	/* a gap wider than the ring forgets all, retiring the pending as lost */
	ck_assert_uint_eq(seqwin_on_send(&x.w, 5000), 4);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 1);
	REPLY(&x, 0, SEQ_UNKNOWN);
	REPLY(&x, 4999, SEQ_UNKNOWN);
	REPLY(&x, 5000, SEQ_IN_ORDER);
	win_fini(&x);
}
END_TEST

/*
 * The oracle: the same semantics over 64-bit virtual indices (no modular
 * arithmetic, no ring), one byte of state per probe ever sent.
 */
enum o_state { O_NONE, O_PENDING, O_RECEIVED, O_LOST, O_LATE_RX };

struct oracle {
	uint8_t *st;
	int64_t next_send, retired, next_exp, size;
	uint64_t pending, lost;
};

static void
oracle_send(struct oracle *o)
{
	int64_t i = o->next_send++;

	if (i >= o->size) {
		int64_t j = i - o->size;

		if (o->st[j] == O_PENDING) {
			o->st[j] = O_LOST;
			o->pending--;
			o->lost++;
		}
		if (o->retired < j + 1)
			o->retired = j + 1;
	}
	o->st[i] = O_PENDING;
	o->pending++;
}

static void
oracle_retire(struct oracle *o, int64_t upto)
{
	int64_t j;

	if (upto > o->next_send)
		upto = o->next_send;
	for (j = o->retired; j < upto; j++) {
		if (o->st[j] == O_PENDING) {
			o->st[j] = O_LOST;
			o->pending--;
			o->lost++;
		}
	}
	if (upto > o->retired)
		o->retired = upto;
}

static enum seq_outcome
oracle_reply(struct oracle *o, int64_t i)
{
	if (i < 0 || i >= o->next_send || i < o->next_send - o->size)
		return SEQ_UNKNOWN;
	switch (o->st[i]) {
	case O_PENDING:
		o->pending--;
		o->st[i] = O_RECEIVED;
		if (i >= o->next_exp) {
			o->next_exp = i + 1;
			return SEQ_IN_ORDER;
		}
		return SEQ_REORDERED;
	case O_RECEIVED:
	case O_LATE_RX:
		return SEQ_DUPLICATE;
	case O_LOST:
		o->st[i] = O_LATE_RX;
		return SEQ_LATE;
	default:
		return SEQ_UNKNOWN;
	}
}

struct event {
	uint64_t key;	/* arrival step << 24 | random tie-break */
	int64_t idx;
};

static int
cmp_event(const void *a, const void *b)
{
	uint64_t x = ((const struct event *)a)->key, y = ((const struct event *)b)->key;

	return x < y ? -1 : x > y;
}

static void
simulate(uint32_t first, unsigned order, int64_t n, uint64_t seed)
{
	struct oracle o = { 0 };
	struct event *ev;
	struct win x;
	size_t nev = 0, cap = (size_t)n * 3 + 16, e = 0;
	uint64_t s = seed, lib_lost = 0;
	uint64_t counts[SEQ_OUTCOME_MAX] = { 0 };
	int64_t t, no_retire_until = -1;
	const int64_t timeout = 200;

	o.st = calloc((size_t)n, 1);
	o.size = (int64_t)1 << order;
	ev = malloc(cap * sizeof(*ev));
	ck_assert_ptr_nonnull(o.st);
	ck_assert_ptr_nonnull(ev);
	/* each probe: 5% lost, else one reply (mostly prompt, some late, a few
	 * older than the ring), 3% a duplicate; plus 0.5% bogus sequence numbers */
	for (t = 0; t < n; t++) {
		unsigned copies = rnd_below(&s, 100) < 5 ? 0 : 1, c;
		int64_t delay;

		copies += rnd_below(&s, 100) < 3;
		for (c = 0; c < copies; c++) {
			uint64_t r = rnd_below(&s, 1000);

			if (r < 900)
				delay = (int64_t)rnd_below(&s, 50);
			else if (r < 970)
				delay = 50 + (int64_t)rnd_below(&s, 300);
			else
				delay = 300 + (int64_t)rnd_below(&s, 1500);
			if (t + delay < n)
				ev[nev++] = (struct event){
					((uint64_t)(t + delay) << 24) | rnd_below(&s, 1 << 24), t };
		}
		if (rnd_below(&s, 1000) < 5)
			ev[nev++] = (struct event){ ((uint64_t)t << 24) | rnd_below(&s, 1 << 24),
				t - 3000 + (int64_t)rnd_below(&s, 6000) };
	}
	qsort(ev, nev, sizeof(*ev), cmp_event);

	win_init(&x, order, first);
	for (t = 0; t < n; t++) {
		lib_lost += seqwin_on_send(&x.w, first + (uint32_t)t);
		oracle_send(&o);
		while (e < nev && (int64_t)(ev[e].key >> 24) == t) {
			int64_t i = ev[e].idx;
			enum seq_outcome want = oracle_reply(&o, i);
			enum seq_outcome got = seqwin_on_reply(&x.w, first + (uint32_t)i);

			if (got != want)
				ck_abort_msg("first=%#x t=%lld seq idx %lld: got %s, want %s",
					     first, (long long)t, (long long)i,
					     seq_outcome_names[got], seq_outcome_names[want]);
			counts[got]++;
			e++;
		}
		/* now and then the caller forgets to retire for a while */
		if (t > no_retire_until && rnd_below(&s, 20000) == 0)
			no_retire_until = t + 500 + (int64_t)rnd_below(&s, 3000);
		if (t > no_retire_until && t >= timeout && rnd_below(&s, 4) != 0) {
			lib_lost += seqwin_retire(&x.w, first + (uint32_t)(t - timeout));
			oracle_retire(&o, t - timeout);
		}
		if (seqwin_outstanding(&x.w) != o.pending)
			ck_abort_msg("t=%lld: outstanding %u, oracle %llu", (long long)t,
				     seqwin_outstanding(&x.w), (unsigned long long)o.pending);
	}
	lib_lost += seqwin_retire(&x.w, first + (uint32_t)n);
	oracle_retire(&o, n);
	ck_assert_uint_eq(lib_lost, o.lost);
	ck_assert_uint_eq(seqwin_outstanding(&x.w), 0);
	/* the run exercised every outcome */
	for (t = 0; t < SEQ_OUTCOME_MAX; t++)
		ck_assert_msg(counts[t] > 100, "outcome %s seen %llu times",
			      seq_outcome_names[t], (unsigned long long)counts[t]);
	win_fini(&x);
	free(o.st);
	free(ev);
}

START_TEST(test_random_vs_oracle)
{
	simulate(0, 10, 1000000, 1);
	simulate(0xfff00000u, 10, 2000000, 2);		/* crosses 2^32 */
	simulate(0x7fffff00u, 11, 500000, 3);		/* crosses 2^31 */
	simulate(12345, 12, 500000, 4);
}
END_TEST

static Suite *
seqwin_suite(void)
{
	Suite *s = suite_create("seqwin");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_names_and_sizes);
	tcase_add_test(tc, test_order_for);
	tcase_add_test(tc, test_in_order_and_loss);
	tcase_add_test(tc, test_retire_partial_and_clamp);
	tcase_add_test(tc, test_outstanding_before);
	tcase_add_test(tc, test_outstanding_before_long);
	tcase_add_test(tc, test_rfc4737_reordering);
	tcase_add_test(tc, test_unknown);
	tcase_add_test(tc, test_wrap_2_32);
	tcase_add_test(tc, test_ring_wrap_without_retire);
	tcase_add_test(tc, test_send_gap);
	tcase_add_test(tc, test_send_burst_equals_singles);
	tcase_add_test(tc, test_random_vs_oracle);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(seqwin_suite)
