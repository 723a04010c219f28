// SPDX-License-Identifier: GPL-2.0
/*
 * Upper inodes.  An inode is known by (fsid, fileid) from the lower
 * attributes and by its filehandle, which every replica of one backing
 * filesystem reports alike, so after a failover the same inode, with its
 * page cache and its mapped pages, is found again, and finds its object
 * on the new replica by filehandle (DESIGN.md, invariant 3).  The
 * filehandle also tells apart a new file that reuses a removed file's
 * fileid (its generation differs), so a new file never inherits another
 * file's cached pages.  Attributes come from the active replica and are
 * refreshed on every getattr.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/hash.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include "rnfs.h"

static struct kmem_cache *rnfs_inode_cachep;

static void inode_once(void *obj)
{
	struct rnfs_inode *ri = obj;

	inode_init_once(&ri->vfs_inode);
	mutex_init(&ri->wb_lock);
}

int rnfs_inode_cache_init(void)
{
	rnfs_inode_cachep = kmem_cache_create("rnfs_inode_cache",
					      sizeof(struct rnfs_inode), 0,
					      SLAB_RECLAIM_ACCOUNT | SLAB_ACCOUNT,
					      inode_once);
	return rnfs_inode_cachep ? 0 : -ENOMEM;
}

void rnfs_inode_cache_exit(void)
{
	/* Inodes are freed after an RCU grace period. */
	rcu_barrier();
	kmem_cache_destroy(rnfs_inode_cachep);
}

struct inode *rnfs_alloc_inode(struct super_block *sb)
{
	struct rnfs_inode *ri;

	ri = alloc_inode_sb(sb, rnfs_inode_cachep, GFP_KERNEL);
	if (!ri)
		return NULL;
	ri->fsid_major = 0;
	ri->fsid_minor = 0;
	ri->fileid = 0;
	ri->fh = NULL;
	ri->change = 0;
	memset(ri->idle, 0, sizeof(ri->idle));
	INIT_LIST_HEAD(&ri->idle_list);
	INIT_LIST_HEAD(&ri->writers);
	ri->wb_cred = NULL;
	memset(ri->wb_lower, 0, sizeof(ri->wb_lower));
	atomic_set(&ri->foreign, 0);
	atomic_set(&ri->doubts, 0);
	atomic_set(&ri->settling, 0);
	ri->change_unknown = false;
	ri->gen = 0;
	memset(ri->seen, 0, sizeof(ri->seen));
	return &ri->vfs_inode;
}

void rnfs_evict_inode(struct inode *inode)
{
	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	rnfs_idle_drop(inode, false);
	rnfs_wb_done(inode, false);
	if (RNFS_I(inode)->wb_cred)
		put_cred(RNFS_I(inode)->wb_cred);
}

void rnfs_free_inode(struct inode *inode)
{
	kfree(RNFS_I(inode)->fh);
	kmem_cache_free(rnfs_inode_cachep, RNFS_I(inode));
}

/* What identifies an object, for iget5_locked(). */
struct inode_key {
	const struct rnfs_attr *attr;
	const struct rnfs_fh *fh;
};

static int inode_test(struct inode *inode, void *data)
{
	const struct inode_key *key = data;
	const struct rnfs_attr *attr = key->attr;
	const struct rnfs_inode *ri = RNFS_I(inode);

	return ri->fileid == attr->stat.ino &&
	       ri->fsid_major == attr->fsid_major &&
	       ri->fsid_minor == attr->fsid_minor &&
	       rnfs_fh_equal(ri->fh, key->fh);
}

/* Under the inode hash lock: @ri->fh is set once iget5_locked() returns. */
static int inode_set(struct inode *inode, void *data)
{
	const struct inode_key *key = data;
	const struct rnfs_attr *attr = key->attr;
	struct rnfs_inode *ri = RNFS_I(inode);

	ri->fh = (struct rnfs_fh *)key->fh;
	ri->fileid = attr->stat.ino;
	ri->fsid_major = attr->fsid_major;
	ri->fsid_minor = attr->fsid_minor;
	ri->change = attr->change;
	inode->i_ino = attr->stat.ino;
	return 0;
}

/*
 * Is this client changing @inode's data?  Then the server's size and
 * change attribute lag behind the page cache, which is the newer; so
 * too while writes of ours are in doubt (fence.c).
 */
bool rnfs_inode_writing(struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;

	return !list_empty(&RNFS_I(inode)->writers) ||
	       atomic_read(&RNFS_I(inode)->doubts) ||
	       atomic_read(&RNFS_I(inode)->settling) ||
	       READ_ONCE(RNFS_I(inode)->change_unknown) ||
	       mapping_tagged(mapping, PAGECACHE_TAG_DIRTY) ||
	       mapping_tagged(mapping, PAGECACHE_TAG_WRITEBACK);
}

/*
 * Take the replica's word for @inode's attributes.  When the change
 * attribute moved and not by our doing (@own), someone else changed the
 * file: that is counted (ri->foreign, for consistency=strict), and cached
 * pages are dropped (those mapped are kept until unmapped).  Not while
 * this client writes to the file: the cache then holds the newest data,
 * and the size only grows (a truncate sets it itself, rnfs_setattr()).
 */
static void inode_update(struct inode *inode, const struct rnfs_attr *attr,
			 bool own)
{
	const struct kstat *st = &attr->stat;
	struct rnfs_inode *ri = RNFS_I(inode);
	bool changed, busy = S_ISREG(inode->i_mode) && rnfs_inode_writing(inode);

	spin_lock(&inode->i_lock);
	changed = ri->change != attr->change;
	/*
	 * While writes of ours are in doubt, a change is not explained
	 * (the late write, or someone else): it is looked at once they
	 * are checked (fence.c).
	 */
	if (own || !atomic_read(&ri->doubts))
		ri->change = attr->change;
	inode->i_mode = (inode->i_mode & S_IFMT) | (st->mode & ~S_IFMT);
	inode->i_uid = st->uid;
	inode->i_gid = st->gid;
	set_nlink(inode, st->nlink);
	inode_set_atime_to_ts(inode, st->atime);
	inode_set_ctime_to_ts(inode, st->ctime);
	inode->i_blocks = st->blocks;
	if (!busy || st->size > i_size_read(inode)) {
		inode_set_mtime_to_ts(inode, st->mtime);
		i_size_write(inode, st->size);
	}
	spin_unlock(&inode->i_lock);

	if (!changed || own || busy)
		return;
	atomic_inc(&ri->foreign);
	if (S_ISREG(inode->i_mode))
		invalidate_mapping_pages(inode->i_mapping, 0, -1);
}

void rnfs_inode_refresh(struct inode *inode, const struct rnfs_attr *attr)
{
	inode_update(inode, attr, false);
}

/* After a change this client made (setattr, link): not someone else's. */
void rnfs_inode_refresh_own(struct inode *inode, const struct rnfs_attr *attr)
{
	inode_update(inode, attr, true);
}

/*
 * After writing back: the change attribute our writes left, which the
 * NFS client does not fetch with direct writes
 * (nfs4_write_need_cache_consistency_data()), so that they are never
 * taken for someone else's (consistency=strict would fail the file, and
 * shared drop its cached pages).
 */
void rnfs_inode_learn_change(struct inode *inode)
{
	struct rnfs_inode *ri = RNFS_I(inode);
	struct rnfs_attr attr;

	/*
	 * Not while writers are open (one GETATTR per fsync would halve
	 * their rate): the file is busy, and the last close asks
	 * (rnfs_inode_learn_pending()).
	 */
	WRITE_ONCE(ri->change_unknown, true);
	if (!list_empty_careful(&ri->writers))
		return;
	if (!rnfs_getattr_inode(inode, &attr))
		rnfs_inode_refresh_own(inode, &attr);
	WRITE_ONCE(ri->change_unknown, false);
}

/* The last writer closed: learn the change attribute if need be. */
void rnfs_inode_learn_pending(struct inode *inode)
{
	if (READ_ONCE(RNFS_I(inode)->change_unknown))
		rnfs_inode_learn_change(inode);
}

/* @inode was changed through replica @r (see struct rnfs_inode). */
void rnfs_inode_changed(struct inode *inode, struct rnfs_replica *r)
{
	struct rnfs_inode *ri = RNFS_I(inode);

	spin_lock(&inode->i_lock);
	ri->seen[r->index] = ++ri->gen;
	spin_unlock(&inode->i_lock);
}

/* Are @r's caches of @inode stale?  *@gen: what to note once revalidated. */
bool rnfs_inode_stale(struct inode *inode, struct rnfs_replica *r,
		      unsigned int *gen)
{
	struct rnfs_inode *ri = RNFS_I(inode);
	bool stale;

	spin_lock(&inode->i_lock);
	*gen = ri->gen;
	stale = ri->seen[r->index] != ri->gen;
	spin_unlock(&inode->i_lock);
	return stale;
}

/* @r's server was asked about @inode when it was at @gen. */
void rnfs_inode_fresh(struct inode *inode, struct rnfs_replica *r,
		      unsigned int gen)
{
	struct rnfs_inode *ri = RNFS_I(inode);

	spin_lock(&inode->i_lock);
	if ((int)(gen - ri->seen[r->index]) > 0)
		ri->seen[r->index] = gen;
	spin_unlock(&inode->i_lock);
}

/*
 * The upper inode of the object @attr describes, which the lower dentry
 * @lower stands for on the replica that answered.
 */
struct inode *rnfs_iget(struct super_block *sb, const struct rnfs_attr *attr,
			struct dentry *lower)
{
	const struct kstat *st = &attr->stat;
	struct inode_key key = { .attr = attr };
	struct rnfs_fh enc, *fh;
	struct inode *inode;
	int ret;

	ret = rnfs_lower_fh(d_inode(lower), &enc);
	if (ret) {
		pr_warn_ratelimited("%s: %pd: no filehandle to fail over with (error %d)\n",
				    rnfs_fs_label(RNFS_FS(sb)), lower, ret);
		return ERR_PTR(ret);
	}
	fh = kmemdup(&enc, rnfs_fh_size(&enc), GFP_KERNEL);
	if (!fh)
		return ERR_PTR(-ENOMEM);
	key.fh = fh;
	inode = iget5_locked(sb, hash_64(st->ino ^ attr->fsid_minor, 32),
			     inode_test, inode_set, &key);
	if (!inode || RNFS_I(inode)->fh != fh)
		kfree(fh);		/* not the new inode's */
	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW)) {
		if (inode_wrong_type(inode, st->mode)) {
			iput(inode);
			return ERR_PTR(-ESTALE);
		}
		rnfs_inode_refresh(inode, attr);
		return inode;
	}

	inode->i_mode = st->mode & S_IFMT;
	switch (st->mode & S_IFMT) {
	case S_IFDIR:
		inode->i_op = &rnfs_dir_iops;
		inode->i_fop = &rnfs_dir_fops;
		break;
	case S_IFREG:
		inode->i_op = &rnfs_file_iops;
		inode->i_fop = &rnfs_file_fops;
		inode->i_mapping->a_ops = &rnfs_aops;
		break;
	case S_IFLNK:
		inode->i_op = &rnfs_symlink_iops;
		inode_nohighmem(inode);
		break;
	default:
		inode->i_op = &rnfs_special_iops;
		init_special_inode(inode, st->mode, st->rdev);
		break;
	}
	rnfs_inode_refresh(inode, attr);
	unlock_new_inode(inode);
	return inode;
}

static int rnfs_getattr(struct mnt_idmap *idmap,
			const struct path *path, struct kstat *stat,
			u32 request_mask, unsigned int flags)
{
	struct inode *inode = d_inode(path->dentry);
	struct rnfs_attr attr;
	int ret;

	/*
	 * With every replica down, stat answers from the attributes last
	 * seen, as an NFS client with a valid attribute cache would, so
	 * that ls, df and umount do not hang; data operations still wait.
	 */
	if (!(flags & AT_STATX_DONT_SYNC)) {
		ret = rnfs_getattr_dentry(path->dentry, &attr,
					  !(flags & AT_STATX_FORCE_SYNC));
		if (!ret)
			rnfs_inode_refresh(inode, &attr);
		else if (ret != -EHOSTDOWN)
			return ret;
	}
	generic_fillattr(&nop_mnt_idmap, request_mask, inode, stat);
	return 0;
}

/*
 * Checked on the upper inode with the mode and owner the server reported:
 * AUTH_SYS semantics, and never a call to the server on a path walk.  The
 * server still has the last word when the lower call is made.
 */
static int rnfs_permission(struct mnt_idmap *idmap,
			   struct inode *inode, int mask)
{
	return generic_permission(&nop_mnt_idmap, inode, mask);
}

static int obj_readlink(struct rnfs_obj_req *o)
{
	char *link = rnfs_do_readlink(o->lower.dentry);

	if (IS_ERR(link))
		return PTR_ERR(link);
	o->d.link = link;
	return 0;
}

static void readlink_cleanup(struct rnfs_obj_req *o)
{
	kfree(o->d.link);
}

static const char *rnfs_get_link(struct dentry *dentry, struct inode *inode,
				 struct delayed_call *done)
{
	struct rnfs_obj_req *o;
	struct rnfs_attempt a;
	char *link = NULL;

	if (!dentry)
		return ERR_PTR(-ECHILD);
	rnfs_for_each_attempt(&a, RNFS_FS(dentry->d_sb), 0) {
		o = rnfs_obj_alloc(obj_readlink, readlink_cleanup);
		if (!o)
			return ERR_PTR(-ENOMEM);
		a.ret = rnfs_obj_exec_on(o, dentry, a.r);
		if (!a.ret) {
			link = o->d.link;
			o->d.link = NULL;
		}
		rnfs_req_put(&o->req);
	}
	if (a.ret)
		return ERR_PTR(a.ret);
	set_delayed_call(done, kfree_link, link);
	return link;
}

const struct inode_operations rnfs_dir_iops = {
	.lookup		= rnfs_lookup,
	.atomic_open	= rnfs_atomic_open,
	.create		= rnfs_create,
	.mkdir		= rnfs_mkdir,
	.mknod		= rnfs_mknod,
	.symlink	= rnfs_symlink,
	.link		= rnfs_link,
	.unlink		= rnfs_unlink,
	.rmdir		= rnfs_rmdir,
	.rename		= rnfs_rename,
	.setattr	= rnfs_setattr,
	.getattr	= rnfs_getattr,
	.permission	= rnfs_permission,
	.listxattr	= rnfs_listxattr,
};

const struct inode_operations rnfs_file_iops = {
	.setattr	= rnfs_setattr,
	.getattr	= rnfs_getattr,
	.permission	= rnfs_permission,
	.listxattr	= rnfs_listxattr,
};

const struct inode_operations rnfs_symlink_iops = {
	.get_link	= rnfs_get_link,
	.setattr	= rnfs_setattr,
	.getattr	= rnfs_getattr,
	.listxattr	= rnfs_listxattr,
};

const struct inode_operations rnfs_special_iops = {
	.setattr	= rnfs_setattr,
	.getattr	= rnfs_getattr,
	.permission	= rnfs_permission,
	.listxattr	= rnfs_listxattr,
};
