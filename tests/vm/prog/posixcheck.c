// SPDX-License-Identifier: GPL-2.0
/*
 * posixcheck DIR: what a list of POSIX corner cases does in DIR, for
 * comparing an rnfs mount with the filesystem it stands for (a plain NFS
 * mount, or a local one): the same output means the same behaviour.
 *
 * DIR must exist and be empty.  Every check runs in a directory of its
 * own, DIR/NAME, and prints one line
 *	NAME: RESULT
 * RESULT says what happened, with nothing that changes from run to run
 * (no times, inode numbers or file handles): "ok" for a call that
 * succeeded, the errno name (EEXIST) for one that failed, values such as
 * nlink=2 or content=abc, several of them space-separated.  A step that
 * only prepares a check and fails is shown as "OP PATH: ERRNO" and ends
 * that check.  Exit status 0 when every check ran, whatever its result;
 * 1 when DIR is not usable (missing, not empty, or a check's directory
 * cannot be made); 2 for bad usage.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define RES_LEN		512
#define SHOW_MAX	64	/* bytes of content shown */

struct check {
	const char *name;
	void (*fn)(void);
};

static char res[RES_LEN];
static size_t res_len;

/* Add one item to the result, space-separated. */
static __attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (res_len && res_len < RES_LEN - 1)
		res[res_len++] = ' ';
	va_start(ap, fmt);
	n = vsnprintf(res + res_len, RES_LEN - res_len, fmt, ap);
	va_end(ap);
	if (n > 0)
		res_len += (size_t)n < RES_LEN - res_len ? (size_t)n
			   : RES_LEN - res_len - 1;
}

static const char *errname(int err)
{
	static char unknown[16];
	const char *s = strerrorname_np(err);

	if (s)
		return s;
	snprintf(unknown, sizeof(unknown), "E%d", err);
	return unknown;
}

/* The result of the call under test: "ok" or its errno name. */
static bool said(long ret)
{
	say("%s", ret < 0 ? errname(errno) : "ok");
	return ret >= 0;
}

/* As said(), labelled. */
static bool said_as(const char *label, long ret)
{
	say("%s=%s", label, ret < 0 ? errname(errno) : "ok");
	return ret >= 0;
}

/* An open under test: the descriptor is not needed. */
static void said_open(int fd)
{
	if (said(fd))
		close(fd);
}

/* A step that only prepares the check: false ends the check. */
static bool prep(long ret, const char *op, const char *path)
{
	if (ret >= 0)
		return true;
	say("%s %s: %s", op, path, errname(errno));
	return false;
}

static bool mkfile(const char *path, const char *data)
{
	size_t len = strlen(data);
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (!prep(fd, "create", path))
		return false;
	if (!prep(write(fd, data, len) == (ssize_t)len ? 0 : -1, "write",
		  path)) {
		close(fd);
		return false;
	}
	return prep(close(fd), "close", path);
}

static bool mkdir_p(const char *path)
{
	return prep(mkdir(path, 0755), "mkdir", path);
}

/* label=CONTENT (its first SHOW_MAX bytes, up to a NUL), or label=ERRNO. */
static void say_content(const char *label, const char *path)
{
	char buf[SHOW_MAX];
	ssize_t n = -1;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf));
		close(fd);
	}
	if (n < 0)
		say("%s=%s", label, errname(errno));
	else
		say("%s=%.*s", label, (int)n, buf);
}

static const char *type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:	return "reg";
	case S_IFDIR:	return "dir";
	case S_IFLNK:	return "link";
	case S_IFIFO:	return "fifo";
	case S_IFCHR:	return "chr";
	case S_IFBLK:	return "blk";
	case S_IFSOCK:	return "sock";
	}
	return "?";
}

/* lstat @path for a check: false (said) when it fails. */
static bool stat_as(const char *label, const char *path, struct stat *st)
{
	if (!lstat(path, st))
		return true;
	say("%s=%s", label, errname(errno));
	return false;
}

static void say_size(const char *path)
{
	struct stat st;

	if (stat_as("size", path, &st))
		say("size=%lld", (long long)st.st_size);
}

/* zeros=yes when bytes [from, to) of @path are all zero. */
static void say_zeros(const char *path, off_t from, off_t to)
{
	char buf[4096];
	ssize_t n = 0;
	off_t off;
	int fd, i;

	fd = open(path, O_RDONLY);
	if (!prep(fd, "open", path))
		return;
	for (off = from; off < to; off += n) {
		n = pread(fd, buf, to - off < (off_t)sizeof(buf) ? to - off
			  : (off_t)sizeof(buf), off);
		if (n <= 0)
			break;
		for (i = 0; i < n && !buf[i]; i++)
			;
		if (i < n) {
			say("zeros=no(offset %lld)", (long long)(off + i));
			close(fd);
			return;
		}
	}
	if (n < 0)
		say("zeros=%s", errname(errno));
	else if (off < to)
		say("zeros=short(%lld)", (long long)off);
	else
		say("zeros=yes");
	close(fd);
}

/* The checks, in the order they run. */

static void c_excl_existing(void)
{
	if (mkfile("a", "x"))
		said_open(open("a", O_WRONLY | O_CREAT | O_EXCL, 0644));
}

static void c_creat_keeps(void)
{
	if (!mkfile("a", "hello"))
		return;
	said_open(open("a", O_WRONLY | O_CREAT, 0644));
	say_content("content", "a");
}

static void c_o_trunc(void)
{
	if (!mkfile("a", "hello"))
		return;
	said_open(open("a", O_WRONLY | O_TRUNC));
	say_size("a");
}

static void c_append_after_lseek(void)
{
	int fd;

	if (!mkfile("a", "abc"))
		return;
	fd = open("a", O_WRONLY | O_APPEND);
	if (!prep(fd, "open", "a"))
		return;
	if (prep(lseek(fd, 0, SEEK_SET), "lseek", "a") &&
	    said_as("write", write(fd, "XY", 2)))
		say("pos=%lld", (long long)lseek(fd, 0, SEEK_CUR));
	close(fd);
	say_content("content", "a");
}

static void c_write_read_fds(void)
{
	char buf[SHOW_MAX];
	int fd, fd2;
	ssize_t n;

	fd = open("a", O_RDWR | O_CREAT, 0644);
	if (!prep(fd, "create", "a"))
		return;
	fd2 = open("a", O_RDONLY);
	if (prep(fd2, "open", "a") && said_as("write", write(fd, "data", 4))) {
		n = read(fd2, buf, sizeof(buf));
		if (n < 0)
			say("read=%s", errname(errno));
		else
			say("read=%.*s", (int)n, buf);
	}
	if (fd2 >= 0)
		close(fd2);
	close(fd);
}

/* Entries in the current directory but "." and "..". */
static int count_entries(void)
{
	DIR *d = opendir(".");
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return n;
}

static void c_unlink_open(void)
{
	char buf[SHOW_MAX];
	struct stat st;
	int fd, fd2;
	ssize_t n;

	fd = open("a", O_RDWR | O_CREAT, 0644);
	if (!prep(fd, "create", "a"))
		return;
	if (prep(write(fd, "keep", 4), "write", "a") &&
	    said_as("unlink", unlink("a"))) {
		fd2 = open("a", O_RDONLY);
		if (said_as("open", fd2))
			close(fd2);
		n = pread(fd, buf, sizeof(buf), 0);
		if (n < 0)
			say("read=%s", errname(errno));
		else
			say("read=%.*s", (int)n, buf);
		if (fstat(fd, &st))
			say("fstat=%s", errname(errno));
		else
			say("nlink=%lu", (unsigned long)st.st_nlink);
		/* NFS keeps it as .nfsXXXX while open */
		say("entries=%d", count_entries());
	}
	close(fd);
	/*
	 * NFS removes its .nfsXXXX asynchronously once the last user of the
	 * file is gone: give it two seconds to disappear.
	 */
	for (n = 0; n < 20 && count_entries() > 0; n++)
		usleep(100 * 1000);
	say("entries_after_close=%d", count_entries());
}

static void c_rename_over_file(void)
{
	if (!mkfile("a", "A") || !mkfile("b", "B"))
		return;
	said(rename("a", "b"));
	say_content("b", "b");
	say_content("a", "a");
}

static void c_rename_self(void)
{
	if (!mkfile("a", "A"))
		return;
	said(rename("a", "a"));
	say_content("a", "a");
}

/* POSIX: two links to one file: rename does nothing. */
static void c_rename_hardlinks(void)
{
	if (!mkfile("a", "A") || !prep(link("a", "b"), "link", "a"))
		return;
	said(rename("a", "b"));
	say_content("a", "a");
	say_content("b", "b");
}

static void c_rename_dir_over_empty_dir(void)
{
	if (!mkdir_p("d1") || !mkfile("d1/f", "F") || !mkdir_p("d2"))
		return;
	said(rename("d1", "d2"));
	say_content("d1/f", "d1/f");
	say_content("d2/f", "d2/f");
}

static void c_rename_dir_over_nonempty_dir(void)
{
	if (!mkdir_p("d1") || !mkdir_p("d2") || !mkfile("d2/f", "F"))
		return;
	said(rename("d1", "d2"));
	say_content("d2/f", "d2/f");
}

static void c_rename_file_over_dir(void)
{
	if (mkfile("a", "A") && mkdir_p("d"))
		said(rename("a", "d"));
}

static void c_rename_dir_over_file(void)
{
	if (mkdir_p("d") && mkfile("a", "A"))
		said(rename("d", "a"));
}

static void c_rename_dir_into_itself(void)
{
	if (mkdir_p("d") && mkdir_p("d/sub"))
		said(rename("d", "d/sub/d"));
}

static void c_rename_noent(void)
{
	said(rename("missing", "b"));
}

static void c_noreplace_existing(void)
{
	if (!mkfile("a", "A") || !mkfile("b", "B"))
		return;
	said(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_NOREPLACE));
	say_content("a", "a");
	say_content("b", "b");
}

static void c_noreplace_free(void)
{
	if (!mkfile("a", "A"))
		return;
	said(renameat2(AT_FDCWD, "a", AT_FDCWD, "c", RENAME_NOREPLACE));
	say_content("a", "a");
	say_content("c", "c");
}

static void c_exchange(void)
{
	if (!mkfile("a", "A") || !mkfile("b", "B"))
		return;
	said(renameat2(AT_FDCWD, "a", AT_FDCWD, "b", RENAME_EXCHANGE));
	say_content("a", "a");
	say_content("b", "b");
}

static void c_link(void)
{
	struct stat sa, sb;

	if (!mkfile("a", "A") || !said(link("a", "b")))
		return;
	if (stat_as("a", "a", &sa) && stat_as("b", "b", &sb))
		say("nlink=%lu,%lu same_ino=%s", (unsigned long)sa.st_nlink,
		    (unsigned long)sb.st_nlink,
		    sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev ? "yes"
								     : "no");
	say_content("b", "b");
}

static void c_link_existing(void)
{
	if (mkfile("a", "A") && mkfile("b", "B"))
		said(link("a", "b"));
}

static void c_link_dir(void)
{
	if (mkdir_p("d"))
		said(link("d", "e"));
}

static void c_symlink(void)
{
	char buf[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (!said(symlink("../some/target", "s")))
		return;
	n = readlink("s", buf, sizeof(buf));
	if (n < 0)
		say("readlink=%s", errname(errno));
	else
		say("target=%.*s", (int)n, buf);
	if (stat_as("type", "s", &st))
		say("type=%s size=%lld", type_name(st.st_mode),
		    (long long)st.st_size);
}

static void c_symlink_existing(void)
{
	if (mkfile("a", "A"))
		said(symlink("x", "a"));
}

static void c_mkdir_existing(void)
{
	if (mkdir_p("d"))
		said(mkdir("d", 0755));
}

static void c_rmdir_nonempty(void)
{
	if (mkdir_p("d") && mkfile("d/f", "F"))
		said(rmdir("d"));
}

static void c_rmdir_file(void)
{
	if (mkfile("a", "A"))
		said(rmdir("a"));
}

static void c_unlink_dir(void)
{
	if (mkdir_p("d"))
		said(unlink("d"));
}

static void c_unlink_noent(void)
{
	said(unlink("missing"));
}

static void c_open_dir_write(void)
{
	if (mkdir_p("d"))
		said_open(open("d", O_WRONLY));
}

static void c_o_directory_file(void)
{
	if (mkfile("a", "A"))
		said_open(open("a", O_RDONLY | O_DIRECTORY));
}

static void c_mkfifo(void)
{
	struct stat st;

	if (said(mkfifo("p", 0644)) && stat_as("type", "p", &st))
		say("type=%s", type_name(st.st_mode));
}

static void c_truncate_grow(void)
{
	if (!mkfile("a", "abc") || !said(truncate("a", 10000)))
		return;
	say_size("a");
	say_content("head", "a");
	say_zeros("a", 3, 10000);
}

static void c_truncate_shrink(void)
{
	if (!mkfile("a", "abcdef") || !said(truncate("a", 2)))
		return;
	say_size("a");
	say_content("content", "a");
}

static void c_chmod(void)
{
	struct stat st;

	if (mkfile("a", "A") && said(chmod("a", 0640)) &&
	    stat_as("mode", "a", &st))
		say("mode=%04o", st.st_mode & 07777);
}

static void c_utimensat(void)
{
	const struct timespec ts[2] = { { 1000000000, 0 }, { 1234567890, 0 } };
	struct stat st;

	if (mkfile("a", "A") && said(utimensat(AT_FDCWD, "a", ts, 0)) &&
	    stat_as("times", "a", &st))
		say("atime=%lld mtime=%lld", (long long)st.st_atime,
		    (long long)st.st_mtime);
}

static void c_ftruncate_rdonly(void)
{
	int fd;

	if (!mkfile("a", "abc"))
		return;
	fd = open("a", O_RDONLY);
	if (!prep(fd, "open", "a"))
		return;
	said(ftruncate(fd, 0));
	close(fd);
	say_size("a");
}

static void c_write_rdonly(void)
{
	int fd;

	if (!mkfile("a", "abc"))
		return;
	fd = open("a", O_RDONLY);
	if (!prep(fd, "open", "a"))
		return;
	said(write(fd, "x", 1));
	close(fd);
	say_content("content", "a");
}

static void c_pwrite_hole(void)
{
	int fd;

	if (!mkfile("a", "x"))
		return;
	fd = open("a", O_WRONLY);
	if (!prep(fd, "open", "a"))
		return;
	said(pwrite(fd, "y", 1, 65541));
	close(fd);
	say_size("a");
	say_zeros("a", 1, 65541);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void c_readdir(void)
{
	char *names[8], list[64] = "";
	struct dirent *de;
	int i, n = 0;
	DIR *d;

	if (!mkdir_p("d") || !mkfile("d/c", "") || !mkfile("d/a", "") ||
	    !mkfile("d/b", ""))
		return;
	d = opendir("d");
	if (!prep(d ? 0 : -1, "opendir", "d"))
		return;
	while ((de = readdir(d)) && n < 8)
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			names[n++] = strdup(de->d_name);
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
			 "%s%s", i ? "," : "", names[i]);
		free(names[i]);
	}
	say("names=%s", list);
}

static void c_chown_same(void)
{
	struct stat st, st2;

	if (!mkfile("a", "A") || !prep(lstat("a", &st), "stat", "a") ||
	    !said(chown("a", st.st_uid, st.st_gid)))
		return;
	if (stat_as("owner", "a", &st2))
		say("owner=%s", st.st_uid == st2.st_uid &&
				st.st_gid == st2.st_gid ? "same" : "changed");
}

static void c_mknod_reg(void)
{
	struct stat st;

	if (said(mknod("n", S_IFREG | 0644, 0)) && stat_as("type", "n", &st))
		say("type=%s size=%lld", type_name(st.st_mode),
		    (long long)st.st_size);
}

static void c_creat_missing_dir(void)
{
	said_open(open("nodir/a", O_WRONLY | O_CREAT, 0644));
}

static void name_of_len(char *buf, size_t len)
{
	memset(buf, 'n', len);
	buf[len] = '\0';
}

static void c_name_255(void)
{
	char name[256];

	name_of_len(name, 255);
	said_open(open(name, O_WRONLY | O_CREAT, 0644));
}

static void c_name_too_long(void)
{
	char name[257];

	name_of_len(name, 256);
	said_open(open(name, O_WRONLY | O_CREAT, 0644));
}

static const struct check checks[] = {
	{ "excl_existing",		c_excl_existing },
	{ "creat_keeps",		c_creat_keeps },
	{ "o_trunc",			c_o_trunc },
	{ "append_after_lseek",		c_append_after_lseek },
	{ "write_read_fds",		c_write_read_fds },
	{ "unlink_open",		c_unlink_open },
	{ "rename_over_file",		c_rename_over_file },
	{ "rename_self",		c_rename_self },
	{ "rename_hardlinks",		c_rename_hardlinks },
	{ "rename_dir_over_empty_dir",	c_rename_dir_over_empty_dir },
	{ "rename_dir_over_nonempty_dir", c_rename_dir_over_nonempty_dir },
	{ "rename_file_over_dir",	c_rename_file_over_dir },
	{ "rename_dir_over_file",	c_rename_dir_over_file },
	{ "rename_dir_into_itself",	c_rename_dir_into_itself },
	{ "rename_noent",		c_rename_noent },
	{ "noreplace_existing",		c_noreplace_existing },
	{ "noreplace_free",		c_noreplace_free },
	{ "exchange",			c_exchange },
	{ "link",			c_link },
	{ "link_existing",		c_link_existing },
	{ "link_dir",			c_link_dir },
	{ "symlink",			c_symlink },
	{ "symlink_existing",		c_symlink_existing },
	{ "mkdir_existing",		c_mkdir_existing },
	{ "rmdir_nonempty",		c_rmdir_nonempty },
	{ "rmdir_file",			c_rmdir_file },
	{ "unlink_dir",			c_unlink_dir },
	{ "unlink_noent",		c_unlink_noent },
	{ "open_dir_write",		c_open_dir_write },
	{ "o_directory_file",		c_o_directory_file },
	{ "mkfifo",			c_mkfifo },
	{ "truncate_grow",		c_truncate_grow },
	{ "truncate_shrink",		c_truncate_shrink },
	{ "chmod",			c_chmod },
	{ "utimensat",			c_utimensat },
	{ "ftruncate_rdonly",		c_ftruncate_rdonly },
	{ "write_rdonly",		c_write_rdonly },
	{ "pwrite_hole",		c_pwrite_hole },
	{ "readdir",			c_readdir },
	{ "chown_same",			c_chown_same },
	{ "mknod_reg",			c_mknod_reg },
	{ "creat_missing_dir",		c_creat_missing_dir },
	{ "name_255",			c_name_255 },
	{ "name_too_long",		c_name_too_long },
};

#define NR_CHECKS	(sizeof(checks) / sizeof(checks[0]))

static int check_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d) {
		fprintf(stderr, "posixcheck: opendir %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			ret = 1;
	closedir(d);
	if (ret)
		fprintf(stderr, "posixcheck: %s: not empty\n", dir);
	return ret;
}

/* Run one check in DIR/NAME, with DIR the current directory. */
static int run(const struct check *c, const char *dir)
{
	if (mkdir(c->name, 0755) || chdir(c->name)) {
		fprintf(stderr, "posixcheck: mkdir/chdir %s/%s: %s\n", dir,
			c->name, strerror(errno));
		return 1;
	}
	res_len = 0;
	res[0] = '\0';
	c->fn();
	printf("%s: %s\n", c->name, res);
	fflush(stdout);
	if (chdir("..")) {
		fprintf(stderr, "posixcheck: chdir %s: %s\n", dir,
			strerror(errno));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: posixcheck DIR\n");
		return 2;
	}
	if (check_empty(argv[1]))
		return 1;
	if (chdir(argv[1])) {
		fprintf(stderr, "posixcheck: chdir %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	for (i = 0; i < NR_CHECKS; i++)
		if (run(&checks[i], argv[1]))
			return 1;
	return 0;
}
