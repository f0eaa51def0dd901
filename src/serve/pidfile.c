// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include "base/fs_trust.h"
#include "base/log.h"
#include "serve/pidfile.h"

int pidfile_read(const char *path, pid_t *pid, uid_t *owner, char *dir, size_t dirlen)
{
	char buf[4200], *nl;
	ssize_t n;
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* Only its owner may have written the PID: the daemon's user (root, or
	 * the unprivileged user a unit runs it as). */
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		close(fd);
		err("pidfile %s is not a regular file writable only by its owner: not trusting it", path);
		return -EPERM;
	}
	if (owner)
		*owner = st.st_uid;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EINVAL;
	buf[n] = '\0';
	if (sscanf(buf, "%d", pid) != 1 || *pid <= 0)
		return -EINVAL;
	if (dir && dirlen) {
		dir[0] = '\0';
		nl = strchr(buf, '\n');
		if (nl && nl[1]) {
			snprintf(dir, dirlen, "%s", nl + 1);
			dir[strcspn(dir, "\n")] = '\0';
		}
	}
	return 0;
}

int pidfile_acquire(const char *path, const char *output_dir)
{
	char buf[4200];
	pid_t other;
	int fd, n;

	/* /run/osiprof/ by default: create the directory if it is missing. */
	snprintf(buf, sizeof(buf), "%s", path);
	if (strrchr(buf, '/') && strrchr(buf, '/') != buf) {
		*strrchr(buf, '/') = '\0';
		mkdir(buf, 0755);
	}
	fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		n = -errno;
		err("cannot open pidfile %s: %s", path, strerror(errno));
		return n;
	}
	if (fs_check_trusted(fd, "pidfile", path)) {
		close(fd);
		return -EPERM;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		n = -errno;
		if (errno == EWOULDBLOCK && !pidfile_read(path, &other, NULL, NULL, 0))
			err("another osiprof daemon (PID %d) holds %s", other, path);
		else
			err("cannot lock pidfile %s: %s", path, strerror(errno));
		close(fd);
		return n == -EWOULDBLOCK ? -EBUSY : n;
	}
	n = snprintf(buf, sizeof(buf), "%d\n%s\n", getpid(), output_dir);
	if (ftruncate(fd, 0) || pwrite(fd, buf, n, 0) != n) {
		n = -errno;
		err("cannot write pidfile %s: %s", path, strerror(errno));
		close(fd);
		return n;
	}
	return fd;
}

void pidfile_release(int fd, const char *path)
{
	if (fd < 0)
		return;
	unlink(path);
	close(fd);
}
