// SPDX-License-Identifier: GPL-2.0
/*
 * bonding.ko: the module and the bond netdevice.
 *
 * This file owns the life cycle (module load and unload, the per-namespace
 * state, creating and destroying bonds) and the netdevice operations. The
 * data path (bond_xmit.c) dispatches to the bond's mode; slaves are
 * managed in bond_slave.c, the monitors live in bond_monitor.c and the user
 * interfaces in bond_{sysfs,procfs,netlink}.c.
 */

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>
#include <linux/if_bonding.h>
#include <linux/netpoll.h>
#include <generated/utsrelease.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_hash.h"
#include "bond_options.h"
#include "bond_iface.h"
#include "compat.h"

unsigned int bond_net_id __read_mostly;

/*
 * Module-wide load-time parameters. They are read once by
 * bond_check_module_params() at load and never written afterwards. The
 * per-bond defaults (mode=, miimon=, ...) are in bond_options.c.
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

/* ---- open, stop and counters -------------------------------------------- */

/* Which slaves carry the bond's receive filters: the active one, or all. */
static bool bond_slave_gets_rx_filters(struct bonding *bond,
				       struct slave *slave)
{
	return !bond->mode->has_active ||
	       slave == rtnl_dereference(bond->curr_active_slave);
}

static int bond_open(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);

	int ret;

	ASSERT_RTNL();
	if (bond->mode->open) {
		ret = bond->mode->open(bond);
		if (ret)
			return ret;
	}
	/* as in-tree, opening keeps the active slave; it only finds a missing one */
	bond_slaves_changed(bond, !rtnl_dereference(bond->curr_active_slave));
	bond_monitor_start(bond);
	return 0;
}

static int bond_stop(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave;

	ASSERT_RTNL();
	if (bond->mode->close)
		bond->mode->close(bond);
	bond_monitor_stop(bond);
	bond->peer_notif_left = 0;
	bond->igmp_left = 0;
	/*
	 * Unregistering flushes the bond's address lists before ndo_uninit
	 * could unsync them, and a down bond hears of no change to them: the
	 * slaves give them back now, and bond_open syncs them again.
	 */
	bond_for_each_slave(bond, slave)
		if (bond_slave_gets_rx_filters(bond, slave))
			bond_slave_unsync_addrs(bond, slave);
	return 0;
}

/*
 * Counters are what the slaves counted while enslaved. Each read folds in
 * what every slave counted since the last read; a counter that went back
 * (a driver resetting its stats, a veth losing its peer) adds nothing, and
 * a 32-bit counter may wrap. Released slaves stay in the sum, so nothing
 * is counted twice or lost, and the bond's counters never go back.
 * Caller holds stats_lock.
 */
static void bond_stats_fold(struct bonding *bond, struct slave *slave)
{
	struct rtnl_link_stats64 now;
	const u64 *n = (const u64 *)&now;
	u64 *last = (u64 *)&slave->stats_last;
	u64 *sum = (u64 *)&bond->stats;
	size_t i;
	s64 d;

	dev_get_stats(slave->dev, &now);
	for (i = 0; i < sizeof(now) / sizeof(u64); i++) {
		d = n[i] - last[i];
		if (!((n[i] | last[i]) >> 32))
			d = (s32)((u32)n[i] - (u32)last[i]);
		if (d > 0)
			sum[i] += d;
		last[i] = n[i];
	}
}

/* Bonds of bonds take their stats locks nested, outermost first. */
static void bond_stats_lock(struct bonding *bond)
	__acquires(&bond->stats_lock)
{
	spin_lock_nested(&bond->stats_lock,
			 min_t(int, bond->dev->lower_level, MAX_LOCKDEP_SUBCLASSES - 1));
}

static void bond_stats_unlock(struct bonding *bond)
	__releases(&bond->stats_lock)
{
	spin_unlock(&bond->stats_lock);
}

/* A slave leaves: what it counted until now stays in the bond's sum. */
void bond_stats_release(struct bonding *bond, struct slave *slave)
{
	bond_stats_lock(bond);
	bond_stats_fold(bond, slave);
	bond_stats_unlock(bond);
}

static void bond_get_stats64(struct net_device *dev,
			     struct rtnl_link_stats64 *stats)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave;

	rcu_read_lock();
	bond_stats_lock(bond);
	bond_for_each_slave_rcu(bond, slave)
		bond_stats_fold(bond, slave);
	*stats = bond->stats;
	bond_stats_unlock(bond);
	rcu_read_unlock();
}

/* ---- addresses, MTU and receive filters --------------------------------- */

static int bond_change_mtu(struct net_device *dev, int mtu)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave, *done;
	int ret;

	ASSERT_RTNL();
	bond_for_each_slave(bond, slave) {
		ret = dev_set_mtu(slave->dev, mtu);
		if (ret) {
			netdev_err(dev, "cannot set MTU %d on %s: %d\n", mtu,
				   slave->dev->name, ret);
			goto undo;
		}
	}
	WRITE_ONCE(dev->mtu, mtu);
	return 0;

undo:
	bond_for_each_slave(bond, done) {
		if (done == slave)
			break;
		dev_set_mtu(done->dev, dev->mtu);
	}
	return ret;
}

static int bond_set_mac_address(struct net_device *dev, void *addr)
{
	struct bonding *bond = bond_of(dev);
	struct sockaddr_storage *ss = addr;
	struct sockaddr_storage old;
	struct slave *slave, *done;
	int ret;

	ASSERT_RTNL();
	/*
	 * With fail_over_mac the bond wears an address the slaves give it
	 * (active) or lends to one of them (follow): a new one would reach no
	 * slave. In-tree ignores the request and reports success, which
	 * ifenslave relies on; so do we.
	 */
	if (bond->mode->failover && bond->params.fail_over_mac)
		return 0;
	if (!is_valid_ether_addr(ss->__data))
		return -EADDRNOTAVAIL;
	if (bond->mode->set_mac)
		return bond->mode->set_mac(bond, ss->__data);

	/* addr_len may exceed sa_data's 14 bytes (ip6gre 16, IPoIB 20) */
	old.ss_family = dev->type;
	memcpy(old.__data, dev->dev_addr, dev->addr_len);
	bond_for_each_slave(bond, slave) {
		ret = dev_set_mac_address(slave->dev, (struct sockaddr *)ss, NULL);
		if (ret)
			goto undo;
	}
	dev_addr_set(dev, ss->__data);
	return 0;

undo:
	bond_for_each_slave(bond, done) {
		if (done == slave)
			break;
		dev_set_mac_address(done->dev, (struct sockaddr *)&old, NULL);
	}
	return ret;
}

static void bond_change_rx_flags(struct net_device *dev, int change)
{
	struct bonding *bond = bond_of(dev);
	struct slave *slave;

	ASSERT_RTNL();
	bond_for_each_slave(bond, slave) {
		if (!bond_slave_gets_rx_filters(bond, slave))
			continue;
		if (change & IFF_PROMISC)
			dev_set_promiscuity(slave->dev,
					    dev->flags & IFF_PROMISC ? 1 : -1);
		if (change & IFF_ALLMULTI)
			dev_set_allmulti(slave->dev,
					 dev->flags & IFF_ALLMULTI ? 1 : -1);
	}
}

/* Called under the bond's addr_list_lock, with RCU (not RTNL). */
static void bond_set_rx_mode(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);
	const struct bond_mode *mode = READ_ONCE(bond->mode);
	struct slave *slave;

	rcu_read_lock();
	if (mode->has_active) {
		slave = rcu_dereference(bond->curr_active_slave);
		if (slave) {
			dev_uc_sync(slave->dev, dev);
			dev_mc_sync(slave->dev, dev);
		}
	} else {
		bond_for_each_slave_rcu(bond, slave) {
			dev_uc_sync_multiple(slave->dev, dev);
			dev_mc_sync_multiple(slave->dev, dev);
		}
	}
	rcu_read_unlock();
}

/* ---- ethtool ------------------------------------------------------------ */

static void bond_get_drvinfo(struct net_device *dev,
			     struct ethtool_drvinfo *info)
{
	strscpy(info->driver, BOND_DRV_NAME, sizeof(info->driver));
	snprintf(info->fw_version, sizeof(info->fw_version), "%d",
		 BOND_ABI_VERSION);
}

static unsigned long bond_speed_fold(bool min, unsigned long acc, u32 speed)
{
	if (!min)
		return acc + speed;
	return !acc || speed < acc ? speed : acc;
}

/* Speed is the sum over the slaves that can transmit (broadcast: the least). */
static int bond_get_link_ksettings(struct net_device *dev,
				   struct ethtool_link_ksettings *cmd)
{
	struct bonding *bond = bond_of(dev);
	unsigned long speed = 0;
	struct slave *slave;

	cmd->base.duplex = DUPLEX_UNKNOWN;
	cmd->base.port = PORT_OTHER;
	bond_for_each_slave(bond, slave) {
		/* what transmits counts: not a backup, nor an 802.3ad port out of the LAG */
		if (!bond_slave_usable(slave) || slave->backup)
			continue;
		if (slave->speed != SPEED_UNKNOWN)
			speed = bond_speed_fold(bond->mode->speed_is_min, speed,
						slave->speed);
		if (cmd->base.duplex == DUPLEX_UNKNOWN &&
		    slave->duplex != DUPLEX_UNKNOWN)
			cmd->base.duplex = slave->duplex;
	}
	cmd->base.speed = speed ? : SPEED_UNKNOWN;
	return 0;
}

static const struct ethtool_ops bond_ethtool_ops = {
	.get_drvinfo		= bond_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= bond_get_link_ksettings,
	.get_ts_info		= bond_get_ts_info,
};

/* ---- the netdevice ------------------------------------------------------ */

static int bond_ndo_init(struct net_device *dev)
{
	struct bond_net *bn = bond_net_of(dev_net(dev));
	struct bonding *bond = bond_of(dev);
	int ret;

	ASSERT_RTNL();
	/*
	 * A failed ndo_init is followed by neither ndo_uninit nor the
	 * destructor: what was made here is unmade here.
	 */
	bond->wq = alloc_ordered_workqueue("%s", WQ_MEM_RECLAIM, dev->name);
	if (!bond->wq)
		return -ENOMEM;
	ret = bond_mode_start(bond);
	if (ret)
		goto err_wq;

	list_add_tail_rcu(&bond->bond_list, &bn->dev_list);
	bond_procfs_add(bond);
	bond_sysfs_add(bond);
	bond_debugfs_add(bond);

	/* A bond with no slave yet still needs a valid address. */
	if (is_zero_ether_addr(dev->dev_addr) &&
	    dev->addr_assign_type == NET_ADDR_PERM)
		eth_hw_addr_random(dev);
	return 0;

err_wq:
	destroy_workqueue(bond->wq);
	bond->wq = NULL;
	return ret;
}

/* Unregistering: release every slave; RCU is synchronized before the free. */
static void bond_ndo_uninit(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);

	ASSERT_RTNL();
	bond_xfrm_flush(bond);
	bond_release_all(bond);
	bond_free_usable(bond);
	bond_procfs_del(bond);
	bond_debugfs_del(bond);
	list_del_rcu(&bond->bond_list);
}

static void bond_destructor(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);

	if (bond->wq)
		destroy_workqueue(bond->wq);
	bond_mode_free(bond);
	bond_xfrm_destroy(bond);
}

const struct net_device_ops bond_netdev_ops = {
	.ndo_init		= bond_ndo_init,
	.ndo_uninit		= bond_ndo_uninit,
	.ndo_open		= bond_open,
	.ndo_stop		= bond_stop,
	.ndo_start_xmit		= bond_start_xmit,
	.ndo_select_queue	= bond_select_queue,
	.ndo_get_stats64	= bond_get_stats64,
	.ndo_change_mtu		= bond_change_mtu,
	.ndo_set_mac_address	= bond_set_mac_address,
	.ndo_change_rx_flags	= bond_change_rx_flags,
	.ndo_set_rx_mode	= bond_set_rx_mode,
	.ndo_siocbond		= bond_siocbond,
	.ndo_siocdevprivate	= bond_siocdevprivate,
	.ndo_eth_ioctl		= bond_eth_ioctl,
	.ndo_add_slave		= bond_enslave,
	.ndo_del_slave		= bond_release,
	.ndo_get_xmit_slave	= bond_get_xmit_slave,
	.ndo_sk_get_lower_dev	= bond_sk_get_lower_dev,
#ifdef BOND_HAVE_NDO_HWTSTAMP
	.ndo_hwtstamp_get	= bond_hwtstamp_get,
	.ndo_hwtstamp_set	= bond_hwtstamp_set,
#endif
	.ndo_features_check	= passthru_features_check,
	.ndo_fix_features	= bond_fix_features,
	.ndo_vlan_rx_add_vid	= bond_vlan_rx_add_vid,
	.ndo_vlan_rx_kill_vid	= bond_vlan_rx_kill_vid,
	.ndo_bpf		= bond_xdp,
	.ndo_xdp_xmit		= bond_xdp_xmit,
	.ndo_xdp_get_xmit_slave	= bond_xdp_get_xmit_slave,
#ifdef CONFIG_NET_POLL_CONTROLLER
	.ndo_netpoll_setup	= bond_netpoll_setup,
	.ndo_netpoll_cleanup	= bond_netpoll_cleanup,
	.ndo_poll_controller	= bond_poll_controller,
#endif
};

static const struct device_type bond_device_type = {
	.name = "bond",
};

void bond_setup(struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);

	bond->dev = dev;
	INIT_LIST_HEAD(&bond->slave_list);
	spin_lock_init(&bond->stats_lock);
	bond_options_defaults(&bond->params);
	bond_abi_sync_mode(bond);
	bond->mode = bond_mode_get(bond->params.mode);
	bond_monitor_init(bond);

	ether_setup(dev);
	dev->max_mtu = ETH_MAX_MTU;
	dev->netdev_ops = &bond_netdev_ops;
	dev->ethtool_ops = &bond_ethtool_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = bond_destructor;
	SET_NETDEV_DEVTYPE(dev, &bond_device_type);

	dev->flags |= IFF_MASTER;
	dev->priv_flags |= IFF_BONDING | IFF_UNICAST_FLT | IFF_NO_QUEUE;
	dev->priv_flags &= ~(IFF_XMIT_DST_RELEASE | IFF_TX_SKB_SHARING);

	bond_features_setup(dev);
	bond_xfrm_setup(bond);
	/* Transmit never takes the bond's own queue lock. */
	bond_compat_set_lltx(dev);
	/* As in-tree: a bond stays in the namespace it was made in. */
	bond_compat_set_netns_local(dev);
}

/* Called under RTNL right after register_netdevice() succeeded. */
int bond_after_register(struct net_device *dev)
{
	ASSERT_RTNL();
	netif_carrier_off(dev);
	return 0;
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

/* ---- netdevice events --------------------------------------------------- */

static int bond_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct slave *slave;

	if (netif_is_our_bond(dev) && event == NETDEV_CHANGENAME) {
		bond_procfs_rename(bond_of(dev));
		bond_debugfs_rename(bond_of(dev));
	}
	/* A bond may itself be the slave of another bond. */
	slave = bond_slave_of(dev);
	if (!slave)
		return NOTIFY_DONE;
	return bond_slave_netdev_event(slave, event);
}

static struct notifier_block bond_netdev_notifier = {
	.notifier_call = bond_netdev_event,
};

/* ---- per network namespace ---------------------------------------------- */

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

/* ---- the module --------------------------------------------------------- */

static int __init bond_module_init(void)
{
	int ret, i;

	pr_info("%s: v%s (our bonding.ko %s)\n", BOND_DRV_DESC, UTS_RELEASE,
		BOND_MOD_VERSION);
	bond_check_module_params();
	ret = bond_modes_check();
	if (ret)
		return ret;
	bond_hash_init();
	ret = bond_options_load_defaults();
	if (ret)
		return ret;

	bond_debugfs_init();
	/* Slave events must be heard for as long as any bond exists. */
	ret = register_netdevice_notifier(&bond_netdev_notifier);
	if (ret)
		goto err_debugfs;

	ret = register_pernet_subsys(&bond_net_ops);
	if (ret)
		goto err_unregister_notifier;

	ret = bond_netlink_init();
	if (ret)
		goto err_unregister_pernet;

	for (i = 0; i < max_bonds; i++) {
		ret = bond_create(&init_net, NULL);
		if (ret)
			goto err_netlink_exit;
	}
	return 0;

err_netlink_exit:
	/* also deletes the bonds made above */
	bond_netlink_exit();
err_unregister_pernet:
	unregister_pernet_subsys(&bond_net_ops);
err_unregister_notifier:
	unregister_netdevice_notifier(&bond_netdev_notifier);
err_debugfs:
	bond_debugfs_exit();
	return ret;
}

/*
 * The exact mirror of init. Deleting the link type deletes every bond in
 * every namespace; the pernet exit then removes bonding_masters and any bond
 * a racing bonding_masters write made in between.
 */
static void __exit bond_module_exit(void)
{
	bond_netlink_exit();
	unregister_pernet_subsys(&bond_net_ops);
	unregister_netdevice_notifier(&bond_netdev_notifier);
	bond_debugfs_exit();
}

module_init(bond_module_init);
module_exit(bond_module_exit);
MODULE_LICENSE("GPL");
MODULE_VERSION(BOND_MOD_VERSION);
MODULE_DESCRIPTION(BOND_DRV_DESC ", a drop-in replacement");
MODULE_AUTHOR("The bonding.ko authors");
MODULE_ALIAS_RTNL_LINK("bond");
