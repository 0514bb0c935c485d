// SPDX-License-Identifier: GPL-2.0
/*
 * broadcast (mode 3): every packet leaves by every usable slave, for
 * networks that duplicate on purpose. One copy per slave; the original
 * goes out by the last one.
 */

#include <linux/netdevice.h>
#include <linux/skbuff.h>

#include "bond.h"
#include "bond_mode.h"

static netdev_tx_t bcast_xmit(struct bonding *bond, struct sk_buff *skb)
{
	struct bond_slave_arr *usable = rcu_dereference(bond->usable);
	unsigned int n = usable ? READ_ONCE(usable->count) : 0, i;
	bool sent = false;
	struct sk_buff *copy;

	for (i = 0; i < n; i++) {
		if (i + 1 < n) {
			copy = skb_clone(skb, GFP_ATOMIC);
			if (!copy) {
				net_err_ratelimited("%s: Error: %s: skb_clone() failed\n",
						    bond->dev->name, __func__);
				continue;
			}
		} else {
			copy = skb;
			skb = NULL;
		}
		if (bond_xmit_to(bond, usable->arr[i], copy) == NETDEV_TX_OK)
			sent = true;
	}
	if (skb)
		dev_kfree_skb_any(skb);
	if (sent)
		return NETDEV_TX_OK;
	dev_core_stats_tx_dropped_inc(bond->dev);
	return NET_XMIT_DROP;
}

const struct bond_mode bond_mode_broadcast = {
	.id		= BOND_MODE_BROADCAST,
	.name		= "broadcast",
	.proc_name	= "fault-tolerance (broadcast)",
	.lag_tx_type	= NETDEV_LAG_TX_TYPE_BROADCAST,
	.speed_is_min	= true,
	.xmit		= bcast_xmit,
};
