/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests: each file defines one suite, listed in main.c. */
#ifndef _RNFS_UNIT_H
#define _RNFS_UNIT_H

#include <stdio.h>

#include <CUnit/CUnit.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

struct unit_suite {
	const char *name;
	const struct unit_test *tests;	/* ends with { NULL, NULL } */
};

/*
 * output.c: a stream that a printer under test writes to; what it wrote,
 * to free (unit_out_end()), or compared with @expected (unit_out_check()).
 */
FILE *unit_out_start(void);
char *unit_out_end(FILE *f);
void unit_out_check(FILE *f, const char *expected);

extern const struct unit_suite spec_suite;
extern const struct unit_suite mountopts_suite;
extern const struct unit_suite health_suite;
extern const struct unit_suite mountinfo_suite;
extern const struct unit_suite showfs_suite;
extern const struct unit_suite nfsmsg_suite;
extern const struct unit_suite swaps_suite;

#endif /* _RNFS_UNIT_H */
