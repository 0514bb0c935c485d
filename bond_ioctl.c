// SPDX-License-Identifier: GPL-2.0
/*
 * The legacy ioctls that ifenslave and some libraries still use:
 * SIOCBOND* (and their SIOCDEVPRIVATE aliases) and the MII register reads
 * that tell the bond's own link state. All under RTNL (dev_ioctl).
 */

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_bonding.h>
#include <linux/mii.h>
#include <linux/rtnetlink.h>
#include <linux/uaccess.h>
#include <linux/capability.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_options.h"
#include "bond_iface.h"

static int bond_slave_info_query(struct bonding *bond, struct ifslave *info)
{
	struct slave *slave;
	int i = 0;

	bond_for_each_slave(bond, slave) {
		if (i++ != info->slave_id)
			continue;
		bond_fill_ifslave(slave, info);
		return 0;
	}
	return -ENODEV;
}

static int bond_query_ioctl(struct bonding *bond, void __user *data, int cmd)
{
	struct ifslave sinfo;
	struct ifbond binfo;
	int ret;

	if (cmd == SIOCBONDINFOQUERY) {
		if (copy_from_user(&binfo, data, sizeof(binfo)))
			return -EFAULT;
		bond_fill_ifbond(bond, &binfo);
		return copy_to_user(data, &binfo, sizeof(binfo)) ? -EFAULT : 0;
	}
	if (copy_from_user(&sinfo, data, sizeof(sinfo)))
		return -EFAULT;
	ret = bond_slave_info_query(bond, &sinfo);
	if (!ret && copy_to_user(data, &sinfo, sizeof(sinfo)))
		return -EFAULT;
	return ret;
}

static int bond_slave_ioctl(struct bonding *bond, struct ifreq *ifr, int cmd)
{
	struct net *net = dev_net(bond->dev);
	struct bond_opt_arg arg = { };
	struct net_device *slave_dev;
	int ret;

	if (!ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EPERM;
	slave_dev = __dev_get_by_name(net, ifr->ifr_slave);
	if (!slave_dev)
		return -ENODEV;

	switch (cmd) {
	case SIOCBONDENSLAVE:
		return bond_enslave(bond->dev, slave_dev, NULL);
	case SIOCBONDRELEASE:
		return bond_release(bond->dev, slave_dev);
	case SIOCBONDSETHWADDR:
		return bond_take_addr(bond, slave_dev);
	case SIOCBONDCHANGEACTIVE:
		arg.str = slave_dev->name;
		ret = bond_opt_set(bond, BOND_OPT_ACTIVE_SLAVE, &arg, NULL, NULL);
		if (!ret)
			call_netdevice_notifiers(NETDEV_CHANGEINFODATA, bond->dev);
		return ret;
	}
	return -EOPNOTSUPP;
}

int bond_siocbond(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	struct bonding *bond = bond_of(dev);

	ASSERT_RTNL();
	switch (cmd) {
	case SIOCBONDINFOQUERY:
	case SIOCBONDSLAVEINFOQUERY:
		return bond_query_ioctl(bond, ifr->ifr_data, cmd);
	case SIOCBONDENSLAVE:
	case SIOCBONDRELEASE:
	case SIOCBONDSETHWADDR:
	case SIOCBONDCHANGEACTIVE:
		return bond_slave_ioctl(bond, ifr, cmd);
	}
	return -EOPNOTSUPP;
}

/* The pre-SIOCBOND numbers (SIOCDEVPRIVATE + n) of the same calls. */
int bond_siocdevprivate(struct net_device *dev, struct ifreq *ifr,
			void __user *data, int cmd)
{
	struct bonding *bond = bond_of(dev);

	switch (cmd) {
	case BOND_INFO_QUERY_OLD:
		return bond_query_ioctl(bond, data, SIOCBONDINFOQUERY);
	case BOND_SLAVE_INFO_QUERY_OLD:
		return bond_query_ioctl(bond, data, SIOCBONDSLAVEINFOQUERY);
	case BOND_ENSLAVE_OLD:
		return bond_slave_ioctl(bond, ifr, SIOCBONDENSLAVE);
	case BOND_RELEASE_OLD:
		return bond_slave_ioctl(bond, ifr, SIOCBONDRELEASE);
	case BOND_SETHWADDR_OLD:
		return bond_slave_ioctl(bond, ifr, SIOCBONDSETHWADDR);
	case BOND_CHANGE_ACTIVE_OLD:
		return bond_slave_ioctl(bond, ifr, SIOCBONDCHANGEACTIVE);
	}
	return -EOPNOTSUPP;
}

/*
 * MII reads: register 1 (BMSR) reports the bond's carrier as link status.
 * Without ndo_hwtstamp_*, the time stamping ioctls come here too.
 */
int bond_eth_ioctl(struct net_device *dev, struct ifreq *ifr, int cmd)
{
	struct mii_ioctl_data *mii = if_mii(ifr);

	switch (cmd) {
	case SIOCGMIIPHY:
		mii->phy_id = 0;
		fallthrough;
	case SIOCGMIIREG:
		if (mii->reg_num == MII_BMSR)
			mii->val_out = netif_carrier_ok(dev) ? BMSR_LSTATUS : 0;
		return 0;
#ifndef BOND_HAVE_NDO_HWTSTAMP
	case SIOCGHWTSTAMP:
	case SIOCSHWTSTAMP:
		return bond_hwtstamp_ioctl(bond_of(dev), ifr, cmd);
#endif
	}
	return -EOPNOTSUPP;
}
