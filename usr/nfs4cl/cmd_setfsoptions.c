// SPDX-License-Identifier: GPL-2.0
/*
 * nfs4cl setfsoptions path option[,option...] [option...]: change a
 * mounted rnfs file system's tunables (timeo=, retrans=, failback=,
 * failback_delay=) without a remount.
 *
 * Values are checked here against the limits rnfs.ko applies to the
 * mount options (kmod/uapi/rnfs.h), so that a typo gets a clear message
 * before anything is sent; the kernel checks them again.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nfs4cl.h"

#define CMD	"setfsoptions"


#define VALID_OPTIONS \
	"timeo=N, retrans=N, failback=auto|manual, failback_delay=N"

/* A decimal number in [min, max], digits only. */
static bool parse_number(const char *s, uint32_t min, uint32_t max,
			 uint32_t *out)
{
	unsigned long v;
	char *end;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (uint32_t)v;
	return true;
}

/* Is @opt "@name" or "@name=value"?  *value: after the '=', or NULL. */
static bool is_option(const char *opt, const char *name, const char **value)
{
	size_t n = strlen(name);

	if (strncmp(opt, name, n) || (opt[n] != '=' && opt[n] != '\0'))
		return false;
	*value = opt[n] == '=' ? opt + n + 1 : NULL;
	return true;
}

/*
 * One option; returns 0, or NFS4CL_USAGE after saying what is wrong in
 * the kernel's words for the same mount option.
 */
static int parse_option(const char *opt, struct rnfsnl_tunables *t)
{
	const char *value;

	if (is_option(opt, "timeo", &value)) {
		t->has_timeo = true;
		if (value && parse_number(value, 1, RNFS_MAX_TIMEO, &t->timeo))
			return NFS4CL_OK;
		nfs4cl_error(CMD, opt, "must be 1 to %u deciseconds",
			     RNFS_MAX_TIMEO);
	} else if (is_option(opt, "retrans", &value)) {
		t->has_retrans = true;
		if (value && parse_number(value, 1, RNFS_MAX_RETRANS, &t->retrans))
			return NFS4CL_OK;
		nfs4cl_error(CMD, opt, "must be 1 to %u", RNFS_MAX_RETRANS);
	} else if (is_option(opt, "failback_delay", &value)) {
		t->has_failback_delay = true;
		if (value && parse_number(value, 0, RNFS_MAX_FAILBACK_DELAY,
					  &t->failback_delay))
			return NFS4CL_OK;
		nfs4cl_error(CMD, opt, "at most %u seconds",
			     RNFS_MAX_FAILBACK_DELAY);
	} else if (is_option(opt, "failback", &value)) {
		t->has_failback = true;
		t->failback = RNFS_FAILBACK_AUTO;
		if (value && !strcmp(value, "auto"))
			return NFS4CL_OK;
		t->failback = RNFS_FAILBACK_MANUAL;
		if (value && !strcmp(value, "manual"))
			return NFS4CL_OK;
		nfs4cl_error(CMD, opt, "must be auto or manual");
	} else {
		nfs4cl_error(CMD, opt, "unknown option; valid options: %s",
			     VALID_OPTIONS);
	}
	return NFS4CL_USAGE;
}

/* Every argument after the path, each a comma-separated list. */
static int parse_options(int argc, char **argv, struct rnfsnl_tunables *t)
{
	char *list, *opt;
	int i, status;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < argc; i++) {
		list = argv[i];
		while ((opt = strsep(&list, ","))) {
			if (!*opt)
				continue;
			status = parse_option(opt, t);
			if (status)
				return status;
		}
	}
	if (!t->has_timeo && !t->has_retrans && !t->has_failback &&
	    !t->has_failback_delay)
		return nfs4cl_usage_error(CMD, "no option given");
	return NFS4CL_OK;
}

int nfs4cl_setfsoptions(int argc, char **argv)
{
	struct rnfsnl_tunables t;
	struct rnfsnl_mount m;
	struct rnfsnl *nl;
	const char *path;
	int status, ret;

	if (argc == 2 && (!strcmp(argv[1], "-h") ||
			  !strcmp(argv[1], "--help"))) {
		nfs4cl_usage(stdout, CMD);
		return NFS4CL_OK;
	}
	if (argc < 3)
		return nfs4cl_usage_error(CMD, "needs a path and options");
	path = argv[1];
	status = parse_options(argc - 2, argv + 2, &t);
	if (status)
		return status;

	status = nfs4cl_open(CMD, &nl);
	if (status)
		return status;
	status = nfs4cl_mount_of(nl, CMD, path, &m);
	if (!status) {
		ret = rnfsnl_set_mount(nl, m.dev, m.id, &t);
		if (ret)
			status = nfs4cl_nl_error(CMD, path, ret);
	}
	rnfsnl_close(nl);
	return status;
}
