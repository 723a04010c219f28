// SPDX-License-Identifier: GPL-2.0
/*
 * sysswapon FILE: swapon(2) on FILE, with none of swapon(8)'s own checks
 * (util-linux and busybox both refuse a file with holes before the
 * kernel sees it).  Exit 0 on success, else 1 with the error on stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/swap.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: sysswapon FILE\n");
		return 2;
	}
	if (swapon(argv[1], 0)) {
		fprintf(stderr, "swapon(2) %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
