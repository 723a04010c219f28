// SPDX-License-Identifier: GPL-2.0
/*
 * Probing one replica (see probe.h): the NULL call with libtirpc, then
 * the export check with libnfs (probe_export.c).
 *
 * Every wait of ours is a poll() bounded by the probe's deadline and woken
 * by the daemon's stop fd and the connection's own cancel fd.  The one
 * wait that is libtirpc's, clnt_call() reading the reply, restarts its
 * timeout on every read, so that a server trickling a reply could hold it
 * past the deadline: the watchdog thread shuts the socket down at the
 * deadline, and probe_cancel() at once, after which clnt_call() returns
 * at once.  A probe takes its deadline at most, whatever the server does.
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <rpc/rpc.h>

#include "probe.h"
#include "probe_export.h"
#include "rnfsd.h"

#define NFS_PORT		"2049"
#define NFS_PROGRAM		100003
#define NFS_VERSION4		4

struct probe_conn {
	int stop_fd;
	int cancel_fd;			/* eventfd: probe_cancel() */
	/*
	 * The NULL call's connection, kept while the server answers on it.
	 * Ours: clnt_destroy() leaves @fd open, and we close it after.
	 */
	CLIENT *clnt;
	int fd;
	struct export_check *export;	/* libnfs's context, kept too */

	/* Under wd_lock: the watchdog's. */
	struct probe_conn *wd_next;
	uint64_t wd_end;		/* shut @fd down then */
	bool wd_armed;			/* in clnt_call(): on wd_list */
	bool wd_fired;			/* @fd shut down at the deadline */
	bool cancelled;			/* by probe_cancel() */
};

/*
 * The watchdog: one thread for every probe of the process, asleep but
 * when a clnt_call() outlasts its deadline.  It and probe_cancel() shut
 * down only a socket that is on wd_list, under wd_lock, so never one
 * closed since.
 */
static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_wake;
static struct probe_conn *wd_list;
static pthread_once_t wd_once = PTHREAD_ONCE_INIT;
static int wd_err;

static void *wd_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&wd_lock);
	for (;;) {
		struct probe_conn **pp = &wd_list, *pc;
		uint64_t now = rnfsd_now_ms(), next = UINT64_MAX;
		struct timespec ts;

		while ((pc = *pp)) {
			if (pc->wd_end > now) {
				if (pc->wd_end < next)
					next = pc->wd_end;
				pp = &pc->wd_next;
				continue;
			}
			/* clnt_call() sees EOF and returns. */
			shutdown(pc->fd, SHUT_RDWR);
			pc->wd_fired = true;
			pc->wd_armed = false;
			*pp = pc->wd_next;
		}
		if (next == UINT64_MAX) {
			pthread_cond_wait(&wd_wake, &wd_lock);
			continue;
		}
		ts.tv_sec = next / 1000;
		ts.tv_nsec = (next % 1000) * 1000000;
		pthread_cond_timedwait(&wd_wake, &wd_lock, &ts);
	}
	return NULL;
}

static void wd_start(void)
{
	pthread_condattr_t attr;
	pthread_attr_t tattr;
	pthread_t thread;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&wd_wake, &attr);
	pthread_condattr_destroy(&attr);
	pthread_attr_init(&tattr);
	pthread_attr_setdetachstate(&tattr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&tattr, 64 * 1024);
	wd_err = pthread_create(&thread, &tattr, wd_main, NULL);
	pthread_attr_destroy(&tattr);
}

/* Watch pc->fd until @end; -ECANCELED if cancelled already. */
static int wd_arm(struct probe_conn *pc, uint64_t end)
{
	int ret = 0;

	pthread_mutex_lock(&wd_lock);
	if (pc->cancelled) {
		ret = -ECANCELED;
	} else {
		pc->wd_end = end;
		pc->wd_fired = false;
		pc->wd_armed = true;
		pc->wd_next = wd_list;
		wd_list = pc;
		pthread_cond_signal(&wd_wake);
	}
	pthread_mutex_unlock(&wd_lock);
	return ret;
}

/* Stop watching; whether the watchdog shut the socket down. */
static bool wd_disarm(struct probe_conn *pc)
{
	struct probe_conn **pp;
	bool fired;

	pthread_mutex_lock(&wd_lock);
	if (pc->wd_armed) {
		for (pp = &wd_list; *pp != pc; pp = &(*pp)->wd_next)
			;
		*pp = pc->wd_next;
		pc->wd_armed = false;
	}
	fired = pc->wd_fired;
	pthread_mutex_unlock(&wd_lock);
	return fired;
}

static __attribute__((format(printf, 2, 3)))
void set_reason(struct probe_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->reason, sizeof(res->reason), fmt, ap);
	va_end(ap);
}

/* The words a log line wants for a failed connection or call. */
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
	case ENOTCONN:
	case EPIPE:
		set_reason(res, "connection closed by the server");
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
	struct probe_conn *pc;

	pthread_once(&wd_once, wd_start);
	if (wd_err)
		return NULL;
	pc = calloc(1, sizeof(*pc));
	if (!pc)
		return NULL;
	pc->export = export_check_new();
	if (!pc->export)
		goto fail;
	pc->cancel_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (pc->cancel_fd < 0)
		goto fail;
	pc->stop_fd = stop_fd;
	pc->fd = -1;
	return pc;
fail:
	export_check_free(pc->export);
	free(pc);
	return NULL;
}

static void drop_clnt(struct probe_conn *pc)
{
	if (pc->clnt)
		clnt_destroy(pc->clnt);
	pc->clnt = NULL;
	if (pc->fd >= 0)
		close(pc->fd);
	pc->fd = -1;
}

void probe_conn_free(struct probe_conn *pc)
{
	if (!pc)
		return;
	drop_clnt(pc);
	export_check_free(pc->export);
	close(pc->cancel_fd);
	free(pc);
}

void probe_cancel(struct probe_conn *pc)
{
	uint64_t one = 1;

	pthread_mutex_lock(&wd_lock);
	pc->cancelled = true;
	/* Wakes clnt_call(); the fd stays open until its owner is done. */
	if (pc->wd_armed)
		shutdown(pc->fd, SHUT_RDWR);
	pthread_mutex_unlock(&wd_lock);
	/* Never read: the probe under way and every later one see it. */
	if (write(pc->cancel_fd, &one, sizeof(one)) < 0)
		return;		/* only on overflow: readable already */
}

static bool stopping(struct probe_conn *pc)
{
	struct pollfd pfd[2] = {
		{ .fd = pc->stop_fd, .events = POLLIN },
		{ .fd = pc->cancel_fd, .events = POLLIN },
	};

	return poll(pfd, 2, 0) > 0;
}

/* Until @fd has @events, @end passes, or the probe is stopped. */
static int wait_fd(struct probe_conn *pc, int fd, short events, uint64_t end)
{
	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = fd, .events = events },
			{ .fd = pc->stop_fd, .events = POLLIN },
			{ .fd = pc->cancel_fd, .events = POLLIN },
		};
		uint64_t left = rnfsd_left_ms(end);
		int n;

		if (!left)
			return -ETIMEDOUT;
		n = poll(pfd, 3, left > INT_MAX ? INT_MAX : (int)left);
		if (n < 0 && errno != EINTR)
			return -errno;
		if (n <= 0)
			continue;
		if (pfd[1].revents || pfd[2].revents)
			return -ECANCELED;
		if (pfd[0].revents)
			return 0;
	}
}

/*
 * Connect to @ai without blocking past @end; returns an fd or -errno.
 * The fd stays non-blocking: libtirpc polls before it reads, and a write
 * that would block fails (RPC_CANTSEND) rather than wait.
 */
static int connect_until(struct probe_conn *pc, const struct addrinfo *ai,
			 uint64_t end)
{
	socklen_t len = sizeof(int);
	int fd, err;

	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd < 0)
		return -errno;
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) && errno != EINPROGRESS) {
		err = -errno;
		goto fail;
	}
	err = wait_fd(pc, fd, POLLOUT, end);
	if (err)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0) {
		err = -errno;
		goto fail;
	}
	if (err) {
		err = -err;
		goto fail;
	}
	return fd;
fail:
	close(fd);
	return err;
}

/* A new connection and libtirpc client in pc->fd, pc->clnt. */
static int open_clnt(struct probe_conn *pc, const char *host, uint64_t end,
		     struct probe_result *res)
{
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *ai;
	struct netbuf nb;
	int ret;

	ret = getaddrinfo(host, NFS_PORT, &hints, &ai);
	if (ret) {
		set_reason(res, "bad address %s: %s", host, gai_strerror(ret));
		return -EINVAL;
	}
	ret = connect_until(pc, ai, end);
	if (ret < 0) {
		errno_reason(res, -ret);
		goto out;
	}
	pc->fd = ret;
	nb.maxlen = ai->ai_addrlen;
	nb.len = ai->ai_addrlen;
	nb.buf = ai->ai_addr;
	/* Copies @nb; leaves the fd to us (no CLSET_FD_CLOSE). */
	pc->clnt = clnt_vc_create(pc->fd, &nb, NFS_PROGRAM, NFS_VERSION4, 0,
				  0);
	if (!pc->clnt) {
		set_reason(res, "RPC client: %s",
			   clnt_sperrno(rpc_createerr.cf_stat));
		drop_clnt(pc);
		ret = -ENOMEM;
		goto out;
	}
	ret = 0;
out:
	freeaddrinfo(ai);
	return ret;
}

/* xdr_void, with the signature xdrproc_t stands for. */
static bool_t xdr_nothing(XDR *xdrs, void *arg)
{
	(void)xdrs;
	(void)arg;
	return TRUE;
}

static struct timeval to_timeval(uint64_t ms)
{
	return (struct timeval) {
		.tv_sec = ms / 1000,
		.tv_usec = (ms % 1000) * 1000,
	};
}

/* An answer of the server's, which leaves the connection as it was. */
static bool answered(enum clnt_stat stat)
{
	return stat == RPC_PROGVERSMISMATCH || stat == RPC_PROGUNAVAIL ||
	       stat == RPC_PROCUNAVAIL || stat == RPC_AUTHERROR ||
	       stat == RPC_CANTDECODEARGS || stat == RPC_SYSTEMERROR ||
	       stat == RPC_VERSMISMATCH;
}

/* Turn a failed clnt_call() into a reason. */
static void null_reason(struct probe_conn *pc, enum clnt_stat stat,
			bool fired, struct probe_result *res)
{
	struct rpc_err err;

	clnt_geterr(pc->clnt, &err);
	if (fired || stat == RPC_TIMEDOUT) {
		set_reason(res, "timed out");
	} else if (stat == RPC_CANTRECV || stat == RPC_CANTSEND) {
		if (stopping(pc))
			set_reason(res, "stopped");
		else if (stat == RPC_CANTRECV && err.re_errno == ECONNRESET)
			/* libtirpc's word for EOF as well */
			set_reason(res, "connection closed by the server");
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
 * The NULL call, on the kept connection or a new one.  0, or -1 with the
 * reason in @res.
 */
static int null_call(struct probe_conn *pc, const struct probe_target *t,
		     uint64_t end, struct probe_result *res)
{
	enum clnt_stat stat;
	bool reused, fired;
	uint64_t left;

	for (;;) {
		reused = pc->clnt;
		if (!pc->clnt && open_clnt(pc, t->host, end, res))
			return -1;
		left = rnfsd_left_ms(end);
		/* A zero timeout would send without waiting for the reply. */
		if (!left) {
			set_reason(res, "timed out");
			drop_clnt(pc);
			return -1;
		}
		if (wd_arm(pc, end)) {
			set_reason(res, "stopped");
			drop_clnt(pc);
			return -1;
		}
		stat = clnt_call(pc->clnt, NULLPROC, (xdrproc_t)xdr_nothing,
				 NULL, (xdrproc_t)xdr_nothing, NULL,
				 to_timeval(left));
		fired = wd_disarm(pc);
		if (stat == RPC_SUCCESS && !fired)
			return 0;
		null_reason(pc, stat, fired, res);
		if (answered(stat) && !fired)
			return -1;
		drop_clnt(pc);
		/*
		 * A connection kept from earlier probes may have been
		 * closed by a server that restarted since: try once on a
		 * new one before calling the replica failed.
		 */
		if (!reused || fired || stat == RPC_TIMEDOUT ||
		    !rnfsd_left_ms(end) || stopping(pc))
			return -1;
		memset(res, 0, sizeof(*res));
	}
}

void probe_run(struct probe_conn *pc, const struct probe_target *t,
	       struct probe_result *res)
{
	const struct nfsmsg_fsid want = {
		.major = t->fsid_major,
		.minor = t->fsid_minor,
	};
	uint64_t end = rnfsd_now_ms() + t->deadline_ms;
	const int wake[2] = { pc->stop_fd, pc->cancel_fd };
	enum nfsmsg_export_verdict v;
	char why[NFSMSG_REASON_LEN];
	int ret;

	memset(res, 0, sizeof(*res));
	if (stopping(pc)) {
		errno_reason(res, ECANCELED);
		return;
	}
	if (null_call(pc, t, end, res))
		return;

	ret = export_check_run(pc->export, t->host, t->path, &want, end, wake,
			       2, &v, why, sizeof(why));
	if (ret == -ETIMEDOUT || ret == -ECANCELED) {
		errno_reason(res, -ret);
		return;
	}
	if (ret) {
		set_reason(res, "%s", why);
		return;
	}
	switch (v) {
	case NFSMSG_EXPORT_OK:
		res->ok = true;
		res->export_checked = true;
		break;
	case NFSMSG_EXPORT_UNCHECKED:
		res->ok = true;
		snprintf(res->unchecked, sizeof(res->unchecked), "%s", why);
		break;
	case NFSMSG_EXPORT_FAILED:
		res->export_checked = true;
		set_reason(res, "%s", why);
		break;
	}
}
