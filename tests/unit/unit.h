/* SPDX-License-Identifier: GPL-2.0 */
/* Unit tests: each file defines one suite, listed in main.c. */
#ifndef _RNFS_UNIT_H
#define _RNFS_UNIT_H

#include <CUnit/CUnit.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
};

struct unit_suite {
	const char *name;
	const struct unit_test *tests;	/* ends with { NULL, NULL } */
};

extern const struct unit_suite spec_suite;
extern const struct unit_suite mountopts_suite;
extern const struct unit_suite health_suite;
extern const struct unit_suite mountinfo_suite;
extern const struct unit_suite showfs_suite;
extern const struct unit_suite nfsmsg_suite;
extern const struct unit_suite swaps_suite;

#endif /* _RNFS_UNIT_H */
