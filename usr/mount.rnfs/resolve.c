// SPDX-License-Identifier: GPL-2.0
/*
 * Host name lookup.  The first address getaddrinfo() gives is the one its
 * RFC 6724 sorting prefers, so both families are fine: the kernel mounts
 * whichever it is given.  The exception is an IPv6 link-local address,
 * which is of no use without its interface, which the kernel does not
 * take: any other address of the host goes before it, and when it is the
 * only one, options.c refuses it with the replica's name.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "resolve.h"
#include "status.h"

/* getaddrinfo()'s errors in words a person can act on. */
static int lookup_failed(int gai, int saved_errno, char *why, size_t whylen)
{
	switch (gai) {
	case EAI_NONAME:
	case EAI_NODATA:
	case EAI_ADDRFAMILY:
		snprintf(why, whylen, "host not found");
		return RNFS_EX_FAIL;
	case EAI_AGAIN:
		snprintf(why, whylen, "temporary failure in name resolution");
		return RNFS_EX_FAIL;
	case EAI_FAIL:
		snprintf(why, whylen,
			 "name resolution failed (no answer from the name servers)");
		return RNFS_EX_FAIL;
	case EAI_MEMORY:
		snprintf(why, whylen, "out of memory");
		return RNFS_EX_SYSERR;
	case EAI_SYSTEM:
		snprintf(why, whylen, "name resolution failed: %s",
			 strerror(saved_errno));
		return RNFS_EX_SYSERR;
	default:
		snprintf(why, whylen, "name resolution failed: %s",
			 gai_strerror(gai));
		return RNFS_EX_FAIL;
	}
}

int rnfs_resolve(const char *host, char *addr, size_t addrlen,
		 char *why, size_t whylen)
{
	const struct addrinfo hints = {
		.ai_family = AF_UNSPEC,
		.ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *res, *ai;
	const void *bin;
	int gai, ok;

	gai = getaddrinfo(host, NULL, &hints, &res);
	if (gai)
		return lookup_failed(gai, errno, why, whylen);
	for (ai = res; ai; ai = ai->ai_next)
		if (ai->ai_family != AF_INET6 ||
		    !IN6_IS_ADDR_LINKLOCAL(
			&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr))
			break;
	if (!ai)
		ai = res;
	/* inet_ntop(), not getnameinfo(): no "%scope" the kernel refuses. */
	if (ai->ai_family == AF_INET6)
		bin = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
	else
		bin = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
	ok = inet_ntop(ai->ai_family, bin, addr, addrlen) != NULL;
	freeaddrinfo(res);
	if (!ok) {
		snprintf(why, whylen, "cannot print its address: %s",
			 strerror(errno));
		return RNFS_EX_BUG;
	}
	return 0;
}
