// SPDX-License-Identifier: GPL-2.0
/*
 * Directories.  Reading a directory from the start takes a snapshot of the
 * whole listing from the active replica, in one request; getdents then
 * serves from the snapshot, with positions that are indexes into it.  A
 * failover in the middle of a listing cannot mix two replicas' cookies:
 * an interrupted snapshot is simply taken again on the next replica.
 * The directory is locked shared only (iterate_shared): a listing waiting
 * on a dead server holds up no lookup in the directory.  The snapshot is
 * the open file's own, and getdents calls on one open file are serialized
 * by its position lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "rnfs.h"

struct rnfs_dirent_buf {
	unsigned int count;
	size_t used, size;		/* bytes of @data */
	u32 *index;			/* offset of each entry in @data */
	unsigned int index_size;
	char *data;
};

struct rnfs_dirent {
	u64 ino;
	unsigned int type;
	unsigned int len;
	char name[];
};

void rnfs_dirents_free(struct rnfs_dirent_buf *b)
{
	if (!b)
		return;
	kvfree(b->index);
	kvfree(b->data);
	kfree(b);
}

static int dirents_add(struct rnfs_dirent_buf *b, const char *name, int len,
		       u64 ino, unsigned int type)
{
	size_t need = ALIGN(sizeof(struct rnfs_dirent) + len + 1, 8);
	struct rnfs_dirent *de;

	if (b->used + need > b->size) {
		size_t size = max_t(size_t, 2 * b->size, 16384);
		char *data = kvrealloc(b->data, b->size, size, GFP_KERNEL);

		if (!data)
			return -ENOMEM;
		b->data = data;
		b->size = size;
	}
	if (b->count == b->index_size) {
		unsigned int n = max(2 * b->index_size, 256U);
		u32 *index = kvrealloc(b->index, b->index_size * sizeof(u32),
				       n * sizeof(u32), GFP_KERNEL);

		if (!index)
			return -ENOMEM;
		b->index = index;
		b->index_size = n;
	}
	de = (struct rnfs_dirent *)(b->data + b->used);
	de->ino = ino;
	de->type = type;
	de->len = len;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	b->index[b->count++] = b->used;
	b->used += need;
	return 0;
}

struct readdir_req {
	struct rnfs_req req;
	struct dir_context ctx;
	struct rnfs_dirent_buf *buf;
	bool revalidate;		/* changed through another replica */
	int error;
};

static bool readdir_actor(struct dir_context *ctx, const char *name, int len,
			  loff_t offset, u64 ino, unsigned int type)
{
	struct readdir_req *rr = container_of(ctx, struct readdir_req, ctx);

	rr->error = dirents_add(rr->buf, name, len, ino, type);
	return !rr->error;
}

static int readdir_run(struct rnfs_req *req)
{
	struct readdir_req *rr = container_of(req, struct readdir_req, req);
	unsigned int before;
	loff_t pos;
	int ret;

	if (rr->revalidate) {
		struct rnfs_attr attr;

		/* The NFS client drops its copy if the directory changed. */
		ret = rnfs_do_getattr(&req->file->f_path, &attr,
				      AT_STATX_FORCE_SYNC);
		if (ret)
			return ret;
	}
	pos = vfs_llseek(req->file, 0, SEEK_SET);
	if (pos < 0)
		return pos;
	do {
		before = rr->buf->count;
		ret = rnfs_do_iterate(req->file, &rr->ctx);
		if (!ret)
			ret = rr->error;
	} while (!ret && rr->buf->count != before);
	return ret;
}

static void readdir_release(struct rnfs_req *req)
{
	struct readdir_req *rr = container_of(req, struct readdir_req, req);

	rnfs_dirents_free(rr->buf);
	kfree(rr);
}

/* A fresh snapshot of @file's directory, from the active replica. */
static struct rnfs_dirent_buf *snapshot(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct rnfs_dirent_buf *buf = NULL;
	struct readdir_req *rr;
	struct rnfs_attempt a;
	unsigned int gen;

	rnfs_for_each_attempt(&a, fs, 0) {
		rr = rnfs_req_alloc(sizeof(*rr), readdir_run, readdir_release);
		if (!rr)
			return ERR_PTR(-ENOMEM);
		rr->ctx.actor = readdir_actor;
		rr->revalidate = rnfs_inode_stale(inode, a.r, &gen);
		rr->buf = kzalloc(sizeof(*rr->buf), GFP_KERNEL);
		if (!rr->buf) {
			rnfs_req_put(&rr->req);
			return ERR_PTR(-ENOMEM);
		}
		a.ret = rnfs_req_exec_file(&rr->req, file, a.r);
		if (!a.ret) {
			buf = rr->buf;
			rr->buf = NULL;
			if (rr->revalidate)
				rnfs_inode_fresh(inode, a.r, gen);
		}
		rnfs_req_put(&rr->req);
	}
	return a.ret ? ERR_PTR(a.ret) : buf;
}

static int rnfs_iterate(struct file *file, struct dir_context *ctx)
{
	struct rnfs_file *rf = file->private_data;
	struct rnfs_dirent_buf *b;

	if (ctx->pos == 0 || !rf->dirents) {
		b = snapshot(file);
		if (IS_ERR(b))
			return PTR_ERR(b);
		rnfs_dirents_free(rf->dirents);
		rf->dirents = b;
	}
	b = rf->dirents;
	while (ctx->pos >= 0 && ctx->pos < b->count) {
		struct rnfs_dirent *de;

		de = (struct rnfs_dirent *)(b->data + b->index[ctx->pos]);
		if (!dir_emit(ctx, de->name, de->len, de->ino, de->type))
			break;
		ctx->pos++;
	}
	return 0;
}

const struct file_operations rnfs_dir_fops = {
	.open		= rnfs_open,
	.release	= rnfs_release,
	.llseek		= generic_file_llseek,
	.fsync		= noop_fsync,	/* NFS changes names synchronously */
	.read		= generic_read_dir,
	.iterate_shared	= rnfs_iterate,
};
