// SPDX-License-Identifier: GPL-2.0
/*
 * nfs4cl switch path server: make the mount use the replica on @server.
 *
 * The kernel names replicas by index and knows their numeric addresses
 * only; an administrator types a host name, an address (IPv6 with or
 * without brackets) or host:/path.  So the name is resolved here and
 * compared as an address with each replica's.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "nfs4cl.h"

#define CMD	"switch"

/* What the administrator asked for. */
struct wanted {
	char host[RNFS_HOST_LEN];	/* without brackets */
	const char *path;		/* NULL: any path on that host */
};

/* An address reduced to what identifies a server. */
struct addr {
	int family;
	unsigned char bytes[16];
	uint32_t scope;
};

/* "host", "[v6]", "host:/path", "[v6]:/path"; false if malformed. */
static bool parse_server(const char *arg, struct wanted *w)
{
	const char *host = arg, *end;
	size_t len;

	w->path = NULL;
	if (arg[0] == '[') {
		host = arg + 1;
		end = strchr(host, ']');
		if (!end)
			return false;
		if (end[1] == ':' && end[2] == '/')
			w->path = end + 2;
		else if (end[1])
			return false;
	} else {
		/* An address never holds ":/", a path always starts so. */
		end = strstr(arg, ":/");
		if (end)
			w->path = end + 1;
		else
			end = arg + strlen(arg);
	}
	len = (size_t)(end - host);
	if (!len || len >= sizeof(w->host))
		return false;
	memcpy(w->host, host, len);
	w->host[len] = '\0';
	return true;
}

/* IPv4-mapped IPv6 addresses count as the IPv4 address they carry. */
static void to_addr(const struct sockaddr *sa, struct addr *a)
{
	memset(a, 0, sizeof(*a));
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const void *)sa;

		a->family = AF_INET;
		memcpy(a->bytes, &in->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const void *)sa;

		if (IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr)) {
			a->family = AF_INET;
			memcpy(a->bytes, &in6->sin6_addr.s6_addr[12], 4);
		} else {
			a->family = AF_INET6;
			memcpy(a->bytes, &in6->sin6_addr, 16);
			a->scope = in6->sin6_scope_id;
		}
	}
}

static bool same_addr(const struct addr *a, const struct addr *b)
{
	if (!a->family || a->family != b->family)
		return false;
	/* A scope given on one side only does not tell them apart. */
	if (a->scope && b->scope && a->scope != b->scope)
		return false;
	return !memcmp(a->bytes, b->bytes, a->family == AF_INET ? 4 : 16);
}

/* A replica's host, which the kernel keeps numeric. */
static bool numeric_addr(const char *host, struct addr *a)
{
	struct addrinfo hints = {
		.ai_flags = AI_NUMERICHOST,
		.ai_socktype = SOCK_STREAM,
	};
	struct addrinfo *ai;

	if (getaddrinfo(host, NULL, &hints, &ai))
		return false;
	to_addr(ai->ai_addr, a);
	freeaddrinfo(ai);
	return true;
}

static bool resolves_to(const struct addrinfo *ai, const char *host)
{
	struct addr want, got;

	if (!numeric_addr(host, &want))
		return false;
	for (; ai; ai = ai->ai_next) {
		to_addr(ai->ai_addr, &got);
		if (same_addr(&want, &got))
			return true;
	}
	return false;
}

/* Equal but for trailing slashes: "/install/" is "/install". */
static bool same_path(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);

	while (la > 1 && a[la - 1] == '/')
		la--;
	while (lb > 1 && b[lb - 1] == '/')
		lb--;
	return la == lb && !memcmp(a, b, la);
}

static void list_replicas(const struct rnfsnl_mount *m, const bool *only)
{
	char name[NFS4CL_SERVER_LEN];
	unsigned int i;

	for (i = 0; i < m->nr; i++) {
		const struct rnfsnl_replica *r = &m->replica[i];

		if (only && !only[i])
			continue;
		fprintf(stderr, "        %s  %s%s\n",
			nfs4cl_server_name(r, name, sizeof(name)),
			rnfsnl_health_name(r->state),
			(int)r->index == m->active ? ", current" : "");
	}
}

/*
 * The position in @m of the one replica @w names; -1 after explaining
 * why there is none.
 */
static int find_replica(const struct rnfsnl_mount *m, const char *path,
			const char *arg, const struct wanted *w)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *ai = NULL;
	bool match[RNFS_MAX_REPLICAS] = { false };
	unsigned int i, nr = 0;
	int found = -1, gai;

	gai = getaddrinfo(w->host, NULL, &hints, &ai);
	for (i = 0; i < m->nr; i++) {
		const struct rnfsnl_replica *r = &m->replica[i];

		if (strcasecmp(r->host, w->host) &&
		    (gai || !resolves_to(ai, r->host)))
			continue;
		if (w->path && !same_path(r->path, w->path))
			continue;
		match[i] = true;
		found = (int)i;
		nr++;
	}
	if (!gai)
		freeaddrinfo(ai);

	if (nr == 1)
		return found;
	if (!nr) {
		if (gai)
			nfs4cl_error(CMD, path, "%s is not a replica (%s); "
				     "the replicas are:", arg,
				     gai_strerror(gai));
		else
			nfs4cl_error(CMD, path,
				     "%s is not a replica; the replicas are:",
				     arg);
		list_replicas(m, NULL);
	} else {
		nfs4cl_error(CMD, path,
			     "%s serves %u replicas; name one as host:/path:",
			     arg, nr);
		list_replicas(m, match);
	}
	return -1;
}

int nfs4cl_switch(int argc, char **argv)
{
	char name[NFS4CL_SERVER_LEN];
	const struct rnfsnl_replica *r;
	struct rnfsnl_mount m;
	struct rnfsnl *nl;
	struct wanted w;
	int status, i, ret;

	if (argc == 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		nfs4cl_usage(stdout, CMD);
		return NFS4CL_OK;
	}
	if (argc != 3)
		return nfs4cl_usage_error(CMD, "needs a path and a server");
	if (!parse_server(argv[2], &w))
		return nfs4cl_usage_error(CMD, "%s: not a host, address or "
					  "host:/path", argv[2]);

	status = nfs4cl_open(CMD, &nl);
	if (status)
		return status;
	status = nfs4cl_mount_of(nl, CMD, argv[1], &m);
	if (status)
		goto out;
	i = find_replica(&m, argv[1], argv[2], &w);
	if (i < 0) {
		status = NFS4CL_FAILED;
		goto out;
	}
	r = &m.replica[i];
	nfs4cl_server_name(r, name, sizeof(name));
	ret = rnfsnl_switch(nl, m.dev, m.id, r->index);
	switch (ret) {
	case 0:
		break;
	case -EALREADY:
		/* What was asked for is the case: not a failure. */
		printf("already using %s\n", name);
		break;
	case -EHOSTDOWN:
		nfs4cl_error(CMD, argv[1], "replica %s is down", name);
		status = NFS4CL_FAILED;
		break;
	default:
		status = nfs4cl_nl_error(CMD, argv[1], ret);
		break;
	}
out:
	rnfsnl_close(nl);
	return status;
}
