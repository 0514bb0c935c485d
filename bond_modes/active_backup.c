// SPDX-License-Identifier: GPL-2.0
/*
 * active-backup (mode 1): one slave, the active one, carries all traffic;
 * the others stand by and take over when it fails. Which slave is active
 * is the core's choice (bond_active.c), driven by link state, primary,
 * primary_reselect and the slaves' prio.
 */

#include <linux/netdevice.h>

#include "bond.h"
#include "bond_mode.h"

static struct slave *ab_xmit_slave(struct bonding *bond, struct sk_buff *skb)
{
	return rcu_dereference(bond->curr_active_slave);
}

static struct slave *ab_xdp_slave(struct bonding *bond, struct xdp_buff *xdp)
{
	return rcu_dereference(bond->curr_active_slave);
}

static netdev_tx_t ab_xmit(struct bonding *bond, struct sk_buff *skb)
{
	struct slave *slave = bond_queue_id_slave(bond, skb);

	if (!slave)
		slave = rcu_dereference(bond->curr_active_slave);
	if (!slave)
		return bond_xmit_drop(bond, skb);
	return bond_xmit_to(bond, slave, skb);
}

const struct bond_mode bond_mode_activebackup = {
	.id		= BOND_MODE_ACTIVEBACKUP,
	.name		= "active-backup",
	.proc_name	= "fault-tolerance (active-backup)",
	.lag_tx_type	= NETDEV_LAG_TX_TYPE_ACTIVEBACKUP,
	.has_active	= true,
	.tx_active_only	= true,
	.failover	= true,
	.xfrm_offload	= true,
	.xmit		= ab_xmit,
	.xmit_slave	= ab_xmit_slave,
	.xdp_slave	= ab_xdp_slave,
};
