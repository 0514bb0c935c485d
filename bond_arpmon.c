// SPDX-License-Identifier: GPL-2.0
/*
 * The ARP and IPv6-NS link monitors: every arp_interval ms, probes go to
 * the bond's arp_ip_target/ns_ip6_target list (and to a slave's own list,
 * see below), and a slave counts as alive while it sends and hears within
 * the last missed_max intervals.
 *
 * Active-backup: the active slave probes; backups are judged by what they
 * hear (the active's probes crossing the switch, with arp_validate). With
 * no active slave, the candidate rotates over the slaves that have carrier.
 * Load-balancing modes: every slave probes and must hear within the window.
 *
 * Beyond in-tree: a slave may carry targets of its own (the gateway of its
 * ISP link). It probes them from itself in every mode, and is judged by
 * replies from them alone, so a dead gateway takes its slave out even when
 * the carrier and the other slaves' gateways are fine.
 *
 * Probing and receiving are lockless (RCU; timestamps with READ/WRITE_ONCE);
 * link changes are committed under RTNL, taken with rtnl_trylock() by the
 * work (bond_monitor_stop() cancels it under RTNL).
 */

#include <linux/netdevice.h>
#include <linux/etherdevice.h>
#include <linux/inetdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/arp.h>
#include <net/route.h>
#include <net/ip6_route.h>
#include <net/ndisc.h>
#include <net/addrconf.h>

#include "bond.h"
#include "bond_mode.h"

/* ---- time windows ------------------------------------------------------- */

/* Did @t happen within the last @n intervals (and half an interval more)? */
static bool bond_arp_recent(struct bonding *bond, unsigned long t, int n)
{
	unsigned long iv = msecs_to_jiffies(bond->params.arp_interval);

	return time_in_range(jiffies, t - iv, t + n * iv + iv / 2);
}

static bool bond_slave_has_own(const struct slave *slave)
{
	return slave->own_arp[0] || !ipv6_addr_any(&slave->own_ns[0]);
}

/* The last time the slave heard what counts for it. */
static unsigned long bond_slave_last_rx(struct bonding *bond, struct slave *slave)
{
	unsigned long oldest;
	int i;

	if (bond_slave_has_own(slave))
		return READ_ONCE(slave->own_rx);
	if (bond->params.arp_all_targets != BOND_ARP_TARGETS_ALL)
		return READ_ONCE(slave->last_rx);
	oldest = READ_ONCE(slave->target_rx[0]);
	for (i = 1; i < BOND_MAX_ARP_TARGETS && bond->params.arp_targets[i]; i++)
		if (time_before(READ_ONCE(slave->target_rx[i]), oldest))
			oldest = READ_ONCE(slave->target_rx[i]);
	return oldest;
}

/* ---- sending probes ----------------------------------------------------- */

/* The VLAN tags from the bond up to @dev, outermost first; 0 ends. */
struct bond_vlan_path {
	__be16 proto[BOND_MAX_VLAN_DEPTH];
	u16 vid[BOND_MAX_VLAN_DEPTH];
	int n;
};

/* Is @end @start or stacked on it? Collect the VLANs on the way. RCU. */
static bool bond_upper_path(struct net_device *start, struct net_device *end,
			    struct bond_vlan_path *path)
{
	struct net_device *upper;
	struct list_head *iter;

	if (start == end)
		return true;
	netdev_for_each_upper_dev_rcu(start, upper, iter) {
		if (is_vlan_dev(upper)) {
			if (path->n >= BOND_MAX_VLAN_DEPTH)
				continue;
			path->proto[path->n] = vlan_dev_vlan_proto(upper);
			path->vid[path->n++] = vlan_dev_vlan_id(upper);
		}
		if (bond_upper_path(upper, end, path))
			return true;
		if (is_vlan_dev(upper))
			path->n--;
	}
	return false;
}

/* Tag @skb for @path: inner tags in the packet, the outer one offloaded. */
static struct sk_buff *bond_tag_probe(struct sk_buff *skb,
				      const struct bond_vlan_path *path)
{
	int i;

	for (i = path->n - 1; i > 0 && skb; i--)
		if (path->vid[i])
			skb = vlan_insert_tag_set_proto(skb, path->proto[i],
							path->vid[i]);
	if (skb && path->n && path->vid[0])
		__vlan_hwaccel_put_tag(skb, path->proto[0], path->vid[0]);
	return skb;
}

/*
 * Where a probe to @dev_out goes out: false if the route leaves by a device
 * that is not the bond nor stacked on it.
 */
static bool bond_probe_path(struct bonding *bond, struct net_device *dev_out,
			    struct bond_vlan_path *path)
{
	bool ok;

	path->n = 0;
	rcu_read_lock();
	ok = bond_upper_path(bond->dev, dev_out, path);
	rcu_read_unlock();
	return ok;
}

static void bond_arp_send(struct slave *slave, __be32 dst, __be32 src,
			  const struct bond_vlan_path *path)
{
	struct sk_buff *skb;

	skb = arp_create(ARPOP_REQUEST, ETH_P_ARP, dst, slave->dev, src, NULL,
			 slave->dev->dev_addr, NULL);
	if (!skb) {
		net_err_ratelimited("ARP packet allocation failed\n");
		return;
	}
	skb = bond_tag_probe(skb, path);
	if (!skb)
		return;
	WRITE_ONCE(slave->last_tx, jiffies);
	arp_xmit(skb);
}

static void bond_arp_probe(struct bonding *bond, struct slave *slave, __be32 target)
{
	struct flowi4 fl4 = {
		.daddr = target,
		.flowi4_scope = RT_SCOPE_LINK,
#ifdef RTO_ONLINK	/* before 6.2 the scope came from this tos bit */
		.flowi4_tos = RTO_ONLINK,
#endif
	};
	struct bond_vlan_path path = {};
	struct rtable *rt;
	__be32 src;

	rt = ip_route_output_key(dev_net(bond->dev), &fl4);
	if (IS_ERR(rt)) {
		if (bond->params.arp_validate)
			pr_warn_once("%s: no route to arp_ip_target %pI4 and arp_validate is set\n",
				     bond->dev->name, &target);
		bond_arp_send(slave, target, 0, &path);
		return;
	}
	if (!bond_probe_path(bond, rt->dst.dev, &path)) {
		slave_dbg(bond->dev, slave->dev, "no path to arp_ip_target %pI4 via %s\n",
			  &target, rt->dst.dev->name);
		ip_rt_put(rt);
		return;
	}
	/* our address on that device in the target's subnet, if any */
	rcu_read_lock();
	src = inet_confirm_addr(dev_net(rt->dst.dev), __in_dev_get_rcu(rt->dst.dev),
				target, 0, RT_SCOPE_HOST);
	rcu_read_unlock();
	ip_rt_put(rt);
	bond_arp_send(slave, target, src, &path);
}

#if IS_ENABLED(CONFIG_IPV6)
static void bond_ns_send(struct slave *slave, const struct in6_addr *dst,
			 const struct in6_addr *src, const struct bond_vlan_path *path)
{
	struct in6_addr mc;
	struct sk_buff *skb;

	skb = ndisc_ns_create(slave->dev, dst, src, 0);
	if (!skb) {
		net_err_ratelimited("NS packet allocation failed\n");
		return;
	}
	addrconf_addr_solict_mult(dst, &mc);
	skb = bond_tag_probe(skb, path);
	if (!skb)
		return;
	WRITE_ONCE(slave->last_tx, jiffies);
	ndisc_send_skb(skb, &mc, src);
}

static void bond_ns_probe(struct bonding *bond, struct slave *slave,
			  const struct in6_addr *target)
{
	struct bond_vlan_path path = {};
	struct flowi6 fl6 = { .daddr = *target };
	struct in6_addr src;
	struct dst_entry *dst;

	dst = ip6_route_output(dev_net(bond->dev), NULL, &fl6);
	if (dst->error) {
		dst_release(dst);
		if (bond->params.arp_validate)
			pr_warn_once("%s: no route to ns_ip6_target %pI6c and arp_validate is set\n",
				     bond->dev->name, target);
		bond_ns_send(slave, target, &in6addr_any, &path);
		return;
	}
	if (!bond_probe_path(bond, dst->dev, &path)) {
		dst_release(dst);
		return;
	}
	if (ipv6_dev_get_saddr(dev_net(dst->dev), dst->dev, target, 0, &src))
		src = in6addr_any;
	dst_release(dst);
	bond_ns_send(slave, target, &src, &path);
}
#endif

/* Probe the bond's targets from @slave (@shared), and the slave's own. */
static void bond_probe_slave(struct bonding *bond, struct slave *slave, bool shared)
{
	int i;

	for (i = 0; shared && i < BOND_MAX_ARP_TARGETS && bond->params.arp_targets[i]; i++)
		bond_arp_probe(bond, slave, bond->params.arp_targets[i]);
	for (i = 0; i < BOND_MAX_ARP_TARGETS && slave->own_arp[i]; i++)
		bond_arp_probe(bond, slave, slave->own_arp[i]);
#if IS_ENABLED(CONFIG_IPV6)
	if (!ipv6_mod_enabled())
		return;
	for (i = 0; shared && i < BOND_MAX_NS_TARGETS &&
	     !ipv6_addr_any(&bond->params.ns_targets[i]); i++)
		bond_ns_probe(bond, slave, &bond->params.ns_targets[i]);
	for (i = 0; i < BOND_MAX_NS_TARGETS && !ipv6_addr_any(&slave->own_ns[i]); i++)
		bond_ns_probe(bond, slave, &slave->own_ns[i]);
#endif
}

/* ---- receiving ---------------------------------------------------------- */

static int bond_upper_has_ip(struct net_device *upper,
			     struct netdev_nested_priv *priv)
{
	__be32 ip = *(__be32 *)priv->data;

	return ip == inet_confirm_addr(dev_net(upper), __in_dev_get_rcu(upper), 0,
				       ip, RT_SCOPE_HOST);
}

/* Is @ip an address of the bond or of a device stacked on it? RCU. */
static bool bond_has_ip(struct bonding *bond, __be32 ip)
{
	struct netdev_nested_priv priv = { .data = &ip };

	if (bond_upper_has_ip(bond->dev, &priv))
		return true;
	return netdev_walk_all_upper_dev_rcu(bond->dev, bond_upper_has_ip, &priv);
}

/*
 * A reply from one of the slave's own targets: that is what counts for it.
 * Empty slots hold 0.0.0.0 and ::, the senders of ARP probes and DAD
 * solicitations from any host: those are nobody's reply.
 */
static void bond_own_heard(struct slave *slave, bool v6, const void *sip)
{
	const struct in6_addr *sip6 = sip;
	__be32 sip4 = v6 ? 0 : *(const __be32 *)sip;
	int i;

	if (v6 ? ipv6_addr_any(sip6) : !sip4)
		return;
	for (i = 0; v6 && i < BOND_MAX_NS_TARGETS; i++)
		if (ipv6_addr_equal(&slave->own_ns[i], sip6))
			goto heard;
	for (i = 0; !v6 && i < BOND_MAX_ARP_TARGETS; i++)
		if (slave->own_arp[i] == sip4)
			goto heard;
	return;
heard:
	WRITE_ONCE(slave->own_rx, jiffies);
}

/* ARP from a bond-wide target to one of our addresses refreshes @slave. */
static void bond_arp_heard(struct bonding *bond, struct slave *slave,
			   __be32 sip, __be32 tip)
{
	int i;

	if (!sip || !bond_has_ip(bond, tip))
		return;
	i = bond_arp_find(bond->params.arp_targets, sip);
	if (i < 0)
		return;
	WRITE_ONCE(slave->last_rx, jiffies);
	WRITE_ONCE(slave->target_rx[i], jiffies);
}

/*
 * Whose ARP to trust, as in-tree: an active slave's; a backup's while the
 * active one has heard since it became active (the backup sees the active's
 * requests, so sender and target swap); or a reply on any slave within an
 * interval of the candidate's probe (the switch may deliver it elsewhere).
 */
static void bond_arp_validate(struct bonding *bond, struct slave *slave,
			      __be32 sip, __be32 tip, bool reply)
{
	struct slave *curr = rcu_dereference(bond->curr_active_slave);
	struct slave *cand = rcu_dereference(bond->arp_candidate);

	if (!READ_ONCE(slave->backup))
		bond_arp_heard(bond, slave, sip, tip);
	else if (curr && time_after(bond_slave_last_rx(bond, curr), curr->last_link_up))
		bond_arp_heard(bond, slave, tip, sip);
	else if (cand && reply && bond_arp_recent(bond, READ_ONCE(cand->last_tx), 1))
		bond_arp_heard(bond, slave, sip, tip);
}

/* An Ethernet/IPv4 ARP packet. */
struct bond_arp_eth {
	struct arphdr h;
	u8 sha[ETH_ALEN];
	__be32 sip;
	u8 tha[ETH_ALEN];
	__be32 tip;
} __packed;

/* An IPv6 header and the ICMPv6 header after it. */
struct bond_ip6_icmp {
	struct ipv6hdr ip6;
	struct icmp6hdr icmp6;
};

static void bond_arp_rcv(struct bonding *bond, struct slave *slave,
			 const struct sk_buff *skb, bool validate)
{
	struct bond_arp_eth *a, buf;

	if (skb->pkt_type == PACKET_OTHERHOST || skb->pkt_type == PACKET_LOOPBACK ||
	    bond->dev->addr_len != ETH_ALEN)
		return;
	a = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!a || a->h.ar_hln != ETH_ALEN || a->h.ar_hrd != htons(ARPHRD_ETHER) ||
	    a->h.ar_pro != htons(ETH_P_IP) || a->h.ar_pln != 4)
		return;
	if (bond_slave_has_own(slave))
		bond_own_heard(slave, false, &a->sip);
	else if (validate)
		bond_arp_validate(bond, slave, a->sip, a->tip,
				  a->h.ar_op == htons(ARPOP_REPLY));
}

#if IS_ENABLED(CONFIG_IPV6)
static int bond_upper_has_ip6(struct net_device *upper,
			      struct netdev_nested_priv *priv)
{
	return ipv6_chk_addr(dev_net(upper), priv->data, upper, 0);
}

static bool bond_has_ip6(struct bonding *bond, const struct in6_addr *ip)
{
	struct netdev_nested_priv priv = { .data = (void *)ip };

	if (bond_upper_has_ip6(bond->dev, &priv))
		return true;
	return netdev_walk_all_upper_dev_rcu(bond->dev, bond_upper_has_ip6, &priv);
}

static void bond_na_heard(struct bonding *bond, struct slave *slave,
			  const struct in6_addr *saddr, const struct in6_addr *daddr)
{
	struct in6_addr mc;
	int i;

	if (ipv6_addr_any(saddr) ||
	    (!ipv6_addr_equal(daddr, &in6addr_linklocal_allnodes) &&
	     !bond_has_ip6(bond, daddr)))
		return;
	/* a target, or its solicited-node group (a backup hears the probes) */
	for (i = 0; i < BOND_MAX_NS_TARGETS &&
	     !ipv6_addr_any(&bond->params.ns_targets[i]); i++) {
		addrconf_addr_solict_mult(&bond->params.ns_targets[i], &mc);
		if (ipv6_addr_equal(&bond->params.ns_targets[i], saddr) ||
		    ipv6_addr_equal(&mc, saddr)) {
			WRITE_ONCE(slave->last_rx, jiffies);
			WRITE_ONCE(slave->target_rx[i], jiffies);
			return;
		}
	}
}

static void bond_na_rcv(struct bonding *bond, struct slave *slave,
			const struct sk_buff *skb, bool validate)
{
	struct slave *curr, *cand;
	struct bond_ip6_icmp *p, buf;

	if (skb->pkt_type == PACKET_OTHERHOST || skb->pkt_type == PACKET_LOOPBACK)
		return;
	p = skb_header_pointer(skb, 0, sizeof(buf), &buf);
	if (!p || p->ip6.nexthdr != NEXTHDR_ICMP ||
	    (p->icmp6.icmp6_type != NDISC_NEIGHBOUR_SOLICITATION &&
	     p->icmp6.icmp6_type != NDISC_NEIGHBOUR_ADVERTISEMENT))
		return;
	if (bond_slave_has_own(slave)) {
		bond_own_heard(slave, true, &p->ip6.saddr);
		return;
	}
	if (!validate)
		return;
	curr = rcu_dereference(bond->curr_active_slave);
	cand = rcu_dereference(bond->arp_candidate);
	if (!READ_ONCE(slave->backup))
		bond_na_heard(bond, slave, &p->ip6.saddr, &p->ip6.daddr);
	else if (curr && time_after(bond_slave_last_rx(bond, curr), curr->last_link_up))
		bond_na_heard(bond, slave, &p->ip6.daddr, &p->ip6.saddr);
	else if (cand && bond_arp_recent(bond, READ_ONCE(cand->last_tx), 1))
		bond_na_heard(bond, slave, &p->ip6.saddr, &p->ip6.daddr);
}
#endif

/*
 * The receive tap while arp_interval is set (bond_rx_tap_update()), under
 * RCU: what a slave hears. Without validation for its role any frame
 * (with "filter", only ARP and NS/NA) counts.
 */
bool bond_arpmon_rcv(struct bonding *bond, struct slave *slave,
		     struct sk_buff *skb)
{
	u8 av = READ_ONCE(bond->params.arp_validate);
	bool is_arp = skb->protocol == htons(ETH_P_ARP);
	bool is_ip6 = skb->protocol == htons(ETH_P_IPV6);
	bool validate = av & BIT(READ_ONCE(slave->backup) ? 1 : 0);

	if (!validate && (!(av & BOND_ARP_FILTER) || is_arp || is_ip6))
		WRITE_ONCE(slave->last_rx, jiffies);
	if (is_arp)
		bond_arp_rcv(bond, slave, skb, validate);
#if IS_ENABLED(CONFIG_IPV6)
	else if (is_ip6 && ipv6_mod_enabled())
		bond_na_rcv(bond, slave, skb, validate);
#endif
	return false;	/* it only listens */
}

/* ---- load-balancing modes ----------------------------------------------- */

/* Every slave probes; up when it sent and heard lately, down when not. */
static bool bond_arpmon_lb_inspect(struct bonding *bond)
{
	int missed = bond->params.missed_max;
	bool change = false;
	struct slave *slave;

	bond_for_each_slave_rcu(bond, slave) {
		unsigned long tx = READ_ONCE(slave->last_tx);
		unsigned long rx = bond_slave_last_rx(bond, slave);

		slave->link_new = slave->link;
		if (slave->link != BOND_SLAVE_LINK_UP) {
			if (bond_arp_recent(bond, tx, 1) && bond_arp_recent(bond, rx, 1))
				slave->link_new = BOND_SLAVE_LINK_UP;
		} else if (!bond_arp_recent(bond, tx, missed) ||
			   !bond_arp_recent(bond, rx, missed)) {
			slave->link_new = BOND_SLAVE_LINK_DOWN;
		}
		change |= slave->link_new != slave->link;
		if (netif_running(slave->dev) && netif_carrier_ok(slave->dev))
			bond_probe_slave(bond, slave, true);
	}
	return change;
}

/* ---- active-backup ------------------------------------------------------ */

static bool bond_arpmon_ab_inspect(struct bonding *bond)
{
	int missed = bond->params.missed_max;
	bool change = false;
	struct slave *slave;

	bond_for_each_slave_rcu(bond, slave) {
		unsigned long rx = bond_slave_last_rx(bond, slave);
		bool active = !READ_ONCE(slave->backup);

		slave->link_new = slave->link;
		if (slave->link != BOND_SLAVE_LINK_UP) {
			if (bond_arp_recent(bond, rx, 1))
				slave->link_new = BOND_SLAVE_LINK_UP;
			else if (slave->link == BOND_SLAVE_LINK_BACK)
				slave->link_new = BOND_SLAVE_LINK_FAIL;
		} else if (bond_arp_recent(bond, slave->last_link_up, 2)) {
			/* two intervals of grace after enslave or activation */
		} else if (active) {
			if (!bond_arp_recent(bond, READ_ONCE(slave->last_tx), missed) ||
			    !bond_arp_recent(bond, rx, missed))
				slave->link_new = BOND_SLAVE_LINK_DOWN;
		} else if ((!rcu_access_pointer(bond->arp_candidate) ||
			    bond_slave_has_own(slave)) &&
			   !bond_arp_recent(bond, rx, missed + 1)) {
			slave->link_new = BOND_SLAVE_LINK_DOWN;
		}
		change |= slave->link_new != slave->link;
	}
	return change;
}

/* Under RTNL: apply what inspection found. */
static void bond_arpmon_commit(struct bonding *bond)
{
	struct slave *curr = rtnl_dereference(bond->curr_active_slave);
	struct slave *prim = rtnl_dereference(bond->primary_slave);
	struct slave *cand, *slave;
	bool reselect = false;

	bond_for_each_slave(bond, slave) {
		u8 to = slave->link_new;

		if (to == slave->link)
			continue;
		switch (to) {
		case BOND_SLAVE_LINK_UP:
			if (bond->mode->tx_active_only && slave == curr)
				break;
			bond_slave_set_link(slave, BOND_SLAVE_LINK_UP);
			slave->last_link_up = jiffies;
			cand = rtnl_dereference(bond->arp_candidate);
			if (cand) {
				if (cand != curr)
					bond_slave_set_standby(cand, true);
				RCU_INIT_POINTER(bond->arp_candidate, NULL);
			}
			if (bond->mode->tx_active_only)
				slave_info(bond->dev, slave->dev, "link status definitely up\n");
			else
				slave_info(bond->dev, slave->dev, "%s\n", curr ?
					   "interface is now up" : "link status definitely up");
			if (!curr || slave == prim || slave->prio > curr->prio ||
			    !bond->mode->tx_active_only)
				reselect = true;
			break;
		case BOND_SLAVE_LINK_DOWN:
			slave->link_failure_count++;
			bond_slave_set_link(slave, BOND_SLAVE_LINK_DOWN);
			if (bond->mode->tx_active_only)
				bond_slave_set_standby(slave, true);
			slave_info(bond->dev, slave->dev, "%s\n", bond->mode->tx_active_only ?
				   "link status definitely down, disabling slave" :
				   "interface is now down");
			if (slave == curr) {
				RCU_INIT_POINTER(bond->arp_candidate, NULL);
				reselect = true;
			}
			break;
		case BOND_SLAVE_LINK_FAIL:
			bond_slave_set_link(slave, BOND_SLAVE_LINK_FAIL);
			bond_slave_set_standby(slave, true);
			if (curr)
				RCU_INIT_POINTER(bond->arp_candidate, NULL);
			break;
		}
	}
	bond_slaves_changed(bond, reselect);
}

/*
 * Active-backup probing: from the active slave; with none, from the next
 * slave with carrier after the last candidate, which is made active for
 * the probe (BACK). Slaves with targets of their own always probe those.
 */
static bool bond_arpmon_ab_probe(struct bonding *bond)
{
	struct slave *curr = rcu_dereference(bond->curr_active_slave);
	struct slave *cand = rcu_dereference(bond->arp_candidate);
	struct slave *slave, *first = NULL, *next = NULL;
	bool after = false;

	bond_for_each_slave_rcu(bond, slave)
		if (slave != curr && bond_slave_has_own(slave) &&
		    netif_running(slave->dev) && netif_carrier_ok(slave->dev))
			bond_probe_slave(bond, slave, false);
	if (curr) {
		bond_probe_slave(bond, curr, true);
		return false;
	}
	bond_for_each_slave_rcu(bond, slave) {
		bool up = netif_running(slave->dev) && netif_carrier_ok(slave->dev);

		if (up && !first)
			first = slave;
		if (up && after && !next)
			next = slave;
		if (slave == cand)
			after = true;
	}
	next = next ?: first;
	/* a new candidate is made under RTNL; the same one probes again now */
	if (next && next == cand)
		bond_probe_slave(bond, cand, true);
	return next && next != cand;
}

/* Under RTNL: make the next candidate the one that probes. */
static void bond_arpmon_ab_rotate(struct bonding *bond)
{
	struct slave *cand = rtnl_dereference(bond->arp_candidate);
	struct slave *slave, *first = NULL, *next = NULL;
	bool after = !cand;

	if (rtnl_dereference(bond->curr_active_slave))
		return;
	bond_for_each_slave(bond, slave) {
		bool up = netif_running(slave->dev) && netif_carrier_ok(slave->dev);

		if (!up && slave->link == BOND_SLAVE_LINK_UP) {
			bond_slave_set_link(slave, BOND_SLAVE_LINK_DOWN);
			slave->link_failure_count++;
			bond_slave_set_standby(slave, true);
			slave_info(bond->dev, slave->dev, "backup interface is now down\n");
		}
		if (up && !first)
			first = slave;
		if (up && after && !next && slave != cand)
			next = slave;
		if (slave == cand)
			after = true;
	}
	next = next ?: first;
	if (!next)
		return;
	if (cand && cand != next)
		bond_slave_set_standby(cand, true);
	bond_slave_set_link(next, BOND_SLAVE_LINK_BACK);
	bond_slave_set_standby(next, false);
	next->last_link_up = jiffies;
	rcu_assign_pointer(bond->arp_candidate, next);
	bond_probe_slave(bond, next, true);
}

/* ---- the work ----------------------------------------------------------- */

static void bond_arpmon_work(struct work_struct *work)
{
	struct bonding *bond = container_of(to_delayed_work(work), struct bonding,
					    arp_work);
	int iv = READ_ONCE(bond->params.arp_interval);
	bool ab = bond->mode->tx_active_only, change, rotate = false;
	unsigned long delay;

	if (!iv)
		return;
	delay = msecs_to_jiffies(iv);
	if (!bond_has_slaves(bond))
		goto rearm;

	rcu_read_lock();
	change = ab ? bond_arpmon_ab_inspect(bond) : bond_arpmon_lb_inspect(bond);
	if (ab && !change)
		rotate = bond_arpmon_ab_probe(bond);
	rcu_read_unlock();

	if (change || rotate || READ_ONCE(bond->peer_notif_left) > 0) {
		if (!rtnl_trylock()) {
			delay = 1;
			goto rearm;
		}
		if (change)
			bond_arpmon_commit(bond);
		if (ab && change) {
			rcu_read_lock();
			rotate = bond_arpmon_ab_probe(bond);
			rcu_read_unlock();
		}
		if (rotate)
			bond_arpmon_ab_rotate(bond);
		bond_peer_notify_tick(bond);
		rtnl_unlock();
	}
rearm:
	queue_delayed_work(bond->wq, &bond->arp_work, delay);
}

void bond_arpmon_init(struct bonding *bond)
{
	INIT_DELAYED_WORK(&bond->arp_work, bond_arpmon_work);
}

/* Under RTNL: the monitor runs while the bond is up and arp_interval set. */
void bond_arpmon_start(struct bonding *bond)
{
	struct slave *slave;

	ASSERT_RTNL();
	if (!netif_running(bond->dev) || !bond->params.arp_interval)
		return;
	/* the grace of two intervals counts from when monitoring starts */
	bond_for_each_slave(bond, slave)
		slave->last_link_up = jiffies;
	mod_delayed_work(bond->wq, &bond->arp_work, 0);
}

void bond_arpmon_stop(struct bonding *bond)
{
	ASSERT_RTNL();
	cancel_delayed_work_sync(&bond->arp_work);
	RCU_INIT_POINTER(bond->arp_candidate, NULL);
}

/*
 * Under RTNL, before the grace period that frees @slave: the monitor's
 * candidate must not outlive it.
 */
void bond_arpmon_slave_leave(struct bonding *bond, struct slave *slave)
{
	ASSERT_RTNL();
	if (rtnl_dereference(bond->arp_candidate) == slave)
		RCU_INIT_POINTER(bond->arp_candidate, NULL);
}

/*
 * A slave joins a bond: as in-tree, it has neither sent nor heard yet, as
 * of one interval ago. A monitor started later (arp_interval set on a
 * running bond) judges it from there, with its grace of missed_max
 * intervals, instead of from the epoch.
 */
void bond_arpmon_slave_init(struct bonding *bond, struct slave *slave)
{
	unsigned long past = jiffies - (msecs_to_jiffies(bond->params.arp_interval) + 1);
	int i;

	slave->last_tx = past;
	slave->last_rx = past;
	slave->own_rx = past;
	for (i = 0; i < BOND_MAX_ARP_TARGETS; i++)
		slave->target_rx[i] = past;
}
