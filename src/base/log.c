// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stdio.h>
#include "base/log.h"

/* The one piece of global state: how chatty we are. */
static int log_level = LOG_WARN;

void log_more_verbose(void)
{
	log_level++;
}

void log_silence(void)
{
	log_level = -1;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	if ((int)level > log_level)
		return;
	fputs("osiprof: ", stderr);
	if (level == LOG_WARN)
		fputs("warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int log_verbosity(void)
{
	return log_level;
}
