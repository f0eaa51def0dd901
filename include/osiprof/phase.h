/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Phase markers for programs profiled by osiprof.
 *
 *   #include <osiprof/phase.h>
 *   OSIPROF_PHASE("setup");  ...  OSIPROF_PHASE("compute");  ...  OSIPROF_PHASE("teardown");
 *
 * Each mark is a USDT probe (provider "osiprof", name "phase", one argument:
 * the phase's name, a string of at most 31 characters). When nobody traces
 * it, a mark is a single nop instruction plus an ELF note: free. With
 * `osiprof record --phases`, every figure is also broken down by the phase the
 * process was in when the syscall returned; `--window BEGIN,END` counts only
 * between the marks BEGIN and END. Needs <sys/sdt.h> (Debian:
 * systemtap-sdt-dev) when building the program, nothing at run time.
 */
#ifndef OSIPROF_PHASE_H
#define OSIPROF_PHASE_H

#include <sys/sdt.h>

#define OSIPROF_PHASE(name) DTRACE_PROBE1(osiprof, phase, (const char *)(name))

#endif
