// SPDX-License-Identifier: GPL-2.0
/*
 * The verdict channel: one rnfsnl handle behind a mutex (a libnl socket
 * is not for concurrent use), opened on first use and again after the
 * module came back.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "rnfsd.h"
#include "verdict.h"

/*
 * The kernel takes a reason of up to 63 characters (RNFS_REASON_LEN in
 * kmod/rnfs.h, less the NUL) and refuses the whole verdict for a longer
 * one: better cut.
 */
#define REASON_MAX	63

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct rnfsnl *nl;
static int last_error;			/* logged once until it changes */

int verdict_send(uint32_t dev, uint32_t mount_id, unsigned int index,
		 enum rnfs_replica_health state, const char *reason)
{
	char why[REASON_MAX + 1];
	bool news;
	int ret;

	snprintf(why, sizeof(why), "%s", reason ? reason : "");
	pthread_mutex_lock(&lock);
	ret = nl ? 0 : rnfsnl_open(&nl);
	if (ret)
		nl = NULL;
	else
		ret = rnfsnl_set_replica_state(nl, dev, mount_id, index, state,
					       why);
	/*
	 * Answers about this request keep the socket; anything else may
	 * mean the family is gone (rnfs.ko unloaded, maybe reloaded with
	 * another family id): start again next time.
	 */
	if (nl && ret && ret != -EPERM && ret != -ENODEV && ret != -ESTALE &&
	    ret != -EINVAL) {
		rnfsnl_close(nl);
		nl = NULL;
	}
	news = ret != last_error;
	last_error = ret;
	pthread_mutex_unlock(&lock);

	if (ret == -EPERM || ret == -EACCES) {
		log_msg(LOG_ERR, "the kernel refuses replica verdicts: rnfsd needs CAP_SYS_ADMIN");
		rnfsd_fatal(1);
	} else if (ret && ret != -ENODEV && ret != -ESTALE && news) {
		/* The mount went; the housekeeper will notice. */
		log_msg(LOG_WARNING, "cannot tell the kernel replica states: %s",
			ret == -EPROTONOSUPPORT ? "rnfs.ko is not loaded" :
						  strerror(-ret));
	}
	return ret;
}

void verdict_close(void)
{
	pthread_mutex_lock(&lock);
	rnfsnl_close(nl);
	nl = NULL;
	pthread_mutex_unlock(&lock);
}
