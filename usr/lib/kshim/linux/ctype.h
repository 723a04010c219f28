/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in: see kernel.h. */
#ifndef _RNFS_KSHIM_CTYPE_H
#define _RNFS_KSHIM_CTYPE_H
#include <ctype.h>
#endif
