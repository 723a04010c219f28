// SPDX-License-Identifier: GPL-2.0
/*
 * Directories.  A listing is read from the active replica a window at a
 * time: each window (RNFS_DIR_WINDOW bytes) holds the next entries, read
 * in one request, and getdents serves from it.  Positions are entry
 * numbers in the listing, never a server's cookies, so a failover in the
 * middle of a listing cannot mix two replicas' cookies: on the replica the
 * window came from, the next window starts at the NFS client's cookie
 * after its last entry; on another replica, it starts after the last
 * entry's name (both replicas list the same backing filesystem, in the
 * same order).  Memory per open directory is one window, whatever the
 * size of the directory.
 *
 * The directory is locked shared only (iterate_shared): a listing waiting
 * on a dead server holds up no lookup in the directory.  The window is
 * the open file's own, and getdents calls on one open file are serialized
 * by its position lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>

#include "rnfs.h"

/* A window: 32 KiB in all, of which 28 KiB of entries. */
#define RNFS_DIR_WINDOW		(32 * 1024)
#define RNFS_DIR_DATA		(28 * 1024)

struct rnfs_dirent {
	u64 ino;
	unsigned int type;
	unsigned int len;
	char name[];
};

/* The smallest entry: a one-byte name. */
#define DIRENT_MIN	ALIGN(sizeof(struct rnfs_dirent) + 2, 8)

struct rnfs_dir_window {
	loff_t base;			/* listing position of the first entry */
	unsigned int count;		/* entries */
	unsigned int used;		/* bytes of @data */
	unsigned int replica;		/* the replica it was read from */
	loff_t last_cookie;		/* there: where its last entry is */
	loff_t next_cookie;		/* there: where the next window starts */
	bool eof;			/* no entry after this window */
	u16 index[RNFS_DIR_DATA / DIRENT_MIN];	/* offset in @data */
	char data[RNFS_DIR_DATA];
};

static struct rnfs_dirent *window_entry(struct rnfs_dir_window *w,
					unsigned int i)
{
	return (struct rnfs_dirent *)(w->data + w->index[i]);
}

void rnfs_dirents_free(struct rnfs_dir_window *w)
{
	kvfree(w);
}

/*
 * How a window is read.  On the replica the last one came from, from the
 * NFS client's cookie after its last entry.  On another replica, after
 * the last entry's name: first at that entry's own cookie, which holds
 * when both servers serve one backing filesystem; if another entry is
 * there, by looking for the name from the start; and if the name is gone
 * (removed meanwhile), from the cookie after it.  From the start, after
 * a number of entries (rewinddir, seekdir back).
 */
enum readdir_mode {
	RD_COLLECT,			/* take entries into the window */
	RD_SKIP,			/* pass @skip entries, then collect */
	RD_VERIFY,			/* the first entry must be @after */
	RD_FIND,			/* pass entries up to @after */
};

struct readdir_req {
	struct rnfs_req req;
	struct dir_context ctx;
	struct rnfs_dir_window *w;
	bool revalidate;		/* changed through another replica */
	enum readdir_mode mode;
	bool stop;			/* window full, or not verified */
	bool seen;			/* an entry passed to the actor */
	loff_t skip;
	loff_t after_cookie, next_cookie;	/* of the previous window */
	unsigned int after_len;
	char after[NAME_MAX + 1];	/* its last entry */
};

static bool window_add(struct rnfs_dir_window *w, const char *name, int len,
		       loff_t offset, u64 ino, unsigned int type)
{
	unsigned int need = ALIGN(sizeof(struct rnfs_dirent) + len + 1, 8);
	struct rnfs_dirent *de;

	if (w->used + need > sizeof(w->data))
		return false;
	de = (struct rnfs_dirent *)(w->data + w->used);
	de->ino = ino;
	de->type = type;
	de->len = len;
	memcpy(de->name, name, len);
	de->name[len] = '\0';
	w->index[w->count++] = w->used;
	w->used += need;
	w->last_cookie = offset;
	return true;
}

static bool readdir_actor(struct dir_context *ctx, const char *name, int len,
			  loff_t offset, u64 ino, unsigned int type)
{
	struct readdir_req *rr = container_of(ctx, struct readdir_req, ctx);
	bool is_after = rr->after_len == len && !memcmp(rr->after, name, len);

	switch (rr->mode) {
	case RD_VERIFY:
		if (!is_after) {
			rr->stop = true;
			return false;
		}
		rr->mode = RD_COLLECT;
		break;
	case RD_FIND:
		if (is_after)
			rr->mode = RD_COLLECT;
		break;
	case RD_SKIP:
		if (!--rr->skip)
			rr->mode = RD_COLLECT;
		break;
	case RD_COLLECT:
		/* Full: the NFS client keeps its position on this entry. */
		if (!window_add(rr->w, name, len, offset, ino, type)) {
			rr->stop = true;
			return false;
		}
		break;
	}
	rr->seen = true;
	return true;
}

/*
 * Read entries from @cookie on until the window is full or none is left.
 * Under the lower file's position lock, as getdents would be: a request
 * given up on may still be reading the same lower file.
 */
static int readdir_fill(struct readdir_req *rr, loff_t cookie)
{
	struct file *lower = rr->req.file;
	struct rnfs_dir_window *w = rr->w;
	loff_t pos;
	int ret;

	mutex_lock(&lower->f_pos_lock);
	pos = vfs_llseek(lower, cookie, SEEK_SET);
	if (pos < 0) {
		mutex_unlock(&lower->f_pos_lock);
		return pos;
	}
	rr->stop = false;
	do {
		rr->seen = false;
		ret = rnfs_do_iterate(lower, &rr->ctx);
	} while (!ret && rr->seen && !rr->stop);
	w->eof = !ret && !rr->stop;
	w->next_cookie = lower->f_pos;
	mutex_unlock(&lower->f_pos_lock);
	return ret;
}

static int readdir_run(struct rnfs_req *req)
{
	struct readdir_req *rr = container_of(req, struct readdir_req, req);
	int ret;

	if (rr->revalidate) {
		struct rnfs_attr attr;

		/* The NFS client drops its copy if the directory changed. */
		ret = rnfs_do_getattr(&req->file->f_path, &attr,
				      AT_STATX_FORCE_SYNC);
		if (ret)
			return ret;
	}
	if (rr->mode == RD_SKIP && !rr->skip)
		rr->mode = RD_COLLECT;
	if (rr->mode == RD_COLLECT || rr->mode == RD_SKIP)
		return readdir_fill(rr, rr->next_cookie);
	ret = readdir_fill(rr, rr->after_cookie);
	if (ret || rr->mode == RD_COLLECT)
		return ret;
	rr->mode = RD_FIND;
	ret = readdir_fill(rr, 0);
	if (ret || rr->mode == RD_COLLECT)
		return ret;
	rr->mode = RD_COLLECT;
	return readdir_fill(rr, rr->next_cookie);
}

static void readdir_release(struct rnfs_req *req)
{
	struct readdir_req *rr = container_of(req, struct readdir_req, req);

	kvfree(rr->w);
	kfree(rr);
}

/* Where the window after @prev (or at @pos from the start) begins on @r. */
static void readdir_start(struct readdir_req *rr, struct rnfs_replica *r,
			  loff_t pos, struct rnfs_dir_window *prev)
{
	struct rnfs_dirent *last;

	if (!prev || !prev->count) {
		rr->mode = RD_SKIP;
		rr->skip = pos;
		return;
	}
	rr->next_cookie = prev->next_cookie;
	if (prev->replica == r->index) {
		rr->mode = RD_COLLECT;
		return;
	}
	last = window_entry(prev, prev->count - 1);
	strscpy(rr->after, last->name, sizeof(rr->after));
	rr->after_len = last->len;
	rr->after_cookie = prev->last_cookie;
	rr->mode = RD_VERIFY;
}

/*
 * Read the window of @file's directory that starts at listing position
 * @pos, from the active replica.  @prev, if not NULL, is the window just
 * before it.
 */
static struct rnfs_dir_window *window_read(struct file *file, loff_t pos,
					   struct rnfs_dir_window *prev)
{
	struct inode *inode = file_inode(file);
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct rnfs_dir_window *w = NULL;
	struct readdir_req *rr;
	struct rnfs_attempt a;
	unsigned int gen;

	BUILD_BUG_ON(sizeof(*w) > RNFS_DIR_WINDOW);
	rnfs_for_each_attempt(&a, fs, 0) {
		rr = rnfs_req_alloc(sizeof(*rr), readdir_run, readdir_release);
		if (!rr)
			return ERR_PTR(-ENOMEM);
		rr->ctx.actor = readdir_actor;
		/* The caller's to size: charged to its memory cgroup. */
		rr->w = kvmalloc(sizeof(*rr->w), GFP_KERNEL_ACCOUNT);
		if (!rr->w) {
			rnfs_req_put(&rr->req);
			return ERR_PTR(-ENOMEM);
		}
		rr->w->base = pos;
		rr->w->count = 0;
		rr->w->used = 0;
		rr->w->replica = a.r->index;
		readdir_start(rr, a.r, pos, prev);
		/* Changed through another replica: the NFS client's copy is old. */
		rr->revalidate = rnfs_inode_stale(inode, a.r, &gen);
		a.ret = rnfs_req_exec_file(&rr->req, file, a.r);
		if (!a.ret) {
			w = rr->w;
			rr->w = NULL;
			if (rr->revalidate)
				rnfs_inode_fresh(inode, a.r, gen);
		}
		rnfs_req_put(&rr->req);
	}
	return a.ret ? ERR_PTR(a.ret) : w;
}

static int rnfs_iterate(struct file *file, struct dir_context *ctx)
{
	struct rnfs_file *rf = file->private_data;
	struct rnfs_dir_window *w = rf->dirents, *next;

	/* From the start (rewinddir) the listing is read afresh. */
	if (ctx->pos <= 0 || !w || ctx->pos < w->base) {
		next = window_read(file, max_t(loff_t, ctx->pos, 0), NULL);
		if (IS_ERR(next))
			return PTR_ERR(next);
		rnfs_dirents_free(w);
		w = next;
		rf->dirents = w;
	}
	for (;;) {
		while (ctx->pos < w->base + w->count) {
			struct rnfs_dirent *de;

			de = window_entry(w, ctx->pos - w->base);

			if (!dir_emit(ctx, de->name, de->len, de->ino, de->type))
				return 0;
			ctx->pos++;
		}
		if (w->eof)
			return 0;
		next = window_read(file, w->base + w->count, w);
		if (IS_ERR(next))
			return PTR_ERR(next);
		rnfs_dirents_free(w);
		w = next;
		rf->dirents = w;
	}
}

const struct file_operations rnfs_dir_fops = {
	.open		= rnfs_open,
	.release	= rnfs_release,
	.llseek		= generic_file_llseek,
	.fsync		= noop_fsync,	/* NFS changes names synchronously */
	.read		= generic_read_dir,
	.iterate_shared	= rnfs_iterate,
};
