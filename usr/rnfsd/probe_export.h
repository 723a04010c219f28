/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The export check with libnfs's raw RPC layer, for probe.c (see
 * probe.h, nfsmsg.h).  A file of its own: libnfs's headers stand in for
 * <rpc/rpc.h>, which probe.c takes from libtirpc for the NULL call.
 */
#ifndef _RNFSD_PROBE_EXPORT_H
#define _RNFSD_PROBE_EXPORT_H

#include <stdint.h>

#include "nfsmsg.h"

/* One replica's libnfs context, kept from one probe to the next. */
struct export_check;

struct export_check *export_check_new(void);
void export_check_free(struct export_check *ec);

/*
 * Check the export @path of @host; @end is the probe's deadline
 * (CLOCK_MONOTONIC ms), and the check gives up once one of @wake (@nwake
 * fds, -1 for none) is readable.
 *
 * Returns 0 when the server answered, the verdict in *@v; else -errno:
 * -ETIMEDOUT, -ECANCELED, or another for a failed connection.  @why says
 * why, but for OK, -ETIMEDOUT and -ECANCELED.  The connection is kept
 * while the server answers; a kept one it closed since is replaced once,
 * within the same check.
 */
int export_check_run(struct export_check *ec, const char *host,
		     const char *path, const struct nfsmsg_fsid *want,
		     uint64_t end, const int *wake, int nwake,
		     enum nfsmsg_export_verdict *v, char *why, size_t whylen);

#endif /* _RNFSD_PROBE_EXPORT_H */
