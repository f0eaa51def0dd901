/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Names that come from the traced world (process names, file names, command
 * lines, tag values) may hold any bytes. Every sink passes them through one
 * of these, so no name can make a report unparsable, reach the terminal as a
 * control sequence, or shift a CSV column. */
#ifndef OSP_TEXT_H
#define OSP_TEXT_H

#include <stddef.h>
#include <stdio.h>

/* Valid UTF-8, each invalid byte replaced by U+FFFD (JSON, Prometheus:
 * their writers escape quotes and control characters). out gets at most
 * len - 1 bytes, never a cut character; returns out. */
char *text_utf8(const char *in, size_t inlen, char *out, size_t len);
/* For a terminal: printable UTF-8 kept, control characters and invalid
 * bytes as \xNN, a backslash as \\. Returns out. */
char *text_printable(const char *in, size_t inlen, char *out, size_t len);
/* One CSV field (RFC 4180): printable as above, quoted when it holds a
 * comma, quote, CR or LF, quotes doubled. */
void text_csv_field(FILE *f, const char *in);
/* A json-c string of in[0..n) (up to a NUL) made valid UTF-8; NULL if out
 * of memory. */
struct json_object *json_utf8(const char *in, size_t n);

#endif
