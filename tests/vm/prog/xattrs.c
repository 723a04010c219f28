// SPDX-License-Identifier: GPL-2.0
/*
 * xattrs PATH NAME: what the extended attribute calls say about PATH, for
 * comparing an rnfs mount with a plain NFS mount (runs in the lab guest).
 * Prints
 *   list=<bytes or errno name> get=<bytes or errno name>
 * for listxattr(PATH) and getxattr(PATH, NAME).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>

static void show(const char *what, ssize_t ret)
{
	if (ret < 0)
		printf("%s=%s", what, strerrorname_np(errno));
	else
		printf("%s=%zd", what, ret);
}

int main(int argc, char **argv)
{
	char buf[65536];

	if (argc != 3) {
		fprintf(stderr, "usage: xattrs PATH NAME\n");
		return 2;
	}
	show("list", listxattr(argv[1], buf, sizeof(buf)));
	putchar(' ');
	show("get", getxattr(argv[1], argv[2], buf, sizeof(buf)));
	putchar('\n');
	return 0;
}
