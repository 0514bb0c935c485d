// SPDX-License-Identifier: GPL-2.0
/*
 * netpoll (netconsole, kgdboe) over a bond: every slave gets a netpoll of
 * its own while the bond has one, and a packet that netpoll sends through
 * the bond leaves by the slave's netpoll, in whatever context netpoll runs
 * (IRQs off, possibly in the middle of a failover on this CPU: the data
 * path reads only RCU-published state, so it needs no lock that could be
 * held here).
 *
 * Setup and cleanup run under RTNL; slave::np is read under RCU.
 */

#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <linux/slab.h>
#include <linux/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"

#ifdef CONFIG_NET_POLL_CONTROLLER

int bond_slave_netpoll_enable(struct slave *slave)
{
	struct netpoll *np;
	int ret;

	ASSERT_RTNL();
	np = kzalloc(sizeof(*np), GFP_KERNEL);
	if (!np)
		return -ENOMEM;
	ret = __netpoll_setup(np, slave->dev);
	if (ret) {
		kfree(np);
		return ret;
	}
	WRITE_ONCE(slave->np, np);
	return 0;
}

void bond_slave_netpoll_disable(struct slave *slave)
{
	struct netpoll *np = slave->np;

	ASSERT_RTNL();
	if (!np)
		return;
	WRITE_ONCE(slave->np, NULL);
	__netpoll_free(np);	/* waits for senders under RCU */
}

/* A new slave of a bond in netpoll use must take part, or is refused. */
int bond_netpoll_slave_join(struct bonding *bond, struct slave *slave)
{
	if (!bond->dev->npinfo)
		return 0;
	return bond_slave_netpoll_enable(slave);
}

netdev_tx_t bond_netpoll_xmit(struct slave *slave, struct sk_buff *skb)
{
	struct netpoll *np = READ_ONCE(slave->np);

	if (unlikely(!np)) {
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	return netpoll_send_skb(np, skb);
}

void bond_netpoll_cleanup(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave;

	bond_for_each_slave(bond, slave)
		bond_slave_netpoll_disable(slave);
}

int bond_netpoll_setup(struct net_device *dev, struct netpoll_info *ni)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave;
	int ret;

	bond_for_each_slave(bond, slave) {
		ret = bond_slave_netpoll_enable(slave);
		if (ret) {
			bond_netpoll_cleanup(dev);
			return ret;
		}
	}
	return 0;
}

/* Poll the slaves that can carry traffic; called with IRQs off. */
void bond_poll_controller(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave;

	rcu_read_lock();
	bond_for_each_slave_rcu(bond, slave)
		if (bond_slave_usable(slave))
			netpoll_poll_dev(slave->dev);
	rcu_read_unlock();
}

#endif /* CONFIG_NET_POLL_CONTROLLER */
