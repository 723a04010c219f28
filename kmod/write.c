// SPDX-License-Identifier: GPL-2.0
/*
 * The write path (DESIGN.md, invariant 4): writes land in rnfs's own page
 * cache, and writeback sends dirty pages to the active replica as direct
 * writes, which the NFS client acknowledges only once they are committed
 * (rnfs_do_write()).  So a page is clean only when a replica has committed
 * it, and fsync, close and O_SYNC writes return once it is.
 *
 * A write request sends the page cache's own pages, holding a reference
 * to each, so that a request abandoned on a dead replica, which may run
 * long after, still has the memory it reads; it never touches the folios
 * otherwise (no lock, no flags).  The folios stay under writeback until a
 * replica has taken the data; when the replica in use fails, the same
 * pages are sent again to the next one: writes are positional, so sending
 * one twice is harmless.  Should the abandoned request still reach its
 * server after writeback ended, it writes what the pages hold then, no
 * older than what a copy taken earlier would have held.
 *
 * Writeback needs a lower file open for writing on whichever replica is
 * active.  The inode owns them (ri->wb_lower), so writeback never depends
 * on an upper file still being open: a writer's own lower file is shared
 * with the inode when it opens one, and on a replica where none is open
 * yet (after a failover, or once every writer closed) writeback opens the
 * file by filehandle with the credentials of its last writer.  They are
 * closed when the last writer closes and the pages are clean, or when the
 * inode goes.  A dirty page is clean only once a replica has committed
 * it; nothing else cleans one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mempool.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/writeback.h>

#include "rnfs.h"

/*
 * The NFS client commits a direct write as a whole (one COMMIT after its
 * WRITEs, each a wsize long): a request of several wsizes shares one.
 * A request keeps its pages until it is done, so its size is in bytes: as
 * many wsizes as fit (at least one).
 */
#define RNFS_WRITE_BYTES	(4 << 20)	/* per request */
/*
 * In flight per writepages call: four full requests' worth of pages, or
 * as many small requests (scattered pages: one each) up to a bound, so
 * that an fsync of random writes waits for one round trip, not many.
 */
#define RNFS_WRITES_FULL_IN_FLIGHT	4
#define RNFS_WRITES_MAX_IN_FLIGHT	32

/*
 * Writeback is what reclaim waits for, so it must go on when memory is
 * short.  A request is taken from the slab, without retrying reclaim;
 * failing that, from a reserve of RNFS_WB_RESERVE requests of
 * RNFS_WB_RESERVE_PAGES pages, which requests give back as they end.
 * Batches (below) come from a reserve of their own.  A writeback waits
 * for the reserve only while it holds none of it and no folio locked
 * (spare_refill()), or else it would wait for slots only it can give
 * back, or that another writeback holds while it waits for that folio.
 * For the same reason a request from the
 * reserve given up on is kept in doubt (fence.c) as a copy from the
 * allocator: its slot comes back at the tick after its worker is done.
 */
#define RNFS_WB_RESERVE		16
#define RNFS_WB_RESERVE_PAGES	16

static mempool_t *wb_req_reserve;
static mempool_t *wb_batch_reserve;

static bool wb_reserve_only;
module_param(wb_reserve_only, bool, 0644);
MODULE_PARM_DESC(wb_reserve_only,
		 "for tests: writeback takes every request from its reserve");

/* The reserves' own allocator: none but the reserve with wb_reserve_only. */
static void *reserve_alloc(gfp_t gfp, void *size)
{
	if (READ_ONCE(wb_reserve_only))
		return NULL;
	return kmalloc((size_t)size, gfp);
}

static int write_run(struct rnfs_req *req)
{
	struct rnfs_write_req *wr = container_of(req, struct rnfs_write_req, req);
	size_t done = 0;
	ssize_t n;

	while (done < wr->len) {
		n = rnfs_do_write(req->file, wr->bvec, wr->nr, wr->len, done,
				  wr->pos + done);
		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		done += n;
	}
	return 0;
}

static void write_release(struct rnfs_req *req)
{
	struct rnfs_write_req *wr = container_of(req, struct rnfs_write_req, req);
	unsigned int i;

	for (i = 0; i < wr->nr; i++)
		if (wr->bvec[i].bv_page)
			put_page(wr->bvec[i].bv_page);
	if (wr->orig)
		rnfs_req_put(&wr->orig->req);
	if (wr->reserve)
		mempool_free(wr, wb_req_reserve);
	else
		kvfree(wr);
}

/*
 * A write request with room for @want pages, or for fewer, down to @need,
 * from the reserve, which it waits for if @wait (GFP_NOFS), not
 * otherwise (GFP_NOWAIT); NULL if @need is more than a reserve request
 * holds, or if the reserve is empty and not waited for.
 */
static struct rnfs_write_req *write_alloc(unsigned int want, unsigned int need,
					  gfp_t wait)
{
	struct rnfs_write_req *wr = NULL;

	/* GFP_KERNEL in writeback's memalloc_nofs scope: no FS reclaim. */
	if (!READ_ONCE(wb_reserve_only))
		wr = kvzalloc(struct_size(wr, bvec, want),
			      GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	if (wr) {
		wr->cap = want;
	} else {
		if (need > RNFS_WB_RESERVE_PAGES)
			return NULL;
		wr = mempool_alloc(wb_req_reserve, wait);
		if (!wr)
			return NULL;
		memset(wr, 0, struct_size(wr, bvec, RNFS_WB_RESERVE_PAGES));
		wr->reserve = true;
		wr->cap = min_t(unsigned int, want, RNFS_WB_RESERVE_PAGES);
	}
	rnfs_req_init(&wr->req, write_run, write_release);
	/* Done only once its RPCs are: fence.c counts on it. */
	wr->req.unkillable = true;
	return wr;
}

/* @wr, new, takes the range and pages of @old, with references of its own. */
static void write_take_pages(struct rnfs_write_req *wr,
			     const struct rnfs_write_req *old)
{
	unsigned int i;

	wr->pos = old->pos;
	wr->len = old->len;
	wr->nr = old->nr;
	for (i = 0; i < old->nr; i++) {
		wr->bvec[i] = old->bvec[i];
		get_page(wr->bvec[i].bv_page);
	}
}

/*
 * A new request for the same data as @old, to send to another replica;
 * the reserve is not waited for: the caller holds requests.
 */
static struct rnfs_write_req *write_clone(struct rnfs_write_req *old)
{
	struct rnfs_write_req *wr = write_alloc(old->nr, old->nr, GFP_NOWAIT);

	if (wr)
		write_take_pages(wr, old);
	return wr;
}

/*
 * A copy of @old, a request from the reserve given up on, to keep in
 * doubt in its place (fence.c); from the allocator only, which may have
 * nothing (wb_reserve_only is for requests that write, not for this).
 */
struct rnfs_write_req *rnfs_write_copy(struct rnfs_write_req *old)
{
	struct rnfs_write_req *wr;

	wr = kzalloc(struct_size(wr, bvec, old->nr),
		     GFP_NOFS | __GFP_NORETRY | __GFP_NOWARN);
	if (!wr)
		return NULL;
	rnfs_req_init(&wr->req, write_run, write_release);
	wr->cap = old->nr;
	write_take_pages(wr, old);
	wr->copy = true;
	return wr;
}

/* A new writer of @inode: writeback takes its credentials from now on. */
void rnfs_wb_writer(struct inode *inode, const struct cred *cred)
{
	struct rnfs_inode *ri = RNFS_I(inode);
	const struct cred *old;

	get_cred(cred);
	spin_lock(&inode->i_lock);
	old = ri->wb_cred;
	ri->wb_cred = cred;
	spin_unlock(&inode->i_lock);
	if (old)
		put_cred(old);
}

/* A writer opened @lower on @r: writeback may use it, if it has none. */
void rnfs_wb_share(struct inode *inode, struct rnfs_replica *r,
		   struct rnfs_lfile *lower)
{
	struct rnfs_inode *ri = RNFS_I(inode);

	mutex_lock(&ri->wb_lock);
	if (!ri->wb_lower[r->index])
		ri->wb_lower[r->index] = rnfs_lfile_get(lower);
	mutex_unlock(&ri->wb_lock);
}

/*
 * Writeback moved to @r: let go of the lower files on replicas declared
 * down, as lowerfile.c does for open files.  Under wb_lock.
 */
static void wb_drop_failed(struct inode *inode, struct rnfs_replica *r)
{
	struct rnfs_inode *ri = RNFS_I(inode);
	struct rnfs_fs *fs = r->fs;
	unsigned int i;

	for (i = 0; i < fs->nr; i++) {
		if (i == r->index || !ri->wb_lower[i] ||
		    READ_ONCE(fs->replica[i]->state) == RNFS_REPLICA_UP)
			continue;
		rnfs_lfile_put(ri->wb_lower[i]);
		ri->wb_lower[i] = NULL;
	}
}

/*
 * Whose credentials writeback opens a lower file with: a writer's still
 * open, who may write the file now, else the last writer's.
 */
const struct cred *rnfs_wb_opener(struct inode *inode)
{
	struct rnfs_inode *ri = RNFS_I(inode);
	const struct cred *cred = NULL;
	struct rnfs_file *rf;

	spin_lock(&inode->i_lock);
	rf = list_first_entry_or_null(&ri->writers, struct rnfs_file, writer);
	if (rf)
		cred = get_cred(rf->file->f_cred);
	else if (ri->wb_cred)
		cred = get_cred(ri->wb_cred);
	spin_unlock(&inode->i_lock);
	return cred;
}

/* @inode's lower file for writeback on @r, referenced; -RNFS_ERETRY: @r failed. */
static struct rnfs_lfile *wb_lower(struct inode *inode,
				   struct rnfs_replica *r)
{
	struct rnfs_inode *ri = RNFS_I(inode);
	const struct cred *cred;
	struct rnfs_lfile *lower;

	if (mutex_lock_killable(&ri->wb_lock))
		return ERR_PTR(-EINTR);
	lower = ri->wb_lower[r->index];
	if (!lower) {
		cred = rnfs_wb_opener(inode);
		/* Pages are dirtied only through files open for writing. */
		lower = cred ? rnfs_lower_open_inode(inode, r, cred,
						     O_WRONLY | O_DIRECT |
						     O_LARGEFILE) :
			       ERR_PTR(-EBADF);
		if (cred)
			put_cred(cred);
		if (!IS_ERR(lower))
			ri->wb_lower[r->index] = lower;
	}
	if (!IS_ERR(lower)) {
		rnfs_lfile_get(lower);
		wb_drop_failed(inode, r);
	}
	mutex_unlock(&ri->wb_lock);
	return lower;
}

/*
 * A chmod through rnfs is about to take write permission away, perhaps
 * from the writer itself: a replica opens a file for writing only for
 * users allowed to write it, so writeback gets its lower files on every
 * replica now, while they can be opened, for the pages this client has
 * yet to write (with plain NFS, the open made before the chmod serves).
 */
void rnfs_wb_prepare(struct inode *inode)
{
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct rnfs_lfile *lower;
	unsigned int i;

	if (!S_ISREG(inode->i_mode) || !rnfs_inode_writing(inode))
		return;
	for (i = 0; i < fs->nr; i++) {
		if (READ_ONCE(fs->replica[i]->state) != RNFS_REPLICA_UP)
			continue;
		lower = wb_lower(inode, fs->replica[i]);
		if (!IS_ERR(lower))
			rnfs_lfile_put(lower);
	}
}

/*
 * Writing done, or the inode going (@wait false): if no writer is left
 * and no page is dirty or under writeback, close writeback's lower
 * files.  A last writer's release writes back first.
 */
int rnfs_wb_done(struct inode *inode, bool wait)
{
	struct address_space *mapping = inode->i_mapping;
	struct rnfs_inode *ri = RNFS_I(inode);
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct rnfs_lfile *files[RNFS_MAX_REPLICAS];
	bool busy;
	unsigned int i;
	int ret = 0;

	if (wait && list_empty(&ri->writers)) {
		ret = filemap_write_and_wait(mapping);
		rnfs_inode_learn_pending(inode);
	}
	mutex_lock(&ri->wb_lock);
	spin_lock(&inode->i_lock);
	busy = rnfs_inode_writing(inode);
	spin_unlock(&inode->i_lock);
	for (i = 0; i < fs->nr; i++) {
		files[i] = busy ? NULL : ri->wb_lower[i];
		if (!busy)
			ri->wb_lower[i] = NULL;
	}
	mutex_unlock(&ri->wb_lock);
	rnfs_lfile_put_all(fs, files, wait);
	return ret;
}

/* Send @wr with @inode's lower file on the active replica; no waiting. */
static int write_send(struct rnfs_write_req *wr, struct inode *inode)
{
	struct rnfs_attempt a;
	struct rnfs_lfile *lower;

	rnfs_for_each_attempt(&a, RNFS_FS(inode->i_sb), 0) {
		lower = wb_lower(inode, a.r);
		a.ret = PTR_ERR_OR_ZERO(lower);
	}
	if (a.ret)
		return a.ret;
	rnfs_req_set_lfile(&wr->req, lower);
	rnfs_req_submit(&wr->req, a.r, wr->req.file->f_cred);
	return 0;
}

/*
 * *@wrp was abandoned on a replica that failed: replace it with a new
 * request for the same data, sent to the active one.  The old one is in
 * doubt until that replica answers again (fence.c).
 */
static int write_resend(struct rnfs_write_req **wrp, struct inode *inode)
{
	struct rnfs_write_req *again = write_clone(*wrp);
	int ret;

	if (!again)
		return -ENOMEM;
	ret = write_send(again, inode);
	if (ret) {			/* never sent: *@wrp stays */
		rnfs_req_put(&again->req);
		return ret;
	}
	rnfs_doubt_add(*wrp, inode);
	*wrp = again;
	return 0;
}

/* Did @wr's replica fail while @wr was out?  It is then to be sent again. */
static bool write_abandoned(struct rnfs_write_req *wr)
{
	return READ_ONCE(wr->req.replica->gen) != wr->req.gen &&
	       !completion_done(&wr->req.done);
}

/*
 * A run of consecutive folios under writeback, each referenced, and
 * their request: the request's pages are the folios' pages, in order.
 */
struct wb_batch {
	struct list_head node;
	struct rnfs_write_req *wr;
};

struct wb_ctx {
	struct inode *inode;
	unsigned int max_pages;		/* per request, if memory allows */
	struct wb_batch *cur;		/* being filled */
	struct wb_batch *spare;		/* for when memory is short */
	struct list_head sent;
	unsigned int nr_sent;		/* requests */
	unsigned int pages_sent;
	bool wrote;			/* a batch was committed */
	int error;
};

/*
 * The batch's folios are written (@error 0) or not: end their writeback.
 * Folios not written are dirtied again when writing may be tried again
 * (a signal, no memory), and dropped with the error recorded for fsync
 * and close otherwise, as the NFS client does.
 */
static void batch_end(struct wb_ctx *ctx, struct wb_batch *b, int error)
{
	struct address_space *mapping = ctx->inode->i_mapping;
	bool again = error == -EINTR || error == -ENOMEM;
	struct folio *folio, *prev = NULL;
	unsigned int i;

	for (i = 0; i < b->wr->nr; i++, prev = folio) {
		folio = page_folio(b->wr->bvec[i].bv_page);
		if (folio == prev)
			continue;
		if (again)
			filemap_dirty_folio(mapping, folio);
		folio_end_writeback(folio);
		folio_put(folio);
	}
	if (error && !again) {
		mapping_set_error(mapping, error);
		pr_warn_ratelimited("%s: writing inode %lu failed: error %d\n",
				    rnfs_fs_label(RNFS_FS(ctx->inode->i_sb)),
				    ctx->inode->i_ino, error);
	}
	/* Given up on and still out: it may land late (fence.c). */
	if (b->wr->req.replica && write_abandoned(b->wr))
		rnfs_doubt_add(b->wr, ctx->inode);
	else
		rnfs_req_put(&b->wr->req);
	mempool_free(b, wb_batch_reserve);
}

/*
 * Wait until a replica has committed @b's data, sending it again to the
 * next replica as replicas fail; then every other batch out on the failed
 * replica goes again at once, rather than each after the one before it.
 */
static int batch_commit(struct wb_ctx *ctx, struct wb_batch *b)
{
	struct wb_batch *other;
	int ret;

	for (;;) {
		ret = rnfs_req_wait(&b->wr->req);
		if (ret != -RNFS_ERETRY)
			return ret;
		ret = write_resend(&b->wr, ctx->inode);
		if (ret)
			return ret;
		list_for_each_entry(other, &ctx->sent, node) {
			if (write_abandoned(other->wr) &&
			    write_resend(&other->wr, ctx->inode))
				break;	/* its own wait tries again */
		}
	}
}

static void batch_wait(struct wb_ctx *ctx, struct wb_batch *b)
{
	int ret;

	list_del(&b->node);
	ctx->nr_sent--;
	ctx->pages_sent -= b->wr->nr;
	ret = batch_commit(ctx, b);
	if (!ret) {
		rnfs_inode_changed(ctx->inode, b->wr->req.replica);
		ctx->wrote = true;
	} else if (!ctx->error) {
		ctx->error = ret;
	}
	batch_end(ctx, b, ret);
}

/* Send @b, without waiting. */
static void batch_out(struct wb_ctx *ctx, struct wb_batch *b)
{
	int ret = ctx->error ?: write_send(b->wr, ctx->inode);

	if (ret) {
		if (!ctx->error)
			ctx->error = ret;
		batch_end(ctx, b, ret);
		return;
	}
	list_add_tail(&b->node, &ctx->sent);
	ctx->nr_sent++;
	ctx->pages_sent += b->wr->nr;
}

/* Send @b, keeping at most a few batches in flight. */
static void batch_send(struct wb_ctx *ctx, struct wb_batch *b)
{
	batch_out(ctx, b);
	while (ctx->nr_sent >= RNFS_WRITES_MAX_IN_FLIGHT ||
	       ctx->pages_sent >= RNFS_WRITES_FULL_IN_FLIGHT * ctx->max_pages)
		batch_wait(ctx, list_first_entry(&ctx->sent, struct wb_batch,
						 node));
}

/*
 * Pages a batch at @pos may take: a request's worth, but no more than the
 * file has from @pos on (dirty pages are inside i_size), so that a small
 * file's writeback asks for a small allocation, not an order-3 one that
 * falls back to vmalloc when memory is fragmented.  A file that grows
 * meanwhile only takes one request more.
 */
static unsigned int batch_room(struct wb_ctx *ctx, loff_t pos,
			       unsigned int pages)
{
	loff_t size = i_size_read(ctx->inode);
	u64 left = size > pos ? DIV_ROUND_UP_ULL(size - pos, PAGE_SIZE) : 1;

	return max_t(u64, pages, min_t(u64, ctx->max_pages, left));
}

/*
 * A batch with room for @want pages, or for fewer, down to @need, the
 * reserves waited for if @wait (GFP_NOFS) and not if GFP_NOWAIT.  NULL if
 * they are not waited for and empty, or if @need is more than a reserve
 * request holds (rnfs has no large folios).
 */
static struct wb_batch *batch_alloc(unsigned int want, unsigned int need,
				    gfp_t wait)
{
	struct wb_batch *b = mempool_alloc(wb_batch_reserve, wait);

	if (!b)
		return NULL;
	b->wr = write_alloc(want, need, wait);
	if (!b->wr) {
		mempool_free(b, wb_batch_reserve);
		return NULL;
	}
	return b;
}

/* A batch never sent: back to where it came from. */
static void batch_free(struct wb_batch *b)
{
	rnfs_req_put(&b->wr->req);
	mempool_free(b, wb_batch_reserve);
}

/* A batch starting with a folio of @pages pages at @pos, not waited for. */
static struct wb_batch *batch_new(struct wb_ctx *ctx, loff_t pos,
				  unsigned int pages)
{
	struct wb_batch *b = batch_alloc(batch_room(ctx, pos, pages), pages,
					 GFP_NOWAIT);

	if (b)
		b->wr->pos = pos;
	return b;
}

/*
 * Keep a batch for the next folio, in case memory is short then: a
 * folio is locked while it is added to a batch, and a writeback that
 * waited for the reserve with one locked could wait for another that
 * needs that folio and holds the reserve (its batches sent, waiting to be
 * waited for).  So the reserve is waited for here, with no folio locked,
 * once this call's own batches have ended: no writeback waits for it, and
 * it holds at most the batch it took before waiting for its request
 * (nothing waits for a batch holding a request).  With the reserve
 * contended, requests are then one folio each: slow, but they end.
 */
static void spare_refill(struct wb_ctx *ctx)
{
	ctx->spare = batch_alloc(RNFS_WB_RESERVE_PAGES, 1, GFP_NOWAIT);
	if (ctx->spare)
		return;
	if (ctx->cur) {
		batch_out(ctx, ctx->cur);
		ctx->cur = NULL;
	}
	while (!list_empty(&ctx->sent))
		batch_wait(ctx, list_first_entry(&ctx->sent, struct wb_batch,
						 node));
	ctx->spare = batch_alloc(RNFS_WB_RESERVE_PAGES, 1, GFP_NOFS);
}

/* Does a folio of @pages pages at @pos continue @b? */
static bool batch_fits(struct wb_batch *b, loff_t pos, unsigned int pages)
{
	struct rnfs_write_req *wr = b->wr;

	return wr->pos + wr->len == pos && !(wr->len & ~PAGE_MASK) &&
	       wr->nr + pages <= wr->cap;
}

/* Add the first @len bytes of @folio's pages to the end of @b. */
static void batch_add(struct wb_batch *b, struct folio *folio, size_t len)
{
	struct rnfs_write_req *wr = b->wr;
	size_t off;

	for (off = 0; off < len; off += PAGE_SIZE) {
		struct page *page = folio_page(folio, off >> PAGE_SHIFT);

		get_page(page);		/* the request's, put by write_release() */
		wr->bvec[wr->nr].bv_page = page;
		wr->bvec[wr->nr].bv_offset = 0;
		wr->bvec[wr->nr].bv_len = min_t(size_t, PAGE_SIZE, len - off);
		wr->len += wr->bvec[wr->nr].bv_len;
		wr->nr++;
	}
}

/*
 * write_cache_pages() hands over each dirty folio locked, its dirty bit
 * moved to us.  A full batch is sent only once this folio is unlocked.
 */
static int wb_folio(struct folio *folio, struct writeback_control *wbc,
		    void *data)
{
	struct wb_ctx *ctx = data;
	loff_t size = i_size_read(ctx->inode), pos = folio_pos(folio);
	struct wb_batch *full = NULL;
	int ret = 0;

	if (pos >= size) {		/* truncated meanwhile */
		folio_unlock(folio);
		return 0;
	}
	if (ctx->cur && !batch_fits(ctx->cur, pos, folio_nr_pages(folio))) {
		full = ctx->cur;
		ctx->cur = NULL;
	}
	if (!ctx->cur)
		ctx->cur = batch_new(ctx, pos, folio_nr_pages(folio));
	if (!ctx->cur && ctx->spare &&
	    folio_nr_pages(folio) <= ctx->spare->wr->cap) {
		/* Memory is short: the batch kept for this. */
		ctx->cur = ctx->spare;
		ctx->spare = NULL;
		ctx->cur->wr->pos = pos;
	}
	if (ctx->cur)
		batch_add(ctx->cur, folio,
			  min_t(loff_t, folio_size(folio), size - pos));
	else
		ret = -ENOMEM;
	if (ret) {
		folio_redirty_for_writepage(wbc, folio);
	} else {
		folio_get(folio);
		folio_start_writeback(folio);
	}
	folio_unlock(folio);
	if (full)
		batch_send(ctx, full);
	if (!ctx->spare)
		spare_refill(ctx);
	return ret;
}

/* Write back @mapping's dirty pages with the inode's lower files. */
int rnfs_writepages(struct address_space *mapping,
		    struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct wb_ctx ctx = { .inode = inode };
	struct rnfs_replica *r;
	unsigned int nofs;
	int ret;

	/* The inode is dirty for its times alone: nothing to send. */
	if (!mapping_tagged(mapping, PAGECACHE_TAG_DIRTY))
		return 0;
	/* Reclaim must not come back into filesystems from here. */
	nofs = memalloc_nofs_save();
	INIT_LIST_HEAD(&ctx.sent);
	spare_refill(&ctx);
	/* Busy until the change attribute our writes left is known. */
	atomic_inc(&RNFS_I(inode)->settling);
	r = READ_ONCE(RNFS_FS(inode->i_sb)->active) ?:
		RNFS_FS(inode->i_sb)->replica[0];
	ctx.max_pages = 1;
	if (smp_load_acquire(&r->mnt)) {	/* pairs with probe_run() */
		unsigned int wsize = max_t(unsigned int, PAGE_SIZE,
					   rnfs_lower_wsize(r->mnt));

		ctx.max_pages = (wsize >> PAGE_SHIFT) *
				max_t(unsigned int, 1, RNFS_WRITE_BYTES / wsize);
	}

	ret = write_cache_pages(mapping, wbc, wb_folio, &ctx);
	if (ctx.spare)
		batch_free(ctx.spare);
	if (ctx.cur)
		batch_out(&ctx, ctx.cur);
	while (!list_empty(&ctx.sent))
		batch_wait(&ctx, list_first_entry(&ctx.sent, struct wb_batch,
						  node));
	if (ctx.wrote)
		rnfs_inode_learn_change(inode);
	atomic_dec(&RNFS_I(inode)->settling);
	memalloc_nofs_restore(nofs);
	return ret ?: ctx.error;
}

/*
 * A write into the page cache.  A folio the write does not cover whole is
 * read first, unless it lies past the end of the file.
 */
int rnfs_write_begin(struct file *file, struct address_space *mapping,
		     loff_t pos, unsigned int len, struct folio **foliop,
		     void **fsdata)
{
	struct folio *folio;
	int ret;

	folio = __filemap_get_folio(mapping, pos >> PAGE_SHIFT, FGP_WRITEBEGIN,
				    mapping_gfp_mask(mapping));
	if (IS_ERR(folio))
		return PTR_ERR(folio);
	if (!folio_test_uptodate(folio) && len != folio_size(folio)) {
		if (folio_pos(folio) >= i_size_read(mapping->host)) {
			size_t from = offset_in_folio(folio, pos);

			folio_zero_segments(folio, 0, from, from + len,
					    folio_size(folio));
		} else {
			ret = rnfs_fill_folio(file, folio);
			if (ret) {
				folio_unlock(folio);
				folio_put(folio);
				return ret;
			}
		}
	}
	*foliop = folio;
	return 0;
}

int rnfs_write_end(struct file *file, struct address_space *mapping,
		   loff_t pos, unsigned int len, unsigned int copied,
		   struct folio *folio, void *fsdata)
{
	struct inode *inode = mapping->host;

	if (!folio_test_uptodate(folio)) {
		/*
		 * A folio not read: a short copy over all of it leaves
		 * nothing to trust (the caller tries again); past the end of
		 * the file, write_begin zeroed what the write does not cover.
		 */
		if (copied < len && len == folio_size(folio)) {
			copied = 0;
			goto out;
		}
		if (copied < len)
			folio_zero_range(folio, offset_in_folio(folio, pos) +
					 copied, len - copied);
		folio_mark_uptodate(folio);
	}
	/*
	 * Dirty before the size grows: an attribute refresh that sees no
	 * dirty page may shrink the size to the server's (inode.c).
	 */
	if (copied)
		folio_mark_dirty(folio);
	if (pos + copied > i_size_read(inode))
		i_size_write(inode, pos + copied);
out:
	folio_unlock(folio);
	folio_put(folio);
	return copied;
}

int rnfs_write_init(void)
{
	size_t size = struct_size((struct rnfs_write_req *)NULL, bvec,
				  RNFS_WB_RESERVE_PAGES);

	wb_req_reserve = mempool_create(RNFS_WB_RESERVE, reserve_alloc,
					mempool_kfree, (void *)size);
	if (!wb_req_reserve)
		return -ENOMEM;
	wb_batch_reserve = mempool_create(RNFS_WB_RESERVE, reserve_alloc,
					  mempool_kfree,
					  (void *)sizeof(struct wb_batch));
	if (!wb_batch_reserve) {
		mempool_destroy(wb_req_reserve);
		return -ENOMEM;
	}
	return 0;
}

void rnfs_write_exit(void)
{
	mempool_destroy(wb_batch_reserve);
	mempool_destroy(wb_req_reserve);
}
