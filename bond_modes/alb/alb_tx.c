// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit load balancing, shared by balance-tlb and balance-alb.
 *
 * A destination hashes to one of 256 slots. A slot without a slave takes
 * the slave with the most room left for its speed, and keeps it until the
 * next rebalance, when every slot starts over with its measured rate. The
 * hot path is one RCU read of the slot and one per-CPU add; only the first
 * packet of a slot after a rebalance takes the lock.
 *
 * Broadcast, multicast, neighbour discovery and non-IP traffic go by the
 * active slave, which wears the bond's MAC; a packet sent by another slave
 * carries that slave's MAC as its source, so the switch learns nothing
 * that would pull the bond's receive traffic away from the active slave.
 */

#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <net/ipv6.h>
#include <net/ndisc.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_hash.h"
#include "alb.h"

/* How many bytes a second @slave can still take. */
static s64 alb_room(struct slave *slave)
{
	/* Mb/s to bytes/s */
	return (s64)alb_speed(slave) * 125000 -
	       (s64)alb_port_of(slave)->load;
}

/* The usable slave with the most room, or NULL. Under the lock and RCU. */
static struct slave *alb_least_loaded(struct alb_mode *m)
{
	struct bond_slave_arr *usable = rcu_dereference(m->bond->usable);
	struct slave *best = NULL;
	s64 best_room = 0;
	unsigned int i, n;

	lockdep_assert_held(&m->lock);
	n = usable ? READ_ONCE(usable->count) : 0;
	for (i = 0; i < n; i++) {
		struct slave *s = usable->arr[i];
		s64 room = alb_room(s);

		if (!alb_port_takes(s))
			continue;
		if (!best || room > best_room) {
			best = s;
			best_room = room;
		}
	}
	return best;
}

/* The first packet of slot @idx since it was cleared: give it a slave. */
static struct slave *alb_tx_assign(struct alb_mode *m, u8 idx)
{
	struct alb_tx_slot *slot = &m->tx[idx];
	struct slave *s;

	if (unlikely(!alb_may_lock()))
		return NULL;	/* by the active slave */
	spin_lock(&m->lock);
	s = rcu_dereference_protected(slot->slave, lockdep_is_held(&m->lock));
	if (!s) {
		s = alb_least_loaded(m);
		if (s) {
			alb_port_of(s)->load += slot->rate;
			rcu_assign_pointer(slot->slave, s);
		}
	}
	spin_unlock(&m->lock);
	return s;
}

/* The slave of destination slot @idx, counting @len bytes. RCU, BH off. */
static struct slave *alb_tx_slot_slave(struct alb_mode *m, u8 idx,
				       unsigned int len)
{
	struct slave *s = rcu_dereference(m->tx[idx].slave);

	if (unlikely(!s))
		s = alb_tx_assign(m, idx);
	this_cpu_add(m->bytes->slot[idx], len);
	return s;
}

/*
 * Slots given to @slave start over, and its load with them. A reader may
 * still send by it until a grace period passes, which release waits for.
 */
void alb_tx_forget_slave(struct alb_mode *m, struct slave *slave)
{
	unsigned int i;

	spin_lock_bh(&m->lock);
	for (i = 0; i < ALB_TX_SLOTS; i++)
		if (rcu_access_pointer(m->tx[i].slave) == slave)
			RCU_INIT_POINTER(m->tx[i].slave, NULL);
	alb_port_of(slave)->load = 0;
	spin_unlock_bh(&m->lock);
}

/* What the CPUs counted for slot @idx (or the unbalanced bytes, -1). */
static u64 alb_tx_sum(struct alb_mode *m, int idx)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu) {
		struct alb_tx_bytes *b = per_cpu_ptr(m->bytes, cpu);

		sum += idx < 0 ? READ_ONCE(b->unbalanced) : READ_ONCE(b->slot[idx]);
	}
	return sum;
}

/*
 * Every ALB_REBALANCE_SEC (tick): each slot keeps the rate it had and
 * loses its slave; the active slave starts with what it sent unbalanced.
 * The counters are only read, so a packet counted meanwhile is never lost.
 */
void alb_tx_rebalance(struct alb_mode *m)
{
	struct bonding *bond = m->bond;
	struct slave *slave, *active;
	unsigned int i;
	u64 sum;

	rcu_read_lock();
	spin_lock_bh(&m->lock);
	for (i = 0; i < ALB_TX_SLOTS; i++) {
		struct alb_tx_slot *slot = &m->tx[i];

		sum = alb_tx_sum(m, i);
		slot->rate = 1 + div_u64(sum - slot->counted, ALB_REBALANCE_SEC);
		slot->counted = sum;
		RCU_INIT_POINTER(slot->slave, NULL);
	}
	bond_for_each_slave_rcu(bond, slave)
		alb_port_of(slave)->load = 0;
	sum = alb_tx_sum(m, -1);
	active = rcu_dereference(bond->curr_active_slave);
	if (active)
		alb_port_of(active)->load = div_u64(sum - m->unbalanced_counted,
						    ALB_REBALANCE_SEC);
	m->unbalanced_counted = sum;
	spin_unlock_bh(&m->lock);
	rcu_read_unlock();
}

/* An IPv6 neighbour solicitation or advertisement (or too short to tell). */
static bool alb_is_nd(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6;
	const struct icmp6hdr *icmp;

	if (!pskb_network_may_pull(skb, sizeof(*ip6)))
		return true;
	if (ipv6_hdr(skb)->nexthdr != IPPROTO_ICMPV6)
		return false;
	if (!pskb_network_may_pull(skb, sizeof(*ip6) + sizeof(*icmp)))
		return true;
	icmp = (const struct icmp6hdr *)(ipv6_hdr(skb) + 1);
	return icmp->icmp6_type == NDISC_NEIGHBOUR_SOLICITATION ||
	       icmp->icmp6_type == NDISC_NEIGHBOUR_ADVERTISEMENT;
}

/* A byte-wise XOR of @len bytes: alb's slot of a destination address. */
static u8 alb_fold(const void *p, unsigned int len)
{
	const u8 *b = p;
	u8 h = 0;

	while (len--)
		h ^= *b++;
	return h;
}

/*
 * Whether @skb may go by any slave, and its hash: unicast IPv4, and IPv6
 * other than neighbour discovery. alb also keeps broadcast IPv4, IGMP and
 * duplicate address detection on the active slave, and hashes the
 * destination address alone (when tlb_dynamic_lb); tlb hashes by the
 * transmit hash policy.
 */
static bool alb_tx_balanced(struct bonding *bond, struct sk_buff *skb,
			    bool rlb, u32 *hash)
{
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;

	if (is_multicast_ether_addr(eth->h_dest))
		return false;
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		if (!rlb)
			break;
		if (!pskb_network_may_pull(skb, sizeof(struct iphdr)))
			return false;
		if (ip_hdr(skb)->daddr == htonl(INADDR_BROADCAST) ||
		    ip_hdr(skb)->protocol == IPPROTO_IGMP)
			return false;
		break;
	case htons(ETH_P_IPV6):
		if (alb_is_nd(skb))
			return false;
		if (!rlb)
			break;
		if (ipv6_addr_any(&ipv6_hdr(skb)->saddr))
			return false;
		break;
	default:
		return false;
	}
	if (!rlb || !READ_ONCE(bond->params.tlb_dynamic_lb))
		*hash = bond_xmit_hash(bond, skb);
	else if (skb->protocol == htons(ETH_P_IP))
		*hash = alb_fold(&ip_hdr(skb)->daddr, sizeof(ip_hdr(skb)->daddr));
	else
		*hash = alb_fold(&ipv6_hdr(skb)->daddr, sizeof(struct in6_addr));
	return true;
}

/* tlb_dynamic_lb 0: the usable slave of @hash, as balance-xor picks. */
static struct slave *alb_hash_pick(struct bonding *bond, u32 hash)
{
	struct bond_slave_arr *usable = rcu_dereference(bond->usable);
	unsigned int n = usable ? READ_ONCE(usable->count) : 0;

	return n ? usable->arr[hash % n] : NULL;
}

/* The slave a balanced packet goes by, or NULL for the active one. */
static struct slave *alb_tx_pick(struct bonding *bond, struct alb_mode *m,
				 struct sk_buff *skb, bool rlb)
{
	u32 hash;

	if (!alb_tx_balanced(bond, skb, rlb, &hash))
		return NULL;
	if (!READ_ONCE(bond->params.tlb_dynamic_lb))
		return alb_hash_pick(bond, hash);
	return alb_tx_slot_slave(m, hash & (ALB_TX_SLOTS - 1), skb->len);
}

/*
 * Send @skb by @tx, or by the active slave when @tx is NULL or has just
 * lost its link (its slots are being cleared). A slave other than the
 * active one sends with its own source MAC.
 */
static netdev_tx_t alb_send(struct bonding *bond, struct alb_mode *m,
			    struct sk_buff *skb, struct slave *tx)
{
	struct slave *active = rcu_dereference(bond->curr_active_slave);

	if (!tx || !bond_slave_usable(tx)) {
		tx = active;
		if (READ_ONCE(bond->params.tlb_dynamic_lb))
			this_cpu_add(m->bytes->unbalanced, skb->len);
	}
	if (!tx || !bond_slave_usable(tx))
		return bond_xmit_drop(bond, skb);
	if (tx != active) {
		if (unlikely(skb_cow_head(skb, 0)))
			return bond_xmit_drop(bond, skb);
		ether_addr_copy(((struct ethhdr *)skb->data)->h_source,
				tx->dev->dev_addr);
	}
	return bond_xmit_to(bond, tx, skb);
}

netdev_tx_t alb_tlb_xmit(struct bonding *bond, struct sk_buff *skb)
{
	struct alb_mode *m = alb_of(bond);

	return alb_send(bond, m, skb, alb_tx_pick(bond, m, skb, false));
}

/* alb: ARP goes where the receive balancing says; the rest as tlb. */
netdev_tx_t alb_alb_xmit(struct bonding *bond, struct sk_buff *skb)
{
	struct alb_mode *m = alb_of(bond);
	struct slave *tx;

	if (skb->protocol == htons(ETH_P_ARP))
		tx = rlb_arp_xmit(m, skb);
	else
		tx = alb_tx_pick(bond, m, skb, true);
	return alb_send(bond, m, skb, tx);
}

/*
 * ndo_get_xmit_slave: where @skb would go now, without counting it or
 * giving its slot a slave. RCU.
 */
struct slave *alb_xmit_slave(struct bonding *bond, struct sk_buff *skb)
{
	struct slave *active = rcu_dereference(bond->curr_active_slave);
	const struct bond_mode *mode = READ_ONCE(bond->mode);
	bool rlb = mode == &bond_mode_alb;
	struct alb_mode *m;
	struct slave *s;
	u32 hash;

	/* the hook and the mode come from two reads: a switch may fall between */
	if (mode != &bond_mode_tlb && !rlb)
		return NULL;
	if (skb->protocol == htons(ETH_P_ARP) ||
	    !alb_tx_balanced(bond, skb, rlb, &hash))
		return active;
	if (!READ_ONCE(bond->params.tlb_dynamic_lb))
		return alb_hash_pick(bond, hash);
	m = bond_mode_priv_of(bond, mode);
	s = m ? rcu_dereference(m->tx[hash & (ALB_TX_SLOTS - 1)].slave) : NULL;
	return s && bond_slave_usable(s) ? s : active;
}
