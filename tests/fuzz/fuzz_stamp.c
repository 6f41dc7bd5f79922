/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Both STAMP decoders on arbitrary bytes; when there are 44 bytes or more,
 * re-encoding what was decoded must give the same bytes back (MBZ zeroed,
 * what follows the fields untouched). Also the error estimate arithmetic.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_stamp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(c) do { if (!(c)) abort(); } while (0)

static void
fuzz_errest(const uint8_t *data, size_t size)
{
	struct stamp_errest e;
	uint64_t ns = 0;
	size_t i;

	if (size < 2)
		return;
	stamp_errest_unpack((uint16_t)(data[0] << 8 | data[1]), &e);
	FUZZ_ASSERT(stamp_errest_pack(&e) == (data[0] << 8 | data[1]));
	(void)stamp_errest_ns(&e);
	for (i = 0; i < 8 && i < size; i++)
		ns = ns << 8 | data[i];
	stamp_errest_from_ns(&e, ns, true, false);
	FUZZ_ASSERT(e.mult >= 1 && e.scale <= 63);
	FUZZ_ASSERT(stamp_errest_ns(&e) >= ns);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct stamp_test t, t2;
	struct stamp_reply r;
	uint8_t *buf;
	size_t i;
	int rc;

	fuzz_errest(data, size);
	rc = stamp_test_decode(data, size, STAMP_UNAUTH, &t);
	FUZZ_ASSERT(rc == (size >= STAMP_MIN_SENDER_LEN ? 0 : -EINVAL));
	rc = stamp_reply_decode(data, size, STAMP_UNAUTH, &r);
	FUZZ_ASSERT(rc == (size >= STAMP_MIN_REPLY_LEN ? 0 : -EINVAL));
	if (rc == 0) {
		FUZZ_ASSERT(r.len <= size && r.len <= STAMP_UNAUTH_LEN);
		FUZZ_ASSERT((r.have & STAMP_HAVE_TS) && r.have <= 0xff);
		FUZZ_ASSERT(!!(r.have & STAMP_HAVE_SENDER_TTL) == (size > STAMP_OFF_SENDER_TTL));
	}
	if (size < STAMP_UNAUTH_LEN)
		return 0;

	buf = malloc(size);
	if (buf == NULL)
		return 0;
	/* Sender: fields back byte for byte, then zeros. */
	memset(buf, 0xa5, size);
	FUZZ_ASSERT(stamp_test_encode(buf, size, STAMP_UNAUTH, &t) == 0);
	FUZZ_ASSERT(memcmp(buf, data, STAMP_OFF_RX_TS) == 0);
	for (i = STAMP_OFF_RX_TS; i < size; i++)
		FUZZ_ASSERT(buf[i] == 0);
	FUZZ_ASSERT(stamp_test_decode(buf, size, STAMP_UNAUTH, &t2) == 0);
	FUZZ_ASSERT(t.seq == t2.seq && t.ts == t2.ts && t.errest == t2.errest &&
		    t.ssid == t2.ssid);
	/* Reflector, in the request's buffer: only MBZ bytes may change. */
	memcpy(buf, data, size);
	FUZZ_ASSERT(stamp_reply_encode(buf, size, STAMP_UNAUTH, &r) == 0);
	for (i = 0; i < size; i++) {
		bool mbz = i == 38 || i == 39 || (i >= 41 && i < STAMP_UNAUTH_LEN);

		FUZZ_ASSERT(buf[i] == (mbz ? 0 : data[i]));
	}
	free(buf);
	return 0;
}
