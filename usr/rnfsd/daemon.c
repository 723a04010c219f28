// SPDX-License-Identifier: GPL-2.0
/*
 * The housekeeper thread: keeps the table of mounts in step with the
 * kernel, gives every replica a watch (and takes it away when its mount
 * goes), and repeats the DOWN (and SUSPECT) verdicts that a slow probe
 * would let lapse.
 *
 * It refreshes when /proc/self/mountinfo changes (poll() reports POLLPRI),
 * on SIGHUP, and every REFRESH_MS anyway: tunables changed with
 * "nfs4cl setfsoptions", and mounts in other mount namespaces, change
 * nothing in our mountinfo.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include <urcu.h>

#include "log.h"
#include "mountinfo.h"
#include "rnfsd.h"
#include "rnfsnl.h"
#include "table.h"
#include "watch.h"

#define REFRESH_MS	5000

struct housekeeper {
	pthread_t thread;
	int stop_fd, kick_fd, mountinfo_fd;
	struct rnfsnl *nl;
	struct watch *live;		/* in the current table */
	struct watch *retired;		/* stopping; joined when done */
	unsigned int gen;
	int last_error;			/* reading mounts; logged once */
};

static struct housekeeper hk = {
	.kick_fd = -1,
	.mountinfo_fd = -1,
};

/*
 * How long after rnfsd last said DOWN (or SUSPECT) it says it again.
 * Probe threads repeat it after every probe; this catches a thread stuck
 * in a probe as long as its deadline, well before the verdict's TTL runs
 * out.
 */
static uint64_t repeat_period_ms(void)
{
	uint64_t ttl_third = RNFS_VERDICT_TTL_S * 1000 / 3;
	uint64_t twice = 2 * rnfsd_interval_ms;

	return twice < ttl_third ? twice : ttl_third;
}

/* The kernel's mounts; with rnfs.ko not loaded, none.  0 or -errno. */
static int read_mounts(struct rnfsnl_mount **mounts, size_t *count)
{
	int ret = 0;

	*mounts = NULL;
	*count = 0;
	if (!hk.nl)
		ret = rnfsnl_open(&hk.nl);
	if (ret)
		hk.nl = NULL;
	else
		ret = rnfsnl_get_mounts(hk.nl, mounts, count);
	if (!ret) {
		if (hk.last_error)
			log_msg(LOG_NOTICE, "reading the rnfs mounts again");
		hk.last_error = 0;
		return 0;
	}
	/* The family may come back with another id: open afresh. */
	rnfsnl_close(hk.nl);
	hk.nl = NULL;
	if (ret != hk.last_error) {
		if (ret == -EPROTONOSUPPORT)
			log_msg(LOG_NOTICE, "rnfs.ko is not loaded; waiting for it");
		else
			log_msg(LOG_ERR, "cannot read the rnfs mounts: %s",
				strerror(-ret));
	}
	hk.last_error = ret;
	return ret == -EPROTONOSUPPORT ? 0 : ret;
}

static struct watch *find_watch(const struct rnfsnl_mount *m,
				const struct rnfsnl_replica *r)
{
	struct watch *w;

	for (w = hk.live; w; w = w->next)
		if (w->mount_id == m->id && w->index == r->index &&
		    !strcmp(w->host, r->host))
			return w;
	return NULL;
}

/*
 * Fill @tm from @m, creating the watches it lacks.  -ENOMEM leaves @tm
 * to be freed with its table, and the watches made to the next refresh.
 */
static int fill_mount(struct table_mount *tm, const struct rnfsnl_mount *m,
		      const struct rnfs_mountinfo *mi, size_t nmi)
{
	const struct rnfs_mountinfo *e = rnfs_mountinfo_find(mi, nmi, m->dev);
	unsigned int i;

	tm->id = m->id;
	tm->dev = m->dev;
	/* Every log line of the mount names it with this: never NULL. */
	tm->label = strdup(e ? e->mountpoint : m->source);
	if (!tm->label)
		return -ENOMEM;
	tm->deadline_ms = health_deadline_ms(m->timeo, m->retrans);
	tm->failback_ms = (uint64_t)m->failback_delay * 1000;
	tm->fsid_major = m->fsid_major;
	tm->fsid_minor = m->fsid_minor;
	tm->nr = m->nr < RNFS_MAX_REPLICAS ? m->nr : RNFS_MAX_REPLICAS;
	for (i = 0; i < tm->nr; i++) {
		const struct rnfsnl_replica *r = &m->replica[i];
		struct watch *w = find_watch(m, r);

		if (!w) {
			w = watch_new(m, r, hk.stop_fd);
			if (!w) {
				log_msg(LOG_ERR, "out of memory");
				continue;
			}
			w->next = hk.live;
			hk.live = w;
		}
		w->seen = hk.gen;
		tm->watch[i] = w;
	}
	return 0;
}

/* Stop watching what is not in the table any more. */
static void retire_unseen(void)
{
	struct watch **pp = &hk.live, *w;

	while ((w = *pp)) {
		if (w->seen == hk.gen) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		/*
		 * Cut its probe short too: the replica of a mount that is
		 * gone may be a dead server, and the probe would hold the
		 * thread for the whole deadline, up to timeo x retrans.
		 */
		watch_cancel(w);
		w->next = hk.retired;
		hk.retired = w;
		log_msg(LOG_INFO, "%s: replica %s is no longer watched (unmounted)",
			w->source, w->name);
	}
}

/* New watches start once the table they are in is published. */
static void start_new(void)
{
	struct watch *w;
	int ret;

	for (w = hk.live; w; w = w->next) {
		if (w->started || w->seen != hk.gen)
			continue;
		/* Before the thread can change what the kernel was told. */
		log_msg(LOG_INFO, "%s: watching replica %s (%s)", w->source,
			w->name, rnfsnl_health_name(w->told));
		ret = watch_start(w);
		if (ret)
			log_msg(LOG_ERR, "%s: cannot probe replica %s: %s",
				w->source, w->name, strerror(-ret));
	}
}

static void refresh(void)
{
	struct rnfsnl_mount *mounts;
	struct rnfs_mountinfo *mi = NULL;
	size_t i, n, nmi = 0;
	struct table *t, *old;

	if (read_mounts(&mounts, &n))
		return;
	/* Without mount points, logs name mounts by their source. */
	if (rnfs_mountinfo_read(NULL, &mi, &nmi)) {
		mi = NULL;
		nmi = 0;
	}
	t = table_alloc(n);
	if (!t) {
		log_msg(LOG_ERR, "out of memory");
		goto out;
	}
	hk.gen++;
	for (i = 0; i < n; i++) {
		/*
		 * Without memory for all of it, keep the table in force
		 * rather than retire the watches of the mounts left out;
		 * the next refresh tries again.
		 */
		if (fill_mount(&t->mount[t->nr++], &mounts[i], mi, nmi)) {
			log_msg(LOG_ERR, "out of memory");
			table_free(t);
			goto out;
		}
	}
	retire_unseen();
	old = table_publish(t);
	synchronize_rcu();
	table_free(old);
	start_new();
out:
	free(mounts);
	rnfs_mountinfo_free(mi, nmi);
}

static void repeat_verdicts(void)
{
	uint64_t now = rnfsd_now_ms(), period = repeat_period_ms();
	struct watch *w;

	for (w = hk.live; w; w = w->next)
		watch_repeat_verdict(w, now, period);
}

/* Free the retired watches whose threads are done; all, with @wait. */
static void reap(bool wait)
{
	struct watch **pp = &hk.retired, *w;

	while ((w = *pp)) {
		if (wait) {
			watch_join(w);
		} else if (watch_tryjoin(w)) {
			pp = &w->next;
			continue;
		}
		*pp = w->next;
		watch_free(w);
	}
}

static void shut_down(void)
{
	struct table *old;
	struct watch *w;

	while ((w = hk.live)) {
		hk.live = w->next;
		w->next = hk.retired;
		hk.retired = w;
	}
	for (w = hk.retired; w; w = w->next)
		watch_cancel(w);
	/*
	 * Once no thread can reach a watch through the table (a thread
	 * looks at its siblings' state there), each can go as its thread
	 * ends.
	 */
	old = table_publish(NULL);
	synchronize_rcu();
	table_free(old);
	reap(true);
	rnfsnl_close(hk.nl);
	hk.nl = NULL;
}

static void *housekeeper_main(void *arg)
{
	uint64_t next_refresh = 0, next_repeat = 0;

	(void)arg;
	for (;;) {
		struct pollfd pfd[3] = {
			{ .fd = hk.stop_fd, .events = POLLIN },
			{ .fd = hk.kick_fd, .events = POLLIN },
			{ .fd = hk.mountinfo_fd, .events = POLLPRI },
		};
		uint64_t now = rnfsd_now_ms(), next;
		uint64_t kicks;

		if (now >= next_refresh) {
			refresh();
			next_refresh = now + REFRESH_MS;
		}
		if (now >= next_repeat) {
			repeat_verdicts();
			next_repeat = now + repeat_period_ms();
		}
		reap(false);

		next = next_refresh < next_repeat ? next_refresh : next_repeat;
		now = rnfsd_now_ms();
		if (poll(pfd, 3, next > now ? (int)(next - now) : 0) < 0 &&
		    errno != EINTR) {
			log_msg(LOG_ERR, "poll: %s", strerror(errno));
			rnfsd_fatal(1);
			break;
		}
		if (pfd[0].revents)
			break;
		if (pfd[1].revents &&
		    read(hk.kick_fd, &kicks, sizeof(kicks)) == sizeof(kicks))
			next_refresh = 0;
		/* Mounted or unmounted somewhere in our namespace. */
		if (pfd[2].revents & (POLLPRI | POLLERR))
			next_refresh = 0;
	}
	shut_down();
	return NULL;
}

int daemon_start(int stop_fd)
{
	int ret;

	hk.stop_fd = stop_fd;
	hk.kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (hk.kick_fd < 0)
		return -errno;
	hk.mountinfo_fd = open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (hk.mountinfo_fd < 0)
		log_msg(LOG_WARNING, "/proc/self/mountinfo: %s; looking for mounts every %d s only",
			strerror(errno), REFRESH_MS / 1000);
	ret = pthread_create(&hk.thread, NULL, housekeeper_main, NULL);
	if (ret) {
		close(hk.kick_fd);
		if (hk.mountinfo_fd >= 0)
			close(hk.mountinfo_fd);
		return -ret;
	}
	return 0;
}

void daemon_kick(void)
{
	uint64_t one = 1;

	if (write(hk.kick_fd, &one, sizeof(one)) < 0)
		log_msg(LOG_DEBUG, "kick: %s", strerror(errno));
}

void daemon_join(void)
{
	pthread_join(hk.thread, NULL);
	close(hk.kick_fd);
	if (hk.mountinfo_fd >= 0)
		close(hk.mountinfo_fd);
}
