// SPDX-License-Identifier: GPL-2.0
/*
 * balance-tlb and balance-alb: the two struct bond_mode, their life cycle
 * and the tick that rebalances, sends learning frames and tells receive
 * clients their slaves. See alb.h for the parts.
 */

#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <linux/rtnetlink.h>

#include "bond.h"
#include "bond_mode.h"
#include "alb.h"

/* Whether the bond has more usable slaves than at the last tick. */
static bool alb_usable_grew(struct alb_mode *m)
{
	struct bond_slave_arr *usable;
	unsigned int n;
	bool grew;

	rcu_read_lock();
	usable = rcu_dereference(m->bond->usable);
	n = usable ? READ_ONCE(usable->count) : 0;
	rcu_read_unlock();
	grew = n > m->usable_seen;
	m->usable_seen = n;
	return grew;
}

static void alb_tick_work(struct work_struct *work)
{
	struct alb_mode *m = container_of(to_delayed_work(work), struct alb_mode, tick);
	struct bonding *bond = m->bond;
	unsigned int lp_ticks;

	if (!bond_has_slaves(bond)) {
		m->lp_ticks = 0;
		m->rebalance_ticks = 0;
		goto again;
	}
	lp_ticks = min_t(u32, READ_ONCE(bond->params.lp_interval),
			 UINT_MAX / ALB_TICKS_PER_SEC) * ALB_TICKS_PER_SEC;
	if (++m->lp_ticks >= lp_ticks) {
		m->lp_ticks = 0;
		alb_learning_tick(m);
	}
	/*
	 * A slave that became usable since the last tick: a request from its
	 * enslave or link-up may have been taken before the array had it.
	 */
	if (alb_usable_grew(m)) {
		WRITE_ONCE(m->tx_rebalance_due, true);
		if (m->rlb) {
			spin_lock_bh(&m->lock);
			m->rx_rebalance = true;
			spin_unlock_bh(&m->lock);
		}
	}
	if (++m->rebalance_ticks >= ALB_REBALANCE_SEC * ALB_TICKS_PER_SEC ||
	    READ_ONCE(m->tx_rebalance_due)) {
		WRITE_ONCE(m->tx_rebalance_due, false);
		m->rebalance_ticks = 0;
		alb_tx_rebalance(m);
	}
	if (m->rlb)
		rlb_tick(m);
again:
	queue_delayed_work(bond->wq, &m->tick, msecs_to_jiffies(ALB_TICK_MS));
}

static int alb_init_common(struct bonding *bond, void *priv, bool rlb)
{
	struct alb_mode *m = priv;

	m->bytes = alloc_percpu(struct alb_tx_bytes);
	if (!m->bytes)
		return -ENOMEM;
	m->bond = bond;
	m->rlb = rlb;
	spin_lock_init(&m->lock);
	INIT_DELAYED_WORK(&m->tick, alb_tick_work);
	return 0;
}

static int tlb_init(struct bonding *bond, void *priv)
{
	return alb_init_common(bond, priv, false);
}

static int alb_init(struct bonding *bond, void *priv)
{
	return alb_init_common(bond, priv, true);
}

static void alb_uninit(void *priv)
{
	struct alb_mode *m = priv;

	free_percpu(m->bytes);
}

/* The next tick spreads destinations and clients again. */
static void alb_rebalance_soon(struct alb_mode *m)
{
	WRITE_ONCE(m->tx_rebalance_due, true);
	if (m->rlb) {
		spin_lock_bh(&m->lock);
		m->rx_rebalance = true;
		spin_unlock_bh(&m->lock);
	}
}

/* A new slave keeps a MAC of its own; the next tick rebalances. */
static int alb_slave_attach(struct bonding *bond, struct slave *slave)
{
	struct alb_mode *m = alb_of(bond);
	int ret;

	ASSERT_RTNL();
	ret = alb_mac_attach(m, slave);
	if (ret)
		return ret;
	alb_port_of(slave)->link_seen = slave->link;
	alb_rebalance_soon(m);
	return 0;
}

/*
 * @slave has left the list and, if it was active, the bond has no active
 * slave yet: its MAC goes back to it, and its destinations and clients to
 * the others.
 */
static void alb_slave_detach(struct bonding *bond, struct slave *slave)
{
	struct alb_mode *m = alb_of(bond);

	ASSERT_RTNL();
	spin_lock_bh(&m->lock);
	alb_port_of(slave)->gone = true;
	spin_unlock_bh(&m->lock);
	if (bond_has_slaves(bond))
		alb_mac_detach(m, slave);
	alb_tx_forget_slave(m, slave);
	if (m->rlb)
		rlb_forget_slave(m, slave);
}

/*
 * A link change the monitor committed: a slave that went down loses its
 * share now. The hook also hears speed changes and carrier events whose
 * link the monitor has not judged yet (downdelay): those change nothing.
 */
static void alb_slave_changed(struct bonding *bond, struct slave *slave)
{
	struct alb_mode *m = alb_of(bond);
	struct alb_port *p = alb_port_of(slave);

	ASSERT_RTNL();
	if (slave->link == p->link_seen)
		return;
	p->link_seen = slave->link;
	switch (slave->link) {
	case BOND_SLAVE_LINK_DOWN:
		alb_tx_forget_slave(m, slave);
		if (m->rlb)
			rlb_forget_slave(m, slave);
		break;
	case BOND_SLAVE_LINK_UP:
		alb_rebalance_soon(m);
		break;
	}
}

static void alb_active_changed(struct bonding *bond, struct slave *old,
			       struct slave *new)
{
	ASSERT_RTNL();
	alb_mac_active_changed(alb_of(bond), old, new);
}

static int alb_open(struct bonding *bond)
{
	struct alb_mode *m = alb_of(bond);

	ASSERT_RTNL();
	m->lp_ticks = 0;
	m->rebalance_ticks = 0;
	queue_delayed_work(bond->wq, &m->tick, 0);
	return 0;
}

/* As in-tree, a bond that goes down forgets its destinations and clients. */
static void alb_close(struct bonding *bond)
{
	struct alb_mode *m = alb_of(bond);
	struct slave *active = rtnl_dereference(bond->curr_active_slave);
	unsigned int i;

	ASSERT_RTNL();
	cancel_delayed_work_sync(&m->tick);
	rlb_drop_promisc(m, active);
	spin_lock_bh(&m->lock);
	for (i = 0; i < ALB_TX_SLOTS; i++)
		RCU_INIT_POINTER(m->tx[i].slave, NULL);
	memset(m->rx, 0, sizeof(m->rx));
	m->rx_cursor = NULL;
	m->rx_rebalance = false;
	m->rx_ntt = false;
	spin_unlock_bh(&m->lock);
}

static void alb_vlan_killed(struct bonding *bond, u16 vid)
{
	ASSERT_RTNL();
	if (alb_of(bond)->rlb)
		rlb_forget_vlan(bond, vid);
}

#define ALB_MODE_COMMON							\
	.lag_tx_type		= NETDEV_LAG_TX_TYPE_UNKNOWN,		\
	.has_active		= true,					\
	.igmp_on_active		= true,					\
	.needs_speed_duplex	= true,					\
	.hashes_when_static	= true,					\
	.xmit_slave		= alb_xmit_slave,			\
	.priv_size		= sizeof(struct alb_mode),		\
	.slave_priv_size	= sizeof(struct alb_port),		\
	.uninit			= alb_uninit,				\
	.slave_attach		= alb_slave_attach,			\
	.slave_detach		= alb_slave_detach,			\
	.open			= alb_open,				\
	.close			= alb_close,				\
	.slave_changed		= alb_slave_changed,			\
	.active_changed		= alb_active_changed,			\
	.set_mac		= alb_mac_set_bond_addr,		\
	.vlan_killed		= alb_vlan_killed

const struct bond_mode bond_mode_tlb = {
	.id			= BOND_MODE_TLB,
	.name			= "balance-tlb",
	.proc_name		= "transmit load balancing",
	.xmit			= alb_tlb_xmit,
	.init			= tlb_init,
	ALB_MODE_COMMON,
};

const struct bond_mode bond_mode_alb = {
	.id			= BOND_MODE_ALB,
	.name			= "balance-alb",
	.proc_name		= "adaptive load balancing",
	.inactive_rx_unicast	= true,
	.xmit			= alb_alb_xmit,
	.rx			= rlb_rx,
	.rx_clients		= rlb_clients,
	.init			= alb_init,
	ALB_MODE_COMMON,
};
