/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the kernel headers that the pure-logic
 * kernel files (kmod/spec.c, ...) include, so the same source builds into
 * rnfs.ko, the userspace programs and the unit tests unchanged.  Only
 * headers that have no uapi namesake live here (<linux/errno.h> and
 * <linux/types.h> come from the uapi headers).  Use this directory only
 * for those shared files: it shadows <linux/kernel.h>.
 */
#ifndef _RNFS_KSHIM_KERNEL_H
#define _RNFS_KSHIM_KERNEL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif
