/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * systemd's notification protocol (sdnotify.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "mp_build.h"
#include "sdnotify.h"

#if MP_HAVE_SYSTEMD
#include <systemd/sd-daemon.h>
#endif

bool
sdn_enabled(void)
{
	return MP_HAVE_SYSTEMD && getenv("NOTIFY_SOCKET") != NULL;
}

uint64_t
sdn_watchdog_ns(void)
{
#if MP_HAVE_SYSTEMD
	uint64_t usec = 0;

	if (sd_watchdog_enabled(0, &usec) > 0)
		return usec * 1000;
#endif
	return 0;
}

static void
sdn_send(const char *kind, const char *status)
{
#if MP_HAVE_SYSTEMD
	if (status != NULL)
		sd_notifyf(0, "%s%sSTATUS=%s", kind, kind[0] != '\0' ? "\n" : "", status);
	else
		sd_notify(0, kind);
#else
	(void)kind;
	(void)status;
#endif
}

void
sdn_ready(const char *status)
{
	sdn_send("READY=1", status);
}

void
sdn_watchdog(void)
{
	sdn_send("WATCHDOG=1", NULL);
}

void
sdn_status(const char *status)
{
	sdn_send("", status);
}

void
sdn_stopping(void)
{
	sdn_send("STOPPING=1", NULL);
}
