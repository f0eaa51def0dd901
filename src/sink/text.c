// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "sink/text.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and beyond U+10FFFF are not UTF-8. */
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

/* Appends text of n bytes if it fits (leaving room for the NUL). */
static int put(char *out, size_t len, size_t *o, const char *text, size_t n)
{
	if (*o + n >= len)
		return -1;
	memcpy(out + *o, text, n);
	*o += n;
	return 0;
}

/* Copies in[0..inlen) (up to a NUL): in UTF-8 mode invalid bytes become
 * U+FFFD; in printable mode they, ASCII and C1 controls become \xNN and a
 * backslash \\. Never cuts a character or an escape in half. */
static char *filter(const char *in, size_t inlen, char *out, size_t len, int printable)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t i = 0, o = 0, k, j;
	char esc[8];
	int full = 0;

	if (!len)
		return out;
	while (i < inlen && s[i] && !full) {
		k = utf8_len(s + i, inlen - i);
		if (!printable) {
			full = k ? put(out, len, &o, in + i, k) : put(out, len, &o, "\xef\xbf\xbd", 3);
			i += k ? k : 1;
		} else if (k == 1 && s[i] == '\\') {
			full = put(out, len, &o, "\\\\", 2);
			i++;
		} else if (!k || (k == 1 && (s[i] < 0x20 || s[i] == 0x7f)) ||
			   (k == 2 && s[i] == 0xc2 && s[i + 1] < 0xa0)) {
			for (j = 0; j < (k ? k : 1) && !full; j++) {
				snprintf(esc, sizeof(esc), "\\x%02x", s[i + j]);
				full = put(out, len, &o, esc, 4);
			}
			i += k ? k : 1;
		} else {
			full = put(out, len, &o, in + i, k);
			i += k;
		}
	}
	out[o] = '\0';
	return out;
}

char *text_utf8(const char *in, size_t inlen, char *out, size_t len)
{
	return filter(in, inlen, out, len, 0);
}

char *text_printable(const char *in, size_t inlen, char *out, size_t len)
{
	return filter(in, inlen, out, len, 1);
}

void text_csv_field(FILE *f, const char *in)
{
	char buf[4096];
	const char *p;

	text_printable(in, strlen(in), buf, sizeof(buf));
	if (!strpbrk(buf, ",\"\r\n")) {
		fputs(buf, f);
		return;
	}
	fputc('"', f);
	for (p = buf; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

struct json_object *json_utf8(const char *in, size_t n)
{
	char *clean = malloc(3 * n + 1);	/* one invalid byte -> 3 of U+FFFD */
	struct json_object *o;

	if (!clean)
		return NULL;
	o = json_object_new_string(text_utf8(in, n, clean, 3 * n + 1));
	free(clean);
	return o;
}
