// SPDX-License-Identifier: GPL-2.0
/*
 * Upper dentries, and how an operation finds its lower object.
 *
 * Each upper dentry caches, per replica, the lower dentry its name led to
 * there.  Operations on an object use that one, or find the object by its
 * filehandle (rnfs_find_prepare()): replicas serve one backing filesystem
 * and give every object the same filehandle, so an open file, a cwd or a
 * running program stays the same object across a failover whatever was
 * renamed meanwhile (DESIGN.md, invariant 3).  Names are looked up only
 * to resolve names: by lookup, and by revalidation, which after a failover
 * asks the new replica what the name leads to now.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/namei.h>
#include <linux/nfs_fs.h>
#include <linux/slab.h>

#include "rnfs.h"

int rnfs_dentry_init(struct dentry *dentry)
{
	struct rnfs_dentry *info;

	if (dentry->d_fsdata)
		return 0;
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (!info)
		return -ENOMEM;
	spin_lock_init(&info->lock);
	dentry->d_fsdata = info;
	return 0;
}

static void rnfs_d_release(struct dentry *dentry)
{
	struct rnfs_dentry *info = dentry->d_fsdata;
	unsigned int i;

	if (!info)
		return;
	for (i = 0; i < RNFS_MAX_REPLICAS; i++)
		dput(info->lower[i]);
	kfree_rcu(info, rcu);
}

/* The lower dentry of @dentry on replica @idx, referenced, or NULL. */
static struct dentry *dentry_lower(struct dentry *dentry, unsigned int idx)
{
	struct rnfs_dentry *info = dentry->d_fsdata;
	struct dentry *lower;

	if (!info)
		return NULL;
	spin_lock(&info->lock);
	lower = dget(info->lower[idx]);
	spin_unlock(&info->lock);
	return lower;
}

static void dentry_set_lower(struct dentry *dentry, unsigned int idx,
			     struct dentry *lower)
{
	struct rnfs_dentry *info = dentry->d_fsdata;

	if (!info)
		return;
	spin_lock(&info->lock);
	if (!info->lower[idx])
		info->lower[idx] = dget(lower);
	spin_unlock(&info->lock);
}

/*
 * After a namespace change made through replica @idx: @lower (may be
 * NULL) is @dentry's lower dentry there, and what other replicas had
 * cached for the name is out of date.
 */
void rnfs_dentry_reset_lower(struct dentry *dentry, unsigned int idx,
			     struct dentry *lower)
{
	struct rnfs_dentry *info = dentry->d_fsdata;
	struct dentry *old[RNFS_MAX_REPLICAS];
	unsigned int i;

	if (!info)
		return;
	spin_lock(&info->lock);
	for (i = 0; i < RNFS_MAX_REPLICAS; i++) {
		old[i] = info->lower[i];
		info->lower[i] = i == idx ? dget(lower) : NULL;
	}
	spin_unlock(&info->lock);
	for (i = 0; i < RNFS_MAX_REPLICAS; i++)
		dput(old[i]);
}

/* Forget @dentry's lower dentries on every replica but @idx. */
void rnfs_dentry_keep_lower(struct dentry *dentry, unsigned int idx)
{
	struct dentry *lower = dentry_lower(dentry, idx);

	rnfs_dentry_reset_lower(dentry, idx, lower);
	dput(lower);
}

/* Forget a lower dentry that turned out to be stale. */
static void dentry_drop_lower(struct dentry *dentry, unsigned int idx)
{
	struct rnfs_dentry *info = dentry->d_fsdata;
	struct dentry *lower;

	if (!info)
		return;
	spin_lock(&info->lock);
	lower = info->lower[idx];
	info->lower[idx] = NULL;
	spin_unlock(&info->lock);
	dput(lower);
}

/* The worker is to find @inode's object by its filehandle. */
static int find_by_fh(struct rnfs_find *find, struct inode *inode)
{
	const struct rnfs_fh *fh = RNFS_I(inode)->fh;

	find->fh = kmemdup(fh, rnfs_fh_size(fh), GFP_KERNEL);
	if (!find->fh)
		return -ENOMEM;
	find->fileid = RNFS_I(inode)->fileid;
	return 0;
}

/*
 * In the caller, without I/O: how the worker finds @dentry's object on
 * replica @r.  The lower dentry its name led to there, if cached, is that
 * object (a lower dentry never changes inode), and so is the lower root
 * for the root; anything else is found by its filehandle.
 */
int rnfs_find_prepare(struct rnfs_find *find, struct dentry *dentry,
		      struct rnfs_replica *r)
{
	/* Pairs with the release in probe_run(): mnt is fully set up. */
	struct vfsmount *mnt = smp_load_acquire(&r->mnt);
	struct inode *inode = d_inode(dentry);

	if (!mnt)
		return -RNFS_ERETRY;
	find->cached = dentry_lower(dentry, r->index);
	if (find->cached)
		return 0;
	if (IS_ROOT(dentry)) {
		find->cached = dget(mnt->mnt_root);
		dentry_set_lower(dentry, r->index, find->cached);
		return 0;
	}
	if (!inode)
		return -ENOENT;
	return find_by_fh(find, inode);
}

/* In the worker: the lower object, as a path on @mnt. */
int rnfs_find_run(struct rnfs_find *find, struct vfsmount *mnt,
		  struct path *lower)
{
	struct dentry *d;

	if (find->cached) {
		d = dget(find->cached);
	} else {
		d = rnfs_do_find(mnt, find->fh, find->fileid);
		if (IS_ERR(d))
			return PTR_ERR(d);
	}
	lower->mnt = mnt;
	lower->dentry = d;
	return 0;
}

void rnfs_find_release(struct rnfs_find *find)
{
	dput(find->cached);
	kfree(find->fh);
}

/* Object requests: find an upper dentry's lower object, then act on it. */
static int obj_run(struct rnfs_req *req)
{
	struct rnfs_obj_req *o = container_of(req, struct rnfs_obj_req, req);
	int ret;

	ret = rnfs_find_run(&o->find, req->replica->mnt, &o->lower);
	if (ret)
		return ret;
	if (o->revalidate) {
		struct rnfs_attr attr;

		ret = rnfs_do_getattr(&o->lower, &attr, AT_STATX_FORCE_SYNC);
		if (ret)
			return ret;
	}
	return o->fn(o);
}

static void obj_release(struct rnfs_req *req)
{
	struct rnfs_obj_req *o = container_of(req, struct rnfs_obj_req, req);

	if (o->cleanup)
		o->cleanup(o);
	rnfs_find_release(&o->find);
	dput(o->lower.dentry);
	kfree(o);
}

struct rnfs_obj_req *rnfs_obj_alloc(rnfs_obj_fn fn,
				    void (*cleanup)(struct rnfs_obj_req *o))
{
	struct rnfs_obj_req *o;

	o = rnfs_req_alloc(sizeof(*o), obj_run, obj_release);
	if (o) {
		o->fn = fn;
		o->cleanup = cleanup;
	}
	return o;
}

/* Run @o on @dentry's object on replica @r; -RNFS_ERETRY: @r failed. */
int rnfs_obj_exec_on(struct rnfs_obj_req *o, struct dentry *dentry,
		     struct rnfs_replica *r)
{
	struct inode *inode = d_inode(dentry);
	unsigned int gen = 0;
	int ret = rnfs_find_prepare(&o->find, dentry, r);

	if (ret)
		return ret;
	if (inode && rnfs_inode_stale(inode, r, &gen))
		o->revalidate = true;
	ret = rnfs_req_exec_on(&o->req, r);
	if (!ret && o->revalidate)
		rnfs_inode_fresh(inode, r, gen);
	/* The object vanished on this replica: look it up afresh next time. */
	if (ret == -ESTALE)
		dentry_drop_lower(dentry, r->index);
	return ret;
}

/*
 * Run @o on @inode's object on replica @r, for those that have no dentry
 * (writeback); -RNFS_ERETRY: @r failed.
 */
int rnfs_obj_exec_inode(struct rnfs_obj_req *o, struct inode *inode,
			struct rnfs_replica *r)
{
	unsigned int gen;
	int ret;

	if (!smp_load_acquire(&r->mnt))		/* pairs with probe_run() */
		return -RNFS_ERETRY;
	ret = find_by_fh(&o->find, inode);
	if (ret)
		return ret;
	if (rnfs_inode_stale(inode, r, &gen))
		o->revalidate = true;
	ret = rnfs_req_exec_on(&o->req, r);
	if (!ret && o->revalidate)
		rnfs_inode_fresh(inode, r, gen);
	return ret;
}

static int obj_getattr(struct rnfs_obj_req *o)
{
	return rnfs_do_getattr(&o->lower, &o->d.attr, AT_STATX_SYNC_AS_STAT);
}

/*
 * The fast path of rnfs_getattr_dentry(): when the lower client has the
 * attributes cached, take them without a worker, since nothing can block.
 */
static int getattr_cached(struct dentry *dentry, struct rnfs_attr *attr)
{
	struct rnfs_replica *r = READ_ONCE(RNFS_FS(dentry->d_sb)->active);
	struct path lower;
	unsigned int gen;
	int ret = -EAGAIN;

	if (!r || rnfs_inode_stale(d_inode(dentry), r, &gen))
		return ret;
	lower.dentry = dentry_lower(dentry, r->index);
	if (!lower.dentry)
		return ret;
	lower.mnt = smp_load_acquire(&r->mnt);	/* pairs with probe_run() */
	if (d_is_positive(lower.dentry) &&
	    rnfs_lower_attrs_cached(d_inode(lower.dentry)))
		ret = rnfs_do_getattr(&lower, attr, AT_STATX_DONT_SYNC);
	dput(lower.dentry);
	return ret;
}

/*
 * @dentry's attributes from the active replica.  With @cached_ok, once
 * every replica is down, -EHOSTDOWN instead of waiting: the caller makes
 * do with the attributes it has.
 */
int rnfs_getattr_dentry(struct dentry *dentry, struct rnfs_attr *attr,
			bool cached_ok)
{
	struct rnfs_obj_req *o;
	struct rnfs_attempt a;

	if (!getattr_cached(dentry, attr))
		return 0;
	rnfs_for_each_attempt(&a, RNFS_FS(dentry->d_sb),
			      cached_ok ? RNFS_NO_WAIT : 0) {
		o = rnfs_obj_alloc(obj_getattr, NULL);
		if (!o)
			return -ENOMEM;
		a.ret = rnfs_obj_exec_on(o, dentry, a.r);
		if (!a.ret)
			*attr = o->d.attr;
		rnfs_req_put(&o->req);
	}
	return a.ret;
}

/*
 * @inode's attributes from the server, found by filehandle on the active
 * replica; -EHOSTDOWN when every replica is down.
 */
int rnfs_getattr_inode(struct inode *inode, struct rnfs_attr *attr)
{
	struct rnfs_obj_req *o;
	struct rnfs_attempt a;

	rnfs_for_each_attempt(&a, RNFS_FS(inode->i_sb), RNFS_NO_WAIT) {
		o = rnfs_obj_alloc(obj_getattr, NULL);
		if (!o)
			return -ENOMEM;
		a.ret = rnfs_obj_exec_inode(o, inode, a.r);
		if (!a.ret)
			*attr = o->d.attr;
		rnfs_req_put(&o->req);
	}
	return a.ret;
}

static int obj_lookup(struct rnfs_obj_req *o)
{
	struct dentry *child;
	struct path path;

	child = rnfs_do_lookup(o->lower.dentry, o->d.lookup.name);
	if (IS_ERR(child))
		return PTR_ERR(child);
	o->d.lookup.child = child;
	if (d_is_negative(child))
		return 0;
	path.mnt = o->lower.mnt;
	path.dentry = child;
	return rnfs_do_getattr(&path, &o->d.lookup.attr, AT_STATX_SYNC_AS_STAT);
}

static void lookup_cleanup(struct rnfs_obj_req *o)
{
	dput(o->d.lookup.child);
	kfree(o->d.lookup.name);
}

struct dentry *rnfs_lookup(struct inode *dir, struct dentry *dentry,
			   unsigned int flags)
{
	struct inode *inode = NULL;
	struct rnfs_obj_req *o;
	struct rnfs_attempt a;
	int ret;

	if (dentry->d_name.len > NFS_MAXNAMLEN)
		return ERR_PTR(-ENAMETOOLONG);
	ret = rnfs_dentry_init(dentry);
	if (ret)
		return ERR_PTR(ret);
	rnfs_for_each_attempt(&a, RNFS_FS(dir->i_sb), 0) {
		o = rnfs_obj_alloc(obj_lookup, lookup_cleanup);
		if (!o)
			return ERR_PTR(-ENOMEM);
		o->d.lookup.name = kstrdup(dentry->d_name.name, GFP_KERNEL);
		if (!o->d.lookup.name)
			a.ret = -ENOMEM;
		else
			a.ret = rnfs_obj_exec_on(o, dentry->d_parent, a.r);
		if (a.ret)
			rnfs_req_put(&o->req);
	}
	if (a.ret)
		return ERR_PTR(a.ret);

	if (d_is_positive(o->d.lookup.child)) {
		inode = rnfs_iget(dir->i_sb, &o->d.lookup.attr,
				  o->d.lookup.child);
		if (IS_ERR(inode)) {
			rnfs_req_put(&o->req);
			return ERR_CAST(inode);
		}
	}
	dentry_set_lower(dentry, a.r->index, o->d.lookup.child);
	rnfs_req_put(&o->req);
	return d_splice_alias(inode, dentry);
}

struct reval_req {
	struct rnfs_req req;
	struct dentry *lower;
	unsigned int flags;
};

static int reval_run(struct rnfs_req *req)
{
	struct reval_req *rr = container_of(req, struct reval_req, req);

	return rnfs_do_revalidate(rr->lower, rr->flags);
}

static void reval_release(struct rnfs_req *req)
{
	struct reval_req *rr = container_of(req, struct reval_req, req);

	dput(rr->lower);
	kfree(rr);
}

/* Ask the lower NFS client, in a worker, whether @lower is still valid. */
static int revalidate_on(struct rnfs_replica *r, struct dentry *lower,
			 unsigned int flags)
{
	struct reval_req *rr;
	int ret;

	/* Most of the time NFS knows without asking the server. */
	rcu_read_lock();
	ret = rnfs_do_revalidate(lower, flags | LOOKUP_RCU);
	rcu_read_unlock();
	if (ret != -ECHILD)
		return ret;

	rr = rnfs_req_alloc(sizeof(*rr), reval_run, reval_release);
	if (!rr)
		return -ENOMEM;
	rr->lower = dget(lower);
	rr->flags = flags;
	ret = rnfs_req_exec_on(&rr->req, r);
	rnfs_req_put(&rr->req);
	return ret;
}

/*
 * The backing filesystem changes behind our back (other clients), so
 * upper dentries are as valid as the lower ones on the active replica,
 * and must still name the same object.  Without a lower dentry there yet
 * (just failed over) the name is looked up there (revalidate_name()).
 */
/* Does the lower dentry still stand for @dentry's object? */
static bool same_object(struct dentry *dentry, struct dentry *lower)
{
	struct inode *inode = d_inode_rcu(dentry), *linode = d_inode_rcu(lower);

	if (!inode || !linode)
		return !inode && !linode;
	return rnfs_lower_is(linode, RNFS_I(inode)->fh);
}

/*
 * In an RCU path walk: only what the lower NFS client can tell without
 * blocking.  Lower dentries are freed after a grace period, so the one
 * read here stays valid while we look, referenced or not.
 */
static int revalidate_rcu(struct dentry *dentry, unsigned int flags)
{
	struct rnfs_replica *r = READ_ONCE(RNFS_FS(dentry->d_sb)->active);
	struct rnfs_dentry *info = READ_ONCE(dentry->d_fsdata);
	struct dentry *lower;
	int ret;

	if (!r || !info)
		return -ECHILD;
	lower = READ_ONCE(info->lower[r->index]);
	if (!lower)
		return -ECHILD;
	ret = rnfs_do_revalidate(lower, flags);
	if (ret > 0 && !same_object(dentry, lower))
		ret = -ECHILD;	/* let ref-walk mode sort it out */
	return ret > 0 ? 1 : -ECHILD;
}

/*
 * @dentry's name has no lower dentry on @r yet (it just became active):
 * look the name up there.  It stays valid if it leads to the same object.
 */
static int revalidate_name(struct dentry *dentry, struct rnfs_replica *r)
{
	struct dentry *parent = dget_parent(dentry);
	struct name_snapshot name;
	struct rnfs_obj_req *o;
	int ret;

	o = rnfs_obj_alloc(obj_lookup, lookup_cleanup);
	if (!o) {
		dput(parent);
		return -ENOMEM;
	}
	take_dentry_name_snapshot(&name, dentry);
	o->d.lookup.name = kstrdup(name.name.name, GFP_KERNEL);
	release_dentry_name_snapshot(&name);
	ret = o->d.lookup.name ? rnfs_obj_exec_on(o, parent, r) : -ENOMEM;
	if (!ret) {
		struct dentry *child = o->d.lookup.child;

		ret = d_is_positive(child) &&
		      rnfs_lower_is(d_inode(child), RNFS_I(d_inode(dentry))->fh);
		if (ret)
			dentry_set_lower(dentry, r->index, child);
	}
	rnfs_req_put(&o->req);
	dput(parent);
	return ret;
}

static int rnfs_d_revalidate(struct dentry *dentry, unsigned int flags)
{
	struct rnfs_replica *r;
	struct dentry *lower;
	int ret;

	if (flags & LOOKUP_RCU)
		return revalidate_rcu(dentry, flags & (LOOKUP_RCU | LOOKUP_FOLLOW |
						       LOOKUP_DIRECTORY));
	r = READ_ONCE(RNFS_FS(dentry->d_sb)->active);
	if (!r)
		return 1;
	lower = dentry_lower(dentry, r->index);
	if (!lower) {
		/* A name we removed: someone may have made it again. */
		if (d_really_is_negative(dentry))
			return 0;
		ret = IS_ROOT(dentry) ? 1 : revalidate_name(dentry, r);
		/* No verdict (failover, no memory): let the operation decide. */
		return ret < 0 ? 1 : ret;
	}
	ret = revalidate_on(r, lower, flags & (LOOKUP_FOLLOW | LOOKUP_DIRECTORY));
	if (ret < 0)
		ret = 1;	/* no verdict: as above */
	else if (ret > 0 && !same_object(dentry, lower))
		ret = 0;
	if (!ret)
		dentry_drop_lower(dentry, r->index);
	dput(lower);
	return ret;
}

const struct dentry_operations rnfs_dops = {
	.d_revalidate	= rnfs_d_revalidate,
	.d_release	= rnfs_d_release,
};
