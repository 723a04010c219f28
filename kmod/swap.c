// SPDX-License-Identifier: GPL-2.0
/*
 * Swap on an rnfs file (DESIGN.md, Swap).
 *
 * swapon gets one extent with SWP_FS_OPS, so the swap layer hands every
 * batch of pages to rnfs_swap_rw().  Each replica has the file open and
 * activated as a swap file of its own (lower.c); a batch goes to one of
 * them as the lower NFS client's asynchronous swap I/O, and is sent again
 * to the next replica if that one fails, like any rnfs request, but with
 * none of the request engine: its workers and the wait of a caller are
 * what reclaim cannot afford.
 *
 * Memory: what rnfs needs for a batch comes from pools made at swapon:
 * the batch (struct swap_io), each attempt at it (struct swap_call) and
 * the bounce pages of an attempt's I/O.  (The lower NFS client allocates
 * its requests as it does for its own swap files, from the reserves.)  A
 * read lands in bounce pages and is copied into the swap layer's pages
 * only once it succeeded, and a write is copied out of them before it is
 * sent, so that an attempt given up on, whose RPCs may still run, never
 * touches a page that is the swap layer's again.  An attempt gives its
 * pages back when its lower I/O ends; the reaper kills those left on a
 * replica declared down (replica.c), as they count in its inflight.
 * Nothing that gives pool entries back can itself wait for the pools:
 * lower I/O is sent, and rnfs's own threads run, without reclaim into
 * filesystems (memalloc_nofs), which is how reclaim reaches a swap file,
 * and the scan has a workqueue of its own.
 *
 * Time: a scan (one delayed work per swap file, only while it has work)
 * applies the mount's deadline to every attempt, declares a silent
 * replica down (the same rule as rnfs_req_wait()), and sends batches
 * given up on, or waiting for a replica, to the next one, in order.  With
 * every replica down a batch waits, whatever the mount's soft option.  A
 * read never fails (a failed swap read is a SIGBUS): one that every
 * replica answered with an error is tried again a deadline later.
 *
 * Writes given up on: one may still land on its replica later (from a
 * server that held it, or the client's own queues), and by then its slot
 * could hold another page, written through the next replica.  What it
 * carries is what the next attempt wrote there, or, if the program
 * changed a page in between (the swap layer may map a page under
 * writeback), a page now dirty, whose slot is written again or freed
 * before it is read.  So it is harmless as long as the slot is not
 * written again: the batch ends as soon as an attempt succeeds (its
 * pages are the swap layer's again: a program touching one, tmpfs's
 * included, does not wait), and stays on
 * sw->settling, a record of its slots, until each attempt given up on
 * is settled: its lower I/O got an answer, or its replica was seen
 * fenced since (replica.c: up again after its old session was
 * destroyed), or SWAP_SETTLE_MAX passed (as fence.c's RNFS_DOUBT_KEEP).
 * A later write to one of those slots (the swap layer freed it and gave
 * it to another page) is held on sw->held, its pages in writeback, until
 * the record is gone.  swapoff waits for both.
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
/*
 * Writes out at once.  Records of writes given up on (see above) do not
 * count, nor do the first SWAP_HELD writes held behind them, but both
 * keep their batch: there are batches for one failover's worth of each,
 * held writes beyond that count as out, and reads keep SWAP_READS of
 * their own whatever happens.
 */
#define SWAP_WRITES		64
#define SWAP_HELD		64
#define SWAP_READS		32
#define SWAP_IOS		(SWAP_WRITES + SWAP_HELD + SWAP_WRITES + \
				 SWAP_READS)
/* Attempts out, and those given up on whose I/O has not ended yet. */
#define SWAP_CALLS		SWAP_IOS
#define SWAP_POOL_PAGES		(8 * SWAP_BATCH_PAGES)
#define SWAP_SETTLE_MAX		(15 * 60 * HZ)

struct rnfs_swap;

/* One attempt at a batch on one replica: a lower I/O. */
struct swap_call {
	struct kiocb kiocb;		/* the lower I/O's */
	struct list_head node;		/* on sw->free_calls */
	struct rnfs_swap *sw;
	/*
	 * Its batch, under sw->lock: NULL once a read is given up on; a
	 * write given up on keeps it, on io->abandoned, to settle it when
	 * it ends.
	 */
	struct swap_io *io;
	struct list_head abandoned;
	bool given_up;
	struct rnfs_replica *r;
	unsigned int gen;		/* r->gen when sent */
	unsigned long sent;		/* jiffies */
	size_t len;
	unsigned int nr;		/* bounce pages in bvec[] */
	struct bio_vec bvec[SWAP_BATCH_PAGES];
};

/* A batch of the swap layer: pages to read or write at one position. */
struct swap_io {
	struct list_head node;		/* on a list of sw, under sw->lock */
	struct kiocb *iocb;		/* the swap layer's; NULL once ended */
	struct iov_iter iter;		/* its pages */
	loff_t pos;
	size_t len;
	bool write;
	struct swap_call *call;		/* the attempt out, if any */
	unsigned long failed;		/* replicas that answered an error */
	unsigned long retry_at;		/* a read: not sent before (jiffies) */
	long result;			/* its length, or the error it ends with */
	bool done;			/* result known: on sw->settling */
	/* Writes given up on (see the top of this file). */
	struct list_head abandoned;	/* their calls, lower I/O not ended */
	unsigned long abandoned_since;	/* jiffies */
	unsigned long unfenced;		/* ended unanswered: replicas to fence */
	unsigned int fence_gen[RNFS_MAX_REPLICAS];	/* r->gen when sent */
	unsigned long since[RNFS_MAX_REPLICAS];		/* jiffies */
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
	struct list_head settling;	/* records: ended, writes given up on */
	struct list_head held;		/* writes to a slot in a record */
	unsigned int nr_ios;		/* free */
	unsigned int writes;		/* write batches not done */
	unsigned int nr_held;		/* on held */
	bool settle_late;		/* a record let go of unsettled */
	unsigned int nr_pages;		/* free in pages[] */
	unsigned int calls;		/* lower I/Os not ended */
	unsigned int callers;		/* in rnfs_swap_rw() */
	bool stopping;
	wait_queue_head_t pool_wait;	/* for a batch */
	wait_queue_head_t drained;	/* for nothing to be out */
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
		queue_delayed_work(rnfs_swap_wq, &sw->scan, delay);
	else
		mod_delayed_work(rnfs_swap_wq, &sw->scan, 0);
}

/*
 * A free batch for a write (at most SWAP_WRITES out, and SWAP_READS left
 * to reads), or for a read.  Waits: batches end without needing memory.
 */
static struct swap_io *io_get(struct rnfs_swap *sw, bool write)
{
	struct swap_io *io = NULL;

	wait_event(sw->pool_wait, ({
		spin_lock(&sw->lock);
		if (!write ||
		    (sw->writes - min_t(unsigned int, sw->nr_held, SWAP_HELD) < SWAP_WRITES &&
		     sw->nr_ios > SWAP_READS))
			io = list_first_entry_or_null(&sw->free_ios,
						      struct swap_io, node);
		if (io) {
			list_del_init(&io->node);
			sw->nr_ios--;
			sw->writes += write;
		}
		spin_unlock(&sw->lock);
		io;
	}));
	return io;
}

/*
 * A call with @nr bounce pages, all or none, so that two batches waiting
 * for pages never hold part of what the other needs.
 */
static struct swap_call *call_take(struct rnfs_swap *sw, unsigned int nr)
{
	struct swap_call *call;
	unsigned int i;

	lockdep_assert_held(&sw->lock);
	if (sw->nr_pages < nr || list_empty(&sw->free_calls))
		return NULL;
	call = list_first_entry(&sw->free_calls, struct swap_call, node);
	list_del_init(&call->node);
	for (i = 0; i < nr; i++)
		call->bvec[i].bv_page = sw->pages[--sw->nr_pages];
	call->nr = nr;
	return call;
}

static void call_give_back(struct rnfs_swap *sw, struct swap_call *call)
{
	unsigned int i;

	lockdep_assert_held(&sw->lock);
	for (i = 0; i < call->nr; i++)
		sw->pages[sw->nr_pages++] = call->bvec[i].bv_page;
	call->nr = 0;
	call->io = NULL;
	list_add(&call->node, &sw->free_calls);
}

/* Is @r up?  @gen: its generation, read together with its state. */
static bool replica_up_gen(struct rnfs_replica *r, unsigned int *gen)
{
	bool up;

	spin_lock(&r->fs->lock);
	up = r->state == RNFS_REPLICA_UP;
	*gen = r->gen;
	spin_unlock(&r->fs->lock);
	return up;
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

/* Is an activated replica up?  If none is, every batch waits. */
static bool any_up(struct rnfs_swap *sw)
{
	struct rnfs_fs *fs = sw->fs;
	unsigned int i;

	lockdep_assert_held(&sw->lock);
	for (i = 0; i < fs->nr; i++)
		if (sw->lower[i] &&
		    READ_ONCE(fs->replica[i]->state) == RNFS_REPLICA_UP)
			return true;
	return false;
}

/*
 * A write's attempt on @call's replica ended with no answer: what it
 * carried may reach the server until that is fenced.
 */
static void io_unfenced(struct swap_io *io, struct swap_call *call)
{
	unsigned int i = call->r->index;

	if (!(io->unfenced & BIT(i)) ||
	    (int)(call->gen - io->fence_gen[i]) > 0)
		io->fence_gen[i] = call->gen;
	io->unfenced |= BIT(i);
	io->since[i] = jiffies;
}

/*
 * May @io be freed?  Its result is known, and each write given up on has
 * ended and is settled: answered, or its replica seen fenced since it
 * was sent (up again after a confirmed fence: two generations on), or
 * kept long enough.
 */
static bool io_settled(struct rnfs_swap *sw, struct swap_io *io)
{
	struct rnfs_fs *fs = sw->fs;
	struct swap_call *call, *tmp;
	bool late = false;
	unsigned int i;

	lockdep_assert_held(&sw->lock);
	if (!io->done)
		return false;
	if (!list_empty(&io->abandoned)) {
		if (time_before(jiffies, io->abandoned_since + SWAP_SETTLE_MAX))
			return false;
		/* Stuck for good: let the calls end on their own. */
		list_for_each_entry_safe(call, tmp, &io->abandoned, abandoned) {
			list_del_init(&call->abandoned);
			call->io = NULL;
		}
		late = true;
	}
	for (i = 0; i < fs->nr; i++) {
		if (!(io->unfenced & BIT(i)))
			continue;
		if ((int)(READ_ONCE(fs->replica[i]->fenced_gen) -
			  io->fence_gen[i]) >= 2) {
			io->unfenced &= ~BIT(i);
		} else if (time_after(jiffies, io->since[i] + SWAP_SETTLE_MAX)) {
			io->unfenced &= ~BIT(i);
			late = true;
		}
	}
	if (late)
		sw->settle_late = true;		/* the scan says so */
	return !io->unfenced;
}

/*
 * Free @io, settled, ending it to the swap layer if it was not yet.
 * Drops sw->lock.
 */
static void io_end(struct rnfs_swap *sw, struct swap_io *io)
	__releases(&sw->lock)
{
	struct kiocb *iocb = io->iocb;
	long result = io->result;

	io->iocb = NULL;
	io->done = false;
	list_del_init(&io->node);
	list_add(&io->node, &sw->free_ios);
	sw->nr_ios++;
	spin_unlock(&sw->lock);
	wake_up_all(&sw->pool_wait);
	wake_up_all(&sw->drained);
	if (iocb)
		iocb->ki_complete(iocb, result);
}

/*
 * @io has its result: end it to the swap layer, and keep it as a record
 * of its slots while writes given up on are not settled.
 */
static void io_done(struct rnfs_swap *sw, struct swap_io *io, long result)
	__releases(&sw->lock)
{
	struct kiocb *iocb = io->iocb;

	io->result = result;
	io->done = true;
	sw->writes -= io->write;
	if (io_settled(sw, io)) {
		io_end(sw, io);
		return;
	}
	io->iocb = NULL;
	list_move_tail(&io->node, &sw->settling);
	spin_unlock(&sw->lock);
	wake_up_all(&sw->pool_wait);	/* a write fewer out */
	scan_soon(sw, rnfs_hear_slice(sw->fs));
	iocb->ki_complete(iocb, result);
}

/* Does @io write to a slot of a record (a write given up on)? */
static bool io_meets_record(struct rnfs_swap *sw, struct swap_io *io)
{
	struct swap_io *rec;

	lockdep_assert_held(&sw->lock);
	if (!io->write)
		return false;
	list_for_each_entry(rec, &sw->settling, node)
		if (io->pos < rec->pos + rec->len &&
		    rec->pos < io->pos + io->len)
			return true;
	return false;
}

/* Hold @io, a write to a slot of a record, until that record is gone. */
static void io_hold(struct rnfs_swap *sw, struct swap_io *io)
{
	lockdep_assert_held(&sw->lock);
	sw->nr_held++;
	list_add_tail(&io->node, &sw->held);
}

static void call_done(struct kiocb *kiocb, long ret);

/*
 * Send @io to @r with @call, taken for it while @io is on no list (no one
 * else can reach it).  From the moment the call is published, its lower
 * I/O may end at any time on another CPU and @io may be sent again and
 * end: nothing here looks at @io after that.  Called with sw->lock held,
 * which it drops.  Never waits for the server.
 */
static void call_send(struct rnfs_swap *sw, struct swap_io *io,
		      struct swap_call *call, struct rnfs_replica *r)
	__releases(&sw->lock)
{
	struct file *lower = rnfs_lfile_file(sw->lower[r->index]);
	struct iov_iter from = io->iter;
	size_t left = io->len;
	struct iov_iter iter;
	unsigned int i, gen, nofs;
	int ret;

	spin_unlock(&sw->lock);
	for (i = 0; i < call->nr; i++) {
		size_t n = min_t(size_t, left, PAGE_SIZE);

		bvec_set_page(&call->bvec[i], call->bvec[i].bv_page, n, 0);
		if (io->write)
			copy_page_from_iter(call->bvec[i].bv_page, 0, n, &from);
		left -= n;
	}
	call->len = io->len;
	call->given_up = false;
	init_sync_kiocb(&call->kiocb, lower);
	call->kiocb.ki_pos = io->pos;
	call->kiocb.ki_complete = call_done;
	iov_iter_bvec(&iter, io->write ? ITER_SOURCE : ITER_DEST, call->bvec,
		      call->nr, io->len);

	/* Declared down since it was chosen: choose again. */
	if (!replica_up_gen(r, &gen)) {
		spin_lock(&sw->lock);
		call_give_back(sw, call);
		list_add(&io->node, &sw->waiting);
		spin_unlock(&sw->lock);
		scan_soon(sw, 0);
		return;
	}
	spin_lock(&sw->lock);
	call->gen = gen;
	call->io = io;
	call->r = r;
	call->sent = jiffies;
	io->call = call;
	list_add_tail(&io->node, &sw->out);
	sw->calls++;
	atomic_inc(&r->inflight);	/* the reaper kills it if r dies */
	spin_unlock(&sw->lock);

	/* What the NFS client allocates must not reclaim into a swap file. */
	nofs = memalloc_nofs_save();
	ret = rnfs_lower_swap_rw(&call->kiocb, &iter);
	memalloc_nofs_restore(nofs);
	if (ret != -EIOCBQUEUED)
		call_done(&call->kiocb, ret ?: -EIO);
}

/*
 * The lower I/O of @kiocb ended: called by the NFS client from rpciod
 * (reads) or nfsiod (writes), or from call_send().  Its batch, if this
 * is still its attempt, has its result, or goes back to be sent again; a
 * write given up on may settle its batch.
 */
static void call_done(struct kiocb *kiocb, long ret)
{
	struct swap_call *call = container_of(kiocb, struct swap_call, kiocb);
	struct rnfs_swap *sw = call->sw;
	struct rnfs_replica *r = call->r;
	bool ok = ret == call->len, given_up, killed;
	struct swap_io *io;

	spin_lock(&sw->lock);
	killed = READ_ONCE(r->gen) != call->gen ||
		 READ_ONCE(r->state) != RNFS_REPLICA_UP;
	given_up = call->given_up;
	io = call->io;
	if (io && !given_up) {
		/* Still its batch's attempt: the batch is this call's now. */
		io->call = NULL;
		list_del_init(&io->node);
		if (!ok) {
			if (!killed) {
				/* A live replica's answer rules it out. */
				io->failed |= BIT(r->index);
				io->result = ret;
			} else if (io->write) {
				/* Killed: it may have been sent all the same. */
				io_unfenced(io, call);
			}
			list_add(&io->node, &sw->waiting);
			io = NULL;
		}
	}
	spin_unlock(&sw->lock);

	/* A read's pages, from bounce pages still its own. */
	if (io && !given_up && !io->write) {
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
	if (given_up)
		io = call->io;	/* NULL if io_settled() let go of it meanwhile */
	if (io && given_up) {
		/* A write given up on, whose batch waits for it. */
		list_del_init(&call->abandoned);
		if (!ok)
			io_unfenced(io, call);
		if (!io_settled(sw, io))
			io = NULL;
	}
	call_give_back(sw, call);
	if (io && given_up)
		io_end(sw, io);
	else if (io)
		io_done(sw, io, ret);
	else
		spin_unlock(&sw->lock);
	if (!list_empty_careful(&sw->waiting) || !list_empty_careful(&sw->held))
		scan_soon(sw, 0);

	/* Last: swapoff frees @sw once no call is out. */
	atomic_dec(&r->inflight);
	spin_lock(&sw->lock);
	if (!--sw->calls)
		wake_up_all(&sw->drained);
	spin_unlock(&sw->lock);
}

/*
 * The next batch to send: the first waiting that has a replica to go to
 * and is due.  A read every replica answered with an error is tried
 * again everywhere a deadline later; a write fails then, as on NFS.
 */
static struct swap_io *next_waiting(struct rnfs_swap *sw,
				    struct rnfs_replica **rp)
{
	struct swap_io *io, *tmp;

	lockdep_assert_held(&sw->lock);
	list_for_each_entry_safe(io, tmp, &sw->waiting, node) {
		if (!io->write && time_before(jiffies, io->retry_at))
			continue;
		*rp = io_target(sw, io);
		if (*rp)
			return io;
		if (!io->failed || !any_up(sw))
			continue;	/* waits for a replica */
		if (io->write) {
			pr_err_ratelimited("%s: swap write at %lld failed on every replica: %ld\n",
					   rnfs_fs_label(sw->fs), io->pos,
					   io->result);
			*rp = NULL;
			return io;
		}
		pr_warn_ratelimited("%s: swap read at %lld failed on every replica (%ld): trying again\n",
				    rnfs_fs_label(sw->fs), io->pos, io->result);
		io->failed = 0;
		io->retry_at = jiffies + rnfs_deadline(sw->fs);
	}
	return NULL;
}

/*
 * Give up on the attempts whose replica was declared down or stayed
 * silent past the deadline (declaring it down), settle what can be, and
 * send what waits, first come first served.
 */
static void scan(struct work_struct *work)
{
	struct rnfs_swap *sw = container_of(work, struct rnfs_swap,
					    scan.work);
	struct rnfs_fs *fs = sw->fs;
	unsigned long heard[RNFS_MAX_REPLICAS], deadline = rnfs_deadline(fs);
	unsigned int silent_gen[RNFS_MAX_REPLICAS];
	unsigned int writes_given_up[RNFS_MAX_REPLICAS] = { 0 };
	unsigned long silent = 0;
	struct rnfs_replica *r;
	struct swap_io *io, *tmp;
	unsigned int noreclaim, i;
	bool busy, late;

	/* What this sends may need the reserves, as reclaim's own I/O. */
	noreclaim = memalloc_noreclaim_save();
	for (i = 0; i < fs->nr; i++)
		heard[i] = rnfs_replica_heard(fs->replica[i]);

	spin_lock(&sw->lock);
	list_for_each_entry_safe(io, tmp, &sw->out, node) {
		struct swap_call *call = io->call;
		unsigned long last = heard[call->r->index];

		r = call->r;
		if (time_before(last, call->sent))
			last = call->sent;
		if (READ_ONCE(r->gen) == call->gen) {
			if (time_before(jiffies, last + deadline))
				continue;
			silent |= BIT(r->index);
			silent_gen[r->index] = call->gen;
		}
		/* Its pages come back when its lower I/O ends. */
		io->call = NULL;
		if (io->write) {
			writes_given_up[r->index]++;
			call->given_up = true;
			list_add(&call->abandoned, &io->abandoned);
			if (list_is_singular(&io->abandoned))
				io->abandoned_since = jiffies;
		} else {
			call->io = NULL;
		}
		list_move(&io->node, &sw->waiting);
	}
	spin_unlock(&sw->lock);

	for (i = 0; i < fs->nr; i++) {
		if (silent & BIT(i))
			rnfs_replica_failed(fs->replica[i], silent_gen[i],
					    "no reply to swap I/O");
		if (writes_given_up[i])
			pr_info("%s: swap file %pD: %u write batches given up on %s, sent again; their slots are not written again until that is settled\n",
				rnfs_fs_label(fs), sw->file,
				writes_given_up[i], fs->replica[i]->host);
	}

	spin_lock(&sw->lock);
	list_for_each_entry_safe(io, tmp, &sw->settling, node) {
		if (!io_settled(sw, io))
			continue;
		io_end(sw, io);
		spin_lock(&sw->lock);
		/* The list may have changed while the lock was dropped. */
		tmp = list_first_entry(&sw->settling, struct swap_io, node);
	}
	list_for_each_entry_safe(io, tmp, &sw->held, node) {
		if (io_meets_record(sw, io))
			continue;
		sw->nr_held--;
		list_move_tail(&io->node, &sw->waiting);
	}
	while ((io = next_waiting(sw, &r))) {
		struct swap_call *call;

		if (!r) {
			io_done(sw, io, io->result);
			spin_lock(&sw->lock);
			continue;
		}
		call = call_take(sw, io_pages(io));
		if (!call)
			break;		/* pages come back as calls end */
		list_del_init(&io->node);
		call_send(sw, io, call, r);
		spin_lock(&sw->lock);
	}
	busy = !list_empty(&sw->out) || !list_empty(&sw->waiting) ||
	       !list_empty(&sw->settling) || !list_empty(&sw->held);
	late = sw->settle_late;
	sw->settle_late = false;
	spin_unlock(&sw->lock);
	if (late)
		pr_warn("%s: swap file %pD: a write given up on %u s ago may still land (its server was not seen fenced)\n",
			rnfs_fs_label(fs), sw->file, SWAP_SETTLE_MAX / HZ);
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
	loff_t pos = iocb->ki_pos;	/* @iocb may be gone once sent */
	bool write = iov_iter_rw(iter) == WRITE;
	struct swap_call *call = NULL;
	struct rnfs_replica *r = NULL;
	struct swap_io *io;

	/* 6.1 and 6.12 never batch more (large folios are not swapped). */
	if (!sw || !len || len > SWAP_BATCH_PAGES * PAGE_SIZE ||
	    !iov_iter_is_bvec(iter) || !PAGE_ALIGNED(pos)) {
		pr_warn_once("%s: unexpected swap I/O of %zu bytes at %lld\n",
			     rnfs_fs_label(RNFS_FS(file_inode(iocb->ki_filp)->i_sb)),
			     len, pos);
		return -EINVAL;
	}
	/* Counted until it returns: swapoff frees @sw once none is here. */
	spin_lock(&sw->lock);
	sw->callers++;
	spin_unlock(&sw->lock);

	io = io_get(sw, write);
	io->iocb = iocb;
	io->iter = *iter;
	io->pos = pos;
	io->len = len;
	io->write = write;
	io->call = NULL;
	io->failed = 0;
	io->retry_at = jiffies;
	io->result = -EIO;
	io->done = false;
	INIT_LIST_HEAD(&io->abandoned);
	io->unfenced = 0;

	/* Sent from here if nothing waits before it, else by the scan. */
	spin_lock(&sw->lock);
	if (io_meets_record(sw, io)) {
		io_hold(sw, io);
		spin_unlock(&sw->lock);
		wake_up_all(&sw->pool_wait);	/* a write fewer counted */
		scan_soon(sw, rnfs_hear_slice(sw->fs));
		pr_info_ratelimited("%s: swap file %pD: a write at %lld waits for an earlier write there, given up on, to settle\n",
				    rnfs_fs_label(sw->fs), sw->file, pos);
		goto out;
	}
	if (list_empty(&sw->waiting)) {
		r = io_target(sw, io);
		if (r)
			call = call_take(sw, io_pages(io));
	}
	if (call) {
		call_send(sw, io, call, r);
		scan_soon(sw, rnfs_hear_slice(sw->fs));
	} else {
		list_add_tail(&io->node, &sw->waiting);
		spin_unlock(&sw->lock);
		scan_soon(sw, 0);
	}
out:
	spin_lock(&sw->lock);
	if (!--sw->callers)
		wake_up_all(&sw->drained);
	spin_unlock(&sw->lock);
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
		if (ret == -EINVAL)
			pr_warn("%s: swap file %pD has holes on %s: allocate it in full (dd, not fallocate or truncate)\n",
				rnfs_fs_label(sw->fs), sw->file, r->host);
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
	unsigned int i, nofs;
	int ret;

	nofs = memalloc_nofs_save();	/* as the tick's (replica.c) */
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
	memalloc_nofs_restore(nofs);
	scan_soon(sw, 0);
}

/* Replica @r is up again (replica.c): its swap files may be activated. */
void rnfs_swap_replica_up(struct rnfs_replica *r)
{
	struct rnfs_fs *fs = r->fs;
	struct rnfs_swap *sw;

	spin_lock(&fs->lock);
	list_for_each_entry(sw, &fs->swaps, node) {
		queue_work(rnfs_wq, &sw->activate);
		scan_soon(sw, 0);	/* writes it had may settle now */
	}
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
	INIT_LIST_HEAD(&sw->settling);
	INIT_LIST_HEAD(&sw->held);
	init_waitqueue_head(&sw->pool_wait);
	init_waitqueue_head(&sw->drained);
	for (i = 0; i < SWAP_IOS; i++)
		list_add(&sw->ios[i].node, &sw->free_ios);
	sw->nr_ios = SWAP_IOS;
	for (i = 0; i < SWAP_CALLS; i++) {
		sw->call[i].sw = sw;
		INIT_LIST_HEAD(&sw->call[i].abandoned);
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
	 * back and waited for every write); calls given up on end when
	 * their replica answers or the reaper kills them, and records go
	 * when those are settled: up to SWAP_SETTLE_MAX with a server gone,
	 * a wait for a server as NFS's own, which the hung task watchdog
	 * does not take for a deadlock.
	 */
	wait_event_idle(sw->drained, ({
		bool idle;

		spin_lock(&sw->lock);
		idle = !sw->calls && !sw->callers && list_empty(&sw->out) &&
		       list_empty(&sw->waiting) && list_empty(&sw->settling) &&
		       list_empty(&sw->held);
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
	/* A write of it in doubt (fence.c) could still be done again. */
	if (atomic_read(&RNFS_I(file_inode(file))->doubts))
		return -EBUSY;
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
	if (ret && ret != -RNFS_ERETRY)
		goto fail;
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
