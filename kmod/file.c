// SPDX-License-Identifier: GPL-2.0
/*
 * Upper files: open, release, and the file operations of regular files.
 * Data goes through rnfs's own page cache (aops.c, write.c), so read,
 * write, mmap and exec are the generic page cache paths; the lower files
 * they use on each replica are lowerfile.c's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/file.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include "rnfs.h"

/* Close the upper file's lower files (or keep them idle) and free it. */
static void file_free(struct inode *inode, struct rnfs_file *rf)
{
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	unsigned int i;

	rnfs_locks_forget(rf);
	if (!list_empty(&rf->writer)) {
		spin_lock(&inode->i_lock);
		list_del_init(&rf->writer);
		spin_unlock(&inode->i_lock);
	}
	for (i = 0; i < fs->nr; i++) {
		if (!rf->lower[i])
			continue;
		if (rnfs_lower_may_idle(rf->file) && rnfs_idle_put(inode, i, rf->lower[i]))
			continue;
		rnfs_lfile_put_wait(rf->lower[i]);
	}
	rnfs_dirents_free(rf->dirents);
	kfree(rf);
}

/* Log lines name the mount point; the first open tells us what it is. */
static void learn_label(struct file *file)
{
	struct rnfs_fs *fs = RNFS_FS(file_inode(file)->i_sb);
	struct path root = { .mnt = file->f_path.mnt,
			     .dentry = file->f_path.mnt->mnt_root };
	char *buf, *p, *label;

	if (READ_ONCE(fs->label))
		return;
	buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!buf)
		return;
	p = d_path(&root, buf, PATH_MAX);
	label = IS_ERR(p) ? NULL : kstrdup(p, GFP_KERNEL);
	kfree(buf);
	if (label && cmpxchg(&fs->label, NULL, label))
		kfree(label);
}

/* An open failed with @ret: undo what it did to @file. */
static int open_fail(struct inode *inode, struct file *file, int ret)
{
	struct rnfs_file *rf = file->private_data;

	file->private_data = NULL;
	file_free(inode, rf);
	/* Writeback may have been given the lower file: not to keep. */
	if (S_ISREG(inode->i_mode) && (file->f_mode & FMODE_WRITE))
		rnfs_wb_done(inode, true);
	return ret;
}

static struct rnfs_file *file_alloc(struct file *file, struct rnfs_fs *fs)
{
	struct rnfs_file *rf = kzalloc(sizeof(*rf), GFP_KERNEL);

	if (!rf)
		return NULL;
	mutex_init(&rf->lock);
	INIT_LIST_HEAD(&rf->writer);
	INIT_LIST_HEAD(&rf->locked);
	rf->file = file;
	rf->failovers = READ_ONCE(fs->failovers);
	return rf;
}

/*
 * The rest of an open, once @file has its lower file on the active
 * replica.  @fresh: the attributes were just read with that open.
 */
static int open_finish(struct inode *inode, struct file *file, bool fresh)
{
	struct rnfs_file *rf = file->private_data;
	struct rnfs_attr attr;
	int ret;

	learn_label(file);
	if (S_ISREG(inode->i_mode)) {
		if (!fresh) {
			ret = rnfs_getattr_dentry(file->f_path.dentry, &attr,
						  false);
			if (ret)
				return open_fail(inode, file, ret);
			rnfs_inode_refresh(inode, &attr);
		}
		rf->foreign = atomic_read(&RNFS_I(inode)->foreign);
		/* O_DIRECT is taken (see rnfs_file_read_iter()). */
		file->f_mode |= FMODE_CAN_ODIRECT;
	}
	if (S_ISREG(inode->i_mode) && (file->f_mode & FMODE_WRITE)) {
		spin_lock(&inode->i_lock);
		list_add_tail(&rf->writer, &RNFS_I(inode)->writers);
		spin_unlock(&inode->i_lock);
		rnfs_wb_writer(inode, file->f_cred);
	}
	return 0;
}

/*
 * Opening reaches the server at once on the active replica, as an NFS open
 * would: it checks access there, and refreshes the attributes so that a
 * file changed elsewhere is not read from stale pages (close-to-open).
 */
int rnfs_open(struct inode *inode, struct file *file)
{
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct rnfs_file *rf = file_alloc(file, fs);
	struct rnfs_attempt a;
	struct rnfs_lfile *lower;

	if (!rf)
		return -ENOMEM;
	file->private_data = rf;
	rnfs_for_each_attempt(&a, fs, 0) {
		lower = rnfs_lower_file(file, a.r);
		a.ret = PTR_ERR_OR_ZERO(lower);
	}
	if (a.ret)
		return open_fail(inode, file, a.ret);
	rnfs_lfile_put(lower);
	return open_finish(inode, file, false);
}

static int open_created(struct inode *inode, struct file *file)
{
	return open_finish(inode, file, true);
}

/*
 * An open(O_CREAT) that rnfs_atomic_open() carried out on replica @r:
 * @lower, opened there with the attributes of @dentry's new inode, becomes
 * @file's lower file, so that no second OPEN is sent.  Consumes @lower.
 */
int rnfs_open_created(struct file *file, struct dentry *dentry,
		      struct rnfs_replica *r, struct rnfs_lfile *lower)
{
	struct rnfs_file *rf = file_alloc(file, RNFS_FS(dentry->d_sb));
	int ret;

	if (!rf) {
		rnfs_lfile_put(lower);
		return -ENOMEM;
	}
	rf->lower[r->index] = lower;
	file->private_data = rf;
	if (file->f_mode & FMODE_WRITE)
		rnfs_wb_share(d_inode(dentry), r, lower);
	ret = finish_open(file, dentry, open_created);
	/* Failed before open_created() took @rf over: it is still ours. */
	if (ret && !(file->f_mode & FMODE_OPENED) && file->private_data == rf) {
		file->private_data = NULL;
		rnfs_lfile_put(lower);
		kfree(rf);
		if (file->f_mode & FMODE_WRITE)
			rnfs_wb_done(d_inode(dentry), false);
	}
	return ret;
}

/*
 * The last writer of a regular file closed: what writeback kept open for
 * it is closed once the pages are written, waiting for that while the
 * server answers, so that an unlink that follows removes the file for
 * real (see rnfs_lfile_put_wait()).  The last reference may come from munmap()
 * with pages dirtied after close(): those are written first.
 */
int rnfs_release(struct inode *inode, struct file *file)
{
	bool writer = S_ISREG(inode->i_mode) && (file->f_mode & FMODE_WRITE);

	file_free(inode, file->private_data);
	if (writer)
		rnfs_wb_done(inode, true);
	return 0;
}

/*
 * The first read or write of an open file after a failover looks at the
 * file on the new replica (DESIGN.md, invariant 6).  consistency=shared
 * takes its attributes, which drops cached pages if someone else changed
 * the file; consistency=strict fails the open file with EIO, until it is
 * closed and opened again, if someone else changed the file since it was
 * opened or last checked (ri->foreign counts what inode.c noticed).
 */
static int check_failover(struct file *file)
{
	struct rnfs_file *rf = file->private_data;
	struct inode *inode = file_inode(file);
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	unsigned long failovers = READ_ONCE(fs->failovers);
	struct rnfs_attr attr;
	int ret, foreign;

	if (READ_ONCE(rf->dead))
		return -EIO;
	if (READ_ONCE(rf->failovers) == failovers)
		return 0;
	ret = rnfs_locks_wait(rf);
	if (ret)
		return ret;
	ret = rnfs_getattr_dentry(file->f_path.dentry, &attr, false);
	if (ret)
		return ret;
	rnfs_inode_refresh(inode, &attr);
	foreign = atomic_read(&RNFS_I(inode)->foreign);
	if (fs->strict && foreign != READ_ONCE(rf->foreign)) {
		WRITE_ONCE(rf->dead, true);
		pr_warn("%s: %pD changed on the servers across a failover: EIO until reopened (consistency=strict)\n",
			rnfs_fs_label(fs), file);
		return -EIO;
	}
	WRITE_ONCE(rf->foreign, foreign);
	WRITE_ONCE(rf->failovers, failovers);
	return 0;
}

/*
 * O_DIRECT reads get what the replica has: the range is written back and
 * dropped from the page cache first.
 */
static ssize_t rnfs_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct address_space *mapping = iocb->ki_filp->f_mapping;
	loff_t end = iocb->ki_pos + iov_iter_count(to) - 1;
	int ret;

	ret = check_failover(iocb->ki_filp);
	if (ret)
		return ret;
	if ((iocb->ki_flags & IOCB_DIRECT) && iov_iter_count(to)) {
		iocb->ki_flags &= ~IOCB_DIRECT;
		ret = filemap_write_and_wait_range(mapping, iocb->ki_pos, end);
		if (!ret)
			ret = invalidate_inode_pages2_range(mapping,
							    iocb->ki_pos >> PAGE_SHIFT,
							    end >> PAGE_SHIFT);
		if (ret)
			return ret;
	}
	return generic_file_read_iter(iocb, to);
}

/*
 * generic_file_write_iter() without file_remove_privs(), as the NFS
 * client does it: setuid and setgid bits are the server's to clear when
 * the data reaches it (a SETATTR of the mode by a user who does not own
 * the file would be refused), and the lower NFS client then marks the
 * mode stale, so that the next getattr brings the new one up.
 */
static ssize_t write_cached(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret;

	inode_lock(inode);
	ret = generic_write_checks(iocb, from);
	if (ret > 0) {
		ret = file_update_time(iocb->ki_filp);
		if (!ret)	/* which moves ki_pos on */
			ret = generic_perform_write(iocb, from);
	}
	inode_unlock(inode);
	if (ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}

/*
 * Writes go through the page cache.  O_SYNC and O_DSYNC writes return
 * once committed (generic_write_sync() calls rnfs_fsync()); so do
 * O_DIRECT writes, which keep their data cached as well.
 */
static ssize_t rnfs_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	bool direct = iocb->ki_flags & IOCB_DIRECT;
	ssize_t ret;
	int err;

	ret = check_failover(file);
	if (ret)
		return ret;
	iocb->ki_flags &= ~IOCB_DIRECT;
	ret = write_cached(iocb, from);
	if (ret > 0 && direct) {
		err = filemap_write_and_wait_range(file->f_mapping,
						   iocb->ki_pos - ret,
						   iocb->ki_pos - 1);
		if (err)
			return err;
	}
	return ret;
}

/* Written back means committed: nothing more to ask the server. */
static int rnfs_fsync(struct file *file, loff_t start, loff_t end,
		      int datasync)
{
	return file_write_and_wait_range(file, start, end);
}

/* Close-to-open: a close returns once the data is on a replica. */
static int rnfs_flush(struct file *file, fl_owner_t id)
{
	int ret, err;

	if (!(file->f_mode & FMODE_WRITE))
		return 0;
	ret = filemap_write_and_wait(file->f_mapping);
	err = file_check_and_advance_wb_err(file);
	return ret ?: err;
}

struct falloc_req {
	struct rnfs_req req;
	int mode;
	loff_t pos, len;
};

static int falloc_run(struct rnfs_req *req)
{
	struct falloc_req *fr = container_of(req, struct falloc_req, req);

	return rnfs_do_fallocate(req->file, fr->mode, fr->pos, fr->len);
}

static void falloc_release(struct rnfs_req *req)
{
	struct falloc_req *fr = container_of(req, struct falloc_req, req);

	kfree(fr);
}

/*
 * fallocate is the lower server's (NFSv4.2 ALLOCATE and DEALLOCATE; other
 * modes get EOPNOTSUPP, as on a plain NFS mount).  Cached data in the
 * range is written first and, for a hole, dropped after.
 */
static long rnfs_fallocate(struct file *file, int mode, loff_t pos,
			   loff_t len)
{
	struct inode *inode = file_inode(file);
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct falloc_req *fr;
	struct rnfs_attempt a;
	struct rnfs_attr attr;
	int ret;

	if (pos < 0 || len <= 0 || pos > MAX_LFS_FILESIZE - len)
		return -EINVAL;
	inode_lock(inode);
	ret = filemap_write_and_wait_range(inode->i_mapping, pos, pos + len - 1);
	if (ret)
		goto out;
	rnfs_for_each_attempt(&a, fs, 0) {
		fr = rnfs_req_alloc(sizeof(*fr), falloc_run, falloc_release);
		if (!fr) {
			a.ret = -ENOMEM;
			break;
		}
		fr->mode = mode;
		fr->pos = pos;
		fr->len = len;
		a.ret = rnfs_req_exec_file(&fr->req, file, a.r);
		rnfs_req_put(&fr->req);
	}
	ret = a.ret;
	if (!ret)
		rnfs_inode_changed(inode, a.r);
	if (!ret && (mode & (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_ZERO_RANGE)))
		truncate_pagecache_range(inode, pos, pos + len - 1);
	if (!ret && !(mode & FALLOC_FL_KEEP_SIZE) &&
	    pos + len > i_size_read(inode))
		i_size_write(inode, pos + len);
	if (!ret && !rnfs_getattr_dentry(file->f_path.dentry, &attr, false))
		rnfs_inode_refresh(inode, &attr);
out:
	inode_unlock(inode);
	return ret;
}

const struct file_operations rnfs_file_fops = {
	.open		= rnfs_open,
	.release	= rnfs_release,
	.flush		= rnfs_flush,
	.fsync		= rnfs_fsync,
	.llseek		= generic_file_llseek,
	.read_iter	= rnfs_file_read_iter,
	.write_iter	= rnfs_file_write_iter,
	.mmap		= generic_file_mmap,
	.splice_read	= copy_splice_read,
	.splice_write	= iter_file_splice_write,
	.fallocate	= rnfs_fallocate,
	.lock		= rnfs_lock,
	.flock		= rnfs_flock,
};
