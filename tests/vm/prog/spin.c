// SPDX-License-Identifier: GPL-2.0
/*
 * spin FILE: a long-running program whose text keeps being read from the
 * filesystem it was started from.  Every second it calls 64 functions,
 * each on a page of its own, checks their results, and writes the number
 * of rounds done so far to FILE (replaced atomically through FILE.tmp).
 * Before sleeping it unmaps those pages (MADV_DONTNEED): they stay in the
 * page cache, but unmapped, so that a drop_caches meanwhile evicts them
 * and the next round faults the text in again from the filesystem.  A
 * page that cannot be read kills it with SIGBUS; a wrong result makes it
 * exit with status 1.
 */
#define _DEFAULT_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE_ALIGNED	__attribute__((noinline, aligned(4096)))

/* f00 ... f77: different code (no folding), one page each */
#define FN(n)	\
	static PAGE_ALIGNED unsigned long f##n(unsigned long x) \
	{ return x * (2 * (n) + 1) + (n); }
#define FN8(a)	FN(a##0) FN(a##1) FN(a##2) FN(a##3) \
		FN(a##4) FN(a##5) FN(a##6) FN(a##7)
#define REF8(a)	f##a##0, f##a##1, f##a##2, f##a##3, \
		f##a##4, f##a##5, f##a##6, f##a##7

FN8(0) FN8(1) FN8(2) FN8(3) FN8(4) FN8(5) FN8(6) FN8(7)

static unsigned long (*const fns[])(unsigned long) = {
	REF8(0), REF8(1), REF8(2), REF8(3), REF8(4), REF8(5), REF8(6), REF8(7),
};

#define NR_FNS	(sizeof(fns) / sizeof(fns[0]))

static unsigned long round_sum(void)
{
	unsigned long sum = 0;
	size_t i;

	for (i = 0; i < NR_FNS; i++)
		sum = sum * 31 + fns[i](i + 12345);
	return sum;
}

static int write_count(const char *path, const char *tmp, unsigned long n)
{
	FILE *f = fopen(tmp, "w");

	if (!f)
		return -1;
	fprintf(f, "%lu\n", n);
	if (fclose(f))
		return -1;
	return rename(tmp, path);
}

int main(int argc, char **argv)
{
	const struct timespec second = { 1, 0 };
	uintptr_t lo = UINTPTR_MAX, hi = 0, a;
	unsigned long first, rounds;
	long page = sysconf(_SC_PAGESIZE);
	char *tmp;
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: spin FILE\n");
		return 2;
	}
	tmp = malloc(strlen(argv[1]) + 5);
	if (!tmp)
		return 1;
	sprintf(tmp, "%s.tmp", argv[1]);
	for (i = 0; i < NR_FNS; i++) {
		a = (uintptr_t)fns[i];
		if (a < lo)
			lo = a;
		if (a > hi)
			hi = a;
	}
	lo &= ~(uintptr_t)(page - 1);
	hi = (hi | (page - 1)) + 1;

	first = round_sum();
	for (rounds = 1;; rounds++) {
		if (rounds > 1 && round_sum() != first) {
			fprintf(stderr, "spin: round %lu computed a wrong result\n",
				rounds);
			return 1;
		}
		if (write_count(argv[1], tmp, rounds)) {
			perror(argv[1]);
			return 1;
		}
		if (madvise((void *)lo, hi - lo, MADV_DONTNEED)) {
			perror("spin: madvise");
			return 1;
		}
		nanosleep(&second, NULL);
	}
}
