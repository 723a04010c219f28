/* SPDX-License-Identifier: GPL-2.0 */
/* Handing a parsed rnfs mount to the kernel. */
#ifndef _RNFS_MOUNT_KMOUNT_H
#define _RNFS_MOUNT_KMOUNT_H

#include <stdbool.h>

#include "options.h"

struct rnfs_kmount_cfg {
	const char *dir;	/* where to mount */
	const char *ns;		/* -N: namespace file or PID, or NULL */
	bool sloppy;		/* -s: skip options unknown to the kernel */
	bool verbose;		/* -v */
};

/*
 * Mounts @mo on cfg->dir, loading rnfs.ko if needed, and says why not if
 * it cannot ("mount.rnfs: ..." on stderr).  Returns an exit status
 * (status.h).  Nothing is left mounted when it fails.
 */
int rnfs_kmount(const struct rnfs_mopts *mo, const struct rnfs_kmount_cfg *cfg);

#endif /* _RNFS_MOUNT_KMOUNT_H */
