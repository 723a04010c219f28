// SPDX-License-Identifier: GPL-2.0
/*
 * dirlist: read a directory with getdents64 in small steps, for the VM
 * scenarios on listings across a failover and on memory per open
 * directory.
 *
 *   dirlist list DIR READY GO
 *	Read DIR with a 1 KiB buffer per getdents64 call.  After the first
 *	call, create READY and wait (up to 120 s) until GO exists, then
 *	read the rest.  Prints every name but "." and "..", one per line,
 *	in the order read.  A failed call ends the listing with its errno
 *	text on stderr and exit status 1.
 *
 *   dirlist hold DIR N READY
 *	Open DIR N times and read one 1 KiB getdents64 buffer from each
 *	open directory, create READY, then keep them open until killed.
 *	Exit status 1 when a call failed.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define STEP	1024

static int touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT, 0644);

	if (fd < 0) {
		fprintf(stderr, "create %s: %s\n", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

static void print_names(const char *buf, long n)
{
	long off = 0;

	while (off < n) {
		const struct dirent64 *de = (const void *)(buf + off);

		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			printf("%s\n", de->d_name);
		off += de->d_reclen;
	}
}

static int list(const char *dir, const char *ready, const char *go)
{
	char buf[STEP] __attribute__((aligned(8)));
	int fd, first = 1, i;
	long n;

	fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", dir, strerror(errno));
		return 1;
	}
	while ((n = getdents64(fd, buf, sizeof(buf))) > 0) {
		print_names(buf, n);
		if (!first)
			continue;
		first = 0;
		fflush(stdout);
		if (touch(ready))
			return 1;
		for (i = 0; i < 2400 && access(go, F_OK); i++)
			usleep(50000);
	}
	if (n < 0) {
		fprintf(stderr, "getdents64 %s: %s\n", dir, strerror(errno));
		return 1;
	}
	return 0;
}

static int hold(const char *dir, long count, const char *ready)
{
	char buf[STEP] __attribute__((aligned(8)));
	long i;
	int fd;

	for (i = 0; i < count; i++) {
		fd = open(dir, O_RDONLY | O_DIRECTORY);
		if (fd < 0 || getdents64(fd, buf, sizeof(buf)) <= 0) {
			fprintf(stderr, "open and read %s (%ld): %s\n", dir, i,
				strerror(errno));
			return 1;
		}
	}
	if (touch(ready))
		return 1;
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "list"))
		return list(argv[2], argv[3], argv[4]);
	if (argc == 5 && !strcmp(argv[1], "hold"))
		return hold(argv[2], atol(argv[3]), argv[4]);
	fprintf(stderr, "usage: dirlist list DIR READY GO | hold DIR N READY\n");
	return 2;
}
