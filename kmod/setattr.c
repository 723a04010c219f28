// SPDX-License-Identifier: GPL-2.0
/*
 * Attribute changes: chmod, chown, utimes, truncate.  Each is one object
 * request on the active replica, sent again to the next one if the replica
 * fails: the values are absolute, so applying one twice does no harm.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/pagemap.h>

#include "rnfs.h"

static int obj_setattr(struct rnfs_obj_req *o)
{
	struct inode *inode = d_inode(o->lower.dentry);
	int ret;

	inode_lock(inode);
	ret = rnfs_do_setattr(o->lower.dentry, &o->d.setattr.ia);
	inode_unlock(inode);
	if (ret)
		return ret;
	return rnfs_do_getattr(&o->lower, &o->d.setattr.attr,
			       AT_STATX_SYNC_AS_STAT);
}

/* What of @attr goes to the lower inode. */
static void lower_iattr(struct iattr *ia, const struct iattr *attr)
{
	*ia = *attr;
	/* The upper file means nothing below, and the open is done. */
	ia->ia_valid &= ~(ATTR_FILE | ATTR_OPEN);
	ia->ia_file = NULL;
	/*
	 * The VFS turned "kill suid/sgid" into a mode; below, it must be
	 * one or the other (notify_change() insists), and the lower inode
	 * works the mode out again from the flags.
	 */
	if (ia->ia_valid & (ATTR_KILL_SUID | ATTR_KILL_SGID))
		ia->ia_valid &= ~ATTR_MODE;
}

int rnfs_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
		 struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	struct rnfs_attempt a;
	struct rnfs_obj_req *o;
	int ret;

	ret = setattr_prepare(&nop_mnt_idmap, dentry, attr);
	if (ret)
		return ret;
	/*
	 * A new size: cached writes go first, so that none of them lands
	 * past the new end of the file afterwards (the NFS client does the
	 * same).
	 */
	if (attr->ia_valid & ATTR_SIZE) {
		ret = filemap_write_and_wait(inode->i_mapping);
		if (ret)
			return ret;
	}
	if (attr->ia_valid & (ATTR_MODE | ATTR_UID | ATTR_GID))
		rnfs_wb_prepare(inode);
	rnfs_for_each_attempt(&a, RNFS_FS(dentry->d_sb), 0) {
		o = rnfs_obj_alloc(obj_setattr, NULL);
		if (!o)
			return -ENOMEM;
		lower_iattr(&o->d.setattr.ia, attr);
		a.ret = rnfs_obj_exec_on(o, dentry, a.r);
		if (!a.ret) {
			rnfs_inode_changed(inode, a.r);
			if (attr->ia_valid & ATTR_SIZE)
				truncate_setsize(inode, attr->ia_size);
			rnfs_inode_refresh_own(inode, &o->d.setattr.attr);
		}
		rnfs_req_put(&o->req);
	}
	return a.ret;
}

