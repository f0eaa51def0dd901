// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "cmd/spawn.h"

extern char **environ;

static int runnable(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	if (S_ISDIR(st.st_mode) || access(path, X_OK))
		return -EACCES;
	return 0;
}

int spawn_resolve(const char *name, char *out, size_t len)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL;
	int ret = -ENOENT;

	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return runnable(out);
	}
	copy = strdup(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
	if (!copy)
		return -ENOMEM;
	for (dir = strtok_r(copy, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		snprintf(out, len, "%s/%s", *dir ? dir : ".", name);
		ret = runnable(out);
		if (!ret)
			break;
	}
	free(copy);
	return ret;
}

int spawn_held(const char *path, char *const argv[], const sigset_t *child_mask,
	       struct spawned *sp)
{
	int go[2], errp[2];
	char c;

	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(errp, O_CLOEXEC)) {
		close(go[0]);
		close(go[1]);
		return -errno;
	}
	sp->pid = fork();
	if (sp->pid < 0) {
		int ret = -errno;

		close(go[0]); close(go[1]); close(errp[0]); close(errp[1]);
		return ret;
	}
	if (sp->pid == 0) {
		int e;

		/* Never outlive a profiler that died before releasing us. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(go[1]);
		close(errp[0]);
		sigprocmask(SIG_SETMASK, child_mask, NULL);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execve(path, argv, environ);
		e = errno;
		if (write(errp[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(e == ENOENT ? 127 : 126);
	}
	close(go[0]);
	close(errp[1]);
	sp->go_fd = go[1];
	sp->err_fd = errp[0];
	return 0;
}

/* Attach only once the child sits blocked in read() on the go pipe, so the
 * only syscall of its own osiprof sees is the execve. */
int spawn_wait_held(const struct spawned *sp)
{
	char path[64], buf[64];
	int i, fd;
	ssize_t n;
	long nr;

	snprintf(path, sizeof(path), "/proc/%d/syscall", sp->pid);
	for (i = 0; i < 100000; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			if (sscanf(buf, "%ld", &nr) == 1 && nr == SYS_read)
				return 0;
		}
		usleep(50);
	}
	return -ETIMEDOUT;
}

int spawn_release(struct spawned *sp)
{
	char c = 1;
	int e = 0;
	ssize_t n;

	if (write(sp->go_fd, &c, 1) != 1)
		e = errno;
	close(sp->go_fd);
	sp->go_fd = -1;
	/* EOF: the exec succeeded and closed the CLOEXEC pipe. */
	do {
		n = read(sp->err_fd, &e, sizeof(e));
	} while (n < 0 && errno == EINTR);
	close(sp->err_fd);
	sp->err_fd = -1;
	return n == sizeof(e) ? -e : 0;
}

void spawn_cancel(struct spawned *sp)
{
	if (sp->pid <= 0)
		return;
	kill(sp->pid, SIGKILL);
	waitpid(sp->pid, NULL, 0);
	if (sp->go_fd >= 0)
		close(sp->go_fd);
	if (sp->err_fd >= 0)
		close(sp->err_fd);
	sp->pid = -1;
}
