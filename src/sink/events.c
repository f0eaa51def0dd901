// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <json-c/json.h>
#include "model/categories.h"
#include "sink/events.h"
#include "sink/json_put.h"
#include "base/fs_trust.h"
#include "base/log.h"
#include "model/syscalls.h"
#include "sink/text.h"

struct event_log {
	char *path;
	int fd;
	const struct taxonomy *tax;
	uint64_t slow_ns;		/* slow syscalls from this latency up; 0 = none */
	int64_t mono_to_real;		/* add to CLOCK_MONOTONIC for wall time */
	long page_size;
	uint64_t written, errors;
	int last_errno;
};

static int open_log(const char *path)
{
	/* Appends; never follows a planted symlink; 0640 like every output; a
	 * log another user owns or may write is refused. */
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0640);

	if (fd >= 0 && fs_check_trusted(fd, "event log", path)) {
		close(fd);
		errno = EPERM;
		return -1;
	}
	return fd;
}

struct event_log *event_log_open(const char *path, const struct taxonomy *tax, uint64_t slow_ns)
{
	struct event_log *l = calloc(1, sizeof(*l));
	struct timespec mono, real;

	if (!l)
		return NULL;
	l->fd = -1;
	l->tax = tax;
	l->slow_ns = slow_ns;
	l->page_size = sysconf(_SC_PAGESIZE);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	l->mono_to_real = ((int64_t)real.tv_sec - mono.tv_sec) * 1000000000LL + real.tv_nsec - mono.tv_nsec;
	if (path) {
		l->path = strdup(path);
		l->fd = open_log(path);
		if (!l->path || l->fd < 0) {
			err("cannot open event log %s: %s", path, strerror(errno));
			event_log_close(l);
			return NULL;
		}
	}
	return l;
}

int event_log_reopen(struct event_log *l)
{
	int fd;

	if (!l->path)
		return 0;
	fd = open_log(l->path);
	if (fd < 0) {
		err("cannot reopen event log %s: %s (keeping the old file)", l->path, strerror(errno));
		return -errno;
	}
	close(l->fd);
	l->fd = fd;
	info("reopened event log %s", l->path);
	return 0;
}

/* Every line starts with its type, its time and its process. */
static struct json_object *event_json(const struct event_log *l, const char *type, uint64_t mono_ns,
				      uint32_t pid)
{
	struct json_object *o = json_object_new_object();

	json_put_str(o, "type", type);
	json_put_time(o, "time", mono_ns + l->mono_to_real);
	json_put_u64(o, "pid", pid);
	return o;
}

/* A process's exit, or a late thread's (one that got to its exit after its
 * process had ended: its figures are not in the process's line). */
static struct json_object *exit_json(struct event_log *l, const struct osp_ev_exit *e)
{
	bool late = e->type == OSP_EV_LATE_THREAD;
	struct json_object *o = event_json(l, late ? "late_thread" : "exit", e->ts_ns, e->pid);
	struct json_object *cats = json_object_new_object(), *n;
	const struct osp_proc *p = &e->proc;
	uint64_t calls = 0, ns = 0;
	char comm[17];
	int c;

	if (!late)
		json_put_u64(o, "ppid", p->ppid);
	snprintf(comm, sizeof(comm), "%.16s", p->comm);
	json_put_str(o, "comm", comm);
	if (!late)
		json_put_u64(o, "lifetime_ns", p->exit_ns > p->start_ns ? p->exit_ns - p->start_ns : 0);
	for (c = 0; c < l->tax->ncat; c++) {
		if (!p->cats.count[c])
			continue;
		calls += p->cats.count[c];
		ns += p->cats.total_ns[c];
		n = json_object_new_object();
		json_put_u64(n, "count", p->cats.count[c]);
		json_put_u64(n, "total_ns", p->cats.total_ns[c]);
		json_object_object_add(cats, l->tax->names[c], n);
	}
	json_put_u64(o, "syscalls", calls);
	json_put_u64(o, "syscall_ns", ns);
	json_object_object_add(o, "categories", cats);
	n = json_object_new_object();
	json_put_u64(n, "voluntary", p->sched.vol_switches);
	json_put_u64(n, "involuntary", p->sched.invol_switches);
	json_object_object_add(o, "context_switches", n);
	json_put_u64(o, "task_clock_ns", p->sched.oncpu_ns);
	if (late)
		return o;
	n = json_object_new_object();
	json_put_u64(n, "minor", p->min_flt);
	json_put_u64(n, "major", p->maj_flt);
	json_object_object_add(o, "page_faults", n);
	json_put_u64(o, "peak_rss_bytes", p->peak_rss_pages * l->page_size);
	return o;
}

/* One write per line with O_APPEND, so lines never interleave. A short
 * write (disk full) is cut back to the line's start: the log only ever holds
 * whole lines, and the lost line is counted. */
static void write_line(struct event_log *l, const char *s, size_t n)
{
	char *line = malloc(n + 1);
	size_t done = 0;
	struct stat st;
	ssize_t w;
	int e = ENOMEM;

	if (line) {
		memcpy(line, s, n);
		line[n] = '\n';
		w = write(l->fd, line, n + 1);
		e = errno;
		if (w > 0) {
			done = (size_t)w;
			/* Short: the rest, to learn why (the first write says nothing). */
			if (done < n + 1) {
				w = write(l->fd, line + done, n + 1 - done);
				e = w < 0 ? errno : EIO;
				done += w > 0 ? (size_t)w : 0;
			}
		}
		free(line);
	}
	if (done == n + 1) {
		l->written++;
		l->last_errno = 0;
		return;
	}
	/* Only now, on the rare failure: cut the part that did land. */
	if (done && (fstat(l->fd, &st) || ftruncate(l->fd, st.st_size - (off_t)done)))
		warn("event log %s: cannot cut a partial line: %s", l->path, strerror(errno));
	l->errors++;
	if (e != l->last_errno)	/* once per cause, not once per line */
		err("writing event log %s: %s (lines are being lost; counted in event_log.lines_lost)",
		    l->path, strerror(e));
	l->last_errno = e;
}

int event_log_handle(struct event_log *l, const void *data, size_t len)
{
	const __u32 *type = data;
	struct json_object *o = NULL;
	char comm[17], nrbuf[32];
	const char *s;

	if (len < sizeof(*type))
		return 0;
	if ((*type == OSP_EV_EXIT || *type == OSP_EV_LATE_THREAD) && len >= sizeof(struct osp_ev_exit) &&
	    l->fd >= 0) {
		o = exit_json(l, data);
	} else if (*type == OSP_EV_EXEC && len >= sizeof(struct osp_ev_exec) && l->fd >= 0) {
		const struct osp_ev_exec *e = data;

		o = event_json(l, "exec", e->ts_ns, e->pid);
		json_put_u64(o, "ppid", e->ppid);
		snprintf(comm, sizeof(comm), "%.16s", e->comm);
		json_put_str(o, "comm", comm);
		json_object_object_add(o, "filename", json_utf8(e->filename,
								  strnlen(e->filename, sizeof(e->filename))));
	} else if (*type == OSP_EV_SLOW && len >= sizeof(struct osp_ev_slow) && l->fd >= 0 && l->slow_ns &&
		   ((const struct osp_ev_slow *)data)->latency_ns >= l->slow_ns) {
		const struct osp_ev_slow *e = data;

		o = event_json(l, "slow_syscall", e->ts_ns, e->pid);
		json_put_u64(o, "tid", e->tid);
		json_put_str(o, "syscall", slot_name_or_nr(e->slot, nrbuf, sizeof(nrbuf)));
		json_put_str(o, "category", e->slot < OSP_NR_SLOTS ?
			     l->tax->names[l->tax->slot_cat[e->slot]] : "other");
		json_put_u64(o, "latency_ns", e->latency_ns);
		json_put_s64(o, "ret", e->ret);
	}
	if (!o)
		return 0;
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	write_line(l, s, strlen(s));
	json_object_put(o);
	return 0;
}

uint64_t event_log_written(const struct event_log *l)
{
	return l->written;
}

uint64_t event_log_lines_lost(const struct event_log *l)
{
	return l->errors;
}

void event_log_close(struct event_log *l)
{
	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd);
	free(l->path);
	free(l);
}
