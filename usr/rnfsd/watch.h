/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A watch: one replica of one mount under probe, with its thread and its
 * health.  It outlives table refreshes; it is keyed by mount id, replica
 * index and host, which the kernel never changes for a mount.
 */
#ifndef _RNFSD_WATCH_H
#define _RNFSD_WATCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "health.h"
#include "probe.h"
#include "rnfsnl.h"

struct watch {
	/* Identity: fixed at creation. */
	uint32_t mount_id, dev;
	unsigned int index;
	char host[RNFS_HOST_LEN];
	char path[RNFS_PATH_LEN];
	char name[RNFS_HOST_LEN + RNFS_PATH_LEN + 4];	/* for people */
	char source[RNFS_HOST_LEN + RNFS_PATH_LEN + 2];	/* the mount's */

	struct probe_conn *conn;	/* the probe thread's */
	pthread_t thread;
	bool started;

	pthread_mutex_t lock;		/* everything below but usable */
	pthread_cond_t wake;
	bool stop;
	struct health health;
	enum rnfs_replica_health told;	/* what the kernel believes */
	uint64_t told_ms;		/* when rnfsd said so; 0: never */
	char told_reason[RNFSNL_REASON_LEN];
	char failure[PROBE_REASON_LEN];	/* the latest failed probe's */
	bool warned_unchecked;		/* its export cannot be checked */

	/* UP or SUSPECT: read by the other replicas' threads. */
	atomic_bool usable;

	/* The housekeeper's. */
	struct watch *next;
	unsigned int seen;
};

struct watch *watch_new(const struct rnfsnl_mount *m,
			const struct rnfsnl_replica *r, int stop_fd);
int watch_start(struct watch *w);
/* Ask the thread to finish; watch_cancel() also cuts its probe short. */
void watch_stop(struct watch *w);
void watch_cancel(struct watch *w);
/* 0 once the thread is gone (then watch_free()), else EBUSY. */
int watch_tryjoin(struct watch *w);
void watch_join(struct watch *w);
void watch_free(struct watch *w);

/*
 * Say DOWN or SUSPECT again if rnfsd said so more than @period ago: a
 * probe that takes its whole deadline must not let the verdict lapse
 * (RNFS_VERDICT_TTL_S).
 */
void watch_repeat_verdict(struct watch *w, uint64_t now, uint64_t period);

/* "10.0.0.1:/install", "[fd00::1]:/install". */
void watch_format_name(char *buf, size_t len, const char *host,
		       const char *path);

#endif /* _RNFSD_WATCH_H */
