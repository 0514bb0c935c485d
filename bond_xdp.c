// SPDX-License-Identifier: GPL-2.0
/*
 * XDP on a bond. A program attached to the bond runs on every slave (it is
 * propagated to each, and to each new one); the bond runs nothing itself.
 * XDP_TX from a slave goes through the bond's choice of slave
 * (ndo_xdp_get_xmit_slave, reached through the kernel's master redirect),
 * and frames redirected into the bond leave by the slave the mode picks.
 * Only modes with an xdp_slave hook support it.
 *
 * Program changes run under RTNL; the transmit side under RCU.
 */

#include <linux/netdevice.h>
#include <linux/filter.h>
#include <linux/bpf.h>
#include <net/xdp.h>

#include "bond.h"
#include "bond_mode.h"

/* Whether @mode with @policy can run XDP. */
static bool bond_xdp_supported(struct bonding *bond, const struct bond_mode *mode,
			       u8 policy)
{
	return mode->xdp_slave && (!mode->xdp_ok || mode->xdp_ok(bond, policy));
}

/* Hand @prog (may be NULL) to one device, as the stack would. */
static int bond_xdp_install(struct net_device *dev, struct bpf_prog *prog,
			    struct netlink_ext_ack *extack)
{
	struct netdev_bpf xdp = {
		.command = XDP_SETUP_PROG,
		.prog = prog,
		.extack = extack,
	};
	int ret;

#ifdef BOND_HAVE_XDP_PROPAGATE
	ret = dev_xdp_propagate(dev, &xdp);
#else
	ret = dev->netdev_ops->ndo_bpf ? dev->netdev_ops->ndo_bpf(dev, &xdp) :
					 -EOPNOTSUPP;
#endif
	/* On success the device owns a reference to the program. */
	if (!ret && prog)
		bpf_prog_inc(prog);
	return ret;
}

static bool bond_xdp_capable(const struct net_device *dev)
{
	return dev->netdev_ops->ndo_bpf && dev->netdev_ops->ndo_xdp_xmit;
}

/* What the bond can do with XDP: what every slave can, in a mode that can. */
void bond_xdp_update_features(struct bonding *bond)
{
#ifdef BOND_HAVE_XDP_FEATURES
	xdp_features_t val = NETDEV_XDP_ACT_MASK;
	struct slave *slave;

	ASSERT_RTNL();
	if (!bond_xdp_supported(bond, bond->mode, bond->params.xmit_policy) ||
	    !bond_has_slaves(bond)) {
		xdp_clear_features_flag(bond->dev);
		return;
	}
	bond_for_each_slave(bond, slave)
		val &= slave->dev->xdp_features;
	xdp_set_features_flag(bond->dev, val & ~NETDEV_XDP_ACT_XSK_ZEROCOPY);
#endif
}

/* A slave joins a bond with a program: it runs it too. */
int bond_xdp_slave_join(struct bonding *bond, struct slave *slave,
			struct netlink_ext_ack *extack)
{
	struct net_device *dev = slave->dev;
	int ret;

	if (!bond->xdp_prog)
		return 0;
	if (!bond_xdp_capable(dev)) {
		bond_refuse(bond, dev, extack, "Slave does not support XDP");
		return -EOPNOTSUPP;
	}
	if (dev_xdp_prog_count(dev) > 0) {
		bond_refuse(bond, dev, extack,
			    "Slave has XDP program loaded, please unload before enslaving");
		return -EOPNOTSUPP;
	}
	ret = bond_xdp_install(dev, bond->xdp_prog, extack);
	if (ret)
		slave_dbg(bond->dev, dev, "Error %d calling ndo_bpf\n", ret);
	return ret;
}

void bond_xdp_slave_leave(struct bonding *bond, struct slave *slave)
{
	if (bond->xdp_prog && bond_xdp_install(slave->dev, NULL, NULL))
		slave_warn(bond->dev, slave->dev, "failed to unload XDP program\n");
}

/* Give every slave @prog, or leave each with the old one. */
static int bond_xdp_set(struct net_device *dev, struct bpf_prog *prog,
			struct netlink_ext_ack *extack)
{
	struct bonding *bond = bond_of(dev);
	struct bpf_prog *old = bond->xdp_prog;
	struct slave *slave, *done;
	int ret;

	ASSERT_RTNL();
	if (!bond_xdp_supported(bond, bond->mode, bond->params.xmit_policy)) {
		bond_refuse_bond(bond, extack,
				 "No native XDP support for the current bonding mode");
		return -EOPNOTSUPP;
	}
	bond_for_each_slave(bond, slave) {
		if (!bond_xdp_capable(slave->dev)) {
			bond_refuse(bond, slave->dev, extack,
				    "Slave device does not support XDP");
			ret = -EOPNOTSUPP;
			goto undo;
		}
		if (dev_xdp_prog_count(slave->dev) > 0) {
			bond_refuse(bond, slave->dev, extack,
				    "Slave has XDP program loaded, please unload before enslaving");
			ret = -EOPNOTSUPP;
			goto undo;
		}
		ret = bond_xdp_install(slave->dev, prog, extack);
		if (ret) {
			slave_err(dev, slave->dev, "Error %d calling ndo_bpf\n", ret);
			goto undo;
		}
	}

	/* The bond owns the reference the stack gave it for @prog. */
	bond->xdp_prog = prog;
	if (old)
		bpf_prog_put(old);
	if (prog && !old)
		static_branch_inc(&bpf_master_redirect_enabled_key);
	else if (!prog && old)
		static_branch_dec(&bpf_master_redirect_enabled_key);
	return 0;

undo:
	bond_for_each_slave(bond, done) {
		if (done == slave)
			break;
		if (bond_xdp_install(done->dev, old, NULL))
			slave_err(dev, done->dev, "Error when unwinding XDP program change\n");
	}
	return ret;
}

int bond_xdp(struct net_device *dev, struct netdev_bpf *xdp)
{
	if (xdp->command != XDP_SETUP_PROG)
		return -EINVAL;
	return bond_xdp_set(dev, xdp->prog, xdp->extack);
}

/* Under RCU: the slave the mode sends this frame by. */
struct net_device *bond_xdp_get_xmit_slave(struct net_device *dev,
					   struct xdp_buff *xdp)
{
	struct bonding *bond = bond_of(dev);
	const struct bond_mode *mode = READ_ONCE(bond->mode);
	struct slave *slave;

	if (!mode->xdp_slave)
		return NULL;
	slave = mode->xdp_slave(bond, xdp);
	return slave ? slave->dev : NULL;
}

/* Frames redirected into the bond: each by the slave the mode picks. */
int bond_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		  u32 flags)
{
	int i, sent = 0, ret = 0;

	rcu_read_lock();
	for (i = 0; i < n; i++) {
		struct net_device *slave_dev;
		struct xdp_buff xdp;

		xdp_convert_frame_to_buff(frames[i], &xdp);
		slave_dev = bond_xdp_get_xmit_slave(dev, &xdp);
		if (!slave_dev) {
			ret = -ENXIO;
			break;
		}
		ret = slave_dev->netdev_ops->ndo_xdp_xmit(slave_dev, 1,
							   &frames[i], flags);
		if (ret < 1)
			break;
		sent++;
	}
	rcu_read_unlock();
	/* An error on the first frame is the caller's; else what went. */
	return ret < 0 && !sent ? ret : sent;
}

/* A mode or policy change with a program attached must keep XDP working. */
int bond_xdp_mode_check(struct bonding *bond, const struct bond_mode *mode,
			u8 policy)
{
	if (bond->xdp_prog && !bond_xdp_supported(bond, mode, policy))
		return -EOPNOTSUPP;
	return 0;
}
