/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Path probes: building them with their identity as UDP checksum, and
 * matching ICMP errors and replies to the probe they are about (mp_path.h).
 */
#include <errno.h>
#include <string.h>

#include "mp_path.h"

static void
path_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
path_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Ones' complement addition of two 16-bit words (RFC 1071). */
static uint16_t
path_oc_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

int
path_probe_build(uint8_t *buf, size_t cap, const struct pkt_flow *f,
		 const uint8_t stamp[STAMP_UNAUTH_LEN], uint16_t id, struct pkt_layout *lay)
{
	uint8_t payload[PATH_PAYLOAD_LEN];
	uint16_t csum;
	int len;

	if (id == 0)
		return -EINVAL;
	memset(payload, 0, sizeof(payload));
	memcpy(payload, stamp, STAMP_UNAUTH_LEN);
	len = pkt_build_udp(buf, cap, f, payload, sizeof(payload),
			    pkt_min_frame_size(&f->encap, f->src.family, sizeof(payload)), lay);
	if (len < 0)
		return len;
	/*
	 * The checksum C covers a sum S with C = ~S. A balance word w added to
	 * the payload makes the sum S + w; for the field to read id, the sum
	 * must be ~id: w = ~id - S = ~id + C in ones' complement.
	 */
	csum = path_get16(buf + lay->udp_csum_off);
	path_put16(buf + lay->payload_off + PATH_OFF_BALANCE, path_oc_add((uint16_t)~id, csum));
	path_put16(buf + lay->udp_csum_off, id);
	if (f->src.family == 4) {
		uint8_t *ip = buf + lay->l3_off;

		path_put16(ip + 4, id);
		path_put16(ip + 10, 0);
		path_put16(ip + 10, csum_fold(csum_add(0, ip, PKT_IPV4_HLEN)));
	}
	return len;
}

int
path_link_check(const struct path_link *lk)
{
	if (lk->flows == 0 || lk->flows > PATH_MAX_FLOWS || lk->max_ttl == 0 ||
	    lk->max_ttl > PATH_MAX_TTL || (uint32_t)lk->sport_base + lk->flows > 65536)
		return -EINVAL;
	return 0;
}

void
path_round_begin(struct path_round *r, const struct path_link *lk, uint32_t round)
{
	memset(r, 0, sizeof(*r));
	r->lk = *lk;
	r->round = round;
	r->next_ttl = 1;
}

unsigned
path_round_step(struct path_round *r, uint64_t now_ns, uint8_t *ttl, uint8_t flows[PATH_MAX_FLOWS])
{
	unsigned f, n = 0;

	if (r->next_ttl > r->lk.max_ttl)
		return 0;
	for (f = 0; f < r->lk.flows; f++) {
		struct path_hop *h = &r->hop[f][r->next_ttl - 1];

		if (r->end_ttl[f] != 0)
			continue;
		h->state = PATH_HOP_SENT;
		h->sent_ns = now_ns;
		flows[n++] = (uint8_t)f;
	}
	if (n == 0) {
		r->next_ttl = r->lk.max_ttl + 1;	/* every flow ended */
		return 0;
	}
	*ttl = r->next_ttl++;
	r->pending += n;
	r->last_sent_ns = now_ns;
	return n;
}

/* Is anything left to send? */
static bool
path_round_sending(const struct path_round *r)
{
	unsigned f;

	if (r->next_ttl > r->lk.max_ttl)
		return false;
	for (f = 0; f < r->lk.flows; f++)
		if (r->end_ttl[f] == 0)
			return true;
	return false;
}

bool
path_round_complete(const struct path_round *r, uint64_t now_ns, uint64_t timeout_ns)
{
	if (path_round_sending(r))
		return false;
	return r->pending == 0 || now_ns >= r->last_sent_ns + timeout_ns;
}

unsigned
path_flow_last_ttl(const struct path_round *r, unsigned f)
{
	unsigned t;

	if (r->end_ttl[f] != 0)
		return r->end_ttl[f];
	for (t = r->lk.max_ttl; t > 0; t--)
		if (r->hop[f][t - 1].state != PATH_HOP_UNSENT)
			return t;
	return 0;
}

bool
path_quotes_flow(const struct path_link *lk, const struct pkt_info *pi)
{
	const struct pkt_icmp *q = &pi->icmp;

	return path_is_flow_port(lk, q->qsport) && q->qdport == lk->dport &&
	       ip_addr_equal(&pi->dst, &lk->src) && ip_addr_equal(&q->qsrc, &lk->src) &&
	       ip_addr_equal(&q->qdst, &lk->dst);
}

/* An answer to probe (flow, ttl): a hop, if that probe is in flight. */
static enum mp_reason
path_answer(struct path_round *r, unsigned flow, unsigned ttl, uint8_t state, uint8_t err,
	    const struct ip_addr *from, uint64_t t4_ns)
{
	struct path_hop *h;

	if (r->closed || ttl == 0 || ttl > r->lk.max_ttl)
		return MP_R_PATH_UNKNOWN;
	h = &r->hop[flow][ttl - 1];
	if (h->state != PATH_HOP_SENT)
		return MP_R_PATH_UNKNOWN;	/* never sent, or answered already */
	h->state = state;
	h->icmp_err = err;
	h->addr = *from;
	h->rtt_ns = t4_ns > h->sent_ns ? t4_ns - h->sent_ns : 0;
	r->pending--;
	if (state != PATH_HOP_ROUTER && (r->end_ttl[flow] == 0 || ttl < r->end_ttl[flow]))
		r->end_ttl[flow] = (uint8_t)ttl;
	return MP_OK;
}

enum mp_reason
path_match_icmp(struct path_round *r, const struct pkt_info *pi, uint64_t t4_ns)
{
	const struct pkt_icmp *q = &pi->icmp;
	unsigned flow = (uint16_t)(q->qsport - r->lk.sport_base);
	unsigned ttl = q->qucsum & 0x3f;

	if (!(q->qhave & PKT_Q_UDP_HDR))
		return MP_R_PATH_SHORT_QUOTE;
	/* what every quote has must agree: flow, IPv4 ID, length */
	if (((q->qucsum >> 6) & 7) != flow || q->qulen != PKT_UDP_HLEN + PATH_PAYLOAD_LEN ||
	    (q->qsrc.family == 4 && q->qipid != q->qucsum))
		return MP_R_PATH_MISMATCH;
	if ((q->qhave & PKT_Q_STAMP_SEQ) && (q->qseq & 0xffff) != q->qucsum)
		return MP_R_PATH_MISMATCH;
	if ((q->qucsum >> 9) != (r->round & 0x7f) ||
	    ((q->qhave & PKT_Q_STAMP_SEQ) && q->qseq != path_probe_seq(r->round, flow, ttl)))
		return MP_R_PATH_UNKNOWN;		/* another round's, or never ours */
	if (q->err == MP_ICMP_TTL_EXCEEDED)
		return path_answer(r, flow, ttl, PATH_HOP_ROUTER, q->err, &pi->src, t4_ns);
	return path_answer(r, flow, ttl, PATH_HOP_ERROR, q->err, &pi->src, t4_ns);
}

enum mp_reason
path_match_reply(struct path_round *r, uint16_t dport, uint32_t seq,
		 const struct ip_addr *src, uint64_t t4_ns)
{
	unsigned flow = (uint16_t)(dport - r->lk.sport_base);

	if (flow >= r->lk.flows || ((seq >> 6) & 7) != flow)
		return MP_R_PATH_MISMATCH;
	if (seq >> 9 != (r->round & 0x7fffff))
		return MP_R_PATH_UNKNOWN;
	return path_answer(r, flow, seq & 0x3f, PATH_HOP_REFLECTOR, 0, src, t4_ns);
}
