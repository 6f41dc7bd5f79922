/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mp_config_parse on arbitrary text: never crashes, always answers 0 or
 * -EINVAL with one line of error, and a config it accepts is a pair.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mp_config c;
	char err[256];
	char *text;
	int rc;

	if (size > (1u << 20))
		return 0;
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rc = mp_config_parse(text, &c, err, sizeof(err));
	free(text);
	if (rc != 0 && rc != -EINVAL)
		abort();
	if (rc != 0 && (err[0] == '\0' || strchr(err, '\n') != NULL))
		abort();
	if (rc == 0 && (c.n_links != 2 || c.metro[0] == '\0' ||
			strcmp(c.links[0].location, c.links[1].location) == 0))
		abort();
	return 0;
}
