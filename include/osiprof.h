/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Layouts shared by the BPF programs (bpf/) and the userspace collector (src/).
 * Fixed-width fields only, widest first; sizes are asserted at the bottom so a
 * change on one side cannot silently skew the other.
 */
#ifndef OSIPROF_H
#define OSIPROF_H

#ifndef __bpf__
#include <linux/types.h>
#endif

/*
 * Statistics are kept per "slot". Slots 0..OSP_MAX_SYSCALL_NR-1 are syscall
 * numbers; the pseudo slots after them hold syscalls that are split off into a
 * category of their own by what they operate on (ioctl and mmap on GPU device
 * nodes), so a new split never reshapes the maps.
 */
#define OSP_MAX_SYSCALL_NR	512
enum osp_pseudo_slot {
	OSP_SLOT_GPU_IOCTL = OSP_MAX_SYSCALL_NR,
	OSP_SLOT_GPU_MMAP,
	OSP_SLOT_COMPAT,	/* a 32-bit (ia32) syscall: its own numbering */
	OSP_NR_SLOTS,
};

/*
 * Log-linear latency histogram (HDR-style): values below 16 ns have a bucket
 * each; above, every power of two is split into 2^OSP_HIST_SUB_BITS linear
 * sub-buckets, so a bucket is at most 1/8 = 12.5 % wide and a percentile read
 * at the bucket's midpoint is within 6.25 % of the true value. The last bucket
 * also holds everything at or above 2^(OSP_HIST_MAX_LOG2 + 1) ns (~550 s).
 */
#define OSP_HIST_SUB_BITS	3
#define OSP_HIST_SUB		(1 << OSP_HIST_SUB_BITS)
#define OSP_HIST_MAX_LOG2	38
#define OSP_HIST_BUCKETS	((OSP_HIST_MAX_LOG2 - OSP_HIST_SUB_BITS + 2) * OSP_HIST_SUB)

static __always_inline __u32 osp_log2_u64(__u64 v)
{
	__u32 r = 0;

	/* BPF has no count-leading-zeros instruction: binary search. */
	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) { r += 1; }
	return r;
}

static __always_inline __u32 osp_hist_bucket(__u64 v)
{
	__u32 k, idx;

	if (v < 2 * OSP_HIST_SUB)
		return (__u32)v;
	k = osp_log2_u64(v);
	if (k > OSP_HIST_MAX_LOG2)
		return OSP_HIST_BUCKETS - 1;
	idx = (k - OSP_HIST_SUB_BITS + 1) * OSP_HIST_SUB +
	      (__u32)((v >> (k - OSP_HIST_SUB_BITS)) & (OSP_HIST_SUB - 1));
	return idx;
}

/*
 * Per-CPU, per-slot statistics. Counters are cumulative and never reset in the
 * kernel; userspace computes deltas. Histogram buckets are 32-bit to keep the
 * per-CPU footprint small: the collector reads them often enough (at least
 * every few seconds) that a bucket cannot wrap twice between reads, and sums
 * the wrap-safe differences into 64-bit totals.
 */
struct osp_sys_stat {
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 min_ns;		/* 0 until the first call on this CPU */
	__u64 max_ns;
	__u64 sumsq_lo;		/* sum of squared latencies (ns^2), 128-bit */
	__u64 sumsq_hi;
	__u64 offcpu_ns;	/* time switched out while inside the syscall */
	__u64 bytes;		/* moved by the data-moving calls (successful returns) */
	__u32 hist[OSP_HIST_BUCKETS];
};

/* Which slots a CPU has ever counted: set on a slot's first call on that
 * CPU (never cleared), so the collector reads only the slots in use. */
#define OSP_TOUCHED_WORDS	((OSP_NR_SLOTS + 63) / 64)
struct osp_touched {
	__u64 bits[OSP_TOUCHED_WORDS];
	__u64 io_cats;		/* categories with an I/O size counted (io_sizes) */
};

/* Key of the per-CPU errno hash: failures are rare, so they get a map of
 * their own instead of an errno array in every slot. */
struct osp_errno_key {
	__u32 slot;
	__u32 err;		/* positive errno */
};

/* Categories are numbered by userspace (src/model/categories.c) and pushed
 * into the slot -> category array before attach; the value's top bit marks
 * the calls whose return value is bytes moved (read, write, send...). */
#define OSP_MAX_CATEGORIES	32
#define OSP_CAT_ID_MASK		0xffU
#define OSP_CAT_MOVES_BYTES	(1U << 31)
#define OSP_CAT_FD_FIRST	(1U << 30)	/* its first argument is a file descriptor */

/* Things the BPF side could not record; counted per CPU, never hidden. */
enum osp_drop {
	OSP_DROP_TARGETS_FULL,		/* a process did not fit the process map */
	OSP_DROP_ERRNO_FULL,		/* errno hash full */
	OSP_DROP_TASK_STORAGE,		/* per-task state could not be created */
	OSP_DROP_BAD_SYSCALL_NR,	/* syscall number outside the slot table */
	OSP_DROP_RINGBUF,		/* event ring buffer full: event lost */
	OSP_DROP_GPU_MAP_FULL,		/* GPU request map full: request not broken down */
	OSP_DROP_PHASES_FULL,		/* more phase names than OSP_MAX_PHASES */
	OSP_DROP_COMPAT_FULL,		/* ia32 syscall not broken down by number */
	OSP_DROP_OBJECTS_FULL,		/* object map full: the object's calls not broken down */
	OSP_DROP_STACK_MAP_FULL,	/* --stacks: stack or stack-count map full: call not captured */
	OSP_DROP_NR,
};

/* Per-category totals of one thread or process. */
struct osp_cat_totals {
	__u64 count[OSP_MAX_CATEGORIES];
	__u64 total_ns[OSP_MAX_CATEGORIES];
	__u64 bytes[OSP_MAX_CATEGORIES];
};

/* Scheduler and lifecycle counters, kept per thread (task storage), folded
 * per process (osp_proc) and summed per CPU (osp_sched_stat). */
struct osp_sched_counters {
	__u64 vol_switches;	/* switched out while blocking */
	__u64 invol_switches;	/* preempted, or yielded while runnable */
	__u64 migrations;
	__u64 oncpu_ns;		/* task-clock: time running, seen by sched_switch */
	__u64 offcpu_ns;	/* switched out outside any syscall */
	__u64 offcpu_sys_ns;	/* switched out inside a syscall */
	__u64 runq_ns;		/* runnable but waiting for a CPU */
	__u64 runq_count;
	__u64 forks;		/* child processes created */
	__u64 threads;		/* threads created */
	__u64 execs;
	__u64 exits;		/* threads that exited */
};

/* Per-CPU global scheduler statistics (one entry). */
struct osp_sched_stat {
	struct osp_sched_counters c;
	__u64 process_exits;
	__u64 pad;
	__u32 runq_hist[OSP_HIST_BUCKETS];
};

/* Value of the process map, keyed by tgid: created when a process becomes a
 * target, updated when one of its threads exits or execs, final once it has
 * exited. Key 0 is the overflow bucket for processes that did not fit. */
struct osp_proc {
	struct osp_cat_totals cats;		/* folded from exited threads */
	struct osp_sched_counters sched;	/* same */
	__u64 start_ns;
	__u64 exit_ns;			/* 0 while alive */
	__u64 min_flt;			/* at exit: the whole process's faults */
	__u64 maj_flt;
	/* Faults before counting began, subtracted (as perf stat does): the
	 * command's own before its exec, a -p target's before attach. */
	__u64 min_flt_base;
	__u64 maj_flt_base;
	__u64 peak_rss_pages;		/* at exit: the mm's high-water mark */
	__u64 cgid;			/* its cgroup (v2 id): at creation, at exit */
	__u32 flags;
	__u32 ppid;
	__s32 exit_code;
	__u32 ended;			/* claimed by the thread that ends it */
	char comm[16];
};
#define OSP_PROC_ROOT		(1U << 0)	/* named by the user */
#define OSP_PROC_FOLLOWED	(1U << 1)	/* added by following a fork */
#define OSP_PROC_EXITED		(1U << 2)
#define OSP_PROC_EVENT_LOST	(1U << 3)	/* exited, its exit event not queued */
#define OSP_PROC_AWAIT_EXEC	(1U << 4)	/* the command: fault counting starts at its exec */

/* Key of the per-request GPU statistics: ioctl (with its request number)
 * or mmap on one GPU device node. */
#define OSP_MAX_CHRDEV_MAJOR	4096
enum osp_gpu_kind { OSP_GPU_IOCTL, OSP_GPU_MMAP };
struct osp_gpu_key {
	__u32 rdev;		/* the kernel's dev_t: major << 20 | minor */
	__u32 request;		/* ioctl request number; 0 for mmap */
	__u32 kind;		/* enum osp_gpu_kind */
	__u32 pad;
};

/* Files, sockets, pipes...: what a process's fd-taking calls touched, by
 * the object's (device, inode). */
struct osp_obj_key {
	__u32 tgid;
	__u32 dev;
	__u64 ino;
};

struct osp_obj_stat {
	__u64 count, errors, total_ns, offcpu_ns, bytes;
};

/* Per-thread state in BPF task local storage; only targets have it. */
struct osp_task {
	__u64 start_ns;		/* entry of the current syscall, 0 = none */
	__u64 off_ns;		/* switched out at, 0 = running */
	__u64 on_ns;		/* switched in at, 0 = not seen running yet */
	__u64 wake_ns;		/* runnable since (woken or preempted), 0 = not waiting */
	__u64 sys_offcpu_ns;	/* off-CPU so far inside the current syscall */
	__u32 slot;		/* slot of the current syscall */
	__u32 flags;
	__u32 gpu_rdev;		/* for a GPU slot: the device and request */
	__u32 gpu_request;
	__u32 blocked_kstack;	/* --kernel-stacks: stack-map id + 1 where the current call blocked */
	__u32 pad;
	__s64 arg0;		/* with --timeline or --objects: the current call's first argument */
	struct osp_obj_key obj;	/* with --objects: the current call's object (tgid 0: none) */
	__u64 obj_file;		/* its struct file, when its name is still to be sent */
	struct osp_sched_counters sched;
	struct osp_cat_totals cats;
};

/* Phases marked by the profiled program (include/osiprof/phase.h). Phase 0
 * is the time before the first mark. */
#define OSP_MAX_PHASES		16
#define OSP_PHASE_NAME_MAX	32

struct osp_phase_stat {			/* per (phase, category), per CPU */
	__u64 count;
	__u64 errors;
	__u64 total_ns;
	__u64 offcpu_ns;
};

struct osp_phase_info {			/* per phase */
	__u64 wall_ns;			/* time processes spent in it (closed spans) */
	__u64 marks;			/* times it was entered */
};

struct osp_proc_phase {			/* per process: where it is now */
	__u32 phase;
	__u32 in_window;
	__u64 since_ns;
};

/* Ring buffer events; each starts with its type. */
enum osp_event_type {
	OSP_EV_EXEC = 1,
	OSP_EV_EXIT,
	OSP_EV_SLOW,
	OSP_EV_OFFCPU,		/* the timeline's: an osp_ev_slow too */
	OSP_EV_FORK,
	OSP_EV_PHASE,
	OSP_EV_OBJECT,		/* the name of an object first used */
	OSP_EV_STACK,		/* --stacks --unwind dwarf: one captured call */
	OSP_EV_STACK_PID,	/* an osp_ev_slow: pid's first fp stack (ret 0), its exec (1), or its fork of child slot (2) */
	OSP_EV_MAPPING,		/* --stacks: a file a target mapped */
	OSP_EV_LATE_THREAD,	/* an osp_ev_exit: a thread of a process already ended (reclaiming) */
};

enum osp_obj_kind { OSP_OBJ_FILE = 1, OSP_OBJ_BLOCK, OSP_OBJ_DEVICE, OSP_OBJ_PIPE, OSP_OBJ_SOCKET,
		    OSP_OBJ_ANON };

#define OSP_OBJ_COMPONENTS	12	/* path components read in BPF, innermost first */
#define OSP_OBJ_COMPONENT_MAX	64

/* Sent once per object, when a process first uses it: what names it. */
struct osp_ev_object {
	__u32 type;
	__u32 kind;			/* enum osp_obj_kind */
	struct osp_obj_key key;
	/* Sockets: family, protocol type, peer (IPv4 address and port, host
	 * order for the port), or a unix peer's path in components[0]. */
	__u16 family, sotype;
	__u32 peer_addr;
	__u16 peer_port, local_port;
	__u32 ncomponents;		/* files: components of its path, innermost first */
	char components[OSP_OBJ_COMPONENTS][OSP_OBJ_COMPONENT_MAX];
};

struct osp_ev_exec {
	__u32 type;
	__u32 pid;
	__u32 ppid;
	__u32 pad;
	__u64 ts_ns;			/* CLOCK_MONOTONIC */
	char comm[16];
	char filename[256];
};

/* A process's final totals, sent before its entry is reclaimed. */
struct osp_ev_exit {
	__u32 type;
	__u32 pid;
	__u64 ts_ns;
	struct osp_proc proc;
};

/* A syscall at or above the threshold (OSP_EV_SLOW), and with --timeline
 * the other timeline events in the same shape:
 *   OSP_EV_OFFCPU  switched out outside a syscall for latency_ns, ending at
 *                  ts_ns; slot 1 if it was preempted, 0 if it blocked
 *   OSP_EV_FORK    at ts_ns pid/tid created ret (its tid); slot is its tgid
 *   OSP_EV_PHASE   at ts_ns pid (thread tid) marked phase id slot */
struct osp_ev_slow {
	__u32 type;
	__u32 pid;
	__u32 tid;
	__u32 slot;
	__u64 ts_ns;			/* when the call returned */
	__u64 latency_ns;
	__s64 ret;
	__s64 arg0;			/* the call's first argument (an fd for most) */
	__u64 offcpu_ns;		/* switched out inside the call */
	char comm[16];
};

/* --stacks (bpf/stacks.bpf.h). With --unwind fp the kernel walks frame
 * pointers into a stack map and counts (process, slot, user stack, kernel
 * stack) in osp_stack_key -> osp_stack_stat; with --unwind dwarf each
 * captured call sends its user registers and the top of its user stack
 * (osp_ev_stack) for userspace to unwind from the binaries' CFI. */
enum osp_unwind { OSP_UNWIND_OFF, OSP_UNWIND_FP, OSP_UNWIND_DWARF };
#define OSP_STACK_DEPTH		127	/* frames per stack-map entry (the kernel's limit) */
#define OSP_STACK_BYTES_MAX	16384	/* --stack-bytes */
#define OSP_REGS_BYTES		256	/* room for this architecture's struct pt_regs */

struct osp_stack_key {
	__u32 pid;
	__u32 slot;
	__s32 ustack;			/* stack-map ids; -1: none (not asked for, or lost) */
	__s32 kstack;
};

struct osp_stack_stat {
	__u64 count;
	__u64 total_ns;
	__u64 offcpu_ns;
};

struct osp_ev_stack {
	__u32 type;
	__u32 pid;
	__u32 tid;
	__u32 slot;
	__u64 latency_ns;
	__u64 offcpu_ns;
	__s32 kstack;			/* kernel stack's stack-map id, -1: none */
	__u32 stack_len;		/* bytes of user stack copied from its sp */
	char comm[16];
	__u8 regs[OSP_REGS_BYTES];	/* the user registers (struct pt_regs) */
	__u8 stack[];			/* stack_len bytes; the record has room for --stack-bytes */
};

/* OSP_EV_MAPPING: a file mapped into a target (an mmap of a file; at exec,
 * its binary and interpreter, as the kernel mapped them): [start, end) at
 * file offset pgoff. Userspace knows a process's mappings from these, in
 * order, however short its life. */
struct osp_ev_mapping {
	__u32 type;
	__u32 pid;
	__u64 start, end, pgoff;
	__u64 ino;
	__u32 dev;			/* the kernel's dev_t: major << 20 | minor */
	__u32 ncomponents;		/* path components, innermost first */
	__u32 exec;			/* mapped executable (or the exec's own files) */
	__u32 pad;
	char components[OSP_OBJ_COMPONENTS][OSP_OBJ_COMPONENT_MAX];
};

#define OSP_TASK_EXITED		(1U << 0)	/* folded into its process; a zombie until reaped */
#define OSP_TASK_PREEMPTED	(1U << 1)	/* its last switch-out was a preemption */

/* What the task iterator writes for each live target thread. comm is the
 * thread's name now (prctl(PR_SET_NAME) included): the leader's names its
 * process. */
struct osp_thread_rec {
	__u32 tgid;
	__u32 tid;
	struct osp_sched_counters sched;
	struct osp_cat_totals cats;
	char comm[16];
	__u64 min_flt, maj_flt;		/* this thread's own page faults */
	/* Its process's, the same in every thread's record: faults of its
	 * dead threads, resident pages now and the high-water mark. So a
	 * poll reads no /proc file for memory figures. */
	__u64 sig_min_flt, sig_maj_flt;
	__u64 rss_pages, hiwater_pages;
	__u64 cgid;			/* the thread's cgroup (v2 id) now */
};

#ifndef __bpf__
_Static_assert(sizeof(struct osp_sys_stat) == 9 * 8 + 4 * OSP_HIST_BUCKETS,
	       "osp_sys_stat must have no padding");
_Static_assert(OSP_HIST_BUCKETS % 2 == 0, "8-byte aligned histogram");
_Static_assert(sizeof(struct osp_errno_key) == 8, "osp_errno_key layout");
_Static_assert(sizeof(struct osp_task) % 8 == 0, "osp_task layout");
_Static_assert(sizeof(struct osp_proc) % 8 == 0, "osp_proc layout");
_Static_assert(sizeof(struct osp_sched_stat) % 8 == 0, "osp_sched_stat layout");
_Static_assert(sizeof(struct osp_thread_rec) == 8 + sizeof(struct osp_sched_counters) +
	       sizeof(struct osp_cat_totals) + 16 + 7 * 8, "osp_thread_rec layout");
#endif

#endif /* OSIPROF_H */
