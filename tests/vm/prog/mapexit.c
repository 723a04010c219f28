// SPDX-License-Identifier: GPL-2.0
/*
 * mapexit FILE KIB SEED: create FILE of KIB KiB, write it only through a
 * MAP_SHARED mapping (a pattern made from SEED), close the descriptor
 * and exit with the mapping still in place: the kernel's last reference
 * to the file is the unmapping at exit, and the data must get to the
 * server all the same.
 * mapexit --check FILE KIB SEED: exit 0 if FILE holds that pattern.
 */
#define _DEFAULT_SOURCE

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The pattern's byte at @off: a cheap hash of (seed, offset). */
static unsigned char pattern(uint32_t seed, size_t off)
{
	uint32_t x = seed * 2654435761u ^ (uint32_t)(off / 4) * 40503u;

	x ^= x >> 13;
	return (unsigned char)(x >> (8 * (off % 4)));
}

static int write_mapped(const char *path, size_t len, uint32_t seed)
{
	unsigned char *p;
	size_t i;
	int fd;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || ftruncate(fd, len)) {
		perror(path);
		return 1;
	}
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	if (close(fd)) {
		perror("close");
		return 1;
	}
	for (i = 0; i < len; i++)
		p[i] = pattern(seed, i);
	return 0;		/* exit unmaps */
}

static int check(const char *path, size_t len, uint32_t seed)
{
	unsigned char buf[4096];
	size_t off = 0, i;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < (size_t)n; i++) {
			if (buf[i] != pattern(seed, off + i)) {
				fprintf(stderr, "%s: wrong byte at %zu\n", path,
					off + i);
				return 1;
			}
		}
		off += n;
	}
	if (n < 0 || off != len) {
		fprintf(stderr, "%s: %zu bytes, want %zu\n", path, off, len);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int checking = argc == 5 && !strcmp(argv[1], "--check");
	char **a = argv + checking;

	if (argc != 4 + checking) {
		fprintf(stderr, "usage: mapexit [--check] FILE KIB SEED\n");
		return 2;
	}
	if (checking)
		return check(a[1], strtoul(a[2], NULL, 10) * 1024,
			     strtoul(a[3], NULL, 10));
	return write_mapped(a[1], strtoul(a[2], NULL, 10) * 1024,
			    strtoul(a[3], NULL, 10));
}
