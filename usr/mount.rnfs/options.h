/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mount.rnfs option handling, kept free of system calls so that the unit
 * tests can run all of it (name resolution comes in through a function
 * pointer).
 *
 * From the source and the -o string that mount(8) passes, it works out:
 *  - the parameters for the kernel, in order (fsconfig() keys and values,
 *    or the comma-separated data of mount(2)), with every replica host
 *    replaced by its numeric address, since rnfs.ko does not resolve names;
 *  - the per-mount attributes (MOUNT_ATTR_* for fsmount());
 *  - the names the user gave, to put back into the kernel's messages.
 * Options for mount(8) and fstab only (_netdev, nofail, x-*, ...) are
 * dropped; options it does not know go to the kernel, which has the last
 * word on them.
 */
#ifndef _RNFS_MOUNT_OPTIONS_H
#define _RNFS_MOUNT_OPTIONS_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"
#include "status.h"

#define RNFS_ADDR_LEN		INET6_ADDRSTRLEN
/* The longest value fsconfig() takes: it copies 256 bytes, NUL included. */
#define RNFS_FSCONFIG_MAX	255
/* Room for any message of this module: it may quote a 1023-byte path. */
#define RNFS_MOPTS_ERR_LEN	2048

/*
 * Looks @host up.  Returns 0 with its numeric address in @addr, or an exit
 * status (RNFS_EX_FAIL, RNFS_EX_SYSERR) with a reason for a person in
 * @why, such as "host not found".
 */
typedef int (*rnfs_resolve_fn)(const char *host, char *addr, size_t addrlen,
			       char *why, size_t whylen);

/* One parameter for the kernel; @value is NULL for a flag. */
struct rnfs_kparam {
	const char *key;
	const char *value;
};

struct rnfs_mopts {
	const char *source;	/* as given: mountinfo and mount -a see it */
	struct rnfs_spec spec;	/* hosts as the user wrote them */
	char addr[RNFS_MAX_REPLICAS][RNFS_ADDR_LEN];
	bool short_form;	/* the replicas came from the source */
	struct rnfs_kparam *params;
	size_t nr_params;
	uint64_t attr;		/* MOUNT_ATTR_* */
	char *buf;		/* what params point into */
	char *replicas;		/* the rewritten replicas= value */
};

/*
 * Fills @mo from @source and @options (NULL: none).  Returns 0, or an exit
 * status with a message in @err (RNFS_MOPTS_ERR_LEN bytes), without the
 * "mount.rnfs: " prefix.  Call rnfs_mopts_free() either way.
 */
int rnfs_mopts_parse(struct rnfs_mopts *mo, const char *source,
		     const char *options, rnfs_resolve_fn resolve, char *err);
void rnfs_mopts_free(struct rnfs_mopts *mo);

/*
 * "ro,replicas=...,timeo=5": the parameters as one string, for mount(2)
 * and for people.  A value with a comma (only SELinux's context options
 * may have one) is in double quotes, as the LSM takes it.  0 or -ENOSPC.
 */
int rnfs_mopts_kernel_string(const struct rnfs_mopts *mo, char *buf,
			     size_t len);
/* "ro,nosuid,relatime": the per-mount attributes.  0 or -ENOSPC. */
int rnfs_mopts_attr_string(uint64_t attr, char *buf, size_t len);
/* "sn1:/install", or "[fd00::1]:/x": replica @i as the user named it. */
void rnfs_mopts_replica_name(const struct rnfs_mopts *mo, unsigned int i,
			     char *buf, size_t len);

/*
 * Copies a kernel message to @out (truncated to @len), with every replica
 * address replaced by the host name the user gave for it, so that
 * "10.99.1.2 (timed out)" reads "sn1 (timed out)".
 */
void rnfs_mopts_name_hosts(const struct rnfs_mopts *mo, const char *msg,
			   char *out, size_t len);

#endif /* _RNFS_MOUNT_OPTIONS_H */
