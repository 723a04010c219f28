// SPDX-License-Identifier: GPL-2.0
/*
 * nlpoke: send rnfs netlink commands exactly as given, with none of the
 * checks nfs4cl and rnfsd make first, to see what the kernel accepts.
 *
 *   nlpoke [-i ID] set-mount PATH NAME=VALUE...   timeo, retrans, failback (a
 *                                         number: 0 manual, 1 auto),
 *                                         failback_delay
 *   nlpoke switch PATH INDEX
 *   nlpoke verdict PATH INDEX STATE [REASON]   STATE: 0 down, 1 up,
 *                                              2 suspect, or any number
 *
 * PATH is any file on the mount (its st_dev names the mount); -i sends
 * ID as the mount's id too (the kernel checks it).  Prints
 * "ok" or the errno name the kernel answered (EINVAL, EPERM...); exit
 * status 0 for ok, 1 for a refusal, 2 for bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rnfsnl.h"

#define BAD_USAGE 1		/* errors are negative */

static int usage(void)
{
	fprintf(stderr, "usage: nlpoke [-i ID] set-mount PATH NAME=VALUE...\n"
			"       nlpoke [-i ID] switch PATH INDEX\n"
			"       nlpoke [-i ID] verdict PATH INDEX STATE [REASON]\n");
	return 2;
}

static uint32_t id;

static int set_mount(struct rnfsnl *nl, uint32_t dev, int argc, char **argv)
{
	struct rnfsnl_tunables t = { 0 };
	int i;

	for (i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		unsigned long v;

		if (!eq)
			return BAD_USAGE;
		*eq = '\0';
		v = strtoul(eq + 1, NULL, 0);
		if (!strcmp(argv[i], "timeo")) {
			t.has_timeo = true;
			t.timeo = v;
		} else if (!strcmp(argv[i], "retrans")) {
			t.has_retrans = true;
			t.retrans = v;
		} else if (!strcmp(argv[i], "failback")) {
			t.has_failback = true;
			t.failback = v;
		} else if (!strcmp(argv[i], "failback_delay")) {
			t.has_failback_delay = true;
			t.failback_delay = v;
		} else {
			return BAD_USAGE;
		}
	}
	return rnfsnl_set_mount(nl, dev, id, &t);
}

int main(int argc, char **argv)
{
	struct rnfsnl *nl;
	struct stat st;
	int ret;

	if (argc > 2 && !strcmp(argv[1], "-i")) {
		id = strtoul(argv[2], NULL, 0);
		argc -= 2;
		argv += 2;
	}
	if (argc < 4)
		return usage();
	if (stat(argv[2], &st)) {
		perror(argv[2]);
		return 2;
	}
	ret = rnfsnl_open(&nl);
	if (ret) {
		printf("%s\n", strerrorname_np(-ret));
		return 1;
	}
	if (!strcmp(argv[1], "set-mount"))
		ret = set_mount(nl, st.st_dev, argc - 3, argv + 3);
	else if (!strcmp(argv[1], "switch") && argc == 4)
		ret = rnfsnl_switch(nl, st.st_dev, id, strtoul(argv[3], NULL, 0));
	else if (!strcmp(argv[1], "verdict") && (argc == 5 || argc == 6))
		ret = rnfsnl_set_replica_state(nl, st.st_dev, id,
					       strtoul(argv[3], NULL, 0),
					       strtoul(argv[4], NULL, 0),
					       argc == 6 ? argv[5] : NULL);
	else
		ret = BAD_USAGE;
	rnfsnl_close(nl);
	if (ret == BAD_USAGE)
		return usage();
	printf("%s\n", ret ? strerrorname_np(-ret) : "ok");
	return ret ? 1 : 0;
}
