// SPDX-License-Identifier: GPL-2.0
/*
 * The rnfs entries of a mountinfo file (proc(5)):
 *
 *   36 35 0:42 / /usr ro,relatime shared:7 - rnfs 10.0.0.1:/install ro,...
 *   (1)(2) (3) (4) (5)    (6)       (7)   (8) (9)      (10)          (11)
 *
 * (7) is zero or more optional fields, ended by the lone "-" (8).  The
 * kernel escapes space, tab, newline and backslash in the string fields
 * as \ooo octal, so splitting on single spaces is exact; an empty source
 * shows up as two spaces in a row, hence strsep() rather than strtok().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "mountinfo.h"

#define MOUNTINFO_FIXED	6	/* fields (1) to (6) */

static int is_octal(char c)
{
	return c >= '0' && c <= '7';
}

void rnfs_unescape(char *s)
{
	char *out = s;

	while (*s) {
		if (s[0] == '\\' && is_octal(s[1]) && is_octal(s[2]) &&
		    is_octal(s[3])) {
			*out++ = (char)(((s[1] - '0') << 6) |
					((s[2] - '0') << 3) | (s[3] - '0'));
			s += 4;
		} else {
			*out++ = *s++;
		}
	}
	*out = '\0';
}

static void entry_free(struct rnfs_mountinfo *e)
{
	free(e->mountpoint);
	free(e->source);
	free(e->mount_opts);
	free(e->super_opts);
}

/*
 * Fill @e from one line (modified in place).  Returns 1 for an rnfs
 * entry, 0 for any other line (other filesystems, or one too damaged to
 * read: mountinfo is the kernel's, so that only happens in a test
 * fixture), -ENOMEM.
 */
static int parse_line(char *line, struct rnfs_mountinfo *e)
{
	char *field[MOUNTINFO_FIXED], *fstype, *source, *super_opts, *p;
	unsigned int major, minor, i;
	char end;

	line[strcspn(line, "\n")] = '\0';
	for (i = 0; i < MOUNTINFO_FIXED; i++) {
		field[i] = strsep(&line, " ");
		if (!field[i] || !line)
			return 0;
	}
	/* Skip the optional fields up to the separator. */
	do {
		p = strsep(&line, " ");
		if (!p || !line)
			return 0;
	} while (strcmp(p, "-"));
	fstype = strsep(&line, " ");
	source = strsep(&line, " ");
	super_opts = strsep(&line, " ");
	if (!fstype || !source || !super_opts)
		return 0;
	rnfs_unescape(fstype);
	if (strcmp(fstype, "rnfs"))
		return 0;
	if (sscanf(field[2], "%u:%u%c", &major, &minor, &end) != 2)
		return 0;

	rnfs_unescape(field[4]);
	rnfs_unescape(source);
	rnfs_unescape(field[5]);
	rnfs_unescape(super_opts);
	memset(e, 0, sizeof(*e));
	e->dev = (uint32_t)makedev(major, minor);
	e->mountpoint = strdup(field[4]);
	e->source = strdup(source);
	e->mount_opts = strdup(field[5]);
	e->super_opts = strdup(super_opts);
	if (!e->mountpoint || !e->source || !e->mount_opts ||
	    !e->super_opts) {
		entry_free(e);
		return -ENOMEM;
	}
	return 1;
}

int rnfs_mountinfo_read(const char *path, struct rnfs_mountinfo **list,
			size_t *count)
{
	struct rnfs_mountinfo *v = NULL, *grown, e;
	size_t n = 0, cap = 0, size = 0;
	char *line = NULL;
	int ret = 0;
	FILE *f;

	f = fopen(path ? path : "/proc/self/mountinfo", "re");
	if (!f)
		return -errno;
	while (getline(&line, &size, f) >= 0) {
		ret = parse_line(line, &e);
		if (ret < 0)
			break;
		if (!ret)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 8;
			grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				entry_free(&e);
				ret = -ENOMEM;
				break;
			}
			v = grown;
		}
		v[n++] = e;
		ret = 0;
	}
	if (!ret && ferror(f))
		ret = -EIO;
	free(line);
	fclose(f);
	if (ret < 0) {
		rnfs_mountinfo_free(v, n);
		return ret;
	}
	*list = v;
	*count = n;
	return 0;
}

void rnfs_mountinfo_free(struct rnfs_mountinfo *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		entry_free(&list[i]);
	free(list);
}

const struct rnfs_mountinfo *
rnfs_mountinfo_find(const struct rnfs_mountinfo *list, size_t count,
		    uint32_t dev)
{
	size_t i;

	for (i = 0; i < count; i++)
		if (list[i].dev == dev)
			return &list[i];
	return NULL;
}
