// SPDX-License-Identifier: GPL-2.0
/*
 * nfs4cl events [--json]: one line per rnfs event (failover, replica
 * down, ...) as the kernel multicasts them, until SIGINT or SIGTERM.
 * Lines are flushed one by one: the output is usually a pipe or a log.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <time.h>

#include "nfs4cl.h"
#include "showfs.h"

#define CMD	"events"

struct listener {
	struct rnfsnl *nl;
	bool json;
	struct rnfs_mountinfo *info;	/* NULL: not read yet */
	size_t nr_info;
	int write_error;		/* errno of a failed write, or 0 */
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void reread_mountinfo(struct listener *l)
{
	rnfs_mountinfo_free(l->info, l->nr_info);
	l->info = NULL;
	l->nr_info = 0;
	/* On failure events still print, under the mount's source. */
	if (rnfs_mountinfo_read(NULL, &l->info, &l->nr_info)) {
		l->info = NULL;
		l->nr_info = 0;
	}
}

/*
 * Where the event's mount is mounted.  mountinfo is read again for a
 * device it does not know, or knows under another source: a new mount
 * may have got the device number of an old one.
 */
static const struct rnfs_mountinfo *mounted_at(struct listener *l,
					       const struct rnfsnl_event *ev)
{
	const struct rnfs_mountinfo *mi;

	mi = rnfs_mountinfo_find(l->info, l->nr_info, ev->dev);
	if (mi && !strcmp(mi->source, ev->source))
		return mi;
	reread_mountinfo(l);
	return rnfs_mountinfo_find(l->info, l->nr_info, ev->dev);
}

static void on_event(const struct rnfsnl_event *ev, void *arg)
{
	struct listener *l = arg;
	const struct rnfs_mountinfo *mi;
	const struct rnfsnl_mount *mp = NULL;
	struct rnfsnl_mount m;
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	/*
	 * The replicas' names: the event carries indexes only.  The same
	 * mount, unless it is gone already (then "#index" is printed).
	 */
	if (!rnfsnl_get_mount(l->nl, ev->dev, &m) &&
	    (!ev->id || m.id == ev->id))
		mp = &m;
	mi = mounted_at(l, ev);
	if (l->json)
		showfs_event_json(stdout, &now, mi ? mi->mountpoint : NULL,
				  ev, mp);
	else
		showfs_event_text(stdout, &now,
				  mi ? mi->mountpoint : ev->source, ev, mp);
	if (fflush(stdout) && !l->write_error)
		l->write_error = errno ? errno : EIO;
}

/*
 * SIGINT and SIGTERM end the loop: blocked except while waiting in
 * ppoll(), so that one arriving between two events is not missed.  Set
 * even when inherited as ignored (a background job of a script), since
 * they are how a test or a service manager stops the listener.
 */
static void catch_signals(sigset_t *wait_mask)
{
	struct sigaction sa;
	sigset_t block;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, wait_mask);
	sigdelset(wait_mask, SIGINT);
	sigdelset(wait_mask, SIGTERM);
}

static int listen_events(struct listener *l)
{
	struct pollfd pfd = { .fd = rnfsnl_fd(l->nl), .events = POLLIN };
	sigset_t wait_mask;
	int ret;

	catch_signals(&wait_mask);
	while (!stop && !l->write_error) {
		if (ppoll(&pfd, 1, NULL, &wait_mask) < 0) {
			if (errno == EINTR)
				continue;
			nfs4cl_error(CMD, NULL, "%s", strerror(errno));
			return NFS4CL_FAILED;
		}
		ret = rnfsnl_event_read(l->nl, on_event, l);
		switch (ret) {
		case 0:
		case -EINTR:
		case -EAGAIN:
			break;
		case -ENOMEM:
			/* libnl's word for ENOBUFS: the socket overflowed. */
			nfs4cl_error(CMD, NULL,
				     "events were lost (receive queue full)");
			break;
		default:
			return nfs4cl_nl_error(CMD, NULL, ret);
		}
	}
	if (l->write_error) {
		nfs4cl_error(CMD, "standard output", "%s",
			     strerror(l->write_error));
		return NFS4CL_FAILED;
	}
	return NFS4CL_OK;
}

int nfs4cl_events(int argc, char **argv)
{
	struct listener l = { 0 };
	int status, ret;

	status = nfs4cl_json_option(CMD, argc, argv, &l.json);
	if (status)
		return status < 0 ? NFS4CL_OK : status;

	status = nfs4cl_open(CMD, &l.nl);
	if (status)
		return status;
	ret = rnfsnl_events_subscribe(l.nl);
	if (ret) {
		rnfsnl_close(l.nl);
		return nfs4cl_nl_error(CMD, NULL, ret);
	}
	reread_mountinfo(&l);
	status = listen_events(&l);
	rnfs_mountinfo_free(l.info, l.nr_info);
	rnfsnl_close(l.nl);
	return status;
}
