/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rnfs mounts as rnfsd last read them from the kernel, published with
 * RCU: probe threads read it under rcu_read_lock(); the housekeeper
 * replaces it whole and frees the old copy after a grace period.  Only
 * what may change with a refresh lives here; what identifies a replica
 * lives in its watch.
 */
#ifndef _RNFSD_TABLE_H
#define _RNFSD_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "spec.h"

struct watch;

struct table_mount {
	uint32_t id, dev;
	char *label;			/* mount point, else the source */
	uint64_t deadline_ms;		/* timeo x retrans */
	uint64_t failback_ms;
	uint64_t fsid_major, fsid_minor;	/* 0:0 unknown */
	unsigned int nr;
	struct watch *watch[RNFS_MAX_REPLICAS];	/* NULL: not watched */
};

struct table {
	size_t nr;
	struct table_mount mount[];
};

/* Dereference with rcu_dereference(), under rcu_read_lock(). */
extern struct table *table_current;

struct table *table_alloc(size_t mounts);
void table_free(struct table *t);

/* Make @t current; returns the old table, to free after synchronize_rcu(). */
struct table *table_publish(struct table *t);

/* The mount @w belongs to, or NULL; @t may be NULL. */
const struct table_mount *table_find(const struct table *t,
				     const struct watch *w);

#endif /* _RNFSD_TABLE_H */
