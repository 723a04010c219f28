/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure parts of the export check (see probe.h): what to ask, and what
 * the answers mean.  No I/O, no library: the unit tests feed it every
 * answer a server may give.  The call itself is made with libnfs
 * (probe_export.c), one NFSv4.0 COMPOUND with AUTH_SYS:
 *
 *      PUTROOTFH, LOOKUP of each component of the exported path,
 *      GETATTR {fsid}
 *
 * The path is walked from the pseudo-root on every probe, as a new mount
 * would, rather than through a file handle kept from an earlier one:
 * "exportfs -u" then leaves either no such name (NFS4ERR_NOENT) or,
 * under a crossmnt parent, a directory of another filesystem, which the
 * fsid tells.  Asking for the fsid alone keeps the server from a statfs
 * of the backing filesystem, which space or file counts would cost (on
 * Lustre or GPFS, a round trip to every OST or NSD, so that one slow
 * target would fail every replica at once).
 */
#ifndef _RNFSD_NFSMSG_H
#define _RNFSD_NFSMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NFSMSG_REASON_LEN	160

/* RFC 7530's numbers for what the export check asks. */
#define NFSMSG_FATTR4_FSID	8

/* One step down the exported path: LOOKUP @name, or LOOKUPP for "..". */
struct nfsmsg_step {
	const char *name;		/* into the path; not terminated */
	size_t len;			/* 0: LOOKUPP */
};

/*
 * The steps of @path, empty components and "." left out; writes at most
 * @max of them into @steps and returns how many there are, as snprintf()
 * does: nfsmsg_path_steps(path, NULL, 0) counts them.
 */
size_t nfsmsg_path_steps(const char *path, struct nfsmsg_step *steps,
			 size_t max);

/* The fsid the kernel reports for the mount; 0:0, unknown, is not compared. */
struct nfsmsg_fsid {
	uint64_t major, minor;
};

/*
 * The fsid in a GETATTR's fattr4: @mask (@words words) says which
 * attributes @vals (@len bytes of XDR) holds.  Returns 1 with *@fsid set,
 * 0 when the fsid is not there, -1 when malformed (an attribute before
 * the fsid that was not asked for, values cut short).
 */
int nfsmsg_fsid_decode(const uint32_t *mask, size_t words, const void *vals,
		       size_t len, struct nfsmsg_fsid *fsid);

enum nfsmsg_export_verdict {
	NFSMSG_EXPORT_OK,		/* there, and the mount's filesystem */
	NFSMSG_EXPORT_FAILED,		/* gone, or the server failing */
	/*
	 * The server answered, but the check cannot tell: no NFSv4.0, or a
	 * refusal of rnfsd itself (sec=krb5 only, a squashed root without
	 * search permission, a port not reserved...).  That says nothing
	 * about the export, and must not take the replica out of service.
	 */
	NFSMSG_EXPORT_UNCHECKED,
};

/* A COMPOUND4res, as far as the export check cares. */
struct nfsmsg_export_reply {
	/* The COMPOUND's status: that of its first failed operation. */
	uint32_t status;
	const char *status_name;	/* "NFS4ERR_NOENT"; NULL: unknown */
	/*
	 * For NFS4_OK: nfsmsg_fsid_decode()'s verdict on the GETATTR's
	 * attributes, and -1 as well when the reply has no GETATTR.
	 */
	int has_fsid;
	struct nfsmsg_fsid fsid;
};

/*
 * The reply to the export check of @path.  @why says why the export
 * failed or could not be checked, for a log line: after "replica X is
 * down (...)" for FAILED, after "replica X " for UNCHECKED.
 */
enum nfsmsg_export_verdict
nfsmsg_export_verdict(const struct nfsmsg_export_reply *r, const char *path,
		      const struct nfsmsg_fsid *want, char *why, size_t whylen);

/*
 * The export check turned down at the RPC layer, in libnfs's words
 * (@err, "Server responded: Garbage arguments"...): refusals of rnfsd's
 * call are UNCHECKED, the server's own failure (SYSTEM_ERR) FAILED.
 */
enum nfsmsg_export_verdict
nfsmsg_rpc_error_verdict(const char *err, char *why, size_t whylen);

#endif /* _RNFSD_NFSMSG_H */
