/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* The one reader of saved JSON (reports, snapshots, sweep summaries): a
 * bounded, strict load and typed accessors that never abort. json-c asserts
 * when an array call meets an object, so every lookup of a saved file goes
 * through these: a wrong type reads as absent (NULL, 0 entries, NaN, ""). */
#ifndef OSP_JREAD_H
#define OSP_JREAD_H

#include <stddef.h>
#include <json-c/json.h>

#define JREAD_MAX_BYTES	(256u << 20)

/* A regular file of at most JREAD_MAX_BYTES holding one JSON object and
 * nothing else. NULL after logging "PATH: why" on any failure. */
struct json_object *jread_file(const char *path);
/* Parses text of len bytes the same way (no logging); for the fuzzer too. */
struct json_object *jread_text(const char *text, size_t len, const char **why);

struct json_object *jobj(struct json_object *o, const char *key);	/* object member */
struct json_object *jarr(struct json_object *o, const char *key);	/* array member */
size_t jlen(struct json_object *arr);					/* 0 unless an array */
struct json_object *jat(struct json_object *arr, size_t i);
double jnum(struct json_object *o, const char *key);			/* NaN unless a number */
const char *jstr(struct json_object *o, const char *key);		/* "" unless a string */
/* The scalar itself as text (strings as they are, numbers formatted). */
const char *jscalar(struct json_object *v);

#endif
