// SPDX-License-Identifier: GPL-2.0
/* usr/lib/mountinfo.c: finding the rnfs mounts in a mountinfo file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/sysmacros.h>

#include "unit.h"
#include "mountinfo.h"

/*
 * Lines as the kernel writes them, rnfs and other, with the cases a
 * naive parser gets wrong: escaped blanks, several or no optional
 * fields, an fstype that only starts with "rnfs", a source that is empty.
 */
static const char fixture[] =
	"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	"40 22 0:42 / /usr ro,relatime shared:7 - rnfs 10.0.0.1:/install "
		"ro,replicas=/install@10.0.0.1:/install@10.0.0.2,vers=4.2,"
		"timeo=1,retrans=3,active=10.0.0.2\n"
	"41 22 0:43 / /my\\040data\\011dir rw shared:8 master:2 "
		"propagate_from:1 - rnfs sn1:/a\\134b rw,active=none\n"
	"42 22 0:44 / /nfs rw - nfs4 sn1:/x rw,vers=4.2\n"
	"43 22 0:45 / /not-rnfs rw - rnfsx sn1:/x rw\n"
	"44 22 0:46 / /rnfs-lookalike rw - fuse.rnfs sn1:/x rw\n"
	"45 22 259:1048575 / /big\\012line rw - rnfs  rw\n"
	"46 22 0:47 / /broken rw shared:9\n";

static char fixture_path[] = "/tmp/rnfs-unit-mountinfo.XXXXXX";
static struct rnfs_mountinfo *list;
static size_t count;

static int write_fixture(void)
{
	int fd = mkstemp(fixture_path);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, fixture, sizeof(fixture) - 1);
	close(fd);
	return n == (ssize_t)sizeof(fixture) - 1 ? 0 : -1;
}

static void read_fixture(void)
{
	CU_ASSERT_EQUAL_FATAL(write_fixture(), 0);
	CU_ASSERT_EQUAL_FATAL(rnfs_mountinfo_read(fixture_path, &list,
						  &count), 0);
	unlink(fixture_path);
	strcpy(fixture_path, "/tmp/rnfs-unit-mountinfo.XXXXXX");
}

static void done(void)
{
	rnfs_mountinfo_free(list, count);
	list = NULL;
	count = 0;
}

static void only_rnfs_entries(void)
{
	read_fixture();
	CU_ASSERT_EQUAL(count, 3);
	done();
}

static void plain_entry(void)
{
	const struct rnfs_mountinfo *e;

	read_fixture();
	e = rnfs_mountinfo_find(list, count, makedev(0, 42));
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->mountpoint, "/usr");
	CU_ASSERT_STRING_EQUAL(e->source, "10.0.0.1:/install");
	CU_ASSERT_STRING_EQUAL(e->mount_opts, "ro,relatime");
	CU_ASSERT_STRING_EQUAL(e->super_opts,
		"ro,replicas=/install@10.0.0.1:/install@10.0.0.2,vers=4.2,"
		"timeo=1,retrans=3,active=10.0.0.2");
	done();
}

static void escapes_and_optional_fields(void)
{
	const struct rnfs_mountinfo *e;

	read_fixture();
	e = rnfs_mountinfo_find(list, count, makedev(0, 43));
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_STRING_EQUAL(e->mountpoint, "/my data\tdir");
	CU_ASSERT_STRING_EQUAL(e->source, "sn1:/a\\b");
	CU_ASSERT_STRING_EQUAL(e->mount_opts, "rw");
	CU_ASSERT_STRING_EQUAL(e->super_opts, "rw,active=none");
	done();
}

/* Majors and minors past 8 bits use the split st_dev encoding. */
static void big_dev_empty_source(void)
{
	const struct rnfs_mountinfo *e;

	read_fixture();
	e = rnfs_mountinfo_find(list, count, makedev(259, 1048575));
	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CU_ASSERT_EQUAL(e->dev, 0xfff103ffu);
	CU_ASSERT_STRING_EQUAL(e->mountpoint, "/big\nline");
	CU_ASSERT_STRING_EQUAL(e->source, "");
	CU_ASSERT_STRING_EQUAL(e->super_opts, "rw");
	done();
}

static void not_found(void)
{
	read_fixture();
	CU_ASSERT_PTR_NULL(rnfs_mountinfo_find(list, count, makedev(0, 44)));
	CU_ASSERT_PTR_NULL(rnfs_mountinfo_find(list, count, makedev(0, 45)));
	CU_ASSERT_PTR_NULL(rnfs_mountinfo_find(list, count, makedev(8, 1)));
	done();
}

static void missing_file(void)
{
	CU_ASSERT_EQUAL(rnfs_mountinfo_read("/nonexistent/mountinfo", &list,
					    &count), -ENOENT);
}

/* Whatever this process sees, reading the real file must work. */
static void proc_self(void)
{
	CU_ASSERT_EQUAL(rnfs_mountinfo_read(NULL, &list, &count), 0);
	done();
}

static const struct unit_test tests[] = {
	{ "only_rnfs_entries", only_rnfs_entries },
	{ "plain_entry", plain_entry },
	{ "escapes_and_optional_fields", escapes_and_optional_fields },
	{ "big_dev_empty_source", big_dev_empty_source },
	{ "not_found", not_found },
	{ "missing_file", missing_file },
	{ "proc_self", proc_self },
	{ NULL, NULL }
};

const struct unit_suite mountinfo_suite = {
	.name = "mountinfo",
	.tests = tests,
};
