// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include "base/log.h"
#include "serve/notify.h"

#ifdef OSP_STATIC
/* No static libsystemd in Debian: the static binary does not notify. */
void notify_ready(const char *status)
{
	if (getenv("NOTIFY_SOCKET"))
		warn("this static build cannot notify the service manager (use Type=simple)");
}

void notify_watchdog_setup(uint64_t *interval_ns)
{
	*interval_ns = 0;
}

void notify_watchdog(void)
{
}

void notify_stopping(void)
{
}
#else
#include <systemd/sd-daemon.h>

void notify_ready(const char *status)
{
	if (sd_notifyf(0, "READY=1\nSTATUS=%s", status) < 0)
		warn("cannot notify the service manager");
}

void notify_watchdog_setup(uint64_t *interval_ns)
{
	uint64_t usec = 0;

	*interval_ns = sd_watchdog_enabled(0, &usec) > 0 ? usec * 1000 / 2 : 0;
}

void notify_watchdog(void)
{
	sd_notify(0, "WATCHDOG=1");
}

void notify_stopping(void)
{
	sd_notify(0, "STOPPING=1");
}
#endif
