// SPDX-License-Identifier: GPL-2.0
/*
 * Probing one replica: a NULL RPC with libtirpc, then a GETATTR of the
 * export with libnfs (see probe.h).  Every wait is a poll() bounded by the
 * deadline and woken by the stop fd, except libtirpc's own wait for the
 * reply, which gets the remaining time as its timeout and is cut short at
 * shutdown by probe_cancel().  A silent host therefore costs a probe
 * thread the deadline and no more.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <rpc/rpc.h>
#include <nfsc/libnfs.h>

#include "probe.h"

#define NFS_PORT		"2049"
#define NFS_PROGRAM		100003
#define NFS_VERSION4		4	/* libnfs's NFS_V4 too */
#define NFSPROC4_COMPOUND	1
#define NFS4ERR_MINOR_VERS_MISMATCH 10021

/* How often a libnfs wait wakes up to let libnfs run its own timers. */
#define NFS_TICK_MS		100

/*
 * libnfs 4.0 names its NFSv4 client "Libnfs pid:<pid> <time>": contexts
 * made in the same second share a name, and a server voids the first
 * one's SETCLIENTID when the second one's arrives before the first is
 * confirmed (NFS4ERR_STALE_CLIENTID), a false failure.  Naming contexts
 * ourselves (nfs4_set_client_name) leaks a string per context in that
 * version.  So libnfs mounts take turns: they take milliseconds, and are
 * rare (a context is kept while it works).  One held past
 * MOUNT_LOCK_WAIT_MS is stuck on a silent server, and the next mount
 * goes ahead without waiting for it.
 */
#define MOUNT_LOCK_WAIT_MS	1000

static pthread_mutex_t mount_lock = PTHREAD_MUTEX_INITIALIZER;

struct probe_conn {
	int stop_fd;
	/*
	 * The mounted libnfs context, kept while probes succeed: a GETATTR
	 * on it is one round trip, where a new one costs a TCP connection
	 * and an NFSv4 client ID on the server every probe.
	 */
	struct nfs_context *nfs;

	pthread_mutex_t lock;		/* rpc_fd, cancelled */
	int rpc_fd;			/* in clnt_call(), or -1 */
	bool cancelled;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t left_ms(uint64_t end)
{
	uint64_t now = now_ms();

	return end > now ? end - now : 0;
}

static __attribute__((format(printf, 2, 3)))
void set_reason(struct probe_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

/* The words a log line wants for a failed connection. */
static void errno_reason(struct probe_result *res, int err)
{
	char buf[64];

	switch (err) {
	case ETIMEDOUT:
		set_reason(res, "timed out");
		break;
	case ECONNREFUSED:
		set_reason(res, "connection refused");
		break;
	case ECONNRESET:
		set_reason(res, "connection reset");
		break;
	case EHOSTUNREACH:
		set_reason(res, "no route to host");
		break;
	case ENETUNREACH:
		set_reason(res, "network unreachable");
		break;
	case ECANCELED:
		set_reason(res, "stopped");
		break;
	default:
		set_reason(res, "%s", strerror_r(err, buf, sizeof(buf)));
		break;
	}
}

struct probe_conn *probe_conn_new(int stop_fd)
{
	struct probe_conn *pc = calloc(1, sizeof(*pc));

	if (!pc)
		return NULL;
	pc->stop_fd = stop_fd;
	pc->rpc_fd = -1;
	pthread_mutex_init(&pc->lock, NULL);
	return pc;
}

static void drop_nfs(struct probe_conn *pc)
{
	if (pc->nfs)
		nfs_destroy_context(pc->nfs);
	pc->nfs = NULL;
}

void probe_conn_free(struct probe_conn *pc)
{
	if (!pc)
		return;
	drop_nfs(pc);
	pthread_mutex_destroy(&pc->lock);
	free(pc);
}

void probe_cancel(struct probe_conn *pc)
{
	pthread_mutex_lock(&pc->lock);
	pc->cancelled = true;
	/* Wakes libtirpc's poll(); the fd stays open until its owner's done. */
	if (pc->rpc_fd >= 0)
		shutdown(pc->rpc_fd, SHUT_RDWR);
	pthread_mutex_unlock(&pc->lock);
}

static bool stopping(struct probe_conn *pc)
{
	struct pollfd pfd = { .fd = pc->stop_fd, .events = POLLIN };

	return poll(&pfd, 1, 0) > 0;
}

/* Connect to @ai without blocking past @end; returns an fd or -errno. */
static int connect_until(struct probe_conn *pc, const struct addrinfo *ai,
			 uint64_t end)
{
	int fd, err, flags;
	socklen_t len = sizeof(err);

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
		err = -errno;
		goto fail;
	}
	for (;;) {
		struct pollfd pfd[2] = {
			{ .fd = fd, .events = POLLOUT },
			{ .fd = pc->stop_fd, .events = POLLIN },
		};
		uint64_t left = left_ms(end);
		int n;

		if (!left) {
			err = -ETIMEDOUT;
			goto fail;
		}
		n = poll(pfd, 2, (int)left);
		if (n < 0 && errno != EINTR) {
			err = -errno;
			goto fail;
		}
		if (pfd[1].revents) {
			err = -ECANCELED;
			goto fail;
		}
		if (n > 0 && pfd[0].revents)
			break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
		err = -errno;
		goto fail;
	}
	if (err) {
		err = -err;
		goto fail;
	}
	/* libtirpc writes as if the socket blocked. */
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
		err = -errno;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return err;
}

/* xdr_void, with the signature xdrproc_t stands for. */
static bool_t xdr_nothing(XDR *xdrs, void *arg)
{
	(void)xdrs;
	(void)arg;
	return TRUE;
}

/*
 * An empty COMPOUND (no tag, minor version 0, no operation) is answered
 * NFS4_OK by a server that speaks NFSv4.0, NFS4ERR_MINOR_VERS_MISMATCH by
 * one that does not; nothing else is needed to tell them apart.
 */
static bool_t xdr_empty_compound(XDR *xdrs, void *arg)
{
	uint32_t zero = 0;

	(void)arg;
	return xdr_uint32_t(xdrs, &zero) &&	/* tag<> */
	       xdr_uint32_t(xdrs, &zero) &&	/* minorversion */
	       xdr_uint32_t(xdrs, &zero);	/* argarray<> */
}

/* The reply's status; the rest of it does not matter here. */
static bool_t xdr_compound_status(XDR *xdrs, void *status)
{
	return xdr_uint32_t(xdrs, status);
}

static struct timeval to_timeval(uint64_t ms)
{
	return (struct timeval) {
		.tv_sec = ms / 1000,
		.tv_usec = (ms % 1000) * 1000,
	};
}

/* Turn a failed clnt_call() into a reason. */
static void rpc_reason(struct probe_conn *pc, CLIENT *clnt,
		       enum clnt_stat stat, struct probe_result *res)
{
	struct rpc_err err;

	clnt_geterr(clnt, &err);
	if (stat == RPC_TIMEDOUT) {
		set_reason(res, "timed out");
	} else if (stat == RPC_CANTRECV || stat == RPC_CANTSEND) {
		if (pc->cancelled)
			set_reason(res, "stopped");
		else if (err.re_errno)
			errno_reason(res, err.re_errno);
		else
			set_reason(res, "connection closed by the server");
	} else if (stat == RPC_PROGVERSMISMATCH) {
		set_reason(res, "server does not serve NFSv4");
	} else if (stat == RPC_PROGUNAVAIL) {
		set_reason(res, "server does not serve NFS");
	} else {
		set_reason(res, "NULL call failed: %s", clnt_sperrno(stat));
	}
}

/*
 * The NULL call over the connected @fd; with @ask_v40, the empty
 * COMPOUND as well, *v40 telling whether the server speaks NFSv4.0.
 * Returns 0 or -1 with the reason in @res.
 */
static int rpc_null(struct probe_conn *pc, int fd, const struct addrinfo *ai,
		    uint64_t end, bool ask_v40, bool *v40,
		    struct probe_result *res)
{
	struct netbuf nb = {
		.maxlen = ai->ai_addrlen,
		.len = ai->ai_addrlen,
		.buf = ai->ai_addr,
	};
	enum clnt_stat stat;
	uint32_t status = 0;
	CLIENT *clnt;
	int ret = -1;

	clnt = clnt_vc_create(fd, &nb, NFS_PROGRAM, NFS_VERSION4, 0, 0);
	if (!clnt) {
		set_reason(res, "RPC client: %s",
			   clnt_sperrno(rpc_createerr.cf_stat));
		return -1;
	}
	pthread_mutex_lock(&pc->lock);
	if (pc->cancelled) {
		pthread_mutex_unlock(&pc->lock);
		set_reason(res, "stopped");
		goto out;
	}
	pc->rpc_fd = fd;
	pthread_mutex_unlock(&pc->lock);

	/* A zero timeout would send without waiting for the reply. */
	if (!left_ms(end)) {
		set_reason(res, "timed out");
		goto out_unlist;
	}
	stat = clnt_call(clnt, NULLPROC, (xdrproc_t)xdr_nothing, NULL,
			 (xdrproc_t)xdr_nothing, NULL,
			 to_timeval(left_ms(end)));
	if (stat != RPC_SUCCESS) {
		rpc_reason(pc, clnt, stat, res);
		goto out_unlist;
	}
	ret = 0;
	*v40 = true;
	if (!ask_v40 || !left_ms(end))
		goto out_unlist;
	stat = clnt_call(clnt, NFSPROC4_COMPOUND,
			 (xdrproc_t)xdr_empty_compound, NULL,
			 (xdrproc_t)xdr_compound_status, &status,
			 to_timeval(left_ms(end)));
	if (stat == RPC_SUCCESS) {
		*v40 = status != NFS4ERR_MINOR_VERS_MISMATCH;
	} else {
		rpc_reason(pc, clnt, stat, res);
		ret = -1;
	}
out_unlist:
	pthread_mutex_lock(&pc->lock);
	pc->rpc_fd = -1;
	pthread_mutex_unlock(&pc->lock);
out:
	clnt_destroy(clnt);
	return ret;
}

/* A libnfs call in flight and what its callback left. */
struct nfs_call {
	bool done;
	int status;			/* 0 or -errno */
	char error[PROBE_REASON_LEN];
	uint64_t fsid;
};

static void nfs_call_done(int status, struct nfs_context *nfs, void *data,
			  void *priv)
{
	struct nfs_call *call = priv;

	(void)nfs;
	call->done = true;
	call->status = status;
	if (status && data)
		snprintf(call->error, sizeof(call->error), "%s",
			 (const char *)data);
}

static void statvfs_done(int status, struct nfs_context *nfs, void *data,
			 void *priv)
{
	struct nfs_call *call = priv;

	nfs_call_done(status, nfs, data, priv);
	if (!status && data)
		call->fsid = ((struct nfs_statvfs_64 *)data)->f_fsid;
}

/* Run libnfs until @call is answered; 0, or -ETIMEDOUT, -ECANCELED... */
static int nfs_wait(struct probe_conn *pc, struct nfs_call *call,
		    uint64_t end)
{
	while (!call->done) {
		struct pollfd pfd[2] = {
			{
				.fd = nfs_get_fd(pc->nfs),
				.events = nfs_which_events(pc->nfs),
			},
			{ .fd = pc->stop_fd, .events = POLLIN },
		};
		uint64_t left = left_ms(end);
		int n;

		if (!left)
			return -ETIMEDOUT;
		n = poll(pfd, 2, left < NFS_TICK_MS ? (int)left : NFS_TICK_MS);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (pfd[1].revents)
			return -ECANCELED;
		if (nfs_service(pc->nfs, n > 0 ? pfd[0].revents : 0) < 0 &&
		    !call->done) {
			snprintf(call->error, sizeof(call->error), "%s",
				 nfs_get_error(pc->nfs));
			return -ECONNRESET;
		}
	}
	return 0;
}

static bool lock_mounts(uint64_t end)
{
	uint64_t wait = left_ms(end) / 2;
	struct timespec ts;

	if (wait > MOUNT_LOCK_WAIT_MS)
		wait = MOUNT_LOCK_WAIT_MS;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += wait / 1000;
	ts.tv_nsec += (wait % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	return !pthread_mutex_clocklock(&mount_lock, CLOCK_MONOTONIC, &ts);
}

/* A new libnfs context, mounted on the export.  0 or -1 with a reason. */
static int nfs_mount_export(struct probe_conn *pc, const struct probe_target *t,
			    uint64_t end, struct probe_result *res)
{
	struct nfs_call call = { 0 };
	uint64_t left = left_ms(end);
	bool locked;
	int ret;

	pc->nfs = nfs_init_context();
	if (!pc->nfs) {
		set_reason(res, "out of memory");
		return -1;
	}
	nfs_set_version(pc->nfs, NFS_VERSION4);
	/* A lost connection fails the call: the next probe starts afresh. */
	nfs_set_autoreconnect(pc->nfs, 0);
	/* libnfs counts whole seconds; our poll() keeps the real bound. */
	nfs_set_timeout(pc->nfs, (int)((left + 999) / 1000 * 1000));
	locked = lock_mounts(end);
	if (nfs_mount_async(pc->nfs, t->host, t->path, nfs_call_done, &call)) {
		snprintf(call.error, sizeof(call.error), "%s",
			 nfs_get_error(pc->nfs));
		ret = -EIO;
	} else {
		ret = nfs_wait(pc, &call, end);
		if (!ret)
			ret = call.status;
	}
	if (locked)
		pthread_mutex_unlock(&mount_lock);
	if (ret) {
		if (ret == -ENOENT)
			set_reason(res, "export not found: %s", t->path);
		else if (ret == -EACCES || ret == -EPERM)
			set_reason(res, "export refused: %s (access denied)",
				   t->path);
		else if (ret == -ETIMEDOUT || ret == -ECANCELED)
			errno_reason(res, -ret);
		else
			set_reason(res, "export check: %s", call.error);
		/* Before @call goes: pending callbacks run from here. */
		drop_nfs(pc);
		return -1;
	}
	return 0;
}

/*
 * GETATTR of the export's root on the mounted context; the fsid must be
 * the mount's, or the path now leads somewhere else (typically the
 * pseudo-root's directory once the export is gone).
 */
static int nfs_getattr_root(struct probe_conn *pc, const struct probe_target *t,
			    uint64_t end, struct probe_result *res)
{
	struct nfs_call call = { 0 };
	int ret;

	if (nfs_statvfs64_async(pc->nfs, "/", statvfs_done, &call)) {
		set_reason(res, "export check: %s", nfs_get_error(pc->nfs));
		drop_nfs(pc);
		return -1;
	}
	ret = nfs_wait(pc, &call, end);
	if (!ret)
		ret = call.status;
	if (!ret && t->fsid && call.fsid != t->fsid) {
		set_reason(res, "export not found: %s (another filesystem is there)",
			   t->path);
		ret = -ENODEV;
	} else if (ret == -ESTALE) {
		set_reason(res, "export gone: %s (stale file handle)",
			   t->path);
	} else if (ret == -ETIMEDOUT || ret == -ECANCELED) {
		errno_reason(res, -ret);
	} else if (ret) {
		set_reason(res, "export check: %s", call.error);
	}
	if (ret)
		drop_nfs(pc);
	return ret ? -1 : 0;
}

static void check_export(struct probe_conn *pc, const struct probe_target *t,
			 uint64_t end, struct probe_result *res)
{
	bool reused = pc->nfs;

	res->export_checked = true;
	if (!pc->nfs && nfs_mount_export(pc, t, end, res))
		return;
	if (!nfs_getattr_root(pc, t, end, res)) {
		res->ok = true;
		return;
	}
	/*
	 * A context kept from earlier probes may have lost its connection
	 * to a server that restarted since: try once with a new one before
	 * calling the replica failed.
	 */
	if (!reused || !left_ms(end) || stopping(pc))
		return;
	if (!nfs_mount_export(pc, t, end, res) &&
	    !nfs_getattr_root(pc, t, end, res))
		res->ok = true;
}

void probe_run(struct probe_conn *pc, const struct probe_target *t,
	       struct probe_result *res)
{
	uint64_t end = now_ms() + t->deadline_ms;
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *ai;
	bool v40 = true;
	int fd, ret;

	memset(res, 0, sizeof(*res));
	ret = getaddrinfo(t->host, NFS_PORT, &hints, &ai);
	if (ret) {
		set_reason(res, "bad address %s: %s", t->host,
			   gai_strerror(ret));
		return;
	}
	fd = connect_until(pc, ai, end);
	if (fd < 0) {
		errno_reason(res, -fd);
		freeaddrinfo(ai);
		return;
	}
	/* Only a new libnfs session needs to know whether it can work. */
	ret = rpc_null(pc, fd, ai, end, !pc->nfs, &v40, res);
	close(fd);
	freeaddrinfo(ai);
	if (ret)
		return;
	if (!v40) {
		/* Nothing more can be asked of it: it answers, that's all. */
		res->ok = true;
		return;
	}
	check_export(pc, t, end, res);
	if (res->ok)
		res->reason[0] = '\0';
}
