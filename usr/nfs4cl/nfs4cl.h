/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nfs4cl, the rnfs administration command: what its subcommands share.
 * Exit status, as documented in nfs4cl(8): 0 done, 1 the operation
 * failed, 2 the command line is wrong.
 */
#ifndef _RNFS_NFS4CL_H
#define _RNFS_NFS4CL_H

#include <stdbool.h>
#include <stdio.h>

#include "rnfsnl.h"

#define NFS4CL_OK	0
#define NFS4CL_FAILED	1
#define NFS4CL_USAGE	2

/* Subcommands: argv[0] is the subcommand; each returns an exit status. */
int nfs4cl_showfs(int argc, char **argv);
int nfs4cl_setfsoptions(int argc, char **argv);
int nfs4cl_switch(int argc, char **argv);
int nfs4cl_events(int argc, char **argv);
int nfs4cl_swaps(int argc, char **argv);

/* "Usage: ..." for @cmd (NULL: every command) on @f. */
void nfs4cl_usage(FILE *f, const char *cmd);
/* A command line error for @cmd: message, usage hint; returns NFS4CL_USAGE. */
int nfs4cl_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The command line of @cmd when its only option is --json: sets *@json.
 * Returns NFS4CL_OK, NFS4CL_USAGE after saying what is wrong, or -1 after
 * printing the usage for -h (the command then exits with status 0).
 */
int nfs4cl_json_option(const char *cmd, int argc, char **argv, bool *json);

/* "nfs4cl: @cmd: @what: ..." on stderr, @cmd and @what optional. */
void nfs4cl_error(const char *cmd, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/*
 * Report the rnfsnl error @err of @cmd on the mount @path (NULL: none)
 * in words: rnfs.ko missing, not an rnfs mount, no privilege, the mount
 * replaced since it was read (ESTALE), else strerror().  Returns
 * NFS4CL_FAILED.
 */
int nfs4cl_nl_error(const char *cmd, const char *path, int err);

/* Flush standard output; reports failures.  Returns an exit status. */
int nfs4cl_flush(const char *cmd);

/* Connect to rnfs.ko; reports failures.  Returns an exit status. */
int nfs4cl_open(const char *cmd, struct rnfsnl **nl);
/*
 * The device number of @path, stat(2)'s st_dev: the kernel's name for
 * the mount holding it.  Reports failures.  Returns an exit status.
 */
int nfs4cl_dev_of(const char *path, uint32_t *dev);
/*
 * The rnfs mount holding @path (any file on it), via its st_dev;
 * reports failures.  Returns an exit status.
 */
int nfs4cl_mount_of(struct rnfsnl *nl, const char *cmd, const char *path,
		    struct rnfsnl_mount *m);

/* "host:/path", IPv6 hosts in brackets, into @buf. */
const char *nfs4cl_server_name(const struct rnfsnl_replica *r, char *buf,
			       size_t size);
#define NFS4CL_SERVER_LEN	(RNFS_HOST_LEN + RNFS_PATH_LEN + 3)

#endif /* _RNFS_NFS4CL_H */
