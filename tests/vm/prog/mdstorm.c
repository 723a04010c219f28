// SPDX-License-Identifier: GPL-2.0
/*
 * mdstorm: a storm of metadata operations, run across a failover, that
 * must leave exactly the tree it meant to leave: no operation lost, none
 * done twice (a replayed rename or unlink would fail, or remove what a
 * later operation made), every name, link count and content in place.
 *
 *   mdstorm run DIR SEED MANIFEST
 *	In DIR (which must exist and be empty) make 10 directories of 10
 *	directories of 50 files each (5000 files, 0-600 bytes of content
 *	derived from the file's first name and SEED, written with one
 *	write()), then rename half of them (in their directory, to another
 *	one, and every 25th over an existing file), rename 3 directories to
 *	another parent and one top directory, make 300 hard links (most of
 *	them to another directory), unlink a quarter of the files' names,
 *	make 300 symbolic links with relative targets, make 100 empty
 *	directories, remove half of them again, move 5 and rename one over
 *	another.  Every call must succeed: the first that fails is printed
 *	and mdstorm exits with status 1.  Then MANIFEST gets the tree that
 *	DIR should now hold, and the last line printed is
 *	  ops=N max_stall_ms=N elapsed_ms=N
 *	ops counts the calls made in DIR, max_stall_ms is the longest of
 *	them (CLOCK_MONOTONIC).
 *
 *   mdstorm scan DIR OUT
 *	Write to OUT the manifest of the tree that DIR actually holds (the
 *	same names, seen through another mount or on the server's own
 *	filesystem), so that cmp MANIFEST OUT proves the two equal.
 *
 * A manifest has one line per entry below DIR, sorted by path (strcmp),
 * paths relative to DIR:
 *	PATH f SIZE NLINK HASH	a regular file (HASH: FNV-1a 64 of its
 *				content, 16 hex digits)
 *	PATH d			a directory
 *	PATH l TARGET		a symbolic link
 *	PATH ? MODE		anything else (octal st_mode)
 * Exit status 0 when all went well, 1 on a failed call, 2 for bad usage.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TOPS		10
#define SUBS		10
#define FILES_PER	50
#define NFILES		(TOPS * SUBS * FILES_PER)
#define NLEAVES		(TOPS * SUBS)
#define MAX_CONTENT	600
#define NRENAMES	(NFILES / 2)
#define REPLACE_EVERY	25
#define NUNLINKS	(NFILES / 4)
#define NLINKS		300
#define NSYMLINKS	300
#define NDIRMOVES	3
#define NEMPTY		100
#define NEMPTYMOVES	5
#define MAXNODES	(TOPS + NLEAVES + NFILES + NLINKS + NSYMLINKS + NEMPTY)

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL
#define NS_PER_MS	1000000LL
#define NS_PER_SEC	1000000000LL

enum { T_FILE, T_DIR, T_LINK };

/* What a regular file should hold; hard links share one. */
struct ino {
	uint64_t hash;
	unsigned int size;
	unsigned int nlink;
};

/* One name in the expected tree. */
struct node {
	char *path;		/* relative to DIR */
	char *target;		/* T_LINK */
	struct ino *ino;	/* T_FILE */
	int type;
	bool dead;
};

/* One manifest line: PATH, then the rest. */
struct entry {
	char *path;
	char *rest;
};

static struct node nodes[MAXNODES];
static struct ino inos[NFILES];
static size_t nnodes, ninos;
static size_t tops[TOPS];
static size_t leaves[NLEAVES];		/* the directories files go in */
static size_t empties[NEMPTY];

static const char *root_path;
static int root_fd;
static uint64_t rng_state;
static unsigned int fresh;		/* numbers new names */
static unsigned long ops;
static int64_t max_stall, call_start;

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

static __attribute__((noreturn)) void die(const char *op, const char *path,
					  int err)
{
	printf("mdstorm: %s %s: %s\n", op, path, strerror(err));
	exit(1);
}

/* A call in DIR failed: paths are relative to DIR. */
static __attribute__((noreturn)) void fail(const char *op, const char *path,
					   const char *path2, int err)
{
	if (path2)
		printf("mdstorm: %s %s/%s -> %s/%s: %s\n", op, root_path, path,
		       root_path, path2, strerror(err));
	else
		printf("mdstorm: %s %s/%s: %s\n", op, root_path, path,
		       strerror(err));
	exit(1);
}

static __attribute__((format(printf, 1, 2))) char *xasprintf(const char *fmt,
							    ...)
{
	va_list ap;
	char *s;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (ret < 0)
		die("asprintf", fmt, ENOMEM);
	return s;
}

/*
 * SYS(call, op, path, path2): make one call in DIR, timed; any failure
 * ends the run.  The comma operator starts the clock before the call.
 */
static long sys_end(long ret, const char *op, const char *path,
		    const char *path2)
{
	int err = errno;
	int64_t d = now_ns() - call_start;

	ops++;
	if (d > max_stall)
		max_stall = d;
	if (ret < 0)
		fail(op, path, path2, err);
	return ret;
}

#define SYS(call, op, path, path2) \
	(call_start = now_ns(), sys_end((call), op, path, path2))

/* xorshift64*: SEED decides every choice, so a run can be repeated. */
static uint64_t rnd_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* A non-zero xorshift state from any seed (splitmix64). */
static uint64_t rnd_seed(uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}

static unsigned int below(unsigned int n)
{
	return rnd_next(&rng_state) % n;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t len)
{
	const unsigned char *c = p;

	while (len--)
		h = (h ^ *c++) * FNV_PRIME;
	return h;
}

static size_t add_node(char *path, int type)
{
	struct node *n = &nodes[nnodes];

	n->path = path;
	n->type = type;
	return nnodes++;
}

/* The directory part of @path has length @len. */
static size_t dir_len(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? (size_t)(slash - path) : 0;
}

static bool in_dir(const char *path, const char *dir)
{
	size_t len = dir_len(path);

	return len == strlen(dir) && !strncmp(path, dir, len);
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* A name no other operation uses, in directory @dir. */
static char *new_name(const char *dir, char prefix)
{
	return xasprintf("%s/%c%u", dir, prefix, fresh++);
}

static size_t pick_file(void)
{
	size_t i;

	do
		i = below(nnodes);
	while (nodes[i].dead || nodes[i].type != T_FILE);
	return i;
}

static const char *pick_leaf(void)
{
	return nodes[leaves[below(NLEAVES)]].path;
}

/* A leaf directory other than the one holding @path. */
static const char *pick_other_leaf(const char *path)
{
	const char *dir;

	do
		dir = pick_leaf();
	while (in_dir(path, dir));
	return dir;
}

static void make_dir(char *path)
{
	SYS(mkdirat(root_fd, path, 0755), "mkdir", path, NULL);
	add_node(path, T_DIR);
}

/* A file whose content comes from its name and the seed. */
static void create_file(char *path, uint64_t seed)
{
	unsigned char buf[MAX_CONTENT];
	uint64_t s = rnd_seed(fnv1a(FNV_OFFSET, path, strlen(path)) ^ seed);
	struct ino *ino = &inos[ninos++];
	size_t i, len = rnd_next(&s) % (MAX_CONTENT + 1);
	int fd;

	for (i = 0; i < len; i++)
		buf[i] = rnd_next(&s) >> 56;
	fd = SYS(openat(root_fd, path, O_WRONLY | O_CREAT | O_EXCL, 0644),
		 "open", path, NULL);
	if (len && SYS(write(fd, buf, len), "write", path, NULL) != (long)len)
		fail("write (short)", path, NULL, EIO);
	SYS(close(fd), "close", path, NULL);
	ino->hash = fnv1a(FNV_OFFSET, buf, len);
	ino->size = len;
	ino->nlink = 1;
	nodes[add_node(path, T_FILE)].ino = ino;
}

/* Rename node @i to @to; @victim (or -1) is the file @to replaces. */
static void move(size_t i, char *to, long victim)
{
	struct node *n = &nodes[i];

	SYS(renameat(root_fd, n->path, root_fd, to), "rename", n->path, to);
	if (victim >= 0) {
		nodes[victim].dead = true;
		if (nodes[victim].ino)
			nodes[victim].ino->nlink--;
	}
	free(n->path);
	n->path = to;
}

/* Rename directory @i to @to, and so everything below it. */
static void move_dir(size_t i, char *to, long victim)
{
	char *from = xasprintf("%s/", nodes[i].path);
	size_t j, len = strlen(from);
	char *path;

	move(i, to, victim);
	for (j = 0; j < nnodes; j++) {
		if (nodes[j].dead || strncmp(nodes[j].path, from, len))
			continue;
		path = xasprintf("%s/%s", to, nodes[j].path + len);
		free(nodes[j].path);
		nodes[j].path = path;
	}
	free(from);
}

static void remove_name(size_t i)
{
	struct node *n = &nodes[i];

	if (n->type == T_DIR) {
		SYS(unlinkat(root_fd, n->path, AT_REMOVEDIR), "rmdir", n->path,
		    NULL);
	} else {
		SYS(unlinkat(root_fd, n->path, 0), "unlink", n->path, NULL);
		if (n->ino)
			n->ino->nlink--;
	}
	n->dead = true;
}

static void hard_link(size_t i, char *to)
{
	struct node *n = &nodes[i];
	size_t j;

	SYS(linkat(root_fd, n->path, root_fd, to, 0), "link", n->path, to);
	j = add_node(to, T_FILE);
	nodes[j].ino = nodes[i].ino;
	nodes[j].ino->nlink++;
}

/* The relative path from directory @from to @to. */
static char *relpath(const char *from, const char *to)
{
	size_t i, common = 0, up = 0;
	char *s, *p;

	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i + 1;
	if (!from[i] && to[i] == '/')
		common = i + 1;
	if (from[common])
		for (up = 1, i = common; from[i]; i++)
			up += from[i] == '/';
	s = malloc(3 * up + strlen(to + common) + 1);
	if (!s)
		die("malloc", to, ENOMEM);
	for (p = s; up; up--, p += 3)
		memcpy(p, "../", 3);
	strcpy(p, to + common);
	return s;
}

static void sym_link(char *target, char *path)
{
	size_t i;

	SYS(symlinkat(target, root_fd, path), "symlink", path, NULL);
	i = add_node(path, T_LINK);
	nodes[i].target = target;
}

static void phase_create(uint64_t seed)
{
	int t, s, f;

	for (t = 0; t < TOPS; t++) {
		tops[t] = nnodes;
		make_dir(xasprintf("d%d", t));
		for (s = 0; s < SUBS; s++) {
			leaves[t * SUBS + s] = nnodes;
			make_dir(xasprintf("d%d/s%d", t, s));
			for (f = 0; f < FILES_PER; f++)
				create_file(xasprintf("d%d/s%d/f%d", t, s, f),
					    seed);
		}
	}
}

/* Same directory, another one, or over an existing file. */
static void phase_rename(void)
{
	const char *dir;
	size_t i, v;
	char *path;
	int r;

	for (r = 0; r < NRENAMES; r++) {
		i = pick_file();
		path = nodes[i].path;
		if (r % REPLACE_EVERY == 0) {
			do
				v = pick_file();
			while (nodes[v].ino == nodes[i].ino);
			move(i, xasprintf("%s", nodes[v].path), v);
			continue;
		}
		dir = below(2) ? pick_other_leaf(path) : NULL;
		if (dir)
			move(i, new_name(dir, 'r'), -1);
		else
			move(i, xasprintf("%.*s/r%u", (int)dir_len(path), path,
					  fresh++), -1);
	}
}

/* Move leaf directories to another top directory, rename a top one. */
static void phase_dirs(void)
{
	const char *top;
	size_t i;
	int d;

	for (d = 0; d < NDIRMOVES; d++) {
		i = leaves[below(NLEAVES)];
		do
			top = nodes[tops[below(TOPS)]].path;
		while (in_dir(nodes[i].path, top));
		move_dir(i, new_name(top, 'm'), -1);
	}
	move_dir(tops[below(TOPS)], xasprintf("t%u", fresh++), -1);
}

static void phase_link(void)
{
	size_t i;
	int l;

	for (l = 0; l < NLINKS; l++) {
		i = pick_file();
		if (l % 4 == 0)
			hard_link(i, xasprintf("%.*s/h%u",
					       (int)dir_len(nodes[i].path),
					       nodes[i].path, fresh++));
		else
			hard_link(i, new_name(pick_other_leaf(nodes[i].path),
					      'h'));
	}
}

static void phase_unlink(void)
{
	int u;

	for (u = 0; u < NUNLINKS; u++)
		remove_name(pick_file());
}

/* Links to files beside them, to files elsewhere, and to directories. */
static void phase_symlink(void)
{
	const char *dir, *to;
	char *path;
	int l;

	for (l = 0; l < NSYMLINKS; l++) {
		to = l % 10 ? nodes[pick_file()].path : pick_leaf();
		if (l % 3 == 0) {
			path = xasprintf("%.*s/y%u", (int)dir_len(to), to,
					 fresh++);
			sym_link(xasprintf("%s", base_name(to)), path);
			continue;
		}
		dir = pick_leaf();
		sym_link(relpath(dir, to), new_name(dir, 'y'));
	}
}

/* mkdir, rmdir, rename of empty directories, one over another. */
static void phase_empty(void)
{
	size_t i, v;
	int e;

	for (e = 0; e < NEMPTY; e++) {
		empties[e] = nnodes;
		make_dir(new_name(pick_leaf(), 'e'));
	}
	for (e = 0; e < NEMPTY / 2; e++) {
		do
			i = empties[below(NEMPTY)];
		while (nodes[i].dead);
		remove_name(i);
	}
	for (e = 0; e <= NEMPTYMOVES; e++) {
		do
			i = empties[below(NEMPTY)];
		while (nodes[i].dead);
		if (e < NEMPTYMOVES) {
			move(i, new_name(pick_other_leaf(nodes[i].path), 'e'),
			     -1);
			continue;
		}
		do
			v = empties[below(NEMPTY)];
		while (nodes[v].dead || v == i);
		move(i, xasprintf("%s", nodes[v].path), v);
	}
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path,
		      ((const struct entry *)b)->path);
}

static int write_manifest(const char *out, struct entry *e, size_t n)
{
	FILE *f = fopen(out, "w");
	size_t i;

	if (!f) {
		printf("mdstorm: open %s: %s\n", out, strerror(errno));
		return 1;
	}
	qsort(e, n, sizeof(*e), cmp_entry);
	for (i = 0; i < n; i++)
		fprintf(f, "%s %s\n", e[i].path, e[i].rest);
	if (ferror(f) | fclose(f)) {
		printf("mdstorm: write %s: %s\n", out, strerror(errno));
		return 1;
	}
	return 0;
}

static char *node_rest(const struct node *n)
{
	if (n->type == T_DIR)
		return xasprintf("d");
	if (n->type == T_LINK)
		return xasprintf("l %s", n->target);
	return xasprintf("f %u %u %016" PRIx64, n->ino->size, n->ino->nlink,
			 n->ino->hash);
}

static int check_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d) {
		printf("mdstorm: opendir %s: %s\n", dir, strerror(errno));
		return 1;
	}
	errno = 0;
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			ret = 1;
	if (errno) {
		printf("mdstorm: readdir %s: %s\n", dir, strerror(errno));
		ret = 1;
	} else if (ret) {
		printf("mdstorm: %s: not empty\n", dir);
	}
	closedir(d);
	return ret;
}

static int run(const char *dir, uint64_t seed, const char *out)
{
	static struct entry e[MAXNODES];
	int64_t t_start = now_ns();
	size_t i, n = 0;

	if (check_empty(dir))
		return 1;
	root_fd = open(dir, O_RDONLY | O_DIRECTORY);
	if (root_fd < 0)
		die("open", dir, errno);
	rng_state = rnd_seed(seed);
	phase_create(seed);
	phase_rename();
	phase_dirs();
	phase_link();
	phase_unlink();
	phase_symlink();
	phase_empty();
	close(root_fd);

	for (i = 0; i < nnodes; i++) {
		if (nodes[i].dead)
			continue;
		e[n].path = nodes[i].path;
		e[n++].rest = node_rest(&nodes[i]);
	}
	if (write_manifest(out, e, n))
		return 1;
	printf("ops=%lu max_stall_ms=%lld elapsed_ms=%lld\n", ops,
	       (long long)(max_stall / NS_PER_MS),
	       (long long)((now_ns() - t_start) / NS_PER_MS));
	return 0;
}

/* scan: what DIR actually holds. */

static struct entry *found;
static size_t nfound, found_cap;

static void add_found(char *path, char *rest)
{
	if (nfound == found_cap) {
		found_cap = found_cap ? 2 * found_cap : 1024;
		found = realloc(found, found_cap * sizeof(*found));
		if (!found)
			die("realloc", path, ENOMEM);
	}
	found[nfound].path = path;
	found[nfound++].rest = rest;
}

/* "f SIZE NLINK HASH" for the file @name in @dfd (@path for messages). */
static char *scan_file(int dfd, const char *name, const char *path,
		       const struct stat *st)
{
	static unsigned char buf[65536];
	uint64_t h = FNV_OFFSET;
	ssize_t n;
	int fd;

	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		die("open", path, errno);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		h = fnv1a(h, buf, n);
	if (n < 0)
		die("read", path, errno);
	close(fd);
	return xasprintf("f %lld %lu %016" PRIx64, (long long)st->st_size,
			 (unsigned long)st->st_nlink, h);
}

static void scan_dir(int dfd, const char *rel, const char *full)
{
	DIR *d = fdopendir(dfd);
	char target[PATH_MAX];
	struct dirent *de;
	char *path, *fpath;
	struct stat st;
	ssize_t n;
	int fd;

	if (!d)
		die("opendir", full, errno);
	while ((errno = 0, de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = rel ? xasprintf("%s/%s", rel, de->d_name)
			   : xasprintf("%s", de->d_name);
		fpath = xasprintf("%s/%s", full, de->d_name);
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW))
			die("stat", fpath, errno);
		if (S_ISREG(st.st_mode)) {
			add_found(path, scan_file(dfd, de->d_name, fpath, &st));
		} else if (S_ISLNK(st.st_mode)) {
			n = readlinkat(dfd, de->d_name, target,
				       sizeof(target) - 1);
			if (n < 0)
				die("readlink", fpath, errno);
			add_found(path, xasprintf("l %.*s", (int)n, target));
		} else if (S_ISDIR(st.st_mode)) {
			add_found(path, xasprintf("d"));
			fd = openat(dfd, de->d_name,
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
			if (fd < 0)
				die("open", fpath, errno);
			scan_dir(fd, path, fpath);
		} else {
			add_found(path, xasprintf("? %o", st.st_mode));
		}
		free(fpath);
	}
	if (errno)
		die("readdir", full, errno);
	closedir(d);
}

static int scan(const char *dir, const char *out)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
		die("open", dir, errno);
	scan_dir(fd, NULL, dir);
	return write_manifest(out, found, nfound);
}

static int usage(void)
{
	fprintf(stderr, "usage: mdstorm run DIR SEED MANIFEST\n"
			"       mdstorm scan DIR OUT\n");
	return 2;
}

int main(int argc, char **argv)
{
	uint64_t seed;
	char *e;

	if (argc == 5 && !strcmp(argv[1], "run")) {
		seed = strtoull(argv[3], &e, 0);
		if (*e || !*argv[3])
			return usage();
		root_path = argv[2];
		return run(argv[2], seed, argv[4]);
	}
	if (argc == 4 && !strcmp(argv[1], "scan"))
		return scan(argv[2], argv[3]);
	return usage();
}
