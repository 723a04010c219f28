/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RNFS_VERSION_H
#define _RNFS_VERSION_H

#define RNFS_VERSION "0.1.0"

#endif /* _RNFS_VERSION_H */
