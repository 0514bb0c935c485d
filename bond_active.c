// SPDX-License-Identifier: GPL-2.0
/*
 * The current active slave: which slave it is, and what changing it does.
 *
 * In modes with an active slave (struct bond_mode::has_active) it takes the
 * bond's receive filters and the others receive exact-match only; where
 * only it transmits (tx_active_only), the others are backups. Other modes
 * keep one too, only to pin IGMP reports to a single port.
 *
 * The choice follows, in order: the primary slave (and primary_reselect),
 * then the slaves' prio, then the first slave whose link is up; with none
 * up, a slave still counting its updelay is taken at once. A change of
 * active sends the failover notifications: NETDEV_BONDING_FAILOVER, then
 * num_grat_arp NOTIFY_PEERS (gratuitous ARP and unsolicited NA) spaced by
 * peer_notif_delay, and resend_igmp IGMP/MLD re-joins 200 ms apart.
 * Everything here runs under RTNL.
 */

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"

static bool bond_slave_link_up(const struct slave *slave)
{
	return slave && slave->link == BOND_SLAVE_LINK_UP;
}

/* The up slave of highest prio; the first of them on a tie. */
static struct slave *bond_best_by_prio(struct bonding *bond)
{
	struct slave *slave, *best = NULL;

	bond_for_each_slave(bond, slave)
		if (bond_slave_link_up(slave) && (!best || slave->prio > best->prio))
			best = slave;
	return best;
}

/* Whether the primary should take over from a working current active. */
static bool bond_primary_wins(struct bonding *bond, struct slave *prim,
			      struct slave *curr)
{
	switch (bond->params.primary_reselect) {
	case BOND_PRI_RESELECT_BETTER:
		if (prim->speed != curr->speed)
			return prim->speed > curr->speed;
		return prim->duplex > curr->duplex;
	case BOND_PRI_RESELECT_FAILURE:
		return false;
	default:
		return true;
	}
}

/*
 * Without a working primary, the up slave of highest prio stands in for it:
 * it takes over from the current active by the same primary_reselect rule.
 */
static struct slave *bond_choose_up(struct bonding *bond)
{
	struct slave *prim = rtnl_dereference(bond->primary_slave);
	struct slave *curr = rtnl_dereference(bond->curr_active_slave);

	if (!bond_slave_link_up(prim)) {
		prim = bond_best_by_prio(bond);
		if (!prim || prim == curr)
			return bond_slave_link_up(curr) ? curr : NULL;
	} else if (bond->force_primary) {
		bond->force_primary = false;
		return prim;
	}
	if (!bond_slave_link_up(curr) || bond_primary_wins(bond, prim, curr))
		return prim;
	return curr;
}

/* With no slave up: the one that will be up soonest, updelay or not. */
static struct slave *bond_choose_back(struct bonding *bond)
{
	struct slave *slave, *best = NULL;

	bond_for_each_slave(bond, slave) {
		if (slave->link != BOND_SLAVE_LINK_BACK ||
		    !netif_running(slave->dev) || !netif_carrier_ok(slave->dev))
			continue;
		if (!best || time_before(slave->delay_until, best->delay_until))
			best = slave;
	}
	return best;
}

void bond_select_active(struct bonding *bond)
{
	struct slave *curr = rtnl_dereference(bond->curr_active_slave);
	struct slave *best;
	bool had_carrier;

	ASSERT_RTNL();
	best = bond_choose_up(bond);
	if (!best)
		best = bond_choose_back(bond);
	if (best == curr)
		return;

	had_carrier = netif_carrier_ok(bond->dev);
	bond_change_active(bond, best);
	bond_set_carrier(bond);
	if (!had_carrier && netif_carrier_ok(bond->dev))
		netdev_info(bond->dev, "active interface up!\n");
	else if (had_carrier && !netif_carrier_ok(bond->dev) && !bond->relinking)
		netdev_info(bond->dev, "now running without any active interface!\n");
}

/* Move the bond's promisc/allmulti and address lists to the new active. */
static void bond_move_rx_filters(struct bonding *bond, struct slave *old,
				 struct slave *new)
{
	if (old)
		bond_slave_del_rx_filters(bond, old);
	if (new)
		bond_slave_add_rx_filters(bond, new);
}

/*
 * The slave other than @new that wears the bond's address: the last active
 * one, left wearing it when the bond went without an active slave.
 */
static struct slave *bond_slave_wearing_addr(struct bonding *bond,
					     struct slave *new)
{
	struct slave *slave;

	bond_for_each_slave(bond, slave)
		if (slave != new && !memcmp(slave->dev->dev_addr,
					    bond->dev->dev_addr,
					    bond->dev->addr_len))
			return slave;
	return NULL;
}

/*
 * fail_over_mac: "active" gives the bond the new active's address, all
 * addr_len bytes of it (IPoIB has 20); "follow" moves the bond's address
 * to the new active, and the new active's own to the slave that wore the
 * bond's before, so no two ports share one.
 */
static void bond_fail_over_mac(struct bonding *bond, struct slave *old,
			       struct slave *new)
{
	u8 tmp[MAX_ADDR_LEN];

	if (!new)
		return;
	switch (bond->params.fail_over_mac) {
	case BOND_FOM_ACTIVE:
		if (bond_take_addr(bond, new->dev))
			netdev_err(bond->dev, "could not take the address of %s\n",
				   new->dev->name);
		break;
	case BOND_FOM_FOLLOW:
		if (!old)
			old = bond_slave_wearing_addr(bond, new);
		if (!old) {
			/* the first active just wears the bond's address */
			bond_dev_set_addr(new->dev, bond->dev->dev_addr);
			break;
		}
		memcpy(tmp, new->dev->dev_addr, new->dev->addr_len);
		bond_dev_set_addr(new->dev, bond->dev->dev_addr);
		bond_dev_set_addr(old->dev, tmp);
		break;
	}
}

/*
 * failover_relink (ours): a failover between slaves that lead to different
 * networks (two ISPs) leaves a DHCP client holding the old network's lease,
 * since to it the bond's link never changed. The bond drops its carrier
 * for failover_relink ms, so that clients that restart on a link's return
 * (systemd-networkd, dhcpcd) ask the new network. Only where the bond had
 * carrier: without it, the carrier's return says so already.
 */
static void bond_relink_start(struct bonding *bond, struct slave *new)
{
	ASSERT_RTNL();
	netdev_info(bond->dev, "failover_relink: carrier off for %u ms after the failover to %s\n",
		    bond->params.failover_relink, new->dev->name);
	bond->relinking = true;
	netif_carrier_off(bond->dev);
	mod_delayed_work(bond->wq, &bond->relink_work,
			 msecs_to_jiffies(bond->params.failover_relink));
}

static void bond_relink_work(struct work_struct *work)
{
	struct bonding *bond = container_of(to_delayed_work(work),
					    struct bonding, relink_work);

	if (!rtnl_trylock()) {
		queue_delayed_work(bond->wq, &bond->relink_work, 1);
		return;
	}
	if (bond->relinking) {
		bond->relinking = false;
		bond_set_carrier(bond);
		netdev_info(bond->dev, "failover_relink: carrier %s\n",
			    netif_carrier_ok(bond->dev) ? "back" : "still off: no slave is up");
		/* the peer notifications held back while it had no carrier */
		bond_peer_notify_tick(bond);
	}
	rtnl_unlock();
}

void bond_relink_init(struct bonding *bond)
{
	INIT_DELAYED_WORK(&bond->relink_work, bond_relink_work);
}

/* The bond goes down: bond_open computes its carrier afresh. */
void bond_relink_stop(struct bonding *bond)
{
	ASSERT_RTNL();
	cancel_delayed_work_sync(&bond->relink_work);
	bond->relinking = false;
}

/*
 * After a change of active slave: a failover (modes with an active slave
 * that took a new one) tells the stack and the peers; IGMP/MLD joins are
 * sent again where the active slave carries them.
 */
static void bond_start_notifications(struct bonding *bond, struct slave *new)
{
	bool failover = new && bond->mode->failover;

	if (!netif_running(bond->dev))
		return;
	if (failover && bond->params.failover_relink && netif_carrier_ok(bond->dev))
		bond_relink_start(bond, new);
	if (failover) {
		call_netdevice_notifiers(NETDEV_BONDING_FAILOVER, bond->dev);
		bond->peer_notif_left = bond->params.num_peer_notif;
		bond->peer_notif_wait = 0;
		bond_peer_notify_tick(bond);
	}
	if ((new && bond->mode->has_active) || bond->mode->igmp_on_active) {
		bond->igmp_left = bond->params.resend_igmp;
		if (bond->igmp_left)
			mod_delayed_work(bond->wq, &bond->mcast_work, 1);
	}
}

void bond_change_active(struct bonding *bond, struct slave *new)
{
	struct slave *old = rtnl_dereference(bond->curr_active_slave);

	ASSERT_RTNL();
	if (new == old)
		return;

	if (new && new->link == BOND_SLAVE_LINK_BACK) {
		slave_info(bond->dev, new->dev,
			   "making interface the new active one %d ms earlier\n",
			   jiffies_to_msecs(max_t(long, 0, new->delay_until - jiffies)));
		new->last_link_up = jiffies;
		bond_slave_set_link(new, BOND_SLAVE_LINK_UP);
	}

	if (bond->mode->has_active) {
		bond_move_rx_filters(bond, old, new);
		if (old)
			bond_slave_set_standby(old, true);
		if (new) {
			bond_slave_set_standby(new, false);
			slave_info(bond->dev, new->dev,
				   "making interface the new active one\n");
		}
	}
	if (bond->mode->failover)
		bond_fail_over_mac(bond, old, new);
	bond_xfrm_active_leave(bond, old);
	rcu_assign_pointer(bond->curr_active_slave, new);
	if (bond->mode->active_changed)
		bond->mode->active_changed(bond, old, new);
	bond_rebuild_usable(bond);
	bond_xfrm_active_join(bond, new);

	bond_start_notifications(bond, new);
}

/*
 * One monitor tick of peer notifications: the first goes out with the
 * failover, the next ones every peer_notif_delay ticks, while the bond
 * has carrier.
 */
void bond_peer_notify_tick(struct bonding *bond)
{
	ASSERT_RTNL();
	if (bond->peer_notif_left <= 0 || !netif_carrier_ok(bond->dev))
		return;
	if (bond->peer_notif_wait > 0 && --bond->peer_notif_wait > 0)
		return;
	call_netdevice_notifiers(NETDEV_NOTIFY_PEERS, bond->dev);
	bond->peer_notif_left--;
	bond->peer_notif_wait = max(1, bond->params.peer_notif_delay);
}

/* The primary's name was set or a slave was renamed: match it again. */
void bond_primary_changed(struct bonding *bond)
{
	struct slave *slave, *prim = NULL;

	ASSERT_RTNL();
	if (bond->mode->has_active && bond->params.primary[0]) {
		bond_for_each_slave(bond, slave)
			if (!strcmp(slave->dev->name, bond->params.primary))
				prim = slave;
	}
	if (prim == rtnl_dereference(bond->primary_slave))
		return;
	rcu_assign_pointer(bond->primary_slave, prim);
	if (prim) {
		netdev_info(bond->dev, "Primary slave changed to %s, reselecting active slave\n",
			    prim->dev->name);
		bond->force_primary = true;
	}
	bond_select_active(bond);
}

/*
 * The active slave users are shown (sysfs, netlink): only in modes where
 * it carries the traffic. Others keep one just to pin IGMP reports. RCU.
 */
struct slave *bond_shown_active_rcu(struct bonding *bond)
{
	if (!READ_ONCE(bond->mode)->has_active)
		return NULL;
	return rcu_dereference(bond->curr_active_slave);
}

/* active_slave: @dev NULL clears it and lets the bond choose again. */
int bond_set_active_slave(struct bonding *bond, struct net_device *dev,
			  struct netlink_ext_ack *extack)
{
	struct slave *old = rtnl_dereference(bond->curr_active_slave);
	struct slave *new;

	ASSERT_RTNL();
	if (!dev) {
		bond_change_active(bond, NULL);
		bond_select_active(bond);
		return 0;
	}
	new = bond_slave_of(dev);
	if (!new) {
		slave_err(bond->dev, dev, "Device is not bonding slave\n");
		NL_SET_ERR_MSG(extack, "Device is not bonding slave");
		return -EINVAL;
	}
	if (new->bond != bond) {
		slave_err(bond->dev, dev, "Device is not our slave\n");
		NL_SET_ERR_MSG(extack, "Device is not our slave");
		return -EINVAL;
	}
	if (new == old)
		return 0;
	if (!old || !bond_slave_usable(new)) {
		slave_err(bond->dev, dev,
			  "Could not set as active slave; either %s is down or the link is down\n",
			  dev->name);
		NL_SET_ERR_MSG(extack, "Could not set as active slave");
		return -EINVAL;
	}
	bond_change_active(bond, new);
	return 0;
}

/*
 * Carrier: on while any slave is up, or as the mode decides; off for a
 * moment after a failover with failover_relink.
 */
void bond_set_carrier(struct bonding *bond)
{
	struct slave *slave;
	bool up = false;

	ASSERT_RTNL();
	bond_for_each_slave(bond, slave)
		if (slave->link == BOND_SLAVE_LINK_UP)
			up = true;
	if (bond->mode->carrier)
		up = bond_has_slaves(bond) && bond->mode->carrier(bond);
	if (bond->relinking)
		up = false;
	if (up && !netif_carrier_ok(bond->dev))
		netif_carrier_on(bond->dev);
	else if (!up && netif_carrier_ok(bond->dev))
		netif_carrier_off(bond->dev);
}
