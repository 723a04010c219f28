// SPDX-License-Identifier: GPL-2.0
/*
 * Which mount a subcommand acts on (a path on it, through st_dev, the
 * name the kernel uses), and the words for the ways that can fail.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "nfs4cl.h"

void nfs4cl_error(const char *cmd, const char *what, const char *fmt, ...)
{
	va_list ap;

	fputs("nfs4cl: ", stderr);
	if (cmd)
		fprintf(stderr, "%s: ", cmd);
	if (what)
		fprintf(stderr, "%s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int nfs4cl_nl_error(const char *cmd, const char *path, int err)
{
	switch (err) {
	case -EPROTONOSUPPORT:
		/* No "rnfs" genl family: nothing to talk to at all. */
		nfs4cl_error(NULL, NULL, "rnfs.ko is not loaded");
		break;
	case -ENODEV:
		nfs4cl_error(NULL, path, "not an rnfs mount");
		break;
	case -EPERM:
		nfs4cl_error(cmd, path,
			     "permission denied (needs CAP_SYS_ADMIN)");
		break;
	case -ESTALE:
		/*
		 * The mount nfs4cl read is gone and its device number is
		 * another mount's already: the kernel refused to act on
		 * that one.  Running the command again finds the new one.
		 */
		nfs4cl_error(cmd, path,
			     "the mount changed while nfs4cl ran; try again");
		break;
	default:
		nfs4cl_error(cmd, path, "%s", strerror(-err));
		break;
	}
	return NFS4CL_FAILED;
}

int nfs4cl_flush(const char *cmd)
{
	if (fflush(stdout) || ferror(stdout)) {
		nfs4cl_error(cmd, "standard output", "%s", strerror(errno));
		return NFS4CL_FAILED;
	}
	return NFS4CL_OK;
}

int nfs4cl_open(const char *cmd, struct rnfsnl **nl)
{
	int ret = rnfsnl_open(nl);

	return ret ? nfs4cl_nl_error(cmd, NULL, ret) : NFS4CL_OK;
}

int nfs4cl_dev_of(const char *path, uint32_t *dev)
{
	struct stat st;

	/*
	 * stat(), not lstat(): a symbolic link names the file it points
	 * to, which is what an administrator means by "this path".
	 */
	if (stat(path, &st)) {
		nfs4cl_error(NULL, path, "%s", strerror(errno));
		return NFS4CL_FAILED;
	}
	*dev = (uint32_t)st.st_dev;
	return NFS4CL_OK;
}

int nfs4cl_mount_of(struct rnfsnl *nl, const char *cmd, const char *path,
		    struct rnfsnl_mount *m)
{
	uint32_t dev;
	int status, ret;

	status = nfs4cl_dev_of(path, &dev);
	if (status)
		return status;
	ret = rnfsnl_get_mount(nl, dev, m);
	return ret ? nfs4cl_nl_error(cmd, path, ret) : NFS4CL_OK;
}

const char *nfs4cl_server_name(const struct rnfsnl_replica *r, char *buf,
			       size_t size)
{
	bool ipv6 = strchr(r->host, ':');

	snprintf(buf, size, "%s%s%s:%s", ipv6 ? "[" : "", r->host,
		 ipv6 ? "]" : "", r->path);
	return buf;
}
