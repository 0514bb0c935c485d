// SPDX-License-Identifier: GPL-2.0
/*
 * The bond's link type follows its first slave: a bond is made Ethernet,
 * and enslaving, say, an IPoIB or a tunnel device into an empty bond turns
 * the bond into one of that type (its header sizes, address length and
 * broadcast address, point-to-point flags). Later slaves must be of the
 * same type. A failed first enslave, or an Ethernet first slave after a
 * non-Ethernet one, turns it back. All under RTNL.
 */

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"

/*
 * A non-Ethernet bond builds and parses link headers as its active slave
 * does.
 */
static int bond_header_create(struct sk_buff *skb, struct net_device *dev,
			      unsigned short type, const void *daddr,
			      const void *saddr, unsigned int len)
{
	struct bonding *bond = bond_of(dev);
	const struct header_ops *ops;
	struct slave *slave;
	int ret = 0;

	rcu_read_lock();
	slave = rcu_dereference(bond->curr_active_slave);
	if (slave) {
		ops = READ_ONCE(slave->dev->header_ops);
		if (ops && ops->create)
			ret = ops->create(skb, slave->dev, type, daddr, saddr,
					  len);
	}
	rcu_read_unlock();
	return ret;
}

#ifdef BOND_HAVE_HEADER_PARSE_DEV
static int bond_header_parse(const struct sk_buff *skb,
			     const struct net_device *dev, unsigned char *haddr)
{
	struct bonding *bond = netdev_priv(dev);
	const struct header_ops *ops;
	struct slave *slave;
	int ret = 0;

	rcu_read_lock();
	slave = rcu_dereference(bond->curr_active_slave);
	if (slave) {
		ops = READ_ONCE(slave->dev->header_ops);
		if (ops && ops->parse)
			ret = ops->parse(skb, slave->dev, haddr);
	}
	rcu_read_unlock();
	return ret;
}
#endif

static const struct header_ops bond_header_ops = {
	.create	= bond_header_create,
#ifdef BOND_HAVE_HEADER_PARSE_DEV
	.parse	= bond_header_parse,
#endif
};

/* Back to what bond_setup() made, keeping the up and slave flags. */
static void bond_type_ether(struct net_device *dev)
{
	unsigned int keep = dev->flags & (IFF_UP | IFF_SLAVE);

	ether_setup(dev);
	dev->max_mtu = ETH_MAX_MTU;
	dev->flags |= IFF_MASTER | keep;
	dev->priv_flags &= ~IFF_TX_SKB_SHARING;
}

/* Take the link-layer shape of @slave_dev; the bond is reopened if it was up. */
static void bond_type_copy(struct net_device *dev, struct net_device *slave_dev)
{
	bool was_up = dev->flags & IFF_UP;

	dev_close(dev);
	dev->header_ops = slave_dev->header_ops ? &bond_header_ops : NULL;
	dev->type = slave_dev->type;
	dev->hard_header_len = slave_dev->hard_header_len;
	dev->needed_headroom = slave_dev->needed_headroom;
	dev->addr_len = slave_dev->addr_len;
	memcpy(dev->broadcast, slave_dev->broadcast, slave_dev->addr_len);
	if (slave_dev->flags & IFF_POINTOPOINT) {
		dev->flags &= ~(IFF_BROADCAST | IFF_MULTICAST);
		dev->flags |= IFF_POINTOPOINT | IFF_NOARP;
	}
	if (was_up)
		dev_open(dev, NULL);
}

/* Before the first slave is set up: the bond takes its type, if it may. */
int bond_type_follow(struct bonding *bond, struct net_device *slave_dev)
{
	struct net_device *dev = bond->dev;
	int ret;

	if (bond_has_slaves(bond) || dev->type == slave_dev->type)
		return 0;
	slave_dbg(dev, slave_dev, "change device type from %d to %d\n",
		  dev->type, slave_dev->type);
	ret = notifier_to_errno(call_netdevice_notifiers(NETDEV_PRE_TYPE_CHANGE,
							 dev));
	if (ret) {
		slave_err(dev, slave_dev, "refused to change device type\n");
		return -EBUSY;
	}
	dev_uc_flush(dev);
	dev_mc_flush(dev);
	if (slave_dev->type == ARPHRD_ETHER)
		bond_type_ether(dev);
	else
		bond_type_copy(dev, slave_dev);
	call_netdevice_notifiers(NETDEV_POST_TYPE_CHANGE, dev);
	return 0;
}

/* The first enslave failed: an empty bond is Ethernet again. */
void bond_type_reset(struct bonding *bond)
{
	struct net_device *dev = bond->dev;

	if (bond_has_slaves(bond) || dev->type == ARPHRD_ETHER)
		return;
	dev_close(dev);
	bond_type_ether(dev);
}

/*
 * A non-Ethernet bond whose last slave is unregistered goes with it, as
 * in-tree (an IPoIB bond without its IPoIB devices is of no use).
 */
void bond_type_slave_unregistered(struct bonding *bond)
{
	struct net_device *dev = bond->dev;

	if (dev->type == ARPHRD_ETHER || bond_has_slaves(bond) ||
	    dev->reg_state != NETREG_REGISTERED)
		return;
	dev->priv_flags |= IFF_DISABLE_NETPOLL;
	netdev_info(dev, "Destroying bond\n");
	unregister_netdevice(dev);
}
