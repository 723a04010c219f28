// SPDX-License-Identifier: GPL-2.0
/*
 * rnfs: NFS client failover across replica servers.
 *
 * Module init and exit: every subsystem's init/exit pair is sequenced here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/workqueue.h>

#include "rnfs.h"
#include "version.h"

/*
 * Workqueues (DESIGN.md, invariant 9: nothing can starve the rest).
 * Lower calls do not run here but on their replica's worker threads
 * (workers.c), which a call blocked for good on a dead server cannot
 * take from the others, and which the reaper can kill.
 *
 * rnfs_ctl_wq runs what must never wait behind a lower call: the tick
 * (probes, reaping, failover), the readahead watchdogs, freeing a mount.
 * Its work never blocks on a server.  rnfs_wq runs the lock re-taker and
 * the rewriting of writes in doubt, which wait for requests.  Draining
 * both at exit is what makes module_put() from their work safe.
 * rnfs_swap_wq runs swap I/O's scans (swap.c) alone: what reclaim waits
 * for must not wait behind work that may itself reclaim.
 */
struct workqueue_struct *rnfs_wq;
struct workqueue_struct *rnfs_ctl_wq;
struct workqueue_struct *rnfs_swap_wq;

static int __init rnfs_mod_init(void)
{
	int ret;

	ret = rnfs_inode_cache_init();
	if (ret)
		goto err_inode_cache;
	ret = rnfs_write_init();
	if (ret)
		goto err_write;
	rnfs_wq = alloc_workqueue("rnfs", WQ_MEM_RECLAIM, WQ_MAX_ACTIVE);
	if (!rnfs_wq) {
		ret = -ENOMEM;
		goto err_wq;
	}
	rnfs_ctl_wq = alloc_workqueue("rnfs-ctl", WQ_MEM_RECLAIM | WQ_UNBOUND, 0);
	if (!rnfs_ctl_wq) {
		ret = -ENOMEM;
		goto err_ctl_wq;
	}
	rnfs_swap_wq = alloc_workqueue("rnfs-swap", WQ_MEM_RECLAIM | WQ_HIGHPRI,
				       0);
	if (!rnfs_swap_wq) {
		ret = -ENOMEM;
		goto err_swap_wq;
	}
	ret = rnfs_nl_init();
	if (ret)
		goto err_netlink;
	ret = register_filesystem(&rnfs_fs_type);
	if (ret)
		goto err_register;
	pr_info("rnfs " RNFS_VERSION " loaded\n");
	return 0;

err_register:
	rnfs_nl_exit();
err_netlink:
	destroy_workqueue(rnfs_swap_wq);
err_swap_wq:
	destroy_workqueue(rnfs_ctl_wq);
err_ctl_wq:
	destroy_workqueue(rnfs_wq);
err_wq:
	rnfs_write_exit();
err_write:
	rnfs_inode_cache_exit();
err_inode_cache:
	return ret;
}

static void __exit rnfs_mod_exit(void)
{
	unregister_filesystem(&rnfs_fs_type);
	rnfs_nl_exit();
	destroy_workqueue(rnfs_swap_wq);
	destroy_workqueue(rnfs_ctl_wq);
	destroy_workqueue(rnfs_wq);
	rnfs_write_exit();
	rnfs_inode_cache_exit();
	pr_info("rnfs " RNFS_VERSION " unloaded\n");
}

module_init(rnfs_mod_init);
module_exit(rnfs_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NFS client failover across replica servers");
MODULE_VERSION(RNFS_VERSION);
