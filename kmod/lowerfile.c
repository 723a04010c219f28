// SPDX-License-Identifier: GPL-2.0
/*
 * Lower files: an upper file's object opened on a replica, for aops.c
 * and write.c to read and write with direct I/O, and closed again.
 *
 * An upper file keeps, per replica, a lower file opened on demand with
 * the opener's credentials; writeback opens its own by filehandle
 * (rnfs_lower_open_inode()).  Closing a lower file may wait for a dead
 * server (NFSv4 CLOSE), so lower files are always closed by a request,
 * never by the application.
 *
 * A lower file has several holders at once: the upper file (rf->lower[]),
 * writeback (ri->wb_lower[]), the requests using it, and for a moment
 * after the last close the inode (idle.c).  rnfs holds one reference to
 * the struct file and counts its own holders in a struct rnfs_lfile; the
 * last to let go sends the close, a request of the replica made before
 * the file was opened, so that letting go needs no memory and, but for
 * rnfs_lfile_put_wait(), never waits for the server.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/slab.h>

#include "rnfs.h"

struct rnfs_lfile {
	struct rnfs_req close;		/* sent by the last holder */
	struct file *file;		/* rnfs's one reference */
	struct rnfs_replica *r;
	refcount_t users;		/* holders */
	struct list_head node;		/* on r->closes, while deferred */
};

static int close_run(struct rnfs_req *req);
static void close_release(struct rnfs_req *req);

/*
 * A lower file of replica @r to be, with one holder: allocated before the
 * open is sent, so that a file the server opened (or created) is never
 * lost for want of memory.  Let go of unopened, it is just freed.
 */
struct rnfs_lfile *rnfs_lfile_alloc(struct rnfs_replica *r)
{
	struct rnfs_lfile *lf;

	/* rnfs_req_alloc() allocates the container of its request. */
	BUILD_BUG_ON(offsetof(struct rnfs_lfile, close));
	lf = rnfs_req_alloc(sizeof(*lf), close_run, close_release);
	if (!lf)
		return NULL;
	lf->r = r;
	refcount_set(&lf->users, 1);
	lf->close.always_run = true;
	return lf;
}

/* The worker that opened @file on @lf's replica gives it to @lf. */
void rnfs_lfile_set(struct rnfs_lfile *lf, struct file *file)
{
	lf->file = file;
}

struct file *rnfs_lfile_file(const struct rnfs_lfile *lf)
{
	return lf->file;
}

struct rnfs_lfile *rnfs_lfile_get(struct rnfs_lfile *lf)
{
	refcount_inc(&lf->users);
	return lf;
}

/* @req uses @lf (a holder's reference, which it takes over). */
void rnfs_req_set_lfile(struct rnfs_req *req, struct rnfs_lfile *lf)
{
	req->lfile = lf;
	req->file = lf->file;
}

static int obj_open(struct rnfs_obj_req *o)
{
	struct file *f = rnfs_do_open(&o->lower, o->d.open.flags);

	if (IS_ERR(f))
		return PTR_ERR(f);
	rnfs_lfile_set(o->d.open.lf, f);
	return 0;
}

static void open_cleanup(struct rnfs_obj_req *o)
{
	if (o->d.open.lf)
		rnfs_lfile_put(o->d.open.lf);
}

/* An open request for replica @r, with the lower file it fills in. */
static struct rnfs_obj_req *open_alloc(struct rnfs_replica *r, int flags)
{
	struct rnfs_obj_req *o = rnfs_obj_alloc(obj_open, open_cleanup);

	if (!o)
		return NULL;
	o->d.open.flags = flags;
	o->d.open.lf = rnfs_lfile_alloc(r);
	if (!o->d.open.lf) {
		rnfs_req_put(&o->req);
		return NULL;
	}
	return o;
}

/*
 * Reads and writes are direct (see rnfs_do_read()), whatever the upper
 * file's flags.  A file open for writing also reads, to fill the pages a
 * write covers in part: read-write below, unless the user may only write.
 * It is opened O_DIRECT, for which the NFS client asks the server for no
 * delegation: a read delegation is of no use to a writer, and would cost
 * a DELEGRETURN when the file is removed, and, once its server is cut
 * off, hold back other replicas' writers for a lease time.
 */
static int lower_flags(umode_t mode, fmode_t fmode, bool write_only)
{
	if (S_ISDIR(mode))
		return O_RDONLY | O_DIRECTORY | O_LARGEFILE;
	if (!(fmode & FMODE_WRITE))
		return O_RDONLY | O_LARGEFILE;
	return (write_only ? O_WRONLY : O_RDWR) | O_DIRECT | O_LARGEFILE;
}

/* The same for a regular file @file is about to create (atomic_open). */
int rnfs_lower_create_flags(struct file *file)
{
	return lower_flags(S_IFREG, file->f_mode, false);
}

/*
 * Lower files kept idle are read-only, and so only reused for reading;
 * never those of a removed file, whose last close removes it for real.
 * A file removed while open keeps a link on the server (the NFS client
 * renamed it .nfsXXXX) and so its link count: its upper dentry, dropped
 * by the unlink, tells.
 */
bool rnfs_lower_may_idle(struct file *file)
{
	struct inode *inode = file_inode(file);

	return S_ISREG(inode->i_mode) && inode->i_nlink &&
	       !d_unhashed(file->f_path.dentry) &&
	       !(file->f_mode & FMODE_WRITE);
}

/* What open request @o, finished with @ret, opened; puts @o. */
static struct rnfs_lfile *open_result(struct rnfs_obj_req *o, int ret)
{
	struct rnfs_lfile *lower = ERR_PTR(ret);

	if (!ret) {
		lower = o->d.open.lf;
		o->d.open.lf = NULL;
	}
	rnfs_req_put(&o->req);
	return lower;
}

/* Open @file's object on replica @r, with @file's credentials. */
static struct rnfs_lfile *lower_open(struct file *file, struct rnfs_replica *r,
				     bool write_only)
{
	struct rnfs_obj_req *o;
	const struct cred *old;
	int ret;

	o = open_alloc(r, lower_flags(file_inode(file)->i_mode, file->f_mode,
				      write_only));
	if (!o)
		return ERR_PTR(-ENOMEM);
	old = override_creds(file->f_cred);
	ret = rnfs_obj_exec_on(o, file->f_path.dentry, r);
	revert_creds(old);
	return open_result(o, ret);
}

/*
 * A lower file of @inode on replica @r, opened by filehandle with @cred
 * and @flags: for writeback to write with (write.c), write-only, so that
 * the user needs no read permission, and direct (no delegation: see
 * lower_flags()); for fence.c to read back what a replica has.
 */
struct rnfs_lfile *rnfs_lower_open_inode(struct inode *inode,
					 struct rnfs_replica *r,
					 const struct cred *cred, int flags)
{
	struct rnfs_obj_req *o;
	const struct cred *old;
	int ret;

	o = open_alloc(r, flags);
	if (!o)
		return ERR_PTR(-ENOMEM);
	old = override_creds(cred);
	ret = rnfs_obj_exec_inode(o, inode, r);
	revert_creds(old);
	return open_result(o, ret);
}

/*
 * @file has moved to replica @r: let go of its lower files on replicas
 * declared down, so that their NFSv4 state (open, locks) is not kept for
 * the rest of the file's life once such a server is back.  Under rf->lock.
 */
static void drop_failed(struct file *file, struct rnfs_replica *r)
{
	struct rnfs_fs *fs = RNFS_FS(file_inode(file)->i_sb);
	struct rnfs_file *rf = file->private_data;
	unsigned int i;

	for (i = 0; i < fs->nr; i++) {
		if (i == r->index || !rf->lower[i] ||
		    READ_ONCE(fs->replica[i]->state) == RNFS_REPLICA_UP)
			continue;
		rnfs_lfile_put(rf->lower[i]);
		rf->lower[i] = NULL;
	}
}

/*
 * @file's lower file on replica @r, opened now if it was not yet.
 * Returns a new reference, or -RNFS_ERETRY when @r failed meanwhile.
 */
struct rnfs_lfile *rnfs_lower_file(struct file *file, struct rnfs_replica *r)
{
	struct rnfs_file *rf = file->private_data;
	struct rnfs_lfile *lower;

	if (mutex_lock_killable(&rf->lock))
		return ERR_PTR(-EINTR);
	lower = rf->lower[r->index];
	if (!lower && rnfs_lower_may_idle(file)) {
		lower = rnfs_idle_take(file_inode(file), r, file->f_cred);
		rf->lower[r->index] = lower;
	}
	if (!lower) {
		lower = lower_open(file, r, false);
		if (lower == ERR_PTR(-EACCES) && !(file->f_mode & FMODE_READ) &&
		    (file->f_mode & FMODE_WRITE))
			lower = lower_open(file, r, true);
		if (IS_ERR(lower))
			goto out;
		rf->lower[r->index] = lower;
		drop_failed(file, r);
		if (file->f_mode & FMODE_WRITE)
			rnfs_wb_share(file_inode(file), r, lower);
	}
	rnfs_lfile_get(lower);
out:
	mutex_unlock(&rf->lock);
	return lower;
}

/* Run @req on @r with @file's lower file there.  -RNFS_ERETRY: @r failed. */
int rnfs_req_exec_file(struct rnfs_req *req, struct file *file,
		       struct rnfs_replica *r)
{
	struct rnfs_lfile *lf = rnfs_lower_file(file, r);

	if (IS_ERR(lf))
		return PTR_ERR(lf);
	rnfs_req_set_lfile(req, lf);
	return rnfs_req_exec_on(req, r);
}

/*
 * POSIX locks an upper file took through @lower belong to the process,
 * not to @lower, and are normally released through the upper file before
 * this; those left (taken on a replica since failed over from) go now, so
 * that the lower inode keeps no lock of a file that is gone.
 */
static void release_posix_locks(struct file *lower)
{
	struct file_lock_context *ctx = locks_inode_context(file_inode(lower));
	struct file_lock *fl;
	fl_owner_t owner;

	while (ctx) {
		owner = NULL;
		spin_lock(&ctx->flc_lock);
		for_each_file_lock(fl, &ctx->flc_posix) {
			if (rnfs_fl(fl, file) == lower) {
				owner = rnfs_fl(fl, owner);
				break;
			}
		}
		spin_unlock(&ctx->flc_lock);
		if (!owner)
			break;
		locks_remove_posix(lower, owner);
	}
}

/* Does the lower inode of @lower have POSIX locks?  A racy look. */
static bool has_posix_locks(struct file *lower)
{
	struct file_lock_context *ctx = locks_inode_context(file_inode(lower));

	return ctx && !list_empty_careful(&ctx->flc_posix);
}

/* The last holder let go: nothing else can reach the file. */
static int close_run(struct rnfs_req *req)
{
	struct rnfs_lfile *lf = container_of(req, struct rnfs_lfile, close);

	release_posix_locks(lf->file);
	__fput_sync(lf->file);		/* blocks this worker only */
	lf->file = NULL;
	return 0;
}

static void close_release(struct rnfs_req *req)
{
	struct rnfs_lfile *lf = container_of(req, struct rnfs_lfile, close);

	/* Closed by close_run(), which always runs, or never opened. */
	if (WARN_ON_ONCE(lf->file))
		fput(lf->file);
	kfree(lf);
}

/*
 * A replica that is down keeps the lower files let go of meanwhile open
 * until it answers again (rnfs_closes_flush()).  A CLOSE or LOCKU sent
 * now would be killed by the reaper, and the NFS client forgets an open
 * or a lock whose call failed: the server, once back, would keep the
 * file open, and its locks held, for as long as this client lives, and
 * a removed file's space on the backing filesystem with it.  Files with
 * locks wait too: their locks (taken over by another replica) go with
 * the close, once the server can hear it (release_posix_locks(); flock
 * locks go with the lower file itself).
 */
static bool close_defer(struct rnfs_lfile *lf)
{
	struct rnfs_replica *r = lf->r;
	struct rnfs_fs *fs = r->fs;
	bool defer;

	spin_lock(&fs->lock);
	defer = r->state != RNFS_REPLICA_UP && !fs->stopping;
	if (defer)
		list_add_tail(&lf->node, &r->closes);
	spin_unlock(&fs->lock);
	return defer;
}

static void close_submit(struct rnfs_lfile *lf)
{
	rnfs_req_submit(&lf->close, lf->r, lf->file->f_cred);
	rnfs_req_put(&lf->close);
}

/*
 * Close the lower files of @r that waited for it to answer: it is up
 * again, or the mount is going (the reaper frees what a dead server
 * holds).
 */
void rnfs_closes_flush(struct rnfs_replica *r)
{
	struct rnfs_lfile *lf, *next;
	LIST_HEAD(closes);

	spin_lock(&r->fs->lock);
	list_splice_init(&r->closes, &closes);
	spin_unlock(&r->fs->lock);
	list_for_each_entry_safe(lf, next, &closes, node) {
		list_del(&lf->node);
		close_submit(lf);
	}
}

/*
 * A holder lets go of @lf, without ever waiting for its server: the
 * last one sends an NFSv4 CLOSE.  It is a request of the file's replica,
 * so that the reaper frees it if the replica is dead, and so that the
 * mount and the module stay until it is done.
 */
void rnfs_lfile_put(struct rnfs_lfile *lf)
{
	if (!refcount_dec_and_test(&lf->users))
		return;
	if (!lf->file)			/* never opened */
		rnfs_req_put(&lf->close);
	else if (!close_defer(lf))
		close_submit(lf);
}

static int unlock_run(struct rnfs_req *req)
{
	release_posix_locks(req->file);
	return 0;
}

static void unlock_release(struct rnfs_req *req)
{
	kfree(req);
}

/*
 * The same, waiting for the close while the server answers: the NFS
 * client renames a file aside (.nfsXXXX) when it is removed while open,
 * so a file closed just before its unlink or rmdir of its directory must
 * be closed for real by then, as with plain NFS.  A replica not up is not
 * waited for.
 */
void rnfs_lfile_put_wait(struct rnfs_lfile *lf)
{
	struct rnfs_replica *r = lf->r;
	struct rnfs_req *u;

	if (READ_ONCE(r->state) != RNFS_REPLICA_UP) {
		rnfs_lfile_put(lf);
		return;
	}
	/*
	 * Others may hold @lf on (writeback shares writers' files); the
	 * POSIX locks taken through it go now all the same: an upper file
	 * that goes takes its locks along.  Without memory, they go with
	 * the last close.
	 */
	if (refcount_read(&lf->users) > 1 && has_posix_locks(lf->file)) {
		u = rnfs_req_alloc(sizeof(*u), unlock_run, unlock_release);
		if (u) {
			rnfs_req_set_lfile(u, rnfs_lfile_get(lf));
			u->always_run = true;
			rnfs_req_submit(u, r, lf->file->f_cred);
			rnfs_req_wait(u);
			rnfs_req_put(u);
		}
	}
	if (refcount_dec_not_one(&lf->users))
		return;
	/*
	 * The last holder: @lf is reached only through a holder's
	 * reference, so no one can take one now.  The replica may have
	 * failed since it was looked at.
	 */
	refcount_set(&lf->users, 0);
	if (close_defer(lf))
		return;
	kref_get(&lf->close.ref);
	close_submit(lf);
	rnfs_req_wait(&lf->close);	/* failed replicas are the reaper's */
	rnfs_req_put(&lf->close);
}

/*
 * Let go of @files, one lower file (or NULL) per replica of @fs, waiting
 * for the closes (rnfs_lfile_put_wait()) or not.
 */
void rnfs_lfile_put_all(struct rnfs_fs *fs, struct rnfs_lfile **files,
			bool wait)
{
	unsigned int i;

	for (i = 0; i < fs->nr; i++) {
		if (!files[i])
			continue;
		if (wait)
			rnfs_lfile_put_wait(files[i]);
		else
			rnfs_lfile_put(files[i]);
	}
}
