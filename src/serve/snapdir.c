// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include "base/fs_trust.h"
#include "base/log.h"
#include "serve/output.h"
#include "serve/snapdir.h"

#define NAME_MAX_LEN	96

struct snapdir {
	char *path;
	int keep;
	/* The names this daemon wrote, oldest first: a ring of up to `keep`,
	 * grown as snapshots are written (--keep may be large). */
	char (*names)[NAME_MAX_LEN];
	int cap, first, count;
	char last[NAME_MAX_LEN];
};

static int open_dir(const struct snapdir *d)
{
	return fs_open_dir(d->path, "output directory", 1, 0750);
}

struct snapdir *snapdir_open(const char *path, int keep)
{
	struct snapdir *d = calloc(1, sizeof(*d));
	char probe[NAME_MAX_LEN];
	int dfd = -1, fd;

	if (!d)
		return NULL;
	d->keep = keep;
	dfd = fs_open_dir(path, "output directory", 1, 0750);
	/* Absolute, so the pidfile and every message name the same place. */
	d->path = dfd >= 0 ? realpath(path, NULL) : NULL;
	if (dfd < 0 || !d->path) {
		if (dfd >= 0)
			err("cannot open output directory %s: %s", path, strerror(errno));
		goto err;
	}
	/* Refuse an unwritable directory now rather than at the first signal. */
	fd = output_create_unique(dfd, ".osiprof-probe", 0600, probe, sizeof(probe));
	if (fd < 0) {
		err("cannot write to output directory %s: %s", path, strerror(-fd));
		goto err;
	}
	close(fd);
	unlinkat(dfd, probe, 0);
	close(dfd);
	return d;
err:
	if (dfd >= 0)
		close(dfd);
	snapdir_close(d);
	return NULL;
}

const char *snapdir_path(const struct snapdir *d)
{
	return d->path;
}

/* Grows the ring (keeping its order) while it holds fewer than `keep`. */
static int grow(struct snapdir *d)
{
	int cap = d->cap ? d->cap * 2 : 16, i;
	char (*n)[NAME_MAX_LEN];

	if (cap > d->keep)
		cap = d->keep;
	n = calloc((size_t)cap, sizeof(*n));
	if (!n)
		return -ENOMEM;
	for (i = 0; i < d->count; i++)
		memcpy(n[i], d->names[(d->first + i) % d->cap], NAME_MAX_LEN);
	free(d->names);
	d->names = n;
	d->cap = cap;
	d->first = 0;
	return 0;
}

/* Remembers a written name; removes the oldest of ours beyond `keep`. */
static void remember(struct snapdir *d, int dfd, const char *name)
{
	int slot;

	if (d->count == d->keep) {
		char companion[NAME_MAX_LEN + 16];

		if (unlinkat(dfd, d->names[d->first], 0) && errno != ENOENT)
			warn("cannot remove old snapshot %s/%s: %s", d->path, d->names[d->first],
			     strerror(errno));
		/* Its timeline goes with it. */
		snprintf(companion, sizeof(companion), "timeline-%s", d->names[d->first] + strlen("snapshot-"));
		unlinkat(dfd, companion, 0);
		d->first = (d->first + 1) % d->cap;
		d->count--;
	}
	if (d->count == d->cap && grow(d)) {
		warn("out of memory: snapshot %s/%s will not be pruned", d->path, name);
		return;
	}
	slot = (d->first + d->count) % d->cap;
	snprintf(d->names[slot], NAME_MAX_LEN, "%s", name);
	d->count++;
}

static int write_all(int fd, const char *text, size_t len)
{
	size_t off = 0;
	ssize_t n;

	while (off < len) {
		n = write(fd, text + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		off += (size_t)n;
	}
	return fsync(fd) ? -errno : 0;
}

/* name in the directory, atomically: a unique temporary renamed over it. */
static int write_file(int dfd, const char *name, const char *text)
{
	char pre[NAME_MAX_LEN + 20], tmp[NAME_MAX_LEN + 32];
	int fd, ret;

	snprintf(pre, sizeof(pre), ".%s", name);
	fd = output_create_unique(dfd, pre, 0640, tmp, sizeof(tmp));
	if (fd < 0)
		return fd;
	ret = write_all(fd, text, strlen(text));
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && renameat(dfd, tmp, dfd, name))
		ret = -errno;
	if (ret)
		unlinkat(dfd, tmp, 0);
	return ret;
}

int snapdir_write(struct snapdir *d, uint64_t seq, const char *text, const char **name)
{
	char tmp[NAME_MAX_LEN + 16];
	struct timespec ts;
	struct tm tm;
	int dfd, ret;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	snprintf(d->last, sizeof(d->last), "snapshot-%04d%02d%02dT%02d%02d%02d.%03ldZ-%d-%lu.json",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ts.tv_nsec / 1000000, getpid(), (unsigned long)seq);
	dfd = open_dir(d);
	if (dfd < 0) {
		ret = dfd;
		goto out;
	}
	ret = write_file(dfd, d->last, text);
	if (ret)
		goto out;
	/* latest.json -> this snapshot, swapped in one rename; the temporary
	 * link's name is this daemon's own (symlinkat never follows a name). */
	snprintf(tmp, sizeof(tmp), ".latest.json.%d", (int)getpid());
	unlinkat(dfd, tmp, 0);
	if (symlinkat(d->last, dfd, tmp) || renameat(dfd, tmp, dfd, "latest.json")) {
		warn("cannot update %s/latest.json: %s", d->path, strerror(errno));
		unlinkat(dfd, tmp, 0);
	}
	remember(d, dfd, d->last);
	close(dfd);
	*name = d->last;
	return 0;
out:
	if (dfd >= 0)
		close(dfd);
	err("writing snapshot %s/%s failed: %s (no new snapshot; nothing else was changed)",
	    d->path, d->last, strerror(-ret));
	return ret;
}

int snapdir_write_timeline(struct snapdir *d, const char *text, char *path, size_t len)
{
	char name[NAME_MAX_LEN + 16];
	int dfd, ret;

	snprintf(name, sizeof(name), "timeline-%s", d->last + strlen("snapshot-"));
	snprintf(path, len, "%s/%s", d->path, name);
	dfd = open_dir(d);
	if (dfd < 0)
		return dfd;
	ret = write_file(dfd, name, text);
	close(dfd);
	if (ret)
		err("writing timeline %s failed: %s", path, strerror(-ret));
	return ret;
}

void snapdir_close(struct snapdir *d)
{
	if (!d)
		return;
	free(d->names);
	free(d->path);
	free(d);
}
