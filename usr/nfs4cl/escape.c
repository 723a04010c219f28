// SPDX-License-Identifier: GPL-2.0
/* Escaping untrusted strings for nfs4cl's outputs (see escape.h). */
#include <string.h>

#include "escape.h"

size_t esc_put_bytes(FILE *f, enum esc mode, const char *s, size_t len)
{
	size_t i, width = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (mode == ESC_JSON && (c == '"' || c == '\\')) {
			fputc('\\', f);
			fputc(c, f);
			width += 2;
		} else if (c < 0x20 || c == 0x7f) {
			if (mode == ESC_JSON)
				fprintf(f, "\\u%04x", c);
			else
				fprintf(f, "\\%03o", c);
			width += mode == ESC_JSON ? 6 : 4;
		} else {
			fputc(c, f);
			width++;
		}
	}
	return width;
}

size_t esc_put(FILE *f, enum esc mode, const char *s)
{
	return esc_put_bytes(f, mode, s, strlen(s));
}

void esc_put_column(FILE *f, const char *s, size_t width)
{
	size_t used = esc_put(f, ESC_TEXT, s);

	do
		fputc(' ', f);
	while (++used < width);
}

void esc_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	esc_put(f, ESC_JSON, s);
	fputc('"', f);
}

void esc_json_string_or_null(FILE *f, const char *s)
{
	if (s && *s)
		esc_json_string(f, s);
	else
		fputs("null", f);
}
