// SPDX-License-Identifier: GPL-2.0
/*
 * xattrs PATH NAME [VALUE]: what the extended attribute calls say about
 * PATH, for comparing an rnfs mount with a plain NFS mount (runs in the
 * lab guest).  Prints
 *   list=<bytes or errno name> get=<bytes or errno name>
 * for listxattr(PATH) and getxattr(PATH, NAME).  With VALUE, first
 *   set=<0 or errno name> create=<...> replace=<...>
 * for setxattr(PATH, NAME, VALUE), then again with XATTR_CREATE (which
 * must fail) and XATTR_REPLACE, and afterwards remove=<...>.
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

	if (argc != 3 && argc != 4) {
		fprintf(stderr, "usage: xattrs PATH NAME [VALUE]\n");
		return 2;
	}
	if (argc == 4) {
		size_t len = strlen(argv[3]);

		show("set", setxattr(argv[1], argv[2], argv[3], len, 0));
		putchar(' ');
		show("create", setxattr(argv[1], argv[2], argv[3], len,
					XATTR_CREATE));
		putchar(' ');
		show("replace", setxattr(argv[1], argv[2], argv[3], len,
					 XATTR_REPLACE));
		putchar(' ');
	}
	show("list", listxattr(argv[1], buf, sizeof(buf)));
	putchar(' ');
	show("get", getxattr(argv[1], argv[2], buf, sizeof(buf)));
	if (argc == 4) {
		putchar(' ');
		show("remove", removexattr(argv[1], argv[2]));
	}
	putchar('\n');
	return 0;
}
