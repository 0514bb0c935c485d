// SPDX-License-Identifier: GPL-2.0
/*
 * balance-rr (mode 0): packets go to the usable slaves in turn.
 *
 * packets_per_slave sets how many packets a slave gets before the next one
 * takes over: 1 is strict round robin, 0 picks a random slave per packet.
 * The turn counter, the mode's own state, is per CPU, so transmitting CPUs
 * share no written line.
 * IGMP reports stay on the current active slave, so a switch sees the
 * group's joins on one port.
 */

#include <linux/netdevice.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/igmp.h>
#include <linux/random.h>
#include <net/xdp.h>

#include "bond.h"
#include "bond_mode.h"

static bool rr_is_igmp(struct sk_buff *skb)
{
	const struct iphdr *iph;

	if (skb->protocol != htons(ETH_P_IP))
		return false;
	iph = skb_header_pointer(skb, skb_network_offset(skb), sizeof(*iph),
				 &(struct iphdr){});
	return iph && iph->protocol == IPPROTO_IGMP;
}

static bool rr_xdp_is_igmp(const struct xdp_buff *xdp)
{
	const struct ethhdr *eth = xdp->data;
	const struct iphdr *iph = (const void *)(eth + 1);

	if ((const void *)(iph + 1) > xdp->data_end)
		return false;
	return eth->h_proto == htons(ETH_P_IP) && iph->protocol == IPPROTO_IGMP;
}

struct rr_priv {
	u32 __percpu *turn;	/* const; the counts are per CPU, no lock */
};

static int rr_init(struct bonding *bond, void *priv)
{
	struct rr_priv *rr = priv;

	rr->turn = alloc_percpu(u32);
	return rr->turn ? 0 : -ENOMEM;
}

static void rr_uninit(void *priv)
{
	struct rr_priv *rr = priv;

	free_percpu(rr->turn);
}

static u32 rr_next_id(struct bonding *bond)
{
	u32 pps = READ_ONCE(bond->params.packets_per_slave);
	struct rr_priv *rr = bond_mode_priv(bond);
	u32 n;

	if (!pps)
		return get_random_u32();
	n = this_cpu_inc_return(*rr->turn);
	return pps == 1 ? n : n / pps;
}

/* IGMP stays on the active slave while it is usable; the rest take turns. */
static struct slave *rr_pick(struct bonding *bond, bool igmp)
{
	struct bond_slave_arr *usable;
	struct slave *slave;

	if (igmp) {
		slave = rcu_dereference(bond->curr_active_slave);
		if (slave && bond_slave_usable(slave))
			return slave;
	}
	usable = rcu_dereference(bond->usable);
	if (!usable || !usable->count)
		return NULL;
	return usable->arr[rr_next_id(bond) % usable->count];
}

static struct slave *rr_xmit_slave(struct bonding *bond, struct sk_buff *skb)
{
	return rr_pick(bond, rr_is_igmp(skb));
}

static struct slave *rr_xdp_slave(struct bonding *bond, struct xdp_buff *xdp)
{
	return rr_pick(bond, rr_xdp_is_igmp(xdp));
}

static netdev_tx_t rr_xmit(struct bonding *bond, struct sk_buff *skb)
{
	struct slave *slave = bond_queue_id_slave(bond, skb);

	if (!slave)
		slave = rr_xmit_slave(bond, skb);
	if (!slave)
		return bond_xmit_drop(bond, skb);
	return bond_xmit_to(bond, slave, skb);
}

const struct bond_mode bond_mode_roundrobin = {
	.id		= BOND_MODE_ROUNDROBIN,
	.name		= "balance-rr",
	.proc_name	= "load balancing (round-robin)",
	.lag_tx_type	= NETDEV_LAG_TX_TYPE_ROUNDROBIN,
	.igmp_on_active	= true,
	.priv_size	= sizeof(struct rr_priv),
	.init		= rr_init,
	.uninit		= rr_uninit,
	.xmit		= rr_xmit,
	.xmit_slave	= rr_xmit_slave,
	.xdp_slave	= rr_xdp_slave,
};
