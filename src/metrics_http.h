/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* /metrics over HTTP (libmicrohttpd, in its own thread). Scrapes are served
 * from the last rendered text under a mutex: they never wait for the event
 * loop and never touch BPF maps. */
#ifndef OSP_METRICS_HTTP_H
#define OSP_METRICS_HTTP_H

#include <stddef.h>

struct metrics_server;

/* listen is "[ADDR:]PORT" (ADDR defaults to 127.0.0.1). Logs one line and
 * returns NULL on failure (bad address, port in use, static build). */
struct metrics_server *metrics_server_start(const char *listen);
/* Publishes new texts (Prometheus 0.0.4 and OpenMetrics); takes ownership. */
void metrics_server_publish(struct metrics_server *s, char *text, size_t len, char *om, size_t om_len);
void metrics_server_stop(struct metrics_server *s);

#endif
