/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rnfs mounts in a mountinfo file (/proc/self/mountinfo by default):
 * where each one is mounted, and its options as the kernel shows them.
 * The kernel names a mount by st_dev (kmod/uapi/rnfs.h); mountinfo's
 * "major:minor" is the same number.
 */
#ifndef _RNFS_MOUNTINFO_H
#define _RNFS_MOUNTINFO_H

#include <stddef.h>
#include <stdint.h>

struct rnfs_mountinfo {
	uint32_t dev;		/* makedev(major, minor), as st_dev */
	char *mountpoint;	/* unescaped (\040 -> ' ') */
	char *source;
	char *mount_opts;	/* per-mount: "ro,relatime" */
	char *super_opts;	/* the filesystem's: "ro,replicas=...,..." */
};

/*
 * Read every rnfs entry of @path (NULL: /proc/self/mountinfo) into a
 * malloc()ed array.  Returns 0 or a negative errno.
 */
int rnfs_mountinfo_read(const char *path, struct rnfs_mountinfo **list,
			size_t *count);
void rnfs_mountinfo_free(struct rnfs_mountinfo *list, size_t count);
/* The entry for @dev, or NULL. */
const struct rnfs_mountinfo *
rnfs_mountinfo_find(const struct rnfs_mountinfo *list, size_t count,
		    uint32_t dev);

/*
 * Undo in place the \ooo escapes the kernel puts in the names it shows
 * in mountinfo and /proc/swaps (space, tab, newline, backslash).  A
 * backslash not followed by three octal digits stays as it is.
 */
void rnfs_unescape(char *s);

#endif /* _RNFS_MOUNTINFO_H */
