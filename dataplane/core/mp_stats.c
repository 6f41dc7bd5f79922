/* SPDX-License-Identifier: BSD-3-Clause */
#include <string.h>

#include "mp_stats.h"

void
minmax_merge(struct minmax *dst, const struct minmax *src)
{
	dst->count += src->count;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
}

void
link_counters_merge(struct link_counters *dst, const struct link_counters *src)
{
	unsigned i;

	dst->sent += src->sent;
	dst->tx_failed += src->tx_failed;
	dst->tx_skipped += src->tx_skipped;
	dst->tx_wire_bytes += src->tx_wire_bytes;
	dst->received += src->received;
	dst->lost += src->lost;
	dst->late += src->late;
	dst->duplicates += src->duplicates;
	dst->reordered += src->reordered;
	dst->other_link += src->other_link;
	dst->rx_frames += src->rx_frames;
	dst->arp_nd += src->arp_nd;
	for (i = 0; i < MP_R_REASON_MAX; i++)
		dst->invalid[i] += src->invalid[i];
	for (i = 0; i < MP_IGN_MAX; i++)
		dst->ignored[i] += src->ignored[i];
	for (i = 0; i < MP_ICMP_MAX; i++)
		dst->icmp_errors[i] += src->icmp_errors[i];
}

void
link_interval_reset(struct link_interval *li)
{
	char link[MP_LINK_NAME_MAX], stream[MP_LINK_NAME_MAX];
	uint32_t link_index = li->link_index;
	uint32_t queues = li->queues;
	enum mp_clock clock = li->clock;

	memcpy(link, li->link, sizeof(link));
	memcpy(stream, li->stream, sizeof(stream));
	memset(li, 0, sizeof(*li));
	memcpy(li->link, link, sizeof(link));
	memcpy(li->stream, stream, sizeof(stream));
	li->link_index = link_index;
	li->queues = queues;
	li->clock = clock;
	hist_reset(&li->rtt);
	minmax_reset(&li->residence_ns);
	minmax_reset(&li->fwd_ttl);
}

/*
 * A start time of 0 means "no interval yet" (a freshly reset record), so it
 * never wins the minimum; a record with no link name takes src's identity.
 */
void
link_interval_merge(struct link_interval *dst, const struct link_interval *src)
{
	if (dst->link[0] == '\0') {
		memcpy(dst->link, src->link, sizeof(dst->link));
		memcpy(dst->stream, src->stream, sizeof(dst->stream));
		dst->link_index = src->link_index;
		dst->clock = src->clock;
	}
	/* lanes with different clocks: the worse one (and its error) speaks for the link */
	if (src->clock_error_ns > dst->clock_error_ns)
		dst->clock_error_ns = src->clock_error_ns;
	if (src->clock == MP_CLOCK_TSC)
		dst->clock = MP_CLOCK_TSC;
	if (src->seq > dst->seq)
		dst->seq = src->seq;
	if (dst->start_unix_ns == 0 ||
	    (src->start_unix_ns != 0 && src->start_unix_ns < dst->start_unix_ns))
		dst->start_unix_ns = src->start_unix_ns;
	if (src->end_unix_ns > dst->end_unix_ns)
		dst->end_unix_ns = src->end_unix_ns;
	dst->queues += src->queues;
	link_counters_merge(&dst->c, &src->c);
	hist_merge(&dst->rtt, &src->rtt);
	minmax_merge(&dst->residence_ns, &src->residence_ns);
	minmax_merge(&dst->fwd_ttl, &src->fwd_ttl);
	if (src->jitter_ns > dst->jitter_ns)
		dst->jitter_ns = src->jitter_ns;
	dst->pacer_rate_mpps += src->pacer_rate_mpps;
	refl_seen_merge(&dst->refl, &src->refl);
	dst->outstanding += src->outstanding;
	dst->overdue += src->overdue;
	if (src->overdue_after_ns > dst->overdue_after_ns)
		dst->overdue_after_ns = src->overdue_after_ns;
	/* the link has had a reply as recently as its most recent lane */
	if (src->no_reply_ns < dst->no_reply_ns)
		dst->no_reply_ns = src->no_reply_ns;
}
