/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's event log: ring-buffer events (exec, exit with final totals,
 * slow syscalls) written as JSON Lines. (Exit totals also go to the
 * collector, which keeps them in the model.) */
#ifndef OSP_EVENTS_H
#define OSP_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include "osiprof.h"

struct taxonomy;
struct event_log;

/* path NULL: no file; events are only counted. Slow-syscall events are
 * logged from slow_ns up (0: none), whatever threshold the capture had. */
struct event_log *event_log_open(const char *path, const struct taxonomy *tax, uint64_t slow_ns);
/* Reopens the file at the same path (logrotate's SIGHUP). */
int event_log_reopen(struct event_log *l);
/* Handles one ring-buffer record; always 0 (a write error is counted). */
int event_log_handle(struct event_log *l, const void *data, size_t len);
uint64_t event_log_written(const struct event_log *l);
/* Lines that could not be written (disk full...): never half a line. */
uint64_t event_log_lines_lost(const struct event_log *l);
void event_log_close(struct event_log *l);

#endif
