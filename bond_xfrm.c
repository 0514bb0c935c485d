// SPDX-License-Identifier: GPL-2.0
/*
 * IPsec (ESP) offload through the bond. In a mode whose struct bond_mode
 * sets xfrm_offload (active-backup), a security association offloaded to
 * the bond is programmed into the active slave, and moves with it: on a
 * failover the old active slave forgets every SA and the new one learns
 * them. Slaves without ESP offload make the stack fall back to software.
 *
 * Locking. bond->xfrm_mutex guards bond->xfrm_list and serialises adding
 * an SA with moving all of them (failover, under RTNL). The stack calls
 * xdo_dev_state_delete with the state's spinlock held, so deletion only
 * touches the state, under that lock; the entry goes in xdo_dev_state_free,
 * which runs in process context. xso.real_dev is the slave holding the SA,
 * or NULL; it is written under x->lock and the mutex.
 *
 * Slave drivers of these kernels find themselves through xso.real_dev while
 * adding, so it is set before the slave has the SA. bond->xfrm_adding names
 * that SA meanwhile (x->lock to write, READ_ONCE on the data path): a
 * delete in that window must not reach the slave, and neither may
 * packets. The adder deletes it on the slave afterwards if it died.
 */

#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/xfrm.h>

#include "bond.h"
#include "bond_mode.h"

#ifdef CONFIG_XFRM_OFFLOAD

/* One SA offloaded to the bond. */
struct bond_xfrm {
	struct list_head list;		/* bond->xfrm_mutex */
	struct xfrm_state *xs;
};

static const struct xfrmdev_ops *bond_xfrm_ops_of(struct net_device *dev)
{
	if (!dev || netif_is_bond_master(dev))
		return NULL;
	return dev->xfrmdev_ops;
}

/* The active slave's device, if the mode offloads ESP; under RCU. */
static struct net_device *bond_xfrm_active_rcu(struct bonding *bond)
{
	struct slave *slave;

	if (!READ_ONCE(bond->mode)->xfrm_offload)
		return NULL;
	slave = rcu_dereference(bond->curr_active_slave);
	return slave ? slave->dev : NULL;
}

/*
 * Program @xs into @real, which becomes its holder on success. Under the
 * mutex, so one SA at a time is being added.
 */
static int bond_xfrm_program(struct bonding *bond, struct xfrm_state *xs,
			     struct net_device *real,
			     struct netlink_ext_ack *extack)
{
	const struct xfrmdev_ops *ops = bond_xfrm_ops_of(real);
	int ret;

	lockdep_assert_held(&bond->xfrm_mutex);
	if (!ops || !ops->xdo_dev_state_add)
		return -EOPNOTSUPP;
	spin_lock_bh(&xs->lock);
	WARN_ON_ONCE(bond->xfrm_adding);
	WRITE_ONCE(bond->xfrm_adding, xs);
	WRITE_ONCE(xs->xso.real_dev, real);
	spin_unlock_bh(&xs->lock);
#ifdef BOND_HAVE_XDO_ADD_EXTACK
	ret = ops->xdo_dev_state_add(xs, extack);
#else
	ret = ops->xdo_dev_state_add(xs);
#endif
	spin_lock_bh(&xs->lock);
	WRITE_ONCE(bond->xfrm_adding, NULL);
	if (ret)
		WRITE_ONCE(xs->xso.real_dev, NULL);
	else if (xs->km.state == XFRM_STATE_DEAD && ops->xdo_dev_state_delete)
		/* deleted while being added: the delete skipped the slave */
		ops->xdo_dev_state_delete(xs);
	spin_unlock_bh(&xs->lock);
	return ret;
}

/*
 * Take @xs off the slave holding it and free it there; with @delete, first
 * delete it there unless the stack did already (a dead state).
 */
static void bond_xfrm_unprogram(struct xfrm_state *xs, bool delete)
{
	const struct xfrmdev_ops *ops;
	struct net_device *real;

	spin_lock_bh(&xs->lock);
	real = xs->xso.real_dev;
	WRITE_ONCE(xs->xso.real_dev, NULL);
	/* A state already deleted was deleted on the slave then. */
	if (delete && real && xs->km.state != XFRM_STATE_DEAD) {
		ops = bond_xfrm_ops_of(real);
		if (ops && ops->xdo_dev_state_delete)
			ops->xdo_dev_state_delete(xs);
	}
	spin_unlock_bh(&xs->lock);
	ops = bond_xfrm_ops_of(real);
	if (ops && ops->xdo_dev_state_free)
		ops->xdo_dev_state_free(xs);
}

static int __bond_xfrm_add(struct xfrm_state *xs, struct netlink_ext_ack *extack)
{
	struct bonding *bond = bond_of(xs->xso.dev);
	netdevice_tracker tracker;
	struct net_device *real;
	struct bond_xfrm *e;
	int ret;

	if (!READ_ONCE(bond->mode)->xfrm_offload) {
		/* the stack falls back to software crypto */
		NL_SET_ERR_MSG_MOD(extack, "The bond's mode does not offload ESP");
		return -EOPNOTSUPP;
	}
	e = kzalloc(sizeof(*e), GFP_KERNEL);
	if (!e)
		return -ENOMEM;
	e->xs = xs;

	mutex_lock(&bond->xfrm_mutex);
	rcu_read_lock();
	real = bond_xfrm_active_rcu(bond);
	netdev_hold(real, &tracker, GFP_ATOMIC);
	rcu_read_unlock();
	if (!real) {
		NL_SET_ERR_MSG_MOD(extack, "The bond has no active slave to offload to");
		ret = -ENODEV;
	} else {
		ret = bond_xfrm_program(bond, xs, real, extack);
		if (ret == -EOPNOTSUPP)
			NL_SET_ERR_MSG_MOD(extack, "Slave does not support ipsec offload");
	}
	netdev_put(real, &tracker);
	if (!ret)
		list_add_tail(&e->list, &bond->xfrm_list);
	mutex_unlock(&bond->xfrm_mutex);
	if (ret)
		kfree(e);
	return ret;
}

#ifdef BOND_HAVE_XDO_ADD_EXTACK
static int bond_xfrm_add(struct xfrm_state *xs, struct netlink_ext_ack *extack)
{
	return __bond_xfrm_add(xs, extack);
}
#else
static int bond_xfrm_add(struct xfrm_state *xs)
{
	return __bond_xfrm_add(xs, NULL);
}
#endif

/* Called with xs->lock held: tell the holder, nothing else. */
static void bond_xfrm_delete(struct xfrm_state *xs)
{
	struct net_device *real = xs->xso.real_dev;
	const struct xfrmdev_ops *ops = bond_xfrm_ops_of(real);

	/* still being added: bond_xfrm_program() deletes it when done */
	if (bond_of(xs->xso.dev)->xfrm_adding == xs)
		return;
	if (ops && ops->xdo_dev_state_delete)
		ops->xdo_dev_state_delete(xs);
}

/* The state is going away (process context); it was deleted before. */
static void bond_xfrm_free(struct xfrm_state *xs)
{
	struct bonding *bond = bond_of(xs->xso.dev);
	struct bond_xfrm *e;

	mutex_lock(&bond->xfrm_mutex);
	list_for_each_entry(e, &bond->xfrm_list, list) {
		if (e->xs == xs) {
			list_del(&e->list);
			kfree(e);
			break;
		}
	}
	bond_xfrm_unprogram(xs, false);
	mutex_unlock(&bond->xfrm_mutex);
}

/* The ops of the slave holding @xs if it is still the active one; RCU. */
static const struct xfrmdev_ops *bond_xfrm_holder_ops(struct xfrm_state *xs)
{
	struct bonding *bond = bond_of(xs->xso.dev);
	struct net_device *real = READ_ONCE(xs->xso.real_dev);

	if (!real || real != bond_xfrm_active_rcu(bond) ||
	    READ_ONCE(bond->xfrm_adding) == xs)
		return NULL;
	return bond_xfrm_ops_of(real);
}

static bool bond_xfrm_offload_ok(struct sk_buff *skb, struct xfrm_state *xs)
{
	const struct xfrmdev_ops *ops;
	bool ok = false;

	rcu_read_lock();
	ops = bond_xfrm_holder_ops(xs);
	if (ops && ops->xdo_dev_offload_ok)
		ok = ops->xdo_dev_offload_ok(skb, xs);
	rcu_read_unlock();
	return ok;
}

static void bond_xfrm_advance_esn(struct xfrm_state *xs)
{
	const struct xfrmdev_ops *ops;

	rcu_read_lock();
	ops = bond_xfrm_holder_ops(xs);
	if (ops && ops->xdo_dev_state_advance_esn)
		ops->xdo_dev_state_advance_esn(xs);
	rcu_read_unlock();
}

#ifdef BOND_HAVE_XDO_UPDATE_STATS
static void bond_xfrm_update_stats(struct xfrm_state *xs)
{
	const struct xfrmdev_ops *ops;

	rcu_read_lock();
	ops = bond_xfrm_holder_ops(xs);
	if (ops && ops->xdo_dev_state_update_stats)
		ops->xdo_dev_state_update_stats(xs);
	rcu_read_unlock();
}
#endif

static const struct xfrmdev_ops bond_xfrmdev_ops = {
	.xdo_dev_state_add		= bond_xfrm_add,
	.xdo_dev_state_delete		= bond_xfrm_delete,
	.xdo_dev_state_free		= bond_xfrm_free,
	.xdo_dev_offload_ok		= bond_xfrm_offload_ok,
	.xdo_dev_state_advance_esn	= bond_xfrm_advance_esn,
#ifdef BOND_HAVE_XDO_UPDATE_STATS
	.xdo_dev_state_update_stats	= bond_xfrm_update_stats,
#endif
};

/* bond_setup(): the ops, and ESP offload on if the first mode has it. */
void bond_xfrm_setup(struct bonding *bond)
{
	struct net_device *dev = bond->dev;

	INIT_LIST_HEAD(&bond->xfrm_list);
	mutex_init(&bond->xfrm_mutex);
	dev->xfrmdev_ops = &bond_xfrmdev_ops;
	dev->hw_features |= BOND_F_XFRM;
	if (bond->mode->xfrm_offload)
		dev->features |= BOND_F_XFRM;
}

void bond_xfrm_destroy(struct bonding *bond)
{
	mutex_destroy(&bond->xfrm_mutex);
}

/*
 * The mode is set to @mode: once the bond is registered, ESP offload is
 * wanted exactly when the mode has it (as in-tree, also for the same mode).
 */
void bond_xfrm_mode_set(struct bonding *bond, const struct bond_mode *mode)
{
	struct net_device *dev = bond->dev;

	ASSERT_RTNL();
	if (dev->reg_state != NETREG_REGISTERED)
		return;
	if (mode->xfrm_offload)
		dev->wanted_features |= BOND_F_XFRM;
	else
		dev->wanted_features &= ~BOND_F_XFRM;
	netdev_update_features(dev);
}

/*
 * The active slave changes from @old to @new (RTNL): every SA leaves the
 * old one before the switch and joins the new one after it.
 */
void bond_xfrm_active_leave(struct bonding *bond, struct slave *old)
{
	struct bond_xfrm *e;

	ASSERT_RTNL();
	if (!old)
		return;
	mutex_lock(&bond->xfrm_mutex);
	list_for_each_entry(e, &bond->xfrm_list, list)
		if (READ_ONCE(e->xs->xso.real_dev) == old->dev)
			bond_xfrm_unprogram(e->xs, true);
	mutex_unlock(&bond->xfrm_mutex);
}

void bond_xfrm_active_join(struct bonding *bond, struct slave *new)
{
	struct bond_xfrm *e;
	int ret;

	ASSERT_RTNL();
	if (!new || !bond->mode->xfrm_offload)
		return;
	mutex_lock(&bond->xfrm_mutex);
	list_for_each_entry(e, &bond->xfrm_list, list) {
		if (READ_ONCE(e->xs->km.state) == XFRM_STATE_DEAD ||
		    READ_ONCE(e->xs->xso.real_dev))
			continue;
		ret = bond_xfrm_program(bond, e->xs, new->dev, NULL);
		if (ret)
			slave_warn(bond->dev, new->dev,
				   "cannot take over offloaded SA spi 0x%08x: %d\n",
				   ntohl(e->xs->id.spi), ret);
	}
	mutex_unlock(&bond->xfrm_mutex);
}

/*
 * The bond goes away: the SAs offloaded to it go with it (RTNL). The core
 * flushes on unregister only while esp-hw-offload is on, on 6.1.
 */
void bond_xfrm_flush(struct bonding *bond)
{
	xfrm_dev_state_flush(dev_net(bond->dev), bond->dev, true);
}

#endif /* CONFIG_XFRM_OFFLOAD */
