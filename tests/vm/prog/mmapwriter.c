// SPDX-License-Identifier: GPL-2.0
/*
 * mmapwriter: write a file through a shared mapping, msync() after every
 * round, then read the file back checking that every page holds the last
 * round written to it.  The VM scenarios run it across a server
 * failover: the page cache of a mapping must reach the new server, and a
 * page that cannot be faulted in is a SIGBUS, caught and reported here.
 *
 *   mmapwriter FILE SIZE_MIB SECONDS STATE
 *	Create FILE SIZE_MIB MiB long (truncate, then ftruncate: all
 *	zeroes) and map it MAP_SHARED.  Then, round after round until
 *	SECONDS have passed, write the round's pattern into 16 pages chosen
 *	at random, through the mapping, and msync(MS_SYNC) the whole
 *	mapping.  Unmap, write the table of rounds to STATE, open FILE
 *	again, drop its cached pages (POSIX_FADV_DONTNEED) and read every
 *	page back with pread().  The first failed msync() or SIGBUS is
 *	reported and ends the rounds, but the check still runs: a page
 *	written since the last msync() that returned may then hold any
 *	round from its last acknowledged one on.  The last line is
 *	  rounds=N msync_errors=N sigbus=N verify_errors=N max_stall_ms=N
 *	  max_stall_at_ms=N
 *	(one line) rounds counts the rounds an msync() acknowledged,
 *	msync_errors the failed msync(), and any other failed call but
 *	pread(), sigbus the SIGBUS caught, verify_errors the pages that are
 *	wrong (and failed reads); max_stall_ms is the longest single
 *	msync(), munmap(), open(), ftruncate(), pread() or close(),
 *	max_stall_at_ms when it began (since mmapwriter started).  Exit
 *	status 1 on any error, 2 for bad usage.
 *
 *   mmapwriter --check FILE STATE
 *	Check FILE (through any path to it, e.g. the server's own
 *	filesystem) against STATE; the last line is "verify_errors=N".
 *
 * A page starts with a header (magic, page number, round, run seed) and
 * the rest is xorshift64* output seeded from those; a page never written
 * (round 0) is all zeroes.  The seed is new for every run.  STATE is
 * text: "mmapwriter 1 SEED PAGES PAGE_SIZE", then per page "LO HI", the
 * rounds it may hold.  All in host byte order: the lab's guest and host
 * are the same machine type.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGES_PER_ROUND	16
#define HDR_WORDS	4
#define PAGE_MAGIC	0x3147415053464e52ULL	/* "RNFSPAG1" */
#define MIB		(1024 * 1024)
#define MAX_MESSAGES	20	/* error lines printed; every error is counted */
#define NS_PER_MS	1000000LL
#define NS_PER_SEC	1000000000LL

struct run {
	const char *path;
	int fd;
	unsigned char *map;
	size_t psize, npages;
	uint64_t seed;
	uint32_t *lo, *hi;	/* rounds each page may hold */
	uint64_t rounds;
	unsigned int msync_errors, sigbus, verify_errors;
};

static int64_t t_start, max_stall, max_stall_at;
static unsigned int messages;

static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed;
static void *volatile bus_addr;

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
		printf("mmapwriter: %.3fs: %s %s at offset %lld: %s\n", t, call,
		       path, off, strerror(err));
	else
		printf("mmapwriter: %.3fs: %s %s: %s\n", t, call, path,
		       strerror(err));
	fflush(stdout);
}

static void __attribute__((format(printf, 3, 4)))
bad_page(struct run *run, size_t pg, const char *fmt, ...)
{
	va_list ap;

	run->verify_errors++;
	if (messages++ >= MAX_MESSAGES)
		return;
	printf("mmapwriter: %s: page %zu (offset %llu): ", run->path, pg,
	       (unsigned long long)pg * run->psize);
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

static uint64_t page_state(uint64_t seed, uint64_t pg, uint64_t round)
{
	return mix(seed ^ mix(pg * 0x9e3779b97f4a7c15ULL + round));
}

static void make_page(const struct run *run, uint64_t *w, size_t pg,
		      uint32_t round)
{
	uint64_t x = page_state(run->seed, pg, round);
	size_t i;

	w[0] = PAGE_MAGIC;
	w[1] = pg;
	w[2] = round;
	w[3] = run->seed;
	for (i = HDR_WORDS; i < run->psize / 8; i++)
		w[i] = xorshift64s(&x);
}

/* Compare page @pg, read into @w, with the rounds it may hold. */
static void check_page(struct run *run, size_t pg, const uint64_t *w)
{
	size_t i, words = run->psize / 8;
	uint64_t x;

	for (i = 0; i < words && !w[i]; i++)
		;
	if (i == words) {
		if (run->lo[pg])
			bad_page(run, pg, "all zeroes, want round %" PRIu32
				 "..%" PRIu32, run->lo[pg], run->hi[pg]);
		return;
	}
	if (w[0] != PAGE_MAGIC || w[1] != pg || w[3] != run->seed) {
		if (w[0] == PAGE_MAGIC && w[3] == run->seed)
			bad_page(run, pg, "holds page %" PRIu64, w[1]);
		else
			bad_page(run, pg, "bad header");
		return;
	}
	if (w[2] < run->lo[pg] || w[2] > run->hi[pg]) {
		bad_page(run, pg, "round %" PRIu64 ", want %" PRIu32 "..%"
			 PRIu32, w[2], run->lo[pg], run->hi[pg]);
		return;
	}
	x = page_state(run->seed, pg, w[2]);
	for (i = HDR_WORDS; i < words; i++) {
		if (w[i] != xorshift64s(&x)) {
			bad_page(run, pg, "round %" PRIu64
				 ", wrong data at byte %zu", w[2], i * 8);
			return;
		}
	}
}

/* A SIGBUS outside copy_to_map() is a bug here: die of it as usual. */
static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	if (!bus_armed) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	bus_armed = 0;
	bus_addr = si->si_addr;
	siglongjmp(bus_jmp, 1);
}

/*
 * Copy @src into the mapping at page @pg: 0, or -1 when the page could
 * not be faulted in (SIGBUS).  Nothing here may be live across the
 * siglongjmp() but the arguments.
 */
static int copy_to_map(struct run *run, size_t pg, const void *src)
{
	if (sigsetjmp(bus_jmp, 1)) {
		run->sigbus++;
		printf("mmapwriter: %s: SIGBUS writing page %zu (offset %llu, address %p) through the mapping\n",
		       run->path, pg, (unsigned long long)pg * run->psize,
		       bus_addr);
		fflush(stdout);
		return -1;
	}
	bus_armed = 1;
	memcpy(run->map + pg * run->psize, src, run->psize);
	bus_armed = 0;
	return 0;
}

/* One round: 0 once msync() acknowledged it, -1 after reporting why not */
static int round_once(struct run *run, uint64_t *rnd, uint64_t *buf)
{
	uint32_t round = run->rounds + 1;
	size_t pgs[PAGES_PER_ROUND];
	int64_t t0;
	int i, err;

	for (i = 0; i < PAGES_PER_ROUND; i++) {
		pgs[i] = xorshift64s(rnd) % run->npages;
		/* A page touched may reach the file: HI goes first. */
		run->hi[pgs[i]] = round;
		make_page(run, buf, pgs[i], round);
		if (copy_to_map(run, pgs[i], buf))
			return -1;
	}
	t0 = now_ns();
	err = msync(run->map, run->npages * run->psize, MS_SYNC) ? errno : 0;
	timed(t0);
	if (err) {
		report("msync", run->path, -1, err);
		run->msync_errors++;
		return -1;
	}
	for (i = 0; i < PAGES_PER_ROUND; i++)
		run->lo[pgs[i]] = round;
	run->rounds++;
	return 0;
}

static int map_file(struct run *run)
{
	size_t len = run->npages * run->psize;
	int64_t t0;
	int err;

	t0 = now_ns();
	run->fd = open(run->path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	err = errno;
	timed(t0);
	if (run->fd < 0) {
		report("open", run->path, -1, err);
		return -1;
	}
	t0 = now_ns();
	err = ftruncate(run->fd, len) ? errno : 0;
	timed(t0);
	if (err) {
		report("ftruncate", run->path, -1, err);
		return -1;
	}
	run->map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED,
			run->fd, 0);
	if (run->map == MAP_FAILED) {
		report("mmap", run->path, -1, errno);
		return -1;
	}
	return 0;
}

static int unmap_file(struct run *run)
{
	int64_t t0 = now_ns();
	int err;

	err = munmap(run->map, run->npages * run->psize) ? errno : 0;
	timed(t0);
	if (err) {
		report("munmap", run->path, -1, err);
		return -1;
	}
	t0 = now_ns();
	err = close(run->fd) ? errno : 0;
	timed(t0);
	if (err) {
		report("close", run->path, -1, err);
		return -1;
	}
	return 0;
}

/* Read every page back from the server and check it. */
static void verify(struct run *run, uint64_t *buf, size_t buflen)
{
	size_t pg = 0, i, len, per = buflen / run->psize;
	int64_t t0;
	ssize_t n;
	int err;

	err = posix_fadvise(run->fd, 0, 0, POSIX_FADV_DONTNEED);
	if (err) {
		report("posix_fadvise", run->path, -1, err);
		run->verify_errors++;
	}
	while (pg < run->npages) {
		len = run->npages - pg < per ? run->npages - pg : per;
		t0 = now_ns();
		n = pread(run->fd, buf, len * run->psize,
			  (off_t)pg * run->psize);
		err = errno;
		timed(t0);
		if (n < 0 && err == EINTR)
			continue;
		if (n < 0) {
			report("pread", run->path,
			       (long long)pg * run->psize, err);
			run->verify_errors++;
			return;
		}
		if ((size_t)n < run->psize) {
			bad_page(run, pg, "end of file, %zu pages missing",
				 run->npages - pg);
			run->verify_errors += run->npages - pg - 1;
			return;
		}
		for (i = 0; i < (size_t)n / run->psize; i++)
			check_page(run, pg + i, buf + i * run->psize / 8);
		pg += n / run->psize;
	}
}

static int verify_file(struct run *run, uint64_t *buf, size_t buflen)
{
	int64_t t0;
	int err;

	t0 = now_ns();
	run->fd = open(run->path, O_RDONLY);
	err = errno;
	timed(t0);
	if (run->fd < 0) {
		report("open", run->path, -1, err);
		run->verify_errors++;
		return -1;
	}
	verify(run, buf, buflen);
	close(run->fd);
	return 0;
}

static int save_state(const struct run *run, const char *state)
{
	FILE *f = fopen(state, "w");
	size_t pg;

	if (!f) {
		report("open", state, -1, errno);
		return -1;
	}
	fprintf(f, "mmapwriter 1 %016" PRIx64 " %zu %zu\n", run->seed,
		run->npages, run->psize);
	for (pg = 0; pg < run->npages; pg++)
		fprintf(f, "%" PRIu32 " %" PRIu32 "\n", run->lo[pg],
			run->hi[pg]);
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
	run->lo = calloc(run->npages, sizeof(*run->lo));
	run->hi = calloc(run->npages, sizeof(*run->hi));
	if (!run->lo || !run->hi) {
		printf("mmapwriter: %zu pages: %s\n", run->npages,
		       strerror(ENOMEM));
		return -1;
	}
	return 0;
}

static int load_state(struct run *run, const char *state)
{
	FILE *f = fopen(state, "r");
	size_t pg;
	int ver;

	if (!f) {
		report("open", state, -1, errno);
		return -1;
	}
	if (fscanf(f, "mmapwriter %d %" SCNx64 " %zu %zu", &ver, &run->seed,
		   &run->npages, &run->psize) != 4 || ver != 1 ||
	    !run->npages || !run->psize || run->psize % 8 ||
	    run->psize > MIB)
		goto bad;
	if (alloc_tables(run))
		goto err;
	for (pg = 0; pg < run->npages; pg++)
		if (fscanf(f, "%" SCNu32 " %" SCNu32, &run->lo[pg],
			   &run->hi[pg]) != 2 || run->lo[pg] > run->hi[pg])
			goto bad;
	fclose(f);
	return 0;
bad:
	printf("mmapwriter: %s: not a mmapwriter state file\n", state);
err:
	fclose(f);
	return -1;
}

static int check(struct run *run, const char *state, uint64_t *buf)
{
	if (load_state(run, state))
		return 1;
	verify_file(run, buf, MIB);
	printf("verify_errors=%u\n", run->verify_errors);
	return run->verify_errors ? 1 : 0;
}

static int catch_sigbus(void)
{
	struct sigaction sa = { 0 };

	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGBUS, &sa, NULL)) {
		printf("mmapwriter: sigaction SIGBUS: %s\n", strerror(errno));
		return -1;
	}
	return 0;
}

static int rw(struct run *run, const char *state, double seconds,
	      uint64_t *buf)
{
	uint64_t rnd = mix(run->seed + 1);
	int64_t end;

	if (alloc_tables(run) || catch_sigbus())
		return 1;
	if (map_file(run)) {
		run->msync_errors++;
		goto out;
	}
	end = now_ns() + (int64_t)(seconds * NS_PER_SEC);
	while (now_ns() < end && !round_once(run, &rnd, buf))
		;
	if (unmap_file(run))
		run->msync_errors++;
	if (save_state(run, state))
		run->msync_errors++;
	verify_file(run, buf, MIB);
out:
	printf("rounds=%" PRIu64 " msync_errors=%u sigbus=%u verify_errors=%u max_stall_ms=%lld max_stall_at_ms=%lld\n",
	       run->rounds, run->msync_errors, run->sigbus, run->verify_errors,
	       (long long)(max_stall / NS_PER_MS),
	       (long long)(max_stall_at / NS_PER_MS));
	return run->msync_errors || run->sigbus || run->verify_errors;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: mmapwriter FILE SIZE_MIB SECONDS STATE\n"
		"       mmapwriter --check FILE STATE\n");
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
	buf = aligned_alloc(4096, MIB);
	if (!buf) {
		perror("mmapwriter");
		return 1;
	}
	if (argc == 4 && !strcmp(argv[1], "--check")) {
		run.path = argv[2];
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
	run.psize = sysconf(_SC_PAGESIZE);
	run.npages = (size_t)mib * MIB / run.psize;
	/* A new seed every run, so a page left from an earlier one is wrong. */
	run.seed = mix(now_ns() ^ ((uint64_t)getpid() << 32));
	return rw(&run, argv[4], seconds, buf);
}
