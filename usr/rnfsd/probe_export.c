// SPDX-License-Identifier: GPL-2.0
/*
 * The export check (see probe_export.h, nfsmsg.h): one NFSv4.0 COMPOUND
 * made with libnfs's raw RPC layer, PUTROOTFH, LOOKUP per component of
 * the path, GETATTR {fsid}, over a TCP connection to port 2049 with
 * AUTH_SYS.  libnfs builds and parses the messages and connects (from a
 * reserved port when it may bind one, as "secure" exports want); the
 * waiting is ours: a poll() on libnfs's fd, bounded by the probe's
 * deadline and woken by the stop and cancel fds, so that the check never
 * outlasts the probe, whatever the server does.  Nothing else is asked:
 * no client ID, no state, no statfs.
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>

#include <nfsc/libnfs.h>
#include <nfsc/libnfs-raw.h>
#include <nfsc/libnfs-raw-nfs4.h>

#include "probe_export.h"
#include "rnfsd.h"

#define NFS_PORT		2049
#define MACHINE_MAX		255	/* AUTH_SYS machinename */
#define WAKE_MAX		4

struct export_check {
	/*
	 * Connected, kept while the server answers on it: one connection
	 * per replica rather than a handshake (and a reserved port left in
	 * TIME_WAIT) every interval.
	 */
	struct rpc_context *rpc;
	char machine[MACHINE_MAX + 1];
};

/* A libnfs call in flight, and what its callback left. */
struct nfs4_call {
	bool done;
	bool lost;				/* the connection too */
	int status;				/* RPC_STATUS_* */
	char error[NFSMSG_REASON_LEN];		/* libnfs's, but for SUCCESS */
	struct nfsmsg_export_reply reply;	/* the COMPOUND's */
};

struct export_check *export_check_new(void)
{
	struct export_check *ec = calloc(1, sizeof(*ec));

	if (!ec)
		return NULL;
	if (gethostname(ec->machine, sizeof(ec->machine) - 1))
		strcpy(ec->machine, "localhost");
	return ec;
}

/* Pending callbacks run from here: their nfs4_call must still be there. */
static void drop_rpc(struct export_check *ec)
{
	if (ec->rpc)
		rpc_destroy_context(ec->rpc);
	ec->rpc = NULL;
}

void export_check_free(struct export_check *ec)
{
	if (!ec)
		return;
	drop_rpc(ec);
	free(ec);
}

static void set_error(struct nfs4_call *c, struct rpc_context *rpc,
		      const void *data)
{
	const char *err = data ? data : rpc_get_error(rpc);

	snprintf(c->error, sizeof(c->error), "%s",
		 err && *err ? err : "unknown error");
}

static void connect_done(struct rpc_context *rpc, int status, void *data,
			 void *priv)
{
	struct nfs4_call *c = priv;

	c->done = true;
	c->status = status;
	if (status != RPC_STATUS_SUCCESS)
		set_error(c, rpc, data);
}

/* The COMPOUND4res; libnfs frees it once we return. */
static void compound_done(struct rpc_context *rpc, int status, void *data,
			  void *priv)
{
	struct nfs4_call *c = priv;
	struct nfsmsg_export_reply *r = &c->reply;
	const COMPOUND4res *res = data;
	const fattr4 *attrs;
	const char *name;
	nfs_resop4 last;

	c->done = true;
	c->status = status;
	if (status != RPC_STATUS_SUCCESS || !res) {
		c->status = RPC_STATUS_ERROR;
		set_error(c, rpc, status == RPC_STATUS_SUCCESS ? NULL : data);
		return;
	}
	r->status = res->status;
	name = nfsstat4_to_str(res->status);
	r->status_name = name && !strncmp(name, "NFS4", 4) ? name : NULL;
	r->has_fsid = -1;
	if (res->status != NFS4_OK || !res->resarray.resarray_len)
		return;
	/* libnfs 4.0 lays the results out 4-byte aligned only: copy. */
	memcpy(&last, (const char *)res->resarray.resarray_val +
		      (res->resarray.resarray_len - 1) * sizeof(last),
	       sizeof(last));
	if (last.resop != OP_GETATTR ||
	    last.nfs_resop4_u.opgetattr.status != NFS4_OK)
		return;
	attrs = &last.nfs_resop4_u.opgetattr.GETATTR4res_u.resok4.obj_attributes;
	r->has_fsid = nfsmsg_fsid_decode(attrs->attrmask.bitmap4_val,
					 attrs->attrmask.bitmap4_len,
					 attrs->attr_vals.attrlist4_val,
					 attrs->attr_vals.attrlist4_len,
					 &r->fsid);
}

/*
 * Run libnfs until @c is done.  0, or -ETIMEDOUT, -ECANCELED, or
 * -ECONNRESET for a connection libnfs gave up (c->error says why).
 */
static int wait_call(struct export_check *ec, struct nfs4_call *c,
		     uint64_t end, const int *wake, int nwake)
{
	while (!c->done) {
		struct pollfd pfd[1 + WAKE_MAX];
		uint64_t left = rnfsd_left_ms(end);
		int i, n;

		if (!left)
			return -ETIMEDOUT;
		pfd[0].fd = rpc_get_fd(ec->rpc);
		pfd[0].events = (short)rpc_which_events(ec->rpc);
		pfd[0].revents = 0;
		for (i = 0; i < nwake; i++) {
			pfd[1 + i].fd = wake[i];
			pfd[1 + i].events = POLLIN;
			pfd[1 + i].revents = 0;
		}
		n = poll(pfd, 1 + nwake, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		for (i = 0; i < nwake; i++)
			if (pfd[1 + i].revents)
				return -ECANCELED;
		if (!n)
			continue;
		if (rpc_service(ec->rpc, pfd[0].revents) < 0) {
			c->lost = true;
			/* An answer, then the server hung up: still one. */
			if (c->done && c->status == RPC_STATUS_SUCCESS)
				return 0;
			if (!c->done)
				set_error(c, ec->rpc, NULL);
			return -ECONNRESET;
		}
	}
	return 0;
}

/* A new context in ec->rpc, connected to @host's port 2049. */
static int connect_rpc(struct export_check *ec, const char *host,
		       uint64_t end, const int *wake, int nwake,
		       struct nfs4_call *c)
{
	struct AUTH *auth;
	int ret;

	ec->rpc = rpc_init_context();
	if (!ec->rpc) {
		snprintf(c->error, sizeof(c->error), "out of memory");
		return -ENOMEM;
	}
	/* rnfsd's own IDs, no supplementary groups. */
	auth = libnfs_authunix_create(ec->machine, geteuid(), getegid(), 0,
				      NULL);
	if (!auth) {
		snprintf(c->error, sizeof(c->error), "out of memory");
		return -ENOMEM;
	}
	rpc_set_auth(ec->rpc, auth);
	/*
	 * Straight to the port: NFSv4 needs no portmapper.  libnfs binds a
	 * reserved port if it may, and never reconnects on its own here.
	 */
	memset(c, 0, sizeof(*c));
	if (rpc_connect_async(ec->rpc, host, NFS_PORT, connect_done, c)) {
		set_error(c, ec->rpc, NULL);
		return -ECONNRESET;
	}
	ret = wait_call(ec, c, end, wake, nwake);
	if (ret)
		return ret;
	return c->status == RPC_STATUS_SUCCESS ? 0 : -ECONNRESET;
}

/* PUTROOTFH, LOOKUP or LOOKUPP per step of @path, GETATTR {fsid}. */
static int send_compound(struct export_check *ec, const char *path,
			 struct nfs4_call *c)
{
	uint32_t mask = 1u << FATTR4_FSID;
	struct nfsmsg_step *steps;
	COMPOUND4args args;
	nfs_argop4 *ops;
	size_t n, i;
	int ret = 0;

	n = nfsmsg_path_steps(path, NULL, 0);
	steps = calloc(n + 1, sizeof(*steps));
	ops = calloc(n + 2, sizeof(*ops));
	if (!steps || !ops) {
		snprintf(c->error, sizeof(c->error), "out of memory");
		ret = -ENOMEM;
		goto out;
	}
	nfsmsg_path_steps(path, steps, n);
	ops[0].argop = OP_PUTROOTFH;
	for (i = 0; i < n; i++) {
		LOOKUP4args *l = &ops[1 + i].nfs_argop4_u.oplookup;

		if (!steps[i].len) {
			ops[1 + i].argop = OP_LOOKUPP;
			continue;
		}
		ops[1 + i].argop = OP_LOOKUP;
		l->objname.utf8string_len = (u_int)steps[i].len;
		l->objname.utf8string_val = (char *)steps[i].name;
	}
	ops[n + 1].argop = OP_GETATTR;
	ops[n + 1].nfs_argop4_u.opgetattr.attr_request.bitmap4_len = 1;
	ops[n + 1].nfs_argop4_u.opgetattr.attr_request.bitmap4_val = &mask;

	memset(&args, 0, sizeof(args));
	args.minorversion = 0;
	args.argarray.argarray_len = (u_int)(n + 2);
	args.argarray.argarray_val = ops;
	memset(c, 0, sizeof(*c));
	/* Encoded here and now: @args need not outlive the call. */
	if (rpc_nfs4_compound_async(ec->rpc, compound_done, &args, c)) {
		set_error(c, ec->rpc, NULL);
		ret = -ECONNRESET;
	}
out:
	free(ops);
	free(steps);
	return ret;
}

int export_check_run(struct export_check *ec, const char *host,
		     const char *path, const struct nfsmsg_fsid *want,
		     uint64_t end, const int *wake, int nwake,
		     enum nfsmsg_export_verdict *v, char *why, size_t whylen)
{
	struct nfs4_call c;
	bool reused;
	int ret;

	why[0] = '\0';
	if (nwake > WAKE_MAX)
		nwake = WAKE_MAX;
	for (;;) {
		memset(&c, 0, sizeof(c));
		reused = ec->rpc;
		ret = ec->rpc ? 0 : connect_rpc(ec, host, end, wake, nwake,
						&c);
		if (!ret)
			ret = send_compound(ec, path, &c);
		if (!ret)
			ret = wait_call(ec, &c, end, wake, nwake);
		if (!ret) {
			if (c.status == RPC_STATUS_SUCCESS)
				*v = nfsmsg_export_verdict(&c.reply, path,
							   want, why, whylen);
			else	/* turned down by the RPC layer */
				*v = nfsmsg_rpc_error_verdict(c.error, why,
							      whylen);
			if (c.lost)
				drop_rpc(ec);
			return 0;
		}
		/* Before @c goes: callbacks still pending run now. */
		drop_rpc(ec);
		/*
		 * A connection kept from earlier probes may have been
		 * closed by a server that restarted since: try once on a
		 * new one before calling the check failed.
		 */
		if (!reused || ret != -ECONNRESET || !rnfsd_left_ms(end))
			break;
	}
	if (ret != -ETIMEDOUT && ret != -ECANCELED)
		snprintf(why, whylen, "export check: %s", c.error);
	return ret;
}
