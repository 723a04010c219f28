// SPDX-License-Identifier: GPL-2.0
/*
 * The export check's pure parts (see nfsmsg.h): the steps down the
 * exported path, the fsid out of a GETATTR's attributes, and verdicts.
 * The bytes on the wire are libnfs's (probe_export.c); only the fattr4
 * attribute values are left to us, which libnfs hands over as opaque
 * XDR.
 */
#include <stdio.h>
#include <string.h>

#include "nfsmsg.h"

/* RFC 7530 */
#define NFS4_OK				0
#define NFS4ERR_PERM			1
#define NFS4ERR_NOENT			2
#define NFS4ERR_ACCESS			13
#define NFS4ERR_NOTDIR			20
#define NFS4ERR_INVAL			22
#define NFS4ERR_NAMETOOLONG		63
#define NFS4ERR_STALE			70
#define NFS4ERR_BADHANDLE		10001
#define NFS4ERR_NOTSUPP			10004
#define NFS4ERR_FHEXPIRED		10014
#define NFS4ERR_WRONGSEC		10016
#define NFS4ERR_RESOURCE		10018
#define NFS4ERR_MOVED			10019
#define NFS4ERR_NOFILEHANDLE		10020
#define NFS4ERR_MINOR_VERS_MISMATCH	10021
#define NFS4ERR_SYMLINK			10029
#define NFS4ERR_ATTRNOTSUPP		10032
#define NFS4ERR_BADXDR			10036
#define NFS4ERR_BADNAME			10041
#define NFS4ERR_OP_ILLEGAL		10044

size_t nfsmsg_path_steps(const char *path, struct nfsmsg_step *steps,
			 size_t max)
{
	const char *s, *end;
	size_t n = 0, len;

	for (s = path; *s; s = *end ? end + 1 : end) {
		end = strchrnul(s, '/');
		len = (size_t)(end - s);
		if (!len || (len == 1 && s[0] == '.'))
			continue;
		if (n < max) {
			steps[n].name = s;
			/* "..": LOOKUPP, len 0. */
			steps[n].len = len == 2 && s[0] == '.' && s[1] == '.' ?
				       0 : len;
		}
		n++;
	}
	return n;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

int nfsmsg_fsid_decode(const uint32_t *mask, size_t words, const void *vals,
		       size_t len, struct nfsmsg_fsid *fsid)
{
	const uint32_t below = (1u << NFSMSG_FATTR4_FSID) - 1;

	if (!words || !(mask[0] & 1u << NFSMSG_FATTR4_FSID))
		return 0;
	/*
	 * Values come in the order of their numbers: one before the fsid
	 * would have to be skipped, and only the fsid was asked for.
	 */
	if (mask[0] & below)
		return -1;
	if (len < 16)
		return -1;
	fsid->major = get64(vals);
	fsid->minor = get64((const uint8_t *)vals + 8);
	return 1;
}

static bool fsid_known(const struct nfsmsg_fsid *f)
{
	return f && (f->major || f->minor);
}

enum nfsmsg_export_verdict
nfsmsg_export_verdict(const struct nfsmsg_export_reply *r, const char *path,
		      const struct nfsmsg_fsid *want, char *why, size_t whylen)
{
	char num[24];
	const char *name = r->status_name;

	why[0] = '\0';
	if (!name) {
		snprintf(num, sizeof(num), "NFS4ERR %u", r->status);
		name = num;
	}
	switch (r->status) {
	case NFS4_OK:
		if (r->has_fsid < 0) {
			snprintf(why, whylen, "bad reply to the export check");
			return NFSMSG_EXPORT_FAILED;
		}
		if (r->has_fsid && fsid_known(want) &&
		    (r->fsid.major != want->major ||
		     r->fsid.minor != want->minor)) {
			snprintf(why, whylen,
				 "export not found: %s (another filesystem is there)",
				 path);
			return NFSMSG_EXPORT_FAILED;
		}
		return NFSMSG_EXPORT_OK;
	case NFS4ERR_NOENT:
	case NFS4ERR_NOTDIR:
		snprintf(why, whylen, "export not found: %s", path);
		return NFSMSG_EXPORT_FAILED;
	case NFS4ERR_STALE:
	case NFS4ERR_FHEXPIRED:
	case NFS4ERR_BADHANDLE:
		snprintf(why, whylen, "export gone: %s (stale file handle)",
			 path);
		return NFSMSG_EXPORT_FAILED;
	case NFS4ERR_MINOR_VERS_MISMATCH:
		snprintf(why, whylen, "does not serve NFSv4.0");
		return NFSMSG_EXPORT_UNCHECKED;
	/*
	 * rnfsd, not the export: a krb5-only export (WRONGSEC), a squashed
	 * root that may not search the path (ACCESS), a "secure" export
	 * and no reserved port (PERM).
	 */
	case NFS4ERR_WRONGSEC:
	case NFS4ERR_ACCESS:
	case NFS4ERR_PERM:
		snprintf(why, whylen, "refuses rnfsd's export check (%s)",
			 name);
		return NFSMSG_EXPORT_UNCHECKED;
	case NFS4ERR_SYMLINK:
		snprintf(why, whylen,
			 "has a symbolic link in the exported path (%s)", name);
		return NFSMSG_EXPORT_UNCHECKED;
	case NFS4ERR_MOVED:
		snprintf(why, whylen,
			 "has a referral in the exported path (%s)", name);
		return NFSMSG_EXPORT_UNCHECKED;
	/* The request itself, as the server sees it: not the export. */
	case NFS4ERR_NOTSUPP:
	case NFS4ERR_ATTRNOTSUPP:
	case NFS4ERR_BADXDR:
	case NFS4ERR_OP_ILLEGAL:
	case NFS4ERR_NOFILEHANDLE:
	case NFS4ERR_BADNAME:
	case NFS4ERR_NAMETOOLONG:
	case NFS4ERR_INVAL:
	case NFS4ERR_RESOURCE:
		snprintf(why, whylen, "does not take rnfsd's export check (%s)",
			 name);
		return NFSMSG_EXPORT_UNCHECKED;
	default:
		snprintf(why, whylen, "export check: %s", name);
		return NFSMSG_EXPORT_FAILED;
	}
}

enum nfsmsg_export_verdict
nfsmsg_rpc_error_verdict(const char *err, char *why, size_t whylen)
{
	/* libnfs 4.0's words for the replies that are not SUCCESS. */
	static const struct {
		const char *words;
		const char *what;
		enum nfsmsg_export_verdict v;
	} known[] = {
		{ "not accepted", "credentials refused",
		  NFSMSG_EXPORT_UNCHECKED },
		{ "rejected", "credentials refused", NFSMSG_EXPORT_UNCHECKED },
		{ "Program not available", "program unavailable",
		  NFSMSG_EXPORT_UNCHECKED },
		{ "Program version mismatch", "program version mismatch",
		  NFSMSG_EXPORT_UNCHECKED },
		{ "Procedure not available", "procedure unavailable",
		  NFSMSG_EXPORT_UNCHECKED },
		{ "Garbage arguments", "garbage arguments",
		  NFSMSG_EXPORT_UNCHECKED },
		{ "System Error", "system error", NFSMSG_EXPORT_FAILED },
	};
	size_t i;

	if (!err || !*err)
		err = "unknown error";
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (!strcasestr(err, known[i].words))
			continue;
		if (known[i].v == NFSMSG_EXPORT_FAILED)
			snprintf(why, whylen, "export check: %s",
				 known[i].what);
		else
			snprintf(why, whylen,
				 "refuses rnfsd's export check (%s)",
				 known[i].what);
		return known[i].v;
	}
	snprintf(why, whylen, "export check: %s", err);
	return NFSMSG_EXPORT_FAILED;
}
