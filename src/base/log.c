// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdarg.h>
#include <stdio.h>
#include <bpf/libbpf.h>
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

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf warnings are mostly about probes we expect to fail; only
	 * show them (and the verifier log) when asked for detail. */
	int want = level == LIBBPF_DEBUG ? LOG_DEBUG : LOG_INFO;

	if (want > log_level)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void log_attach_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
