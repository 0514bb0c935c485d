// SPDX-License-Identifier: GPL-2.0
/*
 * Slaves: enslave, release, the receive hook, the array of usable slaves
 * and the events of an enslaved device. Everything here runs under RTNL
 * except bond_handle_frame(), which runs under RCU in softirq.
 *
 * Enslave is a ladder of steps, each undone in reverse by the matching
 * rung of the error path; release is its mirror and follows the two-phase
 * rule: unpublish (list, arrays, rx_handler), synchronize_net(), then undo
 * the device changes and free.
 */

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_hash.h"
#include "bond_iface.h"
#include "compat.h"

/*
 * An extack message for netlink callers, the same text in dmesg otherwise.
 * @msg is a string literal (static storage), as extack messages must be.
 */
void bond_refuse(struct bonding *bond, struct net_device *slave_dev,
		 struct netlink_ext_ack *extack, const char *msg)
{
	if (extack)
		extack->_msg = msg;
	else
		slave_err(bond->dev, slave_dev, "Error: %s\n", msg);
}

/* The same, for refusals about the bond rather than the slave. */
void bond_refuse_bond(struct bonding *bond, struct netlink_ext_ack *extack,
		      const char *msg)
{
	if (extack)
		extack->_msg = msg;
	else
		netdev_err(bond->dev, "Error: %s\n", msg);
}

/* ---- receive ------------------------------------------------------------ */

/*
 * Frames of an inactive slave (one standing by, bond_slave_set_standby())
 * reach only sockets bound to that very device, except link-local ones
 * (LLDP, ...) and, where the mode balances receive, unicast; the rest go
 * up as the bond's.
 */
static bool bond_inactive_passes(struct slave *slave, struct sk_buff *skb)
{
	return READ_ONCE(slave->bond->mode)->inactive_rx_unicast &&
	       skb->pkt_type != PACKET_BROADCAST &&
	       skb->pkt_type != PACKET_MULTICAST;
}

rx_handler_result_t bond_handle_frame(struct sk_buff **pskb)
{
	struct sk_buff *skb;
	struct slave *slave;
	bond_rx_tap_t tap;

	skb = skb_share_check(*pskb, GFP_ATOMIC);
	if (unlikely(!skb))
		return RX_HANDLER_CONSUMED;
	*pskb = skb;

	slave = rcu_dereference(skb->dev->rx_handler_data);
	tap = READ_ONCE(slave->bond->rx_tap);
	if (tap && tap(slave->bond, slave, skb)) {
		consume_skb(skb);
		return RX_HANDLER_CONSUMED;
	}
	if (READ_ONCE(slave->inactive) && !bond_inactive_passes(slave, skb)) {
		if (skb->dev->type == ARPHRD_ETHER &&
		    is_link_local_ether_addr(eth_hdr(skb)->h_dest))
			return RX_HANDLER_PASS;
		return RX_HANDLER_EXACT;
	}
	skb->dev = slave->bond->dev;
	return RX_HANDLER_ANOTHER;
}

/*
 * Who taps receive: the mode's own rx, else the ARP monitor's while
 * arp_interval is set. The options refuse the ARP monitor in a mode with rx
 * (BOND_MODES_ARP), so the two never compete. Called wherever either side
 * changes: the mode (ndo_init, a switch) and arp_interval (both monitors'
 * setters).
 */
void bond_rx_tap_update(struct bonding *bond)
{
	bond_rx_tap_t tap = bond->mode->rx;

	ASSERT_RTNL();
	WARN_ON_ONCE(tap && bond->params.arp_interval);
	if (!tap && bond->params.arp_interval)
		tap = bond_arpmon_rcv;
	WRITE_ONCE(bond->rx_tap, tap);
}

/* ---- slave state -------------------------------------------------------- */

const char *bond_slave_link_name(u8 link)
{
	static const char *const names[] = {
		[BOND_SLAVE_LINK_UP] = "up",
		[BOND_SLAVE_LINK_FAIL] = "going down",
		[BOND_SLAVE_LINK_DOWN] = "down",
		[BOND_SLAVE_LINK_BACK] = "going back",
	};

	return link < ARRAY_SIZE(names) ? names[link] : "unknown";
}

void bond_update_speed_duplex(struct slave *slave)
{
	struct ethtool_link_ksettings ks;

	slave->speed = SPEED_UNKNOWN;
	slave->duplex = DUPLEX_UNKNOWN;
	if (__ethtool_get_link_ksettings(slave->dev, &ks) < 0)
		return;
	if (ks.base.speed == 0 || ks.base.speed == (u32)SPEED_UNKNOWN)
		return;
	if (ks.base.duplex != DUPLEX_FULL && ks.base.duplex != DUPLEX_HALF)
		return;
	slave->speed = ks.base.speed;
	slave->duplex = ks.base.duplex;
}

/* The bond and one slave as the legacy interfaces describe them. */
void bond_fill_ifbond(struct bonding *bond, struct ifbond *info)
{
	info->bond_mode = bond->params.mode;
	info->miimon = bond->params.miimon;
	info->num_slaves = bond->slave_cnt;
}

void bond_fill_ifslave(struct slave *slave, struct ifslave *info)
{
	strscpy(info->slave_name, slave->dev->name, sizeof(info->slave_name));
	info->link = slave->link;
	info->state = slave->backup ? BOND_STATE_BACKUP : BOND_STATE_ACTIVE;
	info->link_failure_count = slave->link_failure_count;
}

/*
 * Tell LAG offloads what the slave can do now, and drivers that follow
 * bonds (NETDEV_BONDING_INFO) the slave's and the bond's state.
 */
static void bond_notify_lower_state(struct slave *slave)
{
	struct netdev_lag_lower_state_info info = {
		.link_up = slave->link == BOND_SLAVE_LINK_UP ||
			   slave->link == BOND_SLAVE_LINK_FAIL,
		.tx_enabled = slave->link == BOND_SLAVE_LINK_UP && !slave->backup,
	};
	struct netdev_bonding_info binfo = {};

	netdev_lower_state_changed(slave->dev, &info);
	bond_fill_ifslave(slave, &binfo.slave);
	bond_fill_ifbond(slave->bond, &binfo.master);
	netdev_bonding_info_change(slave->dev, &binfo);
}

/* The one place a slave's link state changes: the mode hears of it. */
void bond_slave_set_link(struct slave *slave, u8 link)
{
	struct bonding *bond = slave->bond;

	ASSERT_RTNL();
	if (slave->link == link)
		return;
	WRITE_ONCE(slave->link, link);
	bond_notify_lower_state(slave);
	if (bond->mode->slave_changed)
		bond->mode->slave_changed(bond, slave);
}

/*
 * What @slave does for the bond: sends (@backup clear) and receives all
 * (@inactive clear) or exact-match only. The one place these change.
 */
void bond_slave_set_roles(struct slave *slave, bool backup, bool inactive)
{
	struct bonding *bond = slave->bond;

	ASSERT_RTNL();
	if (slave->backup == backup && slave->inactive == inactive)
		return;
	WRITE_ONCE(slave->backup, backup);
	bond_abi_sync_backup(slave);
	bond_ns_maddrs_slave(bond, slave, false);
	WRITE_ONCE(slave->inactive, inactive);
	bond_notify_lower_state(slave);
}

/*
 * @slave stands by (@standby), or is the active slave: a slave standing by
 * receives exact-match only (inactive) unless all_slaves_active, and is a
 * backup, sending nothing, where only the active slave transmits.
 */
void bond_slave_set_standby(struct slave *slave, bool standby)
{
	struct bonding *bond = slave->bond;
	bool backup = standby && bond->mode->tx_active_only;
	bool inactive = standby && !bond->params.all_slaves_active;

	ASSERT_RTNL();
	if (slave->backup == backup && slave->inactive == inactive) {
		/* as before: the offloads hear of it every time */
		bond_notify_lower_state(slave);
		return;
	}
	bond_slave_set_roles(slave, backup, inactive);
}

/* ---- the array of usable slaves ----------------------------------------- */

/*
 * Rebuild the RCU-published array of slaves that can carry traffic, so the
 * transmit path picks one in O(1). In modes with an active slave, only the
 * active one is usable.
 */
void bond_rebuild_usable(struct bonding *bond)
{
	struct bond_slave_arr *arr, *old;
	struct slave *slave;
	unsigned int n = 0;

	ASSERT_RTNL();
	arr = kzalloc(struct_size(arr, arr, bond->slave_cnt), GFP_KERNEL);
	if (arr) {
		bond_for_each_slave(bond, slave) {
			if (!bond_slave_usable(slave))
				continue;
			if (bond->mode->tx_active_only && slave->backup)
				continue;
			if (bond->mode->slave_transmits &&
			    !bond->mode->slave_transmits(bond, slave))
				continue;
			arr->arr[n++] = slave;
		}
		arr->count = n;
	} else {
		/* Keep going with none usable rather than with a stale slave. */
		netdev_err(bond->dev, "out of memory for the slave array\n");
	}
	old = rtnl_dereference(bond->usable);
	rcu_assign_pointer(bond->usable, arr);
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * The one funnel for "the slave set or a slave's link changed": the usable
 * array follows, then the active slave when @reselect, then the carrier.
 */
void bond_slaves_changed(struct bonding *bond, bool reselect)
{
	ASSERT_RTNL();
	bond_rebuild_usable(bond);
	if (reselect)
		bond_select_active(bond);
	bond_set_carrier(bond);
}

/* The bond is going away: no reader can start any more. */
void bond_free_usable(struct bonding *bond)
{
	struct bond_slave_arr *old = rtnl_dereference(bond->usable);

	ASSERT_RTNL();
	RCU_INIT_POINTER(bond->usable, NULL);
	if (old)
		kfree_rcu(old, rcu);
}

/* ---- enslave ------------------------------------------------------------ */

static int bond_enslave_check(struct bonding *bond, struct net_device *slave_dev,
			      struct netlink_ext_ack *extack)
{
	if (slave_dev->type == ARPHRD_CAN) {
		bond_refuse_bond(bond, extack, "CAN devices cannot be enslaved");
		return -EPERM;
	}
	if ((slave_dev->flags & IFF_MASTER) && !netif_is_bond_master(slave_dev)) {
		bond_refuse_bond(bond, extack, "Device type (master device) cannot be enslaved");
		return -EPERM;
	}
	if (netdev_is_rx_handler_busy(slave_dev)) {
		bond_refuse(bond, slave_dev, extack,
			    "Device is in use and cannot be enslaved");
		return -EBUSY;
	}
	if (slave_dev == bond->dev) {
		bond_refuse_bond(bond, extack, "Cannot enslave bond to itself.");
		return -EPERM;
	}
	if ((slave_dev->features & NETIF_F_VLAN_CHALLENGED) &&
	    vlan_uses_dev(bond->dev)) {
		bond_refuse(bond, slave_dev, extack,
			    "Can not enslave VLAN challenged device to VLAN enabled bond");
		return -EPERM;
	}
	if (slave_dev->flags & IFF_UP) {
		bond_refuse(bond, slave_dev, extack, "Device can not be enslaved while up");
		return -EPERM;
	}
	/* the first slave: later ones are refused as a different type */
	if (bond->mode->ether_only && !bond_has_slaves(bond) &&
	    slave_dev->type != ARPHRD_ETHER) {
		bond_refuse(bond, slave_dev, extack, "8023AD mode requires Ethernet devices");
		return -EINVAL;
	}
	if (bond_has_slaves(bond) && bond->dev->type != slave_dev->type) {
		bond_refuse(bond, slave_dev, extack,
			    "Device type is different from other slaves");
		return -EINVAL;
	}
	return 0;
}

/* Slaves that cannot take an address make an active-backup bond's follow them. */
static int bond_enslave_addr_check(struct bonding *bond, struct net_device *slave_dev,
				   struct netlink_ext_ack *extack)
{
	/* an IPoIB address is the port's own: one slave sends at a time */
	if (slave_dev->type == ARPHRD_INFINIBAND && !bond->mode->tx_active_only) {
		bond_refuse(bond, slave_dev, extack,
			    "Only active-backup mode is supported for infiniband slaves");
		return -EOPNOTSUPP;
	}
	if (!slave_dev->netdev_ops->ndo_set_mac_address ||
	    slave_dev->type == ARPHRD_INFINIBAND) {
		slave_warn(bond->dev, slave_dev,
			   "The slave device specified does not support setting the MAC address\n");
		if (bond->mode->failover &&
		    bond->params.fail_over_mac != BOND_FOM_ACTIVE) {
			if (bond_has_slaves(bond)) {
				bond_refuse(bond, slave_dev, extack,
					    "Slave device does not support setting the MAC address, but fail_over_mac is not set to active");
				return -EOPNOTSUPP;
			}
			bond->params.fail_over_mac = BOND_FOM_ACTIVE;
			slave_warn(bond->dev, slave_dev,
				   "Setting fail_over_mac to active for active-backup mode\n");
		}
	}
	bond_features_slave_check(bond, slave_dev);
	return 0;
}

/* The bond takes @slave_dev's address (also SIOCBONDSETHWADDR). */
int bond_take_addr(struct bonding *bond, struct net_device *slave_dev)
{
	struct net_device *dev = bond->dev;
	int ret;

	ret = dev_pre_changeaddr_notify(dev, slave_dev->dev_addr, NULL);
	if (ret)
		return ret;
	dev_addr_set(dev, slave_dev->dev_addr);
	dev->addr_assign_type = NET_ADDR_STOLEN;
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return 0;
}

/* The bond takes its first slave's address, unless it was given one. */
static void bond_take_slave_addr(struct bonding *bond, struct net_device *slave_dev)
{
	if (!bond_has_slaves(bond) && bond->dev->addr_assign_type == NET_ADDR_RANDOM)
		bond_take_addr(bond, slave_dev);
}

/* Whether the slaves wear the bond's address (not with fail_over_mac). */
static bool bond_sets_slave_addr(struct bonding *bond)
{
	return !(bond->mode->failover && bond->params.fail_over_mac);
}

int bond_dev_set_addr(struct net_device *dev, const u8 *addr)
{
	struct sockaddr_storage ss;

	ss.ss_family = dev->type;
	memcpy(ss.__data, addr, dev->addr_len);
	return dev_set_mac_address(dev, (struct sockaddr *)&ss, NULL);
}

/*
 * Give @slave the bond's promisc/allmulti and address lists: the active
 * slave alone in modes with one (single sync), else every slave. The
 * address lists only while the bond is up: the bond's own lists are
 * flushed on unregister with no chance to unsync them, so a down bond
 * keeps them to itself (bond_open syncs them through ndo_set_rx_mode, and
 * bond_stop takes them back).
 */
void bond_slave_add_rx_filters(struct bonding *bond, struct slave *slave)
{
	struct net_device *dev = bond->dev;

	if (dev->flags & IFF_PROMISC)
		dev_set_promiscuity(slave->dev, 1);
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(slave->dev, 1);
	if (!(dev->flags & IFF_UP))
		return;
	netif_addr_lock_bh(dev);
	if (bond->mode->has_active) {
		dev_uc_sync(slave->dev, dev);
		dev_mc_sync(slave->dev, dev);
	} else {
		dev_uc_sync_multiple(slave->dev, dev);
		dev_mc_sync_multiple(slave->dev, dev);
	}
	netif_addr_unlock_bh(dev);
}

void bond_slave_del_rx_filters(struct bonding *bond, struct slave *slave)
{
	struct net_device *dev = bond->dev;

	if (dev->flags & IFF_PROMISC)
		dev_set_promiscuity(slave->dev, -1);
	if (dev->flags & IFF_ALLMULTI)
		dev_set_allmulti(slave->dev, -1);
	bond_slave_unsync_addrs(bond, slave);
}

/* Take the bond's address lists back from @slave; a no-op if it has none. */
void bond_slave_unsync_addrs(struct bonding *bond, struct slave *slave)
{
	/* unsync takes the bond's address lock itself; sync needs it held */
	dev_uc_unsync(slave->dev, bond->dev);
	dev_mc_unsync(slave->dev, bond->dev);
}

static struct slave *bond_slave_alloc(struct bonding *bond,
				      struct net_device *slave_dev)
{
	struct slave *slave;

	slave = kzalloc(sizeof(*slave) + bond->mode->slave_priv_size, GFP_KERNEL);

	if (!slave)
		return NULL;
	slave->dev = slave_dev;
	slave->bond = bond;
	slave->orig_mtu = slave_dev->mtu;
	slave->link = BOND_SLAVE_LINK_DOWN;
	memcpy(slave->perm_hwaddr, slave_dev->dev_addr, slave_dev->addr_len);
	bond_sysfs_slave_init(slave);
	return slave;
}

static int bond_upper_link(struct bonding *bond, struct slave *slave,
			   struct netlink_ext_ack *extack)
{
	struct netdev_lag_upper_info info = {
		.tx_type = bond->mode->lag_tx_type,
		.hash_type = bond_lag_hash_type(bond),
	};
	int ret;

	ret = netdev_master_upper_dev_link(slave->dev, bond->dev, slave, &info,
					   extack);
	if (ret)
		return ret;
	slave->dev->flags |= IFF_SLAVE;
	return 0;
}

static void bond_upper_unlink(struct bonding *bond, struct slave *slave)
{
	netdev_upper_dev_unlink(slave->dev, bond->dev);
	slave->dev->flags &= ~IFF_SLAVE;
}

/* Publish a fully set-up slave: from here on rx and tx may use it. */
static void bond_slave_publish(struct bonding *bond, struct slave *slave)
{
	list_add_tail_rcu(&slave->list, &bond->slave_list);
	bond->slave_cnt++;
	/* the name outlives a mode change; only modes with an active use it */
	if (bond->mode->has_active && bond->params.primary[0] &&
	    !strcmp(bond->params.primary, slave->dev->name)) {
		rcu_assign_pointer(bond->primary_slave, slave);
		bond->force_primary = true;
	}
	bond_ns_maddrs_slave(bond, slave, false);
	bond_slaves_changed(bond, true);
	bond_compute_features(bond);
	bond_xdp_update_features(bond);
}

/* A slave that is a bond itself keeps its own IFF_BONDING. */
static void bond_slave_clear_bonding(struct net_device *slave_dev)
{
	if (!netif_is_bond_master(slave_dev))
		slave_dev->priv_flags &= ~IFF_BONDING;
}

/* The first enslave failed: the bond gives back what it took. */
static void bond_first_slave_failed(struct bonding *bond,
				    struct net_device *slave_dev)
{
	struct net_device *dev = bond->dev;
	bool took_addr = dev->addr_len &&
			 !memcmp(dev->dev_addr, slave_dev->dev_addr, dev->addr_len);

	bond_type_reset(bond);
	if (took_addr) {
		eth_hw_addr_random(dev);
		call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	}
}

int bond_enslave(struct net_device *bond_dev, struct net_device *slave_dev,
		 struct netlink_ext_ack *extack)
{
	struct bonding *bond = bond_of(bond_dev);
	struct slave *slave;
	int ret;

	ASSERT_RTNL();
	ret = bond_enslave_check(bond, slave_dev, extack);
	if (ret)
		return ret;
	ret = bond_type_follow(bond, slave_dev);
	if (ret)
		return ret;
	ret = bond_enslave_addr_check(bond, slave_dev, extack);
	if (ret)
		goto err_restore_bond_addr;

	call_netdevice_notifiers(NETDEV_JOIN, slave_dev);
	bond_take_slave_addr(bond, slave_dev);

	slave = bond_slave_alloc(bond, slave_dev);
	if (!slave) {
		ret = -ENOMEM;
		goto err_restore_bond_addr;
	}

	ret = dev_set_mtu(slave_dev, bond_dev->mtu);
	if (ret) {
		slave_err(bond_dev, slave_dev, "Error %d calling dev_set_mtu\n", ret);
		goto err_free;
	}
	if (bond_sets_slave_addr(bond)) {
		ret = bond_dev_set_addr(slave_dev, bond_dev->dev_addr);
		if (ret) {
			slave_err(bond_dev, slave_dev, "Error %d calling set_mac_address\n", ret);
			goto err_restore_mtu;
		}
	}
	bond_compat_set_no_addrconf(slave_dev, true);
	ret = dev_open(slave_dev, extack);
	if (ret) {
		slave_err(bond_dev, slave_dev, "Opening slave failed\n");
		goto err_restore_addr;
	}
	slave_dev->priv_flags |= IFF_BONDING;
	dev_get_stats(slave_dev, &slave->stats_last);
	ret = bond_features_slave_join(bond, slave);
	if (ret)
		goto err_close;

	bond_update_speed_duplex(slave);
	slave->link = bond_slave_initial_link(bond, slave);
	if (bond->mode->needs_speed_duplex && slave->speed == SPEED_UNKNOWN)
		slave->link = BOND_SLAVE_LINK_DOWN;
	if (slave->link == BOND_SLAVE_LINK_UP)
		slave->last_link_up = jiffies;
	/* it stands by until the bond makes it active (as standby below) */
	slave->backup = bond->mode->tx_active_only;
	bond_abi_sync_backup(slave);
	slave->inactive = bond->mode->has_active && !bond->params.all_slaves_active;
	if (bond->mode->slave_attach) {
		ret = bond->mode->slave_attach(bond, slave);
		if (ret)
			goto err_vids;
	}

	ret = bond_netpoll_slave_join(bond, slave);
	if (ret) {
		slave_info(bond_dev, slave_dev,
			   "master_dev is using netpoll, but new slave device does not support netpoll\n");
		ret = -EBUSY;
		goto err_detach;
	}
	ret = netdev_rx_handler_register(slave_dev, bond_handle_frame, slave);
	if (ret)
		goto err_netpoll;
	ret = bond_upper_link(bond, slave, extack);
	if (ret)
		goto err_unregister_rx;
	ret = bond_sysfs_slave_add(slave);
	if (ret)
		goto err_upper_unlink;
	ret = bond_xdp_slave_join(bond, slave, extack);
	if (ret)
		goto err_sysfs_del;

	if (!bond->mode->has_active)
		bond_slave_add_rx_filters(bond, slave);
	bond_slave_publish(bond, slave);
	bond_notify_lower_state(slave);

	slave_info(bond_dev, slave_dev, "Enslaving as %s interface with %s link\n",
		   slave->backup ? "a backup" : "an active",
		   slave->link == BOND_SLAVE_LINK_DOWN ? "a down" : "an up");
	bond_monitor_kick(bond);
	return 0;

err_sysfs_del:
	bond_sysfs_slave_del(slave);
err_upper_unlink:
	bond_upper_unlink(bond, slave);
err_unregister_rx:
	netdev_rx_handler_unregister(slave_dev);
	synchronize_net();
err_netpoll:
	bond_slave_netpoll_disable(slave);
err_detach:
	if (bond->mode->slave_detach)
		bond->mode->slave_detach(bond, slave);
err_vids:
	bond_features_slave_leave(bond, slave);
err_close:
	bond_slave_clear_bonding(slave_dev);
	dev_close(slave_dev);
err_restore_addr:
	bond_compat_set_no_addrconf(slave_dev, false);
	if (bond_sets_slave_addr(bond))
		bond_dev_set_addr(slave_dev, slave->perm_hwaddr);
err_restore_mtu:
	dev_set_mtu(slave_dev, slave->orig_mtu);
err_free:
	kobject_put(&slave->kobj);
err_restore_bond_addr:
	if (!bond_has_slaves(bond))
		bond_first_slave_failed(bond, slave_dev);
	return ret;
}

/* ---- release ------------------------------------------------------------ */

/* Phase one: nothing can find the slave any more once RCU has passed. */
static void bond_slave_unpublish(struct bonding *bond, struct slave *slave)
{
	bool was_active = slave == rtnl_dereference(bond->curr_active_slave);

	list_del_rcu(&slave->list);
	bond->slave_cnt--;
	if (slave == rtnl_dereference(bond->primary_slave))
		RCU_INIT_POINTER(bond->primary_slave, NULL);
	bond_arpmon_slave_leave(bond, slave);
	/* as in-tree, only losing the active slave makes the bond choose */
	if (was_active)
		bond_change_active(bond, NULL);
	/* as in-tree: with no active slave yet, before the bond chooses one */
	if (bond->mode->slave_detach)
		bond->mode->slave_detach(bond, slave);
	bond_slaves_changed(bond, was_active);
}

/* The bond loses its last slave: it gets an address of its own again. */
static void bond_last_slave_gone(struct bonding *bond)
{
	if (bond_has_slaves(bond))
		return;
	eth_hw_addr_random(bond->dev);
	call_netdevice_notifiers(NETDEV_CHANGEADDR, bond->dev);
}

/* Releasing one slave while others stay, the bond keeps this address. */
static void bond_warn_addr_in_use(struct bonding *bond, struct slave *slave)
{
	if (!bond_sets_slave_addr(bond) || !bond_has_slaves(bond) ||
	    !ether_addr_equal(bond->dev->dev_addr, slave->perm_hwaddr))
		return;
	slave_warn(bond->dev, slave->dev,
		   "the permanent HWaddr of slave - %pM - is still in use by bond - set the HWaddr of slave to a different address to avoid conflicts\n",
		   slave->perm_hwaddr);
}

/* Why a slave leaves its bond. */
enum bond_release_why {
	BOND_RELEASE_ASKED,		/* nomaster, sysfs, ioctl */
	BOND_RELEASE_BOND_GONE,		/* the bond is unregistering */
	BOND_RELEASE_SLAVE_GONE,	/* the slave unregisters or changes netns */
};

/*
 * The slave's MTU goes back. A departing slave hears no CHANGEMTU: IPv4
 * and IPv6 have already let go of it for NETDEV_UNREGISTER, and the event
 * would make them attach to it again, holding it forever.
 */
static void bond_slave_restore_mtu(struct slave *slave,
				   enum bond_release_why why)
{
	if (why == BOND_RELEASE_SLAVE_GONE)
		__dev_set_mtu(slave->dev, slave->orig_mtu);
	else
		dev_set_mtu(slave->dev, slave->orig_mtu);
}

static void __bond_release(struct bonding *bond, struct slave *slave,
			   enum bond_release_why why)
{
	struct net_device *slave_dev = slave->dev;

	ASSERT_RTNL();
	slave_info(bond->dev, slave_dev, "Releasing %s interface\n",
		   slave->backup ? "backup" : "active");

	/* an active slave's filters leave with bond_change_active() here */
	bond_slave_unpublish(bond, slave);
	/* while still linked: nested stats locks go by the link depth */
	bond_stats_release(bond, slave);
	bond_ns_maddrs_slave(bond, slave, true);
	if (why != BOND_RELEASE_BOND_GONE)
		bond_warn_addr_in_use(bond, slave);
	bond_sysfs_slave_del(slave);
	netdev_rx_handler_unregister(slave_dev);
	bond_upper_unlink(bond, slave);
	synchronize_net();

	/* Phase two: undo what enslave did to the device. */
	bond_features_slave_gone(bond, slave_dev);
	bond_features_slave_leave(bond, slave);
	bond_xdp_slave_leave(bond, slave);
	bond_xdp_update_features(bond);
	bond_slave_netpoll_disable(slave);
	/* in modes with an active slave, only that one had them */
	if (!bond->mode->has_active)
		bond_slave_del_rx_filters(bond, slave);
	bond_last_slave_gone(bond);
	bond_slave_clear_bonding(slave_dev);
	dev_close(slave_dev);
	bond_compat_set_no_addrconf(slave_dev, false);
	if (bond_sets_slave_addr(bond) ||
	    bond->params.fail_over_mac == BOND_FOM_FOLLOW)
		bond_dev_set_addr(slave_dev, slave->perm_hwaddr);
	bond_slave_restore_mtu(slave, why);
	kobject_put(&slave->kobj);	/* frees the slave */
}

int bond_release(struct net_device *bond_dev, struct net_device *slave_dev)
{
	struct bonding *bond = bond_of(bond_dev);
	struct slave *slave;

	ASSERT_RTNL();
	slave = bond_slave_of(slave_dev);
	if (!slave || slave->bond != bond) {
		slave_info(bond_dev, slave_dev, "interface not enslaved\n");
		return -EINVAL;
	}
	__bond_release(bond, slave, BOND_RELEASE_ASKED);
	return 0;
}

void bond_release_all(struct bonding *bond)
{
	struct slave *slave, *tmp;

	ASSERT_RTNL();
	if (!bond_has_slaves(bond))
		return;
	list_for_each_entry_safe(slave, tmp, &bond->slave_list, list)
		__bond_release(bond, slave, BOND_RELEASE_BOND_GONE);
	netdev_info(bond->dev, "Released all slaves\n");
}

/* ---- events of an enslaved device --------------------------------------- */

int bond_slave_netdev_event(struct slave *slave, unsigned long event)
{
	struct bonding *bond = slave->bond;

	ASSERT_RTNL();
	switch (event) {
	case NETDEV_UNREGISTER:
		__bond_release(bond, slave, BOND_RELEASE_SLAVE_GONE);
		bond_type_slave_unregistered(bond);
		break;
	case NETDEV_UP:
	case NETDEV_CHANGE:
		bond_update_speed_duplex(slave);
		if (bond->mode->slave_changed)
			bond->mode->slave_changed(bond, slave);
		fallthrough;
	case NETDEV_DOWN:
		/* The monitor decides about the link; the array follows now. */
		bond_rebuild_usable(bond);
		bond_monitor_event(bond);
		break;
	case NETDEV_CHANGENAME:
		bond_primary_changed(bond);
		break;
	case NETDEV_FEAT_CHANGE:
		bond_slave_features_changed(bond);
		break;
#ifdef BOND_HAVE_XDP_FEATURES
	case NETDEV_XDP_FEAT_CHANGE:
		bond_xdp_update_features(bond);
		break;
#endif
	}
	return NOTIFY_DONE;
}
