// SPDX-License-Identifier: GPL-2.0
/*
 * Time stamping through the bond, so that PTP (ptp4l, phc2sys) runs on a
 * bond as on its active slave. In the modes with an active slave, that
 * slave's clock is the bond's: `ethtool -T bond0` reports the active
 * slave's capabilities and PHC index, and SIOCGHWTSTAMP/SIOCSHWTSTAMP go to
 * it. A failover changes the PHC under the caller's feet, so a set must
 * carry HWTSTAMP_FLAG_BONDED_PHC_INDEX (the caller says it knows), and every
 * answer carries the flag back. Without an active slave there is no
 * hardware time stamping; the bond then offers software transmit stamps
 * only if every slave does. As in-tree.
 *
 * The ethtool query may come without RTNL (a socket binding its stamps to a
 * PHC asks for the vclocks): the active slave is found under RCU and held.
 * The ioctls come under RTNL.
 */

#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <linux/net_tstamp.h>
#include <linux/phy.h>
#include <linux/uaccess.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_iface.h"
#include "compat.h"

/* The active slave's device, held, in a mode that has one; or NULL. */
static struct net_device *bond_tstamp_dev_get(struct bonding *bond)
{
	struct net_device *dev = NULL;
	struct slave *active;

	rcu_read_lock();
	active = rcu_dereference(bond->curr_active_slave);
	if (active && READ_ONCE(bond->mode)->has_active) {
		dev = active->dev;
		dev_hold(dev);
	}
	rcu_read_unlock();
	return dev;
}

/* The same under RTNL, for the ioctls: the active slave's device, or NULL. */
static struct net_device *bond_tstamp_dev_rtnl(struct bonding *bond)
{
	struct slave *active = bond_active_slave_rtnl(bond);

	return active && bond->mode->has_active ? active->dev : NULL;
}

/* What @dev says of its own stamping, by its PHY or its driver. */
static int bond_slave_ts_info(struct net_device *dev, struct bond_ts_info *info)
{
#ifdef BOND_HAVE_TS_INFO_BY_LAYER
	return ethtool_get_ts_info_by_layer(dev, info);
#else
	const struct ethtool_ops *ops = dev->ethtool_ops;

	memset(info, 0, sizeof(*info));
	info->cmd = ETHTOOL_GET_TS_INFO;
	info->phc_index = -1;
	if (phy_has_tsinfo(dev->phydev))
		return phy_ts_info(dev->phydev, info);
	if (ops && ops->get_ts_info)
		return ops->get_ts_info(dev, info);
	return -EOPNOTSUPP;
#endif
}

/* Every slave stamps its transmits in software (and there is a slave). */
static bool bond_all_slaves_sw_tx(struct bonding *bond)
{
	struct bond_ts_info info;
	struct slave *slave;
	bool all = false;

	rcu_read_lock();
	bond_for_each_slave_rcu(bond, slave) {
		all = !bond_slave_ts_info(slave->dev, &info) &&
		      (info.so_timestamping & SOF_TIMESTAMPING_TX_SOFTWARE);
		if (!all)
			break;
	}
	rcu_read_unlock();
	return all;
}

int bond_get_ts_info(struct net_device *bond_dev, struct bond_ts_info *info)
{
	struct bonding *bond = bond_of(bond_dev);
	struct net_device *dev = bond_tstamp_dev_get(bond);
	int err = 0;

	if (dev) {
		err = bond_slave_ts_info(dev, info);
		dev_put(dev);
#ifdef BOND_HAVE_TS_INFO_BY_LAYER
		return err;
#else
		/* as in-tree: a slave that cannot tell falls to the defaults */
		if (err != -EOPNOTSUPP)
			return err;
#endif
	}
	/* the core's own: software receive stamps, no PHC */
	info->so_timestamping = SOF_TIMESTAMPING_RX_SOFTWARE | SOF_TIMESTAMPING_SOFTWARE;
	info->phc_index = -1;
	if (!dev && bond_all_slaves_sw_tx(bond))
		info->so_timestamping |= SOF_TIMESTAMPING_TX_SOFTWARE;
	return 0;
}

#ifdef BOND_HAVE_NDO_HWTSTAMP
/*
 * The answer says the PHC is the bond's: in the kernel's copy, or, when the
 * slave's driver answered the old way, in the caller's.
 */
static int bond_hwtstamp_mark(struct kernel_hwtstamp_config *cfg)
{
	struct hwtstamp_config user;

	if (!cfg->copied_to_user) {
		cfg->flags |= HWTSTAMP_FLAG_BONDED_PHC_INDEX;
		return 0;
	}
	if (copy_from_user(&user, cfg->ifr->ifr_data, sizeof(user)))
		return -EFAULT;
	user.flags |= HWTSTAMP_FLAG_BONDED_PHC_INDEX;
	if (copy_to_user(cfg->ifr->ifr_data, &user, sizeof(user)))
		return -EFAULT;
	return 0;
}

int bond_hwtstamp_get(struct net_device *bond_dev, struct kernel_hwtstamp_config *cfg)
{
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	dev = bond_tstamp_dev_rtnl(bond_of(bond_dev));
	if (!dev)
		return -EOPNOTSUPP;
	err = generic_hwtstamp_get_lower(dev, cfg);
	return err ? err : bond_hwtstamp_mark(cfg);
}

int bond_hwtstamp_set(struct net_device *bond_dev, struct kernel_hwtstamp_config *cfg,
		      struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	if (!(cfg->flags & HWTSTAMP_FLAG_BONDED_PHC_INDEX)) {
		NL_SET_ERR_MSG(extack,
			       "a bond's PHC may change: set HWTSTAMP_FLAG_BONDED_PHC_INDEX");
		return -EOPNOTSUPP;
	}
	dev = bond_tstamp_dev_rtnl(bond_of(bond_dev));
	if (!dev)
		return -EOPNOTSUPP;
	err = generic_hwtstamp_set_lower(dev, cfg, extack);
	return err ? err : bond_hwtstamp_mark(cfg);
}
#else
/* Before ndo_hwtstamp_*, the ioctls reach the bond's and the slave's ndo_eth_ioctl. */
int bond_hwtstamp_ioctl(struct bonding *bond, struct ifreq *ifr, int cmd)
{
	struct hwtstamp_config cfg;
	struct net_device *dev;
	struct ifreq lower;
	int err;

	ASSERT_RTNL();
	if (cmd == SIOCSHWTSTAMP) {
		if (copy_from_user(&cfg, ifr->ifr_data, sizeof(cfg)))
			return -EFAULT;
		if (!(cfg.flags & HWTSTAMP_FLAG_BONDED_PHC_INDEX))
			return -EOPNOTSUPP;
	}
	dev = bond_tstamp_dev_rtnl(bond);
	if (!dev || !netif_device_present(dev) || !dev->netdev_ops->ndo_eth_ioctl)
		return -EOPNOTSUPP;
	/* the same request, addressed to the slave */
	lower = *ifr;
	strscpy_pad(lower.ifr_name, dev->name, IFNAMSIZ);
	err = dev->netdev_ops->ndo_eth_ioctl(dev, &lower, cmd);
	if (err)
		return err;
	if (copy_from_user(&cfg, ifr->ifr_data, sizeof(cfg)))
		return -EFAULT;
	cfg.flags |= HWTSTAMP_FLAG_BONDED_PHC_INDEX;
	if (copy_to_user(ifr->ifr_data, &cfg, sizeof(cfg)))
		return -EFAULT;
	return 0;
}
#endif
