// SPDX-License-Identifier: GPL-2.0
/*
 * recwriter: append numbered records, fsync() after each, and later check
 * that every record whose fsync() returned is in the file: intact, in
 * order and once.  The VM scenarios run it across a server failover, so
 * an acknowledged write that the failover loses shows up.
 *
 *   recwriter FILE SECONDS
 *	Create FILE empty (truncating it), then append 4 KiB records 0, 1,
 *	2, ... (O_APPEND), each followed by fsync(), until SECONDS have
 *	passed.  A record is acknowledged once its fsync() has returned 0.
 *	The first failed write() or fsync() is reported and ends the run.
 *	The last line is
 *	  records=N acked=N errors=N max_stall_ms=N max_stall_at_ms=N
 *	records counts the records write() took whole, acked those
 *	acknowledged (the ACKED to give --check), errors the failed calls,
 *	max_stall_ms is the longest single open(), write(), fsync() or
 *	close(), max_stall_at_ms when it began (since recwriter started).
 *	Exit status 1 when a call failed, 2 for bad usage.
 *
 *   recwriter --check FILE ACKED
 *	Read FILE (through any path to it, e.g. the server's own filesystem)
 *	and check that it holds records 0..ACKED-1, in order, each intact
 *	and once, then at most record ACKED (written, but its fsync() never
 *	returned), intact too, and nothing else.  Every fault (record
 *	damaged or zeroed, repeated, missing, short tail) is printed with
 *	its record slot and offset; the last line is "records=N ok", or
 *	"records=N errors=N" with exit status 1.  N counts the whole 4 KiB
 *	slots in FILE.
 *
 * A record is a header (magic, record number, checksum) and a payload
 * generated from the record number, so that a record that is stale,
 * misplaced or repeated is told apart from one that is damaged.  The
 * checksum is FNV-1a over the 64-bit words of number and payload.  All in
 * host byte order: the lab's guest and host are the same machine type.
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

#define REC_SIZE	4096
#define REC_MAGIC	0x3143455253464e52ULL	/* "RNFSREC1" */
#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL
#define MAX_MESSAGES	20	/* fault lines printed; every fault is counted */
#define NS_PER_MS	1000000LL
#define NS_PER_SEC	1000000000LL

struct record {
	uint64_t magic;
	uint64_t seq;
	uint64_t sum;
	uint64_t payload[REC_SIZE / 8 - 3];
};

_Static_assert(sizeof(struct record) == REC_SIZE, "record is one 4 KiB slot");

#define PAYLOAD_WORDS	(sizeof(((struct record *)0)->payload) / 8)

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

	if (off >= 0)
		printf("recwriter: %.3fs: %s %s at offset %lld: %s\n", t, call,
		       path, off, strerror(err));
	else
		printf("recwriter: %.3fs: %s %s: %s\n", t, call, path,
		       strerror(err));
	fflush(stdout);
}

/* A fault found by --check: counted always, printed up to MAX_MESSAGES. */
static void __attribute__((format(printf, 3, 4)))
fault(const char *path, uint64_t slot, const char *fmt, ...)
{
	va_list ap;

	if (messages++ >= MAX_MESSAGES)
		return;
	printf("recwriter: %s: slot %" PRIu64 " (offset %" PRIu64 "): ",
	       path, slot, slot * REC_SIZE);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* "record A" or "records A..B", for fault messages */
static const char *span(uint64_t a, uint64_t b)
{
	static char buf[64];

	if (a == b)
		snprintf(buf, sizeof(buf), "record %" PRIu64, a);
	else
		snprintf(buf, sizeof(buf), "records %" PRIu64 "..%" PRIu64,
			 a, b);
	return buf;
}

/* splitmix64: a different, well-mixed payload for every record number */
static void make_payload(uint64_t *w, uint64_t seq)
{
	uint64_t z, state = seq * 0xd1342543de82ef95ULL + REC_MAGIC;
	size_t i;

	for (i = 0; i < PAYLOAD_WORDS; i++) {
		state += 0x9e3779b97f4a7c15ULL;
		z = state;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		w[i] = z ^ (z >> 31);
	}
}

static uint64_t rec_sum(const struct record *r)
{
	uint64_t h = (FNV_OFFSET ^ r->seq) * FNV_PRIME;
	size_t i;

	for (i = 0; i < PAYLOAD_WORDS; i++)
		h = (h ^ r->payload[i]) * FNV_PRIME;
	return h;
}

static void make_record(struct record *r, uint64_t seq)
{
	r->magic = REC_MAGIC;
	r->seq = seq;
	make_payload(r->payload, seq);
	r->sum = rec_sum(r);
}

/* write() all of @len, timing each call: 0, or -1 with errno set */
static int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	int64_t t0;
	ssize_t n;
	int err;

	while (len) {
		t0 = now_ns();
		n = write(fd, p, len);
		err = errno;
		timed(t0);
		if (n < 0 && err == EINTR)
			continue;
		if (n < 0) {
			errno = err;
			return -1;
		}
		p += n;
		len -= n;
	}
	return 0;
}

static int run(const char *path, double seconds)
{
	uint64_t records = 0, acked = 0;
	unsigned int errors = 0;
	struct record rec;
	int64_t end, t0;
	int fd, err;

	t0 = now_ns();
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	err = errno;
	timed(t0);
	if (fd < 0) {
		report("open", path, -1, err);
		return 1;
	}
	end = t_start + (int64_t)(seconds * NS_PER_SEC);
	while (now_ns() < end) {
		make_record(&rec, records);
		if (write_full(fd, &rec, sizeof(rec))) {
			report("write", path, records * REC_SIZE, errno);
			errors++;
			break;
		}
		records++;
		t0 = now_ns();
		err = fsync(fd) ? errno : 0;
		timed(t0);
		if (err) {
			report("fsync", path, -1, err);
			errors++;
			break;
		}
		acked++;
	}
	t0 = now_ns();
	err = close(fd) ? errno : 0;
	timed(t0);
	if (err) {
		report("close", path, -1, err);
		errors++;
	}
	printf("records=%" PRIu64 " acked=%" PRIu64 " errors=%u max_stall_ms=%lld max_stall_at_ms=%lld\n",
	       records, acked, errors, (long long)(max_stall / NS_PER_MS),
	       (long long)(max_stall_at / NS_PER_MS));
	return errors ? 1 : 0;
}

static int all_zero(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	return len == 0 || (p[0] == 0 && !memcmp(p, p + 1, len - 1));
}

/* What is wrong with @r as a record (whatever its number), or NULL */
static const char *damage(const struct record *r)
{
	uint64_t want[PAYLOAD_WORDS];

	if (all_zero(r, sizeof(*r)))
		return "all zeroes";
	if (r->magic != REC_MAGIC)
		return "bad magic";
	if (r->sum != rec_sum(r))
		return "bad checksum";
	make_payload(want, r->seq);
	if (memcmp(want, r->payload, sizeof(want)))
		return "wrong payload";
	return NULL;
}

/*
 * Check the record in @slot against @next, the number it should carry;
 * return the number the following slot should carry.
 */
static uint64_t check_slot(const char *path, uint64_t slot,
			   const struct record *r, uint64_t next)
{
	const char *why = damage(r);

	if (why) {
		fault(path, slot, "%s, want record %" PRIu64, why, next);
		return next + 1;
	}
	if (r->seq == next)
		return next + 1;
	if (r->seq < next) {
		fault(path, slot, "record %" PRIu64 " again, want record %"
		      PRIu64, r->seq, next);
		return next;
	}
	fault(path, slot, "record %" PRIu64 ", %s missing before it",
	      r->seq, span(next, r->seq - 1));
	return r->seq + 1;
}

/* pread() up to @len bytes at @off: the count read (less at EOF), or -1 */
static ssize_t pread_full(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pread(fd, (char *)buf + done, len - done, off + done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		done += n;
	}
	return done;
}

static int check(const char *path, uint64_t acked)
{
	uint64_t slot, next = 0;
	struct record rec;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		report("open", path, -1, errno);
		return 1;
	}
	for (slot = 0;; slot++) {
		n = pread_full(fd, &rec, sizeof(rec), slot * REC_SIZE);
		if (n < 0) {
			report("read", path, slot * REC_SIZE, errno);
			close(fd);
			return 1;
		}
		if (n == 0)
			break;
		if (n < REC_SIZE) {
			fault(path, slot, "short tail of %zd bytes", n);
			break;
		}
		next = check_slot(path, slot, &rec, next);
	}
	close(fd);
	/* Only record ACKED may follow the acknowledged ones. */
	if (next < acked)
		fault(path, slot, "end of file, acknowledged %s missing",
		      span(next, acked - 1));
	else if (next > acked + 1)
		fault(path, slot, "%s after the one unacknowledged record allowed",
		      span(acked + 1, next - 1));
	if (messages) {
		printf("records=%" PRIu64 " errors=%u\n", slot, messages);
		return 1;
	}
	printf("records=%" PRIu64 " ok\n", slot);
	return 0;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: recwriter FILE SECONDS\n"
		"       recwriter --check FILE ACKED\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned long long acked;
	double seconds;
	char *e;

	t_start = now_ns();
	if (argc == 4 && !strcmp(argv[1], "--check")) {
		errno = 0;
		acked = strtoull(argv[3], &e, 10);
		if (*e || e == argv[3] || errno || argv[3][0] == '-')
			return usage();
		return check(argv[2], acked);
	}
	if (argc != 3 || argv[1][0] == '-')
		return usage();
	seconds = strtod(argv[2], &e);
	if (*e || !(seconds > 0))
		return usage();
	return run(argv[1], seconds);
}
