/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ADDR:PORT as a listener's address: "127.0.0.1:9862", "[::1]:9862",
 * "0.0.0.0:9862", or a bare "9862" (loopback). Numeric addresses only (a
 * listener names an interface address, never a name to resolve); port
 * 0..65535, 0 meaning any free port. Pure: no I/O.
 */
#ifndef MP_HOSTPORT_H
#define MP_HOSTPORT_H

#include <stddef.h>
#include <sys/socket.h>

/* The listener's address when none is given: loopback only. */
#define HOSTPORT_DEFAULT_PORT	9862
#define HOSTPORT_DEFAULT	"127.0.0.1:9862"

/*
 * Parse text into *ss (*sslen its length). 0, or -EINVAL with err saying
 * what is wrong with it in one line.
 */
int hostport_parse(const char *text, struct sockaddr_storage *ss, socklen_t *sslen,
		   char *err, size_t errlen);
/* ss as "127.0.0.1:9862" or "[::1]:9862" into out. Returns out. */
char *hostport_format(const struct sockaddr_storage *ss, char *out, size_t len);

#endif
