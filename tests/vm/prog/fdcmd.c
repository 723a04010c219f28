// SPDX-License-Identifier: GPL-2.0
/*
 * fdcmd: holds files open for a scenario and does what it is told with
 * them, one command per line on stdin, one answer per line on stdout:
 * "ok", "ok DATA" (read) or "error: ...".  It lets a test keep a file
 * open across events (a rename, an unlink, a failover) and then use the
 * very same descriptor, as a long-running program would.
 *
 *   open N PATH MODE     MODE: r, w, rw, a (append, created if need be),
 *                        c (created or truncated, rw)
 *   write N TEXT         write(2) at the file offset
 *   pwrite N OFF TEXT
 *   read N OFF LEN       pread(2); answers "ok " and what it read
 *   fsync N
 *   close N
 *
 * TEXT is one word (pwrite: the rest of the line); a read answers with
 * the bytes as read, which tests keep free of newlines.
 */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FILES	16

static int fds[MAX_FILES];

static int mode_flags(const char *mode)
{
	if (!strcmp(mode, "r"))
		return O_RDONLY;
	if (!strcmp(mode, "w"))
		return O_WRONLY;
	if (!strcmp(mode, "rw"))
		return O_RDWR;
	if (!strcmp(mode, "a"))
		return O_WRONLY | O_APPEND | O_CREAT;
	if (!strcmp(mode, "c"))
		return O_RDWR | O_CREAT | O_TRUNC;
	return -1;
}

static void answer_errno(const char *what)
{
	printf("error: %s: %s\n", what, strerror(errno));
}

/* The descriptor of slot @arg, or -1 having answered with an error. */
static int slot_fd(const char *arg)
{
	int n = atoi(arg);

	if (n < 0 || n >= MAX_FILES || fds[n] < 0) {
		printf("error: no file %s\n", arg);
		return -1;
	}
	return fds[n];
}

static void do_write(int fd, off_t off, const char *text, int positional)
{
	size_t len = strlen(text);
	ssize_t n;

	n = positional ? pwrite(fd, text, len, off) : write(fd, text, len);
	if (n < 0)
		answer_errno("write");
	else if ((size_t)n != len)
		printf("error: short write (%zd of %zu)\n", n, len);
	else
		printf("ok\n");
}

static void do_read(int fd, off_t off, size_t len)
{
	char *buf = malloc(len + 1);
	ssize_t n;

	if (!buf) {
		printf("error: no memory\n");
		return;
	}
	n = pread(fd, buf, len, off);
	if (n < 0) {
		answer_errno("read");
	} else {
		buf[n] = '\0';
		printf("ok %s\n", buf);
	}
	free(buf);
}

/* One command line: at most 4 fields, the last one the rest of the line. */
static void run(char *line)
{
	char *arg[4] = { NULL };
	char *p = line;
	int i, fd, n;

	for (i = 0; i < 4 && p; i++) {
		arg[i] = i == 3 ? p : strsep(&p, " ");
		if (i == 3)
			break;
	}
	if (!arg[0] || !arg[1]) {
		printf("error: what?\n");
		return;
	}
	if (!strcmp(arg[0], "open")) {
		int flags = arg[2] && arg[3] ? mode_flags(arg[3]) : -1;

		n = atoi(arg[1]);
		if (flags < 0 || n < 0 || n >= MAX_FILES) {
			printf("error: open N PATH MODE\n");
			return;
		}
		fds[n] = open(arg[2], flags, 0644);
		if (fds[n] < 0)
			answer_errno("open");
		else
			printf("ok\n");
		return;
	}
	fd = slot_fd(arg[1]);
	if (fd < 0)
		return;
	if (!strcmp(arg[0], "write") && arg[2] && !arg[3]) {
		do_write(fd, 0, arg[2], 0);
	} else if (!strcmp(arg[0], "pwrite") && arg[3]) {
		do_write(fd, atoll(arg[2]), arg[3], 1);
	} else if (!strcmp(arg[0], "read") && arg[3]) {
		do_read(fd, atoll(arg[2]), strtoul(arg[3], NULL, 10));
	} else if (!strcmp(arg[0], "fsync")) {
		if (fsync(fd))
			answer_errno("fsync");
		else
			printf("ok\n");
	} else if (!strcmp(arg[0], "close")) {
		n = atoi(arg[1]);
		fds[n] = -1;
		if (close(fd))
			answer_errno("close");
		else
			printf("ok\n");
	} else {
		printf("error: unknown command %s\n", arg[0]);
	}
}

int main(void)
{
	char line[4096];
	int i;

	for (i = 0; i < MAX_FILES; i++)
		fds[i] = -1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = '\0';
		run(line);
	}
	return 0;
}
