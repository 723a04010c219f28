// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX (fcntl) and flock locks.  A lock is taken on the active replica,
 * through the upper file's lower file there, so that the servers, and the
 * other clients of the backing filesystem, see it; once granted, it is
 * recorded on the upper inode too, which is what close() and exit() look
 * at to release it, and what a failover takes again on the new replica.
 *
 * Waiting for a lock (F_SETLKW, flock without LOCK_NB) is a loop of
 * attempts that do not wait, with a back-off, as the NFSv4.0 client itself
 * does: a worker blocked in the lower client could not be interrupted by
 * a signal, and one abandoned there might be granted a lock after its
 * caller gave up.
 *
 * After a failover, the mount's tick starts relock_work, which takes every
 * recorded lock again on the new replica.  The old server may still hold
 * them for a while (a server cut off, not dead, keeps its locks until its
 * lease runs out), so a conflict is retried for two lease periods; a lock
 * still refused then, or refused for another reason, is lost: the kernel
 * log and the events group say so, and the file's reads and writes fail
 * with EIO until it is closed, as the NFS client does with locks it
 * cannot reclaim.  Until its locks are taken again, a file's reads and
 * writes wait (rnfs_locks_wait()): meanwhile another client may hold
 * them, and the holder must not go on as if it still did.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "rnfs.h"

#define RNFS_LOCK_POLL_MIN	(HZ / 20)
#define RNFS_LOCK_POLL_MAX	HZ
#define RNFS_RELOCK_POLL	(HZ / 10)

struct lock_req {
	struct rnfs_req req;
	unsigned int cmd;		/* F_SETLK or F_GETLK */
	bool conflict;			/* refused: someone holds it */
	struct file_lock fl;		/* the lower request */
};

static int lockreq_run(struct rnfs_req *req)
{
	struct lock_req *lr = container_of(req, struct lock_req, req);
	int ret;

	rnfs_fl(&lr->fl, file) = req->file;
	ret = rnfs_do_lock(req->file, lr->cmd, &lr->fl);
	/* A conflict is an answer, not an error. */
	if (ret == -EAGAIN) {
		lr->conflict = true;
		ret = 0;
	}
	return ret;
}

static void lockreq_release(struct rnfs_req *req)
{
	struct lock_req *lr = container_of(req, struct lock_req, req);

	locks_release_private(&lr->fl);
	kfree(lr);
}

/* The lower copy of @fl: the same owner, range and type, never waiting. */
static void lower_lock(struct file_lock *lfl, const struct file_lock *fl)
{
	locks_init_lock(lfl);
	rnfs_fl(lfl, owner) = rnfs_fl(fl, owner);
	rnfs_fl(lfl, pid) = rnfs_fl(fl, pid);
	rnfs_fl(lfl, flags) = rnfs_fl(fl, flags) &
			      (FL_POSIX | FL_FLOCK | FL_OFDLCK);
	rnfs_fl(lfl, type) = rnfs_fl(fl, type);
	lfl->fl_start = fl->fl_start;
	lfl->fl_end = fl->fl_end;
}

/* One lock request on replica @r.  F_GETLK copies the answer into @fl. */
static int lock_on(struct file *file, unsigned int cmd,
		   struct file_lock *fl, struct rnfs_replica *r,
		   bool *conflict)
{
	struct lock_req *lr;
	int ret;

	lr = rnfs_req_alloc(sizeof(*lr), lockreq_run, lockreq_release);
	if (!lr)
		return -ENOMEM;
	lr->cmd = cmd;
	lower_lock(&lr->fl, fl);
	ret = rnfs_req_exec_file(&lr->req, file, r);
	if (!ret) {
		*conflict = lr->conflict;
		if (cmd == F_GETLK) {
			rnfs_fl(fl, type) = rnfs_fl(&lr->fl, type);
			fl->fl_start = lr->fl.fl_start;
			fl->fl_end = lr->fl.fl_end;
			rnfs_fl(fl, pid) = rnfs_fl(&lr->fl, pid);
		}
	}
	rnfs_req_put(&lr->req);
	return ret;
}

/*
 * On replica @r (-RNFS_ERETRY if it fails), or on the active replica
 * (NULL) and then the next as replicas fail.
 */
static int lock_once(struct file *file, unsigned int cmd,
		     struct file_lock *fl, struct rnfs_replica *r,
		     bool *conflict)
{
	struct rnfs_attempt a;

	if (r)
		return lock_on(file, cmd, fl, r, conflict);
	rnfs_for_each_attempt(&a, RNFS_FS(file_inode(file)->i_sb), 0)
		a.ret = lock_on(file, cmd, fl, a.r, conflict);
	return a.ret;
}

/*
 * Record a granted lock or unlock on the upper inode; never waits.
 * @failovers: fs->failovers before the lock was asked for, so that a
 * failover since then makes relock_work take it again.
 */
static int record(struct file *file, struct file_lock *fl,
		  unsigned long failovers)
{
	struct rnfs_fs *fs = RNFS_FS(file_inode(file)->i_sb);
	struct rnfs_file *rf = file->private_data;
	int ret;

	rnfs_fl(fl, flags) &= ~FL_SLEEP;
	if (rnfs_fl(fl, flags) & FL_FLOCK)
		ret = locks_lock_file_wait(file, fl);
	else
		ret = posix_lock_file(file, fl, NULL);
	if (!ret && rnfs_fl(fl, type) != F_UNLCK && list_empty(&rf->locked)) {
		WRITE_ONCE(rf->relocked, failovers);
		list_add_tail(&rf->locked, &fs->locked_files);
	}
	return ret;
}

/*
 * An unlock is recorded whatever the server says: close() and exit() must
 * not leave a lock on the upper inode (a killed process cannot even wait
 * for the server).  One the server missed goes with the lower file's last
 * close (release_posix_locks() in lowerfile.c).
 */
static int set_unlock(struct file *file, struct file_lock *fl)
{
	struct rnfs_fs *fs = RNFS_FS(file_inode(file)->i_sb);
	bool conflict;
	int ret;

	mutex_lock(&fs->locks_lock);
	ret = lock_once(file, F_SETLK, fl, NULL, &conflict);
	if (ret)
		pr_debug("%pD: the server missed an unlock (%d)\n", file, ret);
	ret = record(file, fl, 0);
	mutex_unlock(&fs->locks_lock);
	return ret;
}

static int set_lock(struct file *file, struct file_lock *fl, bool wait)
{
	struct rnfs_fs *fs = RNFS_FS(file_inode(file)->i_sb);
	unsigned long delay = RNFS_LOCK_POLL_MIN, failovers;
	bool conflict;
	int ret;

	if (rnfs_fl(fl, type) == F_UNLCK)
		return set_unlock(file, fl);
	for (;;) {
		if (mutex_lock_killable(&fs->locks_lock))
			return -EINTR;
		conflict = false;
		failovers = READ_ONCE(fs->failovers);
		ret = lock_once(file, F_SETLK, fl, NULL, &conflict);
		if (!ret && !conflict)
			ret = record(file, fl, failovers);
		mutex_unlock(&fs->locks_lock);
		if (ret || !conflict)
			return ret;
		if (!wait)
			return -EAGAIN;
		if (schedule_timeout_interruptible(delay) ||
		    signal_pending(current))
			return -ERESTARTSYS;
		delay = min_t(unsigned long, delay * 2, RNFS_LOCK_POLL_MAX);
	}
}

int rnfs_lock(struct file *file, int cmd, struct file_lock *fl)
{
	bool conflict;

	if (IS_GETLK(cmd))
		return lock_once(file, F_GETLK, fl, NULL, &conflict);
	return set_lock(file, fl, IS_SETLKW(cmd));
}

/* flock locks: the NFS client emulates them with whole-file POSIX locks. */
int rnfs_flock(struct file *file, int cmd, struct file_lock *fl)
{
	if (!(rnfs_fl(fl, flags) & FL_FLOCK))
		return -ENOLCK;
	return set_lock(file, fl, IS_SETLKW(cmd));
}

/* @file's recorded locks, copied; *@nr of them.  Under fs->locks_lock. */
static struct file_lock *locks_of(struct file *file, unsigned int *nr)
{
	struct file_lock_context *ctx = locks_inode_context(file_inode(file));
	struct file_lock *fl, *copy;
	unsigned int n = 0, max = 0;

	if (!ctx)
		return NULL;
	spin_lock(&ctx->flc_lock);
	for_each_file_lock(fl, &ctx->flc_posix)
		max += rnfs_fl(fl, file) == file;
	for_each_file_lock(fl, &ctx->flc_flock)
		max += rnfs_fl(fl, file) == file;
	spin_unlock(&ctx->flc_lock);
	if (!max)
		return NULL;
	copy = kcalloc(max, sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return ERR_PTR(-ENOMEM);
	/* Only lock calls, which we hold off, change the lists. */
	spin_lock(&ctx->flc_lock);
	for_each_file_lock(fl, &ctx->flc_posix)
		if (rnfs_fl(fl, file) == file && n < max)
			lower_lock(&copy[n++], fl);
	for_each_file_lock(fl, &ctx->flc_flock)
		if (rnfs_fl(fl, file) == file && n < max)
			lower_lock(&copy[n++], fl);
	spin_unlock(&ctx->flc_lock);
	*nr = n;
	return copy;
}

/*
 * Take @rf's locks again on @r.  0: all held there; 1: it holds none any
 * more; -EAGAIN: one is refused for now; other errors: lost.  Under
 * fs->locks_lock, under which every lock and unlock is recorded.
 */
static int relock_file(struct rnfs_file *rf, struct rnfs_replica *r)
{
	struct file_lock *locks;
	unsigned int nr = 0, i;
	bool conflict;
	int ret = 0;

	locks = locks_of(rf->file, &nr);
	if (IS_ERR(locks))
		return PTR_ERR(locks);
	if (!nr)
		ret = 1;
	for (i = 0; i < nr && !ret; i++) {
		conflict = false;
		ret = lock_once(rf->file, F_SETLK, &locks[i], r, &conflict);
		/* Refused, or @r failed meanwhile: try again later. */
		if ((!ret && conflict) || ret == -RNFS_ERETRY)
			ret = -EAGAIN;
	}
	for (i = 0; i < nr; i++)
		locks_release_private(&locks[i]);
	kfree(locks);
	return ret;
}

static void lock_lost(struct rnfs_fs *fs, struct rnfs_file *rf,
		      struct rnfs_replica *r, int error)
{
	char why[RNFS_REASON_LEN];

	WRITE_ONCE(rf->dead, true);
	list_del_init(&rf->locked);
	if (error == -EAGAIN)
		snprintf(why, sizeof(why), "%pD: lock not regained: held by another",
			 rf->file);
	else
		snprintf(why, sizeof(why), "%pD: lock not regained: error %d",
			 rf->file, error);
	pr_warn("%s: %s on %s: the file gives EIO until closed\n",
		rnfs_fs_label(fs), why, r->host);
	rnfs_event(fs, RNFS_EVENT_LOCK_LOST, NULL, r, why);
}

/* How long the old server may keep locks it can no longer renew. */
static unsigned long relock_window(struct rnfs_replica *r)
{
	return 2 * rnfs_lower_lease(r->mnt) +
	       rnfs_deadline(r->fs);
}

static void relock_work(struct work_struct *work)
{
	struct rnfs_fs *fs = container_of(to_delayed_work(work),
					  struct rnfs_fs, relock_work);
	unsigned long failovers = READ_ONCE(fs->failovers);
	struct rnfs_replica *r = READ_ONCE(fs->active);
	struct rnfs_file *rf, *next;
	bool again = false;
	int ret;

	/* Pairs with the release in probe_run(): the mount is set up. */
	if (!r || !smp_load_acquire(&r->mnt))
		return;		/* the tick starts us again once one is up */
	mutex_lock(&fs->locks_lock);
	if (fs->relock_failovers != failovers) {
		fs->relock_failovers = failovers;
		fs->relock_since = jiffies;
	}
	list_for_each_entry_safe(rf, next, &fs->locked_files, locked) {
		if (rf->relocked == failovers || READ_ONCE(rf->dead))
			continue;
		ret = relock_file(rf, r);
		if (ret > 0) {		/* all unlocked: a new lock adds it */
			list_del_init(&rf->locked);
		} else if (!ret) {
			WRITE_ONCE(rf->relocked, failovers);
		} else if (ret == -EAGAIN && !READ_ONCE(fs->stopping) &&
			   time_before(jiffies, fs->relock_since +
				       relock_window(r))) {
			again = true;
		} else {
			lock_lost(fs, rf, r, ret);
		}
	}
	mutex_unlock(&fs->locks_lock);
	wake_up_all(&fs->relock_wait);
	/* Soon: the old server lets go at a moment we cannot know. */
	if (again)
		queue_delayed_work(rnfs_wq, &fs->relock_work, RNFS_RELOCK_POLL);
}

/* From the tick: after a failover, take the locks again on the new replica. */
void rnfs_locks_check(struct rnfs_fs *fs)
{
	if (READ_ONCE(fs->relock_failovers) != READ_ONCE(fs->failovers) &&
	    !list_empty(&fs->locked_files))
		queue_delayed_work(rnfs_wq, &fs->relock_work, 0);
}

void rnfs_locks_init(struct rnfs_fs *fs)
{
	mutex_init(&fs->locks_lock);
	INIT_LIST_HEAD(&fs->locked_files);
	INIT_DELAYED_WORK(&fs->relock_work, relock_work);
	init_waitqueue_head(&fs->relock_wait);
}

static bool relock_settled(struct rnfs_fs *fs, struct rnfs_file *rf)
{
	return READ_ONCE(rf->dead) || list_empty_careful(&rf->locked) ||
	       READ_ONCE(rf->relocked) == READ_ONCE(fs->failovers);
}

/*
 * Before a read or write through @rf after a failover: wait until its
 * locks are held on the new replica.  -EIO if they are lost, or if
 * umount -f gives up on the mount's waiters; with no replica up, a soft
 * mount fails at once, as its requests do.
 */
int rnfs_locks_wait(struct rnfs_file *rf)
{
	struct rnfs_fs *fs = RNFS_FS(file_inode(rf->file)->i_sb);
	unsigned int aborts = READ_ONCE(fs->aborts);
	int ret;

	if (relock_settled(fs, rf))
		return READ_ONCE(rf->dead) ? -EIO : 0;
	if (READ_ONCE(fs->soft) && !READ_ONCE(fs->active))
		return -ETIMEDOUT;
	rnfs_locks_check(fs);
	ret = wait_event_killable(fs->relock_wait,
				  relock_settled(fs, rf) ||
				  READ_ONCE(fs->aborts) != aborts);
	if (ret)
		return ret;
	if (READ_ONCE(rf->dead) || !relock_settled(fs, rf))
		return -EIO;
	return 0;
}

/* The superblock goes: no file is open, so no lock is left to take. */
void rnfs_locks_stop(struct rnfs_fs *fs)
{
	cancel_delayed_work_sync(&fs->relock_work);
}

/* @rf's file is closing: close() released its locks already. */
void rnfs_locks_forget(struct rnfs_file *rf)
{
	struct rnfs_fs *fs = RNFS_FS(file_inode(rf->file)->i_sb);

	if (list_empty(&rf->locked))
		return;
	mutex_lock(&fs->locks_lock);
	list_del_init(&rf->locked);
	mutex_unlock(&fs->locks_lock);
}
