// SPDX-License-Identifier: GPL-2.0
/*
 * rwverify: random 4 KiB overwrites with an fsync() every 64, then a read
 * of the whole file back checking that every block holds the last
 * version written to it.  The VM scenarios run it across a server
 * failover: a write lost or misplaced, or a stale block read back, shows
 * up as a block holding the wrong version.
 *
 *   rwverify FILE SIZE_MIB SECONDS STATE
 *	Make FILE SIZE_MIB MiB long (ftruncate) and fill every block with
 *	its version 0 in 1 MiB writes, fsync().  Then, until SECONDS have
 *	passed, write the next version of a block chosen at random
 *	(pwrite), with an fsync() after every 64 writes and at the end;
 *	"rwverify: filled" is printed when the random writes begin.
 *	Write the version table to STATE, drop FILE's cached pages
 *	(POSIX_FADV_DONTNEED) and read every block back.  The first failed
 *	pwrite() or fsync() is reported and ends the writing, but the
 *	check still runs: a block written since the last fsync() that
 *	returned may then hold any version from its last acknowledged one
 *	on.  The last line is
 *	  writes=N acked=N write_errors=N verify_errors=N max_stall_ms=N
 *	  max_stall_at_ms=N max_stall_call=CALL
 *	(one line) writes counts the random writes that returned, acked
 *	those an fsync() acknowledged, write_errors the failed ftruncate(),
 *	pwrite(), fsync() and close() calls (and STATE not written),
 *	verify_errors the blocks that are wrong (and failed reads);
 *	max_stall_ms is the longest single open(), ftruncate(), pwrite(),
 *	fsync(), pread() or close(), max_stall_at_ms when it began (since
 *	rwverify started), max_stall_call which one it was.  Exit
 *	status 1 on any error, 2 for bad usage.
 *	If the fill fails there is nothing to check: no STATE.
 *
 *   rwverify --check FILE STATE
 *	Check FILE (through any path to it, e.g. the server's own
 *	filesystem) against STATE; the last line is "verify_errors=N".
 *
 * A block starts with a header (magic, block number, version, run seed)
 * and the rest is xorshift64* output seeded from those, so that the check
 * recomputes it from the header alone: cheap enough for an emulated
 * guest.  The seed is new for every run, so a block left from an earlier
 * run is wrong too.  STATE is text: "rwverify 1 SEED BLOCKS", then per
 * block "LO HI", the versions it may hold.  All in host byte order: the
 * lab's guest and host are the same machine type.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BLOCK		4096
#define WORDS		(BLOCK / 8)
#define HDR_WORDS	4
#define MIB		(1024 * 1024)
#define SYNC_EVERY	64
#define BLK_MAGIC	0x314b4c4253464e52ULL	/* "RNFSBLK1" */
#define MAX_MESSAGES	20	/* error lines printed; every error is counted */
#define NS_PER_MS	1000000LL
#define NS_PER_SEC	1000000000LL

struct run {
	const char *path;
	int fd;
	uint64_t seed;
	size_t nblocks;
	uint32_t *lo, *hi;	/* versions each block may hold */
	size_t pending[SYNC_EVERY];	/* written since the last fsync() */
	unsigned int npending;
	uint64_t writes, acked;
	unsigned int write_errors, verify_errors;
};

static int64_t t_start, max_stall, max_stall_at;
static const char *max_stall_call = "none";
static unsigned int messages;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* Account for one call, to @call, that began at @t0. */
static void timed(int64_t t0, const char *call)
{
	int64_t d = now_ns() - t0;

	if (d > max_stall) {
		max_stall = d;
		max_stall_at = t0 - t_start;
		max_stall_call = call;
	}
}

static void report(const char *call, const char *path, long long off, int err)
{
	double t = (now_ns() - t_start) / (double)NS_PER_SEC;

	if (messages++ >= MAX_MESSAGES)
		return;
	if (off >= 0)
		printf("rwverify: %.3fs: %s %s at offset %lld: %s\n", t, call,
		       path, off, strerror(err));
	else
		printf("rwverify: %.3fs: %s %s: %s\n", t, call, path,
		       strerror(err));
	fflush(stdout);
}

static void __attribute__((format(printf, 3, 4)))
bad_block(struct run *run, size_t b, const char *fmt, ...)
{
	va_list ap;

	run->verify_errors++;
	if (messages++ >= MAX_MESSAGES)
		return;
	printf("rwverify: %s: block %zu (offset %llu): ", run->path, b,
	       (unsigned long long)b * BLOCK);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

static uint64_t xorshift64s(uint64_t *x)
{
	*x ^= *x >> 12;
	*x ^= *x << 25;
	*x ^= *x >> 27;
	return *x * 0x2545f4914f6cdd1dULL;
}

/* splitmix64's finalizer: a well-mixed, nonzero xorshift state */
static uint64_t mix(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}

static uint64_t block_state(uint64_t seed, uint64_t b, uint64_t gen)
{
	return mix(seed ^ mix(b * 0x9e3779b97f4a7c15ULL + gen));
}

static void make_block(uint64_t *w, uint64_t seed, uint64_t b, uint32_t gen)
{
	uint64_t x = block_state(seed, b, gen);
	size_t i;

	w[0] = BLK_MAGIC;
	w[1] = b;
	w[2] = gen;
	w[3] = seed;
	for (i = HDR_WORDS; i < WORDS; i++)
		w[i] = xorshift64s(&x);
}

/* Compare block @b, read into @w, with the versions it may hold. */
static void check_block(struct run *run, size_t b, const uint64_t *w)
{
	uint64_t x;
	size_t i;

	if (w[0] != BLK_MAGIC || w[1] != b || w[3] != run->seed) {
		for (i = 0; i < WORDS && !w[i]; i++)
			;
		if (i == WORDS)
			bad_block(run, b, "all zeroes");
		else if (w[0] == BLK_MAGIC && w[3] == run->seed)
			bad_block(run, b, "holds block %" PRIu64, w[1]);
		else
			bad_block(run, b, "bad header");
		return;
	}
	if (w[2] < run->lo[b] || w[2] > run->hi[b]) {
		bad_block(run, b, "version %" PRIu64 ", want %" PRIu32 "..%"
			  PRIu32, w[2], run->lo[b], run->hi[b]);
		return;
	}
	x = block_state(run->seed, b, w[2]);
	for (i = HDR_WORDS; i < WORDS; i++) {
		if (w[i] != xorshift64s(&x)) {
			bad_block(run, b, "version %" PRIu64
				  ", wrong data at byte %zu", w[2], i * 8);
			return;
		}
	}
}

/* pwrite() all of @len at @off, timing each call: 0, or -1 reported */
static int pwrite_full(struct run *run, const void *buf, size_t len,
		       off_t off)
{
	const char *p = buf;
	int64_t t0;
	ssize_t n;
	int err;

	while (len) {
		t0 = now_ns();
		n = pwrite(run->fd, p, len, off);
		err = errno;
		timed(t0, "pwrite");
		if (n < 0 && err == EINTR)
			continue;
		if (n < 0) {
			report("pwrite", run->path, off, err);
			run->write_errors++;
			return -1;
		}
		p += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* fsync(), then what was pending is acknowledged: 0, or -1 reported */
static int sync_run(struct run *run)
{
	unsigned int i;
	int64_t t0;
	int err;

	t0 = now_ns();
	err = fsync(run->fd) ? errno : 0;
	timed(t0, "fsync");
	if (err) {
		report("fsync", run->path, -1, err);
		run->write_errors++;
		return -1;
	}
	for (i = 0; i < run->npending; i++)
		run->lo[run->pending[i]] = run->hi[run->pending[i]];
	run->acked += run->npending;
	run->npending = 0;
	return 0;
}

/* ftruncate to size and write version 0 of every block: 0, or -1 */
static int fill(struct run *run, uint64_t *buf)
{
	size_t b, i, per = MIB / BLOCK;
	int64_t t0;
	int err;

	t0 = now_ns();
	err = ftruncate(run->fd, (off_t)run->nblocks * BLOCK) ? errno : 0;
	timed(t0, "ftruncate");
	if (err) {
		report("ftruncate", run->path, -1, err);
		run->write_errors++;
		return -1;
	}
	for (b = 0; b < run->nblocks; b += per) {
		for (i = 0; i < per; i++)
			make_block(buf + i * WORDS, run->seed, b + i, 0);
		if (pwrite_full(run, buf, MIB, (off_t)b * BLOCK))
			return -1;
	}
	return sync_run(run);
}

static void write_phase(struct run *run, uint64_t *buf, int64_t end)
{
	uint64_t rnd = mix(run->seed + 1);
	size_t b;

	while (now_ns() < end) {
		b = xorshift64s(&rnd) % run->nblocks;
		/* A failed write may still have landed: HI goes first. */
		make_block(buf, run->seed, b, ++run->hi[b]);
		if (pwrite_full(run, buf, BLOCK, (off_t)b * BLOCK))
			return;
		run->writes++;
		run->pending[run->npending++] = b;
		if (run->npending == SYNC_EVERY && sync_run(run))
			return;
	}
	sync_run(run);
}

/* Read every block back from the server and check it. */
static void verify(struct run *run, uint64_t *buf)
{
	size_t b = 0, i, len;
	int64_t t0;
	ssize_t n;
	int err;

	err = posix_fadvise(run->fd, 0, 0, POSIX_FADV_DONTNEED);
	if (err) {
		report("posix_fadvise", run->path, -1, err);
		run->verify_errors++;
	}
	while (b < run->nblocks) {
		len = run->nblocks - b < MIB / BLOCK ? run->nblocks - b
						     : MIB / BLOCK;
		t0 = now_ns();
		n = pread(run->fd, buf, len * BLOCK, (off_t)b * BLOCK);
		err = errno;
		timed(t0, "pread");
		if (n < 0 && err == EINTR)
			continue;
		if (n < 0) {
			report("pread", run->path, (long long)b * BLOCK, err);
			run->verify_errors++;
			return;
		}
		if (n < BLOCK) {
			bad_block(run, b, "end of file, %zu blocks missing",
				  run->nblocks - b);
			run->verify_errors += run->nblocks - b - 1;
			return;
		}
		for (i = 0; i < (size_t)n / BLOCK; i++)
			check_block(run, b + i, buf + i * WORDS);
		b += n / BLOCK;
	}
}

static int save_state(const struct run *run, const char *state)
{
	FILE *f = fopen(state, "w");
	size_t b;

	if (!f) {
		report("open", state, -1, errno);
		return -1;
	}
	fprintf(f, "rwverify 1 %016" PRIx64 " %zu\n", run->seed, run->nblocks);
	for (b = 0; b < run->nblocks; b++)
		fprintf(f, "%" PRIu32 " %" PRIu32 "\n", run->lo[b], run->hi[b]);
	if (fflush(f) || ferror(f) || fsync(fileno(f))) {
		report("write", state, -1, errno);
		fclose(f);
		return -1;
	}
	if (fclose(f)) {
		report("close", state, -1, errno);
		return -1;
	}
	return 0;
}

static int alloc_tables(struct run *run)
{
	run->lo = calloc(run->nblocks, sizeof(*run->lo));
	run->hi = calloc(run->nblocks, sizeof(*run->hi));
	if (!run->lo || !run->hi) {
		printf("rwverify: %zu blocks: %s\n", run->nblocks,
		       strerror(ENOMEM));
		return -1;
	}
	return 0;
}

static int load_state(struct run *run, const char *state)
{
	FILE *f = fopen(state, "r");
	size_t b;
	int ver;

	if (!f) {
		report("open", state, -1, errno);
		return -1;
	}
	if (fscanf(f, "rwverify %d %" SCNx64 " %zu", &ver, &run->seed,
		   &run->nblocks) != 3 || ver != 1 || !run->nblocks)
		goto bad;
	if (alloc_tables(run))
		goto err;
	for (b = 0; b < run->nblocks; b++)
		if (fscanf(f, "%" SCNu32 " %" SCNu32, &run->lo[b],
			   &run->hi[b]) != 2 || run->lo[b] > run->hi[b])
			goto bad;
	fclose(f);
	return 0;
bad:
	printf("rwverify: %s: not a rwverify state file\n", state);
err:
	fclose(f);
	return -1;
}

static int open_file(struct run *run, int flags)
{
	int64_t t0 = now_ns();

	run->fd = open(run->path, flags, 0644);
	timed(t0, "open");
	if (run->fd < 0) {
		report("open", run->path, -1, errno);
		return -1;
	}
	return 0;
}

static int close_file(struct run *run)
{
	int64_t t0 = now_ns();
	int err = close(run->fd) ? errno : 0;

	timed(t0, "close");
	if (err) {
		report("close", run->path, -1, err);
		return -1;
	}
	return 0;
}

static int check(struct run *run, const char *state, uint64_t *buf)
{
	if (load_state(run, state) || open_file(run, O_RDONLY))
		return 1;
	verify(run, buf);
	if (close_file(run))
		run->verify_errors++;
	printf("verify_errors=%u\n", run->verify_errors);
	return run->verify_errors ? 1 : 0;
}

static int rw(struct run *run, const char *state, double seconds,
	      uint64_t *buf)
{
	if (alloc_tables(run) || open_file(run, O_RDWR | O_CREAT))
		return 1;
	if (fill(run, buf))
		goto out;
	/* For a scenario to strike while the random writes run. */
	printf("rwverify: filled, writing at random for %gs\n", seconds);
	fflush(stdout);
	write_phase(run, buf, now_ns() + (int64_t)(seconds * NS_PER_SEC));
	if (save_state(run, state))
		run->write_errors++;
	verify(run, buf);
out:
	if (close_file(run))
		run->write_errors++;
	printf("writes=%" PRIu64 " acked=%" PRIu64 " write_errors=%u verify_errors=%u max_stall_ms=%lld max_stall_at_ms=%lld max_stall_call=%s\n",
	       run->writes, run->acked, run->write_errors, run->verify_errors,
	       (long long)(max_stall / NS_PER_MS),
	       (long long)(max_stall_at / NS_PER_MS), max_stall_call);
	return run->write_errors || run->verify_errors ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: rwverify FILE SIZE_MIB SECONDS STATE\n"
		"       rwverify --check FILE STATE\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct run run = { 0 };
	uint64_t *buf;
	double seconds;
	long mib;
	char *e;

	t_start = now_ns();
	if (argc == 4 && !strcmp(argv[1], "--check")) {
		run.path = argv[2];
		buf = aligned_alloc(BLOCK, MIB);
		if (!buf) {
			perror("rwverify");
			return 1;
		}
		return check(&run, argv[3], buf);
	}
	if (argc != 5 || argv[1][0] == '-')
		return usage();
	mib = strtol(argv[2], &e, 10);
	if (*e || mib <= 0)
		return usage();
	seconds = strtod(argv[3], &e);
	if (*e || !(seconds >= 0))
		return usage();
	run.path = argv[1];
	run.nblocks = (size_t)mib * (MIB / BLOCK);
	/* A new seed every run, so a block left from an earlier one is wrong. */
	run.seed = mix(now_ns() ^ ((uint64_t)getpid() << 32));
	buf = aligned_alloc(BLOCK, MIB);
	if (!buf) {
		perror("rwverify");
		return 1;
	}
	return rw(&run, argv[4], seconds, buf);
}
