/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* One declarative table per command: each entry gives an option's name,
 * help, where its value goes and its range, and argp's options and parser
 * are built from it, so an option is added in one place. Values out of
 * range or malformed get one generated line: "bad --NAME 'ARG': expected ...". */
#ifndef OSP_OPTIONS_H
#define OSP_OPTIONS_H

#include <argp.h>
#include <stddef.h>
#include <sys/types.h>

enum opt_kind {
	OK_SET,		/* bool = true */
	OK_CLEAR,	/* bool = false */
	OK_STR,		/* const char * = arg */
	OK_INT,		/* int in [min, max] */
	OK_U32,		/* uint32_t in [min, max] */
	OK_NUM,		/* double in [min, max] */
	OK_CHOICE,	/* const char * = one of choices */
	OK_CALL,	/* call(field, arg): parses, logs its own one-line error */
};

struct opt {
	const char *name;
	int key;			/* short option letter, or 0 */
	const char *arg;		/* NULL for a flag */
	enum opt_kind kind;
	size_t off;			/* where the value goes in the command's input */
	double min, max;		/* OK_INT, OK_U32, OK_NUM */
	const char *expect;		/* how the error words the range ("seconds, 1 to 60") */
	const char *const *choices;	/* OK_CHOICE, NULL-terminated */
	int (*call)(void *field, const char *arg);	/* OK_CALL: 0 or -errno */
	const char *doc;
	int flags;			/* argp's OPTION_HIDDEN... */
};

#define OPT_SET(T, f)		.kind = OK_SET, .off = offsetof(T, f)
#define OPT_CLEAR(T, f)		.kind = OK_CLEAR, .off = offsetof(T, f)
#define OPT_STR(T, f)		.kind = OK_STR, .off = offsetof(T, f)
#define OPT_INT(T, f, lo, hi)	.kind = OK_INT, .off = offsetof(T, f), .min = (lo), .max = (hi)
#define OPT_U32(T, f, lo, hi)	.kind = OK_U32, .off = offsetof(T, f), .min = (lo), .max = (hi)
#define OPT_NUM(T, f, lo, hi)	.kind = OK_NUM, .off = offsetof(T, f), .min = (lo), .max = (hi)
#define OPT_CHOICE(T, f, ...)	.kind = OK_CHOICE, .off = offsetof(T, f), \
				.choices = (const char *const[]){ __VA_ARGS__, NULL }
#define OPT_CALL(T, f, fn)	.kind = OK_CALL, .off = offsetof(T, f), .call = (fn)

/* A command's table and the argp options built from it. Options without
 * a short letter get keys from base up; each table has its own base. */
struct opt_table {
	const struct opt *opts;
	int n, base;
	struct argp_option *argp;	/* n + 1 entries */
	/* A positional argument (NULL: none is accepted); 0 or an errno. */
	error_t (*on_arg)(void *input, char *arg, struct argp_state *state);
	long child_off;			/* where the argp child's input is, or -1 */
};

#define OPT_TABLE(name, base_key, arg_fn, child, ...)				\
	static const struct opt name##_opts[] = { __VA_ARGS__ };		\
	static struct argp_option name##_argp_opts[sizeof(name##_opts) /	\
						   sizeof(name##_opts[0]) + 1];	\
	static struct opt_table name = { name##_opts,				\
		sizeof(name##_opts) / sizeof(name##_opts[0]), (base_key),	\
		name##_argp_opts, (arg_fn), (child) };				\
	static error_t name##_parse(int key, char *arg, struct argp_state *state) \
	{									\
		return opt_table_parse(&name, key, arg, state);			\
	}
/* No argp child, or the child's input at this member of the command's input. */
#define OPT_NO_CHILD		(-1L)
#define OPT_CHILD(T, f)		((long)offsetof(T, f))

/* Fills t->argp (idempotent); returns it for struct argp's .options. */
const struct argp_option *opt_table_argp(struct opt_table *t);
/* The argp parser OPT_TABLE defines as NAME_parse: the table's keys into
 * state->input (EINVAL after one logged line when a value is bad), then
 * positional arguments and the child's input. */
error_t opt_table_parse(const struct opt_table *t, int key, char *arg, struct argp_state *state);

/* Shared OK_CALL parsers. "PID[,PID...]" into a struct pid_list. */
#define PID_LIST_MAX	1024
struct pid_list {
	int n;
	pid_t pids[PID_LIST_MAX];
};
int opt_pids(void *field, const char *arg);
/* KEY=VALUE into a struct tags. */
int opt_tag(void *field, const char *arg);
/* -v: more detail on stderr (the field is unused). */
int opt_verbose(void *field, const char *arg);

#endif
