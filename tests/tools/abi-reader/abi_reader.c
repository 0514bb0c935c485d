// SPDX-License-Identifier: GPL-2.0
/*
 * Test module: reads bonds the way other in-kernel modules do, through the
 * kernel's own include/net/bonding.h and include/net/lag.h inlines (the RoCE
 * GID table, mlx4/mlx5 and mlxsw do this), and logs what it sees:
 *   bond_abi: <bond> active <slave|->
 *   bond_abi: <slave> txable <0|1>
 * Loading always fails with -EAGAIN, so nothing stays behind.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include <net/bonding.h>
#include <net/lag.h>

static int __init abi_reader_init(void)
{
	struct net_device *dev, *active;

	rtnl_lock();
	for_each_netdev(&init_net, dev) {
		if (netif_is_bond_master(dev)) {
			rcu_read_lock();
			active = bond_option_active_slave_get_rcu(netdev_priv(dev));
			pr_info("bond_abi: %s active %s\n", dev->name,
				active ? active->name : "-");
			rcu_read_unlock();
		} else if (netif_is_bond_slave(dev)) {
			pr_info("bond_abi: %s txable %d\n", dev->name,
				net_lag_port_dev_txable(dev));
		}
	}
	rtnl_unlock();
	return -EAGAIN;
}

module_init(abi_reader_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("bonding.ko test: in-tree readers of bond private data");
