// SPDX-License-Identifier: GPL-2.0
/*
 * Receive load balancing (balance-alb, IPv4): each client that talks ARP
 * with one of our addresses is given a slave, and the ARP replies it gets
 * from us carry that slave's MAC, so it sends to that slave. A table of 256
 * clients, slotted by the client's address, remembers who was given what;
 * when slaves come, go or swap MACs the clients concerned are sent fresh
 * replies (RLB_UPDATE_BURST each, for RLB_UPDATE_RETRIES ticks).
 *
 * Our own ARP requests are broadcast with the bond's MAC and pull every
 * client of that address to the active slave: the clients are told again
 * RLB_UPDATE_DELAY_TICKS later.
 *
 * The table is under alb_mode::lock (BH). A client's slave is only
 * compared or used under RCU: release clears it before the grace period.
 * Replies are built under the lock and sent after it.
 */

#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/if_vlan.h>
#include <linux/inetdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/arp.h>

#include "bond.h"
#include "bond_mode.h"
#include "alb.h"

/* An Ethernet/IPv4 ARP packet, the only kind balanced. */
struct rlb_arp {
	__be16 hw_type;
	__be16 proto;
	u8 hw_len;
	u8 proto_len;
	__be16 op;
	u8 mac_src[ETH_ALEN];
	__be32 ip_src;
	u8 mac_dst[ETH_ALEN];
	__be32 ip_dst;
} __packed;

static bool rlb_arp_ok(const struct rlb_arp *arp)
{
	return arp->hw_type == htons(ARPHRD_ETHER) &&
	       arp->proto == htons(ETH_P_IP) &&
	       arp->hw_len == ETH_ALEN && arp->proto_len == 4;
}

static u8 rlb_slot_of(__be32 ip)
{
	const u8 *b = (const u8 *)&ip;

	return b[0] ^ b[1] ^ b[2] ^ b[3];
}

/*
 * The next slave to give a client: round robin over the fastest usable
 * slaves, after the last one given. Under the lock and RCU.
 */
static struct slave *rlb_next_slave(struct alb_mode *m)
{
	struct bond_slave_arr *usable = rcu_dereference(m->bond->usable);
	unsigned int i, n = usable ? READ_ONCE(usable->count) : 0;
	struct slave *first = NULL, *after = NULL;
	bool past = false;
	u32 top = 0;

	lockdep_assert_held(&m->lock);
	for (i = 0; i < n; i++)
		if (alb_port_takes(usable->arr[i]))
			top = max(top, alb_speed(usable->arr[i]));
	for (i = 0; i < n; i++) {
		struct slave *s = usable->arr[i];

		if (alb_port_takes(s) && alb_speed(s) == top) {
			if (!first)
				first = s;
			if (past && !after)
				after = s;
		}
		if (s == m->rx_cursor)
			past = true;
	}
	m->rx_cursor = after ?: first;
	return m->rx_cursor;
}

/* The ARP replies that tell @c its slave's MAC, onto @q. Under the lock. */
static void rlb_queue_update(struct rlb_client *c, struct sk_buff_head *q)
{
	struct sk_buff *skb;
	int i;

	if (!c->slave || !is_valid_ether_addr(c->mac_client))
		return;
	for (i = 0; i < RLB_UPDATE_BURST; i++) {
		skb = arp_create(ARPOP_REPLY, ETH_P_ARP, c->ip_client, c->slave->dev,
				 c->ip_ours, c->mac_client, c->slave->dev->dev_addr,
				 c->mac_client);
		if (!skb)
			return;
		if (c->vlan_id)
			__vlan_hwaccel_put_tag(skb, htons(ETH_P_8021Q), c->vlan_id);
		__skb_queue_tail(q, skb);
	}
}

static void rlb_send_queued(struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = __skb_dequeue(q)))
		arp_xmit(skb);
}

/* @c must hear of its slave again, at the next tick. Under the lock. */
static void rlb_mark(struct alb_mode *m, struct rlb_client *c)
{
	if (!is_valid_ether_addr(c->mac_client))
		return;
	c->ntt = true;
	m->rx_ntt = true;
	c->echo = true;
	m->rx_echo_ticks = RLB_ECHO_TICKS;
}

/* RLB_ECHO_TICKS after the last mark: the clients marked are told again. */
static void rlb_echo_tick(struct alb_mode *m)
{
	unsigned int i;

	if (!m->rx_echo_ticks || --m->rx_echo_ticks)
		return;
	for (i = 0; i < ALB_RX_SLOTS; i++) {
		struct rlb_client *c = &m->rx[i];

		if (c->used && c->echo && is_valid_ether_addr(c->mac_client)) {
			c->echo = false;
			c->ntt = true;
			m->rx_ntt = true;
		}
	}
}

/*
 * Our ARP @arp goes to a client: the client's slot gives it a slave, a
 * new one if the slot held another client, who falls back to the active
 * slave and is told so at once (onto @q). Under the lock and RCU.
 */
static struct slave *rlb_choose(struct alb_mode *m, struct sk_buff *skb,
				const struct rlb_arp *arp, struct sk_buff_head *q)
{
	struct rlb_client *c = &m->rx[rlb_slot_of(arp->ip_dst)];
	struct slave *active = rcu_dereference(m->bond->curr_active_slave);
	struct slave *s;

	if (c->used && c->ip_ours == arp->ip_src && c->ip_client == arp->ip_dst) {
		/* a request's target is zero or broadcast: keep what we know */
		if (!is_broadcast_ether_addr(arp->mac_dst) &&
		    !is_zero_ether_addr(arp->mac_dst))
			ether_addr_copy(c->mac_client, arp->mac_dst);
		ether_addr_copy(c->mac_ours, arp->mac_src);
		/* a slave failing (downdelay) or leaving: it gets another */
		if (c->slave && alb_port_takes(c->slave))
			return c->slave;
	} else if (c->used && active && c->slave != active) {
		c->slave = active;
		rlb_queue_update(c, q);
	}
	s = rlb_next_slave(m);
	if (!s)
		return NULL;
	c->ip_ours = arp->ip_src;
	c->ip_client = arp->ip_dst;
	ether_addr_copy(c->mac_client, arp->mac_dst);
	ether_addr_copy(c->mac_ours, arp->mac_src);
	c->slave = s;
	c->ntt = false;
	rlb_mark(m, c);
	if (vlan_get_tag(skb, &c->vlan_id))
		c->vlan_id = 0;
	c->used = true;
	return s;
}

/*
 * Whether @arp is the bond's own (or a VLAN's on it) and not a bridge's
 * above it, whose ARP we must neither rewrite nor balance. RCU.
 */
static bool rlb_arp_is_ours(struct bonding *bond, const struct rlb_arp *arp)
{
	struct net_device *dev;
	struct slave *slave;
	bool ours = false;

	bond_for_each_slave_rcu(bond, slave)
		if (ether_addr_equal_64bits(arp->mac_src, slave->dev->dev_addr))
			ours = true;
	if (!ours)
		return false;
	dev = __ip_dev_find(dev_net(bond->dev), arp->ip_src, false);
	return !dev || !(netif_is_bridge_master(dev) || netif_is_ovs_master(dev));
}

/* Our requests pulled the clients of @ip to the active slave. Lock held. */
static void rlb_mark_subnet(struct alb_mode *m, __be32 ip)
{
	unsigned int i;

	for (i = 0; i < ALB_RX_SLOTS; i++) {
		struct rlb_client *c = &m->rx[i];

		if (!c->used || c->ip_ours != ip)
			continue;
		if (!c->slave) {
			/* none was usable when it was last given one */
			if (net_ratelimit())
				netdev_err(m->bond->dev, "found a client with no channel in the client's hash table\n");
			continue;
		}
		if (!ether_addr_equal_64bits(c->slave->dev->dev_addr,
					     m->bond->dev->dev_addr))
			rlb_mark(m, c);
	}
}

/*
 * An ARP the bond sends (RCU, BH off): a reply carries the MAC of the
 * client's slave and goes by it; a request goes by the client's slave too,
 * but, broadcast with the bond's MAC, it calls for fresh updates later.
 * NULL: by the active slave, untouched.
 */
struct slave *rlb_arp_xmit(struct alb_mode *m, struct sk_buff *skb)
{
	struct sk_buff_head q;
	struct rlb_arp *arp;
	struct slave *s = NULL;

	if (!pskb_network_may_pull(skb, sizeof(*arp)))
		return NULL;
	arp = (struct rlb_arp *)skb_network_header(skb);
	if (!rlb_arp_ok(arp) || !rlb_arp_is_ours(m->bond, arp))
		return NULL;
	if (unlikely(!alb_may_lock()))
		return NULL;
	if (arp->op != htons(ARPOP_REPLY) && arp->op != htons(ARPOP_REQUEST))
		return NULL;

	__skb_queue_head_init(&q);
	spin_lock(&m->lock);
	s = rlb_choose(m, skb, arp, &q);
	if (arp->op == htons(ARPOP_REQUEST)) {
		m->rx_update_delay = RLB_UPDATE_DELAY_TICKS;
		rlb_mark_subnet(m, arp->ip_src);
	}
	spin_unlock(&m->lock);
	rlb_send_queued(&q);

	if (s && arp->op == htons(ARPOP_REPLY) &&
	    !ether_addr_equal_64bits(arp->mac_src, s->dev->dev_addr)) {
		if (skb_cow_head(skb, 0))
			return NULL;
		arp = (struct rlb_arp *)skb_network_header(skb);
		ether_addr_copy(arp->mac_src, s->dev->dev_addr);
	}
	return s;
}

/*
 * Rewrite the destination of a frame for one of our slaves' MACs to the
 * bond's: a bridge above the bond knows the bond's MAC only.
 */
static bool rlb_bridge_dest(struct bonding *bond, struct sk_buff *skb)
{
	if (skb->pkt_type != PACKET_HOST || !netif_is_bridge_port(bond->dev))
		return true;
	if (skb_cow_head(skb, skb->data - skb_mac_header(skb)))
		return false;
	ether_addr_copy(eth_hdr(skb)->h_dest, bond->dev->dev_addr);
	return true;
}

/*
 * Receive tap (RCU, softirq). An ARP from an address we use, with another
 * MAC, means someone else has that address now: its entries go, so no
 * update speaks for it with a stale MAC. A client's reply teaches us its
 * MAC. Nothing is consumed but frames a bridge rewrite failed for.
 */
bool rlb_rx(struct bonding *bond, struct slave *slave, struct sk_buff *skb)
{
	struct alb_mode *m = alb_of(bond);
	struct rlb_arp _arp;
	const struct rlb_arp *arp;
	struct rlb_client *c;
	unsigned int i;

	if (!rlb_bridge_dest(bond, skb))
		return true;
	if (skb->protocol != htons(ETH_P_ARP))
		return false;
	arp = skb_header_pointer(skb, 0, sizeof(_arp), &_arp);
	if (!arp || !rlb_arp_ok(arp))
		return false;

	spin_lock(&m->lock);
	for (i = 0; i < ALB_RX_SLOTS; i++) {
		c = &m->rx[i];
		if (c->used && c->ip_ours == arp->ip_src &&
		    !ether_addr_equal_64bits(c->mac_ours, arp->mac_src))
			memset(c, 0, sizeof(*c));
	}
	c = &m->rx[rlb_slot_of(arp->ip_src)];
	if (arp->op == htons(ARPOP_REPLY) && c->used &&
	    c->ip_ours == arp->ip_dst && c->ip_client == arp->ip_src &&
	    !ether_addr_equal_64bits(c->mac_client, arp->mac_src)) {
		ether_addr_copy(c->mac_client, arp->mac_src);
		rlb_mark(m, c);
	}
	spin_unlock(&m->lock);
	return false;
}

/*
 * @slave's MAC changed: its clients hear of it, for a few ticks. RTNL.
 */
void rlb_tell_slave_clients(struct alb_mode *m, struct slave *slave)
{
	bool any = false;
	unsigned int i;

	spin_lock_bh(&m->lock);
	for (i = 0; i < ALB_RX_SLOTS; i++) {
		struct rlb_client *c = &m->rx[i];

		if (c->used && c->slave == slave &&
		    is_valid_ether_addr(c->mac_client)) {
			rlb_mark(m, c);
			any = true;
		}
	}
	if (any)
		m->rx_update_retries = RLB_UPDATE_RETRIES;
	spin_unlock_bh(&m->lock);
}

/*
 * @slave went down or leaves: its clients go to other slaves and are told,
 * and the active slave receives for @slave's MAC meanwhile. RTNL.
 */
void rlb_forget_slave(struct alb_mode *m, struct slave *slave)
{
	struct slave *active = rtnl_dereference(m->bond->curr_active_slave);
	unsigned int i;

	rcu_read_lock();
	spin_lock_bh(&m->lock);
	if (m->rx_cursor == slave)
		m->rx_cursor = NULL;
	for (i = 0; i < ALB_RX_SLOTS; i++) {
		struct rlb_client *c = &m->rx[i];

		if (!c->used || c->slave != slave)
			continue;
		c->slave = rlb_next_slave(m);
		if (c->slave && is_valid_ether_addr(c->mac_client)) {
			rlb_mark(m, c);
			m->rx_update_retries = RLB_UPDATE_RETRIES;
		}
	}
	spin_unlock_bh(&m->lock);
	rcu_read_unlock();
	if (slave != active)
		rlb_teach_on_active(m, slave->dev->dev_addr);
}

/*
 * Frames for @mac, a slave's that cannot receive, reach the active slave:
 * the switch learns @mac there, and the active slave is promiscuous for
 * RLB_PROMISC_TICKS so it takes them. RTNL.
 */
void rlb_teach_on_active(struct alb_mode *m, const u8 *mac)
{
	struct slave *active = rtnl_dereference(m->bond->curr_active_slave);

	ASSERT_RTNL();
	if (!active)
		return;
	if (!m->active_promisc)
		m->active_promisc = !dev_set_promiscuity(active->dev, 1);
	m->promisc_ticks = 0;
	alb_send_learning(active, mac, true);
}

/* The promiscuity rlb_teach_on_active() gave @active ends. RTNL. */
void rlb_drop_promisc(struct alb_mode *m, struct slave *active)
{
	ASSERT_RTNL();
	if (!m->active_promisc)
		return;
	if (active)
		dev_set_promiscuity(active->dev, -1);
	m->active_promisc = false;
	m->promisc_ticks = 0;
}

/* A VLAN of the bond went away: so do its clients. RTNL. */
void rlb_forget_vlan(struct bonding *bond, u16 vid)
{
	struct alb_mode *m = alb_of(bond);
	unsigned int i;

	ASSERT_RTNL();
	spin_lock_bh(&m->lock);
	for (i = 0; i < ALB_RX_SLOTS; i++)
		if (m->rx[i].used && m->rx[i].vlan_id == vid)
			memset(&m->rx[i], 0, sizeof(m->rx[i]));
	spin_unlock_bh(&m->lock);
}

/* Every client gets a slave again; those that moved are told. Lock held. */
static void rlb_rebalance(struct alb_mode *m)
{
	unsigned int i;

	for (i = 0; i < ALB_RX_SLOTS; i++) {
		struct rlb_client *c = &m->rx[i];
		struct slave *s;

		if (!c->used)
			continue;
		s = rlb_next_slave(m);
		if (s && s != c->slave) {
			c->slave = s;
			rlb_mark(m, c);
		}
	}
}

/* The tick's updates: the clients marked hear their slave's MAC. */
static void rlb_updates(struct alb_mode *m, struct sk_buff_head *q)
{
	unsigned int i;

	if (!m->rx_ntt)
		return;
	if (m->rx_update_delay) {
		m->rx_update_delay--;
		return;
	}
	for (i = 0; i < ALB_RX_SLOTS; i++) {
		struct rlb_client *c = &m->rx[i];

		if (!c->used || !c->ntt)
			continue;
		rlb_queue_update(c, q);
		if (!m->rx_update_retries)
			c->ntt = false;
	}
	if (m->rx_update_retries)
		m->rx_update_retries--;
	else
		m->rx_ntt = false;
}

/* The active slave's promiscuity for a disabled MAC times out. */
static void rlb_promisc_tick(struct alb_mode *m)
{
	if (!READ_ONCE(m->active_promisc))
		return;
	/* close cancels this work under RTNL: never wait for it here */
	if (!rtnl_trylock())
		return;
	if (m->active_promisc && ++m->promisc_ticks >= RLB_PROMISC_TICKS)
		rlb_drop_promisc(m, rtnl_dereference(m->bond->curr_active_slave));
	rtnl_unlock();
}

void rlb_tick(struct alb_mode *m)
{
	struct sk_buff_head q;

	rlb_promisc_tick(m);
	__skb_queue_head_init(&q);
	rcu_read_lock();
	spin_lock_bh(&m->lock);
	if (m->rx_rebalance) {
		m->rx_rebalance = false;
		rlb_rebalance(m);
	}
	rlb_echo_tick(m);
	rlb_updates(m, &q);
	spin_unlock_bh(&m->lock);
	rlb_send_queued(&q);
	rcu_read_unlock();
}

/* debugfs' rlb_hash_table, in slot order. RCU. */
unsigned int rlb_clients(struct bonding *bond, struct bond_rx_client *out,
			 unsigned int max)
{
	struct alb_mode *m = bond_mode_priv_of(bond, &bond_mode_alb);
	unsigned int i, n = 0;

	if (!m)
		return 0;
	spin_lock_bh(&m->lock);
	for (i = 0; i < ALB_RX_SLOTS && n < max; i++) {
		struct rlb_client *c = &m->rx[i];

		if (!c->used)
			continue;
		out[n].ip_ours = c->ip_ours;
		out[n].ip_client = c->ip_client;
		ether_addr_copy(out[n].mac_client, c->mac_client);
		strscpy(out[n].slave, c->slave ? c->slave->dev->name : "",
			sizeof(out[n].slave));
		n++;
	}
	spin_unlock_bh(&m->lock);
	return n;
}
