// SPDX-License-Identifier: GPL-2.0
/*
 * Idle lower files.  A program that opens and closes the same files over
 * and over (a shell running commands, make, a job reading its inputs)
 * would pay a worker for the lower open and another for the close every
 * time.  So when the last upper file of a regular file closes, its lower
 * files stay open in the inode for RNFS_IDLE_KEEP, and an open by the same
 * user in the meantime takes them back without a worker.  Only while the
 * lower inode holds a delegation: then the NFS client itself would not ask
 * the server either, so close-to-open consistency is kept.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>

#include "rnfs.h"

static bool cred_same(const struct cred *a, const struct cred *b)
{
	const struct group_info *ga = a->group_info, *gb = b->group_info;
	int i;

	if (a == b)
		return true;
	if (!uid_eq(a->fsuid, b->fsuid) || !gid_eq(a->fsgid, b->fsgid))
		return false;
	if (ga == gb)
		return true;
	if (ga->ngroups != gb->ngroups)
		return false;
	for (i = 0; i < ga->ngroups; i++)
		if (!gid_eq(ga->gid[i], gb->gid[i]))
			return false;
	return true;
}

/* An idle lower file of @inode on @r that @cred may use, or NULL. */
struct rnfs_lfile *rnfs_idle_take(struct inode *inode, struct rnfs_replica *r,
				  const struct cred *cred)
{
	struct rnfs_inode *ri = RNFS_I(inode);
	struct rnfs_fs *fs = r->fs;
	struct rnfs_lfile *lower;
	struct file *f;
	unsigned int i;

	spin_lock(&fs->lock);
	lower = ri->idle[r->index];
	f = lower ? rnfs_lfile_file(lower) : NULL;
	if (f && cred_same(f->f_cred, cred) &&
	    rnfs_lower_delegated(file_inode(f))) {
		ri->idle[r->index] = NULL;
		for (i = 0; i < fs->nr && !ri->idle[i]; i++)
			;
		if (i == fs->nr)
			list_del_init(&ri->idle_list);
	} else {
		lower = NULL;
	}
	spin_unlock(&fs->lock);
	return lower;
}

/* Keep @lower (of replica @idx) in @inode; false if there is one already. */
bool rnfs_idle_put(struct inode *inode, unsigned int idx,
		   struct rnfs_lfile *lower)
{
	struct rnfs_inode *ri = RNFS_I(inode);
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	bool kept = false;

	spin_lock(&fs->lock);
	if (!ri->idle[idx] && !fs->stopping) {
		ri->idle[idx] = lower;
		ri->idle_since = jiffies;
		if (list_empty(&ri->idle_list))
			list_add_tail(&ri->idle_list, &fs->idle_inodes);
		kept = true;
	}
	spin_unlock(&fs->lock);
	return kept;
}

/* Detach @ri's idle files into @files; under fs->lock. */
static void idle_detach(struct rnfs_fs *fs, struct rnfs_inode *ri,
			struct rnfs_lfile **files)
{
	unsigned int i;

	for (i = 0; i < fs->nr; i++) {
		files[i] = ri->idle[i];
		ri->idle[i] = NULL;
	}
	list_del_init(&ri->idle_list);
}

/*
 * Close @inode's idle lower files: when it goes (no waiting: eviction
 * may come from reclaim), or before it is removed (@wait: see
 * rnfs_lfile_put_wait()).
 */
void rnfs_idle_drop(struct inode *inode, bool wait)
{
	struct rnfs_fs *fs = RNFS_FS(inode->i_sb);
	struct rnfs_lfile *files[RNFS_MAX_REPLICAS];

	spin_lock(&fs->lock);
	idle_detach(fs, RNFS_I(inode), files);
	spin_unlock(&fs->lock);
	rnfs_lfile_put_all(fs, files, wait);
}

/* From the tick: close the lower files idle for RNFS_IDLE_KEEP. */
void rnfs_idle_expire(struct rnfs_fs *fs)
{
	struct rnfs_lfile *files[RNFS_MAX_REPLICAS];
	struct rnfs_inode *ri;
	bool found;

	do {
		found = false;
		spin_lock(&fs->lock);
		list_for_each_entry(ri, &fs->idle_inodes, idle_list) {
			if (time_before(jiffies, ri->idle_since + RNFS_IDLE_KEEP))
				continue;
			idle_detach(fs, ri, files);
			found = true;
			break;
		}
		spin_unlock(&fs->lock);
		if (found)
			rnfs_lfile_put_all(fs, files, false);
	} while (found);
}
