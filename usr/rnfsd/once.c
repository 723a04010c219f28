// SPDX-License-Identifier: GPL-2.0
/*
 * rnfsd --once: probe every replica of every rnfs mount once, all at the
 * same time, print what was found and exit.  It only reads from the
 * kernel (GET_MOUNT is open to every user) and tells it nothing.
 *
 * Exit status: 0 every replica answered (or there is no rnfs mount),
 * 1 some replica failed its probe, 3 the kernel could not be asked.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "health.h"
#include "mountinfo.h"
#include "probe.h"
#include "rnfsd.h"
#include "rnfsnl.h"
#include "watch.h"

struct once_job {
	const struct rnfsnl_mount *mount;
	const struct rnfsnl_replica *replica;
	const char *label;
	struct probe_result res;
	uint64_t ms;
	pthread_t thread;
	bool started;
};

static void *once_probe(void *arg)
{
	struct once_job *job = arg;
	struct probe_target t = {
		.host = job->replica->host,
		.path = job->replica->path,
		.fsid_major = job->mount->fsid_major,
		.fsid_minor = job->mount->fsid_minor,
		.deadline_ms = health_deadline_ms(job->mount->timeo,
						  job->mount->retrans),
	};
	/* Nothing stops a single probe early: no stop fd. */
	struct probe_conn *pc = probe_conn_new(-1);
	uint64_t start = rnfsd_now_ms();

	if (!pc) {
		snprintf(job->res.reason, sizeof(job->res.reason),
			 "out of memory");
		return NULL;
	}
	probe_run(pc, &t, &job->res);
	job->ms = rnfsd_now_ms() - start;
	probe_conn_free(pc);
	return NULL;
}

static void print(const struct once_job *jobs, size_t n)
{
	char name[RNFS_HOST_LEN + RNFS_PATH_LEN + 4];
	size_t i;

	printf("%-20s %-2s %-32s %-8s %-6s %7s  %s\n", "MOUNT", "#",
	       "REPLICA", "KERNEL", "PROBE", "TIME", "DETAIL");
	for (i = 0; i < n; i++) {
		const struct once_job *j = &jobs[i];
		char detail[PROBE_REASON_LEN + 32];

		if (j->res.ok && !j->res.export_checked)
			snprintf(detail, sizeof(detail),
				 "export not checked: server %s",
				 j->res.unchecked);
		else
			snprintf(detail, sizeof(detail), "%s", j->res.reason);
		watch_format_name(name, sizeof(name), j->replica->host,
				  j->replica->path);
		printf("%-20s %-2u %-32s %-8s %-6s %5llums  %s\n", j->label,
		       j->replica->index, name,
		       rnfsnl_health_name(j->replica->state),
		       j->res.ok ? "ok" : "failed",
		       (unsigned long long)j->ms, detail);
	}
	fflush(stdout);
}

int once_run(void)
{
	struct rnfsnl_mount *mounts = NULL;
	struct rnfs_mountinfo *mi = NULL;
	struct once_job *jobs = NULL;
	size_t i, n = 0, nmi = 0, njobs = 0;
	struct rnfsnl *nl;
	int ret, status = 0;
	unsigned int r;

	ret = rnfsnl_open(&nl);
	if (!ret) {
		ret = rnfsnl_get_mounts(nl, &mounts, &n);
		rnfsnl_close(nl);
	}
	if (ret == -EPROTONOSUPPORT) {
		fprintf(stderr, "rnfsd: rnfs.ko is not loaded\n");
		return 3;
	}
	if (ret) {
		fprintf(stderr, "rnfsd: cannot read the rnfs mounts: %s\n",
			strerror(-ret));
		return 3;
	}
	if (!n) {
		printf("no rnfs mounts\n");
		free(mounts);
		return 0;
	}
	if (rnfs_mountinfo_read(NULL, &mi, &nmi)) {
		mi = NULL;
		nmi = 0;
	}
	for (i = 0; i < n; i++)
		njobs += mounts[i].nr;
	jobs = calloc(njobs ? njobs : 1, sizeof(*jobs));
	if (!jobs) {
		fprintf(stderr, "rnfsd: out of memory\n");
		status = 3;
		goto out;
	}
	njobs = 0;
	for (i = 0; i < n; i++) {
		const struct rnfs_mountinfo *e =
			rnfs_mountinfo_find(mi, nmi, mounts[i].dev);

		for (r = 0; r < mounts[i].nr; r++) {
			struct once_job *j = &jobs[njobs++];

			j->mount = &mounts[i];
			j->replica = &mounts[i].replica[r];
			j->label = e ? e->mountpoint : mounts[i].source;
			j->started = !pthread_create(&j->thread, NULL,
						     once_probe, j);
			/* Rather slower than not at all. */
			if (!j->started)
				once_probe(j);
		}
	}
	for (i = 0; i < njobs; i++) {
		if (jobs[i].started)
			pthread_join(jobs[i].thread, NULL);
		if (!jobs[i].res.ok)
			status = 1;
	}
	print(jobs, njobs);
out:
	free(jobs);
	free(mounts);
	rnfs_mountinfo_free(mi, nmi);
	return status;
}
