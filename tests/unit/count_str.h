/* SPDX-License-Identifier: BSD-3-Clause */
/* How often needle stands in hay (overlapping): the HTML and SVG tests count elements. */
#ifndef MP_COUNT_STR_H
#define MP_COUNT_STR_H

#include <string.h>

static inline int
count_str(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay != NULL; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

#endif
