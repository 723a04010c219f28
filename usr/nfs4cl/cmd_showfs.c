// SPDX-License-Identifier: GPL-2.0
/*
 * nfs4cl showfs [-f field | --json] [path...]: gathers the mounts from the
 * kernel and mountinfo; showfs.c does the printing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nfs4cl.h"
#include "showfs.h"

#define CMD	"showfs"

enum output { OUT_TEXT, OUT_FIELD, OUT_JSON };

struct request {
	enum output output;
	enum showfs_field field;
	char **paths;
	int nr_paths;
};

static struct rnfs_mountinfo *info;
static size_t nr_info;

/* Position in mountinfo: mount order, so that every node lists alike. */
static size_t info_pos(const struct showfs_entry *e)
{
	return e->mi ? (size_t)(e->mi - info) : SIZE_MAX;
}

static int by_mount_order(const void *a, const void *b)
{
	const struct showfs_entry *x = a, *y = b;
	size_t px = info_pos(x), py = info_pos(y);

	if (px != py)
		return px < py ? -1 : 1;
	/* Both unknown to mountinfo: keep the kernel's order. */
	return x->m < y->m ? -1 : x->m > y->m;
}

static int parse_args(int argc, char **argv, struct request *req)
{
	static const struct option longopts[] = {
		{ "field",	required_argument,	NULL, 'f' },
		{ "json",	no_argument,		NULL, 'j' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *field = NULL;
	int c, n;

	memset(req, 0, sizeof(*req));
	opterr = 0;
	optind = 0;	/* glibc: start over, on this argv */
	while ((c = getopt_long(argc, argv, ":f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			field = optarg;
			break;
		case 'j':
			req->output = OUT_JSON;
			break;
		case 'h':
			nfs4cl_usage(stdout, CMD);
			return -1;
		case ':':
			return nfs4cl_usage_error(CMD, "%s needs an argument",
						  argv[optind - 1]);
		default:
			return nfs4cl_usage_error(CMD, "unknown option '%s'",
						  argv[optind - 1]);
		}
	}
	if (field) {
		if (req->output == OUT_JSON)
			return nfs4cl_usage_error(CMD,
				"-f and --json do not go together");
		n = showfs_field_parse(field);
		if (n < 0) {
			nfs4cl_error(CMD, NULL,
				     "-f %s: unknown field; valid fields: %s",
				     field, showfs_field_list);
			return NFS4CL_USAGE;
		}
		req->output = OUT_FIELD;
		req->field = n;
	}
	req->paths = argv + optind;
	req->nr_paths = argc - optind;
	return NFS4CL_OK;
}

/*
 * The mounts the paths are on, or every mount.  Returns an exit status;
 * for paths, the mounts that were found are kept even if some were not.
 */
static int gather(const struct request *req, struct rnfsnl_mount **mounts,
		  size_t *count)
{
	struct rnfsnl *nl;
	int status, i, ret;

	*mounts = NULL;
	*count = 0;
	ret = rnfsnl_open(&nl);
	/* Without rnfs.ko there is no rnfs mount to list. */
	if (ret == -EPROTONOSUPPORT && !req->nr_paths)
		return NFS4CL_OK;
	if (ret)
		return nfs4cl_nl_error(CMD, NULL, ret);

	if (!req->nr_paths) {
		ret = rnfsnl_get_mounts(nl, mounts, count);
		rnfsnl_close(nl);
		return ret ? nfs4cl_nl_error(CMD, NULL, ret) : NFS4CL_OK;
	}

	*mounts = calloc((size_t)req->nr_paths, sizeof(**mounts));
	if (!*mounts) {
		rnfsnl_close(nl);
		return nfs4cl_nl_error(CMD, NULL, -ENOMEM);
	}
	status = NFS4CL_OK;
	for (i = 0; i < req->nr_paths; i++) {
		if (nfs4cl_mount_of(nl, CMD, req->paths[i],
				    &(*mounts)[*count]))
			status = NFS4CL_FAILED;
		else
			++*count;
	}
	rnfsnl_close(nl);
	return status;
}

static void print(const struct request *req, const struct showfs_entry *v,
		  size_t n)
{
	size_t i;

	switch (req->output) {
	case OUT_TEXT:
		showfs_text(stdout, v, n);
		break;
	case OUT_FIELD:
		for (i = 0; i < n; i++)
			showfs_field(stdout, &v[i], req->field);
		break;
	case OUT_JSON:
		showfs_json(stdout, v, n);
		break;
	}
}

int nfs4cl_showfs(int argc, char **argv)
{
	struct showfs_entry *v = NULL;
	struct rnfsnl_mount *mounts;
	struct request req;
	size_t n, i;
	int status, ret;

	status = parse_args(argc, argv, &req);
	if (status)
		return status < 0 ? NFS4CL_OK : status;

	status = gather(&req, &mounts, &n);
	ret = rnfs_mountinfo_read(NULL, &info, &nr_info);
	if (ret) {
		/* Still worth showing what the kernel says. */
		nfs4cl_error(CMD, "/proc/self/mountinfo", "%s", strerror(-ret));
		info = NULL;
		nr_info = 0;
	}
	if (n) {
		v = calloc(n, sizeof(*v));
		if (!v) {
			nfs4cl_error(CMD, NULL, "%s", strerror(ENOMEM));
			n = 0;
			status = NFS4CL_FAILED;
		}
	}
	for (i = 0; i < n; i++) {
		v[i].m = &mounts[i];
		v[i].mi = rnfs_mountinfo_find(info, nr_info, mounts[i].dev);
	}
	/* Paths are shown in the order given; a full listing in mount order. */
	if (!req.nr_paths && n > 1)
		qsort(v, n, sizeof(*v), by_mount_order);

	if (n || req.output == OUT_JSON)
		print(&req, v, n);
	if (nfs4cl_flush(CMD))
		status = NFS4CL_FAILED;
	free(v);
	free(mounts);
	rnfs_mountinfo_free(info, nr_info);
	return status;
}
