// SPDX-License-Identifier: GPL-2.0
/*
 * readloop: read a file over and over, check every pass and time every
 * call; the VM scenarios and the benchmark run it in the lab guest.
 *
 *   readloop [-v] [-k] FILE SECONDS [EXPECTED|-]
 *	Read FILE from start to end in 256 KiB read() calls, pass after
 *	pass, opening it again for each pass, until SECONDS have passed (the
 *	pass under way is finished).  Every pass is hashed and compared with
 *	EXPECTED (printed by --hash) or, without it or with "-", with the
 *	first pass.  Each pass first drops the file's cached pages
 *	(POSIX_FADV_DONTNEED) so that it reads from the server; -k keeps
 *	them.  -v prints a line per pass.  A failed call is reported with
 *	its errno text, counted, and ends the pass; the loop goes on.
 *	The last line is
 *	  passes=N errors=N bad_checksums=N max_stall_ms=N max_stall_at_ms=N
 *	passes counts the passes read to the end, max_stall_ms is the
 *	longest single open(), read() or close(), max_stall_at_ms when it
 *	began (since readloop started).  Exit status 1 when a call failed
 *	or a pass had the wrong hash, 2 for bad usage.
 *
 *   readloop --hash FILE
 *	Print the hash of FILE's content (16 hex digits).
 *
 *   readloop --fill FILE MIB [SEED]
 *	Write MIB MiB of pseudo-random data to FILE: different for every
 *	SEED (default 1) and at every offset, so that a misplaced block
 *	changes the hash.
 *
 * The hash is FNV-1a over 64-bit words (host byte order), fed in 256 KiB
 * chunks whatever read() returns, then over the length: cheap enough to
 * keep up with reads in an emulated guest, and a change in any one word
 * always changes it.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CHUNK		(256 * 1024)
#define MIB		(1024 * 1024)
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL
#define MAX_MESSAGES	20	/* error lines printed; every error is counted */
#define NS_PER_MS	1000000LL
#define NS_PER_SEC	1000000000LL

static int64_t t_start, max_stall, max_stall_at;
static unsigned int messages;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Account for one call that began at @t0. */
static void timed(int64_t t0)
{
	int64_t d = now_ns() - t0;

	if (d > max_stall) {
		max_stall = d;
		max_stall_at = t0 - t_start;
	}
}

static void report(const char *call, const char *path, long long off, int err)
{
	double t = (now_ns() - t_start) / (double)NS_PER_SEC;

	if (messages++ >= MAX_MESSAGES)
		return;
	if (off >= 0)
		printf("readloop: %.3fs: %s %s at offset %lld: %s\n", t, call,
		       path, off, strerror(err));
	else
		printf("readloop: %.3fs: %s %s: %s\n", t, call, path,
		       strerror(err));
	fflush(stdout);
}

struct hash {
	uint64_t h;
	uint64_t len;
};

static void hash_chunk(struct hash *hs, const unsigned char *p, size_t len)
{
	uint64_t h = hs->h, w;
	size_t i;

	for (i = 0; i + sizeof(w) <= len; i += sizeof(w)) {
		memcpy(&w, p + i, sizeof(w));
		h = (h ^ w) * FNV_PRIME;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	hs->h = h;
	hs->len += len;
}

/*
 * One pass over @path into @buf (CHUNK bytes): 0 with the hash in @sum,
 * or -1 after reporting the call that failed.
 */
static int read_pass(const char *path, unsigned char *buf, int drop,
		     uint64_t *sum)
{
	struct hash hs = { FNV_OFFSET, 0 };
	long long off = 0;
	size_t fill = 0;
	int64_t t0;
	ssize_t n;
	int fd, err, ret = 0;

	t0 = now_ns();
	fd = open(path, O_RDONLY);
	err = errno;
	timed(t0);
	if (fd < 0) {
		report("open", path, -1, err);
		return -1;
	}
	if (drop) {
		err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		if (err) {
			report("posix_fadvise", path, -1, err);
			ret = -1;
		}
	}
	while (ret == 0) {
		t0 = now_ns();
		n = read(fd, buf + fill, CHUNK - fill);
		err = errno;
		timed(t0);
		if (n < 0 && err == EINTR)
			continue;
		if (n < 0) {
			report("read", path, off, err);
			ret = -1;
			break;
		}
		if (n == 0)
			break;
		fill += n;
		off += n;
		if (fill == CHUNK) {
			hash_chunk(&hs, buf, fill);
			fill = 0;
		}
	}
	hash_chunk(&hs, buf, fill);
	t0 = now_ns();
	if (close(fd) && ret == 0) {
		err = errno;
		report("close", path, -1, err);
		ret = -1;
	}
	timed(t0);
	*sum = (hs.h ^ hs.len) * FNV_PRIME;
	return ret;
}

static int fill_file(const char *path, long mib, uint64_t seed)
{
	uint64_t *buf, z, state = seed;
	size_t i, words = MIB / sizeof(*buf);
	ssize_t n;
	long m;
	int fd;

	buf = malloc(MIB);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!buf || fd < 0) {
		perror(path);
		return 1;
	}
	for (m = 0; m < mib; m++) {
		/* splitmix64 */
		for (i = 0; i < words; i++) {
			state += 0x9e3779b97f4a7c15ULL;
			z = state;
			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
			buf[i] = z ^ (z >> 31);
		}
		for (i = 0; i < MIB; i += n) {
			n = write(fd, (char *)buf + i, MIB - i);
			if (n < 0) {
				perror(path);
				return 1;
			}
		}
	}
	if (close(fd)) {
		perror(path);
		return 1;
	}
	free(buf);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: readloop [-v] [-k] FILE SECONDS [EXPECTED|-]\n"
		"       readloop --hash FILE\n"
		"       readloop --fill FILE MIB [SEED]\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int passes = 0, errors = 0, bad = 0;
	int verbose = 0, drop = 1, have_want = 0;
	uint64_t sum, want = 0;
	int64_t end, t0;
	unsigned char *buf;
	double seconds;
	char *e;

	buf = aligned_alloc(4096, CHUNK);
	if (!buf) {
		perror("readloop");
		return 1;
	}
	t_start = now_ns();
	if (argc == 3 && !strcmp(argv[1], "--hash")) {
		if (read_pass(argv[2], buf, 0, &sum))
			return 1;
		printf("%016" PRIx64 "\n", sum);
		return 0;
	}
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "--fill")) {
		long mib = strtol(argv[3], &e, 10);

		if (*e || mib <= 0)
			return usage();
		sum = 1;
		if (argc == 5) {
			sum = strtoull(argv[4], &e, 0);
			if (*e)
				return usage();
		}
		return fill_file(argv[2], mib, sum);
	}
	for (; argc > 1 && argv[1][0] == '-' && argv[1][1]; argc--, argv++) {
		if (!strcmp(argv[1], "-v"))
			verbose = 1;
		else if (!strcmp(argv[1], "-k"))
			drop = 0;
		else
			return usage();
	}
	if (argc != 3 && argc != 4)
		return usage();
	seconds = strtod(argv[2], &e);
	if (*e || !(seconds > 0))
		return usage();
	if (argc == 4 && strcmp(argv[3], "-")) {
		want = strtoull(argv[3], &e, 16);
		if (*e || strlen(argv[3]) != 16)
			return usage();
		have_want = 1;
	}

	end = t_start + (int64_t)(seconds * NS_PER_SEC);
	do {
		t0 = now_ns();
		if (read_pass(argv[1], buf, drop, &sum)) {
			errors++;
			/* Do not spin when every open fails at once. */
			nanosleep(&(struct timespec){ 0, 100 * NS_PER_MS },
				  NULL);
			continue;
		}
		passes++;
		if (!have_want) {
			want = sum;
			have_want = 1;
		} else if (sum != want && bad++ < MAX_MESSAGES) {
			printf("readloop: pass %u: hash %016" PRIx64
			       ", want %016" PRIx64 "\n", passes, sum, want);
		}
		if (verbose)
			printf("pass %u: %.3fs-%.3fs %016" PRIx64 "\n", passes,
			       (t0 - t_start) / (double)NS_PER_SEC,
			       (now_ns() - t_start) / (double)NS_PER_SEC, sum);
		fflush(stdout);
	} while (now_ns() < end);

	printf("passes=%u errors=%u bad_checksums=%u max_stall_ms=%lld max_stall_at_ms=%lld\n",
	       passes, errors, bad, (long long)(max_stall / NS_PER_MS),
	       (long long)(max_stall_at / NS_PER_MS));
	free(buf);
	return errors || bad ? 1 : 0;
}
