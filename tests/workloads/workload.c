// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Deterministic workload for osiprof's real-kernel tests: performs exactly the
 * syscalls its options ask for, through syscall(2) so libc cannot add or merge
 * any. Built static so the dynamic loader adds nothing either.
 *
 *   --writes N        N write(2) of 1 byte to /dev/null
 *   --reads N         N read(2) of 1 byte from /dev/zero
 *   --futex-wakes N   N FUTEX_WAKE with no waiter
 *   --failed-opens N  N openat(2) of a missing path (ENOENT)
 *   --mmaps N         N mmap/munmap pairs of one anonymous page
 *   --threads T       T threads, each doing --per-task K writes, then joined
 *   --children M      M forked children, each doing --per-task K writes
 *   --sleeps N:USEC   N nanosleep(USEC); true latencies go to --latency-file
 *   --getppid N       N getppid(2)
 *   --spin SEC        busy loop of getppid for SEC seconds (an unrelated load)
 *   --pingpong N      two threads hand a token back and forth N times (futex)
 *   --pinned-spin SEC two threads spin on CPU 0 for SEC seconds, no syscalls
 *   --touch-pages N   map N fresh pages and write to each once
 *   --fork-exec M     M children that each exec /bin/true
 *   --dev-ioctls N    N ioctl(TCGETS) on /dev/zero (a character device; ENOTTY)
 *   --sock-ioctls N   N ioctl(FIONREAD) on a socket
 *   --dev-mmaps N     N mmap/munmap pairs of /dev/zero
 *   --phases N:M      phase "A": N writes; phase "B": M futex wakes; then "end"
 *                     (marked with include/osiprof/phase.h)
 *   --name NAME       prctl(PR_SET_NAME, NAME) first (any bytes, \xNN escapes)
 *   --int80 N         N 32-bit getpid (int 0x80, ia32 emulation; x86-64 only)
 *   --uring-writes N  N IORING_OP_WRITEs of 1 byte to /dev/null, 100 per
 *                     io_uring_enter (raw syscalls, no liburing)
 *   --woken-running N N times: a thread is signalled while it spins on its
 *                     CPU (a wake-up of a running task), then sleeps 100 ms
 *   --objects DIR     DIR/a.tmp: 300 writes of 10 bytes, unlinked, closed; a
 *                     unix socket DIR/u.sock and a TCP socket on 127.0.0.1: a
 *                     client thread connects, writes 100 bytes one at a time
 *                     and closes, a server thread reads them; a child writes
 *                     5 times to a pipe it inherited. Prints the TCP port.
 *   --group-exits M   M children, one after another, that each start 16
 *                     threads spinning on getppid and exit_group: the threads
 *                     die together (in odd children once all 16 run, in even
 *                     ones at once, before most of them ever ran)
 *   --sleep-pipe N    thread A: 2N clock_nanosleep of 5 ms, writing 1 byte to
 *                     a pipe after every second one; thread B: N blocking
 *                     1-byte reads of that pipe
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <sys/prctl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <osiprof/phase.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <termios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long writes, reads, wakes, fopens, mmaps, threads, children, per_task;
static long sleeps, sleep_us, getppids, pingpongs, touch_pages, fork_execs;
static long dev_ioctls, sock_ioctls, dev_mmaps, phase_a = -1, phase_b;
static long int80s, uring_writes, woken_running, sleep_pipes, group_exits;
static int sleep_pipe_fds[2];
static double spin_s, pinned_spin_s;
static char name[16];
static const char *latency_file;
static int null_fd = -1;

static void do_writes(long n)
{
	char c = 'x';
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_write, null_fd, &c, 1);
}

static void *thread_main(void *arg)
{
	do_writes(per_task);
	return arg;
}

static double now_ns(void);

/* Ping-pong: the token is 0 (main's turn) or 1 (the partner's). */
static int token;

static void *pong(void *arg)
{
	long i;

	for (i = 0; i < pingpongs; i++) {
		while (__atomic_load_n(&token, __ATOMIC_ACQUIRE) != 1)
			syscall(SYS_futex, &token, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
		__atomic_store_n(&token, 0, __ATOMIC_RELEASE);
		syscall(SYS_futex, &token, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	}
	return arg;
}

static void do_pingpong(void)
{
	pthread_t t;
	long i;

	pthread_create(&t, NULL, pong, NULL);
	for (i = 0; i < pingpongs; i++) {
		__atomic_store_n(&token, 1, __ATOMIC_RELEASE);
		syscall(SYS_futex, &token, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		while (__atomic_load_n(&token, __ATOMIC_ACQUIRE) != 0)
			syscall(SYS_futex, &token, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0);
	}
	pthread_join(t, NULL);
}

static void *spinner(void *arg)
{
	double end = now_ns() + pinned_spin_s * 1e9;
	volatile unsigned long x = 0;

	while (now_ns() < end)
		x++;
	return arg;
}

/* Two CPU-bound threads on one CPU: the scheduler must preempt them. */
static void do_pinned_spin(void)
{
	pthread_t t[2];
	cpu_set_t set;
	int i;

	CPU_ZERO(&set);
	CPU_SET(0, &set);
	sched_setaffinity(0, sizeof(set), &set);	/* inherited by both threads */
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, spinner, NULL);
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
}

static void do_touch_pages(void)
{
	long page = sysconf(_SC_PAGESIZE), i;
	char *p = (char *)syscall(SYS_mmap, NULL, touch_pages * page, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	for (i = 0; i < touch_pages; i++)
		p[i * page] = 1;	/* one minor fault per page */
}

static void do_fork_exec(void)
{
	long k;

	for (k = 0; k < fork_execs; k++) {
		pid_t p = fork();

		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(p, NULL, 0);
	}
}

static void do_device_calls(void)
{
	int sock = -1, zfd = -1, avail;
	struct termios tio;
	long k;

	/* /dev/zero, not /dev/null: some sandboxes make /dev/null a plain file. */
	if (dev_ioctls || dev_mmaps)
		zfd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/zero", O_RDONLY);
	for (k = 0; k < dev_ioctls; k++)
		syscall(SYS_ioctl, zfd, TCGETS, &tio);
	if (sock_ioctls)
		sock = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM, 0);
	for (k = 0; k < sock_ioctls; k++)
		syscall(SYS_ioctl, sock, FIONREAD, &avail);
	for (k = 0; k < dev_mmaps; k++) {
		void *p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ, MAP_PRIVATE, zfd, 0);

		syscall(SYS_munmap, p, 4096);
	}
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);	/* vDSO: no syscall */
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void do_sleeps(void)
{
	struct timespec req = { sleep_us / 1000000, (sleep_us % 1000000) * 1000 };
	double *lat = calloc(sleeps ?: 1, sizeof(double)), t;
	FILE *f;
	long i;

	for (i = 0; i < sleeps; i++) {
		t = now_ns();
		syscall(SYS_nanosleep, &req, NULL);
		lat[i] = now_ns() - t;
	}
	if (latency_file && (f = fopen(latency_file, "w"))) {
		for (i = 0; i < sleeps; i++)
			fprintf(f, "%.0f\n", lat[i]);
		fclose(f);
	}
	free(lat);
}

static long arg_long(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*end || v < 0) {
		fprintf(stderr, "workload: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

/* "a\\xffb" -> bytes, for names no shell argument can carry. */
static void unescape(const char *in, char *out, size_t len)
{
	size_t o = 0;
	unsigned int b;

	while (*in && o + 1 < len) {
		if (in[0] == '\\' && in[1] == 'x' && sscanf(in + 2, "%2x", &b) == 1) {
			out[o++] = (char)b;
			in += 4;
		} else {
			out[o++] = *in++;
		}
	}
	out[o] = '\0';
}

static void do_int80(long n)
{
#ifdef __x86_64__
	long i, r;

	for (i = 0; i < n; i++)
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L /* i386 getpid */) : "memory");
	(void)r;
#else
	(void)n;
#endif
}

/* A ring of 128 entries, 100 writes per submission. */
static int do_uring_writes(long n)
{
	struct io_uring_params p = { 0 };
	unsigned int *sq_tail, *sq_array, *cq_head, *cq_tail, mask;
	struct io_uring_sqe *sqes;
	char c = 'x', *sq, *cq;
	long done = 0, i, batch;
	int fd;

	fd = (int)syscall(__NR_io_uring_setup, 128, &p);
	if (fd < 0)
		return -1;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return -1;
	sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	sq_array = (unsigned int *)(sq + p.sq_off.array);
	mask = *(unsigned int *)(sq + p.sq_off.ring_mask);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	while (done < n) {
		batch = n - done < 100 ? n - done : 100;
		for (i = 0; i < batch; i++) {
			unsigned int t = *sq_tail, idx = t & mask;

			memset(&sqes[idx], 0, sizeof(sqes[idx]));
			sqes[idx].opcode = IORING_OP_WRITE;
			sqes[idx].fd = null_fd;
			sqes[idx].addr = (unsigned long)&c;
			sqes[idx].len = 1;
			sq_array[idx] = idx;
			__atomic_store_n(sq_tail, t + 1, __ATOMIC_RELEASE);
		}
		if (syscall(__NR_io_uring_enter, fd, (unsigned int)batch, (unsigned int)batch,
			    IORING_ENTER_GETEVENTS, NULL, 0) < 0)
			return -1;
		__atomic_store_n(cq_head, __atomic_load_n(cq_tail, __ATOMIC_ACQUIRE), __ATOMIC_RELEASE);
		done += batch;
	}
	return 0;
}

static volatile int spinning, stop_spin;

static void on_usr1(int sig)
{
	(void)sig;
}

static void *spin_then_sleep(void *arg)
{
	struct timespec ts = { 0, 100000000 };

	(void)arg;
	spinning = 1;
	while (!stop_spin)
		;
	syscall(SYS_nanosleep, &ts, NULL);
	return NULL;
}

/* The signal's wake-up finds the thread on its CPU; it then blocks in a
 * sleep: the sleep is off-CPU time, not run-queue wait. */
static void do_woken_running(long n)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	pthread_t t;
	long i;

	sigaction(SIGUSR1, &sa, NULL);
	for (i = 0; i < n; i++) {
		spinning = stop_spin = 0;
		pthread_create(&t, NULL, spin_then_sleep, NULL);
		while (!spinning)
			;
		pthread_kill(t, SIGUSR1);
		usleep(5000);
		stop_spin = 1;
		pthread_join(t, NULL);
	}
}

static const char *objects_dir;

/* The server side: accept one connection and read until it closes. */
static void *drain_one(void *arg)
{
	int lfd = *(int *)arg, c = accept(lfd, NULL, NULL);
	char buf[64];

	while (c >= 0 && read(c, buf, sizeof(buf)) > 0)
		;
	if (c >= 0)
		close(c);
	return NULL;
}

/* connect, 100 one-byte writes, close: 102 calls on the client socket. */
static void talk(int lfd, int fd, const struct sockaddr *to, socklen_t len)
{
	pthread_t server;
	int i;

	pthread_create(&server, NULL, drain_one, &lfd);
	if (connect(fd, to, len) == 0)
		for (i = 0; i < 100; i++)
			if (write(fd, "x", 1) != 1)
				break;
	close(fd);
	pthread_join(server, NULL);
	close(lfd);
}

static void do_objects(const char *dir)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	struct sockaddr_in in = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(in);
	char path[512];
	int fd, lfd, i, p[2];
	pid_t child;

	snprintf(path, sizeof(path), "%s/a.tmp", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	for (i = 0; fd >= 0 && i < 300; i++)
		if (write(fd, "0123456789", 10) != 10)
			break;
	unlink(path);
	close(fd);

	snprintf(un.sun_path, sizeof(un.sun_path), "%s/u.sock", dir);
	unlink(un.sun_path);
	lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (bind(lfd, (struct sockaddr *)&un, sizeof(un)) || listen(lfd, 1))
		return;
	talk(lfd, socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), (struct sockaddr *)&un, sizeof(un));
	unlink(un.sun_path);

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (bind(lfd, (struct sockaddr *)&in, sizeof(in)) || listen(lfd, 1) ||
	    getsockname(lfd, (struct sockaddr *)&in, &len))
		return;
	printf("%u\n", ntohs(in.sin_port));
	fflush(stdout);
	talk(lfd, socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), (struct sockaddr *)&in, sizeof(in));

	if (pipe(p))
		return;
	child = fork();
	if (child == 0) {
		for (i = 0; i < 5; i++)
			if (write(p[1], "y", 1) != 1)
				break;
		_exit(0);
	}
	close(p[1]);
	while (read(p[0], path, sizeof(path)) > 0)
		;
	waitpid(child, NULL, 0);
	close(p[0]);
}

static int spinners;

static void *spin_getppid(void *arg)
{
	__atomic_fetch_add(&spinners, 1, __ATOMIC_RELAXED);
	for (;;)
		syscall(SYS_getppid);
	return arg;
}

/* Odd children wait until their threads all run (they die mid-call),
 * even ones exit at once (their threads die before they ever ran). */
static void do_group_exits(long n)
{
	pthread_t t;
	long i;
	int k;

	for (i = 0; i < n; i++) {
		pid_t p = fork();

		if (p == 0) {
			for (k = 0; k < 16; k++)
				pthread_create(&t, NULL, spin_getppid, NULL);
			while ((i & 1) && __atomic_load_n(&spinners, __ATOMIC_RELAXED) < 16)
				sched_yield();
			syscall(SYS_exit_group, 0);
		}
		waitpid(p, NULL, 0);
	}
}

static void *pipe_reader(void *arg)
{
	char c;
	long i;

	(void)arg;
	for (i = 0; i < sleep_pipes; i++)
		syscall(SYS_read, sleep_pipe_fds[0], &c, 1);
	return NULL;
}

static void do_sleep_pipe(long n)
{
	struct timespec five = { 0, 5000000 };
	pthread_t reader;
	long i;

	if (!n || syscall(SYS_pipe2, sleep_pipe_fds, O_CLOEXEC) ||
	    pthread_create(&reader, NULL, pipe_reader, NULL))
		return;
	for (i = 0; i < 2 * n; i++) {
		syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &five, NULL);
		if (i % 2)
			syscall(SYS_write, sleep_pipe_fds[1], "x", 1);
	}
	pthread_join(reader, NULL);
}

int main(int argc, char **argv)
{
	pthread_t tids[256];
	int i, futex_word = 0;
	long k;

	for (i = 1; i + 1 < argc; i += 2) {
		const char *o = argv[i], *v = argv[i + 1];

		if (!strcmp(o, "--writes")) writes = arg_long(v);
		else if (!strcmp(o, "--reads")) reads = arg_long(v);
		else if (!strcmp(o, "--futex-wakes")) wakes = arg_long(v);
		else if (!strcmp(o, "--failed-opens")) fopens = arg_long(v);
		else if (!strcmp(o, "--mmaps")) mmaps = arg_long(v);
		else if (!strcmp(o, "--threads")) threads = arg_long(v);
		else if (!strcmp(o, "--children")) children = arg_long(v);
		else if (!strcmp(o, "--per-task")) per_task = arg_long(v);
		else if (!strcmp(o, "--getppid")) getppids = arg_long(v);
		else if (!strcmp(o, "--spin")) spin_s = atof(v);
		else if (!strcmp(o, "--pingpong")) pingpongs = arg_long(v);
		else if (!strcmp(o, "--pinned-spin")) pinned_spin_s = atof(v);
		else if (!strcmp(o, "--touch-pages")) touch_pages = arg_long(v);
		else if (!strcmp(o, "--fork-exec")) fork_execs = arg_long(v);
		else if (!strcmp(o, "--dev-ioctls")) dev_ioctls = arg_long(v);
		else if (!strcmp(o, "--sock-ioctls")) sock_ioctls = arg_long(v);
		else if (!strcmp(o, "--dev-mmaps")) dev_mmaps = arg_long(v);
		else if (!strcmp(o, "--phases")) {
			if (sscanf(v, "%ld:%ld", &phase_a, &phase_b) != 2) {
				fprintf(stderr, "workload: --phases N:M\n");
				return 2;
			}
		}
		else if (!strcmp(o, "--latency-file")) latency_file = v;
		else if (!strcmp(o, "--name")) unescape(v, name, sizeof(name));
		else if (!strcmp(o, "--int80")) int80s = arg_long(v);
		else if (!strcmp(o, "--uring-writes")) uring_writes = arg_long(v);
		else if (!strcmp(o, "--woken-running")) woken_running = arg_long(v);
		else if (!strcmp(o, "--sleep-pipe")) sleep_pipes = arg_long(v);
		else if (!strcmp(o, "--group-exits")) group_exits = arg_long(v);
		else if (!strcmp(o, "--objects")) objects_dir = v;
		else if (!strcmp(o, "--sleeps")) {
			if (sscanf(v, "%ld:%ld", &sleeps, &sleep_us) != 2) {
				fprintf(stderr, "workload: --sleeps N:USEC\n");
				return 2;
			}
		} else {
			fprintf(stderr, "workload: unknown option %s\n", o);
			return 2;
		}
	}
	if (threads > 256)
		threads = 256;
	if (name[0])
		syscall(SYS_prctl, PR_SET_NAME, name, 0, 0, 0);
	null_fd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/null", O_WRONLY);
	do_int80(int80s);
	do_woken_running(woken_running);
	do_sleep_pipe(sleep_pipes);
	if (objects_dir)
		do_objects(objects_dir);
	if (uring_writes && do_uring_writes(uring_writes)) {
		fprintf(stderr, "workload: io_uring: %s\n", strerror(errno));
		return 3;
	}
	if (spin_s > 0) {
		double end = now_ns() + spin_s * 1e9;

		while (now_ns() < end)
			for (k = 0; k < 1000; k++)
				syscall(SYS_getppid);
		return 0;
	}
	do_writes(writes);
	if (reads) {
		int zfd = (int)syscall(SYS_openat, AT_FDCWD, "/dev/zero", O_RDONLY);
		char c;

		for (k = 0; k < reads; k++)
			syscall(SYS_read, zfd, &c, 1);
		syscall(SYS_close, zfd);
	}
	for (k = 0; k < wakes; k++)
		syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	for (k = 0; k < fopens; k++)
		syscall(SYS_openat, AT_FDCWD, "/nonexistent/osiprof-test", O_RDONLY);
	for (k = 0; k < mmaps; k++) {
		void *p = (void *)syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_WRITE,
					  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		syscall(SYS_munmap, p, 4096);
	}
	for (k = 0; k < getppids; k++)
		syscall(SYS_getppid);
	do_sleeps();
	if (pingpongs)
		do_pingpong();
	if (pinned_spin_s > 0)
		do_pinned_spin();
	if (touch_pages)
		do_touch_pages();
	do_fork_exec();
	do_group_exits(group_exits);
	do_device_calls();
	if (phase_a >= 0) {
		OSIPROF_PHASE("A");
		do_writes(phase_a);
		OSIPROF_PHASE("B");
		for (k = 0; k < phase_b; k++)
			syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
		OSIPROF_PHASE("end");
	}
	for (k = 0; k < threads; k++)
		pthread_create(&tids[k], NULL, thread_main, NULL);
	for (k = 0; k < threads; k++)
		pthread_join(tids[k], NULL);
	if (children) {
		/* Under a tracer SIGCHLD is not ignored, and one arriving while
		 * the next fork runs makes the kernel restart it (an extra,
		 * failed clone): blocked, every run makes the same calls. */
		sigset_t chld;

		sigemptyset(&chld);
		sigaddset(&chld, SIGCHLD);
		sigprocmask(SIG_BLOCK, &chld, NULL);
	}
	for (k = 0; k < children; k++) {
		pid_t p = fork();

		if (p == 0) {
			do_writes(per_task);
			_exit(0);
		}
	}
	for (k = 0; k < children; k++)
		wait(NULL);
	return 0;
}
