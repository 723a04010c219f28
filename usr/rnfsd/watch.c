// SPDX-License-Identifier: GPL-2.0
/*
 * One thread per watched replica: probe every interval, feed the result
 * to the health state machine, tell the kernel, log what changed.
 *
 * What the kernel is told (kmod/uapi/rnfs.h): every change of verdict,
 * and DOWN (or SUSPECT) again after every probe while the verdict stays
 * so, since the kernel forgets those after RNFS_VERDICT_TTL_S.  A lapsed
 * DOWN would let the kernel's own probe put the replica back in service;
 * a lapsed SUSPECT only shows wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/random.h>

#include <urcu.h>

#include "log.h"
#include "rnfsd.h"
#include "table.h"
#include "verdict.h"
#include "watch.h"

/* The parts of the table a probe needs, copied out of the RCU section. */
struct snapshot {
	char label[1024];
	uint64_t deadline_ms, failback_ms, fsid_major, fsid_minor;
};

void watch_format_name(char *buf, size_t len, const char *host,
		       const char *path)
{
	if (strchr(host, ':'))
		snprintf(buf, len, "[%s]:%s", host, path);
	else
		snprintf(buf, len, "%s:%s", host, path);
}

static void format_ms(char *buf, size_t len, uint64_t ms)
{
	if (ms % 1000)
		snprintf(buf, len, "%.2g s", ms / 1000.0);
	else
		snprintf(buf, len, "%llu s", (unsigned long long)(ms / 1000));
}

struct watch *watch_new(const struct rnfsnl_mount *m,
			const struct rnfsnl_replica *r, int stop_fd)
{
	struct watch *w = calloc(1, sizeof(*w));
	pthread_condattr_t attr;

	if (!w)
		return NULL;
	w->conn = probe_conn_new(stop_fd);
	if (!w->conn) {
		free(w);
		return NULL;
	}
	w->mount_id = m->id;
	w->dev = m->dev;
	w->index = r->index;
	snprintf(w->host, sizeof(w->host), "%s", r->host);
	snprintf(w->path, sizeof(w->path), "%s", r->path);
	snprintf(w->source, sizeof(w->source), "%s", m->source);
	watch_format_name(w->name, sizeof(w->name), r->host, r->path);

	pthread_mutex_init(&w->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&w->wake, &attr);
	pthread_condattr_destroy(&attr);

	health_init(&w->health, r->state, rnfsd_now_ms());
	w->told = r->state;
	atomic_init(&w->usable, health_usable(w->health.state));
	return w;
}

void watch_free(struct watch *w)
{
	probe_conn_free(w->conn);
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}

/* Sleep until @when (CLOCK_MONOTONIC ms); false once asked to stop. */
static bool wait_until(struct watch *w, uint64_t when)
{
	struct timespec ts = {
		.tv_sec = when / 1000,
		.tv_nsec = (when % 1000) * 1000000,
	};
	bool go;

	pthread_mutex_lock(&w->lock);
	while (!w->stop && rnfsd_now_ms() < when)
		pthread_cond_timedwait(&w->wake, &w->lock, &ts);
	go = !w->stop;
	pthread_mutex_unlock(&w->lock);
	return go;
}

static bool stopped(struct watch *w)
{
	bool stop;

	pthread_mutex_lock(&w->lock);
	stop = w->stop;
	pthread_mutex_unlock(&w->lock);
	return stop;
}

static bool snapshot(struct watch *w, struct snapshot *s)
{
	const struct table_mount *m;

	rcu_read_lock();
	m = table_find(rcu_dereference(table_current), w);
	if (m) {
		snprintf(s->label, sizeof(s->label), "%s", m->label);
		s->deadline_ms = m->deadline_ms;
		s->failback_ms = m->failback_ms;
		s->fsid_major = m->fsid_major;
		s->fsid_minor = m->fsid_minor;
	}
	rcu_read_unlock();
	return m;
}

/* Can the mount do without @w: is another of its replicas usable? */
static bool others_usable(struct watch *w)
{
	const struct table_mount *m;
	bool others = true;
	unsigned int i;

	rcu_read_lock();
	m = table_find(rcu_dereference(table_current), w);
	if (m) {
		others = false;
		for (i = 0; i < m->nr; i++)
			if (m->watch[i] && m->watch[i] != w &&
			    atomic_load(&m->watch[i]->usable))
				others = true;
	}
	rcu_read_unlock();
	return others;
}

/*
 * Under w->lock.  Nothing is said once the watch is stopping: its mount
 * may be gone, and its st_dev already another mount's.
 */
static void tell(struct watch *w, enum rnfs_replica_health v,
		 const char *reason, uint64_t now)
{
	if (w->stop || verdict_send(w->dev, w->mount_id, w->index, v, reason))
		return;
	w->told = v;
	w->told_ms = now;
	if (reason != w->told_reason)
		snprintf(w->told_reason, sizeof(w->told_reason), "%s", reason);
}

void watch_repeat_verdict(struct watch *w, uint64_t now, uint64_t period)
{
	pthread_mutex_lock(&w->lock);
	if (w->told != RNFS_HEALTH_UP && w->told_ms &&
	    w->health.verdict == w->told && now - w->told_ms >= period)
		tell(w, w->told, w->told_reason, now);
	pthread_mutex_unlock(&w->lock);
}

/* What the kernel is told along with the verdict, for its event log. */
static void verdict_reason(const struct watch *w, uint64_t rise,
			   char *buf, size_t len)
{
	char t[32];

	switch (w->health.state) {
	case HEALTH_UP:
		snprintf(buf, len, "probes answered");
		break;
	case HEALTH_PROBING:
		format_ms(t, sizeof(t), rise);
		snprintf(buf, len, "answers again; on probation for %s", t);
		break;
	case HEALTH_SUSPECT:
	case HEALTH_DOWN:
		/* The kernel keeps RNFSNL_REASON_LEN - 1 characters of it. */
		snprintf(buf, len, "%.*s", (int)len - 1, w->failure);
		break;
	}
}

struct change {
	enum health_state from, to;
	uint64_t rise;
	bool doubled, last_resort;
	char failure[PROBE_REASON_LEN];
	char unchecked[PROBE_REASON_LEN];	/* warn: export not checked */
};

static void log_change(const struct watch *w, const char *label,
		       const struct change *c)
{
	const char *name = w->name, *why = c->failure;
	char rise[32];

	format_ms(rise, sizeof(rise), c->rise);
	if (c->unchecked[0])
		log_msg(LOG_WARNING, "%s: replica %s %s: only its nfsd is probed, not its export",
			label, name, c->unchecked);
	if (c->from == c->to)
		return;
	switch (c->to) {
	case HEALTH_SUSPECT:
		log_msg(LOG_WARNING, "%s: replica %s is suspect (%s)",
			label, name, why);
		break;
	case HEALTH_DOWN:
		if (c->from == HEALTH_PROBING)
			log_msg(LOG_NOTICE, "%s: replica %s failed again on probation (%s)",
				label, name, why);
		else if (c->doubled)
			log_msg(LOG_WARNING, "%s: replica %s is down (%s); it is flapping: %s of good probes needed before it is used again",
				label, name, why, rise);
		else
			log_msg(LOG_WARNING, "%s: replica %s is down (%s)",
				label, name, why);
		break;
	case HEALTH_PROBING:
		log_msg(LOG_NOTICE, "%s: replica %s answers again; on probation for %s",
			label, name, rise);
		break;
	case HEALTH_UP:
		if (c->from == HEALTH_SUSPECT)
			log_msg(LOG_NOTICE, "%s: replica %s answers again",
				label, name);
		else if (c->last_resort)
			log_msg(LOG_NOTICE, "%s: replica %s is up (no other replica is usable: no probation)",
				label, name);
		else
			log_msg(LOG_NOTICE, "%s: replica %s is up",
				label, name);
		break;
	}
}

static void judge(struct watch *w, const struct snapshot *s,
		  const struct probe_result *res, uint64_t start, uint64_t end)
{
	struct health_params p = {
		.interval_ms = rnfsd_interval_ms,
		.deadline_ms = s->deadline_ms,
		.failback_ms = s->failback_ms,
	};
	struct health_probe r = {
		.ok = res->ok,
		.start_ms = start,
		.end_ms = end,
		.others_up = others_usable(w),
	};
	char reason[RNFSNL_REASON_LEN];
	enum rnfs_replica_health v;
	struct change c;

	pthread_mutex_lock(&w->lock);
	c.from = w->health.state;
	health_update(&w->health, &p, &r);
	c.to = w->health.state;
	c.rise = health_rise_ms(&w->health, &p);
	c.doubled = w->health.rise_doubled;
	c.last_resort = !r.others_up && c.to == HEALTH_UP;
	if (!res->ok)
		snprintf(w->failure, sizeof(w->failure), "%s", res->reason);
	snprintf(c.failure, sizeof(c.failure), "%s", w->failure);
	/*
	 * Once per replica: it stays so until its server is set up
	 * otherwise, and each probe would say it again.
	 */
	c.unchecked[0] = '\0';
	if (res->ok && !res->export_checked && !w->warned_unchecked) {
		snprintf(c.unchecked, sizeof(c.unchecked), "%s",
			 res->unchecked[0] ? res->unchecked :
					     "cannot have its export checked");
		w->warned_unchecked = true;
	}

	v = w->health.verdict;
	if (v != w->told || v != RNFS_HEALTH_UP) {
		verdict_reason(w, c.rise, reason, sizeof(reason));
		tell(w, v, reason, end);
	}
	atomic_store(&w->usable, health_usable(c.to));
	pthread_mutex_unlock(&w->lock);

	if (res->ok)
		log_msg(LOG_DEBUG, "%s: replica %s answered in %llu ms (%s)",
			s->label, w->name, (unsigned long long)(end - start),
			health_state_name(c.to));
	else
		log_msg(LOG_DEBUG, "%s: replica %s failed in %llu ms: %s (%s)",
			s->label, w->name, (unsigned long long)(end - start),
			res->reason, health_state_name(c.to));
	log_change(w, s->label, &c);
}

static void *watch_main(void *arg)
{
	struct watch *w = arg;
	uint64_t next = rnfsd_now_ms(), phase = 0;

	/*
	 * Start at a random point of the interval, so that the replicas of
	 * one machine, and the machines of a cluster booted together, do
	 * not all probe a server in the same millisecond.
	 */
	if (getrandom(&phase, sizeof(phase), GRND_NONBLOCK) == sizeof(phase))
		next += phase % rnfsd_interval_ms;
	rcu_register_thread();
	while (wait_until(w, next)) {
		struct probe_target t = { .host = w->host, .path = w->path };
		struct probe_result res;
		struct snapshot s;
		uint64_t start, end;

		start = rnfsd_now_ms();
		/* A probe longer than the interval delays the next one. */
		next = start + rnfsd_interval_ms;
		if (!snapshot(w, &s))
			continue;
		t.fsid_major = s.fsid_major;
		t.fsid_minor = s.fsid_minor;
		t.deadline_ms = s.deadline_ms;
		probe_run(w->conn, &t, &res);
		end = rnfsd_now_ms();
		if (stopped(w))
			break;
		judge(w, &s, &res, start, end);
	}
	rcu_unregister_thread();
	return NULL;
}

int watch_start(struct watch *w)
{
	int ret = pthread_create(&w->thread, NULL, watch_main, w);

	w->started = !ret;
	return -ret;
}

void watch_stop(struct watch *w)
{
	pthread_mutex_lock(&w->lock);
	w->stop = true;
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
}

void watch_cancel(struct watch *w)
{
	watch_stop(w);
	probe_cancel(w->conn);
}

int watch_tryjoin(struct watch *w)
{
	int ret;

	if (!w->started)
		return 0;
	ret = pthread_tryjoin_np(w->thread, NULL);
	if (!ret)
		w->started = false;
	return ret;
}

void watch_join(struct watch *w)
{
	if (w->started)
		pthread_join(w->thread, NULL);
	w->started = false;
}
