/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rnfsd's messages: syslog (ident "rnfsd", facility daemon), and stderr
 * too in the foreground unless stderr is the journal already.
 */
#ifndef _RNFSD_LOG_H
#define _RNFSD_LOG_H

#include <stdbool.h>
#include <syslog.h>

void log_open(bool foreground, bool verbose);
void log_close(void);
bool log_verbose(void);

/* LOG_DEBUG messages are dropped unless verbose. */
void log_msg(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif /* _RNFSD_LOG_H */
