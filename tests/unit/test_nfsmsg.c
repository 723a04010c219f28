// SPDX-License-Identifier: GPL-2.0
/*
 * usr/rnfsd/nfsmsg.c: the steps of the export check's COMPOUND, the fsid
 * out of its GETATTR, and what rnfsd makes of every answer a server may
 * give (the messages themselves are libnfs's).
 */
#include <string.h>

#include "unit.h"
#include "../../usr/rnfsd/nfsmsg.h"

static char why[NFSMSG_REASON_LEN];

static void path_steps(void)
{
	struct nfsmsg_step s[8];
	const char *p = "/gpfs//./install/../x/";

	CU_ASSERT_EQUAL(nfsmsg_path_steps(p, NULL, 0), 4);
	CU_ASSERT_EQUAL_FATAL(nfsmsg_path_steps(p, s, 8), 4);
	CU_ASSERT_EQUAL(s[0].len, 4);
	CU_ASSERT_EQUAL(strncmp(s[0].name, "gpfs", 4), 0);
	CU_ASSERT_EQUAL(s[1].len, 7);
	CU_ASSERT_EQUAL(strncmp(s[1].name, "install", 7), 0);
	CU_ASSERT_EQUAL(s[2].len, 0);		/* "..": LOOKUPP */
	CU_ASSERT_EQUAL(s[3].len, 1);
	CU_ASSERT_EQUAL(s[3].name[0], 'x');

	/* No more than asked for is written; the count is still whole. */
	memset(s, 0, sizeof(s));
	CU_ASSERT_EQUAL(nfsmsg_path_steps(p, s, 1), 4);
	CU_ASSERT_EQUAL(s[0].len, 4);
	CU_ASSERT_PTR_NULL(s[1].name);

	/* The root, and names that only look like dots. */
	CU_ASSERT_EQUAL(nfsmsg_path_steps("/", s, 8), 0);
	CU_ASSERT_EQUAL(nfsmsg_path_steps("", s, 8), 0);
	CU_ASSERT_EQUAL(nfsmsg_path_steps("/.../.x", s, 8), 2);
	CU_ASSERT_EQUAL(s[0].len, 3);
	CU_ASSERT_EQUAL(s[1].len, 2);
}

static void fsid_decode(void)
{
	static const uint8_t vals[] = {
		0, 0, 0, 0, 0, 0, 0, 1,
		0x80, 0, 0, 0, 0, 0, 0x01, 0x02,
	};
	struct nfsmsg_fsid f = { 0, 0 };
	uint32_t mask[2] = { 1u << NFSMSG_FATTR4_FSID, 0 };

	CU_ASSERT_EQUAL(nfsmsg_fsid_decode(mask, 1, vals, 16, &f), 1);
	CU_ASSERT_EQUAL(f.major, 1);
	CU_ASSERT_EQUAL(f.minor, 0x8000000000000102ull);
	/* A second bitmap word, attributes after the fsid: ignored. */
	mask[0] |= 1u << 9;
	mask[1] = 1;
	CU_ASSERT_EQUAL(nfsmsg_fsid_decode(mask, 2, vals, 16, &f), 1);

	/* Not there: no mask, or the fsid not in it. */
	CU_ASSERT_EQUAL(nfsmsg_fsid_decode(mask, 0, vals, 16, &f), 0);
	mask[0] = 1u << 9;
	CU_ASSERT_EQUAL(nfsmsg_fsid_decode(mask, 1, vals, 16, &f), 0);

	/* Malformed: cut short, an attribute before it not asked for. */
	mask[0] = 1u << NFSMSG_FATTR4_FSID;
	CU_ASSERT_EQUAL(nfsmsg_fsid_decode(mask, 1, vals, 8, &f), -1);
	mask[0] |= 1u << 4;			/* size */
	CU_ASSERT_EQUAL(nfsmsg_fsid_decode(mask, 1, vals, 16, &f), -1);
}

static const struct nfsmsg_fsid fsid = { .major = 1, .minor = 2 };

static enum nfsmsg_export_verdict verdict(uint32_t status, const char *name,
					  int has_fsid, uint64_t major,
					  uint64_t minor)
{
	const struct nfsmsg_export_reply r = {
		.status = status,
		.status_name = name,
		.has_fsid = has_fsid,
		.fsid = { major, minor },
	};

	why[0] = '\0';
	return nfsmsg_export_verdict(&r, "/export", &fsid, why, sizeof(why));
}

#define ASSERT_WHY(w) do {						\
	CU_ASSERT_STRING_EQUAL(why, w);					\
	if (strcmp(why, w))						\
		fprintf(stderr, "    line %d: \"%s\"\n", __LINE__, why); \
} while (0)

#define ASSERT_VERDICT(call, v, w) do {					\
	CU_ASSERT_EQUAL(call, v);					\
	ASSERT_WHY(w);							\
} while (0)

static void export_ok(void)
{
	const struct nfsmsg_export_reply r = { .has_fsid = 1, .fsid = { 3, 4 } };

	ASSERT_VERDICT(verdict(0, "NFS4_OK", 1, 1, 2), NFSMSG_EXPORT_OK, "");

	/* Another filesystem where the export was: a crossmnt parent's. */
	ASSERT_VERDICT(verdict(0, "NFS4_OK", 1, 0, 0), NFSMSG_EXPORT_FAILED,
		       "export not found: /export (another filesystem is there)");
	ASSERT_VERDICT(verdict(0, "NFS4_OK", 1, 1, 3), NFSMSG_EXPORT_FAILED,
		       "export not found: /export (another filesystem is there)");
	ASSERT_VERDICT(verdict(0, "NFS4_OK", 1, 2, 2), NFSMSG_EXPORT_FAILED,
		       "export not found: /export (another filesystem is there)");

	/* The kernel's fsid unknown (0:0): not compared. */
	why[0] = '\0';
	CU_ASSERT_EQUAL(nfsmsg_export_verdict(&r, "/export",
					      &(struct nfsmsg_fsid){ 0, 0 },
					      why, sizeof(why)),
			NFSMSG_EXPORT_OK);
	CU_ASSERT_EQUAL(nfsmsg_export_verdict(&r, "/export", NULL, why,
					      sizeof(why)),
			NFSMSG_EXPORT_OK);

	/* The server did not return the fsid: nothing to compare. */
	ASSERT_VERDICT(verdict(0, "NFS4_OK", 0, 0, 0), NFSMSG_EXPORT_OK, "");
}

static void export_failed(void)
{
	/* The path gone from the pseudo-filesystem. */
	ASSERT_VERDICT(verdict(2, "NFS4ERR_NOENT", 0, 0, 0),
		       NFSMSG_EXPORT_FAILED, "export not found: /export");
	ASSERT_VERDICT(verdict(20, "NFS4ERR_NOTDIR", 0, 0, 0),
		       NFSMSG_EXPORT_FAILED, "export not found: /export");
	ASSERT_VERDICT(verdict(70, "NFS4ERR_STALE", 0, 0, 0),
		       NFSMSG_EXPORT_FAILED,
		       "export gone: /export (stale file handle)");
	ASSERT_VERDICT(verdict(10014, "NFS4ERR_FHEXPIRED", 0, 0, 0),
		       NFSMSG_EXPORT_FAILED,
		       "export gone: /export (stale file handle)");
	ASSERT_VERDICT(verdict(5, "NFS4ERR_IO", 0, 0, 0),
		       NFSMSG_EXPORT_FAILED, "export check: NFS4ERR_IO");
	ASSERT_VERDICT(verdict(10008, "NFS4ERR_DELAY", 0, 0, 0),
		       NFSMSG_EXPORT_FAILED, "export check: NFS4ERR_DELAY");
	/* A status libnfs does not name. */
	ASSERT_VERDICT(verdict(12345, NULL, 0, 0, 0),
		       NFSMSG_EXPORT_FAILED, "export check: NFS4ERR 12345");
	/* NFS4_OK without the GETATTR, or with a malformed one. */
	ASSERT_VERDICT(verdict(0, "NFS4_OK", -1, 1, 2),
		       NFSMSG_EXPORT_FAILED, "bad reply to the export check");
}

/* The server answers, but about rnfsd, not about the export. */
static void export_unchecked(void)
{
	ASSERT_VERDICT(verdict(10021, "NFS4ERR_MINOR_VERS_MISMATCH", 0, 0, 0),
		       NFSMSG_EXPORT_UNCHECKED, "does not serve NFSv4.0");
	/* A krb5-only export: the LOOKUP into it. */
	ASSERT_VERDICT(verdict(10016, "NFS4ERR_WRONGSEC", 0, 0, 0),
		       NFSMSG_EXPORT_UNCHECKED,
		       "refuses rnfsd's export check (NFS4ERR_WRONGSEC)");
	ASSERT_VERDICT(verdict(13, "NFS4ERR_ACCESS", 0, 0, 0),
		       NFSMSG_EXPORT_UNCHECKED,
		       "refuses rnfsd's export check (NFS4ERR_ACCESS)");
	ASSERT_VERDICT(verdict(1, "NFS4ERR_PERM", 0, 0, 0),
		       NFSMSG_EXPORT_UNCHECKED,
		       "refuses rnfsd's export check (NFS4ERR_PERM)");
	ASSERT_VERDICT(verdict(10029, "NFS4ERR_SYMLINK", 0, 0, 0),
		       NFSMSG_EXPORT_UNCHECKED,
		       "has a symbolic link in the exported path (NFS4ERR_SYMLINK)");
	ASSERT_VERDICT(verdict(10019, "NFS4ERR_MOVED", 0, 0, 0),
		       NFSMSG_EXPORT_UNCHECKED,
		       "has a referral in the exported path (NFS4ERR_MOVED)");
	ASSERT_VERDICT(verdict(10036, "NFS4ERR_BADXDR", 0, 0, 0),
		       NFSMSG_EXPORT_UNCHECKED,
		       "does not take rnfsd's export check (NFS4ERR_BADXDR)");
	ASSERT_VERDICT(verdict(10018, "NFS4ERR_RESOURCE", 0, 0, 0),
		       NFSMSG_EXPORT_UNCHECKED,
		       "does not take rnfsd's export check (NFS4ERR_RESOURCE)");
}

/* libnfs 4.0's words for a reply that is not SUCCESS. */
static void rpc_errors(void)
{
	ASSERT_VERDICT(nfsmsg_rpc_error_verdict("RPC Packet not accepted by the server",
						why, sizeof(why)),
		       NFSMSG_EXPORT_UNCHECKED,
		       "refuses rnfsd's export check (credentials refused)");
	ASSERT_VERDICT(nfsmsg_rpc_error_verdict("Message rejected by server",
						why, sizeof(why)),
		       NFSMSG_EXPORT_UNCHECKED,
		       "refuses rnfsd's export check (credentials refused)");
	ASSERT_VERDICT(nfsmsg_rpc_error_verdict("Server responded: Garbage arguments",
						why, sizeof(why)),
		       NFSMSG_EXPORT_UNCHECKED,
		       "refuses rnfsd's export check (garbage arguments)");
	ASSERT_VERDICT(nfsmsg_rpc_error_verdict("Server responded: Program version mismatch",
						why, sizeof(why)),
		       NFSMSG_EXPORT_UNCHECKED,
		       "refuses rnfsd's export check (program version mismatch)");
	ASSERT_VERDICT(nfsmsg_rpc_error_verdict("Server responded: System Error",
						why, sizeof(why)),
		       NFSMSG_EXPORT_FAILED, "export check: system error");
	ASSERT_VERDICT(nfsmsg_rpc_error_verdict("Unknown rpc response from server",
						why, sizeof(why)),
		       NFSMSG_EXPORT_FAILED,
		       "export check: Unknown rpc response from server");
	ASSERT_VERDICT(nfsmsg_rpc_error_verdict(NULL, why, sizeof(why)),
		       NFSMSG_EXPORT_FAILED, "export check: unknown error");
}

static const struct unit_test tests[] = {
	{ "path_steps", path_steps },
	{ "fsid_decode", fsid_decode },
	{ "export_ok", export_ok },
	{ "export_failed", export_failed },
	{ "export_unchecked", export_unchecked },
	{ "rpc_errors", rpc_errors },
	{ NULL, NULL },
};

const struct unit_suite nfsmsg_suite = { "nfsmsg", tests };
