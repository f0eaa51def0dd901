// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "base/log.h"
#include "load/privilege.h"
#include "base/procfs.h"
#include "osiprof.h"
#include "osiprof.skel.h"
#include "model/categories.h"
#include "model/syscalls.h"
#include "load/tracer.h"

#define VMLINUX_BTF_PATH "/sys/kernel/btf/vmlinux"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL	/* Linux 6.9: a pidfd for one thread */
#endif

struct tracer {
	struct osiprof_bpf *skel;
	struct bpf_link *phase_link;
	bool use_btf;
	bool sched;
	bool phases;
	bool discover;		/* targets found by tgid on their first syscall */
};

static int pidfd_open(pid_t pid, unsigned int flags)
{
	return (int)syscall(SYS_pidfd_open, pid, flags);
}

/* Can userspace hand task storage to a thread other than a process leader? */
static bool probe_pidfd_thread(void)
{
	int fd = pidfd_open((pid_t)syscall(SYS_gettid), PIDFD_THREAD);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf warnings are mostly about probes we expect to fail; only
	 * show them (and the verifier log) when asked for detail. */
	int want = level == LIBBPF_DEBUG ? LOG_DEBUG : LOG_INFO;

	if (want > log_verbosity())
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void log_attach_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}

int tracer_check_environment(void)
{
	if (access(VMLINUX_BTF_PATH, R_OK)) {
		err("no kernel BTF at %s: osiprof needs a kernel built with CONFIG_DEBUG_INFO_BTF=y",
		    VMLINUX_BTF_PATH);
		return -ENOENT;
	}
	return privilege_check();
}

/* A tracepoint's BTF prototype (the function type of btf_trace_<name>),
 * which tp_btf needs; NULL if the kernel has none. */
static const struct btf_type *tp_btf_proto(const struct btf *btf, const char *tp)
{
	const struct btf_type *t;
	char name[128];
	int id;

	snprintf(name, sizeof(name), "btf_trace_%s", tp);
	id = btf ? btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF) : -1;
	if (id <= 0)
		return NULL;
	t = btf__type_by_id(btf, btf__type_by_id(btf, id)->type);	/* the pointer */
	t = t && btf_is_ptr(t) ? btf__type_by_id(btf, t->type) : NULL;
	return t && btf_is_func_proto(t) ? t : NULL;
}

static bool probe_tp_btf(const struct btf *btf, const char *tp)
{
	return tp_btf_proto(btf, tp) != NULL;
}

/* How many arguments a tracepoint passes (the leading context pointer not
 * counted); 0 if unknown. */
static int tp_btf_nargs(const struct btf *btf, const char *tp)
{
	const struct btf_type *t = tp_btf_proto(btf, tp);

	return t ? btf_vlen(t) - 1 : 0;
}

/* The value of an enumerator of any (also anonymous) enum in vmlinux BTF. */
static bool btf_enumerator(const struct btf *btf, const char *name, int *out)
{
	__u32 id, n = btf ? btf__type_cnt(btf) : 0;
	int i;

	for (id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		const struct btf_enum *e;

		if (!btf_is_enum(t))
			continue;
		e = btf_enum(t);
		for (i = 0; i < btf_vlen(t); i++) {
			if (!strcmp(btf__name_by_offset(btf, e[i].name_off), name)) {
				*out = e[i].val;
				return true;
			}
		}
	}
	return false;
}

static int set_autoload(struct tracer *t)
{
	struct osiprof_bpf *k = t->skel;
	struct bpf_program *btf_progs[] = { k->progs.sys_enter_btf, k->progs.sys_exit_btf,
					    k->progs.fork_btf, k->progs.exec_btf, k->progs.exit_btf };
	struct bpf_program *raw_progs[] = { k->progs.sys_enter_raw, k->progs.sys_exit_raw,
					    k->progs.fork_raw, k->progs.exec_raw, k->progs.exit_raw };
	struct bpf_program *sched_progs[] = { k->progs.sched_switch_btf, k->progs.sched_wakeup_btf,
					      k->progs.sched_wakeup_new_btf, k->progs.sched_migrate_btf };
	size_t i;
	int err = 0;

	for (i = 0; i < sizeof(btf_progs) / sizeof(btf_progs[0]) && !err; i++) {
		err = bpf_program__set_autoload(btf_progs[i], t->use_btf);
		if (!err)
			err = bpf_program__set_autoload(raw_progs[i], !t->use_btf);
	}
	for (i = 0; i < sizeof(sched_progs) / sizeof(sched_progs[0]) && !err; i++)
		err = bpf_program__set_autoload(sched_progs[i], t->sched);
	if (!err)
		err = bpf_program__set_autoload(k->progs.phase_mark, t->phases);
	return err;
}

/* The taxonomy and the overflow process entry go in before attach. */
static int fill_maps(struct tracer *t, const struct tracer_opts *opts)
{
	struct osp_proc overflow = { .flags = OSP_PROC_ROOT };
	__u32 slot, cat, zero = 0, major;
	int fd = bpf_map__fd(t->skel->maps.slot_cat), i, cgroup_fd = opts->cgroup_fd;
	const struct taxonomy *tax = opts->tax;
	__u8 one = 1;

	for (slot = 0; slot < OSP_NR_SLOTS; slot++) {
		cat = tax->slot_cat[slot] | (syscall_moves_bytes(slot) ? OSP_CAT_MOVES_BYTES : 0) |
		      (syscall_takes_fd(slot) || slot == OSP_SLOT_GPU_IOCTL ? OSP_CAT_FD_FIRST : 0);
		if (bpf_map_update_elem(fd, &slot, &cat, BPF_ANY))
			return -errno;
	}
	if (cgroup_fd >= 0 &&
	    bpf_map_update_elem(bpf_map__fd(t->skel->maps.cgroup_filter), &zero, &cgroup_fd, BPF_ANY))
		return -errno;
	for (i = 0; i < opts->ngpu_majors; i++) {
		major = opts->gpu_majors[i];
		if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.gpu_majors), &major, &one, BPF_ANY))
			return -errno;
	}
	snprintf(overflow.comm, sizeof(overflow.comm), "[overflow]");
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.procs), &zero, &overflow, BPF_ANY))
		return -errno;
	return 0;
}

bool tracer_has_sched(const struct tracer *t)
{
	return t->sched;
}

struct tracer *tracer_open_and_load(const struct tracer_opts *opts)
{
	struct btf *btf;
	struct tracer *t;
	int err;

	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->skel = osiprof_bpf__open();
	if (!t->skel) {
		err = -errno;
		err("opening BPF object: %s", strerror(-err));
		goto err_free;
	}
	/* Every probe reads the kernel's BTF, loaded once here. */
	btf = btf__load_vmlinux_btf();
	t->use_btf = !opts->force_raw_tp && probe_tp_btf(btf, "sys_enter") &&
		     probe_tp_btf(btf, "sys_exit") && probe_tp_btf(btf, "sched_process_fork") &&
		     probe_tp_btf(btf, "sched_process_exit") && probe_tp_btf(btf, "sched_process_exec");
	t->sched = opts->sched && t->use_btf && probe_tp_btf(btf, "sched_switch") &&
		   probe_tp_btf(btf, "sched_wakeup") && probe_tp_btf(btf, "sched_migrate_task");
	/* Since 6.16 the exit tracepoint says which thread ended the group. */
	t->skel->rodata->targ_exit_group_dead = tp_btf_nargs(btf, "sched_process_exit") >= 2;
	if (!btf_enumerator(btf, "MM_FILEPAGES", (int *)&t->skel->rodata->targ_mm_filepages) ||
	    !btf_enumerator(btf, "MM_ANONPAGES", (int *)&t->skel->rodata->targ_mm_anonpages) ||
	    !btf_enumerator(btf, "MM_SHMEMPAGES", (int *)&t->skel->rodata->targ_mm_shmempages))
		warn("no MM_*PAGES in the kernel's BTF: peak RSS of exited processes may be off");
	btf__free(btf);
	if (opts->sched && !t->sched)
		warn("scheduler tracepoints need tp_btf: sched figures will not be collected");
	if (opts->kernel_stacks && !t->sched)
		warn("--kernel-stacks: kernel stacks are taken where a call blocks, by the scheduler "
		     "programs (tp_btf, without --no-sched): none will be collected");
	dbg("attaching with %s", t->use_btf ? "tp_btf" : "raw_tp");

	/* tp_btf gives new threads and children storage at fork; otherwise they
	 * (and, without thread pidfds, existing threads) find themselves. */
	t->discover = !opts->all && opts->cgroup_fd < 0 && (!t->use_btf || !probe_pidfd_thread());
	t->skel->rodata->targ_all = opts->all;
	t->skel->rodata->targ_follow = opts->follow;
	t->skel->rodata->targ_discover = t->discover;
	t->skel->rodata->targ_reclaim = opts->reclaim;
	t->skel->rodata->targ_events = opts->events;
	t->skel->rodata->targ_slow_ns = opts->slow_ns;
	t->skel->rodata->targ_timeline = opts->timeline;
	t->skel->rodata->targ_objects = opts->max_objects > 0;
	t->skel->rodata->targ_cgroup = opts->cgroup_fd >= 0;
	t->skel->rodata->targ_gpu = opts->ngpu_majors > 0;
	t->skel->rodata->targ_tp_btf = t->use_btf;
	t->skel->rodata->self_tgid = (__u32)getpid();	/* never profile ourselves */
	t->phases = opts->phases || opts->window_begin;
	t->skel->rodata->targ_phases = t->phases;
	t->skel->rodata->targ_window = opts->window_begin != NULL;
	if (opts->window_begin) {
		snprintf((char *)t->skel->rodata->window_begin, OSP_PHASE_NAME_MAX, "%s", opts->window_begin);
		snprintf((char *)t->skel->rodata->window_end, OSP_PHASE_NAME_MAX, "%s", opts->window_end);
	}
	t->skel->rodata->targ_stacks = opts->unwind;
	t->skel->rodata->targ_stack_ns = opts->stack_ns;
	t->skel->rodata->targ_stack_sample = opts->stack_sample;
	t->skel->rodata->targ_kernel_stacks = opts->kernel_stacks;
	t->skel->rodata->targ_stack_bytes = opts->stack_bytes;
	t->skel->rodata->nr_ioctl = SYS_ioctl;
	t->skel->rodata->nr_close = SYS_close;
	t->skel->rodata->nr_mmap = SYS_mmap;
	/* One more than asked: key 0 is the overflow entry. */
	err = bpf_map__set_max_entries(t->skel->maps.procs, (opts->max_procs ?: 1) + 1);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.proc_phase, (opts->max_procs ?: 1) + 1);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.sys_stats, OSP_NR_SLOTS);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.errnos, opts->max_errnos);
	if (!err)	/* no objects: the smallest map, never used */
		err = bpf_map__set_max_entries(t->skel->maps.objects, opts->max_objects ?: 1);
	/* Stack maps: user and kernel stacks of max_stacks distinct sites; the
	 * stack map is a hash table of ids, kept at most half full. */
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.stack_traces,
					       opts->unwind && (opts->unwind == OSP_UNWIND_FP || opts->kernel_stacks)
					       ? 4 * opts->max_stacks : 1);
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.stack_counts,
					       opts->unwind == OSP_UNWIND_FP ? opts->max_stacks : 1);
	/* The ring buffer costs memory only where events are wanted. */
	if (!err)
		err = bpf_map__set_max_entries(t->skel->maps.events,
					       opts->events || opts->slow_ns || opts->max_objects || opts->unwind
					       ? opts->ringbuf_bytes : (uint32_t)sysconf(_SC_PAGESIZE));
	if (!err)
		err = set_autoload(t);
	if (err) {
		err("configuring BPF object: %s", strerror(-err));
		goto err_destroy;
	}
	err = osiprof_bpf__load(t->skel);
	if (!err) {
		err = fill_maps(t, opts);
		if (err) {
			err("filling BPF maps: %s", strerror(-err));
			goto err_destroy;
		}
	}
	if (err) {
		if (err == -EPERM)
			err("loading BPF programs was refused although CAP_BPF and CAP_PERFMON are held: "
			    "a seccomp filter blocking bpf() (a container's default profile: run it "
			    "unconfined) or a kernel lockdown of BPF");
		else if (err == -EACCES)
			err("the kernel's verifier rejected osiprof's BPF programs "
			    "(run with -vv for the verifier log)");
		else
			err("loading BPF programs: %s (run with -vv for the verifier log)", strerror(-err));
		goto err_destroy;
	}
	return t;

err_destroy:
	osiprof_bpf__destroy(t->skel);
err_free:
	free(t);
	errno = -err;
	return NULL;
}

/* Gives one thread task storage, which makes it a target. */
static int mark_thread(struct tracer *t, pid_t tgid, pid_t tid)
{
	struct osp_task v = {};
	int fd, err = 0;

	fd = pidfd_open(tid, tid == tgid ? 0 : PIDFD_THREAD);
	if (fd < 0)
		return -errno;
	/* -EEXIST: already a target (marked before, or at fork). */
	if (bpf_map_update_elem(bpf_map__fd(t->skel->maps.tasks), &fd, &v, BPF_NOEXIST))
		err = -errno;
	close(fd);
	return err;
}

/* Marks every thread of tgid; rescans until a pass finds no new thread, so a
 * thread created by a not-yet-marked sibling is not missed. */
static int mark_threads(struct tracer *t, pid_t tgid)
{
	char path[64];
	int added, err;

	snprintf(path, sizeof(path), "/proc/%d/task", tgid);
	do {
		struct dirent *de;
		DIR *d = opendir(path);

		if (!d)
			return -ESRCH;
		added = 0;
		while ((de = readdir(d))) {
			pid_t tid = (pid_t)atoi(de->d_name);

			if (tid <= 0)
				continue;
			err = mark_thread(t, tgid, tid);
			if (!err)
				added++;
			else if (err != -EEXIST && err != -ESRCH) {
				closedir(d);
				return err;
			}
		}
		closedir(d);
	} while (added);
	return 0;
}

/* ppid and comm of a live process, from /proc: comm raw from /proc/PID/comm
 * (status escapes it). */
static void proc_identity(pid_t pid, struct osp_proc *p)
{
	char path[64], line[256];
	ssize_t n;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, line, sizeof(p->comm));
		close(fd);
		if (n > 0 && line[n - 1] == '\n')
			n--;
		memcpy(p->comm, line, n > 0 ? (size_t)n : 0);
	}
	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "PPid: %u", &p->ppid) == 1)
			break;
	fclose(f);
}

int tracer_add_target(struct tracer *t, pid_t tgid, bool command)
{
	struct osp_proc v = { .flags = OSP_PROC_ROOT | (command ? OSP_PROC_AWAIT_EXEC : 0) };
	struct procfs_stat st;
	int fd = bpf_map__fd(t->skel->maps.procs);
	struct timespec ts;
	__u32 key = (__u32)tgid;
	int err;

	if (kill(tgid, 0) && errno == ESRCH)
		return -ESRCH;
	proc_identity(tgid, &v);
	/* A running process's faults count from now (perf stat -p does the
	 * same); a command's from its exec (BPF takes that baseline). */
	if (!command && !procfs_stat(tgid, &st)) {
		v.min_flt_base = st.min_flt;
		v.maj_flt_base = st.maj_flt;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	v.start_ns = (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (bpf_map_update_elem(fd, &key, &v, BPF_ANY))
		return -errno;
	if (t->discover)
		return 0;
	err = mark_threads(t, tgid);
	/* Gone in between, or already a zombie (a pidfd still opens, but its
	 * exit, long past, will never be seen): drop the entry. */
	if (!err && procfs_exited(tgid))
		err = -ESRCH;
	if (err == -ESRCH)
		bpf_map_delete_elem(fd, &key);
	return err;
}

int tracer_attach_phases(struct tracer *t, const char *binary)
{
	if (!t->phases)
		return 0;
	t->phase_link = bpf_program__attach_usdt(t->skel->progs.phase_mark, -1, binary,
						 "osiprof", "phase", NULL);
	if (!t->phase_link) {
		int err = -errno;

		err("%s has no osiprof:phase probes to attach to (%s); see include/osiprof/phase.h",
		    binary, strerror(-err));
		return err;
	}
	return 0;
}

bool tracer_has_objects(const struct tracer *t)
{
	return t->skel->rodata->targ_objects;
}

bool tracer_has_phases(const struct tracer *t)
{
	return t->phases;
}

int tracer_count_live_targets(struct tracer *t)
{
	int fd = bpf_map__fd(t->skel->maps.procs);
	__u32 key, next;
	struct osp_proc p;
	void *prev = NULL;
	int n = 0;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		key = next;
		prev = &key;
		if (key && !bpf_map_lookup_elem(fd, &key, &p) && !(p.flags & OSP_PROC_EXITED))
			n++;
	}
	return n;
}

int tracer_read_threads(struct tracer *t, void (*fn)(const struct osp_thread_rec *, void *),
			void *ctx)
{
	struct bpf_link *link = t->skel->links.dump_threads;
	struct osp_thread_rec rec;
	size_t have = 0;
	ssize_t n;
	int fd;

	if (!link)
		return -ENOENT;
	fd = bpf_iter_create(bpf_link__fd(link));
	if (fd < 0)
		return -errno;
	/* Records may straddle read() boundaries. */
	while ((n = read(fd, (char *)&rec + have, sizeof(rec) - have)) > 0) {
		have += (size_t)n;
		if (have == sizeof(rec)) {
			fn(&rec, ctx);
			have = 0;
		}
	}
	n = n < 0 ? -errno : 0;
	close(fd);
	return (int)n;
}

int tracer_attach(struct tracer *t)
{
	int err = osiprof_bpf__attach(t->skel);

	if (err)
		err("attaching BPF programs: %s", strerror(-err));
	return err;
}

void tracer_stop_probes(struct tracer *t)
{
	const struct bpf_object_skeleton *sk = t->skel->skeleton;
	int i;

	bpf_link__destroy(t->phase_link);
	t->phase_link = NULL;
	for (i = 0; i < sk->prog_cnt; i++) {
		struct bpf_link **link = sk->progs[i].link;

		/* The thread iterator still has to read what they left. */
		if (*sk->progs[i].prog == t->skel->progs.dump_threads || !*link)
			continue;
		bpf_link__destroy(*link);
		*link = NULL;
	}
}

int tracer_map_fd(struct tracer *t, enum tracer_map m)
{
	switch (m) {
	case TRACER_MAP_SYS_STATS: return bpf_map__fd(t->skel->maps.sys_stats);
	case TRACER_MAP_TOUCHED: return bpf_map__fd(t->skel->maps.touched);
	case TRACER_MAP_IO_SIZES: return bpf_map__fd(t->skel->maps.io_sizes);
	case TRACER_MAP_OBJECTS: return bpf_map__fd(t->skel->maps.objects);
	case TRACER_MAP_STACK_TRACES: return bpf_map__fd(t->skel->maps.stack_traces);
	case TRACER_MAP_STACK_COUNTS: return bpf_map__fd(t->skel->maps.stack_counts);
	case TRACER_MAP_ERRNOS: return bpf_map__fd(t->skel->maps.errnos);
	case TRACER_MAP_DROPS: return bpf_map__fd(t->skel->maps.drops);
	case TRACER_MAP_PROCS: return bpf_map__fd(t->skel->maps.procs);
	case TRACER_MAP_SCHED_STATS: return bpf_map__fd(t->skel->maps.sched_stats);
	case TRACER_MAP_GPU_REQS: return bpf_map__fd(t->skel->maps.gpu_reqs);
	case TRACER_MAP_PHASE_IDS: return bpf_map__fd(t->skel->maps.phase_ids);
	case TRACER_MAP_PHASE_STATS: return bpf_map__fd(t->skel->maps.phase_stats);
	case TRACER_MAP_PHASE_INFO: return bpf_map__fd(t->skel->maps.phase_info);
	case TRACER_MAP_COMPAT_NRS: return bpf_map__fd(t->skel->maps.compat_nrs);
	}
	return -EINVAL;
}

/* memlock from the map's fdinfo: what the kernel charges for it. */
static uint64_t map_memlock(int fd)
{
	char path[64], line[256];
	uint64_t v = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lu", &v) == 1)
			break;
	fclose(f);
	return v;
}

static uint64_t self_rss_bytes(void)
{
	unsigned long long kb = 0;
	char line[256];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %llu kB", &kb) == 1)
			break;
	fclose(f);
	return kb * 1024;
}

static bool bpf_stats_enabled(void)
{
	char c = '0';
	int fd = open("/proc/sys/kernel/bpf_stats_enabled", O_RDONLY);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = '0';
	close(fd);
	return c == '1';
}

int tracer_self_stats(struct tracer *t, struct self_stats *out)
{
	struct bpf_program *prog;
	struct bpf_map *map;

	memset(out, 0, sizeof(*out));
	out->attach_kind = t->use_btf ? "tp_btf" : "raw_tp";
	bpf_object__for_each_program(prog, t->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0 || bpf_obj_get_info_by_fd(fd, &info, &len))
			continue;
		out->nprogs++;
		out->run_time_ns += info.run_time_ns;
		out->run_cnt += info.run_cnt;
	}
	/* Counted by the sysctl, or by --bpf-stats's fd (which leaves the
	 * sysctl at 0): either way the counts are there. */
	out->stats_enabled = bpf_stats_enabled() || out->run_cnt > 0;
	bpf_object__for_each_map(map, t->skel->obj) {
		if (bpf_map__fd(map) >= 0)
			out->map_bytes += map_memlock(bpf_map__fd(map));
	}
	out->rss_bytes = self_rss_bytes();
	return 0;
}

int tracer_events_fd(struct tracer *t)
{
	return bpf_map__fd(t->skel->maps.events);
}

int tracer_enable_run_stats(void)
{
	int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);

	return fd < 0 ? -errno : fd;
}

void tracer_destroy(struct tracer *t)
{
	if (!t)
		return;
	bpf_link__destroy(t->phase_link);
	osiprof_bpf__destroy(t->skel);
	free(t);
}
