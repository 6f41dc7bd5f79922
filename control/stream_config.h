/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A link's streams (issue 12): "links[i].streams" parsed into the link's
 * struct mp_stream_cfg streams[] (config.h), and that list turned into the
 * streams= of the link specification the dataplane is given (mp_link.h).
 * What a stream leaves out it takes from its link; a link without
 * "streams" is one stream, as before. No I/O.
 */
#ifndef MP_STREAM_CONFIG_H
#define MP_STREAM_CONFIG_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "cfg_parse.h"
#include "config.h"

/* Default SSID of stream k: the link's for the first, then the link's + k * this. */
#define STREAM_SSID_STEP	100

/* That default for stream k of link l (the parser's, and golive's for its services). */
static inline uint16_t
stream_default_ssid(const struct mp_link_cfg *l, int k)
{
	return (uint16_t)(l->ssid + (uint32_t)k * STREAM_SSID_STEP);
}

/* links[i].streams of o into l (after the link's own members); 0 or -EINVAL. */
int cfg_link_streams(struct cfg_ctx *x, const cJSON *o, const char *base, struct mp_link_cfg *l);
/* No SSID on the wire twice among all links' streams; 0 or -EINVAL. */
int cfg_streams_check_links(struct cfg_ctx *x, const struct mp_config *c);
/*
 * The link's spec with streams= filled from l->streams. A config made by
 * hand (golive's trials) sets name and ssid (distinct in the link and
 * across links), dscp, pcp (-1: the outer tag's own; 0 is PCP 0), and
 * rate and frame_mix, or leaves rate_text "" with rate zeroed and
 * frame_mix "" for the link's. 0, or -EINVAL with err naming the stream.
 */
int mp_link_cfg_spec(const struct mp_link_cfg *l, struct mp_link_spec *out, char *err,
		     size_t errlen);
/* Lanes (queue pairs) the dataplane opens for the link: queues x streams. */
unsigned mp_link_cfg_lanes(const struct mp_link_cfg *l);
/* The largest frame the link sends, over its streams. */
uint32_t mp_link_cfg_max_frame(const struct mp_link_cfg *l);
/* A rate in bits per second on the wire for a mix (0: relative to an unknown speed). */
uint64_t stream_rate_bps(const struct rate *r, const struct frame_mix *m, uint64_t link_bps);

#endif
