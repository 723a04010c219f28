// SPDX-License-Identifier: GPL-2.0
/*
 * Extended attributes, on the active replica like everything else.
 * Setting or removing one again after a failover is harmless, except for
 * XATTR_CREATE and XATTR_REPLACE, whose retry may find its own work done:
 * then EEXIST (create) and ENODATA (replace, remove) mean success.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/xattr.h>

#include "rnfs.h"

static int obj_getxattr(struct rnfs_obj_req *o)
{
	ssize_t ret = rnfs_do_getxattr(o->lower.dentry, o->d.xattr.name,
				       o->d.xattr.value, o->d.xattr.size);

	if (ret < 0)
		return ret;
	o->d.xattr.len = ret;
	return 0;
}

static int obj_listxattr(struct rnfs_obj_req *o)
{
	ssize_t ret = rnfs_do_listxattr(o->lower.dentry, o->d.xattr.value,
					o->d.xattr.size);

	if (ret < 0)
		return ret;
	o->d.xattr.len = ret;
	return 0;
}

static int obj_setxattr(struct rnfs_obj_req *o)
{
	const char *name = o->d.xattr.name;

	if (!o->d.xattr.value)
		return rnfs_do_removexattr(o->lower.dentry, name);
	return rnfs_do_setxattr(o->lower.dentry, name, o->d.xattr.value,
				o->d.xattr.size, o->d.xattr.flags);
}

static void xattr_cleanup(struct rnfs_obj_req *o)
{
	kfree(o->d.xattr.name);
	kvfree(o->d.xattr.value);
}

/* Get (@name) or list (NULL) @dentry's xattrs into @buf of @size bytes. */
static ssize_t xattr_call(struct dentry *dentry, const char *name, void *buf,
			  size_t size)
{
	struct rnfs_obj_req *o;
	struct rnfs_attempt a;
	ssize_t ret = 0;

	if (size > XATTR_SIZE_MAX)
		size = XATTR_SIZE_MAX;
	rnfs_for_each_attempt(&a, RNFS_FS(dentry->d_sb), 0) {
		o = rnfs_obj_alloc(name ? obj_getxattr : obj_listxattr,
				   xattr_cleanup);
		if (!o)
			return -ENOMEM;
		o->d.xattr.size = size;
		if (size)
			o->d.xattr.value = kvmalloc(size, GFP_KERNEL);
		if (name)
			o->d.xattr.name = kstrdup(name, GFP_KERNEL);
		if ((size && !o->d.xattr.value) || (name && !o->d.xattr.name))
			a.ret = -ENOMEM;
		else
			a.ret = rnfs_obj_exec_on(o, dentry, a.r);
		if (!a.ret) {
			ret = o->d.xattr.len;
			if (size)
				memcpy(buf, o->d.xattr.value, ret);
		}
		rnfs_req_put(&o->req);
	}
	return a.ret ?: ret;
}

static int rnfs_xattr_get(const struct xattr_handler *handler,
			  struct dentry *dentry, struct inode *inode,
			  const char *name, void *buffer, size_t size)
{
	return xattr_call(dentry, name, buffer, size);
}

ssize_t rnfs_listxattr(struct dentry *dentry, char *list, size_t size)
{
	return xattr_call(dentry, NULL, list, size);
}

/* Set @name to @value (@size bytes, XATTR_* @flags), or remove it (NULL). */
static int rnfs_xattr_set(const struct xattr_handler *handler,
			  struct mnt_idmap *idmap,
			  struct dentry *dentry, struct inode *inode,
			  const char *name, const void *value, size_t size,
			  int flags)
{
	struct rnfs_obj_req *o;
	struct rnfs_attempt a;
	int ret;

	rnfs_for_each_attempt(&a, RNFS_FS(dentry->d_sb), 0) {
		o = rnfs_obj_alloc(obj_setxattr, xattr_cleanup);
		if (!o)
			return -ENOMEM;
		o->d.xattr.name = kstrdup(name, GFP_KERNEL);
		if (value) {
			o->d.xattr.value = kvmalloc(size, GFP_KERNEL);
			if (o->d.xattr.value)
				memcpy(o->d.xattr.value, value, size);
		}
		o->d.xattr.size = size;
		o->d.xattr.flags = flags;
		if (!o->d.xattr.name || (value && !o->d.xattr.value))
			ret = -ENOMEM;
		else
			ret = rnfs_obj_exec_on(o, dentry, a.r);
		rnfs_req_put(&o->req);
		if (a.nr > 1 && ((ret == -EEXIST && (flags & XATTR_CREATE)) ||
				 (ret == -ENODATA && (!value || (flags & XATTR_REPLACE))))) {
			pr_info("%s: %s %s: already done by the failed server\n",
				rnfs_fs_label(RNFS_FS(dentry->d_sb)),
				value ? "setxattr" : "removexattr", name);
			ret = 0;
		}
		a.ret = ret;
	}
	return a.ret;
}

/* Every name goes to the lower NFS client, which knows which it serves. */
static const struct xattr_handler rnfs_any_xattr_handler = {
	.prefix	= "",
	.get	= rnfs_xattr_get,
	.set	= rnfs_xattr_set,
};

const struct xattr_handler *RNFS_XATTR_HANDLERS_CONST rnfs_xattr_handlers[] = {
	&rnfs_any_xattr_handler,
	NULL,
};
