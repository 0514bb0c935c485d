/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the supported kernels (Debian 6.1 and 6.12).
 * Everything version-dependent lives here, so the rest of the tree is written
 * against one API.
 */
#ifndef _BOND_COMPAT_H
#define _BOND_COMPAT_H

#include <linux/version.h>
#include <linux/netdevice.h>
#include <linux/device/class.h>

/* 6.2 made class attribute callbacks take const pointers. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define BOND_CLASS_CONST const
#else
#define BOND_CLASS_CONST
#endif

/* 6.12 moved LLTX and NETNS_LOCAL from feature bits to netdevice flags. */
static inline void bond_compat_set_lltx(struct net_device *dev)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/*
 * Later renamed netns_local to netns_immutable; Debian backports the rename
 * into some 6.12 builds, so Kbuild probes the headers (BOND_HAVE_*).
 */
static inline void bond_compat_set_netns_local(struct net_device *dev)
{
#if defined(BOND_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

#endif /* _BOND_COMPAT_H */
