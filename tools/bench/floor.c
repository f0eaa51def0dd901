// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Attaches the empty floor programs (or, with --clock, the two-clock-read
 * ones; with --storage, those plus a task-storage lookup at entry and exit),
 * prints "ready", and holds them until SIGINT/SIGTERM.
 * Usage: bench-floor [--raw-tp | --clock | --storage] */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "floor.skel.h"

int main(int argc, char **argv)
{
	int raw = argc > 1 && !strcmp(argv[1], "--raw-tp");
	int clock = argc > 1 && !strcmp(argv[1], "--clock");
	int storage = argc > 1 && !strcmp(argv[1], "--storage");
	struct floor_bpf *skel;
	sigset_t set;
	int sig, err;

	skel = floor_bpf__open();
	if (!skel)
		return 1;
	bpf_program__set_autoload(skel->progs.floor_enter_btf, !raw && !clock && !storage);
	bpf_program__set_autoload(skel->progs.floor_exit_btf, !raw && !clock && !storage);
	bpf_program__set_autoload(skel->progs.storage_enter_btf, storage);
	bpf_program__set_autoload(skel->progs.storage_exit_btf, storage);
	bpf_program__set_autoload(skel->progs.clock_enter_btf, clock);
	bpf_program__set_autoload(skel->progs.clock_exit_btf, clock);
	bpf_program__set_autoload(skel->progs.floor_enter_raw, raw);
	bpf_program__set_autoload(skel->progs.floor_exit_raw, raw);
	err = floor_bpf__load(skel);
	if (!err)
		err = floor_bpf__attach(skel);
	if (err) {
		fprintf(stderr, "bench-floor: %s\n", strerror(-err));
		floor_bpf__destroy(skel);
		return 1;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	printf("ready\n");
	fflush(stdout);
	sigwait(&set, &sig);
	floor_bpf__destroy(skel);
	return 0;
}
