// SPDX-License-Identifier: GPL-2.0
/*
 * The request engine (DESIGN.md, invariant 1).
 *
 * The lower NFS client cannot be trusted to time out: a hard mount waits
 * for a dead server forever, and even a soft one blocks NFSv4 opens and
 * reads for as long as lease recovery takes.  So every call into a lower
 * mount runs as a request on a worker (a thread of its replica's,
 * workers.c), and the caller waits for it, killably, until the replica
 * has been silent for the failover deadline.  Then the replica is
 * declared down, the caller abandons the request and retries on the next
 * replica; the worker is left stuck until the reaper (replica.c) kills
 * its RPCs, and the worker itself if need be.
 *
 * A request owns everything its worker touches (lower references, its own
 * buffers), so abandoning it is just dropping the caller's reference: the
 * worker's reference frees it whenever the lower call finally returns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs_struct.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "rnfs.h"

/* @req, zeroed, of a container allocated elsewhere (a mempool's). */
void rnfs_req_init(struct rnfs_req *req, rnfs_req_fn run,
		   void (*release)(struct rnfs_req *req))
{
	kref_init(&req->ref);
	init_completion(&req->done);
	req->run = run;
	req->release = release;
}

void *rnfs_req_alloc(size_t size, rnfs_req_fn run,
		     void (*release)(struct rnfs_req *req))
{
	struct rnfs_req *req = kzalloc(size, GFP_KERNEL);

	if (req)
		rnfs_req_init(req, run, release);
	return req;
}

static void req_free(struct kref *ref)
{
	struct rnfs_req *req = container_of(ref, struct rnfs_req, ref);
	struct rnfs_replica *r = req->replica;
	struct rnfs_fs *fs = req->fs;

	if (req->cred)
		put_cred(req->cred);
	/*
	 * Letting go of what the request holds may send a close (an
	 * abandoned open's file): counted in flight until it is, so that
	 * the reaper of an unmounted mount does not stop before it.
	 */
	if (r)
		atomic_inc(&r->inflight);
	if (req->lfile)		/* never ran */
		rnfs_lfile_put(req->lfile);
	req->release(req);
	if (r)
		atomic_dec(&r->inflight);
	if (fs)
		rnfs_fs_put(fs);
}

void rnfs_req_put(struct rnfs_req *req)
{
	kref_put(&req->ref, req_free);
}

/*
 * The NFS client applies the umask of the task that creates a file (or
 * sends it to the server, which applies it unless the directory has a
 * default ACL), so a worker creating for a caller takes the caller's
 * umask for the time of the call.  A worker thread starts with init's
 * fs_struct; it first gets one of its own, as nfsd threads do.
 */
static int worker_umask(umode_t umask, umode_t *old)
{
	struct fs_struct *fs = current->fs;
	bool shared;
	int ret;

	spin_lock(&fs->lock);
	shared = fs->users > 1;
	spin_unlock(&fs->lock);
	if (shared) {
		ret = unshare_fs_struct();
		if (ret)
			return ret;
	}
	*old = current->fs->umask;
	current->fs->umask = umask;
	return 0;
}

static int req_call(struct rnfs_req *req)
{
	const struct cred *old;
	umode_t old_umask;
	int error;

	if (req->with_umask) {
		error = worker_umask(req->umask, &old_umask);
		if (error)
			return error;
	}
	old = override_creds(req->cred);
	error = req->run(req);
	revert_creds(old);
	if (req->with_umask)
		current->fs->umask = old_umask;
	return error;
}

/* In a worker thread of the request's replica (workers.c). */
void rnfs_req_run(struct rnfs_req *req)
{
	struct rnfs_replica *r = req->replica;
	int error;

	/* Declared down while queued: do not touch the dead server. */
	if (READ_ONCE(r->gen) != req->gen && !req->always_run) {
		error = -RNFS_ERETRY;
	} else {
		error = req_call(req);
		/* Only the engine says "retry elsewhere" (never a lower call). */
		if (error == -RNFS_ERETRY)
			error = -EIO;
	}
	req->error = error;
	if (req->lfile) {
		rnfs_lfile_put(req->lfile);
		req->lfile = NULL;
		req->file = NULL;
	}
	atomic_dec(&r->inflight);
	if (req->finish)
		req->finish(req);
	complete(&req->done);
	rnfs_req_put(req);
}

/* Queue @req on replica @r, to run with @cred; the caller keeps its ref. */
void rnfs_req_submit(struct rnfs_req *req, struct rnfs_replica *r,
		     const struct cred *cred)
{
	struct rnfs_fs *fs = r->fs;

	rnfs_fs_get(fs);
	req->fs = fs;
	req->replica = r;
	req->gen = READ_ONCE(r->gen);
	req->cred = get_cred(cred);
	req->submitted = jiffies;
	kref_get(&req->ref);		/* the worker's */
	atomic_inc(&r->inflight);
	rnfs_workers_queue(&r->workers, req);
}

/* The result of a finished request, as the caller may see it. */
static int req_result(struct rnfs_req *req)
{
	int error = req->error;

	/*
	 * A replica declared down after this request was sent: its answer is
	 * discarded unless it is a success, and failures (often RPCs killed
	 * by the reaper) mean "try the next replica".
	 */
	if (error && READ_ONCE(req->replica->gen) != req->gen)
		return -RNFS_ERETRY;
	/* Restart codes are only for tasks with a signal pending. */
	if (error == -ERESTARTSYS || error == -ERESTARTNOINTR ||
	    error == -ERESTARTNOHAND || error == -ERESTART_RESTARTBLOCK)
		return -EIO;
	return error;
}

/*
 * Wait for @req, submitted to its replica.  -RNFS_ERETRY: the replica failed
 * meanwhile (see rnfs_req_exec_on()).  The deadline runs from the later of
 * the submission and the server's last reply to anything, so a replica
 * that is slow but answering is never declared down.  Once the replica
 * has been declared down, by this request or any other, the wait ends at
 * the next look: a request sent shortly before that would otherwise wait
 * out a deadline of its own, up to twice the deadline in all.
 */
int rnfs_req_wait(struct rnfs_req *req)
{
	struct rnfs_replica *r = req->replica;
	unsigned long last, deadline;
	long left;

	for (;;) {
		if (READ_ONCE(r->gen) != req->gen) {
			if (completion_done(&req->done))
				return req_result(req);
			return -RNFS_ERETRY;
		}
		last = rnfs_replica_heard(r);
		if (time_before(last, req->submitted))
			last = req->submitted;
		deadline = last + rnfs_deadline(r->fs);
		left = (long)(deadline - jiffies);
		if (left <= 0) {
			if (completion_done(&req->done))
				return req_result(req);
			rnfs_replica_failed(r, req->gen, "no reply");
			return -RNFS_ERETRY;
		}
		/* Look at the transport often: replies move the deadline. */
		left = min_t(long, left, rnfs_hear_slice(r->fs));
		left = wait_for_completion_killable_timeout(&req->done, left);
		if (left > 0)
			return req_result(req);
		if (left < 0)
			return -EINTR;
	}
}

/*
 * Run @req on replica @r (normally the active one) and wait for it.
 * Returns its result, or -RNFS_ERETRY when @r failed meanwhile: the caller
 * builds a new request and tries again, since the old one may still be
 * running.  -EINTR on a fatal signal.
 */
int rnfs_req_exec_on(struct rnfs_req *req, struct rnfs_replica *r)
{
	rnfs_req_submit(req, r, current_cred());
	return rnfs_req_wait(req);
}
