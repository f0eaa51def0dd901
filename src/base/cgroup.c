// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include "base/cgroup.h"
#include "base/log.h"

int cgroup_open(const char *path)
{
	struct statfs sf;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		err("cannot open cgroup %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstatfs(fd, &sf) || sf.f_type != CGROUP2_SUPER_MAGIC) {
		err("%s is not a cgroup v2 directory", path);
		close(fd);
		return -1;
	}
	return fd;
}
