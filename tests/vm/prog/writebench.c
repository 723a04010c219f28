// SPDX-License-Identifier: GPL-2.0
/*
 * writebench: write and namespace speed, for the benchmark (runs in the
 * lab guest).  Each prints one line of key=value pairs and exits 1 if any
 * call failed.
 *
 *   writebench seq FILE MIB
 *	writes MIB MiB in 1 MiB writes, then fsync:
 *	mb_per_sec=N (fsync included)
 *   writebench rand FILE MIB SECONDS
 *	FILE, MIB MiB long, gets 4 KiB writes at random 4 KiB offsets for
 *	SECONDS, then fsync: iops=N (fsync included)
 *   writebench files DIR N
 *	creates N empty files in DIR (open O_CREAT|O_EXCL, close), then
 *	removes them: creates_per_sec=N unlinks_per_sec=N
 *   writebench mapclose FILE
 *	not a measurement: maps 64 KiB of FILE shared, closes the file,
 *	then stores a pattern and unmaps without msync, the last reference
 *	to the file going with the mapping: prints nothing
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <unistd.h>

#define NS_PER_SEC	1000000000LL
#define MIB		(1024 * 1024)
#define BLOCK		4096

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static int failed(const char *what, const char *path)
{
	fprintf(stderr, "writebench: %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

static double per_sec(long n, int64_t ns)
{
	return ns > 0 ? (double)n * NS_PER_SEC / ns : 0;
}

static int seq(const char *path, long mib)
{
	static char buf[MIB];
	int64_t t0;
	long i;
	int fd;

	memset(buf, 'w', sizeof(buf));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return failed("open", path);
	t0 = now_ns();
	for (i = 0; i < mib; i++)
		if (write(fd, buf, sizeof(buf)) != (ssize_t)sizeof(buf))
			return failed("write", path);
	if (fsync(fd))
		return failed("fsync", path);
	printf("mb_per_sec=%.1f\n", per_sec(mib * MIB, now_ns() - t0) / 1e6);
	return close(fd) ? failed("close", path) : 0;
}

static int rand_writes(const char *path, long mib, long seconds)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL, blocks = mib * (MIB / BLOCK);
	int64_t t0, end;
	char buf[BLOCK];
	long n = 0;
	int fd;

	memset(buf, 'r', sizeof(buf));
	fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0)
		return failed("open", path);
	if (ftruncate(fd, mib * MIB) || fsync(fd))
		return failed("ftruncate", path);
	t0 = now_ns();
	end = t0 + seconds * NS_PER_SEC;
	while (now_ns() < end) {
		x ^= x >> 12;
		x ^= x << 25;
		x ^= x >> 27;
		if (pwrite(fd, buf, BLOCK, (x % blocks) * BLOCK) != BLOCK)
			return failed("pwrite", path);
		n++;
	}
	if (fsync(fd))
		return failed("fsync", path);
	printf("iops=%.0f writes=%ld\n", per_sec(n, now_ns() - t0), n);
	return close(fd) ? failed("close", path) : 0;
}

static int files(const char *dir, long n)
{
	char path[4096];
	int64_t t0, t1;
	long i;
	int fd;

	t0 = now_ns();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%06ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			return failed("create", path);
		if (close(fd))
			return failed("close", path);
	}
	t1 = now_ns();
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/f%06ld", dir, i);
		if (unlink(path))
			return failed("unlink", path);
	}
	printf("creates_per_sec=%.0f unlinks_per_sec=%.0f\n",
	       per_sec(n, t1 - t0), per_sec(n, now_ns() - t1));
	return 0;
}

static int mapclose(const char *path)
{
	const size_t len = 64 * 1024;
	unsigned char *p;
	size_t i;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return failed("open", path);
	if (ftruncate(fd, len))
		return failed("ftruncate", path);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return failed("mmap", path);
	if (close(fd))
		return failed("close", path);
	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7 + 3);
	return munmap(p, len) ? failed("munmap", path) : 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "mapclose"))
		return mapclose(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "seq"))
		return seq(argv[2], atol(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "rand"))
		return rand_writes(argv[2], atol(argv[3]), atol(argv[4]));
	if (argc == 4 && !strcmp(argv[1], "files"))
		return files(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: writebench seq FILE MIB | rand FILE MIB SECONDS | files DIR N | mapclose FILE\n");
	return 2;
}
