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
 * Workers for lower calls, probes and teardown.  Per CPU: a caller sleeps
 * while its request runs, on the same CPU, which is cheaper than waking a
 * worker on another (a create or an unlink is one request).  Many active
 * at once, because some are left blocked on dead servers (request.c), and
 * a pool starts another worker whenever one blocks.  WQ_MEM_RECLAIM
 * because page cache (and later swap) I/O depends on it.  Draining it at
 * exit is what makes module_put() from its work safe.
 */
struct workqueue_struct *rnfs_wq;

static int __init rnfs_mod_init(void)
{
	int ret;

	ret = rnfs_inode_cache_init();
	if (ret)
		goto err_inode_cache;
	rnfs_wq = alloc_workqueue("rnfs", WQ_MEM_RECLAIM, WQ_MAX_ACTIVE);
	if (!rnfs_wq) {
		ret = -ENOMEM;
		goto err_wq;
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
	destroy_workqueue(rnfs_wq);
err_wq:
	rnfs_inode_cache_exit();
err_inode_cache:
	return ret;
}

static void __exit rnfs_mod_exit(void)
{
	unregister_filesystem(&rnfs_fs_type);
	rnfs_nl_exit();
	destroy_workqueue(rnfs_wq);
	rnfs_inode_cache_exit();
	pr_info("rnfs " RNFS_VERSION " unloaded\n");
}

module_init(rnfs_mod_init);
module_exit(rnfs_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NFS client failover across replica servers");
MODULE_VERSION(RNFS_VERSION);
