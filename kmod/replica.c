// SPDX-License-Identifier: GPL-2.0
/*
 * Replicas and the choice of the active one.
 *
 * Each replica is DOWN (not mounted yet, or declared down) or UP.  A
 * request that waits out the deadline declares its replica down; if it
 * was the active one, the next UP replica in preference order becomes
 * active (failover).  With none left, callers wait (hard) or get
 * ETIMEDOUT (soft) until a probe finds a replica answering again.
 *
 * One timer per mount, the tick, runs every RNFS_PROBE_INTERVAL (and after
 * unmounting, until every request left on a dead server is reaped):
 *  - probes: every replica gets a probe request (mount it if it never
 *    was, else GETATTR its root), the active one too, since a mount served
 *    from caches must notice its server's death all the same; an answer
 *    marks it UP, a probe silent past the deadline marks it DOWN (for the
 *    active one: failover);
 *  - reaping: on a DOWN replica with requests still in flight, their RPCs
 *    are killed (all of the lower client's, but its state recovery on a
 *    server heard from again: reap()), and the worker threads
 *    still running requests given up on get SIGKILL (workers.c), again
 *    every tick, since a killed call may send a new RPC;
 *  - failback: with failback=auto, once the primary has been UP for
 *    failback_delay seconds, it becomes active again;
 *  - idle lower files past RNFS_IDLE_KEEP are closed (idle.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <net/net_namespace.h>

#include "rnfs.h"

static void fs_free_work(struct work_struct *work)
{
	struct rnfs_fs *fs = container_of(work, struct rnfs_fs, free_work);
	unsigned int i;

	for (i = 0; i < fs->nr; i++) {
		struct rnfs_replica *r = fs->replica[i];

		/*
		 * From a kworker the lower superblock is shut down later by
		 * delayed_mntput; a dead server's shutdown may take seconds.
		 */
		if (r->mnt)
			mntput(r->mnt);
		/* Every request is done: each held a reference to @fs. */
		rnfs_workers_stop(&r->workers);
		kfree(r);
	}
	if (fs->net)
		put_net(fs->net);
	if (fs->cred)
		put_cred(fs->cred);
	kfree(fs->lower_opts);
	kfree(fs->source);
	kfree(fs->label);
	kfree(fs);
	/* rnfs_ctl_wq is drained before the module goes: this is safe. */
	module_put(THIS_MODULE);
}

static void fs_release(struct kref *ref)
{
	struct rnfs_fs *fs = container_of(ref, struct rnfs_fs, ref);

	queue_work(rnfs_ctl_wq, &fs->free_work);
}

void rnfs_fs_get(struct rnfs_fs *fs)
{
	kref_get(&fs->ref);
}

void rnfs_fs_put(struct rnfs_fs *fs)
{
	kref_put(&fs->ref, fs_release);
}

const char *rnfs_fs_label(struct rnfs_fs *fs)
{
	const char *label = READ_ONCE(fs->label);

	return label ? label : fs->source;
}

static void tick(struct work_struct *work);

struct rnfs_fs *rnfs_fs_alloc(void)
{
	struct rnfs_fs *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	kref_init(&fs->ref);
	spin_lock_init(&fs->lock);
	init_waitqueue_head(&fs->wait);
	INIT_DELAYED_WORK(&fs->tick, tick);
	INIT_WORK(&fs->free_work, fs_free_work);
	INIT_LIST_HEAD(&fs->idle_inodes);
	INIT_LIST_HEAD(&fs->nl_node);
	INIT_LIST_HEAD(&fs->swaps);
	rnfs_locks_init(fs);
	rnfs_doubt_init(fs);
	fs->timeo = RNFS_DEFAULT_TIMEO;
	fs->retrans = RNFS_DEFAULT_RETRANS;
	fs->failback_delay = RNFS_DEFAULT_FAILBACK_DELAY;
	fs->minorversion = 2;
	__module_get(THIS_MODULE);
	return fs;
}

/*
 * When did @r's server last answer anything?  Counted from the replies its
 * RPC transport received, not from finished lower calls: those may have
 * been served from the NFS client's caches while the server is dead.
 */
unsigned long rnfs_replica_heard(struct rnfs_replica *r)
{
	/* Pairs with the release in probe_run(). */
	struct vfsmount *mnt = smp_load_acquire(&r->mnt);
	unsigned long recvs = mnt ? rnfs_lower_replies(mnt) : 0;

	if (recvs != READ_ONCE(r->recvs)) {
		WRITE_ONCE(r->recvs, recvs);
		WRITE_ONCE(r->last_reply, jiffies);
	}
	return READ_ONCE(r->last_reply);
}

/* Is a replica other than @r UP?  Under fs->lock. */
bool rnfs_other_up(struct rnfs_fs *fs, struct rnfs_replica *r)
{
	unsigned int i;

	for (i = 0; i < fs->nr; i++)
		if (fs->replica[i] != r &&
		    fs->replica[i]->state == RNFS_REPLICA_UP)
			return true;
	return false;
}

/* The next UP replica after @r in preference order, or NULL. */
static struct rnfs_replica *next_up(struct rnfs_fs *fs, struct rnfs_replica *r)
{
	unsigned int i;

	for (i = 1; i < fs->nr; i++) {
		struct rnfs_replica *n = fs->replica[(r->index + i) % fs->nr];

		if (n->state == RNFS_REPLICA_UP)
			return n;
	}
	return NULL;
}

/*
 * Declare @r down, unless it was already declared down since generation
 * @gen (many requests time out together; one failover is enough).
 */
void rnfs_replica_failed(struct rnfs_replica *r, unsigned int gen,
			 const char *why)
{
	struct rnfs_fs *fs = r->fs;
	struct rnfs_replica *next = NULL;
	bool was_active, log_stuck = false;
	enum rnfs_event event;

	spin_lock(&fs->lock);
	if (r->gen != gen || r->state != RNFS_REPLICA_UP) {
		spin_unlock(&fs->lock);
		return;
	}
	r->state = RNFS_REPLICA_DOWN;
	WRITE_ONCE(r->gen, r->gen + 1);
	WRITE_ONCE(r->conn_reset, false);
	/*
	 * Whatever it was sent may still be there: fence it first.  The
	 * session calls are counted from now: any reset that leaves the
	 * session of this moment alive must show.
	 */
	r->fence_confirmed = !r->mnt;	/* nothing sent without a mount */
	if (r->mnt) {
		r->fence = RNFS_FENCE_DUE;
		r->fence_warned = false;
		rnfs_lower_sessions(r->mnt, &r->fence_mark);
	}
	r->failures++;
	was_active = fs->active == r;
	if (was_active) {
		next = next_up(fs, r);
		WRITE_ONCE(fs->active, next);
		fs->pinned = false;	/* the administrator's choice died */
		if (next)
			fs->failovers++;
		else
			fs->stranded = r;
		if (!next && !fs->not_responding)
			log_stuck = true;
		fs->not_responding |= log_stuck;
	}
	spin_unlock(&fs->lock);

	if (next)
		pr_warn("%s: failover from %s to %s (%s)\n", rnfs_fs_label(fs),
			r->host, next->host, why);
	else if (!was_active)
		pr_info("%s: replica %s is down (%s)\n", rnfs_fs_label(fs),
			r->host, why);
	if (log_stuck)
		pr_warn("%s: servers not responding, still trying\n",
			rnfs_fs_label(fs));
	if (next)
		event = RNFS_EVENT_FAILOVER;
	else if (log_stuck)
		event = RNFS_EVENT_NOT_RESPONDING;
	else
		event = RNFS_EVENT_REPLICA_DOWN;
	rnfs_event(fs, event, r, next, why);
	mod_delayed_work(rnfs_ctl_wq, &fs->tick, 0);
}

/*
 * A probe of @r answered: it is UP, and the mount may resume on it, unless
 * rnfsd holds it down (its probe sees what ours cannot, e.g. an export
 * that is gone behind a filehandle the server still answers for).
 */
static void replica_up(struct rnfs_replica *r)
{
	struct rnfs_fs *fs = r->fs;
	bool resumed = false, was_down;

	spin_lock(&fs->lock);
	if (r->verdict_down && time_before(jiffies, r->verdict_down_until)) {
		spin_unlock(&fs->lock);
		return;
	}
	was_down = r->state != RNFS_REPLICA_UP;
	if (was_down) {
		r->state = RNFS_REPLICA_UP;
		r->up_since = jiffies;
		WRITE_ONCE(r->gen, r->gen + 1);
		if (r->fence_confirmed)
			WRITE_ONCE(r->fenced_gen, r->gen);
	}
	if (!fs->active) {
		WRITE_ONCE(fs->active, r);
		/* Open files and locks move as in a failover. */
		if (fs->stranded && fs->stranded != r)
			fs->failovers++;
		fs->stranded = NULL;
		resumed = fs->not_responding;
		fs->not_responding = false;
	}
	spin_unlock(&fs->lock);

	if (was_down) {
		rnfs_closes_flush(r);
		rnfs_swap_replica_up(r);
	}
	if (resumed) {
		pr_warn("%s: servers OK, using %s\n", rnfs_fs_label(fs), r->host);
		rnfs_event(fs, RNFS_EVENT_RESUMED, NULL, r, NULL);
	} else if (was_down) {
		pr_info("%s: replica %s is up\n", rnfs_fs_label(fs), r->host);
		rnfs_event(fs, RNFS_EVENT_REPLICA_UP, r, NULL, NULL);
	}
	wake_up_all(&fs->wait);
}

/*
 * The active replica; with none, wait for one (hard), or fail at once
 * (soft).  umount -f makes those already waiting fail with EIO.
 */
static struct rnfs_replica *active_wait(struct rnfs_fs *fs)
{
	unsigned int aborts = READ_ONCE(fs->aborts);
	struct rnfs_replica *r;

	for (;;) {
		r = READ_ONCE(fs->active);
		if (r)
			return r;
		if (READ_ONCE(fs->soft))
			return ERR_PTR(-ETIMEDOUT);
		if (wait_event_killable(fs->wait, READ_ONCE(fs->active) ||
					READ_ONCE(fs->aborts) != aborts))
			return ERR_PTR(-EINTR);
		if (READ_ONCE(fs->aborts) != aborts)
			return ERR_PTR(-EIO);
	}
}

/* Is another attempt due?  See rnfs_for_each_attempt(). */
bool rnfs_attempt_next(struct rnfs_attempt *a)
{
	struct rnfs_replica *r;

	if (a->ret != -RNFS_ERETRY)
		return false;
	if (a->flags & RNFS_NO_WAIT)
		r = READ_ONCE(a->fs->active) ?: ERR_PTR(-EHOSTDOWN);
	else
		r = active_wait(a->fs);
	if (IS_ERR(r)) {
		a->ret = PTR_ERR(r);
		return false;
	}
	a->r = r;
	a->nr++;
	return true;
}

void rnfs_fs_abort_waiters(struct rnfs_fs *fs)
{
	spin_lock(&fs->lock);
	WRITE_ONCE(fs->aborts, fs->aborts + 1);
	spin_unlock(&fs->lock);
	wake_up_all(&fs->wait);
	wake_up_all(&fs->relock_wait);
}

/*
 * Probes: mount the replica if needed, then GETATTR its root, and note
 * its filehandle: a replica serves the mount's filesystem only if its
 * root has the filehandle and fsid of the first replica mounted
 * (DESIGN.md, invariant 3), for only then are files found on it by
 * their filehandles.
 */
struct probe_req {
	struct rnfs_req req;
	struct rnfs_attr root;
	struct rnfs_fh root_fh;
};

static int probe_run(struct rnfs_req *req)
{
	struct probe_req *p = container_of(req, struct probe_req, req);
	struct rnfs_replica *r = req->replica;
	struct rnfs_fs *fs = r->fs;
	struct vfsmount *mnt;
	int ret;

	if (!READ_ONCE(r->mnt)) {
		mnt = rnfs_do_mount(r);
		if (IS_ERR(mnt))
			return PTR_ERR(mnt);
		spin_lock(&fs->lock);
		if (!r->mnt) {
			/* Published before the replica can become UP. */
			smp_store_release(&r->mnt, mnt);
			mnt = NULL;
		}
		spin_unlock(&fs->lock);
		if (mnt)
			mntput(mnt);
	}
	ret = rnfs_do_probe(r, &p->root);
	if (!ret)
		ret = rnfs_lower_fh(d_inode(r->mnt->mnt_root), &p->root_fh);
	return ret;
}

static void probe_release(struct rnfs_req *req)
{
	kfree(container_of(req, struct probe_req, req));
}

static struct rnfs_req *probe_send(struct rnfs_replica *r)
{
	struct probe_req *p;

	p = rnfs_req_alloc(sizeof(*p), probe_run, probe_release);
	if (!p)
		return NULL;
	rnfs_req_submit(&p->req, r, r->fs->cred);
	return &p->req;
}

/* Does the replica that answered probe @p serve the mount's filesystem? */
static bool probe_same_fs(struct rnfs_fs *fs, struct rnfs_req *p)
{
	struct probe_req *pr = container_of(p, struct probe_req, req);

	return pr->root.fsid_major == fs->fsid_major &&
	       pr->root.fsid_minor == fs->fsid_minor &&
	       rnfs_fh_equal(&pr->root_fh, &fs->root_fh);
}

/*
 * @r answers, but for another filesystem (a wrong export, another fsid):
 * it is said once, and the replica is not used for the life of the
 * mount.  Its lower mount holds the wrong root, which a corrected export
 * would not make right: the administrator fixes the export and mounts
 * again.
 */
static void replica_refuse(struct rnfs_replica *r, unsigned int gen)
{
	static const char why[] = "root filehandle or fsid differs from the mount's";
	struct rnfs_fs *fs = r->fs;
	bool first;

	rnfs_replica_failed(r, gen, "serves another filesystem");
	spin_lock(&fs->lock);
	first = !r->refused;
	r->refused = true;
	spin_unlock(&fs->lock);
	if (!first)
		return;
	pr_err("%s: replica %s refused: not the same filesystem (%s)\n",
	       rnfs_fs_label(fs), r->host, why);
	rnfs_event(fs, RNFS_EVENT_REPLICA_REFUSED, r, NULL, why);
}

/*
 * Fencing (DESIGN.md, invariant 4; the NFS side is in lower.c).  A replica
 * declared down may still hold, or still receive, requests rnfs gave up
 * on there.  Once it answers again, it stays down until the NFS client
 * has destroyed its session with the server and made a new one: then
 * nothing sent before can take effect there any more.
 *
 * The counts of the NFS client's session calls since the replica was
 * declared down tell whether that happened: every session created since
 * must have followed one destroyed, or a new client ID (EXCHANGE_ID: the
 * server had lost the client's state, sessions and all, as after a
 * restart), and a destroy that failed must have been followed by a new
 * client ID.  The NFS client of Linux 6.1 does not always destroy the
 * old session: when the server answers DESTROY_SESSION with
 * NFS4ERR_DELAY (a request of that session still executing, which is
 * what a fence is for), it goes on with the old one, and its next reset
 * creates a new session without destroying the old.  Then the server is
 * not fenced: rnfs waits a lease time (what the server holds has most
 * likely finished by then, and the check of writes in doubt comes after
 * it), and says so.  A reset that shows no sign of running in a lease
 * time is asked for again.
 */
enum fence_outcome { FENCE_WAITING, FENCE_DONE, FENCE_FAILED };

static enum fence_outcome fence_outcome(const struct rnfs_sessions *mark,
					const struct rnfs_sessions *now)
{
	unsigned long created = now->created - mark->created;
	unsigned long exchanged = now->exchanged - mark->exchanged;

	if ((now->destroy_failed != mark->destroy_failed && !exchanged) ||
	    created > now->destroyed - mark->destroyed + exchanged)
		return FENCE_FAILED;
	return created ? FENCE_DONE : FENCE_WAITING;
}

/* Ask for the reset off the tick: starting the state manager may sleep. */
void rnfs_fence_work(struct work_struct *work)
{
	struct rnfs_replica *r = container_of(work, struct rnfs_replica,
					      fence_work);
	struct rnfs_fs *fs = r->fs;

	spin_lock(&fs->lock);
	r->fence_sent = jiffies;
	r->fence = RNFS_FENCE_SENT;
	spin_unlock(&fs->lock);
	/* Unmounted meanwhile: the mount's server is no longer its business. */
	if (!READ_ONCE(fs->stopping)) {
		rnfs_lower_reset_session(r->mnt);
		pr_info("%s: %s answers again: resetting its NFS session before using it\n",
			rnfs_fs_label(fs), r->host);
	}
	rnfs_fs_put(fs);
}

/*
 * @r answered a probe: may it be used, or is it still to be fenced?  The
 * tick alone calls this; r->mnt is set (the probe used it).
 */
static bool replica_fenced(struct rnfs_replica *r)
{
	struct rnfs_fs *fs = r->fs;
	unsigned long waited, lease = rnfs_lower_lease(r->mnt);
	struct rnfs_sessions mark, now;
	enum fence_outcome outcome;
	enum rnfs_fence fence;
	bool warn = false;

	spin_lock(&fs->lock);
	fence = r->fence;
	mark = r->fence_mark;
	waited = jiffies - r->fence_sent;
	if (fence == RNFS_FENCE_DUE)
		r->fence = RNFS_FENCE_ASKED;
	spin_unlock(&fs->lock);

	switch (fence) {
	case RNFS_FENCE_NONE:
		/* Nothing was due, or the last fence was dealt with. */
		return true;
	case RNFS_FENCE_ASKED:
		return false;
	case RNFS_FENCE_DUE:
		rnfs_fs_get(fs);
		if (!queue_work(rnfs_wq, &r->fence_work))
			rnfs_fs_put(fs);
		return false;
	case RNFS_FENCE_SENT:
		break;
	}
	rnfs_lower_sessions(r->mnt, &now);
	outcome = fence_outcome(&mark, &now);
	spin_lock(&fs->lock);
	if (outcome == FENCE_FAILED && !r->fence_warned) {
		r->fence_warned = true;
		warn = true;
	}
	if (outcome == FENCE_DONE || waited >= lease) {
		r->fence = outcome == FENCE_WAITING ? RNFS_FENCE_DUE :
						      RNFS_FENCE_NONE;
		/* swap.c trusts only a fence seen done (replica_up()). */
		r->fence_confirmed = outcome == FENCE_DONE;
	}
	fence = r->fence;
	spin_unlock(&fs->lock);

	if (warn)
		pr_warn("%s: %s could not be fenced (its NFS client did not destroy its old session): using it again in %lu s, what it still holds may land late\n",
			rnfs_fs_label(fs), r->host,
			(lease - min(waited, lease)) / HZ);
	if (fence != RNFS_FENCE_NONE)
		return false;
	if (outcome == FENCE_DONE)
		pr_info("%s: %s fenced: its old NFS session is destroyed\n",
			rnfs_fs_label(fs), r->host);
	return true;
}

/* Look at @r's outstanding probe; send a new one when there is none. */
static void probe_check(struct rnfs_fs *fs, struct rnfs_replica *r)
{
	struct rnfs_req *p, *done = NULL, *sent;
	unsigned int gen;
	bool silent = false;

	spin_lock(&fs->lock);
	p = r->probe;
	gen = r->gen;
	if (p && completion_done(&p->done)) {
		r->probe = NULL;
		done = p;
	} else if (p) {
		unsigned long last = max(p->submitted, rnfs_replica_heard(r));

		silent = time_after(jiffies, last + rnfs_deadline(fs));
	}
	spin_unlock(&fs->lock);

	/* Both are no-ops for a replica that is already down. */
	if (silent)
		rnfs_replica_failed(r, gen, "probe timed out");
	if (done) {
		/* An answer from before the replica was declared down is stale. */
		if (!done->error && done->gen == gen && !probe_same_fs(fs, done))
			replica_refuse(r, gen);
		else if (!done->error && done->gen == gen &&
			 !READ_ONCE(r->refused) && replica_fenced(r))
			replica_up(r);
		else if (done->error)
			rnfs_replica_failed(r, gen, "probe failed");
		rnfs_req_put(done);
	}

	/*
	 * At most one probe per replica, even when it is stuck.  The active
	 * replica is probed too: a mount served from caches must notice its
	 * server's death all the same.
	 */
	if (READ_ONCE(r->probe) || READ_ONCE(fs->stopping))
		return;
	sent = probe_send(r);
	if (!sent)
		return;
	spin_lock(&fs->lock);
	if (!r->probe && !fs->stopping) {
		r->probe = sent;
		sent = NULL;
	}
	spin_unlock(&fs->lock);
	if (sent)
		rnfs_req_put(sent);
}

/*
 * Kill the RPCs of requests stuck on a dead replica (see above); the
 * first time after it was declared down, reset its connections too, so
 * that what they carried for the server cannot reach it later and undo
 * what was since committed through another replica.  The tick is the
 * only caller: one at a time.
 */
static void reap(struct rnfs_replica *r)
{
	/* Pairs with the release in probe_run(). */
	struct vfsmount *mnt = smp_load_acquire(&r->mnt);
	unsigned int reset;

	if (READ_ONCE(r->state) != RNFS_REPLICA_DOWN || !mnt ||
	    !atomic_read(&r->inflight))
		return;
	/*
	 * A server heard from again is being recovered by the NFS client:
	 * its reclaims must not be killed.  One silent still has them stuck
	 * like any call, holding what others wait for (a lock reclaim holds
	 * the inode's rwsem): those are killed with the rest.
	 */
	if (time_before(jiffies, rnfs_replica_heard(r) + rnfs_deadline(r->fs)))
		rnfs_lower_abort_calls(mnt);
	else
		rnfs_lower_abort(mnt);
	rnfs_workers_kill(&r->workers, READ_ONCE(r->gen), 0);
	if (READ_ONCE(r->conn_reset))
		return;
	WRITE_ONCE(r->conn_reset, true);
	reset = rnfs_lower_reset_connections(mnt);
	if (reset)
		pr_info("%s: reset the connection to %s: calls left there are dropped\n",
			rnfs_fs_label(r->fs), r->host);
}

static void failback_check(struct rnfs_fs *fs)
{
	struct rnfs_replica *primary = fs->replica[0], *old = NULL;
	unsigned long delay = READ_ONCE(fs->failback_delay) * HZ;

	if (!READ_ONCE(fs->failback_auto))
		return;
	spin_lock(&fs->lock);
	if (fs->active && fs->active != primary && !fs->pinned &&
	    primary->state == RNFS_REPLICA_UP &&
	    time_after_eq(jiffies, primary->up_since + delay)) {
		old = fs->active;
		WRITE_ONCE(fs->active, primary);
		fs->failovers++;
	}
	spin_unlock(&fs->lock);
	if (old) {
		pr_warn("%s: failback from %s to %s\n", rnfs_fs_label(fs),
			old->host, primary->host);
		rnfs_event(fs, RNFS_EVENT_FAILBACK, old, primary, NULL);
	}
}

/* Run the tick now: probes, failback, after a change from netlink. */
void rnfs_fs_kick(struct rnfs_fs *fs)
{
	if (!READ_ONCE(fs->stopping))
		mod_delayed_work(rnfs_ctl_wq, &fs->tick, 0);
}

/*
 * An administrator makes replica @index active (nfs4cl switch).  Requests
 * already sent finish where they are; new ones go to the new replica.  A
 * switch away from the primary holds until that replica fails or the
 * administrator switches again: automatic failback would undo it at once.
 */
int rnfs_fs_switch(struct rnfs_fs *fs, unsigned int index)
{
	struct rnfs_replica *r = fs->replica[index], *old;

	spin_lock(&fs->lock);
	old = fs->active;
	if (old == r) {
		spin_unlock(&fs->lock);
		return -EALREADY;
	}
	if (r->state != RNFS_REPLICA_UP) {
		spin_unlock(&fs->lock);
		return -EHOSTDOWN;
	}
	WRITE_ONCE(fs->active, r);
	fs->pinned = index != 0;
	fs->failovers++;
	spin_unlock(&fs->lock);

	pr_warn("%s: switch from %s to %s (administrator)\n",
		rnfs_fs_label(fs), old ? old->host : "none", r->host);
	rnfs_event(fs, RNFS_EVENT_SWITCH, old, r, "administrator");
	wake_up_all(&fs->wait);
	return 0;
}

/*
 * What nfs4cl shows, under fs->lock: SUSPECT while rnfsd's probes fail, or
 * while our own probe has waited half the deadline.
 */
enum rnfs_replica_health rnfs_replica_health(struct rnfs_replica *r)
{
	struct rnfs_fs *fs = r->fs;

	if (r->state != RNFS_REPLICA_UP)
		return RNFS_HEALTH_DOWN;
	if (r->verdict_suspect && time_before(jiffies, r->verdict_suspect_until))
		return RNFS_HEALTH_SUSPECT;
	if (r->probe && !completion_done(&r->probe->done) &&
	    time_after(jiffies, max(r->probe->submitted, READ_ONCE(r->last_reply)) +
			       rnfs_deadline(fs) / 2))
		return RNFS_HEALTH_SUSPECT;
	return RNFS_HEALTH_UP;
}

/*
 * Whether to kill the calls left on @r now that the superblock is gone.
 * They are mostly closes (lowerfile.c), which a server that answers must
 * get, or it keeps the files open and their locks held for as long as
 * this client's lease lives.  On a replica up, only once one is stuck
 * past the mount's deadline, as any call; on one declared down, a tick
 * after the unmount: time enough for a server that is back but not yet
 * probed (the NFS client first recovers its state there), and little for
 * a dead one to hold the module.  Once it starts, every tick kills what
 * is left (the tick alone uses r->reaping).
 */
static bool reap_now(struct rnfs_fs *fs, struct rnfs_replica *r)
{
	unsigned long deadline = rnfs_deadline(fs);

	if (r->reaping)
		return true;
	/* Nothing probes it any more: one stuck call says it is dead. */
	if (READ_ONCE(r->state) == RNFS_REPLICA_UP)
		r->reaping = rnfs_workers_stuck(&r->workers, deadline,
						rnfs_replica_heard(r));
	else
		r->reaping = time_after_eq(jiffies, fs->stopped_at +
						    RNFS_PROBE_INTERVAL);
	return r->reaping;
}

/*
 * Once the superblock is gone, the tick only reaps, until no request is
 * left on any replica; then it drops its reference to the mount.
 */
static bool reap_all(struct rnfs_fs *fs)
{
	unsigned int i;
	bool busy = false;

	for (i = 0; i < fs->nr; i++) {
		struct rnfs_replica *r = fs->replica[i];
		/* Pairs with the release in probe_run(). */
		struct vfsmount *mnt = smp_load_acquire(&r->mnt);

		if (!atomic_read(&r->inflight))
			continue;
		busy = true;
		if (!reap_now(fs, r))
			continue;
		if (mnt)
			rnfs_lower_abort(mnt);
		/* What a live server does not finish in time, it never will. */
		rnfs_workers_kill(&r->workers, READ_ONCE(r->gen),
				  rnfs_deadline(fs));
	}
	return busy;
}

static void tick(struct work_struct *work)
{
	struct rnfs_fs *fs = container_of(to_delayed_work(work),
					  struct rnfs_fs, tick);
	unsigned int i, nofs;

	/*
	 * Its allocations must not reclaim into a swap file on this mount:
	 * swap I/O may be waiting for the calls that reap() kills.
	 */
	nofs = memalloc_nofs_save();
	if (READ_ONCE(fs->stopping)) {
		if (reap_all(fs))
			queue_delayed_work(rnfs_ctl_wq, &fs->tick, RNFS_PROBE_INTERVAL);
		else
			rnfs_fs_put(fs);
		memalloc_nofs_restore(nofs);
		return;
	}
	for (i = 0; i < fs->nr; i++) {
		probe_check(fs, fs->replica[i]);
		reap(fs->replica[i]);
		rnfs_workers_trim(&fs->replica[i]->workers);
	}
	failback_check(fs);
	rnfs_doubt_check(fs);
	rnfs_locks_check(fs);
	rnfs_idle_expire(fs);
	memalloc_nofs_restore(nofs);
	queue_delayed_work(rnfs_ctl_wq, &fs->tick, RNFS_PROBE_INTERVAL);
}

/* A failed mount-time probe, in words for the mount's error message. */
static const char *probe_error_text(int error)
{
	switch (error) {
	case -ECONNREFUSED:
		return "connection refused";
	case -ETIMEDOUT:
		return "timed out";
	case -EHOSTUNREACH:
	case -ENETUNREACH:
	case -EHOSTDOWN:
		return "unreachable";
	case -ENOENT:
	case -ESTALE:
		return "export not found";
	case -EACCES:
	case -EPERM:
		return "access denied";
	case -EPROTONOSUPPORT:
		return "NFS version not supported";
	default:
		return NULL;
	}
}

/* Explain, for the mount's error message, why no replica could be used. */
static void why_none(struct rnfs_fs *fs, char *buf, size_t len)
{
	unsigned int i;
	size_t n = 0;

	for (i = 0; i < fs->nr && n < len; i++) {
		struct rnfs_req *p = fs->replica[i]->probe;
		const char *sep = i ? ", " : "";
		const char *host = fs->replica[i]->host;
		const char *text;

		if (!completion_done(&p->done)) {
			n += scnprintf(buf + n, len - n, "%s%s (timed out)",
				       sep, host);
			continue;
		}
		text = probe_error_text(p->error);
		if (text)
			n += scnprintf(buf + n, len - n, "%s%s (%s)", sep, host,
				       text);
		else
			n += scnprintf(buf + n, len - n, "%s%s (error %d)", sep,
				       host, p->error);
	}
}

/*
 * Mount time: probe (and so mount) every replica at once and wait for the
 * most preferred replica that answers: for the primary, up to the deadline
 * (at least RNFS_MOUNT_PREFER, since mounting takes time of its own), for
 * any, up to RNFS_MOUNT_TIMEOUT.  Replicas that do not answer in time are
 * mounted later, by the tick, when they come back.  On success @root
 * holds the attributes of the active replica's root; on failure @why says
 * what each replica did.
 */
int rnfs_fs_start(struct rnfs_fs *fs, struct rnfs_attr *root,
		  char *why, size_t whylen)
{
	unsigned long start = jiffies;
	unsigned long prefer = start + max(rnfs_deadline(fs), RNFS_MOUNT_PREFER);
	unsigned long deadline = start + max(rnfs_deadline(fs), RNFS_MOUNT_TIMEOUT);
	struct rnfs_replica *best;
	unsigned int i;
	int ret = 0;

	for (i = 0; i < fs->nr; i++) {
		fs->replica[i]->probe = probe_send(fs->replica[i]);
		if (!fs->replica[i]->probe) {
			ret = -ENOMEM;
			goto fail;
		}
	}
	for (;;) {
		bool preferred_pending = false, pending = false;

		best = NULL;
		for (i = 0; i < fs->nr; i++) {
			struct rnfs_req *p = fs->replica[i]->probe;

			if (!completion_done(&p->done)) {
				pending = true;
				if (!best)
					preferred_pending = true;
			} else if (!p->error && !best) {
				best = fs->replica[i];
			}
		}
		if ((best && !preferred_pending) || !pending)
			break;
		if (best && time_after_eq(jiffies, prefer))
			break;
		if (time_after_eq(jiffies, deadline))
			break;
		if (schedule_timeout_killable(HZ / 20) &&
		    fatal_signal_pending(current)) {
			ret = -EINTR;
			goto fail;
		}
	}
	if (!best) {
		why_none(fs, why, whylen);
		ret = -EHOSTUNREACH;
		goto fail;
	}

	*root = container_of(best->probe, struct probe_req, req)->root;
	fs->fsid_major = root->fsid_major;
	fs->fsid_minor = root->fsid_minor;
	fs->root_fh = container_of(best->probe, struct probe_req, req)->root_fh;
	for (i = 0; i < fs->nr; i++) {
		struct rnfs_replica *r = fs->replica[i];

		/* Unanswered probes stay: the tick follows them up. */
		if (!completion_done(&r->probe->done))
			continue;
		/*
		 * A replica of another filesystem stays down; the tick's
		 * probe refuses it, once the mount can send the event.
		 */
		if (!r->probe->error && probe_same_fs(fs, r->probe)) {
			r->state = RNFS_REPLICA_UP;
			r->up_since = jiffies;
		}
		rnfs_req_put(r->probe);
		r->probe = NULL;
	}
	fs->active = best;
	rnfs_fs_get(fs);		/* the tick's, until it stops */
	fs->ticking = true;
	queue_delayed_work(rnfs_ctl_wq, &fs->tick, RNFS_PROBE_INTERVAL);
	return 0;

fail:
	for (i = 0; i < fs->nr; i++) {
		if (fs->replica[i]->probe)
			rnfs_req_put(fs->replica[i]->probe);
		fs->replica[i]->probe = NULL;
	}
	return ret;
}

/*
 * The superblock is going away: no more probes; the tick goes on reaping
 * requests stuck on dead servers, so that the mount, and with it the
 * module, can go once they are freed.
 */
void rnfs_fs_stop(struct rnfs_fs *fs)
{
	struct rnfs_req *probes[RNFS_MAX_REPLICAS];
	unsigned int i;

	spin_lock(&fs->lock);
	WRITE_ONCE(fs->stopping, true);
	fs->stopped_at = jiffies;
	for (i = 0; i < fs->nr; i++) {
		probes[i] = fs->replica[i]->probe;
		fs->replica[i]->probe = NULL;
	}
	spin_unlock(&fs->lock);
	for (i = 0; i < fs->nr; i++) {
		if (probes[i])
			rnfs_req_put(probes[i]);
		rnfs_closes_flush(fs->replica[i]);
	}
	rnfs_locks_stop(fs);
	if (fs->ticking)
		mod_delayed_work(rnfs_ctl_wq, &fs->tick, 0);
}
