// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <elfutils/libdwfl.h>
#include "collect/proc_maps.h"
#include "collect/symbols.h"
#include "collect/unwind.h"

struct jit_sym {
	uint64_t start, end;
	char *name;
};

/* One process's address space as osiprof knows it. */
struct space {
	uint32_t pid;
	struct proc_maps maps;		/* from /proc/PID/maps and mapping events */
	char *text;			/* the maps as libdwfl reads them, for dwfl */
	size_t text_len;
	Dwfl *dwfl;			/* built from maps on demand, closed when they change */
	struct jit_sym *jit;		/* /tmp/perf-PID.map, sorted */
	size_t njit;
	off_t jit_size;			/* of the map file when read; -1: none */
	uint64_t used;			/* the unwinder's clock at its last use */
};

struct unwinder {
	struct space v[UNWIND_MAX_PROCS];
	struct symbols *symbols;	/* names, by file */
	size_t n, ndwfl;
	uint64_t clock;
	/* The call being unwound, for the callbacks. */
	const uint64_t *regs;
	const uint8_t *stack;
	uint64_t sp;
	uint32_t len;
	pid_t tid;
};

static char *debuginfo_path;
static const Dwfl_Callbacks dwfl_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &debuginfo_path,
};

/* struct pt_regs on x86_64, in u64 words, and the DWARF register numbers
 * (rax rdx rcx rbx rsi rdi rbp rsp r8..r15 rip) libdwfl takes. */
#if defined(__x86_64__)
enum { R15, R14, R13, R12, RBP, RBX, R11, R10, R9, R8, RAX, RCX, RDX, RSI, RDI, ORIG_RAX, RIP, CS,
       EFLAGS, RSP, SS };
static const int dwarf_of_pt_regs[17] = { RAX, RDX, RCX, RBX, RSI, RDI, RBP, RSP, R8, R9, R10, R11,
					  R12, R13, R14, R15, RIP };
#define REG_IP	RIP
#define REG_SP	RSP
#define NR_DWARF_REGS	17
#else
#error "DWARF unwinding of struct pt_regs is written for x86_64 only"
#endif

static pid_t next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
	struct unwinder *u = arg;

	if (*thread_argp)
		return 0;
	*thread_argp = u;
	return u->tid;
}

static bool get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
	*thread_argp = arg;
	return true;
}

/* Only the copied stack is readable: what unwinding needs from memory is
 * the saved registers and return addresses in it. */
static bool memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
	struct unwinder *u = arg;

	if (addr < u->sp || addr - u->sp + sizeof(*result) > u->len)
		return false;
	memcpy(result, u->stack + (addr - u->sp), sizeof(*result));
	return true;
}

static bool set_initial_registers(Dwfl_Thread *thread, void *arg)
{
	struct unwinder *u = arg;
	Dwarf_Word r[NR_DWARF_REGS];
	int i;

	for (i = 0; i < NR_DWARF_REGS; i++)
		r[i] = u->regs[dwarf_of_pt_regs[i]];
	if (!dwfl_thread_state_registers(thread, 0, NR_DWARF_REGS, r))
		return false;
	dwfl_thread_state_register_pc(thread, u->regs[REG_IP]);
	return true;
}

static const Dwfl_Thread_Callbacks thread_callbacks = {
	.next_thread = next_thread,
	.get_thread = get_thread,
	.memory_read = memory_read,
	.set_initial_registers = set_initial_registers,
};

struct unwinder *unwinder_new(void)
{
	struct unwinder *u = calloc(1, sizeof(*u));

	if (u && !(u->symbols = symbols_new())) {
		free(u);
		return NULL;
	}
	return u;
}

static void space_close(struct unwinder *u, struct space *s)
{
	if (s->dwfl) {
		dwfl_end(s->dwfl);
		s->dwfl = NULL;
		u->ndwfl--;
	}
	free(s->text);		/* libdwfl's copy of the maps: rebuilt with it */
	s->text = NULL;
}

static void space_clear(struct unwinder *u, struct space *s)
{
	size_t i;

	space_close(u, s);
	for (i = 0; i < s->njit; i++)
		free(s->jit[i].name);
	free(s->jit);
	proc_maps_free(&s->maps);
	memset(s, 0, sizeof(*s));
}

void unwinder_free(struct unwinder *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->n; i++)
		space_clear(u, &u->v[i]);
	symbols_free(u->symbols);
	free(u);
}

static struct space *find_space(struct unwinder *u, uint32_t pid)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (u->v[i].pid == pid) {
			u->v[i].used = ++u->clock;
			return &u->v[i];
		}
	return NULL;
}

/* Adds what /proc/PID/maps shows to m: the number of changes, or -1 if the
 * process is gone (an exited process shows no mappings). */
static int read_proc_maps(uint32_t pid, struct proc_maps *m)
{
	char path[64], *text = NULL;
	size_t cap = 0;
	ssize_t n;
	int r;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/maps", pid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	n = getdelim(&text, &cap, '\0', f);	/* the whole file */
	fclose(f);
	r = n > 0 ? proc_maps_parse(m, text) : -1;
	free(text);
	return r < 0 || !m->n ? -1 : r;
}

/* A slot for pid: a free one, or the least recently used. */
static struct space *new_space(struct unwinder *u, uint32_t pid)
{
	struct space *s = NULL;
	size_t i;

	for (i = 0; i < u->n && !s; i++)
		if (!u->v[i].pid)
			s = &u->v[i];
	if (s) {
	} else if (u->n < UNWIND_MAX_PROCS) {
		s = &u->v[u->n++];
	} else {
		for (i = 0; i < u->n; i++)
			if (!s || u->v[i].used < s->used)
				s = &u->v[i];
		space_clear(u, s);
	}
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	s->jit_size = -1;
	s->used = ++u->clock;
	return s;
}

bool unwinder_remember(struct unwinder *u, uint32_t pid)
{
	struct proc_maps m = { 0 };
	struct space *s;

	if (find_space(u, pid))
		return true;
	if (read_proc_maps(pid, &m) < 0) {
		proc_maps_free(&m);
		return false;
	}
	s = new_space(u, pid);
	s->maps = m;
	return true;
}

/* Adds what /proc shows now for a live process (an exec or a dlopen whose
 * events were lost): true if that changed anything. */
static bool refresh_space(struct unwinder *u, struct space *s)
{
	if (read_proc_maps(s->pid, &s->maps) <= 0)
		return false;
	space_close(u, s);
	return true;
}

void unwinder_refresh(struct unwinder *u, uint32_t pid)
{
	struct space *s = find_space(u, pid);

	if (s)
		refresh_space(u, s);
	else
		unwinder_remember(u, pid);
}

/* Known from its events from now on: what is mapped follows. */
static struct space *fresh_space(struct unwinder *u, uint32_t pid)
{
	struct space *s = find_space(u, pid);

	if (s)
		space_clear(u, s);	/* its slot stays, free, pid 0 */
	return new_space(u, pid);
}

void unwinder_exec(struct unwinder *u, uint32_t pid)
{
	fresh_space(u, pid);
}

void unwinder_fork(struct unwinder *u, uint32_t parent, uint32_t child)
{
	struct space *p = find_space(u, parent), *c;

	if (!p) {
		unwinder_remember(u, child);
		return;
	}
	c = fresh_space(u, child);	/* never the parent's slot: it was just used */
	if (proc_maps_copy(&c->maps, &p->maps))
		proc_maps_free(&c->maps);
}

void unwinder_mapping(struct unwinder *u, uint32_t pid, uint64_t start, uint64_t end, uint64_t pgoff,
		      uint32_t dev, uint64_t ino, const char *path, bool exec)
{
	struct space *s = find_space(u, pid);

	if (!s)
		s = new_space(u, pid);
	if (proc_maps_add(&s->maps, start, end, pgoff, dev, ino, path, exec) > 0)
		space_close(u, s);
}

static Dwfl *space_dwfl(struct unwinder *u, struct space *s)
{
	struct space *old = NULL;
	Dwfl *d;
	FILE *f;
	size_t i;

	if (s->dwfl)
		return s->dwfl;
	if (u->ndwfl >= UNWIND_MAX_DWFL) {
		for (i = 0; i < u->n; i++)
			if (u->v[i].dwfl && (!old || u->v[i].used < old->used))
				old = &u->v[i];
		if (old)
			space_close(u, old);
	}
	s->text = proc_maps_text(&s->maps, &s->text_len);
	if (!s->text)
		return NULL;
	d = dwfl_begin(&dwfl_callbacks);
	if (!d)
		return NULL;
	f = fmemopen(s->text, s->text_len, "r");
	dwfl_report_begin(d);
	if (!f || dwfl_linux_proc_maps_report(d, f) ||
	    dwfl_report_end(d, NULL, NULL) ||
	    !dwfl_attach_state(d, NULL, (pid_t)s->pid, &thread_callbacks, u)) {
		if (f)
			fclose(f);
		dwfl_end(d);
		return NULL;
	}
	fclose(f);
	s->dwfl = d;
	u->ndwfl++;
	return d;
}

struct frames {
	uint64_t *pcs;
	uint32_t n, max;
};

static int on_frame(Dwfl_Frame *state, void *arg)
{
	struct frames *fr = arg;
	Dwarf_Addr pc;
	bool activation;

	if (!dwfl_frame_pc(state, &pc, &activation) || !pc)
		return DWARF_CB_ABORT;
	fr->pcs[fr->n++] = activation ? pc : pc - 1;
	return fr->n < fr->max ? DWARF_CB_OK : DWARF_CB_ABORT;
}

static const struct jit_sym *jit_find(const struct space *s, uint64_t pc);

enum unwind_status unwinder_unwind(struct unwinder *u, uint32_t pid, uint32_t tid,
				   const void *regs, const void *stack, uint32_t len,
				   uint64_t *pcs, uint32_t max, uint32_t *n)
{
	struct frames fr = { pcs, 0, max };
	const uint64_t *r = regs;
	struct space *s;
	Dwfl *d;

	*n = 0;
	if (!max)
		return UNWIND_OK;
	pcs[0] = r[REG_IP];
	*n = 1;
	if (!unwinder_remember(u, pid))
		return UNWIND_NO_MAPPINGS;
	if (!len)
		return UNWIND_NO_STACK;
	s = find_space(u, pid);
	d = space_dwfl(u, s);
	if ((!d || (!dwfl_addrmodule(d, r[REG_IP]) && !jit_find(s, r[REG_IP]))) && refresh_space(u, s))
		d = space_dwfl(u, s);
	if (!d)
		return UNWIND_FAILED;
	u->regs = r;
	u->stack = stack;
	u->len = len;
	u->sp = r[REG_SP];
	u->tid = (pid_t)tid;
	dwfl_getthread_frames(d, (pid_t)tid, on_frame, &fr);	/* ends in an error at the copy's end */
	if (fr.n)
		*n = fr.n;
	return fr.n > 1 ? UNWIND_OK : UNWIND_FAILED;
}

static int cmp_jit(const void *a, const void *b)
{
	const struct jit_sym *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* perf's JIT map: "START SIZE NAME" per line, hex, written by the runtime
 * (in the process's own /tmp). Read when first needed and again when the
 * file has grown. */
static void jit_read(struct space *s)
{
	char path[64], *line = NULL;
	unsigned long long start, size;
	size_t cap = 0, vcap = s->njit;
	struct stat st;
	int name_at;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%u/root/tmp/perf-%u.map", s->pid, s->pid);
	if (stat(path, &st)) {
		snprintf(path, sizeof(path), "/tmp/perf-%u.map", s->pid);
		if (stat(path, &st))
			return;
	}
	if (st.st_size == s->jit_size || !(f = fopen(path, "re")))
		return;
	s->jit_size = st.st_size;
	for (size_t i = 0; i < s->njit; i++)
		free(s->jit[i].name);
	s->njit = 0;
	while (getline(&line, &cap, f) > 0) {
		struct jit_sym *v;

		if (sscanf(line, "%llx %llx %n", &start, &size, &name_at) < 2 || !size)
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (s->njit == vcap) {
			v = realloc(s->jit, (vcap = vcap ? 2 * vcap : 64) * sizeof(*v));
			if (!v)
				break;
			s->jit = v;
		}
		s->jit[s->njit].start = start;
		s->jit[s->njit].end = start + size;
		if (!(s->jit[s->njit].name = strdup(line + name_at)))
			break;
		s->njit++;
	}
	free(line);
	fclose(f);
	qsort(s->jit, s->njit, sizeof(*s->jit), cmp_jit);
}

static const struct jit_sym *jit_find(const struct space *s, uint64_t pc)
{
	size_t lo = 0, hi = s->njit;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (pc < s->jit[mid].start)
			hi = mid;
		else if (pc >= s->jit[mid].end)
			lo = mid + 1;
		else
			return &s->jit[mid];
	}
	return NULL;
}

static const char *base_name(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

/* A frame in a mapped binary, named on first sight (by file, not by
 * process: symbols.c). */
static long module_frame(struct unwinder *u, Dwfl_Module *mod, uint64_t pc, struct stack_table *t)
{
	struct stack_frame f = { 0 };
	Dwarf_Addr start, bias = 0;
	const char *name;
	long id;

	name = dwfl_module_info(mod, NULL, &start, NULL, NULL, NULL, NULL, NULL);
	if (!name)
		name = "[unknown]";
	f.offset = dwfl_module_getelf(mod, &bias) ? pc - bias : pc - start;
	id = stack_frame_find(t, false, name, f.offset);
	if (id >= 0)
		return id;
	symbols_name(u->symbols, name, f.offset, &f);
	f.path = (char *)name;
	f.module = (char *)base_name(name);
	return stack_frame_add(t, &f);
}

long unwinder_frame(struct unwinder *u, uint32_t pid, uint64_t pc, struct stack_table *t)
{
	struct space *s = find_space(u, pid);
	struct stack_frame f = { 0 };
	const struct jit_sym *j;
	Dwfl_Module *mod;
	char path[64];
	Dwfl *d;
	long id;

	if (s && (d = space_dwfl(u, s)) && (mod = dwfl_addrmodule(d, pc)))
		return module_frame(u, mod, pc, t);
	if (s) {
		if (!(j = jit_find(s, pc))) {
			jit_read(s);
			j = jit_find(s, pc);
		}
		if (j) {
			snprintf(path, sizeof(path), "perf-%u.map", pid);
			id = stack_frame_find(t, false, path, pc);
			if (id >= 0)
				return id;
			f.path = f.module = path;
			f.symbol = j->name;
			f.offset = pc;
			f.sym_offset = pc - j->start;
			return stack_frame_add(t, &f);
		}
	}
	id = stack_frame_find(t, false, "[unknown]", pc);
	if (id >= 0)
		return id;
	f.path = f.module = "[unknown]";
	f.offset = pc;
	return stack_frame_add(t, &f);
}
