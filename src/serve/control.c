// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include "serve/control.h"
#include "base/log.h"

int control_path_of(const char *pidfile, char *out, size_t len)
{
	size_t n = strlen(pidfile);
	int w;

	if (n > 4 && !strcmp(pidfile + n - 4, ".pid"))
		w = snprintf(out, len, "%.*s.sock", (int)(n - 4), pidfile);
	else
		w = snprintf(out, len, "%s.sock", pidfile);
	return w < 0 || (size_t)w >= len || (size_t)w >= sizeof(((struct sockaddr_un *)0)->sun_path)
		       ? -ENAMETOOLONG : 0;
}

static int fill_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

/* Root, or the user this process runs as: nobody else may talk to us. */
static int trusted_uid(uid_t uid)
{
	return uid == 0 || uid == geteuid();
}

int control_listen(const char *path)
{
	struct sockaddr_un sa;
	struct stat st;
	mode_t old;
	int fd, ret;

	if (fill_addr(path, &sa)) {
		err("control socket path %s is too long", path);
		return -ENAMETOOLONG;
	}
	/* The pidfile lock is ours, so a socket left here is a dead daemon's;
	 * anything else at this path is not ours to remove. */
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode) || !trusted_uid(st.st_uid)) {
			err("%s exists and is not a control socket of ours; not replacing it", path);
			return -EEXIST;
		}
		unlink(path);
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old = umask(0177);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 16) ? -errno : 0;
	umask(old);
	if (ret) {
		err("cannot listen on control socket %s: %s", path, strerror(-ret));
		close(fd);
		return ret;
	}
	return fd;
}

int control_accept(int lfd, char *request, size_t len)
{
	struct pollfd p = { .events = POLLIN };
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	ssize_t n;
	int cfd;

	cfd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0)
		return -1;
	if (getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) || !trusted_uid(cr.uid)) {
		warn("control socket: refused a request from uid %d (pid %d)", (int)cr.uid, (int)cr.pid);
		close(cfd);
		return -1;
	}
	/* The request line follows the connect at once; only root or our own
	 * user get this far, and never wait more than a second. */
	p.fd = cfd;
	n = poll(&p, 1, 1000) == 1 ? recv(cfd, request, len - 1, MSG_DONTWAIT) : -1;
	if (n <= 0) {
		control_reply(cfd, "error no request\n");
		return -1;
	}
	request[n] = '\0';
	request[strcspn(request, "\r\n")] = '\0';
	return cfd;
}

void control_reply(int cfd, const char *line)
{
	if (send(cfd, line, strlen(line), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		warn("control socket: reply not delivered: %s", strerror(errno));
	close(cfd);
}

/* The process answering must be osiprof: its executable's name says so. */
static int is_osiprof(pid_t pid)
{
	char link[64], exe[PATH_MAX], *base;
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	base = strrchr(exe, '/');
	return !strncmp(base ? base + 1 : exe, "osiprof", 7);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int control_request(const char *path, const char *request, pid_t want_pid, uid_t also_trusted,
		    double timeout_s, char *reply, size_t len)
{
	double deadline = now_s() + timeout_s;
	struct sockaddr_un sa;
	struct ucred cr;
	socklen_t crlen = sizeof(cr);
	size_t got = 0;
	int fd, ret;

	if (fill_addr(path, &sa)) {
		err("control socket path %s is too long", path);
		return -ENAMETOOLONG;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		ret = -errno;
		err("no osiprof daemon answers on %s: %s", path, strerror(errno));
		goto out;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &crlen) ||
	    !(trusted_uid(cr.uid) || cr.uid == also_trusted) || !is_osiprof(cr.pid)) {
		ret = -EPERM;
		err("%s is not served by an osiprof daemon of root, this user or the pidfile's owner "
		    "(pid %d, uid %d); not asking it", path, (int)cr.pid, (int)cr.uid);
		goto out;
	}
	if (want_pid > 0 && cr.pid != want_pid) {
		ret = -ESRCH;
		err("%s is served by PID %d, not %d (stale pidfile?)", path, (int)cr.pid, (int)want_pid);
		goto out;
	}
	if (send(fd, request, strlen(request), MSG_NOSIGNAL) < 0 || send(fd, "\n", 1, MSG_NOSIGNAL) < 0) {
		ret = -errno;
		err("asking daemon %d: %s", (int)cr.pid, strerror(errno));
		goto out;
	}
	while (got < len - 1) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		double left = deadline - now_s();
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) == 0) {
			ret = -ETIMEDOUT;
			err("no answer from daemon %d within %.1f s", (int)cr.pid, timeout_s);
			goto out;
		}
		n = read(fd, reply + got, len - 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (memchr(reply, '\n', got))
			break;
	}
	reply[got] = '\0';
	reply[strcspn(reply, "\n")] = '\0';
	ret = got ? 0 : -EPROTO;
	if (ret)
		err("daemon %d closed the control socket without an answer", (int)cr.pid);
out:
	close(fd);
	return ret;
}

/* Socket inodes among pid's fds, then the listening unix socket with a path
 * among them (/proc/net/unix lists inode and path). */
int control_path_of_pid(pid_t pid, char *out, size_t len)
{
	unsigned long inodes[256], ino;
	char path[320], link[64], line[PATH_MAX + 128], sock[PATH_MAX];
	int n = 0, i, ret = -ENOENT;
	unsigned int flags, type, st;
	struct dirent *de;
	ssize_t k;
	DIR *fds;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	fds = opendir(path);
	if (!fds)
		return -errno;
	while ((de = readdir(fds)) && n < 256) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%s", (int)pid, de->d_name);
		k = readlink(path, link, sizeof(link) - 1);
		if (k <= 0)
			continue;
		link[k] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) == 1)
			inodes[n++] = ino;
	}
	closedir(fds);
	f = fopen("/proc/net/unix", "re");
	if (!f)
		return -errno;
	while (ret && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %*s %*s %x %x %x %lu %4095s", &flags, &type, &st, &ino, sock) != 5)
			continue;
		if (!(flags & 0x10000) || type != SOCK_STREAM || sock[0] != '/')
			continue;	/* 0x10000: __SO_ACCEPTCON, a listening socket */
		for (i = 0; i < n; i++) {
			if (inodes[i] == ino && (size_t)snprintf(out, len, "%s", sock) < len) {
				ret = 0;
				break;
			}
		}
	}
	fclose(f);
	return ret;
}
