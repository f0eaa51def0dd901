/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The service manager's side channel (systemd's sd_notify): readiness once
 * attached, a watchdog kick from every poll, and stopping. No-ops when not
 * started by a service manager (no NOTIFY_SOCKET). */
#ifndef OSP_NOTIFY_H
#define OSP_NOTIFY_H

#include <stdint.h>

void notify_ready(const char *status);
/* Kicks the watchdog if the unit has WatchdogSec=; *interval_ns gets the
 * kick period to keep (half the watchdog time), 0 without a watchdog. */
void notify_watchdog_setup(uint64_t *interval_ns);
void notify_watchdog(void);
void notify_stopping(void);

#endif
