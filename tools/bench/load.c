// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Benchmark workloads. Each runs ITERS iterations on each of THREADS threads
 * and prints one line: "<ns per iteration> <syscalls per iteration>", the time
 * being the slowest thread's loop (after a short warm-up), so a tracer's cost
 * per syscall is (traced - untraced) / syscalls per iteration.
 *
 *   bench-load WORKLOAD ITERS THREADS
 *   getppid     one getppid(2): the cheapest syscall
 *   futex-wake  FUTEX_WAKE with no waiters
 *   rw          1-byte read from /dev/zero + 1-byte write to /dev/null
 *   pingpong    two threads hand a token back and forth through futexes:
 *               per iteration 2 waits + 2 wakes and 2 context switches
 *   forkexec    fork + exec /bin/true + wait
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long iters;
static const char *workload;
static pthread_barrier_t start_barrier;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void futex_wait(atomic_int *w, int val)
{
	syscall(SYS_futex, w, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(atomic_int *w)
{
	syscall(SYS_futex, w, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

/* Ping-pong: the token is 0 (ping's turn) or 1 (pong's turn). */
struct pingpong {
	atomic_int token;
	long n;
};

static void *pong(void *arg)
{
	struct pingpong *p = arg;
	long i;

	for (i = 0; i < p->n; i++) {
		while (atomic_load(&p->token) != 1)
			futex_wait(&p->token, 0);
		atomic_store(&p->token, 0);
		futex_wake(&p->token);
	}
	return NULL;
}

static void run_pingpong(long n)
{
	struct pingpong p = { 0, n };
	pthread_t t;
	long i;

	pthread_create(&t, NULL, pong, &p);
	for (i = 0; i < n; i++) {
		atomic_store(&p.token, 1);
		futex_wake(&p.token);
		while (atomic_load(&p.token) != 0)
			futex_wait(&p.token, 1);
	}
	pthread_join(t, NULL);
}

static void run(long n, int zfd, int nfd)
{
	int word = 0;
	char c;
	long i;

	if (!strcmp(workload, "getppid")) {
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
	} else if (!strcmp(workload, "futex-wake")) {
		for (i = 0; i < n; i++)
			syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
	} else if (!strcmp(workload, "rw")) {
		for (i = 0; i < n; i++) {
			syscall(SYS_read, zfd, &c, 1);
			syscall(SYS_write, nfd, &c, 1);
		}
	} else if (!strcmp(workload, "pingpong")) {
		run_pingpong(n);
	} else if (!strcmp(workload, "forkexec")) {
		for (i = 0; i < n; i++) {
			pid_t p = fork();

			if (p == 0) {
				execl("/bin/true", "true", (char *)NULL);
				_exit(127);
			}
			waitpid(p, NULL, 0);
		}
	}
}

static void *thread_main(void *arg)
{
	double *elapsed = arg, t;
	int zfd = open("/dev/zero", O_RDONLY), nfd = open("/dev/null", O_WRONLY);

	run(iters / 20 + 1, zfd, nfd);	/* warm caches and the tracer's state */
	pthread_barrier_wait(&start_barrier);
	t = now();
	run(iters, zfd, nfd);
	*elapsed = now() - t;
	close(zfd);
	close(nfd);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct { const char *name; double syscalls; } known[] = {
		{ "getppid", 1 }, { "futex-wake", 1 }, { "rw", 2 }, { "pingpong", 4 }, { "forkexec", 0 },
	};
	double elapsed[512], worst = 0, per_iter = -1;
	pthread_t tids[512];
	int threads, i;

	if (argc != 4) {
		fprintf(stderr, "usage: bench-load getppid|futex-wake|rw|pingpong|forkexec ITERS THREADS\n");
		return 2;
	}
	workload = argv[1];
	iters = atol(argv[2]);
	threads = atoi(argv[3]);
	for (i = 0; i < (int)(sizeof(known) / sizeof(known[0])); i++)
		if (!strcmp(workload, known[i].name))
			per_iter = known[i].syscalls;
	if (per_iter < 0 || iters <= 0 || threads <= 0 || threads > 512) {
		fprintf(stderr, "bench-load: bad arguments\n");
		return 2;
	}
	pthread_barrier_init(&start_barrier, NULL, threads);
	for (i = 0; i < threads; i++)
		pthread_create(&tids[i], NULL, thread_main, &elapsed[i]);
	for (i = 0; i < threads; i++) {
		pthread_join(tids[i], NULL);
		if (elapsed[i] > worst)
			worst = elapsed[i];
	}
	printf("%.2f %.0f\n", worst / iters, per_iter);
	return 0;
}
