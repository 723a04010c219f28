/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfs4cl's output: what the kernel says about a mount (struct
 * rnfsnl_mount) and where mountinfo shows it, rendered as AIX's showfs
 * layout, as single fields for scripts, as JSON, and events as log lines.
 * Pure formatting, no netlink and no file system access, so that the
 * unit tests can pin every byte of it.
 */
#ifndef _RNFS_NFS4CL_SHOWFS_H
#define _RNFS_NFS4CL_SHOWFS_H

#include <stdio.h>
#include <time.h>

#include "mountinfo.h"
#include "rnfsnl.h"

struct showfs_entry {
	const struct rnfsnl_mount *m;
	const struct rnfs_mountinfo *mi;	/* NULL: not in mountinfo */
};

/*
 * The replica @m uses now, its "Current Server" (-f current), or NULL
 * while every replica is down.
 */
const struct rnfsnl_replica *showfs_current(const struct rnfsnl_mount *m);

/* The AIX layout: the header once, then one block per mount. */
void showfs_text(FILE *f, const struct showfs_entry *v, size_t n);

/* -f: one line per mount with the value of one field. */
enum showfs_field {
	SHOWFS_SERVER,
	SHOWFS_REMOTE,
	SHOWFS_FSID,
	SHOWFS_LOCAL,
	SHOWFS_CURRENT,
	SHOWFS_CURRENT_HOST,
	SHOWFS_STATE,
	SHOWFS_FAILOVERS,
	SHOWFS_OPTIONS,
	SHOWFS_REPLICAS,
	SHOWFS_NR_FIELDS
};

/* The field called @name, or -1. */
int showfs_field_parse(const char *name);
/* Every field name, for an error message: "server, remote, ...". */
extern const char showfs_field_list[];
void showfs_field(FILE *f, const struct showfs_entry *e,
		  enum showfs_field field);

/* --json: an array with one object per mount. */
void showfs_json(FILE *f, const struct showfs_entry *v, size_t n);

/*
 * One line per event, stamped with @when in local time.  @where names
 * the mount (its mount point, or the source when that is unknown); @m,
 * if not NULL, is the mount's current state, for the replicas' names.
 */
void showfs_event_text(FILE *f, const struct timespec *when,
		       const char *where, const struct rnfsnl_event *ev,
		       const struct rnfsnl_mount *m);
/* The same as one JSON object on one line. */
void showfs_event_json(FILE *f, const struct timespec *when,
		       const char *mountpoint, const struct rnfsnl_event *ev,
		       const struct rnfsnl_mount *m);

#endif /* _RNFS_NFS4CL_SHOWFS_H */
