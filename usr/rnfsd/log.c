// SPDX-License-Identifier: GPL-2.0
/*
 * Logging to syslog, and to stderr in the foreground.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>

#include "log.h"

static bool to_stderr;
static bool verbose;

/*
 * systemd names the stream it connected to stdout/stderr in
 * $JOURNAL_STREAM ("dev:ino"); when that is our stderr, syslog() already
 * reaches the journal and a copy on stderr would show every line twice.
 */
static bool stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(STDERR_FILENO, &st) < 0)
		return false;
	return st.st_dev == dev && st.st_ino == ino;
}

void log_open(bool foreground, bool verbose_)
{
	verbose = verbose_;
	to_stderr = foreground && !stderr_is_journal();
	openlog("rnfsd", LOG_PID, LOG_DAEMON);
}

void log_close(void)
{
	closelog();
}

bool log_verbose(void)
{
	return verbose;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !verbose)
		return;
	va_start(ap, fmt);
	vsyslog(prio, fmt, ap);
	va_end(ap);
	if (to_stderr) {
		char line[1024];

		/* One write per line, so that threads do not interleave. */
		va_start(ap, fmt);
		vsnprintf(line, sizeof(line), fmt, ap);
		va_end(ap);
		fprintf(stderr, "rnfsd: %s\n", line);
	}
}
