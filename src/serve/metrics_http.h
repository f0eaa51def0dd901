/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* /metrics and /healthz over HTTP (libmicrohttpd, in its own thread).
 * Scrapes are served from the last rendered text under a mutex: they never
 * wait for the event loop and never touch BPF maps. */
#ifndef OSP_METRICS_HTTP_H
#define OSP_METRICS_HTTP_H

#include <stddef.h>
#include <stdint.h>

struct metrics_server;

/* listen is "[ADDR:]PORT" (ADDR defaults to 127.0.0.1). Binds now (so a port
 * in use is refused at start-up, and a low port while privileges last);
 * serves nothing yet. Logs one line and returns NULL on failure (bad
 * address, port in use, static build). */
struct metrics_server *metrics_server_open(const char *listen);
/* Starts serving, from a thread of its own; call after privileges are
 * dropped (requests are parsed from here on). */
int metrics_server_start(struct metrics_server *s);
/* Publishes new texts (Prometheus 0.0.4 and OpenMetrics); takes ownership. */
void metrics_server_publish(struct metrics_server *s, char *text, size_t len, char *om, size_t om_len);
/* For /healthz: the last successful poll (CLOCK_MONOTONIC ns), how old it
 * may get before the daemon counts as stalled, and the drops so far. */
void metrics_server_health(struct metrics_server *s, uint64_t last_poll_ns, uint64_t stale_ns,
			   uint64_t drops);
void metrics_server_stop(struct metrics_server *s);

#endif
