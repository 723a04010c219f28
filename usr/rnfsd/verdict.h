/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Telling the kernel a replica's state (RNFS_CMD_SET_REPLICA_STATE) over
 * one netlink socket that every probe thread shares.
 */
#ifndef _RNFSD_VERDICT_H
#define _RNFSD_VERDICT_H

#include <stdint.h>

#include "rnfsnl.h"

/*
 * 0 or a negative errno.  -EPERM stops the daemon (rnfsd_fatal): without
 * CAP_SYS_ADMIN it has no purpose.
 */
int verdict_send(uint32_t dev, uint32_t mount_id, unsigned int index,
		 enum rnfs_replica_health state, const char *reason);
void verdict_close(void);

#endif /* _RNFSD_VERDICT_H */
