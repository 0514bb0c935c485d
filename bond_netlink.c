// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink: the "bond" link kind (ip link add ... type bond).
 */

#include <linux/netdevice.h>
#include <linux/if_link.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

#include "bond.h"
#include "bond_iface.h"

/*
 * No IFLA_BOND_* option is implemented yet: refuse each one by name rather
 * than accept a setting that would do nothing.
 */
static int bond_nl_validate(struct nlattr *tb[], struct nlattr *data[],
			    struct netlink_ext_ack *extack)
{
	int i;

	if (!data)
		return 0;
	for (i = 1; i <= IFLA_BOND_MAX; i++) {
		if (data[i]) {
			NL_SET_ERR_MSG_ATTR(extack, data[i],
					    "bond option not supported yet");
			return -EOPNOTSUPP;
		}
	}
	return 0;
}

static int bond_nl_newlink(struct net *src_net, struct net_device *dev,
			   struct nlattr *tb[], struct nlattr *data[],
			   struct netlink_ext_ack *extack)
{
	int ret;

	ret = register_netdevice(dev);
	if (ret)
		return ret;
	bond_after_register(dev);
	return 0;
}

static unsigned int bond_nl_num_queues(void)
{
	return bond_num_tx_queues();
}

struct rtnl_link_ops bond_link_ops __read_mostly = {
	.kind			= "bond",
	.priv_size		= sizeof(struct bonding),
	.setup			= bond_setup,
	.maxtype		= IFLA_BOND_MAX,
	.validate		= bond_nl_validate,
	.newlink		= bond_nl_newlink,
	.get_num_tx_queues	= bond_nl_num_queues,
	.get_num_rx_queues	= bond_nl_num_queues,
};

int __init bond_netlink_init(void)
{
	return rtnl_link_register(&bond_link_ops);
}

void bond_netlink_exit(void)
{
	rtnl_link_unregister(&bond_link_ops);
}
