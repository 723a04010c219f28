// SPDX-License-Identifier: GPL-2.0
/*
 * rnfs's own page cache (DESIGN.md, invariant 2).  Pages belong to the
 * upper inode, so a mapping (a running program's text) outlives any lower
 * file: after a failover, a page fault reads from the new replica.
 *
 * Lower reads are O_DIRECT into pages the request owns; the data is copied
 * into the page cache only if the request finishes in time.  A request
 * abandoned on a dead replica may write its pages long after, and they
 * must never be page cache pages by then.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/slab.h>

#include "rnfs.h"

struct read_req {
	struct rnfs_req req;
	struct file *lower;
	loff_t pos;
	size_t len;
	size_t done;			/* bytes read; the rest is past EOF */
	unsigned int nr;
	struct bio_vec bvec[];
};

static int read_run(struct rnfs_req *req)
{
	struct read_req *rr = container_of(req, struct read_req, req);
	ssize_t n;

	while (rr->done < rr->len) {
		n = rnfs_do_read(rr->lower, rr->bvec, rr->nr, rr->len, rr->done,
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
	if (rr->lower)
		rnfs_fput_async(req->replica, rr->lower);
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
	struct rnfs_replica *r;
	struct read_req *rr;
	int ret;

	for (;;) {
		r = rnfs_active_wait(fs);
		if (IS_ERR(r))
			return ERR_CAST(r);
		rr = read_alloc(pos, len);
		if (!rr)
			return ERR_PTR(-ENOMEM);
		rr->lower = rnfs_lower_file(file, r);
		if (IS_ERR(rr->lower)) {
			ret = PTR_ERR(rr->lower);
			rr->lower = NULL;
		} else {
			ret = rnfs_req_exec_on(&rr->req, r);
		}
		if (!ret)
			return rr;
		rnfs_req_put(&rr->req);
		if (ret != -EAGAIN)
			return ERR_PTR(ret);
	}
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

static int rnfs_read_folio(struct file *file, struct folio *folio)
{
	struct read_req *rr;
	int ret = 0;

	if (!file) {
		/* Every caller on a regular file's data passes the file. */
		ret = -EBADF;
		goto out;
	}
	rr = read_range(file, folio_pos(folio), folio_size(folio));
	if (IS_ERR(rr)) {
		ret = PTR_ERR(rr);
		goto out;
	}
	fill_folio(folio, rr);
	rnfs_req_put(&rr->req);
out:
	folio_unlock(folio);
	return ret;
}

/*
 * The whole readahead window in one request.  On failure the folios are
 * left !uptodate: read_folio tries again and reports the error.
 */
static void rnfs_readahead(struct readahead_control *ractl)
{
	struct read_req *rr = NULL;
	struct folio *folio;

	if (ractl->file)
		rr = read_range(ractl->file, readahead_pos(ractl),
				readahead_length(ractl));
	while ((folio = readahead_folio(ractl))) {
		if (!IS_ERR_OR_NULL(rr))
			fill_folio(folio, rr);
		folio_unlock(folio);
	}
	if (!IS_ERR_OR_NULL(rr))
		rnfs_req_put(&rr->req);
}

const struct address_space_operations rnfs_aops = {
	.read_folio	= rnfs_read_folio,
	.readahead	= rnfs_readahead,
};
