/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * systemd's notification protocol for serve under Type=notify (libsystemd's
 * sd_notify; nothing when built without it or not started by systemd):
 * READY=1 once the dataplane's first record arrived, WATCHDOG=1 from the
 * loop's tick (so a stuck loop is restarted by systemd after WatchdogSec),
 * STATUS= a line for systemctl status, STOPPING=1 on the way out.
 */
#ifndef MP_SDNOTIFY_H
#define MP_SDNOTIFY_H

#include <stdbool.h>
#include <stdint.h>

/* Is a service manager listening (NOTIFY_SOCKET set)? */
bool sdn_enabled(void);
/* The watchdog interval systemd asked for, in ns (0: none). */
uint64_t sdn_watchdog_ns(void);
void sdn_ready(const char *status);
void sdn_watchdog(void);
void sdn_status(const char *status);
void sdn_stopping(void);

#endif
