/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rnfs: NFS client failover across replica servers.  Private header, one
 * section per file.
 *
 * Objects and their lifetimes:
 *
 *   struct rnfs_fs       one per rnfs mount (sb->s_fs_info); refcounted,
 *                        because requests abandoned on a dead replica may
 *                        outlive the superblock.  Freed by a work item on
 *                        rnfs_ctl_wq, which also drops the lower mounts.
 *   struct rnfs_replica  one per replica server, owned by its rnfs_fs.
 *   struct rnfs_req      one call into a lower NFS mount, run by a worker
 *                        (request.c).  Holds only lower objects, its own
 *                        buffers and references to the pages it writes,
 *                        never upper dentries, inodes or folio locks, so
 *                        abandoning it is always safe.
 *   upper dentry         d_fsdata caches the lower dentry its name led to
 *                        on each replica.
 *   upper inode          keyed by (fsid, fileid, filehandle), the same on
 *                        every replica; owns the page cache (eCryptfs
 *                        model) and the object's filehandle, which finds
 *                        it on any replica.
 *   upper file           private_data holds the lower file on each replica.
 */
#ifndef _RNFS_H
#define _RNFS_H

#include <linux/bvec.h>
#include <linux/completion.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/socket.h>
#include <linux/spinlock.h>
#include <linux/statfs.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "compat.h"		/* after every kernel header */
#include "spec.h"
#include "uapi/rnfs.h"

/*
 * "Retry elsewhere": the replica a request went to was declared down while
 * it was out, or is not mounted.  The engine's own code, which every
 * operation answers by trying again on the active replica, so that it
 * never reaches a caller of rnfs.  Not -EAGAIN, which lower calls return
 * for reasons of their own (a lock held by another).  Below MAX_ERRNO,
 * for ERR_PTR().
 */
#define RNFS_ERETRY		4000

/* Defaults: the failover deadline is timeo x retrans, 3 s. */
#define RNFS_DEFAULT_TIMEO		10	/* deciseconds */
#define RNFS_DEFAULT_RETRANS		3
#define RNFS_DEFAULT_FAILBACK_DELAY	30	/* seconds */
#define RNFS_PROBE_INTERVAL		HZ
#define RNFS_READAHEAD_RSIZES		4	/* readahead, in lower rsizes */
#define RNFS_IDLE_KEEP			(2 * HZ)	/* see idle.c */
/* At mount time, how long to wait for the primary, and for any replica. */
#define RNFS_MOUNT_PREFER		(2 * HZ)
#define RNFS_MOUNT_TIMEOUT		(15 * HZ)
#define RNFS_REASON_LEN			64	/* events' "why" */

/*
 * An object's NFS filehandle, as the lower NFS client encodes it for
 * export (fs/nfs/export.c: fileid, type, the server's filehandle).
 * Replicas of one backing filesystem give an object the same one, so it
 * finds the object on any replica whatever its name is now.
 */
/*
 * The export encoding's 3 words and the server's filehandle (its 2-byte
 * length, then up to NFS4_FHSIZE = 128 bytes).  The NFS client decodes
 * only up to 32 words: an object whose server filehandle is longer than
 * 114 bytes is looked up all the same, but on another replica it is found
 * only once its name has been looked up there.
 */
#define RNFS_FH_WORDS	36
struct rnfs_fh {
	u8 type;
	u8 len;				/* in words */
	u32 raw[RNFS_FH_WORDS];
};

static inline size_t rnfs_fh_size(const struct rnfs_fh *fh)
{
	return offsetof(struct rnfs_fh, raw) + fh->len * sizeof(u32);
}

static inline bool rnfs_fh_equal(const struct rnfs_fh *a,
				 const struct rnfs_fh *b)
{
	return a->type == b->type && a->len == b->len &&
	       !memcmp(a->raw, b->raw, a->len * sizeof(u32));
}

enum rnfs_replica_state {
	RNFS_REPLICA_DOWN,	/* not mounted yet, or stopped answering */
	RNFS_REPLICA_UP,
};

/* A replica declared down is fenced before it is used again (replica.c). */
enum rnfs_fence {
	RNFS_FENCE_NONE,	/* nothing to fence, or done as it could be */
	RNFS_FENCE_DUE,		/* reset its session once it answers */
	RNFS_FENCE_ASKED,	/* reset being asked for (fence_work) */
	RNFS_FENCE_SENT,	/* reset asked for, not done yet */
};

/* Session calls of a lower NFS client, as sunrpc counts them (lower.c). */
struct rnfs_sessions {
	unsigned long destroyed, destroy_failed, created, exchanged;
};

struct rnfs_fs;

/* A replica's worker threads (workers.c). */
struct rnfs_workers {
	spinlock_t lock;		/* all of it but the thread's task */
	struct list_head queue;		/* requests waiting for a thread */
	struct list_head threads;	/* struct rnfs_worker */
	struct list_head idle;		/* asleep, last idle first */
	unsigned int queued, nr, busy;
	bool want;			/* another thread: grow is queued */
	struct work_struct grow;	/* starts threads while requests wait */
	char name[16];
	bool ready;
};

struct rnfs_replica {
	struct rnfs_fs *fs;
	unsigned int index;		/* preference order, 0 = primary */
	char host[RNFS_HOST_LEN];	/* numeric address, as given */
	char path[RNFS_PATH_LEN];	/* exported path */
	struct vfsmount *mnt;		/* private lower mount, set once */
	struct rnfs_workers workers;	/* run its requests (workers.c) */
	/* The fields below are protected by fs->lock. */
	enum rnfs_replica_state state;
	unsigned int gen;		/* bumped when declared down */
	unsigned long up_since;		/* jiffies */
	struct rnfs_req *probe;		/* outstanding probe, if any */
	unsigned long failures;		/* times declared down */
	bool refused;			/* serves another filesystem: unused */
	bool conn_reset;		/* down, and its connections reset */
	enum rnfs_fence fence;		/* its session, once it answers again */
	struct rnfs_sessions fence_mark; /* the counts when declared down */
	unsigned long fence_sent;	/* jiffies */
	bool fence_warned;		/* "could not be fenced" said */
	struct work_struct fence_work;	/* asks for the reset */
	bool fence_confirmed;		/* the last fence was seen done */
	unsigned int fenced_gen;	/* gen when last up after one */
	bool reaping;			/* unmounted: calls killed each tick */
	struct list_head closes;	/* lower files to close once up */
	struct list_head doubts;	/* writes given up on (fence.c) */
	unsigned int doubt_pages;	/* their pages */
	/* rnfsd's verdicts (netlink.c), each holding until a deadline. */
	bool verdict_down, verdict_suspect;
	unsigned long verdict_down_until, verdict_suspect_until;
	/* Lock-free (rnfs_replica_heard()). */
	unsigned long last_reply;	/* jiffies of the last reply seen */
	unsigned long recvs;		/* the transport's replies then */
	atomic_t inflight;		/* requests queued or running */
};

struct rnfs_fs {
	struct kref ref;
	spinlock_t lock;		/* replica states, active, probes */
	wait_queue_head_t wait;		/* for an active replica */
	struct rnfs_replica *active;	/* NULL while every replica is down */
	unsigned int nr;
	struct rnfs_replica *replica[RNFS_MAX_REPLICAS];

	/* Tunables: read with READ_ONCE, they may change at run time. */
	unsigned int timeo;		/* deciseconds */
	unsigned int retrans;
	unsigned int failback_delay;	/* seconds */
	bool failback_auto;
	bool soft;

	unsigned int minorversion;	/* NFSv4.x */
	char *lower_opts;		/* NFS options for the lower mounts */
	struct net *net;		/* the mounter's, for lower mounts */
	const struct cred *cred;
	char *source;
	char *label;			/* mount point once known, for logs */
	bool not_responding;		/* "still trying" logged */
	unsigned int aborts;		/* umount -f calls, under lock */
	struct kstatfs statfs;		/* the last answer, under lock */
	struct list_head idle_inodes;	/* with idle lower files, under lock */
	unsigned long failovers;
	/* The last active replica while none is up, under lock. */
	struct rnfs_replica *stranded;
	bool pinned;			/* switched by hand: no auto failback */
	struct rnfs_event_rec {		/* the last event, under lock */
		enum rnfs_event type;
		int from, to;
		unsigned long when;	/* jiffies */
		char reason[RNFS_REASON_LEN];
	} last_event;
	/* netlink.c: the list of mounts it serves, under its mutex. */
	struct list_head nl_node;
	u32 id;
	dev_t dev;
	u64 fsid_major, fsid_minor;
	struct rnfs_fh root_fh;		/* every replica's root must have it */
	struct delayed_work tick;	/* probes, reaping, failback */
	bool ticking;			/* the tick runs, holding a ref */
	bool ro;
	bool strict;			/* consistency=strict */
	/* lock.c: files with locks, to take again after a failover */
	struct mutex locks_lock;
	struct list_head locked_files;
	struct delayed_work relock_work;
	unsigned long relock_failovers;	/* what relock_work last saw */
	wait_queue_head_t relock_wait;	/* files waiting for their locks */
	unsigned long relock_since;	/* jiffies: when it first did */
	bool stopping;			/* the superblock is going away */
	unsigned long stopped_at;	/* jiffies: when it began to */
	struct super_block *sb;		/* under lock; NULL once going */
	/* fence.c: writes in doubt to send again, and who sends them */
	struct list_head redo;
	struct work_struct redo_work;
	struct work_struct free_work;
	struct list_head swaps;		/* swap.c: swap files, under lock */
};

/* How long a replica may stay silent before it is declared down. */
static inline unsigned long rnfs_deadline(const struct rnfs_fs *fs)
{
	return msecs_to_jiffies(READ_ONCE(fs->timeo) * 100 *
				READ_ONCE(fs->retrans));
}

/*
 * How often a waiter looks for replies (rnfs_replica_heard()): a reply
 * seen is dated to the look, so this is how late a deadline may expire.
 */
static inline unsigned long rnfs_hear_slice(const struct rnfs_fs *fs)
{
	return clamp(rnfs_deadline(fs) / 8, 1UL, (unsigned long)HZ / 4);
}

/* main.c */
extern struct workqueue_struct *rnfs_wq;
extern struct workqueue_struct *rnfs_ctl_wq;
extern struct workqueue_struct *rnfs_swap_wq;

/* request.c */
struct rnfs_req;
struct rnfs_lfile;
typedef int (*rnfs_req_fn)(struct rnfs_req *req);

struct rnfs_req {
	struct kref ref;
	struct list_head queued;	/* for a worker thread */
	struct rnfs_fs *fs;		/* holds a reference */
	struct rnfs_replica *replica;
	unsigned int gen;		/* replica->gen at submission */
	const struct cred *cred;	/* the caller's, for the lower call */
	rnfs_req_fn run;		/* in the worker */
	void (*finish)(struct rnfs_req *req);	/* in the worker, after */
							/* run, for requests */
							/* no one waits for */
	void (*release)(struct rnfs_req *req);	/* frees the container */
	struct completion done;
	int error;
	/*
	 * A lower file the request uses, held (lowerfile.c), and the
	 * struct file in it.  The worker lets go of it once run, before
	 * the caller's wait ends: a close that follows is then the last
	 * one, as an unlink after it needs.
	 */
	struct rnfs_lfile *lfile;
	struct file *file;
	unsigned long submitted;	/* jiffies */
	bool always_run;		/* even on a replica declared down */
	bool unkillable;		/* its worker gets no SIGKILL (writes, */
					/* see workers.c) */
	bool with_umask;		/* creates: run with the caller's */
	umode_t umask;			/* umask (see request.c) */
};

void rnfs_req_init(struct rnfs_req *req, rnfs_req_fn run,
		   void (*release)(struct rnfs_req *req));
void *rnfs_req_alloc(size_t size, rnfs_req_fn run,
		     void (*release)(struct rnfs_req *req));
void rnfs_req_put(struct rnfs_req *req);
void rnfs_req_submit(struct rnfs_req *req, struct rnfs_replica *r,
		     const struct cred *cred);
int rnfs_req_exec_on(struct rnfs_req *req, struct rnfs_replica *r);
int rnfs_req_wait(struct rnfs_req *req);
void rnfs_req_run(struct rnfs_req *req);

/* workers.c */
int rnfs_workers_init(struct rnfs_workers *p, const char *name);
void rnfs_workers_queue(struct rnfs_workers *p, struct rnfs_req *req);
void rnfs_workers_kill(struct rnfs_workers *p, unsigned int gen,
		       unsigned long stuck);
bool rnfs_workers_stuck(struct rnfs_workers *p, unsigned long stuck,
			unsigned long heard);
void rnfs_workers_trim(struct rnfs_workers *p);
void rnfs_workers_stop(struct rnfs_workers *p);

/* replica.c */
struct rnfs_fs *rnfs_fs_alloc(void);
void rnfs_fence_work(struct work_struct *work);
void rnfs_fs_get(struct rnfs_fs *fs);
void rnfs_fs_put(struct rnfs_fs *fs);
struct rnfs_attr;
int rnfs_fs_start(struct rnfs_fs *fs, struct rnfs_attr *root,
		  char *why, size_t whylen);
void rnfs_fs_stop(struct rnfs_fs *fs);

/*
 * The attempts of one call (DESIGN.md, invariant 1): on the active
 * replica, then again on the next active one each time the replica in
 * use fails, until the call is done or no replica is to be had (see
 * active_wait() in replica.c; with RNFS_NO_WAIT, -EHOSTDOWN at once when every
 * replica is down).  The body makes each attempt afresh on a.r, with a
 * request of its own (one abandoned on a failed replica may still run),
 * and sets a.ret: -RNFS_ERETRY tries again, anything else is the result.
 *
 *	struct rnfs_attempt a;
 *
 *	rnfs_for_each_attempt(&a, fs, 0) {
 *		req = ...;
 *		a.ret = rnfs_req_exec_on(req, a.r);
 *		...
 *	}
 *	return a.ret;
 */
struct rnfs_attempt {
	struct rnfs_fs *fs;
	unsigned int flags;
	struct rnfs_replica *r;		/* this attempt's replica */
	unsigned int nr;		/* attempts so far: > 1 after a failover */
	int ret;			/* this attempt's result */
};

#define RNFS_NO_WAIT	0x1		/* every replica down: -EHOSTDOWN */

static inline struct rnfs_attempt *
rnfs_attempt_start(struct rnfs_attempt *a, struct rnfs_fs *fs,
		   unsigned int flags)
{
	*a = (struct rnfs_attempt){ .fs = fs, .flags = flags,
				    .ret = -RNFS_ERETRY };
	return a;
}

bool rnfs_attempt_next(struct rnfs_attempt *a);

#define rnfs_for_each_attempt(a, fs, flags)				\
	for (struct rnfs_attempt *__a = rnfs_attempt_start(a, fs, flags);	\
	     rnfs_attempt_next(__a);)

void rnfs_fs_abort_waiters(struct rnfs_fs *fs);
void rnfs_replica_failed(struct rnfs_replica *r, unsigned int gen,
			 const char *why);
unsigned long rnfs_replica_heard(struct rnfs_replica *r);
const char *rnfs_fs_label(struct rnfs_fs *fs);
void rnfs_fs_kick(struct rnfs_fs *fs);
bool rnfs_other_up(struct rnfs_fs *fs, struct rnfs_replica *r);
int rnfs_fs_switch(struct rnfs_fs *fs, unsigned int index);
enum rnfs_replica_health rnfs_replica_health(struct rnfs_replica *r);

/* fence.c */
struct rnfs_write_req;
void rnfs_doubt_init(struct rnfs_fs *fs);
void rnfs_doubt_add(struct rnfs_write_req *wr, struct inode *inode);
void rnfs_doubt_check(struct rnfs_fs *fs);
void rnfs_doubt_stop(struct rnfs_fs *fs);

/* netlink.c */
int rnfs_nl_init(void);
void rnfs_nl_exit(void);
void rnfs_nl_mount_add(struct rnfs_fs *fs);
void rnfs_nl_mount_del(struct rnfs_fs *fs);
void rnfs_event(struct rnfs_fs *fs, enum rnfs_event type,
		struct rnfs_replica *from, struct rnfs_replica *to,
		const char *reason);

/* lower.c: every call into a lower mount; run by workers (see there) */
struct kstatfs;
struct vfsmount *rnfs_do_mount(struct rnfs_replica *r);
int rnfs_do_getattr(const struct path *lower, struct rnfs_attr *attr,
		    unsigned int query);
int rnfs_do_probe(struct rnfs_replica *r, struct rnfs_attr *root);
struct dentry *rnfs_do_lookup(struct dentry *dir, const char *name);
struct dentry *rnfs_lower_cached(struct dentry *dir, const char *name);
struct rnfs_fh;
int rnfs_lower_fh(struct inode *lower, struct rnfs_fh *fh);
bool rnfs_lower_is(struct inode *lower, const struct rnfs_fh *fh);
bool rnfs_lower_opened(struct dentry *lower);
unsigned int rnfs_lower_rsize(struct vfsmount *mnt);
unsigned int rnfs_lower_wsize(struct vfsmount *mnt);
unsigned long rnfs_lower_lease(struct vfsmount *mnt);
unsigned long rnfs_lower_replies(struct vfsmount *mnt);
bool rnfs_lower_checksums(struct vfsmount *mnt);
bool rnfs_lower_delegated(struct inode *lower);
bool rnfs_lower_attrs_cached(struct inode *lower);
u64 rnfs_lower_fileid(struct dentry *lower);
void rnfs_lower_abort(struct vfsmount *mnt);
void rnfs_lower_abort_calls(struct vfsmount *mnt);
unsigned int rnfs_lower_reset_connections(struct vfsmount *mnt);
void rnfs_lower_sessions(struct vfsmount *mnt, struct rnfs_sessions *n);
void rnfs_lower_reset_session(struct vfsmount *mnt);
struct dentry *rnfs_do_find(struct vfsmount *mnt, const struct rnfs_fh *fh,
			    u64 fileid);
int rnfs_do_connect(struct vfsmount *mnt, struct dentry *dir,
		    const struct cred *cred);
int rnfs_do_revalidate(struct dentry *lower, unsigned int flags);
struct file *rnfs_do_open(const struct path *lower, int flags);
struct file *rnfs_do_open_create(const struct path *dir, const char *name,
				 int flags, umode_t mode);
ssize_t rnfs_do_read(struct file *lower, struct bio_vec *bvec,
		     unsigned int nr, size_t len, size_t skip, loff_t pos);
int rnfs_do_iterate(struct file *lower, struct dir_context *ctx);
char *rnfs_do_readlink(struct dentry *lower);
ssize_t rnfs_do_getxattr(struct dentry *lower, const char *name, void *value,
			 size_t size);
ssize_t rnfs_do_listxattr(struct dentry *lower, char *list, size_t size);
int rnfs_do_statfs(const struct path *lower, struct kstatfs *st);
int rnfs_do_create(struct dentry *dir, struct dentry *child, umode_t mode,
		   bool excl);
int rnfs_do_mkdir(struct dentry *dir, struct dentry *child, umode_t mode);
int rnfs_do_mknod(struct dentry *dir, struct dentry *child, umode_t mode,
		  dev_t rdev);
int rnfs_do_symlink(struct dentry *dir, struct dentry *child,
		    const char *target);
int rnfs_do_link(struct dentry *old, struct dentry *dir, struct dentry *child);
int rnfs_do_unlink(struct dentry *dir, struct dentry *child);
int rnfs_do_rmdir(struct dentry *dir, struct dentry *child);
int rnfs_do_rename(struct dentry *old_dir, struct dentry *old,
		   struct dentry *new_dir, struct dentry *new);
int rnfs_do_setattr(struct dentry *lower, struct iattr *attr);
int rnfs_do_setxattr(struct dentry *lower, const char *name,
		     const void *value, size_t size, int flags);
int rnfs_do_removexattr(struct dentry *lower, const char *name);
ssize_t rnfs_do_write(struct file *lower, struct bio_vec *bvec,
		      unsigned int nr, size_t len, size_t skip, loff_t pos);
int rnfs_do_fallocate(struct file *lower, int mode, loff_t pos, loff_t len);
struct file_lock;
int rnfs_do_lock(struct file *lower, unsigned int cmd, struct file_lock *fl);
int rnfs_lower_swap_activate(struct file *lower);
void rnfs_lower_swap_deactivate(struct file *lower);
int rnfs_lower_swap_rw(struct kiocb *iocb, struct iov_iter *iter);

/* super.c */
extern struct file_system_type rnfs_fs_type;

static inline struct rnfs_fs *RNFS_FS(const struct super_block *sb)
{
	return sb->s_fs_info;
}

/* inode.c */
struct rnfs_inode {
	struct inode vfs_inode;
	u64 fsid_major, fsid_minor, fileid;
	struct rnfs_fh *fh;		/* set once, at iget; rnfs_fh_size() */
	u64 change;			/* lower change attribute */
	atomic_t doubts;		/* writes in doubt (fence.c) */
	atomic_t settling;		/* writeback passes under way */
	bool change_unknown;		/* written since it was learned */
	/* Lower files kept a moment after their last user closed (idle.c). */
	struct rnfs_lfile *idle[RNFS_MAX_REPLICAS];	/* under fs->lock */
	unsigned long idle_since;
	struct list_head idle_list;	/* on fs->idle_inodes */
	struct list_head writers;	/* rnfs_files open to write, i_lock */
	/*
	 * What writeback writes with (write.c), owned by the inode so that
	 * it never depends on an open file: the credentials of the last
	 * opener for writing (i_lock), and a lower file open for writing
	 * per replica (wb_lock), kept while pages may be dirty.
	 */
	const struct cred *wb_cred;
	struct mutex wb_lock;		/* wb_lower[] */
	struct rnfs_lfile *wb_lower[RNFS_MAX_REPLICAS];
	atomic_t foreign;		/* changes seen made by others */
	/*
	 * A change this client makes through one replica leaves the other
	 * replicas' NFS caches of the object stale (attributes, directory
	 * contents, names): each change bumps gen, and a replica whose
	 * seen[] is behind revalidates with its server before it is used
	 * (rnfs_inode_stale()).  Under i_lock.
	 */
	unsigned int gen;
	unsigned int seen[RNFS_MAX_REPLICAS];
};

static inline struct rnfs_inode *RNFS_I(const struct inode *inode)
{
	return container_of(inode, struct rnfs_inode, vfs_inode);
}

/* What the lower replica says about an object, gathered in a worker. */
struct rnfs_attr {
	struct kstat stat;
	u64 fsid_major, fsid_minor;
	u64 change;
};

struct inode *rnfs_iget(struct super_block *sb, const struct rnfs_attr *attr,
			struct dentry *lower);
bool rnfs_inode_writing(struct inode *inode);
void rnfs_inode_refresh(struct inode *inode, const struct rnfs_attr *attr);
void rnfs_inode_refresh_own(struct inode *inode, const struct rnfs_attr *attr);
void rnfs_inode_learn_change(struct inode *inode);
void rnfs_inode_learn_pending(struct inode *inode);
void rnfs_inode_changed(struct inode *inode, struct rnfs_replica *r);
bool rnfs_inode_stale(struct inode *inode, struct rnfs_replica *r,
		      unsigned int *gen);
void rnfs_inode_fresh(struct inode *inode, struct rnfs_replica *r,
		      unsigned int gen);
int rnfs_inode_cache_init(void);
void rnfs_inode_cache_exit(void);
struct inode *rnfs_alloc_inode(struct super_block *sb);
void rnfs_free_inode(struct inode *inode);
void rnfs_evict_inode(struct inode *inode);
extern const struct inode_operations rnfs_dir_iops;
extern const struct inode_operations rnfs_file_iops;
extern const struct inode_operations rnfs_symlink_iops;
extern const struct inode_operations rnfs_special_iops;

/* namei.c */
struct rnfs_dentry {
	spinlock_t lock;		/* lower[] */
	struct dentry *lower[RNFS_MAX_REPLICAS];	/* NULL: not resolved */
	struct rcu_head rcu;
};

/*
 * How a request reaches an upper dentry's object on a replica: through
 * the lower dentry its name led to there, when that is cached, else by
 * the object's filehandle (DESIGN.md, invariant 3).  Never by walking
 * names again: an open file stays the same file whatever happened to its
 * name meanwhile.  Names are looked up only by lookup and revalidation.
 */
struct rnfs_find {
	struct dentry *cached;		/* lower, referenced, or NULL */
	struct rnfs_fh *fh;		/* else: a copy of the inode's */
	u64 fileid;			/* what the filehandle must lead to */
};

/*
 * An object request: the worker finds an upper dentry's lower object on
 * its replica (@lower), then runs @fn on it.  @d holds @fn's inputs and
 * results; @cleanup frees results the caller did not take.
 */
struct rnfs_obj_req;
typedef int (*rnfs_obj_fn)(struct rnfs_obj_req *o);

struct rnfs_obj_req {
	struct rnfs_req req;
	rnfs_obj_fn fn;
	void (*cleanup)(struct rnfs_obj_req *o);
	struct rnfs_find find;
	bool revalidate;		/* ask the server first: stale cache */
	struct path lower;		/* dentry referenced, mnt not */
	union {
		struct rnfs_attr attr;
		struct {
			int flags;
			struct rnfs_lfile *lf;
		} open;
		struct {
			char *name;
			struct dentry *child;
			struct rnfs_attr attr;
		} lookup;
		char *link;
		struct {
			char *name;
			void *value;
			size_t size;
			size_t len;
			int flags;	/* setxattr's */
		} xattr;
		struct kstatfs statfs;
		struct rnfs_ns *ns;	/* namespace.c */
		struct {
			struct iattr ia;
			struct rnfs_attr attr;
		} setattr;
	} d;
};

extern const struct dentry_operations rnfs_dops;
int rnfs_dentry_init(struct dentry *dentry);
int rnfs_find_prepare(struct rnfs_find *find, struct dentry *dentry,
		      struct rnfs_replica *r);
int rnfs_find_run(struct rnfs_find *find, struct vfsmount *mnt,
		  struct path *lower);
void rnfs_find_release(struct rnfs_find *find);
struct rnfs_obj_req *rnfs_obj_alloc(rnfs_obj_fn fn,
				    void (*cleanup)(struct rnfs_obj_req *o));
int rnfs_obj_exec_on(struct rnfs_obj_req *o, struct dentry *dentry,
		     struct rnfs_replica *r);
int rnfs_obj_exec_inode(struct rnfs_obj_req *o, struct inode *inode,
			struct rnfs_replica *r);
int rnfs_getattr_dentry(struct dentry *dentry, struct rnfs_attr *attr,
			bool cached_ok);
int rnfs_getattr_inode(struct inode *inode, struct rnfs_attr *attr);
struct dentry *rnfs_lookup(struct inode *dir, struct dentry *dentry,
			   unsigned int flags);
void rnfs_dentry_reset_lower(struct dentry *dentry, unsigned int idx,
			     struct dentry *lower);
void rnfs_dentry_keep_lower(struct dentry *dentry, unsigned int idx);

/* namespace.c */
int rnfs_atomic_open(struct inode *dir, struct dentry *dentry,
		     struct file *file, unsigned int open_flags, umode_t mode);
int rnfs_create(struct mnt_idmap *idmap, struct inode *dir,
		struct dentry *dentry, umode_t mode, bool excl);
int rnfs_mkdir(struct mnt_idmap *idmap, struct inode *dir,
	       struct dentry *dentry, umode_t mode);
int rnfs_mknod(struct mnt_idmap *idmap, struct inode *dir,
	       struct dentry *dentry, umode_t mode, dev_t rdev);
int rnfs_symlink(struct mnt_idmap *idmap, struct inode *dir,
		 struct dentry *dentry, const char *target);
int rnfs_link(struct dentry *old, struct inode *dir, struct dentry *dentry);
int rnfs_unlink(struct inode *dir, struct dentry *dentry);
int rnfs_rmdir(struct inode *dir, struct dentry *dentry);
int rnfs_rename(struct mnt_idmap *idmap, struct inode *old_dir,
		struct dentry *old, struct inode *new_dir, struct dentry *new,
		unsigned int flags);

/* setattr.c */
int rnfs_setattr(struct mnt_idmap *idmap, struct dentry *dentry,
		 struct iattr *attr);

/* dir.c */
struct rnfs_dir_window;
extern const struct file_operations rnfs_dir_fops;
void rnfs_dirents_free(struct rnfs_dir_window *w);

/* file.c */
struct rnfs_file {
	struct file *file;		/* the upper file this belongs to */
	struct mutex lock;		/* lower[] */
	struct rnfs_lfile *lower[RNFS_MAX_REPLICAS];	/* opened on demand */
	struct rnfs_dir_window *dirents; /* dir.c; under the position lock */
	struct list_head writer;	/* on ri->writers, if open to write */
	struct list_head locked;	/* on fs->locked_files, if it locked */
	unsigned long relocked;		/* fs->failovers its locks are for */
	unsigned long failovers;	/* fs->failovers when last checked */
	int foreign;			/* ri->foreign then */
	bool dead;			/* consistency=strict: EIO */
	struct rnfs_swap *swap;		/* swap.c: an active swap file */
};

extern const struct file_operations rnfs_file_fops;
int rnfs_open(struct inode *inode, struct file *file);
int rnfs_open_created(struct file *file, struct dentry *dentry,
		      struct rnfs_replica *r, struct rnfs_lfile *lower);
int rnfs_release(struct inode *inode, struct file *file);

/* lowerfile.c */
int rnfs_lower_create_flags(struct file *file);
struct rnfs_lfile *rnfs_lfile_alloc(struct rnfs_replica *r);
void rnfs_lfile_set(struct rnfs_lfile *lf, struct file *file);
struct file *rnfs_lfile_file(const struct rnfs_lfile *lf);
struct rnfs_lfile *rnfs_lfile_get(struct rnfs_lfile *lf);
void rnfs_lfile_put(struct rnfs_lfile *lf);
void rnfs_lfile_put_wait(struct rnfs_lfile *lf);
void rnfs_lfile_put_all(struct rnfs_fs *fs, struct rnfs_lfile **files,
			bool wait);
void rnfs_req_set_lfile(struct rnfs_req *req, struct rnfs_lfile *lf);
struct rnfs_lfile *rnfs_lower_open_inode(struct inode *inode,
					 struct rnfs_replica *r,
					 const struct cred *cred, int flags);
bool rnfs_lower_may_idle(struct file *file);
struct rnfs_lfile *rnfs_lower_file(struct file *file, struct rnfs_replica *r);
int rnfs_req_exec_file(struct rnfs_req *req, struct file *file,
		       struct rnfs_replica *r);
void rnfs_closes_flush(struct rnfs_replica *r);

/* idle.c */
struct rnfs_lfile *rnfs_idle_take(struct inode *inode, struct rnfs_replica *r,
				  const struct cred *cred);
bool rnfs_idle_put(struct inode *inode, unsigned int idx,
		   struct rnfs_lfile *lower);
void rnfs_idle_drop(struct inode *inode, bool wait);
void rnfs_idle_expire(struct rnfs_fs *fs);

/* aops.c */
extern const struct address_space_operations rnfs_aops;
int rnfs_fill_folio(struct file *file, struct folio *folio);

/* write.c */
/*
 * A write request: the page cache's own pages, referenced, from @pos.
 * One given up on when its replica failed is kept in doubt (fence.c).
 */
struct rnfs_write_req {
	struct rnfs_req req;
	loff_t pos;
	size_t len;
	/* In doubt (fence.c): on replica->doubts or fs->redo. */
	struct list_head doubt;
	struct inode *inode;		/* referenced */
	u64 *sent;			/* per page: hash of what was sent */
	unsigned long since;		/* jiffies */
	bool expired;			/* kept too long: let go */
	bool reserve;			/* from writeback's reserve */
	/*
	 * A request from the reserve is kept in doubt as a copy from the
	 * allocator, holding the sent one only until its worker is done
	 * (fence.c): the reserve slot comes back then.
	 */
	bool copy;
	struct rnfs_write_req *orig;
	unsigned int nr;
	unsigned int cap;		/* bvec[]'s length */
	struct bio_vec bvec[];
};

struct writeback_control;
const struct cred *rnfs_wb_opener(struct inode *inode);
void rnfs_wb_writer(struct inode *inode, const struct cred *cred);
void rnfs_wb_share(struct inode *inode, struct rnfs_replica *r,
		   struct rnfs_lfile *lower);
void rnfs_wb_prepare(struct inode *inode);
int rnfs_wb_done(struct inode *inode, bool wait);
struct rnfs_write_req *rnfs_write_copy(struct rnfs_write_req *old);
int rnfs_write_init(void);
void rnfs_write_exit(void);
int rnfs_writepages(struct address_space *mapping,
		    struct writeback_control *wbc);
int rnfs_write_begin(struct file *file, struct address_space *mapping,
		     loff_t pos, unsigned int len, struct folio **foliop,
		     void **fsdata);
int rnfs_write_end(struct file *file, struct address_space *mapping,
		   loff_t pos, unsigned int len, unsigned int copied,
		   struct folio *folio, void *fsdata);

/* swap.c */
struct swap_info_struct;
int rnfs_swap_activate(struct swap_info_struct *sis, struct file *file,
		       sector_t *span);
void rnfs_swap_deactivate(struct file *file);
int rnfs_swap_rw(struct kiocb *iocb, struct iov_iter *iter);
void rnfs_swap_replica_up(struct rnfs_replica *r);

/* lock.c */
int rnfs_lock(struct file *file, int cmd, struct file_lock *fl);
int rnfs_flock(struct file *file, int cmd, struct file_lock *fl);
void rnfs_locks_init(struct rnfs_fs *fs);
void rnfs_locks_check(struct rnfs_fs *fs);
void rnfs_locks_stop(struct rnfs_fs *fs);
void rnfs_locks_forget(struct rnfs_file *rf);
int rnfs_locks_wait(struct rnfs_file *rf);

/* xattr.c */
extern const struct xattr_handler *RNFS_XATTR_HANDLERS_CONST rnfs_xattr_handlers[];
ssize_t rnfs_listxattr(struct dentry *dentry, char *list, size_t size);

#endif /* _RNFS_H */
