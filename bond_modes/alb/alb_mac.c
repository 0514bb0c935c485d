// SPDX-License-Identifier: GPL-2.0
/*
 * The slaves' addresses in balance-tlb and balance-alb. Every slave wears
 * a MAC no other slave wears, one of the slaves' permanent ones, and the
 * active slave wears the bond's: a new active slave swaps MACs with the
 * old one. Learning frames (from a MAC to itself, ethertype 0x9000) keep
 * the switches' tables right after a swap and every lp_interval seconds.
 *
 * balance-alb programs each slave's hardware with its MAC, since peers
 * send to every slave. balance-tlb receives by the active slave only: its
 * slaves keep the bond's address in hardware, and their own only in
 * dev_addr, which is what they send from. Both as in-tree.
 *
 * Everything here runs under RTNL but the learning frames, which the tick
 * also sends under RCU.
 */

#include <linux/etherdevice.h>
#include <linux/if_macvlan.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"
#include "alb.h"

/* The slave that wears @mac now, or NULL. RTNL or RCU. */
static struct slave *alb_slave_wearing(struct bonding *bond, const u8 *mac)
{
	struct slave *slave;

	list_for_each_entry_rcu(slave, &bond->slave_list, list,
				lockdep_rtnl_is_held())
		if (ether_addr_equal_64bits(mac, slave->dev->dev_addr))
			return slave;
	return NULL;
}

/* @slave wears @addr: in hardware (alb), or in dev_addr only (tlb). */
static int alb_set_slave_addr(struct alb_mode *m, struct slave *slave,
			      const u8 *addr)
{
	ASSERT_RTNL();
	if (!m->rlb) {
		dev_addr_set(slave->dev, addr);
		return 0;
	}
	if (bond_dev_set_addr(slave->dev, addr)) {
		slave_err(m->bond->dev, slave->dev,
			  "dev_set_mac_address on slave failed! ALB mode requires that the base driver support setting the hw address also when the network device's interface is open\n");
		return -EOPNOTSUPP;
	}
	return 0;
}

static void alb_swap_addrs(struct alb_mode *m, struct slave *a, struct slave *b)
{
	u8 tmp[MAX_ADDR_LEN];

	memcpy(tmp, a->dev->dev_addr, a->dev->addr_len);
	alb_set_slave_addr(m, a, b->dev->dev_addr);
	alb_set_slave_addr(m, b, tmp);
}

/* One learning frame from and to @mac by @slave, tagged when @vid. */
static void alb_send_lp(struct slave *slave, const u8 *mac, __be16 proto, u16 vid)
{
	struct sk_buff *skb;
	struct ethhdr *eth;

	skb = dev_alloc_skb(ETH_ZLEN);
	if (!skb)
		return;
	eth = skb_put_zero(skb, ETH_ZLEN);
	ether_addr_copy(eth->h_dest, mac);
	ether_addr_copy(eth->h_source, mac);
	eth->h_proto = htons(ETH_P_LOOPBACK);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb->protocol = eth->h_proto;
	skb->priority = TC_PRIO_CONTROL;
	skb->dev = slave->dev;
	if (vid)
		__vlan_hwaccel_put_tag(skb, proto, vid);
	dev_queue_xmit(skb);
}

/*
 * Learning frames for @mac by @slave: untagged, and on each VLAN of the
 * bond (with the VLAN's own MAC if it has one). Unless @strict, also for
 * the macvlans on the bond or its VLANs, which live on the active slave.
 */
void alb_send_learning(struct slave *slave, const u8 *mac, bool strict)
{
	struct net_device *upper, *upper2;
	struct list_head *iter, *iter2;

	alb_send_lp(slave, mac, 0, 0);
	rcu_read_lock();
	netdev_for_each_upper_dev_rcu(slave->bond->dev, upper, iter) {
		if (is_vlan_dev(upper)) {
			__be16 proto = vlan_dev_vlan_proto(upper);
			u16 vid = vlan_dev_vlan_id(upper);

			alb_send_lp(slave, upper->addr_assign_type == NET_ADDR_STOLEN ?
				    mac : upper->dev_addr, proto, vid);
			if (strict)
				continue;
			netdev_for_each_upper_dev_rcu(upper, upper2, iter2)
				if (netif_is_macvlan(upper2))
					alb_send_lp(slave, upper2->dev_addr, proto, vid);
		} else if (!strict && netif_is_macvlan(upper)) {
			alb_send_lp(slave, upper->dev_addr, 0, 0);
		}
	}
	rcu_read_unlock();
}

/* Every lp_interval: each slave that can send teaches its own MAC. */
void alb_learning_tick(struct alb_mode *m)
{
	struct bonding *bond = m->bond;
	struct slave *slave, *active;

	rcu_read_lock();
	active = rcu_dereference(bond->curr_active_slave);
	bond_for_each_slave_rcu(bond, slave) {
		if (!bond_slave_usable(slave))
			continue;
		/* the active slave also speaks for the macvlans, but in alb */
		alb_send_learning(slave, slave->dev->dev_addr,
				  slave != active || m->rlb);
	}
	rcu_read_unlock();
}

/*
 * @a and @b just swapped MACs: each that can send teaches the switch its
 * new one, and alb tells its clients. A slave that cannot send leaves its
 * new MAC with nobody to receive it: alb has the active slave take it.
 */
static void alb_swapped(struct alb_mode *m, struct slave *a, struct slave *b)
{
	bool a_up = bond_slave_usable(a), b_up = bond_slave_usable(b);

	ASSERT_RTNL();
	/* a leaving slave's clients are moved and told by rlb_forget_slave() */
	if (a_up) {
		alb_send_learning(a, a->dev->dev_addr, false);
		if (m->rlb && !alb_port_of(a)->gone)
			rlb_tell_slave_clients(m, a);
	}
	if (b_up) {
		alb_send_learning(b, b->dev->dev_addr, false);
		if (m->rlb && !alb_port_of(b)->gone)
			rlb_tell_slave_clients(m, b);
	}
	if (m->rlb && a_up != b_up)
		rlb_teach_on_active(m, (a_up ? b : a)->dev->dev_addr);
}

/*
 * A new slave wears its permanent MAC, unless another slave or the bond
 * wears that already: then it takes the permanent MAC of a slave nobody
 * wears, as in-tree. The first slave gave the bond its MAC.
 */
static int alb_attach_collision(struct alb_mode *m, struct slave *slave)
{
	struct bonding *bond = m->bond;
	struct slave *s, *spare = NULL;
	struct slave *has_bond_addr = rtnl_dereference(bond->curr_active_slave);

	if (!bond_has_slaves(bond))
		return 0;
	if (!ether_addr_equal_64bits(slave->perm_hwaddr, bond->dev->dev_addr)) {
		if (!alb_slave_wearing(bond, slave->dev->dev_addr))
			return 0;
		alb_set_slave_addr(m, slave, bond->dev->dev_addr);
	}
	bond_for_each_slave(bond, s) {
		if (!alb_slave_wearing(bond, s->perm_hwaddr)) {
			spare = s;
			break;
		}
		if (!has_bond_addr &&
		    ether_addr_equal_64bits(s->dev->dev_addr, bond->dev->dev_addr))
			has_bond_addr = s;
	}
	if (spare) {
		alb_set_slave_addr(m, slave, spare->perm_hwaddr);
		slave_warn(bond->dev, slave->dev,
			   "the slave hw address is in use by the bond; giving it the hw address of %s\n",
			   spare->dev->name);
	} else if (has_bond_addr) {
		slave_err(bond->dev, slave->dev,
			  "the slave hw address is in use by the bond; couldn't find a slave with a free hw address to give it (this should not have happened)\n");
		return -EFAULT;
	}
	return 0;
}

/* Enslave: the core gave @slave the bond's MAC; it takes one of its own. */
int alb_mac_attach(struct alb_mode *m, struct slave *slave)
{
	int ret;

	ASSERT_RTNL();
	ret = alb_set_slave_addr(m, slave, slave->perm_hwaddr);
	if (ret)
		return ret;
	return alb_attach_collision(m, slave);
}

/*
 * @slave left the list, wearing a MAC not its own: the slave that wears
 * its permanent MAC takes that one, so none is lost to the bond. The core
 * then gives @slave its permanent MAC back.
 */
void alb_mac_detach(struct alb_mode *m, struct slave *slave)
{
	struct bonding *bond = m->bond;
	struct slave *wearer;

	ASSERT_RTNL();
	if (ether_addr_equal_64bits(slave->perm_hwaddr, slave->dev->dev_addr) ||
	    ether_addr_equal_64bits(slave->perm_hwaddr, bond->dev->dev_addr))
		return;
	wearer = alb_slave_wearing(bond, slave->perm_hwaddr);
	if (!wearer)
		return;
	alb_swap_addrs(m, slave, wearer);
	alb_swapped(m, slave, wearer);
}

/*
 * tlb: @slave's hardware takes @addr, its dev_addr stays what it was (it
 * goes on sending from that MAC until the swap). The error, if any.
 */
static int tlb_program_hw(struct slave *slave, const u8 *addr)
{
	u8 keep[MAX_ADDR_LEN];
	int ret;

	memcpy(keep, slave->dev->dev_addr, slave->dev->addr_len);
	ret = bond_dev_set_addr(slave->dev, addr);
	dev_addr_set(slave->dev, keep);
	return ret;
}

/*
 * The active slave changed (curr_active_slave is @new already): @new takes
 * the bond's MAC, from @old or from whichever slave wears it.
 */
void alb_mac_active_changed(struct alb_mode *m, struct slave *old,
			    struct slave *new)
{
	struct bonding *bond = m->bond;
	struct slave *swap;

	ASSERT_RTNL();
	if (old)
		rlb_drop_promisc(m, old);
	if (!new || !bond_has_slaves(bond))
		return;
	swap = old ?: alb_slave_wearing(bond, bond->dev->dev_addr);
	/* their destinations choose again once the MACs settle */
	if (swap)
		alb_tx_forget_slave(m, swap);
	alb_tx_forget_slave(m, new);
	/* a tlb slave that flapped may filter the MAC it wore then */
	if (!m->rlb)
		tlb_program_hw(new, bond->dev->dev_addr);
	if (swap) {
		alb_swap_addrs(m, swap, new);
		alb_swapped(m, swap, new);
	} else {
		alb_set_slave_addr(m, new, bond->dev->dev_addr);
		alb_send_learning(new, bond->dev->dev_addr, false);
	}
}

/*
 * tlb: every slave's hardware takes the bond's new address, so whichever
 * becomes active receives it; their dev_addr stay distinct. All or none.
 */
static int tlb_program_all(struct bonding *bond, const u8 *addr)
{
	struct slave *slave, *done;
	int ret;

	bond_for_each_slave(bond, slave) {
		ret = tlb_program_hw(slave, addr);
		if (ret)
			goto undo;
	}
	return 0;

undo:
	bond_for_each_slave(bond, done) {
		if (done == slave)
			break;
		tlb_program_hw(done, bond->dev->dev_addr);
	}
	return ret;
}

/*
 * ndo_set_mac_address: the bond takes @addr and the active slave with it,
 * swapping with a slave that wears @addr already, so MACs stay distinct.
 * In-tree's tlb gives every slave @addr instead; alb does this.
 */
int alb_mac_set_bond_addr(struct bonding *bond, const u8 *addr)
{
	struct alb_mode *m = alb_of(bond);
	struct slave *active, *swap;
	int ret;

	ASSERT_RTNL();
	if (!m->rlb) {
		ret = tlb_program_all(bond, addr);
		if (ret)
			return ret;
	}
	dev_addr_set(bond->dev, addr);
	active = rtnl_dereference(bond->curr_active_slave);
	if (!active)
		return 0;
	swap = alb_slave_wearing(bond, addr);
	if (swap) {
		alb_swap_addrs(m, swap, active);
		alb_swapped(m, swap, active);
		return 0;
	}
	alb_set_slave_addr(m, active, addr);
	alb_send_learning(active, addr, false);
	if (m->rlb)
		rlb_tell_slave_clients(m, active);
	return 0;
}
