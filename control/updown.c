/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "agg.h"
#include "updown.h"

const char *const updown_name[4] = { "link_down", "link_up", "pair_down", "pair_up" };

void
updown_init(struct updown *u, int n_links)
{
	int i;

	memset(u, 0, sizeof(*u));
	u->n_links = n_links < UPDOWN_LINKS ? n_links : UPDOWN_LINKS;
	for (i = 0; i < UPDOWN_LINKS; i++)
		u->l[i].up = BOARD_UNKNOWN;
	u->pair_up = BOARD_UNKNOWN;
}

/* The pair's state from its links': up while one is, unknown while one is unknown and none up. */
static enum board_state
pair_state(const struct updown *u)
{
	enum board_state s = BOARD_NO;
	int i;

	for (i = 0; i < u->n_links; i++) {
		if (u->l[i].up == BOARD_YES)
			return BOARD_YES;
		if (u->l[i].up == BOARD_UNKNOWN)
			s = BOARD_UNKNOWN;
	}
	return s;
}

static int
pair_change(struct updown *u, uint64_t t_ns, struct updown_event *ev)
{
	enum board_state was = u->pair_up, now;

	if (u->n_links < 2)
		return 0;
	now = pair_state(u);
	if (now == was || now == BOARD_UNKNOWN)
		return 0;
	u->pair_up = now;
	if (now == BOARD_NO) {
		u->pair_since_ns = t_ns;
		*ev = (struct updown_event){ UD_PAIR_DOWN, -1, t_ns, 0 };
		return 1;
	}
	if (was == BOARD_UNKNOWN)
		return 0;	/* known for the first time, and up: nothing to say */
	*ev = (struct updown_event){ UD_PAIR_UP, -1, t_ns,
		t_ns > u->pair_since_ns ? t_ns - u->pair_since_ns : 0 };
	return 1;
}

int
updown_add(struct updown *u, int l, const struct link_interval *li, struct updown_event *ev)
{
	struct updown_link *k;
	uint64_t out, reply;
	int n = 0;

	if (l < 0 || l >= u->n_links)
		return 0;
	k = &u->l[l];
	out = agg_interval_outage_ns(li);
	reply = li->end_unix_ns > li->no_reply_ns ? li->end_unix_ns - li->no_reply_ns : 0;
	if (out > 0 && k->up != BOARD_NO) {
		k->up = BOARD_NO;
		k->since_ns = reply;
		ev[n++] = (struct updown_event){ UD_LINK_DOWN, l, reply, 0 };
	} else if (out == 0 && li->c.received > 0 && k->up != BOARD_YES) {
		if (k->up == BOARD_NO)
			ev[n++] = (struct updown_event){ UD_LINK_UP, l, reply,
				reply > k->since_ns ? reply - k->since_ns : 0 };
		k->up = BOARD_YES;
	} else {
		return 0;
	}
	n += pair_change(u, reply, &ev[n]);
	return n;
}
