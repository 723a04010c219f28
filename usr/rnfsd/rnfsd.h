/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the parts of rnfsd share.
 *
 * Threads: main (signals), the housekeeper (daemon.c: reads the kernel's
 * mounts, publishes them as an RCU table, starts and stops watches,
 * repeats verdicts) and one thread per replica (watch.c: probes
 * every interval, judges, tells the kernel).  A dead replica ties up its
 * own thread only.
 */
#ifndef _RNFSD_RNFSD_H
#define _RNFSD_RNFSD_H

#include <stdint.h>

/* Probe interval; set by main() before any thread starts. */
extern uint64_t rnfsd_interval_ms;

/* Monotonic time in ms; what is left of it until @end (0 if past). */
uint64_t rnfsd_now_ms(void);
uint64_t rnfsd_left_ms(uint64_t end);

/* Stop the daemon with exit status @status (from any thread). */
void rnfsd_fatal(int status);

/* daemon.c: the housekeeper thread. */
int daemon_start(int stop_fd);
void daemon_kick(void);			/* re-read the mounts now */
void daemon_join(void);

/* once.c: --once. */
int once_run(void);

#endif /* _RNFSD_RNFSD_H */
