// SPDX-License-Identifier: GPL-2.0
/*
 * Every line mount.rnfs prints starts with its name, as mount(8)'s own
 * messages and other helpers' do, so that boot logs say who is talking.
 */
#include <stdarg.h>
#include <stdio.h>

#include "report.h"

static void say(FILE *f, const char *fmt, va_list ap)
{
	fputs(RNFS_MOUNT_PROG ": ", f);
	vfprintf(f, fmt, ap);
	fputc('\n', f);
	fflush(f);
}

void report(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(stderr, fmt, ap);
	va_end(ap);
}

void chatter(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say(stdout, fmt, ap);
	va_end(ap);
}
