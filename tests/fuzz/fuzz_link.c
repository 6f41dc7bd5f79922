/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mp_link_decode on arbitrary text: never crashes, answers 0 or -EINVAL
 * with one line of error, and a spec it accepts encodes to a text that
 * decodes to the same spec.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mp_link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mp_link_spec s, back;
	char text[MP_LINK_TEXT_MAX], err[256];
	char *in;
	int rc;

	in = malloc(size + 1);
	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	rc = mp_link_decode(in, 0, &s, err, sizeof(err));
	free(in);
	if (rc != 0 && rc != -EINVAL)
		abort();
	if (rc != 0) {
		/* a rejection always says why */
		if (err[0] == '\0')
			abort();
		return 0;
	}
	if (mp_link_encode(&s, text, sizeof(text)) != 0)
		abort();
	if (mp_link_decode(text, 0, &back, err, sizeof(err)) != 0 ||
	    memcmp(&s, &back, sizeof(s)) != 0)
		abort();
	return 0;
}
