// SPDX-License-Identifier: GPL-2.0
/* usr/nfs4cl/swaps.c: reading /proc/swaps, and every byte of nfs4cl swaps. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "../../usr/nfs4cl/swaps.h"

/*
 * Lines as swap_show() (mm/swapfile.c) writes them: the escaped name,
 * blanks up to column 40 (at least one), "file\t" or "partition", then
 * tabs, with one tab fewer after a size of 8 digits or more.
 */
#define HEADER_LINE	"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"

static char line[256];
static struct swaps_area area;

/* swaps_parse_line() on a copy of @s (it writes into its line). */
static int parse(const char *s)
{
	memset(&area, 0xa5, sizeof(area));
	CU_ASSERT_FATAL(strlen(s) < sizeof(line));
	strcpy(line, s);
	return swaps_parse_line(line, &area);
}

static void parse_file(void)
{
	CU_ASSERT_EQUAL_FATAL(parse("/install/paging/node01/swap1"
				    "            file\t\t2097148\t\t12288\t\t10\n"),
			      1);
	CU_ASSERT_STRING_EQUAL(area.file, "/install/paging/node01/swap1");
	CU_ASSERT_FALSE(area.partition);
	CU_ASSERT_EQUAL(area.size_kib, 2097148);
	CU_ASSERT_EQUAL(area.used_kib, 12288);
	CU_ASSERT_EQUAL(area.priority, 10);
}

/* Eight digits and more lose a tab; kernel-chosen priorities are < 0. */
static void parse_big_negative(void)
{
	CU_ASSERT_EQUAL_FATAL(parse("/swap                                   "
				    "file\t\t17179869180\t10485760\t-3\n"), 1);
	CU_ASSERT_STRING_EQUAL(area.file, "/swap");
	CU_ASSERT_EQUAL(area.size_kib, 17179869180ULL);
	CU_ASSERT_EQUAL(area.used_kib, 10485760);
	CU_ASSERT_EQUAL(area.priority, -3);
}

static void parse_limits(void)
{
	CU_ASSERT_EQUAL_FATAL(parse("/s file 18446744073709551615 0 "
				    "-2147483648"), 1);
	CU_ASSERT_EQUAL(area.size_kib, UINT64_MAX);
	CU_ASSERT_EQUAL(area.used_kib, 0);
	CU_ASSERT_EQUAL(area.priority, -2147483647 - 1);
	CU_ASSERT_EQUAL_FATAL(parse("/s file 0 0 2147483647"), 1);
	CU_ASSERT_EQUAL(area.priority, 2147483647);
}

/* Space, tab, newline and backslash come as \ooo; nothing else does. */
static void parse_escaped(void)
{
	CU_ASSERT_EQUAL_FATAL(parse("/paging/my\\040swap\\011a\\012b\\134c\"d"
				    " file\t\t1024\t\t0\t\t-2\n"), 1);
	CU_ASSERT_STRING_EQUAL(area.file, "/paging/my swap\ta\nb\\c\"d");
	CU_ASSERT_EQUAL(area.size_kib, 1024);
	CU_ASSERT_EQUAL(area.priority, -2);
	/* A backslash without three octal digits after it stays. */
	CU_ASSERT_EQUAL_FATAL(parse("/a\\x\\08\\04 file 1 0 0"), 1);
	CU_ASSERT_STRING_EQUAL(area.file, "/a\\x\\08\\04");
}

static void parse_partition(void)
{
	CU_ASSERT_EQUAL_FATAL(parse("/dev/sda2                               "
				    "partition\t1048572\t\t0\t\t-2\n"), 1);
	CU_ASSERT_STRING_EQUAL(area.file, "/dev/sda2");
	CU_ASSERT_TRUE(area.partition);
	CU_ASSERT_EQUAL(area.size_kib, 1048572);
	CU_ASSERT_EQUAL(area.used_kib, 0);
	CU_ASSERT_EQUAL(area.priority, -2);
}

static void parse_header(void)
{
	CU_ASSERT_EQUAL(parse(HEADER_LINE), 0);
	CU_ASSERT_EQUAL(parse("Filename Type Size Used Priority"), 0);
	/* A header that is not exactly the kernel's is not one. */
	CU_ASSERT_EQUAL(parse("Filename Type Size Used"), -EINVAL);
	CU_ASSERT_EQUAL(parse("Filename Type Size Used Prio"), -EINVAL);
	CU_ASSERT_EQUAL(parse("filename type size used priority"), -EINVAL);
}

static void parse_malformed(void)
{
	static const char *const bad[] = {
		"",
		"\n",
		" \t \n",
		"/s",
		"/s file 1 2",			/* a field missing */
		"/s file 1 2 3 4",		/* one too many */
		"/s disk 1 2 3",		/* an unknown type */
		"/s File 1 2 3",
		"/s file -1 2 3",		/* a negative size */
		"/s file +1 2 3",
		"/s file 1 -2 3",
		"/s file 1x 2 3",		/* not a number */
		"/s file 1 0x2 3",
		"/s file 1 2 3x",
		"/s file 1 2 +3",
		"/s file 1 2 -",
		"/s file 1 2 --3",
		"/s file 18446744073709551616 2 3",	/* too big */
		"/s file 1 2 2147483648",
		"/s file 1 2 -2147483649",
		"/s file 1\v2 3",		/* \v is no separator */
	};
	size_t i;
	int ret;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ret = parse(bad[i]);
		CU_ASSERT_EQUAL(ret, -EINVAL);
		if (ret != -EINVAL)
			fprintf(stderr, "accepted: \"%s\"\n", bad[i]);
	}
}

static FILE *f;

static void start(void)
{
	f = unit_out_start();
}

/* Compares what was written since start() with @expected. */
static void check(const char *expected)
{
	unit_out_check(f, expected);
}

enum { NODE01, LONG, DOWN, ODD, NR_ENTRIES };

#define AREA(name, size, used, prio) \
	{ .file = (char *)(name), .size_kib = (size), .used_kib = (used), \
	  .priority = (prio) }

static const struct swaps_entry entry[NR_ENTRIES] = {
	/* 12 MiB and 1023 KiB in use: whole MiB, rounded down. */
	[NODE01] = {
		.area = AREA("/install/paging/node01/swap1", 2097152, 13311,
			     10),
		.server = (char *)"10.0.0.2:/install",
		.mountpoint = (char *)"/install",
	},
	/* Wider than every column: each value pushes the rest right. */
	[LONG] = {
		.area = AREA("/install/paging/compute-node-0042/swapfile",
			     17179869184ULL, 1023, -32768),
		.server = (char *)"[fd00:1234:5678:9abc::10]:/export/paging",
		.mountpoint = (char *)"/install",
	},
	/* Every replica down; mounted in another namespace. */
	[DOWN] = {
		.area = AREA("/scratch/swap", 1048576, 0, -2),
		.server = NULL,
		.mountpoint = NULL,
	},
	/* Bytes that would break a line or a JSON string. */
	[ODD] = {
		.area = AREA("/p/my \"swap\"\\\n\x7f", 2048, 1024, 0),
		.server = (char *)"10.0.0.5:/a\"b\\c\td",
		.mountpoint = (char *)"/p\t",
	},
};

/*
 * Columns counted from 0: the name from 0; Size, Used and Prio ending
 * just before 38, 48 and 54; Server from 56.
 */
#define TEXT_HEADER \
	"Swap File                         Size      Used  Prio  Server\n"

static void text_one(void)
{
	start();
	swaps_text(f, &entry[NODE01], 1);
	check(TEXT_HEADER
	      "/install/paging/node01/swap1     2048M       12M    10  "
	      "10.0.0.2:/install\n");
}

static void text_several(void)
{
	start();
	swaps_text(f, entry, NR_ENTRIES);
	check(TEXT_HEADER
	      "/install/paging/node01/swap1     2048M       12M    10  "
	      "10.0.0.2:/install\n"
	      "/install/paging/compute-node-0042/swapfile 16777216M 0M "
	      "-32768 [fd00:1234:5678:9abc::10]:/export/paging\n"
	      "/scratch/swap                    1024M        0M    -2  none\n"
	      "/p/my \"swap\"\\\\012\\177               2M        1M     0  "
	      "10.0.0.5:/a\"b\\c\\011d\n");
}

/* Values exactly as wide as their room: one blank before each. */
static void text_exact_width(void)
{
	struct swaps_entry e = entry[NODE01];

	e.area.file = (char *)"/install/paging/node01/swapfile-12";
	e.area.size_kib = 99 * 1024;
	e.area.used_kib = 12345678ULL * 1024;
	e.area.priority = -9999;
	start();
	swaps_text(f, &e, 1);
	check(TEXT_HEADER
	      "/install/paging/node01/swapfile-12 99M 12345678M -9999  "
	      "10.0.0.2:/install\n");
}

static void text_none(void)
{
	start();
	swaps_text(f, entry, 0);
	check("");
}

static void json_several(void)
{
	start();
	swaps_json(f, entry, NR_ENTRIES);
	check("[\n"
	      "  {\"file\": \"/install/paging/node01/swap1\", "
	      "\"size_kib\": 2097152, \"used_kib\": 13311, \"priority\": 10, "
	      "\"server\": \"10.0.0.2:/install\", \"mount\": \"/install\"},\n"
	      "  {\"file\": \"/install/paging/compute-node-0042/swapfile\", "
	      "\"size_kib\": 17179869184, \"used_kib\": 1023, "
	      "\"priority\": -32768, "
	      "\"server\": \"[fd00:1234:5678:9abc::10]:/export/paging\", "
	      "\"mount\": \"/install\"},\n"
	      "  {\"file\": \"/scratch/swap\", \"size_kib\": 1048576, "
	      "\"used_kib\": 0, \"priority\": -2, \"server\": null, "
	      "\"mount\": null},\n"
	      "  {\"file\": \"/p/my \\\"swap\\\"\\\\\\u000a\\u007f\", "
	      "\"size_kib\": 2048, \"used_kib\": 1024, \"priority\": 0, "
	      "\"server\": \"10.0.0.5:/a\\\"b\\\\c\\u0009d\", "
	      "\"mount\": \"/p\\u0009\"}\n"
	      "]\n");
}

static void json_none(void)
{
	start();
	swaps_json(f, entry, 0);
	check("[]\n");
}

/* A name as the kernel escapes it comes out as JSON escapes it. */
static void json_parsed(void)
{
	struct swaps_entry e = { .server = (char *)"10.0.0.2:/install" };

	CU_ASSERT_EQUAL_FATAL(parse("/paging/a\\040\"b\"\\134\\011c"
				    "                  file\t\t4096\t\t8\t\t-5\n"),
			      1);
	e.area = area;
	start();
	swaps_json(f, &e, 1);
	check("[\n"
	      "  {\"file\": \"/paging/a \\\"b\\\"\\\\\\u0009c\", "
	      "\"size_kib\": 4096, \"used_kib\": 8, \"priority\": -5, "
	      "\"server\": \"10.0.0.2:/install\", \"mount\": null}\n"
	      "]\n");
}

static const struct unit_test tests[] = {
	{ "parse_file", parse_file },
	{ "parse_big_negative", parse_big_negative },
	{ "parse_limits", parse_limits },
	{ "parse_escaped", parse_escaped },
	{ "parse_partition", parse_partition },
	{ "parse_header", parse_header },
	{ "parse_malformed", parse_malformed },
	{ "text_one", text_one },
	{ "text_several", text_several },
	{ "text_exact_width", text_exact_width },
	{ "text_none", text_none },
	{ "json_several", json_several },
	{ "json_none", json_none },
	{ "json_parsed", json_parsed },
	{ NULL, NULL }
};

const struct unit_suite swaps_suite = {
	.name = "swaps",
	.tests = tests,
};
