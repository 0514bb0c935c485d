// SPDX-License-Identifier: GPL-2.0
/*
 * The transmit path: the bond's ndo_start_xmit dispatches to its mode
 * (include/bond_mode.h), and the modes hand packets to slaves through the
 * helpers here. Everything runs under RCU, with BH off but for
 * ndo_get_xmit_slave (RDMA LAG, RCU only); the bond takes no lock of its own.
 */

#include <linux/netdevice.h>
#include <linux/netpoll.h>
#include <net/sch_generic.h>
#include <net/tls.h>

#include "bond.h"
#include "bond_mode.h"

netdev_tx_t bond_xmit_drop(struct bonding *bond, struct sk_buff *skb)
{
	dev_core_stats_tx_dropped_inc(bond->dev);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/* Hand @skb to @slave, restoring the queue mapping the stack chose. */
netdev_tx_t bond_xmit_to(struct bonding *bond, struct slave *slave,
			 struct sk_buff *skb)
{
	skb_set_queue_mapping(skb, qdisc_skb_cb(skb)->slave_dev_queue_mapping);
	skb->dev = slave->dev;
	if (unlikely(netpoll_tx_running(bond->dev)))
		return bond_netpoll_xmit(slave, skb);
	return dev_queue_xmit(skb);
}

/*
 * A queue mapping set on the bond (tc skbedit) that names a slave's queue_id
 * sends the packet on that slave, while it is usable. 0 steers nothing.
 */
struct slave *bond_queue_id_slave(struct bonding *bond, struct sk_buff *skb)
{
	/* what the bond's own qdisc (multiq + skbedit) chose, after select_queue */
	u16 qid = skb_get_queue_mapping(skb);
	struct slave *slave;

	if (!qid)
		return NULL;
	bond_for_each_slave_rcu(bond, slave)
		if (READ_ONCE(slave->queue_id) == qid)
			return bond_slave_usable(slave) ? slave : NULL;
	return NULL;
}

/* Is @skb a kTLS record that a slave's device offload encrypts? */
static bool bond_skb_tls_offloaded(const struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_TLS_DEVICE) && defined(BOND_HAVE_TLS_SKB_OFFLOADED)
	return tls_is_skb_tx_device_offloaded(skb);
#elif IS_ENABLED(CONFIG_TLS_DEVICE)
	return skb->sk && tls_is_sk_tx_device_offloaded(skb->sk);
#else
	return false;
#endif
}

/*
 * Only the slave that holds the socket's key can send its records: that
 * one, whatever the mode would pick, or none if it has left the bond.
 */
static netdev_tx_t bond_xmit_tls(struct bonding *bond, struct sk_buff *skb)
{
#if IS_ENABLED(CONFIG_TLS_DEVICE)
	struct net_device *dev = rcu_dereference(tls_get_ctx(skb->sk)->netdev);
	struct slave *slave = dev ? bond_slave_of(dev) : NULL;

	if (slave && slave->bond == bond)
		return bond_xmit_to(bond, slave, skb);
#endif
	return bond_xmit_drop(bond, skb);
}

netdev_tx_t bond_start_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct bonding *bond = bond_of(dev);
	const struct bond_mode *mode;
	netdev_tx_t ret;

	/*
	 * BH is off here, which RCU honours, but lockdep's rcu_dereference()
	 * checks want an RCU read section: AF_PACKET, pktgen and neighbour
	 * timers call in without one.
	 */
	rcu_read_lock();
	/* Stable while the bond has slaves: the mode needs none to change. */
	mode = READ_ONCE(bond->mode);
	if (unlikely(!bond_has_slaves(bond)))
		ret = bond_xmit_drop(bond, skb);
	else if (bond_skb_tls_offloaded(skb))
		ret = bond_xmit_tls(bond, skb);
	else
		ret = mode->xmit(bond, skb);
	rcu_read_unlock();
	return ret;
}

/* Keep the stack's queue choice, to restore it on the slave. */
u16 bond_select_queue(struct net_device *dev, struct sk_buff *skb,
		      struct net_device *sb_dev)
{
	u16 txq = skb_rx_queue_recorded(skb) ? skb_get_rx_queue(skb) : 0;

	qdisc_skb_cb(skb)->slave_dev_queue_mapping = skb_get_queue_mapping(skb);
	while (unlikely(txq >= dev->real_num_tx_queues))
		txq -= dev->real_num_tx_queues;
	return txq;
}

struct net_device *bond_get_xmit_slave(struct net_device *dev,
				       struct sk_buff *skb, bool all_slaves)
{
	struct bonding *bond = bond_of(dev);
	const struct bond_mode *mode = READ_ONCE(bond->mode);
	struct slave *slave;

	if (all_slaves && mode->xmit_slave_all)
		slave = mode->xmit_slave_all(bond, skb);
	else if (mode->xmit_slave)
		slave = mode->xmit_slave(bond, skb);
	else
		return NULL;
	return slave ? slave->dev : NULL;
}

/*
 * The slave a connected socket's packets leave by, for kTLS device offload
 * (netdev_sk_get_lowest_dev()): NULL where the mode cannot tell, and the
 * offload then stays off. The caller holds the device it gets.
 */
struct net_device *bond_sk_get_lower_dev(struct net_device *dev, struct sock *sk)
{
	struct bonding *bond = bond_of(dev);
	const struct bond_mode *mode;
	struct net_device *lower = NULL;
	struct slave *slave;

	rcu_read_lock();
	mode = READ_ONCE(bond->mode);
	slave = mode->sk_slave ? mode->sk_slave(bond, sk) : NULL;
	if (slave)
		lower = slave->dev;
	rcu_read_unlock();
	return lower;
}
