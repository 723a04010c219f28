/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfs4cl swaps: the lines of /proc/swaps, and the swap files on rnfs
 * mounts listed as text or JSON.  Pure parsing and formatting, no netlink
 * and no file system access, so that the unit tests can pin every byte;
 * cmd_swaps.c finds which swap areas are on rnfs.
 */
#ifndef _RNFS_NFS4CL_SWAPS_H
#define _RNFS_NFS4CL_SWAPS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* One swap area, a line of /proc/swaps. */
struct swaps_area {
	char *file;			/* unescaped */
	bool partition;			/* a block device, not a file */
	uint64_t size_kib, used_kib;
	int priority;
};

/*
 * Parse one line of /proc/swaps, "Filename Type Size Used Priority"
 * separated by blanks, in place: @a->file points into @line.  Returns 1
 * for a swap area, 0 for the header line, -EINVAL for anything else.
 */
int swaps_parse_line(char *line, struct swaps_area *a);

/* A swap file on an rnfs mount. */
struct swaps_entry {
	struct swaps_area area;
	char *server;		/* replica in use, "host:/path"; NULL: none */
	char *mountpoint;	/* NULL: not in mountinfo */
};

/* A header, then one line per swap file; nothing at all for none. */
void swaps_text(FILE *f, const struct swaps_entry *v, size_t n);
/* An array with one object per swap file, one object per line. */
void swaps_json(FILE *f, const struct swaps_entry *v, size_t n);

#endif /* _RNFS_NFS4CL_SWAPS_H */
