// SPDX-License-Identifier: GPL-2.0
/*
 * Swap on an rnfs file (DESIGN.md, Swap).
 *
 * swapon gets one extent with SWP_FS_OPS, so the swap layer hands every
 * batch of pages to rnfs_swap_rw().  Each replica has the file open and
 * activated as a swap file of its own (lower.c); a batch goes to one of
 * them as the lower NFS client's asynchronous swap I/O, and is sent again
 * to the next replica if that one fails, like any rnfs request, but with
 * none of the request engine: its workers, their allocations and the
 * wait of a caller are what reclaim cannot afford.
 *
 * Memory: everything a batch needs comes from pools made at swapon: the
 * batch (struct swap_io), each attempt at it (struct swap_call) and the
 * bounce pages that an attempt's I/O uses.  A read lands in bounce pages
 * and is copied into the swap layer's pages only once it succeeded, and
 * a write is copied out of them before it is sent, so that an attempt
 * given up on, whose RPCs may still run, never touches a page that is
 * the swap layer's again (mapped, or written by a later batch).  An
 * attempt gives its pages back when its lower I/O ends; the reaper kills
 * those left on a replica declared down (replica.c), as they count in
 * its inflight.
 *
 * Time: a scan (one delayed work per swap file, only while it has I/O
 * out) applies the mount's deadline to every attempt, declares a silent
 * replica down (the same rule as rnfs_req_wait()), and sends batches
 * given up on, or waiting for a replica, to the next one.  With every
 * replica down a batch waits, whatever the mount's soft option: a failed
 * swap read is a SIGBUS, a failed write a page kept in memory.
 *
 * A replica down at swapon is activated when it comes back, and takes no
 * swap I/O until then.  swapoff waits for the last lower I/O, abandoned
 * ones included, before deactivating the lower files.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/uio.h>

#include "rnfs.h"

/* The swap layer's largest batch (mm/page_io.c: struct swap_iocb). */
#define SWAP_BATCH_PAGES	SWAP_CLUSTER_MAX
#define SWAP_IOS		64
#define SWAP_CALLS		(2 * SWAP_IOS)
#define SWAP_POOL_PAGES		(8 * SWAP_BATCH_PAGES)

struct rnfs_swap;

/* One attempt at a batch on one replica: a lower I/O. */
struct swap_call {
	struct kiocb kiocb;		/* the lower I/O's */
	struct list_head node;		/* on sw->free_calls */
	struct rnfs_swap *sw;
	struct swap_io *io;		/* NULL once given up on; sw->lock */
	struct rnfs_replica *r;
	unsigned int gen;		/* r->gen when sent */
	unsigned long sent;		/* jiffies */
	unsigned int nr;		/* bounce pages in bvec[] */
	struct bio_vec bvec[SWAP_BATCH_PAGES];
};

/* A batch of the swap layer: pages to read or write at one position. */
struct swap_io {
	struct list_head node;		/* on a list of sw, under sw->lock */
	struct kiocb *iocb;		/* the swap layer's */
	struct iov_iter iter;		/* its pages */
	size_t len;
	bool write;
	struct swap_call *call;		/* the attempt out, if any */
	unsigned long failed;		/* replicas that answered an error */
	int error;			/* the last such error */
};

struct rnfs_swap {
	struct rnfs_fs *fs;
	struct file *file;		/* swapon's */
	struct list_head node;		/* on fs->swaps, under fs->lock */
	struct mutex activate_lock;	/* activating lower[] */
	struct work_struct activate;	/* replicas that came back */
	struct delayed_work scan;
	spinlock_t lock;		/* all below */
	struct rnfs_lfile *lower[RNFS_MAX_REPLICAS];	/* activated */
	struct list_head free_ios, free_calls;
	struct list_head out;		/* batches with an attempt out */
	struct list_head waiting;	/* batches to send */
	unsigned int nr_pages;		/* free in pages[] */
	unsigned int calls;		/* lower I/Os not ended */
	bool stopping;
	wait_queue_head_t pool_wait;	/* for a batch, a call or pages */
	wait_queue_head_t drained;	/* for calls to be 0 */
	struct page *pages[SWAP_POOL_PAGES];
	struct swap_io ios[SWAP_IOS];
	struct swap_call call[SWAP_CALLS];
};

static unsigned int io_pages(const struct swap_io *io)
{
	return DIV_ROUND_UP(io->len, PAGE_SIZE);
}

static void scan_soon(struct rnfs_swap *sw, unsigned long delay)
{
	if (delay)
		queue_delayed_work(rnfs_wq, &sw->scan, delay);
	else
		mod_delayed_work(rnfs_wq, &sw->scan, 0);
}

/* A free batch; waits for one (swap I/O ends without needing memory). */
static struct swap_io *io_get(struct rnfs_swap *sw)
{
	struct swap_io *io = NULL;

	wait_event(sw->pool_wait, ({
		spin_lock(&sw->lock);
		io = list_first_entry_or_null(&sw->free_ios, struct swap_io,
					      node);
		if (io)
			list_del_init(&io->node);
		spin_unlock(&sw->lock);
		io;
	}));
	return io;
}

/*
 * A call with @nr bounce pages, all or none, so that two batches waiting
 * for pages never hold part of what the other needs.  Under sw->lock.
 */
static struct swap_call *call_take(struct rnfs_swap *sw, unsigned int nr)
{
	struct swap_call *call;
	unsigned int i;

	if (sw->nr_pages < nr || list_empty(&sw->free_calls))
		return NULL;
	call = list_first_entry(&sw->free_calls, struct swap_call, node);
	list_del_init(&call->node);
	for (i = 0; i < nr; i++)
		call->bvec[i].bv_page = sw->pages[--sw->nr_pages];
	call->nr = nr;
	return call;
}

/* A hint for waiters: call_take() may succeed now. */
static bool pool_has(struct rnfs_swap *sw, unsigned int nr)
{
	return READ_ONCE(sw->nr_pages) >= nr &&
	       !list_empty_careful(&sw->free_calls);
}

static void call_give_back(struct rnfs_swap *sw, struct swap_call *call)
{
	unsigned int i;

	for (i = 0; i < call->nr; i++)
		sw->pages[sw->nr_pages++] = call->bvec[i].bv_page;
	call->nr = 0;
	list_add(&call->node, &sw->free_calls);
}

/* The replica a batch goes to: the active one, or another up and ready. */
static struct rnfs_replica *io_target(struct rnfs_swap *sw,
				      struct swap_io *io)
{
	struct rnfs_fs *fs = sw->fs;
	struct rnfs_replica *active = READ_ONCE(fs->active);
	unsigned int i;

	lockdep_assert_held(&sw->lock);
	if (active && sw->lower[active->index] &&
	    !(io->failed & BIT(active->index)) &&
	    READ_ONCE(active->state) == RNFS_REPLICA_UP)
		return active;
	for (i = 0; i < fs->nr; i++) {
		struct rnfs_replica *r = fs->replica[i];

		if (sw->lower[i] && !(io->failed & BIT(i)) &&
		    READ_ONCE(r->state) == RNFS_REPLICA_UP)
			return r;
	}
	return NULL;
}

/* Is every replica that could take @io one that answered it an error? */
static bool io_refused(struct rnfs_swap *sw, struct swap_io *io)
{
	struct rnfs_fs *fs = sw->fs;
	unsigned int i;

	lockdep_assert_held(&sw->lock);
	if (!io->failed)
		return false;
	for (i = 0; i < fs->nr; i++)
		if (sw->lower[i] && !(io->failed & BIT(i)) &&
		    READ_ONCE(fs->replica[i]->state) == RNFS_REPLICA_UP)
			return false;
	return true;
}

static void io_put(struct rnfs_swap *sw, struct swap_io *io)
{
	spin_lock(&sw->lock);
	list_add(&io->node, &sw->free_ios);
	spin_unlock(&sw->lock);
	wake_up_all(&sw->pool_wait);
}

/* Hand @io back to the swap layer: @ret is its length, or an error. */
static void io_end(struct rnfs_swap *sw, struct swap_io *io, long ret)
{
	struct kiocb *iocb = io->iocb;

	io_put(sw, io);
	iocb->ki_complete(iocb, ret);
}

static void call_done(struct kiocb *kiocb, long ret);

/*
 * Send @io to @r with @call, taken for it: from here on @call's lower I/O
 * may end at any moment, on another CPU.  Called with sw->lock held,
 * which it drops.  Never waits for the server.
 */
static void call_send(struct rnfs_swap *sw, struct swap_io *io,
		      struct swap_call *call, struct rnfs_replica *r)
	__releases(&sw->lock)
{
	struct file *lower = rnfs_lfile_file(sw->lower[r->index]);
	struct iov_iter from = io->iter;
	struct iov_iter iter;
	size_t left = io->len;
	unsigned int i;
	int ret;

	call->gen = READ_ONCE(r->gen);
	/*
	 * Declared down since it was chosen: choose again.  (Should this
	 * miss it, the reaper kills the call and it is sent again.)
	 */
	if (READ_ONCE(r->state) != RNFS_REPLICA_UP) {
		call_give_back(sw, call);
		list_move_tail(&io->node, &sw->waiting);
		spin_unlock(&sw->lock);
		scan_soon(sw, 0);
		return;
	}
	call->io = io;
	call->r = r;
	call->sent = jiffies;
	io->call = call;
	list_move_tail(&io->node, &sw->out);
	sw->calls++;
	atomic_inc(&r->inflight);	/* the reaper kills it if r dies */
	spin_unlock(&sw->lock);

	for (i = 0; i < call->nr; i++) {
		size_t n = min_t(size_t, left, PAGE_SIZE);

		call->bvec[i].bv_len = n;
		call->bvec[i].bv_offset = 0;
		if (io->write)
			copy_page_from_iter(call->bvec[i].bv_page, 0, n, &from);
		left -= n;
	}
	init_sync_kiocb(&call->kiocb, lower);
	call->kiocb.ki_pos = io->iocb->ki_pos;
	call->kiocb.ki_complete = call_done;
	iov_iter_bvec(&iter, io->write ? ITER_SOURCE : ITER_DEST, call->bvec,
		      call->nr, io->len);
	ret = rnfs_lower_swap_rw(&call->kiocb, &iter);
	if (ret != -EIOCBQUEUED)
		call_done(&call->kiocb, ret ?: -EIO);
}

/*
 * A lower I/O ended, from the NFS client's completion (any context but an
 * interrupt) or from call_send().  A batch still waiting for this attempt
 * is done with it, or goes back to be sent again.
 */
static void call_done(struct kiocb *kiocb, long ret)
{
	struct swap_call *call = container_of(kiocb, struct swap_call, kiocb);
	struct rnfs_swap *sw = call->sw;
	struct rnfs_replica *r = call->r;
	struct swap_io *io;
	bool done = false, again = false;

	spin_lock(&sw->lock);
	io = call->io;
	call->io = NULL;
	if (io) {
		io->call = NULL;
		if (ret == io->len) {
			done = true;
			list_del_init(&io->node);
		} else {
			/*
			 * An error from a replica that was declared down
			 * meanwhile (its RPCs killed) is no answer: only
			 * one from a live replica rules it out for @io.
			 */
			if (READ_ONCE(r->gen) == call->gen &&
			    READ_ONCE(r->state) == RNFS_REPLICA_UP) {
				io->failed |= BIT(r->index);
				io->error = ret;
			}
			list_move_tail(&io->node, &sw->waiting);
			again = true;
		}
	}
	spin_unlock(&sw->lock);

	if (done && !io->write) {
		struct iov_iter to = io->iter;
		size_t left = io->len;
		unsigned int i;

		for (i = 0; i < call->nr; i++) {
			size_t n = min_t(size_t, left, PAGE_SIZE);

			copy_page_to_iter(call->bvec[i].bv_page, 0, n, &to);
			left -= n;
		}
	}

	spin_lock(&sw->lock);
	call_give_back(sw, call);
	sw->calls--;
	if (!sw->calls)
		wake_up_all(&sw->drained);
	spin_unlock(&sw->lock);
	atomic_dec(&r->inflight);
	wake_up_all(&sw->pool_wait);

	if (done)
		io_end(sw, io, io->len);
	if (again)
		scan_soon(sw, 0);
}

/*
 * Give up on the attempts whose replica was declared down or stayed
 * silent past the deadline (declaring it down), and send what waits.
 */
static void scan(struct work_struct *work)
{
	struct rnfs_swap *sw = container_of(work, struct rnfs_swap,
					    scan.work);
	struct rnfs_fs *fs = sw->fs;
	unsigned long heard[RNFS_MAX_REPLICAS], deadline = rnfs_deadline(fs);
	unsigned int silent_gen[RNFS_MAX_REPLICAS];
	unsigned long silent = 0;
	struct swap_io *io, *tmp;
	unsigned int noreclaim, i;
	bool busy;

	for (i = 0; i < fs->nr; i++)
		heard[i] = rnfs_replica_heard(fs->replica[i]);

	spin_lock(&sw->lock);
	list_for_each_entry_safe(io, tmp, &sw->out, node) {
		struct swap_call *call = io->call;
		struct rnfs_replica *r = call->r;
		unsigned long last = heard[r->index];

		if (time_before(last, call->sent))
			last = call->sent;
		if (READ_ONCE(r->gen) == call->gen) {
			if (time_before(jiffies, last + deadline))
				continue;
			silent |= BIT(r->index);
			silent_gen[r->index] = call->gen;
		}
		call->io = NULL;	/* its pages come back when it ends */
		io->call = NULL;
		list_move_tail(&io->node, &sw->waiting);
	}
	spin_unlock(&sw->lock);

	for (i = 0; i < fs->nr; i++)
		if (silent & BIT(i))
			rnfs_replica_failed(fs->replica[i], silent_gen[i],
					    "no reply to swap I/O");

	/* What this sends may need the reserves, as reclaim's own I/O. */
	noreclaim = memalloc_noreclaim_save();
	spin_lock(&sw->lock);
	while ((io = list_first_entry_or_null(&sw->waiting, struct swap_io,
					      node))) {
		struct rnfs_replica *r = io_target(sw, io);
		struct swap_call *call;

		if (!r && io_refused(sw, io)) {
			list_del_init(&io->node);
			spin_unlock(&sw->lock);
			pr_err_ratelimited("%s: swap %s at %lld failed on every replica: %d\n",
					   rnfs_fs_label(fs),
					   io->write ? "write" : "read",
					   io->iocb->ki_pos, io->error);
			io_end(sw, io, io->error);
			spin_lock(&sw->lock);
			continue;
		}
		if (!r)
			break;		/* every replica down: wait */
		call = call_take(sw, io_pages(io));
		if (!call)
			break;		/* pages come back as calls end */
		call_send(sw, io, call, r);
		spin_lock(&sw->lock);
	}
	busy = !list_empty(&sw->out) || !list_empty(&sw->waiting);
	spin_unlock(&sw->lock);
	memalloc_noreclaim_restore(noreclaim);

	if (busy)
		scan_soon(sw, rnfs_hear_slice(fs));
}

/* address_space_operations.swap_rw of an rnfs swap file. */
int rnfs_swap_rw(struct kiocb *iocb, struct iov_iter *iter)
{
	struct rnfs_file *rf = iocb->ki_filp->private_data;
	struct rnfs_swap *sw = rf->swap;
	size_t len = iov_iter_count(iter);
	struct swap_call *call = NULL;
	struct rnfs_replica *r;
	struct swap_io *io;

	if (!sw || !len || len > SWAP_BATCH_PAGES * PAGE_SIZE ||
	    !iov_iter_is_bvec(iter))
		return -EINVAL;
	io = io_get(sw);
	io->iocb = iocb;
	io->iter = *iter;
	io->len = len;
	io->write = iov_iter_rw(iter) == WRITE;
	io->failed = 0;
	io->error = -EIO;

	/* Sent from here if it can be at once, else by the scan. */
	spin_lock(&sw->lock);
	while ((r = io_target(sw, io))) {
		call = call_take(sw, io_pages(io));
		if (call)
			break;
		spin_unlock(&sw->lock);
		wait_event(sw->pool_wait, pool_has(sw, io_pages(io)));
		spin_lock(&sw->lock);
	}
	if (call) {
		call_send(sw, io, call, r);
		scan_soon(sw, rnfs_hear_slice(sw->fs));
	} else {
		list_add_tail(&io->node, &sw->waiting);
		spin_unlock(&sw->lock);
		scan_soon(sw, 0);
	}
	return -EIOCBQUEUED;
}

/*
 * Open and activate the swap file on replica @r, by its filehandle.  0 or
 * -RNFS_ERETRY (@r is down: activated when it is back) leave swapon to go
 * on; any other error is the server's answer about the file.
 */
static int activate_one(struct rnfs_swap *sw, struct rnfs_replica *r)
{
	struct inode *inode = file_inode(sw->file);
	struct rnfs_lfile *lf;
	int ret;

	lockdep_assert_held(&sw->activate_lock);
	if (sw->lower[r->index])
		return 0;
	lf = rnfs_lower_open_inode(inode, r, sw->file->f_cred,
				   O_RDWR | O_DIRECT | O_LARGEFILE);
	if (IS_ERR(lf))
		return PTR_ERR(lf);
	ret = rnfs_lower_swap_activate(rnfs_lfile_file(lf));
	if (ret) {
		rnfs_lfile_put(lf);
		return ret;
	}
	spin_lock(&sw->lock);
	sw->lower[r->index] = lf;
	spin_unlock(&sw->lock);
	return 0;
}

/* Replicas that came back since swapon: activate them, then use them. */
static void activate_work(struct work_struct *work)
{
	struct rnfs_swap *sw = container_of(work, struct rnfs_swap, activate);
	struct rnfs_fs *fs = sw->fs;
	unsigned int i;
	int ret;

	mutex_lock(&sw->activate_lock);
	for (i = 0; i < fs->nr && !READ_ONCE(sw->stopping); i++) {
		struct rnfs_replica *r = fs->replica[i];

		if (sw->lower[i] || READ_ONCE(r->state) != RNFS_REPLICA_UP)
			continue;
		ret = activate_one(sw, r);
		if (!ret)
			pr_info("%s: swap file %pD activated on %s\n",
				rnfs_fs_label(fs), sw->file, r->host);
		else if (ret != -RNFS_ERETRY)
			pr_warn_ratelimited("%s: swap file %pD cannot be activated on %s: %d\n",
					    rnfs_fs_label(fs), sw->file,
					    r->host, ret);
	}
	mutex_unlock(&sw->activate_lock);
	scan_soon(sw, 0);
}

/* Replica @r is up again (replica.c): its swap files may be activated. */
void rnfs_swap_replica_up(struct rnfs_replica *r)
{
	struct rnfs_fs *fs = r->fs;
	struct rnfs_swap *sw;

	spin_lock(&fs->lock);
	list_for_each_entry(sw, &fs->swaps, node)
		queue_work(rnfs_wq, &sw->activate);
	spin_unlock(&fs->lock);
}

static void sw_free(struct rnfs_swap *sw)
{
	unsigned int i;

	for (i = 0; i < sw->nr_pages; i++)
		__free_page(sw->pages[i]);
	kvfree(sw);
}

static struct rnfs_swap *sw_alloc(struct file *file)
{
	struct rnfs_swap *sw = kvzalloc(sizeof(*sw), GFP_KERNEL);
	unsigned int i;

	if (!sw)
		return NULL;
	sw->fs = RNFS_FS(file_inode(file)->i_sb);
	sw->file = file;
	INIT_LIST_HEAD(&sw->node);
	mutex_init(&sw->activate_lock);
	INIT_WORK(&sw->activate, activate_work);
	INIT_DELAYED_WORK(&sw->scan, scan);
	spin_lock_init(&sw->lock);
	INIT_LIST_HEAD(&sw->free_ios);
	INIT_LIST_HEAD(&sw->free_calls);
	INIT_LIST_HEAD(&sw->out);
	INIT_LIST_HEAD(&sw->waiting);
	init_waitqueue_head(&sw->pool_wait);
	init_waitqueue_head(&sw->drained);
	for (i = 0; i < SWAP_IOS; i++)
		list_add(&sw->ios[i].node, &sw->free_ios);
	for (i = 0; i < SWAP_CALLS; i++) {
		sw->call[i].sw = sw;
		list_add(&sw->call[i].node, &sw->free_calls);
	}
	for (i = 0; i < SWAP_POOL_PAGES; i++) {
		sw->pages[i] = alloc_page(GFP_KERNEL);
		if (!sw->pages[i]) {
			sw_free(sw);
			return NULL;
		}
		sw->nr_pages++;
	}
	return sw;
}

/* Let go of every lower file, once no lower I/O is out. */
static void sw_stop(struct rnfs_swap *sw)
{
	struct rnfs_fs *fs = sw->fs;
	unsigned int i;

	spin_lock(&fs->lock);
	list_del_init(&sw->node);
	spin_unlock(&fs->lock);
	WRITE_ONCE(sw->stopping, true);
	cancel_work_sync(&sw->activate);
	/*
	 * The swap layer has nothing out by now (swapoff read every page
	 * back); calls given up on end when their replica answers or the
	 * reaper kills them.
	 */
	wait_event(sw->drained, ({
		bool idle;

		spin_lock(&sw->lock);
		idle = !sw->calls && list_empty(&sw->out) &&
		       list_empty(&sw->waiting);
		spin_unlock(&sw->lock);
		idle;
	}));
	cancel_delayed_work_sync(&sw->scan);
	for (i = 0; i < fs->nr; i++) {
		if (!sw->lower[i])
			continue;
		rnfs_lower_swap_deactivate(rnfs_lfile_file(sw->lower[i]));
		rnfs_lfile_put(sw->lower[i]);
		sw->lower[i] = NULL;
	}
}

/*
 * address_space_operations.swap_activate: the file is usable as swap if
 * every replica up now can activate it (one that cannot would fail the
 * swap I/O it fails over to), and at least one is up.
 */
int rnfs_swap_activate(struct swap_info_struct *sis, struct file *file,
		       sector_t *span)
{
	struct rnfs_file *rf = file->private_data;
	struct rnfs_fs *fs = RNFS_FS(file_inode(file)->i_sb);
	unsigned int i, active = 0;
	struct rnfs_swap *sw;
	int ret;

	if (rf->swap)
		return -EBUSY;
	/* What was written through the page cache (mkswap) goes first. */
	ret = filemap_write_and_wait(file->f_mapping);
	if (ret)
		return ret;
	sw = sw_alloc(file);
	if (!sw)
		return -ENOMEM;

	mutex_lock(&sw->activate_lock);
	for (i = 0; i < fs->nr; i++) {
		struct rnfs_replica *r = fs->replica[i];

		ret = -RNFS_ERETRY;
		if (READ_ONCE(r->state) == RNFS_REPLICA_UP)
			ret = activate_one(sw, r);
		if (!ret)
			active++;
		else if (ret != -RNFS_ERETRY)
			break;
	}
	mutex_unlock(&sw->activate_lock);
	if (ret && ret != -RNFS_ERETRY) {
		if (ret == -EINVAL)
			pr_warn("%s: swap file %pD has holes on %s: allocate it in full (dd, not fallocate or truncate)\n",
				rnfs_fs_label(fs), file, fs->replica[i]->host);
		goto fail;
	}
	ret = -EHOSTDOWN;
	if (!active)
		goto fail;
	ret = add_swap_extent(sis, 0, sis->max, 0);
	if (ret < 0)
		goto fail;
	*span = sis->pages;
	sis->flags |= SWP_FS_OPS;

	rf->swap = sw;
	spin_lock(&fs->lock);
	list_add(&sw->node, &fs->swaps);
	spin_unlock(&fs->lock);
	/* A replica that came back meanwhile was not told of @sw. */
	queue_work(rnfs_wq, &sw->activate);
	pr_info("%s: swap file %pD activated on %u of %u replicas\n",
		rnfs_fs_label(fs), file, active, fs->nr);
	return ret;

fail:
	sw_stop(sw);
	sw_free(sw);
	return ret;
}

/* address_space_operations.swap_deactivate: swapoff, or a failed swapon. */
void rnfs_swap_deactivate(struct file *file)
{
	struct rnfs_file *rf = file->private_data;
	struct rnfs_swap *sw = rf->swap;

	if (!sw)
		return;
	sw_stop(sw);
	rf->swap = NULL;
	sw_free(sw);
	pr_info("%s: swap file %pD deactivated\n",
		rnfs_fs_label(RNFS_FS(file_inode(file)->i_sb)), file);
}
