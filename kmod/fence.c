// SPDX-License-Identifier: GPL-2.0
/*
 * Writes in doubt (DESIGN.md, invariant 4, fencing).
 *
 * When a replica is declared down with a write out, writeback sends the
 * same pages to the next replica and goes on; the write given up on may
 * still reach the old server later: from the client's own queues (a
 * delay on the way, packets the reset of its connection cannot take
 * back, see rnfs_lower_reset_connections()), or from a server that held
 * it.  Landing then, it would put older data over what was committed
 * since through another replica, on the one filesystem they share.
 *
 * So an abandoned write request is kept, with its references to the page
 * cache's pages (which keep reclaim from dropping them) and, for each
 * page that had not changed since the request was made, a hash of what
 * it sent.  While a file has writes in doubt, its page cache counts as
 * the newer copy, as while it is being written (rnfs_inode_writing()).
 * Once the failed replica answers again and is fenced (replica.c), and
 * the request's own worker has returned, what the old server was sent
 * has reached it or never will (most likely, if the fence failed): each
 * such range is read back through the active replica, and a page that
 * holds exactly what the abandoned write sent, where the page cache holds
 * something newer, is written again.  A page that holds anything else
 * (what this client committed, or what another client wrote since) is
 * left as it is, and the file's clean cached pages are dropped
 * afterwards, so that another client's data is read, not overwritten.
 *
 * A record lives at most RNFS_DOUBT_KEEP, and at most
 * RNFS_DOUBT_MAX_PAGES pages are kept per replica: a replica that never
 * comes back must not pin memory without bound.  mount.rnfs(8) says what
 * is left uncovered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/pagemap.h>
#include <linux/slab.h>
#include <linux/xxhash.h>

#include "rnfs.h"

#define RNFS_DOUBT_MAX_PAGES	(64 << (20 - PAGE_SHIFT))	/* 64 MiB */
/* TCP gives up retransmitting an orphaned socket's data after ~15 min. */
#define RNFS_DOUBT_KEEP		(15 * 60 * HZ)

static u64 page_hash(struct page *page, unsigned int len)
{
	void *p = kmap_local_page(page);
	/* 0 means "not known": a real hash of 0 is taken as one. */
	u64 h = xxh64(p, len, 0) ?: 1;

	kunmap_local(p);
	return h;
}

/*
 * What @wr sent from each page, as far as it can be known: a page that
 * was not dirtied again since the request took it holds what was sent.
 * Under the folio lock, not to hash a page being written; a folio locked
 * elsewhere is not waited for (it may be a read stuck on a dead server).
 */
static bool doubt_hash(struct rnfs_write_req *wr, struct inode *inode)
{
	bool any = false;
	unsigned int i;

	for (i = 0; i < wr->nr; i++) {
		struct page *page = wr->bvec[i].bv_page;
		struct folio *folio = page_folio(page);

		wr->sent[i] = 0;
		if (!folio_trylock(folio))
			continue;
		if (folio->mapping == inode->i_mapping &&
		    !folio_test_dirty(folio))
			wr->sent[i] = page_hash(page, wr->bvec[i].bv_len);
		folio_unlock(folio);
		any |= wr->sent[i] != 0;
	}
	return any;
}

static void doubt_free(struct rnfs_write_req *wr)
{
	atomic_dec(&RNFS_I(wr->inode)->doubts);
	iput(wr->inode);
	wr->inode = NULL;
	kfree(wr->sent);
	wr->sent = NULL;
	rnfs_req_put(&wr->req);
}

/*
 * @wr, a write of @inode, was given up on when its replica failed: keep
 * it until that replica is up again.  Takes over the caller's
 * reference.  Called from writeback, which holds no reference to
 * @inode: the record takes one only once it is sure to be kept, so
 * that no iput() here can be the last (evict() would wait for this very
 * writeback).  kill_sb cannot run meanwhile: writeback runs under
 * s_umount or with the file open, and kill_sb's own sync comes after
 * rnfs_doubt_stop().
 */
void rnfs_doubt_add(struct rnfs_write_req *wr, struct inode *inode)
{
	struct rnfs_replica *r = wr->req.replica;
	struct rnfs_fs *fs = r->fs;
	bool room = false;

	/* kill_sb's own sync: nothing is kept any more (below). */
	if (!READ_ONCE(fs->sb))
		goto drop;
	if (wr->reserve) {
		struct rnfs_write_req *copy = rnfs_write_copy(wr);

		if (!copy) {
			pr_warn_ratelimited("%s: inode %lu: a write given up on is not kept in doubt: memory is short\n",
					    rnfs_fs_label(fs), inode->i_ino);
			rnfs_req_put(&wr->req);
			return;
		}
		copy->orig = wr;	/* the caller's reference */
		wr = copy;
	}
	/* Often when memory is short: a record is not worth a stall. */
	wr->sent = kmalloc_array(wr->nr, sizeof(*wr->sent),
				 GFP_NOFS | __GFP_NORETRY | __GFP_NOWARN);
	/* Nothing known of what was sent: nothing to check. */
	if (!wr->sent || !doubt_hash(wr, inode)) {
		pr_info_ratelimited("%s: inode %lu: a write given up on is not checked: what it sent is no longer known (its pages were busy, changed or gone)\n",
				    rnfs_fs_label(fs), inode->i_ino);
		goto drop;
	}
	spin_lock(&fs->lock);
	if (fs->sb && r->doubt_pages + wr->nr <= RNFS_DOUBT_MAX_PAGES) {
		r->doubt_pages += wr->nr;
		room = true;
	}
	spin_unlock(&fs->lock);
	if (!room) {
		pr_warn_ratelimited("%s: too many writes given up on %s to watch: should one land late, it stays\n",
				    rnfs_fs_label(fs), r->host);
		goto drop;
	}
	wr->inode = igrab(inode);
	spin_lock(&fs->lock);
	if (wr->inode) {
		atomic_inc(&RNFS_I(inode)->doubts);
		wr->since = jiffies;
		list_add_tail(&wr->doubt, &r->doubts);
	} else {			/* being evicted: nothing to protect */
		r->doubt_pages -= wr->nr;
	}
	spin_unlock(&fs->lock);
	if (wr->inode)
		return;
drop:
	kfree(wr->sent);
	wr->sent = NULL;
	rnfs_req_put(&wr->req);
}

/*
 * Has the worker that sent @wr returned?  A copy's original (the request
 * sent, from the reserve) goes to @sent_done once it has: the caller lets
 * go of it, and its reserve slot comes back.
 */
static bool doubt_sent(struct rnfs_write_req *wr, struct list_head *sent_done)
{
	if (!wr->copy)
		return completion_done(&wr->req.done);
	if (wr->orig && completion_done(&wr->orig->req.done)) {
		list_add(&wr->orig->doubt, sent_done);
		wr->orig = NULL;
	}
	return !wr->orig;
}

/*
 * The tick: writes in doubt on @r whose workers are done go to be checked
 * once @r is up again (fenced); those kept too long go.  Under fs->lock.
 */
static bool doubts_sort(struct rnfs_fs *fs, struct rnfs_replica *r,
			struct list_head *sent_done)
{
	struct rnfs_write_req *wr, *next;
	bool expired = false;

	list_for_each_entry_safe(wr, next, &r->doubts, doubt) {
		if (time_after(jiffies, wr->since + RNFS_DOUBT_KEEP)) {
			wr->expired = true;
			expired = true;
		} else if (!doubt_sent(wr, sent_done) ||
			   r->state != RNFS_REPLICA_UP) {
			continue;
		}
		list_move_tail(&wr->doubt, &fs->redo);
		r->doubt_pages -= wr->nr;
	}
	return expired;
}

void rnfs_doubt_check(struct rnfs_fs *fs)
{
	struct rnfs_write_req *wr, *next;
	bool redo, expired = false;
	LIST_HEAD(sent_done);
	unsigned int i;

	spin_lock(&fs->lock);
	for (i = 0; i < fs->nr; i++)
		expired |= doubts_sort(fs, fs->replica[i], &sent_done);
	/* With no replica to check through, later (but let expired go). */
	redo = !list_empty(&fs->redo) && (fs->active || expired);
	spin_unlock(&fs->lock);
	list_for_each_entry_safe(wr, next, &sent_done, doubt)
		rnfs_req_put(&wr->req);
	if (expired)
		pr_warn("%s: a failed server did not answer for %u s: writes given up on there are no longer watched\n",
			rnfs_fs_label(fs), RNFS_DOUBT_KEEP / HZ);
	if (!redo)
		return;
	rnfs_fs_get(fs);
	if (!queue_work(rnfs_wq, &fs->redo_work))
		rnfs_fs_put(fs);
}

/* Read back what the replica in use has where @wr wrote. */
struct redo_read {
	struct rnfs_req req;
	loff_t pos;			/* the request's own copy of the range, */
	size_t len, done;		/* for a worker that may outlive the */
	unsigned int nr;		/* record */
	struct bio_vec bvec[];
};

static int redo_read_run(struct rnfs_req *req)
{
	struct redo_read *rd = container_of(req, struct redo_read, req);
	ssize_t n;

	while (rd->done < rd->len) {
		n = rnfs_do_read(req->file, rd->bvec, rd->nr, rd->len,
				 rd->done, rd->pos + rd->done);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		rd->done += n;
	}
	return 0;
}

static void redo_read_release(struct rnfs_req *req)
{
	struct redo_read *rd = container_of(req, struct redo_read, req);
	unsigned int i;

	for (i = 0; i < rd->nr; i++)
		if (rd->bvec[i].bv_page)
			__free_page(rd->bvec[i].bv_page);
	kfree(rd);
}

static struct redo_read *redo_read_alloc(struct rnfs_write_req *wr)
{
	struct redo_read *rd;
	unsigned int i;

	rd = rnfs_req_alloc(struct_size(rd, bvec, wr->nr), redo_read_run,
			    redo_read_release);
	if (!rd)
		return NULL;
	rd->pos = wr->pos;
	rd->len = wr->len;
	rd->nr = wr->nr;
	for (i = 0; i < wr->nr; i++) {
		rd->bvec[i].bv_page = alloc_page(GFP_NOFS);
		if (!rd->bvec[i].bv_page) {
			rnfs_req_put(&rd->req);
			return NULL;
		}
		rd->bvec[i].bv_len = wr->bvec[i].bv_len;
		rd->bvec[i].bv_offset = 0;
	}
	return rd;
}

/* The range of @wr as the active replica has it now, or an error. */
static struct redo_read *redo_read(struct rnfs_write_req *wr)
{
	struct inode *inode = wr->inode;
	const struct cred *cred = rnfs_wb_opener(inode);
	struct redo_read *rd;
	struct rnfs_attempt a;
	struct rnfs_lfile *lower;

	if (!cred)
		return ERR_PTR(-EBADF);
	rnfs_for_each_attempt(&a, RNFS_FS(inode->i_sb), RNFS_NO_WAIT) {
		rd = redo_read_alloc(wr);
		if (!rd) {
			a.ret = -ENOMEM;
			break;
		}
		/* Direct: no delegation, as writeback's own (lowerfile.c). */
		lower = rnfs_lower_open_inode(inode, a.r, cred,
					      O_RDONLY | O_DIRECT | O_LARGEFILE);
		a.ret = PTR_ERR_OR_ZERO(lower);
		if (!a.ret) {
			rnfs_req_set_lfile(&rd->req, lower);
			rnfs_req_submit(&rd->req, a.r, cred);
			a.ret = rnfs_req_wait(&rd->req);
		}
		if (!a.ret)
			break;
		rnfs_req_put(&rd->req);
	}
	put_cred(cred);
	return a.ret ? ERR_PTR(a.ret) : rd;
}

/*
 * Page @i of @wr: if the replica holds what the abandoned write sent
 * there, and the page cache something else, dirty the cached page.
 */
static bool redo_page(struct rnfs_write_req *wr, struct redo_read *rd,
		      unsigned int i)
{
	pgoff_t index = (wr->pos >> PAGE_SHIFT) + i;
	unsigned int len = wr->bvec[i].bv_len;
	struct folio *folio;
	bool redo = false;
	void *have, *ours;

	if (!wr->sent[i] || (size_t)i * PAGE_SIZE + len > rd->done ||
	    page_hash(rd->bvec[i].bv_page, len) != wr->sent[i])
		return false;
	folio = filemap_lock_folio(wr->inode->i_mapping, index);
	if (IS_ERR(folio))
		return false;
	if (folio_test_uptodate(folio) && !folio_test_large(folio)) {
		have = kmap_local_page(rd->bvec[i].bv_page);
		ours = kmap_local_folio(folio, 0);
		redo = memcmp(have, ours, len) != 0;
		kunmap_local(ours);
		kunmap_local(have);
	}
	if (redo)
		folio_mark_dirty(folio);
	folio_unlock(folio);
	folio_put(folio);
	return redo;
}

/* Check one write in doubt; returns the pages written again, or < 0. */
static int redo_write(struct rnfs_write_req *wr)
{
	struct address_space *mapping = wr->inode->i_mapping;
	struct redo_read *rd;
	unsigned int i, pages = 0;
	int ret;

	rd = redo_read(wr);
	if (IS_ERR(rd))
		return PTR_ERR(rd);
	for (i = 0; i < wr->nr; i++)
		pages += redo_page(wr, rd, i);
	rnfs_req_put(&rd->req);
	if (!pages)
		return 0;
	ret = filemap_write_and_wait_range(mapping, wr->pos,
					   wr->pos + wr->len - 1);
	return ret ?: pages;
}

/*
 * @wr is checked.  What another client wrote meanwhile was not looked at
 * while the file's cache counted as the newer copy: once nothing of the
 * file is in doubt, its clean pages go, to be read again.
 */
static void redo_done(struct rnfs_write_req *wr)
{
	struct inode *inode = wr->inode;

	ihold(inode);
	doubt_free(wr);
	if (!atomic_read(&RNFS_I(inode)->doubts))
		invalidate_mapping_pages(inode->i_mapping, 0, -1);
	rnfs_wb_done(inode, false);
	iput(inode);
}

static void redo_work(struct work_struct *work)
{
	struct rnfs_fs *fs = container_of(work, struct rnfs_fs, redo_work);
	struct rnfs_write_req *wr, *next;
	struct super_block *sb;
	unsigned int checked = 0, pages = 0;
	LIST_HEAD(list);
	int ret;

	spin_lock(&fs->lock);
	sb = fs->sb;
	/*
	 * An active superblock: an unmount meanwhile leaves its shutdown
	 * to our deactivate_super().
	 */
	if (sb && !atomic_inc_not_zero(&sb->s_active))
		sb = NULL;
	if (sb)
		list_splice_init(&fs->redo, &list);
	spin_unlock(&fs->lock);
	if (!sb)
		goto out;

	list_for_each_entry_safe(wr, next, &list, doubt) {
		if (wr->expired) {
			list_del(&wr->doubt);
			redo_done(wr);
			continue;
		}
		ret = redo_write(wr);
		if (ret == -EHOSTDOWN) {	/* every replica down: later */
			spin_lock(&fs->lock);
			list_splice_tail_init(&list, &fs->redo);
			spin_unlock(&fs->lock);
			break;
		}
		list_del(&wr->doubt);
		if (ret < 0)
			pr_warn("%s: checking a write given up on (inode %lu) failed: error %d\n",
				rnfs_fs_label(fs), wr->inode->i_ino, ret);
		else
			pages += ret;
		checked++;
		redo_done(wr);
	}
	if (checked)
		pr_info("%s: checked %u writes given up on: %u pages had old data, written again\n",
			rnfs_fs_label(fs), checked, pages);
	deactivate_super(sb);
out:
	rnfs_fs_put(fs);
}

void rnfs_doubt_init(struct rnfs_fs *fs)
{
	INIT_LIST_HEAD(&fs->redo);
	INIT_WORK(&fs->redo_work, redo_work);
}

/*
 * The superblock is going (kill_sb, before the inodes are evicted): what
 * is still in doubt is let go of (see mount.rnfs(8)).
 */
void rnfs_doubt_stop(struct rnfs_fs *fs)
{
	struct rnfs_write_req *wr, *next;
	LIST_HEAD(list);
	unsigned int i;

	spin_lock(&fs->lock);
	fs->sb = NULL;			/* no more records, no redo */
	spin_unlock(&fs->lock);
	/*
	 * The redo's own deactivate_super() may be what shuts the
	 * superblock down: it does not wait for itself.
	 */
	if (current_work() != &fs->redo_work &&
	    cancel_work_sync(&fs->redo_work))
		rnfs_fs_put(fs);	/* the work's */

	spin_lock(&fs->lock);
	for (i = 0; i < fs->nr; i++) {
		list_splice_init(&fs->replica[i]->doubts, &list);
		fs->replica[i]->doubt_pages = 0;
	}
	list_splice_init(&fs->redo, &list);
	spin_unlock(&fs->lock);
	list_for_each_entry_safe(wr, next, &list, doubt) {
		list_del(&wr->doubt);
		doubt_free(wr);
	}
}
