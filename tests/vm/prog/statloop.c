// SPDX-License-Identifier: GPL-2.0
/*
 * statloop [-o] LIST SECONDS: metadata operations per second, for the
 * benchmark (runs in the lab guest).  stat() every path listed in LIST
 * (one per line) or, with -o, open() it read-only and close() it, round
 * after round over the list, until SECONDS have passed.  Prints
 *   ops=N seconds=S ops_per_sec=N errors=N max_ms=N
 * (max_ms: the slowest operation) and exits 1 if any operation failed.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NS_PER_SEC	1000000000LL
#define MAX_MESSAGES	10

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

/* The paths of @list, NULL-terminated. */
static char **read_list(const char *list, size_t *nr)
{
	char **paths = NULL, **p, *line = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;
	FILE *f;

	f = fopen(list, "r");
	if (!f)
		return NULL;
	*nr = 0;
	while ((n = getline(&line, &len, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (!n)
			continue;
		if (*nr == cap) {
			cap = cap ? 2 * cap : 1024;
			p = realloc(paths, cap * sizeof(*paths));
			if (!p)
				return NULL;
			paths = p;
		}
		paths[*nr] = strdup(line);
		if (!paths[(*nr)++])
			return NULL;
	}
	free(line);
	fclose(f);
	return paths;
}

int main(int argc, char **argv)
{
	unsigned long long ops = 0, errors = 0;
	int64_t t_start, t0, t, d, end, max = 0;
	int do_open = 0, fd, err;
	size_t nr, i;
	double seconds;
	struct stat st;
	char **paths;
	char *e;

	if (argc > 1 && !strcmp(argv[1], "-o")) {
		do_open = 1;
		argc--;
		argv++;
	}
	if (argc != 3) {
		fprintf(stderr, "usage: statloop [-o] LIST SECONDS\n");
		return 2;
	}
	seconds = strtod(argv[2], &e);
	if (*e || !(seconds > 0)) {
		fprintf(stderr, "statloop: bad SECONDS: %s\n", argv[2]);
		return 2;
	}
	paths = read_list(argv[1], &nr);
	if (!paths || !nr) {
		fprintf(stderr, "statloop: no paths in %s\n", argv[1]);
		return 2;
	}

	t_start = now_ns();
	end = t_start + (int64_t)(seconds * NS_PER_SEC);
	t = t_start;
	for (i = 0; t < end; i = (i + 1) % nr) {
		t0 = t;
		if (do_open) {
			fd = open(paths[i], O_RDONLY);
			err = fd < 0 ? errno : 0;
			if (fd >= 0 && close(fd))
				err = errno;
		} else {
			err = stat(paths[i], &st) ? errno : 0;
		}
		t = now_ns();
		d = t - t0;
		if (d > max)
			max = d;
		ops++;
		if (err && errors++ < MAX_MESSAGES)
			printf("statloop: %s %s: %s\n", do_open ? "open" : "stat",
			       paths[i], strerror(err));
	}
	d = t - t_start;
	printf("ops=%llu seconds=%.2f ops_per_sec=%.0f errors=%llu max_ms=%lld\n",
	       ops, (double)d / NS_PER_SEC, ops * (double)NS_PER_SEC / d,
	       errors, (long long)(max / 1000000));
	return errors ? 1 : 0;
}
