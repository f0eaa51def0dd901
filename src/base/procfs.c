// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "base/procfs.h"

int procfs_stat(pid_t pid, struct procfs_stat *out)
{
	char path[64], buf[1024], *q;
	int fd, field;
	ssize_t n;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	/* comm may hold anything, ')' included: the last one ends it. */
	q = strrchr(buf, ')');
	if (!q || q[1] != ' ')
		return -EINVAL;
	out->state = q[2];
	/* After "(comm)": field 3 is state; minflt is 10, majflt 12. */
	for (field = 2; *q; q++) {
		if (*q != ' ')
			continue;
		field++;
		if (field == 10) {
			out->min_flt = strtoull(q + 1, NULL, 10);
		} else if (field == 12) {
			out->maj_flt = strtoull(q + 1, NULL, 10);
			break;
		}
	}
	return 0;
}

bool procfs_exited(pid_t pid)
{
	struct procfs_stat st;

	return procfs_stat(pid, &st) || st.state == 'Z' || st.state == 'X';
}
