// SPDX-License-Identifier: GPL-2.0
/*
 * The unit-test runner: one "PASS unit/<suite>/<test>" or "FAIL ..." line
 * per test (the format tests/run counts), then a CUnit-style summary.
 * Arguments, if any, select suites by name.
 */
#include <stdio.h>
#include <string.h>
#include <CUnit/TestRun.h>

#include "unit.h"

static const struct unit_suite *const suites[] = {
	&spec_suite,
	&mountopts_suite,
	&health_suite,
	&mountinfo_suite,
	&showfs_suite,
	&nfsmsg_suite,
	&swaps_suite,
};

static void test_done(const CU_pTest test, const CU_pSuite suite,
		      const CU_pFailureRecord failure)
{
	CU_pFailureRecord f;

	printf("%s unit/%s/%s\n", failure ? "FAIL" : "PASS", suite->pName,
	       test->pName);
	for (f = failure; f; f = f->pNext)
		printf("    %s:%u: %s\n", f->strFileName, f->uiLineNumber,
		       f->strCondition);
}

static int selected(const char *name, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return 1;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	unsigned int i, run, failed;
	const struct unit_test *t;
	CU_pSuite s;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		if (!selected(suites[i]->name, argc, argv))
			continue;
		s = CU_add_suite(suites[i]->name, NULL, NULL);
		if (!s)
			return 2;
		for (t = suites[i]->tests; t->name; t++)
			if (!CU_add_test(s, t->name, t->fn))
				return 2;
	}
	CU_set_test_complete_handler(test_done);
	if (CU_run_all_tests() != CUE_SUCCESS)
		return 2;
	run = CU_get_number_of_tests_run();
	failed = CU_get_number_of_tests_failed();
	printf("unit: %u passed, %u failed\n", run - failed, failed);
	CU_cleanup_registry();
	return failed ? 1 : 0;
}
