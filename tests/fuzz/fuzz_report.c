// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* libFuzzer target: the saved-report reader, end to end. The input is a
 * file given to `osiprof report` in every mode (per KB and per iteration,
 * each --by breakdown, --diff against itself, every format), through the
 * same command code users run; it must refuse or print, never crash. */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "cmd/commands.h"
#include "base/log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	char *modes[][8] = {
		{ "report", path },
		{ "report", "--per", "iteration", "--format", "json", path },
		{ "report", "--format", "csv", path, path },
		{ "report", "--by", "syscall", path },
		{ "report", "--by", "process", "--format", "csv", path },
		{ "report", "--by", "phase", "--format", "json", path },
		{ "report", "--by", "cgroup", "--format", "csv", path },
		{ "report", "--by", "object", path },
		{ "report", "--diff", path, path },
	};
	size_t m;

	if (fd < 0) {
		log_silence();
		if (!freopen("/dev/null", "w", stdout))
			return 0;
		fd = memfd_create("report.json", MFD_CLOEXEC);
		if (fd < 0)
			return 0;
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		return 0;
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		char *argv[8];
		int argc = 0;

		while (argc < 8 && modes[m][argc]) {
			argv[argc] = modes[m][argc];
			argc++;
		}
		cmd_report(argc, argv, NULL);
	}
	return 0;
}
