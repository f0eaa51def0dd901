// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include "osiprof.h"
#include "model/syscalls.h"

struct syscall_entry {
	int nr;
	const char *name;
};

/* Generated at build time from <sys/syscall.h>: never typed by hand. */
static const struct syscall_entry syscall_table[] = {
#include "syscall_table.h"
};

/* The i386 numbering (from <asm/unistd_32.h>), for 32-bit calls. */
static const struct syscall_entry i386_table[] = {
#include "syscall_table_i386.h"
	{ -1, NULL }
};

static const char *names[OSP_NR_SLOTS];

static void init_names(void)
{
	size_t i;

	if (names[0] || names[OSP_SLOT_GPU_IOCTL])
		return;
	for (i = 0; i < sizeof(syscall_table) / sizeof(syscall_table[0]); i++)
		if (syscall_table[i].nr >= 0 && syscall_table[i].nr < OSP_MAX_SYSCALL_NR)
			names[syscall_table[i].nr] = syscall_table[i].name;
	/* Split-off calls keep the syscall's own name; their category differs. */
	names[OSP_SLOT_GPU_IOCTL] = "ioctl";
	names[OSP_SLOT_GPU_MMAP] = "mmap";
	names[OSP_SLOT_COMPAT] = "[i386]";
}

/* The calls whose successful return value is the number of bytes moved.
 * recvmmsg/sendmmsg return a message count, so they are not among them. */
static const char *const data_moving[] = {
	"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "preadv2",
	"pwritev", "pwritev2", "recvfrom", "sendto", "recvmsg", "sendmsg", "sendfile",
	"splice", "tee", "copy_file_range", "vmsplice",
};

/* Whether a slot's syscall is one of list[0..n). */
static bool slot_in(unsigned int slot, const char *const *list, size_t n)
{
	const char *name = slot < OSP_MAX_SYSCALL_NR ? slot_name(slot) : NULL;
	size_t i;

	for (i = 0; name && i < n; i++)
		if (!strcmp(name, list[i]))
			return true;
	return false;
}

bool syscall_moves_bytes(unsigned int slot)
{
	return slot_in(slot, data_moving, sizeof(data_moving) / sizeof(data_moving[0]));
}

/* Calls whose first argument is a file descriptor (the timeline names it). */
static const char *const fd_first[] = {
	"read", "write", "pread64", "pwrite64", "readv", "writev", "preadv", "preadv2", "pwritev",
	"pwritev2", "close", "fstat", "lseek", "ioctl", "fcntl", "flock", "fsync", "fdatasync",
	"ftruncate", "getdents64", "fchmod", "fchown", "sendto", "recvfrom", "sendmsg", "recvmsg",
	"sendmmsg", "recvmmsg", "shutdown", "bind", "connect", "listen", "accept", "accept4",
	"getsockopt", "setsockopt", "getsockname", "getpeername", "epoll_wait", "epoll_pwait",
	"epoll_pwait2", "epoll_ctl", "sendfile", "splice", "tee", "copy_file_range", "vmsplice",
	"fadvise64", "fallocate", "sync_file_range", "syncfs", "fstatfs", "fgetxattr", "fsetxattr",
};

bool syscall_takes_fd(unsigned int slot)
{
	return slot_in(slot, fd_first, sizeof(fd_first) / sizeof(fd_first[0]));
}

const char *i386_syscall_name(unsigned int nr)
{
	size_t i;

	for (i = 0; i386_table[i].name; i++)
		if (i386_table[i].nr == (int)nr)
			return i386_table[i].name;
	return NULL;
}

const char *slot_name(unsigned int slot)
{
	init_names();
	return slot < OSP_NR_SLOTS ? names[slot] : NULL;
}

const char *slot_name_or_nr(unsigned int slot, char *buf, unsigned long len)
{
	const char *n = slot_name(slot);

	if (n)
		return n;
	snprintf(buf, len, "syscall_%u", slot);
	return buf;
}

int syscall_nr(const char *name)
{
	unsigned int i;

	init_names();
	for (i = 0; i < OSP_MAX_SYSCALL_NR; i++)
		if (names[i] && !strcmp(names[i], name))
			return (int)i;
	return -1;
}
