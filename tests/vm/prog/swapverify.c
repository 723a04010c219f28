// SPDX-License-Identifier: GPL-2.0
/*
 * swapverify MIB PASSES DIR: map MIB MiB of anonymous memory and make
 * PASSES passes over it: each checks that every page still holds what the
 * last pass wrote there, then writes the page anew (a pattern of the
 * page's index and the pass).  Run in a memory cgroup smaller than MIB,
 * it pages through swap all the time.  It says "pass N" after each pass,
 * then creates DIR/passed and waits (up to 10 minutes) for DIR/verify to
 * exist, checks every page once more and exits: 0 if every page was
 * always as written.  Its last line:
 *
 *   swapverify: passes=N pages=P bad=B max_stall_ms=M
 *
 * where M is the longest time one page took to be touched (a page fault,
 * a swap-in when the page was out): the stall a program saw.
 */
#define _DEFAULT_SOURCE

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

/* The first word of page @i after pass @pass; the others follow from it. */
static uint64_t seed_of(size_t i, unsigned int pass)
{
	uint64_t x = ((uint64_t)pass << 40) ^ (i * 0x9e3779b97f4a7c15ull);

	return x ^ (x >> 29);
}

static unsigned long bad, max_stall;

/* Check page @i holds pass @pass's pattern; timed from its first touch. */
static void check_page(volatile uint64_t *p, size_t i, unsigned int pass)
{
	uint64_t t0 = ms_now(), first = p[0], want = seed_of(i, pass), t;
	size_t w;

	t = ms_now() - t0;
	if (t > max_stall)
		max_stall = t;
	for (w = 0; w < WORDS; w++) {
		if ((w ? p[w] : first) != want + w) {
			if (bad++ < 10)
				fprintf(stderr,
					"swapverify: page %zu word %zu after pass %u: %#llx, want %#llx\n",
					i, w, pass,
					(unsigned long long)(w ? p[w] : first),
					(unsigned long long)(want + w));
			return;
		}
	}
}

static void fill_page(volatile uint64_t *p, size_t i, unsigned int pass)
{
	uint64_t t0 = ms_now(), want = seed_of(i, pass), t;
	size_t w;

	p[0] = want;
	t = ms_now() - t0;
	if (t > max_stall)
		max_stall = t;
	for (w = 1; w < WORDS; w++)
		p[w] = want + w;
}

int main(int argc, char **argv)
{
	unsigned int passes, pass;
	size_t pages, i;
	char passed[4096], verify[4096];
	uint64_t *mem;
	struct stat st;
	FILE *f;
	int waited;

	if (argc != 4) {
		fprintf(stderr, "usage: swapverify MIB PASSES DIR\n");
		return 2;
	}
	pages = strtoul(argv[1], NULL, 0) * (1024 * 1024 / PAGE);
	passes = strtoul(argv[2], NULL, 0);
	snprintf(passed, sizeof(passed), "%s/passed", argv[3]);
	snprintf(verify, sizeof(verify), "%s/verify", argv[3]);
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	for (pass = 1; pass <= passes; pass++) {
		for (i = 0; i < pages; i++) {
			volatile uint64_t *p = mem + i * WORDS;

			if (pass > 1)
				check_page(p, i, pass - 1);
			fill_page(p, i, pass);
		}
		printf("pass %u bad=%lu max_stall_ms=%lu\n", pass, bad,
		       max_stall);
	}

	f = fopen(passed, "w");
	if (!f) {
		perror(passed);
		return 2;
	}
	fclose(f);
	for (waited = 0; stat(verify, &st); waited++) {
		if (waited == 6000) {
			fprintf(stderr, "swapverify: no %s after 600s\n",
				verify);
			return 2;
		}
		usleep(100000);
	}
	for (i = 0; i < pages; i++)
		check_page(mem + i * WORDS, i, passes);
	printf("swapverify: passes=%u pages=%zu bad=%lu max_stall_ms=%lu\n",
	       passes, pages, bad, max_stall);
	return bad ? 1 : 0;
}
