// SPDX-License-Identifier: GPL-2.0
/*
 * The names of the netlink API's enum values, as the programs print them.
 * Apart from rnfsnl.c so that code which only formats (and its unit
 * tests) need not link libnl.
 */
#include "rnfsnl.h"

const char *rnfsnl_event_name(enum rnfs_event type)
{
	static const char *const names[] = {
		[RNFS_EVENT_NONE]		= "none",
		[RNFS_EVENT_FAILOVER]		= "failover",
		[RNFS_EVENT_FAILBACK]		= "failback",
		[RNFS_EVENT_SWITCH]		= "switch",
		[RNFS_EVENT_REPLICA_DOWN]	= "replica-down",
		[RNFS_EVENT_REPLICA_UP]		= "replica-up",
		[RNFS_EVENT_NOT_RESPONDING]	= "not-responding",
		[RNFS_EVENT_RESUMED]		= "resumed",
		[RNFS_EVENT_LOCK_LOST]		= "lock-lost",
		[RNFS_EVENT_REPLICA_REFUSED]	= "replica-refused",
	};

	if ((unsigned int)type < sizeof(names) / sizeof(names[0]))
		return names[type];
	return "unknown";
}

const char *rnfsnl_health_name(enum rnfs_replica_health state)
{
	switch (state) {
	case RNFS_HEALTH_UP:
		return "up";
	case RNFS_HEALTH_SUSPECT:
		return "suspect";
	case RNFS_HEALTH_DOWN:
		return "down";
	default:
		return "unknown";
	}
}
