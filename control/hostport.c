/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ADDR:PORT parsing (hostport.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostport.h"

/* "0".."65535", digits only. 0 or -EINVAL. */
static int
hostport_port(const char *s, unsigned *port)
{
	unsigned long v = 0;
	const char *p;

	if (*s == '\0' || strlen(s) > 5)
		return -EINVAL;
	for (p = s; *p != '\0'; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		v = v * 10 + (unsigned long)(*p - '0');
	}
	if (v > 65535)
		return -EINVAL;
	*port = (unsigned)v;
	return 0;
}

/* Split "[v6]:port", "v4:port" or "port" into host (empty: loopback) and port. */
static int
hostport_split(const char *text, char *host, size_t hlen, const char **port, const char **why)
{
	const char *colon, *end;
	size_t n;

	if (text[0] == '[') {
		end = strchr(text, ']');
		if (end == NULL) {
			*why = "an IPv6 address needs its closing ']'";
			return -EINVAL;
		}
		if (end[1] != ':') {
			*why = "expected ':PORT' after ']'";
			return -EINVAL;
		}
		n = (size_t)(end - text - 1);
		text++;
		*port = end + 2;
	} else if ((colon = strrchr(text, ':')) != NULL) {
		if (strchr(text, ':') != colon) {
			*why = "an IPv6 address goes in brackets: [ADDR]:PORT";
			return -EINVAL;
		}
		n = (size_t)(colon - text);
		*port = colon + 1;
	} else {
		n = 0;
		*port = text;
	}
	if (n >= hlen) {
		*why = "the address is too long";
		return -EINVAL;
	}
	memcpy(host, text, n);
	host[n] = '\0';
	return 0;
}

/* text as shown in an error: at most len - 1 bytes, what does not print as '?'. */
static void
hostport_quote(const char *text, char *out, size_t len)
{
	size_t i;

	for (i = 0; text != NULL && text[i] != '\0' && i + 1 < len; i++)
		out[i] = text[i] >= 0x20 && text[i] < 0x7f ? text[i] : '?';
	out[i] = '\0';
}

int
hostport_parse(const char *text, struct sockaddr_storage *ss, socklen_t *sslen,
	       char *err, size_t errlen)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	const char *why = NULL, *port_s;
	char host[64];
	unsigned port;

	memset(ss, 0, sizeof(*ss));
	if (text == NULL || *text == '\0')
		why = "empty (expected ADDR:PORT, e.g. " HOSTPORT_DEFAULT " or [::1]:9862)";
	else if (hostport_split(text, host, sizeof(host), &port_s, &why) != 0)
		;
	else if (hostport_port(port_s, &port) != 0)
		why = "the port is not a number from 0 to 65535";
	else if (text[0] == '[') {
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			why = "not a numeric IPv6 address in the brackets";
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		*sslen = sizeof(*s6);
	} else {
		if (host[0] == '\0')
			snprintf(host, sizeof(host), "127.0.0.1");
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			why = "not a numeric IPv4 address (names are not resolved; IPv6 as [ADDR]:PORT)";
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		*sslen = sizeof(*s4);
	}
	if (why == NULL)
		return 0;
	hostport_quote(text, host, sizeof(host));
	snprintf(err, errlen, "'%s': %s", host, why);
	return -EINVAL;
}

char *
hostport_format(const struct sockaddr_storage *ss, char *out, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
		snprintf(out, len, "[%s]:%u", a, ntohs(s6->sin6_port));
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, a, sizeof(a));
		snprintf(out, len, "%s:%u", a, ntohs(s4->sin_port));
	}
	return out;
}
