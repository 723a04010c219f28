// SPDX-License-Identifier: GPL-2.0
/*
 * Upper files.  Data goes through rnfs's own page cache (aops.c), so read,
 * mmap and exec are the generic page cache paths; an upper file keeps, per
 * replica, a lower file opened on demand, with the opener's credentials,
 * for aops.c to read from with direct I/O.
 *
 * Closing a lower file may wait for a dead server (NFSv4 CLOSE), so lower
 * files are always closed by a request, never by the application.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/slab.h>

#include "rnfs.h"

static int obj_open(struct rnfs_obj_req *o)
{
	struct file *f = rnfs_do_open(&o->lower, o->d.open.flags);

	if (IS_ERR(f))
		return PTR_ERR(f);
	o->d.open.file = f;
	return 0;
}

static void open_cleanup(struct rnfs_obj_req *o)
{
	if (o->d.open.file)
		rnfs_fput_async(o->req.replica, o->d.open.file);
}

static int lower_flags(struct file *file)
{
	if (S_ISDIR(file_inode(file)->i_mode))
		return O_RDONLY | O_DIRECTORY | O_LARGEFILE;
	return O_RDONLY | O_LARGEFILE;	/* reads are direct: see rnfs_do_read() */
}

/*
 * @file's lower file on replica @r, opened now if it was not yet.
 * Returns a new reference, or -EAGAIN when @r failed meanwhile.
 */
struct file *rnfs_lower_file(struct file *file, struct rnfs_replica *r)
{
	struct rnfs_file *rf = file->private_data;
	struct rnfs_obj_req *o;
	struct file *lower;
	const struct cred *old;
	int ret;

	if (mutex_lock_killable(&rf->lock))
		return ERR_PTR(-EINTR);
	lower = rf->lower[r->index];
	if (!lower && S_ISREG(file_inode(file)->i_mode)) {
		lower = rnfs_idle_take(file_inode(file), r, file->f_cred);
		rf->lower[r->index] = lower;
	}
	if (lower) {
		get_file(lower);
		goto out;
	}
	o = rnfs_obj_alloc(obj_open, open_cleanup);
	if (!o) {
		lower = ERR_PTR(-ENOMEM);
		goto out;
	}
	o->d.open.flags = lower_flags(file);
	/* The lower file is opened with the credentials of the upper one. */
	old = override_creds(file->f_cred);
	ret = rnfs_obj_exec_on(o, file->f_path.dentry, r);
	revert_creds(old);
	if (ret) {
		lower = ERR_PTR(ret);
	} else {
		lower = o->d.open.file;
		o->d.open.file = NULL;
		rf->lower[r->index] = lower;
		get_file(lower);
	}
	rnfs_req_put(&o->req);
out:
	mutex_unlock(&rf->lock);
	return lower;
}

/*
 * Run @req on @r with @file's lower file there: it goes to *@lower, for
 * the request to drop when it is released.  -EAGAIN: @r failed.
 */
int rnfs_req_exec_file(struct rnfs_req *req, struct file *file,
		       struct rnfs_replica *r, struct file **lower)
{
	struct file *f = rnfs_lower_file(file, r);

	if (IS_ERR(f))
		return PTR_ERR(f);
	*lower = f;
	return rnfs_req_exec_on(req, r);
}

static int fput_run(struct rnfs_req *req)
{
	struct rnfs_fput_req *f = container_of(req, struct rnfs_fput_req, req);

	__fput_sync(f->file);		/* blocks this worker only */
	f->file = NULL;
	return 0;
}

static void fput_release(struct rnfs_req *req)
{
	kfree(container_of(req, struct rnfs_fput_req, req));
}

/*
 * Drop a reference to a lower file of replica @r without ever waiting
 * for its server: the last one sends an NFSv4 CLOSE.  It is a request of
 * @r, so that the reaper frees it if @r is dead, and so that the mount
 * and the module stay until it is done.
 */
void rnfs_fput_async(struct rnfs_replica *r, struct file *lower)
{
	struct rnfs_fput_req *f;

	f = rnfs_req_alloc(sizeof(*f), fput_run, fput_release);
	if (!f) {
		/* Freeing must not fail: fall back on the kernel's own. */
		fput(lower);
		return;
	}
	f->file = lower;
	f->req.always_run = true;
	rnfs_req_submit(&f->req, r, lower->f_cred);
	rnfs_req_put(&f->req);
}

/* Close the upper file's lower files (or keep them idle) and free it. */
static void file_free(struct inode *inode, struct rnfs_file *rf)
{
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	unsigned int i;

	for (i = 0; i < fs->nr; i++) {
		if (!rf->lower[i])
			continue;
		if (S_ISREG(inode->i_mode) && rnfs_idle_put(inode, i, rf->lower[i]))
			continue;
		rnfs_fput_async(fs->replica[i], rf->lower[i]);
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

/*
 * Opening reaches the server at once on the active replica, as an NFS open
 * would: it checks access there, and refreshes the attributes so that a
 * file changed elsewhere is not read from stale pages (close-to-open).
 */
int rnfs_open(struct inode *inode, struct file *file)
{
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct rnfs_file *rf;
	struct rnfs_replica *r;
	struct rnfs_attr attr;
	struct file *lower;
	int ret;

	rf = kzalloc(sizeof(*rf), GFP_KERNEL);
	if (!rf)
		return -ENOMEM;
	mutex_init(&rf->lock);
	file->private_data = rf;
	learn_label(file);

	do {
		r = rnfs_active_wait(fs);
		if (IS_ERR(r)) {
			ret = PTR_ERR(r);
			break;
		}
		lower = rnfs_lower_file(file, r);
		ret = PTR_ERR_OR_ZERO(lower);
	} while (ret == -EAGAIN);
	if (ret)
		goto fail;
	fput(lower);

	if (S_ISREG(inode->i_mode)) {
		ret = rnfs_getattr_dentry(file->f_path.dentry, &attr, false);
		if (ret)
			goto fail;
		rnfs_inode_refresh(inode, &attr);
	}
	return 0;

fail:
	file->private_data = NULL;
	file_free(inode, rf);
	return ret;
}

int rnfs_release(struct inode *inode, struct file *file)
{
	file_free(inode, file->private_data);
	return 0;
}

const struct file_operations rnfs_file_fops = {
	.open		= rnfs_open,
	.release	= rnfs_release,
	.llseek		= generic_file_llseek,
	.read_iter	= generic_file_read_iter,
	.mmap		= generic_file_readonly_mmap,
	.splice_read	= generic_file_splice_read,
};
