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
 * So an abandoned write request is kept, with its references to the
 * page cache's pages (which keep reclaim from dropping them), on its
 * replica's list of writes in doubt.  Once that replica answers a probe
 * sent after it was declared down, and the request's own worker has
 * returned, what the old server was sent has reached it or never will:
 * the pages still in the page cache are written again through the
 * active replica, and a file that has since shrunk is cut back to its
 * size, so the newest data wins.  The window that remains is a write the
 * old server holds (its nfsd stuck) past the time it answers probes
 * again; mount.rnfs(8) says so.
 *
 * A file someone else changes meanwhile is theirs: its writes in doubt
 * are let go of (rnfs_doubt_forget()).  At most RNFS_DOUBT_MAX_PAGES
 * pages are kept per replica: a replica that never comes back must not
 * pin memory without bound.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/pagemap.h>

#include "rnfs.h"

#define RNFS_DOUBT_MAX_PAGES	(64 << (20 - PAGE_SHIFT))	/* 64 MiB */

/*
 * @wr was given up on when its replica failed: keep it until that
 * replica answers again.  Takes over the caller's reference.
 */
void rnfs_doubt_add(struct rnfs_write_req *wr)
{
	struct rnfs_replica *r = wr->req.replica;
	struct rnfs_fs *fs = r->fs;
	bool kept = false;

	spin_lock(&fs->lock);
	if (!fs->stopping && r->doubt_pages + wr->nr <= RNFS_DOUBT_MAX_PAGES) {
		list_add_tail(&wr->doubt, &r->doubts);
		r->doubt_pages += wr->nr;
		kept = true;
	}
	spin_unlock(&fs->lock);
	if (kept)
		return;
	if (!READ_ONCE(fs->stopping))
		pr_warn_ratelimited("%s: too many writes in doubt on %s: a late one may land\n",
				    rnfs_fs_label(fs), r->host);
	rnfs_req_put(&wr->req);
}

/*
 * The tick: writes in doubt on @r, now UP again, whose workers are done
 * go to be written again.  Under fs->lock.
 */
static bool doubts_ready(struct rnfs_fs *fs, struct rnfs_replica *r)
{
	struct rnfs_write_req *wr, *next;
	bool any = false;

	if (r->state != RNFS_REPLICA_UP)
		return false;
	list_for_each_entry_safe(wr, next, &r->doubts, doubt) {
		/* Its worker may send it yet: later. */
		if (!completion_done(&wr->req.done))
			continue;
		list_move_tail(&wr->doubt, &fs->redo);
		r->doubt_pages -= wr->nr;
		any = true;
	}
	return any;
}

void rnfs_doubt_check(struct rnfs_fs *fs)
{
	bool any = false;
	unsigned int i;

	spin_lock(&fs->lock);
	for (i = 0; i < fs->nr; i++)
		any |= doubts_ready(fs, fs->replica[i]);
	spin_unlock(&fs->lock);
	if (!any)
		return;
	rnfs_fs_get(fs);
	if (!queue_work(rnfs_wq, &fs->redo_work))
		rnfs_fs_put(fs);
}

/* The inode whose page cache @wr's pages are in, referenced, or NULL. */
static struct inode *doubt_inode(struct super_block *sb,
				 struct rnfs_write_req *wr)
{
	struct inode *inode = NULL;
	unsigned int i;

	for (i = 0; i < wr->nr && !inode; i++) {
		struct folio *folio = page_folio(wr->bvec[i].bv_page);

		/* Locked, the folio's mapping cannot go: its inode lives. */
		folio_lock(folio);
		if (folio->mapping && folio->mapping->host->i_sb == sb)
			inode = igrab(folio->mapping->host);
		folio_unlock(folio);
	}
	return inode;
}

/*
 * Write @wr's pages again through the active replica, those still in
 * @inode's page cache, and cut the file back if it has shrunk below the
 * end of @wr since: the late write may have made it longer again.
 */
static int redo_write(struct inode *inode, struct rnfs_write_req *wr)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t end = wr->pos + wr->len;
	unsigned int i;
	int ret;

	for (i = 0; i < wr->nr; i++) {
		struct folio *folio = page_folio(wr->bvec[i].bv_page);

		folio_lock(folio);
		if (folio->mapping == mapping && folio_test_uptodate(folio))
			folio_mark_dirty(folio);
		folio_unlock(folio);
	}
	ret = filemap_write_and_wait_range(mapping, wr->pos, end - 1);
	if (!ret && end > i_size_read(inode))
		ret = rnfs_setsize_inode(inode);
	/* Writeback's lower files go, unless someone writes still. */
	rnfs_wb_done(inode, false);
	return ret;
}

static void redo_work(struct work_struct *work)
{
	struct rnfs_fs *fs = container_of(work, struct rnfs_fs, redo_work);
	struct rnfs_write_req *wr, *next;
	struct rnfs_replica *active;
	struct super_block *sb;
	unsigned int done = 0;
	LIST_HEAD(list);

	spin_lock(&fs->lock);
	list_splice_init(&fs->redo, &list);
	sb = fs->sb;
	/* An active superblock: an unmount meanwhile waits for us. */
	if (sb && !atomic_inc_not_zero(&sb->s_active))
		sb = NULL;
	spin_unlock(&fs->lock);

	list_for_each_entry_safe(wr, next, &list, doubt) {
		struct inode *inode = sb ? doubt_inode(sb, wr) : NULL;
		int ret;

		list_del(&wr->doubt);
		if (inode) {
			ret = redo_write(inode, wr);
			if (ret)
				pr_warn("%s: writing inode %lu again after a failover failed: error %d\n",
					rnfs_fs_label(fs), inode->i_ino, ret);
			iput(inode);
			done++;
		}
		rnfs_req_put(&wr->req);
	}
	active = READ_ONCE(fs->active);
	if (done)
		pr_info("%s: wrote %u writes in doubt again through %s\n",
			rnfs_fs_label(fs), done, active ? active->host : "none");
	if (sb)
		deactivate_super(sb);
	rnfs_fs_put(fs);
}

/* Does @wr hold pages of @inode's page cache? */
static bool doubt_of(struct rnfs_write_req *wr, struct inode *inode)
{
	unsigned int i;

	for (i = 0; i < wr->nr; i++)
		if (READ_ONCE(page_folio(wr->bvec[i].bv_page)->mapping) ==
		    inode->i_mapping)
			return true;
	return false;
}

static void doubts_take(struct list_head *from, struct list_head *to,
			struct inode *inode, unsigned int *pages)
{
	struct rnfs_write_req *wr, *next;

	list_for_each_entry_safe(wr, next, from, doubt) {
		if (!doubt_of(wr, inode))
			continue;
		list_move_tail(&wr->doubt, to);
		if (pages)
			*pages -= wr->nr;
	}
}

/*
 * Someone else changed @inode: what they wrote is newer than what this
 * client had in doubt, which is not written again, and whose pages may
 * now leave the page cache with the rest (inode.c).
 */
void rnfs_doubt_forget(struct inode *inode)
{
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct rnfs_write_req *wr, *next;
	LIST_HEAD(list);
	unsigned int i;

	spin_lock(&fs->lock);
	for (i = 0; i < fs->nr; i++)
		doubts_take(&fs->replica[i]->doubts, &list, inode,
			    &fs->replica[i]->doubt_pages);
	doubts_take(&fs->redo, &list, inode, NULL);
	spin_unlock(&fs->lock);
	list_for_each_entry_safe(wr, next, &list, doubt) {
		list_del(&wr->doubt);
		rnfs_req_put(&wr->req);
	}
}

void rnfs_doubt_init(struct rnfs_fs *fs)
{
	INIT_LIST_HEAD(&fs->redo);
	INIT_WORK(&fs->redo_work, redo_work);
}

/* The mount is going: what is in doubt is let go of (see mount.rnfs(8)). */
void rnfs_doubt_stop(struct rnfs_fs *fs)
{
	struct rnfs_write_req *wr, *next;
	LIST_HEAD(list);
	unsigned int i;

	spin_lock(&fs->lock);
	for (i = 0; i < fs->nr; i++) {
		list_splice_init(&fs->replica[i]->doubts, &list);
		fs->replica[i]->doubt_pages = 0;
	}
	list_splice_init(&fs->redo, &list);
	spin_unlock(&fs->lock);
	list_for_each_entry_safe(wr, next, &list, doubt) {
		list_del(&wr->doubt);
		rnfs_req_put(&wr->req);
	}
}
