/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that knows kernel versions.
 *
 * kmod/ is written against the newest kernel rnfs supports (6.12); this
 * file gives older ones (6.1) what they lack, by feature: a test of
 * LINUX_VERSION_CODE where the change came in one release, a probe of the
 * kernel's headers at build time (kmod/Kbuild, RNFS_HAVE_*) where stable
 * or distribution kernels took it back, and small wrappers.  Nothing else
 * belongs here, and nothing else in kmod/ tests a version.
 *
 * A wrapper of the new form takes the name of the kernel's own function
 * (a static inline that calls the old one, then a #define of the name);
 * address space operations whose arguments changed point at shims of
 * their own (rnfs_aops_*).  Included by rnfs.h after every kernel header, and
 * itself includes those whose declarations it wraps: a kernel header
 * included after "rnfs.h" could meet one of these macros.
 *
 * Adding a kernel: build with KVER= (README), read each error against
 * Documentation/filesystems/porting.rst of the new tree, and add the
 * newest form to kmod/ with the old one here.  Changes after 6.12 that
 * rnfs will meet, where the next port starts:
 * - 6.13: struct file's f_count becomes file_ref_t (get_file() and
 *   fput() are unchanged; nothing may read f_count directly).
 * - 6.14: ->d_revalidate() gains the parent inode and the name
 *   (dentry_operations in namei.c).
 * - 6.15: vfs_mkdir() returns the dentry it made, or another one
 *   (lower.c); lookup_one() and friends take a struct qstr (6.16).
 * - 6.16-6.17: ->swap_activate/->swap_rw move from the address space
 *   operations towards file_operations (the swap issue's swap.c);
 *   ->write_begin/->write_end take a kiocb instead of a file (6.17).
 */
#ifndef RNFS_COMPAT_H
#define RNFS_COMPAT_H

#include <linux/exportfs.h>
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/pagemap.h>
#include <linux/splice.h>
#include <linux/version.h>
#include <linux/writeback.h>

#define RNFS_KERNEL_AT_LEAST(a, b) (KERNEL_VERSION(a, b, 0) <= LINUX_VERSION_CODE)

/*
 * 6.3: a mount's ID mapping is a struct mnt_idmap, where it was its user
 * namespace; the identity mapping was init_user_ns.
 */
#if !RNFS_KERNEL_AT_LEAST(6, 3)
#define mnt_idmap		user_namespace
#define nop_mnt_idmap		init_user_ns
#define old_mnt_idmap		old_mnt_userns	/* struct renamedata */
#define new_mnt_idmap		new_mnt_userns
#endif

/* 6.3: file locks are declared in a header of their own. */
#if RNFS_KERNEL_AT_LEAST(6, 3)
#include <linux/filelock.h>
#endif

/*
 * 6.9: a file lock's owner, type, flags, file and list moved into
 * struct file_lock_core (fl->c.flc_owner for fl->fl_owner).  rnfs_fl()
 * names such a field of either, as an lvalue; ranges stay fl_start and
 * fl_end.
 */
#if RNFS_KERNEL_AT_LEAST(6, 9)
#define rnfs_fl(fl, field)	((fl)->c.flc_##field)
#else
#define rnfs_fl(fl, field)	((fl)->fl_##field)
#define for_each_file_lock(fl, head) list_for_each_entry(fl, head, fl_list)
#endif

/* 6.3: write_cache_pages() hands its callback a folio, not a page. */
#if !RNFS_KERNEL_AT_LEAST(6, 3)
typedef int (*rnfs_compat_writepage_t)(struct folio *folio,
				       struct writeback_control *wbc,
				       void *data);

struct rnfs_compat_writepage {
	rnfs_compat_writepage_t fn;
	void *data;
};

static inline int rnfs_compat_writepage(struct page *page,
					struct writeback_control *wbc,
					void *data)
{
	struct rnfs_compat_writepage *w = data;

	return w->fn(page_folio(page), wbc, w->data);
}

static inline int rnfs_compat_write_cache_pages(struct address_space *m,
						struct writeback_control *wbc,
						rnfs_compat_writepage_t fn,
						void *data)
{
	struct rnfs_compat_writepage w = { .fn = fn, .data = data };

	return write_cache_pages(m, wbc, rnfs_compat_writepage, &w);
}

#define write_cache_pages rnfs_compat_write_cache_pages
#endif

/*
 * 6.4: filemap_lock_folio() and __filemap_get_folio() return an ERR_PTR
 * where they returned NULL.
 */
#if !RNFS_KERNEL_AT_LEAST(6, 4)
static inline struct folio *rnfs_compat_lock_folio(struct address_space *m,
						   pgoff_t index)
{
	return filemap_lock_folio(m, index) ?: ERR_PTR(-ENOENT);
}

#define filemap_lock_folio rnfs_compat_lock_folio

static inline struct folio *rnfs_compat_get_folio(struct address_space *m,
						  pgoff_t index, int fgp,
						  gfp_t gfp)
{
	return __filemap_get_folio(m, index, fgp, gfp) ?: ERR_PTR(-ENOMEM);
}

#define __filemap_get_folio rnfs_compat_get_folio
#endif

/* 6.4: the folio flags of a write_begin. */
#ifndef FGP_WRITEBEGIN
#define FGP_WRITEBEGIN		(FGP_LOCK | FGP_WRITE | FGP_CREAT | FGP_STABLE)
#endif

/*
 * 6.5: generic_file_splice_read() is gone; copy_splice_read() reads
 * through ->read_iter as it did (filemap_splice_read() would skip rnfs's
 * read_iter, and with it the failover checks).
 */
#if !RNFS_KERNEL_AT_LEAST(6, 5)
#define copy_splice_read	generic_file_splice_read
#endif

/* 6.5: exportfs_encode_inode_fh() takes EXPORT_FH_* flags. */
#if !RNFS_KERNEL_AT_LEAST(6, 5)
static inline int rnfs_compat_encode_inode_fh(struct inode *inode,
					      struct fid *fid, int *max_len,
					      struct inode *parent, int flags)
{
	return exportfs_encode_inode_fh(inode, fid, max_len, parent);
}

#define exportfs_encode_inode_fh rnfs_compat_encode_inode_fh
#endif

/*
 * 6.8: vfs_iocb_iter_write() takes the filesystem's freeze protection
 * itself; before, its caller did.
 */
#if !RNFS_KERNEL_AT_LEAST(6, 8)
static inline ssize_t rnfs_compat_iocb_iter_write(struct file *file,
						  struct kiocb *iocb,
						  struct iov_iter *iter)
{
	ssize_t ret;

	file_start_write(file);
	ret = vfs_iocb_iter_write(file, iocb, iter);
	file_end_write(file);
	return ret;
}

#define vfs_iocb_iter_write rnfs_compat_iocb_iter_write
#endif

/* 6.6: generic_fillattr() takes the statx request mask. */
#if !RNFS_KERNEL_AT_LEAST(6, 6)
static inline void rnfs_compat_fillattr(struct mnt_idmap *idmap,
					u32 request_mask, struct inode *inode,
					struct kstat *stat)
{
	generic_fillattr(idmap, inode, stat);
}

#define generic_fillattr rnfs_compat_fillattr
#endif

/*
 * 6.6-6.7: inode times only through accessors.  6.1.y took back the
 * ctime ones (probed), not those of atime and mtime.
 */
#if !RNFS_KERNEL_AT_LEAST(6, 6) && !defined(RNFS_HAVE_INODE_GET_CTIME)
static inline struct timespec64 inode_get_ctime(const struct inode *inode)
{
	return inode->i_ctime;
}

static inline struct timespec64 inode_set_ctime_to_ts(struct inode *inode,
						      struct timespec64 ts)
{
	inode->i_ctime = ts;
	return ts;
}
#endif

#if !RNFS_KERNEL_AT_LEAST(6, 7)
static inline time64_t inode_get_atime_sec(const struct inode *inode)
{
	return inode->i_atime.tv_sec;
}

static inline time64_t inode_get_mtime_sec(const struct inode *inode)
{
	return inode->i_mtime.tv_sec;
}

static inline time64_t inode_get_ctime_sec(const struct inode *inode)
{
	return inode_get_ctime(inode).tv_sec;
}

static inline struct timespec64 inode_set_atime_to_ts(struct inode *inode,
						      struct timespec64 ts)
{
	inode->i_atime = ts;
	return ts;
}

static inline struct timespec64 inode_set_mtime_to_ts(struct inode *inode,
						      struct timespec64 ts)
{
	inode->i_mtime = ts;
	return ts;
}
#endif

/*
 * 6.8: lock_rename() returns ERR_PTR(-EXDEV), with nothing locked, for
 * directories with no common ancestor in the dcache; before, it locked
 * them.  Nothing to wrap: IS_ERR() is never true on older kernels.
 */

/* 6.7: the superblock's xattr handler array is const. */
#if RNFS_KERNEL_AT_LEAST(6, 7)
#define RNFS_XATTR_HANDLERS_CONST	const
#else
#define RNFS_XATTR_HANDLERS_CONST
#endif

/*
 * 6.12: ->write_begin and ->write_end pass a folio, where they passed
 * the page at @pos.  rnfs_write_begin/_end take the folio; the address
 * space operations point at these names.
 */
#if RNFS_KERNEL_AT_LEAST(6, 12)
#define rnfs_aops_write_begin	rnfs_write_begin
#define rnfs_aops_write_end	rnfs_write_end
#else
int rnfs_write_begin(struct file *file, struct address_space *mapping,
		     loff_t pos, unsigned int len, struct folio **foliop,
		     void **fsdata);
int rnfs_write_end(struct file *file, struct address_space *mapping,
		   loff_t pos, unsigned int len, unsigned int copied,
		   struct folio *folio, void *fsdata);

static inline int rnfs_aops_write_begin(struct file *file,
					struct address_space *mapping,
					loff_t pos, unsigned int len,
					struct page **pagep, void **fsdata)
{
	struct folio *folio;
	int ret = rnfs_write_begin(file, mapping, pos, len, &folio, fsdata);

	if (!ret)
		*pagep = folio_file_page(folio, pos >> PAGE_SHIFT);
	return ret;
}

static inline int rnfs_aops_write_end(struct file *file,
				      struct address_space *mapping,
				      loff_t pos, unsigned int len,
				      unsigned int copied, struct page *page,
				      void *fsdata)
{
	return rnfs_write_end(file, mapping, pos, len, copied,
			      page_folio(page), fsdata);
}
#endif

#endif /* RNFS_COMPAT_H */
