// SPDX-License-Identifier: GPL-2.0
/*
 * The MII link monitor.
 *
 * Every miimon ms, and at once when an enslaved device reports a carrier or
 * up/down change (from the netdevice notifier, under RTNL), the monitor
 * looks at each slave's link (carrier, or
 * ethtool's get_link with use_carrier=0) and moves it through
 *   UP --lost--> FAIL --downdelay--> DOWN --found--> BACK --updelay--> UP
 * A link that comes back during FAIL is UP again at once, and one that goes
 * away during BACK is DOWN again. Delays are deadlines in jiffies, so an
 * event-driven run never shortens them, and the work wakes at the deadline.
 *
 * Looking is lockless (RCU); only when something is to change does the
 * work take RTNL, with rtnl_trylock() so that a bond being reconfigured
 * (which cancels this work under RTNL) never waits on it: on contention the
 * work comes back a jiffy later.
 */

#include <linux/netdevice.h>
#include <linux/ethtool.h>
#include <linux/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"

static bool bond_carrier_ok(const struct net_device *dev)
{
	return netif_running(dev) && netif_carrier_ok(dev);
}

/* The slave's link, by ethtool's get_link with use_carrier 0. RTNL. */
static bool bond_link_ok(struct bonding *bond, struct slave *slave)
{
	struct net_device *dev = slave->dev;

	ASSERT_RTNL();
	if (!bond->params.use_carrier && dev->ethtool_ops &&
	    dev->ethtool_ops->get_link)
		return netif_running(dev) && dev->ethtool_ops->get_link(dev);
	return bond_carrier_ok(dev);
}

/* Would the state machine do anything for this slave now? RCU. */
static bool bond_mii_slave_due(struct bonding *bond, struct slave *slave)
{
	bool ok = bond_carrier_ok(slave->dev);

	switch (READ_ONCE(slave->link)) {
	case BOND_SLAVE_LINK_UP:
		return !ok;
	case BOND_SLAVE_LINK_DOWN:
		return ok;
	default:	/* FAIL and BACK: a deadline or a reversal */
		return true;
	}
}

static bool bond_mii_due(struct bonding *bond)
{
	struct slave *slave;
	bool due = READ_ONCE(bond->peer_notif_left) > 0;

	/*
	 * ethtool's get_link may first run the device's pending link-watch
	 * event (ethtool_op_get_link: notifiers, qdisc changes), which needs
	 * RTNL and may sleep: with use_carrier 0 the looking is done under
	 * RTNL, every time (in-tree polls it here, under RCU). A change of
	 * use_carrier meanwhile costs one look at the carrier.
	 */
	if (!READ_ONCE(bond->params.use_carrier))
		return due || bond_has_slaves(bond);
	rcu_read_lock();
	bond_for_each_slave_rcu(bond, slave)
		due |= bond_mii_slave_due(bond, slave);
	rcu_read_unlock();
	return due;
}

static unsigned long bond_ms_ticks(struct bonding *bond, int ticks)
{
	return msecs_to_jiffies(ticks * bond->params.miimon);
}

static const char *bond_slave_role(struct bonding *bond, struct slave *slave)
{
	if (!bond->mode->tx_active_only)
		return "";
	return slave->backup ? "backup " : "active ";
}

/*
 * One step of the state machine for @slave: BOND_MII_NONE, BOND_MII_MOVED
 * (into or out of a delay), BOND_MII_COMMIT (definitely up or down) or
 * BOND_MII_RESELECT (that, and the active slave is to be chosen again).
 */
enum { BOND_MII_NONE, BOND_MII_MOVED, BOND_MII_COMMIT, BOND_MII_RESELECT };

/*
 * A slave is definitely up: as in-tree, the active slave is chosen again
 * only if there is none, or this one is the primary or outranks it by prio
 * (so an equal slave coming back does not take over).
 */
static bool bond_mii_commit_up(struct bonding *bond, struct slave *slave)
{
	struct slave *curr = rtnl_dereference(bond->curr_active_slave);

	bond_update_speed_duplex(slave);
	if (bond->mode->needs_speed_duplex && slave->speed == SPEED_UNKNOWN) {
		/* as in-tree: it stays down until the device tells them */
		bond_slave_set_link(slave, BOND_SLAVE_LINK_DOWN);
		if (net_ratelimit())
			slave_warn(bond->dev, slave->dev, "failed to get link speed/duplex\n");
		return false;
	}
	slave->last_link_up = jiffies;
	bond_slave_set_link(slave, BOND_SLAVE_LINK_UP);
	slave_info(bond->dev, slave->dev,
		   "link status definitely up, %u Mbps %s duplex\n",
		   slave->speed == SPEED_UNKNOWN ? 0 : slave->speed,
		   slave->duplex == DUPLEX_FULL ? "full" : "half");
	return !curr || slave == rtnl_dereference(bond->primary_slave) ||
	       slave->prio > curr->prio;
}

/* A slave is definitely down: the active one's successor is chosen. */
static int bond_mii_commit_down(struct bonding *bond, struct slave *slave)
{
	bond_slave_set_link(slave, BOND_SLAVE_LINK_DOWN);
	slave->link_failure_count++;
	slave_info(bond->dev, slave->dev,
		   "link status definitely down, disabling slave\n");
	return slave == rtnl_dereference(bond->curr_active_slave) ?
	       BOND_MII_RESELECT : BOND_MII_COMMIT;
}

/* No slave can carry traffic: a returning one need not wait its updelay. */
static bool bond_ignore_updelay(struct bonding *bond)
{
	struct bond_slave_arr *usable = rtnl_dereference(bond->usable);

	return !usable || !usable->count;
}

static int bond_mii_up(struct bonding *bond, struct slave *slave)
{
	return bond_mii_commit_up(bond, slave) ? BOND_MII_RESELECT : BOND_MII_COMMIT;
}

static int bond_mii_step(struct bonding *bond, struct slave *slave)
{
	bool ok = bond_link_ok(bond, slave);
	unsigned long now = jiffies;
	int left;

	switch (slave->link) {
	case BOND_SLAVE_LINK_UP:
		if (ok)
			return BOND_MII_NONE;
		if (!bond->params.downdelay)
			return bond_mii_commit_down(bond, slave);
		slave->delay_until = now + bond_ms_ticks(bond, bond->params.downdelay);
		bond_slave_set_link(slave, BOND_SLAVE_LINK_FAIL);
		slave_info(bond->dev, slave->dev,
			   "link status down for %sinterface, disabling it in %d ms\n",
			   bond_slave_role(bond, slave),
			   bond->params.downdelay * bond->params.miimon);
		return BOND_MII_MOVED;
	case BOND_SLAVE_LINK_FAIL:
		if (ok) {
			left = jiffies_to_msecs(max_t(long, 0, slave->delay_until - now));
			bond_slave_set_link(slave, BOND_SLAVE_LINK_UP);
			slave->last_link_up = now;
			slave_info(bond->dev, slave->dev,
				   "link status up again after %d ms\n",
				   bond->params.downdelay * bond->params.miimon - left);
			return BOND_MII_MOVED;
		}
		if (time_before(now, slave->delay_until))
			return BOND_MII_NONE;
		return bond_mii_commit_down(bond, slave);
	case BOND_SLAVE_LINK_DOWN:
		if (!ok)
			return BOND_MII_NONE;
		if (!bond->params.updelay || bond_ignore_updelay(bond))
			return bond_mii_up(bond, slave);
		slave->delay_until = now + bond_ms_ticks(bond, bond->params.updelay);
		bond_slave_set_link(slave, BOND_SLAVE_LINK_BACK);
		slave_info(bond->dev, slave->dev,
			   "link status up, enabling it in %d ms\n",
			   bond->params.updelay * bond->params.miimon);
		return BOND_MII_MOVED;
	case BOND_SLAVE_LINK_BACK:
		if (!ok) {
			left = jiffies_to_msecs(max_t(long, 0, slave->delay_until - now));
			bond_slave_set_link(slave, BOND_SLAVE_LINK_DOWN);
			slave_info(bond->dev, slave->dev,
				   "link status down again after %d ms\n",
				   bond->params.updelay * bond->params.miimon - left);
			return BOND_MII_MOVED;
		}
		if (time_before(now, slave->delay_until) && !bond_ignore_updelay(bond))
			return BOND_MII_NONE;
		return bond_mii_up(bond, slave);
	}
	return BOND_MII_NONE;
}

/* Under RTNL: run the state machine; returns when the work is next due. */
static unsigned long bond_mii_commit(struct bonding *bond)
{
	unsigned long next = jiffies + msecs_to_jiffies(bond->params.miimon);
	struct slave *slave;
	int changed = BOND_MII_NONE;

	ASSERT_RTNL();
	bond->mii_committing = true;
	bond_for_each_slave(bond, slave)
		changed = max(changed, bond_mii_step(bond, slave));
	bond->mii_committing = false;
	if (changed >= BOND_MII_COMMIT)
		bond_slaves_changed(bond, changed == BOND_MII_RESELECT);
	else if (changed == BOND_MII_MOVED)
		/* a slave in a delay carries no traffic in the load-balancing modes */
		bond_rebuild_usable(bond);
	bond_peer_notify_tick(bond);

	bond_for_each_slave(bond, slave)
		if ((slave->link == BOND_SLAVE_LINK_FAIL ||
		     slave->link == BOND_SLAVE_LINK_BACK) &&
		    time_before(slave->delay_until, next))
			next = slave->delay_until;
	return next;
}

static void bond_mii_work(struct work_struct *work)
{
	struct bonding *bond = container_of(to_delayed_work(work),
					    struct bonding, mii_work);
	unsigned long delay;
	int miimon = READ_ONCE(bond->params.miimon);

	if (!miimon)
		return;
	delay = msecs_to_jiffies(miimon);
	if (bond_mii_due(bond)) {
		if (!rtnl_trylock()) {
			delay = 1;
			goto rearm;
		}
		delay = max_t(long, 1, bond_mii_commit(bond) - jiffies);
		rtnl_unlock();
	}
rearm:
	queue_delayed_work(bond->wq, &bond->mii_work, delay);
}

/* IGMP/MLD re-joins after a failover: now, then every 200 ms. */
static void bond_mcast_work(struct work_struct *work)
{
	struct bonding *bond = container_of(to_delayed_work(work),
					    struct bonding, mcast_work);

	if (!rtnl_trylock()) {
		queue_delayed_work(bond->wq, &bond->mcast_work, 1);
		return;
	}
	if (bond->igmp_left > 0) {
		call_netdevice_notifiers(NETDEV_RESEND_IGMP, bond->dev);
		if (--bond->igmp_left > 0)
			queue_delayed_work(bond->wq, &bond->mcast_work, HZ / 5);
	}
	rtnl_unlock();
}

void bond_monitor_init(struct bonding *bond)
{
	INIT_DELAYED_WORK(&bond->mii_work, bond_mii_work);
	INIT_DELAYED_WORK(&bond->mcast_work, bond_mcast_work);
	bond_relink_init(bond);
	bond_arpmon_init(bond);
}

/* Under RTNL, when the bond opens or miimon/arp_interval change. */
void bond_monitor_start(struct bonding *bond)
{
	ASSERT_RTNL();
	if (netif_running(bond->dev) && bond->params.miimon)
		mod_delayed_work(bond->wq, &bond->mii_work, 0);
	bond_arpmon_start(bond);
}

/* Under RTNL; the works only ever trylock RTNL, so this cannot deadlock. */
void bond_monitor_stop(struct bonding *bond)
{
	ASSERT_RTNL();
	cancel_delayed_work_sync(&bond->mii_work);
	cancel_delayed_work_sync(&bond->mcast_work);
	bond_relink_stop(bond);
	bond_arpmon_stop(bond);
}

/* Something may have changed: have the work look now, not at its tick. */
void bond_monitor_kick(struct bonding *bond)
{
	if (netif_running(bond->dev) && READ_ONCE(bond->params.miimon))
		mod_delayed_work(bond->wq, &bond->mii_work, 0);
}

/*
 * A slave reported a link event, and the notifier holds RTNL already: run
 * the state machine right here, so a failover does not wait for the work
 * (nor for RTNL, which the event's sender holds), then re-arm the work for
 * whatever deadline is next.
 */
void bond_monitor_event(struct bonding *bond)
{
	unsigned long next;

	ASSERT_RTNL();
	if (!netif_running(bond->dev) || !bond->params.miimon)
		return;
	/*
	 * get_link (use_carrier 0) ran the slave's pending link-watch event
	 * inside the commit: that slave's step is reading the new state now.
	 */
	if (bond->mii_committing)
		return;
	next = bond_mii_commit(bond);
	mod_delayed_work(bond->wq, &bond->mii_work, max_t(long, 1, next - jiffies));
}

/* The link state of a slave being enslaved. */
int bond_slave_initial_link(struct bonding *bond, struct slave *slave)
{
	/* even without it now: the ARP monitor may be started later */
	bond_arpmon_slave_init(bond, slave);
	if (bond->params.arp_interval)
		return netif_carrier_ok(slave->dev) ? BOND_SLAVE_LINK_UP :
						      BOND_SLAVE_LINK_DOWN;
	if (!bond->params.miimon) {
		if (!bond->warned_no_monitor) {
			netdev_warn(bond->dev,
				    "no link monitoring (miimon is 0): link failures will not be detected; set miimon, e.g. 100\n");
			bond->warned_no_monitor = true;
		}
		return BOND_SLAVE_LINK_UP;
	}
	if (!bond_link_ok(bond, slave))
		return BOND_SLAVE_LINK_DOWN;
	if (!bond->params.updelay)
		return BOND_SLAVE_LINK_UP;
	slave->delay_until = jiffies + bond_ms_ticks(bond, bond->params.updelay);
	return BOND_SLAVE_LINK_BACK;
}
