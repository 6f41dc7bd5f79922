/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The codec against packets that other STAMP / TWAMP-light implementations
 * produced (tests/vectors/README.md): every captured UDP payload decoded,
 * the facts the README states asserted, every reply paired with the request
 * it answers; and the captured frames themselves through pkt_parse. What
 * the prober concludes about each reflector (SSID support, stateful
 * sequence numbers, short replies) is checked on the same replies.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "mp_pkt.h"
#include "mp_reflseen.h"
#include "mp_stamp.h"
#include "mp_test.h"

#define VEC_DIR		MP_SOURCE_ROOT "/tests/vectors"
#define MAX_FRAMES	64
#define MAX_PAYLOAD	128

struct vec_frame {
	int frame;
	int port;
	bool from_sender;
	int ip_ttl;
	bool in_pcapng;		/* frames 25-32 were captured with a socket */
	size_t len;
	uint8_t payload[MAX_PAYLOAD];
};

static struct vec_frame frames[MAX_FRAMES];
static int nframes;

static char *
read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
		goto out;
	buf = malloc((size_t)n + 1);
	if (buf == NULL)
		goto out;
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
		goto out;
	}
	buf[n] = '\0';
	*len = (size_t)n;
out:
	fclose(f);
	return buf;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
json_int(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	ck_assert_msg(cJSON_IsNumber(v), "field \"%s\" missing or not a number", name);
	return v->valueint;
}

static const char *
json_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	ck_assert_msg(cJSON_IsString(v), "field \"%s\" missing or not a string", name);
	return v->valuestring;
}

/* Load stamp-peers.json into frames[]; every test starts from it. */
static void
load_vectors(void)
{
	const cJSON *it;
	cJSON *root;
	size_t n;
	char *text = read_all(VEC_DIR "/stamp-peers.json", &n);

	ck_assert_msg(text != NULL, "cannot read %s/stamp-peers.json", VEC_DIR);
	root = cJSON_Parse(text);
	free(text);
	ck_assert_msg(cJSON_IsArray(root), "stamp-peers.json is not a JSON array");
	nframes = 0;
	cJSON_ArrayForEach(it, root) {
		struct vec_frame *v = &frames[nframes];
		const char *dir = json_str(it, "direction");
		const char *hex = json_str(it, "udp_payload_hex");
		size_t i;

		ck_assert_int_lt(nframes, MAX_FRAMES);
		v->frame = json_int(it, "frame");
		v->port = json_int(it, "exchange_port");
		v->ip_ttl = json_int(it, "ip_ttl");
		v->len = (size_t)json_int(it, "udp_payload_len");
		v->in_pcapng = cJSON_GetObjectItemCaseSensitive(it, "note") == NULL;
		ck_assert_msg(strcmp(dir, "sender->reflector") == 0 ||
			      strcmp(dir, "reflector->sender") == 0,
			      "frame %d: direction \"%s\"", v->frame, dir);
		v->from_sender = strcmp(dir, "sender->reflector") == 0;
		ck_assert_uint_le(v->len, MAX_PAYLOAD);
		ck_assert_uint_eq(strlen(hex), 2 * v->len);
		for (i = 0; i < v->len; i++) {
			int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

			ck_assert_msg(hi >= 0 && lo >= 0, "frame %d: bad hex at %zu", v->frame,
				      2 * i);
			v->payload[i] = (uint8_t)(hi << 4 | lo);
		}
		nframes++;
	}
	cJSON_Delete(root);
	ck_assert_int_eq(nframes, 32);
}

/* NTP stamps on one host's clock: b is not before a (modular, as NTP wraps). */
static bool
ntp_not_before(uint64_t b, uint64_t a)
{
	return (int64_t)(b - a) >= 0;
}

START_TEST(test_every_frame_decodes)
{
	int i, senders = 0, replies = 0;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		const struct vec_frame *v = &frames[i];

		if (v->from_sender) {
			struct stamp_test t;

			ck_assert_msg(stamp_test_decode(v->payload, v->len, STAMP_UNAUTH, &t) == 0,
				      "frame %d: sender packet refused", v->frame);
			senders++;
		} else {
			struct stamp_reply r;

			ck_assert_msg(stamp_reply_decode(v->payload, v->len, STAMP_UNAUTH, &r) == 0,
				      "frame %d: reply refused", v->frame);
			/* Same clock on loopback: T1 <= T2 <= T3. */
			ck_assert_msg(ntp_not_before(r.rx_ts, r.sender_ts),
				      "frame %d: T2 before T1", v->frame);
			ck_assert_msg(ntp_not_before(r.ts, r.rx_ts), "frame %d: T3 before T2",
				      v->frame);
			replies++;
		}
	}
	ck_assert_int_eq(senders, 16);
	ck_assert_int_eq(replies, 16);
}
END_TEST

/*
 * Each reply echoes the sequence number, timestamp and error estimate of
 * the request it answers: pair them by sequence number within a port, and
 * check that the request came first and that nothing is left unpaired.
 */
START_TEST(test_replies_pair_with_requests)
{
	int i, j, paired = 0;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		const struct vec_frame *rv = &frames[i];
		struct stamp_reply r;
		int found = 0;

		if (rv->from_sender)
			continue;
		ck_assert_int_eq(stamp_reply_decode(rv->payload, rv->len, STAMP_UNAUTH, &r), 0);
		ck_assert(r.have & STAMP_HAVE_SENDER_ERREST);
		for (j = 0; j < nframes; j++) {
			const struct vec_frame *tv = &frames[j];
			struct stamp_test t;

			if (!tv->from_sender || tv->port != rv->port)
				continue;
			ck_assert_int_eq(stamp_test_decode(tv->payload, tv->len, STAMP_UNAUTH,
							   &t), 0);
			if (t.seq != r.sender_seq)
				continue;
			found++;
			ck_assert_msg(tv->frame < rv->frame, "frame %d answers a later request",
				      rv->frame);
			ck_assert_msg(r.sender_ts == t.ts, "frame %d: echoed T1 differs",
				      rv->frame);
			ck_assert_uint_eq(r.sender_errest, t.errest);
			ck_assert_msg(ntp_not_before(r.rx_ts, t.ts), "frame %d: T2 < T1",
				      rv->frame);
		}
		ck_assert_msg(found == 1, "frame %d pairs with %d requests", rv->frame, found);
		paired++;
	}
	ck_assert_int_eq(paired, 16);
}
END_TEST

START_TEST(test_facts_18701)
{
	int i, n = 0;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		const struct vec_frame *v = &frames[i];
		struct stamp_reply r;
		struct stamp_test t;

		if (v->port != 18701)
			continue;
		n++;
		ck_assert_uint_eq(v->len, 44);
		if (v->from_sender) {
			ck_assert_int_eq(stamp_test_decode(v->payload, v->len, STAMP_UNAUTH,
							   &t), 0);
			ck_assert_int_eq(v->ip_ttl, 255);
			continue;
		}
		ck_assert_int_eq(stamp_reply_decode(v->payload, v->len, STAMP_UNAUTH, &r), 0);
		ck_assert_uint_eq(r.have, 0xff);
		ck_assert_uint_eq(r.len, 44);
		/* A stateless reflector: its sequence number is the sender's. */
		ck_assert_uint_eq(r.seq, r.sender_seq);
		ck_assert_uint_eq(r.sender_ttl, 255);
	}
	ck_assert_int_eq(n, 6);
}
END_TEST

START_TEST(test_facts_18702)
{
	int i, n = 0;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		const struct vec_frame *v = &frames[i];
		struct stamp_reply r;
		struct stamp_test t;

		if (v->port != 18702)
			continue;
		n++;
		if (v->from_sender) {
			/* TWAMP-light: sequence, timestamp and error estimate only. */
			ck_assert_uint_eq(v->len, 14);
			ck_assert_int_eq(stamp_test_decode(v->payload, v->len, STAMP_UNAUTH,
							   &t), 0);
			ck_assert_uint_eq(t.ssid, 0);
			ck_assert_uint_eq(t.errest, 0x3fff);
			continue;
		}
		ck_assert_uint_eq(v->len, 38);
		ck_assert_int_eq(stamp_reply_decode(v->payload, v->len, STAMP_UNAUTH, &r), 0);
		ck_assert_uint_eq(r.len, 38);
		/* Everything up to the sender error estimate, no Sender TTL. */
		ck_assert_uint_eq(r.have, 0xff & ~STAMP_HAVE_SENDER_TTL);
		ck_assert(!(r.have & STAMP_HAVE_SENDER_TTL));
		ck_assert_uint_eq(r.sender_ttl, 0);
		ck_assert_uint_eq(r.sender_errest, 0x3fff);
		ck_assert(r.rx_ts == r.ts);	/* T2 == T3 */
	}
	ck_assert_int_eq(n, 6);
}
END_TEST

START_TEST(test_facts_18703)
{
	int i, n = 0;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		const struct vec_frame *v = &frames[i];
		struct stamp_reply r;
		struct stamp_test t;

		if (v->port != 18703)
			continue;
		n++;
		ck_assert_uint_eq(v->len, 44);
		if (v->from_sender) {
			ck_assert_int_eq(stamp_test_decode(v->payload, v->len, STAMP_UNAUTH,
							   &t), 0);
			continue;
		}
		ck_assert_int_eq(stamp_reply_decode(v->payload, v->len, STAMP_UNAUTH, &r), 0);
		/* The field is there, and it says 0. */
		ck_assert(r.have & STAMP_HAVE_SENDER_TTL);
		ck_assert_uint_eq(r.sender_ttl, 0);
	}
	ck_assert_int_eq(n, 6);
}
END_TEST

START_TEST(test_facts_18704)
{
	int i, j, n = 0;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		const struct vec_frame *v = &frames[i];
		struct stamp_reply r;

		if (v->port != 18704)
			continue;
		n++;
		ck_assert_uint_eq(v->len, 52);
		/* RFC 8972 TLV: flags 0, type 4 (Class of Service), length 4. */
		ck_assert_uint_eq(v->payload[44], 0);
		ck_assert_uint_eq(v->payload[45], 4);
		ck_assert_uint_eq((unsigned)(v->payload[46] << 8 | v->payload[47]), 4);
		if (v->from_sender)
			continue;
		ck_assert_int_eq(stamp_reply_decode(v->payload, v->len, STAMP_UNAUTH, &r), 0);
		ck_assert_uint_eq(r.have, 0xff);
		ck_assert_uint_eq(r.sender_ttl, 255);
		for (j = 0; j < nframes; j++) {
			struct stamp_test t;

			if (frames[j].port != 18704 || !frames[j].from_sender)
				continue;
			ck_assert_int_eq(stamp_test_decode(frames[j].payload, frames[j].len,
							   STAMP_UNAUTH, &t), 0);
			if (t.seq == r.sender_seq)
				ck_assert_mem_eq(v->payload + 44, frames[j].payload + 44, 8);
		}
	}
	ck_assert_int_eq(n, 6);
}
END_TEST

/*
 * Our reflector's encoder reproduces a captured reply byte for byte from
 * its decoded fields, in the request's buffer, TLV bytes included.
 */
START_TEST(test_reencode_replies)
{
	int i;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		const struct vec_frame *v = &frames[i];
		uint8_t buf[MAX_PAYLOAD];
		struct stamp_reply r;

		if (v->from_sender || v->len < STAMP_UNAUTH_LEN)
			continue;
		ck_assert_int_eq(stamp_reply_decode(v->payload, v->len, STAMP_UNAUTH, &r), 0);
		memcpy(buf, v->payload, v->len);
		memset(buf, 0xaa, STAMP_UNAUTH_LEN);
		ck_assert_int_eq(stamp_reply_encode(buf, v->len, STAMP_UNAUTH, &r), 0);
		ck_assert_msg(memcmp(buf, v->payload, v->len) == 0, "frame %d re-encodes differently",
			      v->frame);
	}
}
END_TEST

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
		(uint32_t)p[3] << 24;
}

/*
 * The captured frames through pkt_parse. A minimal pcapng walk: section
 * header, interface description, enhanced packet blocks; little-endian only.
 */
START_TEST(test_pcapng_frames)
{
	size_t len, off = 0;
	uint8_t *cap = (uint8_t *)read_all(VEC_DIR "/stamp-peers.pcapng", &len);
	int idx = 0;

	load_vectors();
	ck_assert_msg(cap != NULL, "cannot read stamp-peers.pcapng");
	ck_assert_msg(len >= 28 && le32(cap) == 0x0a0d0d0a && le32(cap + 8) == 0x1a2b3c4d,
		      "not a little-endian pcapng");
	while (off + 12 <= len) {
		uint32_t type = le32(cap + off), blen = le32(cap + off + 4);

		ck_assert_msg(blen >= 12 && blen % 4 == 0 && blen <= len - off,
			      "pcapng block at %zu: bad length %u", off, blen);
		if (type == 6) {
			const uint8_t *pkt = cap + off + 28;
			uint32_t caplen = le32(cap + off + 20);
			const struct vec_frame *v = &frames[idx];
			struct pkt_info pi;
			const uint8_t *ip;
			uint32_t sum;
			enum mp_reason rc;

			ck_assert_uint_le(28 + caplen, blen);
			ck_assert_int_lt(idx, nframes);
			ck_assert(v->in_pcapng);
			ck_assert_int_eq(v->frame, idx + 1);
			rc = pkt_parse(pkt, caplen, 0, &pi);
			ck_assert_msg(rc == MP_OK, "captured frame %d: %s", v->frame,
				      mp_reason_names[rc]);
			ck_assert_int_eq(pi.kind, PKT_KIND_UDP);
			ck_assert_uint_eq(pi.ttl, v->ip_ttl);
			ck_assert_uint_eq(pi.lay.payload_len, v->len);
			ck_assert_mem_eq(pkt + pi.lay.payload_off, v->payload, v->len);
			ck_assert_uint_eq(v->from_sender ? pi.dport : pi.sport, v->port);
			/*
			 * Captured on loopback before checksum completion: the
			 * UDP checksum field holds only the folded pseudo-header
			 * sum (CHECKSUM_PARTIAL). The IP header checksum is real.
			 */
			ip = pkt + pi.lay.l3_off;
			sum = csum_add(0, ip + 12, 8) + 17 + pi.lay.payload_len + 8;
			ck_assert_uint_eq((uint16_t)~csum_fold(sum),
					  (unsigned)(pkt[pi.lay.udp_csum_off] << 8 |
						     pkt[pi.lay.udp_csum_off + 1]));
			rc = pkt_parse(pkt, caplen, PKT_VERIFY_CSUM, &pi);
			ck_assert_int_eq(rc, MP_R_BAD_UDP_CHECKSUM);
			idx++;
		}
		off += blen;
	}
	ck_assert_int_eq(idx, 24);
	ck_assert(idx == nframes || !frames[idx].in_pcapng);
	free(cap);
}
END_TEST

/* Requests with SSID 0x0102; neither reflector echoes it (bytes 14-15 zero). */
static void
facts_ssid_not_echoed(int port, size_t reply_len, bool stateful)
{
	int i, n = 0, k = 0;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		const struct vec_frame *v = &frames[i];
		struct stamp_reply r;
		struct stamp_test t;

		if (v->port != port)
			continue;
		n++;
		if (v->from_sender) {
			ck_assert_uint_eq(v->len, 44);
			ck_assert_int_eq(stamp_test_decode(v->payload, v->len, STAMP_UNAUTH,
							   &t), 0);
			ck_assert_uint_eq(t.ssid, 0x0102);
			continue;
		}
		ck_assert_uint_eq(v->len, reply_len);
		ck_assert_int_eq(stamp_reply_decode(v->payload, v->len, STAMP_UNAUTH, &r), 0);
		ck_assert(r.have & STAMP_HAVE_SSID);
		ck_assert_uint_eq(r.ssid, 0);
		/* "not supported by the reflector", not another session's */
		ck_assert_int_eq(stamp_reply_ssid_match(&r, 0x0102), STAMP_SSID_NONE);
		ck_assert_int_eq(stamp_reply_ssid_match(&r, 0), STAMP_SSID_OURS);
		ck_assert_uint_eq(r.sender_seq, 7 + (uint32_t)k);
		if (stateful) {
			ck_assert_uint_eq(r.seq, (uint32_t)k);	/* its own: 0, 1 */
			ck_assert(r.ts == r.rx_ts);
		} else {
			ck_assert_uint_eq(r.seq, r.sender_seq);
		}
		k++;
	}
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(k, 2);
}

START_TEST(test_facts_18705)
{
	facts_ssid_not_echoed(18705, 44, false);
}
END_TEST

START_TEST(test_facts_18706)
{
	facts_ssid_not_echoed(18706, 38, true);
}
END_TEST

/* An SSID of another session is still told apart from "none". */
START_TEST(test_ssid_match)
{
	struct stamp_reply r;

	memset(&r, 0, sizeof(r));
	r.ssid = 3;
	ck_assert_int_eq(stamp_reply_ssid_match(&r, 3), STAMP_SSID_OURS);
	ck_assert_int_eq(stamp_reply_ssid_match(&r, 4), STAMP_SSID_OTHER);
	r.ssid = 0;
	ck_assert_int_eq(stamp_reply_ssid_match(&r, 4), STAMP_SSID_NONE);
}
END_TEST

/* The reflector features the prober reports, from each exchange's replies. */
static struct refl_seen
seen_of(int port, uint16_t our_ssid)
{
	struct refl_seen f;
	int i;

	memset(&f, 0, sizeof(f));
	for (i = 0; i < nframes; i++) {
		struct stamp_reply r;

		if (frames[i].port != port || frames[i].from_sender)
			continue;
		ck_assert_int_eq(stamp_reply_decode(frames[i].payload, frames[i].len,
						    STAMP_UNAUTH, &r), 0);
		refl_seen_add(&f, &r, (uint32_t)frames[i].len, our_ssid);
	}
	return f;
}

START_TEST(test_reflector_features)
{
	struct refl_seen f, g;

	load_vectors();
	/* RFC8762-CLI: 44 B, stateless, Sender TTL 255, SSID not echoed */
	f = seen_of(18705, 0x0102);
	ck_assert_uint_eq(f.replies, 2);
	ck_assert_uint_eq(f.ssid_echoed, 0);
	ck_assert_uint_eq(f.ssid_zero, 2);
	ck_assert_uint_eq(f.stateful, 0);
	ck_assert_uint_eq(f.t2_eq_t3, 0);
	ck_assert_uint_eq(f.no_sender_ttl, 0);
	ck_assert_uint_eq(f.sender_ttl_zero, 0);
	ck_assert_uint_eq(f.trailer, 0);
	ck_assert_uint_eq(f.bytes_min, 44);
	ck_assert_uint_eq(f.bytes_max, 44);
	/* twampy: 38 B, stateful, T2 == T3, no Sender TTL at all */
	f = seen_of(18706, 0x0102);
	ck_assert_uint_eq(f.replies, 2);
	ck_assert_uint_eq(f.ssid_zero, 2);
	ck_assert_uint_eq(f.stateful, 2);	/* its 0 and 1 for our 7 and 8 */
	ck_assert_uint_eq(f.t2_eq_t3, 2);
	ck_assert_uint_eq(f.no_sender_ttl, 2);
	ck_assert_uint_eq(f.bytes_min, 38);
	ck_assert_uint_eq(f.bytes_max, 38);
	/* twampy padded: Sender TTL there and 0 */
	f = seen_of(18703, 0);
	ck_assert_uint_eq(f.replies, 3);
	ck_assert_uint_eq(f.sender_ttl_zero, 3);
	ck_assert_uint_eq(f.no_sender_ttl, 0);
	ck_assert_uint_eq(f.ssid_zero, 0);	/* we had no SSID to lose */
	/* the TLV is echoed: bytes past the base packet */
	f = seen_of(18704, 1);
	ck_assert_uint_eq(f.replies, 3);
	ck_assert_uint_eq(f.trailer, 3);
	ck_assert_uint_eq(f.bytes_min, 52);
	/* merging keeps the bounds of both */
	g = seen_of(18702, 0);
	refl_seen_merge(&g, &f);
	ck_assert_uint_eq(g.replies, 6);
	ck_assert_uint_eq(g.bytes_min, 38);
	ck_assert_uint_eq(g.bytes_max, 52);
	memset(&f, 0, sizeof(f));
	refl_seen_merge(&f, &g);
	ck_assert_uint_eq(f.bytes_min, 38);
	ck_assert_uint_eq(f.replies, 6);
}
END_TEST

/*
 * The receive path's cheap form counts exactly what refl_seen_add() does:
 * the vectors' replies and replies like our own reflector's of a few
 * lengths, in a random order, folded at random interval ends.
 */
START_TEST(test_reflector_features_cheap)
{
	struct refl_seen a, b;
	struct refl_usual u;
	struct stamp_reply ours[3], pool[64];
	uint32_t plens[64];
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	int i, n = 0, k;

	load_vectors();
	for (i = 0; i < nframes; i++) {
		if (frames[i].from_sender)
			continue;
		ck_assert_int_eq(stamp_reply_decode(frames[i].payload, frames[i].len, STAMP_UNAUTH,
						    &pool[n]), 0);
		plens[n++] = (uint32_t)frames[i].len;
	}
	for (i = 0; i < 3; i++) {
		memset(&ours[i], 0, sizeof(ours[i]));
		ours[i].seq = ours[i].sender_seq = 5 + (uint32_t)i;
		ours[i].ts = 1000 + (uint64_t)i;
		ours[i].rx_ts = 900;
		ours[i].ssid = 7;
		ours[i].sender_ttl = 255;
		ours[i].have = 0xff;
		pool[n] = ours[i];
		plens[n++] = i == 0 ? 44 : i == 1 ? 82 : 1464;
	}
	/* ours but with Sender TTL 0: not usual */
	pool[n] = ours[0];
	pool[n].sender_ttl = 0;
	plens[n++] = 44;
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&u, 0, sizeof(u));
	u.ssid = 7;
	for (k = 0; k < 20000; k++) {
		rng ^= rng >> 12;
		rng ^= rng << 25;
		rng ^= rng >> 27;
		/* mostly ours, in runs of one length */
		i = (rng >> 20) % 8 < 6 ? n - 4 + (int)((k / 50) % 3) : (int)((rng >> 8) % (uint64_t)n);
		refl_seen_add(&a, &pool[i], plens[i], 7);
		refl_seen_note(&b, &u, &pool[i], plens[i]);
		if ((rng >> 40) % 997 == 0 || k == 19999) {
			refl_usual_fold(&b, &u);
			ck_assert_msg(memcmp(&a, &b, sizeof(a)) == 0, "differs at %d: replies %llu/%llu "
				      "echoed %llu/%llu trailer %llu/%llu bytes %llu-%llu/%llu-%llu", k,
				      (unsigned long long)a.replies, (unsigned long long)b.replies,
				      (unsigned long long)a.ssid_echoed, (unsigned long long)b.ssid_echoed,
				      (unsigned long long)a.trailer, (unsigned long long)b.trailer,
				      (unsigned long long)a.bytes_min, (unsigned long long)a.bytes_max,
				      (unsigned long long)b.bytes_min, (unsigned long long)b.bytes_max);
			memset(&a, 0, sizeof(a));
			memset(&b, 0, sizeof(b));
		}
	}
}
END_TEST

static Suite *
vectors_suite(void)
{
	Suite *s = suite_create("vectors");
	TCase *tc = tcase_create("peers");

	tcase_add_test(tc, test_every_frame_decodes);
	tcase_add_test(tc, test_replies_pair_with_requests);
	tcase_add_test(tc, test_facts_18701);
	tcase_add_test(tc, test_facts_18702);
	tcase_add_test(tc, test_facts_18703);
	tcase_add_test(tc, test_facts_18704);
	tcase_add_test(tc, test_facts_18705);
	tcase_add_test(tc, test_facts_18706);
	tcase_add_test(tc, test_ssid_match);
	tcase_add_test(tc, test_reflector_features);
	tcase_add_test(tc, test_reflector_features_cheap);
	tcase_add_test(tc, test_reencode_replies);
	tcase_add_test(tc, test_pcapng_frames);
	suite_add_tcase(s, tc);
	return s;
}

MP_TEST_MAIN(vectors_suite)
