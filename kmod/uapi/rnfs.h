/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * rnfs generic netlink API, shared by rnfs.ko and the userspace programs
 * (nfs4cl, rnfsd).  Append-only: new commands, attributes and enum values
 * go at the end; nothing is ever renumbered or removed.
 *
 * Family "rnfs" (RNFS_GENL_NAME), version RNFS_GENL_VERSION.  A mount is
 * named by RNFS_A_MOUNT_DEV, the st_dev that stat(2) reports for any file
 * on it (new_encode_dev() format, as stat's st_dev), so a tool can go from
 * a path to its mount with one stat().
 *
 * RNFS_CMD_GET_MOUNT
 *   Open to every user.  With NLM_F_DUMP: one RNFS_CMD_GET_MOUNT message
 *   per rnfs mount.  Without: the request must carry RNFS_A_MOUNT_DEV and
 *   gets that one mount.  Each message:
 *
 *   RNFS_A_MOUNT_DEV              u32   st_dev of the mount
 *   RNFS_A_MOUNT_ID               u32   unique per mount while loaded
 *   RNFS_A_MOUNT_SOURCE           string  the source given to mount(2)
 *   RNFS_A_MOUNT_FSID_MAJOR       u64   the served filesystem's fsid (the
 *   RNFS_A_MOUNT_FSID_MINOR       u64     same through every replica)
 *   RNFS_A_MOUNT_ACTIVE           u32   index of the active replica;
 *                                       absent while every one is down
 *   RNFS_A_MOUNT_TIMEO            u32   deciseconds
 *   RNFS_A_MOUNT_RETRANS          u32
 *   RNFS_A_MOUNT_FAILBACK         u8    enum rnfs_failback
 *   RNFS_A_MOUNT_FAILBACK_DELAY   u32   seconds
 *   RNFS_A_MOUNT_SOFT             u8    1 for soft, 0 for hard
 *   RNFS_A_MOUNT_FAILOVERS        u64   times the mount moved to another
 *                                       replica, for any reason
 *   RNFS_A_MOUNT_LAST_EVENT       nest  the last event, as RNFS_A_EVENT_*
 *                                       (absent before the first)
 *   RNFS_A_MOUNT_REPLICAS         nest  one RNFS_A_REPLICA per replica,
 *                                       in preference order:
 *     RNFS_A_REPLICA              nest
 *       RNFS_A_REPLICA_INDEX      u32   0 is the primary
 *       RNFS_A_REPLICA_HOST       string  numeric address
 *       RNFS_A_REPLICA_PATH       string  exported path
 *       RNFS_A_REPLICA_STATE      u8    enum rnfs_replica_health
 *       RNFS_A_REPLICA_FAILURES   u64   times declared down
 *       RNFS_A_REPLICA_INFLIGHT   u32   requests queued or running
 *       RNFS_A_REPLICA_SILENT_MS  u32   since the server last answered
 *                                       (absent if it never did)
 *
 * The commands below that change a mount also take RNFS_A_MOUNT_ID, as
 * GET_MOUNT gave it: device numbers are reused as soon as a mount goes,
 * and with the id a command meant for a mount that is gone fails with
 * ESTALE instead of changing its successor.
 *
 * RNFS_CMD_SET_MOUNT                         CAP_SYS_ADMIN
 *   RNFS_A_MOUNT_DEV, then any of RNFS_A_MOUNT_TIMEO, _RETRANS,
 *   _FAILBACK, _FAILBACK_DELAY.  Takes effect at once; every value is
 *   checked before any is applied (mount options' limits).
 *
 * RNFS_CMD_SWITCH                            CAP_SYS_ADMIN
 *   RNFS_A_MOUNT_DEV, RNFS_A_REPLICA_INDEX: make that replica active.
 *   EHOSTDOWN if it is down; EALREADY if it is active already.
 *
 * RNFS_CMD_SET_REPLICA_STATE                 CAP_SYS_ADMIN
 *   rnfsd's probe verdicts.  RNFS_A_MOUNT_DEV, RNFS_A_REPLICA_INDEX,
 *   RNFS_A_REPLICA_STATE, optional RNFS_A_EVENT_REASON.  DOWN declares
 *   the replica down (failing over if it is active) and keeps the kernel's
 *   own probes from declaring it up again for RNFS_VERDICT_TTL_S seconds;
 *   rnfsd repeats it while the replica stays down.  DOWN for the only
 *   replica up counts as SUSPECT: rnfsd may not stop a mount.  SUSPECT is shown, and
 *   nothing else.  UP lifts a DOWN verdict and asks the kernel to probe the
 *   replica at once: only a kernel probe makes a replica up.
 *
 * Multicast group "events" (RNFS_GENL_MCGRP_EVENTS): RNFS_CMD_EVENT
 *   messages, open to every user:
 *   RNFS_A_MOUNT_DEV, RNFS_A_MOUNT_ID, RNFS_A_MOUNT_SOURCE, and
 *   RNFS_A_EVENT_TYPE   u8     enum rnfs_event
 *   RNFS_A_EVENT_FROM   u32    replica index the event is about (for a
 *                              failover, failback or switch: the old one)
 *   RNFS_A_EVENT_TO     u32    the new active replica (failover, failback,
 *                              switch, resumed)
 *   RNFS_A_EVENT_REASON string why, for a person
 *   RNFS_A_EVENT_AGE_MS u64    in RNFS_A_MOUNT_LAST_EVENT only: how long ago
 */
#ifndef _UAPI_LINUX_RNFS_H
#define _UAPI_LINUX_RNFS_H

#define RNFS_GENL_NAME			"rnfs"
#define RNFS_GENL_VERSION		1
#define RNFS_GENL_MCGRP_EVENTS		"events"

/* How long a DOWN verdict from rnfsd holds unless repeated. */
#define RNFS_VERDICT_TTL_S		10

/*
 * The largest tunables SET_MOUNT (and the mount options) accept; timeo
 * and retrans are at least 1.
 */
#define RNFS_MAX_TIMEO			6000	/* deciseconds: ten minutes */
#define RNFS_MAX_RETRANS		100
#define RNFS_MAX_FAILBACK_DELAY		86400	/* seconds */

enum rnfs_nl_cmd {
	RNFS_CMD_UNSPEC,
	RNFS_CMD_GET_MOUNT,
	RNFS_CMD_SET_MOUNT,
	RNFS_CMD_SWITCH,
	RNFS_CMD_SET_REPLICA_STATE,
	RNFS_CMD_EVENT,
	__RNFS_CMD_MAX
};

#define RNFS_CMD_MAX (__RNFS_CMD_MAX - 1)

enum rnfs_nl_attr {
	RNFS_A_UNSPEC,
	RNFS_A_MOUNT_DEV,
	RNFS_A_MOUNT_ID,
	RNFS_A_MOUNT_SOURCE,
	RNFS_A_MOUNT_FSID_MAJOR,
	RNFS_A_MOUNT_FSID_MINOR,
	RNFS_A_MOUNT_ACTIVE,
	RNFS_A_MOUNT_TIMEO,
	RNFS_A_MOUNT_RETRANS,
	RNFS_A_MOUNT_FAILBACK,
	RNFS_A_MOUNT_FAILBACK_DELAY,
	RNFS_A_MOUNT_SOFT,
	RNFS_A_MOUNT_FAILOVERS,
	RNFS_A_MOUNT_LAST_EVENT,
	RNFS_A_MOUNT_REPLICAS,
	RNFS_A_REPLICA,
	RNFS_A_REPLICA_INDEX,
	RNFS_A_REPLICA_HOST,
	RNFS_A_REPLICA_PATH,
	RNFS_A_REPLICA_STATE,
	RNFS_A_REPLICA_FAILURES,
	RNFS_A_REPLICA_INFLIGHT,
	RNFS_A_REPLICA_SILENT_MS,
	RNFS_A_EVENT_TYPE,
	RNFS_A_EVENT_FROM,
	RNFS_A_EVENT_TO,
	RNFS_A_EVENT_REASON,
	RNFS_A_EVENT_AGE_MS,
	RNFS_A_PAD,
	__RNFS_A_MAX
};

#define RNFS_A_MAX (__RNFS_A_MAX - 1)

enum rnfs_replica_health {
	RNFS_HEALTH_DOWN,	/* declared down, or never mounted */
	RNFS_HEALTH_UP,
	RNFS_HEALTH_SUSPECT,	/* up, but rnfsd's probes are failing */
	__RNFS_HEALTH_MAX
};

#define RNFS_HEALTH_MAX (__RNFS_HEALTH_MAX - 1)

enum rnfs_failback {
	RNFS_FAILBACK_MANUAL,
	RNFS_FAILBACK_AUTO,
	__RNFS_FAILBACK_MAX
};

#define RNFS_FAILBACK_MAX (__RNFS_FAILBACK_MAX - 1)

enum rnfs_event {
	RNFS_EVENT_NONE,
	RNFS_EVENT_FAILOVER,		/* the active replica died */
	RNFS_EVENT_FAILBACK,		/* back to the primary (auto) */
	RNFS_EVENT_SWITCH,		/* an administrator moved the mount */
	RNFS_EVENT_REPLICA_DOWN,	/* a replica not in use went down */
	RNFS_EVENT_REPLICA_UP,
	RNFS_EVENT_NOT_RESPONDING,	/* every replica is down */
	RNFS_EVENT_RESUMED,		/* ... and now one answers */
	RNFS_EVENT_LOCK_LOST,		/* a lock not regained after failover */
	RNFS_EVENT_REPLICA_REFUSED,	/* serves another filesystem: unused */
	__RNFS_EVENT_MAX
};

#define RNFS_EVENT_MAX (__RNFS_EVENT_MAX - 1)

#endif /* _UAPI_LINUX_RNFS_H */
