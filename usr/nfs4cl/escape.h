/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Writing strings nfs4cl did not make itself: names from the kernel,
 * from mountinfo or from /proc/swaps may hold any byte but NUL.  Each
 * output escapes what would break its framing (a line, a column, a JSON
 * string) rather than trust them.  Shared by showfs.c and swaps.c.
 */
#ifndef _RNFS_NFS4CL_ESCAPE_H
#define _RNFS_NFS4CL_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

enum esc {
	ESC_TEXT,	/* control characters as \ooo, as mountinfo does */
	ESC_JSON,	/* inside a JSON string */
};

/* Writes @len bytes of @s escaped for @mode; returns the width used. */
size_t esc_put_bytes(FILE *f, enum esc mode, const char *s, size_t len);
size_t esc_put(FILE *f, enum esc mode, const char *s);
/* A text column: @s, then blanks up to @width, but always at least one. */
void esc_put_column(FILE *f, const char *s, size_t width);
/* @s as a JSON string, quotes included; or null for NULL and "". */
void esc_json_string(FILE *f, const char *s);
void esc_json_string_or_null(FILE *f, const char *s);

#endif /* _RNFS_NFS4CL_ESCAPE_H */
