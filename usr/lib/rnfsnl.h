/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace side of the rnfs generic netlink API (kmod/uapi/rnfs.h), over
 * libnl-3 genl.  Used by nfs4cl and rnfsd.
 *
 * Every function returns 0 or a negative errno: the kernel's own answer
 * where it gave one (-EPERM for an unprivileged caller, -ENODEV for an
 * unknown mount, -EINVAL for a bad value...), -EPROTONOSUPPORT when the
 * "rnfs" family is missing (rnfs.ko not loaded).
 */
#ifndef _RNFS_RNFSNL_H
#define _RNFS_RNFSNL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"		/* RNFS_MAX_REPLICAS, RNFS_HOST_LEN, ... */
#include "uapi/rnfs.h"

#define RNFSNL_REASON_LEN	64	/* the kernel keeps 63 characters */

struct rnfsnl_replica {
	unsigned int index;			/* 0 = primary */
	char host[RNFS_HOST_LEN];		/* numeric address */
	char path[RNFS_PATH_LEN];
	enum rnfs_replica_health state;
	uint64_t failures;			/* times declared down */
	uint32_t inflight;
	int64_t silent_ms;			/* -1: never answered */
};

struct rnfsnl_event {
	enum rnfs_event type;			/* RNFS_EVENT_NONE: none */
	uint32_t dev, id;
	char source[RNFS_HOST_LEN + RNFS_PATH_LEN + 2];
	int from, to;				/* replica index, -1: absent */
	char reason[RNFSNL_REASON_LEN];
	int64_t age_ms;				/* -1: absent */
};

struct rnfsnl_mount {
	uint32_t dev;				/* as stat(2)'s st_dev */
	uint32_t id;
	char source[RNFS_HOST_LEN + RNFS_PATH_LEN + 2];
	uint64_t fsid_major, fsid_minor;
	int active;				/* -1: every replica down */
	uint32_t timeo, retrans, failback_delay;
	enum rnfs_failback failback;
	bool soft;
	uint64_t failovers;
	struct rnfsnl_event last;		/* .type NONE: no event yet */
	unsigned int nr;
	struct rnfsnl_replica replica[RNFS_MAX_REPLICAS];
};

/* SET_MOUNT: only the fields whose has_ flag is set are sent. */
struct rnfsnl_tunables {
	bool has_timeo, has_retrans, has_failback, has_failback_delay;
	uint32_t timeo, retrans, failback_delay;
	enum rnfs_failback failback;
};

struct rnfsnl;

int rnfsnl_open(struct rnfsnl **nl);
void rnfsnl_close(struct rnfsnl *nl);

/* Every rnfs mount; *mounts is malloc()ed, free() it. */
int rnfsnl_get_mounts(struct rnfsnl *nl, struct rnfsnl_mount **mounts,
		      size_t *count);
/* The mount whose st_dev is @dev; -ENODEV if it is not an rnfs mount. */
int rnfsnl_get_mount(struct rnfsnl *nl, uint32_t dev, struct rnfsnl_mount *m);
/*
 * Commands that change the mount @dev.  @id is the mount's id as
 * GET_MOUNT gave it: the kernel answers -ESTALE if @dev now names
 * another mount (0: no such check).
 */
int rnfsnl_set_mount(struct rnfsnl *nl, uint32_t dev, uint32_t id,
		     const struct rnfsnl_tunables *t);
int rnfsnl_switch(struct rnfsnl *nl, uint32_t dev, uint32_t id,
		  unsigned int index);
int rnfsnl_set_replica_state(struct rnfsnl *nl, uint32_t dev, uint32_t id,
			     unsigned int index,
			     enum rnfs_replica_health state,
			     const char *reason);

/*
 * Events: subscribe once, then call rnfsnl_event_read() whenever
 * rnfsnl_fd() is readable (or in a loop: it blocks).  It calls @fn for
 * each event received and returns 0, or a negative errno.
 */
int rnfsnl_events_subscribe(struct rnfsnl *nl);
int rnfsnl_fd(struct rnfsnl *nl);
int rnfsnl_event_read(struct rnfsnl *nl,
		      void (*fn)(const struct rnfsnl_event *ev, void *arg),
		      void *arg);

/* "failover", "replica-up", ...; "unknown" for a value this build lacks. */
const char *rnfsnl_event_name(enum rnfs_event type);
/* "up", "suspect", "down". */
const char *rnfsnl_health_name(enum rnfs_replica_health state);

#endif /* _RNFS_RNFSNL_H */
