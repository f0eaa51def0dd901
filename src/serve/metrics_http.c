// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "base/log.h"
#include "serve/health.h"
#include "serve/metrics_http.h"

#ifdef OSP_STATIC
/* The static binary leaves libmicrohttpd (and its TLS stack) out. */
struct metrics_server *metrics_server_open(const char *listen)
{
	err("--listen %s: this static build has no HTTP server; use --textfile DIR", listen);
	return NULL;
}

int metrics_server_start(struct metrics_server *s)
{
	return 0;
}

void metrics_server_publish(struct metrics_server *s, char *text, size_t len, char *om, size_t om_len)
{
	free(text);
	free(om);
}

void metrics_server_health(struct metrics_server *s, uint64_t last_poll_ns, uint64_t stale_ns,
			   uint64_t drops)
{
}

void metrics_server_stop(struct metrics_server *s)
{
}
#else
#include <poll.h>
#include <time.h>
#include <microhttpd.h>

#define CT_TEXT	"text/plain; version=0.0.4; charset=utf-8"
#define CT_OM	"application/openmetrics-text; version=1.0.0; charset=utf-8"

/* A scrape must always get through, whatever other local users do: a
 * connection that has not sent its whole request header within
 * HEADER_DEADLINE_S is cut (libmicrohttpd's idle timeout restarts with every
 * byte, so a slow sender could hold it for ever), and when one address holds
 * PER_IP_PENDING connections waiting for their header, or all of them hold
 * MAX_PENDING, the oldest waiting one is cut to make room instead of the
 * newcomer being refused. */
#define HEADER_DEADLINE_S	3
#define PER_IP_PENDING		8
#define MAX_PENDING		48
#define MAX_CONNECTIONS		256

struct conn {
	struct conn *prev, *next;
	int fd;
	struct sockaddr_storage addr;
	double waiting_since;	/* for a request header; 0 while one is served */
};

struct metrics_server {
	struct MHD_Daemon *mhd;
	pthread_t thread;
	bool running;
	int fd;			/* bound and listening, until libmicrohttpd takes it */
	char where[96];
	int wake[2];
	pthread_mutex_t lock;	/* texts and health: set by the loop, read here */
	char *text, *om;
	size_t len, om_len;
	uint64_t last_poll_ns, stale_ns, drops;
	struct conn conns;	/* list head; only the server thread touches it */
	uint64_t cut;
};

static double mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int same_ip(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return 0;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return 1;
}

static void cut(struct metrics_server *s, struct conn *c)
{
	shutdown(c->fd, SHUT_RDWR);	/* libmicrohttpd then closes it */
	c->waiting_since = 0;
	s->cut++;
}

/* The oldest connection still waiting for its header (of addr, if given). */
static struct conn *oldest_waiting(struct metrics_server *s, const struct sockaddr_storage *addr,
				   int *n)
{
	struct conn *c, *old = NULL;

	*n = 0;
	for (c = s->conns.next; c != &s->conns; c = c->next) {
		if (!c->waiting_since || (addr && !same_ip(&c->addr, addr)))
			continue;
		(*n)++;
		if (!old || c->waiting_since < old->waiting_since)
			old = c;
	}
	return old;
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **ctx,
			  enum MHD_ConnectionNotificationCode code)
{
	struct metrics_server *s = cls;
	const union MHD_ConnectionInfo *fd, *ad;
	struct conn *c = *ctx, *old;
	int n;

	if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
		if (c) {
			c->prev->next = c->next;
			c->next->prev = c->prev;
			free(c);
		}
		*ctx = NULL;
		return;
	}
	fd = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
	ad = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	c = calloc(1, sizeof(*c));
	if (!c || !fd) {
		free(c);
		return;
	}
	c->fd = fd->connect_fd;
	if (ad && ad->client_addr)
		memcpy(&c->addr, ad->client_addr, ad->client_addr->sa_family == AF_INET
		       ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6));
	old = oldest_waiting(s, &c->addr, &n);
	if (old && n >= PER_IP_PENDING)
		cut(s, old);
	old = oldest_waiting(s, NULL, &n);
	if (old && n >= MAX_PENDING)
		cut(s, old);
	c->waiting_since = mono_s();
	c->next = &s->conns;
	c->prev = s->conns.prev;
	s->conns.prev->next = c;
	s->conns.prev = c;
	*ctx = c;
}

static struct conn *conn_of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *i = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return i ? i->socket_context : NULL;
}

/* A request is over: a kept-alive connection waits for the next header. */
static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn *c = conn_of(mc);

	if (c)
		c->waiting_since = mono_s();
}

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

/* 200 while the collector polls, 503 once it has stalled (or not started). */
static enum MHD_Result healthz(struct metrics_server *s, struct MHD_Connection *conn)
{
	char body[160];
	bool ok;

	pthread_mutex_lock(&s->lock);
	ok = health_line(body, sizeof(body), s->last_poll_ns, s->stale_ns, s->drops);
	pthread_mutex_unlock(&s->lock);
	return reply(conn, ok ? MHD_HTTP_OK : MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain", body, strlen(body));
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	struct metrics_server *s = cls;
	struct conn *c = conn_of(conn);
	const char *accept;
	enum MHD_Result ret;
	bool om;

	if (c)
		c->waiting_since = 0;	/* the header is in */
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "only GET\n", 9);
	if (!strcmp(url, "/healthz"))
		return healthz(s, conn);
	if (strcmp(url, "/metrics"))
		return reply(conn, MHD_HTTP_NOT_FOUND, "text/plain", "try /metrics or /healthz\n", 25);
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

/* The server's own loop: libmicrohttpd's epoll fd, our wake-up pipe, and
 * once a second the header deadline. */
static void *serve(void *arg)
{
	struct metrics_server *s = arg;
	const union MHD_DaemonInfo *ei = MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	struct pollfd p[2] = { { .fd = ei ? ei->epoll_fd : -1, .events = POLLIN },
			       { .fd = s->wake[0], .events = POLLIN } };
	MHD_UNSIGNED_LONG_LONG to;
	struct conn *c;
	double now;

	for (;;) {
		int ms = 1000;

		if (MHD_get_timeout(s->mhd, &to) == MHD_YES && to < 1000)
			ms = (int)to;
		if (poll(p, 2, ms) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		MHD_run(s->mhd);
		now = mono_s();
		for (c = s->conns.next; c != &s->conns; c = c->next)
			if (c->waiting_since && now - c->waiting_since > HEADER_DEADLINE_S)
				cut(s, c);
	}
	return NULL;
}

struct metrics_server *metrics_server_open(const char *listen_on)
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
	if (!s || pipe2(s->wake, O_CLOEXEC | O_NONBLOCK)) {
		err("cannot start the HTTP server: %s", strerror(errno));
		free(s);
		close(fd);
		return NULL;
	}
	s->fd = fd;
	snprintf(s->where, sizeof(s->where), "%s:%ld", addr, port);
	s->conns.next = s->conns.prev = &s->conns;
	pthread_mutex_init(&s->lock, NULL);
	return s;
}

int metrics_server_start(struct metrics_server *s)
{
	if (!s)
		return 0;
	s->mhd = MHD_start_daemon(MHD_USE_EPOLL, 0, NULL, NULL, handle, s,
				  MHD_OPTION_LISTEN_SOCKET, s->fd,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)10,
				  MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
				  MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				  MHD_OPTION_END);
	/* The thread inherits osiprof's signal mask: every handled signal is
	 * already blocked, so none can be delivered to it. */
	if (!s->mhd || pthread_create(&s->thread, NULL, serve, s)) {
		err("cannot start the HTTP server on %s", s->where);
		return -EIO;
	}
	s->running = true;
	info("serving /metrics and /healthz on http://%s/", s->where);
	return 0;
}

void metrics_server_health(struct metrics_server *s, uint64_t last_poll_ns, uint64_t stale_ns,
			   uint64_t drops)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->last_poll_ns = last_poll_ns;
	s->stale_ns = stale_ns;
	s->drops = drops;
	pthread_mutex_unlock(&s->lock);
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
	char c = 1;

	if (!s)
		return;
	if (s->running) {
		if (write(s->wake[1], &c, 1) != 1)
			warn("stopping the HTTP server: %s", strerror(errno));
		pthread_join(s->thread, NULL);
	}
	if (s->mhd)
		MHD_stop_daemon(s->mhd);	/* closes the listening socket */
	else
		close(s->fd);
	close(s->wake[0]);
	close(s->wake[1]);
	pthread_mutex_destroy(&s->lock);
	free(s->text);
	free(s->om);
	free(s);
}
#endif
