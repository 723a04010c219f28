/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of replica lists, shared by the kernel (which validates what
 * userspace passes in) and mount.rnfs (which resolves names first), and
 * unit-tested in userspace.  Plain C with no allocation.
 *
 *   replicas=path@host[+host][:path@host[+host]...]   exports(5)/AIX form
 *   host[,host...]:path                               Solaris short form
 *
 * A host is a DNS name, an IPv4 address or a bracketed IPv6 address
 * ("[fd00::1]"; the brackets are not kept).  List order is preference
 * order.
 */
#ifndef _RNFS_SPEC_H
#define _RNFS_SPEC_H

#include <linux/types.h>

#define RNFS_MIN_REPLICAS	2
#define RNFS_MAX_REPLICAS	8
#define RNFS_HOST_LEN		254	/* 253 characters of DNS name + NUL */
#define RNFS_PATH_LEN		1024	/* NFS4_MAXPATHLEN */
#define RNFS_SPEC_ERR_LEN	160

struct rnfs_spec_replica {
	char host[RNFS_HOST_LEN];
	char path[RNFS_PATH_LEN];
	int host_is_ipv6;
};

struct rnfs_spec {
	unsigned int nr;
	struct rnfs_spec_replica replica[RNFS_MAX_REPLICAS];
};

/*
 * Both return 0, or -EINVAL with a message for a person in @err (at least
 * RNFS_SPEC_ERR_LEN bytes), e.g. "replica 2 \"/x@\": no server after '@'".
 */
int rnfs_spec_parse_replicas(struct rnfs_spec *spec, const char *text,
			     char *err);
int rnfs_spec_parse_short(struct rnfs_spec *spec, const char *text,
			  char *err);

#endif /* _RNFS_SPEC_H */
