// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * The --stacks test program: built -O2 -fomit-frame-pointer and linked
 * against the system's shared C library (no frame pointers there either),
 * so only CFI unwinding finds the callers. Each mode makes an exact number
 * of calls from one noinline function:
 *   write_loop()  1000 write(2) of one byte to a pipe
 *   sleep_loop()  20 nanosleep(3) of 5 ms (clock_nanosleep(2) in glibc)
 *   lock_wait()   5 blocking pthread_mutex_lock on a mutex main holds (futex)
 *   child_work()  in a forked child that lives about 10 ms: 3 nanosleeps
 *   jit_call()    --jit: 10 getpid(2) from code it maps itself, named in
 *                 /tmp/perf-PID.map as jit_getpid
 *   --brief       only 3 sleeps of 1 ms in sleep_loop, then exit: a process
 *                 that lives a few milliseconds from its exec
 * It prints nothing; its exit status is 0 when every call succeeded.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WRITES	1000
#define SLEEPS	20
#define LOCKS	5

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static sem_t ready, done;

__attribute__((noinline)) static int write_loop(int fd)
{
	int i, bad = 0;

	for (i = 0; i < WRITES; i++)
		bad += write(fd, "x", 1) != 1;
	return bad;
}

__attribute__((noinline)) static int sleep_loop(int n, long ns)
{
	struct timespec ts = { 0, ns };
	int i, bad = 0;

	for (i = 0; i < n; i++)
		bad += nanosleep(&ts, NULL) != 0;
	return bad;
}

__attribute__((noinline)) static int lock_wait(void)
{
	int bad = pthread_mutex_lock(&lock) != 0;

	bad += pthread_mutex_unlock(&lock) != 0;
	return bad;
}

static void *locker(void *arg __attribute__((unused)))
{
	long bad = 0;
	int i;

	for (i = 0; i < LOCKS; i++) {
		sem_wait(&ready);
		bad += lock_wait();
		sem_post(&done);
	}
	return (void *)bad;
}

/* main holds the mutex while the thread blocks on it, then lets go. */
__attribute__((noinline)) static int contend(void)
{
	struct timespec hold = { 0, 20 * 1000 * 1000 };
	pthread_t t;
	void *bad;
	int i;

	sem_init(&ready, 0, 0);
	sem_init(&done, 0, 0);
	if (pthread_create(&t, NULL, locker, NULL))
		return 1;
	for (i = 0; i < LOCKS; i++) {
		pthread_mutex_lock(&lock);
		sem_post(&ready);
		clock_nanosleep(CLOCK_MONOTONIC, 0, &hold, NULL);
		pthread_mutex_unlock(&lock);
		sem_wait(&done);
	}
	pthread_join(t, &bad);
	return bad != NULL;
}

__attribute__((noinline)) static int child_work(void)
{
	int bad = sleep_loop(3, 2 * 1000 * 1000);

	__asm__ volatile("" ::: "memory");	/* not a tail call: child_work stays on the stack */
	return bad;
}

static int short_child(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(child_work());
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return 1;
	return !WIFEXITED(status) || WEXITSTATUS(status);
}

/* mov eax, 39 (getpid); syscall; ret */
static const unsigned char jit_code[] = { 0xb8, 0x27, 0, 0, 0, 0x0f, 0x05, 0xc3 };

__attribute__((noinline)) static int jit_call(void)
{
	char path[64];
	FILE *map;
	int (*fn)(void), i, bad = 0;
	void *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	if (code == MAP_FAILED)
		return 1;
	memcpy(code, jit_code, sizeof(jit_code));
	snprintf(path, sizeof(path), "/tmp/perf-%d.map", getpid());
	map = fopen(path, "w");
	if (!map)
		return 1;
	fprintf(map, "%lx %zx jit_getpid\n", (unsigned long)code, sizeof(jit_code));
	fclose(map);
	fn = (int (*)(void))code;
	for (i = 0; i < 10; i++)
		bad += fn() != getpid();
	return bad;
}

int main(int argc, char **argv)
{
	int fds[2], bad = 0;

	if (argc > 1 && !strcmp(argv[1], "--jit"))
		return jit_call();
	if (argc > 1 && !strcmp(argv[1], "--brief")) {
		bad = sleep_loop(3, 1000 * 1000);
		__asm__ volatile("" ::: "memory");	/* not a tail call: main stays below */
		return bad;
	}
	if (pipe(fds))	/* WRITES bytes fit in the pipe: nobody needs to read them */
		return 1;
	bad += write_loop(fds[1]);
	close(fds[0]);
	close(fds[1]);
	bad += sleep_loop(SLEEPS, 5 * 1000 * 1000);
	bad += contend();
	bad += short_child();
	return bad != 0;
}
