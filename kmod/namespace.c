// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace operations: create, mkdir, mknod, symlink, link, unlink, rmdir
 * and rename.  Each one is an object request on the parent directory's
 * lower dentry, run on the active replica like every other lower call.
 *
 * "Already done" (DESIGN.md, invariant 4).  When a replica fails while a
 * request is out, the server may have carried the operation out before it
 * died, and the backing filesystem, which the next replica serves too,
 * then already shows it.  The retry looks at the name first and takes
 * what it finds for the work of the first attempt when it is what that
 * attempt would have left:
 *
 *   create, mkdir, mknod, symlink   the name exists, with the right type
 *                                   (an O_EXCL create: also with the
 *                                   verifier of an earlier attempt, see
 *                                   excl_verified())
 *   link                            the name is the object we linked
 *   unlink, rmdir                   the name is gone, or names another
 *                                   object (ours went, someone made a new)
 *   rename                          the source name is gone and the
 *                                   target is the object we renamed
 *
 * Without a failover, the same states get the usual errors.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/namei.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>

#include "rnfs.h"

enum ns_op {
	NS_CREATE,
	NS_MKDIR,
	NS_MKNOD,
	NS_SYMLINK,
	NS_LINK,
	NS_UNLINK,
	NS_RMDIR,
	NS_RENAME,
};

static const char *const op_name[] = {
	[NS_CREATE]	= "create",
	[NS_MKDIR]	= "mkdir",
	[NS_MKNOD]	= "mknod",
	[NS_SYMLINK]	= "symlink",
	[NS_LINK]	= "link",
	[NS_UNLINK]	= "unlink",
	[NS_RMDIR]	= "rmdir",
	[NS_RENAME]	= "rename",
};

#define RNFS_NS_EXCL_TRIES	8

/* One attempt's inputs and results; the request owns it. */
struct rnfs_ns {
	enum ns_op op;
	bool retry;		/* an earlier attempt may have done it */
	bool done_before;	/* result: it had (see the top of the file) */
	bool excl;		/* create: O_EXCL */
	bool write_only_ok;	/* atomic open: O_WRONLY if O_RDWR is denied */
	bool created;		/* atomic open: result, the file is new */
	int open_flags;		/* atomic open: the lower file's */
	struct rnfs_lfile *lf;	/* atomic open: the file, once opened */
	umode_t mode;		/* with the type bits */
	dev_t rdev;
	unsigned int flags;	/* rename */
	char *name;		/* in the request's directory */
	char *name2;		/* rename: the new name, in find2's */
	char *target;		/* symlink */
	u64 fileid;		/* link, unlink, rmdir, rename: the object */
	time64_t since;		/* when the first attempt was sent */
	/*
	 * O_EXCL: the exclusive-create verifiers earlier attempts may have
	 * left on the file (excl_verified()); the worker notes its own.
	 */
	unsigned int nr_excl;
	struct excl_try {
		pid_t pid;
		unsigned long from, until;	/* jiffies */
	} excl_tries[RNFS_NS_EXCL_TRIES];
	struct rnfs_fh excl_made;	/* the file an earlier attempt made */
	bool excl_sent;		/* result: this attempt's OPEN may be out */
	pid_t excl_pid;
	unsigned long excl_from;
	struct rnfs_find find2;	/* link: the object; rename: the new parent */
	struct path lower2;
	struct dentry *child;	/* result: the name's lower dentry */
	struct rnfs_attr attr;	/* result: its attributes */
};

/* In the worker, with @dir's i_rwsem held. */
static struct dentry *lookup_locked(struct dentry *dir, const char *name)
{
	return lookup_one(&nop_mnt_idmap, name, dir, strlen(name));
}

/*
 * NFS may leave the dentry of a new object negative or unhashed (mkdir
 * does when the server sends no file handle): look the name up again.
 */
static struct dentry *settle(struct dentry *dir, struct dentry *child,
			     const char *name)
{
	struct dentry *d;

	if (!d_unhashed(child) && d_is_positive(child))
		return child;
	dput(child);
	d = lookup_locked(dir, name);
	if (!IS_ERR(d) && d_is_negative(d)) {
		dput(d);
		d = ERR_PTR(-ENOENT);
	}
	return d;
}

static int child_attr(struct rnfs_obj_req *o)
{
	struct rnfs_ns *ns = o->d.ns;
	struct path path = { .mnt = o->lower.mnt, .dentry = ns->child };

	return rnfs_do_getattr(&path, &ns->attr, AT_STATX_SYNC_AS_STAT);
}

/* A file as the first attempt of a create would have left it. */
static bool fresh_and_ours(const struct rnfs_ns *ns, struct inode *inode)
{
	return !i_size_read(inode) && uid_eq(inode->i_uid, current_fsuid()) &&
	       inode_get_ctime_sec(inode) + 1 >= ns->since;
}

/*
 * The worker is about to send an exclusive create: the NFS client's
 * verifier for it is the jiffies of the call and the sending task's pid
 * (nfs4_do_open()), which the server keeps in the new file's mtime
 * and atime seconds (nfsd4_create_file(), and RFC 8881, 18.16.3: the
 * verifier is what makes a retried exclusive create succeed, and only
 * for the client that sent it) until the client's next call, a SETATTR
 * of both times (_nfs4_do_open()).
 */
static void excl_note(struct rnfs_ns *ns)
{
	WRITE_ONCE(ns->excl_pid, current->pid);
	WRITE_ONCE(ns->excl_from, jiffies);
	/* Pairs with excl_keep(): the pid and time are there first. */
	smp_store_release(&ns->excl_sent, true);
}

/*
 * Do @inode's times hold the verifier of attempt @t, 31 bits each: the
 * jiffies between the attempt's start and its abandonment, and its
 * worker's pid?
 */
static bool excl_stamped(const struct excl_try *t, const struct inode *inode)
{
	const u32 mask = 0x7fffffff;
	/* The NFS client may update them meanwhile: that makes no match. */
	u32 jif = inode_get_mtime_sec(inode);

	return inode_get_atime_sec(inode) == (t->pid & mask) &&
	       ((jif - (u32)t->from) & mask) <=
	       ((u32)(t->until - t->from) & mask);
}

/*
 * Attempt @o was abandoned: keep the verifier it may have left on the
 * file.  Its OPEN may also have been answered and the SETATTR after it
 * carried out but not answered: the server's copy of the times then
 * holds no verifier any more, while the failed replica's NFS client has
 * the new file in its dcache with the times the OPEN returned.  Those
 * prove the file ours; keep its filehandle.
 */
static void excl_keep(struct rnfs_ns *in, const struct rnfs_obj_req *o)
{
	const struct rnfs_ns *tried = o->d.ns;
	struct excl_try t;
	struct dentry *made;

	/* Pairs with excl_note(); the worker set o->lower before. */
	if (!in->excl || !tried || !smp_load_acquire(&tried->excl_sent))
		return;
	t.pid = READ_ONCE(tried->excl_pid);
	t.from = READ_ONCE(tried->excl_from);
	t.until = jiffies;
	made = rnfs_lower_cached(o->lower.dentry, in->name);
	if (made) {
		if (excl_stamped(&t, d_inode(made)))
			rnfs_lower_fh(d_inode(made), &in->excl_made);
		dput(made);
	}
	if (in->nr_excl < RNFS_NS_EXCL_TRIES)
		in->excl_tries[in->nr_excl++] = t;
}

/*
 * Did an earlier attempt's exclusive create make @inode?  A file someone
 * else made never passes for ours, whatever the clocks say.
 */
static bool excl_verified(const struct rnfs_ns *ns, struct inode *inode)
{
	unsigned int i;

	if (ns->excl_made.len && rnfs_lower_is(inode, &ns->excl_made))
		return true;
	if (i_size_read(inode))
		return false;
	for (i = 0; i < ns->nr_excl; i++)
		if (excl_stamped(&ns->excl_tries[i], inode))
			return true;
	return false;
}

/* An existing @child: may the create-like operation take it as its own? */
static bool made_by_us(const struct rnfs_ns *ns, struct dentry *child)
{
	struct inode *inode = d_inode(child);

	if (inode_wrong_type(inode, ns->mode))
		return false;
	if (ns->op == NS_CREATE && !ns->excl)
		return true;		/* open(O_CREAT) of an existing file */
	if (!ns->retry)
		return false;
	if (ns->op != NS_CREATE)
		return true;
	/* An exclusive create must not take over a file someone else made. */
	return excl_verified(ns, inode);
}

static int make_child(struct rnfs_ns *ns, struct dentry *dir,
		      struct dentry *child)
{
	switch (ns->op) {
	case NS_CREATE:
		if (ns->excl)
			excl_note(ns);
		return rnfs_do_create(dir, child, ns->mode, ns->excl);
	case NS_MKDIR:
		return rnfs_do_mkdir(dir, child, ns->mode);
	case NS_MKNOD:
		return rnfs_do_mknod(dir, child, ns->mode, ns->rdev);
	case NS_SYMLINK:
		return rnfs_do_symlink(dir, child, ns->target);
	default:
		return -EINVAL;
	}
}

/*
 * With @child looked up under @dir's lock: make it, or take what is there
 * for the operation's result (see the top of the file).
 */
static int make_or_take(struct rnfs_ns *ns, struct dentry *dir,
			struct dentry *child)
{
	if (ns->op == NS_LINK) {
		if (d_is_negative(child))
			return rnfs_do_link(ns->lower2.dentry, dir, child);
		if (!ns->retry || rnfs_lower_fileid(child) != ns->fileid)
			return -EEXIST;
		ns->done_before = true;
		return 0;
	}
	if (d_is_negative(child))
		return make_child(ns, dir, child);
	if (!made_by_us(ns, child))
		return -EEXIST;
	ns->done_before = ns->retry;	/* or an O_CREAT open of an existing file */
	return 0;
}

/*
 * create, mkdir, mknod, symlink, link: the lower directory is the
 * request's object; for link, the object linked is find2's.
 */
static int obj_make(struct rnfs_obj_req *o)
{
	struct rnfs_ns *ns = o->d.ns;
	struct dentry *dir = o->lower.dentry, *child;
	int ret;

	if (ns->op == NS_LINK) {
		ret = rnfs_find_run(&ns->find2, o->lower.mnt, &ns->lower2);
		if (ret)
			return ret;
	}
	inode_lock_nested(d_inode(dir), I_MUTEX_PARENT);
	child = lookup_locked(dir, ns->name);
	if (!IS_ERR(child)) {
		ret = make_or_take(ns, dir, child);
		if (ret) {
			dput(child);
			child = ERR_PTR(ret);
		} else {
			child = settle(dir, child, ns->name);
		}
	}
	inode_unlock(d_inode(dir));
	if (IS_ERR(child))
		return PTR_ERR(child);
	ns->child = child;
	return child_attr(o);
}

static struct file *open_create(struct rnfs_obj_req *o, int flags)
{
	struct rnfs_ns *ns = o->d.ns;
	umode_t mode = ns->mode & ~S_IFMT;
	struct file *f;

	f = rnfs_do_open_create(&o->lower, ns->name, flags, mode);
	if (f == ERR_PTR(-EACCES) && ns->write_only_ok)
		f = rnfs_do_open_create(&o->lower, ns->name,
					(flags & ~O_ACCMODE) | O_WRONLY, mode);
	return f;
}

/*
 * An O_EXCL open found the name taken on a retry: take the file if the
 * first attempt made it (see the top of the file).
 */
static struct file *open_made(struct rnfs_obj_req *o, int flags)
{
	struct rnfs_ns *ns = o->d.ns;
	struct dentry *child;
	bool ours;

	child = rnfs_do_lookup(o->lower.dentry, ns->name);
	if (IS_ERR(child))
		return ERR_CAST(child);
	ours = d_is_positive(child) && made_by_us(ns, child);
	dput(child);
	if (!ours)
		return ERR_PTR(-EEXIST);
	ns->done_before = true;
	return open_create(o, flags & ~O_CREAT);
}

/*
 * The open failed with @err: when the name is something other than a
 * regular file, say so with no file, and the caller lets the VFS take it
 * from there (follow a symlink, open a FIFO, fail with EEXIST or EISDIR).
 * An EIO is such a case only for a FIFO, socket or device: knfsd answers
 * an OPEN of one NFS4ERR_WRONG_TYPE (6.12 on), which the NFS client
 * reports as EIO.
 */
static int open_failed(struct rnfs_obj_req *o, int err)
{
	struct rnfs_ns *ns = o->d.ns;
	struct dentry *child;

	if (err == -ENOENT || err == -ENOMEM || err == -EINTR)
		return err;
	child = rnfs_do_lookup(o->lower.dentry, ns->name);
	if (IS_ERR(child))
		return err;
	if (d_is_negative(child) ||
	    (d_is_reg(child) && err != -EEXIST) ||
	    (err == -EIO && !d_is_special(child))) {
		dput(child);
		return err;
	}
	ns->child = child;
	return child_attr(o);
}

/*
 * open(O_CREAT): create and open in one go (rnfs_atomic_open()), with the
 * "already done" rules of create on a retry.
 */
static int obj_open_create(struct rnfs_obj_req *o)
{
	struct rnfs_ns *ns = o->d.ns;
	int flags = ns->open_flags | O_CREAT;
	struct file *f;

	if (ns->excl)
		excl_note(ns);
	f = open_create(o, ns->excl ? flags | O_EXCL : flags);
	if (f == ERR_PTR(-EEXIST) && ns->excl && ns->retry)
		f = open_made(o, flags);
	if (IS_ERR(f))
		return open_failed(o, PTR_ERR(f));
	if (!S_ISREG(file_inode(f)->i_mode)) {
		__fput_sync(f);		/* here, not in a shared kworker */
		return open_failed(o, -EISDIR);
	}
	rnfs_lfile_set(ns->lf, f);
	ns->child = dget(f->f_path.dentry);
	ns->created = (f->f_mode & FMODE_CREATED) || ns->done_before;
	/* A retry may find the file the failed server made. */
	if (!ns->created && ns->retry && fresh_and_ours(ns, file_inode(f))) {
		ns->created = true;
		ns->done_before = true;
	}
	/* The OPEN brought the attributes: no GETATTR. */
	return rnfs_do_getattr(&f->f_path, &ns->attr, AT_STATX_DONT_SYNC);
}

/*
 * Is @child the last name of a file the NFS client has open?  Removing it
 * must then rename it aside (.nfsXXXX), which the NFS client does itself
 * only when the dentry removed has other users: a file opened after a
 * failover was opened through the dentry its filehandle found, not
 * through this one.  Another name of the file goes at once, as on NFS.
 */
static bool last_link_open(struct dentry *child)
{
	return d_is_positive(child) && d_inode(child)->i_nlink == 1 &&
	       rnfs_lower_opened(child);
}

/* Unlink @child, renamed aside if need be (last_link_open()). */
static int unlink_open_aside(struct dentry *dir, struct dentry *child)
{
	struct dentry *user = last_link_open(child) ? dget(child) : NULL;
	int ret = rnfs_do_unlink(dir, child);

	dput(user);
	return ret;
}

/* unlink, rmdir */
static int obj_remove(struct rnfs_obj_req *o)
{
	struct rnfs_ns *ns = o->d.ns;
	struct dentry *dir = o->lower.dentry, *child;
	int ret;

	inode_lock_nested(d_inode(dir), I_MUTEX_PARENT);
	child = lookup_locked(dir, ns->name);
	ret = PTR_ERR_OR_ZERO(child);
	if (ret)
		goto unlock;
	if (d_is_negative(child) ||
	    (ns->retry && rnfs_lower_fileid(child) != ns->fileid)) {
		ns->done_before = ns->retry;
		ret = ns->retry ? 0 : -ENOENT;
		goto put;
	}
	if (ns->op == NS_RMDIR)
		ret = rnfs_do_rmdir(dir, child);
	else
		ret = unlink_open_aside(dir, child);
	/* Still positive: renamed aside (.nfsXXXX), for its open files. */
	if (!ret && d_is_positive(child))
		ns->child = dget(child);
put:
	dput(child);
unlock:
	inode_unlock(d_inode(dir));
	return ret;
}

static bool disconnected(struct dentry *d)
{
	return READ_ONCE(d->d_flags) & DCACHE_DISCONNECTED;
}

/*
 * rename: the old directory is the request's object, the new one find2's.  The lower NFS
 * client takes no flags (nfs_rename() refuses them all), so
 * RENAME_NOREPLACE is checked here, under both directories' locks: exact
 * against this client, racy only against another client creating the
 * target at the same moment.
 */
static int obj_rename(struct rnfs_obj_req *o)
{
	struct rnfs_ns *ns = o->d.ns;
	struct dentry *odir = o->lower.dentry, *ndir, *trap, *old, *new;
	int ret;

	ret = rnfs_find_run(&ns->find2, o->lower.mnt, &ns->lower2);
	if (ret)
		return ret;
	ndir = ns->lower2.dentry;
	/*
	 * Directories found by handle after a failover are not connected
	 * to the lower root: lock_rename() could not see which contains
	 * the other, and would lock them in an order an rmdir or unlink in
	 * the parent reverses (6.1), or refuse them (6.8 on).
	 */
	if (odir != ndir && (disconnected(odir) || disconnected(ndir))) {
		ret = rnfs_do_connect(o->lower.mnt, odir, o->req.fs->cred) ?:
		      rnfs_do_connect(o->lower.mnt, ndir, o->req.fs->cred);
		if (ret)
			return ret;
	}
	trap = lock_rename(ndir, odir);
	if (IS_ERR(trap))
		return PTR_ERR(trap);
	old = lookup_locked(odir, ns->name);
	ret = PTR_ERR_OR_ZERO(old);
	if (ret)
		goto unlock;
	new = lookup_locked(ndir, ns->name2);
	ret = PTR_ERR_OR_ZERO(new);
	if (ret)
		goto put_old;

	if (d_is_negative(old) || rnfs_lower_fileid(old) != ns->fileid) {
		if (ns->retry && d_is_positive(new) &&
		    rnfs_lower_fileid(new) == ns->fileid) {
			ns->child = dget(new);
			ns->done_before = true;
		} else {
			ret = -ENOENT;
		}
	} else if (old == trap) {
		ret = -EINVAL;
	} else if (new == trap) {
		ret = -ENOTEMPTY;
	} else if ((ns->flags & RENAME_NOREPLACE) && d_is_positive(new)) {
		ret = -EEXIST;
	} else {
		/* A target open: renamed aside, see last_link_open(). */
		struct dentry *user = last_link_open(new) ? dget(new) : NULL;

		ret = rnfs_do_rename(odir, old, ndir, new);
		dput(user);
		if (!ret)	/* NFS moved the old dentry to the new name */
			ns->child = dget(old);
	}
	dput(new);
put_old:
	dput(old);
unlock:
	unlock_rename(ndir, odir);
	return ret;
}

static void ns_cleanup(struct rnfs_obj_req *o)
{
	struct rnfs_ns *ns = o->d.ns;

	if (!ns)
		return;
	if (ns->lf)
		rnfs_lfile_put(ns->lf);
	rnfs_find_release(&ns->find2);
	dput(ns->lower2.dentry);
	dput(ns->child);
	kfree(ns->name);
	kfree(ns->name2);
	kfree(ns->target);
	kfree(ns);
}

/* A fresh copy of @in for one attempt. */
static struct rnfs_ns *ns_copy(const struct rnfs_ns *in)
{
	struct rnfs_ns *ns = kmemdup(in, sizeof(*in), GFP_KERNEL);

	if (!ns)
		return NULL;
	ns->name = kstrdup(in->name, GFP_KERNEL);
	ns->name2 = in->name2 ? kstrdup(in->name2, GFP_KERNEL) : NULL;
	ns->target = in->target ? kstrdup(in->target, GFP_KERNEL) : NULL;
	if (!ns->name || (in->name2 && !ns->name2) ||
	    (in->target && !ns->target)) {
		kfree(ns->name);
		kfree(ns->name2);
		kfree(ns->target);
		kfree(ns);
		return NULL;
	}
	return ns;
}

/*
 * Run @fn for @in on @dir's lower directory (and, for link and rename,
 * @other's lower object) on the active replica, over again on the next
 * one as replicas fail.  On success, returns the finished request and the
 * replica it ran on; the caller puts the request.
 */
static struct rnfs_obj_req *ns_run(struct rnfs_ns *in, rnfs_obj_fn fn,
				   struct dentry *dir, struct dentry *other,
				   struct rnfs_replica **where)
{
	struct rnfs_fs *fs = RNFS_FS(dir->d_sb);
	struct rnfs_obj_req *o;
	struct rnfs_attempt a;

	in->since = ktime_get_real_seconds();
	rnfs_for_each_attempt(&a, fs, 0) {
		in->retry = a.nr > 1;
		o = rnfs_obj_alloc(fn, ns_cleanup);
		if (!o)
			return ERR_PTR(-ENOMEM);
		o->d.ns = ns_copy(in);
		a.ret = o->d.ns ? 0 : -ENOMEM;
		if (!a.ret && fn == obj_open_create) {
			o->d.ns->lf = rnfs_lfile_alloc(a.r);
			a.ret = o->d.ns->lf ? 0 : -ENOMEM;
		}
		/* The sb is SB_POSIXACL: the lower client applies the umask. */
		o->req.with_umask = in->op == NS_CREATE || in->op == NS_MKDIR ||
				    in->op == NS_MKNOD;
		o->req.umask = current_umask();
		if (!a.ret && other)
			a.ret = rnfs_find_prepare(&o->d.ns->find2, other, a.r);
		if (!a.ret)
			a.ret = rnfs_obj_exec_on(o, dir, a.r);
		if (!a.ret) {
			rnfs_inode_changed(d_inode(dir), a.r);
			if (other && d_is_dir(other))	/* rename's new parent */
				rnfs_inode_changed(d_inode(other), a.r);
			if (o->d.ns->done_before)
				pr_info("%s: %s %s: already done by the failed server\n",
					rnfs_fs_label(fs), op_name[in->op],
					in->name);
			*where = a.r;
			return o;
		}
		excl_keep(in, o);
		rnfs_req_put(&o->req);
	}
	return ERR_PTR(a.ret);
}

/* The new object's upper inode, for @dentry. */
static int instantiate(struct dentry *dentry, struct rnfs_obj_req *o,
		       struct rnfs_replica *r)
{
	struct rnfs_ns *ns = o->d.ns;
	struct inode *inode;

	inode = rnfs_iget(dentry->d_sb, &ns->attr, ns->child);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	rnfs_dentry_reset_lower(dentry, r->index, ns->child);
	d_instantiate(dentry, inode);
	return 0;
}

static int ns_make(struct dentry *dentry, struct rnfs_ns *in)
{
	struct rnfs_replica *r;
	struct rnfs_obj_req *o;
	int ret;

	in->name = (char *)dentry->d_name.name;	/* stable: dir locked */
	o = ns_run(in, obj_make, dentry->d_parent, NULL, &r);
	if (IS_ERR(o))
		return PTR_ERR(o);
	ret = instantiate(dentry, o, r);
	rnfs_req_put(&o->req);
	return ret;
}

int rnfs_create(struct mnt_idmap *idmap, struct inode *dir,
		struct dentry *dentry, umode_t mode, bool excl)
{
	struct rnfs_ns in = {
		.op = NS_CREATE, .mode = (mode & ~S_IFMT) | S_IFREG, .excl = excl,
	};

	return ns_make(dentry, &in);
}

/*
 * An open that did not create: look the name up as ->lookup would, and
 * let the VFS open what it finds.
 */
static int open_no_create(struct inode *dir, struct dentry *dentry,
			  struct file *file)
{
	struct dentry *res = NULL;

	if (d_in_lookup(dentry)) {
		res = rnfs_lookup(dir, dentry, 0);
		if (IS_ERR(res))
			return PTR_ERR(res);
	}
	return finish_no_open(file, res);
}

/*
 * The name is not a regular file on the server: give @dentry the inode
 * the request found, for the VFS to go on with.
 */
static int open_other(struct dentry *dentry, struct file *file,
		      struct rnfs_obj_req *o, struct rnfs_replica *r)
{
	struct rnfs_ns *ns = o->d.ns;
	struct inode *inode;
	struct dentry *res;

	inode = rnfs_iget(dentry->d_sb, &ns->attr, ns->child);
	if (IS_ERR(inode))
		return PTR_ERR(inode);
	d_drop(dentry);		/* a cached negative one: rehashed below */
	res = d_splice_alias(inode, dentry);
	if (IS_ERR(res))
		return PTR_ERR(res);
	rnfs_dentry_reset_lower(res ?: dentry, r->index, ns->child);
	return finish_no_open(file, res);
}

/*
 * open(O_CREAT) of a name that is not cached, or cached as not there: one
 * request creates (if need be) and opens the file below, as one NFSv4
 * OPEN, rather than a LOOKUP, a create and an OPEN.
 */
int rnfs_atomic_open(struct inode *dir, struct dentry *dentry,
		     struct file *file, unsigned int open_flags, umode_t mode)
{
	struct rnfs_ns in = {
		.op = NS_CREATE, .mode = (mode & ~S_IFMT) | S_IFREG,
		.excl = open_flags & O_EXCL,
		.name = (char *)dentry->d_name.name,	/* stable: dir locked */
		.open_flags = rnfs_lower_create_flags(file),
		.write_only_ok = (file->f_mode & (FMODE_READ | FMODE_WRITE)) ==
				 FMODE_WRITE,
	};
	struct rnfs_replica *r;
	struct rnfs_obj_req *o;
	struct inode *inode;
	struct rnfs_lfile *lower;
	int ret;

	if (!(open_flags & O_CREAT))
		return open_no_create(dir, dentry, file);
	ret = rnfs_dentry_init(dentry);
	if (ret)
		return ret;
	o = ns_run(&in, obj_open_create, dentry->d_parent, NULL, &r);
	if (IS_ERR(o)) {
		d_drop(dentry);
		return PTR_ERR(o);
	}
	if (!rnfs_lfile_file(o->d.ns->lf)) {
		ret = open_other(dentry, file, o, r);
		goto out;
	}
	inode = rnfs_iget(dentry->d_sb, &o->d.ns->attr, o->d.ns->child);
	ret = PTR_ERR_OR_ZERO(inode);
	if (ret)
		goto out;
	rnfs_dentry_reset_lower(dentry, r->index, o->d.ns->child);
	if (d_in_lookup(dentry))
		d_add(dentry, inode);
	else
		d_instantiate(dentry, inode);
	if (o->d.ns->created)
		file->f_mode |= FMODE_CREATED;
	lower = o->d.ns->lf;
	o->d.ns->lf = NULL;
	ret = rnfs_open_created(file, dentry, r, lower);
out:
	rnfs_req_put(&o->req);
	return ret;
}

int rnfs_mkdir(struct mnt_idmap *idmap, struct inode *dir,
	       struct dentry *dentry, umode_t mode)
{
	struct rnfs_ns in = { .op = NS_MKDIR, .mode = (mode & ~S_IFMT) | S_IFDIR };

	return ns_make(dentry, &in);
}

int rnfs_mknod(struct mnt_idmap *idmap, struct inode *dir,
	       struct dentry *dentry, umode_t mode, dev_t rdev)
{
	struct rnfs_ns in = { .op = NS_MKNOD, .mode = mode, .rdev = rdev };

	return ns_make(dentry, &in);
}

int rnfs_symlink(struct mnt_idmap *idmap, struct inode *dir,
		 struct dentry *dentry, const char *target)
{
	struct rnfs_ns in = {
		.op = NS_SYMLINK, .mode = S_IFLNK | 0777, .target = (char *)target,
	};

	return ns_make(dentry, &in);
}

int rnfs_link(struct dentry *old, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(old);
	struct rnfs_ns in = {
		.op = NS_LINK, .name = (char *)dentry->d_name.name,
		.fileid = RNFS_I(inode)->fileid,
	};
	struct rnfs_replica *r;
	struct rnfs_obj_req *o;

	o = ns_run(&in, obj_make, dentry->d_parent, old, &r);
	if (IS_ERR(o))
		return PTR_ERR(o);
	rnfs_inode_refresh_own(inode, &o->d.ns->attr);
	rnfs_inode_changed(inode, r);		/* its link count */
	rnfs_dentry_reset_lower(dentry, r->index, o->d.ns->child);
	ihold(inode);
	d_instantiate(dentry, inode);
	rnfs_req_put(&o->req);
	return 0;
}

static int ns_remove(struct dentry *dentry, enum ns_op op)
{
	struct inode *inode = d_inode(dentry);
	struct rnfs_ns in = {
		.op = op, .name = (char *)dentry->d_name.name,
		.fileid = RNFS_I(inode)->fileid,
	};
	struct rnfs_replica *r;
	struct rnfs_obj_req *o;

	/*
	 * The NFS client renames a file aside (.nfsXXXX) instead of removing
	 * it when its dentry has users other than the unlink: closing idle
	 * lower files and letting go of the cached lower dentries leaves
	 * only the real ones, the lower files open for open upper files.
	 */
	if (S_ISREG(inode->i_mode)) {
		rnfs_idle_drop(inode, true);
		rnfs_wb_done(inode, true);
	}
	rnfs_dentry_reset_lower(dentry, RNFS_MAX_REPLICAS, NULL);
	o = ns_run(&in, obj_remove, dentry->d_parent, NULL, &r);
	if (IS_ERR(o))
		return PTR_ERR(o);
	if (op == NS_RMDIR)
		clear_nlink(inode);
	else
		drop_nlink(inode);
	rnfs_inode_changed(inode, r);
	/*
	 * A file renamed aside for its open files: an open upper file
	 * reaches its object through it (fstat).  Kept only while the upper
	 * dentry has users besides this unlink, or the .nfsXXXX name would
	 * stay for as long as the dentry is cached.
	 */
	rnfs_dentry_reset_lower(dentry, r->index,
				d_count(dentry) > 1 ? o->d.ns->child : NULL);
	rnfs_req_put(&o->req);
	return 0;
}

int rnfs_unlink(struct inode *dir, struct dentry *dentry)
{
	return ns_remove(dentry, NS_UNLINK);
}

int rnfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	return ns_remove(dentry, NS_RMDIR);
}

int rnfs_rename(struct mnt_idmap *idmap, struct inode *old_dir,
		struct dentry *old, struct inode *new_dir, struct dentry *new,
		unsigned int flags)
{
	struct inode *target = d_inode(new);
	struct rnfs_ns in = {
		.op = NS_RENAME, .flags = flags,
		.name = (char *)old->d_name.name,
		.name2 = (char *)new->d_name.name,
		.fileid = RNFS_I(d_inode(old))->fileid,
	};
	struct rnfs_replica *r;
	struct rnfs_obj_req *o;

	/* The NFS protocol has no exchange or whiteout. */
	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL;
	if (target && S_ISREG(target->i_mode)) {
		rnfs_idle_drop(target, true);	/* see ns_remove() */
		rnfs_wb_done(target, true);
	}
	rnfs_dentry_reset_lower(new, RNFS_MAX_REPLICAS, NULL);
	o = ns_run(&in, obj_rename, old->d_parent, new->d_parent, &r);
	if (IS_ERR(o))
		return PTR_ERR(o);
	if (target) {
		if (S_ISDIR(target->i_mode))
			clear_nlink(target);
		else
			drop_nlink(target);
	}
	/* The VFS moves @old to @new's name and drops @new. */
	rnfs_dentry_reset_lower(old, r->index, o->d.ns->child);
	rnfs_dentry_reset_lower(new, RNFS_MAX_REPLICAS, NULL);
	rnfs_req_put(&o->req);
	return 0;
}
