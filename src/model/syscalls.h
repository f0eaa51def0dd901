/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Names of syscall slots: real syscall numbers from the build host's headers,
 * plus osiprof's pseudo slots (see include/osiprof.h). */
#ifndef OSP_SYSCALLS_H
#define OSP_SYSCALLS_H

#include <stdbool.h>

/* Name of a slot, or NULL for a number the headers do not know. */
const char *slot_name(unsigned int slot);
/* Same, but never NULL: unknown numbers are named "syscall_NNN". */
const char *slot_name_or_nr(unsigned int slot, char *buf, unsigned long len);
/* Slot of a syscall name, or -1. */
int syscall_nr(const char *name);
/* Whether a slot's successful return value is bytes moved (read, write...). */
bool syscall_moves_bytes(unsigned int slot);
/* Whether a slot's first argument is a file descriptor (read, ioctl...). */
bool syscall_takes_fd(unsigned int slot);
/* The name of an i386 (32-bit x86) syscall number, or NULL. */
const char *i386_syscall_name(unsigned int nr);

#endif
