// SPDX-License-Identifier: GPL-2.0
/*
 * nfs4cl swaps [--json]: the swap files on rnfs mounts, with the server
 * each one pages to now.  rnfs sends a swap file's I/O to its mount's
 * active replica, so that server is what showfs -f current shows.
 *
 * The swap areas are /proc/swaps'; one is on rnfs if the kernel knows
 * its file's st_dev as an rnfs mount.  swaps.c parses and prints.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "nfs4cl.h"
#include "showfs.h"
#include "swaps.h"

#define CMD		"swaps"
#define PROC_SWAPS	"/proc/swaps"

struct listing {
	struct swaps_entry *v;
	size_t n, cap;
	struct rnfs_mountinfo *info;	/* for the mount points */
	size_t nr_info;
};

static void entry_free(struct swaps_entry *e)
{
	free(e->area.file);
	free(e->server);
	free(e->mountpoint);
}

static void listing_free(struct listing *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
	rnfs_mountinfo_free(l->info, l->nr_info);
}

/* Room for one more entry.  Returns 0 or -ENOMEM. */
static int grow(struct listing *l)
{
	size_t cap = l->cap ? 2 * l->cap : 4;
	struct swaps_entry *v;

	if (l->n < l->cap)
		return 0;
	v = realloc(l->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	l->v = v;
	l->cap = cap;
	return 0;
}

/* Lists the swap file @a, on the rnfs mount @m.  Returns 0 or -ENOMEM. */
static int add(struct listing *l, const struct swaps_area *a,
	       const struct rnfsnl_mount *m)
{
	const struct rnfsnl_replica *r = showfs_current(m);
	const struct rnfs_mountinfo *mi;
	char server[NFS4CL_SERVER_LEN];
	struct swaps_entry *e;

	if (grow(l))
		return -ENOMEM;
	mi = rnfs_mountinfo_find(l->info, l->nr_info, m->dev);
	e = &l->v[l->n];
	memset(e, 0, sizeof(*e));
	e->area = *a;
	e->area.file = strdup(a->file);
	if (r)
		e->server = strdup(nfs4cl_server_name(r, server,
						      sizeof(server)));
	if (mi)
		e->mountpoint = strdup(mi->mountpoint);
	if (!e->area.file || (r && !e->server) || (mi && !e->mountpoint)) {
		entry_free(e);
		return -ENOMEM;
	}
	l->n++;
	return 0;
}

/*
 * Line @nr of /proc/swaps: listed if it is a swap file on an rnfs mount.
 * Returns an exit status.
 */
static int swap_line(struct rnfsnl *nl, struct listing *l, char *line,
		     unsigned int nr)
{
	struct rnfsnl_mount m;
	struct swaps_area a;
	uint32_t dev;
	int ret;

	ret = swaps_parse_line(line, &a);
	if (ret < 0) {
		/* A format this nfs4cl does not know: say so, list the rest. */
		nfs4cl_error(CMD, PROC_SWAPS, "line %u not understood", nr);
		return NFS4CL_FAILED;
	}
	if (!ret || a.partition)
		return NFS4CL_OK;
	if (nfs4cl_dev_of(a.file, &dev))
		return NFS4CL_FAILED;
	ret = rnfsnl_get_mount(nl, dev, &m);
	if (ret == -ENODEV)
		return NFS4CL_OK;	/* on another file system */
	if (!ret)
		ret = add(l, &a, &m);
	return ret ? nfs4cl_nl_error(CMD, a.file, ret) : NFS4CL_OK;
}

static int read_swaps(struct rnfsnl *nl, struct listing *l)
{
	int status = NFS4CL_OK;
	unsigned int nr = 0;
	char *line = NULL;
	size_t size = 0;
	FILE *f;

	f = fopen(PROC_SWAPS, "re");
	if (!f) {
		nfs4cl_error(CMD, PROC_SWAPS, "%s", strerror(errno));
		return NFS4CL_FAILED;
	}
	while (getline(&line, &size, f) >= 0)
		if (swap_line(nl, l, line, ++nr))
			status = NFS4CL_FAILED;
	if (ferror(f)) {
		nfs4cl_error(CMD, PROC_SWAPS, "%s", strerror(errno));
		status = NFS4CL_FAILED;
	}
	free(line);
	fclose(f);
	return status;
}

/* The swap files on rnfs into @l.  Returns an exit status. */
static int gather(struct listing *l)
{
	struct rnfsnl *nl;
	int status, ret;

	ret = rnfsnl_open(&nl);
	/* Without rnfs.ko no swap file can be on rnfs: none to list. */
	if (ret == -EPROTONOSUPPORT)
		return NFS4CL_OK;
	if (ret)
		return nfs4cl_nl_error(CMD, NULL, ret);

	ret = rnfs_mountinfo_read(NULL, &l->info, &l->nr_info);
	if (ret) {
		/* Still worth listing, without the mount points. */
		nfs4cl_error(CMD, "/proc/self/mountinfo", "%s", strerror(-ret));
		l->info = NULL;
		l->nr_info = 0;
	}
	status = read_swaps(nl, l);
	rnfsnl_close(nl);
	return status;
}

int nfs4cl_swaps(int argc, char **argv)
{
	struct listing l = { 0 };
	bool json;
	int status;

	status = nfs4cl_json_option(CMD, argc, argv, &json);
	if (status)
		return status < 0 ? NFS4CL_OK : status;

	status = gather(&l);
	if (json)
		swaps_json(stdout, l.v, l.n);
	else
		swaps_text(stdout, l.v, l.n);
	if (nfs4cl_flush(CMD))
		status = NFS4CL_FAILED;
	listing_free(&l);
	return status;
}
