// SPDX-License-Identifier: GPL-2.0
/*
 * fsxlite: random file operations checked against a model of the file's
 * content, in the manner of fsx: whatever the filesystem does (a failover
 * in the middle, pages written back to another server), every byte read
 * must be the byte last written there, or zero in a hole.
 *
 *   fsxlite FILE NUMOPS SEED [-v]
 *	Create (or truncate) FILE, then do NUMOPS operations chosen by a
 *	xorshift64* generator seeded with SEED: pwrite (anywhere below
 *	4 MiB, so also past the end, leaving holes), pread, ftruncate (down
 *	and up), a write through a MAP_SHARED mapping (then msync MS_SYNC,
 *	or just munmap), a read through a mapping, fsync, close and open
 *	again, write on a second descriptor opened O_APPEND, fallocate
 *	(mode 0).  Every read is compared with the model, and so is the
 *	whole file (and its size) every 100 operations and at the end.
 *	When fallocate fails with EOPNOTSUPP, fsxlite says so on stderr
 *	and from then on does, instead of a fallocate that would extend
 *	the file, the ftruncate that gives the same content: so the file
 *	ends the same either way.  -v prints every operation.
 *
 * The last line is
 *	ops=N size=N hash=HEX
 * with the FNV-1a 64 hash of the final content: the same SEED and NUMOPS
 * give the same line on any filesystem that works.  A failed call or a
 * wrong byte is printed with the operation's number, offset, the first
 * differing byte (expected and found) and the last 10 operations; the
 * exit status is then 1 (2 for bad usage).
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAXSIZE		(4 << 20)
#define MAXLEN		(64 << 10)
#define VERIFY_EVERY	100
#define VERIFY_CHUNK	(256 << 10)
#define HISTORY		10
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

struct op {
	const char *name;
	unsigned int weight;
	void (*fn)(void);
};

struct hist {
	unsigned long nr;
	const char *name;
	long long off, len;
};

static const char *path;
static int fd = -1, afd = -1;		/* afd: O_APPEND */
static unsigned char *model, *buf;	/* beyond size, model is zero */
static size_t size, page;
static uint64_t rng;
static unsigned long opnr;
static bool verbose, falloc_ok = true;
static struct hist hist[HISTORY];
static const char *cur_name;		/* the operation under way */

static uint64_t rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static size_t below(size_t n)
{
	return rnd() % n;
}

/* Record the operation under way; -v prints it. */
static void log_op(const char *name, long long off, long long len)
{
	struct hist *h = &hist[opnr % HISTORY];

	cur_name = name;
	h->nr = opnr;
	h->name = name;
	h->off = off;
	h->len = len;
	if (verbose)
		printf("%lu %s off=%lld len=%lld size=%zu\n", opnr, name, off,
		       len, size);
}

static __attribute__((noreturn)) void bail(void)
{
	unsigned long i, first = opnr >= HISTORY - 1 ? opnr - HISTORY + 1 : 0;
	struct hist *h;

	if (opnr)
		printf("last operations:\n");
	for (i = first; i <= opnr; i++) {
		h = &hist[i % HISTORY];
		if (h->name && h->nr == i)
			printf("  %lu %s off=%lld len=%lld\n", h->nr, h->name,
			       h->off, h->len);
	}
	exit(1);
}

/* A call failed; @off < 0: the call has no offset. */
static __attribute__((noreturn)) void fail(const char *call, long long off,
					   int err)
{
	if (off >= 0)
		printf("fsxlite: op %lu (%s): %s %s at offset %lld: %s\n",
		       opnr, cur_name, call, path, off, strerror(err));
	else
		printf("fsxlite: op %lu (%s): %s %s: %s\n", opnr, cur_name,
		       call, path, strerror(err));
	bail();
}

/* Compare @len bytes read at @off with the model. */
static void check(const char *how, size_t off, const unsigned char *got,
		  size_t len)
{
	const unsigned char *want = model + off;
	size_t i;

	if (!memcmp(got, want, len))
		return;
	for (i = 0; got[i] == want[i]; i++)
		;
	printf("fsxlite: op %lu (%s): %s %s: at offset %zu expected 0x%02x, got 0x%02x\n",
	       opnr, cur_name, how, path, off + i, want[i], got[i]);
	bail();
}

static void check_size(const char *how, size_t got)
{
	if (got == size)
		return;
	printf("fsxlite: op %lu (%s): %s %s: size %zu, expected %zu\n", opnr,
	       cur_name, how, path, got, size);
	bail();
}

static void fill(size_t len)
{
	uint64_t w;
	size_t i;

	for (i = 0; i < len; i += sizeof(w)) {
		w = rnd();
		memcpy(buf + i, &w, sizeof(w));
	}
}

/* Half the time inside the file, else anywhere below MAXSIZE. */
static size_t rand_off(void)
{
	if (size && below(2))
		return below(size);
	return below(MAXSIZE);
}

static size_t rand_len(size_t off)
{
	size_t len = 1 + below(MAXLEN);

	return off + len > MAXSIZE ? MAXSIZE - off : len;
}

static void model_write(size_t off, size_t len)
{
	memcpy(model + off, buf, len);
	if (off + len > size)
		size = off + len;
}

/* The model's side of a truncate: cut bytes are zero again. */
static void model_truncate(size_t to)
{
	if (to < size)
		memset(model + to, 0, size - to);
	size = to;
}

static void write_all(int wfd, size_t off, size_t len, bool append)
{
	ssize_t n;
	size_t done;

	for (done = 0; done < len; done += n) {
		if (append)
			n = write(wfd, buf + done, len - done);
		else
			n = pwrite(wfd, buf + done, len - done, off + done);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n <= 0)
			fail(append ? "write" : "pwrite", off + done,
			     n ? errno : EIO);
	}
}

static void do_write(void)
{
	size_t off = rand_off(), len = rand_len(off);

	log_op("pwrite", off, len);
	fill(len);
	write_all(fd, off, len, false);
	model_write(off, len);
}

static void do_read(void)
{
	size_t off = rand_off(), len = rand_len(off), want, done = 0;
	ssize_t n;

	log_op("pread", off, len);
	want = off >= size ? 0 : size - off < len ? size - off : len;
	while (done < len) {
		n = pread(fd, buf + done, len - done, off + done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			fail("pread", off + done, errno);
		if (n == 0)
			break;
		done += n;
	}
	if (done != want) {
		printf("fsxlite: op %lu (pread): pread %s at offset %zu: %zu bytes, expected %zu\n",
		       opnr, path, off, done, want);
		bail();
	}
	check("pread", off, buf, done);
}

static void do_truncate(void)
{
	size_t to = below(MAXSIZE + 1);

	log_op(to < size ? "ftruncate down" : "ftruncate up", to, 0);
	if (ftruncate(fd, to))
		fail("ftruncate", to, errno);
	model_truncate(to);
}

/* Map [off, off + len) of the file: mmap wants a page-aligned offset. */
static unsigned char *map(size_t off, size_t len, int prot, size_t *mlen)
{
	size_t start = off & ~(page - 1);
	void *p;

	*mlen = off + len - start;
	p = mmap(NULL, *mlen, prot, MAP_SHARED, fd, start);
	if (p == MAP_FAILED)
		fail("mmap", start, errno);
	return (unsigned char *)p + (off - start);
}

static void unmap(unsigned char *p, size_t off, size_t mlen)
{
	if (munmap(p - (off & (page - 1)), mlen))
		fail("munmap", off, errno);
}

static void do_mapwrite(void)
{
	size_t off = rand_off(), len = rand_len(off), mlen;
	bool sync = below(2);
	unsigned char *p;

	log_op(sync ? "mapwrite+msync" : "mapwrite", off, len);
	fill(len);
	/* A mapping cannot extend a file: grow it first. */
	if (off + len > size) {
		if (ftruncate(fd, off + len))
			fail("ftruncate", off + len, errno);
		model_truncate(off + len);
	}
	p = map(off, len, PROT_READ | PROT_WRITE, &mlen);
	memcpy(p, buf, len);
	if (sync && msync(p - (off & (page - 1)), mlen, MS_SYNC))
		fail("msync", off, errno);
	unmap(p, off, mlen);
	model_write(off, len);
}

static void do_mapread(void)
{
	size_t off, len, mlen;
	unsigned char *p;

	if (!size) {
		log_op("mapread (empty file)", 0, 0);
		return;
	}
	off = below(size);
	len = 1 + below(MAXLEN);
	if (len > size - off)
		len = size - off;
	log_op("mapread", off, len);
	p = map(off, len, PROT_READ, &mlen);
	check("mapread", off, p, len);
	unmap(p, off, mlen);
}

static void do_fsync(void)
{
	log_op("fsync", 0, 0);
	if (fsync(fd))
		fail("fsync", -1, errno);
}

static void open_file(int flags)
{
	fd = open(path, O_RDWR | flags, 0644);
	if (fd < 0)
		fail("open", -1, errno);
	afd = open(path, O_WRONLY | O_APPEND);
	if (afd < 0)
		fail("open O_APPEND", -1, errno);
}

static void close_file(void)
{
	/* NFS reports a failed write-back at close. */
	if (close(fd))
		fail("close", -1, errno);
	if (close(afd))
		fail("close O_APPEND", -1, errno);
}

static void do_reopen(void)
{
	log_op("close+open", 0, 0);
	close_file();
	open_file(0);
}

static void do_append(void)
{
	size_t len = 1 + below(MAXLEN);

	if (len > MAXSIZE - size)
		len = MAXSIZE - size;
	log_op("append", size, len);
	fill(len);
	write_all(afd, size, len, true);
	model_write(size, len);
}

static void do_fallocate(void)
{
	size_t off = below(MAXSIZE), len = rand_len(off);

	log_op(falloc_ok ? "fallocate" : "fallocate (as ftruncate)", off,
	       len);
	if (falloc_ok && !fallocate(fd, 0, off, len))
		goto done;
	if (falloc_ok && errno != EOPNOTSUPP)
		fail("fallocate", off, errno);
	if (falloc_ok) {
		fprintf(stderr, "fsxlite: fallocate %s: %s: growing fallocates become ftruncates\n",
			path, strerror(errno));
		falloc_ok = false;
	}
	if (off + len > size && ftruncate(fd, off + len))
		fail("ftruncate", off + len, errno);
done:
	if (off + len > size)
		model_truncate(off + len);
}

/* The whole file, and its size, against the model. */
static void verify_all(void)
{
	size_t off, len;
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st))
		fail("fstat", -1, errno);
	check_size("fstat", st.st_size);
	for (off = 0; off < size; off += n) {
		len = size - off < VERIFY_CHUNK ? size - off : VERIFY_CHUNK;
		n = pread(fd, buf, len, off);
		if (n < 0 && errno == EINTR)
			n = 0;
		else if (n < 0)
			fail("pread (verify)", off, errno);
		else if (n == 0)
			check_size("pread (verify)", off);
		check("pread (verify)", off, buf, n);
	}
}

static const struct op ops[] = {
	{ "pwrite",	20, do_write },
	{ "pread",	15, do_read },
	{ "ftruncate",	6, do_truncate },
	{ "mapwrite",	10, do_mapwrite },
	{ "mapread",	10, do_mapread },
	{ "fsync",	3, do_fsync },
	{ "reopen",	3, do_reopen },
	{ "append",	8, do_append },
	{ "fallocate",	5, do_fallocate },
};

#define NR_OPS	(sizeof(ops) / sizeof(ops[0]))

static const struct op *pick_op(void)
{
	unsigned int total = 0, r;
	size_t i;

	for (i = 0; i < NR_OPS; i++)
		total += ops[i].weight;
	r = below(total);
	for (i = 0; r >= ops[i].weight; i++)
		r -= ops[i].weight;
	return &ops[i];
}

static uint64_t fnv1a(const unsigned char *p, size_t len)
{
	uint64_t h = FNV_OFFSET;

	while (len--)
		h = (h ^ *p++) * FNV_PRIME;
	return h;
}

static int usage(void)
{
	fprintf(stderr, "usage: fsxlite FILE NUMOPS SEED [-v]\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long numops;
	uint64_t seed;
	char *e;

	if (argc == 5 && !strcmp(argv[4], "-v"))
		verbose = true;
	else if (argc != 4)
		return usage();
	path = argv[1];
	numops = strtoul(argv[2], &e, 0);
	if (*e || !*argv[2])
		return usage();
	seed = strtoull(argv[3], &e, 0);
	if (*e || !*argv[3])
		return usage();

	/* splitmix64 of the seed: a non-zero xorshift state */
	rng = seed + 0x9e3779b97f4a7c15ULL;
	rng = (rng ^ (rng >> 30)) * 0xbf58476d1ce4e5b9ULL;
	rng = (rng ^ (rng >> 27)) * 0x94d049bb133111ebULL;
	rng = (rng ^ (rng >> 31)) | 1;

	page = sysconf(_SC_PAGESIZE);
	model = calloc(1, MAXSIZE);
	buf = malloc(VERIFY_CHUNK);
	if (!model || !buf) {
		printf("fsxlite: malloc: %s\n", strerror(ENOMEM));
		return 1;
	}
	cur_name = "open";
	open_file(O_CREAT | O_TRUNC);
	for (opnr = 1; opnr <= numops; opnr++) {
		pick_op()->fn();
		if (opnr % VERIFY_EVERY == 0) {
			cur_name = "periodic verify";
			verify_all();
		}
	}
	opnr = numops;
	cur_name = "final verify";
	verify_all();
	close_file();
	printf("ops=%lu size=%zu hash=%016" PRIx64 "\n", numops, size,
	       fnv1a(model, size));
	return 0;
}
