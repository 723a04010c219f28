// SPDX-License-Identifier: GPL-2.0
/*
 * rnfs's own page cache (DESIGN.md, invariant 2).  Pages belong to the
 * upper inode, so a mapping (a running program's text) outlives any lower
 * file: after a failover, a page fault reads from the new replica.
 *
 * Lower reads are direct I/O into pages the request owns; the data is copied
 * into the page cache only if the request finishes in time.  A request
 * abandoned on a dead replica may write its pages long after, and they
 * must never be page cache pages by then.
 *
 * read_folio waits for its request, like every other operation.
 * Readahead does not: it sends the window, one request per lower rsize,
 * and returns, so the reader consumes one window while the next is on the
 * wire.  A watchdog holds each request to the same deadline as a waiting
 * caller would; when it expires the folios are unlocked !uptodate, and
 * whoever needs them reads them again through read_folio, on the next
 * replica.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bvec.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/writeback.h>

#include "rnfs.h"

struct read_req {
	struct rnfs_req req;
	loff_t pos;
	size_t len;
	size_t done;			/* bytes read; the rest is past EOF */
	/* Readahead only: the locked folios, and who gets to unlock them. */
	struct folio **folios;
	unsigned int nr_folios;
	atomic_t claimed;
	struct delayed_work watchdog;
	unsigned int nr;
	struct bio_vec bvec[];
};

static int read_run(struct rnfs_req *req)
{
	struct read_req *rr = container_of(req, struct read_req, req);
	ssize_t n;

	while (rr->done < rr->len) {
		n = rnfs_do_read(req->file, rr->bvec, rr->nr, rr->len, rr->done,
				 rr->pos + rr->done);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		rr->done += n;
	}
	return 0;
}

static void read_release(struct rnfs_req *req)
{
	struct read_req *rr = container_of(req, struct read_req, req);
	unsigned int i;

	for (i = 0; i < rr->nr; i++)
		if (rr->bvec[i].bv_page)
			__free_page(rr->bvec[i].bv_page);
	kfree(rr->folios);
	kfree(rr);
}

static struct read_req *read_alloc(loff_t pos, size_t len)
{
	unsigned int nr = DIV_ROUND_UP(len, PAGE_SIZE), i;
	struct read_req *rr;

	rr = rnfs_req_alloc(struct_size(rr, bvec, nr), read_run, read_release);
	if (!rr)
		return NULL;
	rr->pos = pos;
	rr->len = len;
	rr->nr = nr;
	for (i = 0; i < nr; i++) {
		struct page *page = alloc_page(GFP_KERNEL);

		if (!page) {
			rnfs_req_put(&rr->req);
			return NULL;
		}
		rr->bvec[i].bv_page = page;
		rr->bvec[i].bv_len = PAGE_SIZE;
		rr->bvec[i].bv_offset = 0;
	}
	return rr;
}

/*
 * Read @len bytes at @pos of @file's data from the active replica, moving
 * to the next one as replicas fail.  Returns the finished request.
 */
static struct read_req *read_range(struct file *file, loff_t pos, size_t len)
{
	struct rnfs_fs *fs = RNFS_FS(file_inode(file)->i_sb);
	struct read_req *rr;
	struct rnfs_attempt a;

	rnfs_for_each_attempt(&a, fs, 0) {
		rr = read_alloc(pos, len);
		if (!rr)
			return ERR_PTR(-ENOMEM);
		a.ret = rnfs_req_exec_file(&rr->req, file, a.r);
		if (!a.ret)
			return rr;
		rnfs_req_put(&rr->req);
	}
	return ERR_PTR(a.ret);
}

/* Copy what @rr read at file offset @pos into @folio and mark it uptodate. */
static void fill_folio(struct folio *folio, struct read_req *rr)
{
	size_t off = folio_pos(folio) - rr->pos, i;

	for (i = 0; i < folio_size(folio); i += PAGE_SIZE, off += PAGE_SIZE) {
		void *dst = kmap_local_folio(folio, i);
		size_t n = 0;

		if (off < rr->done) {
			n = min_t(size_t, PAGE_SIZE, rr->done - off);
			memcpy_from_page(dst, rr->bvec[off >> PAGE_SHIFT].bv_page,
					 0, n);
		}
		memset(dst + n, 0, PAGE_SIZE - n);
		kunmap_local(dst);
	}
	folio_mark_uptodate(folio);
}

/* Read @folio (locked, and left locked) from the active replica. */
int rnfs_fill_folio(struct file *file, struct folio *folio)
{
	struct read_req *rr;

	/* Every caller on a regular file's data passes the file. */
	if (!file)
		return -EBADF;
	rr = read_range(file, folio_pos(folio), folio_size(folio));
	if (IS_ERR(rr))
		return PTR_ERR(rr);
	fill_folio(folio, rr);
	rnfs_req_put(&rr->req);
	return 0;
}

static int rnfs_read_folio(struct file *file, struct folio *folio)
{
	int ret = rnfs_fill_folio(file, folio);

	folio_unlock(folio);
	return ret;
}

/* Readahead: fill (or not) and unlock the folios; the first caller wins. */
static void ra_complete(struct read_req *rr, bool ok)
{
	unsigned int i;

	if (atomic_cmpxchg(&rr->claimed, 0, 1))
		return;
	for (i = 0; i < rr->nr_folios; i++) {
		if (ok)
			fill_folio(rr->folios[i], rr);
		folio_unlock(rr->folios[i]);
		folio_put(rr->folios[i]);
	}
}

static void ra_finish(struct rnfs_req *req)
{
	struct read_req *rr = container_of(req, struct read_req, req);

	/* Data read is good even if the replica was declared down since. */
	ra_complete(rr, !req->error);
	if (cancel_delayed_work(&rr->watchdog))
		rnfs_req_put(req);	/* the watchdog's */
}

static void ra_watchdog(struct work_struct *work)
{
	struct read_req *rr = container_of(to_delayed_work(work),
					   struct read_req, watchdog);
	struct rnfs_replica *r = rr->req.replica;
	unsigned long last = rnfs_replica_heard(r);

	if (atomic_read(&rr->claimed))
		goto out;
	if (time_before(last, rr->req.submitted))
		last = rr->req.submitted;
	last += rnfs_deadline(r->fs);
	/* Declared down meanwhile: give up now (see rnfs_req_wait()). */
	if (time_before(jiffies, last) && READ_ONCE(r->gen) == rr->req.gen) {
		/* Not yet; replies meanwhile would move the deadline. */
		queue_delayed_work(rnfs_ctl_wq, &rr->watchdog,
				   min(last - jiffies, rnfs_hear_slice(r->fs)));
		return;
	}
	rnfs_replica_failed(r, rr->req.gen, "no reply");
	ra_complete(rr, false);
out:
	rnfs_req_put(&rr->req);
}

/* Send one readahead request for @rr's folios, from @lower on @r. */
static void ra_send(struct read_req *rr, struct rnfs_replica *r,
		    struct rnfs_lfile *lower)
{
	rnfs_req_set_lfile(&rr->req, rnfs_lfile_get(lower));
	rr->req.finish = ra_finish;
	INIT_DELAYED_WORK(&rr->watchdog, ra_watchdog);
	kref_get(&rr->req.ref);		/* the watchdog's */
	/*
	 * Armed once the request is set up.  A finish before that cannot
	 * cancel it, and leaves it the reference it then puts, finding the
	 * folios claimed.
	 */
	rnfs_req_submit(&rr->req, r, current_cred());
	queue_delayed_work(rnfs_ctl_wq, &rr->watchdog,
			   rnfs_hear_slice(r->fs));
	rnfs_req_put(&rr->req);
}

/*
 * Send the window as requests of the lower mount's rsize, which run in
 * parallel and unlock their folios as each completes, and return.  Without
 * an active replica or a file, or without memory, folios are just
 * unlocked: read_folio will do the work, and wait if it has to.
 */
static void rnfs_readahead(struct readahead_control *ractl)
{
	struct rnfs_fs *fs = RNFS_FS(ractl->mapping->host->i_sb);
	struct rnfs_replica *r = READ_ONCE(fs->active);
	struct rnfs_lfile *lower = NULL;
	struct folio *folio;
	size_t chunk;

	if (ractl->file && r) {
		lower = rnfs_lower_file(ractl->file, r);
		if (IS_ERR(lower))
			lower = NULL;
	}
	folio = readahead_folio(ractl);
	if (!lower)
		goto unlock;
	chunk = max_t(size_t, rnfs_lower_rsize(rnfs_lfile_file(lower)->f_path.mnt),
		      PAGE_SIZE);

	while (folio) {
		size_t len = 0, max = max_t(size_t, chunk, folio_size(folio));
		loff_t pos = folio_pos(folio);
		struct read_req *rr;

		rr = read_alloc(pos, max);
		if (rr)
			rr->folios = kcalloc(DIV_ROUND_UP(max, PAGE_SIZE),
					     sizeof(*rr->folios), GFP_KERNEL);
		if (!rr || !rr->folios) {
			if (rr)
				rnfs_req_put(&rr->req);
			break;
		}
		/* Consecutive folios, up to one chunk. */
		while (folio && len + folio_size(folio) <= max &&
		       folio_pos(folio) == pos + len) {
			folio_get(folio);
			rr->folios[rr->nr_folios++] = folio;
			len += folio_size(folio);
			folio = readahead_folio(ractl);
		}
		rr->len = len;
		ra_send(rr, r, lower);
	}
	rnfs_lfile_put(lower);
unlock:
	for (; folio; folio = readahead_folio(ractl))
		folio_unlock(folio);
}

const struct address_space_operations rnfs_aops = {
	.read_folio	= rnfs_read_folio,
	.readahead	= rnfs_readahead,
	.dirty_folio	= filemap_dirty_folio,
	.write_begin	= rnfs_aops_write_begin,
	.write_end	= rnfs_aops_write_end,
	.writepages	= rnfs_writepages,
	.swap_activate	= rnfs_swap_activate,
	.swap_deactivate = rnfs_swap_deactivate,
	.swap_rw	= rnfs_swap_rw,
};
