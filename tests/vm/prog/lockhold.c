// SPDX-License-Identifier: GPL-2.0
/*
 * lockhold: hold a lock on a file and keep writing to it, or probe whether
 * someone else holds one.  The VM scenarios hold a lock across a server
 * failover and check that it is still held (another client's probe still
 * conflicts) and that the holder can still write: a lock lost in the
 * failover makes the holder's writes fail.
 *
 *   lockhold hold FILE READYFILE SECONDS [--flock] [--at=OFFSET]
 *	Open FILE read-write (creating it), lock all of it for writing,
 *	waiting for the lock (fcntl F_SETLKW, or flock LOCK_EX with
 *	--flock), then create READYFILE holding our pid: from then on the
 *	lock is held.  Until SECONDS have passed, every 200 ms write one
 *	byte at offset 0 (or OFFSET) with pwrite and fsync().  A failed
 *	call is reported and counted; the writing goes on.  The last line is
 *	  held_s=N writes=N errors=N max_stall_ms=N max_stall_at_ms=N
 *	held_s is how long the lock was held (whole seconds), writes the
 *	writes acknowledged by their fsync(), max_stall_ms the longest
 *	single fcntl() or flock(), pwrite() or fsync(), max_stall_at_ms
 *	when it began (since lockhold started).  Exit status 1 when a call
 *	failed, 2 for bad usage.
 *
 *   lockhold probe FILE [--flock]
 *	Try to lock all of FILE for writing without waiting (fcntl F_SETLK,
 *	or flock LOCK_EX|LOCK_NB).  Prints "locked_by_other pid=N" (exit 0)
 *	when the lock is held by someone else, with the holder's pid as
 *	F_GETLK reports it (0 when it is not known: the holder let go
 *	meanwhile, or it is on another NFS client; no pid with --flock);
 *	"free" (exit 3) when the lock was taken, and let go at once.  Exit
 *	status 1 when a call failed, 2 for bad usage.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_MS	1000000LL
#define NS_PER_SEC	1000000000LL
#define TICK_NS		(200 * NS_PER_MS)
#define EXIT_FREE	3

static int64_t t_start, max_stall, max_stall_at;

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

static void report(const char *call, const char *path, int err)
{
	double t = (now_ns() - t_start) / (double)NS_PER_SEC;

	printf("lockhold: %.3fs: %s %s: %s\n", t, call, path, strerror(err));
	fflush(stdout);
}

/* The whole file, for F_WRLCK, F_UNLCK or F_GETLK */
static struct flock whole(short type)
{
	struct flock fl = { 0 };

	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	return fl;
}

/* Lock @fd for writing, waiting: 0, or -1 after reporting why not */
static int lock_wait(int fd, const char *path, int use_flock)
{
	struct flock fl = whole(F_WRLCK);
	int64_t t0;
	int ret;

	do {
		t0 = now_ns();
		if (use_flock)
			ret = flock(fd, LOCK_EX);
		else
			ret = fcntl(fd, F_SETLKW, &fl);
		timed(t0);
	} while (ret && errno == EINTR);
	if (ret)
		report(use_flock ? "flock LOCK_EX" : "fcntl F_SETLKW", path,
		       errno);
	return ret;
}

/* Create @path holding our pid: tells the scenario we hold the lock. */
static int signal_ready(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		report("open", path, errno);
		return -1;
	}
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f)) {
		report("write", path, errno);
		return -1;
	}
	return 0;
}

static off_t poke_at;		/* --at=OFFSET */

/* Write one byte at poke_at and fsync(): 0, or -1 after reporting */
static int poke(int fd, const char *path, unsigned int n)
{
	char c = 'a' + n % 26;
	int64_t t0;
	ssize_t w;
	int err;

	t0 = now_ns();
	w = pwrite(fd, &c, 1, poke_at);
	err = errno;
	timed(t0);
	if (w != 1) {
		report("pwrite", path, w < 0 ? err : EIO);
		return -1;
	}
	t0 = now_ns();
	err = fsync(fd) ? errno : 0;
	timed(t0);
	if (err) {
		report("fsync", path, err);
		return -1;
	}
	return 0;
}

static int hold(const char *path, const char *ready, double seconds,
		int use_flock)
{
	unsigned int writes = 0, errors = 0;
	int64_t locked, end, next, t;
	struct timespec ts;
	int fd;

	fd = open(path, O_RDWR | O_CREAT, 0644);
	if (fd < 0) {
		report("open", path, errno);
		return 1;
	}
	if (lock_wait(fd, path, use_flock) || signal_ready(ready)) {
		close(fd);
		return 1;
	}
	locked = now_ns();
	end = locked + (int64_t)(seconds * NS_PER_SEC);
	for (next = locked + TICK_NS; next <= end; next += TICK_NS) {
		ts.tv_sec = next / NS_PER_SEC;
		ts.tv_nsec = next % NS_PER_SEC;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts,
				       NULL) == EINTR)
			;
		if (poke(fd, path, writes + errors))
			errors++;
		else
			writes++;
		/* After a stall, go on from now: no burst to catch up. */
		t = now_ns();
		if (t - next > TICK_NS)
			next = t;
	}
	if (close(fd)) {
		report("close", path, errno);
		errors++;
	}
	printf("held_s=%lld writes=%u errors=%u max_stall_ms=%lld max_stall_at_ms=%lld\n",
	       (long long)((now_ns() - locked) / NS_PER_SEC), writes, errors,
	       (long long)(max_stall / NS_PER_MS),
	       (long long)(max_stall_at / NS_PER_MS));
	return errors ? 1 : 0;
}

static int probe_fcntl(int fd, const char *path)
{
	struct flock fl = whole(F_WRLCK);

	if (!fcntl(fd, F_SETLK, &fl)) {
		fl = whole(F_UNLCK);
		if (fcntl(fd, F_SETLK, &fl)) {
			report("fcntl F_UNLCK", path, errno);
			return 1;
		}
		printf("free\n");
		return EXIT_FREE;
	}
	if (errno != EAGAIN && errno != EACCES) {
		report("fcntl F_SETLK", path, errno);
		return 1;
	}
	fl = whole(F_WRLCK);
	if (fcntl(fd, F_GETLK, &fl)) {
		report("fcntl F_GETLK", path, errno);
		return 1;
	}
	printf("locked_by_other pid=%ld\n",
	       fl.l_type == F_UNLCK ? 0L : (long)fl.l_pid);
	return 0;
}

static int probe_flock(int fd, const char *path)
{
	if (!flock(fd, LOCK_EX | LOCK_NB)) {
		if (flock(fd, LOCK_UN)) {
			report("flock LOCK_UN", path, errno);
			return 1;
		}
		printf("free\n");
		return EXIT_FREE;
	}
	if (errno != EWOULDBLOCK) {
		report("flock LOCK_EX|LOCK_NB", path, errno);
		return 1;
	}
	printf("locked_by_other\n");
	return 0;
}

static int probe(const char *path, int use_flock)
{
	int fd, ret;

	fd = open(path, O_RDWR);
	if (fd < 0) {
		report("open", path, errno);
		return 1;
	}
	ret = use_flock ? probe_flock(fd, path) : probe_fcntl(fd, path);
	close(fd);
	return ret;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: lockhold hold FILE READYFILE SECONDS [--flock] [--at=OFFSET]\n"
		"       lockhold probe FILE [--flock]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int use_flock = 0;
	double seconds;
	char *e;

	t_start = now_ns();
	for (; argc > 1; argc--) {
		if (!strcmp(argv[argc - 1], "--flock"))
			use_flock = 1;
		else if (!strncmp(argv[argc - 1], "--at=", 5))
			poke_at = strtoll(argv[argc - 1] + 5, NULL, 10);
		else
			break;
	}
	if (argc == 3 && !strcmp(argv[1], "probe"))
		return probe(argv[2], use_flock);
	if (argc != 5 || strcmp(argv[1], "hold"))
		return usage();
	seconds = strtod(argv[4], &e);
	if (*e || !(seconds >= 0))
		return usage();
	return hold(argv[2], argv[3], seconds, use_flock);
}
