// SPDX-License-Identifier: GPL-2.0
/*
 * rnfs: NFS client failover across replica servers.
 *
 * Module init and exit: every subsystem's init/exit pair is sequenced here.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "version.h"

static int __init rnfs_mod_init(void)
{
	pr_info("rnfs " RNFS_VERSION " loaded\n");
	return 0;
}

static void __exit rnfs_mod_exit(void)
{
	pr_info("rnfs " RNFS_VERSION " unloaded\n");
}

module_init(rnfs_mod_init);
module_exit(rnfs_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("NFS client failover across replica servers");
MODULE_VERSION(RNFS_VERSION);
