// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * osiprof's bundled example: a program with a memory footprint and an
 * iteration count, shaped like the offload benchmarks in osiprof's seed
 * experiments. A host thread hands each iteration's work over the whole
 * buffer to a worker thread and waits for it (sync), maps and touches its
 * buffer (memory), reads its input and writes checkpoints (file_io), and naps
 * now and then (sleep).
 *
 *   footprint [--bytes N] [--iterations N] [--checkpoint-every N]
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

struct shared {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	const uint8_t *buf;
	size_t bytes;
	long pending;		/* iterations handed over, not yet done */
	int quit;
	uint64_t sum;
};

static void *worker(void *arg)
{
	struct shared *s = arg;
	uint64_t sum;
	size_t i;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->pending && !s->quit)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->quit)
			break;
		pthread_mutex_unlock(&s->lock);
		for (i = 0, sum = 0; i < s->bytes; i += 64)
			sum += s->buf[i];
		pthread_mutex_lock(&s->lock);
		s->sum += sum;
		s->pending--;
		pthread_cond_broadcast(&s->cond);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

static long opt_long(const char *v, const char *name)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n <= 0) {
		fprintf(stderr, "footprint: %s must be a positive integer\n", name);
		exit(2);
	}
	return n;
}

int main(int argc, char **argv)
{
	struct shared s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER };
	long iterations = 1000, every = 100, it;
	struct timespec nap = { 0, 1000000 };
	char path[] = "/tmp/footprint-checkpoint.XXXXXX", line[128];
	size_t bytes = 1000000;
	pthread_t tid;
	uint8_t *buf;
	int i, fd, in;

	for (i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--bytes"))
			bytes = (size_t)opt_long(argv[i + 1], "--bytes");
		else if (!strcmp(argv[i], "--iterations"))
			iterations = opt_long(argv[i + 1], "--iterations");
		else if (!strcmp(argv[i], "--checkpoint-every"))
			every = opt_long(argv[i + 1], "--checkpoint-every");
		else {
			fprintf(stderr, "usage: footprint [--bytes N] [--iterations N] [--checkpoint-every N]\n");
			return 2;
		}
	}
	/* Input: seed the buffer from the kernel's random pool. */
	buf = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	in = open("/dev/urandom", O_RDONLY);
	if (buf == MAP_FAILED || in < 0 || read(in, buf, bytes < 4096 ? bytes : 4096) < 0) {
		perror("footprint: setup");
		return 1;
	}
	close(in);
	memset(buf + 4096 * (bytes > 4096), 7, bytes > 4096 ? bytes - 4096 : 0);
	fd = mkstemp(path);
	if (fd < 0) {
		perror("footprint: checkpoint file");
		return 1;
	}
	unlink(path);
	s.buf = buf;
	s.bytes = bytes;
	pthread_create(&tid, NULL, worker, &s);

	for (it = 1; it <= iterations; it++) {
		pthread_mutex_lock(&s.lock);
		s.pending++;
		pthread_cond_broadcast(&s.cond);
		while (s.pending)		/* the host waits for the "device" */
			pthread_cond_wait(&s.cond, &s.lock);
		pthread_mutex_unlock(&s.lock);
		if (it % every == 0) {
			int n = snprintf(line, sizeof(line), "%ld %llu\n", it, (unsigned long long)s.sum);

			if (write(fd, line, n) != n || fsync(fd))
				perror("footprint: checkpoint");
			nanosleep(&nap, NULL);
		}
	}
	pthread_mutex_lock(&s.lock);
	s.quit = 1;
	pthread_cond_broadcast(&s.cond);
	pthread_mutex_unlock(&s.lock);
	pthread_join(tid, NULL);
	close(fd);
	munmap(buf, bytes);
	return 0;
}
