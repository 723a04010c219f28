/* SPDX-License-Identifier: GPL-2.0 */
/* Host name lookup for mount.rnfs: the resolver that options.c calls. */
#ifndef _RNFS_MOUNT_RESOLVE_H
#define _RNFS_MOUNT_RESOLVE_H

#include <stddef.h>

/*
 * getaddrinfo() for a TCP service: the first address it gives, IPv4 or
 * IPv6, as text, but an IPv6 link-local one only when there is no other.
 * Fits rnfs_resolve_fn (options.h).
 */
int rnfs_resolve(const char *host, char *addr, size_t addrlen,
		 char *why, size_t whylen);

#endif /* _RNFS_MOUNT_RESOLVE_H */
