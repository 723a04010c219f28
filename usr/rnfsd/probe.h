/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One probe of one replica, bounded by the mount's deadline:
 *
 *  1. a NULL call to NFS (program 100003, version 4) over TCP port 2049,
 *     with libtirpc: does nfsd answer at all?
 *  2. the export check (nfsmsg.h), one NFSv4.0 COMPOUND with libnfs's
 *     raw RPC layer: PUTROOTFH, a LOOKUP per component of the exported
 *     path, GETATTR of the fsid alone.  Is the export still there, and
 *     is it still the mount's filesystem?  This catches a server whose
 *     nfsd answers but whose export is gone ("exportfs -u", a dead
 *     backing filesystem), without the statfs that space or file counts
 *     would cost the server.
 *
 * Each keeps its connection from one probe to the next while it works.
 * When the server answers but the check cannot tell (no NFSv4.0, or the
 * server turns rnfsd's AUTH_SYS request down: a krb5-only export,
 * NFS4ERR_ACCESS, NFS4ERR_PERM), the probe rests on the first step only;
 * probe_result.export_checked says so, and .unchecked why.
 */
#ifndef _RNFSD_PROBE_H
#define _RNFSD_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#define PROBE_REASON_LEN	160

struct probe_target {
	const char *host;		/* numeric IPv4 or IPv6 address */
	const char *path;		/* the exported path */
	uint64_t fsid_major, fsid_minor;	/* the mount's; 0:0 unknown */
	uint64_t deadline_ms;
};

struct probe_result {
	bool ok;
	bool export_checked;		/* step 2 told */
	char reason[PROBE_REASON_LEN];	/* why not ok: "timed out", ... */
	/* ok, export not checked: why, after "replica X ". */
	char unchecked[PROBE_REASON_LEN];
};

/*
 * What one replica's probes keep from one to the next (the connections,
 * while they work).  A probe returns early, failed, once @stop_fd (-1:
 * none) is readable; it is never read here.
 */
struct probe_conn;

struct probe_conn *probe_conn_new(int stop_fd);
void probe_conn_free(struct probe_conn *pc);

/* Probe @t; blocks for at most t->deadline_ms (plus a few ms). */
void probe_run(struct probe_conn *pc, const struct probe_target *t,
	       struct probe_result *res);

/*
 * From another thread: make the probe under way, and any later one,
 * return now, failed ("stopped"), rather than at its deadline.  For a
 * replica no longer watched.
 */
void probe_cancel(struct probe_conn *pc);

#endif /* _RNFSD_PROBE_H */
