// SPDX-License-Identifier: GPL-2.0
/*
 * balance-xor (mode 2): each flow goes to one usable slave, chosen by the
 * transmit hash (xmit_hash_policy) modulo the number of usable slaves, in
 * the slaves' enslave order, so a flow lands where the in-tree driver puts
 * it. The usable array is rebuilt on every link change, so selection is
 * O(1). 802.3ad transmits the same way over its own usable slaves.
 */

#include <linux/netdevice.h>

#include "bond.h"
#include "bond_mode.h"
#include "bond_hash.h"

static struct slave *xor_pick(struct bonding *bond, u32 hash)
{
	struct bond_slave_arr *usable = rcu_dereference(bond->usable);
	unsigned int n = usable ? READ_ONCE(usable->count) : 0;

	return n ? usable->arr[hash % n] : NULL;
}

struct slave *bond_hash_xmit_slave(struct bonding *bond, struct sk_buff *skb)
{
	return xor_pick(bond, bond_xmit_hash(bond, skb));
}

/* Over every slave, usable or not, as RDMA LAG asks for (all_slaves). */
struct slave *bond_hash_xmit_slave_all(struct bonding *bond, struct sk_buff *skb)
{
	unsigned int n = READ_ONCE(bond->slave_cnt), i = 0, k;
	struct slave *slave;

	if (!n)
		return NULL;
	k = bond_xmit_hash(bond, skb) % n;
	bond_for_each_slave_rcu(bond, slave)
		if (i++ == k)
			return slave;
	return NULL;
}

/* Only layer3+4 is told by the socket alone (addresses and ports). */
struct slave *bond_hash_sk_slave(struct bonding *bond, struct sock *sk)
{
	if (READ_ONCE(bond->params.xmit_policy) != BOND_XMIT_POLICY_LAYER34)
		return NULL;
	return xor_pick(bond, bond_sk_hash_l34(sk));
}

struct slave *bond_hash_xdp_slave(struct bonding *bond, struct xdp_buff *xdp)
{
	return xor_pick(bond, bond_xmit_hash_xdp(bond, xdp));
}

/* vlan+srcmac reads a tag XDP frames usually do not carry in the packet. */
bool bond_hash_xdp_ok(struct bonding *bond, u8 xmit_policy)
{
	return xmit_policy != BOND_XMIT_POLICY_VLAN_SRCMAC;
}

netdev_tx_t bond_hash_xmit(struct bonding *bond, struct sk_buff *skb)
{
	struct slave *slave = bond_hash_xmit_slave(bond, skb);

	if (!slave)
		return bond_xmit_drop(bond, skb);
	return bond_xmit_to(bond, slave, skb);
}

const struct bond_mode bond_mode_xor = {
	.id		= BOND_MODE_XOR,
	.name		= "balance-xor",
	.proc_name	= "load balancing (xor)",
	.lag_tx_type	= NETDEV_LAG_TX_TYPE_HASH,
	.uses_xmit_hash	= true,
	.xmit		= bond_hash_xmit,
	.xmit_slave	= bond_hash_xmit_slave,
	.xmit_slave_all	= bond_hash_xmit_slave_all,
	.sk_slave	= bond_hash_sk_slave,
	.xdp_slave	= bond_hash_xdp_slave,
	.xdp_ok		= bond_hash_xdp_ok,
};
