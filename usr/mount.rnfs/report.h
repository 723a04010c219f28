/* SPDX-License-Identifier: GPL-2.0 */
/* What mount.rnfs says: errors on stderr, -v chatter on stdout. */
#ifndef _RNFS_MOUNT_REPORT_H
#define _RNFS_MOUNT_REPORT_H

#define RNFS_MOUNT_PROG	"mount.rnfs"

/* "mount.rnfs: <message>\n" on stderr. */
void report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same on stdout, for -v. */
void chatter(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* _RNFS_MOUNT_REPORT_H */
