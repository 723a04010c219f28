// SPDX-License-Identifier: GPL-2.0
/*
 * Test module for the lab itself: loading it logs a WARN, which the lab's
 * panic_on_warn turns into a failed run (tests/lab/kernel-warn.sh).
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init lab_warn_init(void)
{
	WARN(1, "lab_warn: deliberate warning for the lab self-test\n");
	return 0;
}

static void __exit lab_warn_exit(void)
{
}

module_init(lab_warn_init);
module_exit(lab_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Deliberate WARN for the rnfs lab self-test");
