/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rnfsd's opinion of one replica, built from its probe results.  A pure
 * state machine: no I/O, no clock (times come in as milliseconds of
 * CLOCK_MONOTONIC), so that tests/unit/test_health.c can drive it through
 * hours of flapping servers in microseconds.
 *
 * States and transitions (D = the mount's deadline, timeo x retrans x
 * 100 ms, the same one the kernel applies to requests):
 *
 *   UP      -> SUSPECT  a probe fails.
 *   SUSPECT -> UP       a probe succeeds.
 *   SUSPECT -> DOWN     probes have been failing for D, counted from the
 *                       start of the first failed probe to the end of the
 *                       latest one.  A single probe that was silent for
 *                       the whole of D (a blackholed server) therefore
 *                       takes UP to DOWN at once, just as a request
 *                       waiting out D makes the kernel fail over.
 *   DOWN    -> PROBING  a probe succeeds.
 *   PROBING -> DOWN     a probe fails.
 *   PROBING -> UP       probes have kept succeeding for the "rise" time,
 *                       counted from the end of the first success; at
 *                       once when no other replica of the mount is usable
 *                       (last resort: a mount with nowhere else to go must
 *                       not wait for a replica that answers).
 *
 * Verdicts, what the kernel is told (kmod/uapi/rnfs.h):
 *
 *   UP -> UP, SUSPECT -> SUSPECT, DOWN -> DOWN, PROBING -> DOWN.
 *
 * PROBING is reported as DOWN on purpose.  The kernel probes replicas
 * itself, and a replica it finds answering is back in service at once; a
 * DOWN verdict is the only way to keep it out (for RNFS_VERDICT_TTL_S,
 * hence the repetition while the verdict stays DOWN).  Reporting PROBING
 * as UP, or not at all, would undo the damping below: a flapping primary
 * would be declared up by the kernel between two flaps.  The cost is that
 * a recovered replica joins the mount "rise" later, which only matters
 * when it is the mount's last hope, and that case is the last-resort rule
 * above.
 *
 * Flap damping (hysteresis): rise starts at 2 probe intervals.  Each time
 * the replica goes DOWN again less than a flap window after it last came
 * UP, rise doubles, up to the mount's failback_delay (never below 2
 * intervals).  Every full flap window it then stays UP or SUSPECT halves
 * rise again, down to 2 intervals.  The flap window is twice that cap,
 * and at least HEALTH_FLAP_WINDOW_MIN_MS.  So a server flapping faster than
 * failback_delay soon needs failback_delay of unbroken good probes before
 * it is used again, and the kernel's failback (primary UP for
 * failback_delay) does not ping-pong the mount.
 */
#ifndef _RNFSD_HEALTH_H
#define _RNFSD_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "uapi/rnfs.h"

#define HEALTH_FLAP_WINDOW_MIN_MS	60000

enum health_state {
	HEALTH_UP,
	HEALTH_SUSPECT,
	HEALTH_DOWN,
	HEALTH_PROBING,
};

/* Per mount and per daemon; may change between two probes. */
struct health_params {
	uint64_t interval_ms;		/* probe interval */
	uint64_t deadline_ms;		/* timeo x retrans x 100 */
	uint64_t failback_ms;		/* failback_delay x 1000 */
};

/* One probe's outcome. */
struct health_probe {
	bool ok;
	uint64_t start_ms, end_ms;
	/* Some other replica of the mount is UP or SUSPECT. */
	bool others_up;
};

struct health {
	enum health_state state;
	enum rnfs_replica_health verdict;	/* for the latest state */
	uint64_t fail_start_ms;		/* SUSPECT: first failure's start */
	uint64_t ok_start_ms;		/* PROBING: first success's end */
	uint64_t rise_ms;		/* 0 until the first update */
	bool came_up;			/* up_ms holds a PROBING -> UP */
	uint64_t up_ms;
	uint64_t calm_ms;		/* rise decays counted from here */
	bool rise_doubled;		/* by the latest update */
};

/*
 * Start from what the kernel reports: a replica it has DOWN starts DOWN
 * (it must prove itself before it is reported UP), any other UP.  The
 * verdict starts as the kernel's state, so the first update reports a
 * change only when it disagrees.
 */
void health_init(struct health *h, enum rnfs_replica_health kernel_state,
		 uint64_t now_ms);

/*
 * Feed one probe result.  Returns true when the verdict changed; the
 * caller sends it then, and again after every probe while it is DOWN or
 * SUSPECT (the kernel forgets those after RNFS_VERDICT_TTL_S).
 */
bool health_update(struct health *h, const struct health_params *p,
		   const struct health_probe *r);

/* The rise time in force, within its bounds for @p. */
uint64_t health_rise_ms(const struct health *h, const struct health_params *p);
uint64_t health_flap_window_ms(const struct health_params *p);

/* A replica others can fall back on: UP or SUSPECT. */
static inline bool health_usable(enum health_state s)
{
	return s == HEALTH_UP || s == HEALTH_SUSPECT;
}

/* The mount's failover deadline from its tunables. */
static inline uint64_t health_deadline_ms(uint32_t timeo, uint32_t retrans)
{
	return (uint64_t)timeo * retrans * 100;
}

/* "up", "suspect", "down", "probing". */
const char *health_state_name(enum health_state s);

#endif /* _RNFSD_HEALTH_H */
