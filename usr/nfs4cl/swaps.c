// SPDX-License-Identifier: GPL-2.0
/*
 * nfs4cl swaps' input and output (see swaps.h and nfs4cl(8)).
 *
 * /proc/swaps as the kernel writes it (swap_show() in mm/swapfile.c), a
 * header, then one line per swap area, sizes in KiB:
 *
 *   Filename            Type       Size     Used    Priority
 *   /dev/sda2           partition  1048572  0       -2
 *   /paging/my\040swap  file       2097148  12288   10
 *
 * with tabs and spaces between the fields.  The kernel escapes blanks,
 * newlines and backslashes in the file name as \ooo, so that runs of
 * blanks separate the fields exactly.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "mountinfo.h"
#include "swaps.h"

#define BLANKS	" \t"

enum { F_FILE, F_TYPE, F_SIZE, F_USED, F_PRIO, NR_FIELDS };

static bool is_header(char *const field[NR_FIELDS])
{
	static const char *const name[NR_FIELDS] = {
		"Filename", "Type", "Size", "Used", "Priority"
	};
	int i;

	for (i = 0; i < NR_FIELDS; i++)
		if (strcmp(field[i], name[i]))
			return false;
	return true;
}

/* The kernel prints sizes with %lu: digits only. */
static bool parse_u64(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end)
		return false;
	*v = n;
	return true;
}

/* And the priority with %d: digits, after a minus sign if negative. */
static bool parse_int(const char *s, int *v)
{
	const char *digits = s + (*s == '-');
	char *end;
	long n;

	if (*digits < '0' || *digits > '9')
		return false;
	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *end || n < INT_MIN || n > INT_MAX)
		return false;
	*v = (int)n;
	return true;
}

int swaps_parse_line(char *line, struct swaps_area *a)
{
	char *field[NR_FIELDS], *save = NULL;
	int i;

	line[strcspn(line, "\n")] = '\0';
	for (i = 0; i < NR_FIELDS; i++) {
		field[i] = strtok_r(i ? NULL : line, BLANKS, &save);
		if (!field[i])
			return -EINVAL;
	}
	if (strtok_r(NULL, BLANKS, &save))
		return -EINVAL;
	if (is_header(field))
		return 0;

	if (!strcmp(field[F_TYPE], "file"))
		a->partition = false;
	else if (!strcmp(field[F_TYPE], "partition"))
		a->partition = true;
	else
		return -EINVAL;
	if (!parse_u64(field[F_SIZE], &a->size_kib) ||
	    !parse_u64(field[F_USED], &a->used_kib) ||
	    !parse_int(field[F_PRIO], &a->priority))
		return -EINVAL;
	rnfs_unescape(field[F_FILE]);
	a->file = field[F_FILE];
	return 1;
}

/*
 * The text layout, in columns counted from 0: the file name from 0;
 * Size, Used and Prio right-aligned to end just before 38, 48 and 54;
 * Server from 56.  A value too wide for its place pushes the rest of the
 * line right, after one blank.
 */
#define END_SIZE	38
#define END_USED	48
#define END_PRIO	54
#define COL_SERVER	56

/* Blanks from column *@col up to column @to, but always at least one. */
static void pad(FILE *f, size_t *col, size_t to)
{
	do
		fputc(' ', f);
	while (++*col < to);
}

/* @s ending at column @end if there is room for it. */
static void put_right(FILE *f, size_t *col, const char *s, size_t end)
{
	size_t len = strlen(s);

	pad(f, col, end > len ? end - len : 0);
	fputs(s, f);
	*col += len;
}

static void text_line(FILE *f, const char *file, const char *size,
		      const char *used, const char *prio, const char *server)
{
	size_t col = esc_put(f, ESC_TEXT, file);

	put_right(f, &col, size, END_SIZE);
	put_right(f, &col, used, END_USED);
	put_right(f, &col, prio, END_PRIO);
	pad(f, &col, COL_SERVER);
	esc_put(f, ESC_TEXT, server);
	fputc('\n', f);
}

/* KiB as whole MiB, rounded down: "2047M". */
static const char *mib(char *buf, size_t size, uint64_t kib)
{
	snprintf(buf, size, "%" PRIu64 "M", kib / 1024);
	return buf;
}

void swaps_text(FILE *f, const struct swaps_entry *v, size_t n)
{
	char size[24], used[24], prio[16];
	size_t i;

	if (!n)
		return;
	text_line(f, "Swap File", "Size", "Used", "Prio", "Server");
	for (i = 0; i < n; i++) {
		const struct swaps_area *a = &v[i].area;

		snprintf(prio, sizeof(prio), "%d", a->priority);
		/* No replica in use: what showfs -f current says then. */
		text_line(f, a->file, mib(size, sizeof(size), a->size_kib),
			  mib(used, sizeof(used), a->used_kib), prio,
			  v[i].server ? v[i].server : "none");
	}
}

static void json_entry(FILE *f, const struct swaps_entry *e)
{
	fputs("  {\"file\": ", f);
	esc_json_string(f, e->area.file);
	fprintf(f, ", \"size_kib\": %" PRIu64 ", \"used_kib\": %" PRIu64
		", \"priority\": %d, \"server\": ", e->area.size_kib,
		e->area.used_kib, e->area.priority);
	esc_json_string_or_null(f, e->server);
	fputs(", \"mount\": ", f);
	esc_json_string_or_null(f, e->mountpoint);
	fputc('}', f);
}

void swaps_json(FILE *f, const struct swaps_entry *v, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_entry(f, &v[i]);
	}
	fputs(n ? "\n]\n" : "]\n", f);
}
