// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "log.h"
#include "metrics_http.h"

#ifdef OSP_NO_HTTP
/* The static binary leaves libmicrohttpd (and its TLS stack) out. */
struct metrics_server *metrics_server_start(const char *listen)
{
	err("--listen %s: this static build has no HTTP server; use --textfile DIR", listen);
	return NULL;
}

void metrics_server_publish(struct metrics_server *s, char *text, size_t len, char *om, size_t om_len)
{
	free(text);
	free(om);
}

void metrics_server_stop(struct metrics_server *s)
{
}
#else
#include <microhttpd.h>

#define CT_TEXT	"text/plain; version=0.0.4; charset=utf-8"
#define CT_OM	"application/openmetrics-text; version=1.0.0; charset=utf-8"

struct metrics_server {
	struct MHD_Daemon *mhd;
	pthread_mutex_t lock;
	char *text, *om;
	size_t len, om_len;
};

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status, const char *type,
			     const char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	struct metrics_server *s = cls;
	const char *accept;
	enum MHD_Result ret;
	bool om;

	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "only GET\n", 9);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain", "try /metrics\n", 13);
	accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT);
	om = accept && strstr(accept, "application/openmetrics-text");
	pthread_mutex_lock(&s->lock);
	if (!s->text)
		ret = reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", "no data yet\n", 12);
	else if (om)
		ret = reply(conn, MHD_HTTP_OK, CT_OM, s->om, s->om_len);
	else
		ret = reply(conn, MHD_HTTP_OK, CT_TEXT, s->text, s->len);
	pthread_mutex_unlock(&s->lock);
	return ret;
}

struct metrics_server *metrics_server_start(const char *listen_on)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	const char *colon = strrchr(listen_on, ':');
	char addr[64] = "127.0.0.1", *end;
	struct metrics_server *s;
	long port;
	int fd, one = 1;

	if (colon) {
		if ((size_t)(colon - listen_on) >= sizeof(addr) || colon == listen_on) {
			err("bad --listen '%s': expected [ADDR:]PORT", listen_on);
			return NULL;
		}
		snprintf(addr, sizeof(addr), "%.*s", (int)(colon - listen_on), listen_on);
	}
	port = strtol(colon ? colon + 1 : listen_on, &end, 10);
	if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		err("bad --listen '%s': expected [ADDR:]PORT with an IPv4 address", listen_on);
		return NULL;
	}
	sa.sin_port = htons((uint16_t)port);
	/* Bind here, to report "address in use" clearly before anything else. */
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 64)) {
		err("cannot listen on %s:%ld: %s", addr, port, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		close(fd);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, handle, s,
				  MHD_OPTION_LISTEN_SOCKET, fd,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
				  MHD_OPTION_END);
	if (!s->mhd) {
		err("cannot start the HTTP server on %s:%ld", addr, port);
		close(fd);
		free(s);
		return NULL;
	}
	info("serving /metrics on http://%s:%ld/metrics", addr, port);
	return s;
}

void metrics_server_publish(struct metrics_server *s, char *text, size_t len, char *om, size_t om_len)
{
	char *old, *old_om;

	pthread_mutex_lock(&s->lock);
	old = s->text;
	old_om = s->om;
	s->text = text;
	s->len = len;
	s->om = om;
	s->om_len = om_len;
	pthread_mutex_unlock(&s->lock);
	free(old);
	free(old_om);
}

void metrics_server_stop(struct metrics_server *s)
{
	if (!s)
		return;
	MHD_stop_daemon(s->mhd);
	pthread_mutex_destroy(&s->lock);
	free(s->text);
	free(s->om);
	free(s);
}
#endif
