// SPDX-License-Identifier: GPL-2.0
/*
 * The RCU-published table of mounts (see table.h).
 */
#include <stdlib.h>

#include <urcu.h>

#include "table.h"

struct table *table_current;

struct table *table_alloc(size_t mounts)
{
	return calloc(1, sizeof(struct table) +
			 mounts * sizeof(struct table_mount));
}

void table_free(struct table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nr; i++)
		free(t->mount[i].label);
	free(t);
}

struct table *table_publish(struct table *t)
{
	return rcu_xchg_pointer(&table_current, t);
}

const struct table_mount *table_find(const struct table *t,
				     const struct watch *w)
{
	size_t i;
	unsigned int j;

	if (!t)
		return NULL;
	for (i = 0; i < t->nr; i++)
		for (j = 0; j < t->mount[i].nr; j++)
			if (t->mount[i].watch[j] == w)
				return &t->mount[i];
	return NULL;
}
