// SPDX-License-Identifier: GPL-2.0
/*
 * Worker threads: each replica's requests run on a pool of kernel threads
 * of its own (DESIGN.md, invariant 9: nothing can starve the rest).
 *
 * Why threads and not a workqueue: a lower call can block where neither
 * rnfs's deadline nor killing RPCs reaches it.  When a server comes back
 * without its NFSv4 state and then never completes the client's recovery
 * (its client-tracking storage hangs, say), every call on it waits in
 * nfs4_wait_clnt_recover() for a state manager that retries forever.  That
 * wait is killable, and a kworker cannot take a signal; these threads
 * take SIGKILL from the kernel only (allow_kernel_signal()), and the
 * reaper sends one to each thread still running a request that was given
 * up on (rnfs_workers_kill()).  The signal is cleared before the thread
 * takes its next request.  Writes are never killed: fence.c counts on a
 * write's worker staying until its RPCs are gone, which killing the RPCs
 * (the reaper) ensures and killing the worker would not.
 *
 * Their own fs_struct also lets creates take the caller's umask
 * (request.c) without touching a kworker shared with the rest of the
 * kernel.
 *
 * RNFS_WORKERS_MIN threads start with the replica and stay, so that
 * writeback goes on when no memory is to be had for a new thread (what a
 * workqueue's rescuer is for).  While no idle thread is bound to the
 * submitter's CPU (or free to be), more are started from a work item, up to
 * RNFS_WORKERS_MAX; the tick stops one idle for RNFS_WORKER_IDLE beyond
 * the minimum at a time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "rnfs.h"

#define RNFS_WORKERS_MIN	2
#define RNFS_WORKERS_MAX	128
#define RNFS_WORKER_IDLE	(30 * HZ)

struct rnfs_worker {
	struct list_head node;		/* in pool->threads */
	struct list_head idle;		/* in pool->idle, while asleep */
	struct task_struct *task;
	struct rnfs_workers *pool;
	/* Under pool->lock: */
	struct rnfs_req *req;		/* given to it, or running; only a */
					/* mark once run (it may be freed) */
	unsigned int gen;		/* the request's replica->gen */
	bool killable;			/* the request's: not a write */
	unsigned long since;		/* jiffies: taken, or idle */
	int cpu;			/* bound there; -1: not yet */
	int want_cpu;			/* its submitter's; -1: none */
	bool stopping;			/* takes no more requests */
};

/*
 * Run where the submitters run, as a per-CPU kworker would: a submitter
 * mostly sleeps while its request runs, so its CPU is free, and a thread
 * bound to one CPU that wakes a task there leaves it there
 * (select_idle_sibling()).  Unbound, the scheduler would move the thread
 * to an idle CPU and back, both ways, for each request (a third of the
 * creates and unlinks per second, measured in the lab).  A thread binds
 * itself once, to the CPU of its first request; a request for a CPU with
 * no thread of its own idle runs on another's, and a new one is started.
 */
static void worker_bind(struct rnfs_worker *w, int cpu)
{
	if (w->cpu >= 0 || cpu < 0)
		return;
	if (!set_cpus_allowed_ptr(current, cpumask_of(cpu)))
		w->cpu = cpu;
}

static struct rnfs_req *queue_first(struct rnfs_workers *p)
{
	return list_first_entry_or_null(&p->queue, struct rnfs_req, queued);
}

/* Under pool->lock: @w takes @req. */
static void worker_take(struct rnfs_worker *w, struct rnfs_req *req)
{
	list_del_init(&w->idle);
	w->req = req;
	w->gen = req->gen;
	w->killable = !req->unkillable;
	w->want_cpu = -1;
	w->since = jiffies;
	w->pool->busy++;
}

/* The next request for @w, or NULL once the thread is to stop. */
static struct rnfs_req *worker_next(struct rnfs_worker *w)
{
	struct rnfs_workers *p = w->pool;
	struct rnfs_req *req = NULL;
	int cpu = -1;

	spin_lock(&p->lock);
	if (w->req) {
		w->req = NULL;
		w->since = jiffies;
		p->busy--;
	}
	/* A kill meant for the request just run must not hit the next. */
	flush_signals(current);
	for (;;) {
		/* Before the tests: kthread_stop() wakes without the lock. */
		set_current_state(TASK_IDLE);
		if (kthread_should_stop())
			break;
		if (w->req) {			/* given by rnfs_workers_queue() */
			req = w->req;
			cpu = w->want_cpu;
			break;
		}
		req = queue_first(p);
		if (req && !w->stopping) {
			list_del_init(&req->queued);
			p->queued--;
			worker_take(w, req);
			break;
		}
		req = NULL;
		if (!w->stopping && list_empty(&w->idle))
			list_add(&w->idle, &p->idle);
		spin_unlock(&p->lock);
		schedule();
		spin_lock(&p->lock);
	}
	__set_current_state(TASK_RUNNING);
	if (!req)
		list_del_init(&w->idle);
	spin_unlock(&p->lock);
	if (req)
		worker_bind(w, cpu);
	return req;
}

static int worker_fn(void *data)
{
	struct rnfs_worker *w = data;
	struct rnfs_req *req;

	allow_kernel_signal(SIGKILL);
	/*
	 * Never into filesystem reclaim, as rpciod: it could evict rnfs
	 * inodes or wait for rnfs writeback, which wait for these threads.
	 */
	memalloc_nofs_save();
	while ((req = worker_next(w)))
		rnfs_req_run(req);
	return 0;
}

static int worker_start(struct rnfs_workers *p)
{
	struct rnfs_worker *w = kzalloc(sizeof(*w), GFP_KERNEL);
	struct task_struct *task;

	if (!w)
		return -ENOMEM;
	w->pool = p;
	w->cpu = -1;
	w->since = jiffies;
	INIT_LIST_HEAD(&w->idle);
	task = kthread_create(worker_fn, w, "rnfs-%s", p->name);
	if (IS_ERR(task)) {
		kfree(w);
		return PTR_ERR(task);
	}
	w->task = task;
	spin_lock(&p->lock);
	list_add_tail(&w->node, &p->threads);
	p->nr++;
	spin_unlock(&p->lock);
	wake_up_process(task);
	return 0;
}

static bool want_more(struct rnfs_workers *p)
{
	bool more;

	spin_lock(&p->lock);
	more = p->want && p->nr < RNFS_WORKERS_MAX;
	p->want = false;
	spin_unlock(&p->lock);
	return more;
}

static void workers_grow(struct work_struct *work)
{
	struct rnfs_workers *p = container_of(work, struct rnfs_workers, grow);

	/* Failing, the threads there take the queue in turn; the next */
	/* request without a thread of its CPU idle tries again. */
	if (want_more(p))
		worker_start(p);
}

int rnfs_workers_init(struct rnfs_workers *p, const char *name)
{
	int i, ret;

	spin_lock_init(&p->lock);
	INIT_LIST_HEAD(&p->queue);
	INIT_LIST_HEAD(&p->threads);
	INIT_LIST_HEAD(&p->idle);
	INIT_WORK(&p->grow, workers_grow);
	strscpy(p->name, name, sizeof(p->name));
	p->ready = true;
	for (i = 0; i < RNFS_WORKERS_MIN; i++) {
		ret = worker_start(p);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * An idle thread for a request submitted on @cpu: one bound there, else
 * one not bound yet; else any, and *@more: start one for @cpu.
 */
static struct rnfs_worker *idle_thread(struct rnfs_workers *p, int cpu,
				       bool *more)
{
	struct rnfs_worker *w, *unbound = NULL;

	list_for_each_entry(w, &p->idle, idle) {
		if (w->cpu == cpu)
			return w;
		if (w->cpu < 0 && !unbound)
			unbound = w;
	}
	if (unbound)
		return unbound;
	*more = true;
	return list_first_entry_or_null(&p->idle, struct rnfs_worker, idle);
}

void rnfs_workers_queue(struct rnfs_workers *p, struct rnfs_req *req)
{
	int cpu = raw_smp_processor_id();
	struct rnfs_worker *w;
	bool more = false;

	spin_lock(&p->lock);
	w = idle_thread(p, cpu, &more);
	if (w) {
		worker_take(w, req);
		w->want_cpu = cpu;
		wake_up_process(w->task);
	} else {
		list_add_tail(&req->queued, &p->queue);
		p->queued++;
	}
	if (more && p->nr < RNFS_WORKERS_MAX && !p->want) {
		p->want = true;
		queue_work(system_unbound_wq, &p->grow);
	}
	spin_unlock(&p->lock);
}

/*
 * SIGKILL to each thread running a request of @p's replica that was given
 * up on (submitted before generation @gen), or, with @stuck, running one
 * for longer than that: a wait the NFS client made killable ends, the
 * lower call returns.  Writes are left to the RPC killing (see the top).
 */
void rnfs_workers_kill(struct rnfs_workers *p, unsigned int gen,
		       unsigned long stuck)
{
	struct rnfs_worker *w;

	spin_lock(&p->lock);
	list_for_each_entry(w, &p->threads, node)
		if (w->req && w->killable &&
		    (w->gen != gen ||
		     (stuck && time_after(jiffies, w->since + stuck))))
			send_sig(SIGKILL, w->task, 1);
	spin_unlock(&p->lock);
}

/*
 * Is a thread of @p running a request for longer than @stuck, and since
 * @heard, the server's last reply (as rnfs_req_wait() judges)?
 */
bool rnfs_workers_stuck(struct rnfs_workers *p, unsigned long stuck,
			unsigned long heard)
{
	struct rnfs_worker *w;
	bool found = false;

	spin_lock(&p->lock);
	list_for_each_entry(w, &p->threads, node) {
		if (w->req && time_after(jiffies, w->since + stuck) &&
		    time_after(jiffies, heard + stuck)) {
			found = true;
			break;
		}
	}
	spin_unlock(&p->lock);
	return found;
}

/* From the tick: stop one thread beyond the minimum idle for long. */
void rnfs_workers_trim(struct rnfs_workers *p)
{
	struct rnfs_worker *w, *found = NULL;

	spin_lock(&p->lock);
	if (p->nr > RNFS_WORKERS_MIN) {
		/* The longest idle are last: idle threads are pushed first. */
		w = list_empty(&p->idle) ? NULL :
		    list_last_entry(&p->idle, struct rnfs_worker, idle);
		if (w && time_after(jiffies, w->since + RNFS_WORKER_IDLE))
			found = w;
	}
	if (found) {
		found->stopping = true;
		list_del_init(&found->idle);
		list_del(&found->node);
		p->nr--;
	}
	spin_unlock(&p->lock);
	if (found) {
		kthread_stop(found->task);
		kfree(found);
	}
}

/* Every request is done (each held the mount): stop the threads. */
void rnfs_workers_stop(struct rnfs_workers *p)
{
	struct rnfs_worker *w, *next;

	if (!p->ready)
		return;
	cancel_work_sync(&p->grow);
	list_for_each_entry_safe(w, next, &p->threads, node) {
		spin_lock(&p->lock);
		w->stopping = true;
		list_del_init(&w->idle);
		spin_unlock(&p->lock);
		kthread_stop(w->task);
		list_del(&w->node);
		kfree(w);
	}
	p->nr = 0;
}
