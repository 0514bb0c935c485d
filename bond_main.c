// SPDX-License-Identifier: GPL-2.0
/*
 * bonding.ko: the module and the bond netdevice.
 *
 * This file owns the life cycle: module load and unload, the per-namespace
 * state, and creating and destroying bond devices. The user interfaces
 * (sysfs, /proc, rtnetlink) live in their own files and call back only
 * through the small API in include/bond.h.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/if_bonding.h>
#include <linux/utsname.h>
#include <generated/utsrelease.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "bond.h"
#include "bond_iface.h"
#include "compat.h"

unsigned int bond_net_id __read_mostly;

/*
 * Module-wide load-time parameters. They are read once by
 * bond_check_module_params() at load and never written afterwards.
 */
static int max_bonds = BOND_DEFAULT_MAX_BONDS;
module_param(max_bonds, int, 0);
MODULE_PARM_DESC(max_bonds, "Max number of bonded devices");

static int tx_queues = BOND_DEFAULT_TX_QUEUES;
module_param(tx_queues, int, 0);
MODULE_PARM_DESC(tx_queues, "Max number of transmit queues (default = 16)");

/* Out-of-range values are reset with a warning, as the in-tree driver does. */
static void bond_check_module_params(void)
{
	if (max_bonds < 0) {
		pr_warn("Warning: max_bonds (%d) not in range %d-%d, so it was reset to BOND_DEFAULT_MAX_BONDS (%d)\n",
			max_bonds, 0, INT_MAX, BOND_DEFAULT_MAX_BONDS);
		max_bonds = BOND_DEFAULT_MAX_BONDS;
	}
	if (tx_queues < 1 || tx_queues > 255) {
		pr_warn("Warning: tx_queues (%d) should be between 1 and 255, resetting to %d\n",
			tx_queues, BOND_DEFAULT_TX_QUEUES);
		tx_queues = BOND_DEFAULT_TX_QUEUES;
	}
}

unsigned int bond_num_tx_queues(void)
{
	return tx_queues;
}

/* ---- the netdevice ---------------------------------------------------- */

static int bond_ndo_init(struct net_device *dev)
{
	struct bond_net *bn = bond_net_of(dev_net(dev));
	struct bonding *bond = bond_of(dev);

	ASSERT_RTNL();
	list_add_tail_rcu(&bond->bond_list, &bn->dev_list);
	bond_procfs_add(bond);

	/* A bond with no slave yet still needs a valid address. */
	if (is_zero_ether_addr(dev->dev_addr) &&
	    dev->addr_assign_type == NET_ADDR_PERM)
		eth_hw_addr_random(dev);
	return 0;
}

/* The caller (unregister_netdevice) synchronizes RCU before the free. */
static void bond_ndo_uninit(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);

	ASSERT_RTNL();
	bond_procfs_del(bond);
	list_del_rcu(&bond->bond_list);
}

/* With no slave to carry it, a frame is dropped and counted. */
static netdev_tx_t bond_ndo_start_xmit(struct sk_buff *skb,
				       struct net_device *dev)
{
	dev_core_stats_tx_dropped_inc(dev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops bond_netdev_ops = {
	.ndo_init		= bond_ndo_init,
	.ndo_uninit		= bond_ndo_uninit,
	.ndo_start_xmit		= bond_ndo_start_xmit,
};

static void bond_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, BOND_DRV_NAME, sizeof(info->driver));
	snprintf(info->fw_version, sizeof(info->fw_version), "%d",
		 BOND_ABI_VERSION);
}

static const struct ethtool_ops bond_ethtool_ops = {
	.get_drvinfo		= bond_get_drvinfo,
	.get_link		= ethtool_op_get_link,
};

static const struct device_type bond_device_type = {
	.name = "bond",
};

bool netif_is_our_bond(const struct net_device *dev)
{
	return dev->netdev_ops == &bond_netdev_ops;
}

void bond_setup(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);

	bond->dev = dev;

	ether_setup(dev);
	dev->max_mtu = ETH_MAX_MTU;
	dev->netdev_ops = &bond_netdev_ops;
	dev->ethtool_ops = &bond_ethtool_ops;
	dev->needs_free_netdev = true;
	SET_NETDEV_DEVTYPE(dev, &bond_device_type);

	dev->flags |= IFF_MASTER;
	dev->priv_flags |= IFF_BONDING | IFF_NO_QUEUE;
	dev->priv_flags &= ~(IFF_XMIT_DST_RELEASE | IFF_TX_SKB_SHARING);

	/* Transmit never takes the bond's own queue lock. */
	bond_compat_set_lltx(dev);
	/* As in-tree: a bond stays in the namespace it was made in. */
	bond_compat_set_netns_local(dev);
}

/* Called under RTNL right after register_netdevice() succeeded. */
void bond_after_register(struct net_device *dev)
{
	ASSERT_RTNL();
	netif_carrier_off(dev);
}

/* Create a bond named @name (a "bond%d" pattern when NULL) in @net. */
int bond_create(struct net *net, const char *name)
{
	struct net_device *dev;
	int ret;

	dev = alloc_netdev_mq(sizeof(struct bonding), name ? name : "bond%d",
			      NET_NAME_UNKNOWN, bond_setup, tx_queues);
	if (!dev)
		return -ENOMEM;

	dev_net_set(dev, net);
	dev->rtnl_link_ops = &bond_link_ops;

	rtnl_lock();
	ret = register_netdevice(dev);
	if (ret)
		free_netdev(dev);
	else
		bond_after_register(dev);
	rtnl_unlock();
	return ret;
}

/* Look a bond up by name in one namespace. Caller holds RTNL. */
struct net_device *bond_find_by_name(struct bond_net *bn, const char *name)
{
	struct bonding *bond;

	ASSERT_RTNL();
	list_for_each_entry(bond, &bn->dev_list, bond_list)
		if (!strncmp(bond->dev->name, name, IFNAMSIZ))
			return bond->dev;
	return NULL;
}

/* ---- netdevice events ------------------------------------------------- */

static int bond_master_event(struct net_device *dev, unsigned long event)
{
	if (event == NETDEV_CHANGENAME)
		bond_procfs_rename(bond_of(dev));
	return NOTIFY_DONE;
}

static int bond_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	if (netif_is_our_bond(dev))
		return bond_master_event(dev, event);
	return NOTIFY_DONE;
}

static struct notifier_block bond_netdev_notifier = {
	.notifier_call = bond_netdev_event,
};

/* ---- per network namespace -------------------------------------------- */

static int __net_init bond_net_init(struct net *net)
{
	struct bond_net *bn = bond_net_of(net);

	bn->net = net;
	INIT_LIST_HEAD(&bn->dev_list);
	bond_procfs_net_init(bn);
	return bond_sysfs_net_init(bn);
}

/* bonding_masters goes first, so no write can create a bond while we go. */
static void __net_exit bond_net_pre_exit(struct net *net)
{
	bond_sysfs_net_exit(bond_net_of(net));
}

/* Bonds that the core's own sweep did not reach are removed here. */
static void __net_exit bond_net_exit_batch_rtnl(struct list_head *net_list,
						struct list_head *kill_list)
{
	struct bonding *bond, *tmp;
	struct net *net;

	ASSERT_RTNL();
	list_for_each_entry(net, net_list, exit_list)
		list_for_each_entry_safe(bond, tmp, &bond_net_of(net)->dev_list,
					 bond_list)
			unregister_netdevice_queue(bond->dev, kill_list);
}

/* The /proc directory goes last, once every bond's file is gone. */
static void __net_exit bond_net_exit_batch(struct list_head *net_list)
{
	struct net *net;

	list_for_each_entry(net, net_list, exit_list)
		bond_procfs_net_exit(bond_net_of(net));
}

static struct pernet_operations bond_net_ops = {
	.init		= bond_net_init,
	.pre_exit	= bond_net_pre_exit,
	.exit_batch_rtnl = bond_net_exit_batch_rtnl,
	.exit_batch	= bond_net_exit_batch,
	.id		= &bond_net_id,
	.size		= sizeof(struct bond_net),
};

/* ---- the module ------------------------------------------------------- */

static int __init bond_module_init(void)
{
	int ret, i;

	pr_info("%s: v%s (our bonding.ko %s)\n", BOND_DRV_DESC, UTS_RELEASE,
		BOND_MOD_VERSION);
	bond_check_module_params();

	ret = register_pernet_subsys(&bond_net_ops);
	if (ret)
		return ret;

	ret = bond_netlink_init();
	if (ret)
		goto err_unregister_pernet;

	ret = register_netdevice_notifier(&bond_netdev_notifier);
	if (ret)
		goto err_netlink_exit;

	for (i = 0; i < max_bonds; i++) {
		ret = bond_create(&init_net, NULL);
		if (ret)
			goto err_unregister_notifier;
	}
	return 0;

err_unregister_notifier:
	unregister_netdevice_notifier(&bond_netdev_notifier);
err_netlink_exit:
	/* also deletes the bonds made above */
	bond_netlink_exit();
err_unregister_pernet:
	unregister_pernet_subsys(&bond_net_ops);
	return ret;
}

/*
 * The exact mirror of init. Deleting the link type deletes every bond in
 * every namespace; the pernet exit then removes bonding_masters and any bond
 * a racing bonding_masters write made in between.
 */
static void __exit bond_module_exit(void)
{
	unregister_netdevice_notifier(&bond_netdev_notifier);
	bond_netlink_exit();
	unregister_pernet_subsys(&bond_net_ops);
}

module_init(bond_module_init);
module_exit(bond_module_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(BOND_MOD_VERSION);
MODULE_DESCRIPTION(BOND_DRV_DESC ", a drop-in replacement");
MODULE_AUTHOR("The bonding.ko authors");
MODULE_ALIAS_RTNL_LINK("bond");
