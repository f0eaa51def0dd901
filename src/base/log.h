/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Levelled logging to stderr, shared by every command (libbpf's own
 * messages are routed through the same levels by load/tracer.h). */
#ifndef OSP_LOG_H
#define OSP_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* Warnings by default; each -v adds a level (info, then debug and libbpf's). */
void log_more_verbose(void);
/* Not even errors (fuzz targets, for which refusals are the usual outcome). */
void log_silence(void);
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The current level (enum log_level; -1 when silenced). */
int log_verbosity(void);

#define err(...)	log_msg(LOG_ERROR, __VA_ARGS__)
#define warn(...)	log_msg(LOG_WARN, __VA_ARGS__)
#define info(...)	log_msg(LOG_INFO, __VA_ARGS__)
#define dbg(...)	log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
