/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The daemon's control socket: a client connects and sends one request line,
 * "snapshot" (the daemon writes one and answers "ok SEQ PATH") or "health"
 * ("ok ..." while it polls, "stalled ..." once it has stopped); any failure
 * is answered "error MESSAGE".
 * Both ends check the other with SO_PEERCRED (only root or the daemon's own
 * user may ask; only a root- or self-owned osiprof process may answer), so
 * neither a planted pidfile nor a forged signal can turn it against another
 * process. The socket lives beside the pidfile (osiprof.pid -> osiprof.sock). */
#ifndef OSP_CONTROL_H
#define OSP_CONTROL_H

#include <stddef.h>
#include <unistd.h>
#include <sys/types.h>

#define CONTROL_REPLY_MAX	4352

/* The socket path that belongs to a pidfile path. */
int control_path_of(const char *pidfile, char *out, size_t len);
/* Binds and listens (non-blocking, mode 0600); replaces only a stale socket
 * of our own. Returns the fd or a negative errno after logging. */
int control_listen(const char *path);
/* Accepts one request and reads its line into request; returns the
 * connection fd, or -1 when there is none or the peer may not ask (refused
 * connections are closed and logged). */
int control_accept(int lfd, char *request, size_t len);
/* Sends the reply line and closes the connection; never blocks. */
void control_reply(int cfd, const char *line);
/* Client side: asks the daemon listening on path, waits up to timeout_s for
 * the reply line. The answering process must be osiprof, of root, this user
 * or also_trusted (the pidfile's owner), and want_pid if > 0. Returns 0, or a
 * negative errno after logging one line. */
int control_request(const char *path, const char *request, pid_t want_pid, uid_t also_trusted,
		    double timeout_s, char *reply, size_t len);
/* The path of a listening control socket held by process pid, for
 * `osiprof snapshot PID`. */
int control_path_of_pid(pid_t pid, char *out, size_t len);

#endif
