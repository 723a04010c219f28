/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Exit status of mount.rnfs.  mount(8) passes a helper's status on as its
 * own, so these are mount(8)'s values (see "EXIT STATUS" in mount(8)).
 * Which failure gives which is listed in mount.rnfs(8).
 */
#ifndef _RNFS_MOUNT_STATUS_H
#define _RNFS_MOUNT_STATUS_H

#define RNFS_EX_OK	0
#define RNFS_EX_USAGE	1	/* bad command line, or not root */
#define RNFS_EX_SYSERR	2	/* out of memory, cannot fork, ... */
#define RNFS_EX_BUG	4	/* mount.rnfs got something wrong */
#define RNFS_EX_INTR	8	/* interrupted by a signal */
#define RNFS_EX_FAIL	32	/* mount failed: options, names, kernel */

#endif /* _RNFS_MOUNT_STATUS_H */
