// SPDX-License-Identifier: GPL-2.0
/*
 * For the tests of printers: what they write goes to a stream held in
 * memory, then is compared with what it must be, byte for byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static char *out;
static size_t out_len;

FILE *unit_out_start(void)
{
	FILE *f = open_memstream(&out, &out_len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	return f;
}

char *unit_out_end(FILE *f)
{
	char *s;

	fclose(f);
	s = out;
	out = NULL;
	return s;
}

void unit_out_check(FILE *f, const char *expected)
{
	char *s = unit_out_end(f);

	CU_ASSERT_STRING_EQUAL(s, expected);
	if (strcmp(s, expected))
		fprintf(stderr, "--- got:\n%s--- expected:\n%s---\n", s,
			expected);
	free(s);
}
