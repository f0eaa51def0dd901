// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <elfutils/libdwfl.h>
#include "collect/symbols.h"

/* The C++ ABI's demangler (libstdc++): C++ and Rust's legacy symbols. */
extern char *__cxa_demangle(const char *mangled, char *out, size_t *len, int *status);

struct sym_file {
	char *path;
	Dwfl *dwfl;			/* NULL: the file could not be read */
	Dwfl_Module *mod;
	Dwarf_Addr bias;		/* where the offline session placed it */
	uint64_t used;
};

struct symbols {
	struct sym_file v[SYMBOLS_MAX_FILES];
	size_t n;
	uint64_t clock;
	char name[512];			/* the last symbol, cut at '@' */
	char *demangled;		/* or demangled */
};

static char *debuginfo_path;
static const Dwfl_Callbacks offline_callbacks = {
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.section_address = dwfl_offline_section_address,
	.debuginfo_path = &debuginfo_path,
};

struct symbols *symbols_new(void)
{
	return calloc(1, sizeof(struct symbols));
}

static void file_close(struct sym_file *f)
{
	if (f->dwfl)
		dwfl_end(f->dwfl);
	free(f->path);
	memset(f, 0, sizeof(*f));
}

void symbols_free(struct symbols *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		file_close(&s->v[i]);
	free(s->demangled);
	free(s);
}

static void file_open(struct sym_file *f, const char *path)
{
	f->path = strdup(path);
	f->dwfl = dwfl_begin(&offline_callbacks);
	if (!f->path || !f->dwfl)
		goto fail;
	dwfl_report_begin(f->dwfl);
	f->mod = dwfl_report_offline(f->dwfl, path, path, -1);
	if (dwfl_report_end(f->dwfl, NULL, NULL) || !f->mod || !dwfl_module_getelf(f->mod, &f->bias))
		goto fail;
	return;
fail:
	if (f->dwfl)
		dwfl_end(f->dwfl);
	f->dwfl = NULL;		/* remembered as unreadable: not tried again */
}

static struct sym_file *file_of(struct symbols *s, const char *path)
{
	struct sym_file *f = NULL;
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].path && !strcmp(s->v[i].path, path)) {
			s->v[i].used = ++s->clock;
			return &s->v[i];
		}
	if (s->n < SYMBOLS_MAX_FILES) {
		f = &s->v[s->n++];
	} else {
		for (i = 0; i < s->n; i++)
			if (!f || s->v[i].used < f->used)
				f = &s->v[i];
		file_close(f);
	}
	file_open(f, path);
	f->used = ++s->clock;
	return f->path ? f : NULL;
}

void symbols_name(struct symbols *s, const char *path, uint64_t addr, struct stack_frame *f)
{
	struct sym_file *sf = file_of(s, path);
	Dwarf_Addr a;
	const char *name, *src;
	GElf_Off off = 0;
	Dwfl_Line *line;
	GElf_Sym sym;
	int lineno = 0, status;

	f->symbol = f->file = NULL;
	f->sym_offset = 0;
	f->line = 0;
	if (!sf || !sf->dwfl)
		return;
	a = addr + sf->bias;
	name = dwfl_module_addrinfo(sf->mod, a, &off, &sym, NULL, NULL, NULL);
	if (name) {
		snprintf(s->name, sizeof(s->name), "%.*s", (int)strcspn(name, "@"), name);
		f->symbol = s->name;
		free(s->demangled);
		s->demangled = NULL;
		if (!strncmp(s->name, "_Z", 2) && (s->demangled = __cxa_demangle(s->name, NULL, NULL, &status)))
			f->symbol = s->demangled;
		f->sym_offset = off;
	}
	line = dwfl_module_getsrc(sf->mod, a);
	if (line && (src = dwfl_lineinfo(line, NULL, &lineno, NULL, NULL, NULL))) {
		f->file = (char *)src;
		f->line = lineno > 0 ? (uint32_t)lineno : 0;
	}
}
