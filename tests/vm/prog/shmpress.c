// SPDX-License-Identifier: GPL-2.0
/*
 * shmpress MIB EXTRA DIR: shared memory (a memfd, as /dev/shm and MPI
 * segments are) under memory pressure.  Fills MIB MiB of it with a
 * pattern of each page's index and says "filled"; once DIR/press exists,
 * touches EXTRA MiB of anonymous memory, once each page and at most 8
 * MiB/s, which pushes the shared pages out to swap for a few seconds, and
 * says "pressed max_stall_ms=M"; once DIR/verify exists, lets that memory
 * go, reads every shared page back and checks it.  Nothing is read back
 * from swap before that.  Run in a memory cgroup smaller than MIB +
 * EXTRA.  Its last line:
 *
 *   shmpress: pages=P bad=B max_stall_ms=M
 *
 * where M is the longest time one page of the check took to be touched.
 * Exits 0 if every page was as written.  Each wait for a file gives up
 * after 10 minutes.
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096
#define WORDS (PAGE / sizeof(uint64_t))

static uint64_t ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t seed_of(size_t i)
{
	uint64_t x = i * 0x9e3779b97f4a7c15ull;

	return x ^ (x >> 29);
}

/* Until DIR/NAME exists: 0, or -1 after 10 minutes. */
static int wait_file(const char *dir, const char *name)
{
	char path[4096];
	struct stat st;
	int waited;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (waited = 0; stat(path, &st); waited++) {
		if (waited == 6000) {
			fprintf(stderr, "shmpress: no %s after 600s\n", path);
			return -1;
		}
		usleep(100000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long bad = 0, max_stall = 0;
	size_t pages, extra, i, w;
	volatile uint64_t *shm;
	char *anon;
	uint64_t t0, t;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: shmpress MIB EXTRA DIR\n");
		return 2;
	}
	pages = strtoul(argv[1], NULL, 0) * (1024 * 1024 / PAGE);
	extra = strtoul(argv[2], NULL, 0) * 1024 * 1024;
	setvbuf(stdout, NULL, _IOLBF, 0);
	fd = memfd_create("shmpress", 0);
	if (fd < 0 || ftruncate(fd, pages * PAGE)) {
		perror("memfd");
		return 2;
	}
	shm = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   fd, 0);
	if (shm == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	for (i = 0; i < pages; i++)
		for (w = 0; w < WORDS; w++)
			shm[i * WORDS + w] = seed_of(i) + w;
	printf("filled\n");

	if (wait_file(argv[3], "press"))
		return 2;
	anon = mmap(NULL, extra, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (anon == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	for (i = 0; i < extra; i += PAGE) {
		t0 = ms_now();
		anon[i] = 1;
		t = ms_now() - t0;
		if (t > max_stall)
			max_stall = t;
		if (i % (16 * PAGE) == 0)
			usleep(8000);
	}
	printf("pressed max_stall_ms=%lu\n", max_stall);

	if (wait_file(argv[3], "verify"))
		return 2;
	munmap(anon, extra);
	max_stall = 0;
	for (i = 0; i < pages; i++) {
		volatile uint64_t *p = shm + i * WORDS;
		uint64_t first;

		t0 = ms_now();
		first = p[0];
		t = ms_now() - t0;
		if (t > max_stall)
			max_stall = t;
		for (w = 0; w < WORDS; w++) {
			uint64_t v = w ? p[w] : first;

			if (v != seed_of(i) + w) {
				if (bad++ < 10)
					fprintf(stderr,
						"shmpress: page %zu word %zu: %#llx, want %#llx\n",
						i, w, (unsigned long long)v,
						(unsigned long long)(seed_of(i) + w));
				break;
			}
		}
	}
	printf("shmpress: pages=%zu bad=%lu max_stall_ms=%lu\n", pages, bad,
	       max_stall);
	return bad ? 1 : 0;
}
