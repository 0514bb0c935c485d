/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel API differences between the supported kernels (Debian 6.1 and
 * 6.12). Debian backports API changes into its stable kernels, so no version
 * number decides here: Kbuild probes the exact headers in use and defines a
 * BOND_HAVE_* macro for each feature found (see Kbuild).
 */
#ifndef _BOND_COMPAT_H
#define _BOND_COMPAT_H

#include <linux/netdevice.h>
#include <linux/device/class.h>

/* Class attribute callbacks take const pointers since 6.2. */
#ifdef BOND_HAVE_CONST_CLASS_ATTR
#define BOND_CLASS_CONST const
#else
#define BOND_CLASS_CONST
#endif

/* LLTX became a netdevice flag in 6.12 (a feature bit before). */
static inline void bond_compat_set_lltx(struct net_device *dev)
{
#ifdef BOND_HAVE_LLTX_FLAG
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
}

/* NETNS_LOCAL became a flag in 6.12, later renamed netns_immutable. */
static inline void bond_compat_set_netns_local(struct net_device *dev)
{
#if defined(BOND_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(BOND_HAVE_NETNS_LOCAL_FLAG)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
}

/*
 * A slave gets no IPv6 address of its own: IFF_NO_ADDRCONF since 6.2; before,
 * addrconf skipped IFF_SLAVE devices, which the upper link sets anyway.
 */
static inline void bond_compat_set_no_addrconf(struct net_device *dev, bool on)
{
#ifdef BOND_HAVE_NO_ADDRCONF
	if (on)
		dev->priv_flags |= IFF_NO_ADDRCONF;
	else
		dev->priv_flags &= ~IFF_NO_ADDRCONF;
#endif
}

/*
 * ethtool's time stamping info became struct kernel_ethtool_ts_info in 6.11;
 * the bond and its slaves use the one their kernel has.
 */
#ifdef BOND_HAVE_KERNEL_TS_INFO
#define bond_ts_info kernel_ethtool_ts_info
#else
#define bond_ts_info ethtool_ts_info
#endif

#endif /* _BOND_COMPAT_H */
