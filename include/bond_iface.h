/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The user interfaces the core calls into: sysfs, /proc and rtnetlink.
 * Each pair is an init and its mirror; all run under the lock named.
 */
#ifndef _BOND_IFACE_H
#define _BOND_IFACE_H

#include "compat.h"

struct bond_net;
struct net_device;
struct bonding;
struct slave;
struct kernel_hwtstamp_config;
struct bond_ts_info;		/* compat.h */
struct netlink_ext_ack;

/* bond_sysfs.c: /sys/class/net/bonding_masters (pernet init/pre_exit) */
int bond_sysfs_net_init(struct bond_net *bn);
void bond_sysfs_net_exit(struct bond_net *bn);
void bond_sysfs_add(struct bonding *bond);
void bond_sysfs_slave_init(struct slave *slave);
int bond_sysfs_slave_add(struct slave *slave);
void bond_sysfs_slave_del(struct slave *slave);

/* bond_procfs.c: /proc/net/bonding and one file per bond (RTNL for the files) */
void bond_procfs_net_init(struct bond_net *bn);
void bond_procfs_net_exit(struct bond_net *bn);
void bond_procfs_add(struct bonding *bond);
void bond_procfs_del(struct bonding *bond);
void bond_procfs_rename(struct bonding *bond);

/* bond_debugfs.c */
void bond_debugfs_add(struct bonding *bond);
void bond_debugfs_del(struct bonding *bond);
void bond_debugfs_rename(struct bonding *bond);
void bond_debugfs_init(void);
void bond_debugfs_exit(void);

/* bond_netlink.c: the "bond" rtnl_link_ops (module init/exit) */
int bond_netlink_init(void);
void bond_netlink_exit(void);
extern struct rtnl_link_ops bond_link_ops;

/* bond_ioctl.c: the legacy ioctls (RTNL) */
struct ifreq;
int bond_siocbond(struct net_device *dev, struct ifreq *ifr, int cmd);
int bond_siocdevprivate(struct net_device *dev, struct ifreq *ifr,
			void __user *data, int cmd);
int bond_eth_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd);

/* bond_tstamp.c: time stamping by the active slave (PTP); see compat.h */
int bond_get_ts_info(struct net_device *bond_dev, struct bond_ts_info *info);
#ifdef BOND_HAVE_NDO_HWTSTAMP
int bond_hwtstamp_get(struct net_device *bond_dev, struct kernel_hwtstamp_config *cfg);
int bond_hwtstamp_set(struct net_device *bond_dev, struct kernel_hwtstamp_config *cfg,
		      struct netlink_ext_ack *extack);
#else
int bond_hwtstamp_ioctl(struct bonding *bond, struct ifreq *ifr, int cmd);
#endif

#endif /* _BOND_IFACE_H */
