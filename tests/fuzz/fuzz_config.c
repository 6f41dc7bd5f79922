/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mp_config_parse on arbitrary text: never crashes, always answers 0 or
 * -EINVAL with one line of error, a config it accepts is a pair, and the
 * dataplane reads each of its links back from the command line as it was.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "dp_args.h"
#include "mp_link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_handover(const struct mp_config *c)
{
	static const struct dp_args_opts o = { .binary = "metroprobe-dp" };
	static struct dp_args a;
	static struct mp_link_spec s;
	int i, k = 0;

	if (dp_args_build(&a, c, &o) != 0)
		abort();
	for (i = 0; i + 1 < a.argc; i++) {
		if (strcmp(a.argv[i], "--link") != 0)
			continue;
		if (k >= c->n_links || mp_link_decode(a.argv[i + 1], k, &s, NULL, 0) != 0 ||
		    memcmp(&s, &c->links[k].spec, sizeof(s)) != 0)
			abort();
		k++;
	}
	if (k != c->n_links)
		abort();
}

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
	if (rc == 0)
		check_handover(&c);
	return 0;
}
