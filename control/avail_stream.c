/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "avail_stream.h"

void
avs_init(struct avail_stream *s)
{
	memset(s, 0, sizeof(*s));
}

static uint8_t *
slot(struct avail_stream *s, int64_t sec)
{
	return &s->flag[(uint64_t)sec % AVS_RING];
}

/* The pending seconds (and sec, the newest) become down or up. */
static void
decide(struct avail_stream *s, bool down, struct avs_out *o)
{
	int64_t t;

	for (t = s->pending > 0 ? s->pending_from : s->last; t <= s->last; t++) {
		uint8_t *f = slot(s, t);

		if (*f != AVS_UNDECIDED)
			continue;
		*f = down ? AVS_DOWN : AVS_UP;
		o->seconds++;
		o->unavail += down;
	}
	s->pending = 0;
}

void
avs_push(struct avail_stream *s, int64_t sec, uint8_t cls, struct avs_out *o)
{
	int64_t t;

	if (s->started && sec <= s->last)
		return;
	/* a run longer than the ring remembers is decided as it stands */
	if (s->pending > 0 && sec - s->pending_from >= AVS_RING)
		decide(s, s->down, o);
	for (t = s->started ? s->last + 1 : sec; t < sec; t++)
		*slot(s, t) = AVS_NODATA;
	s->started = true;
	s->last = sec;
	*slot(s, sec) = AVS_UNDECIDED;
	if (cls == AVAIL_GAP) {
		*slot(s, sec) = AVS_NODATA;
		return;
	}
	if ((cls == AVAIL_SES) == s->down) {
		/* the state holds: it decides the pending run too */
		decide(s, s->down, o);
		return;
	}
	if (s->pending++ == 0)
		s->pending_from = sec;
	if (s->pending == AVAIL_RUN) {
		s->down = !s->down;
		decide(s, s->down, o);
	}
}

void
avs_flush(struct avail_stream *s, struct avs_out *o)
{
	if (s->pending > 0)
		decide(s, s->down, o);
}

int64_t
avs_decided_through(const struct avail_stream *s)
{
	if (!s->started)
		return INT64_MIN;
	return s->pending > 0 ? s->pending_from - 1 : s->last;
}

uint8_t
avs_flag(const struct avail_stream *s, int64_t sec)
{
	if (!s->started || sec > s->last || s->last - sec >= AVS_RING)
		return AVS_NODATA;
	return s->flag[(uint64_t)sec % AVS_RING];
}

void
avps_init(struct avail_pair_stream *p)
{
	p->next = INT64_MIN;
}

void
avps_advance(struct avail_pair_stream *p, const struct avail_stream *a,
	     const struct avail_stream *b, struct avs_out *o)
{
	int64_t da = avs_decided_through(a), db = avs_decided_through(b);
	int64_t through = da < db ? da : db;
	int64_t t;

	if (through == INT64_MIN)
		return;
	if (p->next == INT64_MIN || through - p->next >= AVS_RING)
		p->next = through - AVS_RING + 1;
	for (t = p->next; t <= through; t++) {
		uint8_t fa = avs_flag(a, t), fb = avs_flag(b, t);

		if (fa == AVS_NODATA || fb == AVS_NODATA || fa == AVS_UNDECIDED ||
		    fb == AVS_UNDECIDED)
			continue;
		o->seconds++;
		o->unavail += fa == AVS_DOWN && fb == AVS_DOWN;
	}
	p->next = through + 1;
}
