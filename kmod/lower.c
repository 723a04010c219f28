// SPDX-License-Identifier: GPL-2.0
/*
 * The single place where rnfs calls into a lower NFS mount.  These run in
 * a request's worker (request.c), never in an application's thread,
 * because they may block on a dead server.  The exceptions are calls
 * made with flags that forbid blocking: rnfs_do_getattr() with
 * AT_STATX_DONT_SYNC and rnfs_do_revalidate() with LOOKUP_RCU, swap I/O
 * (rnfs_lower_swap_rw()), which is asynchronous, and swapon's and
 * swapoff's activation, which takes the lower inode's lock (a worker
 * stuck on a dead server holding it is killed by the reaper).  Each is a
 * thin wrapper that traces its result (pr_debug, dynamic debug).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/exportfs.h>
#include <linux/fs_context.h>
#include <linux/iversion.h>
#include <linux/module.h>
#include <linux/namei.h>
#include <linux/nfs4.h>
#include <linux/nfs_fs.h>
#include <linux/statfs.h>
#include <linux/sunrpc/clnt.h>
#include <linux/sunrpc/metrics.h>
#include <linux/sunrpc/xprtsock.h>
#include <linux/uio.h>
#include <linux/xattr.h>
#include <net/net_namespace.h>
#include <net/tcp.h>

#include "rnfs.h"

static int set_param(struct fs_context *fc, const char *key, const char *val)
{
	return vfs_parse_fs_string(fc, key, val, val ? strlen(val) : 0);
}

/* "opt1=v,opt2": options for the lower mounts, already checked by super.c */
static int set_params(struct fs_context *fc, const char *opts)
{
	char *copy, *p, *opt;
	int ret = 0;

	if (!opts)
		return 0;
	copy = kstrdup(opts, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	p = copy;
	while (!ret && (opt = strsep(&p, ","))) {
		char *val = strchr(opt, '=');

		if (val)
			*val++ = '\0';
		ret = set_param(fc, opt, val);
	}
	kfree(copy);
	return ret;
}

/*
 * A private NFSv4 mount of replica @r: hard (rnfs owns the timing), not
 * sharing superblocks with other mounts of the server, in the mounter's
 * network namespace and with the mounter's credentials.  It is in no mount
 * namespace, so no one sees it in the mount table.
 */
struct vfsmount *rnfs_do_mount(struct rnfs_replica *r)
{
	struct rnfs_fs *fs = r->fs;
	struct file_system_type *type;
	struct fs_context *fc;
	struct vfsmount *mnt;
	char num[16], *source;
	int ret;

	type = get_fs_type("nfs4");
	if (!type)
		return ERR_PTR(-ENODEV);
	fc = fs_context_for_mount(type, fs->ro ? SB_RDONLY : 0);
	module_put(type->owner);	/* the context holds its own */
	if (IS_ERR(fc))
		return ERR_CAST(fc);
	put_net(fc->net_ns);
	fc->net_ns = get_net(fs->net);
	put_cred(fc->cred);
	fc->cred = get_cred(fs->cred);

	source = kasprintf(GFP_KERNEL, strchr(r->host, ':') ? "[%s]:%s" : "%s:%s",
			   r->host, r->path);
	ret = source ? set_param(fc, "source", source) : -ENOMEM;
	kfree(source);
	if (!ret)
		ret = set_param(fc, "addr", r->host);
	if (!ret)
		ret = set_param(fc, "vers", fs->minorversion == 1 ? "4.1" : "4.2");
	if (!ret)
		ret = set_param(fc, "hard", NULL);
	if (!ret)
		ret = set_param(fc, "nosharecache", NULL);
	if (!ret) {
		snprintf(num, sizeof(num), "%u", READ_ONCE(fs->timeo));
		ret = set_param(fc, "timeo", num);
	}
	if (!ret) {
		snprintf(num, sizeof(num), "%u", READ_ONCE(fs->retrans));
		ret = set_param(fc, "retrans", num);
	}
	if (!ret)
		ret = set_params(fc, fs->lower_opts);
	mnt = ret ? ERR_PTR(ret) : fc_mount(fc);
	put_fs_context(fc);
	/*
	 * rnfs opens only regular files below; a device node that shows up
	 * where it creates one (rnfs_do_open_create()) is never opened.
	 * mount_lock guards the flags of mounts others can reach; this one
	 * is in no namespace and no one else has it yet, so its flags are
	 * set as do_add_mount() sets a new mount's, before it is published.
	 */
	if (!IS_ERR(mnt))
		mnt->mnt_flags |= MNT_NODEV;
	pr_debug("mount %s:%s = %ld\n", r->host, r->path,
		 IS_ERR(mnt) ? PTR_ERR(mnt) : 0L);
	return mnt;
}

static void fill_attr(struct dentry *lower, struct rnfs_attr *attr)
{
	struct inode *inode = d_inode(lower);

	attr->fsid_major = NFS_SERVER(inode)->fsid.major;
	attr->fsid_minor = NFS_SERVER(inode)->fsid.minor;
	attr->stat.ino = NFS_FILEID(inode);
	attr->change = inode_peek_iversion_raw(inode);
}

int rnfs_do_getattr(const struct path *lower, struct rnfs_attr *attr,
		    unsigned int query)
{
	int ret;

	ret = vfs_getattr(lower, &attr->stat, STATX_BASIC_STATS, query);
	if (!ret)
		fill_attr(lower->dentry, attr);
	pr_debug("getattr %pd = %d\n", lower->dentry, ret);
	return ret;
}

/* Is the server answering?  Ask it, past any cache. */
int rnfs_do_probe(struct rnfs_replica *r, struct rnfs_attr *root)
{
	struct path path = { .mnt = r->mnt, .dentry = r->mnt->mnt_root };

	return rnfs_do_getattr(&path, root, AT_STATX_FORCE_SYNC);
}

struct dentry *rnfs_do_lookup(struct dentry *dir, const char *name)
{
	struct dentry *d;

	d = lookup_one_unlocked(&nop_mnt_idmap, name, dir, strlen(name));
	pr_debug("lookup %pd/%s = %ld\n", dir, name,
		 IS_ERR(d) ? PTR_ERR(d) : d_is_negative(d) ? 1L : 0L);
	return d;
}

/*
 * What the NFS client's dcache holds for @name in @dir, asking no server
 * (the one that failed may be the only one that knows): a positive
 * dentry, referenced, or NULL.
 */
struct dentry *rnfs_lower_cached(struct dentry *dir, const char *name)
{
	struct qstr q = QSTR_INIT(name, strlen(name));
	struct dentry *d = d_hash_and_lookup(dir, &q);

	if (IS_ERR_OR_NULL(d))
		return NULL;
	if (d_really_is_negative(d)) {
		dput(d);
		return NULL;
	}
	return d;
}

/*
 * @lower's filehandle, as the NFS client's export operations encode it.
 * No I/O: it is the one the client holds.  The NFS client exports NFSv4.1
 * and later mounts only, which is what rnfs mounts.  Not for the stub of
 * a filesystem the server exports below this one (crossmnt), which the
 * NFS client would mount there on access: it has no file or directory
 * operations of its own (6.1 refused it a handle; 6.12 gives it one).
 */
int rnfs_lower_fh(struct inode *lower, struct rnfs_fh *fh)
{
	int len = RNFS_FH_WORDS, type;

	if (IS_AUTOMOUNT(lower))
		return -EOPNOTSUPP;
	type = exportfs_encode_inode_fh(lower, (struct fid *)fh->raw, &len,
					NULL, 0);
	if (type <= 0 || type == FILEID_INVALID || len > RNFS_FH_WORDS)
		return -EOPNOTSUPP;
	fh->type = type;
	fh->len = len;
	return 0;
}

/*
 * Is @lower the object of filehandle @fh?  No I/O; safe in an RCU walk,
 * which has the inode (freed after a grace period) but no reference.
 */
bool rnfs_lower_is(struct inode *lower, const struct rnfs_fh *fh)
{
	struct rnfs_fh have;

	return !rnfs_lower_fh(lower, &have) && rnfs_fh_equal(&have, fh);
}

/*
 * Has the NFS client @lower open (an open context, from any lower file)?
 * Then its unlink must leave it renamed aside (.nfsXXXX), as it does
 * when the dentry unlinked has other users: a file opened through
 * another dentry (found by filehandle) would be removed for real.
 */
bool rnfs_lower_opened(struct dentry *lower)
{
	return d_is_reg(lower) &&
	       !list_empty_careful(&NFS_I(d_inode(lower))->open_files);
}

/*
 * The object of filehandle @fh on the lower mount @mnt, by filehandle
 * alone (a GETATTR unless the NFS client has the inode cached), and only
 * if it is the object of fileid @fileid; -ESTALE when the server no
 * longer has it.  The export operation is called directly rather than
 * through exportfs_decode_fh(), which would reconnect a directory to the
 * lower root by LOOKUPP and READDIR of every ancestor: rnfs needs the
 * object, not a path to it.  A disconnected lower dentry serves for
 * everything rnfs does with it: NFSv4.1 opens it with CLAIM_FH, as knfsd
 * does when it re-exports NFS, and looks names up in it by its handle.
 */
struct dentry *rnfs_do_find(struct vfsmount *mnt, const struct rnfs_fh *fh,
			    u64 fileid)
{
	struct super_block *sb = mnt->mnt_sb;
	struct dentry *d;

	if (!sb->s_export_op || !sb->s_export_op->fh_to_dentry)
		return ERR_PTR(-EOPNOTSUPP);
	d = sb->s_export_op->fh_to_dentry(sb, (struct fid *)fh->raw, fh->len,
					  fh->type);
	if (!d)
		d = ERR_PTR(-ESTALE);
	if (!IS_ERR(d) && (d_is_negative(d) ||
			   NFS_FILEID(d_inode(d)) != fileid)) {
		dput(d);
		d = ERR_PTR(-ESTALE);
	}
	pr_debug("find %llu = %ld\n", fileid, IS_ERR(d) ? PTR_ERR(d) : 0L);
	return d;
}

static int lower_any(void *context, struct dentry *d)
{
	return 1;
}

/*
 * Connect @dir, a directory found by its handle alone (rnfs_do_find()),
 * to the root of @mnt in the dcache, as knfsd does with the directories
 * it is handed: a LOOKUPP and a READDIR (for the name) per ancestor not
 * yet in the dcache, with the mounter's credentials @cred (the caller
 * may search a directory it cannot read).  Any failure is ESTALE
 * (exportfs_decode_fh()).
 */
int rnfs_do_connect(struct vfsmount *mnt, struct dentry *dir,
		    const struct cred *cred)
{
	const struct cred *old;
	struct rnfs_fh fh;
	struct dentry *d;
	int ret = rnfs_lower_fh(d_inode(dir), &fh);

	if (ret)
		return ret;
	old = override_creds(cred);
	d = exportfs_decode_fh(mnt, (struct fid *)fh.raw, fh.len, fh.type,
			       lower_any, NULL);
	revert_creds(old);
	if (IS_ERR(d))
		return PTR_ERR(d);
	/* A directory has one dentry: @dir, unless it died meanwhile. */
	ret = d == dir ? 0 : -ESTALE;
	dput(d);
	pr_debug("connect %pd = %d\n", dir, ret);
	return ret;
}

int rnfs_do_revalidate(struct dentry *lower, unsigned int flags)
{
	int ret = 1;

	if (lower->d_flags & DCACHE_OP_REVALIDATE)
		ret = lower->d_op->d_revalidate(lower, flags);
	pr_debug("revalidate %pd = %d\n", lower, ret);
	return ret;
}

struct file *rnfs_do_open(const struct path *lower, int flags)
{
	struct file *f = dentry_open(lower, flags, current_cred());

	pr_debug("open %pd 0%o = %ld\n", lower->dentry, flags,
		 IS_ERR(f) ? PTR_ERR(f) : 0L);
	return f;
}

/*
 * open(O_CREAT) of @name in the directory @dir, as the VFS does it, so
 * that the NFS client's atomic_open sends one OPEN that creates.  Never
 * through a symlink (it would resolve below rnfs), and without blocking
 * on a FIFO that another client made there: the caller takes only
 * regular files.
 */
struct file *rnfs_do_open_create(const struct path *dir, const char *name,
				 int flags, umode_t mode)
{
	struct file *f;

	f = file_open_root(dir, name, flags | O_NOFOLLOW | O_NONBLOCK, mode);
	if (!IS_ERR(f)) {
		spin_lock(&f->f_lock);
		f->f_flags &= ~O_NONBLOCK;
		spin_unlock(&f->f_lock);
	}
	pr_debug("open %pd/%s 0%o 0%o = %ld\n", dir->dentry, name, flags, mode,
		 IS_ERR(f) ? PTR_ERR(f) : 0L);
	return f;
}

/*
 * Read into the kernel pages of @bvec (@len bytes), from @skip bytes in,
 * at file offset @pos, bypassing the lower page cache: rnfs has its own.
 * A lower file open for reading only is not opened O_DIRECT, because the
 * NFS client then asks the server for no delegation, and every open would
 * cost an OPEN and a CLOSE; the direct I/O is asked for per read instead.
 * Kernel pages need an ITER_BVEC: a KVEC gets -EFAULT.  Through the VFS's
 * checks (range, security hooks, fsnotify), as overlayfs reads below.
 */
ssize_t rnfs_do_read(struct file *lower, struct bio_vec *bvec,
		     unsigned int nr, size_t len, size_t skip, loff_t pos)
{
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t ret;

	iov_iter_bvec(&iter, ITER_DEST, bvec, nr, len);
	iov_iter_advance(&iter, skip);
	init_sync_kiocb(&kiocb, lower);
	kiocb.ki_flags |= IOCB_DIRECT;
	kiocb.ki_pos = pos;
	/*
	 * A lower file open for writing only (its user may not read) reads
	 * the pages a write covers in part all the same: knfsd lets a write
	 * open stateid read, as the NFS client's own read-modify-write does.
	 */
	if (lower->f_mode & FMODE_READ)
		ret = vfs_iocb_iter_read(lower, &kiocb, &iter);
	else
		ret = rw_verify_area(READ, lower, &pos, len - skip) ?:
		      lower->f_op->read_iter(&kiocb, &iter);
	pr_debug("read %pD %zu@%lld = %zd\n", lower, len - skip, pos, ret);
	return ret;
}

int rnfs_do_iterate(struct file *lower, struct dir_context *ctx)
{
	int ret = iterate_dir(lower, ctx);

	pr_debug("iterate %pD = %d\n", lower, ret);
	return ret;
}

/* The target of a lower symlink, copied into a new buffer. */
char *rnfs_do_readlink(struct dentry *lower)
{
	DEFINE_DELAYED_CALL(done);
	const char *link;
	char *copy;

	link = vfs_get_link(lower, &done);
	copy = IS_ERR(link) ? ERR_CAST(link) : kstrdup(link, GFP_KERNEL);
	do_delayed_call(&done);
	if (!copy)
		copy = ERR_PTR(-ENOMEM);
	pr_debug("readlink %pd = %ld\n", lower, IS_ERR(copy) ? PTR_ERR(copy) : 0L);
	return copy;
}

ssize_t rnfs_do_getxattr(struct dentry *lower, const char *name, void *value,
			 size_t size)
{
	ssize_t ret = vfs_getxattr(&nop_mnt_idmap, lower, name, value, size);

	pr_debug("getxattr %pd %s = %zd\n", lower, name, ret);
	return ret;
}

ssize_t rnfs_do_listxattr(struct dentry *lower, char *list, size_t size)
{
	ssize_t ret = vfs_listxattr(lower, list, size);

	pr_debug("listxattr %pd = %zd\n", lower, ret);
	return ret;
}

int rnfs_do_statfs(const struct path *lower, struct kstatfs *st)
{
	int ret = vfs_statfs(lower, st);

	pr_debug("statfs = %d\n", ret);
	return ret;
}

/*
 * Namespace changes.  The caller holds the lower parent's i_rwsem (both
 * parents' for a rename, through lock_rename()) and looked @child up
 * under it, as the VFS itself would.  The lower mounts are rnfs's own and
 * never read-only or frozen, so there is no mnt_want_write() to take.
 */
int rnfs_do_create(struct dentry *dir, struct dentry *child, umode_t mode,
		   bool excl)
{
	int ret = vfs_create(&nop_mnt_idmap, d_inode(dir), child, mode, excl);

	pr_debug("create %pd/%pd 0%o %d = %d\n", dir, child, mode, excl, ret);
	return ret;
}

int rnfs_do_mkdir(struct dentry *dir, struct dentry *child, umode_t mode)
{
	int ret = vfs_mkdir(&nop_mnt_idmap, d_inode(dir), child, mode);

	pr_debug("mkdir %pd/%pd 0%o = %d\n", dir, child, mode, ret);
	return ret;
}

int rnfs_do_mknod(struct dentry *dir, struct dentry *child, umode_t mode,
		  dev_t rdev)
{
	int ret = vfs_mknod(&nop_mnt_idmap, d_inode(dir), child, mode, rdev);

	pr_debug("mknod %pd/%pd 0%o = %d\n", dir, child, mode, ret);
	return ret;
}

int rnfs_do_symlink(struct dentry *dir, struct dentry *child,
		    const char *target)
{
	int ret = vfs_symlink(&nop_mnt_idmap, d_inode(dir), child, target);

	pr_debug("symlink %pd/%pd = %d\n", dir, child, ret);
	return ret;
}

int rnfs_do_link(struct dentry *old, struct dentry *dir, struct dentry *child)
{
	int ret = vfs_link(old, &nop_mnt_idmap, d_inode(dir), child, NULL);

	pr_debug("link %pd %pd/%pd = %d\n", old, dir, child, ret);
	return ret;
}

int rnfs_do_unlink(struct dentry *dir, struct dentry *child)
{
	int ret = vfs_unlink(&nop_mnt_idmap, d_inode(dir), child, NULL);

	pr_debug("unlink %pd/%pd = %d\n", dir, child, ret);
	return ret;
}

int rnfs_do_rmdir(struct dentry *dir, struct dentry *child)
{
	int ret = vfs_rmdir(&nop_mnt_idmap, d_inode(dir), child);

	pr_debug("rmdir %pd/%pd = %d\n", dir, child, ret);
	return ret;
}

int rnfs_do_rename(struct dentry *old_dir, struct dentry *old,
		   struct dentry *new_dir, struct dentry *new)
{
	struct renamedata rd = {
		.old_mnt_idmap	= &nop_mnt_idmap,
		.old_dir	= d_inode(old_dir),
		.old_dentry	= old,
		.new_mnt_idmap	= &nop_mnt_idmap,
		.new_dir	= d_inode(new_dir),
		.new_dentry	= new,
	};
	int ret = vfs_rename(&rd);

	pr_debug("rename %pd/%pd %pd/%pd = %d\n", old_dir, old, new_dir, new,
		 ret);
	return ret;
}

/* The caller holds the lower inode's i_rwsem, as notify_change() wants. */
int rnfs_do_setattr(struct dentry *lower, struct iattr *attr)
{
	int ret = notify_change(&nop_mnt_idmap, lower, attr, NULL);

	pr_debug("setattr %pd 0x%x = %d\n", lower, attr->ia_valid, ret);
	return ret;
}

int rnfs_do_setxattr(struct dentry *lower, const char *name,
		     const void *value, size_t size, int flags)
{
	int ret = vfs_setxattr(&nop_mnt_idmap, lower, name, value, size, flags);

	pr_debug("setxattr %pd %s = %d\n", lower, name, ret);
	return ret;
}

int rnfs_do_removexattr(struct dentry *lower, const char *name)
{
	int ret = vfs_removexattr(&nop_mnt_idmap, lower, name);

	pr_debug("removexattr %pd %s = %d\n", lower, name, ret);
	return ret;
}

/*
 * Write @len bytes from the kernel pages of @bvec at file offset @pos.
 * Direct I/O, for the reasons rnfs_do_read() gives, and because an NFS
 * direct write returns only once the data is stable on the server: the
 * server wrote it FILE_SYNC, or the client sent a COMMIT and checked its
 * verifier (fs/nfs/direct.c).  So success here means committed.
 */
ssize_t rnfs_do_write(struct file *lower, struct bio_vec *bvec,
		      unsigned int nr, size_t len, size_t skip, loff_t pos)
{
	struct iov_iter iter;
	struct kiocb kiocb;
	ssize_t ret;

	iov_iter_bvec(&iter, ITER_SOURCE, bvec, nr, len);
	iov_iter_advance(&iter, skip);
	init_sync_kiocb(&kiocb, lower);
	kiocb.ki_flags |= IOCB_DIRECT;
	kiocb.ki_pos = pos;
	ret = vfs_iocb_iter_write(lower, &kiocb, &iter);
	pr_debug("write %pD %zu@%lld = %zd\n", lower, len - skip, pos, ret);
	return ret;
}

int rnfs_do_fallocate(struct file *lower, int mode, loff_t pos, loff_t len)
{
	int ret = vfs_fallocate(lower, mode, pos, len);

	pr_debug("fallocate %pD 0x%x %lld+%lld = %d\n", lower, mode, pos, len,
		 ret);
	return ret;
}

/* A POSIX lock or unlock (no waiting) of @lower, for an upper file. */
int rnfs_do_lock(struct file *lower, unsigned int cmd, struct file_lock *fl)
{
	int ret = vfs_lock_file(lower, cmd, fl, NULL);

	pr_debug("lock %pD cmd %u type %u = %d\n", lower, cmd,
		 rnfs_fl(fl, type), ret);
	return ret;
}

/*
 * What rnfs reads of the NFS client's own state, here and nowhere else:
 * the fields of struct nfs_server, nfs_inode and rpc_xprt that the NFS
 * headers expose, read as the NFS client itself reads them.
 */

/* The lower mount's read and write sizes, in bytes. */
unsigned int rnfs_lower_rsize(struct vfsmount *mnt)
{
	return NFS_SB(mnt->mnt_sb)->rsize;
}

unsigned int rnfs_lower_wsize(struct vfsmount *mnt)
{
	return NFS_SB(mnt->mnt_sb)->wsize;
}

/* The server's NFSv4 lease, in jiffies. */
unsigned long rnfs_lower_lease(struct vfsmount *mnt)
{
	return NFS_SB(mnt->mnt_sb)->nfs_client->cl_lease_time;
}

/* Replies the mount's RPC transport has received, ever. */
unsigned long rnfs_lower_replies(struct vfsmount *mnt)
{
	struct rpc_xprt *xprt;
	unsigned long recvs = 0;

	rcu_read_lock();
	xprt = rcu_dereference(NFS_SB(mnt->mnt_sb)->client->cl_xprt);
	if (xprt)
		recvs = READ_ONCE(xprt->stat.recvs);
	rcu_read_unlock();
	return recvs;
}

/* Are the mount's RPCs checksummed or encrypted (krb5i, krb5p)? */
bool rnfs_lower_checksums(struct vfsmount *mnt)
{
	rpc_authflavor_t flavor = NFS_SB(mnt->mnt_sb)->client->cl_auth->au_flavor;

	return flavor == RPC_AUTH_GSS_KRB5I || flavor == RPC_AUTH_GSS_KRB5P;
}

/* Does the NFS client hold a delegation for @lower? */
bool rnfs_lower_delegated(struct inode *lower)
{
	return rcu_access_pointer(NFS_I(lower)->delegation);
}

/*
 * Would the NFS client answer a getattr of @lower from its attribute
 * cache, without asking the server?  nfs_getattr()'s test, which it does
 * not export.
 */
bool rnfs_lower_attrs_cached(struct inode *lower)
{
	const struct nfs_inode *nfsi = NFS_I(lower);

	if (READ_ONCE(nfsi->cache_validity) & (NFS_INO_INVALID_ATTR |
					       NFS_INO_INVALID_BLOCKS))
		return false;
	if (rcu_access_pointer(nfsi->delegation))
		return true;
	return time_in_range_open(jiffies, READ_ONCE(nfsi->read_cache_jiffies),
				  READ_ONCE(nfsi->read_cache_jiffies) +
				  READ_ONCE(nfsi->attrtimeo));
}

u64 rnfs_lower_fileid(struct dentry *lower)
{
	return NFS_FILEID(d_inode(lower));
}

/*
 * Kill every RPC of the lower mount (its umount_begin, as umount -f
 * does): calls stuck on a dead server return (-ERESTARTSYS, or -EIO).
 * New calls block again; the reaper calls this again every tick.
 */
void rnfs_lower_abort(struct vfsmount *mnt)
{
	if (mnt->mnt_sb->s_op->umount_begin)
		mnt->mnt_sb->s_op->umount_begin(mnt->mnt_sb);
	pr_debug("abort %s\n", mnt->mnt_sb->s_id);
}

/*
 * Is @task other than one of the NFS client's state recovery calls?
 * Those carry a privileged sequence (the last argument of
 * nfs4_init_sequence()): the reclaims of opens and locks after the server
 * restarted, TEST_STATEID and FREE_STATEID among them.  The arguments of
 * every NFSv4 COMPOUND begin with their struct nfs4_sequence_args
 * (nfs_xdr.h); NULL calls have none.  Called under the client's cl_lock,
 * which keeps the task, and so its arguments, alive.
 */
static bool task_not_recovery(const struct rpc_task *task, const void *data)
{
	const struct nfs4_sequence_args *seq = task->tk_msg.rpc_argp;

	if (!seq || task->tk_msg.rpc_proc->p_proc != NFSPROC4_COMPOUND)
		return true;
	return !seq->sa_privileged;
}

/*
 * Kill the RPCs of @mnt's calls, as rnfs_lower_abort() does, but for the
 * NFS client's state recovery: for a server that answers again after a
 * restart (the reaper's choice), the client reclaims the files it has
 * open there before anything else can go on, and a reclaim killed midway
 * leaves the client without the open (its later I/O on the file fails)
 * and the server with it (for as long as this client lives).  New calls
 * block again; the reaper calls this every tick.
 */
void rnfs_lower_abort_calls(struct vfsmount *mnt)
{
	rpc_cancel_tasks(NFS_SB(mnt->mnt_sb)->client, -ERESTARTSYS,
			 task_not_recovery, NULL);
	pr_debug("abort calls of %s\n", mnt->mnt_sb->s_id);
}

/*
 * Reset @xprt's TCP connection, dropping what it still has to send.
 * Killing an RPC that was sent does not take its bytes back from the
 * socket: a WRITE queued while the server's link was down would go out
 * once it is back, and land over newer data committed elsewhere.  A
 * transport's socket is sunrpc's; resetting it from outside is what
 * `ss -K` does (tcp_abort, for sock_diag), which sunrpc handles as a
 * connection reset: it reconnects when it next has a call to send.
 * The socket is taken under recv_mutex, which xs_reset_transport()
 * holds to clear it.  Other transports (RDMA) are left as they are.
 */
static int reset_xprt(struct rpc_clnt *clnt, struct rpc_xprt *xprt, void *data)
{
	struct sock_xprt *transport;
	struct sock *sk;

	if (xprt->xprt_class->ident != XPRT_TRANSPORT_TCP)
		return 0;
	transport = container_of(xprt, struct sock_xprt, xprt);
	mutex_lock(&transport->recv_mutex);
	sk = transport->inet;
	if (sk)
		sock_hold(sk);
	mutex_unlock(&transport->recv_mutex);
	if (!sk)
		return 0;
	tcp_abort(sk, ECONNABORTED);
	sock_put(sk);
	(*(unsigned int *)data)++;
	return 0;
}

/*
 * Fence a dead server off from the work rnfs gave up on there (DESIGN.md,
 * invariant 4): after rnfs_lower_abort() killed the RPCs, reset the
 * connections they were sent on, so that nothing queued for that server
 * reaches it when it answers again.  The connection is the NFS client's,
 * shared with every mount of the server in this network namespace; they
 * see a reset connection, and resend their own calls.  Returns the
 * number of connections reset.
 *
 * What this cannot take back: bytes the server's TCP already received,
 * or that are still in the network (delayed, not lost), and a socket
 * sunrpc itself closed earlier, which TCP keeps until it has sent its
 * data.
 */
unsigned int rnfs_lower_reset_connections(struct vfsmount *mnt)
{
	struct rpc_clnt *clnt = NFS_SB(mnt->mnt_sb)->client;
	unsigned int reset = 0;

	rpc_clnt_iterate_for_each_xprt(clnt, reset_xprt, &reset);
	pr_debug("reset %u connections of %s\n", reset, mnt->mnt_sb->s_id);
	return reset;
}

/*
 * Fencing a server that failed (DESIGN.md, invariant 4), once it answers
 * again: have the NFS client reset its session there, as it does itself
 * on a session error.  knfsd does not destroy a session while a request
 * of it is executing (it answers NFS4ERR_DELAY), and answers a request
 * that comes later on a destroyed session with BADSESSION, without doing
 * it.  The NFS client says nothing of how a reset ended; replica.c reads
 * it from sunrpc's counts of DESTROY_SESSION, CREATE_SESSION and
 * EXCHANGE_ID calls, which it keeps per procedure, with errors apart.
 * Which error, the counts do not say.
 *
 * nfs4_schedule_session_recovery() is exported by nfsv4.ko, but declared
 * only in its private nfs4_fs.h.
 */
void nfs4_schedule_session_recovery(struct nfs4_session *session, int err);

static void count_calls(struct rpc_clnt *clnt, unsigned int proc,
			unsigned long *ok, unsigned long *failed)
{
	struct rpc_iostats *m = &clnt->cl_metrics[proc];

	spin_lock(&m->om_lock);
	*ok = m->om_ops - m->om_error_status;
	*failed = m->om_error_status;
	spin_unlock(&m->om_lock);
}

/* The session calls the NFS client of @mnt's server has made so far. */
void rnfs_lower_sessions(struct vfsmount *mnt, struct rnfs_sessions *n)
{
	struct rpc_clnt *clnt = NFS_SB(mnt->mnt_sb)->nfs_client->cl_rpcclient;
	unsigned long failed;

	count_calls(clnt, NFSPROC4_CLNT_DESTROY_SESSION, &n->destroyed,
		    &n->destroy_failed);
	count_calls(clnt, NFSPROC4_CLNT_CREATE_SESSION, &n->created, &failed);
	count_calls(clnt, NFSPROC4_CLNT_EXCHANGE_ID, &n->exchanged, &failed);
}

/*
 * Ask the NFS client of @mnt's server for a session reset.  May sleep: it
 * may start the client's state manager thread.  Not for NFSv4.0, which
 * has no session (rnfs mounts 4.1 or later).
 */
void rnfs_lower_reset_session(struct vfsmount *mnt)
{
	struct nfs_client *clp = NFS_SB(mnt->mnt_sb)->nfs_client;

	if (clp->cl_session)
		nfs4_schedule_session_recovery(clp->cl_session,
					       -NFS4ERR_BADSESSION);
	pr_debug("reset the session of %s\n", mnt->mnt_sb->s_id);
}

/*
 * Swap (swap.c) pages to a lower file on each replica, made ready the way
 * nfs_swap_activate() (fs/nfs/file.c) readies NFS's own swap files.  That
 * function cannot be called: it adds its extent to the swap area, which
 * already has rnfs's, and one swap area has one extent at page 0.  So this
 * does the rest of its work: refuse a file with holes (the server would
 * have to allocate while the client pages out), make the transport
 * memalloc (rpc_clnt_swap_activate(), kept across reconnects by sunrpc),
 * keep NFSv4's state manager resident (enable_swap), and mark the inode
 * S_SWAPFILE, which makes the NFS client send its writes as swapper tasks
 * (nfs_initiate_write()) and skip revalidating its cache.  The client and
 * its rpc_ops are NFS internals (NFS_SERVER()), as in the functions above.
 */
int rnfs_lower_swap_activate(struct file *lower)
{
	struct inode *inode = file_inode(lower);
	struct nfs_server *server = NFS_SERVER(inode);
	blkcnt_t blocks;
	loff_t size;
	int ret;

	inode_lock(inode);
	spin_lock(&inode->i_lock);
	blocks = inode->i_blocks;
	size = i_size_read(inode);
	spin_unlock(&inode->i_lock);
	ret = -EINVAL;
	if (blocks * 512 < size)
		goto out;
	ret = -EBUSY;			/* another swap area uses it */
	if (IS_SWAPFILE(inode))
		goto out;
	ret = rpc_clnt_swap_activate(server->client);
	if (ret)
		goto out;
	if (server->nfs_client->rpc_ops->enable_swap)
		server->nfs_client->rpc_ops->enable_swap(inode);
	inode->i_flags |= S_SWAPFILE;
out:
	inode_unlock(inode);
	pr_debug("swap activate %s/%lu: %d\n", inode->i_sb->s_id, inode->i_ino,
		 ret);
	return ret;
}

/* Undo rnfs_lower_swap_activate(), once no swap I/O uses @lower. */
void rnfs_lower_swap_deactivate(struct file *lower)
{
	struct inode *inode = file_inode(lower);
	struct nfs_server *server = NFS_SERVER(inode);

	inode_lock(inode);
	inode->i_flags &= ~S_SWAPFILE;
	rpc_clnt_swap_deactivate(server->client);
	if (server->nfs_client->rpc_ops->disable_swap)
		server->nfs_client->rpc_ops->disable_swap(inode);
	inode_unlock(inode);
}

/*
 * Page I/O on an activated lower file, asynchronous: @iocb completes
 * through its ki_complete, unless this returns anything but -EIOCBQUEUED.
 * Called in the swap layer's context (reclaim, a page fault) or swap.c's
 * work; it never waits for the server.
 */
int rnfs_lower_swap_rw(struct kiocb *iocb, struct iov_iter *iter)
{
	return iocb->ki_filp->f_mapping->a_ops->swap_rw(iocb, iter);
}
