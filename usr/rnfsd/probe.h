/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One probe of one replica, bounded by the mount's deadline:
 *
 *  1. a NULL call to NFS (program 100003, version 4) over TCP port 2049,
 *     with libtirpc: does nfsd answer at all?
 *  2. a GETATTR of the export's root with libnfs (NFSv4.0): is the export
 *     still there, and is it still the mount's filesystem (same fsid)?
 *     This catches a server whose nfsd answers but whose export is gone
 *     ("exportfs -u", a dead backing filesystem).
 *
 * libnfs speaks NFSv4.0 only.  A server that refuses minor version 0
 * (found out by an empty COMPOUND over the NULL call's connection) gets
 * the first check only; probe_result.export_checked says so.
 */
#ifndef _RNFSD_PROBE_H
#define _RNFSD_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#define PROBE_REASON_LEN	160

struct probe_target {
	const char *host;		/* numeric IPv4 or IPv6 address */
	const char *path;		/* the exported path */
	uint64_t fsid;			/* fsid major | minor; 0: unknown */
	uint64_t deadline_ms;
};

struct probe_result {
	bool ok;
	bool export_checked;		/* step 2 ran */
	char reason[PROBE_REASON_LEN];	/* why not ok: "timed out", ... */
};

/*
 * What one replica's probes keep from one to the next (the libnfs
 * session, while it works).  A probe returns early, failed, once
 * @stop_fd is readable; it is never read here.
 */
struct probe_conn;

struct probe_conn *probe_conn_new(int stop_fd);
void probe_conn_free(struct probe_conn *pc);

/* Probe @t; blocks for at most t->deadline_ms (plus a few ms). */
void probe_run(struct probe_conn *pc, const struct probe_target *t,
	       struct probe_result *res);

/*
 * From another thread, once @stop_fd is readable: make a probe blocked
 * in libtirpc return now rather than at its deadline.
 */
void probe_cancel(struct probe_conn *pc);

#endif /* _RNFSD_PROBE_H */
