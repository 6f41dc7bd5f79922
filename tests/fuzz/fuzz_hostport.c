/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hostport_parse on arbitrary text (a --listen argument, a config value):
 * never crashes, answers 0 or -EINVAL with one line of error, and an
 * address it accepts formats to a text that parses to the same address.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hostport.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sockaddr_storage ss, back;
	socklen_t len = 0, blen = 0;
	char err[256] = "", text[96];
	char *in;
	int rc;

	in = malloc(size + 1);
	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	rc = hostport_parse(in, &ss, &len, err, sizeof(err));
	free(in);
	if (rc != 0 && rc != -EINVAL)
		abort();
	if (rc != 0) {
		if (err[0] == '\0' || strchr(err, '\n') != NULL)
			abort();
		return 0;
	}
	hostport_format(&ss, text, sizeof(text));
	if (hostport_parse(text, &back, &blen, err, sizeof(err)) != 0 || blen != len ||
	    memcmp(&ss, &back, len) != 0)
		abort();
	return 0;
}
